//! The timing lights of a take, as in speech clubs, and the cues that go with them for a
//! candidate looking away from the screen.

use super::answering::TakeVoice;
use super::{Action, Cue, Lights, Machine};

/// The timing light during an answer, as in speech clubs: none until the answer has reached
/// its useful minimum, green, yellow near the limit, red at the limit and in overtime.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Light {
    Off,
    Green,
    Yellow,
    Red,
}

pub fn light_at(lights: &Lights, elapsed_s: f64) -> Light {
    if elapsed_s >= lights.red_s {
        Light::Red
    } else if elapsed_s >= lights.yellow_s {
        Light::Yellow
    } else if elapsed_s >= lights.green_s {
        Light::Green
    } else {
        Light::Off
    }
}

/// The light of a take that started at `since`, at `now`. Green says the answer has reached
/// a useful length: the speaker must still be talking at the green point (or have spoken
/// since), not just have said something once. The review sheet judges the same way: a take
/// whose talking stopped before the minimum is "under the useful minimum".
pub(super) fn take_light(lights: &Lights, since: f64, now: f64, voice: &TakeVoice) -> Light {
    let light = light_at(lights, now - since);
    let talked_past_green = voice.speaking
        || voice
            .last_end
            .is_some_and(|end| end - since >= lights.green_s);
    if light == Light::Green && !(voice.heard && talked_past_green) {
        Light::Off
    } else {
        light
    }
}

impl Machine {
    /// With cues on: the wrap-up cue when take `take` turns yellow, the time-up cue at its
    /// limit, each once.
    pub(super) fn cue_lights(
        &mut self,
        elapsed: f64,
        take: u32,
        limit_s: f64,
        out: &mut Vec<Action>,
    ) {
        if self.start_cue_s.is_none() {
            return;
        }
        let yellow = self.steps[self.q].lights_for(take).yellow_s;
        if !self.cued.0 && elapsed >= yellow && elapsed < limit_s {
            self.cued.0 = true;
            out.push(Action::Cue(Cue::WrapUp));
        }
        if !self.cued.1 && elapsed >= limit_s {
            self.cued = (true, true);
            out.push(Action::Cue(Cue::TimeUp));
        }
    }
}
