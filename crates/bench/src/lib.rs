//! `cargo xtask bench`: Stepwise's figures side by side with a peer's, on the same workload
//! files, in the same run, with ratios and the issues' targets.
//!
//! - [`workloads`] generates the workload files (into `target/bench/`), read by both sides.
//! - [`measure`] times a closure: one warm-up run, then the median of several runs.
//! - [`Table`] prints one section: workload | stepwise | peer | ratio | target | verdict.
//!
//! The peers are Node scripts in `bench/peers/` (see docs/decisions/0008-benchmarks.md); the
//! binary runs them as child processes and reads the one JSON object each prints.

use std::time::{Duration, Instant};

pub mod workloads;

/// How long and how often to time one workload.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// Keep running (after `min_runs`) until this much time is spent…
    pub time: Duration,
    /// …but at least this many runs…
    pub min_runs: usize,
    /// …and at most this many.
    pub max_runs: usize,
}

/// Stepwise's default: workloads take from microseconds to tens of milliseconds.
pub const BUDGET: Budget = Budget { time: Duration::from_secs(2), min_runs: 5, max_runs: 51 };

/// A timing: the median of `runs` runs after one warm-up, and the fastest run (on a shared
/// machine, the least disturbed one).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sample {
    pub median_ms: f64,
    pub min_ms: f64,
    pub runs: usize,
}

impl Sample {
    /// "median of 51 runs, fastest 0.552 ms", for the notes under a table.
    pub fn describe(&self) -> String {
        format!("median of {} runs, fastest {}", self.runs, format_ms(self.min_ms))
    }
}

/// Times `run`, which returns the duration of the part it wants timed (so it can set up and
/// tear down around it): one warm-up run, then runs until the budget is spent.
pub fn measure(budget: Budget, mut run: impl FnMut() -> Duration) -> Sample {
    run();
    let mut times = runs(budget, &mut run);
    Sample::of(&mut times)
}

/// Like [`measure`], with the budget spent in two halves, before and after `between` (a peer's
/// runs): the median of both halves is taken over the time the peer ran in, so a slower or
/// faster spell of the shared host does not fall on one side only.
pub fn measure_around<T>(
    budget: Budget,
    mut run: impl FnMut() -> Duration,
    between: impl FnOnce() -> T,
) -> (Sample, T) {
    let half = Budget {
        time: budget.time / 2,
        min_runs: budget.min_runs.div_ceil(2),
        max_runs: budget.max_runs.div_ceil(2),
    };
    run();
    let mut times = runs(half, &mut run);
    let value = between();
    times.extend(runs(half, &mut run));
    (Sample::of(&mut times), value)
}

/// Runs `run` until `budget` is spent; each run's time in milliseconds.
fn runs(budget: Budget, run: &mut impl FnMut() -> Duration) -> Vec<f64> {
    let mut times = Vec::new();
    let started = Instant::now();
    while times.len() < budget.max_runs
        && (times.len() < budget.min_runs || started.elapsed() < budget.time)
    {
        times.push(run().as_secs_f64() * 1000.0);
    }
    times
}

impl Sample {
    /// The median and fastest of `times` (milliseconds).
    fn of(times: &mut [f64]) -> Sample {
        let min_ms = times.iter().copied().fold(f64::INFINITY, f64::min);
        Sample {
            median_ms: median(times),
            min_ms: if times.is_empty() { 0.0 } else { min_ms },
            runs: times.len(),
        }
    }
}

/// Times two closures in alternation (one warm-up each, then `a`, `b`, `a`, `b`, …) until the
/// budget is spent, so a change in the machine's load weighs on both alike; for a ratio of
/// two figures of the same run.
pub fn measure_pair(
    budget: Budget,
    mut a: impl FnMut() -> Duration,
    mut b: impl FnMut() -> Duration,
) -> (Sample, Sample) {
    a();
    b();
    let (mut times_a, mut times_b) = (Vec::new(), Vec::new());
    let started = Instant::now();
    while times_a.len() < budget.max_runs
        && (times_a.len() < budget.min_runs || started.elapsed() < budget.time)
    {
        times_a.push(a().as_secs_f64() * 1000.0);
        times_b.push(b().as_secs_f64() * 1000.0);
    }
    (Sample::of(&mut times_a), Sample::of(&mut times_b))
}

