//! Plain-words remarks on the measures that stand out. Conservative on purpose: a remark should
//! be worth the speaker's attention, so only clear departures are mentioned.

use super::voice::{MONOTONE_BELOW_ST, TRAILING_DB};
use super::Measures;
use crate::audio::level::{Verdict, CLIPPED_FRACTION};

/// A silence before the first word longer than this is remarked on.
pub const SLOW_START_S: f64 = 3.0;
/// A pause longer than this is a stall.
pub const STALL_S: f64 = 3.0;
/// Pace is judged by one rule everywhere: against the band of comfortable interview speech, in
/// words per minute, with a margin because pace estimates are rough...
pub const PACE_BAND_WPM: (f64, f64) = (100.0, 170.0);
pub const PACE_BAND_MARGIN: f64 = 0.1;
/// ...and, where the speaker's own usual pace is known, a second note when this answer is this
/// far from it. The band's verdict never depends on the usual pace, so a habit of speaking fast
/// is still called fast.
pub const USUAL_PACE_TOLERANCE: f64 = 0.25;
/// Pace needs this much speech to be judged at all.
pub const MIN_SPEECH_FOR_PACE_S: f64 = 5.0;
/// Phrase endings are remarked on when at least this share of the judged phrases, and at least
/// [`MIN_TRAILING_PHRASES`] of them, trail off: one faded ending is not a habit.
pub const TRAILING_SHARE: f64 = 1.0 / 3.0;
pub const MIN_TRAILING_PHRASES: usize = 2;

impl Measures {
    /// Plain-words remarks where a measure stands out: a long silence before starting, a stall,
    /// a pace outside the band (and, as a separate note, far from `usual_wpm`, the speaker's
    /// median over earlier takes, when known), clipping, too quiet a recording (by the same
    /// level verdict as `check` and the log).
    pub fn remarks(&self, usual_wpm: Option<f64>) -> Vec<String> {
        let mut out = Vec::new();
        let Some(first) = self.first_speech_s else {
            out.push("No speech was found in this recording.".to_string());
            return out;
        };
        if first > SLOW_START_S {
            out.push(format!(
                "You took {first:.1} s before you started speaking."
            ));
        }
        if let Some(p) = self
            .pauses
            .iter()
            .filter(|p| p.duration_s() > STALL_S)
            .max_by(|a, b| a.duration_s().total_cmp(&b.duration_s()))
        {
            out.push(format!(
                "You stopped for {:.1} s at {}.",
                p.duration_s(),
                clock(p.start_s)
            ));
        }
        if self.speech_s >= MIN_SPEECH_FOR_PACE_S && self.est_wpm > 0.0 {
            out.extend(self.pace_remark());
            out.extend(self.usual_pace_remark(usual_wpm));
        }
        out.extend(self.voice_remarks());
        if self.clipped_fraction > CLIPPED_FRACTION {
            out.push(format!(
                "The recording clipped ({:.1} % of samples at full scale): move back from the \
                 microphone or lower its gain.",
                self.clipped_fraction * 100.0
            ));
        }
        let peak = 10f32.powf(self.peak_dbfs as f32 / 20.0);
        let rms = 10f32.powf(self.speech_rms_dbfs.unwrap_or(self.peak_dbfs) as f32 / 20.0);
        if Verdict::judge(peak, rms, 0.0) == Verdict::TooQuiet {
            out.push(format!(
                "The recording is quiet (peaks at {:.0} dBFS): move closer to the microphone \
                 or raise its gain.",
                self.peak_dbfs
            ));
        }
        out
    }

    /// Monotone pitch, and phrase endings that trail off: one short verdict each.
    fn voice_remarks(&self) -> Vec<String> {
        let mut out = Vec::new();
        let Some(v) = &self.voice else {
            return out;
        };
        if let (Some(true), Some(sd)) = (v.monotone, v.pitch_sd_st) {
            out.push(format!(
                "Your voice sounded monotone (pitch varied by {sd:.1} semitones; under \
                 {MONOTONE_BELOW_ST:.1} sounds flat): let it rise and fall with what matters."
            ));
        }
        if v.trailing_off >= MIN_TRAILING_PHRASES
            && v.trailing_off as f64 >= TRAILING_SHARE * v.phrases as f64
        {
            out.push(format!(
                "{} of {} phrases trailed off (the last syllables {TRAILING_DB:.0} dB or more \
                 quieter): keep your voice up to the last word.",
                v.trailing_off, v.phrases
            ));
        }
        out
    }

    /// The one pace rule: the band.
    fn pace_remark(&self) -> Option<String> {
        let wpm = self.est_wpm;
        let (lo, hi) = PACE_BAND_WPM;
        if wpm > hi * (1.0 + PACE_BAND_MARGIN) {
            Some(format!(
                "Your pace was fast (about {wpm:.0} words a minute; {lo:.0}–{hi:.0} is easy to \
                 follow)."
            ))
        } else if wpm < lo * (1.0 - PACE_BAND_MARGIN) {
            Some(format!(
                "Your pace was slow (about {wpm:.0} words a minute; {lo:.0}–{hi:.0} is typical)."
            ))
        } else {
            None
        }
    }

