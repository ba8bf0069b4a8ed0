//! What the analysis measured of a take, in the log's own types: mapped from
//! `analysis::Measures`, so the file changes only where this mapping says so.

use serde::{Deserialize, Serialize};

use crate::analysis;

/// What the analysis measured of a take, as the log keeps it: the log's own type, mapped from
/// `analysis::Measures`, so a change to the analysis changes the file only where this mapping
/// says so. Field names are the file's; times in seconds from the start of the file, levels
/// in dB re full scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TakeMeasures {
    pub duration_s: f64,
    pub speech_s: f64,
    pub first_speech_s: Option<f64>,
    pub last_speech_s: Option<f64>,
    pub pauses: Vec<PauseLog>,
    pub pause_count: usize,
    pub long_pause_count: usize,
    pub longest_pause_s: f64,
    pub syllables: usize,
    pub speech_rate_sps: f64,
    pub articulation_rate_sps: f64,
    pub est_wpm: f64,
    pub peak_dbfs: f64,
    #[serde(alias = "rms_dbfs")]
    pub speech_rms_dbfs: Option<f64>,
    pub clipped_fraction: f64,
    /// `None` in logs written before the voice was measured.
    #[serde(default)]
    pub voice: Option<VoiceLog>,
}

/// A pause between the first and the last speech, as the log keeps it.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PauseLog {
    pub start_s: f64,
    pub end_s: f64,
}

impl PauseLog {
    pub fn duration_s(&self) -> f64 {
        self.end_s - self.start_s
    }
}

/// How the voice sounded, as the log keeps it (every field defaults: logs grew them in turn).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VoiceLog {
    #[serde(default)]
    pub voiced_s: f64,
    #[serde(default)]
    pub pitch_median_hz: Option<f64>,
    #[serde(default)]
    pub pitch_sd_st: Option<f64>,
    #[serde(default)]
    pub pitch_range_st: Option<f64>,
    #[serde(default)]
    pub monotone: Option<bool>,
    #[serde(default)]
    pub loudness_sd_db: Option<f64>,
    #[serde(default)]
    pub phrases: usize,
    #[serde(default)]
    pub trailing_off: usize,
}

impl From<&analysis::Measures> for TakeMeasures {
    fn from(m: &analysis::Measures) -> TakeMeasures {
        TakeMeasures {
            duration_s: m.duration_s,
            speech_s: m.speech_s,
            first_speech_s: m.first_speech_s,
            last_speech_s: m.last_speech_s,
            pauses: m.pauses.iter().map(PauseLog::from).collect(),
            pause_count: m.pause_count,
            long_pause_count: m.long_pause_count,
            longest_pause_s: m.longest_pause_s,
            syllables: m.syllables,
            speech_rate_sps: m.speech_rate_sps,
            articulation_rate_sps: m.articulation_rate_sps,
            est_wpm: m.est_wpm,
            peak_dbfs: m.peak_dbfs,
            speech_rms_dbfs: m.speech_rms_dbfs,
            clipped_fraction: m.clipped_fraction,
            voice: m.voice.as_ref().map(VoiceLog::from),
        }
    }
}

impl From<analysis::Measures> for TakeMeasures {
    fn from(m: analysis::Measures) -> TakeMeasures {
        TakeMeasures::from(&m)
    }
}

impl From<&analysis::Pause> for PauseLog {
    fn from(p: &analysis::Pause) -> PauseLog {
        PauseLog {
            start_s: p.start_s,
            end_s: p.end_s,
        }
    }
}

impl From<&analysis::Voice> for VoiceLog {
    fn from(v: &analysis::Voice) -> VoiceLog {
        VoiceLog {
            voiced_s: v.voiced_s,
            pitch_median_hz: v.pitch_median_hz,
            pitch_sd_st: v.pitch_sd_st,
            pitch_range_st: v.pitch_range_st,
            monotone: v.monotone,
            loudness_sd_db: v.loudness_sd_db,
            phrases: v.phrases,
            trailing_off: v.trailing_off,
        }
    }
}
