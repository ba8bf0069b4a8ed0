//! `voicemock config`: the settings in force and where each came from, the config file's path,
//! and editing it. Also where the file's settings meet the flags: [`apply`] fills in what the
//! command line left unsaid, once, after parsing (clap cannot know the file), so every command
//! checks a setting from the file exactly as it checks the flag.

use std::path::Path;

use anyhow::Context;
use clap::parser::ValueSource;
use clap::ArgMatches;

use crate::cli::{Command, ConfigAction, ConfigArgs, DeviceArgs, SessionArgs};
use crate::config::{self, Config, Origin};
use crate::ui::{out, outln, Table};

/// The file's settings, or its error for a command that would use them.
fn settings() -> anyhow::Result<&'static Config> {
    config::current().map_err(|e| anyhow::anyhow!("{e}"))
}

/// Fills in the settings `command` takes from the config file where its flags left them
/// unsaid. A malformed file is refused by every command but the ones that need no settings.
pub fn apply(command: &mut Command, matches: &ArgMatches) -> anyhow::Result<()> {
    if matches!(
        command,
        Command::Completions(_) | Command::Man(_) | Command::TranscribeEngine | Command::Config(_)
    ) {
        return Ok(());
    }
    let file = settings()?;
    match command {
        Command::Run(a) => {
            resolve(&mut a.session, Some(&mut a.answer), matches, file);
        }
        Command::Rehearse(a) => {
            resolve(&mut a.session, Some(&mut a.answer), matches, file);
        }
        Command::Drill(a) => {
            // Limits given round by round leave the answer setting nothing to say.
            let answer = if a.limits.is_some() {
                None
            } else {
                Some(&mut a.answer)
            };
            resolve(&mut a.session, answer, matches, file);
        }
        Command::Check(a) => {
            devices(&mut a.devices, file);
        }
        Command::Replay(a) => {
            fill(&mut a.output, &file.output);
        }
        Command::Compare(a) => {
            fill(&mut a.output, &file.output);
        }
        Command::Play(a) => {
            fill(&mut a.output, &file.output);
        }
        Command::Transcribe(a) => {
            fill(&mut a.model, &file.model);
        }
        _ => {}
    }
    Ok(())
}

/// One setting in force: its key in the file, its value as shown, and where it came from.
pub struct InForce {
    pub key: &'static str,
    pub value: String,
    pub origin: Origin,
}

impl InForce {
    fn row(key: &'static str, value: String, origin: Origin) -> InForce {
        InForce { key, value, origin }
    }
}

/// A flag's value if given, else the file's (filled in).
fn fill<T: Clone>(flag: &mut Option<T>, file: &Option<T>) -> Origin {
    if flag.is_some() {
        Origin::Flag
    } else if let Some(v) = file {
        *flag = Some(v.clone());
        Origin::File
    } else {
        Origin::Default
    }
}

fn devices(args: &mut DeviceArgs, file: &Config) -> [Origin; 2] {
    [
        fill(&mut args.input, &file.input),
        fill(&mut args.output, &file.output),
    ]
}

fn given(matches: &ArgMatches, id: &str) -> bool {
    matches!(matches.value_source(id), Some(ValueSource::CommandLine))
}

