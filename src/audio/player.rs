//! Streaming WAV playback: the one module that names rodio and the resampler (rubato).
//!
//! A decoder thread reads the file in blocks (`wav_reader`), maps its channels to the
//! device's, resamples with rubato's FFT resampler when the device cannot take the file's
//! rate, and pushes whole frames into a lock-free ring buffer (`rtrb`). rodio owns the output
//! stream (device format, sample conversion); the only source it plays is [`RingSource`],
//! which pops frames from the ring and reads atomics: the output callback never locks,
//! allocates, blocks or reads the disk. Memory stays constant whatever the file's length.
//!
//! Pause, seek and stop are flags and counters shared through atomics:
//! - pause: the callback plays silence and consumes nothing;
//! - seek: the controller bumps `seek_seq`; the callback plays silence and drains the ring
//!   until the decoder, having moved the file and reset the resampler, says the ring holds
//!   only audio from the new place (`ready_seq`);
//! - stop: dropping the [`Playback`] closes the stream first, on a thread of its own waited
//!   for only briefly (so the source is never dropped in the callback, and a dead sound server
//!   cannot hold the program), then ends the decoder thread.

use std::num::{NonZeroU16, NonZeroU32};
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use rubato::audioadapter_buffers::direct::InterleavedSlice;
use rubato::{Fft, FixedSync, Indexing, Resampler};

use super::device::{DeviceError, OutputDevice};
use super::wav_reader::WavReader;
use super::{Playback, Player};

/// Frames the decoder reads and resamples at a time.
const CHUNK_FRAMES: usize = 1024;
/// How much decoded audio the ring buffer holds ahead of the device.
const RING_S: f64 = 0.5;
/// After the last sample leaves the ring, this much silence is played before playback counts
/// as finished, so the device's own buffer has emptied into the speaker.
const TAIL_S: f64 = 0.25;
/// Playback that is neither paused nor finished and has not advanced for this long has lost
/// its device.
const STALL: Duration = Duration::from_secs(3);
/// Stream errors that, with nothing played for [`STORM_WAIT`], mean the device is gone.
const STORM_ERRORS: u64 = 1000;
const STORM_WAIT: Duration = Duration::from_millis(500);

/// Plays WAV files on one output device, opened once by name.
pub struct DevicePlayer {
    device: OutputDevice,
    /// A rate to open the device at instead of the file's (tests: makes voicemock's own
    /// resampler do the work on a device that would take any rate).
    output_rate: Option<u32>,
}

impl DevicePlayer {
    /// Finds the named output (or the default one).
    pub fn open(wanted: Option<&str>) -> Result<Self, DeviceError> {
        Ok(DevicePlayer {
            device: OutputDevice::open(wanted)?,
            output_rate: None,
        })
    }

    /// Asks for the device at `rate` whatever the file's rate (if the device offers it).
    pub fn with_output_rate(mut self, rate: Option<u32>) -> Self {
        self.output_rate = rate;
        self
    }

    pub fn name(&self) -> &str {
        &self.device.name
    }
}

impl Player for DevicePlayer {
    /// Opens on a thread of its own, waiting at most [`super::OPEN_WAIT`]: a sound server that
    /// stopped answering never holds up the caller (a session's timers, a cue).
    fn open(&mut self, path: &Path, from_s: f64) -> Result<Box<dyn Playback>, DeviceError> {
        let player = DevicePlayer {
            device: self.device.clone(),
            output_rate: self.output_rate,
        };
        let path = path.to_path_buf();
        match super::open_detached(super::OPEN_WAIT, move || player.open_here(&path, from_s)) {
            Some(opened) => opened.map(|p| Box::new(p) as Box<dyn Playback>),
            None => Err(self.device.unusable(format!(
                "it did not open within {} s; is the sound server still running? `voicemock \
                 devices` lists the outputs",
                super::OPEN_WAIT.as_secs()
            ))),
        }
    }
}

