//! The house's boundaries, checked by reading the source: the layering and the "one crate,
//! one module" lists are stated once, in ARCHITECTURE.md, and read from there. Product code
//! only (test code may reach anything it tests).
//!
//! - A module uses only modules on lower lines of the layering (never one above, nor one on
//!   its own line), and never the crate root (`lib.rs` is the top).
//! - Inside a module, no two files use each other, however long the way round.
//! - Each outside crate of the list is named in the one file the list gives it.

use std::collections::{BTreeMap, BTreeSet};

mod source;
use source::{collect, drop_test_code, root, strip};

/// The lines of the fenced block ```NAME in ARCHITECTURE.md.
fn doc_block(name: &str) -> Vec<String> {
    let doc = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let mut lines = doc.lines().skip_while(|l| l.trim() != format!("```{name}"));
    assert!(
        lines.next().is_some(),
        "ARCHITECTURE.md has no ```{name} block"
    );
    lines
        .take_while(|l| l.trim() != "```")
        .map(str::to_string)
        .collect()
}

/// Module name → its line in the layering (0 is the ground): a line is modules separated by
/// spaces, the top line first; text after `#` is a comment.
fn layering() -> BTreeMap<String, usize> {
    let lines: Vec<Vec<String>> = doc_block("layers")
        .iter()
        .map(|l| l.split('#').next().unwrap_or_default().to_string())
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split_whitespace().map(str::to_string).collect())
        .collect();
    let count = lines.len();
    let mut layer = BTreeMap::new();
    for (i, modules) in lines.into_iter().enumerate() {
        for m in modules {
            assert!(
                layer.insert(m.clone(), count - 1 - i).is_none(),
                "{m} twice"
            );
        }
    }
    layer
}

/// Crate (as code names it) → the one file (under src/) that may name it.
fn crate_homes() -> BTreeMap<String, BTreeSet<String>> {
    doc_block("crates")
        .iter()
        .filter_map(|l| l.split_once(':'))
        .map(|(krate, files)| {
            (
                krate.trim().replace('-', "_"),
                files.split_whitespace().map(str::to_string).collect(),
            )
        })
        .collect()
}

/// The paths a piece of code names from `crate::`, `super::` or `self::`, as module paths
/// from the crate root (a `use` tree with braces gives one path per leaf), each with its line.
fn paths(code: &str, file_mod: &[String], is_mod_rs: bool) -> Vec<(Vec<String>, usize)> {
    let tokens = tokenize(code);
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let (ref t, line) = tokens[i];
        let prev_sep = i > 0 && tokens[i - 1].0 == "::";
        if !prev_sep && (t == "crate" || t == "super" || t == "self") {
            // `self` alone is a value; only `self::` starts a path.
            if tokens.get(i + 1).map(|t| t.0.as_str()) != Some("::") {
                i += 1;
                continue;
            }
            // Where the path starts: the crate root, or this file's module climbed up.
            let mut base: Vec<String> = if t == "crate" {
                Vec::new()
            } else {
                // A mod.rs is its folder's module; `self` is the file's own module.
                file_mod.to_vec()
            };
            let mut j = i;
            if t != "crate" {
                while tokens.get(j).map(|t| t.0.as_str()) == Some("super") {
                    base.pop();
                    j += 2;
                }
                if tokens.get(j).map(|t| t.0.as_str()) == Some("self") {
                    j += 2;
                }
            } else {
                j += 2;
            }
            let _ = is_mod_rs;
            let (leaves, next) = tree(&tokens, j, base);
            for leaf in leaves {
                out.push((leaf, line));
            }
            i = next.max(i + 1);
        } else {
            i += 1;
        }
    }
    out
}

