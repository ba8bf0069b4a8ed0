//! The runner: drives the state machine with real time, real devices and the user's keys,
//! and keeps the session folder up to date. All decisions are the machine's; the runner only
//! carries them out and reports what happened.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;

use super::machine::{
    Action, Control, Cue, EndedBy, Event, Light, Machine, Signal, StartedBy, Status, View,
};
use super::signals;
use crate::audio::cues::{CueFiles, CueSound, CUE_MASK_S, START_CUE_HEARD_S};
use crate::audio::level::dbfs;
use crate::audio::{ActiveRecording, Fault, Microphone, Playback, Player};
use crate::record::format::{round_ms, ScheduleLog};
use crate::record::store::{self, save_log, write_atomic};
use crate::record::{
    Level, Outcome, SessionLog, SessionStatus, TakeEnd, TakeFacts, TakeLog, TakeStart, REVIEW_FILE,
};
use crate::report;
use crate::speech::{speech_timeout, Speaker};
use crate::transcribe::{sidecar, Transcript};
use crate::ui::mmss;
use crate::ui::screen::{Countdown, Phase, Screen, Shown};

/// Time as the runner sees it: seconds since the session started, and a way to wait. A test
/// clock jumps instead of sleeping.
pub trait Clock {
    fn now_s(&self) -> f64;
    fn pause(&self, d: Duration);
}

pub struct MonotonicClock(Instant);

impl MonotonicClock {
    pub fn start() -> Self {
        MonotonicClock(Instant::now())
    }
}

impl Clock for MonotonicClock {
    fn now_s(&self) -> f64 {
        self.0.elapsed().as_secs_f64()
    }

    fn pause(&self, d: Duration) {
        std::thread::sleep(d);
    }
}

/// Everything the session needs that is not a device. The log carries the questions as
/// planned (with the pack's notes and checklist snapshotted), the machine their timing.
pub struct Plan {
    pub dir: PathBuf,
    pub log: SessionLog,
    pub machine: Machine,
    pub usual_wpm: Option<f64>,
}

/// Transcribes finished takes in the background; the session never waits for it while it
/// runs. `key` comes back with the result.
pub trait Transcriber {
    fn submit(&mut self, key: TakeKey, wav: &Path);
    /// Results finished so far; never blocks.
    fn poll(&mut self) -> Vec<(TakeKey, Result<Transcript, String>)>;
    /// Takes submitted and not yet returned.
    fn pending(&self) -> usize;
}

/// Which take a transcript belongs to: question index and take number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TakeKey {
    pub q: usize,
    pub take: u32,
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

struct Take {
    recording: Box<dyn ActiveRecording>,
    q: usize,
    take: u32,
    file: String,
    /// Its entry in the log, once the take has started (`None` while the microphone only
    /// listens during think time).
    index_in_log: Option<usize>,
    /// Said once that the sound server moved the recording to another source.
    told_moved: bool,
    /// Session time of the capture's first frame, as best seen: the least of `now` minus the
    /// seconds captured, over every look (delivery only ever lags).
    origin: f64,
    /// The live voice activity said speech was going on, when last looked at.
    speaking: bool,
    /// Seconds of capture where the take's clock started.
    clock_start_s: f64,
    /// Where cues played, in seconds of capture: left out of the take's analysis.
    cues: Vec<(f64, f64)>,
    /// Seconds of capture where the take's start cue began: the file starts there, so
    /// nothing said over the cue is lost (the cue itself is left out of the measures).
    start_cue_s: Option<f64>,
}

impl Take {
    /// Looks at the live voice activity: the change since the last look, as a machine event.
    fn voice_change(&mut self, now: f64) -> Option<Event> {
        let voice = self.recording.voice();
        self.origin = self.origin.min(now - voice.captured_s);
        if voice.speaking == self.speaking {
            return None;
        }
        self.speaking = voice.speaking;
        Some(if voice.speaking {
            Event::VoiceStarted {
                at: self.origin + voice.started_s.unwrap_or(voice.captured_s),
            }
        } else {
            Event::VoiceStopped {
                at: self.origin + voice.stopped_s.unwrap_or(voice.captured_s),
            }
        })
    }
}

/// Seconds kept before the point a take started by speaking: the voice activity places the
/// start of speech on its first loud frame, and a soft opening sound comes before that.
pub const PRE_ROLL_S: f64 = 0.5;

struct Runner<'a> {
    plan: Plan,
    devices: Devices<'a>,
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

const POLL: Duration = Duration::from_millis(10);
/// The longest a cue is waited for (a cue lasts a fraction of a second).
const CUE_WAIT: Duration = Duration::from_millis(1500);

