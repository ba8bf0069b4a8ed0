//! `voicemock analyze` on a take recorded through the virtual microphone.

use std::time::Duration;

use serde_json::Value;

use crate::common::{self, Running};

#[test]
fn analyze_finds_the_pause_left_in_a_recorded_answer() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("analyze-pause");
    let recordings = dir.join("recordings");
    let first = common::speech_wav(
        &dir,
        "first",
        "I started by looking at the numbers.",
        "en-us",
    );
    let second = common::speech_wav(&dir, "second", "Then I talked to the customers.", "en-us");
    let answer = common::join_with_gap(&dir, "answer", &first, &second, 1.5);

    let mut run = Running::spawn(&mut common::silent_run(&recordings, 20, &["--count", "1"]));
    run.feed_after(
        "Recording answer",
        Duration::from_secs(20),
        Duration::from_millis(500),
        &answer,
    );
    std::thread::sleep(Duration::from_millis(500));
    run.send_line("");
    run.succeed(Duration::from_secs(20));
    let (session, _) = common::only_session(&recordings);

    let out = common::bin()
        .args(["analyze", "--json"])
        .arg(&session)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let json: Value = serde_json::from_slice(&out.stdout).unwrap();
    let text = json.to_string();
    let pauses: Vec<(f64, f64)> = find_pauses(&json);
    let long: Vec<_> = pauses
        .iter()
        .filter(|(s, e)| (e - s - 1.5).abs() <= 0.15)
        .collect();
    assert_eq!(
        long.len(),
        1,
        "expected one ~1.5 s pause, got {pauses:?} in {text}"
    );
    // The pause sits after the first phrase, which started about 0.5 s into the answer.
    let (first_fed, rate) = common::read_wav(&first);
    let first_len = first_fed.len() as f64 / f64::from(rate);
    assert!(long[0].0 > first_len * 0.5, "pause at {:?}", long[0]);
}

/// Every `{start_s, end_s}` in the JSON, wherever it sits.
fn find_pauses(v: &Value) -> Vec<(f64, f64)> {
    let mut out = Vec::new();
    match v {
        Value::Object(map) => {
            if let Some(Value::Array(ps)) = map.get("pauses") {
                for p in ps {
                    if let (Some(s), Some(e)) = (p["start_s"].as_f64(), p["end_s"].as_f64()) {
                        out.push((s, e));
                    }
                }
            }
            for (k, x) in map {
                if k != "pauses" {
                    out.extend(find_pauses(x));
                }
            }
        }
        Value::Array(xs) => xs.iter().for_each(|x| out.extend(find_pauses(x))),
        _ => {}
    }
    out
}
