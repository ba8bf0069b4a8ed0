//! Asking a question: printing it, saying it, and noticing when the saying is over.

use super::Runner;
use crate::record::Outcome;
use crate::speech::speech_timeout;
use crate::ui::screen::Shown;

impl Runner<'_> {
    pub(super) fn ask(
        &mut self,
        q: usize,
        preface: Option<String>,
        reread: bool,
        now: f64,
    ) -> anyhow::Result<()> {
        self.end_bar();
        self.let_cue_finish();
        let total = self.plan.log.questions.len();
        let question = &self.plan.log.questions[q];
        let text = question.text.clone();
        if reread {
            let heading = format!(
                "Question {}/{} [{}]{}",
                q + 1,
                total,
                question.category,
                if question.follow_up_of.is_some() {
                    ", a follow-up"
                } else {
                    ""
                }
            );
            self.say("");
            self.say(heading);
        }
        if let Some(s) = self.plan.machine.schedule(now) {
            self.show(Shown::Schedule(s.into()));
        }
        if let Some(p) = &preface {
            self.say(format!("  ({p})"));
        }
        if reread {
            self.say(format!("  {text}"));
        }
        let said = match (preface, reread) {
            (Some(p), true) => format!("{p} {text}"),
            (None, true) => text,
            (Some(p), false) => p,
            (None, false) => String::new(),
        };
        let mut spoken = false;
        if let Some(speaker) = self
            .devices
            .speaker
            .as_deref_mut()
            .filter(|_| !said.is_empty())
        {
            match speaker.start(&said) {
                Ok(()) => {
                    spoken = true;
                    if reread {
                        self.say(
                            "  (While it is said: Enter: start answering now, s: skip, r: hear \
                             it again, q: quit)",
                        );
                    }
                }
                Err(e) => {
                    self.warn(format!("{e}; the questions will only be printed"));
                    self.devices.speaker = None;
                    self.plan.log.speech = format!("unavailable: {e}");
                }
            }
        }
        self.speech_deadline = Some(now + speech_timeout(&said).as_secs_f64());
        self.reading = Some(q);
        let question = &mut self.plan.log.questions[q];
        question.asked_at_s.push(now);
        question.spoken |= spoken && reread;
        if question.outcome == Outcome::NotReached {
            question.outcome = Outcome::Asked;
        }
        self.save()
    }

    pub(super) fn speech_finished(&mut self, now: f64) -> bool {
        let Some(speaker) = self.devices.speaker.as_deref() else {
            return true;
        };
        if !speaker.is_speaking() {
            return true;
        }
        if self.speech_deadline.is_some_and(|d| now >= d) {
            self.say("  (the speech did not report its end in time; going on)");
            if let Some(s) = self.devices.speaker.as_deref_mut() {
                s.stop();
            }
            return true;
        }
        false
    }

    /// The question's reading is over, however it ended: said, cut short, or given up on.
    pub(super) fn reading_ended(&mut self, now: f64) {
        if let Some(q) = self.reading.take() {
            self.plan.log.questions[q].speech_ended_at_s.push(now);
        }
    }
}
