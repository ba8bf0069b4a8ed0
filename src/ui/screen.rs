//! What a session shows its user, as events: the runner says what there is to see (a line,
//! a warning, a phase's countdown, the timing light, how a take went) and a [`Screen`] shows
//! it. The words, the bars and the colours are this module's; the runner prints nothing
//! itself. [`Terminal`] is the real screen: lines on stdout wrapped to the terminal's width,
//! warnings on stderr, bars on stderr (only when it is a terminal). [`Recorder`] keeps every
//! event with the session time it came at, and the lines as the terminal would print them,
//! so tests can check what a user saw and when.

use super::{errln, fit_stderr, level_meter, mmss, outln_fit, PhaseBar, Target};

/// The timing light during an answer: none until the answer has reached its useful minimum,
/// green, yellow near the limit, red at the limit and in overtime. The screen's own words for
/// what the session decides (the runner maps the machine's light onto it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Light {
    Off,
    Green,
    Yellow,
    Red,
}

/// Where a rehearsal stands against its budget, as the screen shows it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Schedule {
    pub used_s: f64,
    pub budget_s: f64,
    /// The current question (1-based) and how many the plan has.
    pub question: usize,
    pub questions: usize,
    /// Seconds ahead of the plan (negative: behind), as of when this question was asked.
    pub ahead_s: f64,
}

/// Where a session's output goes.
pub trait Screen {
    fn show(&mut self, shown: Shown);
}

/// One thing a session shows.
#[derive(Debug, Clone, PartialEq)]
pub enum Shown {
    /// A line of the session's prose (stdout, wrapped to the terminal's width).
    Line(String),
    /// Something went wrong and the session goes on (stderr, after `warning: `).
    Warning(String),
    /// Where a rehearsal stands against its budget, as a line of its own.
    Schedule(Schedule),
    /// A timed phase begins: its bar, `length_s` long with `elapsed_s` gone already; under a
    /// bar for the whole interview when the session has a budget.
    Phase {
        phase: Phase,
        length_s: f64,
        elapsed_s: f64,
        budget_s: Option<f64>,
    },
    /// The phase's countdown now (many times a second), and a rehearsal's schedule.
    Tick {
        countdown: Countdown,
        schedule: Option<Schedule>,
    },
    /// The phase is over: its bar goes.
    PhaseEnd,
    /// The timing light changed, `at_s` into the answer.
    Light { at_s: f64, light: Light },
    /// Nothing heard from the microphone early in an answer; its level now.
    NoVoice { level_dbfs: f32 },
    /// Speech heard after a [`Shown::NoVoice`] warning: the warning no longer holds.
    VoiceHeard,
    /// How take `take` of question `q` (0-based) went, once it ended.
    Take { q: usize, take: u32, line: String },
}

/// The timed phases, each with a bar.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Phase {
    Thinking,
    Answering,
    Reviewing,
}

impl Phase {
    fn label(self) -> &'static str {
        match self {
            Phase::Thinking => "thinking",
            Phase::Answering => "answering",
            Phase::Reviewing => "reviewing",
        }
    }
}

/// A phase's countdown at one moment.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Countdown {
    Thinking {
        elapsed_s: f64,
        remaining_s: f64,
    },
    Answering {
        elapsed_s: f64,
        /// Negative in overtime.
        remaining_s: f64,
        light: Light,
        /// The microphone's recent peak, for the level meter.
        peak: f32,
    },
    Reviewing {
        /// Before the session goes on by itself (frozen while the take plays).
        remaining_s: f64,
        playing: bool,
    },
}

/// The text beside a phase's bar: time left, and while answering the light and the level.
/// Colours only for a terminal.
pub fn countdown_text(countdown: &Countdown, colour: bool) -> String {
    match *countdown {
        Countdown::Thinking { remaining_s, .. } => format!("{} to think", mmss(remaining_s)),
        Countdown::Answering {
            remaining_s,
            light,
            peak,
            ..
        } => {
            let clock = if remaining_s >= 0.0 {
                format!("{} left", mmss(remaining_s))
            } else {
                format!("+{} over", mmss(-remaining_s))
            };
            format!(
                "{clock} {} {}",
                light_label(light, colour),
                level_meter(peak, 12)
            )
        }
        Countdown::Reviewing { playing: true, .. } => "listening back".to_string(),
        Countdown::Reviewing { remaining_s, .. } => format!("{} to go on", mmss(remaining_s)),
    }
}

