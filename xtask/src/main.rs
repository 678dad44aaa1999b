//! `cargo xtask`: the project's automation, so a fresh machine needs only rustup, Node.js and npm.
//!
//! - `cargo xtask run`     installs what is missing, builds the UI and the app, opens the example.
//! - `cargo xtask test`    the same install step, then every test layer, one summary line each.
//! - `cargo xtask bench`   Stepwise's speed and memory side by side with peers, with ratios.
//! - `cargo xtask codegen` rewrites the generated TypeScript bindings and UI fixtures.

use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::{Parser, Subcommand};

mod install;

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Stepwise project automation")]
struct Cli {
    #[command(subcommand)]
    command: Task,
}

#[derive(Subcommand)]
enum Task {
    /// Install what is missing, build, and open Stepwise on a workflow (the example by default).
    Run {
        /// The workflow to open.
        workflow: Option<PathBuf>,
    },
    /// Install what is missing, then run every test layer and print one line per layer.
    Test {
        /// Skip the real-window end-to-end layer.
        #[arg(long)]
        no_e2e: bool,
    },
    /// Benchmarks: Stepwise (release build) and its peers (bench/peers, Node) on the same
    /// workloads in the same run; prints one table per section with ratios and targets.
    /// Not part of `test`: benchmarks are not tests.
    Bench {
        /// Only one section: interp (with the JSONata tables), jsonata (those alone), asl,
        /// layout, or window (the real app's window, release build, in Xvfb when there is no
        /// display).
        #[arg(long)]
        only: Option<String>,
        /// Skip the peers (Stepwise's figures only).
        #[arg(long)]
        no_peers: bool,
    },
    /// Regenerate the TypeScript bindings and the UI fixtures from the Rust types.
    Codegen,
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Task::Run { workflow } => run(workflow),
        Task::Test { no_e2e } => test(!no_e2e),
        Task::Bench { only, no_peers } => bench(only, no_peers),
        Task::Codegen => codegen(),
    };
    match result {
        Ok(code) => code,
        Err(err) => {
            eprintln!("xtask: {err:#}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root (xtask lives one level below it).
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("xtask is inside the workspace").into()
}

/// Runs a command in `dir`, echoing it, and fails when it fails.
fn sh(dir: &Path, program: &str, args: &[&str]) -> Result<()> {
    sh_env(dir, program, args, &[])
}

/// [`sh`] with extra environment variables.
fn sh_env(
    dir: &Path,
    program: &str,
    args: &[&str],
    envs: &[(&str, &std::ffi::OsStr)],
) -> Result<()> {
    eprintln!("$ {program} {}", args.join(" "));
    let status = Command::new(program)
        .args(args)
        .envs(envs.iter().copied())
        .current_dir(dir)
        .status()
        .with_context(|| format!("cannot start `{program}`"))?;
    if !status.success() {
        bail!("`{program} {}` failed ({status})", args.join(" "));
    }
    Ok(())
}

fn cargo() -> String {
    std::env::var("CARGO").unwrap_or_else(|_| "cargo".into())
}

/// Builds ui/dist and the app binary with the UI embedded.
fn build_app(root: &Path) -> Result<PathBuf> {
    sh(&root.join("ui"), "npm", &["run", "build"])?;
    sh(root, &cargo(), &["build", "-p", "stepwise-app", "--features", "custom-protocol"])?;
    Ok(root.join("target/debug/stepwise-app"))
}

fn run(workflow: Option<PathBuf>) -> Result<ExitCode> {
    let root = root();
    install::everything(&root, install::Purpose::Run)?;
    let app = build_app(&root)?;
    let workflow = workflow.unwrap_or_else(|| root.join("assets/examples/hello-world.asl.json"));
    let workflow = std::fs::canonicalize(&workflow)
        .with_context(|| format!("cannot find {}", workflow.display()))?;
    let has_display =
        std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some();
    let mut command = if has_display {
        Command::new(&app)
    } else {
        // No screen (a server, CI): run in a virtual one so the app still starts; say so.
        eprintln!("xtask: no DISPLAY; starting Stepwise inside Xvfb (nothing will be visible)");
        let mut command = Command::new("xvfb-run");
        command.args(["-a", "-s", "-screen 0 1280x800x24"]).arg(&app);
        command
    };
    eprintln!("$ {} {}", app.display(), workflow.display());
    let status = command.arg(&workflow).status().context("cannot start the app")?;
    Ok(if status.success() { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// Installs the peers (`npm ci` in bench/peers when needed), then runs the release build of
/// stepwise-bench, which generates the workloads into target/bench/, times both sides and prints
/// the tables (see docs/decisions/0008-benchmarks.md).
fn bench(only: Option<String>, no_peers: bool) -> Result<ExitCode> {
    let root = root();
    if only.as_deref() == Some("window") {
        window_bench(&root)?;
        return Ok(ExitCode::SUCCESS);
    }
    if !no_peers {
        install::npm_ci(&root.join("bench/peers"))?;
    }
    let mut args = vec!["run", "--release", "-q", "-p", "stepwise-bench", "--"];
    if let Some(section) = &only {
        args.extend(["--only", section.as_str()]);
    }
    if no_peers {
        args.push("--no-peers");
    }
    sh(&root, &cargo(), &args)?;
    if only.is_none() {
        window_bench(&root)?;
    }
    Ok(ExitCode::SUCCESS)
}

/// The window's figures (tests/e2e/tests/window_bench.rs): the release app with its UI
/// embedded, driven through tauri-driver like the end-to-end tests.
fn window_bench(root: &Path) -> Result<()> {
    let cargo = cargo();
    install::everything(root, install::Purpose::Test)?;
    sh(&root.join("ui"), "npm", &["run", "build"])?;
    sh(
        root,
        &cargo,
        &["build", "--release", "-p", "stepwise-app", "--features", "custom-protocol"],
    )?;
    sh(root, &cargo, &["test", "-p", "stepwise-e2e", "--test", "window_bench", "--no-run"])?;
    let driver = std::env::var_os("TAURI_DRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| install::cargo_home().join("bin/tauri-driver"));
    let app = root.join("target/release/stepwise-app");
    let envs = [("TAURI_DRIVER", driver.as_os_str()), ("STEPWISE_APP", app.as_os_str())];
    let test = [
        cargo.as_str(),
        "test",
        "-q",
        "-p",
        "stepwise-e2e",
        "--test",
        "window_bench",
        "--",
        "--ignored",
        "--nocapture",
    ];
    if std::env::var_os("DISPLAY").is_some() {
        sh_env(root, test[0], &test[1..], &envs)
    } else {
        let mut args = vec!["900", "xvfb-run", "-a", "-s", "-screen 0 1280x800x24"];
        args.extend(test);
        sh_env(root, "timeout", &args, &envs)
    }
}

fn codegen() -> Result<ExitCode> {
    let root = root();
    eprintln!("$ UPDATE_EXPECT=1 cargo test -p stepwise-api");
    let status = Command::new(cargo())
        .args(["test", "-q", "-p", "stepwise-api"])
        .env("UPDATE_EXPECT", "1")
        .current_dir(&root)
        .status()?;
    if !status.success() {
        bail!("codegen failed");
    }
    Ok(ExitCode::SUCCESS)
}

/// One test layer's outcome.
struct Layer {
    name: &'static str,
    passed: bool,
    seconds: f64,
    note: String,
}

fn layer(layers: &mut Vec<Layer>, name: &'static str, body: impl FnOnce() -> Result<()>) {
    eprintln!("\n=== {name} ===");
    let started = Instant::now();
    let outcome = body();
    let seconds = started.elapsed().as_secs_f64();
    let note = match &outcome {
        Ok(()) => String::new(),
        Err(err) => format!("{err:#}"),
    };
    layers.push(Layer { name, passed: outcome.is_ok(), seconds, note });
}

/// [`layer`] for a body that reports a one-line result (shown in the summary).
fn layer_noted(layers: &mut Vec<Layer>, name: &'static str, body: impl FnOnce() -> Result<String>) {
    let mut note = String::new();
    layer(layers, name, || {
        note = body()?;
        Ok(())
    });
    if let Some(l) = layers.last_mut()
        && l.passed
    {
        l.note = note;
    }
}

/// The official JSONata test suite ships inside the jsonata-rs crate's source: cargo fetches
/// that crate (nothing is compiled) and the engine's suite test runs over it, printing the
/// pass count; it fails under the bar of decision 0009.
fn jsonata_suite(root: &Path) -> Result<String> {
    const CRATE: &str = "jsonata-rs-0.3.4";
    let fetch = root.join("target/jsonata-suite-fetch");
    std::fs::create_dir_all(fetch.join("src"))?;
    std::fs::write(
        fetch.join("Cargo.toml"),
        "[package]\nname = \"jsonata-suite-fetch\"\nversion = \"0.0.0\"\nedition = \"2021\"\npublish = false\n\n[dependencies]\njsonata-rs = \"=0.3.4\"\n\n[workspace]\n",
    )?;
    std::fs::write(fetch.join("src/lib.rs"), "")?;
    let cargo = cargo();
    sh(&fetch, &cargo, &["fetch", "--quiet"])?;
    let home = std::env::var_os("CARGO_HOME").map(PathBuf::from).unwrap_or_else(|| {
        PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cargo")
    });
    let suite = std::fs::read_dir(home.join("registry/src"))
        .context("the cargo registry has no sources")?
        .flatten()
        .map(|index| index.path().join(CRATE).join("tests/testsuite"))
        .find(|p| p.is_dir())
        .with_context(|| format!("{CRATE}/tests/testsuite not found after cargo fetch"))?;
    eprintln!("$ cargo test -p stepwise-jsonata --test suite (suite: {})", suite.display());
    let out = Command::new(&cargo)
        .args(["test", "-p", "stepwise-jsonata", "--test", "suite", "--", "--nocapture"])
        .env("STEPWISE_JSONATA_SUITE", &suite)
        .env("STEPWISE_JSONATA_SUITE_REQUIRED", "1")
        .current_dir(root)
        .output()
        .context("cannot start cargo")?;
    let stderr = String::from_utf8_lossy(&out.stderr);
    eprint!("{stderr}");
    print!("{}", String::from_utf8_lossy(&out.stdout));
    let line = stderr.lines().find(|l| l.starts_with("jsonata suite:")).unwrap_or("").to_owned();
    if !out.status.success() {
        bail!("the JSONata suite failed: {line}");
    }
    Ok(line)
}

/// The crates that must never depend on tauri, nor the interpreter on layout.
const UI_FREE: &[&str] = &[
    "stepwise-value",
    "stepwise-jsonata",
    "stepwise-asl",
    "stepwise-graph",
    "stepwise-layout",
    "stepwise-interp",
    "stepwise-store",
    "stepwise-api",
    "stepwise-cli",
    "stepwise-bench",
];

/// `cargo tree -i X` exits non-zero when X is not in the selected crates' graph.
fn must_not_depend(root: &Path, crates: &[&str], forbidden: &str) -> Result<()> {
    let mut args = vec!["tree", "-q", "-e", "normal,build", "-i", forbidden];
    for name in crates {
        args.extend(["-p", name]);
    }
    let output = Command::new(cargo()).args(&args).current_dir(root).output()?;
    if output.status.success() {
        bail!(
            "{} depend(s) on {forbidden}:\n{}",
            crates.join(", "),
            String::from_utf8_lossy(&output.stdout)
        );
    }
    Ok(())
}

fn test(with_e2e: bool) -> Result<ExitCode> {
    let root = root();
    let started = Instant::now();
    install::everything(
        &root,
        if with_e2e { install::Purpose::Test } else { install::Purpose::Run },
    )?;
    let ui = root.join("ui");
    let cargo = cargo();
    let features = ["--features", "stepwise-app/custom-protocol"];
    let mut layers = Vec::new();

    // The app embeds ui/dist at compile time, so the UI is built before any layer compiles it.
    layer(&mut layers, "ui build (tsc + vite)", || sh(&ui, "npm", &["run", "build"]));
    layer(&mut layers, "rustfmt", || sh(&root, &cargo, &["fmt", "--all", "--", "--check"]));
    layer(&mut layers, "dependency rules", || {
        must_not_depend(&root, UI_FREE, "tauri")?;
        must_not_depend(&root, &["stepwise-interp"], "petgraph")?;
        must_not_depend(&root, &["stepwise-interp"], "layout-rs")
    });
    layer(&mut layers, "clippy (warnings denied)", || {
        let mut args = vec!["clippy", "--workspace", "--all-targets"];
        args.extend(features);
        args.extend(["--", "-D", "warnings"]);
        sh(&root, &cargo, &args)
    });
    layer_noted(&mut layers, "JSONata official suite", || jsonata_suite(&root));
    layer(&mut layers, "cargo test (workspace)", || {
        let mut args = vec!["test", "--workspace", "--exclude", "stepwise-e2e"];
        args.extend(features);
        sh(&root, &cargo, &args)
    });
    layer(&mut layers, "ui typecheck", || sh(&ui, "npm", &["run", "typecheck"]));
    layer(&mut layers, "ui lint", || sh(&ui, "npm", &["run", "lint"]));
    layer(&mut layers, "ui unit tests (vitest)", || sh(&ui, "npm", &["test"]));
    if with_e2e {
        layer(&mut layers, "end-to-end (real window)", || e2e(&root));
    }

    eprintln!("\n=== summary ({:.0} s) ===", started.elapsed().as_secs_f64());
    let failed = layers.iter().filter(|l| !l.passed).count();
    for l in &layers {
        let verdict = if l.passed { "PASS" } else { "FAIL" };
        let first_line = l.note.lines().next().unwrap_or("");
        println!("{verdict}  {:<28} {:>6.1} s  {first_line}", l.name, l.seconds);
    }
    println!("layers: {} passed, {failed} failed", layers.len() - failed);
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::FAILURE })
}

/// Builds the app and runs the WebDriver tests against it, inside Xvfb when there is no display.
fn e2e(root: &Path) -> Result<()> {
    let cargo = cargo();
    sh(root, &cargo, &["build", "-p", "stepwise-app", "--features", "custom-protocol"])?;
    sh(root, &cargo, &["test", "-p", "stepwise-e2e", "--no-run"])?;
    // `cargo install` put tauri-driver in $CARGO_HOME/bin, which need not be on PATH.
    let driver = std::env::var_os("TAURI_DRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| install::cargo_home().join("bin/tauri-driver"));
    let envs = [("TAURI_DRIVER", driver.as_os_str())];
    let test = [cargo.as_str(), "test", "-p", "stepwise-e2e", "--", "--test-threads=1"];
    let has_display = std::env::var_os("DISPLAY").is_some();
    if has_display {
        sh_env(root, test[0], &test[1..], &envs)
    } else {
        // A hung window must not hang CI: the whole layer gets 15 minutes.
        let mut args = vec!["900", "xvfb-run", "-a", "-s", "-screen 0 1280x800x24"];
        args.extend(test);
        sh_env(root, "timeout", &args, &envs)
    }
}
