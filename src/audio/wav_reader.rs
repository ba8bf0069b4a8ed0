//! The project's one WAV reader: hound parses the header (RIFF chunks, `fmt`, extensible
//! formats); the sample data is then read in large blocks straight from the file and converted
//! in tight loops, several times faster than hound's per-sample iterator (measured by
//! `bench/wav_read.sh`). Integer PCM of 8, 16, 24 or 32 bits and 32-bit float, any channel
//! count: as mono (averaged, for analysis) or interleaved (for playback), from any frame.
//!
//! Hostile files stay cheap: buffers are sized in bytes, never from header fields alone
//! ([`MAX_BLOCK_BYTES`]), and float samples that are not finite (±inf, NaN) are read as
//! clipped full scale (±1.0), so no measure derived from them is infinite or NaN.
//! Owns no analysis: it only hands samples to whoever asks (see [`analyze_file`]).

use std::fs::File;
use std::io::{self, BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use crate::analysis::{self, Analyzer, Envelope, Measures, PitchTrack};

/// Frames decoded per block when frames are small: 64 Ki frames is 128 KiB of 16-bit mono,
/// large enough that the per-block overhead vanishes, small enough to stay in cache.
const BLOCK_FRAMES: usize = 1 << 16;

/// The most raw bytes one block reads, whatever the header claims: a header declaring
/// 65,535 channels of 32-bit samples gets blocks of a few frames, not gigabytes. The reader
/// holds this plus the decoded block (at most [`BLOCK_FRAMES`] `f32`s per channel read).
pub const MAX_BLOCK_BYTES: usize = 1 << 20;

/// The sample rates a recording is believed to have: playback takes files within them, and a
/// crashed take's header outside them is damaged.
pub const MIN_RATE: u32 = 1000;
pub const MAX_RATE: u32 = 768_000;

#[derive(Debug, thiserror::Error)]
pub enum WavError {
    #[error("{}: file not found", .path.display())]
    NotFound { path: PathBuf },
    #[error("{}: cannot read: {reason}", .path.display())]
    Io { path: PathBuf, reason: io::Error },
    #[error("{}: {reason}", .path.display())]
    NotRegular { path: PathBuf, reason: String },
    #[error("{}: not a WAV file (no RIFF/WAVE header)", .path.display())]
    NotWav { path: PathBuf },
    #[error(
        "{}: unsupported WAV format ({detail}); voicemock reads 8/16/24/32-bit integer PCM and \
         32-bit float — convert it, e.g. `sox in.wav -b 16 out.wav`",
        .path.display()
    )]
    Unsupported { path: PathBuf, detail: String },
    #[error(
        "{}: its sample rate is {rate} Hz; voicemock plays recordings of {MIN_RATE} to \
         {MAX_RATE} Hz — convert it, e.g. `sox in.wav -r 48000 out.wav`",
        .path.display()
    )]
    Unplayable { path: PathBuf, rate: u32 },
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
    /// Where the sample data starts in the file, and its length in whole frames.
    data_start: u64,
    frames: u64,
    /// Frames not yet read.
    remaining: u64,
    bytes: Vec<u8>,
}

impl WavReader {
    pub fn open(path: &Path) -> Result<Self, WavError> {
        let io_err = |reason: io::Error| match reason.kind() {
            io::ErrorKind::NotFound => WavError::NotFound {
                path: path.to_path_buf(),
            },
            _ => WavError::Io {
                path: path.to_path_buf(),
                reason,
            },
        };
        // Opened without waiting and only if it is a regular file: a FIFO would hold the open
        // for ever, a device never end, and neither is a WAV.
        let open = || {
            crate::files::open_regular(path).map_err(|e| match e {
                crate::files::OpenError::Io(reason) => io_err(reason),
                refused => WavError::NotRegular {
                    path: path.to_path_buf(),
                    reason: refused.to_string(),
                },
            })
        };
        let file = open()?;
        let meta = file.metadata().map_err(io_err)?;
        let file_len = meta.len();
        let (spec, data_start, declared) = read_header(file, file_len, path)?;
        let mut file = open()?;
        file.seek(SeekFrom::Start(data_start)).map_err(io_err)?;
        // A writer that was stopped early may leave the length at 0 or larger than the file:
        // read what is really there.
        let available = file_len.saturating_sub(data_start);
        let data_len = if declared == 0 || declared > available {
            available
        } else {
            declared
        };
        let frame = spec.bytes_per_frame();
        let frames = data_len / frame as u64;
        let block_frames = (MAX_BLOCK_BYTES / frame).clamp(1, BLOCK_FRAMES);
        Ok(WavReader {
            path: path.to_path_buf(),
            file,
            spec,
            data_start,
            frames,
            remaining: frames,
            bytes: vec![0; block_frames * frame],
        })
    }

