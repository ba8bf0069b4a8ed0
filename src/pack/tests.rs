use super::*;

/// Writes `text` to `name` in `dir`, and returns its path.
fn write_file(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).unwrap();
    path
}

const SMALL: &str = r#"format = 1
title = "Small"
[[questions]]
id = "one"
category = "Alpha"
text = "First?"
[[questions]]
id = "two"
category = "beta"
text = "Second?"
[[questions]]
id = "three"
category = "alpha"
text = "Third?"
[[questions]]
id = "four"
category = "Alpha"
text = "Fourth?"
"#;

fn small() -> Pack {
    parse(SMALL, "small.toml").unwrap()
}

fn ids(questions: &[Question]) -> Vec<&str> {
    questions.iter().map(|q| q.id.as_str()).collect()
}

// --- The built-in pack ------------------------------------------------------------------------

fn netflix() -> Pack {
    load(None).expect("the built-in pack must load")
}

#[test]
fn the_default_pack_is_built_in_and_named_so() {
    let pack = netflix();
    assert_eq!(pack.name, DEFAULT_PACK);
    assert_eq!(pack.origin, BUILT_IN);
    assert_eq!(pack.title, "Netflix Product Manager");
    assert!(!pack.description.is_empty());
    assert_eq!(
        built_in_names(),
        [DEFAULT_PACK, "behavioural", "pm-product-sense"]
    );
}

#[test]
fn the_netflix_pack_asks_all_five_sample_questions_of_the_guide() {
    let pack = netflix();
    let samples = [
        ("improve-ux", "How would you improve the user experience on Netflix?"),
        ("new-app-priorities", "How would you prioritize feature development for a new Netflix app?"),
        (
            "underperforming-feature",
            "How would you handle a situation where user data suggests a particular feature is not performing well?",
        ),
        ("stay-current", "How do you stay updated with the latest trends in the streaming industry?"),
        ("new-market", "How would you approach launching a new international market for Netflix?"),
    ];
    for (id, text) in samples {
        let q = pack
            .question(id)
            .unwrap_or_else(|| panic!("no question {id}"));
        assert_eq!(q.text, text);
        assert!(!q.notes.is_empty(), "{id} has no notes");
    }
}

#[test]
fn the_netflix_pack_covers_the_themes_it_promises() {
    let pack = netflix();
    assert!(
        pack.questions.len() >= 15,
        "{} questions",
        pack.questions.len()
    );
    assert_eq!(
        pack.categories(),
        ["motivation", "behavioural", "product", "closing"]
    );
    for id in [
        "why-netflix",
        "why-this-role",
        "lead-cross-functional",
        "data-driven-decision",
        "feature-that-failed",
        "adapting-to-change",
        "learned-from-failure",
        "disagreement",
        "prioritisation-call",
        "your-questions",
    ] {
        assert!(pack.question(id).is_some(), "no question {id}");
    }
    assert_eq!(pack.questions.last().unwrap().id, "your-questions");
    assert!(pack.checklist.len() >= 6);
    for q in &pack.questions {
        assert!(q.notes.len() >= 2, "{} needs notes", q.id);
    }
}

#[test]
fn the_netflix_checklist_asks_about_your_questions_only_at_the_close() {
    let pack = netflix();
    let asks = |category: &str| {
        pack.checklist_for(category)
            .iter()
            .any(|p| p.contains("ask questions"))
    };
    assert!(asks("closing"));
    for category in ["motivation", "behavioural", "product"] {
        assert!(!asks(category), "{category}");
        // Every answer still gets the points that fit everything.
        assert!(pack.checklist_for(category).len() >= 3, "{category}");
    }
    let star = |category: &str| {
        pack.checklist_for(category)
            .iter()
            .any(|p| p.contains("situation, task, action, result"))
    };
    assert!(star("behavioural") && !star("motivation") && !star("product"));
}

#[test]
fn the_netflix_pack_times_behavioural_answers_short_and_product_answers_long() {
    let pack = netflix();
    for q in &pack.questions {
        let t = q.timing;
        match q.category.as_str() {
            "behavioural" => {
                assert_eq!(t.answer_s, 120.0, "{}", q.id);
                assert!((15.0..=30.0).contains(&t.think_s), "{}", q.id);
            }
            "product" => {
                assert!((180.0..=300.0).contains(&t.answer_s), "{}", q.id);
                assert!(t.think_s >= 30.0, "{}", q.id);
            }
            _ => assert!((60.0..=120.0).contains(&t.answer_s), "{}", q.id),
        }
        assert!(0.0 < t.min_s && t.min_s < t.answer_s, "{}", q.id);
        assert!(0.0 < t.warn_s && t.warn_s < t.answer_s, "{}", q.id);
    }
}

