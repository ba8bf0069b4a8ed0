//! Audio: the microphone, the speaker and WAV files.
//!
//! Only `device` names cpal, only `pulse` names libpulse, only `player` names rodio, and only
//! `player` and `resample` name rubato. The rest is plain Rust over `f32` samples so that it
//! can be unit-tested without hardware, and the rest of the program sees audio only through
//! the [`Microphone`], [`ActiveRecording`], [`Player`] and [`Playback`] traits.

pub mod convert;
pub mod cues;
pub mod device;
pub mod fake;
pub mod player;
#[cfg(target_os = "linux")]
pub mod pulse;
pub mod resample;
pub mod wav_reader;
pub mod writer;

use std::path::{Path, PathBuf};

use crate::analysis::level::Verdict;
pub use device::{CpalMicrophone, DeviceError};
pub use player::DevicePlayer;

/// What a finished recording was, as written to disk.
#[derive(Debug, Clone, PartialEq)]
pub struct TakeStats {
    pub path: PathBuf,
    pub sample_rate: u32,
    /// Mono frames written to the WAV.
    pub frames: u64,
    pub peak: f32,
    pub rms: f32,
    /// Fraction of samples at full scale.
    pub clipped_fraction: f64,
    /// Device buffers that arrived while the ring buffer was full, and were lost.
    pub overruns: u64,
    /// Errors the audio stream reported while recording.
    pub stream_errors: u64,
    /// Why the take ended before it was asked to, if it did (the file holds what came before).
    pub fault: Option<Fault>,
}

/// What can end a recording early. The file keeps everything captured before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fault {
    /// The device reported the stream lost, or delivered nothing for several seconds.
    DeviceLost,
    /// The disk (or a quota, or a file-size limit) has no room left.
    DiskFull,
    /// Writing the file failed otherwise; the system's reason.
    Write(String),
}

impl std::fmt::Display for Fault {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Fault::DeviceLost => f.write_str("the microphone stopped delivering sound"),
            Fault::DiskFull => f.write_str("the disk is full"),
            Fault::Write(reason) => write!(f, "writing the recording failed ({reason})"),
        }
    }
}

impl TakeStats {
    pub fn verdict(&self) -> Verdict {
        Verdict::judge(self.peak, self.rms, self.clipped_fraction)
    }

    pub fn duration_s(&self) -> f64 {
        if self.sample_rate == 0 {
            0.0
        } else {
            self.frames as f64 / f64::from(self.sample_rate)
        }
    }
}

/// What the live voice activity has heard, in seconds of capture (from the moment the
/// microphone opened).
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Voice {
    pub speaking: bool,
    /// Where the current (or last) speech began.
    pub started_s: Option<f64>,
    /// Where the last finished speech ended.
    pub stopped_s: Option<f64>,
    /// Seconds captured so far.
    pub captured_s: f64,
}

impl Voice {
    pub(crate) fn from_frames(v: writer::VoiceNow, rate: u32) -> Voice {
        let s = |f: u64| f as f64 / f64::from(rate.max(1));
        Voice {
            speaking: v.speaking,
            started_s: v.started.map(s),
            stopped_s: v.stopped.map(s),
            captured_s: s(v.captured),
        }
    }
}

/// A microphone that can record into a new WAV file.
pub trait Microphone {
    /// Starts recording into `path`, which must not exist yet. The take stops growing after
    /// `max_s` seconds of audio, however fast the device delivers it. With `pre_roll_s` the
    /// microphone listens (voice activity runs) but the file waits for
    /// [`ActiveRecording::begin`], and keeps that many seconds before the point it begins at.
    fn start(
        &mut self,
        path: &Path,
        max_s: f64,
        pre_roll_s: Option<f64>,
    ) -> Result<Box<dyn ActiveRecording>, DeviceError>;
    /// A human-readable name of the device, for logs.
    fn name(&self) -> String;
}

