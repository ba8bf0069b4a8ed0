//! The runner: drives the state machine with real time, real devices and the user's keys,
//! and keeps the session folder up to date. All decisions are the machine's; the runner only
//! carries them out and reports what happened.

use std::path::{Path, PathBuf};
use std::sync::mpsc::Receiver;
use std::time::{Duration, Instant};

use anyhow::Context;

use super::machine::{Action, Control, EndedBy, Event, Light, Machine, Signal, Status, View};
use crate::audio::level::dbfs;
use crate::audio::{ActiveRecording, Microphone, Playback, Player};
use crate::record::store::{self, save_log, write_atomic};
use crate::record::{Level, Outcome, SessionLog, SessionStatus, TakeEnd, TakeLog, REVIEW_FILE};
use crate::report;
use crate::speech::{speech_timeout, Speaker};
use crate::ui::{level_meter, mmss, PhaseBar};

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

pub struct Devices<'a> {
    pub mic: &'a mut dyn Microphone,
    pub speaker: Option<&'a mut dyn Speaker>,
    /// Plays takes back during review; `None` if there is no output device.
    pub player: Option<&'a mut dyn Player>,
}

/// How the session ended, for the exit code.
pub struct Ending {
    pub status: Status,
    pub signal: Option<Signal>,
}

struct Take {
    recording: Box<dyn ActiveRecording>,
    q: usize,
    index_in_log: usize,
}

