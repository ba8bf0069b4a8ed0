//! Sample-rate conversion to the 16 kHz the speech models expect: a windowed-sinc low-pass
//! interpolator (Blackman window, eight zero crossings a side), its kernel tabulated once.

/// The rate every transcription engine here takes.
pub const MODEL_RATE: u32 = 16_000;

const ZERO_CROSSINGS: f64 = 8.0;
/// Kernel table steps per input sample.
const STEPS: f64 = 64.0;

/// `input` at `rate` Hz, resampled to 16 kHz.
pub fn to_model_rate(input: &[f32], rate: u32) -> Vec<f32> {
    resample(input, rate, MODEL_RATE)
}

pub fn resample(input: &[f32], from: u32, to: u32) -> Vec<f32> {
    if from == to || input.is_empty() {
        return input.to_vec();
    }
    let step = from as f64 / to as f64; // input samples per output sample
                                        // Below the lower Nyquist frequency, with a little room for the filter's slope.
    let cutoff = (1.0 / step).min(1.0) * 0.94;
    let half_width = ZERO_CROSSINGS / cutoff; // in input samples
    let table_len = (half_width * STEPS).ceil() as usize + 2;
    let kernel: Vec<f32> = (0..table_len)
        .map(|i| {
            let d = i as f64 / STEPS;
            if d > half_width {
                return 0.0;
            }
            let x = std::f64::consts::PI * cutoff * d;
            let sinc = if x == 0.0 { 1.0 } else { x.sin() / x };
            let w = d / half_width; // 0 at the centre, 1 at the edge
            let window = 0.42
                + 0.5 * (std::f64::consts::PI * w).cos()
                + 0.08 * (2.0 * std::f64::consts::PI * w).cos();
            (cutoff * sinc * window) as f32
        })
        .collect();

    let out_len = ((input.len() as f64) / step).floor() as usize;
    let reach = half_width.floor() as isize;
    let mut out = Vec::with_capacity(out_len);
    for n in 0..out_len {
        let x = n as f64 * step;
        let centre = x.floor() as isize;
        let lo = (centre - reach).max(0);
        let hi = (centre + reach + 1).min(input.len() as isize - 1);
        let mut acc = 0f32;
        for k in lo..=hi {
            let d = (x - k as f64).abs();
            let idx = (d * STEPS + 0.5) as usize;
            if let Some(h) = kernel.get(idx) {
                acc += input[k as usize] * h;
            }
        }
        out.push(acc);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(freq: f64, rate: u32, secs: f64) -> Vec<f32> {
        (0..(rate as f64 * secs) as usize)
            .map(|i| (2.0 * std::f64::consts::PI * freq * i as f64 / rate as f64).sin() as f32)
            .collect()
    }

    fn rms(x: &[f32]) -> f64 {
        (x.iter().map(|v| (*v as f64).powi(2)).sum::<f64>() / x.len() as f64).sqrt()
    }

    #[test]
    fn lengths_follow_the_ratio() {
        let cases = [
            (48_000, 48_000, 16_000),
            (44_100, 44_100, 16_000),
            (16_000, 16_000, 16_000),
            (8_000, 8_000, 16_000),
        ];
        for (rate, n, expected) in cases {
            let out = to_model_rate(&vec![0.0; n], rate);
            assert_eq!(out.len(), expected, "{rate}");
        }
    }

    #[test]
    fn speech_band_passes_and_what_would_alias_is_removed() {
        // (input rate, tone, expected output RMS relative to a full sine's 0.707)
        let cases = [
            (48_000, 1_000.0, 1.0),
            (44_100, 3_000.0, 1.0),
            (48_000, 12_000.0, 0.0), // above 8 kHz: must not fold back into the band
        ];
        for (rate, freq, gain) in cases {
            let out = to_model_rate(&sine(freq, rate, 1.0), rate);
            let middle = &out[2_000..out.len() - 2_000];
            let level = rms(middle) / std::f64::consts::FRAC_1_SQRT_2;
            assert!(
                (level - gain).abs() < 0.03,
                "{rate} Hz, {freq} Hz tone: gain {level}"
            );
        }
    }
}
