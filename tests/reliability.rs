//! Faults that must cost nothing recorded: a sound server that dies mid-answer, an output
//! that cannot be written, a closed terminal and a double Ctrl-C, a full disk, a device that
//! runs faster than real time.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::common::{self, Pty, Running};

/// The take's WAV, its duration by its header, and its frames.
fn take_wav(session: &Path, take: &Value) -> (PathBuf, f64, u32) {
    let path = session.join(take["file"].as_str().unwrap());
    let r = hound::WavReader::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let frames = r.duration();
    (
        path,
        f64::from(frames) / f64::from(r.spec().sample_rate),
        frames,
    )
}

/// The first take of the session's only question.
fn first_take(log: &Value) -> &Value {
    &log["questions"][0]["takes"][0]
}

// ---------------------------------------------------------------------------------------------
// The sound server dies mid-answer.

/// A second virtual audio stack of this test's own, so stopping its sound server leaves the
/// shared one to the other tests. Stopped when dropped.
struct PrivateStack {
    dir: String,
    env: Vec<(String, String)>,
}

impl PrivateStack {
    fn start(name: &str) -> PrivateStack {
        let base = std::env::var("VOICEMOCK_AUDIO_DIR").unwrap_or("/tmp/voicemock-audio".into());
        let dir = format!("{base}-{name}");
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/virtual-audio");
        let _ = Command::new(&script)
            .arg("stop")
            .env("VOICEMOCK_AUDIO_DIR", &dir)
            .output();
        let out = Command::new(&script)
            .arg("start")
            .env("VOICEMOCK_AUDIO_DIR", &dir)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "a private audio stack did not start: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let env = common::stack_env_of(&dir);
        PrivateStack { dir, env }
    }

    fn apply<'c>(&self, cmd: &'c mut Command) -> &'c mut Command {
        cmd.envs(self.env.iter().map(|(k, v)| (k, v)))
    }

    fn pulseaudio_pid(&self) -> u32 {
        let pids = std::fs::read_to_string(Path::new(&self.dir).join("pids")).unwrap();
        pids.lines()
            .find_map(|l| {
                l.strip_prefix("pulseaudio ")?
                    .split(' ')
                    .next()?
                    .parse()
                    .ok()
            })
            .expect("pulseaudio in the pids file")
    }
}

impl Drop for PrivateStack {
    fn drop(&mut self) {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/virtual-audio");
        let _ = Command::new(script)
            .arg("stop")
            .env("VOICEMOCK_AUDIO_DIR", &self.dir)
            .output();
    }
}

