//! `voicemock replay`: listen back to a session, question by question: each question is
//! printed (and said, unless `--no-speak`), then its answer plays under the player's keys,
//! with the bar marking the pauses the session's analysis found. `compare --play` plays its
//! takes through the same loop.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::{bail, Context};

use super::ExitWith;
use crate::audio::DevicePlayer;
use crate::cli::{ReplayArgs, TakeChoice};
use crate::playback::{self, PlayOutcome};
use crate::record;
use crate::session::machine::Signal;
use crate::session::signals::{self, Signals};
use crate::speech::{speech_timeout, Speaker, SpeechOptions, SystemSpeaker};
use crate::ui::PlaybackBar;

/// One recording to play, and how to introduce it.
pub struct Item {
    /// Printed before it plays.
    pub heading: Vec<String>,
    /// Said before it plays (unless speech is off).
    pub say: Option<String>,
    /// The recording, or why it is damaged and left alone.
    pub path: Result<PathBuf, String>,
    pub duration_s: f64,
    /// Pauses to mark on the bar.
    pub pauses: Vec<(f64, f64)>,
}

pub fn run(args: &ReplayArgs) -> anyhow::Result<()> {
    let session = record::resolve(&args.recordings.recordings, args.session.as_deref())?;
    let log = &session.log;
    for id in &args.questions {
        if !log.questions.iter().any(|q| &q.id == id) {
            bail!(
                "session {} has no question \"{id}\"{}; its questions: {}",
                log.id,
                crate::suggest::did_you_mean(id, log.questions.iter().map(|q| q.id.as_str())),
                log.questions
                    .iter()
                    .map(|q| q.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
        }
    }
    let total = log.planned_len();
    let mut items = Vec::new();
    for (i, q) in log.questions.iter().enumerate() {
        if !args.questions.is_empty() && !args.questions.contains(&q.id) {
            continue;
        }
        let takes: Vec<&record::TakeLog> = match args.take {
            TakeChoice::All => q.takes.iter().collect(),
            TakeChoice::Last => q.takes.last().into_iter().collect(),
            TakeChoice::Number(n) => q.takes.iter().filter(|t| t.take == n).collect(),
        };
        for (k, t) in takes.iter().enumerate() {
            let mut heading = Vec::new();
            if k == 0 {
                heading.push(String::new());
                heading.push(format!("Question {}/{} [{}]", i + 1, total, q.category));
                heading.push(format!("  {}", q.text));
            }
            heading.push(format!(
                "  {} {} of {}: {}",
                if log.is_drill() { "Round" } else { "Take" },
                t.take,
                q.takes.len(),
                t.facts
                    .as_ref()
                    .map_or_else(|| "still recording".into(), crate::report::take_summary)
            ));
            items.push(Item {
                heading,
                say: (k == 0).then(|| q.text.clone()),
                path: session.take_path(&t.file).map_err(|e| e.to_string()),
                duration_s: t.duration_s,
                pauses: t
                    .analysis
                    .as_ref()
                    .map(|m| m.pauses.iter().map(|p| (p.start_s, p.end_s)).collect())
                    .unwrap_or_default(),
            });
        }
    }
    if items.is_empty() {
        bail!(
            "nothing to play: session {} has no {} of {}",
            log.id,
            match args.take {
                TakeChoice::Number(n) => format!("take {n}"),
                _ => "recorded take".into(),
            },
            if args.questions.is_empty() {
                "any question".to_string()
            } else {
                args.questions.join(", ")
            }
        );
    }
    crate::ui::outln_fit(format_args!(
        "Replaying {} ({}, {}): {} recording{}",
        log.id,
        log.pack.title,
        session.standing.label(),
        items.len(),
        if items.len() == 1 { "" } else { "s" }
    ));
    play_items(&items, args.no_speak, args.output.as_deref())
}

/// Plays `items` in turn under the player's keys (n next, p previous, q quit); Ctrl-C ends
/// with 130.
pub fn play_items(items: &[Item], no_speak: bool, output: Option<&str>) -> anyhow::Result<()> {
    let mut player = DevicePlayer::open(output)?;
    let mut speaker = if no_speak {
        None
    } else {
        match SystemSpeaker::new(&SpeechOptions::default()) {
            Ok(s) => Some(s),
            Err(e) => {
                crate::ui::warn(format_args!("{e}; the questions will only be printed"));
                None
            }
        }
    };
    let signals = Signals::install().context("installing the Ctrl-C handler")?;
    let interrupted = || signals.received().is_some();
    let (controls, terminal) = playback::spawn_controls();
    let mut i = 0;
    let outcome = loop {
        let Some(item) = items.get(i) else {
            break PlayOutcome::Finished;
        };
        for line in &item.heading {
            crate::ui::outln_fit(line);
        }
        if let (Some(speaker), Some(text)) = (speaker.as_mut(), item.say.as_deref()) {
            match speaker.start(text) {
                Ok(()) => {
                    // Bounded, and cut short by Ctrl-C.
                    let deadline = std::time::Instant::now() + speech_timeout(text);
                    while speaker.is_speaking() && std::time::Instant::now() < deadline {
                        if interrupted() {
                            speaker.stop();
                            break;
                        }
                        std::thread::sleep(Duration::from_millis(20));
                    }
                }
                Err(e) => crate::ui::warn(format_args!("{e}")),
            }
        }
        if interrupted() {
            break PlayOutcome::Interrupted;
        }
        let path = match &item.path {
            Ok(path) if path.exists() => path,
            Ok(path) => {
                crate::ui::outln_fit(format_args!(
                    "  (the recording {} is missing)",
                    path.display()
                ));
                i += 1;
                continue;
            }
            Err(reason) => {
                crate::ui::outln_fit(format_args!("  (not played: {reason})"));
                i += 1;
                continue;
            }
        };
        let mut bar = PlaybackBar::new(
            item.duration_s,
            item.pauses.clone(),
            !terminal.is_terminal(),
        );
        // The heading said the take's length; the file may hold a moment before its clock.
        crate::ui::outln_fit(format_args!("Playing {}", path.display()));
        let result =
            playback::play_interactive(&mut player, path, 0.0, &controls, &mut bar, &interrupted);
        bar.finish();
        match result.with_context(|| format!("playing {}", path.display()))? {
            PlayOutcome::Finished | PlayOutcome::Next => i += 1,
            PlayOutcome::Previous => i = i.saturating_sub(1),
            other @ (PlayOutcome::Quit | PlayOutcome::Interrupted) => break other,
        }
    };
    if let Some(s) = speaker.as_mut() {
        s.stop();
    }
    drop(terminal);
    if outcome == PlayOutcome::Interrupted {
        let signal = signals.received().unwrap_or(Signal::Interrupt);
        return Err(ExitWith {
            code: signals::exit_code(signal),
            message: "replay interrupted".into(),
        }
        .into());
    }
    Ok(())
}
