//! `voicemock packs` and `voicemock questions`: print what `pack` finds and loads. Rendering is
//! kept in pure functions returning text, so the tables are tested without a terminal.

use std::path::Path;

use crate::cli::{PacksAction, PacksArgs, QuestionsArgs};
use crate::pack::{self, starter, Pack, PackListing, BUILT_IN, CONTENT_DIR};
use crate::ui::{self, mmss, out, wrap_words, Table};

pub fn run(args: &PacksArgs) -> anyhow::Result<()> {
    match &args.action {
        None => list_packs(),
        Some(PacksAction::New { name, dir, output }) => {
            let dir = dir.as_deref().unwrap_or(Path::new(CONTENT_DIR));
            let written =
                starter::write(name, dir, output.as_deref()).map_err(anyhow::Error::msg)?;
            // Found by name where `--pack NAME` looks; by its path anywhere else.
            let spec = if output.is_none() && dir == Path::new(CONTENT_DIR) {
                name.clone()
            } else {
                written.pack.display().to_string()
            };
            out(render_new(&written, &spec, ui::columns()));
            Ok(())
        }
        Some(PacksAction::Check { file }) => {
            let pack = pack::load(Some(file))?;
            out(render_check(&pack, ui::columns()));
            Ok(())
        }
    }
}

pub fn list_packs() -> anyhow::Result<()> {
    out(render_packs(&pack::available(), ui::columns()));
    Ok(())
}

/// What `packs new` says it wrote, and what to do next.
fn render_new(written: &starter::Written, spec: &str, width: Option<usize>) -> String {
    let pack = written.pack.display();
    let mut text = format!("Wrote {pack}, a starter pack with every key explained in comments.");
    match &written.schema {
        Some(schema) => text.push_str(&format!(
            " Wrote {} next to it, so an editor that reads JSON Schemas for TOML checks the \
             keys as you type.",
            schema.display()
        )),
        None => text.push_str(&format!(
            " Kept the {} already next to it.",
            pack::SCHEMA_FILE
        )),
    }
    text.push_str(&format!(
        "\nEdit it, then check it with `voicemock packs check {pack}` and try it with \
         `voicemock rehearse --pack {spec}`."
    ));
    prose(&text, width)
}

/// `packs check`: the pack is valid; what a session would ask, in order, with each question's
/// times and follow-ups, and how `rehearse` would open and close.
pub fn render_check(pack: &Pack, width: Option<usize>) -> String {
    let follow_ups: usize = pack.questions.iter().map(|q| q.follow_ups.len()).sum();
    let categories = pack.categories();
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let mut text = prose(
        &format!(
            "{} is a valid pack: \"{}\" ({}), {}, {}, {}, {}.",
            if pack.origin == BUILT_IN {
                format!("{} ({BUILT_IN})", pack.name)
            } else {
                pack.origin.clone()
            },
            pack.title,
            pack.name,
            count(pack.questions.len(), "question", "questions"),
            count(follow_ups, "follow-up", "follow-ups"),
            count(categories.len(), "category", "categories"),
            count(pack.checklist.len(), "checklist point", "checklist points"),
        ),
        width,
    );
    text.push('\n');
    let mut table = Table::new()
        .left("ID")
        .left("CATEGORY")
        .right("THINK")
        .right("MIN")
        .right("LIMIT")
        .right("POINTS")
        .text("QUESTION");
    for q in &pack.questions {
        table.row([
            q.id.clone(),
            q.category.clone(),
            mmss(q.timing.think_s),
            mmss(q.timing.min_s),
            mmss(q.timing.answer_s),
            q.talking_points.len().to_string(),
            q.text.clone(),
        ]);
        for f in &q.follow_ups {
            table.row([
                format!("  {}", f.id),
                "follow-up".to_string(),
                mmss(f.timing.think_s),
                mmss(f.timing.min_s),
                mmss(f.timing.answer_s),
                "-".to_string(),
                f.text.clone(),
            ]);
        }
    }
    text.push_str(&table.render(width));
    let counts: Vec<String> = categories
        .iter()
        .map(|c| {
            let n = pack.questions.iter().filter(|q| &q.category == c).count();
            format!("{c} ({n})")
        })
        .collect();
    let has = |c: &str| categories.iter().any(|k| k.eq_ignore_ascii_case(c));
    let closing = pack
        .questions
        .iter()
        .find(|q| q.category.eq_ignore_ascii_case("closing"));
    let mut notes = format!(
        "\nCategories: {}.\n\
         MIN is the shortest useful answer (green light), LIMIT where recording stops; POINTS \
         counts the talking points checked against the transcript. Follow-ups (indented) are \
         asked by `rehearse` and by `run --follow-ups`.\n",
        counts.join(", ")
    );
    notes.push_str(&match (has("motivation"), closing) {
        (true, Some(c)) => format!(
            "`rehearse` opens with a motivation question and ends on `{}`.",
            c.id
        ),
        (false, Some(c)) => format!(
            "`rehearse` ends on `{}`; it has no opening turn (no question of category \
             `motivation`).",
            c.id
        ),
        (true, None) => "`rehearse` opens with a motivation question; it has no closing turn \
                         (no question of category `closing`)."
            .to_string(),
        (false, None) => "`rehearse` has no opening or closing turn (no question of category \
                          `motivation` or `closing`)."
            .to_string(),
    });
    text.push_str(&prose(&notes, width));
    text
}

