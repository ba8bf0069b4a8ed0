//! The session's controls: single keys on a terminal, or lines from a script.
//!
//! On a terminal, input is switched to key-at-a-time without echo (Ctrl-C still signals)
//! and restored when the guard drops. Otherwise each line is a command: an empty line is
//! Enter, `s` skip, `r` repeat, `q` quit. End of input is not a command: the session goes on
//! under its timers, so `voicemock run </dev/null` runs unattended.

use std::io::{BufRead, IsTerminal, Read};
use std::sync::mpsc::{self, Receiver};

use super::machine::Control;

fn parse_key(byte: u8) -> Option<Control> {
    match byte {
        b'\n' | b'\r' | b' ' => Some(Control::Enter),
        b's' | b'S' => Some(Control::Skip),
        b'r' | b'R' => Some(Control::Repeat),
        b'q' | b'Q' => Some(Control::Quit),
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
        _ => None,
    }
}

/// Starts reading controls on a background thread.
pub fn spawn_controls() -> (Receiver<Control>, TerminalGuard) {
    let (tx, rx) = mpsc::channel();
    let stdin = std::io::stdin();
    let guard = if stdin.is_terminal() {
        TerminalGuard::key_at_a_time()
    } else {
        TerminalGuard::none()
    };
    let keys = guard.active();
    std::thread::Builder::new()
        .name("voicemock-controls".into())
        .spawn(move || {
            let stdin = std::io::stdin();
            if keys {
                for byte in stdin.lock().bytes() {
                    let Ok(byte) = byte else { break };
                    if let Some(c) = parse_key(byte) {
                        if tx.send(c).is_err() {
                            break;
                        }
                    }
                }
            } else {
                for line in stdin.lock().lines() {
                    let Ok(line) = line else { break };
                    if let Some(c) = parse_line(&line) {
                        if tx.send(c).is_err() {
                            break;
                        }
                    }
                }
            }
        })
        .expect("spawning the input thread");
    (rx, guard)
}

/// Restores the terminal's settings when dropped.
pub struct TerminalGuard {
    #[cfg(unix)]
    saved: Option<libc::termios>,
    /// Restores the settings if a second signal forces the exit before this guard drops.
    #[cfg(unix)]
    _on_forced_exit: Option<super::signals::ForcedExitHook>,
}

impl TerminalGuard {
    fn none() -> Self {
        TerminalGuard {
            #[cfg(unix)]
            saved: None,
            #[cfg(unix)]
            _on_forced_exit: None,
        }
    }

    fn active(&self) -> bool {
        #[cfg(unix)]
        return self.saved.is_some();
        #[cfg(not(unix))]
        return false;
    }

    #[cfg(unix)]
    fn key_at_a_time() -> Self {
        // SAFETY: tcgetattr/tcsetattr on stdin with a termios this function owns.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(0, &mut t) != 0 {
                return Self::none();
            }
            let saved = t;
            // No line buffering and no echo; keep ISIG so Ctrl-C still interrupts and OPOST
            // so output lines still end properly.
            t.c_lflag &= !(libc::ICANON | libc::ECHO);
            t.c_cc[libc::VMIN] = 1;
            t.c_cc[libc::VTIME] = 0;
            if libc::tcsetattr(0, libc::TCSANOW, &t) != 0 {
                return Self::none();
            }
            // The same restore as on drop, run if a second signal forces the exit first.
            let restore = super::signals::on_forced_exit(move || {
                libc::tcsetattr(0, libc::TCSANOW, &saved);
            });
            TerminalGuard {
                saved: Some(saved),
                _on_forced_exit: Some(restore),
            }
        }
    }

    #[cfg(not(unix))]
    fn key_at_a_time() -> Self {
        // Elsewhere keys arrive a line at a time: type the letter, then Enter.
        Self::none()
    }
}

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        #[cfg(unix)]
        if let Some(saved) = self.saved.take() {
            // SAFETY: restores the settings read in `key_at_a_time`.
            unsafe {
                libc::tcsetattr(0, libc::TCSANOW, &saved);
            }
        }
    }
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
        assert_eq!(parse_key(b'\n'), Some(Control::Enter));
        assert_eq!(parse_key(b'q'), Some(Control::Quit));
        assert_eq!(parse_key(b'x'), None);
    }
}
