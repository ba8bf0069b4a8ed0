//! `voicemock rehearse`: a whole mock interview on a clock. The plan (an opening, a mixed
//! body with follow-ups, the closing turn) is chosen to fit the budget; the session core holds
//! it to the budget; a schedule report closes it.

use crate::cli::RehearseArgs;
use crate::pack;
use crate::session::plan;
use crate::ui::{mmss, Table};

use super::interview::{self, Interview};

/// The longest rehearsal: three hours.
const MAX_MINUTES: f64 = 180.0;

pub fn run(args: &RehearseArgs) -> anyhow::Result<()> {
    interview::check_flags(&args.session)?;
    if !(args.minutes.is_finite() && args.minutes >= 1.0 && args.minutes <= MAX_MINUTES) {
        anyhow::bail!(
            "--minutes must be 1 to {MAX_MINUTES} minutes, not {}",
            args.minutes
        );
    }
    if let Some(a) = args.answer {
        interview::check_limit("--answer", a)?;
    }
    let pack = pack::load(args.pack.as_deref())?;
    let seed = args.seed.unwrap_or_else(|| fastrand::u64(..));
    let over = interview::overrides(&args.session, args.answer)?;
    let budget_s = args.minutes * 60.0;
    let rehearsal = plan::for_rehearsal(&pack, &args.categories, budget_s, seed, &over)
        .map_err(anyhow::Error::msg)?;
    let mut header = vec![format!(
        "  Plan (--seed {seed}): {} of the {} budget",
        mmss(rehearsal.planned_total_s),
        mmss(budget_s)
    )];
    let mut table = Table::new()
        .indent(4)
        .right("")
        .left("question")
        .right("at")
        .right("planned")
        .right("to answer");
    let mut at = 0.0;
    for (i, p) in rehearsal.plan.iter().enumerate() {
        table.row([
            format!("{}.", i + 1),
            format!(
                "{}{}",
                if p.follow_up_of.is_some() { "↳ " } else { "" },
                p.id
            ),
            mmss(at),
            mmss(p.planned_s()),
            mmss(p.step.limits[0]),
        ]);
        at += p.planned_s();
    }
    header.extend(table.fit().lines().map(str::to_string));
    match rehearsal.squeezed {
        plan::Squeezed::No => {}
        plan::Squeezed::Think => header.push(
            "    (think times shortened to fit the budget; --minutes gives more time)".into(),
        ),
        plan::Squeezed::ThinkAndAnswers => header.push(format!(
            "    (think times shortened to {:.0} s and answers to fit the budget, never below \
             their useful minimum; --minutes gives more time)",
            plan::MIN_THINK_S
        )),
    }
    let mut settings = interview::settings(&args.session);
    settings.answer_s = args.answer;
    settings.categories = args.categories.clone();
    settings.seed = Some(seed);
    settings.follow_ups = true;
    interview::conduct(
        Interview {
            kind: "rehearse",
            pack: &pack,
            plan: rehearsal.plan,
            budget: Some(rehearsal.budget),
            settings,
            header,
        },
        &args.session,
    )?;
    Ok(())
}
