use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use stepwise_api::Session;
use stepwise_api::wire::{ExportImage, LaunchDocument};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The ASL definition (.asl.json, .asl.yaml).
    definition: PathBuf,
    /// The image file to write; its extension (.svg or .png) picks the format.
    #[arg(short, long)]
    output: PathBuf,
}

pub(crate) fn main(args: Args) -> anyhow::Result<ExitCode> {
    let format = match args.output.extension().and_then(|e| e.to_str()) {
        Some("svg") => "svg",
        Some("png") => "png",
        _ => anyhow::bail!("{}: the output must end in .svg or .png", args.output.display()),
    };
    let definition = std::fs::canonicalize(&args.definition)
        .with_context(|| format!("reading {}", args.definition.display()))?;
    let mut session = Session::new(Some(definition));
    let opened = session.launch_document(LaunchDocument {})?;
    let exported = session.export_image(ExportImage {
        document_id: opened.head.document_id,
        format: format.to_owned(),
        path: args.output.display().to_string(),
    })?;
    println!("{} ({} × {})", exported.path, exported.width, exported.height);
    Ok(ExitCode::SUCCESS)
}
