//! The one reader of session folders: lists a recordings folder and loads one session.
//! Every command that reads a past session comes through here, so that an old format, a
//! damaged file or a crashed session is handled the same way everywhere.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::facts::{judged_pace, usual_pace};
use super::folder::{contained, is_locked, Uncontained};
use super::format::{
    levels_file, LevelsFile, SessionLog, SessionStatus, TakeLog, LEVELS_VERSION, LOG_FILE,
    LOG_VERSION, MAX_LOG_BYTES,
};
use crate::audio::wav_reader::{MAX_RATE, MIN_RATE};
use crate::audio::writer::frames_on_disk;

#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    #[error("{}: not a session folder (it has no {LOG_FILE})", dir.display())]
    NoLog { dir: PathBuf },
    #[error("{}: the session log is damaged ({reason})", path.display())]
    Damaged { path: PathBuf, reason: String },
    #[error(
        "{}: written by a newer voicemock (log format {found}; this one reads formats 1 to \
         {LOG_VERSION}); update voicemock to read it",
        path.display()
    )]
    Newer { path: PathBuf, found: u64 },
    #[error("cannot read {}: {source}", path.display())]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{}; record one with `voicemock run`; {ELSEWHERE}",
        nothing_in("sessions", dir)
    )]
    Empty { dir: PathBuf },
    #[error(
        "no session matches \"{wanted}\" in {}; the latest are: {}; see `voicemock sessions`",
        folder_label(dir), recent.join(", ")
    )]
    NotFound {
        wanted: String,
        dir: PathBuf,
        recent: Vec<String>,
    },
    #[error(
        "\"{wanted}\" matches {} sessions ({}); give more of the name",
        matches.len(), matches.join(", ")
    )]
    Ambiguous {
        wanted: String,
        matches: Vec<String>,
    },
}

/// The recordings folder when neither `--recordings` nor [`RECORDINGS_ENV`] names one.
pub const DEFAULT_RECORDINGS: &str = "recordings";

/// The environment variable that sets the default recordings folder (`--recordings` wins).
pub const RECORDINGS_ENV: &str = "VOICEMOCK_RECORDINGS";

/// What every message about a recordings folder without sessions adds: where else to look.
pub const ELSEWHERE: &str = "if your sessions are in another folder, name it with \
    --recordings DIR (or set VOICEMOCK_RECORDINGS)";

/// The default recordings folder: [`RECORDINGS_ENV`] when it is set (and not empty), else
/// the config file's `recordings`, else [`DEFAULT_RECORDINGS`] in the current folder.
/// `--recordings` overrides it.
pub fn default_recordings() -> PathBuf {
    default_recordings_from().0
}

/// [`default_recordings`] and where it came from. A config file that cannot be read gives
/// nothing here: the commands refuse it before they use the folder.
pub fn default_recordings_from() -> (PathBuf, crate::config::Origin) {
    use crate::config::Origin;
    if let Some(dir) = std::env::var_os(RECORDINGS_ENV).filter(|d| !d.is_empty()) {
        return (PathBuf::from(dir), Origin::Environment);
    }
    match crate::config::current().map(|c| c.recordings.clone()) {
        Ok(Some(dir)) => (dir, Origin::File),
        _ => (PathBuf::from(DEFAULT_RECORDINGS), Origin::Default),
    }
}

/// A recordings folder as messages name it: its absolute path (a relative one means little
/// to someone who changed folder).
pub fn folder_label(dir: &Path) -> String {
    std::path::absolute(dir)
        .unwrap_or_else(|_| dir.to_path_buf())
        .display()
        .to_string()
}

/// "no WHAT in /abs/recordings yet", or why there cannot be: the folder is missing, or is
/// not a folder.
pub fn nothing_in(what: &str, dir: &Path) -> String {
    let label = folder_label(dir);
    match std::fs::metadata(dir) {
        Ok(m) if m.is_dir() => format!("no {what} in {label} yet"),
        Ok(_) => format!("no {what}: {label} is not a folder"),
        Err(_) => format!("no {what}: {label} does not exist"),
    }
}

/// Where a session stands, as a reader can tell it: the log's status, with a log left
/// `in_progress` told apart as still running (its process holds the folder's lock) or
/// crashed (nobody does).
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Completed,
    Quit,
    Interrupted,
    DeviceError,
    Running,
    Crashed,
}

