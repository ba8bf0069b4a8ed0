//! The terminal: countdowns, the live level meter, timing lights and download progress. The one module that
//! names indicatif. Bars draw on stderr and hide themselves when it is not a terminal, so
//! scripted runs see only the plain lines printed on stdout.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::audio::level::dbfs;

/// A meter of `width` cells for a peak level, -60 dBFS (empty) to 0 dBFS (full).
pub fn level_meter(peak: f32, width: usize) -> String {
    let db = dbfs(peak).clamp(-60.0, 0.0);
    let filled = (((db + 60.0) / 60.0) * width as f32).round() as usize;
    let mut s = String::with_capacity(width + 2);
    s.push('[');
    for i in 0..width {
        s.push(if i < filled { '|' } else { ' ' });
    }
    s.push(']');
    s
}

/// Minutes and seconds, as a countdown shows them: `1:05`.
pub fn mmss(seconds: f64) -> String {
    let total = seconds.max(0.0).round() as u64;
    format!("{}:{:02}", total / 60, total % 60)
}

/// A bar for a timed phase (think time, an answer, a test recording).
pub struct PhaseBar {
    bar: ProgressBar,
}

impl PhaseBar {
    /// `length_s` is the phase's full length; progress is shown in tenths of a second.
    pub fn new(length_s: f64, prefix: &str) -> PhaseBar {
        let bar = ProgressBar::with_draw_target(
            Some((length_s * 10.0).round().max(1.0) as u64),
            ProgressDrawTarget::stderr_with_hz(15),
        );
        bar.set_style(
            ProgressStyle::with_template("{prefix:>9} {bar:30.cyan/blue} {msg}")
                .expect("a valid template")
                .progress_chars("=> "),
        );
        bar.set_prefix(prefix.to_string());
        bar.enable_steady_tick(Duration::from_millis(100));
        PhaseBar { bar }
    }

    pub fn update(&self, elapsed_s: f64, message: String) {
        self.bar
            .set_position((elapsed_s * 10.0).round().max(0.0) as u64);
        self.bar.set_message(message);
    }

    /// Prints a line above the bar (or plainly, when the bar is hidden).
    pub fn println(&self, line: &str) {
        self.bar.suspend(|| println!("{line}"));
    }

    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}

/// A download's progress: bytes, total, speed and time left, on stderr.
pub struct DownloadBar {
    bar: ProgressBar,
}

impl DownloadBar {
    /// `total` when the server said it; `from` bytes were already there (a resumed download).
    pub fn new(total: Option<u64>, from: u64) -> DownloadBar {
        let bar = ProgressBar::with_draw_target(total, ProgressDrawTarget::stderr_with_hz(10));
        let template = if total.is_some() {
            "{bar:30.cyan/blue} {bytes}/{total_bytes} {bytes_per_sec} {eta} left"
        } else {
            "{spinner} {bytes} {bytes_per_sec}"
        };
        bar.set_style(
            ProgressStyle::with_template(template)
                .expect("a valid template")
                .progress_chars("=> "),
        );
        bar.set_position(from);
        bar.reset_eta();
        DownloadBar { bar }
    }

    pub fn set(&self, done: u64) {
        self.bar.set_position(done);
    }

    pub fn finish(self) {
        self.bar.finish_and_clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mmss_shows_minutes_and_seconds() {
        let cases = [
            (0.0, "0:00"),
            (20.0, "0:20"),
            (90.0, "1:30"),
            (300.0, "5:00"),
            (100.6, "1:41"),
            (-3.0, "0:00"),
        ];
        for (seconds, expected) in cases {
            assert_eq!(mmss(seconds), expected, "{seconds}");
        }
    }

    #[test]
    fn meter_fills_with_level() {
        assert_eq!(level_meter(0.0, 4), "[    ]");
        assert_eq!(level_meter(1.0, 4), "[||||]");
        assert_eq!(level_meter(0.031_622_8, 4), "[||  ]"); // -30 dBFS: half
    }
}
