//! What `run`, `rehearse` and `drill` share: checking the session's flags, opening the
//! devices, making the session folder and its log from a plan, running the session core, and
//! ending it (the summary, the exit code, no folder left behind when nothing was recorded).
//! Each command only chooses its questions and limits (`session::plan`).

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use anyhow::Context;

use super::ExitWith;
use crate::audio::fake::FastMicrophone;
use crate::audio::{CpalMicrophone, DeviceError, DevicePlayer, Fault, Microphone};
use crate::cli::SessionArgs;
use crate::pack::{Lights, Pack, MAX_SECONDS, MIN_ANSWER_S};
use crate::record::store;
use crate::record::{
    self, PackRef, QuestionLog, SessionFolder, SessionLog, SessionStatus, Settings, LOG_FILE,
    LOG_VERSION, NOTES_FILE, REVIEW_FILE,
};
use crate::session::machine::{Budget, Machine, Signal, Status};
use crate::session::plan::{self, Overrides, Planned};
use crate::session::runner::{self, Devices, MonotonicClock, Plan, TakeKey};
use crate::session::{input, signals};
use crate::speech::{Speaker, SpeechError, SpeechOptions, SystemSpeaker};
use crate::transcribe::worker::{Job, Worker};
use crate::transcribe::Transcript;
use crate::ui::{mmss, out, outln, outln_fit, warn};

/// A session about to be conducted.
pub struct Interview<'a> {
    /// `run`, `rehearse` or `drill`, as the log records it.
    pub kind: &'static str,
    pub pack: &'a Pack,
    pub plan: Vec<Planned>,
    pub budget: Option<Budget>,
    /// The choices the command was given, as the log keeps them (its timing flags are filled
    /// in here).
    pub settings: Settings,
    /// Lines printed under the header (a rehearsal's plan).
    pub header: Vec<String>,
}

/// Checks the flags every session takes, with the same bounds a pack's times have.
pub fn check_flags(args: &SessionArgs) -> anyhow::Result<()> {
    use crate::config::{AUTO_FINISH_S, LISTEN_S, OVERTIME_S, SPEECH_RATE, THINK_S};
    let bad = |flag: &str, what: String| anyhow::anyhow!("{flag} must be {what}");
    let within =
        |t: f64, range: &std::ops::RangeInclusive<f64>| t.is_finite() && range.contains(&t);
    let seconds =
        |r: &std::ops::RangeInclusive<f64>| format!("{} to {} seconds", r.start(), r.end());
    if args.think.is_some_and(|t| !within(t, &THINK_S)) {
        return Err(bad("--think", seconds(&THINK_S)));
    }
    if !within(args.overtime, &OVERTIME_S) {
        return Err(bad("--overtime", seconds(&OVERTIME_S)));
    }
    if args
        .speech_rate
        .is_some_and(|r| !(r.is_finite() && SPEECH_RATE.contains(&r)))
    {
        return Err(bad(
            "--speech-rate",
            format!("between {} and {}", SPEECH_RATE.start(), SPEECH_RATE.end()),
        ));
    }
    if args.recordings.exists() && !args.recordings.is_dir() {
        anyhow::bail!(
            "--recordings {} is a file, not a folder: name a folder for the sessions (it is \
             created if missing)",
            args.recordings.display()
        );
    }
    if args.auto_finish.is_some_and(|t| !within(t, &AUTO_FINISH_S)) {
        return Err(bad("--auto-finish", seconds(&AUTO_FINISH_S)));
    }
    if args.listen.is_some_and(|t| !within(t, &LISTEN_S)) {
        return Err(bad("--listen", seconds(&LISTEN_S)));
    }
    lights(args)?;
    Ok(())
}

/// An answer limit from the command line, with a pack's bounds.
pub fn check_limit(flag: &str, t: f64) -> anyhow::Result<()> {
    if !(t.is_finite() && (MIN_ANSWER_S..=MAX_SECONDS).contains(&t)) {
        anyhow::bail!("{flag} must be {MIN_ANSWER_S} to {MAX_SECONDS} seconds, not {t}");
    }
    Ok(())
}