/// One use tree (or path) from token `i`: the paths it names and the token after it.
fn tree(
    tokens: &[(String, usize)],
    mut i: usize,
    mut base: Vec<String>,
) -> (Vec<Vec<String>>, usize) {
    loop {
        match tokens.get(i).map(|t| t.0.as_str()) {
            Some("{") => {
                let mut leaves = Vec::new();
                i += 1;
                loop {
                    match tokens.get(i).map(|t| t.0.as_str()) {
                        Some("}") => return (leaves, i + 1),
                        Some(",") => i += 1,
                        None => return (leaves, i),
                        _ => {
                            let (more, next) = tree(tokens, i, base.clone());
                            leaves.extend(more);
                            i = next.max(i + 1);
                        }
                    }
                }
            }
            Some(word) if is_ident(word) => {
                if word != "self" {
                    base.push(word.to_string());
                }
                if tokens.get(i + 1).map(|t| t.0.as_str()) == Some("::") {
                    i += 2;
                } else {
                    // Skip an `as NAME` so it is not read as a path.
                    let next = if tokens.get(i + 1).map(|t| t.0.as_str()) == Some("as") {
                        i + 3
                    } else {
                        i + 1
                    };
                    return (vec![base], next);
                }
            }
            _ => return (vec![base], i),
        }
    }
}

fn is_ident(w: &str) -> bool {
    w.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
}

fn tokenize(code: &str) -> Vec<(String, usize)> {
    let mut tokens = Vec::new();
    for (n, line) in code.lines().enumerate() {
        let chars: Vec<char> = line.chars().collect();
        let mut i = 0;
        while i < chars.len() {
            let c = chars[i];
            if c.is_alphanumeric() || c == '_' {
                let start = i;
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                tokens.push((chars[start..i].iter().collect(), n + 1));
            } else if c == ':' && chars.get(i + 1) == Some(&':') {
                tokens.push(("::".into(), n + 1));
                i += 2;
            } else {
                if !c.is_whitespace() {
                    tokens.push((c.to_string(), n + 1));
                }
                i += 1;
            }
        }
    }
    tokens
}

struct Source {
    /// Path under src/, e.g. `record/facts.rs`.
    rel: String,
    /// Its module path from the crate root (`["record", "facts"]`; a mod.rs is its folder).
    module: Vec<String>,
    code: String,
}

/// Every product file under src/ with its test code blanked; files that only tests compile
/// (declared under `#[cfg(test)]`) are left out.
fn product_sources() -> Vec<Source> {
    let src = root().join("src");
    let mut files = Vec::new();
    collect(&src, &mut files);
    let mut read = Vec::new();
    let mut test_only: BTreeSet<Vec<String>> = BTreeSet::new();
    for path in files {
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let mut module: Vec<String> = rel
            .trim_end_matches(".rs")
            .split('/')
            .map(str::to_string)
            .collect();
        if module
            .last()
            .is_some_and(|l| l == "mod" || l == "lib" || l == "main")
        {
            module.pop();
        }
        let (code, tests) = drop_test_code(&strip(&std::fs::read_to_string(&path).unwrap()));
        for t in tests {
            let mut m = module.clone();
            m.push(t);
            test_only.insert(m);
        }
        read.push(Source { rel, module, code });
    }
    read.retain(|s| !test_only.iter().any(|t| s.module.starts_with(t)));
    read
}

/// Every way one file of the product names another module (`from → to`), with its line.
struct Use {
    from: usize,
    path: Vec<String>,
    line: usize,
}

fn uses(sources: &[Source]) -> Vec<Use> {
    let mut all = Vec::new();
    for (n, s) in sources.iter().enumerate() {
        let is_mod_rs = s.rel.ends_with("mod.rs");
        for (path, line) in paths(&s.code, &s.module, is_mod_rs) {
            all.push(Use {
                from: n,
                path,
                line,
            });
        }
    }
    all
}

