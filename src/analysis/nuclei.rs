//! Syllable nuclei in the manner of de Jong & Wempe: peaks of a level contour (the vowel-band
//! level, see `frontend`) that stand out by a dip on both sides, and that are voiced. This module
//! finds the candidates and decides voicing while the stream goes by; which of them lie in loud
//! enough frames and inside speech is decided at the end, when the threshold is known.

use super::frontend::Decimator;

/// A peak must rise this much above the dip before it and fall this much before the next peak.
pub(crate) const DIP_DB: f32 = 2.0;
/// Lowest and highest fundamental accepted as voice.
const F0_MIN_HZ: f64 = 60.0;
const F0_MAX_HZ: f64 = 450.0;
/// Normalised autocorrelation a peak must reach at some lag in the F0 range to count as voiced.
/// Vowel peaks of real speech score 0.65–0.98 here; fricatives and noise 0.15–0.4.
pub(crate) const VOICING_MIN_R: f32 = 0.45;
/// Analysis window of the voicing check, around the peak's frame centre.
const VOICING_WINDOW_S: f64 = 0.04;
/// Peaks quieter than this (dB re full scale) are not worth a voicing check.
const VOICING_FLOOR_DB: f32 = -90.0;

/// A committed peak of the level contour.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Peak {
    pub frame: usize,
    pub db: f32,
    pub voiced: bool,
}

#[derive(Debug, Clone, Copy)]
struct Candidate {
    frame: usize,
    db: f32,
    voiced: Option<bool>,
}

enum State {
    SeekMax(Candidate),
    SeekMin(f32),
}

pub(crate) struct NucleusTracker {
    state: Option<State>,
    pending: Vec<Candidate>,
    peaks: Vec<Peak>,
    voicing: Voicing,
    hop_s: f64,
}

impl NucleusTracker {
    pub(crate) fn new(hop_s: f64, dec: &Decimator) -> Self {
        NucleusTracker {
            state: None,
            pending: Vec::new(),
            peaks: Vec::new(),
            voicing: Voicing::new(dec.rate()),
            hop_s,
        }
    }

    /// Feed the level of the next frame (frames arrive in order, starting at 0). `dec` must
    /// hold the decimated signal up to at least this frame's end.
    pub(crate) fn push(&mut self, frame: usize, db: f32, dec: &Decimator) {
        let fresh = Candidate {
            frame,
            db,
            voiced: None,
        };
        self.state = Some(match self.state.take() {
            None => State::SeekMax(fresh),
            Some(State::SeekMax(c)) if db > c.db => State::SeekMax(fresh),
            Some(State::SeekMax(c)) if db < c.db - DIP_DB => {
                self.pending.push(c);
                State::SeekMin(db)
            }
            Some(State::SeekMax(c)) => State::SeekMax(c),
            Some(State::SeekMin(m)) if db > m + DIP_DB => State::SeekMax(fresh),
            Some(State::SeekMin(m)) => State::SeekMin(m.min(db)),
        });
        // A candidate that has stood for a while may stay the maximum for a long time (a held
        // vowel, steady noise); judge its voicing now, while the ring still holds its samples.
        if let Some(State::SeekMax(c)) = &mut self.state {
            if c.voiced.is_none() {
                c.voiced = self.voicing.judge(c.frame, c.db, self.hop_s, dec, false);
            }
        }
        self.settle(dec, false);
    }

    /// End of stream: the last candidate is a peak; judge what is left with the data there is.
    pub(crate) fn finish(&mut self, dec: &Decimator) -> Vec<Peak> {
        if let Some(State::SeekMax(c)) = self.state.take() {
            self.pending.push(c);
        }
        self.settle(dec, true);
        std::mem::take(&mut self.peaks)
    }

    fn settle(&mut self, dec: &Decimator, at_end: bool) {
        let mut i = 0;
        while i < self.pending.len() {
            let c = self.pending[i];
            let voiced = c
                .voiced
                .or_else(|| self.voicing.judge(c.frame, c.db, self.hop_s, dec, at_end));
            match voiced {
                Some(voiced) => {
                    self.peaks.push(Peak {
                        frame: c.frame,
                        db: c.db,
                        voiced,
                    });
                    self.pending.remove(i);
                }
                None => i += 1,
            }
        }
    }
}

/// The voicing check: the largest normalised autocorrelation of the decimated, band-passed
/// signal at lags between 1/F0_MAX and 1/F0_MIN, around one frame.
struct Voicing {
    rate: f64,
    window: usize,
    lag_min: usize,
    lag_max: usize,
    buf: Vec<f32>,
}

impl Voicing {
    fn new(rate: f64) -> Self {
        let window = (VOICING_WINDOW_S * rate).round() as usize;
        let lag_min = ((rate / F0_MAX_HZ).floor() as usize).max(1);
        let lag_max = (rate / F0_MIN_HZ).ceil() as usize;
        Voicing {
            rate,
            window,
            lag_min,
            lag_max,
            buf: vec![0.0; window + lag_max],
        }
    }

