//! Drift: responses perturbed the way a live, undocumented API drifts, to prove the client
//! survives it. Used by the drift test in core (over [`DriftTransport`]) and by the HTTPS fake
//! in `tests/` (over [`perturb_body`]), so both replay exactly the same perturbations.
//!
//! Each [`Drift`] kind changes JSON values one way. Which values change is decided by a
//! deterministic generator seeded from the seed and the request path, so a failing case can
//! be replayed. Identity keys ([`VITAL_KEYS`]) are never nulled or removed: without its id a
//! workout is not a workout, and the tool is right to say so.

use std::sync::Arc;

use serde_json::{Map, Value};

use crate::http::{BoxFuture, HttpRequest, HttpResponse, Transport, TransportError};

pub mod intervals;

/// One way a response drifts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Drift {
    /// Numbers become numeric strings (`5` → `"5"`, `1.5` → `"1.5"`). Lossless.
    NumericStrings,
    /// Integers become integral floats (`5` → `5.0`). Lossless.
    IntegralFloats,
    /// Objects gain fields we have never seen (objects, arrays, numbers). Lossless.
    UnknownFields,
    /// Optional fields become `null`.
    Nulls,
    /// Optional fields disappear.
    Missing,
    /// Enum-like strings (short identifiers) take a value we have never seen.
    UnknownEnums,
}

impl Drift {
    /// Every kind.
    pub const ALL: [Drift; 6] = [
        Drift::NumericStrings,
        Drift::IntegralFloats,
        Drift::UnknownFields,
        Drift::Nulls,
        Drift::Missing,
        Drift::UnknownEnums,
    ];

    /// Whether the kind keeps every value's meaning (so a tool's output must not change).
    pub fn is_lossless(self) -> bool {
        matches!(
            self,
            Drift::NumericStrings | Drift::IntegralFloats | Drift::UnknownFields
        )
    }

    /// A short name for reports.
    pub fn name(self) -> &'static str {
        match self {
            Drift::NumericStrings => "numeric-strings",
            Drift::IntegralFloats => "integral-floats",
            Drift::UnknownFields => "unknown-fields",
            Drift::Nulls => "nulls",
            Drift::Missing => "missing",
            Drift::UnknownEnums => "unknown-enums",
        }
    }
}

/// Keys that identify an object, and the envelopes that carry the payload (`user` of
/// `/users/v3/user`, `data` of the strength API, `token` of the exchange): never nulled or
/// removed (type drift still applies). Without them there is nothing to read, and the tool is
/// right to fail naming them.
pub const VITAL_KEYS: &[&str] = &[
    "user",
    "data",
    "id",
    "workoutId",
    "athleteId",
    "userId",
    "personId",
    "access_token",
    "token",
    "eventId",
    "noteId",
    "exerciseLibraryId",
    "exerciseLibraryItemId",
    "libraryId",
    "itemId",
    "equipmentId",
    "availabilityId",
    "goalListId",
    "commentId",
    "prescribedActivityId",
    "workoutDay",
    "eventDate",
    "noteDate",
    // A device file's id and the list carrying them (`/details`): without them there is no
    // file to fetch, and the analysis tools fall back to the workout record, saying so.
    "fileId",
    "workoutDeviceFileInfos",
];

/// Which keys a platform's drift never nulls or removes: TrainingPeaks' is
/// [`TRAININGPEAKS`], Intervals.icu's is [`intervals::INTERVALS`].
#[derive(Debug, Clone, Copy)]
pub struct Profile {
    /// Keys never nulled or removed (type drift still applies).
    pub vital: &'static [&'static str],
}

/// TrainingPeaks' profile.
pub const TRAININGPEAKS: Profile = Profile { vital: VITAL_KEYS };

/// The value an unknown enum takes.
pub const UNKNOWN_ENUM: &str = "zzUnheardOf";
/// The prefix of the keys [`Drift::UnknownFields`] adds.
pub const UNKNOWN_KEY_PREFIX: &str = "zzNew";

/// How often a candidate value is changed.
const RATE: u64 = 35; // percent

/// A small deterministic generator (splitmix64).
struct Rng(u64);

