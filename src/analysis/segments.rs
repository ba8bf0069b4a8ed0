//! Voice activity: the file's own level threshold, then sounding and silent stretches of the
//! level contour with minimum durations. Knows nothing of samples, only of per-frame levels.

/// Levels are binned at 0.1 dB from `HIST_MIN_DB` to `HIST_MAX_DB` so that percentiles need no
/// copy of the contour.
const HIST_MIN_DB: f32 = -160.0;
const HIST_MAX_DB: f32 = 20.0;
const HIST_BINS: usize = ((HIST_MAX_DB - HIST_MIN_DB) * 10.0) as usize;

/// The threshold sits this far below the 99th percentile of the file's level (de Jong & Wempe),
/// so a loud or quiet speaker, near or far from the microphone, gets the same decisions.
pub(crate) const BELOW_P99_DB: f32 = 25.0;
/// ...but never closer than this above the noise floor (the 5th percentile of the level),
/// so that steady background noise does not count as speech.
pub(crate) const ABOVE_FLOOR_DB: f32 = 6.0;
/// A file whose loud frames (99th percentile) stand less than this above its quiet ones (5th
/// percentile) is steady sound — hum, hiss, room tone — not speech.
pub(crate) const MIN_CONTRAST_DB: f32 = 10.0;
/// Nothing below this level (dB re full scale) is speech, whatever the file: it is below the
/// noise of a 16-bit recording.
pub(crate) const ABSOLUTE_FLOOR_DB: f32 = -90.0;
/// Sounding stretches shorter than this are clicks and bumps, not speech.
pub(crate) const MIN_SOUNDING_S: f64 = 0.1;

pub(crate) struct LevelHistogram {
    bins: Vec<u32>,
    total: u64,
}

impl LevelHistogram {
    pub(crate) fn new() -> Self {
        LevelHistogram {
            bins: vec![0; HIST_BINS],
            total: 0,
        }
    }

    pub(crate) fn add(&mut self, db: f32) {
        let i = ((db - HIST_MIN_DB) * 10.0).clamp(0.0, (HIST_BINS - 1) as f32) as usize;
        self.bins[i] += 1;
        self.total += 1;
    }

    /// The level below which a fraction `q` of frames lie (lower edge of the bin reached).
    pub(crate) fn percentile(&self, q: f64) -> Option<f32> {
        if self.total == 0 {
            return None;
        }
        let rank = ((q * self.total as f64).ceil() as u64).clamp(1, self.total);
        let mut seen = 0u64;
        for (i, &n) in self.bins.iter().enumerate() {
            seen += n as u64;
            if seen >= rank {
                return Some(HIST_MIN_DB + i as f32 / 10.0);
            }
        }
        None
    }

    /// The level that separates speech from silence in this file, or `None` when the file
    /// holds no speech at all (empty, digital silence, or steady sound).
    pub(crate) fn speech_threshold(&self) -> Option<f32> {
        let loud = self.percentile(0.99)?;
        let floor = self.percentile(0.05)?;
        if loud < ABSOLUTE_FLOOR_DB || loud - floor < MIN_CONTRAST_DB {
            return None;
        }
        Some(
            (loud - BELOW_P99_DB)
                .max(floor + ABOVE_FLOOR_DB)
                .max(ABSOLUTE_FLOOR_DB),
        )
    }
}

