//! Answer analysis: speaking time, pauses, response latency and syllable-based pace, measured
//! from the samples alone, offline. Pure: mono samples in, [`Measures`] out. It owns no device,
//! terminal or file format (WAV reading lives in `audio::wav_reader`).
//!
//! The method follows de Jong & Wempe (2009, and their later version 3): a level (intensity)
//! contour every 10 ms; a threshold 25 dB below the file's own 99th-percentile level; sounding and
//! silent stretches at that threshold (with a lower threshold for the soft decay that ends a
//! phrase); syllable nuclei as level peaks with a dip of more than 2 dB on both sides that are
//! voiced (a normalised-autocorrelation pitch check, made only at candidate peaks on a ~4 kHz
//! copy of the signal). Unlike de Jong & Wempe, the peaks and dips are those of the level in the
//! vowel band (500–2500 Hz), not of the whole signal: voiced consonants between vowels dip
//! there, so fewer syllables of fluent real speech run together. It streams: memory grows by a
//! few bytes per 10 ms frame and no samples are kept beyond a ~1 s ring of the decimated copy.

mod frontend;
pub mod level;
pub mod live;
mod nuclei;
mod pitch;
mod voice;

pub use voice::{Voice, MONOTONE_BELOW_ST, TRAILING_DB};
mod segments;

use frontend::FrontEnd;
use nuclei::{NucleusTracker, Peak};
use pitch::PitchTracker;
use segments::LevelHistogram;

/// Average syllables per English word, used to turn the syllable rate into words per minute:
/// `est_wpm = speech_rate_sps * 60 / SYLLABLES_PER_WORD`. Conversational English averages about
/// 1.4–1.5 syllables per word; 1.5 gives 150 wpm for 3.75 syllables/s.
pub const SYLLABLES_PER_WORD: f64 = 1.5;
/// A pause this long or longer is also counted in `long_pause_count`.
pub const LONG_PAUSE_S: f64 = 1.0;
/// Levels reported for digital silence (and the floor of any level) in dB re full scale.
pub const MIN_DBFS: f64 = -120.0;
/// Spacing of the level envelope kept for drawing: ten 10 ms frames per point.
pub const ENVELOPE_STEP_S: f64 = 0.1;
/// Spacing of the pitch contour kept for drawing: two 10 ms frames per point, fine enough to
/// follow a syllable's rise or fall.
pub const CONTOUR_STEP_S: f64 = 0.02;

/// Level-contour smoothing over five 10 ms frames. The weights give a spread (standard deviation)
/// of about 10 ms, the same as Praat's intensity window for a 50 Hz minimum pitch (a 64 ms
/// Hanning-equivalent window), which is what de Jong & Wempe's procedure assumes: enough to
/// smooth away pitch ripple, little enough to keep the dips between syllables.
const SMOOTHING: [f32; 5] = [1.0, 4.0, 8.0, 4.0, 1.0];
const HALF: usize = SMOOTHING.len() / 2;

/// What the caller may tune.
#[derive(Debug, Clone, Copy)]
pub struct Params {
    /// Shortest silence, in seconds, counted as a pause; shorter silences count as speech.
    pub pause_min_s: f64,
}

impl Default for Params {
    fn default() -> Self {
        Params { pause_min_s: 0.25 }
    }
}

/// A silent pause between the first and the last speech.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Pause {
    pub start_s: f64,
    pub end_s: f64,
}

impl Pause {
    pub fn duration_s(&self) -> f64 {
        self.end_s - self.start_s
    }
}