impl Rng {
    fn new(seed: u64, path: &str) -> Self {
        // FNV-1a of the path, mixed with the seed: the same request drifts the same way
        // whatever order requests are made in.
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in path.bytes() {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        Rng(h ^ seed.wrapping_mul(0x9e37_79b9_7f4a_7c15))
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn hit(&mut self) -> bool {
        self.next() % 100 < RATE
    }
}

/// Perturbs a JSON value in place (TrainingPeaks' [`Profile`]).
pub fn perturb(v: &mut Value, kind: Drift, seed: u64, path: &str) {
    perturb_with(v, kind, seed, path, &TRAININGPEAKS);
}

/// Perturbs a JSON value in place, leaving `profile`'s vital keys alone.
pub fn perturb_with(v: &mut Value, kind: Drift, seed: u64, path: &str, profile: &Profile) {
    let mut rng = Rng::new(seed, path);
    walk(v, kind, &mut rng, profile);
}

/// Perturbs an HTTP response body if it is JSON; anything else is returned unchanged.
pub fn perturb_body(body: &[u8], kind: Drift, seed: u64, path: &str) -> Option<Vec<u8>> {
    perturb_body_with(body, kind, seed, path, &TRAININGPEAKS)
}

/// [`perturb_body`] under another platform's [`Profile`].
pub fn perturb_body_with(
    body: &[u8],
    kind: Drift,
    seed: u64,
    path: &str,
    profile: &Profile,
) -> Option<Vec<u8>> {
    let mut v: Value = serde_json::from_slice(body).ok()?;
    perturb_with(&mut v, kind, seed, path, profile);
    serde_json::to_vec(&v).ok()
}

fn is_enum_like(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 32
        && s.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        && s.chars().any(|c| c.is_ascii_alphabetic())
        && !s.chars().all(|c| c.is_ascii_digit())
}

fn walk(v: &mut Value, kind: Drift, rng: &mut Rng, profile: &Profile) {
    match v {
        Value::Object(map) => walk_object(map, kind, rng, profile),
        Value::Array(items) => items
            .iter_mut()
            .for_each(|i| walk_leaf_or(i, kind, rng, profile)),
        _ => {}
    }
}

fn walk_leaf_or(v: &mut Value, kind: Drift, rng: &mut Rng, profile: &Profile) {
    if v.is_object() || v.is_array() {
        walk(v, kind, rng, profile);
    } else {
        change_scalar(v, kind, rng);
    }
}

fn change_scalar(v: &mut Value, kind: Drift, rng: &mut Rng) {
    match (kind, &*v) {
        (Drift::NumericStrings, Value::Number(n)) if rng.hit() => {
            *v = Value::String(n.to_string());
        }
        (Drift::IntegralFloats, Value::Number(n)) if n.is_i64() || n.is_u64() => {
            if rng.hit()
                && let Some(f) = n.as_f64()
                && let Some(num) = serde_json::Number::from_f64(f)
            {
                *v = Value::Number(num);
            }
        }
        (Drift::UnknownEnums, Value::String(s)) if is_enum_like(s) && rng.hit() => {
            *v = Value::String(UNKNOWN_ENUM.into());
        }
        _ => {}
    }
}

fn walk_object(map: &mut Map<String, Value>, kind: Drift, rng: &mut Rng, profile: &Profile) {
    let keys: Vec<String> = map.keys().cloned().collect();
    for key in keys {
        let vital = profile.vital.contains(&key.as_str());
        match kind {
            Drift::Nulls if !vital && rng.hit() => {
                map.insert(key, Value::Null);
            }
            Drift::Missing if !vital && rng.hit() => {
                map.remove(&key);
            }
            _ => {
                if let Some(child) = map.get_mut(&key) {
                    walk_leaf_or(child, kind, rng, profile);
                }
            }
        }
    }
    if kind == Drift::UnknownFields && rng.hit() {
        let n = rng.next() % 3;
        let extra = match n {
            0 => serde_json::json!({"nested": [1, "two", null], "flag": true}),
            1 => serde_json::json!([{"a": 1}]),
            _ => serde_json::json!(12.5),
        };
        map.insert(format!("{UNKNOWN_KEY_PREFIX}{n}"), extra);
    }
}

/// A transport whose JSON responses drift: wraps another transport (e.g. a
/// [`super::SandboxTransport`]) and perturbs every successful JSON response.
pub struct DriftTransport {
    inner: Arc<dyn Transport>,
    kind: Drift,
    seed: u64,
    profile: Profile,
}

impl DriftTransport {
    /// Drift of one `kind`, seeded with `seed`, over `inner` (TrainingPeaks' [`Profile`]).
    pub fn new(inner: Arc<dyn Transport>, kind: Drift, seed: u64) -> Self {
        Self {
            inner,
            kind,
            seed,
            profile: TRAININGPEAKS,
        }
    }

    /// The same drift under another platform's [`Profile`].
    pub fn with_profile(mut self, profile: Profile) -> Self {
        self.profile = profile;
        self
    }
}

impl std::fmt::Debug for DriftTransport {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DriftTransport")
            .field("kind", &self.kind)
            .field("seed", &self.seed)
            .finish_non_exhaustive()
    }
}

impl Transport for DriftTransport {
    fn send<'a>(
        &'a self,
        request: HttpRequest,
    ) -> BoxFuture<'a, Result<HttpResponse, TransportError>> {
        Box::pin(async move {
            let path = request
                .url
                .split_once("://")
                .and_then(|(_, rest)| rest.find('/').map(|i| rest[i..].to_string()))
                .unwrap_or_default();
            let mut resp = self.inner.send(request).await?;
            if resp.is_success()
                && let Some(body) =
                    perturb_body_with(&resp.body, self.kind, self.seed, &path, &self.profile)
            {
                resp.body = body;
            }
            Ok(resp)
        })
    }
}

