//! The record's reader against real files: both formats, every way a folder can be wrong,
//! and a running session told from a crashed one.

use std::path::{Path, PathBuf};

use super::folder::SessionLock;
use super::reader::{list, load, read_log, resolve, RecordError, Standing};
use super::store::{self, save_log};
use super::*;

const FORMAT1: &str = include_str!("../../tests/fixtures/format1/session.json");
const FORMAT2: &str = include_str!("../../tests/fixtures/format2/session.json");

fn session_with(root: &Path, name: &str, log_text: &str) -> PathBuf {
    let dir = root.join(name);
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(LOG_FILE), log_text).unwrap();
    dir
}

/// The format-2 fixture with its id, start and status replaced.
fn log_text(id: &str, started_at: &str, status: &str) -> String {
    let mut v: serde_json::Value = serde_json::from_str(FORMAT2).unwrap();
    v["id"] = id.into();
    v["started_at"] = started_at.into();
    v["status"] = status.into();
    v.to_string()
}

#[test]
fn a_format_1_log_is_read_and_upgraded() {
    let root = tempfile::tempdir().unwrap();
    let dir = session_with(root.path(), "old", FORMAT1);
    let s = load(&dir).unwrap();
    assert_eq!(s.log.version, LOG_VERSION);
    assert_eq!(s.standing, Standing::Completed);
    assert_eq!(s.log.questions.len(), 2);
    let (q, t) = s.log.takes().next().unwrap();
    assert_eq!(q.id, "why-netflix");
    // Format 1 had no per-take limit: the question's stands in, and the take is placed on
    // the session clock from its wall-clock stamp.
    assert_eq!(t.limit_s, q.limit_s);
    assert!(
        t.started_at_s >= 0.0 && t.started_at_s < 1.0,
        "{}",
        t.started_at_s
    );
    assert_eq!(t.ended_by, Some(TakeEnd::Limit));
    assert_eq!(t.level, Level::Good);
    assert!(t.take_rms_dbfs < -1.0);
    // The speech-only level was called `rms_dbfs` in format 1's analysis.
    assert!(t.analysis.as_ref().unwrap().speech_rms_dbfs.is_some());
    assert_eq!(s.log.answered_of_asked(), (2, 2));
    // Saved again, it is a log of the current format (times to the millisecond) that reads
    // back stably.
    save_log(&dir, &s.log).unwrap();
    let back = read_log(&dir).unwrap();
    assert!(std::fs::read_to_string(dir.join(LOG_FILE))
        .unwrap()
        .contains(&format!("\"version\": {LOG_VERSION}")));
    assert_eq!(back.questions[1].takes[0].duration_s, 1.973);
    save_log(&dir, &back).unwrap();
    assert_eq!(read_log(&dir).unwrap(), back);
}

#[test]
fn a_format_2_log_reads_back_with_its_timeline_and_snapshot() {
    let root = tempfile::tempdir().unwrap();
    let dir = session_with(root.path(), "new", FORMAT2);
    let s = load(&dir).unwrap();
    assert_eq!(s.standing, Standing::Completed);
    let q = &s.log.questions[0];
    assert!(!q.notes.is_empty(), "the pack's notes are kept in the log");
    assert!(!s.log.checklist.is_empty());
    assert!(s.log.pack.sha256.as_deref().is_some_and(|h| h.len() == 64));
    assert_eq!(q.asked_at_s.len(), 1);
    let t = &q.takes[0];
    assert!(t.started_at_s >= q.asked_at_s[0]);
    assert!(t.ended_at_s.unwrap() > t.started_at_s);
    // A saved log reads back as it was.
    save_log(&dir, &s.log).unwrap();
    assert_eq!(read_log(&dir).unwrap(), s.log);
}