impl Standing {
    pub fn label(self) -> &'static str {
        match self {
            Standing::Completed => "completed",
            Standing::Quit => "quit",
            Standing::Interrupted => "interrupted",
            Standing::DeviceError => "device error",
            Standing::Running => "running",
            Standing::Crashed => "crashed",
        }
    }
}

/// A session loaded from its folder.
#[derive(Debug, Clone)]
pub struct Session {
    pub dir: PathBuf,
    pub log: SessionLog,
    pub standing: Standing,
    /// Takes whose files cannot be used (see [`contained`]), in log order: shown as damaged,
    /// and never read, played, linked or written beside.
    pub damaged: Vec<DamagedTake>,
}

/// A take whose file (or a sidecar of it) the log names is not a file of the session folder.
#[derive(Debug, Clone, PartialEq)]
pub struct DamagedTake {
    /// The question's index in the log, from 0.
    pub question: usize,
    pub take: u32,
    pub file: String,
    pub reason: String,
}

impl std::fmt::Display for DamagedTake {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "question {} take {} is damaged: \"{}\" {}; it is left alone",
            self.question + 1,
            self.take,
            self.file,
            self.reason
        )
    }
}

/// Every reason a take's files cannot be used: its WAV, its levels sidecar and its
/// transcript sidecar are each checked.
fn take_problem(dir: &Path, take: &TakeLog) -> Option<String> {
    let mut names = vec![take.file.clone()];
    if contained(dir, &take.file).is_ok() {
        names.push(levels_file(&take.file));
    }
    if let Some(t) = &take.transcript {
        names.push(t.file.clone());
    }
    names.iter().find_map(|name| {
        contained(dir, name).err().map(|e| {
            if *name == take.file {
                e.reason
            } else {
                format!("has a sidecar \"{name}\" that {}", e.reason)
            }
        })
    })
}

impl Session {
    /// The folder's name, which is the session's id unless the folder was renamed.
    pub fn name(&self) -> String {
        folder_name(&self.dir)
    }

    /// Where a file the log names lies, if it passes the containment check now (it is
    /// checked again at each use: the folder may have changed since it was loaded).
    pub fn take_path(&self, file: &str) -> Result<PathBuf, Uncontained> {
        if let Some(d) = self.damaged.iter().find(|d| d.file == file) {
            return Err(Uncontained {
                dir: self.dir.clone(),
                file: file.to_string(),
                reason: d.reason.clone(),
            });
        }
        contained(&self.dir, file)
    }

    /// Why `take` is damaged, if it is.
    pub fn damage(&self, take: &TakeLog) -> Option<&DamagedTake> {
        self.damaged.iter().find(|d| d.file == take.file)
    }

    /// The level envelope kept beside `take`'s WAV; `None` when the take has none (sessions
    /// recorded before sidecars existed) or it cannot be read, so the caller measures the WAV.
    pub fn levels(&self, take: &TakeLog) -> Option<LevelsFile> {
        self.take_path(&take.file).ok()?;
        let path = contained(&self.dir, &levels_file(&take.file)).ok()?;
        let bytes = crate::files::read_regular(&path, MAX_LOG_BYTES).ok()?;
        let levels: LevelsFile = serde_json::from_slice(&bytes).ok()?;
        (levels.version == LEVELS_VERSION && levels.step_s > 0.0).then_some(levels)
    }
}

/// One folder of a listing: a session, or why it could not be read.
#[derive(Debug)]
pub struct Entry {
    pub dir: PathBuf,
    pub result: Result<Session, RecordError>,
}

impl Entry {
    pub fn name(&self) -> String {
        folder_name(&self.dir)
    }
}

fn folder_name(dir: &Path) -> String {
    dir.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| dir.display().to_string())
}

