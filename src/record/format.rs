//! `session.json`, format 3: the record of one session as it lies on disk.
//!
//! These types belong to the file, not to the session logic: the machine's own enums are
//! mapped onto the log's here, so a new machine state can never change the file by accident.
//! Fields are only ever added (with defaults, so older files still read); a change of
//! meaning or a removal bumps [`LOG_VERSION`] and gets an upgrade in `v1.rs`'s manner.
//!
//! Here: the session, its plan and its questions. A take as the log keeps it is in `take.rs`,
//! the files beside a take in `sidecars.rs`; both are named from here as well.

use serde::{Deserialize, Serialize, Serializer};

pub use super::measures::{PauseLog, TakeMeasures, VoiceLog};
pub(crate) use super::numbers::{ms, ms_opt, ms_vec};
pub use super::numbers::{round_ms, MAX_MAGNITUDE};
pub use super::sidecars::{levels_file, transcript_file, LevelsFile, PitchContour, LEVELS_VERSION};
pub use super::take::{
    Level, Pace, PaceSource, ResultPlace, TakeEnd, TakeFacts, TakeLog, TakeStart, TranscriptLog,
    Verdict, VoiceFacts, WordFacts,
};

/// The format this voicemock writes. Files with a higher number are refused by name.
/// Format 3 keeps full entries only for the questions a session reached (see
/// [`SessionLog::for_writing`]); format 2 kept every planned question in full.
pub const LOG_VERSION: u32 = 3;
/// How many of the plan's questions after the last one reached a log lists (by id); the rest
/// are only counted, so a log grows with the session, not with the pack.
pub const LISTED_AHEAD: usize = 200;
pub const LOG_FILE: &str = "session.json";
/// The largest log there is: the reader refuses a larger one (rather than fill memory), and the
/// writer never writes one. A session of a thousand questions is a few megabytes.
pub const MAX_LOG_BYTES: u64 = 64 << 20;
/// The self-review sheet: regenerated from the log whenever it changes.
pub const REVIEW_FILE: &str = "review.md";
/// The user's own notes: created once, never rewritten by voicemock.
pub const NOTES_FILE: &str = "notes.md";
/// The review page (`voicemock report`), written at the end of a session and on demand.
pub const REPORT_FILE: &str = "report.html";
/// The progress page over all sessions, in the recordings folder itself.
pub const PROGRESS_FILE: &str = "progress.html";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionLog {
    pub version: u32,
    pub id: String,
    pub status: SessionStatus,
    /// Wall-clock start (RFC 3339, local time with offset): the anchor of every `*_at_s`.
    pub started_at: String,
    pub ended_at: Option<String>,
    /// Session time when it ended, in seconds from `started_at`.
    #[serde(default, serialize_with = "ms_opt")]
    pub ended_at_s: Option<f64>,
    /// What kind of session: `run` (later also `rehearse`, `drill`).
    #[serde(default = "kind_run")]
    pub kind: String,
    pub pack: PackRef,
    pub settings: Settings,
    pub input_device: String,
    /// Whether questions were spoken, and if not, why.
    pub speech: String,
    /// The pack's checklist as it was when the session ran.
    #[serde(default)]
    pub checklist: Vec<String>,
    /// The time budget of a rehearsal, in seconds.
    #[serde(
        default,
        serialize_with = "ms_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub budget_s: Option<f64>,
    /// A rehearsal's schedule against its budget, written when it ends.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub schedule: Option<ScheduleLog>,
    /// The plan, in order. Written (format 3): every question up to the last one reached, and
    /// up to [`LISTED_AHEAD`] after it; a question not reached is written briefly (its id,
    /// category, planned time and the question it follows up), its text and notes left out.
    #[serde(serialize_with = "plan_entries")]
    pub questions: Vec<QuestionLog>,
    /// How many questions the plan had, when the log lists fewer (the rest were never reached);
    /// `None`: `questions` is the whole plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub planned_questions: Option<usize>,
}

