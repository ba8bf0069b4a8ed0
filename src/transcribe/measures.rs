//! What the words of an answer show: pace, filler words, hedging words, repeated words, "I"
//! against "we", the numbers given (and whether a result came with one, and where), and which
//! of a question's talking points were covered. Pure arithmetic on a word list; no audio, no
//! engine. Every rule reads the words through one normaliser ([`tokens`]), so fillers, hedges,
//! numbers and talking points agree on what a word is.
//!
//! Whisper was trained on text with most "um"s and "uh"s removed, so it drops many even when
//! prompted to keep them (most often an "Um," before the first word): every filler count here
//! is a lower bound, and says so.

use serde::{Deserialize, Serialize};

use super::Word;
use crate::pack::TalkingPoint;
pub use crate::record::ResultPlace;

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
/// "like" straight after these (nothing between) is the verb or a comparison ("I'd like",
/// "looks like").
const LIKE_NOT_AFTER: &[&str] = &[
    "i",
    "you",
    "we",
    "they",
    "would",
    "i'd",
    "we'd",
    "don't",
    "didn't",
    "to",
    "really",
    "not",
    "look",
    "looks",
    "looked",
    "feel",
    "feels",
    "felt",
    "seem",
    "seems",
    "sound",
    "sounds",
    "something",
    "just",
    "more",
    "less",
    "much",
];
/// A gap between two words' times at least this long sets them apart as a comma would: a
/// "like" said between two pauses is a filler written without commas. (Whisper folds some
/// silence into words, so a pause it keeps is a real one.)
pub const FILLER_PAUSE_S: f64 = 0.3;
/// Hedging words and phrases, in the order they are looked for (longest first).
const HEDGES: &[&[&str]] = &[
    &["i", "think"],
    &["i", "guess"],
    &["kind", "of"],
    &["sort", "of"],
    &["maybe"],
    &["probably"],
    &["hopefully"],
    &["just"],
];
/// "kind of" and "sort of" after these name a kind ("what kind of product"), not a hedge.
const KIND_NOUN_AFTER: &[&str] = &[
    "what",
    "which",
    "this",
    "that",
    "the",
    "a",
    "any",
    "some",
    "every",
    "each",
    "same",
    "one",
    "different",
    "another",
    "that's",
    "these",
    "those",
    "whatever",
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
/// Number words with their value: a talking point's "twenty" matches a transcript's "20".
const NUMBER_VALUES: &[(&str, f64)] = &[
    ("zero", 0.0),
    ("one", 1.0),
    ("two", 2.0),
    ("three", 3.0),
    ("four", 4.0),
    ("five", 5.0),
    ("six", 6.0),
    ("seven", 7.0),
    ("eight", 8.0),
    ("nine", 9.0),
    ("ten", 10.0),
    ("eleven", 11.0),
    ("twelve", 12.0),
    ("thirteen", 13.0),
    ("fourteen", 14.0),
    ("fifteen", 15.0),
    ("sixteen", 16.0),
    ("seventeen", 17.0),
    ("eighteen", 18.0),
    ("nineteen", 19.0),
    ("twenty", 20.0),
    ("thirty", 30.0),
    ("forty", 40.0),
    ("fifty", 50.0),
    ("sixty", 60.0),
    ("seventy", 70.0),
    ("eighty", 80.0),
    ("ninety", 90.0),
    ("hundred", 100.0),
    ("thousand", 1e3),
    ("million", 1e6),
    ("billion", 1e9),
];
/// Words that give a quantity without a value of their own.
const QUANTITY_WORDS: &[&str] = &[
    "percent",
    "dozen",
    "double",
    "doubled",
    "twice",
    "tripled",
    "half",
    "millions",
    "billions",
    "thousands",
    "hundreds",
];
/// Scale words that follow a number ("$2 million"): the money word goes after them.
const SCALES: &[&str] = &["hundred", "thousand", "million", "billion", "k", "m", "bn"];
/// Currency signs, and the word each is said as.
const CURRENCIES: &[(char, &str)] = &[('$', "dollars"), ('£', "pounds"), ('€', "euros")];
const MONEY_WORDS: &[&str] = &[
    "dollar", "dollars", "pound", "pounds", "euro", "euros", "bucks",
];
/// Words (stems, see [`stem`]) that make a sentence with a number a result: something that
/// went up or down, was saved or won.
const OUTCOME_STEMS: &[&str] = &[
    "result",
    "increas",
    "decreas",
    "grew",
    "grow",
    "rais",
    "rose",
    "cut",
    "reduc",
    "drop",
    "fell",
    "sav",
    "improv",
    "doubl",
    "tripl",
    "halv",
    "boost",
    "lift",
    "gain",
    "won",
    "win",
    "retention",
    "revenue",
    "conversion",
    "churn",
    "growth",
    "up",
    "down",
    "from",
    "by",
    "went",
    "hit",
    "reach",
    "deliver",
    "percent",
    "dollar",
    "pound",
    "euro",
];

/// A place in the answer where something was found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// The words as said (normalised: lower case, no punctuation, numbers in digits).
    pub text: String,
    pub at_s: f64,
    /// The index of its first word in the transcript's words (the page marks it there).
    #[serde(default)]
    pub word: usize,
    /// How many of the transcript's words it spans.
    #[serde(default = "one")]
    pub words: usize,
}

