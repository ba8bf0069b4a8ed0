//! The capture writer: drains the ring buffer that the audio callback fills, downmixes to
//! mono, and streams 16-bit PCM into a WAV file on its own thread.
//!
//! Everything that may block or allocate (file I/O, format conversion, level tracking) happens
//! here, never in the device callback. The WAV header is flushed at least once a second, so a
//! crash or a kill leaves a playable file holding all but the last second.

use std::fs::File;
use std::io::BufWriter;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::convert::{downmix_into, f32_to_i16};
use super::level::LevelStats;
use super::TakeStats;

/// State shared between the device callback, the writer thread and the controller.
/// Only atomics: the callback must never lock.
#[derive(Debug, Default)]
pub struct Shared {
    pub overruns: AtomicU64,
    pub stream_errors: AtomicU64,
    pub device_failed: AtomicBool,
    pub frames_written: AtomicU64,
    recent_peak: AtomicU32,
    recent_rms: AtomicU32,
    stop: AtomicBool,
}

impl Shared {
    pub fn recent_level(&self) -> (f32, f32) {
        (
            f32::from_bits(self.recent_peak.load(Ordering::Relaxed)),
            f32::from_bits(self.recent_rms.load(Ordering::Relaxed)),
        )
    }

    fn publish_level(&self, window: &LevelStats) {
        self.recent_peak
            .store(window.peak.to_bits(), Ordering::Relaxed);
        self.recent_rms
            .store(window.rms().to_bits(), Ordering::Relaxed);
    }
}

