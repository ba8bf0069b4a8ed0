//! Streams a WAV file as blocks of mono `f32` samples: integer PCM of 8, 16, 24 or 32 bits and
//! float of 32 or 64 bits, any channel count (averaged to mono). Only the header is parsed
//! chunk by chunk; the sample data is read in large buffered blocks and converted in tight
//! loops, which is several times faster than a per-sample iterator. Owns no analysis: it only
//! hands samples to whoever asks (see [`analyze_file`]).

use std::fs::File;
use std::io::{self, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::analysis::{self, Analyzer, Measures};

/// Frames decoded per block: 64 Ki frames is 128 KiB of 16-bit mono, large enough that the
/// per-block overhead vanishes, small enough to stay in cache.
const BLOCK_FRAMES: usize = 1 << 16;

const FORMAT_PCM: u16 = 1;
const FORMAT_FLOAT: u16 = 3;
const FORMAT_EXTENSIBLE: u16 = 0xFFFE;

#[derive(Debug, thiserror::Error)]
pub enum WavError {
    #[error("{}: file not found", .path.display())]
    NotFound { path: PathBuf },
    #[error("{}: cannot read: {source}", .path.display())]
    Io { path: PathBuf, source: io::Error },
    #[error("{}: not a WAV file (no RIFF/WAVE header)", .path.display())]
    NotWav { path: PathBuf },
    #[error(
        "{}: unsupported WAV format ({detail}); voicemock reads 8/16/24/32-bit integer PCM and \
         32/64-bit float — convert it, e.g. `sox in.wav -b 16 out.wav`",
        .path.display()
    )]
    Unsupported { path: PathBuf, detail: String },
    #[error("{}: damaged WAV file: {detail}", .path.display())]
    Malformed { path: PathBuf, detail: String },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SampleFormat {
    Int,
    Float,
}

/// What the header says about the samples.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WavSpec {
    pub sample_rate: u32,
    pub channels: u16,
    pub bits_per_sample: u16,
    pub format: SampleFormat,
}

impl WavSpec {
    fn bytes_per_frame(&self) -> usize {
        self.channels as usize * (self.bits_per_sample as usize / 8)
    }
}

pub struct WavReader {
    path: PathBuf,
    file: File,
    spec: WavSpec,
    /// Bytes of sample data not yet read.
    remaining: u64,
    bytes: Vec<u8>,
}

impl WavReader {
    pub fn open(path: &Path) -> Result<Self, WavError> {
        let io_err = |source: io::Error| match source.kind() {
            io::ErrorKind::NotFound => WavError::NotFound {
                path: path.to_path_buf(),
            },
            _ => WavError::Io {
                path: path.to_path_buf(),
                source,
            },
        };
        let mut file = File::open(path).map_err(io_err)?;
        if file.metadata().map_err(io_err)?.is_dir() {
            return Err(WavError::NotWav {
                path: path.to_path_buf(),
            });
        }
        let (spec, data_len) = read_header(&mut file, path)?;
        let bytes = vec![0; BLOCK_FRAMES * spec.bytes_per_frame()];
        Ok(WavReader {
            path: path.to_path_buf(),
            file,
            spec,
            remaining: data_len,
            bytes,
        })
    }

    pub fn spec(&self) -> WavSpec {
        self.spec
    }

    /// Replace `out` with the next block of mono samples; an empty block means the end.
    /// A last partial frame (a file cut off mid-write) is ignored.
    pub fn read_block(&mut self, out: &mut Vec<f32>) -> Result<(), WavError> {
        out.clear();
        let frame = self.spec.bytes_per_frame();
        let want = (self.bytes.len() as u64).min(self.remaining) as usize;
        let mut got = 0;
        while got < want {
            match self.file.read(&mut self.bytes[got..want]) {
                Ok(0) => {
                    self.remaining = 0; // truncated: what is there is all there is
                    break;
                }
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(source) => {
                    return Err(WavError::Io {
                        path: self.path.clone(),
                        source,
                    })
                }
            }
        }
        self.remaining = self.remaining.saturating_sub(got as u64);
        let whole = got / frame * frame;
        decode(&self.bytes[..whole], self.spec, out);
        Ok(())
    }
}

