//! The sample athlete's deterministic year of training: completed sessions from a weekly
//! template with a 3 + 1 week load cycle, three weeks of planned structured workouts, and a
//! few coach comments.

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate};
use serde_json::{Value, json};

use crate::clock::Clock;
use crate::sandbox::{SAMPLE_ATHLETE_ID, State};
use crate::structure;
use crate::trainingpeaks::workouts::workout_day;

use super::{COMMENTS, WORKOUTS};

/// The sample athlete's FTP (W) used for power figures.
pub const SAMPLE_FTP: f64 = 250.0;
/// The sample athlete's lactate-threshold heart rate (bpm).
pub const SAMPLE_LTHR: f64 = 168.0;
/// The sample athlete's threshold run speed (m/s; 4:10 /km).
pub const SAMPLE_RUN_THRESHOLD_MPS: f64 = 1000.0 / 250.0;
/// The sample athlete's swim CSS (m/s; 1:45 /100 m).
pub const SAMPLE_SWIM_CSS_MPS: f64 = 100.0 / 105.0;
/// The sample coach who comments on workouts.
const COACH_PERSON_ID: i64 = 4_700_001;

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

/// Seeds a year of completed training (365 days back from yesterday), today's and three weeks
/// of upcoming planned structured workouts, and a few comments.
pub(in crate::sandbox) fn seed(state: &mut State, clock: &dyn Clock) {
    let today = clock.today();
    let first = today - Duration::days(365);
    let mut rng = Rng(0x5EED_CAFE_F00D_0001);
    let mut workouts: BTreeMap<i64, Value> = BTreeMap::new();
    let mut completed_ids = Vec::new();
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
            let id = state.new_id();
            let w = completed(&mut rng, id, day, &sess, load, i as i64 + 1);
            completed_ids.push((id, day));
            workouts.insert(id, w);
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
            let id = state.new_id();
            if let Some(w) = planned(id, day, kind, title, &friendly, subtype, i as i64 + 1) {
                workouts.insert(id, w);
            }
        }
    }
    let mut comments: BTreeMap<i64, Value> = BTreeMap::new();
    let coach_lines = [
        "Great pacing, right in the zone. Keep it up.",
        "Looked strong on the last interval — recover well tomorrow.",
        "HR drifted a bit late on; bring a bottle with carbs next time.",
    ];
    for (n, (wid, day)) in completed_ids.iter().rev().step_by(5).take(3).enumerate() {
        let id = state.new_id();
        let when = format!("{}T19:30:00", day.format("%Y-%m-%d"));
        comments.insert(
            id,
            json!({"id": id, "comment": coach_lines.get(n).copied().unwrap_or(""), "dateCreated": when, "workoutId": wid,
                "commenterPersonId": COACH_PERSON_ID, "firstName": "Jordan", "lastName": "Lee",
                "commenterName": "Jordan Lee", "commenterPhotoUrl": null, "isCoach": true}),
        );
    }
    state.collection(WORKOUTS).extend(workouts);
    state.collection(COMMENTS).extend(comments);
}

fn completed(rng: &mut Rng, id: i64, day: NaiveDate, s: &Session, load: f64, order: i64) -> Value {
    let planned_h = r(s.hours * load, 2).max(0.5);
    let hours = r(planned_h * rng.range(0.9, 1.08), 4);
    let intensity = r(s.intensity * rng.range(0.96, 1.04), 2);
    let tss = r(hours * intensity * intensity * 100.0, 1);
    let tss_planned = r(planned_h * s.intensity * s.intensity * 100.0, 1);
    let secs = hours * 3600.0;
    let hr_avg = (SAMPLE_LTHR * (0.55 + 0.42 * intensity) + rng.range(-3.0, 3.0)).round();
    let hr_max = (hr_avg + rng.range(12.0, 25.0)).round();
    let title = rng.pick(s.titles);
    // Only the fields a completed workout has values for: a list of a year is a few hundred
    // kB, and every byte is serialised by the sandbox and parsed by the client.
    let mut w = json!({
        "workoutId": id,
        "athleteId": SAMPLE_ATHLETE_ID,
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
            let np = (SAMPLE_FTP * intensity).round();
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
            let mps = SAMPLE_RUN_THRESHOLD_MPS * intensity * rng.range(0.97, 1.02);
            m.insert("distance".into(), json!((mps * secs).round()));
            m.insert(
                "distancePlanned".into(),
                json!(
                    (SAMPLE_RUN_THRESHOLD_MPS * s.intensity * planned_h * 3600.0 / 100.0).round()
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
            let mps = SAMPLE_SWIM_CSS_MPS * intensity * rng.range(0.97, 1.02);
            let metres = ((mps * secs * 0.85) / 50.0).round() * 50.0; // ~15% rest between reps
            m.insert("distance".into(), json!(metres));
            m.insert(
                "distancePlanned".into(),
                json!(
                    ((SAMPLE_SWIM_CSS_MPS * s.intensity * planned_h * 3600.0 * 0.85) / 100.0)
                        .round()
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
    let m = structure::metrics(&s, (kind == Kind::Bike).then_some(SAMPLE_FTP))?;
    let distance = match kind {
        Kind::Run => Some(
            (SAMPLE_RUN_THRESHOLD_MPS * m.if_planned * m.total_seconds / 100.0).round() * 100.0,
        ),
        Kind::Swim => Some(
            (SAMPLE_SWIM_CSS_MPS * m.if_planned * m.total_seconds * 0.85 / 100.0).round() * 100.0,
        ),
        _ => None,
    };
    Some(json!({
        "workoutId": id,
        "athleteId": SAMPLE_ATHLETE_ID,
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
    use crate::clock::ManualClock;

    fn seeded() -> State {
        let clock = ManualClock::at_date(NaiveDate::from_ymd_opt(2026, 11, 21).unwrap_or_default());
        let mut st = State {
            next_id: 3_000_000_000,
            ..State::default()
        };
        seed(&mut st, &clock);
        st
    }

    #[test]
    fn seed_is_deterministic_and_believable() {
        let a = seeded();
        let b = seeded();
        assert_eq!(a.collections.get(WORKOUTS), b.collections.get(WORKOUTS));
        let all: Vec<&Value> = a
            .collections
            .get(WORKOUTS)
            .map(|c| c.values().collect())
            .unwrap_or_default();
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
}
