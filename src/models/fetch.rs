//! Downloads one file over HTTP(S), resumably, and installs it only once its SHA-1 checksum
//! matches. The only module that names an HTTP client (ureq) and the SHA-1 crate; reached only
//! from `voicemock models fetch`, the one command that uses the network, and only when the user
//! runs it.
//!
//! The download goes to a hidden `.part` file beside the destination. A cut connection keeps the
//! `.part` so the next run asks for the rest (an HTTP Range request); a wrong checksum deletes
//! it; only a verified file is renamed to its final name, so nothing half-downloaded is ever
//! installed.

use std::fs::{self, File};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use sha1::{Digest, Sha1};
use thiserror::Error;

#[derive(Debug, Error)]
pub enum FetchError {
    #[error("cannot reach {url}: {message}. Check the network connection and run the same command again")]
    Connect { url: String, message: String },
    #[error("{url} answered HTTP {status}")]
    Status { url: String, status: u16 },
    #[error(
        "the download stopped after {received} of {}: {message}. The part received is kept; \
         run the same command again to resume",
        total.map_or("an unknown size".to_string(), |t| format!("{t} bytes"))
    )]
    Interrupted {
        received: u64,
        total: Option<u64>,
        message: String,
    },
    #[error(
        "the downloaded file's SHA-1 is {actual}, not the published {expected}: it was deleted \
         and nothing was installed. Run the command again; if it fails the same way, the file \
         on the server has changed"
    )]
    Checksum { expected: String, actual: String },
    #[error("{action} {path}: {source}")]
    Io {
        action: &'static str,
        path: PathBuf,
        source: std::io::Error,
    },
}

/// Progress as the download advances: bytes so far (including a resumed part) and the total
/// when the server said it.
pub trait Progress {
    fn start(&mut self, resumed_from: u64, total: Option<u64>);
    fn advance(&mut self, done: u64);
}

/// What a finished download did.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetched {
    pub bytes: u64,
    /// Bytes that were already there from an earlier, interrupted attempt.
    pub resumed_from: u64,
}

fn io<'a>(action: &'static str, path: &'a Path) -> impl FnOnce(std::io::Error) -> FetchError + 'a {
    move |source| FetchError::Io {
        action,
        path: path.to_path_buf(),
        source,
    }
}

/// Downloads `url` into `partial`, verifies `sha1_hex`, and renames it to `dest`.
pub fn fetch(
    url: &str,
    sha1_hex: &str,
    partial: &Path,
    dest: &Path,
    progress: &mut dyn Progress,
) -> Result<Fetched, FetchError> {
    let mut hasher = Sha1::new();
    let mut have = hash_existing(partial, &mut hasher)?;

    let mut request = agent().get(url);
    if have > 0 {
        request = request.header("Range", format!("bytes={have}-"));
    }
    let mut response = request.call().map_err(|e| FetchError::Connect {
        url: url.to_string(),
        message: e.to_string(),
    })?;
    let status = response.status().as_u16();
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let content_length = header("content-length").and_then(|v| v.trim().parse::<u64>().ok());
    let content_range_total = header("content-range")
        .and_then(|v| v.rsplit('/').next().map(str::to_string))
        .and_then(|t| t.trim().parse::<u64>().ok());

    let total = match status {
        206 if have > 0 => content_range_total.or(content_length.map(|n| n + have)),
        200 => {
            // The server sent the whole file: start the part over.
            have = 0;
            hasher = Sha1::new();
            content_length
        }
        // What was kept is already the whole file (or more): verify it as it is.
        416 if have > 0 => Some(have),
        _ => {
            return Err(FetchError::Status {
                url: url.to_string(),
                status,
            })
        }
    };
    let resumed_from = have;
    progress.start(have, total);

    if status != 416 {
        let mut file =
            super::open_private(partial, have > 0).map_err(io("cannot write", partial))?;
        let mut body = response.body_mut().as_reader();
        let mut buf = vec![0u8; 1 << 16];
        let cut = |received, message: String| FetchError::Interrupted {
            received,
            total,
            message,
        };
        loop {
            let n = match body.read(&mut buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => {
                    file.sync_all().ok();
                    return Err(cut(have, e.to_string()));
                }
            };
            file.write_all(&buf[..n])
                .map_err(io("cannot write", partial))?;
            hasher.update(&buf[..n]);
            have += n as u64;
            progress.advance(have);
        }
        file.sync_all().map_err(io("cannot write", partial))?;
        if let Some(t) = total {
            if have < t {
                return Err(cut(have, "the connection closed early".into()));
            }
        }
    }

    let actual = hex(&hasher.finalize());
    if !actual.eq_ignore_ascii_case(sha1_hex) || total.is_some_and(|t| have > t) {
        fs::remove_file(partial).map_err(io("cannot delete", partial))?;
        return Err(FetchError::Checksum {
            expected: sha1_hex.to_ascii_lowercase(),
            actual,
        });
    }
    install(partial, dest)?;
    Ok(Fetched {
        bytes: have,
        resumed_from,
    })
}

/// The HTTP client: status codes come back as answers, not errors, and a stalled transfer ends
/// with the part kept, rather than hanging forever.
fn agent() -> ureq::Agent {
    ureq::Agent::new_with_config(
        ureq::Agent::config_builder()
            .timeout_connect(Some(Duration::from_secs(20)))
            .timeout_recv_response(Some(Duration::from_secs(60)))
            .timeout_recv_body(None)
            .http_status_as_error(false)
            .user_agent(concat!("voicemock/", env!("CARGO_PKG_VERSION")))
            .build(),
    )
}

/// Renames the verified part to its place, and makes the rename itself durable.
fn install(partial: &Path, dest: &Path) -> Result<(), FetchError> {
    fs::rename(partial, dest).map_err(io("cannot install", dest))?;
    if let Some(dir) = dest.parent() {
        if let Ok(d) = File::open(dir) {
            d.sync_all().ok();
        }
    }
    Ok(())
}

/// Feeds what an earlier attempt left into the hash, so a resumed download is checked whole.
fn hash_existing(partial: &Path, hasher: &mut Sha1) -> Result<u64, FetchError> {
    let mut file = match File::open(partial) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(0),
        Err(e) => return Err(io("cannot read", partial)(e)),
    };
    let mut buf = vec![0u8; 1 << 16];
    let mut n_total = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(io("cannot read", partial))?;
        if n == 0 {
            return Ok(n_total);
        }
        hasher.update(&buf[..n]);
        n_total += n as u64;
    }
}

/// The SHA-1 of a file, as lowercase hex.
pub fn sha1_file(path: &Path) -> Result<String, FetchError> {
    let mut hasher = Sha1::new();
    hash_existing(path, &mut hasher)?;
    Ok(hex(&hasher.finalize()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha1_of_known_text() {
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("abc");
        fs::write(&f, b"abc").unwrap();
        assert_eq!(
            sha1_file(&f).unwrap(),
            "a9993e364706816aba3e25717850c26c9cd0d89d"
        );
    }
}
