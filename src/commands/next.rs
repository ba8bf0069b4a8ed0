//! `voicemock next [N]`: the questions of a pack most worth practising now, each with its
//! reasons, from the candidate's own attempts in the recordings folder. The attempts and their
//! trends are `history`'s (stored facts and the one trend rule, never measured again);
//! `run --next N` runs the first N of the same list.
//!
//! The ranking (README, "What to practise next"): a question's most urgent reason first, in
//! the order of [`Reason`]'s variants; then the question with more reasons; then the one
//! answered longest ago (never first); then pack order. A question with no reason (its last
//! answer good, and not yet due for review) is not listed.
//!
//! JSON shape: an array of `{"id", "category", "text", "last_answered": RFC 3339|null,
//! "reasons": [{"reason": KIND, "why": TEXT, …}]}` where KIND is one of `over_limit`,
//! `under_minimum` (each with the last answer's `facts`), `points_missed` (`missed`),
//! `getting_worse` (`measures`), `never_answered` (`asked`: takes with no answer), `due`
//! (`good_in_a_row`, `days_since`, `every_days`).

use std::path::Path;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::Serialize;

use super::history::{self, Attempt, QuestionHistory};
use crate::cli::NextArgs;
use crate::pack::{self, Pack, DEFAULT_PACK};
use crate::record::facts::{length_text, verdict_text};
use crate::record::trend::Trend;
use crate::record::{self, TakeFacts, Verdict};
use crate::ui::{outln, Table};

/// Days after a good answer before the question is due again: after one good answer in a
/// row, after two, after three, after four or more.
pub const REVIEW_DAYS: [i64; 4] = [1, 3, 7, 14];

/// Why a question is worth practising, most urgent first (the ranking's order).
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "reason", rename_all = "snake_case")]
pub enum Reason {
    /// The last answer ran over its limit, or was cut off at it.
    OverLimit { facts: TakeFacts },
    /// The last answer stopped before its useful minimum.
    UnderMinimum { facts: TakeFacts },
    /// The last answer's transcript missed some of the question's talking points.
    PointsMissed { missed: Vec<String> },
    /// A figure's trend is worse (the one trend rule: at least three earlier attempts).
    GettingWorse { measures: Vec<String> },
    /// No answer yet; `asked`: takes recorded without one (no speech, not finished).
    NeverAnswered { asked: usize },
    /// Good last time, and the spaced review's days have passed since.
    Due {
        good_in_a_row: usize,
        days_since: i64,
        every_days: i64,
    },
}

impl Reason {
    fn urgency(&self) -> u8 {
        match self {
            Reason::OverLimit { .. } => 0,
            Reason::UnderMinimum { .. } => 1,
            Reason::PointsMissed { .. } => 2,
            Reason::GettingWorse { .. } => 3,
            Reason::NeverAnswered { .. } => 4,
            Reason::Due { .. } => 5,
        }
    }

