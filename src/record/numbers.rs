//! How the log writes its numbers: times to the millisecond, levels to a hundredth, and the
//! largest value it holds.

use serde::Serializer;

/// The largest number (in size) a log holds: up to it, rounding to the millisecond is exact
/// and writing a value read back changes nothing; the reader refuses a log with a larger one.
pub const MAX_MAGNITUDE: f64 = 1e12;

/// Seconds rounded to the millisecond: the log claims no precision the clocks do not have.
pub fn round_ms(s: f64) -> f64 {
    (s * 1000.0).round() / 1000.0
}

pub(crate) fn ms<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64(round_ms(*v))
}

pub(crate) fn ms_opt<S: Serializer>(v: &Option<f64>, s: S) -> Result<S::Ok, S::Error> {
    match v {
        Some(v) => s.serialize_some(&round_ms(*v)),
        None => s.serialize_none(),
    }
}

pub(crate) fn ms_vec<S: Serializer>(v: &[f64], s: S) -> Result<S::Ok, S::Error> {
    s.collect_seq(v.iter().map(|x| round_ms(*x)))
}

/// Levels in dB to a hundredth: finer than any ear.
pub(crate) fn centi<S: Serializer>(v: &f64, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_f64((v * 100.0).round() / 100.0)
}