fn light_label(light: Light, colour: bool) -> String {
    let (code, word) = match light {
        Light::Off => ("90", ""),
        Light::Green => ("32", " green"),
        Light::Yellow => ("33", " yellow"),
        Light::Red => ("31", " red"),
    };
    if colour {
        format!("\x1b[{code}m●{word}\x1b[0m")
    } else {
        format!("●{word}")
    }
}

/// "4:12 of 30:00 used, question 3 of 8, 0:40 ahead of plan".
pub fn schedule_line(s: &Schedule) -> String {
    let pace = if s.ahead_s.abs() < 5.0 {
        "on schedule".to_string()
    } else if s.ahead_s > 0.0 {
        format!("{} ahead of plan", mmss(s.ahead_s))
    } else {
        format!("{} behind plan", mmss(-s.ahead_s))
    };
    format!(
        "{} of {} used, question {} of {}, {pace}",
        mmss(s.used_s),
        mmss(s.budget_s),
        s.question,
        s.questions
    )
}

/// The line an event prints, and on which stream; `None` for what only moves a bar.
pub fn line_of(shown: &Shown) -> Option<(Target, String)> {
    let line = match shown {
        Shown::Line(line) => line.clone(),
        Shown::Warning(message) => return Some((Target::Stderr, format!("warning: {message}"))),
        Shown::Schedule(s) => format!("  {}", schedule_line(s)),
        Shown::Light { at_s, light } => {
            let what = match light {
                Light::Off => return None,
                Light::Green => "green: the answer has reached a useful length",
                Light::Yellow => "yellow: time to wrap up",
                Light::Red => "red: time is up",
            };
            format!("  [{}] {what}", mmss(*at_s))
        }
        Shown::NoVoice { level_dbfs } => format!(
            "  warning: no voice heard from the microphone yet (level {level_dbfs:.0} dBFS): \
             is it muted, or the wrong input? `voicemock check` tests it"
        ),
        Shown::VoiceHeard => "  voice heard now: the microphone works".to_string(),
        Shown::Take { line, .. } => line.clone(),
        Shown::Phase { .. } | Shown::Tick { .. } | Shown::PhaseEnd => return None,
    };
    Some((Target::Stdout, line))
}

/// The terminal: lines on stdout (wrapped to its width), warnings on stderr, and a bar on
/// stderr for each timed phase, which lines are printed above.
pub struct Terminal {
    bar: Option<PhaseBar>,
    /// The bar's light is coloured when stderr, where bars draw, is a terminal.
    colour: bool,
}

impl Terminal {
    pub fn new() -> Terminal {
        use std::io::IsTerminal;
        Terminal {
            bar: None,
            colour: std::io::stderr().is_terminal(),
        }
    }

    fn end_bar(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish();
        }
    }
}

impl Default for Terminal {
    fn default() -> Self {
        Terminal::new()
    }
}

impl Screen for Terminal {
    fn show(&mut self, shown: Shown) {
        match shown {
            Shown::Phase {
                phase,
                length_s,
                elapsed_s,
                budget_s,
            } => {
                self.end_bar();
                let bar = match budget_s {
                    Some(budget_s) => PhaseBar::with_overall(length_s, phase.label(), budget_s),
                    None => PhaseBar::new(length_s, phase.label()),
                };
                bar.update(elapsed_s, String::new());
                self.bar = Some(bar);
            }
            Shown::Tick {
                countdown,
                schedule,
            } => {
                let Some(bar) = &self.bar else { return };
                if let Some(s) = schedule {
                    bar.update_overall(s.used_s, schedule_line(&s));
                }
                let elapsed_s = match countdown {
                    Countdown::Thinking { elapsed_s, .. }
                    | Countdown::Answering { elapsed_s, .. } => elapsed_s,
                    Countdown::Reviewing { remaining_s, .. } => bar.length_s() - remaining_s,
                };
                bar.update(elapsed_s, countdown_text(&countdown, self.colour));
            }
            Shown::PhaseEnd => self.end_bar(),
            other => {
                let Some((target, line)) = line_of(&other) else {
                    return;
                };
                let print = || match target {
                    Target::Stdout => outln_fit(&line),
                    Target::Stderr => errln(fit_stderr(&line)),
                };
                match &self.bar {
                    Some(bar) => bar.suspend(print),
                    None => print(),
                }
            }
        }
    }
}

impl Drop for Terminal {
    fn drop(&mut self) {
        self.end_bar();
    }
}

/// Keeps what a session showed, for tests: every event with the session time it came at.
pub struct Recorder {
    clock: Box<dyn Fn() -> f64>,
    events: Vec<(f64, Shown)>,
}

