//! `voicemock run`: the chosen questions of a pack, in order, each timed and recorded.

use crate::cli::RunArgs;
use crate::pack::{self, Selection};
use crate::session::plan;

use super::interview::{self, Interview};
use super::next;

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
    let mut header = Vec::new();
    let ids = match args.next {
        Some(n) => {
            let mut picks = next::picks(&pack, &args.session.recordings);
            picks.truncate(n as usize);
            if picks.is_empty() {
                anyhow::bail!(
                    "nothing to practise in pack {} now: every question's last answer in {} was \
                     good, and none is due for review yet (see `voicemock history`)",
                    pack.name,
                    crate::record::folder_label(&args.session.recordings)
                );
            }
            header.push("  Practising next:".to_string());
            header.extend(next::table(&picks, 4).lines().map(str::to_string));
            picks.into_iter().map(|p| p.id).collect()
        }
        None => args.questions.clone(),
    };
    let selection = Selection {
        categories: args.categories.clone(),
        ids: ids.clone(),
        count,
        shuffle: args.shuffle,
        seed,
    };
    let questions = pack.select(&selection)?;
    let over = interview::overrides(&args.session, args.answer)?;
    let mut settings = interview::settings(&args.session);
    settings.answer_s = args.answer;
    settings.categories = args.categories.clone();
    settings.question_ids = ids;
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
            header,
        },
        &args.session,
    )?;
    Ok(())
}
