//! `stepwise-bench`: run by `cargo xtask bench` (release build). Generates the workload files,
//! times Stepwise on them, runs the peers (bench/peers, Node) on the same files, and prints one
//! table per section with ratios and the issues' targets.
//!
//! Usage: `stepwise-bench [--only interp|jsonata|asl|layout] [--no-peers]` (`interp` includes
//! the JSONata-mode table; `jsonata` runs that table alone)
//! (internal: `stepwise-bench map-memory <workload.json>` runs one Map in a child process and
//! prints its peak resident set; `stepwise-bench repeat <workload.json> <N>` runs one
//! workload N times and nothing else, for `perf stat` and callgrind; `stepwise-bench
//! session-edits <machine.asl.json> <N>` does the same for the Session's edit row).

use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};
use stepwise_asl::{Document, Edit, Format, Options as AslOptions, Severity};
use stepwise_bench::workloads::{self, ASL_STATES, Files, LAYOUT_STATES, SESSION_STATES};
use stepwise_bench::{
    BUDGET, Budget, Row, Sample, Table, Verdict, format_ms, format_rate, format_ratio, measure,
    measure_around, measure_pair, timed,
};
use stepwise_graph::StateGraph;
use stepwise_interp::{Data, Limits, Options, Ports, Status, compile, run_plan};

/// The peers: slower, so fewer runs (each still after a warm-up).
const PEER_BUDGET: Budget = Budget { time: Duration::from_secs(5), min_runs: 3, max_runs: 15 };
/// The interpreter's runs span about a second, like the peer's (15 runs of 30 ms–1 s): at most
/// 51 runs of a 0.05–0.5 ms workload took 3–25 ms, a snapshot that one burst of the shared
/// host's other work moved by half (the loop measured 0.48 and 0.32 ms in two runs minutes
/// apart).
const INTERP_BUDGET: Budget = Budget { time: Duration::from_secs(1), min_runs: 5, max_runs: 5000 };
/// A peer that takes longer than this on one workload is stopped and reported as such.
const PEER_TIMEOUT: Duration = Duration::from_secs(300);
/// elkjs takes seconds per run on these graphs: one warm-up and at least one timed run, and
/// a shorter limit on the larger graph.
const LAYOUT_PEER_BUDGET: Budget =
    Budget { time: Duration::from_secs(5), min_runs: 1, max_runs: 5 };
const LAYOUT_PEER_TIMEOUT: Duration = Duration::from_secs(120);

/// mimalloc rather than glibc's malloc: the interpreter, parser and validator allocate many small,
/// short-lived blocks (decision 0011).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("map-memory") => match args.get(1) {
            Some(file) => map_memory(Path::new(file)),
            None => Err(anyhow::anyhow!("usage: stepwise-bench map-memory <workload.json>")),
        },
        Some("repeat") => match (args.get(1), args.get(2).and_then(|n| n.parse().ok())) {
            (Some(file), Some(times)) => repeat(Path::new(file), times),
            _ => Err(anyhow::anyhow!("usage: stepwise-bench repeat <workload.json> <N>")),
        },
        Some("session-edits") => match (args.get(1), args.get(2).and_then(|n| n.parse().ok())) {
            (Some(file), Some(times)) => session_edits(Path::new(file), times),
            _ => Err(anyhow::anyhow!("usage: stepwise-bench session-edits <machine> <N>")),
        },
        _ => Config::parse(&args).and_then(|config| bench(&config)),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("stepwise-bench: {err:#}");
            ExitCode::FAILURE
        }
    }
}

struct Config {
    root: PathBuf,
    only: Option<String>,
    peers: bool,
}

impl Config {
    fn parse(args: &[String]) -> Result<Config> {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
        let root = root.canonicalize().unwrap_or(root);
        let mut config = Config { root, only: None, peers: true };
        let mut args = args.iter();
        while let Some(arg) = args.next() {
            match arg.as_str() {
                "--no-peers" => config.peers = false,
                "--only" => match args.next().map(String::as_str) {
                    Some(section @ ("interp" | "jsonata" | "asl" | "layout")) => {
                        config.only = Some(section.to_owned());
                    }
                    other => bail!("--only takes interp, jsonata, asl or layout, not {other:?}"),
                },
                other => {
                    bail!(
                        "unknown argument `{other}` (try --only interp|jsonata|asl|layout, \
                         --no-peers)"
                    )
                }
            }
        }
        Ok(config)
    }

    fn runs(&self, section: &str) -> bool {
        self.only.as_deref().is_none_or(|only| only == section)
    }
}

/// Runs the peer scripts, or says why it cannot.
struct Peers {
    dir: PathBuf,
    out: PathBuf,
    unavailable: Option<String>,
}

