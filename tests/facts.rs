//! One take, one truth: each take's length, first words, pace, voice verdict, how it ended
//! and its verdict against its limit, read back out of every view (`sessions`, `history`, `compare` and
//! `analyze` as JSON, `review.md`, the review page and the progress page), must be the same
//! as its facts. Over the format-1 and format-2 fixtures here (no devices); over sessions
//! recorded on the virtual devices in `run.rs` (`every_view_of_recorded_sessions_…`).

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

use crate::common;

/// A take as one view shows it, in that view's own words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// `0:45 of 2:00`.
    pub length: String,
    /// `7.3 s`, if the view shows first words.
    pub first: Option<String>,
    /// `~183 wpm` or `170 wpm`.
    pub pace: Option<String>,
    /// How it ended, in words ("ended by you").
    pub ended: String,
    /// The verdict in words, where the view shows one.
    pub verdict: Option<String>,
    /// `at least 16 filler words (16.0 per 100 words, 8.0 a minute)`, once the take has a
    /// transcript.
    pub fillers: Option<String>,
    /// `voice monotone (1.1 st)` or `voice varied (3.2 st)`, where the take has one.
    pub voice: Option<String>,
}

/// (session id, question id, take number).
pub type Key = (String, String, u64);

fn mmss(s: f64) -> String {
    let total = s.max(0.0).round() as u64;
    format!("{}:{:02}", total / 60, total % 60)
}

fn ended_words(e: &Value) -> String {
    match e.as_str() {
        Some("enter") => "ended by you",
        Some("limit") => "stopped at the limit",
        Some("skip") => "skipped",
        Some("repeat") => "restarted",
        Some("quit") => "session quit",
        Some("interrupt") => "interrupted",
        Some("device_error") => "microphone failed",
        Some("budget") => "wrapped up: the interview's time ran out",
        Some("auto_finish") => "ended after your silence",
        Some("finished_in_grace") => "finished in overtime",
        _ => "never finished",
    }
    .to_string()
}

fn verdict_words(f: &Value) -> String {
    let s = |k: &str| f[k].as_f64().unwrap();
    match f["verdict"].as_str().unwrap() {
        "within" => "within its limit".into(),
        "under" => format!("under the useful minimum ({})", mmss(s("min_s"))),
        "over" => format!("over the limit (+{})", mmss(s("over_s"))),
        "cut_off" => "cut off at the limit".into(),
        "no_speech" => "no speech".into(),
        "unfinished" => "not finished".into(),
        v => panic!("unknown verdict {v}"),
    }
}

/// What a view should show for a take with facts `f` (a `facts` object as the log keeps it).
pub fn expected(f: &Value) -> Seen {
    Seen {
        length: format!(
            "{} of {}",
            mmss(f["length_s"].as_f64().unwrap()),
            mmss(f["limit_s"].as_f64().unwrap())
        ),
        first: f["first_words_s"].as_f64().map(|s| format!("{s:.1} s")),
        pace: f["pace"]["wpm"].as_f64().map(|w| {
            let est = if f["pace"]["from"] == "sound" {
                "~"
            } else {
                ""
            };
            format!("{est}{w:.0} wpm")
        }),
        ended: ended_words(&f["ended_by"]),
        verdict: Some(verdict_words(f)),
        fillers: fillers_words(&f["words"]),
        voice: f["voice"]["pitch_sd_st"].as_f64().map(|st| {
            let verdict = if f["voice"]["monotone"].as_bool().unwrap() {
                "monotone"
            } else {
                "varied"
            };
            format!("voice {verdict} ({st:.1} st)")
        }),
    }
}

fn fillers_words(w: &Value) -> Option<String> {
    let n = w["fillers"].as_u64()?;
    Some(format!(
        "at least {n} filler word{} ({:.1} per 100 words{})",
        if n == 1 { "" } else { "s" },
        w["fillers_per_100_words"].as_f64().unwrap(),
        w["fillers_per_min"]
            .as_f64()
            .map_or(String::new(), |r| format!(", {r:.1} a minute"))
    ))
}

