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
/// Hysteresis for the end of speech. Speech starts where the level rises above the threshold,
/// which keeps breaths and noise out of the response latency; but a phrase often ends in a soft
/// decay (a final nasal, a vowel fading into breathy or creaky voice) 30–45 dB below the loud
/// frames. Once in speech, the sound lasts while the level stays above this lower level...
pub(crate) const EXIT_BELOW_P99_DB: f32 = 45.0;
/// ...which is never closer than this above the noise floor: a little under the onset's
/// margin, as only a stretch that directly continues speech is judged against it...
pub(crate) const EXIT_ABOVE_FLOOR_DB: f32 = 3.0;
/// ...and for at most this long after the level fell below the threshold: a decay, not a
/// breath or a murmur that happens to follow the phrase.
pub(crate) const MAX_DECAY_S: f64 = 0.2;
/// The same hysteresis at the start of speech that resumes after a pause: a weak opening sound
/// (a fricative, an "h", a soft consonant) lies below the onset threshold but above the offset
/// one, just before the loud vowel that crosses the onset. Speech is taken back over such sound
/// for at most this long.
pub(crate) const MAX_ATTACK_S: f64 = 0.25;
/// A weak opening may be cut by a silence: the closure of a stop after it ("st", "sp", "sk"),
/// which lies below the offset level. Within the reach back, such a silence of at most this long
/// is crossed...
pub(crate) const MAX_CLOSURE_S: f64 = 0.1;
/// ...to a weak sound before it that lasts at least this long (a fricative does; a tick of
/// noise, a lip or tongue click, does not) and that begins, after silence, within the reach (a
/// fricative is short; a breath or a murmur before speaking is longer).
pub(crate) const MIN_OPENING_S: f64 = 0.05;

/// How far back a weak opening may reach, in frames (see [`opening_start`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Attack {
    /// Longest reach back from the onset.
    pub max: usize,
    /// Longest silence crossed inside the opening.
    pub max_closure: usize,
    /// Shortest weak sound reached across such a silence.
    pub min_opening: usize,
}

/// Where speech whose level first reaches the onset threshold at frame `onset` really began,
/// never before `lower` nor more than `attack.max` frames back: back over the frames just before
/// it at or above the offset threshold (weak sound), then across silences of at most
/// `attack.max_closure` frames to a weak sound before them that has at least
/// `attack.min_opening` frames at or above `thresholds.clear` (a fricative, distinct from the
/// noise) and begins, after silence, within the reach (a breath or a murmur runs on longer).
/// Shorter weak sounds between (a stop's release broken by a dip) are crossed on the way. The
/// one rule for the analysis and the live voice activity.
pub(crate) fn opening_start(
    onset: usize,
    lower: usize,
    attack: Attack,
    thresholds: Thresholds,
    level: impl Fn(usize) -> f32,
) -> usize {
    let floor = onset.saturating_sub(attack.max).max(lower);
    let weak = |k: usize| level(k) >= thresholds.offset;
    let mut start = onset;
    while start > floor && weak(start - 1) {
        start -= 1;
    }
    let mut at = start;
    loop {
        let mut gap = at;
        while gap > floor && at - gap < attack.max_closure && !weak(gap - 1) {
            gap -= 1;
        }
        if gap == floor || !weak(gap - 1) {
            return start;
        }
        let mut before = gap;
        while before > floor && weak(before - 1) {
            before -= 1;
        }
        if before == floor {
            return start;
        }
        let clear = (before..gap)
            .filter(|&k| level(k) >= thresholds.clear)
            .count();
        if clear >= attack.min_opening {
            start = before;
        }
        at = before;
    }
}

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

    /// The levels that separate speech from silence in this file, or `None` when the file
    /// holds no speech at all (empty, digital silence, or steady sound).
    pub(crate) fn thresholds(&self) -> Option<Thresholds> {
        let loud = self.percentile(0.99)?;
        let floor = self.percentile(0.05)?;
        if loud < ABSOLUTE_FLOOR_DB || loud - floor < MIN_CONTRAST_DB {
            return None;
        }
        let onset = (loud - BELOW_P99_DB)
            .max(floor + ABOVE_FLOOR_DB)
            .max(ABSOLUTE_FLOOR_DB);
        let offset = (loud - EXIT_BELOW_P99_DB)
            .max(floor + EXIT_ABOVE_FLOOR_DB)
            .max(ABSOLUTE_FLOOR_DB)
            .min(onset);
        let clear = offset.max(floor + ABOVE_FLOOR_DB).min(onset);
        Some(Thresholds {
            onset,
            offset,
            clear,
        })
    }
}

