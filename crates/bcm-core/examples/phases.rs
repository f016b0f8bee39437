//! Times the phases of loading and analysing a model file, for profiling by hand:
//! `cargo run --release -p bcm-core --example phases FILE`. The benchmarks proper are in benches/.
use std::time::Instant;

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: phases FILE");
        std::process::exit(2);
    };
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("cannot read {path}");
        std::process::exit(2);
    };
    let t = Instant::now();
    let Ok(model) = bcm_core::Model::from_json_str(&text) else {
        eprintln!("not a valid model");
        std::process::exit(1);
    };
    let load = t.elapsed();
    let t = Instant::now();
    let v = model.validate();
    let validate = t.elapsed();
    let t = Instant::now();
    let analyzer = bcm_core::Analyzer::borrowed(&model);
    analyzer.graph();
    let build = t.elapsed();
    let t = Instant::now();
    let o = analyzer.objectives(&Default::default());
    let objectives = t.elapsed();
    let t = Instant::now();
    let s = analyzer.spof(&Default::default());
    let spof = t.elapsed();
    let t = Instant::now();
    let mut affected = 0;
    for site in &model.sites {
        let params = bcm_core::impact::ImpactParams {
            lose: vec![site.id.to_string()],
            at: None,
        };
        if let Ok(r) = analyzer.impact(&params) {
            affected += r.functions.len();
        }
    }
    let impact = t.elapsed();
    let t = Instant::now();
    let Ok(a) = analyzer.availability(&Default::default()) else {
        eprintln!("availability refused the default parameters");
        std::process::exit(1);
    };
    let availability = t.elapsed();
    let pairs = s.pair_count();
    println!(
        "load {load:?} validate {validate:?} ({} findings) graph {build:?} objectives {objectives:?} ({} nodes) spof {spof:?} ({pairs} pairs) impact-of-each-site {impact:?} ({affected} affected) availability {availability:?} ({} nodes)",
        v.findings.len(),
        o.nodes.len(),
        a.nodes.len()
    );
    println!(
        "objectives + spof + impact of each site: {:?}",
        objectives + spof + impact
    );
}
