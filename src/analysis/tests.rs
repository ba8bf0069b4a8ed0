//! Whole-analysis tests on constructed signals whose answers are known exactly.

use super::*;

const RATE: u32 = 16_000;

/// A voiced-like sound: 140 Hz with five harmonics, peak amplitude about `amp`.
fn voice(t: f64, amp: f64) -> f32 {
    let f0 = 140.0;
    let s: f64 = (1..=5)
        .map(|k| (2.0 * std::f64::consts::PI * f0 * k as f64 * t).sin() / k as f64)
        .sum();
    (amp * s / 1.8) as f32
}

/// A signal of `secs` seconds that is `voice` (steady amplitude) inside the given intervals.
fn bursts(secs: f64, rate: u32, on: &[(f64, f64)], amp: f64) -> Vec<f32> {
    (0..(secs * rate as f64) as usize)
        .map(|i| {
            let t = i as f64 / rate as f64;
            if on.iter().any(|&(a, b)| t >= a && t < b) {
                voice(t, amp)
            } else {
                0.0
            }
        })
        .collect()
}

/// "Syllables": `n` energy bumps of `syl_s` each, back to back from `start`, on a voiced carrier;
/// between bumps the amplitude falls to a fifth (−14 dB) but the sound never stops.
fn syllables(out: &mut [f32], rate: u32, start: f64, n: usize, syl_s: f64, amp: f64) {
    let first = (start * rate as f64) as usize;
    let len = (n as f64 * syl_s * rate as f64) as usize;
    for (i, o) in out[first..first + len].iter_mut().enumerate() {
        let t = i as f64 / rate as f64;
        let bump = (std::f64::consts::PI * t / syl_s).sin().powi(2);
        *o = voice(start + t, amp * (0.2 + 0.8 * bump));
    }
}

fn params(pause_min_s: f64) -> Params {
    Params { pause_min_s }
}

#[test]
fn silence_has_no_speech_and_no_nan() {
    for signal in [vec![0.0f32; RATE as usize * 3], vec![], vec![0.25f32; 1000]] {
        let m = analyze(&signal, RATE, Params::default());
        assert_eq!(m.first_speech_s, None);
        assert_eq!(m.last_speech_s, None);
        assert_eq!((m.speech_s, m.syllables, m.pause_count), (0.0, 0, 0));
        assert_eq!(
            (m.speech_rate_sps, m.articulation_rate_sps, m.est_wpm),
            (0.0, 0.0, 0.0)
        );
        assert_eq!(m.speech_rms_dbfs, None);
        let json = serde_json::to_string(&m).unwrap();
        assert!(!json.contains("NaN") && !json.contains("-0.0"), "{json}");
        assert!(json.contains("\"first_speech_s\":null"), "{json}");
    }
    let m = analyze(&vec![0.0f32; RATE as usize], RATE, Params::default());
    assert_eq!(m.duration_s, 1.0);
    assert_eq!(m.peak_dbfs, MIN_DBFS);
}

#[test]
fn steady_noise_is_not_speech() {
    let mut rng = fastrand::Rng::with_seed(1);
    let noise: Vec<f32> = (0..RATE * 5).map(|_| (rng.f32() - 0.5) * 0.02).collect();
    let m = analyze(&noise, RATE, Params::default());
    assert_eq!(m.first_speech_s, None, "{m:?}");
}

