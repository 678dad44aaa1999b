//! Temporary profiling driver (not committed).
use stepwise_interp::{Data, Limits, Options, Ports, compile, run_plan};
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let file: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&args[1]).unwrap()).unwrap();
    let n: usize = args[2].parse().unwrap();
    let plan = compile(&file["definition"]).unwrap();
    let input = Data::from(&file["input"]);
    let mut options = Options { record_trace: false, ..Options::default() };
    if file["liftPayloadLimit"] == serde_json::json!(true) {
        options.limits = Limits { max_payload_bytes: usize::MAX, max_history_events: usize::MAX };
    }
    let mut best = f64::MAX;
    for _ in 0..n {
        let t = std::time::Instant::now();
        std::hint::black_box(run_plan(&plan, input.clone(), options.clone(), Ports::default()));
        best = best.min(t.elapsed().as_secs_f64() * 1000.0);
    }
    println!("best {best:.4} ms");
}
