//! `voicemock play` on the virtual devices: what reaches the speaker, with pause, resume and
//! seek given as lines.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use crate::common::{self, Running, SpeakerTap};

const ANSWER: &str = "I led the redesign of our onboarding flow. We had noticed that new users \
    dropped off in the first week, so we interviewed twenty of them, found three confusing \
    steps, and removed two. Activation rose by eight percent within a month, and the support \
    team saw fewer tickets about account set up.";

const PHRASE: &str = "Listening back is half of the practice: hear the answer, then try again.";

/// A voicemock `play` of `file`, with the speaker tapped: returns the process and the tap.
fn start_play(dir: &Path, file: &Path) -> (Running, SpeakerTap, Instant) {
    start_play_with(dir, file, &[])
}

fn start_play_with(dir: &Path, file: &Path, extra: &[&str]) -> (Running, SpeakerTap, Instant) {
    let tap = SpeakerTap::start(dir);
    let mut run = Running::spawn(common::bin().arg("play").arg(file).args(extra));
    let playing = run.wait_for("Playing", Duration::from_secs(20));
    (run, tap, playing)
}

/// `sox INPUT ARGS OUTPUT`: converts `input` to the format `args` give.
fn sox(input: &Path, args: &[&str], output: &Path) {
    let out = Command::new("sox")
        .arg(input)
        .args(args)
        .arg(output)
        .output()
        .expect("sox");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// ~15 s of espeak-ng speech, 48 kHz mono (the speaker monitor's rate, for comparing).
fn answer_wav(dir: &Path) -> PathBuf {
    let wav = common::speech_wav(dir, "answer", ANSWER, "en-us");
    let (samples, rate) = common::read_wav(&wav);
    let seconds = samples.len() as f64 / f64::from(rate);
    assert!(
        (11.0..20.0).contains(&seconds),
        "answer lasts {seconds:.1} s"
    );
    wav
}

/// The seconds in an acknowledgement like "paused at 0:02.1" (the last clock in the line).
fn clock_in(line: &str) -> f64 {
    let word = line.split_whitespace().last().expect("a clock");
    let (m, s) = word.split_once(':').expect("M:SS.s");
    m.parse::<f64>().unwrap() * 60.0 + s.parse::<f64>().unwrap()
}

fn line_with<'a>(stdout: &'a str, needle: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.contains(needle))
        .unwrap_or_else(|| panic!("no {needle:?} line in:\n{stdout}"))
}

fn piece(samples: &[f32], rate: u32, from_s: f64, to_s: f64) -> Vec<f32> {
    let a = (from_s * f64::from(rate)) as usize;
    let b = ((to_s * f64::from(rate)) as usize).min(samples.len());
    samples[a..b].to_vec()
}

#[test]
fn play_resamples_a_stereo_float_file_and_it_sounds_the_same() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("play-float");
    let speech = common::speech_wav(&dir, "phrase", PHRASE, "en-us");
    let file = dir.join("stereo-float-22k.wav");
    sox(
        &speech,
        &["-r", "22050", "-c", "2", "-e", "floating-point", "-b", "32"],
        &file,
    );
    let info = hound::WavReader::open(&file).unwrap().spec();
    assert_eq!((info.sample_rate, info.channels), (22_050, 2));
    assert_eq!(info.sample_format, hound::SampleFormat::Float);
    // The reference: the same file brought back to the monitor's 48 kHz mono by sox.
    let reference = dir.join("reference-48k.wav");
    sox(&file, &["-r", "48000", "-c", "1", "-b", "16"], &reference);

    let (fed, fed_rate) = common::read_wav(&reference);
    // The sound server takes any rate, so it would convert by itself: the second run opens
    // the speaker at 48 kHz, and voicemock's own resampler does the work.
    for extra in [&[][..], &["--output-rate", "48000"][..]] {
        let (run, tap, _) = start_play_with(&dir, &file, extra);
        let (code, stdout, stderr) = run.finish(Duration::from_secs(40));
        assert_eq!(
            code,
            Some(0),
            "{extra:?} stdout:\n{stdout}\nstderr:\n{stderr}"
        );
        let (captured, rate) = tap.stop();
        assert_eq!(rate, fed_rate);
        let (lag, ncc) = common::best_alignment(&fed, &captured);
        eprintln!("{extra:?}: normalized cross-correlation {ncc:.3}");
        assert!(
            ncc >= 0.9,
            "{extra:?}: the speaker matches the file only at {ncc:.3} (lag {lag})"
        );
        let off = common::chunk_lags_off(&fed, &captured, rate, lag);
        assert!(
            off.is_empty(),
            "{extra:?}: chunks off the lag (dropouts?): {off:?}"
        );
    }
}

