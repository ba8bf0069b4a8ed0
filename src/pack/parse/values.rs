//! The values: the checks serde cannot make (texts, ids, times and how they layer from the
//! built-in defaults through the pack's to each question, lights, talking points and the
//! checklist), each reported at the value the author wrote.

use std::ops::Range;

use toml::Spanned;

use super::spans::{line_column, Source};
use super::{
    RawChecklistPoint, RawFollowUp, RawPack, RawQuestion, RawTalkingPoint, Seconds, MAX_ID_LEN,
    MAX_SECONDS, MIN_ANSWER_S,
};
use crate::pack::{
    ChecklistPoint, FollowUp, Lights, Pack, PackError, Question, TalkingPoint, Timing,
    DEFAULT_TIMING,
};

pub(super) struct Checker<'a> {
    pub(super) src: &'a Source<'a>,
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
    pub(super) fn pack(&self, raw: RawPack, name: &str, origin: &str) -> Result<Pack, PackError> {
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
            questions.push(self.question(i, q, id, &defaults, default_lights)?);
        }
        let checklist = self.checklist(&raw.checklist, &questions)?;
        self.follow_up_ids_unique(&raw_questions, &questions)?;

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

    /// Question `i` (its id already checked), its times layered over the pack's `defaults`.
    fn question(
        &self,
        i: usize,
        q: &RawQuestion,
        id: String,
        defaults: &Layer,
        default_lights: Option<Lights>,
    ) -> Result<Question, PackError> {
        let at = |field: &str| format!("questions[{i}].{field}");
        let layer = self.layer(
            defaults,
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
            follow_ups.push(self.follow_up(i, k, f, &id, &layer)?);
        }
        Ok(Question {
            id,
            category: self.text(&q.category, &at("category"))?,
            text: self.text(&q.text, &at("text"))?,
            timing: layer.timing(),
            lights,
            notes: self.texts(&q.notes, &at("notes"))?,
            follow_ups,
            talking_points: self.talking_points(&q.talking_points, &at("talking_points"))?,
        })
    }

    /// Follow-up `k` of question `i`, whose id is `parent_id` and times `layer`.
    fn follow_up(
        &self,
        i: usize,
        k: usize,
        f: &RawFollowUp,
        parent_id: &str,
        layer: &Layer,
    ) -> Result<FollowUp, PackError> {
        let at = |field: &str| format!("questions[{i}].follow_ups[{k}].{field}");
        let follow_id = match &f.id {
            Some(given) => self.id(given, &at("id"))?,
            None => format!("{parent_id}-f{}", k + 1),
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
        Ok(FollowUp {
            id: follow_id,
            text: self.text(&f.text, &at("text"))?,
            timing,
            notes: self.texts(&f.notes, &at("notes"))?,
        })
    }

    /// A follow-up's id (given or made) names its recordings too: it must be unique.
    fn follow_up_ids_unique(
        &self,
        raw_questions: &[RawQuestion],
        questions: &[Question],
    ) -> Result<(), PackError> {
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
        Ok(())
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
    ) -> Result<Lights, PackError> {
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
        Ok(Lights {
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
