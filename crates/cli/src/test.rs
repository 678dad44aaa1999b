//! `stepwise test`: every test case of a mock configuration (AWS Step Functions Local format),
//! run against the expectations kept beside it. The expectations format is documented in
//! docs/testing.md and in `stepwise test --help` (see [`EXPECTATIONS_HELP`]).
//!
//! Exit codes: 0 when every test case met its expectations, 1 when one did not, 2 for usage
//! errors and unreadable or invalid files (definition, mock configuration, expectations).

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use serde_json::{Map, Value};
use stepwise_interp::mock::MockConfig;
use stepwise_interp::{Options, Ports};

use crate::run::{default_name, load_plan, read_json, start_time};

/// The long help of `stepwise test`: the expectations file format.
const EXPECTATIONS_HELP: &str = "\
EXPECTATIONS FILE (default: beside the mock configuration, <mock-stem>.expect.json):
  {
    \"StateMachine\": \"OrderFlow\",        optional; default --state-machine-name, else the
                                          definition's file name without extensions
    \"Input\": {...},                      optional execution input for every test case ({})
    \"TestCases\": {
      \"HappyPath\": {                     one entry per test case of the mock configuration
        \"Input\": {...},                  optional, replaces the shared Input
        \"Status\": \"SUCCEEDED\",           required: SUCCEEDED | FAILED | TIMED_OUT | ABORTED
        \"Output\": {...},                 optional: the exact final output (JSON equality)
        \"Error\": \"States.TaskFailed\",    optional: the exact error name
        \"CauseRegex\": \"timed out\",       optional: a regex the cause must match (search)
        \"Path\": [\"Validate\", \"Charge\"]   optional: every state entered, in order (nested too)
      }
    }
  }