/// `--lights G,Y,R`, checked.
fn lights(args: &SessionArgs) -> anyhow::Result<Option<Lights>> {
    let Some(l) = &args.lights else {
        return Ok(None);
    };
    let ok = l.len() == 3
        && l.iter()
            .all(|t| t.is_finite() && *t > 0.0 && *t <= MAX_SECONDS)
        && l[0] < l[1]
        && l[1] < l[2];
    if !ok {
        anyhow::bail!(
            "--lights takes three times in seconds that increase, green,yellow,red (e.g. \
             60,90,120), each up to {MAX_SECONDS}"
        );
    }
    Ok(Some(Lights {
        green_s: l[0],
        yellow_s: l[1],
        red_s: l[2],
    }))
}

/// What the command line changes in the pack's timing.
pub fn overrides(args: &SessionArgs, answer_s: Option<f64>) -> anyhow::Result<Overrides> {
    Ok(Overrides {
        think_s: args.think,
        answer_s,
        lights: lights(args)?,
    })
}

/// The settings every session records; the command adds its own choices.
pub fn settings(args: &SessionArgs) -> Settings {
    Settings {
        think_s: args.think,
        overtime_s: args.overtime,
        voice: args.voice.clone(),
        speech_rate: args.speech_rate,
        listen: args.listen.is_some(),
        auto_finish_s: args.auto_finish,
        ..Settings::default()
    }
}

/// How a conducted session ended, for the command to report on.
pub struct Conducted {
    pub dir: PathBuf,
    /// `None` when nothing was recorded (and no folder was kept).
    pub log: Option<SessionLog>,
}

/// Runs the session the plan describes and ends it: the summary on success, the right exit
/// code after a signal or a fault.
///
/// Long because the session folder is made, checked, filled and (when nothing was recorded)
/// removed here, in that order, which reads best in one place; every other part is a function
/// of its own.
pub fn conduct(interview: Interview<'_>, args: &SessionArgs) -> anyhow::Result<Conducted> {
    let Interview {
        kind,
        pack,
        plan,
        budget,
        settings,
        header,
    } = interview;
    // From here on a terminal nobody reads costs output, never the session.
    crate::ui::never_wait();
    // Everything that can be wrong with the input is found before a folder is made.
    let (mut mic, mut speaker, mut player) = open_devices(args)?;
    let (mut transcriber, transcripts) = background_transcriber(args)?;
    let transcribing = transcriber.is_some();
    let speech = speech_description(speaker.as_ref(), args);

    let folder = SessionFolder::create(&args.recordings, &pack.name)
        .with_context(|| format!("creating a session folder in {}", args.recordings.display()))?;
    let dir = folder.dir().to_path_buf();
    let id = folder.id();
    let log = SessionLog {
        version: LOG_VERSION,
        id: id.clone(),
        status: SessionStatus::InProgress,
        started_at: runner::timestamp(),
        ended_at: None,
        ended_at_s: None,
        kind: kind.into(),
        pack: PackRef {
            name: pack.name.clone(),
            title: pack.title.clone(),
            origin: pack.origin.clone(),
            sha256: Some(pack.sha256.clone()),
        },
        settings: Settings {
            transcribe_model: transcriber.as_ref().map(|t| t.model.clone()),
            ..settings
        },
        input_device: mic.name(),
        speech,
        checklist: pack.checklist.iter().map(|p| p.text.clone()).collect(),
        budget_s: budget.map(|b| b.total_s),
        schedule: None,
        planned_questions: None,
        questions: plan::log_questions(&plan)
            .into_iter()
            .map(|q| QuestionLog {
                checklist: pack.checklist_places_for(&q.category),
                ..q
            })
            .collect(),
    };
    // A log the reader would refuse is never started: its session could not be read back.
    if let Err(e) = store::log_bytes(&log) {
        folder.remove_empty();
        anyhow::bail!(
            "{e}: this session plans {} questions; ask fewer with --count",
            log.questions.len()
        );
    }
    if let Err(e) = enough_room(&dir, &log) {
        folder.remove_empty();
        return Err(e);
    }
    crate::files::write_new(
        &dir.join(NOTES_FILE),
        crate::report::notes_page(&log).as_bytes(),
    )
    .with_context(|| format!("writing {NOTES_FILE} in {}", dir.display()))?;

    let mut header = header;
    header.push(format!("  Transcripts: {transcripts}"));
    print_header(&pack.title, &plan, budget, args, &dir, &header);
    if let Some(voice) = speaker.as_ref().and_then(SystemSpeaker::chosen_voice) {
        outln_fit(format_args!("  Voice: {voice}"));
    }
    let machine = session_machine(&plan, budget, kind, args, player.is_some());
    let session_plan = Plan {
        usual_wpm: record::reader::usual_wpm_before(&args.recordings, &log.started_at),
        dir: dir.clone(),
        log,
        machine,
    };
    let signals = signals::Signals::install().context("installing the Ctrl-C handler")?;
    let ending = drive(
        session_plan,
        mic.as_mut(),
        speaker.as_mut().map(|s| s as &mut dyn Speaker),
        player.as_mut().map(|p| p as &mut dyn crate::audio::Player),
        transcriber
            .as_mut()
            .map(|t| t as &mut dyn runner::Transcriber),
        &signals,
    );
    let log = record::reader::read_log(&dir)?;
    let kept = log.takes().next().is_some();
    if !kept {
        // Nothing worth keeping: leave no folder behind.
        folder.remove_empty();
        outln("");
        outln_fit("Nothing was recorded, so no session folder was kept.");
    } else {
        folder.keep();
        // What was recorded gets its summary and its page however the session ended (a
        // device that failed as a take started included).
        report_kept(&dir, &log);
    }
    let conducted = Conducted {
        dir,
        log: kept.then_some(log),
    };
    ended(ending?, &signals, conducted, transcribing)
}