/// Runs the whole session. Returns when the machine says it is over; the log and review
/// sheet are written after every change and once more at the end.
pub fn run(
    plan: Plan,
    devices: Devices<'_>,
    controls: &Receiver<Control>,
    signals: &dyn Fn() -> Option<Signal>,
    clock: &dyn Clock,
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

    fn speech_finished(&mut self, now: f64) -> bool {
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

    fn show(&mut self, shown: Shown) {
        self.devices.screen.show(shown);
    }

    /// A line of prose while the session runs.
    fn say(&mut self, line: impl Into<String>) {
        self.show(Shown::Line(line.into()));
    }

    fn warn(&mut self, message: impl Into<String>) {
        self.show(Shown::Warning(message.into()));
    }

    fn end_bar(&mut self) {
        if std::mem::take(&mut self.showing_phase) {
            self.show(Shown::PhaseEnd);
        }
    }

    /// The question's reading is over, however it ended: said, cut short, or given up on.
    fn reading_ended(&mut self, now: f64) {
        if let Some(q) = self.reading.take() {
            self.plan.log.questions[q].speech_ended_at_s.push(now);
        }
    }

    /// Writes the log and the review sheet. If the disk is full, the room set aside at the
    /// start is given back and the write tried once more.
    fn save(&mut self) -> anyhow::Result<()> {
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

    fn write_files(&self) -> std::io::Result<()> {
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

    /// Says, once a take, that the sound server moved its recording to another source: the
    /// take goes on, but what it records from then on is most likely silence.
    fn tell_if_moved(&mut self) {
        let Some(take) = self.take.as_mut().filter(|t| !t.told_moved) else {
            return;
        };
        let Some(to) = take.recording.moved_to() else {
            return;
        };
        take.told_moved = true;
        self.warn(format!(
            "the sound server moved this recording to another source ({to}); the rest of the \
             answer may be silence; check the microphone (`voicemock devices`)"
        ));
    }

    /// After an error: stop the take in progress so its file is finished, and keep what the
    /// recording says in the log if the log can still be written.
    fn abandon_take(&mut self) {
        self.end_bar();
        let Some(take) = self.take.take() else {
            return;
        };
        let Some(index) = take.index_in_log else {
            let _ = take.recording.stop();
            let _ = std::fs::remove_file(self.plan.dir.join(&take.file));
            return;
        };
        if let Ok(stats) = take.recording.stop() {
            let entry = &mut self.plan.log.questions[take.q].takes[index];
            entry.duration_s = stats.duration_s();
            entry.sample_rate = stats.sample_rate;
            entry.ended_by = Some(TakeEnd::DeviceError);
            let _ = self.save();
        }
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
            Action::Think { q, seconds } => {
                self.end_bar();
                self.plan.log.questions[q].think_started_at_s.push(now);
                self.say(format!(
                    "  Think time: {} (start speaking or press Enter to answer; s: skip, r: \
                     repeat the question, q: quit)",
                    mmss(seconds)
                ));
                self.begin_phase(Phase::Thinking, seconds, 0.0);
            }
            Action::OpenMic { q, take } => self.open_mic(q, take, now)?,
            Action::CloseMic => {
                if let Some(take) = self.take.take() {
                    debug_assert!(take.index_in_log.is_none());
                    let _ = take.recording.stop();
                    // It holds nothing: the answer never started.
                    let _ = std::fs::remove_file(self.plan.dir.join(&take.file));
                }
            }
            Action::StartRecording {
                q,
                take,
                limit_s,
                at,
                started_by,
            } => self.start_recording(q, take, limit_s, at, started_by, now)?,
            Action::Cue(cue) => self.cue(cue, now),
            Action::NoVoice { .. } => {
                let (peak, _) = self
                    .take
                    .as_ref()
                    .map_or((0.0, 0.0), |t| t.recording.recent_level());
                self.show(Shown::NoVoice {
                    level_dbfs: dbfs(peak),
                });
            }
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
            Action::Review { q, take, seconds } => {
                self.end_bar();
                debug_assert!(self.plan.log.questions[q]
                    .takes
                    .iter()
                    .any(|t| t.take == take));
                self.say(format!(
                    "  Take {take} kept. l: listen back, r: record again, Enter: next question \
                     (going on by itself in {})",
                    mmss(seconds)
                ));
                self.begin_phase(Phase::Reviewing, seconds, 0.0);
            }
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
                self.save()?;
                return Ok(Some(status));
            }
        }
        Ok(None)
    }

    fn ask(
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
            self.show(Shown::Schedule(s));
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

    /// Shows a phase `length_s` long, `elapsed_s` in: under the whole interview's bar in a
    /// rehearsal.
    fn begin_phase(&mut self, phase: Phase, length_s: f64, elapsed_s: f64) {
        self.show(Shown::Phase {
            phase,
            length_s,
            elapsed_s,
            budget_s: self.plan.log.budget_s,
        });
        self.showing_phase = true;
    }

    /// Lets a cue that is playing finish (briefly: a cue is short), so that the next question
    /// is not said over it and the session does not end in the middle of it.
    fn let_cue_finish(&mut self) {
        if let Some(playing) = self.cue_playing.take() {
            let start = Instant::now();
            while !playing.is_finished()
                && playing.failure().is_none()
                && start.elapsed() < CUE_WAIT
            {
                std::thread::sleep(POLL);
            }
        }
    }

    /// Plays a cue, and tells the live voice activity to count what the microphone hears of
    /// it as silence. Without a speaker there is no cue.
    fn cue(&mut self, cue: Cue, now: f64) {
        let Some(player) = self.devices.player.as_deref_mut() else {
            return;
        };
        if self.cues.is_none() {
            match CueFiles::create(&std::env::temp_dir()) {
                Ok(files) => self.cues = Some(files),
                Err(e) => {
                    self.devices.player = None;
                    self.warn(format!("cannot make the sound cues: {e}"));
                    return;
                }
            }
        }
        let sound = match cue {
            Cue::Start => CueSound::Start,
            Cue::WrapUp => CueSound::WrapUp,
            Cue::TimeUp => CueSound::TimeUp,
        };
        let Some(path) = self.cues.as_ref().map(|c| c.path(sound)) else {
            return;
        };
        // The start cue has been heard out when the take's clock starts; the others may
        // still be heard a while after they end.
        let heard_s = match cue {
            Cue::Start => START_CUE_HEARD_S,
            Cue::WrapUp | Cue::TimeUp => CUE_MASK_S,
        };
        if let Some(take) = &mut self.take {
            let from = now - take.origin;
            take.recording.mask(from, from + heard_s);
            take.cues.push((from, from + heard_s));
            if cue == Cue::Start && take.index_in_log.is_none() {
                take.start_cue_s = Some(from);
            }
        }
        match player.open(&path, 0.0) {
            Ok(playing) => self.cue_playing = Some(playing),
            Err(e) => {
                // No cue was heard: its time is the speaker's again (the live voice activity
                // only counted it as silence a moment).
                if let Some(take) = &mut self.take {
                    take.cues.pop();
                    if cue == Cue::Start && take.index_in_log.is_none() {
                        take.start_cue_s = None;
                    }
                }
                self.warn(format!("cannot play a sound cue: {e}"));
            }
        }
    }

    /// Opens the microphone for a take that has not started: it listens for the candidate
    /// to speak up, keeping a pre-roll, and writes nothing until the take starts.
    fn open_mic(&mut self, q: usize, take: u32, now: f64) -> anyhow::Result<()> {
        if self
            .take
            .as_ref()
            .is_some_and(|t| t.q == q && t.take == take && t.index_in_log.is_none())
        {
            return Ok(());
        }
        let max_s = self.plan.machine.limit_s(q, take) + self.plan.log.settings.overtime_s;
        let opened = self.open_capture(q, take, max_s + PRE_ROLL_S, Some(PRE_ROLL_S), now)?;
        self.take = Some(opened);
        Ok(())
    }

    fn open_capture(
        &mut self,
        q: usize,
        take: u32,
        max_s: f64,
        pre_roll_s: Option<f64>,
        now: f64,
    ) -> anyhow::Result<Take> {
        let question = &self.plan.log.questions[q];
        let file = format!("q{:02}-{}-take{}.wav", q + 1, sanitize(&question.id), take);
        let path = self.plan.dir.join(&file);
        // However fast the device delivers, the take holds no more than its limit and grace.
        match self.devices.mic.start(&path, max_s, pre_roll_s) {
            Ok(recording) => Ok(Take {
                recording,
                q,
                take,
                file,
                index_in_log: None,
                told_moved: false,
                origin: now,
                speaking: false,
                clock_start_s: 0.0,
                cues: Vec::new(),
                start_cue_s: None,
            }),
            Err(e) => {
                self.plan.log.status = SessionStatus::DeviceError;
                self.plan.log.ended_at = Some(timestamp());
                self.plan.log.ended_at_s = Some(now);
                self.save()?;
                Err(e).context(format!("starting to record answer {}", q + 1))
            }
        }
    }

    fn start_recording(
        &mut self,
        q: usize,
        take: u32,
        limit_s: f64,
        at: f64,
        started_by: StartedBy,
        now: f64,
    ) -> anyhow::Result<()> {
        self.end_bar();
        let open = self
            .take
            .take()
            .filter(|t| t.q == q && t.take == take && t.index_in_log.is_none());
        let mut current = match open {
            Some(mut t) => {
                // The clock starts at `at`; a take started by speaking keeps the moment
                // before, so its first word is whole, and one started after its cue keeps
                // the cue's time, so nothing said over it is lost.
                t.clock_start_s = (at - t.origin).max(0.0);
                let from = match (started_by, t.start_cue_s) {
                    (StartedBy::Voice, _) => t.clock_start_s - PRE_ROLL_S,
                    (_, Some(cue)) => cue.min(t.clock_start_s),
                    _ => t.clock_start_s,
                };
                t.recording.begin(from.max(0.0));
                t
            }
            None => {
                // Opened now; the file begins at `at`, after the start cue if there is one.
                let max_s = limit_s + self.plan.log.settings.overtime_s;
                let mut t = self.open_capture(q, take, max_s, Some(0.0), now)?;
                t.clock_start_s = (at - now).max(0.0);
                t.recording.begin(t.clock_start_s);
                t
            }
        };
        let entry = TakeLog::started(
            take,
            current.file.clone(),
            timestamp(),
            at,
            limit_s,
            Some(take_start(started_by)),
        );
        let question = &mut self.plan.log.questions[q];
        question.takes.push(entry);
        current.index_in_log = Some(question.takes.len() - 1);
        self.take = Some(current);
        // Announced on stdout before anything else, so a script can tell the take has begun.
        self.say(format!(
            "  Recording answer (limit {}){}: Enter: done, s: next question, r: start again, q: quit",
            mmss(limit_s),
            if started_by == StartedBy::Voice {
                ", started when you spoke"
            } else {
                ""
            }
        ));
        self.last_light = Light::Off;
        self.begin_phase(Phase::Answering, limit_s, now - at);
        self.save()
    }

    fn stop_recording(
        &mut self,
        q: usize,
        ended_by: EndedBy,
        overtime_s: f64,
        cut_off: bool,
        now: f64,
    ) -> anyhow::Result<()> {
        self.end_bar();
        let Some(take) = self.take.take() else {
            return Ok(());
        };
        debug_assert_eq!(take.q, q);
        let Some(index) = take.index_in_log else {
            return Ok(());
        };
        let file_start_s = take.recording.file_start_s();
        let stats = take.recording.stop();
        let entry = &mut self.plan.log.questions[q].takes[index];
        entry.pre_roll_s = file_start_s.map_or(0.0, |f| (take.clock_start_s - f).max(0.0));
        // The cues in the file's own seconds, as far as the file goes.
        let file_start = file_start_s.unwrap_or(take.clock_start_s);
        let file_s = stats.as_ref().map_or(f64::INFINITY, |s| s.duration_s());
        entry.cues_s = take
            .cues
            .iter()
            .map(|&(a, b)| [a - file_start, b - file_start].map(|t| round_ms(t.clamp(0.0, file_s))))
            .filter(|[a, b]| b > a)
            .collect();
        entry.ended_by = Some(take_end(ended_by));
        entry.ended_at_s = Some(now);
        entry.overtime_s = overtime_s;
        entry.cut_off = cut_off;
        match stats {
            Ok(stats) => {
                if let Some(fault) = &stats.fault {
                    self.fault = Some((fault.clone(), stats.duration_s()));
                }
                entry.duration_s = stats.duration_s();
                entry.sample_rate = stats.sample_rate;
                entry.peak_dbfs = f64::from(dbfs(stats.peak));
                entry.take_rms_dbfs = f64::from(dbfs(stats.rms));
                entry.overruns = stats.overruns;
                entry.stream_errors = stats.stream_errors;
                let path = self.plan.dir.join(&entry.file);
                entry.level = stats.verdict().into();
                match crate::audio::wav_reader::analyze_file_with_envelope(
                    &path,
                    crate::analysis::Params::default(),
                    &entry.cues_s,
                ) {
                    Ok((m, envelope)) => {
                        entry.analysis = Some(m);
                        // The waveform of the review page; without it the page reads the WAV.
                        let levels = (&envelope).into();
                        if let Err(e) = store::save_levels(&self.plan.dir, &entry.file, &levels) {
                            self.devices.screen.show(Shown::Warning(format!(
                                "could not keep the levels of {}: {e}",
                                path.display()
                            )));
                        }
                    }
                    Err(e) => self.devices.screen.show(Shown::Warning(format!(
                        "could not analyse {}: {e}",
                        path.display()
                    ))),
                }
            }
            Err(e) => {
                entry.level = Level::Unknown;
                self.devices
                    .screen
                    .show(Shown::Warning(format!("finishing the recording: {e}")));
            }
        }
        // The take's facts and remarks, worked out once, as made now: what every view shows.
        let question = &self.plan.log.questions[q];
        let facts = TakeFacts::of(question, &question.takes[index], self.plan.usual_wpm);
        let entry = &mut self.plan.log.questions[q].takes[index];
        entry.facts = Some(facts);
        let (file, take_number) = (entry.file.clone(), entry.take);
        let line = report::take_line(q + 1, entry);
        self.show(Shown::Take {
            q,
            take: take_number,
            line,
        });
        if self.devices.transcriber.is_some() && !matches!(ended_by, EndedBy::Repeat) {
            self.to_transcribe.push((
                TakeKey {
                    q,
                    take: take_number,
                },
                self.plan.dir.join(file),
            ));
        }
        self.save()
    }

    /// Hands the finished takes to the transcriber, but never while a recording is starting:
    /// a new take's stream gets going first (its first half second in the file), so the
    /// transcription's start never costs the next answer its opening.
    fn submit_transcriptions(&mut self) {
        if self.to_transcribe.is_empty()
            || self
                .take
                .as_ref()
                .is_some_and(|t| t.recording.recorded_s() < TRANSCRIBE_AFTER_S)
        {
            return;
        }
        if let Some(t) = self.devices.transcriber.as_deref_mut() {
            for (key, wav) in self.to_transcribe.drain(..) {
                t.submit(key, &wav);
            }
        }
    }

    /// At the end of a session: the transcripts still being made, until they are all in, a
    /// signal arrives, or [`TRANSCRIPT_WAIT`] has passed.
    fn await_transcripts(&mut self, signals: &dyn Fn() -> Option<Signal>, clock: &dyn Clock) {
        // The last take has ended: nothing is recording now.
        self.submit_transcriptions();
        let pending = self
            .devices
            .transcriber
            .as_deref()
            .map_or(0, |t| t.pending());
        if pending == 0 {
            return;
        }
        self.end_bar();
        self.say(format!(
            "  Transcribing the last answer{}... (Ctrl-C to leave it)",
            if pending == 1 { "" } else { "s" }
        ));
        let deadline = clock.now_s() + TRANSCRIPT_WAIT.as_secs_f64();
        while self
            .devices
            .transcriber
            .as_deref()
            .is_some_and(|t| t.pending() > 0)
            && clock.now_s() < deadline
            && signals().is_none()
        {
            self.collect_transcripts();
            clock.pause(Duration::from_millis(50));
        }
        self.collect_transcripts();
    }

    /// Takes in the transcripts that are ready, writes each take's sidecar and summary, and
    /// says what was said.
    fn collect_transcripts(&mut self) {
        let Some(t) = self.devices.transcriber.as_deref_mut() else {
            return;
        };
        let results = t.poll();
        if results.is_empty() {
            return;
        }
        for (key, result) in results {
            let question = &mut self.plan.log.questions[key.q];
            let Some(index) = question.takes.iter().position(|t| t.take == key.take) else {
                continue;
            };
            let entry = &mut question.takes[index];
            match result {
                Ok(transcript) => {
                    let summary = sidecar::summarize(
                        &transcript,
                        &entry.file,
                        &question.category,
                        &question.talking_points,
                    );
                    if let Err(e) = sidecar::write(&self.plan.dir, &summary, &transcript) {
                        self.devices.screen.show(Shown::Warning(format!(
                            "could not write {}: {e}",
                            summary.file
                        )));
                    }
                    entry.transcript = Some(summary);
                    // The pace now comes from the words: the facts and remarks follow.
                    if entry.facts.is_some() {
                        let facts =
                            TakeFacts::of(question, &question.takes[index], self.plan.usual_wpm);
                        question.takes[index].facts = Some(facts);
                    }
                    let entry = &question.takes[index];
                    let line = entry.transcript.as_ref().map(|tr| {
                        report::transcript_line(key.q + 1, key.take, tr, entry.facts.as_ref())
                    });
                    if let Some(line) = line {
                        self.say(line);
                    }
                }
                Err(e) => {
                    entry.transcript_error = Some(e.clone());
                    if !self.said_transcript_errors.contains(&e) {
                        self.say(format!(
                            "  Answer {}, take {}: no transcript ({e}); the recording is kept, \
                             and later takes that fail the same way are noted in the log only",
                            key.q + 1,
                            key.take
                        ));
                        self.said_transcript_errors.push(e);
                    }
                }
            }
        }
        let _ = self.save();
    }

    /// Plays take `take` of question `q` back. If it cannot be played, says why and lets the
    /// machine go on as if it had played.
    fn play(&mut self, q: usize, take: u32, now: f64) -> anyhow::Result<()> {
        let takes = &self.plan.log.questions[q].takes;
        let Some(index) = takes.iter().position(|t| t.take == take) else {
            return Ok(());
        };
        let path = self.plan.dir.join(&takes[index].file);
        let duration_s = takes[index].duration_s;
        let started = match self.devices.player.as_deref_mut() {
            Some(player) => player.open(&path, 0.0).map_err(anyhow::Error::from),
            None => Err(anyhow::anyhow!("there is no speaker to play it on")),
        };
        match started {
            Ok(playing) => {
                self.say(format!(
                    "  Playing take {take} ({}): l: from the start, r: record again, \
                     Enter: next question",
                    mmss(duration_s)
                ));
                self.playing = Some(playing);
                self.plan.log.questions[q].takes[index].listened = true;
                self.save()
            }
            Err(e) => {
                self.say(format!("  cannot play the take back: {e:#}"));
                // Reviewing goes on as if it had played; that never ends the session.
                self.feed(now, Event::PlaybackEnded).map(|_| ())
            }
        }
    }

    /// Question `q` as the log should show it once the machine is done with it. One rule:
    /// answered when a take holds speech (as its analysis measured it), however the take
    /// ended (`s` after an answer keeps it); skipped when the candidate moved on and nothing
    /// was said; asked otherwise (a take with nothing said in it is not an answer: a muted
    /// microphone).
    fn question_done(&mut self, q: usize, think_used_s: f64, skipped: bool) {
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

    /// Moves the phase's bar, and says when the timing light changes.
    fn render(&mut self, now: f64) {
        if !self.showing_phase {
            return;
        }
        let schedule = self.plan.machine.schedule(now);
        let countdown = match self.plan.machine.view(now) {
            View::Thinking {
                elapsed_s,
                remaining_s,
                ..
            } => Countdown::Thinking {
                elapsed_s,
                remaining_s,
            },
            View::Answering {
                elapsed_s,
                remaining_s,
                light,
                ..
            } => {
                let (peak, _) = self
                    .take
                    .as_ref()
                    .map_or((0.0, 0.0), |t| t.recording.recent_level());
                Countdown::Answering {
                    elapsed_s,
                    remaining_s,
                    light,
                    peak,
                }
            }
            View::Reviewing {
                playing,
                remaining_s,
                ..
            } => Countdown::Reviewing {
                remaining_s,
                playing,
            },
            View::Asking { .. } | View::Done => return,
        };
        self.show(Shown::Tick {
            countdown,
            schedule,
        });
        if let Countdown::Answering {
            elapsed_s, light, ..
        } = countdown
        {
            if light != self.last_light {
                self.last_light = light;
                self.show(Shown::Light {
                    at_s: elapsed_s,
                    light,
                });
            }
        }
    }
}

/// The last log written, for a forced exit to finish.
struct Rescue {
    dir: PathBuf,
    log: Option<SessionLog>,
    /// Set once the runner is done with the log, or a forced exit has written it: no one
    /// writes it after that.
    over: bool,
}

/// How long a forced exit leaves the runner to finish the session its own way (the take's
/// file finalized, the log written) before writing the log itself.
const RESCUE_GRACE: Duration = Duration::from_millis(1500);

/// Runs on the signal thread when a second signal forces the exit: unless the runner
/// finishes first, mark the last log written as interrupted, with each unfinished take's
/// duration as its file's header says (rewritten every half second).
fn rescue_on_forced_exit(rescue: &Mutex<Rescue>) {
    let start = Instant::now();
    let mut rescue = loop {
        match rescue.try_lock() {
            Ok(guard) if guard.over => return,
            Ok(guard) if start.elapsed() >= RESCUE_GRACE => break guard,
            Err(std::sync::TryLockError::Poisoned(p)) => break p.into_inner(),
            // Still saving, or still time for the runner to finish; never wait for ever.
            _ if start.elapsed() >= 2 * RESCUE_GRACE => return,
            _ => {}
        }
        std::thread::sleep(POLL);
    };
    rescue.over = true;
    let Some(mut log) = rescue.log.take() else {
        return;
    };
    log.status = SessionStatus::Interrupted;
    log.ended_at = Some(timestamp());
    for take in log.questions.iter_mut().flat_map(|q| q.takes.iter_mut()) {
        if take.ended_by.is_none() {
            take.ended_by = Some(TakeEnd::Interrupt);
            if let Some((rate, frames)) =
                crate::audio::writer::frames_on_disk(&rescue.dir.join(&take.file))
            {
                take.sample_rate = rate;
                take.duration_s = frames as f64 / f64::from(rate.max(1));
            }
        }
    }
    let _ = save_log(&rescue.dir, &log);
}

fn is_disk_full(e: &std::io::Error) -> bool {
    crate::audio::writer::is_disk_full(e)
}

/// Seconds a new take records before the transcriber gets the takes that ended before it.
const TRANSCRIBE_AFTER_S: f64 = 0.5;

/// How long the end of a session waits for the last transcripts.
const TRANSCRIPT_WAIT: Duration = Duration::from_secs(180);

/// A rehearsal's schedule as it turned out; `None` without a budget.
fn schedule_log(log: &SessionLog, now: f64) -> Option<ScheduleLog> {
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
fn take_end(e: EndedBy) -> TakeEnd {
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
fn take_start(s: StartedBy) -> TakeStart {
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

pub fn timestamp() -> String {
    chrono::Local::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, false)
}

/// A question id made safe for a file name.
fn sanitize(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The session folder's name: when it started, and which pack.
pub fn session_stem(pack: &str) -> String {
    // A pack's name is its file's stem, which can be as long as a file name may be: cut it
    // so the folder's name (and every path under it) stays well within the limits.
    let pack: String = sanitize(pack).chars().take(64).collect();
    format!("{}-{pack}", chrono::Local::now().format("%Y-%m-%d_%H%M%S"),)
}

pub fn session_dir_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    //! The runner with fake devices and a clock that jumps: checks what lands on disk.

    use std::cell::{Cell, RefCell};
    use std::rc::Rc;
    use std::sync::mpsc;

    use super::*;
    use crate::audio::{DeviceError, TakeStats};
    use crate::record::{reader::read_log, PackRef, Settings, LOG_FILE, LOG_VERSION};
    use crate::session::machine::{Lights, Step};
    use crate::session::plan::Planned;
    use crate::speech::SpeechError;
    use crate::ui::Recorder;

    type Now = Rc<Cell<f64>>;

    struct FakeClock(Now);

    impl Clock for FakeClock {
        fn now_s(&self) -> f64 {
            self.0.get()
        }
        fn pause(&self, d: Duration) {
            self.0.set(self.0.get() + d.as_secs_f64());
        }
    }

    /// Says each sentence for `seconds` of clock time, or refuses to speak at all.
    struct FakeSpeaker {
        now: Now,
        seconds: f64,
        /// Shared with the fake microphone, which checks it.
        until: Rc<Cell<f64>>,
        said: Rc<RefCell<Vec<String>>>,
        broken: bool,
    }

    impl Speaker for FakeSpeaker {
        fn start(&mut self, text: &str) -> Result<(), SpeechError> {
            if self.broken {
                return Err(SpeechError::Unavailable("no speech engine".into()));
            }
            self.said.borrow_mut().push(text.to_string());
            self.until.set(self.now.get() + self.seconds);
            Ok(())
        }
        fn is_speaking(&self) -> bool {
            self.now.get() < self.until.get()
        }
        fn stop(&mut self) {
            self.until.set(0.0);
        }
    }

    /// Writes a WAV as long as the recording ran on the clock. Checks that no recording
    /// starts while the speaker is still speaking.
    struct FakeMic {
        now: Now,
        speaking_until: Rc<Cell<f64>>,
        fail: bool,
        /// The device or the disk gives out this long into a take.
        fails_after: Option<(f64, Fault)>,
        voice: Voiced,
    }

    /// What the fake microphone hears.
    #[derive(Debug, Clone, Copy)]
    enum Voiced {
        /// Bursts of a 200 Hz tone all along, which the live voice activity never reports.
        Bursts,
        /// Nothing: a muted microphone.
        Silence,
        /// Someone talking (bursts of the tone, reported by the live voice activity) over
        /// this stretch of session time, and silence around it.
        Talking { from: f64, to: f64 },
    }

    struct FakeRecording {
        now: Now,
        /// When the capture opened, and how far into it the file began (once it has).
        opened: f64,
        begun: Cell<Option<f64>>,
        max_s: f64,
        path: PathBuf,
        fails_after: Option<(f64, Fault)>,
        voice: Voiced,
    }

    impl Microphone for FakeMic {
        fn start(
            &mut self,
            path: &Path,
            max_s: f64,
            pre_roll_s: Option<f64>,
        ) -> Result<Box<dyn ActiveRecording>, DeviceError> {
            if self.fail {
                return Err(DeviceError::NoDefault {
                    direction: crate::audio::device::Direction::Input,
                    available: vec![],
                });
            }
            assert!(
                self.now.get() >= self.speaking_until.get(),
                "recording started while the question was being said"
            );
            Ok(Box::new(FakeRecording {
                now: Rc::clone(&self.now),
                opened: self.now.get(),
                begun: Cell::new(pre_roll_s.is_none().then_some(0.0)),
                max_s,
                path: path.to_path_buf(),
                fails_after: self.fails_after.clone(),
                voice: self.voice,
            }))
        }
        fn name(&self) -> String {
            "fake".into()
        }
    }

    impl FakeRecording {
        /// Whether the candidate is talking at session time `t`, and the sound's level.
        fn loudness(&self, t: f64) -> f32 {
            match self.voice {
                Voiced::Bursts => 0.5,
                Voiced::Silence => 0.0,
                Voiced::Talking { from, to } if (from..to).contains(&t) => 0.5,
                Voiced::Talking { .. } => 0.0,
            }
        }
    }

    impl ActiveRecording for FakeRecording {
        fn recent_level(&self) -> (f32, f32) {
            let level = self.loudness(self.now.get());
            (level, level * 0.6)
        }
        fn voice(&self) -> crate::audio::Voice {
            let now = self.now.get();
            let captured_s = now - self.opened;
            let Voiced::Talking { from, to } = self.voice else {
                return crate::audio::Voice {
                    captured_s,
                    ..Default::default()
                };
            };
            crate::audio::Voice {
                speaking: (from..to).contains(&now),
                started_s: (now >= from).then_some(from - self.opened),
                stopped_s: (now >= to).then_some(to - self.opened),
                captured_s,
            }
        }
        fn recorded_s(&self) -> f64 {
            self.begun
                .get()
                .map_or(0.0, |b| self.now.get() - self.opened - b)
        }
        fn begin(&self, at_s: f64) {
            if self.begun.get().is_none() {
                self.begun.set(Some(at_s));
            }
        }
        fn file_start_s(&self) -> Option<f64> {
            self.begun.get()
        }
        fn fault(&self) -> Option<Fault> {
            self.fails_after
                .as_ref()
                .filter(|(t, _)| self.recorded_s() >= *t)
                .map(|(_, fault)| fault.clone())
        }
        fn stop(self: Box<Self>) -> Result<TakeStats, DeviceError> {
            let fault = self.fault();
            let rate = 8000;
            let frames = (self.recorded_s().min(self.max_s) * f64::from(rate)).round() as u64;
            let spec = hound::WavSpec {
                channels: 1,
                sample_rate: rate,
                bits_per_sample: 16,
                sample_format: hound::SampleFormat::Int,
            };
            let mut w = hound::WavWriter::create(&self.path, spec).unwrap();
            let file_start = self.opened + self.begun.get().unwrap_or(0.0);
            for i in 0..frames {
                // Bursts of a tone four times a second, like syllables: the analysis hears
                // speech in it.
                let level = self.loudness(file_start + i as f64 / f64::from(rate));
                let burst = if (i / u64::from(rate / 8)) % 2 == 0 {
                    level
                } else {
                    0.002 * level
                };
                let v = (i as f32 * 200.0 * std::f32::consts::TAU / rate as f32).sin() * burst;
                w.write_sample((v * 32767.0) as i16).unwrap();
            }
            w.finalize().unwrap();
            let loud = !matches!(self.voice, Voiced::Silence);
            Ok(TakeStats {
                path: self.path,
                sample_rate: rate,
                frames,
                peak: if loud { 0.5 } else { 0.0 },
                rms: if loud { 0.35 } else { 0.0 },
                clipped_fraction: 0.0,
                overruns: 0,
                stream_errors: 0,
                fault,
            })
        }
    }

    struct Setup {
        dir: PathBuf,
        now: Now,
        said: Rc<RefCell<Vec<String>>>,
        speaker: FakeSpeaker,
        mic: FakeMic,
        listener: FakeListener,
        review_s: Option<f64>,
        /// Play cues, the start cue heard out in this long.
        cue_s: Option<f64>,
        transcriber: Option<FakeTranscriber>,
        /// What the session showed.
        screen: Recorder,
    }

    /// "Transcribes" each take in `seconds` of clock time, as the words "we grew ten percent".
    struct FakeTranscriber {
        now: Now,
        seconds: f64,
        queue: Vec<(TakeKey, f64)>,
        submitted_at: Vec<f64>,
        /// Fails every take with this message instead (a model that crashes the engine).
        fails: Option<String>,
    }

    impl Transcriber for FakeTranscriber {
        fn submit(&mut self, key: TakeKey, wav: &Path) {
            assert!(wav.exists());
            self.submitted_at.push(self.now.get());
            self.queue.push((key, self.now.get() + self.seconds));
        }
        fn poll(&mut self) -> Vec<(TakeKey, Result<Transcript, String>)> {
            let now = self.now.get();
            let (done, left): (Vec<_>, Vec<_>) =
                self.queue.drain(..).partition(|(_, at)| now >= *at);
            self.queue = left;
            let fails = self.fails.clone();
            done.into_iter()
                .map(|(key, _)| {
                    if let Some(message) = &fails {
                        return (key, Err(message.clone()));
                    }
                    let words = ["we", "grew", "ten", "percent"]
                        .iter()
                        .enumerate()
                        .map(|(i, w)| crate::transcribe::Word {
                            text: (*w).to_string(),
                            start_s: i as f64 * 0.4,
                            end_s: i as f64 * 0.4 + 0.3,
                        })
                        .collect();
                    Ok::<_, String>(Transcript {
                        model: "fake".into(),
                        text: "we grew ten percent".into(),
                        words,
                        duration_s: 5.0,
                        speech_span_s: Some((0.0, 1.5)),
                    })
                    .map(|t| (key, Ok(t)))
                    .unwrap()
                })
                .collect()
        }
        fn pending(&self) -> usize {
            self.queue.len()
        }
    }

    /// "Plays" a file for `seconds` of clock time; remembers what it played.
    struct FakeListener {
        now: Now,
        seconds: f64,
        played: Rc<RefCell<Vec<PathBuf>>>,
        /// The speaker cannot be opened (a sound server that stopped answering).
        broken: bool,
    }

    struct FakePlaying {
        now: Now,
        until: f64,
    }

    impl Player for FakeListener {
        fn open(&mut self, path: &Path, _from_s: f64) -> Result<Box<dyn Playback>, DeviceError> {
            assert!(path.exists(), "playing a take that is not on disk");
            if self.broken {
                return Err(DeviceError::PlaybackFailed {
                    reason: "the speaker did not open".into(),
                });
            }
            self.played.borrow_mut().push(path.to_path_buf());
            Ok(Box::new(FakePlaying {
                now: Rc::clone(&self.now),
                until: self.now.get() + self.seconds,
            }))
        }
    }

    impl Playback for FakePlaying {
        fn position_s(&self) -> f64 {
            0.0
        }
        fn duration_s(&self) -> f64 {
            0.0
        }
        fn pause(&mut self) {}
        fn resume(&mut self) {}
        fn is_paused(&self) -> bool {
            false
        }
        fn seek_to(&mut self, _s: f64) {}
        fn is_finished(&self) -> bool {
            self.now.get() >= self.until
        }
        fn failure(&self) -> Option<String> {
            None
        }
    }

    impl Drop for Setup {
        fn drop(&mut self) {
            if !std::thread::panicking() {
                let _ = std::fs::remove_dir_all(&self.dir);
            }
        }
    }

    fn setup(name: &str, broken_speech: bool, broken_mic: bool) -> Setup {
        let dir =
            std::env::temp_dir().join(format!("voicemock-runner-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let now: Now = Rc::new(Cell::new(0.0));
        let said = Rc::new(RefCell::new(Vec::new()));
        let speaking_until = Rc::new(Cell::new(0.0));
        let speaker = FakeSpeaker {
            now: Rc::clone(&now),
            seconds: 2.0,
            until: Rc::clone(&speaking_until),
            said: Rc::clone(&said),
            broken: broken_speech,
        };
        let mic = FakeMic {
            now: Rc::clone(&now),
            speaking_until,
            fail: broken_mic,
            fails_after: None,
            voice: Voiced::Bursts,
        };
        let listener = FakeListener {
            now: Rc::clone(&now),
            seconds: 4.0,
            played: Rc::new(RefCell::new(Vec::new())),
            broken: false,
        };
        let screen = Recorder::new({
            let now = Rc::clone(&now);
            move || now.get()
        });
        Setup {
            screen,
            dir,
            now,
            said,
            speaker,
            mic,
            listener,
            review_s: None,
            cue_s: None,
            transcriber: None,
        }
    }

    /// Runs a session on the fake devices, with or without the fake speaker.
    fn drive(
        s: &mut Setup,
        think_s: f64,
        limit_s: f64,
        questions: usize,
        controls: &Receiver<Control>,
        signals: &dyn Fn() -> Option<Signal>,
        speech: bool,
    ) -> anyhow::Result<Ending> {
        let clock = FakeClock(Rc::clone(&s.now));
        let speaker: Option<&mut dyn Speaker> = if speech { Some(&mut s.speaker) } else { None };
        let devices = Devices {
            mic: &mut s.mic,
            speaker,
            player: Some(&mut s.listener),
            transcriber: s.transcriber.as_mut().map(|t| t as &mut dyn Transcriber),
            screen: &mut s.screen,
        };
        let mut plan = plan(&s.dir, think_s, limit_s, questions);
        if let Some(seconds) = s.review_s {
            plan.machine = plan.machine.with_review(seconds);
        }
        if let Some(seconds) = s.cue_s {
            plan.machine = plan.machine.with_cues(seconds);
        }
        run(plan, devices, controls, signals, &clock)
    }

    fn plan(dir: &Path, think_s: f64, limit_s: f64, n: usize) -> Plan {
        let planned: Vec<Planned> = (0..n)
            .map(|i| Planned {
                id: format!("q{}", i + 1),
                category: "c".into(),
                text: format!("Question number {}?", i + 1),
                notes: vec!["A point.".into()],
                follow_up_of: None,
                talking_points: vec![crate::pack::TalkingPoint {
                    point: "Names a number".into(),
                    words: vec!["percent".into()],
                }],
                step: Step {
                    think_s,
                    limits: vec![limit_s],
                    lights: Lights {
                        green_s: limit_s / 2.0,
                        yellow_s: limit_s * 0.75,
                        red_s: limit_s,
                    },
                    follow_up_of: None,
                    planned_s: think_s + limit_s + 5.0,
                },
            })
            .collect();
        let log = SessionLog {
            version: LOG_VERSION,
            id: "test".into(),
            status: SessionStatus::InProgress,
            started_at: timestamp(),
            ended_at: None,
            ended_at_s: None,
            kind: "run".into(),
            pack: PackRef {
                name: "t".into(),
                title: "Test".into(),
                origin: "test".into(),
                sha256: None,
            },
            settings: Settings::default(),
            input_device: "fake".into(),
            speech: "fake".into(),
            checklist: vec!["Did I?".into()],
            budget_s: None,
            schedule: None,
            planned_questions: None,
            questions: crate::session::plan::log_questions(&planned),
        };
        Plan {
            dir: dir.to_path_buf(),
            log,
            machine: crate::session::plan::machine(&planned, 0.0),
            usual_wpm: None,
        }
    }

    fn close_to(a: f64, b: f64) -> bool {
        (a - b).abs() < 0.02
    }

    #[test]
    fn a_session_left_to_its_timers_records_every_answer() {
        let mut s = setup("timers", false, false);
        let (_tx, rx) = mpsc::channel();
        let ending = drive(&mut s, 3.0, 5.0, 2, &rx, &|| None, true).unwrap();
        assert_eq!(ending.status, Status::Completed);
        let log = read_log(&s.dir).unwrap();
        assert_eq!(log.status, SessionStatus::Completed);
        assert_eq!(s.said.borrow().len(), 2);
        for q in &log.questions {
            assert!(q.spoken);
            assert_eq!(q.outcome, Outcome::Answered);
            assert!((q.think_used_s - 3.0).abs() < 1e-9);
            let t = &q.takes[0];
            assert_eq!(t.ended_by, Some(TakeEnd::Limit));
            assert!((t.duration_s - 5.0).abs() < 0.02, "{}", t.duration_s);
            assert!(s.dir.join(&t.file).exists());
            assert!(t.analysis.is_some());
            // The timeline, in session seconds: 2 s reading, 3 s thinking, 5 s answering.
            let close = |a: f64, b: f64| (a - b).abs() < 0.02;
            let asked = q.asked_at_s[0];
            assert_eq!(q.asked_at_s.len(), 1);
            assert!(close(q.speech_ended_at_s[0], asked + 2.0), "{q:?}");
            assert!(close(q.think_started_at_s[0], asked + 2.0), "{q:?}");
            assert!(close(t.started_at_s, asked + 5.0), "{t:?}");
            assert!(close(t.ended_at_s.unwrap(), asked + 10.0), "{t:?}");
            assert_eq!(t.limit_s, 5.0);
            assert_eq!(q.notes, vec!["A point.".to_string()]);
        }
        assert!(close_to(log.questions[1].asked_at_s[0], 10.0));
        assert!(
            (log.ended_at_s.unwrap() - 20.0).abs() < 0.1,
            "{:?}",
            log.ended_at_s
        );
        assert_eq!(log.checklist, vec!["Did I?".to_string()]);
        let review = std::fs::read_to_string(s.dir.join(REVIEW_FILE)).unwrap();
        assert!(review.contains("Question number 2?") && review.contains("- [ ] Did I?"));
        // Two questions of 2 s speech + 3 s think + 5 s answer.
        assert!((s.now.get() - 20.0).abs() < 0.1, "took {}", s.now.get());
    }

    #[test]
    fn an_interrupt_mid_answer_keeps_the_take_and_marks_the_session() {
        let mut s = setup("interrupt", false, false);
        let (_tx, rx) = mpsc::channel();
        let now = Rc::clone(&s.now);
        let signals = move || (now.get() >= 4.0).then_some(Signal::Terminate);
        let ending = drive(&mut s, 0.0, 30.0, 2, &rx, &signals, true).unwrap();
        assert_eq!(ending.status, Status::Interrupted);
        assert_eq!(ending.signal, Some(Signal::Terminate));
        let log = read_log(&s.dir).unwrap();
        assert_eq!(log.status, SessionStatus::Interrupted);
        let take = &log.questions[0].takes[0];
        assert_eq!(take.ended_by, Some(TakeEnd::Interrupt));
        assert!((take.duration_s - 2.0).abs() < 0.02, "{}", take.duration_s);
        assert_eq!(log.questions[1].outcome, Outcome::NotReached);
        assert!(log.ended_at.is_some());
    }

    #[test]
    fn broken_speech_prints_the_question_and_goes_on() {
        let mut s = setup("nospeech", true, false);
        let (tx, rx) = mpsc::channel();
        tx.send(Control::Enter).unwrap();
        let ending = drive(&mut s, 0.0, 2.0, 1, &rx, &|| None, true).unwrap();
        assert_eq!(ending.status, Status::Completed);
        let log = read_log(&s.dir).unwrap();
        assert!(!log.questions[0].spoken);
        assert!(log.speech.starts_with("unavailable"), "{}", log.speech);
        assert_eq!(log.questions[0].takes.len(), 1);
        assert!(s.said.borrow().is_empty());
    }

    #[test]
    fn a_microphone_that_fails_to_start_ends_the_session_as_a_device_error() {
        let mut s = setup("nomic", false, true);
        let (_tx, rx) = mpsc::channel();
        let result = drive(&mut s, 0.0, 2.0, 1, &rx, &|| None, false);
        assert!(result.is_err());
        let log = read_log(&s.dir).unwrap();
        assert_eq!(log.status, SessionStatus::DeviceError);
        assert!(log.questions[0].takes.is_empty());
    }

    #[test]
    fn a_microphone_that_dies_mid_answer_keeps_the_take() {
        let mut s = setup("micdies", false, false);
        s.mic.fails_after = Some((1.5, Fault::DeviceLost));
        let (_tx, rx) = mpsc::channel();
        let ending = drive(&mut s, 0.0, 10.0, 2, &rx, &|| None, false).unwrap();
        assert_eq!(ending.status, Status::DeviceError);
        let log = read_log(&s.dir).unwrap();
        assert_eq!(log.status, SessionStatus::DeviceError);
        let take = &log.questions[0].takes[0];
        assert_eq!(take.ended_by, Some(TakeEnd::DeviceError));
        assert!((take.duration_s - 1.5).abs() < 0.05, "{}", take.duration_s);
        assert!(s.dir.join(&take.file).exists());
    }

    #[test]
    fn a_full_disk_ends_the_session_with_the_real_duration_logged() {
        let mut s = setup("diskfull", false, false);
        s.mic.fails_after = Some((2.0, Fault::DiskFull));
        let (_tx, rx) = mpsc::channel();
        let ending = drive(&mut s, 0.0, 10.0, 2, &rx, &|| None, false).unwrap();
        assert_eq!(ending.status, Status::DeviceError);
        let (fault, held_s) = ending.fault.expect("the fault is reported");
        assert_eq!(fault, Fault::DiskFull);
        assert!((held_s - 2.0).abs() < 0.05, "{held_s}");
        let log = read_log(&s.dir).unwrap();
        assert_eq!(log.status, SessionStatus::DeviceError);
        assert!(log.ended_at.is_some());
        let take = &log.questions[0].takes[0];
        assert!((take.duration_s - 2.0).abs() < 0.05, "{}", take.duration_s);
        assert!(
            !s.dir.join(".voicemock-reserve").exists(),
            "the reserve is gone"
        );
    }

    #[test]
    fn a_forced_exit_marks_the_last_log_interrupted_with_the_file_s_duration() {
        let s = setup("rescue", false, false);
        let mut log = plan(&s.dir, 0.0, 30.0, 2).log;
        log.questions[0].takes.push(TakeLog::started(
            1,
            "q01-q1-take1.wav".into(),
            timestamp(),
            0.0,
            30.0,
            None,
        ));
        // A take being written: 1.5 s in the header, as the writer leaves it between flushes.
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 16_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let mut w = hound::WavWriter::create(s.dir.join("q01-q1-take1.wav"), spec).unwrap();
        for _ in 0..24_000 {
            w.write_sample(0i16).unwrap();
        }
        w.finalize().unwrap();
        let rescue = Mutex::new(Rescue {
            dir: s.dir.clone(),
            log: Some(log),
            over: false,
        });
        let started = Instant::now();
        rescue_on_forced_exit(&rescue);
        assert!(
            started.elapsed() >= RESCUE_GRACE,
            "the runner gets its chance first"
        );
        let saved = read_log(&s.dir).unwrap();
        assert_eq!(saved.status, SessionStatus::Interrupted);
        assert!(saved.ended_at.is_some());
        let take = &saved.questions[0].takes[0];
        assert_eq!(take.ended_by, Some(TakeEnd::Interrupt));
        assert_eq!(take.sample_rate, 16_000);
        assert!((take.duration_s - 1.5).abs() < 1e-9, "{}", take.duration_s);
        // Once it has written, nobody writes after it; and a runner that finished first is
        // left alone.
        assert!(rescue.lock().unwrap().over);
        let _ = std::fs::remove_file(s.dir.join(LOG_FILE));
        rescue_on_forced_exit(&rescue);
        assert!(!s.dir.join(LOG_FILE).exists());
    }

    #[test]
    fn listening_back_plays_the_take_and_recording_again_keeps_both() {
        let mut s = setup("review", false, false);
        s.review_s = Some(6.0);
        let (tx, rx) = mpsc::channel();
        let now = Rc::clone(&s.now);
        let sent = Cell::new(0);
        // At 4 s: answer done; at 5 s: listen (4 s of playback); at 12 s: record again; at
        // 15 s: done; then the review of take 2 runs out and the session goes on alone.
        let signals = move || {
            let t = now.get();
            let script = [
                (4.0, Control::Enter),
                (5.0, Control::Listen),
                (12.0, Control::Repeat),
                (15.0, Control::Enter),
            ];
            if let Some(&(_, c)) = script.get(sent.get()).filter(|(at, _)| t >= *at) {
                sent.set(sent.get() + 1);
                tx.send(c).unwrap();
            }
            None
        };
        let ending = drive(&mut s, 0.0, 10.0, 1, &rx, &signals, false).unwrap();
        assert_eq!(ending.status, Status::Completed);
        let log = read_log(&s.dir).unwrap();
        let q = &log.questions[0];
        assert_eq!(q.takes.len(), 2);
        assert_eq!(q.outcome, Outcome::Answered);
        assert!(q.takes[0].listened && !q.takes[1].listened, "{q:?}");
        assert_eq!(q.takes[0].ended_by, Some(TakeEnd::Enter));
        let played = s.listener.played.borrow();
        assert_eq!(played.as_slice(), [s.dir.join(&q.takes[0].file)]);
        // Take 2 began when `r` was pressed (no think time here), and the session ended when
        // its 6 s review ran out.
        assert!(close_to(q.takes[1].started_at_s, 12.0), "{:?}", q.takes[1]);
        assert!(
            (log.ended_at_s.unwrap() - 21.0).abs() < 0.1,
            "{:?}",
            log.ended_at_s
        );
    }

    #[test]
    fn cues_are_kept_in_the_take_and_left_out_of_its_analysis() {
        let mut s = setup("cues", false, false);
        s.cue_s = Some(START_CUE_HEARD_S);
        let (_tx, rx) = mpsc::channel();
        // No speaker: thinking 0–4 s, the start cue 4–4.45 s, the answer to its 8 s limit.
        let ending = drive(&mut s, 4.0, 8.0, 1, &rx, &|| None, false).unwrap();
        assert_eq!(ending.status, Status::Completed);
        let log = read_log(&s.dir).unwrap();
        let t = &log.questions[0].takes[0];
        assert!(close_to(t.started_at_s, 4.0 + START_CUE_HEARD_S), "{t:?}");
        // The file starts with the start cue, so nothing said over it is lost; the take's
        // times start after it.
        assert!(close_to(t.pre_roll_s, START_CUE_HEARD_S), "{t:?}");
        assert!(close_to(t.facts.as_ref().unwrap().length_s, 8.0), "{t:?}");
        // The start cue, and the wrap-up cue at 6 s into the answer (the yellow light).
        assert_eq!(t.cues_s.len(), 2, "{t:?}");
        assert!(close_to(t.cues_s[0][0], 0.0), "{t:?}");
        assert!(close_to(t.cues_s[0][1], START_CUE_HEARD_S), "{t:?}");
        assert!(close_to(t.cues_s[1][0], START_CUE_HEARD_S + 6.0), "{t:?}");
        assert!(
            close_to(t.cues_s[1][1], START_CUE_HEARD_S + 6.0 + CUE_MASK_S),
            "{t:?}"
        );
        // The fake microphone's tone plays all through: the analysis finds speech only after
        // the start cue, as the saved measures say.
        let m = t.analysis.as_ref().unwrap();
        assert!(
            m.first_speech_s.unwrap() >= START_CUE_HEARD_S - 0.02,
            "{m:?}"
        );
        let again = crate::audio::wav_reader::analyze_file_with_envelope(
            &s.dir.join(&t.file),
            crate::analysis::Params::default(),
            &t.cues_s,
        )
        .unwrap()
        .0;
        assert_eq!(&again, m);
        let played = s.listener.played.borrow();
        assert_eq!(
            played.len(),
            3,
            "start, wrap-up and time-up cues: {played:?}"
        );
    }

    #[test]
    fn a_cue_that_cannot_play_is_not_left_out_of_the_take() {
        let mut s = setup("cues-broken", false, false);
        s.cue_s = Some(START_CUE_HEARD_S);
        s.listener.broken = true;
        let (_tx, rx) = mpsc::channel();
        let ending = drive(&mut s, 4.0, 8.0, 1, &rx, &|| None, false).unwrap();
        assert_eq!(ending.status, Status::Completed);
        let t = &read_log(&s.dir).unwrap().questions[0].takes[0];
        // The clock still waited for the cue, but the file starts with the take and no
        // stretch of it is left out of the measures.
        assert!(t.cues_s.is_empty(), "{t:?}");
        assert!(close_to(t.pre_roll_s, 0.0), "{t:?}");
        assert!(s.screen.text().contains("cannot play a sound cue"));
    }

    #[test]
    fn transcripts_come_in_the_background_without_moving_the_timers() {
        let mut s = setup("transcripts", false, false);
        s.transcriber = Some(FakeTranscriber {
            now: Rc::clone(&s.now),
            seconds: 7.0,
            queue: Vec::new(),
            submitted_at: Vec::new(),
            fails: None,
        });
        let (_tx, rx) = mpsc::channel();
        let ending = drive(&mut s, 0.0, 5.0, 2, &rx, &|| None, false).unwrap();
        assert_eq!(ending.status, Status::Completed);
        let log = read_log(&s.dir).unwrap();
        for q in &log.questions {
            let take = &q.takes[0];
            // The limit held while the first transcript was being made.
            assert!((take.duration_s - 5.0).abs() < 0.02, "{}", take.duration_s);
            let t = take.transcript.as_ref().expect("a transcript");
            assert_eq!(t.text, "we grew ten percent");
            assert_eq!((t.words, t.we_count, t.i_count), (4, 1, 0));
            assert!(t.gave_number);
            assert_eq!(t.covered, ["Names a number"]);
            let sidecar: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(s.dir.join(&t.file)).unwrap())
                    .unwrap();
            assert_eq!(sidecar["words"].as_array().unwrap().len(), 4);
            assert_eq!(sidecar["measures"]["we_count"], 1);
        }
        // The first take went to the transcriber only once the second had recorded half a
        // second (it began at 5 s), so a transcription never competes with a starting stream.
        let at = &s.transcriber.as_ref().unwrap().submitted_at;
        assert!(at[0] >= 5.5 && at[0] < 5.6, "{at:?}");
        // The session ended after its last answer, then waited for that answer's transcript.
        assert!((log.ended_at_s.unwrap() - 10.0).abs() < 0.1);
        assert!(s.now.get() >= 17.0, "{}", s.now.get());
    }

    #[test]
    fn a_transcriber_that_fails_every_take_is_said_once_and_noted_on_each() {
        let mut s = setup("transcripts-fail", false, false);
        let crash = "the transcription engine crashed on signal 6 (abort)";
        s.transcriber = Some(FakeTranscriber {
            now: Rc::clone(&s.now),
            seconds: 1.0,
            queue: Vec::new(),
            submitted_at: Vec::new(),
            fails: Some(crash.into()),
        });
        let (_tx, rx) = mpsc::channel();
        let ending = drive(&mut s, 0.0, 5.0, 2, &rx, &|| None, false).unwrap();
        assert_eq!(ending.status, Status::Completed);
        let log = read_log(&s.dir).unwrap();
        for q in &log.questions {
            let take = &q.takes[0];
            assert!((take.duration_s - 5.0).abs() < 0.02, "{}", take.duration_s);
            assert!(take.transcript.is_none());
            assert_eq!(take.transcript_error.as_deref(), Some(crash));
        }
        assert_eq!(
            s.screen.text().matches(crash).count(),
            1,
            "{}",
            s.screen.text()
        );
    }

    #[test]
    fn a_repeat_pressed_as_the_question_ends_is_not_taken_for_its_end() {
        let mut s = setup("repeat-race", false, false);
        let (tx, rx) = mpsc::channel();
        let (now, until) = (Rc::clone(&s.now), Rc::clone(&s.speaker.until));
        let pressed = Cell::new(false);
        // Presses `r` in the very poll in which the first reading of the question ends.
        let signals = move || {
            if !pressed.get() && now.get() > 0.5 && now.get() >= until.get() {
                pressed.set(true);
                tx.send(Control::Repeat).unwrap();
            }
            None
        };
        let ending = drive(&mut s, 0.0, 3.0, 1, &rx, &signals, true).unwrap();
        // The fake microphone panics if recording starts during speech; here the question is
        // said twice and only then recorded.
        assert_eq!(ending.status, Status::Completed);
        assert_eq!(s.said.borrow().len(), 2);
        let log = read_log(&s.dir).unwrap();
        assert_eq!(log.questions[0].takes.len(), 1);
    }

    #[test]
    fn s_after_speech_keeps_the_answer_and_s_before_any_skips_the_question() {
        let mut s = setup("skip-kept", false, false);
        // The candidate talks from 1 s to 6 s of the first answer, then presses `s`; the
        // second question gets `s` before a word.
        s.mic.voice = Voiced::Talking { from: 1.0, to: 6.0 };
        let (tx, rx) = mpsc::channel();
        let now = Rc::clone(&s.now);
        let sent = Cell::new(0);
        let signals = move || {
            let script = [8.0, 10.0];
            if script.get(sent.get()).is_some_and(|&at| now.get() >= at) {
                sent.set(sent.get() + 1);
                tx.send(Control::Skip).unwrap();
            }
            None
        };
        drive(&mut s, 0.0, 20.0, 2, &rx, &signals, false).unwrap();
        let log = read_log(&s.dir).unwrap();
        let q = &log.questions;
        assert_eq!(q[0].takes[0].ended_by, Some(TakeEnd::Skip));
        assert_eq!(q[0].outcome, Outcome::Answered, "{:?}", q[0]);
        assert_eq!(q[1].takes[0].ended_by, Some(TakeEnd::Skip));
        assert_eq!(q[1].outcome, Outcome::Skipped, "{:?}", q[1]);
    }

    #[test]
    fn a_take_ended_at_its_limit_mid_speech_is_logged_cut_off() {
        // (when the candidate talks, limit) → cut off
        for (from, to, cut_off) in [(1.0, 30.0, true), (1.0, 3.0, false)] {
            let mut s = setup("cut-off", false, false);
            s.mic.voice = Voiced::Talking { from, to };
            let (_tx, rx) = mpsc::channel();
            drive(&mut s, 0.0, 5.0, 1, &rx, &|| None, false).unwrap();
            let log = read_log(&s.dir).unwrap();
            let take = &log.questions[0].takes[0];
            assert_eq!(take.ended_by, Some(TakeEnd::Limit));
            assert_eq!(take.cut_off, cut_off, "talking {from}-{to} s: {take:?}");
        }
    }

    // What the user sees, through the recording screen.

    /// The session times of every tick of the answer's bar showing `light`.
    fn ticks_with(shown: &Recorder, light: Light) -> Vec<f64> {
        shown
            .events()
            .iter()
            .filter(|(_, e)| {
                matches!(e, Shown::Tick { countdown: Countdown::Answering { light: l, .. }, .. }
                    if *l == light)
            })
            .map(|(t, _)| *t)
            .collect()
    }

    fn answer_began(shown: &Recorder) -> f64 {
        shown
            .first(|e| {
                matches!(
                    e,
                    Shown::Phase {
                        phase: Phase::Answering,
                        ..
                    }
                )
            })
            .expect("an answer was shown")
            .0
    }

    #[test]
    fn a_silent_answer_never_shows_green_and_warns_of_no_voice_within_five_seconds() {
        let mut s = setup("silent", false, false);
        s.mic.voice = Voiced::Silence;
        let (_tx, rx) = mpsc::channel();
        let ending = drive(&mut s, 0.0, 20.0, 1, &rx, &|| None, false).unwrap();
        assert_eq!(ending.status, Status::Completed);
        let shown = &s.screen;
        let text = shown.text();
        let began = answer_began(shown);
        let (warned, _) = shown
            .first(|e| matches!(e, Shown::NoVoice { .. }))
            .unwrap_or_else(|| panic!("no warning of silence:\n{text}"));
        assert!(
            warned > began && warned - began <= 5.0,
            "warned {:.2} s into the answer",
            warned - began
        );
        let (_, warning) = shown
            .line_with("no voice heard from the microphone")
            .unwrap();
        assert!(warning.contains("level -"), "{warning}");
        // Half the limit and more went by in silence: the light never turned green, in a line
        // or on the bar; the clock's own lights still came.
        assert!(!text.contains("green"), "{text}");
        assert!(ticks_with(shown, Light::Green).is_empty());
        assert!(!ticks_with(shown, Light::Yellow).is_empty());
        assert!(text.contains("yellow: time to wrap up"), "{text}");
        let (_, take) = shown.line_with("Answer 1, take 1").expect("a take line");
        assert!(take.contains("NO SPEECH heard"), "{take}");
        let log = read_log(&s.dir).unwrap();
        assert_eq!(log.questions[0].outcome, Outcome::Asked);
    }

    #[test]
    fn a_spoken_answer_turns_green_only_after_speech_and_says_when_it_stopped() {
        let mut s = setup("spoken", false, false);
        // Green is due at 10 s of a 20 s answer; the candidate speaks from 12 s to 16 s.
        s.mic.voice = Voiced::Talking {
            from: 12.0,
            to: 16.0,
        };
        let (_tx, rx) = mpsc::channel();
        drive(&mut s, 0.0, 20.0, 1, &rx, &|| None, false).unwrap();
        let shown = &s.screen;
        let text = shown.text();
        let began = answer_began(shown);
        assert!(began < 0.1, "the answer began at {began}");
        let (green_at, green) = shown
            .first(|e| {
                matches!(
                    e,
                    Shown::Light {
                        light: Light::Green,
                        ..
                    }
                )
            })
            .unwrap_or_else(|| panic!("never green:\n{text}"));
        assert!(
            (12.0..12.1).contains(&green_at),
            "green at {green_at:.2} s: {green:?}"
        );
        let (_, line) = shown.line_with("green:").unwrap();
        assert_eq!(
            line,
            "  [0:12] green: the answer has reached a useful length"
        );
        let green_ticks = ticks_with(shown, Light::Green);
        assert!(!green_ticks.is_empty());
        assert!(green_ticks.iter().all(|&t| t >= 12.0), "{green_ticks:?}");
        // The warning of silence came before the speech, and only once; the speech answered
        // it as it came.
        assert_eq!(text.matches("no voice heard").count(), 1, "{text}");
        let (heard_at, _) = shown
            .line_with("voice heard now")
            .unwrap_or_else(|| panic!("the warning was never answered:\n{text}"));
        assert!(
            (12.0..12.1).contains(&heard_at),
            "voice heard shown at {heard_at}"
        );
        let (_, take) = shown.line_with("Answer 1, take 1").expect("a take line");
        assert!(take.contains("talking stopped at 0:16"), "{take}");
        assert!(!take.contains("NO SPEECH"), "{take}");
        let log = read_log(&s.dir).unwrap();
        assert_eq!(log.questions[0].outcome, Outcome::Answered);
    }

    #[test]
    fn an_answer_shows_its_keys_and_whether_speaking_started_it() {
        let keys = ": Enter: done, s: next question, r: start again, q: quit";
        // (what the microphone hears during a 10 s think time, when the answer starts, its
        // keys line)
        let cases = [
            (
                Voiced::Talking { from: 3.0, to: 8.0 },
                3.0,
                format!("  Recording answer (limit 0:20), started when you spoke{keys}"),
            ),
            (
                Voiced::Bursts,
                10.0,
                format!("  Recording answer (limit 0:20){keys}"),
            ),
        ];
        for (voice, starts_at, expected) in cases {
            let mut s = setup("keys", false, false);
            s.mic.voice = voice;
            let (_tx, rx) = mpsc::channel();
            drive(&mut s, 10.0, 20.0, 1, &rx, &|| None, false).unwrap();
            let shown = &s.screen;
            let (_, think) = shown.line_with("Think time").unwrap();
            assert_eq!(
                think,
                "  Think time: 0:10 (start speaking or press Enter to answer; s: skip, r: \
                 repeat the question, q: quit)"
            );
            let (at, line) = shown.line_with("Recording answer").unwrap();
            assert_eq!(line, expected, "{voice:?}");
            assert!((at - starts_at).abs() < 0.05, "{voice:?}: shown at {at}");
            // The keys come before the answer's bar, which starts where the take's clock did.
            let began = answer_began(shown);
            assert!(began >= at, "{voice:?}");
            let (_, take) = shown.line_with("Answer 1, take 1").unwrap();
            assert_eq!(
                take.contains("started when you spoke"),
                matches!(voice, Voiced::Talking { .. }),
                "{take}"
            );
        }
    }
}