/// What breaks the layering, one line each (empty when it holds).
fn layering_faults(sources: &[Source], layer: &BTreeMap<String, usize>) -> Vec<String> {
    let mut faults = Vec::new();
    for s in sources {
        if let Some(top) = s.module.first() {
            if !layer.contains_key(top) {
                faults.push(format!(
                    "src/{}: module `{top}` is on no line of the layering",
                    s.rel
                ));
            }
        }
    }
    for u in uses(sources) {
        let s = &sources[u.from];
        let Some(from) = s.module.first() else {
            continue; // the crate root may use anything
        };
        let to = u.path.first().cloned().unwrap_or_default();
        if &to == from {
            continue;
        }
        let named = u.path.join("::");
        match (layer.get(from), layer.get(&to)) {
            (Some(a), Some(b)) if b < a => {}
            (Some(_), Some(_)) => faults.push(format!(
                "src/{}:{}: `{from}` uses `crate::{named}`, which is not below it",
                s.rel, u.line
            )),
            (_, None) => faults.push(format!(
                "src/{}:{}: `{from}` uses `crate::{named}`, from the crate root",
                s.rel, u.line
            )),
            (None, _) => {}
        }
    }
    faults.sort();
    faults.dedup();
    faults
}

/// Circles between the files of one module, each as its files in order.
fn circles(sources: &[Source]) -> Vec<String> {
    let index: BTreeMap<&[String], usize> = sources
        .iter()
        .enumerate()
        .map(|(n, s)| (s.module.as_slice(), n))
        .collect();
    let mut edges: BTreeMap<usize, BTreeSet<usize>> = BTreeMap::new();
    for u in uses(sources) {
        let from = &sources[u.from];
        // The longest prefix of the path that is a file of the product.
        let Some(to) = (1..=u.path.len())
            .rev()
            .find_map(|k| index.get(&u.path[..k]).copied())
        else {
            continue;
        };
        let target = &sources[to].module;
        // Only files of one module; a module's own mod.rs hands its children's names on, so
        // a child reaching its parent is not an arrow.
        if to == u.from
            || target.len() < 2
            || from.module.first() != target.first()
            || from.module.starts_with(target)
        {
            continue;
        }
        edges.entry(u.from).or_default().insert(to);
    }
    // A circle is a strongly connected set of two or more files (Tarjan's algorithm).
    let mut found = Vec::new();
    let mut state = Tarjan::default();
    for n in 0..sources.len() {
        if !state.index.contains_key(&n) {
            state.visit(n, &edges, &mut found);
        }
    }
    found
        .into_iter()
        .map(|set: Vec<usize>| {
            let mut names: Vec<String> = set
                .iter()
                .map(|&n| format!("src/{}", sources[n].rel))
                .collect();
            names.sort();
            names.join(" ↔ ")
        })
        .collect()
}

#[derive(Default)]
struct Tarjan {
    next: usize,
    index: BTreeMap<usize, usize>,
    low: BTreeMap<usize, usize>,
    stack: Vec<usize>,
    on_stack: BTreeSet<usize>,
}

impl Tarjan {
    fn visit(
        &mut self,
        n: usize,
        edges: &BTreeMap<usize, BTreeSet<usize>>,
        found: &mut Vec<Vec<usize>>,
    ) {
        self.index.insert(n, self.next);
        self.low.insert(n, self.next);
        self.next += 1;
        self.stack.push(n);
        self.on_stack.insert(n);
        for &m in edges.get(&n).into_iter().flatten() {
            if !self.index.contains_key(&m) {
                self.visit(m, edges, found);
                let low = self.low[&n].min(self.low[&m]);
                self.low.insert(n, low);
            } else if self.on_stack.contains(&m) {
                let low = self.low[&n].min(self.index[&m]);
                self.low.insert(n, low);
            }
        }
        if self.low[&n] == self.index[&n] {
            let mut set = Vec::new();
            while let Some(m) = self.stack.pop() {
                self.on_stack.remove(&m);
                set.push(m);
                if m == n {
                    break;
                }
            }
            if set.len() > 1 {
                found.push(set);
            }
        }
    }
}