impl DevicePlayer {
    fn open_here(&self, path: &Path, from_s: f64) -> Result<DevicePlayback, DeviceError> {
        let mut reader = WavReader::open(path)?;
        reader.check_playable()?;
        let spec = reader.spec();
        let wanted_rate = self.output_rate.unwrap_or(spec.sample_rate);
        let config = self.device.config_for(wanted_rate, spec.channels)?;
        let out_rate = config.sample_rate();
        let out_channels = config.channels();
        let (Some(rate_nz), Some(channels_nz)) =
            (NonZeroU32::new(out_rate), NonZeroU16::new(out_channels))
        else {
            return Err(self
                .device
                .unusable("the device offers no channels or rate".into()));
        };
        let total_frames = reader.frames();
        let from_frame = seconds_to_frames(from_s, spec.sample_rate).min(total_frames);
        reader.seek_frame(from_frame)?;

        let out_ch = usize::from(out_channels);
        let ring_frames = ((RING_S * f64::from(out_rate)) as usize).max(4 * CHUNK_FRAMES);
        let (producer, consumer) = rtrb::RingBuffer::new(ring_frames * out_ch);
        let shared = Arc::new(Shared::new(from_frame));
        let mut decoder = Decoder::new(reader, out_rate, out_ch, producer, Arc::clone(&shared))
            .map_err(|e| self.device.unusable(e))?;

        // Fill the ring before the stream starts, so the first callback has sound to play.
        decoder.prefill().map_err(|e| self.device.unusable(e))?;

        let source = RingSource {
            consumer,
            shared: Arc::clone(&shared),
            channels: channels_nz,
            rate: rate_nz,
            channel_pos: 0,
            frame_live: false,
            seen_seq: 0,
            tail_frames: (TAIL_S * f64::from(out_rate)) as u64,
            tail_left: u64::MAX,
        };
        // Short periods for a quick first sound; the device's own choice if it refuses them.
        let open = |fixed: bool| {
            let errors = Arc::clone(&shared);
            let builder = rodio::DeviceSinkBuilder::from_device(self.device.device.clone())?
                .with_supported_config(&config);
            let builder = if fixed {
                builder.with_buffer_size(super::device::buffer_frames(out_rate))
            } else {
                builder
            };
            builder
                .with_error_callback(move |_err| {
                    errors.stream_errors.fetch_add(1, Ordering::Relaxed);
                })
                .open_stream()
        };
        let mut sink = open(true)
            .or_else(|_| open(false))
            .map_err(|e| self.device.unusable(error_chain(&e)))?;
        sink.log_on_drop(false);
        sink.mixer().add(source);

        let thread = std::thread::Builder::new()
            .name("voicemock-player".into())
            .spawn(move || decoder.run())
            .map_err(|e| {
                self.device
                    .unusable(format!("cannot start the decoder: {e}"))
            })?;
        Ok(DevicePlayback {
            sink: Some(sink),
            thread: Some(thread),
            shared,
            file_rate: spec.sample_rate,
            out_rate,
            total_frames,
            progress: std::cell::Cell::new((u64::MAX, Instant::now())),
        })
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut s = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        s.push_str(": ");
        s.push_str(&c.to_string());
        cause = c.source();
    }
    s
}

fn seconds_to_frames(s: f64, rate: u32) -> u64 {
    if s.is_finite() && s > 0.0 {
        (s * f64::from(rate)).round() as u64
    } else {
        0
    }
}

/// What the controller, the decoder thread and the output callback share: atomics only
/// (the decoder's error message is behind a mutex the callback never touches).
struct Shared {
    paused: AtomicBool,
    stop: AtomicBool,
    /// Bumped by each seek; `seek_target` is the file frame to go to.
    seek_seq: AtomicU64,
    seek_target: AtomicU64,
    /// The last seek the callback has drained the ring for.
    drained_seq: AtomicU64,
    /// The last seek the decoder has carried out: from then on the ring holds audio from
    /// `base_frame` (a file frame) onwards.
    ready_seq: AtomicU64,
    base_frame: AtomicU64,
    /// Output frames played since `base_frame`.
    played: AtomicU64,
    /// The decoder has pushed the file's last frame (for the seek `ready_seq`).
    end_pushed: AtomicBool,
    /// The ring ran dry after the end and the tail of silence has played.
    finished: AtomicBool,
    stream_errors: AtomicU64,
    failure: Mutex<Option<String>>,
}

