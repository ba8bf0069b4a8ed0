//! The one table every listing prints through (`packs`, `questions`, `sessions`, `history`,
//! `compare` and the drill's rounds, `analyze`, `devices`, `voices`, `models`, a session's
//! summary and schedule, a rehearsal's plan):
//! columns aligned, and fitted to a width without ever breaking a word.
//!
//! Fitting, in order: a table that fits is printed one row a line. Otherwise its text column
//! (the question, how a take ended: the one that may take several lines) is wrapped at
//! spaces into the room the other columns leave, continuation lines indented under it. When
//! even that does not fit (no room for the text, or a word wider than the room left, such as
//! a long id), the columns go in groups that each fit a line: the first column alone when
//! that lets all the others share the line under it, else as many as fit in order; a row's
//! later groups sit on the lines under its first, indented, each column under its header.
//! Cells are measured as they will be printed: escaped ([`super::visible`]) and in terminal
//! columns.

use super::{visible, width_of, wrap_words};

/// How a column's cells sit in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    Left,
    Right,
}

#[derive(Debug, Clone)]
struct Column {
    header: String,
    align: Align,
    /// The column wrapped at spaces when the table is too wide.
    text: bool,
}

#[derive(Debug, Clone)]
struct Row {
    cells: Vec<String>,
    /// A line under the row (a broken pack's error), from the second column on.
    note: Option<String>,
}

/// A table under construction: columns first, then rows.
#[derive(Debug, Clone)]
pub struct Table {
    columns: Vec<Column>,
    rows: Vec<Row>,
    gap: usize,
    /// Spaces before every line.
    indent: usize,
}

/// The narrowest a text column is wrapped to; below it, columns go in groups instead.
const MIN_TEXT: usize = 16;

/// How far a row's later groups are indented under its first.
const STACK_INDENT: usize = 2;

impl Default for Table {
    fn default() -> Self {
        Table::new()
    }
}

impl Table {
    /// No columns yet; two spaces between columns.
    pub fn new() -> Table {
        Table {
            columns: Vec::new(),
            rows: Vec::new(),
            gap: 2,
            indent: 0,
        }
    }

    /// Spaces between columns.
    pub fn gap(mut self, spaces: usize) -> Table {
        self.gap = spaces;
        self
    }

    /// Spaces before every line (the width given to [`Table::render`] includes them).
    pub fn indent(mut self, spaces: usize) -> Table {
        self.indent = spaces;
        self
    }

    /// A column of left-aligned cells.
    pub fn left(self, header: &str) -> Table {
        self.column(header, Align::Left, false)
    }

    /// A column of right-aligned cells (numbers, times).
    pub fn right(self, header: &str) -> Table {
        self.column(header, Align::Right, false)
    }

    /// The text column, left-aligned and wrapped at spaces when the table is too wide (at
    /// most one a table; a later call moves it).
    pub fn text(mut self, header: &str) -> Table {
        for c in &mut self.columns {
            c.text = false;
        }
        self.column(header, Align::Left, true)
    }

    fn column(mut self, header: &str, align: Align, text: bool) -> Table {
        self.columns.push(Column {
            header: visible(header).into_owned(),
            align,
            text,
        });
        self
    }

    /// A row, one cell a column (missing cells are blank, extra ones dropped).
    pub fn row<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let mut cells: Vec<String> = cells
            .into_iter()
            .map(|c| one_line(&visible(c.as_ref())))
            .collect();
        cells.resize(self.columns.len(), String::new());
        self.rows.push(Row { cells, note: None });
    }

    /// A line printed under the last row, from its second column on, wrapped to the width.
    pub fn note(&mut self, text: &str) {
        if let Some(row) = self.rows.last_mut() {
            row.note = Some(one_line(&visible(text)));
        }
    }

    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }

    /// The table as lines (each ending in a newline), fitted to `width` columns when given.
    pub fn render(&self, width: Option<usize>) -> String {
        let mut out = String::new();
        let pad = " ".repeat(self.indent);
        for line in self.lines(width.map(|w| w.saturating_sub(self.indent))) {
            if !line.is_empty() {
                out.push_str(&pad);
            }
            out.push_str(&line);
            out.push('\n');
        }
        out
    }

    /// [`Table::render`] to the terminal's width ([`super::columns`]): unfitted when stdout is
    /// not a terminal, so scripts get one row a line.
    pub fn fit(&self) -> String {
        self.render(super::columns())
    }

    fn lines(&self, width: Option<usize>) -> Vec<String> {
        let header: Vec<String> = self.columns.iter().map(|c| c.header.clone()).collect();
        let rows: Vec<(&[String], Option<&str>)> = std::iter::once((header.as_slice(), None))
            .chain(
                self.rows
                    .iter()
                    .map(|r| (r.cells.as_slice(), r.note.as_deref())),
            )
            .collect();
        layout(&self.columns, &rows, self.gap, width)
            .into_iter()
            .flatten()
            .collect()
    }
}

