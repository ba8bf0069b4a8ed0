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
fn packs_lists_the_built_in_packs() {
    let (ok, stdout, stderr) = run(&["packs"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("netflix-pm"), "{stdout}");
    assert!(stdout.contains("Netflix Product Manager"), "{stdout}");
    for name in ["behavioural", "pm-product-sense"] {
        assert!(stdout.contains(name), "{name} missing:\n{stdout}");
    }
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
        // A negative number gets the range, not "unexpected argument".
        (
            vec!["run", "--answer", "-5"],
            "--answer must be 1 to 3600 seconds",
        ),
        (vec!["run", "--overtime", "-1"], "--overtime must be 0 to"),
        (vec!["run", "--count", "-1"], "--count must be 1 or more"),
        (vec!["run", "--count", "0"], "--count must be 1 or more"),
        (vec!["run", "--auto-finish", "-2"], "--auto-finish must be"),
        (
            vec!["drill", "why-netflix", "--limits", "60,-5"],
            "--limits must be",
        ),
        // A drill compresses: shortest last.
        (
            vec!["drill", "why-netflix", "--limits", "30,60"],
            "--limits must shrink round by round",
        ),
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
    let (ok, _, stderr) = run(&["check", "--seconds", "-3"]);
    assert!(!ok && stderr.contains("--seconds must be"), "{stderr}");

    // --recordings naming a file says so.
    let file = dir.join("a-file");
    std::fs::write(&file, "x").unwrap();
    let (ok, _, stderr) = run(&["run", "--no-speak", "--recordings", file.to_str().unwrap()]);
    assert!(
        !ok && stderr.contains("is a file, not a folder"),
        "{stderr}"
    );
    // A mistyped command gets the right one suggested.
    let (ok, _, stderr) = run(&["chek"]);
    assert!(!ok && stderr.contains("'check'"), "{stderr}");
    // `check --out` into a missing folder fails before any device or "speak now", and
    // onto an existing file it never overwrites.
    let missing = dir.join("no-such-folder").join("check.wav");
    let (ok, stdout, stderr) = run(&["check", "--out", missing.to_str().unwrap()]);
    assert!(
        !ok && stderr.contains("does not exist; create it or choose another --out"),
        "{stderr}"
    );
    assert!(
        !stdout.contains("Microphone") && !stdout.contains("speak"),
        "{stdout}"
    );
    let (ok, stdout, stderr) = run(&["check", "--out", file.to_str().unwrap()]);
    assert!(!ok && stderr.contains("never overwrites"), "{stderr}");
    assert!(!stdout.contains("Microphone"), "{stdout}");
    assert_eq!(std::fs::read(&file).unwrap(), b"x");
}

#[test]
fn analyze_reports_a_missing_file_by_name() {
    let (ok, _, stderr) = run(&["analyze", "/nonexistent/answer.wav"]);
    assert!(!ok);
    assert!(stderr.contains("/nonexistent/answer.wav"), "{stderr}");
}

/// Runs voicemock with stdout going to `stdout`; returns (exit code, stderr).
fn run_to(args: &[&str], stdout: std::process::Stdio) -> (Option<i32>, String) {
    let out = common::bin()
        .args(args)
        .stdin(std::process::Stdio::null())
        .stdout(stdout)
        .stderr(std::process::Stdio::piped())
        .output()
        .unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn no_panic(what: &str, code: Option<i32>, stderr: &str) {
    assert_ne!(code, Some(101), "{what} panicked: {stderr}");
    assert!(!stderr.contains("panicked"), "{what}: {stderr}");
}

#[test]
fn listings_end_quietly_on_a_full_or_closed_output() {
    let dir = common::temp_dir("cli-closed-output");
    let wav = dir.join("tone.wav");
    let tone = (0..8000).map(|i| ((i as f32 * 0.1).sin() * 8000.0) as i16);
    common::write_wav(&wav, 8000, tone);
    let wav = wav.to_str().unwrap();
    let listings: [&[&str]; 6] = [
        &["packs"],
        &["questions"],
        &["devices"],
        &["voices"],
        &["analyze", wav],
        &["analyze", wav, "--json"],
    ];
    for args in listings {
        // `>/dev/full`: the output cannot be written; that is an error, not a panic.
        let full = std::fs::OpenOptions::new()
            .write(true)
            .open("/dev/full")
            .unwrap();
        let (code, stderr) = run_to(args, full.into());
        no_panic(&format!("{args:?} >/dev/full"), code, &stderr);
        if code == Some(0) {
            panic!("{args:?} >/dev/full claimed success: {stderr}");
        }
        // A reader that went away before anything was written, and one that read a line
        // (`| head -1`): an end without a word.
        let mut child = common::bin()
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take());
        let out = child.wait_with_output().unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        no_panic(&format!("{args:?} | (closed)"), out.status.code(), &stderr);
        assert!(
            !stderr.contains("standard output"),
            "{args:?}: a closed pipe is not an error: {stderr}"
        );
        let mut child = common::bin()
            .args(args)
            .stdin(std::process::Stdio::null())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let mut first = String::new();
        let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
        let _ = std::io::BufRead::read_line(&mut reader, &mut first);
        drop(reader);
        let out = child.wait_with_output().unwrap();
        no_panic(
            &format!("{args:?} | head -1"),
            out.status.code(),
            &String::from_utf8_lossy(&out.stderr),
        );
    }
}

#[test]
fn packs_that_are_not_regular_files_or_too_big_are_refused_at_once() {
    let dir = common::temp_dir("cli-odd-packs");
    let fifo = dir.join("fifo.toml");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: mkfifo on a path in this test's own folder.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let huge = dir.join("huge.toml");
    std::fs::File::create(&huge)
        .unwrap()
        .set_len(64 * 1024 * 1024)
        .unwrap();
    let link = dir.join("zero.toml");
    std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
    for (pack, words) in [
        ("/dev/zero", "not a regular file"),
        (fifo.to_str().unwrap(), "not a regular file"),
        (link.to_str().unwrap(), "not a regular file"),
        (huge.to_str().unwrap(), "at most"),
    ] {
        let started = std::time::Instant::now();
        let (ok, _, stderr) = run(&["questions", "--pack", pack]);
        assert!(!ok, "{pack} accepted");
        assert!(stderr.contains(words), "{pack}: {stderr}");
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{pack} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn terminal_escapes_never_reach_the_terminal_raw() {
    let dir = common::temp_dir("cli-escapes");
    let pack = dir.join("evil.toml");
    // Clear screen, set the window title, and an OSC 52 clipboard write.
    std::fs::write(
        &pack,
        "format = 1\ntitle = \"Evil\\u001b[2J\\u001b]0;owned\\u0007\"\n[[questions]]\nid = \"a\"\n\
         category = \"c\"\ntext = \"Why?\\u001b]52;c;cm0gLXJmIH4=\\u0007\"\n",
    )
    .unwrap();
    let pack = pack.to_str().unwrap();
    let recordings = dir.join("rec");
    let recordings = recordings.to_str().unwrap();
    let raw = |s: &str| {
        s.chars()
            .any(|c| c == '\u{1b}' || c == '\u{7}' || c == '\u{9b}')
    };
    let cases: [&[&str]; 5] = [
        &["questions", "--pack", pack],
        &[
            "run",
            "--pack",
            pack,
            "--no-speak",
            "--recordings",
            recordings,
        ],
        &[
            "run",
            "--question",
            "\u{1b}[2J\u{1b}]0;x\u{7}",
            "--no-speak",
        ],
        &["questions", "--pack", "\u{1b}]52;c;eA==\u{7}"],
        &["analyze", "/nonexistent/\u{1b}[2J\u{9b}31m.wav"],
    ];
    for args in cases {
        let (_, stdout, stderr) = run(args);
        assert!(!raw(&stdout), "{args:?} stdout: {stdout:?}");
        assert!(!raw(&stderr), "{args:?} stderr: {stderr:?}");
        assert!(
            stderr.contains("error"),
            "{args:?} was refused with a message: {stderr:?}"
        );
    }
    assert!(
        !dir.join("rec").exists(),
        "a refused pack leaves no session folder"
    );
}

#[test]
fn play_refuses_what_it_cannot_play_before_opening_a_device() {
    let dir = common::temp_dir("cli-play");
    let notes = dir.join("notes.wav");
    std::fs::write(&notes, "not audio").unwrap();
    let short = dir.join("short.wav");
    common::write_wav(&short, 16_000, [0; 16_000]);
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

#[test]
fn analyze_of_a_session_reports_a_take_whose_recording_is_missing() {
    let dir = common::temp_dir("cli-analyze-missing");
    let session = dir.join("2026-11-26_161748-netflix-pm");
    std::fs::create_dir_all(&session).unwrap();
    std::fs::copy(
        "tests/fixtures/format2/session.json",
        session.join("session.json"),
    )
    .unwrap();
    // The first take is there (a second of silence), the second is not.
    common::write_wav(
        &session.join("q01-why-netflix-take1.wav"),
        16_000,
        [0; 16_000],
    );
    let (ok, stdout, stderr) = run(&["analyze", session.to_str().unwrap(), "--json"]);
    assert!(!ok, "a missing take must not pass silently: {stdout}");
    let entries: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(entries.as_array().unwrap().len(), 2, "{stdout}");
    assert!(entries[0]["analysis"].is_object());
    assert!(
        entries[1]["error"]
            .as_str()
            .unwrap()
            .contains("q02-stay-current-take1.wav"),
        "{stdout}"
    );
    assert!(stderr.contains("1 of 2 takes"), "{stderr}");
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

/// A recordings folder of three: the format-2 fixture, a session of a long question from a
/// pack with a long name (its question's text `text`), and a damaged one.
fn recordings_of_three(dir: &std::path::Path, text: &str) -> std::path::PathBuf {
    let recordings = dir.join("recordings");
    let fixture = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/format2/session.json"
    );
    let first = recordings.join("2026-11-26_161748-netflix-pm");
    std::fs::create_dir_all(&first).unwrap();
    std::fs::copy(fixture, first.join("session.json")).unwrap();

    let mut log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(fixture).unwrap()).unwrap();
    let id = "2026-11-27_093000-a-pack-with-a-rather-long-name";
    log["id"] = id.into();
    log["started_at"] = "2026-11-27T09:30:00.000+00:00".into();
    log["pack"]["name"] = "a-pack-with-a-rather-long-name".into();
    let q = &mut log["questions"][0];
    q["id"] = "lead-cross-functional".into();
    q["category"] = "behavioural".into();
    q["text"] = text.into();
    q["takes"][0]["file"] = "q01-lead-cross-functional-take1.wav".into();
    q["takes"][0]["started_at"] = "2026-11-27T09:30:01.000+00:00".into();
    let second = recordings.join(id);
    std::fs::create_dir_all(&second).unwrap();
    std::fs::write(second.join("session.json"), log.to_string()).unwrap();

    let damaged = recordings.join("2026-11-28_120000-netflix-pm");
    std::fs::create_dir_all(&damaged).unwrap();
    std::fs::write(damaged.join("session.json"), "{\"version\": 2, \"id\": ").unwrap();
    recordings
}

#[test]
fn every_listing_fits_an_80_column_terminal_without_breaking_a_word() {
    let dir = common::temp_dir("cli-80-columns");
    let question = "Tell me about a time you led a cross-functional team to ship something. How \
                    did you keep engineering, design and data working towards the same goal?";
    let recordings = recordings_of_three(&dir, question);
    let netflix = voicemock::pack::load(None).unwrap();
    let mut questions_words: Vec<String> = netflix
        .questions
        .iter()
        .flat_map(|q| [q.id.clone(), q.category.clone(), q.text.clone()])
        .collect();
    questions_words.push(netflix.description.clone());
    let listings: Vec<(Vec<&str>, Vec<&str>)> = vec![
        (
            vec!["questions"],
            questions_words.iter().map(String::as_str).collect(),
        ),
        (vec!["packs"], vec!["netflix-pm", "Netflix Product Manager"]),
        (
            vec!["sessions"],
            vec![
                "2026-11-27_093000-a-pack-with-a-rather-long-name",
                "a-pack-with-a-rather-long-name",
                "2026-11-28_120000-netflix-pm",
                "damaged",
                "1 of 2",
                "2026-11-27 09:30",
            ],
        ),
        (
            vec!["history"],
            vec![
                "lead-cross-functional",
                "stay-current",
                "why-netflix",
                "tries last best over first wpm pause fillers",
                "earlier attempts at that question",
            ],
        ),
        (
            vec!["compare", "lead-cross-functional"],
            vec![question, "stopped at the limit", "longest"],
        ),
    ];
    for (args, texts) in &listings {
        let mut cmd = common::bin();
        cmd.args(args);
        if args[0] != "questions" && args[0] != "packs" {
            cmd.arg("--recordings").arg(&recordings);
        }
        let (status, shown, stderr) =
            common::on_terminal(&mut cmd, 80, std::time::Duration::from_secs(20));
        assert!(status.success(), "{args:?}: {status:?}: {stderr}");
        assert!(shown.lines().count() > 2, "{args:?}: {shown}");
        common::assert_fits(&shown, 80, texts);
        // And at 100 columns, where rows that fit stay on one line.
        let (_, wide, _) = common::on_terminal(&mut cmd, 100, std::time::Duration::from_secs(20));
        common::assert_fits(&wide, 100, texts);
    }
}

#[test]
fn text_direction_characters_are_refused_in_a_pack_and_shown_escaped_from_a_log() {
    let dir = common::temp_dir("cli-trojan");
    // In a pack: refused where it stands, with the field.
    let pack = dir.join("trojan.toml");
    std::fs::write(
        &pack,
        "format = 1\ntitle = \"T\"\n[[questions]]\nid = \"a\"\ncategory = \"c\"\n\
         text = \"Why\u{202e}?gnp.exe\"\n",
    )
    .unwrap();
    let (ok, stdout, stderr) = run(&["questions", "--pack", pack.to_str().unwrap()]);
    assert!(!ok, "{stdout}");
    assert!(
        stderr.contains("trojan.toml:6:12: field `questions[0].text`: contains U+202E"),
        "{stderr}"
    );
    assert!(!stderr.contains('\u{202e}'), "{stderr:?}");

    // In a path.
    let (ok, stdout, stderr) = run(&["analyze", "/nonexistent/take\u{202e}vaw.exe"]);
    assert!(!ok, "{stdout}");
    assert!(stderr.contains("take\\u{202e}vaw.exe"), "{stderr}");
    assert!(!stderr.contains('\u{202e}'), "{stderr:?}");

    // In a session log, read back by every listing: escaped in tables, JSON-escaped in JSON.
    let recordings = recordings_of_three(&dir, "Tell me\u{202e} about\u{2066} it\u{200b}.");
    let session = recordings.join("2026-11-27_093000-a-pack-with-a-rather-long-name");
    let log = std::fs::read_to_string(session.join("session.json")).unwrap();
    let mut log: serde_json::Value = serde_json::from_str(&log).unwrap();
    log["pack"]["name"] = "evil\u{202e}kcap".into();
    log["questions"][0]["category"] = "beha\u{2067}vioural".into();
    log["questions"][1]["id"] = "stay\u{202e}current".into();
    std::fs::write(session.join("session.json"), log.to_string()).unwrap();
    let recordings = recordings.to_str().unwrap();
    for args in [
        vec!["sessions"],
        vec!["history"],
        vec!["compare", "lead-cross-functional"],
    ] {
        for json in [false, true] {
            let mut args = args.clone();
            args.extend(["--recordings", recordings]);
            if json {
                args.push("--json");
            }
            let (ok, stdout, stderr) = run(&args);
            assert!(ok, "{args:?}: {stderr}");
            for out in [&stdout, &stderr] {
                assert!(
                    !out.chars().any(voicemock::text::is_hidden),
                    "{args:?} printed a raw text-direction character: {out:?}"
                );
            }
            if json {
                let parsed: serde_json::Value = serde_json::from_str(&stdout)
                    .unwrap_or_else(|e| panic!("{args:?} is not JSON ({e}): {stdout}"));
                // (compare's JSON holds no text of the question.)
                assert!(
                    args[0] == "compare" || parsed.to_string().contains('\u{202e}'),
                    "the JSON keeps the text itself: {stdout}"
                );
            } else {
                assert!(stdout.contains("\\u{202e}"), "{args:?}: {stdout}");
            }
        }
    }
}

#[test]
fn a_folder_without_sessions_is_named_in_full_with_how_to_name_another() {
    let dir = common::temp_dir("cli-folder-named");
    let empty = dir.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let file = dir.join("a-file");
    std::fs::write(&file, "").unwrap();
    let recordings = recordings_of_three(&dir.join("elsewhere"), "Why?");
    let hint = "--recordings DIR (or set VOICEMOCK_RECORDINGS)";
    // Run from the test's folder, so that a relative folder has an absolute path to be named by.
    let in_dir = |args: &[&str], env: Option<&std::path::Path>| {
        let mut cmd = common::bin();
        cmd.current_dir(&*dir)
            .args(args)
            .env_remove("VOICEMOCK_RECORDINGS");
        if let Some(env) = env {
            cmd.env("VOICEMOCK_RECORDINGS", env);
        }
        let out = cmd.output().unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let abs = |p: &std::path::Path| p.display().to_string();
    let cases: Vec<(Vec<&str>, String)> = vec![
        (
            vec!["sessions"],
            format!(
                "No sessions: {} does not exist",
                abs(&dir.join("recordings"))
            ),
        ),
        (
            vec!["sessions", "--recordings", "empty"],
            format!("No sessions in {} yet", abs(&empty)),
        ),
        (
            vec!["history", "--recordings", "empty"],
            format!("no recorded answers in {} yet", abs(&empty)),
        ),
        (
            vec!["compare", "why-netflix", "--recordings", "a-file"],
            format!("no recorded takes: {} is not a folder", abs(&file)),
        ),
        (
            vec!["replay", "--recordings", "nowhere"],
            format!("no sessions: {} does not exist", abs(&dir.join("nowhere"))),
        ),
        (
            vec!["report", "--recordings", "empty"],
            format!("no sessions in {} yet", abs(&empty)),
        ),
        (
            vec!["report", "--progress", "--recordings", "empty"],
            format!("no sessions in {} yet", abs(&empty)),
        ),
    ];
    for (args, said) in &cases {
        let (ok, stdout, stderr) = in_dir(args, None);
        let message = if args[0] == "sessions" {
            assert!(ok, "{args:?}: {stderr}");
            stdout
        } else {
            assert!(!ok, "{args:?}: {stdout}");
            stderr
        };
        let message = message.replace('\n', " ");
        assert!(message.contains(said.as_str()), "{args:?}: {message}");
        assert!(message.contains(hint), "{args:?}: {message}");
    }

    // VOICEMOCK_RECORDINGS sets the default folder; --recordings still wins.
    let (ok, stdout, stderr) = in_dir(&["sessions", "--json"], Some(&recordings));
    assert!(ok, "{stderr}");
    let rows: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(rows.as_array().unwrap().len(), 3, "{stdout}");
    let (ok, stdout, _) = in_dir(&["sessions", "--recordings", "empty"], Some(&recordings));
    assert!(
        ok && stdout.contains(&format!("No sessions in {} yet", abs(&empty))),
        "{stdout}"
    );
    let (ok, stdout, stderr) = in_dir(&["history", "--json"], Some(&recordings));
    assert!(
        ok && stdout.contains("lead-cross-functional"),
        "{stdout}{stderr}"
    );
    // An empty variable is no folder at all: the default stands.
    let (ok, stdout, _) = in_dir(&["sessions"], Some(std::path::Path::new("")));
    assert!(
        ok && stdout.contains(&abs(&dir.join("recordings"))),
        "{stdout}"
    );
    // The help says where the default comes from.
    let (_, help, _) = in_dir(&["sessions", "--help"], None);
    assert!(help.contains("VOICEMOCK_RECORDINGS"), "{help}");
    let (_, help, _) = in_dir(&["run", "--help"], Some(&recordings));
    assert!(
        help.contains(&format!("[default: {}]", abs(&recordings))),
        "{help}"
    );
}

#[test]
fn packs_new_writes_a_starter_that_packs_check_and_questions_accept() {
    let dir = common::temp_dir("cli-packs-new");
    let run_in = |args: &[&str]| {
        let out = common::bin()
            .args(args)
            .current_dir(&*dir)
            .output()
            .unwrap();
        (
            out.status.success(),
            String::from_utf8_lossy(&out.stdout).into_owned(),
            String::from_utf8_lossy(&out.stderr).into_owned(),
        )
    };
    let (ok, stdout, stderr) = run_in(&["packs", "new", "acme"]);
    assert!(ok, "{stderr}");
    assert!(stdout.contains("content/acme.toml"), "{stdout}");
    assert!(
        stdout.contains("voicemock rehearse --pack acme`"),
        "{stdout}"
    );
    let pack = dir.join("content/acme.toml");
    let written = std::fs::read_to_string(&pack).unwrap();
    assert!(
        written.starts_with("#:schema ./pack.schema.json"),
        "{written}"
    );
    assert!(dir.join("content/pack.schema.json").is_file());

    // Found by name from the content folder, and checked: what a session would ask.
    let (ok, stdout, stderr) = run_in(&["packs", "check", "content/acme.toml"]);
    assert!(ok, "{stderr}");
    assert!(
        stdout.contains("content/acme.toml is a valid pack"),
        "{stdout}"
    );
    for shown in [
        "why-this-company",
        "motivation",
        "conflict-f1",
        "follow-up",
        "your-questions",
        "1:30",
    ] {
        assert!(stdout.contains(shown), "{shown} missing:\n{stdout}");
    }
    let (ok, stdout, _) = run_in(&["questions", "--pack", "acme"]);
    assert!(ok && stdout.contains("why-this-company"), "{stdout}");

    // Never overwritten.
    std::fs::write(&pack, written.replace("answer_s = 90", "answer_s = 95")).unwrap();
    let (ok, _, stderr) = run_in(&["packs", "new", "acme"]);
    assert!(!ok);
    assert!(stderr.contains("already exists"), "{stderr}");
    assert!(std::fs::read_to_string(&pack)
        .unwrap()
        .contains("answer_s = 95"));
}

#[test]
fn packs_check_names_the_line_column_and_field_of_a_mistake() {
    let dir = common::temp_dir("cli-packs-check");
    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "format = 1\ntitle = \"Bad\"\n[[questions]]\nid = \"one\"\ncategory = \"c\"\ntext = \"Q?\"\nanswer_s = 0\n",
    )
    .unwrap();
    let (ok, stdout, stderr) = run(&["packs", "check", bad.to_str().unwrap()]);
    assert!(!ok, "{stdout}");
    assert!(
        stderr.contains(&format!(
            "{}:7:12: field `questions[0].answer_s`",
            bad.display()
        )),
        "{stderr}"
    );
    // The shipped packs all pass.
    for name in ["netflix-pm", "behavioural", "pm-product-sense"] {
        let (ok, stdout, stderr) = run(&["packs", "check", name]);
        assert!(ok, "{name}: {stderr}");
        assert!(stdout.contains("is a valid pack"), "{stdout}");
        assert!(
            stdout.contains(
                "`rehearse` opens with a motivation question and ends on `your-questions`"
            ),
            "{stdout}"
        );
    }
}

#[test]
fn analyze_gives_the_pitch_of_a_low_and_a_high_voice_and_its_track() {
    let dir = common::temp_dir("analyze-pitch");
    let text = "I led a team of five engineers to rebuild our payment system in six weeks";
    // (espeak-ng voice, median F0 range in Hz: about 100 and 214 by Praat)
    for (voice, lo, hi) in [("en-us", 85.0, 120.0), ("en-us+f3", 185.0, 245.0)] {
        let name = voice.replace('+', "-");
        let wav = common::speech_wav(&dir, &name, text, voice);
        let wav = wav.to_str().unwrap();
        let (ok, stdout, stderr) = run(&["analyze", "--json", "--pitch-track", wav]);
        assert!(ok, "{stderr}");
        let v: serde_json::Value = serde_json::from_str(&stdout).unwrap();
        let median = v["analysis"]["voice"]["pitch_median_hz"].as_f64().unwrap();
        assert!((lo..hi).contains(&median), "{voice}: {median} Hz");
        assert!(v["analysis"]["voice"]["pitch_sd_st"].as_f64().unwrap() > 0.0);
        // The track: one value per 10 ms, voiced frames around the same median.
        let step = v["pitch_track"]["step_s"].as_f64().unwrap();
        let hz: Vec<f64> = v["pitch_track"]["hz"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h.as_f64().unwrap())
            .collect();
        let duration = v["analysis"]["duration_s"].as_f64().unwrap();
        assert!(
            (hz.len() as f64 * step - duration).abs() < 0.02,
            "{}",
            hz.len()
        );
        let mut voiced: Vec<f64> = hz.into_iter().filter(|&h| h > 0.0).collect();
        assert!(
            voiced.len() > 100,
            "{voice}: {} voiced frames",
            voiced.len()
        );
        voiced.sort_by(f64::total_cmp);
        let track_median = voiced[voiced.len() / 2];
        assert!(
            (track_median / median - 1.0).abs() < 0.02,
            "{track_median} vs {median}"
        );
        // The table shows the same figure.
        let (ok, table, _) = run(&["analyze", wav]);
        assert!(ok);
        assert!(
            table.contains(&format!("pitch              {median:.0} Hz")),
            "{table}"
        );
    }
    let (ok, _, stderr) = run(&["analyze", "--pitch-track", "x.wav"]);
    assert!(!ok && stderr.contains("--json"), "{stderr}");
}

#[test]
fn a_misspelt_category_or_question_gets_the_close_match() {
    let cases: &[(&[&str], &str)] = &[
        (
            &["run", "--no-speak", "--category", "behavioral"],
            "no category `behavioral` in pack netflix-pm (did you mean `behavioural`?)",
        ),
        (
            &["rehearse", "--no-speak", "--category", "behavioral"],
            "(did you mean `behavioural`?)",
        ),
        (
            &["run", "--no-speak", "--question", "why-netflx"],
            "no question `why-netflx` in pack netflix-pm (did you mean `why-netflix`?)",
        ),
        (
            &["drill", "--no-speak", "prioritization-call"],
            "(did you mean `prioritisation-call`?)",
        ),
    ];
    let dir = common::temp_dir("cli-did-you-mean");
    for (args, expected) in cases {
        let out = common::bin()
            .args(*args)
            .arg("--recordings")
            .arg(dir.join("recordings"))
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!out.status.success(), "{args:?}");
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
        // The whole list still follows.
        assert!(stderr.contains("its"), "{args:?}: {stderr}");
    }
    let out = common::bin()
        .args([
            "run",
            "--no-speak",
            "--category",
            "leadership",
            "--recordings",
        ])
        .arg(dir.join("recordings"))
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        !stderr.contains("did you mean"),
        "no close match, no guess: {stderr}"
    );
    assert!(!dir.join("recordings").exists(), "nothing was recorded");
}
