//! Scaling of every analysis on degenerate shapes (issue 17, DESIGN §6): chains of functions and
//! of assets, wide fan-in and fan-out, one big group whose members share a site, deeply nested
//! groups and one team restoring everything. Each shape is timed at `n` and `4n` in the same run;
//! the bar is time(4n) ≤ 8 × time(n) — near-linear — and peak heap bounded by the model.
//!
//! `make bench-scaling`, or `cargo bench -p bcm-core --features generate --bench scaling [-- N]`
//! (N defaults to 25,000). A benchmark, not a test: it prints a table and exits 1 when a ratio
//! passes the bar, so a regression is visible without making CI timing-dependent.

// Benchmark setup panics on purpose: a shape that cannot be analysed is a broken benchmark.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::Duration;

use bcm_core::generate::{Degenerate, SITE};
use bcm_core::impact::ImpactParams;
use bcm_core::schedule::ScheduleParams;
use bcm_core::simulate::SimulateParams;
use bcm_core::{Analyzer, Model};

#[path = "measure.rs"]
mod measure;

use measure::measure;

type Analysis = (&'static str, fn(&Model));

const ANALYSES: [Analysis; 8] = [
    ("validate", |m| {
        std::hint::black_box(Analyzer::borrowed(m).validate());
    }),
    ("objectives", |m| {
        std::hint::black_box(Analyzer::borrowed(m).objectives(&Default::default()));
    }),
    ("impact", |m| {
        let params = ImpactParams {
            lose: vec![SITE.to_string()],
            at: None,
        };
        std::hint::black_box(Analyzer::borrowed(m).impact(&params).unwrap());
    }),
    ("spof", |m| {
        std::hint::black_box(Analyzer::borrowed(m).spof(&Default::default()));
    }),
    ("availability", |m| {
        std::hint::black_box(
            Analyzer::borrowed(m)
                .availability(&Default::default())
                .unwrap(),
        );
    }),
    ("schedule", |m| {
        let params = ScheduleParams {
            lose: vec![SITE.to_string()],
        };
        std::hint::black_box(Analyzer::borrowed(m).schedule(&params).unwrap());
    }),
    ("schedule-times", |m| {
        let params = ScheduleParams {
            lose: vec![SITE.to_string()],
        };
        std::hint::black_box(Analyzer::borrowed(m).schedule_times(&params).unwrap());
    }),
    ("simulate-100", |m| {
        let params = SimulateParams {
            lose: vec![SITE.to_string()],
            iterations: 100,
            seed: 1,
        };
        std::hint::black_box(Analyzer::borrowed(m).simulate(&params).unwrap());
    }),
];

/// The bar: time at 4n at most this many times the time at n.
const TIME_BAR: f64 = 8.0;
/// Times below this are noise, not a trend: their ratio is not held to the bar.
const NOISE: Duration = Duration::from_millis(5);

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let n: usize = args
        .iter()
        .find_map(|arg| arg.parse().ok())
        .unwrap_or(25_000);
    // Other arguments (but cargo's own `--bench`) select rows: `shape`, `analysis` or
    // `shape/analysis`, by substring.
    let filters: Vec<&str> = args
        .iter()
        .map(String::as_str)
        .filter(|a| a.parse::<usize>().is_err() && !a.starts_with("--"))
        .collect();
    println!(
        "{:<18} {:<13} {:>10} {:>10} {:>6} {:>10} {:>10} {:>6}",
        "shape", "analysis", "t(n)", "t(4n)", "ratio", "heap(n)", "heap(4n)", "ratio"
    );
    let mut failures = Vec::new();
    let selected = |row: &str| filters.is_empty() || filters.iter().any(|f| row.contains(f));
    for shape in Degenerate::ALL {
        let rows = ANALYSES.map(|(name, _)| format!("{}/{name}", shape.name()));
        if !rows.iter().any(|row| selected(row)) {
            continue;
        }
        let small = shape.build(n);
        let big = shape.build(4 * n);
        for (name, analysis) in ANALYSES {
            if !selected(&format!("{}/{name}", shape.name())) {
                continue;
            }
            let (t1, m1) = measure(|| analysis(&small));
            let (t4, m4) = measure(|| analysis(&big));
            let time_ratio = t4.as_secs_f64() / t1.as_secs_f64().max(1e-9);
            let heap_ratio = m4 as f64 / (m1 as f64).max(1.0);
            let flag = if time_ratio > TIME_BAR && t4 > NOISE {
                failures.push(format!("{}/{name}", shape.name()));
                " <-- over the bar"
            } else {
                ""
            };
            println!(
                "{:<18} {:<13} {:>10.2?} {:>10.2?} {:>6.1} {:>9.1}M {:>9.1}M {:>6.1}{flag}",
                shape.name(),
                name,
                t1,
                t4,
                time_ratio,
                m1 as f64 / 1e6,
                m4 as f64 / 1e6,
                heap_ratio,
            );
        }
    }
    if !failures.is_empty() {
        eprintln!(
            "over the bar (4n > {TIME_BAR} x n): {}",
            failures.join(", ")
        );
        std::process::exit(1);
    }
}
