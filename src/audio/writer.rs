//! The capture writer: drains the ring buffer that the audio callback fills, downmixes to
//! mono, and streams 16-bit PCM into a WAV file on its own thread.
//!
//! Everything that may block or allocate (file I/O, format conversion, level tracking) happens
//! here, never in the device callback. The WAV header is rewritten at least every half second,
//! so a crash or a kill leaves a playable file holding all but the last moments. A take never
//! holds more frames than its cap (a device that runs faster than real time cannot make it
//! longer than its limit) nor more than a WAV's 32-bit size fields can describe. When the disk
//! fills up or a write fails, the file is cut back to the last whole sample, its header made
//! true, and the fault published for the controller; the file is fsynced when finished.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufWriter, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicU64, AtomicU8, Ordering};
use std::sync::{Arc, OnceLock};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use super::convert::{downmix_into, f32_to_i16};
use super::{Fault, TakeStats};
use crate::analysis::level::LevelStats;
use crate::analysis::live::{LiveVoice, VoiceEvent};
use crate::files::is_disk_full;

/// State shared between the device callback, the writer thread and the controller.
/// Only atomics (and a write-once detail): the callback must never lock.
#[derive(Debug, Default)]
pub struct Shared {
    pub overruns: AtomicU64,
    pub stream_errors: AtomicU64,
    pub device_failed: AtomicBool,
    pub frames_written: AtomicU64,
    /// Frames taken from the device so far, written or not (a capture that waits for its
    /// beginning still counts them).
    pub captured: AtomicU64,
    /// The captured frame the file begins at; [`NOT_BEGUN`] while the capture only keeps its
    /// pre-roll. Set by the controller, read by the writer.
    begin_at: AtomicU64,
    /// The captured frame the file's first sample is (the pre-roll may not reach back as far
    /// as the beginning asked for); [`NOT_BEGUN`] until then.
    first_written: AtomicU64,
    /// Live voice activity: speaking now, where the last speech started and stopped (captured
    /// frames), and a stretch of captured frames to count as silence (a cue).
    speaking: AtomicBool,
    voice_started: AtomicU64,
    voice_stopped: AtomicU64,
    mask_from: AtomicU64,
    mask_to: AtomicU64,
    recent_peak: AtomicU32,
    recent_rms: AtomicU32,
    stop: AtomicBool,
    /// 0: none; see [`Shared::fault`].
    write_fault: AtomicU8,
    write_fault_detail: OnceLock<String>,
}

/// No frame yet: the file has not begun, or no speech has been heard.
pub const NOT_BEGUN: u64 = u64::MAX;

/// What the live voice activity has heard so far, in captured frames.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VoiceNow {
    pub speaking: bool,
    /// Where the current (or last) speech began, if any has been heard.
    pub started: Option<u64>,
    /// Where the last finished speech ended, if any has.
    pub stopped: Option<u64>,
    pub captured: u64,
}

const FAULT_DISK_FULL: u8 = 1;
const FAULT_WRITE: u8 = 2;

impl Shared {
    pub fn recent_level(&self) -> (f32, f32) {
        (
            f32::from_bits(self.recent_peak.load(Ordering::Relaxed)),
            f32::from_bits(self.recent_rms.load(Ordering::Relaxed)),
        )
    }

    fn publish_level(&self, window: &LevelStats) {
        self.recent_peak
            .store(window.peak.to_bits(), Ordering::Relaxed);
        self.recent_rms
            .store(window.rms().to_bits(), Ordering::Relaxed);
    }

    /// Begins the file at captured frame `frame` (kept from the pre-roll when it is already
    /// past). Only the first call counts.
    pub fn begin(&self, frame: u64) {
        let _ = self.begin_at.compare_exchange(
            NOT_BEGUN,
            frame.min(NOT_BEGUN - 1),
            Ordering::AcqRel,
            Ordering::Acquire,
        );
    }

    /// The captured frame the file starts at, once it has started.
    pub fn first_written(&self) -> Option<u64> {
        Some(self.first_written.load(Ordering::Acquire)).filter(|&f| f != NOT_BEGUN)
    }

