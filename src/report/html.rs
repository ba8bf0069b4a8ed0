//! The review pages as HTML: a session's `report.html` and the recordings folder's
//! `progress.html`. The only module that names maud, whose `html!` templates are checked when
//! voicemock compiles and escape every value put into them: question text and notes come from
//! packs the user may have downloaded, and must never become markup or script.
//!
//! Each page is one self-contained file (inline CSS, script and SVG; no network, no font to
//! fetch) that links the session's WAVs by relative path, so a folder can be moved or zipped
//! whole. No I/O here: `pages.rs` gathers what is drawn and writes the files.

use maud::{html, Markup, PreEscaped, DOCTYPE};

use super::figures::{self, Chart, Metric, Point, Wave, CHART_H, CHART_W, WAVE_H, WAVE_W};
use super::{ended_by_label, outcome_label};
use crate::record::facts::{
    fillers_text, hedges_text, length_text, pace_text, seconds, verdict_text, voice_text,
};
use crate::record::trend::{FactTrends, Trend, MIN_EARLIER};
use crate::record::TakeMeasures;
use crate::record::{
    Level, LevelsFile, Outcome, PaceSource, QuestionLog, Session, TakeFacts, TakeLog, TranscriptLog,
};
use crate::transcribe::sidecar::Said;
use crate::ui::mmss;

const CSS: &str = include_str!("page.css");
const SCRIPT: &str = include_str!("page.js");

/// A take as the page shows it: the log's entry, its measures (the log's, or measured from
/// the WAV when the log has none) and its level envelope, if any could be had.
pub struct TakeView<'a> {
    pub take: &'a TakeLog,
    pub measures: Option<TakeMeasures>,
    pub levels: Option<LevelsFile>,
    /// The transcript's words with their times and fillers (from its sidecar), if the take
    /// has one.
    pub words: crate::transcribe::sidecar::Said,
    /// Why the take's file is left alone (it fails the session reader's containment check):
    /// the page then neither links nor plays it.
    pub damaged: Option<String>,
}

/// Everything `report.html` shows.
pub struct SessionPage<'a> {
    pub session: &'a Session,
    /// The takes of each question, in the log's order.
    pub takes: Vec<Vec<TakeView<'a>>>,
}

/// Everything `progress.html` shows, oldest take first.
pub struct ProgressPage {
    pub sessions: Vec<SessionRow>,
    pub points: Vec<Point>,
    /// Per question id: its text and its takes.
    pub questions: Vec<(String, String, Vec<Point>)>,
    /// Per question id with full attempts: the latest against the earlier ones.
    pub trends: Vec<(String, FactTrends)>,
}

/// One session in the progress page's list, newest first.
pub struct SessionRow {
    pub href: String,
    pub when: String,
    pub pack: String,
    pub status: String,
    pub answered: String,
    pub speaking_s: f64,
}

fn page(title: &str, body: Markup) -> String {
    html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                // Nothing on this page may reach the network, by accident or by a pack's text.
                meta http-equiv="Content-Security-Policy"
                    content="default-src 'none'; media-src 'self'; img-src 'self' data:; style-src 'unsafe-inline'; script-src 'unsafe-inline'";
                meta name="generator" content=(concat!("voicemock ", env!("CARGO_PKG_VERSION")));
                title { (title) }
                style { (PreEscaped(CSS)) }
            }
            body {
                a.skip href="#content" { "Skip to content" }
                main #content { (body) }
                script { (PreEscaped(SCRIPT)) }
            }
        }
    }
    .into_string()
}

/// A session's start as people read it: "Thu 26 Nov 2026, 16:35".
pub fn when(started_at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(started_at)
        .map(|t| t.format("%a %-d %b %Y, %H:%M").to_string())
        .unwrap_or_else(|_| started_at.to_string())
}

/// A session's day, short: "26 Nov".
pub fn day(started_at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(started_at)
        .map(|t| t.format("%-d %b").to_string())
        .unwrap_or_default()
}