/// The takes of `review.md`, from the line each take opens with.
pub fn from_review(md: &str, session: &str) -> BTreeMap<Key, Seen> {
    let mut out: BTreeMap<Key, Seen> = BTreeMap::new();
    let mut question = String::new();
    let mut last: Option<Key> = None;
    for line in md.lines() {
        if line.starts_with('`') && line.contains(" · ") {
            question = line[1..line[1..].find('`').unwrap() + 1].to_string();
            continue;
        }
        // "  - 120 words; at least 3 filler words (…); 2 hedging words (…); …"
        if let (Some(i), Some(key)) = (line.find(" words; at least "), &last) {
            if line.starts_with("  - ") {
                let rest = &line[i + 8..];
                let end = rest.find(");").map_or(rest.len(), |e| e + 1);
                out.get_mut(key).unwrap().fillers = Some(rest[..end].to_string());
            }
        }
        let Some(rest) = line.strip_prefix("- Take ") else {
            continue;
        };
        let (n, rest) = rest.split_once(": [").unwrap();
        let rest = &rest[rest.find("), ").unwrap() + 3..];
        if rest.starts_with("still recording") {
            continue;
        }
        // "0:45 of 2:00, ended by you; talking stopped at 0:41 **over the limit (+0:05)**; …"
        let (length, rest) = rest.split_at(rest.find(", ").unwrap());
        let rest = &rest[2..];
        let ended_end = rest.find([';', '*']).unwrap_or(rest.len());
        let ended = rest[..ended_end].trim_end().to_string();
        let verdict = rest
            .find("**")
            .map(|i| rest[i + 2..i + 2 + rest[i + 2..].find("**").unwrap()].to_string());
        let first = rest
            .find("first words after ")
            .map(|i| rest[i + 18..].split(',').next().unwrap().to_string());
        last = Some((session.to_string(), question.clone(), n.parse().unwrap()));
        let parts: Vec<&str> = rest.split([',', ';']).map(str::trim).collect();
        let pace = parts
            .iter()
            .find(|p| p.ends_with(" wpm"))
            .map(|p| p.to_string())
            .filter(|_| first.is_some());
        let voice = parts
            .iter()
            .find(|p| p.starts_with("voice "))
            .map(|p| p.to_string());
        out.insert(
            last.clone().unwrap(),
            Seen {
                length: length.to_string(),
                first,
                pace,
                ended,
                verdict,
                fillers: None,
                voice,
            },
        );
    }
    out
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The attributes of the start tag at the beginning of `tag`.
fn attributes(tag: &str) -> BTreeMap<String, String> {
    let end = tag.find('>').unwrap();
    let mut attrs = BTreeMap::new();
    let mut rest = &tag[..end];
    while let Some(eq) = rest.find("=\"") {
        let name = rest[..eq].rsplit(' ').next().unwrap().to_string();
        let value_end = rest[eq + 2..].find('"').unwrap();
        attrs.insert(name, unescape(&rest[eq + 2..eq + 2 + value_end]));
        rest = &rest[eq + 2 + value_end + 1..];
    }
    attrs
}

/// The takes of a review page, from the facts each take's article carries.
pub fn from_page(html: &str, session: &str) -> BTreeMap<Key, Seen> {
    let mut out = BTreeMap::new();
    for (i, _) in html.match_indices("<article class=\"take\"") {
        let a = attributes(&html[i..]);
        let Some(length) = a.get("data-length") else {
            continue;
        };
        out.insert(
            (
                session.to_string(),
                a["data-question"].clone(),
                a["data-take"].parse().unwrap(),
            ),
            Seen {
                length: length.clone(),
                first: a.get("data-first-words").cloned(),
                pace: a.get("data-pace").cloned(),
                ended: a["data-ended"].clone(),
                verdict: a.get("data-verdict").cloned(),
                fillers: a.get("data-fillers").cloned(),
                voice: a.get("data-voice").cloned(),
            },
        );
    }
    out
}

/// The progress page's overall charts: per take (by its page link), the figure each chart
/// shows for it (`duration`, `first-words`, `pace`, `longest-pause`, `pitch-variation`).
pub fn from_progress(html: &str) -> BTreeMap<(String, String), BTreeMap<String, String>> {
    let overall = &html[html.find("id=\"overall\"").unwrap()..];
    let overall = &overall[..overall.find("</section>").unwrap()];
    let mut out: BTreeMap<(String, String), BTreeMap<String, String>> = BTreeMap::new();
    for chart in overall.split("<figure class=\"chart chart-").skip(1) {
        let metric = chart[..chart.find('"').unwrap()].to_string();
        for (i, _) in chart.match_indices("<a class=\"pt\"") {
            let a = attributes(&chart[i..]);
            let (page, anchor) = a["href"].split_once('#').unwrap();
            let folder = page.split('/').next().unwrap().to_string();
            let label = &a["aria-label"];
            let value = label[label.rfind(": ").unwrap() + 2..].to_string();
            let point = out.entry((folder, anchor.to_string())).or_default();
            point.insert(metric.clone(), value);
            if metric == "duration" {
                // A dot drawn as over its limit.
                let dot = &chart[i..i + chart[i..].find("</a>").unwrap()];
                let over = dot.contains("<circle class=\"over\"");
                point.insert("over".into(), over.to_string());
            }
        }
    }
    out
}

fn json(args: &[&str], recordings: &Path) -> Value {
    let out = common::bin()
        .args(args)
        .arg("--recordings")
        .arg(recordings)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The entry of question `id` in `history --json` over `recordings`.
fn history_entry(recordings: &Path, id: &str) -> Value {
    let history = json(&["history", "--json"], recordings);
    let entry = history.as_array().unwrap().iter().find(|h| h["id"] == id);
    entry
        .unwrap_or_else(|| panic!("no {id} in history: {history:#}"))
        .clone()
}

/// Reads every view of every session in `recordings` and checks each take reads the same in
/// each. Returns the facts of every take, by key, for the caller's own checks.
pub fn check_every_view(recordings: &Path) -> BTreeMap<Key, Value> {
    let sessions = json(&["sessions", "--json"], recordings);
    let history = json(&["history", "--json"], recordings);
    let mut truth: BTreeMap<Key, Value> = BTreeMap::new();
    let mut drill_rounds = 0;
    // `compare` for each question: every take of it, drill rounds included.
    for h in history.as_array().unwrap() {
        let id = h["id"].as_str().unwrap();
        for row in json(&["compare", id, "--json"], recordings)
            .as_array()
            .unwrap()
        {
            let key = (
                row["session"].as_str().unwrap().to_string(),
                id.to_string(),
                row["take"].as_u64().unwrap(),
            );
            drill_rounds += usize::from(!row["drill_round"].is_null());
            truth.insert(key, row["facts"].clone());
        }
        // `history` agrees on every attempt and drill round it lists.
        for a in h["history"]
            .as_array()
            .unwrap()
            .iter()
            .chain(h["drill_rounds"].as_array().unwrap())
        {
            let key = (
                a["session"].as_str().unwrap().to_string(),
                id.to_string(),
                a["take"].as_u64().unwrap(),
            );
            assert_eq!(a["facts"], truth[&key], "history vs compare for {key:?}");
        }
        assert_eq!(
            h["drill_rounds"].as_array().unwrap().len()
                + h["history"].as_array().unwrap().len()
                + truth
                    .iter()
                    .filter(|(k, f)| k.1 == id && f["ended_by"] == "repeat")
                    .count(),
            truth.keys().filter(|k| k.1 == id).count(),
            "history lists every take of {id} but restarted ones, drill rounds apart"
        );
    }
    assert_eq!(
        history
            .as_array()
            .unwrap()
            .iter()
            .map(|h| h["drill_rounds"].as_array().unwrap().len())
            .sum::<usize>(),
        drill_rounds
    );
    for s in sessions.as_array().unwrap() {
        let id = s["id"].as_str().unwrap();
        let dir = Path::new(s["dir"].as_str().unwrap());
        let mine: Vec<(&Key, &Value)> = truth.iter().filter(|(k, _)| k.0 == id).collect();
        // The log keeps the facts every view shows (a log from before facts gets them on
        // reading, which the listings above show).
        let log = common::session_log(dir);
        for q in log["questions"].as_array().unwrap() {
            for t in q["takes"].as_array().unwrap() {
                let key = (
                    id.to_string(),
                    q["id"].as_str().unwrap().to_string(),
                    t["take"].as_u64().unwrap(),
                );
                if !t["facts"].is_null() {
                    assert_eq!(t["facts"], truth[&key], "session.json vs compare, {key:?}");
                }
            }
        }
        // `sessions`: takes over the limit (cut off included) and speaking time.
        let over = mine
            .iter()
            .filter(|(_, f)| matches!(f["verdict"].as_str(), Some("over" | "cut_off")))
            .count();
        assert_eq!(s["over_limit"].as_u64(), Some(over as u64), "{id}");
        let speaking: f64 = mine
            .iter()
            .map(|(_, f)| {
                f["speaking_s"]
                    .as_f64()
                    .unwrap_or_else(|| f["length_s"].as_f64().unwrap())
            })
            .sum();
        assert!(
            (s["speaking_s"].as_f64().unwrap() - speaking).abs() < 0.002,
            "{id}: {s} vs {speaking}"
        );
        // `analyze SESSION`: the facts and the remarks kept with them.
        let analyzed = common::bin()
            .args(["analyze", "--json"])
            .arg(dir)
            .output()
            .unwrap();
        let analyzed: Vec<Value> = serde_json::from_slice(&analyzed.stdout).unwrap_or_default();
        for e in analyzed.iter().filter(|e| e.get("error").is_none()) {
            let file = Path::new(e["file"].as_str().unwrap()).file_name().unwrap();
            let t = log["questions"]
                .as_array()
                .unwrap()
                .iter()
                .flat_map(|q| q["takes"].as_array().unwrap().iter().map(move |t| (q, t)))
                .find(|(_, t)| t["file"].as_str() == file.to_str());
            if let Some((q, t)) = t {
                let key = (
                    id.to_string(),
                    q["id"].as_str().unwrap().to_string(),
                    t["take"].as_u64().unwrap(),
                );
                let remarks = e.get("remarks").cloned().unwrap_or(Value::Array(vec![]));
                assert_eq!(remarks, truth[&key]["remarks"], "analyze vs facts, {key:?}");
                assert_eq!(
                    e["facts"], truth[&key],
                    "analyze's facts vs the log's, {key:?}"
                );
            }
        }
        // `report`: the page and the review sheet, written from the same facts.
        let out = common::bin()
            .arg("report")
            .arg(dir)
            .arg("--recordings")
            .arg(recordings)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let md = std::fs::read_to_string(dir.join("review.md")).unwrap();
        let page = std::fs::read_to_string(dir.join("report.html")).unwrap();
        let review = from_review(&md, id);
        let shown = from_page(&page, id);
        for (key, f) in &mine {
            let want = expected(f);
            let got = &shown[*key];
            assert_eq!(got, &want, "report.html vs facts, {key:?}");
            let got = &review[*key];
            let flagged = matches!(
                f["verdict"].as_str(),
                Some("over" | "cut_off" | "under" | "no_speech")
            );
            let want_md = Seen {
                verdict: want.verdict.clone().filter(|_| flagged),
                pace: want.pace.clone().filter(|_| want.first.is_some()),
                ..want.clone()
            };
            assert_eq!(got, &want_md, "review.md vs facts, {key:?}");
            // The page's own remarks are those the log keeps.
            for r in f["remarks"].as_array().unwrap() {
                let r = r.as_str().unwrap();
                let escaped = r
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;");
                assert!(
                    page.contains(&escaped),
                    "{key:?}: remark {r:?} not on the page"
                );
                assert!(md.contains(r), "{key:?}: remark {r:?} not in review.md");
            }
        }
        let over_words = if over == 0 {
            "no take over its limit".to_string()
        } else {
            format!(
                "{over} take{} over the limit",
                if over == 1 { "" } else { "s" }
            )
        };
        assert!(
            page.contains(&over_words),
            "{id}: the page should say {over_words:?}"
        );
    }
    // The progress page: each take's point in the overall charts.
    let out = common::bin()
        .args(["report", "--progress", "--recordings"])
        .arg(recordings)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let progress =
        from_progress(&std::fs::read_to_string(recordings.join("progress.html")).unwrap());
    let mut points = 0;
    for s in sessions.as_array().unwrap() {
        let id = s["id"].as_str().unwrap();
        let folder = Path::new(s["dir"].as_str().unwrap())
            .file_name()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let log = common::session_log(Path::new(s["dir"].as_str().unwrap()));
        for (i, q) in log["questions"].as_array().unwrap().iter().enumerate() {
            for t in q["takes"].as_array().unwrap() {
                let n = t["take"].as_u64().unwrap();
                let f = &truth[&(id.to_string(), q["id"].as_str().unwrap().to_string(), n)];
                let want = expected(f);
                let got = &progress[&(folder.clone(), format!("q{}-t{n}", i + 1))];
                points += 1;
                assert_eq!(
                    got.get("duration"),
                    Some(&want.length),
                    "{id} q{} t{n}",
                    i + 1
                );
                assert_eq!(
                    got.get("first-words"),
                    want.first.as_ref(),
                    "{id} q{} t{n}",
                    i + 1
                );
                assert_eq!(got.get("pace"), want.pace.as_ref(), "{id} q{} t{n}", i + 1);
                assert_eq!(
                    got.get("fillers"),
                    want.fillers.as_ref(),
                    "{id} q{} t{n}",
                    i + 1
                );
                assert_eq!(
                    got.get("pitch-variation"),
                    want.voice.as_ref(),
                    "{id} q{} t{n}",
                    i + 1
                );
                let over = matches!(f["verdict"].as_str(), Some("over" | "cut_off"));
                assert_eq!(
                    got.get("over"),
                    Some(&over.to_string()),
                    "{id} q{} t{n}",
                    i + 1
                );
            }
        }
    }
    assert_eq!(points, truth.len());
    truth
}

#[test]
fn every_view_of_the_format_1_and_format_2_fixtures_tells_the_same_facts() {
    let dir = common::temp_dir("facts-fixtures");
    let recordings = dir.join("recordings");
    for format in ["format1", "format2"] {
        let text = std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR"))
                .join(format!("tests/fixtures/{format}/session.json")),
        )
        .unwrap();
        let log: Value = serde_json::from_str(&text).unwrap();
        let folder = recordings.join(log["id"].as_str().unwrap());
        std::fs::create_dir_all(&folder).unwrap();
        std::fs::write(folder.join("session.json"), text).unwrap();
    }
    // A drill (format 2, as a drill writes it) whose first round was cut off at its limit.
    let text = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/format2/session.json"),
    )
    .unwrap();
    let mut drill: Value = serde_json::from_str(&text).unwrap();
    drill["id"] = "2026-11-27_090000-netflix-pm".into();
    drill["started_at"] = "2026-11-27T09:00:00.000+00:00".into();
    drill["kind"] = "drill".into();
    drill["settings"]["limits"] = serde_json::json!([2.0, 1.0]);
    let mut round2 = drill["questions"][0]["takes"][0].clone();
    drill["questions"][0]["takes"][0]["cut_off"] = true.into();
    round2["take"] = 2.into();
    round2["limit_s"] = 1.0.into();
    round2["file"] = "q01-why-netflix-take2.wav".into();
    drill["questions"][0]["takes"]
        .as_array_mut()
        .unwrap()
        .push(round2);
    drill["questions"].as_array_mut().unwrap().truncate(1);
    let folder = recordings.join(drill["id"].as_str().unwrap());
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("session.json"), drill.to_string()).unwrap();

    let truth = check_every_view(&recordings);
    assert_eq!(truth.len(), 6, "{truth:#?}");
    let drilled = |n: u64| {
        &truth[&(
            "2026-11-27_090000-netflix-pm".to_string(),
            "why-netflix".to_string(),
            n,
        )]
    };
    assert_eq!(drilled(1)["verdict"], "cut_off");
    // The second round: held to 1 s of a question whose minimum is 1 s at 2 s, so 0.5 s.
    assert_eq!(drilled(2)["min_s"], 0.5);
    let why = history_entry(&recordings, "why-netflix");
    assert_eq!(why["attempts"], 2, "{why:#}");
    assert_eq!(why["drill_rounds"].as_array().unwrap().len(), 2, "{why:#}");
    assert_eq!(why["best"]["facts"]["limit_s"], 2.0, "{why:#}");
    // Not vacuous: the fixtures hold a take with speech, one without, one under its minimum.
    let verdicts: Vec<&str> = truth
        .values()
        .map(|f| f["verdict"].as_str().unwrap())
        .collect();
    assert!(
        verdicts.contains(&"no_speech") && verdicts.contains(&"under"),
        "{verdicts:?}"
    );
    assert!(truth.values().any(|f| f["pace"]["from"] == "sound"));
}