#[test]
fn a_sound_server_that_dies_mid_answer_ends_the_take_as_a_device_error() {
    let Some(_turn) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("rel-server-dies");
    let recordings = dir.join("recordings");
    let phrase = common::speech_wav(
        &dir,
        "phrase",
        "I led the launch of a new recommendations row.",
        "en-us",
    );
    let private = PrivateStack::start("server-dies");
    let mut run = Running::spawn(private.apply(&mut common::silent_run(
        &recordings,
        60,
        &["--question", "why-netflix"],
    )));
    run.wait_for("Recording answer", Duration::from_secs(30));
    std::thread::sleep(Duration::from_millis(300));
    common::feed_mic_with(&phrase, &private.env);
    std::thread::sleep(Duration::from_millis(500));
    // Stop the server as a shutdown or a crash of it would: the clients' streams are left
    // hanging inside the ALSA plugin.
    common::send_signal(private.pulseaudio_pid(), libc::SIGKILL);
    let stopped = Instant::now();
    let (code, stdout, stderr) = run.finish(Duration::from_secs(20));
    let took = stopped.elapsed();
    eprintln!(
        "voicemock ended {:.2} s after the sound server died",
        took.as_secs_f64()
    );
    assert!(
        took < Duration::from_secs(5),
        "took {took:?}\n{stdout}\n{stderr}"
    );
    assert_eq!(code, Some(1), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(
        stderr.contains("the microphone stopped delivering sound at"),
        "{stderr}"
    );
    let (session, log) = common::only_session(&recordings);
    assert_eq!(log["status"], "device_error");
    let take = first_take(&log);
    assert_eq!(take["ended_by"], "device_error");
    let (wav, held_s, _) = take_wav(&session, take);
    let logged = take["duration_s"].as_f64().unwrap();
    assert!(
        (held_s - logged).abs() < 0.01,
        "log {logged} s, WAV {held_s} s"
    );
    let ncc = common::match_score(&phrase, &wav);
    assert!(
        ncc > 0.9,
        "the phrase fed before the fault is in the WAV only at {ncc:.3}"
    );
}

#[test]
fn a_recording_moved_to_another_source_is_told_and_goes_on() {
    let Some(_turn) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("rel-moved");
    let recordings = dir.join("recordings");
    let private = PrivateStack::start("moved");
    let mut run = Running::spawn(private.apply(&mut common::silent_run(
        &recordings,
        4,
        &["--question", "why-netflix"],
    )));
    run.wait_for("Recording answer", Duration::from_secs(30));
    std::thread::sleep(Duration::from_millis(800));
    // The microphone's module goes away: the server moves the stream to another source.
    let out = private
        .apply(&mut Command::new("pactl"))
        .args(["unload-module", "module-remap-source"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (_, stderr) = run.succeed(Duration::from_secs(20));
    assert_eq!(
        stderr
            .matches("moved this recording to another source")
            .count(),
        1,
        "{stderr}"
    );
    let (_, log) = common::only_session(&recordings);
    assert_eq!(log["status"], "completed");
}

// ---------------------------------------------------------------------------------------------
// Output that cannot be written.

#[test]
fn a_session_whose_output_is_full_or_closed_still_finishes_its_files() {
    let Some(_stack) = common::stack() else {
        return;
    };
    for (name, output) in [("full", "/dev/full"), ("closed", "| head -1")] {
        let dir = common::temp_dir(&format!("rel-output-{name}"));
        let recordings = dir.join("recordings");
        let mut cmd = common::silent_run(&recordings, 3, &["--question", "why-netflix"]);
        cmd.stdin(Stdio::null()).stderr(Stdio::piped());
        let out = if output == "/dev/full" {
            let full = std::fs::OpenOptions::new()
                .write(true)
                .open("/dev/full")
                .unwrap();
            cmd.stdout(full).output().unwrap()
        } else {
            let mut child = cmd.stdout(Stdio::piped()).spawn().unwrap();
            let mut first = String::new();
            let mut reader = std::io::BufReader::new(child.stdout.take().unwrap());
            std::io::BufRead::read_line(&mut reader, &mut first).unwrap();
            assert!(first.starts_with("voicemock"), "{first}");
            drop(reader);
            child.wait_with_output().unwrap()
        };
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_ne!(out.status.code(), Some(101), "{output}: {stderr}");
        assert!(
            !stderr.contains("moved this recording"),
            "{output}: {stderr}"
        );
        assert!(!stderr.contains("panicked"), "{output}: {stderr}");
        if output == "/dev/full" {
            assert!(
                stderr.contains("cannot write to standard output"),
                "{stderr}"
            );
        } else {
            assert_eq!(out.status.code(), Some(0), "{output}: {stderr}");
        }
        let (session, log) = common::only_session(&recordings);
        assert_eq!(log["status"], "completed", "{output}");
        let take = first_take(&log);
        assert_eq!(take["ended_by"], "limit", "{output}");
        let (_, held_s, _) = take_wav(&session, take);
        let answer_s = held_s - take["pre_roll_s"].as_f64().unwrap();
        assert!(
            (answer_s - 3.0).abs() < 0.1,
            "{output}: the WAV holds {answer_s} s after its start cue"
        );
    }
}

#[test]
fn a_warning_to_a_full_stderr_does_not_stop_the_session() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("rel-stderr-full");
    let recordings = dir.join("recordings");
    let full = std::fs::OpenOptions::new()
        .write(true)
        .open("/dev/full")
        .unwrap();
    // No speech daemon to reach: "warning: text-to-speech is unavailable" goes to stderr.
    let out = common::bin()
        .args([
            "run",
            "--think",
            "0",
            "--answer",
            "2",
            "--question",
            "why-netflix",
        ])
        .arg("--recordings")
        .arg(&recordings)
        .env("SPEECHD_ADDRESS", "unix_socket:/nonexistent/speechd.sock")
        .stdin(Stdio::null())
        .stderr(full)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let (session, log) = common::only_session(&recordings);
    assert_eq!(log["status"], "completed");
    assert_eq!(log["speech"], "unavailable");
    let take = first_take(&log);
    let (_, held_s, _) = take_wav(&session, take);
    let answer_s = held_s - take["pre_roll_s"].as_f64().unwrap();
    assert!(
        (answer_s - 2.0).abs() < 0.1,
        "the WAV holds {answer_s} s after its start cue"
    );
}

// ---------------------------------------------------------------------------------------------
// A closed terminal, and a second Ctrl-C, in a pseudo-terminal.

#[test]
fn sighup_or_a_double_ctrl_c_keep_the_take_and_restore_the_terminal() {
    use std::os::unix::process::CommandExt;
    let Some(_stack) = common::stack() else {
        return;
    };
    let cases: [(&str, &[i32], i32); 2] = [
        ("hup", &[libc::SIGHUP], 129),
        ("int-int", &[libc::SIGINT, libc::SIGINT], 130),
    ];
    for (name, signals, expected_code) in cases {
        let dir = common::temp_dir(&format!("rel-pty-{name}"));
        let recordings = dir.join("recordings");
        let pty = Pty::open();
        let before = pty.settings();
        let mut cmd = common::silent_run(&recordings, 60, &["--question", "why-netflix"]);
        cmd.stdin(pty.stdio())
            .stdout(pty.stdio())
            .stderr(pty.stdio());
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                // Its own session, with the pty as its controlling terminal, as a shell's
                // foreground job has.
                libc::setsid();
                libc::ioctl(0, libc::TIOCSCTTY, 0);
                Ok(())
            });
        }
        let mut child = cmd.spawn().unwrap();
        // Read the terminal's output as it comes, so the program never blocks writing.
        let master = pty.master;
        let (tx, rx) = std::sync::mpsc::channel::<Vec<u8>>();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            loop {
                // SAFETY: reading into a buffer of the given size.
                let n = unsafe { libc::read(master, buf.as_mut_ptr().cast(), buf.len()) };
                if n <= 0 || tx.send(buf[..n as usize].to_vec()).is_err() {
                    break;
                }
            }
        });
        let mut screen = Vec::new();
        let deadline = Instant::now() + Duration::from_secs(30);
        while !String::from_utf8_lossy(&screen).contains("Recording answer") {
            assert!(
                Instant::now() < deadline,
                "{}",
                String::from_utf8_lossy(&screen)
            );
            if let Ok(bytes) = rx.recv_timeout(Duration::from_millis(100)) {
                screen.extend(bytes);
            }
        }
        let during = pty.settings();
        assert_eq!(
            during.c_lflag & (libc::ICANON | libc::ECHO),
            0,
            "{name}: keys are read one at a time without echo while answering"
        );
        std::thread::sleep(Duration::from_millis(1500));
        for &signal in signals {
            common::send_signal(child.id(), signal);
        }
        let deadline = Instant::now() + Duration::from_secs(10);
        let status = loop {
            if let Some(status) = child.try_wait().unwrap() {
                break status;
            }
            assert!(Instant::now() < deadline, "{name}: did not exit");
            std::thread::sleep(Duration::from_millis(20));
        };
        while let Ok(bytes) = rx.recv_timeout(Duration::from_millis(100)) {
            screen.extend(bytes);
        }
        let screen = String::from_utf8_lossy(&screen);
        assert_eq!(status.code(), Some(expected_code), "{name}:\n{screen}");
        let after = pty.settings();
        assert_eq!(
            (after.c_lflag, after.c_iflag, after.c_oflag, after.c_cc),
            (before.c_lflag, before.c_iflag, before.c_oflag, before.c_cc),
            "{name}: the terminal's settings are restored"
        );
        let (session, log) = common::only_session(&recordings);
        assert_eq!(log["status"], "interrupted", "{name}");
        assert!(!log["ended_at"].is_null(), "{name}");
        let take = first_take(&log);
        assert_eq!(take["ended_by"], "interrupt", "{name}");
        let (_, held_s, _) = take_wav(&session, take);
        let logged = take["duration_s"].as_f64().unwrap();
        assert!(held_s > 1.0, "{name}: the WAV holds {held_s} s");
        assert!(
            (held_s - logged).abs() < 0.6,
            "{name}: log {logged} s, WAV {held_s} s"
        );
    }
}

