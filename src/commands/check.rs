//! `voicemock check`: speak a sentence, record a few seconds with a live meter, play it back,
//! and say whether the level is right.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use anyhow::Context;

use crate::analysis::level::dbfs;
use crate::analysis::level::Verdict;
use crate::audio::{play_to_end, CpalMicrophone, DevicePlayer, Fault, Microphone};
use crate::cli::CheckArgs;
use crate::speech::{self, Speaker, SpeechEnd, SpeechOptions, SystemSpeaker};
use crate::ui::{errln, level_meter, outln, warn, PhaseBar};

const TEST_SENTENCE: &str =
    "This is the voicemock sound check. When the recording starts, say a sentence or two \
     at the volume you will use in your interview.";

/// The arguments' faults, found before a device is opened or anyone is asked to speak.
fn check_args(args: &CheckArgs) -> anyhow::Result<()> {
    if !(args.seconds > 0.0 && args.seconds <= 600.0) {
        anyhow::bail!(
            "--seconds must be more than 0 and at most 600 (got {})",
            args.seconds
        );
    }
    if let Some(out) = &args.out {
        if let Some(parent) = out.parent().filter(|p| !p.as_os_str().is_empty()) {
            if !parent.is_dir() {
                anyhow::bail!(
                    "--out {}: the folder {} does not exist; create it or choose another --out",
                    out.display(),
                    parent.display()
                );
            }
        }
        if out.exists() {
            anyhow::bail!(
                "{} already exists; voicemock never overwrites a recording: choose another --out",
                out.display()
            );
        }
    }
    Ok(())
}

pub fn run(args: &CheckArgs) -> anyhow::Result<()> {
    check_args(args)?;

    // Then the devices: a missing device is reported before anything is said or written.
    let mut mic = CpalMicrophone::open(args.devices.input.as_deref())?;
    let mut player = if args.no_playback {
        None
    } else {
        Some(DevicePlayer::open(args.devices.output.as_deref())?)
    };
    let out = match &args.out {
        Some(path) => path.clone(),
        None => default_check_path()?,
    };
    outln(format_args!("Microphone: {}", mic.name()));
    if let Some(p) = &player {
        outln(format_args!("Speaker:    {}", p.name()));
    }

    if !args.no_speak {
        say_test_sentence();
    }

    outln(format_args!(
        "Recording {:.1} s from the microphone: speak now.",
        args.seconds
    ));
    let recording = mic
        .start_fixed(&out, args.seconds)
        .with_context(|| format!("recording to {}", out.display()))?;
    let bar = PhaseBar::new(args.seconds, "recording");
    let started = Instant::now();
    // The writer stops by itself after exactly `seconds`; the wall-clock bound is only there in
    // case the device stops delivering.
    let bound = Duration::from_secs_f64(args.seconds + 5.0);
    while recording.recorded_s() < args.seconds - 1e-9
        && started.elapsed() < bound
        && recording.fault().is_none()
    {
        let (peak, _) = recording.recent_level();
        bar.update(
            recording.recorded_s(),
            format!("{} {:>6.1} dBFS", level_meter(peak, 20), dbfs(peak)),
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    bar.finish();
    let stalled = recording.recorded_s() < args.seconds - 1e-9;
    let stats = recording
        .stop()
        .with_context(|| format!("finishing {}", out.display()))?;
    outln(format_args!(
        "Saved {} ({:.2} s at {} Hz).",
        out.display(),
        stats.duration_s(),
        stats.sample_rate
    ));
    match &stats.fault {
        Some(fault @ (Fault::DiskFull | Fault::Write(_))) => anyhow::bail!(
            "{fault}: the test recording stopped after {:.1} s",
            stats.duration_s()
        ),
        _ if stalled => warn(format_args!(
            "the microphone stopped delivering sound after {:.1} s",
            stats.duration_s()
        )),
        _ => {}
    }

    if let Some(player) = player.as_mut() {
        outln(format_args!("Playing it back..."));
        play_to_end(player, &out).with_context(|| format!("playing {}", out.display()))?;
    }

    let verdict = stats.verdict();
    outln(format_args!(
        "Level: peak {:.1} dBFS, RMS {:.1} dBFS: {}. {}.",
        dbfs(stats.peak),
        dbfs(stats.rms),
        verdict.label(),
        capitalize(verdict.advice())
    ));
    if stats.overruns > 0 || stats.stream_errors > 0 {
        errln(format_args!(
            "warning: {} buffer overruns and {} stream errors while recording: some audio was lost",
            stats.overruns, stats.stream_errors
        ));
    }
    // A check that heard nothing usable fails, so a script (or a pre-interview routine) stops
    // there instead of recording an interview nobody can hear.
    match verdict {
        Verdict::Silent | Verdict::Clipping => anyhow::bail!(
            "the sound check failed: the recording is {}; {}",
            verdict.label(),
            verdict.advice()
        ),
        Verdict::Good | Verdict::TooQuiet => Ok(()),
    }
}

fn say_test_sentence() {
    let mut speaker = match SystemSpeaker::new(&SpeechOptions::default()) {
        Ok(s) => s,
        Err(e) => {
            warn(format_args!("{e}; going on without speech"));
            return;
        }
    };
    outln(format_args!(
        "Saying a test sentence through text-to-speech..."
    ));
    if let Err(e) = speaker.start(TEST_SENTENCE) {
        warn(format_args!("{e}; going on without speech"));
        return;
    }
    if speech::wait_until_silent(&speaker, speech::speech_timeout(TEST_SENTENCE))
        == SpeechEnd::TimedOut
    {
        warn(format_args!(
            "the speech did not report its end in time; going on"
        ));
        speaker.stop();
    }
}

fn default_check_path() -> anyhow::Result<PathBuf> {
    let dir = crate::record::default_recordings();
    crate::files::create_private_dir_all(&dir)
        .with_context(|| format!("creating {}", dir.display()))?;
    let stamp = chrono::Local::now().format("%Y%m%d-%H%M%S");
    let mut path = dir.join(format!("check-{stamp}.wav"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("check-{stamp}-{n}.wav"));
        n += 1;
    }
    Ok(path)
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