/// The microphone, the speech and the speaker for playback, opened before anything is made:
/// everything that can be wrong with the input is found here.
#[allow(clippy::type_complexity)]
fn open_devices(
    args: &SessionArgs,
) -> anyhow::Result<(
    Box<dyn Microphone>,
    Option<SystemSpeaker>,
    Option<DevicePlayer>,
)> {
    let mic: Box<dyn Microphone> = match &args.test_microphone {
        Some(kind) => Box::new(FastMicrophone::open(kind)?),
        None => Box::new(CpalMicrophone::open(args.devices.input.as_deref())?),
    };
    let speaker = if args.no_speak {
        None
    } else {
        let options = SpeechOptions {
            voice: args.voice.clone(),
            rate: args.speech_rate,
        };
        match SystemSpeaker::new(&options) {
            Ok(s) => Some(s),
            Err(e @ SpeechError::NoSuchVoice { .. }) => return Err(e.into()),
            Err(e) => {
                warn(format_args!("{e}; the questions will only be printed"));
                None
            }
        }
    };
    // Cues and listening back need a speaker; without one the session still runs, and says
    // why. A speaker asked for by a name no device has is a mistake, like such an --input: it
    // is refused before anything is recorded, with the speakers that exist.
    let wanted_output = args.devices.output.as_deref();
    let player = match (args.listen, args.no_cues) {
        (None, true) => match wanted_output.map(|name| DevicePlayer::open(Some(name))) {
            Some(Err(e @ DeviceError::NotFound { .. })) => return Err(e.into()),
            _ => None,
        },
        _ => match DevicePlayer::open(wanted_output) {
            Ok(p) => Some(p),
            Err(e @ DeviceError::NotFound { .. }) => return Err(e.into()),
            Err(e) => {
                warn(format_args!(
                    "{e}; there will be no sound cues and no playback during this session"
                ));
                None
            }
        },
    };
    Ok((mic, speaker, player))
}

