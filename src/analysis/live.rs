//! Live voice activity: the causal twin of `segments`, run on the capture writer thread while
//! an answer is recorded. It cannot see the whole file, so it tracks the room's noise floor as
//! it goes (the lowest recent level, rising slowly so that a fan switched on is learnt) and the
//! loudest speech so far, and places the same thresholds on them as the analysis places on the
//! file's percentiles: the same margins, the same shortest sound, the same longest decay, the
//! same shortest pause. So the live "speech started / stopped" and the analysis afterwards
//! agree on what counts as speech. Knows nothing of devices, threads or files.

use super::frontend::HOP_S;
use super::segments::{
    opening_start, Attack, Thresholds, ABOVE_FLOOR_DB, ABSOLUTE_FLOOR_DB, BELOW_P99_DB,
    EXIT_ABOVE_FLOOR_DB, EXIT_BELOW_P99_DB, MAX_ATTACK_S, MAX_CLOSURE_S, MAX_DECAY_S,
    MIN_OPENING_S, MIN_SOUNDING_S,
};
use super::{Params, MIN_DBFS};

/// How fast the tracked noise floor may rise when the room gets louder, in dB per second. Slow
/// enough that the gaps between words (which pull it back down) keep it under speech.
const FLOOR_RISE_DB_PER_S: f32 = 0.5;

/// A change in voice activity, placed in samples from the start of the stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoiceEvent {
    /// Speech began at this sample (known a shortest sound later).
    Started { at: u64 },
    /// Speech ended at this sample (known a shortest pause later).
    Stopped { at: u64 },
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum State {
    Silent,
    /// Sound above the onset threshold since `start`, not yet long enough to be speech;
    /// `last_loud` is its last frame above the threshold.
    Rising {
        start: u64,
        last_loud: u64,
    },
    /// In speech; `last_sound` is the last frame that counted as speech, `below_since` the
    /// frame the level fell below the onset threshold (the decay runs from there).
    Speaking {
        last_sound: u64,
        below_since: Option<u64>,
    },
}

/// Streaming, causal voice activity over 10 ms frames of mean-removed energy.
pub struct LiveVoice {
    hop: usize,
    sum: f64,
    sumsq: f64,
    n: usize,
    /// Frames completed so far.
    frame: u64,
    floor: f32,
    /// The loudest frame heard inside speech so far (the live stand-in for the 99th percentile).
    loud: f32,
    state: State,
    min_run: u64,
    min_gap: u64,
    max_decay: u64,
    attack: Attack,
    /// The levels of the last `attack.max` frames, for a weak opening before an onset.
    recent: std::collections::VecDeque<f32>,
    /// The frame after the last speech ended: an opening never reaches back past it.
    after_last: u64,
    /// Frames that must not count as speech: `[from, to)`, e.g. a cue the speaker played.
    masked: Option<(u64, u64)>,
    /// Masked frames since the last sound while speaking: they are no part of a pause, as in
    /// the analysis, so a cue played over speech never ends it.
    gap_masked: u64,
    speech_frames: u64,
}

impl LiveVoice {
    pub fn new(sample_rate: u32, params: Params) -> LiveVoice {
        let hop = ((f64::from(sample_rate) * HOP_S).round() as usize).max(1);
        let hop_s = hop as f64 / f64::from(sample_rate.max(1));
        let frames = |s: f64| (s / hop_s - 1e-9).ceil().max(1.0) as u64;
        LiveVoice {
            hop,
            sum: 0.0,
            sumsq: 0.0,
            n: 0,
            frame: 0,
            floor: f32::INFINITY,
            loud: MIN_DBFS as f32,
            state: State::Silent,
            min_run: frames(MIN_SOUNDING_S),
            min_gap: frames(params.pause_min_s),
            max_decay: frames(MAX_DECAY_S),
            attack: Attack {
                max: frames(MAX_ATTACK_S) as usize,
                max_closure: frames(MAX_CLOSURE_S) as usize,
                min_opening: frames(MIN_OPENING_S) as usize,
            },
            recent: std::collections::VecDeque::with_capacity(frames(MAX_ATTACK_S) as usize + 1),
            after_last: 0,
            masked: None,
            gap_masked: 0,
            speech_frames: 0,
        }
    }

    /// Samples per frame.
    pub fn hop(&self) -> usize {
        self.hop
    }