pub fn list_questions(args: &QuestionsArgs) -> anyhow::Result<()> {
    let pack = pack::load(args.pack.as_deref())?;
    out(render_questions(&pack, ui::columns()));
    Ok(())
}

/// Prose lines of `text` fitted to `width` (when given), each ending in a newline.
fn prose(text: &str, width: Option<usize>) -> String {
    let mut out = String::new();
    for line in text.split('\n') {
        let lines = match width {
            Some(w) => wrap_words(line, w, w),
            None => vec![line.to_string()],
        };
        for l in lines {
            out.push_str(&l);
            out.push('\n');
        }
    }
    out
}

/// The `packs` table: one row a pack, a broken pack's error on the line under it.
pub fn render_packs(listings: &[PackListing], width: Option<usize>) -> String {
    let built_ins: Vec<&str> = listings
        .iter()
        .filter(|l| l.origin == BUILT_IN)
        .map(|l| l.name.as_str())
        .collect();
    let mut table = Table::new()
        .left("NAME")
        .left("TITLE")
        .right("QUESTIONS")
        .text("FROM");
    let mut broken = 0;
    for l in listings {
        let mut from = l.origin.clone();
        if l.origin != BUILT_IN && built_ins.contains(&l.name.as_str()) {
            from.push_str(&format!(
                " (--pack {} picks the built-in; use --pack {})",
                l.name, l.origin
            ));
        }
        match &l.result {
            Ok(p) => table.row([
                l.name.clone(),
                p.title.clone(),
                p.questions.len().to_string(),
                from,
            ]),
            Err(err) => {
                table.row([l.name.clone(), "(does not load)".into(), "-".into(), from]);
                broken += 1;
                let mut message = err.to_string();
                let mut cause = std::error::Error::source(err);
                while let Some(c) = cause {
                    message.push_str(&format!(": {c}"));
                    cause = c.source();
                }
                table.note(&format!("error: {message}"));
            }
        }
    }
    let mut out = table.render(width);
    out.push_str(&prose(
        "\nList a pack's questions with `voicemock questions --pack NAME`; \
         rehearse with `voicemock run --pack NAME`.",
        width,
    ));
    if broken > 0 {
        out.push_str(&prose(
            &format!(
                "{broken} pack{} did not load; the error names the line to fix \
                 (the format is described in content/README.md).",
                if broken == 1 { "" } else { "s" }
            ),
            width,
        ));
    }
    out
}