#[test]
fn a_format_2_log_keeps_the_text_of_questions_not_reached_until_written_as_format_3() {
    let root = tempfile::tempdir().unwrap();
    let mut v: serde_json::Value = serde_json::from_str(FORMAT2).unwrap();
    let mut later = v["questions"][1].clone();
    later["id"] = "later".into();
    later["text"] = "What would you do in your first month?".into();
    later["outcome"] = "not_reached".into();
    later["planned_s"] = 95.5.into();
    for empty in [
        "takes",
        "asked_at_s",
        "speech_ended_at_s",
        "think_started_at_s",
    ] {
        later[empty] = serde_json::json!([]);
    }
    v["questions"].as_array_mut().unwrap().push(later);
    let dir = session_with(root.path(), "s", &v.to_string());
    // Format 2 kept it in full: its text is shown.
    let log = load(&dir).unwrap().log;
    assert_eq!(log.version, LOG_VERSION);
    assert_eq!(
        log.questions[2].shown(),
        "What would you do in your first month?"
    );
    let md = crate::report::review_markdown(&log);
    assert!(
        md.contains("Not reached: 3. What would you do in your first month?."),
        "{md}"
    );
    // Written again it is format 3: the question by id, category and planned time only.
    save_log(&dir, &log).unwrap();
    let text = std::fs::read_to_string(dir.join(LOG_FILE)).unwrap();
    assert!(text.contains(&format!("\"version\": {LOG_VERSION}")));
    assert!(!text.contains("first month"), "{text}");
    let back = load(&dir).unwrap().log;
    let q = &back.questions[2];
    assert_eq!((q.shown(), q.outcome), ("later", Outcome::NotReached));
    assert_eq!((q.planned_s, q.limit_s), (Some(95.5), 0.0));
    assert_eq!(back.questions[..2], log.questions[..2]);
    assert_eq!((back.planned_len(), back.not_listed()), (3, 0));
    let md = crate::report::review_markdown(&back);
    assert!(md.contains("Not reached: 3. later."), "{md}");
    // And from then on a round trip changes nothing.
    save_log(&dir, &back).unwrap();
    assert_eq!(std::fs::read_to_string(dir.join(LOG_FILE)).unwrap(), text);
    assert_eq!(read_log(&dir).unwrap(), back);
}

#[test]
fn a_log_lists_the_plan_up_to_its_last_question_reached_and_counts_the_rest() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("s");
    std::fs::create_dir_all(&dir).unwrap();
    let mut log = planned_log(LISTED_AHEAD + 50, 1);
    // The fourth question reached, the three before it not (follow-ups never asked).
    log.questions[3].outcome = Outcome::Skipped;
    // A take in a question whose outcome was not set yet is written all the same.
    let take = TakeLog::started(1, "q03.wav".into(), "t".into(), 1.0, 60.0, None);
    log.questions[3].takes.push(take);
    log.questions[3].outcome = Outcome::NotReached;
    save_log(&dir, &log).unwrap();
    let back = read_log(&dir).unwrap();
    assert_eq!(back.questions[3].takes, log.questions[3].takes);
    assert_eq!(back.questions.len(), 4 + LISTED_AHEAD);
    assert_eq!(back.planned_len(), LISTED_AHEAD + 50);
    assert_eq!(back.not_listed(), 46);
    assert_eq!(back.questions[3].text, log.questions[3].text);
    assert!(back.questions[..3].iter().all(|q| q.text.is_empty()));
    let ids: Vec<&str> = back.questions.iter().map(|q| q.id.as_str()).collect();
    let want: Vec<String> = (0..4 + LISTED_AHEAD)
        .map(|i| format!("question-{i}"))
        .collect();
    assert_eq!(ids, want);
    // Read and written again, it is the same file.
    let text = std::fs::read(dir.join(LOG_FILE)).unwrap();
    save_log(&dir, &back).unwrap();
    assert_eq!(std::fs::read(dir.join(LOG_FILE)).unwrap(), text);
    // A count below what it lists is refused by name.
    let mut v: serde_json::Value = serde_json::from_slice(&text).unwrap();
    v["planned_questions"] = 3.into();
    std::fs::write(dir.join(LOG_FILE), v.to_string()).unwrap();
    let err = read_log(&dir).unwrap_err().to_string();
    assert!(err.contains("planned_questions: 3 is fewer than"), "{err}");
}

#[test]
fn times_are_rounded_to_the_millisecond_when_written() {
    let root = tempfile::tempdir().unwrap();
    let dir = session_with(root.path(), "s", FORMAT2);
    let mut log = read_log(&dir).unwrap();
    log.questions[0].takes[0].started_at_s = 1.234_567_89;
    log.questions[0].asked_at_s[0] = 0.000_4;
    save_log(&dir, &log).unwrap();
    let text = std::fs::read_to_string(dir.join(LOG_FILE)).unwrap();
    assert!(text.contains("\"started_at_s\": 1.235"), "{text}");
    assert!(!text.contains("1.2345"));
}

