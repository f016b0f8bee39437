//! Times the recovery schedule of a site loss, for profiling by hand:
//! `cargo run --release -p bcm-core --example schedule_large FILE [ROUNDS]`.
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let (Some(path), rounds) = (args.next(), args.next()) else {
        eprintln!("usage: schedule_large FILE [ROUNDS]");
        std::process::exit(2);
    };
    let rounds: u32 = rounds.and_then(|r| r.parse().ok()).unwrap_or(20);
    let Ok(model) = std::fs::read_to_string(&path)
        .map_err(|_| ())
        .and_then(|t| bcm_core::Model::from_json_str(&t).map_err(|_| ()))
    else {
        eprintln!("cannot load {path}");
        std::process::exit(2);
    };
    let analyzer = bcm_core::Analyzer::borrowed(&model);
    let lose: Vec<String> = model
        .sites
        .iter()
        .take(1)
        .map(|s| s.id.to_string())
        .collect();
    let params = bcm_core::schedule::ScheduleParams { lose };
    let t = Instant::now();
    let first = analyzer.schedule(&params);
    println!(
        "first (with the analyzer's one-off work): {:?}",
        t.elapsed()
    );
    // The fastest of the rounds: the least disturbed by the rest of the machine.
    let (mut compute, mut report) = (std::time::Duration::MAX, std::time::Duration::MAX);
    for _ in 0..rounds {
        let t = Instant::now();
        let times = analyzer.schedule_times(&params);
        compute = compute.min(t.elapsed());
        let t = Instant::now();
        drop(times.map(|times| analyzer.schedule_report(&times)));
        report = report.min(t.elapsed());
    }
    println!(
        "then, fastest of {rounds}: {:?} to compute a schedule, {:?} to write and drop its report ({} nodes affected)",
        compute,
        report,
        first.map_or(0, |s| s
            .nodes
            .iter()
            .filter(|n| n.down_at.is_some())
            .count())
    );
}
