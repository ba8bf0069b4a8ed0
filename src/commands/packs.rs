//! `voicemock packs` and `voicemock questions`: print what `pack` finds and loads. Rendering is
//! kept in pure functions returning text, so the tables are tested without a terminal.

use crate::cli::QuestionsArgs;
use crate::pack::{self, Pack, PackListing, BUILT_IN};
use crate::ui::{self, mmss, out, wrap_words, Table};

pub fn list_packs() -> anyhow::Result<()> {
    out(render_packs(&pack::available(), ui::columns()));
    Ok(())
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
}
