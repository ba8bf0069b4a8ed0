//! A session that listens, on the virtual devices: an answer started by speaking keeps its
//! opening, silence is noticed, and the answer ends once the speaker has finished.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::common::{self, Running};

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn a_silent_answer_never_shows_green_warns_early_and_is_logged_without_speech() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("listen-silent");
    let recordings = dir.join("recordings");
    let mut run = Running::spawn(&mut common::silent_run(
        &recordings,
        8,
        &["--count", "1", "--lights", "2,5,7"],
    ));
    let started = run.wait_for("Recording answer", Duration::from_secs(20));
    let warned = run.wait_for("no voice heard", Duration::from_secs(10));
    let after = warned.duration_since(started).as_secs_f64();
    assert!(after <= 5.0, "warned {after:.2} s into the answer");
    let (stdout, _) = run.succeed(Duration::from_secs(20));
    assert!(!stdout.contains("green"), "{stdout}");
    assert!(
        stdout.contains("yellow"),
        "the clock lights still run: {stdout}"
    );
    assert!(stdout.contains("NO SPEECH"), "{stdout}");
    let (session, log) = common::only_session(&recordings);
    let take = &log["questions"][0]["takes"][0];
    assert!(take["analysis"]["first_speech_s"].is_null(), "{take}");
    assert_eq!(take["ended_by"], "limit");
    let review = std::fs::read_to_string(session.join("review.md")).unwrap();
    assert!(review.contains("NO SPEECH"), "{review}");
}

/// A one-question run (20 s to think, 20 s to answer), once its think time has begun.
fn thinking(recordings: &Path) -> Running {
    let mut run = Running::spawn(
        common::bin()
            .args(["run", "--no-speak", "--think", "20", "--answer", "20"])
            .args(["--count", "1", "--recordings"])
            .arg(recordings),
    );
    run.wait_for("Think time", Duration::from_secs(20));
    run
}

#[test]
fn speaking_during_think_time_starts_the_answer_with_its_opening_kept() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("listen-think");
    let recordings = dir.join("recordings");
    let phrase = common::speech_wav(
        &dir,
        "phrase",
        "Sure. Last year I led the launch of our new recommendations page.",
        "en-us",
    );
    let mut run = thinking(&recordings);
    std::thread::sleep(Duration::from_millis(1500));
    common::feed_mic(&phrase);
    run.wait_for("started when you spoke", Duration::from_secs(5));
    std::thread::sleep(Duration::from_millis(500));
    run.send_line("");
    run.succeed(Duration::from_secs(20));

    let (session, log) = common::only_session(&recordings);
    let q = &log["questions"][0];
    let take = &q["takes"][0];
    assert_eq!(take["started_by"], "voice", "{take}");
    let lag_s = whole_phrase_at(&phrase, &session.join(take["file"].as_str().unwrap()));
    // Think time used ends where the speech began: the take's clock starts at the phrase.
    let phrase_at = f(&take["started_at_s"]) - f(&take["pre_roll_s"]) + lag_s;
    let think_end = f(&q["think_started_at_s"][0]) + f(&q["think_used_s"]);
    assert!(
        (think_end - phrase_at).abs() <= 0.15,
        "think time ends at {think_end:.3} s, the phrase began at {phrase_at:.3} s"
    );
    assert!(f(&q["think_used_s"]) >= 1.3, "{q}");
}

/// Seconds into `take` where the whole of `phrase` is, its first 100 ms included.
fn whole_phrase_at(phrase: &Path, take: &Path) -> f64 {
    let (fed, _) = common::read_wav(phrase);
    let (recorded, rate) = common::read_wav(take);
    let (lag, ncc) = common::best_alignment(&fed, &recorded);
    assert!(ncc >= 0.9, "the take holds the phrase only at {ncc:.3}");
    // Its first 100 ms are there, at the same lag as the whole.
    let head = (rate as usize) / 10;
    let (head_lag, head_ncc) = common::best_alignment(&fed[..head], &recorded[..lag + head * 2]);
    assert!(
        head_ncc >= 0.9 && head_lag.abs_diff(lag) <= 2,
        "the opening 100 ms: {head_ncc:.3} at {head_lag} (whole phrase at {lag})"
    );
    lag as f64 / f64::from(rate)
}

