//! Format 1 of `session.json` (voicemock's first release), read and upgraded in memory to
//! format 2. Frozen: these types describe files that already exist and must never change.

use serde::Deserialize;

use super::format::{
    Level, Outcome, PackRef, QuestionLog, SessionLog, SessionStatus, Settings, TakeEnd, TakeLog,
};

#[derive(Deserialize)]
pub(super) struct V1Log {
    id: String,
    status: SessionStatus,
    started_at: String,
    ended_at: Option<String>,
    pack: PackRef,
    settings: Settings,
    input_device: String,
    speech: String,
    questions: Vec<V1Question>,
}

#[derive(Deserialize)]
struct V1Question {
    id: String,
    category: String,
    text: String,
    limit_s: f64,
    min_s: f64,
    think_s: f64,
    think_used_s: f64,
    spoken: bool,
    outcome: Outcome,
    takes: Vec<V1Take>,
}

#[derive(Deserialize)]
struct V1Take {
    take: u32,
    file: String,
    started_at: String,
    duration_s: f64,
    ended_by: Option<TakeEnd>,
    overtime_s: f64,
    sample_rate: u32,
    peak_dbfs: f64,
    /// Whole-take RMS (format 2 calls it `take_rms_dbfs`).
    rms_dbfs: f64,
    /// Free text: "good", "too quiet", "silent", "clipping", "unknown".
    level: String,
    overruns: u64,
    stream_errors: u64,
    analysis: Option<super::format::TakeMeasures>,
}

impl V1Log {
    /// Format 1 has no session clock: take starts are placed from their wall-clock stamps
    /// relative to the session's, and what format 1 never recorded (the reading and think
    /// times, the pack's notes and hash) is left empty.
    pub(super) fn upgrade(self) -> SessionLog {
        let origin = chrono::DateTime::parse_from_rfc3339(&self.started_at).ok();
        let seconds_since_start = |stamp: &str| -> f64 {
            match (origin, chrono::DateTime::parse_from_rfc3339(stamp)) {
                (Some(a), Ok(b)) => ((b - a).num_milliseconds() as f64 / 1000.0).max(0.0),
                _ => 0.0,
            }
        };
        let ended_at_s = self.ended_at.as_deref().map(seconds_since_start);
        let questions = self
            .questions
            .into_iter()
            .map(|q| {
                let takes = q
                    .takes
                    .into_iter()
                    .map(|t| {
                        let started_at_s = seconds_since_start(&t.started_at);
                        TakeLog {
                            take: t.take,
                            file: t.file,
                            started_at: t.started_at,
                            started_at_s,
                            ended_at_s: t.ended_by.map(|_| started_at_s + t.duration_s),
                            limit_s: q.limit_s,
                            duration_s: t.duration_s,
                            ended_by: t.ended_by,
                            overtime_s: t.overtime_s,
                            sample_rate: t.sample_rate,
                            peak_dbfs: t.peak_dbfs,
                            take_rms_dbfs: t.rms_dbfs,
                            level: level_from_text(&t.level),
                            overruns: t.overruns,
                            stream_errors: t.stream_errors,
                            analysis: t.analysis,
                            listened: false,
                            transcript: None,
                            transcript_error: None,
                            started_by: None,
                            pre_roll_s: 0.0,
                            cues_s: Vec::new(),
                            cut_off: false,
                            facts: None,
                        }
                    })
                    .collect();
                QuestionLog {
                    id: q.id,
                    category: q.category,
                    text: q.text,
                    limit_s: q.limit_s,
                    min_s: q.min_s,
                    // Format 1 did not keep it; the pack default's share of the limit.
                    warn_s: q.limit_s / 4.0,
                    think_s: q.think_s,
                    think_used_s: q.think_used_s,
                    spoken: q.spoken,
                    outcome: q.outcome,
                    notes: Vec::new(),
                    checklist: None,
                    asked_at_s: Vec::new(),
                    speech_ended_at_s: Vec::new(),
                    think_started_at_s: Vec::new(),
                    takes,
                    follow_up_of: None,
                    lights_s: None,
                    planned_s: None,
                    done_at_s: None,
                    talking_points: Vec::new(),
                }
            })
            .collect();
        SessionLog {
            version: super::format::LOG_VERSION,
            id: self.id,
            status: self.status,
            started_at: self.started_at,
            ended_at: self.ended_at,
            ended_at_s,
            kind: "run".into(),
            pack: self.pack,
            settings: self.settings,
            input_device: self.input_device,
            speech: self.speech,
            checklist: Vec::new(),
            budget_s: None,
            schedule: None,
            planned_questions: None,
            questions,
        }
    }
}

fn level_from_text(text: &str) -> Level {
    match text {
        "good" => Level::Good,
        "too quiet" => Level::TooQuiet,
        "silent" => Level::Silent,
        "clipping" => Level::Clipping,
        _ => Level::Unknown,
    }
}
