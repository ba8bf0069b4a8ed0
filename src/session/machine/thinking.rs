//! Thinking: think time with the microphone open, so speaking up starts the answer from where
//! the speech began; then, with cues, the start cue before the take's clock runs. What the
//! microphone hears before a take starts is followed here too.

use super::answering::GRACE_SILENCE_S;
use super::{signal_status, Action, Control, Cue, Event, Machine, Phase, StartedBy, Status};

impl Machine {
    pub(super) fn on_thinking(
        &mut self,
        now: f64,
        since: f64,
        event: Event,
        out: &mut Vec<Action>,
    ) {
        let think_s = self.steps[self.q].think_s;
        let used = |t: f64| (t - since).clamp(0.0, think_s);
        let run_on = self.run_on;
        self.hear(now, event);
        match event {
            Event::Tick if now - since >= think_s => {
                self.think_used_s += think_s;
                self.start_take(since + think_s, now, StartedBy::Clock, out);
            }
            Event::Control(Control::Enter) => {
                self.think_used_s += used(now);
                self.start_take(now, now, StartedBy::Enter, out);
            }
            // Speech that ran on past the last take is still that take's: it starts
            // nothing.
            Event::VoiceStarted { at } if !run_on => {
                // Speaking up starts the answer, from where the speech began.
                let at = at.clamp(since, now);
                self.think_used_s += used(at);
                self.start_take(at, now, StartedBy::Voice, out);
            }
            Event::Control(Control::Skip) => {
                self.think_used_s += used(now);
                out.push(Action::CloseMic);
                self.skip(now, out);
            }
            Event::Control(Control::Repeat) => {
                self.think_used_s += used(now);
                out.push(Action::CloseMic);
                self.ask(None, true, out);
            }
            Event::Control(Control::Quit) => {
                out.push(Action::CloseMic);
                self.finish(out, Status::Quit);
            }
            Event::Signal(sig) => {
                out.push(Action::CloseMic);
                self.finish(out, signal_status(sig));
            }
            Event::DeviceFailed => {
                out.push(Action::CloseMic);
                self.finish_question(false, out);
                self.finish(out, Status::DeviceError);
            }
            _ => {}
        }
    }

    /// The start cue plays; the take starts at `until`.
    pub(super) fn on_cueing(
        &mut self,
        now: f64,
        until: f64,
        started_by: StartedBy,
        event: Event,
        out: &mut Vec<Action>,
    ) {
        match event {
            Event::VoiceStarted { .. } | Event::VoiceStopped { .. } => self.hear(now, event),
            Event::Tick if now >= until => self.begin_take(until, now, started_by, out),
            Event::Tick => self.hear(now, event),
            Event::Control(Control::Skip) => {
                out.push(Action::CloseMic);
                self.skip(now, out);
            }
            Event::Control(Control::Repeat) => {
                out.push(Action::CloseMic);
                self.ask(None, true, out);
            }
            Event::Control(Control::Quit) => {
                out.push(Action::CloseMic);
                self.finish_question(false, out);
                self.finish(out, Status::Quit);
            }
            Event::Signal(sig) => {
                out.push(Action::CloseMic);
                self.finish_question(false, out);
                self.finish(out, signal_status(sig));
            }
            Event::DeviceFailed => {
                out.push(Action::CloseMic);
                self.finish_question(false, out);
                self.finish(out, Status::DeviceError);
            }
            _ => {}
        }
    }

    pub(super) fn begin_thinking(&mut self, now: f64, out: &mut Vec<Action>) {
        let think_s = self.steps[self.q].think_s;
        if think_s <= 0.0 {
            self.start_take(now, now, StartedBy::Clock, out);
        } else {
            self.phase = Phase::Thinking { since: now };
            out.push(Action::Think {
                q: self.q,
                seconds: think_s,
            });
            out.push(self.open_mic());
            self.mic_opened(now);
        }
    }

    /// Starts the next take, its clock running from `at` (no later than `now`), or plays the
    /// start cue first and starts it once the cue has been heard out.
    pub(super) fn start_take(
        &mut self,
        at: f64,
        now: f64,
        started_by: StartedBy,
        out: &mut Vec<Action>,
    ) {
        match self.start_cue_s {
            // Someone already speaking needs no cue, and it would spoil their opening.
            Some(cue_s) if started_by != StartedBy::Voice => {
                // The microphone listens from the cue on (think time opened it already), so
                // a candidate who speaks up over the cue keeps their first word.
                if !matches!(self.phase, Phase::Thinking { .. }) {
                    out.push(self.open_mic());
                    self.mic_opened(now);
                }
                out.push(Action::Cue(Cue::Start));
                self.phase = Phase::Cueing {
                    until: now + cue_s,
                    started_by,
                };
            }
            _ => self.begin_take(at, now, started_by, out),
        }
    }

    /// Opens the microphone for the next take, with the limit and grace it will be held to.
    fn open_mic(&self) -> Action {
        let take = self.takes + 1;
        Action::OpenMic {
            q: self.q,
            take,
            limit_s: self.steps[self.q].limit_for(take),
            overtime_s: self.overtime_s,
        }
    }

    /// The microphone opened at `now` and hears nothing yet.
    pub(super) fn mic_opened(&mut self, now: f64) {
        self.voice_now = false;
        self.quiet_from = Some(now);
    }

    /// What the open microphone hears before a take starts; speech that ran on from the last
    /// take is over once the speaker has been quiet for [`GRACE_SILENCE_S`].
    pub(super) fn hear(&mut self, now: f64, event: Event) {
        match event {
            Event::VoiceStarted { .. } => self.voice_now = true,
            Event::VoiceStopped { at } => {
                self.voice_now = false;
                self.quiet_from = Some(at.min(now));
            }
            Event::Tick
                if self.run_on
                    && !self.voice_now
                    && self.quiet_from.is_some_and(|q| now - q >= GRACE_SILENCE_S) =>
            {
                self.run_on = false;
            }
            _ => {}
        }
    }
}
