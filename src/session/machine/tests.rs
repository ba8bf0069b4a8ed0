//! The machine's tests: scripts of timed events and the actions they must give.

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

/// Asks the first question (said by 1 s), has the speaker talking from 2 s, then drives
/// `then`: the start the tests of how a take ends share. Returns what [`drive`] returns.
fn talking_from_2s(machine: &mut Machine, then: &[(f64, Event)]) -> Vec<Action> {
    let start = [
        (0.0, Tick),
        (1.0, SpeechEnded),
        (2.1, Event::VoiceStarted { at: 2.0 }),
    ];
    drive(machine, &[&start[..], then].concat())
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
        overtime_s: 0.0,
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
    let mut m = Machine::new(vec![step(0.0, 60.0)], 15.0);
    let mut actions = talking_from_2s(&mut m, &[(61.0, Tick)]);
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
    talking_from_2s(&mut m, &[]);
    assert!(m.step(75.9, Tick).is_empty());
    // Still talking when the grace ran out: cut off.
    assert_eq!(m.step(76.0, Tick)[0], cut(0, 1, EndedBy::Limit, 15.0));
}

#[test]
fn the_grace_ends_once_the_speaker_stops_and_counts_only_what_was_said() {
    // Stops talking 4 s into the grace: the take ends a grace silence later, 4 s over.
    let mut m = Machine::new(vec![step(0.0, 60.0)], 15.0);
    talking_from_2s(&mut m, &[]);
    assert!(m.step(64.8, Event::VoiceStopped { at: 65.0 }).is_empty());
    assert!(m.step(65.9, Tick).is_empty());
    assert_eq!(
        m.step(65.0 + GRACE_SILENCE_S, Tick)[0],
        stop(0, 1, EndedBy::FinishedInGrace, 4.0)
    );

    // Finished at 0:10 of a 0:20 limit: stops at the limit, nothing over, the silence and
    // the grace not counted.
    let mut m = Machine::new(vec![step(0.0, 20.0)], 15.0);
    talking_from_2s(&mut m, &[]);
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
            OpenMic {
                q: 0,
                take: 1,
                limit_s: 60.0,
                overtime_s: 0.0,
            },
            StartRecording {
                q: 0,
                take: 1,
                limit_s: 60.0,
                overtime_s: 0.0,
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
            overtime_s: 0.0,
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
                overtime_s: 0.0,
                at: 2.0,
                started_by: StartedBy::Enter
            },
            stop(0, 1, EndedBy::Repeat, 0.0),
            StartRecording {
                q: 0,
                take: 2,
                limit_s: 60.0,
                overtime_s: 0.0,
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
            overtime_s: 10.0,
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
            overtime_s: 0.0,
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
    talking_from_2s(
        &mut m,
        &[(12.0, Tick), (13.0, Event::Control(Control::Repeat))],
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
    talking_from_2s(&mut m, &[(10.6, Event::VoiceStopped { at: 10.5 })]);
    assert_eq!(m.step(11.0, Tick)[0], cut(0, 1, EndedBy::Limit, 0.0));
    // Finished well before the limit: not cut off.
    let mut m = Machine::new(vec![step(0.0, 10.0)], 0.0);
    talking_from_2s(&mut m, &[(8.6, Event::VoiceStopped { at: 8.5 })]);
    assert_eq!(m.step(11.0, Tick)[0], stop(0, 1, EndedBy::Limit, 0.0));
    // Enter while talking ends the take by choice: not cut off.
    let mut m = Machine::new(vec![step(0.0, 10.0)], 0.0);
    talking_from_2s(&mut m, &[]);
    assert_eq!(
        m.step(5.0, Event::Control(Control::Enter))[0],
        stop(0, 1, EndedBy::Enter, 0.0)
    );
    // The budget's wrap-up running out on a talking speaker cuts them off too.
    let mut m = Machine::new(vec![step(0.0, 100.0), step(0.0, 10.0)], 0.0).with_budget(Budget {
        total_s: 20.0,
        closing: Some(1),
    });
    talking_from_2s(&mut m, &[(20.0, Tick)]);
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
            OpenMic {
                q: 0,
                take: 1,
                limit_s: 60.0,
                overtime_s: 0.0,
            }
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
    let mut m = Machine::new(vec![step(0.0, 7.5)], 2.5);
    let actions = drive_raw(&mut m, &[(0.0, Tick), (1.0, SpeechEnded)]);
    assert_eq!(
        actions.last(),
        Some(&StartRecording {
            q: 0,
            take: 1,
            limit_s: 7.5,
            overtime_s: 2.5,
            at: 1.0,
            started_by: StartedBy::Clock
        })
    );
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
