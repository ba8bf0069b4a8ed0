//! The pitch (F0) track: one estimate per 10 ms frame, by YIN (de Cheveigné & Kawahara, 2002,
//! JASA 111(4)): the difference function, its cumulative-mean normalisation, the first dip under
//! an absolute threshold (which keeps the tracker off the subharmonics), and parabolic
//! interpolation of the dip. It reads the decimated, band-passed copy the front end already
//! keeps (~4 kHz), so it adds no work at the input rate. The stream gives one raw estimate per frame (a few
//! bytes); which frames are voiced, and the octave check, are decided at the end, when the
//! speech runs are known. Owns no summary or remark: those are in `voice`.

use super::frontend::Decimator;

/// The F0 range searched, in Hz: down to the low end of deep male voices (which fall under
/// Praat's usual 75 Hz floor at the ends of phrases), above the highest female and child
/// speaking voices.
pub(crate) const F0_MIN_HZ: f64 = 60.0;
pub(crate) const F0_MAX_HZ: f64 = 600.0;
/// YIN's absolute threshold: the first lag whose normalised difference dips below this is the
/// period (then the bottom of that dip). The paper uses 0.1 on clean speech; our copy is
/// band-passed and may be noisy, so a little higher.
const DIP_THRESHOLD: f32 = 0.2;
/// A frame is voiced when its normalised difference at the period is below this (an
/// aperiodicity: 0 for a perfectly periodic sound, about 1 for noise).
const VOICED_MAX: f32 = 0.3;
/// Integration window of the difference function: more than one period of the lowest F0.
const WINDOW_S: f64 = 0.025;
/// A voiced stretch carries on into a neighbouring frame of speech whose aperiodicity is below
/// this, and whose F0 is within `CONTINUE_ST` semitones of its neighbour's.
const CONTINUE_MAX: f32 = 0.5;
const CONTINUE_ST: f32 = 3.0;
/// No frame this many dB or more below the take's loud level (its 99th-percentile frame level)
/// is voiced, however periodic: the counterpart of Praat's silence threshold (0.03 of the
/// loudest peak, 30 dB), under which Praat calls frames unvoiced. It cuts the faint tails of
/// voiced stretches that a tracker still finds periodic but a listener no longer hears as
/// pitch.
pub(crate) const FAINT_BELOW_LOUD_DB: f32 = 30.0;
/// Voiced stretches shorter than this many frames are dropped as spurious.
const MIN_VOICED_RUN: usize = 3;
/// The octave check compares each voiced frame with the median of this many voiced frames on
/// each side (about half a second of voice).
const OCTAVE_NEIGHBOURS: usize = 25;
/// A frame further than this many semitones from its neighbours' median is an octave off
/// (a real movement that large within half a second is not speech intonation).
const OCTAVE_JUMP_ST: f32 = 8.0;

/// The raw estimate of one frame: `f0` in Hz (0 where the frame could not be measured) and how
/// aperiodic the frame is at that period.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Raw {
    pub f0: f32,
    pub aperiodicity: f32,
}

const UNMEASURED: Raw = Raw {
    f0: 0.0,
    aperiodicity: 1.0,
};

pub(crate) struct PitchTracker {
    hop_s: f64,
    rate: f64,
    window: usize,
    lag_min: usize,
    lag_max: usize,
    buf: Vec<f32>,
    squares: Vec<f32>,
    sums: Vec<f32>,
    cmnd: Vec<f32>,
    products: LaggedProducts,
    raw: Vec<Raw>,
}