/// A peer's answer: its JSON, or why there is none.
type PeerResult = std::result::Result<Value, PeerFailure>;

/// Why a peer has no figure.
#[derive(Debug, Clone)]
struct PeerFailure {
    why: String,
    /// Set when the peer was stopped: it needed longer than this for one run.
    timed_out: Option<Duration>,
}

impl PeerFailure {
    fn new(why: impl Into<String>) -> PeerFailure {
        PeerFailure { why: why.into(), timed_out: None }
    }
}

impl Peers {
    fn new(config: &Config, out: &Path) -> Peers {
        let dir = config.root.join("bench/peers");
        let unavailable = if !config.peers {
            Some("not run (--no-peers)".to_owned())
        } else if !dir.join("node_modules").is_dir() {
            Some("not installed (`cargo xtask bench` runs npm ci in bench/peers)".to_owned())
        } else if Command::new("node").arg("--version").output().is_err() {
            Some("node is not installed".to_owned())
        } else {
            None
        };
        Peers { dir, out: out.to_owned(), unavailable }
    }

    /// The installed version of a peer package.
    fn version(&self, package: &str) -> String {
        let file = self.dir.join("node_modules").join(package).join("package.json");
        std::fs::read_to_string(file)
            .ok()
            .and_then(|text| serde_json::from_str::<Value>(&text).ok())
            .and_then(|v| v["version"].as_str().map(str::to_owned))
            .unwrap_or_else(|| "not installed".to_owned())
    }

    /// Runs `node <script> <args>` with a timeout; reads the one JSON object it prints.
    fn run(&self, script: &str, args: &[String], budget: Budget, timeout: Duration) -> PeerResult {
        if let Some(why) = &self.unavailable {
            return Err(PeerFailure::new(why.clone()));
        }
        let stem = Path::new(script).file_stem().and_then(|s| s.to_str()).unwrap_or("peer");
        let stdout_path = self.out.join(format!("peer-{stem}.out"));
        let stderr_path = self.out.join(format!("peer-{stem}.err"));
        let stdout =
            std::fs::File::create(&stdout_path).map_err(|e| PeerFailure::new(e.to_string()))?;
        let stderr =
            std::fs::File::create(&stderr_path).map_err(|e| PeerFailure::new(e.to_string()))?;
        let mut command = Command::new("node");
        command.arg(self.dir.join(script)).args(args);
        command.args([
            "--budgetMs".to_owned(),
            budget.time.as_millis().to_string(),
            "--minRuns".to_owned(),
            budget.min_runs.to_string(),
            "--maxRuns".to_owned(),
            budget.max_runs.to_string(),
        ]);
        let mut child = command
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stdout(stdout)
            .stderr(stderr)
            .spawn()
            .map_err(|e| PeerFailure::new(format!("cannot start node: {e}")))?;
        let started = Instant::now();
        loop {
            match child.try_wait() {
                Ok(Some(_)) => break,
                Ok(None) if started.elapsed() > timeout => {
                    let _ = child.kill();
                    let _ = child.wait();
                    return Err(PeerFailure {
                        why: format!("did not finish in {} s (stopped)", timeout.as_secs()),
                        timed_out: Some(timeout),
                    });
                }
                Ok(None) => std::thread::sleep(Duration::from_millis(20)),
                Err(e) => return Err(PeerFailure::new(e.to_string())),
            }
        }
        let text = std::fs::read_to_string(&stdout_path).unwrap_or_default();
        match serde_json::from_str::<Value>(text.trim()) {
            Ok(value) if value["ok"] == json!(true) => Ok(value),
            Ok(value) => {
                Err(PeerFailure::new(format!("failed: {}", value["error"].as_str().unwrap_or("?"))))
            }
            Err(_) => {
                let err = std::fs::read_to_string(&stderr_path).unwrap_or_default();
                let last = err.lines().rfind(|l| !l.trim().is_empty()).unwrap_or("no output");
                Err(PeerFailure::new(format!("failed: {last}")))
            }
        }
    }
}

fn median_of(peer: &PeerResult) -> Option<f64> {
    peer.as_ref().ok().and_then(|v| v["medianMs"].as_f64())
}

/// The peer's cell: its time, or why there is none.
fn peer_cell(peer: &PeerResult) -> String {
    match (peer, median_of(peer)) {
        (_, Some(ms)) => format_ms(ms),
        (Err(failure), None) => failure.why.clone(),
        (Ok(_), None) => "no figure".to_owned(),
    }
}

