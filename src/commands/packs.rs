//! `voicemock packs` and `voicemock questions`: print what `pack` finds and loads. Rendering is
//! kept in pure functions returning text, so the tables are tested without a terminal.

use crate::cli::QuestionsArgs;
use crate::pack::{self, Pack, PackListing, BUILT_IN};
use crate::ui::{mmss, out};

/// Width used to wrap question text when the terminal's is unknown.
const DEFAULT_WIDTH: usize = 100;

pub fn list_packs() -> anyhow::Result<()> {
    out(render_packs(&pack::available()));
    Ok(())
}

pub fn list_questions(args: &QuestionsArgs) -> anyhow::Result<()> {
    let pack = pack::load(args.pack.as_deref())?;
    out(render_questions(&pack, terminal_width()));
    Ok(())
}

/// `$COLUMNS` when the shell exports it; the library stays free of terminal crates.
fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse().ok())
        .filter(|&w| w >= 40)
        .unwrap_or(DEFAULT_WIDTH)
}

/// The `packs` table: one row a pack, a broken pack's error on the line under it.
pub fn render_packs(listings: &[PackListing]) -> String {
    let built_ins: Vec<&str> = listings
        .iter()
        .filter(|l| l.origin == BUILT_IN)
        .map(|l| l.name.as_str())
        .collect();
    let rows: Vec<[String; 4]> = listings
        .iter()
        .map(|l| {
            let mut from = l.origin.clone();
            if l.origin != BUILT_IN && built_ins.contains(&l.name.as_str()) {
                from.push_str(&format!(
                    " (--pack {} picks the built-in; use --pack {})",
                    l.name, l.origin
                ));
            }
            match &l.result {
                Ok(p) => [
                    l.name.clone(),
                    p.title.clone(),
                    p.questions.len().to_string(),
                    from,
                ],
                Err(_) => [l.name.clone(), "(does not load)".into(), "-".into(), from],
            }
        })
        .collect();
    let header = ["NAME", "TITLE", "QUESTIONS", "FROM"].map(String::from);
    let widths = column_widths(std::iter::once(&header).chain(&rows));

    let mut out = String::new();
    let mut broken = 0;
    for (i, row) in std::iter::once(&header).chain(&rows).enumerate() {
        out.push_str(&format!(
            "{:<w0$}  {:<w1$}  {:>w2$}  {}\n",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
        ));
        if let Some(Err(err)) = i.checked_sub(1).map(|r| &listings[r].result) {
            broken += 1;
            let mut message = err.to_string();
            let mut cause = std::error::Error::source(err);
            while let Some(c) = cause {
                message.push_str(&format!(": {c}"));
                cause = c.source();
            }
            out.push_str(&format!("{:w$}  error: {message}\n", "", w = widths[0]));
        }
    }
    out.push_str(
        "\nList a pack's questions with `voicemock questions --pack NAME`; \
         rehearse with `voicemock run --pack NAME`.\n",
    );
    if broken > 0 {
        out.push_str(&format!(
            "{broken} pack{} did not load; the error names the line to fix \
             (the format is described in content/README.md).\n",
            if broken == 1 { "" } else { "s" }
        ));
    }
    out
}

/// The `questions` table: id, category, think time, answer limit and the question, wrapped.
pub fn render_questions(pack: &Pack, width: usize) -> String {
    let mut out = format!(
        "{} ({}, {}): {} question{}\n",
        pack.title,
        pack.name,
        pack.origin,
        pack.questions.len(),
        if pack.questions.len() == 1 { "" } else { "s" }
    );
    if !pack.description.is_empty() {
        for line in wrap(&pack.description, width) {
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push('\n');

    let header = ["ID", "CATEGORY", "THINK", "LIMIT"].map(String::from);
    let rows: Vec<[String; 4]> = pack
        .questions
        .iter()
        .map(|q| {
            [
                q.id.clone(),
                q.category.clone(),
                mmss(q.timing.think_s),
                mmss(q.timing.answer_s),
            ]
        })
        .collect();
    let widths = column_widths(std::iter::once(&header).chain(&rows));
    let lead = |row: &[String; 4]| {
        format!(
            "{:<w0$}  {:<w1$}  {:>w2$}  {:>w3$}  ",
            row[0],
            row[1],
            row[2],
            row[3],
            w0 = widths[0],
            w1 = widths[1],
            w2 = widths[2],
            w3 = widths[3],
        )
    };
    let indent = widths.iter().sum::<usize>() + 2 * widths.len();
    let text_width = width.saturating_sub(indent).max(30);

    out.push_str(&lead(&header));
    out.push_str("QUESTION\n");
    for (row, q) in rows.iter().zip(&pack.questions) {
        out.push_str(&lead(row));
        for (i, line) in wrap(&q.text, text_width).iter().enumerate() {
            if i > 0 {
                out.push_str(&" ".repeat(indent));
            }
            out.push_str(line);
            out.push('\n');
        }
    }
    out.push_str(
        "\nTHINK is the time to think before recording starts; LIMIT is where recording stops.\n\
         Ask some of them with `voicemock run --question ID` or `--category CATEGORY`.\n",
    );
    out
}

fn column_widths<'a>(rows: impl Iterator<Item = &'a [String; 4]>) -> [usize; 4] {
    let mut widths = [0; 4];
    for row in rows {
        for (width, cell) in widths.iter_mut().zip(row) {
            *width = (*width).max(cell.chars().count());
        }
    }
    widths
}

/// Seconds as the countdown shows them: `0:20`, `2:00`, `4:30`.
/// Break text at spaces into lines of at most `width` characters (a longer word stands alone).
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let needed = line.chars().count() + usize::from(!line.is_empty()) + word.chars().count();
        if !line.is_empty() && needed > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() || lines.is_empty() {
        lines.push(line);
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pack::PackError;

    #[test]
    fn wrap_breaks_at_spaces_within_the_width() {
        let cases: &[(&str, usize, &[&str])] = &[
            ("", 10, &[""]),
            ("short", 10, &["short"]),
            ("one two three", 7, &["one two", "three"]),
            ("one two three", 8, &["one two", "three"]),
            ("a extraordinarily b", 5, &["a", "extraordinarily", "b"]),
        ];
        for (text, width, expected) in cases {
            assert_eq!(wrap(text, *width), *expected, "{text:?} in {width}");
        }
    }

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
        let out = render_packs(&listings);
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
        let out = render_packs(&listings);
        assert!(
            out.contains("error: cannot read pack content/locked.toml: permission denied"),
            "{out}"
        );
    }

    #[test]
    fn the_questions_table_aligns_columns_and_wraps_the_text() {
        let pack = pack::load(None).unwrap();
        let out = render_questions(&pack, 100);
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