#[test]
fn speaking_over_the_start_cue_loses_nothing_and_the_cue_is_left_out_of_the_measures() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("listen-over-cue");
    let recordings = dir.join("recordings");
    let phrase = common::speech_wav(
        &dir,
        "phrase",
        "Right away: we cut the sign up flow from five steps to two.",
        "en-us",
    );
    let mut run = thinking(&recordings);
    std::thread::sleep(Duration::from_millis(500));
    // Enter, and into the answer while the start cue is still playing.
    run.send_line("");
    std::thread::sleep(Duration::from_millis(150));
    common::feed_mic(&phrase);
    run.wait_for("Recording answer", Duration::from_secs(5));
    std::thread::sleep(Duration::from_millis(500));
    run.send_line("");
    run.succeed(Duration::from_secs(20));

    let (session, log) = common::only_session(&recordings);
    let take = &log["questions"][0]["takes"][0];
    assert_eq!(take["started_by"], "enter", "{take}");
    let lag_s = whole_phrase_at(&phrase, &session.join(take["file"].as_str().unwrap()));
    // The phrase began over the cue, before the take's clock: the file kept it.
    let pre_roll = f(&take["pre_roll_s"]);
    assert!(
        lag_s < pre_roll,
        "the phrase began {lag_s:.3} s into the file, the clock at {pre_roll:.3} s"
    );
    let cue = &take["cues_s"][0];
    assert!(
        f(&cue[0]) <= 0.01 && (f(&cue[1]) - pre_roll).abs() <= 0.01,
        "{take}"
    );
    // The cue's time is left out of the measures: the speech is found from the clock on.
    let first = f(&take["analysis"]["first_speech_s"]);
    assert!(
        (first - pre_roll).abs() <= 0.05,
        "first speech at {first:.3} s: {take}"
    );
}

#[test]
fn auto_finish_and_the_overtime_grace_end_once_the_speaker_has_stopped() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("listen-finish");
    let phrase = common::speech_wav(
        &dir,
        "phrase",
        "We shipped it in three weeks and retention went up by two points.",
        "en-us",
    );
    let (fed, _) = common::read_wav(&phrase);

    // --auto-finish 2: the take ends two seconds after the speech.
    let recordings = dir.join("auto");
    let mut run = Running::spawn(&mut common::silent_run(
        &recordings,
        30,
        &["--count", "1", "--auto-finish", "2"],
    ));
    run.wait_for("Recording answer", Duration::from_secs(20));
    // After the start cue, as a candidate would.
    std::thread::sleep(Duration::from_millis(700));
    common::feed_mic(&phrase);
    run.succeed(Duration::from_secs(20));
    let (session, log) = common::only_session(&recordings);
    let take = &log["questions"][0]["takes"][0];
    assert_eq!(take["ended_by"], "auto_finish", "{take}");
    let (recorded, rate) = common::read_wav(&session.join(take["file"].as_str().unwrap()));
    let (lag, ncc) = common::best_alignment(&fed, &recorded);
    assert!(ncc >= 0.9, "{ncc:.3}");
    let speech_end = (lag + fed.len()) as f64 / rate as f64;
    let after = recorded.len() as f64 / rate as f64 - speech_end;
    assert!(
        (after - 2.0).abs() <= 0.3,
        "ended {after:.2} s after the speech"
    );

    // A 3 s limit with a 10 s grace: the phrase runs past the limit, and the take ends once
    // it is over, counting as overtime only what was said.
    let recordings = dir.join("grace");
    let mut run = Running::spawn(&mut common::silent_run(
        &recordings,
        3,
        &["--count", "1", "--overtime", "10"],
    ));
    run.feed_after(
        "Recording answer",
        Duration::from_secs(20),
        Duration::from_millis(700),
        &phrase,
    );
    run.succeed(Duration::from_secs(20));
    let (session, log) = common::only_session(&recordings);
    let take = &log["questions"][0]["takes"][0];
    assert_eq!(take["ended_by"], "finished_in_grace", "{take}");
    let (recorded, rate) = common::read_wav(&session.join(take["file"].as_str().unwrap()));
    let (lag, ncc) = common::best_alignment(&fed, &recorded);
    assert!(ncc >= 0.9, "{ncc:.3}");
    // In the take's time: the file also keeps its start cue.
    let speech_end = (lag + fed.len()) as f64 / rate as f64 - f(&take["pre_roll_s"]);
    let over = f(&take["overtime_s"]);
    assert!(
        (over - (speech_end - 3.0)).abs() <= 0.3,
        "{over:.2} s over; the speech ended {speech_end:.2} s in"
    );
    let after = recorded.len() as f64 / rate as f64 - f(&take["pre_roll_s"]) - speech_end;
    assert!(
        after <= 2.0,
        "the grace went on {after:.2} s after the speech"
    );
}

