//! The sample-rate side of the analysis: cuts the stream into 10 ms frames (mean-removed energy,
//! and the energy in the vowel band), tracks peak and clipping, and keeps a short ring of a
//! decimated, band-limited copy of the signal for the voicing check. It is the only part that
//! touches every sample, so it is written for speed: no per-sample allocation, lane-wise
//! accumulators the compiler can vectorise (all but the vowel-band filter, which is recursive).

/// Frame hop: every level, boundary and nucleus is placed on this grid.
pub(crate) const HOP_S: f64 = 0.01;
/// The vowel band and the decimated copy need no more than this rate: above it, the samples are
/// first averaged in groups of an integer number (3 at 48 kHz), so the recursive filters, which
/// cannot be vectorised, run at 16 kHz or a little more whatever the input rate.
const REDUCED_MIN_HZ: u32 = 16_000;
/// Rate of the decimated copy used for the voicing check. Voiced speech has a fundamental of
/// 50–450 Hz and strong low harmonics, so 4 kHz keeps all the periodicity we need at a tenth of
/// the cost of 48 kHz.
const DECIMATED_TARGET_HZ: f64 = 4000.0;
/// Length of the decimated ring, a power of two. 4096 samples at ~4 kHz is about 1 s: far more
/// than the ~60 ms around a candidate peak that the voicing check reads.
const RING_LEN: usize = 4096;
/// A sample at or above this magnitude counts as clipped: the one clipping level.
use super::level::CLIP_LEVEL;
/// The vowel band: roughly the first two formants. Syllable nuclei are found in the level of
/// this band rather than of the whole signal, because the consonants between vowels put their
/// energy outside it: nasals, liquids and voice bars below 500 Hz (so "m", "n", "l" between two
/// vowels leave a clear dip here where the full-band level barely moves), fricatives above
/// 2.5 kHz (so "s" and "sh" make no peaks of their own). Second-order slopes either side.
const VOWEL_BAND_HZ: (f64, f64) = (500.0, 2500.0);

/// Sums of one frame's samples, kept in lanes so the loop vectorises. A sample's lane is its
/// position in the frame modulo `LANES`, so the sums do not depend on how the stream was cut
/// into blocks.
const LANES: usize = 8;

#[derive(Default, Clone, Copy)]
struct Sums {
    sum: [f32; LANES],
    sumsq: [f32; LANES],
    count: usize,
}

/// What the front end measures of one 10 ms frame.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Frame {
    /// Mean-removed mean square of the samples.
    pub energy: f32,
    /// Mean square of the samples filtered to [`VOWEL_BAND_HZ`].
    pub vowel_energy: f32,
}

pub(crate) struct FrontEnd {
    hop: usize,
    frame: Sums,
    vowel_hp: Biquad,
    vowel_lp: Biquad,
    vowel_sumsq: f64,
    /// Reduced samples in the frame so far.
    vowel_count: usize,
    /// Input samples averaged into one reduced sample; a divisor of `hop`, so groups never
    /// straddle frames.
    group: usize,
    /// The samples of a group not yet complete (the stream may be cut anywhere).
    partial: Vec<f32>,
    /// This block's reduced samples.
    reduced: Vec<f32>,
    samples: u64,
    peak: f32,
    clipped: u64,
    dec: Decimator,
}

impl FrontEnd {
    pub(crate) fn new(sample_rate: u32) -> Self {
        let hop = ((sample_rate as f64 * HOP_S).round() as usize).max(1);
        let group = match (sample_rate / REDUCED_MIN_HZ).max(1) as usize {
            g if hop.is_multiple_of(g) => g,
            _ => 1,
        };
        let rate = sample_rate as f64 / group as f64;
        // At very low sample rates the band is cut to what the rate can hold.
        let (low, high) = VOWEL_BAND_HZ;
        let high = high.min(rate * 0.45);
        FrontEnd {
            hop,
            frame: Sums::default(),
            vowel_hp: Biquad::highpass(low.min(high / 2.0), rate),
            vowel_lp: Biquad::lowpass(high, rate),
            vowel_sumsq: 0.0,
            vowel_count: 0,
            group,
            partial: Vec::with_capacity(group),
            reduced: Vec::new(),
            samples: 0,
            peak: 0.0,
            clipped: 0,
            dec: Decimator::new(rate),
        }
    }

    pub(crate) fn hop(&self) -> usize {
        self.hop
    }

    pub(crate) fn samples(&self) -> u64 {
        self.samples
    }

    pub(crate) fn peak(&self) -> f32 {
        self.peak
    }

