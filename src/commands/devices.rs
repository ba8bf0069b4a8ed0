//! `voicemock devices`: what cpal sees, the defaults marked.

use crate::audio::device::{list_devices, DeviceInfo};
use crate::ui::outln;

pub fn run() -> anyhow::Result<()> {
    let (inputs, outputs) = list_devices();
    print_section("Inputs (microphones)", &inputs);
    outln("");
    print_section("Outputs (speakers)", &outputs);
    outln("");
    outln(format_args!(
        "* = default. Choose with --input NAME / --output NAME (a name or part of one)."
    ));
    Ok(())
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