/// The measures of one recording. Times in seconds from the start of the recording, levels in
/// dB re full scale (a full-scale square wave is 0 dBFS), rates per second. No field is ever NaN.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Measures {
    pub duration_s: f64,
    /// Time with speech: from first to last speech, less the pauses.
    pub speech_s: f64,
    /// When speech starts (the response latency); `None` if no speech was found.
    pub first_speech_s: Option<f64>,
    pub last_speech_s: Option<f64>,
    /// Silences of at least `Params::pause_min_s` between first and last speech.
    pub pauses: Vec<Pause>,
    pub pause_count: usize,
    /// Pauses of [`LONG_PAUSE_S`] or longer.
    pub long_pause_count: usize,
    /// 0 when there is no pause.
    pub longest_pause_s: f64,
    /// Estimated syllable nuclei.
    pub syllables: usize,
    /// Syllables per second from first to last speech, pauses included (0 without speech).
    pub speech_rate_sps: f64,
    /// Syllables per second of speech, pauses excluded (0 without speech).
    pub articulation_rate_sps: f64,
    /// Words per minute estimated as `speech_rate_sps * 60 / SYLLABLES_PER_WORD`.
    pub est_wpm: f64,
    /// Highest sample magnitude; [`MIN_DBFS`] for digital silence.
    pub peak_dbfs: f64,
    /// Level over the speech only; `None` if no speech was found.
    #[serde(alias = "rms_dbfs")]
    pub speech_rms_dbfs: Option<f64>,
    /// Fraction of samples at full scale (|x| ≥ 0.999).
    pub clipped_fraction: f64,
    /// How the voice sounded: pitch and loudness variation, phrase endings. `None` in logs
    /// written before it was measured.
    #[serde(default)]
    pub voice: Option<Voice>,
}

/// The recording's level over time, coarse enough to keep beside it and draw: the loudest
/// smoothed 10 ms level in each [`ENVELOPE_STEP_S`], in dB re full scale to a tenth.
#[derive(Debug, Clone, PartialEq)]
pub struct Envelope {
    pub step_s: f64,
    pub db: Vec<f32>,
    /// The pitch contour drawn over the waveform, in Hz every [`CONTOUR_STEP_S`] (0: no
    /// pitch there): the voice measures' own track, thinned for drawing.
    pub pitch_hz: Vec<f32>,
}

impl Envelope {
    fn from_levels(levels: &[f32], frames_per_point: usize) -> Envelope {
        let db = levels
            .chunks(frames_per_point.max(1))
            .map(|c| {
                let loudest = c.iter().copied().fold(MIN_DBFS as f32, f32::max);
                (loudest * 10.0).round() / 10.0
            })
            .collect();
        Envelope {
            step_s: ENVELOPE_STEP_S,
            db,
            pitch_hz: Vec::new(),
        }
    }

    /// Adds the pitch contour from the pitch track `hz` (one value per frame of `hop_s`): per
    /// [`CONTOUR_STEP_S`], the mean of its voiced frames when at least half are voiced, to a
    /// tenth of a hertz.
    fn with_pitch(mut self, hz: &[f32], hop_s: f64) -> Envelope {
        let per = ((CONTOUR_STEP_S / hop_s).round() as usize).max(1);
        self.pitch_hz = hz
            .chunks(per)
            .map(|c| {
                let voiced: Vec<f32> = c.iter().copied().filter(|&f| f > 0.0).collect();
                if voiced.len() * 2 < c.len() || voiced.is_empty() {
                    return 0.0;
                }
                let mean = voiced.iter().sum::<f32>() / voiced.len() as f32;
                (mean * 10.0).round() / 10.0
            })
            .collect();
        self
    }
}

/// The pitch of each frame of a recording, in Hz (0 where unvoiced or not speech): the track
/// the voice measures are taken from.
#[derive(Debug, Clone, PartialEq)]
pub struct PitchTrack {
    /// Frame spacing; frame `k` is centred at `(k + 0.5) * step_s`.
    pub step_s: f64,
    pub hz: Vec<f32>,
}

/// Streaming analysis: push blocks of mono samples of any size, then [`Analyzer::finish`].
pub struct Analyzer {
    sample_rate: u32,
    params: Params,
    front: FrontEnd,
    /// Mean-removed mean square of each 10 ms frame.
    energies: Vec<f32>,
    /// Mean square of each frame in the vowel band.
    vowel_energies: Vec<f32>,
    /// Smoothed level of each frame, in dB.
    levels: Vec<f32>,
    histogram: LevelHistogram,
    tracker: NucleusTracker,
    pitch: PitchTracker,
    /// Samples pushed so far.
    pushed: u64,
    /// Stretches left out of the measures, as half-open sample ranges (see [`Analyzer::leave_out`]).
    left_out: Vec<(u64, u64)>,
    /// A copy of a block with its left-out samples silenced.
    scratch: Vec<f32>,
}

