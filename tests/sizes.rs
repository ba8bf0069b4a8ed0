//! The house's rule on long functions, checked by reading the source: a product function
//! (test code left out) over `LIMIT` lines states why it is long in a doc line at its top that
//! starts with `MARKER` ("/// Long because the loop's state is best kept in one place.").
//! Without the reason, split it.

use std::path::{Path, PathBuf};

/// Lines a function may span, from its `fn` line to its closing brace, without a reason.
const LIMIT: usize = 100;
/// How a doc line at a long function's top begins when it gives the reason.
const MARKER: &str = "Long because";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Code with comments, strings and character literals blanked (lines kept).
fn strip(src: &str) -> String {
    let b = src.as_bytes();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let blank = |out: &mut String, s: &[u8]| {
        for &c in s {
            out.push(if c == b'\n' { '\n' } else { ' ' });
        }
    };
    while i < b.len() {
        let rest = &b[i..];
        if rest.starts_with(b"//") {
            let end = rest.iter().position(|&c| c == b'\n').unwrap_or(rest.len());
            blank(&mut out, &rest[..end]);
            i += end;
        } else if rest.starts_with(b"/*") {
            let (mut depth, mut j) = (0, 0);
            while j < rest.len() {
                if rest[j..].starts_with(b"/*") {
                    depth += 1;
                    j += 2;
                } else if rest[j..].starts_with(b"*/") {
                    depth -= 1;
                    j += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    j += 1;
                }
            }
            blank(&mut out, &rest[..j]);
            i += j;
        } else if rest[0] == b'r'
            && (rest.get(1) == Some(&b'"') || rest.get(1) == Some(&b'#'))
            && !prev_is_ident(b, i)
        {
            let hashes = rest[1..].iter().take_while(|&&c| c == b'#').count();
            if rest.get(1 + hashes) != Some(&b'"') {
                out.push('r');
                i += 1;
                continue;
            }
            let close: Vec<u8> = std::iter::once(b'"')
                .chain(std::iter::repeat_n(b'#', hashes))
                .collect();
            let body = 2 + hashes;
            let end = rest[body..]
                .windows(close.len())
                .position(|w| w == close.as_slice())
                .map_or(rest.len(), |p| body + p + close.len());
            blank(&mut out, &rest[..end]);
            i += end;
        } else if rest[0] == b'"' {
            let mut j = 1;
            while j < rest.len() && rest[j] != b'"' {
                j += if rest[j] == b'\\' { 2 } else { 1 };
            }
            let end = (j + 1).min(rest.len());
            blank(&mut out, &rest[..end]);
            i += end;
        } else if rest[0] == b'\'' {
            // A character literal ('x', '\n', '\u{..}'), not a lifetime ('a).
            let end = if rest.get(1) == Some(&b'\\') {
                rest[2..].iter().position(|&c| c == b'\'').map(|p| p + 3)
            } else {
                let ch = src[i + 1..].chars().next().map_or(1, char::len_utf8);
                (rest.get(1 + ch) == Some(&b'\'')).then_some(2 + ch)
            };
            match end {
                Some(end) => {
                    blank(&mut out, &rest[..end]);
                    i += end;
                }
                None => {
                    out.push('\'');
                    i += 1;
                }
            }
        } else {
            let ch = src[i..].chars().next().unwrap_or(' ');
            out.push(ch);
            i += ch.len_utf8();
        }
    }
    out
}

fn prev_is_ident(b: &[u8], i: usize) -> bool {
    i > 0 && (b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_')
}

/// Blanks every item under `#[cfg(test)]`, and returns the names of the `mod NAME;` so marked.
fn drop_test_code(code: &str) -> (String, Vec<String>) {
    let mut b = code.as_bytes().to_vec();
    let mut test_mods = Vec::new();
    let marker = b"#[cfg(test)]";
    let mut from = 0;
    while let Some(p) = find(&b, marker, from) {
        let start = p;
        let mut j = p + marker.len();
        // Further attributes, then the item up to its `;` or its balanced `{…}`.
        let item_start = j;
        let mut depth = 0usize;
        let mut end = b.len();
        while j < b.len() {
            match b[j] {
                b'{' => depth += 1,
                b'}' => {
                    depth = depth.saturating_sub(1);
                    if depth == 0 {
                        end = j + 1;
                        break;
                    }
                }
                b';' if depth == 0 => {
                    end = j + 1;
                    break;
                }
                _ => {}
            }
            j += 1;
        }
        let item = String::from_utf8_lossy(&b[item_start..end]).into_owned();
        let words: Vec<&str> = item
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .filter(|w| !w.is_empty())
            .collect();
        if item.trim_end().ends_with(';') {
            if let Some(pos) = words.iter().position(|w| *w == "mod") {
                if let Some(name) = words.get(pos + 1) {
                    test_mods.push(name.to_string());
                }
            }
        }
        for c in &mut b[start..end] {
            if *c != b'\n' {
                *c = b' ';
            }
        }
        from = end;
    }
    (String::from_utf8(b).unwrap(), test_mods)
}

fn find(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    hay.get(from..)?
        .windows(needle.len())
        .position(|w| w == needle)
        .map(|p| p + from)
}

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

fn collect(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            collect(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
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
