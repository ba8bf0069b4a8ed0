//! A whole clip at another sample rate, through rubato's FFT resampler: the project's one
//! resampler crate (the player streams through it too). For transcription, which takes
//! speech at 16 kHz.

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Resampler};

/// Frames rubato works on at a time.
const CHUNK_FRAMES: usize = 1024;

/// `input` (mono, `from` Hz) at `to` Hz, as long as the ratio says, its delay trimmed.
pub fn resample(input: &[f32], from: u32, to: u32) -> Result<Vec<f32>, String> {
    if from == to || input.is_empty() {
        return Ok(input.to_vec());
    }
    let mut resampler =
        Fft::<f32>::new(from as usize, to as usize, CHUNK_FRAMES, 1, FixedSync::Both)
            .map_err(|e| format!("cannot resample {from} Hz to {to} Hz: {e}"))?;
    let needed = resampler.process_all_needed_output_len(input.len());
    let mut out = vec![0.0f32; needed];
    let source = InterleavedSlice::new(input, 1, input.len()).map_err(|e| e.to_string())?;
    let mut target =
        InterleavedSlice::new_mut(&mut out[..], 1, needed).map_err(|e| e.to_string())?;
    let (_, produced) = resampler
        .process_all_into_buffer(&source, &mut target, input.len(), None)
        .map_err(|e| format!("resampling failed: {e}"))?;
    out.truncate(produced);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(freq: f64, rate: u32, secs: f64) -> Vec<f32> {
        (0..(f64::from(rate) * secs) as usize)
            .map(|i| (std::f64::consts::TAU * freq * i as f64 / f64::from(rate)).sin() as f32)
            .collect()
    }

    fn rms(x: &[f32]) -> f64 {
        (x.iter().map(|v| f64::from(*v).powi(2)).sum::<f64>() / x.len() as f64).sqrt()
    }

    #[test]
    fn lengths_follow_the_ratio() {
        for (rate, n, expected) in [
            (48_000, 48_000, 16_000),
            (44_100, 44_100, 16_000),
            (16_000, 16_000, 16_000),
            (8_000, 8_000, 16_000),
        ] {
            let out = resample(&vec![0.0; n], rate, 16_000).unwrap();
            assert!(out.len().abs_diff(expected) <= 1, "{rate}: {}", out.len());
        }
    }

    #[test]
    fn speech_band_passes_and_what_would_alias_is_removed() {
        // (input rate, tone, output RMS relative to a full sine's)
        for (rate, freq, gain) in [
            (48_000, 1_000.0, 1.0),
            (44_100, 3_000.0, 1.0),
            (48_000, 12_000.0, 0.0), // above 8 kHz: must not fold back into the band
        ] {
            let out = resample(&sine(freq, rate, 1.0), rate, 16_000).unwrap();
            let middle = &out[2_000..out.len() - 2_000];
            let level = rms(middle) / std::f64::consts::FRAC_1_SQRT_2;
            assert!(
                (level - gain).abs() < 0.03,
                "{rate} Hz, {freq} Hz: gain {level}"
            );
        }
    }

    #[test]
    fn a_tone_keeps_its_place_in_time() {
        // A click at 0.5 s stays at 0.5 s: the resampler's delay is trimmed.
        let mut x = vec![0.0f32; 48_000];
        x[24_000] = 1.0;
        let out = resample(&x, 48_000, 16_000).unwrap();
        let peak = out
            .iter()
            .enumerate()
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
            .unwrap()
            .0;
        assert!(peak.abs_diff(8_000) <= 2, "click at {peak}");
    }
}
