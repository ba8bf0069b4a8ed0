//! The one trend rule: whether a question's latest attempt is better, the same or worse than
//! the candidate's own earlier attempts at it, and which takes count as attempts. `history`,
//! the progress page and `next` all judge by it; it reads only stored facts, never measures.
//!
//! A trend needs [`MIN_EARLIER`] earlier values: with fewer, one unusual take would swing it,
//! so the views say how many there are instead of drawing an arrow.

use serde::Serialize;

use super::facts::median;
use super::facts::PACE_BAND_WPM;
use super::format::TakeFacts;
use super::format::{TakeEnd, TakeLog};
use super::reader::Session;

/// Earlier attempts a trend needs.
pub const MIN_EARLIER: usize = 3;

/// The latest attempt against the earlier ones. JSON: `"better"`, `"same"`, `"worse"`, or
/// `{"too_few": N}` with N earlier values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Trend {
    Better,
    Same,
    Worse,
    /// Fewer than [`MIN_EARLIER`] earlier values: this many.
    TooFew(usize),
}

impl Trend {
    /// The mark beside a figure: `↑`, `=`, `↓`, `·` for too few earlier attempts, blank when
    /// the latest has no value.
    pub fn arrow(t: Option<Trend>) -> &'static str {
        match t {
            Some(Trend::Better) => "↑",
            Some(Trend::Same) => "=",
            Some(Trend::Worse) => "↓",
            Some(Trend::TooFew(_)) => "·",
            None => " ",
        }
    }

    /// In words: "better", "same", "worse", or "2 earlier — too few for a trend".
    pub fn text(self) -> String {
        match self {
            Trend::Better => "better".into(),
            Trend::Same => "same".into(),
            Trend::Worse => "worse".into(),
            Trend::TooFew(n) => format!("{n} earlier — too few for a trend"),
        }
    }
}

/// The latest of `values` (oldest first) against the median of the earlier ones, lower being
/// better; within `same` of it is the same. `None` when the latest has no value.
pub fn trend(values: &[Option<f64>], same: f64) -> Option<Trend> {
    let (last, earlier) = values.split_last()?;
    let last = (*last)?;
    let earlier: Vec<f64> = earlier.iter().flatten().copied().collect();
    if earlier.len() < MIN_EARLIER {
        return Some(Trend::TooFew(earlier.len()));
    }
    let typical = median(&earlier)?;
    Some(if last < typical - same {
        Trend::Better
    } else if last > typical + same {
        Trend::Worse
    } else {
        Trend::Same
    })
}

/// Whether take `t` of `session` is an attempt at its question: finished or not, but not
/// abandoned for a re-read (`r`), not damaged, and with facts. A drill's rounds are attempts
/// of their own kind, which callers keep apart (`SessionLog::is_drill`).
pub fn is_attempt(session: &Session, t: &TakeLog) -> bool {
    t.ended_by != Some(TakeEnd::Repeat) && session.damage(t).is_none() && t.facts.is_some()
}

/// How far a length is from the useful band (its minimum to its limit), as a share of the
/// limit: 0 inside it.
pub fn length_miss(f: &TakeFacts) -> f64 {
    let limit = f.limit_s.max(1e-9);
    if f.length_s > f.limit_s {
        (f.length_s - f.limit_s) / limit
    } else if f.length_s < f.min_s {
        (f.min_s - f.length_s) / limit
    } else {
        0.0
    }
}

/// How far a pace is from the coaching band, in words per minute: 0 inside it.
pub fn pace_miss(wpm: f64) -> f64 {
    let (lo, hi) = PACE_BAND_WPM;
    (lo - wpm).max(wpm - hi).max(0.0)
}

/// The trends of the figures every take's facts hold, over a question's attempts.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct FactTrends {
    /// Nearer the useful range (minimum to limit) is better.
    pub length: Option<Trend>,
    pub first_words: Option<Trend>,
    /// Nearer the pace band is better.
    pub pace: Option<Trend>,
    pub longest_pause: Option<Trend>,
}

impl FactTrends {
    /// Over `attempts`, oldest first.
    pub fn of(attempts: &[&TakeFacts]) -> FactTrends {
        let values = |f: &dyn Fn(&TakeFacts) -> Option<f64>| -> Vec<Option<f64>> {
            attempts.iter().map(|a| f(a)).collect()
        };
        FactTrends {
            length: trend(&values(&|f| Some(length_miss(f))), 0.05),
            first_words: trend(&values(&|f| f.first_words_s), 0.3),
            pace: trend(&values(&|f| f.pace.map(|p| pace_miss(p.wpm))), 5.0),
            longest_pause: trend(&values(&|f| f.longest_pause_s), 0.3),
        }
    }

    /// Each figure's name and trend, in the order the views show them.
    pub fn named(&self) -> [(&'static str, Option<Trend>); 4] {
        [
            ("length", self.length),
            ("first words", self.first_words),
            ("pace", self.pace),
            ("longest pause", self.longest_pause),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Case<'a> = (&'a [Option<f64>], Option<Trend>);

    #[test]
    fn a_trend_needs_three_earlier_attempts_and_says_how_many_otherwise() {
        let cases: &[Case] = &[
            // 0, 1 and 2 earlier attempts: too few, however different the latest is.
            (&[Some(2.0)], Some(Trend::TooFew(0))),
            (&[Some(5.0), Some(1.0)], Some(Trend::TooFew(1))),
            (&[Some(5.0), Some(5.0), Some(1.0)], Some(Trend::TooFew(2))),
            // 3 earlier: judged against their median.
            (
                &[Some(5.0), Some(5.0), Some(5.0), Some(1.0)],
                Some(Trend::Better),
            ),
            (
                &[Some(1.0), Some(1.0), Some(1.0), Some(3.0)],
                Some(Trend::Worse),
            ),
            (
                &[Some(1.0), Some(3.0), Some(2.0), Some(2.2)],
                Some(Trend::Same),
            ),
            // Earlier attempts without the figure do not count towards the three.
            (
                &[Some(5.0), None, Some(5.0), Some(1.0)],
                Some(Trend::TooFew(2)),
            ),
            // No figure in the latest: no trend at all.
            (&[Some(1.0), Some(1.0), Some(1.0), None], None),
            (&[], None),
        ];
        for (values, expected) in cases {
            assert_eq!(trend(values, 0.3), *expected, "{values:?}");
        }
        assert_eq!(Trend::TooFew(2).text(), "2 earlier — too few for a trend");
        assert_eq!(Trend::arrow(Some(Trend::TooFew(1))), "·");
    }

    #[test]
    fn length_and_pace_are_judged_by_their_distance_from_the_good_range() {
        let facts = TakeFacts::for_test;
        assert_eq!(length_miss(&facts(45.0)), 0.0);
        assert!((length_miss(&facts(75.0)) - 0.25).abs() < 1e-9);
        assert!((length_miss(&facts(15.0)) - 0.25).abs() < 1e-9);
        assert_eq!(pace_miss(140.0), 0.0);
        assert_eq!(pace_miss(PACE_BAND_WPM.1 + 20.0), 20.0);
        assert_eq!(pace_miss(PACE_BAND_WPM.0 - 10.0), 10.0);
    }
}
