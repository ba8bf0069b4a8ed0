//! `voicemock analyze`: reads one WAV file, or every take (`*.wav`, by name) of a session
//! folder, and prints the `analysis` measures as a table or as JSON.
//!
//! JSON shape: for a file, one object `{"file": PATH, "analysis": MEASURES, "remarks": [..]}`;
//! for a folder, an array of such objects in name order. A take that cannot be read appears as
//! `{"file": PATH, "error": MESSAGE}` and makes the command fail after printing the rest.
//! With `--pitch-track`, each object also has `"pitch_track": {"step_s": .., "hz": [..]}`.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context};

use crate::analysis::{Measures, Params, LONG_PAUSE_S, SYLLABLES_PER_WORD};
use crate::audio::wav_reader::analyze_file_with_pitch;
use crate::cli::AnalyzeArgs;
use crate::record::{self, facts, TakeFacts};
use crate::ui::Table;

#[derive(serde::Serialize)]
struct Entry {
    file: PathBuf,
    /// The take's facts: for a session's take those its log keeps (the figures every other
    /// view shows), for a recording of no session worked out by the same rule on its own clock.
    #[serde(skip_serializing_if = "Option::is_none")]
    facts: Option<TakeFacts>,
    /// The measures of the recording as read again now, on the file's clock.
    #[serde(skip_serializing_if = "Option::is_none")]
    analysis: Option<Measures>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    remarks: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pitch_track: Option<Track>,
}

/// The pitch track as printed: frame `k` is centred at `(k + 0.5) * step_s`; Hz to a tenth.
#[derive(serde::Serialize)]
struct Track {
    step_s: f64,
    hz: Vec<f64>,
}

impl Entry {
    /// A take that could not be analysed, and why.
    fn failed(file: PathBuf, reason: String) -> Entry {
        Entry {
            file,
            facts: None,
            analysis: None,
            remarks: Vec::new(),
            error: Some(reason),
            pitch_track: None,
        }
    }
}

pub fn run(args: &AnalyzeArgs) -> anyhow::Result<()> {
    if !(args.pause_min.is_finite() && args.pause_min > 0.0 && args.pause_min <= 60.0) {
        bail!(
            "--pause-min must be between 0 and 60 seconds, not {}",
            args.pause_min
        );
    }
    let params = Params {
        pause_min_s: args.pause_min,
    };
    let target = &args.target;
    let is_session = target.is_dir();
    let files = if is_session {
        takes_in(target)?
    } else {
        vec![(target.clone(), None)]
    };
    // What a session's log keeps on each take: the remarks made when it was recorded
    // (reports read the same later), and the cues to leave out of its measures.
    let stored: std::collections::HashMap<PathBuf, Stored> = if is_session {
        stored(target)
    } else {
        Default::default()
    };
    if files.is_empty() {
        bail!("{}: this session has no recorded takes", target.display());
    }

    let mut entries = Vec::with_capacity(files.len());
    for (file, damaged) in files {
        if let Some(reason) = damaged {
            entries.push(Entry::failed(file, reason));
            continue;
        }
        let kept = stored.get(&file);
        let cues = kept.map_or(&[][..], |k| &k.cues_s);
        match analyze_file_with_pitch(&file, params, cues) {
            Ok((m, _, track)) => {
                let pitch_track = args.pitch_track.then(|| Track {
                    step_s: track.step_s,
                    hz: track
                        .hz
                        .iter()
                        .map(|&f| (f64::from(f) * 10.0).round() / 10.0)
                        .collect(),
                });
                // A take's figures and remarks are those its facts keep; a recording of no
                // session gets them by the same rule, on its own clock.
                let facts = match kept.and_then(|k| k.facts.clone()) {
                    Some(f) => f,
                    None => TakeFacts::of_recording(&m),
                };
                let remarks = facts.remarks.clone();
                entries.push(Entry {
                    file,
                    facts: Some(facts),
                    analysis: Some(m),
                    remarks,
                    error: None,
                    pitch_track,
                });
            }
            Err(e) if !is_session => return Err(e.into()),
            Err(e) => entries.push(Entry::failed(file, e.to_string())),
        }
    }

    let out = if args.json {
        if is_session {
            crate::ui::json(&entries)?
        } else {
            crate::ui::json(&entries[0])?
        }
    } else if is_session {
        session_table(&entries, params)
    } else {
        file_table(&entries[0])
    };
    // A reader that stops early (`| head`) is not an error; `ui` notes it for the exit path.
    crate::ui::outln(out);

    let failed = entries.iter().filter(|e| e.error.is_some()).count();
    if failed > 0 {
        bail!(
            "{failed} of {} takes in {} could not be analysed",
            entries.len(),
            target.display()
        );
    }
    Ok(())
}