/// Running sums of the products of each decimated sample with the `lags` samples before it,
/// one row per sample: what makes the difference function cheap. Frames are 10 ms apart and
/// their windows 25 ms long, so summing each window's products afresh would multiply every
/// pair of samples about three times; here each pair is multiplied once, as its later sample
/// arrives, and a window's sum at a lag is the difference of two rows. The sums restart every
/// [`EPOCH`] samples (so single precision stays exact enough for a soft frame after a loud
/// one), and a difference across one restart adds the last row of the epoch before.
struct LaggedProducts {
    lags: usize,
    /// The last `lags` samples, written twice (at `i` and `i + lags`) so that they can be read
    /// oldest first as one slice.
    history: Vec<f32>,
    /// [`ROWS`] rows of `lags` sums, row `n % ROWS` for sample `n`; in a row, position `j`
    /// holds lag `lags - j`.
    rows: Vec<f32>,
    /// The next sample to add (every sample before it has its row).
    next: u64,
}

/// Samples between restarts of the running sums.
const EPOCH: u64 = 256;
/// Rows kept: two epochs, comfortably more than a frame's span behind the newest sample.
const ROWS: u64 = 2 * EPOCH;

impl LaggedProducts {
    fn new(lags: usize) -> Self {
        LaggedProducts {
            lags,
            history: vec![0.0; 2 * lags],
            rows: vec![0.0; ROWS as usize * lags],
            next: 0,
        }
    }

    /// Add the rows of every sample the decimator has written since the last call.
    fn advance(&mut self, dec: &Decimator) {
        let l = self.lags;
        while self.next < dec.written() {
            let n = self.next;
            let x = dec.at(n);
            let at = (n % ROWS) as usize * l;
            let (before, rest) = self.rows.split_at_mut(at);
            let row = &mut rest[..l];
            let h = (n % l as u64) as usize;
            let past = &self.history[h..h + l];
            if n.is_multiple_of(EPOCH) {
                row.iter_mut().zip(past).for_each(|(r, &p)| *r = x * p);
            } else {
                // Not the first row of the ring: that one starts an epoch.
                let prev = &before[at - l..];
                row.iter_mut()
                    .zip(prev)
                    .zip(past)
                    .for_each(|((r, &q), &p)| *r = q + x * p);
            }
            self.history[h] = x;
            self.history[h + l] = x;
            self.next += 1;
        }
    }

    fn row(&self, n: u64, lag: usize) -> f32 {
        self.rows[(n % ROWS) as usize * self.lags + self.lags - lag]
    }

    /// The sum of `x[m] * x[m + lag]` over `m` in `[from, from + len)`, if the rows it needs
    /// are held.
    fn window(&self, from: u64, len: usize, lag: usize) -> Option<f32> {
        let (first, last) = (
            (from + lag as u64).checked_sub(1)?,
            from + (len + lag) as u64 - 1,
        );
        if last >= self.next || first + ROWS < self.next {
            return None;
        }
        let restart = last - last % EPOCH;
        if first >= restart {
            Some(self.row(last, lag) - self.row(first, lag))
        } else if first + EPOCH >= restart {
            Some(self.row(last, lag) + self.row(restart - 1, lag) - self.row(first, lag))
        } else {
            None
        }
    }
}

impl PitchTracker {
    pub(crate) fn new(hop_s: f64, dec: &Decimator) -> Self {
        let rate = dec.rate();
        let window = (WINDOW_S * rate).round() as usize;
        let lag_min = ((rate / F0_MAX_HZ).floor() as usize).max(2);
        let lag_max = ((rate / F0_MIN_HZ).ceil() as usize).max(lag_min + 2);
        let span = window + lag_max + 1;
        PitchTracker {
            hop_s,
            rate,
            window,
            lag_min,
            lag_max,
            buf: vec![0.0; span],
            squares: vec![0.0; span + 1],
            sums: vec![0.0; span + 1],
            cmnd: vec![1.0; lag_max + 2],
            products: LaggedProducts::new(lag_max),
            raw: Vec::new(),
        }
    }

    /// Estimate every frame before `frames` whose samples the ring now holds. Frames are
    /// estimated in order, and only from the decimated signal, so the result does not depend on
    /// how the stream was cut into blocks.
    pub(crate) fn push(&mut self, frames: usize, dec: &Decimator) {
        self.products.advance(dec);
        while self.raw.len() < frames {
            match self.estimate(self.raw.len(), dec, false) {
                Some(r) => self.raw.push(r),
                None => break,
            }
        }
    }