    pub fn spec(&self) -> WavSpec {
        self.spec
    }

    /// Refuses a file whose sample rate no output plays or resamples from (a valid WAV may
    /// say 1 Hz): the file is at fault, never the device.
    pub fn check_playable(&self) -> Result<(), WavError> {
        if (MIN_RATE..=MAX_RATE).contains(&self.spec.sample_rate) {
            return Ok(());
        }
        Err(WavError::Unplayable {
            path: self.path.clone(),
            rate: self.spec.sample_rate,
        })
    }

    /// Whole frames of sample data in the file.
    pub fn frames(&self) -> u64 {
        self.frames
    }

    pub fn duration_s(&self) -> f64 {
        self.frames as f64 / f64::from(self.spec.sample_rate)
    }

    /// The largest number of frames one read returns.
    pub fn block_frames(&self) -> usize {
        self.bytes.len() / self.spec.bytes_per_frame()
    }

    /// Continues reading at `frame` (clamped to the end).
    pub fn seek_frame(&mut self, frame: u64) -> Result<(), WavError> {
        let frame = frame.min(self.frames);
        let offset = self.data_start + frame * self.spec.bytes_per_frame() as u64;
        self.file
            .seek(SeekFrom::Start(offset))
            .map_err(|reason| WavError::Io {
                path: self.path.clone(),
                reason,
            })?;
        self.remaining = self.frames - frame;
        Ok(())
    }

    /// Replace `out` with the next block of mono samples; an empty block means the end.
    /// A last partial frame (a file cut off mid-write) is ignored.
    pub fn read_block(&mut self, out: &mut Vec<f32>) -> Result<(), WavError> {
        out.clear();
        let got = self.fill(self.block_frames())?;
        decode(&self.bytes[..got], self.spec, true, out);
        Ok(())
    }

    /// Replace `out` with up to `max_frames` interleaved frames (all channels); an empty
    /// block means the end.
    pub fn read_interleaved(
        &mut self,
        out: &mut Vec<f32>,
        max_frames: usize,
    ) -> Result<(), WavError> {
        out.clear();
        let got = self.fill(max_frames.clamp(1, self.block_frames()))?;
        decode(&self.bytes[..got], self.spec, false, out);
        Ok(())
    }

    /// Reads up to `frames` whole frames into `self.bytes`; returns the bytes read.
    fn fill(&mut self, frames: usize) -> Result<usize, WavError> {
        let frame = self.spec.bytes_per_frame();
        let want = (frames as u64).min(self.remaining) as usize * frame;
        let mut got = 0;
        while got < want {
            match self.file.read(&mut self.bytes[got..want]) {
                Ok(0) => {
                    self.remaining = 0; // truncated: what is there is all there is
                    break;
                }
                Ok(n) => got += n,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
                Err(reason) => {
                    return Err(WavError::Io {
                        path: self.path.clone(),
                        reason,
                    })
                }
            }
        }
        let whole = got / frame;
        self.remaining = self.remaining.saturating_sub(whole as u64);
        Ok(whole * frame)
    }
}

/// Analyse a WAV file block by block; memory stays flat whatever its length.
pub fn analyze_file(path: &Path, params: analysis::Params) -> Result<Measures, WavError> {
    analyze_file_with_envelope(path, params, &[]).map(|(m, _)| m)
}

/// [`analyze_file`] with stretches `[from_s, to_s]` left out (the cues a take's log lists, see
/// [`Analyzer::leave_out`]), and the level envelope a drawing of the recording is made from.
pub fn analyze_file_with_envelope(
    path: &Path,
    params: analysis::Params,
    left_out: &[[f64; 2]],
) -> Result<(Measures, Envelope), WavError> {
    analyze_file_with_pitch(path, params, left_out).map(|(m, e, _)| (m, e))
}