/// The answer lines a session printed, by (question index, take): length, how it ended (with
/// its verdict where the line gives one), first words and voice verdict; and the pace each
/// transcript line gave.
type Lines = BTreeMap<(usize, u64), (String, String, Option<String>, Option<String>)>;

fn answer_lines(stdout: &str) -> (Lines, BTreeMap<(usize, u64), String>) {
    let mut takes = BTreeMap::new();
    let mut paces = BTreeMap::new();
    let lines: Vec<&str> = stdout.lines().collect();
    for (i, line) in lines.iter().enumerate() {
        let Some(rest) = line.trim_start().strip_prefix("Answer ") else {
            continue;
        };
        let (q, rest) = rest.split_once(", take ").unwrap();
        let q: usize = q.parse().unwrap();
        if let Some((n, _)) = rest.split_once(", transcript: ") {
            // "    12 words, 170 wpm, 0 filler words (at least), …"
            let next = lines[i + 1].trim();
            let pace = next.split(", ").nth(1).filter(|p| p.ends_with(" wpm"));
            if let Some(pace) = pace {
                paces.insert((q, n.parse().unwrap()), pace.to_string());
            }
            continue;
        }
        let Some((n, rest)) = rest.split_once(": ") else {
            continue;
        };
        let (length, rest) = rest.split_once(", ").unwrap();
        let ending = rest.split(';').next().unwrap().to_string();
        let first = rest
            .find("first words after ")
            .map(|i| rest[i + 18..].split(',').next().unwrap().to_string());
        let voice = rest
            .split([',', ';'])
            .map(str::trim)
            .find(|p| p.starts_with("voice "))
            .map(str::to_string);
        takes.insert(
            (q, n.parse().unwrap()),
            (length.to_string(), ending, first, voice),
        );
    }
    (takes, paces)
}

