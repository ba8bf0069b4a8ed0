//! The output device the streaming player opens (through rodio, on this same cpal device),
//! and the format and buffer it asks for.

use cpal::traits::DeviceTrait;
use cpal::SampleFormat;

use super::choose::{bounded, device_id, find_device, QuietAlsa};
use super::{DeviceError, Direction};

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