fn one() -> usize {
    1
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TextMeasures {
    pub words: usize,
    /// Seconds from the first word's start to the last word's end.
    pub span_s: f64,
    /// Words per minute over `span_s`.
    pub wpm: Option<f64>,
    pub fillers: Vec<Hit>,
    pub fillers_per_100_words: f64,
    /// Fillers per minute over `span_s` (as `wpm`).
    pub fillers_per_min: Option<f64>,
    /// Always true: the engine drops fillers, so the count can only be too low.
    pub fillers_are_lower_bound: bool,
    pub hedges: Vec<Hit>,
    pub hedges_per_100_words: f64,
    /// A word said twice in a row ("the the").
    pub repeats: Vec<Hit>,
    pub i_count: usize,
    pub we_count: usize,
    pub numbers: Vec<Hit>,
    pub gave_number: bool,
    /// The first number said in a sentence about an outcome (it went up, down, was saved…).
    pub result_number: Option<Hit>,
    pub result_place: ResultPlace,
}

/// Whether one talking point was covered, and by which of its words.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub point: String,
    pub covered: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub matched: Option<Hit>,
}

/// A word as every rule here sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    /// Lower case, surrounding punctuation removed, curly apostrophes straight, a number
    /// word in digits ("twenty" → "20"), "%" said as "percent", "$2" as "2" then "dollars".
    pub norm: String,
    /// [`stem`] of `norm`: "launched", "launches" and "launch" share one.
    pub stem: String,
    /// The value of a number ("5", "2,000", "twenty", "1.5").
    pub value: Option<f64>,
    /// A number, or a word that gives a quantity ("percent", "half", "doubled").
    pub quantity: bool,
    /// An amount of money: a number after a currency sign, or a money word.
    pub money: bool,
    /// Punctuation (or a pause of [`FILLER_PAUSE_S`]) sets it apart from the word before;
    /// the answer's first word is set apart too.
    pub apart_before: bool,
    /// … and from the word after; the answer's last word is too.
    pub apart_after: bool,
    pub ends_sentence: bool,
    pub at_s: f64,
    /// The transcript word it comes from.
    pub word: usize,
}

/// Light stemming, the same for a talking point's words and the transcript's: one common
/// ending taken off ("-ing", "-ed", "-es", "-s", a final "-e"; "-ies" → "-y"), then a doubled
/// last letter made single, so "launch", "launched", "launches" and "launching" all read
/// "launch", and "shipped" reads as "ship". Words of three letters or fewer stay as they are.
pub fn stem(word: &str) -> String {
    if word.chars().count() <= 3 || !word.chars().all(|c| c.is_alphabetic() || c == '\'') {
        return word.to_string();
    }
    if let Some(base) = word.strip_suffix("ies") {
        return format!("{base}y");
    }
    let mut s = word.to_string();
    for suffix in ["ing", "ed", "es", "s", "e"] {
        if let Some(base) = word.strip_suffix(suffix) {
            if base.chars().count() >= 3 && !(suffix == "s" && base.ends_with('s')) {
                s = base.to_string();
                let b = s.as_bytes();
                if suffix != "e"
                    && b.len() >= 2
                    && b[b.len() - 1] == b[b.len() - 2]
                    && !b"aeiouls".contains(&b[b.len() - 1])
                {
                    s.pop();
                }
                break;
            }
        }
    }
    s
}