    /// End of stream: estimate the frames left with the data there is.
    pub(crate) fn finish(&mut self, frames: usize, dec: &Decimator) -> Vec<Raw> {
        self.products.advance(dec);
        while self.raw.len() < frames {
            let r = self
                .estimate(self.raw.len(), dec, true)
                .unwrap_or(UNMEASURED);
            self.raw.push(r);
        }
        self.raw.truncate(frames);
        std::mem::take(&mut self.raw)
    }

    /// `None` while the samples around the frame have not all arrived.
    fn estimate(&mut self, frame: usize, dec: &Decimator, at_end: bool) -> Option<Raw> {
        let centre = (frame as f64 + 0.5) * self.hop_s * self.rate;
        let start = (centre - self.buf.len() as f64 / 2.0).round();
        if start < 0.0 {
            return Some(UNMEASURED);
        }
        let start = start as u64;
        if dec.copy(start, &mut self.buf) {
            Some(self.yin(start))
        } else if at_end || start + (self.buf.len() as u64) <= dec.written() {
            Some(UNMEASURED)
        } else {
            None
        }
    }

    /// YIN on the copy in `buf`, whose first sample is decimated sample `start`.
    fn yin(&mut self, start: u64) -> Raw {
        let (w, lag_max) = (self.window, self.lag_max);
        let mean = self.buf.iter().sum::<f32>() / self.buf.len() as f32;
        self.buf.iter_mut().for_each(|v| *v -= mean);
        // The running totals stay in registers (a loop through the arrays would wait on each
        // store before the next add).
        let (mut square, mut sum) = (0f32, 0f32);
        self.squares[0] = 0.0;
        self.sums[0] = 0.0;
        let prefixes = self.squares[1..].iter_mut().zip(&mut self.sums[1..]);
        for ((sq, s), &v) in prefixes.zip(&self.buf) {
            square += v * v;
            sum += v;
            *sq = square;
            *s = sum;
        }
        if self.squares[self.buf.len()] <= 1e-12 * self.buf.len() as f32 {
            return UNMEASURED;
        }
        // Difference function, normalised by its cumulative mean as it goes. The pair of
        // windows is centred on the frame whatever the lag; the energies come from the prefix
        // sums, and the cross term from the running products (less the frame's mean), so
        // each lag costs a few operations.
        let mut running = 0f32;
        self.cmnd[0] = 1.0;
        for lag in 1..=lag_max {
            let s = (lag_max - lag) / 2;
            let xy = match self.products.window(start + s as u64, w, lag) {
                Some(raw) => {
                    let centred = self.sums[s + w] - self.sums[s] + self.sums[s + lag + w]
                        - self.sums[s + lag];
                    raw - mean * centred - w as f32 * mean * mean
                }
                None => dot(&self.buf[s..s + w], &self.buf[s + lag..s + lag + w]),
            };
            let xx = self.squares[s + w] - self.squares[s];
            let yy = self.squares[s + lag + w] - self.squares[s + lag];
            let d = (xx + yy - 2.0 * xy).max(0.0);
            running += d;
            self.cmnd[lag] = if running > 0.0 {
                d * lag as f32 / running
            } else {
                1.0
            };
        }
        let c = &self.cmnd;
        let range = self.lag_min..=lag_max;
        let lag = match range.clone().find(|&l| c[l] < DIP_THRESHOLD) {
            Some(mut l) => {
                while l < lag_max && c[l + 1] < c[l] {
                    l += 1;
                }
                l
            }
            None => range
                .min_by(|&a, &b| c[a].total_cmp(&c[b]))
                .unwrap_or(lag_max),
        };
        let (period, value) = if lag > 1 && lag < lag_max {
            parabola(c[lag - 1], c[lag], c[lag + 1], lag)
        } else {
            (lag as f32, c[lag])
        };
        Raw {
            f0: (self.rate / period as f64) as f32,
            aperiodicity: value.clamp(0.0, 1.0),
        }
    }
}

