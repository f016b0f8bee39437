//! The scaling table of DESIGN §7 (issue 21): each analysis on the generated `small`, `large`
//! and `xlarge` (4× large) estates, time (best of up to three runs within two seconds) and peak
//! heap, and the growth from large to xlarge against the n log n bar: 4 × ln(4n)/ln(n) for four
//! times the model (about 4.5×), apart from output size.
//!
//! `make bench-sizes`, or `cargo bench -p bcm-core --features generate --bench sizes`. A
//! benchmark, not a test: it prints the table (the README's) and exits 1 when a row misses.

// Benchmark setup panics on purpose: a model that cannot be analysed is a broken benchmark.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

#[path = "measure.rs"]
mod measure;

use std::time::Duration;

use bcm_core::generate::{Shape, generate};
use bcm_core::impact::ImpactParams;
use bcm_core::schedule::ScheduleParams;
use bcm_core::simulate::SimulateParams;
use bcm_core::{Analyzer, Date, Format, Model, read_document};
use measure::measure;

/// The site every scenario loses (the generator's first).
const SITE: &str = "site00";

type Row = (&'static str, fn(&Model, &str));

const ROWS: [Row; 12] = [
    ("load + validate", |_, json| {
        std::hint::black_box(read_document(json, Format::Json));
    }),
    // Built by the first analysis of each row below: shown apart, so that its share of their
    // growth is seen.
    ("dependency graph", |m, _| {
        std::hint::black_box(Analyzer::borrowed(m).graph());
    }),
    ("objectives", |m, _| {
        std::hint::black_box(Analyzer::borrowed(m).objectives(&Default::default()));
    }),
    ("spof (+ ranking)", |m, _| {
        std::hint::black_box(Analyzer::borrowed(m).spof(&Default::default()).ranking());
    }),
    ("impact of a site", |m, _| {
        let params = ImpactParams {
            lose: vec![SITE.into()],
            at: None,
        };
        std::hint::black_box(Analyzer::borrowed(m).impact(&params).unwrap());
    }),
    ("schedule of a site", |m, _| {
        let params = ScheduleParams {
            lose: vec![SITE.into()],
        };
        std::hint::black_box(Analyzer::borrowed(m).schedule(&params).unwrap());
    }),
    ("simulate 1,000", |m, _| {
        let params = SimulateParams {
            lose: vec![SITE.into()],
            iterations: 1_000,
            seed: 1,
        };
        std::hint::black_box(Analyzer::borrowed(m).simulate(&params).unwrap());
    }),
    ("availability", |m, _| {
        std::hint::black_box(
            Analyzer::borrowed(m)
                .availability(&Default::default())
                .unwrap(),
        );
    }),
    ("currency", |m, _| {
        let at: Date = "2026-07-01".parse().unwrap();
        let params = bcm_core::currency::CurrencyParams::at(at);
        std::hint::black_box(Analyzer::borrowed(m).currency(&params).unwrap());
    }),
    ("conformance", |m, _| {
        let at: Date = "2026-07-01".parse().unwrap();
        let params = bcm_core::conformance::ConformanceParams::at(at, "ma-ebcm");
        std::hint::black_box(Analyzer::borrowed(m).conformance(&params).unwrap());
    }),
    ("maturity", |m, _| {
        let at: Date = "2026-07-01".parse().unwrap();
        let params = bcm_core::maturity::MaturityParams::at(at);
        std::hint::black_box(Analyzer::borrowed(m).maturity(&params).unwrap());
    }),
    ("report (HTML)", |m, _| {
        let params = bcm_core::report::ReportParams {
            at: Some("2026-07-01".parse().unwrap()),
            ..Default::default()
        };
        let report = Analyzer::borrowed(m).report(&params).unwrap();
        std::hint::black_box(
            bcm_core::report::render(&report, bcm_core::report::Format::Html).unwrap(),
        );
    }),
];

fn seconds(d: Duration) -> String {
    if d < Duration::from_millis(10) {
        format!("{:.2} ms", d.as_secs_f64() * 1e3)
    } else {
        format!("{:.3} s", d.as_secs_f64())
    }
}

fn main() {
    let sizes = [
        ("small", Shape::small()),
        ("large", Shape::large()),
        ("xlarge", Shape::xlarge()),
    ];
    let models: Vec<(&str, Model, String)> = sizes
        .into_iter()
        .map(|(name, shape)| {
            let m = generate(&shape, 1);
            let json = m.to_json().unwrap();
            eprintln!(
                "{name}: {} functions, {} assets, {} MB of JSON",
                m.functions.len(),
                m.assets.len(),
                json.len() / 1_000_000
            );
            (name, m, json)
        })
        .collect();
    let bar = 4.0 * (4.0 * 50_000f64).ln() / 50_000f64.ln();
    println!(
        "| analysis | small | large | xlarge | xlarge / large | heap small | heap large | heap xlarge |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    let mut missed = Vec::new();
    for (name, run) in ROWS {
        let mut times = Vec::new();
        let mut heaps = Vec::new();
        for (_, m, json) in &models {
            let (t, heap) = measure(|| run(m, json));
            times.push(t);
            heaps.push(heap);
        }
        let ratio = times[2].as_secs_f64() / times[1].as_secs_f64();
        if ratio > bar && times[2] > Duration::from_millis(50) {
            missed.push(format!("{name}: {ratio:.1}x"));
        }
        println!(
            "| {name} | {} | {} | {} | {ratio:.1}× | {:.1} MB | {:.0} MB | {:.0} MB |",
            seconds(times[0]),
            seconds(times[1]),
            seconds(times[2]),
            heaps[0] as f64 / 1e6,
            heaps[1] as f64 / 1e6,
            heaps[2] as f64 / 1e6,
        );
    }
    println!("bar: xlarge / large at most {bar:.1}x (n log n for 4n)");
    if !missed.is_empty() {
        println!("missed: {}", missed.join(", "));
        std::process::exit(1);
    }
}