fn number_value(norm: &str) -> Option<f64> {
    if let Some((_, v)) = NUMBER_VALUES.iter().find(|(w, _)| *w == norm) {
        return Some(*v);
    }
    if !norm.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let plain: String = norm.chars().filter(|&c| c != ',').collect();
    plain.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A number in digits as a talking point compares it: "20", "1.5".
fn digits(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

fn token(norm: String, word: &Word, index: usize) -> Token {
    let value = number_value(&norm);
    // A scale word keeps its name ("2 million"), and matches by its value all the same.
    let norm = match value {
        Some(v) if !SCALES.contains(&norm.as_str()) => digits(v),
        _ => norm,
    };
    Token {
        stem: stem(&norm),
        quantity: value.is_some()
            || QUANTITY_WORDS.contains(&norm.as_str())
            || norm.chars().any(|c| c.is_ascii_digit()),
        money: MONEY_WORDS.contains(&norm.as_str()),
        value,
        norm,
        apart_before: false,
        apart_after: false,
        ends_sentence: false,
        at_s: word.start_s,
        word: index,
    }
}

/// The normaliser every rule shares: the transcript's words as tokens, in order.
pub fn tokens(words: &[Word]) -> Vec<Token> {
    let mut out: Vec<Token> = Vec::new();
    // The money word of "$2 million", waiting for its scale word.
    let mut pending: Option<Token> = None;
    for (index, w) in words.iter().enumerate() {
        let gap_after = words
            .get(index + 1)
            .is_some_and(|n| n.start_s - w.end_s >= FILLER_PAUSE_S);
        let straight = w.text.replace(['\u{2019}', '\u{2018}'], "'");
        // "cold-hearted" is two words; "well-known," keeps its comma on the last part.
        let parts: Vec<&str> = straight
            .split(['-', '—', '–'])
            .filter(|p| !p.is_empty())
            .collect();
        let waiting = pending.take();
        let n = parts.len();
        for (i, part) in parts.into_iter().enumerate() {
            let keep = |c: char| c.is_alphanumeric() || matches!(c, '%' | '$' | '£' | '€');
            let trimmed = part.trim_end_matches(|c: char| !keep(c));
            let tail = &part[trimmed.len()..];
            let core = trimmed.trim_start_matches(|c: char| !keep(c));
            let currency = core
                .chars()
                .next()
                .and_then(|c| CURRENCIES.iter().find(|(sign, _)| *sign == c));
            let core = match currency {
                Some((sign, _)) => &core[sign.len_utf8()..],
                None => core,
            };
            let (core, percent) = match core.strip_suffix('%') {
                Some(c) => (c, true),
                None => (core, false),
            };
            let norm = core.to_lowercase();
            if !norm.is_empty() {
                let mut t = token(norm, w, index);
                t.money |= currency.is_some();
                out.push(t);
            }
            if percent {
                out.push(token("percent".into(), w, index));
            }
            if let Some((_, said)) = currency {
                let mut money = token((*said).into(), w, index);
                money.money = true;
                // Said after the number and its scale: "$2 million" is "2 million dollars".
                let scale_next = words.get(index + 1).is_some_and(|n| {
                    let next = n.text.trim_end_matches(|c: char| !c.is_alphanumeric());
                    SCALES.contains(&next.to_lowercase().as_str())
                });
                if scale_next {
                    pending = Some(money);
                } else {
                    out.push(money);
                }
            }
            if i + 1 == n {
                if let Some(mut money) = waiting.clone() {
                    money.word = index;
                    out.push(money);
                }
                if let Some(t) = out.last_mut().filter(|t| t.word == index) {
                    t.apart_after = gap_after || tail.contains([',', '.', '?', '!', ';', ':', ')']);
                    t.ends_sentence = tail.contains(['.', '?', '!']);
                }
            }
        }
    }
    if let Some(money) = pending {
        out.push(money);
    }
    for k in 0..out.len() {
        out[k].apart_before = k == 0 || (out[k - 1].apart_after && out[k - 1].word != out[k].word);
    }
    if let Some(last) = out.last_mut() {
        last.apart_after = true;
    }
    out
}

fn hit(toks: &[Token], from: usize, len: usize) -> Hit {
    let win = &toks[from..from + len];
    Hit {
        text: win
            .iter()
            .map(|t| t.norm.as_str())
            .collect::<Vec<_>>()
            .join(" "),
        at_s: win[0].at_s,
        word: win[0].word,
        words: win[len - 1].word - win[0].word + 1,
    }
}

/// The fillers among `toks`, by the README's rules: "um", "uh" and the like anywhere; a "so"
/// opening the answer (after any other fillers); "you know" and "I mean" set apart on both
/// sides (by punctuation or a pause, or the answer's start or end); "like" set apart on
/// either side, unless straight after a word that makes it the verb or a comparison.
fn fillers(toks: &[Token]) -> Vec<Hit> {
    let mut out = Vec::new();
    let mut i = 0;
    let is = |k: usize, w: &str| toks.get(k).is_some_and(|t| t.norm == w);
    while i < toks.len() {
        let t = &toks[i];
        let w = t.norm.as_str();
        let prev = i.checked_sub(1).map(|j| toks[j].norm.as_str());
        let opening = toks[..i]
            .iter()
            .all(|p| ALWAYS_FILLERS.contains(&p.norm.as_str()));
        let opening_so = w == "so"
            && opening
            && !toks
                .get(i + 1)
                .is_some_and(|n| SO_NOT_FILLER_BEFORE.contains(&n.norm.as_str()));
        if ALWAYS_FILLERS.contains(&w) || opening_so {
            out.push(hit(toks, i, 1));
        } else if (w == "you" && is(i + 1, "know")) || (w == "i" && is(i + 1, "mean")) {
            let question = w == "you" && prev.is_some_and(|p| YOU_KNOW_NOT_AFTER.contains(&p));
            if t.apart_before && toks[i + 1].apart_after && !question {
                out.push(hit(toks, i, 2));
                i += 2;
                continue;
            }
        } else if w == "like" {
            let attached_to = prev.filter(|_| !t.apart_before);
            let verb = attached_to.is_some_and(|p| LIKE_NOT_AFTER.contains(&p));
            if (t.apart_before || t.apart_after) && !verb {
                out.push(hit(toks, i, 1));
            }
        }
        i += 1;
    }
    out
}

/// The hedges among `toks`: "I think", "I guess", "kind of", "sort of" (not "what kind of"),
/// "maybe", "probably", "hopefully", "just".
fn hedges(toks: &[Token]) -> Vec<Hit> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let found = HEDGES.iter().find(|h| {
            h.iter()
                .enumerate()
                .all(|(k, w)| toks.get(i + k).is_some_and(|t| t.norm == *w))
        });
        match found {
            Some(h)
                if !(h[0] == "kind" || h[0] == "sort")
                    || !i
                        .checked_sub(1)
                        .is_some_and(|j| KIND_NOUN_AFTER.contains(&toks[j].norm.as_str())) =>
            {
                out.push(hit(toks, i, h.len()));
                i += h.len();
            }
            _ => i += 1,
        }
    }
    out
}

