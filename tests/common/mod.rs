//! Shared pieces of the end-to-end tests: the virtual audio stack, making and feeding
//! speech, recording the speaker, and comparing what was fed with what was recorded.

#![allow(dead_code)]

pub mod alloc;
mod pty;

pub use pty::{assert_fits, on_terminal, Pty};

use std::cell::RefCell;
use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

/// The pool of virtual audio stacks the end-to-end tests check out, one test a stack at a
/// time, so tests on different stacks run side by side and never hear each other.
///
/// `scripts/test` starts several stacks and names their folders in VOICEMOCK_AUDIO_POOL
/// (separated by `:`). Without it the pool is the one stack the environment points at
/// (`eval "$(scripts/virtual-audio env)"`), so tests take turns on it.
struct Pool {
    /// Each stack's environment, and whether a test holds it.
    stacks: Mutex<Vec<(Arc<StackEnv>, bool)>>,
    freed: Condvar,
}

/// The environment that points a child process at one stack (what `scripts/virtual-audio env`
/// prints for it): PULSE_SERVER, SPEECHD_ADDRESS, XDG_RUNTIME_DIR, VOICEMOCK_AUDIO_DIR.
pub type StackEnv = Vec<(String, String)>;

static POOL: OnceLock<Pool> = OnceLock::new();

thread_local! {
    /// The stack the test on this thread holds: `bin()`, `feed_mic()`, `audio()` and
    /// [`SpeakerTap`] use it.
    static HELD: RefCell<Option<Arc<StackEnv>>> = const { RefCell::new(None) };
}

/// The variables of one stack, as `scripts/virtual-audio env` prints them for `dir` (the
/// script is the one place that knows a stack's layout).
pub fn stack_env_of(dir: &str) -> StackEnv {
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/virtual-audio");
    let out = Command::new(script)
        .arg("env")
        .env("VOICEMOCK_AUDIO_DIR", dir)
        .output()
        .unwrap_or_else(|e| panic!("scripts/virtual-audio env: {e}"));
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| l.strip_prefix("export ")?.split_once('='))
        .map(|(k, v)| (k.to_string(), v.trim_matches(['"', '\'']).to_string()))
        .collect()
}

fn pool() -> &'static Pool {
    POOL.get_or_init(|| {
        let stacks: Vec<StackEnv> = match std::env::var("VOICEMOCK_AUDIO_POOL") {
            Ok(dirs) if !dirs.is_empty() => dirs.split(':').map(stack_env_of).collect(),
            _ => {
                let vars = ["XDG_RUNTIME_DIR", "PULSE_SERVER", "SPEECHD_ADDRESS"];
                let env: StackEnv = vars
                    .iter()
                    .chain(&["VOICEMOCK_AUDIO_DIR"])
                    .filter_map(|k| Some((k.to_string(), std::env::var(k).ok()?)))
                    .collect();
                if env.iter().any(|(k, _)| k == "PULSE_SERVER") {
                    vec![env]
                } else {
                    vec![]
                }
            }
        };
        Pool {
            stacks: Mutex::new(stacks.into_iter().map(|e| (Arc::new(e), false)).collect()),
            freed: Condvar::new(),
        }
    })
}

/// A virtual audio stack of the pool, held by one test for its whole run and handed back when
/// dropped. Every child the test starts through `bin()`, `feed_mic()`, `audio()` or
/// [`SpeakerTap`] (on the thread that checked it out) talks to this stack alone.
pub struct Stack {
    slot: usize,
    pub env: Arc<StackEnv>,
}

impl Stack {
    /// The stack's folder (VOICEMOCK_AUDIO_DIR), where its `pids` file is.
    pub fn dir(&self) -> PathBuf {
        self.env
            .iter()
            .find(|(k, _)| k == "VOICEMOCK_AUDIO_DIR")
            .map(|(_, v)| PathBuf::from(v))
            .expect("a stack's VOICEMOCK_AUDIO_DIR")
    }
}

impl Drop for Stack {
    fn drop(&mut self) {
        HELD.with(|h| h.borrow_mut().take());
        let pool = pool();
        let mut stacks = pool.stacks.lock().unwrap_or_else(|e| e.into_inner());
        stacks[self.slot].1 = false;
        pool.freed.notify_one();
    }
}