#[test]
fn every_broken_folder_has_its_own_error() {
    let root = tempfile::tempdir().unwrap();
    let none = root.path().join("none");
    std::fs::create_dir_all(&none).unwrap();
    assert!(matches!(load(&none), Err(RecordError::NoLog { .. })));

    let garbage = session_with(root.path(), "garbage", "{\"version\": 2, \"id\": ");
    let err = load(&garbage).unwrap_err();
    assert!(matches!(err, RecordError::Damaged { .. }), "{err}");
    assert!(err.to_string().contains("damaged"), "{err}");

    let newer = session_with(root.path(), "newer", "{\"version\": 9}");
    let err = load(&newer).unwrap_err();
    assert!(matches!(err, RecordError::Newer { found: 9, .. }), "{err}");
    assert!(err.to_string().contains("update voicemock"), "{err}");

    let binary = root.path().join("binary");
    std::fs::create_dir_all(&binary).unwrap();
    std::fs::write(binary.join(LOG_FILE), [0xff, 0xfe, 0x00, 0x81]).unwrap();
    assert!(matches!(load(&binary), Err(RecordError::Damaged { .. })));
}

#[cfg(unix)]
#[test]
fn a_log_that_is_a_fifo_or_a_device_is_never_waited_on() {
    let root = tempfile::tempdir().unwrap();
    let fifo = root.path().join("fifo");
    std::fs::create_dir_all(&fifo).unwrap();
    let path = std::ffi::CString::new(fifo.join(LOG_FILE).to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(path.as_ptr(), 0o600) }, 0);
    let err = load(&fifo).unwrap_err();
    assert!(err.to_string().contains("not a regular file"), "{err}");

    let zero = root.path().join("zero");
    std::fs::create_dir_all(&zero).unwrap();
    std::os::unix::fs::symlink("/dev/zero", zero.join(LOG_FILE)).unwrap();
    assert!(matches!(load(&zero), Err(RecordError::Damaged { .. })));
    // Both are listed, as damaged.
    assert_eq!(
        list(root.path())
            .iter()
            .filter(|e| e.result.is_err())
            .count(),
        2
    );
}

#[test]
fn a_log_left_in_progress_is_running_while_locked_and_crashed_after() {
    let root = tempfile::tempdir().unwrap();
    let dir = session_with(
        root.path(),
        "s",
        &log_text("s", "2026-11-26T10:00:00.000+00:00", "in_progress"),
    );
    assert_eq!(load(&dir).unwrap().standing, Standing::Crashed);
    let lock = SessionLock::acquire(&dir).unwrap();
    assert_eq!(load(&dir).unwrap().standing, Standing::Running);
    assert!(
        SessionLock::acquire(&dir).is_err(),
        "one session per folder at a time"
    );
    lock.release();
    assert_eq!(load(&dir).unwrap().standing, Standing::Crashed);
}

#[test]
fn a_crashed_take_gets_its_duration_from_its_wav() {
    let root = tempfile::tempdir().unwrap();
    let mut v: serde_json::Value = serde_json::from_str(&log_text(
        "s",
        "2026-11-26T10:00:00.000+00:00",
        "in_progress",
    ))
    .unwrap();
    let take = &mut v["questions"][0]["takes"][0];
    take["ended_by"] = serde_json::Value::Null;
    take["ended_at_s"] = serde_json::Value::Null;
    take["duration_s"] = 0.0.into();
    let file = take["file"].as_str().unwrap().to_string();
    let dir = session_with(root.path(), "s", &v.to_string());
    // 1.5 s of 8 kHz audio whose header was last flushed at 1 s, as a crash leaves it.
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: 8000,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let wav = dir.join(&file);
    let mut w = hound::WavWriter::create(&wav, spec).unwrap();
    for _ in 0..12_000 {
        w.write_sample(100i16).unwrap();
    }
    w.finalize().unwrap();
    let mut bytes = std::fs::read(&wav).unwrap();
    let data = 8000u32 * 2;
    bytes[4..8].copy_from_slice(&(36 + data).to_le_bytes());
    bytes[40..44].copy_from_slice(&data.to_le_bytes());
    std::fs::write(&wav, bytes).unwrap();
    let s = load(&dir).unwrap();
    assert_eq!(s.standing, Standing::Crashed);
    let t = &s.log.questions[0].takes[0];
    assert!((t.duration_s - 1.5).abs() < 0.01, "{}", t.duration_s);
}