    /// True while speech is going on (or has not yet been silent for a shortest pause).
    pub fn speaking(&self) -> bool {
        matches!(self.state, State::Speaking { .. })
    }

    /// Seconds of speech so far, over the finished runs and the current one.
    pub fn speech_frames(&self) -> u64 {
        self.speech_frames
    }

    /// Treat the samples `[from, to)` as silence: a sound we made ourselves (a cue) that the
    /// microphone may hear. Measured in samples from the start of the stream.
    pub fn mask(&mut self, from: u64, to: u64) {
        let hop = self.hop as u64;
        self.masked = Some((from / hop, to.div_ceil(hop)));
    }

    /// Feeds samples; calls `on_event` for every change, in order.
    pub fn push(&mut self, mono: &[f32], mut on_event: impl FnMut(VoiceEvent)) {
        for &s in mono {
            let s = f64::from(s);
            self.sum += s;
            self.sumsq += s * s;
            self.n += 1;
            if self.n == self.hop {
                let n = self.n as f64;
                let mean = self.sum / n;
                let energy = (self.sumsq / n - mean * mean).max(0.0);
                let db = if energy > 0.0 {
                    (10.0 * energy.log10()).max(MIN_DBFS) as f32
                } else {
                    MIN_DBFS as f32
                };
                self.sum = 0.0;
                self.sumsq = 0.0;
                self.n = 0;
                self.frame_level(db, &mut on_event);
            }
        }
    }

