//! `stepwise run`: one execution to a terminal status, with the virtual clock.
//!
//! Holds to shared/conformance/FORMAT.md: with `--json`, one JSON object on stdout
//! (`status`, `output` when SUCCEEDED, `error`/`cause` otherwise, `events` shaped like
//! GetExecutionHistory); exit code 0 whatever the terminal status; 2 for usage errors, unreadable
//! files, an invalid definition or mock file (diagnostics on stderr).
//!
//! Runs are reproducible: logical time starts at a fixed origin (2024-01-01T00:00:00Z) unless
//! `--start-time` says otherwise (`now` reads the wall clock, here in the CLI, never in the
//! interpreter), and the random source is seeded with `--seed` (default 0).

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use serde_json::{Map, Value};
use stepwise_interp::mock::MockConfig;
use stepwise_interp::{Options, Ports, Status};

#[derive(clap::Args)]
pub(crate) struct Args {
    /// The ASL definition (.asl.json, .json, .asl.yaml, .yaml, .yml).
    definition: PathBuf,
    /// The execution input (JSON); `{}` when omitted.
    #[arg(long)]
    input_file: Option<PathBuf>,
    /// A mock configuration in the AWS Step Functions Local format.
    #[arg(long, requires = "test_case")]
    mock_config: Option<PathBuf>,
    /// The test case of the mock configuration to use.
    #[arg(long, requires = "mock_config")]
    test_case: Option<String>,
    /// The state machine name (mock lookup, ARNs, `$$.StateMachine.Name`); defaults to the
    /// definition's file name without its extensions.
    #[arg(long)]
    state_machine_name: Option<String>,
    /// The execution name (`$$.Execution.Name`).
    #[arg(long, default_value = "local")]
    execution_name: String,
    /// Seed of the random source (retry jitter, States.MathRandom, States.UUID).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Logical start time: an RFC 3339 timestamp, or `now` for the wall clock.
    #[arg(long)]
    start_time: Option<String>,
    /// Answer a Task state with a local command: `STATE=COMMAND` (repeatable). The command gets
    /// the task input as JSON on stdin and prints the result on stdout. Mocks are tried first.
    #[arg(long = "task-handler", value_name = "STATE=COMMAND")]
    task_handlers: Vec<String>,
    /// Answer a Task state with an HTTP endpoint on this machine: `STATE=URL` (repeatable; only
    /// loopback hosts: 127.0.0.0/8, [::1], localhost). The task input is POSTed as JSON; a 2xx
    /// body is the result, any other status fails the task (with the body's Error/Cause when it
    /// has them). Tried after mocks and command handlers.
    #[arg(long = "task-http", value_name = "STATE=URL")]
    task_http: Vec<String>,
    /// The local directory standing in for Amazon S3 (Distributed Map ItemReader):
    /// `s3://BUCKET/KEY` is read from `DIR/BUCKET/KEY`. Defaults to the definition's directory.
    #[arg(long, value_name = "DIR")]
    s3_root: Option<PathBuf>,
    /// How long an HTTP handler may take to answer, in seconds.
    #[arg(long, default_value_t = 30.0)]
    handler_timeout: f64,
    /// In the readable output, show each state's data flow (input, afterInputPath,
    /// afterParameters, result, afterResultSelector, afterResultPath, output).
    #[arg(long)]
    trace: bool,
    /// Print one JSON object (status, output, error, cause, events; mapRuns when a Distributed
    /// Map ran: its child executions, which --redrive continues).
    #[arg(long)]
    json: bool,
    /// Redrive an unsuccessful execution (AWS RedriveExecution): FILE is what `stepwise run
    /// --json` printed for it; the run continues from where it stopped, with the input its
    /// history records (--input-file is not read), and prints the whole history again.
    #[arg(long, value_name = "FILE", conflicts_with = "input_file")]
    redrive: Option<PathBuf>,
    /// The workflow type: EXPRESS refuses .sync, .waitForTaskToken and activities and runs for at
    /// most five minutes.
    #[arg(long = "type", value_enum, default_value = "STANDARD", ignore_case = true)]
    workflow_type: crate::validate::Type,
}

