//! The takes: opening the microphone, starting and stopping a recording, measuring what it
//! holds, and playing it back.

use anyhow::Context;

use super::log::{take_end, take_start};
use super::transcripts::TakeKey;
use super::{timestamp, Runner};
use crate::analysis::level::dbfs;
use crate::audio::ActiveRecording;
use crate::record::format::round_ms;
use crate::record::store;
use crate::record::{Level, SessionStatus, TakeEnd, TakeFacts, TakeLog};
use crate::report;
use crate::session::machine::{EndedBy, Event, StartedBy};
use crate::ui::mmss;
use crate::ui::screen::Light;
use crate::ui::screen::{Phase, Shown};

pub(super) struct Take {
    pub(super) recording: Box<dyn ActiveRecording>,
    pub(super) q: usize,
    pub(super) take: u32,
    pub(super) file: String,
    /// Its entry in the log, once the take has started (`None` while the microphone only
    /// listens during think time).
    pub(super) index_in_log: Option<usize>,
    /// Said once that the sound server moved the recording to another source.
    pub(super) told_moved: bool,
    /// Session time of the capture's first frame, as best seen: the least of `now` minus the
    /// seconds captured, over every look (delivery only ever lags).
    pub(super) origin: f64,
    /// The live voice activity said speech was going on, when last looked at.
    pub(super) speaking: bool,
    /// Seconds of capture where the take's clock started.
    pub(super) clock_start_s: f64,
    /// Where cues played, in seconds of capture: left out of the take's analysis.
    pub(super) cues: Vec<(f64, f64)>,
    /// Seconds of capture where the take's start cue began: the file starts there, so
    /// nothing said over the cue is lost (the cue itself is left out of the measures).
    pub(super) start_cue_s: Option<f64>,
}

impl Take {
    /// Looks at the live voice activity: the change since the last look, as a machine event.
    pub(super) fn voice_change(&mut self, now: f64) -> Option<Event> {
        let voice = self.recording.voice();
        self.origin = self.origin.min(now - voice.captured_s);
        if voice.speaking == self.speaking {
            return None;
        }
        self.speaking = voice.speaking;
        Some(if voice.speaking {
            Event::VoiceStarted {
                at: self.origin + voice.started_s.unwrap_or(voice.captured_s),
            }
        } else {
            Event::VoiceStopped {
                at: self.origin + voice.stopped_s.unwrap_or(voice.captured_s),
            }
        })
    }
}

/// Seconds kept before the point a take started by speaking: the voice activity places the
/// start of speech on its first loud frame, and a soft opening sound comes before that.
pub const PRE_ROLL_S: f64 = 0.5;

