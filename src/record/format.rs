//! `session.json`, format 3: the record of one session as it lies on disk.
//!
//! These types belong to the file, not to the session logic: the machine's own enums are
//! mapped onto the log's here, so a new machine state can never change the file by accident.
//! Fields are only ever added (with defaults, so older files still read); a change of
//! meaning or a removal bumps [`LOG_VERSION`] and gets an upgrade in `v1.rs`'s manner.

use serde::{Deserialize, Serialize, Serializer};

pub use super::measures::{PauseLog, TakeMeasures, VoiceLog};
pub(crate) use super::numbers::{centi, ms, ms_opt, ms_vec};
pub use super::numbers::{round_ms, MAX_MAGNITUDE};

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
/// The format of a take's levels sidecar.
pub const LEVELS_VERSION: u32 = 1;

/// The levels sidecar of a take: `q01-x-take1.wav` keeps its level envelope in
/// `q01-x-take1.levels.json` beside it.
pub fn levels_file(take_file: &str) -> String {
    let stem = take_file.strip_suffix(".wav").unwrap_or(take_file);
    format!("{stem}.levels.json")
}

/// A take's level over time, coarse enough to draw its waveform: what the analysis measured
/// when the take ended, so a page can be drawn without reading the WAV again.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LevelsFile {
    pub version: u32,
    /// Seconds between two points.
    pub step_s: f64,
    /// The loudest level in each step, in dB re full scale.
    pub db: Vec<f32>,
    /// The pitch contour drawn with the waveform; absent from sidecars written before it was
    /// kept (a page then measures the WAV again and keeps it).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pitch: Option<PitchContour>,
}

/// A take's pitch over time, as the voice measures tracked it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PitchContour {
    /// Seconds between two points.
    pub step_s: f64,
    /// Hz at each step; 0 where there was no pitch (silence, unvoiced sounds).
    pub hz: Vec<f32>,
}

impl From<&crate::analysis::Envelope> for LevelsFile {
    fn from(e: &crate::analysis::Envelope) -> LevelsFile {
        LevelsFile {
            version: LEVELS_VERSION,
            step_s: e.step_s,
            db: e.db.clone(),
            pitch: Some(PitchContour {
                step_s: crate::analysis::CONTOUR_STEP_S,
                hz: e.pitch_hz.clone(),
            }),
        }
    }
}

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

/// What a take said, in short: the words themselves, with their times, are in its sidecar
/// file (`file`), written once the background transcription finished.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranscriptLog {
    /// The sidecar, relative to the session folder.
    pub file: String,
    pub model: String,
    pub text: String,
    pub words: usize,
    /// From the words themselves (not estimated from syllables).
    pub wpm: Option<f64>,
    /// Filler words found; a lower bound, since speech recognition drops some.
    pub fillers: usize,
    pub fillers_per_100_words: f64,
    pub i_count: usize,
    pub we_count: usize,
    pub gave_number: bool,
    /// Fillers per minute, from the first word to the last (absent in older logs and for
    /// under a second of words).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fillers_per_min: Option<f64>,
    /// Hedging words ("I think", "maybe", "just"…); absent in older logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hedges: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hedges_per_100_words: Option<f64>,
    /// Where the answer stated a result with a number; only for a question that asks for one
    /// (a story or a product), absent otherwise and in older logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub result: Option<ResultPlace>,
    /// The talking points the words cover, and those they miss.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub covered: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub missed: Vec<String>,
}

/// Where in an answer its result with a number came, as the log records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultPlace {
    /// In the first third of the words.
    Opening,
    Middle,
    /// In the last third: the story's end, where a result belongs.
    LastThird,
    Never,
}

impl ResultPlace {
    /// As every view says it.
    pub fn text(self) -> &'static str {
        match self {
            ResultPlace::Opening => "a result with a number, at the start",
            ResultPlace::Middle => "a result with a number, in the middle",
            ResultPlace::LastThird => "a result with a number, in the last third",
            ResultPlace::Never => "no result with a number",
        }
    }
}

/// The sidecar that holds a take's transcript: `q01-x-take1.wav` → `q01-x-take1.transcript.json`.
pub fn transcript_file(take_file: &str) -> String {
    let stem = take_file.strip_suffix(".wav").unwrap_or(take_file);
    format!("{stem}.transcript.json")
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

/// How a take ended, as the log records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TakeEnd {
    Enter,
    Limit,
    Skip,
    /// Abandoned so the question could be asked again.
    Repeat,
    Quit,
    Interrupt,
    DeviceError,
    /// Wrapped up because the interview's time ran out (`rehearse`).
    Budget,
    /// Ended by itself after the set silence following speech (`--auto-finish`).
    AutoFinish,
    /// Went past the limit and ended once the speaker stopped, inside the grace.
    FinishedInGrace,
}