/// Checks a session's printed answer lines against its facts.
fn check_answer_lines(stdout: &str, log: &Value, truth: &BTreeMap<Key, Value>) -> usize {
    let (takes, paces) = answer_lines(stdout);
    let id = log["id"].as_str().unwrap();
    let mut checked = 0;
    for ((q, n), (length, ending, first, voice)) in &takes {
        let qid = log["questions"][q - 1]["id"].as_str().unwrap().to_string();
        let f = &truth[&(id.to_string(), qid, *n)];
        let want = expected(f);
        assert_eq!(length, &want.length, "answer line {q}/{n}");
        let flagged = matches!(f["verdict"].as_str(), Some("over" | "cut_off" | "under"));
        let want_ending = match (&want.verdict, flagged) {
            (Some(v), true) => format!("{}, {v}", want.ended),
            _ => want.ended.clone(),
        };
        assert_eq!(ending, &want_ending, "answer line {q}/{n}");
        assert_eq!(first, &want.first, "answer line {q}/{n}");
        assert_eq!(voice, &want.voice, "answer line {q}/{n}");
        if let Some(pace) = paces.get(&(*q, *n)) {
            assert_eq!(Some(pace), want.pace.as_ref(), "transcript line {q}/{n}");
        }
        checked += 1;
    }
    checked
}