fn first_id(
    sandbox: &super::Sandbox,
    collection: &str,
    pick: impl Fn(&Value) -> bool,
) -> Option<i64> {
    sandbox.with_state(|s| {
        s.collection(collection)
            .iter()
            .find(|(_, v)| pick(v))
            .map(|(id, _)| *id)
    })
}

/// Every read tool of the catalogue that talks to TrainingPeaks, with arguments that reach
/// real data in `sandbox` (ids looked up in its state, dates inside the seeded year). Shared
/// by the drift tests in core and in `tests/`, so both replay the same calls. Ids the sandbox
/// lacks read as 0 (the call then fails loudly, which the tests report).
pub fn read_calls(sandbox: &super::Sandbox) -> Vec<(&'static str, Value)> {
    let planned = first_id(sandbox, "workouts", |w| {
        w["structure"].is_object() && w["totalTime"].is_null()
    })
    .unwrap_or(0);
    let completed = first_id(sandbox, "workouts", |w| {
        w["totalTime"].as_f64().is_some_and(|t| t > 0.0) && w["workoutTypeValueId"] == 2
    })
    .unwrap_or(0);
    let note = first_id(sandbox, "notes", |_| true).unwrap_or(0);
    let library = first_id(sandbox, "libraries", |_| true).unwrap_or(0);
    let item = first_id(sandbox, "library_items", |_| true).unwrap_or(0);
    let strength = sandbox.with_state(|s| {
        s.collection("strength_workouts")
            .values()
            .find_map(|v| v["id"].as_str().map(str::to_string))
            .unwrap_or_default()
    });
    let today = sandbox.today();
    let day = |offset: i64| {
        (today + chrono::Duration::days(offset))
            .format("%Y-%m-%d")
            .to_string()
    };
    let past = serde_json::json!({"start_date": day(-110), "end_date": day(10)});
    let ahead = serde_json::json!({"start_date": day(-20), "end_date": day(220)});
    vec![
        ("get_athlete_profile", serde_json::json!({})),
        ("get_workout_types", serde_json::json!({})),
        ("get_workouts", past.clone()),
        ("get_workout", serde_json::json!({"workout_id": planned})),
        ("get_workout", serde_json::json!({"workout_id": completed})),
        (
            "get_weekly_summary",
            serde_json::json!({"week_of": day(-7)}),
        ),
        (
            "get_workout_comments",
            serde_json::json!({"workout_id": completed}),
        ),
        (
            "get_atp",
            serde_json::json!({"start_date": day(-20), "end_date": day(100)}),
        ),
        ("get_fitness_metrics", past.clone()),
        (
            "get_workout_prs",
            serde_json::json!({"workout_id": completed}),
        ),
        (
            "get_peaks",
            serde_json::json!({"sport": "bike", "metric": "power20min"}),
        ),
        ("get_equipment", serde_json::json!({})),
        ("get_athlete_settings", serde_json::json!({})),
        ("get_weather_settings", serde_json::json!({})),
        ("get_pool_length_settings", serde_json::json!({})),
        ("get_focus_event", serde_json::json!({})),
        ("get_next_planned_event", serde_json::json!({})),
        ("get_events", ahead.clone()),
        ("get_note", serde_json::json!({"note_id": note})),
        ("get_note_comments", serde_json::json!({"note_id": note})),
        ("get_availability", ahead),
        ("get_libraries", serde_json::json!({})),
        (
            "get_library_items",
            serde_json::json!({"library_id": library}),
        ),
        (
            "get_library_item",
            serde_json::json!({"library_id": library, "item_id": item}),
        ),
        (
            "get_strength_workout_summary",
            serde_json::json!({"workout_id": strength}),
        ),
        ("get_nutrition", past.clone()),
        ("get_metrics", past),
        ("list_athletes", serde_json::json!({})),
        ("get_planned_workouts", serde_json::json!({})),
        ("get_fitness_projection", serde_json::json!({})),
        ("predict_race", serde_json::json!({})),
        ("get_readiness", serde_json::json!({})),
        (
            "render_chart",
            serde_json::json!({"kind": "fitness", "start_date": day(-110), "end_date": day(0)}),
        ),
        ("render_chart", serde_json::json!({"kind": "power_curve"})),
        (
            "render_chart",
            serde_json::json!({"kind": "week", "week_of": day(-7)}),
        ),
        (
            "render_chart",
            serde_json::json!({"kind": "workout", "workout_id": planned}),
        ),
        (
            "get_activity_analysis",
            serde_json::json!({"workout_id": completed}),
        ),
        (
            "get_activity_streams",
            serde_json::json!({"workout_id": completed}),
        ),
        (
            "analyze_activity_range",
            serde_json::json!({"workout_id": completed, "start_s": 600, "end_s": 1800}),
        ),
        (
            "get_power_curve",
            serde_json::json!({"start_date": day(-14), "end_date": day(0), "max_workouts": 2}),
        ),
        (
            "get_training_distribution",
            serde_json::json!({"start_date": day(-14), "end_date": day(0), "max_workouts": 2}),
        ),
    ]
}

