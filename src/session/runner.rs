//! The runner: drives the state machine with real time, real devices and the user's keys,
//! and keeps the session folder up to date. All decisions are the machine's; the runner only
//! carries them out and reports what happened.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::Context;

use super::log::{Outcome, SessionLog, TakeLog, REVIEW_FILE};
use super::machine::{Action, Control, EndedBy, Event, Light, Machine, Signal, Status, View};
use super::{signals, store};
use crate::audio::level::dbfs;
use crate::audio::{ActiveRecording, Fault, Microphone};
use crate::report;
use crate::speech::{speech_timeout, Speaker};
use crate::ui::{errln, level_meter, mmss, outln, warn, PhaseBar};

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

/// Everything the session needs that is not a device.
pub struct Plan {
    pub dir: PathBuf,
    pub log: SessionLog,
    pub machine: Machine,
    /// The pack's notes on a strong answer, per question, for the review sheet.
    pub notes: Vec<Vec<String>>,
    pub checklist: Vec<String>,
    pub usual_wpm: Option<f64>,
}

pub struct Devices<'a> {
    pub mic: &'a mut dyn Microphone,
    pub speaker: Option<&'a mut dyn Speaker>,
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
    index_in_log: usize,
    /// Said once that the sound server moved the recording to another source.
    told_moved: bool,
}

struct Runner<'a> {
    plan: Plan,
    devices: Devices<'a>,
    take: Option<Take>,
    bar: Option<PhaseBar>,
    speech_deadline: Option<f64>,
    last_light: Light,
    signal: Option<Signal>,
    fault: Option<(Fault, f64)>,
    /// Room set aside on the session's disk, given back to write the log if the disk fills.
    reserve: Option<store::Reserve>,
    /// What a forced exit (a second signal) needs to leave a finished log behind.
    rescue: Arc<Mutex<Rescue>>,
}

