//! The runner with fake devices and a clock that jumps: checks what lands on disk.

use std::cell::{Cell, RefCell};
use std::path::Path;
use std::rc::Rc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use super::rescue::RESCUE_GRACE;
use super::*;
use crate::audio::cues::{CUE_MASK_S, START_CUE_HEARD_S};
use crate::audio::{ActiveRecording, DeviceError, TakeStats};
use crate::record::{
    reader::read_log, Outcome, PackRef, SessionStatus, Settings, TakeEnd, TakeLog, LOG_FILE,
    LOG_VERSION, REVIEW_FILE,
};
use crate::session::machine::{Lights, Step};
use crate::session::plan::Planned;
use crate::speech::SpeechError;
use crate::transcribe::Transcript;
use crate::ui::screen::{Countdown, Phase};
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
    /// The most each capture opened was allowed to hold, in order.
    captures: Rc<RefCell<Vec<f64>>>,
    /// Clock time opening the stream takes (a busy machine's sound server).
    opens_in: f64,
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
        self.captures.borrow_mut().push(max_s);
        self.now.set(self.now.get() + self.opens_in);
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
    /// The session folder: `scratch`'s path.
    dir: PathBuf,
    /// Owns the folder and removes it when the test ends.
    _scratch: tempfile::TempDir,
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
        let (done, left): (Vec<_>, Vec<_>) = self.queue.drain(..).partition(|(_, at)| now >= *at);
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

impl Setup {
    /// Transcribes each take on a fake that takes `seconds` of the session's clock, or fails
    /// every take with `fails`.
    fn transcribe(&mut self, seconds: f64, fails: Option<&str>) {
        self.transcriber = Some(FakeTranscriber {
            now: Rc::clone(&self.now),
            seconds,
            queue: Vec::new(),
            submitted_at: Vec::new(),
            fails: fails.map(str::to_string),
        });
    }
}

fn setup(broken_speech: bool, broken_mic: bool) -> Setup {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().to_path_buf();
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
        captures: Rc::new(RefCell::new(Vec::new())),
        opens_in: 0.0,
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
        _scratch: scratch,
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
    let mut s = setup(false, false);
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
fn every_capture_holds_the_limit_and_grace_the_machine_announced() {
    // The log's settings say no grace, the machine gives 2.5 s: the runner follows the
    // machine's action, with think time (the microphone opened early, with a pre-roll) and
    // without (opened as the take starts).
    for (think_s, expected) in [(3.0, 5.0 + 2.5 + PRE_ROLL_S), (0.0, 5.0 + 2.5)] {
        let mut s = setup(false, false);
        let (_tx, rx) = mpsc::channel();
        let clock = FakeClock(Rc::clone(&s.now));
        let devices = Devices {
            mic: &mut s.mic,
            speaker: None,
            player: None,
            transcriber: None,
            screen: &mut s.screen,
        };
        let mut plan = plan(&s.dir, think_s, 5.0, 1);
        plan.log.settings.overtime_s = 0.0;
        plan.machine = Machine::new(plan.machine.steps().to_vec(), 2.5);
        let ending = run(plan, devices, &rx, &|| None, &clock).unwrap();
        assert_eq!(ending.status, Status::Completed);
        assert_eq!(
            *s.mic.captures.borrow(),
            vec![expected],
            "think {think_s} s"
        );
    }
}

#[test]
fn an_interrupt_mid_answer_keeps_the_take_and_marks_the_session() {
    let mut s = setup(false, false);
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
    let mut s = setup(true, false);
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
    let mut s = setup(false, true);
    let (_tx, rx) = mpsc::channel();
    let result = drive(&mut s, 0.0, 2.0, 1, &rx, &|| None, false);
    assert!(result.is_err());
    let log = read_log(&s.dir).unwrap();
    assert_eq!(log.status, SessionStatus::DeviceError);
    assert!(log.questions[0].takes.is_empty());
}

#[test]
fn a_microphone_that_dies_mid_answer_keeps_the_take() {
    let mut s = setup(false, false);
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
    let mut s = setup(false, false);
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
    let s = setup(false, false);
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
    let mut s = setup(false, false);
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
    let mut s = setup(false, false);
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
    assert_eq!(&crate::record::TakeMeasures::from(&again), m);
    let played = s.listener.played.borrow();
    assert_eq!(
        played.len(),
        3,
        "start, wrap-up and time-up cues: {played:?}"
    );
}

#[test]
fn a_microphone_slow_to_open_still_gives_the_take_its_whole_limit() {
    // Opening the stream takes 0.7 s of the step that asked for it: the capture's first frame
    // comes after that, so the file must be placed from then, not from when the step began.
    let mut s = setup(false, false);
    s.cue_s = Some(START_CUE_HEARD_S);
    s.mic.opens_in = 0.7;
    let (_tx, rx) = mpsc::channel();
    let ending = drive(&mut s, 4.0, 8.0, 1, &rx, &|| None, false).unwrap();
    assert_eq!(ending.status, Status::Completed);
    let log = read_log(&s.dir).unwrap();
    let t = &log.questions[0].takes[0];
    assert!(close_to(t.pre_roll_s, START_CUE_HEARD_S), "{t:?}");
    assert!(
        close_to(t.duration_s - t.pre_roll_s, 8.0),
        "the file holds {:.2} s of answer against an 8 s limit: {t:?}",
        t.duration_s - t.pre_roll_s
    );
    assert!(close_to(t.facts.as_ref().unwrap().length_s, 8.0), "{t:?}");
}

#[test]
fn a_cue_that_cannot_play_is_not_left_out_of_the_take() {
    let mut s = setup(false, false);
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
    let mut s = setup(false, false);
    s.transcribe(7.0, None);
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
            serde_json::from_str(&std::fs::read_to_string(s.dir.join(&t.file)).unwrap()).unwrap();
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
    let mut s = setup(false, false);
    let crash = "the transcription engine crashed on signal 6 (abort)";
    s.transcribe(1.0, Some(crash));
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
    let mut s = setup(false, false);
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
    let mut s = setup(false, false);
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
        let mut s = setup(false, false);
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
    let mut s = setup(false, false);
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
    let mut s = setup(false, false);
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
        let mut s = setup(false, false);
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