/// The ratio cell (peer ÷ Stepwise: how many times faster Stepwise is) and its value.
fn ratio(stepwise_ms: f64, peer: &PeerResult) -> (String, Option<f64>) {
    match median_of(peer) {
        Some(peer_ms) if stepwise_ms > 0.0 => {
            let r = peer_ms / stepwise_ms;
            (format_ratio(r), Some(r))
        }
        // A peer stopped after a timeout took longer than that: a lower bound of the ratio.
        _ => match peer {
            Err(PeerFailure { timed_out: Some(limit), .. }) if stepwise_ms > 0.0 => {
                (format!("> {}", format_ratio(limit.as_secs_f64() * 1000.0 / stepwise_ms)), None)
            }
            _ => ("—".to_owned(), None),
        },
    }
}

fn bench(config: &Config) -> Result<()> {
    let out = config.root.join("target/bench");
    let files = Files { dir: out.clone() };
    let started = Instant::now();
    eprintln!("stepwise-bench: generating the workloads into {}", out.display());
    workloads::generate(&files)?;
    let peers = Peers::new(config, &out);
    let load = std::fs::read_to_string("/proc/loadavg").unwrap_or_default();
    let load: Vec<&str> = load.split_whitespace().take(3).collect();
    println!(
        "# cargo xtask bench — Stepwise (release) vs peers, same workload files, same run\n\
         machine: {} logical CPUs, load average {} at start; times are medians after a warm-up",
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0),
        load.join(" "),
    );
    println!(
        "peers: aws-local-stepfunctions {}, asl-validator {}, elkjs {}, jsonata {} on Node {}\n",
        peers.version("aws-local-stepfunctions"),
        peers.version("asl-validator"),
        peers.version("elkjs"),
        peers.version("jsonata"),
        node_version(),
    );

    let mut tables = Vec::new();
    if config.runs("interp") {
        tables.push(interp_section(&files, &peers)?);
        println!("{}", tables.last().map(Table::render).unwrap_or_default());
    }
    if config.runs("interp") || config.runs("jsonata") {
        tables.push(jsonata_section(&files)?);
        println!("{}", tables.last().map(Table::render).unwrap_or_default());
        tables.push(jsonata_engine_section(&files, &peers)?);
        println!("{}", tables.last().map(Table::render).unwrap_or_default());
    }
    if config.runs("asl") {
        tables.push(asl_section(&files, &peers)?);
        println!("{}", tables.last().map(Table::render).unwrap_or_default());
    }
    if config.runs("layout") {
        tables.push(layout_section(&files, &peers)?);
        println!("{}", tables.last().map(Table::render).unwrap_or_default());
    }
    let (met, missed) =
        tables.iter().map(Table::verdicts).fold((0, 0), |(a, b), (c, d)| (a + c, b + d));
    println!(
        "bench: {met} of {} targets met, {missed} not met ({:.0} s)",
        met + missed,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

fn node_version() -> String {
    Command::new("node")
        .arg("--version")
        .output()
        .ok()
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_owned())
        .filter(|v| !v.is_empty())
        .unwrap_or_else(|| "(node not found)".to_owned())
}

fn read_json(path: &Path) -> Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    serde_json::from_str(&text).with_context(|| format!("{} is not JSON", path.display()))
}

fn interp_options(lift_limits: bool) -> Options {
    let mut options = Options { record_trace: false, ..Options::default() };
    if lift_limits {
        options.limits = Limits { max_payload_bytes: usize::MAX, max_history_events: usize::MAX };
    }
    options
}

