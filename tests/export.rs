//! `voicemock export`: a session as one zip whose page plays its recordings once unpacked.
//! No devices needed: the session is the format-2 fixture with recordings made here.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::common;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/fixtures/format2/session.json"
);
const ID: &str = "2026-11-26_161748-netflix-pm";

/// A tone of `seconds` at 48 kHz, as a take's WAV.
fn write_wav(path: &Path, seconds: f64, hz: f64) {
    let tone = (0..(seconds * 48_000.0) as usize).map(|i| {
        let s = (i as f64 * hz * std::f64::consts::TAU / 48_000.0).sin() * 0.3;
        (s * f64::from(i16::MAX)) as i16
    });
    common::write_wav(path, 48_000, tone);
}

/// The fixture session with its recordings, a transcript sidecar, a review sheet, and a
/// file the log does not name; no review page yet.
fn session(recordings: &Path) -> PathBuf {
    let dir = recordings.join(ID);
    std::fs::create_dir_all(&dir).unwrap();
    let mut log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(FIXTURE).unwrap()).unwrap();
    log["questions"][0]["takes"][0]["transcript"] = serde_json::json!({
        "file": "q01-why-netflix-take1.transcript.json",
        "model": "tiny.en",
        "text": "I love stories.",
        "words": 3,
        "wpm": null,
        "fillers": 0,
        "fillers_per_100_words": 0.0,
        "i_count": 1,
        "we_count": 0,
        "gave_number": false
    });
    std::fs::write(dir.join("session.json"), log.to_string()).unwrap();
    write_wav(&dir.join("q01-why-netflix-take1.wav"), 1.984, 220.0);
    write_wav(&dir.join("q02-stay-current-take1.wav"), 1.995, 330.0);
    std::fs::write(
        dir.join("q01-why-netflix-take1.transcript.json"),
        r#"{"version": 1, "words": []}"#,
    )
    .unwrap();
    std::fs::write(dir.join("review.md"), "# Review\n").unwrap();
    std::fs::write(dir.join("private-notes.txt"), "not for the coach").unwrap();
    dir
}

fn export(recordings: &Path, extra: &[&std::ffi::OsStr]) -> (bool, String, String) {
    let out = common::bin()
        .arg("export")
        .args(extra)
        .arg("--recordings")
        .arg(recordings)
        .output()
        .unwrap();
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every `src="…"` and `href="…"` of a page that points at a file (not `#…`).
fn file_links(page: &str) -> Vec<String> {
    let mut links = Vec::new();
    for attr in ["src=\"", "href=\""] {
        for (at, _) in page.match_indices(attr) {
            let rest = &page[at + attr.len()..];
            let value = &rest[..rest.find('"').unwrap()];
            if !value.starts_with('#') {
                links.push(percent_decode(value));
            }
        }
    }
    links
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}

#[test]
fn the_zip_holds_the_page_and_every_file_it_links_byte_for_byte() {
    let dir = common::temp_dir("export-zip");
    let recordings = dir.join("recordings");
    let session = session(&recordings);
    let zip_path = dir.join("for-my-coach.zip");

    let (ok, stdout, stderr) = export(
        &recordings,
        &["latest".as_ref(), "--output".as_ref(), zip_path.as_os_str()],
    );
    assert!(ok, "{stderr}");
    assert!(stdout.contains("2 recordings"), "{stdout}");
    assert!(stdout.contains(&format!("{ID}/report.html")), "{stdout}");
    assert!(
        session.join("report.html").is_file(),
        "the missing page was written into the session first"
    );

    let mut zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    let names: Vec<String> = zip.file_names().map(|n| n.unwrap().into_owned()).collect();
    for name in [
        "report.html",
        "session.json",
        "review.md",
        "q01-why-netflix-take1.wav",
        "q02-stay-current-take1.wav",
        "q01-why-netflix-take1.transcript.json",
    ] {
        assert!(
            names.contains(&format!("{ID}/{name}")),
            "{name} missing from {names:?}"
        );
    }
    assert!(
        !names.iter().any(|n| n.contains("private-notes")),
        "a file the log does not name was shared: {names:?}"
    );

    // Every file the page links is in the zip, beside it.
    let mut page = String::new();
    zip.by_name(&format!("{ID}/report.html"))
        .unwrap()
        .read_to_string(&mut page)
        .unwrap();
    let links = file_links(&page);
    assert!(
        links.iter().filter(|l| l.ends_with(".wav")).count() >= 2,
        "the page links its recordings: {links:?}"
    );
    for link in &links {
        assert!(
            names.contains(&format!("{ID}/{link}")),
            "the page links {link}, which the zip does not hold ({names:?})"
        );
    }

    // Recordings are stored as they are; text is deflated.
    for name in &names {
        let mut entry = zip.by_name(name).unwrap();
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).unwrap();
        let on_disk =
            std::fs::read(session.join(name.strip_prefix(&format!("{ID}/")).unwrap())).unwrap();
        assert!(bytes == on_disk, "{name} differs from the session's file");
        let expected = if name.ends_with(".wav") {
            zip::CompressionMethod::Stored
        } else {
            zip::CompressionMethod::Deflated
        };
        assert_eq!(entry.compression(), expected, "{name}");
    }

    // A second export to the same file is refused and leaves the first as it was.
    let before = std::fs::read(&zip_path).unwrap();
    let (ok, _, stderr) = export(&recordings, &["--output".as_ref(), zip_path.as_os_str()]);
    assert!(!ok, "an existing zip was overwritten");
    assert!(stderr.contains("already exists"), "{stderr}");
    assert!(stderr.contains("never overwrites"), "{stderr}");
    assert_eq!(std::fs::read(&zip_path).unwrap(), before);
}

#[test]
fn a_recording_that_is_a_link_out_of_the_folder_is_left_out() {
    let dir = common::temp_dir("export-link");
    let recordings = dir.join("recordings");
    let session = session(&recordings);
    let secret = dir.join("secret.wav");
    std::fs::write(&secret, b"someone else's file").unwrap();
    let take = session.join("q02-stay-current-take1.wav");
    std::fs::remove_file(&take).unwrap();
    std::os::unix::fs::symlink(&secret, &take).unwrap();
    let zip_path = dir.join("out.zip");

    let (ok, stdout, stderr) = export(
        &recordings,
        &[ID.as_ref(), "--output".as_ref(), zip_path.as_os_str()],
    );
    assert!(ok, "{stderr}");
    assert!(stdout.contains("1 recording,"), "{stdout}");
    assert!(
        stderr.contains("q02-stay-current-take1.wav")
            && stderr.contains("outside the session folder")
            && stderr.contains("left out of the zip"),
        "{stderr}"
    );
    let zip = zip::ZipArchive::new(std::fs::File::open(&zip_path).unwrap()).unwrap();
    assert!(
        !zip.file_names()
            .any(|n| n.unwrap().ends_with("q02-stay-current-take1.wav")),
        "the link was followed"
    );
}

#[test]
fn export_by_default_writes_the_session_id_zip_in_the_current_folder() {
    let dir = common::temp_dir("export-default");
    let recordings = dir.join("recordings");
    session(&recordings);
    let out = common::bin()
        .current_dir(&dir)
        .args(["export", "--recordings"])
        .arg(&recordings)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.join(format!("{ID}.zip")).is_file());
}
