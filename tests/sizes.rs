//! The house's rules on size, checked by reading the source (test code left out):
//! - a product function over `LIMIT` lines states why it is long in a doc line at its top that
//!   starts with `MARKER` ("/// Long because the loop's state is best kept in one place.");
//! - a product file over `FILE_LIMIT` lines states why in a line of its top doc comment
//!   (`//! Long because …`).
//!
//! Without the reason, split it (by concept, not by size).

mod source;
use source::{collect, drop_test_code, find, root, strip};

/// Lines a function may span, from its `fn` line to its closing brace, without a reason.
const LIMIT: usize = 100;
/// How a doc line at a long function's (or file's) top begins when it gives the reason.
const MARKER: &str = "Long because";
/// Product lines a file may have without a reason: every line (comments and blank lines too)
/// outside its test code.
const FILE_LIMIT: usize = 800;

/// A function found in the code: its name, first line (1-based) and length in lines.
#[derive(Debug)]
struct Function {
    name: String,
    line: usize,
    lines: usize,
}

/// The functions with a body in `code` (comments and strings already blanked), nested ones
/// each on their own (a nested function's lines count in its parent too).
fn functions(code: &str) -> Vec<Function> {
    let b = code.as_bytes();
    let line_at = |pos: usize| code[..pos].matches('\n').count() + 1;
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(p) = find(b, b"fn", from) {
        from = p + 2;
        let before_ok = p == 0 || !(b[p - 1].is_ascii_alphanumeric() || b[p - 1] == b'_');
        let space = b[p + 2..]
            .iter()
            .take_while(|c| c.is_ascii_whitespace())
            .count();
        let name_len = b[p + 2 + space..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == b'_')
            .count();
        if !before_ok || space == 0 || name_len == 0 {
            continue;
        }
        let name = &code[p + 2 + space..p + 2 + space + name_len];
        // The body's `{`, unless a `;` ends the signature first (a declaration).
        let Some(open) = b[p..]
            .iter()
            .position(|&c| c == b'{' || c == b';')
            .map(|o| p + o)
            .filter(|&o| b[o] == b'{')
        else {
            continue;
        };
        let mut depth = 0usize;
        let mut close = b.len() - 1;
        for (j, &c) in b.iter().enumerate().skip(open) {
            match c {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = j;
                        break;
                    }
                }
                _ => {}
            }
        }
        let (first, last) = (line_at(p), line_at(close));
        found.push(Function {
            name: name.to_string(),
            line: first,
            lines: last - first + 1,
        });
    }
    found
}

/// Whether the doc comment right above line `line` (1-based; attributes may sit between)
/// has a line starting with the marker.
fn states_reason(src: &str, line: usize) -> bool {
    let lines: Vec<&str> = src.lines().collect();
    lines[..line - 1]
        .iter()
        .rev()
        .map(|l| l.trim())
        .take_while(|l| l.starts_with("///") || l.starts_with("#["))
        .filter_map(|l| l.strip_prefix("///"))
        .any(|doc| doc.trim_start().starts_with(MARKER))
}

/// The long functions of one file's source without their reason, as (name, "file:line name
/// (N lines)").
fn unexplained(rel: &str, src: &str) -> Vec<(String, String)> {
    let (code, _) = drop_test_code(&strip(src));
    functions(&code)
        .into_iter()
        .filter(|f| f.lines > LIMIT && !states_reason(src, f.line))
        .map(|f| {
            let said = format!("{rel}:{} {} ({} lines)", f.line, f.name, f.lines);
            (f.name, said)
        })
        .collect()
}

/// The product's sources under src/, as (path from the crate root, text), leaving out the
/// files that are modules declared under `#[cfg(test)]`.
fn product_sources() -> Vec<(String, String)> {
    let mut files = Vec::new();
    collect(&root().join("src"), &mut files);
    files.sort();
    let mut test_files = Vec::new();
    for path in &files {
        let (_, test_mods) = drop_test_code(&strip(&std::fs::read_to_string(path).unwrap()));
        let dir = if path
            .file_name()
            .is_some_and(|n| n == "mod.rs" || n == "lib.rs" || n == "main.rs")
        {
            path.parent().unwrap().to_path_buf()
        } else {
            path.with_extension("")
        };
        for m in test_mods {
            test_files.push(dir.join(format!("{m}.rs")));
            test_files.push(dir.join(&m).join("mod.rs"));
        }
    }
    files
        .into_iter()
        .filter(|p| !test_files.contains(p))
        .map(|p| {
            let rel = p.strip_prefix(root()).unwrap().display().to_string();
            (rel, std::fs::read_to_string(&p).unwrap())
        })
        .collect()
}

