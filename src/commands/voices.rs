//! `voicemock voices`: the system voices `--voice` can choose from.

use crate::cli::VoicesArgs;
use crate::speech::list_voices;

pub fn run(args: &VoicesArgs) -> anyhow::Result<()> {
    let voices = list_voices()?;
    let shown: Vec<_> = voices
        .iter()
        .filter(|v| args.all || !v.is_variant())
        .collect();
    let width = shown.iter().map(|v| v.name.len()).max().unwrap_or(4).max(4);
    println!("{:<width$}  LANGUAGE", "NAME");
    for v in &shown {
        println!("{:<width$}  {}", v.name, v.language);
    }
    let hidden = voices.len() - shown.len();
    if hidden > 0 {
        println!("({hidden} variants not shown; `voicemock voices --all` lists them)");
    }
    println!("Choose one with `voicemock run --voice NAME` (a name or part of one).");
    Ok(())
}