    pub(crate) fn clipped(&self) -> u64 {
        self.clipped
    }

    pub(crate) fn decimated(&self) -> &Decimator {
        &self.dec
    }

    /// Feed samples; `on_frame` receives each completed frame, called only after the
    /// decimated ring holds that frame's samples.
    pub(crate) fn push(&mut self, mut mono: &[f32], mut on_frame: impl FnMut(&Self, Frame)) {
        while !mono.is_empty() {
            let take = (self.hop - self.frame.count).min(mono.len());
            let (chunk, rest) = mono.split_at(take);
            mono = rest;
            self.accumulate(chunk);
            if self.group == 1 {
                self.accumulate_vowel_band(chunk);
                self.dec.push(chunk);
            } else {
                let mut reduced = std::mem::take(&mut self.reduced);
                self.reduce(chunk, &mut reduced);
                self.accumulate_vowel_band(&reduced);
                self.dec.push(&reduced);
                self.reduced = reduced;
            }
            if self.frame.count == self.hop {
                let frame = self.take_frame();
                on_frame(self, frame);
            }
        }
    }

    /// The final partial frame, if any samples are left over.
    pub(crate) fn flush(&mut self) -> Option<Frame> {
        (self.frame.count > 0).then(|| self.take_frame())
    }

    fn take_frame(&mut self) -> Frame {
        let Sums { sum, sumsq, count } = std::mem::take(&mut self.frame);
        let n = count as f64;
        let mean = sum.iter().map(|&v| v as f64).sum::<f64>() / n;
        let meansq = sumsq.iter().map(|&v| v as f64).sum::<f64>() / n;
        let vowel = match std::mem::take(&mut self.vowel_count) {
            0 => 0.0,
            k => std::mem::take(&mut self.vowel_sumsq) / k as f64,
        };
        self.vowel_sumsq = 0.0;
        Frame {
            energy: (meansq - mean * mean).max(0.0) as f32,
            vowel_energy: vowel as f32,
        }
    }

    /// The means of each complete group of `group` samples, into `out` (cleared first). Every
    /// group is summed in the same order, however the stream was cut.
    fn reduce(&mut self, mut chunk: &[f32], out: &mut Vec<f32>) {
        out.clear();
        let g = self.group;
        let mean = |s: &[f32]| s.iter().sum::<f32>() / g as f32;
        if !self.partial.is_empty() {
            let take = (g - self.partial.len()).min(chunk.len());
            self.partial.extend_from_slice(&chunk[..take]);
            chunk = &chunk[take..];
            if self.partial.len() == g {
                out.push(mean(&self.partial));
                self.partial.clear();
            }
        }
        let groups = chunk.chunks_exact(g);
        self.partial.extend_from_slice(groups.remainder());
        out.extend(groups.map(mean));
    }

    /// The vowel-band filter is recursive, so this runs one sample after another (which also
    /// keeps the sum independent of where blocks were cut).
    fn accumulate_vowel_band(&mut self, chunk: &[f32]) {
        self.vowel_count += chunk.len();
        for &x in chunk {
            let y = self.vowel_lp.run(self.vowel_hp.run(x));
            self.vowel_sumsq += (y * y) as f64;
        }
    }

    fn accumulate(&mut self, chunk: &[f32]) {
        let f = &mut self.frame;
        let mut pk = [0f32; LANES];
        let mut clip = [0u32; LANES];
        // Lead-in up to the next lane boundary, one sample at a time.
        let lead = ((LANES - f.count % LANES) % LANES).min(chunk.len());
        let (head, body) = chunk.split_at(lead);
        for (k, &x) in head.iter().enumerate() {
            let i = (f.count + k) % LANES;
            f.sum[i] += x;
            f.sumsq[i] += x * x;
            pk[i] = pk[i].max(x.abs());
            clip[i] += (x.abs() >= CLIP_LEVEL) as u32;
        }
        let mut lanes = body.chunks_exact(LANES);
        for c in &mut lanes {
            for i in 0..LANES {
                let x = c[i];
                let a = x.abs();
                f.sum[i] += x;
                f.sumsq[i] += x * x;
                pk[i] = pk[i].max(a);
                clip[i] += (a >= CLIP_LEVEL) as u32;
            }
        }
        for (i, &x) in lanes.remainder().iter().enumerate() {
            f.sum[i] += x;
            f.sumsq[i] += x * x;
            pk[i] = pk[i].max(x.abs());
            clip[i] += (x.abs() >= CLIP_LEVEL) as u32;
        }
        f.count += chunk.len();
        self.samples += chunk.len() as u64;
        self.peak = pk.iter().fold(self.peak, |m, &v| m.max(v));
        self.clipped += clip.iter().map(|&v| v as u64).sum::<u64>();
    }
}

