//! The one module that names cpal: device listing and choice, the capture stream, and the
//! output device the player (`audio::player`, through rodio) opens.
//!
//! The capture callback only converts samples to `f32` and pushes whole frames into a
//! lock-free ring buffer; when the buffer is full it counts an overrun and drops that buffer.
//! It never locks, allocates, blocks or panics.

use std::fmt;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::Arc;
use std::time::{Duration, Instant};

use cpal::traits::{DeviceTrait, HostTrait, StreamTrait};
use cpal::{FromSample, SampleFormat, SizedSample, StreamConfig};

use super::writer::{Shared, StreamShape, Writer};
use super::{ActiveRecording, Fault, Microphone, TakeStats, Voice};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Input,
    Output,
}

impl fmt::Display for Direction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Direction::Input => "input",
            Direction::Output => "output",
        })
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
    #[error(
        "no {direction} device matches \"{wanted}\"; {direction}s available: {}; \
         pick one with --{direction} NAME (see `voicemock devices`)",
        list_or_none(.available)
    )]
    NotFound {
        direction: Direction,
        wanted: String,
        available: Vec<String>,
    },
    #[error(
        "no {direction} device found (no {}); {direction}s available: {}; check that one is \
         connected and enabled, then pick it with --{direction} NAME",
        if *.direction == Direction::Input { "microphone" } else { "speaker" },
        list_or_none(.available)
    )]
    NoDefault {
        direction: Direction,
        available: Vec<String>,
    },
    #[error("cannot use {direction} device \"{name}\": {reason}")]
    Unusable {
        direction: Direction,
        name: String,
        reason: String,
    },
    #[error("cannot write {path}: {reason}")]
    File { path: String, reason: String },
    #[error("playback stopped: {reason}")]
    PlaybackFailed { reason: String },
    #[error(transparent)]
    Wav(#[from] super::wav_reader::WavError),
    #[error(
        "the sound system did not answer while {what}{}: is the sound server frozen or \
         overloaded? Check it (`pactl info`), restart it if need be, and run again",
        .waited.map_or(String::new(), |w| format!(" (waited {} s)", w.as_secs()))
    )]
    NotAnswering {
        what: &'static str,
        /// How long it was waited for; `None` when it refused at once.
        waited: Option<Duration>,
    },
}

/// The longest the devices are waited for before a session (listing them, finding one):
/// a sound server that stopped answering holds ALSA's pulse plugin for ever.
pub const PROBE_WAIT: Duration = Duration::from_secs(5);

/// Runs `probe` (listing or finding devices) on a thread of its own, waiting at most
/// [`PROBE_WAIT`]. A probe left behind may hold stderr redirected ([`QuietAlsa`]), so stderr is
/// put back here before the error is returned.
fn bounded<T: Send + 'static>(
    what: &'static str,
    probe: impl FnOnce() -> T + Send + 'static,
) -> Result<T, DeviceError> {
    #[cfg(unix)]
    // SAFETY: duplicates this process's stderr; checked below before use.
    let saved = unsafe { libc::dup(2) };
    let result = super::open_detached(PROBE_WAIT, probe);
    #[cfg(unix)]
    if saved >= 0 {
        if result.is_none() {
            // SAFETY: `saved` is the duplicate of stderr made above.
            unsafe { libc::dup2(saved, 2) };
        }
        // SAFETY: closes the duplicate this function made.
        unsafe { libc::close(saved) };
    }
    result.ok_or(DeviceError::NotAnswering {
        what,
        waited: Some(PROBE_WAIT),
    })
}

