//! The packs voicemock ships (content/*.toml, each compiled in), the starter `packs new`
//! writes, and the JSON Schema editors check packs with: each parses, can be rehearsed, and
//! agrees with the schema.

use std::path::{Path, PathBuf};

use super::*;
use crate::session::plan::{self, Overrides};

fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(CONTENT_DIR)
}

/// Every `content/*.toml`, by file name.
fn shipped_files() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(content_dir())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    files.sort();
    files
}

fn built_in_pack(name: &str) -> Pack {
    load(Some(name)).unwrap_or_else(|e| panic!("built-in pack {name}: {e}"))
}

#[test]
fn every_shipped_pack_is_built_in_and_parses() {
    let files = shipped_files();
    assert!(files.len() >= 3, "{files:?}");
    let mut names: Vec<String> = files
        .iter()
        .map(|f| f.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    let mut built_ins: Vec<String> = built_in_names().iter().map(|s| s.to_string()).collect();
    names.sort();
    built_ins.sort();
    assert_eq!(
        names, built_ins,
        "every content/*.toml is compiled in, and only those"
    );
    for file in &files {
        let from_file = load_file(file).unwrap_or_else(|e| panic!("{e}"));
        let built_in = built_in_pack(&from_file.name);
        assert_eq!(built_in.sha256, from_file.sha256, "{}", file.display());
        assert_eq!(built_in.origin, BUILT_IN);
        // Each says where its schema is, for editors.
        let text = std::fs::read_to_string(file).unwrap();
        assert!(
            text.starts_with("#:schema ./pack.schema.json\n"),
            "{} does not name the schema on its first line",
            file.display()
        );
    }
}

#[test]
fn every_shipped_question_says_what_a_strong_answer_covers() {
    for name in built_in_names() {
        let pack = built_in_pack(name);
        assert!(!pack.checklist.is_empty(), "{name}: no checklist");
        for q in &pack.questions {
            assert!(
                q.notes.len() >= 2 || (q.category == "closing" && !q.notes.is_empty()),
                "{name}/{}: {} notes",
                q.id,
                q.notes.len()
            );
            assert!(
                q.talking_points.len() >= 3,
                "{name}/{}: {} talking points",
                q.id,
                q.talking_points.len()
            );
            assert!(
                q.timing.min_s >= q.timing.answer_s / 3.0,
                "{name}/{}: a useful minimum under a third of the limit",
                q.id
            );
            for f in &q.follow_ups {
                assert!(
                    f.timing.answer_s < q.timing.answer_s,
                    "{name}/{}: follow-up as long as its question",
                    f.id
                );
            }
        }
        // Tagged checklist points name categories the pack has (the parser checks this too).
        assert!(
            pack.checklist.iter().any(|p| !p.categories.is_empty()),
            "{name}"
        );
    }
}

#[test]
fn the_behavioural_pack_covers_the_themes_it_promises() {
    let pack = built_in_pack("behavioural");
    assert_eq!(pack.title, "Behavioural interview");
    assert!(
        pack.questions.len() >= 20,
        "{} questions",
        pack.questions.len()
    );
    assert_eq!(
        pack.categories(),
        [
            "motivation",
            "leadership",
            "conflict",
            "failure",
            "ambiguity",
            "influence",
            "prioritisation",
            "closing"
        ]
    );
    for theme in [
        "leadership",
        "conflict",
        "failure",
        "ambiguity",
        "influence",
        "prioritisation",
    ] {
        let n = pack
            .questions
            .iter()
            .filter(|q| q.category == theme)
            .count();
        assert!(n >= 3, "{theme}: {n} questions");
    }
    // Stories are told in one to two minutes.
    for q in pack
        .questions
        .iter()
        .filter(|q| q.category != "motivation" && q.category != "closing")
    {
        assert_eq!(q.timing.answer_s, 120.0, "{}", q.id);
    }
    assert!(
        pack.questions
            .iter()
            .filter(|q| !q.follow_ups.is_empty())
            .count()
            >= 6
    );
}

#[test]
fn the_product_sense_pack_covers_the_kinds_of_case_it_promises() {
    let pack = built_in_pack("pm-product-sense");
    let n = pack.questions.len();
    assert!((12..=16).contains(&n), "{n} questions");
    assert_eq!(
        pack.categories(),
        [
            "motivation",
            "design",
            "improvement",
            "metrics",
            "estimation",
            "strategy",
            "closing"
        ]
    );
    // Cases get more time than stories: to think and to answer.
    for q in pack
        .questions
        .iter()
        .filter(|q| q.category != "motivation" && q.category != "closing")
    {
        assert!(
            q.timing.think_s >= 30.0 && q.timing.answer_s >= 180.0,
            "{}: {:?}",
            q.id,
            q.timing
        );
    }
    for q in pack.questions.iter().filter(|q| q.category == "estimation") {
        assert!(
            q.timing.think_s >= 60.0,
            "{}: estimates need time to write the formula",
            q.id
        );
    }
}

/// A rehearsal of `minutes` opens with the pack's motivation question, ends on its closing
/// turn, and takes more than one category in between.
fn assert_rehearses(pack: &Pack, minutes: f64) {
    for seed in 0..5 {
        let r = plan::for_rehearsal(pack, &[], minutes * 60.0, seed, &Overrides::default())
            .unwrap_or_else(|e| panic!("{}: {e}", pack.name));
        let first = pack.question(&r.plan[0].id).unwrap();
        assert_eq!(
            first.category, "motivation",
            "{}: opens with {}",
            pack.name, first.id
        );
        let last = r.plan.last().unwrap();
        assert_eq!(
            pack.question(&last.id).unwrap().category,
            "closing",
            "{}",
            pack.name
        );
        let body: std::collections::HashSet<&str> = r
            .plan
            .iter()
            .filter_map(|p| pack.question(&p.id))
            .map(|q| q.category.as_str())
            .filter(|c| *c != "motivation" && *c != "closing")
            .collect();
        assert!(
            body.len() >= (pack.categories().len() - 2).min(2),
            "{} in {minutes} minutes: {body:?}",
            pack.name
        );
        assert!(
            r.planned_total_s <= minutes * 60.0,
            "{}: {}",
            pack.name,
            r.planned_total_s
        );
    }
    // Each body category can be rehearsed on its own.
    for category in pack.categories() {
        if category == "motivation" || category == "closing" {
            continue;
        }
        let r = plan::for_rehearsal(
            pack,
            std::slice::from_ref(&category),
            minutes * 60.0,
            1,
            &Overrides::default(),
        )
        .unwrap_or_else(|e| panic!("{} --category {category}: {e}", pack.name));
        assert!(r
            .plan
            .iter()
            .any(|p| pack.question(&p.id).is_some_and(|q| q.category == category)));
    }
}

#[test]
fn rehearse_can_plan_an_interview_with_every_shipped_pack() {
    for name in built_in_names() {
        assert_rehearses(&built_in_pack(name), 30.0);
    }
}

// --- The starter pack ------------------------------------------------------------------------

#[test]
fn the_starter_pack_is_a_valid_pack_that_rehearse_can_plan() {
    for name in ["acme", "sales-lead", "x_1"] {
        let pack = parse(&starter::text(name), &format!("{name}.toml"))
            .unwrap_or_else(|e| panic!("starter for {name}: {e}"));
        assert_eq!(pack.name, name);
        assert!(!pack.questions.is_empty());
        assert!(pack.questions.iter().any(|q| !q.follow_ups.is_empty()));
        assert!(pack.checklist.iter().any(|p| !p.categories.is_empty()));
        assert_rehearses(&pack, 10.0);
    }
    assert_eq!(
        parse(&starter::text("sales-lead"), "s.toml").unwrap().title,
        "Sales lead"
    );
}

#[test]
fn the_starter_explains_every_key_of_the_format() {
    let text = starter::text("acme");
    let schema: serde_json::Value = serde_json::from_str(SCHEMA).unwrap();
    let mut keys: Vec<&str> = Vec::new();
    for at in [
        "/properties",
        "/definitions/question/properties",
        "/definitions/follow_up/properties",
        "/definitions/talking_point/properties",
    ] {
        keys.extend(
            schema
                .pointer(at)
                .unwrap()
                .as_object()
                .unwrap()
                .keys()
                .map(String::as_str),
        );
    }
    for key in keys {
        let said = text.contains(&format!(" {key} ="))
            || text.contains(&format!("\n{key} ="))
            || text.contains(&format!("[{key}]"))
            || text.contains(&format!("[[{key}]]"))
            || text.contains(&format!("[[questions.{key}]]"));
        assert!(said, "the starter does not show `{key}`");
    }
}

#[test]
fn packs_new_writes_the_starter_and_the_schema_and_never_overwrites() {
    let scratch = tempfile::tempdir().unwrap();
    let dir = scratch.path().join("content");
    let written = starter::write("acme", &dir, None).unwrap();
    assert_eq!(written.pack, dir.join("acme.toml"));
    assert_eq!(
        written.schema.as_deref(),
        Some(dir.join(SCHEMA_FILE).as_path())
    );
    assert_eq!(
        std::fs::read_to_string(dir.join(SCHEMA_FILE)).unwrap(),
        SCHEMA
    );
    let pack = load_from(Some("acme"), &dir).unwrap();
    assert_eq!(pack.title, "Acme");

    // An edited pack is never overwritten; an existing schema is kept as it is.
    std::fs::write(dir.join("acme.toml"), "edited").unwrap();
    let err = starter::write("acme", &dir, None).unwrap_err();
    assert!(err.contains("already exists"), "{err}");
    assert_eq!(
        std::fs::read_to_string(dir.join("acme.toml")).unwrap(),
        "edited"
    );
    std::fs::write(dir.join(SCHEMA_FILE), "{}").unwrap();
    let other = starter::write("beta", &dir, None).unwrap();
    assert!(other.schema.is_none());
    assert_eq!(
        std::fs::read_to_string(dir.join(SCHEMA_FILE)).unwrap(),
        "{}"
    );

    // --output writes exactly there, folders and all.
    let out = scratch.path().join("elsewhere/deeper/mine.toml");
    let written = starter::write("mine", &dir, Some(&out)).unwrap();
    assert_eq!(written.pack, out);
    assert!(load_file(&out).is_ok());
    assert!(scratch
        .path()
        .join("elsewhere/deeper")
        .join(SCHEMA_FILE)
        .is_file());

    // Names that --pack could not reach, or that a built-in pack has, are refused.
    for bad in ["Acme", "my pack", "-x", "", "a/b", "../up"] {
        let err = starter::write(bad, &dir, None).unwrap_err();
        assert!(err.contains("not a usable pack name"), "{bad}: {err}");
    }
    let err = starter::write("behavioural", &dir, None).unwrap_err();
    assert!(err.contains("built-in"), "{err}");
    assert!(!dir.join("behavioural.toml").exists());
}

// --- The JSON Schema -------------------------------------------------------------------------

fn schema() -> jsonschema::Validator {
    let value: serde_json::Value = serde_json::from_str(SCHEMA).expect("the schema is JSON");
    jsonschema::draft7::new(&value).expect("the schema is a valid draft-07 schema")
}

/// A pack's TOML as the JSON value an editor checks against the schema.
fn as_json(text: &str) -> serde_json::Value {
    let value: toml::Value = toml::from_str(text).unwrap();
    serde_json::to_value(value).unwrap()
}

fn schema_errors(validator: &jsonschema::Validator, text: &str) -> Vec<String> {
    validator
        .iter_errors(&as_json(text))
        .map(|e| format!("{}: {e}", e.instance_path()))
        .collect()
}

#[test]
fn the_schema_in_content_is_the_one_compiled_in() {
    let on_disk = std::fs::read_to_string(content_dir().join(SCHEMA_FILE)).unwrap();
    assert_eq!(on_disk, SCHEMA);
}

#[test]
fn every_shipped_pack_and_the_starter_pass_the_schema() {
    let validator = schema();
    for file in shipped_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let errors = schema_errors(&validator, &text);
        assert!(errors.is_empty(), "{}: {errors:#?}", file.display());
    }
    let errors = schema_errors(&validator, &starter::text("acme"));
    assert!(errors.is_empty(), "starter: {errors:#?}");
}