#[test]
fn a_listing_is_newest_first_and_leaves_other_folders_out() {
    let root = tempfile::tempdir().unwrap();
    session_with(
        root.path(),
        "b",
        &log_text("b", "2026-11-26T10:00:00.000+00:00", "completed"),
    );
    session_with(
        root.path(),
        "a",
        &log_text("a", "2026-11-26T11:00:00.000+00:00", "quit"),
    );
    session_with(root.path(), "c", "not json");
    std::fs::create_dir_all(root.path().join("holiday-photos")).unwrap();
    std::fs::write(root.path().join("stray.wav"), b"x").unwrap();
    let entries = list(root.path());
    let names: Vec<String> = entries.iter().map(|e| e.name()).collect();
    assert_eq!(names.len(), 3, "{names:?}");
    assert!(!names.contains(&"holiday-photos".to_string()));
    let loaded: Vec<&str> = entries
        .iter()
        .filter_map(|e| e.result.as_ref().ok())
        .map(|s| s.log.id.as_str())
        .collect();
    assert_eq!(loaded, ["a", "b"]);
    assert!(list(&root.path().join("missing")).is_empty());
}

#[test]
fn a_session_is_found_by_latest_name_prefix_or_path() {
    let root = tempfile::tempdir().unwrap();
    let first = session_with(
        root.path(),
        "2026-11-20_090000-netflix-pm",
        &log_text(
            "2026-11-20_090000-netflix-pm",
            "2026-11-20T09:00:00.000+00:00",
            "completed",
        ),
    );
    session_with(
        root.path(),
        "2026-11-21_090000-netflix-pm",
        &log_text(
            "2026-11-21_090000-netflix-pm",
            "2026-11-21T09:00:00.000+00:00",
            "completed",
        ),
    );
    let latest = resolve(root.path(), None).unwrap();
    assert_eq!(latest.log.id, "2026-11-21_090000-netflix-pm");
    assert_eq!(
        resolve(root.path(), Some("latest")).unwrap().log.id,
        latest.log.id
    );
    assert_eq!(resolve(root.path(), Some("2026-11-20")).unwrap().dir, first);
    assert_eq!(
        resolve(root.path(), Some(first.to_str().unwrap()))
            .unwrap()
            .dir,
        first
    );
    let err = resolve(root.path(), Some("2026-11-2")).unwrap_err();
    assert!(matches!(err, RecordError::Ambiguous { .. }), "{err}");
    let err = resolve(root.path(), Some("2025")).unwrap_err();
    assert!(
        err.to_string().contains("2026-11-21_090000-netflix-pm"),
        "{err}"
    );
    let empty = root.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    assert!(matches!(
        resolve(&empty, None),
        Err(RecordError::Empty { .. })
    ));
}

/// The format-2 fixture with the checklist as logs before it was kept once had it: each
/// question's points as text.
fn log_with_text_checklists() -> String {
    let mut v: serde_json::Value = serde_json::from_str(FORMAT2).unwrap();
    let checklist = v["checklist"].as_array().unwrap().clone();
    v["questions"][0]["checklist"] = serde_json::json!([checklist[0], checklist[7]]);
    v["questions"][1]["checklist"] = serde_json::json!([checklist[0], "A point since removed"]);
    v.to_string()
}

#[test]
fn a_log_with_each_questions_checklist_as_text_is_upgraded_to_places() {
    let root = tempfile::tempdir().unwrap();
    let dir = session_with(root.path(), "s", &log_with_text_checklists());
    let log = read_log(&dir).unwrap();
    let before: serde_json::Value = serde_json::from_str(FORMAT2).unwrap();
    let n = before["checklist"].as_array().unwrap().len();
    assert_eq!(log.questions[0].checklist, Some(vec![0, 7]));
    // A point the session's checklist lacks is added to it, once.
    assert_eq!(log.questions[1].checklist, Some(vec![0, n]));
    assert_eq!(log.checklist.len(), n + 1);
    assert_eq!(
        log.checklist_for(&log.questions[1]),
        [
            before["checklist"][0].as_str().unwrap(),
            "A point since removed"
        ]
    );
    // Written again, the points are places, and it reads back as it was.
    save_log(&dir, &log).unwrap();
    let text = std::fs::read_to_string(dir.join(LOG_FILE)).unwrap();
    assert!(text.contains("\"checklist_points\""), "{text}");
    assert_eq!(read_log(&dir).unwrap(), log);
}