/// The recordings to analyse in a folder: a session's takes in the order its log lists them
/// (a take whose file is missing is reported, not skipped); for a recordings folder, every
/// session's, oldest first; for any other folder, its `*.wav` files by name.
fn takes_in(dir: &Path) -> anyhow::Result<Vec<Take>> {
    if record::is_session_folder(dir) {
        let session = record::load(dir)?;
        return Ok(session_takes(&session));
    }
    let listing = record::list(dir);
    if !listing.is_empty() {
        let mut files = Vec::new();
        for entry in listing.into_iter().rev() {
            match entry.result {
                Ok(session) => files.extend(session_takes(&session)),
                Err(e) => crate::ui::warn(format_args!("skipping {}: {e}", entry.dir.display())),
            }
        }
        return Ok(files);
    }
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .with_context(|| format!("cannot list {}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file()
                && p.extension()
                    .and_then(|e| e.to_str())
                    .is_some_and(|e| e.eq_ignore_ascii_case("wav"))
        })
        .collect();
    files.sort();
    let files: Vec<Take> = files.into_iter().map(|f| (f, None)).collect();
    if files.is_empty() {
        bail!(
            "{}: no takes here (no session log, no session folders, no *.wav files)",
            dir.display()
        );
    }
    Ok(files)
}

/// What a log keeps on a take that its analysis reads again.
struct Stored {
    facts: Option<TakeFacts>,
    cues_s: Vec<[f64; 2]>,
}

/// What the logs under `dir` keep on their takes, by file.
fn stored(dir: &Path) -> std::collections::HashMap<PathBuf, Stored> {
    let sessions: Vec<record::Session> = if record::is_session_folder(dir) {
        record::load(dir).into_iter().collect()
    } else {
        record::list(dir)
            .into_iter()
            .filter_map(|e| e.result.ok())
            .collect()
    };
    sessions
        .iter()
        .flat_map(|s| {
            s.log.takes().map(move |(_, t)| {
                let kept = Stored {
                    facts: t.facts.clone(),
                    cues_s: t.cues_s.clone(),
                };
                (s.dir.join(&t.file), kept)
            })
        })
        .collect()
}

/// A session's takes, each with why it is left alone if it is damaged.
fn session_takes(session: &record::Session) -> Vec<Take> {
    session
        .log
        .takes()
        .map(|(_, t)| match session.take_path(&t.file) {
            Ok(path) => (path, None),
            Err(e) => (session.dir.join(&t.file), Some(e.to_string())),
        })
        .collect()
}

/// A recording to analyse, or (with a reason) a damaged take not to touch.
type Take = (PathBuf, Option<String>);

fn opt_s(v: Option<f64>) -> String {
    v.map_or_else(|| "—".to_string(), |s| format!("{s:.2} s"))
}