/// Runs the session on the terminal: the keys read, the screen drawn, until it is over.
fn drive(
    plan: Plan,
    mic: &mut (dyn Microphone + 'static),
    mut speaker: Option<&mut (dyn Speaker + 'static)>,
    mut player: Option<&mut (dyn crate::audio::Player + 'static)>,
    mut transcriber: Option<&mut (dyn runner::Transcriber + 'static)>,
    signals: &signals::Signals,
) -> anyhow::Result<runner::Ending> {
    let (controls, terminal) = input::spawn_controls();
    let mut screen = crate::ui::Terminal::new();
    let devices = Devices {
        screen: &mut screen,
        mic: &mut *mic,
        speaker: match speaker.as_mut() {
            Some(s) => Some(&mut **s),
            None => None,
        },
        player: match player.as_mut() {
            Some(p) => Some(&mut **p),
            None => None,
        },
        transcriber: match transcriber.as_mut() {
            Some(t) => Some(&mut **t),
            None => None,
        },
    };
    let ending = runner::run(
        plan,
        devices,
        &controls,
        &|| signals.received(),
        &MonotonicClock::start(),
    );
    drop(screen);
    drop(terminal);
    ending
}

/// How the questions are said, for the log.
fn speech_description(speaker: Option<&SystemSpeaker>, args: &SessionArgs) -> String {
    match (speaker, args.no_speak) {
        (Some(s), _) => match s.chosen_voice() {
            Some(voice) => format!("system text-to-speech, voice {voice}"),
            None => "system text-to-speech".to_string(),
        },
        (None, true) => "off (--no-speak)".to_string(),
        (None, false) => "unavailable".to_string(),
    }
}

/// The machine for the plan, with the command's choices: the budget (or a drill's spoken
/// transitions), listening back, auto-finish, and cues when there is a speaker to play them.
fn session_machine(
    plan: &[plan::Planned],
    budget: Option<Budget>,
    kind: &str,
    args: &SessionArgs,
    can_play: bool,
) -> Machine {
    let mut machine = plan::machine(plan, args.overtime);
    if let Some(b) = budget {
        machine = machine.with_budget(b);
    } else if kind == "drill" {
        machine = machine.with_transitions();
    }
    if let Some(seconds) = args.listen {
        machine = machine.with_review(seconds);
    }
    if let Some(seconds) = args.auto_finish {
        machine = machine.with_auto_finish(seconds);
    }
    if !args.no_cues && can_play {
        machine = machine.with_cues(crate::audio::cues::START_CUE_HEARD_S);
    }
    machine
}

/// What a session that kept a take prints at its end: the summary, the files, and the
/// review page (written now: cheap, since each take's levels were kept as it ended).
fn report_kept(dir: &Path, log: &SessionLog) {
    outln("");
    out(crate::report::summary_table(log));
    if let Some(schedule) = crate::report::schedule_report(log) {
        outln("");
        out(crate::ui::fit(&schedule));
    }
    outln("");
    outln_fit(format_args!(
        "Session log:  {}",
        dir.join(LOG_FILE).display()
    ));
    outln_fit(format_args!(
        "Review sheet: {}",
        dir.join(REVIEW_FILE).display()
    ));
    outln_fit(format_args!(
        "Your notes:   {}",
        dir.join(NOTES_FILE).display()
    ));
    outln_fit(format_args!("Listen back:  voicemock replay {}", log.id));
    // The review page: cheap, since each take's levels were kept as it ended.
    let written = record::load(dir)
        .map_err(anyhow::Error::from)
        .and_then(|s| Ok(crate::report::write_session_page(&s)?));
    match written {
        Ok(path) => outln_fit(format_args!("Review page:  {}", path.display())),
        Err(e) => warn(format_args!(
            "the review page was not written ({e:#}); `voicemock report {}` tries again",
            log.id
        )),
    }
}

/// The command's result for the way the session ended: the session itself on success, the
/// exit code and message after a signal or a fault.
fn ended(
    ending: runner::Ending,
    signals: &signals::Signals,
    conducted: Conducted,
    transcribing: bool,
) -> anyhow::Result<Conducted> {
    let (dir, kept) = (&conducted.dir, conducted.log.is_some());
    match ending.status {
        Status::Completed | Status::Quit | Status::InProgress => Ok(conducted),
        Status::Interrupted => {
            let code = signals
                .exit_code()
                .unwrap_or_else(|| signals::exit_code(ending.signal.unwrap_or(Signal::Interrupt)));
            let mut message = if kept {
                "session interrupted; everything recorded so far is kept".to_string()
            } else {
                "session interrupted before anything was recorded".to_string()
            };
            // Answers the interruption left without words can be transcribed afterwards.
            let untranscribed = conducted
                .log
                .as_ref()
                .is_some_and(|log| log.takes().any(|(_, t)| t.transcript.is_none()));
            if kept && untranscribed && (transcribing || model_installed()) {
                message.push_str(&format!(
                    "; transcribe its answers later with `voicemock transcribe {}`",
                    dir.display()
                ));
            }
            Err(ExitWith { code, message }.into())
        }
        Status::DeviceError => match ending.fault {
            Some((Fault::DiskFull, held_s)) => anyhow::bail!(
                "the disk is full: recording stopped at {}; what was recorded until then is kept \
                 in {}; free some space before the next session",
                mmss(held_s),
                dir.display()
            ),
            Some((fault @ Fault::Write(_), held_s)) => anyhow::bail!(
                "{fault}: recording stopped at {}; what was recorded until then is kept in {}",
                mmss(held_s),
                dir.display()
            ),
            Some((Fault::DeviceLost, held_s)) => anyhow::bail!(
                "the microphone stopped delivering sound at {}; what was recorded until then is \
                 kept in {}; check the device (`voicemock devices`) and run again",
                mmss(held_s),
                dir.display()
            ),
            None => anyhow::bail!(
                "the microphone failed during an answer; what was recorded until then is kept \
                 in {}",
                dir.display()
            ),
        },
    }
}

/// Transcribes the session's takes on a background worker at a lower priority.
pub struct Background {
    worker: Worker,
    /// The model's name, for the log.
    model: String,
    waiting: HashMap<String, TakeKey>,
}

impl runner::Transcriber for Background {
    fn submit(&mut self, key: TakeKey, wav: &Path) {
        let name = format!("{}:{}", key.q, key.take);
        self.waiting.insert(name.clone(), key);
        self.worker.submit(Job {
            key: name,
            wav: wav.to_path_buf(),
        });
    }

    fn poll(&mut self) -> Vec<(TakeKey, Result<Transcript, String>)> {
        self.worker
            .try_results()
            .into_iter()
            .filter_map(|done| Some((self.waiting.remove(&done.key)?, done.result)))
            .collect()
    }

    fn pending(&self) -> usize {
        self.waiting.len()
    }
}

/// The background transcriber for a session, and a few words on it for the header. A model
/// named with `--model` that cannot be found is an error (before any folder is made); with
/// none installed, the session runs without transcripts and says how to get them.
fn background_transcriber(args: &SessionArgs) -> anyhow::Result<(Option<Background>, String)> {
    if args.no_transcribe {
        return Ok((None, "off (--no-transcribe)".into()));
    }
    #[cfg(not(feature = "transcribe"))]
    {
        Ok((None, "not built into this voicemock".into()))
    }
    #[cfg(feature = "transcribe")]
    {
        with_model(args)
    }
}

#[cfg(feature = "transcribe")]
fn with_model(args: &SessionArgs) -> anyhow::Result<(Option<Background>, String)> {
    let store = crate::models::ModelStore::locate()?;
    let path = match store.resolve(args.model.as_deref()) {
        Ok(path) => path,
        Err(e) if args.model.is_some() => return Err(e.into()),
        Err(_) => {
            return Ok((
                None,
                format!(
                    "off: no model installed ({})",
                    crate::models::how_to_get_one()
                ),
            ))
        }
    };
    let model = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let threads = crate::transcribe::engine_threads();
    let worker = Worker::spawn(move || crate::transcribe::isolated_engine(&path, threads));
    Ok((
        Some(Background {
            worker,
            model: model.clone(),
            waiting: HashMap::new(),
        }),
        format!("each answer, in the background, with {model}"),
    ))
}

/// Whether `voicemock transcribe` would find a model without being told one.
#[cfg(feature = "transcribe")]
fn model_installed() -> bool {
    crate::models::ModelStore::locate().is_ok_and(|store| store.resolve(None).is_ok())
}

#[cfg(not(feature = "transcribe"))]
fn model_installed() -> bool {
    false
}

/// Seconds of audio a session must have room for before it starts: 48 kHz stereo, 16-bit.
const FIRST_AUDIO_S: u64 = 2;
const AUDIO_BYTES_PER_S: u64 = 48_000 * 2 * 2;

/// Refuses to start a session the disk cannot hold the beginning of: the room set aside for the
/// log on a full disk, the log, review sheet and notes, and the first seconds of audio.
fn enough_room(dir: &Path, log: &SessionLog) -> anyhow::Result<()> {
    let log_bytes = store::log_bytes(log)?.len() as u64;
    let needed = store::RESERVE_BYTES as u64 + 3 * log_bytes + FIRST_AUDIO_S * AUDIO_BYTES_PER_S;
    let free = crate::files::free_bytes(dir)
        .with_context(|| format!("finding the free space in {}", dir.display()))?;
    if free < needed {
        anyhow::bail!(
            "not enough free space for a session in {}: {} free, at least {} needed (room for \
             its log and the first {FIRST_AUDIO_S} s of audio); free some space or record \
             elsewhere with --recordings",
            dir.parent().unwrap_or(dir).display(),
            kib(free),
            kib(needed)
        );
    }
    Ok(())
}

fn kib(bytes: u64) -> String {
    if bytes >= 10 << 20 {
        format!("{} MiB", bytes >> 20)
    } else {
        format!("{} KiB", bytes / 1024)
    }
}

fn print_header(
    title: &str,
    plan: &[Planned],
    budget: Option<Budget>,
    args: &SessionArgs,
    dir: &Path,
    extra: &[String],
) {
    let think = match args.think {
        Some(t) => mmss(t),
        None => "as the pack says".into(),
    };
    let limits: Vec<f64> = plan
        .iter()
        .flat_map(|p| p.step.limits.iter().copied())
        .collect();
    let min = limits.iter().copied().fold(f64::INFINITY, f64::min);
    let max = limits.iter().copied().fold(0.0, f64::max);
    let limit = if (max - min).abs() < 0.5 {
        mmss(max)
    } else {
        format!("{} to {}", mmss(min), mmss(max))
    };
    outln_fit(format_args!("voicemock: {title}"));
    outln_fit(format_args!(
        "  {} question{}; think time {think}; answers up to {limit}{}",
        plan.len(),
        if plan.len() == 1 { "" } else { "s" },
        if args.overtime > 0.0 {
            format!(" (+{} grace)", mmss(args.overtime))
        } else {
            String::new()
        }
    ));
    if let Some(b) = budget {
        outln_fit(format_args!("  Time budget {}", mmss(b.total_s)));
    }
    for line in extra {
        outln_fit(line);
    }
    outln_fit(format_args!(
        "  Recordings go to {} (only you can read them)",
        dir.display()
    ));
    outln_fit(
        "  Keys: speak or Enter = start an answer, Enter = finish it, s = next question \
         (an answer given is kept; skipped if nothing was said), r = repeat the question \
         (while answering: start the answer again), q = quit",
    );
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;
    use crate::cli::{Cli, Command};

    /// A pack whose one question sets `key = value`.
    fn pack_setting(key: &str, value: f64) -> bool {
        let text = format!(
            "format = 1\ntitle = \"T\"\n[[questions]]\nid = \"a\"\ncategory = \"c\"\n\
             text = \"Why?\"\nmin_s = 0.5\nwarn_s = 0.25\n{key} = {value:?}\n"
        );
        crate::pack::parse(&text, "content/x.toml").is_ok()
    }

    /// `voicemock run FLAG VALUE` passes the flag checks.
    fn flag_accepted(flag: &str, value: f64) -> bool {
        let cli = Cli::try_parse_from(["voicemock", "run", flag, &value.to_string()]).unwrap();
        let Command::Run(args) = cli.command else {
            panic!("not a run");
        };
        check_flags(&args.session).is_ok()
            && args
                .answer
                .is_none_or(|a| check_limit("--answer", a).is_ok())
    }

    #[test]
    fn packs_and_flags_share_one_longest_and_one_shortest_time() {
        for (key, flag, shortest) in [
            ("answer_s", "--answer", MIN_ANSWER_S),
            ("think_s", "--think", 0.0),
        ] {
            for (value, ok) in [
                (MAX_SECONDS, true),
                (MAX_SECONDS + 0.5, false),
                (shortest, true),
                (shortest - 0.25, false),
            ] {
                assert_eq!(pack_setting(key, value), ok, "{key} = {value}");
                assert_eq!(flag_accepted(flag, value), ok, "{flag} {value}");
            }
        }
        // A drill's limits are answer limits too.
        assert!(check_limit("each of --limits", MAX_SECONDS).is_ok());
        assert!(check_limit("each of --limits", MAX_SECONDS + 0.5).is_err());
        assert!(check_limit("each of --limits", MIN_ANSWER_S - 0.25).is_err());
    }
}
