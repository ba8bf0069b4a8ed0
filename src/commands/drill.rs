//! `voicemock drill QUESTION`: the compression exercise. The same question answered once per
//! limit, each round shorter, as takes of one question in one session; a table compares them.

use crate::cli::DrillArgs;
use crate::pack::{self, MIN_ANSWER_S};
use crate::record;
use crate::session::plan;
use crate::ui::{mmss, out, outln, outln_fit};

use super::compare;
use super::interview::{self, Interview};

pub fn run(args: &DrillArgs) -> anyhow::Result<()> {
    interview::check_flags(&args.session)?;
    if let Some(a) = args.answer {
        interview::check_limit("--answer", a)?;
    }
    let limits = args
        .limits
        .clone()
        .unwrap_or_else(|| rounds_from(args.answer.unwrap_or(DEFAULT_FIRST_ROUND_S)));
    if limits.is_empty() {
        anyhow::bail!("--limits needs at least one limit in seconds, e.g. 120,90,60");
    }
    for &l in &limits {
        interview::check_limit("each of --limits", l)?;
    }
    check_shrinking(&limits)?;
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
    let planned = plan::for_drill(question, &limits, &over);
    let mut settings = interview::settings(&args.session);
    settings.question_ids = vec![args.question.clone()];
    settings.answer_s = args.answer;
    settings.limits = limits.clone();
    let rounds: Vec<String> = limits.iter().map(|&l| mmss(l)).collect();
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

/// The first round's limit without --answer (or the config file's answer).
const DEFAULT_FIRST_ROUND_S: f64 = 120.0;

/// The rounds from a first limit: it, ¾ and ½ of it (to a tenth), never below the shortest
/// answer a pack may set.
fn rounds_from(first_s: f64) -> Vec<f64> {
    [1.0, 0.75, 0.5]
        .iter()
        .map(|share| ((first_s * share * 10.0).round() / 10.0).max(MIN_ANSWER_S))
        .collect()
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
    use super::{check_shrinking, rounds_from};

    #[test]
    fn rounds_shrink_from_the_answer_limit() {
        assert_eq!(rounds_from(120.0), [120.0, 90.0, 60.0]);
        assert_eq!(rounds_from(2.0), [2.0, 1.5, 1.0]);
        assert_eq!(rounds_from(1.0), [1.0, 1.0, 1.0]);
    }

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
