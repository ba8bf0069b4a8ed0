//! `voicemock transcribe FILE.wav`: writes down what a recording says, on this machine, and
//! measures the words (pace, fillers, repeats, "I" and "we", numbers).
//!
//! JSON shape: `{"file", "model", "text", "words": [{"text", "start_s", "end_s"}],
//! "duration_s", "speech_span_s", "measures": {…}}`.

use std::path::PathBuf;

use crate::cli::TranscribeArgs;
use crate::transcribe::measures::{self, TextMeasures};
use crate::transcribe::Transcript;
use crate::ui::outln;

#[derive(serde::Serialize)]
struct Output<'a> {
    file: &'a PathBuf,
    #[serde(flatten)]
    transcript: &'a Transcript,
    measures: &'a TextMeasures,
}

pub fn run(args: &TranscribeArgs) -> anyhow::Result<()> {
    if args.target.is_dir() {
        anyhow::bail!(
            "{} is a folder; give one recording (a take's .wav file)",
            args.target.display()
        );
    }
    let transcript = transcribe(args)?;
    let m = measures::measure(&transcript.words);
    if args.json {
        let output = Output {
            file: &args.target,
            transcript: &transcript,
            measures: &m,
        };
        outln(serde_json::to_string_pretty(&output)?);
        return Ok(());
    }
    outln(format!(
        "{} (model {}, {:.1} s)",
        args.target.display(),
        transcript.model,
        transcript.duration_s
    ));
    if transcript.words.is_empty() {
        outln("no speech found");
        return Ok(());
    }
    outln(format!("\n{}\n", transcript.text));
    for line in summary_lines(&m) {
        outln(line);
    }
    Ok(())
}

/// The measures in plain words, one per line.
pub fn summary_lines(m: &TextMeasures) -> Vec<String> {
    let mut lines = vec![format!(
        "words: {}{}",
        m.words,
        m.wpm
            .map_or(String::new(), |w| format!(", {w:.0} words per minute"))
    )];
    let fillers: Vec<&str> = m.fillers.iter().map(|h| h.text.as_str()).collect();
    lines.push(format!(
        "filler words: {} ({:.1} per 100 words; at least this many: speech recognition drops some){}",
        m.fillers.len(),
        m.fillers_per_100_words,
        if fillers.is_empty() {
            String::new()
        } else {
            format!(": {}", fillers.join(", "))
        }
    ));
    if !m.repeats.is_empty() {
        let r: Vec<String> = m
            .repeats
            .iter()
            .map(|h| format!("\"{0} {0}\"", h.text))
            .collect();
        lines.push(format!("repeated words: {}", r.join(", ")));
    }
    lines.push(format!("\"I\": {}, \"we\": {}", m.i_count, m.we_count));
    lines.push(if m.gave_number {
        let n: Vec<&str> = m.numbers.iter().map(|h| h.text.as_str()).collect();
        format!("numbers given: {}", n.join(", "))
    } else {
        "numbers given: none".to_string()
    });
    lines
}

#[cfg(feature = "transcribe")]
fn transcribe(args: &TranscribeArgs) -> anyhow::Result<Transcript> {
    use anyhow::Context;

    use crate::models::ModelStore;
    use crate::transcribe::{load_engine, transcribe_file};

    let store = ModelStore::locate()?;
    let model = store.resolve(args.model.as_deref())?;
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    let mut engine = load_engine(&model, threads)?;
    transcribe_file(engine.as_mut(), &args.target)
        .with_context(|| format!("transcribing {}", args.target.display()))
}

#[cfg(not(feature = "transcribe"))]
fn transcribe(_args: &TranscribeArgs) -> anyhow::Result<Transcript> {
    anyhow::bail!("{}", crate::commands::models::NOT_BUILT_IN)
}