#[test]
fn a_checklist_place_outside_the_checklist_is_refused_by_name() {
    let root = tempfile::tempdir().unwrap();
    let mut v: serde_json::Value = serde_json::from_str(FORMAT2).unwrap();
    v["questions"][1]["checklist_points"] = serde_json::json!([0, 99]);
    let dir = session_with(root.path(), "s", &v.to_string());
    let err = load(&dir).unwrap_err().to_string();
    assert!(
        err.contains("question 2") && err.contains("checklist point 99"),
        "{err}"
    );
}

/// A log of `questions` planned questions, each fitting every one of `points` checklist points,
/// as a session of a large pack starts with.
fn planned_log(questions: usize, points: usize) -> SessionLog {
    let root = tempfile::tempdir().unwrap();
    let mut log = read_log(&session_with(root.path(), "planned", FORMAT2)).unwrap();
    log.checklist = (0..points)
        .map(|i| format!("Checklist point {i}: did I say what the question asked, plainly?"))
        .collect();
    let mut q = log.questions[0].clone();
    q.takes.clear();
    q.outcome = Outcome::NotReached;
    q.asked_at_s.clear();
    q.speech_ended_at_s.clear();
    q.think_started_at_s.clear();
    q.checklist = Some((0..points).collect());
    q.notes.clear();
    q.talking_points.clear();
    q.text = "Tell me about a time you changed a plan because of what the data showed.".into();
    log.questions = (0..questions)
        .map(|i| QuestionLog {
            id: format!("question-{i}"),
            ..q.clone()
        })
        .collect();
    log
}

#[test]
fn a_log_grows_with_its_questions_not_with_the_checklist_times_the_questions() {
    // The shape that gave a 122 MB log: 200 points, 600 questions.
    let mut log = planned_log(600, 200);
    // Reached (skipped), so each is written in full with its checklist places.
    for q in &mut log.questions {
        q.outcome = Outcome::Skipped;
    }
    let bytes = store::log_bytes(&log).unwrap().len();
    let checklist: usize = log.checklist.iter().map(String::len).sum();
    eprintln!("600 questions × 200 points: {bytes} bytes (checklist {checklist} bytes)");
    assert!(bytes < 4 << 20, "{bytes} bytes");
}

#[test]
fn the_writer_writes_a_log_at_the_readers_limit_and_refuses_one_byte_more() {
    let root = tempfile::tempdir().unwrap();
    let dir = root.path().join("s");
    std::fs::create_dir_all(&dir).unwrap();
    let mut log = read_log(&session_with(root.path(), "fixture", FORMAT2)).unwrap();
    let base = store::log_bytes(&log).unwrap().len() as u64;
    // Plain ASCII in the speech field adds exactly one byte per character.
    let pad = (MAX_LOG_BYTES - base) as usize;
    log.speech.push_str(&"x".repeat(pad));
    assert_eq!(store::log_bytes(&log).unwrap().len() as u64, MAX_LOG_BYTES);
    save_log(&dir, &log).unwrap();
    assert_eq!(read_log(&dir).unwrap(), log);
    log.speech.push('x');
    let err = save_log(&dir, &log).unwrap_err().to_string();
    assert!(err.contains("more than the"), "{err}");
    // The log on disk is the one at the limit, still readable.
    assert_eq!(read_log(&dir).unwrap().speech.len(), log.speech.len() - 1);
    // A file one byte over the limit is refused by the reader.
    let mut text = std::fs::read(dir.join(LOG_FILE)).unwrap();
    text.push(b'\n');
    std::fs::write(dir.join(LOG_FILE), &text).unwrap();
    let err = load(&dir).unwrap_err().to_string();
    assert!(err.contains("too large"), "{err}");
}

#[test]
fn the_log_of_a_hundred_thousand_question_plan_is_written_under_the_limit() {
    let root = tempfile::tempdir().unwrap();
    let log = planned_log(100_000, 2);
    let started = std::time::Instant::now();
    save_log(root.path(), &log).unwrap();
    let took = started.elapsed();
    let bytes = std::fs::metadata(root.path().join(LOG_FILE)).unwrap().len();
    eprintln!("100,000 planned questions, 2 points each: {bytes} bytes written in {took:?}");
    assert!(bytes <= MAX_LOG_BYTES, "{bytes}");
}

