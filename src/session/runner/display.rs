//! What the session shows while it runs: lines, warnings, and the bar of a timed phase with
//! its timing light.

use super::Runner;
use crate::analysis::level::dbfs;
use crate::session::machine::View;
use crate::ui::mmss;
use crate::ui::screen::{Countdown, Phase, Shown};

impl Runner<'_> {
    /// Think time for question `q` begins.
    pub(super) fn think(&mut self, q: usize, seconds: f64, now: f64) {
        self.end_bar();
        self.plan.log.questions[q].think_started_at_s.push(now);
        self.say(format!(
            "  Think time: {} (start speaking or press Enter to answer; s: skip, r: \
             repeat the question, q: quit)",
            mmss(seconds)
        ));
        self.begin_phase(Phase::Thinking, seconds, 0.0);
    }

    /// Take `take` of question `q` was kept: the candidate may listen back.
    pub(super) fn review(&mut self, q: usize, take: u32, seconds: f64) {
        self.end_bar();
        debug_assert!(self.plan.log.questions[q]
            .takes
            .iter()
            .any(|t| t.take == take));
        self.say(format!(
            "  Take {take} kept. l: listen back, r: record again, Enter: next question \
             (going on by itself in {})",
            mmss(seconds)
        ));
        self.begin_phase(Phase::Reviewing, seconds, 0.0);
    }

    /// No voice heard yet in this take: the warning, with the level the microphone hears.
    pub(super) fn no_voice(&mut self) {
        let (peak, _) = self
            .take
            .as_ref()
            .map_or((0.0, 0.0), |t| t.recording.recent_level());
        self.show(Shown::NoVoice {
            level_dbfs: dbfs(peak),
        });
    }

    pub(super) fn show(&mut self, shown: Shown) {
        self.devices.screen.show(shown);
    }

    /// A line of prose while the session runs.
    pub(super) fn say(&mut self, line: impl Into<String>) {
        self.show(Shown::Line(line.into()));
    }

    pub(super) fn warn(&mut self, message: impl Into<String>) {
        self.show(Shown::Warning(message.into()));
    }

    pub(super) fn end_bar(&mut self) {
        if std::mem::take(&mut self.showing_phase) {
            self.show(Shown::PhaseEnd);
        }
    }

    /// Shows a phase `length_s` long, `elapsed_s` in: under the whole interview's bar in a
    /// rehearsal.
    pub(super) fn begin_phase(&mut self, phase: Phase, length_s: f64, elapsed_s: f64) {
        self.show(Shown::Phase {
            phase,
            length_s,
            elapsed_s,
            budget_s: self.plan.log.budget_s,
        });
        self.showing_phase = true;
    }

    /// Moves the phase's bar, and says when the timing light changes.
    pub(super) fn render(&mut self, now: f64) {
        if !self.showing_phase {
            return;
        }
        let schedule = self.plan.machine.schedule(now).map(Into::into);
        let countdown = match self.plan.machine.view(now) {
            View::Thinking {
                elapsed_s,
                remaining_s,
                ..
            } => Countdown::Thinking {
                elapsed_s,
                remaining_s,
            },
            View::Answering {
                elapsed_s,
                remaining_s,
                light,
                ..
            } => {
                let (peak, _) = self
                    .take
                    .as_ref()
                    .map_or((0.0, 0.0), |t| t.recording.recent_level());
                Countdown::Answering {
                    elapsed_s,
                    remaining_s,
                    light: light.into(),
                    peak,
                }
            }
            View::Reviewing {
                playing,
                remaining_s,
                ..
            } => Countdown::Reviewing {
                remaining_s,
                playing,
            },
            View::Asking { .. } | View::Done => return,
        };
        self.show(Shown::Tick {
            countdown,
            schedule,
        });
        if let Countdown::Answering {
            elapsed_s, light, ..
        } = countdown
        {
            if light != self.last_light {
                self.last_light = light;
                self.show(Shown::Light {
                    at_s: elapsed_s,
                    light,
                });
            }
        }
    }
}
