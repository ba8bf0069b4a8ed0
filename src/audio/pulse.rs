//! The one module that names libpulse: it lists the sound server's sources and sinks by the
//! names a user knows from their mixer, and watches, from the server's side, the capture
//! stream a take records from, and notices when the server moves it to another source (the
//! microphone's module unloaded, a headset unplugged, a user's choice in a mixer). Through
//! ALSA such a move is invisible: the stream just goes on, often with silence.
//!
//! The watch is best-effort and never blocks: without a reachable PulseAudio (or PipeWire's
//! pulse server) it simply ends, and every call it makes on the server is polled, never waited
//! on, so a server that dies cannot hold anything up.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::time::{Duration, Instant};

use libpulse_binding::callbacks::ListResult;
use libpulse_binding::context::{Context, FlagSet, State};
use libpulse_binding::mainloop::standard::Mainloop;

/// How often the stream's source is looked at.
const EVERY: Duration = Duration::from_millis(200);
/// How long the server has to answer one question before the watch gives up.
const ANSWER_WITHIN: Duration = Duration::from_secs(2);

/// A running watch; it stops when dropped.
pub struct SourceWatch {
    stop: Arc<AtomicBool>,
    moved: Arc<OnceLock<String>>,
}

impl SourceWatch {
    /// Starts watching this process's newest capture stream.
    pub fn start() -> Option<SourceWatch> {
        let stop = Arc::new(AtomicBool::new(false));
        let moved = Arc::new(OnceLock::new());
        let (thread_stop, thread_moved) = (Arc::clone(&stop), Arc::clone(&moved));
        std::thread::Builder::new()
            .name("voicemock-source-watch".into())
            .spawn(move || {
                let _ = watch(&thread_stop, &thread_moved);
            })
            .ok()?;
        Some(SourceWatch { stop, moved })
    }

    /// The source the stream was moved to, once it has been.
    pub fn moved_to(&self) -> Option<&str> {
        self.moved.get().map(String::as_str)
    }
}

impl Drop for SourceWatch {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// A connection to the sound server. The context goes before its main loop (fields drop in
/// order) and is disconnected first: a context freed after its main loop, or with a request
/// still pending (a server that stopped answering), crashes inside libpulse.
struct Server {
    context: Context,
    mainloop: Mainloop,
}

impl Drop for Server {
    fn drop(&mut self) {
        self.context.disconnect();
    }
}

impl Server {
    fn connect() -> Option<Server> {
        let mainloop = Mainloop::new()?;
        let mut context = Context::new(&mainloop, "voicemock")?;
        context.connect(None, FlagSet::NOAUTOSPAWN, None).ok()?;
        let mut server = Server { context, mainloop };
        let ready = Rc::new(Cell::new(false));
        server.wait_until(&ready, |s| s.context.get_state() == State::Ready)?;
        Some(server)
    }

    /// Runs the main loop until `done` (or `check`) says so; None if the server failed or
    /// took too long.
    fn wait_until(&mut self, done: &Rc<Cell<bool>>, check: impl Fn(&Server) -> bool) -> Option<()> {
        let deadline = Instant::now() + ANSWER_WITHIN;
        loop {
            self.mainloop.iterate(false);
            if done.get() || check(self) {
                return Some(());
            }
            if matches!(self.context.get_state(), State::Failed | State::Terminated)
                || Instant::now() >= deadline
            {
                return None;
            }
            std::thread::sleep(Duration::from_millis(5));
        }
    }

    /// (index, source) of this process's capture streams.
    fn our_streams(&mut self) -> Option<Vec<(u32, u32)>> {
        let pid = std::process::id().to_string();
        let found = Rc::new(RefCell::new(Vec::new()));
        let done = Rc::new(Cell::new(false));
        let (f, d) = (Rc::clone(&found), Rc::clone(&done));
        let _op = self
            .context
            .introspect()
            .get_source_output_info_list(move |item| match item {
                ListResult::Item(info) => {
                    if info.proplist.get_str("application.process.id").as_deref()
                        == Some(pid.as_str())
                    {
                        f.borrow_mut().push((info.index, info.source));
                    }
                }
                ListResult::End | ListResult::Error => d.set(true),
            });
        self.wait_until(&done, |_| false)?;
        let streams = found.borrow().clone();
        Some(streams)
    }