/// What a structured output means, for comparing a clean run with a lossless drift: numbers
/// (and numeric strings) as f64, so `"5"`, `5` and `5.0` agree, and the keys the drift
/// invented dropped.
pub fn meaning(v: &Value) -> Value {
    match v {
        Value::Object(m) => Value::Object(
            m.iter()
                .filter(|(k, _)| !k.starts_with(UNKNOWN_KEY_PREFIX))
                .map(|(k, v)| (k.clone(), meaning(v)))
                .collect(),
        ),
        Value::Array(items) => Value::Array(items.iter().map(meaning).collect()),
        Value::Number(n) => serde_json::json!(n.as_f64()),
        Value::String(s) => match s.trim().parse::<f64>() {
            Ok(f) if f.is_finite() && !s.trim().is_empty() => serde_json::json!(f),
            _ => v.clone(),
        },
        _ => v.clone(),
    }
}

/// Share of drifted read calls that must succeed (the reference TypeScript server manages
/// 93 % under the same kinds of drift).
pub const TARGET: f64 = 0.98;

/// The tally of a drift run: every call's verdict by kind and by tool, the failures, and the
/// report both drift tests print.
#[derive(Debug, Default)]
pub struct Tally {
    total: usize,
    survived: usize,
    by_kind: std::collections::BTreeMap<&'static str, (usize, usize)>,
    by_tool: std::collections::BTreeMap<String, (usize, usize)>,
    failures: Vec<String>,
}

impl Tally {
    /// Records one drifted call: `got` is its structured output or its error. It survives if
    /// it succeeded and, under a lossless kind, means what the `clean` run's output means.
    pub fn record(
        &mut self,
        tool: &str,
        kind: Drift,
        seed: u64,
        got: Result<&Value, &str>,
        clean: &Value,
    ) {
        let verdict = match got {
            Ok(out) if kind.is_lossless() && meaning(out) != meaning(clean) => {
                Err(format!("output changed:\n  clean: {clean}\n  drift: {out}"))
            }
            Ok(_) => Ok(()),
            Err(e) => Err(e.to_string()),
        };
        self.total += 1;
        let k = self.by_kind.entry(kind.name()).or_default();
        let t = self.by_tool.entry(tool.to_string()).or_default();
        k.1 += 1;
        t.1 += 1;
        match verdict {
            Ok(()) => {
                self.survived += 1;
                k.0 += 1;
                t.0 += 1;
            }
            Err(mut e) => {
                if let Some((i, _)) = e.char_indices().nth(600) {
                    e.truncate(i);
                }
                self.failures
                    .push(format!("{tool} {} seed {seed}: {e}", kind.name()));
            }
        }
    }

