//! Answering: a take on the clock. It ends at the limit (or in the grace after it, once the
//! speaker stops), by itself after silence (`--auto-finish`), when the budget's wrap-up is
//! over, or by a key, a signal or a failed microphone; speech heard in it is followed here.

use super::budget::WRAP_UP_S;
use super::{signal_status, Action, Control, EndedBy, Event, Machine, Phase, StartedBy, Status};

/// In the overtime grace, the answer ends once the speaker has been silent this long: they
/// have finished (a pause this long mid-sentence is rare), so the grace has served its purpose.
pub const GRACE_SILENCE_S: f64 = 1.0;

/// An answer with no voice heard this far into it gets a warning (a muted microphone, the
/// wrong input), early enough to fix it while the answer can still be given.
pub const NO_VOICE_S: f64 = 4.0;

/// The take being recorded.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Answer {
    pub(super) since: f64,
    pub(super) take: u32,
    pub(super) limit_s: f64,
    /// When the budget ran out during this answer, and it began to wrap up.
    pub(super) wrap_up_from: Option<f64>,
    pub(super) voice: TakeVoice,
}

/// What the machine knows of the voice in the current take.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub(super) struct TakeVoice {
    /// Some speech has been heard in this take.
    pub(super) heard: bool,
    pub(super) speaking: bool,
    /// Where the last finished speech ended.
    pub(super) last_end: Option<f64>,
    /// The "no voice" warning has been given.
    warned: bool,
    /// Speech that ran on from the last take went on into this one: not this take's words,
    /// but the microphone works.
    ran_on: bool,
}

impl TakeVoice {
    /// Where the speaker last stopped, or `None` while speaking or before any speech.
    fn stopped_at(&self) -> Option<f64> {
        if self.speaking {
            None
        } else {
            self.last_end
        }
    }

    /// The speaker is still talking at `now`: speaking, or in a pause shorter than the one
    /// that says they have finished (the grace's rule).
    fn talking_at(&self, now: f64) -> bool {
        self.speaking
            || self
                .last_end
                .is_some_and(|end| self.heard && now - end < GRACE_SILENCE_S)
    }

    /// Seconds of silence since the speaker stopped, at `t`; `None` while speaking or before
    /// any speech.
    fn silent_for(&self, t: f64) -> Option<f64> {
        self.stopped_at().map(|end| t - end)
    }
}

impl Answer {
    /// Seconds past the limit at `now`.
    fn overtime(&self, now: f64) -> f64 {
        (now - self.since - self.limit_s).max(0.0)
    }

    /// How far past the limit the speaker went, when the take ends at `now` after they
    /// stopped at `end`: the silence after the last word does not count.
    fn spoken_overtime(&self, now: f64, end: f64) -> f64 {
        (end - self.since - self.limit_s).clamp(0.0, self.overtime(now))
    }

    /// The action that ends this take at `now`. Ending at a limit (the take's or the
    /// budget's) with the speaker still talking cuts them off (not when all they said was the
    /// last take running on).
    fn stop(&self, q: usize, now: f64, ended_by: EndedBy, overtime_s: f64) -> Action {
        let cut_off = self.voice.heard && self.voice.talking_at(now);
        Action::StopRecording {
            q,
            take: self.take,
            ended_by,
            overtime_s,
            cut_off: cut_off && matches!(ended_by, EndedBy::Limit | EndedBy::Budget),
        }
    }
}

impl Machine {
    pub(super) fn on_answering(
        &mut self,
        now: f64,
        a: Answer,
        event: Event,
        out: &mut Vec<Action>,
    ) {
        if event == Event::Tick {
            self.cue_lights(now - a.since, a.take, a.limit_s, out);
        }
        if matches!(event, Event::Tick | Event::Control(_) | Event::Signal(_))
            || event == Event::DeviceFailed
        {
            // Whatever ends the take now, speech going on past it stays with it.
            self.run_on = a.voice.talking_at(now);
        }
        let q = self.q;
        match event {
            Event::VoiceStarted { .. } | Event::VoiceStopped { .. } => {
                self.voice_in_take(a, event, out)
            }
            Event::Tick => self.answer_tick(now, a, out),
            Event::Control(control) => self.answer_control(now, a, control, out),
            Event::Signal(sig) => {
                out.push(a.stop(q, now, EndedBy::Interrupt, a.overtime(now)));
                self.finish_question(false, out);
                self.finish(out, signal_status(sig));
            }
            Event::DeviceFailed => {
                out.push(a.stop(q, now, EndedBy::DeviceError, a.overtime(now)));
                self.finish_question(false, out);
                self.finish(out, Status::DeviceError);
            }
            Event::SpeechEnded | Event::PlaybackEnded => {}
        }
    }

    /// Speech starting or stopping in the take.
    fn voice_in_take(&mut self, a: Answer, event: Event, out: &mut Vec<Action>) {
        let voice = a.voice;
        let voice = match event {
            Event::VoiceStarted { .. } => {
                if voice.warned && !voice.heard {
                    out.push(Action::VoiceHeard {
                        q: self.q,
                        take: a.take,
                    });
                }
                self.heard_in_question = true;
                TakeVoice {
                    heard: true,
                    speaking: true,
                    ..voice
                }
            }
            Event::VoiceStopped { at } if voice.speaking => TakeVoice {
                speaking: false,
                last_end: Some(at.max(a.since)),
                ..voice
            },
            _ => return,
        };
        self.phase = Phase::Answering(Answer { voice, ..a });
    }

