//! Ctrl-C, SIGTERM and SIGHUP during a session: noted for the runner to poll, so the answer in
//! progress is finalized and the log written before the program exits. A closed terminal
//! (SIGHUP) is handled as SIGTERM is.
//!
//! A second signal while the first is being handled forces the exit: the hooks registered
//! with [`on_forced_exit`] run first (they restore the terminal and mark the session log
//! interrupted), then the program exits with 128 + the first signal's number.

use std::sync::atomic::{AtomicI32, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use super::machine::Signal;

const SIGINT: i32 = 2;

pub struct Signals {
    /// The number of the first signal received, 0 before any.
    first: Arc<AtomicI32>,
}

impl Signals {
    pub fn install() -> std::io::Result<Signals> {
        let first = Arc::new(AtomicI32::new(0));
        #[cfg(unix)]
        {
            use signal_hook::consts::{SIGHUP, SIGINT, SIGTERM};
            let mut incoming = signal_hook::iterator::Signals::new([SIGINT, SIGTERM, SIGHUP])?;
            let seen = Arc::clone(&first);
            std::thread::Builder::new()
                .name("voicemock-signals".into())
                .spawn(move || {
                    for signal in incoming.forever() {
                        if let Err(earlier) =
                            seen.compare_exchange(0, signal, Ordering::SeqCst, Ordering::SeqCst)
                        {
                            forced_exit(code_for(earlier));
                        }
                    }
                })?;
        }
        #[cfg(windows)]
        {
            let flag = Arc::new(std::sync::atomic::AtomicBool::new(false));
            signal_hook::flag::register(signal_hook::consts::SIGINT, Arc::clone(&flag))?;
            let seen = Arc::clone(&first);
            std::thread::spawn(move || loop {
                if flag.swap(false, Ordering::SeqCst)
                    && seen
                        .compare_exchange(0, SIGINT, Ordering::SeqCst, Ordering::SeqCst)
                        .is_err()
                {
                    forced_exit(130);
                }
                std::thread::sleep(std::time::Duration::from_millis(20));
            });
        }
        Ok(Signals { first })
    }

    /// The signal received, as the session sees it: Ctrl-C interrupts; SIGTERM and SIGHUP
    /// terminate.
    pub fn received(&self) -> Option<Signal> {
        match self.first.load(Ordering::SeqCst) {
            0 => None,
            SIGINT => Some(Signal::Interrupt),
            _ => Some(Signal::Terminate),
        }
    }

    /// The exit code a shell expects after the first signal: 128 + its number.
    pub fn exit_code(&self) -> Option<u8> {
        match self.first.load(Ordering::SeqCst) {
            0 => None,
            n => Some(code_for(n)),
        }
    }
}

fn code_for(signal: i32) -> u8 {
    u8::try_from(128 + signal).unwrap_or(1)
}

/// The exit code for a signal the machine knows: 128 + its number.
pub fn exit_code(signal: Signal) -> u8 {
    match signal {
        Signal::Interrupt => 130,
        Signal::Terminate => 143,
    }
}

type Hook = Arc<dyn Fn() + Send + Sync>;

static HOOKS: Mutex<Vec<(u64, Hook)>> = Mutex::new(Vec::new());
static NEXT_HOOK: AtomicU64 = AtomicU64::new(1);

/// Something to do before a forced exit, in registration order; removed when the returned
/// guard is dropped. Hooks run on the signal thread while the main thread may be stuck
/// anywhere, so they must not wait on it for long.
#[must_use = "the hook is removed when this is dropped"]
pub struct ForcedExitHook(u64);

pub fn on_forced_exit(hook: impl Fn() + Send + Sync + 'static) -> ForcedExitHook {
    let id = NEXT_HOOK.fetch_add(1, Ordering::Relaxed);
    HOOKS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((id, Arc::new(hook)));
    ForcedExitHook(id)
}

impl Drop for ForcedExitHook {
    fn drop(&mut self) {
        HOOKS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|(id, _)| *id != self.0);
    }
}

fn forced_exit(code: u8) -> ! {
    // Whoever changed the terminal (the session's keys, the player's), it is put back.
    crate::ui::keys::restore_terminal();
    // Copied out so a hook can never deadlock against a registration on the main thread.
    let hooks: Vec<Hook> = HOOKS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .map(|(_, hook)| Arc::clone(hook))
        .collect();
    for hook in hooks {
        hook();
    }
    std::process::exit(i32::from(code))
}
