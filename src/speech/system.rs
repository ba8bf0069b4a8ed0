//! The system's text-to-speech through the `tts` crate: speech-dispatcher on Linux, the
//! native engines on macOS and Windows.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::{Speaker, SpeechError};

#[derive(Debug, Clone, Default)]
pub struct SpeechOptions {
    /// Part of a voice's name.
    pub voice: Option<String>,
    /// 1.0 is the voice's normal rate; 0.5 half as fast, 2.0 twice as fast.
    pub rate: Option<f32>,
}

pub struct SystemSpeaker {
    tts: tts::Tts,
    /// What the engine's end and stop callbacks have reported.
    said: Arc<Mutex<Utterances>>,
    has_callbacks: bool,
    /// Polling `is_speaking` right after `speak` can still say "not yet": treat the first
    /// moments after starting as speaking until the engine confirms either way.
    started_at: Option<Instant>,
    seen_speaking: std::cell::Cell<bool>,
    /// The voice chosen with `--voice`, as the system names it.
    chosen: Option<String>,
}

/// How long a freshly started sentence may take to show up as speaking.
const START_GRACE: Duration = Duration::from_millis(1500);

impl SystemSpeaker {
    pub fn new(options: &SpeechOptions) -> Result<Self, SpeechError> {
        let mut tts = tts::Tts::default().map_err(|e| SpeechError::Unavailable(e.to_string()))?;
        let said = Arc::new(Mutex::new(Utterances::default()));
        let features = tts.supported_features();
        let ended = |said: &Arc<Mutex<Utterances>>| {
            let said = Arc::clone(said);
            Box::new(move |id: tts::UtteranceId| {
                lock(&said).ended(format!("{id:?}"));
            })
        };
        let has_callbacks = features.utterance_callbacks
            && tts.on_utterance_end(Some(ended(&said))).is_ok()
            && tts.on_utterance_stop(Some(ended(&said))).is_ok();
        let mut chosen = None;
        if let Some(wanted) = &options.voice {
            let voices = tts
                .voices()
                .map_err(|e| SpeechError::Failed(format!("listing voices: {e}")))?;
            let needle = wanted.to_lowercase();
            // By name, by id, by language code as `voicemock voices` prints it (`en-GB`),
            // then by part of a name; variants ("English+Klatt") only when named.
            let voice = voices
                .iter()
                .find(|v| v.name().to_lowercase() == needle || v.id().to_lowercase() == needle)
                .or_else(|| {
                    voices.iter().find(|v| {
                        v.language().to_string().to_lowercase() == needle && !info(v).is_variant()
                    })
                })
                .or_else(|| {
                    voices
                        .iter()
                        .find(|v| v.name().to_lowercase().contains(&needle))
                })
                .ok_or_else(|| SpeechError::NoSuchVoice {
                    wanted: wanted.clone(),
                    available: suggest(&voices.iter().map(info).collect::<Vec<_>>()),
                })?;
            tts.set_voice(voice)
                .map_err(|e| SpeechError::Failed(format!("choosing voice: {e}")))?;
            chosen = Some(format!("{} ({})", voice.name(), voice.language()));
        }
        if let Some(rate) = options.rate {
            let normal = tts.normal_rate();
            let target = if rate >= 1.0 {
                normal + (tts.max_rate() - normal) * ((rate - 1.0) / 1.0).min(1.0)
            } else {
                normal - (normal - tts.min_rate()) * ((1.0 - rate) / 0.5).min(1.0)
            };
            tts.set_rate(target)
                .map_err(|e| SpeechError::Failed(format!("setting the speech rate: {e}")))?;
        }
        Ok(SystemSpeaker {
            tts,
            said,
            has_callbacks,
            started_at: None,
            seen_speaking: std::cell::Cell::new(false),
            chosen,
        })
    }
}

impl SystemSpeaker {
    /// The voice chosen with `--voice`, as the system names it; `None`: the default voice.
    pub fn chosen_voice(&self) -> Option<&str> {
        self.chosen.as_deref()
    }
}

/// A voice as `voicemock voices` shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoiceInfo {
    pub name: String,
    pub language: String,
}

impl VoiceInfo {
    /// speech-dispatcher lists every espeak-ng voice once more with each of its variants
    /// ("English+Klatt"): those are shown only on request.
    pub fn is_variant(&self) -> bool {
        self.name.contains('+')
    }
}

fn info(v: &tts::Voice) -> VoiceInfo {
    VoiceInfo {
        name: v.name(),
        language: v.language().to_string(),
    }
}

/// Every voice the system's text-to-speech offers.
pub fn list_voices() -> Result<Vec<VoiceInfo>, SpeechError> {
    let tts = tts::Tts::default().map_err(|e| SpeechError::Unavailable(e.to_string()))?;
    let voices = tts
        .voices()
        .map_err(|e| SpeechError::Failed(format!("listing voices: {e}")))?;
    Ok(voices.iter().map(info).collect())
}