#[test]
fn only_plain_names_of_files_in_the_folder_pass_the_containment_check() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("s");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("take.wav"), b"x").unwrap();
    std::fs::write(scratch.path().join("outside.wav"), b"x").unwrap();
    std::os::unix::fs::symlink(dir.join("take.wav"), dir.join("inside-link.wav")).unwrap();
    std::os::unix::fs::symlink(scratch.path().join("outside.wav"), dir.join("out-link.wav"))
        .unwrap();
    std::os::unix::fs::symlink(scratch.path(), dir.join("dir-link")).unwrap();
    std::fs::create_dir(dir.join("folder.wav")).unwrap();
    for (name, refused) in [
        ("take.wav", None),
        ("not-yet.wav", None),
        ("inside-link.wav", None),
        ("", Some("is not a file name")),
        ("..", Some("is not a file in the session folder")),
        (".", Some("is not a file in the session folder")),
        ("../outside.wav", Some("is a path")),
        ("/etc/passwd", Some("is a path")),
        ("sub/take.wav", Some("is a path")),
        ("a\\b.wav", Some("is a path")),
        ("out-link.wav", Some("outside the session folder")),
        ("dir-link", Some("outside the session folder")),
        ("folder.wav", Some("is a folder, not a regular file")),
    ] {
        match (super::contained(&dir, name), refused) {
            (Ok(path), None) => assert_eq!(path, dir.join(name)),
            (Err(e), Some(why)) => assert!(e.reason.contains(why), "{name:?}: {e}"),
            (got, want) => panic!("{name:?}: {got:?}, wanted {want:?}"),
        }
    }
}

#[test]
fn a_sidecar_is_created_new_or_written_over_its_own_kind_only() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path();
    let ours = |b: &[u8]| b.starts_with(b"ours");
    store::write_sidecar(dir, "a.json", b"ours 1", ours).unwrap();
    store::write_sidecar(dir, "a.json", b"ours 2", ours).unwrap();
    assert_eq!(std::fs::read(dir.join("a.json")).unwrap(), b"ours 2");
    std::fs::write(dir.join("b.json"), b"the user's").unwrap();
    let e = store::write_sidecar(dir, "b.json", b"ours", ours).unwrap_err();
    assert!(
        e.to_string().contains("not a sidecar voicemock wrote"),
        "{e}"
    );
    assert_eq!(std::fs::read(dir.join("b.json")).unwrap(), b"the user's");
    std::os::unix::fs::symlink(dir.join("a.json"), dir.join("c.json")).unwrap();
    assert!(store::write_sidecar(dir, "c.json", b"ours", ours).is_err());
    assert!(std::fs::symlink_metadata(dir.join("c.json"))
        .unwrap()
        .file_type()
        .is_symlink());
    assert!(store::write_sidecar(dir, "../x.json", b"ours", ours).is_err());
    assert!(!dir.parent().unwrap().join("x.json").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.join("a.json"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with('.'))
        .collect();
    assert!(names.is_empty(), "temporary files left: {names:?}");
}

#[test]
fn a_number_the_log_cannot_hold_is_refused_on_reading_by_its_place() {
    let root = tempfile::tempdir().unwrap();
    for (value, refused) in [
        ("1e308", true),
        ("-1e308", true),
        ("1e13", true),
        ("1e400", true),
        ("999999999999.999", false),
        ("-0.0", false),
    ] {
        let text = FORMAT2.replacen(
            "\"duration_s\": 1.984",
            &format!("\"duration_s\": {value}"),
            1,
        );
        assert_ne!(text, FORMAT2);
        let dir = session_with(root.path(), &format!("v{value}"), &text);
        match (read_log(&dir), refused) {
            (Ok(_), false) => {}
            (Err(RecordError::Damaged { reason, .. }), true) => assert!(
                reason.contains("questions[0].takes[0].duration_s")
                    || reason.contains("out of range"),
                "{value}: {reason}"
            ),
            (got, _) => panic!("{value}: {got:?}"),
        }
    }
}

/// A random float as logs hold them: small, large up to the format's bound, negative, zero,
/// with any number of digits.
fn any_float(rng: &mut fastrand::Rng) -> f64 {
    match rng.u8(0..6) {
        0 => 0.0,
        1 => -0.0,
        2 => rng.f64() * 10.0,
        3 => (rng.f64() - 0.5) * 2.0 * format::MAX_MAGNITUDE,
        4 => f64::from(rng.i32(..)) / 1000.0,
        _ => rng.f64() * 10f64.powi(rng.i32(-12..12)),
    }
}