/// Creates `path` for writing, refusing to replace an existing file, readable only by its
/// owner where the platform has such permissions.
pub fn create_private_file(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// What the writer needs to know about the stream it drains.
#[derive(Debug, Clone, Copy)]
pub struct StreamShape {
    pub channels: u16,
    pub sample_rate: u32,
    /// Stop writing after this many mono frames (a fixed-length recording), if set.
    pub max_frames: Option<u64>,
}

pub struct Writer {
    handle: JoinHandle<Result<WriterTotals, hound::Error>>,
    shared: Arc<Shared>,
    path: PathBuf,
    sample_rate: u32,
}

struct WriterTotals {
    frames: u64,
    level: LevelStats,
}

impl Writer {
    /// Creates the WAV file and starts the thread that fills it from `consumer`, whose capacity
    /// must be a whole number of frames.
    pub fn spawn(
        path: &Path,
        shape: StreamShape,
        consumer: rtrb::Consumer<f32>,
        shared: Arc<Shared>,
    ) -> std::io::Result<Writer> {
        let file = create_private_file(path)?;
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: shape.sample_rate,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let wav = hound::WavWriter::new(BufWriter::new(file), spec)
            .map_err(|e| std::io::Error::other(e.to_string()))?;
        let thread_shared = Arc::clone(&shared);
        let handle = std::thread::Builder::new()
            .name("voicemock-wav-writer".into())
            .spawn(move || drain(wav, shape, consumer, &thread_shared))?;
        Ok(Writer {
            handle,
            shared,
            path: path.to_path_buf(),
            sample_rate: shape.sample_rate,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Asks the thread to write what is left and finalize the file. The producer side must
    /// already be stopped (the stream dropped) so that nothing arrives after the drain.
    pub fn finish(self) -> Result<TakeStats, hound::Error> {
        self.shared.stop.store(true, Ordering::Release);
        let totals = self.handle.join().unwrap_or_else(|_| {
            Err(hound::Error::IoError(std::io::Error::other(
                "writer thread panicked",
            )))
        })?;
        Ok(TakeStats {
            path: self.path,
            sample_rate: self.sample_rate,
            frames: totals.frames,
            peak: totals.level.peak,
            rms: totals.level.rms(),
            clipped_fraction: totals.level.clipped_fraction(),
            overruns: self.shared.overruns.load(Ordering::Relaxed),
            stream_errors: self.shared.stream_errors.load(Ordering::Relaxed),
        })
    }
}

fn drain(
    mut wav: hound::WavWriter<BufWriter<File>>,
    shape: StreamShape,
    mut consumer: rtrb::Consumer<f32>,
    shared: &Shared,
) -> Result<WriterTotals, hound::Error> {
    let channels = usize::from(shape.channels.max(1));
    let meter_frames = (shape.sample_rate / 10).max(1) as u64;
    let mut mono = Vec::with_capacity(shape.sample_rate as usize);
    let mut totals = WriterTotals {
        frames: 0,
        level: LevelStats::default(),
    };
    let mut window = LevelStats::default();
    let mut window_frames = 0u64;
    let mut last_flush = Instant::now();
    loop {
        // Read the stop flag before draining, so the last drain sees everything that was
        // pushed before the stream was stopped.
        let stopping = shared.stop.load(Ordering::Acquire);
        let slots = consumer.slots();
        let available = slots - slots % channels;
        if available > 0 {
            let chunk = consumer
                .read_chunk(available)
                .expect("slots() said these samples are there");
            let (a, b) = chunk.as_slices();
            mono.clear();
            // The ring buffer's capacity is a whole number of frames and only whole frames go
            // in and out, so the wrap-around point never splits a frame.
            debug_assert_eq!(a.len() % channels, 0, "a frame straddles the ring's seam");
            downmix_into(a, channels, &mut mono);
            downmix_into(b, channels, &mut mono);
            chunk.commit_all();

            if let Some(max) = shape.max_frames {
                let room = max.saturating_sub(totals.frames) as usize;
                mono.truncate(room);
            }
            for &s in &mono {
                wav.write_sample(f32_to_i16(s))?;
            }
            totals.frames += mono.len() as u64;
            totals.level.add(&mono);
            window.add(&mono);
            window_frames += mono.len() as u64;
            if window_frames >= meter_frames {
                shared.publish_level(&window);
                window = LevelStats::default();
                window_frames = 0;
            }
            shared
                .frames_written
                .store(totals.frames, Ordering::Relaxed);
        }
        if last_flush.elapsed() >= Duration::from_millis(500) {
            wav.flush()?;
            last_flush = Instant::now();
        }
        if stopping {
            break;
        }
        if available == 0 {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    wav.finalize()?;
    Ok(totals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_whole_stream_as_mono_pcm() {
        let dir = std::env::temp_dir().join(format!("voicemock-writer-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("take.wav");
        let _ = std::fs::remove_file(&path);
        let (mut producer, consumer) = rtrb::RingBuffer::new(64);
        let shared = Arc::new(Shared::default());
        let shape = StreamShape {
            channels: 2,
            sample_rate: 8000,
            max_frames: None,
        };
        let writer = Writer::spawn(&path, shape, consumer, Arc::clone(&shared)).unwrap();
        // 1000 stereo frames, pushed in small pieces so the buffer wraps many times.
        let mut pushed = 0;
        while pushed < 1000 {
            if producer.slots() >= 4 {
                let v = (pushed % 100) as f32 / 200.0;
                producer.push(v).unwrap();
                producer.push(-v).unwrap();
                producer.push(v).unwrap();
                producer.push(v).unwrap();
                pushed += 2;
            } else {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        while shared.frames_written.load(Ordering::Relaxed) < 1000 {
            std::thread::sleep(Duration::from_millis(1));
        }
        let stats = writer.finish().unwrap();
        assert_eq!(stats.frames, 1000);
        let reader = hound::WavReader::open(&path).unwrap();
        assert_eq!(reader.spec().channels, 1);
        assert_eq!(reader.spec().bits_per_sample, 16);
        let samples: Vec<i16> = reader.into_samples().map(Result::unwrap).collect();
        assert_eq!(samples.len(), 1000);
        // Pair k holds frames (v, -v) -> 0 and (v, v) -> v, with v = (2k mod 100) / 200.
        assert_eq!(samples[0], 0);
        assert_eq!(samples[3], f32_to_i16(2.0 / 200.0));
        assert_eq!(samples[999], f32_to_i16(98.0 / 200.0));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        // Never overwrites: a second writer on the same path is refused.
        let (_p, c) = rtrb::RingBuffer::new(4);
        assert!(Writer::spawn(&path, shape, c, Arc::new(Shared::default())).is_err());
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
