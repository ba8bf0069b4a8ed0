//! What a session tells its user afterwards: the one-line take summary, the summary table,
//! and `review.md`, the self-review sheet, as text out of the log (no I/O in this file); and
//! the HTML review pages: `html` renders them (the one module that names maud), `figures`
//! computes their waveforms and charts, `pages` gathers what they show and writes them.

use std::fmt::Write;

pub mod figures;
pub mod html;
pub mod pages;

pub use pages::{write_progress_page, write_session_page, PageError, ProgressWritten};

use crate::record::facts::{
    fillers_text, hedges_text, length_text, pace_text, seconds, verdict_text, voice_text,
    word_remarks,
};
use crate::record::{
    Level, Outcome, SessionLog, TakeEnd, TakeFacts, TakeLog, TakeStart, TranscriptLog, Verdict,
    WordFacts, NOTES_FILE,
};
use crate::ui::{mmss, Table};

pub fn ended_by_label(e: Option<TakeEnd>) -> &'static str {
    e.map_or("never finished", TakeEnd::label)
}

/// A take's figures in a few words, e.g. "first words after 1.2 s, 3 pauses (longest 2.1 s),
/// ~140 wpm, voice varied (3.2 st)"; `None` when there was no speech (the remarks say so).
pub fn measures_brief(f: &TakeFacts) -> Option<String> {
    let first = f.first_words_s?;
    let mut brief = format!("first words after {}", seconds(first));
    if let (Some(n), Some(longest)) = (f.pauses, f.longest_pause_s) {
        let _ = write!(
            brief,
            ", {n} pause{} (longest {})",
            if n == 1 { "" } else { "s" },
            seconds(longest)
        );
    }
    if let Some(p) = f.pace {
        let _ = write!(brief, ", {}", pace_text(p));
    }
    if let Some(v) = f.voice {
        let _ = write!(brief, ", {}", voice_text(v));
    }
    Some(brief)
}

/// What a take's log says beyond its length: how it started, when the talking stopped, no
/// speech at all; e.g. "started when you spoke, talking stopped at 0:41".
fn voice_brief(t: &TakeLog, f: &TakeFacts) -> Option<String> {
    let mut parts = Vec::new();
    if t.started_by == Some(TakeStart::Voice) {
        parts.push("started when you spoke".to_string());
    }
    if let Some(end) = f.talking_stopped_s {
        parts.push(format!("talking stopped at {}", mmss(end)));
    }
    if f.verdict == Verdict::NoSpeech {
        parts.push("NO SPEECH heard: was the microphone on?".to_string());
    }
    (!parts.is_empty()).then(|| parts.join(", "))
}

/// The verdict, where it says something: over, cut off, under, no speech.
fn flag(f: &TakeFacts) -> Option<String> {
    matches!(
        f.verdict,
        Verdict::Over | Verdict::CutOff | Verdict::Under | Verdict::NoSpeech
    )
    .then(|| verdict_text(f))
}

/// A take's length, how it ended and its verdict, as every text view says them: "0:45 of
/// 2:00, ended by you" or "0:20 of 0:20, stopped at the limit, cut off at the limit".
pub fn take_summary(f: &TakeFacts) -> String {
    format!("{}, {}", length_text(f), take_ending(f))
}

/// How a take ended and, where it says something, its verdict against its limit: "ended by
/// you", "stopped at the limit, cut off at the limit" (no speech is said apart).
pub fn take_ending(f: &TakeFacts) -> String {
    let mut s = ended_by_label(f.ended_by).to_string();
    if let Some(flag) = flag(f).filter(|_| f.verdict != Verdict::NoSpeech) {
        let _ = write!(s, ", {flag}");
    }
    s
}

