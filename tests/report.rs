//! The review pages in a real browser: sessions recorded through `voicemock run` on the
//! virtual microphone, their pages written by `voicemock report`, then loaded from `file://`
//! in Debian's Chromium, driven headless through the DevTools protocol.
//!
//! The recorded sessions and the screenshots are kept under the test target's temporary
//! folder (printed) for a person to look at.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use headless_chrome::protocol::cdp::types::Event;
use headless_chrome::protocol::cdp::Log::LogEntryLevel;
use headless_chrome::protocol::cdp::Runtime::ConsoleAPICalledEventTypeOption;
use headless_chrome::protocol::cdp::{Emulation, Network, Page};
use headless_chrome::{Browser, LaunchOptions, Tab};
use serde_json::Value;

use crate::common::{self, Running};

/// Where the sessions and screenshots of this run are kept.
fn output_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR")).join("report-pages")
}

const PACK: &str = r#"
format = 1
title = "Markup <b>test</b> pack"
[defaults]
think_s = 0
answer_s = 12
min_s = 4
warn_s = 3
[[questions]]
id = "markup"
category = "behavioural"
text = '<script>window.__pwned = 1</script>Tell me about <img src=x onerror="window.__pwned = 2"> a failure.'
notes = ['Say what <img src=y onerror="window.__pwned = 3"> you learned.']
[[questions]]
id = "plain"
category = "behavioural"
text = "Tell me about a project you are proud of."
"#;

struct Fixture {
    recordings: PathBuf,
    /// Two questions, the first recorded twice (a repeat), with a pause in each answer.
    two: PathBuf,
    /// One question whose text and notes hold markup.
    markup: PathBuf,
    /// One plain question, its answer transcribed.
    plain: PathBuf,
}

static FIXTURE: OnceLock<Fixture> = OnceLock::new();

/// Records the three sessions once for all the tests here, on the devices `_stack` holds.
fn fixture(_stack: &common::Stack) -> &'static Fixture {
    FIXTURE.get_or_init(|| {
        let dir = output_dir();
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let recordings = dir.join("recordings");
        let pack = dir.join("markup-pack.toml");
        std::fs::write(&pack, PACK).unwrap();
        let a = common::speech_wav(
            &dir,
            "a",
            "I want to build the product people reach for.",
            "en-us",
        );
        let b = common::speech_wav(
            &dir,
            "b",
            "Every evening at the end of a long day.",
            "en-us",
        );
        let paused = common::join_with_gap(&dir, "paused", &a, &b, 1.2);

        let two = record(
            &recordings,
            &["--question", "why-netflix", "--question", "stay-current"],
            |run| {
                answer(run, &a, Some("r"));
                answer(run, &paused, None);
                answer(run, &paused, None);
            },
        );
        let pack_arg = pack.to_str().unwrap();
        let markup = record(
            &recordings,
            &["--pack", pack_arg, "--question", "markup"],
            |run| {
                answer(run, &paused, None);
            },
        );
        // Transcribed with the test model, so its page has words to click.
        let model = common::test_model().expect("the test model");
        let plain = record(
            &recordings,
            &[
                "--pack",
                pack_arg,
                "--question",
                "plain",
                "--model",
                model.to_str().unwrap(),
            ],
            |run| {
                answer(run, &paused, None);
            },
        );
        Fixture {
            recordings,
            two,
            markup,
            plain,
        }
    })
}

/// Waits for recording to start, speaks `wav` into the microphone, then ends the take with
/// `end` (Enter by default).
fn answer(run: &mut Running, wav: &Path, end: Option<&str>) {
    run.feed_after(
        "Recording answer",
        Duration::from_secs(20),
        Duration::from_millis(300),
        wav,
    );
    std::thread::sleep(Duration::from_millis(300));
    run.send_line(end.unwrap_or(""));
}

