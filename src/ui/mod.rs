//! The terminal: every line voicemock prints, the countdowns, the live level meter, timing
//! lights, the playback bar and download progress. The one module that names indicatif;
//! `keys` is the one that names crossterm. Bars draw on stderr and hide themselves when it is
//! not a terminal, so scripted runs see only the plain lines printed on stdout. What a session
//! shows goes through a [`Screen`] (`screen`): the terminal, or a recorder in tests.
//!
//! All output goes through [`out`], [`outln`], [`errln`] and [`warn`], and the bars draw
//! through the same path (`output`). They never panic and never fail: a closed pipe, a full
//! disk or a hung-up terminal behind stdout or stderr is noted ([`stdout_failure`]) and later
//! output to it is dropped, so a recording command always gets to finish its files; after
//! [`never_wait`], a terminal nobody reads cannot hold the caller up either. Control
//! characters (terminal escapes from a shared pack, a file name or an error message) are
//! shown escaped, never sent raw.

use std::borrow::Cow;
use std::fmt::Display;
use std::io::IsTerminal;
use std::sync::Mutex;
use std::time::Duration;

pub mod keys;
mod output;
pub mod screen;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle, TermLike};

pub use output::{drain, never_wait, stdout_closed, stdout_failure, Target, QUEUE_BYTES};
pub use screen::{Countdown, Recorder, Screen, Shown, Terminal};

use crate::audio::level::dbfs;

/// Prints `text` on stdout as it is (no newline added).
pub fn out(text: impl Display) {
    output::write(Target::Stdout, &visible(&text.to_string()));
}

/// Prints one line on stdout.
pub fn outln(line: impl Display) {
    output::write(Target::Stdout, &visible(&format!("{line}\n")));
}

/// Prints one line on stdout, wrapped to the terminal's width ([`fit`]).
pub fn outln_fit(line: impl Display) {
    outln(fit(&line.to_string()));
}

/// `text` with each of its lines wrapped to the terminal's width at spaces (never inside a
/// word), continuation lines indented under the first; unchanged when stdout is not a
/// terminal, so scripts see one line per message.
pub fn fit(text: &str) -> String {
    // A terminal that reports no width (or an absurd one, as a bare pseudo-terminal does) is
    // left to wrap as it will.
    match keys::terminal_width().filter(|&w| w >= 40) {
        Some(width) => wrap(text, width),
        None => text.to_string(),
    }
}

/// [`fit`] for a given width.
pub fn wrap(text: &str, width: usize) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let indent = line.len() - line.trim_start().len();
        let cont = " ".repeat(indent + 2);
        let mut col = 0;
        for (k, word) in line.trim_start().split(' ').enumerate() {
            let w = word.chars().count();
            if k == 0 {
                out.push_str(&line[..indent]);
                out.push_str(word);
                col = indent + w;
            } else if col + 1 + w > width && col > cont.len() {
                out.push('\n');
                out.push_str(&cont);
                out.push_str(word);
                col = cont.len() + w;
            } else {
                out.push(' ');
                out.push_str(word);
                col += 1 + w;
            }
        }
    }
    out
}

/// Prints one line on stderr.
pub fn errln(line: impl Display) {
    output::write(Target::Stderr, &visible(&format!("{line}\n")));
}

/// `warning: …` on stderr, wrapped to its terminal's width.
pub fn warn(message: impl Display) {
    errln(fit_stderr(&format!("warning: {message}")));
}

/// [`fit`] for stderr's terminal: warnings and errors.
pub fn fit_stderr(text: &str) -> String {
    match keys::stderr_width().map(usize::from).filter(|&w| w >= 40) {
        Some(width) => wrap(text, width),
        None => text.to_string(),
    }
}

/// `text` with every control character but newline and tab shown escaped (`\u{1b}`), so
/// nothing printed can move the cursor, retitle the window, write the clipboard or clear
/// the screen. C1 controls (U+0080–U+009F) count: some terminals obey them too.
pub fn visible(text: &str) -> Cow<'_, str> {
    let raw = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !text.chars().any(raw) {
        return Cow::Borrowed(text);
    }
    let mut s = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if raw(c) {
            s.extend(c.escape_unicode());
        } else {
            s.push(c);
        }
    }
    Cow::Owned(s)
}

