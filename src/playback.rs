//! Listening to a recording under the user's control: the loop `play` runs, written for
//! `replay` and `compare --play` too. It sees the speaker only as [`Player`] /
//! [`Playback`], the terminal only as [`PlaybackDisplay`], and input only as a channel of
//! [`PlayControl`]s, so its tests drive it with fakes.
//!
//! Keys: space pauses and resumes, ← and → move 5 s, `n` next, `p` previous, `q` quit. As
//! lines (standard input not a terminal): `pause` (toggles), `resume`, `seek +5`, `seek -5`,
//! `n`, `p`, `q`. End of input is not a command: playback runs to its end.

use std::path::Path;
use std::sync::mpsc::{Receiver, TryRecvError};
use std::time::Duration;

use crate::analysis::Pause;
use crate::audio::{DeviceError, Player};
use crate::ui::keys::{self, Input, InputGuard, Key};
use crate::ui::mmss_tenths;
use crate::ui::PlaybackDisplay;

/// How far ← and → move.
pub const SEEK_STEP_S: f64 = 5.0;

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum PlayControl {
    /// Pause if playing, resume if paused.
    TogglePause,
    Resume,
    /// Move by this many seconds (negative: back).
    Seek(f64),
    Next,
    Previous,
    Quit,
}

/// How a file's playback ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PlayOutcome {
    /// It played to its end.
    Finished,
    /// The user asked for the next or previous file.
    Next,
    Previous,
    Quit,
    /// Ctrl-C or SIGTERM.
    Interrupted,
}

/// One key of the player's set.
pub fn parse_key(key: Key) -> Option<PlayControl> {
    match key {
        Key::Char(' ') => Some(PlayControl::TogglePause),
        Key::Left => Some(PlayControl::Seek(-SEEK_STEP_S)),
        Key::Right => Some(PlayControl::Seek(SEEK_STEP_S)),
        Key::Char('n' | 'N') => Some(PlayControl::Next),
        Key::Char('p' | 'P') => Some(PlayControl::Previous),
        Key::Char('q' | 'Q') => Some(PlayControl::Quit),
        _ => None,
    }
}

/// One line of scripted input; unknown words are ignored, not guessed at.
pub fn parse_line(line: &str) -> Option<PlayControl> {
    let line = line.trim().to_ascii_lowercase();
    let mut words = line.split_whitespace();
    let first = words.next()?;
    let rest: Vec<&str> = words.collect();
    match (first, rest.as_slice()) {
        ("pause" | "space", []) => Some(PlayControl::TogglePause),
        ("resume" | "play", []) => Some(PlayControl::Resume),
        ("seek", [amount]) => {
            let s: f64 = amount.parse().ok()?;
            (s.is_finite() && s != 0.0 && s.abs() <= 24.0 * 3600.0).then_some(PlayControl::Seek(s))
        }
        ("n" | "next", []) => Some(PlayControl::Next),
        ("p" | "prev" | "previous", []) => Some(PlayControl::Previous),
        ("q" | "quit", []) => Some(PlayControl::Quit),
        _ => None,
    }
}

/// Starts reading the player's controls (keys on a terminal, lines otherwise).
pub fn spawn_controls() -> (Receiver<PlayControl>, InputGuard) {
    keys::spawn_input(|input| match input {
        Input::Key(key) => parse_key(key),
        Input::Line(line) => parse_line(&line),
    })
}