/// Checks out a free stack of the pool (waiting for one if all are held) if the stacks run.
/// With VOICEMOCK_E2E=1 (as `scripts/test` and CI set it) a missing stack fails the test;
/// otherwise the test is skipped with a note saying why.
pub fn stack() -> Option<Stack> {
    let pool = pool();
    let mut stacks = pool.stacks.lock().unwrap_or_else(|e| e.into_inner());
    if !stacks.is_empty() {
        let slot = loop {
            if let Some(free) = stacks.iter().position(|(_, held)| !held) {
                break free;
            }
            stacks = pool.freed.wait(stacks).unwrap_or_else(|e| e.into_inner());
        };
        stacks[slot].1 = true;
        let env = stacks[slot].0.clone();
        drop(stacks);
        let stack = Stack { slot, env };
        let up = Command::new("pactl")
            .envs(stack.env.iter().map(|(k, v)| (k, v)))
            .arg("info")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success());
        if up {
            HELD.with(|h| *h.borrow_mut() = Some(stack.env.clone()));
            return Some(stack);
        }
        if std::env::var("VOICEMOCK_E2E").as_deref() == Ok("1") {
            panic!(
                "VOICEMOCK_E2E=1 but the virtual audio stack {:?} is not reachable; start it \
                 with scripts/virtual-audio start, or run scripts/test",
                stack.env
            );
        }
    } else if std::env::var("VOICEMOCK_E2E").as_deref() == Ok("1") {
        panic!(
            "VOICEMOCK_E2E=1 but no virtual audio stack is named (neither VOICEMOCK_AUDIO_POOL \
             nor PULSE_SERVER); start one with scripts/virtual-audio start, or run scripts/test"
        );
    }
    eprintln!("skipping: no virtual audio stack (run scripts/test to include this test)");
    None
}

/// The environment of the stack this thread's test holds. Panics when it holds none: a sound
/// tool started outside a checked-out stack would play into another test's microphone.
pub fn held_stack() -> Arc<StackEnv> {
    HELD.with(|h| h.borrow().clone()).expect(
        "no virtual audio stack is held on this thread: call common::stack() first (on another \
         thread, pass its env with feed_mic_with)",
    )
}

/// A sound tool (`paplay`, `parecord`, `pactl` …) aimed at the stack this test holds.
pub fn audio(program: &str) -> Command {
    let mut cmd = Command::new(program);
    cmd.envs(held_stack().iter().map(|(k, v)| (k, v)));
    cmd
}

pub fn bin() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_voicemock"));
    cmd.env_remove("VOICEMOCK_E2E");
    // The test's own stack, when it holds one (the process's environment names at most one).
    if let Some(env) = HELD.with(|h| h.borrow().clone()) {
        cmd.envs(env.iter().map(|(k, v)| (k, v)));
    }
    // The tester's own config file never reaches a test: a folder with none in it is the
    // config folder (tests of the config file point these elsewhere).
    cmd.env_remove("VOICEMOCK_CONFIG").env(
        "XDG_CONFIG_HOME",
        Path::new(env!("CARGO_MANIFEST_DIR")).join("target/tmp/no-config"),
    );
    cmd
}