/// A meter of `width` cells for a peak level, -60 dBFS (empty) to 0 dBFS (full), with a mark
/// where "too quiet" ends and `CLIP` at the clipping level.
pub fn level_meter(peak: f32, width: usize) -> String {
    use crate::audio::level::{CLIP_LEVEL, QUIET_PEAK_DBFS};
    let cell = |db: f32| (((db.clamp(-60.0, 0.0) + 60.0) / 60.0) * width as f32).round() as usize;
    let filled = cell(dbfs(peak));
    // Where "too quiet" ends, by the same threshold `check` and the log judge by: a mark in
    // the empty part, filled once the level reaches it, shows how loud an answer needs to be.
    let quiet = cell(QUIET_PEAK_DBFS).saturating_sub(1);
    let mut s = String::with_capacity(width + 8);
    s.push('[');
    for i in 0..width {
        s.push(if i < filled {
            '|'
        } else if i == quiet {
            ':'
        } else {
            ' '
        });
    }
    s.push(']');
    if peak >= CLIP_LEVEL {
        s.push_str(" CLIP");
    }
    s
}

/// Minutes and seconds, `1:05`: the one M:SS of voicemock (countdowns, a take's length
/// against its limit, every listing and page). One rounding rule: to the nearest second,
/// halves up, so a figure reads the same wherever it is shown.
pub fn mmss(seconds: f64) -> String {
    let total = seconds.max(0.0).round() as u64;
    format!("{}:{:02}", total / 60, total % 60)
}

/// [`mmss`] to a tenth, by the same rule, for a player's position: `1:05.3`.
pub fn mmss_tenths(seconds: f64) -> String {
    let tenths = (seconds.max(0.0) * 10.0).round() as u64;
    format!("{}:{:02}.{}", tenths / 600, tenths / 10 % 60, tenths % 10)
}

/// Where bars draw: stderr through [`output`], like every other write (so a bar never writes
/// behind the queue's back, nor waits on a terminal nobody reads); hidden when stderr is not a
/// terminal.
fn stderr_target(hz: u8) -> ProgressDrawTarget {
    if std::io::stderr().is_terminal() {
        ProgressDrawTarget::term_like_with_hz(Box::new(StderrTerm::default()), hz)
    } else {
        ProgressDrawTarget::hidden()
    }
}

/// indicatif's terminal, as escape sequences gathered per drawing and written on flush.
#[derive(Debug, Default)]
struct StderrTerm {
    drawing: Mutex<String>,
}

impl StderrTerm {
    fn push(&self, text: &str) -> std::io::Result<()> {
        self.drawing
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push_str(text);
        Ok(())
    }

    fn escape(&self, n: usize, code: char) -> std::io::Result<()> {
        if n > 0 {
            self.push(&format!("\x1b[{n}{code}"))?;
        }
        Ok(())
    }
}

impl TermLike for StderrTerm {
    fn width(&self) -> u16 {
        keys::stderr_width().unwrap_or(80)
    }

    fn move_cursor_up(&self, n: usize) -> std::io::Result<()> {
        self.escape(n, 'A')
    }

    fn move_cursor_down(&self, n: usize) -> std::io::Result<()> {
        self.escape(n, 'B')
    }

    fn move_cursor_right(&self, n: usize) -> std::io::Result<()> {
        self.escape(n, 'C')
    }

    fn move_cursor_left(&self, n: usize) -> std::io::Result<()> {
        self.escape(n, 'D')
    }

    fn write_line(&self, s: &str) -> std::io::Result<()> {
        self.push(s)?;
        self.push("\n")
    }

    fn write_str(&self, s: &str) -> std::io::Result<()> {
        self.push(s)
    }

    fn clear_line(&self) -> std::io::Result<()> {
        self.push("\r\x1b[2K")
    }

    fn flush(&self) -> std::io::Result<()> {
        let drawing = std::mem::take(&mut *self.drawing.lock().unwrap_or_else(|e| e.into_inner()));
        if !drawing.is_empty() {
            // Raw: the drawing is made of escapes; what it shows is the program's own text.
            output::write(Target::Stderr, &drawing);
        }
        Ok(())
    }
}

/// A bar for a timed phase (think time, an answer, a test recording).
pub struct PhaseBar {
    bar: ProgressBar,
    /// A rehearsal's whole-interview bar, drawn above the phase's.
    overall: Option<(MultiProgress, ProgressBar)>,
}

fn phase_style(bar: &ProgressBar, prefix: &str, colours: &str) {
    bar.set_style(
        ProgressStyle::with_template(&format!("{{prefix:>9}} {{bar:30.{colours}}} {{msg}}"))
            .expect("a valid template")
            .progress_chars("=> "),
    );
    bar.set_prefix(prefix.to_string());
}

fn tenths(s: f64) -> u64 {
    (s * 10.0).round().max(0.0) as u64
}

impl PhaseBar {
    /// `length_s` is the phase's full length; progress is shown in tenths of a second.
    pub fn new(length_s: f64, prefix: &str) -> PhaseBar {
        let bar = ProgressBar::with_draw_target(Some(tenths(length_s).max(1)), stderr_target(15));
        phase_style(&bar, prefix, "cyan/blue");
        bar.enable_steady_tick(Duration::from_millis(100));
        PhaseBar { bar, overall: None }
    }