/// Percent-encodes a relative path for an `href` or `src`, keeping its slashes: a folder
/// renamed to hold spaces or `#` still links.
pub fn url_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~/".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn session_page(p: &SessionPage) -> String {
    let log = &p.session.log;
    let (answered, asked) = log.answered_of_asked();
    let over = log.over_limit();
    let standing = p.session.standing.label();
    let status_class = match standing {
        "completed" => "",
        "quit" | "running" => "warn",
        _ => "bad",
    };
    let body = html! {
        header.page {
            p.eyebrow { "voicemock · review of a " (log.kind) }
            h1 { (log.pack.title) }
            ul.facts {
                li { (when(&log.started_at)) }
                li { span.badge.(status_class) { (standing) } }
                li { strong { (answered) } " of " (asked) " answered" }
                li { "speaking " strong { (mmss(log.speaking_s())) } }
                li {
                    @if over == 0 { "no take over its limit" }
                    @else { span.over-text { (over) " take" @if over > 1 { "s" } " over the limit" } }
                }
                li.hide-narrow { "session " code { (log.id) } }
            }
        }
        section.card aria-labelledby="summary-title" {
            h2 #summary-title { "Summary" }
            div.scroll { (summary(p)) }
        }
        @if let Some(s) = &log.schedule {
            section.card aria-labelledby="schedule-title" {
                h2 #schedule-title { "Schedule" }
                p {
                    (mmss(s.used_s)) " used of the " (mmss(s.budget_s)) " budget; the plan came to "
                    (mmss(s.planned_s)) "."
                    @if !s.not_reached.is_empty() { " Not reached: " (s.not_reached.join(", ")) "." }
                }
                div.scroll {
                    table {
                        thead { tr { th { "Question" } th.num { "Planned" } th.num { "Used" } } }
                        tbody {
                            @for q in &log.questions {
                                tr {
                                    td { @if q.follow_up_of.is_some() { "\u{21b3} " } (q.id) }
                                    td.num { (q.planned_s.map_or("-".to_string(), mmss)) }
                                    td.num {
                                        @match (q.asked_at_s.first(), q.done_at_s) {
                                            (Some(a), Some(d)) => { (mmss(d - a)) }
                                            _ => { "not reached" }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        @for (i, q) in log.questions.iter().enumerate() {
            (question(p, i, q))
        }
        @if let Some(more) = super::more_not_reached(log) {
            section.card { p.empty { (more) "." } }
        }
        footer {
            "Written by voicemock from " code { "session.json" } ". Click a waveform (or focus a pause and press Enter) to play from there. "
            "Your own notes are in " code { "notes.md" } "."
        }
    };
    page(&format!("Review: {} ({})", log.pack.title, log.id), body)
}

fn summary(p: &SessionPage) -> Markup {
    html! {
        table {
            thead { tr {
                th.num { "#" } th { "Question" } th.hide-narrow { "Outcome" } th.num.hide-narrow { "Takes" }
                th.num { "Last take" } th.num.hide-narrow { "First words" }
                th.num.hide-narrow { "Longest pause" } th.num { "Pace" }
            } }
            tbody {
                @for (i, q) in p.session.log.questions.iter().enumerate() {
                    @let last = q.takes.last().and_then(|t| t.facts.as_ref());
                    tr {
                        td.num { (i + 1) }
                        td { a href={ "#q" (i + 1) } { (q.id) } }
                        td.hide-narrow { (outcome_label(q.outcome)) }
                        td.num.hide-narrow { (q.takes.len()) }
                        td.num {
                            @match last {
                                Some(f) => { span.over-text[f.verdict.is_over()] { (length_text(f)) } }
                                None => "–",
                            }
                        }
                        td.num.hide-narrow { @match last.and_then(|f| f.first_words_s) { Some(s) => { (seconds(s)) }, None => "–" } }
                        td.num.hide-narrow { @match last.and_then(|f| f.pauses.zip(f.longest_pause_s)) { Some((n, l)) if n > 0 => { (seconds(l)) }, Some(_) => "none", None => "–" } }
                        td.num { @match last.and_then(|f| f.pace) { Some(pace) => { (pace_text(pace)) }, None => "–" } }
                    }
                }
            }
        }
    }
}

fn question(p: &SessionPage, i: usize, q: &QuestionLog) -> Markup {
    let n = i + 1;
    let axis = figures::axis_s(q);
    html! {
        section.card.question id={ "q" (n) } aria-labelledby={ "q" (n) "-title" } {
            h2 id={ "q" (n) "-title" } { (n) ". " (q.shown()) }
            p.meta {
                code { (q.id) } " · " (q.category)
                // A question not reached was held to no limit (a format 3 log keeps none).
                @if q.outcome != Outcome::NotReached { " · limit " (mmss(q.limit_s)) }
                " · " (outcome_label(q.outcome))
            }
            @if !q.notes.is_empty() {
                div.notes {
                    p { "A strong answer covers" }
                    ul { @for note in &q.notes { li { (note) } } }
                }
            }
            @if q.takes.is_empty() {
                p.empty { "No recording." }
            } @else {
                div.takes {
                    @for view in &p.takes[i] {
                        (take(n, q, view, axis, p.session.log.is_drill()))
                    }
                }
            }
            @let checklist = p.session.log.checklist_for(q);
            @if !q.takes.is_empty() && !checklist.is_empty() {
                details.checklist {
                    summary { "Checklist: ask yourself (" (checklist.len()) ")" }
                    ul { @for c in checklist { li { (c) } } }
                }
            }
        }
    }
}

fn take(n: usize, q: &QuestionLog, view: &TakeView, axis: f64, drill: bool) -> Markup {
    let t = view.take;
    let f = t.facts.as_ref();
    let wave = figures::wave(axis, q, t, view.measures.as_ref(), view.levels.as_ref());
    // The take's facts, also as data attributes: what a script (or a test) reads off the page
    // is what it shows.
    html! {
        article.take id={ "q" (n) "-t" (t.take) } aria-label={ @if drill { "Round " } @else { "Take " } (t.take) }
            data-question=(q.id) data-take=(t.take)
            data-length=[f.map(length_text)]
            data-first-words=[f.and_then(|f| f.first_words_s).map(seconds)]
            data-pace=[f.and_then(|f| f.pace).map(pace_text)]
            data-voice=[f.and_then(|f| f.voice).map(voice_text)]
            data-ended=(ended_by_label(t.ended_by))
            data-verdict=[f.map(verdict_text)]
            data-fillers=[f.and_then(|f| f.words.as_ref()).map(fillers_text)] {
            div.take-head {
                h3 { @if drill { "Round " (t.take) " (a drill round, held to its own limit)" } @else { "Take " (t.take) } }
                span {
                    @match f {
                        Some(f) => {
                            span.f-length.over-text[f.verdict.is_over()] { (length_text(f)) }
                            ", " span.f-ended { (ended_by_label(f.ended_by)) }
                            ", " span.f-verdict.over-text[f.verdict.is_over()] { (verdict_text(f)) }
                        }
                        None => "still recording",
                    }
                }
            }
            @if let Some(reason) = &view.damaged {
                p.empty.damaged { "This take is damaged and is not played: " (reason) }
            } @else {
                audio controls preload="metadata" src=(url_path(&t.file)) {
                    a href=(url_path(&t.file)) { (t.file) }
                }
            }
            (waveform(t, &wave))
            div.axis aria-hidden="true" { span { "0:00" } span { (mmss(wave.axis_s)) } }
            ul.legend {
                @for marker in &wave.markers { li class=(marker.kind) { (marker.label) } }
                @if !wave.pauses.is_empty() { li.pauses { (wave.pauses.len()) " pause" @if wave.pauses.len() > 1 { "s" } } }
                (contour_legend(&wave))
            }
            @match f.filter(|_| t.analysis.is_some()) {
                Some(f) => { (measures(t, f)) }
                None => { p.empty { "This take was not measured (its recording could not be read)." } }
            }
            @let notes = take_notes(t);
            @if !notes.is_empty() {
                ul.remarks { @for r in &notes { li { (r) } } }
            }
            @if let Some(tr) = &t.transcript {
                (transcript(tr, &view.words, t.facts.as_ref()))
            } @else if let Some(e) = &t.transcript_error {
                p.empty { "No transcript: " (e) }
            }
        }
    }
}

/// What the take said: each word plays from where it was said (a click, or Enter on it), and
/// the fillers counted are marked. The figures are the take's facts.
fn transcript(tr: &TranscriptLog, said: &Said, f: Option<&TakeFacts>) -> Markup {
    let words = f.and_then(|f| f.words.as_ref());
    html! {
        section.transcript aria-label="What you said" {
            h4 { "What you said " span.meta { "(" (tr.model) "; click a word to hear it"
                @if said.filler.contains(&true) { "; fillers are marked" } ")" } }
            p.words {
                @if said.words.is_empty() { (tr.text) }
                @for (i, w) in said.words.iter().enumerate() {
                    @let filler = said.filler.get(i).copied().unwrap_or(false);
                    span.w.filler[filler] data-at=(format!("{:.2}", w.start_s)) tabindex="0" role="button"
                        title={ "at " (format!("{:.1}", w.start_s)) " s" @if filler { ", a filler" } } { (w.text) }
                    " "
                }
            }
            p.meta {
                (tr.words) " words, "
                @match words {
                    Some(w) => {
                        span.f-fillers { (fillers_text(w)) }
                        @if let Some(h) = hedges_text(w) { "; " span.f-hedges { (h) } }
                    }
                    None => { "fillers not counted yet" }
                }
                ", \u{201c}I\u{201d} " (tr.i_count) " / \u{201c}we\u{201d} " (tr.we_count)
                @if tr.gave_number { ", gave a number" } @else { ", no number" }
            }
            @if let Some(place) = words.and_then(|w| w.result) {
                p.result { (place.text()) }
            }
            @if !tr.covered.is_empty() || !tr.missed.is_empty() {
                ul.points {
                    @for c in &tr.covered { li.covered { "\u{2713} " (c) } }
                    @for m in &tr.missed { li.missed { "\u{2717} " (m) " " span.meta { "(not said)" } } }
                }
            }
        }
    }
}

fn waveform(t: &TakeLog, w: &Wave) -> Markup {
    let label = format!(
        "Take {} over {}: click to play from a point; pauses can be focused and played with Enter",
        t.take,
        mmss(w.axis_s)
    );
    html! {
        svg.wave viewBox={ "0 0 " (WAVE_W) " " (WAVE_H) } preserveAspectRatio="none"
            data-axis=(w.axis_s) role="group" aria-label=(label) {
            @if let Some((x, width)) = w.over { rect.over x=(x) y="0" width=(width) height=(WAVE_H) {} }
            @for (x, width) in &w.speech { rect.speech x=(x) y="0" width=(width) height=(WAVE_H) {} }
            @if let Some(d) = &w.outline { path.level d=(d) {} }
            (contour(w))
            @for marker in &w.markers {
                line class={ "marker " (marker.kind) } x1=(marker.x) x2=(marker.x) y1="0" y2=(WAVE_H) { title { (marker.label) } }
            }
            @for pause in &w.pauses {
                rect.pause x=(pause.x) y="0" width=(pause.w) height=(WAVE_H)
                    data-start=(pause.start_s) data-end=(pause.end_s) tabindex="0" role="button"
                    aria-label={ "Pause of " (format!("{:.1}", pause.end_s - pause.start_s)) " s at " (mmss(pause.start_s)) ": play from here" } {
                    title { "Pause of " (format!("{:.1}", pause.end_s - pause.start_s)) " s at " (format!("{:.1}", pause.start_s)) " s" }
                }
            }
            line.playhead x1="0" x2="0" y1="0" y2=(WAVE_H) {}
        }
    }
}

/// The pitch contour over the waveform, on the same time axis (see `figures::contour_path`).
fn contour(w: &Wave) -> Markup {
    html! {
        @if let Some(c) = &w.contour {
            path.pitch d=(c.d) {
                title { "Pitch, in semitones about the take's median of " (format!("{:.0}", c.median_hz)) " Hz" }
            }
        }
    }
}

fn contour_legend(w: &Wave) -> Markup {
    html! {
        @if let Some(c) = &w.contour {
            li.pitch { "pitch (middle line " (format!("{:.0}", c.median_hz)) " Hz, top and bottom an octave away)" }
        }
    }
}

/// The take's voice verdict, as the facts keep it.
fn voice_measure(f: &TakeFacts) -> Markup {
    html! {
        @if let Some(v) = f.voice {
            dt { "Voice" } dd { span.f-voice { (voice_text(v)) } " " span.meta { "(pitch variation)" } }
        }
    }
}

fn measures(t: &TakeLog, f: &TakeFacts) -> Markup {
    html! {
        dl.measures {
            @if let Some(first) = f.first_words_s {
                dt { "First words" } dd.f-first-words { "after " (seconds(first)) }
                dt { "Speaking" } dd { (f.speaking_s.map_or("–".to_string(), mmss)) " of " (mmss(f.length_s)) }
                dt { "Pauses" } dd {
                    @match (f.pauses, f.longest_pause_s) {
                        (Some(n), Some(longest)) if n > 0 => {
                            (n) ", longest " (seconds(longest))
                        }
                        _ => "none",
                    }
                }
                dt { "Pace" } dd {
                    @match f.pace {
                        Some(pace) => {
                            span.f-pace { (pace_text(pace)) } " "
                            span.meta { @match pace.from { PaceSource::Transcript => "(from the transcript)", PaceSource::Sound => "(estimated from the sound)" } }
                        }
                        None => "–",
                    }
                }
                (voice_measure(f))
            } @else {
                dt { "Speech" } dd { "none found" }
            }
            dt { "Level" } dd { (t.level.label()) ", peak " (format!("{:.0} dBFS", t.peak_dbfs)) }
        }
    }
}

/// The remarks made on the take when it was recorded (never made again here), and what went
/// wrong with its recording.
fn take_notes(t: &TakeLog) -> Vec<String> {
    let mut notes = t
        .facts
        .as_ref()
        .map(|f| f.remarks.clone())
        .unwrap_or_default();
    if !matches!(t.level, Level::Good | Level::Unknown) && t.analysis.is_none() {
        notes.push(format!("level: {}", t.level.label()));
    }
    if t.overruns > 0 || t.stream_errors > 0 {
        notes.push(format!(
            "{} overruns and {} stream errors: some audio was lost",
            t.overruns, t.stream_errors
        ));
    }
    notes
}

pub fn progress_page(p: &ProgressPage) -> String {
    let body = html! {
        header.page {
            p.eyebrow { "voicemock · progress" }
            h1 { "Progress over " (p.sessions.len()) " session" @if p.sessions.len() != 1 { "s" } }
            ul.facts {
                li { strong { (p.points.len()) } " takes" }
                li { strong { (p.questions.len()) } " questions" }
                li { "each point links to its session's page" }
            }
        }
        section.card #overall aria-labelledby="overall-title" {
            h2 #overall-title { "All questions" }
            (charts(&p.points))
        }
        @for (id, text, points) in &p.questions {
            section.card.question-progress aria-label=(id) {
                h2 { (text) }
                p.meta { code { (id) } " · " (points.len()) " take" @if points.len() != 1 { "s" } }
                @if let Some((_, t)) = p.trends.iter().find(|(q, _)| q == id) { (trend_line(t)) }
                (charts(points))
            }
        }
        section.card aria-labelledby="sessions-title" {
            h2 #sessions-title { "Sessions" }
            div.scroll { table {
                thead { tr { th { "When" } th.hide-narrow { "Pack" } th { "Status" } th.num { "Answered" } th.num.hide-narrow { "Speaking" } } }
                tbody { @for s in &p.sessions { tr {
                    td { a href=(s.href) { (s.when) } }
                    td.hide-narrow { (s.pack) } td { (s.status) } td.num { (s.answered) } td.num.hide-narrow { (mmss(s.speaking_s)) }
                } } }
            } }
        }
    };
    page("Progress: voicemock", body)
}

/// A question's trends in words, or why there are none: one rule (`record::trend`) for this
/// page and `history`.
fn trend_line(t: &FactTrends) -> Markup {
    match t.length {
        Some(Trend::TooFew(n)) => html! {
            p.trend-note { (n) " earlier attempt" @if n != 1 { "s" } " — too few for a trend (it needs "
                (MIN_EARLIER) ")" }
        },
        _ => html! {
            p.trend-note {
                "Latest attempt against the median of the earlier ones: "
                @for (i, (name, trend)) in t.named().iter().filter(|(_, t)| t.is_some()).enumerate() {
                    @if i > 0 { ", " }
                    (name) " " (Trend::arrow(*trend)) " " (trend.map(Trend::text).unwrap_or_default())
                }
            }
        },
    }
}

fn charts(points: &[Point]) -> Markup {
    html! {
        div.charts {
            @for metric in Metric::ALL { (chart(&figures::chart(metric, points))) }
        }
    }
}

fn chart(c: &Chart) -> Markup {
    html! {
        figure class={ "chart chart-" (c.metric.key()) } {
            figcaption { (c.metric.title()) }
            svg viewBox={ "0 0 " (CHART_W) " " (CHART_H) } role="group" aria-label=(c.metric.title()) {
                g.grid aria-hidden="true" {
                    @for (y, label) in &c.grid {
                        line x1="34" x2=(CHART_W - 8.0) y1=(y) y2=(y) {}
                        text x="30" y=(y + 3.0) text-anchor="end" { (label) }
                    }
                }
                @if c.dots.is_empty() {
                    text x=(CHART_W / 2.0) y=(CHART_H / 2.0) text-anchor="middle" { "no measure yet" }
                }
                path.trend d=(c.line) {}
                @for (x, y) in &c.limits { line.limit x1=(x - 5.0) x2=(x + 5.0) y1=(y) y2=(y) {} }
                @for d in &c.dots {
                    a.pt href=(d.point.href) aria-label=(d.label) {
                        circle.over[d.over] cx=(d.x) cy=(d.y) r="4" {}
                        title { (d.label) }
                    }
                }
                @if let Some((first, last)) = &c.span {
                    @if first == last || c.dots.len() == 1 {
                        text x=((CHART_W + 26.0) / 2.0) y=(CHART_H - 4.0) text-anchor="middle" { (first) }
                    } @else {
                        text x="34" y=(CHART_H - 4.0) { (first) }
                        text x=(CHART_W - 8.0) y=(CHART_H - 4.0) text-anchor="end" { (last) }
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    #[test]
    fn the_progress_page_draws_a_trend_only_after_three_earlier_attempts() {
        let facts = |length_s: f64| crate::record::TakeFacts {
            first_words_s: None,
            ..crate::record::TakeFacts::for_test(length_s)
        };
        for (lengths, says) in [
            (&[45.0][..], "0 earlier attempts — too few for a trend"),
            (&[90.0, 45.0], "1 earlier attempt — too few for a trend"),
            (
                &[90.0, 90.0, 45.0],
                "2 earlier attempts — too few for a trend",
            ),
            (&[90.0, 90.0, 90.0, 45.0], "length ↑ better"),
            (&[45.0, 45.0, 45.0, 90.0], "length ↓ worse"),
        ] {
            let all: Vec<_> = lengths.iter().map(|&l| facts(l)).collect();
            let refs: Vec<_> = all.iter().collect();
            let line = trend_line(&FactTrends::of(&refs)).into_string();
            assert!(line.contains(says), "{lengths:?}: {line}");
        }
    }

    #[test]
    fn urls_keep_slashes_and_encode_the_rest() {
        for (path, url) in [
            ("q01-why-take1.wav", "q01-why-take1.wav"),
            (
                "my session #2/report.html",
                "my%20session%20%232/report.html",
            ),
            ("é.wav", "%C3%A9.wav"),
        ] {
            assert_eq!(url_path(path), url);
        }
    }

    #[test]
    fn pack_text_is_escaped_everywhere_it_appears() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/format2");
        let mut session = crate::record::load(&dir).unwrap();
        let evil = "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&";
        session.log.pack.title = evil.into();
        session.log.checklist = vec![evil.into()];
        session.log.questions[0].text = evil.into();
        session.log.questions[0].notes = vec![evil.into()];
        session.log.questions[0].id = evil.into();
        let takes = session
            .log
            .questions
            .iter()
            .map(|q| {
                q.takes
                    .iter()
                    .map(|t| TakeView {
                        take: t,
                        measures: t.analysis.clone(),
                        levels: None,
                        words: Default::default(),
                        damaged: None,
                    })
                    .collect()
            })
            .collect();
        let page = session_page(&SessionPage {
            session: &session,
            takes,
        });
        assert!(!page.contains("<img"), "an image tag got through");
        assert_eq!(
            page.matches("<script").count(),
            1,
            "only the page's own script"
        );
        assert!(page.contains(
            "&lt;script&gt;alert(1)&lt;/script&gt;&lt;img src=x onerror=alert(2)&gt;&quot;'&amp;"
        ));
        // Title, checklist, question text, notes, summary link and id: six places at least.
        assert!(
            page.matches("&lt;script&gt;alert(1)").count() >= 6,
            "{page}"
        );
    }

    #[test]
    fn dates_read_as_people_write_them() {
        assert_eq!(
            when("2026-11-26T16:35:02.120+00:00"),
            "Thu 26 Nov 2026, 16:35"
        );
        assert_eq!(when("not a date"), "not a date");
    }

    #[test]
    fn a_transcript_plays_from_each_word_and_shows_its_text_as_text() {
        let tr = TranscriptLog {
            file: "q01-x-take1.transcript.json".into(),
            model: "tiny".into(),
            text: "we grew <b>ten</b> percent".into(),
            words: 4,
            wpm: Some(150.0),
            fillers: 0,
            fillers_per_100_words: 0.0,
            i_count: 0,
            we_count: 1,
            gave_number: true,
            fillers_per_min: Some(0.0),
            hedges: Some(0),
            hedges_per_100_words: Some(0.0),
            result: None,
            covered: vec!["A number".into()],
            missed: vec!["<script>x</script>".into()],
        };
        let words: Vec<crate::transcribe::Word> = ["we", "um,", "<b>ten</b>", "percent"]
            .iter()
            .enumerate()
            .map(|(i, w)| crate::transcribe::Word {
                text: (*w).into(),
                start_s: 1.0 + i as f64 * 0.5,
                end_s: 1.3 + i as f64 * 0.5,
            })
            .collect();
        let said = Said {
            words,
            filler: vec![false, true, false, false],
        };
        let html = transcript(&tr, &said, None).into_string();
        assert_eq!(html.matches("data-at=").count(), 4, "{html}");
        // The filler is marked, and plays like every word.
        assert_eq!(html.matches(r#"class="w filler""#).count(), 1, "{html}");
        assert!(
            html.contains(r#"<span class="w filler" data-at="1.50""#),
            "{html}"
        );
        assert!(html.contains(r#"data-at="2.00""#), "{html}");
        assert!(
            html.contains("&lt;b&gt;ten&lt;/b&gt;") && !html.contains("<b>"),
            "{html}"
        );
        assert!(!html.contains("<script>"), "{html}");
        assert!(html.contains("A number"));
    }
}