/// Box-car decimation to about 4 kHz, then a 60–900 Hz band-pass, into a ring buffer.
/// The box-car is a crude anti-alias filter, but the band-pass afterwards keeps mostly the
/// fundamental and first harmonics, which is all the periodicity test needs.
pub(crate) struct Decimator {
    factor: usize,
    rate: f64,
    acc: f32,
    fill: usize,
    hp: Biquad,
    lp: Biquad,
    ring: Vec<f32>,
    written: u64,
}

impl Decimator {
    fn new(input_rate: f64) -> Self {
        let factor = ((input_rate / DECIMATED_TARGET_HZ).round() as usize).max(1);
        let rate = input_rate / factor as f64;
        Decimator {
            factor,
            rate,
            acc: 0.0,
            fill: 0,
            hp: Biquad::highpass(60.0, rate),
            lp: Biquad::lowpass(900.0_f64.min(rate * 0.4), rate),
            ring: vec![0.0; RING_LEN],
            written: 0,
        }
    }

    /// Samples per second of the decimated signal.
    pub(crate) fn rate(&self) -> f64 {
        self.rate
    }

    #[cfg(test)]
    pub(crate) fn factor(&self) -> usize {
        self.factor
    }

    /// Number of decimated samples produced so far (an absolute index one past the newest).
    pub(crate) fn written(&self) -> u64 {
        self.written
    }

    /// Decimated sample `index`, which the ring must still hold (`written() - RING_LEN <= index
    /// < written()`).
    pub(crate) fn at(&self, index: u64) -> f32 {
        debug_assert!(index < self.written && index + RING_LEN as u64 >= self.written);
        self.ring[(index as usize) & (RING_LEN - 1)]
    }

    /// Copy decimated samples `[start, start + out.len())` if the ring still holds them all.
    pub(crate) fn copy(&self, start: u64, out: &mut [f32]) -> bool {
        let end = start + out.len() as u64;
        if end > self.written || start + (RING_LEN as u64) < self.written {
            return false;
        }
        for (k, o) in out.iter_mut().enumerate() {
            *o = self.ring[((start + k as u64) as usize) & (RING_LEN - 1)];
        }
        true
    }

    fn push(&mut self, mut chunk: &[f32]) {
        while !chunk.is_empty() {
            let take = (self.factor - self.fill).min(chunk.len());
            let (part, rest) = chunk.split_at(take);
            chunk = rest;
            // Sequential on purpose: the sum must not depend on where blocks were cut.
            for &x in part {
                self.acc += x;
            }
            self.fill += take;
            if self.fill == self.factor {
                let x = self.acc / self.factor as f32;
                let y = self.lp.run(self.hp.run(x));
                self.ring[(self.written as usize) & (RING_LEN - 1)] = y;
                self.written += 1;
                self.acc = 0.0;
                self.fill = 0;
            }
        }
    }
}

/// A second-order section (RBJ cookbook coefficients, Butterworth Q).
struct Biquad {
    b: [f32; 3],
    a: [f32; 2],
    z: [f32; 2],
}

impl Biquad {
    fn lowpass(f: f64, rate: f64) -> Self {
        let (cos, alpha) = Self::prewarp(f, rate);
        let b1 = 1.0 - cos;
        Self::normalised(
            [b1 / 2.0, b1, b1 / 2.0],
            [1.0 + alpha, -2.0 * cos, 1.0 - alpha],
        )
    }

    fn highpass(f: f64, rate: f64) -> Self {
        let (cos, alpha) = Self::prewarp(f, rate);
        let b1 = 1.0 + cos;
        Self::normalised(
            [b1 / 2.0, -b1, b1 / 2.0],
            [1.0 + alpha, -2.0 * cos, 1.0 - alpha],
        )
    }

    fn prewarp(f: f64, rate: f64) -> (f64, f64) {
        let w = 2.0 * std::f64::consts::PI * f / rate;
        (w.cos(), w.sin() / (2.0 * std::f64::consts::FRAC_1_SQRT_2))
    }

    fn normalised(b: [f64; 3], a: [f64; 3]) -> Self {
        Biquad {
            b: [
                (b[0] / a[0]) as f32,
                (b[1] / a[0]) as f32,
                (b[2] / a[0]) as f32,
            ],
            a: [(a[1] / a[0]) as f32, (a[2] / a[0]) as f32],
            z: [0.0; 2],
        }
    }

