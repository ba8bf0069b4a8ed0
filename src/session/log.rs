//! `session.json`: the versioned record of one session, rewritten atomically after every
//! change so that a crash loses at most the answer in progress.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::machine::{EndedBy, Status, Step};
use super::store::write_atomic;
use crate::analysis::Measures;

/// Bumped whenever a field changes meaning or is removed; readers check it.
pub const LOG_VERSION: u32 = 1;
pub const LOG_FILE: &str = "session.json";
pub const REVIEW_FILE: &str = "review.md";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SessionLog {
    pub version: u32,
    pub id: String,
    pub status: Status,
    pub started_at: String,
    pub ended_at: Option<String>,
    pub pack: PackRef,
    pub settings: Settings,
    pub input_device: String,
    /// Whether questions were spoken, and if not, why.
    pub speech: String,
    pub questions: Vec<QuestionLog>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PackRef {
    pub name: String,
    pub title: String,
    pub origin: String,
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
    pub limit_s: f64,
    pub min_s: f64,
    pub think_s: f64,
    pub think_used_s: f64,
    /// True once the question was said aloud.
    pub spoken: bool,
    pub outcome: Outcome,
    pub takes: Vec<TakeLog>,
}

impl QuestionLog {
    /// A question as planned: not asked yet, nothing recorded.
    pub fn planned(id: &str, category: &str, step: &Step) -> QuestionLog {
        QuestionLog {
            id: id.to_string(),
            category: category.to_string(),
            text: step.text.clone(),
            limit_s: step.limit_s,
            min_s: step.min_s,
            think_s: step.think_s,
            think_used_s: 0.0,
            spoken: false,
            outcome: Outcome::NotReached,
            takes: Vec::new(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TakeLog {
    pub take: u32,
    /// The WAV file, relative to the session folder.
    pub file: String,
    pub started_at: String,
    pub duration_s: f64,
    /// `None` while the take is being recorded (seen only after a crash).
    pub ended_by: Option<EndedBy>,
    pub overtime_s: f64,
    pub sample_rate: u32,
    pub peak_dbfs: f64,
    pub rms_dbfs: f64,
    /// `good`, `too quiet`, `silent` or `clipping`.
    pub level: String,
    pub overruns: u64,
    pub stream_errors: u64,
    pub analysis: Option<Measures>,
}

impl SessionLog {
    pub fn save(&self, dir: &Path) -> std::io::Result<()> {
        let json = serde_json::to_vec_pretty(self).map_err(std::io::Error::other)?;
        write_atomic(&dir.join(LOG_FILE), &json)
    }

    pub fn load(dir: &Path) -> anyhow::Result<SessionLog> {
        let path = dir.join(LOG_FILE);
        let text = std::fs::read_to_string(&path)
            .map_err(|e| anyhow::anyhow!("cannot read {}: {e}", path.display()))?;
        let log: SessionLog = serde_json::from_str(&text).map_err(|e| {
            anyhow::anyhow!("{} is not a voicemock session log: {e}", path.display())
        })?;
        if log.version != LOG_VERSION {
            anyhow::bail!(
                "{} has format version {}, this voicemock reads version {LOG_VERSION}",
                path.display(),
                log.version
            );
        }
        Ok(log)
    }

    /// Every finished take in the log, in order.
    pub fn takes(&self) -> impl Iterator<Item = (&QuestionLog, &TakeLog)> {
        self.questions
            .iter()
            .flat_map(|q| q.takes.iter().map(move |t| (q, t)))
    }
}

/// The speaker's usual pace: the median estimated words per minute over the answered takes
/// of earlier sessions in `recordings`. Needs three takes before it says anything.
pub fn usual_wpm(recordings: &Path, except_session: &str) -> Option<f64> {
    let rates: Vec<f64> = std::fs::read_dir(recordings)
        .ok()?
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy() != except_session)
        .filter_map(|e| SessionLog::load(&e.path()).ok())
        .flat_map(|log| {
            log.takes()
                .filter_map(|(_, t)| t.analysis.as_ref().map(|a| a.est_wpm))
                .filter(|w| *w > 0.0)
                .collect::<Vec<_>>()
        })
        .collect();
    if rates.len() < 3 {
        return None;
    }
    median(&rates)
}

/// The middle value (the mean of the two middle ones for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut values = values.to_vec();
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

#[cfg(test)]
mod tests {
    use super::median;

    #[test]
    fn median_of_earlier_takes() {
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[150.0, 100.0, 120.0]), Some(120.0));
        assert_eq!(median(&[100.0, 120.0]), Some(110.0));
    }
}