/// Every session folder in `recordings`, newest first. Folders without a log are not
/// sessions and are left out; a session that cannot be read is listed with its error. A
/// missing recordings folder is an empty listing.
pub fn list(recordings: &Path) -> Vec<Entry> {
    let Ok(read) = std::fs::read_dir(recordings) else {
        return Vec::new();
    };
    let mut entries: Vec<(i64, Entry)> = read
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .map(|e| e.path())
        // `symlink_metadata`: a log that is a link, a FIFO or a device is listed (as
        // damaged), never followed or waited on.
        .filter(|dir| super::is_session_folder(dir))
        .map(|dir| {
            let result = load_unfilled(&dir);
            let key = match &result {
                Ok(s) => started_millis(&s.log.started_at),
                Err(_) => None,
            }
            .unwrap_or_else(|| modified_millis(&dir));
            (key, Entry { dir, result })
        })
        .collect();
    entries.sort_by(|(a, ea), (b, eb)| b.cmp(a).then_with(|| eb.dir.cmp(&ea.dir)));
    // Oldest first, each session's missing facts are worked out against the paces of the
    // sessions before it: the same usual pace `load` finds for it alone.
    let mut earlier: Vec<(Option<i64>, Vec<f64>)> = Vec::new();
    for (_, entry) in entries.iter_mut().rev() {
        let Ok(session) = &mut entry.result else {
            continue;
        };
        let started = started_millis(&session.log.started_at);
        if session.log.lacks_facts() {
            let paces: Vec<f64> = earlier
                .iter()
                .filter(|(at, _)| is_before(*at, started))
                .flat_map(|(_, p)| p.iter().copied())
                .collect();
            session.log.fill_facts(usual_pace(&paces));
        }
        earlier.push((started, judged_paces(&session.log)));
    }
    entries.into_iter().map(|(_, e)| e).collect()
}

/// Whether a session started at `a` was recorded before one started at `b`.
fn is_before(a: Option<i64>, b: Option<i64>) -> bool {
    matches!((a, b), (Some(a), Some(b)) if a < b)
}

fn judged_paces(log: &SessionLog) -> Vec<f64> {
    log.takes().filter_map(|(_, t)| judged_pace(t)).collect()
}

/// The sessions in `recordings` that load, newest first; damaged ones are skipped.
pub fn sessions(recordings: &Path) -> impl Iterator<Item = Session> {
    list(recordings).into_iter().filter_map(|e| e.result.ok())
}

fn started_millis(stamp: &str) -> Option<i64> {
    chrono::DateTime::parse_from_rfc3339(stamp)
        .ok()
        .map(|t| t.timestamp_millis())
}

fn modified_millis(dir: &Path) -> i64 {
    std::fs::metadata(dir)
        .and_then(|m| m.modified())
        .ok()
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_millis() as i64)
}

/// Loads the session in `dir`: reads its log (any format this voicemock knows, upgraded to
/// the current one), tells a running session from a crashed one, and gives a crashed take
/// the duration its WAV holds.
pub fn load(dir: &Path) -> Result<Session, RecordError> {
    let mut session = load_unfilled(dir)?;
    if session.log.lacks_facts() {
        let usual = dir
            .parent()
            .and_then(|recordings| usual_wpm_before(recordings, &session.log.started_at));
        session.log.fill_facts(usual);
    }
    Ok(session)
}

/// [`load`] without working out missing facts.
fn load_unfilled(dir: &Path) -> Result<Session, RecordError> {
    let mut log = read_log(dir)?;
    let standing = match log.status {
        SessionStatus::Completed => Standing::Completed,
        SessionStatus::Quit => Standing::Quit,
        SessionStatus::Interrupted => Standing::Interrupted,
        SessionStatus::DeviceError => Standing::DeviceError,
        SessionStatus::InProgress if is_locked(dir) => Standing::Running,
        SessionStatus::InProgress => Standing::Crashed,
    };
    let mut damaged = Vec::new();
    for (qi, q) in log.questions.iter_mut().enumerate() {
        for t in &mut q.takes {
            if let Some(reason) = take_problem(dir, t) {
                damaged.push(DamagedTake {
                    question: qi,
                    take: t.take,
                    file: t.file.clone(),
                    reason,
                });
                continue;
            }
            if standing == Standing::Crashed && t.ended_by.is_none() {
                match frames_on_disk(&dir.join(&t.file)) {
                    // A rate no recording has is a header the crash (or someone) damaged.
                    Some((rate, frames)) if (MIN_RATE..=MAX_RATE).contains(&rate) => {
                        t.sample_rate = rate;
                        t.duration_s = frames as f64 / f64::from(rate);
                    }
                    Some((rate, _)) => damaged.push(DamagedTake {
                        question: qi,
                        take: t.take,
                        file: t.file.clone(),
                        reason: format!(
                            "was cut off by a crash and its header gives {rate} samples a second"
                        ),
                    }),
                    None => {}
                }
            }
        }
    }
    Ok(Session {
        dir: dir.to_path_buf(),
        log,
        standing,
        damaged,
    })
}

