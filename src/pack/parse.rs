//! From pack text to a checked [`Pack`], in four steps that each report an exact position:
//! the TOML syntax (toml's own spans); the `format` version, before anything else, so a newer
//! pack is not blamed for keys its version allows; the shape (serde with `deny_unknown_fields`,
//! so typos are caught, the span mapped back to a field path); and the values (`Spanned`
//! fields).

use std::ops::Range;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny};
use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::{
    file_stem, ChecklistPoint, FollowUp, Pack, PackError, Question, TalkingPoint, Timing,
    DEFAULT_TIMING, FORMAT_VERSION,
};

/// Longest think time or answer limit a pack (or a flag) may set: a typo guard, not a policy.
pub const MAX_SECONDS: f64 = 3600.0;

/// Shortest answer limit a pack (or `--answer`) may set: a take shorter than this records
/// nothing useful, and a limit of 1e-320 s records nothing at all.
pub const MIN_ANSWER_S: f64 = 1.0;

/// Longest question id: ids name recording files (with a prefix and a suffix), which must stay
/// well under the 255 bytes a file name may have.
pub const MAX_ID_LEN: usize = 64;

/// Parse and check a pack; `origin` (a file path, usually) names it in messages, and its file
/// stem becomes the pack's name.
pub fn parse(text: &str, origin: &str) -> Result<Pack, PackError> {
    parse_as(text, origin, origin, &file_stem(origin))
}

/// [`parse`] for the bytes of a file: text that is not UTF-8 is refused at the line and
/// column of the first bad byte.
pub fn parse_bytes(bytes: &[u8], origin: &str) -> Result<Pack, PackError> {
    match std::str::from_utf8(bytes) {
        Ok(text) => parse(text, origin),
        Err(e) => {
            let good = &bytes[..e.valid_up_to()];
            let text = std::str::from_utf8(good).expect("valid up to here");
            let (line, column) = line_column(text, text.len());
            Err(PackError::Invalid {
                file: origin.to_string(),
                line,
                column,
                field: String::new(),
                message: format!(
                    "the file is not valid UTF-8 text (byte 0x{:02x} at byte offset {}); save it \
                     as UTF-8",
                    bytes[e.valid_up_to()],
                    e.valid_up_to()
                ),
            })
        }
    }
}

/// [`parse`] with the name, the file shown in errors and `Pack::origin` chosen separately,
/// for built-in packs.
pub(super) fn parse_as(
    text: &str,
    file: &str,
    origin: &str,
    name: &str,
) -> Result<Pack, PackError> {
    // Editors hide a byte-order mark; so do we, or every column on line 1 would be off.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let src = Source { text, file };
    let root = DeTable::parse(text).map_err(|err| src.toml_error(&err, None))?;
    check_format(&src, root.get_ref())?;
    let raw = RawPack::deserialize(toml::Deserializer::from(root.clone()))
        .map_err(|err| src.toml_error(&err, Some(root.get_ref())))?;
    let mut pack = Checker { src: &src }.pack(raw, name, origin)?;
    pack.sha256 = super::sha256_hex(text.as_bytes());
    Ok(pack)
}

// ---------------------------------------------------------------------------------------------
// The file as written. Every value that is checked beyond its type carries its span.

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPack {
    /// Already checked by [`check_format`].
    #[allow(dead_code)]
    format: IgnoredAny,
    title: Spanned<String>,
    #[serde(default)]
    description: Option<Spanned<String>>,
    #[serde(default)]
    defaults: Option<RawTiming>,
    #[serde(default)]
    checklist: Vec<Spanned<RawChecklistPoint>>,
    questions: Spanned<Vec<RawQuestion>>,
}

#[derive(serde::Deserialize)]
#[serde(
    deny_unknown_fields,
    expecting = "a table of think_s, answer_s, min_s, warn_s"
)]
struct RawTiming {
    think_s: Option<Spanned<Seconds>>,
    answer_s: Option<Spanned<Seconds>>,
    min_s: Option<Spanned<Seconds>>,
    warn_s: Option<Spanned<Seconds>>,
    #[serde(default)]
    lights: Option<Spanned<Vec<Spanned<Seconds>>>>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "a question table")]