/// The line printed after each answer.
pub fn take_line(q_number: usize, t: &TakeLog) -> String {
    let Some(f) = &t.facts else {
        return format!("  Answer {q_number}, take {}: still recording", t.take);
    };
    let mut line = format!("  Answer {q_number}, take {}: {}", t.take, take_summary(f));
    if let Some(brief) = voice_brief(t, f) {
        let _ = write!(line, "; {brief}");
    }
    if let Some(brief) = measures_brief(f) {
        let _ = write!(line, "; {brief}");
    }
    for remark in &f.remarks {
        let _ = write!(line, "\n    note: {remark}");
    }
    if t.level != Level::Good {
        let _ = write!(line, "\n    level: {}", t.level.label());
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

pub fn outcome_label(o: Outcome) -> &'static str {
    match o {
        Outcome::NotReached => "not reached",
        Outcome::Asked => "asked",
        Outcome::Answered => "answered",
        Outcome::Skipped => "skipped",
    }
}

/// The table printed at the end of a session, fitted to the terminal.
pub fn summary_table(log: &SessionLog) -> String {
    let mut table = Table::new()
        .gap(1)
        .left("#")
        .left("question")
        .left("outcome")
        .right("takes")
        .right("last/limit")
        .right("first")
        .right("pace");
    for (i, q) in log.listed().iter().enumerate() {
        let last = q.takes.last().and_then(|t| t.facts.as_ref());
        let dur = last.map_or("-".to_string(), |f| {
            format!("{}/{}", mmss(f.length_s), mmss(f.limit_s))
        });
        let start = last
            .and_then(|f| f.first_words_s)
            .map_or("-".to_string(), seconds);
        let pace = last.and_then(|f| f.pace).map_or("-".to_string(), pace_text);
        table.row([
            (i + 1).to_string(),
            q.id.clone(),
            outcome_label(q.outcome).to_string(),
            q.takes.len().to_string(),
            dur,
            start,
            pace,
        ]);
    }
    let mut out = table.fit();
    if let Some(more) = more_not_reached(log) {
        let _ = writeln!(out, "{more}");
    }
    out
}

/// What a view says of the plan's questions the log does not list (never reached, after the
/// last listed): `None` when it lists them all.
pub fn more_not_reached(log: &SessionLog) -> Option<String> {
    match log.not_listed() {
        0 => None,
        1 => Some(
            "…and 1 more question of the plan, not reached (the log keeps only its count)".into(),
        ),
        n => Some(format!(
            "…and {n} more questions of the plan, not reached (the log keeps only their count)"
        )),
    }
}

/// The summary table at the top of the review sheet: one row per question reached.
fn summary_markdown(log: &SessionLog) -> String {
    let mut md = String::new();
    let _ = writeln!(
        md,
        "| # | question | outcome | takes | last take | talking stopped | first words | pace | \
         verdict |"
    );
    let _ = writeln!(md, "|---|---|---|---|---|---|---|---|---|");
    for (i, q) in log.listed().iter().enumerate() {
        if q.outcome == Outcome::NotReached {
            continue;
        }
        let last = q.takes.last().and_then(|t| t.facts.as_ref());
        let cell = |v: Option<String>| v.unwrap_or_else(|| "-".to_string());
        let _ = writeln!(
            md,
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} |",
            i + 1,
            q.id,
            outcome_label(q.outcome),
            q.takes.len(),
            cell(last.map(length_text)),
            cell(last.and_then(|f| f.talking_stopped_s).map(mmss)),
            cell(last.and_then(|f| f.first_words_s).map(seconds)),
            cell(last.and_then(|f| f.pace).map(pace_text)),
            cell(last.map(verdict_text)),
        );
    }
    md.push('\n');
    md
}