/// Plays `path` from `from_s` until it ends, the user moves on, or a signal arrives
/// (`interrupted` is polled). Pause markers are the display's business; this loop only
/// applies controls and reports progress every few milliseconds.
pub fn play_interactive(
    player: &mut dyn Player,
    path: &Path,
    from_s: f64,
    controls: &Receiver<PlayControl>,
    display: &mut dyn PlaybackDisplay,
    interrupted: &dyn Fn() -> bool,
) -> Result<PlayOutcome, DeviceError> {
    let mut playback = player.open(path, from_s)?;
    let mut controls_open = true;
    loop {
        if interrupted() {
            return Ok(PlayOutcome::Interrupted);
        }
        while controls_open {
            let control = match controls.try_recv() {
                Ok(c) => c,
                Err(TryRecvError::Empty) => break,
                Err(TryRecvError::Disconnected) => {
                    controls_open = false;
                    break;
                }
            };
            let at = playback.position_s();
            match control {
                PlayControl::TogglePause if playback.is_paused() => {
                    playback.resume();
                    display.acknowledge(&format!("resumed at {}", mmss_tenths(at)));
                }
                PlayControl::TogglePause => {
                    playback.pause();
                    display.acknowledge(&format!("paused at {}", mmss_tenths(at)));
                }
                PlayControl::Resume => {
                    playback.resume();
                    display.acknowledge(&format!("resumed at {}", mmss_tenths(at)));
                }
                PlayControl::Seek(by) => {
                    let to = (at + by).clamp(0.0, playback.duration_s());
                    playback.seek_to(to);
                    display.acknowledge(&format!(
                        "seek {by:+} from {} to {}",
                        mmss_tenths(at),
                        mmss_tenths(to)
                    ));
                }
                PlayControl::Next => return Ok(PlayOutcome::Next),
                PlayControl::Previous => return Ok(PlayOutcome::Previous),
                PlayControl::Quit => return Ok(PlayOutcome::Quit),
            }
        }
        display.show(
            playback.position_s(),
            playback.duration_s(),
            playback.is_paused(),
        );
        if playback.is_finished() {
            return Ok(PlayOutcome::Finished);
        }
        if let Some(reason) = playback.failure() {
            return Err(DeviceError::PlaybackFailed { reason });
        }
        std::thread::sleep(Duration::from_millis(10));
    }
}

