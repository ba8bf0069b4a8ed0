//! The interview as a pure state machine: events and the current time in, actions out.
//!
//! It owns no threads, never sleeps, and knows nothing of audio, speech or terminals; the
//! runner turns its actions into device calls and feeds back what happened. Time is seconds
//! since the session started, as the runner's clock says, so tests can jump through a
//! two-minute answer in a microsecond.

use serde::{Deserialize, Serialize};

pub use crate::pack::Lights;

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

/// In the overtime grace, the answer ends once the speaker has been silent this long: they
/// have finished (a pause this long mid-sentence is rare), so the grace has served its purpose.
pub const GRACE_SILENCE_S: f64 = 1.0;

/// An answer with no voice heard this far into it gets a warning (a muted microphone, the
/// wrong input), early enough to fix it while the answer can still be given.
pub const NO_VOICE_S: f64 = 4.0;

/// What a user can do from the keyboard (or, from a script, as a line on stdin).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// Start the answer now (during think time) or end it (while answering).
    Enter,
    Skip,
    Repeat,
    Quit,
    /// Play the take just recorded (only while reviewing it).
    Listen,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Interrupt,
    Terminate,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Event {
    /// Time has passed; nothing else happened.
    Tick,
    /// The question has been said (or speech gave up).
    SpeechEnded,
    Control(Control),
    Signal(Signal),
    /// The microphone failed during an answer.
    DeviceFailed,
    /// The take being listened back to has played to its end (or could not be played).
    PlaybackEnded,
    /// The microphone heard speech begin at session time `at` (a little before now: the
    /// voice activity needs a short sound to be sure).
    VoiceStarted {
        at: f64,
    },
    /// The speech heard since the last `VoiceStarted` ended at session time `at`.
    VoiceStopped {
        at: f64,
    },
}

/// How a take ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndedBy {
    Enter,
    Limit,
    Skip,
    /// Abandoned so the question could be asked again.
    Repeat,
    Quit,
    Interrupt,
    DeviceError,
    /// Wrapped up because the interview's time ran out.
    Budget,
    /// Ended by itself after the set silence following speech (`--auto-finish`).
    AutoFinish,
    /// Went past the limit and ended once the speaker stopped, inside the grace.
    FinishedInGrace,
}

/// A short sound through the speaker, for a candidate looking away from the screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cue {
    /// The answer's clock is about to start.
    Start,
    /// Time to wrap up (the yellow light).
    WrapUp,
    /// The limit is reached.
    TimeUp,
}

/// What started a take's clock.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StartedBy {
    /// Think time ran out (or there was none).
    Clock,
    /// The user pressed Enter.
    Enter,
    /// The candidate began to speak.
    Voice,
    /// A new take straight after abandoning one (`r` while answering).
    Restart,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    InProgress,
    Completed,
    Quit,
    Interrupted,
    DeviceError,
}

/// What the runner must do, in order.
#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Say question `q` (and print it), after `preface` if there is one ("Thank you. Next
    /// question."); with `reread` false only the preface is said (a drill's next round).
    /// Report `SpeechEnded` when done.
    Ask {
        q: usize,
        preface: Option<String>,
        reread: bool,
    },
    /// Stop saying it at once.
    StopSpeaking,
    /// Think time for question `q` begins.
    Think { q: usize, seconds: f64 },
    /// Open the microphone for take `take` of question `q` without starting the take: voice
    /// activity runs (speech reported as `VoiceStarted` starts the take) and the moments
    /// before a start are kept.
    OpenMic { q: usize, take: u32 },
    /// The microphone opened by `OpenMic` is not needed after all: close it, keep nothing.
    CloseMic,
    /// Start take `take` (1-based) of question `q`, held to `limit_s`; its clock starts at
    /// session time `at` (before now when started by voice: the file keeps what came just
    /// before it). Uses the microphone `OpenMic` opened, or opens one.
    StartRecording {
        q: usize,
        take: u32,
        limit_s: f64,
        at: f64,
        started_by: StartedBy,
    },
    /// No voice has been heard in the first seconds of this take.
    NoVoice { q: usize, take: u32 },
    /// Speech was heard after all, once `NoVoice` had been given: the warning no longer holds.
    VoiceHeard { q: usize, take: u32 },
    /// Play a cue now (never while the question is being said).
    Cue(Cue),
    /// The interview's time is spent: this answer has `seconds` left to wrap up.
    WrapUp { q: usize, seconds: f64 },
    /// Stop the current recording and keep it. `cut_off`: it ended at its limit (or the
    /// budget's) while the candidate was still talking.
    StopRecording {
        q: usize,
        take: u32,
        ended_by: EndedBy,
        overtime_s: f64,
        cut_off: bool,
    },
    /// Take `take` of question `q` was kept; the candidate may listen to it and choose to
    /// record again before going on, which happens by itself after `seconds`.
    Review { q: usize, take: u32, seconds: f64 },
    /// Play take `take` of question `q`; report `PlaybackEnded` when it is over.
    Play { q: usize, take: u32 },
    /// Stop playing at once.
    StopPlaying,
    /// Question `q` is finished with: `think_used_s` of think time (over all its tries);
    /// `skipped`: the candidate skipped it without a word heard in any of its takes.
    QuestionDone {
        q: usize,
        think_used_s: f64,
        skipped: bool,
    },
    /// The session is over.
    Finish { status: Status },
}

/// The timing light during an answer, as in speech clubs: none until the answer has reached
/// its useful minimum, green, yellow near the limit, red at the limit and in overtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Light {
    Off,
    Green,
    Yellow,
    Red,
}

pub fn light_at(lights: &Lights, elapsed_s: f64) -> Light {
    if elapsed_s >= lights.red_s {
        Light::Red
    } else if elapsed_s >= lights.yellow_s {
        Light::Yellow
    } else if elapsed_s >= lights.green_s {
        Light::Green
    } else {
        Light::Off
    }
}

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
    Answering {
        since: f64,
        take: u32,
        limit_s: f64,
        /// When the budget ran out during this answer, and it began to wrap up.
        wrap_up_from: Option<f64>,
        voice: TakeVoice,
    },
    /// Listening back: the countdown to going on runs from `since` while nothing plays.
    Reviewing {
        since: f64,
        take: u32,
        playing: bool,
    },
    Done,
}

