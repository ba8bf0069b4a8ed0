//! voicemock: a private, offline voice mock interviewer.
//!
//! `main.rs` only calls [`main_entry`]; everything else lives in this library so that the
//! integration tests and benchmarks can reach it. See ARCHITECTURE.md for the map.

pub mod analysis;
pub mod audio;
pub mod cli;
pub mod commands;
pub mod config;
pub mod files;
pub mod models;
pub mod pack;
pub mod playback;
pub mod record;
pub mod report;
pub mod session;
pub mod speech;
pub mod suggest;
pub mod text;
pub mod transcribe;
pub mod ui;

use std::process::ExitCode;

use commands::ExitWith;

/// Parse the command line, run the command, and choose the exit code in this one place.
pub fn main_entry() -> ExitCode {
    let matches = <cli::Cli as clap::CommandFactory>::command().get_matches();
    let cli = match <cli::Cli as clap::FromArgMatches>::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    let code = match commands::dispatch(cli, &matches) {
        Ok(()) => 0,
        Err(err) => {
            ui::errln(ui::fit_stderr(&format!("error: {}", render_chain(&err))));
            exit_code_for(&err)
        }
    };
    // What is still queued for the terminal is written first (for as long as it is read).
    ui::drain();
    // A reader that went away (`| head`) is not an error; any other failure to write the
    // output (`>/dev/full`) is, once the command has finished its work.
    let code = match ui::stdout_failure() {
        Some(e) if code == 0 && e.kind() != std::io::ErrorKind::BrokenPipe => {
            ui::errln(format_args!("error: cannot write to standard output: {e}"));
            1
        }
        _ => code,
    };
    ui::drain();
    ExitCode::from(code)
}

fn exit_code_for(err: &anyhow::Error) -> u8 {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<ExitWith>())
        .map_or(1, |e| e.code)
}

fn render_chain(err: &anyhow::Error) -> String {
    let mut out = err.to_string();
    for cause in err.chain().skip(1) {
        out.push_str("\n  caused by: ");
        out.push_str(&cause.to_string());
    }
    out
}
