//! Question packs: the TOML format (documented in `content/README.md`), finding and loading a
//! pack, and choosing which of its questions to ask. Owns no devices, no terminal and no clock:
//! it turns text into a checked [`Pack`], or into an error that names file, line, column and
//! field.

mod parse;
pub mod starter;

use std::path::{Path, PathBuf};

pub use parse::{parse, parse_bytes, MAX_ID_LEN, MAX_SECONDS, MIN_ANSWER_S};

/// The `format = N` value this version of voicemock reads.
pub const FORMAT_VERSION: u32 = 1;

/// The pack `voicemock run` uses when none is named.
pub const DEFAULT_PACK: &str = "netflix-pm";

/// Where packs given by name are looked for, relative to the current directory.
pub const CONTENT_DIR: &str = "content";

/// What `Pack::origin` says for a pack compiled into the binary.
pub const BUILT_IN: &str = "built-in";

/// Packs compiled into the binary, so `voicemock run` works from any folder:
/// (name, the file it was compiled from, its text).
const BUILT_INS: &[(&str, &str, &str)] = &[
    (
        "netflix-pm",
        "content/netflix-pm.toml",
        include_str!("../../content/netflix-pm.toml"),
    ),
    (
        "behavioural",
        "content/behavioural.toml",
        include_str!("../../content/behavioural.toml"),
    ),
    (
        "pm-product-sense",
        "content/pm-product-sense.toml",
        include_str!("../../content/pm-product-sense.toml"),
    ),
];

/// The JSON Schema of the pack format, for editors (`#:schema ./pack.schema.json` at the top of
/// a pack); `packs new` writes it next to a new pack.
pub const SCHEMA: &str = include_str!("../../content/pack.schema.json");

/// The file name the schema is written under, next to the packs that name it.
pub const SCHEMA_FILE: &str = "pack.schema.json";

/// Timings used where a pack's `[defaults]` table leaves one out.
pub const DEFAULT_TIMING: Timing = Timing {
    think_s: 20.0,
    answer_s: 120.0,
    min_s: 60.0,
    warn_s: 30.0,
};

#[derive(Debug, Clone)]
pub struct Pack {
    /// How the pack is chosen with `--pack`: a built-in name, or the file stem.
    pub name: String,
    pub title: String,
    pub description: String,
    /// "built-in" or the file path, for messages.
    pub origin: String,
    pub defaults: Timing,
    /// Points to check when listening back to an answer.
    pub checklist: Vec<ChecklistPoint>,
    /// In file order.
    pub questions: Vec<Question>,
    /// SHA-256 of the pack's text (hex), recorded with each session that uses it.
    pub sha256: String,
}

/// The lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Timing {
    /// Think time before recording; 0 starts recording at once.
    pub think_s: f64,
    /// The answer limit (red light; recording stops).
    pub answer_s: f64,
    /// Minimum useful length (green light).
    pub min_s: f64,
    /// Yellow light when this many seconds remain; 0 < warn_s < answer_s.
    pub warn_s: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub id: String,
    pub category: String,
    pub text: String,
    /// The pack defaults with the question's own overrides applied.
    pub timing: Timing,
    /// Timing lights set by the pack (`lights = [green, yellow, red]`); without them the
    /// lights follow `timing` (green at `min_s`, yellow `warn_s` before the limit, red at it).
    pub lights: Option<Lights>,
    /// What a strong answer covers.
    pub notes: Vec<String>,
    /// Probes asked right after this question's answer (`run --follow-ups`, `rehearse`).
    pub follow_ups: Vec<FollowUp>,
    /// Points a transcript is checked against; empty when the pack gives none.
    pub talking_points: Vec<TalkingPoint>,
}

/// A question asked right after its parent's answer, with a shorter limit of its own.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowUp {
    pub id: String,
    pub text: String,
    pub timing: Timing,
    pub notes: Vec<String>,
}

/// When the timing lights change, in seconds into an answer.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Lights {
    pub green_s: f64,
    pub yellow_s: f64,
    pub red_s: f64,
}