/// What the machine knows of the voice in the current take.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
struct TakeVoice {
    /// Some speech has been heard in this take.
    heard: bool,
    speaking: bool,
    /// Where the last finished speech ended.
    last_end: Option<f64>,
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
}

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

    /// The limit take `take` of question `q` is held to: the one number the timer enforces,
    /// the bar shows and the log records.
    pub fn limit_s(&self, q: usize, take: u32) -> f64 {
        self.steps[q].limit_for(take)
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

    pub fn view(&self, now: f64) -> View {
        match self.phase {
            Phase::Start | Phase::Asking | Phase::Cueing { .. } => View::Asking { q: self.q },
            Phase::Thinking { since } => View::Thinking {
                q: self.q,
                elapsed_s: now - since,
                remaining_s: (self.steps[self.q].think_s - (now - since)).max(0.0),
            },
            Phase::Answering {
                since,
                take,
                limit_s,
                wrap_up_from,
                voice,
            } => {
                let step = &self.steps[self.q];
                let mut remaining_s = limit_s - (now - since);
                if let Some(from) = wrap_up_from {
                    remaining_s = remaining_s.min(from + WRAP_UP_S - now);
                }
                let lights = step.lights_for(take);
                let mut light = light_at(&lights, now - since);
                // Green says the answer has reached a useful length: the speaker must still be
                // talking at the green point (or have spoken since), not just have said
                // something once. The review sheet judges the same way: a take whose talking
                // stopped before the minimum is "under the useful minimum".
                let talked_past_green = voice.speaking
                    || voice
                        .last_end
                        .is_some_and(|end| end - since >= lights.green_s);
                if light == Light::Green && !(voice.heard && talked_past_green) {
                    light = Light::Off;
                }
                View::Answering {
                    q: self.q,
                    take,
                    // Negative while the start cue plays.
                    elapsed_s: (now - since).max(0.0),
                    remaining_s,
                    light,
                    heard: voice.heard,
                    speaking: voice.speaking,
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

    fn budget_spent(&self, now: f64) -> bool {
        self.budget.is_some_and(|b| now >= b.total_s)
    }

    /// Feeds one event at time `now` and returns what the runner must do.
    pub fn step(&mut self, now: f64, event: Event) -> Vec<Action> {
        let mut out = Vec::new();
        match (self.phase, event) {
            (Phase::Done, _) => {}
            (Phase::Start, Event::Signal(sig)) => self.finish(&mut out, signal_status(sig)),
            (Phase::Start, Event::Control(Control::Quit)) => self.finish(&mut out, Status::Quit),
            (Phase::Start, _) => {
                if self.steps.is_empty() {
                    self.finish(&mut out, Status::Completed);
                } else {
                    self.enter_question(now, 0, None, &mut out);
                }
            }

            (Phase::Asking, Event::SpeechEnded) => self.begin_thinking(now, &mut out),
            (Phase::Asking, Event::Control(Control::Enter)) => {
                // Enter while the question is still being said: the user has heard enough
                // and answers now, as they would by speaking up.
                out.push(Action::StopSpeaking);
                self.start_take(now, now, StartedBy::Enter, &mut out);
            }
            (Phase::Asking, Event::Control(Control::Skip)) => {
                out.push(Action::StopSpeaking);
                self.skip(now, &mut out);
            }
            (Phase::Asking, Event::Control(Control::Repeat)) => {
                out.push(Action::StopSpeaking);
                self.ask(None, true, &mut out);
            }
            (Phase::Asking, Event::Control(Control::Quit)) => {
                out.push(Action::StopSpeaking);
                self.finish(&mut out, Status::Quit);
            }
            (Phase::Asking, Event::Signal(sig)) => {
                out.push(Action::StopSpeaking);
                self.finish(&mut out, signal_status(sig));
            }
            (Phase::Asking, _) => {}

            (Phase::Cueing { until, started_by }, event) => match event {
                Event::VoiceStarted { .. } | Event::VoiceStopped { .. } => self.hear(now, event),
                Event::Tick if now >= until => self.begin_take(until, now, started_by, &mut out),
                Event::Tick => self.hear(now, event),
                Event::Control(Control::Skip) => {
                    out.push(Action::CloseMic);
                    self.skip(now, &mut out);
                }
                Event::Control(Control::Repeat) => {
                    out.push(Action::CloseMic);
                    self.ask(None, true, &mut out);
                }
                Event::Control(Control::Quit) => {
                    out.push(Action::CloseMic);
                    self.finish_question(false, &mut out);
                    self.finish(&mut out, Status::Quit);
                }
                Event::Signal(sig) => {
                    out.push(Action::CloseMic);
                    self.finish_question(false, &mut out);
                    self.finish(&mut out, signal_status(sig));
                }
                Event::DeviceFailed => {
                    out.push(Action::CloseMic);
                    self.finish_question(false, &mut out);
                    self.finish(&mut out, Status::DeviceError);
                }
                _ => {}
            },

            (Phase::Thinking { since }, event) => {
                let think_s = self.steps[self.q].think_s;
                let used = |t: f64| (t - since).clamp(0.0, think_s);
                let run_on = self.run_on;
                self.hear(now, event);
                match event {
                    Event::Tick if now - since >= think_s => {
                        self.think_used_s += think_s;
                        self.start_take(since + think_s, now, StartedBy::Clock, &mut out);
                    }
                    Event::Control(Control::Enter) => {
                        self.think_used_s += used(now);
                        self.start_take(now, now, StartedBy::Enter, &mut out);
                    }
                    // Speech that ran on past the last take is still that take's: it starts
                    // nothing.
                    Event::VoiceStarted { at } if !run_on => {
                        // Speaking up starts the answer, from where the speech began.
                        let at = at.clamp(since, now);
                        self.think_used_s += used(at);
                        self.start_take(at, now, StartedBy::Voice, &mut out);
                    }
                    Event::Control(Control::Skip) => {
                        self.think_used_s += used(now);
                        out.push(Action::CloseMic);
                        self.skip(now, &mut out);
                    }
                    Event::Control(Control::Repeat) => {
                        self.think_used_s += used(now);
                        out.push(Action::CloseMic);
                        self.ask(None, true, &mut out);
                    }
                    Event::Control(Control::Quit) => {
                        out.push(Action::CloseMic);
                        self.finish(&mut out, Status::Quit);
                    }
                    Event::Signal(sig) => {
                        out.push(Action::CloseMic);
                        self.finish(&mut out, signal_status(sig));
                    }
                    Event::DeviceFailed => {
                        out.push(Action::CloseMic);
                        self.finish_question(false, &mut out);
                        self.finish(&mut out, Status::DeviceError);
                    }
                    _ => {}
                }
            }

            (
                Phase::Answering {
                    since,
                    take,
                    limit_s,
                    wrap_up_from,
                    voice,
                },
                event,
            ) => {
                let elapsed = now - since;
                let overtime = (elapsed - limit_s).max(0.0);
                // How far past the limit the speaker went, when the take ends after they
                // stopped: the silence after the last word does not count.
                let spoken_overtime = |end: f64| (end - since - limit_s).clamp(0.0, overtime);
                let q = self.q;
                let talking = voice.talking_at(now);
                // Ending at a limit (the take's or the budget's) with the speaker still
                // talking cuts them off (not when all they said was the last take running on).
                let cut_off = voice.heard && talking;
                let stop = |ended_by, overtime_s| Action::StopRecording {
                    q,
                    take,
                    ended_by,
                    overtime_s,
                    cut_off: cut_off && matches!(ended_by, EndedBy::Limit | EndedBy::Budget),
                };
                let silent_for = |t: f64| voice.stopped_at().map(|end| t - end);
                if event == Event::Tick && self.start_cue_s.is_some() {
                    let yellow = self.steps[self.q].lights_for(take).yellow_s;
                    if !self.cued.0 && elapsed >= yellow && elapsed < limit_s {
                        self.cued.0 = true;
                        out.push(Action::Cue(Cue::WrapUp));
                    }
                    if !self.cued.1 && elapsed >= limit_s {
                        self.cued = (true, true);
                        out.push(Action::Cue(Cue::TimeUp));
                    }
                }
                let set_voice = |m: &mut Machine, voice: TakeVoice| {
                    m.phase = Phase::Answering {
                        since,
                        take,
                        limit_s,
                        wrap_up_from,
                        voice,
                    };
                };
                if matches!(event, Event::Tick | Event::Control(_) | Event::Signal(_))
                    || event == Event::DeviceFailed
                {
                    // Whatever ends the take now, speech going on past it stays with it.
                    self.run_on = talking;
                }
                match event {
                    Event::VoiceStarted { .. } => {
                        if voice.warned && !voice.heard {
                            out.push(Action::VoiceHeard { q, take });
                        }
                        self.heard_in_question = true;
                        set_voice(
                            self,
                            TakeVoice {
                                heard: true,
                                speaking: true,
                                ..voice
                            },
                        )
                    }
                    Event::VoiceStopped { at } if voice.speaking => set_voice(
                        self,
                        TakeVoice {
                            speaking: false,
                            last_end: Some(at.max(since)),
                            ..voice
                        },
                    ),
                    Event::Tick if elapsed >= limit_s + self.overtime_s => {
                        let over = voice.stopped_at().map_or(overtime, spoken_overtime);
                        out.push(stop(EndedBy::Limit, over.min(self.overtime_s)));
                        self.kept(now, take, &mut out);
                    }
                    // At the limit, or in the grace, once the speaker has stopped.
                    Event::Tick
                        if elapsed >= limit_s
                            && !voice.speaking
                            && silent_for(now).is_none_or(|s| s >= GRACE_SILENCE_S) =>
                    {
                        let end = voice.stopped_at().unwrap_or(since);
                        let over = spoken_overtime(end);
                        let ended_by = if over > 0.0 {
                            EndedBy::FinishedInGrace
                        } else {
                            EndedBy::Limit
                        };
                        out.push(stop(ended_by, over));
                        self.kept(now, take, &mut out);
                    }
                    Event::Tick
                        if self.auto_finish_s.is_some_and(|a| {
                            voice.heard && silent_for(now).is_some_and(|s| s >= a)
                        }) =>
                    {
                        let over = voice.stopped_at().map_or(0.0, spoken_overtime);
                        out.push(stop(EndedBy::AutoFinish, over));
                        self.kept(now, take, &mut out);
                    }
                    Event::Tick
                        if !voice.heard
                            && !voice.warned
                            && !voice.ran_on
                            && elapsed >= NO_VOICE_S =>
                    {
                        set_voice(
                            self,
                            TakeVoice {
                                warned: true,
                                ..voice
                            },
                        );
                        out.push(Action::NoVoice { q: self.q, take });
                    }
                    Event::Tick if wrap_up_from.is_some_and(|from| now - from >= WRAP_UP_S) => {
                        out.push(stop(EndedBy::Budget, overtime));
                        self.kept(now, take, &mut out);
                    }
                    Event::Tick if wrap_up_from.is_none() && self.budget_spent(now) => {
                        self.phase = Phase::Answering {
                            since,
                            take,
                            limit_s,
                            wrap_up_from: Some(now),
                            voice,
                        };
                        out.push(Action::WrapUp {
                            q: self.q,
                            seconds: WRAP_UP_S.min(limit_s + self.overtime_s - elapsed),
                        });
                    }
                    Event::Control(Control::Enter) => {
                        out.push(stop(EndedBy::Enter, overtime));
                        self.kept(now, take, &mut out);
                    }
                    Event::Control(Control::Skip) => {
                        // The take is kept: with speech in it, the question is answered.
                        out.push(stop(EndedBy::Skip, overtime));
                        self.skip(now, &mut out);
                    }
                    Event::Control(Control::Repeat) => {
                        // A new take at once: the question was heard and thought about.
                        out.push(stop(EndedBy::Repeat, overtime));
                        self.start_take(now, now, StartedBy::Restart, &mut out);
                    }
                    Event::Control(Control::Quit) => {
                        out.push(stop(EndedBy::Quit, overtime));
                        self.finish_question(false, &mut out);
                        self.finish(&mut out, Status::Quit);
                    }
                    Event::Signal(sig) => {
                        out.push(stop(EndedBy::Interrupt, overtime));
                        self.finish_question(false, &mut out);
                        self.finish(&mut out, signal_status(sig));
                    }
                    Event::DeviceFailed => {
                        out.push(stop(EndedBy::DeviceError, overtime));
                        self.finish_question(false, &mut out);
                        self.finish(&mut out, Status::DeviceError);
                    }
                    _ => {}
                }
            }

            (
                Phase::Reviewing {
                    since,
                    take,
                    playing,
                },
                event,
            ) => {
                let stop_playing = |out: &mut Vec<Action>| {
                    if playing {
                        out.push(Action::StopPlaying);
                    }
                };
                match event {
                    Event::Tick if !playing && now - since >= self.review_s.unwrap_or(0.0) => {
                        self.advance(now, &mut out);
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
                        stop_playing(&mut out);
                        self.phase = Phase::Reviewing {
                            since,
                            take,
                            playing: true,
                        };
                        out.push(Action::Play { q: self.q, take });
                    }
                    Event::Control(Control::Enter | Control::Skip) => {
                        stop_playing(&mut out);
                        self.advance(now, &mut out);
                    }
                    Event::Control(Control::Repeat) => {
                        // Record again: think time again, then a new take.
                        stop_playing(&mut out);
                        self.begin_thinking(now, &mut out);
                    }
                    Event::Control(Control::Quit) => {
                        stop_playing(&mut out);
                        self.finish_question(false, &mut out);
                        self.finish(&mut out, Status::Quit);
                    }
                    Event::Signal(sig) => {
                        stop_playing(&mut out);
                        self.finish_question(false, &mut out);
                        self.finish(&mut out, signal_status(sig));
                    }
                    _ => {}
                }
            }
        }
        out
    }

    /// A take ended and is kept: review it if asked to, else go on.
    fn kept(&mut self, now: f64, take: u32, out: &mut Vec<Action>) {
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

    /// After a kept take: the drill's next round, or the next question.
    fn advance(&mut self, now: f64, out: &mut Vec<Action>) {
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

    fn ask(&mut self, preface: Option<String>, reread: bool, out: &mut Vec<Action>) {
        // Nothing listens while the interviewer speaks.
        self.voice_now = false;
        self.phase = Phase::Asking;
        out.push(Action::Ask {
            q: self.q,
            preface,
            reread,
        });
    }

    /// Moves to question `q` and asks it.
    fn enter_question(
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

    fn begin_thinking(&mut self, now: f64, out: &mut Vec<Action>) {
        let think_s = self.steps[self.q].think_s;
        if think_s <= 0.0 {
            self.start_take(now, now, StartedBy::Clock, out);
        } else {
            self.phase = Phase::Thinking { since: now };
            out.push(Action::Think {
                q: self.q,
                seconds: think_s,
            });
            out.push(Action::OpenMic {
                q: self.q,
                take: self.takes + 1,
            });
            self.mic_opened(now);
        }
    }

    /// Starts the next take, its clock running from `at` (no later than `now`), or plays the
    /// start cue first and starts it once the cue has been heard out.
    fn start_take(&mut self, at: f64, now: f64, started_by: StartedBy, out: &mut Vec<Action>) {
        match self.start_cue_s {
            // Someone already speaking needs no cue, and it would spoil their opening.
            Some(cue_s) if started_by != StartedBy::Voice => {
                // The microphone listens from the cue on (think time opened it already), so
                // a candidate who speaks up over the cue keeps their first word.
                if !matches!(self.phase, Phase::Thinking { .. }) {
                    out.push(Action::OpenMic {
                        q: self.q,
                        take: self.takes + 1,
                    });
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

    fn begin_take(&mut self, at: f64, now: f64, started_by: StartedBy, out: &mut Vec<Action>) {
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
        self.phase = Phase::Answering {
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
        };
        out.push(Action::StartRecording {
            q: self.q,
            take: self.takes,
            limit_s,
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

    /// `s`: on to the next question. Skipped (and its follow-ups with it) only if nothing was
    /// said in any of its takes; a take with speech in it is kept as the answer.
    fn skip(&mut self, now: f64, out: &mut Vec<Action>) {
        let skipped = !self.heard_in_question;
        self.skipped[self.q] = skipped;
        self.next_question(now, skipped, out);
    }

    /// The microphone opened at `now` and hears nothing yet.
    fn mic_opened(&mut self, now: f64) {
        self.voice_now = false;
        self.quiet_from = Some(now);
    }

    /// What the open microphone hears before a take starts; speech that ran on from the last
    /// take is over once the speaker has been quiet for [`GRACE_SILENCE_S`].
    fn hear(&mut self, now: f64, event: Event) {
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

    fn finish_question(&mut self, skipped: bool, out: &mut Vec<Action>) {
        out.push(Action::QuestionDone {
            q: self.q,
            think_used_s: self.think_used_s,
            skipped,
        });
    }

    /// The question after the current one, as the plan and the budget allow: a skipped
    /// question's follow-ups are passed over; with the budget short, the interview goes
    /// straight to its closing question; once that is done, it ends.
    fn next_question(&mut self, now: f64, skipped: bool, out: &mut Vec<Action>) {
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
        let mut preface = (self.transitions && next < self.steps.len()).then(|| {
            if self.steps[next].follow_up_of.is_some() {
                "A follow-up.".to_string()
            } else {
                "Thank you. Next question.".to_string()
            }
        });
        if let Some(budget) = self.budget {
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
        }
        if next >= self.steps.len() {
            self.q = self.steps.len().saturating_sub(1).max(self.q);
            self.finish(out, Status::Completed);
        } else {
            self.enter_question(now, next, preface, out);
        }
    }

    fn finish(&mut self, out: &mut Vec<Action>, status: Status) {
        self.phase = Phase::Done;
        out.push(Action::Finish { status });
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

fn signal_status(_signal: Signal) -> Status {
    Status::Interrupted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(think_s: f64, limit_s: f64) -> Step {
        Step {
            think_s,
            limits: vec![limit_s],
            lights: Lights {
                green_s: limit_s / 2.0,
                yellow_s: limit_s * 3.0 / 4.0,
                red_s: limit_s,
            },
            follow_up_of: None,
            planned_s: think_s + limit_s + 5.0,
        }
    }

    /// Drives a machine through `(time, event)` pairs and returns every action, in order.
    fn drive_raw(machine: &mut Machine, script: &[(f64, Event)]) -> Vec<Action> {
        script
            .iter()
            .flat_map(|&(t, e)| machine.step(t, e))
            .collect()
    }

    /// [`drive_raw`] with each recording's limit, start time and cause left out, and the
    /// microphone's opening and closing for think time too, for tests about the flow.
    fn drive(machine: &mut Machine, script: &[(f64, Event)]) -> Vec<Action> {
        drive_raw(machine, script)
            .into_iter()
            .filter(|a| !matches!(a, OpenMic { .. } | CloseMic | NoVoice { .. }))
            .map(|a| match a {
                StartRecording { q, take, .. } => rec(q, take),
                other => other,
            })
            .collect()
    }

    fn ask(q: usize) -> Action {
        Action::Ask {
            q,
            preface: None,
            reread: true,
        }
    }

    fn rec(q: usize, take: u32) -> Action {
        Action::StartRecording {
            q,
            take,
            limit_s: 0.0,
            at: 0.0,
            started_by: StartedBy::Clock,
        }
    }

    fn stop(q: usize, take: u32, ended_by: EndedBy, overtime_s: f64) -> Action {
        Action::StopRecording {
            q,
            take,
            ended_by,
            overtime_s,
            cut_off: false,
        }
    }

    /// A take ended at its limit with the speaker still talking.
    fn cut(q: usize, take: u32, ended_by: EndedBy, overtime_s: f64) -> Action {
        Action::StopRecording {
            q,
            take,
            ended_by,
            overtime_s,
            cut_off: true,
        }
    }

    fn done(q: usize, think_used_s: f64, skipped: bool) -> Action {
        Action::QuestionDone {
            q,
            think_used_s,
            skipped,
        }
    }

    use Action::*;
    use Event::{DeviceFailed, SpeechEnded, Tick};

    #[test]
    fn full_session_runs_on_the_clock() {
        let mut m = Machine::new(vec![step(10.0, 60.0), step(0.0, 30.0)], 0.0);
        let actions = drive(
            &mut m,
            &[
                (0.0, Tick),
                (4.0, SpeechEnded),
                (13.9, Tick),
                (14.0, Tick),
                (73.9, Tick),
                (74.0, Tick),
                (77.0, SpeechEnded),
                (106.9, Tick),
                (107.0, Tick),
            ],
        );
        assert_eq!(
            actions,
            vec![
                ask(0),
                Think {
                    q: 0,
                    seconds: 10.0
                },
                rec(0, 1),
                stop(0, 1, EndedBy::Limit, 0.0),
                done(0, 10.0, false),
                ask(1),
                rec(1, 1),
                stop(1, 1, EndedBy::Limit, 0.0),
                done(1, 0.0, false),
                Finish {
                    status: Status::Completed
                },
            ]
        );
        assert!(m.is_done());
    }

    #[test]
    fn enter_starts_early_and_ends_early() {
        let mut m = Machine::new(vec![step(15.0, 60.0)], 0.0);
        let actions = drive(
            &mut m,
            &[
                (0.0, Tick),
                (2.0, SpeechEnded),
                (5.0, Event::Control(Control::Enter)),
                (30.0, Event::Control(Control::Enter)),
            ],
        );
        assert_eq!(
            actions[2..],
            [
                rec(0, 1),
                stop(0, 1, EndedBy::Enter, 0.0),
                done(0, 3.0, false),
                Finish {
                    status: Status::Completed
                }
            ]
        );
    }

    #[test]
    fn overtime_grace_lets_the_speaker_finish() {
        let talking = Event::VoiceStarted { at: 2.0 };
        let mut m = Machine::new(vec![step(0.0, 60.0)], 15.0);
        let mut actions = drive(
            &mut m,
            &[
                (0.0, Tick),
                (1.0, SpeechEnded),
                (2.1, talking),
                (61.0, Tick),
            ],
        );
        assert_eq!(actions.last(), Some(&rec(0, 1)));
        assert_eq!(
            m.view(70.0),
            View::Answering {
                q: 0,
                take: 1,
                elapsed_s: 69.0,
                remaining_s: -9.0,
                light: Light::Red,
                heard: true,
                speaking: true,
            }
        );
        // Ending in overtime records how far over it went.
        actions = m.step(71.0, Event::Control(Control::Enter));
        assert_eq!(actions[0], stop(0, 1, EndedBy::Enter, 10.0));

        // Left to run while the speaker talks on, it stops when the grace runs out.
        let mut m = Machine::new(vec![step(0.0, 60.0)], 15.0);
        drive(&mut m, &[(0.0, Tick), (1.0, SpeechEnded), (2.1, talking)]);
        assert!(m.step(75.9, Tick).is_empty());
        // Still talking when the grace ran out: cut off.
        assert_eq!(m.step(76.0, Tick)[0], cut(0, 1, EndedBy::Limit, 15.0));
    }

    #[test]
    fn the_grace_ends_once_the_speaker_stops_and_counts_only_what_was_said() {
        let talking = Event::VoiceStarted { at: 2.0 };
        // Stops talking 4 s into the grace: the take ends a grace silence later, 4 s over.
        let mut m = Machine::new(vec![step(0.0, 60.0)], 15.0);
        drive(&mut m, &[(0.0, Tick), (1.0, SpeechEnded), (2.1, talking)]);
        assert!(m.step(64.8, Event::VoiceStopped { at: 65.0 }).is_empty());
        assert!(m.step(65.9, Tick).is_empty());
        assert_eq!(
            m.step(65.0 + GRACE_SILENCE_S, Tick)[0],
            stop(0, 1, EndedBy::FinishedInGrace, 4.0)
        );

        // Finished at 0:10 of a 0:20 limit: stops at the limit, nothing over, the silence and
        // the grace not counted.
        let mut m = Machine::new(vec![step(0.0, 20.0)], 15.0);
        drive(&mut m, &[(0.0, Tick), (1.0, SpeechEnded), (2.1, talking)]);
        assert!(m.step(11.3, Event::VoiceStopped { at: 11.0 }).is_empty());
        assert!(m.step(20.9, Tick).is_empty());
        assert_eq!(m.step(21.0, Tick)[0], stop(0, 1, EndedBy::Limit, 0.0));

        // Nothing said at all: the limit ends it, no grace.
        let mut m = Machine::new(vec![step(0.0, 20.0)], 15.0);
        drive(&mut m, &[(0.0, Tick), (1.0, SpeechEnded)]);
        assert_eq!(m.step(21.0, Tick)[0], stop(0, 1, EndedBy::Limit, 0.0));
    }

    #[test]
    fn auto_finish_ends_an_answer_after_silence_that_follows_speech() {
        let mut m = Machine::new(vec![step(0.0, 60.0)], 10.0).with_auto_finish(2.0);
        drive(&mut m, &[(0.0, Tick), (1.0, SpeechEnded)]);
        // Silence before any speech never ends it (thinking aloud starts late).
        assert!(drive(&mut m, &[(5.0, Tick), (10.0, Tick)]).is_empty());
        drive(&mut m, &[(10.5, Event::VoiceStarted { at: 10.4 })]);
        // A pause shorter than the setting does not end it.
        drive(&mut m, &[(12.0, Event::VoiceStopped { at: 11.7 })]);
        assert!(drive(&mut m, &[(13.6, Tick)]).is_empty());
        drive(&mut m, &[(13.65, Event::VoiceStarted { at: 13.6 })]);
        drive(
            &mut m,
            &[(13.7, Tick), (13.8, Event::VoiceStopped { at: 13.5 })],
        );
        assert!(drive(&mut m, &[(15.4, Tick)]).is_empty());
        assert_eq!(
            drive(&mut m, &[(15.5, Tick)]),
            vec![
                stop(0, 1, EndedBy::AutoFinish, 0.0),
                done(0, 0.0, false),
                Finish {
                    status: Status::Completed
                }
            ]
        );
    }

    #[test]
    fn speaking_during_think_time_starts_the_answer_from_where_speech_began() {
        let mut m = Machine::new(vec![step(20.0, 60.0)], 0.0);
        let actions = drive_raw(
            &mut m,
            &[
                (0.0, Tick),
                (3.0, SpeechEnded),
                (8.62, Event::VoiceStarted { at: 8.5 }),
            ],
        );
        assert_eq!(
            actions[1..],
            [
                Think {
                    q: 0,
                    seconds: 20.0
                },
                OpenMic { q: 0, take: 1 },
                StartRecording {
                    q: 0,
                    take: 1,
                    limit_s: 60.0,
                    at: 8.5,
                    started_by: StartedBy::Voice
                }
            ]
        );
        // The take's clock runs from the speech; think time used ends there.
        assert!(
            matches!(m.view(10.5), View::Answering { elapsed_s, heard: true, .. }
            if (elapsed_s - 2.0).abs() < 1e-9)
        );
        let end = m.step(20.0, Event::Control(Control::Enter));
        assert_eq!(end[1], done(0, 5.5, false));

        // Leaving think time any other way closes the microphone unused.
        let mut m = Machine::new(vec![step(20.0, 60.0); 2], 0.0);
        let actions = drive_raw(
            &mut m,
            &[
                (0.0, Tick),
                (3.0, SpeechEnded),
                (5.0, Event::Control(Control::Skip)),
            ],
        );
        assert_eq!(actions[3], CloseMic);
        // Enter and the end of think time start it on the clock, on the open microphone.
        let actions = drive_raw(&mut m, &[(6.0, SpeechEnded), (26.0, Tick)]);
        assert_eq!(
            actions[2],
            StartRecording {
                q: 1,
                take: 1,
                limit_s: 60.0,
                at: 26.0,
                started_by: StartedBy::Clock
            }
        );
    }

    #[test]
    fn enter_while_the_question_is_said_starts_the_answer_and_r_restarts_it_at_once() {
        let mut m = Machine::new(vec![step(20.0, 60.0)], 0.0);
        let actions = drive_raw(
            &mut m,
            &[
                (0.0, Tick),
                (2.0, Event::Control(Control::Enter)),
                (9.0, Event::Control(Control::Repeat)),
            ],
        );
        assert_eq!(
            actions[1..],
            [
                StopSpeaking,
                StartRecording {
                    q: 0,
                    take: 1,
                    limit_s: 60.0,
                    at: 2.0,
                    started_by: StartedBy::Enter
                },
                stop(0, 1, EndedBy::Repeat, 0.0),
                StartRecording {
                    q: 0,
                    take: 2,
                    limit_s: 60.0,
                    at: 9.0,
                    started_by: StartedBy::Restart
                },
            ]
        );
    }

    #[test]
    fn cues_start_the_clock_after_them_and_mark_the_wrap_up_and_the_limit_once() {
        let mut m = Machine::new(vec![step(5.0, 20.0)], 10.0).with_cues(0.4);
        let actions = drive_raw(&mut m, &[(0.0, Tick), (2.0, SpeechEnded), (7.0, Tick)]);
        assert_eq!(actions[3..], [Action::Cue(super::Cue::Start)]);
        // The take starts once the cue has been heard out.
        assert!(m.step(7.39, Tick).is_empty());
        let actions = m.step(7.4, Tick);
        assert_eq!(
            actions,
            [StartRecording {
                q: 0,
                take: 1,
                limit_s: 20.0,
                at: 7.4,
                started_by: StartedBy::Clock
            }]
        );
        m.step(8.0, Event::VoiceStarted { at: 7.9 });
        // The yellow light is at 15 s into the take.
        assert!(m.step(22.3, Tick).is_empty());
        assert_eq!(m.step(22.45, Tick), vec![Action::Cue(super::Cue::WrapUp)]);
        assert!(m.step(22.5, Tick).is_empty());
        assert_eq!(m.step(27.45, Tick), vec![Action::Cue(super::Cue::TimeUp)]);
        assert!(m.step(27.5, Tick).is_empty());

        // A take started by speaking gets no start cue; its clock is the speech's.
        let mut m = Machine::new(vec![step(5.0, 20.0)], 0.0).with_cues(0.4);
        let actions = drive_raw(
            &mut m,
            &[
                (0.0, Tick),
                (2.0, SpeechEnded),
                (3.1, Event::VoiceStarted { at: 3.0 }),
            ],
        );
        assert!(
            !actions.contains(&Action::Cue(super::Cue::Start)),
            "{actions:?}"
        );
        assert!(matches!(actions.last(), Some(StartRecording { at, .. }) if *at == 3.0));
    }

    /// The timing light an answering machine shows at `t`.
    fn light(m: &Machine, t: f64) -> Light {
        match m.view(t) {
            View::Answering { light, .. } => light,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn green_needs_speech_and_silence_is_warned_about_once() {
        let mut m = Machine::new(vec![step(0.0, 20.0)], 0.0);
        drive(&mut m, &[(0.0, Tick), (1.0, SpeechEnded)]);
        assert!(m.step(1.0 + NO_VOICE_S - 0.01, Tick).is_empty());
        assert_eq!(
            m.step(1.0 + NO_VOICE_S, Tick),
            vec![NoVoice { q: 0, take: 1 }]
        );
        assert!(m.step(1.0 + NO_VOICE_S + 0.01, Tick).is_empty());
        // Half the limit gone, nothing said: no green.
        assert_eq!(light(&m, 13.0), Light::Off);
        assert_eq!(light(&m, 17.0), Light::Yellow);
        m.step(13.0, Event::VoiceStarted { at: 12.9 });
        assert_eq!(light(&m, 13.1), Light::Green);
    }

    #[test]
    fn green_needs_the_speaker_still_talking_at_the_useful_minimum() {
        // The take starts at 1 s; green is due 10 s in, at 11 s.
        let mut m = Machine::new(vec![step(0.0, 20.0)], 0.0);
        drive(&mut m, &[(0.0, Tick), (1.0, SpeechEnded)]);
        // A word at 2 s, then silence: at the minimum the answer has not reached it.
        m.step(2.5, Event::VoiceStarted { at: 2.0 });
        assert_eq!(light(&m, 2.6), Light::Off);
        m.step(3.5, Event::VoiceStopped { at: 3.0 });
        assert_eq!(light(&m, 11.5), Light::Off);
        // Speaking again past the minimum turns it green, and it stays green after.
        m.step(12.1, Event::VoiceStarted { at: 12.0 });
        assert_eq!(light(&m, 12.2), Light::Green);
        m.step(13.1, Event::VoiceStopped { at: 13.0 });
        assert_eq!(light(&m, 14.0), Light::Green);
        // Talking through the minimum turns it green right at the minimum.
        let mut m = Machine::new(vec![step(0.0, 20.0)], 0.0);
        drive(&mut m, &[(0.0, Tick), (1.0, SpeechEnded)]);
        m.step(2.5, Event::VoiceStarted { at: 2.0 });
        assert_eq!(light(&m, 10.9), Light::Off);
        assert_eq!(light(&m, 11.0), Light::Green);
    }

    #[test]
    fn skip_moves_on_from_every_phase() {
        let mut m = Machine::new(vec![step(5.0, 60.0); 4], 0.0);
        let actions = drive(
            &mut m,
            &[
                (0.0, Tick),
                // Skip while the question is being said.
                (1.0, Event::Control(Control::Skip)),
                // Skip during think time.
                (2.0, SpeechEnded),
                (3.0, Event::Control(Control::Skip)),
                // Skip during the answer keeps the take, marked as skipped.
                (4.0, SpeechEnded),
                (9.0, Tick),
                (12.0, Event::Control(Control::Skip)),
                (13.0, SpeechEnded),
                (18.0, Tick),
                (20.0, Event::Control(Control::Enter)),
            ],
        );
        assert_eq!(
            actions,
            vec![
                ask(0),
                StopSpeaking,
                done(0, 0.0, true),
                ask(1),
                Think { q: 1, seconds: 5.0 },
                done(1, 1.0, true),
                ask(2),
                Think { q: 2, seconds: 5.0 },
                rec(2, 1),
                stop(2, 1, EndedBy::Skip, 0.0),
                done(2, 5.0, true),
                ask(3),
                Think { q: 3, seconds: 5.0 },
                rec(3, 1),
                stop(3, 1, EndedBy::Enter, 0.0),
                done(3, 5.0, false),
                Finish {
                    status: Status::Completed
                },
            ]
        );
    }

    #[test]
    fn repeat_while_answering_starts_a_new_take_at_once_and_before_it_asks_again() {
        let mut m = Machine::new(vec![step(5.0, 60.0)], 0.0);
        let actions = drive(
            &mut m,
            &[
                (0.0, Tick),
                (2.0, SpeechEnded),
                (3.0, Event::Control(Control::Repeat)),
                (4.0, SpeechEnded),
                (9.0, Tick),
                (10.0, Event::Control(Control::Repeat)),
                (20.0, Event::Control(Control::Enter)),
            ],
        );
        assert_eq!(
            actions,
            vec![
                ask(0),
                Think { q: 0, seconds: 5.0 },
                ask(0),
                Think { q: 0, seconds: 5.0 },
                rec(0, 1),
                stop(0, 1, EndedBy::Repeat, 0.0),
                rec(0, 2),
                stop(0, 2, EndedBy::Enter, 0.0),
                done(0, 6.0, false),
                Finish {
                    status: Status::Completed
                },
            ]
        );
    }

    #[test]
    fn quit_keeps_what_was_recorded() {
        let mut m = Machine::new(vec![step(0.0, 60.0), step(0.0, 60.0)], 0.0);
        let actions = drive(
            &mut m,
            &[
                (0.0, Tick),
                (1.0, SpeechEnded),
                (9.0, Event::Control(Control::Quit)),
            ],
        );
        assert_eq!(
            actions[2..],
            [
                stop(0, 1, EndedBy::Quit, 0.0),
                done(0, 0.0, false),
                Finish {
                    status: Status::Quit
                }
            ]
        );
        // Quit before answering records nothing.
        let mut m = Machine::new(vec![step(5.0, 60.0)], 0.0);
        let actions = drive(
            &mut m,
            &[
                (0.0, Tick),
                (1.0, SpeechEnded),
                (2.0, Event::Control(Control::Quit)),
            ],
        );
        assert_eq!(
            actions.last(),
            Some(&Finish {
                status: Status::Quit
            })
        );
        assert!(!actions.iter().any(|a| matches!(a, StopRecording { .. })));
    }

    #[test]
    fn interrupt_and_device_failure_end_the_take() {
        for (event, ended_by, status) in [
            (
                Event::Signal(super::Signal::Interrupt),
                EndedBy::Interrupt,
                Status::Interrupted,
            ),
            (
                Event::Signal(super::Signal::Terminate),
                EndedBy::Interrupt,
                Status::Interrupted,
            ),
            (DeviceFailed, EndedBy::DeviceError, Status::DeviceError),
        ] {
            let mut m = Machine::new(vec![step(0.0, 60.0), step(0.0, 60.0)], 0.0);
            let actions = drive(&mut m, &[(0.0, Tick), (1.0, SpeechEnded), (30.5, event)]);
            assert_eq!(
                actions[2..],
                [
                    stop(0, 1, ended_by, 0.0),
                    done(0, 0.0, false),
                    Finish { status }
                ]
            );
            assert!(m.is_done());
            assert!(
                m.step(40.0, Tick).is_empty(),
                "nothing happens after the end"
            );
        }
        // Interrupted while the question is said: speech stops, nothing is recorded.
        let mut m = Machine::new(vec![step(0.0, 60.0)], 0.0);
        let actions = drive(
            &mut m,
            &[(0.0, Tick), (0.5, Event::Signal(super::Signal::Interrupt))],
        );
        assert_eq!(
            actions,
            vec![
                ask(0),
                StopSpeaking,
                Finish {
                    status: Status::Interrupted
                }
            ]
        );
    }

    #[test]
    fn device_failure_while_asking_is_ignored_and_in_think_time_ends_the_session() {
        let mut m = Machine::new(vec![step(5.0, 60.0)], 0.0);
        drive(&mut m, &[(0.0, Tick)]);
        assert!(m.step(0.5, DeviceFailed).is_empty());
        drive(&mut m, &[(1.0, SpeechEnded)]);
        // The microphone is open for think time: it failing there is a failed session.
        assert_eq!(
            m.step(2.0, DeviceFailed),
            vec![
                CloseMic,
                done(0, 0.0, false),
                Finish {
                    status: Status::DeviceError
                }
            ]
        );
    }

    #[test]
    fn lights_follow_the_clock() {
        let s = Lights {
            green_s: 60.0,
            yellow_s: 90.0,
            red_s: 120.0,
        };
        let cases = [
            (0.0, Light::Off),
            (59.9, Light::Off),
            (60.0, Light::Green),
            (89.9, Light::Green),
            (90.0, Light::Yellow),
            (119.9, Light::Yellow),
            (120.0, Light::Red),
            (200.0, Light::Red),
        ];
        for (t, light) in cases {
            assert_eq!(light_at(&s, t), light, "at {t}");
        }
    }

    #[test]
    fn thinking_view_counts_down() {
        let mut m = Machine::new(vec![step(15.0, 60.0)], 0.0);
        drive(&mut m, &[(0.0, Tick), (3.0, SpeechEnded)]);
        assert_eq!(
            m.view(8.0),
            View::Thinking {
                q: 0,
                elapsed_s: 5.0,
                remaining_s: 10.0
            }
        );
    }

    #[test]
    fn review_lets_the_candidate_listen_and_record_again_then_goes_on_by_itself() {
        let mut m = Machine::new(vec![step(0.0, 10.0), step(0.0, 10.0)], 0.0).with_review(5.0);
        let actions = drive(
            &mut m,
            &[
                (0.0, Tick),
                (1.0, SpeechEnded),
                (11.0, Tick),
                // Listening freezes the countdown: 20 s of playback, then 4.9 s more.
                (12.0, Event::Control(Control::Listen)),
                (30.0, Tick),
                (32.0, Event::PlaybackEnded),
                (36.9, Tick),
                (37.0, Event::Control(Control::Repeat)),
                (40.0, Event::Control(Control::Enter)),
                (41.0, Tick),
                (45.9, Tick),
                (46.0, Tick),
            ],
        );
        assert_eq!(
            actions,
            vec![
                ask(0),
                rec(0, 1),
                stop(0, 1, EndedBy::Limit, 0.0),
                Review {
                    q: 0,
                    take: 1,
                    seconds: 5.0
                },
                Play { q: 0, take: 1 },
                // Recording again starts a new take without asking the question again.
                rec(0, 2),
                stop(0, 2, EndedBy::Enter, 0.0),
                Review {
                    q: 0,
                    take: 2,
                    seconds: 5.0
                },
                done(0, 0.0, false),
                ask(1),
            ]
        );
        assert_eq!(
            m.view(43.0),
            View::Asking { q: 1 },
            "the next question is being asked"
        );
    }

    #[test]
    fn review_stops_playback_on_every_way_out() {
        for (control, last) in [
            (Control::Enter, ask(1)),
            (
                Control::Quit,
                Finish {
                    status: Status::Quit,
                },
            ),
        ] {
            let mut m = Machine::new(vec![step(0.0, 10.0), step(0.0, 10.0)], 0.0).with_review(5.0);
            let actions = drive(
                &mut m,
                &[
                    (0.0, Tick),
                    (1.0, SpeechEnded),
                    (2.0, Event::Control(Control::Enter)),
                    (3.0, Event::Control(Control::Listen)),
                    (4.0, Event::Control(control)),
                ],
            );
            let tail = &actions[actions.len() - 3..];
            assert_eq!(tail[0], StopPlaying, "{control:?}: {actions:?}");
            assert_eq!(tail[2], last, "{control:?}: {actions:?}");
        }
        // A signal while listening ends the session as interrupted, playback stopped.
        let mut m = Machine::new(vec![step(0.0, 10.0)], 0.0).with_review(5.0);
        let actions = drive(
            &mut m,
            &[
                (0.0, Tick),
                (1.0, SpeechEnded),
                (2.0, Event::Control(Control::Enter)),
                (3.0, Event::Control(Control::Listen)),
                (4.0, Event::Signal(Signal::Interrupt)),
            ],
        );
        assert!(actions.contains(&StopPlaying));
        assert_eq!(
            actions.last(),
            Some(&Finish {
                status: Status::Interrupted
            })
        );
    }

    #[test]
    fn without_review_and_after_skip_or_repeat_there_is_nothing_to_review() {
        let mut m = Machine::new(vec![step(0.0, 10.0), step(0.0, 10.0)], 0.0).with_review(5.0);
        let actions = drive(
            &mut m,
            &[
                (0.0, Tick),
                (1.0, SpeechEnded),
                (2.0, Event::Control(Control::Skip)),
            ],
        );
        assert!(!actions.iter().any(|a| matches!(a, Review { .. })));
        let mut m = Machine::new(vec![step(0.0, 10.0)], 0.0);
        let actions = drive(&mut m, &[(0.0, Tick), (1.0, SpeechEnded), (11.0, Tick)]);
        assert!(!actions.iter().any(|a| matches!(a, Review { .. })));
        assert_eq!(
            actions.last(),
            Some(&Finish {
                status: Status::Completed
            })
        );
    }

    #[test]
    fn a_drill_records_one_take_per_limit_each_held_to_its_own() {
        let mut drill = step(0.0, 6.0);
        drill.limits = vec![6.0, 4.0, 2.0];
        let mut m = Machine::new(vec![drill], 0.0).with_transitions();
        let actions = drive_raw(
            &mut m,
            &[
                (0.0, Tick),
                (1.0, SpeechEnded),
                (7.0, Tick),
                (8.0, SpeechEnded),
                (12.0, Tick),
                (13.0, SpeechEnded),
                (15.0, Tick),
            ],
        );
        let limits: Vec<f64> = actions
            .iter()
            .filter_map(|a| match a {
                StartRecording { limit_s, .. } => Some(*limit_s),
                _ => None,
            })
            .collect();
        assert_eq!(limits, [6.0, 4.0, 2.0], "{actions:?}");
        let stops = actions
            .iter()
            .filter(|a| {
                matches!(
                    a,
                    StopRecording {
                        ended_by: EndedBy::Limit,
                        ..
                    }
                )
            })
            .count();
        assert_eq!(stops, 3);
        // Between rounds only the preface is said, not the question again.
        assert!(actions.contains(&Ask {
            q: 0,
            preface: Some("Again, this time in 4 seconds.".into()),
            reread: false
        }));
        assert_eq!(
            actions.last(),
            Some(&Finish {
                status: Status::Completed
            })
        );
    }

    #[test]
    fn s_after_speech_keeps_the_take_as_the_answer_and_s_before_any_skips() {
        // Spoke for 37 s, then `s`: kept, not skipped, and its follow-up is still asked.
        let mut follow = step(0.0, 30.0);
        follow.follow_up_of = Some(0);
        let mut m = Machine::new(vec![step(10.0, 120.0), follow, step(0.0, 60.0)], 0.0);
        let actions = drive(
            &mut m,
            &[
                (0.0, Tick),
                (3.0, SpeechEnded),
                (5.2, Event::VoiceStarted { at: 5.0 }),
                (42.3, Event::VoiceStopped { at: 42.0 }),
                (43.0, Event::Control(Control::Skip)),
            ],
        );
        assert_eq!(
            actions[2..],
            [
                rec(0, 1),
                stop(0, 1, EndedBy::Skip, 0.0),
                done(0, 2.0, false),
                ask(1)
            ]
        );
        // `s` on the follow-up before a word: skipped.
        let actions = drive(
            &mut m,
            &[(44.0, SpeechEnded), (46.0, Event::Control(Control::Skip))],
        );
        assert_eq!(
            actions[1..],
            [stop(1, 1, EndedBy::Skip, 0.0), done(1, 0.0, true), ask(2)]
        );

        // A silent take ended with `s` skips the question, and its follow-up with it.
        let mut follow = step(0.0, 30.0);
        follow.follow_up_of = Some(0);
        let mut m = Machine::new(vec![step(0.0, 120.0), follow, step(0.0, 60.0)], 0.0);
        let actions = drive(
            &mut m,
            &[
                (0.0, Tick),
                (3.0, SpeechEnded),
                (9.0, Event::Control(Control::Skip)),
            ],
        );
        assert_eq!(
            actions[2..],
            [stop(0, 1, EndedBy::Skip, 0.0), done(0, 0.0, true), ask(2)]
        );

        // With review: a kept take with speech, then `r` and `s` in the new think time: the
        // question keeps its answer.
        let mut m = Machine::new(vec![step(5.0, 30.0), step(0.0, 30.0)], 0.0).with_review(20.0);
        let actions = drive(
            &mut m,
            &[
                (0.0, Tick),
                (2.0, SpeechEnded),
                (3.1, Event::VoiceStarted { at: 3.0 }),
                (10.0, Event::VoiceStopped { at: 9.8 }),
                (11.0, Event::Control(Control::Enter)),
                (12.0, Event::Control(Control::Repeat)),
                (13.0, Event::Control(Control::Skip)),
            ],
        );
        assert!(actions.contains(&done(0, 2.0, false)), "{actions:?}");
    }

    /// A drill of two rounds (`think_s` to think before each), the first answer started by
    /// speaking at 5 s and still going at its limit (12 s): cut off, and its run-on is heard
    /// once round 2's think time begins at 15 s.
    fn drill_cut_off_at_12(think_s: f64) -> (Machine, Vec<Action>) {
        let mut drill = step(think_s, 6.0);
        drill.limits = vec![7.0, 6.0];
        let mut m = Machine::new(vec![drill], 0.0).with_transitions();
        let actions = drive_raw(
            &mut m,
            &[
                (0.0, Tick),
                (2.0, SpeechEnded),
                (5.1, Event::VoiceStarted { at: 5.0 }),
                (12.0, Tick),
                (15.0, SpeechEnded),
                (15.2, Event::VoiceStarted { at: 15.0 }),
            ],
        );
        (m, actions)
    }

    #[test]
    fn speech_running_on_past_a_limit_stays_with_its_take_and_never_starts_the_next() {
        let (mut m, actions) = drill_cut_off_at_12(10.0);
        assert!(
            actions.contains(&cut(0, 1, EndedBy::Limit, 0.0)),
            "round 1 is cut off: {actions:?}"
        );
        assert!(actions.contains(&Ask {
            q: 0,
            preface: Some("Again, this time in 6 seconds.".into()),
            reread: false
        }));
        // The run-on, a pause shorter than the grace's silence, more of it: nothing starts.
        let starts = |a: &[Action]| a.iter().any(|a| matches!(a, StartRecording { .. }));
        assert!(!starts(&actions[4..]), "{actions:?}");
        for (t, e) in [
            (16.0, Event::VoiceStopped { at: 15.9 }),
            (16.5, Tick),
            (16.6, Event::VoiceStarted { at: 16.5 }),
            (17.5, Tick),
            (18.1, Event::VoiceStopped { at: 18.0 }),
            (18.9, Tick),
        ] {
            assert!(!starts(&m.step(t, e)), "at {t}: {e:?}");
        }
        // Quiet for the grace's silence: the next words are round 2's own.
        assert!(m.step(19.0, Tick).is_empty());
        let actions = m.step(20.1, Event::VoiceStarted { at: 20.0 });
        assert_eq!(
            actions,
            [StartRecording {
                q: 0,
                take: 2,
                limit_s: 6.0,
                at: 20.0,
                started_by: StartedBy::Voice
            }]
        );

        // Talking on through the whole think time: round 2 starts on its timer, the run-on
        // is not taken for its speech (no green, no answer heard) and no "no voice" warning
        // is given (the microphone works).
        let (mut m, _) = drill_cut_off_at_12(3.0);
        let actions = m.step(18.0, Tick);
        assert!(
            matches!(
                actions[..],
                [StartRecording {
                    take: 2,
                    started_by: StartedBy::Clock,
                    ..
                }]
            ),
            "{actions:?}"
        );
        assert!(matches!(
            m.view(19.0),
            View::Answering {
                heard: false,
                speaking: true,
                ..
            }
        ));
        let later = drive_raw(
            &mut m,
            &[
                (19.5, Event::VoiceStopped { at: 19.4 }),
                (21.0, Tick),
                (22.5, Tick),
            ],
        );
        assert!(
            !later.iter().any(|a| matches!(a, NoVoice { .. })),
            "{later:?}"
        );
        // Its own words, later, are heard.
        m.step(22.7, Event::VoiceStarted { at: 22.6 });
        assert!(matches!(m.view(22.8), View::Answering { heard: true, .. }));
    }

    #[test]
    fn after_listening_back_recording_again_listens_at_once() {
        // Take 1 cut off mid-speech, reviewed, then `r`: the new think time's first words
        // start take 2 (the review was the pause).
        let mut m = Machine::new(vec![step(5.0, 10.0)], 0.0).with_review(20.0);
        drive(
            &mut m,
            &[
                (0.0, Tick),
                (1.0, SpeechEnded),
                (2.1, Event::VoiceStarted { at: 2.0 }),
                (12.0, Tick),
                (13.0, Event::Control(Control::Repeat)),
            ],
        );
        let actions = m.step(13.3, Event::VoiceStarted { at: 13.2 });
        assert!(
            matches!(
                actions[..],
                [StartRecording {
                    take: 2,
                    started_by: StartedBy::Voice,
                    ..
                }]
            ),
            "{actions:?}"
        );
    }

    #[test]
    fn a_take_ended_at_its_limit_is_cut_off_only_if_the_speaker_was_still_talking() {
        // In a short pause (less than the grace's silence) at the limit: still talking.
        let mut m = Machine::new(vec![step(0.0, 10.0)], 0.0);
        drive(
            &mut m,
            &[
                (0.0, Tick),
                (1.0, SpeechEnded),
                (2.1, Event::VoiceStarted { at: 2.0 }),
                (10.6, Event::VoiceStopped { at: 10.5 }),
            ],
        );
        assert_eq!(m.step(11.0, Tick)[0], cut(0, 1, EndedBy::Limit, 0.0));
        // Finished well before the limit: not cut off.
        let mut m = Machine::new(vec![step(0.0, 10.0)], 0.0);
        drive(
            &mut m,
            &[
                (0.0, Tick),
                (1.0, SpeechEnded),
                (2.1, Event::VoiceStarted { at: 2.0 }),
                (8.6, Event::VoiceStopped { at: 8.5 }),
            ],
        );
        assert_eq!(m.step(11.0, Tick)[0], stop(0, 1, EndedBy::Limit, 0.0));
        // Enter while talking ends the take by choice: not cut off.
        let mut m = Machine::new(vec![step(0.0, 10.0)], 0.0);
        drive(
            &mut m,
            &[
                (0.0, Tick),
                (1.0, SpeechEnded),
                (2.1, Event::VoiceStarted { at: 2.0 }),
            ],
        );
        assert_eq!(
            m.step(5.0, Event::Control(Control::Enter))[0],
            stop(0, 1, EndedBy::Enter, 0.0)
        );
        // The budget's wrap-up running out on a talking speaker cuts them off too.
        let mut m =
            Machine::new(vec![step(0.0, 100.0), step(0.0, 10.0)], 0.0).with_budget(Budget {
                total_s: 20.0,
                closing: Some(1),
            });
        drive(
            &mut m,
            &[
                (0.0, Tick),
                (1.0, SpeechEnded),
                (2.1, Event::VoiceStarted { at: 2.0 }),
                (20.0, Tick),
            ],
        );
        assert_eq!(m.step(35.0, Tick)[0], cut(0, 1, EndedBy::Budget, 0.0));
    }

    #[test]
    fn speech_after_the_no_voice_warning_answers_it() {
        let mut m = Machine::new(vec![step(0.0, 60.0)], 0.0);
        let warned = drive_raw(&mut m, &[(0.0, Tick), (1.0, SpeechEnded), (5.5, Tick)]);
        assert!(warned.contains(&NoVoice { q: 0, take: 1 }));
        assert_eq!(
            m.step(8.1, Event::VoiceStarted { at: 8.0 }),
            [VoiceHeard { q: 0, take: 1 }]
        );
        // Once only, and never without a warning first.
        m.step(9.0, Event::VoiceStopped { at: 8.9 });
        assert!(m.step(9.6, Event::VoiceStarted { at: 9.5 }).is_empty());
        let mut m = Machine::new(vec![step(0.0, 60.0)], 0.0);
        drive(&mut m, &[(0.0, Tick), (1.0, SpeechEnded)]);
        assert!(m.step(2.1, Event::VoiceStarted { at: 2.0 }).is_empty());
    }

    #[test]
    fn speech_over_the_start_cue_is_the_take_s_own() {
        let mut m = Machine::new(vec![step(10.0, 60.0)], 0.0).with_cues(0.5);
        drive_raw(
            &mut m,
            &[
                (0.0, Tick),
                (2.0, SpeechEnded),
                (4.0, Event::Control(Control::Enter)),
                (4.3, Event::VoiceStarted { at: 4.2 }),
                (4.5, Tick),
            ],
        );
        assert!(matches!(
            m.view(5.0),
            View::Answering {
                heard: true,
                speaking: true,
                ..
            }
        ));
    }

    #[test]
    fn repeat_while_the_question_is_said_thinks_only_after_the_re_read() {
        let mut m = Machine::new(vec![step(20.0, 60.0)], 0.0);
        let actions = drive_raw(
            &mut m,
            &[
                (0.0, Tick),
                (3.0, Event::Control(Control::Repeat)),
                (3.28, Tick),
                (3.3, Event::VoiceStarted { at: 3.2 }),
            ],
        );
        assert_eq!(actions[1..], [StopSpeaking, ask(0)]);
        assert!(m.is_asking());
        let actions = m.step(9.6, SpeechEnded);
        assert_eq!(
            actions,
            [
                Think {
                    q: 0,
                    seconds: 20.0
                },
                OpenMic { q: 0, take: 1 }
            ]
        );
    }

    /// Four questions of (0 s think, 10 s limit, 15 s planned); the last is the closing one.
    fn interview(total_s: f64) -> Machine {
        Machine::new(vec![step(0.0, 10.0); 4], 0.0).with_budget(Budget {
            total_s,
            closing: Some(3),
        })
    }

    fn asked(actions: &[Action]) -> Vec<usize> {
        actions
            .iter()
            .filter_map(|a| match a {
                Ask { q, .. } => Some(*q),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn a_short_budget_skips_ahead_to_the_closing_question() {
        // 30 s: after the first question (ending at 11 s) the next and the closing one need
        // 30 s together, so the interview goes straight to the closing one.
        let mut m = interview(30.0);
        let actions = drive(&mut m, &[(0.0, Tick), (1.0, SpeechEnded), (11.0, Tick)]);
        assert_eq!(asked(&actions), [0, 3]);
        assert!(actions.contains(&Ask {
            q: 3,
            preface: Some("Thank you. We have time for one last question.".into()),
            reread: true
        }));
        let more = drive(&mut m, &[(12.0, SpeechEnded), (22.0, Tick)]);
        assert_eq!(
            more.last(),
            Some(&Finish {
                status: Status::Completed
            })
        );
        // With room, every question is asked in turn, with the transitions.
        let mut m = interview(100.0);
        let mut script = vec![(0.0, Tick)];
        for k in 0..4 {
            let t = f64::from(k) * 11.0;
            script.push((t + 1.0, SpeechEnded));
            script.push((t + 11.0, Tick));
        }
        let actions = drive(&mut m, &script);
        assert_eq!(asked(&actions), [0, 1, 2, 3]);
        assert!(actions.contains(&Ask {
            q: 1,
            preface: Some("Thank you. Next question.".into()),
            reread: true
        }));
    }

    #[test]
    fn an_answer_running_when_the_budget_is_spent_wraps_up_and_ends_with_its_own_reason() {
        let mut long = step(0.0, 60.0);
        long.planned_s = 5.0;
        let mut m = Machine::new(vec![long, step(0.0, 10.0)], 0.0).with_budget(Budget {
            total_s: 20.0,
            closing: Some(1),
        });
        let actions = drive(
            &mut m,
            &[
                (0.0, Tick),
                (1.0, SpeechEnded),
                (19.9, Tick),
                (20.0, Tick),
                (34.9, Tick),
                (35.0, Tick),
            ],
        );
        assert!(actions.contains(&WrapUp {
            q: 0,
            seconds: WRAP_UP_S
        }));
        assert!(
            actions.contains(&stop(0, 1, EndedBy::Budget, 0.0)),
            "{actions:?}"
        );
        // The closing question is still asked, and its answer wraps up at once.
        assert_eq!(asked(&actions), [0, 1]);
        let more = drive(&mut m, &[(36.0, SpeechEnded)]);
        assert!(
            more.iter().any(|a| matches!(a, WrapUp { q: 1, .. })),
            "{more:?}"
        );
        let end = drive(&mut m, &[(46.0, Tick)]);
        assert!(end.contains(&stop(1, 1, EndedBy::Limit, 0.0)), "{end:?}");
        assert_eq!(
            end.last(),
            Some(&Finish {
                status: Status::Completed
            })
        );
        // The schedule: the closing question was planned to start at 5 s, asked at 35 s.
        let s = m.schedule(46.0).unwrap();
        assert_eq!((s.question, s.questions), (2, 2));
        assert!((s.ahead_s + 30.0).abs() < 1e-9, "{s:?}");
    }

    #[test]
    fn skipping_a_question_skips_its_follow_ups() {
        let mut follow = step(0.0, 5.0);
        follow.follow_up_of = Some(0);
        let mut m = Machine::new(vec![step(0.0, 10.0), follow, step(0.0, 10.0)], 0.0);
        let actions = drive(&mut m, &[(0.0, Tick), (1.0, Event::Control(Control::Skip))]);
        assert_eq!(asked(&actions), [0, 2]);
        // Answered, the follow-up comes next.
        let mut follow = step(0.0, 5.0);
        follow.follow_up_of = Some(0);
        let mut m =
            Machine::new(vec![step(0.0, 10.0), follow, step(0.0, 10.0)], 0.0).with_transitions();
        let actions = drive(
            &mut m,
            &[
                (0.0, Tick),
                (1.0, SpeechEnded),
                (3.0, Event::Control(Control::Enter)),
            ],
        );
        assert_eq!(
            actions.last(),
            Some(&Ask {
                q: 1,
                preface: Some("A follow-up.".into()),
                reread: true
            })
        );
    }

    #[test]
    fn a_take_is_held_to_the_limit_the_machine_announced() {
        let mut m = Machine::new(vec![step(0.0, 7.5)], 0.0);
        let actions = drive_raw(&mut m, &[(0.0, Tick), (1.0, SpeechEnded)]);
        assert_eq!(
            actions.last(),
            Some(&StartRecording {
                q: 0,
                take: 1,
                limit_s: 7.5,
                at: 1.0,
                started_by: StartedBy::Clock
            })
        );
        assert_eq!(m.limit_s(0, 1), 7.5);
        assert!(drive(&mut m, &[(8.4, Tick)]).is_empty());
        assert!(!drive(&mut m, &[(8.5, Tick)]).is_empty());
    }

    #[test]
    fn spoken_durations_read_as_an_interviewer_says_them() {
        for (s, said) in [
            (45.0, "45 seconds"),
            (60.0, "one minute"),
            (90.0, "one minute 30"),
            (120.0, "2 minutes"),
            (150.0, "2 minutes 30"),
        ] {
            assert_eq!(spoken_duration(s), said);
        }
    }

    #[test]
    fn an_empty_plan_completes_at_once() {
        let mut m = Machine::new(vec![], 0.0);
        assert_eq!(
            m.step(0.0, Tick),
            vec![Finish {
                status: Status::Completed
            }]
        );
    }
}
