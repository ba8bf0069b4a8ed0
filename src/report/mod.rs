//! What a session tells its user afterwards: the one-line take summary, the summary table,
//! and `review.md`, the self-review sheet. Pure text out of the log; no I/O here.

use std::fmt::Write;

use crate::analysis::Measures;
use crate::session::log::{Outcome, QuestionLog, SessionLog, TakeLog};
use crate::session::machine::EndedBy;
use crate::ui::mmss;

pub fn ended_by_label(e: Option<EndedBy>) -> &'static str {
    match e {
        Some(EndedBy::Enter) => "ended by you",
        Some(EndedBy::Limit) => "stopped at the limit",
        Some(EndedBy::Skip) => "skipped",
        Some(EndedBy::Repeat) => "restarted",
        Some(EndedBy::Quit) => "session quit",
        Some(EndedBy::Interrupt) => "interrupted",
        Some(EndedBy::DeviceError) => "microphone failed",
        None => "still recording",
    }
}

/// A few words on pace and pauses, e.g. "first words after 1.2 s, 3 pauses (longest 2.1 s),
/// ~140 wpm".
pub fn measures_brief(m: &Measures) -> String {
    let Some(first) = m.first_speech_s else {
        return "no speech found".to_string();
    };
    format!(
        "first words after {first:.1} s, {} pause{} (longest {:.1} s), ~{:.0} wpm",
        m.pause_count,
        if m.pause_count == 1 { "" } else { "s" },
        m.longest_pause_s,
        m.est_wpm
    )
}

/// The line printed after each answer.
pub fn take_line(q_number: usize, q: &QuestionLog, t: &TakeLog, usual_wpm: Option<f64>) -> String {
    let mut line = format!(
        "  Answer {q_number}, take {}: {} of {}, {}",
        t.take,
        mmss(t.duration_s),
        mmss(q.limit_s),
        ended_by_label(t.ended_by)
    );
    if t.overtime_s > 0.0 {
        let _ = write!(line, " (+{} over)", mmss(t.overtime_s));
    }
    if let Some(m) = &t.analysis {
        let _ = write!(line, "; {}", measures_brief(m));
        for remark in m.remarks(usual_wpm) {
            let _ = write!(line, "\n    note: {remark}");
        }
    }
    if t.level != "good" {
        let _ = write!(line, "\n    level: {}", t.level);
    }
    if t.overruns > 0 || t.stream_errors > 0 {
        let _ = write!(
            line,
            "\n    warning: {} overruns, {} stream errors: some audio was lost",
            t.overruns, t.stream_errors
        );
    }
    line
}

fn outcome_label(o: Outcome) -> &'static str {
    match o {
        Outcome::NotReached => "not reached",
        Outcome::Asked => "asked",
        Outcome::Answered => "answered",
        Outcome::Skipped => "skipped",
    }
}

/// The table printed at the end of a session.
pub fn summary_table(log: &SessionLog) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<3} {:<24} {:<11} {:>5} {:>11} {:>6} {:>7}",
        "#", "question", "outcome", "takes", "last/limit", "start", "wpm"
    );
    for (i, q) in log.questions.iter().enumerate() {
        let last = q.takes.last();
        let dur = last.map_or("-".to_string(), |t| {
            format!("{}/{}", mmss(t.duration_s), mmss(q.limit_s))
        });
        let analysis = last.and_then(|t| t.analysis.as_ref());
        let start = analysis
            .and_then(|m| m.first_speech_s)
            .map_or("-".to_string(), |s| format!("{s:.1}s"));
        let wpm = analysis
            .filter(|m| m.first_speech_s.is_some())
            .map_or("-".to_string(), |m| format!("{:.0}", m.est_wpm));
        let _ = writeln!(
            out,
            "{:<3} {:<24} {:<11} {:>5} {:>11} {:>6} {:>7}",
            i + 1,
            truncate(&q.id, 24),
            outcome_label(q.outcome),
            q.takes.len(),
            dur,
            start,
            wpm
        );
    }
    out
}

fn truncate(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

/// `review.md`: each question with its recordings, timing against the limit, the measures,
/// the pack's notes on a strong answer, the checklist to tick, and room for notes.
pub fn review_markdown(
    log: &SessionLog,
    notes: &[Vec<String>],
    checklist: &[String],
    usual_wpm: Option<f64>,
) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Self-review: {}\n", log.pack.title);
    let _ = writeln!(
        md,
        "Session `{}`, started {}, status **{}**. Listen to each answer once before you \
         read the notes, then tick what your answer did.\n",
        log.id,
        log.started_at,
        serde_json::to_value(log.status)
            .ok()
            .and_then(|v| v.as_str().map(str::to_string))
            .unwrap_or_default()
    );
    for (i, q) in log.questions.iter().enumerate() {
        let _ = writeln!(md, "## {}. {}\n", i + 1, q.text);
        let _ = writeln!(
            md,
            "`{}` · {} · limit {} · {}\n",
            q.id,
            q.category,
            mmss(q.limit_s),
            outcome_label(q.outcome)
        );
        if q.takes.is_empty() {
            let _ = writeln!(md, "No recording.\n");
        }
        for t in &q.takes {
            let _ = write!(
                md,
                "- Take {}: [{}]({}), {} of {}, {}",
                t.take,
                t.file,
                t.file,
                mmss(t.duration_s),
                mmss(q.limit_s),
                ended_by_label(t.ended_by)
            );
            if t.overtime_s > 0.0 {
                let _ = write!(md, ", +{} over", mmss(t.overtime_s));
            }
            if let Some(m) = &t.analysis {
                let _ = write!(md, "; {}", measures_brief(m));
                for r in m.remarks(usual_wpm) {
                    let _ = write!(md, "\n  - {r}");
                }
            }
            if t.level != "good" {
                let _ = write!(md, "\n  - level: {}", t.level);
            }
            md.push('\n');
        }
        if let Some(points) = notes.get(i).filter(|n| !n.is_empty()) {
            let _ = writeln!(md, "\nA strong answer covers:\n");
            for p in points {
                let _ = writeln!(md, "- {p}");
            }
        }
        if !q.takes.is_empty() && !checklist.is_empty() {
            let _ = writeln!(md, "\nChecklist:\n");
            for c in checklist {
                let _ = writeln!(md, "- [ ] {c}");
            }
        }
        let _ = writeln!(md, "\nMy notes:\n\n> \n");
    }
    md
}
