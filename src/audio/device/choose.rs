//! Listing the devices and choosing one: by exact id, by part of its name, or among the
//! sound server's sources and sinks; never ALSA's `null` device, and never waiting on a sound
//! system that stopped answering for longer than [`PROBE_WAIT`].

use std::time::Duration;

use cpal::traits::{DeviceTrait, HostTrait};

use super::{DeviceError, Direction};

/// The longest the devices are waited for before a session (listing them, finding one):
/// a sound server that stopped answering holds ALSA's pulse plugin for ever.
pub const PROBE_WAIT: Duration = Duration::from_secs(5);

/// Runs `probe` (listing or finding devices) on a thread of its own, waiting at most
/// [`PROBE_WAIT`]. A probe left behind may hold stderr redirected ([`QuietAlsa`]), so stderr is
/// put back here before the error is returned.
pub(super) fn bounded<T: Send + 'static>(
    what: &'static str,
    probe: impl FnOnce() -> T + Send + 'static,
) -> Result<T, DeviceError> {
    #[cfg(unix)]
    // SAFETY: duplicates this process's stderr; checked below before use.
    let saved = unsafe { libc::dup(2) };
    let result = crate::audio::open_detached(PROBE_WAIT, probe);
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
pub(super) fn device_id(device: &cpal::Device) -> Option<String> {
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
pub(super) fn find_device(
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
    if let Some((sources, sinks)) = crate::audio::pulse::server_devices() {
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
    if available.is_empty() && crate::audio::pulse::server_not_answering() {
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
    let (sources, sinks) = crate::audio::pulse::server_devices()?;
    let list = if direction == Direction::Input {
        sources
    } else {
        sinks
    };
    let found = crate::audio::pulse::find_server_device(&list, wanted)?;
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
pub(super) struct QuietAlsa {
    #[cfg(target_os = "linux")]
    _handler: Option<std::rc::Rc<std::cell::RefCell<alsa::Output>>>,
    #[cfg(unix)]
    saved_stderr: Option<libc::c_int>,
}

impl QuietAlsa {
    pub(super) fn new() -> Self {
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
}
