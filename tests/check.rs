//! `voicemock check` on the virtual devices.

use std::time::Duration;

use crate::common::{self, Running, SpeakerTap};

const PHRASE: &str = "The quick brown fox jumps over the lazy dog, twice.";

#[test]
fn check_records_exactly_what_was_said() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("check-records");
    let reference = common::speech_wav(&dir, "phrase", PHRASE, "en-us");
    let out = dir.join("check.wav");

    let mut run = Running::spawn(
        common::bin()
            .args(["check", "--seconds", "4", "--no-speak", "--out"])
            .arg(&out),
    );
    run.feed_after(
        "Recording 4.0 s",
        Duration::from_secs(20),
        Duration::from_millis(300),
        &reference,
    );
    let (stdout, _) = run.succeed(Duration::from_secs(30));

    let reader = hound::WavReader::open(&out).unwrap();
    let spec = reader.spec();
    assert_eq!((spec.channels, spec.bits_per_sample), (1, 16));
    assert_eq!(spec.sample_format, hound::SampleFormat::Int);
    let duration = reader.duration() as f64 / f64::from(spec.sample_rate);
    assert!((duration - 4.0).abs() <= 0.1, "duration {duration}");

    let (recorded, rate) = common::read_wav(&out);
    let (fed, fed_rate) = common::read_wav(&reference);
    assert_eq!(rate, fed_rate, "the virtual microphone runs at 48 kHz");
    let (lag, ncc) = common::best_alignment(&fed, &recorded);
    assert!(
        ncc >= 0.9,
        "normalized cross-correlation {ncc:.3} at lag {lag}"
    );
    let off = common::chunk_lags_off(&fed, &recorded, rate, lag);
    assert!(
        off.is_empty(),
        "chunks not at lag {lag} (dropped samples?): {off:?}"
    );
    assert!(stdout.contains("Level: peak"), "{stdout}");
}

#[test]
fn check_speaks_before_recording_and_plays_back_after() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("check-speaks");
    let reference = common::speech_wav(&dir, "phrase", PHRASE, "en-us");
    let out = dir.join("check.wav");
    let tap = SpeakerTap::start(&dir);

    let mut run = Running::spawn(
        common::bin()
            .args(["check", "--seconds", "4", "--out"])
            .arg(&out),
    );
    let recording_at = run.feed_after(
        "Recording 4.0 s",
        Duration::from_secs(40),
        Duration::from_millis(300),
        &reference,
    );
    run.succeed(Duration::from_secs(40));
    let tap_started = tap.started;
    let (samples, rate) = tap.stop_when_heard();

    let rec_start = recording_at.duration_since(tap_started).as_secs_f64();
    let before = common::sound_seconds(&samples, rate, 0.0, rec_start);
    assert!(
        before >= 1.0,
        "only {before:.2} s of speech before the recording started"
    );
    // Nothing is said while the answer is being recorded.
    let during = common::sound_seconds(&samples, rate, rec_start + 0.3, rec_start + 3.7);
    assert!(
        during <= 0.1,
        "{during:.2} s of sound on the speaker during the recording"
    );
    // The playback afterwards holds what was fed into the microphone.
    let after_at = ((rec_start + 3.9) * f64::from(rate)) as usize;
    let after = &samples[after_at.min(samples.len())..];
    let (fed, _) = common::read_wav(&reference);
    assert!(
        after.len() > fed.len(),
        "the speaker recording ends before the playback"
    );
    let (_, ncc) = common::best_alignment(&fed, after);
    assert!(
        ncc >= 0.9,
        "playback on the speaker matches the phrase only at {ncc:.3}"
    );
}

#[test]
fn check_with_a_missing_microphone_lists_the_real_ones() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let out = common::bin()
        .args(["check", "--input", "no-such-device", "--no-speak"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("no input device matches \"no-such-device\""),
        "{stderr}"
    );
    // The inputs that exist on the virtual stack are named.
    for name in ["default", "pulse"] {
        assert!(stderr.contains(name), "{name} missing from: {stderr}");
    }
    assert!(stderr.contains("--input NAME"), "{stderr}");
}

#[test]
fn a_killed_recording_is_still_a_playable_wav() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("check-killed");
    let out = dir.join("killed.wav");
    let mut run = Running::spawn(
        common::bin()
            .args([
                "check",
                "--seconds",
                "10",
                "--no-speak",
                "--no-playback",
                "--out",
            ])
            .arg(&out),
    );
    run.wait_for("Recording 10.0 s", Duration::from_secs(20));
    std::thread::sleep(Duration::from_millis(2500));
    common::send_signal(run.child.id(), libc::SIGKILL);
    let _ = run.finish(Duration::from_secs(5));
    // The header was flushed while recording: the file opens and holds most of what was
    // recorded before the kill.
    let reader = hound::WavReader::open(&out).expect("a readable WAV after SIGKILL");
    let seconds = reader.duration() as f64 / f64::from(reader.spec().sample_rate);
    assert!(seconds >= 1.4, "only {seconds:.2} s survived the kill");
}

/// A second microphone on the virtual stack, named as a sound server names its sources,
/// removed again when dropped.
struct SecondMic {
    modules: Vec<String>,
    /// A recorder kept on the new source: an idle null sink delivers its first data up to 2 s
    /// late (see the virtual audio notes), as `scripts/virtual-audio` does for its own.
    keeper: Option<std::process::Child>,
}