impl Analyzer {
    pub fn new(sample_rate: u32, params: Params) -> Self {
        assert!(sample_rate > 0, "sample rate must be positive");
        let front = FrontEnd::new(sample_rate);
        let hop_s = front.hop() as f64 / sample_rate as f64;
        let tracker = NucleusTracker::new(hop_s, front.decimated());
        let pitch = PitchTracker::new(hop_s, front.decimated());
        Analyzer {
            sample_rate,
            params,
            front,
            energies: Vec::new(),
            vowel_energies: Vec::new(),
            levels: Vec::new(),
            histogram: LevelHistogram::new(),
            tracker,
            pitch,
            pushed: 0,
            left_out: Vec::new(),
            scratch: Vec::new(),
        }
    }

    /// Leaves `[from_s, to_s)` of the recording out of the measures: a sound whose time is
    /// known and that is not the speaker's (a cue the microphone heard from the speaker). Its
    /// samples count as neither speech nor level, and a silence it explains is no pause: a
    /// gap in the speech counts as a pause only if it is one without the left-out time. Call
    /// before pushing the samples it covers.
    pub fn leave_out(&mut self, from_s: f64, to_s: f64) {
        let rate = f64::from(self.sample_rate);
        let from = (from_s.max(0.0) * rate).floor() as u64;
        let to = (to_s.max(0.0) * rate).ceil() as u64;
        if to > from {
            self.left_out.push((from, to));
        }
    }

    /// Samples in [-1, 1]; any block size, results do not depend on it.
    pub fn push(&mut self, mono: &[f32]) {
        let start = self.pushed;
        let end = start + mono.len() as u64;
        self.pushed = end;
        if !self.left_out.iter().any(|&(a, b)| a < end && b > start) {
            self.push_samples(mono);
            return;
        }
        let mut block = std::mem::take(&mut self.scratch);
        block.clear();
        block.extend_from_slice(mono);
        for &(a, b) in &self.left_out {
            let from = a.clamp(start, end) - start;
            let to = b.clamp(start, end) - start;
            block[from as usize..to as usize].fill(0.0);
        }
        self.push_samples(&block);
        self.scratch = block;
    }

    fn push_samples(&mut self, mono: &[f32]) {
        let Analyzer {
            front,
            energies,
            vowel_energies,
            levels,
            histogram,
            tracker,
            pitch,
            ..
        } = self;
        front.push(mono, |front, f| {
            energies.push(f.energy);
            vowel_energies.push(f.vowel_energy);
            pitch.push(energies.len(), front.decimated());
            // The level of a frame needs the frames after it; emit the one now complete.
            if energies.len() > HALF {
                let frame = energies.len() - 1 - HALF;
                let level = smoothed_db(energies, frame);
                levels.push(level);
                histogram.add(level);
                tracker.push(frame, smoothed_db(vowel_energies, frame), front.decimated());
            }
        });
    }

    pub fn finish(self) -> Measures {
        self.finish_with_envelope().0
    }

    /// The measures, and the level envelope the drawing of the take is made from.
    pub fn finish_with_envelope(self) -> (Measures, Envelope) {
        let (measures, envelope, _) = self.finish_with_pitch();
        (measures, envelope)
    }

    /// The measures, the level envelope, and the pitch track the voice measures come from.
    pub fn finish_with_pitch(mut self) -> (Measures, Envelope, PitchTrack) {
        if let Some(f) = self.front.flush() {
            self.energies.push(f.energy);
            self.vowel_energies.push(f.vowel_energy);
        }
        for frame in self.levels.len()..self.energies.len() {
            let level = smoothed_db(&self.energies, frame);
            self.levels.push(level);
            self.histogram.add(level);
            let vowel = smoothed_db(&self.vowel_energies, frame);
            self.tracker.push(frame, vowel, self.front.decimated());
        }
        let peaks = self.tracker.finish(self.front.decimated());
        let raw_pitch = self
            .pitch
            .finish(self.energies.len(), self.front.decimated());
        let (measures, hz) = measure(&self, &peaks, &raw_pitch);
        let hop_s = self.front.hop() as f64 / f64::from(self.sample_rate);
        let per_point = (ENVELOPE_STEP_S / hop_s).round() as usize;
        let envelope = Envelope::from_levels(&self.levels, per_point).with_pitch(&hz, hop_s);
        (measures, envelope, PitchTrack { step_s: hop_s, hz })
    }
}

