//! One module per subcommand: each turns parsed arguments into calls on the library and
//! prints the result. Devices are opened here, never deeper in the core.

pub mod analyze;
pub mod check;
pub mod compare;
pub mod devices;
pub mod packs;
pub mod play;
pub mod replay;
pub mod report;
pub mod run;
pub mod sessions;
pub mod voices;

use crate::cli::{Cli, Command};

pub fn dispatch(cli: Cli) -> anyhow::Result<()> {
    if !matches!(cli.command, Command::Run(_) | Command::Check(_)) {
        quiet_on_closed_pipe();
    }
    match cli.command {
        Command::Analyze(args) => analyze::run(&args),
        Command::Packs => packs::list_packs(),
        Command::Questions(args) => packs::list_questions(&args),
        Command::Check(args) => check::run(&args),
        Command::Devices => devices::run(),
        Command::Voices(args) => voices::run(&args),
        Command::Run(args) => run::run(&args),
        Command::Sessions(args) => sessions::run(&args),
        Command::Play(args) => play::run(&args),
        Command::Compare(args) => compare::run(&args),
        Command::Replay(args) => replay::run(&args),
        Command::Report(args) => report::run(&args),
    }
}

/// Lets a listing end quietly when its reader goes away (`voicemock voices | head`), as
/// command-line tools do, instead of panicking on the failed write. Not for commands that
/// record: those must finish their files whatever happens to stdout.
fn quiet_on_closed_pipe() {
    #[cfg(unix)]
    // SAFETY: restores the default disposition of SIGPIPE before any other thread exists.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}
