//! The runner: drives the state machine with real time, real devices and the user's keys,
//! and keeps the session folder up to date. All decisions are the machine's; the runner only
//! carries them out and reports what happened.
//!
//! Its parts: `clock` (time), `asking` (saying the questions), `cues`, `takes` (recording,
//! measuring and playing back), `transcripts`, `log` (writing it, in its own words),
//! `display` (what is shown) and `rescue` (the forced exit).

mod asking;
mod clock;
mod cues;
mod display;
mod log;
mod rescue;
mod takes;
mod transcripts;

use std::path::PathBuf;
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};

use super::machine::{Action, Control, Event, Machine, Signal, Status};
use super::signals;
use crate::audio::cues::CueFiles;
use crate::audio::{Fault, Microphone, Playback, Player};
use crate::record::store;
use crate::record::SessionLog;
use crate::speech::Speaker;
use crate::ui::mmss;
use crate::ui::screen::{Light, Screen, Shown};

pub use self::clock::{Clock, MonotonicClock};
pub use self::log::session_status;
pub use self::takes::PRE_ROLL_S;
pub use self::transcripts::{TakeKey, Transcriber};

use self::clock::POLL;
use self::log::schedule_log;
use self::rescue::{rescue_on_forced_exit, Rescue};
use self::takes::Take;

/// Everything the session needs that is not a device. The log carries the questions as
/// planned (with the pack's notes and checklist snapshotted), the machine their timing.
pub struct Plan {
    pub dir: PathBuf,
    pub log: SessionLog,
    pub machine: Machine,
    pub usual_wpm: Option<f64>,
}

pub struct Devices<'a> {
    pub mic: &'a mut dyn Microphone,
    /// Transcribes each take once it ends; `None` without a model (or with it turned off).
    pub transcriber: Option<&'a mut dyn Transcriber>,
    pub speaker: Option<&'a mut dyn Speaker>,
    /// Plays takes back during review; `None` if there is no output device.
    pub player: Option<&'a mut dyn Player>,
    /// Where everything the session shows goes: the terminal, or a recorder in tests.
    pub screen: &'a mut dyn Screen,
}

/// How the session ended, for the exit code.
pub struct Ending {
    pub status: Status,
    pub signal: Option<Signal>,
    /// What ended a take early (a lost device, a full disk), and the seconds it holds.
    pub fault: Option<(Fault, f64)>,
}

struct Runner<'a> {
    plan: Plan,
    devices: Devices<'a>,
    /// The session's time, read again where an action itself takes time (opening a stream).
    clock: &'a dyn Clock,
    take: Option<Take>,
    playing: Option<Box<dyn Playback>>,
    /// Finished takes waiting to be handed to the transcriber.
    to_transcribe: Vec<(TakeKey, PathBuf)>,
    /// A timed phase's bar is up.
    showing_phase: bool,
    speech_deadline: Option<f64>,
    /// The question being read aloud, until its reading ends.
    reading: Option<usize>,
    last_light: Light,
    signal: Option<Signal>,
    fault: Option<(Fault, f64)>,
    /// Room set aside on the session's disk, given back to write the log if the disk fills.
    reserve: Option<store::Reserve>,
    /// What a forced exit (a second signal) needs to leave a finished log behind.
    rescue: Arc<Mutex<Rescue>>,
    /// The cue sounds, made at the first cue; the one playing.
    cues: Option<CueFiles>,
    cue_playing: Option<Box<dyn Playback>>,
    /// Why transcripts failed, each said once: a broken model fails every take the same way.
    said_transcript_errors: Vec<String>,
}

/// Runs the whole session. Returns when the machine says it is over; the log and review
/// sheet are written after every change and once more at the end.
pub fn run<'a>(
    plan: Plan,
    devices: Devices<'a>,
    controls: &Receiver<Control>,
    signals: &dyn Fn() -> Option<Signal>,
    clock: &'a dyn Clock,
) -> anyhow::Result<Ending> {
    let rescue = Arc::new(Mutex::new(Rescue {
        dir: plan.dir.clone(),
        log: None,
        over: false,
    }));
    let _hook = signals::on_forced_exit({
        let rescue = Arc::clone(&rescue);
        move || rescue_on_forced_exit(&rescue)
    });
    let mut r = Runner {
        reserve: store::Reserve::create(&plan.dir).ok(),
        plan,
        devices,
        clock,
        take: None,
        playing: None,
        to_transcribe: Vec::new(),
        said_transcript_errors: Vec::new(),
        showing_phase: false,
        speech_deadline: None,
        reading: None,
        last_light: Light::Off,
        signal: None,
        fault: None,
        rescue,
        cues: None,
        cue_playing: None,
    };
    let status = session(&mut r, controls, signals, clock);
    if status.is_err() {
        // Whatever went wrong, the take in progress gets a finished file.
        r.abandon_take();
    }
    // The last answers' transcripts, unless the user asked to stop.
    if matches!(status, Ok(ref s) if *s != Status::Interrupted) {
        r.await_transcripts(signals, clock);
    }
    r.end_bar();
    r.rescue.lock().unwrap_or_else(|e| e.into_inner()).over = true;
    Ok(Ending {
        status: status?,
        signal: r.signal,
        fault: r.fault,
    })
}