    fn source_name(&mut self, index: u32) -> Option<String> {
        let name = Rc::new(RefCell::new(None));
        let done = Rc::new(Cell::new(false));
        let (n, d) = (Rc::clone(&name), Rc::clone(&done));
        let _op =
            self.context
                .introspect()
                .get_source_info_by_index(index, move |item| match item {
                    ListResult::Item(info) => {
                        *n.borrow_mut() = info
                            .description
                            .as_ref()
                            .or(info.name.as_ref())
                            .map(|s| s.to_string());
                    }
                    ListResult::End | ListResult::Error => d.set(true),
                });
        self.wait_until(&done, |_| false)?;
        let name = name.borrow().clone();
        name
    }
}

/// A source or sink as the sound server names it: its name (`alsa_input.usb-…`, `mic`) and the
/// description a mixer shows ("Built-in Audio Analog Stereo", "VirtualMic").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerDevice {
    pub name: String,
    pub description: String,
    pub is_default: bool,
}

/// Whether a PulseAudio (or PipeWire-pulse) server is there but does not answer: its socket
/// takes no more connections (a stopped server's queue fills up), or it takes one and never
/// gets the connection ready within [`ANSWER_WITHIN`]. `false` with no server at all. Used to
/// tell "no devices" from "a frozen server" when a device lookup finds nothing.
pub fn server_not_answering() -> bool {
    match socket_accepts() {
        Some(false) => return true,
        None => return false,
        Some(true) => {}
    }
    let Some(mainloop) = Mainloop::new() else {
        return false;
    };
    let Some(mut context) = Context::new(&mainloop, "voicemock") else {
        return false;
    };
    if context.connect(None, FlagSet::NOAUTOSPAWN, None).is_err() {
        return false;
    }
    let mut server = Server { context, mainloop };
    let ready = Rc::new(Cell::new(false));
    let answered = server
        .wait_until(&ready, |s| s.context.get_state() == State::Ready)
        .is_some();
    let failed = matches!(
        server.context.get_state(),
        State::Failed | State::Terminated
    );
    !answered && !failed
}

/// Whether the server's socket takes a connection: `Some(false)` when its queue is full,
/// `None` when there is no socket to connect to.
fn socket_accepts() -> Option<bool> {
    use std::os::unix::ffi::OsStrExt;
    let path = match std::env::var("PULSE_SERVER") {
        Ok(s) => std::path::PathBuf::from(s.strip_prefix("unix:")?),
        Err(_) => {
            std::path::PathBuf::from(std::env::var_os("XDG_RUNTIME_DIR")?).join("pulse/native")
        }
    };
    let bytes = path.as_os_str().as_bytes();
    // SAFETY: a zeroed sockaddr_un filled with a path shorter than its buffer; the socket
    // is non-blocking (a full queue answers EAGAIN at once) and closed on every path.
    unsafe {
        let mut addr: libc::sockaddr_un = std::mem::zeroed();
        if bytes.len() >= addr.sun_path.len() {
            return None;
        }
        addr.sun_family = libc::AF_UNIX as libc::sa_family_t;
        for (d, s) in addr.sun_path.iter_mut().zip(bytes) {
            *d = *s as libc::c_char;
        }
        let fd = libc::socket(libc::AF_UNIX, libc::SOCK_STREAM | libc::SOCK_NONBLOCK, 0);
        if fd < 0 {
            return None;
        }
        let rc = libc::connect(
            fd,
            &addr as *const libc::sockaddr_un as *const libc::sockaddr,
            std::mem::size_of::<libc::sockaddr_un>() as libc::socklen_t,
        );
        let err = std::io::Error::last_os_error().raw_os_error();
        libc::close(fd);
        match (rc, err) {
            (0, _) => Some(true),
            (_, Some(libc::EAGAIN)) => Some(false),
            _ => None,
        }
    }
}

