//! `voicemock run` on the virtual devices: questions spoken before each recording, answers
//! in their WAVs, limits enforced, Ctrl-C handled, bad packs refused.

use std::path::Path;
use std::time::{Duration, Instant};

use serde_json::Value;

use voicemock::ui::mmss;

use crate::common::{self, Running, SpeakerTap};

fn wav_duration(path: &Path) -> f64 {
    let r = hound::WavReader::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    r.duration() as f64 / f64::from(r.spec().sample_rate)
}

#[test]
fn two_spoken_questions_each_answer_in_its_own_wav() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("run-two");
    let recordings = dir.join("recordings");
    let answers = [
        common::speech_wav(
            &dir,
            "a1",
            "I want to work on products that millions of people enjoy every evening.",
            "en-us",
        ),
        // Two sentences with a breath between: longer than the useful minimum.
        common::join_with_gap(
            &dir,
            "a2",
            &common::speech_wav(
                &dir,
                "a2a",
                "My lead wanted to ship the redesign in March, before the tests were done.",
                "en-gb",
            ),
            &common::speech_wav(
                &dir,
                "a2b",
                "I showed him the data from the first markets and we agreed to wait a month.",
                "en-gb",
            ),
            0.4,
        ),
    ];
    let tap = SpeakerTap::start(&dir);
    let mut run = Running::spawn(
        common::bin()
            .args(["run", "--think", "0", "--answer", "12"])
            .args(["--question", "why-netflix", "--question", "disagreement"])
            .arg("--recordings")
            .arg(&recordings),
    );
    let mut asked_at = Vec::new();
    let mut recording_at = Vec::new();
    for answer in &answers {
        asked_at.push(run.wait_for("Question ", Duration::from_secs(30)));
        recording_at.push(run.feed_after(
            "Recording answer",
            Duration::from_secs(30),
            Duration::from_millis(300),
            answer,
        ));
        std::thread::sleep(Duration::from_millis(400));
        run.send_line("");
    }
    run.succeed(Duration::from_secs(30));
    let tap_started = tap.started;
    let (monitor, rate) = tap.stop_when_heard();

    // The speaker said each question before its recording began, and was quiet during it.
    for (i, (&asked, &rec)) in asked_at.iter().zip(&recording_at).enumerate() {
        let a = asked.duration_since(tap_started).as_secs_f64();
        let r = rec.duration_since(tap_started).as_secs_f64();
        let spoken = common::sound_seconds(&monitor, rate, a, r);
        assert!(
            spoken >= 1.0,
            "question {}: only {spoken:.2} s of speech before recording",
            i + 1
        );
        let during = common::sound_seconds(&monitor, rate, r + 0.2, r + 2.0);
        assert!(
            during <= 0.1,
            "question {}: {during:.2} s of speech while recording",
            i + 1
        );
    }

    let (session, log) = common::only_session(&recordings);
    assert_eq!(log["version"], 3);
    assert_eq!(log["status"], "completed");
    let questions = log["questions"].as_array().unwrap();
    assert_eq!(questions.len(), 2);
    for (i, (q, answer)) in questions.iter().zip(&answers).enumerate() {
        for field in [
            "id",
            "text",
            "category",
            "limit_s",
            "spoken",
            "think_used_s",
            "takes",
        ] {
            assert!(!q[field].is_null(), "question {} lacks {field}: {q}", i + 1);
        }
        assert_eq!(q["spoken"], true);
        let takes = q["takes"].as_array().unwrap();
        assert_eq!(takes.len(), 1);
        let take = &takes[0];
        for field in [
            "file",
            "started_at",
            "duration_s",
            "ended_by",
            "overtime_s",
            "sample_rate",
            "peak_dbfs",
            "take_rms_dbfs",
            "level",
            "limit_s",
            "started_at_s",
            "ended_at_s",
            "overruns",
        ] {
            assert!(
                !take[field].is_null(),
                "take of question {} lacks {field}: {take}",
                i + 1
            );
        }
        assert_eq!(take["ended_by"], "enter");
        assert_eq!(take["overruns"], 0);
        // The timeline: asked, then the reading ended, then the take, in session seconds.
        let asked = q["asked_at_s"][0].as_f64().unwrap();
        let read = q["speech_ended_at_s"][0].as_f64().unwrap();
        let started = take["started_at_s"].as_f64().unwrap();
        let ended = take["ended_at_s"].as_f64().unwrap();
        assert!(asked < read && read <= started && started < ended, "{q}");
        assert!(
            (ended - started - common::answer_s(take)).abs() < 0.3,
            "{take}"
        );
        assert!(!q["notes"].as_array().unwrap().is_empty(), "{q}");
        let ncc = common::match_score(answer, &session.join(take["file"].as_str().unwrap()));
        assert!(
            ncc >= 0.9,
            "answer {} matches what was said only at {ncc:.3}",
            i + 1
        );
        assert!(
            take["analysis"]["first_speech_s"].as_f64().is_some(),
            "{take}"
        );
    }
    assert_eq!(questions[0]["id"], "why-netflix");
    assert_eq!(questions[1]["id"], "disagreement");
    let review = std::fs::read_to_string(session.join("review.md")).unwrap();
    assert!(
        review.contains("Why do you want to work at Netflix?"),
        "{review}"
    );
    assert!(review.contains(questions[0]["takes"][0]["file"].as_str().unwrap()));
    // The review sheet opens with a summary of both answers: the first (one sentence) is
    // under its useful minimum, the second (two) is not.
    let summary = review.find("| # | question |").expect("a summary table");
    let first_section = review.find("## 1. ").expect("a section per question");
    assert!(summary < first_section, "{review}");
    let row = |id: &str| {
        review[summary..first_section]
            .lines()
            .find(|l| l.contains(&format!("| {id} | answered | 1 |")))
            .unwrap_or_else(|| panic!("no summary row for {id}:\n{review}"))
            .to_string()
    };
    let minimum = |q: &Value| {
        format!(
            "under the useful minimum ({})",
            mmss(q["min_s"].as_f64().unwrap())
        )
    };
    assert!(
        row("why-netflix").contains(&minimum(&questions[0])),
        "{review}"
    );
    assert!(
        !row("disagreement").contains("under the useful minimum"),
        "{review}"
    );
    // Under each answer, only the checklist points that fit its kind of question: a story's
    // shape for the behavioural one, Netflix for the motivation one, and the point about the
    // candidate's own questions under neither.
    let second_section = review.find("## 2. ").unwrap();
    let (motivation, behavioural) = (
        &review[first_section..second_section],
        &review[second_section..],
    );
    let star = "situation, task, action, result";
    let netflix = "connect the answer to Netflix";
    assert!(
        motivation.contains(netflix) && !motivation.contains(star),
        "{motivation}"
    );
    assert!(
        behavioural.contains(star) && !behavioural.contains(netflix),
        "{behavioural}"
    );
    for section in [motivation, behavioural] {
        assert!(
            section.contains("- [ ] Did I answer the question that was asked"),
            "{section}"
        );
        assert!(
            !section.contains("showed real interest in the role"),
            "{section}"
        );
    }
}

