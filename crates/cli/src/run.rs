use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The ASL definition (.asl.json, .asl.yaml).
    definition: PathBuf,
    /// The execution input (JSON).
    #[arg(long)]
    input_file: Option<PathBuf>,
    /// Print one JSON object (status, output, error, cause, events).
    #[arg(long)]
    json: bool,
}

pub(crate) fn main(_args: Args) -> anyhow::Result<ExitCode> {
    // The interpreter lands with issue #4.
    anyhow::bail!("`stepwise run` is not available yet: the interpreter is issue #4")
}
