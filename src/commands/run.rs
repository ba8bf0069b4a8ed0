//! `voicemock run`: the chosen questions of a pack, in order, each timed and recorded.

use crate::cli::RunArgs;
use crate::pack::{self, Selection};
use crate::session::plan;

use super::interview::{self, Interview};

pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    interview::check_flags(&args.session)?;
    if let Some(a) = args.answer {
        interview::check_limit("--answer", a)?;
    }
    let count = match args.count {
        Some(n) if n < 1 => anyhow::bail!("--count must be 1 or more questions, not {n}"),
        n => n.map(|n| usize::try_from(n).unwrap_or(usize::MAX)),
    };
    let pack = pack::load(args.pack.as_deref())?;
    let seed = args.seed.unwrap_or_else(|| fastrand::u64(..));
    let selection = Selection {
        categories: args.categories.clone(),
        ids: args.questions.clone(),
        count,
        shuffle: args.shuffle,
        seed,
    };
    let questions = pack.select(&selection)?;
    let over = interview::overrides(&args.session, args.answer)?;
    let mut settings = interview::settings(&args.session);
    settings.answer_s = args.answer;
    settings.categories = args.categories.clone();
    settings.question_ids = args.questions.clone();
    settings.count = count;
    settings.shuffle = args.shuffle;
    settings.seed = args.shuffle.then_some(seed);
    settings.follow_ups = args.follow_ups;
    interview::conduct(
        Interview {
            kind: "run",
            pack: &pack,
            plan: plan::for_run(&questions, &over, args.follow_ups),
            budget: None,
            settings,
            header: Vec::new(),
        },
        &args.session,
    )?;
    Ok(())
}