#[test]
fn an_answer_stops_at_its_limit_and_enter_stops_it_at_once() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("run-limit");

    // Left alone, the answer stops at the 3 s limit.
    let recordings = dir.join("limit");
    let mut run = Running::spawn(&mut common::silent_run(&recordings, 3, &["--count", "1"]));
    run.wait_for("Recording answer", Duration::from_secs(20));
    run.succeed(Duration::from_secs(20));
    let (session, log) = common::only_session(&recordings);
    let take = &log["questions"][0]["takes"][0];
    assert_eq!(take["ended_by"], "limit");
    // The file also keeps the start cue's time, before the take's clock.
    let pre_roll = take["pre_roll_s"].as_f64().unwrap();
    let d = wav_duration(&session.join(take["file"].as_str().unwrap())) - pre_roll;
    eprintln!("limit 3 s, WAV {d:.3} s after {pre_roll:.3} s of cue");
    assert!((d - 3.0).abs() <= 0.15, "limit 3 s, WAV {d:.3} s");

    // An empty line ends it within a quarter of a second.
    let recordings = dir.join("enter");
    let mut run = Running::spawn(&mut common::silent_run(&recordings, 30, &["--count", "1"]));
    let started = run.wait_for("Recording answer", Duration::from_secs(20));
    std::thread::sleep(Duration::from_millis(1500));
    let pressed = run.send_line("");
    run.succeed(Duration::from_secs(20));
    let (session, log) = common::only_session(&recordings);
    let take = &log["questions"][0]["takes"][0];
    assert_eq!(take["ended_by"], "enter");
    let d = wav_duration(&session.join(take["file"].as_str().unwrap()))
        - take["pre_roll_s"].as_f64().unwrap();
    let expected = pressed.duration_since(started).as_secs_f64();
    eprintln!("Enter after {expected:.3} s, WAV {d:.3} s");
    assert!(
        (d - expected).abs() <= 0.25,
        "Enter after {expected:.3} s, WAV {d:.3} s"
    );
}