/// A cell is one line: a newline in it (a pack's text) is a space in a table.
fn one_line(text: &str) -> String {
    if text.contains(['\n', '\t']) {
        text.replace(['\n', '\t'], " ")
    } else {
        text.to_string()
    }
}

/// The lines of each of `rows` (the header first) in `columns`, fitted to `width`.
fn layout(
    columns: &[Column],
    rows: &[(&[String], Option<&str>)],
    gap: usize,
    width: Option<usize>,
) -> Vec<Vec<String>> {
    let natural: Vec<usize> = (0..columns.len())
        .map(|i| rows.iter().map(|(c, _)| width_of(&c[i])).max().unwrap_or(0))
        .collect();
    let total = natural.iter().sum::<usize>() + gap * columns.len().saturating_sub(1);
    let Some(width) = width.filter(|&w| total > w) else {
        return side_by_side(columns, rows, gap, &natural, width);
    };
    // Wrap the text column into the room the others leave, if every word fits that room.
    if let Some(t) = columns.iter().position(|c| c.text) {
        let room = width.saturating_sub(total - natural[t]);
        let words_fit = rows
            .iter()
            .skip(1)
            .all(|(cells, _)| cells[t].split(' ').all(|w| width_of(w) <= room));
        if room >= MIN_TEXT.min(natural[t]) && words_fit {
            let mut widths = natural.clone();
            widths[t] = room;
            return side_by_side(columns, rows, gap, &widths, Some(width));
        }
    }
    grouped(columns, rows, gap, width, &natural)
}

/// One line a row (more where the text column wraps), columns `widths` wide.
fn side_by_side(
    columns: &[Column],
    rows: &[(&[String], Option<&str>)],
    gap: usize,
    widths: &[usize],
    fit_to: Option<usize>,
) -> Vec<Vec<String>> {
    let second = widths.first().map_or(0, |w| w + gap);
    rows.iter()
        .map(|(cells, note)| {
            // Each cell as lines: only the text column may have more than one.
            let cell_lines: Vec<Vec<String>> = columns
                .iter()
                .zip(cells.iter())
                .zip(widths)
                .map(|((c, cell), &w)| {
                    if c.text && fit_to.is_some() && width_of(cell) > w {
                        wrap_words(cell, w, w)
                    } else {
                        vec![cell.clone()]
                    }
                })
                .collect();
            let height = cell_lines.iter().map(Vec::len).max().unwrap_or(1);
            let mut lines = Vec::with_capacity(height + 1);
            for k in 0..height {
                let mut line = String::new();
                for (i, (column, lines_of)) in columns.iter().zip(&cell_lines).enumerate() {
                    let cell = lines_of.get(k).map_or("", String::as_str);
                    let pad = widths[i].saturating_sub(width_of(cell));
                    if i > 0 {
                        line.push_str(&" ".repeat(gap));
                    }
                    match column.align {
                        Align::Left => {
                            line.push_str(cell);
                            line.push_str(&" ".repeat(pad));
                        }
                        Align::Right => {
                            line.push_str(&" ".repeat(pad));
                            line.push_str(cell);
                        }
                    }
                }
                lines.push(line.trim_end().to_string());
            }
            if let Some(note) = note {
                lines.extend(indented(note, second, fit_to));
            }
            lines
        })
        .collect()
}