/// A recording in progress.
pub trait ActiveRecording {
    /// Peak and RMS of roughly the last tenth of a second, for a live meter.
    fn recent_level(&self) -> (f32, f32);
    /// Seconds of audio written so far.
    fn recorded_s(&self) -> f64;
    /// Set once the recording cannot go on: the device reported the stream lost or has
    /// delivered nothing for several seconds, or the file cannot be written.
    fn fault(&self) -> Option<Fault>;
    /// The source the sound server moved the recording to, once it has (the take goes on,
    /// but most likely records silence from then on). Not every platform can tell.
    fn moved_to(&self) -> Option<String> {
        None
    }
    /// Begins the file at `at_s` seconds of capture (as far back as the pre-roll reaches);
    /// a recording started without a pre-roll has begun already.
    fn begin(&self, _at_s: f64) {}
    /// Seconds of capture where the file's first sample is; `None` until it has begun.
    fn file_start_s(&self) -> Option<f64> {
        Some(0.0)
    }
    /// What the live voice activity has heard so far.
    fn voice(&self) -> Voice {
        Voice::default()
    }
    /// Counts `[from_s, to_s)` of capture as silence for the voice activity (a cue played
    /// through the speaker that the microphone may hear).
    fn mask(&self, _from_s: f64, _to_s: f64) {}
    /// Waits, a moment at most, until the file holds `file_s` seconds (or all it may hold):
    /// a device hands over what it captured in buffers, and on a busy machine the last of
    /// what was said before a take ended arrives after that moment. Fakes hold what they hold.
    fn catch_up(&self, _file_s: f64) {}
    /// Stops, writes what was captured and finalizes the WAV. Never waits on a device that
    /// has stopped answering.
    fn stop(self: Box<Self>) -> Result<TakeStats, DeviceError>;
}

/// Opens WAV files for playback on a speaker. The real one is [`DevicePlayer`]; tests use
/// fakes.
pub trait Player {
    /// Starts playing `path` from `from_s` seconds (clamped to the file); playback runs on
    /// its own until paused, moved, finished or dropped.
    fn open(&mut self, path: &Path, from_s: f64) -> Result<Box<dyn Playback>, DeviceError>;
}

/// A file playing. Times are seconds of the file. Dropping it stops playback at once.
pub trait Playback {
    /// Where playback is in the file (what has been handed to the device).
    fn position_s(&self) -> f64;
    fn duration_s(&self) -> f64;
    fn pause(&mut self);
    fn resume(&mut self);
    fn is_paused(&self) -> bool;
    /// Moves playback to `s` (clamped to the file); a move to the end finishes it.
    fn seek_to(&mut self, s: f64);
    /// True once the whole file has been played out of the speaker.
    fn is_finished(&self) -> bool;
    /// Why playback cannot go on (the device stopped, the file became unreadable), if so.
    fn failure(&self) -> Option<String>;
}

/// Closes an audio stream (drops `stream`) on a thread of its own and waits at most `wait`
/// for that to finish; true if it did. A sound server that died or hangs can hold a stream's
/// close for ever inside the driver: such a stream is left behind with its thread, and the
/// caller goes on (the process can still exit). Capture and playback both close this way.
pub(crate) fn close_detached<T: Send + 'static>(stream: T, wait: std::time::Duration) -> bool {
    // If no thread can be made, the closure is dropped here and the stream with it leaks:
    // better than risking the hang.
    let stream = std::mem::ManuallyDrop::new(stream);
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let spawned = std::thread::Builder::new()
        .name("voicemock-stream-close".into())
        .spawn(move || {
            drop(std::mem::ManuallyDrop::into_inner(stream));
            let _ = done_tx.send(());
        });
    spawned.is_ok() && done_rx.recv_timeout(wait).is_ok()
}

/// The longest a device's stream may take to open; a healthy one takes milliseconds.
pub(crate) const OPEN_WAIT: std::time::Duration = std::time::Duration::from_secs(3);

/// Runs `open` (opening a device's stream) on a thread of its own and waits at most `wait`
/// for it; `None` if it did not finish by then. A sound server that stopped answering holds
/// an opening for ever inside ALSA's pulse plugin, and nothing may wait on that for ever: the
/// opening is left behind with its thread, and what it opens late is dropped there.
pub(crate) fn open_detached<T: Send + 'static>(
    wait: std::time::Duration,
    open: impl FnOnce() -> T + Send + 'static,
) -> Option<T> {
    let (tx, rx) = std::sync::mpsc::sync_channel(1);
    std::thread::Builder::new()
        .name("voicemock-stream-open".into())
        .spawn(move || {
            let _ = tx.send(open());
        })
        .ok()?;
    rx.recv_timeout(wait).ok()
}

/// Plays a whole file and waits for its end: for `check`, which has nothing to control.
pub fn play_to_end(player: &mut dyn Player, path: &Path) -> Result<(), DeviceError> {
    let playback = player.open(path, 0.0)?;
    loop {
        if playback.is_finished() {
            return Ok(());
        }
        if let Some(reason) = playback.failure() {
            return Err(DeviceError::PlaybackFailed { reason });
        }
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
}
