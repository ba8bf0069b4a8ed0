//! The house's rule on long functions, checked by reading the source: a product function
//! (test code left out) over `LIMIT` lines states why it is long in a doc line at its top that
//! starts with `MARKER` ("/// Long because the loop's state is best kept in one place.").
//! Without the reason, split it.

mod source;
use source::{collect, drop_test_code, find, root, strip};

/// Lines a function may span, from its `fn` line to its closing brace, without a reason.
const LIMIT: usize = 100;
/// How a doc line at a long function's top begins when it gives the reason.
const MARKER: &str = "Long because";

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