/// Share of a window's energy at `hz` (1 for a pure tone at that frequency).
fn tone_share(x: &[f32], rate: u32, hz: f64) -> f64 {
    let w = std::f64::consts::TAU * hz / f64::from(rate);
    let (mut re, mut im, mut ms) = (0.0, 0.0, 0.0);
    for (n, &v) in x.iter().enumerate() {
        let v = f64::from(v);
        re += v * (w * n as f64).cos();
        im -= v * (w * n as f64).sin();
        ms += v * v;
    }
    let n = x.len() as f64;
    if ms <= 1e-9 * n {
        return 0.0;
    }
    2.0 * (re * re + im * im) / (n * n) / (ms / n)
}

/// Start times (s) of the stretches where the speaker played a cue tone.
fn cue_times(monitor: &[f32], rate: u32) -> Vec<f64> {
    let win = rate as usize / 25;
    let mut starts = Vec::new();
    let mut in_cue = false;
    for (k, w) in monitor.chunks(win).enumerate() {
        let tone = [660.0, 880.0]
            .iter()
            .any(|&hz| tone_share(w, rate, hz) > 0.6);
        let t = k as f64 * win as f64 / f64::from(rate);
        // The notes of one cue are one cue.
        if tone && !in_cue && starts.last().is_none_or(|&s: &f64| t - s > 0.4) {
            starts.push(t);
        }
        in_cue = tone;
    }
    starts
}