#[test]
fn pause_and_resume_as_lines_leave_a_silent_gap_of_the_paused_length() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("play-pause");
    let file = answer_wav(&dir);
    let (mut run, tap, _) = start_play(&dir, &file);
    std::thread::sleep(Duration::from_millis(3000));
    run.send_line("pause");
    let paused_at = run.wait_for("paused at", Duration::from_secs(5));
    std::thread::sleep(Duration::from_millis(1500));
    run.send_line("pause");
    let resumed_at = run.wait_for("resumed at", Duration::from_secs(5));
    let (stdout, _) = run.succeed(Duration::from_secs(40));
    let (captured, rate) = tap.stop();
    let (fed, _) = common::read_wav(&file);
    let duration = fed.len() as f64 / f64::from(rate);

    let at = clock_in(line_with(&stdout, "paused at"));
    let at_resume = clock_in(line_with(&stdout, "resumed at"));
    assert!(
        (at - at_resume).abs() <= 0.1,
        "moved while paused: {at} → {at_resume}"
    );
    let paused_for = resumed_at.duration_since(paused_at).as_secs_f64();

    // Before the pause and after it, the file is all there, each part in one piece.
    let before = piece(&fed, rate, 0.0, at - 0.15);
    let after = piece(&fed, rate, at + 0.15, duration);
    let (lag_before, ncc_before) = common::best_alignment(&before, &captured);
    let (lag_after, ncc_after) = common::best_alignment(&after, &captured);
    assert!(ncc_before >= 0.9, "before the pause: {ncc_before:.3}");
    assert!(ncc_after >= 0.9, "after the pause: {ncc_after:.3}");
    // Where the file starts, as seen from each part: they differ by the gap.
    let start_before = lag_before as f64 / f64::from(rate);
    let start_after = lag_after as f64 / f64::from(rate) - (at + 0.15);
    let gap = start_after - start_before;
    assert!(
        (gap - paused_for).abs() <= 0.2,
        "a gap of {gap:.3} s for a pause of {paused_for:.3} s"
    );
    let silent_from = start_before + at + 0.1;
    let sound = common::sound_seconds(&captured, rate, silent_from, silent_from + gap - 0.2);
    assert!(sound <= 0.05, "{sound:.2} s of sound during the pause");
}

#[test]
fn seek_forward_as_a_line_skips_five_seconds() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("play-seek");
    let file = answer_wav(&dir);
    let (mut run, tap, _) = start_play(&dir, &file);
    std::thread::sleep(Duration::from_millis(2500));
    run.send_line("seek +5");
    run.wait_for("seek +5 from", Duration::from_secs(5));
    let (stdout, _) = run.succeed(Duration::from_secs(40));
    let (captured, rate) = tap.stop();
    let (fed, _) = common::read_wav(&file);
    let duration = fed.len() as f64 / f64::from(rate);

    let line = line_with(&stdout, "seek +5 from");
    let words: Vec<&str> = line.split_whitespace().collect();
    let from = clock_in(words[3]);
    let to = clock_in(words[5]);
    assert!((to - from - 5.0).abs() < 0.06, "{line}");

    let before = piece(&fed, rate, 0.0, from - 0.15);
    let after = piece(&fed, rate, to + 0.15, duration);
    let (lag_before, ncc_before) = common::best_alignment(&before, &captured);
    let (lag_after, ncc_after) = common::best_alignment(&after, &captured);
    assert!(ncc_before >= 0.9, "before the seek: {ncc_before:.3}");
    assert!(ncc_after >= 0.9, "after the seek: {ncc_after:.3}");
    let start_before = lag_before as f64 / f64::from(rate);
    let start_after = lag_after as f64 / f64::from(rate) - (to + 0.15);
    let skipped = start_before - start_after;
    assert!((skipped - 5.0).abs() <= 0.1, "skipped {skipped:.3} s");
    // What follows the skip plays on at once: no more than a moment of silence in between.
    let heard = common::sound_seconds(&captured, rate, start_before, start_after + duration);
    let expected = common::sound_seconds(&fed, rate, 0.0, from)
        + common::sound_seconds(&fed, rate, to, duration);
    assert!(
        (heard - expected).abs() <= 0.3,
        "heard {heard:.2} s of {expected:.2} s"
    );
}