/// `order.asl.json` → `order`.
pub(crate) fn default_name(path: &Path) -> String {
    let file = path.file_name().and_then(|f| f.to_str()).unwrap_or("StateMachine");
    let stem = file.split('.').next().unwrap_or(file);
    if stem.is_empty() { file.to_owned() } else { stem.to_owned() }
}

fn read_definition(path: &Path) -> anyhow::Result<String> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    let is_yaml =
        path.extension().and_then(|e| e.to_str()).is_some_and(|e| e == "yaml" || e == "yml");
    if !is_yaml {
        return Ok(text);
    }
    let value: Value = serde_yaml_ng::from_str(&text)
        .with_context(|| format!("{} is not valid YAML", path.display()))?;
    Ok(serde_json::to_string_pretty(&value)?)
}

pub(crate) fn start_time(arg: Option<&str>) -> anyhow::Result<i64> {
    match arg {
        None => Ok(Options::default().start_time_ms),
        Some("now") => {
            #[allow(clippy::disallowed_methods)] // The CLI, not the interpreter, reads the clock.
            let now = std::time::SystemTime::now();
            Ok(now.duration_since(std::time::UNIX_EPOCH).map(|d| d.as_millis() as i64).unwrap_or(0))
        }
        Some(s) => Ok(chrono::DateTime::parse_from_rfc3339(s)
            .with_context(|| format!("--start-time {s:?} is not an RFC 3339 timestamp"))?
            .timestamp_millis()),
    }
}

/// Reads, validates and compiles a definition: the validator's errors refuse it.
pub(crate) fn load_plan(path: &Path) -> anyhow::Result<stepwise_interp::states::Machine> {
    load_plan_as(path, stepwise_asl::WorkflowType::Standard)
}

/// [`load_plan`], validated for a workflow type (EXPRESS refuses .sync, callbacks, activities).
pub(crate) fn load_plan_as(
    path: &Path,
    workflow_type: stepwise_asl::WorkflowType,
) -> anyhow::Result<stepwise_interp::states::Machine> {
    let text = read_definition(path)?;
    let options = stepwise_asl::Options { workflow_type };
    let parsed = stepwise_asl::check(&text, stepwise_asl::Format::sniff(&text), &options);
    let errors: Vec<_> =
        parsed.diagnostics.iter().filter(|d| d.severity == stepwise_asl::Severity::Error).collect();
    if !errors.is_empty() {
        for d in &errors {
            // Printed through serde so this keeps working while the diagnostic type evolves.
            let v = serde_json::to_value(d).unwrap_or(Value::Null);
            let field =
                |k: &str| v.get(k).map(|x| x.as_str().map(str::to_owned).unwrap_or(x.to_string()));
            eprintln!(
                "{}: error {}: {} (at {})",
                path.display(),
                field("code").unwrap_or_default(),
                field("message").unwrap_or_default(),
                field("path").or_else(|| field("pointer")).unwrap_or_default(),
            );
        }
        bail!("the definition is invalid; nothing was run");
    }
    let definition = parsed.value.context("the definition could not be parsed")?;
    stepwise_interp::compile(&definition)
        .map_err(|e| anyhow::anyhow!("{}: cannot run this definition: {e}", path.display()))
}

/// Reads and parses a JSON file.
pub(crate) fn read_json(path: &Path) -> anyhow::Result<Value> {
    let t = std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_json::from_str(&t).with_context(|| format!("{} is not valid JSON", path.display()))
}

