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
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;
use std::time::Duration;

pub mod keys;
mod output;
pub mod screen;
pub mod table;
mod wrap;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle, TermLike};

pub use output::{drain, never_wait, stdout_closed, stdout_failure, Target, QUEUE_BYTES};
pub use screen::{Countdown, Recorder, Screen, Shown, Terminal};
pub use table::{Align, Table};
pub use wrap::{columns, fit, fit_stderr, width_of, wrap, wrap_words};

use crate::analysis::level::dbfs;

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

/// Prints one line on stderr.
pub fn errln(line: impl Display) {
    output::write(Target::Stderr, &visible(&format!("{line}\n")));
}

/// `warning: …` on stderr, wrapped to its terminal's width.
pub fn warn(message: impl Display) {
    errln(fit_stderr(&format!("warning: {message}")));
}

/// `text` with every control character but newline and tab, and every character that
/// changes how text is shown without being seen (text direction, zero width: see
/// [`crate::text`]), shown escaped (`\u{1b}`, `\u{202e}`), so nothing printed can move the
/// cursor, retitle the window, write the clipboard, clear the screen, or show a line in an
/// order other than its own.
pub fn visible(text: &str) -> Cow<'_, str> {
    if !text.chars().any(crate::text::is_unsafe) {
        return Cow::Borrowed(text);
    }
    let mut s = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if crate::text::is_unsafe(c) {
            s.extend(c.escape_unicode());
        } else {
            s.push(c);
        }
    }
    Cow::Owned(s)
}

/// `value` as pretty JSON for the terminal: control characters come escaped from serde_json
/// already, and the characters [`visible`] would escape (text direction, zero width) are
/// written as JSON escapes (`\u202e`), so the output stays valid JSON and shows nothing raw.
pub fn json(value: &impl serde::Serialize) -> serde_json::Result<String> {
    let text = serde_json::to_string_pretty(value)?;
    if !text.chars().any(crate::text::is_unsafe) {
        return Ok(text);
    }
    let mut s = String::with_capacity(text.len() + 16);
    for c in text.chars() {
        if crate::text::is_unsafe(c) {
            // Every such character is in the Basic Multilingual Plane: one escape each.
            s.push_str(&format!("\\u{:04x}", u32::from(c)));
        } else {
            s.push(c);
        }
    }
    Ok(s)
}

/// A meter of `width` cells for a peak level, -60 dBFS (empty) to 0 dBFS (full), with a mark
/// where "too quiet" ends and `CLIP` at the clipping level.
pub fn level_meter(peak: f32, width: usize) -> String {
    use crate::analysis::level::{CLIP_LEVEL, QUIET_PEAK_DBFS};
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
    bar: BarLine,
    /// A rehearsal's whole-interview bar, drawn above the phase's.
    overall: Option<(MultiProgress, BarLine)>,
    /// The width of the terminal the bars draw on, read at each update (it may be resized).
    width: fn() -> Option<usize>,
}

/// One line of a phase bar: `prefix`, the bar, and the message beside it.
struct BarLine {
    bar: ProgressBar,
    prefix: &'static str,
    colours: &'static str,
    /// The bar's length in cells now.
    cells: AtomicUsize,
}

/// The longest a phase bar is drawn, in cells; it gives up cells (down to [`MIN_BAR_CELLS`])
/// so that its line, message included, fits the terminal.
const BAR_CELLS: usize = 30;
const MIN_BAR_CELLS: usize = 5;

/// Columns taken by a phase bar's line besides the bar and the message: the prefix, right
/// aligned in 9, and a space either side of the bar.
const BAR_FRAME: usize = 11;

impl BarLine {
    fn new(bar: ProgressBar, prefix: &'static str, colours: &'static str) -> BarLine {
        let line = BarLine {
            bar,
            prefix,
            colours,
            cells: AtomicUsize::new(0),
        };
        line.style(BAR_CELLS);
        line
    }

    fn style(&self, cells: usize) {
        if self.cells.swap(cells, Ordering::Relaxed) == cells {
            return;
        }
        self.bar.set_style(
            ProgressStyle::with_template(&format!(
                "{{prefix:>9}} {{bar:{cells}.{}}} {{msg}}",
                self.colours
            ))
            .expect("a valid template")
            .progress_chars("=> "),
        );
        self.bar.set_prefix(self.prefix);
    }

    /// Shows `message`, the bar shortened if the line would not fit `width` columns (so the
    /// terminal never wraps it mid-word).
    fn show(&self, position: u64, message: String, width: Option<usize>) {
        let cells = width.map_or(BAR_CELLS, |w| {
            w.saturating_sub(BAR_FRAME + shown_width(&message))
                .clamp(MIN_BAR_CELLS, BAR_CELLS)
        });
        self.style(cells);
        self.bar.set_position(position);
        self.bar.set_message(message);
    }
}