/// A short list of voices worth trying: English base voices first, then a count of the rest.
fn suggest(voices: &[VoiceInfo]) -> String {
    let base: Vec<&VoiceInfo> = voices.iter().filter(|v| !v.is_variant()).collect();
    let mut shown: Vec<&str> = base
        .iter()
        .filter(|v| v.language.starts_with("en"))
        .map(|v| v.name.as_str())
        .collect();
    if shown.is_empty() {
        shown = base.iter().take(12).map(|v| v.name.as_str()).collect();
    }
    let rest = voices.len() - shown.len();
    let mut s = shown.join(", ");
    if rest > 0 {
        s.push_str(&format!(" and {rest} more (see `voicemock voices`)"));
    }
    s
}

impl Speaker for SystemSpeaker {
    fn start(&mut self, text: &str) -> Result<(), SpeechError> {
        lock(&self.said).starting();
        self.seen_speaking.set(false);
        self.started_at = Some(Instant::now());
        let id = self
            .tts
            .speak(text, true)
            .map_err(|e| SpeechError::Failed(e.to_string()))?;
        lock(&self.said).started(id.map(|id| format!("{id:?}")));
        Ok(())
    }

    fn is_speaking(&self) -> bool {
        let Some(started) = self.started_at else {
            return false;
        };
        if self.has_callbacks {
            // The end callback is the reliable signal; it fires after the audio has played.
            return lock(&self.said).is_speaking();
        }
        match self.tts.is_speaking() {
            Ok(true) => {
                self.seen_speaking.set(true);
                true
            }
            Ok(false) => !self.seen_speaking.get() && started.elapsed() < START_GRACE,
            Err(_) => false,
        }
    }

    fn stop(&mut self) {
        let _ = self.tts.stop();
        lock(&self.said).stopped();
    }
}

fn lock(said: &Mutex<Utterances>) -> std::sync::MutexGuard<'_, Utterances> {
    said.lock().unwrap_or_else(|e| e.into_inner())
}

/// The sentence being said, as the engine's callbacks tell it. A sentence replaced by
/// another (`r` while the question is said cancels the first reading) is reported stopped a
/// moment after the new one began: that is not the end of the one being said, so ends are
/// matched by the engine's id for each sentence.
#[derive(Debug)]
struct Utterances {
    /// The id of the sentence being said; `None` if the engine gave none.
    current: Option<String>,
    /// Some end was reported since the sentence started (for an engine that gives no ids).
    any_ended: bool,
    /// The ids of the sentences reported over, the latest last.
    ended: VecDeque<String>,
    /// Stopped by us: nothing is being said.
    stopped: bool,
}

/// How many ended ids are remembered: far more than can be reported late at once.
const ENDED_KEPT: usize = 16;

impl Default for Utterances {
    /// Nothing said yet.
    fn default() -> Self {
        Utterances {
            current: None,
            any_ended: false,
            ended: VecDeque::new(),
            stopped: true,
        }
    }
}

impl Utterances {
    /// A sentence is about to be started.
    fn starting(&mut self) {
        self.current = None;
        self.any_ended = false;
        self.stopped = false;
    }

    /// The engine took the sentence, under `id`.
    fn started(&mut self, id: Option<String>) {
        self.current = id;
    }

    /// The engine reports the sentence `id` over (said or cancelled).
    fn ended(&mut self, id: String) {
        if self.ended.len() == ENDED_KEPT {
            self.ended.pop_front();
        }
        self.ended.push_back(id);
        self.any_ended = true;
    }

    fn stopped(&mut self) {
        self.stopped = true;
    }

    fn is_speaking(&self) -> bool {
        !self.stopped
            && match &self.current {
                Some(id) => !self.ended.contains(id),
                None => !self.any_ended,
            }
    }
}

#[cfg(test)]
mod tests {
    use super::Utterances;

    #[test]
    fn a_replaced_sentence_reported_over_late_is_not_the_end_of_the_new_one() {
        let mut u = Utterances::default();
        assert!(!u.is_speaking(), "nothing said yet");
        u.starting();
        u.started(Some("1".into()));
        assert!(u.is_speaking());
        // `r`: the question again; the first reading's cancellation is reported after the
        // second reading has begun.
        u.starting();
        u.started(Some("2".into()));
        u.ended("1".into());
        assert!(u.is_speaking(), "the re-read is still being said");
        u.ended("2".into());
        assert!(!u.is_speaking());
        // Its end reported before `speak` even returned its id.
        u.starting();
        u.ended("3".into());
        u.started(Some("3".into()));
        assert!(!u.is_speaking());
        // Stopped by us: over at once.
        u.starting();
        u.started(Some("4".into()));
        u.stopped();
        assert!(!u.is_speaking());
        // An engine without ids: any end counts, as before.
        u.starting();
        u.started(None);
        assert!(u.is_speaking());
        u.ended("x".into());
        assert!(!u.is_speaking());
    }
}
