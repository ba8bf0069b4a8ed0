//! Timed rehearsal on the virtual devices: `rehearse` holds a whole interview to its budget,
//! `drill` holds each round to its own limit, follow-ups are asked and recorded as their own
//! takes, and `history` reads every answer back with its trend.

use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::time::Duration;

use serde_json::Value;

use crate::common::{self, Running, SpeakerTap};

/// A pack of short questions, so a one-minute interview holds several.
const SHORT_PACK: &str = r#"format = 1
title = "Short"
[defaults]
think_s = 0
answer_s = 6
min_s = 3
warn_s = 2
[[questions]]
id = "why-us"
category = "motivation"
text = "Why us?"
[[questions]]
id = "story-a"
category = "behavioural"
text = "Tell me about a launch."
[[questions.follow_ups]]
text = "What would you do differently?"
answer_s = 3
[[questions]]
id = "story-b"
category = "behavioural"
text = "Tell me about a conflict."
[[questions]]
id = "product-a"
category = "product"
text = "Improve our app."
[[questions.follow_ups]]
text = "How would you measure it?"
answer_s = 3
[[questions]]
id = "product-b"
category = "product"
text = "Design a feature."
[[questions]]
id = "product-c"
category = "product"
text = "Pick a metric."
[[questions]]
id = "story-c"
category = "behavioural"
text = "Tell me about a failure."
[[questions]]
id = "ask-us"
category = "closing"
text = "What would you like to ask us?"
"#;

fn short_pack(dir: &Path) -> PathBuf {
    let path = dir.join("short.toml");
    std::fs::write(&path, SHORT_PACK).unwrap();
    path
}

/// Speech fed into the microphone over and over until dropped.
pub(crate) struct Talker(Child);

impl Talker {
    pub(crate) fn start(dir: &Path) -> Talker {
        let phrase = common::speech_wav(
            dir,
            "talk",
            "We shipped the new player in six weeks and watch time grew by four percent.",
            "en-us",
        );
        let script = format!(
            "while true; do paplay --device=micfeed '{}' || exit 1; done",
            phrase.display()
        );
        use std::os::unix::process::CommandExt;
        // A process group of its own, so dropping it stops the loop and its paplay together.
        Talker(
            common::audio("sh")
                .args(["-c", &script])
                .process_group(0)
                .spawn()
                .unwrap(),
        )
    }
}

impl Drop for Talker {
    fn drop(&mut self) {
        // SAFETY: kill(2) on the process group this test started.
        unsafe {
            libc::kill(-(self.0.id() as libc::pid_t), libc::SIGTERM);
        }
        let _ = self.0.wait();
    }
}

/// `voicemock ARGS --no-speak --pack PACK --recordings RECORDINGS` run to its end while
/// `talker` talks into the microphone; checks it succeeded and returns what it printed.
fn talked_to(args: &[&str], pack: &Path, recordings: &Path, talker: Talker) -> String {
    let out = common::bin()
        .args(args)
        .args(["--no-speak", "--pack"])
        .arg(pack)
        .arg("--recordings")
        .arg(recordings)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    drop(talker);
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "stdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

#[test]
fn a_one_minute_rehearsal_keeps_to_its_budget_and_reports_its_schedule() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("rehearse");
    let pack = short_pack(&dir);
    let recordings = dir.join("recordings");
    let talker = Talker::start(&dir);
    let args = ["rehearse", "--minutes", "1", "--seed", "7"];
    let stdout = talked_to(&args, &pack, &recordings, talker);
    let (_, log) = common::only_session(&recordings);
    assert_eq!(log["kind"], "rehearse");
    assert_eq!(log["budget_s"], 60.0);
    let questions = log["questions"].as_array().unwrap();
    assert_eq!(questions[0]["category"], "motivation");
    assert_eq!(questions.last().unwrap()["id"], "ask-us");
    // It ends within the budget plus the last answer's limit.
    let ended = log["ended_at_s"].as_f64().unwrap();
    let last_limit = questions.last().unwrap()["limit_s"].as_f64().unwrap();
    assert!(ended <= 60.0 + last_limit + 1.0, "ended at {ended} s");
    // Follow-ups are asked, each as its own take linked to its question.
    let follow_ups: Vec<&Value> = questions
        .iter()
        .filter(|q| !q["follow_up_of"].is_null())
        .collect();
    assert!(!follow_ups.is_empty(), "{log:#}");
    for f in &follow_ups {
        let parent = f["follow_up_of"].as_str().unwrap();
        assert!(questions.iter().any(|q| q["id"] == parent));
        if f["outcome"] == "answered" {
            assert_eq!(f["takes"][0]["limit_s"], 3.0);
        }
    }
    // The schedule report says what the log says.
    let schedule = &log["schedule"];
    assert_eq!(schedule["budget_s"], 60.0);
    assert!((schedule["used_s"].as_f64().unwrap() - ended).abs() < 0.01);
    let not_reached: Vec<&str> = questions
        .iter()
        .filter(|q| q["outcome"] == "not_reached")
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    let logged: Vec<&str> = schedule["not_reached"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(logged, not_reached);
    assert!(
        stdout.contains("Schedule:") && stdout.contains("of the 1:00 budget"),
        "{stdout}"
    );
    for q in questions.iter().filter(|q| q["outcome"] == "answered") {
        assert!(stdout.contains(q["id"].as_str().unwrap()), "{stdout}");
        assert!(q["planned_s"].as_f64().unwrap() > 0.0);
        assert!(q["done_at_s"].as_f64().is_some());
    }
}

#[test]
fn a_drill_holds_each_round_to_its_own_limit() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("drill");
    let pack = short_pack(&dir);
    let recordings = dir.join("recordings");
    let talker = Talker::start(&dir);
    std::thread::sleep(Duration::from_millis(500));
    let args = ["drill", "story-a", "--limits", "6,4,2"];
    let stdout = talked_to(&args, &pack, &recordings, talker);
    let (_, log) = common::only_session(&recordings);
    assert_eq!(log["kind"], "drill");
    let takes = log["questions"][0]["takes"].as_array().unwrap();
    assert_eq!(takes.len(), 3, "{log:#}");
    for (take, limit) in takes.iter().zip([6.0, 4.0, 2.0]) {
        assert_eq!(take["limit_s"], limit);
        assert_eq!(take["ended_by"], "limit");
        let d = common::answer_s(take);
        eprintln!("round held to {limit} s: {d:.3} s");
        assert!((d - limit).abs() <= 0.15, "a {limit} s round lasted {d} s");
        assert!(
            take["analysis"]["first_speech_s"].as_f64().is_some(),
            "{take}"
        );
    }
    // The closing table compares the rounds.
    assert!(stdout.contains("The rounds of"), "{stdout}");
    for cell in ["0:06/0:06", "0:04/0:04", "0:02/0:02", "3 takes of"] {
        assert!(stdout.contains(cell), "{cell:?} missing from:\n{stdout}");
    }
}

