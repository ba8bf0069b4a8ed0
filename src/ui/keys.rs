//! Keys from the terminal, or lines from a script: the one module that names crossterm.
//!
//! On a terminal, input is switched to key-at-a-time without echo and crossterm parses what
//! arrives, arrows included. Ctrl-C still raises SIGINT (the mode keeps `ISIG`), and output
//! still ends its lines properly (`OPOST` is kept), so this is not crossterm's raw mode.
//! The saved settings come back on every exit path: when the [`InputGuard`] drops (normal
//! return, error return, unwinding), from the panic hook installed here, and from
//! [`restore_terminal`], which signal handlers may call. When standard input is not a
//! terminal (or on systems without termios), each line is one input; the end of input sends
//! nothing.

use std::io::{BufRead, IsTerminal};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver};
use std::sync::Arc;
use std::time::Duration;

use crossterm::event::{self, Event, KeyCode, KeyEventKind, KeyModifiers};

/// One key, as the commands see it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Char(char),
    Enter,
    Left,
    Right,
    Up,
    Down,
    Esc,
}

/// What arrives on standard input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    Key(Key),
    Line(String),
}

/// Starts reading input on a background thread; `map` turns each input into the caller's
/// own control (or nothing). Keys when standard input is a terminal, lines otherwise.
pub fn spawn_input<T, F>(map: F) -> (Receiver<T>, InputGuard)
where
    T: Send + 'static,
    F: Fn(Input) -> Option<T> + Send + 'static,
{
    let (tx, rx) = mpsc::channel();
    let guard = if std::io::stdin().is_terminal() {
        InputGuard::key_at_a_time()
    } else {
        InputGuard::none()
    };
    let stop = Arc::clone(&guard.stop);
    let keys = guard.active;
    let spawned = std::thread::Builder::new()
        .name("voicemock-input".into())
        .spawn(move || {
            if keys {
                while !stop.load(Ordering::Relaxed) {
                    match event::poll(Duration::from_millis(50)) {
                        Ok(false) => continue,
                        Ok(true) => {}
                        Err(_) => break,
                    }
                    let Ok(ev) = event::read() else { break };
                    if let Some(key) = key_of(&ev) {
                        if let Some(c) = map(Input::Key(key)) {
                            if tx.send(c).is_err() {
                                break;
                            }
                        }
                    }
                }
            } else {
                for line in std::io::stdin().lock().lines() {
                    let Ok(line) = line else { break };
                    if let Some(c) = map(Input::Line(line)) {
                        if tx.send(c).is_err() {
                            break;
                        }
                    }
                }
            }
        });
    if spawned.is_err() {
        // No input thread: the controls stay silent and the command runs on its own.
        return (rx, guard);
    }
    (rx, guard)
}

fn key_of(ev: &Event) -> Option<Key> {
    let Event::Key(k) = ev else { return None };
    if k.kind == KeyEventKind::Release {
        return None;
    }
    if k.modifiers.contains(KeyModifiers::CONTROL) {
        return None;
    }
    Some(match k.code {
        KeyCode::Char(c) => Key::Char(c),
        KeyCode::Enter => Key::Enter,
        KeyCode::Left => Key::Left,
        KeyCode::Right => Key::Right,
        KeyCode::Up => Key::Up,
        KeyCode::Down => Key::Down,
        KeyCode::Esc => Key::Esc,
        _ => return None,
    })
}

/// Restores the terminal's settings and stops the key reader when dropped.
pub struct InputGuard {
    active: bool,
    stop: Arc<AtomicBool>,
}

impl InputGuard {
    fn none() -> Self {
        InputGuard {
            active: false,
            stop: Arc::new(AtomicBool::new(false)),
        }
    }

    /// True when keys (not lines) are being read.
    pub fn is_terminal(&self) -> bool {
        self.active
    }

    fn key_at_a_time() -> Self {
        let active = saved::key_at_a_time();
        if active {
            install_panic_hook();
        }
        InputGuard {
            active,
            stop: Arc::new(AtomicBool::new(false)),
        }
    }
}

