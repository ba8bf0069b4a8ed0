//! From pack text to a checked [`Pack`], in four steps that each report an exact position:
//! the TOML syntax (toml's own spans); the `format` version, before anything else, so a newer
//! pack is not blamed for keys its version allows; the shape (serde with `deny_unknown_fields`,
//! so typos are caught, the span mapped back to a field path); and the values (`Spanned`
//! fields).

//!
//! `spans` locates an error (line, column, field path) and words toml's messages; `values`
//! makes the checks serde cannot.

mod spans;
mod values;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny};
use toml::de::DeTable;
use toml::Spanned;

use self::spans::line_column;
pub(crate) use self::spans::Source;
use self::values::Checker;

use super::{file_stem, Pack, PackError, FORMAT_VERSION};

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
        Err(e) => Err(not_utf8(bytes, &e, origin)),
    }
}

/// The error for bytes that are not UTF-8, at the line and column of the first bad byte (for
/// any TOML file voicemock reads: packs and the config file).
pub(crate) fn not_utf8(bytes: &[u8], e: &std::str::Utf8Error, origin: &str) -> PackError {
    let good = &bytes[..e.valid_up_to()];
    // Valid up to here by the error's own account; lossy only to avoid a panic path.
    let text = String::from_utf8_lossy(good);
    let (line, column) = line_column(&text, text.len());
    PackError::Invalid {
        file: origin.to_string(),
        line,
        column,
        field: String::new(),
        message: format!(
            "the file is not valid UTF-8 text (byte 0x{:02x} at byte offset {}); save it as \
             UTF-8",
            bytes[e.valid_up_to()],
            e.valid_up_to()
        ),
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
pub(crate) struct Seconds(pub(crate) f64);

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

//

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

#[cfg(test)]
mod tests;

#[cfg(test)]
mod talking_points_tests;
