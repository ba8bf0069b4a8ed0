//! The geometry of the pictures on the review pages: a take's waveform with its speech,
//! pauses and timing markers, and the small charts of the progress page. Pure numbers and SVG
//! path data out of the log; `html.rs` puts them into markup.

use std::fmt::Write;

use crate::record::TakeMeasures;
use crate::record::{LevelsFile, QuestionLog, TakeFacts, TakeLog};

/// The waveform's drawing box, in SVG user units (stretched to the page's width).
pub const WAVE_W: f64 = 1000.0;
pub const WAVE_H: f64 = 100.0;
/// How far below the take's loudest point the drawing reaches: quieter is drawn as silence.
const WAVE_RANGE_DB: f32 = 45.0;
/// Most points an outline is drawn with: more than a laptop's take column has pixels would
/// only make the page heavier. A longer envelope is merged, keeping each stretch's loudest.
const MAX_OUTLINE_POINTS: usize = 400;

/// A pause the analysis found, placed on the waveform.
#[derive(Debug, Clone, PartialEq)]
pub struct PauseMark {
    pub start_s: f64,
    pub end_s: f64,
    pub x: f64,
    pub w: f64,
}

/// A vertical line at a moment of the take.
#[derive(Debug, Clone, PartialEq)]
pub struct Marker {
    /// The CSS class, which is also what the legend calls it: `first`, `min`, `wrap`, `limit`.
    pub kind: &'static str,
    pub label: String,
    pub x: f64,
}

/// One take drawn on a time axis shared by the takes of its question.
#[derive(Debug, Clone, PartialEq)]
pub struct Wave {
    /// Seconds the drawing's width stands for.
    pub axis_s: f64,
    /// SVG path data of the level outline, mirrored about the middle; `None` without levels.
    pub outline: Option<String>,
    /// Stretches of speech, as `(x, width)`.
    pub speech: Vec<(f64, f64)>,
    pub pauses: Vec<PauseMark>,
    pub markers: Vec<Marker>,
    /// The recording past the take's limit, as `(x, width)`.
    pub over: Option<(f64, f64)>,
    /// The pitch contour over the waveform; `None` without a stored contour or too little
    /// voice for the voice measures.
    pub contour: Option<Contour>,
}

/// A take's pitch contour drawn on its waveform's time axis: semitones from the take's median
/// pitch, up and down from the middle line.
#[derive(Debug, Clone, PartialEq)]
pub struct Contour {
    /// SVG path data, one stroke per voiced stretch.
    pub d: String,
    /// The take's median pitch (the voice measures' figure), in Hz.
    pub median_hz: f64,
}

/// The time axis for the takes of `q`: long enough for the longest take and for its limit.
pub fn axis_s(q: &QuestionLog) -> f64 {
    q.takes
        .iter()
        .map(|t| t.duration_s.max(t.limit_s))
        .fold(q.limit_s, f64::max)
        .max(1.0)
}

pub fn wave(
    axis_s: f64,
    q: &QuestionLog,
    t: &TakeLog,
    measures: Option<&TakeMeasures>,
    levels: Option<&LevelsFile>,
) -> Wave {
    let x = |s: f64| round1((s / axis_s).clamp(0.0, 1.0) * WAVE_W);
    let span = |a: f64, b: f64| (x(a), round1(x(b) - x(a)));
    let mut speech = Vec::new();
    let mut pauses = Vec::new();
    let mut markers = Vec::new();
    if let Some(m) = measures {
        if let (Some(first), Some(last)) = (m.first_speech_s, m.last_speech_s) {
            let mut from = first;
            for p in &m.pauses {
                speech.push(span(from, p.start_s));
                from = p.end_s;
                pauses.push(PauseMark {
                    start_s: p.start_s,
                    end_s: p.end_s,
                    x: x(p.start_s),
                    w: round1(x(p.end_s) - x(p.start_s)).max(1.0),
                });
            }
            speech.push(span(from, last));
        }
    }
    // Markers on the take's clock, which starts `pre_roll_s` into the file; their values are
    // the take's facts (a drill round's minimum and wrap-up scale with its limit, as its
    // lights did).
    let pre = t.pre_roll_s;
    if let Some(f) = &t.facts {
        if let Some(first) = f.first_words_s {
            markers.push(Marker {
                kind: "first",
                label: format!("first words {}", crate::record::facts::seconds(first)),
                x: x(pre + first),
            });
        }
    }
    let limit = t.limit_s;
    let scale = if q.limit_s > 0.0 {
        limit / q.limit_s
    } else {
        1.0
    };
    let min = t.facts.as_ref().map_or(q.min_s * scale, |f| f.min_s);
    let wrap = ((q.limit_s - q.warn_s) * scale).max(0.0);
    if min > 0.0 {
        markers.push(Marker {
            kind: "min",
            label: format!("useful minimum {}", crate::ui::mmss(min)),
            x: x(pre + min),
        });
    }
    if q.warn_s > 0.0 && wrap > min {
        markers.push(Marker {
            kind: "wrap",
            label: format!("wrap up {}", crate::ui::mmss(wrap)),
            x: x(pre + wrap),
        });
    }
    markers.push(Marker {
        kind: "limit",
        label: format!("limit {}", crate::ui::mmss(limit)),
        x: x(pre + limit),
    });
    let over = t
        .facts
        .as_ref()
        .is_some_and(|f| f.verdict.is_over())
        .then(|| span(pre + limit, t.duration_s.max(pre + limit)));
    Wave {
        axis_s,
        outline: levels.and_then(|l| outline(l, t.duration_s, axis_s)),
        speech,
        pauses,
        markers,
        over,
        contour: contour_of(measures, levels, axis_s),
    }
}

