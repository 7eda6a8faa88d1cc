//! Analytics speed against the issue-10 targets. Run with
//! `cargo bench -p paceline-core --bench analysis` (also part of `cargo xtask bench`).
//! Prints the median of several runs beside each target:
//! - exact mean-max of a 4 h ride at 1 Hz, every duration 1 s..4 h: target ≤ 50 ms;
//! - a season curve over 300 activities' cached curves: target ≤ 1 s (plus, for scale, the
//!   cost of computing those 300 curves from their streams in the first place);
//! - the same season through the real activity cache: 300 entries in the byte form the disk
//!   and IndexedDB stores hold (`analysis::cache_codec`, six channels like a device file's,
//!   and the curves derived at fetch time), decoded and their cached power curves folded in,
//!   as `get_power_curve` does on a cache hit: target ≤ 1 s. Also printed: the entries' size
//!   with and without curves, and what deriving the curves costs once per fetched activity.
//!
//! The ride is synthetic but ride-like (deterministic pseudo-random): endurance riding with
//! surges, intervals, coasting zeros and dropouts, because the pruning depends on the data.
#![allow(clippy::print_stdout, missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used)] // bench code: a panic is the failure report

use std::hint::black_box;
use std::time::Instant;

use paceline_core::analysis::Streams;
use paceline_core::analysis::cache_codec;
use paceline_core::analysis::meanmax::{CACHED_DURATIONS_S, MeanMaxCurve, SeasonCurve, mean_max};
use paceline_core::analysis::source::{
    ActivityData, CacheKey, DeviceSummary, Origin, SourcePlatform,
};

/// xorshift64*: deterministic, dependency-free noise.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn ride(seconds: usize, seed: u64) -> Vec<Option<f64>> {
    let mut rng = Rng(seed | 1);
    let mut level: f64 = 190.0;
    (0..seconds)
        .map(|t| {
            if rng.next() < 0.002 {
                return None; // dropout
            }
            level += (rng.next() - 0.5) * 8.0 + (190.0 - level) * 0.01;
            let block = t / 600;
            let interval = block % 4 == 1 && t % 600 < 300;
            let base = if interval { 300.0 } else { level };
            let coasting = rng.next() < 0.05;
            Some(if coasting {
                0.0
            } else {
                (base + (rng.next() - 0.5) * 60.0).max(0.0).round()
            })
        })
        .collect()
}

fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut t: Vec<f64> = (0..runs)
        .map(|_| {
            let s = Instant::now();
            f();
            s.elapsed().as_secs_f64() * 1e3
        })
        .collect();
    t.sort_by(f64::total_cmp);
    t[runs / 2]
}