struct Runner<'a> {
    plan: Plan,
    devices: Devices<'a>,
    take: Option<Take>,
    playing: Option<Box<dyn Playback>>,
    bar: Option<PhaseBar>,
    speech_deadline: Option<f64>,
    /// The question being read aloud, until its reading ends.
    reading: Option<usize>,
    last_light: Light,
    signal: Option<Signal>,
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
    let mut r = Runner {
        plan,
        devices,
        take: None,
        playing: None,
        bar: None,
        speech_deadline: None,
        reading: None,
        last_light: Light::Off,
        signal: None,
    };
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
        if r.take.as_ref().is_some_and(|t| t.recording.device_failed()) {
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
    if let Some(bar) = r.bar.take() {
        bar.finish();
    }
    Ok(Ending {
        status,
        signal: r.signal,
    })
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

    fn say(&self, line: &str) {
        match &self.bar {
            Some(bar) => bar.println(line),
            None => println!("{line}"),
        }
    }

    fn end_bar(&mut self) {
        if let Some(bar) = self.bar.take() {
            bar.finish();
        }
    }

    /// The question's reading is over, however it ended: said, cut short, or given up on.
    fn reading_ended(&mut self, now: f64) {
        if let Some(q) = self.reading.take() {
            self.plan.log.questions[q].speech_ended_at_s.push(now);
        }
    }

    fn save(&self) -> anyhow::Result<()> {
        save_log(&self.plan.dir, &self.plan.log)
            .with_context(|| format!("writing the session log in {}", self.plan.dir.display()))?;
        let md = report::review_markdown(&self.plan.log, self.plan.usual_wpm);
        write_atomic(&self.plan.dir.join(REVIEW_FILE), md.as_bytes())
            .with_context(|| format!("writing the review sheet in {}", self.plan.dir.display()))
    }

    /// Carries out one action; returns the final status when the session is over.
    fn execute(&mut self, action: Action, now: f64) -> anyhow::Result<Option<Status>> {
        match action {
            Action::Ask { q } => self.ask(q, now)?,
            Action::StopSpeaking => {
                if let Some(s) = self.devices.speaker.as_deref_mut() {
                    s.stop();
                }
                self.reading_ended(now);
            }
            Action::Think { q, seconds } => {
                self.end_bar();
                self.plan.log.questions[q].think_started_at_s.push(now);
                println!(
                    "  Think time: {} (Enter: start answering now, s: skip, r: repeat, q: quit)",
                    mmss(seconds)
                );
                self.bar = Some(PhaseBar::new(seconds, "thinking"));
            }
            Action::StartRecording { q, take } => self.start_recording(q, take, now)?,
            Action::StopRecording {
                q,
                take: _,
                ended_by,
                overtime_s,
            } => self.stop_recording(q, ended_by, overtime_s, now)?,
            Action::Review { q, take, seconds } => {
                self.end_bar();
                println!(
                    "  Take {take} kept. l: listen back, r: record again, Enter: next question \
                     (going on by itself in {})",
                    mmss(seconds)
                );
                debug_assert!(self.plan.log.questions[q]
                    .takes
                    .iter()
                    .any(|t| t.take == take));
                self.bar = Some(PhaseBar::new(seconds, "reviewing"));
            }
            Action::Play { q, take } => self.play(q, take, now)?,
            Action::StopPlaying => self.playing = None,
            Action::QuestionDone {
                q,
                think_used_s,
                skipped,
            } => {
                self.question_done(q, think_used_s, skipped);
                self.save()?;
            }
            Action::Finish { status } => {
                self.end_bar();
                if let Some(s) = self.devices.speaker.as_deref_mut() {
                    if status != Status::Completed {
                        s.stop();
                    }
                }
                self.plan.log.status = session_status(status);
                self.plan.log.ended_at = Some(timestamp());
                self.plan.log.ended_at_s = Some(now);
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
        println!();
        println!("Question {}/{} [{}]", q + 1, total, question.category);
        println!("  {text}");
        let mut spoken = false;
        if let Some(speaker) = self.devices.speaker.as_deref_mut() {
            match speaker.start(&text) {
                Ok(()) => spoken = true,
                Err(e) => {
                    eprintln!("warning: {e}; the questions will only be printed");
                    self.devices.speaker = None;
                    self.plan.log.speech = format!("unavailable: {e}");
                }
            }
        }
        self.speech_deadline = Some(now + speech_timeout(&text).as_secs_f64());
        self.reading = Some(q);
        let question = &mut self.plan.log.questions[q];
        question.asked_at_s.push(now);
        question.spoken |= spoken;
        if question.outcome == Outcome::NotReached {
            question.outcome = Outcome::Asked;
        }
        self.save()
    }

    fn start_recording(&mut self, q: usize, take: u32, now: f64) -> anyhow::Result<()> {
        self.end_bar();
        let question = &self.plan.log.questions[q];
        let file = format!("q{:02}-{}-take{}.wav", q + 1, sanitize(&question.id), take);
        let path = self.plan.dir.join(&file);
        let limit_s = self.plan.machine.limit_s(q);
        let recording = match self.devices.mic.start(&path) {
            Ok(r) => r,
            Err(e) => {
                self.plan.log.status = SessionStatus::DeviceError;
                self.plan.log.ended_at = Some(timestamp());
                self.plan.log.ended_at_s = Some(now);
                self.save()?;
                return Err(e).context(format!("starting to record answer {}", q + 1));
            }
        };
        let entry = TakeLog {
            take,
            file: file.clone(),
            started_at: timestamp(),
            started_at_s: now,
            ended_at_s: None,
            limit_s,
            duration_s: 0.0,
            ended_by: None,
            overtime_s: 0.0,
            sample_rate: 0,
            peak_dbfs: -120.0,
            take_rms_dbfs: -120.0,
            level: Level::Unknown,
            overruns: 0,
            stream_errors: 0,
            analysis: None,
            listened: false,
        };
        let question = &mut self.plan.log.questions[q];
        question.takes.push(entry);
        let index_in_log = question.takes.len() - 1;
        self.take = Some(Take {
            recording,
            q,
            index_in_log,
        });
        // Announced on stdout before anything else, so a script can tell the take has begun.
        println!(
            "  Recording answer (limit {}): Enter: done, s: skip, r: repeat, q: quit",
            mmss(limit_s)
        );
        self.last_light = Light::Off;
        self.bar = Some(PhaseBar::new(limit_s, "answering"));
        self.save()
    }

    fn stop_recording(
        &mut self,
        q: usize,
        ended_by: EndedBy,
        overtime_s: f64,
        now: f64,
    ) -> anyhow::Result<()> {
        self.end_bar();
        let Some(take) = self.take.take() else {
            return Ok(());
        };
        debug_assert_eq!(take.q, q);
        let stats = take.recording.stop();
        let entry = &mut self.plan.log.questions[q].takes[take.index_in_log];
        entry.ended_by = Some(take_end(ended_by));
        entry.ended_at_s = Some(now);
        entry.overtime_s = overtime_s;
        match stats {
            Ok(stats) => {
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
                ) {
                    Ok((m, envelope)) => {
                        entry.analysis = Some(m);
                        // The waveform of the review page; without it the page reads the WAV.
                        let levels = (&envelope).into();
                        if let Err(e) = store::save_levels(&self.plan.dir, &entry.file, &levels) {
                            eprintln!(
                                "warning: could not keep the levels of {}: {e}",
                                path.display()
                            );
                        }
                    }
                    Err(e) => eprintln!("warning: could not analyse {}: {e}", path.display()),
                }
            }
            Err(e) => {
                entry.level = Level::Unknown;
                eprintln!("warning: finishing the recording: {e}");
            }
        }
        let entry = &self.plan.log.questions[q].takes[take.index_in_log];
        println!("{}", report::take_line(q + 1, entry, self.plan.usual_wpm));
        self.save()
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
                self.say(&format!(
                    "  Playing take {take} ({}): l: from the start, r: record again, \
                     Enter: next question",
                    mmss(duration_s)
                ));
                self.playing = Some(playing);
                self.plan.log.questions[q].takes[index].listened = true;
                self.save()
            }
            Err(e) => {
                self.say(&format!("  cannot play the take back: {e:#}"));
                // Reviewing goes on as if it had played; that never ends the session.
                self.feed(now, Event::PlaybackEnded).map(|_| ())
            }
        }
    }

    /// Question `q` as the log should show it once the machine is done with it.
    fn question_done(&mut self, q: usize, think_used_s: f64, skipped: bool) {
        let question = &mut self.plan.log.questions[q];
        question.think_used_s = think_used_s;
        question.outcome = if skipped {
            Outcome::Skipped
        } else if question.takes.is_empty() {
            Outcome::Asked
        } else {
            Outcome::Answered
        };
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
            View::Reviewing {
                playing,
                remaining_s,
                ..
            } => {
                let total = bar.length_s();
                let text = if playing {
                    "listening back".to_string()
                } else {
                    format!("{} to go on", mmss(remaining_s))
                };
                bar.update(total - remaining_s, text);
            }
            View::Asking { .. } | View::Done => {}
        }
    }
}

