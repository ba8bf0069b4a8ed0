//! The config file: settings a user keeps between sessions (devices, voice, model, recordings
//! folder, timing defaults, cues, auto-finish, listen), read from the platform's config folder
//! or `$VOICEMOCK_CONFIG`. Parsing and checking only, with the pack's file:line:column:field
//! errors; which command uses which setting, and the flags that override them, are
//! `commands::config`'s.

use std::ops::RangeInclusive;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::Deserialize;
use toml::de::DeTable;
use toml::Spanned;

use crate::pack::parse::{Seconds, Source as TomlSource};
use crate::pack::{PackError, MAX_SECONDS, MIN_ANSWER_S};

/// The environment variable that names the config file instead of the platform's place.
pub const CONFIG_ENV: &str = "VOICEMOCK_CONFIG";

/// The largest config file read: settings fit in a few hundred bytes.
const MAX_CONFIG_BYTES: u64 = 64 * 1024;

/// The bounds a setting has, whether it comes from a flag or the file (one set, used by both).
pub const THINK_S: RangeInclusive<f64> = 0.0..=MAX_SECONDS;
pub const ANSWER_S: RangeInclusive<f64> = MIN_ANSWER_S..=MAX_SECONDS;
pub const OVERTIME_S: RangeInclusive<f64> = 0.0..=MAX_SECONDS;
pub const AUTO_FINISH_S: RangeInclusive<f64> = 0.5..=MAX_SECONDS;
pub const LISTEN_S: RangeInclusive<f64> = 0.0..=MAX_SECONDS;
pub const SPEECH_RATE: RangeInclusive<f32> = 0.5..=2.0;

/// The settings a config file holds; a setting it leaves out is `None`.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Config {
    pub input: Option<String>,
    pub output: Option<String>,
    pub voice: Option<String>,
    pub speech_rate: Option<f32>,
    pub model: Option<String>,
    pub recordings: Option<PathBuf>,
    pub think: Option<f64>,
    pub answer: Option<f64>,
    pub overtime: Option<f64>,
    pub cues: Option<bool>,
    pub auto_finish: Option<f64>,
    pub listen: Option<f64>,
}

/// Where a setting in force came from, as `voicemock config` shows it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Default,
    File,
    Environment,
    Flag,
}

impl Origin {
    pub fn label(self) -> &'static str {
        match self {
            Origin::Default => "default",
            Origin::File => "file",
            Origin::Environment => "environment",
            Origin::Flag => "flag",
        }
    }
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot read the config file {}: {source}", path.display())]
    Read {
        path: PathBuf,
        source: crate::files::OpenError,
    },
    /// Reads "{file}:{line}:{column}: field `{field}`: {message}", as a pack's errors do.
    #[error("{0}; fix it with `voicemock config edit`")]
    Invalid(PackError),
}

/// Where the config file is (whether or not it exists): `$VOICEMOCK_CONFIG` if set, else
/// `voicemock/config.toml` in the platform's config folder (`$XDG_CONFIG_HOME`, else
/// `~/.config`, on Linux). `None` only when the platform has no config folder.
pub fn path() -> Option<PathBuf> {
    if let Some(p) = std::env::var_os(CONFIG_ENV).filter(|p| !p.is_empty()) {
        return Some(PathBuf::from(p));
    }
    dirs::config_dir().map(|d| d.join("voicemock").join("config.toml"))
}

/// Reads the config file at `path`; a missing file is no settings.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    match crate::files::read_regular(path, MAX_CONFIG_BYTES) {
        Ok(bytes) => parse_bytes(&bytes, &path.display().to_string()),
        Err(e) if e.is_not_found() => Ok(Config::default()),
        Err(source) => Err(ConfigError::Read {
            path: path.to_path_buf(),
            source,
        }),
    }
}

/// The config file of this process, read once: every command sees the same settings.
pub fn current() -> Result<&'static Config, &'static ConfigError> {
    static CURRENT: OnceLock<Result<Config, ConfigError>> = OnceLock::new();
    CURRENT
        .get_or_init(|| path().map_or_else(|| Ok(Config::default()), |p| load(&p)))
        .as_ref()
}

