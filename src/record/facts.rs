//! The facts of a take: the one set of figures every view shows about an answer (its length,
//! first words, speaking time, pauses, pace, how it ended, its verdict against its limit) and
//! the remarks made on it. [`TakeFacts::of`] is the one place they are worked out: when a
//! take ends, again when its transcript arrives (the pace then comes from the words), and on
//! reading a log that has none (older logs). Views format them and work out nothing.
//!
//! Definitions (README, "Answer measures"):
//! - every time is on the take's clock, which starts when the take does: when the think time
//!   runs out, at Enter, at once after `r`, or (a take started by speaking) at the speech;
//!   after the start cue when one plays. The file may hold a moment before it (`pre_roll_s`).
//! - length: from the clock's start to the take's end.
//! - first words: from the clock's start to the first speech. A take started by speaking
//!   starts with its first words, so they are at 0.0 s there; the time before them is the
//!   question's think time used (`think_used_s`), a figure of its own.
//! - speaking time, pauses (count, longest): from the analysis, cues left out.
//! - pace: the transcript's words per minute when there is one, else the estimate from the
//!   sound (shown with a `~`).
//! - verdict: cut off (ended at its limit while still talking), over (past its limit),
//!   no speech, not finished (restarted, quit, interrupted, failed), under the useful minimum
//!   (talking stopped before it), or within; the first that applies.

use super::format::{
    round_ms, Pace, PaceSource, QuestionLog, TakeEnd, TakeFacts, TakeLog, TakeMeasures, TakeStart,
    TranscriptLog, Verdict, VoiceFacts, WordFacts,
};
use crate::analysis::level::{Verdict as LevelVerdict, CLIPPED_FRACTION};
use crate::analysis::{Measures, MONOTONE_BELOW_ST, TRAILING_DB};

/// A silence before the first word longer than this is remarked on.
pub const SLOW_START_S: f64 = 3.0;
/// A pause longer than this is a stall.
pub const STALL_S: f64 = 3.0;
/// Pace is judged by one rule everywhere: a pace outside this band of comfortable interview
/// speech, in words per minute, gets a remark; inside it (bounds included) gets none. There is
/// no margin: the figure judged is the figure shown.
pub const PACE_BAND_WPM: (f64, f64) = (100.0, 170.0);
/// A pace needs this much speech to be judged at all (shorter answers still show it).
pub const MIN_SPEECH_FOR_PACE_S: f64 = 5.0;
/// Where the speaker's usual pace is known (the median of the judged paces of their answers in
/// sessions recorded before this one, once there are [`USUAL_PACE_MIN_TAKES`]), a second note
/// when this answer is this far from it. The band's verdict never depends on the usual pace,
/// so a habit of speaking fast is still called fast.
pub const USUAL_PACE_TOLERANCE: f64 = 0.25;
pub const USUAL_PACE_MIN_TAKES: usize = 3;
/// Phrase endings are remarked on when at least this share of the judged phrases, and at least
/// [`MIN_TRAILING_PHRASES`] of them, trail off: one faded ending is not a habit.
pub const TRAILING_SHARE: f64 = 1.0 / 3.0;
pub const MIN_TRAILING_PHRASES: usize = 2;

/// Fillers are remarked on above this many a minute: listener studies summarised by speech
/// coaches find about 5 a minute costs nothing measurable, and the harm concentrates around 12.
pub const FILLERS_PER_MIN: f64 = 5.0;
/// … or above this many per 100 words (Read.ai's target: fillers under about 4 % of words).
pub const FILLERS_PER_100_WORDS: f64 = 4.0;
/// Hedging words are remarked on above this many per 100 words (voicemock's own choice, no
/// published figure: about one in every 30 words, where hedging colours an answer).
pub const HEDGES_PER_100_WORDS: f64 = 3.0;
/// Word rates need this many words to be judged at all (shorter answers still show them).
pub const MIN_WORDS_FOR_RATES: usize = 25;

