//! Transcription models on the user's machine: where they live (the user's data directory), the
//! official whisper.cpp models `voicemock models fetch` can download (names, sizes, published
//! checksums), listing, choosing and installing them (folders 0700, files 0600). Loading a model
//! is the engine's business (`transcribe`); `ggml.rs` checks a file's layout is whole before the
//! engine sees it; downloading is `fetch.rs`, the only module that names an HTTP client.

#[cfg(feature = "transcribe")]
pub mod fetch;
pub mod ggml;

use std::fs;
use std::path::{Path, PathBuf};

use thiserror::Error;

/// The model a user gets when none is named and several are installed.
pub const DEFAULT_MODEL: &str = "base.en";

/// Where the official models are published: `{base}/ggml-{name}.bin`.
pub const OFFICIAL_BASE_URL: &str = "https://huggingface.co/ggerganov/whisper.cpp/resolve/main";

/// An official whisper.cpp model: its size as published (MiB) and the SHA-1 checksum listed in
/// whisper.cpp's `models/README.md`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Official {
    pub name: &'static str,
    pub size_mib: u32,
    pub sha1: &'static str,
    pub note: &'static str,
}

pub const OFFICIAL: &[Official] = &[
    Official {
        name: "tiny.en",
        size_mib: 75,
        sha1: "c78c86eb1a8faa21b369bcd33207cc90d64ae9df",
        note: "fastest, for slow machines",
    },
    Official {
        name: "base.en",
        size_mib: 142,
        sha1: "137c40403d78fd54d454da0f9bd998f78703390c",
        note: "the default: better words, still quick",
    },
    Official {
        name: "small.en",
        size_mib: 466,
        sha1: "db8a495a91d927739e50b3fc1cc4c6b8f6c2d022",
        note: "most accurate, several times slower",
    },
];

/// The preference when no model is named: the default first, then the faster one.
const PREFERENCE: &[&str] = &[DEFAULT_MODEL, "tiny.en", "small.en"];

#[derive(Debug, Error)]
pub enum ModelError {
    #[error(
        "cannot tell where your data directory is (no HOME or XDG_DATA_HOME); set XDG_DATA_HOME"
    )]
    NoDataDir,
    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("no transcription model is installed in {dir}. {}", how_to_get_one())]
    NoneInstalled { dir: PathBuf },
    #[error(
        "no model `{name}` in {dir}; installed: {installed}. {}",
        how_to_get_one()
    )]
    NotFound {
        name: String,
        dir: PathBuf,
        installed: String,
    },
    #[error(
        "`{name}` is not an official model; `voicemock models fetch` knows {}",
        official_names()
    )]
    UnknownOfficial { name: String },
    #[error("a model name may hold only letters, digits, `.`, `-` and `_`: `{0}`")]
    BadName(String),
}

/// What every "no model" message ends with.
pub fn how_to_get_one() -> String {
    format!(
        "Get one with `voicemock models fetch {DEFAULT_MODEL}` (about 142 MiB; `tiny.en`, 75 MiB, \
         for a slow machine), or install a whisper.cpp GGML file you have with \
         `voicemock models add FILE`. Everything else works without one."
    )
}

fn official_names() -> String {
    OFFICIAL
        .iter()
        .map(|o| o.name)
        .collect::<Vec<_>>()
        .join(", ")
}

pub fn official(name: &str) -> Result<&'static Official, ModelError> {
    OFFICIAL
        .iter()
        .find(|o| o.name == name)
        .ok_or_else(|| ModelError::UnknownOfficial {
            name: name.to_string(),
        })
}

/// An installed model file.
#[derive(Debug, Clone, PartialEq)]
pub struct Installed {
    pub name: String,
    pub path: PathBuf,
    pub bytes: u64,
}

/// The folder that holds the models: `$XDG_DATA_HOME/voicemock/models` (else
/// `~/.local/share/voicemock/models`) on Linux, the platform's data folder elsewhere.
#[derive(Debug, Clone)]
pub struct ModelStore {
    dir: PathBuf,
}

