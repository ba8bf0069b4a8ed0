//! Asking: the question is being said (or printed). Enter answers at once, as speaking up
//! would; nothing listens while the interviewer speaks.

use super::{signal_status, Action, Control, Event, Machine, Phase, StartedBy, Status};

impl Machine {
    /// Before the first question: any event starts the interview (or ends it at once).
    pub(super) fn on_start(&mut self, now: f64, event: Event, out: &mut Vec<Action>) {
        match event {
            Event::Signal(sig) => self.finish(out, signal_status(sig)),
            Event::Control(Control::Quit) => self.finish(out, Status::Quit),
            _ if self.steps.is_empty() => self.finish(out, Status::Completed),
            _ => self.enter_question(now, 0, None, out),
        }
    }

    pub(super) fn on_asking(&mut self, now: f64, event: Event, out: &mut Vec<Action>) {
        match event {
            Event::SpeechEnded => self.begin_thinking(now, out),
            Event::Control(Control::Enter) => {
                // Enter while the question is still being said: the user has heard enough
                // and answers now, as they would by speaking up.
                out.push(Action::StopSpeaking);
                self.start_take(now, now, StartedBy::Enter, out);
            }
            Event::Control(Control::Skip) => {
                out.push(Action::StopSpeaking);
                self.skip(now, out);
            }
            Event::Control(Control::Repeat) => {
                out.push(Action::StopSpeaking);
                self.ask(None, true, out);
            }
            Event::Control(Control::Quit) => {
                out.push(Action::StopSpeaking);
                self.finish(out, Status::Quit);
            }
            Event::Signal(sig) => {
                out.push(Action::StopSpeaking);
                self.finish(out, signal_status(sig));
            }
            _ => {}
        }
    }

    pub(super) fn ask(&mut self, preface: Option<String>, reread: bool, out: &mut Vec<Action>) {
        // Nothing listens while the interviewer speaks.
        self.voice_now = false;
        self.phase = Phase::Asking;
        out.push(Action::Ask {
            q: self.q,
            preface,
            reread,
        });
    }
}