impl Drop for InputGuard {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if self.active {
            restore_terminal();
        }
    }
}

/// The terminal's width in columns, when stdout is a terminal that says.
pub fn terminal_width() -> Option<usize> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() {
        return None;
    }
    crossterm::terminal::size()
        .ok()
        .map(|(w, _)| usize::from(w))
}

/// The width of the terminal behind stderr, where bars draw; `None` if it is not one.
pub fn stderr_width() -> Option<u16> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    crossterm::terminal::size()
        .ok()
        .map(|(w, _)| w)
        .filter(|&w| w > 0)
}

/// Puts the terminal back as it was before keys were read. Safe to call at any time, more
/// than once, and from a signal handler (it only calls `tcsetattr` with settings saved
/// earlier); does nothing if the terminal was never changed.
pub fn restore_terminal() {
    saved::restore();
}

fn install_panic_hook() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            restore_terminal();
            previous(info);
        }));
    });
}

#[cfg(unix)]
mod saved {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::OnceLock;

    /// The settings found before the first change; `CHANGED` says whether they need putting
    /// back. Both are read without locks, so a signal handler can restore them.
    static ORIGINAL: OnceLock<libc::termios> = OnceLock::new();
    static CHANGED: AtomicBool = AtomicBool::new(false);

    pub(super) fn key_at_a_time() -> bool {
        // SAFETY: tcgetattr/tcsetattr on stdin with a termios this function owns.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            if libc::tcgetattr(0, &mut t) != 0 {
                return false;
            }
            let original = *ORIGINAL.get_or_init(|| t);
            let mut keys = original;
            // No line buffering and no echo; keep ISIG so Ctrl-C still interrupts and OPOST
            // so output lines still end properly.
            keys.c_lflag &= !(libc::ICANON | libc::ECHO);
            keys.c_cc[libc::VMIN] = 1;
            keys.c_cc[libc::VTIME] = 0;
            if libc::tcsetattr(0, libc::TCSANOW, &keys) != 0 {
                return false;
            }
            CHANGED.store(true, Ordering::SeqCst);
            true
        }
    }

    pub(super) fn restore() {
        if CHANGED.swap(false, Ordering::SeqCst) {
            if let Some(original) = ORIGINAL.get() {
                // SAFETY: puts back the settings read in `key_at_a_time`.
                unsafe {
                    libc::tcsetattr(0, libc::TCSANOW, original);
                }
            }
        }
    }
}

#[cfg(not(unix))]
mod saved {
    // Elsewhere input stays line by line (type the letter, then Enter): crossterm's raw mode
    // would turn Ctrl-C into a key instead of the signal every command relies on.
    pub(super) fn key_at_a_time() -> bool {
        false
    }

    pub(super) fn restore() {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use crossterm::event::KeyEvent;

    #[test]
    fn keys_are_mapped_and_control_chords_ignored() {
        let press = |code, modifiers| Event::Key(KeyEvent::new(code, modifiers));
        let table = [
            (
                press(KeyCode::Char(' '), KeyModifiers::NONE),
                Some(Key::Char(' ')),
            ),
            (
                press(KeyCode::Char('q'), KeyModifiers::NONE),
                Some(Key::Char('q')),
            ),
            (press(KeyCode::Left, KeyModifiers::NONE), Some(Key::Left)),
            (press(KeyCode::Right, KeyModifiers::NONE), Some(Key::Right)),
            (press(KeyCode::Enter, KeyModifiers::NONE), Some(Key::Enter)),
            (press(KeyCode::Char('c'), KeyModifiers::CONTROL), None),
            (press(KeyCode::F(1), KeyModifiers::NONE), None),
            (Event::FocusGained, None),
        ];
        for (event, want) in table {
            assert_eq!(key_of(&event), want, "{event:?}");
        }
    }

    #[test]
    fn restoring_an_untouched_terminal_does_nothing() {
        restore_terminal();
        restore_terminal();
    }
}
