//! `voicemock history`: every answer to every question over all sessions, read through the
//! one session reader, and whether the latest attempt is better than the candidate's own
//! earlier ones.
//!
//! Drill rounds (answers held to a drill's shrinking limits) are kept apart from full
//! attempts: they are listed and counted as drill rounds, never as a question's last or best.
//!
//! JSON shape: an array of questions (most attempted first) `{"id", "category", "text",
//! "attempts", "over_limit_share", "last": ATTEMPT|null, "best": ATTEMPT|null, "trend":
//! {"length", "first_words", "pace", "longest_pause", "fillers", "pitch_variation"}, "history": [ATTEMPT…],
//! "drill_rounds": [ATTEMPT…]}` where ATTEMPT is `{"session", "started_at", "take",
//! "fillers_per_100_words", "facts": FACTS}` (FACTS: the take's facts as the log keeps them)
//! and a trend is "better", "same", "worse", `{"too_few": N}` (N earlier values, fewer than a
//! trend needs: `record::trend`) or null (the latest has no such figure).

use std::collections::BTreeMap;

use anyhow::bail;
use serde::Serialize;

use crate::cli::HistoryArgs;
use crate::record::facts::{pace_text, seconds, semitones_text, PACE_BAND_WPM};
pub use crate::record::trend::Trend;
use crate::record::trend::{self as rule, length_miss, trend, FactTrends};
use crate::record::{self, TakeFacts};
use crate::ui::{mmss, Table};

#[derive(Debug, Clone, Serialize)]
pub struct Attempt {
    pub session: String,
    pub started_at: String,
    pub take: u32,
    /// From the take's facts, once it has a transcript: fillers per 100 words (a lower bound).
    pub fillers_per_100_words: Option<f64>,
    /// From the transcript, when there is one: the question's talking points it missed.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub points_missed: Vec<String>,
    pub facts: TakeFacts,
}

#[derive(Debug, Clone, Serialize)]
pub struct Trends {
    pub length: Option<Trend>,
    pub first_words: Option<Trend>,
    pub pace: Option<Trend>,
    pub longest_pause: Option<Trend>,
    pub fillers: Option<Trend>,
    /// More pitch variation is better (a monotone voice is the fault looked for).
    pub pitch_variation: Option<Trend>,
}

