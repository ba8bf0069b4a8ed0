//! `voicemock sessions`: the recorded sessions, newest first, from their logs alone.
//!
//! JSON shape: an array, newest first, of `{"id", "dir", "started_at", "pack", "kind",
//! "answered", "asked", "speaking_s", "over_limit", "status"}`; a folder whose log cannot be
//! read is `{"id", "dir", "status": "damaged", "error"}`; a session with damaged takes (files
//! the log names that are not files of its folder) lists them in `"damaged_takes": [REASON]`.

use std::path::PathBuf;

use serde::Serialize;

use crate::cli::SessionsArgs;
use crate::record::{self, Entry};
use crate::ui::{mmss, Table};

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
        crate::ui::json(&rows)?
    } else if rows.is_empty() {
        crate::ui::fit(&format!(
            "{}; record one with `voicemock run`; {}.",
            capitalized(&record::nothing_in("sessions", dir)),
            record::ELSEWHERE
        ))
    } else {
        table(&rows)
    };
    crate::ui::outln(out);
    Ok(())
}

fn table(rows: &[Row]) -> String {
    let mut table = Table::new()
        .left("session")
        .left("date")
        .left("pack")
        .right("answered")
        .right("speaking")
        .right("over")
        .left("status");
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
        table.row([
            r.id.clone(),
            date,
            r.pack.clone().unwrap_or_else(|| "—".into()),
            answered,
            r.speaking_s.map_or_else(|| "—".into(), mmss),
            r.over_limit.map_or_else(|| "—".into(), |n| n.to_string()),
            r.status.to_string(),
        ]);
    }
    let mut s = table.fit();
    for r in rows.iter().filter(|r| r.error.is_some()) {
        s.push('\n');
        s.push_str(&crate::ui::fit(&format!(
            "{}: {}",
            r.id,
            r.error.as_deref().unwrap_or("")
        )));
        s.push('\n');
    }
    for r in rows {
        for d in &r.damaged_takes {
            s.push('\n');
            s.push_str(&crate::ui::fit(&format!("{}: {d}", r.id)));
            s.push('\n');
        }
    }
    s.truncate(s.trim_end().len());
    s
}

/// `text` with its first letter in capitals: a sentence of its own.
fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}