#[test]
fn cues_are_heard_at_the_start_the_wrap_up_and_the_limit_and_never_over_the_question() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("listen-cues");
    let recordings = dir.join("recordings");
    let tap = common::SpeakerTap::start(&dir);
    let mut run = Running::spawn(
        common::bin()
            .args(["run", "--think", "0", "--answer", "4", "--count", "1"])
            .args([
                "--lights",
                "1,2,4",
                "--question",
                "why-netflix",
                "--recordings",
            ])
            .arg(&recordings),
    );
    let asked = run.wait_for("Question ", Duration::from_secs(30));
    let recording = run.wait_for("Recording answer", Duration::from_secs(30));
    run.succeed(Duration::from_secs(30));
    let tap_started = tap.started;
    let (monitor, rate) = tap.stop_when_heard();
    let cues = cue_times(&monitor, rate);
    let rec = recording.duration_since(tap_started).as_secs_f64();
    let asked = asked.duration_since(tap_started).as_secs_f64();
    // The start cue as the recording begins, the time-up cue at the limit (the limit comes
    // after the start cue has been heard out), and nothing like a cue before the recording.
    let near = |t: f64, within: f64| cues.iter().copied().find(|c| (c - t).abs() <= within);
    let start =
        near(rec, 0.5).unwrap_or_else(|| panic!("no start cue near {rec:.2} s: cues at {cues:?}"));
    let limit_at = rec + 0.45 + 4.0;
    near(limit_at, 0.6)
        .unwrap_or_else(|| panic!("no time-up cue near {limit_at:.2} s: cues at {cues:?}"));
    // The wrap-up cue at the yellow light, 2 s into the answer.
    let wrap_up_at = rec + 0.45 + 2.0;
    near(wrap_up_at, 0.6)
        .unwrap_or_else(|| panic!("no wrap-up cue near {wrap_up_at:.2} s: cues at {cues:?}"));
    assert_eq!(cues.len(), 3, "start, wrap-up and time-up only: {cues:?}");
    assert!(
        cues.iter().all(|&c| c >= start),
        "a cue before the recording: {cues:?}"
    );
    let cues = [start];
    // The question was said before, and nothing of it sounds once the start cue plays.
    let question = common::sound_seconds(&monitor, rate, asked, cues[0] - 0.05);
    assert!(
        question >= 1.0,
        "only {question:.2} s of the question before the cue"
    );
    let log: Value = {
        let (_, log) = common::only_session(&recordings);
        log
    };
    let q = &log["questions"][0];
    let said_until = f(&q["speech_ended_at_s"][0]) - f(&q["asked_at_s"][0]) + asked;
    assert!(
        said_until <= cues[0] + 0.1,
        "the question was still being said at {said_until:.2} s, the cue began at {:.2} s",
        cues[0]
    );
    // The take's clock starts after its start cue.
    let take = &q["takes"][0];
    let clock = f(&take["started_at_s"]) - f(&q["asked_at_s"][0]) + asked;
    assert!(
        clock >= cues[0] + 0.2,
        "the take's clock started at {clock:.2}, the cue at {:.2}",
        cues[0]
    );
}

/// Seconds (from the tap's start) of the last 40 ms stretch in `[from_s, to_s)` where the
/// speaker made a sound that was not a cue tone.
fn last_speech_at(monitor: &[f32], rate: u32, from_s: f64, to_s: f64) -> Option<f64> {
    let win = rate as usize / 25;
    let at = |s: f64| ((s * f64::from(rate)) as usize).min(monitor.len());
    monitor[at(from_s)..at(to_s)]
        .chunks(win)
        .enumerate()
        .filter(|(_, w)| {
            let ms = w.iter().map(|&v| f64::from(v) * f64::from(v)).sum::<f64>() / w.len() as f64;
            let tone = [660.0, 880.0]
                .iter()
                .any(|&hz| tone_share(w, rate, hz) > 0.6);
            ms > 1e-5 && !tone
        })
        .map(|(k, _)| from_s + k as f64 * win as f64 / f64::from(rate))
        .next_back()
}