/// The one session folder under `recordings`, and its log.
pub fn only_session(recordings: &Path) -> (PathBuf, serde_json::Value) {
    let dirs: Vec<PathBuf> = std::fs::read_dir(recordings)
        .map(|it| it.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    let dirs: Vec<PathBuf> = dirs
        .into_iter()
        .filter(|p| p.join("session.json").exists())
        .collect();
    assert_eq!(dirs.len(), 1, "expected one session folder: {dirs:?}");
    (dirs[0].clone(), session_log(&dirs[0]))
}

/// Seconds of a logged take's answer: its file less what the file keeps from before the take's
/// clock started (`pre_roll_s`: the start cue, or the moment before the candidate spoke up).
pub fn answer_s(take: &serde_json::Value) -> f64 {
    let duration = take["duration_s"].as_f64().expect("a take's duration_s");
    duration - take["pre_roll_s"].as_f64().unwrap_or(0.0)
}

/// `voicemock run` without speech or think time: `--answer SECS`, sessions under
/// `recordings`, then `extra` arguments.
pub fn silent_run(recordings: &Path, answer_s: u32, extra: &[&str]) -> Command {
    let mut cmd = bin();
    cmd.args(["run", "--no-speak", "--think", "0", "--answer"])
        .arg(answer_s.to_string())
        .args(extra)
        .arg("--recordings")
        .arg(recordings);
    cmd
}

/// How well the recording `recorded` holds the speech fed from `fed` (normalized
/// cross-correlation at the best lag).
pub fn match_score(fed: &Path, recorded: &Path) -> f64 {
    let (fed, _) = read_wav(fed);
    let (recorded, _) = read_wav(recorded);
    best_alignment(&fed, &recorded).1
}

/// A fresh, empty folder of its own for one test (`tempfile` names it), removed when the test
/// passes and kept (for a look at the recordings) when it fails.
pub struct TempDir(tempfile::TempDir);

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        self.0.path()
    }
}

impl AsRef<Path> for TempDir {
    fn as_ref(&self) -> &Path {
        self.0.path()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        if std::thread::panicking() {
            eprintln!("test files kept in {}", self.0.path().display());
            self.0.disable_cleanup(true);
        }
    }
}

pub fn temp_dir(name: &str) -> TempDir {
    let prefix = format!("voicemock-test-{name}-");
    TempDir(tempfile::TempDir::with_prefix(prefix).unwrap())
}