/// Columns in groups that each fit the width, taken in order (the first column alone, when
/// that lets all the others share one line): a row's first group on its
/// first line(s), the next groups on the lines under it, indented. Each column keeps its
/// width in every row, so a column sits under its header in every group.
fn grouped(
    columns: &[Column],
    rows: &[(&[String], Option<&str>)],
    gap: usize,
    width: usize,
    natural: &[usize],
) -> Vec<Vec<String>> {
    let mut groups: Vec<(std::ops::Range<usize>, Vec<usize>)> = Vec::new();
    let mut start = 0;
    // The first column alone, when that puts all the others on one line under it.
    let rest = natural[1..].iter().sum::<usize>() + gap * (columns.len() - 2);
    if columns.len() > 1 && rest + STACK_INDENT <= width {
        groups.push((0..1, vec![natural[0]]));
        groups.push((1..columns.len(), natural[1..].to_vec()));
        start = columns.len();
    }
    while start < columns.len() {
        let room = if start == 0 {
            width
        } else {
            width.saturating_sub(STACK_INDENT)
        };
        let mut widths = Vec::new();
        let mut used = 0;
        let mut end = start;
        while end < columns.len() {
            let sep = if widths.is_empty() { 0 } else { gap };
            let w = natural[end];
            if used + sep + w <= room {
                widths.push(w);
                used += sep + w;
                end += 1;
                continue;
            }
            // The text column takes the room left, if its words fit in it.
            let left = room.saturating_sub(used + sep);
            let words_fit = rows
                .iter()
                .skip(1)
                .all(|(cells, _)| cells[end].split(' ').all(|word| width_of(word) <= left));
            if columns[end].text && left >= MIN_TEXT && words_fit {
                widths.push(left);
                end += 1;
            } else if widths.is_empty() {
                // Wider than the line on its own: it stands alone.
                widths.push(w);
                end += 1;
            }
            break;
        }
        groups.push((start..end, widths));
        start = end;
    }
    let last = groups.len() - 1;
    let parts: Vec<Vec<Vec<String>>> = groups
        .iter()
        .enumerate()
        .map(|(g, (range, widths))| {
            let part: Vec<(&[String], Option<&str>)> = rows
                .iter()
                .map(|(cells, note)| (&cells[range.clone()], if g == last { *note } else { None }))
                .collect();
            let room = if g == 0 {
                width
            } else {
                width.saturating_sub(STACK_INDENT)
            };
            side_by_side(&columns[range.clone()], &part, gap, widths, Some(room))
        })
        .collect();
    (0..rows.len())
        .map(|r| {
            let mut lines = Vec::new();
            for (g, part) in parts.iter().enumerate() {
                for line in &part[r] {
                    if g > 0 && !line.is_empty() {
                        lines.push(format!("{}{line}", " ".repeat(STACK_INDENT)));
                    } else {
                        lines.push(line.clone());
                    }
                }
            }
            lines
        })
        .collect()
}

