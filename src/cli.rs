//! The command line: every flag a user can type, and nothing else. Parsing only; the work is
//! done by `commands::*`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::record::default_recordings;

#[derive(Debug, Parser)]
#[command(
    name = "voicemock",
    version,
    about = "A private, offline voice mock interviewer: it asks each question aloud, times your \
             spoken answer and records it. Nothing leaves your machine."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a spoken, timed mock interview and record every answer.
    Run(RunArgs),
    /// A whole mock interview on a clock: questions chosen to fit the time, with follow-ups.
    Rehearse(RehearseArgs),
    /// Answer one question again and again, each round with a shorter limit.
    Drill(DrillArgs),
    /// Check microphone, speaker and speech before an interview.
    Check(CheckArgs),
    /// List the audio devices voicemock can use, the defaults marked.
    Devices,
    /// List the voices the system's text-to-speech offers (for --voice).
    Voices(VoicesArgs),
    /// List the question packs (built-in and under content/), start a new one, or check one.
    Packs(PacksArgs),
    /// List the questions of a pack.
    Questions(QuestionsArgs),
    /// Play a WAV file, with a bar showing where its pauses are (space, arrows, q).
    Play(PlayArgs),
    /// Measure speaking time, pauses, response latency and pace of a recording or a session.
    Analyze(AnalyzeArgs),
    /// List recorded sessions, newest first.
    Sessions(SessionsArgs),
    /// Every take of one question across sessions, side by side (and played in turn).
    Compare(CompareArgs),
    /// Listen back to a session: each question (said aloud), then its answer.
    Replay(ReplayArgs),
    /// Your progress per question over every session, against your own earlier attempts.
    History(HistoryArgs),
    /// The questions most worth practising now, each with why (`run --next N` runs them).
    Next(NextArgs),
    /// Write down what a recording says, on this machine (no network), with filler words and
    /// other measures of the words.
    Transcribe(TranscribeArgs),
    /// List the transcription models, install one you have, or download an official one.
    Models(ModelsArgs),
    /// Write a session's review page (report.html), or the progress page over all sessions.
    Report(ReportArgs),
    /// Runs one transcription job for voicemock itself (a child process per job; the job comes
    /// on stdin and the answer goes to stdout in voicemock's own framing).
    #[command(hide = true, name = "transcribe-engine")]
    TranscribeEngine,

    // Sharing and the shell's conventions (commands/export.rs, commands/shell.rs).
    /// Put a session's page, recordings and logs in one zip, to share with a coach.
    Export(ExportArgs),
    /// Print a completion script for your shell (see the README for where it goes).
    Completions(CompletionsArgs),
    /// Print voicemock's manual page (roff), or write one page per command into a folder.
    Man(ManArgs),
    /// Show the settings in force and where each came from, or edit the config file.
    Config(ConfigArgs),
}

/// Device choice shared by the commands that use the microphone or speaker.
#[derive(Debug, Clone, Default, Args)]
pub struct DeviceArgs {
    /// Microphone to record from: a device name, or part of one (see `voicemock devices`).
    #[arg(long, value_name = "NAME")]
    pub input: Option<String>,
    /// Speaker to play through: a device name, or part of one.
    #[arg(long, value_name = "NAME")]
    pub output: Option<String>,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// How long to record, in seconds.
    #[arg(
        long,
        allow_negative_numbers = true,
        default_value_t = 5.0,
        value_name = "N"
    )]
    pub seconds: f64,
    /// Where to save the test recording (default: a new file in the recordings folder:
    /// $VOICEMOCK_RECORDINGS, else recordings/).
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Do not say the test sentence.
    #[arg(long)]
    pub no_speak: bool,
    /// Do not play the recording back.
    #[arg(long)]
    pub no_playback: bool,
    #[command(flatten)]
    pub devices: DeviceArgs,
}

#[derive(Debug, Args)]
pub struct VoicesArgs {
    /// Also list each voice's variants (speech-dispatcher's "Voice+Variant" entries).
    #[arg(long)]
    pub all: bool,
}

#[derive(Debug, Args)]
pub struct PacksArgs {
    #[command(subcommand)]
    pub action: Option<PacksAction>,
}

