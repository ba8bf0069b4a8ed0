//! Listening back on the virtual devices: `replay` plays a session's answers in order (after
//! each question, said aloud), `compare` puts one question's takes side by side, and `run
//! --listen` plays a take back on request.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use serde_json::Value;

use crate::common::{self, Running, SpeakerTap};

const ANSWERS: [&str; 2] = [
    "I want to build the product that people reach for at the end of a long day.",
    "Every morning I read two industry newsletters and try a new streaming app each month.",
];

/// Records a session of two questions whose answers are fed into the microphone; returns the
/// recordings folder and the session's folder.
fn record_two_answers(dir: &Path) -> (PathBuf, PathBuf) {
    let recordings = dir.join("recordings");
    let fed: Vec<PathBuf> = ANSWERS
        .iter()
        .enumerate()
        .map(|(i, text)| common::speech_wav(dir, &format!("a{i}"), text, "en-us"))
        .collect();
    let mut run = Running::spawn(common::silent_run(&recordings, 12, &[]).args([
        "--question",
        "why-netflix",
        "--question",
        "stay-current",
    ]));
    for answer in &fed {
        run.feed_after(
            "Recording answer",
            Duration::from_secs(20),
            Duration::from_millis(300),
            answer,
        );
        std::thread::sleep(Duration::from_millis(300));
        run.send_line("");
    }
    run.succeed(Duration::from_secs(20));
    let (session, _) = common::only_session(&recordings);
    (recordings, session)
}

fn take_files(session: &Path) -> Vec<PathBuf> {
    let log = common::session_log(session);
    log["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| session.join(q["takes"][0]["file"].as_str().unwrap()))
        .collect()
}

/// How long after "Playing take" the player may take to put out its first sound (measured at
/// 0.00 s while the machine ran the full suite alongside).
const PLAYER_START: Duration = Duration::from_millis(500);

/// Runs `replay ARGS` to its end with the speaker tapped; returns what the speaker played.
fn replay_heard(dir: &Path, recordings: &Path, extra: &[&str]) -> (Vec<f32>, u32, String) {
    let tap = SpeakerTap::start(dir);
    let out = common::bin()
        .arg("replay")
        .args(extra)
        .arg("--recordings")
        .arg(recordings)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let (monitor, rate) = tap.stop_when_heard();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "replay failed\nstdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (monitor, rate, stdout)
}

#[test]
fn replay_plays_both_answers_in_order() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("replay-order");
    let (recordings, session) = record_two_answers(&dir);
    let (monitor, rate, stdout) = replay_heard(&dir, &recordings, &["--no-speak"]);
    assert!(
        stdout.contains("Why do you want to work at Netflix?"),
        "{stdout}"
    );
    let mut lags = Vec::new();
    for (i, take) in take_files(&session).iter().enumerate() {
        let (samples, take_rate) = common::read_wav(take);
        assert_eq!(take_rate, rate);
        let (lag, ncc) = common::best_alignment(&samples, &monitor);
        eprintln!(
            "take {}: heard at {:.2} s, ncc {ncc:.3}",
            i + 1,
            lag as f64 / f64::from(rate)
        );
        assert!(ncc >= 0.9, "take {} was heard only at {ncc:.3}", i + 1);
        lags.push(lag);
    }
    assert!(
        lags[0] < lags[1],
        "the answers were played out of order: {lags:?}"
    );
}

#[test]
fn replay_says_each_question_before_its_answer() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("replay-speech");
    let (recordings, session) = record_two_answers(&dir);
    let (monitor, rate, _) = replay_heard(&dir, &recordings, &["latest"]);
    let mut previous_end = 0.0;
    for (i, take) in take_files(&session).iter().enumerate() {
        let (samples, _) = common::read_wav(take);
        let (lag, ncc) = common::best_alignment(&samples, &monitor);
        assert!(ncc >= 0.9, "take {} was heard only at {ncc:.3}", i + 1);
        let start = lag as f64 / f64::from(rate);
        let spoken = common::sound_seconds(&monitor, rate, previous_end, start);
        eprintln!(
            "question {}: {spoken:.2} s of speech before its answer",
            i + 1
        );
        assert!(
            spoken >= 1.0,
            "question {} was not heard before its answer ({spoken:.2} s of sound)",
            i + 1
        );
        previous_end = start + samples.len() as f64 / f64::from(rate);
    }
}