const POLL: Duration = Duration::from_millis(10);

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
        bar: None,
        speech_deadline: None,
        last_light: Light::Off,
        signal: None,
        fault: None,
        rescue,
    };
    let status = session(&mut r, controls, signals, clock);
    if status.is_err() {
        // Whatever went wrong, the take in progress gets a finished file.
        r.abandon_take();
    }
    if let Some(bar) = r.bar.take() {
        bar.finish();
    }
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
        r.tell_if_moved();
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

    fn say(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => outln(line),
        }
    }

    fn end_bar(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish();
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
        self.plan.log.save(&self.plan.dir)?;
        rescue.log = Some(self.plan.log.clone());
        let md = report::review_markdown(
            &self.plan.log,
            &self.plan.notes,
            &self.plan.checklist,
            self.plan.usual_wpm,
        );
        store::write_atomic(&self.plan.dir.join(REVIEW_FILE), md.as_bytes())
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
        let line = format!(
            "warning: the sound server moved this recording to another source ({to}); the \
             rest of the answer may be silence; check the microphone (`voicemock devices`)"
        );
        match &self.bar {
            Some(bar) => bar.suspend(|| errln(&line)),
            None => errln(&line),
        }
    }

    /// After an error: stop the take in progress so its file is finished, and keep what the
    /// recording says in the log if the log can still be written.
    fn abandon_take(&mut self) {
        self.end_bar();
        let Some(take) = self.take.take() else {
            return;
        };
        if let Ok(stats) = take.recording.stop() {
            let entry = &mut self.plan.log.questions[take.q].takes[take.index_in_log];
            entry.duration_s = stats.duration_s();
            entry.sample_rate = stats.sample_rate;
            entry.ended_by = Some(EndedBy::DeviceError);
            let _ = self.save();
        }
    }

    /// Carries out one action; returns the final status when the session is over.
    fn execute(&mut self, action: Action, now: f64) -> anyhow::Result<Option<Status>> {
        match action {
            Action::Ask { q } => self.ask(q, now)?,
            Action::StopSpeaking => {
                if let Some(s) = self.devices.speaker.as_deref_mut() {
                    s.stop();
                }
            }
            Action::Think { seconds, .. } => {
                self.end_bar();
                outln(format_args!(
                    "  Think time: {} (Enter: start answering now, s: skip, r: repeat, q: quit)",
                    mmss(seconds)
                ));
                self.bar = Some(PhaseBar::new(seconds, "thinking"));
            }
            Action::StartRecording { q, take } => self.start_recording(q, take)?,
            Action::StopRecording {
                q,
                take: _,
                ended_by,
                overtime_s,
            } => self.stop_recording(q, ended_by, overtime_s)?,
            Action::QuestionDone {
                q,
                think_used_s,
                skipped,
            } => {
                let question = &mut self.plan.log.questions[q];
                question.think_used_s = think_used_s;
                question.outcome = if skipped {
                    Outcome::Skipped
                } else if question.takes.is_empty() {
                    Outcome::Asked
                } else {
                    Outcome::Answered
                };
                self.save()?;
            }
            Action::Finish { status } => {
                self.end_bar();
                if let Some(s) = self.devices.speaker.as_deref_mut() {
                    if status != Status::Completed {
                        s.stop();
                    }
                }
                self.plan.log.status = status;
                self.plan.log.ended_at = Some(timestamp());
                self.save()?;
                return Ok(Some(status));
            }
        }
        Ok(None)
    }

    fn ask(&mut self, q: usize, now: f64) -> anyhow::Result<()> {
        self.end_bar();
        let total = self.plan.log.questions.len();
        let question = &self.plan.log.questions[q];
        let text = question.text.clone();
        outln("");
        outln(format_args!(
            "Question {}/{} [{}]",
            q + 1,
            total,
            question.category
        ));
        outln(format_args!("  {text}"));
        let mut spoken = false;
        if let Some(speaker) = self.devices.speaker.as_deref_mut() {
            match speaker.start(&text) {
                Ok(()) => spoken = true,
                Err(e) => {
                    warn(format_args!("{e}; the questions will only be printed"));
                    self.devices.speaker = None;
                    self.plan.log.speech = format!("unavailable: {e}");
                }
            }
        }
        self.speech_deadline = Some(now + speech_timeout(&text).as_secs_f64());
        let question = &mut self.plan.log.questions[q];
        question.spoken |= spoken;
        if question.outcome == Outcome::NotReached {
            question.outcome = Outcome::Asked;
        }
        self.save()
    }

    fn start_recording(&mut self, q: usize, take: u32) -> anyhow::Result<()> {
        self.end_bar();
        let question = &self.plan.log.questions[q];
        let file = format!("q{:02}-{}-take{}.wav", q + 1, sanitize(&question.id), take);
        let path = self.plan.dir.join(&file);
        let limit_s = question.limit_s;
        // However fast the device delivers, the take holds no more than its limit and grace.
        let max_s = limit_s + self.plan.log.settings.overtime_s;
        let recording = match self.devices.mic.start(&path, max_s) {
            Ok(r) => r,
            Err(e) => {
                self.plan.log.status = Status::DeviceError;
                self.plan.log.ended_at = Some(timestamp());
                self.save()?;
                return Err(e).context(format!("starting to record answer {}", q + 1));
            }
        };
        let entry = TakeLog {
            take,
            file: file.clone(),
            started_at: timestamp(),
            duration_s: 0.0,
            ended_by: None,
            overtime_s: 0.0,
            sample_rate: 0,
            peak_dbfs: -120.0,
            rms_dbfs: -120.0,
            level: String::new(),
            overruns: 0,
            stream_errors: 0,
            analysis: None,
        };
        let question = &mut self.plan.log.questions[q];
        question.takes.push(entry);
        let index_in_log = question.takes.len() - 1;
        self.take = Some(Take {
            recording,
            q,
            index_in_log,
            told_moved: false,
        });
        // Announced on stdout before anything else, so a script can tell the take has begun.
        outln(format_args!(
            "  Recording answer (limit {}): Enter: done, s: skip, r: repeat, q: quit",
            mmss(limit_s)
        ));
        self.last_light = Light::Off;
        self.bar = Some(PhaseBar::new(limit_s, "answering"));
        self.save()
    }

    fn stop_recording(
        &mut self,
        q: usize,
        ended_by: EndedBy,
        overtime_s: f64,
    ) -> anyhow::Result<()> {
        self.end_bar();
        let Some(take) = self.take.take() else {
            return Ok(());
        };
        debug_assert_eq!(take.q, q);
        let stats = take.recording.stop();
        let entry = &mut self.plan.log.questions[q].takes[take.index_in_log];
        entry.ended_by = Some(ended_by);
        entry.overtime_s = overtime_s;
        match stats {
            Ok(stats) => {
                if let Some(fault) = &stats.fault {
                    self.fault = Some((fault.clone(), stats.duration_s()));
                }
                entry.duration_s = stats.duration_s();
                entry.sample_rate = stats.sample_rate;
                entry.peak_dbfs = f64::from(dbfs(stats.peak));
                entry.rms_dbfs = f64::from(dbfs(stats.rms));
                entry.overruns = stats.overruns;
                entry.stream_errors = stats.stream_errors;
                let path = self.plan.dir.join(&entry.file);
                entry.level = stats.verdict().label().to_string();
                match crate::audio::wav_reader::analyze_file(
                    &path,
                    crate::analysis::Params::default(),
                ) {
                    Ok(m) => entry.analysis = Some(m),
                    Err(e) => warn(format_args!("could not analyse {}: {e}", path.display())),
                }
            }
            Err(e) => {
                entry.level = "unknown".into();
                warn(format_args!("finishing the recording: {e}"));
            }
        }
        let question = &self.plan.log.questions[q];
        let entry = &question.takes[take.index_in_log];
        outln(format_args!(
            "{}",
            report::take_line(q + 1, question, entry, self.plan.usual_wpm)
        ));
        self.save()
    }

    fn render(&mut self, now: f64) {
        let view = self.plan.machine.view(now);
        let Some(bar) = &self.bar else { return };
        match view {
            View::Thinking {
                elapsed_s,
                remaining_s,
                ..
            } => bar.update(elapsed_s, format!("{} to think", mmss(remaining_s))),
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
                let clock = if remaining_s >= 0.0 {
                    format!("{} left", mmss(remaining_s))
                } else {
                    format!("+{} over", mmss(-remaining_s))
                };
                bar.update(
                    elapsed_s,
                    format!("{clock} {} {}", light_label(light), level_meter(peak, 12)),
                );
                if light != self.last_light {
                    self.last_light = light;
                    let what = match light {
                        Light::Off => None,
                        Light::Green => Some("green: the answer has reached a useful length"),
                        Light::Yellow => Some("yellow: time to wrap up"),
                        Light::Red => Some("red: time is up"),
                    };
                    if let Some(what) = what {
                        self.say(&format!("  [{}] {what}", mmss(elapsed_s)));
                    }
                }
            }
            View::Asking { .. } | View::Done => {}
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
    log.status = Status::Interrupted;
    log.ended_at = Some(timestamp());
    for take in log.questions.iter_mut().flat_map(|q| q.takes.iter_mut()) {
        if take.ended_by.is_none() {
            take.ended_by = Some(EndedBy::Interrupt);
            if let Some((rate, frames)) =
                crate::audio::writer::frames_on_disk(&rescue.dir.join(&take.file))
            {
                take.sample_rate = rate;
                take.duration_s = frames as f64 / f64::from(rate.max(1));
            }
        }
    }
    let _ = log.save(&rescue.dir);
}

