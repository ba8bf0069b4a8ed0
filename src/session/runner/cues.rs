//! The sound cues: played through the player, and counted as silence by the live voice
//! activity so that the take's analysis leaves them out.

use std::time::{Duration, Instant};

use super::clock::POLL;
use super::Runner;
use crate::audio::cues::{CueFiles, CueSound, CUE_MASK_S, START_CUE_HEARD_S};
use crate::session::machine::Cue;

/// The longest a cue is waited for (a cue lasts a fraction of a second).
const CUE_WAIT: Duration = Duration::from_millis(1500);

impl Runner<'_> {
    /// Lets a cue that is playing finish (briefly: a cue is short), so that the next question
    /// is not said over it and the session does not end in the middle of it.
    pub(super) fn let_cue_finish(&mut self) {
        if let Some(playing) = self.cue_playing.take() {
            let start = Instant::now();
            while !playing.is_finished()
                && playing.failure().is_none()
                && start.elapsed() < CUE_WAIT
            {
                std::thread::sleep(POLL);
            }
        }
    }

    /// Plays a cue, and tells the live voice activity to count what the microphone hears of
    /// it as silence. Without a speaker there is no cue.
    pub(super) fn cue(&mut self, cue: Cue, now: f64) {
        let Some(player) = self.devices.player.as_deref_mut() else {
            return;
        };
        if self.cues.is_none() {
            match CueFiles::create(&std::env::temp_dir()) {
                Ok(files) => self.cues = Some(files),
                Err(e) => {
                    self.devices.player = None;
                    self.warn(format!("cannot make the sound cues: {e}"));
                    return;
                }
            }
        }
        let sound = match cue {
            Cue::Start => CueSound::Start,
            Cue::WrapUp => CueSound::WrapUp,
            Cue::TimeUp => CueSound::TimeUp,
        };
        let Some(path) = self.cues.as_ref().map(|c| c.path(sound)) else {
            return;
        };
        // The start cue has been heard out when the take's clock starts; the others may
        // still be heard a while after they end.
        let heard_s = match cue {
            Cue::Start => START_CUE_HEARD_S,
            Cue::WrapUp | Cue::TimeUp => CUE_MASK_S,
        };
        if let Some(take) = &mut self.take {
            let from = now - take.origin;
            take.recording.mask(from, from + heard_s);
            take.cues.push((from, from + heard_s));
            if cue == Cue::Start && take.index_in_log.is_none() {
                take.start_cue_s = Some(from);
            }
        }
        match player.open(&path, 0.0) {
            Ok(playing) => self.cue_playing = Some(playing),
            Err(e) => {
                // No cue was heard: its time is the speaker's again (the live voice activity
                // only counted it as silence a moment).
                if let Some(take) = &mut self.take {
                    take.cues.pop();
                    if cue == Cue::Start && take.index_in_log.is_none() {
                        take.start_cue_s = None;
                    }
                }
                self.warn(format!("cannot play a sound cue: {e}"));
            }
        }
    }
}
