//! The interview's time budget (`rehearse`): where the interview stands against it, when it
//! is spent, and which question comes next when it runs short.

use super::Machine;

/// The interview's time budget (`rehearse`): when it runs short the interview skips ahead to
/// its closing question, and an answer still running when it runs out is wrapped up.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Budget {
    pub total_s: f64,
    /// The question that closes the interview ("your questions for us"), always asked.
    pub closing: Option<usize>,
}

/// How long an answer may go on once the budget is spent.
pub const WRAP_UP_S: f64 = 15.0;

/// Where a rehearsal stands against its budget.
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

impl Machine {
    /// Where the interview stands against its budget; `None` without one.
    pub fn schedule(&self, now: f64) -> Option<Schedule> {
        let budget = self.budget?;
        let planned_start: f64 = self.steps[..self.q.min(self.steps.len())]
            .iter()
            .map(|s| s.planned_s)
            .sum();
        Some(Schedule {
            used_s: now,
            budget_s: budget.total_s,
            question: (self.q + 1).min(self.steps.len()),
            questions: self.steps.len(),
            ahead_s: planned_start - self.asked_at,
        })
    }

    pub(super) fn budget_spent(&self, now: f64) -> bool {
        self.budget.is_some_and(|b| now >= b.total_s)
    }

    /// The question to ask after the current one when the plan says `next`, as the budget
    /// allows: with the budget short, straight to the closing question (with its own
    /// preface); once that is done, or with no time left for `next`, none (past the plan).
    pub(super) fn within_budget(
        &self,
        now: f64,
        mut next: usize,
        mut preface: Option<String>,
    ) -> (usize, Option<String>) {
        let Some(budget) = self.budget else {
            return (next, preface);
        };
        let remaining = budget.total_s - now;
        match budget.closing {
            Some(closing) if self.closing_asked => {
                if next > closing || remaining <= 0.0 {
                    next = self.steps.len();
                }
            }
            Some(closing) if next < closing => {
                let needed = self.steps[next].planned_s + self.steps[closing].planned_s;
                if remaining < needed {
                    next = closing;
                    preface = Some("Thank you. We have time for one last question.".into());
                }
            }
            Some(_) => {}
            None => {
                if next < self.steps.len() && remaining < self.steps[next].planned_s {
                    next = self.steps.len();
                }
            }
        }
        (next, preface)
    }
}
