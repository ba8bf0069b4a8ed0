//! One integration-test binary: the end-to-end tests on the real (virtual) devices and the
//! command-line tests that need no devices.

mod common;

mod analyze;
mod check;
mod cli;
mod config;
mod contain;
mod export;
mod facts;
mod fuzz;
mod listen;
mod play;
mod rehearse;
mod reliability;
mod replay;
mod report;
mod run;
mod sessions;
mod shell;
mod transcribe;
mod turns;
mod voice;
mod wav_fuzz;
