//! Time as the runner sees it: a trait, so that a test clock can jump instead of sleeping.

use std::time::{Duration, Instant};

/// Time as the runner sees it: seconds since the session started, and a way to wait. A test
/// clock jumps instead of sleeping.
pub trait Clock {
    fn now_s(&self) -> f64;
    fn pause(&self, d: Duration);
}

pub struct MonotonicClock(Instant);

impl MonotonicClock {
    pub fn start() -> Self {
        MonotonicClock(Instant::now())
    }
}

impl Clock for MonotonicClock {
    fn now_s(&self) -> f64 {
        self.0.elapsed().as_secs_f64()
    }

    fn pause(&self, d: Duration) {
        std::thread::sleep(d);
    }
}

/// How often the runner looks at the devices, the keys and the clock.
pub(super) const POLL: Duration = Duration::from_millis(10);
