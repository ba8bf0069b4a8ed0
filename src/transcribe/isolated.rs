//! Transcription in a child process, so that whatever whisper.cpp does with a model (abort on a
//! truncated file, run out of memory, loop for ever) costs one transcript and nothing else.
//!
//! The parent ([`IsolatedEngine`]) starts voicemock's own binary with a hidden subcommand for
//! every job, hands it the model path and the samples over stdin, and reads one answer from
//! stdout, within a time bound after which the child is killed. The child ([`serve`]) loads the
//! model, transcribes, answers and exits. A new child per job means a crash never leaves a
//! half-working engine behind. This module never names whisper-rs: the child reaches the engine
//! through [`super::load_in_process`].
//!
//! The protocol, all integers little-endian: the request is a `u32` length and that many bytes of
//! JSON ([`Request`]), then a `u64` sample count and the samples as `f32`; the answer is a `u32`
//! length and that many bytes of JSON ([`Answer`]).

use std::ffi::OsString;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

use super::{Engine, EngineError, Word, MODEL_RATE};

/// The hidden subcommand the child runs as.
pub const SUBCOMMAND: &str = "transcribe-engine";

/// Time for starting the child and loading the model, before the audio counts.
const LOAD_ALLOWANCE: Duration = Duration::from_secs(60);
/// Seconds of work allowed per second of audio on top of [`LOAD_ALLOWANCE`]: far beyond what a
/// model runs at on a slow machine, so only a hang reaches it.
const WORK_PER_AUDIO_SECOND: u32 = 10;
/// Largest request or answer header the other side accepts.
const MAX_JSON: u32 = 64 << 20;
/// Largest sample count accepted (an hour at 16 kHz): a damaged request is refused, not
/// allocated.
const MAX_SAMPLES: u64 = 3600 * MODEL_RATE as u64;
/// How much of the child's standard error is kept for the message.
const STDERR_TAIL: usize = 2048;
/// How much lower than voicemock's own the child's scheduling priority is (Linux: nice +10;
/// the kernel caps it at 19).
#[cfg(target_os = "linux")]
const BACKGROUND_NICE: i32 = 10;

#[derive(Debug, Serialize, Deserialize)]
struct Request {
    model: PathBuf,
    threads: usize,
}

#[derive(Debug, Serialize, Deserialize)]
enum Answer {
    Words(Vec<Word>),
    LoadFailed(String),
    RunFailed(String),
}

/// An engine that runs every job in a fresh child process.
pub struct IsolatedEngine {
    program: PathBuf,
    args: Vec<OsString>,
    model_path: PathBuf,
    model: String,
    threads: usize,
    /// A fixed bound instead of the one computed from the audio's length (for tests).
    limit: Option<Duration>,
}

impl IsolatedEngine {
    /// An engine for the model at `path` whose jobs run in this very binary's hidden
    /// subcommand. Nothing is loaded yet: each job loads the model in its own child.
    pub fn new(path: &Path, threads: usize) -> Result<IsolatedEngine, EngineError> {
        // On Linux the running binary itself, even if it was replaced or removed since.
        let own = Path::new("/proc/self/exe");
        let program = if cfg!(target_os = "linux") && own.exists() {
            own.to_path_buf()
        } else {
            std::env::current_exe().map_err(|e| EngineError::Load {
                path: path.to_path_buf(),
                message: format!("cannot find voicemock's own program to run the engine in: {e}"),
            })?
        };
        Ok(IsolatedEngine::with_program(
            program,
            vec![SUBCOMMAND.into()],
            path,
            threads,
        ))
    }

    /// An engine whose child is `program args…` (which must speak the protocol).
    pub fn with_program(
        program: PathBuf,
        args: Vec<OsString>,
        path: &Path,
        threads: usize,
    ) -> IsolatedEngine {
        IsolatedEngine {
            program,
            args,
            model_path: path.to_path_buf(),
            model: super::model_name(path),
            threads: threads.max(1),
            limit: None,
        }
    }

    /// Bounds every job to `limit` instead of a bound from the audio's length.
    pub fn with_limit(mut self, limit: Duration) -> IsolatedEngine {
        self.limit = Some(limit);
        self
    }

