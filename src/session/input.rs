//! The session's controls: single keys on a terminal, or lines from a script.
//!
//! On a terminal, keys come one at a time without echo (Ctrl-C still signals) through
//! `ui::keys`, which restores the terminal on every exit path. Otherwise each line is a command: an empty line is
//! Enter, `s` skip, `r` repeat, `q` quit, `l` listen back. End of input is not a command: the session goes on
//! under its timers, so `voicemock run </dev/null` runs unattended.

use std::sync::mpsc::Receiver;

use super::machine::Control;
use crate::ui::keys::{self, Input, Key};

pub use crate::ui::keys::InputGuard as TerminalGuard;

fn parse_key(key: Key) -> Option<Control> {
    match key {
        Key::Enter | Key::Char('\n' | '\r' | ' ') => Some(Control::Enter),
        Key::Char('s' | 'S') => Some(Control::Skip),
        Key::Char('r' | 'R') => Some(Control::Repeat),
        Key::Char('q' | 'Q') => Some(Control::Quit),
        Key::Char('l' | 'L') => Some(Control::Listen),
        _ => None,
    }
}

/// Parses one line of scripted input; unknown words are ignored, not guessed at.
pub fn parse_line(line: &str) -> Option<Control> {
    match line.trim().to_ascii_lowercase().as_str() {
        "" | "enter" => Some(Control::Enter),
        "s" | "skip" => Some(Control::Skip),
        "r" | "repeat" => Some(Control::Repeat),
        "q" | "quit" => Some(Control::Quit),
        "l" | "listen" => Some(Control::Listen),
        _ => None,
    }
}

/// Starts reading controls on a background thread (`ui::keys`).
pub fn spawn_controls() -> (Receiver<Control>, TerminalGuard) {
    keys::spawn_input(|input| match input {
        Input::Key(key) => parse_key(key),
        Input::Line(line) => parse_line(&line),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_and_keys() {
        let lines = [
            ("", Some(Control::Enter)),
            ("  ", Some(Control::Enter)),
            ("s", Some(Control::Skip)),
            ("Skip", Some(Control::Skip)),
            ("r", Some(Control::Repeat)),
            ("q", Some(Control::Quit)),
            ("quit", Some(Control::Quit)),
            ("x", None),
            ("hello", None),
        ];
        for (line, expected) in lines {
            assert_eq!(parse_line(line), expected, "{line:?}");
        }
        assert_eq!(parse_key(Key::Enter), Some(Control::Enter));
        assert_eq!(parse_key(Key::Char(' ')), Some(Control::Enter));
        assert_eq!(parse_key(Key::Char('q')), Some(Control::Quit));
        assert_eq!(parse_key(Key::Char('x')), None);
        assert_eq!(parse_key(Key::Left), None);
    }
}
