//! The one module that names cpal: device listing and choice (`choose`), the capture stream
//! (`capture`), and the output device the player (`audio::player`, through rodio) opens
//! (`output`). Here: what goes wrong with a device, said so the user knows what to do.
//!
//! The capture callback only converts samples to `f32` and pushes whole frames into a
//! lock-free ring buffer; when the buffer is full it counts an overrun and drops that buffer.
//! It never locks, allocates, blocks or panics.

use std::fmt;
use std::time::Duration;

mod capture;
mod choose;
mod output;

pub use capture::CpalMicrophone;
pub use choose::{list_devices, DeviceInfo, PROBE_WAIT};
pub(crate) use output::buffer_frames;
pub use output::OutputDevice;

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

fn list_or_none(names: &[String]) -> String {
    if names.is_empty() {
        "none".to_string()
    } else {
        names.join(", ")
    }
}

#[cfg(test)]
mod tests {
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
