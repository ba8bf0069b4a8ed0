//! The interview as a pure state machine: events and the current time in, actions out.
//!
//! It owns no threads, never sleeps, and knows nothing of audio, speech or terminals; the
//! runner turns its actions into device calls and feeds back what happened. Time is seconds
//! since the session started, as the runner's clock says, so tests can jump through a
//! two-minute answer in a microsecond.

use serde::{Deserialize, Serialize};

/// One question as the session asks it, with its timing settled.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    pub text: String,
    pub think_s: f64,
    pub limit_s: f64,
    /// Minimum useful length: the light turns green here.
    pub min_s: f64,
    /// The light turns yellow when this many seconds remain.
    pub warn_s: f64,
}

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
    /// Say question `q` (and print it); report `SpeechEnded` when done.
    Ask { q: usize },
    /// Stop saying it at once.
    StopSpeaking,
    /// Think time for question `q` begins.
    Think { q: usize, seconds: f64 },
    /// Start recording take `take` (1-based) of question `q`.
    StartRecording { q: usize, take: u32 },
    /// Stop the current recording and keep it.
    StopRecording {
        q: usize,
        take: u32,
        ended_by: EndedBy,
        overtime_s: f64,
    },
    /// Take `take` of question `q` was kept; the candidate may listen to it and choose to
    /// record again before going on, which happens by itself after `seconds`.
    Review { q: usize, take: u32, seconds: f64 },
    /// Play take `take` of question `q`; report `PlaybackEnded` when it is over.
    Play { q: usize, take: u32 },
    /// Stop playing at once.
    StopPlaying,
    /// Question `q` is finished with: `think_used_s` of think time (over all its tries).
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