#[derive(Debug, Subcommand)]
pub enum PacksAction {
    /// Write a commented starter pack, content/NAME.toml, to edit into your own (never
    /// overwrites a file).
    New {
        /// The pack's name: lowercase letters, digits, `-` and `_` (chosen with --pack NAME).
        #[arg(value_name = "NAME")]
        name: String,
        /// The folder to write it in (default: content/ under the current directory).
        #[arg(long, value_name = "DIR", conflicts_with = "output")]
        dir: Option<PathBuf>,
        /// The exact file to write instead of DIR/NAME.toml.
        #[arg(long, value_name = "FILE")]
        output: Option<PathBuf>,
    },
    /// Check a pack and print what a session would ask; an error names file, line, column and
    /// field, and exits non-zero.
    Check {
        /// The pack file (or the name of a built-in pack or of content/NAME.toml).
        #[arg(value_name = "FILE")]
        file: String,
    },
}

#[derive(Debug, Args)]
pub struct QuestionsArgs {
    /// A built-in pack name, or the path of a pack file.
    #[arg(long, value_name = "P")]
    pub pack: Option<String>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    /// A built-in pack name, or the path of a pack file (default: the Netflix PM pack).
    #[arg(long, value_name = "P")]
    pub pack: Option<String>,
    /// Only questions of this category (may be repeated).
    #[arg(long = "category", value_name = "C")]
    pub categories: Vec<String>,
    /// The N questions most worth practising, as `voicemock next N` lists them, in that order.
    #[arg(
        long,
        value_name = "N",
        value_parser = clap::value_parser!(u32).range(1..),
        conflicts_with_all = ["categories", "questions", "count", "shuffle"]
    )]
    pub next: Option<u32>,
    /// Only this question, by id (may be repeated; asked in the order given).
    #[arg(long = "question", value_name = "ID")]
    pub questions: Vec<String>,
    /// Ask at most N questions.
    #[arg(long, allow_negative_numbers = true, value_name = "N")]
    pub count: Option<i64>,
    /// Ask the questions in a random order.
    #[arg(long)]
    pub shuffle: bool,
    /// Seed for --shuffle, to repeat an order.
    #[arg(long, allow_negative_numbers = true, value_name = "S")]
    pub seed: Option<u64>,
    /// Answer limit, in seconds; overrides the pack.
    #[arg(long, allow_negative_numbers = true, value_name = "SECS")]
    pub answer: Option<f64>,
    /// Ask each question's follow-ups right after its answer.
    #[arg(long)]
    pub follow_ups: bool,
    #[command(flatten)]
    pub session: SessionArgs,
}