    fn limit_for(&self, samples: usize) -> Duration {
        self.limit.unwrap_or_else(|| {
            let audio_s = samples as f64 / MODEL_RATE as f64;
            LOAD_ALLOWANCE + Duration::from_secs_f64(audio_s * WORK_PER_AUDIO_SECOND as f64)
        })
    }

    fn failed(&self, what: String) -> EngineError {
        EngineError::Run(format!(
            "the transcription engine {what} with the model {}",
            self.model_path.display()
        ))
    }

    fn spawn(&self) -> Result<Child, EngineError> {
        let mut cmd = Command::new(&self.program);
        // ggml's own abort would otherwise run a debugger for a backtrace nobody reads.
        cmd.args(&self.args)
            .env("GGML_NO_BACKTRACE", "1")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        #[cfg(target_os = "linux")]
        {
            use std::os::unix::process::CommandExt;
            // SAFETY: prctl and nice are single system calls, safe between fork and exec.
            // prctl asks the kernel to kill the child when the thread that started it ends, so
            // an abandoned job never outlives its session. nice makes transcription background
            // work: it runs while the next answer is recorded, and on a busy machine it must
            // give the CPU to the capture, the playback and the timer, never take it from them.
            unsafe {
                cmd.pre_exec(|| {
                    libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
                    libc::nice(BACKGROUND_NICE);
                    Ok(())
                });
            }
        }
        cmd.spawn()
            .map_err(|e| self.failed(format!("could not be started ({e})")))
    }
}

impl Engine for IsolatedEngine {
    fn words(&mut self, samples_16k: &[f32]) -> Result<Vec<Word>, EngineError> {
        let limit = self.limit_for(samples_16k.len());
        let deadline = Instant::now() + limit;
        let mut child = self.spawn()?;
        let request = encode_request(
            &Request {
                model: self.model_path.clone(),
                threads: self.threads,
            },
            samples_16k,
        );
        let (Some(mut stdin), Some(mut stdout), Some(mut stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(self.failed("had no pipes".into()));
        };
        // Writing may block until the child reads, and the child may never read: a thread.
        std::thread::spawn(move || {
            let _ = stdin.write_all(&request);
        });
        let (err_tx, err_rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut all = Vec::new();
            let _ = stderr.read_to_end(&mut all);
            let _ = err_tx.send(all);
        });
        let (out_tx, out_rx) = mpsc::channel();
        std::thread::spawn(move || {
            let mut all = Vec::new();
            let result = stdout.read_to_end(&mut all).map(|_| all);
            let _ = out_tx.send(result);
        });
        let answer = out_rx.recv_timeout(limit);
        let status = match answer {
            Ok(_) => wait_until(&mut child, deadline),
            Err(_) => None,
        };
        let Some(status) = status else {
            let _ = child.kill();
            let _ = child.wait();
            return Err(self.failed(format!(
                "did not finish within {} s and was stopped",
                limit.as_secs()
            )));
        };
        let stderr_tail = err_rx
            .recv_timeout(Duration::from_secs(1))
            .map(|bytes| last_line(&bytes))
            .unwrap_or_default();
        let answer = answer
            .ok()
            .and_then(|r| r.ok())
            .and_then(|bytes| decode_answer(&bytes));
        match (answer, status.success()) {
            (Some(Answer::Words(words)), true) => Ok(words),
            (Some(Answer::LoadFailed(message)), _) => Err(EngineError::Load {
                path: self.model_path.clone(),
                message,
            }),
            (Some(Answer::RunFailed(message)), _) => Err(EngineError::Run(message)),
            _ => Err(EngineError::Run(format!(
                "the transcription engine {} with the model {}{}",
                describe_exit(status),
                self.model_path.display(),
                if stderr_tail.is_empty() {
                    String::new()
                } else {
                    format!(": {stderr_tail}")
                }
            ))),
        }
    }

    fn model(&self) -> &str {
        &self.model
    }
}

/// Waits for the child to exit until `deadline`; `None` if it is still running then.
fn wait_until(child: &mut Child, deadline: Instant) -> Option<ExitStatus> {
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Some(status),
            Ok(None) if Instant::now() < deadline => std::thread::sleep(Duration::from_millis(10)),
            _ => return None,
        }
    }
}

