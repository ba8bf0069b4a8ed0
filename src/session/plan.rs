//! The questions of a session as planned: one list of [`Planned`] questions that gives the
//! log its questions and the machine its steps, so the two can never disagree. `run`,
//! `rehearse` and `drill` are three ways of building this list for one session core; the
//! commands only choose questions and limits.

use crate::pack::{FollowUp, Lights, Pack, Question, TalkingPoint, Timing};
use crate::record::{Outcome, QuestionLog, TalkingPointLog};

use super::machine::{Budget, Machine, Step};

/// Seconds an interviewer takes to move on ("Thank you. Next question.").
pub const TRANSITION_S: f64 = 3.0;

/// One question of the plan: what is asked, and its timing as the machine runs it.
#[derive(Debug, Clone, PartialEq)]
pub struct Planned {
    pub id: String,
    pub category: String,
    pub text: String,
    /// What a strong answer covers (the pack's notes, kept in the log).
    pub notes: Vec<String>,
    /// The id of the question this one follows up.
    pub follow_up_of: Option<String>,
    /// What a transcript of the answer is checked against.
    pub talking_points: Vec<TalkingPoint>,
    pub step: Step,
}

/// What the command line changes in a pack's timing.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Overrides {
    pub think_s: Option<f64>,
    pub answer_s: Option<f64>,
    pub lights: Option<Lights>,
}

/// Seconds a speech synthesizer takes to say `text`: about 150 words a minute, plus start.
pub fn speech_estimate_s(text: &str) -> f64 {
    1.0 + text.split_whitespace().count() as f64 * 0.4
}

impl Planned {
    fn new(
        id: &str,
        category: &str,
        text: &str,
        notes: &[String],
        timing: &Timing,
        pack_lights: Option<Lights>,
        over: &Overrides,
    ) -> Planned {
        let limit_s = over.answer_s.unwrap_or(timing.answer_s);
        let think_s = over.think_s.unwrap_or(timing.think_s);
        let lights = match over.lights {
            // Lights from the command line fit every limit: red no later than the limit.
            Some(l) if l.red_s <= limit_s => l,
            Some(l) => l.scaled(l.red_s, limit_s),
            None => pack_lights
                .unwrap_or_else(|| Lights::from_timing(timing))
                .scaled(timing.answer_s, limit_s),
        };
        Planned {
            id: id.to_string(),
            category: category.to_string(),
            text: text.to_string(),
            notes: notes.to_vec(),
            follow_up_of: None,
            talking_points: Vec::new(),
            step: Step {
                think_s,
                limits: vec![limit_s],
                lights,
                follow_up_of: None,
                planned_s: speech_estimate_s(text) + think_s + limit_s + TRANSITION_S,
            },
        }
    }

    pub fn question(q: &Question, over: &Overrides) -> Planned {
        let mut p = Planned::new(
            &q.id,
            &q.category,
            &q.text,
            &q.notes,
            &q.timing,
            q.lights,
            over,
        );
        p.talking_points = q.talking_points.clone();
        p
    }

    /// A follow-up of the question at `parent` in the plan. `--answer` does not stretch a
    /// follow-up: it keeps its own shorter limit.
    pub fn follow_up(
        parent: &Question,
        parent_index: usize,
        f: &FollowUp,
        over: &Overrides,
    ) -> Planned {
        let over = Overrides {
            answer_s: None,
            ..*over
        };
        let mut p = Planned::new(
            &f.id,
            &parent.category,
            &f.text,
            &f.notes,
            &f.timing,
            None,
            &over,
        );
        p.follow_up_of = Some(parent.id.clone());
        p.step.follow_up_of = Some(parent_index);
        p
    }

    /// Seconds the plan gives this question.
    pub fn planned_s(&self) -> f64 {
        self.step.planned_s
    }
}

/// `run`'s plan: the chosen questions in order, each followed by its follow-ups if asked.
pub fn for_run(questions: &[Question], over: &Overrides, follow_ups: bool) -> Vec<Planned> {
    let mut plan = Vec::with_capacity(questions.len());
    for q in questions {
        let parent = plan.len();
        plan.push(Planned::question(q, over));
        if follow_ups {
            plan.extend(
                q.follow_ups
                    .iter()
                    .map(|f| Planned::follow_up(q, parent, f, over)),
            );
        }
    }
    plan
}

/// `drill`'s plan: one question, answered once per limit.
pub fn for_drill(question: &Question, limits: &[f64], over: &Overrides) -> Planned {
    let first = limits.first().copied();
    let mut p = Planned::question(
        question,
        &Overrides {
            answer_s: first.or(over.answer_s),
            ..*over
        },
    );
    p.step.limits = limits.to_vec();
    let speech = speech_estimate_s(&question.text);
    p.step.planned_s = limits
        .iter()
        .map(|l| speech + p.step.think_s + l + TRANSITION_S)
        .sum();
    p
}

