//! `voicemock compare QUESTION`: every take of one question across the recorded sessions,
//! oldest first, so a reader sees how the answer changed.
//!
//! A drill's rounds are shown as drill rounds ("round 2"), apart from full attempts.
//!
//! JSON shape: an array, oldest first, of `{"session", "started_at", "take", "file",
//! "drill_round", "facts": FACTS}` (`drill_round`: the round's number in a drill, else null;
//! FACTS: the take's facts as the log keeps them), with `"damaged": REASON` on a take whose
//! file is left alone.

use std::path::PathBuf;

use anyhow::bail;
use serde::Serialize;

use super::replay;
use crate::cli::CompareArgs;
use crate::record::facts::{pace_text, seconds};
use crate::record::{self, TakeFacts};
use crate::ui::{mmss, Table};

/// One take of the question, with where it came from.
#[derive(Debug, Clone, Serialize)]
pub struct TakeRow {
    pub session: String,
    pub started_at: String,
    pub take: u32,
    pub file: PathBuf,
    /// The round's number when the take was a round of a drill.
    pub drill_round: Option<u32>,
    /// Why the take's file is left alone, if it is damaged (see `record::contained`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub damaged: Option<String>,
    pub facts: TakeFacts,
    /// The question as it was asked, for announcing it.
    #[serde(skip)]
    pub text: String,
    /// Seconds of audio in the file, for the player's bar.
    #[serde(skip)]
    pub file_s: f64,
}

/// The takes of `question` in one session, in order.
pub fn rows_of(session: &record::Session, question: &str) -> Vec<TakeRow> {
    session
        .log
        .takes()
        .filter(|(q, _)| q.id == question)
        .filter_map(|(q, t)| {
            Some(TakeRow {
                session: session.log.id.clone(),
                started_at: t.started_at.clone(),
                take: t.take,
                file: session.dir.join(&t.file),
                drill_round: session.log.is_drill().then_some(t.take),
                damaged: session.damage(t).map(ToString::to_string),
                facts: t.facts.clone()?,
                text: q.text.clone(),
                file_s: t.duration_s,
            })
        })
        .collect()
}

/// Every take of `question` in `recordings`, oldest first. Damaged sessions are skipped with
/// a warning on stderr.
pub fn takes_of(recordings: &std::path::Path, question: &str) -> (Vec<TakeRow>, Vec<String>) {
    let mut rows = Vec::new();
    let mut ids = std::collections::BTreeSet::new();
    for entry in record::list(recordings).into_iter().rev() {
        let session = match entry.result {
            Ok(s) => s,
            Err(e) => {
                crate::ui::warn(format_args!("skipping {}: {e}", entry.dir.display()));
                continue;
            }
        };
        ids.extend(
            session
                .log
                .questions
                .iter()
                .filter(|q| !q.takes.is_empty())
                .map(|q| q.id.clone()),
        );
        rows.extend(rows_of(&session, question));
    }
    (rows, ids.into_iter().collect())
}

pub fn run(args: &CompareArgs) -> anyhow::Result<()> {
    let recordings = &args.recordings.recordings;
    let (mut rows, ids) = takes_of(recordings, &args.question);
    if rows.is_empty() {
        if ids.is_empty() {
            bail!(
                "{}; record some with `voicemock run --question {}`; {}",
                record::nothing_in("recorded takes", recordings),
                args.question,
                record::ELSEWHERE
            );
        }
        bail!(
            "no take of \"{}\"{} in {}; questions with takes: {}",
            args.question,
            crate::suggest::did_you_mean(&args.question, ids.iter().map(String::as_str)),
            record::folder_label(recordings),
            ids.join(", ")
        );
    }
    if let Some(n) = args.last {
        if n == 0 {
            bail!("--last must be at least 1");
        }
        let skip = rows.len().saturating_sub(n);
        rows.drain(..skip);
    }
    let out = if args.json {
        crate::ui::json(&rows)?
    } else {
        table(&rows)
    };
    crate::ui::outln(out);
    if args.play {
        play_rows(&rows, args)?;
    }
    Ok(())
}

/// `compare --play`: the takes of one question, oldest first, each announced.
fn play_rows(rows: &[TakeRow], args: &CompareArgs) -> anyhow::Result<()> {
    let items: Vec<replay::Item> = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let date = r
                .started_at
                .get(..16)
                .map_or_else(|| r.started_at.clone(), |d| d.replace('T', " "));
            replay::Item {
                heading: vec![
                    String::new(),
                    format!(
                        "Take {} of {}: {date}{}, {}",
                        i + 1,
                        rows.len(),
                        r.drill_round
                            .map_or_else(String::new, |n| format!(", drill round {n}")),
                        crate::report::take_summary(&r.facts)
                    ),
                ],
                say: Some(format!("Take {} of {}.", i + 1, rows.len())),
                path: match &r.damaged {
                    None => Ok(r.file.clone()),
                    Some(reason) => Err(reason.clone()),
                },
                duration_s: r.file_s,
                pauses: Vec::new(),
            }
        })
        .collect();
    replay::play_items(&items, args.no_speak, args.output.as_deref())
}

/// Takes side by side: date, take (or drill round), length against limit, first words,
/// longest pause, pace, how each ended.
pub fn table(rows: &[TakeRow]) -> String {
    let mut table = Table::new()
        .right("#")
        .left("date")
        .right("take")
        .right("length")
        .right("first")
        .right("longest")
        .right("pace")
        .text("ended");
    for (i, r) in rows.iter().enumerate() {
        let date = r
            .started_at
            .get(..16)
            .map_or_else(|| r.started_at.clone(), |d| d.replace('T', " "));
        let f = &r.facts;
        table.row([
            (i + 1).to_string(),
            date,
            r.drill_round
                .map_or_else(|| r.take.to_string(), |n| format!("round {n}")),
            format!("{}/{}", mmss(f.length_s), mmss(f.limit_s)),
            f.first_words_s.map_or_else(|| "—".into(), seconds),
            f.longest_pause_s.map_or_else(|| "—".into(), seconds),
            f.pace.map_or_else(|| "—".into(), pace_text),
            crate::report::take_ending(f),
        ]);
    }
    let drill = rows.iter().filter(|r| r.drill_round.is_some()).count();
    let mut s = table.fit();
    for (i, r) in rows.iter().enumerate() {
        if let Some(reason) = &r.damaged {
            s.push_str(&crate::ui::fit(&format!("#{}: {reason}", i + 1)));
            s.push('\n');
        }
    }
    let mut closing = format!(
        "{} take{} of \"{}\"",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        rows.first().map_or("", |r| r.text.as_str())
    );
    if drill > 0 {
        closing.push_str(&format!(
            " ({drill} of them drill round{}, held to a drill's shorter limits)",
            if drill == 1 { "" } else { "s" }
        ));
    }
    s.push_str(&crate::ui::fit(&closing));
    s
}