const GOOD: &str = r#"format = 1
title = "Good"
[[questions]]
id = "one"
category = "c"
text = "First?"
"#;

#[test]
fn packs_the_parser_refuses_for_their_shape_the_schema_refuses_too() {
    let validator = schema();
    assert!(schema_errors(&validator, GOOD).is_empty());
    assert!(parse(GOOD, "good.toml").is_ok());
    let bad: &[(&str, String)] = &[
        ("no title", GOOD.replace("title = \"Good\"\n", "")),
        ("blank title", GOOD.replace("\"Good\"", "\"  \"")),
        ("another format", GOOD.replace("format = 1", "format = 2")),
        ("a misspelt key", GOOD.replace("text = ", "txt = ")),
        (
            "a misspelt top key",
            format!("{GOOD}\n").replace("title", "titel"),
        ),
        (
            "no questions",
            "format = 1\ntitle = \"T\"\nquestions = []\n".to_string(),
        ),
        ("a question without id", GOOD.replace("id = \"one\"\n", "")),
        ("an id with capitals", GOOD.replace("\"one\"", "\"One\"")),
        ("an id with a space", GOOD.replace("\"one\"", "\"o ne\"")),
        (
            "an id too long",
            GOOD.replace("\"one\"", &format!("\"{}\"", "a".repeat(65))),
        ),
        ("a time as text", format!("{GOOD}answer_s = \"90\"\n")),
        ("a negative think time", format!("{GOOD}think_s = -1\n")),
        (
            "an answer limit under a second",
            format!("{GOOD}answer_s = 0.5\n"),
        ),
        (
            "an answer limit over an hour",
            format!("{GOOD}answer_s = 4000\n"),
        ),
        ("a zero minimum", format!("{GOOD}min_s = 0\n")),
        ("two lights", format!("{GOOD}lights = [10, 20]\n")),
        (
            "notes as one string",
            format!("{GOOD}notes = \"just one\"\n"),
        ),
        ("an empty note", format!("{GOOD}notes = [\"\"]\n")),
        (
            "a talking point without words",
            format!("{GOOD}talking_points = [{{ point = \"p\", words = [] }}]\n"),
        ),
        (
            "a talking point with a stray key",
            format!("{GOOD}talking_points = [{{ point = \"p\", words = [\"w\"], weight = 2 }}]\n"),
        ),
        (
            "a tagged checklist point without categories",
            GOOD.replace(
                "title = \"Good\"\n",
                "title = \"Good\"\nchecklist = [{ point = \"p\" }]\n",
            ),
        ),
        (
            "a checklist number",
            GOOD.replace("title = \"Good\"\n", "title = \"Good\"\nchecklist = [3]\n"),
        ),
        (
            "a follow-up without text",
            format!("{GOOD}[[questions.follow_ups]]\nanswer_s = 30\n"),
        ),
        (
            "a follow-up with a min_s",
            format!("{GOOD}[[questions.follow_ups]]\ntext = \"And?\"\nmin_s = 10\n"),
        ),
        (
            "an unknown defaults key",
            GOOD.replace("[[questions]]", "[defaults]\nanswer = 60\n[[questions]]"),
        ),
    ];
    for (what, text) in bad {
        assert!(
            parse(text, "bad.toml").is_err(),
            "the parser accepts {what}:\n{text}"
        );
        assert!(
            !schema_errors(&validator, text).is_empty(),
            "the schema accepts {what}:\n{text}"
        );
    }
}