    /// Transposed direct form II.
    fn run(&mut self, x: f32) -> f32 {
        let y = self.b[0] * x + self.z[0];
        self.z[0] = self.b[1] * x - self.a[0] * y + self.z[1];
        self.z[1] = self.b[2] * x - self.a[1] * y;
        y
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frame_energy_removes_the_mean() {
        let mut fe = FrontEnd::new(16_000);
        let mut energies = Vec::new();
        // A constant offset is no sound at all; a ±0.5 square wave has mean square 0.25.
        let dc = vec![0.3f32; 160];
        let square: Vec<f32> = (0..160)
            .map(|i| if i % 2 == 0 { 0.5 } else { -0.5 })
            .collect();
        fe.push(&dc, |_, f| energies.push(f.energy));
        fe.push(&square, |_, f| energies.push(f.energy));
        assert_eq!(energies.len(), 2);
        assert!(energies[0].abs() < 1e-9, "{}", energies[0]);
        assert!((energies[1] - 0.25).abs() < 1e-6, "{}", energies[1]);
        assert_eq!(fe.flush(), None);
    }

    #[test]
    fn vowel_band_energy_keeps_formants_and_drops_murmur_and_hiss() {
        // (tone Hz, vowel-band energy over full energy, at least / at most)
        let table = [
            (1000.0, 0.8, 1.1),
            (1500.0, 0.8, 1.1),
            (120.0, 0.0, 0.01),
            (250.0, 0.0, 0.1),
            (6000.0, 0.0, 0.1),
        ];
        for rate in [8_000u32, 16_000, 48_000] {
            for (hz, min, max) in table {
                if hz >= rate as f64 / 2.0 {
                    continue;
                }
                let mut fe = FrontEnd::new(rate);
                let tone: Vec<f32> = (0..rate / 2)
                    .map(|i| {
                        (2.0 * std::f64::consts::PI * hz * i as f64 / rate as f64).sin() as f32
                    })
                    .collect();
                let mut frames = Vec::new();
                fe.push(&tone, |_, f| frames.push(f));
                let last = frames.last().unwrap(); // settled filters
                let ratio = last.vowel_energy / last.energy;
                assert!(
                    ratio >= min && ratio <= max,
                    "{hz} Hz at {rate} Hz: vowel band holds {ratio:.3} of the energy"
                );
            }
        }
    }

    #[test]
    fn above_16_khz_samples_are_averaged_in_groups_that_divide_the_frame() {
        // (input rate, group, rate of the decimated copy)
        for (rate, group, decimated) in [
            (16_000u32, 1, 4000.0),
            (32_000, 2, 4000.0),
            (44_100, 1, 44_100.0 / 11.0),
            (48_000, 3, 4000.0),
            (96_000, 6, 4000.0),
        ] {
            let fe = FrontEnd::new(rate);
            assert_eq!(
                (fe.group, fe.decimated().rate()),
                (group, decimated),
                "{rate}"
            );
        }
        // However the stream is cut, the same frames: a group may straddle two blocks.
        let tone: Vec<f32> = (0..48_000)
            .map(|i| (i as f32 * 0.07).sin() * 0.3 + (i as f32 * 0.011).sin() * 0.2)
            .collect();
        let frames_of = |block: usize| {
            let mut fe = FrontEnd::new(48_000);
            let mut frames = Vec::new();
            for chunk in tone.chunks(block) {
                fe.push(chunk, |_, f| frames.push(f));
            }
            frames
        };
        let whole = frames_of(tone.len());
        assert_eq!(whole.len(), 100);
        for block in [1, 2, 5, 481] {
            assert_eq!(frames_of(block), whole, "block {block}");
        }
    }

    #[test]
    fn decimated_ring_reports_what_it_holds() {
        let mut fe = FrontEnd::new(16_000);
        fe.push(&vec![0.1f32; 32_000], |_, _| {});
        let d = fe.decimated();
        assert_eq!(d.factor(), 4);
        assert_eq!(d.written(), 8000);
        let mut buf = [0f32; 100];
        assert!(d.copy(7900, &mut buf));
        assert!(d.copy(8000 - RING_LEN as u64, &mut buf), "oldest held");
        assert!(!d.copy(7901, &mut buf), "past the newest sample");
        assert!(
            !d.copy(7999 - RING_LEN as u64, &mut buf),
            "just overwritten"
        );
        assert!(!d.copy(0, &mut buf), "overwritten");
    }
}
