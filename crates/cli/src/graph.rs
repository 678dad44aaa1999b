use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The ASL definition (.asl.json).
    definition: PathBuf,
}

pub(crate) fn main(args: Args) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.definition)
        .with_context(|| format!("reading {}", args.definition.display()))?;
    let parsed = stepwise_asl::parse(&text);
    let definition = parsed.definition.context("the definition could not be parsed")?;
    print!("{}", stepwise_graph::render_text(&stepwise_graph::StateGraph::project(&definition)));
    Ok(ExitCode::SUCCESS)
}
