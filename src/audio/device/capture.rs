//! The capture stream: a cpal input opened at its default configuration, its callback
//! pushing whole frames into a lock-free ring that the writer thread (`audio::writer`) drains.

use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cpal::traits::{DeviceTrait, StreamTrait};
use cpal::{FromSample, SampleFormat, SizedSample, StreamConfig};

use super::choose::{bounded, device_id, find_device};
use super::{DeviceError, Direction};
use crate::audio::writer::{Shared, StreamShape, Writer};
use crate::audio::{ActiveRecording, Fault, Microphone, TakeStats, Voice};

/// A cpal input device, opened at its default configuration.
pub struct CpalMicrophone {
    device: cpal::Device,
    config: cpal::SupportedStreamConfig,
    name: String,
}

impl CpalMicrophone {
    /// Opens the named input (or the default one) and checks that it has a usable format.
    /// Waits at most [`PROBE_WAIT`] for the sound system.
    pub fn open(wanted: Option<&str>) -> Result<Self, DeviceError> {
        let wanted = wanted.map(str::to_string);
        bounded("finding the microphone", move || {
            let (device, server_name) = find_device(Direction::Input, wanted.as_deref())?;
            let name = match server_name {
                Some(s) => format!("{s} (sound server, through ALSA pulse)"),
                None => device_id(&device).unwrap_or_else(|| "input".into()),
            };
            let config = device
                .default_input_config()
                .map_err(|e| DeviceError::Unusable {
                    direction: Direction::Input,
                    name: name.clone(),
                    reason: e.to_string(),
                })?;
            Ok(CpalMicrophone {
                device,
                config,
                name,
            })
        })?
    }

    pub fn sample_rate(&self) -> u32 {
        self.config.sample_rate()
    }

    /// Records a fixed length: exactly `seconds` of audio at the device's rate.
    pub fn start_fixed(
        &mut self,
        path: &Path,
        seconds: f64,
    ) -> Result<Box<dyn ActiveRecording>, DeviceError> {
        let frames = (seconds * f64::from(self.sample_rate())).round() as u64;
        self.start_with_limit(path, Some(frames), None)
    }

    fn start_with_limit(
        &mut self,
        path: &Path,
        max_frames: Option<u64>,
        pre_roll_frames: Option<u64>,
    ) -> Result<Box<dyn ActiveRecording>, DeviceError> {
        let unusable = |reason: String| DeviceError::Unusable {
            direction: Direction::Input,
            name: self.name.clone(),
            reason,
        };
        let stream_config: StreamConfig = self.config.config();
        let channels = usize::from(stream_config.channels.max(1));
        // Two seconds of headroom: the writer thread drains every few milliseconds.
        let capacity = (stream_config.sample_rate as usize * channels * 2).max(channels * 1024);
        let capacity = capacity - capacity % channels;
        let (producer, consumer) = rtrb::RingBuffer::new(capacity);
        let shared = Arc::new(Shared::new(pre_roll_frames.is_some()));
        let shape = StreamShape {
            channels: stream_config.channels,
            sample_rate: stream_config.sample_rate,
            max_frames,
            pre_roll_frames: pre_roll_frames.unwrap_or(0),
        };
        let writer = Writer::spawn(path, shape, consumer, Arc::clone(&shared)).map_err(|e| {
            DeviceError::File {
                path: path.display().to_string(),
                reason: e.to_string(),
            }
        })?;
        // Opened on a thread of its own: a sound server that stopped answering holds the
        // opening for ever, and the session must not wait on it.
        let (device, format, for_stream) = (
            self.device.clone(),
            self.config.sample_format(),
            Arc::clone(&shared),
        );
        let opened = crate::audio::open_detached(crate::audio::OPEN_WAIT, move || {
            let stream = build_input(&device, stream_config, format, producer, for_stream)?;
            stream.play().map_err(|e| e.to_string())?;
            Ok::<_, String>(stream)
        });
        let stream = match opened {
            Some(Ok(stream)) => stream,
            failed => {
                // Leave no half-made file behind.
                let _ = writer.finish();
                let _ = std::fs::remove_file(path);
                return Err(unusable(match failed {
                    Some(Err(e)) => e,
                    _ => format!(
                        "it did not open within {} s; is the sound server still running? \
                         `voicemock devices` lists the inputs",
                        crate::audio::OPEN_WAIT.as_secs()
                    ),
                }));
            }
        };
        Ok(Box::new(CpalRecording {
            #[cfg(target_os = "linux")]
            watch: crate::audio::pulse::SourceWatch::start(),
            stream: Some(stream),
            writer,
            shared,
            sample_rate: stream_config.sample_rate,
            max_frames,
            progress: std::cell::Cell::new((0, Instant::now())),
        }))
    }
}

