//! The interview as a pure state machine: events and the current time in, actions out.
//!
//! It owns no threads, never sleeps, and knows nothing of audio, speech or terminals; the
//! runner turns its actions into device calls and feeds back what happened. Time is seconds
//! since the session started, as the runner's clock says, so tests can jump through a
//! two-minute answer in a microsecond.

//!
//! Each phase of a question has a file of its own: `asking` (the question said), `thinking`
//! (think time and the start cue), `answering` (a take on the clock), `reviewing` (listening
//! back); `questions` moves from one question to the next, `budget` holds a rehearsal to its
//! time, `lights` says how far through its limit a take is, and `view` what a display shows.

mod actions;
mod answering;
mod asking;
mod budget;
mod events;
mod lights;
mod questions;
mod reviewing;
mod thinking;
mod view;

pub use self::actions::{Action, Cue, EndedBy, StartedBy, Status};
pub use self::answering::{GRACE_SILENCE_S, NO_VOICE_S};
pub use self::budget::{Budget, Schedule, WRAP_UP_S};
pub use self::events::{Control, Event, Signal};
pub use self::lights::{light_at, Light};
pub use self::questions::spoken_duration;
pub use self::view::View;
pub use crate::pack::Lights;

use self::answering::Answer;

/// One question as the session asks it, with its timing settled.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub think_s: f64,
    /// The limit of each take: one for most questions, one per round for a drill.
    pub limits: Vec<f64>,
    /// When the lights change for a take held to `limits[0]` (scaled for the other limits).
    pub lights: Lights,
    /// The question this one follows up, as an index into the plan: skipped with it.
    pub follow_up_of: Option<usize>,
    /// Seconds the schedule gives this question: reading, thinking, answering, moving on.
    pub planned_s: f64,
}

impl Step {
    /// The limit of take `take` (1-based); takes past the plan's keep the last limit.
    pub fn limit_for(&self, take: u32) -> f64 {
        let i = (take.max(1) as usize - 1).min(self.limits.len().saturating_sub(1));
        self.limits.get(i).copied().unwrap_or(0.0)
    }

