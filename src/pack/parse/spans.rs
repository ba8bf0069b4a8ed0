//! Where an error is: a byte of the TOML text as a line and column, the field path it falls
//! in, and toml's and serde's messages in plain words.

use std::ops::Range;

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use super::PackError;

/// A TOML text and the file it came from, to point at a byte of it. Shared with the config
/// file (`crate::config`), whose errors are located the same way as a pack's.
pub(crate) struct Source<'a> {
    pub(crate) text: &'a str,
    pub(crate) file: &'a str,
}

impl Source<'_> {
    pub(crate) fn error(
        &self,
        span: &Range<usize>,
        field: &str,
        message: impl Into<String>,
    ) -> PackError {
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
    pub(crate) fn toml_error(&self, err: &toml::de::Error, root: Option<&DeTable>) -> PackError {
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
pub(super) fn line_column(text: &str, offset: usize) -> (usize, usize) {
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
pub(super) enum Segment {
    Key(String),
    Index(usize),
}

/// `questions[3].answer_s`; keys that are not bare TOML keys are quoted.
pub(super) fn render_path(path: &[Segment]) -> String {
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
pub(super) fn path_at(table: &DeTable, offset: usize) -> Option<Vec<Segment>> {
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

pub(super) fn path_in_value(value: &Spanned<DeValue>, offset: usize) -> Option<Vec<Segment>> {
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

pub(super) fn holds(span: &Range<usize>, offset: usize) -> bool {
    span.contains(&offset)
}

/// The text between `prefix` (at the start of `message`) and the next `end`.
pub(super) fn between<'m>(message: &'m str, prefix: &str, end: &str) -> Option<&'m str> {
    let rest = message.strip_prefix(prefix)?;
    rest.split_once(end).map(|(inside, _)| inside)
}

/// serde's "unknown field `x`, expected one of `a`, `b`" as advice, with the nearest key.
pub(super) fn unknown_key_message(unknown: &str, message: &str) -> String {
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
pub(super) fn plain_found(found: &str) -> String {
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
pub(super) fn deepest_nesting(text: &str) -> Range<usize> {
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

pub(super) fn plain_expected(expected: &str) -> &str {
    match expected {
        "a sequence" => "an array",
        "a map" => "a table",
        other => other,
    }
}

pub(super) fn edit_distance(a: &str, b: &str) -> usize {
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