/// A rehearsal: the plan, the budget it is held to, and what the plan adds up to.
#[derive(Debug, Clone)]
pub struct Rehearsal {
    pub plan: Vec<Planned>,
    pub budget: Budget,
    pub planned_total_s: f64,
}

/// Plans a mock interview that fits `budget_s`, as an interviewer would: an opening
/// (motivation), a body of the other categories taken in turn (only `categories`, if given),
/// each question with its follow-ups, and the closing "your questions" turn last. The same
/// `seed` gives the same plan.
pub fn for_rehearsal(
    pack: &Pack,
    categories: &[String],
    budget_s: f64,
    seed: u64,
    over: &Overrides,
) -> Result<Rehearsal, String> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let is = |q: &Question, c: &str| q.category.eq_ignore_ascii_case(c);
    let opening: Vec<&Question> = pack
        .questions
        .iter()
        .filter(|q| is(q, "motivation"))
        .collect();
    let closing = pack.questions.iter().find(|q| is(q, "closing"));
    let wanted = |q: &Question| {
        categories.is_empty()
            || categories
                .iter()
                .any(|c| q.category.eq_ignore_ascii_case(c))
    };
    // The body, by category in the pack's order of first appearance, each shuffled.
    let mut by_category: Vec<(String, Vec<&Question>)> = Vec::new();
    for q in pack
        .questions
        .iter()
        .filter(|q| !is(q, "motivation") && !is(q, "closing") && wanted(q))
    {
        match by_category
            .iter_mut()
            .find(|(c, _)| c.eq_ignore_ascii_case(&q.category))
        {
            Some((_, list)) => list.push(q),
            None => by_category.push((q.category.clone(), vec![q])),
        }
    }
    for (_, list) in &mut by_category {
        rng.shuffle(list);
    }
    if by_category.is_empty() && !categories.is_empty() {
        return Err(format!(
            "no questions of {} to rehearse in {}; its categories: {}",
            categories.join(", "),
            pack.name,
            pack.categories().join(", ")
        ));
    }

    // A question's cost: itself and its follow-ups.
    let cost = |q: &Question| -> f64 {
        Planned::question(q, over).planned_s()
            + q.follow_ups
                .iter()
                .map(|f| Planned::follow_up(q, 0, f, over).planned_s())
                .sum::<f64>()
    };
    let mut chosen: Vec<&Question> = Vec::new();
    let mut used = closing.map_or(0.0, cost);
    if !opening.is_empty() {
        let first = opening[rng.usize(..opening.len())];
        if used + cost(first) <= budget_s {
            used += cost(first);
            chosen.push(first);
        }
    }
    // Round robin over the categories; a question that does not fit is passed over for a
    // shorter one further on.
    let longest = by_category.iter().map(|(_, l)| l.len()).max().unwrap_or(0);
    for i in 0..longest {
        for (_, list) in &by_category {
            if let Some(&q) = list.get(i) {
                if used + cost(q) <= budget_s {
                    used += cost(q);
                    chosen.push(q);
                }
            }
        }
    }
    if let Some(c) = closing {
        chosen.push(c);
    }
    if chosen.is_empty()
        || chosen.iter().all(|q| Some(*q) == closing) && closing.is_some() && budget_s < used
    {
        return Err(format!(
            "{} minutes is too short for any question of {} (the shortest needs about {:.0} s): \
             give more --minutes",
            budget_s / 60.0,
            pack.name,
            pack.questions
                .iter()
                .map(cost)
                .fold(f64::INFINITY, f64::min)
        ));
    }
    let plan = for_run(&chosen.into_iter().cloned().collect::<Vec<_>>(), over, true);
    let closing_index = closing.and_then(|c| plan.iter().position(|p| p.id == c.id));
    let planned_total_s = plan.iter().map(Planned::planned_s).sum();
    Ok(Rehearsal {
        plan,
        budget: Budget {
            total_s: budget_s,
            closing: closing_index,
        },
        planned_total_s,
    })
}

