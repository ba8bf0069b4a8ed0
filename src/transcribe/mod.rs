//! Offline transcription: a WAV in, a [`Transcript`] (the text and every word with its start and
//! end time) out. The engine sits behind the [`Engine`] trait; `whisper.rs` (whisper.cpp through
//! whisper-rs, cargo feature `transcribe`) is the one module that names whisper-rs. This module
//! owns the audio preparation every engine shares: mono, 16 kHz, and silence trimmed with the
//! project's own voice activity (`analysis`), because Whisper can invent words over silence.
//! `measures.rs` is pure text arithmetic on the words; `worker.rs` runs transcriptions on a
//! background thread for the session; `isolated.rs` runs the engine itself in a child process
//! per job, so a model that crashes or hangs whisper.cpp costs a transcript, never the caller.
//! No devices, no terminal, no network.

pub mod isolated;
pub mod measures;
pub mod sidecar;
#[cfg(feature = "transcribe")]
pub mod whisper;
pub mod worker;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::analysis;
use crate::audio::wav_reader::{WavError, WavReader};

/// The short prompt that keeps Whisper writing fillers it was trained to drop. Longer prompts
/// make it truncate or loop; even so, counted fillers are a lower bound.
pub const FILLER_PROMPT: &str = "Um, uh, hmm, er, ah.";

/// Silence kept before the first and after the last speech, so no word onset is clipped.
const LEAD_S: f64 = 0.3;
const TAIL_S: f64 = 0.4;
/// The rate every transcription engine here takes.
pub const MODEL_RATE: u32 = 16_000;

/// whisper.cpp refuses input shorter than a second; shorter speech is padded with silence.
const MIN_INPUT_S: f64 = 1.05;

/// One transcribed word: its text as written (with any punctuation) and its time in the
/// recording, in seconds from the recording's start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Word {
    pub text: String,
    pub start_s: f64,
    pub end_s: f64,
}

/// What one recording said.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Transcript {
    /// The model that produced it (its file name).
    pub model: String,
    pub text: String,
    pub words: Vec<Word>,
    /// The recording's length.
    pub duration_s: f64,
    /// The span given to the engine (speech with a margin); `None` when no speech was found.
    pub speech_span_s: Option<(f64, f64)>,
}

#[derive(Debug, Error)]
pub enum EngineError {
    #[error("cannot load the model {path}: {message}")]
    Load { path: PathBuf, message: String },
    #[error("transcription failed: {0}")]
    Run(String),
}

