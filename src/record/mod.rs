//! The session record: what a session leaves on disk and the one way to read it back.
//!
//! `format` is `session.json` (format 3) as types, `facts` the figures of a take that every
//! view shows (worked out once), with the names of the files beside it
//! (a take's WAV and its levels sidecar, the review sheet and pages); `v1` reads the first format and upgrades
//! it; `store` writes folders and logs (atomically, privately, never reusing a name) and
//! holds the running session's lock; `reader` lists a recordings folder and loads one
//! session. Nothing else in voicemock opens a `session.json`.

pub mod facts;
pub mod format;
pub mod reader;
pub mod store;
pub mod trend;
mod v1;

pub use facts::{Pace, PaceSource, TakeFacts, Verdict, WordFacts};
pub use format::{
    levels_file, transcript_file, Level, LevelsFile, Outcome, PackRef, QuestionLog, ResultPlace,
    SessionLog, SessionStatus, Settings, TakeEnd, TakeLog, TakeStart, TalkingPointLog,
    TranscriptLog, LISTED_AHEAD, LOG_FILE, LOG_VERSION, MAX_LOG_BYTES, NOTES_FILE, PROGRESS_FILE,
    REPORT_FILE, REVIEW_FILE,
};
pub use reader::{
    contained, default_recordings, default_recordings_from, folder_label, list, load, nothing_in,
    resolve, sessions, DamagedTake, Entry, RecordError, Session, Standing, Uncontained,
    DEFAULT_RECORDINGS, ELSEWHERE, RECORDINGS_ENV,
};

#[cfg(test)]
mod tests;