/// Section 1: the interpreter (issue #4, bullet 8).
fn interp_section(files: &Files, peers: &Peers) -> Result<Table> {
    let mut table = Table::new(
        "Interpreter (issue #4) — stepwise-interp vs aws-local-stepfunctions, one execution each",
    );
    let mut loop_rate = None;
    for w in workloads::interp_workloads() {
        eprintln!("stepwise-bench: interp {}", w.name);
        let path = files.interp(w.name);
        let file = read_json(&path)?;
        let plan = compile(&file["definition"]).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let input = Data::from(&file["input"]);
        let options = interp_options(file["liftPayloadLimit"] == json!(true));
        let first = run_plan(&plan, input.clone(), options.clone(), Ports::default());
        if first.status != Status::Succeeded {
            bail!("{}: the execution did not succeed: {:?}", w.name, first.failure);
        }
        let transitions = first.path_taken().len();
        let output_bytes = first.output_value().map(|v| v.to_string().len()).unwrap_or(0);
        drop(first);
        let (sample, peer) = measure_around(
            INTERP_BUDGET,
            || {
                timed(|| {
                    black_box(run_plan(&plan, input.clone(), options.clone(), Ports::default()));
                })
            },
            || peers.run("interp.mjs", &[path.display().to_string()], PEER_BUDGET, PEER_TIMEOUT),
        );
        let rate = transitions as f64 / (sample.median_ms / 1000.0);
        let (ratio_text, ratio_value) = ratio(sample.median_ms, &peer);
        let needed = if w.name.starts_with("payload") { 20.0 } else { 100.0 };
        table.rows.push(Row {
            workload: w.label.to_owned(),
            stepwise: format!("{} ({})", format_ms(sample.median_ms), format_rate(rate)),
            peer: peer_cell(&peer),
            ratio: ratio_text,
            target: format!("≥ {needed:.0}×"),
            verdict: ratio_value.map_or(Verdict::NoPeer, |r| Verdict::of(r >= needed)),
        });
        let agree = match peer.as_ref().ok().and_then(|v| v["outputBytes"].as_u64()) {
            Some(theirs) if theirs as usize == output_bytes => {
                format!("; outputs of the same size ({output_bytes} bytes)")
            }
            Some(theirs) => format!("; OUTPUTS DIFFER: {output_bytes} vs {theirs} bytes"),
            None => String::new(),
        };
        table.notes.push(format!(
            "{}: {transitions} state transitions{agree}; stepwise {}{}{}",
            w.name,
            sample.describe(),
            peer_runs(&peer),
            if w.lift_limits {
                "; 256 KiB payload and 25,000-event limits lifted in Stepwise \
                 (aws-local-stepfunctions has no such limits to lift)"
            } else {
                ""
            }
        ));
        if w.name.starts_with("loop") {
            loop_rate = Some((rate, transitions, median_of(&peer)));
        }
    }
    if let Some((rate, transitions, peer_ms)) = loop_rate {
        let peer_rate = peer_ms.map(|ms| transitions as f64 / (ms / 1000.0));
        table.rows.push(Row {
            workload: "loop: state transitions per second".to_owned(),
            stepwise: format_rate(rate),
            peer: peer_rate.map_or("—".to_owned(), format_rate),
            ratio: peer_rate.map_or("—".to_owned(), |p| format_ratio(rate / p)),
            target: "> 1,000,000/s".to_owned(),
            verdict: Verdict::of(rate > 1e6),
        });
    }
    table.rows.push(memory_row(files, peers)?);
    table.notes.push(
        "ratio = peer time ÷ Stepwise time; both exclude building the machine (Stepwise's \
         compile, the peer's constructor, which validates) and include dropping the result"
            .to_owned(),
    );
    Ok(table)
}

/// A workload file, compiled: the plan, the input and the options.
fn load_interp(
    files: &Files,
    name: &str,
) -> Result<(stepwise_interp::states::Machine, Data, Options)> {
    let file = read_json(&files.interp(name))?;
    let plan = compile(&file["definition"]).map_err(|e| anyhow::anyhow!("{name}: {e:?}"))?;
    let options = interp_options(file["liftPayloadLimit"] == json!(true));
    Ok((plan, Data::from(&file["input"]), options))
}

/// Section 1b: JSONata mode against JSONPath mode (interpreter issue: "JSONata mode may cost
/// at most 3× JSONPath mode"). Each JSONata workload and its JSONPath twin run in alternation
/// in the same run; their outputs must be equal.
fn jsonata_section(files: &Files) -> Result<Table> {
    let mut table = Table::new(
        "JSONata mode (interpreter issue) — the same workloads written in JSONata vs JSONPath, \
         one execution each, timed in alternation",
    );
    for (w, twin) in workloads::jsonata_workloads() {
        eprintln!("stepwise-bench: interp {} vs {twin}", w.name);
        let (plan, input, options) = load_interp(files, w.name)?;
        let (twin_plan, twin_input, twin_options) = load_interp(files, twin)?;
        let ours = run_plan(&plan, input.clone(), options.clone(), Ports::default());
        let theirs =
            run_plan(&twin_plan, twin_input.clone(), twin_options.clone(), Ports::default());
        for (name, exec) in [(w.name, &ours), (twin, &theirs)] {
            if exec.status != Status::Succeeded {
                bail!("{name}: the execution did not succeed: {:?}", exec.failure);
            }
        }
        if ours.output_value() != theirs.output_value() {
            bail!("{}: the output differs from {twin}'s", w.name);
        }
        let transitions = ours.path_taken().len();
        if transitions != theirs.path_taken().len() {
            bail!("{}: {transitions} transitions, {twin} {}", w.name, theirs.path_taken().len());
        }
        drop((ours, theirs));
        let (jsonata, jsonpath) = measure_pair(
            BUDGET,
            || {
                timed(|| {
                    black_box(run_plan(&plan, input.clone(), options.clone(), Ports::default()));
                })
            },
            || {
                timed(|| {
                    black_box(run_plan(
                        &twin_plan,
                        twin_input.clone(),
                        twin_options.clone(),
                        Ports::default(),
                    ));
                })
            },
        );
        let ratio = jsonata.median_ms / jsonpath.median_ms;
        let max = workloads::JSONATA_MAX_RATIO;
        table.rows.push(Row {
            workload: w.label.to_owned(),
            stepwise: format!(
                "{} ({})",
                format_ms(jsonata.median_ms),
                format_rate(transitions as f64 / (jsonata.median_ms / 1000.0))
            ),
            peer: format!("{} (JSONPath)", format_ms(jsonpath.median_ms)),
            ratio: format_ratio(ratio),
            target: format!("≤ {max:.0}× JSONPath"),
            verdict: Verdict::of(ratio <= max),
        });
        table.notes.push(format!(
            "{}: {transitions} state transitions, output equal to {twin}'s; JSONata {}; \
             JSONPath {}",
            w.name,
            jsonata.describe(),
            jsonpath.describe(),
        ));
    }
    table.notes.push(
        "ratio = JSONata time ÷ JSONPath time (the \"peer\" column is the JSONPath twin, run by \
         Stepwise); both exclude compiling the machine and include dropping the result"
            .to_owned(),
    );
    Ok(table)
}

