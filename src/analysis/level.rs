//! Loudness of a recording and the verdict a user acts on: too quiet, good, or clipping.
//! These are the one set of level thresholds: `check`, the live meter, the take's verdict in
//! the log, the analysis and its remarks all judge by them.

/// Peak and RMS over a stretch of samples, accumulated incrementally.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct LevelStats {
    pub peak: f32,
    sum_sq: f64,
    count: u64,
    clipped: u64,
}

/// A sample this close to full scale counts as clipped (16-bit full scale is 0.99997).
pub const CLIP_LEVEL: f32 = 0.999;
/// More than this fraction of samples at full scale is audible distortion.
pub const CLIPPED_FRACTION: f64 = 0.001;
/// Speech recorded for review should peak above this (dBFS)...
pub const QUIET_PEAK_DBFS: f32 = -30.0;
/// ...and below this peak, or this RMS, effectively nothing reached the microphone.
pub const SILENT_PEAK_DBFS: f32 = -45.0;
pub const SILENT_RMS_DBFS: f32 = -70.0;

impl LevelStats {
    pub fn add(&mut self, samples: &[f32]) {
        for &s in samples {
            let a = s.abs();
            if a > self.peak {
                self.peak = a;
            }
            if a >= CLIP_LEVEL {
                self.clipped += 1;
            }
            self.sum_sq += f64::from(s) * f64::from(s);
        }
        self.count += samples.len() as u64;
    }

    pub fn rms(&self) -> f32 {
        if self.count == 0 {
            0.0
        } else {
            (self.sum_sq / self.count as f64).sqrt() as f32
        }
    }

    pub fn clipped_fraction(&self) -> f64 {
        if self.count == 0 {
            0.0
        } else {
            self.clipped as f64 / self.count as f64
        }
    }

    pub fn verdict(&self) -> Verdict {
        Verdict::judge(self.peak, self.rms(), self.clipped_fraction())
    }
}

/// Decibels relative to full scale; silence is reported as -120 dBFS rather than -inf.
pub fn dbfs(amplitude: f32) -> f32 {
    if amplitude <= 1e-6 {
        -120.0
    } else {
        20.0 * amplitude.log10()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// Nothing, or almost nothing, reached the microphone.
    Silent,
    TooQuiet,
    Good,
    Clipping,
}

impl Verdict {
    /// Clipping, silent, too quiet or good, by the thresholds above.
    pub fn judge(peak: f32, rms: f32, clipped_fraction: f64) -> Verdict {
        let peak_db = dbfs(peak);
        if clipped_fraction > CLIPPED_FRACTION {
            Verdict::Clipping
        } else if peak_db < SILENT_PEAK_DBFS || dbfs(rms) < SILENT_RMS_DBFS {
            Verdict::Silent
        } else if peak_db < QUIET_PEAK_DBFS {
            Verdict::TooQuiet
        } else {
            Verdict::Good
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Verdict::Silent => "silent",
            Verdict::TooQuiet => "too quiet",
            Verdict::Good => "good",
            Verdict::Clipping => "clipping",
        }
    }

    /// What the user should do about it.
    pub fn advice(self) -> &'static str {
        match self {
            Verdict::Silent => {
                "nothing reached the microphone: check that it is plugged in, not muted, and \
                 the one voicemock uses (see `voicemock devices`, pick one with --input NAME)"
            }
            Verdict::TooQuiet => {
                "raise the microphone's input volume in your system's sound settings, or move \
                 closer to it"
            }
            Verdict::Good => "the level is fine for recording answers",
            Verdict::Clipping => {
                "the recording distorts: lower the microphone's input volume or move back from it"
            }
        }
    }

    pub fn is_warning(self) -> bool {
        self != Verdict::Good
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stats_of(samples: &[f32]) -> LevelStats {
        let mut s = LevelStats::default();
        s.add(samples);
        s
    }

    #[test]
    fn peak_and_rms() {
        let s = stats_of(&[0.5, -0.5, 0.5, -0.5]);
        assert_eq!(s.peak, 0.5);
        assert!((s.rms() - 0.5).abs() < 1e-6);
        let s = stats_of(&[]);
        assert_eq!((s.peak, s.rms()), (0.0, 0.0));
    }

    #[test]
    fn verdicts() {
        let sine = |amp: f32| -> Vec<f32> {
            (0..4800)
                .map(|i| amp * (i as f32 * 0.06).sin())
                .collect::<Vec<_>>()
        };
        let mut clipped = sine(1.2);
        clipped.iter_mut().for_each(|s| *s = s.clamp(-1.0, 1.0));
        let cases = [
            (vec![0.0; 4800], Verdict::Silent),
            (sine(0.003), Verdict::Silent),
            (sine(0.02), Verdict::TooQuiet),
            (sine(0.3), Verdict::Good),
            (sine(0.95), Verdict::Good),
            (clipped, Verdict::Clipping),
        ];
        for (samples, expected) in cases {
            let s = stats_of(&samples);
            assert_eq!(s.verdict(), expected, "peak {}", s.peak);
        }
    }

    #[test]
    fn dbfs_of_silence_is_finite() {
        assert_eq!(dbfs(0.0), -120.0);
        assert!((dbfs(1.0)).abs() < 1e-6);
        assert!((dbfs(0.5) + 6.0206).abs() < 1e-3);
    }
}