fn any_text(rng: &mut fastrand::Rng) -> String {
    const PIECES: &[&str] = &[
        "a",
        " ",
        "\"",
        "\\",
        "\n",
        "\t",
        "\u{1}",
        "é",
        "ß",
        "日本",
        "🎤",
        "\u{202e}",
        "</script>",
        "{",
        "}",
        "null",
        "1e308",
        "\u{fffd}",
    ];
    (0..rng.usize(0..12))
        .map(|_| PIECES[rng.usize(..PIECES.len())])
        .collect()
}

/// Replaces every float and every free-text string in a log with a random one, and repeats
/// takes and questions at random, keeping the log's shape.
fn scramble(value: &mut serde_json::Value, key: &str, rng: &mut fastrand::Rng) {
    use serde_json::Value;
    const FREE_TEXT: &[&str] = &[
        "id",
        "text",
        "category",
        "title",
        "name",
        "origin",
        "input_device",
        "speech",
        "file",
        "started_at",
        "ended_at",
        "notes",
        "checklist",
        "voice",
        "categories",
        "question_ids",
    ];
    match value {
        Value::Number(n) if n.is_f64() => *value = serde_json::json!(any_float(rng)),
        Value::String(_) if FREE_TEXT.contains(&key) => *value = Value::String(any_text(rng)),
        Value::Array(items) => {
            if (key == "takes" || key == "questions") && !items.is_empty() && rng.bool() {
                let extra = items[rng.usize(..items.len())].clone();
                items.push(extra);
            }
            for item in items.iter_mut() {
                scramble(item, key, rng);
            }
        }
        Value::Object(fields) => {
            for (k, v) in fields.iter_mut() {
                scramble(v, k, rng);
            }
        }
        _ => {}
    }
}

