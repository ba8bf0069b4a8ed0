//! Sample conversion and downmixing: pure functions used by the capture writer and tests.

/// Averages interleaved frames of `channels` samples into mono, appending to `out`.
/// A trailing partial frame is ignored (callers only ever hand over whole frames).
pub fn downmix_into(interleaved: &[f32], channels: usize, out: &mut Vec<f32>) {
    match channels {
        0 => {}
        1 => out.extend_from_slice(interleaved),
        n => {
            let scale = 1.0 / n as f32;
            out.extend(
                interleaved
                    .chunks_exact(n)
                    .map(|frame| frame.iter().sum::<f32>() * scale),
            );
        }
    }
}

/// Converts a float sample in [-1, 1] to 16-bit PCM, clipping anything outside.
pub fn f32_to_i16(sample: f32) -> i16 {
    if sample.is_nan() {
        return 0;
    }
    let scaled = (sample * 32768.0).round();
    scaled.clamp(-32768.0, 32767.0) as i16
}

/// Converts 16-bit PCM to a float sample in [-1, 1).
pub fn i16_to_f32(sample: i16) -> f32 {
    f32::from(sample) / 32768.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn downmix_averages_frames() {
        let cases: &[(&[f32], usize, &[f32])] = &[
            (&[0.5, -0.5, 1.0, 1.0], 2, &[0.0, 1.0]),
            (&[0.1, 0.2, 0.3], 1, &[0.1, 0.2, 0.3]),
            (&[0.3, 0.3, 0.3, 0.9, 0.0, 0.0], 3, &[0.3, 0.3]),
            (&[1.0, 1.0, 0.5], 2, &[1.0]),
            (&[], 2, &[]),
        ];
        for (input, channels, expected) in cases {
            let mut out = Vec::new();
            downmix_into(input, *channels, &mut out);
            assert_eq!(out.len(), expected.len(), "{input:?} x{channels}");
            for (got, want) in out.iter().zip(expected.iter()) {
                assert!((got - want).abs() < 1e-6, "{input:?}: {got} != {want}");
            }
        }
    }

    #[test]
    fn float_to_pcm_rounds_and_clips() {
        let cases = [
            (0.0, 0),
            (1.0, 32767),
            (-1.0, -32768),
            (2.5, 32767),
            (-7.0, -32768),
            (0.5, 16384),
            (-0.5, -16384),
            (f32::NAN, 0),
        ];
        for (input, expected) in cases {
            assert_eq!(f32_to_i16(input), expected, "{input}");
        }
    }

    #[test]
    fn pcm_round_trips() {
        for s in [-32768i16, -1000, 0, 1, 12345, 32767] {
            assert_eq!(f32_to_i16(i16_to_f32(s)), s);
        }
    }
}