/// Speech starts where the level rises to `onset` and, after it falls below `onset`, goes on
/// for a short decay while the level stays at or above `offset` (`offset <= onset`). A weak
/// opening is taken across a silence only to a sound that reaches `clear` (`offset <= clear <=
/// onset`): the offset, but as far above the noise floor as an onset must be.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Thresholds {
    pub onset: f32,
    pub offset: f32,
    pub clear: f32,
}

/// Minimum durations, in frames, that turn raw sounding stretches into speech runs.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Durations {
    /// Shorter silences are part of speech.
    pub min_gap: usize,
    /// Shorter sounding stretches are clicks.
    pub min_run: usize,
    /// Longest decay kept after the level falls below the onset threshold.
    pub max_decay: usize,
    /// How far a weak opening is taken back before the level rises to the onset threshold.
    pub attack: Attack,
}

/// Half-open frame ranges `[start, end)` of speech.
pub(crate) fn speech_runs(
    levels: &[f32],
    thresholds: Thresholds,
    durations: Durations,
) -> Vec<(usize, usize)> {
    let Durations {
        min_gap,
        min_run,
        max_decay,
        attack,
    } = durations;
    let mut runs = sounding(levels, thresholds.onset);
    merge_short_gaps(&mut runs, min_gap);
    // ...and what is left too short to be speech is a click or a bump. Judged before the
    // decay is added, so that a click's own ring-out does not make it long enough.
    runs.retain(|&(s, e)| e - s >= min_run);
    // The decay after each run, up to the next run.
    for i in 0..runs.len() {
        let limit = runs
            .get(i + 1)
            .map_or(levels.len(), |r| r.0)
            .min(runs[i].1 + max_decay);
        while runs[i].1 < limit && levels[runs[i].1] >= thresholds.offset {
            runs[i].1 += 1;
        }
    }
    // The weak opening before each run, back to the run before.
    for i in 0..runs.len() {
        let lower = if i == 0 { 0 } else { runs[i - 1].1 };
        // Only touching weak frames here: smoothing blurs a closure's silence and stretches a
        // tick to the length of a fricative. Closures are crossed on the raw frames.
        let touching = Attack {
            max_closure: 0,
            ..attack
        };
        runs[i].0 = opening_start(runs[i].0, lower, touching, thresholds, |k| levels[k]);
    }
    // A decay may leave too little of a silence to be a pause.
    merge_short_gaps(&mut runs, min_gap);
    runs
}

/// Stretches at or above `threshold`.
fn sounding(levels: &[f32], threshold: f32) -> Vec<(usize, usize)> {
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
    runs
}

/// Silences shorter than a pause are part of speech (stop closures, word joins).
fn merge_short_gaps(runs: &mut Vec<(usize, usize)>, min_gap: usize) {
    let mut merged: Vec<(usize, usize)> = Vec::with_capacity(runs.len());
    for &r in runs.iter() {
        match merged.last_mut() {
            Some(last) if r.0 - last.1 < min_gap => last.1 = r.1,
            _ => merged.push(r),
        }
    }
    *runs = merged;
}