/// What every kind of recorded session (`run`, `rehearse`, `drill`) takes.
#[derive(Debug, Clone, Args)]
pub struct SessionArgs {
    /// Think time before each answer, in seconds (0 skips it); overrides the pack.
    #[arg(long, allow_negative_numbers = true, value_name = "SECS")]
    pub think: Option<f64>,
    /// Grace after the limit to finish a sentence, in seconds (shown as +MM:SS).
    #[arg(
        long,
        allow_negative_numbers = true,
        value_name = "SECS",
        default_value_t = 0.0
    )]
    pub overtime: f64,
    /// End an answer by itself after SECS of silence that follow speech (e.g. 3); off unless
    /// given.
    #[arg(
        long,
        allow_negative_numbers = true,
        value_name = "SECS",
        overrides_with = "no_auto_finish"
    )]
    pub auto_finish: Option<f64>,
    /// Answers end only at Enter or the limit, even if the config file sets auto_finish.
    #[arg(long, overrides_with = "auto_finish")]
    pub no_auto_finish: bool,
    /// No sound cues (by default a short tone when the answer starts, at the wrap-up point
    /// and at the limit).
    #[arg(long, overrides_with = "cues")]
    pub no_cues: bool,
    /// Sound cues, even if the config file turns them off.
    #[arg(long, overrides_with = "no_cues")]
    pub cues: bool,
    /// Timing lights for every answer: green, yellow and red, in seconds (e.g. 60,90,120).
    #[arg(
        long,
        allow_negative_numbers = true,
        value_name = "G,Y,R",
        value_delimiter = ',',
        num_args = 1
    )]
    pub lights: Option<Vec<f64>>,
    /// After each answer, wait so you can listen back to it (l) and record it again (r);
    /// the session goes on by itself after SECS (default 20) or at Enter.
    #[arg(long, allow_negative_numbers = true, value_name = "SECS", num_args = 0..=1, default_missing_value = "20", overrides_with = "no_listen")]
    pub listen: Option<f64>,
    /// No waiting to listen back after each answer, even if the config file sets listen.
    #[arg(long, overrides_with = "listen")]
    pub no_listen: bool,
    /// Folder the session folder is created in (default: $VOICEMOCK_RECORDINGS, else the
    /// config file's, else recordings/ in the current folder).
    #[arg(long, value_name = "DIR", default_value_os_t = default_recordings())]
    pub recordings: PathBuf,
    #[command(flatten)]
    pub devices: DeviceArgs,
    /// Print the questions instead of speaking them.
    #[arg(long)]
    pub no_speak: bool,
    /// The system voice to speak with (part of its name).
    #[arg(long, value_name = "NAME")]
    pub voice: Option<String>,
    /// Speech rate, from 0.5 (slow) to 2.0 (fast); 1.0 is the voice's normal rate.
    #[arg(long, allow_negative_numbers = true, value_name = "R")]
    pub speech_rate: Option<f32>,
    /// The transcription model for each answer (an installed name or a file; default:
    /// base.en, else the one installed; see `voicemock models`).
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,
    /// Do not transcribe the answers.
    #[arg(long)]
    pub no_transcribe: bool,
    /// For the tests only: record from a built-in test microphone instead of a device
    /// (`fast`: a tone delivered faster than real time).
    #[arg(long, value_name = "KIND", hide = true)]
    pub test_microphone: Option<String>,
}

#[derive(Debug, Args)]
pub struct RehearseArgs {
    /// The interview's length in minutes: questions are chosen to fit it.
    #[arg(
        long,
        allow_negative_numbers = true,
        value_name = "M",
        default_value_t = 30.0
    )]
    pub minutes: f64,
    /// A built-in pack name, or the path of a pack file (default: the Netflix PM pack).
    #[arg(long, value_name = "P")]
    pub pack: Option<String>,
    /// Only body questions of this category (may be repeated); the opening and the closing
    /// turn are kept.
    #[arg(long = "category", value_name = "C")]
    pub categories: Vec<String>,
    /// Seed for choosing the questions, to repeat a plan.
    #[arg(long, allow_negative_numbers = true, value_name = "S")]
    pub seed: Option<u64>,
    /// Answer limit, in seconds; overrides the pack (follow-ups keep their own).
    #[arg(long, allow_negative_numbers = true, value_name = "SECS")]
    pub answer: Option<f64>,
    #[command(flatten)]
    pub session: SessionArgs,
}

#[derive(Debug, Args)]
pub struct DrillArgs {
    /// The question to drill, by id (see `voicemock questions`).
    #[arg(value_name = "QUESTION")]
    pub question: String,
    /// The limit of each round, in seconds, shortest last (default: --answer, then ¾ and ½
    /// of it; without one, 120,90,60).
    #[arg(
        long,
        allow_negative_numbers = true,
        value_name = "S,S,…",
        value_delimiter = ',',
        conflicts_with = "answer"
    )]
    pub limits: Option<Vec<f64>>,
    /// The first round's limit, in seconds: the rounds are it, ¾ and ½ of it.
    #[arg(long, allow_negative_numbers = true, value_name = "SECS")]
    pub answer: Option<f64>,
    /// A built-in pack name, or the path of a pack file (default: the Netflix PM pack).
    #[arg(long, value_name = "P")]
    pub pack: Option<String>,
    #[command(flatten)]
    pub session: SessionArgs,
}

/// Where sessions are looked for, for the commands that read them.
#[derive(Debug, Clone, Args)]
pub struct RecordingsArg {
    /// The folder sessions are recorded in (default: $VOICEMOCK_RECORDINGS, else the config
    /// file's, else recordings/ in the current folder).
    #[arg(long, value_name = "DIR", default_value_os_t = default_recordings())]
    pub recordings: PathBuf,
}