#[test]
fn enter_during_the_question_cues_only_once_the_speech_has_stopped_and_no_cues_is_silent() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("listen-cues-enter");
    // Enter a second into the spoken question: the speech stops, then the start cue plays.
    let tap = common::SpeakerTap::start(&dir);
    let mut run = Running::spawn(
        common::bin()
            .args(["run", "--think", "20", "--answer", "3", "--count", "1"])
            .args(["--question", "lead-cross-functional", "--recordings"])
            .arg(dir.join("enter")),
    );
    run.wait_for("While it is said", Duration::from_secs(30));
    std::thread::sleep(Duration::from_millis(1500));
    let pressed = run.send_line("");
    run.succeed(Duration::from_secs(30));
    let tap_started = tap.started;
    let (monitor, rate) = tap.stop_when_heard();
    let pressed = pressed.duration_since(tap_started).as_secs_f64();
    let cues = cue_times(&monitor, rate);
    let start = cues
        .iter()
        .copied()
        .find(|&c| c > pressed - 0.2)
        .unwrap_or_else(|| panic!("no start cue after Enter at {pressed:.2} s: {cues:?}"));
    assert!(
        start - pressed < 1.0,
        "the cue came {:.2} s after Enter",
        start - pressed
    );
    // The speech heard last, before the cue or after it (the cue's own notes and fades, its
    // first 0.25 s, are not speech).
    let after_cue = last_speech_at(&monitor, rate, start + 0.25, start + 1.0);
    assert!(
        after_cue.is_none(),
        "the question was still heard at {after_cue:?} s, the start cue began at {start:.2} s"
    );
    // It was being said when Enter came, and stopped before the cue.
    let said =
        last_speech_at(&monitor, rate, 0.0, start).expect("the question was heard on the speaker");
    assert!(
        said > pressed - 1.0,
        "{said:.2}: the question was not being said at Enter ({pressed:.2} s)"
    );

    // --no-cues: nothing like a cue is heard at all.
    let tap = common::SpeakerTap::start(&dir);
    let mut run = Running::spawn(
        common::bin()
            .args([
                "run",
                "--no-speak",
                "--think",
                "0",
                "--answer",
                "3",
                "--count",
                "1",
            ])
            .args(["--lights", "1,2,3", "--no-cues", "--recordings"])
            .arg(dir.join("quiet")),
    );
    run.wait_for("Recording answer", Duration::from_secs(30));
    run.succeed(Duration::from_secs(30));
    let (monitor, rate) = tap.stop();
    let cues = cue_times(&monitor, rate);
    assert!(cues.is_empty(), "--no-cues, yet cues at {cues:?}");
}

/// The pace remark in `text`, if any ("Your pace was …").
fn pace_remark(text: &str) -> Option<String> {
    let at = text.find("Your pace was")?;
    let rest = &text[at..];
    let end = rest.find(").").map_or(rest.len(), |e| e + 2);
    Some(rest[..end].split_whitespace().collect::<Vec<_>>().join(" "))
}

#[test]
fn one_take_gets_the_same_pace_remark_from_run_analyze_and_the_review_sheet() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("listen-pace");
    let recordings = dir.join("recordings");
    // A fast speaker: espeak-ng at 320 words a minute, some eight seconds of it.
    let raw = dir.join("fast-22k.wav");
    let fast = dir.join("fast.wav");
    let ok = |c: &mut std::process::Command| assert!(c.status().unwrap().success(), "{c:?}");
    ok(std::process::Command::new("espeak-ng")
        .args(["-v", "en-us", "-s", "320", "-w"])
        .arg(&raw)
        .arg(
            "I led the launch of our recommendations page across twelve markets, worked with \
             design and data science every week, cut the time to first play by a third, and \
             grew retention by two points in the first quarter after the launch.",
        ));
    ok(std::process::Command::new("sox")
        .arg(&raw)
        .args(["-r", "48000", "-b", "16", "-c", "1"])
        .arg(&fast)
        .args(["vol", "0.8"]));
    let mut run = Running::spawn(&mut common::silent_run(&recordings, 30, &["--count", "1"]));
    run.feed_after(
        "Recording answer",
        Duration::from_secs(20),
        Duration::from_millis(300),
        &fast,
    );
    std::thread::sleep(Duration::from_millis(500));
    run.send_line("");
    let (stdout, _) = run.succeed(Duration::from_secs(20));
    let from_run = pace_remark(&stdout).unwrap_or_else(|| panic!("no pace remark:\n{stdout}"));
    assert!(from_run.contains("fast"), "{from_run}");

    let (session, log) = common::only_session(&recordings);
    let take = session.join(log["questions"][0]["takes"][0]["file"].as_str().unwrap());
    let analyze = |target: &Path| {
        let out = common::bin().arg("analyze").arg(target).output().unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let review = std::fs::read_to_string(session.join("review.md")).unwrap();
    for (what, text) in [
        ("analyze FILE", analyze(&take)),
        ("analyze SESSION", analyze(&session)),
        ("review.md", review),
    ] {
        assert_eq!(
            pace_remark(&text).as_deref(),
            Some(from_run.as_str()),
            "{what}:\n{text}"
        );
    }
}