impl WordFacts {
    pub fn of(tr: &TranscriptLog) -> WordFacts {
        WordFacts {
            words: tr.words,
            fillers: tr.fillers,
            fillers_per_100_words: tr.fillers_per_100_words,
            fillers_per_min: tr.fillers_per_min,
            hedges: tr.hedges,
            hedges_per_100_words: tr.hedges_per_100_words,
            result: tr.result,
        }
    }
}

/// The voice verdict of a take, from the logged voice measures.
fn voice_facts(m: &TakeMeasures) -> Option<VoiceFacts> {
    let v = m.voice.as_ref()?;
    Some(VoiceFacts {
        pitch_sd_st: v.pitch_sd_st?,
        monotone: v.monotone?,
    })
}

fn tenth(s: f64) -> f64 {
    (s * 10.0).round() / 10.0
}

/// A take's pace: the transcript's when it has one, else the estimate from the sound.
pub fn pace_of(t: &TakeLog) -> Option<Pace> {
    let spoke = t.analysis.as_ref().filter(|m| m.first_speech_s.is_some());
    if let Some(wpm) = t.transcript.as_ref().and_then(|tr| tr.wpm) {
        return Some(Pace {
            wpm: wpm.round(),
            from: PaceSource::Transcript,
        });
    }
    spoke.filter(|m| m.est_wpm > 0.0).map(|m| Pace {
        wpm: m.est_wpm.round(),
        from: PaceSource::Sound,
    })
}

/// The pace of `t` if it had enough speech to be judged (what a usual pace is made of): its
/// facts' pace, by the rule its remarks were made with.
pub fn judged_pace(t: &TakeLog) -> Option<f64> {
    match &t.facts {
        Some(f) => f.judged_pace(),
        None => TakeFacts::with_minimum(0.0, t, None).judged_pace(),
    }
}

/// The usual pace from the judged paces of earlier answers: their median, once there are
/// enough of them.
pub fn usual_pace(earlier: &[f64]) -> Option<f64> {
    if earlier.len() < USUAL_PACE_MIN_TAKES {
        return None;
    }
    median(earlier).map(f64::round)
}

impl TakeFacts {
    /// The facts of take `t` of question `q`, with the remarks made against `usual_wpm` (the
    /// usual pace from sessions recorded before this one).
    pub fn of(q: &QuestionLog, t: &TakeLog, usual_wpm: Option<f64>) -> TakeFacts {
        let min_s = if q.limit_s > 0.0 {
            q.min_s * t.limit_s / q.limit_s
        } else {
            q.min_s
        };
        TakeFacts::with_minimum(min_s, t, usual_wpm)
    }

    /// The facts of a recording that belongs to no session (`analyze FILE.wav`): its clock is
    /// the file's, and it has no limit.
    pub fn of_recording(m: &Measures) -> TakeFacts {
        let mut t = TakeLog::started(1, String::new(), String::new(), 0.0, m.duration_s, None);
        t.duration_s = m.duration_s;
        t.ended_by = Some(TakeEnd::Enter);
        t.analysis = Some(m.into());
        TakeFacts::with_minimum(0.0, &t, None)
    }

    /// The facts of a transcript's words, and their remarks.
    pub fn add_words(&mut self, tr: &TranscriptLog) {
        let w = WordFacts::of(tr);
        self.remarks.extend(word_remarks(&w));
        self.words = Some(w);
    }

    /// The pace, if there was enough speech to judge it.
    pub fn judged_pace(&self) -> Option<f64> {
        self.speaking_s
            .filter(|&s| s >= MIN_SPEECH_FOR_PACE_S)
            .and(self.pace)
            .map(|p| p.wpm)
    }