/// The first number said in a sentence about an outcome, and where in the answer it came.
fn result_number(toks: &[Token]) -> (Option<Hit>, ResultPlace) {
    let mut start = 0;
    while start < toks.len() {
        let end = toks[start..]
            .iter()
            .position(|t| t.ends_sentence)
            .map_or(toks.len(), |p| start + p + 1);
        let sentence = &toks[start..end];
        let outcome = sentence
            .iter()
            .any(|t| OUTCOME_STEMS.contains(&t.stem.as_str()));
        // "one" alone is rarely a result ("one day", "one of them").
        let number = sentence
            .iter()
            .position(|t| t.quantity && t.value != Some(1.0));
        if let (true, Some(k)) = (outcome, number) {
            let at = start + k;
            let share = at as f64 / toks.len() as f64;
            let place = if share >= 2.0 / 3.0 {
                ResultPlace::LastThird
            } else if share >= 1.0 / 3.0 {
                ResultPlace::Middle
            } else {
                ResultPlace::Opening
            };
            return (Some(hit(toks, at, 1)), place);
        }
        start = end;
    }
    (None, ResultPlace::Never)
}

/// Categories of question whose answer should end on an outcome with a number: stories of
/// what you did (behavioural) and product work. Motivation, estimation, design and closing
/// questions are not judged on it.
const RESULT_CATEGORIES: &[&str] = &[
    "behavioural",
    "behavioral",
    "leadership",
    "conflict",
    "ambiguity",
    "influence",
    "prioritisation",
    "prioritization",
    "failure",
    "product",
    "improvement",
    "metrics",
];