/// The takes of a review page as Chromium shows them (the visible text of each take's facts).
fn from_dom(chrome: &crate::report::Chrome, page: &Path, session: &str) -> BTreeMap<Key, Seen> {
    let (tab, watch) = crate::report::open(chrome, page);
    let takes = crate::report::eval(
        &tab,
        "Array.from(document.querySelectorAll('article.take')).map(a => {
            const t = s => { const e = a.querySelector(s); return e ? e.textContent : null; };
            return { q: a.dataset.question, take: a.dataset.take, length: t('.f-length'),
                     ended: t('.f-ended'), verdict: t('.f-verdict'),
                     first: t('.f-first-words'), pace: t('.f-pace'), voice: t('.f-voice'),
                     fillers: t('.f-fillers') };
        })",
    );
    assert!(
        watch.lock().unwrap().errors.is_empty(),
        "{:?}",
        watch.lock().unwrap()
    );
    let text = |v: &Value| v.as_str().map(str::to_string);
    takes
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            (
                (
                    session.to_string(),
                    t["q"].as_str().unwrap().to_string(),
                    t["take"].as_str().unwrap().parse().unwrap(),
                ),
                Seen {
                    length: text(&t["length"]).unwrap(),
                    first: text(&t["first"]).map(|f| f.trim_start_matches("after ").to_string()),
                    pace: text(&t["pace"]),
                    ended: text(&t["ended"]).unwrap(),
                    verdict: text(&t["verdict"]),
                    fillers: text(&t["fillers"]),
                    voice: text(&t["voice"]),
                },
            )
        })
        .collect()
}