/// Semitones from the median pitch that reach the top (or bottom) of the waveform's box.
const CONTOUR_RANGE_ST: f64 = 12.0;
/// Most points a contour is drawn with (a longer one is averaged down to this).
const MAX_CONTOUR_POINTS: usize = 1200;

/// The stored pitch contour of a take drawn about its median pitch, on the shared axis.
fn contour_of(
    measures: Option<&TakeMeasures>,
    levels: Option<&LevelsFile>,
    axis_s: f64,
) -> Option<Contour> {
    let median_hz = measures?.voice.as_ref()?.pitch_median_hz?;
    let pitch = levels?.pitch.as_ref().filter(|p| p.step_s > 0.0)?;
    let d = contour_path(&pitch.hz, pitch.step_s, median_hz, axis_s)?;
    Some(Contour { d, median_hz })
}

/// Path data for `hz` (one value per `step_s`, 0 = no pitch): semitones from `median_hz`,
/// CONTOUR_RANGE_ST to half the box's height; a new stroke after each stretch without pitch.
fn contour_path(hz: &[f32], step_s: f64, median_hz: f64, axis_s: f64) -> Option<String> {
    if median_hz <= 0.0 {
        return None;
    }
    let merge = hz.len().div_ceil(MAX_CONTOUR_POINTS).max(1);
    let mid = WAVE_H / 2.0;
    let mut d = String::new();
    let mut pen_down = false;
    for (i, c) in hz.chunks(merge).enumerate() {
        let voiced: Vec<f64> = c
            .iter()
            .filter(|&&f| f > 0.0)
            .map(|&f| f64::from(f))
            .collect();
        if voiced.len() * 2 < c.len() || voiced.is_empty() {
            pen_down = false;
            continue;
        }
        let mean = voiced.iter().sum::<f64>() / voiced.len() as f64;
        let st = 12.0 * (mean / median_hz).log2();
        let x = round1(((i * merge) as f64 + merge as f64 / 2.0) * step_s / axis_s * WAVE_W);
        let y = round1((mid - st / CONTOUR_RANGE_ST * mid).clamp(1.0, WAVE_H - 1.0));
        let _ = write!(d, "{}{x} {y}", if pen_down { "L" } else { "M" });
        pen_down = true;
    }
    (!d.is_empty()).then_some(d)
}

/// The level envelope as a closed shape mirrored about the middle line.
fn outline(levels: &LevelsFile, duration_s: f64, axis_s: f64) -> Option<String> {
    let loudest = levels.db.iter().copied().fold(f32::MIN, f32::max);
    if levels.db.is_empty() || loudest <= crate::analysis::MIN_DBFS as f32 {
        return None;
    }
    let floor = loudest - WAVE_RANGE_DB;
    let mid = WAVE_H / 2.0;
    let merge = levels.db.len().div_ceil(MAX_OUTLINE_POINTS);
    let step_s = levels.step_s * merge as f64;
    let points: Vec<(f64, f64)> = levels
        .db
        .chunks(merge)
        .map(|c| c.iter().copied().fold(f32::MIN, f32::max))
        .enumerate()
        .map(|(i, db)| {
            let t = (i as f64 * step_s).min(duration_s);
            let a = f64::from(((db - floor) / WAVE_RANGE_DB).clamp(0.0, 1.0));
            // A hair of height everywhere, so silence still reads as a line.
            let half = (a * 0.92 + 0.01) * mid;
            (round1(t / axis_s * WAVE_W), round1(half))
        })
        .collect();
    let mut d = String::with_capacity(points.len() * 24);
    let end_x = round1((duration_s / axis_s).min(1.0) * WAVE_W);
    let _ = write!(d, "M0 {mid}");
    for (x, h) in &points {
        let _ = write!(d, "L{x} {}", round1(mid - h));
    }
    let _ = write!(d, "L{end_x} {mid}");
    for (x, h) in points.iter().rev() {
        let _ = write!(d, "L{x} {}", round1(mid + h));
    }
    d.push('Z');
    Some(d)
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0 + 0.0
}

