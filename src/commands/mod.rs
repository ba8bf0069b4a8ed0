//! One module per subcommand: each turns parsed arguments into calls on the library and
//! prints the result through `ui` (which never panics on a closed or full output). Devices are
//! opened here, never deeper in the core.

pub mod analyze;
pub mod check;
pub mod compare;
pub mod config;
pub mod devices;
pub mod drill;
pub mod export;
pub mod history;
pub mod interview;
pub mod models;
pub mod next;
pub mod packs;
pub mod play;
pub mod rehearse;
pub mod replay;
pub mod report;
pub mod run;
pub mod sessions;
pub mod shell;
pub mod transcribe;
pub mod voices;

use crate::cli::{Cli, Command};

/// An error that ends the program with a specific exit code (an interrupted session exits 130
/// for SIGINT, 143 for SIGTERM and 129 for SIGHUP, as shells expect).
#[derive(Debug, thiserror::Error)]
#[error("{message}")]
pub struct ExitWith {
    pub code: u8,
    pub message: String,
}

/// Runs the command; `matches` are the parsed command line's, which tell a flag given from a
/// default (the config file's settings fill in the rest, `config::apply`).
pub fn dispatch(cli: Cli, matches: &clap::ArgMatches) -> anyhow::Result<()> {
    let sub = matches.subcommand().map_or(matches, |(_, m)| m);
    let mut command = cli.command;
    config::apply(&mut command, sub)?;
    match command {
        Command::Analyze(args) => analyze::run(&args),
        Command::Packs(args) => packs::run(&args),
        Command::Questions(args) => packs::list_questions(&args),
        Command::Check(args) => check::run(&args),
        Command::Devices => devices::run(),
        Command::Voices(args) => voices::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Rehearse(args) => rehearse::run(&args),
        Command::Drill(args) => drill::run(&args),
        Command::Sessions(args) => sessions::run(&args),
        Command::Play(args) => play::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Replay(args) => replay::run(&args),
        Command::History(args) => history::run(&args),
        Command::Next(args) => next::run(&args),
        Command::Transcribe(args) => transcribe::run(&args),
        Command::Models(args) => models::run(&args),
        Command::Report(args) => report::run(&args),
        Command::TranscribeEngine => crate::transcribe::isolated::serve(),
        // Sharing and the shell's conventions.
        Command::Export(args) => export::run(&args),
        Command::Completions(args) => shell::completions(&args),
        Command::Man(args) => shell::man(&args),
        Command::Config(mut args) => config::run(&mut args, sub),
    }
}