    fn with_minimum(min_s: f64, t: &TakeLog, usual_wpm: Option<f64>) -> TakeFacts {
        let pre = t.pre_roll_s;
        let length_s = round_ms((t.duration_s - pre).max(0.0));
        let spoke = t.analysis.as_ref().filter(|m| m.first_speech_s.is_some());
        let first_words_s = spoke.and_then(|m| m.first_speech_s).map(|first| {
            if t.started_by == Some(TakeStart::Voice) {
                0.0
            } else {
                tenth((first - pre).max(0.0))
            }
        });
        let talking_stopped_s = spoke
            .and_then(|m| m.last_speech_s)
            .map(|last| round_ms((last - pre).max(0.0)));
        let over_s = if t.started_by.is_some() {
            // The machine measured it against the voice: silence after the last word in the
            // grace is not over.
            t.overtime_s
        } else if length_s > t.limit_s + 0.05 {
            t.overtime_s.max(length_s - t.limit_s)
        } else {
            t.overtime_s
        };
        let over_s = round_ms(over_s.max(0.0));
        let verdict = if t.cut_off {
            Verdict::CutOff
        } else if over_s > 0.0 {
            Verdict::Over
        } else if t.analysis.is_some() && spoke.is_none() {
            Verdict::NoSpeech
        } else if matches!(
            t.ended_by,
            None | Some(
                TakeEnd::Repeat | TakeEnd::Quit | TakeEnd::Interrupt | TakeEnd::DeviceError
            )
        ) {
            Verdict::Unfinished
        } else if min_s > 0.0 && talking_stopped_s.unwrap_or(length_s) < min_s {
            Verdict::Under
        } else {
            Verdict::Within
        };
        let mut facts = TakeFacts {
            length_s,
            limit_s: t.limit_s,
            min_s: round_ms(min_s),
            first_words_s,
            speaking_s: spoke.map(|m| tenth(m.speech_s)),
            pauses: spoke.map(|m| m.pause_count),
            longest_pause_s: spoke.map(|m| tenth(m.longest_pause_s)),
            talking_stopped_s,
            pace: pace_of(t),
            ended_by: t.ended_by,
            verdict,
            over_s,
            words: None,
            remarks: Vec::new(),
            voice: spoke.and_then(voice_facts),
        };
        facts.remarks = remarks(&facts, t.analysis.as_ref(), pre, usual_wpm);
        if let Some(tr) = &t.transcript {
            facts.add_words(tr);
        }
        facts
    }
}

#[cfg(test)]
impl TakeFacts {
    /// Facts for tests: a take of `length_s` within a 60 s limit (useful minimum 30 s), first
    /// words at 1 s, nothing else measured; change what a test needs with `..`.
    pub(crate) fn for_test(length_s: f64) -> TakeFacts {
        TakeFacts {
            length_s,
            limit_s: 60.0,
            min_s: 30.0,
            first_words_s: Some(1.0),
            speaking_s: None,
            pauses: None,
            longest_pause_s: None,
            talking_stopped_s: None,
            pace: None,
            ended_by: None,
            verdict: Verdict::Within,
            over_s: 0.0,
            words: None,
            remarks: Vec::new(),
            voice: None,
        }
    }
}

