//! "Did you mean …?": the closest of the names a user could have meant, for the messages that
//! reject a mistyped category or question id. A leaf: it knows names, not packs or sessions.

/// The one name in `known` that `typed` most likely misspells, if any is close enough: a
/// case-insensitive edit distance (a swapped pair counts as one edit) of at most a third of the
/// typed length, or else the only name that contains what was typed. A tie between two equally
/// close names suggests neither, since either guess could mislead.
pub fn closest<'a>(typed: &str, known: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let typed = typed.trim().to_lowercase();
    if typed.is_empty() {
        return None;
    }
    let known: Vec<&str> = known.into_iter().collect();
    if known.iter().any(|n| n.to_lowercase() == typed) {
        return None;
    }
    let allowed = (typed.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    let mut tied = false;
    for &name in &known {
        let lower = name.to_lowercase();
        let d = strsim::damerau_levenshtein(&typed, &lower);
        if d > allowed {
            continue;
        }
        match best {
            Some((b, held)) if d == b && !held.eq_ignore_ascii_case(name) => tied = true,
            Some((b, _)) if d >= b => {}
            _ => {
                best = Some((d, name));
                tied = false;
            }
        }
    }
    match best {
        Some((_, name)) if !tied => Some(name),
        Some(_) => None,
        None if typed.chars().count() >= 3 => {
            let mut containing = known.iter().filter(|n| n.to_lowercase().contains(&typed));
            match (containing.next(), containing.next()) {
                (Some(only), None) => Some(only),
                _ => None,
            }
        }
        None => None,
    }
}

/// `" (did you mean `NAME`?)"` when a close name exists, else nothing: put after the rejected
/// name in a message that goes on to list every valid one.
pub fn did_you_mean<'a>(typed: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    closest(typed, known).map_or_else(String::new, |name| format!(" (did you mean `{name}`?)"))
}

#[cfg(test)]
mod tests {
    use super::closest;

    #[test]
    fn suggests_the_one_close_name_and_only_that() {
        let categories = ["behavioural", "product-sense", "execution", "strategy"];
        let ids = [
            "why-netflix",
            "tell-me-about-yourself",
            "lead-cross-functional",
            "one",
            "two",
        ];
        let cases: &[(&str, &[&str], Option<&str>)] = &[
            ("behavioral", &categories, Some("behavioural")),
            ("Behavioural ", &categories, None), // the same name in other case is no typo
            ("BEHAVIORAL", &categories, Some("behavioural")),
            ("stratgey", &categories, Some("strategy")),
            ("product", &categories, Some("product-sense")),
            ("leadership", &categories, None),
            ("why-netflx", &ids, Some("why-netflix")),
            ("netflix", &ids, Some("why-netflix")),
            (
                "tell-me-about-yourslef",
                &ids,
                Some("tell-me-about-yourself"),
            ),
            ("five", &ids, None),
            ("on", &ids, Some("one")),
            ("twp", &ids, Some("two")),
            // "ane" is one edit from "one" and two from "two": the closer wins.
            ("ane", &ids, Some("one")),
            // One edit from two names: no guess.
            ("oe", &["one", "ode"], None),
            ("", &ids, None),
        ];
        for (typed, known, expected) in cases {
            assert_eq!(
                closest(typed, known.iter().copied()),
                *expected,
                "{typed:?} among {known:?}"
            );
        }
    }
}