/// The median (the mean of the two middle values for an even count); 0 for no values.
pub fn median(values: &mut [f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    if values.len() % 2 == 1 { values[mid] } else { (values[mid - 1] + values[mid]) / 2.0 }
}

/// Times one call of `f`.
pub fn timed(f: impl FnOnce()) -> Duration {
    let start = Instant::now();
    f();
    start.elapsed()
}

/// A duration in milliseconds, readably: `0.412 ms`, `28.4 ms`, `1.73 s`.
pub fn format_ms(ms: f64) -> String {
    if ms >= 1000.0 {
        format!("{:.2} s", ms / 1000.0)
    } else if ms >= 100.0 {
        format!("{ms:.0} ms")
    } else if ms >= 10.0 {
        format!("{ms:.1} ms")
    } else if ms >= 1.0 {
        format!("{ms:.2} ms")
    } else {
        format!("{ms:.3} ms")
    }
}

/// A rate, readably: `3.02 M/s`, `41.7 k/s`.
pub fn format_rate(per_second: f64) -> String {
    if per_second >= 1e6 {
        format!("{:.2} M/s", per_second / 1e6)
    } else if per_second >= 1e3 {
        format!("{:.1} k/s", per_second / 1e3)
    } else {
        format!("{per_second:.0} /s")
    }
}

/// A ratio, readably: `152×`, `3.4×`, `0.52×`.
pub fn format_ratio(ratio: f64) -> String {
    if ratio >= 100.0 {
        format!("{ratio:.0}×")
    } else if ratio >= 10.0 {
        format!("{ratio:.1}×")
    } else {
        format!("{ratio:.2}×")
    }
}

/// Whether a row meets its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    Met,
    NotMet,
    /// The target compares with the peer and the peer has no figure.
    NoPeer,
    /// The row has no target (context only).
    None,
}

impl Verdict {
    pub fn of(met: bool) -> Verdict {
        if met { Verdict::Met } else { Verdict::NotMet }
    }

    fn text(self) -> &'static str {
        match self {
            Verdict::Met => "MET",
            Verdict::NotMet => "NOT MET",
            Verdict::NoPeer => "NO PEER FIGURE",
            Verdict::None => "",
        }
    }
}

/// One row of a table.
#[derive(Debug, Clone)]
pub struct Row {
    pub workload: String,
    pub stepwise: String,
    pub peer: String,
    pub ratio: String,
    pub target: String,
    pub verdict: Verdict,
}

/// One section's table, with notes printed under it.
#[derive(Debug, Clone, Default)]
pub struct Table {
    pub title: String,
    pub rows: Vec<Row>,
    pub notes: Vec<String>,
}

const HEADER: [&str; 6] = ["workload", "stepwise", "peer", "ratio", "target", "verdict"];

impl Table {
    pub fn new(title: impl Into<String>) -> Table {
        Table { title: title.into(), ..Table::default() }
    }

    /// The table as text: a title, a header, aligned columns, then the notes.
    pub fn render(&self) -> String {
        let cells: Vec<[&str; 6]> = self
            .rows
            .iter()
            .map(|r| {
                [
                    r.workload.as_str(),
                    r.stepwise.as_str(),
                    r.peer.as_str(),
                    r.ratio.as_str(),
                    r.target.as_str(),
                    r.verdict.text(),
                ]
            })
            .collect();
        let mut widths = HEADER.map(|h| h.chars().count());
        for row in &cells {
            for (width, cell) in widths.iter_mut().zip(row) {
                *width = (*width).max(cell.chars().count());
            }
        }
        let line = |row: &[&str; 6]| {
            let padded: Vec<String> = row
                .iter()
                .zip(widths)
                .map(|(cell, width)| {
                    let pad = width - cell.chars().count();
                    format!("{cell}{}", " ".repeat(pad))
                })
                .collect();
            format!("| {} |\n", padded.join(" | "))
        };
        let mut out = format!("## {}\n\n", self.title);
        out.push_str(&line(&HEADER));
        let rule: Vec<String> = widths.iter().map(|w| "-".repeat(*w)).collect();
        out.push_str(&format!("|-{}-|\n", rule.join("-|-")));
        for row in &cells {
            out.push_str(&line(row));
        }
        for note in &self.notes {
            out.push_str(&format!("  {note}\n"));
        }
        out
    }