/// Plain-words remarks where a figure stands out: a long silence before starting, a stall, a
/// pace outside the band (and, as a separate note, far from the usual pace), clipping, too
/// quiet a recording (by the same level verdict as `check` and the log). Conservative on
/// purpose: a remark should be worth the speaker's attention.
fn remarks(
    f: &TakeFacts,
    m: Option<&TakeMeasures>,
    pre: f64,
    usual_wpm: Option<f64>,
) -> Vec<String> {
    let mut out = Vec::new();
    let Some(m) = m else {
        return out;
    };
    let Some(first) = f.first_words_s else {
        out.push("No speech was found in this recording.".to_string());
        return out;
    };
    if first > SLOW_START_S {
        out.push(format!(
            "You took {} before you started speaking.",
            seconds(first)
        ));
    }
    if let Some(p) = m
        .pauses
        .iter()
        .max_by(|a, b| a.duration_s().total_cmp(&b.duration_s()))
        .filter(|p| p.duration_s() > STALL_S)
    {
        out.push(format!(
            "You stopped for {} at {}.",
            seconds(f.longest_pause_s.unwrap_or(p.duration_s())),
            crate::ui::mmss((p.start_s - pre).max(0.0))
        ));
    }
    if let (Some(_), Some(pace)) = (f.judged_pace(), f.pace) {
        let wpm = pace.wpm;
        let said = pace_words(pace);
        let (lo, hi) = PACE_BAND_WPM;
        if wpm > hi {
            out.push(format!(
                "Your pace was fast ({said}; {lo:.0}–{hi:.0} is easy to follow)."
            ));
        } else if wpm < lo {
            out.push(format!(
                "Your pace was slow ({said}; {lo:.0}–{hi:.0} is typical)."
            ));
        }
        if let Some(usual) = usual_wpm.filter(|&u| u > 0.0) {
            let than = if wpm > usual * (1.0 + USUAL_PACE_TOLERANCE) {
                Some("faster")
            } else if wpm < usual * (1.0 - USUAL_PACE_TOLERANCE) {
                Some("slower")
            } else {
                None
            };
            if let Some(than) = than {
                out.push(format!(
                    "That is {than} than usual for you ({said} against your usual {usual:.0})."
                ));
            }
        }
    }
    out.extend(voice_remarks(m));
    if m.clipped_fraction > CLIPPED_FRACTION {
        out.push(format!(
            "The recording clipped ({:.1} % of samples at full scale): move back from the \
             microphone or lower its gain.",
            m.clipped_fraction * 100.0
        ));
    }
    let peak = 10f32.powf(m.peak_dbfs as f32 / 20.0);
    let rms = 10f32.powf(m.speech_rms_dbfs.unwrap_or(m.peak_dbfs) as f32 / 20.0);
    if LevelVerdict::judge(peak, rms, 0.0) == LevelVerdict::TooQuiet {
        out.push(format!(
            "The recording is quiet (peaks at {:.0} dBFS): move closer to the microphone \
             or raise its gain.",
            m.peak_dbfs
        ));
    }
    out
}