/// A question the session did not reach, as the log writes it.
#[derive(Serialize)]
struct Unreached<'a> {
    id: &'a str,
    category: &'a str,
    outcome: Outcome,
    #[serde(serialize_with = "ms_opt", skip_serializing_if = "Option::is_none")]
    planned_s: Option<f64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    follow_up_of: Option<&'a String>,
}

fn plan_entries<S: Serializer>(questions: &[QuestionLog], s: S) -> Result<S::Ok, S::Error> {
    use serde::ser::SerializeSeq;
    let mut seq = s.serialize_seq(Some(questions.len()))?;
    for q in questions {
        if !q.reached() {
            seq.serialize_element(&Unreached {
                id: &q.id,
                category: &q.category,
                outcome: q.outcome,
                planned_s: q.planned_s,
                follow_up_of: q.follow_up_of.as_ref(),
            })?;
        } else {
            seq.serialize_element(q)?;
        }
    }
    seq.end()
}

fn kind_run() -> String {
    "run".into()
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct PackRef {
    pub name: String,
    pub title: String,
    pub origin: String,
    /// SHA-256 of the pack file's text, so an edited pack can be told from the one used.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
}

/// The choices the session was started with, so it can be run again the same way.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub think_s: Option<f64>,
    pub answer_s: Option<f64>,
    pub overtime_s: f64,
    pub categories: Vec<String>,
    pub question_ids: Vec<String>,
    pub count: Option<usize>,
    pub shuffle: bool,
    /// The seed the order was shuffled with (`--seed` repeats it).
    pub seed: Option<u64>,
    pub voice: Option<String>,
    pub speech_rate: Option<f32>,
    /// Whether the candidate could listen back to each take and retry (`--listen`).
    #[serde(default)]
    pub listen: bool,
    /// Whether follow-ups were asked (`run --follow-ups`; `rehearse` always asks them).
    #[serde(default)]
    pub follow_ups: bool,
    /// The model the answers were transcribed with; `None`: not transcribed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcribe_model: Option<String>,
    /// A drill's limit for each round.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub limits: Vec<f64>,
    /// Silence after speech that ended an answer by itself (`--auto-finish`), if set.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub auto_finish_s: Option<f64>,
}

/// How the session stands. `InProgress` on disk is read as running or crashed, which only
/// the reader can tell (see `reader::Health`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    InProgress,
    Completed,
    Quit,
    Interrupted,
    DeviceError,
}

impl SessionStatus {
    pub fn label(self) -> &'static str {
        match self {
            SessionStatus::InProgress => "in progress",
            SessionStatus::Completed => "completed",
            SessionStatus::Quit => "quit",
            SessionStatus::Interrupted => "interrupted",
            SessionStatus::DeviceError => "device error",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Not asked yet (or never, if the session ended first).
    NotReached,
    Asked,
    Answered,
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuestionLog {
    pub id: String,
    pub category: String,
    pub text: String,
    #[serde(serialize_with = "ms")]
    pub limit_s: f64,
    #[serde(serialize_with = "ms")]
    pub min_s: f64,
    /// The light turns yellow when this many seconds remain.
    #[serde(default, serialize_with = "ms")]
    pub warn_s: f64,
    #[serde(serialize_with = "ms")]
    pub think_s: f64,
    #[serde(serialize_with = "ms")]
    pub think_used_s: f64,
    /// True once the question was said aloud.
    pub spoken: bool,
    pub outcome: Outcome,
    /// The pack's notes on a strong answer, as they were when the session ran.
    #[serde(default)]
    pub notes: Vec<String>,
    /// The checklist points that fit this question, as places in the session's `checklist`
    /// (kept once per log, so the log grows with the session, not with the pack times its
    /// questions); `None` when the whole checklist applies (every point fits, or a log from
    /// before checklists were tagged). Logs that kept the points' text here are upgraded on
    /// reading.
    #[serde(
        default,
        rename = "checklist_points",
        skip_serializing_if = "Option::is_none"
    )]
    pub checklist: Option<Vec<usize>>,
    /// Session time of each reading of the question (a repeat reads it again).
    #[serde(default, serialize_with = "ms_vec")]
    pub asked_at_s: Vec<f64>,
    /// Session time each reading ended (finished, cut short, or given up on).
    #[serde(default, serialize_with = "ms_vec")]
    pub speech_ended_at_s: Vec<f64>,
    /// Session time each think time began.
    #[serde(default, serialize_with = "ms_vec")]
    pub think_started_at_s: Vec<f64>,
    pub takes: Vec<TakeLog>,
    /// The id of the question this one follows up (asked right after its answer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub follow_up_of: Option<String>,
    /// When the lights turned green, yellow and red, in seconds into a take held to `limit_s`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lights_s: Option<[f64; 3]>,
    /// Seconds the plan gave this question (reading, thinking, answering, moving on).
    #[serde(
        default,
        serialize_with = "ms_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub planned_s: Option<f64>,
    /// Session time the session moved on from it.
    #[serde(
        default,
        serialize_with = "ms_opt",
        skip_serializing_if = "Option::is_none"
    )]
    pub done_at_s: Option<f64>,
    /// The pack's talking points for this question, as they were when the session ran.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub talking_points: Vec<TalkingPointLog>,
}