/// The vertex of the parabola through three neighbouring values, as (lag, value).
fn parabola(a: f32, b: f32, c: f32, lag: usize) -> (f32, f32) {
    let curvature = a - 2.0 * b + c;
    if curvature <= 0.0 {
        return (lag as f32, b);
    }
    let shift = (0.5 * (a - c) / curvature).clamp(-0.5, 0.5);
    (lag as f32 + shift, b - 0.25 * (a - c) * shift)
}

fn dot(x: &[f32], y: &[f32]) -> f32 {
    const L: usize = 8;
    let mut acc = [0f32; L];
    let (xc, yc) = (x.chunks_exact(L), y.chunks_exact(L));
    let (xr, yr) = (xc.remainder(), yc.remainder());
    for (a, b) in xc.zip(yc) {
        for i in 0..L {
            acc[i] += a[i] * b[i];
        }
    }
    for (i, (a, b)) in xr.iter().zip(yr).enumerate() {
        acc[i] += a * b;
    }
    acc.iter().sum()
}

/// Where a frame lies, for the voicing decision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Speech {
    /// Not speech (silence, noise, a left-out cue).
    Outside,
    /// Speech, but faint: [`FAINT_BELOW_LOUD_DB`] or more below the take's loud level.
    Faint,
    /// Speech, but soft: the decay or opening at the edge of a syllable.
    Soft,
    /// Speech loud enough to carry a syllable.
    Loud,
}

/// The pitch track, in Hz per frame (0 = unvoiced), from the raw estimates. Voicing has
/// hysteresis, as Praat's path does by its voicing costs: a voiced stretch starts on loud speech
/// that is clearly periodic ([`VOICED_MAX`]), and is then carried into the neighbouring frames
/// of speech, soft ones too (but not faint ones), while they stay periodic enough
/// ([`CONTINUE_MAX`]) and within [`CONTINUE_ST`] of the frame next to them. Voiced stretches shorter than
/// [`MIN_VOICED_RUN`] frames are dropped. Then each voiced frame more than [`OCTAVE_JUMP_ST`]
/// from the median of its voiced neighbours is moved by octaves towards it (the halving and
/// doubling errors every tracker makes at onsets and in creaky voice).
pub(crate) fn track(raw: &[Raw], speech: impl Fn(usize) -> Speech) -> Vec<f32> {
    let range = F0_MIN_HZ as f32 * 0.97..=F0_MAX_HZ as f32 * 1.03;
    let periodic = |k: usize, max: f32| raw[k].aperiodicity < max && range.contains(&raw[k].f0);
    let mut hz: Vec<f32> = (0..raw.len())
        .map(|k| {
            if speech(k) == Speech::Loud && periodic(k, VOICED_MAX) {
                raw[k].f0
            } else {
                0.0
            }
        })
        .collect();
    let continues = |hz: &[f32], k: usize, next: usize| {
        hz[k] == 0.0
            && hz[next] > 0.0
            && matches!(speech(k), Speech::Soft | Speech::Loud)
            && periodic(k, CONTINUE_MAX)
            && semitones(raw[k].f0, hz[next]).abs() < CONTINUE_ST
    };
    for k in 1..hz.len() {
        if continues(&hz, k, k - 1) {
            hz[k] = raw[k].f0;
        }
    }
    for k in (0..hz.len().saturating_sub(1)).rev() {
        if continues(&hz, k, k + 1) {
            hz[k] = raw[k].f0;
        }
    }
    drop_short_runs(&mut hz);
    correct_octaves(&mut hz);
    hz
}

fn drop_short_runs(hz: &mut [f32]) {
    let mut k = 0;
    while k < hz.len() {
        if hz[k] > 0.0 {
            let start = k;
            while k < hz.len() && hz[k] > 0.0 {
                k += 1;
            }
            if k - start < MIN_VOICED_RUN {
                hz[start..k].fill(0.0);
            }
        } else {
            k += 1;
        }
    }
}

