//! A take's transcript as a session keeps it: the words with their times and their measures
//! in a sidecar file beside the take's WAV, and a summary in the session log.

use std::path::Path;

use super::{measures, Transcript};
use crate::record::store::write_sidecar;
use crate::record::{transcript_file, TalkingPointLog, TranscriptLog};

/// A take's sidecar: every word with its times, and the measures of the words.
#[derive(serde::Serialize)]
struct Sidecar<'a> {
    #[serde(flatten)]
    transcript: &'a Transcript,
    measures: &'a measures::TextMeasures,
}

/// The log's summary of a transcript, with the talking points it covers and misses, and for a
/// question of `category` that asks for one ([`measures::asks_for_result`]), where it gave a
/// result with a number.
pub fn summarize(
    t: &Transcript,
    take_file: &str,
    category: &str,
    points: &[TalkingPointLog],
) -> TranscriptLog {
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
        fillers_per_min: m.fillers_per_min,
        hedges: Some(m.hedges.len()),
        hedges_per_100_words: Some(m.hedges_per_100_words),
        result: measures::asks_for_result(category).then_some(m.result_place),
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

/// Writes the sidecar `summary.file` in the session folder `dir`: only inside it, and only
/// over a transcript sidecar voicemock wrote (`store::write_sidecar`).
pub fn write(dir: &Path, summary: &TranscriptLog, t: &Transcript) -> std::io::Result<()> {
    let sidecar = Sidecar {
        transcript: t,
        measures: &measures::measure(&t.words),
    };
    let json = serde_json::to_vec_pretty(&sidecar).map_err(std::io::Error::other)?;
    write_sidecar(dir, &summary.file, &json, is_sidecar)
}

/// A sidecar voicemock wrote is a few hundred kilobytes at most.
const MAX_SIDECAR_BYTES: u64 = 16 << 20;

/// What a transcript sidecar holds that its readers need; a file that does not parse as this
/// is not one voicemock wrote.
#[derive(serde::Deserialize)]
struct Words {
    /// Required, though not read: a sidecar has them.
    #[serde(rename = "model")]
    _model: String,
    words: Vec<super::Word>,
    #[serde(rename = "measures")]
    _measures: serde_json::Map<String, serde_json::Value>,
}

/// A transcript's words as the page shows them: each with whether it is (part of) a filler.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Said {
    pub words: Vec<super::Word>,
    /// One flag a word: a filler counted in the sidecar's measures.
    pub filler: Vec<bool>,
}

/// A filler as a sidecar stores it: older sidecars have no `word`, and their `at_s` is the
/// start of the filler's first word.
#[derive(serde::Deserialize)]
struct StoredHit {
    text: String,
    at_s: f64,
    #[serde(default)]
    word: Option<usize>,
}

/// The words of a take's transcript and its fillers, from its sidecar at `path` (a path the
/// session reader gave); `None` if the sidecar is missing or damaged. The fillers are those
/// the sidecar's measures counted, not counted again.
pub fn read_words(path: &Path) -> Option<Said> {
    let bytes = crate::files::read_regular(path, MAX_SIDECAR_BYTES).ok()?;
    let w = serde_json::from_slice::<Words>(&bytes).ok()?;
    let hits: Vec<StoredHit> = w
        ._measures
        .get("fillers")
        .and_then(|f| serde_json::from_value(f.clone()).ok())
        .unwrap_or_default();
    let mut filler = vec![false; w.words.len()];
    for h in hits {
        let first = h
            .word
            .or_else(|| (0..w.words.len()).find(|&i| w.words[i].start_s == h.at_s && !filler[i]));
        if let Some(first) = first {
            let n = h.text.split_whitespace().count().max(1);
            for flag in filler.iter_mut().skip(first).take(n) {
                *flag = true;
            }
        }
    }
    Some(Said {
        words: w.words,
        filler,
    })
}

/// True if `bytes` are a transcript sidecar as voicemock writes them: only such a file is
/// ever written over.
pub fn is_sidecar(bytes: &[u8]) -> bool {
    serde_json::from_slice::<Words>(bytes).is_ok()
}
