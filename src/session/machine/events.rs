//! What comes into the machine: time passing, the user's keys, signals, and what the devices
//! report.

/// What a user can do from the keyboard (or, from a script, as a line on stdin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// Start the answer now (during think time) or end it (while answering).
    Enter,
    Skip,
    Repeat,
    Quit,
    /// Play the take just recorded (only while reviewing it).
    Listen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Interrupt,
    Terminate,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event {
    /// Time has passed; nothing else happened.
    Tick,
    /// The question has been said (or speech gave up).
    SpeechEnded,
    Control(Control),
    Signal(Signal),
    /// The microphone failed during an answer.
    DeviceFailed,
    /// The take being listened back to has played to its end (or could not be played).
    PlaybackEnded,
    /// The microphone heard speech begin at session time `at` (a little before now: the
    /// voice activity needs a short sound to be sure).
    VoiceStarted {
        at: f64,
    },
    /// The speech heard since the last `VoiceStarted` ended at session time `at`.
    VoiceStopped {
        at: f64,
    },
}