impl Lights {
    /// The lights a question's times imply.
    pub fn from_timing(t: &Timing) -> Lights {
        Lights {
            green_s: t.min_s,
            yellow_s: t.answer_s - t.warn_s,
            red_s: t.answer_s,
        }
    }

    /// The same lights for a limit scaled from `from_limit_s` to `to_limit_s`.
    pub fn scaled(self, from_limit_s: f64, to_limit_s: f64) -> Lights {
        let k = to_limit_s / from_limit_s.max(1e-9);
        Lights {
            green_s: self.green_s * k,
            yellow_s: self.yellow_s * k,
            red_s: self.red_s * k,
        }
    }
}

/// A point a strong answer makes, and the words that count as making it: an answer covers the
/// point when it says any of them (matching is in `transcribe::measures::coverage`).
#[derive(Debug, Clone, PartialEq)]
pub struct TalkingPoint {
    pub point: String,
    pub words: Vec<String>,
}

/// A point of the self-review checklist, and the categories of question it fits (any question
/// when there are none).
#[derive(Debug, Clone, PartialEq)]
pub struct ChecklistPoint {
    pub text: String,
    pub categories: Vec<String>,
}

impl ChecklistPoint {
    /// Whether the point applies to an answer to a question of `category` (case aside, as
    /// `--category` matches).
    pub fn fits(&self, category: &str) -> bool {
        self.categories.is_empty()
            || self
                .categories
                .iter()
                .any(|c| c.eq_ignore_ascii_case(category))
    }
}

impl Pack {
    /// The checklist points that fit a question of `category`, in the pack's order.
    pub fn checklist_for(&self, category: &str) -> Vec<String> {
        self.checklist
            .iter()
            .filter(|p| p.fits(category))
            .map(|p| p.text.clone())
            .collect()
    }

    /// [`Pack::checklist_for`] as places in the checklist, as a session log keeps them; `None`
    /// when every point fits (which a log reads as the whole checklist).
    pub fn checklist_places_for(&self, category: &str) -> Option<Vec<usize>> {
        let places: Vec<usize> = self
            .checklist
            .iter()
            .enumerate()
            .filter(|(_, p)| p.fits(category))
            .map(|(i, _)| i)
            .collect();
        (places.len() < self.checklist.len()).then_some(places)
    }
}

/// One row of `voicemock packs`: a pack that may have failed to load.
#[derive(Debug)]
pub struct PackListing {
    pub name: String,
    pub origin: String,
    pub result: Result<Pack, PackError>,
}

#[derive(Debug, thiserror::Error)]
pub enum PackError {
    /// Displays without its cause, which follows in the error chain.
    #[error("cannot read pack {}", path.display())]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A pack that does not parse or does not pass the checks. `field` is empty for TOML
    /// syntax errors, which then read "{file}:{line}:{column}: {message}".
    #[error("{}", render_invalid(file, *line, *column, field, message))]
    Invalid {
        file: String,
        line: usize,
        column: usize,
        field: String,
        message: String,
    },
    #[error("{}", render_not_found(name, available))]
    NotFound {
        name: String,
        available: Vec<String>,
    },
    /// From [`Pack::select`]: an unknown id or category, or nothing left to ask.
    #[error("{0}")]
    Selection(String),
}

fn render_invalid(file: &str, line: usize, column: usize, field: &str, message: &str) -> String {
    if field.is_empty() {
        format!("{file}:{line}:{column}: {message}")
    } else {
        format!("{file}:{line}:{column}: field `{field}`: {message}")
    }
}

fn render_not_found(name: &str, available: &[String]) -> String {
    let looks_like_path = name.contains(['/', '\\']) || name.ends_with(".toml");
    let what = if looks_like_path {
        format!("no pack file `{name}`: there is no such file")
    } else {
        format!(
            "no pack named `{name}`: it is not a built-in pack, not a file, and there is no \
             {CONTENT_DIR}/{name}.toml here"
        )
    };
    format!(
        "{what}; available packs: {} (see `voicemock packs`)",
        available.join(", ")
    )
}

