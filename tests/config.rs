//! The config file (no audio device needed): where each setting in force came from, a file's
//! settings reaching a session through the built-in test microphone, flags winning, malformed
//! files refused with file:line:column:field, and `config edit`'s starter.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use crate::common;

/// `voicemock` with `home` as the config folder (XDG_CONFIG_HOME), so its config file is
/// `home/voicemock/config.toml`.
fn bin_in(home: &Path) -> Command {
    let mut cmd = common::bin();
    cmd.env("XDG_CONFIG_HOME", home)
        .env_remove("VOICEMOCK_RECORDINGS")
        .env_remove("VISUAL")
        .env_remove("EDITOR")
        .stdin(Stdio::null());
    cmd
}

fn write_config(home: &Path, text: &str) -> PathBuf {
    let path = home.join("voicemock").join("config.toml");
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, text).unwrap();
    path
}

fn output(cmd: &mut Command) -> (bool, String, String) {
    let out = cmd.output().unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The `config` table's row for `key`: (value, from).
fn row(table: &str, key: &str) -> (String, String) {
    let line = table
        .lines()
        .find(|l| l.split_whitespace().next() == Some(key))
        .unwrap_or_else(|| panic!("no row {key}:\n{table}"));
    let cells: Vec<&str> = line.split_whitespace().collect();
    let from = cells[cells.len() - 1].to_string();
    (cells[1..cells.len() - 1].join(" "), from)
}

#[test]
fn config_shows_each_setting_and_where_it_came_from() {
    let home = common::temp_dir("config-show");
    let path = write_config(
        &home,
        "voice = \"en-GB\"\nthink = 7\nrecordings = \"/tmp/from-file\"\ncues = false\n\
         answer = 45\n",
    );
    let (ok, stdout, stderr) = output(
        bin_in(&home)
            .env("VOICEMOCK_RECORDINGS", "/tmp/from-env")
            .args(["config", "--answer", "30", "--cues"]),
    );
    assert!(ok, "{stderr}");
    assert!(stdout.contains(&path.display().to_string()), "{stdout}");
    assert_eq!(row(&stdout, "voice"), ("en-GB".into(), "file".into()));
    assert_eq!(row(&stdout, "think"), ("7 s".into(), "file".into()));
    assert_eq!(row(&stdout, "answer"), ("30 s".into(), "flag".into()));
    assert_eq!(row(&stdout, "cues"), ("on".into(), "flag".into()));
    assert_eq!(
        row(&stdout, "recordings"),
        ("/tmp/from-env".into(), "environment".into())
    );
    assert_eq!(row(&stdout, "overtime"), ("0 s".into(), "default".into()));
    assert_eq!(row(&stdout, "listen"), ("off".into(), "default".into()));

    // Without the environment the file's folder is used; a flag beats both.
    let (_, stdout, _) = output(bin_in(&home).arg("config"));
    assert_eq!(
        row(&stdout, "recordings"),
        ("/tmp/from-file".into(), "file".into())
    );
    assert_eq!(row(&stdout, "cues"), ("off".into(), "file".into()));
    let (_, stdout, _) = output(
        bin_in(&home)
            .env("VOICEMOCK_RECORDINGS", "/tmp/from-env")
            .args(["config", "--recordings", "/tmp/from-flag"]),
    );
    assert_eq!(
        row(&stdout, "recordings"),
        ("/tmp/from-flag".into(), "flag".into())
    );

    // VOICEMOCK_CONFIG names another file.
    let other = home.join("elsewhere.toml");
    std::fs::write(&other, "think = 3\n").unwrap();
    let (ok, stdout, _) = output(bin_in(&home).env("VOICEMOCK_CONFIG", &other).arg("config"));
    assert!(ok);
    assert_eq!(row(&stdout, "think"), ("3 s".into(), "file".into()));
    let (_, stdout, _) = output(
        bin_in(&home)
            .env("VOICEMOCK_CONFIG", &other)
            .args(["config", "path"]),
    );
    assert_eq!(stdout.trim(), other.display().to_string());
}

/// A `run` on the fast test microphone; the one session's log.
fn fast_run(home: &Path, extra: &[&str]) -> (bool, String) {
    let (ok, _, stderr) = output(
        bin_in(home)
            .args([
                "run",
                "--no-speak",
                "--no-transcribe",
                "--question",
                "why-netflix",
            ])
            .args(["--test-microphone", "fast"])
            .args(extra),
    );
    (ok, stderr)
}

#[test]
fn a_sessions_settings_come_from_the_file_and_a_flag_overrides_them() {
    let home = common::temp_dir("config-run");
    let recordings = home.join("from-file");
    write_config(
        &home,
        &format!(
            "think = 0\nanswer = 2\novertime = 0.5\ncues = false\nauto_finish = 1.5\n\
             recordings = {:?}\n",
            recordings.display().to_string()
        ),
    );
    let (ok, stderr) = fast_run(&home, &[]);
    assert!(ok, "{stderr}");
    let (_, log) = common::only_session(&recordings);
    let settings = &log["settings"];
    assert_eq!(settings["think_s"], 0.0);
    assert_eq!(settings["answer_s"], 2.0);
    assert_eq!(settings["overtime_s"], 0.5);
    assert_eq!(settings["auto_finish_s"], 1.5);
    assert_eq!(log["questions"][0]["limit_s"], 2.0);
    assert_eq!(log["questions"][0]["takes"][0]["limit_s"], 2.0);

    let flagged = home.join("from-flag");
    let flagged_arg = flagged.display().to_string();
    let (ok, stderr) = fast_run(
        &home,
        &[
            "--answer",
            "3",
            "--overtime",
            "0",
            "--recordings",
            &flagged_arg,
        ],
    );
    assert!(ok, "{stderr}");
    let (_, log) = common::only_session(&flagged);
    assert_eq!(log["settings"]["answer_s"], 3.0);
    assert_eq!(log["settings"]["overtime_s"], 0.0);
    assert_eq!(
        log["settings"]["think_s"], 0.0,
        "the file's think time stays"
    );
}

/// A session of `command` (`drill why-netflix`, `rehearse …`) on the fast test microphone,
/// with the file in `home`; whether it succeeded, and stderr.
fn fast_session(home: &Path, command: &[&str], extra: &[&str]) -> (bool, String) {
    let (ok, _, stderr) = output(
        bin_in(home)
            .args(command)
            .args(["--no-speak", "--no-transcribe", "--test-microphone", "fast"])
            .args(extra),
    );
    (ok, stderr)
}

#[test]
fn the_answer_setting_reaches_every_command_that_records() {
    let home = common::temp_dir("config-answer");
    let recordings = home.join("rec");
    let config = |extra: &str| {
        format!(
            "think = 0
answer = 2
cues = false
recordings = {:?}
{extra}",
            recordings.display().to_string()
        )
    };
    write_config(&home, &config(""));

    // A drill's rounds start from it: the answer, then ¾ and ½ of it.
    let (ok, stderr) = fast_session(&home, &["drill", "why-netflix"], &[]);
    assert!(ok, "{stderr}");
    let (dir, log) = common::only_session(&recordings);
    assert_eq!(
        log["settings"]["limits"],
        serde_json::json!([2.0, 1.5, 1.0])
    );
    let limits: Vec<f64> = log["questions"][0]["takes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["limit_s"].as_f64().unwrap())
        .collect();
    assert_eq!(limits, [2.0, 1.5, 1.0]);
    std::fs::remove_dir_all(&dir).unwrap();

    // A drill's --limits, round by round, beat it.
    let (ok, stderr) = fast_session(&home, &["drill", "why-netflix"], &["--limits", "3,2"]);
    assert!(ok, "{stderr}");
    let (dir, log) = common::only_session(&recordings);
    assert_eq!(log["settings"]["limits"], serde_json::json!([3.0, 2.0]));
    std::fs::remove_dir_all(&dir).unwrap();

    // A rehearsal holds every question (not a follow-up, which keeps its own) to it.
    let (ok, stderr) = fast_session(&home, &["rehearse", "--minutes", "1", "--seed", "1"], &[]);
    assert!(ok, "{stderr}");
    let (_, log) = common::only_session(&recordings);
    assert_eq!(log["settings"]["answer_s"], 2.0);
    let questions = log["questions"].as_array().unwrap();
    let asked: Vec<&serde_json::Value> = questions
        .iter()
        .filter(|q| q["follow_up_of"].is_null())
        .collect();
    assert!(asked.len() >= 2, "{questions:?}");
    for q in asked {
        assert_eq!(q["limit_s"], 2.0, "{}", q["id"]);
    }
}

#[test]
fn no_auto_finish_and_no_listen_turn_off_what_the_file_turns_on() {
    let home = common::temp_dir("config-off");
    let recordings = home.join("rec");
    write_config(
        &home,
        &format!(
            "think = 0
answer = 2
cues = false
auto_finish = 1.5
listen = 20
             recordings = {:?}
",
            recordings.display().to_string()
        ),
    );
    let (ok, stdout, stderr) = output(bin_in(&home).arg("config"));
    assert!(ok, "{stderr}");
    assert_eq!(row(&stdout, "auto_finish"), ("1.5 s".into(), "file".into()));
    assert_eq!(row(&stdout, "listen"), ("20 s".into(), "file".into()));
    let (ok, stdout, stderr) =
        output(bin_in(&home).args(["config", "--no-auto-finish", "--no-listen"]));
    assert!(ok, "{stderr}");
    assert_eq!(row(&stdout, "auto_finish"), ("off".into(), "flag".into()));
    assert_eq!(row(&stdout, "listen"), ("off".into(), "flag".into()));
    // The last of a pair on the command line wins, as --cues and --no-cues do.
    let (_, stdout, _) =
        output(bin_in(&home).args(["config", "--no-auto-finish", "--auto-finish", "4"]));
    assert_eq!(row(&stdout, "auto_finish"), ("4 s".into(), "flag".into()));

    // A session run with them neither ends answers by itself nor waits to listen back.
    let (ok, stderr) = fast_run(&home, &["--no-auto-finish", "--no-listen"]);
    assert!(ok, "{stderr}");
    let (_, log) = common::only_session(&recordings);
    assert!(
        log["settings"]["auto_finish_s"].is_null(),
        "{}",
        log["settings"]
    );
    assert_eq!(log["settings"]["listen"], false);
}

#[test]
fn a_malformed_config_is_refused_with_file_line_column_and_field() {
    let home = common::temp_dir("config-bad");
    for (text, at) in [
        (
            "think = 5\nthnik = 3\n",
            ":2:1: field `thnik`: unknown key; did you mean `think`?",
        ),
        (
            "voice = \"en\"\nanswer = \"long\"\n",
            ":2:10: field `answer`: expected a number",
        ),
        (
            "\nspeech_rate = 9\n",
            ":2:15: field `speech_rate`: must be between 0.5 and 2",
        ),
        ("cues = \"no\"\n", ":1:8: field `cues`: expected a boolean"),
        ("think = [\n", ":1:10: TOML syntax"),
    ] {
        let path = write_config(&home, text);
        let want = format!("{}{at}", path.display());
        for args in [&["config"][..], &["sessions"], &["run", "--no-speak"]] {
            let (ok, _, stderr) = output(bin_in(&home).args(args));
            assert!(!ok, "{args:?} with {text:?} succeeded");
            assert!(
                stderr.contains(&want),
                "{args:?} {text:?}\n got: {stderr}\nwant: {want}"
            );
        }
        // What a user needs to mend it still works.
        let (ok, stdout, stderr) = output(bin_in(&home).args(["config", "path"]));
        assert!(ok, "{stderr}");
        assert_eq!(stdout.trim(), path.display().to_string());
    }
}

#[test]
fn devices_and_model_in_the_file_are_checked_as_their_flags_are() {
    let home = common::temp_dir("config-devices");
    let recordings = home.join("rec");
    let recordings_arg = recordings.display().to_string();
    for (key, value, flag, extra) in [
        ("input", "no-such-microphone", "--input", &[][..]),
        (
            "output",
            "no-such-speaker",
            "--output",
            &["--test-microphone", "fast"][..],
        ),
        (
            "model",
            "no-such-model",
            "--model",
            &["--test-microphone", "fast"][..],
        ),
    ] {
        let base = [
            "run",
            "--no-speak",
            "--answer",
            "2",
            "--recordings",
            &recordings_arg,
        ];
        write_config(&home, "");
        let (ok, _, by_flag) = output(bin_in(&home).args(base).args(extra).args([flag, value]));
        assert!(!ok, "{flag} {value} was accepted");
        write_config(&home, &format!("{key} = \"{value}\"\n"));
        let (ok, _, by_file) = output(bin_in(&home).args(base).args(extra));
        assert!(!ok, "{key} = {value} was accepted");
        assert!(by_file.contains(value), "{by_file}");
        assert_eq!(by_file, by_flag, "{key}");
        assert!(!recordings.exists(), "a refused start leaves no folder");
    }
}

#[test]
fn config_edit_writes_a_private_starter_once_and_never_overwrites() {
    let home = common::temp_dir("config-edit");
    let path = home.join("voicemock").join("config.toml");
    let (ok, stdout, stderr) = output(bin_in(&home).env("EDITOR", "true").args(["config", "edit"]));
    assert!(ok, "{stderr}");
    assert!(stdout.contains("wrote a starter"), "{stdout}");
    let starter = std::fs::read_to_string(&path).unwrap();
    assert!(starter.contains("# think = "), "{starter}");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    // The starter sets nothing: every setting is still the default.
    let (_, table, _) = output(bin_in(&home).arg("config"));
    assert!(
        table.lines().skip(2).all(|l| l.ends_with("default")),
        "{table}"
    );

    std::fs::write(&path, "think = 4\n").unwrap();
    let (ok, stdout, stderr) = output(bin_in(&home).env("VISUAL", "true").args(["config", "edit"]));
    assert!(ok, "{stderr}");
    assert!(!stdout.contains("wrote a starter"), "{stdout}");
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "think = 4\n");

    // What the editor saved is checked at once.
    let (ok, _, stderr) = output(
        bin_in(&home)
            .env("EDITOR", "sh -c 'echo thnik = 1 >> \"$0\"'")
            .args(["config", "edit"]),
    );
    assert!(!ok);
    assert!(stderr.contains(":2:1: field `thnik`"), "{stderr}");
    // With no editor set, it says how to name one.
    let (ok, _, stderr) = output(bin_in(&home).args(["config", "edit"]));
    assert!(!ok);
    assert!(stderr.contains("$EDITOR"), "{stderr}");
}

#[test]
fn a_session_on_real_devices_takes_its_devices_voice_and_times_from_the_file_alone() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let home = common::temp_dir("config-e2e");
    let recordings = home.join("recordings");
    write_config(
        &home,
        &format!(
            "input = \"voicemock-mic\"\noutput = \"voicemock-speaker\"\nvoice = \"en-GB\"\n\
             think = 0\nanswer = 1\ncues = false\nrecordings = {:?}\n",
            recordings.display().to_string()
        ),
    );
    // PULSE_SERVER and the rest of the stack's environment pass through.
    let (ok, stdout, stderr) =
        output(bin_in(&home).args(["run", "--count", "1", "--no-transcribe"]));
    assert!(ok, "{stdout}\n{stderr}");
    assert!(
        stdout.contains("Voice: English (Great Britain) (en-GB)"),
        "{stdout}"
    );
    let (_, log) = common::only_session(&recordings);
    assert!(
        log["input_device"]
            .as_str()
            .is_some_and(|d| d.starts_with("voicemock-mic")),
        "{}",
        log["input_device"]
    );
    assert_eq!(log["settings"]["voice"], "en-GB");
    assert_eq!(log["settings"]["answer_s"], 1.0);
    assert_eq!(log["settings"]["think_s"], 0.0);
    assert_eq!(log["questions"][0]["takes"][0]["limit_s"], 1.0);
}
