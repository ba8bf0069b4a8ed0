//! Nothing outside, nothing lost: a session folder is untrusted input. A log that names files
//! outside its folder (`../`, absolute paths, links out), a FIFO in place of a take, a crashed
//! take's damaged header, and a log with values the format cannot hold: each is shown as
//! damaged with its reason, and nothing outside the folder is read, linked or written.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common;

/// Runs voicemock with `args`, killed (and the test failed) if it takes over `limit`: a hang
/// must fail this test, never the suite.
fn run_bounded(args: &[&str], limit: Duration) -> (Option<i32>, String, String) {
    let mut cmd = common::bin();
    cmd.args(args);
    common::Running::spawn(&mut cmd).finish(limit)
}

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    run_bounded(args, Duration::from_secs(30))
}

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/format2/session.json"
);

fn fixture() -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap()
}

fn write_log(session: &Path, log: &serde_json::Value) {
    std::fs::create_dir_all(session).unwrap();
    std::fs::write(
        session.join("session.json"),
        serde_json::to_vec_pretty(log).unwrap(),
    )
    .unwrap();
}

/// A second of a quiet tone, 16 kHz mono.
fn wav(path: &Path) {
    let tone = (0..16_000).map(|i| ((i as f32 * 0.05).sin() * 3000.0) as i16);
    common::write_wav(path, 16_000, tone);
}

fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().filter_map(Result::ok) {
        let p = e.path();
        if e.file_type().unwrap().is_dir() {
            out.extend(files_under(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

/// A session whose three takes name `../outside.wav`, an absolute path outside, and a link
/// out of the folder. Returns (recordings, session, outside folder).
fn escaping_session(name: &str) -> (common::TempDir, PathBuf, PathBuf, PathBuf) {
    let root = common::temp_dir(name);
    let outside = root.join("outside");
    std::fs::create_dir_all(&outside).unwrap();
    wav(&outside.join("outside.wav"));
    wav(&outside.join("absolute.wav"));
    wav(&outside.join("linked.wav"));
    let recordings = root.join("rec");
    let session = recordings.join("2026-11-26_161748-netflix-pm");
    let mut log = fixture();
    let q = log["questions"].as_array_mut().unwrap();
    q[0]["takes"][0]["file"] = "../../outside/outside.wav".into();
    q[1]["takes"][0]["file"] = outside.join("absolute.wav").to_str().unwrap().into();
    let mut linked = q[1]["takes"][0].clone();
    linked["take"] = 2.into();
    linked["file"] = "linked.wav".into();
    q[1]["takes"].as_array_mut().unwrap().push(linked);
    write_log(&session, &log);
    std::os::unix::fs::symlink(outside.join("linked.wav"), session.join("linked.wav")).unwrap();
    (root, recordings, session, outside)
}

#[test]
fn a_log_naming_files_outside_its_folder_is_shown_damaged_and_nothing_outside_is_touched() {
    let (root, recordings, session, outside) = escaping_session("contain-escape");
    let rec = recordings.to_str().unwrap();
    let dir = session.to_str().unwrap();
    let before = files_under(&root);

    // sessions: the session is listed, each take named damaged with its reason.
    let (code, stdout, stderr) = run(&["sessions", "--recordings", rec, "--json"]);
    assert_eq!(code, Some(0), "{stderr}");
    let rows: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let damaged: Vec<&str> = rows[0]["damaged_takes"]
        .as_array()
        .unwrap_or_else(|| panic!("no damaged_takes: {stdout}"))
        .iter()
        .map(|d| d.as_str().unwrap())
        .collect();
    assert_eq!(damaged.len(), 3, "{damaged:?}");
    assert!(damaged[0].contains("is a path"), "{}", damaged[0]);
    assert!(damaged[1].contains("is a path"), "{}", damaged[1]);
    assert!(
        damaged[2].contains("outside the session folder"),
        "{}",
        damaged[2]
    );
    let (_, stdout, _) = run(&["sessions", "--recordings", rec]);
    assert_eq!(stdout.matches("is damaged").count(), 3, "{stdout}");

    // analyze: every take refused with its reason, none read.
    let (code, stdout, stderr) = run(&["analyze", dir, "--json"]);
    assert_eq!(code, Some(1), "{stderr}");
    let entries: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    for e in entries.as_array().unwrap() {
        assert!(e["analysis"].is_null(), "read a file outside: {e}");
        assert!(e["error"].as_str().unwrap().contains("left alone"), "{e}");
    }
    assert!(stderr.contains("3 of 3 takes"), "{stderr}");

    // report: no link to them, no sidecar beside them, the page says why.
    let (code, _, stderr) = run(&["report", dir]);
    assert_eq!(code, Some(0), "{stderr}");
    let page = std::fs::read_to_string(session.join("report.html")).unwrap();
    assert!(!page.contains("outside.wav\""), "linked outside");
    assert!(!page.contains("absolute.wav\""), "linked outside");
    assert!(!page.contains("src=\"linked.wav\""), "linked a link out");
    assert_eq!(page.matches("This take is damaged").count(), 3);

    // history and compare: shown as damaged, the rest still works.
    // (Every take here is damaged, so history has no answers left to show.)
    let (_, _, stderr) = run(&["history", "--recordings", rec]);
    assert_eq!(stderr.matches("is damaged").count(), 3, "{stderr}");
    let (code, stdout, stderr) = run(&["compare", "stay-current", "--recordings", rec, "--json"]);
    assert_eq!(code, Some(0), "{stderr}");
    let rows: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 2);
    assert!(rows
        .as_array()
        .unwrap()
        .iter()
        .all(|r| r["damaged"].is_string()));

    // transcribe SESSION (with a model): nothing read, nothing written beside them.
    if let Some(model) = common::test_model() {
        let data = root.join("data");
        let mut cmd = common::bin();
        cmd.env("XDG_DATA_HOME", &data);
        let (code, _, stderr) = common::Running::spawn(cmd.args([
            "transcribe",
            dir,
            "--model",
            model.to_str().unwrap(),
        ]))
        .finish(Duration::from_secs(60));
        assert_eq!(code, Some(1), "{stderr}");
        assert_eq!(stderr.matches("left alone").count(), 3, "{stderr}");
    }

    // Nothing outside changed; inside, only the page (and the review sheet transcribe
    // rewrites with the log) was added.
    let mut after = files_under(&root);
    after.retain(|p| !p.ends_with("report.html") && !p.ends_with("review.md"));
    assert_eq!(after, before);
    for name in ["outside.wav", "absolute.wav", "linked.wav"] {
        assert_eq!(
            std::fs::metadata(outside.join(name)).unwrap().len(),
            32_044,
            "{name}"
        );
    }
}

#[test]
fn replay_plays_no_file_outside_the_session_folder() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let (_root, recordings, _session, _outside) = escaping_session("contain-replay");
    let (code, stdout, stderr) = run(&[
        "replay",
        "--recordings",
        recordings.to_str().unwrap(),
        "--no-speak",
    ]);
    assert_eq!(code, Some(0), "{stderr}");
    // The last take of each question, as replay plays by default.
    assert_eq!(stdout.matches("(not played:").count(), 2, "{stdout}");
    assert!(!stdout.contains("Playing"), "{stdout}");
}

#[test]
fn a_sidecar_is_never_written_over_a_file_voicemock_did_not_write() {
    let root = common::temp_dir("contain-sidecar");
    let session = root.join("rec").join("2026-11-26_161748-netflix-pm");
    write_log(&session, &fixture());
    wav(&session.join("q01-why-netflix-take1.wav"));
    wav(&session.join("q02-stay-current-take1.wav"));
    // The user's own file where the first take's levels would go; a link where the second's.
    let mine = session.join("q01-why-netflix-take1.levels.json");
    std::fs::write(&mine, "my notes, not voicemock's").unwrap();
    let target = root.join("elsewhere.json");
    std::fs::write(&target, "{}").unwrap();
    let link = session.join("q02-stay-current-take1.levels.json");
    std::os::unix::fs::symlink(&target, &link).unwrap();
    let (code, _, stderr) = run(&["report", session.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(
        std::fs::read_to_string(&mine).unwrap(),
        "my notes, not voicemock's"
    );
    assert!(std::fs::symlink_metadata(&link)
        .unwrap()
        .file_type()
        .is_symlink());
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "{}");

    // transcribe SESSION: the user's file where a transcript would go is left alone (it used
    // to be overwritten), and the take is named; the other take, whose levels sidecar is a
    // link out, is damaged: nothing is read or written for it.
    if let Some(model) = common::test_model() {
        let theirs = session.join("q01-why-netflix-take1.transcript.json");
        std::fs::write(&theirs, "{\"mine\": true}").unwrap();
        let mut cmd = common::bin();
        cmd.env("XDG_DATA_HOME", root.join("data")).args([
            "transcribe",
            session.to_str().unwrap(),
            "--model",
            model.to_str().unwrap(),
        ]);
        let (code, _, stderr) = common::Running::spawn(&mut cmd).finish(Duration::from_secs(120));
        assert_eq!(code, Some(1), "{stderr}");
        assert!(
            stderr.contains("is not a sidecar voicemock wrote"),
            "{stderr}"
        );
        assert_eq!(
            std::fs::read_to_string(&theirs).unwrap(),
            "{\"mine\": true}"
        );
        assert!(stderr.contains("outside the session folder"), "{stderr}");
        assert!(!session
            .join("q02-stay-current-take1.transcript.json")
            .exists());
    }
}

fn mkfifo(path: &Path) {
    let status = std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success());
}

/// The fixture's session under `recordings`, crashed while recording its second take (in
/// progress, nobody holds the lock), with its first take's WAV; returns its folder.
fn crashed_session(recordings: &Path) -> PathBuf {
    let session = recordings.join("2026-11-26_161748-netflix-pm");
    let mut log = fixture();
    log["status"] = "in_progress".into();
    log["questions"][1]["takes"][0]["ended_by"] = serde_json::Value::Null;
    write_log(&session, &log);
    wav(&session.join("q01-why-netflix-take1.wav"));
    session
}

#[test]
fn a_fifo_in_place_of_a_take_hangs_nothing() {
    let root = common::temp_dir("contain-fifo");
    let recordings = root.join("rec");
    // Crashed: the reader looks at the take's file.
    let session = crashed_session(&recordings);
    let fifo = session.join("q02-stay-current-take1.wav");
    mkfifo(&fifo);
    // And the lock a reader looks at to tell running from crashed.
    mkfifo(&session.join(".session.lock"));
    let rec = recordings.to_str().unwrap();
    let dir = session.to_str().unwrap();
    let f = fifo.to_str().unwrap();
    let limit = Duration::from_secs(20);

    let (code, stdout, stderr) = run_bounded(&["sessions", "--recordings", rec], limit);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("a pipe (FIFO)"), "{stdout}");
    let (code, _, stderr) = run_bounded(&["history", "--recordings", rec], limit);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stderr.contains("a pipe (FIFO)"), "{stderr}");
    let (code, _, stderr) = run_bounded(&["report", dir], limit);
    assert_eq!(code, Some(0), "{stderr}");
    let (code, stdout, _) = run_bounded(&["analyze", dir, "--json"], limit);
    assert_eq!(code, Some(1));
    assert!(stdout.contains("a pipe (FIFO)"), "{stdout}");
    let (code, _, stderr) = run_bounded(&["compare", "stay-current", "--recordings", rec], limit);
    assert_eq!(code, Some(0), "{stderr}");
    // Named directly: refused as not a regular file, before any device is opened.
    for args in [
        vec!["analyze", f],
        vec!["play", f],
        vec!["transcribe", f, "--model", "/dev/null"],
    ] {
        let (code, _, stderr) = run_bounded(&args, limit);
        assert_eq!(code, Some(1), "{args:?}: {stderr}");
        assert!(stderr.contains("not a regular file"), "{args:?}: {stderr}");
        assert!(
            !stderr.contains("sound") && !stderr.contains("output"),
            "{args:?} blames the sound card: {stderr}"
        );
    }
}