/// Analyse a WAV file block by block; memory stays flat whatever its length.
pub fn analyze_file(path: &Path, params: analysis::Params) -> Result<Measures, WavError> {
    let mut reader = WavReader::open(path)?;
    let mut analyzer = Analyzer::new(reader.spec().sample_rate, params);
    let mut block = Vec::with_capacity(BLOCK_FRAMES);
    loop {
        reader.read_block(&mut block)?;
        if block.is_empty() {
            return Ok(analyzer.finish());
        }
        analyzer.push(&block);
    }
}

fn read_header(file: &mut File, path: &Path) -> Result<(WavSpec, u64), WavError> {
    let not_wav = || WavError::NotWav {
        path: path.to_path_buf(),
    };
    let malformed = |detail: &str| WavError::Malformed {
        path: path.to_path_buf(),
        detail: detail.into(),
    };
    let io_err = |source: io::Error| WavError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file_len = file.metadata().map_err(io_err)?.len();

    let mut riff = [0u8; 12];
    if read_exact_or_eof(file, &mut riff).map_err(io_err)? < 12 {
        return Err(not_wav());
    }
    if &riff[0..4] != b"RIFF" || &riff[8..12] != b"WAVE" {
        return Err(not_wav());
    }
    let mut spec = None;
    let mut pos = 12u64;
    loop {
        let mut head = [0u8; 8];
        if read_exact_or_eof(file, &mut head).map_err(io_err)? < 8 {
            return Err(malformed(if spec.is_some() {
                "no data chunk"
            } else {
                "no fmt chunk"
            }));
        }
        pos += 8;
        let id = &head[0..4];
        let len = u32::from_le_bytes([head[4], head[5], head[6], head[7]]) as u64;
        match id {
            b"fmt " => {
                if !(16..=1024).contains(&len) {
                    return Err(malformed("fmt chunk of impossible size"));
                }
                let mut fmt = vec![0u8; len as usize];
                if read_exact_or_eof(file, &mut fmt).map_err(io_err)? < fmt.len() {
                    return Err(malformed("file ends inside the fmt chunk"));
                }
                spec = Some(parse_fmt(&fmt, path)?);
                pos += len;
                if len % 2 == 1 {
                    file.seek(SeekFrom::Current(1)).map_err(io_err)?;
                    pos += 1;
                }
            }
            b"data" => {
                let spec = spec.ok_or_else(|| malformed("data chunk before fmt chunk"))?;
                // A writer that was stopped early may leave the length at 0 or larger than the
                // file: read what is really there.
                let available = file_len.saturating_sub(pos);
                let data_len = if len == 0 || len > available {
                    available
                } else {
                    len
                };
                return Ok((spec, data_len));
            }
            _ => {
                let skip = len + (len % 2);
                file.seek(SeekFrom::Current(skip as i64)).map_err(io_err)?;
                pos += skip;
            }
        }
    }
}

fn parse_fmt(fmt: &[u8], path: &Path) -> Result<WavSpec, WavError> {
    let u16_at = |i: usize| u16::from_le_bytes([fmt[i], fmt[i + 1]]);
    let u32_at = |i: usize| u32::from_le_bytes([fmt[i], fmt[i + 1], fmt[i + 2], fmt[i + 3]]);
    let unsupported = |detail: String| WavError::Unsupported {
        path: path.to_path_buf(),
        detail,
    };
    let mut tag = u16_at(0);
    let channels = u16_at(2);
    let sample_rate = u32_at(4);
    let block_align = u16_at(12);
    let bits = u16_at(14);
    if tag == FORMAT_EXTENSIBLE {
        if fmt.len() < 40 {
            return Err(WavError::Malformed {
                path: path.to_path_buf(),
                detail: "extensible fmt chunk too short".into(),
            });
        }
        // The sub-format GUID starts with the plain format tag.
        tag = u16_at(24);
    }
    let format = match (tag, bits) {
        (FORMAT_PCM, 8 | 16 | 24 | 32) => SampleFormat::Int,
        (FORMAT_FLOAT, 32 | 64) => SampleFormat::Float,
        (FORMAT_PCM | FORMAT_FLOAT, _) => {
            return Err(unsupported(format!("{bits}-bit samples")));
        }
        (6, _) => return Err(unsupported("A-law".into())),
        (7, _) => return Err(unsupported("µ-law".into())),
        (other, _) => return Err(unsupported(format!("compressed, format code {other:#06x}"))),
    };
    if channels == 0 || sample_rate == 0 {
        return Err(WavError::Malformed {
            path: path.to_path_buf(),
            detail: "no channels or a zero sample rate".into(),
        });
    }
    let spec = WavSpec {
        sample_rate,
        channels,
        bits_per_sample: bits,
        format,
    };
    if block_align as usize != spec.bytes_per_frame() {
        return Err(unsupported(format!(
            "{bits}-bit samples in {block_align}-byte frames of {channels} channels"
        )));
    }
    Ok(spec)
}