    /// The second reference: the speaker's own usual pace.
    fn usual_pace_remark(&self, usual_wpm: Option<f64>) -> Option<String> {
        let wpm = self.est_wpm;
        let usual = usual_wpm.filter(|&u| u > 0.0)?;
        let than = if wpm > usual * (1.0 + USUAL_PACE_TOLERANCE) {
            "faster"
        } else if wpm < usual * (1.0 - USUAL_PACE_TOLERANCE) {
            "slower"
        } else {
            return None;
        };
        Some(format!(
            "That is {than} than usual for you (about {wpm:.0} words a minute against {usual:.0})."
        ))
    }
}

/// `M:SS` for a time in seconds.
fn clock(s: f64) -> String {
    let s = s.max(0.0).round() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::super::{Measures, Pause, Voice};

    fn measures(first: Option<f64>, pauses: &[(f64, f64)], wpm: f64) -> Measures {
        Measures {
            duration_s: 60.0,
            speech_s: 30.0,
            first_speech_s: first,
            last_speech_s: first.map(|f| f + 40.0),
            pauses: pauses
                .iter()
                .map(|&(start_s, end_s)| Pause { start_s, end_s })
                .collect(),
            pause_count: pauses.len(),
            long_pause_count: 0,
            longest_pause_s: 0.0,
            syllables: 100,
            speech_rate_sps: wpm * 1.5 / 60.0,
            articulation_rate_sps: 4.0,
            est_wpm: wpm,
            peak_dbfs: -3.0,
            speech_rms_dbfs: Some(-20.0),
            clipped_fraction: 0.0,
            voice: None,
        }
    }

    #[test]
    fn remarks_only_where_a_measure_stands_out() {
        let table: &[(Measures, Option<f64>, &[&str])] = &[
            (measures(Some(0.8), &[], 140.0), None, &[]),
            (measures(Some(4.2), &[], 140.0), None, &["took 4.2 s"]),
            (
                measures(Some(1.0), &[(61.0, 65.5), (70.0, 73.2)], 140.0),
                None,
                &["stopped for 4.5 s at 1:01"],
            ),
            (measures(Some(1.0), &[(10.0, 12.9)], 140.0), None, &[]),
            (measures(Some(1.0), &[], 200.0), None, &["fast"]),
            (measures(Some(1.0), &[], 180.0), None, &[]),
            (measures(Some(1.0), &[], 80.0), None, &["slow"]),
            // The usual pace is a second note: 180 wpm is within the band's margin but fast
            // for someone who usually does 120...
            (
                measures(Some(1.0), &[], 180.0),
                Some(120.0),
                &["faster than usual"],
            ),
            // ...95 is fine for someone who usually speaks at 100...
            (measures(Some(1.0), &[], 95.0), Some(100.0), &[]),
            (
                measures(Some(1.0), &[], 60.0),
                Some(100.0),
                &["slow (about 60", "slower than usual"],
            ),
            // ...and a habit of speaking fast never hides the band.
            (
                measures(Some(1.0), &[], 210.0),
                Some(205.0),
                &["fast (about 210"],
            ),
            (measures(None, &[], 0.0), None, &["No speech"]),
        ];
        for (m, usual, want) in table {
            let got = m.remarks(*usual);
            assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
            for (g, w) in got.iter().zip(want.iter()) {
                assert!(g.contains(w), "{g:?} should contain {w:?}");
            }
        }
    }

    #[test]
    fn clipping_and_quiet_are_remarked() {
        let mut m = measures(Some(1.0), &[], 140.0);
        m.clipped_fraction = 0.01;
        let got = m.remarks(None);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("clipped (1.0 %"));
        // Quiet by the same verdict as `check`: peaks under its threshold.
        let mut m = measures(Some(1.0), &[], 140.0);
        m.peak_dbfs = -36.0;
        m.speech_rms_dbfs = Some(-48.0);
        let got = m.remarks(None);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("-36 dBFS"), "{got:?}");
    }

    #[test]
    fn monotone_and_trailing_off_are_one_verdict_each() {
        let voice = |sd: Option<f64>, phrases: usize, trailing_off: usize| Voice {
            voiced_s: 20.0,
            pitch_median_hz: sd.map(|_| 110.0),
            pitch_sd_st: sd,
            pitch_range_st: sd.map(|s| s * 3.5),
            monotone: sd.map(|s| s < super::MONOTONE_BELOW_ST),
            loudness_sd_db: Some(4.0),
            phrases,
            trailing_off,
        };
        // (voice, what the remarks say)
        let table: &[(Option<Voice>, &[&str])] = &[
            (None, &[]),
            (Some(voice(Some(3.2), 9, 0)), &[]),
            (
                Some(voice(Some(1.1), 9, 0)),
                &["monotone (pitch varied by 1.1 semitones"],
            ),
            (Some(voice(None, 9, 0)), &[]),
            // One faded ending is not a habit; two of nine are not a third...
            (Some(voice(Some(3.2), 9, 1)), &[]),
            (Some(voice(Some(3.2), 9, 2)), &[]),
            // ...three of nine are.
            (
                Some(voice(Some(3.2), 9, 3)),
                &["3 of 9 phrases trailed off"],
            ),
            (
                Some(voice(Some(1.0), 2, 2)),
                &["monotone", "2 of 2 phrases"],
            ),
        ];
        for (v, want) in table {
            let mut m = measures(Some(1.0), &[], 140.0);
            m.voice = v.clone();
            let got = m.remarks(None);
            assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
            for (g, w) in got.iter().zip(want.iter()) {
                assert!(g.contains(w), "{g:?} should contain {w:?}");
            }
        }
    }
}