/// [`analyze_file_with_envelope`], and the pitch track the voice measures come from.
pub fn analyze_file_with_pitch(
    path: &Path,
    params: analysis::Params,
    left_out: &[[f64; 2]],
) -> Result<(Measures, Envelope, PitchTrack), WavError> {
    let mut reader = WavReader::open(path)?;
    let mut analyzer = Analyzer::new(reader.spec().sample_rate, params);
    for &[from, to] in left_out {
        analyzer.leave_out(from, to);
    }
    let mut block = Vec::with_capacity(reader.block_frames());
    loop {
        reader.read_block(&mut block)?;
        if block.is_empty() {
            return Ok(analyzer.finish_with_pitch());
        }
        analyzer.push(&block);
    }
}

/// Parses the header with hound; returns the spec, where the data starts and the data
/// length the header declares.
fn read_header(file: File, file_len: u64, path: &Path) -> Result<(WavSpec, u64, u64), WavError> {
    let malformed = |detail: &str| WavError::Malformed {
        path: path.to_path_buf(),
        detail: detail.into(),
    };
    let unsupported = |detail: String| WavError::Unsupported {
        path: path.to_path_buf(),
        detail,
    };
    let not_wav = || WavError::NotWav {
        path: path.to_path_buf(),
    };
    let reader = match hound::WavReader::new(BufReader::new(file)) {
        Ok(r) => r,
        // hound reports a header cut short as an I/O error of its own wording.
        Err(hound::Error::IoError(e))
            if matches!(
                e.kind(),
                io::ErrorKind::UnexpectedEof | io::ErrorKind::Other
            ) =>
        {
            return Err(if file_len < 12 {
                not_wav()
            } else {
                malformed("the file ends inside its header")
            });
        }
        Err(hound::Error::IoError(reason)) => {
            return Err(WavError::Io {
                path: path.to_path_buf(),
                reason,
            })
        }
        Err(hound::Error::FormatError("no RIFF tag found" | "no WAVE tag found")) => {
            return Err(not_wav())
        }
        Err(hound::Error::FormatError(detail)) => return Err(malformed(detail)),
        Err(hound::Error::Unsupported) => {
            return Err(unsupported(
                format_code(path).unwrap_or_else(|| "an unknown format code".into()),
            ))
        }
        Err(other) => return Err(malformed(&other.to_string())),
    };
    let h = reader.spec();
    let samples_declared = u64::from(reader.len());
    let mut rest = reader.into_inner();
    let data_start = rest.stream_position().map_err(|reason| WavError::Io {
        path: path.to_path_buf(),
        reason,
    })?;
    // hound reports the valid bits; the container size comes from the data chunk's length.
    let mut len_field = [0u8; 4];
    rest.seek(SeekFrom::Start(data_start - 4))
        .and_then(|_| rest.read_exact(&mut len_field))
        .map_err(|reason| WavError::Io {
            path: path.to_path_buf(),
            reason,
        })?;
    let declared = u64::from(u32::from_le_bytes(len_field));
    let container_bytes = declared
        .checked_div(samples_declared)
        .unwrap_or_else(|| u64::from(h.bits_per_sample).div_ceil(8));
    let format = match (h.sample_format, h.bits_per_sample) {
        (hound::SampleFormat::Int, 8 | 16 | 24 | 32) => SampleFormat::Int,
        (hound::SampleFormat::Float, 32) => SampleFormat::Float,
        (_, bits) => return Err(unsupported(format!("{bits}-bit samples"))),
    };
    if container_bytes * 8 != u64::from(h.bits_per_sample) {
        return Err(unsupported(format!(
            "{}-bit samples in {container_bytes}-byte containers",
            h.bits_per_sample
        )));
    }
    if h.sample_rate == 0 {
        return Err(malformed("a zero sample rate"));
    }
    let spec = WavSpec {
        sample_rate: h.sample_rate,
        channels: h.channels,
        bits_per_sample: h.bits_per_sample,
        format,
    };
    Ok((spec, data_start, declared))
}

/// The format code of a file hound refused, for the message: A-law and µ-law by name.
fn format_code(path: &Path) -> Option<String> {
    let mut head = [0u8; 22];
    crate::files::open_regular(path)
        .ok()?
        .read_exact(&mut head)
        .ok()?;
    let code = u16::from_le_bytes([head[20], head[21]]);
    Some(match code {
        6 => "A-law".into(),
        7 => "µ-law".into(),
        other => format!("compressed, format code {other:#06x}"),
    })
}

