//! The terminal: countdowns, the live level meter, timing lights and the playback bar. The
//! one module that names indicatif; `keys` is the one that names crossterm. Bars draw on
//! stderr and hide themselves when it is not a terminal, so scripted runs see only the plain
//! lines printed on stdout.

use std::time::Duration;

pub mod keys;

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

/// The playback bar: elapsed / total, with the recording's pauses marked (`.`) along it.
pub struct PlaybackBar {
    bar: ProgressBar,
    duration_s: f64,
    markers: Vec<(f64, f64)>,
    /// Print an acknowledgement line per control (when controls arrive as lines).
    acknowledge_lines: bool,
}

/// Cells of the drawn playback bar.
const PLAYBACK_CELLS: usize = 40;

impl PlaybackBar {
    pub fn new(duration_s: f64, markers: Vec<(f64, f64)>, acknowledge_lines: bool) -> PlaybackBar {
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr_with_hz(15));
        bar.set_style(ProgressStyle::with_template("{msg}").expect("a valid template"));
        PlaybackBar {
            bar,
            duration_s,
            markers,
            acknowledge_lines,
        }
    }

    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

/// The bar's picture: `=` played, `.` a pause, `>` the position.
pub fn playback_picture(
    position_s: f64,
    duration_s: f64,
    markers: &[(f64, f64)],
    cells: usize,
) -> String {
    let total = duration_s.max(1e-9);
    let at = ((position_s / total).clamp(0.0, 1.0) * cells as f64) as usize;
    let mut s = String::with_capacity(cells + 2);
    s.push('[');
    for i in 0..cells {
        let (from, to) = (
            i as f64 * total / cells as f64,
            (i + 1) as f64 * total / cells as f64,
        );
        let pause = markers.iter().any(|&(a, b)| a < to && b > from);
        s.push(if i == at {
            '>'
        } else if pause {
            '.'
        } else if i < at {
            '='
        } else {
            ' '
        });
    }
    s.push(']');
    s
}

impl crate::playback::PlaybackDisplay for PlaybackBar {
    fn show(&mut self, position_s: f64, duration_s: f64, paused: bool) {
        self.duration_s = duration_s;
        self.bar.set_message(format!(
            "{} {} / {}{}",
            playback_picture(position_s, duration_s, &self.markers, PLAYBACK_CELLS),
            mmss(position_s),
            mmss(duration_s),
            if paused {
                "  paused (space resumes)"
            } else {
                "  space pause · ←/→ 5 s · n/p · q"
            }
        ));
        self.bar.tick();
    }

    fn acknowledge(&mut self, line: &str) {
        if self.acknowledge_lines {
            self.bar.suspend(|| println!("{line}"));
        }
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
    fn playback_picture_marks_position_and_pauses() {
        assert_eq!(playback_picture(0.0, 10.0, &[], 10), "[>         ]");
        assert_eq!(
            playback_picture(5.0, 10.0, &[(7.0, 8.0)], 10),
            "[=====> .  ]"
        );
        assert_eq!(playback_picture(10.0, 10.0, &[], 4), "[====]");
    }

    #[test]
    fn meter_fills_with_level() {
        assert_eq!(level_meter(0.0, 4), "[    ]");
        assert_eq!(level_meter(1.0, 4), "[||||]");
        assert_eq!(level_meter(0.031_622_8, 4), "[||  ]"); // -30 dBFS: half
    }
}
