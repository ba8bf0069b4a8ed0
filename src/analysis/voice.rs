//! How the voice sounded, from the pitch track and the syllable nuclei: the pitch level, its
//! variation in semitones (so a low and a high voice are judged alike), the loudness variation
//! from syllable to syllable, and phrase endings that trail off. Pure figures; the remarks on
//! them are in `remarks`.

use super::nuclei::Peak;
use super::pitch::semitones;

/// Below this spread of pitch (semitones, over the voiced frames of a take) the voice is called
/// monotone. No validated cut-off exists in the literature; this one sits between read speech
/// (3.1 st measured here on the LibriVox reader, with Praat's track and ours alike; the plain
/// standard deviation with Praat is 3.0–5.0) and the same speech with its pitch flattened by
/// PSOLA resynthesis (0.3 st), closer to the flat end, and above espeak-ng's nearly flat default
/// voice (1.2–1.3 st): a take below it sounds flat.
pub const MONOTONE_BELOW_ST: f64 = 1.5;
/// A phrase trails off when its last syllables are at least this much quieter (dB, vowel-band
/// level at the syllable nuclei) than the median syllable of the phrase before them. The
/// ordinary fall of loudness over a phrase (declination) is a few dB; this is beyond it.
pub const TRAILING_DB: f64 = 8.0;
/// The syllables counted as a phrase's ending.
const ENDING_SYLLABLES: usize = 2;
/// A phrase needs this many syllables before its ending to be judged.
const MIN_PHRASE_BODY: usize = 3;
/// Pitch figures need this much voiced speech (seconds).
const MIN_VOICED_S: f64 = 1.0;
/// Loudness variation needs this many syllables.
const MIN_SYLLABLES_FOR_LOUDNESS: usize = 10;

/// The voice measures of a take. Pitch figures are `None` with less than a second of voice.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Voice {
    /// Time with a pitch (voiced frames inside speech), in seconds.
    #[serde(default)]
    pub voiced_s: f64,
    /// Median F0 of the voiced frames, Hz.
    #[serde(default)]
    pub pitch_median_hz: Option<f64>,
    /// Spread of the voiced frames' pitch in semitones, to a tenth: the standard deviation,
    /// estimated from the interquartile range so that a few octave errors do not move it.
    #[serde(default)]
    pub pitch_sd_st: Option<f64>,
    /// 5th to 95th percentile of the voiced frames' pitch, in semitones.
    #[serde(default)]
    pub pitch_range_st: Option<f64>,
    /// `pitch_sd_st` below [`MONOTONE_BELOW_ST`].
    #[serde(default)]
    pub monotone: Option<bool>,
    /// Standard deviation of the syllables' level (vowel band, at each nucleus), in dB.
    #[serde(default)]
    pub loudness_sd_db: Option<f64>,
    /// Phrases (speech between pauses) long enough to judge their ending.
    #[serde(default)]
    pub phrases: usize,
    /// Of those, the ones whose ending is [`TRAILING_DB`] or more below the phrase.
    #[serde(default)]
    pub trailing_off: usize,
}

/// The voice measures from the pitch track (Hz per frame, 0 = unvoiced), the speech runs
/// (half-open frame ranges, in order) and the counted syllable nuclei (in order).
pub(crate) fn measure(
    track: &[f32],
    runs: &[(usize, usize)],
    nuclei: &[&Peak],
    hop_s: f64,
) -> Voice {
    let voiced: Vec<f32> = track.iter().copied().filter(|&hz| hz > 0.0).collect();
    let voiced_s = voiced.len() as f64 * hop_s;
    let pitch = (voiced_s >= MIN_VOICED_S - 1e-9).then(|| pitch_figures(&voiced));
    let levels: Vec<f64> = nuclei.iter().map(|p| f64::from(p.db)).collect();
    let loudness_sd_db = (levels.len() >= MIN_SYLLABLES_FOR_LOUDNESS)
        .then(|| round_centi(standard_deviation(&levels)));
    let (mut phrases, mut trailing_off) = (0, 0);
    let mut next = 0;
    for &(from, to) in runs {
        let start = next;
        while next < nuclei.len() && nuclei[next].frame < to {
            next += 1;
        }
        let phrase: Vec<f64> = nuclei[start..next]
            .iter()
            .filter(|p| p.frame >= from)
            .map(|p| f64::from(p.db))
            .collect();
        if phrase.len() < MIN_PHRASE_BODY + ENDING_SYLLABLES {
            continue;
        }
        phrases += 1;
        let (body, ending) = phrase.split_at(phrase.len() - ENDING_SYLLABLES);
        let ending = ending.iter().sum::<f64>() / ending.len() as f64;
        if ending <= median(body) - TRAILING_DB {
            trailing_off += 1;
        }
    }
    Voice {
        voiced_s: (voiced_s * 100.0).round() / 100.0,
        pitch_median_hz: pitch.map(|p| (p.0 * 10.0).round() / 10.0),
        // To a tenth, as every view shows it: the figure judged is the figure shown.
        pitch_sd_st: pitch.map(|p| round_tenth(p.1)),
        pitch_range_st: pitch.map(|p| round_centi(p.2)),
        monotone: pitch.map(|p| round_tenth(p.1) < MONOTONE_BELOW_ST),
        loudness_sd_db,
        phrases,
        trailing_off,
    }
}