/// Files that name an outside crate of the list other than the one file it belongs to.
fn crate_faults(homes: &BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let src = root().join("src");
    let mut files = Vec::new();
    collect(&src, &mut files);
    let mut faults = Vec::new();
    for path in files {
        let rel = path
            .strip_prefix(&src)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let code = strip(&std::fs::read_to_string(&path).unwrap());
        let tokens = tokenize(&code);
        for (n, (word, line)) in tokens.iter().enumerate() {
            let Some(allowed) = homes.get(word) else {
                continue;
            };
            let prev = n.checked_sub(1).map(|p| tokens[p].0.as_str());
            let next = tokens.get(n + 1).map(|t| t.0.as_str());
            // A crate is named as a path's first segment (`cpal::…`, `use cpal;`).
            let named = prev != Some("::") && (next == Some("::") || prev == Some("use"));
            if named && !allowed.contains(&rel) {
                faults.push(format!(
                    "src/{rel}:{line}: names `{word}`, which belongs to {allowed:?}"
                ));
            }
        }
    }
    faults
}

#[test]
fn every_module_uses_only_the_layers_below_it() {
    let faults = layering_faults(&product_sources(), &layering());
    assert!(
        faults.is_empty(),
        "imports against ARCHITECTURE.md's layering:\n{}",
        faults.join("\n")
    );
}

#[test]
fn no_two_files_of_a_module_use_each_other() {
    let found = circles(&product_sources());
    assert!(found.is_empty(), "circles:\n{}", found.join("\n"));
}

#[test]
fn each_outside_crate_is_named_in_its_one_module() {
    let homes = crate_homes();
    for krate in [
        "cpal",
        "tts",
        "rodio",
        "indicatif",
        "crossterm",
        "whisper_rs",
        "maud",
        "libpulse_binding",
    ] {
        assert!(
            homes.contains_key(krate),
            "ARCHITECTURE.md gives {krate} no home"
        );
    }
    let faults = crate_faults(&homes);
    assert!(faults.is_empty(), "{}", faults.join("\n"));
}

#[test]
fn the_checks_see_what_they_look_for() {
    // The reader finds uses however they are written, and leaves out comments, strings and
    // test code; a use that breaks the layering is caught.
    let code = r##"
        use crate::audio::{self, level::{dbfs, CLIP_LEVEL}};
        // use crate::commands;
        const S: &str = "crate::session";
        const R: &str = r#"crate::session"#;
        fn f() { let c = '"'; crate::ui::mmss(1.0); super::super::record::load(); }
        #[cfg(test)]
        mod tests { use crate::commands; }
    "##;
    let (code, _) = drop_test_code(&strip(code));
    let module = vec!["report".to_string(), "html".to_string()];
    let found: Vec<String> = paths(&code, &module, false)
        .into_iter()
        .map(|(p, _)| p.join("::"))
        .collect();
    assert_eq!(
        found,
        [
            "audio",
            "audio::level::dbfs",
            "audio::level::CLIP_LEVEL",
            "ui::mmss",
            "record::load"
        ]
    );
    let layer: BTreeMap<String, usize> = [("audio", 0), ("ui", 1), ("report", 2)]
        .map(|(m, l)| (m.to_string(), l))
        .into();
    let source = |module: &[&str], code: &str| Source {
        rel: format!("{}.rs", module.join("/")),
        module: module.iter().map(|m| m.to_string()).collect(),
        code: code.into(),
    };
    assert!(layering_faults(&[source(&["ui"], "use crate::audio::x;")], &layer).is_empty());
    assert_eq!(
        layering_faults(&[source(&["audio"], "use crate::ui::x;")], &layer).len(),
        1
    );
    assert_eq!(
        layering_faults(&[source(&["ui"], "use crate::ExitWith;")], &layer).len(),
        1
    );
    let circle = [
        source(&["report", "a"], "use super::b::x;"),
        source(&["report", "b"], "use crate::report::a::y;"),
    ];
    assert_eq!(circles(&circle).len(), 1);
}
