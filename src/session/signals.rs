//! Ctrl-C and SIGTERM during a session: noted in flags the runner polls, so the answer in
//! progress is finalized and the log written before the program exits. A second Ctrl-C
//! while the first is still being handled ends the program at once.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use super::machine::Signal;

pub struct Signals {
    interrupt: Arc<AtomicBool>,
    terminate: Arc<AtomicBool>,
}

impl Signals {
    pub fn install() -> std::io::Result<Signals> {
        let interrupt = Arc::new(AtomicBool::new(false));
        let terminate = Arc::new(AtomicBool::new(false));
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGINT, SIGTERM};
            use signal_hook::flag;
            // Order matters: the conditional shutdown sees the flag set by an earlier signal.
            flag::register_conditional_shutdown(SIGINT, 130, Arc::clone(&interrupt))?;
            flag::register(SIGINT, Arc::clone(&interrupt))?;
            flag::register_conditional_shutdown(SIGTERM, 143, Arc::clone(&terminate))?;
            flag::register(SIGTERM, Arc::clone(&terminate))?;
        }
        #[cfg(windows)]
        {
            signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&interrupt))?;
        }
        Ok(Signals {
            interrupt,
            terminate,
        })
    }

    /// The signal received, if any (terminate wins if both arrived).
    pub fn received(&self) -> Option<Signal> {
        if self.terminate.load(Ordering::Relaxed) {
            Some(Signal::Terminate)
        } else if self.interrupt.load(Ordering::Relaxed) {
            Some(Signal::Interrupt)
        } else {
            None
        }
    }
}

/// The exit code a shell expects after a signal: 128 + its number.
pub fn exit_code(signal: Signal) -> u8 {
    match signal {
        Signal::Interrupt => 130,
        Signal::Terminate => 143,
    }
}