    /// The lights of take `take`.
    pub fn lights_for(&self, take: u32) -> Lights {
        self.lights.scaled(
            self.limits.first().copied().unwrap_or(1.0),
            self.limit_for(take),
        )
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Phase {
    /// Before the first question has been asked.
    Start,
    Asking,
    Thinking {
        since: f64,
    },
    /// The start cue is playing; the take starts at `until`.
    Cueing {
        until: f64,
        started_by: StartedBy,
    },
    Answering(Answer),
    /// Listening back: the countdown to going on runs from `since` while nothing plays.
    Reviewing {
        since: f64,
        take: u32,
        playing: bool,
    },
    Done,
}

#[derive(Debug)]
pub struct Machine {
    steps: Vec<Step>,
    overtime_s: f64,
    q: usize,
    phase: Phase,
    /// Takes started for the current question.
    takes: u32,
    think_used_s: f64,
    /// Seconds to review each kept take before going on; `None`: no review.
    review_s: Option<f64>,
    budget: Option<Budget>,
    /// Spoken transitions between questions ("Thank you. Next question.").
    transitions: bool,
    /// Questions skipped by the user (their follow-ups are skipped with them).
    skipped: Vec<bool>,
    /// When the current question was first asked.
    asked_at: f64,
    closing_asked: bool,
    /// End an answer after this much silence following speech (`--auto-finish`).
    auto_finish_s: Option<f64>,
    /// Play cues; a take's clock starts this long after its start cue, so the cue is over
    /// before the take is measured.
    start_cue_s: Option<f64>,
    /// The wrap-up and time-up cues of the current take have been played.
    cued: (bool, bool),
    /// Some take of the current question has had speech heard in it.
    heard_in_question: bool,
    /// The microphone open now (for think time, a start cue or a take) hears speech.
    voice_now: bool,
    /// When the open microphone last fell quiet (`None`: quiet since it opened).
    quiet_from: Option<f64>,
    /// The last take ended with its speaker still talking: whatever they go on saying belongs
    /// to that take, so no voice starts the next one until they have been quiet a moment.
    run_on: bool,
}

impl Machine {
    /// `overtime_s` is the grace after the limit during which the speaker may finish.
    pub fn new(steps: Vec<Step>, overtime_s: f64) -> Machine {
        let n = steps.len();
        Machine {
            steps,
            overtime_s: overtime_s.max(0.0),
            q: 0,
            phase: Phase::Start,
            takes: 0,
            think_used_s: 0.0,
            review_s: None,
            budget: None,
            transitions: false,
            skipped: vec![false; n],
            asked_at: 0.0,
            closing_asked: false,
            auto_finish_s: None,
            start_cue_s: None,
            cued: (false, false),
            heard_in_question: false,
            voice_now: false,
            quiet_from: None,
            run_on: false,
        }
    }

    /// Plays cues at the start of each answer (unless it was started by speaking), at the
    /// wrap-up point and at the limit; `start_cue_s` is how long the start cue takes to be
    /// heard out, which delays the take's clock.
    pub fn with_cues(mut self, start_cue_s: f64) -> Machine {
        self.start_cue_s = Some(start_cue_s.max(0.0));
        self
    }

    /// Ends each answer by itself after `seconds` of silence that follow speech.
    pub fn with_auto_finish(mut self, seconds: f64) -> Machine {
        self.auto_finish_s = Some(seconds.max(0.0));
        self
    }

    /// After each answer that ends by Enter or at the limit, wait up to `seconds` so the
    /// candidate can listen back and choose to record again; then go on by itself.
    pub fn with_review(mut self, seconds: f64) -> Machine {
        self.review_s = Some(seconds.max(0.0));
        self
    }

    /// Holds the whole interview to `budget`, with spoken transitions as an interviewer
    /// would make them.
    pub fn with_budget(mut self, budget: Budget) -> Machine {
        self.budget = Some(budget);
        self.transitions = true;
        self
    }

    /// Spoken transitions between questions without a budget (a drill's rounds).
    pub fn with_transitions(mut self) -> Machine {
        self.transitions = true;
        self
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    pub fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// True while the runner should be watching for the end of speech.
    pub fn is_asking(&self) -> bool {
        self.phase == Phase::Asking
    }

    /// True while the microphone is open for think time or an answer.
    pub fn is_listening(&self) -> bool {
        matches!(
            self.phase,
            Phase::Thinking { .. } | Phase::Cueing { .. } | Phase::Answering { .. }
        )
    }

    /// True while a recording runs.
    pub fn is_answering(&self) -> bool {
        matches!(self.phase, Phase::Answering { .. })
    }

    /// Where the interview stands against its budget; `None` without one.
    /// Feeds one event at time `now` and returns what the runner must do: each phase answers
    /// the events it cares about in its own file.
    pub fn step(&mut self, now: f64, event: Event) -> Vec<Action> {
        let mut out = Vec::new();
        match self.phase {
            Phase::Done => {}
            Phase::Start => self.on_start(now, event, &mut out),
            Phase::Asking => self.on_asking(now, event, &mut out),
            Phase::Thinking { since } => self.on_thinking(now, since, event, &mut out),
            Phase::Cueing { until, started_by } => {
                self.on_cueing(now, until, started_by, event, &mut out)
            }
            Phase::Answering(answer) => self.on_answering(now, answer, event, &mut out),
            Phase::Reviewing {
                since,
                take,
                playing,
            } => self.on_reviewing(now, since, take, playing, event, &mut out),
        }
        out
    }

    fn finish_question(&mut self, skipped: bool, out: &mut Vec<Action>) {
        out.push(Action::QuestionDone {
            q: self.q,
            think_used_s: self.think_used_s,
            skipped,
        });
    }

    fn finish(&mut self, out: &mut Vec<Action>, status: Status) {
        self.phase = Phase::Done;
        out.push(Action::Finish { status });
    }
}

fn signal_status(_signal: Signal) -> Status {
    Status::Interrupted
}

#[cfg(test)]
mod tests;