/// Move each run's edges to where the unsmoothed level crosses the threshold, looking at most
/// `reach` frames either way (the onset threshold for starts, then back over touching weak
/// frames, or the offset threshold when the run opens with a weak sound; the offset threshold
/// for ends): smoothing spreads a sharp onset over its window, and the unsmoothed frames put it
/// back on the 10 ms grid. Then a start moves further back if [`opening_start`], from the first
/// unsmoothed frame at the onset threshold, finds an opening across a stop's closure. Edges
/// never cross a neighbouring run.
pub(crate) fn refine_edges(
    runs: &mut [(usize, usize)],
    raw_db: impl Fn(usize) -> f32,
    frames: usize,
    thresholds: Thresholds,
    reach: usize,
    attack: Attack,
) {
    for i in 0..runs.len() {
        let lower = if i == 0 { 0 } else { runs[i - 1].1 + 1 };
        let upper = runs.get(i + 1).map_or(frames, |r| r.0.saturating_sub(1));
        let (s, e) = runs[i];
        let from = s.saturating_sub(reach).max(lower);
        let to = (s + reach + 1).min(e);
        let touching = Attack {
            max_closure: 0,
            ..attack
        };
        if let Some(k) = (from..to).find(|&k| raw_db(k) >= thresholds.onset) {
            runs[i].0 = opening_start(k, lower, touching, thresholds, &raw_db);
        } else if let Some(k) = (from..to).find(|&k| raw_db(k) >= thresholds.offset) {
            // The run opens with a weak sound whose onset lies further in: its edge is where
            // the weak sound itself begins.
            runs[i].0 = k;
        }
        // An opening across a stop's closure, found on the raw frames from where their level
        // first reaches the onset (further in than `reach` when the run opens weakly).
        if let Some(k) = (from..e).find(|&k| raw_db(k) >= thresholds.onset) {
            runs[i].0 = runs[i]
                .0
                .min(opening_start(k, lower, attack, thresholds, &raw_db));
        }
        let from = e.saturating_sub(reach + 1).max(runs[i].0);
        let to = (e + reach).min(upper);
        if let Some(k) = (from..to).rev().find(|&k| raw_db(k) >= thresholds.offset) {
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
                -80.0
            } else {
                -20.0 + (i % 7) as f32
            });
        }
        // p99 = -14, floor -80: onset 25 dB and offset 45 dB below p99.
        let t = speechlike.thresholds().unwrap();
        assert!((t.onset - -39.0).abs() < 0.05, "{t:?}");
        assert!((t.offset - -59.0).abs() < 0.05, "{t:?}");

        // A noise floor at -60: the offset stays 3 dB above it, the onset 6 dB.
        let mut noisy = LevelHistogram::new();
        for i in 0..1000 {
            noisy.add(if i % 2 == 0 { -60.0 } else { -20.0 });
        }
        let t = noisy.thresholds().unwrap();
        assert!((t.onset - -45.0).abs() < 0.05, "{t:?}");
        assert!((t.offset - -57.0).abs() < 0.05, "{t:?}");
        // Close to the floor, the offset never rises above the onset.
        let mut close = LevelHistogram::new();
        for i in 0..1000 {
            close.add(if i % 2 == 0 { -40.0 } else { -20.0 });
        }
        let t = close.thresholds().unwrap();
        assert!(t.offset <= t.onset, "{t:?}");
        assert!((t.onset - -34.0).abs() < 0.05, "{t:?}");

        let mut steady = LevelHistogram::new();
        for i in 0..1000 {
            steady.add(-50.0 + (i % 5) as f32);
        }
        assert_eq!(steady.thresholds(), None);
        assert_eq!(LevelHistogram::new().thresholds(), None);
    }

    const T: Thresholds = Thresholds {
        onset: 0.0,
        offset: -10.0,
        clear: -10.0,
    };
    const S: f32 = 1.0; // sounding
    const D: f32 = -5.0; // a soft decay: below the onset, above the offset
    const Q: f32 = -20.0; // silent

    const NO_ATTACK: Attack = Attack {
        max: 0,
        max_closure: 0,
        min_opening: 0,
    };

    fn durations(max_decay: usize) -> Durations {
        Durations {
            min_gap: 3,
            min_run: 3,
            max_decay,
            attack: NO_ATTACK,
        }
    }

    #[test]
    fn a_weak_opening_above_the_offset_is_speech_for_a_short_while() {
        // Onset 0, offset -10: the -5 frames before the second run are its soft opening.
        let mut levels = vec![-20.0; 3];
        levels.extend([0.0; 4]);
        levels.extend([-20.0; 5]);
        levels.extend([-5.0; 3]);
        levels.extend([0.0; 4]);
        levels.extend([-20.0; 3]);
        let mut d = durations(0);
        d.attack.max = 2;
        // At most two frames back: the third weak frame stays silence.
        assert_eq!(speech_runs(&levels, T, d), vec![(3, 7), (13, 19)]);
        d.attack.max = 5;
        assert_eq!(speech_runs(&levels, T, d), vec![(3, 7), (12, 19)]);
        // Never back into the run before: a gap that closes up merges.
        let mut close = vec![0.0; 4];
        close.extend([-5.0; 4]);
        close.extend([0.0; 4]);
        assert_eq!(speech_runs(&close, T, d), vec![(0, 12)]);
    }

    #[test]
    fn a_weak_opening_reaches_across_a_stop_closure_to_the_fricative_before_it() {
        // Levels before an onset at the end of each row: W weak and clear of the noise, m weak
        // but no more than a murmur at the noise, _ silence.
        const W: f32 = -3.0;
        const M: f32 = -8.0;
        const O: f32 = -20.0;
        let t = Thresholds {
            onset: 0.0,
            offset: -10.0,
            clear: -6.0,
        };
        let attack = Attack {
            max: 12,
            max_closure: 3,
            min_opening: 2,
        };
        type Case = (&'static [f32], usize, usize);
        // (levels before the onset, lower bound, expected start as an index into them)
        let table: &[Case] = &[
            // "s", a closure of two frames, the stop's weak release: all of it.
            (&[O, O, W, W, W, O, O, W, W], 0, 2),
            // Two openings, each across a closure.
            (&[O, W, W, O, W, W, O, O, W], 0, 1),
            // A release broken by a dip is crossed on the way to the "s" before it.
            (&[O, W, W, W, O, O, W, O, W, W], 0, 1),
            // A closure longer than `max_closure` is a pause: only the release counts.
            (&[O, W, W, W, O, O, O, O, W], 0, 8),
            // A single weak frame across the silence is a tick, not a fricative.
            (&[O, O, O, W, O, O, W, W], 0, 6),
            // A murmur at the noise across the silence is no fricative either...
            (&[O, M, M, M, O, O, W, W], 0, 6),
            // ...though weak sound touching the onset counts, as before.
            (&[O, M, M, M, W], 0, 1),
            // A weak sound whose start lies beyond the reach (a breath) is not crossed to.
            (&[W, W, W, W, W, W, W, W, W, O, W], 0, 10),
            // Never before `lower` (the end of the speech before)...
            (&[W, W, W, W, O, W, W], 3, 5),
            // ...nor more than `max` frames back.
            (&[W, W, W, W, W, W, W, W, W, W, W, W, W, W], 0, 2),
            // Nothing weak just before: the onset itself.
            (&[O, O, O, O], 0, 4),
        ];
        for (levels, lower, want) in table {
            let onset = levels.len();
            let got = opening_start(onset, *lower, attack, t, |k| levels[k]);
            assert_eq!(got, *want, "{levels:?} from {lower}");
        }
        // With no closure crossed, the rule before: back over touching weak frames only.
        let contiguous = Attack {
            max_closure: 0,
            ..attack
        };
        let levels = [O, O, W, W, W, O, O, W, W];
        assert_eq!(opening_start(9, 0, contiguous, t, |k| levels[k]), 7);
    }

    #[test]
    fn runs_merge_short_gaps_and_drop_short_bursts() {
        type Case = (&'static [f32], &'static [(usize, usize)]);
        let table: &[Case] = &[
            (&[Q, S, S, S, Q, Q, Q, S, S, S, Q], &[(1, 4), (7, 10)]),
            // A 2-frame gap is shorter than the 3-frame minimum: merged.
            (&[Q, S, S, S, Q, Q, S, S, S, Q], &[(1, 9)]),
            // A 2-frame burst alone is dropped; runs to the end are closed.
            (&[S, S, Q, Q, Q, Q, S, S, S], &[(6, 9)]),
            (&[Q, Q, Q], &[]),
        ];
        for (levels, want) in table {
            assert_eq!(&speech_runs(levels, T, durations(0)), want, "{levels:?}");
        }
    }

    #[test]
    fn a_soft_decay_ends_speech_but_does_not_start_it() {
        type Case = (&'static [f32], usize, &'static [(usize, usize)]);
        let table: &[Case] = &[
            // The decay after a phrase is kept as speech...
            (&[Q, S, S, S, D, D, Q, Q, Q, Q], 5, &[(1, 6)]),
            // ...but no longer than the longest decay.
            (&[Q, S, S, S, D, D, D, D, Q, Q], 2, &[(1, 6)]),
            // A decay before the sound is not its start, nor is a decay alone speech.
            (&[Q, D, D, S, S, S, Q, D, D, D, D, Q], 5, &[(3, 6)]),
            // A click's own ring-out does not make it long enough to be speech.
            (&[Q, S, S, D, D, D, Q, Q, Q], 5, &[]),
            // A decay that leaves less than a pause of silence joins the runs...
            (&[Q, S, S, S, D, D, Q, Q, S, S, S, Q], 5, &[(1, 11)]),
            // ...and never runs into the next one.
            (&[Q, S, S, S, D, D, D, S, S, S, Q], 9, &[(1, 10)]),
        ];
        for (levels, max_decay, want) in table {
            assert_eq!(
                &speech_runs(levels, T, durations(*max_decay)),
                want,
                "{levels:?} with decay up to {max_decay}"
            );
        }
    }

    #[test]
    fn edges_move_to_the_unsmoothed_crossing() {
        let t = Thresholds {
            onset: -25.0,
            offset: -35.0,
            clear: -35.0,
        };
        // Raw levels: sound in frames 10..20 only; the smoothed run was found at 8..22.
        let raw = |k: usize| if (10..20).contains(&k) { 0.0 } else { -50.0 };
        let mut runs = vec![(8, 22)];
        refine_edges(&mut runs, raw, 40, t, 2, NO_ATTACK);
        assert_eq!(runs, vec![(10, 20)]);
        // A raw dip at the smoothed edge moves it inwards, but no further than `reach`.
        let raw = |k: usize| if (14..20).contains(&k) { 0.0 } else { -50.0 };
        let mut runs = vec![(10, 20)];
        refine_edges(&mut runs, raw, 40, t, 2, NO_ATTACK);
        assert_eq!(
            runs,
            vec![(10, 20)],
            "nothing above threshold within reach: unchanged"
        );
        // Starts are placed at the onset threshold, ends at the offset threshold.
        let raw = |k: usize| match k {
            10 | 21 => -30.0,
            11..=20 => 0.0,
            _ => -50.0,
        };
        let mut runs = vec![(10, 21)];
        refine_edges(&mut runs, raw, 40, t, 2, NO_ATTACK);
        assert_eq!(runs, vec![(11, 22)]);
    }
}