/// Reading then writing a log changes nothing: over generated logs, what voicemock writes of a
/// log it read is byte for byte what it read, and reads back the same.
#[test]
fn a_log_read_and_written_again_is_unchanged() {
    let root = tempfile::tempdir().unwrap();
    let seed = std::env::var("VOICEMOCK_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| fastrand::u64(..));
    let mut rng = fastrand::Rng::with_seed(seed);
    let base: serde_json::Value = serde_json::from_str(FORMAT2).unwrap();
    let dir = root.path().join("s");
    std::fs::create_dir_all(&dir).unwrap();
    for case in 0..300 {
        let mut value = base.clone();
        scramble(&mut value, "", &mut rng);
        std::fs::write(dir.join(LOG_FILE), serde_json::to_vec(&value).unwrap()).unwrap();
        let log = read_log(&dir)
            .unwrap_or_else(|e| panic!("seed {seed} case {case}: a generated log is refused: {e}"));
        save_log(&dir, &log).unwrap();
        let first = std::fs::read(dir.join(LOG_FILE)).unwrap();
        let again = read_log(&dir).unwrap_or_else(|e| {
            panic!("seed {seed} case {case}: voicemock cannot read what it wrote: {e}")
        });
        save_log(&dir, &again).unwrap();
        let second = std::fs::read(dir.join(LOG_FILE)).unwrap();
        assert_eq!(again, read_log(&dir).unwrap(), "seed {seed} case {case}");
        assert!(
            first == second,
            "seed {seed} case {case}: writing a log read back changed it:\n{}\n---\n{}",
            String::from_utf8_lossy(&first),
            String::from_utf8_lossy(&second)
        );
    }
}

/// The format-2 fixture started at `started_at`, its takes speaking for 30 s at `wpm`.
fn paced_log(id: &str, started_at: &str, wpm: f64) -> String {
    let mut v: serde_json::Value =
        serde_json::from_str(&log_text(id, started_at, "completed")).unwrap();
    for q in v["questions"].as_array_mut().unwrap() {
        for t in q["takes"].as_array_mut().unwrap() {
            t["analysis"]["speech_s"] = 30.0.into();
            t["analysis"]["est_wpm"] = wpm.into();
        }
    }
    v.to_string()
}

#[test]
fn an_older_log_is_remarked_against_the_sessions_before_it_only_and_reads_the_same_later() {
    let root = tempfile::tempdir().unwrap();
    // Three earlier sessions at 200 wpm (a take with speech each): enough for a usual pace.
    for day in 19..22 {
        let id = format!("e{day}");
        session_with(
            root.path(),
            &id,
            &paced_log(&id, &format!("2026-11-{day}T10:00:00.000+00:00"), 200.0),
        );
    }
    let a = session_with(
        root.path(),
        "a",
        &paced_log("a", "2026-11-22T10:00:00.000+00:00", 120.0),
    );
    let before = load(&a).unwrap();
    let facts = |s: &Session| -> Vec<TakeFacts> {
        s.log
            .takes()
            .map(|(_, t)| t.facts.clone().unwrap())
            .collect()
    };
    let remarks = &facts(&before)[0].remarks;
    assert!(
        remarks
            .iter()
            .any(|r| r.contains("slower than usual") && r.contains("usual 200")),
        "{remarks:?}"
    );
    let page = crate::report::pages::session_html(&before);
    // Five later sessions at 120 wpm would make 120 the usual pace, if they counted.
    for day in 23..28 {
        let id = format!("l{day}");
        session_with(
            root.path(),
            &id,
            &paced_log(&id, &format!("2026-11-{day}T10:00:00.000+00:00"), 120.0),
        );
    }
    let after = load(&a).unwrap();
    assert_eq!(facts(&after), facts(&before));
    assert_eq!(crate::report::pages::session_html(&after), page);
    // Listing the folder works each session out the same way as loading it alone.
    let listed = list(root.path())
        .into_iter()
        .find(|e| e.name() == "a")
        .unwrap()
        .result
        .unwrap();
    assert_eq!(facts(&listed), facts(&before));
    // A later session is judged against all those before it: the last of them against 200 ×3
    // and 120 ×5 → 120, so it gets no note.
    let last = load(&root.path().join("l27")).unwrap();
    assert!(
        facts(&last)
            .iter()
            .flat_map(|f| &f.remarks)
            .all(|r| !r.contains("usual")),
        "{:?}",
        facts(&last)
    );
}

#[test]
fn both_fixture_formats_are_upgraded_to_facts_by_the_one_function() {
    let root = tempfile::tempdir().unwrap();
    for (name, text) in [("f1", FORMAT1), ("f2", FORMAT2)] {
        let dir = session_with(root.path(), name, text);
        let s = load(&dir).unwrap();
        for (q, t) in s.log.takes() {
            let f = t.facts.as_ref().expect("facts on reading");
            assert_eq!(f, &TakeFacts::of(q, t, None), "{name} {}", t.file);
            let m = t.analysis.as_ref().unwrap();
            assert_eq!(
                f.length_s,
                format::round_ms(t.duration_s),
                "no pre-roll here"
            );
            assert_eq!(
                f.first_words_s,
                m.first_speech_s.map(|s| (s * 10.0).round() / 10.0)
            );
            if m.first_speech_s.is_some() {
                assert_eq!(f.pace.map(|p| p.from), Some(PaceSource::Sound));
            } else {
                assert_eq!((f.pace, f.verdict), (None, Verdict::NoSpeech));
            }
        }
        // Saved, the facts are kept in the log and read back as they were.
        save_log(&dir, &s.log).unwrap();
        let back = read_log(&dir).unwrap();
        assert!(back.takes().all(|(_, t)| t.facts.is_some()));
        let kept: Vec<_> = back.takes().map(|(_, t)| t.facts.clone()).collect();
        let made: Vec<_> = s.log.takes().map(|(_, t)| t.facts.clone()).collect();
        assert_eq!(kept, made);
    }
}

#[test]
fn the_log_keeps_the_analysis_measures_under_the_names_it_always_had() {
    // The log's own measure types are mapped from the analysis: the file reads and writes the
    // same JSON as when it stored `analysis::Measures` itself, so no format change was made.
    let mut m = crate::analysis::analyze(&[0.0; 1600], 16000, Default::default());
    m.first_speech_s = Some(0.5);
    m.pauses = vec![crate::analysis::Pause {
        start_s: 1.0,
        end_s: 1.5,
    }];
    m.voice = Some(crate::analysis::Voice {
        voiced_s: 2.0,
        pitch_median_hz: Some(120.0),
        pitch_sd_st: Some(2.0),
        pitch_range_st: Some(7.0),
        monotone: Some(false),
        loudness_sd_db: Some(3.0),
        phrases: 2,
        trailing_off: 1,
    });
    let analysis = serde_json::to_value(&m).unwrap();
    let ours = crate::record::TakeMeasures::from(&m);
    assert_eq!(serde_json::to_value(&ours).unwrap(), analysis);
    let back: crate::record::TakeMeasures = serde_json::from_value(analysis).unwrap();
    assert_eq!(back, ours);
}