    /// Counts captured frames `[from, to)` as silence for the voice activity: a sound the
    /// speaker is playing that the microphone may hear.
    pub fn mask(&self, from: u64, to: u64) {
        self.mask_from.store(from, Ordering::Relaxed);
        self.mask_to.store(to, Ordering::Release);
    }

    pub fn voice(&self) -> VoiceNow {
        let speaking = self.speaking.load(Ordering::Acquire);
        let frame = |a: &AtomicU64| Some(a.load(Ordering::Acquire)).filter(|&f| f != NOT_BEGUN);
        VoiceNow {
            speaking,
            started: frame(&self.voice_started),
            stopped: frame(&self.voice_stopped),
            captured: self.captured.load(Ordering::Acquire),
        }
    }

    /// A new `Shared` whose file begins with the first frame (`armed` false) or waits for
    /// [`Shared::begin`], keeping a pre-roll (`armed` true).
    pub fn new(armed: bool) -> Shared {
        let s = Shared {
            first_written: AtomicU64::new(NOT_BEGUN),
            voice_started: AtomicU64::new(NOT_BEGUN),
            voice_stopped: AtomicU64::new(NOT_BEGUN),
            ..Shared::default()
        };
        if armed {
            s.begin_at.store(NOT_BEGUN, Ordering::Relaxed);
        }
        s
    }

    /// A failure to write the file, once the writer has met one.
    pub fn write_fault(&self) -> Option<Fault> {
        match self.write_fault.load(Ordering::Acquire) {
            FAULT_DISK_FULL => Some(Fault::DiskFull),
            FAULT_WRITE => Some(Fault::Write(
                self.write_fault_detail.get().cloned().unwrap_or_default(),
            )),
            _ => None,
        }
    }

    fn set_write_fault(&self, e: &std::io::Error) {
        let code = if is_disk_full(e) {
            FAULT_DISK_FULL
        } else {
            let _ = self.write_fault_detail.set(e.to_string());
            FAULT_WRITE
        };
        self.write_fault.store(code, Ordering::Release);
    }
}

/// Creates `path` for writing, refusing to replace an existing file, readable only by its
/// owner where the platform has such permissions.
pub fn create_private_file(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    options.open(path)
}

/// What the writer needs to know about the stream it drains.
#[derive(Debug, Clone, Copy)]
pub struct StreamShape {
    pub channels: u16,
    pub sample_rate: u32,
    /// Stop writing after this many mono frames (a fixed-length recording, or a take's limit
    /// plus its grace), if set. Frames that arrive after it are drained and dropped.
    pub max_frames: Option<u64>,
    /// While the file waits for its beginning, keep this many frames before it (set with
    /// [`Shared::new`]`(true)`).
    pub pre_roll_frames: u64,
}

/// Bytes before the samples in the WAVs written here (RIFF, `fmt ` of plain PCM, `data`).
const HEADER_LEN: u64 = 44;

/// The most 16-bit mono frames a WAV can hold: its RIFF size (36 + data bytes) is 32-bit.
pub const MAX_WAV_FRAMES: u64 = (u32::MAX as u64 - (HEADER_LEN - 8)) / 2;

/// A 16-bit mono PCM WAV being written: the samples are appended, the sizes in the header
/// are patched whenever asked.
struct PcmWav {
    file: BufWriter<File>,
    sample_rate: u32,
    /// Sample bytes handed to `file` so far.
    data_bytes: u64,
}