/// The progress charts' drawing box and margins, in SVG user units.
pub const CHART_W: f64 = 320.0;
pub const CHART_H: f64 = 150.0;
const LEFT: f64 = 34.0;
const RIGHT: f64 = 8.0;
const TOP: f64 = 8.0;
const BOTTOM: f64 = 20.0;

/// What a progress chart shows, one value per take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Metric {
    Duration,
    FirstWords,
    Pace,
    LongestPause,
    /// Fillers per 100 words, from the take's facts once it has a transcript.
    Fillers,
    PitchVariation,
}

impl Metric {
    pub const ALL: [Metric; 6] = [
        Metric::Duration,
        Metric::FirstWords,
        Metric::Pace,
        Metric::LongestPause,
        Metric::Fillers,
        Metric::PitchVariation,
    ];

    /// The CSS class and test hook of the chart.
    pub fn key(self) -> &'static str {
        match self {
            Metric::Duration => "duration",
            Metric::FirstWords => "first-words",
            Metric::Pace => "pace",
            Metric::LongestPause => "longest-pause",
            Metric::Fillers => "fillers",
            Metric::PitchVariation => "pitch-variation",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Metric::Duration => "Duration against the limit",
            Metric::FirstWords => "First words after",
            Metric::Pace => "Pace",
            Metric::LongestPause => "Longest pause",
            Metric::Fillers => "Filler words per 100 words (at least)",
            Metric::PitchVariation => "Pitch variation (semitones)",
        }
    }

    fn value(self, p: &Point) -> Option<f64> {
        let f = &p.facts;
        match self {
            Metric::Duration => Some(f.length_s),
            Metric::FirstWords => f.first_words_s,
            Metric::Pace => f.pace.map(|p| p.wpm),
            Metric::LongestPause => f.longest_pause_s,
            Metric::Fillers => f.words.as_ref().map(|w| w.fillers_per_100_words),
            Metric::PitchVariation => f.voice.map(|v| v.pitch_sd_st),
        }
    }

    /// The take's figure as every view shows it.
    pub fn describe(self, p: &Point) -> String {
        use crate::record::facts::{fillers_text, length_text, pace_text, seconds, voice_text};
        let f = &p.facts;
        match self {
            Metric::Duration => length_text(f),
            Metric::FirstWords => f.first_words_s.map_or("–".into(), seconds),
            Metric::Pace => f.pace.map_or("–".into(), pace_text),
            Metric::LongestPause => f.longest_pause_s.map_or("–".into(), seconds),
            Metric::Fillers => f.words.as_ref().map_or("–".into(), fillers_text),
            Metric::PitchVariation => f.voice.map_or("–".into(), voice_text),
        }
    }
}

/// One take on the progress page.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// Its session's page (and the take on it), relative to the progress page.
    pub href: String,
    /// The session's date and time, for people.
    pub when: String,
    /// The session's day, short, for under a chart's axis.
    pub day: String,
    pub question_id: String,
    pub take: u32,
    /// A round of a drill, not a full attempt at the question.
    pub drill: bool,
    pub facts: TakeFacts,
}

/// A dot of a chart: where it goes, and the take it stands for.
#[derive(Debug, Clone, PartialEq)]
pub struct Dot<'a> {
    pub x: f64,
    pub y: f64,
    pub over: bool,
    pub label: String,
    pub point: &'a Point,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Chart<'a> {
    pub metric: Metric,
    pub dots: Vec<Dot<'a>>,
    /// The line through the dots, in order.
    pub line: String,
    /// For durations: each take's limit, as short dashes `(x, y)`.
    pub limits: Vec<(f64, f64)>,
    /// Horizontal grid lines: `(y, label)`.
    pub grid: Vec<(f64, String)>,
    /// The first and last session's dates, under the axis.
    pub span: Option<(String, String)>,
}