/// Runs one session to its end with `drive` answering; returns its folder.
fn record(recordings: &Path, args: &[&str], drive: impl FnOnce(&mut Running)) -> PathBuf {
    let before: Vec<PathBuf> = folders(recordings);
    let mut run = Running::spawn(&mut common::silent_run(recordings, 12, args));
    drive(&mut run);
    let (stdout, _) = run.succeed(Duration::from_secs(30));
    assert!(
        stdout.contains("Review page:"),
        "run says where its page is:\n{stdout}"
    );
    let new: Vec<PathBuf> = folders(recordings)
        .into_iter()
        .filter(|f| !before.contains(f))
        .collect();
    assert_eq!(new.len(), 1, "one new session folder: {new:?}");
    let dir = new.into_iter().next().unwrap();
    assert!(dir.join("report.html").is_file(), "run wrote report.html");
    dir
}

fn folders(dir: &Path) -> Vec<PathBuf> {
    std::fs::read_dir(dir)
        .map(|r| r.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default()
}

/// Debian's Chromium (or another Chromium-like browser on the PATH). With VOICEMOCK_E2E=1 a
/// missing browser fails the test; otherwise it is skipped with a note.
fn chromium() -> Option<PathBuf> {
    let names = ["chromium", "chromium-browser", "google-chrome"];
    let found = std::env::var_os("VOICEMOCK_CHROMIUM")
        .map(PathBuf::from)
        .or_else(|| {
            let path = std::env::var_os("PATH")?;
            std::env::split_paths(&path)
                .flat_map(|d| names.iter().map(move |n| d.join(n)))
                .find(|p| p.is_file())
        });
    if found.is_none() {
        if std::env::var("VOICEMOCK_E2E").as_deref() == Ok("1") {
            panic!(
                "VOICEMOCK_E2E=1 but no Chromium was found; scripts/install-deps test installs it"
            );
        }
        eprintln!("skipping: no Chromium (run scripts/test to include this test)");
    }
    found
}

/// A headless Chromium with a fresh profile, muted, with nothing in the background that
/// could reach the network.
pub(crate) struct Chrome {
    browser: Browser,
    _profile: common::TempDir,
}

pub(crate) fn launch(name: &str) -> Option<Chrome> {
    let path = chromium()?;
    let profile = common::temp_dir(&format!("chromium-{name}"));
    let args: Vec<&std::ffi::OsStr> = [
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--disable-default-apps",
        "--mute-audio",
        "--autoplay-policy=no-user-gesture-required",
    ]
    .iter()
    .map(std::ffi::OsStr::new)
    .collect();
    let options = LaunchOptions::default_builder()
        .path(Some(path))
        .headless(true)
        .sandbox(false)
        .user_data_dir(Some(profile.to_path_buf()))
        .disable_default_args(true)
        .args(args)
        .window_size(Some((1280, 900)))
        .idle_browser_timeout(Duration::from_secs(120))
        .build()
        .unwrap();
    let browser = Browser::new(options).expect("starting Chromium headless");
    Some(Chrome {
        browser,
        _profile: profile,
    })
}

/// What a page did while it loaded: requests, console errors and uncaught exceptions.
#[derive(Default, Debug)]
pub(crate) struct Watch {
    requests: Vec<String>,
    pub(crate) errors: Vec<String>,
}

pub(crate) fn open(chrome: &Chrome, page: &Path) -> (Arc<Tab>, Arc<Mutex<Watch>>) {
    let tab = chrome.browser.new_tab().unwrap();
    tab.set_default_timeout(Duration::from_secs(20));
    let watch = Arc::new(Mutex::new(Watch::default()));
    let seen = Arc::clone(&watch);
    tab.add_event_listener(Arc::new(move |event: &Event| {
        let mut w = seen.lock().unwrap_or_else(|e| e.into_inner());
        match event {
            Event::NetworkRequestWillBeSent(e) => w.requests.push(e.params.request.url.clone()),
            Event::RuntimeConsoleAPICalled(e)
                if matches!(
                    e.params.Type,
                    ConsoleAPICalledEventTypeOption::Error
                        | ConsoleAPICalledEventTypeOption::Assert
                ) =>
            {
                w.errors
                    .push(format!("console.{:?}: {:?}", e.params.Type, e.params.args))
            }
            Event::RuntimeExceptionThrown(e) => w
                .errors
                .push(format!("exception: {:?}", e.params.exception_details)),
            Event::LogEntryAdded(e) if e.params.entry.level == LogEntryLevel::Error => {
                w.errors.push(format!(
                    "log: {} {:?}",
                    e.params.entry.text, e.params.entry.url
                ))
            }
            _ => {}
        }
    }))
    .unwrap();
    tab.enable_log().unwrap();
    tab.enable_runtime().unwrap();
    tab.call_method(Network::Enable {
        max_total_buffer_size: None,
        max_resource_buffer_size: None,
        max_post_data_size: None,
        report_direct_socket_traffic: None,
        enable_durable_messages: None,
    })
    .unwrap();
    let url = format!("file://{}", page.canonicalize().unwrap().display());
    tab.navigate_to(&url)
        .unwrap()
        .wait_until_navigated()
        .unwrap();
    (tab, watch)
}

/// The value of a JavaScript expression, passed through JSON (the protocol hands arrays and
/// objects back by reference otherwise).
pub(crate) fn eval(tab: &Tab, js: &str) -> Value {
    let json = tab
        .evaluate(&format!("JSON.stringify({js})"), true)
        .unwrap_or_else(|e| panic!("evaluating {js}: {e}"))
        .value;
    match json {
        Some(Value::String(text)) => serde_json::from_str(&text).unwrap(),
        _ => Value::Null,
    }
}

/// A request that could leave the machine: anything but the page's own files and the
/// `data:` icons of the browser's media controls.
fn off_machine(url: &&String) -> bool {
    !(url.starts_with("file://") || url.starts_with("data:"))
}

/// Waits until every audio element has read its WAV's header (or failed to).
fn wait_for_audio(tab: &Tab) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let ready = eval(
            tab,
            "Array.from(document.querySelectorAll('audio')).every(a => a.readyState >= 1 || a.error)",
        );
        if ready == Value::Bool(true) {
            return;
        }
        assert!(
            Instant::now() < deadline,
            "the audio elements did not load in 20 s"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn report(recordings: &Path, extra: &[&str]) -> String {
    let out = common::bin()
        .arg("report")
        .args(extra)
        .arg("--recordings")
        .arg(recordings)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "report {extra:?} failed\nstdout:\n{stdout}\nstderr:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

fn session_page(f: &Fixture, session: &Path) -> PathBuf {
    let name = session.file_name().unwrap().to_str().unwrap();
    let stdout = report(&f.recordings, &[name]);
    let page = session.join("report.html");
    assert!(stdout.contains(&page.display().to_string()), "{stdout}");
    page
}

/// What a browser test stands on: the device stack it holds (Chromium reaches the sound
/// server too, muted: like every device test, it takes turns), the recorded sessions, and a
/// Chromium of its own. Fields drop in order, so Chromium ends before the stack is let go.
struct Browsing {
    f: &'static Fixture,
    chrome: Chrome,
    _stack: common::Stack,
}

/// `None` where the machine has no sound server or no Chromium (`name` names the profile).
fn browse(name: &str) -> Option<Browsing> {
    let stack = common::stack()?;
    let f = fixture(&stack);
    let chrome = launch(name)?;
    Some(Browsing {
        f,
        chrome,
        _stack: stack,
    })
}

impl Browsing {
    /// The page `report` writes for `session`, open, with every audio element loaded.
    fn open_session(&self, session: &Path) -> (Arc<Tab>, Arc<Mutex<Watch>>) {
        let page = session_page(self.f, session);
        let (tab, watch) = open(&self.chrome, &page);
        wait_for_audio(&tab);
        (tab, watch)
    }
}

#[test]
fn a_session_page_loads_from_file_with_no_console_error_and_no_network() {
    let Some(b) = browse("load") else { return };
    let f = b.f;
    let (tab, watch) = b.open_session(&f.two);
    std::thread::sleep(Duration::from_millis(500));
    let w = watch.lock().unwrap();
    assert!(w.errors.is_empty(), "console errors: {:#?}", w.errors);
    assert!(
        w.requests.iter().any(|u| u.ends_with("report.html")),
        "the page's own load is seen: {:?}",
        w.requests
    );
    let elsewhere: Vec<&String> = w.requests.iter().filter(off_machine).collect();
    assert!(elsewhere.is_empty(), "requests off file://: {elsewhere:?}");
    // Three takes (one repeated question), each with its player and waveform.
    assert_eq!(
        eval(&tab, "document.querySelectorAll('.take audio').length"),
        3
    );
    assert_eq!(
        eval(
            &tab,
            "document.querySelectorAll('.take svg.wave path.level').length"
        ),
        3
    );
}

#[test]
fn every_audio_element_plays_its_wav_with_the_wav_s_duration() {
    let Some(b) = browse("audio") else { return };
    let f = b.f;
    let (tab, _) = b.open_session(&f.two);
    let found = eval(
        &tab,
        "Array.from(document.querySelectorAll('audio')).map(a => \
         [a.getAttribute('src'), a.duration, a.error ? a.error.code : 0])",
    );
    let found: Vec<(String, f64, u32)> = serde_json::from_value(found).unwrap();
    assert_eq!(found.len(), 3, "{found:?}");
    for (src, duration, error) in found {
        assert_eq!(error, 0, "{src} did not load");
        let (samples, rate) = common::read_wav(&f.two.join(&src));
        let wav_s = samples.len() as f64 / f64::from(rate);
        println!("{src}: the browser says {duration:.3} s, the WAV holds {wav_s:.3} s");
        assert!(
            (duration - wav_s).abs() <= 0.05,
            "{src}: {duration} s in the browser, {wav_s} s in the WAV"
        );
    }
}

#[test]
fn clicking_a_pause_plays_from_its_start() {
    let Some(b) = browse("click") else { return };
    let f = b.f;
    let (tab, _) = b.open_session(&f.two);
    let pauses = eval(
        &tab,
        "document.querySelectorAll('.take [data-start]').length",
    );
    assert!(
        pauses.as_u64().unwrap_or(0) >= 1,
        "the 1.2 s gap fed into the answer is a pause"
    );
    // Each player reports where a seek put it, before playing on from there moves it.
    eval(
        &tab,
        "document.querySelectorAll('.take audio').forEach(a => a.addEventListener('seeking', \
           () => { a.dataset.seekedTo = a.currentTime; }))",
    );
    // The longest pause of the second take of question 1: the gap that was fed.
    let picked = eval(
        &tab,
        "(() => { const ps = Array.from(document.querySelectorAll('#q1-t2 [data-start]')); \
           ps.sort((a, b) => (b.dataset.end - b.dataset.start) - (a.dataset.end - a.dataset.start)); \
           ps[0].id = 'picked'; return [parseFloat(ps[0].dataset.start), document.querySelector('#q1-t2 audio').currentTime]; })()",
    );
    let start = picked[0].as_f64().unwrap();
    assert_eq!(picked[1].as_f64(), Some(0.0), "the player starts at 0");
    assert!(
        start > 1.5,
        "the pause comes after the first phrase: {start}"
    );
    tab.find_element("#picked").unwrap().click().unwrap();
    let (seeked, now) = player_time(&tab, "#q1-t2");
    println!(
        "pause starts at {start:.3} s; the click set the player to {seeked:.3} s (now {now:.3} s)"
    );
    assert!(
        (seeked - start).abs() <= 0.1,
        "player set to {seeked} s, pause at {start} s"
    );
    assert!(
        now >= seeked - 0.01 && now < seeked + 2.0,
        "it plays on from there: {now} s"
    );

    // The keyboard does the same: focus the pause of the other question and press Enter.
    let first = eval(
        &tab,
        "(() => { const p = document.querySelector('#q2-t1 [data-start]'); p.focus(); \
           return [parseFloat(p.dataset.start), document.activeElement === p]; })()",
    );
    assert_eq!(
        first[1],
        Value::Bool(true),
        "a pause can take the keyboard's focus"
    );
    tab.press_key("Enter").unwrap();
    let start = first[0].as_f64().unwrap();
    let (seeked, _) = player_time(&tab, "#q2-t1");
    println!("pause starts at {start:.3} s; Enter set the player to {seeked:.3} s");
    assert!(
        (seeked - start).abs() <= 0.1,
        "Enter: player set to {seeked} s, pause at {start} s"
    );
}

#[test]
fn clicking_a_word_of_the_transcript_plays_from_it() {
    let Some(b) = browse("words") else { return };
    let f = b.f;
    let (tab, _) = b.open_session(&f.plain);
    let words = eval(
        &tab,
        "Array.from(document.querySelectorAll('#q1-t1 .transcript [data-at]')).map(w => w.textContent)",
    );
    let words: Vec<&str> = words
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|w| w.as_str())
        .collect();
    println!("transcript on the page: {words:?}");
    assert!(
        words.len() >= 6,
        "the answer's words are on the page: {words:?}"
    );
    assert!(
        words
            .iter()
            .any(|w| w.to_lowercase().starts_with("evening")),
        "{words:?}"
    );
    eval(
        &tab,
        "document.querySelectorAll('.take audio').forEach(a => a.addEventListener('seeking', \
           () => { a.dataset.seekedTo = a.currentTime; }))",
    );
    // "evening", said after the 1.2 s gap.
    let at = eval(
        &tab,
        "(() => { const w = Array.from(document.querySelectorAll('#q1-t1 .transcript [data-at]')) \
           .find(w => w.textContent.toLowerCase().startsWith('evening')); w.id = 'word'; \
           return parseFloat(w.dataset.at); })()",
    )
    .as_f64()
    .unwrap();
    tab.find_element("#word").unwrap().click().unwrap();
    let (seeked, _) = player_time(&tab, "#q1-t1");
    println!("\"evening\" at {at:.2} s; the click set the player to {seeked:.3} s");
    assert!(
        (seeked - at).abs() <= 0.1,
        "player at {seeked} s, word at {at} s"
    );
    assert!(
        at > 2.0,
        "the word comes after the first phrase and the gap: {at}"
    );
}

/// Where the last seek of the take's player put it, and where it is now.
fn player_time(tab: &Tab, take: &str) -> (f64, f64) {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        let t = eval(
            tab,
            &format!(
                "(() => {{ const a = document.querySelector('{take} audio'); \
                   return [a.dataset.seekedTo ? parseFloat(a.dataset.seekedTo) : null, a.currentTime]; }})()"
            ),
        );
        if let (Some(seeked), Some(now)) = (t[0].as_f64(), t[1].as_f64()) {
            return (seeked, now);
        }
        assert!(
            Instant::now() < deadline,
            "the player of {take} was never moved"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn a_question_holding_markup_shows_it_as_text() {
    let Some(b) = browse("markup") else { return };
    let f = b.f;
    let (tab, watch) = b.open_session(&f.markup);
    assert_eq!(
        eval(&tab, "typeof window.__pwned"),
        "undefined",
        "no injected script ran"
    );
    assert_eq!(eval(&tab, "document.images.length"), 0, "no injected image");
    assert_eq!(
        eval(&tab, "document.scripts.length"),
        1,
        "only the page's own script"
    );
    let heading = eval(&tab, "document.querySelector('#q1-title').textContent");
    assert!(
        heading.as_str().unwrap().contains(
            "<script>window.__pwned = 1</script>Tell me about <img src=x onerror=\"window.__pwned = 2\"> a failure."
        ),
        "the question reads as written: {heading}"
    );
    let notes = eval(&tab, "document.querySelector('.notes li').textContent");
    assert!(
        notes.as_str().unwrap().contains("<img src=y onerror="),
        "{notes}"
    );
    let title = eval(&tab, "document.querySelector('h1').textContent");
    assert_eq!(title, "Markup <b>test</b> pack");
    let w = watch.lock().unwrap();
    assert!(w.errors.is_empty(), "console errors: {:#?}", w.errors);
    let elsewhere: Vec<&String> = w.requests.iter().filter(off_machine).collect();
    assert!(elsewhere.is_empty(), "requests off file://: {elsewhere:?}");
}

/// Waits until the page lays itself out in a `width` × `height` viewport (reading its sizes
/// afterwards lays it out anew, so they are those of the new viewport).
fn wait_for_viewport(tab: &Tab, width: u32, height: u32) {
    let js = format!("window.innerWidth === {width} && window.innerHeight === {height}");
    common::wait_until(
        &format!("the page's viewport at {width}x{height}"),
        Duration::from_secs(10),
        || eval(tab, &js) == Value::Bool(true),
    );
}

/// Sets the viewport to `width` and the page's full height, and takes a PNG of it.
fn screenshot(tab: &Tab, width: u32, mobile: bool) -> Vec<u8> {
    let metrics = |height: u32| Emulation::SetDeviceMetricsOverride {
        width,
        height,
        device_scale_factor: 1.0,
        mobile,
        scale: None,
        screen_width: None,
        screen_height: None,
        position_x: None,
        position_y: None,
        dont_set_visible_size: None,
        screen_orientation: None,
        viewport: None,
        display_feature: None,
        device_posture: None,
    };
    tab.call_method(metrics(900)).unwrap();
    wait_for_viewport(tab, width, 900);
    let height = eval(tab, "document.documentElement.scrollHeight")
        .as_u64()
        .unwrap() as u32;
    let height = height.clamp(400, 8000);
    tab.call_method(metrics(height)).unwrap();
    wait_for_viewport(tab, width, height);
    let wide = eval(tab, "document.documentElement.scrollWidth")
        .as_u64()
        .unwrap() as u32;
    assert!(
        wide <= width,
        "nothing runs off the side at {width} px: the page is {wide} px wide"
    );
    tab.capture_screenshot(Page::CaptureScreenshotFormatOption::Png, None, None, true)
        .unwrap()
}

/// How much of a PNG differs from its top-left pixel, and how many colours it holds.
fn ink(png_bytes: &[u8]) -> (u32, u32, f64, usize) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().unwrap();
    let mut buf = vec![0; reader.output_buffer_size().unwrap()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let pixels: Vec<&[u8]> = buf[..info.buffer_size()].chunks(channels).collect();
    let background = pixels[0];
    let inked = pixels.iter().filter(|p| **p != background).count();
    let colours: std::collections::HashSet<&[u8]> = pixels.iter().copied().collect();
    (
        info.width,
        info.height,
        inked as f64 / pixels.len() as f64,
        colours.len(),
    )
}

#[test]
fn screenshots_at_laptop_and_phone_width_are_not_blank() {
    let Some(b) = browse("shots") else { return };
    let f = b.f;
    let (tab, _) = b.open_session(&f.two);
    let dir = output_dir().join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    for (width, mobile) in [(1280, false), (390, true)] {
        let png = screenshot(&tab, width, mobile);
        let path = dir.join(format!("report-{width}px.png"));
        std::fs::write(&path, &png).unwrap();
        let (w, h, inked, colours) = ink(&png);
        println!(
            "screenshot {}: {w}x{h}, {:.1}% inked, {colours} colours",
            path.display(),
            inked * 100.0
        );
        assert_eq!(w, width);
        assert!(
            inked > 0.05 && colours > 20,
            "{} looks blank",
            path.display()
        );
    }
    // As printed: an A4-like width with print styles, the players left out, nothing cut off.
    tab.call_method(Emulation::SetEmulatedMedia {
        media: Some("print".into()),
        features: None,
    })
    .unwrap();
    assert_eq!(
        eval(
            &tab,
            "Array.from(document.querySelectorAll('audio')).filter(a => a.offsetParent).length"
        ),
        0,
        "no player on paper"
    );
    let png = screenshot(&tab, 794, false);
    let path = dir.join("report-print.png");
    std::fs::write(&path, &png).unwrap();
    let (_, _, inked, colours) = ink(&png);
    println!("screenshot {} (print styles)", path.display());
    assert!(
        inked > 0.02 && colours > 20,
        "{} looks blank",
        path.display()
    );
}

#[test]
fn the_progress_page_has_a_point_per_take_each_linking_to_a_page() {
    let Some(b) = browse("progress") else { return };
    let f = b.f;
    let stdout = report(&f.recordings, &["--progress"]);
    let page = f.recordings.join("progress.html");
    assert!(stdout.contains("Progress over 3 sessions"), "{stdout}");
    let takes: usize = voicemock::record::sessions(&f.recordings)
        .map(|s| s.log.takes().count())
        .sum();
    assert_eq!(takes, 5, "3 takes in the first session, one in each other");
    let (tab, watch) = open(&b.chrome, &page);
    let hrefs = eval(
        &tab,
        "Array.from(document.querySelectorAll('#overall .chart-duration a.pt')).map(a => a.getAttribute('href'))",
    );
    let hrefs: Vec<String> = serde_json::from_value(hrefs).unwrap();
    assert_eq!(hrefs.len(), takes, "{hrefs:?}");
    for href in &hrefs {
        let (file, anchor) = href.split_once('#').unwrap();
        let target = f.recordings.join(file);
        let text = std::fs::read_to_string(&target)
            .unwrap_or_else(|e| panic!("{href} links to {} ({e})", target.display()));
        assert!(
            text.contains(&format!("id=\"{anchor}\"")),
            "{href}: no #{anchor} there"
        );
    }
    // The charts of the other measures have a point per take that has speech.
    for chart in ["first-words", "pace", "longest-pause"] {
        let n = eval(
            &tab,
            &format!("document.querySelectorAll('#overall .chart-{chart} a.pt').length"),
        );
        assert_eq!(n.as_u64(), Some(takes as u64), "{chart}");
    }
    // Following a point opens its session's page.
    tab.find_element("#overall .chart-duration a.pt")
        .unwrap()
        .click()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(10);
    while !tab.get_url().contains("report.html") {
        assert!(
            Instant::now() < deadline,
            "the point did not open a page: {}",
            tab.get_url()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    let w = watch.lock().unwrap();
    assert!(w.errors.is_empty(), "console errors: {:#?}", w.errors);
    let dir = output_dir().join("screenshots");
    std::fs::create_dir_all(&dir).unwrap();
    let tab = b.chrome.browser.new_tab().unwrap();
    tab.navigate_to(&format!(
        "file://{}",
        page.canonicalize().unwrap().display()
    ))
    .unwrap()
    .wait_until_navigated()
    .unwrap();
    for (width, mobile) in [(1280, false), (390, true)] {
        let png = screenshot(&tab, width, mobile);
        let path = dir.join(format!("progress-{width}px.png"));
        std::fs::write(&path, &png).unwrap();
        println!("screenshot {}", path.display());
    }
}

/// `voicemock export`: the zip, unpacked somewhere else, is a page whose players play every
/// take from the recordings beside it.
#[test]
fn an_exported_zip_unpacked_elsewhere_plays_every_take() {
    let Some(b) = browse("export") else { return };
    let f = b.f;
    let dir = common::temp_dir("report-export");
    let zip_path = dir.join("coach.zip");
    let name = f.two.file_name().unwrap().to_str().unwrap();
    let out = common::bin()
        .args(["export", name, "--output"])
        .arg(&zip_path)
        .arg("--recordings")
        .arg(&f.recordings)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let unpacked = dir.join("unpacked");
    zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap())
        .unwrap()
        .extract(&unpacked)
        .unwrap();
    let page = unpacked.join(name).join("report.html");
    let (tab, watch) = open(&b.chrome, &page);
    wait_for_audio(&tab);
    let found = eval(
        &tab,
        "Array.from(document.querySelectorAll('audio')).map(a => \
         [a.getAttribute('src'), a.duration, a.error ? a.error.code : 0])",
    );
    let found: Vec<(String, f64, u32)> = serde_json::from_value(found).unwrap();
    assert_eq!(found.len(), 3, "{found:?}");
    for (src, duration, error) in found {
        assert_eq!(error, 0, "{src} did not load from the unpacked zip");
        // The unpacked copy, not the session folder, is what the page played.
        let (samples, rate) = common::read_wav(&unpacked.join(name).join(&src));
        let wav_s = samples.len() as f64 / f64::from(rate);
        assert!(
            (duration - wav_s).abs() <= 0.05,
            "{src}: {duration} s in the browser, {wav_s} s in the WAV"
        );
    }
    let w = watch.lock().unwrap();
    assert!(w.errors.is_empty(), "{:?}", w.errors);
    let outside: Vec<&String> = w
        .requests
        .iter()
        .filter(|u| !u.starts_with("data:"))
        .filter(|u| !u.contains(&unpacked.canonicalize().unwrap().display().to_string()))
        .collect();
    assert!(
        outside.is_empty(),
        "requests outside the unpacked folder: {outside:?}"
    );
}