struct RawQuestion {
    id: Spanned<String>,
    category: Spanned<String>,
    text: Spanned<String>,
    #[serde(default)]
    notes: Vec<Spanned<String>>,
    #[serde(default)]
    talking_points: Vec<RawTalkingPoint>,
    think_s: Option<Spanned<Seconds>>,
    answer_s: Option<Spanned<Seconds>>,
    min_s: Option<Spanned<Seconds>>,
    warn_s: Option<Spanned<Seconds>>,
    #[serde(default)]
    lights: Option<Spanned<Vec<Spanned<Seconds>>>>,
    #[serde(default)]
    follow_ups: Vec<RawFollowUp>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "a follow-up table")]
struct RawFollowUp {
    #[serde(default)]
    id: Option<Spanned<String>>,
    text: Spanned<String>,
    think_s: Option<Spanned<Seconds>>,
    answer_s: Option<Spanned<Seconds>>,
    #[serde(default)]
    notes: Vec<Spanned<String>>,
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table of point and words")]
struct RawTalkingPoint {
    point: Spanned<String>,
    words: Spanned<Vec<Spanned<String>>>,
}

/// A checklist entry: a string (it fits every question), or a table of the point and the
/// categories of question it fits.
enum RawChecklistPoint {
    Text(String),
    Tagged(RawTaggedPoint),
}

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields, expecting = "a table of point and categories")]
struct RawTaggedPoint {
    point: String,
    categories: Spanned<Vec<Spanned<String>>>,
}

impl<'de> Deserialize<'de> for RawChecklistPoint {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl<'de> de::Visitor<'de> for Visitor {
            type Value = RawChecklistPoint;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a string, or a table of point and categories")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawChecklistPoint, E> {
                Ok(RawChecklistPoint::Text(v.to_string()))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<RawChecklistPoint, E> {
                Ok(RawChecklistPoint::Text(v))
            }
            fn visit_map<A: de::MapAccess<'de>>(
                self,
                map: A,
            ) -> Result<RawChecklistPoint, A::Error> {
                RawTaggedPoint::deserialize(de::value::MapAccessDeserializer::new(map))
                    .map(RawChecklistPoint::Tagged)
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

/// A time in seconds, written as an integer or a float. Its own type so a wrong value reads
/// "expected a number of seconds" rather than "expected f64".
#[derive(Debug, Clone, Copy)]
struct Seconds(f64);

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl de::Visitor<'_> for Visitor {
            type Value = Seconds;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a number of seconds")
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Seconds, E> {
                Ok(Seconds(v as f64))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Seconds, E> {
                Ok(Seconds(v as f64))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Seconds, E> {
                Ok(Seconds(v))
            }
            // Integers too large for 64 bits are still numbers; the range check words it.
            fn visit_i128<E: de::Error>(self, v: i128) -> Result<Seconds, E> {
                Ok(Seconds(v as f64))
            }
            fn visit_u128<E: de::Error>(self, v: u128) -> Result<Seconds, E> {
                Ok(Seconds(v as f64))
            }
        }
        deserializer.deserialize_any(Visitor)
    }
}

// ---------------------------------------------------------------------------------------------
// Positions and field paths.

struct Source<'a> {
    text: &'a str,
    file: &'a str,
}

