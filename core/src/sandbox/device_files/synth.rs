//! A believable recording for a completed sample workout, generated deterministically from its
//! record (sport, sub-type, title, duration, distance, IF, averages) and the athlete's
//! thresholds ([`sample::thresholds`]).
//!
//! What a real file has and analysis must cope with is all here: a warm-up and cool-down around
//! a main set (intervals when the title says so, else steady riding with terrain), heart rate
//! that lags the effort (first-order, 25 s) and drifts up over the session, coasting zeros,
//! cadence, speed from power and gradient, rolling altitude, a GPS loop for outdoor sessions,
//! one or two stops (timer paused: no records), and sensor dropouts (a heart-rate strap for a
//! few seconds, a power meter for a few). The averages are then scaled to the workout record's
//! own `powerAverage`, `heartRateAverage` and `distance`, so the file and the record agree.
//!
//! The record's `startTime` is local time (Europe/London); it is written as UTC, which is
//! exact in winter and an hour off in summer — the sandbox has no time-zone database.

use chrono::{DateTime, NaiveDateTime, Utc};
use serde_json::Value;

use crate::fit::Sample;
use crate::fit::encode::{ActivityFile, Device, Sport};
use crate::sandbox::sample;

/// Generates the recording of `workout` (its GET shape), or `None` when the record has no
/// duration or start.
pub fn activity(workout: &Value) -> Option<ActivityFile> {
    let num = |k: &str| workout.get(k).and_then(Value::as_f64);
    let moving = (num("totalTime")? * 3600.0).round() as usize;
    if moving < 60 {
        return None;
    }
    let start = workout
        .get("startTime")
        .and_then(Value::as_str)
        .and_then(|s| NaiveDateTime::parse_from_str(s.get(..19)?, "%Y-%m-%dT%H:%M:%S").ok())
        .or_else(|| {
            let day = workout.get("workoutDay")?.as_str()?.get(..10)?;
            NaiveDateTime::parse_from_str(&format!("{day}T07:00:00"), "%Y-%m-%dT%H:%M:%S").ok()
        })?
        .and_utc();
    let wid = workout
        .get("workoutId")
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let title = workout
        .get("title")
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_ascii_lowercase();
    let sub = workout.get("workoutSubTypeId").and_then(Value::as_i64);
    let sport = match workout.get("workoutTypeValueId").and_then(Value::as_i64) {
        Some(1) => Sport::Swimming,
        Some(2) => Sport::Cycling,
        Some(3) => Sport::Running,
        Some(9) => Sport::Training,
        _ => Sport::Generic,
    };
    let indoor = matches!(sport, Sport::Swimming | Sport::Training | Sport::Generic)
        || matches!(sub, Some(6 | 49))
        || ["indoor", "trainer", "zwift", "treadmill"]
            .iter()
            .any(|w| title.contains(w));
    let intensity = num("if").unwrap_or(0.7).clamp(0.3, 1.3);
    let mut g = Gen {
        rng: Rng(0x9E37_79B9_7F4A_7C15 ^ (wid as u64).wrapping_mul(0xA24B_AED4_963E_E407)),
        n: moving,
        sport,
        indoor,
    };
    let (effort, laps) = g.effort(intensity, &title);
    let t = sample::thresholds();
    let power = (sport == Sport::Cycling).then(|| g.power(&effort, t.ftp_w, num("powerAverage")));
    let (speed, altitude) = g.speed_altitude(&effort, power.as_deref(), num("distance"), &t);
    let hr = g.heart_rate(
        &effort,
        &t,
        num("heartRateAverage"),
        num("heartRateMaximum"),
    );
    let cadence = g.cadence(&effort, power.as_deref(), num("cadenceAverage"));
    let mut moving_samples = Vec::with_capacity(moving);
    let mut distance = 0.0;
    for i in 0..moving {
        let v = speed.as_ref().and_then(|s| s.get(i).copied());
        distance += v.unwrap_or(0.0);
        let (lat, lon) = if g.indoor {
            (None, None)
        } else {
            let (a, b) = position(distance);
            (Some(a), Some(b))
        };
        moving_samples.push(Sample {
            time: start,
            power_w: power.as_ref().and_then(|p| p.get(i).copied()),
            heart_rate_bpm: hr.as_ref().and_then(|h| h.get(i).copied()),
            cadence_rpm: cadence.as_ref().and_then(|c| c.get(i).copied()),
            speed_mps: v,
            altitude_m: altitude.as_ref().and_then(|a| a.get(i).copied()),
            distance_m: speed.as_ref().map(|_| distance),
            lat_deg: lat,
            lon_deg: lon,
        });
    }
    g.dropouts(&mut moving_samples);
    let (samples, index) = g.with_pauses(moving_samples, start);
    let laps = laps
        .iter()
        .map(|&(a, b)| {
            let from = index.get(a).copied().unwrap_or(0);
            let to = index
                .get(b.saturating_sub(1))
                .map_or(samples.len(), |i| i + 1);
            (from, to)
        })
        .collect();
    Some(ActivityFile {
        sport,
        sub_sport: match (sport, indoor) {
            (Sport::Cycling, true) => 6,
            (Sport::Cycling, false) => 7,
            (Sport::Swimming, _) => 17,
            (Sport::Running, true) => 1,
            _ => 0,
        },
        samples,
        laps,
        device: Device {
            manufacturer: 255, // development: these files are made up, not a real vendor's
            product: 1,
            serial: 3_141_592,
            product_name: "Paceline Sandbox".into(),
            software_version: 100,
        },
        threshold_power_w: (sport == Sport::Cycling).then_some(t.ftp_w.round() as u16),
    })
}