    /// How many rows met and did not meet their targets (or lack the peer figure they need).
    pub fn verdicts(&self) -> (usize, usize) {
        let met = self.rows.iter().filter(|r| r.verdict == Verdict::Met).count();
        let missed = self
            .rows
            .iter()
            .filter(|r| matches!(r.verdict, Verdict::NotMet | Verdict::NoPeer))
            .count();
        (met, missed)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn median_of_odd_and_even_counts() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), 2.0);
        assert_eq!(median(&mut [4.0, 1.0, 3.0, 2.0]), 2.5);
        assert_eq!(median(&mut []), 0.0);
    }

    #[test]
    fn measure_warms_up_and_respects_the_run_bounds() {
        let mut calls = 0;
        let budget = Budget { time: Duration::ZERO, min_runs: 3, max_runs: 10 };
        let sample = measure(budget, || {
            calls += 1;
            Duration::from_millis(calls)
        });
        assert_eq!((calls, sample.runs), (4, 3));
        assert_eq!(sample.median_ms, 3.0, "the warm-up (1 ms) is not counted");
        assert_eq!(sample.min_ms, 2.0);
        assert_eq!(sample.describe(), "median of 3 runs, fastest 2.00 ms");
    }

    #[test]
    fn measure_around_spends_half_before_and_half_after() {
        let order = std::cell::RefCell::new(Vec::new());
        let budget = Budget { time: Duration::ZERO, min_runs: 4, max_runs: 10 };
        let (sample, peer) = measure_around(
            budget,
            || {
                order.borrow_mut().push('a');
                Duration::from_millis(order.borrow().len() as u64)
            },
            || {
                order.borrow_mut().push('p');
                "peer"
            },
        );
        assert_eq!(order.into_inner(), ['a', 'a', 'a', 'p', 'a', 'a']);
        assert_eq!(peer, "peer");
        // The warm-up (1 ms) is not counted: 2, 3, 5, 6.
        assert_eq!((sample.runs, sample.median_ms, sample.min_ms), (4, 4.0, 2.0));
    }

    #[test]
    fn measure_pair_alternates_and_counts_each_side() {
        let order = std::cell::RefCell::new(Vec::new());
        let budget = Budget { time: Duration::ZERO, min_runs: 2, max_runs: 10 };
        let (a, b) = measure_pair(
            budget,
            || {
                order.borrow_mut().push('a');
                Duration::from_millis(1)
            },
            || {
                order.borrow_mut().push('b');
                Duration::from_millis(3)
            },
        );
        assert_eq!(order.into_inner(), ['a', 'b', 'a', 'b', 'a', 'b']);
        assert_eq!((a.runs, a.median_ms, b.runs, b.median_ms), (2, 1.0, 2, 3.0));
    }

    #[test]
    fn tables_align_their_columns() {
        let mut table = Table::new("section");
        table.rows.push(Row {
            workload: "loop".into(),
            stepwise: format_ms(0.6612),
            peer: format_ms(101.2),
            ratio: format_ratio(153.05),
            target: "≥ 100×".into(),
            verdict: Verdict::Met,
        });
        table.notes.push("a note".into());
        let text = table.render();
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[2], "| workload | stepwise | peer   | ratio | target | verdict |");
        assert_eq!(lines[4], "| loop     | 0.661 ms | 101 ms | 153×  | ≥ 100× | MET     |");
        assert_eq!(lines[5], "  a note");
        assert_eq!(table.verdicts(), (1, 0));
        assert_eq!(format_rate(3_020_000.0), "3.02 M/s");
        assert_eq!(format_ms(1730.0), "1.73 s");
    }
}
