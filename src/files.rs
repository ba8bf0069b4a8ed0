//! Opening the files voicemock reads and creating the ones it keeps private: a file to read is
//! opened without waiting (a FIFO would hold the open for ever) and taken only if it is a
//! regular file; a private file or folder gets its mode explicitly, whatever the umask; a file
//! is replaced atomically (and its folder synced), and a full disk is told from other errors.
//! A leaf: `audio` and `record` both write through it, and nothing here knows what a file holds.

use std::fs::File;
use std::io::{self, Read, Write};
use std::path::Path;

/// Why a path could not be opened to read: what it is instead of a regular file, or the
/// system's own error.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("it is a folder, not a file")]
    Folder,
    #[error("it is not a regular file (a pipe, a device or a socket), and is not read")]
    Special,
    #[error("{0}")]
    Io(#[from] io::Error),
}

impl OpenError {
    pub fn is_not_found(&self) -> bool {
        matches!(self, OpenError::Io(e) if e.kind() == io::ErrorKind::NotFound)
    }

    /// As an `io::Error`, for callers whose errors carry one; the kind of a system error is kept.
    pub fn into_io(self) -> io::Error {
        match self {
            OpenError::Io(e) => e,
            other => io::Error::new(io::ErrorKind::InvalidInput, other.to_string()),
        }
    }
}

/// Opens `path` to read if it is a regular file (following links). The open never waits: on
/// unix it is made non-blocking, and the file is put back to blocking reads once `fstat` says
/// it is a regular file (for which the flag changes nothing anyway).
pub fn open_regular(path: &Path) -> Result<File, OpenError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK);
    }
    let file = options.open(path)?;
    let meta = file.metadata()?;
    if meta.is_dir() {
        return Err(OpenError::Folder);
    }
    if !meta.is_file() {
        return Err(OpenError::Special);
    }
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        let fd = file.as_raw_fd();
        // SAFETY: fcntl on a descriptor this function owns, with flags it read from it.
        unsafe {
            let flags = libc::fcntl(fd, libc::F_GETFL);
            if flags >= 0 {
                libc::fcntl(fd, libc::F_SETFL, flags & !libc::O_NONBLOCK);
            }
        }
    }
    Ok(file)
}

/// Reads a whole regular file of at most `max` bytes; larger ones are refused by size.
pub fn read_regular(path: &Path, max: u64) -> Result<Vec<u8>, OpenError> {
    let file = open_regular(path)?;
    let len = file.metadata()?.len();
    if len > max {
        return Err(OpenError::Io(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("it is {len} bytes, more than the {max} a file of this kind may have"),
        )));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    file.take(max + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max {
        return Err(OpenError::Io(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("it grew past {max} bytes while being read"),
        )));
    }
    Ok(bytes)
}

/// Creates `path` as a new file (never one that exists) readable and writable only by its
/// owner, whatever the umask.
pub fn create_private(path: &Path) -> io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// Creates the new folder `dir` (its parent must exist; a folder or link already there is an
/// error, never reused) usable only by its owner, whatever the umask.
pub fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        builder.mode(0o700);
    }
    builder.create(dir)
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
        let mut file = create_private(&tmp)?;
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

/// Creates `path` with `contents`, complete or not at all, failing if it exists: the contents
/// go to a private temporary file first, which is then linked under the name (a link never
/// replaces a file). Where links are not supported, the file is created with `create_new`.
pub fn write_new_atomic(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    let dir = path.parent().unwrap_or(Path::new("."));
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let tmp = dir.join(format!(".{name}.new-{}", std::process::id()));
    let _ = std::fs::remove_file(&tmp);
    let result = (|| {
        let mut file = create_private(&tmp)?;
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

/// True for the errors that mean "no room left": a full disk, a quota, a file-size limit.
pub fn is_disk_full(e: &std::io::Error) -> bool {
    #[cfg(unix)]
    if let Some(code) = e.raw_os_error() {
        return code == libc::ENOSPC || code == libc::EDQUOT || code == libc::EFBIG;
    }
    matches!(
        e.kind(),
        std::io::ErrorKind::StorageFull
            | std::io::ErrorKind::QuotaExceeded
            | std::io::ErrorKind::FileTooLarge
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn only_regular_files_open_and_a_fifo_never_waits() {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path();
        let fifo = dir.join("fifo");
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid C string for a path in a folder of this test's own.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        assert!(matches!(open_regular(&fifo), Err(OpenError::Special)));
        assert!(matches!(
            open_regular(Path::new("/dev/null")),
            Err(OpenError::Special)
        ));
        assert!(matches!(open_regular(dir), Err(OpenError::Folder)));
        assert!(open_regular(&dir.join("none")).unwrap_err().is_not_found());
        std::fs::write(dir.join("f"), b"12345").unwrap();
        assert_eq!(read_regular(&dir.join("f"), 5).unwrap(), b"12345");
        assert!(read_regular(&dir.join("f"), 4).is_err());
    }
}