/// A float sample as read: non-finite values (±inf, NaN) become clipped full scale.
#[inline(always)]
fn finite_or_full_scale(v: f32) -> f32 {
    if v.is_finite() {
        v
    } else if v < 0.0 {
        -1.0
    } else {
        1.0
    }
}

/// Whole frames of little-endian samples to `f32` in [-1, 1]: mono (averaged) or interleaved.
fn decode(bytes: &[u8], spec: WavSpec, mono: bool, out: &mut Vec<f32>) {
    let ch = spec.channels;
    match (spec.format, spec.bits_per_sample) {
        (SampleFormat::Int, 8) => {
            convert::<1>(bytes, ch, mono, out, |b| (b[0] as f32 - 128.0) / 128.0)
        }
        (SampleFormat::Int, 16) => convert::<2>(bytes, ch, mono, out, |b| {
            i16::from_le_bytes(b) as f32 / 32_768.0
        }),
        (SampleFormat::Int, 24) => convert::<3>(bytes, ch, mono, out, |b| {
            (i32::from_le_bytes([0, b[0], b[1], b[2]]) >> 8) as f32 / 8_388_608.0
        }),
        (SampleFormat::Int, 32) => convert::<4>(bytes, ch, mono, out, |b| {
            i32::from_le_bytes(b) as f32 / 2_147_483_648.0
        }),
        (SampleFormat::Float, 32) => convert::<4>(bytes, ch, mono, out, |b| {
            finite_or_full_scale(f32::from_le_bytes(b))
        }),
        _ => unreachable!("read_header admits only the formats above"),
    }
}

