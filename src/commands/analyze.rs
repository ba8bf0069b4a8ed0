//! `voicemock analyze`: reads WAV files and prints `analysis` measures.
use crate::cli::AnalyzeArgs;

pub fn run(_args: &AnalyzeArgs) -> anyhow::Result<()> {
    anyhow::bail!("analyze is being built")
}