fn describe_exit(status: ExitStatus) -> String {
    #[cfg(unix)]
    {
        use std::os::unix::process::ExitStatusExt;
        if let Some(signal) = status.signal() {
            let name = match signal {
                libc::SIGABRT => " (abort)",
                libc::SIGSEGV => " (segmentation fault)",
                libc::SIGKILL => " (killed, perhaps for lack of memory)",
                libc::SIGBUS => " (bus error)",
                libc::SIGILL => " (illegal instruction)",
                libc::SIGFPE => " (arithmetic error)",
                _ => "",
            };
            return format!("crashed on signal {signal}{name}");
        }
    }
    match status.code() {
        Some(code) => format!("ended with exit code {code} without an answer"),
        None => "ended without an answer".into(),
    }
}

/// The last non-empty line of what the child wrote to its standard error, shortened.
fn last_line(bytes: &[u8]) -> String {
    let tail = &bytes[bytes.len().saturating_sub(STDERR_TAIL)..];
    let text = String::from_utf8_lossy(tail);
    let line = text
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or_default();
    crate::ui::visible(line).into_owned()
}

fn encode_request(request: &Request, samples: &[f32]) -> Vec<u8> {
    // Serializing a path and a number cannot fail.
    let json = serde_json::to_vec(request).unwrap_or_default();
    let mut out = Vec::with_capacity(12 + json.len() + samples.len() * 4);
    out.extend_from_slice(&(json.len() as u32).to_le_bytes());
    out.extend_from_slice(&json);
    out.extend_from_slice(&(samples.len() as u64).to_le_bytes());
    for s in samples {
        out.extend_from_slice(&s.to_le_bytes());
    }
    out
}

fn decode_answer(bytes: &[u8]) -> Option<Answer> {
    let len = u32::from_le_bytes(bytes.get(..4)?.try_into().ok()?);
    if len > MAX_JSON {
        return None;
    }
    let json = bytes.get(4..4 + len as usize)?;
    serde_json::from_slice(json).ok()
}

fn read_request(input: &mut dyn Read) -> Result<(Request, Vec<f32>), String> {
    let mut word = [0u8; 4];
    input
        .read_exact(&mut word)
        .map_err(|e| format!("reading the request: {e}"))?;
    let len = u32::from_le_bytes(word);
    if len > MAX_JSON {
        return Err(format!("a request header of {len} bytes"));
    }
    let mut json = vec![0u8; len as usize];
    input
        .read_exact(&mut json)
        .map_err(|e| format!("reading the request: {e}"))?;
    let request: Request =
        serde_json::from_slice(&json).map_err(|e| format!("a damaged request: {e}"))?;
    let mut count = [0u8; 8];
    input
        .read_exact(&mut count)
        .map_err(|e| format!("reading the request: {e}"))?;
    let count = u64::from_le_bytes(count);
    if count > MAX_SAMPLES {
        return Err(format!("a request of {count} samples"));
    }
    let mut raw = vec![0u8; count as usize * 4];
    input
        .read_exact(&mut raw)
        .map_err(|e| format!("reading the samples: {e}"))?;
    let samples = raw
        .chunks_exact(4)
        .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .collect();
    Ok((request, samples))
}