#[test]
fn a_crashed_take_whose_header_says_rate_0_is_damaged_not_an_hour_long() {
    let root = common::temp_dir("contain-rate0");
    let recordings = root.join("rec");
    let session = crashed_session(&recordings);
    let take = session.join("q02-stay-current-take1.wav");
    wav(&take);
    let mut bytes = std::fs::read(&take).unwrap();
    bytes[24..28].copy_from_slice(&0u32.to_le_bytes());
    std::fs::write(&take, bytes).unwrap();
    let (code, stdout, stderr) = run(&["sessions", "--recordings", recordings.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(stdout.contains("gives 0 samples a second"), "{stdout}");
    assert!(!stdout.contains("3638"), "{stdout}");
}

#[test]
fn a_model_that_is_not_a_regular_file_is_named_for_what_it_is() {
    let root = common::temp_dir("contain-model");
    let fifo = root.join("fifo.bin");
    mkfifo(&fifo);
    for file in [Path::new("/dev/null"), fifo.as_path()] {
        let mut cmd = common::bin();
        cmd.env("XDG_DATA_HOME", root.join("data")).args([
            "models",
            "add",
            file.to_str().unwrap(),
            "--name",
            "x",
        ]);
        let (code, _, stderr) = common::Running::spawn(&mut cmd).finish(Duration::from_secs(20));
        assert_eq!(code, Some(1), "{stderr}");
        assert!(stderr.contains("not a regular file"), "{file:?}: {stderr}");
        assert!(!stderr.contains("no such file"), "{file:?}: {stderr}");
    }
}

fn mode(path: &Path) -> u32 {
    use std::os::unix::fs::PermissionsExt;
    std::fs::symlink_metadata(path)
        .unwrap()
        .permissions()
        .mode()
        & 0o777
}

#[test]
fn under_umask_000_every_file_a_session_makes_is_private() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let root = common::temp_dir("contain-umask");
    let recordings = root.join("rec");
    let tmp = root.join("tmp");
    std::fs::create_dir_all(&tmp).unwrap();
    // The stack's environment: its start cue plays on this test's own speaker.
    let mut cmd = common::audio("sh");
    cmd.arg("-c")
        .arg(r#"umask 000; exec "$0" "$@""#)
        .arg(env!("CARGO_BIN_EXE_voicemock"))
        .args([
            "run",
            "--no-speak",
            "--think",
            "0",
            "--question",
            "why-netflix",
        ])
        .args(["--answer", "2", "--test-microphone", "fast", "--recordings"])
        .arg(&recordings)
        .env_remove("VOICEMOCK_E2E")
        .env("TMPDIR", &tmp);
    let mut running = common::Running::spawn(&mut cmd);
    // The reserve and the cue folder live only while the session runs: watch for them.
    let (mut reserve, mut cues, mut cue_files) = (None, None, Vec::new());
    let deadline = std::time::Instant::now() + Duration::from_secs(30);
    while running.child.try_wait().unwrap().is_none() && std::time::Instant::now() < deadline {
        for dir in std::fs::read_dir(&recordings)
            .into_iter()
            .flatten()
            .flatten()
        {
            let r = dir.path().join(".voicemock-reserve");
            if reserve.is_none() && r.exists() {
                reserve = Some(mode(&r));
            }
        }
        for dir in std::fs::read_dir(&tmp).into_iter().flatten().flatten() {
            let p = dir.path();
            if cues.is_none()
                && p.file_name()
                    .unwrap()
                    .to_string_lossy()
                    .starts_with("voicemock-cues-")
            {
                cues = Some(mode(&p));
            }
            for f in std::fs::read_dir(&p).into_iter().flatten().flatten() {
                if let Ok(meta) = f.metadata() {
                    if meta.len() > 0 {
                        cue_files.push(mode(&f.path()));
                    }
                }
            }
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    let (code, _, stderr) = running.finish(Duration::from_secs(10));
    assert_eq!(code, Some(0), "{stderr}");
    assert_eq!(reserve, Some(0o600), "the reserve");
    assert_eq!(cues, Some(0o700), "the cue folder");
    assert!(
        !cue_files.is_empty() && cue_files.iter().all(|m| *m == 0o600),
        "{cue_files:?}"
    );
    let (session, _) = common::only_session(&recordings);
    assert_eq!(mode(&recordings), 0o700);
    assert_eq!(mode(&session), 0o700);
    let files = files_under(&session);
    assert!(files.len() >= 4, "{files:?}");
    for f in files {
        assert_eq!(mode(&f), 0o600, "{}", f.display());
    }
}

#[test]
fn a_log_with_a_value_the_format_cannot_hold_is_refused_and_left_as_it_was() {
    let root = common::temp_dir("contain-extreme");
    let recordings = root.join("rec");
    let session = recordings.join("2026-11-26_161748-netflix-pm");
    let mut log = fixture();
    log["questions"][0]["takes"][0]["duration_s"] = serde_json::json!(1e308);
    write_log(&session, &log);
    wav(&session.join("q01-why-netflix-take1.wav"));
    let before = std::fs::read(session.join("session.json")).unwrap();
    let (code, stdout, stderr) = run(&["sessions", "--recordings", recordings.to_str().unwrap()]);
    assert_eq!(code, Some(0), "{stderr}");
    assert!(
        stdout.contains("questions[0].takes[0].duration_s: 1e308 is out of range"),
        "{stdout}"
    );
    let (code, _, stderr) = run(&[
        "transcribe",
        session.to_str().unwrap(),
        "--model",
        "/dev/null",
    ]);
    assert_eq!(code, Some(1));
    assert!(stderr.contains("out of range"), "{stderr}");
    assert_eq!(std::fs::read(session.join("session.json")).unwrap(), before);
}

#[test]
fn ctrl_c_while_the_question_is_said_keeps_nothing_and_says_so_once() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let root = common::temp_dir("contain-early-ctrl-c");
    let recordings = root.join("rec");
    let mut run = common::Running::spawn(
        common::bin()
            .args([
                "run",
                "--think",
                "0",
                "--question",
                "why-netflix",
                "--no-cues",
            ])
            .args(["--test-microphone", "fast", "--recordings"])
            .arg(&recordings),
    );
    run.wait_for("Question ", Duration::from_secs(30));
    common::send_signal(run.child.id(), libc::SIGINT);
    let (code, stdout, stderr) = run.finish(Duration::from_secs(20));
    assert_eq!(code, Some(130), "{stderr}");
    assert!(stdout.contains("Nothing was recorded"), "{stdout}");
    assert!(
        stderr.contains("interrupted before anything was recorded"),
        "{stderr}"
    );
    assert!(!stderr.contains("recorded so far is kept"), "{stderr}");
    assert!(
        !recordings.exists(),
        "the recordings folder made for this session is left behind"
    );
}

#[test]
fn a_microphone_that_fails_as_a_take_starts_still_leaves_the_review_page() {
    let root = common::temp_dir("contain-start-fail");
    let recordings = root.join("rec");
    let out = common::bin()
        .args([
            "run",
            "--no-speak",
            "--think",
            "0",
            "--no-cues",
            "--answer",
            "1",
        ])
        .args(["--question", "why-netflix", "--question", "disagreement"])
        .args(["--test-microphone", "fast-then-fail", "--recordings"])
        .arg(&recordings)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("starting to record answer 2"), "{stderr}");
    let (session, log) = common::only_session(&recordings);
    assert_eq!(log["status"], "device_error");
    let page = std::fs::read_to_string(session.join("report.html"))
        .expect("the session that recorded a take has its review page");
    assert!(page.contains("q01-why-netflix-take1.wav"));
}

#[test]
fn play_of_a_valid_1_hz_wav_blames_the_file_not_the_device() {
    let root = common::temp_dir("contain-1hz");
    let file = root.join("one-hertz.wav");
    common::write_wav(&file, 1, [0, 1000, -1000, 0, 0, 0, 0, 0, 0, 0]);
    let (code, stdout, stderr) = run(&["play", file.to_str().unwrap()]);
    assert_eq!(code, Some(1), "{stdout}");
    assert!(stderr.contains("its sample rate is 1 Hz"), "{stderr}");
    assert!(!stderr.contains("device"), "{stderr}");
    assert!(!stdout.contains("Playing"), "{stdout}");
}
