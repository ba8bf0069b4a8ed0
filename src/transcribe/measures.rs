//! What the words of an answer show: pace, filler words, repeated words, "I" against "we",
//! whether a number was given, and which of a question's talking points were covered. Pure
//! arithmetic on a word list; no audio, no engine.
//!
//! Whisper was trained on text with most "um"s and "uh"s removed, so it drops many even when
//! prompted to keep them: every filler count here is a lower bound.

use serde::{Deserialize, Serialize};

use super::Word;
use crate::pack::TalkingPoint;

/// Words that are fillers wherever they occur.
const ALWAYS_FILLERS: &[&str] = &[
    "um",
    "umm",
    "uh",
    "uhh",
    "er",
    "erm",
    "hmm",
    "hm",
    "ah",
    "basically",
];
/// "So" opening the answer is a filler unless one of these follows ("so far, …").
const SO_NOT_FILLER_BEFORE: &[&str] = &["far", "much", "many", "that"];
/// "you know" after these is a question or a clause ("do you know", "if you know").
const YOU_KNOW_NOT_AFTER: &[&str] = &["do", "did", "don't", "if", "whether", "as", "what"];
/// "like" after these is the verb ("I'd like", "would like").
const LIKE_VERB_AFTER: &[&str] = &[
    "i", "you", "we", "they", "would", "i'd", "we'd", "don't", "didn't", "to", "really", "not",
];
const FIRST_SINGULAR: &[&str] = &[
    "i", "i'm", "i've", "i'd", "i'll", "me", "my", "mine", "myself",
];
const FIRST_PLURAL: &[&str] = &[
    "we",
    "we're",
    "we've",
    "we'd",
    "we'll",
    "us",
    "our",
    "ours",
    "ourselves",
];
/// Number words that give a quantity ("one" is left out: "one day", "one of them").
const NUMBER_WORDS: &[&str] = &[
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
    "twenty",
    "thirty",
    "forty",
    "fifty",
    "sixty",
    "seventy",
    "eighty",
    "ninety",
    "hundred",
    "thousand",
    "million",
    "millions",
    "billion",
    "billions",
    "percent",
    "dozen",
    "double",
    "doubled",
    "twice",
    "tripled",
    "half",
];

/// A place in the answer where something was found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// The words as said (normalised: lower case, no punctuation).
    pub text: String,
    pub at_s: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextMeasures {
    pub words: usize,
    /// Words per minute between the first word's start and the last word's end.
    pub wpm: Option<f64>,
    pub fillers: Vec<Hit>,
    pub fillers_per_100_words: f64,
    /// Always true: the engine drops fillers, so the count can only be too low.
    pub fillers_are_lower_bound: bool,
    /// A word said twice in a row ("the the").
    pub repeats: Vec<Hit>,
    pub i_count: usize,
    pub we_count: usize,
    pub numbers: Vec<Hit>,
    pub gave_number: bool,
}

/// Whether one talking point was covered, and by which of its words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub point: String,
    pub covered: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<Hit>,
}

/// A word as the rules see it: lower case, surrounding punctuation removed, curly apostrophes
/// made straight; and whether punctuation closed it (a comma, a full stop…).
#[derive(Debug, Clone)]
struct Token {
    norm: String,
    closes_clause: bool,
    ends_sentence: bool,
    at_s: f64,
    has_digit: bool,
}