/// A chart of `metric` over `points` (oldest first), one dot per take that has the measure.
pub fn chart(metric: Metric, points: &[Point]) -> Chart<'_> {
    let values: Vec<(&Point, f64)> = points
        .iter()
        .filter_map(|p| metric.value(p).map(|v| (p, v)))
        .collect();
    let mut top = values.iter().map(|(_, v)| *v).fold(0.0, f64::max);
    if metric == Metric::Duration {
        top = points.iter().map(|p| p.facts.limit_s).fold(top, f64::max);
    }
    let (step, top) = nice_scale(top);
    let plot_w = CHART_W - LEFT - RIGHT;
    let plot_h = CHART_H - TOP - BOTTOM;
    let y = |v: f64| round1(TOP + plot_h * (1.0 - (v / top).clamp(0.0, 1.0)));
    let n = values.len();
    let x = |i: usize| {
        round1(if n <= 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * i as f64 / (n - 1) as f64
        })
    };
    let dots: Vec<Dot> = values
        .iter()
        .enumerate()
        .map(|(i, (p, v))| Dot {
            x: x(i),
            y: y(*v),
            over: metric == Metric::Duration && p.facts.verdict.is_over(),
            label: format!(
                "{}, {} {} {}: {}",
                p.when,
                p.question_id,
                if p.drill { "drill round" } else { "take" },
                p.take,
                metric.describe(p)
            ),
            point: p,
        })
        .collect();
    let mut line = String::new();
    for (i, d) in dots.iter().enumerate() {
        let _ = write!(line, "{}{} {}", if i == 0 { "M" } else { "L" }, d.x, d.y);
    }
    let limits = if metric == Metric::Duration {
        values
            .iter()
            .enumerate()
            .map(|(i, (p, _))| (x(i), y(p.facts.limit_s)))
            .collect()
    } else {
        Vec::new()
    };
    let grid = (0..)
        .map(|k| k as f64 * step)
        .take_while(|v| *v <= top + 1e-9)
        .map(|v| (y(v), grid_label(v)))
        .collect();
    let span = match (values.first(), values.last()) {
        (Some((a, _)), Some((b, _))) => Some((a.day.clone(), b.day.clone())),
        _ => None,
    };
    Chart {
        metric,
        dots,
        line,
        limits,
        grid,
        span,
    }
}

