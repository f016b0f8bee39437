//! Loads and validates a model file five times, for profiling the loader and validation:
//! `cargo run --release -p bcm-core --example validate_large FILE`.
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: validate_large FILE");
        std::process::exit(2);
    };
    let Ok(text) = std::fs::read_to_string(&path) else {
        eprintln!("cannot read {path}");
        std::process::exit(2);
    };
    for _ in 0..5 {
        let start = std::time::Instant::now();
        let v = bcm_core::validate_document(&text, bcm_core::Format::Json);
        println!(
            "load + validate: {:?} ({} findings)",
            start.elapsed(),
            v.findings.len()
        );
    }
}
