//! `voicemock sessions`: the recorded sessions, newest first, from their logs alone.
//!
//! JSON shape: an array, newest first, of `{"id", "dir", "started_at", "pack", "kind",
//! "answered", "asked", "speaking_s", "over_limit", "status"}`; a folder whose log cannot be
//! read is `{"id", "dir", "status": "damaged", "error"}`; a session with damaged takes (files
//! the log names that are not files of its folder) lists them in `"damaged_takes": [REASON]`.

use std::fmt::Write as _;
use std::path::PathBuf;

use serde::Serialize;

use crate::cli::SessionsArgs;
use crate::record::{self, Entry};
use crate::ui::mmss;

#[derive(Serialize)]
struct Row {
    id: String,
    dir: PathBuf,
    #[serde(skip_serializing_if = "Option::is_none")]
    started_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pack: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    answered: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    asked: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    speaking_s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    over_limit: Option<usize>,
    status: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    damaged_takes: Vec<String>,
}

fn row(entry: &Entry) -> Row {
    match &entry.result {
        Ok(s) => {
            let (answered, asked) = s.log.answered_of_asked();
            Row {
                id: s.log.id.clone(),
                dir: entry.dir.clone(),
                started_at: Some(s.log.started_at.clone()),
                pack: Some(s.log.pack.name.clone()),
                kind: Some(s.log.kind.clone()),
                answered: Some(answered),
                asked: Some(asked),
                speaking_s: Some(record::format::round_ms(s.log.speaking_s())),
                over_limit: Some(s.log.over_limit()),
                status: s.standing.label(),
                error: None,
                damaged_takes: s.damaged.iter().map(ToString::to_string).collect(),
            }
        }
        Err(e) => Row {
            id: entry.name(),
            dir: entry.dir.clone(),
            started_at: None,
            pack: None,
            kind: None,
            answered: None,
            asked: None,
            speaking_s: None,
            over_limit: None,
            status: "damaged",
            error: Some(e.to_string()),
            damaged_takes: Vec::new(),
        },
    }
}

pub fn run(args: &SessionsArgs) -> anyhow::Result<()> {
    let dir = &args.recordings.recordings;
    let rows: Vec<Row> = record::list(dir).iter().map(row).collect();
    let out = if args.json {
        serde_json::to_string_pretty(&rows)?
    } else if rows.is_empty() {
        format!(
            "No sessions in {} yet: record one with `voicemock run`.",
            dir.display()
        )
    } else {
        table(&rows)
    };
    crate::ui::outln(out);
    Ok(())
}

fn table(rows: &[Row]) -> String {
    let width = rows
        .iter()
        .map(|r| r.id.chars().count())
        .max()
        .unwrap_or(7)
        .max(7);
    let mut s = String::new();
    let _ = writeln!(
        s,
        "{:<width$}  {:<16}  {:<12}  {:>8}  {:>8}  {:>4}  status",
        "session", "date", "pack", "answered", "speaking", "over"
    );
    for r in rows {
        let date = r
            .started_at
            .as_deref()
            .and_then(|d| d.get(..16))
            .map_or_else(|| "—".to_string(), |d| d.replace('T', " "));
        let answered = match (r.answered, r.asked) {
            (Some(a), Some(b)) => format!("{a} of {b}"),
            _ => "—".into(),
        };
        let _ = writeln!(
            s,
            "{:<width$}  {:<16}  {:<12}  {:>8}  {:>8}  {:>4}  {}",
            r.id,
            date,
            r.pack.as_deref().unwrap_or("—"),
            answered,
            r.speaking_s.map_or_else(|| "—".into(), mmss),
            r.over_limit.map_or_else(|| "—".into(), |n| n.to_string()),
            r.status
        );
    }
    for r in rows.iter().filter(|r| r.error.is_some()) {
        let _ = writeln!(s, "\n{}: {}", r.id, r.error.as_deref().unwrap_or(""));
    }
    for r in rows {
        for d in &r.damaged_takes {
            let _ = writeln!(s, "\n{}: {d}", r.id);
        }
    }
    s.truncate(s.trim_end().len());
    s
}
