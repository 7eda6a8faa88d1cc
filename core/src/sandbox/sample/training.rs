//! The sample athlete's year of training, generated deterministically (see [`workouts`]).

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Value, json};

use crate::structure;
use crate::trainingpeaks::workouts::workout_day;

use super::{ATHLETE_ID, FTP_W, MAX_HR, THRESHOLD_HR, run_threshold_mps, swim_css_mps};

/// A tiny deterministic PRNG (SplitMix64) so the seed is the same on every run.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `[lo, hi)`.
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * ((self.next() >> 11) as f64 / (1u64 << 53) as f64)
    }
    fn chance(&mut self, p: f64) -> bool {
        self.range(0.0, 1.0) < p
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let i = (self.next() % items.len().max(1) as u64) as usize;
        items.get(i).copied().unwrap_or("")
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Swim,
    Bike,
    Run,
    Strength,
}

impl Kind {
    fn type_id(self) -> i64 {
        match self {
            Kind::Swim => 1,
            Kind::Bike => 2,
            Kind::Run => 3,
            Kind::Strength => 9,
        }
    }
}

/// One planned session of the weekly template: sport, hours, IF, title choices, subtype.
struct Session {
    kind: Kind,
    hours: f64,
    intensity: f64,
    titles: &'static [&'static str],
    subtype: Option<i64>,
}

/// The weekly template, Monday first.
fn template(weekday: u32) -> Vec<Session> {
    let s = |kind, hours, intensity, titles, subtype| Session {
        kind,
        hours,
        intensity,
        titles,
        subtype,
    };
    match weekday {
        0 => vec![
            s(
                Kind::Swim,
                0.75,
                0.70,
                &["Technique swim", "Easy aerobic swim", "Drills + pull"],
                Some(2),
            ),
            s(
                Kind::Strength,
                0.75,
                0.55,
                &["Strength: legs & core", "Gym: posterior chain"],
                None,
            ),
        ],
        1 => vec![s(
            Kind::Bike,
            1.25,
            0.84,
            &["VO2 max 5x4", "Threshold 2x20", "Over-unders 3x9"],
            Some(6),
        )],
        2 => vec![
            s(
                Kind::Run,
                0.9,
                0.80,
                &["Tempo run", "Cruise intervals 4x1 km", "Hill repeats"],
                Some(10),
            ),
            s(
                Kind::Swim,
                0.8,
                0.75,
                &["CSS 10x100", "Endurance swim 2.5 km", "Pyramid set"],
                Some(2),
            ),
        ],
        3 => vec![s(
            Kind::Bike,
            1.25,
            0.78,
            &["Sweet spot 3x12", "Tempo 2x25", "Cadence builds"],
            Some(6),
        )],
        4 => vec![s(
            Kind::Strength,
            0.6,
            0.55,
            &["Strength: upper body", "Mobility + core"],
            None,
        )],
        5 => vec![s(
            Kind::Bike,
            3.0,
            0.70,
            &["Long endurance ride", "Group ride", "Hilly endurance"],
            Some(3),
        )],
        _ => vec![s(
            Kind::Run,
            1.4,
            0.74,
            &["Long run", "Progression long run", "Trail long run"],
            Some(12),
        )],
    }
}

fn r(x: f64, places: i32) -> f64 {
    let m = 10f64.powi(places);
    (x * m).round() / m
}

/// The sample athlete's workouts around `today`, in TrainingPeaks' GET shape (spec §5.2:
/// `workoutDay` `YYYY-MM-DDT00:00:00`, `workoutTypeValueId` 1 swim / 2 bike / 3 run /
/// 9 strength, durations in hours, distances in metres, `tssActual`/`tssPlanned`,
/// `if`/`ifPlanned`, power in watts, heart rate in bpm, speed in m/s):
///
/// - a year of completed sessions (the 365 days before `today`) from a weekly template with
///   three build weeks and a recovery week, about 8 % of sessions missed; each has its
///   planned and actual duration, IF and TSS (TSS = hours × IF² × 100), HR from
///   [`THRESHOLD_HR`] and, for rides, normalised power = [`FTP_W`] × IF; runs and swims cover
///   threshold speed × IF;
/// - three weeks of planned structured workouts from `today` (no actual values), whose
///   planned IF, TSS and energy are computed from their structure at [`FTP_W`].
///
/// Ids come from `next_id`, one per workout in the order returned (deterministic: the same
/// `today` gives the same workouts).
pub fn workouts(today: NaiveDate, next_id: &mut dyn FnMut() -> i64) -> Vec<Value> {
    let first = today - Duration::days(365);
    let mut rng = Rng(0x5EED_CAFE_F00D_0001);
    let mut workouts = Vec::new();
    let mut day = first;
    while day < today {
        let week = (day - first).num_days() / 7;
        // 3 build weeks then a recovery week, with a gentle progression over the year.
        let load = if week % 4 == 3 {
            0.65
        } else {
            0.85 + 0.25 * (week as f64 / 52.0) + 0.04 * (week % 4) as f64
        };
        for (i, sess) in template(day.weekday().num_days_from_monday())
            .into_iter()
            .enumerate()
        {
            if rng.chance(0.08) {
                continue; // life happens: a missed session
            }
            let id = next_id();
            workouts.push(completed(&mut rng, id, day, &sess, load, i as i64 + 1));
        }
        day += Duration::days(1);
    }
    for offset in 0..21 {
        let day = today + Duration::days(offset);
        for (i, (kind, title, friendly, subtype)) in
            planned_for(day.weekday().num_days_from_monday())
                .into_iter()
                .enumerate()
        {
            let id = next_id();
            if let Some(w) = planned(id, day, kind, title, &friendly, subtype, i as i64 + 1) {
                workouts.push(w);
            }
        }
    }
    workouts
}