/// Columns `text` takes on a terminal, colour escapes (`ESC [ … m`) aside.
fn shown_width(text: &str) -> usize {
    let mut plain = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            plain.push(c);
        }
    }
    width_of(&plain)
}

fn stderr_columns() -> Option<usize> {
    keys::stderr_width().map(usize::from)
}

fn tenths(s: f64) -> u64 {
    (s * 10.0).round().max(0.0) as u64
}

impl PhaseBar {
    /// `length_s` is the phase's full length; progress is shown in tenths of a second.
    pub fn new(length_s: f64, prefix: &'static str) -> PhaseBar {
        PhaseBar::drawn_on(stderr_target(15), stderr_columns, length_s, prefix, None)
    }

    /// A phase bar under a bar for the whole interview, `budget_s` long.
    pub fn with_overall(length_s: f64, prefix: &'static str, budget_s: f64) -> PhaseBar {
        PhaseBar::drawn_on(
            stderr_target(15),
            stderr_columns,
            length_s,
            prefix,
            Some(budget_s),
        )
    }

    fn drawn_on(
        target: ProgressDrawTarget,
        width: fn() -> Option<usize>,
        length_s: f64,
        prefix: &'static str,
        budget_s: Option<f64>,
    ) -> PhaseBar {
        let phase = |bar| BarLine::new(bar, prefix, "cyan/blue");
        let (bar, overall) = match budget_s {
            Some(budget_s) => {
                let multi = MultiProgress::with_draw_target(target);
                let overall = multi.add(ProgressBar::new(tenths(budget_s).max(1)));
                let overall = BarLine::new(overall, "interview", "green/white");
                let bar = multi.add(ProgressBar::new(tenths(length_s).max(1)));
                (phase(bar), Some((multi, overall)))
            }
            None => (
                phase(ProgressBar::with_draw_target(
                    Some(tenths(length_s).max(1)),
                    target,
                )),
                None,
            ),
        };
        bar.bar.enable_steady_tick(Duration::from_millis(100));
        PhaseBar {
            bar,
            overall,
            width,
        }
    }

    /// The phase's full length, as given to [`PhaseBar::new`] (to a tenth of a second).
    pub fn length_s(&self) -> f64 {
        self.bar.bar.length().unwrap_or(0) as f64 / 10.0
    }

    pub fn update(&self, elapsed_s: f64, message: String) {
        self.bar.show(tenths(elapsed_s), message, (self.width)());
    }

    /// Moves the whole-interview bar, if there is one.
    pub fn update_overall(&self, used_s: f64, message: String) {
        if let Some((_, overall)) = &self.overall {
            overall.show(tenths(used_s), message, (self.width)());
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
            None => self.bar.bar.suspend(f),
        }
    }

