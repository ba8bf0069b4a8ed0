//! `voicemock completions SHELL` and `voicemock man`: what a shell and `man` expect of a
//! command-line tool, generated from the one description of the command line (`cli`), so they
//! never drift from the flags. Prints through `ui`; writes files only under `man --output`.

use std::path::Path;

use anyhow::Context;
use clap::CommandFactory;

use crate::cli::{Cli, CompletionsArgs, ManArgs};
use crate::ui::{out, outln};

/// The name the completion script completes: the binary's.
const BIN: &str = "voicemock";

pub fn completions(args: &CompletionsArgs) -> anyhow::Result<()> {
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut Cli::command(), BIN, &mut script);
    out(String::from_utf8(script).context("the completion script is not UTF-8")?);
    Ok(())
}

pub fn man(args: &ManArgs) -> anyhow::Result<()> {
    let cmd = Cli::command();
    match &args.output {
        None => {
            out(render(&cmd)?);
            Ok(())
        }
        Some(dir) => write_pages(&cmd, dir),
    }
}

fn render(cmd: &clap::Command) -> anyhow::Result<String> {
    let mut page = Vec::new();
    clap_mangen::Man::new(cmd.clone())
        .render(&mut page)
        .context("rendering the manual page")?;
    String::from_utf8(page).context("the manual page is not UTF-8")
}

/// `voicemock.1` and a page per visible subcommand (`voicemock-run.1`, ...), as `git` ships
/// its manual. Pages already there are replaced: they are generated, not edited by hand.
fn write_pages(cmd: &clap::Command, dir: &Path) -> anyhow::Result<()> {
    if !dir.is_dir() {
        anyhow::bail!(
            "--output {}: no such folder; create it first (e.g. ~/.local/share/man/man1)",
            dir.display()
        );
    }
    let mut cmd = cmd.clone();
    // Building gives each subcommand its display name (`voicemock-run`), the page's title.
    cmd.build();
    let mut written = 0;
    let mut write = |name: String, page: String| -> anyhow::Result<()> {
        let path = dir.join(format!("{name}.1"));
        std::fs::write(&path, page).with_context(|| format!("writing {}", path.display()))?;
        written += 1;
        Ok(())
    };
    write(BIN.to_string(), render(&cmd)?)?;
    for sub in cmd
        .get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
    {
        write(format!("{BIN}-{}", sub.get_name()), render(sub)?)?;
    }
    outln(format_args!(
        "Wrote {written} manual pages to {}; read them with `man voicemock` once that folder \
         is on MANPATH",
        dir.display()
    ));
    Ok(())
}