// --- Finding packs ----------------------------------------------------------------------------

#[test]
fn load_tries_built_in_names_then_paths_then_the_content_folder() {
    let dir = tempfile::tempdir().unwrap();
    let content = dir.path().join("content");
    std::fs::create_dir(&content).unwrap();
    std::fs::write(content.join("small.toml"), SMALL).unwrap();
    std::fs::write(content.join("netflix-pm.toml"), SMALL).unwrap();
    let elsewhere = write_file(&dir, "elsewhere.toml", SMALL);

    let by_name = load_from(Some("small"), &content).unwrap();
    assert_eq!(
        (by_name.name.as_str(), by_name.questions.len()),
        ("small", 4)
    );
    assert_eq!(
        by_name.origin,
        content.join("small.toml").display().to_string()
    );

    let by_path = load_from(Some(&elsewhere.display().to_string()), &content).unwrap();
    assert_eq!(by_path.name, "elsewhere");
    assert_eq!(by_path.origin, elsewhere.display().to_string());

    // A built-in name wins over a content file of the same name.
    let shadowed = load_from(Some("netflix-pm"), &content).unwrap();
    assert_eq!(shadowed.origin, BUILT_IN);
    assert_eq!(load_from(None, &content).unwrap().origin, BUILT_IN);
}

#[test]
fn an_unknown_pack_name_lists_the_ones_available() {
    let dir = tempfile::tempdir().unwrap();
    write_file(&dir, "mine.toml", SMALL);
    write_file(&dir, "broken.toml", "format = ");
    match load_from(Some("nope"), dir.path()) {
        Err(err @ PackError::NotFound { .. }) => {
            let PackError::NotFound { name, available } = &err else {
                unreachable!()
            };
            assert_eq!(name, "nope");
            assert_eq!(
                available,
                &[
                    "netflix-pm",
                    "behavioural",
                    "pm-product-sense",
                    "broken",
                    "mine"
                ]
            );
            assert!(
                err.to_string().contains(
                    "available packs: netflix-pm, behavioural, pm-product-sense, broken, mine"
                ),
                "{err}"
            );
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
}

#[test]
fn a_pack_file_that_cannot_be_read_says_which() {
    let dir = tempfile::tempdir().unwrap();
    let err = load_file(&dir.path().join("missing.toml")).unwrap_err();
    assert!(matches!(err, PackError::Read { .. }), "{err:?}");
    assert!(err.to_string().contains("missing.toml"), "{err}");
}

#[test]
fn available_lists_built_ins_then_content_packs_sorted_with_broken_ones_kept() {
    let dir = tempfile::tempdir().unwrap();
    write_file(&dir, "zeta.toml", SMALL);
    write_file(
        &dir,
        "alpha.toml",
        "format = 1\ntitle = \"A\"\n[defaults]\nanswer_s = 0\n",
    );
    write_file(&dir, "notes.txt", "not a pack");
    let listing = available_in(dir.path());
    let names: Vec<&str> = listing.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "netflix-pm",
            "behavioural",
            "pm-product-sense",
            "alpha",
            "zeta"
        ]
    );
    let built_ins = built_in_names().len();
    for l in &listing[..built_ins] {
        assert_eq!(l.origin, BUILT_IN);
        assert!(l.result.is_ok(), "{}", l.name);
    }
    let broken = listing[built_ins].result.as_ref().unwrap_err().to_string();
    assert!(
        broken.ends_with("alpha.toml:1:1: field `questions`: is missing; it is required here"),
        "{broken}"
    );
    assert_eq!(
        listing[built_ins + 1]
            .result
            .as_ref()
            .unwrap()
            .questions
            .len(),
        4
    );
    assert_eq!(
        listing[built_ins + 1].origin,
        dir.path().join("zeta.toml").display().to_string()
    );
}

#[test]
fn available_without_a_content_folder_lists_only_built_ins() {
    let dir = tempfile::tempdir().unwrap();
    let listing = available_in(&dir.path().join("absent"));
    assert_eq!(listing.len(), built_in_names().len());
}

// --- Choosing questions -----------------------------------------------------------------------

#[test]
fn categories_are_distinct_in_order_of_first_appearance() {
    assert_eq!(small().categories(), ["Alpha", "beta", "alpha"]);
}

