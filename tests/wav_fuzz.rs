//! Property test over WAV reading: thousands of damaged and hostile WAVs (bytes flipped,
//! header fields set to extremes, files cut short, junk chunks) must each give samples or a
//! clean error — never a panic — and never make the reader allocate more than a stated cap,
//! whatever the header claims.

use std::path::Path;

use voicemock::analysis::Params;
use voicemock::audio::wav_reader::{analyze_file, WavReader};

use crate::common;
use crate::common::alloc::peak_of;

/// The most memory reading one file may hold at once (the reader's block of raw bytes is
/// capped at 1 MiB; decoded, an 8-bit block becomes 4 MiB of `f32`).
const CAP_BYTES: isize = 8 << 20;

/// Reads `path` every way the project does; returns the peak memory held meanwhile.
fn read_every_way(path: &Path) -> isize {
    let ((), peak) = peak_of(|| read_all(path));
    peak as isize
}

fn read_all(path: &Path) {
    if let Ok(m) = analyze_file(path, Params::default()) {
        assert!(
            m.peak_dbfs.is_finite(),
            "{}: peak {}",
            path.display(),
            m.peak_dbfs
        );
        assert!(m.duration_s.is_finite());
    }
    if let Ok(mut r) = WavReader::open(path) {
        let mut block = Vec::new();
        let mut frames = 0u64;
        loop {
            r.read_interleaved(&mut block, 4096).unwrap();
            if block.is_empty() {
                break;
            }
            assert!(block.iter().all(|v| v.is_finite()), "{}", path.display());
            frames += (block.len() / usize::from(r.spec().channels)) as u64;
        }
        assert!(frames <= r.frames());
        r.seek_frame(r.frames() / 2).unwrap();
        r.read_interleaved(&mut block, 10).unwrap();
    }
}

fn base_files(dir: &Path) -> Vec<Vec<u8>> {
    let shapes = [
        (1, 16, hound::SampleFormat::Int),
        (2, 24, hound::SampleFormat::Int),
        (1, 8, hound::SampleFormat::Int),
        (3, 32, hound::SampleFormat::Int),
        (2, 32, hound::SampleFormat::Float),
    ];
    shapes
        .iter()
        .map(|&(channels, bits, format)| {
            let path = dir.join(format!("base-{channels}-{bits}.wav"));
            let spec = hound::WavSpec {
                channels,
                sample_rate: 16_000,
                bits_per_sample: bits,
                sample_format: format,
            };
            let mut w = hound::WavWriter::create(&path, spec).unwrap();
            for i in 0..3_000 * u32::from(channels) {
                let v = ((i as f32) * 0.03).sin() * 0.7;
                match (format, bits) {
                    (hound::SampleFormat::Float, _) => w.write_sample(v).unwrap(),
                    (_, 8) => w.write_sample((v * 127.0) as i8).unwrap(),
                    (_, 16) => w.write_sample((v * 32_767.0) as i16).unwrap(),
                    (_, 24) => w.write_sample((v * 8_388_607.0) as i32).unwrap(),
                    _ => w.write_sample((v * 2.0e9) as i32).unwrap(),
                }
            }
            w.finalize().unwrap();
            std::fs::read(&path).unwrap()
        })
        .collect()
}

/// One hostile variant of `base`.
fn mutate(base: &[u8], rng: &mut fastrand::Rng) -> Vec<u8> {
    let mut b = base.to_vec();
    for _ in 0..rng.usize(1..4) {
        let header = b.len().min(80);
        if header < 8 {
            break;
        }
        match rng.u8(0..7) {
            // A byte of the header, or anywhere.
            0 => {
                let i = rng.usize(0..header);
                b[i] = rng.u8(..);
            }
            1 => {
                let i = rng.usize(0..b.len());
                b[i] ^= 1 << rng.u8(0..8);
            }
            // A 16-bit header field (channels, block align, bits) at an extreme.
            2 => {
                let i = rng.usize(0..header - 1);
                let v = [0u16, 1, 3, 16_383, 0x7FFF, 0xFFFF][rng.usize(0..6)];
                b[i..i + 2].copy_from_slice(&v.to_le_bytes());
            }
            // A 32-bit field (chunk sizes, rates) at an extreme.
            3 => {
                let i = rng.usize(0..header - 3);
                let v = [0u32, 1, 0x7FFF_FFFF, 0xFFFF_FFFF, 0xFFFF_FFF0][rng.usize(0..5)];
                b[i..i + 4].copy_from_slice(&v.to_le_bytes());
            }
            // Cut short.
            4 => b.truncate(rng.usize(0..b.len())),
            // A junk chunk before the data, declaring any size.
            5 => {
                if let Some(at) = b.windows(4).position(|w| w == b"data") {
                    let mut chunk = b"junk".to_vec();
                    chunk.extend(rng.u32(..).to_le_bytes());
                    chunk.extend((0..rng.usize(0..16)).map(|_| rng.u8(..)));
                    b.splice(at..at, chunk);
                }
            }
            // Float samples that are not finite.
            _ => {
                if b.len() > 60 {
                    let i = rng.usize(44..b.len() - 4);
                    let v = [f32::INFINITY, f32::NEG_INFINITY, f32::NAN, f32::MAX][rng.usize(0..4)];
                    b[i..i + 4].copy_from_slice(&v.to_le_bytes());
                }
            }
        }
    }
    b
}

#[test]
fn damaged_and_hostile_wavs_never_panic_nor_balloon() {
    let dir = common::temp_dir("wav-fuzz");
    let bases = base_files(&dir);
    let mut rng = fastrand::Rng::with_seed(7);
    let path = dir.join("case.wav");
    let cases = 3_000;
    let mut worst = 0;
    let mut opened = 0;
    for case in 0..cases {
        let bytes = mutate(&bases[case % bases.len()], &mut rng);
        std::fs::write(&path, &bytes).unwrap();
        let peak = read_every_way(&path);
        if WavReader::open(&path).is_ok() {
            opened += 1;
        }
        assert!(
            peak <= CAP_BYTES,
            "case {case}: {peak} bytes held reading it (cap {CAP_BYTES})"
        );
        worst = worst.max(peak);
    }
    eprintln!("{cases} mutated WAVs: {opened} opened, the rest refused; peak memory {worst} bytes");
    assert!(
        opened > cases / 10,
        "the mutations should leave many files readable"
    );
}
