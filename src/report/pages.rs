//! Writing the review pages: gathers what `html.rs` draws (each take's level envelope from
//! its sidecar, or measured from its WAV for sessions recorded before sidecars existed) and
//! writes `report.html` into a session folder and `progress.html` into a recordings folder.

use std::path::{Path, PathBuf};

use super::figures::Point;
use super::html::{self, ProgressPage, SessionPage, SessionRow, TakeView};
use crate::files::write_atomic;
use crate::record::store;
use crate::record::trend::{self, FactTrends};
use crate::record::{self, LevelsFile, Session, TakeFacts, TakeLog, PROGRESS_FILE, REPORT_FILE};

#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("cannot write {}: {source}; check that the folder exists and is yours", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{}; record one with `voicemock run`; {}",
        record::nothing_in("sessions", dir),
        record::ELSEWHERE
    )]
    NoSessions { dir: PathBuf },
}

/// The session's review page, as HTML.
pub fn session_html(session: &Session) -> String {
    let takes = session
        .log
        .questions
        .iter()
        .map(|q| q.takes.iter().map(|t| take_view(session, t)).collect())
        .collect();
    html::session_page(&SessionPage { session, takes })
}

/// Writes `report.html` into the session's folder; returns its path.
pub fn write_session_page(session: &Session) -> Result<PathBuf, PageError> {
    let path = session.dir.join(REPORT_FILE);
    write_atomic(&path, session_html(session).as_bytes()).map_err(|source| PageError::Write {
        path: path.clone(),
        source,
    })?;
    Ok(path)
}

/// A take's measures and levels: the log's and its sidecar's, or else measured from its WAV
/// now (slower, but only for sessions recorded before sidecars, or their pitch contours,
/// existed; the levels are then kept in a sidecar so the next page is quick). A take whose WAV cannot be read keeps what
/// the log has.
fn take_view<'a>(session: &Session, t: &'a TakeLog) -> TakeView<'a> {
    let wav = match session.take_path(&t.file) {
        Ok(wav) => wav,
        // Nothing of a damaged take is read, measured, linked or written beside it.
        Err(e) => {
            return TakeView {
                take: t,
                measures: t.analysis.clone(),
                levels: None,
                words: Default::default(),
                damaged: Some(e.reason),
            }
        }
    };
    let levels = session.levels(t);
    let words = t
        .transcript
        .as_ref()
        .and_then(|tr| session.take_path(&tr.file).ok())
        .and_then(|path| crate::transcribe::sidecar::read_words(&path))
        .unwrap_or_default();
    // A sidecar from before pitch contours were kept is measured again, once.
    let levels = levels.filter(|l| l.pitch.is_some());
    if levels.is_some() && t.analysis.is_some() {
        return TakeView {
            take: t,
            measures: t.analysis.clone(),
            levels,
            words,
            damaged: None,
        };
    }
    let measured = crate::audio::wav_reader::analyze_file_with_envelope(
        &wav,
        crate::analysis::Params::default(),
        &t.cues_s,
    )
    .ok();
    match measured {
        Some((m, envelope)) => {
            let levels = levels.unwrap_or_else(|| {
                let measured: LevelsFile = (&envelope).into();
                // A finished take only: one still being recorded has more to come. A folder
                // that cannot be written to just goes without the shortcut.
                if t.ended_by.is_some() {
                    let _ = store::save_levels(&session.dir, &t.file, &measured);
                }
                measured
            });
            TakeView {
                take: t,
                measures: t.analysis.clone().or(Some(m.into())),
                levels: Some(levels),
                words,
                damaged: None,
            }
        }
        None => TakeView {
            take: t,
            measures: t.analysis.clone(),
            levels,
            words,
            damaged: None,
        },
    }
}

/// What `write_progress_page` did.
#[derive(Debug)]
pub struct ProgressWritten {
    pub path: PathBuf,
    pub sessions: usize,
    pub takes: usize,
    /// Session pages that were missing and were written so every point links somewhere.
    pub pages_written: usize,
}

/// Writes `progress.html` into `recordings`, over every session that loads, and the
/// `report.html` of any session that has none yet.
pub fn write_progress_page(recordings: &Path) -> Result<ProgressWritten, PageError> {
    let mut sessions: Vec<Session> = record::sessions(recordings).collect();
    if sessions.is_empty() {
        return Err(PageError::NoSessions {
            dir: recordings.to_path_buf(),
        });
    }
    sessions.reverse(); // oldest first: charts read left to right in time
    let mut pages_written = 0;
    for s in &sessions {
        if std::fs::symlink_metadata(s.dir.join(REPORT_FILE)).is_err() {
            write_session_page(s)?;
            pages_written += 1;
        }
    }
    let page = progress_view(&sessions);
    let path = recordings.join(PROGRESS_FILE);
    write_atomic(&path, html::progress_page(&page).as_bytes()).map_err(|source| {
        PageError::Write {
            path: path.clone(),
            source,
        }
    })?;
    Ok(ProgressWritten {
        path,
        sessions: sessions.len(),
        takes: page.points.len(),
        pages_written,
    })
}

/// The progress page's content from `sessions`, oldest first.
pub fn progress_view(sessions: &[Session]) -> ProgressPage {
    let mut points = Vec::new();
    let mut questions: Vec<(String, String, Vec<Point>)> = Vec::new();
    // Each question's full attempts, by the one rule `history` counts them with.
    let mut attempts: Vec<(String, Vec<TakeFacts>)> = Vec::new();
    for s in sessions {
        let folder = s.name();
        let when = html::when(&s.log.started_at);
        let day = html::day(&s.log.started_at);
        for (i, q) in s.log.questions.iter().enumerate() {
            for t in &q.takes {
                let Some(facts) = t.facts.clone() else {
                    continue;
                };
                if !s.log.is_drill() && trend::is_attempt(s, t) {
                    match attempts.iter_mut().find(|(id, _)| *id == q.id) {
                        Some((_, list)) => list.push(facts.clone()),
                        None => attempts.push((q.id.clone(), vec![facts.clone()])),
                    }
                }
                let point = Point {
                    href: format!(
                        "{}#q{}-t{}",
                        html::url_path(&format!("{folder}/{REPORT_FILE}")),
                        i + 1,
                        t.take
                    ),
                    when: when.clone(),
                    day: day.clone(),
                    question_id: q.id.clone(),
                    take: t.take,
                    drill: s.log.is_drill(),
                    facts,
                };
                match questions.iter_mut().find(|(id, _, _)| *id == q.id) {
                    Some((_, text, list)) => {
                        text.clone_from(&q.text);
                        list.push(point.clone());
                    }
                    None => questions.push((q.id.clone(), q.text.clone(), vec![point.clone()])),
                }
                points.push(point);
            }
        }
    }
    let rows = sessions
        .iter()
        .rev()
        .map(|s| {
            let (answered, asked) = s.log.answered_of_asked();
            SessionRow {
                href: html::url_path(&format!("{}/{REPORT_FILE}", s.name())),
                when: html::when(&s.log.started_at),
                pack: s.log.pack.title.clone(),
                status: s.standing.label().to_string(),
                answered: format!("{answered} of {asked}"),
                speaking_s: s.log.speaking_s(),
            }
        })
        .collect();
    let trends = attempts
        .iter()
        .map(|(id, list)| {
            let facts: Vec<&TakeFacts> = list.iter().collect();
            (id.clone(), FactTrends::of(&facts))
        })
        .collect();
    ProgressPage {
        sessions: rows,
        points,
        questions,
        trends,
    }
}