/// Reads and upgrades `dir/session.json`.
pub fn read_log(dir: &Path) -> Result<SessionLog, RecordError> {
    let path = dir.join(LOG_FILE);
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(m) => m,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(RecordError::NoLog {
                dir: dir.to_path_buf(),
            })
        }
        Err(source) => return Err(RecordError::Io { path, source }),
    };
    let damaged = |reason: String| RecordError::Damaged {
        path: path.clone(),
        reason,
    };
    if !meta.is_file() {
        return Err(damaged("it is not a regular file".into()));
    }
    if meta.len() > MAX_LOG_BYTES {
        return Err(damaged(format!(
            "{} bytes is too large for a log",
            meta.len()
        )));
    }
    let mut text = String::new();
    crate::files::open_regular(&path)
        .map_err(crate::files::OpenError::into_io)
        .and_then(|f| f.take(MAX_LOG_BYTES).read_to_string(&mut text))
        .map_err(|source| match source.kind() {
            std::io::ErrorKind::InvalidData => damaged("it is not text".into()),
            _ => RecordError::Io {
                path: path.clone(),
                source,
            },
        })?;
    parse_log(&text).map_err(|e| match e {
        ParseError::Newer(found) => RecordError::Newer {
            path: path.clone(),
            found,
        },
        ParseError::Invalid(reason) => damaged(reason),
    })
}

enum ParseError {
    Newer(u64),
    Invalid(String),
}

/// Parses a log of any known format into the current one.
fn parse_log(text: &str) -> Result<SessionLog, ParseError> {
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|e| ParseError::Invalid(e.to_string()))?;
    let version = value
        .get("version")
        .and_then(serde_json::Value::as_u64)
        .ok_or_else(|| ParseError::Invalid("it has no format version".into()))?;
    let invalid = |e: serde_json::Error| ParseError::Invalid(e.to_string());
    if version <= u64::from(LOG_VERSION) {
        out_of_range(&value, &mut String::new()).map_or(Ok(()), |e| Err(ParseError::Invalid(e)))?;
    }
    match version {
        1 => serde_json::from_value::<super::v1::V1Log>(value)
            .map(super::v1::V1Log::upgrade)
            .map_err(invalid),
        2 | 3 => {
            let mut value = value;
            if version == 2 {
                upgrade_checklists(&mut value);
            } else {
                fill_unreached(&mut value);
            }
            let mut log = serde_json::from_value::<SessionLog>(value).map_err(invalid)?;
            check_checklist_places(&log)?;
            match log.planned_questions {
                Some(planned) if planned < log.questions.len() => {
                    return Err(ParseError::Invalid(format!(
                        "planned_questions: {planned} is fewer than the {} questions it lists",
                        log.questions.len()
                    )))
                }
                // As the writer puts it: a log that lists its whole plan gives no count.
                Some(planned) if planned == log.questions.len() => log.planned_questions = None,
                _ => {}
            }
            // Format 2 reads as it is (every planned question in full) and is written as 3.
            log.version = LOG_VERSION;
            Ok(log)
        }
        v if v > u64::from(LOG_VERSION) => Err(ParseError::Newer(v)),
        v => Err(ParseError::Invalid(format!("unknown format version {v}"))),
    }
}

/// Format 2 logs written before the checklist was kept once held each question's points as
/// text (`checklist`); those become places in the session's checklist (`checklist_points`),
/// a point the session's checklist lacks added to it.
fn upgrade_checklists(value: &mut serde_json::Value) {
    use serde_json::Value;
    let Some(log) = value.as_object_mut() else {
        return;
    };
    let mut checklist: Vec<Value> = match log.get("checklist") {
        Some(Value::Array(points)) => points.clone(),
        _ => return,
    };
    let Some(Value::Array(questions)) = log.get_mut("questions") else {
        return;
    };
    let mut grew = false;
    for q in questions.iter_mut().filter_map(Value::as_object_mut) {
        let Some(Value::Array(points)) = q.remove("checklist") else {
            continue;
        };
        let places: Vec<Value> = points
            .into_iter()
            .map(|p| {
                let at = checklist.iter().position(|c| *c == p).unwrap_or_else(|| {
                    checklist.push(p);
                    grew = true;
                    checklist.len() - 1
                });
                Value::from(at)
            })
            .collect();
        q.insert("checklist_points".into(), Value::Array(places));
    }
    if grew {
        log.insert("checklist".into(), Value::Array(checklist));
    }
}

