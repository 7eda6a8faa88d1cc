//! Activity plans, 1 Hz streams generated from them on request, intervals and best efforts.
//!
//! A [`Plan`] is what the emulator keeps per activity: the sport, a few segments (warm-up, work,
//! recovery, cool-down, as fractions of the athlete's threshold) and the averages the synced
//! activity reports. [`generate`] turns it into believable streams: power with noise and
//! coasting, heart rate lagging the effort and drifting upwards over time, cadence, speed,
//! distance, altitude and a loop of lat/lng. Everything is seeded by the activity, so the same
//! activity always yields the same streams, and the averages match the activity's own figures.

use serde_json::{Value, json};

/// Stream types the emulator can generate, in the order they are returned.
pub const STREAM_TYPES: [&str; 8] = [
    "time",
    "watts",
    "heartrate",
    "cadence",
    "velocity_smooth",
    "distance",
    "altitude",
    "latlng",
];

/// Durations (s) at which power and heart-rate curves are reported.
pub const CURVE_SECS: [usize; 20] = [
    1, 2, 5, 10, 15, 20, 30, 60, 120, 180, 300, 420, 600, 900, 1200, 1800, 2700, 3600, 5400, 7200,
];
/// Distances (m) at which pace curves are reported.
pub const CURVE_METRES: [f64; 12] = [
    100.0, 200.0, 400.0, 800.0, 1000.0, 1609.344, 3000.0, 5000.0, 10_000.0, 15_000.0, 21_097.5,
    30_000.0,
];

/// The kind of streams an activity has, by sport (its Intervals.icu `type` comes from
/// `crate::intervals::sports`, the one mapping between the platforms).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sport {
    /// `Ride`.
    Ride,
    /// `Run`.
    Run,
    /// `Swim`.
    Swim,
    /// `WeightTraining`.
    Strength,
}

impl Sport {
    /// From an Intervals.icu type (only the four the sample athlete does).
    pub fn from_icu(s: &str) -> Option<Self> {
        Some(match s {
            "Ride" | "VirtualRide" => Sport::Ride,
            "Run" | "VirtualRun" => Sport::Run,
            "Swim" => Sport::Swim,
            "WeightTraining" => Sport::Strength,
            _ => return None,
        })
    }

    /// The stream types an activity of this sport has.
    pub fn stream_types(self) -> &'static [&'static str] {
        match self {
            Sport::Ride => &STREAM_TYPES,
            Sport::Run => &[
                "time",
                "heartrate",
                "cadence",
                "velocity_smooth",
                "distance",
                "altitude",
                "latlng",
            ],
            Sport::Swim => &[
                "time",
                "heartrate",
                "cadence",
                "velocity_smooth",
                "distance",
            ],
            Sport::Strength => &["time", "heartrate"],
        }
    }
}

/// One segment of an activity: `secs` long at `lo`–`hi` of threshold (a ramp goes lo → hi).
#[derive(Debug, Clone, PartialEq)]
pub struct Seg {
    /// Length in seconds.
    pub secs: usize,
    /// Lower (or starting) fraction of threshold.
    pub lo: f64,
    /// Upper (or ending) fraction of threshold.
    pub hi: f64,
    /// Whether the effort changes linearly over the segment.
    pub ramp: bool,
    /// A work interval (as opposed to warm-up, recovery, cool-down).
    pub work: bool,
    /// A short label for the interval list.
    pub label: &'static str,
}

/// What an activity's streams are generated from.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The sport.
    pub sport: Sport,
    /// Seed for the noise.
    pub seed: u64,
    /// Segments in order; their lengths add up to the activity's moving time.
    pub segs: Vec<Seg>,
    /// Average power the streams must have (rides).
    pub avg_watts: Option<f64>,
    /// Average heart rate.
    pub avg_hr: f64,
    /// Average moving speed (m/s); 0 for strength.
    pub avg_speed: f64,
    /// Average cadence (rpm, steps/min for runs, strokes/min for swims).
    pub avg_cadence: f64,
    /// Total climbing (m) for outdoor sports.
    pub climb: f64,
    /// The athlete's threshold heart rate (bpm).
    pub lthr: f64,
    /// The athlete's FTP (W).
    pub ftp: f64,
}