fn correct_octaves(hz: &mut [f32]) {
    let voiced: Vec<usize> = (0..hz.len()).filter(|&k| hz[k] > 0.0).collect();
    let st: Vec<f32> = voiced.iter().map(|&k| semitones(hz[k], 100.0)).collect();
    let mut near = Vec::with_capacity(2 * OCTAVE_NEIGHBOURS + 1);
    for (i, &k) in voiced.iter().enumerate() {
        let from = i.saturating_sub(OCTAVE_NEIGHBOURS);
        let to = (i + OCTAVE_NEIGHBOURS + 1).min(st.len());
        near.clear();
        near.extend_from_slice(&st[from..to]);
        let mid = near.len() / 2;
        let median = *near.select_nth_unstable_by(mid, f32::total_cmp).1;
        let mut s = st[i];
        while s - median > OCTAVE_JUMP_ST {
            s -= 12.0;
        }
        while median - s > OCTAVE_JUMP_ST {
            s += 12.0;
        }
        if s != st[i] {
            hz[k] = 100.0 * 2f32.powf(s / 12.0);
        }
    }
}

/// `hz` in semitones re `reference`.
pub(crate) fn semitones(hz: f32, reference: f32) -> f32 {
    12.0 * (hz / reference).log2()
}

#[cfg(test)]
mod tests {
    use super::super::frontend::FrontEnd;
    use super::*;
    use std::f64::consts::PI;

    /// The raw estimates of a whole signal pushed in blocks of `block` samples.
    fn raw_of(signal: &[f32], rate: u32, block: usize) -> Vec<Raw> {
        let mut fe = FrontEnd::new(rate);
        let mut t = PitchTracker::new(0.01, fe.decimated());
        let mut frames = 0;
        for chunk in signal.chunks(block.max(1)) {
            fe.push(chunk, |fe, _| {
                frames += 1;
                t.push(frames, fe.decimated());
            });
        }
        if fe.flush().is_some() {
            frames += 1;
        }
        t.finish(frames, fe.decimated())
    }

    fn track_of(signal: &[f32], rate: u32) -> Vec<f32> {
        track(&raw_of(signal, rate, 4096), |_| Speech::Loud)
    }

    /// A harmonic sound: `f0(t)` with the given harmonic amplitudes (the first is the
    /// fundamental), the phase integrated so glides are smooth.
    fn harmonic(rate: u32, secs: f64, f0: impl Fn(f64) -> f64, amps: &[f64]) -> Vec<f32> {
        let mut phase = 0.0;
        (0..(secs * rate as f64) as usize)
            .map(|i| {
                let t = i as f64 / rate as f64;
                phase += 2.0 * PI * f0(t) / rate as f64;
                let s: f64 = amps
                    .iter()
                    .enumerate()
                    .map(|(k, a)| a * ((k + 1) as f64 * phase).sin())
                    .sum();
                (0.25 * s / amps.iter().sum::<f64>()) as f32
            })
            .collect()
    }

    /// Voiced frames from 0.1 s in to 0.1 s before the end (the edges see part-windows).
    fn inner(track: &[f32]) -> &[f32] {
        &track[10..track.len() - 10]
    }

    const VOWEL: &[f64] = &[1.0, 0.8, 0.6, 0.4, 0.3, 0.2];

    #[test]
    fn steady_tones_are_tracked_within_a_percent_at_every_rate() {
        for rate in [16_000u32, 44_100, 48_000] {
            for f0 in [75.0, 98.0, 140.0, 220.0, 330.0, 450.0] {
                let t = track_of(&harmonic(rate, 0.6, |_| f0, VOWEL), rate);
                for (k, &hz) in inner(&t).iter().enumerate() {
                    let err = (hz as f64 - f0).abs() / f0;
                    assert!(err < 0.01, "{f0} Hz at {rate} Hz, frame {k}: {hz:.1} Hz");
                }
            }
        }
    }

