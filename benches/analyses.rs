//! Criterion benchmarks of loading and every dependency analysis on the generated `small` and
//! `large` models of DESIGN §7 (seed 1). The cross-language ratios are `benches/compare.py`.
//!
//! `make bench`, or `cargo bench -p bcm-core --features generate --bench analyses`.

// Benchmark setup panics on purpose: a model that cannot be generated is a broken benchmark.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    missing_docs
)]

use std::hint::black_box;
use std::time::Duration;

use bcm_core::generate::{Shape, generate};
use bcm_core::impact::ImpactParams;
use bcm_core::{Analyzer, DependencyGraph, Model, schedule, simulate};
use criterion::{Criterion, criterion_group, criterion_main};

fn each_site(analyzer: &Analyzer<'_>) -> usize {
    analyzer
        .model()
        .sites
        .iter()
        .map(|site| {
            let params = ImpactParams {
                lose: vec![site.id.to_string()],
                at: None,
            };
            analyzer.impact(&params).unwrap().functions.len()
        })
        .sum()
}

fn bench(c: &mut Criterion) {
    for (name, shape) in [("small", Shape::small()), ("large", Shape::large())] {
        let model = generate(&shape, 1);
        let json = model.to_json().unwrap();
        // One analyzer for the per-analysis rows: its graph and derived data are built once, as
        // a binding's are.
        let analyzer = Analyzer::borrowed(&model);
        let mut group = c.benchmark_group(name);
        if name == "large" {
            group
                .sample_size(10)
                .measurement_time(Duration::from_secs(20));
        }
        group.bench_function("load_json", |b| {
            b.iter(|| Model::from_json_str(black_box(&json)).unwrap())
        });
        group.bench_function("load_and_validate_json", |b| {
            b.iter(|| Model::from_json_str(black_box(&json)).unwrap().validate())
        });
        group.bench_function("graph", |b| {
            b.iter(|| DependencyGraph::new(black_box(&model)))
        });
        group.bench_function("objectives", |b| {
            b.iter(|| analyzer.objectives(&Default::default()))
        });
        group.bench_function("spof", |b| b.iter(|| analyzer.spof(&Default::default())));
        group.bench_function("impact_of_each_site", |b| b.iter(|| each_site(&analyzer)));
        group.bench_function("availability", |b| {
            b.iter(|| analyzer.availability(&Default::default()).unwrap())
        });
        // The recovery schedule of losing the first site, and (small) 10,000 simulations of it.
        let site = vec![model.sites[0].id.to_string()];
        group.bench_function("schedule_site_loss", |b| {
            let params = schedule::ScheduleParams { lose: site.clone() };
            b.iter(|| analyzer.schedule(&params).unwrap())
        });
        // The same without writing out the report (every node by ID), as Python's lazy
        // `Model.schedule` does.
        group.bench_function("schedule_site_loss_times", |b| {
            let params = schedule::ScheduleParams { lose: site.clone() };
            b.iter(|| analyzer.schedule_times(&params).unwrap())
        });
        if name == "small" {
            group.bench_function("simulate_site_loss_10000", |b| {
                let params = simulate::SimulateParams {
                    lose: site.clone(),
                    iterations: 10_000,
                    seed: 1,
                };
                b.iter(|| analyzer.simulate(&params).unwrap())
            });
        }
        // The bar of DESIGN §7: objectives + SPOF + impact of each site, graph included.
        group.bench_function("objectives_spof_impact_of_each_site", |b| {
            b.iter(|| {
                let analyzer = Analyzer::borrowed(&model);
                let o = analyzer.objectives(&Default::default());
                let s = analyzer.spof(&Default::default());
                (o.nodes.len(), s.pair_count(), each_site(&analyzer))
            })
        });
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
