//! `voicemock transcribe` and `voicemock models`: word error rates with the real tiny.en test
//! model (LibriVox clips, and speech fed into the virtual microphone), and downloads from a
//! loopback HTTP server (never the internet).

use std::ffi::OsStr;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::common::{self, Running};

const LIBRIVOX: &str = "/usr/share/pocketsphinx/test/data/librivox";

#[test]
fn word_error_rate_counts_edits_after_normalising() {
    let cases = [
        (
            "he was not an ill disposed young man",
            "He was not an ill-disposed young man.",
            0,
        ),
        ("and mister john dashwood", "And Mr. John Dashwood", 0),
        ("a more a amiable woman", "a more amiable woman,", 1), // one deletion
        ("the cat sat", "the dog sat down", 2),                 // a substitution and an insertion
        ("one two three", "", 3),
    ];
    for (reference, hypothesis, errors) in cases {
        assert_eq!(
            common::word_errors(reference, hypothesis).0,
            errors,
            "{reference:?} vs {hypothesis:?}"
        );
    }
}

/// A `voicemock` command whose models folder is `data`'s, never the user's.
fn with_data(data: &Path) -> std::process::Command {
    let mut cmd = common::bin();
    cmd.env("XDG_DATA_HOME", data);
    cmd
}

fn transcribe_json(model: &Path, wav: &Path) -> serde_json::Value {
    let out = common::bin()
        .args(["transcribe", "--json", "--model"])
        .arg(model)
        .arg(wav)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "transcribe {}: {}",
        wav.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The reference transcripts beside the clips: `<s> words </s> (file id)` per line.
fn librivox_references() -> Vec<(PathBuf, String)> {
    let text = std::fs::read_to_string(Path::new(LIBRIVOX).join("transcription"))
        .expect("pocketsphinx-testdata is installed (scripts/install-deps test)");
    text.lines()
        .filter_map(|line| {
            let (words, id) = line.rsplit_once(" (")?;
            let id = id.trim_end_matches(')');
            let words = words.replace("<s>", "").replace("</s>", "");
            Some((
                Path::new(LIBRIVOX).join(format!("{id}.wav")),
                words.trim().to_string(),
            ))
        })
        .collect()
}

#[test]
fn librivox_clips_are_transcribed_within_the_word_error_rate() {
    let Some(model) = common::test_model() else {
        return;
    };
    let clips = librivox_references();
    assert_eq!(
        clips.len(),
        5,
        "the labelled clips of pocketsphinx-testdata"
    );
    let (mut errors, mut words) = (0, 0);
    let mut report = String::new();
    for (wav, reference) in &clips {
        let json = transcribe_json(&model, wav);
        let text = json["text"].as_str().unwrap();
        let (e, n) = common::word_errors(reference, text);
        errors += e;
        words += n;
        report.push_str(&format!("{e}/{n}  {text}\n"));
        // Word times lie inside the clip, in order.
        let times: Vec<(f64, f64)> = json["words"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| (w["start_s"].as_f64().unwrap(), w["end_s"].as_f64().unwrap()))
            .collect();
        let duration = json["duration_s"].as_f64().unwrap();
        assert!(!times.is_empty());
        for pair in times.windows(2) {
            assert!(pair[0].0 <= pair[1].0, "word times out of order: {times:?}");
        }
        assert!(times
            .iter()
            .all(|(s, e)| 0.0 <= *s && s <= e && *e <= duration + 1e-9));
    }
    let wer = errors as f64 / words as f64;
    eprintln!(
        "LibriVox word error rate {:.1} % ({errors}/{words})\n{report}",
        wer * 100.0
    );
    assert!(
        wer <= 0.12,
        "word error rate {:.1} %:\n{report}",
        wer * 100.0
    );
}

#[test]
fn a_phrase_spoken_into_the_microphone_comes_back_in_the_transcript() {
    let Some(model) = common::test_model() else {
        return;
    };
    let Some(_stack) = common::stack() else {
        return;
    };
    const SAID: &str = "When the data showed that people stopped watching, I talked to users \
                        and we changed the plan.";
    let dir = common::temp_dir("transcribe-mic");
    let phrase = common::speech_wav(&dir, "phrase", SAID, "en-us");
    let out = dir.join("check.wav");
    let mut run = Running::spawn(
        common::bin()
            .args([
                "check",
                "--seconds",
                "8",
                "--no-speak",
                "--no-playback",
                "--out",
            ])
            .arg(&out),
    );
    run.feed_after(
        "Recording 8.0 s",
        Duration::from_secs(20),
        Duration::from_millis(500),
        &phrase,
    );
    run.succeed(Duration::from_secs(30));

    let json = transcribe_json(&model, &out);
    let text = json["text"].as_str().unwrap();
    let (errors, words) = common::word_errors(SAID, text);
    let wer = errors as f64 / words as f64;
    eprintln!("microphone word error rate {:.1} %: {text}", wer * 100.0);
    assert!(
        wer <= 0.15,
        "word error rate {:.1} %: {text:?}",
        wer * 100.0
    );
    // The measures ride along: "I" and "we" were each said once.
    assert_eq!(json["measures"]["i_count"], 1, "{json}");
    assert_eq!(json["measures"]["we_count"], 1, "{json}");
    assert_eq!(json["measures"]["fillers_are_lower_bound"], true);
}

#[test]
fn without_a_model_transcribe_says_how_to_get_one() {
    let dir = common::temp_dir("transcribe-nomodel");
    let wav = dir.join("x.wav");
    std::fs::write(&wav, b"not even a wav").unwrap();
    let out = with_data(&dir.join("data"))
        .args(["transcribe"])
        .arg(&wav)
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no transcription model is installed"), "{err}");
    assert!(err.contains("voicemock models fetch base.en"), "{err}");
    let list = with_data(&dir.join("data")).arg("models").output().unwrap();
    assert!(list.status.success());
    let listing = String::from_utf8_lossy(&list.stdout);
    assert!(listing.contains("none installed"), "{listing}");
    assert!(listing.contains("base.en"), "{listing}");
}

#[test]
fn models_add_installs_only_a_model_that_loads() {
    let Some(model) = common::test_model() else {
        return;
    };
    let dir = common::temp_dir("models-add");
    let data = dir.join("data");
    let junk = dir.join("ggml-junk.bin");
    std::fs::write(&junk, vec![7u8; 4096]).unwrap();
    let out = with_data(&data)
        .args(["models", "add"])
        .arg(&junk)
        .output()
        .unwrap();
    assert!(
        !out.status.success(),
        "a file that does not load was installed"
    );
    let models = data.join("voicemock/models");
    let left: Vec<_> = std::fs::read_dir(&models)
        .map(|d| d.flatten().map(|e| e.file_name()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "left behind: {left:?}");

    let out = with_data(&data)
        .args(["models", "add", "--name", "tiny.en"])
        .arg(&model)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(models.join("ggml-tiny.en.bin").is_file());
    let list = with_data(&data).arg("models").output().unwrap();
    let listing = String::from_utf8_lossy(&list.stdout);
    assert!(
        listing.contains("tiny.en") && listing.contains("(used by default)"),
        "{listing}"
    );
    // Installed by name, it is what `transcribe` uses when none is named.
    let clip = Path::new(LIBRIVOX).join("sense_and_sensibility_01_austen_64kb-0930.wav");
    let out = with_data(&data)
        .arg("transcribe")
        .arg(&clip)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("amiable"));
}

// ---------------------------------------------------------------------------------------------
// `models fetch` against a loopback server.

/// How the server answers the next request.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Mode {
    /// Serves the file, honouring a Range request with 206.
    Good,
    /// Announces the whole file, sends this many bytes, and closes the connection.
    CutAfter(usize),
}