fn tokens(words: &[Word]) -> Vec<Token> {
    words
        .iter()
        .flat_map(|w| {
            // "cold-hearted" is two words; "well-known," keeps its comma on the last part.
            let parts: Vec<&str> = w.text.split(['-', '—']).filter(|p| !p.is_empty()).collect();
            let n = parts.len();
            parts
                .into_iter()
                .enumerate()
                .map(move |(i, part)| {
                    let straight = part.replace(['\u{2019}', '\u{2018}'], "'");
                    let trimmed = straight.trim_end_matches(|c: char| !c.is_alphanumeric());
                    let tail = &straight[trimmed.len()..];
                    let last = i + 1 == n;
                    let norm = trimmed
                        .trim_start_matches(|c: char| !c.is_alphanumeric())
                        .to_lowercase();
                    Token {
                        has_digit: norm.chars().any(|c| c.is_ascii_digit()),
                        norm,
                        closes_clause: last && tail.contains([',', '.', '?', '!', ';', ':']),
                        ends_sentence: last && tail.contains(['.', '?', '!']),
                        at_s: w.start_s,
                    }
                })
                .collect::<Vec<_>>()
        })
        .filter(|t| !t.norm.is_empty())
        .collect()
}

/// The measures of one answer's words.
pub fn measure(words: &[Word]) -> TextMeasures {
    let toks = tokens(words);
    let n = toks.len();
    let hit = |t: &Token, text: &str| Hit {
        text: text.to_string(),
        at_s: t.at_s,
    };
    let prev = |i: usize| i.checked_sub(1).map(|j| &toks[j]);

    let mut fillers = Vec::new();
    let mut i = 0;
    while i < n {
        let t = &toks[i];
        let next = toks.get(i + 1);
        let w = t.norm.as_str();
        if ALWAYS_FILLERS.contains(&w) {
            fillers.push(hit(t, w));
        } else if w == "so"
            && i == 0
            && !next.is_some_and(|n| SO_NOT_FILLER_BEFORE.contains(&n.norm.as_str()))
        {
            fillers.push(hit(t, "so"));
        } else if w == "you"
            && next.is_some_and(|n| n.norm == "know" && n.closes_clause)
            && !prev(i).is_some_and(|p| YOU_KNOW_NOT_AFTER.contains(&p.norm.as_str()))
        {
            fillers.push(hit(t, "you know"));
            i += 2;
            continue;
        } else if w == "i" && next.is_some_and(|n| n.norm == "mean" && n.closes_clause) {
            fillers.push(hit(t, "i mean"));
            i += 2;
            continue;
        } else if w == "like" {
            let before = prev(i);
            let set_off = t.closes_clause || before.is_some_and(|p| p.closes_clause);
            let verb = before.is_some_and(|p| LIKE_VERB_AFTER.contains(&p.norm.as_str()));
            if set_off && !verb {
                fillers.push(hit(t, "like"));
            }
        }
        i += 1;
    }

    let repeats = toks
        .windows(2)
        .filter(|p| {
            p[0].norm == p[1].norm
                && !p[0].ends_sentence
                && !ALWAYS_FILLERS.contains(&p[0].norm.as_str())
        })
        .map(|p| hit(&p[1], &p[1].norm))
        .collect();
    let count_of = |set: &[&str]| {
        toks.iter()
            .filter(|t| set.contains(&t.norm.as_str()))
            .count()
    };
    let numbers: Vec<Hit> = toks
        .iter()
        .filter(|t| t.has_digit || NUMBER_WORDS.contains(&t.norm.as_str()))
        .map(|t| hit(t, &t.norm))
        .collect();
    let wpm = match (words.first(), words.last()) {
        (Some(first), Some(last)) if n >= 2 && last.end_s - first.start_s >= 1.0 => {
            Some(round1(n as f64 * 60.0 / (last.end_s - first.start_s)))
        }
        _ => None,
    };
    TextMeasures {
        words: n,
        wpm,
        fillers_per_100_words: if n == 0 {
            0.0
        } else {
            round1(fillers.len() as f64 * 100.0 / n as f64)
        },
        fillers,
        fillers_are_lower_bound: true,
        repeats,
        i_count: count_of(FIRST_SINGULAR),
        we_count: count_of(FIRST_PLURAL),
        gave_number: !numbers.is_empty(),
        numbers,
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Which talking points the words cover. A point is covered when any of its `words` occurs:
/// an entry of several words must occur as that sequence; an entry ending in `*` matches any
/// last word that begins with the rest (`measur*`: measure, measured, measurement). Case and
/// punctuation are ignored.
pub fn coverage(words: &[Word], points: &[TalkingPoint]) -> Vec<Coverage> {
    let toks = tokens(words);
    points
        .iter()
        .map(|p| {
            let matched = p.words.iter().find_map(|entry| find_phrase(&toks, entry));
            Coverage {
                point: p.point.clone(),
                covered: matched.is_some(),
                matched,
            }
        })
        .collect()
}

fn find_phrase(toks: &[Token], entry: &str) -> Option<Hit> {
    let prefix = entry.trim_end().ends_with('*');
    let entry_words: Vec<Word> = entry
        .trim_end()
        .trim_end_matches('*')
        .split_whitespace()
        .map(|w| Word {
            text: w.to_string(),
            start_s: 0.0,
            end_s: 0.0,
        })
        .collect();
    let pattern: Vec<String> = tokens(&entry_words).into_iter().map(|t| t.norm).collect();
    if pattern.is_empty() || toks.len() < pattern.len() {
        return None;
    }
    let last = pattern.len() - 1;
    let matches = |tok: &Token, k: usize| {
        if prefix && k == last {
            tok.norm.starts_with(pattern[k].as_str())
        } else {
            tok.norm == pattern[k]
        }
    };
    toks.windows(pattern.len())
        .find(|win| win.iter().enumerate().all(|(k, t)| matches(t, k)))
        .map(|win| Hit {
            text: win
                .iter()
                .map(|t| t.norm.as_str())
                .collect::<Vec<_>>()
                .join(" "),
            at_s: win[0].at_s,
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Words one every 0.4 s, from a sentence.
    fn said(text: &str) -> Vec<Word> {
        text.split_whitespace()
            .enumerate()
            .map(|(i, w)| Word {
                text: w.to_string(),
                start_s: i as f64 * 0.4,
                end_s: i as f64 * 0.4 + 0.3,
            })
            .collect()
    }

    fn filler_texts(text: &str) -> Vec<String> {
        measure(&said(text))
            .fillers
            .into_iter()
            .map(|h| h.text)
            .collect()
    }

    #[test]
    fn fillers_by_rule() {
        let cases: &[(&str, &[&str])] = &[
            ("Um, I led the launch.", &["um"]),
            (
                "We, uh, shipped it. Hmm, then er it grew.",
                &["uh", "hmm", "er"],
            ),
            ("It was basically done.", &["basically"]),
            // A leading "so" is a filler; "so far" and a "so" later in the answer are not.
            ("So I started with the data.", &["so"]),
            ("So far, the data agrees.", &[]),
            ("It grew, so we hired.", &[]),
            // "you know" set off by punctuation, but not a real question.
            ("It was, you know, hard.", &["you know"]),
            ("It was hard, you know.", &["you know"]),
            ("Do you know, the answer?", &[]),
            ("You know the metric well.", &[]),
            // "I mean" opening a clause; "I mean it" is meant.
            ("I mean, we tried.", &["i mean"]),
            ("I mean it when I say that.", &[]),
            // "like" set off by commas, not the verb nor a comparison.
            ("It was, like, huge.", &["like"]),
            ("It was like, huge.", &["like"]),
            ("I would like, if possible, more time.", &[]),
            ("It looks like a bug.", &[]),
            ("I like the product.", &[]),
            ("", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(filler_texts(text), *expected, "{text:?}");
        }
    }

    #[test]
    fn fillers_per_hundred_words_and_lower_bound() {
        let m = measure(&said("Um so we uh shipped the new player to ten markets"));
        assert_eq!(m.words, 11);
        assert_eq!(m.fillers.len(), 2);
        assert_eq!(m.fillers_per_100_words, 18.2);
        assert!(m.fillers_are_lower_bound);
        assert_eq!(m.fillers[1].at_s, 3.0 * 0.4);
        let empty = measure(&[]);
        assert_eq!(
            (empty.words, empty.fillers_per_100_words, empty.wpm),
            (0, 0.0, None)
        );
    }

    #[test]
    fn pace_from_word_times() {
        let cases = [
            // (words, seconds apart, expected wpm)
            (3, 0.4, Some(163.6)),  // 3 words over 1.1 s
            (11, 0.5, Some(124.5)), // 11 words over 5.3 s
            (1, 0.5, None),
            (2, 0.2, None), // under a second: too short to say
        ];
        for (n, gap, expected) in cases {
            let words: Vec<Word> = (0..n)
                .map(|i| Word {
                    text: "word".into(),
                    start_s: i as f64 * gap,
                    end_s: i as f64 * gap + 0.3,
                })
                .collect();
            assert_eq!(measure(&words).wpm, expected, "{n} words {gap} s apart");
        }
    }

    #[test]
    fn repeats_i_and_we_and_numbers() {
        let cases: &[(&str, &[&str], usize, usize, bool)] = &[
            (
                "I I led the the team and we won.",
                &["i", "the"],
                2,
                1,
                false,
            ),
            ("We grew revenue 12% in Q3.", &[], 0, 1, true),
            ("My team and I cut churn by half.", &[], 2, 0, true),
            (
                "Our users told us that. That, that was it.",
                &["that"],
                0,
                2,
                false,
            ),
            (
                "It took one day, uh uh, and we shipped it.",
                &[],
                0,
                1,
                false,
            ),
            ("We doubled sign-ups in two weeks.", &[], 0, 1, true),
        ];
        for (text, repeats, i, we, number) in cases {
            let m = measure(&said(text));
            let r: Vec<_> = m.repeats.iter().map(|h| h.text.as_str()).collect();
            assert_eq!(r, *repeats, "{text:?} repeats");
            assert_eq!((m.i_count, m.we_count), (*i, *we), "{text:?} I/we");
            assert_eq!(m.gave_number, *number, "{text:?} number");
        }
    }

    fn point(p: &str, words: &[&str]) -> TalkingPoint {
        TalkingPoint {
            point: p.into(),
            words: words.iter().map(|w| w.to_string()).collect(),
        }
    }

    #[test]
    fn talking_points_by_word_phrase_and_prefix() {
        let words = said("I measured retention, and the A/B test showed members watched more. Freedom and responsibility matter.");
        let points = [
            point("metric", &["measur*"]),
            point("experiment", &["a/b test", "experiment*"]),
            point("culture", &["freedom and responsibility"]),
            point("culture, reversed", &["responsibility and freedom"]),
            point("revenue", &["revenue", "money"]),
            point("members", &["member"]), // a whole word: "members" is not "member"
        ];
        let got: Vec<(bool, Option<String>)> = coverage(&words, &points)
            .into_iter()
            .map(|c| (c.covered, c.matched.map(|h| h.text)))
            .collect();
        assert_eq!(
            got,
            vec![
                (true, Some("measured".into())),
                (true, Some("a/b test".into())),
                (true, Some("freedom and responsibility".into())),
                (false, None),
                (false, None),
                (false, None),
            ]
        );
        let at = coverage(&words, &points[..1])[0]
            .matched
            .clone()
            .unwrap()
            .at_s;
        assert_eq!(at, 0.4);
    }

    #[test]
    fn a_sample_answer_against_the_netflix_pack() {
        let pack = crate::pack::load(Some(crate::pack::DEFAULT_PACK)).unwrap();
        let q = pack.question("why-netflix").unwrap();
        let answer = said(
            "I love how Netflix personalizes the home page. In my last role I built a \
             recommendation service, and I'd like to bring that to help members find shows.",
        );
        let flags: Vec<bool> = coverage(&answer, &q.talking_points)
            .iter()
            .map(|c| c.covered)
            .collect();
        // Netflix in particular, own path, the business (members), a contribution (bring).
        assert_eq!(flags, [true, true, true, true]);
        let silent = coverage(&said("I like movies."), &q.talking_points);
        assert!(silent.iter().all(|c| !c.covered));
    }
}
