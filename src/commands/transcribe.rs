//! `voicemock transcribe FILE.wav|SESSION`: writes down what a recording says, on this machine,
//! and measures the words (pace, fillers, repeats, "I" and "we", numbers). For a session, every
//! take, with each transcript kept beside its take and in the session log.
//!
//! JSON shape: for a file `{"file", "model", "text", "words": [{"text", "start_s", "end_s"}],
//! "duration_s", "speech_span_s", "measures": {…}}`; for a session an array of `{"file",
//! "transcript", "measures", "covered", "missed", "facts"}` (`facts`: the take's facts with
//! the pace now from its words, as the log keeps them; or `{"file", "error"}`).

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
        return transcribe_session(args);
    }
    // Checked before a model is loaded: a pipe or a device is no recording, and a FIFO
    // would hold the reading for ever.
    crate::files::open_regular(&args.target)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.target.display()))?;
    let mut engine = engine(args)?;
    let transcript = transcribe_one(engine.as_mut(), &args.target)?;
    let m = measures::measure(&transcript.words);
    if args.json {
        let output = Output {
            file: &args.target,
            transcript: &transcript,
            measures: &m,
        };
        outln(crate::ui::json(&output)?);
        return Ok(());
    }
    outln(format_args!(
        "{} (model {}, {:.1} s)",
        args.target.display(),
        transcript.model,
        transcript.duration_s
    ));
    if transcript.words.is_empty() {
        outln("no speech found");
        return Ok(());
    }
    outln(format_args!("\n{}\n", transcript.text));
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
    let fillers: Vec<String> = m.fillers.iter().map(|h| h.text.clone()).collect();
    let listed = |hits: &[String]| {
        if hits.is_empty() {
            String::new()
        } else {
            format!(": {}", hits.join(", "))
        }
    };
    lines.push(format!(
        "filler words: {} ({:.1} per 100 words{}; at least this many: speech recognition drops some){}",
        m.fillers.len(),
        m.fillers_per_100_words,
        m.fillers_per_min
            .map_or(String::new(), |r| format!(", {r:.1} a minute")),
        listed(&fillers)
    ));
    let hedges: Vec<String> = m.hedges.iter().map(|h| h.text.clone()).collect();
    lines.push(format!(
        "hedging words: {} ({:.1} per 100 words){}",
        m.hedges.len(),
        m.hedges_per_100_words,
        listed(&hedges)
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

/// Every take of a session: each transcript goes in a sidecar beside its WAV and in the
/// session log, as a session's own background transcription leaves them.
fn transcribe_session(args: &TranscribeArgs) -> anyhow::Result<()> {
    use anyhow::Context;

    use crate::record::folder::SessionLock;
    use crate::record::store::save_log;
    let session = crate::record::load(&args.target).with_context(|| {
        format!(
            "{} is a folder but not a session; give a session folder or one recording",
            args.target.display()
        )
    })?;
    // The log is rewritten: not while the session runs.
    let lock = SessionLock::acquire(&session.dir)
        .with_context(|| format!("{} is still being recorded", session.dir.display()))?;
    let mut log = session.log.clone();
    let usual = session.dir.parent().and_then(|recordings| {
        crate::record::reader::usual_wpm_before(recordings, &log.started_at)
    });
    if log.takes().next().is_none() {
        anyhow::bail!(
            "{}: this session has no recorded takes",
            session.dir.display()
        );
    }
    let mut engine = engine(args)?;
    let mut all = Vec::new();
    let mut failed = 0;
    for q in 0..log.questions.len() {
        for t in 0..log.questions[q].takes.len() {
            let file = log.questions[q].takes[t].file.clone();
            let wav = match session.take_path(&file) {
                Ok(wav) => wav,
                Err(e) => {
                    // Damaged: nothing is read, and nothing written beside it.
                    failed += 1;
                    crate::ui::warn(format_args!("{e}"));
                    all.push(serde_json::json!({ "file": file, "error": e.to_string() }));
                    continue;
                }
            };
            match transcribe_one(engine.as_mut(), &wav) {
                Ok(transcript) => {
                    match keep_transcript(
                        &mut log,
                        (q, t),
                        &session.dir,
                        &wav,
                        &transcript,
                        usual,
                        args.json,
                    ) {
                        Ok(entry) => all.push(entry),
                        Err(entry) => {
                            failed += 1;
                            all.push(entry);
                        }
                    }
                }
                Err(e) => {
                    failed += 1;
                    crate::ui::warn(format_args!("{}: {e:#}", wav.display()));
                    all.push(serde_json::json!({ "file": wav, "error": format!("{e:#}") }));
                    log.questions[q].takes[t].transcript_error = Some(format!("{e:#}"));
                }
            }
        }
    }
    save_log(&session.dir, &log).context("writing the session log")?;
    let review = crate::report::review_markdown(&log);
    crate::files::write_atomic(
        &session.dir.join(crate::record::REVIEW_FILE),
        review.as_bytes(),
    )
    .context("writing the review sheet")?;
    lock.release();
    if args.json {
        outln(crate::ui::json(&all)?);
    }
    if failed > 0 {
        anyhow::bail!("{failed} take(s) of {} could not be transcribed", log.id);
    }
    Ok(())
}

/// Keeps take `t` of question `q`'s new transcript: its sidecar beside the WAV, the summary
/// and the facts worked out again in the log (the pace now comes from the words, remarked
/// against the usual pace of the sessions before this one, as when it ran), and its line. The
/// `--json` entry for it, or the entry saying why it was not written.
fn keep_transcript(
    log: &mut crate::record::SessionLog,
    (q, t): (usize, usize),
    dir: &std::path::Path,
    wav: &std::path::Path,
    transcript: &Transcript,
    usual: Option<f64>,
    json: bool,
) -> Result<serde_json::Value, serde_json::Value> {
    use crate::record::TakeFacts;
    use crate::transcribe::sidecar;

    let question = &log.questions[q];
    let file = &question.takes[t].file;
    let summary = sidecar::summarize(
        transcript,
        file,
        &question.category,
        &question.talking_points,
    );
    if let Err(e) = sidecar::write(dir, &summary, transcript) {
        crate::ui::warn(format_args!("not written: {e}"));
        return Err(serde_json::json!({ "file": wav, "error": e.to_string() }));
    }
    let take = &mut log.questions[q].takes[t];
    take.transcript = Some(summary.clone());
    take.transcript_error = None;
    let facts = TakeFacts::of(&log.questions[q], &log.questions[q].takes[t], usual);
    if !json {
        outln(crate::report::transcript_line(
            q + 1,
            log.questions[q].takes[t].take,
            &summary,
            Some(&facts),
        ));
    }
    log.questions[q].takes[t].facts = Some(facts);
    Ok(serde_json::json!({
        "file": wav,
        "transcript": transcript,
        "measures": measures::measure(&transcript.words),
        "covered": summary.covered,
        "missed": summary.missed,
        "facts": log.questions[q].takes[t].facts,
    }))
}

#[cfg(feature = "transcribe")]
fn engine(args: &TranscribeArgs) -> anyhow::Result<Box<dyn crate::transcribe::Engine>> {
    use crate::models::ModelStore;

    let store = ModelStore::locate()?;
    let model = store.resolve(args.model.as_deref())?;
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    Ok(crate::transcribe::isolated_engine(&model, threads)?)
}

#[cfg(not(feature = "transcribe"))]
fn engine(_args: &TranscribeArgs) -> anyhow::Result<Box<dyn crate::transcribe::Engine>> {
    anyhow::bail!("{}", crate::commands::models::NOT_BUILT_IN)
}

fn transcribe_one(
    engine: &mut dyn crate::transcribe::Engine,
    wav: &std::path::Path,
) -> anyhow::Result<Transcript> {
    use anyhow::Context;
    crate::transcribe::transcribe_file(engine, wav)
        .with_context(|| format!("transcribing {}", wav.display()))
}
