//! Writing session folders: private folders, never-reused names, atomic rewrites, and the
//! lock a running session holds so that readers can tell it from a crashed one.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::format::{levels_file, LevelsFile, SessionLog, LEVELS_VERSION, LOG_FILE, MAX_LOG_BYTES};

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
    let path = super::reader::contained(dir, name)
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

/// Creates `path` with `contents`, complete or not at all, failing if it exists: the contents
/// go to a private temporary file first, which is then linked under the name (a link never
/// replaces a file). Where links are not supported, the file is created with `create_new`.
fn write_new_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.new-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let result = (|| {
        let mut file = crate::files::create_private(&tmp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        match std::fs::hard_link(&tmp, path) {
            Ok(()) => sync_dir(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Err(e),
            Err(_) => match write_new(path, contents)? {
                true => Ok(()),
                false => Err(std::io::Error::from(std::io::ErrorKind::AlreadyExists)),
            },
        }
    })();
    let _ = std::fs::remove_file(&tmp);
    result
}

/// Creates `path` with `contents` unless it exists: for files the user may edit, which
/// voicemock never rewrites. Returns whether it wrote the file.
pub fn write_new(path: &Path, contents: &[u8]) -> std::io::Result<bool> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(contents)?;
            file.sync_all()?;
            Ok(true)
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(e),
    }
}

/// Creates `dir` and any missing parents; folders this creates are readable only by their
/// owner where the platform has such permissions.
pub fn create_private_dir_all(dir: &Path) -> std::io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
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

/// Replaces `path` with `contents` atomically: a reader sees the old file or the new one,
/// never a half-written one. The file is readable only by its owner.
pub fn write_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.tmp-{}", std::process::id()));
    // A new file, never one found there (a link left in a folder from elsewhere is removed,
    // not followed).
    let _ = std::fs::remove_file(&tmp);
    let result = (|| {
        let mut file = crate::files::create_private(&tmp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        std::fs::rename(&tmp, path)?;
        // The rename lives in the folder: without this a power cut can bring the old file back.
        sync_dir(dir)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

/// Room set aside on a disk: a file of zeros, removed to make space for the last writes of
/// a session (its log) if the disk fills up. Removed when dropped.
/// Bytes the user may still write on the file system that holds `path` (what `df` shows as
/// available: root's own margin left out).
pub fn free_bytes(path: &Path) -> std::io::Result<u64> {
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        let c =
            std::ffi::CString::new(path.as_os_str().as_bytes()).map_err(std::io::Error::other)?;
        // SAFETY: statvfs fills the zeroed struct from a NUL-terminated path; its result is
        // checked before the struct is read.
        let mut st: libc::statvfs = unsafe { std::mem::zeroed() };
        if unsafe { libc::statvfs(c.as_ptr(), &mut st) } != 0 {
            return Err(std::io::Error::last_os_error());
        }
        Ok((st.f_bavail as u64).saturating_mul(st.f_frsize as u64))
    }
    #[cfg(not(unix))]
    {
        let _ = path;
        Ok(u64::MAX)
    }
}

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

/// Asks the system to put a folder's entries (new names, renames) on disk.
pub fn sync_dir(dir: &Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        let dir = if dir.as_os_str().is_empty() {
            Path::new(".")
        } else {
            dir
        };
        std::fs::File::open(dir)?.sync_all()
    }
    #[cfg(not(unix))]
    {
        let _ = dir;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unique_dirs_are_never_reused_and_private() {
        let parent = std::env::temp_dir().join(format!("voicemock-store-{}", std::process::id()));
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
        std::fs::remove_dir_all(&parent).unwrap();
    }
}