impl Source<'_> {
    fn error(&self, span: &Range<usize>, field: &str, message: impl Into<String>) -> PackError {
        let (line, column) = line_column(self.text, span.start);
        PackError::Invalid {
            file: self.file.to_string(),
            line,
            column,
            field: field.to_string(),
            message: message.into(),
        }
    }

    /// A syntax error (no `root`) or a shape error from serde, whose span is looked up in the
    /// parsed document to name the field.
    fn toml_error(&self, err: &toml::de::Error, root: Option<&DeTable>) -> PackError {
        let Some(root) = root else {
            let message = err.message();
            if message.contains("recursion") || message.contains("recurse") {
                // toml stops without a position when keys or values nest too deeply.
                let span = err.span().unwrap_or_else(|| deepest_nesting(self.text));
                return self.error(
                    &span,
                    "",
                    "TOML syntax: keys or arrays nested too deeply (more than toml reads)",
                );
            }
            let span = err.span().unwrap_or(0..0);
            return self.error(&span, "", format!("TOML syntax: {message}"));
        };
        let span = err.span().unwrap_or(0..0);
        // An empty span is serde's "somewhere in this document": the root table.
        let mut path = if span.is_empty() {
            Vec::new()
        } else {
            path_at(root, span.start).unwrap_or_default()
        };
        let message = err.message();
        let message = if let Some(missing) = between(message, "missing field `", "`") {
            path.push(Segment::Key(missing.to_string()));
            "is missing; it is required here".to_string()
        } else if let Some(unknown) = between(message, "unknown field `", "`") {
            unknown_key_message(unknown, message)
        } else if let Some((found, expected)) = message
            .strip_prefix("invalid type: ")
            .and_then(|rest| rest.split_once(", expected "))
        {
            format!(
                "expected {}, found {}",
                plain_expected(expected),
                plain_found(found)
            )
        } else {
            message.to_string()
        };
        self.error(&span, &render_path(&path), message)
    }
}

/// 1-based line and column (in characters, as editors count) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    (
        before.matches('\n').count() + 1,
        before[line_start..].chars().count() + 1,
    )
}

#[derive(Debug, Clone, PartialEq)]
enum Segment {
    Key(String),
    Index(usize),
}

/// `questions[3].answer_s`; keys that are not bare TOML keys are quoted.
fn render_path(path: &[Segment]) -> String {
    let mut out = String::new();
    for segment in path {
        match segment {
            Segment::Index(i) => out.push_str(&format!("[{i}]")),
            Segment::Key(key) => {
                if !out.is_empty() {
                    out.push('.');
                }
                let bare = !key.is_empty()
                    && key
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
                if bare {
                    out.push_str(key);
                } else {
                    out.push_str(&format!("{key:?}"));
                }
            }
        }
    }
    out
}

/// The deepest key or array element whose key or value holds `offset`. An array of tables
/// spans only its first `[[header]]`, so children are searched before spans are trusted.
fn path_at(table: &DeTable, offset: usize) -> Option<Vec<Segment>> {
    for (key, value) in table {
        if let Some(rest) = path_in_value(value, offset) {
            let mut path = vec![Segment::Key(key.get_ref().to_string())];
            path.extend(rest);
            return Some(path);
        }
        if holds(&key.span(), offset) {
            return Some(vec![Segment::Key(key.get_ref().to_string())]);
        }
    }
    None
}

fn path_in_value(value: &Spanned<DeValue>, offset: usize) -> Option<Vec<Segment>> {
    match value.get_ref() {
        DeValue::Table(table) => {
            if let Some(path) = path_at(table, offset) {
                return Some(path);
            }
        }
        DeValue::Array(array) => {
            for (i, element) in array.iter().enumerate() {
                if let Some(rest) = path_in_value(element, offset) {
                    let mut path = vec![Segment::Index(i)];
                    path.extend(rest);
                    return Some(path);
                }
            }
        }
        _ => {}
    }
    holds(&value.span(), offset).then(Vec::new)
}

fn holds(span: &Range<usize>, offset: usize) -> bool {
    span.contains(&offset)
}

/// The text between `prefix` (at the start of `message`) and the next `end`.
fn between<'m>(message: &'m str, prefix: &str, end: &str) -> Option<&'m str> {
    let rest = message.strip_prefix(prefix)?;
    rest.split_once(end).map(|(inside, _)| inside)
}

