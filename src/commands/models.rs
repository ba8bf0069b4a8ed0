//! `voicemock models`: lists the installed transcription models; `models add FILE` installs
//! one the user has (after loading it); `models fetch NAME` downloads an official one, the only
//! network use in voicemock, and only when the user runs it.

use anyhow::{bail, Context};

use crate::cli::{ModelsAction, ModelsArgs};
use crate::models::{self, ModelStore};
use crate::ui::{out, outln, outln_fit, Table};

/// What a build without the `transcribe` feature says when asked to transcribe.
pub const NOT_BUILT_IN: &str = "this voicemock was built without transcription (the cargo \
     feature `transcribe`); rebuild it with the default features to use models and transcripts";

pub fn run(args: &ModelsArgs) -> anyhow::Result<()> {
    match &args.action {
        None => list(),
        Some(ModelsAction::Add { file, name }) => add(file, name.as_deref()),
        Some(ModelsAction::Fetch {
            name,
            base_url,
            sha1,
        }) => fetch(name, base_url.as_deref(), sha1.as_deref()),
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.0} MiB", bytes as f64 / (1024.0 * 1024.0))
}

fn list() -> anyhow::Result<()> {
    let store = ModelStore::locate()?;
    let installed = store.list()?;
    outln(format!("models in {}", store.dir().display()));
    if installed.is_empty() {
        outln_fit(format!("  none installed. {}", models::how_to_get_one()));
    } else {
        let default = store.resolve(None).ok();
        let mut table = Table::new().indent(2).left("name").right("size").text("");
        for m in &installed {
            let used = default.as_ref() == Some(&m.path);
            table.row([
                m.name.clone(),
                mib(m.bytes),
                if used { "(used by default)" } else { "" }.to_string(),
            ]);
        }
        out(table.fit());
    }
    outln("official models (voicemock models fetch NAME):");
    let mut table = Table::new().indent(2).left("name").right("size").text("");
    for o in models::OFFICIAL {
        let have = installed.iter().any(|m| m.name == o.name);
        table.row([
            o.name.to_string(),
            format!("{} MiB", o.size_mib),
            format!("{}{}", o.note, if have { " [installed]" } else { "" }),
        ]);
    }
    out(table.fit());
    if !crate::transcribe::AVAILABLE {
        outln(format!("note: {NOT_BUILT_IN}"));
    }
    Ok(())
}

#[cfg(feature = "transcribe")]
fn add(file: &std::path::Path, name: Option<&str>) -> anyhow::Result<()> {
    let name = match name {
        Some(n) => n.to_string(),
        None => models::name_for_file(file)?,
    };
    let store = ModelStore::locate()?;
    let dest = store.path_of(&name)?;
    if dest.exists() {
        bail!(
            "a model named `{name}` is already installed ({}); remove it first or choose another \
             name with --name",
            dest.display()
        );
    }
    // Opened without waiting: a FIFO or a device is named for what it is.
    let source = crate::files::open_regular(file)
        .map_err(|e| anyhow::anyhow!("{}: {e}; it was not installed", file.display()))?;
    store.create_dir()?;
    // The copy is what is checked and then renamed, so the file installed is the file that
    // proved it loads and transcribes (in a child process: a damaged model can abort
    // whisper.cpp) and nobody can swap it in between.
    let tmp = store.adding_path_of(&name)?;
    let copied = copy_private(source, file, &tmp);
    let checked = copied.and_then(|()| {
        crate::transcribe::check_model(&tmp).map_err(|e| {
            anyhow::anyhow!(e
                .to_string()
                .replace(&*tmp.to_string_lossy(), &file.to_string_lossy()))
        })
    });
    if let Err(e) = checked {
        let _ = std::fs::remove_file(&tmp);
        return Err(e.context(format!(
            "{} was not installed: whisper.cpp cannot load it and transcribe a test signal",
            file.display()
        )));
    }
    std::fs::rename(&tmp, &dest).with_context(|| format!("installing {}", dest.display()))?;
    outln(format!("installed {name} as {}", dest.display()));
    Ok(())
}

/// Copies `from` into a new file only its owner can read (`fs::copy` would keep the source's
/// permissions).
#[cfg(feature = "transcribe")]
fn copy_private(
    mut source: std::fs::File,
    from: &std::path::Path,
    to: &std::path::Path,
) -> anyhow::Result<()> {
    let mut dest = models::open_private(to, false)
        .with_context(|| format!("cannot write {}", to.display()))?;
    std::io::copy(&mut source, &mut dest)
        .and_then(|_| dest.sync_all())
        .with_context(|| format!("copying {} to {}", from.display(), to.display()))?;
    Ok(())
}

#[cfg(feature = "transcribe")]
fn fetch(name: &str, base_url: Option<&str>, sha1: Option<&str>) -> anyhow::Result<()> {
    use crate::models::fetch::{fetch, Progress};

    struct Bar(Option<crate::ui::DownloadBar>);
    impl Progress for Bar {
        fn start(&mut self, resumed_from: u64, total: Option<u64>) {
            self.0 = Some(crate::ui::DownloadBar::new(total, resumed_from));
        }
        fn advance(&mut self, done: u64) {
            if let Some(b) = &self.0 {
                b.set(done);
            }
        }
    }

    let official = models::official(name)?;
    let store = ModelStore::locate()?;
    let dest = store.path_of(name)?;
    if dest.exists() {
        outln(format!("{name} is already installed: {}", dest.display()));
        return Ok(());
    }
    let url = format!(
        "{}/ggml-{name}.bin",
        base_url
            .unwrap_or(models::OFFICIAL_BASE_URL)
            .trim_end_matches('/')
    );
    let sha1 = sha1.unwrap_or(official.sha1);
    store.create_dir()?;
    let partial = store.partial_path_of(name)?;
    let resuming = partial.metadata().map(|m| m.len()).unwrap_or(0);
    outln(format!(
        "downloading {name} (about {} MiB) from {url}{}",
        official.size_mib,
        if resuming > 0 {
            format!(", resuming after {}", mib(resuming))
        } else {
            String::new()
        }
    ));
    outln(format!("to {}; its SHA-1 must be {sha1}", dest.display()));
    let mut bar = Bar(None);
    let result = fetch(&url, sha1, &partial, &dest, &mut bar);
    if let Some(b) = bar.0.take() {
        b.finish();
    }
    let fetched = result.with_context(|| format!("{name} was not installed"))?;
    outln(format!(
        "installed {name} ({}, checksum verified): {}",
        mib(fetched.bytes),
        dest.display()
    ));
    Ok(())
}

#[cfg(not(feature = "transcribe"))]
fn add(_file: &std::path::Path, _name: Option<&str>) -> anyhow::Result<()> {
    bail!("{NOT_BUILT_IN}")
}

#[cfg(not(feature = "transcribe"))]
fn fetch(_name: &str, _base_url: Option<&str>, _sha1: Option<&str>) -> anyhow::Result<()> {
    bail!("{NOT_BUILT_IN}")
}
