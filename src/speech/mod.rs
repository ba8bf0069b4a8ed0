//! Speech: saying questions aloud. Only `system` names the `tts` crate; the session sees
//! speech through the [`Speaker`] trait.

mod system;

pub use system::{list_voices, SpeechOptions, SystemSpeaker, VoiceInfo};

use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum SpeechError {
    #[error("text-to-speech is unavailable: {0}")]
    Unavailable(String),
    #[error("text-to-speech failed: {0}")]
    Failed(String),
    #[error("no voice matches \"{wanted}\"; voices available: {available}")]
    NoSuchVoice { wanted: String, available: String },
}

/// Something that can say a sentence and tell when it has finished.
pub trait Speaker {
    /// Starts saying `text`, replacing anything still being said. Returns at once.
    fn start(&mut self, text: &str) -> Result<(), SpeechError>;
    /// True while the last sentence is still being said.
    fn is_speaking(&self) -> bool;
    /// Stops speaking at once.
    fn stop(&mut self);
}

/// How a bounded wait for the end of speech ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpeechEnd {
    Finished,
    TimedOut,
}

/// A generous bound for how long a sentence of `text` can take to say: about 100 words a
/// minute (slower than any default voice) plus start-up time.
pub fn speech_timeout(text: &str) -> Duration {
    let words = text.split_whitespace().count() as f64;
    Duration::from_secs_f64(3.0 + words * 0.6)
}

/// Waits until `speaker` has finished, at most `timeout`.
pub fn wait_until_silent(speaker: &dyn Speaker, timeout: Duration) -> SpeechEnd {
    let deadline = Instant::now() + timeout;
    while speaker.is_speaking() {
        if Instant::now() >= deadline {
            return SpeechEnd::TimedOut;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    SpeechEnd::Finished
}