fn completed(rng: &mut Rng, id: i64, day: NaiveDate, s: &Session, load: f64, order: i64) -> Value {
    let planned_h = r(s.hours * load, 2).max(0.5);
    let hours = r(planned_h * rng.range(0.9, 1.08), 4);
    let intensity = r(s.intensity * rng.range(0.96, 1.04), 2);
    let tss = r(hours * intensity * intensity * 100.0, 1);
    let tss_planned = r(planned_h * s.intensity * s.intensity * 100.0, 1);
    let secs = hours * 3600.0;
    let hr_avg = (THRESHOLD_HR * (0.55 + 0.42 * intensity) + rng.range(-3.0, 3.0)).round();
    let hr_max = (hr_avg + rng.range(12.0, 25.0)).round().min(MAX_HR);
    let title = rng.pick(s.titles);
    // Only the fields a completed workout has values for: a list of a year is a few hundred
    // kB, and every byte is serialised by the sandbox and parsed by the client.
    let mut w = json!({
        "workoutId": id,
        "athleteId": ATHLETE_ID,
        "workoutDay": workout_day(day),
        "title": title,
        "workoutTypeValueId": s.kind.type_id(),
        "workoutSubTypeId": s.subtype,
        "orderOnDay": order,
        "completed": true,
        "startTime": format!("{}T{:02}:15:00", day.format("%Y-%m-%d"), 6 + 5 * (order - 1)),
        "totalTimePlanned": planned_h,
        "tssPlanned": tss_planned,
        "ifPlanned": s.intensity,
        "totalTime": hours,
        "tssActual": tss,
        "if": intensity,
        "heartRateAverage": hr_avg,
        "heartRateMaximum": hr_max,
    });
    let Value::Object(m) = &mut w else { return w };
    match s.kind {
        Kind::Bike => {
            let np = (FTP_W * intensity).round();
            let avg = (np * rng.range(0.88, 0.96)).round();
            let speed_kmh = rng.range(27.0, 32.0) * (0.8 + 0.25 * intensity);
            let kj = r(avg * secs / 1000.0, 0);
            m.insert("normalizedPowerActual".into(), json!(np));
            m.insert("powerAverage".into(), json!(avg));
            m.insert(
                "powerMaximum".into(),
                json!((np * rng.range(2.2, 3.4)).round()),
            );
            m.insert(
                "cadenceAverage".into(),
                json!(rng.range(84.0, 94.0).round()),
            );
            m.insert("energy".into(), json!(kj));
            m.insert("calories".into(), json!(kj.round()));
            m.insert(
                "distance".into(),
                json!((speed_kmh * hours * 1000.0).round()),
            );
            m.insert(
                "distancePlanned".into(),
                json!((29.0 * planned_h * 1000.0).round()),
            );
            m.insert(
                "elevationGain".into(),
                json!((hours * rng.range(150.0, 450.0)).round()),
            );
            m.insert("velocityAverage".into(), json!(r(speed_kmh / 3.6, 3)));
        }
        Kind::Run => {
            let mps = run_threshold_mps() * intensity * rng.range(0.97, 1.02);
            m.insert("distance".into(), json!((mps * secs).round()));
            m.insert(
                "distancePlanned".into(),
                json!(
                    (run_threshold_mps() * s.intensity * planned_h * 3600.0 / 100.0).round()
                        * 100.0
                ),
            );
            m.insert("velocityAverage".into(), json!(r(mps, 3)));
            m.insert(
                "cadenceAverage".into(),
                json!(rng.range(168.0, 182.0).round()),
            );
            m.insert(
                "elevationGain".into(),
                json!((hours * rng.range(40.0, 180.0)).round()),
            );
            m.insert(
                "calories".into(),
                json!((hours * rng.range(700.0, 820.0)).round()),
            );
        }
        Kind::Swim => {
            let mps = swim_css_mps() * intensity * rng.range(0.97, 1.02);
            let metres = ((mps * secs * 0.85) / 50.0).round() * 50.0; // ~15% rest between reps
            m.insert("distance".into(), json!(metres));
            m.insert(
                "distancePlanned".into(),
                json!(
                    ((swim_css_mps() * s.intensity * planned_h * 3600.0 * 0.85) / 100.0).round()
                        * 100.0
                ),
            );
            m.insert("velocityAverage".into(), json!(r(mps, 3)));
            m.insert(
                "calories".into(),
                json!((hours * rng.range(500.0, 650.0)).round()),
            );
        }
        Kind::Strength => {
            m.insert("heartRateAverage".into(), json!((hr_avg - 25.0).round()));
            m.insert("calories".into(), json!((hours * 380.0).round()));
        }
    }
    w
}