/// A grid value as few digits as it needs: "0.25", "1", "150".
fn grid_label(v: f64) -> String {
    let text = format!("{v:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A round step for three to five grid lines, and the top of the scale (a multiple of it).
fn nice_scale(max: f64) -> (f64, f64) {
    let max = if max > 0.0 { max } else { 1.0 };
    let raw = max / 4.0;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * magnitude);
    (step, (max / step).ceil() * step)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_scales_have_round_steps_above_the_maximum() {
        for (max, step, top) in [
            (90.0, 25.0, 100.0),
            (3.2, 1.0, 4.0),
            (150.0, 50.0, 150.0),
            (0.0, 0.25, 1.0),
        ] {
            assert_eq!(nice_scale(max), (step, top), "max {max}");
        }
        assert_eq!(grid_label(0.1 + 0.2), "0.3");
        assert_eq!(grid_label(150.0), "150");
        assert_eq!(grid_label(0.25), "0.25");
    }

    fn question() -> QuestionLog {
        serde_json::from_value(serde_json::json!({
            "id": "q", "category": "c", "text": "Q?", "limit_s": 10.0, "min_s": 4.0,
            "warn_s": 2.0, "think_s": 0.0, "think_used_s": 0.0, "spoken": false,
            "outcome": "not_reached", "takes": []
        }))
        .unwrap()
    }

    fn take(duration_s: f64) -> TakeLog {
        serde_json::from_value(serde_json::json!({
            "take": 1, "file": "q01-q-take1.wav", "started_at": "", "started_at_s": 0.0,
            "ended_at_s": duration_s, "limit_s": 10.0, "duration_s": duration_s,
            "ended_by": "limit", "overtime_s": 0.0, "sample_rate": 48000, "peak_dbfs": -3.0,
            "take_rms_dbfs": -20.0, "level": "good", "overruns": 0, "stream_errors": 0,
            "analysis": null
        }))
        .unwrap()
    }

    #[test]
    fn a_wave_places_pauses_speech_and_markers_on_its_axis() {
        let q = question();
        let mut t = take(12.0);
        let m = TakeMeasures {
            first_speech_s: Some(1.0),
            last_speech_s: Some(11.0),
            pauses: vec![crate::record::PauseLog {
                start_s: 3.0,
                end_s: 4.5,
            }],
            ..crate::analysis::analyze(&[], 16000, Default::default()).into()
        };
        t.analysis = Some(m.clone());
        t.facts = Some(crate::record::TakeFacts::of(&q, &t, None));
        let w = wave(axis_s(&q).max(t.duration_s), &q, &t, Some(&m), None);
        assert_eq!(w.axis_s, 12.0);
        assert_eq!(
            w.pauses,
            vec![PauseMark {
                start_s: 3.0,
                end_s: 4.5,
                x: 250.0,
                w: 125.0
            }]
        );
        assert_eq!(w.speech, vec![(83.3, 166.7), (375.0, 541.7)]);
        let at: Vec<(&str, f64)> = w.markers.iter().map(|m| (m.kind, m.x)).collect();
        assert_eq!(
            at,
            [
                ("first", 83.3),
                ("min", 333.3),
                ("wrap", 666.7),
                ("limit", 833.3)
            ]
        );
        assert_eq!(w.over, Some((833.3, 166.7)));
        assert!(w.outline.is_none());
    }

    #[test]
    fn the_outline_is_mirrored_and_silence_is_a_thin_line() {
        let levels = LevelsFile {
            version: 1,
            step_s: 0.5,
            db: vec![-120.0, -20.0, -120.0],
            pitch: None,
        };
        let d = outline(&levels, 1.5, 1.5).unwrap();
        assert!(
            d.starts_with("M0 50L0 49.5L333.3 3.5L666.7 49.5L1000 50"),
            "{d}"
        );
        assert!(d.ends_with("L666.7 50.5L333.3 96.5L0 50.5Z"), "{d}");
        // A long take is drawn with at most MAX_OUTLINE_POINTS points, keeping the peaks.
        let mut long = LevelsFile {
            version: 1,
            step_s: 0.1,
            db: vec![-60.0; 6000],
            pitch: None,
        };
        long.db[4321] = -10.0;
        let d = outline(&long, 600.0, 600.0).unwrap();
        assert_eq!(d.matches('L').count(), 2 * MAX_OUTLINE_POINTS + 1, "{d}");
        assert_eq!(
            d.matches(" 3.5L").count(),
            1,
            "the one loud point survives the merge: {d}"
        );
        let silent = LevelsFile {
            db: vec![-120.0; 3],
            ..levels
        };
        assert_eq!(outline(&silent, 1.5, 1.5), None);
    }

    #[test]
    fn the_contour_is_in_semitones_about_the_median_with_a_stroke_per_voiced_stretch() {
        // 0.1 s steps on a 1 s axis: the median, half an octave up, a gap, half an octave
        // down, a fifth up (an octave reaches the box's edge).
        let hz = [100.0, 141.4, 0.0, 70.7, 149.8];
        let d = contour_path(&hz, 0.1, 100.0, 1.0).unwrap();
        assert_eq!(d, "M50 50L150 25M350 75L450 20.8");
        // Beyond the box's range is held at its edge; no pitch at all draws nothing.
        let d = contour_path(&[100.0, 800.0], 0.1, 100.0, 1.0).unwrap();
        assert_eq!(d, "M50 50L150 1");
        assert_eq!(contour_path(&[0.0; 4], 0.1, 100.0, 1.0), None);
        // A long contour is averaged down to at most MAX_CONTOUR_POINTS points.
        let long = vec![100.0; 6000];
        let d = contour_path(&long, 0.02, 100.0, 120.0).unwrap();
        assert_eq!(d.matches('L').count() + 1, MAX_CONTOUR_POINTS);
    }

    #[test]
    fn a_chart_has_a_dot_per_take_that_has_the_measure() {
        let p = |d: f64, first: Option<f64>| {
            let mut t = take(d);
            t.facts = Some(crate::record::TakeFacts::of(&question(), &t, None));
            let mut facts = t.facts.unwrap();
            facts.first_words_s = first;
            Point {
                href: "s/report.html".into(),
                when: "Thu 26 Nov 2026, 16:35".into(),
                day: "26 Nov".into(),
                question_id: "q".into(),
                take: 1,
                drill: false,
                facts,
            }
        };
        let points = [p(5.0, Some(1.0)), p(12.0, None), p(8.0, Some(2.0))];
        let c = chart(Metric::Duration, &points);
        assert_eq!(c.dots.len(), 3);
        assert_eq!(c.limits.len(), 3);
        assert_eq!(
            c.dots.iter().map(|d| d.over).collect::<Vec<_>>(),
            [false, true, false]
        );
        assert_eq!(c.grid.last().map(|g| g.1.as_str()), Some("15"));
        let c = chart(Metric::FirstWords, &points);
        assert_eq!(c.dots.len(), 2);
        assert!(c.limits.is_empty());
        assert!(c.line.starts_with('M') && c.line.matches('L').count() == 1);
    }
}