#[derive(Debug, Error)]
pub enum TranscribeError {
    #[error(transparent)]
    Wav(#[from] WavError),
    #[error(transparent)]
    Engine(#[from] EngineError),
}

/// A speech-to-text engine: 16 kHz mono samples in, words with times (from the first sample)
/// out. Engines are used from one thread at a time, possibly not the one that made them.
pub trait Engine: Send {
    fn words(&mut self, samples_16k: &[f32]) -> Result<Vec<Word>, EngineError>;
    /// The model's name, for the transcript.
    fn model(&self) -> &str;
}

/// Reads the WAV at `path` (any rate, any channel count) and transcribes its speech.
pub fn transcribe_file(
    engine: &mut dyn Engine,
    path: &Path,
) -> Result<Transcript, TranscribeError> {
    let mut reader = WavReader::open(path)?;
    let rate = reader.spec().sample_rate;
    let mut mono = Vec::new();
    let mut block = Vec::new();
    loop {
        reader.read_block(&mut block)?;
        if block.is_empty() {
            break;
        }
        mono.extend_from_slice(&block);
    }
    Ok(transcribe_samples(engine, &mono, rate)?)
}

/// Transcribes mono samples at `rate` Hz: finds the speech, trims the silence around it,
/// resamples to 16 kHz and shifts the engine's word times back onto the recording's clock.
pub fn transcribe_samples(
    engine: &mut dyn Engine,
    mono: &[f32],
    rate: u32,
) -> Result<Transcript, EngineError> {
    let duration_s = mono.len() as f64 / rate as f64;
    let measures = analysis::analyze(mono, rate, analysis::Params::default());
    let span = measures
        .first_speech_s
        .zip(measures.last_speech_s)
        .map(|(first, last)| ((first - LEAD_S).max(0.0), (last + TAIL_S).min(duration_s)));
    let Some((from_s, to_s)) = span else {
        return Ok(Transcript {
            model: engine.model().to_string(),
            text: String::new(),
            words: Vec::new(),
            duration_s,
            speech_span_s: None,
        });
    };
    let from = (from_s * rate as f64) as usize;
    let to = ((to_s * rate as f64) as usize).min(mono.len());
    let mut input = crate::audio::resample::resample(&mono[from..to], rate, MODEL_RATE)
        .map_err(EngineError::Run)?;
    let min_len = (MIN_INPUT_S * MODEL_RATE as f64) as usize;
    if input.len() < min_len {
        input.resize(min_len, 0.0);
    }
    let words: Vec<Word> = engine
        .words(&input)?
        .into_iter()
        .map(|w| Word {
            text: w.text,
            start_s: round_ms((w.start_s + from_s).min(to_s)),
            end_s: round_ms((w.end_s + from_s).min(to_s)),
        })
        .collect();
    Ok(Transcript {
        model: engine.model().to_string(),
        text: join_words(&words),
        words,
        duration_s,
        speech_span_s: Some((round_ms(from_s), round_ms(to_s))),
    })
}

fn round_ms(s: f64) -> f64 {
    (s * 1000.0).round() / 1000.0
}

/// The words as running text.
pub fn join_words(words: &[Word]) -> String {
    words
        .iter()
        .map(|w| w.text.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The engine every command uses: whisper.cpp with the model at `path`, on at most `threads`
/// threads, run in a child process per job ([`isolated`]). Nothing is loaded here: a model that
/// cannot load fails its job, with the reason.
pub fn isolated_engine(path: &Path, threads: usize) -> Result<Box<dyn Engine>, EngineError> {
    if !AVAILABLE {
        return Err(EngineError::Load {
            path: path.to_path_buf(),
            message: "this voicemock was built without transcription".into(),
        });
    }
    Ok(Box::new(isolated::IsolatedEngine::new(path, threads)?))
}

/// Loads whisper.cpp in this process: only the isolated child ([`isolated::serve`]) does this,
/// as a damaged model can abort the process that loads it.
pub(crate) fn load_in_process(path: &Path, threads: usize) -> Result<Box<dyn Engine>, EngineError> {
    // whisper.cpp reads past the end of a file cut short without noticing.
    crate::models::ggml::check(path).map_err(|message| EngineError::Load {
        path: path.to_path_buf(),
        message,
    })?;
    #[cfg(feature = "transcribe")]
    {
        Ok(Box::new(whisper::WhisperEngine::load(path, threads)?))
    }
    #[cfg(not(feature = "transcribe"))]
    {
        let _ = threads;
        Err(EngineError::Load {
            path: path.to_path_buf(),
            message: "this voicemock was built without transcription".into(),
        })
    }
}

/// Proves a model file works before it is installed: it must load and transcribe a second of
/// a test signal (a voiced buzz), in the isolated engine, within the usual time bound.
pub fn check_model(path: &Path) -> Result<(), EngineError> {
    let mut engine = isolated_engine(path, engine_threads())?;
    let signal: Vec<f32> = (0..(MIN_INPUT_S * MODEL_RATE as f64) as usize)
        .map(|i| {
            let t = i as f64 / MODEL_RATE as f64;
            let envelope = (std::f64::consts::PI * 4.0 * t).sin().abs();
            let voice: f64 = (1..6)
                .map(|h| (2.0 * std::f64::consts::PI * 140.0 * h as f64 * t).sin() / h as f64)
                .sum();
            (0.2 * envelope * voice) as f32
        })
        .collect();
    engine.words(&signal).map(|_| ())
}

/// A model's name from its file: `ggml-base.en.bin` → `base.en`.
pub fn model_name(path: &Path) -> String {
    path.file_name()
        .and_then(|f| f.to_str())
        .map(|f| {
            f.trim_start_matches("ggml-")
                .trim_end_matches(".bin")
                .to_string()
        })
        .unwrap_or_default()
}

/// Whether this build can transcribe (the cargo feature `transcribe`).
pub const AVAILABLE: bool = cfg!(feature = "transcribe");

/// Threads for the engine: all cores but one, so capture and the session loop keep a core.
pub fn engine_threads() -> usize {
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    cores.saturating_sub(1).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Says one word per second of input it is given, and records what it was given.
    struct Counting {
        seen_s: Vec<f64>,
    }

    impl Engine for Counting {
        fn words(&mut self, samples: &[f32]) -> Result<Vec<Word>, EngineError> {
            let secs = samples.len() as f64 / MODEL_RATE as f64;
            self.seen_s.push(secs);
            Ok((0..secs.floor() as usize)
                .map(|i| Word {
                    text: format!("w{i}"),
                    start_s: i as f64,
                    end_s: i as f64 + 0.5,
                })
                .collect())
        }
        fn model(&self) -> &str {
            "counting"
        }
    }

    /// Silence, then a voiced 150 Hz buzz with syllable-like pulses from `from` to `to` seconds.
    fn speechlike(rate: u32, total_s: f64, from: f64, to: f64) -> Vec<f32> {
        (0..(total_s * rate as f64) as usize)
            .map(|i| {
                let t = i as f64 / rate as f64;
                if t < from || t > to {
                    return 0.0;
                }
                let envelope = (std::f64::consts::PI * 4.0 * (t - from)).sin().abs();
                let voice: f64 = (1..8)
                    .map(|h| (2.0 * std::f64::consts::PI * 150.0 * h as f64 * t).sin() / h as f64)
                    .sum();
                (0.2 * envelope * voice) as f32
            })
            .collect()
    }

    #[test]
    fn silence_around_speech_is_trimmed_and_times_are_shifted_back() {
        let mut engine = Counting { seen_s: Vec::new() };
        let rate = 48_000;
        let t = transcribe_samples(&mut engine, &speechlike(rate, 10.0, 3.0, 6.0), rate).unwrap();
        // The engine saw about 3 s of speech plus the margins, not 10 s.
        let seen = engine.seen_s[0];
        assert!((3.0..4.5).contains(&seen), "engine got {seen} s");
        let (from, to) = t.speech_span_s.unwrap();
        assert!(
            (2.5..3.0).contains(&from) && (6.0..6.6).contains(&to),
            "{from}..{to}"
        );
        assert_eq!(t.words[0].start_s, from);
        assert!(t.words.iter().all(|w| w.start_s >= from && w.end_s <= to));
        assert_eq!(t.text, join_words(&t.words));
        assert_eq!(t.duration_s, 10.0);
    }

    #[test]
    fn silence_alone_is_never_given_to_the_engine() {
        let mut engine = Counting { seen_s: Vec::new() };
        let t = transcribe_samples(&mut engine, &vec![0.0; 32_000], 16_000).unwrap();
        assert!(engine.seen_s.is_empty());
        assert!(t.words.is_empty() && t.text.is_empty() && t.speech_span_s.is_none());
    }

    #[test]
    fn short_speech_is_padded_to_what_the_engine_accepts() {
        let mut engine = Counting { seen_s: Vec::new() };
        transcribe_samples(&mut engine, &speechlike(16_000, 2.0, 0.8, 1.0), 16_000).unwrap();
        assert!(
            engine.seen_s[0] >= MIN_INPUT_S - 1e-9,
            "{:?}",
            engine.seen_s
        );
    }
}