#[derive(Debug, Args)]
pub struct SessionsArgs {
    #[command(flatten)]
    pub recordings: RecordingsArg,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

/// Which takes of a question `replay` plays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TakeChoice {
    /// The kept (last) take.
    Last,
    /// Every take, in order.
    All,
    /// Take N (1-based).
    Number(u32),
}

impl std::str::FromStr for TakeChoice {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "last" => Ok(TakeChoice::Last),
            "all" => Ok(TakeChoice::All),
            n => match n.parse::<u32>() {
                Ok(n) if n >= 1 => Ok(TakeChoice::Number(n)),
                _ => Err(format!(
                    "expected a take number (1, 2, ...), `last` or `all`, not `{n}`"
                )),
            },
        }
    }
}

#[derive(Debug, Args)]
pub struct ReplayArgs {
    /// The session: `latest` (the default), its id, a unique prefix of it, or its folder.
    #[arg(value_name = "SESSION")]
    pub session: Option<String>,
    #[command(flatten)]
    pub recordings: RecordingsArg,
    /// Only this question, by id (may be repeated).
    #[arg(long = "question", value_name = "ID")]
    pub questions: Vec<String>,
    /// Which take of each question: a number, `last` (the one kept) or `all`.
    #[arg(long, value_name = "N|last|all", default_value = "last")]
    pub take: TakeChoice,
    /// Print the questions instead of saying them.
    #[arg(long)]
    pub no_speak: bool,
    /// Speaker to play through: a device name, or part of one (see `voicemock devices`).
    #[arg(long, value_name = "NAME")]
    pub output: Option<String>,
}

#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Only this question, by id (may be repeated).
    #[arg(long = "question", value_name = "ID")]
    pub questions: Vec<String>,
    /// Only questions of this category (may be repeated).
    #[arg(long = "category", value_name = "C")]
    pub categories: Vec<String>,
    #[command(flatten)]
    pub recordings: RecordingsArg,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct NextArgs {
    /// How many questions to list.
    #[arg(value_name = "N", default_value_t = 5, value_parser = clap::value_parser!(u32).range(1..))]
    pub count: u32,
    /// A built-in pack name, or the path of a pack file (default: the Netflix PM pack); only
    /// sessions of this pack count.
    #[arg(long, value_name = "P")]
    pub pack: Option<String>,
    #[command(flatten)]
    pub recordings: RecordingsArg,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
}

#[derive(Debug, Args)]
pub struct CompareArgs {
    /// The question's id (see `voicemock questions`).
    #[arg(value_name = "QUESTION")]
    pub question: String,
    #[command(flatten)]
    pub recordings: RecordingsArg,
    /// Only the N most recent takes.
    #[arg(long, allow_negative_numbers = true, value_name = "N")]
    pub last: Option<usize>,
    /// Play the takes one after another, each announced, oldest first.
    #[arg(long)]
    pub play: bool,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// With --play: do not say each take's announcement aloud.
    #[arg(long)]
    pub no_speak: bool,
    /// With --play: the speaker to play through (a device name, or part of one).
    #[arg(long, value_name = "NAME")]
    pub output: Option<String>,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    /// A WAV file, or a session folder (every take in it is analysed).
    #[arg(value_name = "FILE.wav|SESSION")]
    pub target: PathBuf,
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Shortest silence counted as a pause, in seconds.
    #[arg(
        long,
        allow_negative_numbers = true,
        value_name = "SECS",
        default_value_t = 0.25
    )]
    pub pause_min: f64,
    /// With --json, add each take's pitch track: F0 in Hz every 10 ms, 0 where unvoiced.
    #[arg(long, requires = "json")]
    pub pitch_track: bool,
}