/// A deterministic generator (xorshift64*): the same workout id gives the same file.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 11) as f64 / (1u64 << 53) as f64
    }

    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.next()
    }

    fn below(&mut self, n: usize) -> usize {
        ((self.next() * n as f64) as usize).min(n.saturating_sub(1))
    }
}

struct Gen {
    rng: Rng,
    n: usize,
    sport: Sport,
    indoor: bool,
}

impl Gen {
    /// Effort per moving second as a fraction of threshold, and the laps as moving-index
    /// ranges: warm-up, the main set (each interval its own lap), cool-down.
    fn effort(&mut self, intensity: f64, title: &str) -> (Vec<f64>, Vec<(usize, usize)>) {
        let n = self.n;
        let warm = (n / 8).min(900);
        let cool = (n / 12).min(600);
        let main_end = n - cool;
        let mut e = vec![0.0; n];
        let mut laps = vec![(0, warm)];
        for (i, x) in e.iter_mut().enumerate().take(warm) {
            *x = 0.5 + 0.2 * i as f64 / warm.max(1) as f64;
        }
        let intervals = intensity >= 0.75
            && [
                "interval",
                "x ",
                "threshold",
                "vo2",
                "sweet",
                "tempo",
                "over",
                "hill",
                "css",
                "track",
            ]
            .iter()
            .any(|w| title.contains(w));
        if intervals {
            let (on, off) = (480, 240);
            let mut i = warm;
            while i < main_end {
                let on_end = (i + on).min(main_end);
                let off_end = (on_end + off).min(main_end);
                for x in e.iter_mut().take(on_end).skip(i) {
                    *x = intensity + 0.12;
                }
                for x in e.iter_mut().take(off_end).skip(on_end) {
                    *x = 0.55;
                }
                laps.push((i, on_end));
                if off_end > on_end {
                    laps.push((on_end, off_end));
                }
                i = off_end;
            }
        } else {
            let phase = self.rng.range(0.0, 6.0);
            for (i, x) in e.iter_mut().enumerate().take(main_end).skip(warm) {
                *x = intensity * (1.0 + 0.06 * ((i as f64) / 400.0 + phase).sin());
            }
            laps.push((warm, main_end));
        }
        for (i, x) in e.iter_mut().enumerate().skip(main_end) {
            *x = 0.65 - 0.15 * (i - main_end) as f64 / cool.max(1) as f64;
        }
        laps.push((main_end, n));
        laps.retain(|(a, b)| b > a);
        (e, laps)
    }