/// Section 1c: the JSONata engine against the reference implementation (npm `jsonata`, the
/// version Step Functions uses), expression by expression on the same input. Context only: the
/// issue sets no target for the engine alone.
fn jsonata_engine_section(files: &Files, peers: &Peers) -> Result<Table> {
    eprintln!("stepwise-bench: jsonata engine");
    let mut table = Table::new(format!(
        "JSONata engine — stepwise-jsonata vs jsonata (reference), {} orders, one evaluation each",
        workloads::JSONATA_ORDERS
    ));
    let path = files.jsonata();
    let file = read_json(&path)?;
    let input = Data::from(&file["input"]);
    let peer = peers.run("jsonata.mjs", &[path.display().to_string()], PEER_BUDGET, PEER_TIMEOUT);
    let bindings = stepwise_jsonata::Bindings::default();
    for (i, e) in file["expressions"].as_array().into_iter().flatten().enumerate() {
        let (name, text) =
            (e["name"].as_str().unwrap_or("?"), e["expression"].as_str().unwrap_or(""));
        let expr = stepwise_jsonata::Expression::parse(text)
            .map_err(|err| anyhow::anyhow!("{name}: {text} does not parse: {err}"))?;
        let out = expr
            .evaluate(Some(&input), &bindings)
            .map_err(|err| anyhow::anyhow!("{name}: {text} fails: {err}"))?;
        let output_bytes = out.map(|p| p.to_string().len()).unwrap_or(0);
        let sample = measure(BUDGET, || {
            timed(|| {
                black_box(expr.evaluate(Some(&input), &bindings).ok());
            })
        });
        let theirs: PeerResult = match &peer {
            Ok(v) => Ok(v["results"][i].clone()),
            Err(failure) => Err(failure.clone()),
        };
        let (ratio_text, _) = ratio(sample.median_ms, &theirs);
        table.rows.push(Row {
            workload: format!("{name}: {text}"),
            stepwise: format_ms(sample.median_ms),
            peer: peer_cell(&theirs),
            ratio: ratio_text,
            target: "— (context)".to_owned(),
            verdict: Verdict::None,
        });
        let agree = match theirs.as_ref().ok().and_then(|v| v["outputBytes"].as_u64()) {
            Some(b) if b as usize == output_bytes => {
                format!("results of the same size ({output_bytes} bytes)")
            }
            Some(b) => format!("RESULTS DIFFER: {output_bytes} vs {b} bytes"),
            None => format!("result {output_bytes} bytes"),
        };
        table.notes.push(format!(
            "{name}: {agree}; stepwise {}{}",
            sample.describe(),
            peer_runs(&theirs)
        ));
    }
    table.notes.push(format!(
        "ratio = reference time ÷ stepwise-jsonata time; both parse once outside the timing; \
         stepwise's figure includes converting the result to JSON; jsonata {}",
        peers.version("jsonata")
    ));
    Ok(table)
}

fn peer_runs(peer: &PeerResult) -> String {
    let value = peer.as_ref().ok();
    match (value.and_then(|v| v["runs"].as_u64()), value.and_then(|v| v["minMs"].as_f64())) {
        (Some(runs), Some(min)) => format!(", peer median of {runs}, fastest {}", format_ms(min)),
        (Some(runs), None) => format!(", peer median of {runs}"),
        _ => String::new(),
    }
}