/// The loop itself, until the machine says the session is over; `run` wraps it so that
/// an error still leaves the take in progress finished.
fn session(
    r: &mut Runner<'_>,
    controls: &Receiver<Control>,
    signals: &dyn Fn() -> Option<Signal>,
    clock: &dyn Clock,
) -> anyhow::Result<Status> {
    r.save()?;
    let status = 'session: loop {
        let now = clock.now_s();
        // What the user and the system did comes first; what follows from the state (speech
        // over, device gone, time up) is asked only after, of the state those left behind, so
        // a repeat pressed as the question ends cannot be mistaken for the end of the repeat.
        let mut happened = Vec::with_capacity(2);
        if let Some(sig) = signals() {
            r.signal = Some(sig);
            happened.push(Event::Signal(sig));
        }
        happened.extend(controls.try_iter().map(Event::Control));
        for event in happened {
            if let Some(status) = r.feed(now, event)? {
                break 'session status;
            }
        }
        if r.plan.machine.is_asking() && r.speech_finished(now) {
            if let Some(status) = r.feed(now, Event::SpeechEnded)? {
                break status;
            }
        }
        if r.playing
            .as_ref()
            .is_some_and(|p| p.is_finished() || p.failure().is_some())
        {
            r.playing = None;
            if let Some(status) = r.feed(now, Event::PlaybackEnded)? {
                break status;
            }
        }
        r.tell_if_moved();
        r.submit_transcriptions();
        r.collect_transcripts();
        let now = clock.now_s();
        if let Some(event) = r.take.as_mut().and_then(|t| t.voice_change(now)) {
            if let Some(status) = r.feed(now, event)? {
                break status;
            }
        }
        if r.take
            .as_ref()
            .is_some_and(|t| t.recording.fault().is_some())
        {
            if let Some(status) = r.feed(now, Event::DeviceFailed)? {
                break status;
            }
        }
        if let Some(status) = r.feed(now, Event::Tick)? {
            break status;
        }
        r.render(now);
        clock.pause(POLL);
    };
    Ok(status)
}

impl Runner<'_> {
    /// Feeds one event to the machine and carries out what it says; the final status once the
    /// session is over.
    fn feed(&mut self, now: f64, event: Event) -> anyhow::Result<Option<Status>> {
        if event == Event::SpeechEnded {
            self.reading_ended(now);
        }
        let mut finished = None;
        for action in self.plan.machine.step(now, event) {
            if let Some(status) = self.execute(action, now)? {
                finished = Some(status);
            }
        }
        Ok(finished)
    }

    /// The session is over: let a last cue finish (or stop the speech if it ended early),
    /// and write the log as it ended.
    fn finish(&mut self, status: Status, now: f64) -> anyhow::Result<()> {
        self.end_bar();
        if status == Status::Completed {
            self.let_cue_finish();
        }
        if let Some(s) = self.devices.speaker.as_deref_mut() {
            if status != Status::Completed {
                s.stop();
            }
        }
        self.plan.log.status = session_status(status);
        self.plan.log.ended_at = Some(timestamp());
        self.plan.log.ended_at_s = Some(now);
        self.plan.log.schedule = schedule_log(&self.plan.log, now);
        self.save()
    }

    /// Carries out one action; returns the final status when the session is over.
    fn execute(&mut self, action: Action, now: f64) -> anyhow::Result<Option<Status>> {
        match action {
            Action::Ask { q, preface, reread } => self.ask(q, preface, reread, now)?,
            Action::StopSpeaking => {
                if let Some(s) = self.devices.speaker.as_deref_mut() {
                    s.stop();
                }
                self.reading_ended(now);
            }
            Action::Think { q, seconds } => self.think(q, seconds, now),
            Action::OpenMic {
                q,
                take,
                limit_s,
                overtime_s,
            } => self.open_mic(q, take, limit_s + overtime_s, now)?,
            Action::CloseMic => self.close_mic(),
            Action::StartRecording {
                q,
                take,
                limit_s,
                overtime_s,
                at,
                started_by,
            } => self.start_recording(q, take, (limit_s, overtime_s), at, started_by, now)?,
            Action::Cue(cue) => self.cue(cue, now),
            Action::NoVoice { .. } => self.no_voice(),
            Action::VoiceHeard { .. } => self.show(Shown::VoiceHeard),
            Action::WrapUp { q: _, seconds } => {
                self.say(format!(
                    "  The interview's time is up: wrap up this answer ({} left)",
                    mmss(seconds)
                ));
            }
            Action::StopRecording {
                q,
                take: _,
                ended_by,
                overtime_s,
                cut_off,
            } => self.stop_recording(q, ended_by, overtime_s, cut_off, now)?,
            Action::Review { q, take, seconds } => self.review(q, take, seconds),
            Action::Play { q, take } => self.play(q, take, now)?,
            Action::StopPlaying => self.playing = None,
            Action::QuestionDone {
                q,
                think_used_s,
                skipped,
            } => {
                self.question_done(q, think_used_s, skipped);
                self.plan.log.questions[q].done_at_s = Some(now);
                self.save()?;
            }
            Action::Finish { status } => {
                self.finish(status, now)?;
                return Ok(Some(status));
            }
        }
        Ok(None)
    }
}

pub fn timestamp() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

#[cfg(test)]
mod tests;