fn list_or_none(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

/// One device as `voicemock devices` shows it.
#[derive(Debug, Clone)]
pub struct DeviceInfo {
    pub id: String,
    pub description: String,
    pub is_default: bool,
    pub sample_rate: u32,
    pub channels: u16,
    pub sample_format: String,
}

impl DeviceInfo {
    /// How the device is named in lists and error messages.
    pub fn label(&self) -> String {
        if self.description.is_empty() || self.description == self.id {
            self.id.clone()
        } else {
            format!("{} ({})", self.id, self.description)
        }
    }
}

/// Every usable input and output device, defaults first-marked, within [`PROBE_WAIT`].
pub fn list_devices() -> Result<(Vec<DeviceInfo>, Vec<DeviceInfo>), DeviceError> {
    bounded("listing the devices", probe_devices)
}

fn probe_devices() -> (Vec<DeviceInfo>, Vec<DeviceInfo>) {
    let _quiet = QuietAlsa::new();
    let host = cpal::default_host();
    let default_in = host.default_input_device().and_then(|d| device_id(&d));
    let default_out = host.default_output_device().and_then(|d| device_id(&d));
    let mut inputs = Vec::new();
    let mut outputs = Vec::new();
    if let Ok(devices) = host.devices() {
        for device in devices {
            let Some(id) = device_id(&device) else {
                continue;
            };
            let description = device
                .description()
                .map(|d| d.name().to_string())
                .unwrap_or_default();
            let info = |config: cpal::SupportedStreamConfig, is_default| DeviceInfo {
                id: id.clone(),
                description: description.clone(),
                is_default,
                sample_rate: config.sample_rate(),
                channels: config.channels(),
                sample_format: config.sample_format().to_string(),
            };
            if let Ok(config) = device.default_input_config() {
                inputs.push(info(config, default_in.as_deref() == Some(id.as_str())));
            }
            if let Ok(config) = device.default_output_config() {
                outputs.push(info(config, default_out.as_deref() == Some(id.as_str())));
            }
        }
    }
    (inputs, outputs)
}

/// The device's id, unless it is one no one should record from or play to: ALSA's `null`
/// device discards what it is given and delivers endless silence with no clock (a 1 s limit
/// once produced an 11-minute WAV from it), so it is never offered or chosen.
fn device_id(device: &cpal::Device) -> Option<String> {
    device
        .id()
        .ok()
        .map(|id| id.id().to_string())
        .filter(|id| !is_null_device(id))
}

fn is_null_device(id: &str) -> bool {
    id == "null" || id.ends_with(":null")
}

/// Finds a device by exact id, else by a case-insensitive substring of its id or
/// description; `None` asks for the system default.
///
/// On Linux a name the devices do not know is also looked for among the sound server's
/// sources (or sinks), by the names a mixer shows: found there, the recording goes through
/// ALSA's `pulse` device, pointed at that source. The name returned is the server's then.
fn find_device(
    direction: Direction,
    wanted: Option<&str>,
) -> Result<(cpal::Device, Option<String>), DeviceError> {
    let _quiet = QuietAlsa::new();
    let host = cpal::default_host();
    let available = || {
        let (inputs, outputs) = probe_devices();
        let list = if direction == Direction::Input {
            inputs
        } else {
            outputs
        };
        list.iter().map(DeviceInfo::label).collect::<Vec<_>>()
    };
    let usable = |d: &cpal::Device| match direction {
        Direction::Input => d.default_input_config().is_ok(),
        Direction::Output => d.default_output_config().is_ok(),
    };
    let Some(wanted) = wanted else {
        let device = match direction {
            Direction::Input => host.default_input_device(),
            Direction::Output => host.default_output_device(),
        };
        return match device {
            Some(d) if usable(&d) && device_id(&d).is_some() => Ok((d, None)),
            _ => Err(nothing_found(DeviceError::NoDefault {
                direction,
                available: available(),
            })),
        };
    };
    let candidates: Vec<(String, String, cpal::Device)> = host
        .devices()
        .map(|it| {
            it.filter(|d| usable(d))
                .filter_map(|d| {
                    let id = device_id(&d)?;
                    let desc = d
                        .description()
                        .map(|x| x.name().to_string())
                        .unwrap_or_default();
                    Some((id, desc, d))
                })
                .collect()
        })
        .unwrap_or_default();
    let needle = wanted.to_lowercase();
    let exact = candidates.iter().position(|(id, _, _)| id == wanted);
    let partial = || {
        candidates.iter().position(|(id, desc, _)| {
            id.to_lowercase().contains(&needle) || desc.to_lowercase().contains(&needle)
        })
    };
    if let Some(i) = exact.or_else(partial) {
        let device = candidates
            .into_iter()
            .nth(i)
            .expect("index from position")
            .2;
        return Ok((device, None));
    }
    #[cfg(target_os = "linux")]
    if let Some(found) = through_server(direction, wanted, &candidates) {
        return Ok(found);
    }
    let mut available = available();
    #[cfg(target_os = "linux")]
    if let Some((sources, sinks)) = super::pulse::server_devices() {
        let list = if direction == Direction::Input {
            sources
        } else {
            sinks
        };
        available.extend(
            list.iter()
                .map(|d| format!("{} (sound server)", d.description)),
        );
    }
    Err(nothing_found(DeviceError::NotFound {
        direction,
        wanted: wanted.to_string(),
        available,
    }))
}

/// A lookup that found no device at all may have met a frozen sound server rather than a
/// machine without devices: said as such when the server is there and does not answer.
fn nothing_found(err: DeviceError) -> DeviceError {
    let (DeviceError::NoDefault { available, .. } | DeviceError::NotFound { available, .. }) = &err
    else {
        return err;
    };
    #[cfg(target_os = "linux")]
    if available.is_empty() && super::pulse::server_not_answering() {
        return DeviceError::NotAnswering {
            what: "looking for devices",
            waited: None,
        };
    }
    err
}

/// `wanted` among the sound server's sources or sinks: the ALSA `pulse` device, with the
/// server told (through the environment libpulse reads when the stream connects) which source
/// or sink to use.
#[cfg(target_os = "linux")]
fn through_server(
    direction: Direction,
    wanted: &str,
    candidates: &[(String, String, cpal::Device)],
) -> Option<(cpal::Device, Option<String>)> {
    let (sources, sinks) = super::pulse::server_devices()?;
    let list = if direction == Direction::Input {
        sources
    } else {
        sinks
    };
    let found = super::pulse::find_server_device(&list, wanted)?;
    let pulse = candidates.iter().find(|(id, _, _)| id == "pulse")?;
    let var = if direction == Direction::Input {
        "PULSE_SOURCE"
    } else {
        "PULSE_SINK"
    };
    // Set while choosing devices at start-up, before the session's threads exist.
    std::env::set_var(var, &found.name);
    Some((pulse.2.clone(), Some(found.description.clone())))
}

/// Silences the chatter that ALSA and its plugins print on stderr while devices are probed
/// (on machines without JACK, the jack plugin prints a screen of errors for every probe, and
/// libjack writes straight to the file descriptor, past ALSA's error handler). Only held
/// while listing and opening devices; stderr is restored when it is dropped.
struct QuietAlsa {
    #[cfg(target_os = "linux")]
    _handler: Option<std::rc::Rc<std::cell::RefCell<alsa::Output>>>,
    #[cfg(unix)]
    saved_stderr: Option<libc::c_int>,
}

impl QuietAlsa {
    fn new() -> Self {
        #[cfg(unix)]
        let saved_stderr = {
            // SAFETY: plain descriptor calls on descriptors this function owns; on any failure
            // stderr is left as it was.
            unsafe {
                let saved = libc::dup(2);
                let null = libc::open(c"/dev/null".as_ptr(), libc::O_WRONLY);
                if saved >= 0 && null >= 0 && libc::dup2(null, 2) >= 0 {
                    libc::close(null);
                    Some(saved)
                } else {
                    if null >= 0 {
                        libc::close(null);
                    }
                    if saved >= 0 {
                        libc::close(saved);
                    }
                    None
                }
            }
        };
        QuietAlsa {
            #[cfg(target_os = "linux")]
            _handler: alsa::Output::local_error_handler().ok(),
            #[cfg(unix)]
            saved_stderr,
        }
    }
}

impl Drop for QuietAlsa {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(saved) = self.saved_stderr.take() {
            // SAFETY: `saved` is the duplicate of stderr made in `new`.
            unsafe {
                libc::dup2(saved, 2);
                libc::close(saved);
            }
        }
    }
}

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
        let asked = Instant::now();
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
        let opened = super::open_detached(super::OPEN_WAIT, move || {
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
                        super::OPEN_WAIT.as_secs()
                    ),
                }));
            }
        };
        Ok(Box::new(CpalRecording {
            #[cfg(target_os = "linux")]
            watch: super::pulse::SourceWatch::start(),
            stream: Some(stream),
            writer,
            shared,
            sample_rate: stream_config.sample_rate,
            max_frames,
            opened_after: asked.elapsed(),
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
    watch: Option<super::pulse::SourceWatch>,
    stream: Option<cpal::Stream>,
    writer: Writer,
    shared: Arc<Shared>,
    sample_rate: u32,
    /// The most the file may hold.
    max_frames: Option<u64>,
    /// How long opening the stream took.
    opened_after: Duration,
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

    fn opened_after_s(&self) -> f64 {
        self.opened_after.as_secs_f64()
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
            super::close_detached(
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

/// The output buffer the player asks for: periods of 100 ms (the device double-buffers
/// them). Short enough for a prompt first sound and pause; 50 ms periods underran (a 0.1 s
/// hole in the sound) when the build machine was busy.
pub(crate) fn buffer_frames(rate: u32) -> cpal::BufferSize {
    cpal::BufferSize::Fixed((rate / 10).max(256))
}

/// An output device, found by name, for the streaming player (`audio::player`), which opens
/// its stream through rodio on this same cpal device.
#[derive(Clone)]
pub struct OutputDevice {
    pub(crate) device: cpal::Device,
    pub name: String,
}

impl OutputDevice {
    /// Waits at most [`PROBE_WAIT`] for the sound system.
    pub fn open(wanted: Option<&str>) -> Result<Self, DeviceError> {
        let wanted = wanted.map(str::to_string);
        bounded("finding the speaker", move || {
            let (device, server_name) = find_device(Direction::Output, wanted.as_deref())?;
            let name = match server_name {
                Some(s) => format!("{s} (sound server, through ALSA pulse)"),
                None => device_id(&device).unwrap_or_else(|| "output".into()),
            };
            Ok(OutputDevice { device, name })
        })?
    }

    pub fn unusable(&self, reason: String) -> DeviceError {
        DeviceError::Unusable {
            direction: Direction::Output,
            name: self.name.clone(),
            reason,
        }
    }

    /// An output format for a file of `rate` and `channels`: the file's own rate (and channel
    /// count) when the device takes it, so nothing needs converting; otherwise the device's
    /// default, and the player resamples to it.
    pub(crate) fn config_for(
        &self,
        rate: u32,
        channels: u16,
    ) -> Result<cpal::SupportedStreamConfig, DeviceError> {
        let _quiet = QuietAlsa::new();
        let usable = |c: &cpal::SupportedStreamConfigRange| {
            matches!(c.sample_format(), SampleFormat::F32 | SampleFormat::I16)
        };
        let configs: Vec<_> = self
            .device
            .supported_output_configs()
            .map(|it| it.filter(usable).collect())
            .unwrap_or_default();
        let same_shape = configs
            .iter()
            .filter(|c| c.channels() == channels)
            .find_map(|c| c.try_with_sample_rate(rate));
        let same_rate = || configs.iter().find_map(|c| c.try_with_sample_rate(rate));
        match same_shape.or_else(same_rate) {
            Some(c) => Ok(c),
            None => self
                .device
                .default_output_config()
                .map_err(|e| self.unusable(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_null_device_is_never_a_device() {
        for (id, null) in [
            ("null", true),
            ("alsa:null", true),
            ("pulse", false),
            ("nullmic", false),
        ] {
            assert_eq!(super::is_null_device(id), null, "{id}");
        }
    }

    use super::*;

    #[test]
    fn not_found_lists_devices() {
        let e = DeviceError::NotFound {
            direction: Direction::Input,
            wanted: "usb".into(),
            available: vec!["default".into(), "pulse".into()],
        };
        let msg = e.to_string();
        assert!(
            msg.contains("\"usb\"") && msg.contains("default, pulse"),
            "{msg}"
        );
        assert!(msg.contains("--input NAME"), "{msg}");
    }
}
