//! `voicemock packs` and `voicemock questions`.
use crate::cli::QuestionsArgs;

pub fn list_packs() -> anyhow::Result<()> {
    anyhow::bail!("packs is being built")
}

pub fn list_questions(_args: &QuestionsArgs) -> anyhow::Result<()> {
    anyhow::bail!("questions is being built")
}
