//! Transcription in the background, for the session: finished takes go in through a channel, and
//! transcripts come back through another, on a thread of its own that runs at a lower priority
//! than capture and the session loop. The loop never waits for it: it submits a take and polls
//! for results (`try_results`) on its usual tick, and collects the rest when the session ends.
//!
//! The engine is made on the worker thread (loading a model takes time), with the thread count
//! the caller chose; [`super::engine_threads`] leaves one core to the session.

use std::path::PathBuf;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::{transcribe_file, Engine, EngineError, Transcript};

/// How much lower than the session the worker runs (a nice increment, on Linux).
pub const NICE_INCREMENT: i32 = 10;

/// A take to transcribe. `key` is the caller's (e.g. question and take number), returned as is.
#[derive(Debug, Clone, PartialEq)]
pub struct Job {
    pub key: String,
    pub wav: PathBuf,
}

/// A finished job: the transcript, or why there is none (a message fit for the user).
#[derive(Debug)]
pub struct Done {
    pub key: String,
    pub wav: PathBuf,
    pub result: Result<Transcript, String>,
    /// How long the transcription itself took.
    pub seconds: f64,
}

pub struct Worker {
    jobs: Option<Sender<Job>>,
    done: Receiver<Done>,
    handle: Option<JoinHandle<()>>,
}

impl Worker {
    /// Starts the thread; `make_engine` runs on it, once, before the first job.
    pub fn spawn<F>(make_engine: F) -> Worker
    where
        F: FnOnce() -> Result<Box<dyn Engine>, EngineError> + Send + 'static,
    {
        let (job_tx, job_rx) = mpsc::channel::<Job>();
        let (done_tx, done_rx) = mpsc::channel::<Done>();
        let handle = std::thread::Builder::new()
            .name("transcribe".into())
            .spawn(move || {
                lower_this_threads_priority();
                let mut engine = make_engine().map_err(|e| e.to_string());
                for job in job_rx {
                    let started = Instant::now();
                    let result = match engine.as_mut() {
                        Ok(engine) => {
                            transcribe_file(engine.as_mut(), &job.wav).map_err(|e| e.to_string())
                        }
                        Err(message) => Err(message.clone()),
                    };
                    let done = Done {
                        key: job.key,
                        wav: job.wav,
                        result,
                        seconds: started.elapsed().as_secs_f64(),
                    };
                    if done_tx.send(done).is_err() {
                        return; // nobody is listening any more
                    }
                }
            })
            .expect("spawning a thread");
        Worker {
            jobs: Some(job_tx),
            done: done_rx,
            handle: Some(handle),
        }
    }

    /// Queues a take; never blocks.
    pub fn submit(&self, job: Job) {
        if let Some(tx) = &self.jobs {
            // A send fails only if the thread died; its jobs then never report, which
            // `finish` shows as missing results rather than a hang.
            let _ = tx.send(job);
        }
    }

    /// The results finished so far; never blocks.
    pub fn try_results(&self) -> Vec<Done> {
        self.done.try_iter().collect()
    }

    /// Stops taking jobs and waits up to `limit` for those queued; returns what finished. A
    /// worker still busy at the limit is left to end on its own (its results are dropped).
    pub fn finish(mut self, limit: Duration) -> Vec<Done> {
        drop(self.jobs.take());
        let deadline = Instant::now() + limit;
        let mut out = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.done.recv_timeout(left) {
                Ok(done) => out.push(done),
                Err(RecvTimeoutError::Disconnected) => {
                    if let Some(h) = self.handle.take() {
                        let _ = h.join();
                    }
                    return out;
                }
                Err(RecvTimeoutError::Timeout) => return out,
            }
        }
    }
}