/// [`parse`] for a file's bytes; text that is not UTF-8 is refused where it goes wrong, as
/// a pack's is.
pub fn parse_bytes(bytes: &[u8], file: &str) -> Result<Config, ConfigError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text, file),
        Err(e) => Err(ConfigError::Invalid(crate::pack::parse::not_utf8(
            bytes, &e, file,
        ))),
    }
}

/// Parses and checks a config file's text; `file` names it in errors.
pub fn parse(text: &str, file: &str) -> Result<Config, ConfigError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let src = TomlSource { text, file };
    let invalid = ConfigError::Invalid;
    let root = DeTable::parse(text).map_err(|e| invalid(src.toml_error(&e, None)))?;
    let raw = RawConfig::deserialize(toml::Deserializer::from(root.clone()))
        .map_err(|e| invalid(src.toml_error(&e, Some(root.get_ref()))))?;
    let seconds = |v: Option<Spanned<Seconds>>, key: &str, range: RangeInclusive<f64>| {
        v.map(|s| {
            let t = s.get_ref().0;
            if t.is_finite() && range.contains(&t) {
                Ok(t)
            } else {
                Err(invalid(src.error(
                    &s.span(),
                    key,
                    format!(
                        "must be {} to {} seconds, not {t}",
                        range.start(),
                        range.end()
                    ),
                )))
            }
        })
        .transpose()
    };
    let name = |v: Option<Spanned<String>>, key: &str| {
        v.map(|s| {
            let value = s.get_ref().trim();
            if value.is_empty() {
                Err(invalid(src.error(&s.span(), key, "must not be empty")))
            } else if value.chars().any(crate::text::is_unsafe) {
                Err(invalid(src.error(
                    &s.span(),
                    key,
                    "holds a control, text-direction or zero-width character",
                )))
            } else {
                Ok(value.to_string())
            }
        })
        .transpose()
    };
    let speech_rate = raw
        .speech_rate
        .map(|s| {
            let r = s.get_ref().0;
            if r.is_finite() && SPEECH_RATE.contains(&(r as f32)) {
                Ok(r as f32)
            } else {
                Err(invalid(src.error(
                    &s.span(),
                    "speech_rate",
                    format!(
                        "must be between {} and {}, not {r}",
                        SPEECH_RATE.start(),
                        SPEECH_RATE.end()
                    ),
                )))
            }
        })
        .transpose()?;
    Ok(Config {
        input: name(raw.input, "input")?,
        output: name(raw.output, "output")?,
        voice: name(raw.voice, "voice")?,
        speech_rate,
        model: name(raw.model, "model")?,
        recordings: name(raw.recordings, "recordings")?.map(PathBuf::from),
        think: seconds(raw.think, "think", THINK_S)?,
        answer: seconds(raw.answer, "answer", ANSWER_S)?,
        overtime: seconds(raw.overtime, "overtime", OVERTIME_S)?,
        cues: raw.cues,
        auto_finish: seconds(raw.auto_finish, "auto_finish", AUTO_FINISH_S)?,
        listen: seconds(raw.listen, "listen", LISTEN_S)?,
    })
}

/// The file as written: every key named as its flag is (`speech_rate` for `--speech-rate`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    input: Option<Spanned<String>>,
    output: Option<Spanned<String>>,
    voice: Option<Spanned<String>>,
    speech_rate: Option<Spanned<Seconds>>,
    model: Option<Spanned<String>>,
    recordings: Option<Spanned<String>>,
    think: Option<Spanned<Seconds>>,
    answer: Option<Spanned<Seconds>>,
    overtime: Option<Spanned<Seconds>>,
    cues: Option<bool>,
    auto_finish: Option<Spanned<Seconds>>,
    listen: Option<Spanned<Seconds>>,
}

/// What `config edit` writes when there is no file: every key, commented out.
pub const STARTER: &str = include_str!("config_starter.toml");

