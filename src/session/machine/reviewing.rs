//! Reviewing: a take has been kept; the candidate may listen to it and record again before
//! the session goes on by itself.

use super::{signal_status, Action, Control, Event, Machine, Phase, Status};

impl Machine {
    pub(super) fn on_reviewing(
        &mut self,
        now: f64,
        since: f64,
        take: u32,
        playing: bool,
        event: Event,
        out: &mut Vec<Action>,
    ) {
        let stop_playing = |out: &mut Vec<Action>| {
            if playing {
                out.push(Action::StopPlaying);
            }
        };
        match event {
            Event::Tick if !playing && now - since >= self.review_s.unwrap_or(0.0) => {
                self.advance(now, out);
            }
            Event::PlaybackEnded if playing => {
                self.phase = Phase::Reviewing {
                    since: now,
                    take,
                    playing: false,
                };
            }
            Event::Control(Control::Listen) => {
                // Again from the start, if it was already playing.
                stop_playing(out);
                self.phase = Phase::Reviewing {
                    since,
                    take,
                    playing: true,
                };
                out.push(Action::Play { q: self.q, take });
            }
            Event::Control(Control::Enter | Control::Skip) => {
                stop_playing(out);
                self.advance(now, out);
            }
            Event::Control(Control::Repeat) => {
                // Record again: think time again, then a new take.
                stop_playing(out);
                self.begin_thinking(now, out);
            }
            Event::Control(Control::Quit) => {
                stop_playing(out);
                self.finish_question(false, out);
                self.finish(out, Status::Quit);
            }
            Event::Signal(sig) => {
                stop_playing(out);
                self.finish_question(false, out);
                self.finish(out, signal_status(sig));
            }
            _ => {}
        }
    }

    /// A take ended and is kept: review it if asked to, else go on.
    pub(super) fn kept(&mut self, now: f64, take: u32, out: &mut Vec<Action>) {
        match self.review_s {
            Some(seconds) => {
                // Nothing listens while the take is reviewed, and what comes after it waits
                // for a key or the countdown: any run-on is over by then.
                self.run_on = false;
                self.phase = Phase::Reviewing {
                    since: now,
                    take,
                    playing: false,
                };
                out.push(Action::Review {
                    q: self.q,
                    take,
                    seconds,
                });
            }
            None => self.advance(now, out),
        }
    }
}
