//! `stepwise validate DEFINITION [--type STANDARD|EXPRESS] [--json]`.
//!
//! `--json` prints exactly `{"diagnostics":[...]}` (shared/conformance/FORMAT.md); without it the
//! diagnostics are rendered like a compiler's. Exit 1 when any diagnostic is an error, 0
//! otherwise, 2 when the file cannot be read.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use stepwise_asl::{Format, Options, Severity, WorkflowType};

/// The workflow type, as `--type` spells it.
#[derive(Clone, Copy, clap::ValueEnum)]
#[clap(rename_all = "UPPER")]
pub(crate) enum Type {
    Standard,
    Express,
}

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The ASL definition (.asl.json, .asl.yaml, .asl.yml).
    definition: PathBuf,
    /// The workflow type; EXPRESS forbids .sync, .waitForTaskToken and activities.
    #[arg(long = "type", value_enum, default_value = "STANDARD", ignore_case = true)]
    workflow_type: Type,
    /// Print {"diagnostics": [...]} as one JSON object.
    #[arg(long)]
    json: bool,
}

pub(crate) fn main(args: Args) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(&args.definition)
        .with_context(|| format!("reading {}", args.definition.display()))?;
    let name = args.definition.display().to_string();
    let options = Options {
        workflow_type: match args.workflow_type {
            Type::Standard => WorkflowType::Standard,
            Type::Express => WorkflowType::Express,
        },
    };
    let (text, parsed) = stepwise_asl::check_bytes(&bytes, Format::from_path(&name), &options);
    let has_errors = parsed.diagnostics.iter().any(|d| d.severity == Severity::Error);
    if args.json {
        let out = serde_json::json!({ "diagnostics": parsed.diagnostics });
        println!("{out}");
    } else {
        print!("{}", stepwise_asl::render(&text, &name, &parsed.diagnostics));
    }
    Ok(if has_errors { ExitCode::from(1) } else { ExitCode::SUCCESS })
}
