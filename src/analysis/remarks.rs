//! Plain-words remarks on the measures that stand out. Conservative on purpose: a remark should
//! be worth the speaker's attention, so only clear departures are mentioned.

use super::Measures;

/// A silence before the first word longer than this is remarked on.
pub const SLOW_START_S: f64 = 3.0;
/// A pause longer than this is a stall.
pub const STALL_S: f64 = 3.0;
/// Pace compared with the speaker's own usual: remark beyond ±25 %.
pub const USUAL_PACE_TOLERANCE: f64 = 0.25;
/// Without a usual pace, the broad band of comfortable interview speech, in words per minute,
/// and how far outside it a pace must be to be remarked on (pace estimates are rough).
pub const PACE_BAND_WPM: (f64, f64) = (100.0, 170.0);
pub const PACE_BAND_MARGIN: f64 = 0.1;
/// Pace needs this much speech to be judged at all.
pub const MIN_SPEECH_FOR_PACE_S: f64 = 5.0;
/// More than this fraction of samples at full scale is audible distortion.
pub const CLIPPING_FRACTION: f64 = 0.001;
/// Speech quieter than this (dBFS) is hard to hear back and to measure.
pub const QUIET_DBFS: f64 = -40.0;

impl Measures {
    /// Plain-words remarks where a measure stands out: a long silence before starting, a stall,
    /// a pace far from the speaker's usual (`usual_wpm`: their median over earlier takes, if
    /// any; otherwise a broad 100–170 wpm band with a margin), clipping, too quiet a recording.
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
            out.extend(self.pace_remark(usual_wpm));
        }
        if self.clipped_fraction > CLIPPING_FRACTION {
            out.push(format!(
                "The recording clipped ({:.1} % of samples at full scale): move back from the \
                 microphone or lower its gain.",
                self.clipped_fraction * 100.0
            ));
        }
        if let Some(rms) = self.speech_rms_dbfs.filter(|&r| r < QUIET_DBFS) {
            out.push(format!(
                "The recording is quiet (speech at {rms:.0} dBFS): move closer to the microphone \
                 or raise its gain."
            ));
        }
        out
    }

    fn pace_remark(&self, usual_wpm: Option<f64>) -> Option<String> {
        let wpm = self.est_wpm;
        match usual_wpm.filter(|&u| u > 0.0) {
            Some(usual) if wpm > usual * (1.0 + USUAL_PACE_TOLERANCE) => Some(format!(
                "You spoke faster than usual for you (about {wpm:.0} words a minute against \
                 {usual:.0})."
            )),
            Some(usual) if wpm < usual * (1.0 - USUAL_PACE_TOLERANCE) => Some(format!(
                "You spoke slower than usual for you (about {wpm:.0} words a minute against \
                 {usual:.0})."
            )),
            Some(_) => None,
            None if wpm > PACE_BAND_WPM.1 * (1.0 + PACE_BAND_MARGIN) => Some(format!(
                "Your pace was fast (about {wpm:.0} words a minute; {:.0}–{:.0} is easy to follow).",
                PACE_BAND_WPM.0, PACE_BAND_WPM.1
            )),
            None if wpm < PACE_BAND_WPM.0 * (1.0 - PACE_BAND_MARGIN) => Some(format!(
                "Your pace was slow (about {wpm:.0} words a minute; {:.0}–{:.0} is typical).",
                PACE_BAND_WPM.0, PACE_BAND_WPM.1
            )),
            None => None,
        }
    }
}

/// `M:SS` for a time in seconds.
fn clock(s: f64) -> String {
    let s = s.max(0.0).round() as u64;
    format!("{}:{:02}", s / 60, s % 60)
}

#[cfg(test)]
mod tests {
    use super::super::{Measures, Pause};

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
            // Against the speaker's own usual pace, 180 wpm is fast when they usually do 120...
            (
                measures(Some(1.0), &[], 180.0),
                Some(120.0),
                &["faster than usual"],
            ),
            // ...and 95 is fine for someone who usually speaks at 100.
            (measures(Some(1.0), &[], 95.0), Some(100.0), &[]),
            (
                measures(Some(1.0), &[], 60.0),
                Some(100.0),
                &["slower than usual"],
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
        m.speech_rms_dbfs = Some(-48.0);
        let got = m.remarks(None);
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(got[0].contains("clipped (1.0 %"));
        assert!(got[1].contains("-48 dBFS"));
    }
}
