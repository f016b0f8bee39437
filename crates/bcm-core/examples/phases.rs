//! Times the phases of loading and validating a model file: `cargo run --release --example phases FILE`.
use std::time::Instant;
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: phases FILE");
        std::process::exit(2);
    };
    let t = Instant::now();
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("cannot read {path}");
        std::process::exit(2);
    };
    let read = t.elapsed();
    let t = Instant::now();
    let loaded = bcm_core::load_document(&text, bcm_core::Format::Json);
    let load = t.elapsed();
    let Some(model) = loaded.model else {
        eprintln!("not a model");
        std::process::exit(1);
    };
    let t = Instant::now();
    let graph = bcm_core::DependencyGraph::new(&model);
    let build = t.elapsed();
    let t = Instant::now();
    let cycles = graph.cycles();
    let scc = t.elapsed();
    let t = Instant::now();
    let v = model.validate();
    let validate = t.elapsed();
    println!(
        "read {read:?} load {load:?} graph {build:?} cycles {scc:?} ({}) validate {validate:?} ({} findings, {} nodes, {} edges)",
        cycles.len(),
        v.findings.len(),
        graph.node_count(),
        graph.edge_count()
    );
}