    #[test]
    fn a_glide_is_followed() {
        // An octave up over a second, then back: every frame near the true F0 of its centre.
        let rate = 16_000;
        let f = |t: f64| 110.0 * 2f64.powf(1.0 - (2.0 * t - 1.0).abs());
        let t = track_of(&harmonic(rate, 1.0, f, VOWEL), rate);
        for (k, &hz) in t.iter().enumerate().take(90).skip(10) {
            let want = f((k as f64 + 0.5) * 0.01);
            assert!(
                (hz as f64 - want).abs() / want < 0.02,
                "frame {k}: {hz:.1} Hz, want {want:.1}"
            );
        }
    }

    #[test]
    fn octave_traps_give_the_fundamental() {
        let rate = 16_000;
        // (what, F0, harmonic amplitudes)
        let table: &[(&str, f64, &[f64])] = &[
            (
                "second harmonic four times the fundamental",
                120.0,
                &[0.25, 1.0, 0.3, 0.2],
            ),
            ("missing fundamental", 150.0, &[0.0, 1.0, 0.8, 0.6, 0.4]),
            (
                "missing fundamental, low voice",
                90.0,
                &[0.0, 0.0, 1.0, 0.8, 0.6],
            ),
            ("strong third harmonic, high voice", 260.0, &[0.3, 0.5, 1.0]),
        ];
        for (what, f0, amps) in table {
            let t = track_of(&harmonic(rate, 0.6, |_| *f0, amps), rate);
            let off: Vec<f32> = inner(&t)
                .iter()
                .copied()
                .filter(|&hz| (hz as f64 - f0).abs() / f0 > 0.02)
                .collect();
            assert!(off.is_empty(), "{what}: {off:?}");
        }
    }

    #[test]
    fn an_octave_error_is_corrected_from_its_neighbours() {
        let mut hz = vec![120.0f32; 60];
        hz[20..25].fill(240.0);
        hz[40..43].fill(60.0);
        hz[50] = 0.0;
        correct_octaves(&mut hz);
        for (k, &v) in hz.iter().enumerate() {
            let want = if k == 50 { 0.0 } else { 120.0 };
            assert!((v - want).abs() < 2.0, "frame {k}: {v}");
        }
        // A real step of a fifth (7 semitones) is left alone.
        let mut hz = vec![120.0f32; 60];
        hz[30..].fill(180.0);
        let before = hz.clone();
        correct_octaves(&mut hz);
        assert_eq!(hz, before);
    }

    #[test]
    fn voice_and_noise_switch_on_the_frame() {
        // 0.4 s voice, 0.4 s noise, 0.4 s silence, 0.4 s voice.
        let rate = 16_000;
        let voice = harmonic(rate, 0.4, |_| 130.0, VOWEL);
        let mut rng = fastrand::Rng::with_seed(3);
        let noise: Vec<f32> = (0..rate as usize * 2 / 5)
            .map(|_| (rng.f32() - 0.5) * 0.3)
            .collect();
        let silence = vec![0.0f32; rate as usize * 2 / 5];
        let signal = [&voice[..], &noise, &silence, &voice].concat();
        let t = track_of(&signal, rate);
        assert_eq!(t.len(), 160);
        let voiced = |a: usize, b: usize| t[a..b].iter().filter(|&&v| v > 0.0).count();
        // Within two frames of each edge, every frame is decided right.
        assert_eq!(voiced(2, 38), 36, "{:?}", &t[..40]);
        assert_eq!(voiced(42, 118), 0, "{:?}", &t[40..120]);
        assert_eq!(voiced(122, 158), 36, "{:?}", &t[120..]);
        // Outside speech nothing is voiced.
        let after_80 = |k| {
            if k >= 80 {
                Speech::Loud
            } else {
                Speech::Outside
            }
        };
        assert!(track(&raw_of(&signal, rate, 4096), after_80)[..80]
            .iter()
            .all(|&v| v == 0.0));
    }