/// The 100,000-item Map's peak memory: each side runs it once in a child process that reports
/// its own peak resident set (Linux VmHWM for Stepwise, `process.resourceUsage().maxRSS` for
/// Node).
fn memory_row(files: &Files, peers: &Peers) -> Result<Row> {
    eprintln!("stepwise-bench: interp map-100000 (memory, child processes)");
    let path = files.interp("map-100000");
    let exe = std::env::current_exe()?;
    let output = Command::new(exe).arg("map-memory").arg(&path).output()?;
    let ours: Value = serde_json::from_slice(&output.stdout).with_context(|| {
        format!("the map-memory child failed: {}", String::from_utf8_lossy(&output.stderr))
    })?;
    let peer = peers.run(
        "interp.mjs",
        &[path.display().to_string(), "--once".to_owned(), "1".to_owned()],
        PEER_BUDGET,
        PEER_TIMEOUT,
    );
    let mb = |kb: f64| kb / 1024.0;
    let our_mb = ours["maxRssKb"].as_f64().map(mb);
    let peer_mb = peer.as_ref().ok().and_then(|v| v["maxRssKb"].as_f64()).map(mb);
    let stepwise = match our_mb {
        Some(m) => {
            format!("{m:.0} MB max RSS ({})", format_ms(ours["ms"].as_f64().unwrap_or_default()))
        }
        None => "max RSS unknown (no /proc/self/status)".to_owned(),
    };
    let peer_text = match (&peer, peer_mb) {
        (_, Some(m)) => {
            format!("{m:.0} MB max RSS ({})", format_ms(median_of(&peer).unwrap_or(0.0)))
        }
        (Err(failure), None) => failure.why.clone(),
        (Ok(_), None) => "no figure".to_owned(),
    };
    let ratio = match (our_mb, peer_mb) {
        (Some(a), Some(b)) if a > 0.0 => format!("{} less", format_ratio(b / a)),
        _ => "—".to_owned(),
    };
    Ok(Row {
        workload: "inline Map, 100,000 items: peak memory (one run, child process)".to_owned(),
        stepwise,
        peer: peer_text,
        ratio,
        target: "< 500 MB".to_owned(),
        verdict: our_mb.map_or(Verdict::NotMet, |m| Verdict::of(m < 500.0)),
    })
}

/// Runs one workload file `times` times as the timed loop of [`interp_section`] does, so a
/// profiler sees that workload alone.
fn repeat(path: &Path, times: u32) -> Result<()> {
    let file = read_json(path)?;
    let plan = compile(&file["definition"]).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let input = Data::from(&file["input"]);
    let options = interp_options(file["liftPayloadLimit"] == json!(true));
    for _ in 0..times {
        let exec = run_plan(&plan, input.clone(), options.clone(), Ports::default());
        if exec.status != Status::Succeeded {
            bail!("the execution did not succeed: {:?}", exec.failure);
        }
        black_box(exec);
    }
    Ok(())
}

/// The child process of [`memory_row`]: reads the workload, runs it once, prints
/// `{"maxRssKb", "ms", "status"}`.
fn map_memory(path: &Path) -> Result<()> {
    let file = read_json(path)?;
    let plan = compile(&file["definition"]).map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let input = Data::from(&file["input"]);
    drop(file);
    let options = interp_options(true);
    let start = Instant::now();
    let exec = run_plan(&plan, input, options, Ports::default());
    let ms = start.elapsed().as_secs_f64() * 1000.0;
    if exec.status != Status::Succeeded {
        bail!("the execution did not succeed: {:?}", exec.failure);
    }
    drop(exec);
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let max_rss_kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok());
    println!("{}", json!({"maxRssKb": max_rss_kb, "ms": ms, "status": "SUCCEEDED"}));
    Ok(())
}