impl Shared {
    fn new(base_frame: u64) -> Shared {
        Shared {
            paused: AtomicBool::new(false),
            stop: AtomicBool::new(false),
            seek_seq: AtomicU64::new(0),
            seek_target: AtomicU64::new(0),
            drained_seq: AtomicU64::new(0),
            ready_seq: AtomicU64::new(0),
            base_frame: AtomicU64::new(base_frame),
            played: AtomicU64::new(0),
            end_pushed: AtomicBool::new(false),
            finished: AtomicBool::new(false),
            stream_errors: AtomicU64::new(0),
            failure: Mutex::new(None),
        }
    }
}

/// The only source rodio plays: whole frames from the ring, or silence. It never ends by
/// itself (returning `None` would make the mixer drop it, and free it, inside the callback);
/// the stream is closed around it instead.
struct RingSource {
    consumer: rtrb::Consumer<f32>,
    shared: Arc<Shared>,
    channels: NonZeroU16,
    rate: NonZeroU32,
    /// Position inside the current output frame.
    channel_pos: u16,
    /// The current frame comes from the ring (else it is silence).
    frame_live: bool,
    seen_seq: u64,
    tail_frames: u64,
    /// Silent frames still to play after the end before `finished`; `u64::MAX` before the end.
    tail_left: u64,
}

impl RingSource {
    /// Decides, at a frame boundary, whether the next frame is sound or silence.
    fn start_frame(&mut self) {
        let s = &*self.shared;
        let channels = usize::from(self.channels.get());
        let seq = s.seek_seq.load(Ordering::Acquire);
        if s.ready_seq.load(Ordering::Acquire) != seq {
            // A seek is under way: throw away what the ring holds from the old place.
            let n = self.consumer.slots();
            if let Ok(chunk) = self.consumer.read_chunk(n) {
                chunk.commit_all();
            }
            s.drained_seq.store(seq, Ordering::Release);
            self.frame_live = false;
            return;
        }
        if seq != self.seen_seq {
            self.seen_seq = seq;
            self.tail_left = u64::MAX;
        }
        if s.paused.load(Ordering::Relaxed) {
            self.frame_live = false;
            return;
        }
        if self.consumer.slots() >= channels {
            self.frame_live = true;
            s.played.fetch_add(1, Ordering::Relaxed);
            return;
        }
        self.frame_live = false;
        if s.end_pushed.load(Ordering::Acquire) {
            if self.tail_left == u64::MAX {
                self.tail_left = self.tail_frames;
            }
            if self.tail_left == 0 {
                s.finished.store(true, Ordering::Release);
            } else {
                self.tail_left -= 1;
            }
        }
    }
}

impl Iterator for RingSource {
    type Item = f32;

    fn next(&mut self) -> Option<f32> {
        if self.channel_pos == 0 {
            self.start_frame();
        }
        self.channel_pos += 1;
        if self.channel_pos == self.channels.get() {
            self.channel_pos = 0;
        }
        if self.frame_live {
            Some(self.consumer.pop().unwrap_or(0.0))
        } else {
            Some(0.0)
        }
    }
}

impl rodio::Source for RingSource {
    fn current_span_len(&self) -> Option<usize> {
        None
    }

    fn channels(&self) -> NonZeroU16 {
        self.channels
    }

    fn sample_rate(&self) -> NonZeroU32 {
        self.rate
    }

    fn total_duration(&self) -> Option<Duration> {
        None
    }
}

/// The decoder thread's state: file → device channels → resampler → ring.
struct Decoder {
    reader: WavReader,
    file_channels: usize,
    out_channels: usize,
    resampler: Option<Fft<f32>>,
    producer: rtrb::Producer<f32>,
    shared: Arc<Shared>,
    /// Interleaved file frames, then the same in device channels, then resampled.
    raw: Vec<f32>,
    mapped: Vec<f32>,
    resampled: Vec<f32>,
    /// Samples of `pending` already pushed.
    pending: Vec<f32>,
    pushed: usize,
    /// Resampled frames still to throw away: the resampler's delay after a start or seek.
    skip_out: usize,
    /// The file is read to its end.
    at_end: bool,
    /// Since the start or the last seek: file frames fed to the resampler, and frames it
    /// produced (counting those thrown away for its delay).
    fed_in: u64,
    produced_total: u64,
    handled_seq: u64,
}

