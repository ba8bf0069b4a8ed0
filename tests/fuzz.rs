//! Pack parsing under a few thousand mutated packs: no panic, no allocation beyond a stated
//! cap, every refusal with a real line and column and no raw control character, and nothing
//! accepted that the checks should have refused. Seeded, so a failure repeats.

use voicemock::pack::{self, PackError, MAX_ID_LEN, MIN_ANSWER_S};

use crate::common::alloc::peak_of;

/// The cap: a fixed allowance plus a multiple of the input. Parsing builds a tree of the
/// document (spans, keys, values) and then the pack, each a small multiple of the text.
fn cap(input_len: usize) -> usize {
    1024 * 1024 + 32 * input_len
}

const CASES: usize = 5000;

const BUILT_IN: &str = include_str!("../content/netflix-pm.toml");

const SMALL: &str = r#"format = 1
title = "Small"
description = """Two
lines"""
checklist = ["One?", { point = "Two?", categories = ["c", "D"] }]

[defaults]
think_s = 10
answer_s = 60
min_s = 20
warn_s = 10

[[questions]]
id = "first"
category = "c"
text = "Why?"
notes = ["a", "b"]

[[questions]]
id = "second"
category = "d"
text = "How?"
answer_s = 30
min_s = 5
"#;

const TOKENS: &[&str] = &[
    "\"",
    "'",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "=",
    ".",
    ",",
    "#",
    "\n",
    "\r\n",
    "\t",
    " ",
    "\"\"\"",
    "'''",
    "99999999999999999999999",
    "-99999999999999999999999",
    "1e-320",
    "1e300",
    "nan",
    "inf",
    "-1",
    "0",
    "0x7fffffff",
    "1979-05-27T07:32:00Z",
    "true",
    "\\u001b[2J",
    "\\u009b",
    "\\u0007",
    "\\ud800",
    "a.b.c.d.e.f",
    "[[questions]]\n",
    "[defaults]\n",
    "id = \"x\"\n",
    "format = 2\n",
    "answer_s = ",
    "\u{feff}",
    "\u{202e}",
    "é",
    "\0",
    "\x1b",
];

fn mutate(rng: &mut fastrand::Rng, base: &[u8]) -> Vec<u8> {
    let mut bytes = base.to_vec();
    for _ in 0..rng.usize(1..=4) {
        let at = rng.usize(..=bytes.len());
        match rng.u8(..6) {
            0 if !bytes.is_empty() => {
                let i = rng.usize(..bytes.len());
                bytes[i] = rng.u8(..);
            }
            1 | 2 => {
                let token = TOKENS[rng.usize(..TOKENS.len())].as_bytes();
                bytes.splice(at..at, token.iter().copied());
            }
            3 => {
                let end = (at + rng.usize(..64)).min(bytes.len());
                bytes.drain(at..end);
            }
            4 => {
                let end = (at + rng.usize(..200)).min(bytes.len());
                let piece = bytes[at..end].to_vec();
                for _ in 0..rng.usize(1..20) {
                    bytes.splice(at..at, piece.iter().copied());
                }
            }
            _ => {
                let deep = match rng.u8(..3) {
                    0 => vec!["k"; rng.usize(1..400)].join("."),
                    1 => "[".repeat(rng.usize(1..400)),
                    _ => "{a=".repeat(rng.usize(1..200)),
                };
                bytes.splice(at..at, deep.into_bytes());
            }
        }
    }
    bytes
}

#[test]
fn mutated_packs_never_panic_stay_within_the_allocation_cap_and_name_a_line() {
    let mut rng = fastrand::Rng::with_seed(0x00c0_ffee);
    let started = std::time::Instant::now();
    let (mut accepted, mut refused, mut worst) = (0, 0, 0.0f64);
    for case in 0..CASES {
        let base = if case % 10 == 0 { BUILT_IN } else { SMALL };
        let bytes = mutate(&mut rng, base.as_bytes());
        let lines = bytes.iter().filter(|&&b| b == b'\n').count() + 1;
        let shown = || String::from_utf8_lossy(&bytes[..bytes.len().min(300)]).into_owned();
        let (result, peak) =
            peak_of(|| std::panic::catch_unwind(|| pack::parse_bytes(&bytes, "content/fuzz.toml")));
        let result = result.unwrap_or_else(|_| panic!("case {case} panicked:\n{}", shown()));
        assert!(
            peak <= cap(bytes.len()),
            "case {case}: {peak} bytes held for a {}-byte pack:\n{}",
            bytes.len(),
            shown()
        );
        worst = worst.max(peak as f64 / cap(bytes.len()) as f64);
        match result {
            Ok(pack) => {
                accepted += 1;
                let texts = std::iter::once(&pack.title)
                    .chain(std::iter::once(&pack.description))
                    .chain(
                        pack.checklist
                            .iter()
                            .flat_map(|p| std::iter::once(&p.text).chain(&p.categories)),
                    )
                    .chain(
                        pack.questions
                            .iter()
                            .flat_map(|q| [&q.text, &q.category].into_iter().chain(&q.notes)),
                    );
                for text in texts {
                    assert!(
                        !text
                            .chars()
                            .any(|c| c.is_control() && !matches!(c, '\n' | '\t' | '\r')),
                        "case {case}: accepted a control character in {text:?}"
                    );
                }
                for q in &pack.questions {
                    assert!(q.id.len() <= MAX_ID_LEN, "case {case}: id {:?}", q.id);
                    assert!(q.timing.answer_s >= MIN_ANSWER_S, "case {case}: {q:?}");
                }
            }
            Err(PackError::Invalid {
                line,
                column,
                message,
                field,
                ..
            }) => {
                refused += 1;
                assert!(
                    line >= 1 && line <= lines && column >= 1,
                    "case {case}: {line}:{column} in a {lines}-line pack ({message}):\n{}",
                    shown()
                );
                assert!(
                    !message.chars().chain(field.chars()).any(char::is_control),
                    "case {case}: a raw control character in {field:?}: {message:?}"
                );
                for leak in ["as i128", "as u128", "sequence", "found map"] {
                    assert!(
                        !message.contains(leak),
                        "case {case}: serde's wording: {message}"
                    );
                }
            }
            Err(other) => panic!("case {case}: not a pack error with a position: {other:?}"),
        }
    }
    eprintln!(
        "{CASES} mutated packs: {accepted} accepted, {refused} refused, in {:.1} s; the most \
         memory held was {:.0}% of the cap",
        started.elapsed().as_secs_f64(),
        worst * 100.0
    );
    assert!(
        accepted > 0 && refused > 0,
        "the mutations exercise both paths"
    );
}