impl QuestionLog {
    /// Whether the session got to this question: its outcome says so, or it was read out or
    /// has a take (a log is never written without what was recorded).
    pub fn reached(&self) -> bool {
        self.outcome != Outcome::NotReached || !self.asked_at_s.is_empty() || !self.takes.is_empty()
    }

    /// What a not-reached question keeps in the log: its id, category, planned time and the
    /// question it follows up. Its text is empty (see [`QuestionLog::shown`]).
    pub fn unreached(&self) -> QuestionLog {
        QuestionLog {
            id: self.id.clone(),
            category: self.category.clone(),
            text: String::new(),
            limit_s: 0.0,
            min_s: 0.0,
            warn_s: 0.0,
            think_s: 0.0,
            think_used_s: 0.0,
            spoken: false,
            outcome: Outcome::NotReached,
            notes: Vec::new(),
            checklist: None,
            asked_at_s: Vec::new(),
            speech_ended_at_s: Vec::new(),
            think_started_at_s: Vec::new(),
            takes: Vec::new(),
            follow_up_of: self.follow_up_of.clone(),
            lights_s: None,
            planned_s: self.planned_s,
            done_at_s: None,
            talking_points: Vec::new(),
        }
    }

    /// The question as a view names it: its text, or its id where the log keeps no text (a
    /// question not reached, in a format 3 log).
    pub fn shown(&self) -> &str {
        if self.text.is_empty() {
            &self.id
        } else {
            &self.text
        }
    }
}

/// A point a strong answer makes, and the words that count as making it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TalkingPointLog {
    pub point: String,
    pub words: Vec<String>,
}

/// A rehearsal's schedule as it turned out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScheduleLog {
    #[serde(serialize_with = "ms")]
    pub budget_s: f64,
    /// What the plan added up to.
    #[serde(serialize_with = "ms")]
    pub planned_s: f64,
    /// Session time used in all.
    #[serde(serialize_with = "ms")]
    pub used_s: f64,
    /// The ids of the questions never reached.
    pub not_reached: Vec<String>,
    /// The ids of the questions with an answer over its limit.
    pub over_limit: Vec<String>,
}

impl SessionLog {
    /// How many questions the plan had.
    pub fn planned_len(&self) -> usize {
        self.planned_questions
            .unwrap_or(0)
            .max(self.questions.len())
    }

    /// How many of `questions` the log lists: every one up to the last reached, and up to
    /// [`LISTED_AHEAD`] after it.
    pub fn listed_len(&self) -> usize {
        let reached = self
            .questions
            .iter()
            .rposition(QuestionLog::reached)
            .map_or(0, |i| i + 1);
        self.questions.len().min(reached + LISTED_AHEAD)
    }

    /// The questions the log lists (see [`SessionLog::listed_len`]).
    pub fn listed(&self) -> &[QuestionLog] {
        &self.questions[..self.listed_len()]
    }

    /// Questions at the end of the plan, never reached, that the log does not list.
    pub fn not_listed(&self) -> usize {
        self.planned_len() - self.listed_len()
    }