#[test]
fn ctrl_c_or_sigterm_during_an_answer_keeps_it() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("run-signal");
    let phrase = common::speech_wav(
        &dir,
        "phrase",
        "Let me tell you about the launch in Brazil.",
        "en-us",
    );
    for (name, signal, code) in [("INT", libc::SIGINT, 130), ("TERM", libc::SIGTERM, 143)] {
        let recordings = dir.join(name);
        let mut run = Running::spawn(&mut common::silent_run(&recordings, 30, &["--count", "2"]));
        run.feed_after(
            "Recording answer",
            Duration::from_secs(20),
            Duration::from_millis(300),
            &phrase,
        );
        std::thread::sleep(Duration::from_millis(300));
        let signalled = Instant::now();
        common::send_signal(run.child.id(), signal);
        let (exit, stdout, stderr) = run.finish(Duration::from_secs(10));
        assert!(
            signalled.elapsed() < Duration::from_secs(5),
            "slow to stop after SIG{name}"
        );
        assert_eq!(
            exit,
            Some(code),
            "SIG{name}\nstdout:\n{stdout}\nstderr:\n{stderr}"
        );
        let (session, log) = common::only_session(&recordings);
        assert_eq!(log["status"], "interrupted");
        let take = &log["questions"][0]["takes"][0];
        assert_eq!(take["ended_by"], "interrupt");
        assert_eq!(log["questions"][1]["outcome"], "not_reached");
        let ncc = common::match_score(&phrase, &session.join(take["file"].as_str().unwrap()));
        assert!(
            ncc >= 0.9,
            "SIG{name}: the interrupted answer holds the phrase only at {ncc:.3}"
        );
    }
}

/// Runs `voicemock run ARGS` in a fresh folder, expecting it to be refused before anything is
/// recorded: returns its stderr after checking that no session folder was made.
fn refused_run(name: &str, args: &[&std::ffi::OsStr]) -> String {
    let dir = common::temp_dir(name);
    let recordings = dir.join("recordings");
    let out = common::bin()
        .arg("run")
        .args(args)
        .arg("--recordings")
        .arg(&recordings)
        .output()
        .unwrap();
    assert!(!out.status.success(), "{args:?} was not refused");
    assert!(
        !recordings.exists(),
        "{args:?}: a recordings folder was made"
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_missing_microphone_lists_the_inputs_and_makes_no_session() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let stderr = refused_run(
        "run-nomic",
        &[
            "--no-speak".as_ref(),
            "--input".as_ref(),
            "usb-headset".as_ref(),
        ],
    );
    assert!(stderr.contains("\"usb-headset\""), "{stderr}");
    assert!(
        stderr.contains("default") && stderr.contains("pulse"),
        "{stderr}"
    );
}

#[test]
fn a_malformed_pack_names_line_and_field_and_makes_no_session() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("run-badpack-pack");
    let pack = dir.join("broken.toml");
    std::fs::write(
        &pack,
        "format = 1\ntitle = \"Broken\"\n\n[defaults]\nthink_s = 10\nanswer_s = 90\n\n\
         [[questions]]\nid = \"q1\"\ncategory = \"x\"\ntext = \"Hello?\"\nanswer_s = -5\n",
    )
    .unwrap();
    let stderr = refused_run(
        "run-badpack",
        &["--no-speak".as_ref(), "--pack".as_ref(), pack.as_os_str()],
    );
    assert!(
        stderr.contains("broken.toml:12:"),
        "no file:line in: {stderr}"
    );
    assert!(stderr.contains("answer_s"), "no field in: {stderr}");
}