/// `replay SESSION --take all`, skipping through each recording: the heading of each take
/// (length, how it ended, the verdict where it says something), checked against its facts.
fn check_replay(recordings: &Path, dir: &Path, truth: &BTreeMap<Key, Value>) -> usize {
    let log = common::session_log(dir);
    let id = log["id"].as_str().unwrap();
    let takes = truth.keys().filter(|k| k.0 == id).count();
    let mut replay = common::Running::spawn(
        common::bin()
            .arg("replay")
            .arg(dir)
            .args(["--take", "all", "--no-speak", "--recordings"])
            .arg(recordings),
    );
    for _ in 0..takes {
        replay.wait_for("Playing", std::time::Duration::from_secs(20));
        replay.send_line("n");
    }
    let (stdout, _) = replay.succeed(std::time::Duration::from_secs(20));
    let mut question = 0;
    let mut checked = 0;
    for line in stdout.lines() {
        if let Some(rest) = line.strip_prefix("Question ") {
            question = rest.split('/').next().unwrap().parse::<usize>().unwrap();
            continue;
        }
        let line = line.trim_start();
        let Some(rest) = line
            .strip_prefix("Take ")
            .or_else(|| line.strip_prefix("Round "))
        else {
            continue;
        };
        let (n, summary) = rest.split_once(": ").unwrap();
        let n: u64 = n.split(" of ").next().unwrap().parse().unwrap();
        let qid = log["questions"][question - 1]["id"]
            .as_str()
            .unwrap()
            .to_string();
        let f = &truth[&(id.to_string(), qid, n)];
        let want = expected(f);
        let flagged = matches!(f["verdict"].as_str(), Some("over" | "cut_off" | "under"));
        let mut want_summary = format!("{}, {}", want.length, want.ended);
        if flagged {
            want_summary = format!("{want_summary}, {}", want.verdict.unwrap());
        }
        assert_eq!(
            summary, want_summary,
            "replay heading, question {question} take {n}"
        );
        checked += 1;
    }
    assert_eq!(checked, takes, "{stdout}");
    checked
}