    /// The log as it is written: the listed questions only, each one not reached cut to what
    /// the file keeps of it, and the plan's length. Costs the reached questions and at most
    /// [`LISTED_AHEAD`] more, however long the plan.
    pub fn for_writing(&self) -> SessionLog {
        let planned = self.planned_len();
        SessionLog {
            version: self.version,
            id: self.id.clone(),
            status: self.status,
            started_at: self.started_at.clone(),
            ended_at: self.ended_at.clone(),
            ended_at_s: self.ended_at_s,
            kind: self.kind.clone(),
            pack: self.pack.clone(),
            settings: self.settings.clone(),
            input_device: self.input_device.clone(),
            speech: self.speech.clone(),
            checklist: self.checklist.clone(),
            budget_s: self.budget_s,
            schedule: self.schedule.clone(),
            questions: self
                .listed()
                .iter()
                .map(|q| match q.reached() {
                    true => q.clone(),
                    false => q.unreached(),
                })
                .collect(),
            planned_questions: (planned > self.listed_len()).then_some(planned),
        }
    }

    /// The checklist points to tick under an answer to `q`: those the session kept for it, or
    /// in older logs the whole checklist.
    pub fn checklist_for<'a>(&'a self, q: &QuestionLog) -> Vec<&'a str> {
        match &q.checklist {
            Some(points) => points
                .iter()
                .filter_map(|&i| self.checklist.get(i))
                .map(String::as_str)
                .collect(),
            None => self.checklist.iter().map(String::as_str).collect(),
        }
    }

    /// Every take in the log, in order, with its question.
    pub fn takes(&self) -> impl Iterator<Item = (&QuestionLog, &TakeLog)> {
        self.questions
            .iter()
            .flat_map(|q| q.takes.iter().map(move |t| (q, t)))
    }

    /// Questions the candidate answered (kept at least one take), and questions asked.
    pub fn answered_of_asked(&self) -> (usize, usize) {
        let answered = self
            .questions
            .iter()
            .filter(|q| q.outcome == Outcome::Answered)
            .count();
        let asked = self
            .questions
            .iter()
            .filter(|q| q.outcome != Outcome::NotReached)
            .count();
        (answered, asked)
    }

    /// Seconds of speech over every take (its facts' speaking time, or its length where a
    /// take was not analysed).
    pub fn speaking_s(&self) -> f64 {
        self.takes()
            .filter_map(|(_, t)| t.facts.as_ref())
            .map(|f| f.speaking_s.unwrap_or(f.length_s))
            .sum()
    }

    /// Takes that ran past their limit (cut off at it, or over it).
    pub fn over_limit(&self) -> usize {
        self.takes()
            .filter(|(_, t)| t.facts.as_ref().is_some_and(|f| f.verdict.is_over()))
            .count()
    }

    /// A drill: one question answered round by round against shrinking limits.
    pub fn is_drill(&self) -> bool {
        self.kind == "drill"
    }

    /// Works out the facts of every take that has none (a take still recording, or every take
    /// of a log written before facts were kept), with `usual_wpm` for their remarks.
    pub fn fill_facts(&mut self, usual_wpm: Option<f64>) {
        for q in &mut self.questions {
            for i in 0..q.takes.len() {
                if q.takes[i].facts.is_none() {
                    let facts = TakeFacts::of(q, &q.takes[i], usual_wpm);
                    q.takes[i].facts = Some(facts);
                }
                // Facts kept before the words' facts were: those added, the rest as kept.
                let t = &mut q.takes[i];
                if let (Some(f), Some(tr)) = (t.facts.as_mut(), t.transcript.as_ref()) {
                    if f.words.is_none() {
                        f.add_words(tr);
                    }
                }
            }
        }
    }

    /// Whether some take has no facts yet (or none of its transcript's words).
    pub fn lacks_facts(&self) -> bool {
        self.takes().any(|(_, t)| {
            t.facts
                .as_ref()
                .is_none_or(|f| f.words.is_none() && t.transcript.is_some())
        })
    }
}
