//! The command line: every flag a user can type, and nothing else. Parsing only; the work is
//! done by `commands::*`.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

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
    /// Check microphone, speaker and speech before an interview.
    Check(CheckArgs),
    /// List the audio devices voicemock can use, the defaults marked.
    Devices,
    /// List the voices the system's text-to-speech offers (for --voice).
    Voices(VoicesArgs),
    /// List the built-in question packs and those under content/.
    Packs,
    /// List the questions of a pack.
    Questions(QuestionsArgs),
    /// Measure speaking time, pauses, response latency and pace of a recording or a session.
    Analyze(AnalyzeArgs),
    /// Write down what a recording says, on this machine (no network), with filler words and
    /// other measures of the words.
    Transcribe(TranscribeArgs),
    /// List the transcription models, install one you have, or download an official one.
    Models(ModelsArgs),
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
    #[arg(long, default_value_t = 5.0, value_name = "N")]
    pub seconds: f64,
    /// Where to save the test recording (default: a new file under recordings/).
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
    /// Only this question, by id (may be repeated; asked in the order given).
    #[arg(long = "question", value_name = "ID")]
    pub questions: Vec<String>,
    /// Ask at most N questions.
    #[arg(long, value_name = "N")]
    pub count: Option<usize>,
    /// Ask the questions in a random order.
    #[arg(long)]
    pub shuffle: bool,
    /// Seed for --shuffle, to repeat an order.
    #[arg(long, value_name = "S")]
    pub seed: Option<u64>,
    /// Think time before each answer, in seconds (0 skips it); overrides the pack.
    #[arg(long, value_name = "SECS")]
    pub think: Option<f64>,
    /// Answer limit, in seconds; overrides the pack.
    #[arg(long, value_name = "SECS")]
    pub answer: Option<f64>,
    /// Grace after the limit to finish a sentence, in seconds (shown as +MM:SS).
    #[arg(long, value_name = "SECS", default_value_t = 0.0)]
    pub overtime: f64,
    /// Folder the session folder is created in.
    #[arg(long, value_name = "DIR", default_value = "recordings")]
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
    #[arg(long, value_name = "R")]
    pub speech_rate: Option<f32>,
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
    #[arg(long, value_name = "SECS", default_value_t = 0.25)]
    pub pause_min: f64,
}

#[derive(Debug, Args)]
pub struct TranscribeArgs {
    /// A WAV file.
    #[arg(value_name = "FILE.wav")]
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
    /// Convert a CTranslate2 Whisper model to a GGML file (used to build the test model).
    #[command(hide = true)]
    ConvertCt2 {
        /// The folder holding the CTranslate2 `model.bin`.
        #[arg(value_name = "DIR")]
        model_dir: PathBuf,
        /// OpenAI whisper's `mel_80` filters, as a .npy file.
        #[arg(long, value_name = "NPY")]
        mel_filters: PathBuf,
        /// OpenAI whisper's `gpt2.tiktoken` vocabulary.
        #[arg(long, value_name = "FILE")]
        vocab: PathBuf,
        #[arg(long, value_name = "OUT")]
        out: PathBuf,
    },
}
