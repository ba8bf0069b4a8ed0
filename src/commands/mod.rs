//! One module per subcommand: each turns parsed arguments into calls on the library and
//! prints the result through `ui` (which never panics on a closed or full output). Devices are
//! opened here, never deeper in the core.

pub mod analyze;
pub mod check;
pub mod devices;
pub mod packs;
pub mod run;
pub mod voices;

use crate::cli::{Cli, Command};

pub fn dispatch(cli: Cli) -> anyhow::Result<()> {
    match cli.command {
        Command::Analyze(args) => analyze::run(&args),
        Command::Packs => packs::list_packs(),
        Command::Questions(args) => packs::list_questions(&args),
        Command::Check(args) => check::run(&args),
        Command::Devices => devices::run(),
        Command::Voices(args) => voices::run(&args),
        Command::Run(args) => run::run(&args),
    }
}