struct Server {
    port: u16,
    mode: Arc<Mutex<Mode>>,
    /// The Range header of each request, if any.
    ranges: Arc<Mutex<Vec<Option<String>>>>,
}

impl Server {
    fn start(body: Vec<u8>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let mode = Arc::new(Mutex::new(Mode::Good));
        let ranges = Arc::new(Mutex::new(Vec::new()));
        let (m, r) = (mode.clone(), ranges.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let mode = *m.lock().unwrap();
                serve(stream, &body, mode, &r);
            }
        });
        Server { port, mode, ranges }
    }

    fn base_url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    fn set(&self, mode: Mode) {
        *self.mode.lock().unwrap() = mode;
    }
}

fn serve(mut stream: TcpStream, body: &[u8], mode: Mode, ranges: &Mutex<Vec<Option<String>>>) {
    stream.set_read_timeout(Some(Duration::from_secs(5))).ok();
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    let mut range = None;
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 || line.trim().is_empty() {
            break;
        }
        if let Some((k, v)) = line.split_once(':') {
            if k.eq_ignore_ascii_case("range") {
                range = Some(v.trim().to_string());
            }
        }
    }
    ranges.lock().unwrap().push(range.clone());
    if !request_line.contains("/ggml-tiny.en.bin ") {
        let _ = stream
            .write_all(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        return;
    }
    let from = range
        .as_deref()
        .and_then(|r| r.strip_prefix("bytes="))
        .and_then(|r| r.trim_end_matches('-').parse::<usize>().ok());
    let head = match from {
        Some(f) if f >= body.len() => {
            let _ = write!(
                stream,
                "HTTP/1.1 416 Range Not Satisfiable\r\nContent-Range: bytes */{}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
                body.len()
            );
            return;
        }
        Some(f) => format!(
            "HTTP/1.1 206 Partial Content\r\nContent-Range: bytes {f}-{}/{}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len() - 1,
            body.len(),
            body.len() - f
        ),
        None => format!(
            "HTTP/1.1 200 OK\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            body.len()
        ),
    };
    let part = &body[from.unwrap_or(0)..];
    let _ = stream.write_all(head.as_bytes());
    let _ = match mode {
        Mode::Good => stream.write_all(part),
        Mode::CutAfter(n) => stream.write_all(&part[..n.min(part.len())]),
    };
    let _ = stream.flush();
    let _ = stream.shutdown(std::net::Shutdown::Both);
}