/// Upcoming planned sessions for a weekday: sport, title, friendly structure, subtype.
fn planned_for(weekday: u32) -> Vec<(Kind, &'static str, Value, Option<i64>)> {
    let step = |name: &str, secs: u32, lo: u32, hi: u32, class: &str| json!({"name": name, "duration_seconds": secs, "intensity_min": lo, "intensity_max": hi, "intensityClass": class});
    let warm = |secs| step("Warm up", secs, 50, 65, "warmUp");
    let cool = |secs| step("Cool down", secs, 45, 60, "coolDown");
    let reps = |n: u32, on: Value, off: Value| json!({"type": "repetition", "reps": n, "steps": [on, off]});
    let ftp = |steps: Vec<Value>| json!({"primaryIntensityMetric": "percentOfFtp", "steps": steps});
    let pace = |steps: Vec<Value>| json!({"primaryIntensityMetric": "percentOfThresholdPace", "steps": steps});
    match weekday {
        0 => vec![(
            Kind::Swim,
            "CSS 10x100",
            pace(vec![
                warm(600),
                reps(
                    10,
                    step("100 @ CSS", 105, 97, 102, "active"),
                    step("Rest", 20, 0, 0, "rest"),
                ),
                cool(300),
            ]),
            Some(2),
        )],
        1 => vec![(
            Kind::Bike,
            "VO2 max 5x4",
            ftp(vec![
                warm(900),
                reps(
                    5,
                    step("VO2", 240, 106, 120, "active"),
                    step("Easy", 240, 50, 60, "rest"),
                ),
                cool(600),
            ]),
            Some(6),
        )],
        2 => vec![(
            Kind::Run,
            "Tempo run 3x10",
            pace(vec![
                warm(900),
                reps(
                    3,
                    step("Tempo", 600, 88, 92, "active"),
                    step("Jog", 120, 65, 72, "rest"),
                ),
                cool(600),
            ]),
            Some(10),
        )],
        3 => vec![(
            Kind::Bike,
            "Sweet spot 3x12",
            ftp(vec![
                warm(600),
                reps(
                    3,
                    step("Sweet spot", 720, 88, 93, "active"),
                    step("Easy", 300, 50, 60, "rest"),
                ),
                cool(600),
            ]),
            Some(6),
        )],
        5 => vec![(
            Kind::Bike,
            "Endurance ride",
            ftp(vec![
                warm(900),
                step("Endurance", 8100, 65, 75, "active"),
                cool(600),
            ]),
            Some(3),
        )],
        6 => vec![(
            Kind::Run,
            "Long run",
            pace(vec![
                warm(600),
                step("Steady", 4200, 75, 82, "active"),
                cool(300),
            ]),
            Some(12),
        )],
        _ => Vec::new(),
    }
}