/// (median Hz, spread in semitones, 5th–95th percentile range in semitones). The spread is the
/// standard deviation estimated from the interquartile range (IQR / 1.349, equal to the standard
/// deviation of a normal spread): the plain standard deviation is moved far by the few frames
/// any tracker gets an octave wrong, and by stray frames at voicing edges, which this ignores.
fn pitch_figures(voiced: &[f32]) -> (f64, f64, f64) {
    let mut hz: Vec<f64> = voiced.iter().map(|&v| f64::from(v)).collect();
    hz.sort_by(f64::total_cmp);
    let median_hz = percentile(&hz, 0.5);
    let st = |p: f64| f64::from(semitones(percentile(&hz, p) as f32, median_hz as f32));
    let spread = (st(0.75) - st(0.25)) / IQR_PER_SD;
    (median_hz, spread, st(0.95) - st(0.05))
}

/// The interquartile range of a normal distribution, in standard deviations.
const IQR_PER_SD: f64 = 1.349;

fn standard_deviation(v: &[f64]) -> f64 {
    let mean = v.iter().sum::<f64>() / v.len() as f64;
    (v.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / v.len() as f64).sqrt()
}

fn median(v: &[f64]) -> f64 {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    percentile(&s, 0.5)
}

/// Linear interpolation between the closest ranks of a sorted, non-empty slice.
fn percentile(sorted: &[f64], p: f64) -> f64 {
    let at = p * (sorted.len() - 1) as f64;
    let (lo, hi) = (at.floor() as usize, at.ceil() as usize);
    sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo as f64)
}

fn round_tenth(v: f64) -> f64 {
    (v * 10.0).round() / 10.0 + 0.0
}

fn round_centi(v: f64) -> f64 {
    (v * 100.0).round() / 100.0 + 0.0
}

#[cfg(test)]
mod tests {
    use super::*;

    fn peak(frame: usize, db: f32) -> Peak {
        Peak {
            frame,
            db,
            voiced: true,
        }
    }

    #[test]
    fn pitch_variation_is_in_semitones_whatever_the_level() {
        // The same tune (a fifth up and down) at a low and a high level: the same variation.
        let tune = |base: f32| -> Vec<f32> {
            (0..300)
                .map(|k| {
                    let phase = 2.0 * std::f32::consts::PI * 2.0 * k as f32 / 300.0;
                    base * 2f32.powf(7.0 / 12.0 * phase.sin())
                })
                .collect()
        };
        let low = measure(&tune(100.0), &[(0, 300)], &[], 0.01);
        let high = measure(&tune(220.0), &[(0, 300)], &[], 0.01);
        assert_eq!(low.pitch_median_hz, Some(100.0));
        assert_eq!(high.pitch_median_hz, Some(220.0));
        assert_eq!(low.pitch_sd_st, high.pitch_sd_st);
        assert_eq!(low.pitch_range_st, high.pitch_range_st);
        // A sine of 7 semitones has quartiles at ±7·sin(π/4): 9.9 st apart, 7.34 st by IQR.
        let sd = low.pitch_sd_st.unwrap();
        assert!((7.2..7.5).contains(&sd), "{sd}");
        let range = low.pitch_range_st.unwrap();
        assert!((13.0..14.0).contains(&range), "{range}");
        assert_eq!(low.monotone, Some(false));
        // A flat voice is monotone; too little voice gives no pitch figures.
        let flat = measure(&[150.0; 200], &[(0, 200)], &[], 0.01);
        assert_eq!((flat.pitch_sd_st, flat.monotone), (Some(0.0), Some(true)));
        let short = measure(&[150.0; 99], &[(0, 99)], &[], 0.01);
        assert_eq!((short.pitch_median_hz, short.monotone), (None, None));
        assert_eq!(short.voiced_s, 0.99);
    }

    #[test]
    fn phrases_whose_last_syllables_fall_away_trail_off() {
        // Three phrases of six syllables: level endings, a faded ending, and an ending 6 dB
        // down (ordinary declination), then a phrase too short to judge.
        let mut nuclei = Vec::new();
        let phrases: [&[f32]; 4] = [
            &[-20., -22., -21., -20., -22., -21.],
            &[-20., -22., -21., -20., -30., -32.],
            &[-20., -22., -21., -20., -26., -27.],
            &[-20., -40.],
        ];
        let mut runs = Vec::new();
        for (i, levels) in phrases.iter().enumerate() {
            let start = i * 100;
            for (k, &db) in levels.iter().enumerate() {
                nuclei.push(peak(start + 5 + 10 * k, db));
            }
            runs.push((start, start + 80));
        }
        let refs: Vec<&Peak> = nuclei.iter().collect();
        let v = measure(&[], &runs, &refs, 0.01);
        assert_eq!((v.phrases, v.trailing_off), (3, 1));
        let sd = v.loudness_sd_db.unwrap();
        assert!((4.0..8.0).contains(&sd), "{sd}");
        assert_eq!(v.pitch_sd_st, None);
    }
}
