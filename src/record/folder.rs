//! The session folder as a whole: its name, its making (private, never reused, locked for as
//! long as its session runs), the names of the takes in it, the one test of "is this a
//! session folder", and its removal when a session kept nothing. What goes into its files is
//! `format`'s and `store`'s; nothing outside `record` makes, names or removes a session folder.

use std::path::{Path, PathBuf};

use super::format::{LOG_FILE, NOTES_FILE, REVIEW_FILE};
use super::store::{create_unique_dir, SessionLock};

/// True if `dir` is a session folder: it has a log. The log is looked at, never followed or
/// opened (`symlink_metadata`), so a log that is a link, a FIFO or a device still marks a
/// session (read later as damaged) and is never waited on.
pub fn is_session_folder(dir: &Path) -> bool {
    std::fs::symlink_metadata(dir.join(LOG_FILE)).is_ok()
}

/// A session's folder, made for a session about to start and held (locked) while it runs.
#[derive(Debug)]
pub struct SessionFolder {
    dir: PathBuf,
    lock: SessionLock,
    /// The recordings folder did not exist before this session made it.
    made_recordings: bool,
}

impl SessionFolder {
    /// Makes a new folder in `recordings` (and `recordings` itself, if need be), named for now
    /// and the pack, with `-2`, `-3`… on a clash, and locks it.
    pub fn create(recordings: &Path, pack: &str) -> std::io::Result<SessionFolder> {
        let made_recordings = recordings.symlink_metadata().is_err();
        let dir = create_unique_dir(recordings, &session_stem(pack))?;
        let lock = SessionLock::acquire(&dir)?;
        Ok(SessionFolder {
            dir,
            lock,
            made_recordings,
        })
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The session's id: its folder's name.
    pub fn id(&self) -> String {
        self.dir
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default()
    }

    /// The session is over and its log says so: the folder stays, unlocked.
    pub fn keep(self) {
        self.lock.release();
    }

    /// Removes a folder that holds no recording: the files voicemock wrote there, then the
    /// folder, then the recordings folder if this session made it and it is empty. Anything
    /// else found in them (there should be nothing) is left, and so is its folder.
    pub fn remove_empty(self) {
        for file in [LOG_FILE, REVIEW_FILE, NOTES_FILE] {
            let _ = std::fs::remove_file(self.dir.join(file));
        }
        self.lock.release();
        let _ = std::fs::remove_dir(&self.dir);
        if self.made_recordings {
            if let Some(recordings) = self.dir.parent() {
                let _ = std::fs::remove_dir(recordings);
            }
        }
    }
}

/// The name of take `take` (from 1) of question `q` (from 0) whose id is `question_id`.
pub fn take_file(q: usize, question_id: &str, take: u32) -> String {
    format!("q{:02}-{}-take{take}.wav", q + 1, sanitize(question_id))
}

/// The stem of a new session folder's name: when it started, and which pack.
fn session_stem(pack: &str) -> String {
    // A pack's name is its file's stem, which can be as long as a file name may be: cut it
    // so the folder's name (and every path under it) stays well within the limits.
    let pack: String = sanitize(pack).chars().take(64).collect();
    format!("{}-{pack}", chrono::Local::now().format("%Y-%m-%d_%H%M%S"))
}

/// A name made safe for a file name: anything but ASCII letters, digits, `-` and `_` is `_`.
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_folder_that_kept_nothing_goes_with_the_recordings_folder_it_made() {
        let root = std::env::temp_dir().join(format!("voicemock-folder-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&root);
        std::fs::create_dir_all(&root).unwrap();
        let recordings = root.join("recordings");
        let a = SessionFolder::create(&recordings, "a pack/../x").unwrap();
        assert!(a.id().ends_with("-a_pack____x"), "{}", a.id());
        std::fs::write(a.dir().join(LOG_FILE), b"{}").unwrap();
        assert!(is_session_folder(a.dir()));
        assert!(!is_session_folder(&recordings));
        // A second session in the same second gets a name of its own, and the recordings
        // folder it found is not its to remove.
        let b = SessionFolder::create(&recordings, "a pack/../x").unwrap();
        assert_ne!(a.dir(), b.dir());
        let (a_dir, b_dir) = (a.dir().to_path_buf(), b.dir().to_path_buf());
        b.remove_empty();
        assert!(!b_dir.exists() && recordings.exists());
        a.remove_empty();
        assert!(!a_dir.exists() && !recordings.exists());
        // A folder holding something voicemock did not write stays, and so does its parent.
        let c = SessionFolder::create(&recordings, "p").unwrap();
        std::fs::write(c.dir().join("mine.txt"), b"x").unwrap();
        let c_dir = c.dir().to_path_buf();
        c.remove_empty();
        assert!(c_dir.join("mine.txt").exists());
        assert_eq!(take_file(0, "why us?", 2), "q01-why_us_-take2.wav");
        std::fs::remove_dir_all(&root).unwrap();
    }
}