/// 300 kB that are not all alike, and their SHA-1 (from the system's sha1sum).
fn test_file(dir: &Path) -> (Vec<u8>, String) {
    let body: Vec<u8> = (0..300_000u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let path = dir.join("served.bin");
    std::fs::write(&path, &body).unwrap();
    let out = std::process::Command::new("sha1sum")
        .arg(&path)
        .output()
        .unwrap();
    let sum = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .next()
        .unwrap()
        .to_string();
    (body, sum)
}

fn fetch(data: &Path, server: &Server, sha1: &str) -> std::process::Output {
    with_data(data)
        .args(["models", "fetch", "tiny.en", "--base-url"])
        .arg(server.base_url())
        .args(["--sha1", sha1])
        .output()
        .unwrap()
}

fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .collect()
        })
        .unwrap_or_default();
    names.sort();
    names
}

#[test]
fn fetch_installs_a_good_file_and_says_where_from() {
    let dir = common::temp_dir("fetch-good");
    let (body, sum) = test_file(&dir);
    let server = Server::start(body.clone());
    let data = dir.join("data");
    let out = fetch(&data, &server, &sum);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        stdout.contains(&format!("{}/ggml-tiny.en.bin", server.base_url())),
        "{stdout}"
    );
    assert!(stdout.contains("75 MiB"), "{stdout}");
    let models = data.join("voicemock/models");
    assert_eq!(files_in(&models), ["ggml-tiny.en.bin"]);
    assert_eq!(
        std::fs::read(models.join("ggml-tiny.en.bin")).unwrap(),
        body
    );
    assert_eq!(*server.ranges.lock().unwrap(), [None]);
}

