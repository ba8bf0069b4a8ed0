//! A take's transcript as a session keeps it: the words with their times and their measures
//! in a sidecar file beside the take's WAV, and a summary in the session log.

use std::path::Path;

use super::{measures, Transcript};
use crate::record::store::write_atomic;
use crate::record::{transcript_file, TalkingPointLog, TranscriptLog};

/// A take's sidecar: every word with its times, and the measures of the words.
#[derive(serde::Serialize)]
struct Sidecar<'a> {
    #[serde(flatten)]
    transcript: &'a Transcript,
    measures: &'a measures::TextMeasures,
}

/// The log's summary of a transcript, with the talking points it covers and misses.
pub fn summarize(t: &Transcript, take_file: &str, points: &[TalkingPointLog]) -> TranscriptLog {
    let m = measures::measure(&t.words);
    let points: Vec<crate::pack::TalkingPoint> = points
        .iter()
        .map(|p| crate::pack::TalkingPoint {
            point: p.point.clone(),
            words: p.words.clone(),
        })
        .collect();
    let coverage = measures::coverage(&t.words, &points);
    TranscriptLog {
        file: transcript_file(take_file),
        model: t.model.clone(),
        text: t.text.clone(),
        words: m.words,
        wpm: m.wpm,
        fillers: m.fillers.len(),
        fillers_per_100_words: m.fillers_per_100_words,
        i_count: m.i_count,
        we_count: m.we_count,
        gave_number: m.gave_number,
        covered: coverage
            .iter()
            .filter(|c| c.covered)
            .map(|c| c.point.clone())
            .collect(),
        missed: coverage
            .iter()
            .filter(|c| !c.covered)
            .map(|c| c.point.clone())
            .collect(),
    }
}

/// Writes the sidecar `summary.file` in the session folder `dir`.
pub fn write(dir: &Path, summary: &TranscriptLog, t: &Transcript) -> std::io::Result<()> {
    let sidecar = Sidecar {
        transcript: t,
        measures: &measures::measure(&t.words),
    };
    let json = serde_json::to_vec_pretty(&sidecar).map_err(std::io::Error::other)?;
    write_atomic(&dir.join(&summary.file), &json)
}

/// The words of a take's transcript, from its sidecar in the session folder `dir`; `None` if
/// the sidecar is missing or damaged.
pub fn read_words(dir: &Path, summary: &TranscriptLog) -> Option<Vec<super::Word>> {
    #[derive(serde::Deserialize)]
    struct Words {
        words: Vec<super::Word>,
    }
    let path = dir.join(&summary.file);
    // A sidecar voicemock wrote is a few hundred kilobytes at most.
    if std::fs::symlink_metadata(&path).ok()?.len() > 16 << 20 {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str::<Words>(&text).ok().map(|w| w.words)
}
