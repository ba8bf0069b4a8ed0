//! `voicemock devices`: what cpal sees, the defaults marked.

use crate::audio::device::{list_devices, DeviceInfo};
use crate::ui::{out, outln, Table};

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
        return;
    }
    let mut table = Table::new()
        .indent(2)
        .left("")
        .left("description")
        .text("name");
    for d in devices {
        table.row([
            if d.is_default { "*" } else { "" },
            d.description.as_str(),
            d.name.as_str(),
        ]);
    }
    out(table.fit());
}

fn print_section(title: &str, devices: &[DeviceInfo]) {
    outln(format_args!("{title}:"));
    if devices.is_empty() {
        outln(format_args!("  (none found)"));
        return;
    }
    let mut table = Table::new()
        .indent(2)
        .left("")
        .left("name")
        .right("rate")
        .right("channels")
        .left("format")
        .text("description");
    for d in devices {
        table.row([
            if d.is_default { "*" } else { "" }.to_string(),
            d.id.clone(),
            format!("{} Hz", d.sample_rate),
            d.channels.to_string(),
            d.sample_format.to_string(),
            d.description.clone(),
        ]);
    }
    out(table.fit());
}