#[test]
fn compare_lists_the_takes_of_one_question_from_two_sessions() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("compare");
    let recordings = dir.join("recordings");
    for answer_s in [2, 1] {
        let out = common::silent_run(&recordings, answer_s, &["--question", "why-netflix"])
            .stdin(Stdio::null())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        common::next_second();
    }
    let out = common::bin()
        .args(["compare", "why-netflix", "--json", "--recordings"])
        .arg(&recordings)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let rows: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows.len(), 2, "{rows:#?}");
    assert_ne!(rows[0]["session"], rows[1]["session"]);
    // Oldest first: the 2 s take, then the 1 s one, each with its own limit.
    assert_eq!(rows[0]["facts"]["limit_s"], 2.0);
    assert_eq!(rows[1]["facts"]["limit_s"], 1.0);
    assert_eq!(rows[0]["facts"]["ended_by"], "limit");
    let table = common::bin()
        .args(["compare", "why-netflix", "--recordings"])
        .arg(&recordings)
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&table.stdout);
    assert!(
        table.contains("2 takes of \"Why do you want to work at Netflix?\""),
        "{table}"
    );
    assert!(
        table.contains("0:02/0:02") && table.contains("0:01/0:01"),
        "{table}"
    );
    let out = common::bin()
        .args(["compare", "no-such-question", "--recordings"])
        .arg(&recordings)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        !out.status.success() && err.contains("why-netflix"),
        "{err}"
    );
}

#[test]
fn run_with_listen_plays_the_take_back_on_request() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("run-listen");
    let recordings = dir.join("recordings");
    let answer = common::speech_wav(&dir, "answer", ANSWERS[0], "en-us");
    let tap = SpeakerTap::start(&dir);
    let mut run = Running::spawn(
        common::silent_run(&recordings, 12, &["--question", "why-netflix"])
            .args(["--listen", "30"]),
    );
    run.feed_after(
        "Recording answer",
        Duration::from_secs(20),
        Duration::from_millis(300),
        &answer,
    );
    std::thread::sleep(Duration::from_millis(300));
    run.send_line("");
    run.wait_for("kept", Duration::from_secs(10));
    run.send_line("l");
    let playing = run.wait_for("Playing take 1", Duration::from_secs(10));
    // Nothing is printed when the take has played out, and its end is as silent as the
    // speaker after it: wait until the speaker recording covers the take's logged length
    // from the moment it began, and the player's start (PLAYER_START) before that.
    let (_, log) = common::only_session(&recordings);
    let take_s = log["questions"][0]["takes"][0]["duration_s"]
        .as_f64()
        .expect("the take's duration_s");
    tap.wait_covering(playing + PLAYER_START + Duration::from_secs_f64(take_s));
    run.send_line("");
    run.succeed(Duration::from_secs(20));
    let tap_started = tap.started;
    let (monitor, rate) = tap.stop_when_heard();
    let (session, log) = common::only_session(&recordings);
    let take = &take_files(&session)[0];
    let (recorded, _) = common::read_wav(take);
    let (lag, ncc) = common::best_alignment(&recorded, &monitor);
    eprintln!(
        "the take's sound began {:.3} s after \"Playing take 1\"",
        lag as f64 / f64::from(rate) - playing.duration_since(tap_started).as_secs_f64()
    );
    assert!(
        ncc >= 0.9,
        "the take played back matches it only at {ncc:.3}"
    );
    assert_eq!(log["questions"][0]["takes"][0]["listened"], true);
    assert_eq!(log["settings"]["listen"], true);
}
