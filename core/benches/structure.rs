//! Structure-compiler throughput on the realistic 20-block workout
//! (`shared/fixtures/bench-workout-20.json`). Run with
//! `cargo bench -p paceline-core --bench structure` (or `cargo xtask bench`, which adds the
//! wasm figures). Prints structures per second: the median of five one-second runs, plus an
//! all-cores figure for `compile_value` (one thread per available core, each compiling the same
//! parsed value for one second: the compiler is pure, so this is what a server gets).
#![allow(clippy::print_stdout, missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is the failure report

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

/// `PACELINE_BENCH_CALLS=<n> PACELINE_BENCH_ONLY=<which>`: run one case exactly `n` times and
/// exit, for instruction counting under `valgrind --tool=callgrind` (run it with two values of
/// `n` and divide the difference in Ir by the difference in calls to cancel the setup cost).
fn counted(
    n: u64,
    which: &str,
    value: &serde_json::Value,
    compiled: &structure::Structure,
    text: &str,
) {
    for _ in 0..n {
        match which {
            "compile" => drop(black_box(structure::compile(black_box(FIXTURE)).ok())),
            "to_json" => drop(black_box(black_box(compiled).to_json())),
            "metrics" => drop(black_box(structure::metrics(
                black_box(compiled),
                Some(250.0),
            ))),
            "icu_text" => drop(black_box(
                structure::icu_text::parse(black_box(text), &Default::default())
                    .and_then(|p| p.compile())
                    .ok(),
            )),
            "icu_print" => drop(black_box(structure::icu_text::print(black_box(compiled)))),
            _ => drop(black_box(structure::compile_value(black_box(value)).ok())),
        }
    }
}

/// Every available core compiles the same pre-parsed value in a loop for one second; returns
/// (total structures per second, thread count).
fn all_cores(value: &serde_json::Value) -> (f64, usize) {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let counts: Vec<(u64, f64)> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    let budget = Duration::from_secs(1);
                    let start = Instant::now();
                    let mut n = 0u64;
                    while start.elapsed() < budget {
                        for _ in 0..256 {
                            black_box(structure::compile_value(black_box(value)).ok());
                        }
                        n += 256;
                    }
                    (n, start.elapsed().as_secs_f64())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("bench thread"))
            .collect()
    });
    // Each thread's own rate, summed (threads start and stop within microseconds of each other).
    (
        counts.iter().map(|&(n, secs)| n as f64 / secs).sum(),
        threads,
    )
}

fn main() {
    // `cargo bench` passes `--bench`; `cargo test --benches` passes nothing we need.
    let value: serde_json::Value = serde_json::from_str(FIXTURE).expect("fixture is JSON");
    let compiled = structure::compile(FIXTURE).expect("fixture compiles");
    if let Some(n) = std::env::var("PACELINE_BENCH_CALLS")
        .ok()
        .and_then(|n| n.parse().ok())
    {
        let which = std::env::var("PACELINE_BENCH_ONLY").unwrap_or_default();
        counted(
            n,
            &which,
            &value,
            &compiled,
            &structure::icu_text::print(&compiled),
        );
        return;
    }
    report("compile(&str) → Structure", || {
        black_box(structure::compile(black_box(FIXTURE)).ok());
    });
    report("compile_value(&Value) → Structure", || {
        black_box(structure::compile_value(black_box(&value)).ok());
    });
    all_cores(&value); // warm-up
    let mut runs: Vec<(f64, usize)> = (0..3).map(|_| all_cores(&value)).collect();
    runs.sort_by(|a, b| a.0.total_cmp(&b.0));
    let (total, threads) = runs[1];
    println!(
        "native: compile_value(&Value) → Structure, all cores: median {total:.0} structures/s \
         ({threads} threads, {:.0} per thread; median of 3 one-second runs)",
        total / threads as f64
    );
    report("compile(&str) → wire JSON text", || {
        black_box(
            structure::compile(black_box(FIXTURE))
                .map(|s| s.to_json())
                .ok(),
        );
    });
    report("Structure::to_json()", || {
        black_box(black_box(&compiled).to_json());
    });
    report("metrics(&Structure)", || {
        black_box(structure::metrics(black_box(&compiled), Some(250.0)));
    });
    // The builder re-reads the workout text on every keystroke: text → friendly JSON →
    // Structure, and the printer for the Intervals.icu export.
    let text = structure::icu_text::print(&compiled);
    let opts = structure::icu_text::Options::default();
    report(
        "icu_text::parse + compile (20-block text) → Structure",
        || {
            let parsed = structure::icu_text::parse(black_box(&text), &opts);
            black_box(parsed.and_then(|p| p.compile()).ok());
        },
    );
    report("icu_text::print(&Structure)", || {
        black_box(structure::icu_text::print(black_box(&compiled)));
    });
}