/// The `questions` table: id, category, think time, answer limit and the question, wrapped.
pub fn render_questions(pack: &Pack, width: Option<usize>) -> String {
    let mut out = prose(
        &format!(
            "{} ({}, {}): {} question{}",
            pack.title,
            pack.name,
            pack.origin,
            pack.questions.len(),
            if pack.questions.len() == 1 { "" } else { "s" }
        ),
        width,
    );
    if !pack.description.is_empty() {
        out.push_str(&prose(&pack.description, width));
    }
    out.push('\n');

    let mut table = Table::new()
        .left("ID")
        .left("CATEGORY")
        .right("THINK")
        .right("LIMIT")
        .text("QUESTION");
    for q in &pack.questions {
        table.row([
            q.id.clone(),
            q.category.clone(),
            mmss(q.timing.think_s),
            mmss(q.timing.answer_s),
            q.text.clone(),
        ]);
    }
    out.push_str(&table.render(width));
    out.push_str(&prose(
        "\nTHINK is the time to think before recording starts; LIMIT is where recording stops.\n\
         Ask some of them with `voicemock run --question ID` or `--category CATEGORY`.",
        width,
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::PackError;

    #[test]
    fn the_packs_table_lists_each_pack_and_shows_a_broken_ones_error() {
        let listings = vec![
            PackListing {
                name: "netflix-pm".into(),
                origin: BUILT_IN.into(),
                result: pack::load(None),
            },
            PackListing {
                name: "broken".into(),
                origin: "content/broken.toml".into(),
                result: Err(PackError::Invalid {
                    file: "content/broken.toml".into(),
                    line: 12,
                    column: 8,
                    field: "questions[3].answer_s".into(),
                    message: "must be a positive number of seconds".into(),
                }),
            },
            PackListing {
                name: "netflix-pm".into(),
                origin: "content/netflix-pm.toml".into(),
                result: pack::load(None),
            },
        ];
        let out = render_packs(&listings, None);
        let lines: Vec<&str> = out.lines().collect();
        let count = pack::load(None).unwrap().questions.len();
        assert_eq!(
            lines[0].split_whitespace().collect::<Vec<_>>(),
            ["NAME", "TITLE", "QUESTIONS", "FROM"]
        );
        assert!(
            lines[1].starts_with("netflix-pm  Netflix Product Manager"),
            "{out}"
        );
        assert!(lines[1].ends_with(&format!("{count}  built-in")), "{out}");
        assert!(lines[2].starts_with("broken      (does not load)"), "{out}");
        assert!(lines[2].ends_with("-  content/broken.toml"), "{out}");
        assert_eq!(
            lines[3].trim(),
            "error: content/broken.toml:12:8: field `questions[3].answer_s`: must be a positive number of seconds"
        );
        assert!(
            lines[4].contains("use --pack content/netflix-pm.toml"),
            "{out}"
        );
        assert!(out.contains("1 pack did not load"), "{out}");
    }

    #[test]
    fn an_unreadable_pack_is_listed_with_the_cause() {
        let listings = vec![PackListing {
            name: "locked".into(),
            origin: "content/locked.toml".into(),
            result: Err(PackError::Read {
                path: "content/locked.toml".into(),
                source: std::io::Error::new(
                    std::io::ErrorKind::PermissionDenied,
                    "permission denied",
                ),
            }),
        }];
        let out = render_packs(&listings, None);
        assert!(
            out.contains("error: cannot read pack content/locked.toml: permission denied"),
            "{out}"
        );
    }

    #[test]
    fn the_questions_table_aligns_columns_and_wraps_the_text() {
        let pack = pack::load(None).unwrap();
        let out = render_questions(&pack, Some(100));
        let lines: Vec<&str> = out.lines().collect();
        assert!(
            lines[0].starts_with("Netflix Product Manager (netflix-pm, built-in): "),
            "{out}"
        );
        let header = lines.iter().position(|l| l.starts_with("ID ")).unwrap();
        let text_at = lines[header].find("QUESTION").unwrap();
        let first = lines[header + 1];
        assert!(first.starts_with("why-netflix "), "{out}");
        assert!(first.contains("motivation"), "{out}");
        assert!(first.contains("0:20   1:30"), "{out}");
        assert_eq!(&first[text_at..], "Why do you want to work at Netflix?");
        for line in &lines[..lines.len() - 3] {
            assert!(line.chars().count() <= 100, "too wide: {line}");
        }
        // A long question continues under its own column.
        let long = lines
            .iter()
            .position(|l| l.starts_with("lead-cross-functional"))
            .unwrap();
        assert!(lines[long + 1][..text_at].trim().is_empty(), "{out}");
        assert!(!lines[long + 1][text_at..].starts_with(' '), "{out}");
    }

    #[test]
    fn check_shows_each_question_then_its_follow_ups_with_their_times() {
        let pack = pack::parse(&starter::text("acme"), "content/acme.toml").unwrap();
        let out = render_check(&pack, None);
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(
            lines[0],
            "content/acme.toml is a valid pack: \"Acme\" (acme), 3 questions, 1 follow-up, \
             3 categories, 3 checklist points."
        );
        let header = lines.iter().position(|l| l.starts_with("ID ")).unwrap();
        let cells = |l: &str| l.split_whitespace().take(6).collect::<Vec<_>>().join(" ");
        assert_eq!(cells(lines[header]), "ID CATEGORY THINK MIN LIMIT POINTS");
        assert_eq!(
            cells(lines[header + 1]),
            "why-this-company motivation 0:20 0:45 1:30 2"
        );
        assert_eq!(
            cells(lines[header + 2]),
            "conflict behavioural 0:20 1:00 2:00 2"
        );
        // The follow-up: indented under its question, think at most 10 s, its own limit.
        assert!(lines[header + 3].starts_with("  conflict-f1"), "{out}");
        assert!(
            lines[header + 3].ends_with("What would you do differently next time?"),
            "{out}"
        );
        assert!(
            cells(lines[header + 3]).starts_with("conflict-f1 follow-up 0:10"),
            "{out}"
        );
        assert!(cells(lines[header + 3]).ends_with("1:00 -"), "{out}");
        assert!(lines[header + 4].starts_with("your-questions"), "{out}");
        assert!(
            out.contains("Categories: motivation (1), behavioural (1), closing (1)."),
            "{out}"
        );
        assert!(
            out.contains(
                "`rehearse` opens with a motivation question and ends on `your-questions`."
            ),
            "{out}"
        );
    }

    #[test]
    fn check_says_when_rehearse_has_no_opening_or_closing_turn() {
        let pack = pack::parse(
            "format = 1\ntitle = \"T\"\n[[questions]]\nid = \"a\"\ncategory = \"x\"\ntext = \"Q?\"\n",
            "t.toml",
        )
        .unwrap();
        let out = render_check(&pack, None);
        assert!(
            out.contains("1 question, 0 follow-ups, 1 category, 0 checklist points"),
            "{out}"
        );
        assert!(
            out.contains("`rehearse` has no opening or closing turn"),
            "{out}"
        );
    }
}