#[derive(Debug, Args)]
pub struct PlayArgs {
    /// The WAV file to play (any rate and channel count; 8/16/24/32-bit or 32-bit float).
    #[arg(value_name = "FILE.wav")]
    pub file: PathBuf,
    /// Start this many seconds into the file.
    #[arg(
        long,
        allow_negative_numbers = true,
        value_name = "SECS",
        default_value_t = 0.0
    )]
    pub from: f64,
    /// Speaker to play through: a device name, or part of one (see `voicemock devices`).
    #[arg(long, value_name = "NAME")]
    pub output: Option<String>,
    /// Open the speaker at this rate instead of the file's (for tests of the resampler).
    #[arg(long, value_name = "HZ", hide = true)]
    pub output_rate: Option<u32>,
}

#[derive(Debug, Args)]
pub struct TranscribeArgs {
    /// A WAV file, or a session folder (every take in it, kept beside each take).
    #[arg(value_name = "FILE.wav|SESSION")]
    pub target: PathBuf,
    /// An installed model's name (see `voicemock models`) or a model file's path
    /// (default: base.en, else the model installed).
    #[arg(long, value_name = "NAME")]
    pub model: Option<String>,
    /// Print JSON: the text, every word with its start and end time, and the measures.
    #[arg(long)]
    pub json: bool,
    /// Threads for the engine (default: every core); the benchmark uses it to run as the
    /// session's background worker does.
    #[arg(long, hide = true, value_name = "N")]
    pub threads: Option<usize>,
}

#[derive(Debug, Args)]
pub struct ModelsArgs {
    #[command(subcommand)]
    pub action: Option<ModelsAction>,
}

#[derive(Debug, Subcommand)]
pub enum ModelsAction {
    /// Install a whisper.cpp GGML model file you already have (it is checked by loading it).
    Add {
        #[arg(value_name = "FILE")]
        file: PathBuf,
        /// The name to install it under (default: from the file name, `ggml-NAME.bin`).
        #[arg(long, value_name = "NAME")]
        name: Option<String>,
    },
    /// Download an official whisper.cpp model (the one command that uses the network).
    Fetch {
        /// tiny.en (fastest), base.en (the default) or small.en (most accurate).
        #[arg(value_name = "NAME")]
        name: String,
        /// Where to download from instead of the official address (for tests).
        #[arg(long, hide = true, value_name = "URL")]
        base_url: Option<String>,
        /// The SHA-1 to expect instead of the published one (for tests).
        #[arg(long, hide = true, value_name = "HEX")]
        sha1: Option<String>,
    },
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// The session: `latest` (the default), its id, a unique prefix of it, or its folder.
    #[arg(value_name = "SESSION", conflicts_with = "progress")]
    pub session: Option<String>,
    #[command(flatten)]
    pub recordings: RecordingsArg,
    /// Write progress.html over every session in the recordings folder instead.
    #[arg(long)]
    pub progress: bool,
    /// Open the page with the system's opener once it is written.
    #[arg(long)]
    pub open: bool,
}

// Sharing and the shell's conventions.

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// The session: `latest` (the default), its id, a unique prefix of it, or its folder.
    #[arg(value_name = "SESSION")]
    pub session: Option<String>,
    #[command(flatten)]
    pub recordings: RecordingsArg,
    /// The zip to write (default: SESSION-ID.zip in the current folder); never overwritten.
    #[arg(long, value_name = "FILE.zip")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_name = "SHELL")]
    pub shell: clap_complete::Shell,
}

#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write voicemock.1 and one page per command (voicemock-run.1, ...) into this folder
    /// instead of printing the main page.
    #[arg(long, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

#[derive(Debug, Args)]
#[command(args_conflicts_with_subcommands = true)]
pub struct ConfigArgs {
    #[command(subcommand)]
    pub action: Option<ConfigAction>,
    /// The answer limit `run` would use (to see what a flag changes).
    #[arg(long, allow_negative_numbers = true, value_name = "SECS")]
    pub answer: Option<f64>,
    /// The flags of `run`, to see what they change in the settings shown.
    #[command(flatten)]
    pub session: SessionArgs,
}

#[derive(Debug, Subcommand)]
pub enum ConfigAction {
    /// Print the config file's path (whether or not it exists).
    Path,
    /// Open the config file in $VISUAL or $EDITOR, first writing a commented starter (every
    /// key commented out) if there is none; never overwrites.
    Edit,
}