/// The sound server's sources (inputs, monitors of outputs left out) and sinks, as the user
/// knows them from their mixer; `None` without a reachable PulseAudio or PipeWire-pulse.
pub fn server_devices() -> Option<(Vec<ServerDevice>, Vec<ServerDevice>)> {
    let mut server = Server::connect()?;
    let defaults = Rc::new(RefCell::new((None::<String>, None::<String>)));
    let done = Rc::new(Cell::new(false));
    let (dd, d) = (Rc::clone(&defaults), Rc::clone(&done));
    let _op = server.context.introspect().get_server_info(move |info| {
        *dd.borrow_mut() = (
            info.default_source_name.as_ref().map(|s| s.to_string()),
            info.default_sink_name.as_ref().map(|s| s.to_string()),
        );
        d.set(true);
    });
    server.wait_until(&done, |_| false)?;
    let (default_source, default_sink) = defaults.borrow().clone();

    let sources = Rc::new(RefCell::new(Vec::new()));
    let done = Rc::new(Cell::new(false));
    let (found, d) = (Rc::clone(&sources), Rc::clone(&done));
    let _op = server
        .context
        .introspect()
        .get_source_info_list(move |item| match item {
            ListResult::Item(info) => {
                // A monitor records what a sink plays: not a microphone.
                if info.monitor_of_sink.is_none() {
                    let name = info.name.as_deref().unwrap_or_default().to_string();
                    found.borrow_mut().push(ServerDevice {
                        is_default: default_source.as_deref() == Some(name.as_str()),
                        description: info.description.as_deref().unwrap_or_default().to_string(),
                        name,
                    });
                }
            }
            ListResult::End | ListResult::Error => d.set(true),
        });
    server.wait_until(&done, |_| false)?;

    let sinks = Rc::new(RefCell::new(Vec::new()));
    let done = Rc::new(Cell::new(false));
    let (found, d) = (Rc::clone(&sinks), Rc::clone(&done));
    let _op = server
        .context
        .introspect()
        .get_sink_info_list(move |item| match item {
            ListResult::Item(info) => {
                let name = info.name.as_deref().unwrap_or_default().to_string();
                found.borrow_mut().push(ServerDevice {
                    is_default: default_sink.as_deref() == Some(name.as_str()),
                    description: info.description.as_deref().unwrap_or_default().to_string(),
                    name,
                });
            }
            ListResult::End | ListResult::Error => d.set(true),
        });
    server.wait_until(&done, |_| false)?;
    let sources = sources.borrow().clone();
    let sinks = sinks.borrow().clone();
    Some((sources, sinks))
}

/// The server's device `wanted` names: by exact name, else by part of its name or description
/// (case-insensitive).
pub fn find_server_device<'a>(
    devices: &'a [ServerDevice],
    wanted: &str,
) -> Option<&'a ServerDevice> {
    let needle = wanted.to_lowercase();
    devices.iter().find(|d| d.name == wanted).or_else(|| {
        devices.iter().find(|d| {
            d.name.to_lowercase().contains(&needle)
                || d.description.to_lowercase().contains(&needle)
        })
    })
}

fn watch(stop: &AtomicBool, moved: &OnceLock<String>) -> Option<()> {
    let mut server = Server::connect()?;
    // The take's stream is the newest of this process's (an earlier take's may still be
    // closing); it is followed by its index from then on.
    let mut followed: Option<(u32, u32)> = None;
    while !stop.load(Ordering::Relaxed) {
        let streams = server.our_streams()?;
        match followed {
            None => followed = streams.iter().max().copied(),
            Some((index, source)) => match streams.iter().find(|(i, _)| *i == index) {
                None => break,
                Some(&(_, now)) if now != source => {
                    let name = server
                        .source_name(now)
                        .unwrap_or_else(|| format!("source #{now}"));
                    let _ = moved.set(name);
                    break;
                }
                Some(_) => {}
            },
        }
        std::thread::sleep(EVERY);
    }
    Some(())
}