#[test]
fn bursts_give_speech_edges_and_pauses_on_the_10ms_grid() {
    struct Case {
        on: &'static [(f64, f64)],
        pause_min: f64,
        first: f64,
        last: f64,
        pauses: &'static [(f64, f64)],
    }
    let table = [
        Case {
            on: &[(1.0, 2.0)],
            pause_min: 0.25,
            first: 1.0,
            last: 2.0,
            pauses: &[],
        },
        Case {
            on: &[(1.5, 2.0), (2.3, 3.0), (4.2, 5.0)],
            pause_min: 0.25,
            first: 1.5,
            last: 5.0,
            pauses: &[(2.0, 2.3), (3.0, 4.2)],
        },
        // The 0.3 s gap is shorter than a 0.5 s pause: it is speech.
        Case {
            on: &[(1.5, 2.0), (2.3, 3.0), (4.2, 5.0)],
            pause_min: 0.5,
            first: 1.5,
            last: 5.0,
            pauses: &[(3.0, 4.2)],
        },
        // A 50 ms click before the answer is not its start.
        Case {
            on: &[(0.5, 0.55), (2.0, 3.0)],
            pause_min: 0.25,
            first: 2.0,
            last: 3.0,
            pauses: &[],
        },
        // Speech from the very first sample.
        Case {
            on: &[(0.0, 1.0), (2.0, 2.5)],
            pause_min: 0.25,
            first: 0.0,
            last: 2.5,
            pauses: &[(1.0, 2.0)],
        },
    ];
    for (i, c) in table.iter().enumerate() {
        let m = analyze(&bursts(6.0, RATE, c.on, 0.5), RATE, params(c.pause_min));
        let pauses: Vec<(f64, f64)> = m.pauses.iter().map(|p| (p.start_s, p.end_s)).collect();
        assert_eq!(m.first_speech_s, Some(c.first), "case {i}");
        assert_eq!(m.last_speech_s, Some(c.last), "case {i}");
        assert_eq!(pauses, c.pauses, "case {i}");
        assert_eq!(m.pause_count, c.pauses.len(), "case {i}");
        let pause_total: f64 = c.pauses.iter().map(|p| p.1 - p.0).sum();
        assert!(
            (m.speech_s - (c.last - c.first - pause_total)).abs() < 1e-9,
            "case {i}: {m:?}"
        );
    }
}

#[test]
fn long_pauses_are_counted_separately() {
    let on = [(0.5, 1.0), (1.4, 2.0), (3.0, 3.5), (5.5, 6.0)];
    let m = analyze(&bursts(7.0, RATE, &on, 0.5), RATE, Params::default());
    assert_eq!(m.pause_count, 3);
    assert_eq!(m.long_pause_count, 2);
    assert_eq!(m.longest_pause_s, 2.0);
}

#[test]
fn energy_bumps_on_a_voiced_carrier_count_as_syllables() {
    // (bumps in the first phrase, bumps in the second, syllable length)
    let table = [
        (1, 0, 0.2),
        (5, 0, 0.2),
        (7, 5, 0.2),
        (12, 8, 0.15),
        (6, 6, 0.3),
    ];
    for rate in [16_000u32, 48_000] {
        for &(a, b, syl) in &table {
            let mut s = vec![0.0f32; rate as usize * 10];
            syllables(&mut s, rate, 0.7, a, syl, 0.5);
            syllables(&mut s, rate, 0.7 + a as f64 * syl + 0.6, b, syl, 0.5);
            let m = analyze(&s, rate, Params::default());
            assert_eq!(
                m.syllables,
                a + b,
                "{a}+{b} bumps of {syl} s at {rate} Hz: {m:?}"
            );
            assert_eq!(m.pause_count, usize::from(b > 0), "{a}+{b} at {rate} Hz");
        }
    }
}

#[test]
fn unvoiced_bumps_are_not_syllables() {
    let mut rng = fastrand::Rng::with_seed(3);
    let mut s = vec![0.0f32; RATE as usize * 4];
    let start = RATE as usize / 2;
    for (i, x) in s[start..start + RATE as usize * 2].iter_mut().enumerate() {
        let bump = (std::f64::consts::PI * i as f64 / (0.2 * RATE as f64))
            .sin()
            .powi(2);
        *x = (rng.f32() - 0.5) * (0.2 + 0.8 * bump as f32);
    }
    let m = analyze(&s, RATE, Params::default());
    assert!(m.first_speech_s.is_some(), "noise bursts are sound");
    assert_eq!(m.syllables, 0);
}

#[test]
fn loud_and_quiet_speakers_measure_alike() {
    let mut s = bursts(6.0, RATE, &[(0.8, 1.6), (2.4, 4.0)], 1.0);
    syllables(&mut s, RATE, 4.5, 6, 0.2, 1.0);
    let reference = analyze(&s, RATE, Params::default());
    assert_eq!(reference.syllables, 8, "{reference:?}");
    for gain in [0.9f32, 0.1, 0.003] {
        let scaled: Vec<f32> = s.iter().map(|x| x * gain).collect();
        let m = analyze(&scaled, RATE, Params::default());
        let db = 20.0 * (gain as f64).log10();
        assert_eq!(m.first_speech_s, reference.first_speech_s, "gain {gain}");
        assert_eq!(m.pauses, reference.pauses, "gain {gain}");
        assert_eq!(m.syllables, reference.syllables, "gain {gain}");
        assert_eq!(m.speech_s, reference.speech_s, "gain {gain}");
        assert!(
            (m.peak_dbfs - (reference.peak_dbfs + db)).abs() < 0.02,
            "gain {gain}"
        );
        assert!(
            (m.speech_rms_dbfs.unwrap() - (reference.speech_rms_dbfs.unwrap() + db)).abs() < 0.02
        );
    }
}