/// `text` wrapped to `width` (when given) at `indent`.
fn indented(text: &str, indent: usize, width: Option<usize>) -> Vec<String> {
    let pad = " ".repeat(indent);
    let lines = match width {
        Some(w) => {
            let room = w.saturating_sub(indent).max(1);
            wrap_words(text, room, room)
        }
        None => vec![text.to_string()],
    };
    lines.into_iter().map(|l| format!("{pad}{l}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<&str> {
        text.split_whitespace().collect()
    }

    fn questions() -> Table {
        let mut t = Table::new()
            .left("ID")
            .left("CATEGORY")
            .right("THINK")
            .text("QUESTION");
        t.row(["why", "motivation", "0:20", "Why do you want to work here?"]);
        t.row([
            "lead",
            "behavioural",
            "0:30",
            "Tell me about a time you led a cross-functional team to ship something.",
        ]);
        t
    }

    #[test]
    fn a_table_that_fits_is_one_row_a_line_with_aligned_columns() {
        let out = questions().render(Some(120));
        assert_eq!(
            out,
            "ID    CATEGORY     THINK  QUESTION\n\
             why   motivation    0:20  Why do you want to work here?\n\
             lead  behavioural   0:30  Tell me about a time you led a cross-functional team to ship something.\n"
        );
        assert_eq!(questions().render(None), out, "no width: never wrapped");
    }

    #[test]
    fn the_text_column_wraps_at_spaces_under_itself() {
        let out = questions().render(Some(60));
        let lines: Vec<&str> = out.lines().collect();
        assert_eq!(lines.len(), 5, "{out}");
        assert_eq!(
            lines[2],
            "lead  behavioural   0:30  Tell me about a time you led a"
        );
        assert_eq!(
            lines[3],
            "                          cross-functional team to ship"
        );
        assert_eq!(lines[4], "                          something.");
        for l in &lines {
            assert!(width_of(l) <= 60, "{l:?}");
        }
        assert_eq!(
            words(&out),
            words(&questions().render(None)),
            "no word broken"
        );
    }

    #[test]
    fn rows_are_stacked_when_a_word_cannot_fit_beside_the_other_columns() {
        let mut t = Table::new()
            .left("session")
            .left("pack")
            .right("answered")
            .left("status");
        t.row([
            "2026-11-26_161748-a-pack-with-a-long-name",
            "a-pack-with-a-long-name",
            "1 of 2",
            "completed",
        ]);
        t.row(["short", "p", "2 of 2", "device error"]);
        let out = t.render(Some(60));
        assert_eq!(
            out,
            "session\n\
             \x20 pack                     answered  status\n\
             2026-11-26_161748-a-pack-with-a-long-name\n\
             \x20 a-pack-with-a-long-name    1 of 2  completed\n\
             short\n\
             \x20 p                          2 of 2  device error\n"
        );
        assert_eq!(words(&out), words(&t.render(None)));
    }

    #[test]
    fn a_text_column_with_no_room_beside_the_others_wraps_on_the_lines_under_its_row() {
        let mut t = Table::new().left("id").right("n").text("text");
        t.row([
            "a-very-long-identifier-of-a-question",
            "12",
            "one two three four five six seven eight nine ten eleven twelve",
        ]);
        let out = t.render(Some(40));
        for l in out.lines() {
            assert!(width_of(l) <= 40, "{l:?} in\n{out}");
        }
        assert!(
            out.starts_with(
                "id                                     n\n  text\n\
                 a-very-long-identifier-of-a-question  12\n  one two"
            ),
            "{out}"
        );
        assert_eq!(words(&out), words(&t.render(None)));
    }

    #[test]
    fn columns_that_cannot_share_a_line_go_in_groups_each_under_its_header() {
        let cell = |c: char| c.to_string().repeat(20);
        let mut t = Table::new().left("a").left("b").right("c").left("d");
        t.row([cell('a'), cell('b'), cell('c'), cell('d')]);
        t.row(["x", "y", "z", "w"]);
        let out = t.render(Some(50));
        let blank = " ".repeat(19);
        assert_eq!(
            out,
            format!(
                "a{blank}  b\n  {blank}c  d\n{}  {}\n  {}  {}\nx{blank}  y\n  {blank}z  w\n",
                cell('a'),
                cell('b'),
                cell('c'),
                cell('d')
            )
        );
    }

    #[test]
    fn notes_sit_under_their_row_and_cells_are_escaped_and_measured_as_shown() {
        let mut t = Table::new().left("NAME").left("FROM");
        t.row(["bad\u{202e}pack", "x"]);
        t.note("error: line 3");
        t.row(["ok", "y"]);
        let out = t.render(Some(80));
        assert_eq!(
            out,
            "NAME             FROM\nbad\\u{202e}pack  x\n                 error: line 3\nok               y\n"
        );
        assert!(!out.contains('\u{202e}'));
        // Wide characters take two columns.
        let mut t = Table::new().left("a").left("b");
        t.row(["日本", "x"]);
        t.row(["abcd", "y"]);
        assert_eq!(t.render(None), "a     b\n日本  x\nabcd  y\n");
    }
}