/// Writes [`STARTER`] at `path` (its folder made if missing), readable by its owner only;
/// a file already there is left alone. Says whether it wrote one.
pub fn write_starter(path: &Path) -> std::io::Result<bool> {
    use std::io::Write;
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    match crate::files::create_private(path) {
        Ok(mut file) => {
            file.write_all(STARTER.as_bytes())?;
            file.sync_all()?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        match parse(text, "config.toml") {
            Err(e) => e.to_string(),
            Ok(c) => panic!("expected an error, parsed {c:?}"),
        }
    }

    #[test]
    fn every_setting_is_read() {
        let c = parse(
            "input = \"USB Headset\"\noutput = \"Speakers\"\nvoice = \"en-GB\"\n\
             speech_rate = 1.2\nmodel = \"base.en\"\nrecordings = \"/tmp/r\"\nthink = 5\n\
             answer = 90.5\novertime = 10\ncues = false\nauto_finish = 3\nlisten = 20\n",
            "config.toml",
        )
        .unwrap();
        assert_eq!(
            c,
            Config {
                input: Some("USB Headset".into()),
                output: Some("Speakers".into()),
                voice: Some("en-GB".into()),
                speech_rate: Some(1.2),
                model: Some("base.en".into()),
                recordings: Some("/tmp/r".into()),
                think: Some(5.0),
                answer: Some(90.5),
                overtime: Some(10.0),
                cues: Some(false),
                auto_finish: Some(3.0),
                listen: Some(20.0),
            }
        );
    }

    #[test]
    fn the_starter_sets_nothing() {
        assert_eq!(parse(STARTER, "config.toml").unwrap(), Config::default());
        // Every key is in it, commented out, so uncommenting one line sets it.
        for key in [
            "input",
            "output",
            "voice",
            "speech_rate",
            "model",
            "recordings",
            "think",
            "answer",
            "overtime",
            "cues",
            "auto_finish",
            "listen",
        ] {
            let line = STARTER
                .lines()
                .find(|l| l.starts_with(&format!("# {key} = ")))
                .unwrap_or_else(|| panic!("no commented `{key}` in the starter"));
            let set = parse(line.trim_start_matches("# "), "config.toml");
            assert!(set.is_ok(), "{line}: {set:?}");
            assert_ne!(set.unwrap(), Config::default(), "{line}");
        }
    }

    #[test]
    fn errors_name_file_line_column_and_field() {
        for (text, expected) in [
            ("think = 5\nthnik = 3\n", "config.toml:2:1: field `thnik`: unknown key; did you mean `think`?"),
            ("answer = \"long\"\n", "config.toml:1:10: field `answer`: expected a number of seconds, found string \"long\""),
            ("\n\noverline = 1", "config.toml:3:1: field `overline`: unknown key"),
            ("cues = 1\n", "config.toml:1:8: field `cues`: expected a boolean"),
            ("think = -1\n", "config.toml:1:9: field `think`: must be 0 to 3600 seconds, not -1"),
            ("answer = 0.5\n", "config.toml:1:10: field `answer`: must be 1 to 3600 seconds, not 0.5"),
            ("auto_finish = 0.1\n", "config.toml:1:15: field `auto_finish`: must be 0.5 to 3600"),
            ("speech_rate = 3\n", "config.toml:1:15: field `speech_rate`: must be between 0.5 and 2, not 3"),
            ("voice = \"\"\n", "config.toml:1:9: field `voice`: must not be empty"),
            ("voice = \"a\u{202e}b\"\n", "config.toml:1:9: field `voice`: holds a control"),
            ("think = = 3\n", "config.toml:1:9: TOML syntax"),
        ] {
            let got = error(text);
            assert!(got.starts_with(expected), "{text:?}\n got: {got}\nwant: {expected}");
        }
    }

    #[test]
    fn bytes_that_are_not_utf8_are_located() {
        let got = parse_bytes(b"voice = \"en\"\nmodel = \"\xff\"\n", "c.toml")
            .unwrap_err()
            .to_string();
        assert!(
            got.starts_with("c.toml:2:10: the file is not valid UTF-8"),
            "{got}"
        );
    }

    #[test]
    fn a_missing_file_is_no_settings_and_a_starter_is_never_overwritten() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("nested").join("config.toml");
        assert_eq!(load(&path).unwrap(), Config::default());
        assert!(write_starter(&path).unwrap());
        std::fs::write(&path, "think = 4\n").unwrap();
        assert!(!write_starter(&path).unwrap());
        assert_eq!(load(&path).unwrap().think, Some(4.0));
    }
}