fn is_disk_full(e: &std::io::Error) -> bool {
    crate::audio::writer::is_disk_full(e)
}

fn light_label(light: Light) -> &'static str {
    match light {
        Light::Off => "\x1b[90m●\x1b[0m",
        Light::Green => "\x1b[32m● green\x1b[0m",
        Light::Yellow => "\x1b[33m● yellow\x1b[0m",
        Light::Red => "\x1b[31m● red\x1b[0m",
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
    use crate::session::log::{PackRef, QuestionLog, Settings, LOG_VERSION};
    use crate::session::machine::Step;
    use crate::speech::SpeechError;

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

    /// Writes a WAV of a 200 Hz tone as long as the recording ran on the clock. Checks that
    /// no recording starts while the speaker is still speaking.
    struct FakeMic {
        now: Now,
        speaking_until: Rc<Cell<f64>>,
        fail: bool,
        /// The device or the disk gives out this long into a take.
        fails_after: Option<(f64, Fault)>,
    }

    struct FakeRecording {
        now: Now,
        started: f64,
        max_s: f64,
        path: PathBuf,
        fails_after: Option<(f64, Fault)>,
    }

    impl Microphone for FakeMic {
        fn start(
            &mut self,
            path: &Path,
            max_s: f64,
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
                started: self.now.get(),
                max_s,
                path: path.to_path_buf(),
                fails_after: self.fails_after.clone(),
            }))
        }
        fn name(&self) -> String {
            "fake".into()
        }
    }

    impl ActiveRecording for FakeRecording {
        fn recent_level(&self) -> (f32, f32) {
            (0.5, 0.3)
        }
        fn recorded_s(&self) -> f64 {
            self.now.get() - self.started
        }
        fn fault(&self) -> Option<Fault> {
            self.fails_after
                .as_ref()
                .filter(|(t, _)| self.now.get() - self.started >= *t)
                .map(|(_, fault)| fault.clone())
        }
        fn stop(self: Box<Self>) -> Result<TakeStats, DeviceError> {
            let fault = self.fault();
            let rate = 8000;
            let frames =
                ((self.now.get() - self.started).min(self.max_s) * f64::from(rate)).round() as u64;
            let spec = hound::WavSpec {
                channels: 1,
                sample_rate: rate,
                bits_per_sample: 16,
                sample_format: hound::SampleFormat::Int,
            };
            let mut w = hound::WavWriter::create(&self.path, spec).unwrap();
            for i in 0..frames {
                let v = (i as f32 * 200.0 * std::f32::consts::TAU / rate as f32).sin() * 0.5;
                w.write_sample((v * 32767.0) as i16).unwrap();
            }
            w.finalize().unwrap();
            Ok(TakeStats {
                path: self.path,
                sample_rate: rate,
                frames,
                peak: 0.5,
                rms: 0.35,
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
        };
        Setup {
            dir,
            now,
            said,
            speaker,
            mic,
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
        };
        let plan = plan(&s.dir, think_s, limit_s, questions);
        run(plan, devices, controls, signals, &clock)
    }

    fn plan(dir: &Path, think_s: f64, limit_s: f64, n: usize) -> Plan {
        let steps: Vec<Step> = (0..n)
            .map(|i| Step {
                text: format!("Question number {}?", i + 1),
                think_s,
                limit_s,
                min_s: limit_s / 2.0,
                warn_s: limit_s / 4.0,
            })
            .collect();
        let log = SessionLog {
            version: LOG_VERSION,
            id: "test".into(),
            status: Status::InProgress,
            started_at: timestamp(),
            ended_at: None,
            pack: PackRef {
                name: "t".into(),
                title: "Test".into(),
                origin: "test".into(),
            },
            settings: Settings::default(),
            input_device: "fake".into(),
            speech: "fake".into(),
            questions: steps
                .iter()
                .enumerate()
                .map(|(i, s)| QuestionLog::planned(&format!("q{}", i + 1), "c", s))
                .collect(),
        };
        Plan {
            dir: dir.to_path_buf(),
            log,
            machine: Machine::new(steps, 0.0),
            notes: vec![vec!["A point.".into()]; n],
            checklist: vec!["Did I?".into()],
            usual_wpm: None,
        }
    }

    #[test]
    fn a_session_left_to_its_timers_records_every_answer() {
        let mut s = setup("timers", false, false);
        let (_tx, rx) = mpsc::channel();
        let ending = drive(&mut s, 3.0, 5.0, 2, &rx, &|| None, true).unwrap();
        assert_eq!(ending.status, Status::Completed);
        let log = SessionLog::load(&s.dir).unwrap();
        assert_eq!(log.status, Status::Completed);
        assert_eq!(s.said.borrow().len(), 2);
        for q in &log.questions {
            assert!(q.spoken);
            assert_eq!(q.outcome, Outcome::Answered);
            assert!((q.think_used_s - 3.0).abs() < 1e-9);
            let t = &q.takes[0];
            assert_eq!(t.ended_by, Some(EndedBy::Limit));
            assert!((t.duration_s - 5.0).abs() < 0.02, "{}", t.duration_s);
            assert!(s.dir.join(&t.file).exists());
            assert!(t.analysis.is_some());
        }
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
        let log = SessionLog::load(&s.dir).unwrap();
        assert_eq!(log.status, Status::Interrupted);
        let take = &log.questions[0].takes[0];
        assert_eq!(take.ended_by, Some(EndedBy::Interrupt));
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
        let log = SessionLog::load(&s.dir).unwrap();
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
        let log = SessionLog::load(&s.dir).unwrap();
        assert_eq!(log.status, Status::DeviceError);
        assert!(log.questions[0].takes.is_empty());
    }

    #[test]
    fn a_microphone_that_dies_mid_answer_keeps_the_take() {
        let mut s = setup("micdies", false, false);
        s.mic.fails_after = Some((1.5, Fault::DeviceLost));
        let (_tx, rx) = mpsc::channel();
        let ending = drive(&mut s, 0.0, 10.0, 2, &rx, &|| None, false).unwrap();
        assert_eq!(ending.status, Status::DeviceError);
        let log = SessionLog::load(&s.dir).unwrap();
        assert_eq!(log.status, Status::DeviceError);
        let take = &log.questions[0].takes[0];
        assert_eq!(take.ended_by, Some(EndedBy::DeviceError));
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
        let log = SessionLog::load(&s.dir).unwrap();
        assert_eq!(log.status, Status::DeviceError);
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
        log.questions[0].takes.push(TakeLog {
            take: 1,
            file: "q01-q1-take1.wav".into(),
            started_at: timestamp(),
            duration_s: 0.0,
            ended_by: None,
            overtime_s: 0.0,
            sample_rate: 0,
            peak_dbfs: -120.0,
            rms_dbfs: -120.0,
            level: String::new(),
            overruns: 0,
            stream_errors: 0,
            analysis: None,
        });
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
        let saved = SessionLog::load(&s.dir).unwrap();
        assert_eq!(saved.status, Status::Interrupted);
        assert!(saved.ended_at.is_some());
        let take = &saved.questions[0].takes[0];
        assert_eq!(take.ended_by, Some(EndedBy::Interrupt));
        assert_eq!(take.sample_rate, 16_000);
        assert!((take.duration_s - 1.5).abs() < 1e-9, "{}", take.duration_s);
        // Once it has written, nobody writes after it; and a runner that finished first is
        // left alone.
        assert!(rescue.lock().unwrap().over);
        let _ = std::fs::remove_file(s.dir.join(crate::session::log::LOG_FILE));
        rescue_on_forced_exit(&rescue);
        assert!(!s.dir.join(crate::session::log::LOG_FILE).exists());
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
        let log = SessionLog::load(&s.dir).unwrap();
        assert_eq!(log.questions[0].takes.len(), 1);
    }
}
