//! `voicemock compare QUESTION`: every take of one question across the recorded sessions,
//! oldest first, so a reader sees how the answer changed.
//!
//! JSON shape: an array, oldest first, of `{"session", "started_at", "take", "file",
//! "duration_s", "limit_s", "ended_by", "first_speech_s", "longest_pause_s", "est_wpm"}`, with
//! `"damaged": REASON` on a take whose file is left alone.

use std::path::PathBuf;

use anyhow::bail;
use serde::Serialize;

use crate::cli::CompareArgs;
use crate::record::{self, TakeEnd};
use crate::ui::{mmss, Table};

/// One take of the question, with where it came from.
#[derive(Debug, Clone, Serialize)]
pub struct TakeRow {
    pub session: String,
    pub started_at: String,
    pub take: u32,
    pub file: PathBuf,
    /// Why the take's file is left alone, if it is damaged (see `record::contained`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub damaged: Option<String>,
    pub duration_s: f64,
    pub limit_s: f64,
    pub ended_by: Option<TakeEnd>,
    pub first_speech_s: Option<f64>,
    pub longest_pause_s: Option<f64>,
    pub est_wpm: Option<f64>,
    /// The question as it was asked, for announcing it.
    #[serde(skip)]
    pub text: String,
}

/// The takes of `question` in one session, in order.
pub fn rows_of(session: &record::Session, question: &str) -> Vec<TakeRow> {
    session
        .log
        .takes()
        .filter(|(q, _)| q.id == question)
        .map(|(q, t)| {
            let m = t.analysis.as_ref().filter(|m| m.first_speech_s.is_some());
            TakeRow {
                session: session.log.id.clone(),
                started_at: t.started_at.clone(),
                take: t.take,
                file: session.dir.join(&t.file),
                damaged: session.damage(t).map(ToString::to_string),
                duration_s: t.duration_s,
                limit_s: t.limit_s,
                ended_by: t.ended_by,
                first_speech_s: m.and_then(|m| m.first_speech_s),
                longest_pause_s: m.map(|m| m.longest_pause_s),
                est_wpm: m.map(|m| m.est_wpm),
                text: q.text.clone(),
            }
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
        super::replay::play_rows(&rows, args)?;
    }
    Ok(())
}

/// Takes side by side: date, take, length against limit, first words, longest pause, pace,
/// how each ended.
pub fn table(rows: &[TakeRow]) -> String {
    let mut table = Table::new()
        .right("#")
        .left("date")
        .right("take")
        .right("length")
        .right("first")
        .right("longest")
        .right("wpm")
        .text("ended");
    for (i, r) in rows.iter().enumerate() {
        let date = r
            .started_at
            .get(..16)
            .map_or_else(|| r.started_at.clone(), |d| d.replace('T', " "));
        table.row([
            (i + 1).to_string(),
            date,
            r.take.to_string(),
            format!("{}/{}", mmss(r.duration_s), mmss(r.limit_s)),
            r.first_speech_s
                .map_or_else(|| "—".into(), |f| format!("{f:.1}s")),
            r.longest_pause_s
                .map_or_else(|| "—".into(), |p| format!("{p:.1}s")),
            r.est_wpm.map_or_else(|| "—".into(), |w| format!("{w:.0}")),
            crate::report::ended_by_label(r.ended_by).to_string(),
        ]);
    }
    let mut s = table.fit();
    for (i, r) in rows.iter().enumerate() {
        if let Some(reason) = &r.damaged {
            s.push_str(&crate::ui::fit(&format!("#{}: {reason}", i + 1)));
            s.push('\n');
        }
    }
    s.push_str(&crate::ui::fit(&format!(
        "{} take{} of \"{}\"",
        rows.len(),
        if rows.len() == 1 { "" } else { "s" },
        rows.first().map_or("", |r| r.text.as_str())
    )));
    s
}