/// `play` on a take of a session introduces it by its facts.
fn check_play(dir: &Path, truth: &BTreeMap<Key, Value>) {
    let log = common::session_log(dir);
    let q = &log["questions"][0];
    let t = &q["takes"][0];
    let f = &truth[&(
        log["id"].as_str().unwrap().to_string(),
        q["id"].as_str().unwrap().to_string(),
        t["take"].as_u64().unwrap(),
    )];
    let want = expected(f);
    let mut play = common::Running::spawn(
        common::bin()
            .arg("play")
            .arg(dir.join(t["file"].as_str().unwrap())),
    );
    play.wait_for("Playing", std::time::Duration::from_secs(20));
    play.send_line("q");
    let (stdout, _) = play.succeed(std::time::Duration::from_secs(20));
    assert!(
        stdout.contains(&format!("({}, {}", want.length, want.ended)),
        "play's header should give {want:?}: {stdout}"
    );
}

#[test]
fn every_view_of_recorded_sessions_tells_the_same_facts() {
    let Some(model) = common::test_model() else {
        return;
    };
    let Some(_stack) = common::stack() else {
        return;
    };
    let Some(chrome) = crate::report::launch("facts") else {
        return;
    };
    let dir = common::temp_dir("facts-e2e");
    let recordings = dir.join("recordings");
    let phrase = common::speech_wav(
        &dir,
        "phrase",
        "We shipped the new player in six weeks and watch time grew by four percent.",
        "en-us",
    );
    // A run, transcribed, with cues: a take started by the think time running out and then
    // restarted, the new take ended by Enter; one started by Enter and held to its limit; one
    // started by speaking.
    let mut run = common::Running::spawn(
        common::bin()
            .args(["run", "--no-speak", "--think", "3", "--answer", "10"])
            .args(["--question", "why-netflix", "--question", "stay-current"])
            .args(["--question", "why-this-role", "--model"])
            .arg(&model)
            .arg("--recordings")
            .arg(&recordings),
    );
    let long = std::time::Duration::from_secs(30);
    run.feed_after(
        "Recording answer",
        long,
        std::time::Duration::from_millis(300),
        &phrase,
    );
    run.send_line("r");
    run.feed_after(
        "Recording answer",
        long,
        std::time::Duration::from_millis(300),
        &phrase,
    );
    run.send_line("");
    run.wait_for("Think time", long);
    run.send_line("");
    run.feed_after(
        "Recording answer",
        long,
        std::time::Duration::from_millis(300),
        &phrase,
    );
    run.feed_after(
        "Think time",
        long,
        std::time::Duration::from_millis(500),
        &phrase,
    );
    run.wait_for("started when you spoke", long);
    run.send_line("");
    let (stdout, _) = run.succeed(std::time::Duration::from_secs(200));
    let first_session = common::only_session(&recordings).0;

    // A drill answered by someone who talks on past each limit, stopped by Ctrl-C in its
    // second round.
    common::next_second();
    let talker = crate::rehearse::Talker::start(&dir);
    let mut drill = common::Running::spawn(
        common::bin()
            .args([
                "drill",
                "why-netflix",
                "--limits",
                "5,4",
                "--no-speak",
                "--think",
                "0",
            ])
            .arg("--recordings")
            .arg(&recordings),
    );
    drill.wait_for("Recording answer", long);
    drill.wait_for("Recording answer", long);
    std::thread::sleep(std::time::Duration::from_millis(1500));
    common::send_signal(drill.child.id(), libc::SIGINT);
    let (code, drill_out, stderr) = drill.finish(std::time::Duration::from_secs(20));
    drop(talker);
    assert_eq!(code, Some(130), "stdout:\n{drill_out}\nstderr:\n{stderr}");

    let truth = check_every_view(&recordings);
    // The session's own answer lines said the same.
    let mut lines = check_answer_lines(&stdout, &common::session_log(&first_session), &truth);
    let drill_dir = std::fs::read_dir(&recordings)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .find(|p| p.join("session.json").exists() && *p != first_session)
        .unwrap();
    lines += check_answer_lines(&drill_out, &common::session_log(&drill_dir), &truth);
    assert_eq!(lines, truth.len(), "an answer line per take");
    // `replay` and `play` introduce each take by the same facts.
    check_replay(&recordings, &first_session, &truth);
    check_replay(&recordings, &drill_dir, &truth);
    check_play(&first_session, &truth);
    // Chromium shows on each page what the facts say.
    for dir in [&first_session, &drill_dir] {
        let id = common::session_log(dir)["id"].as_str().unwrap().to_string();
        let shown = from_dom(&chrome, &dir.join("report.html"), &id);
        let mine: Vec<_> = truth.iter().filter(|(k, _)| k.0 == id).collect();
        assert_eq!(shown.len(), mine.len(), "{shown:#?}");
        for (key, f) in mine {
            assert_eq!(shown[key], expected(f), "the page in Chromium, {key:?}");
        }
    }
    // Every way a take starts and ends was there, and a transcript gave one its pace.
    let log = common::session_log(&first_session);
    let starts: Vec<&str> = log["questions"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|q| q["takes"].as_array().unwrap())
        .map(|t| t["started_by"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        ["think_time_over", "restart", "enter", "voice"],
        "{stdout}"
    );
    let ended: Vec<&str> = truth
        .values()
        .map(|f| f["ended_by"].as_str().unwrap())
        .collect();
    for e in ["repeat", "enter", "limit", "interrupt"] {
        assert!(ended.contains(&e), "no take ended by {e}: {ended:?}");
    }
    assert!(
        truth.values().any(|f| f["pace"]["from"] == "transcript"),
        "{truth:#?}"
    );
    // A take started by speaking starts with its first words.
    let voiced = &log["questions"][2]["takes"][0];
    assert_eq!(voiced["facts"]["first_words_s"], 0.0, "{voiced:#}");
    // Drill rounds are drill rounds in `history`, never attempts at the question.
    let why = history_entry(&recordings, "why-netflix");
    assert_eq!(why["attempts"], 1, "{why:#}");
    assert_eq!(why["drill_rounds"].as_array().unwrap().len(), 2, "{why:#}");
    assert_eq!(why["best"]["facts"]["limit_s"], 10.0, "{why:#}");
}