    /// The share of calls that survived (0 when none ran).
    pub fn rate(&self) -> f64 {
        if self.total == 0 {
            0.0
        } else {
            self.survived as f64 / self.total as f64
        }
    }

    /// The failures, first first.
    pub fn failures(&self) -> &[String] {
        &self.failures
    }

    /// The report: the rate beside the target, per kind, the tools that lost calls, and the
    /// first failures.
    pub fn report(&self, what: &str) -> String {
        let mut out = format!(
            "drift survival{what}: {}/{} = {:.1} % (target {:.0} %)\n",
            self.survived,
            self.total,
            self.rate() * 100.0,
            TARGET * 100.0
        );
        for (kind, (ok, n)) in &self.by_kind {
            out.push_str(&format!("  {kind:<16} {ok}/{n}\n"));
        }
        for (tool, (ok, n)) in self.by_tool.iter().filter(|(_, (ok, n))| ok < n) {
            out.push_str(&format!("  {tool:<30} {ok}/{n}\n"));
        }
        for f in self.failures.iter().take(40) {
            out.push_str(&format!("FAIL {f}\n"));
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn sample() -> Value {
        json!({"workoutId": 7, "title": "Threshold", "tss": 80, "if": 0.85,
               "kind": "RaceA", "zones": [{"min": 100, "max": 200}], "note": null})
    }

    #[test]
    fn each_kind_changes_something_and_is_deterministic() {
        for kind in Drift::ALL {
            let changed = (0..20u64).any(|seed| {
                let mut v = sample();
                perturb(&mut v, kind, seed, "/x");
                v != sample()
            });
            assert!(changed, "{kind:?} never changed the sample");
            let mut a = sample();
            let mut b = sample();
            perturb(&mut a, kind, 3, "/p");
            perturb(&mut b, kind, 3, "/p");
            assert_eq!(a, b, "{kind:?} is deterministic");
        }
    }

    #[test]
    fn vital_keys_survive_nulls_and_missing() {
        for seed in 0..50 {
            for kind in [Drift::Nulls, Drift::Missing] {
                let mut v = sample();
                perturb(&mut v, kind, seed, "/x");
                assert_eq!(v["workoutId"], json!(7), "{kind:?} seed {seed}");
            }
        }
    }

    #[test]
    fn the_tally_counts_errors_and_changed_meanings_as_losses() {
        let clean = json!({"id": 5, "title": "A"});
        let mut t = Tally::default();
        t.record(
            "a",
            Drift::NumericStrings,
            0,
            Ok(&json!({"id": "5", "title": "A", "zzNew1": 1})),
            &clean,
        );
        t.record(
            "a",
            Drift::IntegralFloats,
            0,
            Ok(&json!({"id": 5.0, "title": "B"})),
            &clean,
        );
        t.record(
            "b",
            Drift::Nulls,
            1,
            Ok(&json!({"id": 5, "title": null})),
            &clean,
        );
        t.record(
            "b",
            Drift::Missing,
            2,
            Err("the workout has no usable `workoutId`"),
            &clean,
        );
        assert_eq!(t.rate(), 0.5);
        assert_eq!(t.failures().len(), 2);
        let report = t.report(" here");
        assert!(
            report.starts_with("drift survival here: 2/4 = 50.0 % (target 98 %)"),
            "{report}"
        );
        assert!(
            report.contains("FAIL a integral-floats seed 0: output changed"),
            "{report}"
        );
        assert!(
            report.contains("FAIL b missing seed 2: the workout"),
            "{report}"
        );
        assert_eq!(Tally::default().rate(), 0.0);
    }

    #[test]
    fn lossless_kinds_keep_meaning() {
        let mut v = json!({"a": 5, "b": [1, 2], "c": "text here"});
        perturb(&mut v, Drift::IntegralFloats, 1, "/y");
        assert_eq!(v["a"].as_f64(), Some(5.0));
        assert_eq!(v["c"], "text here");
    }
}