    /// Time passing in the take: the first of its rules that holds ends the take, warns of
    /// no voice, or starts the budget's wrap-up.
    fn answer_tick(&mut self, now: f64, a: Answer, out: &mut Vec<Action>) {
        let (q, elapsed, voice) = (self.q, now - a.since, a.voice);
        let overtime = a.overtime(now);
        if elapsed >= a.limit_s + self.overtime_s {
            let over = voice
                .stopped_at()
                .map_or(overtime, |end| a.spoken_overtime(now, end));
            out.push(a.stop(q, now, EndedBy::Limit, over.min(self.overtime_s)));
            self.kept(now, a.take, out);
        } else if elapsed >= a.limit_s
            && !voice.speaking
            && voice.silent_for(now).is_none_or(|s| s >= GRACE_SILENCE_S)
        {
            // At the limit, or in the grace, once the speaker has stopped.
            let end = voice.stopped_at().unwrap_or(a.since);
            let over = a.spoken_overtime(now, end);
            let ended_by = if over > 0.0 {
                EndedBy::FinishedInGrace
            } else {
                EndedBy::Limit
            };
            out.push(a.stop(q, now, ended_by, over));
            self.kept(now, a.take, out);
        } else if self
            .auto_finish_s
            .is_some_and(|s| voice.heard && voice.silent_for(now).is_some_and(|t| t >= s))
        {
            let over = voice
                .stopped_at()
                .map_or(0.0, |end| a.spoken_overtime(now, end));
            out.push(a.stop(q, now, EndedBy::AutoFinish, over));
            self.kept(now, a.take, out);
        } else if !voice.heard && !voice.warned && !voice.ran_on && elapsed >= NO_VOICE_S {
            let voice = TakeVoice {
                warned: true,
                ..voice
            };
            self.phase = Phase::Answering(Answer { voice, ..a });
            out.push(Action::NoVoice { q, take: a.take });
        } else if a.wrap_up_from.is_some_and(|from| now - from >= WRAP_UP_S) {
            out.push(a.stop(q, now, EndedBy::Budget, overtime));
            self.kept(now, a.take, out);
        } else if a.wrap_up_from.is_none() && self.budget_spent(now) {
            self.phase = Phase::Answering(Answer {
                wrap_up_from: Some(now),
                ..a
            });
            out.push(Action::WrapUp {
                q,
                seconds: WRAP_UP_S.min(a.limit_s + self.overtime_s - elapsed),
            });
        }
    }

    /// A key pressed during the take: each ends it, and keeps what was recorded.
    fn answer_control(&mut self, now: f64, a: Answer, control: Control, out: &mut Vec<Action>) {
        let q = self.q;
        let stop = |ended_by| a.stop(q, now, ended_by, a.overtime(now));
        match control {
            Control::Enter => {
                out.push(stop(EndedBy::Enter));
                self.kept(now, a.take, out);
            }
            Control::Skip => {
                // The take is kept: with speech in it, the question is answered.
                out.push(stop(EndedBy::Skip));
                self.skip(now, out);
            }
            Control::Repeat => {
                // A new take at once: the question was heard and thought about.
                out.push(stop(EndedBy::Repeat));
                self.start_take(now, now, StartedBy::Restart, out);
            }
            Control::Quit => {
                out.push(stop(EndedBy::Quit));
                self.finish_question(false, out);
                self.finish(out, Status::Quit);
            }
            Control::Listen => {}
        }
    }

    /// Starts the next take, its clock running from `at`.
    pub(super) fn begin_take(
        &mut self,
        at: f64,
        now: f64,
        started_by: StartedBy,
        out: &mut Vec<Action>,
    ) {
        self.takes += 1;
        self.cued = (false, false);
        let limit_s = self.steps[self.q].limit_for(self.takes);
        // A take that starts with the budget already spent wraps up from its first second.
        let wrap_up_from = self.budget_spent(now).then_some(at);
        // Someone talking as the take starts (over its start cue) is its speaker, unless it
        // is the last take's answer running on.
        let by_voice = started_by == StartedBy::Voice;
        let heard = by_voice || (self.voice_now && !self.run_on);
        let ran_on = self.voice_now && self.run_on && !by_voice;
        self.heard_in_question |= heard;
        let speaking = by_voice || self.voice_now;
        self.run_on = false;
        self.phase = Phase::Answering(Answer {
            since: at,
            take: self.takes,
            limit_s,
            wrap_up_from,
            voice: TakeVoice {
                heard,
                speaking,
                ran_on,
                ..TakeVoice::default()
            },
        });
        out.push(Action::StartRecording {
            q: self.q,
            take: self.takes,
            limit_s,
            overtime_s: self.overtime_s,
            at,
            started_by,
        });
        if wrap_up_from.is_some() {
            out.push(Action::WrapUp {
                q: self.q,
                seconds: WRAP_UP_S.min(limit_s + self.overtime_s),
            });
        }
    }
}
