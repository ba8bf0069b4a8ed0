//! `voicemock play FILE.wav`: plays one file under the user's control (`playback`), the bar
//! marking the pauses the analysis finds in it.

use anyhow::{bail, Context};

use crate::analysis::Params;
use crate::audio::wav_reader::analyze_file;
use crate::audio::DevicePlayer;
use crate::cli::PlayArgs;
use crate::playback::{self, PlayOutcome};
use crate::session::signals::{self, Signals};
use crate::ui::{self, PlaybackBar};
use crate::ExitWith;

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
    crate::ui::outln(format_args!(
        "Playing {} ({})",
        args.file.display(),
        ui::mmss(measures.duration_s)
    ));
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