    /// `Some(voiced)` once decided; `None` while the samples after the frame have not arrived.
    /// At the end of the stream, a window that cannot be filled counts as unvoiced.
    fn judge(
        &mut self,
        frame: usize,
        db: f32,
        hop_s: f64,
        dec: &Decimator,
        at_end: bool,
    ) -> Option<bool> {
        if db < VOICING_FLOOR_DB {
            return Some(false);
        }
        let centre = (frame as f64 + 0.5) * hop_s * self.rate;
        let start = (centre - self.buf.len() as f64 / 2.0).round();
        if start < 0.0 {
            return Some(false);
        }
        let start = start as u64;
        if dec.copy(start, &mut self.buf) {
            Some(self.strongest_correlation() >= VOICING_MIN_R)
        } else if at_end || start + (self.buf.len() as u64) <= dec.written() {
            // Either the stream ended or the ring already overwrote the window.
            Some(false)
        } else {
            None
        }
    }

    fn strongest_correlation(&mut self) -> f32 {
        let mean = self.buf.iter().sum::<f32>() / self.buf.len() as f32;
        self.buf.iter_mut().for_each(|v| *v -= mean);
        let w = self.window;
        let mut best = 0f32;
        for lag in self.lag_min..=self.lag_max {
            // Centre the pair of windows on the frame whatever the lag.
            let s = (self.lag_max - lag) / 2;
            let x = &self.buf[s..s + w];
            let y = &self.buf[s + lag..s + lag + w];
            let (xy, xx, yy) = dot3(x, y);
            if xx > 0.0 && yy > 0.0 {
                best = best.max(xy / (xx * yy).sqrt());
            }
        }
        best
    }
}

fn dot3(x: &[f32], y: &[f32]) -> (f32, f32, f32) {
    const L: usize = 8;
    let (mut xy, mut xx, mut yy) = ([0f32; L], [0f32; L], [0f32; L]);
    let xc = x.chunks_exact(L);
    let yc = y.chunks_exact(L);
    let (xr, yr) = (xc.remainder(), yc.remainder());
    for (a, b) in xc.zip(yc) {
        for i in 0..L {
            xy[i] += a[i] * b[i];
            xx[i] += a[i] * a[i];
            yy[i] += b[i] * b[i];
        }
    }
    for (i, (a, b)) in xr.iter().zip(yr).enumerate() {
        xy[i] += a * b;
        xx[i] += a * a;
        yy[i] += b * b;
    }
    (xy.iter().sum(), xx.iter().sum(), yy.iter().sum())
}

#[cfg(test)]
mod tests {
    use super::super::frontend::FrontEnd;
    use super::*;

    /// Run a level contour (one value per frame) through the tracker over a silent signal; the
    /// voicing of every peak is then "unvoiced", but the peak positions are what is tested.
    fn peaks_of(contour: &[f32]) -> Vec<usize> {
        let fe = FrontEnd::new(16_000);
        let mut t = NucleusTracker::new(0.01, fe.decimated());
        for (i, &db) in contour.iter().enumerate() {
            t.push(i, db, fe.decimated());
        }
        t.finish(fe.decimated()).iter().map(|p| p.frame).collect()
    }

    #[test]
    fn peaks_need_a_dip_on_both_sides() {
        let table: &[(&[f32], &[usize])] = &[
            // Two hills with a 5 dB valley: two peaks.
            (&[-60., -40., -30., -35., -30., -40., -60.], &[2, 4]),
            // A 1 dB ripple is one peak, at the highest point.
            (&[-60., -40., -30., -31., -30.5, -40., -60.], &[2]),
            // A plateau rising at the end: one peak.
            (&[-60., -30., -31., -29., -60.], &[3]),
            // Falling from the start: the first frame is a peak.
            (&[-20., -30., -40.], &[0]),
            (&[], &[]),
        ];
        for (contour, want) in table {
            assert_eq!(&peaks_of(contour), want, "contour {contour:?}");
        }
    }

    fn voiced(signal: &[f32], rate: u32) -> bool {
        let mut fe = FrontEnd::new(rate);
        fe.push(signal, |_, _| {});
        let mut v = Voicing::new(fe.decimated().rate());
        let frame = signal.len() / 2 / fe.hop();
        v.judge(frame, -20.0, 0.01, fe.decimated(), true).unwrap()
    }

    #[test]
    fn harmonic_sound_is_voiced_and_noise_is_not() {
        for rate in [16_000u32, 44_100, 48_000] {
            let n = rate as usize / 5;
            let f0 = 140.0;
            let harmonic: Vec<f32> = (0..n)
                .map(|i| {
                    let t = i as f64 / rate as f64;
                    (1..6)
                        .map(|k| (2.0 * std::f64::consts::PI * f0 * k as f64 * t).sin() / k as f64)
                        .sum::<f64>() as f32
                        * 0.3
                })
                .collect();
            let mut rng = fastrand::Rng::with_seed(7);
            let noise: Vec<f32> = (0..n).map(|_| rng.f32() - 0.5).collect();
            assert!(voiced(&harmonic, rate), "harmonic at {rate} Hz");
            assert!(!voiced(&noise, rate), "noise at {rate} Hz");
        }
    }
}