impl Decoder {
    fn new(
        reader: WavReader,
        out_rate: u32,
        out_channels: usize,
        producer: rtrb::Producer<f32>,
        shared: Arc<Shared>,
    ) -> Result<Decoder, String> {
        let spec = reader.spec();
        let resampler = if spec.sample_rate == out_rate {
            None
        } else {
            Some(
                Fft::<f32>::new(
                    spec.sample_rate as usize,
                    out_rate as usize,
                    CHUNK_FRAMES,
                    out_channels,
                    FixedSync::Input,
                )
                .map_err(|e| {
                    format!(
                        "cannot resample {} Hz to {out_rate} Hz: {e}",
                        spec.sample_rate
                    )
                })?,
            )
        };
        let skip_out = resampler.as_ref().map_or(0, |r| r.output_delay());
        let max_out = resampler
            .as_ref()
            .map_or(CHUNK_FRAMES, |r| r.output_frames_max());
        Ok(Decoder {
            file_channels: usize::from(spec.channels),
            reader,
            out_channels,
            resampler,
            producer,
            shared,
            raw: Vec::with_capacity(CHUNK_FRAMES * usize::from(spec.channels)),
            mapped: Vec::with_capacity(CHUNK_FRAMES * out_channels),
            resampled: vec![0.0; max_out * out_channels],
            pending: Vec::with_capacity(max_out * out_channels),
            pushed: 0,
            skip_out,
            at_end: false,
            fed_in: 0,
            produced_total: 0,
            handled_seq: 0,
        })
    }

    /// Fills the ring as far as it goes before the stream starts.
    fn prefill(&mut self) -> Result<(), String> {
        while !self.shared.end_pushed.load(Ordering::Relaxed) {
            if !self.push_pending() {
                return Ok(());
            }
            self.decode_next()?;
        }
        Ok(())
    }

    fn run(mut self) {
        while !self.shared.stop.load(Ordering::Relaxed) {
            let seq = self.shared.seek_seq.load(Ordering::Acquire);
            if seq != self.handled_seq {
                if let Err(e) = self.seek(seq) {
                    self.fail(e);
                }
                continue;
            }
            if self.shared.end_pushed.load(Ordering::Relaxed) {
                std::thread::sleep(Duration::from_millis(5));
                continue;
            }
            if !self.push_pending() {
                std::thread::sleep(Duration::from_millis(5));
                continue;
            }
            if let Err(e) = self.decode_next() {
                self.fail(e);
            }
        }
    }

    fn fail(&mut self, message: String) {
        if let Ok(mut f) = self.shared.failure.lock() {
            f.get_or_insert(message);
        }
        self.pending.clear();
        self.pushed = 0;
        self.shared.end_pushed.store(true, Ordering::Release);
    }

    /// Moves to the frame the controller asked for, once the callback has emptied the ring.
    fn seek(&mut self, seq: u64) -> Result<(), String> {
        let target = self
            .shared
            .seek_target
            .load(Ordering::Acquire)
            .min(self.reader.frames());
        while self.shared.drained_seq.load(Ordering::Acquire) != seq {
            if self.shared.stop.load(Ordering::Relaxed)
                || self.shared.seek_seq.load(Ordering::Acquire) != seq
            {
                return Ok(()); // a newer seek (or stop) takes over
            }
            std::thread::sleep(Duration::from_millis(1));
        }
        self.reader.seek_frame(target).map_err(|e| e.to_string())?;
        if let Some(r) = self.resampler.as_mut() {
            r.reset();
            self.skip_out = r.output_delay();
        }
        self.pending.clear();
        self.pushed = 0;
        self.at_end = false;
        self.fed_in = 0;
        self.produced_total = 0;
        self.shared.played.store(0, Ordering::Relaxed);
        self.shared.base_frame.store(target, Ordering::Relaxed);
        self.shared.end_pushed.store(false, Ordering::Relaxed);
        self.shared.finished.store(false, Ordering::Relaxed);
        self.handled_seq = seq;
        self.shared.ready_seq.store(seq, Ordering::Release);
        Ok(())
    }

