//! Whose turn it is, on the virtual devices: the interviewer's voice never starts or fills a
//! take, speech that runs on past a limit stays with its own take, and the keys end a
//! question the way the README says (`s` after an answer keeps it).

use std::time::Duration;

use serde_json::Value;

use crate::common::{self, Running, SpeakerTap};

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap_or_else(|| panic!("not a number: {v}"))
}

#[test]
fn s_after_speech_keeps_the_answer_and_speech_answers_the_no_voice_warning() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("turns-skip");
    let recordings = dir.join("recordings");
    let phrase = common::speech_wav(
        &dir,
        "answer",
        "I led the redesign of our sign up flow, and conversion grew by six percent.",
        "en-us",
    );
    let mut run = Running::spawn(&mut common::silent_run(
        &recordings,
        30,
        &["--count", "2", "--no-cues"],
    ));
    run.wait_for("Recording answer", Duration::from_secs(20));
    // Silent at first: warned; then the answer, which answers the warning.
    run.wait_for("no voice heard", Duration::from_secs(10));
    common::feed_mic(&phrase);
    run.wait_for("voice heard now", Duration::from_secs(5));
    std::thread::sleep(Duration::from_millis(500));
    run.send_line("s");
    // The second question gets `s` before a word.
    run.wait_for("Recording answer", Duration::from_secs(20));
    std::thread::sleep(Duration::from_millis(1000));
    run.send_line("s");
    run.succeed(Duration::from_secs(30));

    let (_, log) = common::only_session(&recordings);
    let questions = log["questions"].as_array().unwrap();
    let first = &questions[0];
    assert_eq!(first["takes"][0]["ended_by"], "skip", "{first}");
    assert!(
        first["takes"][0]["analysis"]["first_speech_s"].is_f64(),
        "{first}"
    );
    assert_eq!(first["outcome"], "answered", "{first}");
    let second = &questions[1];
    assert_eq!(second["takes"][0]["ended_by"], "skip", "{second}");
    assert_eq!(second["outcome"], "skipped", "{second}");
}

#[test]
fn after_r_while_the_question_is_said_think_time_starts_only_once_the_re_read_is_over() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("turns-reread");
    let recordings = dir.join("recordings");
    let tap = SpeakerTap::start(&dir);
    let mut run = Running::spawn(
        common::bin()
            .args(["run", "--think", "6", "--answer", "5", "--no-cues"])
            .args(["--question", "lead-cross-functional", "--recordings"])
            .arg(&recordings),
    );
    run.wait_for("While it is said", Duration::from_secs(30));
    std::thread::sleep(Duration::from_millis(1500));
    let pressed = run.send_line("r");
    let thinking = run.wait_for("Think time", Duration::from_secs(40));
    run.succeed(Duration::from_secs(40));
    std::thread::sleep(Duration::from_millis(200));
    let started = tap.started;
    let (monitor, rate) = tap.stop();

    // The question was said again, and think time waited for the whole of it: the speaker is
    // silent from the think time on, and the re-read took as long as a reading does.
    let think_at = thinking.duration_since(started).as_secs_f64();
    let after = common::sound_seconds(&monitor, rate, think_at + 0.2, think_at + 3.0);
    assert!(
        after <= 0.1,
        "{after:.2} s of the interviewer's voice after think time began"
    );
    let reread_s = thinking.duration_since(pressed).as_secs_f64();
    let heard = common::sound_seconds(&monitor, rate, think_at - reread_s, think_at);
    assert!(
        reread_s >= 4.0 && heard >= 3.0,
        "think time began {reread_s:.2} s after `r`, with {heard:.2} s of speech between"
    );

    let (_, log) = common::only_session(&recordings);
    let q = &log["questions"][0];
    assert_eq!(q["asked_at_s"].as_array().unwrap().len(), 2, "{q}");
    let reread_end = f(&q["speech_ended_at_s"][1]);
    let think_started = f(&q["think_started_at_s"][0]);
    assert!(
        think_started >= reread_end && reread_end - f(&q["asked_at_s"][1]) >= 4.0,
        "{q}"
    );
}

#[test]
fn a_drill_answer_running_past_its_limit_stays_in_its_round_and_never_starts_the_next() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("turns-drill");
    let recordings = dir.join("recordings");
    // About 13 s of talk, with short breaths: well past round 1's 6 s, on through the
    // transition and into round 2's think time.
    let a = common::speech_wav(
        &dir,
        "a",
        "We shipped the new player in six weeks, and watch time grew by four percent.",
        "en-us",
    );
    let b = common::speech_wav(
        &dir,
        "b",
        "Then we took the same approach to the search page and the results were even better.",
        "en-us",
    );
    let ab = common::join_with_gap(&dir, "ab", &a, &b, 0.3);
    let talk = common::join_with_gap(&dir, "talk", &ab, &a, 0.3);
    let talk_s = {
        let r = hound::WavReader::open(&talk).unwrap();
        r.duration() as f64 / f64::from(r.spec().sample_rate)
    };
    assert!(talk_s >= 11.0, "{talk_s}");
    let mut run = Running::spawn(
        common::bin()
            .args(["drill", "data-driven-decision", "--limits", "6,5"])
            .args(["--think", "8", "--recordings"])
            .arg(&recordings),
    );
    run.wait_for("Think time", Duration::from_secs(40));
    std::thread::sleep(Duration::from_millis(500));
    let feeder = {
        let (talk, env) = (talk.clone(), common::held_stack());
        std::thread::spawn(move || common::feed_mic_with(&talk, &env))
    };
    run.wait_for("started when you spoke", Duration::from_secs(5));
    // Round 2's think time begins while the answer still runs on.
    run.wait_for("Think time", Duration::from_secs(20));
    feeder.join().unwrap();
    run.succeed(Duration::from_secs(60));

    let (_, log) = common::only_session(&recordings);
    let q = &log["questions"][0];
    let takes = q["takes"].as_array().unwrap();
    assert_eq!(takes.len(), 2, "{q}");
    let (one, two) = (&takes[0], &takes[1]);
    assert_eq!(one["started_by"], "voice", "{one}");
    assert_eq!(one["ended_by"], "limit", "{one}");
    assert_eq!(
        one["cut_off"], true,
        "round 1 was cut off mid-speech: {one}"
    );
    // The run-on was still going when round 2's think time began...
    let run_on_until = f(&one["started_at_s"]) + talk_s;
    let transition_end = f(&q["speech_ended_at_s"][1]);
    assert!(
        run_on_until > f(&q["think_started_at_s"][1]) + 1.0,
        "the test's talk ended before round 2's think time: {q}"
    );
    // ...yet round 2 was started by its own timer, after the transition, not by it.
    assert_eq!(two["started_by"], "think_time_over", "{two}");
    assert!(f(&two["started_at_s"]) >= transition_end, "{q}");
    assert_eq!(two["cut_off"], Value::Null, "{two}");
}
