//! Structure-compiler throughput on the realistic 20-block workout
//! (`shared/fixtures/bench-workout-20.json`). Run with
//! `cargo bench -p paceline-core --bench structure` (or `cargo xtask bench`, which adds the
//! wasm figures). Prints structures per second: the median of five one-second runs.
#![allow(clippy::print_stdout, missing_docs)]

use std::hint::black_box;
use std::time::{Duration, Instant};

use paceline_core::structure;

const FIXTURE: &str = include_str!("../../../shared/fixtures/bench-workout-20.json");

/// Runs `f` in batches for about `secs` and returns calls per second.
fn rate(secs: f64, mut f: impl FnMut()) -> f64 {
    let budget = Duration::from_secs_f64(secs);
    let start = Instant::now();
    let mut n = 0u64;
    while start.elapsed() < budget {
        for _ in 0..256 {
            f();
        }
        n += 256;
    }
    n as f64 / start.elapsed().as_secs_f64()
}

fn report(name: &str, mut f: impl FnMut()) {
    rate(0.3, &mut f); // warm-up
    let mut runs: Vec<f64> = (0..5).map(|_| rate(1.0, &mut f)).collect();
    runs.sort_by(f64::total_cmp);
    println!(
        "native: {name}: median {:.0} structures/s (min {:.0}, max {:.0}; {:.2} µs each)",
        runs[2],
        runs[0],
        runs[4],
        1e6 / runs[2]
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing we need.
    let value: serde_json::Value = serde_json::from_str(FIXTURE).expect("fixture is JSON");
    let compiled = structure::compile(FIXTURE).expect("fixture compiles");
    report("compile(&str) → Structure", || {
        black_box(structure::compile(black_box(FIXTURE)).ok());
    });
    report("compile_value(&Value) → Structure", || {
        black_box(structure::compile_value(black_box(&value)).ok());
    });
    report("compile(&str) → wire JSON text", || {
        black_box(structure::compile(black_box(FIXTURE)).map(|s| s.to_json()).ok());
    });
    report("metrics(&Structure)", || {
        black_box(structure::metrics(black_box(&compiled), Some(250.0)));
    });
}
