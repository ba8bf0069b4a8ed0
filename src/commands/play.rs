//! `voicemock play FILE.wav`: plays one file under the user's control (`playback`), the bar
//! marking the pauses the analysis finds in it.

use anyhow::{bail, Context};

use super::ExitWith;
use crate::analysis::Params;
use crate::audio::wav_reader::analyze_file;
use crate::audio::DevicePlayer;
use crate::cli::PlayArgs;
use crate::playback::{self, PlayOutcome};
use crate::session::signals::{self, Signals};
use crate::ui::{self, PlaybackBar};

pub fn run(args: &PlayArgs) -> anyhow::Result<()> {
    if !(args.from.is_finite() && args.from >= 0.0) {
        bail!(
            "--from must be a number of seconds from the start, not {}",
            args.from
        );
    }
    // The file's faults are found before a device is opened, and never blamed on it.
    crate::audio::wav_reader::WavReader::open(&args.file)?.check_playable()?;
    let measures = analyze_file(&args.file, Params::default())?;
    if args.from > measures.duration_s {
        bail!(
            "--from {} is past the end of {} ({}); pick a time within it",
            args.from,
            args.file.display(),
            ui::mmss(measures.duration_s)
        );
    }
    let mut player = DevicePlayer::open(args.output.as_deref())?.with_output_rate(args.output_rate);
    let signals = Signals::install().context("installing the Ctrl-C handler")?;
    let (controls, terminal) = playback::spawn_controls();
    let mut bar = PlaybackBar::new(
        measures.duration_s,
        playback::markers(&measures.pauses),
        !terminal.is_terminal(),
    );
    // A take of a session is introduced by its facts, as every view shows them; any other
    // recording by its length.
    let about = take_facts(&args.file).map_or_else(
        || ui::mmss(measures.duration_s),
        |f| crate::report::take_summary(&f),
    );
    crate::ui::outln(format_args!("Playing {} ({about})", args.file.display()));
    let outcome = playback::play_interactive(
        &mut player,
        &args.file,
        args.from,
        &controls,
        &mut bar,
        &|| signals.received().is_some(),
    );
    bar.finish();
    drop(terminal);
    let outcome = outcome.with_context(|| format!("playing {}", args.file.display()))?;
    if outcome == PlayOutcome::Interrupted {
        let signal = signals
            .received()
            .unwrap_or(crate::session::machine::Signal::Interrupt);
        return Err(ExitWith {
            code: signals::exit_code(signal),
            message: "playback interrupted".into(),
        }
        .into());
    }
    Ok(())
}

/// The facts of `file` if it is a take of the session in its folder.
fn take_facts(file: &std::path::Path) -> Option<crate::record::TakeFacts> {
    let name = file.file_name()?.to_str()?;
    let session = crate::record::load(file.parent()?).ok()?;
    let facts = session
        .log
        .takes()
        .find(|(_, t)| t.file == name)
        .and_then(|(_, t)| t.facts.clone());
    facts
}