#[test]
fn a_follow_up_is_spoken_after_its_answer_and_recorded_as_its_own_take() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("follow-up");
    let pack = short_pack(&dir);
    let recordings = dir.join("recordings");
    let tap = SpeakerTap::start(&dir);
    let mut run = Running::spawn(
        common::bin()
            .args(["run", "--follow-ups", "--question", "product-a", "--pack"])
            .arg(&pack)
            .arg("--recordings")
            .arg(&recordings),
    );
    run.wait_for("Recording answer", Duration::from_secs(30));
    let parent_done = run.send_line("");
    run.wait_for("a follow-up", Duration::from_secs(10));
    let follow_recording = run.wait_for("Recording answer", Duration::from_secs(30));
    run.send_line("");
    run.succeed(Duration::from_secs(30));
    let started = tap.started;
    let (monitor, rate) = tap.stop_when_heard();
    let (from, to) = (
        parent_done.duration_since(started).as_secs_f64(),
        follow_recording.duration_since(started).as_secs_f64(),
    );
    let spoken = common::sound_seconds(&monitor, rate, from, to);
    eprintln!("{spoken:.2} s of speech between the answer and the follow-up's recording");
    assert!(
        spoken >= 0.8,
        "the follow-up was not heard ({spoken:.2} s of sound)"
    );
    let (_, log) = common::only_session(&recordings);
    let questions = log["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 2);
    assert_eq!(questions[1]["id"], "product-a-f1");
    assert_eq!(questions[1]["follow_up_of"], "product-a");
    assert_eq!(questions[1]["spoken"], true);
    assert_eq!(questions[1]["takes"].as_array().unwrap().len(), 1);
    assert_eq!(questions[1]["takes"][0]["limit_s"], 3.0);
}

#[test]
fn history_holds_every_answer_and_sees_a_quicker_start() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("history");
    let recordings = dir.join("recordings");
    let phrase = common::speech_wav(
        &dir,
        "phrase",
        "I would start with the members who cancel in their first month.",
        "en-us",
    );
    // Four sessions answering the same question: three after 2.5 s of silence, then at once
    // (a trend needs three earlier attempts; after two, `history` says there are too few).
    for (i, delay_ms) in [2500, 2500, 2500, 200].into_iter().enumerate() {
        let mut run = Running::spawn(&mut common::silent_run(
            &recordings,
            8,
            &["--question", "why-netflix"],
        ));
        run.feed_after(
            "Recording answer",
            Duration::from_secs(20),
            Duration::from_millis(delay_ms),
            &phrase,
        );
        std::thread::sleep(Duration::from_millis(300));
        run.send_line("");
        run.succeed(Duration::from_secs(20));
        common::next_second();
        if i == 1 {
            let h = history(&recordings);
            assert_eq!(h["trend"]["first_words"], serde_json::json!({"too_few": 1}));
        }
    }
    let h = history(&recordings);
    assert_eq!(h["id"], "why-netflix");
    assert_eq!(h["attempts"], 4);
    assert_eq!(h["history"].as_array().unwrap().len(), 4);
    let first = h["history"][2]["facts"]["first_words_s"].as_f64().unwrap();
    let last = h["history"][3]["facts"]["first_words_s"].as_f64().unwrap();
    eprintln!("first words after {first:.2} s, then {last:.2} s");
    assert!(first > last + 1.5, "{first} then {last}");
    assert_eq!(h["trend"]["first_words"], "better");
    assert_eq!(h["last"]["session"], h["history"][3]["session"]);
}

/// `history --json` over `recordings`: its one question.
fn history(recordings: &std::path::Path) -> Value {
    let out = common::bin()
        .args(["history", "--json", "--recordings"])
        .arg(recordings)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let all: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(all.len(), 1, "{all:#?}");
    all[0].clone()
}