    /// One frame's step of the live speech detector.
    ///
    /// Long because it is one state machine (silent, rising, speaking): every transition
    /// reads the same thresholds, floor and counters, which a split would only pass around.
    fn frame_level(&mut self, db: f32, on_event: &mut impl FnMut(VoiceEvent)) {
        let f = self.frame;
        self.frame += 1;
        // A masked frame is silence, and says nothing about the room's noise either.
        let masked = self.masked.is_some_and(|(a, b)| f >= a && f < b);
        if !masked {
            let hop_s = HOP_S as f32;
            self.floor = if db < self.floor {
                db
            } else {
                (self.floor + FLOOR_RISE_DB_PER_S * hop_s).min(db)
            };
        }
        let db = if masked { f32::NEG_INFINITY } else { db };
        let onset = (self.loud - BELOW_P99_DB)
            .max(self.floor + ABOVE_FLOOR_DB)
            .max(ABSOLUTE_FLOOR_DB);
        let offset = (self.loud - EXIT_BELOW_P99_DB)
            .max(self.floor + EXIT_ABOVE_FLOOR_DB)
            .max(ABSOLUTE_FLOOR_DB)
            .min(onset);
        let hop = self.hop as u64;
        match self.state {
            State::Silent => {
                if db >= onset {
                    // Back over a weak opening, by the analysis's own rule. `recent` holds the
                    // frames just before this one.
                    let held = self.recent.len();
                    let base = f - held as u64;
                    let lower = self.after_last.saturating_sub(base).min(held as u64) as usize;
                    let recent = &self.recent;
                    let thresholds = Thresholds {
                        onset,
                        offset,
                        clear: offset.max(self.floor + ABOVE_FLOOR_DB).min(onset),
                    };
                    let start = base
                        + opening_start(held, lower, self.attack, thresholds, |k| recent[k]) as u64;
                    self.state = State::Rising {
                        start,
                        last_loud: f,
                    };
                    self.loud = self.loud.max(db);
                }
            }
            State::Rising { start, last_loud } => {
                if db >= onset {
                    self.loud = self.loud.max(db);
                    if f + 1 - start >= self.min_run {
                        self.speech_frames += f + 1 - start;
                        self.state = State::Speaking {
                            last_sound: f,
                            below_since: None,
                        };
                        on_event(VoiceEvent::Started { at: start * hop });
                    } else {
                        self.state = State::Rising {
                            start,
                            last_loud: f,
                        };
                    }
                } else if f - last_loud >= self.min_gap {
                    // A click or a bump, not speech.
                    self.state = State::Silent;
                }
            }
            State::Speaking {
                last_sound,
                below_since,
            } => {
                if db >= onset {
                    self.loud = self.loud.max(db);
                    // Masked frames in between were neither speech nor pause.
                    self.speech_frames += f - last_sound - self.gap_masked;
                    self.gap_masked = 0;
                    self.state = State::Speaking {
                        last_sound: f,
                        below_since: None,
                    };
                } else {
                    if masked {
                        self.gap_masked += 1;
                    }
                    let below = below_since.unwrap_or(f);
                    let decaying = !masked && db >= offset && f - below < self.max_decay;
                    if decaying && last_sound + 1 == f {
                        self.speech_frames += 1;
                        self.state = State::Speaking {
                            last_sound: f,
                            below_since: Some(below),
                        };
                    } else if f - last_sound - self.gap_masked >= self.min_gap {
                        self.gap_masked = 0;
                        self.state = State::Silent;
                        self.after_last = last_sound + 1;
                        on_event(VoiceEvent::Stopped {
                            at: (last_sound + 1) * hop,
                        });
                    } else {
                        self.state = State::Speaking {
                            last_sound,
                            below_since: Some(below),
                        };
                    }
                }
            }
        }
        if self.recent.len() == self.attack.max {
            self.recent.pop_front();
        }
        if self.attack.max > 0 {
            self.recent.push_back(db);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const RATE: u32 = 16_000;

    fn tone(seconds: f64, amplitude: f32) -> Vec<f32> {
        let n = (seconds * f64::from(RATE)) as usize;
        (0..n)
            .map(|i| {
                amplitude * (2.0 * std::f32::consts::PI * 220.0 * i as f32 / RATE as f32).sin()
            })
            .collect()
    }

    /// Deterministic noise at about `amplitude` RMS.
    fn noise(seconds: f64, amplitude: f32) -> Vec<f32> {
        let n = (seconds * f64::from(RATE)) as usize;
        let mut x: u32 = 12345;
        (0..n)
            .map(|_| {
                x = x.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                amplitude * 1.7 * ((x >> 8) as f32 / (1u32 << 24) as f32 - 0.5) * 2.0
            })
            .collect()
    }

    fn events(signal: &[f32], block: usize) -> Vec<VoiceEvent> {
        let mut v = LiveVoice::new(RATE, Params::default());
        let mut out = Vec::new();
        for chunk in signal.chunks(block) {
            v.push(chunk, |e| out.push(e));
        }
        out
    }

    fn secs(at: u64) -> f64 {
        at as f64 / f64::from(RATE)
    }

    #[test]
    fn speech_over_room_noise_starts_and_stops_where_it_does() {
        // (leading noise s, speech s, trailing noise s, noise RMS)
        for (lead, speech, tail, floor) in [
            (1.0, 2.0, 1.0, 0.0),
            (0.73, 1.5, 1.2, 0.001),
            (2.41, 0.8, 0.6, 0.01),
        ] {
            let mut s = noise(lead, floor);
            let mut t = tone(speech, 0.3);
            for (a, b) in t.iter_mut().zip(noise(speech, floor)) {
                *a += b;
            }
            s.extend(t);
            s.extend(noise(tail, floor));
            for block in [1, 160, 441, 4096] {
                let ev = events(&s, block);
                assert_eq!(ev.len(), 2, "{lead} {speech} {floor} {block}: {ev:?}");
                let VoiceEvent::Started { at } = ev[0] else {
                    panic!("{ev:?}")
                };
                assert!(
                    (secs(at) - lead).abs() <= 0.011,
                    "start {} vs {lead}",
                    secs(at)
                );
                let VoiceEvent::Stopped { at } = ev[1] else {
                    panic!("{ev:?}")
                };
                let end = lead + speech;
                assert!((secs(at) - end).abs() <= 0.011, "end {} vs {end}", secs(at));
            }
        }
    }

    #[test]
    fn silence_noise_and_clicks_are_not_speech() {
        assert!(events(&vec![0.0; 48_000], 480).is_empty());
        assert!(events(&noise(5.0, 0.02), 480).is_empty());
        let mut s = noise(1.0, 0.001);
        s.extend(tone(0.05, 0.5));
        s.extend(noise(1.0, 0.001));
        assert!(events(&s, 480).is_empty(), "a 50 ms click");
    }

    #[test]
    fn a_short_pause_is_part_of_speech_and_a_long_one_is_not() {
        let mut s = noise(0.5, 0.001);
        s.extend(tone(1.0, 0.3));
        s.extend(noise(0.15, 0.001));
        s.extend(tone(1.0, 0.3));
        s.extend(noise(0.6, 0.001));
        s.extend(tone(0.5, 0.3));
        s.extend(noise(0.5, 0.001));
        let ev = events(&s, 480);
        assert_eq!(ev.len(), 4, "{ev:?}");
        assert!(matches!(ev[1], VoiceEvent::Stopped { at } if (secs(at) - 2.65).abs() < 0.011));
    }

    #[test]
    fn a_weak_opening_after_a_pause_counts_from_its_start() {
        // Speech, a pause, then a soft hiss 30 dB under the speech for 0.15 s before it.
        let mut s = noise(0.5, 0.0005);
        s.extend(tone(1.0, 0.3));
        s.extend(noise(0.8, 0.0005));
        s.extend(noise(0.15, 0.01));
        s.extend(tone(1.0, 0.3));
        s.extend(noise(0.5, 0.0005));
        let ev = events(&s, 480);
        assert_eq!(ev.len(), 4, "{ev:?}");
        let VoiceEvent::Started { at } = ev[2] else {
            panic!("{ev:?}")
        };
        assert!(
            (secs(at) - 2.3).abs() <= 0.021,
            "resumed at {} (hiss at 2.3)",
            secs(at)
        );
    }

    #[test]
    fn a_weak_opening_counts_across_a_stop_closure_but_not_across_a_pause() {
        // Speech, a pause, a soft hiss ("s") 30 dB under the speech, a silence, then speech.
        for (closure, want) in [(0.06, 2.3), (0.09, 2.3), (0.3, 2.68)] {
            let mut s = noise(0.5, 0.0005);
            s.extend(tone(1.0, 0.3));
            s.extend(noise(0.8, 0.0005));
            s.extend(noise(0.08, 0.01));
            s.extend(noise(closure, 0.0005));
            s.extend(tone(1.0, 0.3));
            s.extend(noise(0.5, 0.0005));
            let ev = events(&s, 480);
            assert_eq!(ev.len(), 4, "{ev:?}");
            let VoiceEvent::Started { at } = ev[2] else {
                panic!("{ev:?}")
            };
            assert!(
                (secs(at) - want).abs() <= 0.021,
                "closure {closure}: resumed at {} (want {want})",
                secs(at)
            );
        }
    }

    /// `s` heard with `[from_s, to_s)` masked: the voice activity after it, and its events.
    fn masked(s: &[f32], from_s: f64, to_s: f64) -> (LiveVoice, Vec<VoiceEvent>) {
        let mut v = LiveVoice::new(RATE, Params::default());
        let at = |t: f64| (t * f64::from(RATE)) as u64;
        v.mask(at(from_s), at(to_s));
        let mut out = Vec::new();
        v.push(s, |e| out.push(e));
        (v, out)
    }

    #[test]
    fn a_cue_masked_over_speech_is_no_pause_and_a_silence_past_it_still_is() {
        // Speech with a 0.6 s cue over it: one stretch of speech.
        let mut s = noise(0.5, 0.001);
        s.extend(tone(1.0, 0.3));
        s.extend(tone(0.6, 0.9));
        s.extend(tone(1.0, 0.3));
        s.extend(noise(1.0, 0.001));
        let (v, out) = masked(&s, 1.5, 2.1);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(matches!(out[1], VoiceEvent::Stopped { at } if (secs(at) - 3.1).abs() < 0.011));
        // Speaking time leaves the cue out: 2 s of voice.
        let spoken = v.speech_frames() as f64 * v.hop() as f64 / f64::from(RATE);
        assert!((spoken - 2.0).abs() < 0.05, "{spoken}");

        // Speech, a cue, then silence: the pause starts where the voice stopped.
        let mut s = noise(0.5, 0.001);
        s.extend(tone(1.0, 0.3));
        s.extend(tone(0.6, 0.9));
        s.extend(noise(1.0, 0.001));
        let (_, out) = masked(&s, 1.5, 2.1);
        assert_eq!(out.len(), 2, "{out:?}");
        assert!(matches!(out[1], VoiceEvent::Stopped { at } if (secs(at) - 1.5).abs() < 0.011));
    }

    #[test]
    fn a_masked_stretch_is_silence() {
        let mut s = noise(1.0, 0.001);
        s.extend(tone(0.4, 0.3));
        s.extend(noise(1.0, 0.001));
        let (_, out) = masked(&s, 1.0, 1.4);
        assert!(out.is_empty(), "{out:?}");
    }
}