    /// Power with second-to-second noise and, outdoors, coasting stretches; scaled so its mean
    /// is the record's `powerAverage`.
    fn power(&mut self, effort: &[f64], ftp: f64, average: Option<f64>) -> Vec<f64> {
        let mut p: Vec<f64> = effort
            .iter()
            .map(|e| (e * ftp * self.rng.range(0.88, 1.12)).max(0.0))
            .collect();
        if !self.indoor {
            for _ in 0..(self.n / 600) {
                let at = self.rng.below(self.n);
                let len = 3 + self.rng.below(12);
                for x in p.iter_mut().skip(at).take(len) {
                    *x = 0.0;
                }
            }
        }
        if let Some(avg) = average.filter(|a| *a > 0.0) {
            let mean = p.iter().sum::<f64>() / p.len().max(1) as f64;
            if mean > 0.0 {
                p.iter_mut().for_each(|x| *x = (*x * avg / mean).round());
            }
        }
        p
    }

    /// Speed (m/s) and altitude (m). Bikes: from power and gradient; runs and swims: from
    /// effort. Scaled so the moving distance is the record's `distance`.
    fn speed_altitude(
        &mut self,
        effort: &[f64],
        power: Option<&[f64]>,
        distance: Option<f64>,
        t: &sample::Thresholds,
    ) -> (Option<Vec<f64>>, Option<Vec<f64>>) {
        if self.sport == Sport::Training || self.sport == Sport::Generic {
            return (None, None);
        }
        let hills = !self.indoor && self.sport != Sport::Swimming;
        let phase = self.rng.range(0.0, 6.0);
        let grade_at = |d: f64| {
            if hills {
                0.04 * (d / 1500.0 + phase).cos() + 0.02 * (d / 400.0).cos()
            } else {
                0.0
            }
        };
        let mut v = Vec::with_capacity(self.n);
        let mut d = 0.0;
        for (i, e) in effort.iter().enumerate() {
            let g = grade_at(d);
            let x = match (self.sport, power) {
                (Sport::Cycling, Some(p)) => {
                    let w = p.get(i).copied().unwrap_or(0.0) + 40.0;
                    (w.cbrt() * 1.6 * (1.0 - 6.0 * g)).max(2.0)
                }
                (Sport::Swimming, _) => t.swim_css_mps * e * self.rng.range(0.95, 1.05),
                _ => t.run_threshold_mps * e * (1.0 - 3.0 * g) * self.rng.range(0.97, 1.03),
            };
            d += x;
            v.push(x);
        }
        if let Some(target) = distance.filter(|x| *x > 0.0) {
            let total: f64 = v.iter().sum();
            if total > 0.0 {
                v.iter_mut().for_each(|x| *x *= target / total);
            }
        }
        let altitude = hills.then(|| {
            let mut d = 0.0;
            let mut a = 40.0;
            v.iter()
                .map(|x| {
                    a += grade_at(d) * x;
                    d += x;
                    (a * 5.0).round() / 5.0
                })
                .collect()
        });
        (Some(v), altitude)
    }

    /// Heart rate: a first-order response (25 s) to effort plus drift, shifted to the record's
    /// average and capped at its maximum.
    fn heart_rate(
        &mut self,
        effort: &[f64],
        t: &sample::Thresholds,
        average: Option<f64>,
        maximum: Option<f64>,
    ) -> Option<Vec<f64>> {
        let avg = average?;
        let k = 1.0 - (-1.0f64 / 25.0).exp();
        let mut hr = t.resting_hr + 25.0;
        let mut out = Vec::with_capacity(self.n);
        for (i, e) in effort.iter().enumerate() {
            let drift = 0.05 * (i as f64 / 60.0) * e;
            let target = t.resting_hr + (t.threshold_hr - t.resting_hr) * (0.3 + 0.7 * e) + drift;
            hr += (target - hr) * k;
            out.push(hr + self.rng.range(-1.0, 1.0));
        }
        let mean = out.iter().sum::<f64>() / out.len().max(1) as f64;
        let cap = maximum.unwrap_or(t.max_hr).min(t.max_hr);
        Some(
            out.into_iter()
                .map(|h| (h + avg - mean).clamp(t.resting_hr, cap).round())
                .collect(),
        )
    }

