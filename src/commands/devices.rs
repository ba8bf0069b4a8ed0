//! `voicemock devices`: what cpal sees, the defaults marked.

use crate::audio::device::{list_devices, DeviceInfo};
use crate::ui::outln;

pub fn run() -> anyhow::Result<()> {
    let (inputs, outputs) = list_devices()?;
    print_section("Inputs (microphones)", &inputs);
    outln("");
    print_section("Outputs (speakers)", &outputs);
    outln("");
    #[cfg(target_os = "linux")]
    if let Some((sources, sinks)) = crate::audio::pulse::server_devices() {
        outln("Sound server (PulseAudio or PipeWire), as your mixer names them:");
        print_server("inputs", &sources);
        print_server("outputs", &sinks);
        outln("");
    }
    outln(format_args!(
        "* = default. Choose with --input NAME / --output NAME (a name above, or part of one)."
    ));
    Ok(())
}

#[cfg(target_os = "linux")]
fn print_server(what: &str, devices: &[crate::audio::pulse::ServerDevice]) {
    outln(format_args!("  {what}:"));
    if devices.is_empty() {
        outln("    (none)");
    }
    for d in devices {
        outln(format_args!(
            "  {} {:<28} {}",
            if d.is_default { "*" } else { " " },
            d.description,
            d.name
        ));
    }
}

fn print_section(title: &str, devices: &[DeviceInfo]) {
    outln(format_args!("{title}:"));
    if devices.is_empty() {
        outln(format_args!("  (none found)"));
        return;
    }
    for d in devices {
        outln(format_args!(
            "  {} {:<28} {:>6} Hz  {} ch  {:<4} {}",
            if d.is_default { "*" } else { " " },
            d.id,
            d.sample_rate,
            d.channels,
            d.sample_format,
            d.description
        ));
    }
}