fn convert<const N: usize>(
    bytes: &[u8],
    channels: u16,
    mono: bool,
    out: &mut Vec<f32>,
    sample: impl Fn([u8; N]) -> f32,
) {
    let sample_at = |c: &[u8]| sample(c.try_into().expect("chunk of N bytes"));
    if channels == 1 || !mono {
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
        let scratch = tempfile::tempdir().unwrap();
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
            let path = scratch
                .path()
                .join(format!("fmt-{channels}-{bits}-{sample_format:?}.wav"));
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
        let scratch = tempfile::tempdir().unwrap();
        let missing = scratch.path().join("missing.wav");
        let text = scratch.path().join("notes.wav");
        std::fs::write(&text, "these are notes, not audio").unwrap();
        let empty = scratch.path().join("empty.wav");
        std::fs::write(&empty, "").unwrap();
        let alaw = scratch.path().join("alaw.wav");
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
        let scratch = tempfile::tempdir().unwrap();
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 16_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let path = scratch.path().join("cut.wav");
        write(&path, spec, &vec![0.1; 1000]);
        let mut bytes = std::fs::read(&path).unwrap();
        bytes[40..44].copy_from_slice(&0u32.to_le_bytes()); // data length never written
        bytes.truncate(bytes.len() - 1); // and half a sample missing
        std::fs::write(&path, bytes).unwrap();
        let (_, got) = read_all(&path).unwrap();
        assert_eq!(got.len(), 999);
    }

    /// A 32-bit float mono WAV holding `samples`, written by hand (any bit pattern).
    fn float_wav(path: &Path, samples: &[f32]) {
        let data: Vec<u8> = samples.iter().flat_map(|v| v.to_le_bytes()).collect();
        let mut bytes = b"RIFF".to_vec();
        bytes.extend((36 + data.len() as u32).to_le_bytes());
        bytes.extend(b"WAVEfmt ");
        bytes.extend(16u32.to_le_bytes());
        for v in [3u16, 1] {
            bytes.extend(v.to_le_bytes());
        }
        bytes.extend(16_000u32.to_le_bytes());
        bytes.extend(64_000u32.to_le_bytes());
        for v in [4u16, 32] {
            bytes.extend(v.to_le_bytes());
        }
        bytes.extend(b"data");
        bytes.extend((data.len() as u32).to_le_bytes());
        bytes.extend(data);
        std::fs::write(path, bytes).unwrap();
    }

    #[test]
    fn non_finite_float_samples_read_as_clipped_full_scale() {
        let scratch = tempfile::tempdir().unwrap();
        let path = scratch.path().join("inf.wav");
        float_wav(
            &path,
            &[0.5, f32::INFINITY, f32::NEG_INFINITY, f32::NAN, -0.25],
        );
        let (_, got) = read_all(&path).unwrap();
        assert_eq!(got, [0.5, 1.0, -1.0, 1.0, -0.25]);
        let m = analyze_file(&path, analysis::Params::default()).unwrap();
        assert!(
            m.peak_dbfs.is_finite() && m.peak_dbfs <= 0.0,
            "{}",
            m.peak_dbfs
        );
        assert!(m.clipped_fraction > 0.0);
        let json = serde_json::to_string(&m).unwrap();
        assert!(!json.contains("inf") && !json.contains("NaN"), "{json}");
    }

    #[test]
    fn interleaved_reads_keep_channels_and_seek_moves_by_frames() {
        let scratch = tempfile::tempdir().unwrap();
        let spec = hound::WavSpec {
            channels: 2,
            sample_rate: 8_000,
            bits_per_sample: 16,
            sample_format: hound::SampleFormat::Int,
        };
        let path = scratch.path().join("stereo.wav");
        let mut w = hound::WavWriter::create(&path, spec).unwrap();
        for i in 0..1000i16 {
            w.write_sample(i).unwrap();
            w.write_sample(-i).unwrap();
        }
        w.finalize().unwrap();
        let mut r = WavReader::open(&path).unwrap();
        assert_eq!(r.frames(), 1000);
        assert!((r.duration_s() - 0.125).abs() < 1e-9);
        let mut block = Vec::new();
        r.read_interleaved(&mut block, 3).unwrap();
        assert_eq!(
            block,
            [
                0.0,
                0.0,
                1.0 / 32768.0,
                -1.0 / 32768.0,
                2.0 / 32768.0,
                -2.0 / 32768.0
            ]
        );
        r.seek_frame(998).unwrap();
        r.read_interleaved(&mut block, 10).unwrap();
        assert_eq!(block.len(), 4, "two frames left after frame 998");
        assert_eq!(block[0], 998.0 / 32768.0);
        r.seek_frame(5000).unwrap();
        r.read_interleaved(&mut block, 10).unwrap();
        assert!(block.is_empty(), "a seek past the end reads nothing");
    }

    #[test]
    fn a_header_declaring_16383_channels_reads_in_small_blocks() {
        let scratch = tempfile::tempdir().unwrap();
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: 16_000,
            bits_per_sample: 32,
            sample_format: hound::SampleFormat::Float,
        };
        let path = scratch.path().join("many.wav");
        write(&path, spec, &vec![0.1; 200_000]);
        // Rewrite the header: 16,383 channels, block align and byte rate to match.
        let mut bytes = std::fs::read(&path).unwrap();
        let at = bytes.windows(4).position(|w| w == b"fmt ").unwrap() + 8;
        bytes[at + 2..at + 4].copy_from_slice(&16_383u16.to_le_bytes());
        bytes[at + 8..at + 12].copy_from_slice(&(16_000u32 * 4 * 16_383).to_le_bytes());
        bytes[at + 12..at + 14].copy_from_slice(&(4u16 * 16_383).to_le_bytes());
        let data = bytes.windows(4).position(|w| w == b"data").unwrap() + 4;
        let whole_frames = (800_000 / (4 * 16_383) * (4 * 16_383)) as u32;
        bytes[data..data + 4].copy_from_slice(&whole_frames.to_le_bytes());
        std::fs::write(&path, bytes).unwrap();
        let r = WavReader::open(&path).unwrap();
        assert_eq!(r.spec().channels, 16_383);
        assert!(r.bytes.len() <= MAX_BLOCK_BYTES, "{} bytes", r.bytes.len());
        let (_, mono) = read_all(&path).unwrap();
        assert_eq!(mono.len(), 200_000 / 16_383);
        analyze_file(&path, analysis::Params::default()).unwrap();
    }

    #[test]
    fn an_error_says_its_cause_once() {
        let scratch = tempfile::tempdir().unwrap();
        let dir = scratch.path().join("a-folder.wav");
        std::fs::create_dir_all(&dir).unwrap();
        let missing = scratch.path().join("missing.wav");
        for path in [&dir, &missing] {
            let err =
                anyhow::Error::from(analyze_file(path, analysis::Params::default()).unwrap_err());
            let chain: Vec<String> = err.chain().map(|e| e.to_string()).collect();
            assert_eq!(
                chain.len(),
                1,
                "the cause is in the message, not repeated: {chain:?}"
            );
        }
    }
}
