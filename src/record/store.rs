//! Writing a session's files: the log (atomically, and never larger than readers accept), its
//! sidecars (only inside the folder, never over a file voicemock did not write) and the
//! reserve of room kept for the last log. The folder itself is `folder`'s.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::files::{write_atomic, write_new_atomic};

use super::format::{levels_file, LevelsFile, SessionLog, LEVELS_VERSION, LOG_FILE, MAX_LOG_BYTES};

/// Writes `log` as `dir/session.json`, atomically; one larger than readers accept ([`MAX_LOG_BYTES`]) is refused
/// and the log on disk left as it was.
pub fn save_log(dir: &Path, log: &SessionLog) -> std::io::Result<()> {
    let json = log_bytes(log)?;
    write_atomic(&dir.join(LOG_FILE), &json)
}

/// The log as it is written ([`SessionLog::for_writing`]), if readers will accept it.
pub fn log_bytes(log: &SessionLog) -> std::io::Result<Vec<u8>> {
    let json = serde_json::to_vec_pretty(&log.for_writing()).map_err(std::io::Error::other)?;
    if json.len() as u64 > MAX_LOG_BYTES {
        return Err(std::io::Error::other(format!(
            "the log would be {} bytes, more than the {MAX_LOG_BYTES} a log may hold",
            json.len()
        )));
    }
    Ok(json)
}

/// Writes the levels sidecar of the take recorded in `dir/take_file` (see [`write_sidecar`]).
pub fn save_levels(dir: &Path, take_file: &str, levels: &LevelsFile) -> std::io::Result<()> {
    let json = serde_json::to_vec(levels).map_err(std::io::Error::other)?;
    write_sidecar(dir, &levels_file(take_file), &json, |bytes| {
        serde_json::from_slice::<LevelsFile>(bytes).is_ok_and(|l| l.version == LEVELS_VERSION)
    })
}

/// A sidecar voicemock wrote is a few megabytes at most; a larger file is not one.
const MAX_SIDECAR_BYTES: u64 = 64 << 20;

/// Writes the sidecar `name` into the session folder `dir`, atomically, only inside it and
/// never over a file voicemock did not write: the name must pass the session reader's
/// containment check, a new file is created only where none is (`create_new`'s rule), and a
/// file already there is replaced only if it is a regular file that `ours` recognises as the
/// sidecar it writes. Anything else is left alone and the write refused, saying why.
pub fn write_sidecar(
    dir: &Path,
    name: &str,
    contents: &[u8],
    ours: impl Fn(&[u8]) -> bool,
) -> std::io::Result<()> {
    let refuse = |why: String| {
        std::io::Error::new(
            std::io::ErrorKind::AlreadyExists,
            format!("{}: {why}; it is left alone", dir.join(name).display()),
        )
    };
    let path = super::folder::contained(dir, name)
        .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e.to_string()))?;
    match std::fs::symlink_metadata(&path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return write_new_atomic(&path, contents)
        }
        Err(e) => return Err(e),
        Ok(meta) if !meta.file_type().is_file() => {
            return Err(refuse("it is not a file voicemock wrote".into()))
        }
        Ok(_) => {
            let bytes = crate::files::read_regular(&path, MAX_SIDECAR_BYTES)
                .map_err(|e| refuse(format!("it cannot be read ({e})")))?;
            if !ours(&bytes) {
                return Err(refuse(
                    "it exists and is not a sidecar voicemock wrote".into(),
                ));
            }
        }
    }
    write_atomic(&path, contents)
}

/// Room set aside on a disk: a file of zeros, removed to make space for the last writes of
/// a session (its log) if the disk fills up. Removed when dropped.
pub struct Reserve {
    path: PathBuf,
}

/// Enough for a long session's log and review sheet, written side by side with the old ones.
pub const RESERVE_BYTES: usize = 256 * 1024;

impl Reserve {
    pub fn create(dir: &Path) -> std::io::Result<Reserve> {
        let path = dir.join(".voicemock-reserve");
        // A new file of our own (the folder is new too), private whatever the umask.
        let mut file = crate::files::create_private(&path)?;
        let reserve = Reserve { path };
        // Written, not just sized: a sparse file would give nothing back.
        file.write_all(&vec![0u8; RESERVE_BYTES])?;
        file.sync_all()?;
        Ok(reserve)
    }

    /// Gives the room back.
    pub fn release(self) {}
}

impl Drop for Reserve {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.path);
    }
}

#[cfg(test)]
mod tests {
    use super::super::folder::create_unique_dir;
    use super::*;

    #[test]
    fn unique_dirs_are_never_reused_and_private() {
        let scratch = tempfile::tempdir().unwrap();
        // Not made yet: the first folder makes it.
        let parent = scratch.path().join("recordings");
        let a = create_unique_dir(&parent, "s").unwrap();
        let b = create_unique_dir(&parent, "s").unwrap();
        assert_ne!(a, b);
        assert!(b.ends_with("s-2"));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&a).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o700);
        }
        let f = a.join("x.json");
        write_atomic(&f, b"one").unwrap();
        write_atomic(&f, b"two").unwrap();
        assert_eq!(std::fs::read_to_string(&f).unwrap(), "two");
        assert_eq!(
            std::fs::read_dir(&a).unwrap().count(),
            1,
            "no temp file left"
        );
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&f).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
    }
}
