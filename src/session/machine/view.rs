//! What a display should show now, worked out from the phase and the time.

use super::budget::WRAP_UP_S;
use super::lights::{take_light, Light};
use super::{Machine, Phase};

/// What a display should show now.
#[derive(Debug, Clone, PartialEq)]
pub enum View {
    Asking {
        q: usize,
    },
    Thinking {
        q: usize,
        elapsed_s: f64,
        remaining_s: f64,
    },
    Answering {
        q: usize,
        take: u32,
        elapsed_s: f64,
        /// Seconds left before the limit; negative in overtime.
        remaining_s: f64,
        light: Light,
        /// Some speech has been heard in this take; the speaker is talking now.
        heard: bool,
        speaking: bool,
    },
    Reviewing {
        q: usize,
        take: u32,
        playing: bool,
        /// Seconds before the session goes on by itself (frozen while playing).
        remaining_s: f64,
    },
    Done,
}

impl Machine {
    pub fn view(&self, now: f64) -> View {
        match self.phase {
            Phase::Start | Phase::Asking | Phase::Cueing { .. } => View::Asking { q: self.q },
            Phase::Thinking { since } => View::Thinking {
                q: self.q,
                elapsed_s: now - since,
                remaining_s: (self.steps[self.q].think_s - (now - since)).max(0.0),
            },
            Phase::Answering(a) => {
                let mut remaining_s = a.limit_s - (now - a.since);
                if let Some(from) = a.wrap_up_from {
                    remaining_s = remaining_s.min(from + WRAP_UP_S - now);
                }
                let lights = self.steps[self.q].lights_for(a.take);
                View::Answering {
                    q: self.q,
                    take: a.take,
                    // Negative while the start cue plays.
                    elapsed_s: (now - a.since).max(0.0),
                    remaining_s,
                    light: take_light(&lights, a.since, now, &a.voice),
                    heard: a.voice.heard,
                    speaking: a.voice.speaking,
                }
            }
            Phase::Reviewing {
                since,
                take,
                playing,
            } => View::Reviewing {
                q: self.q,
                take,
                playing,
                remaining_s: if playing {
                    self.review_s.unwrap_or(0.0)
                } else {
                    (self.review_s.unwrap_or(0.0) - (now - since)).max(0.0)
                },
            },
            Phase::Done => View::Done,
        }
    }
}