impl Recorder {
    /// `clock` gives the session time of each event.
    pub fn new(clock: impl Fn() -> f64 + 'static) -> Recorder {
        Recorder {
            clock: Box::new(clock),
            events: Vec::new(),
        }
    }

    pub fn events(&self) -> &[(f64, Shown)] {
        &self.events
    }

    /// The lines a user read, stdout's and stderr's in the order they came, as the terminal
    /// prints them (unwrapped).
    pub fn text(&self) -> String {
        let mut text = String::new();
        for (_, shown) in &self.events {
            if let Some((_, line)) = line_of(shown) {
                text.push_str(&line);
                text.push('\n');
            }
        }
        text
    }

    /// The first event `wanted` picks, with its time.
    pub fn first(&self, wanted: impl Fn(&Shown) -> bool) -> Option<(f64, &Shown)> {
        self.events
            .iter()
            .find(|(_, s)| wanted(s))
            .map(|(t, s)| (*t, s))
    }

    /// The first line shown (as [`Recorder::text`] has it) that contains `needle`, with its
    /// time.
    pub fn line_with(&self, needle: &str) -> Option<(f64, String)> {
        self.events.iter().find_map(|(t, s)| {
            line_of(s)
                .filter(|(_, line)| line.contains(needle))
                .map(|(_, line)| (*t, line))
        })
    }
}

impl Screen for Recorder {
    fn show(&mut self, shown: Shown) {
        self.events.push(((self.clock)(), shown));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn countdowns_read_as_the_bar_shows_them() {
        let answering = |remaining_s, light| Countdown::Answering {
            elapsed_s: 10.0,
            remaining_s,
            light,
            peak: 0.9,
        };
        let cases = [
            (
                Countdown::Thinking {
                    elapsed_s: 5.0,
                    remaining_s: 25.0,
                },
                "0:25 to think",
            ),
            (
                answering(50.0, Light::Green),
                "0:50 left ● green [||||||||||||]",
            ),
            (
                answering(-3.0, Light::Red),
                "+0:03 over ● red [||||||||||||]",
            ),
            (answering(80.0, Light::Off), "1:20 left ● [||||||||||||]"),
            (
                Countdown::Reviewing {
                    remaining_s: 9.0,
                    playing: false,
                },
                "0:09 to go on",
            ),
            (
                Countdown::Reviewing {
                    remaining_s: 9.0,
                    playing: true,
                },
                "listening back",
            ),
        ];
        for (countdown, expected) in cases {
            assert_eq!(countdown_text(&countdown, false), expected, "{countdown:?}");
        }
        // On a terminal the light is coloured, and nothing else is.
        assert_eq!(
            countdown_text(&answering(50.0, Light::Yellow), true),
            "0:50 left \x1b[33m● yellow\x1b[0m [||||||||||||]"
        );
    }

    #[test]
    fn the_recorder_keeps_times_and_the_lines_a_user_read() {
        let now = std::rc::Rc::new(std::cell::Cell::new(0.0));
        let mut r = Recorder::new({
            let now = std::rc::Rc::clone(&now);
            move || now.get()
        });
        r.show(Shown::Line("  Think time".into()));
        now.set(2.5);
        r.show(Shown::Light {
            at_s: 2.0,
            light: Light::Off,
        });
        r.show(Shown::Light {
            at_s: 2.0,
            light: Light::Green,
        });
        r.show(Shown::Warning("cannot play a sound cue".into()));
        assert_eq!(
            r.text(),
            "  Think time\n  [0:02] green: the answer has reached a useful length\nwarning: \
             cannot play a sound cue\n"
        );
        let (t, _) = r.line_with("green").unwrap();
        assert_eq!(t, 2.5);
        assert!(r.first(|s| matches!(s, Shown::PhaseEnd)).is_none());
        assert_eq!(r.events().len(), 4);
    }

    #[test]
    fn a_schedule_line_says_ahead_behind_or_on_schedule() {
        let s = |ahead_s| Schedule {
            used_s: 252.0,
            budget_s: 1800.0,
            question: 3,
            questions: 8,
            ahead_s,
        };
        assert_eq!(
            schedule_line(&s(40.0)),
            "4:12 of 30:00 used, question 3 of 8, 0:40 ahead of plan"
        );
        assert_eq!(
            schedule_line(&s(-65.0)),
            "4:12 of 30:00 used, question 3 of 8, 1:05 behind plan"
        );
        assert_eq!(
            schedule_line(&s(2.0)),
            "4:12 of 30:00 used, question 3 of 8, on schedule"
        );
    }
}