fn run_ok(cmd: &mut Command) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    assert!(
        out.status.success(),
        "{cmd:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Speaks `text` with espeak-ng into a mono 48 kHz WAV (the virtual microphone's rate, so
/// the sound server plays it without resampling), with the silence espeak-ng leaves at
/// either end trimmed, so a gap put between two phrases is the whole pause.
pub fn speech_wav(dir: &Path, name: &str, text: &str, voice: &str) -> PathBuf {
    let raw = dir.join(format!("{name}-22k.wav"));
    let out = dir.join(format!("{name}.wav"));
    run_ok(
        Command::new("espeak-ng")
            .args(["-v", voice, "-w"])
            .arg(&raw)
            .arg(text),
    );
    run_ok(
        Command::new("sox")
            .arg(&raw)
            .args(["-r", "48000", "-b", "16", "-c", "1"])
            .arg(&out)
            .args(["vol", "0.8"])
            .args([
                "silence", "1", "0.005", "0.2%", "reverse", "silence", "1", "0.005", "0.2%",
                "reverse",
            ]),
    );
    out
}

/// Joins WAVs (same format) with `gap_s` of silence between them.
pub fn join_with_gap(dir: &Path, name: &str, a: &Path, b: &Path, gap_s: f64) -> PathBuf {
    let gap = dir.join(format!("{name}-gap.wav"));
    let out = dir.join(format!("{name}.wav"));
    run_ok(
        Command::new("sox")
            .args(["-n", "-r", "48000", "-b", "16", "-c", "1"])
            .arg(&gap)
            .args(["trim", "0"])
            .arg(format!("{gap_s}")),
    );
    run_ok(Command::new("sox").arg(a).arg(&gap).arg(b).arg(&out));
    out
}

/// Plays a WAV into the virtual microphone and waits until it has been played.
pub fn feed_mic(wav: &Path) {
    run_ok(audio("paplay").arg("--device=micfeed").arg(wav));
}

/// [`feed_mic`] on another stack, given by its environment (`scripts/virtual-audio env`).
pub fn feed_mic_with(wav: &Path, env: &[(String, String)]) {
    run_ok(
        Command::new("paplay")
            .envs(env.iter().map(|(k, v)| (k, v)))
            .arg("--device=micfeed")
            .arg(wav),
    );
}

/// The speaker recording's rate (mono, 16-bit) and the length of parecord's WAV header.
const TAP_RATE: u32 = 48_000;
const TAP_HEADER: u64 = 44;
/// How long after a sound is played the recording is waited for: the monitor's 20 ms fragment
/// and the sink's own latency, with room for a loaded machine.
const TAP_TAIL: Duration = Duration::from_millis(200);

/// Records what the virtual speaker plays until stopped.
pub struct SpeakerTap {
    child: Child,
    pub path: PathBuf,
    pub started: Instant,
}

impl SpeakerTap {
    pub fn start(dir: &Path) -> SpeakerTap {
        let path = dir.join("speaker-monitor.wav");
        let child = audio("parecord")
            .args([
                "-d",
                "speaker.monitor",
                "--file-format=wav",
                "--channels=1",
                &format!("--rate={TAP_RATE}"),
                "--format=s16le",
                "--latency-msec=20",
            ])
            .arg(&path)
            .spawn()
            .expect("parecord");
        let started = Instant::now();
        // parecord writes the header once the stream is up.
        wait_for_file(&path, 0, Duration::from_secs(5));
        SpeakerTap {
            child,
            path,
            started,
        }
    }

    /// Waits until the recording holds what the speaker played up to `until` and a tail after
    /// it (sound reaches the monitor a fragment or two after it is played; the test reads the
    /// samples as `started` + index / rate). parecord appends every ~10 ms (measured), so the
    /// file's length tells how far it has got; a recorder that falls behind fails the test here.
    pub fn wait_covering(&self, until: Instant) {
        let upto = until.saturating_duration_since(self.started) + TAP_TAIL;
        let bytes = TAP_HEADER + (upto.as_secs_f64() * f64::from(TAP_RATE)) as u64 * 2;
        wait_until(
            &format!(
                "the speaker recording {} covering {:.2} s",
                self.path.display(),
                upto.as_secs_f64()
            ),
            Duration::from_secs(10),
            || std::fs::metadata(&self.path).is_ok_and(|m| m.len() >= bytes),
        );
    }

    /// Waits until the recording covers the moment of the call (say, once the process that
    /// played has exited), then stops it and returns the samples and their rate.
    pub fn stop_when_heard(self) -> (Vec<f32>, u32) {
        self.wait_covering(Instant::now());
        self.stop()
    }

    /// Stops recording and returns the samples and their rate.
    pub fn stop(mut self) -> (Vec<f32>, u32) {
        // SIGINT lets parecord finish the WAV header.
        send_signal(self.child.id(), libc::SIGINT);
        let _ = self.child.wait();
        read_wav(&self.path)
    }
}

/// Sends `signal` (e.g. `libc::SIGINT`) to process `pid`.
pub fn send_signal(pid: u32, signal: i32) {
    // SAFETY: kill(2) with a pid this test spawned; failure is checked.
    let rc = unsafe { libc::kill(pid as libc::pid_t, signal) };
    assert_eq!(rc, 0, "kill({pid}, {signal}) failed");
}

/// Reads a WAV as mono f32 (first channel), with its rate.
pub fn read_wav(path: &Path) -> (Vec<f32>, u32) {
    let mut reader =
        hound::WavReader::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let spec = reader.spec();
    let ch = spec.channels as usize;
    let samples: Vec<f32> = match spec.sample_format {
        hound::SampleFormat::Int => reader
            .samples::<i32>()
            .step_by(ch)
            .map(|s| s.unwrap() as f32 / (1u32 << (spec.bits_per_sample - 1)) as f32)
            .collect(),
        hound::SampleFormat::Float => reader
            .samples::<f32>()
            .step_by(ch)
            .map(|s| s.unwrap())
            .collect(),
    };
    (samples, spec.sample_rate)
}

/// The best alignment of `reference` inside `recording`: (lag in samples, normalized
/// cross-correlation at that lag).
pub fn best_alignment(reference: &[f32], recording: &[f32]) -> (usize, f64) {
    assert!(
        recording.len() >= reference.len(),
        "recording shorter than the reference"
    );
    let mut best = (0, f64::MIN);
    for (lag, ncc) in normalized_correlation(reference, recording)
        .into_iter()
        .enumerate()
    {
        match ncc {
            Some(ncc) if ncc > best.1 => best = (lag, ncc),
            _ => {}
        }
    }
    best
}

/// The normalized cross-correlation of `reference` with each window of `recording` of its
/// length, by lag (`None` where the window is silent). By FFT, so a test checking many lags
/// of a long recording costs milliseconds, not seconds of CPU taken from the sound server.
fn normalized_correlation(reference: &[f32], recording: &[f32]) -> Vec<Option<f64>> {
    use rustfft::{num_complex::Complex, FftPlanner};
    let m = reference.len();
    if recording.len() < m {
        return Vec::new();
    }
    let n = (recording.len() + m).next_power_of_two();
    let mut planner = FftPlanner::<f64>::new();
    let fft = planner.plan_fft_forward(n);
    let ifft = planner.plan_fft_inverse(n);
    let complex = |samples: &[f32]| -> Vec<Complex<f64>> {
        samples
            .iter()
            .map(|&x| Complex::new(f64::from(x), 0.0))
            .chain(std::iter::repeat(Complex::new(0.0, 0.0)))
            .take(n)
            .collect()
    };
    let mut a = complex(recording);
    let mut b = complex(reference);
    fft.process(&mut a);
    fft.process(&mut b);
    for (x, y) in a.iter_mut().zip(&b) {
        *x *= y.conj();
    }
    ifft.process(&mut a);
    // Energy of each recording window, by prefix sums.
    let mut prefix = Vec::with_capacity(recording.len() + 1);
    prefix.push(0.0f64);
    for &x in recording {
        prefix.push(prefix.last().unwrap() + f64::from(x) * f64::from(x));
    }
    let ref_energy: f64 = reference.iter().map(|&x| f64::from(x) * f64::from(x)).sum();
    (0..=(recording.len() - m))
        .map(|lag| {
            let window = prefix[lag + m] - prefix[lag];
            (window > 0.0).then(|| a[lag].re / n as f64 / (ref_energy * window).sqrt())
        })
        .collect()
}

/// Checks that every voiced 100 ms chunk of `reference` sits at the same lag in
/// `recording` as the whole: a dropped or repeated buffer would shift the chunks after it.
/// Returns the chunk lags that differ.
pub fn chunk_lags_off(
    reference: &[f32],
    recording: &[f32],
    rate: u32,
    lag: usize,
) -> Vec<(usize, i64)> {
    let chunk = rate as usize / 10;
    let search = rate as usize / 50; // ±20 ms
    let rms = |s: &[f32]| (s.iter().map(|x| x * x).sum::<f32>() / s.len() as f32).sqrt();
    let loudest = reference
        .chunks_exact(chunk)
        .map(rms)
        .fold(0.0f32, f32::max);
    let mut off = Vec::new();
    for (i, piece) in reference.chunks_exact(chunk).enumerate() {
        if rms(piece) < loudest * 0.1 {
            continue;
        }
        // The recording around where the chunk belongs, ±20 ms (as much as it holds).
        let start = lag + i * chunk;
        let from = start.saturating_sub(search);
        let to = (start + search + chunk).min(recording.len());
        if to < from + chunk {
            continue;
        }
        let mut best = (0i64, f64::MIN);
        for (k, ncc) in normalized_correlation(piece, &recording[from..to])
            .into_iter()
            .enumerate()
        {
            let ncc = ncc.unwrap_or(0.0);
            if ncc > best.1 {
                best = ((from + k) as i64 - start as i64, ncc);
            }
        }
        if best.0 != 0 {
            off.push((i, best.0));
        }
    }
    off
}

/// Seconds of sound (50 ms frames above -45 dBFS RMS) in `samples[from_s..to_s]`.
pub fn sound_seconds(samples: &[f32], rate: u32, from_s: f64, to_s: f64) -> f64 {
    let frame = rate as usize / 20;
    let from = ((from_s.max(0.0) * rate as f64) as usize).min(samples.len());
    let to = ((to_s.max(0.0) * rate as f64) as usize).min(samples.len());
    if to <= from {
        return 0.0;
    }
    let threshold = 10f32.powf(-45.0 / 20.0);
    samples[from..to]
        .chunks(frame)
        .filter(|c| (c.iter().map(|x| x * x).sum::<f32>() / c.len() as f32).sqrt() > threshold)
        .count() as f64
        * 0.05
}

/// Waits until `done()` holds, checking every 20 ms; panics naming `what` after `timeout`.
/// Returns when it first held. The one way a test waits for something other than a printed
/// line (a file appearing, a log's status, a device's state): never a fixed sleep.
pub fn wait_until(what: &str, timeout: Duration, mut done: impl FnMut() -> bool) -> Instant {
    let deadline = Instant::now() + timeout;
    loop {
        if done() {
            return Instant::now();
        }
        assert!(Instant::now() < deadline, "{what}: not within {timeout:?}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits until the wall clock reaches its next whole second: session folders are named to the
/// second, so a session started after this never takes the name of one started before it.
pub fn next_second() {
    let second = || {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .expect("a clock after 1970")
            .as_secs()
    };
    let now = second();
    wait_until("the clock's next second", Duration::from_secs(2), || {
        second() > now
    });
}

/// Waits until `path` exists and holds more than `min_len` bytes.
pub fn wait_for_file(path: &Path, min_len: u64, timeout: Duration) -> Instant {
    wait_until(
        &format!("{} with more than {min_len} bytes", path.display()),
        timeout,
        || std::fs::metadata(path).is_ok_and(|m| m.len() > min_len),
    )
}

/// Waits until the one session under `recordings` has a log whose `status` is `status`;
/// returns its folder and log.
pub fn wait_for_status(
    recordings: &Path,
    status: &str,
    timeout: Duration,
) -> (PathBuf, serde_json::Value) {
    let mut found = None;
    wait_until(
        &format!(
            "a session under {} with status {status:?}",
            recordings.display()
        ),
        timeout,
        || {
            let Ok(entries) = std::fs::read_dir(recordings) else {
                return false;
            };
            for dir in entries.filter_map(Result::ok).map(|e| e.path()) {
                let Ok(text) = std::fs::read_to_string(dir.join("session.json")) else {
                    continue;
                };
                // A log being replaced is read again on the next turn.
                let Ok(log) = serde_json::from_str::<serde_json::Value>(&text) else {
                    continue;
                };
                if log["status"] == status {
                    found = Some((dir, log));
                    return true;
                }
            }
            false
        },
    );
    found.expect("found when the wait ended")
}

/// A voicemock process whose stdout lines are read as they come, with their arrival times.
pub struct Running {
    pub child: Child,
    pub stdin: Option<ChildStdin>,
    lines: Receiver<(Instant, String)>,
    pub seen: Vec<(Instant, String)>,
    stderr: std::thread::JoinHandle<String>,
}

impl Running {
    pub fn spawn(cmd: &mut Command) -> Running {
        let mut child = cmd
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starting voicemock");
        let stdout = child.stdout.take().unwrap();
        let stderr = child.stderr.take().unwrap();
        let (tx, rx) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send((Instant::now(), line)).is_err() {
                    break;
                }
            }
        });
        let stderr = std::thread::spawn(move || {
            let mut s = String::new();
            let _ = std::io::Read::read_to_string(&mut BufReader::new(stderr), &mut s);
            s
        });
        Running {
            stdin: child.stdin.take(),
            child,
            lines: rx,
            seen: Vec::new(),
            stderr,
        }
    }

    /// Waits for a stdout line containing `needle`; returns when it arrived.
    pub fn wait_for(&mut self, needle: &str, timeout: Duration) -> Instant {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok((t, line)) => {
                    let hit = line.contains(needle);
                    self.seen.push((t, line));
                    if hit {
                        return t;
                    }
                }
                Err(_) => panic!(
                    "no line with {needle:?} within {timeout:?}; stdout so far:\n{}",
                    self.transcript()
                ),
            }
        }
    }

    pub fn send_line(&mut self, line: &str) -> Instant {
        let stdin = self.stdin.as_mut().expect("stdin open");
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
        Instant::now()
    }

    pub fn transcript(&self) -> String {
        self.seen
            .iter()
            .map(|(_, l)| l.as_str())
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Waits for the process to end and asserts it succeeded; returns (stdout, stderr).
    pub fn succeed(self, timeout: Duration) -> (String, String) {
        let (code, stdout, stderr) = self.finish(timeout);
        assert_eq!(code, Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
        (stdout, stderr)
    }

    /// Waits for a line with `needle`, then for the stack's microphone to be fed `wav` after
    /// `lead_in` (the candidate drawing breath once the prompt shows); returns when the line
    /// came. The sound goes to the stack this test holds.
    pub fn feed_after(
        &mut self,
        needle: &str,
        timeout: Duration,
        lead_in: Duration,
        wav: &Path,
    ) -> Instant {
        let at = self.wait_for(needle, timeout);
        std::thread::sleep(lead_in);
        feed_mic(wav);
        at
    }

    /// Waits for the process to end; returns (exit code, stdout, stderr).
    pub fn finish(mut self, timeout: Duration) -> (Option<i32>, String, String) {
        let deadline = Instant::now() + timeout;
        drop(self.stdin.take());
        let status = loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                break status;
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!(
                    "voicemock did not finish in {timeout:?}; stdout:\n{}",
                    self.transcript()
                );
            }
            std::thread::sleep(Duration::from_millis(20));
        };
        while let Ok((t, line)) = self.lines.recv_timeout(Duration::from_millis(200)) {
            self.seen.push((t, line));
        }
        let transcript = self.transcript();
        let stderr = self.stderr.join().unwrap_or_default();
        (status.code(), transcript, stderr)
    }
}