/// serde's "unknown field `x`, expected one of `a`, `b`" as advice, with the nearest key.
fn unknown_key_message(unknown: &str, message: &str) -> String {
    let allowed: Vec<&str> = message
        .split_once(", expected")
        .map(|(_, list)| list.split('`').skip(1).step_by(2).collect())
        .unwrap_or_default();
    let nearest = allowed
        .iter()
        .map(|key| (edit_distance(unknown, key), *key))
        .filter(|(distance, key)| *distance <= 2.max(key.len() / 3))
        .min();
    let mut out = String::from("unknown key");
    if let Some((_, key)) = nearest {
        out.push_str(&format!("; did you mean `{key}`?"));
    }
    if !allowed.is_empty() {
        let list: Vec<String> = allowed.iter().map(|k| format!("`{k}`")).collect();
        out.push_str(&format!(" (allowed here: {})", list.join(", ")));
    }
    out
}

/// serde's name for what was found, in the file's words: "an array", not "sequence"; an
/// integer without the Rust type it overflowed ("as i128").
fn plain_found(found: &str) -> String {
    let found = found
        .strip_suffix(" as i128")
        .or_else(|| found.strip_suffix(" as u128"))
        .unwrap_or(found);
    match found {
        "sequence" => "an array".to_string(),
        "map" => "a table".to_string(),
        "unit" | "unit value" => "nothing".to_string(),
        other => other.to_string(),
    }
}

/// Where the nesting is deepest: the start of the line with the most dotted-key levels or
/// open brackets, for a "too deep" error that toml gives without a position.
fn deepest_nesting(text: &str) -> Range<usize> {
    let mut best = (0, 0);
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let depth = line
            .chars()
            .filter(|c| matches!(c, '.' | '[' | '{'))
            .count();
        if depth > best.0 {
            best = (depth, offset);
        }
        offset += line.len();
    }
    best.1..best.1
}

fn plain_expected(expected: &str) -> &str {
    match expected {
        "a sequence" => "an array",
        "a map" => "a table",
        other => other,
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(diagonal + 1);
        }
    }
    row[b.len()]
}

// ---------------------------------------------------------------------------------------------
// The format version, checked on the bare document before the shape is.

fn check_format(src: &Source, root: &DeTable) -> Result<(), PackError> {
    let Some((_, value)) = root.iter().find(|(key, _)| key.get_ref() == "format") else {
        return Err(src.error(
            &(0..0),
            "format",
            format!("is missing; start the pack with `format = {FORMAT_VERSION}`"),
        ));
    };
    let version = value
        .get_ref()
        .as_integer()
        .and_then(|int| i64::from_str_radix(&int.as_str().replace('_', ""), int.radix()).ok());
    match version {
        Some(v) if v == i64::from(FORMAT_VERSION) => Ok(()),
        Some(v) => Err(src.error(
            &value.span(),
            "format",
            format!(
                "unsupported format version {v}; this voicemock reads format {FORMAT_VERSION} \
                 (a newer voicemock may read it)"
            ),
        )),
        None => Err(src.error(
            &value.span(),
            "format",
            format!(
                "must be the whole number {FORMAT_VERSION}, found {}",
                value.get_ref().type_str()
            ),
        )),
    }
}

// ---------------------------------------------------------------------------------------------
// Values: the checks serde cannot make.

struct Checker<'a> {
    src: &'a Source<'a>,
}

/// One of the four times in force, and where the file set it (None: the built-in default).
/// Kept so a clash between two of them can be reported at the value the author wrote.
#[derive(Clone)]
struct Setting {
    value: f64,
    set_at: Option<(Range<usize>, String)>,
}

impl Setting {
    fn built_in(value: f64) -> Self {
        Setting {
            value,
            set_at: None,
        }
    }

    /// `questions[3].answer_s = 45 s`, or `answer_s = 120 s, the built-in default`.
    fn describe(&self, key: &str) -> String {
        match &self.set_at {
            Some((_, field)) => format!("{field} = {} s", self.value),
            None => format!("{key} = {} s, the built-in default", self.value),
        }
    }
}

#[derive(Clone)]
struct Layer {
    think: Setting,
    answer: Setting,
    min: Setting,
    warn: Setting,
}

impl Layer {
    fn timing(&self) -> Timing {
        Timing {
            think_s: self.think.value,
            answer_s: self.answer.value,
            min_s: self.min.value,
            warn_s: self.warn.value,
        }
    }
}

