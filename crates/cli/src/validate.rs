use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The ASL definition (.asl.json).
    definition: PathBuf,
    /// The workflow type; EXPRESS forbids some integrations.
    #[arg(long = "type", default_value = "STANDARD")]
    workflow_type: String,
    /// Print {"diagnostics": [...]} as one JSON object.
    #[arg(long)]
    json: bool,
}

pub(crate) fn main(args: Args) -> anyhow::Result<ExitCode> {
    let text = std::fs::read_to_string(&args.definition)
        .with_context(|| format!("reading {}", args.definition.display()))?;
    let parsed = stepwise_asl::parse(&text);
    let has_errors = parsed.diagnostics.iter().any(|d| d.severity == stepwise_asl::Severity::Error);
    if args.json {
        let out = serde_json::json!({ "diagnostics": parsed.diagnostics });
        println!("{out}");
    } else {
        for d in &parsed.diagnostics {
            println!(
                "{}:{}:{}: {:?} {}: {}",
                args.definition.display(),
                d.range.start.line + 1,
                d.range.start.column + 1,
                d.severity,
                d.code,
                d.message
            );
        }
    }
    Ok(if has_errors { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