fn wav_header(sample_rate: u32, data_bytes: u64) -> [u8; HEADER_LEN as usize] {
    let data = u32::try_from(data_bytes).expect("data bytes kept under the WAV limit");
    let mut h = [0u8; HEADER_LEN as usize];
    h[0..4].copy_from_slice(b"RIFF");
    h[4..8].copy_from_slice(&(data + 36).to_le_bytes());
    h[8..12].copy_from_slice(b"WAVE");
    h[12..16].copy_from_slice(b"fmt ");
    h[16..20].copy_from_slice(&16u32.to_le_bytes());
    h[20..22].copy_from_slice(&1u16.to_le_bytes()); // PCM
    h[22..24].copy_from_slice(&1u16.to_le_bytes()); // mono
    h[24..28].copy_from_slice(&sample_rate.to_le_bytes());
    h[28..32].copy_from_slice(&(sample_rate * 2).to_le_bytes()); // bytes per second
    h[32..34].copy_from_slice(&2u16.to_le_bytes()); // block align
    h[34..36].copy_from_slice(&16u16.to_le_bytes()); // bits per sample
    h[36..40].copy_from_slice(b"data");
    h[40..44].copy_from_slice(&data.to_le_bytes());
    h
}

impl PcmWav {
    fn create(file: File, sample_rate: u32) -> std::io::Result<PcmWav> {
        let mut file = BufWriter::with_capacity(64 * 1024, file);
        file.write_all(&wav_header(sample_rate, 0))?;
        Ok(PcmWav {
            file,
            sample_rate,
            data_bytes: 0,
        })
    }

    fn write(&mut self, samples: &[i16]) -> std::io::Result<()> {
        for s in samples {
            self.file.write_all(&s.to_le_bytes())?;
        }
        self.data_bytes += 2 * samples.len() as u64;
        Ok(())
    }

    /// Writes out the buffer and makes the header's sizes match it.
    fn sync_header(&mut self) -> std::io::Result<()> {
        self.file.flush()?;
        let file = self.file.get_mut();
        file.seek(SeekFrom::Start(0))?;
        file.write_all(&wav_header(self.sample_rate, self.data_bytes))?;
        file.seek(SeekFrom::End(0))?;
        Ok(())
    }

    /// After a failed write nobody knows how much of the buffer reached the file: keep what
    /// is there, cut back to a whole sample, and write a header that says so. Returns the
    /// frames the file holds.
    fn salvage(self) -> std::io::Result<u64> {
        // Not flushed again: the disk just refused it.
        let (mut file, _) = self.file.into_parts();
        let len = file.metadata()?.len();
        let data = (len.saturating_sub(HEADER_LEN) & !1).min(2 * MAX_WAV_FRAMES);
        file.set_len(HEADER_LEN + data)?;
        file.seek(SeekFrom::Start(0))?;
        file.write_all(&wav_header(self.sample_rate, data))?;
        // On a full disk this may fail too; the header above is what matters.
        let _ = file.sync_all();
        Ok(data / 2)
    }
}

/// Writes a whole 16-bit mono WAV into `file` at once (short sounds made in memory).
pub fn write_pcm_wav(file: File, sample_rate: u32, pcm: &[i16]) -> std::io::Result<()> {
    let mut wav = PcmWav::create(file, sample_rate)?;
    wav.write(pcm)?;
    wav.sync_header()
}

/// The sample rate and the frames a WAV written here holds: what its header says, or what the
/// file's size says where that is more (after a crash the header can lag the data by up to
/// one rewrite).
pub fn frames_on_disk(path: &Path) -> Option<(u32, u64)> {
    let mut file = crate::files::open_regular(path).ok()?;
    let mut header = [0u8; HEADER_LEN as usize];
    std::io::Read::read_exact(&mut file, &mut header).ok()?;
    let word = |at: usize| u32::from_le_bytes(header[at..at + 4].try_into().expect("4 bytes"));
    if &header[0..4] != b"RIFF" || &header[36..40] != b"data" {
        return None;
    }
    let by_size = file.metadata().ok()?.len().saturating_sub(HEADER_LEN) / 2;
    Some((word(24), (u64::from(word(40)) / 2).max(by_size)))
}

pub struct Writer {
    handle: JoinHandle<std::io::Result<WriterTotals>>,
    shared: Arc<Shared>,
    path: PathBuf,
    sample_rate: u32,
}

struct WriterTotals {
    frames: u64,
    level: LevelStats,
}