impl Microphone for CpalMicrophone {
    fn start(
        &mut self,
        path: &Path,
        max_s: f64,
        pre_roll_s: Option<f64>,
    ) -> Result<Box<dyn ActiveRecording>, DeviceError> {
        let frames = |s: f64| (s * f64::from(self.sample_rate())).round().max(0.0) as u64;
        self.start_with_limit(path, Some(frames(max_s)), pre_roll_s.map(frames))
    }

    fn name(&self) -> String {
        self.name.clone()
    }
}

fn build_input(
    device: &cpal::Device,
    config: StreamConfig,
    format: SampleFormat,
    producer: rtrb::Producer<f32>,
    shared: Arc<Shared>,
) -> Result<cpal::Stream, String> {
    macro_rules! build {
        ($t:ty) => {
            build_input_typed::<$t>(device, config, producer, shared)
        };
    }
    let stream = match format {
        SampleFormat::I8 => build!(i8),
        SampleFormat::I16 => build!(i16),
        SampleFormat::I32 => build!(i32),
        SampleFormat::I64 => build!(i64),
        SampleFormat::U8 => build!(u8),
        SampleFormat::U16 => build!(u16),
        SampleFormat::U32 => build!(u32),
        SampleFormat::U64 => build!(u64),
        SampleFormat::F32 => build!(f32),
        SampleFormat::F64 => build!(f64),
        other => return Err(format!("sample format {other} is not supported")),
    };
    stream.map_err(|e| e.to_string())
}

fn build_input_typed<T>(
    device: &cpal::Device,
    config: StreamConfig,
    mut producer: rtrb::Producer<f32>,
    shared: Arc<Shared>,
) -> Result<cpal::Stream, cpal::Error>
where
    T: SizedSample,
    f32: FromSample<T>,
{
    let channels = usize::from(config.channels.max(1));
    let on_error_shared = Arc::clone(&shared);
    device.build_input_stream::<T, _, _>(
        config,
        move |data: &[T], _: &cpal::InputCallbackInfo| {
            let room = producer.slots();
            let fit = (room - room % channels).min(data.len() - data.len() % channels);
            if fit < data.len() {
                shared
                    .overruns
                    .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            }
            if fit == 0 {
                return;
            }
            if let Ok(chunk) = producer.write_chunk_uninit(fit) {
                chunk.fill_from_iter(data[..fit].iter().map(|s| s.to_sample::<f32>()));
            }
        },
        move |err: cpal::Error| {
            on_error_shared
                .stream_errors
                .fetch_add(1, Ordering::Relaxed);
            if matches!(
                err.kind(),
                cpal::ErrorKind::DeviceNotAvailable | cpal::ErrorKind::StreamInvalidated
            ) {
                on_error_shared.device_failed.store(true, Ordering::Relaxed);
            }
        },
        None,
    )
}

struct CpalRecording {
    /// Notices the sound server moving the stream to another source.
    #[cfg(target_os = "linux")]
    watch: Option<crate::audio::pulse::SourceWatch>,
    stream: Option<cpal::Stream>,
    writer: Writer,
    shared: Arc<Shared>,
    sample_rate: u32,
    /// The most the file may hold.
    max_frames: Option<u64>,
    /// Frames written when last seen to grow, and when that was.
    progress: std::cell::Cell<(u64, Instant)>,
}