pub fn light_at(step: &Step, elapsed_s: f64) -> Light {
    if elapsed_s >= step.limit_s {
        Light::Red
    } else if elapsed_s >= step.limit_s - step.warn_s {
        Light::Yellow
    } else if elapsed_s >= step.min_s {
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
    Answering {
        since: f64,
        take: u32,
    },
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
}

impl Machine {
    /// `overtime_s` is the grace after the limit during which the speaker may finish.
    pub fn new(steps: Vec<Step>, overtime_s: f64) -> Machine {
        Machine {
            steps,
            overtime_s: overtime_s.max(0.0),
            q: 0,
            phase: Phase::Start,
            takes: 0,
            think_used_s: 0.0,
            review_s: None,
        }
    }

    /// After each answer that ends by Enter or at the limit, wait up to `seconds` so the
    /// candidate can listen back and choose to record again; then go on by itself.
    pub fn with_review(mut self, seconds: f64) -> Machine {
        self.review_s = Some(seconds.max(0.0));
        self
    }

    pub fn steps(&self) -> &[Step] {
        &self.steps
    }

    /// The limit a take of question `q` is held to: the one number the timer enforces, the
    /// bar shows and the log records.
    pub fn limit_s(&self, q: usize) -> f64 {
        self.steps[q].limit_s
    }

    pub fn is_done(&self) -> bool {
        self.phase == Phase::Done
    }

    /// True while the runner should be watching for the end of speech.
    pub fn is_asking(&self) -> bool {
        self.phase == Phase::Asking
    }

    /// True while a recording runs.
    pub fn is_answering(&self) -> bool {
        matches!(self.phase, Phase::Answering { .. })
    }

    pub fn view(&self, now: f64) -> View {
        match self.phase {
            Phase::Start | Phase::Asking => View::Asking { q: self.q },
            Phase::Thinking { since } => View::Thinking {
                q: self.q,
                elapsed_s: now - since,
                remaining_s: (self.steps[self.q].think_s - (now - since)).max(0.0),
            },
            Phase::Answering { since, take } => {
                let step = &self.steps[self.q];
                View::Answering {
                    q: self.q,
                    take,
                    elapsed_s: now - since,
                    remaining_s: step.limit_s - (now - since),
                    light: light_at(step, now - since),
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
                    self.ask(&mut out);
                }
            }

            (Phase::Asking, Event::SpeechEnded) => self.begin_thinking(now, &mut out),
            (Phase::Asking, Event::Control(Control::Enter)) => {
                // Enter while the question is still being said: the user has heard enough.
                out.push(Action::StopSpeaking);
                self.begin_thinking(now, &mut out);
            }
            (Phase::Asking, Event::Control(Control::Skip)) => {
                out.push(Action::StopSpeaking);
                self.next_question(true, &mut out);
            }
            (Phase::Asking, Event::Control(Control::Repeat)) => {
                out.push(Action::StopSpeaking);
                self.ask(&mut out);
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

            (Phase::Thinking { since }, event) => {
                let think_s = self.steps[self.q].think_s;
                match event {
                    Event::Tick if now - since >= think_s => {
                        self.think_used_s += think_s;
                        self.start_take(now, &mut out);
                    }
                    Event::Control(Control::Enter) => {
                        self.think_used_s += (now - since).min(think_s);
                        self.start_take(now, &mut out);
                    }
                    Event::Control(Control::Skip) => {
                        self.think_used_s += (now - since).min(think_s);
                        self.next_question(true, &mut out);
                    }
                    Event::Control(Control::Repeat) => {
                        self.think_used_s += (now - since).min(think_s);
                        self.ask(&mut out);
                    }
                    Event::Control(Control::Quit) => self.finish(&mut out, Status::Quit),
                    Event::Signal(sig) => self.finish(&mut out, signal_status(sig)),
                    _ => {}
                }
            }

            (Phase::Answering { since, take }, event) => {
                let step = &self.steps[self.q];
                let elapsed = now - since;
                let overtime = (elapsed - step.limit_s).max(0.0);
                let stop = |ended_by, overtime_s| Action::StopRecording {
                    q: self.q,
                    take,
                    ended_by,
                    overtime_s,
                };
                match event {
                    Event::Tick if elapsed >= step.limit_s + self.overtime_s => {
                        out.push(stop(EndedBy::Limit, self.overtime_s));
                        self.kept(now, take, &mut out);
                    }
                    Event::Control(Control::Enter) => {
                        out.push(stop(EndedBy::Enter, overtime));
                        self.kept(now, take, &mut out);
                    }
                    Event::Control(Control::Skip) => {
                        out.push(stop(EndedBy::Skip, overtime));
                        self.next_question(true, &mut out);
                    }
                    Event::Control(Control::Repeat) => {
                        out.push(stop(EndedBy::Repeat, overtime));
                        self.ask(&mut out);
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
                        self.next_question(false, &mut out);
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
                        self.next_question(false, &mut out);
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

    /// A take ended normally and is kept: review it if asked to, else go on.
    fn kept(&mut self, now: f64, take: u32, out: &mut Vec<Action>) {
        match self.review_s {
            Some(seconds) => {
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
            None => self.next_question(false, out),
        }
    }

    fn ask(&mut self, out: &mut Vec<Action>) {
        self.phase = Phase::Asking;
        out.push(Action::Ask { q: self.q });
    }

    fn begin_thinking(&mut self, now: f64, out: &mut Vec<Action>) {
        let think_s = self.steps[self.q].think_s;
        if think_s <= 0.0 {
            self.start_take(now, out);
        } else {
            self.phase = Phase::Thinking { since: now };
            out.push(Action::Think {
                q: self.q,
                seconds: think_s,
            });
        }
    }

    fn start_take(&mut self, now: f64, out: &mut Vec<Action>) {
        self.takes += 1;
        self.phase = Phase::Answering {
            since: now,
            take: self.takes,
        };
        out.push(Action::StartRecording {
            q: self.q,
            take: self.takes,
        });
    }

    fn finish_question(&mut self, skipped: bool, out: &mut Vec<Action>) {
        out.push(Action::QuestionDone {
            q: self.q,
            think_used_s: self.think_used_s,
            skipped,
        });
    }

    fn next_question(&mut self, skipped: bool, out: &mut Vec<Action>) {
        self.finish_question(skipped, out);
        self.q += 1;
        self.takes = 0;
        self.think_used_s = 0.0;
        if self.q >= self.steps.len() {
            self.finish(out, Status::Completed);
        } else {
            self.ask(out);
        }
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
mod tests {
    use super::*;

    fn step(think_s: f64, limit_s: f64) -> Step {
        Step {
            text: "Tell me about a time you failed.".into(),
            think_s,
            limit_s,
            min_s: limit_s / 2.0,
            warn_s: limit_s / 4.0,
        }
    }

    /// Drives a machine through `(time, event)` pairs and returns every action, in order.
    fn drive(machine: &mut Machine, script: &[(f64, Event)]) -> Vec<Action> {
        script
            .iter()
            .flat_map(|&(t, e)| machine.step(t, e))
            .collect()
    }

    fn stop(q: usize, take: u32, ended_by: EndedBy, overtime_s: f64) -> Action {
        Action::StopRecording {
            q,
            take,
            ended_by,
            overtime_s,
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
                Ask { q: 0 },
                Think {
                    q: 0,
                    seconds: 10.0
                },
                StartRecording { q: 0, take: 1 },
                stop(0, 1, EndedBy::Limit, 0.0),
                done(0, 10.0, false),
                Ask { q: 1 },
                StartRecording { q: 1, take: 1 },
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
                StartRecording { q: 0, take: 1 },
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
        let mut m = Machine::new(vec![step(0.0, 60.0)], 15.0);
        let mut actions = drive(&mut m, &[(0.0, Tick), (1.0, SpeechEnded), (61.0, Tick)]);
        assert_eq!(actions.last(), Some(&StartRecording { q: 0, take: 1 }));
        assert_eq!(
            m.view(70.0),
            View::Answering {
                q: 0,
                take: 1,
                elapsed_s: 69.0,
                remaining_s: -9.0,
                light: Light::Red
            }
        );
        // Ending in overtime records how far over it went.
        actions = m.step(71.0, Event::Control(Control::Enter));
        assert_eq!(actions[0], stop(0, 1, EndedBy::Enter, 10.0));

        // Left to run, it stops when the grace runs out.
        let mut m = Machine::new(vec![step(0.0, 60.0)], 15.0);
        drive(&mut m, &[(0.0, Tick), (1.0, SpeechEnded)]);
        assert!(m.step(75.9, Tick).is_empty());
        assert_eq!(m.step(76.0, Tick)[0], stop(0, 1, EndedBy::Limit, 15.0));
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
                Ask { q: 0 },
                StopSpeaking,
                done(0, 0.0, true),
                Ask { q: 1 },
                Think { q: 1, seconds: 5.0 },
                done(1, 1.0, true),
                Ask { q: 2 },
                Think { q: 2, seconds: 5.0 },
                StartRecording { q: 2, take: 1 },
                stop(2, 1, EndedBy::Skip, 0.0),
                done(2, 5.0, true),
                Ask { q: 3 },
                Think { q: 3, seconds: 5.0 },
                StartRecording { q: 3, take: 1 },
                stop(3, 1, EndedBy::Enter, 0.0),
                done(3, 5.0, false),
                Finish {
                    status: Status::Completed
                },
            ]
        );
    }

    #[test]
    fn repeat_asks_again_and_starts_a_new_take() {
        let mut m = Machine::new(vec![step(0.0, 60.0)], 0.0);
        let actions = drive(
            &mut m,
            &[
                (0.0, Tick),
                (2.0, SpeechEnded),
                (10.0, Event::Control(Control::Repeat)),
                (12.0, SpeechEnded),
                (20.0, Event::Control(Control::Enter)),
            ],
        );
        assert_eq!(
            actions,
            vec![
                Ask { q: 0 },
                StartRecording { q: 0, take: 1 },
                stop(0, 1, EndedBy::Repeat, 0.0),
                Ask { q: 0 },
                StartRecording { q: 0, take: 2 },
                stop(0, 2, EndedBy::Enter, 0.0),
                done(0, 0.0, false),
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
                Ask { q: 0 },
                StopSpeaking,
                Finish {
                    status: Status::Interrupted
                }
            ]
        );
    }

    #[test]
    fn device_failure_outside_an_answer_is_ignored() {
        let mut m = Machine::new(vec![step(5.0, 60.0)], 0.0);
        drive(&mut m, &[(0.0, Tick), (1.0, SpeechEnded)]);
        assert!(m.step(2.0, DeviceFailed).is_empty());
    }

    #[test]
    fn lights_follow_the_clock() {
        let s = Step {
            text: String::new(),
            think_s: 0.0,
            limit_s: 120.0,
            min_s: 60.0,
            warn_s: 30.0,
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
                Ask { q: 0 },
                StartRecording { q: 0, take: 1 },
                stop(0, 1, EndedBy::Limit, 0.0),
                Review {
                    q: 0,
                    take: 1,
                    seconds: 5.0
                },
                Play { q: 0, take: 1 },
                // Recording again starts a new take without asking the question again.
                StartRecording { q: 0, take: 2 },
                stop(0, 2, EndedBy::Enter, 0.0),
                Review {
                    q: 0,
                    take: 2,
                    seconds: 5.0
                },
                done(0, 0.0, false),
                Ask { q: 1 },
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
            (Control::Enter, Ask { q: 1 }),
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