    /// In words, from the stored facts and their shared formatters.
    pub fn why(&self) -> String {
        match self {
            Reason::OverLimit { facts } | Reason::UnderMinimum { facts } => format!(
                "last answer {}: {}",
                verdict_text(facts),
                length_text(facts)
            ),
            Reason::PointsMissed { missed } => {
                format!("talking points missed last time: {}", missed.join("; "))
            }
            Reason::GettingWorse { measures } => format!(
                "getting worse against your earlier attempts: {}",
                measures.join(", ")
            ),
            Reason::NeverAnswered { asked: 0 } => "never answered".into(),
            Reason::NeverAnswered { asked } => format!(
                "never answered ({asked} take{} without an answer)",
                if *asked == 1 { "" } else { "s" }
            ),
            Reason::Due {
                good_in_a_row,
                days_since,
                every_days,
            } => format!(
                "due for review: good {days_since} day{} ago ({good_in_a_row} good in a row: \
                 every {every_days} day{})",
                if *days_since == 1 { "" } else { "s" },
                if *every_days == 1 { "" } else { "s" }
            ),
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct Why {
    #[serde(flatten)]
    pub reason: Reason,
    pub why: String,
}

/// A question worth practising, with its reasons, most urgent first.
#[derive(Debug, Clone, Serialize)]
pub struct Pick {
    pub id: String,
    pub category: String,
    pub text: String,
    pub last_answered: Option<String>,
    pub reasons: Vec<Why>,
}

/// An answer was given: the take held speech and finished (how well is the verdict's to say).
fn answered(a: &Attempt) -> bool {
    matches!(
        a.facts.verdict,
        Verdict::Within | Verdict::Under | Verdict::Over | Verdict::CutOff
    )
}

/// A good answer: within its band, no talking point missed.
fn good(a: &Attempt) -> bool {
    a.facts.verdict == Verdict::Within && a.points_missed.is_empty()
}

fn when(a: &Attempt) -> Option<DateTime<FixedOffset>> {
    DateTime::parse_from_rfc3339(&a.started_at).ok()
}

/// The reasons to practise a question with these attempts (`None`: never attempted), on `today`.
fn reasons(h: Option<&QuestionHistory>, today: NaiveDate) -> Vec<Reason> {
    let attempts: &[Attempt] = h.map_or(&[], |h| &h.history);
    let answers: Vec<&Attempt> = attempts.iter().filter(|a| answered(a)).collect();
    let (Some(h), Some(last)) = (h, answers.last()) else {
        return vec![Reason::NeverAnswered {
            asked: attempts.len(),
        }];
    };
    let mut out = Vec::new();
    match last.facts.verdict {
        Verdict::Over | Verdict::CutOff => out.push(Reason::OverLimit {
            facts: last.facts.clone(),
        }),
        Verdict::Under => out.push(Reason::UnderMinimum {
            facts: last.facts.clone(),
        }),
        _ => {}
    }
    if !last.points_missed.is_empty() {
        out.push(Reason::PointsMissed {
            missed: last.points_missed.clone(),
        });
    }
    let t = &h.trend;
    let worse: Vec<String> = [
        ("length", t.length),
        ("first words", t.first_words),
        ("pace", t.pace),
        ("longest pause", t.longest_pause),
        ("fillers", t.fillers),
    ]
    .into_iter()
    .filter(|(_, t)| *t == Some(Trend::Worse))
    .map(|(name, _)| name.to_string())
    .collect();
    if !worse.is_empty() {
        out.push(Reason::GettingWorse { measures: worse });
    }
    if out.is_empty() && good(last) {
        let in_a_row = answers.iter().rev().take_while(|a| good(a)).count();
        let every_days = REVIEW_DAYS[in_a_row.clamp(1, REVIEW_DAYS.len()) - 1];
        if let Some(day) = when(last).map(|w| w.date_naive()) {
            let days_since = (today - day).num_days();
            if days_since >= every_days {
                out.push(Reason::Due {
                    good_in_a_row: in_a_row,
                    days_since,
                    every_days,
                });
            }
        }
    }
    out
}

/// The pack's questions worth practising on `today`, ranked, from `histories` (the pack's
/// sessions' attempts, as `history::histories` gives them).
pub fn rank(pack: &Pack, histories: &[QuestionHistory], today: NaiveDate) -> Vec<Pick> {
    let mut ranked: Vec<(usize, Option<DateTime<FixedOffset>>, Pick)> = Vec::new();
    for (place, q) in pack.questions.iter().enumerate() {
        let h = histories.iter().find(|h| h.id == q.id);
        let mut found = reasons(h, today);
        if found.is_empty() {
            continue;
        }
        found.sort_by_key(Reason::urgency);
        let last = h.and_then(|h| h.history.iter().rev().find(|a| answered(a)));
        ranked.push((
            place,
            last.and_then(when),
            Pick {
                id: q.id.clone(),
                category: q.category.clone(),
                text: q.text.clone(),
                last_answered: last.map(|a| a.started_at.clone()),
                reasons: found
                    .into_iter()
                    .map(|reason| Why {
                        why: reason.why(),
                        reason,
                    })
                    .collect(),
            },
        ));
    }
    ranked.sort_by(|(a_place, a_when, a), (b_place, b_when, b)| {
        let urgency = |p: &Pick| p.reasons.first().map_or(u8::MAX, |w| w.reason.urgency());
        urgency(a)
            .cmp(&urgency(b))
            .then_with(|| b.reasons.len().cmp(&a.reasons.len()))
            .then_with(|| a_when.cmp(b_when))
            .then_with(|| a_place.cmp(b_place))
    });
    ranked.into_iter().map(|(_, _, p)| p).collect()
}

/// The ranked list for `pack` from the sessions in `recordings` that used it (sessions that
/// cannot be read are named in a warning and left out).
pub fn picks(pack: &Pack, recordings: &Path) -> Vec<Pick> {
    let sessions = history::load_sessions(recordings)
        .into_iter()
        .filter(|s| s.log.pack.name == pack.name);
    let histories = history::histories(sessions);
    rank(pack, &histories, chrono::Local::now().date_naive())
}

/// The picks as a table: number, question, why (wrapped).
pub fn table(picks: &[Pick], indent: usize) -> String {
    let mut table = Table::new()
        .indent(indent)
        .right("")
        .left("question")
        .text("why");
    for (i, p) in picks.iter().enumerate() {
        let why: Vec<&str> = p.reasons.iter().map(|w| w.why.as_str()).collect();
        table.row([format!("{}.", i + 1), p.id.clone(), why.join("; ")]);
    }
    table.fit()
}

/// `--pack NAME` to repeat the pack in a suggested command, unless it is the default.
fn pack_flag(pack: &Pack) -> String {
    if pack.name == DEFAULT_PACK {
        String::new()
    } else {
        format!(" --pack {}", pack.name)
    }
}

pub fn run(args: &NextArgs) -> anyhow::Result<()> {
    let pack = pack::load(args.pack.as_deref())?;
    let dir = &args.recordings.recordings;
    let mut picks = picks(&pack, dir);
    picks.truncate(args.count as usize);
    if args.json {
        outln(crate::ui::json(&picks)?);
        return Ok(());
    }
    if picks.is_empty() {
        outln(format!(
            "Nothing to practise in pack {} now: every question's last answer in {} was good, \
             and none is due for review yet.",
            pack.name,
            record::folder_label(dir)
        ));
        return Ok(());
    }
    outln(format!(
        "Worth practising next in pack {}, from your answers in {}:",
        pack.name,
        record::folder_label(dir)
    ));
    crate::ui::out(table(&picks, 2));
    outln(format!(
        "Practise them: voicemock run --next {}{}",
        picks.len(),
        pack_flag(&pack)
    ));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(verdict: Verdict, length_s: f64) -> TakeFacts {
        TakeFacts {
            limit_s: 120.0,
            min_s: 60.0,
            speaking_s: Some(length_s),
            pauses: Some(0),
            longest_pause_s: Some(0.0),
            talking_stopped_s: Some(length_s),
            ended_by: Some(crate::record::TakeEnd::Enter),
            verdict,
            over_s: if verdict == Verdict::Over {
                length_s - 120.0
            } else {
                0.0
            },
            ..TakeFacts::for_test(length_s)
        }
    }

    /// An attempt on `day` (of December 2026) with `verdict`.
    fn attempt(day: u32, verdict: Verdict, length_s: f64) -> Attempt {
        Attempt {
            session: format!("s{day}"),
            started_at: format!("2026-12-{day:02}T10:00:00+00:00"),
            take: 1,
            fillers_per_100_words: None,
            points_missed: Vec::new(),
            facts: facts(verdict, length_s),
        }
    }

    /// A made-up history of question `id` from `attempts`, its trends by the one rule.
    fn answered(id: &str, attempts: Vec<Attempt>) -> QuestionHistory {
        QuestionHistory::for_test(id, attempts)
    }

    fn today(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, day).unwrap()
    }

    fn kinds(r: &[Reason]) -> Vec<&'static str> {
        r.iter()
            .map(|r| match r {
                Reason::OverLimit { .. } => "over",
                Reason::UnderMinimum { .. } => "under",
                Reason::PointsMissed { .. } => "missed",
                Reason::GettingWorse { .. } => "worse",
                Reason::NeverAnswered { .. } => "never",
                Reason::Due { .. } => "due",
            })
            .collect()
    }

    #[test]
    fn every_reason_comes_from_the_stored_facts() {
        use Verdict::*;
        // Never attempted, or attempted without an answer.
        assert_eq!(
            reasons(None, today(5)),
            vec![Reason::NeverAnswered { asked: 0 }]
        );
        let silent = answered(
            "q",
            vec![attempt(1, NoSpeech, 10.0), attempt(2, Unfinished, 3.0)],
        );
        assert_eq!(
            reasons(Some(&silent), today(5)),
            vec![Reason::NeverAnswered { asked: 2 }]
        );
        assert!(Reason::NeverAnswered { asked: 2 }
            .why()
            .contains("2 takes without"));

        // The last answer over its limit or cut off; under its minimum. A later take without
        // an answer does not hide it.
        for (verdict, kind) in [(Over, "over"), (CutOff, "over"), (Under, "under")] {
            let h = answered(
                "q",
                vec![attempt(1, verdict, 130.0), attempt(2, NoSpeech, 5.0)],
            );
            let r = reasons(Some(&h), today(2));
            assert_eq!(kinds(&r), [kind], "{verdict:?}");
            let why = r[0].why();
            assert!(why.starts_with("last answer "), "{why}");
            assert!(why.contains("2:10 of 2:00"), "{why}");
        }
        // The verdict is the stored one, never worked out again from the length.
        let mut odd = attempt(1, Within, 130.0);
        odd.facts.verdict = Within;
        assert!(reasons(Some(&answered("q", vec![odd])), today(1)).is_empty());

        // Talking points missed.
        let mut missed = attempt(1, Within, 90.0);
        missed.points_missed = vec!["a number".into()];
        let r = reasons(Some(&answered("q", vec![missed])), today(1));
        assert_eq!(
            r,
            vec![Reason::PointsMissed {
                missed: vec!["a number".into()]
            }]
        );

        // A measure getting worse: three earlier attempts well inside the band, then one over.
        let worse = answered(
            "q",
            vec![
                attempt(1, Within, 90.0),
                attempt(2, Within, 90.0),
                attempt(3, Within, 90.0),
                attempt(4, Over, 150.0),
            ],
        );
        let r = reasons(Some(&worse), today(4));
        assert_eq!(kinds(&r), ["over", "worse"]);
        assert!(r[1].why().contains("length"), "{}", r[1].why());
        // With only two earlier attempts, no trend, so not "getting worse".
        let few = answered(
            "q",
            vec![
                attempt(1, Within, 90.0),
                attempt(2, Within, 90.0),
                attempt(4, Over, 150.0),
            ],
        );
        assert_eq!(kinds(&reasons(Some(&few), today(4))), ["over"]);
    }

    #[test]
    fn a_good_answer_is_due_again_after_1_3_7_and_14_days() {
        use Verdict::*;
        // (good answers in a row, the last on the 1st, today, due?)
        let cases = [
            (1, 1, false),
            (1, 2, true),
            (2, 3, false),
            (2, 4, true),
            (3, 7, false),
            (3, 8, true),
            (4, 14, false),
            (4, 15, true),
            (6, 15, true),
            (6, 14, false),
        ];
        for (good, day, due) in cases {
            // Earlier good answers on earlier days (November), the last on December 1st, after
            // an answer over its limit that breaks any older run.
            let mut list = vec![Attempt {
                started_at: "2026-10-01T10:00:00+00:00".into(),
                ..attempt(1, Over, 150.0)
            }];
            for i in 1..good {
                list.push(Attempt {
                    started_at: format!("2026-11-{:02}T10:00:00+00:00", i + 1),
                    ..attempt(1, Within, 90.0)
                });
            }
            list.push(attempt(1, Within, 90.0));
            let r = reasons(Some(&answered("q", list)), today(day));
            if due {
                assert_eq!(
                    r,
                    vec![Reason::Due {
                        good_in_a_row: good,
                        days_since: i64::from(day) - 1,
                        every_days: REVIEW_DAYS[good.min(4) - 1],
                    }],
                    "{good} good, day {day}"
                );
            } else {
                assert!(r.is_empty(), "{good} good, day {day}: {r:?}");
            }
        }
    }

    #[test]
    fn the_ranking_puts_the_most_urgent_reason_first_then_more_reasons_then_older() {
        use Verdict::*;
        let pack = crate::pack::load(None).unwrap();
        let id = |i: usize| pack.questions[i].id.clone();
        let mut missed = attempt(3, Within, 90.0);
        missed.points_missed = vec!["x".into()];
        let mut over_and_missed = attempt(3, Over, 150.0);
        over_and_missed.points_missed = vec!["x".into()];
        let histories = vec![
            // Answered well on the 2nd: not due on the 2nd, so not listed.
            answered(&id(0), vec![attempt(2, Within, 90.0)]),
            answered(&id(1), vec![attempt(2, Over, 150.0)]),
            answered(&id(2), vec![over_and_missed]),
            answered(&id(3), vec![attempt(1, Over, 150.0)]),
            answered(&id(4), vec![missed]),
            answered(&id(5), vec![attempt(1, Under, 30.0)]),
        ];
        let picks = rank(&pack, &histories, today(2));
        let order: Vec<&str> = picks.iter().map(|p| p.id.as_str()).collect();
        let mut expected = vec![
            id(2), // over, and points missed: two reasons
            id(3), // over, answered on the 1st
            id(1), // over, answered on the 2nd
            id(5), // under
            id(4), // points missed
        ];
        // Then every question never answered, in pack order.
        expected.extend((6..pack.questions.len()).map(id));
        assert_eq!(order, expected);
        assert!(picks[0].reasons[0].why.starts_with("last answer over"));
        assert_eq!(
            picks[0].last_answered.as_deref(),
            Some("2026-12-03T10:00:00+00:00")
        );
        // The same histories give the same list: nothing random, nothing from the clock but
        // `today`.
        let again: Vec<String> = rank(&pack, &histories, today(2))
            .into_iter()
            .map(|p| p.id)
            .collect();
        assert_eq!(again, order);
        // A day later the good answer is due, after every question never answered.
        let later = rank(&pack, &histories, today(3));
        assert_eq!(later.last().map(|p| p.id.clone()), Some(id(0)));
        let json = crate::ui::json(&later).unwrap();
        assert!(json.contains("\"reason\": \"due\""), "{json}");
    }
}
