//! The forced exit: a second signal ends the program at once, so the last log written is
//! finished from the signal thread.

use std::path::PathBuf;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use super::clock::POLL;
use super::timestamp;
use crate::record::store::save_log;
use crate::record::{SessionLog, SessionStatus, TakeEnd};

/// The last log written, for a forced exit to finish.
pub(super) struct Rescue {
    pub(super) dir: PathBuf,
    pub(super) log: Option<SessionLog>,
    /// Set once the runner is done with the log, or a forced exit has written it: no one
    /// writes it after that.
    pub(super) over: bool,
}

/// How long a forced exit leaves the runner to finish the session its own way (the take's
/// file finalized, the log written) before writing the log itself.
pub(super) const RESCUE_GRACE: Duration = Duration::from_millis(1500);

/// Runs on the signal thread when a second signal forces the exit: unless the runner
/// finishes first, mark the last log written as interrupted, with each unfinished take's
/// duration as its file's header says (rewritten every half second).
pub(super) fn rescue_on_forced_exit(rescue: &Mutex<Rescue>) {
    let start = Instant::now();
    let mut rescue = loop {
        match rescue.try_lock() {
            Ok(guard) if guard.over => return,
            Ok(guard) if start.elapsed() >= RESCUE_GRACE => break guard,
            Err(std::sync::TryLockError::Poisoned(p)) => break p.into_inner(),
            // Still saving, or still time for the runner to finish; never wait for ever.
            _ if start.elapsed() >= 2 * RESCUE_GRACE => return,
            _ => {}
        }
        std::thread::sleep(POLL);
    };
    rescue.over = true;
    let Some(mut log) = rescue.log.take() else {
        return;
    };
    log.status = SessionStatus::Interrupted;
    log.ended_at = Some(timestamp());
    for take in log.questions.iter_mut().flat_map(|q| q.takes.iter_mut()) {
        if take.ended_by.is_none() {
            take.ended_by = Some(TakeEnd::Interrupt);
            if let Some((rate, frames)) =
                crate::audio::writer::frames_on_disk(&rescue.dir.join(&take.file))
            {
                take.sample_rate = rate;
                take.duration_s = frames as f64 / f64::from(rate.max(1));
            }
        }
    }
    let _ = save_log(&rescue.dir, &log);
}