impl SecondMic {
    fn load() -> SecondMic {
        let load = |args: &[&str]| -> String {
            let out = common::audio("pactl")
                .arg("load-module")
                .args(args)
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "pactl load-module {args:?}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            String::from_utf8_lossy(&out.stdout).trim().to_string()
        };
        let mut mic = SecondMic {
            modules: Vec::new(),
            keeper: None,
        };
        mic.modules.push(load(&[
            "module-null-sink",
            "sink_name=deskfeed",
            "rate=48000",
            "channels=1",
            "sink_properties=device.description=DeskFeed",
        ]));
        mic.modules.push(load(&[
            "module-remap-source",
            "master=deskfeed.monitor",
            "source_name=deskmic",
            "channels=1",
            "source_properties=device.description=Desk_Microphone",
        ]));
        let record = || {
            common::audio("parecord")
                .args(["--raw", "-d", "deskmic", "--latency-msec=10"])
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        };
        mic.keeper = Some(record());
        // Ready once a fresh recorder gets data within half a second.
        let deadline = std::time::Instant::now() + Duration::from_secs(20);
        loop {
            let mut probe = record();
            std::thread::sleep(Duration::from_millis(500));
            let _ = probe.kill();
            let out = probe.wait_with_output().unwrap();
            if !out.stdout.is_empty() {
                break;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "the second microphone delivers nothing"
            );
        }
        mic
    }
}

impl Drop for SecondMic {
    fn drop(&mut self) {
        if let Some(mut keeper) = self.keeper.take() {
            let _ = keeper.kill();
            let _ = keeper.wait();
        }
        for m in self.modules.iter().rev() {
            let _ = common::audio("pactl").args(["unload-module", m]).status();
        }
    }
}

#[test]
fn a_server_source_chosen_by_its_name_is_the_one_recorded() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let _desk = SecondMic::load();
    let dir = common::temp_dir("check-server-source");
    // Listed by the names the sound server gives it.
    let out = common::bin().arg("devices").output().unwrap();
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{listing}");
    assert!(
        listing.contains("deskmic") && listing.contains("Desk_Microphone"),
        "{listing}"
    );
    // ALSA's `null` device (it records endless silence at any speed) is never offered.
    assert!(
        !listing
            .lines()
            .any(|l| l.split_whitespace().any(|w| w == "null")),
        "{listing}"
    );
    // Chosen by part of its description, it is recorded from, not the default microphone:
    // the phrase is played into it alone.
    let phrase = common::speech_wav(&dir, "desk", PHRASE, "en-us");
    let recordings = dir.join("recordings");
    let mut run = Running::spawn(&mut common::silent_run(
        &recordings,
        8,
        &["--count", "1", "--input", "desk_micro"],
    ));
    run.wait_for("Recording answer", Duration::from_secs(20));
    std::thread::sleep(Duration::from_millis(300));
    let played = common::audio("paplay")
        .arg("--device=deskfeed")
        .arg(&phrase)
        .status()
        .unwrap();
    assert!(played.success());
    std::thread::sleep(Duration::from_millis(400));
    run.send_line("");
    run.succeed(Duration::from_secs(20));
    let (session, log) = common::only_session(&recordings);
    assert!(
        log["input_device"]
            .as_str()
            .is_some_and(|d| d.contains("Desk_Microphone")),
        "{}",
        log["input_device"]
    );
    let take = &log["questions"][0]["takes"][0];
    let ncc = common::match_score(&phrase, &session.join(take["file"].as_str().unwrap()));
    assert!(
        ncc >= 0.9,
        "the desk microphone's phrase is in the take only at {ncc:.3}"
    );
}

/// A check that heard nothing, or only clipping, fails and says why: a script that runs
/// `voicemock check && voicemock run` stops there.
#[test]
fn a_check_that_hears_silence_or_clipping_fails_saying_why() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("check-verdicts");

    // Nothing fed to the microphone.
    let out = common::bin()
        .args([
            "check",
            "--seconds",
            "2",
            "--no-speak",
            "--no-playback",
            "--out",
        ])
        .arg(dir.join("silent.wav"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "silence passed the check: {stderr}");
    assert!(
        stderr.contains("the recording is silent") && stderr.contains("nothing reached"),
        "{stderr}"
    );
    assert!(
        dir.join("silent.wav").is_file(),
        "the recording is still kept"
    );

    // A full-scale square wave: every sample at the limit.
    let square = dir.join("square.wav");
    let samples = (0..48_000 * 4).map(|i| {
        if (i / 60) % 2 == 0 {
            i16::MAX
        } else {
            i16::MIN
        }
    });
    common::write_wav(&square, 48_000, samples);
    let mut run = Running::spawn(
        common::bin()
            .args([
                "check",
                "--seconds",
                "3",
                "--no-speak",
                "--no-playback",
                "--out",
            ])
            .arg(dir.join("clipped.wav")),
    );
    run.wait_for("Recording 3.0 s", Duration::from_secs(20));
    common::feed_mic(&square);
    let (code, stdout, stderr) = run.finish(Duration::from_secs(30));
    assert_ne!(
        code,
        Some(0),
        "clipping passed the check:\n{stdout}\n{stderr}"
    );
    assert!(
        stderr.contains("the recording is clipping") && stderr.contains("lower the microphone"),
        "{stdout}\n{stderr}"
    );
}