#[test]
fn clipped_fraction_counts_full_scale_samples() {
    // 1 s of a tone driven 2x into the rails, then clamped, as an ADC would.
    let table = [(0.5f64, 0.0f64), (2.0, 0.5)];
    for (drive, want) in table {
        let s: Vec<f32> = (0..RATE)
            .map(|i| {
                let phase = (i % 160) as f64 / 160.0; // a 100 Hz triangle: |x| spends equal time at every level
                let tri = 1.0 - 4.0 * (phase - 0.5).abs();
                (tri * drive).clamp(-1.0, 1.0) as f32
            })
            .collect();
        let m = analyze(&s, RATE, Params::default());
        assert!(
            (m.clipped_fraction - want).abs() < 0.02,
            "drive {drive}: {}",
            m.clipped_fraction
        );
    }
}

#[test]
fn any_block_size_gives_the_same_measures() {
    let mut s = bursts(8.0, RATE, &[(0.6, 1.1), (1.5, 2.5), (5.0, 5.3)], 0.4);
    syllables(&mut s, RATE, 2.7, 9, 0.18, 0.6);
    let mut rng = fastrand::Rng::with_seed(9);
    s.iter_mut().for_each(|x| *x += (rng.f32() - 0.5) * 0.002);
    let whole = analyze(&s, RATE, Params::default());
    assert!(whole.syllables > 0);
    let pitch = whole.voice.as_ref().and_then(|v| v.pitch_median_hz);
    assert!(
        pitch.is_some_and(|hz| (hz - 140.0).abs() < 1.5),
        "{pitch:?}"
    );
    for block in [1usize, 7, 160, 161, 1000, 4096, 100_000] {
        let mut a = Analyzer::new(RATE, Params::default());
        s.chunks(block).for_each(|c| a.push(c));
        assert_eq!(a.finish(), whole, "block size {block}");
    }
}

#[test]
fn rates_and_wpm_follow_from_syllables() {
    let mut s = vec![0.0f32; RATE as usize * 6];
    syllables(&mut s, RATE, 1.0, 10, 0.2, 0.5); // 1.0 – 3.0 s
    syllables(&mut s, RATE, 3.5, 5, 0.2, 0.5); // 3.5 – 4.5 s
    let m = analyze(&s, RATE, Params::default());
    assert_eq!(m.syllables, 15);
    let span = m.last_speech_s.unwrap() - m.first_speech_s.unwrap();
    assert!((span - 3.5).abs() <= 0.05, "{m:?}");
    assert!((m.speech_rate_sps - 15.0 / span).abs() < 0.006);
    assert!((m.articulation_rate_sps - 15.0 / m.speech_s).abs() < 0.006);
    assert!((m.est_wpm - m.speech_rate_sps * 40.0).abs() < 0.3);
}

/// A phrase that ends in a soft decay: a steady voiced burst over `on`, then the same sound
/// falling from 25 to 45 dB below the burst over `decay_s`, then nothing.
fn burst_with_decay(secs: f64, on: (f64, f64), decay_s: f64, amp: f64) -> Vec<f32> {
    (0..(secs * RATE as f64) as usize)
        .map(|i| {
            let t = i as f64 / RATE as f64;
            if t >= on.0 && t < on.1 {
                voice(t, amp)
            } else if t >= on.1 && t < on.1 + decay_s {
                let down_db = 25.0 + 20.0 * (t - on.1) / decay_s;
                voice(t, amp * 10f64.powf(-down_db / 20.0))
            } else {
                0.0
            }
        })
        .collect()
}

