//! The shell's conventions: completion scripts that load and complete, and a manual page that
//! renders and names every command. No devices needed.

use std::process::{Command, Stdio};

use clap::CommandFactory;

use crate::common;

fn stdout_of(args: &[&str]) -> String {
    let out = common::bin().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "voicemock {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// The commands a user sees (clap's own `help` aside).
fn visible_commands() -> Vec<String> {
    voicemock::cli::Cli::command()
        .get_subcommands()
        .filter(|s| !s.is_hide_set())
        .map(|s| s.get_name().to_string())
        .collect()
}

#[test]
fn every_shell_gets_a_completion_script_naming_the_commands() {
    for shell in ["bash", "zsh", "fish", "powershell"] {
        let script = stdout_of(&["completions", shell]);
        for command in visible_commands() {
            assert!(
                script.contains(&command),
                "{shell}: `{command}` missing from the script"
            );
        }
    }
    let out = common::bin()
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert!(!out.status.success(), "an unknown shell is refused");
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("bash"),
        "the refusal names the shells there are"
    );
}

/// Loads the bash script into a clean bash and asks it, as bash does on Tab, to complete
/// `voicemock ex` and `voicemock run --cat`.
#[test]
fn the_bash_script_loads_and_completes_a_command_and_a_flag() {
    let script = r#"
        source <("$0" completions bash) || exit 3
        complete -p voicemock || exit 4
        COMP_WORDS=(voicemock ex); COMP_CWORD=1
        COMP_LINE="voicemock ex"; COMP_POINT=${#COMP_LINE}
        _voicemock voicemock ex voicemock
        printf 'command:%s\n' "${COMPREPLY[@]}"
        COMP_WORDS=(voicemock run --cat); COMP_CWORD=2
        COMP_LINE="voicemock run --cat"; COMP_POINT=${#COMP_LINE}
        _voicemock voicemock --cat run
        printf 'flag:%s\n' "${COMPREPLY[@]}"
    "#;
    let out = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", script])
        .arg(env!("CARGO_BIN_EXE_voicemock"))
        .stdin(Stdio::null())
        .output()
        .expect("bash runs");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stdout}\n{stderr}");
    assert!(
        stdout.contains("-F _voicemock voicemock"),
        "the completion is registered: {stdout}"
    );
    let replies = |kind: &str| -> Vec<String> {
        stdout
            .lines()
            .filter_map(|l| l.strip_prefix(kind))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(replies("command:"), ["export"], "{stdout}");
    assert_eq!(replies("flag:"), ["--category"], "{stdout}");
}

/// Renders roff as `man` would show it, with groff (scripts/install-deps installs it).
fn render_roff(page: &str) -> String {
    let mut child = Command::new("groff")
        .args(["-man", "-Tutf8", "-Wall"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("groff (scripts/install-deps test installs groff-base)");
    use std::io::Write;
    child
        .stdin
        .take()
        .unwrap()
        .write_all(page.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "groff failed: {stderr}");
    assert!(stderr.trim().is_empty(), "groff warns: {stderr}");
    // Bold and underline are drawn by overstriking; keep the letters.
    let text = String::from_utf8_lossy(&out.stdout).into_owned();
    let mut plain = String::new();
    for c in text.chars() {
        if c == '\u{8}' {
            plain.pop();
        } else {
            plain.push(c);
        }
    }
    plain
}

#[test]
fn the_manual_page_renders_and_names_every_command() {
    let page = render_roff(&stdout_of(&["man"]));
    assert!(page.contains("voicemock"), "{page}");
    assert!(page.contains("offline voice mock interviewer"), "{page}");
    for command in visible_commands() {
        assert!(
            page.contains(&format!("voicemock-{command}")),
            "`{command}` missing from the page:\n{page}"
        );
    }

    // --output: a page per command, each rendering, with its own flags.
    let dir = common::temp_dir("man-pages");
    let stdout = stdout_of(&["man", "--output", dir.to_str().unwrap()]);
    assert!(stdout.contains("manual pages"), "{stdout}");
    assert!(dir.join("voicemock.1").is_file());
    for command in visible_commands() {
        let path = dir.join(format!("voicemock-{command}.1"));
        let roff = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
        render_roff(&roff);
    }
    let export = render_roff(&std::fs::read_to_string(dir.join("voicemock-export.1")).unwrap());
    assert!(export.contains("--output"), "{export}");

    let out = common::bin()
        .args(["man", "--output"])
        .arg(dir.join("missing"))
        .output()
        .unwrap();
    assert!(!out.status.success(), "a missing folder is refused");
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such folder"));
}