// ---------------------------------------------------------------------------------------------
// A terminal nobody reads.

/// A child killed when dropped, so a failed test leaves no voicemock behind.
struct Child(std::process::Child);

impl Drop for Child {
    fn drop(&mut self) {
        if self.0.try_wait().ok().flatten().is_none() {
            let _ = self.0.kill();
            let _ = self.0.wait();
        }
    }
}

/// The session's log once it has a take started (the runner writes it then), within 30 s.
fn wait_for_take(recordings: &Path, child: &mut Child) -> PathBuf {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        assert!(
            child.0.try_wait().unwrap().is_none(),
            "voicemock ended before recording"
        );
        let started = std::fs::read_dir(recordings).ok().and_then(|dirs| {
            dirs.filter_map(Result::ok).map(|e| e.path()).find(|dir| {
                std::fs::read_to_string(dir.join("session.json"))
                    .ok()
                    .and_then(|text| serde_json::from_str::<Value>(&text).ok())
                    .is_some_and(|log| !first_take(&log).is_null())
            })
        });
        if let Some(dir) = started {
            return dir;
        }
        assert!(Instant::now() < deadline, "no take started within 30 s");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_terminal_nobody_reads_does_not_stop_the_session_nor_its_ending() {
    use std::os::unix::process::CommandExt;
    let Some(_stack) = common::stack() else {
        return;
    };
    // (name, answer limit, signal sent once recording), then (exit code, log status, how
    // the take ended).
    type Case = (
        (&'static str, u32, Option<i32>),
        (i32, &'static str, &'static str),
    );
    let cases: [Case; 2] = [
        (("timers", 4, None), (0, "completed", "limit")),
        (
            ("sigterm", 60, Some(libc::SIGTERM)),
            (143, "interrupted", "interrupt"),
        ),
    ];
    for ((name, answer, signal), (expected_code, status, ended_by)) in cases {
        let dir = common::temp_dir(&format!("rel-unread-{name}"));
        let recordings = dir.join("recordings");
        let pty = Pty::open();
        // Full before voicemock starts: its first write to the terminal would block for good.
        let filled = pty.fill_output();
        assert!(
            filled > 1024,
            "{name}: the terminal took only {filled} bytes"
        );
        let mut cmd = common::silent_run(&recordings, answer, &["--question", "why-netflix"]);
        cmd.stdin(pty.stdio())
            .stdout(pty.stdio())
            .stderr(pty.stdio());
        // SAFETY: only async-signal-safe calls between fork and exec.
        unsafe {
            cmd.pre_exec(|| {
                libc::setsid();
                libc::ioctl(0, libc::TIOCSCTTY, 0);
                Ok(())
            });
        }
        let spawned = Instant::now();
        let mut child = Child(cmd.spawn().unwrap());
        wait_for_take(&recordings, &mut child);
        let recording = Instant::now();
        if let Some(signal) = signal {
            std::thread::sleep(Duration::from_millis(1500));
            common::send_signal(child.0.id(), signal);
        }
        let signalled = Instant::now();
        let deadline = signalled + Duration::from_secs(u64::from(answer) + 20);
        let exit = loop {
            if let Some(status) = child.0.try_wait().unwrap() {
                break status;
            }
            assert!(
                Instant::now() < deadline,
                "{name}: voicemock did not end with its terminal unread"
            );
            std::thread::sleep(Duration::from_millis(20));
        };
        let ended = Instant::now();
        eprintln!(
            "{name}: recording {:.1} s after start; ended {:.2} s after {}",
            (recording - spawned).as_secs_f64(),
            (ended - signalled).as_secs_f64(),
            if signal.is_some() {
                "the signal"
            } else {
                "recording began"
            }
        );
        assert_eq!(exit.code(), Some(expected_code), "{name}");
        if signal.is_some() {
            assert!(
                ended - signalled < Duration::from_secs(5),
                "{name}: took {:?} after the signal",
                ended - signalled
            );
        } else {
            // The limit, then the analysis, the log and at most a second for the queued
            // output.
            assert!(
                ended - recording < Duration::from_secs(u64::from(answer) + 5),
                "{name}: took {:?}",
                ended - recording
            );
        }
        let (session, log) = common::only_session(&recordings);
        assert_eq!(log["status"], status, "{name}");
        assert!(!log["ended_at"].is_null(), "{name}: the log is finished");
        let take = first_take(&log);
        assert_eq!(take["ended_by"], ended_by, "{name}");
        let (wav, held_s, _) = take_wav(&session, take);
        let logged = take["duration_s"].as_f64().unwrap();
        assert!(
            (held_s - logged).abs() < 0.05,
            "{name}: log {logged} s, WAV {held_s} s"
        );
        let (samples, _) = common::read_wav(&wav);
        assert!(!samples.is_empty(), "{name}: the WAV plays");
        if signal.is_none() {
            let answer_s = common::answer_s(take);
            assert!(
                (answer_s - f64::from(answer)).abs() < 0.1,
                "{name}: the WAV holds {answer_s} s after its start cue"
            );
        } else {
            assert!(held_s > 1.0, "{name}: the WAV holds {held_s} s");
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The sound server stops while a file plays.

/// A WAV of `seconds` of a quiet 440 Hz tone.
fn tone_wav(dir: &Path, seconds: u32) -> PathBuf {
    let path = dir.join("tone.wav");
    let tone = (0..48_000 * seconds).map(|i| {
        let v = (f64::from(i) * 440.0 * std::f64::consts::TAU / 48_000.0).sin() * 0.1;
        (v * 32767.0) as i16
    });
    common::write_wav(&path, 48_000, tone);
    path
}

#[test]
fn a_sound_server_that_hangs_mid_answer_ends_the_take_even_with_a_cue_due() {
    let Some(_turn) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("rel-server-hangs");
    let recordings = dir.join("recordings");
    let private = PrivateStack::start("server-hangs");
    // The wrap-up cue is due 3 s into the answer, after the server has stopped answering:
    // opening its stream must not hold the session up.
    let mut run = Running::spawn(private.apply(&mut common::silent_run(
        &recordings,
        60,
        &["--question", "why-netflix", "--lights", "1,3,60"],
    )));
    run.wait_for("Recording answer", Duration::from_secs(30));
    std::thread::sleep(Duration::from_millis(1500));
    let server = private.pulseaudio_pid();
    common::send_signal(server, libc::SIGSTOP);
    let stopped = Instant::now();
    let (code, stdout, stderr) = run.finish(Duration::from_secs(30));
    let took = stopped.elapsed();
    common::send_signal(server, libc::SIGCONT);
    eprintln!(
        "voicemock ended {:.2} s after the sound server hung",
        took.as_secs_f64()
    );
    assert!(
        took < Duration::from_secs(10),
        "took {took:?}\n{stdout}\n{stderr}"
    );
    assert_eq!(code, Some(1), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let (session, log) = common::only_session(&recordings);
    assert_eq!(log["status"], "device_error");
    let take = first_take(&log);
    assert_eq!(take["ended_by"], "device_error");
    let (_, held_s, _) = take_wav(&session, take);
    assert!(held_s > 1.0, "the WAV holds {held_s} s");
}

#[test]
fn a_sound_server_that_stops_during_play_ends_it_within_seconds_with_a_clear_error() {
    let Some(_turn) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("rel-play-server-stops");
    let long = tone_wav(&dir, 60);
    // Killed (a crash: the stream's socket closes), and stopped (a hung server: the socket
    // stays open and nothing answers on it, so closing the stream waits for ever).
    for (name, signal) in [("killed", libc::SIGKILL), ("hung", libc::SIGSTOP)] {
        let private = PrivateStack::start(&format!("play-{name}"));
        let mut play = Running::spawn(private.apply(common::bin().arg("play").arg(&long)));
        play.wait_for("Playing", Duration::from_secs(20));
        std::thread::sleep(Duration::from_millis(1500));
        let server = private.pulseaudio_pid();
        common::send_signal(server, signal);
        let stopped = Instant::now();
        let (code, stdout, stderr) = play.finish(Duration::from_secs(20));
        let took = stopped.elapsed();
        if signal == libc::SIGSTOP {
            // Let it go, so the stack's stop can end it.
            common::send_signal(server, libc::SIGCONT);
        }
        eprintln!(
            "{name}: play ended {:.2} s after the sound server stopped",
            took.as_secs_f64()
        );
        assert!(
            took < Duration::from_secs(6),
            "{name}: took {took:?}\n{stdout}\n{stderr}"
        );
        assert_eq!(
            code,
            Some(1),
            "{name}: stdout:\n{stdout}\nstderr:\n{stderr}"
        );
        assert!(
            stderr.contains("the output device stopped playing")
                && stderr.contains("is the sound server still running?"),
            "{name}: {stderr}"
        );
        // The errors are said sensibly: never millions of them (a dead server's stream fails
        // as fast as the driver spins).
        let said = stderr
            .split("stopped playing (")
            .nth(1)
            .and_then(|rest| rest.split(')').next())
            .unwrap_or_default();
        let biggest = said
            .split(|c: char| !c.is_ascii_digit())
            .filter_map(|n| n.parse::<u64>().ok())
            .max()
            .unwrap_or(0);
        assert!(biggest <= 1000, "{name}: {said}");
    }
}

// ---------------------------------------------------------------------------------------------
// A full disk.

/// A small tmpfs mounted for one test (CI runs as root), unmounted when dropped.
struct SmallDisk(PathBuf);

impl SmallDisk {
    fn mount(at: &Path, size: &str) -> SmallDisk {
        std::fs::create_dir_all(at).unwrap();
        let out = Command::new("mount")
            .args(["-t", "tmpfs", "-o"])
            .arg(format!("size={size},mode=0700"))
            .arg("tmpfs")
            .arg(at)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "mounting a small tmpfs needs root: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        SmallDisk(at.to_path_buf())
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

#[test]
fn a_full_disk_stops_the_take_names_the_disk_and_logs_the_real_duration() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("rel-disk-full");
    let disk = SmallDisk::mount(&dir.join("disk"), "768k");
    let recordings = disk.0.join("recordings");
    let mut run = Running::spawn(&mut common::silent_run(
        &recordings,
        60,
        &["--question", "why-netflix"],
    ));
    run.wait_for("Recording answer", Duration::from_secs(30));
    let (code, stdout, stderr) = run.finish(Duration::from_secs(30));
    assert_eq!(code, Some(1), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(
        stderr.contains("the disk is full: recording stopped at 0:0"),
        "{stderr}"
    );
    let (session, log) = common::only_session(&recordings);
    assert_eq!(log["status"], "device_error", "the log is finished");
    assert!(!log["ended_at"].is_null());
    let take = first_take(&log);
    assert_eq!(take["ended_by"], "device_error");
    let (_, held_s, _) = take_wav(&session, take);
    let logged = take["duration_s"].as_f64().unwrap();
    eprintln!("the full disk held {held_s:.2} s of audio");
    assert!(held_s > 1.0, "the WAV holds {held_s} s");
    assert!(
        (held_s - logged).abs() < 0.01,
        "log {logged} s, WAV {held_s} s"
    );
}

// ---------------------------------------------------------------------------------------------
// A device faster than real time (the hidden test microphone).

#[test]
fn a_device_faster_than_real_time_records_exactly_the_limit_and_grace() {
    // Without cues (and think time) nothing opens the microphone before the take's clock, so
    // the file holds the take alone; with them it may also keep the start cue's time.
    for (answer, overtime, frames) in [("1", "0", 48_000), ("1", "0.5", 72_000)] {
        let dir = common::temp_dir("rel-fast");
        let recordings = dir.join("recordings");
        let out = common::bin()
            .args([
                "run",
                "--no-speak",
                "--think",
                "0",
                "--question",
                "why-netflix",
            ])
            .args(["--answer", answer, "--overtime", overtime, "--no-cues"])
            .args(["--test-microphone", "fast", "--recordings"])
            .arg(&recordings)
            .stdin(Stdio::null())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(out.status.success(), "{stderr}");
        let (session, log) = common::only_session(&recordings);
        let take = first_take(&log);
        let (_, _, held) = take_wav(&session, take);
        assert_eq!(held, frames, "--answer {answer} --overtime {overtime}");
        assert_eq!(take["sample_rate"], 48_000);
        drop(dir);
    }
}

// ---------------------------------------------------------------------------------------------
// A large pack: its checklist is kept once per log, not once per question.

/// A pack of `points` checklist points and `questions` questions, about 228 KB at 200 and 600.
/// Half the points fit behavioural questions only, so those fit every point and the product
/// questions half of them.
fn large_pack(dir: &Path, points: usize, questions: usize) -> PathBuf {
    let mut toml = String::from("format = 1\ntitle = \"Large\"\nchecklist = [\n");
    for i in 0..points {
        let point = format!("Point {i}: did I say what the question asked, plainly and early on?");
        toml.push_str(&if i % 2 == 0 {
            format!("  {{ point = \"{point}\", categories = [\"behavioural\"] }},\n")
        } else {
            format!("  \"{point}\",\n")
        });
    }
    toml.push_str("]\n[defaults]\nthink_s = 0\nanswer_s = 30\nmin_s = 5\nwarn_s = 5\n");
    for i in 0..questions {
        let category = if i % 2 == 0 { "behavioural" } else { "product" };
        toml.push_str(&format!(
            "\n[[questions]]\nid = \"q{i}\"\ncategory = \"{category}\"\ntext = \"Question \
             {i}: tell me about a time you changed a plan because of what the data showed, what \
             you did, what others did, and what you would do differently next time, with the \
             numbers that mattered, the people you had to convince, and the part of it you \
             are proudest of.\"\n"
        ));
    }
    let path = dir.join("large.toml");
    std::fs::write(&path, toml).unwrap();
    path
}

#[test]
fn a_large_packs_session_log_stays_small_and_reads_back_after_ctrl_c() {
    let dir = common::temp_dir("rel-large-pack");
    let pack = large_pack(&dir, 200, 600);
    let pack_bytes = std::fs::metadata(&pack).unwrap().len();
    assert!((200_000..260_000).contains(&pack_bytes), "{pack_bytes}");
    let recordings = dir.join("recordings");
    let mut run = Running::spawn(
        common::bin()
            .args([
                "run",
                "--no-speak",
                "--no-cues",
                "--no-transcribe",
                "--pack",
            ])
            .arg(&pack)
            .args(["--test-microphone", "fast", "--answer", "30"])
            .arg("--recordings")
            .arg(&recordings),
    );
    run.wait_for("Recording answer", Duration::from_secs(60));
    common::send_signal(run.child.id(), libc::SIGINT);
    let (code, stdout, stderr) = run.finish(Duration::from_secs(60));
    assert_eq!(code, Some(130), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let (session, log) = common::only_session(&recordings);
    assert_eq!(log["status"], "interrupted");
    // The question reached in full, the next 200 of the plan by id, the rest counted.
    assert_eq!(log["questions"].as_array().unwrap().len(), 201);
    assert_eq!(log["planned_questions"], 600);
    assert_eq!(log["checklist"].as_array().unwrap().len(), 200);
    // A behavioural question fits every point (the whole checklist, kept once).
    assert!(log["questions"][0]["text"].is_string());
    assert!(log["questions"][0]["checklist_points"].is_null());
    // A question not reached keeps no text, and no points.
    assert_eq!(log["questions"][1]["id"], "q1");
    assert_eq!(log["questions"][1]["outcome"], "not_reached");
    assert!(log["questions"][1]["text"].is_null());
    let bytes = std::fs::metadata(session.join("session.json"))
        .unwrap()
        .len();
    eprintln!("a {pack_bytes}-byte pack of 600 questions and 200 points: a {bytes}-byte log");
    // Each question refers to its points: 122 MB when each kept their text.
    assert!(bytes < 4 << 20, "{bytes} bytes");
    let out = common::bin()
        .args(["sessions", "--recordings"])
        .arg(&recordings)
        .output()
        .unwrap();
    let listing = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!listing.contains("damaged"), "{listing}");
    assert!(listing.contains("interrupted"), "{listing}");
}

#[test]
fn a_nearly_full_disk_refuses_the_session_before_it_starts_saying_what_is_free() {
    let dir = common::temp_dir("rel-disk-nearly-full");
    let disk = SmallDisk::mount(&dir.join("disk"), "1m");
    // Leave about 100 KB free.
    let filler = vec![0u8; 1024 * 1024 - 100 * 1024];
    std::fs::write(disk.0.join("filler"), &filler).unwrap();
    let recordings = disk.0.join("recordings");
    let started = Instant::now();
    let out = common::bin()
        .args([
            "run",
            "--no-speak",
            "--no-cues",
            "--no-transcribe",
            "--think",
            "0",
        ])
        .args(["--question", "why-netflix", "--answer", "5"])
        .args(["--test-microphone", "fast", "--recordings"])
        .arg(&recordings)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(started.elapsed() < Duration::from_secs(10));
    assert!(
        stderr.contains("not enough free space for a session") && stderr.contains("needed"),
        "{stderr}"
    );
    // The figures said are the disk's: under 100 KiB free.
    let free: u64 = stderr
        .split(": ")
        .nth(2)
        .and_then(|s| s.split(" KiB free").next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("{stderr}"));
    assert!(free <= 100, "{stderr}");
    // Nothing was started: no session folder, no log left in_progress.
    let left: Vec<_> = std::fs::read_dir(&recordings)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    assert!(left.is_empty(), "{left:?}");
}

// ---------------------------------------------------------------------------------------------
// A frozen sound server before anything starts.

#[test]
fn a_frozen_sound_server_before_devices_run_or_check_fails_within_seconds_with_a_clear_error() {
    let Some(_turn) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("rel-frozen-at-start");
    let private = PrivateStack::start("frozen-at-start");
    let server = private.pulseaudio_pid();
    common::send_signal(server, libc::SIGSTOP);
    let recordings = dir.join("recordings");
    let check_out = dir.join("check.wav");
    let commands: [(&str, Vec<&std::ffi::OsStr>); 3] = [
        ("devices", vec!["devices".as_ref()]),
        (
            "run",
            vec![
                "run".as_ref(),
                "--no-speak".as_ref(),
                "--no-transcribe".as_ref(),
                "--think".as_ref(),
                "0".as_ref(),
                "--answer".as_ref(),
                "5".as_ref(),
                "--recordings".as_ref(),
                recordings.as_os_str(),
            ],
        ),
        (
            "check",
            vec![
                "check".as_ref(),
                "--no-speak".as_ref(),
                "--no-playback".as_ref(),
                "--out".as_ref(),
                check_out.as_os_str(),
            ],
        ),
    ];
    let mut results = Vec::new();
    for (name, args) in &commands {
        let run = Running::spawn(private.apply(common::bin().args(args)));
        let started = Instant::now();
        let (code, stdout, stderr) = run.finish(Duration::from_secs(30));
        results.push((name, started.elapsed(), code, stdout, stderr));
    }
    common::send_signal(server, libc::SIGCONT);
    for (name, took, code, stdout, stderr) in results {
        eprintln!(
            "{name}: ended {:.2} s into a frozen server",
            took.as_secs_f64()
        );
        assert!(
            took < Duration::from_secs(8),
            "{name} took {took:?}\n{stdout}\n{stderr}"
        );
        assert_eq!(
            code,
            Some(1),
            "{name}: stdout:\n{stdout}\nstderr:\n{stderr}"
        );
        assert!(
            stderr.contains("the sound system did not answer while")
                && stderr.contains("is the sound server frozen"),
            "{name}: {stderr}"
        );
    }
    // Nothing was started.
    assert!(!recordings.exists() || std::fs::read_dir(&recordings).unwrap().next().is_none());
}