fn file_table(e: &Entry) -> String {
    let Some(m) = &e.analysis else {
        return String::new();
    };
    let mut s = String::new();
    let rows: Vec<(&str, String)> = vec![
        ("duration", format!("{:.2} s", m.duration_s)),
        ("first speech", opt_s(m.first_speech_s)),
        ("last speech", opt_s(m.last_speech_s)),
        ("speaking time", format!("{:.2} s", m.speech_s)),
        (
            "pauses",
            format!(
                "{} ({} of {LONG_PAUSE_S:.0} s or more)",
                m.pause_count, m.long_pause_count
            ),
        ),
        ("longest pause", format!("{:.2} s", m.longest_pause_s)),
        ("syllables (est.)", m.syllables.to_string()),
        (
            "speech rate",
            format!("{:.2} syllables/s", m.speech_rate_sps),
        ),
        (
            "articulation rate",
            format!("{:.2} syllables/s", m.articulation_rate_sps),
        ),
        ("pace (est.)", format!("{:.0} words/min", m.est_wpm)),
        ("peak level", format!("{:.1} dBFS", m.peak_dbfs)),
        (
            "speech level",
            m.speech_rms_dbfs
                .map_or_else(|| "—".into(), |r| format!("{r:.1} dBFS")),
        ),
        ("clipped", format!("{:.3} %", m.clipped_fraction * 100.0)),
    ];
    let voice = m.voice.as_ref();
    let pitch = voice.and_then(|v| {
        Some((
            v.pitch_median_hz?,
            v.pitch_sd_st?,
            v.pitch_range_st?,
            v.monotone == Some(true),
        ))
    });
    let rows = rows.into_iter().chain([
        (
            "pitch",
            pitch.map_or_else(
                || "—".into(),
                |(hz, sd, range, monotone)| {
                    let flat = if monotone { ", monotone" } else { "" };
                    format!("{hz:.0} Hz, varies {sd:.1} st (range {range:.1} st){flat}")
                },
            ),
        ),
        (
            "loudness varies",
            voice
                .and_then(|v| v.loudness_sd_db)
                .map_or_else(|| "—".into(), |db| format!("{db:.1} dB")),
        ),
        (
            "trailing off",
            voice.map_or_else(
                || "—".into(),
                |v| format!("{} of {} phrases", v.trailing_off, v.phrases),
            ),
        ),
    ]);
    let _ = writeln!(s, "{}", e.file.display());
    for (k, v) in rows {
        let _ = writeln!(s, "  {k:<18} {v}");
    }
    if !m.pauses.is_empty() {
        let _ = writeln!(s, "  pauses at:");
        for p in &m.pauses {
            let _ = writeln!(
                s,
                "    {:>8.2} – {:>8.2} s  ({:.2} s)",
                p.start_s,
                p.end_s,
                p.duration_s()
            );
        }
    }
    for r in &e.remarks {
        let _ = writeln!(s, "  • {r}");
    }
    let _ = write!(
        s,
        "  (pace assumes {SYLLABLES_PER_WORD} syllables per word)"
    );
    s
}

/// The session's takes: length, first words, speaking time, pauses and pace are the takes'
/// facts, formatted as every view formats them; pauses are measured again only when
/// `--pause-min` asks for another threshold than the one the facts were made with.
fn session_table(entries: &[Entry], params: Params) -> String {
    let default_pauses = params.pause_min_s == Params::default().pause_min_s;
    let mut table = Table::new()
        .gap(1)
        .left("take")
        .right("length")
        .right("first")
        .right("speaking")
        .right("pauses")
        .right("longest")
        .right("syl")
        .right("pace")
        .right("level")
        .right("pitch")
        .right("clipped");
    for e in entries {
        let name = e.file.file_name().map_or_else(
            || e.file.display().to_string(),
            |n| n.to_string_lossy().into(),
        );
        match (&e.analysis, &e.facts) {
            (Some(m), Some(f)) => table.row([
                name,
                crate::ui::mmss(f.length_s),
                f.first_words_s.map_or_else(|| "—".into(), facts::seconds),
                f.speaking_s.map_or_else(|| "—".into(), facts::seconds),
                if default_pauses {
                    f.pauses
                        .map_or_else(|| "—".into(), |n| format!("{n}/{}", m.long_pause_count))
                } else {
                    format!("{}/{}", m.pause_count, m.long_pause_count)
                },
                if default_pauses {
                    f.longest_pause_s.map_or_else(|| "—".into(), facts::seconds)
                } else {
                    facts::seconds(m.longest_pause_s)
                },
                m.syllables.to_string(),
                f.pace.map_or_else(|| "—".into(), facts::pace_text),
                m.speech_rms_dbfs
                    .map_or_else(|| "—".into(), |r| format!("{r:.0}dB")),
                m.voice
                    .as_ref()
                    .and_then(|v| v.pitch_sd_st)
                    .map_or_else(|| "—".into(), |sd| format!("{sd:.1}st")),
                format!("{:.2}%", m.clipped_fraction * 100.0),
            ]),
            _ => {
                table.row([name]);
                table.note(&format!("error: {}", e.error.as_deref().unwrap_or("")));
            }
        }
    }
    let mut s = table.fit();
    for e in entries.iter().filter(|e| !e.remarks.is_empty()) {
        let _ = writeln!(s, "\n{}:", e.file.display());
        for r in &e.remarks {
            let _ = writeln!(s, "{}", crate::ui::fit(&format!("  • {r}")));
        }
    }
    let _ = write!(
        s,
        "\n{}",
        crate::ui::fit(&format!(
            "length, first words, speaking time, pauses and pace are each take's facts \
             (times on the take's clock); pauses: all/of {LONG_PAUSE_S:.0} s or more; a pace \
             with ~ is estimated from the sound at {SYLLABLES_PER_WORD} syllables per word; \
             pitch: how much it varies, in semitones"
        ))
    );
    s
}