/// Resolves a session's settings: a flag given wins, then the file (then, for the recordings
/// folder, the environment before it), then the default. `args` is left holding the settings
/// in force; the list says what each is and where it came from.
pub fn resolve(
    args: &mut SessionArgs,
    answer: Option<&mut Option<f64>>,
    matches: &ArgMatches,
    file: &Config,
) -> Vec<InForce> {
    let [input, output] = devices(&mut args.devices, file);
    let voice = fill(&mut args.voice, &file.voice);
    let speech_rate = fill(&mut args.speech_rate, &file.speech_rate);
    let model = fill(&mut args.model, &file.model);
    // The clap default already holds the environment's or the file's folder.
    let recordings = if given(matches, "recordings") {
        Origin::Flag
    } else {
        crate::record::default_recordings_from().1
    };
    let think = fill(&mut args.think, &file.think);
    let overtime = if given(matches, "overtime") {
        Origin::Flag
    } else if let Some(v) = file.overtime {
        args.overtime = v;
        Origin::File
    } else {
        Origin::Default
    };
    let cues = if given(matches, "no_cues") || given(matches, "cues") {
        Origin::Flag
    } else if let Some(on) = file.cues {
        args.no_cues = !on;
        args.cues = on;
        Origin::File
    } else {
        Origin::Default
    };
    // `--no-auto-finish` and `--no-listen` turn off what the file turns on.
    let auto_finish = if given(matches, "no_auto_finish") {
        args.auto_finish = None;
        Origin::Flag
    } else {
        fill(&mut args.auto_finish, &file.auto_finish)
    };
    let listen = if given(matches, "no_listen") {
        args.listen = None;
        Origin::Flag
    } else {
        fill(&mut args.listen, &file.listen)
    };

    let text = |v: &Option<String>, none: &str| v.clone().unwrap_or_else(|| none.to_string());
    let secs =
        |v: Option<f64>, none: &str| v.map_or_else(|| none.to_string(), |t| format!("{t} s"));
    let system = "the system's default";
    let mut rows = vec![
        InForce::row("input", text(&args.devices.input, system), input),
        InForce::row("output", text(&args.devices.output, system), output),
        InForce::row("voice", text(&args.voice, system), voice),
        InForce::row(
            "speech_rate",
            args.speech_rate.unwrap_or(1.0).to_string(),
            speech_rate,
        ),
        InForce::row(
            "model",
            text(&args.model, "base.en, else the one installed"),
            model,
        ),
        InForce::row(
            "recordings",
            args.recordings.display().to_string(),
            recordings,
        ),
        InForce::row("think", secs(args.think, "the pack's"), think),
    ];
    if let Some(answer) = answer {
        let origin = fill(answer, &file.answer);
        rows.push(InForce::row("answer", secs(*answer, "the pack's"), origin));
    }
    rows.extend([
        InForce::row("overtime", format!("{} s", args.overtime), overtime),
        InForce::row(
            "cues",
            if args.no_cues { "off" } else { "on" }.to_string(),
            cues,
        ),
        InForce::row("auto_finish", secs(args.auto_finish, "off"), auto_finish),
        InForce::row("listen", secs(args.listen, "off"), listen),
    ]);
    rows
}

/// `voicemock config [path|edit]`.
pub fn run(args: &mut ConfigArgs, matches: &ArgMatches) -> anyhow::Result<()> {
    let path = config::path().context(
        "this system has no config folder (is $HOME set?); name a file with $VOICEMOCK_CONFIG",
    )?;
    match args.action {
        Some(ConfigAction::Path) => {
            outln(path.display().to_string());
            Ok(())
        }
        Some(ConfigAction::Edit) => edit(&path),
        None => show(args, matches, &path),
    }
}

fn show(args: &mut ConfigArgs, matches: &ArgMatches, path: &Path) -> anyhow::Result<()> {
    let file = settings()?;
    let rows = resolve(&mut args.session, Some(&mut args.answer), matches, file);
    let exists = path.is_file();
    outln(format!(
        "config file: {}{}",
        path.display(),
        if exists {
            ""
        } else {
            " (none yet: `voicemock config edit` starts one)"
        }
    ));
    let mut table = Table::new().left("setting").text("value").left("from");
    for row in rows {
        table.row([
            row.key.to_string(),
            row.value,
            row.origin.label().to_string(),
        ]);
    }
    out(table.fit());
    Ok(())
}