impl Trends {
    /// The trends of the figures every take's facts hold (by the one rule, [`FactTrends`]),
    /// with those of the two figures an attempt adds.
    pub fn new(
        facts: FactTrends,
        fillers: Option<Trend>,
        pitch_variation: Option<Trend>,
    ) -> Trends {
        Trends {
            length: facts.length,
            first_words: facts.first_words,
            pace: facts.pace,
            longest_pause: facts.longest_pause,
            fillers,
            pitch_variation,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct QuestionHistory {
    pub id: String,
    pub category: String,
    pub text: String,
    pub attempts: usize,
    pub over_limit_share: f64,
    pub last: Option<Attempt>,
    pub best: Option<Attempt>,
    pub trend: Trends,
    pub history: Vec<Attempt>,
    pub drill_rounds: Vec<Attempt>,
}

#[cfg(test)]
impl QuestionHistory {
    /// Question `id` answered in `attempts`, oldest first, its trends by the one rule (no
    /// transcript or voice, so no fillers or pitch trend), as `histories` would give it.
    pub fn for_test(id: &str, attempts: Vec<Attempt>) -> QuestionHistory {
        let facts: Vec<&TakeFacts> = attempts.iter().map(|a| &a.facts).collect();
        QuestionHistory {
            id: id.into(),
            category: "c".into(),
            text: format!("{id}?"),
            attempts: attempts.len(),
            over_limit_share: 0.0,
            last: attempts.last().cloned(),
            best: attempts.last().cloned(),
            trend: Trends::new(FactTrends::of(&facts), None, None),
            history: attempts,
            drill_rounds: Vec::new(),
        }
    }
}

/// A take's pitch variation negated, for `trend` (lower is better): more variation is better.
fn flatness(a: &Attempt) -> Option<f64> {
    a.facts.voice.map(|v| -v.pitch_sd_st)
}

/// Pitch variations this close (semitones) are the same: a tenth is what is shown, and a few
/// tenths is the spread between takes of one speaker reading alike.
const PITCH_SAME_ST: f64 = 0.3;

/// Every answer per question in `sessions` (taken oldest first), with the trends.
pub fn histories(sessions: impl Iterator<Item = record::Session>) -> Vec<QuestionHistory> {
    type Answers = (String, String, Vec<Attempt>, Vec<Attempt>);
    let mut by_question: BTreeMap<String, Answers> = BTreeMap::new();
    let mut sessions: Vec<record::Session> = sessions.collect();
    sessions.sort_by(|a, b| a.log.started_at.cmp(&b.log.started_at));
    for s in &sessions {
        for q in &s.log.questions {
            for t in &q.takes {
                // An abandoned take (the question asked again) is not an attempt; a damaged
                // take is shown by `run` below and left out.
                if !rule::is_attempt(s, t) {
                    continue;
                }
                let Some(facts) = t.facts.clone() else {
                    continue;
                };
                let attempt = Attempt {
                    session: s.log.id.clone(),
                    started_at: t.started_at.clone(),
                    take: t.take,
                    fillers_per_100_words: facts.words.as_ref().map(|w| w.fillers_per_100_words),
                    points_missed: t
                        .transcript
                        .as_ref()
                        .map(|tr| tr.missed.clone())
                        .unwrap_or_default(),
                    facts,
                };
                let entry = by_question.entry(q.id.clone()).or_insert_with(|| {
                    (q.category.clone(), q.text.clone(), Vec::new(), Vec::new())
                });
                if s.log.is_drill() {
                    entry.3.push(attempt);
                } else {
                    entry.2.push(attempt);
                }
            }
        }
    }
    let mut out: Vec<QuestionHistory> = by_question
        .into_iter()
        .map(|(id, (category, text, history, drill_rounds))| {
            let last = history.last().cloned();
            let best = history
                .iter()
                .min_by(|a, b| length_miss(&a.facts).total_cmp(&length_miss(&b.facts)))
                .cloned();
            let facts: Vec<&TakeFacts> = history.iter().map(|a| &a.facts).collect();
            let of_facts = FactTrends::of(&facts);
            let fillers: Vec<Option<f64>> =
                history.iter().map(|a| a.fillers_per_100_words).collect();
            let pitch: Vec<Option<f64>> = history.iter().map(flatness).collect();
            QuestionHistory {
                over_limit_share: if history.is_empty() {
                    0.0
                } else {
                    history.iter().filter(|a| a.facts.verdict.is_over()).count() as f64
                        / history.len() as f64
                },
                attempts: history.len(),
                trend: Trends::new(of_facts, trend(&fillers, 1.0), trend(&pitch, PITCH_SAME_ST)),
                last,
                best,
                history,
                drill_rounds,
                id,
                category,
                text,
            }
        })
        .collect();
    out.sort_by(|a, b| {
        b.attempts
            .cmp(&a.attempts)
            .then_with(|| b.drill_rounds.len().cmp(&a.drill_rounds.len()))
            .then_with(|| a.id.cmp(&b.id))
    });
    out
}

/// The sessions in `dir` that load, each damaged take and each session that does not load
/// named in a warning.
pub fn load_sessions(dir: &std::path::Path) -> Vec<record::Session> {
    let mut sessions = Vec::new();
    for entry in record::list(dir) {
        match entry.result {
            Ok(s) => {
                for d in &s.damaged {
                    crate::ui::warn(format_args!("{}: {d}", s.name()));
                }
                sessions.push(s);
            }
            Err(e) => crate::ui::warn(format_args!("skipping {}: {e}", entry.dir.display())),
        }
    }
    sessions
}

pub fn run(args: &HistoryArgs) -> anyhow::Result<()> {
    let dir = &args.recordings.recordings;
    let mut all = histories(load_sessions(dir).into_iter());
    if all.is_empty() {
        bail!(
            "{}; record some with `voicemock run`; {}",
            record::nothing_in("recorded answers", dir),
            record::ELSEWHERE
        );
    }
    for id in &args.questions {
        if !all.iter().any(|h| &h.id == id) {
            bail!(
                "no answers to \"{id}\"{} in {}; questions with answers: {}",
                crate::suggest::did_you_mean(id, all.iter().map(|h| h.id.as_str())),
                record::folder_label(dir),
                all.iter()
                    .map(|h| h.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    let categories: Vec<String> = {
        let mut seen = Vec::new();
        for h in &all {
            if !seen.contains(&h.category) {
                seen.push(h.category.clone());
            }
        }
        seen
    };
    all.retain(|h| {
        (args.questions.is_empty() || args.questions.contains(&h.id))
            && (args.categories.is_empty() || args.categories.contains(&h.category))
    });
    if all.is_empty() {
        let hint = args
            .categories
            .iter()
            .map(|c| crate::suggest::did_you_mean(c, categories.iter().map(String::as_str)))
            .find(|h| !h.is_empty())
            .unwrap_or_default();
        bail!(
            "no answers in categories {}{hint} in {}; categories with answers: {}",
            args.categories.join(", "),
            record::folder_label(dir),
            categories.join(", ")
        );
    }
    let out = if args.json {
        crate::ui::json(&all)?
    } else {
        table(&all)
    };
    crate::ui::outln(out);
    Ok(())
}

fn secs(v: Option<f64>) -> String {
    v.map_or_else(|| "—".into(), seconds)
}

fn table(all: &[QuestionHistory]) -> String {
    let mut table = Table::new()
        .left("question")
        .right("tries")
        .right("last")
        .right("best")
        .right("over")
        .right("first")
        .right("pace")
        .right("pause")
        .right("fillers")
        .right("pitch");
    for h in all {
        let len = |a: Option<&Attempt>| {
            a.map_or_else(
                || "—".into(),
                |a| format!("{}/{}", mmss(a.facts.length_s), mmss(a.facts.limit_s)),
            )
        };
        let with = |value: String, t: Option<Trend>| format!("{value} {}", Trend::arrow(t));
        let last = h.last.as_ref();
        table.row([
            h.id.clone(),
            h.attempts.to_string(),
            with(len(last), h.trend.length),
            len(h.best.as_ref()),
            format!("{:.0}%", h.over_limit_share * 100.0),
            with(
                secs(last.and_then(|a| a.facts.first_words_s)),
                h.trend.first_words,
            ),
            with(
                last.and_then(|a| a.facts.pace)
                    .map_or_else(|| "—".into(), pace_text),
                h.trend.pace,
            ),
            with(
                secs(last.and_then(|a| a.facts.longest_pause_s)),
                h.trend.longest_pause,
            ),
            with(
                last.and_then(|a| a.fillers_per_100_words)
                    .map_or_else(|| "—".into(), |f| format!("{f:.1}")),
                h.trend.fillers,
            ),
            with(
                last.and_then(|a| a.facts.voice)
                    .map_or_else(|| "—".into(), |v| semitones_text(v.pitch_sd_st)),
                h.trend.pitch_variation,
            ),
        ]);
        if let Some(Trend::TooFew(n)) = h.trend.length {
            table.note(&format!(
                "{} — too few for a trend (it needs {})",
                earlier(n),
                rule::MIN_EARLIER
            ));
        }
        if !h.drill_rounds.is_empty() {
            let rounds: Vec<String> = h
                .drill_rounds
                .iter()
                .map(|a| format!("{}/{}", mmss(a.facts.length_s), mmss(a.facts.limit_s)))
                .collect();
            table.note(&format!(
                "+ {} drill round{} (not attempts): {}",
                h.drill_rounds.len(),
                if h.drill_rounds.len() == 1 { "" } else { "s" },
                rounds.join(", ")
            ));
        }
    }
    let mut s = table.fit();
    s.push_str(&crate::ui::fit(&format!(
        "last = your latest attempt; ↑ better, = same, ↓ worse than the median of your \
         earlier attempts at that question, once there are {} of them (· fewer) (length: nearer its useful range; pace: nearer \
         {:.0}–{:.0} wpm; first words and pauses: shorter; fillers per 100 words, from \
         transcripts: fewer; pitch variation in semitones: more); drill rounds are listed apart",
        rule::MIN_EARLIER,
        PACE_BAND_WPM.0,
        PACE_BAND_WPM.1
    )));
    s
}

/// "no earlier attempt", "1 earlier attempt", "2 earlier attempts".
fn earlier(n: usize) -> String {
    match n {
        0 => "no earlier attempt".into(),
        1 => "1 earlier attempt".into(),
        n => format!("{n} earlier attempts"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn attempt(length_s: f64) -> Attempt {
        Attempt {
            session: "s".into(),
            started_at: String::new(),
            take: 1,
            fillers_per_100_words: None,
            points_missed: Vec::new(),
            facts: TakeFacts::for_test(length_s),
        }
    }

    /// A question answered with these lengths, oldest first, as `histories` would give it.
    fn answered(lengths: &[f64]) -> QuestionHistory {
        QuestionHistory::for_test("q", lengths.iter().map(|&l| attempt(l)).collect())
    }

    #[test]
    fn more_pitch_variation_is_better() {
        let with = |sd: Option<f64>| {
            let mut a = attempt(45.0);
            a.facts.voice = sd.map(|pitch_sd_st| crate::record::format::VoiceFacts {
                pitch_sd_st,
                monotone: pitch_sd_st < crate::analysis::MONOTONE_BELOW_ST,
            });
            flatness(&a)
        };
        let livelier = [
            with(Some(1.1)),
            with(Some(1.2)),
            with(Some(1.0)),
            with(Some(2.4)),
        ];
        assert_eq!(trend(&livelier, PITCH_SAME_ST), Some(Trend::Better));
        let flatter = [
            with(Some(2.4)),
            with(Some(2.5)),
            with(Some(2.2)),
            with(Some(1.1)),
        ];
        assert_eq!(trend(&flatter, PITCH_SAME_ST), Some(Trend::Worse));
        let same = [
            with(Some(2.4)),
            with(None),
            with(Some(2.5)),
            with(Some(2.3)),
            with(Some(2.6)),
        ];
        assert_eq!(trend(&same, PITCH_SAME_ST), Some(Trend::Same));
    }

    #[test]
    fn the_table_draws_a_trend_only_after_three_earlier_attempts() {
        // 0, 1, 2 earlier attempts: no arrow, and the row says why.
        for (lengths, says) in [
            (&[90.0][..], "no earlier attempt — too few for a trend"),
            (&[90.0, 45.0], "1 earlier attempt — too few for a trend"),
            (
                &[90.0, 90.0, 45.0],
                "2 earlier attempts — too few for a trend",
            ),
        ] {
            let out = table(&[answered(lengths)]);
            assert!(out.contains(says), "{lengths:?}:\n{out}");
            let last = mmss(lengths[lengths.len() - 1]);
            assert!(
                out.contains(&format!("{last}/1:00 ·")),
                "{lengths:?}:\n{out}"
            );
        }
        // 3 earlier attempts: the arrow, and no such note.
        let out = table(&[answered(&[90.0, 90.0, 90.0, 45.0])]);
        assert!(out.contains("0:45/1:00 ↑"), "{out}");
        assert!(!out.contains("too few for a trend"), "{out}");
    }
}