/// How many lines of `src` are the product's: every line except those wholly inside an item
/// under `#[cfg(test)]` (a file's test module).
fn product_lines(src: &str) -> usize {
    // Blank lines (and lines that were only a comment) get a mark that the test-code reader
    // passes over, so that afterwards only the lines it blanked are blank.
    let marked: String = strip(src)
        .lines()
        .map(|l| match l.trim().is_empty() {
            true => format!(".{l}\n"),
            false => format!("{l}\n"),
        })
        .collect();
    let (code, _) = drop_test_code(&marked);
    code.lines().filter(|l| !l.trim().is_empty()).count()
}

/// Whether the file's top doc comment (its leading `//!` lines) has a line starting with the
/// marker.
fn file_states_reason(src: &str) -> bool {
    src.lines()
        .map(str::trim)
        .take_while(|l| l.starts_with("//!"))
        .filter_map(|l| l.strip_prefix("//!"))
        .any(|doc| doc.trim_start().starts_with(MARKER))
}

/// The file as "file (N product lines)" when it is over the limit without its reason.
fn too_long(rel: &str, src: &str) -> Option<String> {
    let lines = product_lines(src);
    (lines > FILE_LIMIT && !file_states_reason(src))
        .then(|| format!("{rel} ({lines} product lines)"))
}

#[test]
fn every_long_file_states_why() {
    let long: Vec<String> = product_sources()
        .iter()
        .filter_map(|(rel, src)| too_long(rel, src))
        .collect();
    assert!(
        long.is_empty(),
        "product files over {FILE_LIMIT} lines (test code left out) without a line starting \
         \"{MARKER}\" in their top doc comment (split them by concept, or state the reason):\n{}",
        long.join("\n")
    );
}

/// The file measure: every product line counts (comments and blank lines too), the test
/// module does not, and a reason at the top lets a long file pass.
#[test]
fn the_measure_counts_a_files_product_lines() {
    let product = |n: usize| "/// A line.\n\nfn f() { let s = \"}\"; }\n".repeat(n / 3);
    let tests = "#[cfg(test)]\nmod tests {\n    // }\n\n    #[test]\n    fn t() {}\n}\n";
    let src = format!("//! A file.\n{}{tests}", product(FILE_LIMIT));
    let lines = 1 + FILE_LIMIT / 3 * 3;
    assert_eq!(product_lines(&src), lines);
    assert!(lines <= FILE_LIMIT && too_long("x.rs", &src).is_none());

    let src = format!("//! A file.\n{}{tests}", product(FILE_LIMIT + 3));
    let lines = 1 + (FILE_LIMIT + 3) / 3 * 3;
    assert!(lines > FILE_LIMIT);
    assert_eq!(
        too_long("x.rs", &src),
        Some(format!("x.rs ({lines} product lines)"))
    );

    let reasoned = format!("//! A file.\n//!\n//! {MARKER} it must.\n{src}");
    assert!(too_long("x.rs", &reasoned).is_none());
    let reason_below = format!("//! A file.\n\n// {MARKER} it must.\n{src}");
    assert!(too_long("x.rs", &reason_below).is_some());
}

#[test]
fn every_long_function_states_why() {
    let mut missing = Vec::new();
    for (rel, src) in product_sources() {
        for (_name, said) in unexplained(&rel, &src) {
            missing.push(said);
        }
    }
    assert!(
        missing.is_empty(),
        "functions over {LIMIT} lines without a doc line starting \"{MARKER}\" at their top \
         (split them, or state the reason):\n{}",
        missing.join("\n")
    );
}

/// The measure itself: a long function is found (its braces in strings and comments not
/// counted, nested functions on their own), the reason lets it pass, test code is left out.
#[test]
fn the_measure_finds_long_functions_and_their_reasons() {
    let body = |n: usize| "    let x = \"}{\"; // }\n".repeat(n);
    let long = format!("pub fn long(a: u8) -> u8 {{\n{}    a\n}}\n", body(LIMIT));
    let short = format!("fn short() {{\n{}}}\n", body(LIMIT - 2));
    let src = format!("{long}{short}");
    let said: Vec<String> = unexplained("x.rs", &src)
        .into_iter()
        .map(|(_, s)| s)
        .collect();
    assert_eq!(said, vec![format!("x.rs:1 long ({} lines)", LIMIT + 3)]);

    let reasoned = format!("/// Does a thing.\n///\n/// {MARKER} it must.\n#[inline]\n{long}");
    assert!(unexplained("x.rs", &reasoned).is_empty());

    let nested = format!("fn outer() {{\n{long}}}\n");
    let found = unexplained("x.rs", &nested);
    assert_eq!(found.len(), 2, "{found:?}");

    let tested = format!("#[cfg(test)]\nmod tests {{\n{long}}}\n");
    assert!(unexplained("x.rs", &tested).is_empty());
}