    /// A phase bar under a bar for the whole interview, `budget_s` long.
    pub fn with_overall(length_s: f64, prefix: &str, budget_s: f64) -> PhaseBar {
        let multi = MultiProgress::with_draw_target(stderr_target(15));
        let overall = multi.add(ProgressBar::new(tenths(budget_s).max(1)));
        phase_style(&overall, "interview", "green/white");
        let bar = multi.add(ProgressBar::new(tenths(length_s).max(1)));
        phase_style(&bar, prefix, "cyan/blue");
        bar.enable_steady_tick(Duration::from_millis(100));
        PhaseBar {
            bar,
            overall: Some((multi, overall)),
        }
    }

    /// The phase's full length, as given to [`PhaseBar::new`] (to a tenth of a second).
    pub fn length_s(&self) -> f64 {
        self.bar.length().unwrap_or(0) as f64 / 10.0
    }

    pub fn update(&self, elapsed_s: f64, message: String) {
        self.bar.set_position(tenths(elapsed_s));
        self.bar.set_message(message);
    }

    /// Moves the whole-interview bar, if there is one.
    pub fn update_overall(&self, used_s: f64, message: String) {
        if let Some((_, overall)) = &self.overall {
            overall.set_position(tenths(used_s));
            overall.set_message(message);
        }
    }

    /// Prints a line above the bar (or plainly, when the bar is hidden).
    pub fn println(&self, line: &str) {
        self.suspend(|| outln(line));
    }

    /// Runs `f` (which prints) with the bar out of the way.
    pub fn suspend(&self, f: impl FnOnce()) {
        match &self.overall {
            Some((multi, _)) => multi.suspend(f),
            None => self.bar.suspend(f),
        }
    }

    pub fn finish(self) {
        self.bar.finish_and_clear();
        if let Some((_, overall)) = self.overall {
            overall.finish_and_clear();
        }
    }
}

/// A download's progress: bytes, total, speed and time left, on stderr.
pub struct DownloadBar {
    bar: ProgressBar,
}

impl DownloadBar {
    /// `total` when the server said it; `from` bytes were already there (a resumed download).
    pub fn new(total: Option<u64>, from: u64) -> DownloadBar {
        let bar = ProgressBar::with_draw_target(total, stderr_target(10));
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
        let bar = ProgressBar::with_draw_target(None, stderr_target(15));
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
            self.bar.suspend(|| outln(line));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn long_lines_wrap_at_spaces_under_their_indent() {
        let line =
            "  Answer 1, take 1: 0:41 of 1:30, ended by you; talking stopped at 0:40; first words";
        let wrapped = super::wrap(line, 40);
        for l in wrapped.lines() {
            assert!(l.chars().count() <= 40, "{l:?}");
        }
        assert_eq!(wrapped.replace("\n    ", " "), line);
        assert!(wrapped
            .lines()
            .skip(1)
            .all(|l| l.starts_with("    ") && !l.starts_with("     ")));
        // A word longer than the width is kept whole, and short lines are untouched.
        assert_eq!(
            super::wrap("  some averyveryverylongword", 10),
            "  some\n    averyveryverylongword"
        );
        assert_eq!(super::wrap("short\n  two", 80), "short\n  two");
    }

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
        // The mark is where "too quiet" ends (-30 dBFS: halfway); full scale is clipping.
        assert_eq!(level_meter(0.0, 4), "[ :  ]");
        assert_eq!(level_meter(1.0, 4), "[||||] CLIP");
        assert_eq!(level_meter(0.5, 4), "[||||]");
        assert_eq!(level_meter(0.031_622_8, 4), "[||  ]"); // -30 dBFS: loud enough
        assert_eq!(level_meter(0.01, 4), "[|:  ]"); // -40 dBFS: too quiet
    }

    #[test]
    fn control_characters_are_shown_escaped() {
        let cases = [
            ("plain text\twith a tab\n", "plain text\twith a tab\n"),
            ("\x1b[2J\x1b]0;pwned\x07", "\\u{1b}[2J\\u{1b}]0;pwned\\u{7}"),
            (
                "clip \x1b]52;c;aGk=\x1b\\",
                "clip \\u{1b}]52;c;aGk=\\u{1b}\\",
            ),
            ("csi \u{9b}31m, cr \r", "csi \\u{9b}31m, cr \\u{d}"),
            ("délà vu ✓", "délà vu ✓"),
        ];
        for (text, expected) in cases {
            assert_eq!(visible(text), expected, "{text:?}");
        }
    }
}
