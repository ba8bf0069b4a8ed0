//! `voicemock voices`: the system voices `--voice` can choose from.

use crate::cli::VoicesArgs;
use crate::speech::list_voices;
use crate::ui::outln;

pub fn run(args: &VoicesArgs) -> anyhow::Result<()> {
    let voices = list_voices()?;
    let shown: Vec<_> = voices
        .iter()
        .filter(|v| args.all || !v.is_variant())
        .collect();
    let width = shown.iter().map(|v| v.name.len()).max().unwrap_or(4).max(4);
    outln(format_args!("{:<width$}  LANGUAGE", "NAME"));
    for v in &shown {
        outln(format_args!("{:<width$}  {}", v.name, v.language));
    }
    let hidden = voices.len() - shown.len();
    if hidden > 0 {
        outln(format_args!(
            "({hidden} variants not shown; `voicemock voices --all` lists them)"
        ));
    }
    outln(format_args!(
        "Choose one with `voicemock run --voice NAME` (a name or part of one)."
    ));
    Ok(())
}
