//! `voicemock packs new`: a commented starter pack, written next to the schema that lets an
//! editor check it. The template (`starter.toml`) is a real pack: a test parses every starter.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::{built_in_names, MAX_ID_LEN, SCHEMA, SCHEMA_FILE};

const TEMPLATE: &str = include_str!("starter.toml");

/// A pack name is typed after `--pack` and becomes a file name: the same plain form as an id.
pub fn check_name(name: &str) -> Result<(), String> {
    let plain = name
        .chars()
        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if name.is_empty()
        || name.chars().count() > MAX_ID_LEN
        || !plain
        || !name.starts_with(|c: char| c.is_ascii_alphanumeric())
    {
        return Err(format!(
            "{name:?} is not a usable pack name: use up to {MAX_ID_LEN} lowercase letters, \
             digits, `-` and `_`, starting with a letter or digit (it is typed after --pack and \
             names the file)"
        ));
    }
    Ok(())
}

/// "sales-lead" => "Sales lead": a title to start from.
fn title_of(name: &str) -> String {
    let words = name.replace(['-', '_'], " ");
    let mut chars = words.chars();
    match chars.next() {
        Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
        None => String::new(),
    }
}

/// The starter pack's text for `name` (already checked with [`check_name`]).
pub fn text(name: &str) -> String {
    TEMPLATE
        .replace("{name}", name)
        .replace("{title}", &title_of(name))
}

/// What [`write`] wrote.
#[derive(Debug)]
pub struct Written {
    pub pack: PathBuf,
    /// The schema written next to the pack; `None` when one was there already (kept as it is).
    pub schema: Option<PathBuf>,
}

/// Write the starter for `name` to `output`, or else to `dir/NAME.toml`. Never overwrites: an
/// existing pack file is an error, an existing schema file is kept. A name that a built-in pack
/// has is refused for `dir/NAME.toml`, since `--pack NAME` would choose the built-in.
pub fn write(name: &str, dir: &Path, output: Option<&Path>) -> Result<Written, String> {
    check_name(name)?;
    let path = match output {
        Some(path) => path.to_path_buf(),
        None => {
            if built_in_names().contains(&name) {
                return Err(format!(
                    "`{name}` is the name of a built-in pack, which `--pack {name}` would choose \
                     instead; pick another name (or give --output FILE)"
                ));
            }
            dir.join(format!("{name}.toml"))
        }
    };
    let folder = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&folder)
        .map_err(|e| format!("cannot create the folder {}: {e}", folder.display()))?;
    create_new(&path, &text(name)).map_err(|e| {
        if e.kind() == std::io::ErrorKind::AlreadyExists {
            format!(
                "{} already exists; it was left as it is (choose another name, or --output FILE)",
                path.display()
            )
        } else {
            format!("cannot write {}: {e}", path.display())
        }
    })?;
    let schema_path = folder.join(SCHEMA_FILE);
    let schema = match create_new(&schema_path, SCHEMA) {
        Ok(()) => Some(schema_path),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => None,
        Err(e) => {
            return Err(format!(
                "wrote {}, but cannot write the schema {}: {e}",
                path.display(),
                schema_path.display()
            ))
        }
    };
    Ok(Written { pack: path, schema })
}

/// Write a file that must not exist yet; a half-written file is removed.
fn create_new(path: &Path, text: &str) -> std::io::Result<()> {
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)?;
    if let Err(e) = file
        .write_all(text.as_bytes())
        .and_then(|()| file.sync_all())
    {
        drop(file);
        let _ = std::fs::remove_file(path);
        return Err(e);
    }
    Ok(())
}