/// Which questions to ask, and in what order. The caller resolves the seed (and logs it).
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub categories: Vec<String>,
    pub ids: Vec<String>,
    pub count: Option<usize>,
    pub shuffle: bool,
    pub seed: u64,
}

/// Load a pack. `None` is the built-in default. A name is tried as a built-in pack, then as
/// a path to an existing file, then as `content/<name>.toml` under the current directory.
pub fn load(spec: Option<&str>) -> Result<Pack, PackError> {
    load_from(spec, Path::new(CONTENT_DIR))
}

/// [`load`] with the content folder given, so tests need not change directory.
pub fn load_from(spec: Option<&str>, content_dir: &Path) -> Result<Pack, PackError> {
    let name = spec.unwrap_or(DEFAULT_PACK);
    if let Some(pack) = built_in(name) {
        return pack;
    }
    let as_path = Path::new(name);
    // A folder of that name is read too, so the error says it is a folder.
    if as_path.exists() {
        return load_file(as_path);
    }
    let in_content = content_dir.join(format!("{name}.toml"));
    if !name.contains(['/', '\\']) && in_content.is_file() {
        return load_file(&in_content);
    }
    Err(PackError::NotFound {
        name: name.to_string(),
        available: available_in(content_dir)
            .into_iter()
            .map(|listing| listing.name)
            .collect(),
    })
}

/// Largest pack file read: far beyond any real pack (the built-in one is a few kilobytes), small
/// enough that a wrong path (`/dev/zero`, a disk image) is refused at once.
pub const MAX_PACK_BYTES: u64 = 4 * 1024 * 1024;

/// Read and check one pack file; its name is the file stem. Only a regular file is read (a
/// FIFO would block for ever, a device never end), and only up to [`MAX_PACK_BYTES`].
pub fn load_file(path: &Path) -> Result<Pack, PackError> {
    let bytes = read_bounded(path).map_err(|source| PackError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse::parse_bytes(&bytes, &path.display().to_string())
}

fn read_bounded(path: &Path) -> std::io::Result<Vec<u8>> {
    use std::io::Read;
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Opening a FIFO for reading waits for a writer unless asked not to.
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(std::io::Error::other("it is a folder, not a pack file"));
    }
    if !meta.is_file() {
        return Err(std::io::Error::other(
            "it is not a regular file (a device, a pipe or a socket); give the path of a .toml file",
        ));
    }
    if meta.len() > MAX_PACK_BYTES {
        return Err(std::io::Error::other(format!(
            "it is {} bytes; a pack may have at most {MAX_PACK_BYTES}",
            meta.len()
        )));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // Bounded again while reading: the file may grow after it was measured.
    file.take(MAX_PACK_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_PACK_BYTES {
        return Err(std::io::Error::other(format!(
            "it grew past {MAX_PACK_BYTES} bytes while being read"
        )));
    }
    Ok(bytes)
}

/// The names of the packs compiled into the binary.
pub fn built_in_names() -> Vec<&'static str> {
    BUILT_INS.iter().map(|(name, _, _)| *name).collect()
}

fn built_in(name: &str) -> Option<Result<Pack, PackError>> {
    BUILT_INS
        .iter()
        .find(|(builtin, _, _)| *builtin == name)
        .map(|(name, file, text)| parse::parse_as(text, file, BUILT_IN, name))
}

/// Every pack `--pack NAME` can reach: built-ins, then `content/*.toml` sorted by file name.
/// A pack that fails to load is listed with its error.
pub fn available() -> Vec<PackListing> {
    available_in(Path::new(CONTENT_DIR))
}

/// [`available`] with the content folder given.
pub fn available_in(content_dir: &Path) -> Vec<PackListing> {
    let mut listings: Vec<PackListing> = BUILT_INS
        .iter()
        .map(|(name, file, text)| PackListing {
            name: name.to_string(),
            origin: BUILT_IN.to_string(),
            result: parse::parse_as(text, file, BUILT_IN, name),
        })
        .collect();
    let mut files: Vec<PathBuf> = match std::fs::read_dir(content_dir) {
        Ok(entries) => entries
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|path| {
                path.extension()
                    .is_some_and(|ext| ext.eq_ignore_ascii_case("toml"))
                    && path.is_file()
            })
            .collect(),
        // No content folder is the usual case outside the source tree.
        Err(_) => Vec::new(),
    };
    files.sort();
    listings.extend(files.into_iter().map(|path| PackListing {
        name: file_stem(&path.display().to_string()),
        origin: path.display().to_string(),
        result: load_file(&path),
    }));
    listings
}