/// The log's questions for a plan: not asked yet, nothing recorded, the notes kept.
pub fn log_questions(plan: &[Planned]) -> Vec<QuestionLog> {
    plan.iter()
        .map(|p| {
            let limit_s = p.step.limits.first().copied().unwrap_or(0.0);
            QuestionLog {
                id: p.id.clone(),
                category: p.category.clone(),
                text: p.text.clone(),
                limit_s,
                min_s: p.step.lights.green_s,
                warn_s: (limit_s - p.step.lights.yellow_s).max(0.0),
                think_s: p.step.think_s,
                think_used_s: 0.0,
                spoken: false,
                outcome: Outcome::NotReached,
                notes: p.notes.clone(),
                checklist: None,
                asked_at_s: Vec::new(),
                speech_ended_at_s: Vec::new(),
                think_started_at_s: Vec::new(),
                takes: Vec::new(),
                follow_up_of: p.follow_up_of.clone(),
                lights_s: Some([
                    p.step.lights.green_s,
                    p.step.lights.yellow_s,
                    p.step.lights.red_s,
                ]),
                planned_s: Some(p.step.planned_s),
                done_at_s: None,
                talking_points: p
                    .talking_points
                    .iter()
                    .map(|t| TalkingPointLog {
                        point: t.point.clone(),
                        words: t.words.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}

/// The machine's steps for a plan.
pub fn machine(plan: &[Planned], overtime_s: f64) -> Machine {
    Machine::new(plan.iter().map(|p| p.step.clone()).collect(), overtime_s)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn netflix() -> Pack {
        crate::pack::load(None).unwrap()
    }

    #[test]
    fn a_rehearsal_opens_mixes_the_body_closes_and_fits_its_budget() {
        let pack = netflix();
        for minutes in [15.0, 30.0, 45.0] {
            let r = for_rehearsal(&pack, &[], minutes * 60.0, 7, &Overrides::default()).unwrap();
            let plan = &r.plan;
            assert!(
                r.planned_total_s <= minutes * 60.0,
                "{minutes}: {}",
                r.planned_total_s
            );
            assert_eq!(plan[0].category, "motivation", "{minutes}");
            assert_eq!(plan.last().unwrap().category, "closing");
            assert_eq!(r.budget.closing, Some(plan.len() - 1));
            // Every follow-up comes right after its question (or another of its follow-ups).
            for (i, p) in plan.iter().enumerate() {
                if let Some(parent) = &p.follow_up_of {
                    let at = p.step.follow_up_of.unwrap();
                    assert_eq!(&plan[at].id, parent);
                    assert!(plan[at + 1..i]
                        .iter()
                        .all(|x| x.follow_up_of.as_ref() == Some(parent)));
                }
            }
            let body: Vec<&str> = plan
                .iter()
                .filter(|p| p.follow_up_of.is_none())
                .map(|p| p.category.as_str())
                .filter(|c| *c != "motivation" && *c != "closing")
                .collect();
            if minutes >= 30.0 {
                assert!(
                    body.contains(&"behavioural") && body.contains(&"product"),
                    "{body:?}"
                );
            }
        }
    }

    #[test]
    fn a_seed_repeats_a_plan_and_another_seed_changes_it() {
        let pack = netflix();
        let ids = |seed| -> Vec<String> {
            for_rehearsal(&pack, &[], 1800.0, seed, &Overrides::default())
                .unwrap()
                .plan
                .into_iter()
                .map(|p| p.id)
                .collect()
        };
        assert_eq!(ids(1), ids(1));
        assert!((2..12).any(|seed| ids(seed) != ids(1)));
    }

    #[test]
    fn categories_limit_the_body_and_a_budget_too_small_is_refused() {
        let pack = netflix();
        let r = for_rehearsal(
            &pack,
            &["Behavioural".into()],
            1800.0,
            3,
            &Overrides::default(),
        )
        .unwrap();
        assert!(r
            .plan
            .iter()
            .all(|p| ["motivation", "behavioural", "closing"].contains(&p.category.as_str())));
        let err =
            for_rehearsal(&pack, &["design".into()], 1800.0, 3, &Overrides::default()).unwrap_err();
        assert!(err.contains("behavioural"), "{err}");
        let err = for_rehearsal(&pack, &[], 10.0, 3, &Overrides::default()).unwrap_err();
        assert!(err.contains("too short"), "{err}");
    }

    #[test]
    fn overrides_set_limits_and_scale_the_pack_lights() {
        let pack = netflix();
        let q = pack.question("why-netflix").unwrap();
        let p = Planned::question(
            q,
            &Overrides {
                answer_s: Some(q.timing.answer_s / 2.0),
                ..Overrides::default()
            },
        );
        assert_eq!(p.step.limits, [q.timing.answer_s / 2.0]);
        assert!((p.step.lights.green_s - q.timing.min_s / 2.0).abs() < 1e-9);
        assert_eq!(p.step.lights.red_s, q.timing.answer_s / 2.0);
        let given = Lights {
            green_s: 10.0,
            yellow_s: 20.0,
            red_s: 30.0,
        };
        let p = Planned::question(
            q,
            &Overrides {
                lights: Some(given),
                ..Overrides::default()
            },
        );
        assert_eq!(p.step.lights, given);
        let d = for_drill(q, &[60.0, 45.0, 30.0], &Overrides::default());
        assert_eq!(d.step.limits, [60.0, 45.0, 30.0]);
        assert_eq!(d.step.lights_for(3).red_s, 30.0);
    }
}
