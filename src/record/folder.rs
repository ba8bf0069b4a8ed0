//! The session folder as a whole: its name, its making (private, never reused, locked for as
//! long as its session runs), the names of the takes in it, the one test of "is this a
//! session folder", and its removal when a session kept nothing. What goes into its files is
//! `format`'s and `store`'s; nothing outside `record` makes, names or removes a session folder.

use std::path::{Path, PathBuf};

use super::format::{LOG_FILE, NOTES_FILE, REVIEW_FILE};
use crate::files::create_private_dir_all;

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

/// Held (an exclusive `flock`) for as long as a session's process runs. The kernel lets go
/// when the process ends in any way, SIGKILL and power loss included, so a log still
/// `in_progress` whose lock is free belongs to a crashed session.
pub const LOCK_FILE: &str = ".session.lock";

/// The running session's hold on its folder; dropping it (or the process ending) lets go.
#[derive(Debug)]
pub struct SessionLock {
    file: std::fs::File,
    path: PathBuf,
}

impl SessionLock {
    pub fn acquire(dir: &Path) -> std::io::Result<SessionLock> {
        let path = dir.join(LOCK_FILE);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(false);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            // A lock that is a link (a folder from elsewhere) is not followed out of the folder.
            options
                .mode(0o600)
                .custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
        }
        let file = options.open(&path)?;
        if !file.metadata()?.is_file() {
            return Err(std::io::Error::other(format!(
                "{} is not a regular file; remove it",
                path.display()
            )));
        }
        file.try_lock().map_err(|e| match e {
            std::fs::TryLockError::WouldBlock => {
                std::io::Error::other(format!("{} is in use by another voicemock", dir.display()))
            }
            std::fs::TryLockError::Error(e) => e,
        })?;
        Ok(SessionLock { file, path })
    }

    /// Lets go and removes the lock file: the session is over and its log says so.
    pub fn release(self) {
        let _ = self.file.unlock();
        let _ = std::fs::remove_file(&self.path);
    }
}

/// True while a process holds `dir`'s session lock.
pub fn is_locked(dir: &Path) -> bool {
    // Never waits: a lock file that is a FIFO would hold an open for ever.
    let Ok(file) = crate::files::open_regular(&dir.join(LOCK_FILE)) else {
        return false;
    };
    match file.try_lock_shared() {
        Ok(()) => {
            let _ = file.unlock();
            false
        }
        Err(std::fs::TryLockError::WouldBlock) => true,
        Err(std::fs::TryLockError::Error(_)) => false,
    }
}

/// Creates a new folder `parent/<stem>`, or `parent/<stem>-2`, `-3`… if that name is taken.
/// Never returns a folder that existed before.
pub fn create_unique_dir(parent: &Path, stem: &str) -> std::io::Result<PathBuf> {
    create_private_dir_all(parent)?;
    for n in 1u32.. {
        let name = if n == 1 {
            stem.to_string()
        } else {
            format!("{stem}-{n}")
        };
        let path = parent.join(name);
        let mut builder = std::fs::DirBuilder::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::DirBuilderExt;
            builder.mode(0o700);
        }
        match builder.create(&path) {
            Ok(()) => return Ok(path),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => return Err(e),
        }
    }
    unreachable!("u32 names run out only after four billion sessions in one second")
}

/// A file a log names that voicemock will not touch, and why.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{}: \"{file}\" {reason}; it is left alone", dir.display())]
pub struct Uncontained {
    pub dir: PathBuf,
    pub file: String,
    pub reason: String,
}

/// The containment check, the one place that decides whether a file name from a log may be
/// used: it must be a plain name of a file in `dir` (no separator, no `..`, not absolute,
/// not empty) and, if it exists, a regular file, or a link to one that is itself in `dir`. A
/// file that does not exist passes (a reader then says it is missing; a writer creates it).
/// A session folder may come from anyone, so its log is untrusted input.
pub fn contained(dir: &Path, name: &str) -> Result<PathBuf, Uncontained> {
    let refuse = |reason: String| Uncontained {
        dir: dir.to_path_buf(),
        file: name.to_string(),
        reason,
    };
    if name.is_empty() {
        return Err(refuse("is not a file name".into()));
    }
    if name.contains(['/', '\\', '\0']) || Path::new(name).is_absolute() {
        return Err(refuse("is a path, not a file in the session folder".into()));
    }
    if name == "." || name == ".." {
        return Err(refuse("is not a file in the session folder".into()));
    }
    let path = dir.join(name);
    let meta = match std::fs::symlink_metadata(&path) {
        Ok(meta) => meta,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(path),
        Err(e) => return Err(refuse(format!("cannot be looked at ({e})"))),
    };
    if meta.file_type().is_symlink() {
        let target = std::fs::canonicalize(&path)
            .map_err(|e| refuse(format!("is a link that cannot be followed ({e})")))?;
        let home = std::fs::canonicalize(dir)
            .map_err(|e| refuse(format!("is in a folder that cannot be resolved ({e})")))?;
        if target.parent() != Some(home.as_path()) {
            return Err(refuse(format!(
                "is a link to {}, outside the session folder",
                target.display()
            )));
        }
        let meta = std::fs::metadata(&target).map_err(|e| refuse(e.to_string()))?;
        if !meta.is_file() {
            return Err(refuse(format!("is a link to {}", kind_of(&meta))));
        }
        return Ok(path);
    }
    if !meta.is_file() {
        return Err(refuse(format!("is {}, not a regular file", kind_of(&meta))));
    }
    Ok(path)
}

fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let t = meta.file_type();
        if t.is_fifo() {
            return "a pipe (FIFO)";
        }
        if t.is_block_device() || t.is_char_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    if meta.is_dir() {
        "a folder"
    } else if meta.is_file() {
        "a file"
    } else {
        "not a regular file"
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
        let root = tempfile::tempdir().unwrap();
        let recordings = root.path().join("recordings");
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
    }
}