#[test]
fn selections_choose_filter_order_and_cut() {
    let pack = small();
    let sel = |ids: &[&str], categories: &[&str], count: Option<usize>| Selection {
        ids: ids.iter().map(|s| s.to_string()).collect(),
        categories: categories.iter().map(|s| s.to_string()).collect(),
        count,
        ..Selection::default()
    };
    let cases: &[(&str, Selection, &[&str])] = &[
        (
            "everything, in file order",
            sel(&[], &[], None),
            &["one", "two", "three", "four"],
        ),
        (
            "ids, in the order given",
            sel(&["three", "one"], &[], None),
            &["three", "one"],
        ),
        ("ids ignore case", sel(&["TWO"], &[], None), &["two"]),
        ("a category, any case", sel(&[], &["BETA"], None), &["two"]),
        (
            "two categories",
            sel(&[], &["beta", "Alpha"], None),
            &["one", "two", "four"],
        ),
        ("cut to a count", sel(&[], &[], Some(2)), &["one", "two"]),
        (
            "a count above the total",
            sel(&[], &[], Some(10)),
            &["one", "two", "three", "four"],
        ),
        (
            "ids within a category",
            sel(&["four", "one"], &["alpha"], None),
            &["four", "one"],
        ),
    ];
    for (what, selection, expected) in cases {
        let chosen = pack
            .select(selection)
            .unwrap_or_else(|e| panic!("{what}: {e}"));
        assert_eq!(ids(&chosen), *expected, "{what}");
    }
}

#[test]
fn bad_selections_say_what_is_valid() {
    let pack = small();
    let cases: &[(&str, Selection, &str)] = &[
        (
            "unknown id",
            Selection { ids: vec!["five".into()], ..Selection::default() },
            "no question `five` in pack small; its question ids are: one, two, three, four",
        ),
        (
            "unknown category",
            Selection { categories: vec!["gamma".into()], ..Selection::default() },
            "no category `gamma` in pack small; its categories are: Alpha, beta, alpha",
        ),
        (
            "a misspelt id",
            Selection { ids: vec!["for".into()], ..Selection::default() },
            "no question `for` in pack small (did you mean `four`?); its question ids are: one, \
             two, three, four",
        ),
        (
            "a misspelt category",
            Selection { categories: vec!["bta".into()], ..Selection::default() },
            "no category `bta` in pack small (did you mean `beta`?); its categories are: Alpha, \
             beta, alpha",
        ),
        (
            "an id outside the chosen categories",
            Selection { ids: vec!["two".into()], categories: vec!["Alpha".into()], ..Selection::default() },
            "question `two` is in category `beta`, which is not among the chosen categories (Alpha)",
        ),
        (
            "a count of zero",
            Selection { count: Some(0), ..Selection::default() },
            "a count of 0 asks no questions",
        ),
    ];
    for (what, selection, expected) in cases {
        match pack.select(selection) {
            Err(err @ PackError::Selection(_)) => {
                assert!(err.to_string().contains(expected), "{what}: {err}")
            }
            other => panic!("{what}: expected a selection error, got {other:?}"),
        }
    }
}

#[test]
fn a_shuffle_is_a_permutation_repeated_by_its_seed() {
    let pack = netflix();
    let shuffled = |seed| {
        let sel = Selection {
            shuffle: true,
            seed,
            ..Selection::default()
        };
        ids(&pack.select(&sel).unwrap())
            .into_iter()
            .map(String::from)
            .collect::<Vec<_>>()
    };
    let first = shuffled(7);
    assert_eq!(first, shuffled(7), "same seed, same order");
    assert_ne!(first, shuffled(8), "another seed, another order");
    assert_ne!(first, pack.ids(), "shuffled at all");
    let mut sorted = first.clone();
    sorted.sort();
    let mut all: Vec<String> = pack.ids().into_iter().map(String::from).collect();
    all.sort();
    assert_eq!(sorted, all, "every question exactly once");
}

#[test]
fn a_shuffle_happens_before_the_cut() {
    let pack = netflix();
    let sel = Selection {
        shuffle: true,
        seed: 7,
        count: Some(3),
        ..Selection::default()
    };
    let chosen = pack.select(&sel).unwrap();
    assert_eq!(chosen.len(), 3);
    assert_ne!(ids(&chosen), &pack.ids()[..3]);
}

// --- The format's documentation -----------------------------------------------------------------

#[test]
fn the_example_in_the_format_readme_is_a_valid_pack() {
    let readme = include_str!("../../content/README.md");
    let example = readme
        .split("```toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("content/README.md has a ```toml example");
    let pack = parse(example, "content/acme.toml").unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pack.ids(), ["conflict", "design-feed"]);
    let design = pack.question("design-feed").unwrap().timing;
    assert_eq!(
        (design.think_s, design.answer_s, design.min_s, design.warn_s),
        (60.0, 300.0, 150.0, 30.0)
    );
}