    /// Pushes what is pending; true once all of it is in the ring.
    fn push_pending(&mut self) -> bool {
        let left = self.pending.len() - self.pushed;
        if left == 0 {
            return true;
        }
        let room = self.producer.slots();
        let n = left.min(room - room % self.out_channels);
        if n > 0 {
            if let Ok(chunk) = self.producer.write_chunk_uninit(n) {
                chunk.fill_from_iter(self.pending[self.pushed..self.pushed + n].iter().copied());
                self.pushed += n;
            }
        }
        self.pushed == self.pending.len()
    }

    /// Decodes the next chunk into `pending`, or marks the end.
    fn decode_next(&mut self) -> Result<(), String> {
        self.pending.clear();
        self.pushed = 0;
        let ch = self.out_channels;
        let wanted = self
            .resampler
            .as_ref()
            .map_or(CHUNK_FRAMES, |r| r.input_frames_next());
        // Whole chunks only: a short read (a file of very many channels) is topped up, so
        // the resampler never pads the middle of the file with silence.
        while !self.at_end && self.mapped.len() < wanted * ch {
            let room = wanted - self.mapped.len() / ch;
            self.reader
                .read_interleaved(&mut self.raw, room)
                .map_err(|e| e.to_string())?;
            if self.raw.is_empty() {
                self.at_end = true;
            } else {
                map_channels(&self.raw, self.file_channels, ch, &mut self.mapped);
            }
        }
        let Some(resampler) = self.resampler.as_mut() else {
            if self.mapped.is_empty() {
                self.shared.end_pushed.store(true, Ordering::Release);
            } else {
                std::mem::swap(&mut self.pending, &mut self.mapped);
                self.mapped.clear();
            }
            return Ok(());
        };
        let frames_in = self.mapped.len() / ch;
        // Everything owed for the input fed so far: its length at the new rate, plus the
        // resampler's delay (thrown away at the start, so flushed out at the end).
        let owed = (self.fed_in + frames_in as u64) as f64 * resampler.resample_ratio();
        let owed = owed.round() as u64 + resampler.output_delay() as u64;
        if self.at_end && self.produced_total >= owed {
            self.shared.end_pushed.store(true, Ordering::Release);
            return Ok(());
        }
        self.mapped.resize(wanted * ch, 0.0);
        let input =
            InterleavedSlice::new(&self.mapped[..], ch, wanted).map_err(|e| e.to_string())?;
        let out_frames = self.resampled.len() / ch;
        let mut output = InterleavedSlice::new_mut(&mut self.resampled[..], ch, out_frames)
            .map_err(|e| e.to_string())?;
        let indexing = Indexing::new().partial_len(frames_in);
        let (_, mut produced) = resampler
            .process_into_buffer(&input, &mut output, Some(&indexing))
            .map_err(|e| format!("resampling failed: {e}"))?;
        self.fed_in += frames_in as u64;
        if self.at_end {
            produced = produced.min(owed.saturating_sub(self.produced_total) as usize);
        }
        self.produced_total += produced as u64;
        let skip = self.skip_out.min(produced);
        self.skip_out -= skip;
        self.pending
            .extend_from_slice(&self.resampled[skip * ch..produced * ch]);
        self.mapped.clear();
        Ok(())
    }
}

/// Interleaved frames of `from` channels to `to` channels: the same count is copied; to
/// one channel is the average; otherwise the average is sent to every output channel.
fn map_channels(input: &[f32], from: usize, to: usize, out: &mut Vec<f32>) {
    out.clear();
    if from == to {
        out.extend_from_slice(input);
        return;
    }
    let scale = 1.0 / from as f32;
    for frame in input.chunks_exact(from) {
        let mono = frame.iter().sum::<f32>() * scale;
        out.extend(std::iter::repeat_n(mono, to));
    }
}

/// A file playing on the device.
struct DevicePlayback {
    sink: Option<rodio::MixerDeviceSink>,
    thread: Option<JoinHandle<()>>,
    shared: Arc<Shared>,
    file_rate: u32,
    out_rate: u32,
    total_frames: u64,
    /// Position last seen to change, and when, to notice a stalled device.
    progress: std::cell::Cell<(u64, Instant)>,
}

