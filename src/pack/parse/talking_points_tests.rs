//! `talking_points`: how they are read and how a bad one is refused.

use super::*;
use crate::pack::TalkingPoint;

const HEAD: &str =
    "format = 1\ntitle = \"T\"\n[[questions]]\nid = \"a\"\ncategory = \"c\"\ntext = \"Why?\"\n";

fn points(text: &str) -> Result<Vec<TalkingPoint>, PackError> {
    parse(text, "content/x.toml").map(|p| p.questions[0].talking_points.clone())
}

/// A point and its words, as expected.
type Expected<'a> = &'a [(&'a str, &'a [&'a str])];

#[test]
fn talking_points_are_read_as_point_and_words() {
    let cases: &[(&str, Expected)] = &[
        ("", &[]),
        (
            "talking_points = [{ point = \"Own your part\", words = [\"I decided\", \"I led\"] }]\n",
            &[("Own your part", &["I decided", "I led"])],
        ),
        (
            "[[questions.talking_points]]\npoint = \" A metric \"\nwords = [\"measur*\"]\n\
             [[questions.talking_points]]\npoint = \"Users\"\nwords = [\"member\", \"customer\"]\n",
            &[("A metric", &["measur*"]), ("Users", &["member", "customer"])],
        ),
    ];
    for (extra, expected) in cases {
        let got = points(&format!("{HEAD}{extra}")).unwrap();
        let got: Vec<(&str, Vec<&str>)> = got
            .iter()
            .map(|p| {
                (
                    p.point.as_str(),
                    p.words.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        let expected: Vec<(&str, Vec<&str>)> =
            expected.iter().map(|(p, w)| (*p, w.to_vec())).collect();
        assert_eq!(got, expected, "{extra}");
    }
}

#[test]
fn bad_talking_points_are_refused_with_their_field() {
    let cases = [
        (
            "talking_points = [{ point = \"\", words = [\"x\"] }]\n",
            "questions[0].talking_points[0].point",
            "must not be empty",
        ),
        (
            "talking_points = [{ point = \"P\", words = [] }]\n",
            "questions[0].talking_points[0].words",
            "at least one word",
        ),
        (
            "talking_points = [{ point = \"P\", words = [\"ok\", \" \"] }]\n",
            "questions[0].talking_points[0].words[1]",
            "must not be empty",
        ),
        (
            "talking_points = [{ point = \"P\" }]\n",
            "questions[0].talking_points[0].words",
            "is missing",
        ),
        (
            "talking_points = [{ point = \"P\", words = [\"x\"], word = \"y\" }]\n",
            "questions[0].talking_points[0].word",
            "unknown key",
        ),
        (
            "talking_points = \"P\"\n",
            "questions[0].talking_points",
            "expected",
        ),
    ];
    for (extra, field, message) in cases {
        match points(&format!("{HEAD}{extra}")) {
            Err(PackError::Invalid {
                field: f,
                message: m,
                line,
                ..
            }) => {
                assert_eq!(f, field, "{extra}");
                assert!(m.contains(message), "{extra}: {m}");
                assert_eq!(line, 7, "{extra}");
            }
            other => panic!("{extra}: {other:?}"),
        }
    }
}

#[test]
fn every_question_of_the_netflix_pack_has_talking_points() {
    let pack = crate::pack::load(Some(crate::pack::DEFAULT_PACK)).unwrap();
    for q in &pack.questions {
        assert!(
            q.talking_points.len() >= 3,
            "{} has {} talking points",
            q.id,
            q.talking_points.len()
        );
    }
}
