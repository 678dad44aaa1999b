//! `stepwise`: validate, run and inspect AWS Step Functions state machines from a terminal or CI.
//!
//! The `--json` outputs hold to the contract in shared/conformance/FORMAT.md. Exit codes: 0 when
//! the command did its job (for `run`: the execution reached a terminal status, whatever it was;
//! for `validate`: no error diagnostic; for `test`: every test case passed), 1 when `validate`
//! found errors or a `test` case failed, 2 for usage errors and
//! unreadable or invalid input.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

mod export;
mod graph;
mod run;
mod test;
mod validate;

#[derive(Parser)]
#[command(
    name = "stepwise",
    version,
    about = "Design, run and debug AWS Step Functions state machines locally"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Check a definition and report located diagnostics.
    Validate(validate::Args),
    /// Run one execution locally with a virtual clock.
    Run(run::Args),
    /// Run every test case of a mock configuration against the expectations kept beside it.
    Test(test::Args),
    /// Print the graph of a definition as text (one line per transition).
    Graph(graph::Args),
    /// Draw the graph as an SVG or PNG image, laid out as the app lays it out.
    Export(export::Args),
}

/// mimalloc rather than glibc's malloc: the interpreter, parser and validator allocate many small,
/// short-lived blocks (decision 0011).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate(args) => validate::main(args),
        Command::Run(args) => run::main(args),
        Command::Test(args) => test::main(args),
        Command::Graph(args) => graph::main(args),
        Command::Export(args) => export::main(args),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("error: {err:#}");
            ExitCode::from(2)
        }
    }
}