fn edit(path: &Path) -> anyhow::Result<()> {
    if config::write_starter(path)
        .with_context(|| format!("writing a starter config file at {}", path.display()))?
    {
        outln(format!("wrote a starter config file: {}", path.display()));
    }
    let editor = ["VISUAL", "EDITOR"]
        .into_iter()
        .find_map(|v| std::env::var_os(v).filter(|e| !e.is_empty()))
        .context(format!(
            "set $VISUAL or $EDITOR to your editor, or edit {} directly",
            path.display()
        ))?;
    // The editor variable may carry arguments ("code -w"), so the shell reads it, as git does.
    let status = std::process::Command::new("sh")
        .arg("-c")
        .arg(format!("{} \"$1\"", editor.to_string_lossy()))
        .arg("sh")
        .arg(path)
        .status()
        .with_context(|| format!("starting the editor {}", editor.to_string_lossy()))?;
    if !status.success() {
        anyhow::bail!("the editor {} failed ({status})", editor.to_string_lossy());
    }
    // What was saved is checked now, not at the next session.
    config::load(path).map_err(|e| anyhow::anyhow!("{e}"))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use clap::{CommandFactory, FromArgMatches};

    use super::*;
    use crate::cli::Cli;

    /// `voicemock run ARGS` resolved against `file`: each setting's shown value and origin.
    fn resolved(args: &[&str], file: &Config) -> (SessionArgs, Option<f64>, Vec<InForce>) {
        let matches = Cli::command()
            .try_get_matches_from(["voicemock", "run"].iter().chain(args))
            .unwrap();
        let Command::Run(mut run) = Cli::from_arg_matches(&matches).unwrap().command else {
            panic!("not run");
        };
        let sub = matches.subcommand().unwrap().1;
        let rows = resolve(&mut run.session, Some(&mut run.answer), sub, file);
        (run.session, run.answer, rows)
    }

    fn origin(rows: &[InForce], key: &str) -> Origin {
        rows.iter().find(|r| r.key == key).unwrap().origin
    }

    #[test]
    fn a_flag_beats_the_file_and_the_file_beats_the_default() {
        let file = Config {
            input: Some("USB".into()),
            voice: Some("en-GB".into()),
            think: Some(5.0),
            answer: Some(90.0),
            overtime: Some(4.0),
            cues: Some(false),
            auto_finish: Some(3.0),
            ..Config::default()
        };
        let (args, answer, rows) = resolved(&[], &file);
        assert_eq!(args.devices.input.as_deref(), Some("USB"));
        assert_eq!(args.voice.as_deref(), Some("en-GB"));
        assert_eq!(
            (args.think, answer, args.overtime),
            (Some(5.0), Some(90.0), 4.0)
        );
        assert!(args.no_cues);
        assert_eq!(args.auto_finish, Some(3.0));
        for key in [
            "input",
            "voice",
            "think",
            "answer",
            "overtime",
            "cues",
            "auto_finish",
        ] {
            assert_eq!(origin(&rows, key), Origin::File, "{key}");
        }
        for key in ["output", "speech_rate", "model", "listen"] {
            assert_eq!(origin(&rows, key), Origin::Default, "{key}");
        }

        // A flag equal to its clap default (`--overtime 0`) still wins: it was given.
        let (args, answer, rows) = resolved(
            &[
                "--input",
                "Mic",
                "--think",
                "0",
                "--answer",
                "30",
                "--overtime",
                "0",
                "--cues",
            ],
            &file,
        );
        assert_eq!(args.devices.input.as_deref(), Some("Mic"));
        assert_eq!(
            (args.think, answer, args.overtime),
            (Some(0.0), Some(30.0), 0.0)
        );
        assert!(!args.no_cues);
        for key in ["input", "think", "answer", "overtime", "cues"] {
            assert_eq!(origin(&rows, key), Origin::Flag, "{key}");
        }
        assert_eq!(origin(&rows, "voice"), Origin::File);

        // No file: every setting is its default.
        let (args, answer, rows) = resolved(&[], &Config::default());
        assert_eq!((args.think, answer, args.overtime), (None, None, 0.0));
        assert!(!args.no_cues);
        assert!(rows
            .iter()
            .filter(|r| r.key != "recordings")
            .all(|r| r.origin == Origin::Default));
    }
}
