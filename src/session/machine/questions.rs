//! Moving through the plan: the next round of a drill, the next question (passing over a
//! skipped question's follow-ups), and what the interviewer says between them.

use super::{Action, Machine};

impl Machine {
    /// After a kept take: the drill's next round, or the next question.
    pub(super) fn advance(&mut self, now: f64, out: &mut Vec<Action>) {
        let step = &self.steps[self.q];
        let rounds = step.limits.len() as u32;
        if self.takes < rounds && !self.budget_spent(now) {
            let next = step.limit_for(self.takes + 1);
            let preface = self
                .transitions
                .then(|| format!("Again, this time in {}.", spoken_duration(next)));
            self.ask(preface, false, out);
        } else {
            self.next_question(now, false, out);
        }
    }

    /// Moves to question `q` and asks it.
    pub(super) fn enter_question(
        &mut self,
        now: f64,
        q: usize,
        preface: Option<String>,
        out: &mut Vec<Action>,
    ) {
        self.q = q;
        self.takes = 0;
        self.think_used_s = 0.0;
        self.heard_in_question = false;
        self.asked_at = now;
        if self.budget.and_then(|b| b.closing) == Some(q) {
            self.closing_asked = true;
        }
        self.ask(preface, true, out);
    }

    /// `s`: on to the next question. Skipped (and its follow-ups with it) only if nothing was
    /// said in any of its takes; a take with speech in it is kept as the answer.
    pub(super) fn skip(&mut self, now: f64, out: &mut Vec<Action>) {
        let skipped = !self.heard_in_question;
        self.skipped[self.q] = skipped;
        self.next_question(now, skipped, out);
    }

    /// The question after the current one, as the plan and the budget allow: a skipped
    /// question's follow-ups are passed over; with the budget short, the interview goes
    /// straight to its closing question; once that is done, it ends.
    pub(super) fn next_question(&mut self, now: f64, skipped: bool, out: &mut Vec<Action>) {
        self.finish_question(skipped, out);
        let mut next = self.q + 1;
        while next < self.steps.len()
            && self.steps[next]
                .follow_up_of
                .is_some_and(|parent| self.skipped[parent])
        {
            self.skipped[next] = true;
            next += 1;
        }
        let preface = (self.transitions && next < self.steps.len()).then(|| {
            if self.steps[next].follow_up_of.is_some() {
                "A follow-up.".to_string()
            } else {
                "Thank you. Next question.".to_string()
            }
        });
        let (next, preface) = self.within_budget(now, next, preface);
        if next >= self.steps.len() {
            self.q = self.steps.len().saturating_sub(1).max(self.q);
            self.finish(out, super::Status::Completed);
        } else {
            self.enter_question(now, next, preface, out);
        }
    }
}

/// A limit as an interviewer would say it: "two minutes", "one minute thirty", "45 seconds".
pub fn spoken_duration(s: f64) -> String {
    let s = s.round().max(0.0) as u64;
    let (m, r) = (s / 60, s % 60);
    let minutes = |m: u64| {
        if m == 1 {
            "one minute".to_string()
        } else {
            format!("{m} minutes")
        }
    };
    match (m, r) {
        (0, r) => format!("{r} seconds"),
        (m, 0) => minutes(m),
        (m, r) => format!("{} {r}", minutes(m)),
    }
}