/// Makes the calling thread (and the threads it starts, which inherit it) yield to the session
/// and the capture writer. On Linux `setpriority` on a thread id applies to that thread alone.
fn lower_this_threads_priority() {
    #[cfg(target_os = "linux")]
    // SAFETY: plain system calls on the calling thread's own id.
    unsafe {
        let tid = libc::syscall(libc::SYS_gettid) as libc::id_t;
        let now = libc::getpriority(libc::PRIO_PROCESS, tid);
        libc::setpriority(libc::PRIO_PROCESS, tid, (now + NICE_INCREMENT).min(19));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::transcribe::Word;
    use std::path::Path;
    use std::sync::{Arc, Mutex};

    /// Says "take" once per call and notes the nice value of the thread it runs on.
    struct Fake {
        nice_seen: Arc<Mutex<Vec<i32>>>,
        delay: Duration,
    }

    impl Engine for Fake {
        fn words(&mut self, _samples: &[f32]) -> Result<Vec<Word>, EngineError> {
            #[cfg(target_os = "linux")]
            // SAFETY: reads the calling thread's priority.
            let nice = unsafe {
                libc::getpriority(
                    libc::PRIO_PROCESS,
                    libc::syscall(libc::SYS_gettid) as libc::id_t,
                )
            };
            #[cfg(not(target_os = "linux"))]
            let nice = NICE_INCREMENT;
            self.nice_seen.lock().unwrap().push(nice);
            std::thread::sleep(self.delay);
            Ok(vec![Word {
                text: "take".into(),
                start_s: 0.0,
                end_s: 0.5,
            }])
        }
        fn model(&self) -> &str {
            "fake"
        }
    }

    fn write_wav(path: &Path) {
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 16_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(path, spec).unwrap();
        for i in 0..32_000 {
            let t = i as f64 / 16_000.0;
            let on = (0.5..1.5).contains(&t);
            let s = if on {
                (2.0 * std::f64::consts::PI * 200.0 * t).sin() * 8_000.0
            } else {
                0.0
            };
            w.write_sample(s as i16).unwrap();
        }
        w.finalize().unwrap();
    }

    #[test]
    fn takes_come_back_in_order_from_a_lower_priority_thread_without_blocking_the_caller() {
        let dir = tempfile::tempdir().unwrap();
        let nice_seen = Arc::new(Mutex::new(Vec::new()));
        let seen = nice_seen.clone();
        let worker = Worker::spawn(move || {
            Ok(Box::new(Fake {
                nice_seen: seen,
                delay: Duration::from_millis(150),
            }) as Box<dyn Engine>)
        });
        let submitted = Instant::now();
        for k in 0..3 {
            let wav = dir.path().join(format!("q{k}.wav"));
            write_wav(&wav);
            worker.submit(Job {
                key: format!("q{k}"),
                wav,
            });
        }
        let early = worker.try_results();
        assert!(
            submitted.elapsed() < Duration::from_millis(140),
            "submit blocked"
        );
        assert!(early.len() < 3, "results cannot all be ready yet");
        let mut all = early;
        all.extend(worker.finish(Duration::from_secs(10)));
        let keys: Vec<_> = all.iter().map(|d| d.key.as_str()).collect();
        assert_eq!(keys, ["q0", "q1", "q2"]);
        for d in &all {
            let t = d.result.as_ref().unwrap();
            assert_eq!(t.text, "take");
            assert!(d.seconds >= 0.15);
        }
        // SAFETY: reads this thread's priority.
        #[cfg(target_os = "linux")]
        let ours = unsafe {
            libc::getpriority(
                libc::PRIO_PROCESS,
                libc::syscall(libc::SYS_gettid) as libc::id_t,
            )
        };
        #[cfg(not(target_os = "linux"))]
        let ours = 0;
        for nice in nice_seen.lock().unwrap().iter() {
            assert!(
                *nice >= (ours + NICE_INCREMENT).min(19),
                "worker ran at nice {nice}, the caller at {ours}"
            );
        }
    }

    #[test]
    fn an_engine_that_cannot_load_reports_on_every_take() {
        let dir = tempfile::tempdir().unwrap();
        let worker = Worker::spawn(|| {
            Err(EngineError::Load {
                path: "/nowhere/ggml-base.en.bin".into(),
                message: "no such file".into(),
            })
        });
        let wav = dir.path().join("q0.wav");
        write_wav(&wav);
        for k in 0..2 {
            worker.submit(Job {
                key: format!("q{k}"),
                wav: wav.clone(),
            });
        }
        let done = worker.finish(Duration::from_secs(5));
        assert_eq!(done.len(), 2);
        for d in done {
            let err = d.result.unwrap_err();
            assert!(err.contains("cannot load the model"), "{err}");
        }
    }

    #[test]
    fn a_missing_take_is_an_error_not_a_stop() {
        let nice_seen = Arc::new(Mutex::new(Vec::new()));
        let worker = Worker::spawn(move || {
            Ok(Box::new(Fake {
                nice_seen,
                delay: Duration::ZERO,
            }) as Box<dyn Engine>)
        });
        worker.submit(Job {
            key: "gone".into(),
            wav: "/nonexistent/take.wav".into(),
        });
        let done = worker.finish(Duration::from_secs(5));
        assert_eq!(done.len(), 1);
        assert!(done[0].result.is_err());
    }
}