/// Section 2: the ASL document (issue #3, bullet 7).
fn asl_section(files: &Files, peers: &Peers) -> Result<Table> {
    eprintln!("stepwise-bench: asl");
    let mut table = Table::new(format!(
        "ASL document (issue #3) — stepwise-asl vs asl-validator, a generated {ASL_STATES}-state \
         definition"
    ));
    let path = files.machine(ASL_STATES);
    let text = std::fs::read_to_string(&path)?;
    let options = AslOptions::default();
    let peer = peers.run("validate.mjs", &[path.display().to_string()], PEER_BUDGET, PEER_TIMEOUT);

    let parsed = stepwise_asl::check(&text, Format::Json, &options);
    let count = |severity| parsed.diagnostics.iter().filter(|d| d.severity == severity).count();
    let (errors, warnings) = (count(Severity::Error), count(Severity::Warning));

    let full = measure(BUDGET, || {
        timed(|| {
            black_box(stepwise_asl::check(&text, Format::Json, &options));
        })
    });
    let mut runs = vec![format!("parse + validate {}", full.describe())];
    let (ratio_text, _) = ratio(full.median_ms, &peer);
    table.rows.push(Row {
        workload: "parse + validate (text → model, source map, diagnostics)".to_owned(),
        stepwise: format_ms(full.median_ms),
        peer: peer_cell(&peer),
        ratio: ratio_text,
        target: "< 10 ms".to_owned(),
        verdict: Verdict::of(full.median_ms < 10.0),
    });

    let syntax = stepwise_asl::parse_syntax(&text, Format::Json);
    let rules = measure(BUDGET, || {
        timed(|| {
            black_box(stepwise_asl::validate(&text, &syntax, &options));
        })
    });
    let peer_validate: PeerResult = match &peer {
        Ok(v) => Ok(v["validateOnly"].clone()),
        Err(failure) => Err(failure.clone()),
    };
    runs.push(format!("validate {}", rules.describe()));
    let (ratio_text, _) = ratio(rules.median_ms, &peer_validate);
    table.rows.push(Row {
        workload: "validate only (already parsed)".to_owned(),
        stepwise: format_ms(rules.median_ms),
        peer: peer_cell(&peer_validate),
        ratio: ratio_text,
        target: "< 10 ms".to_owned(),
        verdict: Verdict::of(rules.median_ms < 10.0),
    });

    // Edits on a state in the middle of the machine; each is undone (untimed) after timing.
    let blocks = (ASL_STATES - 14) / 5;
    let middle = format!("/States/Call{}", blocks / 2);
    let edits = [
        (
            "edit → snapshot: set a field (TimeoutSeconds)",
            Edit::SetField { pointer: format!("{middle}/TimeoutSeconds"), value: Some(json!(45)) },
            false,
        ),
        (
            "edit → snapshot: rename a state (rewrites references)",
            Edit::RenameState { state: middle.clone(), to: "CallRenamed".to_owned() },
            false,
        ),
        (
            "edit → snapshot + graph (set a field, then StateGraph::project)",
            Edit::SetField { pointer: format!("{middle}/TimeoutSeconds"), value: Some(json!(45)) },
            true,
        ),
    ];
    let mut document = Document::new(text.clone(), Format::Json, options.clone());
    for (label, edit, with_graph) in edits {
        let snapshot = document.apply(edit.clone()).map_err(|e| anyhow::anyhow!("{label}: {e}"))?;
        if snapshot.text == text {
            bail!("{label}: the edit changed nothing");
        }
        document.undo().map_err(|e| anyhow::anyhow!("{e}"))?;
        let sample = measure(BUDGET, || {
            let spent = timed(|| {
                let snapshot = document.apply(edit.clone()).expect("the edit applied before");
                if with_graph {
                    let definition = document.definition().expect("the text parses");
                    black_box(StateGraph::project(definition));
                }
                black_box(snapshot);
            });
            document.undo().expect("the edit is undoable");
            spent
        });
        if document.text() != text {
            bail!("{label}: undo did not restore the text");
        }
        runs.push(format!("edit {} {}", runs.len() - 1, sample.describe()));
        table.rows.push(edit_row(label, sample));
    }
    let mut edits = SessionEdits::open(&files.machine(SESSION_STATES))?;
    let sample = measure(BUDGET, || timed(|| edits.next()));
    runs.push(format!("session edit {}", sample.describe()));
    table.rows.push(edit_row(
        &format!("edit → update in the app's Session ({SESSION_STATES} states, incl. JSON)"),
        sample,
    ));
    table.notes.push(format!("stepwise: {}", runs.join("; ")));
    table.notes.push(format!(
        "{}: {} bytes, {ASL_STATES} states (Tasks with Retry and Catch, Choices, a Parallel, a Map); \
         Stepwise finds {errors} errors, {warnings} warnings",
        path.file_name().and_then(|n| n.to_str()).unwrap_or("machine"),
        text.len(),
    ));
    match &peer {
        Ok(v) => table.notes.push(format!(
            "asl-validator {}: {} ({} errors); its figures are JSON.parse + validation, and \
             validation of a parsed object; it compiles its JSON schemas on every call{}",
            v["version"].as_str().unwrap_or("?"),
            if v["valid"] == json!(true) { "valid" } else { "INVALID" },
            v["errors"],
            peer_runs(&peer),
        )),
        Err(failure) => table.notes.push(format!("asl-validator: {}", failure.why)),
    }
    table.notes.push(
        "edit rows: Document::apply (splice, re-parse, re-validate, snapshot); asl-validator \
         has no document or edit API, so no peer figure"
            .to_owned(),
    );
    table.notes.push(format!(
        "Session row: Session::apply_edit changing a Pass state's Type to Wait and back (as the \
         window benchmark's inspector does) on machine-{SESSION_STATES}.asl.json, graph and \
         layout kept, then serde_json::to_string of the update the app sends (decision 0013)"
    ));
    Ok(table)
}