impl Runner<'_> {
    /// Opens the microphone for a take that has not started: it listens for the candidate
    /// to speak up, keeping a pre-roll, and writes nothing until the take starts. The take
    /// will hold no more than `max_s` (its limit and grace, as the machine said).
    pub(super) fn open_mic(
        &mut self,
        q: usize,
        take: u32,
        max_s: f64,
        now: f64,
    ) -> anyhow::Result<()> {
        if self
            .take
            .as_ref()
            .is_some_and(|t| t.q == q && t.take == take && t.index_in_log.is_none())
        {
            return Ok(());
        }
        let opened = self.open_capture(q, take, max_s + PRE_ROLL_S, Some(PRE_ROLL_S), now)?;
        self.take = Some(opened);
        Ok(())
    }

    pub(super) fn open_capture(
        &mut self,
        q: usize,
        take: u32,
        max_s: f64,
        pre_roll_s: Option<f64>,
        now: f64,
    ) -> anyhow::Result<Take> {
        let question = &self.plan.log.questions[q];
        let file = crate::record::folder::take_file(q, &question.id, take);
        let path = self.plan.dir.join(&file);
        // However fast the device delivers, the take holds no more than its limit and grace.
        match self.devices.mic.start(&path, max_s, pre_roll_s) {
            // The capture's first frame comes once the stream is open, not when the step
            // began: opening (and what the step did before it, such as starting a cue) can
            // take a good part of a second on a busy machine. So the origin is the clock read
            // now, an estimate from above that the voice activity's looks refine downward.
            Ok(recording) => Ok(Take {
                origin: self.clock.now_s().max(now),
                recording,
                q,
                take,
                file,
                index_in_log: None,
                told_moved: false,
                speaking: false,
                clock_start_s: 0.0,
                cues: Vec::new(),
                start_cue_s: None,
            }),
            Err(e) => {
                self.plan.log.status = SessionStatus::DeviceError;
                self.plan.log.ended_at = Some(timestamp());
                self.plan.log.ended_at_s = Some(now);
                self.save()?;
                Err(e).context(format!("starting to record answer {}", q + 1))
            }
        }
    }

    /// The microphone opened for a take that never started: it holds nothing.
    pub(super) fn close_mic(&mut self) {
        if let Some(take) = self.take.take() {
            debug_assert!(take.index_in_log.is_none());
            let _ = take.recording.stop();
            // It holds nothing: the answer never started.
            let _ = std::fs::remove_file(self.plan.dir.join(&take.file));
        }
    }

    /// Starts take `take` of question `q`, held to `limit_s` and `overtime_s` of grace as the
    /// machine's action says, on the microphone already open for it or on one opened now.
    pub(super) fn start_recording(
        &mut self,
        q: usize,
        take: u32,
        (limit_s, overtime_s): (f64, f64),
        at: f64,
        started_by: StartedBy,
        now: f64,
    ) -> anyhow::Result<()> {
        self.end_bar();
        let open = self
            .take
            .take()
            .filter(|t| t.q == q && t.take == take && t.index_in_log.is_none());
        let mut current = match open {
            Some(mut t) => {
                // The clock starts at `at`; a take started by speaking keeps the moment
                // before, so its first word is whole, and one started after its cue keeps
                // the cue's time, so nothing said over it is lost.
                t.clock_start_s = (at - t.origin).max(0.0);
                let from = match (started_by, t.start_cue_s) {
                    (StartedBy::Voice, _) => t.clock_start_s - PRE_ROLL_S,
                    (_, Some(cue)) => cue.min(t.clock_start_s),
                    _ => t.clock_start_s,
                };
                t.recording.begin(from.max(0.0));
                t
            }
            None => {
                // Opened now; the file begins at `at`, after the start cue if there is one.
                let max_s = limit_s + overtime_s;
                let mut t = self.open_capture(q, take, max_s, Some(0.0), now)?;
                t.clock_start_s = (at - t.origin).max(0.0);
                t.recording.begin(t.clock_start_s);
                t
            }
        };
        let entry = TakeLog::started(
            take,
            current.file.clone(),
            timestamp(),
            at,
            limit_s,
            Some(take_start(started_by)),
        );
        let question = &mut self.plan.log.questions[q];
        question.takes.push(entry);
        current.index_in_log = Some(question.takes.len() - 1);
        self.take = Some(current);
        // Announced on stdout before anything else, so a script can tell the take has begun.
        self.say(format!(
            "  Recording answer (limit {}){}: Enter: done, s: next question, r: start again, q: quit",
            mmss(limit_s),
            if started_by == StartedBy::Voice {
                ", started when you spoke"
            } else {
                ""
            }
        ));
        self.last_light = Light::Off;
        self.begin_phase(Phase::Answering, limit_s, now - at);
        self.save()
    }

    pub(super) fn stop_recording(
        &mut self,
        q: usize,
        ended_by: EndedBy,
        overtime_s: f64,
        cut_off: bool,
        now: f64,
    ) -> anyhow::Result<()> {
        self.end_bar();
        let Some(take) = self.take.take() else {
            return Ok(());
        };
        debug_assert_eq!(take.q, q);
        let Some(index) = take.index_in_log else {
            return Ok(());
        };
        let file_start_s = take.recording.file_start_s();
        if !matches!(ended_by, EndedBy::DeviceError | EndedBy::Interrupt) {
            // Everything said up to this moment belongs to the take, some of it still in the
            // device's buffers: the file should hold its clock's length after its start.
            if let Some(file_start) = file_start_s {
                let started_at_s = self.plan.log.questions[q].takes[index].started_at_s;
                take.recording
                    .catch_up(take.clock_start_s - file_start + (now - started_at_s).max(0.0));
            }
        }
        let stats = take.recording.stop();
        let entry = &mut self.plan.log.questions[q].takes[index];
        entry.pre_roll_s = file_start_s.map_or(0.0, |f| (take.clock_start_s - f).max(0.0));
        // The cues in the file's own seconds, as far as the file goes.
        let file_start = file_start_s.unwrap_or(take.clock_start_s);
        let file_s = stats.as_ref().map_or(f64::INFINITY, |s| s.duration_s());
        entry.cues_s = take
            .cues
            .iter()
            .map(|&(a, b)| [a - file_start, b - file_start].map(|t| round_ms(t.clamp(0.0, file_s))))
            .filter(|[a, b]| b > a)
            .collect();
        entry.ended_by = Some(take_end(ended_by));
        entry.ended_at_s = Some(now);
        entry.overtime_s = overtime_s;
        entry.cut_off = cut_off;
        match stats {
            Ok(stats) => {
                if let Some(fault) = &stats.fault {
                    self.fault = Some((fault.clone(), stats.duration_s()));
                }
                entry.duration_s = stats.duration_s();
                entry.sample_rate = stats.sample_rate;
                entry.peak_dbfs = f64::from(dbfs(stats.peak));
                entry.take_rms_dbfs = f64::from(dbfs(stats.rms));
                entry.overruns = stats.overruns;
                entry.stream_errors = stats.stream_errors;
                entry.level = stats.verdict().into();
                if let Err(warning) = analyse_take(&self.plan.dir, entry) {
                    self.devices.screen.show(Shown::Warning(warning));
                }
            }
            Err(e) => {
                entry.level = Level::Unknown;
                self.devices
                    .screen
                    .show(Shown::Warning(format!("finishing the recording: {e}")));
            }
        }
        // The take's facts and remarks, worked out once, as made now: what every view shows.
        let question = &self.plan.log.questions[q];
        let facts = TakeFacts::of(question, &question.takes[index], self.plan.usual_wpm);
        let entry = &mut self.plan.log.questions[q].takes[index];
        entry.facts = Some(facts);
        let (file, take_number) = (entry.file.clone(), entry.take);
        let line = report::take_line(q + 1, entry);
        self.show(Shown::Take {
            q,
            take: take_number,
            line,
        });
        if self.devices.transcriber.is_some() && !matches!(ended_by, EndedBy::Repeat) {
            self.to_transcribe.push((
                TakeKey {
                    q,
                    take: take_number,
                },
                self.plan.dir.join(file),
            ));
        }
        self.save()
    }

    /// Says, once a take, that the sound server moved its recording to another source: the
    /// take goes on, but what it records from then on is most likely silence.
    pub(super) fn tell_if_moved(&mut self) {
        let Some(take) = self.take.as_mut().filter(|t| !t.told_moved) else {
            return;
        };
        let Some(to) = take.recording.moved_to() else {
            return;
        };
        take.told_moved = true;
        self.warn(format!(
            "the sound server moved this recording to another source ({to}); the rest of the \
             answer may be silence; check the microphone (`voicemock devices`)"
        ));
    }

    /// After an error: stop the take in progress so its file is finished, and keep what the
    /// recording says in the log if the log can still be written.
    pub(super) fn abandon_take(&mut self) {
        self.end_bar();
        let Some(take) = self.take.take() else {
            return;
        };
        let Some(index) = take.index_in_log else {
            let _ = take.recording.stop();
            let _ = std::fs::remove_file(self.plan.dir.join(&take.file));
            return;
        };
        if let Ok(stats) = take.recording.stop() {
            let entry = &mut self.plan.log.questions[take.q].takes[index];
            entry.duration_s = stats.duration_s();
            entry.sample_rate = stats.sample_rate;
            entry.ended_by = Some(TakeEnd::DeviceError);
            let _ = self.save();
        }
    }

    /// Plays take `take` of question `q` back. If it cannot be played, says why and lets the
    /// machine go on as if it had played.
    pub(super) fn play(&mut self, q: usize, take: u32, now: f64) -> anyhow::Result<()> {
        let takes = &self.plan.log.questions[q].takes;
        let Some(index) = takes.iter().position(|t| t.take == take) else {
            return Ok(());
        };
        let path = self.plan.dir.join(&takes[index].file);
        let duration_s = takes[index].duration_s;
        let started = match self.devices.player.as_deref_mut() {
            Some(player) => player.open(&path, 0.0).map_err(anyhow::Error::from),
            None => Err(anyhow::anyhow!("there is no speaker to play it on")),
        };
        match started {
            Ok(playing) => {
                self.say(format!(
                    "  Playing take {take} ({}): l: from the start, r: record again, \
                     Enter: next question",
                    mmss(duration_s)
                ));
                self.playing = Some(playing);
                self.plan.log.questions[q].takes[index].listened = true;
                self.save()
            }
            Err(e) => {
                self.say(format!("  cannot play the take back: {e:#}"));
                // Reviewing goes on as if it had played; that never ends the session.
                self.feed(now, Event::PlaybackEnded).map(|_| ())
            }
        }
    }
}

/// Measures a stopped take's file into its log entry and keeps its levels (the waveform of the
/// review page; without them the page reads the WAV). What could not be done is the warning.
fn analyse_take(dir: &std::path::Path, entry: &mut TakeLog) -> Result<(), String> {
    let path = dir.join(&entry.file);
    let (m, envelope) = crate::audio::wav_reader::analyze_file_with_envelope(
        &path,
        crate::analysis::Params::default(),
        &entry.cues_s,
    )
    .map_err(|e| format!("could not analyse {}: {e}", path.display()))?;
    entry.analysis = Some(m.into());
    let levels = (&envelope).into();
    store::save_levels(dir, &entry.file, &levels)
        .map_err(|e| format!("could not keep the levels of {}: {e}", path.display()))
}