pub(crate) fn main(args: Args) -> anyhow::Result<ExitCode> {
    let express = matches!(args.workflow_type, crate::validate::Type::Express);
    let workflow_type = if express {
        stepwise_asl::WorkflowType::Express
    } else {
        stepwise_asl::WorkflowType::Standard
    };
    let plan = load_plan_as(&args.definition, workflow_type)?;

    let input: Value = match &args.input_file {
        Some(p) => {
            let t =
                std::fs::read_to_string(p).with_context(|| format!("reading {}", p.display()))?;
            serde_json::from_str(&t)
                .with_context(|| format!("{} is not valid JSON", p.display()))?
        }
        None => Value::Object(Map::new()),
    };
    let sm_name = args.state_machine_name.clone().unwrap_or_else(|| default_name(&args.definition));
    let mut backends: Vec<Box<dyn stepwise_interp::ports::TaskInvoker>> = Vec::new();
    if let (Some(path), Some(case)) = (&args.mock_config, &args.test_case) {
        let t =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let v: Value = serde_json::from_str(&t)
            .with_context(|| format!("{} is not valid JSON", path.display()))?;
        let cfg = MockConfig::parse(&v).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        let invoker =
            cfg.invoker(&sm_name, case).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))?;
        backends.push(Box::new(invoker));
    }
    if !args.task_handlers.is_empty() {
        let mut handlers = stepwise_interp::handlers::CommandHandlers::default();
        for spec in &args.task_handlers {
            handlers.parse_spec(spec).map_err(|e| anyhow::anyhow!("--task-handler: {e}"))?;
        }
        backends.push(Box::new(handlers));
    }
    if !args.task_http.is_empty() {
        let mut handlers = stepwise_interp::handlers::HttpHandlers::default();
        let timeout = std::time::Duration::try_from_secs_f64(args.handler_timeout)
            .ok()
            .filter(|d| !d.is_zero())
            .context("--handler-timeout must be a positive number of seconds")?;
        handlers.set_timeout(timeout);
        for spec in &args.task_http {
            handlers.parse_spec(spec).map_err(|e| anyhow::anyhow!("--task-http: {e}"))?;
        }
        backends.push(Box::new(handlers));
    }
    let mut ports = Ports::default();
    if !backends.is_empty() {
        ports.tasks = Box::new(stepwise_interp::ports::Chain(backends));
    }
    let options = Options {
        state_machine_name: sm_name,
        execution_name: args.execution_name.clone(),
        start_time_ms: start_time(args.start_time.as_deref())?,
        seed: args.seed,
        record_trace: args.trace && !args.json,
        s3_root: Some(args.s3_root.clone().unwrap_or_else(|| {
            args.definition.parent().map(Path::to_path_buf).unwrap_or_default()
        })),
        express,
        ..Options::default()
    };
    let exec = match &args.redrive {
        Some(path) => {
            let previous = stepwise_interp::redrive::PreviousRun::from_json(&read_json(path)?)
                .with_context(|| format!("--redrive {}", path.display()))?;
            stepwise_interp::redrive::redrive(&plan, &previous, options, ports)
                .with_context(|| format!("--redrive {}", path.display()))?
        }
        None => {
            stepwise_interp::run_plan(&plan, stepwise_interp::Data::from(input), options, ports)
        }
    };

    if args.json {
        println!("{}", exec.record_json());
    } else {
        println!("path: {}", exec.path_taken().join(" → "));
        for t in &exec.traces {
            println!("  {}", serde_json::to_string(&t.to_json())?);
        }
        println!("status: {}", exec.status.as_str());
        match exec.status {
            Status::Succeeded => {
                let o = exec.output_value().unwrap_or(Value::Null);
                println!("output: {}", serde_json::to_string_pretty(&o)?);
            }
            _ => {
                if let Some(f) = &exec.failure {
                    println!("error: {}", f.error.as_deref().unwrap_or("(none)"));
                    println!("cause: {}", f.cause.as_deref().unwrap_or("(none)"));
                }
            }
        }
        println!("events: {}", exec.events.len());
    }
    Ok(ExitCode::SUCCESS)
}