#[test]
fn ctrl_c_stops_playback_with_130() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("play-interrupt");
    let file = answer_wav(&dir);
    let mut run = Running::spawn(common::bin().arg("play").arg(&file));
    run.wait_for("Playing", Duration::from_secs(20));
    std::thread::sleep(Duration::from_millis(500));
    let sent = Instant::now();
    common::send_signal(run.child.id(), libc::SIGINT);
    let (code, stdout, stderr) = run.finish(Duration::from_secs(5));
    assert_eq!(code, Some(130), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(
        sent.elapsed() < Duration::from_secs(2),
        "took {:?}",
        sent.elapsed()
    );
    assert!(stderr.contains("playback interrupted"), "{stderr}");
}

/// The terminal's line mode and echo flags on `fd`.
fn lflags(fd: i32) -> libc::tcflag_t {
    // SAFETY: tcgetattr on a descriptor this test owns, into a zeroed termios.
    unsafe {
        let mut t: libc::termios = std::mem::zeroed();
        assert_eq!(libc::tcgetattr(fd, &mut t), 0);
        t.c_lflag & (libc::ICANON | libc::ECHO)
    }
}

#[test]
fn on_a_terminal_keys_mode_is_set_and_restored_after_q_and_after_ctrl_c() {
    for by_key in [true, false] {
        play_on_a_terminal(by_key);
    }
}

/// Plays on a pseudo-terminal and ends with the `q` key (`by_key`) or with SIGINT.
fn play_on_a_terminal(by_key: bool) {
    use std::io::BufRead;
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("play-terminal");
    let file = answer_wav(&dir);
    let pty = common::Pty::open();
    let (master, slave) = (pty.master, pty.slave);
    let before = lflags(slave);
    assert_eq!(
        before,
        libc::ICANON | libc::ECHO,
        "a fresh terminal is in line mode"
    );
    let stdin = pty.stdio();
    let mut child = common::bin()
        .arg("play")
        .arg(&file)
        .stdin(stdin)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut line = String::new();
    stdout.read_line(&mut line).unwrap();
    assert!(line.starts_with("Playing"), "{line}");
    common::wait_until(
        "keys mode: no line buffering, no echo",
        Duration::from_secs(5),
        || lflags(slave) == 0,
    );
    std::thread::sleep(Duration::from_millis(300));
    let asked = Instant::now();
    if by_key {
        // SAFETY: writes one byte to the terminal's master side, as a keyboard would.
        let n = unsafe { libc::write(master, b"q".as_ptr().cast(), 1) };
        assert_eq!(n, 1);
    } else {
        common::send_signal(child.id(), libc::SIGINT);
    }
    let status = child.wait().unwrap();
    assert_eq!(
        status.code(),
        Some(if by_key { 0 } else { 130 }),
        "by key: {by_key}"
    );
    assert!(
        asked.elapsed() < Duration::from_secs(2),
        "took {:?}",
        asked.elapsed()
    );
    assert_eq!(
        lflags(slave),
        before,
        "the terminal is back in line mode with echo"
    );
}

#[test]
fn from_starts_playback_that_far_into_the_file() {
    let Some(_stack) = common::stack() else {
        return;
    };
    let dir = common::temp_dir("play-from");
    let file = answer_wav(&dir);
    let (run, tap, _) = start_play_with(&dir, &file, &["--from", "10"]);
    run.succeed(Duration::from_secs(30));
    let (captured, rate) = tap.stop();
    let (fed, _) = common::read_wav(&file);
    let duration = fed.len() as f64 / f64::from(rate);
    let rest = piece(&fed, rate, 10.0, duration);
    let (lag, ncc) = common::best_alignment(&rest, &captured);
    assert!(ncc >= 0.9, "the last part matches only at {ncc:.3}");
    // Nothing from before 10 s was played.
    let heard = common::sound_seconds(&captured, rate, 0.0, lag as f64 / f64::from(rate));
    assert!(heard <= 0.1, "{heard:.2} s of sound before the 10 s point");
}