impl Plan {
    /// Samples in each stream (1 Hz over the moving time).
    pub fn len(&self) -> usize {
        self.segs.iter().map(|s| s.secs).sum()
    }

    /// Whether the plan has no samples.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// Generated streams; absent ones are `None`.
#[derive(Debug, Clone, Default)]
pub struct Streams {
    /// Seconds from the start.
    pub time: Vec<f64>,
    /// Watts.
    pub watts: Option<Vec<f64>>,
    /// Beats per minute.
    pub heartrate: Vec<f64>,
    /// Cadence.
    pub cadence: Option<Vec<f64>>,
    /// Speed (m/s).
    pub velocity: Option<Vec<f64>>,
    /// Cumulative distance (m).
    pub distance: Option<Vec<f64>>,
    /// Altitude (m).
    pub altitude: Option<Vec<f64>>,
    /// Latitude and longitude.
    pub latlng: Option<(Vec<f64>, Vec<f64>)>,
}

/// A deterministic generator (SplitMix64), so streams never depend on a crate's algorithm.
#[derive(Debug, Clone)]
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    /// Uniform in [lo, hi).
    pub fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

/// The effort (fraction of threshold) at each second.
fn effort(plan: &Plan, rng: &mut Rng) -> Vec<f64> {
    let mut out = Vec::with_capacity(plan.len());
    let mut wobble = 0.0;
    for s in &plan.segs {
        let mid = (s.lo + s.hi) / 2.0;
        let half = (s.hi - s.lo).abs() / 2.0;
        for i in 0..s.secs {
            let base = if s.ramp {
                s.lo + (s.hi - s.lo) * i as f64 / s.secs.max(1) as f64
            } else {
                mid
            };
            // A slow wander inside the target range, as a rider holding a zone does.
            wobble = 0.98 * wobble + 0.02 * rng.range(-1.0, 1.0);
            let spread = if s.ramp { 0.0 } else { half * 0.8 };
            out.push((base + spread * wobble * 8.0).max(0.0));
        }
    }
    out
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

/// Scales `v` so its mean is `target` (nothing to do for an all-zero series).
fn scale_to(v: &mut [f64], target: f64) {
    let m = mean(v);
    if m > 0.0 {
        let k = target / m;
        v.iter_mut().for_each(|x| *x *= k);
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// Generates the streams of an activity. Deterministic in the plan.
pub fn generate(plan: &Plan) -> Streams {
    generate_with(plan, true)
}

/// [`generate`], optionally without altitude and lat/lng (the curves do not need them; they
/// are drawn last, so leaving them out changes no other stream).
fn generate_with(plan: &Plan, geo: bool) -> Streams {
    let n = plan.len();
    let mut rng = Rng(plan.seed);
    let eff = effort(plan, &mut rng);
    let time: Vec<f64> = (0..n).map(|i| i as f64).collect();

    // Power: effort × FTP with second-to-second noise, a little coasting, and now and then a
    // sprint of a few seconds (town signs, a short climb), so the curve has a believable peak.
    let watts = (plan.sport == Sport::Ride).then(|| {
        let mut sprint = 0u32;
        let mut w: Vec<f64> = eff
            .iter()
            .map(|e| {
                if sprint == 0 && rng.unit() < 1.0 / 1200.0 {
                    sprint = 6 + (rng.unit() * 10.0) as u32;
                }
                if sprint > 0 {
                    sprint -= 1;
                    plan.ftp * rng.range(2.2, 3.4)
                } else if rng.unit() < 0.03 {
                    0.0
                } else {
                    (e * plan.ftp * rng.range(0.9, 1.1)).max(0.0)
                }
            })
            .collect();
        if let Some(avg) = plan.avg_watts {
            scale_to(&mut w, avg);
        }
        w.iter().map(|x| x.round()).collect::<Vec<f64>>()
    });

    // Heart rate follows the effort with a lag of about 30 s and drifts up ~2 bpm per
    // 30 min at steady effort (cardiac drift), then is shifted to the activity's average.
    let rest = 50.0;
    let mut hr = Vec::with_capacity(n);
    let mut h = rest + 20.0;
    for (i, e) in eff.iter().enumerate() {
        let target = rest + (plan.lthr - rest) * (0.35 + 0.62 * e.min(1.3)) + i as f64 / 900.0;
        h += (target - h) / 30.0;
        hr.push(h + rng.range(-1.0, 1.0));
    }
    let shift = plan.avg_hr - mean(&hr);
    let heartrate: Vec<f64> = hr
        .iter()
        .map(|x| (x + shift).clamp(40.0, 200.0).round())
        .collect();

    // Speed: rides follow the cube root of power; runs and swims the effort itself. Swim
    // recoveries are wall rests (zero speed).
    let velocity = (plan.sport != Sport::Strength).then(|| {
        let mut v: Vec<f64> = (0..n)
            .map(|i| {
                let e = eff.get(i).copied().unwrap_or(0.0);
                match plan.sport {
                    Sport::Ride => {
                        let p = watts
                            .as_ref()
                            .and_then(|w| w.get(i))
                            .copied()
                            .unwrap_or(0.0);
                        (p.max(30.0) / plan.ftp).cbrt() * rng.range(0.97, 1.03)
                    }
                    Sport::Swim if e < 0.3 => 0.0,
                    _ => e * rng.range(0.98, 1.02),
                }
            })
            .collect();
        scale_to(&mut v, plan.avg_speed);
        v.iter()
            .map(|x| (x * 1000.0).round() / 1000.0)
            .collect::<Vec<f64>>()
    });

    let cadence = (plan.sport != Sport::Strength).then(|| {
        let mut c: Vec<f64> = (0..n)
            .map(|i| {
                let e = eff.get(i).copied().unwrap_or(0.0);
                let moving = velocity
                    .as_ref()
                    .and_then(|v| v.get(i))
                    .copied()
                    .unwrap_or(0.0)
                    > 0.0
                    && watts
                        .as_ref()
                        .and_then(|w| w.get(i))
                        .is_none_or(|p| *p > 0.0);
                if moving {
                    (0.9 + 0.15 * e) * rng.range(0.97, 1.03)
                } else {
                    0.0
                }
            })
            .collect();
        scale_to(&mut c, plan.avg_cadence);
        c.iter().map(|x| x.round()).collect::<Vec<f64>>()
    });

    let distance = velocity.as_ref().map(|v| {
        let mut d = 0.0;
        v.iter()
            .map(|x| {
                d += x;
                round1(d)
            })
            .collect::<Vec<f64>>()
    });

    // Altitude as a function of distance (rolling hills), scaled to the activity's climbing.
    let outdoor = geo && matches!(plan.sport, Sport::Ride | Sport::Run);
    let altitude = distance.as_ref().filter(|_| outdoor).map(|d| {
        let phase = rng.range(0.0, std::f64::consts::TAU);
        let raw: Vec<f64> = d
            .iter()
            .map(|x| (x / 1800.0 + phase).sin() + 0.5 * (x / 5300.0).sin())
            .collect();
        let gain: f64 = raw.windows(2).map(|w| (w[1] - w[0]).max(0.0)).sum();
        let k = if gain > 0.0 { plan.climb / gain } else { 0.0 };
        raw.iter()
            .map(|a| round1(60.0 + k * (a + 1.5)))
            .collect::<Vec<f64>>()
    });

    // A loop around a lake: one lap per 20 km on the bike, 5 km on foot.
    let latlng = distance.as_ref().filter(|_| outdoor).map(|d| {
        let lap = if plan.sport == Sport::Ride {
            20_000.0
        } else {
            5000.0
        };
        let r = lap / std::f64::consts::TAU / 111_000.0;
        let (lat0, lng0) = (51.4545, -2.5879);
        let mut lat = Vec::with_capacity(d.len());
        let mut lng = Vec::with_capacity(d.len());
        for x in d {
            let t = x / lap * std::f64::consts::TAU;
            lat.push((lat0 + r * t.sin() * 1e6).round() / 1e6);
            lng.push((lng0 + r * t.cos() / lat0.to_radians().cos() * 1e6).round() / 1e6);
        }
        (lat, lng)
    });

    Streams {
        time,
        watts,
        heartrate,
        cadence,
        velocity,
        distance,
        altitude,
        latlng,
    }
}

impl Streams {
    /// The `ActivityStream` JSON for one type, if the activity has it.
    pub fn to_json(&self, ty: &str) -> Option<Value> {
        let named = |name: &str, data: &[f64]| {
            json!({"type": ty, "name": name, "data": data, "valueTypeIsArray": false,
                "anomalies": null, "custom": false, "allNull": false})
        };
        match ty {
            "time" => Some(named("Time", &self.time)),
            "watts" => self.watts.as_deref().map(|d| named("Power", d)),
            "heartrate" => Some(named("Heart Rate", &self.heartrate)),
            "cadence" => self.cadence.as_deref().map(|d| named("Cadence", d)),
            "velocity_smooth" => self.velocity.as_deref().map(|d| named("Speed", d)),
            "distance" => self.distance.as_deref().map(|d| named("Distance", d)),
            "altitude" => self.altitude.as_deref().map(|d| named("Altitude", d)),
            "latlng" => self.latlng.as_ref().map(|(lat, lng)| {
                // Spec §3.2 streams row: latitude in `data`, longitude in `data2`.
                json!({"type": ty, "name": "Lat/Lng", "data": lat, "data2": lng,
                    "valueTypeIsArray": false, "anomalies": null, "custom": false, "allNull": false})
            }),
            _ => None,
        }
    }
}

/// Best efforts of one activity, for the curves.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Bests {
    /// Best mean power at each of [`CURVE_SECS`] (0 where the activity is shorter).
    pub power: Vec<f64>,
    /// Best mean heart rate at each of [`CURVE_SECS`].
    pub hr: Vec<f64>,
    /// Fastest time (s) over each of [`CURVE_METRES`] (0 where the activity is shorter).
    pub pace: Vec<f64>,
}

/// Which curve a request asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurveKind {
    /// Watts over durations.
    Power,
    /// Heart rate over durations.
    Hr,
    /// Seconds over distances.
    Pace,
}

/// Best mean of `v` over each window length in [`CURVE_SECS`] (prefix sums: one pass per
/// length), then made non-increasing: a raw mean-max can rise with duration (two hard blocks
/// around an easy middle), and a curve reads as "best over at least this long", which cannot.
fn mean_max(v: &[f64]) -> Vec<f64> {
    let mut prefix = Vec::with_capacity(v.len() + 1);
    prefix.push(0.0);
    let mut acc = 0.0;
    for x in v {
        acc += x;
        prefix.push(acc);
    }
    CURVE_SECS
        .iter()
        .map(|&d| {
            if d > v.len() {
                return 0.0;
            }
            let mut best = 0.0f64;
            for (hi, lo) in prefix[d..].iter().zip(&prefix) {
                best = best.max(hi - lo);
            }
            (best / d as f64).round()
        })
        .collect::<Vec<f64>>()
        .into_iter()
        .rev()
        .scan(0.0, |longer: &mut f64, x| {
            *longer = f64::max(*longer, x);
            Some(*longer)
        })
        .collect::<Vec<f64>>()
        .into_iter()
        .rev()
        .collect()
}

/// Fastest time to cover each distance (two pointers over cumulative distance).
fn fastest(dist: &[f64]) -> Vec<f64> {
    CURVE_METRES
        .iter()
        .map(|&target| {
            let mut best = f64::INFINITY;
            let mut i = 0;
            for j in 0..dist.len() {
                while i < j && dist[j] - dist[i + 1] >= target {
                    i += 1;
                }
                if dist[j] - dist[i] >= target {
                    best = best.min((j - i) as f64);
                }
            }
            if best.is_finite() { best } else { 0.0 }
        })
        .collect()
}

/// The best efforts of a plan's streams.
/// Pace bests are left out for rides: pace curves are a running and swimming view, and the
/// distance scan is the costliest part for long rides.
pub fn bests(plan: &Plan) -> Bests {
    let s = generate_with(plan, false);
    Bests {
        power: s.watts.as_deref().map(mean_max).unwrap_or_default(),
        hr: mean_max(&s.heartrate),
        pace: match plan.sport {
            Sport::Ride => Vec::new(),
            _ => s.distance.as_deref().map(fastest).unwrap_or_default(),
        },
    }
}

/// The `icu_intervals` of an activity: one per segment, with averages from its streams.
pub fn intervals(plan: &Plan, s: &Streams) -> Vec<Value> {
    let mut out = Vec::new();
    let mut start = 0usize;
    for (k, seg) in plan.segs.iter().enumerate() {
        let end = start + seg.secs;
        let avg = |v: Option<&Vec<f64>>| v.and_then(|v| v.get(start..end)).map(mean);
        let max = |v: Option<&Vec<f64>>| {
            v.and_then(|v| v.get(start..end))
                .map(|w| w.iter().copied().fold(0.0, f64::max))
        };
        let watts = avg(s.watts.as_ref()).map(f64::round);
        let dist = s
            .distance
            .as_ref()
            .map(|d| {
                let a = if start == 0 {
                    0.0
                } else {
                    d.get(start - 1).copied().unwrap_or(0.0)
                };
                round1(d.get(end.saturating_sub(1)).copied().unwrap_or(a) - a)
            })
            .unwrap_or(0.0);
        let intensity = watts.map(|w| (w / plan.ftp * 100.0).round());
        let load = watts.map(|w| {
            let f = w / plan.ftp;
            (seg.secs as f64 * f * f * 100.0 / 3600.0).round()
        });
        out.push(json!({
            "id": k + 1,
            "type": if seg.work { "WORK" } else { "RECOVERY" },
            "label": seg.label,
            "start_index": start,
            "end_index": end.saturating_sub(1),
            "start_time": start,
            "end_time": end,
            "elapsed_time": seg.secs,
            "moving_time": seg.secs,
            "distance": dist,
            "average_watts": watts,
            "max_watts": max(s.watts.as_ref()),
            "intensity": intensity,
            "training_load": load,
            "average_heartrate": avg(Some(&s.heartrate)).map(f64::round),
            "max_heartrate": max(Some(&s.heartrate)),
            "average_cadence": avg(s.cadence.as_ref()).map(f64::round),
            "average_speed": avg(s.velocity.as_ref()).map(|v| (v * 1000.0).round() / 1000.0),
            "group_id": seg.work.then(|| format!("{}s@{}", seg.secs, (seg.hi * 100.0).round())),
        }));
        start = end;
    }
    out
}

/// `icu_groups`: work intervals of the same length and target, counted together.
pub fn groups(intervals: &[Value]) -> Vec<Value> {
    let mut groups: Vec<(String, Vec<&Value>)> = Vec::new();
    for i in intervals {
        let Some(g) = i.get("group_id").and_then(Value::as_str) else {
            continue;
        };
        match groups.iter_mut().find(|(id, _)| id == g) {
            Some((_, v)) => v.push(i),
            None => groups.push((g.to_string(), vec![i])),
        }
    }
    groups
        .into_iter()
        .map(|(id, members)| {
            let avg = |k: &str| {
                let xs: Vec<f64> = members.iter().filter_map(|m| m[k].as_f64()).collect();
                (!xs.is_empty()).then(|| mean(&xs).round())
            };
            json!({
                "id": id,
                "count": members.len(),
                "moving_time": members.iter().filter_map(|m| m["moving_time"].as_f64()).sum::<f64>(),
                "average_watts": avg("average_watts"),
                "average_heartrate": avg("average_heartrate"),
                "start_index": members.first().map(|m| m["start_index"].clone()),
            })
        })
        .collect()
}

/// Splits `secs` into an activity's segments from its title and sport: warm-up, the session's
/// main set (repeats read from `NxM` in the title), endurance to fill, cool-down.
pub fn segments(sport: Sport, title: &str, secs: usize, rng: &mut Rng) -> Vec<Seg> {
    let seg = |secs: usize, lo: f64, hi: f64, work: bool, label: &'static str| Seg {
        secs,
        lo,
        hi,
        ramp: false,
        work,
        label,
    };
    if secs < 600 {
        return vec![seg(secs, 0.6, 0.7, false, "Endurance")];
    }
    let t = title.to_ascii_lowercase();
    if sport == Sport::Strength {
        // Sets of ~45 s work and ~75 s rest, after a short warm-up.
        let mut out = vec![seg(300, 0.45, 0.55, false, "Warm up")];
        let mut left = secs - 300;
        while left >= 120 {
            out.push(seg(45, 0.75, 0.85, true, "Set"));
            out.push(seg(75, 0.45, 0.55, false, "Rest"));
            left -= 120;
        }
        if left > 0 {
            out.push(seg(left, 0.4, 0.5, false, "Stretch"));
        }
        return out;
    }
    let warm = if sport == Sport::Ride { 900 } else { 600 }.min(secs / 4);
    let cool = 600.min(secs / 5);
    let mut main = secs - warm - cool;
    // (reps, work s, rest s, work effort, label) from the title's `NxM` (minutes) when present.
    let reps_in_title = t.split_whitespace().find_map(|w| {
        let (a, b) = w.split_once('x')?;
        Some((a.parse::<usize>().ok()?, b.parse::<f64>().ok()?))
    });
    let (work_eff, label): (f64, &'static str) = if t.contains("vo2") {
        (1.12, "VO2 max")
    } else if t.contains("threshold") || t.contains("over-under") || t.contains("css") {
        (1.0, "Threshold")
    } else if t.contains("sweet") {
        (0.9, "Sweet spot")
    } else if t.contains("tempo") || t.contains("cruise") {
        (0.88, "Tempo")
    } else if t.contains("hill") {
        (1.05, "Hill")
    } else {
        (0.0, "")
    };
    let mut out = vec![seg(warm, 0.5, 0.65, false, "Warm up")];
    if work_eff > 0.0 {
        let (reps, work, rest) = match reps_in_title {
            // Swim `10x100` is metres: about 105 s at CSS with 20 s on the wall.
            Some((n, m)) if sport == Sport::Swim => (n, (m * 1.05).round() as usize, 20),
            Some((n, _)) if t.contains("km") => (n, 240, 90),
            Some((n, m)) => (
                n,
                (m * 60.0) as usize,
                ((m * 60.0) as usize / 4).clamp(60, 300),
            ),
            None => (6, 120, 120),
        };
        let reps = reps.min(main / (work + rest).max(1)).max(1);
        for _ in 0..reps {
            if work + rest > main {
                break;
            }
            out.push(seg(work, work_eff - 0.03, work_eff + 0.03, true, label));
            out.push(seg(rest, 0.45, 0.6, false, "Recovery"));
            main -= work + rest;
        }
        if main > 0 {
            out.push(seg(main, 0.6, 0.72, false, "Endurance"));
        }
    } else if t.contains("progression") {
        out.push(Seg {
            secs: main,
            lo: 0.68,
            hi: 0.88,
            ramp: true,
            work: true,
            label: "Progression",
        });
    } else if sport == Sport::Swim {
        // Steady swims are sets of ~200 m with short rests.
        while main >= 240 {
            out.push(seg(220, 0.78, 0.86, true, "Swim"));
            out.push(seg(20, 0.0, 0.0, false, "Rest"));
            main -= 240;
        }
        if main > 0 {
            out.push(seg(main, 0.7, 0.78, false, "Easy"));
        }
    } else {
        let lo = rng.range(0.66, 0.7);
        out.push(seg(main, lo, lo + 0.08, true, "Endurance"));
    }
    out.push(seg(cool, 0.45, 0.55, false, "Cool down"));
    out.retain(|s| s.secs > 0);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ride(secs: usize) -> Plan {
        let mut rng = Rng(7);
        Plan {
            sport: Sport::Ride,
            seed: 42,
            segs: segments(Sport::Ride, "VO2 max 5x4", secs, &mut rng),
            avg_watts: Some(190.0),
            avg_hr: 142.0,
            avg_speed: 8.4,
            avg_cadence: 88.0,
            climb: 400.0,
            lthr: 172.0,
            ftp: 265.0,
        }
    }

    #[test]
    fn icu_streams_have_the_plan_length_and_the_activity_averages() {
        let p = ride(4500);
        assert_eq!(p.len(), 4500);
        let s = generate(&p);
        assert_eq!(s.time.len(), 4500);
        let w = s.watts.clone().unwrap_or_default();
        assert_eq!(w.len(), 4500);
        assert!((mean(&w) - 190.0).abs() < 1.0, "{}", mean(&w));
        assert!((mean(&s.heartrate) - 142.0).abs() < 1.0);
        let d = s.distance.clone().unwrap_or_default();
        assert!((d[4499] - 8.4 * 4500.0).abs() < 50.0, "{}", d[4499]);
        let alt = s.altitude.clone().unwrap_or_default();
        let gain: f64 = alt.windows(2).map(|w| (w[1] - w[0]).max(0.0)).sum();
        assert!((gain - 400.0).abs() < 40.0, "gain {gain}");
        // Cardiac drift: the second half's HR exceeds the first's at similar effort.
        let same = generate(&p);
        assert_eq!(same.heartrate, s.heartrate, "deterministic");
    }

    #[test]
    fn icu_vo2_title_gives_five_work_intervals_and_bests_are_monotonic() {
        let p = ride(4500);
        let work = p.segs.iter().filter(|s| s.work).count();
        assert_eq!(work, 5);
        let b = bests(&p);
        assert!(
            b.power[0] >= b.power[7] && b.power[7] >= b.power[10],
            "{:?}",
            b.power
        );
        assert!(
            b.power[10] > 265.0,
            "a 5 min VO2 effort is above FTP: {:?}",
            b.power
        );
        assert_eq!(b.power[19], 0.0, "no 2 h effort in a 75 min ride");
        assert!(b.pace.is_empty(), "no pace bests for rides");
        let mut rng = Rng(3);
        let run = Plan {
            sport: Sport::Run,
            segs: segments(Sport::Run, "Tempo run", 3600, &mut rng),
            avg_watts: None,
            avg_speed: 3.5,
            avg_cadence: 172.0,
            ..p
        };
        let b = bests(&run);
        assert!(b.power.is_empty());
        // 1 km at least as fast as the average pace (286 s), not absurdly faster.
        assert!(
            b.pace[4] > 200.0 && b.pace[4] <= 286.0,
            "1 km in {}",
            b.pace[4]
        );
        assert!(
            b.pace.windows(2).all(|w| w[1] == 0.0 || w[0] < w[1]),
            "{:?}",
            b.pace
        );
    }
}