    /// Cadence: pedalling tracks effort and stops when coasting; running and swimming hold
    /// a rhythm. FIT stores running cadence per leg, TrainingPeaks shows steps per minute.
    fn cadence(
        &mut self,
        effort: &[f64],
        power: Option<&[f64]>,
        average: Option<f64>,
    ) -> Option<Vec<f64>> {
        let base = match self.sport {
            Sport::Cycling => average.unwrap_or(88.0),
            Sport::Running => average.unwrap_or(172.0) / 2.0,
            Sport::Swimming => 28.0,
            _ => return None,
        };
        Some(
            effort
                .iter()
                .enumerate()
                .map(|(i, e)| {
                    if power.is_some_and(|p| p.get(i) == Some(&0.0)) {
                        0.0
                    } else {
                        (base * (0.94 + 0.08 * e) + self.rng.range(-2.0, 2.0)).round()
                    }
                })
                .collect(),
        )
    }

    /// Sensor dropouts: a heart-rate strap for 5–20 s once or twice (sessions with another
    /// channel), and a power meter for 3–6 s once on rides. The other channels keep recording.
    fn dropouts(&mut self, s: &mut [Sample]) {
        // With heart rate the only channel (strength), a dropout would empty whole seconds and
        // read as a pause; a watch there records from the wrist and does not drop out.
        let hr_only = matches!(self.sport, Sport::Training | Sport::Generic);
        for _ in 0..if hr_only { 0 } else { 1 + self.rng.below(2) } {
            let at = self.rng.below(s.len());
            let len = 5 + self.rng.below(16);
            for x in s.iter_mut().skip(at).take(len) {
                x.heart_rate_bpm = None;
            }
        }
        if self.sport == Sport::Cycling {
            let at = self.rng.below(s.len());
            let len = 3 + self.rng.below(4);
            for x in s.iter_mut().skip(at).take(len) {
                x.power_w = None;
            }
        }
    }

    /// Inserts the stops (outdoor sessions: one or two, 30–240 s, timer paused) and sets each
    /// sample's time. Returns the samples and, per moving second, its index among them.
    fn with_pauses(
        &mut self,
        moving: Vec<Sample>,
        start: DateTime<Utc>,
    ) -> (Vec<Sample>, Vec<usize>) {
        let mut stops: Vec<(usize, usize)> = if self.indoor || self.n < 1800 {
            Vec::new()
        } else {
            (0..1 + self.rng.below(2))
                .map(|_| {
                    (
                        self.n / 5 + self.rng.below(self.n * 3 / 5),
                        30 + self.rng.below(211),
                    )
                })
                .collect()
        };
        stops.sort_unstable();
        let mut out = Vec::with_capacity(moving.len() + stops.iter().map(|s| s.1).sum::<usize>());
        let mut index = Vec::with_capacity(moving.len());
        let mut next_stop = stops.into_iter().peekable();
        for (i, mut s) in moving.into_iter().enumerate() {
            while next_stop.peek().is_some_and(|(at, _)| *at == i) {
                if let Some((_, len)) = next_stop.next() {
                    for _ in 0..len {
                        let t = start + chrono::Duration::seconds(out.len() as i64);
                        out.push(Sample::gap(t));
                    }
                }
            }
            s.time = start + chrono::Duration::seconds(out.len() as i64);
            index.push(out.len());
            out.push(s);
        }
        (out, index)
    }
}

/// A point on a 25 km loop west of London, `d` metres along it.
fn position(d: f64) -> (f64, f64) {
    let radius = 25_000.0 / std::f64::consts::TAU;
    let theta = d / radius;
    let (lat0, lon0) = (51.42, -0.33);
    let lat = lat0 + radius * theta.sin() / 111_320.0;
    let lon = lon0 + radius * (1.0 - theta.cos()) / (111_320.0 * lat0.to_radians().cos());
    (lat, lon)
}