#[test]
fn the_soft_decay_that_ends_a_phrase_is_speech() {
    let mut s = burst_with_decay(5.0, (1.0, 2.0), 0.15, 0.5);
    s.extend(burst_with_decay(2.0, (0.0, 1.0), 0.15, 0.5));
    let m = analyze(&s, RATE, Params::default());
    assert_eq!(m.first_speech_s, Some(1.0), "{m:?}");
    // The decay reaches 45 dB down at 2.15 s: that, not 2.0 s, is where the pause starts.
    assert_eq!(m.pauses.len(), 1, "{m:?}");
    let p = m.pauses[0];
    assert!((p.start_s - 2.15).abs() <= 0.02, "{m:?}");
    assert_eq!(p.end_s, 5.0);
    assert!((m.last_speech_s.unwrap() - 6.15).abs() <= 0.02, "{m:?}");
}

#[test]
fn the_faint_end_of_a_fade_has_no_pitch() {
    // A second of voice that then fades smoothly, 15 dB per 100 ms, into silence, twice. The
    // fade is speech down to 45 dB under the voice (0.3 s in) and stays periodic, but from
    // 30 dB down (0.2 s in) it is too faint to be called voiced.
    let fade_db_per_s = 150.0;
    let s: Vec<f32> = (0..8 * RATE as usize)
        .map(|i| {
            let t = i as f64 / RATE as f64;
            let into = t % 4.0 - 1.0;
            match into {
                x if x < 0.0 => 0.0,
                x if x < 1.0 => voice(t, 0.5),
                x if x < 1.4 => {
                    let down_db = (x - 1.0) * fade_db_per_s;
                    voice(t, 0.5 * 10f64.powf(-down_db / 20.0))
                }
                _ => 0.0,
            }
        })
        .collect();
    let mut a = Analyzer::new(RATE, Params::default());
    a.push(&s);
    let (m, _, track) = a.finish_with_pitch();
    assert!((m.last_speech_s.unwrap() - 6.3).abs() <= 0.03, "{m:?}");
    let voiced = |from_s: f64, to_s: f64| {
        let frames =
            (from_s / track.step_s).round() as usize..(to_s / track.step_s).round() as usize;
        frames.filter(|&k| track.hz[k] > 0.0).count()
    };
    for start in [1.0, 5.0] {
        // Voiced through the fade's first 20 dB, none of it after 30 dB down.
        assert_eq!(voiced(start + 0.05, start + 1.13), 108, "{:?}", track.hz);
        assert_eq!(voiced(start + 1.22, start + 1.4), 0, "{:?}", track.hz);
    }
}

#[test]
fn a_decay_under_the_noise_does_not_lengthen_speech() {
    // The same phrase in noise 30 dB below the burst: only what stands above the noise counts.
    let mut s = burst_with_decay(5.0, (1.0, 2.0), 0.15, 0.5);
    s.extend(burst_with_decay(2.0, (0.0, 1.0), 0.15, 0.5));
    let burst = &s[RATE as usize..2 * RATE as usize];
    let burst_rms =
        (burst.iter().map(|&x| (x as f64).powi(2)).sum::<f64>() / burst.len() as f64).sqrt();
    let noise_rms = burst_rms * 10f64.powf(-30.0 / 20.0);
    let mut rng = fastrand::Rng::with_seed(11);
    let uniform_rms = (1.0f64 / 12.0).sqrt();
    for x in s.iter_mut() {
        *x += ((rng.f64() - 0.5) * noise_rms / uniform_rms) as f32;
    }
    let m = analyze(&s, RATE, Params::default());
    assert_eq!(m.first_speech_s, Some(1.0), "{m:?}");
    assert_eq!(m.pauses.len(), 1, "{m:?}");
    // The decay starts 25 dB down, so it is under the noise (plus margin) almost at once.
    let p = m.pauses[0];
    assert!(p.start_s >= 2.0 && p.start_s <= 2.04, "{m:?}");
    assert_eq!(p.end_s, 5.0);
}

