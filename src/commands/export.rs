//! `voicemock export`: one session as one zip to share with a coach: its review page (written
//! first if the session has none), the recordings, the log, the review sheet, the notes and
//! the sidecars, under a folder named after the session so the page's relative links to the
//! recordings still play once it is unpacked anywhere. Reads the session through
//! `record::reader` and takes only files the log names inside the session folder; never
//! overwrites a file.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

use crate::cli::ExportArgs;
use crate::record::{
    self, levels_file, Session, Standing, LOG_FILE, NOTES_FILE, REPORT_FILE, REVIEW_FILE,
};
use crate::report;
use crate::ui::{outln_fit, warn};

/// One file the log names, and what to say if it is missing.
struct Named {
    name: String,
    /// A recording or a transcript the page shows: its absence is worth a warning. Sheets and
    /// level sidecars that older sessions never had are left out quietly.
    expected: bool,
}

/// What went into a zip.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Exported {
    /// Entry names, the session folder's name first in each (`ID/report.html`).
    pub entries: Vec<String>,
    pub recordings: usize,
    /// Why files the log names were left out (not there, or not files of the folder).
    pub missing: Vec<String>,
    pub bytes: u64,
}

pub fn run(args: &ExportArgs) -> anyhow::Result<()> {
    let session = record::resolve(&args.recordings.recordings, args.session.as_deref())?;
    if session.standing == Standing::Running {
        anyhow::bail!(
            "session {} is still being recorded; export it once it has ended",
            session.log.id
        );
    }
    let zip_path = match &args.output {
        Some(p) => p.clone(),
        None => PathBuf::from(format!("{}.zip", session.name())),
    };
    if let Some(parent) = zip_path.parent().filter(|p| !p.as_os_str().is_empty()) {
        if !parent.is_dir() {
            anyhow::bail!(
                "--output {}: the folder {} does not exist; create it or choose another --output",
                zip_path.display(),
                parent.display()
            );
        }
    }
    // The page is the way in for whoever receives the zip: one is written if the session has
    // none (a session interrupted before its page, or recorded before pages existed).
    if std::fs::symlink_metadata(session.dir.join(REPORT_FILE)).is_err() {
        report::write_session_page(&session)
            .with_context(|| format!("writing the review page of {}", session.log.id))?;
    }
    let done = export(&session, &zip_path)?;
    for why in &done.missing {
        warn(format_args!("{why}: left out of the zip"));
    }
    outln_fit(format_args!(
        "Exported session {} ({} file{}, {} recording{}, {:.1} MB) to {}",
        session.log.id,
        done.entries.len(),
        plural(done.entries.len()),
        done.recordings,
        plural(done.recordings),
        done.bytes as f64 / 1e6,
        zip_path.display()
    ));
    outln_fit(format_args!(
        "Unzip it anywhere and open {}/{REPORT_FILE} in a browser: the recordings play from the \
         page.",
        session.name()
    ));
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Writes the zip at `zip_path`, which must not exist yet; on any failure the partial zip is
/// removed (it was this call's own new file).
pub fn export(session: &Session, zip_path: &Path) -> anyhow::Result<Exported> {
    let file = create_new(zip_path)?;
    match write_zip(session, BufWriter::new(file)) {
        Ok(done) => Ok(done),
        Err(e) => {
            let _ = std::fs::remove_file(zip_path);
            Err(e.context(format!("writing {}", zip_path.display())))
        }
    }
}

fn create_new(path: &Path) -> anyhow::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    // Recordings of the user's voice: private on this machine, like the session folder.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(path).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            anyhow::anyhow!(
                "{} already exists; voicemock never overwrites a file: remove it or choose \
                 another --output FILE.zip",
                path.display()
            )
        } else {
            anyhow::Error::new(e).context(format!("creating {}", path.display()))
        }
    })
}

/// Every file the session log names, in the order a reader meets them: the page, the log and
/// the sheets, then each take's recording with its sidecars.
fn named_files(session: &Session) -> Vec<Named> {
    let mut named: Vec<Named> = [REPORT_FILE, LOG_FILE, REVIEW_FILE, NOTES_FILE]
        .into_iter()
        .map(|name| Named {
            name: name.to_string(),
            expected: name == REPORT_FILE || name == LOG_FILE,
        })
        .collect();
    // A damaged take (a file of it outside the folder) is never read: the reader names it.
    for (_, take) in session
        .log
        .takes()
        .filter(|(_, t)| session.damage(t).is_none())
    {
        named.push(Named {
            name: take.file.clone(),
            expected: true,
        });
        named.push(Named {
            name: levels_file(&take.file),
            expected: false,
        });
        if let Some(t) = &take.transcript {
            named.push(Named {
                name: t.file.clone(),
                expected: true,
            });
        }
    }
    let mut seen = std::collections::HashSet::new();
    named.retain(|n| seen.insert(n.name.clone()));
    named
}

fn write_zip(session: &Session, sink: BufWriter<File>) -> anyhow::Result<Exported> {
    let folder = session.name();
    let mut zip = ZipWriter::new(sink);
    let mut done = Exported::default();
    for damaged in &session.damaged {
        done.missing.push(damaged.to_string());
    }
    for Named { name, expected } in named_files(session) {
        // Only files of the folder itself are shared: the reader's containment check, then
        // a file that is there (a link only to a file beside it).
        let found = record::contained(&session.dir, &name)
            .ok()
            .and_then(|path| {
                let meta = std::fs::metadata(&path).ok()?;
                meta.is_file().then_some((path, meta))
            });
        let Some((path, meta)) = found else {
            if expected {
                done.missing.push(format!(
                    "{name} is named in the session log but is not a file in {}",
                    session.dir.display()
                ));
            }
            continue;
        };
        let wav = name.to_ascii_lowercase().ends_with(".wav");
        // Recordings are stored as they are (PCM barely compresses, and any unzip tool plays
        // them straight away); text is deflated.
        let options = SimpleFileOptions::default()
            .compression_method(if wav {
                CompressionMethod::Stored
            } else {
                CompressionMethod::Deflated
            })
            .unix_permissions(0o644)
            .large_file(meta.len() >= u64::from(u32::MAX))
            .last_modified_time(zip_time(&meta));
        let entry = format!("{folder}/{name}");
        zip.start_file(entry.as_str(), options)
            .with_context(|| format!("adding {entry}"))?;
        let mut source =
            File::open(&path).with_context(|| format!("reading {}", path.display()))?;
        done.bytes += std::io::copy(&mut source, &mut zip)
            .with_context(|| format!("copying {} into the zip", path.display()))?;
        if wav {
            done.recordings += 1;
        }
        done.entries.push(entry);
    }
    let mut sink = zip.finish().context("finishing the zip")?;
    sink.flush().context("writing the zip")?;
    sink.get_ref()
        .sync_all()
        .context("writing the zip to disk")?;
    Ok(done)
}

/// The file's modification time in local time, as zip stores it (to the even second, from
/// 1980); the zip format's epoch when it cannot be told.
fn zip_time(meta: &std::fs::Metadata) -> zip::DateTime {
    use chrono::{Datelike, Timelike};
    let Ok(modified) = meta.modified() else {
        return zip::DateTime::default();
    };
    let t: chrono::DateTime<chrono::Local> = modified.into();
    u16::try_from(t.year())
        .ok()
        .and_then(|year| {
            zip::DateTime::from_date_and_time(
                year,
                t.month() as u8,
                t.day() as u8,
                t.hour() as u8,
                t.minute() as u8,
                t.second().min(59) as u8,
            )
            .ok()
        })
        .unwrap_or_default()
}