/// Whether a question of `category` asks for a result with a number.
pub fn asks_for_result(category: &str) -> bool {
    RESULT_CATEGORIES.contains(&category.to_lowercase().as_str())
}

/// The measures of one answer's words.
pub fn measure(words: &[Word]) -> TextMeasures {
    let toks = tokens(words);
    let n = toks.len();
    let fillers = fillers(&toks);
    let hedges = hedges(&toks);
    let repeats = (1..n)
        .filter(|&k| {
            toks[k - 1].norm == toks[k].norm
                && toks[k - 1].word != toks[k].word
                && !toks[k - 1].ends_sentence
                && !ALWAYS_FILLERS.contains(&toks[k].norm.as_str())
        })
        .map(|k| hit(&toks, k, 1))
        .collect();
    let count_of = |set: &[&str]| {
        toks.iter()
            .filter(|t| set.contains(&t.norm.as_str()))
            .count()
    };
    let numbers: Vec<Hit> = (0..n)
        .filter(|&k| toks[k].quantity && toks[k].value != Some(1.0))
        .map(|k| hit(&toks, k, 1))
        .collect();
    let span_s = match (words.first(), words.last()) {
        (Some(first), Some(last)) => round1((last.end_s - first.start_s).max(0.0)),
        _ => 0.0,
    };
    let timed = n >= 2 && span_s >= 1.0;
    let per_min = |count: usize| timed.then(|| round1(count as f64 * 60.0 / span_s));
    let per_100 = |count: usize| {
        if n == 0 {
            0.0
        } else {
            round1(count as f64 * 100.0 / n as f64)
        }
    };
    let (result_number, result_place) = result_number(&toks);
    TextMeasures {
        words: n,
        span_s,
        wpm: per_min(n),
        fillers_per_100_words: per_100(fillers.len()),
        fillers_per_min: per_min(fillers.len()),
        fillers,
        fillers_are_lower_bound: true,
        hedges_per_100_words: per_100(hedges.len()),
        hedges,
        repeats,
        i_count: count_of(FIRST_SINGULAR),
        we_count: count_of(FIRST_PLURAL),
        gave_number: !numbers.is_empty(),
        numbers,
        result_number,
        result_place,
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Which talking points the words cover. A point is covered when any of its `words` occurs:
/// an entry of several words must occur as that sequence; an entry ending in `*` matches any
/// last word that begins with the rest (`measur*`: measure, measured, measurement). Both sides
/// go through the same normaliser: case and punctuation are ignored, words compare by their
/// [`stem`] ("launch" matches "launched"), numbers by value ("twenty" matches "20"), "%" is
/// "percent" and "$2" is "2 dollars".
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
    let pattern = tokens(&entry_words);
    if pattern.is_empty() || toks.len() < pattern.len() {
        return None;
    }
    let last = pattern.len() - 1;
    let matches = |tok: &Token, k: usize| {
        let p = &pattern[k];
        if prefix && k == last {
            tok.norm.starts_with(p.norm.as_str())
        } else if let (Some(a), Some(b)) = (tok.value, p.value) {
            a == b
        } else {
            tok.norm == p.norm || tok.stem == p.stem
        }
    };
    (0..=toks.len() - pattern.len())
        .find(|&i| (0..pattern.len()).all(|k| matches(&toks[i + k], k)))
        .map(|i| hit(toks, i, pattern.len()))
}
#[cfg(test)]
mod tests {
    use super::*;

    /// Words one every 0.4 s (0.1 s apart), from a sentence; a `|` between words is a pause
    /// of 0.5 s there.
    fn said(text: &str) -> Vec<Word> {
        let mut words = Vec::new();
        let mut at = 0.0;
        for w in text.split_whitespace() {
            if w == "|" {
                at += 0.5;
                continue;
            }
            words.push(Word {
                text: w.to_string(),
                start_s: at,
                end_s: at + 0.3,
            });
            at += 0.4;
        }
        words
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
            // A leading "so" is a filler (after other fillers too); "so far" and a "so" later
            // in the answer are not.
            ("So I started with the data.", &["so"]),
            ("Um, so, I started with the data.", &["um", "so"]),
            ("So far, the data agrees.", &[]),
            ("It grew, so we hired.", &[]),
            // "you know" set apart on both sides, but not a real question.
            ("It was, you know, hard.", &["you know"]),
            ("It was hard, you know.", &["you know"]),
            ("You know, it was hard.", &["you know"]),
            ("It was | you know | hard.", &["you know"]),
            ("Do you know, the answer?", &[]),
            ("You know the metric well.", &[]),
            ("It was, you know the metric.", &[]),
            // "I mean" set apart; "I mean it" is meant.
            ("I mean, we tried.", &["i mean"]),
            ("It was, I mean, hard.", &["i mean"]),
            ("I mean it when I say that.", &[]),
            ("That's what I mean, really.", &[]),
            // "like" set apart by commas or pauses, not the verb nor a comparison.
            ("It was, like, huge.", &["like"]),
            ("It was like, huge.", &["like"]),
            ("It was, like huge.", &["like"]),
            ("We had to, like, push back.", &["like"]),
            ("It was | like | a month.", &["like"]),
            ("I would like, if possible, more time.", &[]),
            ("It looks like a bug.", &[]),
            ("It looks like, a bug.", &[]),
            ("I like the product.", &[]),
            ("I like it.", &[]),
            ("We'd like to ship it.", &[]),
            // Curly apostrophes and hyphens go through the same normaliser.
            ("It was, uh\u{2014}like, hard.", &["uh", "like"]),
            ("", &[]),
        ];
        for (text, expected) in cases {
            assert_eq!(filler_texts(text), *expected, "{text:?}");
        }
    }

    /// Issue 17's answer: 17 fillers said (4 "um", 4 "uh", 3 "you know", 4 "like", 1 "I mean",
    /// an opening "so"), transcribed with 16 of them (one "um" dropped). Every one in the
    /// transcript counts, including the "like"s set off by commas or by pauses.
    #[test]
    fn the_issue_answer_counts_every_filler_in_its_transcript() {
        let text = "So, um, I led the, uh, checkout redesign. It was, you know, a big bet. \
                    We had, like, three weeks | like | to ship it. Um, I mean, we were, uh, \
                    really stretched, you know. The team wanted to, like, push back. Uh, we \
                    talked it through, and, like, retention went up by, um, about 5%. It was, \
                    uh, hard, you know.";
        let m = measure(&said(text));
        let count = |w: &str| m.fillers.iter().filter(|h| h.text == w).count();
        assert_eq!(
            [
                count("um"),
                count("uh"),
                count("you know"),
                count("like"),
                count("i mean"),
                count("so")
            ],
            [3, 4, 3, 4, 1, 1]
        );
        assert_eq!(m.fillers.len(), 16);
        assert!(m.fillers_are_lower_bound);
        // Each filler points at its word in the transcript (the page marks it there).
        let words = said(text);
        for h in &m.fillers {
            let first = words[h.word].text.to_lowercase();
            assert!(
                first.starts_with(h.text.split(' ').next().unwrap()),
                "{h:?} at {first}"
            );
            assert_eq!(h.at_s, words[h.word].start_s);
        }
        let you_know = m.fillers.iter().find(|h| h.text == "you know").unwrap();
        assert_eq!(you_know.words, 2);
    }

    #[test]
    fn fillers_per_hundred_words_and_per_minute() {
        // 11 words over 4.3 s, 3 fillers (the "so" opens the answer after the "um").
        let m = measure(&said("Um so we uh shipped the new player to ten markets"));
        assert_eq!(m.words, 11);
        assert_eq!(m.fillers.len(), 3);
        assert_eq!(m.fillers_per_100_words, 27.3);
        assert_eq!(m.span_s, 4.3);
        assert_eq!(m.fillers_per_min, Some(41.9));
        assert!(m.fillers_are_lower_bound);
        assert_eq!(m.fillers[2].at_s, 3.0 * 0.4);
        let empty = measure(&[]);
        assert_eq!(
            (
                empty.words,
                empty.fillers_per_100_words,
                empty.wpm,
                empty.fillers_per_min
            ),
            (0, 0.0, None, None)
        );
    }

    #[test]
    fn hedges_by_rule() {
        let cases: &[(&str, &[&str])] = &[
            ("I think we should ship.", &["i think"]),
            ("Maybe it was the timing.", &["maybe"]),
            ("It was kind of slow.", &["kind of"]),
            ("It sort of worked.", &["sort of"]),
            ("I guess we could.", &["i guess"]),
            ("It will probably grow.", &["probably"]),
            ("Hopefully it ships.", &["hopefully"]),
            ("I just did it.", &["just"]),
            // Naming a kind is no hedge.
            ("What kind of product is it?", &[]),
            ("That sort of problem recurs.", &[]),
            ("We thought about it.", &[]),
            (
                "I think, maybe, we just kind of guessed.",
                &["i think", "maybe", "just", "kind of"],
            ),
        ];
        for (text, expected) in cases {
            let got: Vec<String> = measure(&said(text))
                .hedges
                .into_iter()
                .map(|h| h.text)
                .collect();
            assert_eq!(got, *expected, "{text:?}");
        }
        let m = measure(&said("I think it was maybe fine overall here now"));
        assert_eq!((m.hedges.len(), m.hedges_per_100_words), (2, 22.2));
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
    fn the_normaliser_by_rule() {
        let norms = |text: &str| -> Vec<String> {
            tokens(&said(text)).into_iter().map(|t| t.norm).collect()
        };
        let cases: &[(&str, &[&str])] = &[
            ("Retention grew 5%.", &["retention", "grew", "5", "percent"]),
            (
                "It made $2 million.",
                &["it", "made", "2", "million", "dollars"],
            ),
            (
                "It cost $300, then",
                &["it", "cost", "300", "dollars", "then"],
            ),
            ("Twenty users, twenty-five", &["20", "users", "20", "5"]),
            ("2,000 sign-ups", &["2000", "sign", "ups"]),
            ("We\u{2019}d \"LIKE\" it", &["we'd", "like", "it"]),
            ("(um) ok", &["um", "ok"]),
        ];
        for (text, expected) in cases {
            assert_eq!(norms(text), *expected, "{text:?}");
        }
        let toks = tokens(&said("It made $2 million."));
        assert!(toks[2].money && toks[2].quantity && toks[4].money);
        assert_eq!(toks[2].value, Some(2.0));
        assert!(toks[4].ends_sentence && toks[4].apart_after);
        // "to, like, push": the comma sets "like" apart on both sides.
        let toks = tokens(&said("to, like, push it"));
        assert!(toks[1].apart_before && toks[1].apart_after && !toks[2].apart_after);
    }

    #[test]
    fn stems_by_rule() {
        let cases = [
            ("launch", "launch"),
            ("launched", "launch"),
            ("launches", "launch"),
            ("launching", "launch"),
            ("shipped", "ship"),
            ("reduce", "reduc"),
            ("reduced", "reduc"),
            ("members", "member"),
            ("companies", "company"),
            ("process", "process"),
            ("was", "was"),
            ("20", "20"),
        ];
        for (word, expected) in cases {
            assert_eq!(stem(word), expected, "{word}");
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
            ("We raised $2 million.", &[], 0, 1, true),
            ("It grew twenty percent.", &[], 0, 0, true),
        ];
        for (text, repeats, i, we, number) in cases {
            let m = measure(&said(text));
            let r: Vec<_> = m.repeats.iter().map(|h| h.text.as_str()).collect();
            assert_eq!(r, *repeats, "{text:?} repeats");
            assert_eq!((m.i_count, m.we_count), (*i, *we), "{text:?} I/we");
            assert_eq!(m.gave_number, *number, "{text:?} number");
        }
    }

    #[test]
    fn a_result_with_a_number_and_where_it_comes() {
        let cases: &[(&str, Option<&str>, ResultPlace)] = &[
            (
                "I led the checkout team through a hard quarter with a new plan. \
                 Retention went up by, um, about 5%.",
                Some("5"),
                ResultPlace::LastThird,
            ),
            (
                "We cut churn by half. Then I moved to the payments team and led their \
                 planning for the year ahead of us all.",
                Some("half"),
                ResultPlace::Opening,
            ),
            (
                "I joined the team in spring. Revenue grew $2 million that year. Then I \
                 moved on to lead payments.",
                Some("2"),
                ResultPlace::Middle,
            ),
            (
                "It went up twenty percent in the end after all of our work.",
                Some("20"),
                ResultPlace::Opening,
            ),
            // Numbers that are no outcome, and an outcome without a number.
            (
                "I led a team of five for two years. We improved it a lot.",
                None,
                ResultPlace::Never,
            ),
            ("One day we shipped it.", None, ResultPlace::Never),
            ("", None, ResultPlace::Never),
        ];
        for (text, number, place) in cases {
            let m = measure(&said(text));
            assert_eq!(
                (m.result_number.map(|h| h.text).as_deref(), m.result_place),
                (*number, *place),
                "{text:?}"
            );
        }
    }

    fn point(p: &str, words: &[&str]) -> TalkingPoint {
        TalkingPoint {
            point: p.into(),
            words: words.iter().map(|w| w.to_string()).collect(),
        }
    }

    /// One rule a row: the talking point's entry, what Whisper wrote, whether it matches.
    #[test]
    fn talking_points_match_what_whisper_writes() {
        let cases: &[(&str, &str, Option<&str>)] = &[
            // "5%" is "percent".
            (
                "percent",
                "retention went up by, um, about 5%",
                Some("percent"),
            ),
            ("5 percent", "it grew 5%.", Some("5 percent")),
            ("five percent", "it grew 5%.", Some("5 percent")),
            // "$2 million" is money and a number.
            ("dollar*", "we saved $2 million", Some("dollars")),
            ("dollars", "we saved $2 million", Some("dollars")),
            ("2 million", "we saved $2 million", Some("2 million")),
            (
                "two million dollars",
                "we saved $2 million.",
                Some("2 million dollars"),
            ),
            // "twenty" is 20, both ways.
            ("twenty", "about 20 users", Some("20")),
            ("20", "about twenty users", Some("20")),
            ("1000", "over 1,000 users", Some("1000")),
            // "launched" matches "launch", and the other way about.
            ("launch", "we launched it", Some("launched")),
            ("launched", "the launch went well", Some("launch")),
            ("reduce", "we reduced churn", Some("reduced")),
            ("member", "members watched more", Some("members")),
            // A prefix, a phrase in order, case and punctuation.
            ("measur*", "I measured it", Some("measured")),
            ("a/b test", "the A/B test showed", Some("a/b test")),
            (
                "freedom and responsibility",
                "Freedom, and responsibility",
                Some("freedom and responsibility"),
            ),
            (
                "responsibility and freedom",
                "freedom and responsibility",
                None,
            ),
            ("revenue", "we made money", None),
            ("twenty", "about 2 users", None),
        ];
        for (entry, text, expected) in cases {
            let got = coverage(&said(text), &[point("p", &[entry])])
                .remove(0)
                .matched
                .map(|h| h.text);
            assert_eq!(got.as_deref(), *expected, "{entry:?} in {text:?}");
        }
    }

    #[test]
    fn the_issue_result_point_is_said() {
        let pack = crate::pack::load(Some(crate::pack::DEFAULT_PACK)).unwrap();
        let point = pack
            .questions
            .iter()
            .flat_map(|q| &q.talking_points)
            .find(|p| p.point == "The result, with a number")
            .expect("the built-in pack's result point");
        let c = coverage(
            &said("retention went up by, um, about 5%"),
            std::slice::from_ref(point),
        );
        assert!(c[0].covered, "{c:?}");
        let at = c[0].matched.as_ref().unwrap();
        assert_eq!((at.text.as_str(), at.word), ("percent", 6));
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