/// Half-open frame ranges `[start, end)` of speech.
pub(crate) fn speech_runs(
    levels: &[f32],
    threshold: f32,
    min_gap_frames: usize,
    min_run_frames: usize,
) -> Vec<(usize, usize)> {
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut start = None;
    for (i, &db) in levels.iter().enumerate() {
        match (db >= threshold, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                runs.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        runs.push((s, levels.len()));
    }
    // Silences shorter than a pause are part of speech (stop closures, word joins)...
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(runs.len());
    for r in runs {
        match merged.last_mut() {
            Some(last) if r.0 - last.1 < min_gap_frames => last.1 = r.1,
            _ => merged.push(r),
        }
    }
    // ...and what is left too short to be speech is a click or a bump.
    merged.retain(|&(s, e)| e - s >= min_run_frames);
    merged
}

/// Move each run's edges to where the unsmoothed level crosses the threshold, looking at most
/// `reach` frames either way: smoothing spreads a sharp onset over its window, and the
/// unsmoothed frames put it back on the 10 ms grid. Edges never cross a neighbouring run.
pub(crate) fn refine_edges(
    runs: &mut [(usize, usize)],
    raw_db: impl Fn(usize) -> f32,
    frames: usize,
    threshold: f32,
    reach: usize,
) {
    for i in 0..runs.len() {
        let lower = if i == 0 { 0 } else { runs[i - 1].1 + 1 };
        let upper = runs.get(i + 1).map_or(frames, |r| r.0.saturating_sub(1));
        let (s, e) = runs[i];
        let from = s.saturating_sub(reach).max(lower);
        let to = (s + reach + 1).min(e);
        if let Some(k) = (from..to).find(|&k| raw_db(k) >= threshold) {
            runs[i].0 = k;
        }
        let from = e.saturating_sub(reach + 1).max(runs[i].0);
        let to = (e + reach).min(upper);
        if let Some(k) = (from..to).rev().find(|&k| raw_db(k) >= threshold) {
            runs[i].1 = k + 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percentiles_from_the_histogram() {
        let mut h = LevelHistogram::new();
        assert_eq!(h.percentile(0.5), None);
        for i in 0..100 {
            h.add(-100.0 + i as f32); // -100 ..= -1
        }
        assert!((h.percentile(0.99).unwrap() - -2.0).abs() < 0.05);
        assert!((h.percentile(0.05).unwrap() - -96.0).abs() < 0.05);
        h.add(1000.0); // out of range is clamped, not lost
        assert_eq!(h.total, 101);
    }

    #[test]
    fn threshold_follows_the_file_and_refuses_steady_sound() {
        let mut speechlike = LevelHistogram::new();
        for i in 0..1000 {
            speechlike.add(if i % 2 == 0 {
                -70.0
            } else {
                -20.0 + (i % 7) as f32
            });
        }
        // p99 = -14, floor -70: threshold 25 dB below p99.
        assert!((speechlike.speech_threshold().unwrap() - -39.0).abs() < 0.05);

        let mut steady = LevelHistogram::new();
        for i in 0..1000 {
            steady.add(-50.0 + (i % 5) as f32);
        }
        assert_eq!(steady.speech_threshold(), None);
        assert_eq!(LevelHistogram::new().speech_threshold(), None);
    }

    #[test]
    fn runs_merge_short_gaps_and_drop_short_bursts() {
        let t = 0.0;
        let s = 1.0; // sounding
        let q = -1.0; // silent
        type Case<'a> = (&'a [f32], Vec<(usize, usize)>);
        let table: &[Case] = &[
            (&[q, s, s, s, q, q, q, s, s, s, q], vec![(1, 4), (7, 10)]),
            // A 2-frame gap is shorter than the 3-frame minimum: merged.
            (&[q, s, s, s, q, q, s, s, s, q], vec![(1, 9)]),
            // A 2-frame burst alone is dropped; runs to the end are closed.
            (&[s, s, q, q, q, q, s, s, s], vec![(6, 9)]),
            (&[q, q, q], vec![]),
        ];
        for (levels, want) in table {
            assert_eq!(&speech_runs(levels, t, 3, 3), want, "{levels:?}");
        }
    }

    #[test]
    fn edges_move_to_the_unsmoothed_crossing() {
        // Raw levels: sound in frames 10..20 only; the smoothed run was found at 8..22.
        let raw = |k: usize| if (10..20).contains(&k) { 0.0 } else { -50.0 };
        let mut runs = vec![(8, 22)];
        refine_edges(&mut runs, raw, 40, -25.0, 2);
        assert_eq!(runs, vec![(10, 20)]);
        // A raw dip at the smoothed edge moves it inwards, but no further than `reach`.
        let raw = |k: usize| if (14..20).contains(&k) { 0.0 } else { -50.0 };
        let mut runs = vec![(10, 20)];
        refine_edges(&mut runs, raw, 40, -25.0, 2);
        assert_eq!(
            runs,
            vec![(10, 20)],
            "nothing above threshold within reach: unchanged"
        );
    }
}