/// The real Whisper model the transcription tests use, made by `scripts/test-model` and
/// passed in VOICEMOCK_TEST_MODEL (as `scripts/test` does). With VOICEMOCK_E2E=1 a missing
/// model fails the test; otherwise the test is skipped with a note.
pub fn test_model() -> Option<PathBuf> {
    let path = std::env::var_os("VOICEMOCK_TEST_MODEL").map(PathBuf::from);
    match path {
        Some(p) if p.is_file() => return Some(p),
        _ => {}
    }
    if std::env::var("VOICEMOCK_E2E").as_deref() == Ok("1") {
        panic!(
            "VOICEMOCK_E2E=1 but VOICEMOCK_TEST_MODEL ({path:?}) is not a model file; make it \
             with scripts/test-model, or run scripts/test"
        );
    }
    eprintln!("skipping: no test model (run scripts/test to include this test)");
    None
}

/// Words for scoring a transcript: lower case, hyphens as spaces, other punctuation dropped,
/// and the abbreviations speech recognition writes spelt out ("Mr." is "mister").
pub fn scoring_words(text: &str) -> Vec<String> {
    text.to_lowercase()
        .replace(['-', '—'], " ")
        .split_whitespace()
        .map(|w| {
            w.chars()
                .filter(|c| c.is_alphanumeric() || *c == '\'')
                .collect::<String>()
        })
        .filter(|w| !w.is_empty())
        .map(|w| match w.as_str() {
            "mr" => "mister".to_string(),
            "mrs" => "missus".to_string(),
            "dr" => "doctor".to_string(),
            _ => w,
        })
        .collect()
}

