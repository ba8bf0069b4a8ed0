//! A test microphone compiled into the binary, reached only through a hidden flag of `run`
//! (`--test-microphone fast`): it delivers a tone as fast as the writer takes it, as a
//! device with no clock (ALSA's `null`) does. `fast-then-fail` records its first take so and
//! refuses to start any later one, as a device unplugged between answers does. It goes through the same ring buffer and writer
//! as a real device, so the end-to-end tests can prove what no real device can show on demand.

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;

use super::writer::{Shared, StreamShape, Writer};
use super::{ActiveRecording, DeviceError, Fault, Microphone, TakeStats, Voice};

/// The kinds `--test-microphone` takes.
pub const KINDS: &[&str] = &["fast", "fast-then-fail"];

pub struct FastMicrophone {
    sample_rate: u32,
    /// Takes it starts before it fails to start any more (`None`: never fails).
    takes_before_failing: Option<u32>,
    started: u32,
}

impl FastMicrophone {
    pub fn open(kind: &str) -> Result<FastMicrophone, DeviceError> {
        match kind {
            "fast" => Ok(FastMicrophone {
                sample_rate: 48_000,
                takes_before_failing: None,
                started: 0,
            }),
            "fast-then-fail" => Ok(FastMicrophone {
                sample_rate: 48_000,
                takes_before_failing: Some(1),
                started: 0,
            }),
            other => Err(DeviceError::NotFound {
                direction: super::device::Direction::Input,
                wanted: other.to_string(),
                available: KINDS.iter().map(|k| k.to_string()).collect(),
            }),
        }
    }
}

impl Microphone for FastMicrophone {
    fn start(
        &mut self,
        path: &Path,
        max_s: f64,
        pre_roll_s: Option<f64>,
    ) -> Result<Box<dyn ActiveRecording>, DeviceError> {
        if self.takes_before_failing.is_some_and(|n| self.started >= n) {
            return Err(DeviceError::Unusable {
                direction: super::device::Direction::Input,
                name: self.name(),
                reason: "it went away".into(),
            });
        }
        self.started += 1;
        let rate = self.sample_rate;
        let (mut producer, consumer) = rtrb::RingBuffer::new(rate as usize / 10);
        let shared = Arc::new(Shared::new(pre_roll_s.is_some()));
        let frames = |s: f64| (s * f64::from(rate)).round().max(0.0) as u64;
        let shape = StreamShape {
            channels: 1,
            sample_rate: rate,
            max_frames: Some(frames(max_s)),
            pre_roll_frames: pre_roll_s.map_or(0, frames),
        };
        let writer = Writer::spawn(path, shape, consumer, Arc::clone(&shared)).map_err(|e| {
            DeviceError::File {
                path: path.display().to_string(),
                reason: e.to_string(),
            }
        })?;
        let stop = Arc::new(AtomicBool::new(false));
        let generator_stop = Arc::clone(&stop);
        let generator = std::thread::spawn(move || {
            let step = 220.0 * std::f32::consts::TAU / rate as f32;
            let mut n = 0u64;
            while !generator_stop.load(Ordering::Relaxed) {
                let room = producer.slots();
                if room == 0 {
                    std::thread::yield_now();
                    continue;
                }
                if let Ok(chunk) = producer.write_chunk_uninit(room) {
                    chunk.fill_from_iter((0..room).map(|i| {
                        let phase = ((n + i as u64) % u64::from(rate)) as f32 * step;
                        0.5 * phase.sin()
                    }));
                }
                n += room as u64;
            }
        });
        Ok(Box::new(FastRecording {
            writer,
            shared,
            stop,
            generator: Some(generator),
            sample_rate: rate,
        }))
    }

    fn name(&self) -> String {
        "test microphone (faster than real time)".into()
    }
}

struct FastRecording {
    writer: Writer,
    shared: Arc<Shared>,
    stop: Arc<AtomicBool>,
    generator: Option<JoinHandle<()>>,
    sample_rate: u32,
}

impl ActiveRecording for FastRecording {
    fn recent_level(&self) -> (f32, f32) {
        self.shared.recent_level()
    }

    fn recorded_s(&self) -> f64 {
        self.shared.frames_written.load(Ordering::Relaxed) as f64 / f64::from(self.sample_rate)
    }

    fn fault(&self) -> Option<Fault> {
        self.shared.write_fault()
    }

    fn begin(&self, at_s: f64) {
        self.shared
            .begin((at_s.max(0.0) * f64::from(self.sample_rate)).round() as u64);
    }

    fn file_start_s(&self) -> Option<f64> {
        self.shared
            .first_written()
            .map(|f| f as f64 / f64::from(self.sample_rate))
    }

    fn voice(&self) -> Voice {
        Voice::from_frames(self.shared.voice(), self.sample_rate)
    }

    fn stop(mut self: Box<Self>) -> Result<TakeStats, DeviceError> {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(generator) = self.generator.take() {
            let _ = generator.join();
        }
        let path = self.writer.path().display().to_string();
        self.writer.finish().map_err(|e| DeviceError::File {
            path,
            reason: e.to_string(),
        })
    }
}