impl Playback for DevicePlayback {
    fn position_s(&self) -> f64 {
        let s = &*self.shared;
        let seq = s.seek_seq.load(Ordering::Acquire);
        let frames = if s.ready_seq.load(Ordering::Acquire) != seq {
            s.seek_target.load(Ordering::Relaxed) as f64
        } else {
            let played = s.played.load(Ordering::Relaxed) as f64;
            s.base_frame.load(Ordering::Relaxed) as f64
                + played * f64::from(self.file_rate) / f64::from(self.out_rate)
        };
        (frames.min(self.total_frames as f64)) / f64::from(self.file_rate)
    }

    fn duration_s(&self) -> f64 {
        self.total_frames as f64 / f64::from(self.file_rate)
    }

    fn pause(&mut self) {
        self.shared.paused.store(true, Ordering::Relaxed);
    }

    fn resume(&mut self) {
        self.shared.paused.store(false, Ordering::Relaxed);
    }

    fn is_paused(&self) -> bool {
        self.shared.paused.load(Ordering::Relaxed)
    }

    fn seek_to(&mut self, s: f64) {
        let target = seconds_to_frames(s, self.file_rate).min(self.total_frames);
        self.shared.seek_target.store(target, Ordering::Release);
        self.shared.seek_seq.fetch_add(1, Ordering::AcqRel);
    }

    fn is_finished(&self) -> bool {
        let s = &*self.shared;
        s.ready_seq.load(Ordering::Acquire) == s.seek_seq.load(Ordering::Acquire)
            && s.finished.load(Ordering::Acquire)
    }

    fn failure(&self) -> Option<String> {
        if let Some(f) = self.shared.failure.lock().ok().and_then(|f| f.clone()) {
            return Some(f);
        }
        if self.is_paused() || self.is_finished() {
            self.progress.set((u64::MAX, Instant::now()));
            return None;
        }
        let played = self.shared.played.load(Ordering::Relaxed);
        let (seen, since) = self.progress.get();
        if played != seen {
            self.progress.set((played, Instant::now()));
            return None;
        }
        // A stream on a dead server can fail millions of times a second: once it has failed
        // that often with nothing played, it is over, without waiting out the stall.
        let errors = self.shared.stream_errors.load(Ordering::Relaxed);
        let storm = errors >= STORM_ERRORS && since.elapsed() >= STORM_WAIT;
        (storm || since.elapsed() >= STALL).then(|| {
            format!(
                "the output device stopped playing ({}); is the sound server still running? \
                 `voicemock devices` lists the outputs",
                stream_errors_said(errors)
            )
        })
    }
}

/// The stream errors of a playback, in words: a count up to [`STORM_ERRORS`], beyond it no
/// more than that (the count is how fast a driver spins, not anything to read).
fn stream_errors_said(errors: u64) -> String {
    match errors {
        0 => "no stream error".into(),
        1 => "1 stream error".into(),
        n if n < STORM_ERRORS => format!("{n} stream errors"),
        _ => format!("its stream failed over {STORM_ERRORS} times"),
    }
}

/// How long dropping a playback waits for its stream to close: a healthy one closes in
/// milliseconds; one on a dead or hung sound server may never.
const CLOSE_WAIT: Duration = Duration::from_millis(500);