/// Sound at 140 Hz whose harmonics are shaped like a vowel (560–1120 Hz, in the vowel band)
/// when `vowelness` is 1, or like a nasal murmur (the fundamental and its octave, below the
/// band) when it is 0. The two share no harmonic and are mixed at equal power, so the loudness
/// of the whole signal does not depend on `vowelness`.
fn vowel_or_nasal(t: f64, vowelness: f64, amp: f64) -> f32 {
    let tau = 2.0 * std::f64::consts::PI;
    let h = |k: f64| (tau * 140.0 * k * t).sin();
    // Each mix has a mean square of 0.5.
    let vowel = (h(4.0) + h(5.0) + h(6.0) + h(7.0) + h(8.0)) / 5f64.sqrt();
    let nasal = (h(1.0) + 0.3 * h(2.0)) / 1.09f64.sqrt();
    (amp * (vowelness.sqrt() * vowel + (1.0 - vowelness).sqrt() * nasal)) as f32
}

#[test]
fn nasals_between_vowels_separate_syllables_the_whole_level_runs_together() {
    // "a-ma-na": vowels joined by nasals at the same loudness, so the level of the whole
    // signal has no dip at all; the vowel band dips at each nasal.
    let syllables_s = 0.2;
    for (vowels, want) in [(1usize, 1usize), (2, 2), (3, 3), (5, 5)] {
        let start = 0.8;
        let len = vowels as f64 * syllables_s;
        let s: Vec<f32> = (0..(3.0 * RATE as f64) as usize)
            .map(|i| {
                let t = i as f64 / RATE as f64;
                if t < start || t >= start + len {
                    return 0.0;
                }
                // Vowel in the middle of each 0.2 s, nasal at the joins, smooth in between.
                let phase = (t - start) / syllables_s;
                let vowelness = (std::f64::consts::PI * phase).sin().powi(2);
                vowel_or_nasal(t, vowelness, 0.5)
            })
            .collect();
        let m = analyze(&s, RATE, Params::default());
        assert_eq!(m.syllables, want, "{vowels} vowels: {m:?}");
        assert_eq!(m.pause_count, 0, "{vowels} vowels: {m:?}");
    }
}

#[test]
fn the_envelope_has_a_point_per_tenth_of_a_second_loud_where_the_sound_is() {
    // 3 s with sound from 1.0 to 2.0 s: 30 points, the loud ones exactly in that second.
    let signal = bursts(3.0, RATE, &[(1.0, 2.0)], 0.5);
    let mut a = Analyzer::new(RATE, params(0.25));
    a.push(&signal);
    let (measures, envelope) = a.finish_with_envelope();
    assert_eq!(measures, analyze(&signal, RATE, params(0.25)));
    assert_eq!(envelope.step_s, ENVELOPE_STEP_S);
    assert_eq!(envelope.db.len(), 30);
    let loud: Vec<usize> = (0..30).filter(|&i| envelope.db[i] > -40.0).collect();
    // The smoothing spreads a sound by two frames at most, so a point either side may be loud.
    assert!(
        loud.first().is_some_and(|&i| (9..=10).contains(&i)),
        "{loud:?}"
    );
    assert!(
        loud.last().is_some_and(|&i| (19..=20).contains(&i)),
        "{loud:?}"
    );
    assert!(
        envelope.db[..8].iter().all(|&d| d == MIN_DBFS as f32),
        "{envelope:?}"
    );
}

/// A cue tone as the microphone hears it from the speaker: loud, steady, 880 Hz.
fn add_cue(out: &mut [f32], rate: u32, from_s: f64, to_s: f64) {
    let (a, b) = (
        (from_s * rate as f64) as usize,
        (to_s * rate as f64) as usize,
    );
    for (i, o) in out[a..b].iter_mut().enumerate() {
        let t = (a + i) as f64 / rate as f64;
        *o += (0.9 * (2.0 * std::f64::consts::PI * 880.0 * t).sin()) as f32;
    }
}

fn measured_leaving_out(s: &[f32], spans: &[(f64, f64)], block: usize) -> Measures {
    let mut a = Analyzer::new(RATE, Params::default());
    for &(from, to) in spans {
        a.leave_out(from, to);
    }
    s.chunks(block).for_each(|c| a.push(c));
    a.finish()
}

