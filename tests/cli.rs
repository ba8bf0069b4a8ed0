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
fn report_writes_the_page_of_a_session_and_says_when_there_is_none() {
    let dir = common::temp_dir("cli-report");
    let recordings = dir.join("rec");
    let (ok, _, stderr) = run(&["report", "--recordings", recordings.to_str().unwrap()]);
    assert!(!ok);
    assert!(
        stderr.contains("no sessions") && stderr.contains("voicemock run"),
        "{stderr}"
    );
    let (ok, _, stderr) = run(&[
        "report",
        "--progress",
        "--recordings",
        recordings.to_str().unwrap(),
    ]);
    assert!(!ok, "no progress page over nothing");
    assert!(stderr.contains("no sessions"), "{stderr}");

    // A session whose WAVs are gone still gets its page, from the log alone.
    let session = recordings.join("2026-11-26_161748-netflix-pm");
    std::fs::create_dir_all(&session).unwrap();
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/format2/session.json"
    );
    std::fs::copy(fixture, session.join("session.json")).unwrap();
    let (ok, stdout, stderr) = run(&[
        "report",
        "2026-11",
        "--recordings",
        recordings.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    let page = std::fs::read_to_string(session.join("report.html")).unwrap();
    assert!(stdout.contains("report.html"), "{stdout}");
    assert!(page.contains("Why do you want to work at Netflix?"));
    assert!(
        page.contains(r#"src="q01-why-netflix-take1.wav""#),
        "WAVs by relative path"
    );
    let (ok, stdout, stderr) = run(&[
        "report",
        "--progress",
        "--recordings",
        recordings.to_str().unwrap(),
    ]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("Progress over 1 session (2 takes)"),
        "{stdout}"
    );
    assert!(recordings.join("progress.html").is_file());
}