/// `review.md`: each question with its recordings, timing against the limit, the measures,
/// the pack's notes on a strong answer and the checklist to tick, as the log snapshotted
/// them. Regenerated whenever the log changes: the user's own notes go in `notes.md`.
pub fn review_markdown(log: &SessionLog) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# Self-review: {}\n", log.pack.title);
    let _ = writeln!(
        md,
        "Session `{}`, started {}, status **{}**. Listen to each answer once before you \
         read the notes (`voicemock replay {}`), then tick what your answer did. Write your \
         own notes in [{NOTES_FILE}]({NOTES_FILE}): this sheet is rewritten, that file never \
         is.\n",
        log.id,
        log.started_at
            .get(..16)
            .unwrap_or(&log.started_at)
            .replace('T', " "),
        log.status.label(),
        log.id
    );
    md.push_str(&summary_markdown(log));
    let mut unreached = Vec::new();
    for (i, q) in log.listed().iter().enumerate() {
        if q.outcome == Outcome::NotReached {
            unreached.push(format!("{}. {}", i + 1, q.shown()));
            continue;
        }
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
            let _ = writeln!(md, "No recording.");
        }
        for t in &q.takes {
            take_markdown(&mut md, t);
        }
        if !q.notes.is_empty() {
            let _ = writeln!(md, "\nA strong answer covers:\n");
            for p in &q.notes {
                let _ = writeln!(md, "- {p}");
            }
        }
        let checklist = log.checklist_for(q);
        if !q.takes.is_empty() && !checklist.is_empty() {
            let _ = writeln!(md, "\nChecklist:\n");
            for c in checklist {
                let _ = writeln!(md, "- [ ] {c}");
            }
        }
        md.push('\n');
    }
    if !unreached.is_empty() {
        let _ = writeln!(md, "Not reached: {}.", unreached.join("; "));
    }
    if let Some(more) = more_not_reached(log) {
        let _ = writeln!(md, "\n{more}.");
    }
    md
}

/// One take's lines of `review.md`: its file, length and ending, remarks, level, and what
/// the transcript found.
fn take_markdown(md: &mut String, t: &TakeLog) {
    let _ = write!(md, "- Take {}: [{}]({}), ", t.take, t.file, t.file);
    let Some(f) = &t.facts else {
        let _ = writeln!(md, "still recording");
        return;
    };
    let _ = write!(md, "{}, {}", length_text(f), ended_by_label(f.ended_by));
    if let Some(brief) = voice_brief(t, f) {
        let _ = write!(md, "; {brief}");
    }
    if let Some(flag) = flag(f) {
        let _ = write!(md, " **{flag}**");
    }
    if let Some(brief) = measures_brief(f) {
        let _ = write!(md, "; {brief}");
    }
    for r in &f.remarks {
        let _ = write!(md, "\n  - {r}");
    }
    if t.level != Level::Good {
        let _ = write!(md, "\n  - level: {}", t.level.label());
    }
    if let Some(tr) = &t.transcript {
        let _ = write!(md, "\n  - What you said ({}): \"{}\"", tr.model, tr.text);
        let _ = write!(
            md,
            "\n  - {} words; {}; \"I\" {} / \"we\" {}; {}",
            tr.words,
            words_brief(f.words.as_ref()),
            tr.i_count,
            tr.we_count,
            if tr.gave_number {
                "you gave a number"
            } else {
                "no number given"
            }
        );
        if let Some(place) = f.words.as_ref().and_then(|w| w.result) {
            let _ = write!(md, "\n  - {}", place.text());
        }
        for p in &tr.covered {
            let _ = write!(md, "\n  - [x] {p}");
        }
        for p in &tr.missed {
            let _ = write!(md, "\n  - [ ] {p} (not said)");
        }
    } else if let Some(e) = &t.transcript_error {
        let _ = write!(md, "\n  - no transcript: {e}");
    }
    md.push('\n');
}