impl Drop for DevicePlayback {
    fn drop(&mut self) {
        // The stream first, on a thread of its own that is waited for only briefly: the source
        // is dropped with it there, never inside the callback, and a stream whose close hangs
        // in the driver cannot hold the program. A stalled device is not waited for at all.
        if let Some(sink) = self.sink.take() {
            let stalled = self.failure().is_some();
            super::close_detached(sink, if stalled { Duration::ZERO } else { CLOSE_WAIT });
        }
        // The decoder only reads the file and the ring; it stops at once.
        self.shared.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stream_errors_are_said_as_a_count_or_as_a_storm() {
        for (errors, said) in [
            (0, "no stream error"),
            (1, "1 stream error"),
            (999, "999 stream errors"),
            (1000, "its stream failed over 1000 times"),
            (3_400_000, "its stream failed over 1000 times"),
        ] {
            assert_eq!(stream_errors_said(errors), said);
        }
    }

    #[test]
    fn channels_are_copied_averaged_or_spread() {
        let mut out = Vec::new();
        map_channels(&[0.1, 0.3, 0.5, 0.7], 2, 2, &mut out);
        assert_eq!(out, [0.1, 0.3, 0.5, 0.7]);
        map_channels(&[0.1, 0.3, 0.5, 0.7], 2, 1, &mut out);
        assert_eq!(out.len(), 2);
        assert!((out[0] - 0.2).abs() < 1e-6 && (out[1] - 0.6).abs() < 1e-6);
        map_channels(&[0.25, -0.5], 1, 2, &mut out);
        assert_eq!(out, [0.25, 0.25, -0.5, -0.5]);
    }

    fn scratch_wav(
        dir: &Path,
        name: &str,
        rate: u32,
        samples: impl Iterator<Item = f32>,
    ) -> std::path::PathBuf {
        let path = dir.join(name);
        let spec = hound::WavSpec {
            channels: 1,
            sample_rate: rate,
            bits_per_sample: 32,
            sample_format: hound::SampleFormat::Float,
        };
        let mut w = hound::WavWriter::create(&path, spec).unwrap();
        for s in samples {
            w.write_sample(s).unwrap();
        }
        w.finalize().unwrap();
        path
    }

    /// Everything the decoder would push for `path` at `out_rate`, mono.
    fn decode_all(path: &Path, out_rate: u32) -> Vec<f32> {
        let reader = WavReader::open(path).unwrap();
        let (producer, _consumer) = rtrb::RingBuffer::new(16);
        let shared = Arc::new(Shared::new(0));
        let mut d = Decoder::new(reader, out_rate, 1, producer, Arc::clone(&shared)).unwrap();
        let mut out = Vec::new();
        while !shared.end_pushed.load(Ordering::Relaxed) {
            d.decode_next().unwrap();
            out.extend_from_slice(&d.pending);
        }
        out
    }

    fn sine(rate: u32, hz: f64, amplitude: f64) -> impl Fn(usize) -> f64 {
        move |i| amplitude * (2.0 * std::f64::consts::PI * hz * i as f64 / f64::from(rate)).sin()
    }

    fn rms_db(x: &[f64]) -> f64 {
        20.0 * ((x.iter().map(|v| v * v).sum::<f64>() / x.len() as f64).sqrt()).log10()
    }

    #[test]
    fn resampling_keeps_length_timing_and_the_signal() {
        let n = 22_050 * 2;
        let tone = sine(22_050, 1_000.0, 0.5);
        let dir = tempfile::tempdir().unwrap();
        let path = scratch_wav(dir.path(), "up.wav", 22_050, (0..n).map(|i| tone(i) as f32));
        let out = decode_all(&path, 48_000);
        assert_eq!(out.len(), 96_000, "2 s in, 2 s out");
        // Sample for sample (no delay: it is thrown away), the same tone at the new rate.
        let want = sine(48_000, 1_000.0, 0.5);
        let error: Vec<f64> = (4_800..91_200)
            .map(|i| f64::from(out[i]) - want(i))
            .collect();
        let err_db = rms_db(&error);
        eprintln!("22.05 → 48 kHz, 1 kHz tone at -6 dBFS: error {err_db:.1} dBFS");
        assert!(err_db < -60.0, "error at {err_db:.1} dBFS");
    }

    #[test]
    fn downsampling_filters_out_what_the_new_rate_cannot_hold() {
        // 15 kHz cannot exist at 22.05 kHz: a filtered resampler removes it; decimation or
        // unfiltered interpolation would fold it down to 7.05 kHz at nearly full level.
        let n = 48_000;
        let tone = sine(48_000, 15_000.0, 0.5);
        let dir = tempfile::tempdir().unwrap();
        let path = scratch_wav(
            dir.path(),
            "down.wav",
            48_000,
            (0..n).map(|i| tone(i) as f32),
        );
        let out = decode_all(&path, 22_050);
        assert_eq!(out.len(), 22_050);
        let middle: Vec<f64> = out[2_000..20_000].iter().map(|&v| f64::from(v)).collect();
        let level = rms_db(&middle);
        eprintln!("48 → 22.05 kHz, 15 kHz tone at -9 dBFS: {level:.1} dBFS left");
        assert!(
            level < -70.0,
            "an out-of-band tone came through at {level:.1} dBFS"
        );
    }
}
