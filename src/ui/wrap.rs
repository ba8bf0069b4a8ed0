//! Fitting text to the terminal: the one line breaker ([`wrap_words`], at spaces and never
//! inside a word), prose wrapped with it to the terminal's width ([`fit`]), and the width of
//! text in terminal columns (the one place that names unicode-width). `table` lays its
//! columns out with the same pieces.

use super::{keys, visible};

/// The width listings and prose are fitted to: the terminal's, when stdout is one that says
/// (and is not absurdly narrow, as a bare pseudo-terminal reporting 0 is); `None` otherwise,
/// so scripts see one line per message and one row per line.
pub fn columns() -> Option<usize> {
    keys::terminal_width().filter(|&w| w >= 40)
}

/// `text` with each of its lines wrapped to the terminal's width at spaces (never inside a
/// word), continuation lines indented under the first; unchanged when stdout is not a
/// terminal, so scripts see one line per message.
pub fn fit(text: &str) -> String {
    match columns() {
        Some(width) => wrap(text, width),
        None => text.to_string(),
    }
}

/// [`fit`] for a given width: each line's words (as [`visible`] shows them) wrapped by
/// [`wrap_words`], continuation lines two columns further in than the line's own indent.
pub fn wrap(text: &str, width: usize) -> String {
    let text = visible(text);
    let mut out = String::with_capacity(text.len() + 16);
    for (n, line) in text.split('\n').enumerate() {
        if n > 0 {
            out.push('\n');
        }
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        let first = width.saturating_sub(indent).max(1);
        let rest = width.saturating_sub(indent + 2).max(1);
        for (k, l) in wrap_words(body, first, rest).iter().enumerate() {
            if k > 0 {
                out.push('\n');
                out.push_str(&" ".repeat(indent + 2));
            } else {
                out.push_str(&line[..indent]);
            }
            out.push_str(l);
        }
    }
    out
}

/// The one line breaker: `text` cut at spaces into lines of at most `first` columns (the
/// first line) and `rest` (the others), never inside a word; a word wider than its line
/// stands alone on it. Runs of spaces inside a line are kept; a break eats its spaces.
pub fn wrap_words(text: &str, first: usize, rest: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    let mut col = 0;
    let mut limit = first;
    for word in text.split(' ') {
        let w = width_of(word);
        if line.is_empty() {
            if word.is_empty() && !lines.is_empty() {
                continue;
            }
            line.push_str(word);
            col = w;
        } else if !word.is_empty() && col + 1 + w > limit {
            lines.push(std::mem::take(&mut line).trim_end().to_string());
            limit = rest;
            line.push_str(word);
            col = w;
        } else {
            line.push(' ');
            line.push_str(word);
            col += 1 + w;
        }
    }
    lines.push(line.trim_end().to_string());
    lines
}

/// How many terminal columns `text` takes (wide characters two, combining marks none).
pub fn width_of(text: &str) -> usize {
    unicode_width::UnicodeWidthStr::width(text)
}

/// [`fit`] for stderr's terminal: warnings and errors.
pub fn fit_stderr(text: &str) -> String {
    match keys::stderr_width().map(usize::from).filter(|&w| w >= 40) {
        Some(width) => wrap(text, width),
        None => text.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn wrap_words_breaks_at_spaces_within_the_width() {
        let cases: &[(&str, usize, usize, &[&str])] = &[
            ("", 10, 10, &[""]),
            ("short", 10, 10, &["short"]),
            ("one two three", 7, 7, &["one two", "three"]),
            ("one two three", 8, 8, &["one two", "three"]),
            ("a extraordinarily b", 5, 5, &["a", "extraordinarily", "b"]),
            ("one two three four", 7, 5, &["one two", "three", "four"]),
            ("keep  two  spaces", 11, 11, &["keep  two", "spaces"]),
            ("日本語 日本語", 8, 8, &["日本語", "日本語"]),
        ];
        for (text, first, rest, expected) in cases {
            assert_eq!(
                wrap_words(text, *first, *rest),
                *expected,
                "{text:?} in {first}/{rest}"
            );
        }
    }
}