fn planned(
    id: i64,
    day: NaiveDate,
    kind: Kind,
    title: &str,
    friendly: &Value,
    subtype: Option<i64>,
    order: i64,
) -> Option<Value> {
    let s = structure::compile_value(friendly).ok()?;
    let m = structure::metrics(&s, (kind == Kind::Bike).then_some(FTP_W))?;
    let distance = match kind {
        Kind::Run => {
            Some((run_threshold_mps() * m.if_planned * m.total_seconds / 100.0).round() * 100.0)
        }
        Kind::Swim => {
            Some((swim_css_mps() * m.if_planned * m.total_seconds * 0.85 / 100.0).round() * 100.0)
        }
        _ => None,
    };
    Some(json!({
        "workoutId": id,
        "athleteId": ATHLETE_ID,
        "workoutDay": workout_day(day),
        "title": title,
        "workoutTypeValueId": kind.type_id(),
        "workoutSubTypeId": subtype,
        "orderOnDay": order,
        "completed": false,
        "totalTimePlanned": r(m.total_hours, 4),
        "tssPlanned": m.tss_planned,
        "ifPlanned": m.if_planned,
        "energyPlanned": m.energy_planned,
        "distancePlanned": distance,
        "totalTime": null,
        "tssActual": null,
        "if": null,
        "distance": null,
        "description": format!("{title}: {}", structure::summary(&s)),
        "coachComments": null,
        "athleteComments": null,
        "userTags": "",
        "feeling": null,
        "rpe": null,
        "structure": s.to_value(),
        "isDeleted": false,
        "hasPrivateWorkoutNoteForCaller": false,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn seeded() -> Vec<Value> {
        let mut next = 3_000_000_000_i64;
        let mut ids = || {
            next += 1;
            next
        };
        workouts(
            NaiveDate::from_ymd_opt(2026, 11, 21).unwrap_or_default(),
            &mut ids,
        )
    }

    #[test]
    fn seed_is_deterministic_and_believable() {
        let a = seeded();
        let b = seeded();
        assert_eq!(a, b);
        let all: Vec<&Value> = a.iter().collect();
        let done: Vec<&&Value> = all
            .iter()
            .filter(|w| w["completed"] == json!(true))
            .collect();
        assert!(
            done.len() > 350 && done.len() < 520,
            "about a year of sessions: {}",
            done.len()
        );
        let sports: std::collections::BTreeSet<i64> = done
            .iter()
            .filter_map(|w| w["workoutTypeValueId"].as_i64())
            .collect();
        assert_eq!(sports.into_iter().collect::<Vec<_>>(), vec![1, 2, 3, 9]);
        for w in &done {
            let h = w["totalTime"].as_f64().unwrap_or(0.0);
            assert!(h > 0.3 && h < 5.0, "hours, not minutes: {h}");
            let tss = w["tssActual"].as_f64().unwrap_or(0.0);
            assert!(tss > 5.0 && tss < 350.0, "tss {tss}");
        }
        let weekly_tss: f64 = done
            .iter()
            .filter_map(|w| w["tssActual"].as_f64())
            .sum::<f64>()
            / 52.0;
        assert!(
            (250.0..650.0).contains(&weekly_tss),
            "weekly TSS {weekly_tss}"
        );
        let planned: Vec<&&Value> = all
            .iter()
            .filter(|w| w["completed"] == json!(false))
            .collect();
        assert!(planned.len() >= 15, "three weeks of planned work");
        assert!(
            planned
                .iter()
                .all(|w| w["structure"]["structure"].is_array())
        );
        let first_day = all
            .iter()
            .filter_map(|w| w["workoutDay"].as_str())
            .min()
            .unwrap_or("");
        assert!(first_day >= "2025-11-21", "{first_day}");
    }

    /// The workouts use the same athlete as the settings: rides' NP is FTP × IF, HR stays
    /// under max HR, runs and swims cover threshold speed × IF, and planned TSS matches the
    /// planned IF and duration.
    #[test]
    fn workouts_agree_with_the_thresholds() {
        let all = seeded();
        let num = |w: &Value, k: &str| w[k].as_f64().unwrap_or(f64::NAN);
        let mut rides = 0;
        for w in all.iter().filter(|w| w["completed"] == json!(true)) {
            assert!(num(w, "heartRateMaximum") <= MAX_HR, "{w}");
            let tss = num(w, "tssActual");
            let want = num(w, "totalTime") * num(w, "if").powi(2) * 100.0;
            assert!((tss - want).abs() <= 0.051, "TSS = h × IF² × 100: {w}");
            match w["workoutTypeValueId"].as_i64() {
                Some(2) => {
                    rides += 1;
                    assert_eq!(
                        num(w, "normalizedPowerActual"),
                        (FTP_W * num(w, "if")).round()
                    );
                }
                Some(3) => {
                    let speed = num(w, "velocityAverage") / num(w, "if");
                    let t = run_threshold_mps();
                    assert!(speed > t * 0.96 && speed < t * 1.03, "run {speed} vs {t}");
                }
                Some(1) => {
                    let speed = num(w, "velocityAverage") / num(w, "if");
                    let t = swim_css_mps();
                    assert!(speed > t * 0.96 && speed < t * 1.03, "swim {speed} vs {t}");
                }
                _ => {}
            }
        }
        assert!(rides > 50, "{rides}");
        for w in all.iter().filter(|w| w["completed"] == json!(false)) {
            let want = num(w, "totalTimePlanned") * num(w, "ifPlanned").powi(2) * 100.0;
            assert!((num(w, "tssPlanned") - want).abs() < 0.2, "{w}");
            if w["workoutTypeValueId"] == json!(2) {
                let kj = FTP_W * num(w, "ifPlanned") * num(w, "totalTimePlanned") * 3.6;
                assert!(
                    (num(w, "energyPlanned") - kj).abs() < 1.0,
                    "energy at FTP: {w}"
                );
            }
        }
    }
}