    #[test]
    fn the_track_does_not_depend_on_the_block_size() {
        let rate = 48_000;
        let f = |t: f64| 100.0 + 60.0 * (3.0 * t).sin();
        let mut signal = harmonic(rate, 1.2, f, VOWEL);
        let mut rng = fastrand::Rng::with_seed(9);
        signal
            .iter_mut()
            .for_each(|s| *s += (rng.f32() - 0.5) * 0.02);
        let whole = raw_of(&signal, rate, signal.len());
        for block in [1, 7, 480, 1000, 4096] {
            assert_eq!(raw_of(&signal, rate, block), whole, "block {block}");
        }
        assert_eq!(whole.len(), 120);
    }

    #[test]
    fn voicing_starts_on_loud_speech_and_carries_into_its_soft_edges() {
        let raw = |f0: f32, aperiodicity: f32| Raw { f0, aperiodicity };
        // frames 0-3 soft and fairly periodic, 4-9 loud and clearly periodic, 10-11 soft and
        // fairly periodic, 12 soft but an octave off, 13-19 soft and periodic on their own,
        // 20-23 soft and aperiodic.
        let mut frames = vec![raw(120.0, 0.4); 4];
        frames.extend(vec![raw(121.0, 0.1); 6]);
        frames.extend(vec![raw(122.0, 0.45); 2]);
        frames.push(raw(244.0, 0.2));
        frames.extend(vec![raw(150.0, 0.1); 7]);
        frames.extend(vec![raw(150.0, 0.8); 4]);
        let speech = |k: usize| {
            if (4..10).contains(&k) {
                Speech::Loud
            } else {
                Speech::Soft
            }
        };
        let t = track(&frames, speech);
        let voiced: Vec<usize> = (0..t.len()).filter(|&k| t[k] > 0.0).collect();
        assert_eq!(voiced, (0..12).collect::<Vec<_>>(), "{t:?}");
        // Outside speech nothing is carried.
        let inside = |k: usize| match k {
            4..10 => Speech::Loud,
            2..4 | 10..12 => Speech::Soft,
            _ => Speech::Outside,
        };
        let t = track(&frames, inside);
        let voiced: Vec<usize> = (0..t.len()).filter(|&k| t[k] > 0.0).collect();
        assert_eq!(voiced, (2..12).collect::<Vec<_>>(), "{t:?}");
        // Nor into faint speech, however periodic.
        let faint_edges = |k: usize| match k {
            4..10 => Speech::Loud,
            10 => Speech::Soft,
            _ => Speech::Faint,
        };
        let t = track(&frames, faint_edges);
        let voiced: Vec<usize> = (0..t.len()).filter(|&k| t[k] > 0.0).collect();
        assert_eq!(voiced, (4..11).collect::<Vec<_>>(), "{t:?}");
    }

    #[test]
    fn window_sums_of_the_running_products_are_the_direct_sums() {
        // Windows anywhere in the rows held, across restarts of the running sums too.
        let mut fe = FrontEnd::new(16_000);
        let mut rng = fastrand::Rng::with_seed(5);
        let signal: Vec<f32> = (0..8000).map(|_| rng.f32() - 0.5).collect();
        let lags = 67;
        let mut p = LaggedProducts::new(lags);
        fe.push(&signal, |_, _| {});
        let dec = fe.decimated();
        p.advance(dec);
        let next = dec.written();
        assert_eq!(p.next, next);
        let (len, mut checked) = (100, 0);
        for from in next - ROWS + 1..next - (len + lags) as u64 {
            for lag in [1, 2, 33, lags] {
                let direct: f32 = (from..from + len as u64)
                    .map(|m| dec.at(m) * dec.at(m + lag as u64))
                    .sum();
                let sum = p.window(from, len, lag).expect("rows held");
                assert!((sum - direct).abs() < 1e-4, "from {from}, lag {lag}");
                checked += 1;
            }
        }
        assert!(checked > 1000);
        // Rows no longer held, or not yet made, give nothing.
        assert_eq!(p.window(next - ROWS - 1, len, 1), None);
        assert_eq!(p.window(next - len as u64, len, 1), None);
    }
}