impl Writer {
    /// Creates the WAV file and starts the thread that fills it from `consumer`, whose capacity
    /// must be a whole number of frames.
    pub fn spawn(
        path: &Path,
        shape: StreamShape,
        consumer: rtrb::Consumer<f32>,
        shared: Arc<Shared>,
    ) -> std::io::Result<Writer> {
        let file = create_private_file(path)?;
        let wav = PcmWav::create(file, shape.sample_rate).and_then(|mut wav| {
            wav.sync_header()?;
            Ok(wav)
        });
        let wav = match wav {
            Ok(wav) => wav,
            Err(e) => {
                let _ = std::fs::remove_file(path);
                return Err(e);
            }
        };
        // The new name is part of the folder: put it on disk with the file.
        if let Some(dir) = path.parent() {
            let _ = crate::files::sync_dir(dir);
        }
        let thread_shared = Arc::clone(&shared);
        let handle = std::thread::Builder::new()
            .name("voicemock-wav-writer".into())
            .spawn(move || drain(wav, shape, consumer, &thread_shared))?;
        Ok(Writer {
            handle,
            shared,
            path: path.to_path_buf(),
            sample_rate: shape.sample_rate,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Asks the thread to write what is left and finalize the file. It never waits on the
    /// device: whatever reached the ring buffer by now is written, the rest is not.
    pub fn finish(self) -> std::io::Result<TakeStats> {
        self.shared.stop.store(true, Ordering::Release);
        let totals = self
            .handle
            .join()
            .unwrap_or_else(|_| Err(std::io::Error::other("writer thread panicked")))?;
        Ok(TakeStats {
            path: self.path,
            sample_rate: self.sample_rate,
            frames: totals.frames,
            peak: totals.level.peak,
            rms: totals.level.rms(),
            clipped_fraction: totals.level.clipped_fraction(),
            overruns: self.shared.overruns.load(Ordering::Relaxed),
            stream_errors: self.shared.stream_errors.load(Ordering::Relaxed),
            fault: self.shared.write_fault(),
        })
    }
}

/// The writer thread: from the ring buffer to the file until asked to stop.
///
/// Long because it is the writer thread's real-time loop: the pre-roll, the file's beginning,
/// the ring buffer, the meter and the stop flag share state whose order of reading matters (the
/// stop flag before the last drain, the beginning before draining), best seen in one place.
fn drain(
    mut wav: PcmWav,
    shape: StreamShape,
    mut consumer: rtrb::Consumer<f32>,
    shared: &Shared,
) -> std::io::Result<WriterTotals> {
    let channels = usize::from(shape.channels.max(1));
    let meter_frames = (shape.sample_rate / 10).max(1) as u64;
    let max_frames = shape.max_frames.unwrap_or(u64::MAX).min(MAX_WAV_FRAMES);
    let mut mono = Vec::with_capacity(shape.sample_rate as usize);
    let mut pcm: Vec<i16> = Vec::with_capacity(shape.sample_rate as usize);
    let mut totals = WriterTotals {
        frames: 0,
        level: LevelStats::default(),
    };
    let mut window = LevelStats::default();
    let mut window_frames = 0u64;
    let mut last_flush = Instant::now();
    let mut voice = LiveVoice::new(shape.sample_rate, crate::analysis::Params::default());
    let mut mask_seen = (0u64, 0u64);
    let mut captured = 0u64;
    // Until the file begins, the last moments are kept here: the pre-roll, and a second more
    // for the time it takes to decide where the file begins.
    let ring_cap =
        usize::try_from(shape.pre_roll_frames + u64::from(shape.sample_rate)).unwrap_or(usize::MAX);
    let mut pre_roll: Option<VecDeque<f32>> = (shared.begin_at.load(Ordering::Acquire)
        == NOT_BEGUN)
        .then(|| VecDeque::with_capacity(ring_cap));
    if pre_roll.is_none() {
        shared.first_written.store(0, Ordering::Release);
    }
    loop {
        // Read the stop flag before draining, so the last drain sees everything that was
        // pushed before the stop was asked for.
        let stopping = shared.stop.load(Ordering::Acquire);
        // The beginning is looked for before draining, so the pre-roll it reaches back into
        // is still in the ring.
        if let Some(ring) = pre_roll.as_mut() {
            let begin = shared.begin_at.load(Ordering::Acquire);
            // A beginning still ahead (after a cue) waits for the capture to reach it.
            if begin != NOT_BEGUN && begin <= captured {
                let ring_start = captured - ring.len() as u64;
                let skip = usize::try_from(begin.saturating_sub(ring_start))
                    .unwrap_or(usize::MAX)
                    .min(ring.len());
                shared
                    .first_written
                    .store(ring_start + skip as u64, Ordering::Release);
                let kept: Vec<f32> = ring.drain(skip..).collect();
                pre_roll = None;
                if let Err(e) = append(&mut wav, &kept, &mut pcm, &mut totals, max_frames) {
                    return give_up(wav, &e, totals, shared);
                }
            }
        }
        let slots = consumer.slots();
        let available = slots - slots % channels;
        if available > 0 {
            let chunk = consumer
                .read_chunk(available)
                .expect("slots() said these samples are there");
            let (a, b) = chunk.as_slices();
            mono.clear();
            // The ring buffer's capacity is a whole number of frames and only whole frames go
            // in and out, so the wrap-around point never splits a frame.
            debug_assert_eq!(a.len() % channels, 0, "a frame straddles the ring's seam");
            downmix_into(a, channels, &mut mono);
            downmix_into(b, channels, &mut mono);
            chunk.commit_all();

            let mask = (
                shared.mask_from.load(Ordering::Relaxed),
                shared.mask_to.load(Ordering::Acquire),
            );
            if mask != mask_seen && mask.1 > mask.0 {
                voice.mask(mask.0, mask.1);
                mask_seen = mask;
            }
            voice.push(&mono, |e| match e {
                VoiceEvent::Started { at } => {
                    shared.voice_started.store(at, Ordering::Release);
                    shared.speaking.store(true, Ordering::Release);
                }
                VoiceEvent::Stopped { at } => {
                    shared.voice_stopped.store(at, Ordering::Release);
                    shared.speaking.store(false, Ordering::Release);
                }
            });
            captured += mono.len() as u64;
            shared.captured.store(captured, Ordering::Release);
            window.add(&mono);
            window_frames += mono.len() as u64;
            if window_frames >= meter_frames {
                shared.publish_level(&window);
                window = LevelStats::default();
                window_frames = 0;
            }

            match pre_roll.as_mut() {
                Some(ring) => {
                    ring.extend(mono.iter().copied());
                    let excess = ring.len().saturating_sub(ring_cap);
                    ring.drain(..excess);
                }
                None => {
                    if let Err(e) = append(&mut wav, &mono, &mut pcm, &mut totals, max_frames) {
                        return give_up(wav, &e, totals, shared);
                    }
                }
            }
        }
        shared
            .frames_written
            .store(totals.frames, Ordering::Relaxed);
        if last_flush.elapsed() >= Duration::from_millis(500) {
            if let Err(e) = wav.sync_header() {
                return give_up(wav, &e, totals, shared);
            }
            last_flush = Instant::now();
        }
        if stopping {
            break;
        }
        if available == 0 {
            std::thread::sleep(Duration::from_millis(5));
        }
    }
    if let Err(e) = wav.sync_header() {
        return give_up(wav, &e, totals, shared);
    }
    // Durability: a power cut after the session's log says "finished" must not find this
    // file empty.
    if let Err(e) = wav.file.get_ref().sync_all() {
        shared.set_write_fault(&e);
    }
    Ok(totals)
}

/// Appends `mono` to the file, up to the cap, and counts it.
fn append(
    wav: &mut PcmWav,
    mono: &[f32],
    pcm: &mut Vec<i16>,
    totals: &mut WriterTotals,
    max_frames: u64,
) -> std::io::Result<()> {
    let room = usize::try_from(max_frames.saturating_sub(totals.frames)).unwrap_or(usize::MAX);
    let mono = &mono[..mono.len().min(room)];
    pcm.clear();
    pcm.extend(mono.iter().map(|&s| f32_to_i16(s)));
    wav.write(pcm)?;
    totals.frames += mono.len() as u64;
    totals.level.add(mono);
    Ok(())
}

/// Keeps what reached the file after a failed write, and publishes the fault.
fn give_up(
    wav: PcmWav,
    e: &std::io::Error,
    mut totals: WriterTotals,
    shared: &Shared,
) -> std::io::Result<WriterTotals> {
    shared.set_write_fault(e);
    totals.frames = wav.salvage()?;
    shared
        .frames_written
        .store(totals.frames, Ordering::Relaxed);
    Ok(totals)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_take_stops_growing_at_its_cap_however_much_arrives() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("take.wav");
        let (mut producer, consumer) = rtrb::RingBuffer::new(256);
        let shared = Arc::new(Shared::default());
        let shape = StreamShape {
            channels: 1,
            sample_rate: 8000,
            max_frames: Some(1000),
            pre_roll_frames: 0,
        };
        let writer = Writer::spawn(&path, shape, consumer, Arc::clone(&shared)).unwrap();
        let mut pushed = 0;
        while pushed < 5000 {
            if producer.push(0.25).is_ok() {
                pushed += 1;
            } else {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        std::thread::sleep(Duration::from_millis(50));
        let stats = writer.finish().unwrap();
        assert_eq!(stats.frames, 1000);
        assert_eq!(stats.fault, None);
        assert_eq!(frames_on_disk(&path), Some((8000, 1000)));
        let reader = hound::WavReader::open(&path).unwrap();
        assert_eq!(reader.duration(), 1000);
    }

    #[test]
    fn an_armed_capture_hears_speech_and_begins_with_its_pre_roll() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("take.wav");
        let rate = 8000u32;
        let (mut producer, consumer) = rtrb::RingBuffer::new(rate as usize * 4);
        let shared = Arc::new(Shared::new(true));
        let shape = StreamShape {
            channels: 1,
            sample_rate: rate,
            max_frames: Some(2 * rate as u64),
            pre_roll_frames: rate as u64 / 4,
        };
        let writer = Writer::spawn(&path, shape, consumer, Arc::clone(&shared)).unwrap();
        // 1.5 s of silence, then a tone; the sample index is written into the tone's phase so
        // that the file's first sample tells where it began.
        let onset = 3 * rate as usize / 2;
        let signal: Vec<f32> = (0..3 * rate as usize)
            .map(|i| {
                if i < onset {
                    0.0
                } else {
                    0.3 * (i as f32 * 0.25).sin()
                }
            })
            .collect();
        for &x in &signal[..onset + rate as usize / 2] {
            producer.push(x).unwrap();
        }
        // The voice activity finds the onset; the controller begins the file 0.25 s before.
        let voice = loop {
            let v = shared.voice();
            if v.speaking {
                break v;
            }
            std::thread::sleep(Duration::from_millis(2));
        };
        let started = voice.started.unwrap() as usize;
        assert!(started.abs_diff(onset) <= 80, "{started} vs {onset}");
        assert_eq!(shared.frames_written.load(Ordering::Relaxed), 0);
        shared.begin(started as u64 - rate as u64 / 4);
        for &x in &signal[onset + rate as usize / 2..] {
            producer.push(x).unwrap();
        }
        while shared.captured.load(Ordering::Relaxed) < signal.len() as u64 {
            std::thread::sleep(Duration::from_millis(2));
        }
        let stats = writer.finish().unwrap();
        let first = shared.first_written().unwrap() as usize;
        assert_eq!(first, started - rate as usize / 4);
        assert_eq!(stats.frames as usize, signal.len() - first);
        let samples: Vec<i16> = hound::WavReader::open(&path)
            .unwrap()
            .into_samples()
            .map(Result::unwrap)
            .collect();
        assert_eq!(samples.len(), signal.len() - first);
        for (k, &s) in samples.iter().enumerate() {
            assert_eq!(s, f32_to_i16(signal[first + k]), "sample {k}");
        }
    }

    #[test]
    fn no_wav_can_declare_more_than_its_size_fields_hold() {
        let header = wav_header(48_000, 2 * MAX_WAV_FRAMES);
        let riff = u32::from_le_bytes(header[4..8].try_into().unwrap());
        let data = u32::from_le_bytes(header[40..44].try_into().unwrap());
        assert_eq!(u64::from(data), 2 * MAX_WAV_FRAMES);
        assert!(u64::from(riff) == u64::from(data) + 36 && riff >= u32::MAX - 1);
    }

    #[test]
    fn after_a_failed_write_the_file_keeps_whole_samples_and_a_true_header() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("take.wav");
        let mut wav = PcmWav::create(create_private_file(&path).unwrap(), 8000).unwrap();
        wav.write(&[1000; 300]).unwrap();
        wav.sync_header().unwrap();
        // Half a sample reached the disk before it filled up.
        wav.file.get_mut().write_all(&[0x12]).unwrap();
        assert_eq!(wav.salvage().unwrap(), 300);
        assert_eq!(std::fs::metadata(&path).unwrap().len(), HEADER_LEN + 600);
        let reader = hound::WavReader::open(&path).unwrap();
        assert_eq!(reader.duration(), 300);
    }

    #[test]
    fn disk_full_errors_are_told_apart() {
        let full = std::io::Error::from_raw_os_error(libc::ENOSPC);
        let quota = std::io::Error::from_raw_os_error(libc::EDQUOT);
        let other = std::io::Error::from_raw_os_error(libc::EIO);
        assert!(is_disk_full(&full) && is_disk_full(&quota) && !is_disk_full(&other));
        let shared = Shared::default();
        assert_eq!(shared.write_fault(), None);
        shared.set_write_fault(&full);
        assert_eq!(shared.write_fault(), Some(Fault::DiskFull));
        let shared = Shared::default();
        shared.set_write_fault(&other);
        assert!(matches!(shared.write_fault(), Some(Fault::Write(r)) if r.contains("os error")));
    }

    #[test]
    fn writes_whole_stream_as_mono_pcm() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("take.wav");
        let (mut producer, consumer) = rtrb::RingBuffer::new(64);
        let shared = Arc::new(Shared::default());
        let shape = StreamShape {
            channels: 2,
            sample_rate: 8000,
            max_frames: None,
            pre_roll_frames: 0,
        };
        let writer = Writer::spawn(&path, shape, consumer, Arc::clone(&shared)).unwrap();
        // 1000 stereo frames, pushed in small pieces so the buffer wraps many times.
        let mut pushed = 0;
        while pushed < 1000 {
            if producer.slots() >= 4 {
                let v = (pushed % 100) as f32 / 200.0;
                producer.push(v).unwrap();
                producer.push(-v).unwrap();
                producer.push(v).unwrap();
                producer.push(v).unwrap();
                pushed += 2;
            } else {
                std::thread::sleep(Duration::from_millis(1));
            }
        }
        while shared.frames_written.load(Ordering::Relaxed) < 1000 {
            std::thread::sleep(Duration::from_millis(1));
        }
        let stats = writer.finish().unwrap();
        assert_eq!(stats.frames, 1000);
        let reader = hound::WavReader::open(&path).unwrap();
        assert_eq!(reader.spec().channels, 1);
        assert_eq!(reader.spec().bits_per_sample, 16);
        let samples: Vec<i16> = reader.into_samples().map(Result::unwrap).collect();
        assert_eq!(samples.len(), 1000);
        // Pair k holds frames (v, -v) -> 0 and (v, v) -> v, with v = (2k mod 100) / 200.
        assert_eq!(samples[0], 0);
        assert_eq!(samples[3], f32_to_i16(2.0 / 200.0));
        assert_eq!(samples[999], f32_to_i16(98.0 / 200.0));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode, 0o600);
        }
        // Never overwrites: a second writer on the same path is refused.
        let (_p, c) = rtrb::RingBuffer::new(4);
        assert!(Writer::spawn(&path, shape, c, Arc::new(Shared::default())).is_err());
    }
}