/// Monotone pitch, and phrase endings that trail off: one short verdict each, from the
/// voice measures (`analysis::Voice`), whose thresholds are the analysis's own.
fn voice_remarks(m: &TakeMeasures) -> Vec<String> {
    let mut out = Vec::new();
    let Some(v) = &m.voice else {
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

/// Many fillers (by either rate) and much hedging: one remark each, on answers with enough
/// words to judge.
pub fn word_remarks(w: &WordFacts) -> Vec<String> {
    let mut out = Vec::new();
    if w.words < MIN_WORDS_FOR_RATES {
        return out;
    }
    if w.fillers_per_min.is_some_and(|r| r > FILLERS_PER_MIN)
        || w.fillers_per_100_words > FILLERS_PER_100_WORDS
    {
        out.push(format!(
            "You used {}: more than {FILLERS_PER_MIN:.0} a minute or {FILLERS_PER_100_WORDS:.0}              per 100 words is heard; pause in silence instead.",
            fillers_text(w)
        ));
    }
    if let Some(text) = hedges_text(w).filter(|_| {
        w.hedges_per_100_words
            .is_some_and(|r| r > HEDGES_PER_100_WORDS)
    }) {
        out.push(format!(
            "You hedged often ({text}: \"I think\", \"maybe\", \"just\"…): say what you did \
             and what you know plainly."
        ));
    }
    out
}

/// The fillers as every view shows them: `at least 16 filler words (16.0 per 100 words,
/// 8.0 a minute)`.
pub fn fillers_text(w: &WordFacts) -> String {
    format!(
        "at least {} filler word{} ({:.1} per 100 words{})",
        w.fillers,
        if w.fillers == 1 { "" } else { "s" },
        w.fillers_per_100_words,
        w.fillers_per_min
            .map_or(String::new(), |r| format!(", {r:.1} a minute"))
    )
}

/// The hedges as every view shows them: `5 hedging words (4.0 per 100 words)`; `None` for a
/// log from before they were counted.
pub fn hedges_text(w: &WordFacts) -> Option<String> {
    let (n, rate) = w.hedges.zip(w.hedges_per_100_words)?;
    Some(format!(
        "{n} hedging word{} ({rate:.1} per 100 words)",
        if n == 1 { "" } else { "s" }
    ))
}

/// Seconds to a tenth, as every view shows first words and pauses: `7.3 s`.
pub fn seconds(s: f64) -> String {
    format!("{s:.1} s")
}

/// A pace as every view shows it: `~183 wpm` estimated from the sound, `170 wpm` counted
/// from the transcript.
pub fn pace_text(p: Pace) -> String {
    match p.from {
        PaceSource::Sound => format!("~{:.0} wpm", p.wpm),
        PaceSource::Transcript => format!("{:.0} wpm", p.wpm),
    }
}

/// A pace in a sentence: "about 183 words a minute" or "183 words a minute".
fn pace_words(p: Pace) -> String {
    match p.from {
        PaceSource::Sound => format!("about {:.0} words a minute", p.wpm),
        PaceSource::Transcript => format!("{:.0} words a minute", p.wpm),
    }
}

/// A take's voice verdict as every view shows it: `voice monotone (1.1 st)` or `voice varied
/// (3.2 st)`, the pitch variation in semitones.
pub fn voice_text(v: VoiceFacts) -> String {
    let verdict = if v.monotone { "monotone" } else { "varied" };
    format!("voice {verdict} ({})", semitones_text(v.pitch_sd_st))
}

/// A pitch variation as every view shows it: `3.2 st`.
pub fn semitones_text(st: f64) -> String {
    format!("{st:.1} st")
}

/// A verdict as every view names it.
pub fn verdict_text(f: &TakeFacts) -> String {
    match f.verdict {
        Verdict::Within => "within its limit".into(),
        Verdict::Under => format!("under the useful minimum ({})", crate::ui::mmss(f.min_s)),
        Verdict::Over => format!("over the limit (+{})", crate::ui::mmss(f.over_s)),
        Verdict::CutOff => "cut off at the limit".into(),
        Verdict::NoSpeech => "no speech".into(),
        Verdict::Unfinished => "not finished".into(),
    }
}

/// A take's length against its limit as every view shows it: `0:45 of 2:00`.
pub fn length_text(f: &TakeFacts) -> String {
    format!(
        "{} of {}",
        crate::ui::mmss(f.length_s),
        crate::ui::mmss(f.limit_s)
    )
}

/// The middle value (the mean of the two middle ones for an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    let mut values = values.to_vec();
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::Pause;
    use crate::record::ResultPlace;
    use crate::record::TranscriptLog;

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
            longest_pause_s: pauses.iter().map(|p| p.1 - p.0).fold(0.0, f64::max),
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

    fn question() -> QuestionLog {
        serde_json::from_value(serde_json::json!({
            "id": "q", "category": "c", "text": "Q?", "limit_s": 120.0, "min_s": 60.0,
            "warn_s": 30.0, "think_s": 20.0, "think_used_s": 20.0, "spoken": true,
            "outcome": "answered", "takes": []
        }))
        .unwrap()
    }

    fn take(m: Option<Measures>, started_by: Option<TakeStart>, pre_roll_s: f64) -> TakeLog {
        let mut t = TakeLog::started(1, "q.wav".into(), String::new(), 10.0, 120.0, started_by);
        t.duration_s = 90.0 + pre_roll_s;
        t.pre_roll_s = pre_roll_s;
        t.ended_by = Some(TakeEnd::Enter);
        t.analysis = m.map(Into::into);
        t
    }

    fn remarks_of(m: Measures, usual: Option<f64>) -> Vec<String> {
        TakeFacts::of(&question(), &take(Some(m), None, 0.0), usual).remarks
    }

    #[test]
    fn remarks_only_where_a_figure_stands_out_and_pace_by_the_band_alone() {
        let table: &[(Measures, Option<f64>, &[&str])] = &[
            (measures(Some(0.8), &[], 140.0), None, &[]),
            (measures(Some(4.2), &[], 140.0), None, &["took 4.2 s"]),
            (
                measures(Some(1.0), &[(61.0, 65.5), (70.0, 73.2)], 140.0),
                None,
                &["stopped for 4.5 s at 1:01"],
            ),
            (measures(Some(1.0), &[(10.0, 12.9)], 140.0), None, &[]),
            // The band, bounds included, with no margin: 170 is fine, 171 is fast.
            (measures(Some(1.0), &[], 170.0), None, &[]),
            (measures(Some(1.0), &[], 171.0), None, &["fast (about 171"]),
            (measures(Some(1.0), &[], 183.0), None, &["fast (about 183"]),
            (measures(Some(1.0), &[], 100.0), None, &[]),
            (measures(Some(1.0), &[], 99.0), None, &["slow (about 99"]),
            // The usual pace is a second note...
            (
                measures(Some(1.0), &[], 160.0),
                Some(120.0),
                &["faster than usual for you (about 160 words a minute against your usual 120)"],
            ),
            (measures(Some(1.0), &[], 105.0), Some(110.0), &[]),
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
            let got = remarks_of(m.clone(), *usual);
            assert_eq!(got.len(), want.len(), "{got:?} vs {want:?}");
            for (g, w) in got.iter().zip(want.iter()) {
                assert!(g.contains(w), "{g:?} should contain {w:?}");
            }
        }
    }

    #[test]
    fn monotone_and_trailing_off_are_one_verdict_each() {
        use crate::analysis::Voice;
        let voice = |sd: Option<f64>, phrases: usize, trailing_off: usize| Voice {
            voiced_s: 20.0,
            pitch_median_hz: sd.map(|_| 110.0),
            pitch_sd_st: sd,
            pitch_range_st: sd.map(|s| s * 3.5),
            monotone: sd.map(|s| s < MONOTONE_BELOW_ST),
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
            let got = remarks_of(m, None);
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
        let got = remarks_of(m, None);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("clipped (1.0 %"));
        let mut m = measures(Some(1.0), &[], 140.0);
        m.peak_dbfs = -36.0;
        m.speech_rms_dbfs = Some(-48.0);
        let got = remarks_of(m, None);
        assert_eq!(got.len(), 1, "{got:?}");
        assert!(got[0].contains("-36 dBFS"), "{got:?}");
    }

    #[test]
    fn first_words_and_length_are_on_the_take_clock_whatever_started_it() {
        // Speech 7.8 s into a file that opens with a 0.45 s start cue: 7.3 s into the take,
        // and the slow-start remark says the same figure.
        let m = measures(Some(7.8), &[], 140.0);
        for by in [
            TakeStart::ThinkTimeOver,
            TakeStart::Enter,
            TakeStart::Restart,
        ] {
            let f = TakeFacts::of(&question(), &take(Some(m.clone()), Some(by), 0.45), None);
            assert_eq!(f.first_words_s, Some(7.4), "{by:?}");
            assert_eq!(f.length_s, 90.0);
            assert!(f.remarks[0].contains("took 7.4 s"), "{:?}", f.remarks);
        }
        // A take started by speaking starts with its first words: 0.0 s, whatever the
        // analysis finds in its pre-roll.
        let m = measures(Some(0.5), &[], 140.0);
        let f = TakeFacts::of(
            &question(),
            &take(Some(m), Some(TakeStart::Voice), 0.6),
            None,
        );
        assert_eq!(f.first_words_s, Some(0.0));
        assert_eq!(f.length_s, 90.0);
        assert_eq!(f.talking_stopped_s, Some(39.9));
    }

    #[test]
    fn the_pace_is_the_transcripts_when_there_is_one_else_the_sounds_marked_as_such() {
        let mut t = take(Some(measures(Some(1.0), &[], 183.4)), None, 0.0);
        let f = TakeFacts::of(&question(), &t, None);
        assert_eq!(
            f.pace,
            Some(Pace {
                wpm: 183.0,
                from: PaceSource::Sound
            })
        );
        assert_eq!(pace_text(f.pace.unwrap()), "~183 wpm");
        assert!(f.remarks.iter().any(|r| r.contains("fast (about 183")));
        t.transcript = Some(TranscriptLog {
            file: "q.transcript.json".into(),
            model: "tiny".into(),
            text: "…".into(),
            words: 200,
            wpm: Some(169.6),
            fillers: 0,
            fillers_per_100_words: 0.0,
            i_count: 0,
            we_count: 0,
            gave_number: false,
            fillers_per_min: Some(0.0),
            hedges: Some(0),
            hedges_per_100_words: Some(0.0),
            result: None,
            covered: vec![],
            missed: vec![],
        });
        let f = TakeFacts::of(&question(), &t, None);
        assert_eq!(pace_text(f.pace.unwrap()), "170 wpm");
        assert!(f.remarks.is_empty(), "{:?}", f.remarks);
    }

    /// The words' facts come from the transcript, and their remarks by one rule: many fillers
    /// by either rate, much hedging, on answers with enough words.
    #[test]
    fn fillers_and_hedges_are_remarked_by_rule() {
        let transcript =
            |words, fillers, per_100, per_min, hedges: Option<(usize, f64)>| TranscriptLog {
                file: "q.transcript.json".into(),
                model: "tiny".into(),
                text: "…".into(),
                words,
                wpm: Some(130.0),
                fillers,
                fillers_per_100_words: per_100,
                i_count: 0,
                we_count: 0,
                gave_number: false,
                fillers_per_min: per_min,
                hedges: hedges.map(|h| h.0),
                hedges_per_100_words: hedges.map(|h| h.1),
                result: Some(ResultPlace::Middle),
                covered: vec![],
                missed: vec![],
            };
        // (transcript, filler remark, hedge remark)
        let cases = [
            // Issue 17's answer: 16 fillers in 100 words.
            (
                transcript(100, 16, 16.0, Some(16.2), Some((2, 2.0))),
                true,
                false,
            ),
            (
                transcript(100, 5, 5.0, Some(4.0), Some((4, 4.0))),
                true,
                true,
            ),
            (
                transcript(130, 6, 4.6, Some(6.0), Some((3, 2.3))),
                true,
                false,
            ),
            (
                transcript(100, 4, 4.0, Some(5.0), Some((3, 3.0))),
                false,
                false,
            ),
            (transcript(100, 0, 0.0, None, None), false, false),
            // Too few words to judge a rate.
            (
                transcript(20, 5, 25.0, Some(20.0), Some((5, 25.0))),
                false,
                false,
            ),
        ];
        for (tr, filler, hedge) in cases {
            let mut t = take(Some(measures(Some(1.0), &[], 130.0)), None, 0.0);
            t.transcript = Some(tr.clone());
            let f = TakeFacts::of(&question(), &t, None);
            let w = f.words.clone().unwrap();
            assert_eq!(w, WordFacts::of(&tr));
            let said = |s: &str| f.remarks.iter().any(|r| r.contains(s));
            assert_eq!(said("filler words"), filler, "{tr:?}: {:?}", f.remarks);
            assert_eq!(said("You hedged"), hedge, "{tr:?}: {:?}", f.remarks);
        }
        let w = WordFacts::of(&transcript(100, 16, 16.0, Some(16.2), Some((2, 2.0))));
        assert_eq!(
            fillers_text(&w),
            "at least 16 filler words (16.0 per 100 words, 16.2 a minute)"
        );
        assert_eq!(
            hedges_text(&w).as_deref(),
            Some("2 hedging words (2.0 per 100 words)")
        );
        assert_eq!(
            w.result.map(ResultPlace::text),
            Some("a result with a number, in the middle")
        );
        // A log from before hedges were counted says nothing of them.
        assert_eq!(
            hedges_text(&WordFacts::of(&transcript(100, 0, 0.0, None, None))),
            None
        );
    }

    /// Facts kept before the words' facts were get them on reading, the rest as kept.
    #[test]
    fn facts_kept_without_words_get_them_from_the_transcript() {
        let mut t = take(Some(measures(Some(1.0), &[], 130.0)), None, 0.0);
        let kept = TakeFacts::of(&question(), &t, None);
        t.facts = Some(kept.clone());
        t.transcript = Some(TranscriptLog {
            file: "q.transcript.json".into(),
            model: "tiny".into(),
            text: "…".into(),
            words: 100,
            wpm: Some(130.0),
            fillers: 16,
            fillers_per_100_words: 16.0,
            i_count: 0,
            we_count: 0,
            gave_number: false,
            fillers_per_min: None,
            hedges: None,
            hedges_per_100_words: None,
            result: None,
            covered: vec![],
            missed: vec![],
        });
        let mut q = question();
        q.takes.push(t);
        let mut log: crate::record::SessionLog =
            serde_json::from_str(include_str!("../../tests/fixtures/format2/session.json"))
                .unwrap();
        log.questions = vec![q];
        assert!(log.lacks_facts());
        log.fill_facts(None);
        assert!(!log.lacks_facts());
        let f = log.questions[0].takes[0].facts.clone().unwrap();
        assert_eq!(f.words.as_ref().map(|w| w.fillers), Some(16));
        assert_eq!(f.length_s, kept.length_s);
        assert!(f
            .remarks
            .iter()
            .any(|r| r.contains("at least 16 filler words")));
    }

    #[test]
    fn verdicts_against_the_limit_and_the_useful_minimum() {
        let q = question();
        let m = || {
            let mut m = measures(Some(1.0), &[], 140.0);
            m.last_speech_s = Some(85.0);
            Some(m)
        };
        let verdict = |edit: &dyn Fn(&mut TakeLog)| {
            let mut t = take(m(), Some(TakeStart::Enter), 0.0);
            edit(&mut t);
            let f = TakeFacts::of(&q, &t, None);
            (f.verdict, verdict_text(&f))
        };
        assert_eq!(verdict(&|_| {}).0, Verdict::Within);
        let (v, text) = verdict(&|t| {
            t.analysis.as_mut().unwrap().last_speech_s = Some(30.0);
        });
        assert_eq!(
            (v, text.as_str()),
            (Verdict::Under, "under the useful minimum (1:00)")
        );
        let (v, text) = verdict(&|t| t.overtime_s = 5.2);
        assert_eq!(
            (v, text.as_str()),
            (Verdict::Over, "over the limit (+0:05)")
        );
        let (v, text) = verdict(&|t| t.cut_off = true);
        assert_eq!(
            (v, text.as_str()),
            (Verdict::CutOff, "cut off at the limit")
        );
        assert!(Verdict::CutOff.is_over());
        assert_eq!(
            verdict(&|t| t.analysis = Some(measures(None, &[], 0.0).into())).0,
            Verdict::NoSpeech
        );
        assert_eq!(
            verdict(&|t| t.ended_by = Some(TakeEnd::Interrupt)).0,
            Verdict::Unfinished
        );
        // A drill round held to 30 s of a 120 s question: its minimum scales as its lights do.
        let mut t = take(m(), Some(TakeStart::Enter), 0.0);
        t.limit_s = 30.0;
        t.duration_s = 30.0;
        t.cut_off = true;
        let f = TakeFacts::of(&q, &t, None);
        assert_eq!((f.min_s, f.verdict), (15.0, Verdict::CutOff));
    }
}