fn light_label(light: Light) -> &'static str {
    match light {
        Light::Off => "\x1b[90m●\x1b[0m",
        Light::Green => "\x1b[32m● green\x1b[0m",
        Light::Yellow => "\x1b[33m● yellow\x1b[0m",
        Light::Red => "\x1b[31m● red\x1b[0m",
    }
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
    }
}

/// The session's status, in the log's own words.
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
    format!(
        "{}-{}",
        chrono::Local::now().format("%Y-%m-%d_%H%M%S"),
        sanitize(pack)
    )
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
    use crate::record::{reader::read_log, PackRef, QuestionLog, Settings, LOG_VERSION};
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
        /// The device gives out this long into a take.
        fails_after: Option<f64>,
    }

    struct FakeRecording {
        now: Now,
        started: f64,
        path: PathBuf,
        fails_after: Option<f64>,
    }

    impl Microphone for FakeMic {
        fn start(&mut self, path: &Path) -> Result<Box<dyn ActiveRecording>, DeviceError> {
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
                path: path.to_path_buf(),
                fails_after: self.fails_after,
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
        fn device_failed(&self) -> bool {
            self.fails_after
                .is_some_and(|t| self.now.get() - self.started >= t)
        }
        fn stop(self: Box<Self>) -> Result<TakeStats, DeviceError> {
            let rate = 8000;
            let frames = ((self.now.get() - self.started) * f64::from(rate)).round() as u64;
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
    }

    /// "Plays" a file for `seconds` of clock time; remembers what it played.
    struct FakeListener {
        now: Now,
        seconds: f64,
        played: Rc<RefCell<Vec<PathBuf>>>,
    }

    struct FakePlaying {
        now: Now,
        until: f64,
    }

    impl Player for FakeListener {
        fn open(&mut self, path: &Path, _from_s: f64) -> Result<Box<dyn Playback>, DeviceError> {
            assert!(path.exists(), "playing a take that is not on disk");
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
        };
        let listener = FakeListener {
            now: Rc::clone(&now),
            seconds: 4.0,
            played: Rc::new(RefCell::new(Vec::new())),
        };
        Setup {
            dir,
            now,
            said,
            speaker,
            mic,
            listener,
            review_s: None,
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
        };
        let mut plan = plan(&s.dir, think_s, limit_s, questions);
        if let Some(seconds) = s.review_s {
            plan.machine = plan.machine.with_review(seconds);
        }
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
            questions: steps
                .iter()
                .enumerate()
                .map(|(i, s)| {
                    QuestionLog::planned(&format!("q{}", i + 1), "c", s, vec!["A point.".into()])
                })
                .collect(),
        };
        Plan {
            dir: dir.to_path_buf(),
            log,
            machine: Machine::new(steps, 0.0),
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
        s.mic.fails_after = Some(1.5);
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
}