/// A rehearsal's schedule: planned against used time per question and in all, the questions
/// not reached and the answers over their limit; `None` for a session without a budget.
pub fn schedule_report(log: &SessionLog) -> Option<String> {
    let schedule = log.schedule.as_ref()?;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Schedule: {} used of the {} budget (the plan came to {})",
        mmss(schedule.used_s),
        mmss(schedule.budget_s),
        mmss(schedule.planned_s)
    );
    let mut table = Table::new()
        .gap(1)
        .left("#")
        .left("question")
        .right("planned")
        .right("used")
        .right("diff");
    for (i, q) in log.questions.iter().enumerate() {
        let used = match (q.asked_at_s.first(), q.done_at_s) {
            (Some(a), Some(d)) => Some(d - a),
            _ => None,
        };
        let planned = q.planned_s.unwrap_or(0.0);
        let diff = used.map_or("-".into(), |u| {
            let d = u - planned;
            format!("{}{}", if d < 0.0 { "-" } else { "+" }, mmss(d.abs()))
        });
        table.row([
            (i + 1).to_string(),
            format!(
                "{}{}",
                if q.follow_up_of.is_some() { "↳ " } else { "" },
                q.id
            ),
            mmss(planned),
            used.map_or("-".into(), mmss),
            if q.outcome == Outcome::NotReached {
                "not reached".to_string()
            } else {
                diff
            },
        ]);
    }
    out.push_str(&table.fit());
    if !schedule.not_reached.is_empty() {
        let _ = writeln!(out, "Not reached: {}", schedule.not_reached.join(", "));
    }
    if !schedule.over_limit.is_empty() {
        let _ = writeln!(out, "Over their limit: {}", schedule.over_limit.join(", "));
    }
    Some(out)
}

/// The line printed when a take's transcript is ready, from the transcript and the take's
/// facts (its pace and what its words show), with the remarks on the words.
pub fn transcript_line(
    q_number: usize,
    take: u32,
    t: &TranscriptLog,
    facts: Option<&TakeFacts>,
) -> String {
    let mut line = format!(
        "  Answer {q_number}, take {take}, transcript: \"{}\"",
        t.text
    );
    let words = facts.and_then(|f| f.words.as_ref());
    let _ = write!(
        line,
        "\n    {} words{}, {}, \"I\" {} / \"we\" {}{}",
        t.words,
        facts
            .and_then(|f| f.pace)
            .map_or(String::new(), |p| format!(", {}", pace_text(p))),
        words_brief(words),
        t.i_count,
        t.we_count,
        if t.gave_number {
            ", gave a number"
        } else {
            ", no number"
        }
    );
    if let Some(place) = words.and_then(|w| w.result) {
        let _ = write!(line, "\n    {}", place.text());
    }
    if !t.covered.is_empty() || !t.missed.is_empty() {
        let _ = write!(
            line,
            "\n    talking points: {} of {} covered",
            t.covered.len(),
            t.covered.len() + t.missed.len()
        );
        if !t.missed.is_empty() {
            let _ = write!(line, "; missed: {}", t.missed.join("; "));
        }
    }
    for r in words.map(word_remarks).unwrap_or_default() {
        let _ = write!(line, "\n    {r}");
    }
    line
}

/// Fillers and hedges as every text view shows them, from the take's facts.
pub fn words_brief(w: Option<&WordFacts>) -> String {
    let Some(w) = w else {
        return "fillers not counted yet".into();
    };
    match hedges_text(w) {
        Some(h) => format!("{}; {h}", fillers_text(w)),
        None => fillers_text(w),
    }
}

