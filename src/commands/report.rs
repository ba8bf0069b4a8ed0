//! `voicemock report`: writes a session's review page (`report.html` in its folder, with its
//! review sheet `review.md` rewritten from the same facts) or, with
//! `--progress`, the progress page over every session (`progress.html` in the recordings
//! folder), and with `--open` hands it to the system's opener.

use std::path::Path;
use std::process::{Command, Stdio};

use anyhow::Context;

use crate::cli::ReportArgs;
use crate::record;
use crate::report;
use crate::ui::{outln, warn};

pub fn run(args: &ReportArgs) -> anyhow::Result<()> {
    let recordings = &args.recordings.recordings;
    let path = if args.progress {
        let done = report::write_progress_page(recordings)?;
        outln(format_args!(
            "Progress over {} session{} ({} take{}): {}",
            done.sessions,
            plural(done.sessions),
            done.takes,
            plural(done.takes),
            done.path.display()
        ));
        if done.pages_written > 0 {
            outln(format_args!(
                "  (wrote the review page of {} session{} that had none)",
                done.pages_written,
                plural(done.pages_written)
            ));
        }
        done.path
    } else {
        let session = record::resolve(recordings, args.session.as_deref())?;
        let path = report::write_session_page(&session)
            .with_context(|| format!("writing the review page of {}", session.log.id))?;
        // The review sheet, rewritten from the same facts so the two read the same (a running
        // session rewrites its own).
        if session.standing != record::Standing::Running {
            let sheet = session.dir.join(record::REVIEW_FILE);
            crate::files::write_atomic(&sheet, report::review_markdown(&session.log).as_bytes())
                .with_context(|| format!("writing {}", sheet.display()))?;
        }
        outln(format_args!("Review page: {}", path.display()));
        path
    };
    if args.open {
        open(&path);
    }
    Ok(())
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        ""
    } else {
        "s"
    }
}

/// Hands `path` to the desktop's opener without waiting for the browser. A machine with no
/// opener still has the page: say where it is.
fn open(path: &Path) {
    let mut cmd = if cfg!(target_os = "macos") {
        Command::new("open")
    } else if cfg!(windows) {
        let mut c = Command::new("cmd");
        c.args(["/C", "start", ""]);
        c
    } else {
        Command::new("xdg-open")
    };
    let spawned = cmd
        .arg(path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    if let Err(e) = spawned {
        warn(format_args!(
            "could not open {} ({e}); open it in a browser yourself",
            path.display()
        ));
    }
}