/// A format 3 log writes a question not reached briefly (id, category, planned time, the
/// question it follows up): it reads with no text, limits, readings or takes.
fn fill_unreached(value: &mut serde_json::Value) {
    use serde_json::Value;
    let Some(Value::Array(questions)) = value.get_mut("questions") else {
        return;
    };
    for q in questions.iter_mut().filter_map(Value::as_object_mut) {
        if q.get("outcome").and_then(Value::as_str) != Some("not_reached") {
            continue;
        }
        for (key, empty) in [
            ("text", Value::from("")),
            ("limit_s", Value::from(0.0)),
            ("min_s", Value::from(0.0)),
            ("think_s", Value::from(0.0)),
            ("think_used_s", Value::from(0.0)),
            ("spoken", Value::from(false)),
            ("takes", Value::Array(Vec::new())),
        ] {
            q.entry(key).or_insert(empty);
        }
    }
}

/// Every question's checklist places lie inside the session's checklist.
fn check_checklist_places(log: &SessionLog) -> Result<(), ParseError> {
    for (n, q) in log.questions.iter().enumerate() {
        if let Some(bad) = q
            .checklist
            .iter()
            .flatten()
            .find(|&&i| i >= log.checklist.len())
        {
            return Err(ParseError::Invalid(format!(
                "question {} ({}): checklist point {bad} is not in the session's checklist of {}",
                n + 1,
                q.id,
                log.checklist.len()
            )));
        }
    }
    Ok(())
}

/// The first number in `value` the log format cannot hold (one beyond
/// [`super::format::MAX_MAGNITUDE`], which writing it back would not keep), named by its place
/// in the log (`questions[0].takes[1].duration_s`).
fn out_of_range(value: &serde_json::Value, at: &mut String) -> Option<String> {
    use serde_json::Value;
    match value {
        Value::Number(n) if n.is_f64() => {
            let v = n.as_f64().unwrap_or(f64::INFINITY);
            (!v.is_finite() || v.abs() > super::format::MAX_MAGNITUDE).then(|| {
                format!(
                    "{at}: {v:e} is out of range (a log's numbers are at most {:e} in size)",
                    super::format::MAX_MAGNITUDE
                )
            })
        }
        Value::Array(items) => items.iter().enumerate().find_map(|(i, item)| {
            let len = at.len();
            at.push_str(&format!("[{i}]"));
            let found = out_of_range(item, at);
            at.truncate(len);
            found
        }),
        Value::Object(fields) => fields.iter().find_map(|(key, item)| {
            let len = at.len();
            if !at.is_empty() {
                at.push('.');
            }
            at.push_str(key);
            let found = out_of_range(item, at);
            at.truncate(len);
            found
        }),
        _ => None,
    }
}

/// Finds a session: `None` or "latest" is the newest readable one; otherwise a path to a
/// session folder, a folder name in `recordings`, or a unique prefix of one.
pub fn resolve(recordings: &Path, wanted: Option<&str>) -> Result<Session, RecordError> {
    let wanted = wanted.unwrap_or("latest");
    if wanted == "latest" {
        return sessions(recordings)
            .next()
            .ok_or_else(|| RecordError::Empty {
                dir: recordings.to_path_buf(),
            });
    }
    let as_path = Path::new(wanted);
    if super::is_session_folder(as_path) {
        return load(as_path);
    }
    let exact = recordings.join(wanted);
    if !wanted.contains(['/', '\\']) && super::is_session_folder(&exact) {
        return load(&exact);
    }
    let listing = list(recordings);
    let matches: Vec<&Entry> = listing
        .iter()
        .filter(|e| e.name().starts_with(wanted))
        .collect();
    match matches.as_slice() {
        [one] => load(&one.dir),
        [] => Err(RecordError::NotFound {
            wanted: wanted.to_string(),
            dir: recordings.to_path_buf(),
            recent: listing.iter().take(3).map(Entry::name).collect(),
        }),
        many => Err(RecordError::Ambiguous {
            wanted: wanted.to_string(),
            matches: many.iter().map(|e| e.name()).collect(),
        }),
    }
}

/// The speaker's usual pace for a session started at `started_at`: the usual pace (see
/// `facts::usual_pace`) over the judged paces of the sessions in `recordings` recorded before
/// it, never after, so a session's remarks read the same however many sessions follow it.
pub fn usual_wpm_before(recordings: &Path, started_at: &str) -> Option<f64> {
    let started = started_millis(started_at);
    let Ok(read) = std::fs::read_dir(recordings) else {
        return None;
    };
    let paces: Vec<f64> = read
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_ok_and(|t| t.is_dir()))
        .filter_map(|e| read_log(&e.path()).ok())
        .filter(|log| is_before(started_millis(&log.started_at), started))
        .flat_map(|log| judged_paces(&log))
        .collect();
    usual_pace(&paces)
}