/// `notes.md`, the user's own page, written once when the session starts and never again: a
/// heading per question to write under.
pub fn notes_page(log: &SessionLog) -> String {
    let mut md = String::new();
    let _ = writeln!(md, "# My notes: {} ({})\n", log.pack.title, log.id);
    let _ = writeln!(
        md,
        "voicemock created this page for you and never changes it. The measures and the \
         checklist are in review.md.\n"
    );
    for (i, q) in log.questions.iter().enumerate() {
        let _ = writeln!(md, "## {}. {}\n\n", i + 1, q.text);
    }
    md
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{Measures, Pause};
    use crate::record::{PackRef, QuestionLog, SessionStatus, Settings, LOG_VERSION};

    fn measures() -> Measures {
        Measures {
            duration_s: 95.0,
            speech_s: 80.0,
            first_speech_s: Some(1.2),
            last_speech_s: Some(94.0),
            pauses: vec![Pause {
                start_s: 30.0,
                end_s: 32.1,
            }],
            pause_count: 1,
            long_pause_count: 1,
            longest_pause_s: 2.1,
            syllables: 330,
            speech_rate_sps: 3.6,
            articulation_rate_sps: 4.1,
            est_wpm: 144.0,
            peak_dbfs: -3.0,
            speech_rms_dbfs: Some(-20.0),
            clipped_fraction: 0.0,
            voice: None,
        }
    }

    fn take(n: u32, ended_by: TakeEnd, overtime_s: f64, analysis: Option<Measures>) -> TakeLog {
        TakeLog {
            take: n,
            file: format!("q01-x-take{n}.wav"),
            started_at: "2026-11-26T07:00:00.000+00:00".into(),
            started_at_s: 25.0,
            ended_at_s: Some(120.0),
            limit_s: 90.0,
            duration_s: 95.0,
            ended_by: Some(ended_by),
            overtime_s,
            sample_rate: 48000,
            peak_dbfs: -3.0,
            take_rms_dbfs: -20.0,
            level: Level::Good,
            overruns: 0,
            stream_errors: 0,
            analysis: analysis.map(Into::into),
            listened: false,
            transcript: None,
            transcript_error: None,
            started_by: None,
            pre_roll_s: 0.0,
            cues_s: Vec::new(),
            cut_off: false,
            facts: None,
        }
    }

    fn log() -> SessionLog {
        let q = |id: &str, outcome, takes| QuestionLog {
            id: id.into(),
            category: "behavioural".into(),
            text: format!("Question {id}?"),
            limit_s: 90.0,
            min_s: 45.0,
            warn_s: 20.0,
            think_s: 20.0,
            think_used_s: 20.0,
            spoken: true,
            outcome,
            notes: if id == "a" {
                vec!["Say what you did.".into()]
            } else {
                vec![]
            },
            checklist: None,
            asked_at_s: vec![0.0],
            speech_ended_at_s: vec![3.0],
            think_started_at_s: vec![3.0],
            takes,
            follow_up_of: None,
            lights_s: None,
            planned_s: None,
            done_at_s: None,
            talking_points: Vec::new(),
        };
        let mut log = SessionLog {
            version: LOG_VERSION,
            id: "s1".into(),
            status: SessionStatus::Completed,
            started_at: "2026-11-26T07:00:00.000+00:00".into(),
            ended_at: None,
            ended_at_s: None,
            kind: "run".into(),
            pack: PackRef {
                name: "p".into(),
                title: "Pack".into(),
                origin: "built-in".into(),
                sha256: None,
            },
            settings: Settings {
                overtime_s: 10.0,
                ..Settings::default()
            },
            input_device: "default".into(),
            speech: "system".into(),
            checklist: vec!["Did I give an example?".into()],
            budget_s: None,
            schedule: None,
            planned_questions: None,
            questions: vec![
                q(
                    "a",
                    Outcome::Answered,
                    vec![take(1, TakeEnd::Limit, 5.0, Some(measures()))],
                ),
                q("b", Outcome::Skipped, vec![]),
            ],
        };
        log.fill_facts(None);
        log
    }

    #[test]
    fn take_line_says_duration_ending_overtime_and_measures() {
        let l = log();
        let line = take_line(1, &l.questions[0].takes[0]);
        for part in [
            "Answer 1, take 1: 1:35 of 1:30",
            "stopped at the limit",
            "over the limit (+0:05)",
            "first words after 1.2 s",
            "1 pause (longest 2.1 s)",
            "~144 wpm",
        ] {
            assert!(line.contains(part), "{part:?} missing from {line:?}");
        }
    }

    #[test]
    fn review_sheet_has_recordings_notes_and_checklist() {
        let md = review_markdown(&log());
        assert!(md.contains("started 2026-11-26 07:00"), "{md}");
        assert!(md.contains("## 1. Question a?"));
        assert!(md.contains("[q01-x-take1.wav](q01-x-take1.wav)"));
        assert!(md.contains("- Say what you did."));
        // The checklist is there to tick for the answered question only.
        assert_eq!(md.matches("- [ ] Did I give an example?").count(), 1);
        assert!(md.contains("## 2. Question b?") && md.contains("No recording."));
    }

    #[test]
    fn review_sheet_lists_under_each_answer_only_the_checklist_points_that_fit_it() {
        let mut l = log();
        l.checklist = vec!["Did I answer it?".into(), "Did I ask my own?".into()];
        l.questions[0].checklist = Some(vec![0]);
        let mut closing = l.questions[0].clone();
        closing.id = "z".into();
        closing.text = "Any questions?".into();
        closing.checklist = Some(vec![0, 1]);
        l.questions.push(closing);
        let md = review_markdown(&{
            let mut l = l.clone();
            l.fill_facts(None);
            l
        });
        assert_eq!(md.matches("- [ ] Did I answer it?").count(), 2, "{md}");
        assert_eq!(md.matches("- [ ] Did I ask my own?").count(), 1, "{md}");
        let own = md.find("- [ ] Did I ask my own?").unwrap();
        assert!(own > md.find("## 3. Any questions?").unwrap(), "{md}");
        // An older log without per-question points lists the whole checklist.
        l.questions[0].checklist = None;
        let md = review_markdown(&{
            let mut l = l.clone();
            l.fill_facts(None);
            l
        });
        assert_eq!(md.matches("- [ ] Did I ask my own?").count(), 2, "{md}");
    }

    #[test]
    fn review_sheet_opens_with_a_summary_flags_takes_and_lists_the_unreached_in_one_line() {
        let mut l = log();
        // A short answer: talking stopped 20 s in, under the 45 s useful minimum.
        let mut short = measures();
        short.last_speech_s = Some(20.0);
        let mut t = take(1, TakeEnd::Enter, 0.0, Some(short));
        t.duration_s = 21.5;
        l.questions[1].outcome = Outcome::Answered;
        l.questions[1].takes.push(t);
        let mut c = l.questions[1].clone();
        c.id = "c".into();
        c.text = "Question c?".into();
        c.outcome = Outcome::NotReached;
        c.takes.clear();
        l.questions.push(c.clone());
        c.text = "Question d?".into();
        l.questions.push(c);
        let md = review_markdown(&{
            let mut l = l.clone();
            l.fill_facts(None);
            l
        });
        let summary = md.find("| # | question").expect("a summary table");
        assert!(summary < md.find("## 1.").unwrap(), "{md}");
        assert!(
            md.contains("| 1 | a | answered | 1 | 1:35 of 1:30 |"),
            "{md}"
        );
        assert!(md.contains("over the limit (+0:05)"), "{md}");
        assert!(md.contains("under the useful minimum (0:45)"), "{md}");
        assert_eq!(md.matches("under the useful minimum").count(), 2, "{md}");
        assert!(
            md.contains("Not reached: 3. Question c?; 4. Question d?."),
            "{md}"
        );
        assert!(!md.contains("## 3."), "{md}");
    }

    #[test]
    fn summary_table_has_a_row_per_question() {
        let t = summary_table(&log());
        let rows: Vec<&str> = t.lines().collect();
        assert_eq!(rows.len(), 3, "{t}");
        assert!(rows[1].contains("answered") && rows[1].contains("1:35/1:30"));
        assert!(
            rows[1].contains("1.2 s") && rows[1].contains("~144 wpm"),
            "{t}"
        );
        assert!(rows[2].contains("skipped"));
    }
}
