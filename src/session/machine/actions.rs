//! What comes out of the machine: the actions the runner carries out, and the words they use
//! for how a take started and ended and how the session stands.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndedBy {
    Enter,
    Limit,
    Skip,
    /// Abandoned so the question could be asked again.
    Repeat,
    Quit,
    Interrupt,
    DeviceError,
    /// Wrapped up because the interview's time ran out.
    Budget,
    /// Ended by itself after the set silence following speech (`--auto-finish`).
    AutoFinish,
    /// Went past the limit and ended once the speaker stopped, inside the grace.
    FinishedInGrace,
}

/// A short sound through the speaker, for a candidate looking away from the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// The answer's clock is about to start.
    Start,
    /// Time to wrap up (the yellow light).
    WrapUp,
    /// The limit is reached.
    TimeUp,
}

/// What started a take's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartedBy {
    /// Think time ran out (or there was none).
    Clock,
    /// The user pressed Enter.
    Enter,
    /// The candidate began to speak.
    Voice,
    /// A new take straight after abandoning one (`r` while answering).
    Restart,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    InProgress,
    Completed,
    Quit,
    Interrupted,
    DeviceError,
}

/// What the runner must do, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Say question `q` (and print it), after `preface` if there is one ("Thank you. Next
    /// question."); with `reread` false only the preface is said (a drill's next round).
    /// Report `SpeechEnded` when done.
    Ask {
        q: usize,
        preface: Option<String>,
        reread: bool,
    },
    /// Stop saying it at once.
    StopSpeaking,
    /// Think time for question `q` begins.
    Think { q: usize, seconds: f64 },
    /// Open the microphone for take `take` of question `q` without starting the take: voice
    /// activity runs (speech reported as `VoiceStarted` starts the take) and the moments
    /// before a start are kept. The take will be held to `limit_s` and `overtime_s` of grace
    /// after it: the capture need hold no more.
    OpenMic {
        q: usize,
        take: u32,
        limit_s: f64,
        overtime_s: f64,
    },
    /// The microphone opened by `OpenMic` is not needed after all: close it, keep nothing.
    CloseMic,
    /// Start take `take` (1-based) of question `q`, held to `limit_s` with `overtime_s` of
    /// grace after it (the one limit the timer enforces, the bar shows and the log records:
    /// the runner takes it from here and nowhere else); its clock starts at session time `at`
    /// (before now when started by voice: the file keeps what came just before it). Uses the
    /// microphone `OpenMic` opened, or opens one.
    StartRecording {
        q: usize,
        take: u32,
        limit_s: f64,
        overtime_s: f64,
        at: f64,
        started_by: StartedBy,
    },
    /// No voice has been heard in the first seconds of this take.
    NoVoice { q: usize, take: u32 },
    /// Speech was heard after all, once `NoVoice` had been given: the warning no longer holds.
    VoiceHeard { q: usize, take: u32 },
    /// Play a cue now (never while the question is being said).
    Cue(Cue),
    /// The interview's time is spent: this answer has `seconds` left to wrap up.
    WrapUp { q: usize, seconds: f64 },
    /// Stop the current recording and keep it. `cut_off`: it ended at its limit (or the
    /// budget's) while the candidate was still talking.
    StopRecording {
        q: usize,
        take: u32,
        ended_by: EndedBy,
        overtime_s: f64,
        cut_off: bool,
    },
    /// Take `take` of question `q` was kept; the candidate may listen to it and choose to
    /// record again before going on, which happens by itself after `seconds`.
    Review { q: usize, take: u32, seconds: f64 },
    /// Play take `take` of question `q`; report `PlaybackEnded` when it is over.
    Play { q: usize, take: u32 },
    /// Stop playing at once.
    StopPlaying,
    /// Question `q` is finished with: `think_used_s` of think time (over all its tries);
    /// `skipped`: the candidate skipped it without a word heard in any of its takes.
    QuestionDone {
        q: usize,
        think_used_s: f64,
        skipped: bool,
    },
    /// The session is over.
    Finish { status: Status },
}