#[test]
fn a_cue_left_out_is_neither_speech_nor_level_nor_a_pause() {
    // Speech 1.0–2.0 s and 2.45–3.5 s, the wrap-up cue filling the gap between them: the
    // speaker talked over it. Left out, the gap is no pause and the cue is not speech.
    let mut s = bursts(5.0, RATE, &[(1.0, 2.0), (2.45, 3.5)], 0.3);
    add_cue(&mut s, RATE, 2.0, 2.45);
    let heard = analyze(&s, RATE, Params::default());
    // Measured as heard, the cue is the loudest thing in the take.
    assert!(heard.peak_dbfs > -1.5, "{heard:?}");
    for block in [160, 1000, 4096, 100_000] {
        let m = measured_leaving_out(&s, &[(2.0, 2.45)], block);
        assert_eq!(m.pause_count, 0, "block {block}: {m:?}");
        assert!((m.first_speech_s.unwrap() - 1.0).abs() <= 0.02, "{m:?}");
        assert!((m.last_speech_s.unwrap() - 3.5).abs() <= 0.05, "{m:?}");
        // Speaking time is the voice's, not the cue's: 1.0 + 1.05 s.
        assert!((m.speech_s - 2.05).abs() <= 0.06, "block {block}: {m:?}");
        // The level is the voice's (0.3 peak is about -10.5 dBFS).
        assert!(m.peak_dbfs < -9.0, "{m:?}");
        assert_eq!(m, measured_leaving_out(&s, &[(2.0, 2.45)], 160));
    }
}

#[test]
fn a_silence_longer_than_its_cue_is_still_a_pause() {
    // A 1.5 s silence with a 0.45 s cue inside: 1.05 s of it is silence without the cue.
    let mut s = bursts(5.0, RATE, &[(0.5, 1.5), (3.0, 4.0)], 0.3);
    add_cue(&mut s, RATE, 2.0, 2.45);
    let m = measured_leaving_out(&s, &[(2.0, 2.45)], 4096);
    assert_eq!(m.pause_count, 1, "{m:?}");
    assert!((m.pauses[0].start_s - 1.5).abs() <= 0.05, "{m:?}");
    assert!((m.pauses[0].end_s - 3.0).abs() <= 0.05, "{m:?}");
    // Heard, the cue splits it in two shorter pauses and counts as speech.
    let heard = analyze(&s, RATE, Params::default());
    assert_eq!(heard.pause_count, 2, "{heard:?}");
}

#[test]
fn speech_that_began_during_the_start_cue_is_found_where_the_cue_ends() {
    // The file keeps the 0.45 s start cue; the speaker began over its end.
    let mut s = bursts(3.0, RATE, &[(0.3, 2.0)], 0.3);
    add_cue(&mut s, RATE, 0.0, 0.45);
    let m = measured_leaving_out(&s, &[(0.0, 0.45)], 1000);
    let first = m.first_speech_s.unwrap();
    assert!((0.45..=0.5).contains(&first), "{m:?}");
    assert!(m.peak_dbfs < -9.0, "{m:?}");
}

#[test]
fn live_voice_activity_and_the_analysis_agree_on_the_same_recording() {
    use super::live::{LiveVoice, VoiceEvent};
    // Speech as runs of syllables with pauses of several lengths, in room noise.
    let mut s = vec![0.0f32; (9.0 * f64::from(RATE)) as usize];
    syllables(&mut s, RATE, 0.8, 6, 0.18, 0.5);
    syllables(&mut s, RATE, 2.3, 8, 0.16, 0.4);
    syllables(&mut s, RATE, 4.4, 5, 0.2, 0.6);
    syllables(&mut s, RATE, 6.3, 9, 0.17, 0.3);
    let mut rng = fastrand::Rng::with_seed(3);
    s.iter_mut().for_each(|x| *x += (rng.f32() - 0.5) * 0.004);
    let m = analyze(&s, RATE, Params::default());
    let mut live = LiveVoice::new(RATE, Params::default());
    let mut events = Vec::new();
    for block in s.chunks(480) {
        live.push(block, |e| events.push(e));
    }
    let at = |samples: u64| samples as f64 / f64::from(RATE);
    let starts: Vec<f64> = events
        .iter()
        .filter_map(|e| match e {
            VoiceEvent::Started { at: a } => Some(at(*a)),
            _ => None,
        })
        .collect();
    let stops: Vec<f64> = events
        .iter()
        .filter_map(|e| match e {
            VoiceEvent::Stopped { at: a } => Some(at(*a)),
            _ => None,
        })
        .collect();
    assert_eq!(m.pause_count, 3, "{m:?}");
    // One live stretch of speech per run the analysis finds, starting and ending together.
    assert_eq!(starts.len(), m.pause_count + 1, "{events:?} / {m:?}");
    assert!(
        (starts[0] - m.first_speech_s.unwrap()).abs() <= 0.03,
        "{starts:?} / {m:?}"
    );
    for (k, p) in m.pauses.iter().enumerate() {
        assert!(
            (stops[k] - p.start_s).abs() <= 0.03,
            "pause {k}: {stops:?} / {p:?}"
        );
        assert!(
            (starts[k + 1] - p.end_s).abs() <= 0.03,
            "pause {k}: {starts:?} / {p:?}"
        );
    }
    assert!(
        (stops[m.pause_count] - m.last_speech_s.unwrap()).abs() <= 0.05,
        "{stops:?} / {m:?}"
    );
    // And the same speaking time, within a frame per stretch.
    let live_s = live.speech_frames() as f64 * live.hop() as f64 / f64::from(RATE);
    assert!(
        (live_s - m.speech_s).abs() <= 0.05,
        "live {live_s:.3} s, analysis {:.3} s",
        m.speech_s
    );
}