/// The child's side: one request from stdin, one answer to stdout. The answer is the protocol,
/// not output for a person, so it bypasses `ui`.
pub fn serve() -> anyhow::Result<()> {
    let (request, samples) =
        read_request(&mut std::io::stdin().lock()).map_err(|e| anyhow::anyhow!(e))?;
    let answer = match super::load_in_process(&request.model, request.threads) {
        Err(EngineError::Load { message, .. }) => Answer::LoadFailed(message),
        Err(e) => Answer::RunFailed(e.to_string()),
        Ok(mut engine) => match engine.words(&samples) {
            Ok(words) => Answer::Words(words),
            Err(e) => Answer::RunFailed(e.to_string()),
        },
    };
    let json = serde_json::to_vec(&answer)?;
    let mut out = std::io::stdout().lock();
    out.write_all(&(json.len() as u32).to_le_bytes())?;
    out.write_all(&json)?;
    out.flush()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An engine whose child is `sh -c script`.
    fn shell(script: &str) -> IsolatedEngine {
        IsolatedEngine::with_program(
            "sh".into(),
            vec!["-c".into(), script.into()],
            Path::new("/models/ggml-base.en.bin"),
            1,
        )
        .with_limit(Duration::from_secs(2))
    }

    fn answer_bytes(answer: &Answer) -> Vec<u8> {
        let json = serde_json::to_vec(answer).unwrap();
        let mut out = (json.len() as u32).to_le_bytes().to_vec();
        out.extend_from_slice(&json);
        out
    }

    #[test]
    fn a_request_reads_back_as_written() {
        let samples = [0.0, -1.0, 0.5, f32::MIN_POSITIVE];
        let bytes = encode_request(
            &Request {
                model: "/m/ggml-x.bin".into(),
                threads: 3,
            },
            &samples,
        );
        let (request, back) = read_request(&mut bytes.as_slice()).unwrap();
        assert_eq!(request.model, Path::new("/m/ggml-x.bin"));
        assert_eq!(request.threads, 3);
        assert_eq!(back, samples);
        // Cut anywhere, it is refused rather than half read.
        for cut in [0, 3, 10, bytes.len() - 1] {
            assert!(read_request(&mut &bytes[..cut]).is_err(), "cut at {cut}");
        }
    }

    #[test]
    fn an_answer_from_the_child_comes_back() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("answer");
        let words = vec![Word {
            text: "hello".into(),
            start_s: 0.1,
            end_s: 0.4,
        }];
        std::fs::write(&file, answer_bytes(&Answer::Words(words.clone()))).unwrap();
        let mut engine = shell(&format!("cat >/dev/null; cat '{}'", file.display()));
        assert_eq!(engine.words(&[0.0; 16_000]).unwrap(), words);
        assert_eq!(engine.model(), "base.en");
        std::fs::write(&file, answer_bytes(&Answer::LoadFailed("bad magic".into()))).unwrap();
        let err = engine.words(&[0.0; 16]).unwrap_err();
        assert!(
            matches!(&err, EngineError::Load { message, .. } if message == "bad magic"),
            "{err}"
        );
    }

    #[test]
    fn a_crash_a_hang_or_garbage_cost_one_answer_and_say_what_happened() {
        let cases = [
            (
                "echo \"terminate called after throwing an instance of 'std::out_of_range'\" >&2; \
                 kill -ABRT $$",
                "crashed on signal 6 (abort) with the model /models/ggml-base.en.bin: \
                 terminate called after throwing an instance of 'std::out_of_range'",
            ),
            ("exec sleep 30", "did not finish within 2 s and was stopped"),
            (
                "exec >&-; sleep 30",
                "did not finish within 2 s and was stopped",
            ),
            (
                "echo garbage; exit 0",
                "ended with exit code 0 without an answer",
            ),
            ("exit 3", "ended with exit code 3 without an answer"),
        ];
        for (script, expected) in cases {
            let started = Instant::now();
            let err = shell(script)
                .words(&[0.25; 48_000])
                .unwrap_err()
                .to_string();
            assert!(err.contains(expected), "{script}: {err}");
            assert!(
                started.elapsed() < Duration::from_secs(5),
                "{script} took {:?}",
                started.elapsed()
            );
        }
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn the_child_runs_below_the_recording_s_priority() {
        // What a child started plainly gets (voicemock's own niceness), then the engine's.
        let plain = std::process::Command::new("nice").output().unwrap();
        let own: i32 = String::from_utf8_lossy(&plain.stdout)
            .trim()
            .parse()
            .unwrap();
        let err = shell("echo \"niceness $(nice)\" >&2; exit 3")
            .words(&[0.25; 16_000])
            .unwrap_err()
            .to_string();
        let expected = (own + BACKGROUND_NICE).min(19);
        assert!(
            own < 19,
            "the test itself runs at the lowest priority: nothing to compare"
        );
        assert!(err.ends_with(&format!("niceness {expected}")), "{err}");
    }

    #[test]
    fn the_child_subcommand_is_one_the_command_line_knows() {
        use clap::Parser;
        let cli = crate::cli::Cli::try_parse_from(["voicemock", SUBCOMMAND]).unwrap();
        assert!(matches!(cli.command, crate::cli::Command::TranscribeEngine));
    }

    #[test]
    fn a_program_that_does_not_exist_is_an_error() {
        let mut engine = IsolatedEngine::with_program(
            "/nonexistent/voicemock".into(),
            Vec::new(),
            Path::new("/m.bin"),
            1,
        );
        let err = engine.words(&[0.0; 10]).unwrap_err().to_string();
        assert!(err.contains("could not be started"), "{err}");
    }
}
