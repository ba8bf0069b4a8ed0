//! Transcripts: the transcriber's interface, handing it the finished takes, and collecting
//! what it returns into the log and the takes' sidecars.

use std::path::Path;
use std::time::Duration;

use super::clock::Clock;
use super::Runner;
use crate::record::TakeFacts;
use crate::report;
use crate::session::machine::Signal;
use crate::transcribe::{sidecar, Transcript};
use crate::ui::screen::Shown;

/// Transcribes finished takes in the background; the session never waits for it while it
/// runs. `key` comes back with the result.
pub trait Transcriber {
    fn submit(&mut self, key: TakeKey, wav: &Path);
    /// Results finished so far; never blocks.
    fn poll(&mut self) -> Vec<(TakeKey, Result<Transcript, String>)>;
    /// Takes submitted and not yet returned.
    fn pending(&self) -> usize;
}

/// Which take a transcript belongs to: question index and take number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TakeKey {
    pub q: usize,
    pub take: u32,
}

/// Seconds a new take records before the transcriber gets the takes that ended before it.
const TRANSCRIBE_AFTER_S: f64 = 0.5;

/// How long the end of a session waits for the last transcripts.
const TRANSCRIPT_WAIT: Duration = Duration::from_secs(180);

impl Runner<'_> {
    /// Hands the finished takes to the transcriber, but never while a recording is starting:
    /// a new take's stream gets going first (its first half second in the file), so the
    /// transcription's start never costs the next answer its opening.
    pub(super) fn submit_transcriptions(&mut self) {
        if self.to_transcribe.is_empty()
            || self
                .take
                .as_ref()
                .is_some_and(|t| t.recording.recorded_s() < TRANSCRIBE_AFTER_S)
        {
            return;
        }
        if let Some(t) = self.devices.transcriber.as_deref_mut() {
            for (key, wav) in self.to_transcribe.drain(..) {
                t.submit(key, &wav);
            }
        }
    }

    /// At the end of a session: the transcripts still being made, until they are all in, a
    /// signal arrives, or [`TRANSCRIPT_WAIT`] has passed.
    pub(super) fn await_transcripts(
        &mut self,
        signals: &dyn Fn() -> Option<Signal>,
        clock: &dyn Clock,
    ) {
        // The last take has ended: nothing is recording now.
        self.submit_transcriptions();
        let pending = self
            .devices
            .transcriber
            .as_deref()
            .map_or(0, |t| t.pending());
        if pending == 0 {
            return;
        }
        self.end_bar();
        self.say(format!(
            "  Transcribing the last answer{}... (Ctrl-C to leave it)",
            if pending == 1 { "" } else { "s" }
        ));
        let deadline = clock.now_s() + TRANSCRIPT_WAIT.as_secs_f64();
        while self
            .devices
            .transcriber
            .as_deref()
            .is_some_and(|t| t.pending() > 0)
            && clock.now_s() < deadline
            && signals().is_none()
        {
            self.collect_transcripts();
            clock.pause(Duration::from_millis(50));
        }
        self.collect_transcripts();
    }

    /// Takes in the transcripts that are ready, writes each take's sidecar and summary, and
    /// says what was said.
    pub(super) fn collect_transcripts(&mut self) {
        let Some(t) = self.devices.transcriber.as_deref_mut() else {
            return;
        };
        let results = t.poll();
        if results.is_empty() {
            return;
        }
        for (key, result) in results {
            let question = &mut self.plan.log.questions[key.q];
            let Some(index) = question.takes.iter().position(|t| t.take == key.take) else {
                continue;
            };
            let entry = &mut question.takes[index];
            match result {
                Ok(transcript) => {
                    let summary = sidecar::summarize(
                        &transcript,
                        &entry.file,
                        &question.category,
                        &question.talking_points,
                    );
                    if let Err(e) = sidecar::write(&self.plan.dir, &summary, &transcript) {
                        self.devices.screen.show(Shown::Warning(format!(
                            "could not write {}: {e}",
                            summary.file
                        )));
                    }
                    entry.transcript = Some(summary);
                    // The pace now comes from the words: the facts and remarks follow.
                    if entry.facts.is_some() {
                        let facts =
                            TakeFacts::of(question, &question.takes[index], self.plan.usual_wpm);
                        question.takes[index].facts = Some(facts);
                    }
                    let entry = &question.takes[index];
                    let line = entry.transcript.as_ref().map(|tr| {
                        report::transcript_line(key.q + 1, key.take, tr, entry.facts.as_ref())
                    });
                    if let Some(line) = line {
                        self.say(line);
                    }
                }
                Err(e) => {
                    entry.transcript_error = Some(e.clone());
                    if !self.said_transcript_errors.contains(&e) {
                        self.say(format!(
                            "  Answer {}, take {}: no transcript ({e}); the recording is kept, \
                             and later takes that fail the same way are noted in the log only",
                            key.q + 1,
                            key.take
                        ));
                        self.said_transcript_errors.push(e);
                    }
                }
            }
        }
        let _ = self.save();
    }
}