/// Speech resuming after a pause with a weak "s" and a "t" ("still"): a fricative-like noise
/// burst 30 dB under the vowel, a silent stop closure, then the voiced vowel. Returns the
/// signal (with faint room noise) and when the "s" begins.
fn weak_fricative_then_closure(closure_s: f64) -> (Vec<f32>, f64) {
    let (rate, amp) = (f64::from(RATE), 0.4);
    let mut s = bursts(4.0, RATE, &[(0.5, 1.5)], amp);
    let fricative = (2.4, 2.48);
    let vowel = (fricative.1 + closure_s, 3.5);
    let mut rng = fastrand::Rng::with_seed(9);
    // Same RMS as the vowel's (a uniform noise of RMS a/sqrt(3)), then 30 dB down.
    let vowel_rms = (s[(0.6 * rate) as usize..(1.4 * rate) as usize]
        .iter()
        .map(|x| f64::from(*x).powi(2))
        .sum::<f64>()
        / (0.8 * rate))
        .sqrt();
    let weak = (vowel_rms * 3f64.sqrt() * 10f64.powf(-30.0 / 20.0)) as f32;
    for (i, x) in s.iter_mut().enumerate() {
        let t = i as f64 / rate;
        if t >= fricative.0 && t < fricative.1 {
            *x = (rng.f32() * 2.0 - 1.0) * weak;
        } else if t >= vowel.0 && t < vowel.1 {
            *x = voice(t, amp);
        }
        *x += (rng.f32() - 0.5) * 0.0004;
    }
    (s, fricative.0)
}

#[test]
fn a_weak_fricative_before_a_stop_closure_starts_the_speech_after_a_pause() {
    for closure_s in [0.03, 0.06, 0.09] {
        let (s, opening) = weak_fricative_then_closure(closure_s);
        let m = analyze(&s, RATE, Params::default());
        assert_eq!(m.pause_count, 1, "closure {closure_s}: {m:?}");
        let end = m.pauses[0].end_s;
        assert!(
            (end - opening).abs() <= 0.02,
            "closure {closure_s}: speech resumes at {end}, the \"s\" began at {opening}"
        );
        // The live voice activity places it alike.
        use super::live::{LiveVoice, VoiceEvent};
        let mut live = LiveVoice::new(RATE, Params::default());
        let mut starts = Vec::new();
        for block in s.chunks(480) {
            live.push(block, |e| {
                if let VoiceEvent::Started { at } = e {
                    starts.push(at as f64 / f64::from(RATE));
                }
            });
        }
        assert_eq!(starts.len(), 2, "closure {closure_s}: {starts:?}");
        assert!(
            (starts[1] - opening).abs() <= 0.02,
            "closure {closure_s}: live start {} vs {opening}",
            starts[1]
        );
    }
}

#[test]
fn a_silence_longer_than_a_closure_keeps_the_weak_sound_before_it_out() {
    // The same weak sound, but 0.2 s before the vowel: a sound in the pause, not an opening.
    let (s, opening) = weak_fricative_then_closure(0.2);
    let m = analyze(&s, RATE, Params::default());
    assert_eq!(m.pause_count, 1, "{m:?}");
    let vowel = opening + 0.08 + 0.2;
    assert!(
        (m.pauses[0].end_s - vowel).abs() <= 0.02,
        "{m:?}: speech resumes with the vowel at {vowel}"
    );
}

