//! The session log as the runner keeps it: written after every change (with room set aside
//! for a full disk), and the machine's words mapped to the log's own.

use anyhow::Context;

use super::Runner;
use crate::files::{is_disk_full, write_atomic};
use crate::record::format::ScheduleLog;
use crate::record::store::save_log;
use crate::record::{Outcome, SessionLog, SessionStatus, TakeEnd, TakeStart, REVIEW_FILE};
use crate::report;
use crate::session::machine::{EndedBy, StartedBy, Status};

impl Runner<'_> {
    /// Writes the log and the review sheet. If the disk is full, the room set aside at the
    /// start is given back and the write tried once more.
    pub(super) fn save(&mut self) -> anyhow::Result<()> {
        let mut result = self.write_files();
        if result.as_ref().is_err_and(is_disk_full) {
            if let Some(reserve) = self.reserve.take() {
                reserve.release();
                result = self.write_files();
            }
        }
        result.with_context(|| {
            format!(
                "writing the session log and review sheet in {}",
                self.plan.dir.display()
            )
        })
    }

    pub(super) fn write_files(&self) -> std::io::Result<()> {
        // Held while writing, so a forced exit cannot write an older log over this one.
        let mut rescue = self.rescue.lock().unwrap_or_else(|e| e.into_inner());
        if rescue.over {
            return Ok(());
        }
        save_log(&self.plan.dir, &self.plan.log)?;
        // What the log keeps (not the whole plan): a copy per step costs the session so far.
        rescue.log = Some(self.plan.log.for_writing());
        let md = report::review_markdown(&self.plan.log);
        write_atomic(&self.plan.dir.join(REVIEW_FILE), md.as_bytes())
    }

    /// Question `q` as the log should show it once the machine is done with it. One rule:
    /// answered when a take holds speech (as its analysis measured it), however the take
    /// ended (`s` after an answer keeps it); skipped when the candidate moved on and nothing
    /// was said; asked otherwise (a take with nothing said in it is not an answer: a muted
    /// microphone).
    pub(super) fn question_done(&mut self, q: usize, think_used_s: f64, skipped: bool) {
        let question = &mut self.plan.log.questions[q];
        question.think_used_s = think_used_s;
        question.outcome = if question.takes.iter().any(|t| !t.no_speech()) {
            Outcome::Answered
        } else if skipped {
            Outcome::Skipped
        } else {
            Outcome::Asked
        };
    }
}

/// A rehearsal's schedule as it turned out; `None` without a budget.
pub(super) fn schedule_log(log: &SessionLog, now: f64) -> Option<ScheduleLog> {
    let budget_s = log.budget_s?;
    Some(ScheduleLog {
        budget_s,
        planned_s: log.questions.iter().filter_map(|q| q.planned_s).sum(),
        used_s: now,
        not_reached: log
            .questions
            .iter()
            .filter(|q| q.outcome == Outcome::NotReached)
            .map(|q| q.id.clone())
            .collect(),
        over_limit: log
            .questions
            .iter()
            .filter(|q| {
                q.takes
                    .iter()
                    .any(|t| t.facts.as_ref().is_some_and(|f| f.verdict.is_over()))
            })
            .map(|q| q.id.clone())
            .collect(),
    })
}

/// How a take ended, in the log's own words.
pub(super) fn take_end(e: EndedBy) -> TakeEnd {
    match e {
        EndedBy::Enter => TakeEnd::Enter,
        EndedBy::Limit => TakeEnd::Limit,
        EndedBy::Skip => TakeEnd::Skip,
        EndedBy::Repeat => TakeEnd::Repeat,
        EndedBy::Quit => TakeEnd::Quit,
        EndedBy::Interrupt => TakeEnd::Interrupt,
        EndedBy::DeviceError => TakeEnd::DeviceError,
        EndedBy::Budget => TakeEnd::Budget,
        EndedBy::AutoFinish => TakeEnd::AutoFinish,
        EndedBy::FinishedInGrace => TakeEnd::FinishedInGrace,
    }
}

/// The session's status, in the log's own words.
pub(super) fn take_start(s: StartedBy) -> TakeStart {
    match s {
        StartedBy::Clock => TakeStart::ThinkTimeOver,
        StartedBy::Enter => TakeStart::Enter,
        StartedBy::Voice => TakeStart::Voice,
        StartedBy::Restart => TakeStart::Restart,
    }
}

pub fn session_status(s: Status) -> SessionStatus {
    match s {
        Status::InProgress => SessionStatus::InProgress,
        Status::Completed => SessionStatus::Completed,
        Status::Quit => SessionStatus::Quit,
        Status::Interrupted => SessionStatus::Interrupted,
        Status::DeviceError => SessionStatus::DeviceError,
    }
}