/// Word errors (substitutions + deletions + insertions, by edit distance) of `hypothesis`
/// against `reference`, and the number of reference words: their ratio is the word error rate.
pub fn word_errors(reference: &str, hypothesis: &str) -> (usize, usize) {
    let r = scoring_words(reference);
    let h = scoring_words(hypothesis);
    let mut row: Vec<usize> = (0..=h.len()).collect();
    for i in 1..=r.len() {
        let mut prev_diag = row[0];
        row[0] = i;
        for j in 1..=h.len() {
            let cost = usize::from(r[i - 1] != h[j - 1]);
            let next = (row[j] + 1).min(row[j - 1] + 1).min(prev_diag + cost);
            prev_diag = row[j];
            row[j] = next;
        }
    }
    (row[h.len()], r.len())
}

/// The log of the session in folder `session`.
pub fn session_log(session: &Path) -> serde_json::Value {
    let path = session.join("session.json");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Writes `samples` to `path` as a 16-bit mono WAV at `rate` Hz.
pub fn write_wav(path: &Path, rate: u32, samples: impl IntoIterator<Item = i16>) {
    let spec = hound::WavSpec {
        channels: 1,
        sample_rate: rate,
        bits_per_sample: 16,
        sample_format: hound::SampleFormat::Int,
    };
    let mut w =
        hound::WavWriter::create(path, spec).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    for s in samples {
        w.write_sample(s).unwrap();
    }
    w.finalize().unwrap();
}
