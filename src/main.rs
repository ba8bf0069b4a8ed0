use std::process::ExitCode;

fn main() -> ExitCode {
    voicemock::main_entry()
}