/// What started a take's clock, as the log records it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TakeStart {
    /// Think time ran out (or there was none).
    ThinkTimeOver,
    Enter,
    /// The candidate began to speak.
    Voice,
    /// Straight after abandoning the take before (`r` while answering).
    Restart,
}

impl TakeEnd {
    pub fn label(self) -> &'static str {
        match self {
            TakeEnd::Enter => "ended by you",
            TakeEnd::Limit => "stopped at the limit",
            // `s` keeps the take: "skipped" is the question's outcome only when nothing was said.
            TakeEnd::Skip => "ended by you (s)",
            TakeEnd::Repeat => "restarted",
            TakeEnd::Quit => "session quit",
            TakeEnd::Interrupt => "interrupted",
            TakeEnd::DeviceError => "microphone failed",
            TakeEnd::Budget => "wrapped up: the interview's time ran out",
            TakeEnd::AutoFinish => "ended after your silence",
            TakeEnd::FinishedInGrace => "finished in overtime",
        }
    }
}

/// The level verdict of a take as a whole.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Level {
    Good,
    TooQuiet,
    Silent,
    Clipping,
    /// The take could not be measured (its recording failed to finish).
    Unknown,
}

impl Level {
    pub fn label(self) -> &'static str {
        match self {
            Level::Good => "good",
            Level::TooQuiet => "too quiet",
            Level::Silent => "silent",
            Level::Clipping => "clipping",
            Level::Unknown => "unknown",
        }
    }
}

