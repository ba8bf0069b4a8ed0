//! `voicemock devices`: what cpal sees, the defaults marked.

use crate::audio::device::{list_devices, DeviceInfo};

pub fn run() -> anyhow::Result<()> {
    let (inputs, outputs) = list_devices();
    print_section("Inputs (microphones)", &inputs);
    println!();
    print_section("Outputs (speakers)", &outputs);
    println!();
    println!("* = default. Choose with --input NAME / --output NAME (a name or part of one).");
    Ok(())
}

fn print_section(title: &str, devices: &[DeviceInfo]) {
    println!("{title}:");
    if devices.is_empty() {
        println!("  (none found)");
        return;
    }
    for d in devices {
        println!(
            "  {} {:<28} {:>6} Hz  {} ch  {:<4} {}",
            if d.is_default { "*" } else { " " },
            d.id,
            d.sample_rate,
            d.channels,
            d.sample_format,
            d.description
        );
    }
}