    pub fn finish(self) {
        self.bar.bar.finish_and_clear();
        if let Some((_, overall)) = self.overall {
            overall.bar.finish_and_clear();
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

/// What a player shows while it plays: the bar and a line per control applied.
pub trait PlaybackDisplay {
    fn show(&mut self, position_s: f64, duration_s: f64, paused: bool);
    /// A control was applied; `line` says what it did ("paused at 0:03.2").
    fn acknowledge(&mut self, line: &str);
}

impl PlaybackDisplay for PlaybackBar {
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
    use super::*;

    /// A terminal `columns` wide that keeps what indicatif draws on it.
    #[derive(Debug, Clone)]
    struct Captured {
        columns: u16,
        drawn: std::sync::Arc<Mutex<String>>,
    }

    impl TermLike for Captured {
        fn width(&self) -> u16 {
            self.columns
        }
        fn move_cursor_up(&self, n: usize) -> std::io::Result<()> {
            self.write_str(&format!("\x1b[{n}A"))
        }
        fn move_cursor_down(&self, n: usize) -> std::io::Result<()> {
            self.write_str(&format!("\x1b[{n}B"))
        }
        fn move_cursor_right(&self, n: usize) -> std::io::Result<()> {
            self.write_str(&format!("\x1b[{n}C"))
        }
        fn move_cursor_left(&self, n: usize) -> std::io::Result<()> {
            self.write_str(&format!("\x1b[{n}D"))
        }
        fn write_line(&self, s: &str) -> std::io::Result<()> {
            self.write_str(&format!("{s}\n"))
        }
        fn write_str(&self, s: &str) -> std::io::Result<()> {
            self.drawn.lock().unwrap().push_str(s);
            Ok(())
        }
        fn clear_line(&self) -> std::io::Result<()> {
            self.write_str("\r\x1b[2K")
        }
        fn flush(&self) -> std::io::Result<()> {
            Ok(())
        }
    }

    /// The rows of a terminal `columns` wide that `drawn` shows, escapes taken out: a line
    /// longer than the terminal runs on into the next row, as a terminal shows it.
    fn drawn_rows(drawn: &str, columns: usize) -> Vec<String> {
        let mut plain = String::new();
        let mut chars = drawn.chars();
        while let Some(c) = chars.next() {
            if c == '\x1b' {
                for c in chars.by_ref() {
                    if c.is_ascii_alphabetic() {
                        break;
                    }
                }
            } else {
                plain.push(c);
            }
        }
        let mut rows = Vec::new();
        for line in plain.split(['\n', '\r']) {
            let mut row = String::new();
            for c in line.chars() {
                if width_of(&row) + width_of(c.encode_utf8(&mut [0; 4])) > columns {
                    rows.push(std::mem::take(&mut row));
                }
                row.push(c);
            }
            rows.push(row);
        }
        rows.retain(|r| !r.trim().is_empty());
        rows
    }

    #[test]
    fn a_rehearsal_bar_fits_an_80_column_terminal_with_every_word_whole() {
        use screen::{Light, Schedule};
        let schedule = screen::schedule_line(&Schedule {
            used_s: 754.0,
            budget_s: 2700.0,
            question: 12,
            questions: 14,
            ahead_s: -605.0,
        });
        let countdown = screen::countdown_text(
            &Countdown::Answering {
                elapsed_s: 10.0,
                remaining_s: -83.0,
                light: Light::Yellow,
                peak: 0.5,
            },
            true,
        );
        type Width = fn() -> Option<usize>;
        let widths: [(u16, Width); 2] = [(80, || Some(80)), (120, || Some(120))];
        for (columns, width) in widths {
            let term = Captured {
                columns,
                drawn: Default::default(),
            };
            let bar = PhaseBar::drawn_on(
                ProgressDrawTarget::term_like(Box::new(term.clone())),
                width,
                120.0,
                "answering",
                Some(2700.0),
            );
            bar.update_overall(754.0, schedule.clone());
            bar.update(10.0, countdown.clone());
            std::thread::sleep(Duration::from_millis(250));
            bar.finish();
            let drawn = term.drawn.lock().unwrap().clone();
            let rows = drawn_rows(&drawn, usize::from(columns));
            // Each bar is one row of its own: its prefix starts the row, its message ends it.
            let overall = rows
                .iter()
                .rev()
                .find(|l| l.contains("interview"))
                .unwrap_or_else(|| panic!("no bar drawn: {drawn:?}"));
            assert!(
                overall.starts_with("interview "),
                "{overall:?} in {rows:#?}"
            );
            assert!(
                overall.trim_end().ends_with(&schedule),
                "{overall:?} in {rows:#?}"
            );
            let phase = rows
                .iter()
                .rev()
                .find(|l| l.contains("answering"))
                .unwrap_or_else(|| panic!("no bar drawn: {drawn:?}"));
            assert!(phase.starts_with("answering "), "{phase:?} in {rows:#?}");
            assert!(
                phase
                    .trim_end()
                    .ends_with("+1:23 over ● yellow [||||||||||| ]"),
                "{phase:?}"
            );
            // The bar gives up only the cells the message needs: all of the row at 80
            // columns, none of its 30 cells at 120.
            let cells = if columns == 80 {
                80 - 11 - width_of(&schedule)
            } else {
                30
            };
            assert_eq!(
                width_of(overall.trim_end()),
                11 + cells + width_of(&schedule),
                "{overall:?}"
            );
        }
    }

    #[test]
    fn json_escapes_hidden_characters_and_stays_json() {
        let value = serde_json::json!({"text": "a\u{202e}b\u{200b}c\u{1b}", "ok": "plain"});
        let text = json(&value).unwrap();
        assert!(!text.chars().any(crate::text::is_unsafe), "{text}");
        assert!(text.contains(r"a\u202eb\u200bc\u001b"), "{text}");
        let back: serde_json::Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back, value);
        assert_eq!(visible(&text), text.as_str());
    }

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
            // Trojan source: text direction and zero-width characters.
            (
                "id\u{202e}gnp.exe \u{2066}x\u{2069} a\u{200b}b\u{feff}",
                "id\\u{202e}gnp.exe \\u{2066}x\\u{2069} a\\u{200b}b\\u{feff}",
            ),
            ("line\u{2028}sep \u{61c}", "line\\u{2028}sep \\u{61c}"),
        ];
        for (text, expected) in cases {
            assert_eq!(visible(text), expected, "{text:?}");
        }
    }
}