/// Phrases of syllables on a pitch contour: `phrases` runs of `n` syllables of 0.2 s with 0.6 s
/// pauses between them; `f0(t)` gives the pitch at time t (seconds from the start), `amp(i)`
/// the level of syllable i of its phrase.
fn phrases(
    rate: u32,
    count: usize,
    n: usize,
    f0: impl Fn(f64) -> f64,
    amp: impl Fn(usize) -> f64,
) -> Vec<f32> {
    let syl_s = 0.2;
    let phrase_s = n as f64 * syl_s + 0.6;
    let len = (0.5 + count as f64 * phrase_s) * rate as f64;
    let mut phase = 0.0;
    (0..len as usize)
        .map(|i| {
            let t = i as f64 / rate as f64;
            phase += 2.0 * std::f64::consts::PI * f0(t) / rate as f64;
            let into = (t - 0.5).rem_euclid(phrase_s);
            if t < 0.5 || into >= n as f64 * syl_s {
                return 0.0;
            }
            let syllable = (into / syl_s) as usize;
            let bump = (std::f64::consts::PI * into / syl_s).sin().powi(2);
            let s: f64 = (1..=5).map(|k| (k as f64 * phase).sin() / k as f64).sum();
            (amp(syllable) * (0.2 + 0.8 * bump) * s / 1.8) as f32
        })
        .collect()
}

#[test]
fn a_flat_voice_is_monotone_and_an_intoned_one_is_not() {
    // The same speech flat at 120 Hz, and rising and falling by 5 semitones about it (about
    // the spread of lively read speech); and the intoned one an octave up, which varies alike.
    let flat = phrases(RATE, 4, 8, |_| 120.0, |_| 0.5);
    let tune = |base: f64| move |t: f64| base * 2f64.powf(5.0 / 12.0 * (2.2 * t).sin());
    for (signal, base, monotone) in [
        (flat, 120.0, true),
        (phrases(RATE, 4, 8, tune(120.0), |_| 0.5), 120.0, false),
        (phrases(RATE, 4, 8, tune(240.0), |_| 0.5), 240.0, false),
    ] {
        let m = analyze(&signal, RATE, Params::default());
        let v = m.voice.clone().unwrap();
        assert_eq!(v.monotone, Some(monotone), "{v:?}");
        let median = v.pitch_median_hz.unwrap();
        assert!((median / base - 1.0).abs() < 0.05, "{v:?}");
        let sd = v.pitch_sd_st.unwrap();
        if monotone {
            assert!(sd < 0.2, "{v:?}");
        } else {
            // A sine of 5 semitones: 5.24 st by the interquartile range.
            assert!((4.5..6.0).contains(&sd), "{v:?}");
        }
        let remarks = crate::record::TakeFacts::of_recording(&m).remarks;
        let has_remark = remarks.iter().any(|r| r.contains("monotone"));
        assert_eq!(has_remark, monotone, "{remarks:?}");
    }
}

#[test]
fn phrases_that_fade_at_the_end_trail_off() {
    // Four phrases of eight syllables; in the second set the last two syllables of every
    // phrase are 16 dB down, in the first 3 dB (an ordinary fall).
    let tune = |t: f64| 130.0 * 2f64.powf(3.0 / 12.0 * (2.0 * t).sin());
    for (fade_db, trailing) in [(3.0, 0), (16.0, 4)] {
        let gain = 10f64.powf(-fade_db / 20.0);
        let s = phrases(RATE, 4, 8, tune, |i| if i >= 6 { 0.5 * gain } else { 0.5 });
        let m = analyze(&s, RATE, Params::default());
        let v = m.voice.clone().unwrap();
        assert_eq!(
            (v.phrases, v.trailing_off),
            (4, trailing),
            "fade {fade_db} dB: {v:?}"
        );
        let remarks = crate::record::TakeFacts::of_recording(&m).remarks;
        let has_remark = remarks.iter().any(|r| r.contains("trail"));
        assert_eq!(has_remark, trailing > 0, "{remarks:?}");
    }
}
