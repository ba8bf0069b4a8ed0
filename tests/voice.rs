//! How the voice sounded, end to end: an answer whose pitch was flattened by Praat's PSOLA
//! resynthesis gets the monotone remark, the same answer as it was read does not, and the
//! review page draws each take's pitch contour with its waveform. The two answers are
//! `tests/fixtures/voice/{flat,varied}.wav`, made by `tests/fixtures/voice/make.py`.

use std::path::Path;
use std::time::Duration;

use crate::common::{self, Running};

#[test]
fn a_pitch_flattened_answer_is_monotone_and_the_same_answer_as_read_is_not() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let Some(chrome) = crate::report::launch("voice") else {
        return;
    };
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/voice");
    let dir = common::temp_dir("voice-e2e");
    let recordings = dir.join("recordings");
    let mut run = Running::spawn(&mut common::silent_run(
        &recordings,
        12,
        &["--question", "why-netflix", "--question", "stay-current"],
    ));
    for answer in ["flat.wav", "varied.wav"] {
        run.feed_after(
            "Recording answer",
            Duration::from_secs(20),
            Duration::from_millis(300),
            &fixtures.join(answer),
        );
        std::thread::sleep(Duration::from_millis(300));
        run.send_line("");
    }
    let (stdout, _) = run.succeed(Duration::from_secs(30));
    let (session, log) = common::only_session(&recordings);
    let facts = |q: usize| &log["questions"][q]["takes"][0]["facts"];
    let monotone_remark = |q: usize| {
        facts(q)["remarks"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r.as_str().unwrap().contains("monotone"))
    };
    // The flattened answer: monotone, and said so on its answer line and in its remarks.
    assert_eq!(facts(0)["voice"]["monotone"], true, "{:#}", facts(0));
    assert!(monotone_remark(0), "{:#}", facts(0));
    assert!(
        stdout.contains("voice monotone (") && stdout.contains("sounded monotone"),
        "{stdout}"
    );
    // The same words as read: varied, no remark.
    assert_eq!(facts(1)["voice"]["monotone"], false, "{:#}", facts(1));
    assert!(!monotone_remark(1), "{:#}", facts(1));
    assert!(stdout.contains("voice varied ("), "{stdout}");
    let flat = facts(0)["voice"]["pitch_sd_st"].as_f64().unwrap();
    let varied = facts(1)["voice"]["pitch_sd_st"].as_f64().unwrap();
    assert!(varied >= flat + 1.0, "varied {varied} st vs flat {flat} st");

    // The page draws each take's contour over its speech, on the waveform's axis.
    let (tab, watch) = crate::report::open(&chrome, &session.join("report.html"));
    let drawn = crate::report::eval(
        &tab,
        "Array.from(document.querySelectorAll('article.take')).map(a => {
            const p = a.querySelector('svg.wave path.pitch');
            const speech = Array.from(a.querySelectorAll('svg.wave rect.speech'))
                .map(r => [r.x.baseVal.value, r.x.baseVal.value + r.width.baseVal.value]);
            const box = p ? p.getBBox() : null;
            return { voice: a.querySelector('.f-voice')?.textContent ?? null,
                     data: a.dataset.voice ?? null,
                     from: box && box.x, to: box && box.x + box.width,
                     strokes: p ? (p.getAttribute('d').match(/M/g) || []).length : 0,
                     legend: a.querySelector('.legend .pitch')?.textContent ?? null,
                     speech };
        })",
    );
    assert!(
        watch.lock().unwrap().errors.is_empty(),
        "{:?}",
        watch.lock().unwrap()
    );
    let drawn = drawn.as_array().unwrap();
    assert_eq!(drawn.len(), 2, "{drawn:#?}");
    for (q, take) in drawn.iter().enumerate() {
        assert!(take["strokes"].as_u64().unwrap() >= 1, "{take:#}");
        assert!(take["legend"].as_str().unwrap().contains("Hz"), "{take:#}");
        // The page shows the stored verdict.
        let sd = facts(q)["voice"]["pitch_sd_st"].as_f64().unwrap();
        let word = if q == 0 { "monotone" } else { "varied" };
        let want = format!("voice {word} ({sd:.1} st)");
        assert_eq!(take["voice"], want.as_str(), "{take:#}");
        assert_eq!(take["data"], want.as_str(), "{take:#}");
        // The contour lies over the speech and spans most of it.
        let speech = take["speech"].as_array().unwrap();
        let first = speech.first().unwrap()[0].as_f64().unwrap();
        let last = speech.last().unwrap()[1].as_f64().unwrap();
        let (from, to) = (take["from"].as_f64().unwrap(), take["to"].as_f64().unwrap());
        assert!(
            from >= first - 5.0 && to <= last + 5.0 && to - from >= 0.6 * (last - first),
            "contour {from}–{to} over speech {first}–{last}: {take:#}"
        );
    }
}