impl ModelStore {
    pub fn locate() -> Result<ModelStore, ModelError> {
        let data = dirs::data_dir().ok_or(ModelError::NoDataDir)?;
        Ok(ModelStore::at(data.join("voicemock").join("models")))
    }

    pub fn at(dir: PathBuf) -> ModelStore {
        ModelStore { dir }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The file a model of this name is installed as.
    pub fn path_of(&self, name: &str) -> Result<PathBuf, ModelError> {
        check_name(name)?;
        Ok(self.dir.join(format!("ggml-{name}.bin")))
    }

    /// Where a download in progress is kept until it is verified: a hidden name the listing
    /// never shows, kept after an interruption so the next attempt resumes.
    pub fn partial_path_of(&self, name: &str) -> Result<PathBuf, ModelError> {
        check_name(name)?;
        Ok(self.dir.join(format!(".ggml-{name}.bin.part")))
    }

    /// Where `models add` keeps a copy while it is checked, never shown by the listing.
    pub fn adding_path_of(&self, name: &str) -> Result<PathBuf, ModelError> {
        check_name(name)?;
        Ok(self.dir.join(format!(".ggml-{name}.bin.adding")))
    }

    /// Makes the folder, and any missing parent, readable by its owner alone whatever the
    /// umask: another local user who could swap a model could feed whisper.cpp anything.
    pub fn create_dir(&self) -> Result<(), ModelError> {
        let io = |source| ModelError::Io {
            action: "cannot create",
            path: self.dir.clone(),
            source,
        };
        let mut builder = fs::DirBuilder::new();
        builder.recursive(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
            builder.mode(0o700);
            builder.create(&self.dir).map_err(io)?;
            fs::set_permissions(&self.dir, fs::Permissions::from_mode(0o700)).map_err(io)
        }
        #[cfg(not(unix))]
        builder.create(&self.dir).map_err(io)
    }

    /// Installed models by name; an absent folder is an empty list.
    pub fn list(&self) -> Result<Vec<Installed>, ModelError> {
        let entries = match fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(source) => {
                return Err(ModelError::Io {
                    action: "cannot read",
                    path: self.dir.clone(),
                    source,
                })
            }
        };
        let mut out = Vec::new();
        for entry in entries.flatten() {
            let file_name = entry.file_name();
            let Some(name) = file_name
                .to_str()
                .and_then(|f| f.strip_prefix("ggml-"))
                .and_then(|f| f.strip_suffix(".bin"))
            else {
                continue;
            };
            let Ok(meta) = entry.metadata() else { continue };
            if meta.is_file() {
                out.push(Installed {
                    name: name.to_string(),
                    path: entry.path(),
                    bytes: meta.len(),
                });
            }
        }
        out.sort_by(|a, b| a.name.cmp(&b.name));
        Ok(out)
    }

