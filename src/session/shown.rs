//! The machine's light and schedule as the screen shows them: `ui` has words of its own for
//! them and never reaches up into the session, so the two are mapped here.

use super::machine;
use crate::ui::screen;

impl From<machine::Light> for screen::Light {
    fn from(light: machine::Light) -> screen::Light {
        match light {
            machine::Light::Off => screen::Light::Off,
            machine::Light::Green => screen::Light::Green,
            machine::Light::Yellow => screen::Light::Yellow,
            machine::Light::Red => screen::Light::Red,
        }
    }
}

impl From<machine::Schedule> for screen::Schedule {
    fn from(s: machine::Schedule) -> screen::Schedule {
        screen::Schedule {
            used_s: s.used_s,
            budget_s: s.budget_s,
            question: s.question,
            questions: s.questions,
            ahead_s: s.ahead_s,
        }
    }
}