#[test]
fn fetch_with_a_wrong_checksum_installs_nothing_and_keeps_nothing() {
    let dir = common::temp_dir("fetch-bad-sum");
    let (body, _) = test_file(&dir);
    let server = Server::start(body);
    let data = dir.join("data");
    let out = fetch(&data, &server, "0000000000000000000000000000000000000000");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("SHA-1") && err.contains("nothing was installed"),
        "{err}"
    );
    assert!(files_in(&data.join("voicemock/models")).is_empty());
}

#[test]
fn a_cut_download_installs_nothing_and_the_next_attempt_resumes_it() {
    let dir = common::temp_dir("fetch-resume");
    let (body, sum) = test_file(&dir);
    let server = Server::start(body.clone());
    let data = dir.join("data");
    let models = data.join("voicemock/models");

    server.set(Mode::CutAfter(100_000));
    let out = fetch(&data, &server, &sum);
    assert!(!out.status.success(), "a cut download succeeded");
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("run the same command again to resume"),
        "{err}"
    );
    // Only the hidden part file: nothing installed, nothing listed.
    assert_eq!(files_in(&models), [".ggml-tiny.en.bin.part"]);
    assert_eq!(
        std::fs::metadata(models.join(".ggml-tiny.en.bin.part"))
            .unwrap()
            .len(),
        100_000
    );
    let list = with_data(&data).arg("models").output().unwrap();
    assert!(String::from_utf8_lossy(&list.stdout).contains("none installed"));

    server.set(Mode::Good);
    let out = fetch(&data, &server, &sum);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("resuming"));
    assert_eq!(
        *server.ranges.lock().unwrap(),
        [None, Some("bytes=100000-".to_string())]
    );
    assert_eq!(files_in(&models), ["ggml-tiny.en.bin"]);
    assert_eq!(
        std::fs::read(models.join("ggml-tiny.en.bin")).unwrap(),
        body
    );
}

