//! The sound cues: short, soft tones a candidate looking away from the screen can hear (the
//! answer starts, time to wrap up, time is up). Made here as samples and written once into a
//! private folder as WAVs, so the one player plays them like any file. No device code.

use std::path::{Path, PathBuf};

use super::writer::{create_private_file, write_pcm_wav};

/// The rate the cues are made at (the player converts to the device's).
const RATE: u32 = 48_000;
/// Loud enough to hear across a room, far below speech through the same speaker.
const AMPLITUDE: f32 = 0.25;
/// Fade in and out, so a tone starts and stops without a click.
const FADE_S: f64 = 0.01;

/// Each cue as notes: (frequency in Hz, seconds); a frequency of 0 is a rest.
const START: &[(f64, f64)] = &[(660.0, 0.09), (880.0, 0.11)];
const WRAP_UP: &[(f64, f64)] = &[(880.0, 0.15)];
const TIME_UP: &[(f64, f64)] = &[(660.0, 0.1), (0.0, 0.05), (660.0, 0.1)];

/// Seconds from asking for the start cue to the moment it has been heard out: its length
/// plus the time a new output stream takes to start and drain. The answer's clock starts
/// then, so the cue is never inside what is measured.
pub const START_CUE_HEARD_S: f64 = 0.2 + 0.25;
/// How long after a cue is played the microphone may still hear it (the cue, the output's
/// latency and the room's echo): the live voice activity counts that stretch as silence.
pub const CUE_MASK_S: f64 = 0.6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CueSound {
    Start,
    WrapUp,
    TimeUp,
}

/// The samples of one cue, mono at [`RATE`].
pub fn samples(cue: CueSound) -> Vec<f32> {
    let notes = match cue {
        CueSound::Start => START,
        CueSound::WrapUp => WRAP_UP,
        CueSound::TimeUp => TIME_UP,
    };
    let mut out = Vec::new();
    for &(hz, s) in notes {
        let n = (s * f64::from(RATE)) as usize;
        let fade = (FADE_S * f64::from(RATE)) as usize;
        out.extend((0..n).map(|i| {
            if hz == 0.0 {
                return 0.0;
            }
            let envelope = (i.min(n - 1 - i) as f32 / fade as f32).min(1.0);
            let phase = std::f64::consts::TAU * hz * i as f64 / f64::from(RATE);
            AMPLITUDE * envelope * phase.sin() as f32
        }));
    }
    out
}

/// The cues as files in a private folder, removed when dropped.
pub struct CueFiles {
    dir: PathBuf,
}

impl CueFiles {
    /// Writes the three cues into a new private folder under `parent` (the system's temporary
    /// folder, shared with other users): a name already taken, by anyone, is never used.
    pub fn create(parent: &Path) -> std::io::Result<CueFiles> {
        let mut n = 0u32;
        let dir = loop {
            let dir = parent.join(format!("voicemock-cues-{}-{n}", std::process::id()));
            match crate::files::create_private_dir(&dir) {
                Ok(()) => break dir,
                Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && n < 100 => n += 1,
                Err(e) => return Err(e),
            }
        };
        let files = CueFiles { dir };
        for cue in [CueSound::Start, CueSound::WrapUp, CueSound::TimeUp] {
            let pcm: Vec<i16> = samples(cue)
                .iter()
                .map(|&s| super::convert::f32_to_i16(s))
                .collect();
            write_pcm_wav(create_private_file(&files.path(cue))?, RATE, &pcm)?;
        }
        Ok(files)
    }

    pub fn path(&self, cue: CueSound) -> PathBuf {
        self.dir.join(match cue {
            CueSound::Start => "start.wav",
            CueSound::WrapUp => "wrap-up.wav",
            CueSound::TimeUp => "time-up.wav",
        })
    }
}

impl Drop for CueFiles {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cues_are_short_soft_and_start_and_end_in_silence() {
        for cue in [CueSound::Start, CueSound::WrapUp, CueSound::TimeUp] {
            let s = samples(cue);
            let seconds = s.len() as f64 / f64::from(RATE);
            assert!(seconds > 0.1 && seconds <= 0.3, "{cue:?}: {seconds} s");
            assert!(s.iter().all(|x| x.abs() <= AMPLITUDE));
            assert!(
                s[0].abs() < 0.01 && s[s.len() - 1].abs() < 0.01,
                "{cue:?} clicks"
            );
        }
        let start_s = samples(CueSound::Start).len() as f64 / f64::from(RATE);
        assert!(start_s < START_CUE_HEARD_S && START_CUE_HEARD_S < CUE_MASK_S);
        let dir = tempfile::tempdir().unwrap();
        let files = CueFiles::create(dir.path()).unwrap();
        let r = hound::WavReader::open(files.path(CueSound::TimeUp)).unwrap();
        assert_eq!(r.duration() as usize, samples(CueSound::TimeUp).len());
        drop(files);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
    }
}
