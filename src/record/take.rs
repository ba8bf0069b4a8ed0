//! A take as `session.json` keeps it: its WAV, what started and ended it, its level, what
//! was said in short, and its facts (the types; `facts.rs` works them out, once).

use serde::{Deserialize, Serialize};

use super::measures::TakeMeasures;
use super::numbers::{centi, ms, ms_opt};

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