/// Like `read_exact`, but returns how much was read when the file ends early.
fn read_exact_or_eof(file: &mut File, buf: &mut [u8]) -> io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match file.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Whole frames of little-endian samples to mono `f32` in [-1, 1].
fn decode(bytes: &[u8], spec: WavSpec, out: &mut Vec<f32>) {
    match (spec.format, spec.bits_per_sample) {
        (SampleFormat::Int, 8) => {
            to_mono::<1>(bytes, spec.channels, out, |b| (b[0] as f32 - 128.0) / 128.0)
        }
        (SampleFormat::Int, 16) => to_mono::<2>(bytes, spec.channels, out, |b| {
            i16::from_le_bytes(b) as f32 / 32_768.0
        }),
        (SampleFormat::Int, 24) => to_mono::<3>(bytes, spec.channels, out, |b| {
            (i32::from_le_bytes([0, b[0], b[1], b[2]]) >> 8) as f32 / 8_388_608.0
        }),
        (SampleFormat::Int, 32) => to_mono::<4>(bytes, spec.channels, out, |b| {
            i32::from_le_bytes(b) as f32 / 2_147_483_648.0
        }),
        (SampleFormat::Float, 32) => to_mono::<4>(bytes, spec.channels, out, f32::from_le_bytes),
        (SampleFormat::Float, 64) => {
            to_mono::<8>(bytes, spec.channels, out, |b| f64::from_le_bytes(b) as f32)
        }
        _ => unreachable!("parse_fmt admits only the formats above"),
    }
}