#[test]
fn voices_are_listed_and_an_unknown_voice_is_refused() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let out = common::bin().arg("voices").output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("English"), "{stdout}");
    let stderr = refused_run("run-voice", &["--voice".as_ref(), "no-such-voice".as_ref()]);
    assert!(
        stderr.contains("no voice matches \"no-such-voice\""),
        "{stderr}"
    );
    assert!(stderr.contains("English"), "{stderr}");

    // A voice by the language code `voices` prints; the voice chosen is shown.
    assert!(stdout.contains("en-GB"), "{stdout}");
    let dir = common::temp_dir("run-voice-code");
    let out = common::bin()
        .args(["run", "--voice", "en-GB", "--think", "0", "--answer", "1"])
        .args(["--count", "1", "--no-cues", "--recordings"])
        .arg(dir.join("recordings"))
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains("Voice: English (Great Britain) (en-GB)"),
        "{stdout}"
    );
}

#[test]
fn on_an_80_column_terminal_every_line_fits_and_no_word_is_broken() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("run-80-columns");
    let recordings = dir.join("recordings");
    let question = "Tell me about a time you led a cross-functional team to ship something. How \
                    did you keep engineering, design and data working towards the same goal?";
    let limit = Duration::from_secs(40);
    let (status, shown, stderr) = common::on_terminal(
        common::silent_run(&recordings, 2, &["--count", "1"])
            .args(["--question", "lead-cross-functional"]),
        80,
        limit,
    );
    assert!(status.success(), "{status:?}: {stderr}");
    assert!(shown.lines().count() > 5, "{shown}");
    // Long lines (the question, the keys) were wrapped at spaces: every word of them is
    // there whole.
    common::assert_fits(
        &shown,
        80,
        &[
            question,
            "Enter: done, s: next question, r: start again, q: quit",
        ],
    );

    // Every listing of what was recorded fits too, and so does a drill's table of rounds.
    let (status, shown, stderr) = common::on_terminal(
        common::bin()
            .args(["drill", "lead-cross-functional", "--limits", "2,1"])
            .args(["--no-speak", "--think", "0", "--recordings"])
            .arg(&recordings),
        80,
        limit,
    );
    assert!(status.success(), "{status:?}: {stderr}");
    assert!(shown.contains("The rounds of"), "{shown}");
    common::assert_fits(
        &shown,
        80,
        &[question, "stopped at the limit", "2 takes of"],
    );
    let mut listings: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (vec!["replay", "--no-speak"], vec![question, "Replaying"]),
        (vec!["sessions"], vec!["session", "answered", "speaking"]),
        (
            vec!["history"],
            vec![
                "lead-cross-functional",
                "tries",
                "fillers",
                "earlier attempts",
            ],
        ),
        (
            vec!["compare", "lead-cross-functional"],
            vec![question, "longest", "stopped at the limit"],
        ),
    ];
    let (status, shown, stderr) =
        common::on_terminal(common::bin().arg("analyze").arg(&recordings), 80, limit);
    assert!(status.success(), "analyze: {status:?}: {stderr}");
    common::assert_fits(
        &shown,
        80,
        &["q01-lead-cross-functional-take1.wav", "longest", "clipped"],
    );
    for (args, texts) in listings.iter_mut() {
        let (status, shown, stderr) = common::on_terminal(
            common::bin()
                .args(args.iter())
                .arg("--recordings")
                .arg(&recordings),
            80,
            limit,
        );
        assert!(status.success(), "{args:?}: {status:?}: {stderr}");
        common::assert_fits(&shown, 80, texts);
    }
}

// A newcomer's mistakes and interruptions (issue 19).

#[test]
fn an_unknown_speaker_is_refused_like_an_unknown_microphone() {
    let Some(_stack) = common::stack() else {
        return;
    };
    // With cues (the speaker is needed) and without (only the name is wrong): both refused
    // before a folder is made, with the speakers that exist.
    for extra in [&[][..], &["--no-cues"][..]] {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            "--no-speak".as_ref(),
            "--output".as_ref(),
            "no-such-speaker".as_ref(),
        ];
        args.extend(extra.iter().map(std::ffi::OsStr::new));
        let stderr = refused_run("run-nospeaker", &args);
        assert!(
            stderr.contains("no output device matches \"no-such-speaker\""),
            "{extra:?}: {stderr}"
        );
        assert!(
            stderr.contains("default") && stderr.contains("pulse"),
            "{extra:?}: the speakers that exist are listed: {stderr}"
        );
        assert!(stderr.contains("--output NAME"), "{stderr}");
    }
}

