//! `voicemock run`: a spoken, timed mock interview that records every answer.

use std::path::Path;

use anyhow::Context;

use crate::audio::fake::FastMicrophone;
use crate::audio::{CpalMicrophone, DevicePlayer, Fault, Microphone};
use crate::cli::RunArgs;
use crate::pack::{self, Question, Selection};
use crate::record::store::{self, SessionLock};
use crate::record::{
    self, PackRef, QuestionLog, SessionLog, SessionStatus, Settings, LOG_FILE, LOG_VERSION,
    NOTES_FILE, REVIEW_FILE,
};
use crate::session::machine::{Machine, Status, Step};
use crate::session::runner::{self, Devices, MonotonicClock, Plan};
use crate::session::{input, signals};
use crate::speech::{Speaker, SpeechError, SpeechOptions, SystemSpeaker};
use crate::ui::{mmss, out, outln, warn};
use crate::ExitWith;

pub fn run(args: &RunArgs) -> anyhow::Result<()> {
    check_numbers(args)?;
    // Everything that can be wrong with the input is found before a folder is made.
    let pack = pack::load(args.pack.as_deref())?;
    let seed = args.seed.unwrap_or_else(|| fastrand::u64(..));
    let selection = Selection {
        categories: args.categories.clone(),
        ids: args.questions.clone(),
        count: args.count,
        shuffle: args.shuffle,
        seed,
    };
    let questions = pack.select(&selection)?;
    let mut mic: Box<dyn Microphone> = match &args.test_microphone {
        Some(kind) => Box::new(FastMicrophone::open(kind)?),
        None => Box::new(CpalMicrophone::open(args.devices.input.as_deref())?),
    };

    let mut speaker = if args.no_speak {
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
    // Listening back needs a speaker; without one the session still runs, and says why.
    let mut player = match args.listen {
        None => None,
        Some(_) => match DevicePlayer::open(args.devices.output.as_deref()) {
            Ok(p) => Some(p),
            Err(e) => {
                warn(format_args!(
                    "{e}; answers cannot be played back during this session"
                ));
                None
            }
        },
    };
    let speech = match (&speaker, args.no_speak) {
        (Some(_), _) => "system text-to-speech".to_string(),
        (None, true) => "off (--no-speak)".to_string(),
        (None, false) => "unavailable".to_string(),
    };

    let dir = store::create_unique_dir(&args.recordings, &runner::session_stem(&pack.name))
        .with_context(|| format!("creating a session folder in {}", args.recordings.display()))?;
    let lock = SessionLock::acquire(&dir)
        .with_context(|| format!("locking the session folder {}", dir.display()))?;
    let id = runner::session_dir_name(&dir);
    let steps: Vec<Step> = questions.iter().map(|q| step_for(q, args)).collect();
    let log = SessionLog {
        version: LOG_VERSION,
        id: id.clone(),
        status: SessionStatus::InProgress,
        started_at: runner::timestamp(),
        ended_at: None,
        ended_at_s: None,
        kind: "run".into(),
        pack: PackRef {
            name: pack.name.clone(),
            title: pack.title.clone(),
            origin: pack.origin.clone(),
            sha256: Some(pack.sha256.clone()),
        },
        settings: Settings {
            think_s: args.think,
            answer_s: args.answer,
            overtime_s: args.overtime,
            categories: args.categories.clone(),
            question_ids: args.questions.clone(),
            count: args.count,
            shuffle: args.shuffle,
            seed: args.shuffle.then_some(seed),
            voice: args.voice.clone(),
            speech_rate: args.speech_rate,
            listen: args.listen.is_some(),
        },
        input_device: mic.name(),
        speech,
        checklist: pack.checklist.clone(),
        questions: questions
            .iter()
            .zip(&steps)
            .map(|(q, s)| QuestionLog::planned(&q.id, &q.category, s, q.notes.clone()))
            .collect(),
    };
    store::write_new(
        &dir.join(NOTES_FILE),
        crate::report::notes_page(&log).as_bytes(),
    )
    .with_context(|| format!("writing {NOTES_FILE} in {}", dir.display()))?;

    print_header(&pack.title, &steps, args, &dir);
    let plan = Plan {
        usual_wpm: record::reader::usual_wpm(&args.recordings, &id),
        dir: dir.clone(),
        log,
        machine: match args.listen {
            Some(seconds) => Machine::new(steps, args.overtime).with_review(seconds),
            None => Machine::new(steps, args.overtime),
        },
    };
    let signals = signals::Signals::install().context("installing the Ctrl-C handler")?;
    let (controls, terminal) = input::spawn_controls();
    let devices = Devices {
        mic: mic.as_mut(),
        speaker: speaker.as_mut().map(|s| s as &mut dyn Speaker),
        player: player.as_mut().map(|p| p as &mut dyn crate::audio::Player),
    };
    let ending = runner::run(
        plan,
        devices,
        &controls,
        &|| signals.received(),
        &MonotonicClock::start(),
    );
    drop(terminal);
    let log = record::reader::read_log(&dir)?;
    if log.takes().next().is_none() {
        // Nothing worth keeping: leave no folder behind.
        remove_empty_session(&dir, lock);
        outln("");
        outln("Nothing was recorded, so no session folder was kept.");
    } else {
        lock.release();
    }
    let ending = ending?;
    if log.takes().next().is_some() {
        outln("");
        out(crate::report::summary_table(&log));
        outln("");
        outln(format_args!(
            "Session log:  {}",
            dir.join(LOG_FILE).display()
        ));
        outln(format_args!(
            "Review sheet: {}",
            dir.join(REVIEW_FILE).display()
        ));
        outln(format_args!(
            "Your notes:   {}",
            dir.join(NOTES_FILE).display()
        ));
        outln(format_args!("Listen back:  voicemock replay {}", log.id));
    }
    match ending.status {
        Status::Completed | Status::Quit | Status::InProgress => Ok(()),
        Status::Interrupted => {
            let code = signals.exit_code().unwrap_or_else(|| {
                signals::exit_code(
                    ending
                        .signal
                        .unwrap_or(crate::session::machine::Signal::Interrupt),
                )
            });
            Err(ExitWith {
                code,
                message: "session interrupted; everything recorded so far is kept".into(),
            }
            .into())
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

/// Removes a session folder that holds no recording: the files voicemock wrote there, then
/// the folder itself. Anything else found in it (it should hold nothing else) is left.
fn remove_empty_session(dir: &Path, lock: SessionLock) {
    for file in [LOG_FILE, REVIEW_FILE, NOTES_FILE] {
        let _ = std::fs::remove_file(dir.join(file));
    }
    lock.release();
    let _ = std::fs::remove_dir(dir);
}

fn check_numbers(args: &RunArgs) -> anyhow::Result<()> {
    use crate::pack::{MAX_SECONDS, MIN_ANSWER_S};
    let bad = |flag: &str, what: String| anyhow::anyhow!("{flag} must be {what}");
    let within = |t: f64, low: f64| t.is_finite() && (low..=MAX_SECONDS).contains(&t);
    // The same bounds as a pack's, so a flag cannot ask for what a pack may not.
    if args.think.is_some_and(|t| !within(t, 0.0)) {
        return Err(bad("--think", format!("0 to {MAX_SECONDS} seconds")));
    }
    if args.answer.is_some_and(|t| !within(t, MIN_ANSWER_S)) {
        return Err(bad(
            "--answer",
            format!("{MIN_ANSWER_S} to {MAX_SECONDS} seconds"),
        ));
    }
    if !within(args.overtime, 0.0) {
        return Err(bad("--overtime", format!("0 to {MAX_SECONDS} seconds")));
    }
    if args
        .speech_rate
        .is_some_and(|r| !(r.is_finite() && (0.5..=2.0).contains(&r)))
    {
        return Err(bad("--speech-rate", "between 0.5 and 2.0".into()));
    }
    if args
        .listen
        .is_some_and(|t| !(t.is_finite() && (0.0..=3600.0).contains(&t)))
    {
        return Err(bad("--listen", "between 0 and 3600 seconds".into()));
    }
    if args.count == Some(0) {
        return Err(bad("--count", "at least 1".into()));
    }
    Ok(())
}

/// The timing of one question: the pack's, with --think and --answer applied. A new answer
/// limit scales the green and yellow lights with it.
fn step_for(q: &Question, args: &RunArgs) -> Step {
    let t = q.timing;
    let limit_s = args.answer.unwrap_or(t.answer_s);
    let scale = limit_s / t.answer_s;
    Step {
        text: q.text.clone(),
        think_s: args.think.unwrap_or(t.think_s),
        limit_s,
        min_s: t.min_s * scale,
        warn_s: t.warn_s * scale,
    }
}

fn print_header(title: &str, steps: &[Step], args: &RunArgs, dir: &Path) {
    let think = match args.think {
        Some(t) => mmss(t),
        None => "as the pack says".into(),
    };
    let limit = match args.answer {
        Some(a) => mmss(a),
        None => {
            let min = steps
                .iter()
                .map(|s| s.limit_s)
                .fold(f64::INFINITY, f64::min);
            let max = steps.iter().map(|s| s.limit_s).fold(0.0, f64::max);
            if (max - min).abs() < 0.5 {
                mmss(max)
            } else {
                format!("{} to {}", mmss(min), mmss(max))
            }
        }
    };
    outln(format_args!("voicemock: {title}"));
    outln(format_args!(
        "  {} question{}; think time {think}; answers up to {limit}{}",
        steps.len(),
        if steps.len() == 1 { "" } else { "s" },
        if args.overtime > 0.0 {
            format!(" (+{} grace)", mmss(args.overtime))
        } else {
            String::new()
        }
    ));
    outln(format_args!(
        "  Recordings go to {} (only you can read them)",
        dir.display()
    ));
    outln(format_args!(
        "  Keys: Enter = start/finish an answer, s = skip, r = repeat the question, q = quit"
    ));
}
