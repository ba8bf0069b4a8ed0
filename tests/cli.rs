//! The commands that need no audio device: packs, questions, analyze, argument checks.

use crate::common;

fn run(args: &[&str]) -> (bool, String, String) {
    let out = common::bin().args(args).output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn packs_lists_the_built_in_pack() {
    let (ok, stdout, stderr) = run(&["packs"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("netflix-pm"), "{stdout}");
    assert!(stdout.contains("Netflix Product Manager"), "{stdout}");
}

#[test]
fn questions_lists_every_question_of_the_default_pack() {
    let (ok, stdout, stderr) = run(&["questions"]);
    assert!(ok, "{stderr}");
    for id in ["why-netflix", "improve-ux", "new-market", "your-questions"] {
        assert!(stdout.contains(id), "{id} missing:\n{stdout}");
    }
    let (ok, _, stderr) = run(&["questions", "--pack", "no-such-pack"]);
    assert!(!ok);
    assert!(
        stderr.contains("netflix-pm"),
        "the error lists the packs there are: {stderr}"
    );
}

#[test]
fn bad_numbers_are_refused_before_anything_starts() {
    let dir = common::temp_dir("cli-bad-numbers");
    let recordings = dir.join("rec");
    let recordings = recordings.to_str().unwrap();
    for (args, needle) in [
        (vec!["run", "--answer", "0"], "--answer"),
        (vec!["run", "--think=-1"], "--think"),
        (vec!["run", "--speech-rate", "9"], "--speech-rate"),
        (vec!["run", "--question", "nope"], "nope"),
        (vec!["run", "--category", "astrology"], "astrology"),
    ] {
        let mut full = args.clone();
        full.extend(["--no-speak", "--recordings", recordings]);
        let (ok, _, stderr) = run(&full);
        assert!(!ok, "{args:?} was accepted");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
    }
    assert!(
        !dir.join("rec").exists(),
        "no recordings folder for refused runs"
    );
    let (ok, _, stderr) = run(&["check", "--seconds", "0"]);
    assert!(!ok && stderr.contains("--seconds"), "{stderr}");
}

#[test]
fn analyze_reports_a_missing_file_by_name() {
    let (ok, _, stderr) = run(&["analyze", "/nonexistent/answer.wav"]);
    assert!(!ok);
    assert!(stderr.contains("/nonexistent/answer.wav"), "{stderr}");
}

#[test]
fn play_refuses_what_it_cannot_play_before_opening_a_device() {
    let dir = common::temp_dir("cli-play");
    let notes = dir.join("notes.wav");
    std::fs::write(&notes, "not audio").unwrap();
    let short = dir.join("short.wav");
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 16_000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w = hound::WavWriter::create(&short, spec).unwrap();
    for _ in 0..16_000 {
        w.write_sample(0i16).unwrap();
    }
    w.finalize().unwrap();
    let missing = dir.join("missing.wav");
    let (notes, short, missing) = (
        notes.to_str().unwrap(),
        short.to_str().unwrap(),
        missing.to_str().unwrap(),
    );
    for (args, needle) in [
        (vec!["play", missing], "missing.wav: file not found"),
        (vec!["play", notes], "notes.wav: not a WAV file"),
        (vec!["play", short, "--from=-1"], "--from"),
        (vec!["play", short, "--from", "5"], "past the end"),
        (
            vec!["play", short, "--output", "no-such-speaker"],
            "no-such-speaker",
        ),
    ] {
        let (ok, stdout, stderr) = run(&args);
        assert!(!ok, "{args:?} was accepted");
        assert!(stderr.contains(needle), "{args:?}: {stderr}");
        assert!(!stdout.contains("Playing"), "{args:?}: {stdout}");
        // Each cause is said once.
        assert_eq!(stderr.matches(needle).count(), 1, "{args:?}: {stderr}");
    }
}