/// The window benchmark's field edit without the window: a `Session` with the machine open,
/// the Type of its first top-level Pass state changed to Wait and back, each answer serialised
/// as Tauri serialises it.
struct SessionEdits {
    session: stepwise_api::Session,
    document_id: u32,
    state: String,
    edits: usize,
}

impl SessionEdits {
    fn open(path: &Path) -> Result<SessionEdits> {
        let machine = read_json(path)?;
        let states = machine["States"].as_object().context("the machine has no States")?;
        let (name, _) =
            states.iter().find(|(_, s)| s["Type"] == "Pass").context("the machine has no Pass")?;
        let mut session = stepwise_api::Session::new(None);
        let open = stepwise_api::wire::OpenDocument { path: path.display().to_string() };
        let snapshot = session.open_document(open).map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let state = format!("/States/{name}");
        Ok(SessionEdits { session, document_id: snapshot.head.document_id, state, edits: 0 })
    }

    /// One edit and its JSON.
    fn next(&mut self) {
        let to = if self.edits % 2 == 0 { "Wait" } else { "Pass" };
        self.edits += 1;
        let edit = stepwise_api::wire::EditRequest::ChangeType {
            state: self.state.clone(),
            state_type: to.to_owned(),
        };
        let request = stepwise_api::wire::ApplyEdit { document_id: self.document_id, edit };
        let snapshot = self.session.apply_edit(request).expect("a Type change applies");
        // What the app sends: the update from the last snapshot (decision 0013).
        let update = self.session.outgoing(snapshot);
        black_box(serde_json::to_string(&update).expect("an update serialises"));
    }
}

/// Runs `times` edits of the Session row and nothing else, for a profiler.
fn session_edits(path: &Path, times: u32) -> Result<()> {
    let mut edits = SessionEdits::open(path)?;
    for _ in 0..times {
        edits.next();
    }
    Ok(())
}

fn edit_row(label: &str, sample: Sample) -> Row {
    Row {
        workload: label.to_owned(),
        stepwise: format_ms(sample.median_ms),
        peer: "n/a (no edit API)".to_owned(),
        ratio: "—".to_owned(),
        target: "< 16 ms".to_owned(),
        verdict: Verdict::of(sample.median_ms < 16.0),
    }
}

/// Section 3: layout (issue #5, bullet 7).
fn layout_section(files: &Files, peers: &Peers) -> Result<Table> {
    let mut table = Table::new(
        "Layout (issue #5) — stepwise_layout::layout vs elkjs (layered), same graphs with Catch edges",
    );
    let budget = Budget { time: Duration::from_secs(3), min_runs: 3, max_runs: 21 };
    for (states, target_ms) in LAYOUT_STATES.into_iter().zip([50.0, 300.0]) {
        eprintln!("stepwise-bench: layout {states}");
        let text = std::fs::read_to_string(files.machine(states))?;
        let graph = workloads::project(&text);
        let placed = stepwise_layout::layout(&graph);
        let sample = measure(budget, || {
            timed(|| {
                black_box(stepwise_layout::layout(&graph));
            })
        });
        let path = files.graph(states);
        let peer = peers.run(
            "layout.mjs",
            &[path.display().to_string()],
            LAYOUT_PEER_BUDGET,
            LAYOUT_PEER_TIMEOUT,
        );
        let (ratio_text, _) = ratio(sample.median_ms, &peer);
        let catches = graph
            .graph
            .edge_weights()
            .filter(|e| matches!(e.kind, stepwise_graph::EdgeKind::Catch(_)))
            .count();
        table.rows.push(Row {
            workload: format!(
                "{states}-state machine ({} nodes, {} edges)",
                graph.graph.node_count(),
                graph.graph.edge_count()
            ),
            stepwise: format_ms(sample.median_ms),
            peer: peer_cell(&peer),
            ratio: ratio_text,
            target: format!("< {target_ms:.0} ms"),
            verdict: Verdict::of(sample.median_ms < target_ms),
        });
        table.notes.push(format!(
            "{states} states: {catches} Catch edges, {} scopes; Stepwise placed {} nodes and \
             reported {} back edges; stepwise {}{}",
            graph.scopes.len(),
            placed.nodes.len(),
            placed.back_edges.len(),
            sample.describe(),
            peer_runs(&peer),
        ));
    }
    table.notes.push(
        "both lay out each scope (Parallel branch, Map processor) inside its container, top to \
         bottom, with the same box sizes; the graph projection is not timed"
            .to_owned(),
    );
    Ok(table)
}