impl Checker<'_> {
    fn pack(&self, raw: RawPack, name: &str, origin: &str) -> Result<Pack, PackError> {
        let title = self.text(&raw.title, "title")?;
        let description = match &raw.description {
            Some(d) => {
                self.no_controls(d, "description")?;
                d.get_ref().trim().replace("\r\n", "\n")
            }
            None => String::new(),
        };

        let program = Layer {
            think: Setting::built_in(DEFAULT_TIMING.think_s),
            answer: Setting::built_in(DEFAULT_TIMING.answer_s),
            min: Setting::built_in(DEFAULT_TIMING.min_s),
            warn: Setting::built_in(DEFAULT_TIMING.warn_s),
        };
        let defaults = match &raw.defaults {
            Some(t) => self.layer(
                &program,
                "defaults.",
                [&t.think_s, &t.answer_s, &t.min_s, &t.warn_s],
            )?,
            None => program,
        };
        let default_lights = match raw.defaults.as_ref().and_then(|t| t.lights.as_ref()) {
            Some(l) => Some(self.lights(l, "defaults.lights", defaults.answer.value)?),
            None => None,
        };

        let questions_span = raw.questions.span();
        let raw_questions = raw.questions.into_inner();
        if raw_questions.is_empty() {
            return Err(self.src.error(
                &questions_span,
                "questions",
                "is empty; a pack needs at least one [[questions]] table",
            ));
        }
        let mut questions: Vec<Question> = Vec::with_capacity(raw_questions.len());
        // Each id seen, with its question's index and where it was written.
        let mut seen: std::collections::HashMap<&str, (usize, Range<usize>)> =
            std::collections::HashMap::with_capacity(raw_questions.len());
        for (i, q) in raw_questions.iter().enumerate() {
            let at = |field: &str| format!("questions[{i}].{field}");
            let id = self.id(&q.id, &at("id"))?;
            if let Some((first, first_span)) = seen.get(q.id.get_ref().as_str()) {
                let first = *first;
                let (line, _) = line_column(self.src.text, first_span.start);
                return Err(self.src.error(
                    &q.id.span(),
                    &at("id"),
                    format!(
                        "duplicate id `{id}`; questions[{first}] on line {line} already uses it"
                    ),
                ));
            }
            seen.insert(q.id.get_ref().as_str(), (i, q.id.span()));
            let layer = self.layer(
                &defaults,
                &format!("questions[{i}]."),
                [&q.think_s, &q.answer_s, &q.min_s, &q.warn_s],
            )?;
            let lights = match &q.lights {
                Some(l) => Some(self.lights(l, &at("lights"), layer.answer.value)?),
                // The pack's lights hold where they fit this question's limit.
                None => default_lights.filter(|l| l.red_s <= layer.answer.value),
            };
            let mut follow_ups = Vec::with_capacity(q.follow_ups.len());
            for (k, f) in q.follow_ups.iter().enumerate() {
                let at = |field: &str| format!("questions[{i}].follow_ups[{k}].{field}");
                let follow_id = match &f.id {
                    Some(given) => self.id(given, &at("id"))?,
                    None => format!("{id}-f{}", k + 1),
                };
                let mut timing = layer.timing();
                // A follow-up is a shorter probe: by default half the parent's time to think
                // (at most 10 s) and a third of its limit (at least 30 s, at most the parent's).
                timing.think_s = timing.think_s.min(10.0);
                timing.answer_s = (timing.answer_s / 3.0).max(30.0).min(timing.answer_s);
                if let Some(t) = &f.think_s {
                    self.seconds(t.get_ref().0, &t.span(), &at("think_s"), true)?;
                    timing.think_s = t.get_ref().0;
                }
                if let Some(a) = &f.answer_s {
                    self.seconds(a.get_ref().0, &a.span(), &at("answer_s"), false)?;
                    timing.answer_s = a.get_ref().0;
                }
                timing.min_s = timing.answer_s / 2.0;
                timing.warn_s = (timing.answer_s / 4.0).min(timing.warn_s);
                follow_ups.push(FollowUp {
                    id: follow_id,
                    text: self.text(&f.text, &at("text"))?,
                    timing,
                    notes: self.texts(&f.notes, &at("notes"))?,
                });
            }
            questions.push(Question {
                id,
                category: self.text(&q.category, &at("category"))?,
                text: self.text(&q.text, &at("text"))?,
                timing: layer.timing(),
                lights,
                notes: self.texts(&q.notes, &at("notes"))?,
                follow_ups,
                talking_points: self.talking_points(&q.talking_points, &at("talking_points"))?,
            });
        }
        let checklist = self.checklist(&raw.checklist, &questions)?;
        // A follow-up's id (given or made) names its recordings too: it must be unique.
        let mut all_ids: std::collections::HashSet<&str> =
            questions.iter().map(|q| q.id.as_str()).collect();
        for (i, q) in questions.iter().enumerate() {
            for (k, f) in q.follow_ups.iter().enumerate() {
                if !all_ids.insert(f.id.as_str()) {
                    let span = raw_questions[i].follow_ups[k]
                        .id
                        .as_ref()
                        .map_or_else(|| raw_questions[i].follow_ups[k].text.span(), |s| s.span());
                    return Err(self.src.error(
                        &span,
                        &format!("questions[{i}].follow_ups[{k}].id"),
                        format!(
                            "the follow-up's id `{}` is already used; give it an `id` of its own",
                            f.id
                        ),
                    ));
                }
            }
        }

        Ok(Pack {
            name: name.to_string(),
            title,
            description,
            origin: origin.to_string(),
            defaults: defaults.timing(),
            checklist,
            questions,
            sha256: String::new(),
        })
    }

    fn text(&self, value: &Spanned<String>, field: &str) -> Result<String, PackError> {
        self.no_controls(value, field)?;
        let text = value.get_ref().trim();
        if text.is_empty() {
            return Err(self.src.error(&value.span(), field, "must not be empty"));
        }
        Ok(text.replace("\r\n", "\n"))
    }

    fn talking_points(
        &self,
        raw: &[RawTalkingPoint],
        field: &str,
    ) -> Result<Vec<TalkingPoint>, PackError> {
        raw.iter()
            .enumerate()
            .map(|(i, tp)| {
                let at = |f: &str| format!("{field}[{i}].{f}");
                let words = self.texts(tp.words.get_ref(), &at("words"))?;
                if words.is_empty() {
                    return Err(self.src.error(
                        &tp.words.span(),
                        &at("words"),
                        "is empty; give at least one word or phrase that counts as covering the point",
                    ));
                }
                Ok(TalkingPoint {
                    point: self.text(&tp.point, &at("point"))?,
                    words,
                })
            })
            .collect()
    }

    /// The checklist, each point's categories checked against the questions' own: a category
    /// no question has is a typo that would hide the point everywhere.
    fn checklist(
        &self,
        raw: &[Spanned<RawChecklistPoint>],
        questions: &[Question],
    ) -> Result<Vec<ChecklistPoint>, PackError> {
        // Built only when a point is tagged: the questions' categories, case aside.
        let mut known: Option<std::collections::HashSet<String>> = None;
        let mut points = Vec::with_capacity(raw.len());
        for (i, entry) in raw.iter().enumerate() {
            let (text, categories, field) = match entry.get_ref() {
                RawChecklistPoint::Text(t) => (t, None, format!("checklist[{i}]")),
                RawChecklistPoint::Tagged(t) => (
                    &t.point,
                    Some(&t.categories),
                    format!("checklist[{i}].point"),
                ),
            };
            let text = self.text(&Spanned::new(entry.span(), text.clone()), &field)?;
            let mut tags = Vec::new();
            if let Some(categories) = categories {
                let field = format!("checklist[{i}].categories");
                if categories.get_ref().is_empty() {
                    return Err(self.src.error(
                        &categories.span(),
                        &field,
                        "is empty; name the categories of question the point fits, or write \
                         the point as a plain string to have it fit every question",
                    ));
                }
                for (k, c) in categories.get_ref().iter().enumerate() {
                    let at = format!("{field}[{k}]");
                    let category = self.text(c, &at)?;
                    let known = known.get_or_insert_with(|| {
                        questions
                            .iter()
                            .map(|q| q.category.to_ascii_lowercase())
                            .collect()
                    });
                    if !known.contains(&category.to_ascii_lowercase()) {
                        return Err(self.src.error(
                            &c.span(),
                            &at,
                            format!(
                                "no question has the category `{category}`; the pack's \
                                 categories are {}",
                                category_list(questions)
                            ),
                        ));
                    }
                    tags.push(category);
                }
            }
            points.push(ChecklistPoint {
                text,
                categories: tags,
            });
        }
        Ok(points)
    }

    fn texts(&self, values: &[Spanned<String>], field: &str) -> Result<Vec<String>, PackError> {
        values
            .iter()
            .enumerate()
            .map(|(i, value)| self.text(value, &format!("{field}[{i}]")))
            .collect()
    }

    /// Pack text is shown on terminals: a control character (the start of an escape sequence
    /// that can clear the screen, retitle the window or write the clipboard) is refused, and so
    /// is a character that changes how text is shown without being seen (text direction, zero
    /// width: [`crate::text::is_hidden`]), which could make a question read other than it is.
    /// Newlines (also CRLF, which `text` turns into LF) and tabs are text.
    fn no_controls(&self, value: &Spanned<String>, field: &str) -> Result<(), PackError> {
        let Some(c) = value
            .get_ref()
            .chars()
            .find(|&c| crate::text::is_unsafe(c) && c != '\r')
        else {
            return Ok(());
        };
        // Written as it is, the error points at the character itself; written as an escape
        // (TOML allows no raw control characters in strings), at the string.
        let span = value.span();
        let at = self
            .src
            .text
            .get(span.clone())
            .and_then(|raw| raw.find(c))
            .map_or(span.clone(), |offset| {
                span.start + offset..span.start + offset + c.len_utf8()
            });
        let message = if crate::text::is_hidden(c) {
            format!(
                "contains U+{:04X}, a text-direction or zero-width character that changes how \
                 the text around it is shown without being seen; pack text may not hold one \
                 (remove it)",
                u32::from(c)
            )
        } else {
            format!(
                "contains the control character U+{:04X}; pack text may not hold terminal \
                 control codes (remove it, or write it out in words)",
                u32::from(c)
            )
        };
        Err(self.src.error(&at, field, message))
    }

    /// Ids name recording files and are typed after `--question`, so they stay plain.
    fn id(&self, value: &Spanned<String>, field: &str) -> Result<String, PackError> {
        let id = value.get_ref();
        let plain = id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
        if id.is_empty() {
            return Err(self.src.error(&value.span(), field, "must not be empty"));
        }
        if id.chars().count() > MAX_ID_LEN {
            return Err(self.src.error(
                &value.span(),
                field,
                format!(
                    "is {} characters long; an id may have at most {MAX_ID_LEN} (it names files)",
                    id.chars().count()
                ),
            ));
        }
        if !plain || !id.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            return Err(self.src.error(
                &value.span(),
                field,
                format!(
                    "{id:?} is not a usable id: use lowercase letters, digits, `-` and `_`, \
                     starting with a letter or digit (it names files and is typed after --question)"
                ),
            ));
        }
        Ok(id.clone())
    }

    /// Apply the times one table sets over `base`, checking each, then the pairs they affect.
    fn layer(
        &self,
        base: &Layer,
        prefix: &str,
        [think, answer, min, warn]: [&Option<Spanned<Seconds>>; 4],
    ) -> Result<Layer, PackError> {
        let mut layer = base.clone();
        let slots = [
            (think, "think_s", &mut layer.think, true),
            (answer, "answer_s", &mut layer.answer, false),
            (min, "min_s", &mut layer.min, false),
            (warn, "warn_s", &mut layer.warn, false),
        ];
        for (given, key, slot, zero_ok) in slots {
            if let Some(given) = given {
                let field = format!("{prefix}{key}");
                let value = given.get_ref().0;
                self.seconds(value, &given.span(), &field, zero_ok)?;
                *slot = Setting {
                    value,
                    set_at: Some((given.span(), field)),
                };
            }
        }
        self.shorter_than_limit(
            &layer.min,
            "min_s",
            "the minimum length",
            &layer.answer,
            prefix,
        )?;
        self.shorter_than_limit(
            &layer.warn,
            "warn_s",
            "the warning time",
            &layer.answer,
            prefix,
        )?;
        Ok(layer)
    }

    /// `lights = [green, yellow, red]`: seconds into the answer, increasing, red within the
    /// answer limit.
    fn lights(
        &self,
        raw: &Spanned<Vec<Spanned<Seconds>>>,
        field: &str,
        limit_s: f64,
    ) -> Result<super::Lights, PackError> {
        let values = raw.get_ref();
        if values.len() != 3 {
            return Err(self.src.error(
                &raw.span(),
                field,
                format!(
                    "must be three times in seconds, [green, yellow, red]; found {}",
                    values.len()
                ),
            ));
        }
        for (k, v) in values.iter().enumerate() {
            self.seconds(v.get_ref().0, &v.span(), &format!("{field}[{k}]"), false)?;
        }
        let (g, y, r) = (
            values[0].get_ref().0,
            values[1].get_ref().0,
            values[2].get_ref().0,
        );
        if !(g < y && y < r) {
            return Err(self.src.error(
                &raw.span(),
                field,
                "must increase: green before yellow before red",
            ));
        }
        if r > limit_s {
            return Err(self.src.error(
                &values[2].span(),
                &format!("{field}[2]"),
                format!("red at {r} s comes after the answer limit ({limit_s} s), so it would never show"),
            ));
        }
        Ok(super::Lights {
            green_s: g,
            yellow_s: y,
            red_s: r,
        })
    }

    fn seconds(
        &self,
        value: f64,
        span: &Range<usize>,
        field: &str,
        zero_ok: bool,
    ) -> Result<(), PackError> {
        let problem = if !value.is_finite() {
            "must be a finite number of seconds".to_string()
        } else if zero_ok && value < 0.0 {
            "must be zero or a positive number of seconds".to_string()
        } else if !zero_ok && value <= 0.0 {
            "must be a positive number of seconds".to_string()
        } else if field.ends_with("answer_s") && value < MIN_ANSWER_S {
            format!("must be at least {MIN_ANSWER_S} second")
        } else if value > MAX_SECONDS {
            format!("must be at most {MAX_SECONDS} seconds (one hour)")
        } else {
            return Ok(());
        };
        Err(self.src.error(span, field, problem))
    }

    /// `min_s` and `warn_s` must be below `answer_s`. The layer below was already checked, so
    /// a clash involves a value this table (`prefix`) set; it is reported there, at the answer
    /// limit if this table set that.
    fn shorter_than_limit(
        &self,
        part: &Setting,
        key: &str,
        what: &str,
        limit: &Setting,
        prefix: &str,
    ) -> Result<(), PackError> {
        if part.value < limit.value {
            return Ok(());
        }
        let message = format!(
            "{what} ({}) must be shorter than the answer limit ({})",
            part.describe(key),
            limit.describe("answer_s"),
        );
        let here = [limit, part]
            .into_iter()
            .filter_map(|setting| setting.set_at.as_ref())
            .find(|(_, field)| field.starts_with(prefix));
        let (span, field) = match here {
            Some((span, field)) => (span.clone(), field.clone()),
            // Unreachable while the layer below is checked first; stay useful regardless.
            None => (0..0, format!("{prefix}{key}")),
        };
        Err(self.src.error(&span, &field, message))
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod talking_points_tests;

/// The questions' categories in pack order, each once (the first dozen), for a message.
fn category_list(questions: &[Question]) -> String {
    let mut seen = std::collections::HashSet::new();
    let mut names: Vec<&str> = Vec::new();
    for q in questions {
        if seen.insert(q.category.to_ascii_lowercase()) {
            names.push(&q.category);
        }
    }
    let more = names.len().saturating_sub(12);
    names.truncate(12);
    let mut list = names.join(", ");
    if more > 0 {
        list.push_str(&format!(" and {more} more"));
    }
    list
}
