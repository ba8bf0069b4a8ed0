//! `voicemock drill QUESTION`: the compression exercise. The same question answered once per
//! limit, each round shorter, as takes of one question in one session; a table compares them.

use crate::cli::DrillArgs;
use crate::pack;
use crate::record;
use crate::session::plan;
use crate::ui::{mmss, out, outln, outln_fit};

use super::compare;
use super::interview::{self, Interview};

pub fn run(args: &DrillArgs) -> anyhow::Result<()> {
    interview::check_flags(&args.session)?;
    if args.limits.is_empty() {
        anyhow::bail!("--limits needs at least one limit in seconds, e.g. 120,90,60");
    }
    for &l in &args.limits {
        interview::check_limit("each of --limits", l)?;
    }
    check_shrinking(&args.limits)?;
    let pack = pack::load(args.pack.as_deref())?;
    let Some(question) = pack.question(&args.question) else {
        anyhow::bail!(
            "pack {} has no question \"{}\"{}; its questions: {}",
            pack.name,
            args.question,
            crate::suggest::did_you_mean(&args.question, pack.ids()),
            pack.ids().join(", ")
        );
    };
    let over = interview::overrides(&args.session, None)?;
    let planned = plan::for_drill(question, &args.limits, &over);
    let mut settings = interview::settings(&args.session);
    settings.question_ids = vec![args.question.clone()];
    settings.limits = args.limits.clone();
    let rounds: Vec<String> = args.limits.iter().map(|&l| mmss(l)).collect();
    let conducted = interview::conduct(
        Interview {
            kind: "drill",
            pack: &pack,
            plan: vec![planned],
            budget: None,
            settings,
            header: vec![format!("  Rounds: {}", rounds.join(", then "))],
        },
        &args.session,
    )?;
    if let Some(log) = conducted.log {
        let session = record::load(&conducted.dir)?;
        let rows = compare::rows_of(&session, &args.question);
        outln("");
        outln_fit(format_args!("The rounds of \"{}\":", log.questions[0].text));
        out(compare::table(&rows));
        outln("");
    }
    Ok(())
}

/// A drill compresses: each round's limit is no longer than the one before.
fn check_shrinking(limits: &[f64]) -> anyhow::Result<()> {
    if let Some(w) = limits.windows(2).find(|w| w[1] > w[0]) {
        anyhow::bail!(
            "--limits must shrink round by round, shortest last: {} is followed by the longer {} \
             (e.g. --limits 120,90,60)",
            w[0],
            w[1]
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_shrinking;

    #[test]
    fn limits_must_shrink_or_stay_equal_round_by_round() {
        for ok in [&[120.0, 90.0, 60.0][..], &[60.0, 60.0, 30.0], &[45.0]] {
            assert!(check_shrinking(ok).is_ok(), "{ok:?}");
        }
        let err = check_shrinking(&[30.0, 60.0]).unwrap_err().to_string();
        assert!(
            err.contains("--limits must shrink") && err.contains("30 is followed by the longer 60"),
            "{err}"
        );
        assert!(check_shrinking(&[90.0, 60.0, 75.0]).is_err());
    }
}
