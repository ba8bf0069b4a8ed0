//! `voicemock voices`: the system voices `--voice` can choose from.

use crate::cli::VoicesArgs;
use crate::speech::list_voices;
use crate::ui::{out, outln, Table};

pub fn run(args: &VoicesArgs) -> anyhow::Result<()> {
    let voices = list_voices()?;
    let shown: Vec<_> = voices
        .iter()
        .filter(|v| args.all || !v.is_variant())
        .collect();
    let mut table = Table::new().left("NAME").text("LANGUAGE");
    for v in &shown {
        table.row([v.name.as_str(), v.language.as_str()]);
    }
    out(table.fit());
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
