//! The files a take keeps beside its WAV: the levels sidecar (its level envelope and pitch
//! contour, so a page is drawn without reading the WAV again) and the transcript's, by name.

use serde::{Deserialize, Serialize};

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

/// The sidecar that holds a take's transcript: `q01-x-take1.wav` → `q01-x-take1.transcript.json`.
pub fn transcript_file(take_file: &str) -> String {
    let stem = take_file.strip_suffix(".wav").unwrap_or(take_file);
    format!("{stem}.transcript.json")
}
