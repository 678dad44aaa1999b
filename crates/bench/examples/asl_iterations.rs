//! Why a timing moved: the ASL section's `check`, run after an optional pause, timed run by run
//! with what the kernel saw of each run (Linux only: it reads /proc).
//!
//! `cargo run --release -p stepwise-bench --example asl_iterations -- FILE RUNS [AFTER]`, where
//! AFTER is `peer` (bench/peers/validate.mjs on FILE first, as `stepwise-bench --only asl`
//! does), `sleep:SECONDS`, `cmd:SHELL COMMAND` or nothing. Prints the median and fastest run,
//! the median time waiting to run (another task had this core), and the minor page faults (in
//! the first run, and in all). `ALL=1` prints every run.
//!
//! The waiting time does not show everything: on this 2-vCPU virtual machine a run is ~40 %
//! slower while the other vCPU is busy, with no time waiting and no page fault (decision 0008;
//! `ALL=1` shows it run by run). Time on the CPU is not printed: the kernel
//! brings a running thread's figure (/proc/…/schedstat) up to date only at a scheduler tick, so
//! it is off by up to a tick per run; `perf stat -e task-clock` has the exact total.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use stepwise_asl::{Format, Options};

/// The bench's allocator, so that the faults are those of the bench.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Minor page faults of this process so far (/proc/self/stat, field 10).
fn minor_faults() -> u64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after_name = stat.rfind(')').map_or("", |at| &stat[at + 2..]);
    after_name.split(' ').nth(7).and_then(|f| f.parse().ok()).unwrap_or(0)
}

/// Nanoseconds this thread has spent waiting for a CPU (/proc/thread-self/schedstat: exact, as
/// a wait ends with the thread being scheduled).
fn waiting_ns() -> u64 {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
    stat.split_whitespace().nth(1).and_then(|f| f.parse().ok()).unwrap_or(0)
}

fn pause(after: &str, file: &str) {
    let started = Instant::now();
    if after == "peer" {
        let _ = Command::new("node")
            .current_dir("bench/peers")
            .args(["validate.mjs", file, "--budgetMs", "5000", "--minRuns", "3", "--maxRuns", "15"])
            .stdout(Stdio::null())
            .status();
    } else if let Some(command) = after.strip_prefix("cmd:") {
        let _ = Command::new("sh").args(["-c", command]).status();
    } else if let Some(seconds) = after.strip_prefix("sleep:") {
        std::thread::sleep(Duration::from_secs_f64(seconds.parse().unwrap_or(0.0)));
    }
    eprintln!("after {after:?}: paused {:.1} s", started.elapsed().as_secs_f64());
}

fn median(mut values: Vec<f64>) -> f64 {
    values.sort_by(f64::total_cmp);
    values.get(values.len() / 2).copied().unwrap_or(0.0)
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (Some(file), Some(runs)) = (args.get(1), args.get(2).and_then(|r| r.parse::<usize>().ok()))
    else {
        eprintln!("usage: asl_iterations FILE RUNS [peer|sleep:SECONDS|cmd:COMMAND]");
        std::process::exit(2);
    };
    let after = args.get(3).map_or("", String::as_str);
    let text = std::fs::read_to_string(file).expect("the definition is readable");
    let options = Options::default();
    // The bench's warm-up run, before the pause as there.
    drop(stepwise_asl::check(&text, Format::Json, &options));
    pause(after, file);
    let (mut wall, mut wait, mut faults) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let (faults_before, wait_before) = (minor_faults(), waiting_ns());
        let started = Instant::now();
        std::hint::black_box(stepwise_asl::check(&text, Format::Json, &options));
        wall.push(started.elapsed().as_secs_f64() * 1e3);
        wait.push((waiting_ns() - wait_before) as f64 / 1e6);
        faults.push(minor_faults() - faults_before);
    }
    if std::env::var_os("ALL").is_some() {
        for i in 0..runs {
            println!("{:.2} ms (waiting {:.2}), {} faults", wall[i], wait[i], faults[i]);
        }
    }
    let fastest = wall.iter().copied().fold(f64::INFINITY, f64::min);
    println!(
        "{after:?}: median {:.2} ms, fastest {fastest:.2} ms; waiting {:.2} ms (median); minor \
         faults: first run {}, all runs {}",
        median(wall),
        median(wait),
        faults.first().copied().unwrap_or(0),
        faults.iter().sum::<u64>(),
    );
}