fn to_mono<const N: usize>(
    bytes: &[u8],
    channels: u16,
    out: &mut Vec<f32>,
    sample: impl Fn([u8; N]) -> f32,
) {
    let sample_at = |c: &[u8]| sample(c.try_into().expect("chunk of N bytes"));
    if channels == 1 {
        out.extend(bytes.chunks_exact(N).map(sample_at));
    } else {
        let ch = channels as usize;
        let scale = 1.0 / ch as f32;
        out.extend(
            bytes
                .chunks_exact(N * ch)
                .map(|frame| frame.chunks_exact(N).map(sample_at).sum::<f32>() * scale),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A folder of files for one test, removed when it passes.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(test: &str) -> Scratch {
            let dir =
                std::env::temp_dir().join(format!("voicemock-wav-{}-{test}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }

        fn path(&self, name: &str) -> PathBuf {
            self.0.join(name)
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            if !std::thread::panicking() {
                let _ = std::fs::remove_dir_all(&self.0);
            }
        }
    }

    fn write(path: &Path, spec: hound::WavSpec, samples: &[f64]) {
        let mut w = hound::WavWriter::create(path, spec).unwrap();
        for &s in samples {
            for _ in 0..spec.channels {
                match (spec.sample_format, spec.bits_per_sample) {
                    (hound::SampleFormat::Float, _) => w.write_sample(s as f32).unwrap(),
                    (_, 8) => w.write_sample((s * 127.0) as i8).unwrap(),
                    (_, 16) => w.write_sample((s * 32767.0) as i16).unwrap(),
                    (_, 24) => w.write_sample((s * 8_388_607.0) as i32).unwrap(),
                    _ => w.write_sample((s * 2_147_483_647.0) as i32).unwrap(),
                }
            }
        }
        w.finalize().unwrap();
    }

    fn read_all(path: &Path) -> Result<(WavSpec, Vec<f32>), WavError> {
        let mut r = WavReader::open(path)?;
        let mut all = Vec::new();
        let mut block = Vec::new();
        loop {
            r.read_block(&mut block)?;
            if block.is_empty() {
                return Ok((r.spec(), all));
            }
            all.extend_from_slice(&block);
        }
    }

    #[test]
    fn every_supported_format_decodes_to_the_same_mono_signal() {
        let scratch = Scratch::new("every_supported_format_decodes_to_the_same_mono_signal");
        let samples: Vec<f64> = (0..200_000)
            .map(|i| ((i as f64) * 0.01).sin() * 0.8)
            .collect();
        let table = [
            (1, 16, hound::SampleFormat::Int, 1e-4),
            (2, 16, hound::SampleFormat::Int, 1e-4),
            (1, 8, hound::SampleFormat::Int, 2e-2),
            (1, 24, hound::SampleFormat::Int, 1e-6),
            (3, 32, hound::SampleFormat::Int, 1e-6),
            (2, 32, hound::SampleFormat::Float, 1e-6),
        ];
        for (channels, bits, sample_format, tolerance) in table {
            let spec = hound::WavSpec {
                channels,
                sample_rate: 22_050,
                bits_per_sample: bits,
                sample_format,
            };
            let path = scratch.path(&format!("fmt-{channels}-{bits}-{sample_format:?}.wav"));
            write(&path, spec, &samples);
            let (got_spec, got) = read_all(&path).unwrap();
            assert_eq!(got_spec.sample_rate, 22_050);
            assert_eq!(got.len(), samples.len(), "{channels} ch {bits} bit");
            let worst = got
                .iter()
                .zip(&samples)
                .map(|(a, b)| (*a as f64 - b).abs())
                .fold(0.0, f64::max);
            assert!(
                worst < tolerance,
                "{channels} ch {bits} bit {sample_format:?}: error {worst}"
            );
        }
    }

    #[test]
    fn errors_name_the_file_and_the_problem() {
        let scratch = Scratch::new("errors_name_the_file_and_the_problem");
        let missing = scratch.path("missing.wav");
        let text = scratch.path("notes.wav");
        std::fs::write(&text, "these are notes, not audio").unwrap();
        let empty = scratch.path("empty.wav");
        std::fs::write(&empty, "").unwrap();
        let alaw = scratch.path("alaw.wav");
        let mut bytes = b"RIFF\0\0\0\0WAVEfmt \x10\0\0\0".to_vec();
        bytes.extend([6, 0, 1, 0, 0x40, 0x1f, 0, 0, 0x40, 0x1f, 0, 0, 1, 0, 8, 0]);
        bytes.extend(b"data\x04\0\0\0abcd");
        std::fs::write(&alaw, bytes).unwrap();
        let table: [(&Path, &str); 4] = [
            (&missing, "missing.wav: file not found"),
            (&text, "notes.wav: not a WAV file"),
            (&empty, "empty.wav: not a WAV file"),
            (&alaw, "alaw.wav: unsupported WAV format (A-law)"),
        ];
        for (path, want) in table {
            let err = analyze_file(path, analysis::Params::default())
                .unwrap_err()
                .to_string();
            assert!(err.contains(want), "{err:?} should contain {want:?}");
        }
    }

    #[test]
    fn a_file_cut_off_mid_write_reads_what_is_there() {
        let scratch = Scratch::new("a_file_cut_off_mid_write_reads_what_is_there");
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 16_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let path = scratch.path("cut.wav");
        write(&path, spec, &vec![0.1; 1000]);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[40..44].copy_from_slice(&0u32.to_le_bytes()); // data length never written
        bytes.truncate(bytes.len() - 1); // and half a sample missing
        std::fs::write(&path, bytes).unwrap();
        let (_, got) = read_all(&path).unwrap();
        assert_eq!(got.len(), 999);
    }
}
