//! `voicemock sessions` over a recordings folder holding every kind of session folder, and
//! sessions that end before anything is recorded leaving nothing behind.

use std::path::Path;
use std::time::Duration;

use serde_json::Value;

use crate::common::{self, Running};

fn sessions_json(recordings: &Path) -> Vec<Value> {
    let out = common::bin()
        .args(["sessions", "--json", "--recordings"])
        .arg(recordings)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "sessions failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}

fn by_status<'a>(rows: &'a [Value], status: &str) -> Vec<&'a Value> {
    rows.iter().filter(|r| r["status"] == status).collect()
}

#[test]
fn sessions_lists_good_old_damaged_and_crashed_sessions_and_ignores_the_rest() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("sessions-kinds");
    let recordings = dir.join("recordings");

    // A good format-2 session, recorded now.
    let out = common::silent_run(&recordings, 1, &["--count", "1"])
        .stdin(std::process::Stdio::null())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    // A format-1 session, as the first voicemock wrote it.
    let old = recordings.join("2026-11-01_090000-netflix-pm");
    std::fs::create_dir_all(&old).unwrap();
    std::fs::copy(
        "tests/fixtures/format1/session.json",
        old.join("session.json"),
    )
    .unwrap();

    // A damaged log, and a folder that is no session at all.
    let damaged = recordings.join("2026-11-02_090000-netflix-pm");
    std::fs::create_dir_all(&damaged).unwrap();
    std::fs::write(
        damaged.join("session.json"),
        "{\"version\": 2, \"questions\": [",
    )
    .unwrap();
    std::fs::create_dir_all(recordings.join("holiday photos")).unwrap();
    std::fs::write(recordings.join("holiday photos/beach.wav"), b"RIFF").unwrap();

    // A session killed mid-answer: running while its process lives, crashed after.
    let mut run = Running::spawn(&mut common::silent_run(&recordings, 30, &["--count", "2"]));
    run.wait_for("Recording answer", Duration::from_secs(20));
    // Long enough to leave a take worth keeping behind.
    std::thread::sleep(Duration::from_millis(1500));
    let rows = sessions_json(&recordings);
    assert_eq!(by_status(&rows, "running").len(), 1, "{rows:#?}");
    common::send_signal(run.child.id(), libc::SIGKILL);
    let _ = run.finish(Duration::from_secs(10));

    let rows = sessions_json(&recordings);
    assert_eq!(rows.len(), 4, "the unrelated folder is left out: {rows:#?}");
    assert_eq!(by_status(&rows, "completed").len(), 2, "{rows:#?}");
    let damaged_rows = by_status(&rows, "damaged");
    assert_eq!(damaged_rows.len(), 1, "{rows:#?}");
    assert!(damaged_rows[0]["error"]
        .as_str()
        .unwrap()
        .contains("damaged"));
    let crashed = by_status(&rows, "crashed");
    assert_eq!(crashed.len(), 1, "{rows:#?}");
    assert_eq!(crashed[0]["answered"], 0);
    assert_eq!(crashed[0]["asked"], 1);
    // Newest first: the crashed session, then the good one; the format-1 one is older. (A
    // damaged log has no start time; it is placed by its folder's age.)
    let readable: Vec<&Value> = rows.iter().filter(|r| r["status"] != "damaged").collect();
    assert_eq!(readable[0]["status"], "crashed");
    assert_eq!(readable[1]["status"], "completed");
    assert_eq!(readable[1]["pack"], "netflix-pm");
    // Its one take was silent (nothing was fed): asked, and not counted as answered.
    assert_eq!(readable[1]["answered"], 0);
    assert_eq!(readable[1]["asked"], 1);
    assert!(rows
        .iter()
        .any(|r| r["id"] == "2026-11-26_161353-netflix-pm" && r["status"] == "completed"));

    // The killed take is read back with the length its WAV holds.
    let crashed_dir = Path::new(crashed[0]["dir"].as_str().unwrap());
    let out = common::bin()
        .args(["analyze", "--json"])
        .arg(crashed_dir)
        .output()
        .unwrap();
    let takes: Value = serde_json::from_slice(&out.stdout).unwrap();
    let length = takes[0]["analysis"]["duration_s"].as_f64().unwrap();
    assert!((0.9..3.5).contains(&length), "killed take holds {length} s");

    // The table says the same in words.
    let out = common::bin()
        .args(["sessions", "--recordings"])
        .arg(&recordings)
        .output()
        .unwrap();
    let table = String::from_utf8_lossy(&out.stdout);
    // (Both sessions' takes were silent: 0 of the 1 question asked counts as answered.)
    for word in ["crashed", "damaged", "completed", "0 of 1"] {
        assert!(table.contains(word), "{word:?} missing from:\n{table}");
    }
}

#[test]
fn a_session_quit_before_any_answer_leaves_no_folder() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("sessions-empty");
    let recordings = dir.join("recordings");
    let mut cmd = common::bin();
    cmd.args([
        "run",
        "--no-speak",
        "--think",
        "30",
        "--count",
        "2",
        "--recordings",
    ])
    .arg(&recordings);
    let mut run = Running::spawn(&mut cmd);
    run.wait_for("Think time", Duration::from_secs(20));
    run.send_line("q");
    let (stdout, _) = run.succeed(Duration::from_secs(20));
    assert!(stdout.contains("no session folder was kept"), "{stdout}");
    let left: Vec<_> = std::fs::read_dir(&recordings)
        .map(|d| d.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "left behind: {left:?}");
}