    /// The model to use: `requested` may be a file path or an installed name; with none, the
    /// preferred installed model (base.en, then tiny.en, then small.en, then any).
    pub fn resolve(&self, requested: Option<&str>) -> Result<PathBuf, ModelError> {
        if let Some(r) = requested {
            let as_path = Path::new(r);
            if as_path.is_file() {
                return Ok(as_path.to_path_buf());
            }
        }
        let installed = self.list()?;
        let pick = match requested {
            Some(name) => installed.iter().find(|m| m.name == name),
            None => PREFERENCE
                .iter()
                .find_map(|p| installed.iter().find(|m| m.name == *p))
                .or(installed.first()),
        };
        match (pick, requested) {
            (Some(m), _) => Ok(m.path.clone()),
            (None, Some(name)) => Err(ModelError::NotFound {
                name: name.to_string(),
                dir: self.dir.clone(),
                installed: if installed.is_empty() {
                    "none".into()
                } else {
                    installed
                        .iter()
                        .map(|m| m.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                },
            }),
            (None, None) => Err(ModelError::NoneInstalled {
                dir: self.dir.clone(),
            }),
        }
    }
}

/// Opens a model file for writing (appending with `append`, else from empty) that only its
/// owner can read or write, whatever the umask and whatever it was before.
pub fn open_private(path: &Path, append: bool) -> std::io::Result<fs::File> {
    let mut options = fs::OpenOptions::new();
    options.write(true).create(true);
    if append {
        options.append(true);
    } else {
        options.truncate(true);
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        options.mode(0o600);
        let file = options.open(path)?;
        file.set_permissions(fs::Permissions::from_mode(0o600))?;
        Ok(file)
    }
    #[cfg(not(unix))]
    options.open(path)
}

/// The name a file would be installed under: `ggml-base.en.bin` → `base.en`, `my model.bin`
/// → refused (names become file names and command-line words).
pub fn name_for_file(path: &Path) -> Result<String, ModelError> {
    let stem = path
        .file_name()
        .and_then(|f| f.to_str())
        .unwrap_or_default();
    let stem = stem.strip_suffix(".bin").unwrap_or(stem);
    let stem = stem.strip_prefix("ggml-").unwrap_or(stem);
    check_name(stem)?;
    Ok(stem.to_string())
}

fn check_name(name: &str) -> Result<(), ModelError> {
    let ok = !name.is_empty()
        && !name.starts_with('.')
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_'));
    if ok {
        Ok(())
    } else {
        Err(ModelError::BadName(name.to_string()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_from_files() {
        let cases = [
            ("ggml-base.en.bin", Some("base.en")),
            ("/x/tiny.en.bin", Some("tiny.en")),
            ("ggml-my_model-v2.bin", Some("my_model-v2")),
            ("my model.bin", None),
            (".hidden.bin", None),
            ("ggml-.bin", None),
        ];
        for (file, expected) in cases {
            assert_eq!(
                name_for_file(Path::new(file)).ok().as_deref(),
                expected,
                "{file}"
            );
        }
    }

    #[test]
    fn listing_shows_installed_models_only_and_resolve_prefers_the_default() {
        let scratch = tempfile::tempdir().unwrap();
        // Not made yet: the store makes it.
        let dir = scratch.path().join("models");
        let store = ModelStore::at(dir.clone());
        assert!(store.list().unwrap().is_empty());
        assert!(matches!(
            store.resolve(None),
            Err(ModelError::NoneInstalled { .. })
        ));
        store.create_dir().unwrap();
        for f in [
            "ggml-tiny.en.bin",
            "ggml-base.en.bin",
            ".ggml-small.en.bin.part",
            "notes.txt",
        ] {
            fs::write(dir.join(f), b"x").unwrap();
        }
        let names: Vec<_> = store.list().unwrap().into_iter().map(|m| m.name).collect();
        assert_eq!(names, ["base.en", "tiny.en"]);
        assert_eq!(store.resolve(None).unwrap(), dir.join("ggml-base.en.bin"));
        assert_eq!(
            store.resolve(Some("tiny.en")).unwrap(),
            dir.join("ggml-tiny.en.bin")
        );
        let err = store.resolve(Some("small.en")).unwrap_err().to_string();
        assert!(err.contains("installed: base.en, tiny.en"), "{err}");
        assert!(err.contains("voicemock models fetch"), "{err}");
        fs::remove_file(dir.join("ggml-base.en.bin")).unwrap();
        assert_eq!(store.resolve(None).unwrap(), dir.join("ggml-tiny.en.bin"));
    }

    #[test]
    fn official_models_are_known_by_name() {
        assert_eq!(official("base.en").unwrap().sha1.len(), 40);
        assert!(official("large").is_err());
        assert!(OFFICIAL.iter().any(|o| o.name == DEFAULT_MODEL));
    }
}