#[test]
fn run_transcribes_each_take_in_the_background_without_moving_the_timers() {
    let Some(model) = common::test_model() else {
        return;
    };
    let Some(_stack) = common::stack() else {
        return;
    };
    const FIRST: &str = "I want to build the product that people reach for at the end of the day.";
    const SECOND: &str = "We would look at the data first, and then I would talk to the team.";
    let dir = common::temp_dir("transcribe-run");
    let recordings = dir.join("recordings");
    let first = common::speech_wav(&dir, "first", FIRST, "en-us");
    let second = common::speech_wav(&dir, "second", SECOND, "en-us");
    let mut run = Running::spawn(
        common::silent_run(&recordings, 8, &["--question", "why-netflix"])
            .args(["--question", "stay-current", "--model"])
            .arg(&model),
    );
    run.wait_for("Transcripts: each answer", Duration::from_secs(20));
    run.feed_after(
        "Recording answer",
        Duration::from_secs(20),
        Duration::from_millis(300),
        &first,
    );
    run.send_line("");
    // The second answer is recorded while the first is being transcribed, and runs to its
    // 8 s limit.
    let started = run.feed_after(
        "Recording answer",
        Duration::from_secs(20),
        Duration::from_millis(300),
        &second,
    );
    let (stdout, _) = run.succeed(Duration::from_secs(200));
    assert!(started.elapsed() < Duration::from_secs(200));
    let (session, log) = common::only_session(&recordings);
    assert!(log["settings"]["transcribe_model"].is_string(), "{log}");
    let second_take = &log["questions"][1]["takes"][0];
    let held = common::answer_s(second_take);
    eprintln!(
        "second answer, limit 8 s: {held:.3} s; overruns {}",
        second_take["overruns"]
    );
    // The same tolerance as the limit test without transcription (tests/run.rs).
    assert!(
        (held - 8.0).abs() <= 0.15,
        "held {held} s against an 8 s limit"
    );
    assert_eq!(second_take["ended_by"], "limit");
    assert_eq!(second_take["overruns"], 0);
    let ncc = common::match_score(
        &second,
        &session.join(second_take["file"].as_str().unwrap()),
    );
    assert!(
        ncc >= 0.9,
        "the second answer matches what was said only at {ncc:.3}"
    );
    for (q, said) in [(0, FIRST), (1, SECOND)] {
        let take = &log["questions"][q]["takes"][0];
        let t = &take["transcript"];
        let text = t["text"]
            .as_str()
            .unwrap_or_else(|| panic!("no transcript: {take}"));
        let (errors, words) = common::word_errors(said, text);
        let wer = errors as f64 / words as f64;
        eprintln!(
            "answer {}: word error rate {:.1} %: {text}",
            q + 1,
            wer * 100.0
        );
        assert!(
            wer <= 0.15,
            "answer {}: {:.1} %: {text:?}",
            q + 1,
            wer * 100.0
        );
        let sidecar: serde_json::Value = serde_json::from_str(
            &std::fs::read_to_string(session.join(t["file"].as_str().unwrap())).unwrap(),
        )
        .unwrap();
        assert!(!sidecar["words"].as_array().unwrap().is_empty());
        assert!(sidecar["words"][0]["start_s"].as_f64().is_some());
    }
    assert_eq!(log["questions"][0]["takes"][0]["transcript"]["i_count"], 1);
    assert!(stdout.contains("transcript: \""), "{stdout}");
    let review = std::fs::read_to_string(session.join("review.md")).unwrap();
    assert!(review.contains("What you said"), "{review}");
}

/// Damaged copies of the test model in `dir`: cut short at several points (as an interrupted
/// copy leaves it) and one whose vocabulary size is absurd, which whisper.cpp aborts on
/// (std::length_error, "Rust cannot catch foreign exceptions": exit 134 in-process).
fn damaged_models(model: &Path, dir: &Path) -> (Vec<PathBuf>, PathBuf) {
    let bytes = std::fs::read(model).unwrap();
    let cuts: Vec<PathBuf> = [8, 52, 400_000, bytes.len() - 698]
        .iter()
        .map(|&n| {
            let path = dir.join(format!("ggml-cut{n}.bin"));
            std::fs::write(&path, &bytes[..n]).unwrap();
            path
        })
        .collect();
    let mut crashing = bytes;
    crashing[4..8].copy_from_slice(&(1i32 << 30).to_le_bytes());
    let path = dir.join("ggml-crashing.bin");
    std::fs::write(&path, crashing).unwrap();
    (cuts, path)
}

#[test]
fn models_add_refuses_cut_and_crashing_models_and_installs_a_whole_one_privately() {
    let Some(model) = common::test_model() else {
        return;
    };
    let dir = common::temp_dir("models-add-damaged");
    let data = dir.join("data");
    let models = data.join("voicemock/models");
    let (cuts, crashing) = damaged_models(&model, &dir);
    for bad in cuts.iter().chain([&crashing]) {
        let out = with_data(&data)
            .args(["models", "add"])
            .arg(bad)
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{}: {err}", bad.display());
        assert!(err.contains("was not installed"), "{err}");
        if bad == &crashing {
            assert!(err.contains("crashed on signal 6 (abort)"), "{err}");
        } else {
            assert!(err.contains("cut short"), "{err}");
        }
        // Nothing installed, nothing left behind.
        assert!(files_in(&models).is_empty(), "{:?}", files_in(&models));
    }
    // A whole model installs, under umask 000, readable by its owner alone.
    let whole = dir.join("ggml-whole.bin");
    std::fs::copy(&model, &whole).unwrap();
    let bin = common::bin();
    let out = std::process::Command::new("sh")
        .args(["-c", "umask 000 && exec \"$0\" \"$@\""])
        .arg(bin.get_program())
        .args(["models", "add"])
        .arg(&whole)
        .env("XDG_DATA_HOME", &data)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    use std::os::unix::fs::PermissionsExt;
    let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(files_in(&models), ["ggml-whole.bin"]);
    assert_eq!(mode(&models), 0o700);
    assert_eq!(mode(&data.join("voicemock")), 0o700);
    assert_eq!(mode(&models.join("ggml-whole.bin")), 0o600);
}

