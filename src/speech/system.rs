//! The system's text-to-speech through the `tts` crate: speech-dispatcher on Linux, the
//! native engines on macOS and Windows.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
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
    /// Set by the utterance-end callback; cleared when a sentence starts.
    ended: Arc<AtomicBool>,
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
        let ended = Arc::new(AtomicBool::new(true));
        let features = tts.supported_features();
        let has_callbacks = features.utterance_callbacks
            && {
                let flag = Arc::clone(&ended);
                tts.on_utterance_end(Some(Box::new(move |_| flag.store(true, Ordering::Release))))
                    .is_ok()
            }
            && {
                let flag = Arc::clone(&ended);
                tts.on_utterance_stop(Some(Box::new(move |_| flag.store(true, Ordering::Release))))
                    .is_ok()
            };
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
            ended,
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
        self.ended.store(false, Ordering::Release);
        self.seen_speaking.set(false);
        self.started_at = Some(Instant::now());
        self.tts
            .speak(text, true)
            .map(|_| ())
            .map_err(|e| SpeechError::Failed(e.to_string()))
    }

    fn is_speaking(&self) -> bool {
        let Some(started) = self.started_at else {
            return false;
        };
        if self.has_callbacks {
            // The end callback is the reliable signal; it fires after the audio has played.
            return !self.ended.load(Ordering::Acquire);
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
        self.ended.store(true, Ordering::Release);
    }
}
