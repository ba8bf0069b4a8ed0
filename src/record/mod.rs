//! The session record: what a session leaves on disk and the one way to read it back.
//!
//! `folder` is the session folder itself (its name, making it private and never reused, the
//! running session's lock, its takes' names, the containment check on every name a log gives,
//! removing it when empty); `format` is `session.json` (format 3) as the log's own types and
//! the names of the files beside it, with `take` (a take as the log keeps it, its facts'
//! types among it) and `sidecars` (the levels and transcript files beside a take) split off
//! and named from `format`; `measures` is the
//! analysis as the log keeps it, `numbers` how the log writes numbers; `facts` works out the
//! figures of a take that every view shows; `v1` reads the first format and upgrades it; `store` writes the log and sidecars
//! (atomically); `reader` lists a recordings folder and loads one session. Nothing else in
//! voicemock opens a `session.json`.

pub mod facts;
pub mod folder;
pub mod format;
mod measures;
mod numbers;
pub mod reader;
mod sidecars;
pub mod store;
mod take;
pub mod trend;
mod v1;

pub use folder::{contained, is_session_folder, SessionFolder, Uncontained};
pub use format::{
    levels_file, transcript_file, Level, LevelsFile, Outcome, Pace, PaceSource, PackRef, PauseLog,
    QuestionLog, ResultPlace, SessionLog, SessionStatus, Settings, TakeEnd, TakeFacts, TakeLog,
    TakeMeasures, TakeStart, TalkingPointLog, TranscriptLog, Verdict, VoiceLog, WordFacts,
    LISTED_AHEAD, LOG_FILE, LOG_VERSION, MAX_LOG_BYTES, NOTES_FILE, PROGRESS_FILE, REPORT_FILE,
    REVIEW_FILE,
};
pub use reader::{
    default_recordings, default_recordings_from, folder_label, list, load, nothing_in, resolve,
    sessions, DamagedTake, Entry, RecordError, Session, Standing, DEFAULT_RECORDINGS, ELSEWHERE,
    RECORDINGS_ENV,
};

#[cfg(test)]
mod tests;