/// Measure a whole signal at once; the same as pushing it in blocks.
pub fn analyze(mono: &[f32], sample_rate: u32, params: Params) -> Measures {
    let mut a = Analyzer::new(sample_rate, params);
    a.push(mono);
    a.finish()
}

/// The level of `frame`, in dB, smoothed over its neighbours (those that exist).
fn smoothed_db(energies: &[f32], frame: usize) -> f32 {
    let (mut sum, mut weight) = (0f32, 0f32);
    for (k, w) in SMOOTHING.iter().enumerate() {
        if let Some(e) = (frame + k).checked_sub(HALF).and_then(|i| energies.get(i)) {
            sum += w * e;
            weight += w;
        }
    }
    power_db(sum / weight) as f32
}

fn power_db(power: f32) -> f64 {
    if power > 0.0 {
        (10.0 * (power as f64).log10()).max(MIN_DBFS)
    } else {
        MIN_DBFS
    }
}

/// A recording's measures (and its pitch track) from its analysed frames.
///
/// Long because every measure is worked out from the same frame-level pieces (speech runs,
/// left-out stretches, the frame clock, the nuclei), closures over them, in the order they build
/// on each other; a split would pass all of them to each part.
fn measure(a: &Analyzer, peaks: &[Peak], raw_pitch: &[pitch::Raw]) -> (Measures, Vec<f32>) {
    let Analyzer {
        sample_rate,
        params,
        front,
        energies,
        levels,
        histogram,
        ..
    } = a;
    let (sample_rate, params) = (*sample_rate, *params);
    // The left-out stretches as frames, any frame they touch included.
    let frame_len = front.hop() as u64;
    let left_out: Vec<(usize, usize)> = a
        .left_out
        .iter()
        .map(|&(from, to)| ((from / frame_len) as usize, to.div_ceil(frame_len) as usize))
        .collect();
    let left_out = &left_out[..];
    let hop = front.hop() as f64 / sample_rate as f64;
    let duration_s = front.samples() as f64 / sample_rate as f64;
    let frame_time = |f: usize| (f as f64 * hop).min(duration_s);
    let frames_for = |s: f64| (s / hop - 1e-9).ceil().max(1.0) as usize;

    let thresholds = histogram.thresholds();
    let runs = thresholds
        .map(|thresholds| {
            let attack = segments::Attack {
                max: frames_for(segments::MAX_ATTACK_S),
                max_closure: frames_for(segments::MAX_CLOSURE_S),
                min_opening: frames_for(segments::MIN_OPENING_S),
            };
            let durations = segments::Durations {
                min_gap: frames_for(params.pause_min_s),
                min_run: frames_for(segments::MIN_SOUNDING_S),
                max_decay: frames_for(segments::MAX_DECAY_S),
                attack,
            };
            let mut runs = segments::speech_runs(levels, thresholds, durations);
            let raw_db = |k: usize| power_db(energies[k]) as f32;
            segments::refine_edges(&mut runs, raw_db, levels.len(), thresholds, HALF, attack);
            join_across(runs, left_out, frames_for(params.pause_min_s))
        })
        .unwrap_or_default();
    let left_out_of = |a: usize, b: usize| -> usize {
        left_out
            .iter()
            .map(|&(m0, m1)| m1.min(b).saturating_sub(m0.max(a)))
            .sum()
    };

    let pauses: Vec<Pause> = runs
        .windows(2)
        .map(|w| Pause {
            start_s: round_ms(frame_time(w[0].1)),
            end_s: round_ms(frame_time(w[1].0)),
        })
        .collect();
    let first_speech_s = runs.first().map(|r| round_ms(frame_time(r.0)));
    let last_speech_s = runs.last().map(|r| round_ms(frame_time(r.1)));
    // A left-out stretch inside speech is not speaking time.
    let speech_frames: usize = runs.iter().map(|r| r.1 - r.0 - left_out_of(r.0, r.1)).sum();
    let speech_s = round_ms(
        runs.iter()
            .map(|r| frame_time(r.1) - frame_time(r.0) - left_out_of(r.0, r.1) as f64 * hop)
            .sum::<f64>()
            .max(0.0),
    );

    // Nuclei: voiced peaks (of the vowel band) where the whole signal is above the threshold,
    // inside speech.
    let mut run_iter = runs.iter().peekable();
    let nuclei: Vec<&Peak> = peaks
        .iter()
        .filter(|p| thresholds.is_some_and(|t| p.voiced && levels[p.frame] >= t.onset))
        .filter(|p| {
            while run_iter.peek().is_some_and(|r| r.1 <= p.frame) {
                run_iter.next();
            }
            run_iter.peek().is_some_and(|r| r.0 <= p.frame)
        })
        .collect();
    let syllables = nuclei.len();
    // Voice starts in speech loud enough to be a syllable (as the nuclei are) and may carry on
    // into the softer edges of the same speech, but not into its faint tails.
    let faint = histogram
        .percentile(0.99)
        .map(|loud| loud - pitch::FAINT_BELOW_LOUD_DB);
    let speech = |k: usize| {
        let i = runs.partition_point(|r| r.1 <= k);
        let in_a_run = runs.get(i).is_some_and(|r| r.0 <= k);
        if !in_a_run || left_out_of(k, k + 1) > 0 {
            pitch::Speech::Outside
        } else if thresholds.is_some_and(|t| levels[k] >= t.onset) {
            pitch::Speech::Loud
        } else if faint.is_some_and(|f| levels[k] <= f) {
            pitch::Speech::Faint
        } else {
            pitch::Speech::Soft
        }
    };
    let track = pitch::track(raw_pitch, speech);
    let voice = (!runs.is_empty()).then(|| voice::measure(&track, &runs, &nuclei, hop));

    let span = match (first_speech_s, last_speech_s) {
        (Some(a), Some(b)) => b - a,
        _ => 0.0,
    };
    let rate = |over: f64| {
        if over > 0.0 {
            syllables as f64 / over
        } else {
            0.0
        }
    };
    let speech_rate_sps = rate(span);
    let rms_dbfs = (speech_frames > 0).then(|| {
        let power: f64 = runs
            .iter()
            .flat_map(|r| r.0..r.1)
            .filter(|&k| left_out_of(k, k + 1) == 0)
            .map(|k| energies[k] as f64)
            .sum::<f64>()
            / speech_frames as f64;
        round_centi(power_db(power as f32))
    });
    let peak = front.peak() as f64;
    let measures = Measures {
        duration_s: round_ms(duration_s),
        speech_s,
        first_speech_s,
        last_speech_s,
        pause_count: pauses.len(),
        long_pause_count: pauses
            .iter()
            .filter(|p| p.duration_s() >= LONG_PAUSE_S - 1e-9)
            .count(),
        longest_pause_s: round_ms(pauses.iter().map(Pause::duration_s).fold(0.0, f64::max)),
        pauses,
        syllables,
        speech_rate_sps: round_centi(speech_rate_sps),
        articulation_rate_sps: round_centi(rate(speech_s)),
        est_wpm: round_centi(speech_rate_sps * 60.0 / SYLLABLES_PER_WORD),
        peak_dbfs: round_centi(if peak > 0.0 {
            (20.0 * peak.log10()).max(MIN_DBFS)
        } else {
            MIN_DBFS
        }),
        speech_rms_dbfs: rms_dbfs,
        clipped_fraction: if front.samples() > 0 {
            front.clipped() as f64 / front.samples() as f64
        } else {
            0.0
        },
        voice,
    };
    (measures, track)
}

/// Joins speech runs whose gap is a pause only because of left-out frames: what is left of the
/// gap without them is shorter than a pause.
fn join_across(
    runs: Vec<(usize, usize)>,
    left_out: &[(usize, usize)],
    min_gap: usize,
) -> Vec<(usize, usize)> {
    if left_out.is_empty() {
        return runs;
    }
    let mut joined: Vec<(usize, usize)> = Vec::with_capacity(runs.len());
    for run in runs {
        if let Some(last) = joined.last_mut() {
            let (gap_from, gap_to) = (last.1, run.0);
            let out: usize = left_out
                .iter()
                .map(|&(a, b)| b.min(gap_to).saturating_sub(a.max(gap_from)))
                .sum();
            if out > 0 && gap_to - gap_from - out < min_gap {
                last.1 = run.1;
                continue;
            }
        }
        joined.push(run);
    }
    joined
}

/// Round to the millisecond; `+ 0.0` turns the -0.0 of an empty sum into 0.0.
fn round_ms(s: f64) -> f64 {
    (s * 1000.0).round() / 1000.0 + 0.0
}

fn round_centi(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

#[cfg(test)]
mod tests;
