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
    run.wait_for("Recording 4.0 s", Duration::from_secs(20));
    std::thread::sleep(Duration::from_millis(300));
    common::feed_mic(&reference);
    let (code, stdout, stderr) = run.finish(Duration::from_secs(30));
    assert_eq!(code, Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");

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
    let recording_at = run.wait_for("Recording 4.0 s", Duration::from_secs(40));
    std::thread::sleep(Duration::from_millis(300));
    common::feed_mic(&reference);
    let (code, stdout, stderr) = run.finish(Duration::from_secs(40));
    assert_eq!(code, Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    std::thread::sleep(Duration::from_millis(300));
    let tap_started = tap.started;
    let (samples, rate) = tap.stop();

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