A test case of the mock configuration without an entry fails (\"no expectations\"), and so does
an entry naming a test case the mock configuration does not have.

Exit codes: 0 all passed, 1 a test case failed, 2 unreadable or invalid files.";

#[derive(clap::Args)]
#[command(after_long_help = EXPECTATIONS_HELP)]
pub(crate) struct Args {
    /// The ASL definition (.asl.json, .json, .asl.yaml, .yaml, .yml).
    definition: PathBuf,
    /// The mock configuration (AWS Step Functions Local format) whose test cases are run.
    #[arg(long)]
    mock_config: PathBuf,
    /// The expectations file; defaults to `<mock-stem>.expect.json` beside the mock
    /// configuration (`MockConfigFile.json` → `MockConfigFile.expect.json`).
    #[arg(long)]
    expectations: Option<PathBuf>,
    /// The state machine of the mock configuration (overrides the expectations file's
    /// "StateMachine"); defaults to the definition's file name without its extensions.
    #[arg(long)]
    state_machine_name: Option<String>,
    /// Run only these test cases (repeatable).
    #[arg(long = "test-case")]
    test_cases: Vec<String>,
    /// Seed of the random source (retry jitter, States.MathRandom, States.UUID).
    #[arg(long, default_value_t = 0)]
    seed: u64,
    /// Logical start time: an RFC 3339 timestamp (default 2024-01-01T00:00:00Z).
    #[arg(long)]
    start_time: Option<String>,
    /// The local directory standing in for Amazon S3 (Distributed Map ItemReader); defaults to
    /// the definition's directory.
    #[arg(long, value_name = "DIR")]
    s3_root: Option<PathBuf>,
    /// Also write the results as JUnit XML to this file (for CI).
    #[arg(long, value_name = "FILE")]
    junit: Option<PathBuf>,
}

/// What one test case must do.
#[derive(Debug, Default)]
struct Expectation {
    input: Option<Value>,
    status: String,
    output: Option<Value>,
    error: Option<String>,
    cause_regex: Option<regex::Regex>,
    path: Option<Vec<String>>,
}

/// The parsed expectations file.
struct Expectations {
    state_machine: Option<String>,
    input: Value,
    cases: Vec<(String, Expectation)>,
}

fn located(file: &Path, pointer: &str, message: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!(
        "{} {}: {message}",
        file.display(),
        if pointer.is_empty() { "/" } else { pointer }
    )
}

fn esc(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

fn parse_expectations(file: &Path, v: &Value) -> anyhow::Result<Expectations> {
    let root = v.as_object().ok_or_else(|| located(file, "", "expected a JSON object"))?;
    for k in root.keys() {
        if !matches!(k.as_str(), "StateMachine" | "Input" | "TestCases") {
            return Err(located(
                file,
                &format!("/{}", esc(k)),
                "unknown field (expected StateMachine, Input, TestCases)",
            ));
        }
    }
    let state_machine = match root.get("StateMachine") {
        None => None,
        Some(Value::String(s)) => Some(s.clone()),
        Some(_) => return Err(located(file, "/StateMachine", "expected a string")),
    };
    let input = root.get("Input").cloned().unwrap_or_else(|| Value::Object(Map::new()));
    let cases_v = root
        .get("TestCases")
        .and_then(Value::as_object)
        .ok_or_else(|| located(file, "/TestCases", "expected an object of test cases"))?;
    let mut cases = Vec::new();
    for (name, body) in cases_v {
        let p = format!("/TestCases/{}", esc(name));
        let body = body.as_object().ok_or_else(|| located(file, &p, "expected an object"))?;
        let mut e = Expectation::default();
        for (k, v) in body {
            let fp = format!("{p}/{}", esc(k));
            let string = || {
                v.as_str().map(str::to_owned).ok_or_else(|| located(file, &fp, "expected a string"))
            };
            match k.as_str() {
                "Input" => e.input = Some(v.clone()),
                "Status" => {
                    let s = string()?;
                    if !matches!(s.as_str(), "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "ABORTED") {
                        return Err(located(
                            file,
                            &fp,
                            "expected SUCCEEDED, FAILED, TIMED_OUT or ABORTED",
                        ));
                    }
                    e.status = s;
                }
                "Output" => e.output = Some(v.clone()),
                "Error" => e.error = Some(string()?),
                "CauseRegex" => {
                    let s = string()?;
                    e.cause_regex = Some(
                        regex::Regex::new(&s)
                            .map_err(|err| located(file, &fp, format!("invalid regex: {err}")))?,
                    );
                }
                "Path" => {
                    let names = v
                        .as_array()
                        .and_then(|a| {
                            a.iter().map(|n| n.as_str().map(str::to_owned)).collect::<Option<_>>()
                        })
                        .ok_or_else(|| located(file, &fp, "expected an array of state names"))?;
                    e.path = Some(names);
                }
                _ => {
                    return Err(located(
                        file,
                        &fp,
                        "unknown field (expected Input, Status, Output, Error, CauseRegex, Path)",
                    ));
                }
            }
        }
        if e.status.is_empty() {
            return Err(located(file, &p, "\"Status\" is required"));
        }
        cases.push((name.clone(), e));
    }
    Ok(Expectations { state_machine, input, cases })
}

/// `MockConfigFile.json` → `MockConfigFile.expect.json`, in the same directory.
fn default_expectations_path(mock: &Path) -> PathBuf {
    let file = mock.file_name().and_then(|f| f.to_str()).unwrap_or("mocks.json");
    let stem = file.split('.').next().filter(|s| !s.is_empty()).unwrap_or(file);
    mock.with_file_name(format!("{stem}.expect.json"))
}

/// The outcome of one test case.
struct CaseResult {
    name: String,
    problems: Vec<String>,
    summary: String,
    seconds: f64,
}

fn short(v: &Value) -> String {
    let s = v.to_string();
    if s.chars().count() > 200 {
        let cut: String = s.chars().take(200).collect();
        format!("{cut}…")
    } else {
        s
    }
}

fn check(expect: &Expectation, exec: &stepwise_interp::Execution) -> Vec<String> {
    let mut problems = Vec::new();
    let status = exec.status.as_str();
    let error = exec.failure.as_ref().and_then(|f| f.error.clone());
    let cause = exec.failure.as_ref().and_then(|f| f.cause.clone());
    if status != expect.status {
        let why = match (&error, &cause) {
            (Some(e), Some(c)) => format!(" ({e}: {c})"),
            (Some(e), None) => format!(" ({e})"),
            _ => String::new(),
        };
        problems.push(format!("status: expected {}, got {status}{why}", expect.status));
    }
    if let Some(want) = &expect.output {
        match exec.output_value() {
            Some(got) if &got == want => {}
            Some(got) => {
                problems.push(format!("output: expected {}, got {}", short(want), short(&got)))
            }
            None => problems.push(format!("output: expected {}, got none", short(want))),
        }
    }
    if let Some(want) = &expect.error
        && error.as_deref() != Some(want.as_str())
    {
        problems.push(format!(
            "error: expected {want:?}, got {}",
            error.as_deref().map_or("none".to_owned(), |e| format!("{e:?}"))
        ));
    }
    if let Some(re) = &expect.cause_regex {
        match &cause {
            Some(c) if re.is_match(c) => {}
            Some(c) => problems.push(format!("cause: {c:?} does not match /{}/", re.as_str())),
            None => problems.push(format!("cause: none, expected a match of /{}/", re.as_str())),
        }
    }
    if let Some(want) = &expect.path {
        let got = exec.path_taken();
        if &got != want {
            problems.push(format!(
                "path: expected {}, got {}",
                want.join(" → "),
                if got.is_empty() { "(none)".to_owned() } else { got.join(" → ") }
            ));
        }
    }
    problems
}

/// The test cases of `sm` in the mock file's own order (the parsed configuration keeps them in
/// a hash map).
fn mock_test_cases(raw: &Value, sm: &str) -> Vec<String> {
    raw.get("StateMachines")
        .and_then(|s| s.get(sm))
        .and_then(|s| s.get("TestCases"))
        .and_then(Value::as_object)
        .map(|o| o.keys().cloned().collect())
        .unwrap_or_default()
}

pub(crate) fn main(args: Args) -> anyhow::Result<ExitCode> {
    let plan = load_plan(&args.definition)?;
    let raw_mocks = read_json(&args.mock_config)?;
    let mocks = MockConfig::parse(&raw_mocks)
        .map_err(|e| anyhow::anyhow!("{}: {e}", args.mock_config.display()))?;
    let expect_path =
        args.expectations.clone().unwrap_or_else(|| default_expectations_path(&args.mock_config));
    let expectations = parse_expectations(&expect_path, &read_json(&expect_path)?)?;
    let sm = args
        .state_machine_name
        .clone()
        .or_else(|| expectations.state_machine.clone())
        .unwrap_or_else(|| default_name(&args.definition));
    if !mocks.state_machines.contains_key(&sm) {
        bail!("{}: no state machine {sm:?} under \"StateMachines\"", args.mock_config.display());
    }
    let start = start_time(args.start_time.as_deref())?;

    // Every test case of the mock file, then expectations naming unknown test cases.
    let mut names = mock_test_cases(&raw_mocks, &sm);
    for (name, _) in &expectations.cases {
        if !names.contains(name) {
            names.push(name.clone());
        }
    }
    for wanted in &args.test_cases {
        if !names.contains(wanted) {
            bail!("no test case {wanted:?} in {} or its expectations", args.mock_config.display());
        }
    }
    if !args.test_cases.is_empty() {
        names.retain(|n| args.test_cases.contains(n));
    }

    let mut results = Vec::new();
    for name in &names {
        let expect = expectations.cases.iter().find(|(n, _)| n == name).map(|(_, e)| e);
        #[allow(clippy::disallowed_methods)] // The CLI, not the interpreter, reads the clock.
        let began = std::time::Instant::now();
        let result = match (expect, mocks.invoker(&sm, name)) {
            (None, _) => CaseResult {
                name: name.clone(),
                problems: vec![format!(
                    "no expectations for this test case in {}",
                    expect_path.display()
                )],
                summary: String::new(),
                seconds: 0.0,
            },
            (Some(_), Err(e)) => CaseResult {
                name: name.clone(),
                problems: vec![format!("{}: {e}", args.mock_config.display())],
                summary: String::new(),
                seconds: 0.0,
            },
            (Some(expect), Ok(invoker)) => {
                let input = expect.input.clone().unwrap_or_else(|| expectations.input.clone());
                let ports = Ports { tasks: Box::new(invoker), ..Ports::default() };
                let options = Options {
                    state_machine_name: sm.clone(),
                    execution_name: name.clone(),
                    start_time_ms: start,
                    seed: args.seed,
                    record_trace: false,
                    s3_root: Some(args.s3_root.clone().unwrap_or_else(|| {
                        args.definition.parent().map(Path::to_path_buf).unwrap_or_default()
                    })),
                    ..Options::default()
                };
                let exec = stepwise_interp::run_plan(
                    &plan,
                    stepwise_interp::Data::from(input),
                    options,
                    ports,
                );
                let problems = check(expect, &exec);
                let summary =
                    format!("{}, {} states", exec.status.as_str(), exec.path_taken().len());
                CaseResult { name: name.clone(), problems, summary, seconds: 0.0 }
            }
        };
        results.push(CaseResult { seconds: began.elapsed().as_secs_f64(), ..result });
    }

    let failed = results.iter().filter(|r| !r.problems.is_empty()).count();
    println!(
        "stepwise test: {sm} — {} test case(s) from {}",
        results.len(),
        args.mock_config.display()
    );
    for r in &results {
        if r.problems.is_empty() {
            println!("  PASS  {} ({})", r.name, r.summary);
        } else {
            let summary =
                if r.summary.is_empty() { String::new() } else { format!(" ({})", r.summary) };
            println!("  FAIL  {}{summary}", r.name);
            for p in &r.problems {
                println!("          {p}");
            }
        }
    }
    println!("{} passed, {failed} failed", results.len() - failed);
    if let Some(path) = &args.junit {
        std::fs::write(path, junit_xml(&sm, &results))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(if failed == 0 { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 forbids most control characters, even escaped.
            c if (c as u32) < 0x20 && !matches!(c, '\n' | '\r' | '\t') => out.push('?'),
            c => out.push(c),
        }
    }
    out
}

/// JUnit XML as CI systems read it: one `<testsuite>` for the state machine, one `<testcase>`
/// per test case, a `<failure>` with every unmet expectation.
fn junit_xml(sm: &str, results: &[CaseResult]) -> String {
    let failed = results.iter().filter(|r| !r.problems.is_empty()).count();
    let total: f64 = results.iter().map(|r| r.seconds).sum();
    let mut x = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        x,
        "<testsuites name=\"stepwise\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" time=\"{total:.3}\">",
        results.len()
    );
    let _ = writeln!(
        x,
        "  <testsuite name=\"{}\" tests=\"{}\" failures=\"{failed}\" errors=\"0\" skipped=\"0\" time=\"{total:.3}\">",
        xml_escape(sm),
        results.len()
    );
    for r in results {
        let open = format!(
            "    <testcase name=\"{}\" classname=\"{}\" time=\"{:.3}\"",
            xml_escape(&r.name),
            xml_escape(sm),
            r.seconds
        );
        if r.problems.is_empty() {
            let _ = writeln!(x, "{open}/>");
        } else {
            let _ = writeln!(x, "{open}>");
            let _ = writeln!(
                x,
                "      <failure message=\"{}\" type=\"ExpectationFailed\">{}</failure>",
                xml_escape(r.problems.first().map_or("", String::as_str)),
                xml_escape(&r.problems.join("\n"))
            );
            let _ = writeln!(x, "    </testcase>");
        }
    }
    x.push_str("  </testsuite>\n</testsuites>\n");
    x
}
