//! The interview session: a pure state machine (`machine`) and the runner that drives it with
//! real devices (`runner`). What it leaves on disk is the `record` module's.

pub mod input;
pub mod machine;
pub mod plan;
pub mod runner;
mod shown;
pub mod signals;