/// The pack name a file path gives: its stem.
fn file_stem(origin: &str) -> String {
    Path::new(origin)
        .file_stem()
        .map_or_else(|| origin.to_string(), |s| s.to_string_lossy().into_owned())
}

impl Pack {
    /// Ids given => those questions in the given order (an unknown id is an error listing the
    /// valid ones). Categories filter, case-insensitively (an unknown category is an error
    /// listing the valid ones; so is an id outside the chosen categories). Then the order is
    /// shuffled with the seed if asked, and cut to `count`. An empty result is an error.
    pub fn select(&self, sel: &Selection) -> Result<Vec<Question>, PackError> {
        let categories = self.categories();
        let mut wanted_categories = Vec::new();
        for asked in &sel.categories {
            match categories
                .iter()
                .find(|c| c.eq_ignore_ascii_case(asked.trim()))
            {
                Some(c) => wanted_categories.push(c.as_str()),
                None => {
                    return Err(PackError::Selection(format!(
                        "no category `{asked}` in pack {}{}; its categories are: {}",
                        self.name,
                        crate::suggest::did_you_mean(asked, categories.iter().map(String::as_str)),
                        categories.join(", ")
                    )))
                }
            }
        }
        let in_categories = |q: &Question| {
            wanted_categories.is_empty() || wanted_categories.contains(&q.category.as_str())
        };

        let mut chosen: Vec<Question> = if sel.ids.is_empty() {
            self.questions
                .iter()
                .filter(|q| in_categories(q))
                .cloned()
                .collect()
        } else {
            let mut chosen = Vec::with_capacity(sel.ids.len());
            for id in &sel.ids {
                let question = self
                    .questions
                    .iter()
                    .find(|q| q.id.eq_ignore_ascii_case(id.trim()))
                    .ok_or_else(|| {
                        PackError::Selection(format!(
                            "no question `{id}` in pack {}{}; its question ids are: {}",
                            self.name,
                            crate::suggest::did_you_mean(id, self.ids()),
                            self.ids().join(", ")
                        ))
                    })?;
                if !in_categories(question) {
                    return Err(PackError::Selection(format!(
                        "question `{}` is in category `{}`, which is not among the chosen \
                         categories ({}); drop --category or pick it too",
                        question.id,
                        question.category,
                        wanted_categories.join(", ")
                    )));
                }
                chosen.push(question.clone());
            }
            chosen
        };

        if sel.shuffle {
            fastrand::Rng::with_seed(sel.seed).shuffle(&mut chosen);
        }
        if let Some(count) = sel.count {
            if count == 0 {
                return Err(PackError::Selection(
                    "a count of 0 asks no questions; give at least 1".to_string(),
                ));
            }
            chosen.truncate(count);
        }
        if chosen.is_empty() {
            return Err(PackError::Selection(format!(
                "no questions in pack {} match that selection",
                self.name
            )));
        }
        Ok(chosen)
    }

    /// Distinct categories, in order of first appearance.
    pub fn categories(&self) -> Vec<String> {
        let mut seen = std::collections::HashSet::new();
        self.questions
            .iter()
            .filter(|q| seen.insert(q.category.as_str()))
            .map(|q| q.category.clone())
            .collect()
    }

    /// Question ids, in file order.
    pub fn ids(&self) -> Vec<&str> {
        self.questions.iter().map(|q| q.id.as_str()).collect()
    }

    pub fn question(&self, id: &str) -> Option<&Question> {
        self.questions.iter().find(|q| q.id == id)
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod shipped_tests;