/// Where the pauses of a recording are, for the bar (from `analysis`).
pub fn markers(pauses: &[Pause]) -> Vec<(f64, f64)> {
    pauses.iter().map(|p| (p.start_s, p.end_s)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audio::Playback;
    use std::cell::RefCell;
    use std::rc::Rc;
    use std::sync::mpsc;

    #[test]
    fn lines_and_keys() {
        let lines = [
            ("pause", Some(PlayControl::TogglePause)),
            (" Pause ", Some(PlayControl::TogglePause)),
            ("resume", Some(PlayControl::Resume)),
            ("seek +5", Some(PlayControl::Seek(5.0))),
            ("seek -5", Some(PlayControl::Seek(-5.0))),
            ("seek 2.5", Some(PlayControl::Seek(2.5))),
            ("seek", None),
            ("seek x", None),
            ("seek inf", None),
            ("seek 0", None),
            ("n", Some(PlayControl::Next)),
            ("p", Some(PlayControl::Previous)),
            ("q", Some(PlayControl::Quit)),
            ("", None),
            ("pause now", None),
        ];
        for (line, want) in lines {
            assert_eq!(parse_line(line), want, "{line:?}");
        }
        assert_eq!(parse_key(Key::Char(' ')), Some(PlayControl::TogglePause));
        assert_eq!(parse_key(Key::Left), Some(PlayControl::Seek(-5.0)));
        assert_eq!(parse_key(Key::Right), Some(PlayControl::Seek(5.0)));
        assert_eq!(parse_key(Key::Enter), None);
    }

    #[test]
    fn clock_shows_tenths() {
        for (s, want) in [
            (0.0, "0:00.0"),
            (3.24, "0:03.2"),
            (65.35, "1:05.4"),
            (-1.0, "0:00.0"),
        ] {
            assert_eq!(mmss_tenths(s), want, "{s}");
        }
    }

    /// A file of `duration` that advances 0.1 s per position read while playing.
    #[derive(Default)]
    struct State {
        position: f64,
        paused: bool,
        opened_at: Option<f64>,
        seeks: Vec<f64>,
    }

    struct FakePlayer(Rc<RefCell<State>>, f64);
    struct FakePlayback(Rc<RefCell<State>>, f64);

    impl Player for FakePlayer {
        fn open(&mut self, _: &Path, from_s: f64) -> Result<Box<dyn Playback>, DeviceError> {
            let mut s = self.0.borrow_mut();
            s.opened_at = Some(from_s);
            s.position = from_s;
            Ok(Box::new(FakePlayback(Rc::clone(&self.0), self.1)))
        }
    }

    impl Playback for FakePlayback {
        fn position_s(&self) -> f64 {
            let mut s = self.0.borrow_mut();
            if !s.paused {
                s.position = (s.position + 0.1).min(self.1);
            }
            s.position
        }
        fn duration_s(&self) -> f64 {
            self.1
        }
        fn pause(&mut self) {
            self.0.borrow_mut().paused = true;
        }
        fn resume(&mut self) {
            self.0.borrow_mut().paused = false;
        }
        fn is_paused(&self) -> bool {
            self.0.borrow().paused
        }
        fn seek_to(&mut self, to: f64) {
            let mut s = self.0.borrow_mut();
            s.seeks.push(to);
            s.position = to;
        }
        fn is_finished(&self) -> bool {
            self.0.borrow().position >= self.1
        }
        fn failure(&self) -> Option<String> {
            None
        }
    }

    #[derive(Default)]
    struct Lines(Vec<String>);

    impl PlaybackDisplay for Lines {
        fn show(&mut self, _: f64, _: f64, _: bool) {}
        fn acknowledge(&mut self, line: &str) {
            self.0.push(line.to_string());
        }
    }

    fn run(
        controls: &[PlayControl],
        duration: f64,
        from: f64,
    ) -> (PlayOutcome, Rc<RefCell<State>>, Vec<String>) {
        let state = Rc::new(RefCell::new(State::default()));
        let mut player = FakePlayer(Rc::clone(&state), duration);
        let (tx, rx) = mpsc::channel();
        for c in controls {
            tx.send(*c).unwrap();
        }
        drop(tx); // end of input: not a command
        let mut display = Lines::default();
        let outcome = play_interactive(
            &mut player,
            Path::new("x.wav"),
            from,
            &rx,
            &mut display,
            &|| false,
        )
        .unwrap();
        (outcome, state, display.0)
    }

    #[test]
    fn plays_to_the_end_when_input_ends() {
        let (outcome, state, acks) = run(&[], 1.0, 0.0);
        assert_eq!(outcome, PlayOutcome::Finished);
        assert_eq!(state.borrow().opened_at, Some(0.0));
        assert!(acks.is_empty());
    }

    #[test]
    fn controls_are_applied_and_acknowledged() {
        let (outcome, state, acks) = run(
            &[
                PlayControl::TogglePause,
                PlayControl::TogglePause,
                PlayControl::Seek(5.0),
                PlayControl::Seek(-100.0),
                PlayControl::Quit,
            ],
            20.0,
            2.0,
        );
        assert_eq!(outcome, PlayOutcome::Quit);
        let seeks = state.borrow().seeks.clone();
        assert_eq!(seeks.len(), 2);
        assert!((seeks[0] - 7.2).abs() < 0.35, "{seeks:?}");
        assert_eq!(seeks[1], 0.0, "a seek before the start stops at the start");
        assert!(acks[0].starts_with("paused at 0:02"), "{acks:?}");
        assert!(acks[1].starts_with("resumed at 0:02"), "{acks:?}");
        assert!(acks[2].starts_with("seek +5 from 0:02"), "{acks:?}");
        assert_eq!(acks.len(), 4);
    }

    #[test]
    fn next_previous_and_interrupt_end_the_file() {
        assert_eq!(run(&[PlayControl::Next], 10.0, 0.0).0, PlayOutcome::Next);
        assert_eq!(
            run(&[PlayControl::Previous], 10.0, 0.0).0,
            PlayOutcome::Previous
        );
        let state = Rc::new(RefCell::new(State::default()));
        let (_tx, rx) = mpsc::channel();
        let outcome = play_interactive(
            &mut FakePlayer(state, 10.0),
            Path::new("x.wav"),
            0.0,
            &rx,
            &mut Lines::default(),
            &|| true,
        )
        .unwrap();
        assert_eq!(outcome, PlayOutcome::Interrupted);
    }
}
