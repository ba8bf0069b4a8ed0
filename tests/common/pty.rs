//! A pseudo-terminal for the tests that need a terminal (keys mode, hang-ups, a terminal
//! nobody reads, the width lines are fitted to).

use std::process::Stdio;
use std::time::Duration;

/// A pseudo-terminal for tests that need a terminal: both descriptors, closed on drop.
pub struct Pty {
    pub master: i32,
    pub slave: i32,
}

impl Pty {
    /// A terminal that reports no size.
    pub fn open() -> Pty {
        Pty::open_with(None)
    }

    /// A terminal of `columns` by `rows`.
    pub fn sized(columns: u16, rows: u16) -> Pty {
        Pty::open_with(Some(libc::winsize {
            ws_row: rows,
            ws_col: columns,
            ws_xpixel: 0,
            ws_ypixel: 0,
        }))
    }

    fn open_with(size: Option<libc::winsize>) -> Pty {
        let (mut master, mut slave) = (-1, -1);
        let size = size
            .as_ref()
            .map_or(std::ptr::null(), |s| s as *const libc::winsize);
        // SAFETY: openpty fills two descriptors this test owns; `size` is null or points at a
        // winsize that outlives the call.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                std::ptr::null(),
                size,
            )
        };
        assert_eq!(rc, 0, "openpty");
        Pty { master, slave }
    }

    /// Everything written to the terminal so far (as its reader sees it), waiting at most
    /// `wait` for more once nothing is left to read.
    pub fn read_all(&self, wait: Duration) -> Vec<u8> {
        let mut out = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let mut poll = libc::pollfd {
                fd: self.master,
                events: libc::POLLIN,
                revents: 0,
            };
            // SAFETY: one pollfd on the master descriptor this value owns.
            let ready = unsafe { libc::poll(&mut poll, 1, wait.as_millis() as i32) };
            if ready <= 0 {
                return out;
            }
            // SAFETY: reads into a buffer of its own length.
            let n = unsafe { libc::read(self.master, buf.as_mut_ptr().cast(), buf.len()) };
            if n <= 0 {
                return out;
            }
            out.extend_from_slice(&buf[..n as usize]);
        }
    }

    pub fn settings(&self) -> libc::termios {
        // SAFETY: tcgetattr into a zeroed termios, on the pty's own descriptor.
        unsafe {
            let mut t: libc::termios = std::mem::zeroed();
            assert_eq!(libc::tcgetattr(self.slave, &mut t), 0, "tcgetattr");
            t
        }
    }

    /// Fills the terminal's output buffer as a program that writes and is never read would,
    /// through a descriptor of the test's own (non-blocking, so the test does not block):
    /// from then on a write to the terminal blocks until someone reads it. Returns the bytes
    /// it took.
    pub fn fill_output(&self) -> usize {
        use std::os::fd::FromRawFd;
        // SAFETY: the slave's name into a buffer of the given size, then a new descriptor of
        // its own (its own open file, so its O_NONBLOCK is not the child's).
        let fd = unsafe {
            let mut name = [0 as libc::c_char; 128];
            assert_eq!(
                libc::ttyname_r(self.slave, name.as_mut_ptr(), name.len()),
                0
            );
            libc::open(
                name.as_ptr(),
                libc::O_WRONLY | libc::O_NONBLOCK | libc::O_NOCTTY,
            )
        };
        assert!(fd >= 0, "opening the pseudo-terminal again");
        // SAFETY: a descriptor just opened, owned by the file.
        let mut file = unsafe { std::fs::File::from_raw_fd(fd) };
        let chunk = [b'.'; 1024];
        let mut total = 0;
        loop {
            match std::io::Write::write(&mut file, &chunk) {
                Ok(n) => total += n,
                Err(e) if e.kind() == std::io::ErrorKind::WouldBlock => return total,
                Err(e) => panic!("filling the terminal: {e}"),
            }
        }
    }

    /// A descriptor of the terminal for a child's stdin, stdout or stderr.
    pub fn stdio(&self) -> Stdio {
        use std::os::fd::FromRawFd;
        // SAFETY: a fresh duplicate, owned by the returned Stdio.
        unsafe { Stdio::from(std::fs::File::from_raw_fd(libc::dup(self.slave))) }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        // SAFETY: closing the descriptors openpty gave.
        unsafe {
            libc::close(self.slave);
            libc::close(self.master);
        }
    }
}

/// Runs `cmd` with its stdout on a terminal `columns` wide (stderr piped, stdin empty) for at
/// most `limit`; its exit status, what the terminal showed (carriage returns left out) and
/// its stderr.
pub fn on_terminal(
    cmd: &mut std::process::Command,
    columns: u16,
    limit: Duration,
) -> (std::process::ExitStatus, String, String) {
    let pty = Pty::sized(columns, 24);
    let mut child = cmd
        .stdin(Stdio::null())
        .stdout(pty.stdio())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut shown = Vec::new();
    let deadline = std::time::Instant::now() + limit;
    while child.try_wait().unwrap().is_none() && std::time::Instant::now() < deadline {
        shown.extend(pty.read_all(Duration::from_millis(200)));
    }
    if child.try_wait().unwrap().is_none() {
        let _ = child.kill();
    }
    let status = child.wait().unwrap();
    shown.extend(pty.read_all(Duration::from_millis(200)));
    let mut stderr = String::new();
    std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut stderr).unwrap();
    let shown = String::from_utf8_lossy(&shown).replace('\r', "");
    (status, shown, stderr)
}

/// Asserts that every line of `shown` fits `columns` (only a word longer than the line, such
/// as a long path, may run past it, on a line alone) and that every word of each of `texts`
/// is in `shown` whole: a word broken across two lines is two words that are not its own.
pub fn assert_fits(shown: &str, columns: usize, texts: &[&str]) {
    for line in shown.lines() {
        let alone = !line.trim().contains(' ');
        assert!(
            line.chars().count() <= columns || alone,
            "{} columns: {line:?} in:\n{shown}",
            line.chars().count()
        );
    }
    // Quotes and brackets around a word are not part of it.
    let trim = |w: &str| w.trim_matches(|c| "\"'()[]".contains(c)).to_string();
    let words: std::collections::HashSet<String> = shown.split_whitespace().map(trim).collect();
    for text in texts {
        for word in text.split_whitespace().map(trim) {
            assert!(
                words.contains(&word),
                "{word:?} is broken or missing in:\n{shown}"
            );
        }
    }
}