fn main() {
    let four_hours = ride(4 * 3600, 42);
    let ms = median_ms(7, || {
        black_box(mean_max(black_box(&four_hours), 1.0));
    });
    println!(
        "native: mean-max, 4 h ride at 1 Hz, all 14400 durations: median {ms:.1} ms (target ≤ 50 ms)"
    );
    let flat: Vec<Option<f64>> = vec![Some(200.0); 4 * 3600];
    let ms = median_ms(3, || {
        black_box(mean_max(black_box(&flat), 1.0));
    });
    println!(
        "native: mean-max, 4 h perfectly steady (the subadditivity shortcut): median {ms:.1} ms (no target)"
    );

    let rides: Vec<Vec<Option<f64>>> = (0..300u64)
        .map(|i| ride(3600 + (i as usize % 7) * 1200, 1000 + i))
        .collect();
    let start = Instant::now();
    let curves: Vec<MeanMaxCurve> = rides.iter().map(|r| mean_max(r, 1.0)).collect();
    let build = start.elapsed().as_secs_f64();
    let ms = median_ms(7, || {
        let mut season = SeasonCurve::default();
        for (i, c) in curves.iter().enumerate() {
            season.add(&format!("a{i}"), "2026-06-01", c);
        }
        black_box(season);
    });
    println!(
        "native: season curve over 300 cached activity curves (1-3 h): median {ms:.1} ms (target ≤ 1000 ms)"
    );
    println!("native: computing those 300 curves from streams (once, then cached): {build:.2} s");

    // Through the cache: the entries as the fetchers store them, with the channels a device
    // file has (speed, altitude and distance as f64, as their values need) and the curves
    // derived at fetch time; then decode + fold as `get_power_curve` does on a cache hit.
    let bare: Vec<ActivityData> = rides
        .iter()
        .enumerate()
        .map(|(i, power)| activity(i, power))
        .collect();
    let mib_of =
        |e: &[Vec<u8>]| e.iter().map(Vec::len).sum::<usize>() as f64 / f64::from(1u32 << 20);
    let without: Vec<Vec<u8>> = bare
        .iter()
        .map(|d| cache_codec::encode(d).expect("encodes"))
        .collect();
    let start = Instant::now();
    let full: Vec<ActivityData> = bare
        .into_iter()
        .map(|mut d| {
            d.derive_curves();
            d
        })
        .collect();
    let derive = start.elapsed().as_secs_f64() * 1e3 / 300.0;
    println!(
        "native: deriving an activity's power, HR and speed curves at fetch time: {derive:.1} ms on average (once per activity)"
    );
    let entries: Vec<Vec<u8>> = full
        .iter()
        .map(|d| cache_codec::encode(d).expect("encodes"))
        .collect();
    println!(
        "native: 300 cache entries: {:.2} MiB without curves, {:.2} MiB with ({:.0} bytes more per entry)",
        mib_of(&without),
        mib_of(&entries),
        (mib_of(&entries) - mib_of(&without)) * f64::from(1u32 << 20) / 300.0
    );
    let ms = median_ms(5, || {
        for e in &entries {
            black_box(cache_codec::decode(black_box(e)));
        }
    });
    println!("native: decoding 300 cached activities: median {ms:.0} ms");
    // What get_power_curve reads off the season: all of these durations.
    let needed = CACHED_DURATIONS_S;
    let ms = median_ms(5, || {
        let mut season = SeasonCurve::default();
        for (i, e) in entries.iter().enumerate() {
            let data = cache_codec::decode(e).expect("decodes");
            let cached = data.curves.as_ref().and_then(|c| c.power_w.as_ref());
            let id = format!("a{i}");
            let ch = &data.streams.power_w;
            season.add_activity((&id, "2026-06-01"), ch, data.streams.dt(), cached, &needed);
        }
        black_box(season);
    });
    println!(
        "native: season curve over 300 cached activities through the cache (decode + cached curves + fold, as get_power_curve): median {ms:.0} ms (target ≤ 1000 ms)"
    );
}

/// A cached activity around `power`: heart rate, cadence, speed, altitude and distance too.
fn activity(i: usize, power: &[Option<f64>]) -> ActivityData {
    let n = power.len();
    let speed: Vec<Option<f64>> = power
        .iter()
        .map(|p| p.map(|w| (w / 30.0 + 2.0 * (w > 0.0) as u8 as f64).min(15.0) * 1.001))
        .collect();
    let mut distance = 0.0;
    let distance_m = speed
        .iter()
        .map(|v| {
            distance += v.unwrap_or(0.0);
            Some((distance * 100.0).round() / 100.0)
        })
        .collect();
    ActivityData {
        key: CacheKey {
            platform: SourcePlatform::TrainingPeaks,
            athlete: "123".into(),
            activity: format!("{}", 1_000_000 + i),
            file_id: Some(format!("{}", 2_000_000 + i)),
        },
        origin: Origin::DeviceFile,
        file_name: Some("ride.fit".into()),
        start: Some("2026-06-01T07:00:00Z".into()),
        streams: Streams {
            sample_rate_s: 1.0,
            power_w: power.to_vec(),
            heart_rate_bpm: power
                .iter()
                .map(|p| p.map(|w| (110.0 + w / 5.0).round()))
                .collect(),
            cadence_rpm: power
                .iter()
                .map(|p| p.map(|w| if w > 0.0 { 88.0 } else { 0.0 }))
                .collect(),
            speed_mps: speed,
            altitude_m: (0..n)
                .map(|t| Some(((t as f64 / 300.0).sin() * 80.0 * 5.0).round() / 5.0 + 200.0))
                .collect(),
            distance_m,
        },
        segments: Vec::new(),
        summary: DeviceSummary::default(),
        notes: Vec::new(),
        curves: None,
    }
}
