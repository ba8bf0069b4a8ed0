//! Where printed text goes: stdout and stderr, and what happens when they cannot take it.
//!
//! By default a write goes straight to the stream from the thread that prints, so a listing
//! piped into a pager waits for its reader as it should. A session calls [`never_wait`]
//! first: from then on one thread of its own does the writing, and text is queued for it, up
//! to [`QUEUE_BYTES`]. Text that finds the queue full is dropped and counted (and the count
//! told once the stream takes text again), so a terminal nobody reads (a pseudo-terminal left
//! behind, a suspended pager) can hold up that thread but never the session.
//!
//! Either way a write never panics and never fails: the first error on a stream (a closed
//! pipe, a full disk, a hung-up terminal) is kept, and later text for that stream is skipped.

use std::io::Write;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::OnceLock;
use std::time::{Duration, Instant};

/// One of the two streams a command prints on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    Stdout,
    Stderr,
}

/// What became of one stream.
struct Stream {
    failed: AtomicBool,
    error: OnceLock<std::io::Error>,
    /// Writes dropped because the queue was full, not yet told.
    dropped: AtomicU64,
}

impl Stream {
    const fn new() -> Stream {
        Stream {
            failed: AtomicBool::new(false),
            error: OnceLock::new(),
            dropped: AtomicU64::new(0),
        }
    }
}

static STDOUT: Stream = Stream::new();
static STDERR: Stream = Stream::new();

fn stream(target: Target) -> &'static Stream {
    match target {
        Target::Stdout => &STDOUT,
        Target::Stderr => &STDERR,
    }
}

/// The most text waiting for the writer thread; beyond it, text is dropped. A session prints
/// a few hundred bytes a second (bars included), so a reader that reads never comes near it.
pub const QUEUE_BYTES: usize = 256 * 1024;

/// How long the end of the program waits for queued text when none of it is being written.
const DRAIN_STALL: Duration = Duration::from_secs(1);

struct Queue {
    tx: mpsc::Sender<(Target, Vec<u8>)>,
    /// Bytes sent and not yet written.
    pending: AtomicUsize,
    /// Bytes written so far by the writer thread (to see it make progress).
    written: AtomicU64,
}

static QUEUE: OnceLock<Queue> = OnceLock::new();

/// From now on, text is written by a thread of its own and dropped while the streams do not
/// take it: nothing printed can hold up the caller. Calling it again does nothing.
pub fn never_wait() {
    let mut rx = None;
    QUEUE.get_or_init(|| {
        let (tx, r) = mpsc::channel();
        rx = Some(r);
        Queue {
            tx,
            pending: AtomicUsize::new(0),
            written: AtomicU64::new(0),
        }
    });
    let Some(rx) = rx else { return };
    let spawned = std::thread::Builder::new()
        .name("voicemock-output".into())
        .spawn(move || {
            let queue = QUEUE.get().expect("set before the thread starts");
            for (target, bytes) in rx {
                write_now(target, &bytes);
                queue
                    .written
                    .fetch_add(bytes.len() as u64, Ordering::Relaxed);
                if queue.pending.fetch_sub(bytes.len(), Ordering::AcqRel) == bytes.len() {
                    // Caught up: say what was lost while the stream was not read.
                    tell_dropped(Target::Stderr);
                    tell_dropped(Target::Stdout);
                }
            }
        });
    if spawned.is_err() {
        // No writer: every write is dropped and counted rather than risk blocking.
        STDERR.dropped.fetch_add(1, Ordering::Relaxed);
    }
}

fn tell_dropped(target: Target) {
    let n = stream(target).dropped.swap(0, Ordering::Relaxed);
    if n > 0 {
        let note = format!(
            "\n[voicemock: {n} write{} to this stream left out while it was not being read]\n",
            if n == 1 { "" } else { "s" }
        );
        write_now(target, note.as_bytes());
    }
}

/// Writes `text` to `target`: now, or through the queue after [`never_wait`].
pub(crate) fn write(target: Target, text: &str) {
    let s = stream(target);
    if s.failed.load(Ordering::Relaxed) {
        return;
    }
    let Some(queue) = QUEUE.get() else {
        write_now(target, text.as_bytes());
        return;
    };
    let len = text.len();
    if queue.pending.fetch_add(len, Ordering::AcqRel) + len > QUEUE_BYTES
        || queue.tx.send((target, text.as_bytes().to_vec())).is_err()
    {
        queue.pending.fetch_sub(len, Ordering::AcqRel);
        s.dropped.fetch_add(1, Ordering::Relaxed);
    }
}

fn write_now(target: Target, bytes: &[u8]) {
    let s = stream(target);
    if s.failed.load(Ordering::Relaxed) {
        return;
    }
    let result = match target {
        Target::Stdout => {
            let mut out = std::io::stdout().lock();
            out.write_all(bytes).and_then(|()| out.flush())
        }
        Target::Stderr => {
            let mut err = std::io::stderr().lock();
            err.write_all(bytes).and_then(|()| err.flush())
        }
    };
    if let Err(e) = result {
        let _ = s.error.set(e);
        s.failed.store(true, Ordering::Relaxed);
    }
}

/// Before the program ends: lets the writer thread write what is queued, for as long as it
/// keeps writing; a stream that has taken nothing for a second is given up on.
pub fn drain() {
    let Some(queue) = QUEUE.get() else { return };
    let mut seen = queue.written.load(Ordering::Relaxed);
    let mut since = Instant::now();
    while queue.pending.load(Ordering::Acquire) > 0 && since.elapsed() < DRAIN_STALL {
        std::thread::sleep(Duration::from_millis(5));
        let now = queue.written.load(Ordering::Relaxed);
        if now != seen {
            (seen, since) = (now, Instant::now());
        }
    }
}

/// The error that stopped stdout, if it failed (a closed pipe is `BrokenPipe`).
pub fn stdout_failure() -> Option<&'static std::io::Error> {
    STDOUT.error.get()
}

/// True once stdout cannot be written: a listing can stop early.
pub fn stdout_closed() -> bool {
    STDOUT.failed.load(Ordering::Relaxed)
}
