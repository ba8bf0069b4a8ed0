//! The interview session: a pure state machine (`machine`), the runner that drives it with
//! real devices (`runner`), and the session folder and its log (`store`, `log`).

pub mod input;
pub mod log;
pub mod machine;
pub mod runner;
pub mod signals;
pub mod store;