#[test]
fn transcribe_with_a_crashing_model_fails_with_a_message_not_an_abort() {
    let Some(model) = common::test_model() else {
        return;
    };
    let dir = common::temp_dir("transcribe-crashing");
    let (_, crashing) = damaged_models(&model, &dir);
    let wav = librivox_references()[0].0.clone();
    let out = common::bin()
        .args(["transcribe", "--model"])
        .arg(&crashing)
        .arg(&wav)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{err}");
    assert!(
        err.contains("the transcription engine crashed on signal 6 (abort)"),
        "{err}"
    );
}

/// A two-question session with speech in each answer, transcribed with `model_args`: the
/// takes, the log and the session survive a model whisper.cpp cannot use.
fn session_with_a_broken_model(dir: &Path, data: &Path, model_args: &[&OsStr], expect: &str) {
    std::fs::create_dir_all(dir).unwrap();
    let recordings = dir.join("recordings");
    let phrase = common::speech_wav(dir, "phrase", "We measured it and it grew.", "en-us");
    let mut cmd = common::silent_run(&recordings, 4, &["--count", "2"]);
    cmd.args(model_args).env("XDG_DATA_HOME", data);
    let mut run = Running::spawn(&mut cmd);
    for _ in 0..2 {
        run.feed_after(
            "Recording answer",
            Duration::from_secs(20),
            Duration::from_millis(300),
            &phrase,
        );
    }
    let (stdout, _) = run.succeed(Duration::from_secs(120));
    let (session, log) = common::only_session(&recordings);
    assert_eq!(log["status"], "completed", "{log}");
    for q in 0..2 {
        let take = &log["questions"][q]["takes"][0];
        let held = common::answer_s(take);
        assert!((held - 4.0).abs() <= 0.15, "answer {q} held {held} s");
        let (samples, rate) = common::read_wav(&session.join(take["file"].as_str().unwrap()));
        assert!(samples.len() as f64 / f64::from(rate) >= 4.0 - 0.15);
        let error = take["transcript_error"]
            .as_str()
            .unwrap_or_else(|| panic!("{take}"));
        assert!(error.contains(expect), "{error}");
        assert!(take["transcript"].is_null(), "{take}");
    }
    // Said once, though both takes failed.
    assert_eq!(stdout.matches("no transcript (").count(), 1, "{stdout}");
    assert!(stdout.contains(expect), "{stdout}");
}

#[test]
fn a_broken_model_mid_session_costs_the_transcripts_and_nothing_else() {
    let Some(model) = common::test_model() else {
        return;
    };
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("broken-model-run");
    let (cuts, crashing) = damaged_models(&model, &dir);
    // Named with --model: whisper.cpp aborts on it in its child process, per take.
    let forced = dir.join("forced");
    session_with_a_broken_model(
        &forced,
        &dir.join("no-data"),
        &[OsStr::new("--model"), crashing.as_os_str()],
        "crashed on signal 6 (abort)",
    );
    // Installed as the default before this release checked models: a copy cut short.
    let default = dir.join("default");
    let models = default.join("data/voicemock/models");
    std::fs::create_dir_all(&models).unwrap();
    std::fs::copy(&cuts[2], models.join("ggml-base.en.bin")).unwrap();
    session_with_a_broken_model(&default, &default.join("data"), &[], "cut short");
}
