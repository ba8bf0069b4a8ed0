//! WAV decoding speed: hound's per-sample iterator against the project's reader (hound's
//! header parsing, then block reads and tight conversion loops), on the files given.
//! Run by `bench/wav_read.sh`, which makes the files and prints this table.

use std::path::Path;
use std::time::Instant;

use voicemock::analysis::Params;
use voicemock::audio::wav_reader::{analyze_file, WavReader};

/// Mono f32 through hound's sample iterator, as device.rs used to read.
fn hound_iterator(path: &Path) -> (usize, f32) {
    let mut reader = hound::WavReader::open(path).unwrap();
    let spec = reader.spec();
    let ch = usize::from(spec.channels);
    let mut sum = 0.0f32;
    let mut frames = 0;
    let mut frame_acc = 0.0f32;
    let mut i = 0;
    let mut take = |v: f32| {
        frame_acc += v;
        i += 1;
        if i == ch {
            sum += frame_acc / ch as f32;
            frame_acc = 0.0;
            i = 0;
            frames += 1;
        }
    };
    match spec.sample_format {
        hound::SampleFormat::Float => {
            for s in reader.samples::<f32>() {
                take(s.unwrap());
            }
        }
        hound::SampleFormat::Int => {
            let scale = 1.0 / (1u64 << (spec.bits_per_sample - 1)) as f32;
            for s in reader.samples::<i32>() {
                take(s.unwrap() as f32 * scale);
            }
        }
    }
    (frames, sum)
}

/// Mono f32 through the project's reader.
fn block_reader(path: &Path) -> (usize, f32) {
    let mut reader = WavReader::open(path).unwrap();
    let mut block = Vec::new();
    let mut sum = 0.0f32;
    let mut frames = 0;
    loop {
        reader.read_block(&mut block).unwrap();
        if block.is_empty() {
            return (frames, sum);
        }
        frames += block.len();
        sum += block.iter().sum::<f32>();
    }
}

fn best_of<T>(runs: usize, f: impl Fn() -> T) -> (f64, T) {
    let mut best = f64::MAX;
    let mut out = None;
    for _ in 0..runs {
        let t = Instant::now();
        let v = f();
        best = best.min(t.elapsed().as_secs_f64());
        out = Some(v);
    }
    (best, out.unwrap())
}

fn main() {
    let files: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a.ends_with(".wav"))
        .collect();
    if files.is_empty() {
        // `cargo test --all-targets` runs this too, with nothing to time: not an error there,
        // and nothing to say.
        if std::env::args().any(|a| a == "--bench") {
            eprintln!(
                "usage: cargo bench --bench wav_read -- FILE.wav... (bench/wav_read.sh makes them)"
            );
            std::process::exit(2);
        }
        return;
    }
    println!(
        "{:<28} {:>8} {:>12} {:>12} {:>8} {:>12}",
        "file", "audio s", "hound iter s", "reader s", "speedup", "analyze s"
    );
    for file in files {
        let path = Path::new(&file);
        let spec = WavReader::open(path).unwrap().spec();
        let (t_hound, (n_hound, _)) = best_of(3, || hound_iterator(path));
        let (t_block, (n_block, _)) = best_of(3, || block_reader(path));
        assert_eq!(n_hound, n_block, "both read every frame of {file}");
        let (t_analyze, _) = best_of(3, || analyze_file(path, Params::default()).unwrap());
        let audio_s = n_block as f64 / f64::from(spec.sample_rate);
        let name = path.file_name().unwrap().to_string_lossy();
        println!(
            "{:<28} {:>8.0} {:>12.3} {:>12.3} {:>7.1}x {:>12.3}",
            name,
            audio_s,
            t_hound,
            t_block,
            t_hound / t_block,
            t_analyze
        );
    }
}
