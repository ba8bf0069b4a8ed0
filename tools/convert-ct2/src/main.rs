//! `convert-ct2 MODEL_DIR --mel-filters NPY --vocab FILE --out OUT`: the converter
//! `scripts/test-model` builds the test model with. A developer tool of the workspace, kept out
//! of the `voicemock` binary users install.

mod ct2;

use std::path::PathBuf;
use std::process::ExitCode;

const USAGE: &str = "usage: convert-ct2 MODEL_DIR --mel-filters NPY --vocab FILE --out OUT";

fn main() -> ExitCode {
    let (model_dir, mel, vocab, out) = match parse(std::env::args().skip(1)) {
        Ok(args) => args,
        Err(e) => {
            eprintln!("convert-ct2: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    match ct2::convert(&model_dir, &mel, &vocab, &out) {
        Ok(s) => {
            println!(
                "wrote {} ({} tensors, {} encoder and {} decoder layers, {} tokens, {} bytes)",
                out.display(),
                s.tensors,
                s.encoder_layers,
                s.decoder_layers,
                s.n_vocab,
                s.bytes
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("convert-ct2: converting the CTranslate2 model: {e}");
            ExitCode::FAILURE
        }
    }
}

type Args = (PathBuf, PathBuf, PathBuf, PathBuf);

fn parse(mut args: impl Iterator<Item = String>) -> Result<Args, String> {
    let (mut dir, mut mel, mut vocab, mut out) = (None, None, None, None);
    while let Some(arg) = args.next() {
        let slot = match arg.as_str() {
            "--mel-filters" => &mut mel,
            "--vocab" => &mut vocab,
            "--out" => &mut out,
            flag if flag.starts_with('-') => return Err(format!("unknown option {flag}")),
            _ => {
                if dir.replace(PathBuf::from(&arg)).is_some() {
                    return Err(format!("one model folder only (also given {arg})"));
                }
                continue;
            }
        };
        let value = args.next().ok_or_else(|| format!("{arg} needs a value"))?;
        *slot = Some(PathBuf::from(value));
    }
    let need = |v: Option<PathBuf>, what: &str| v.ok_or_else(|| format!("{what} is missing"));
    Ok((
        need(dir, "MODEL_DIR")?,
        need(mel, "--mel-filters")?,
        need(vocab, "--vocab")?,
        need(out, "--out")?,
    ))
}