/// A microphone that delivers nothing for this long has failed, whether or not the driver
/// said so (a sound server that dies can leave the stream silently waiting).
const STALL: Duration = Duration::from_secs(3);

impl ActiveRecording for CpalRecording {
    fn recent_level(&self) -> (f32, f32) {
        self.shared.recent_level()
    }

    fn recorded_s(&self) -> f64 {
        self.shared.frames_written.load(Ordering::Relaxed) as f64 / f64::from(self.sample_rate)
    }

    fn fault(&self) -> Option<Fault> {
        if let Some(fault) = self.shared.write_fault() {
            return Some(fault);
        }
        if self.shared.device_failed.load(Ordering::Relaxed) {
            return Some(Fault::DeviceLost);
        }
        // Captured, not written: a capture waiting for its beginning writes nothing yet.
        let frames = self.shared.captured.load(Ordering::Relaxed);
        let (seen, since) = self.progress.get();
        if frames != seen {
            self.progress.set((frames, Instant::now()));
            return None;
        }
        (since.elapsed() >= STALL).then_some(Fault::DeviceLost)
    }

    fn begin(&self, at_s: f64) {
        self.shared
            .begin((at_s.max(0.0) * f64::from(self.sample_rate)).round() as u64);
    }

    fn catch_up(&self, file_s: f64) {
        let rate = f64::from(self.sample_rate);
        let want =
            ((file_s.max(0.0) * rate).round() as u64).min(self.max_frames.unwrap_or(u64::MAX));
        let deadline = Instant::now() + CATCH_UP_WAIT;
        while self.shared.frames_written.load(Ordering::Relaxed) < want
            && Instant::now() < deadline
            && self.fault().is_none()
        {
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    fn file_start_s(&self) -> Option<f64> {
        self.shared
            .first_written()
            .map(|f| f as f64 / f64::from(self.sample_rate))
    }

    fn voice(&self) -> Voice {
        Voice::from_frames(self.shared.voice(), self.sample_rate)
    }

    fn mask(&self, from_s: f64, to_s: f64) {
        let rate = f64::from(self.sample_rate);
        self.shared.mask(
            (from_s.max(0.0) * rate) as u64,
            (to_s.max(0.0) * rate).ceil() as u64,
        );
    }

    fn moved_to(&self) -> Option<String> {
        #[cfg(target_os = "linux")]
        if let Some(to) = self.watch.as_ref().and_then(|w| w.moved_to()) {
            return Some(to.to_string());
        }
        None
    }

    fn stop(mut self: Box<Self>) -> Result<TakeStats, DeviceError> {
        // The stream is closed on a thread of its own: a sound server that died can leave
        // closing it stuck for ever inside the driver, and finishing the file must never wait
        // on the device. A healthy stream closes in milliseconds, and waiting for that lets
        // the writer's last drain see the last buffer.
        let device_lost = self.fault().is_some();
        if let Some(stream) = self.stream.take() {
            crate::audio::close_detached(
                stream,
                if device_lost {
                    Duration::ZERO
                } else {
                    CLOSE_WAIT
                },
            );
        }
        let path = self.writer_path();
        let stats = self.writer.finish().map_err(|e| DeviceError::File {
            path,
            reason: e.to_string(),
        })?;
        let fault = stats
            .fault
            .clone()
            .or(device_lost.then_some(Fault::DeviceLost));
        Ok(TakeStats { fault, ..stats })
    }
}

/// The longest a take's end waits for the audio captured before it to be handed over.
const CATCH_UP_WAIT: Duration = Duration::from_millis(400);

/// How long stopping a take waits for a healthy stream to close.
const CLOSE_WAIT: Duration = Duration::from_millis(500);

impl CpalRecording {
    fn writer_path(&self) -> String {
        self.writer.path().display().to_string()
    }
}