impl From<crate::analysis::level::Verdict> for Level {
    fn from(v: crate::analysis::level::Verdict) -> Level {
        use crate::analysis::level::Verdict;
        match v {
            Verdict::Good => Level::Good,
            Verdict::TooQuiet => Level::TooQuiet,
            Verdict::Silent => Level::Silent,
            Verdict::Clipping => Level::Clipping,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TakeLog {
    pub take: u32,
    /// The WAV file, relative to the session folder.
    pub file: String,
    /// Wall-clock start, for people; `started_at_s` is the one to compute with.
    pub started_at: String,
    /// Session time the recording started.
    #[serde(serialize_with = "ms")]
    pub started_at_s: f64,
    /// Session time it ended; `None` while recording (seen only after a crash).
    #[serde(default, serialize_with = "ms_opt")]
    pub ended_at_s: Option<f64>,
    /// The limit this take was held to (a drill shrinks it take by take).
    #[serde(serialize_with = "ms")]
    pub limit_s: f64,
    /// Seconds of audio in the WAV.
    #[serde(serialize_with = "ms")]
    pub duration_s: f64,
    /// `None` while the take is being recorded (seen only after a crash).
    pub ended_by: Option<TakeEnd>,
    #[serde(serialize_with = "ms")]
    pub overtime_s: f64,
    pub sample_rate: u32,
    /// Highest sample of the whole take.
    #[serde(serialize_with = "centi")]
    pub peak_dbfs: f64,
    /// RMS level of the whole take, silence included (the speech-only level is
    /// `analysis.speech_rms_dbfs`).
    #[serde(serialize_with = "centi")]
    pub take_rms_dbfs: f64,
    pub level: Level,
    pub overruns: u64,
    pub stream_errors: u64,
    pub analysis: Option<TakeMeasures>,
    /// Played back during the session (listen-back), before going on or trying again.
    #[serde(default)]
    pub listened: bool,
    /// What was said, once transcribed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript: Option<TranscriptLog>,
    /// Why the take has no transcript, if transcription was tried and failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transcript_error: Option<String>,
    /// What started the take's clock (absent in logs written before it was recorded).
    #[serde(default)]
    pub started_by: Option<TakeStart>,
    /// Seconds of the file before the take's clock started: what was kept of the moment
    /// before the candidate spoke up. The file's times minus this are the take's times.
    #[serde(default, serialize_with = "ms")]
    pub pre_roll_s: f64,
    /// Where the speaker played a cue while the take was recording, in seconds of the file,
    /// `[from, to]`: the microphone may have heard it, so the analysis leaves it out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub cues_s: Vec<[f64; 2]>,
    /// Ended at its limit while the candidate was still talking (a drill round, or a take
    /// with no overtime left): the answer was cut off, and counts as over its limit.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub cut_off: bool,
    /// The take's facts, with the remarks made on it: worked out once when it ended (and
    /// again when its transcript came), and what every view shows (see `facts.rs`). `None`
    /// while recording; a log without them (older ones) gets them on reading.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub facts: Option<TakeFacts>,
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

impl TakeLog {
    /// A take that has just started: nothing recorded, measured or ended yet.
    pub fn started(
        take: u32,
        file: String,
        started_at: String,
        started_at_s: f64,
        limit_s: f64,
        started_by: Option<TakeStart>,
    ) -> TakeLog {
        TakeLog {
            take,
            file,
            started_at,
            started_at_s,
            ended_at_s: None,
            limit_s,
            duration_s: 0.0,
            ended_by: None,
            overtime_s: 0.0,
            sample_rate: 0,
            peak_dbfs: -120.0,
            take_rms_dbfs: -120.0,
            level: Level::Unknown,
            overruns: 0,
            stream_errors: 0,
            analysis: None,
            listened: false,
            transcript: None,
            transcript_error: None,
            started_by,
            pre_roll_s: 0.0,
            cues_s: Vec::new(),
            cut_off: false,
            facts: None,
        }
    }

    /// Analysed and no speech found in it.
    pub fn no_speech(&self) -> bool {
        self.analysis
            .as_ref()
            .is_some_and(|m| m.first_speech_s.is_none())
    }
}

/// Where a take's pace comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaceSource {
    /// The transcript's words over the time they were said in.
    Transcript,
    /// Estimated from the syllables heard (1.5 syllables a word): shown as `~`.
    Sound,
}

/// A take's pace, in whole words per minute (the figure shown is the figure judged).
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Pace {
    pub wpm: f64,
    pub from: PaceSource,
}

/// A take against its limit and its useful minimum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Within,
    Under,
    Over,
    CutOff,
    NoSpeech,
    /// Restarted, quit, interrupted, failed or still recording: not judged against the minimum.
    Unfinished,
}

impl Verdict {
    /// Past its limit, whether it finished there or was cut off.
    pub fn is_over(self) -> bool {
        matches!(self, Verdict::Over | Verdict::CutOff)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TakeFacts {
    /// Seconds from the take's clock start to its end.
    #[serde(serialize_with = "ms")]
    pub length_s: f64,
    /// The limit the take was held to.
    #[serde(serialize_with = "ms")]
    pub limit_s: f64,
    /// The useful minimum of this take: the question's, scaled with the limit for a drill
    /// round (as its lights are).
    #[serde(serialize_with = "ms")]
    pub min_s: f64,
    /// First words on the take's clock, to a tenth; `None`: no speech (or not measured).
    pub first_words_s: Option<f64>,
    /// Seconds of speech, to a tenth.
    pub speaking_s: Option<f64>,
    pub pauses: Option<usize>,
    /// The longest pause, to a tenth (0 without pauses).
    pub longest_pause_s: Option<f64>,
    /// When the talking stopped, on the take's clock.
    #[serde(serialize_with = "ms_opt")]
    pub talking_stopped_s: Option<f64>,
    pub pace: Option<Pace>,
    pub ended_by: Option<TakeEnd>,
    pub verdict: Verdict,
    /// Seconds past the limit.
    #[serde(serialize_with = "ms")]
    pub over_s: f64,
    /// The remarks made on the take, in plain words.
    pub remarks: Vec<String>,
    /// How the voice sounded: its pitch variation and verdict. `None` with too little voice to
    /// judge, and in logs written before voice measures.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub voice: Option<VoiceFacts>,
    /// What its words show, once it has a transcript.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub words: Option<WordFacts>,
}

/// What a take's words show, from its transcript (`None` before one arrives).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct WordFacts {
    pub words: usize,
    /// Fillers counted: a lower bound, since speech recognition drops some (most often an
    /// "Um" before the first word).
    pub fillers: usize,
    pub fillers_per_100_words: f64,
    pub fillers_per_min: Option<f64>,
    /// Hedging words; `None` in logs from before they were counted.
    pub hedges: Option<usize>,
    pub hedges_per_100_words: Option<f64>,
    /// Where the answer gave a result with a number, for a question that asks for one.
    pub result: Option<ResultPlace>,
}

/// The voice verdict of a take, from the analysis's voice measures.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct VoiceFacts {
    /// Pitch variation over the take, in semitones (the analysis's spread, to a tenth).
    pub pitch_sd_st: f64,
    /// Below the analysis's monotone threshold: the voice sounded flat.
    pub monotone: bool,
}