/// Interrupts a session during its first answer, with `XDG_DATA_HOME` holding `models`
/// installed models; returns the error line and the session folder.
fn interrupted(
    name: &str,
    models: &[&str],
    extra: &[&str],
) -> (String, std::path::PathBuf, common::TempDir) {
    let dir = common::temp_dir(name);
    let data = dir.join("data");
    let store = data.join("voicemock").join("models");
    std::fs::create_dir_all(&store).unwrap();
    for m in models {
        // Only found, never loaded: a placeholder file stands for an installed model.
        std::fs::write(store.join(format!("ggml-{m}.bin")), b"model").unwrap();
    }
    let recordings = dir.join("recordings");
    let mut cmd = common::silent_run(&recordings, 30, &["--count", "1"]);
    cmd.args(extra).env("XDG_DATA_HOME", &data);
    let mut run = Running::spawn(&mut cmd);
    run.wait_for("Recording answer", Duration::from_secs(20));
    std::thread::sleep(Duration::from_millis(500));
    common::send_signal(run.child.id(), libc::SIGINT);
    let (exit, stdout, stderr) = run.finish(Duration::from_secs(20));
    assert_eq!(exit, Some(130), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let (session, _) = common::only_session(&recordings);
    (stderr, session, dir)
}

#[test]
fn an_interrupted_session_says_how_to_transcribe_it_later() {
    let Some(_stack) = common::stack() else {
        return;
    };
    // Transcription off, but a model is installed: the answers can be transcribed later.
    let (stderr, session, _dir) = interrupted("run-int-model", &["tiny.en"], &["--no-transcribe"]);
    assert!(stderr.contains("session interrupted"), "{stderr}");
    assert!(
        stderr.contains(&format!("voicemock transcribe {}", session.display())),
        "{stderr}"
    );

    // No model and transcription off: nothing to suggest.
    let (stderr, _, _dir) = interrupted("run-int-nomodel", &[], &["--no-transcribe"]);
    assert!(stderr.contains("session interrupted"), "{stderr}");
    assert!(!stderr.contains("voicemock transcribe"), "{stderr}");
}

#[test]
fn run_next_2_asks_the_two_questions_next_lists_in_that_order() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("run-next");
    let recordings = dir.join("recordings");
    // A history: one earlier session whose answer to why-this-role (the pack's second
    // question) ran over its limit. The take is recorded on the test microphone; its stored
    // verdict is made "over" (`next` reads the stored facts, never measures again).
    let out = common::bin()
        .args([
            "run",
            "--no-speak",
            "--no-transcribe",
            "--test-microphone",
            "fast",
        ])
        .args([
            "--think",
            "0",
            "--answer",
            "2",
            "--question",
            "why-this-role",
        ])
        .arg("--recordings")
        .arg(&recordings)
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (earlier, mut log) = common::only_session(&recordings);
    let facts = &mut log["questions"][0]["takes"][0]["facts"];
    facts["verdict"] = "over".into();
    facts["over_s"] = 1.5.into();
    std::fs::write(earlier.join("session.json"), log.to_string()).unwrap();

    let out = common::bin()
        .args(["next", "2", "--json", "--recordings"])
        .arg(&recordings)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    let listed: Vec<&str> = listed
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap())
        .collect();
    // Over its limit first, then the first question never answered.
    assert_eq!(listed, ["why-this-role", "why-netflix"]);

    let mut run = Running::spawn(&mut common::silent_run(
        &recordings,
        1,
        &["--next", "2", "--no-transcribe"],
    ));
    for _ in 0..2 {
        run.wait_for("Recording answer", Duration::from_secs(30));
    }
    let (stdout, _) = run.succeed(Duration::from_secs(60));
    assert!(stdout.contains("Practising next:"), "{stdout}");
    let sessions: Vec<std::path::PathBuf> = std::fs::read_dir(&recordings)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.join("session.json").exists() && *p != earlier)
        .collect();
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    let log = common::session_log(&sessions[0]);
    let asked: Vec<&str> = log["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        asked, listed,
        "the session asked exactly what `next` listed"
    );
    for q in log["questions"].as_array().unwrap() {
        assert_eq!(q["takes"].as_array().map(Vec::len), Some(1), "{}", q["id"]);
    }
}
