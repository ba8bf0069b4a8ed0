//! `voicemock run`: a spoken, timed mock interview that records every answer.

use std::path::Path;

use anyhow::Context;

use crate::audio::{CpalMicrophone, DevicePlayer, Microphone};
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
use crate::ui::mmss;
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
    let mut mic = CpalMicrophone::open(args.devices.input.as_deref())?;

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
                eprintln!("warning: {e}; the questions will only be printed");
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
                eprintln!("warning: {e}; answers cannot be played back during this session");
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
        mic: &mut mic,
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
    let ending = ending;
    let log = record::reader::read_log(&dir)?;
    if log.takes().next().is_none() {
        // Nothing worth keeping: leave no folder behind.
        remove_empty_session(&dir, lock);
        println!();
        println!("Nothing was recorded, so no session folder was kept.");
    } else {
        lock.release();
    }
    let ending = ending?;
    if log.takes().next().is_some() {
        println!();
        print!("{}", crate::report::summary_table(&log));
        println!();
        println!("Session log:  {}", dir.join(LOG_FILE).display());
        println!("Review sheet: {}", dir.join(REVIEW_FILE).display());
        println!("Your notes:   {}", dir.join(NOTES_FILE).display());
        println!("Listen back:  voicemock replay {}", log.id);
    }
    // The review page: cheap, since each take's levels were kept as it ended.
    if log.takes().next().is_some() {
        let written = record::load(&dir)
            .map_err(anyhow::Error::from)
            .and_then(|s| Ok(crate::report::write_session_page(&s)?));
        match written {
            Ok(path) => println!("Review page:  {}", path.display()),
            Err(e) => eprintln!(
                "warning: the review page was not written ({e:#}); `voicemock report {}` tries again",
                log.id
            ),
        }
    }
    match ending.status {
        Status::Completed | Status::Quit | Status::InProgress => Ok(()),
        Status::Interrupted => {
            let signal = ending
                .signal
                .unwrap_or(crate::session::machine::Signal::Interrupt);
            Err(ExitWith {
                code: signals::exit_code(signal),
                message: "session interrupted; everything recorded so far is kept".into(),
            }
            .into())
        }
        Status::DeviceError => anyhow::bail!(
            "the microphone failed during an answer; what was recorded until then is kept in {}",
            dir.display()
        ),
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
    let bad = |flag: &str, what: &str| anyhow::anyhow!("{flag} must be {what}");
    if args.think.is_some_and(|t| !(t.is_finite() && t >= 0.0)) {
        return Err(bad("--think", "0 or more seconds"));
    }
    if args.answer.is_some_and(|t| !(t.is_finite() && t > 0.0)) {
        return Err(bad("--answer", "more than 0 seconds"));
    }
    if !(args.overtime.is_finite() && args.overtime >= 0.0) {
        return Err(bad("--overtime", "0 or more seconds"));
    }
    if args
        .speech_rate
        .is_some_and(|r| !(r.is_finite() && (0.5..=2.0).contains(&r)))
    {
        return Err(bad("--speech-rate", "between 0.5 and 2.0"));
    }
    if args
        .listen
        .is_some_and(|t| !(t.is_finite() && (0.0..=3600.0).contains(&t)))
    {
        return Err(bad("--listen", "between 0 and 3600 seconds"));
    }
    if args.count == Some(0) {
        return Err(bad("--count", "at least 1"));
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
    println!("voicemock: {title}");
    println!(
        "  {} question{}; think time {think}; answers up to {limit}{}",
        steps.len(),
        if steps.len() == 1 { "" } else { "s" },
        if args.overtime > 0.0 {
            format!(" (+{} grace)", mmss(args.overtime))
        } else {
            String::new()
        }
    );
    println!(
        "  Recordings go to {} (only you can read them)",
        dir.display()
    );
    println!("  Keys: Enter = start/finish an answer, s = skip, r = repeat the question, q = quit");
}
