//! The planning, fitness and readiness tools of issue 10 (`get_planned_workouts`,
//! `skip_workout`, `set_workout_advice`, `get_fitness_projection`, `predict_race`,
//! `get_readiness`): against the sandbox through `tools::call`, figures against values worked
//! out by hand (each test says how), exact requests over closure transports, and bad input
//! naming the field before anything is sent.

use std::sync::{Arc, Mutex};

use chrono::{Duration, NaiveDate};
use futures_executor::block_on;
use paceline_core::clock::ManualClock;
use paceline_core::http::{FnTransport, HttpRequest, HttpResponse, Method, TransportError};
use paceline_core::sandbox::{SAMPLE_ATHLETE_ID, Sandbox, SandboxTransport};
use paceline_core::tools::{self, ToolContext, ToolError, ToolOutput};
use paceline_core::trainingpeaks::TpClient;
use serde_json::{Value, json};

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 21).unwrap()
}

fn sandbox_ctx() -> ToolContext {
    let clock = Arc::new(ManualClock::at_date(today()));
    let sandbox = Arc::new(Sandbox::new(clock.clone()));
    let client = TpClient::new(Arc::new(SandboxTransport::new(sandbox)), clock);
    ToolContext::new(Arc::new(client))
}

fn call(ctx: &ToolContext, name: &str, args: Value) -> Result<ToolOutput, ToolError> {
    block_on(tools::call(ctx, name, args))
}

fn ok(ctx: &ToolContext, name: &str, args: Value) -> ToolOutput {
    match call(ctx, name, args.clone()) {
        Ok(o) => o,
        Err(e) => panic!("{name}({args}) failed: {e}"),
    }
}

fn close(got: &Value, want: f64, tol: f64, what: &str) {
    let g = got
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: not a number: {got}"));
    assert!(
        (g - want).abs() <= tol,
        "{what}: got {g}, want {want} ± {tol}"
    );
}

type Log = Arc<Mutex<Vec<HttpRequest>>>;

/// A client whose transport answers the token and user calls itself, then hands every other
/// request to `route` (method, path with query, parsed body) and records it.
fn client_with(
    route: impl Fn(Method, &str, Option<Value>) -> (u16, Value) + Send + Sync + 'static,
) -> (ToolContext, Log) {
    let log: Log = Arc::new(Mutex::new(Vec::new()));
    let seen = log.clone();
    let transport = FnTransport(
        move |req: HttpRequest| -> Result<HttpResponse, TransportError> {
            let path = req.path_and_query().to_string();
            if path == "/users/v3/token" {
                return Ok(HttpResponse::json(
                    200,
                    &json!({"success": true, "token": {"access_token": "tok-1", "expires_in": 3600}}),
                ));
            }
            if path == "/users/v3/user" {
                return Ok(HttpResponse::json(
                    200,
                    &json!({"user": {"userId": 77, "personId": 77}}),
                ));
            }
            seen.lock().unwrap().push(req.clone());
            let body = req
                .body
                .as_deref()
                .map(|b| serde_json::from_slice(b).unwrap());
            let (status, v) = route(req.method, &path, body);
            Ok(HttpResponse::json(status, &v))
        },
    );
    let clock = Arc::new(ManualClock::at_date(today()));
    (
        ToolContext::new(Arc::new(TpClient::new(Arc::new(transport), clock))),
        log,
    )
}

/// A client that fails the test if anything is sent.
fn offline() -> ToolContext {
    client_with(|m, p, _| panic!("no request expected, got {m:?} {p}")).0
}

fn invalid_field(r: Result<ToolOutput, ToolError>) -> String {
    match r {
        Err(ToolError::InvalidArgs { field, .. }) => field,
        other => panic!("expected InvalidArgs, got {other:?}"),
    }
}

fn body_of(req: &HttpRequest) -> Value {
    serde_json::from_slice(req.body.as_deref().unwrap()).unwrap()
}

// ---- get_planned_workouts, skip_workout, set_workout_advice

#[test]
fn planned_workouts_default_to_the_next_14_days_with_week_totals() {
    let ctx = sandbox_ctx();
    let out = ok(&ctx, "get_planned_workouts", json!({})).structured;
    assert_eq!(out["start_date"], "2026-11-21");
    assert_eq!(
        out["end_date"], "2026-12-04",
        "today and the 13 days after it"
    );
    let ws = out["workouts"].as_array().unwrap();
    assert!(ws.len() >= 8, "two weeks of the sample plan: {}", ws.len());
    let mut tss = 0.0;
    for w in ws {
        assert_eq!(w["completed"], false, "{w}");
        let d = w["date"].as_str().unwrap();
        assert!(("2026-11-21"..="2026-12-04").contains(&d), "{d}");
        tss += w["tss_planned"].as_f64().unwrap_or(0.0);
    }
    assert!(
        ws.iter().any(|w| w["structure_summary"].is_string()),
        "the sample plan is structured"
    );
    // The week rows add up to the listed planned TSS (nothing is skipped yet).
    let weeks: f64 = out["weeks"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["tss"].as_f64().unwrap())
        .sum();
    assert!((weeks - tss).abs() < 0.5, "{weeks} vs {tss}");
    assert_eq!(out["weeks"][0]["week_start"], "2026-11-16", "Monday");
}

#[test]
fn skip_then_undo_and_advice_on_the_sandbox() {
    let ctx = sandbox_ctx();
    let planned = ok(&ctx, "get_planned_workouts", json!({})).structured;
    let first = &planned["workouts"][0];
    let id = first["workout_id"].as_i64().unwrap();
    let tss = first["tss_planned"].as_f64().unwrap();

    let out = ok(
        &ctx,
        "skip_workout",
        json!({"workout_id": id, "reason": "ill"}),
    );
    assert_eq!(out.structured["skipped"], true);
    assert_eq!(
        out.structured["changed_fields"],
        json!(["userTags", "athleteComments"])
    );
    let raw = block_on(ctx.client.workout_raw(SAMPLE_ATHLETE_ID, id)).unwrap();
    assert!(
        raw["userTags"]
            .as_str()
            .unwrap()
            .split(',')
            .any(|t| t == "skipped"),
        "{raw}"
    );
    assert!(
        raw["athleteComments"]
            .as_str()
            .unwrap()
            .ends_with("Skipped: ill"),
        "{raw}"
    );
    // Again: nothing left to change, nothing sent.
    let again = ok(
        &ctx,
        "skip_workout",
        json!({"workout_id": id, "reason": "ill"}),
    );
    assert_eq!(again.structured["changed_fields"], json!([]));
    assert!(
        again.text.contains("already marked skipped"),
        "{}",
        again.text
    );

    // The list flags it and the week total leaves it out.
    let after = ok(&ctx, "get_planned_workouts", json!({})).structured;
    let listed = after["workouts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["workout_id"] == id)
        .unwrap();
    assert_eq!(listed["skipped"], true);
    let week = |v: &Value| v["weeks"][0]["tss"].as_f64().unwrap();
    assert!((week(&planned) - week(&after) - tss).abs() < 0.11);
    let hidden = ok(
        &ctx,
        "get_planned_workouts",
        json!({"include_skipped": false}),
    )
    .structured;
    assert!(
        !hidden["workouts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["workout_id"] == id)
    );

    let undone = ok(
        &ctx,
        "skip_workout",
        json!({"workout_id": id, "undo": true}),
    );
    assert_eq!(undone.structured["skipped"], false);
    assert_eq!(undone.structured["changed_fields"], json!(["userTags"]));

    let advice = ok(
        &ctx,
        "set_workout_advice",
        json!({"workout_id": id, "advice": "Easy first 10 min."}),
    );
    assert_eq!(advice.structured["advice"], "Easy first 10 min.");
    let appended = ok(
        &ctx,
        "set_workout_advice",
        json!({"workout_id": id, "advice": "Fuel 60 g/h.", "append": true}),
    );
    assert_eq!(appended.structured["previous_advice"], "Easy first 10 min.");
    let raw = block_on(ctx.client.workout_raw(SAMPLE_ATHLETE_ID, id)).unwrap();
    assert_eq!(raw["coachComments"], "Easy first 10 min.\n\nFuel 60 g/h.");
    let listed = ok(&ctx, "get_planned_workouts", json!({})).structured;
    assert!(
        listed["workouts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["workout_id"] == id && w["advice"] == "Easy first 10 min.\n\nFuel 60 g/h.")
    );
}

fn stored_planned() -> Value {
    json!({
        "workoutId": 901, "athleteId": 77, "workoutDay": "2026-11-25T00:00:00", "title": "Threshold",
        "workoutTypeValueId": 2, "totalTimePlanned": 1, "tssPlanned": 80.5, "userTags": "build",
        "coachComments": null, "athleteComments": "", "completed": false,
        "structure": {"structure": [], "primaryLengthMetric": "duration"}, "someServerField": [1, "2"]
    })
}

/// Answers the workout GET with `stored` and echoes PUTs.
fn workout_server(stored: Value) -> (ToolContext, Log) {
    client_with(move |m, _, body| match m {
        Method::Get => (200, stored.clone()),
        _ => (200, body.unwrap_or(Value::Null)),
    })
}

#[test]
fn skip_and_advice_put_the_whole_workout_with_only_their_keys_changed() {
    let (ctx, log) = workout_server(stored_planned());
    ok(
        &ctx,
        "skip_workout",
        json!({"workout_id": 901, "reason": "travel"}),
    );
    {
        let log = log.lock().unwrap();
        assert_eq!(log.len(), 2);
        assert_eq!(log[0].method, Method::Get);
        assert_eq!(
            log[0].url,
            "https://tpapi.trainingpeaks.com/fitness/v6/athletes/77/workouts/901"
        );
        assert_eq!(log[1].method, Method::Put);
        assert_eq!(log[1].url, log[0].url);
        let mut want = stored_planned();
        want["userTags"] = json!("build,skipped");
        want["athleteComments"] = json!("Skipped: travel");
        want["structure"] = Value::String(want["structure"].to_string());
        assert_eq!(body_of(&log[1]), want);
    }
    log.lock().unwrap().clear();
    ok(
        &ctx,
        "set_workout_advice",
        json!({"workout_id": 901, "advice": " Hold 95 %. "}),
    );
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 2);
    let mut want = stored_planned();
    want["coachComments"] = json!("Hold 95 %.");
    want["structure"] = Value::String(want["structure"].to_string());
    assert_eq!(body_of(&log[1]), want);
}

#[test]
fn a_completed_workout_is_not_skipped_and_nothing_is_written() {
    let mut done = stored_planned();
    done["completed"] = json!(true);
    done["totalTime"] = json!(1.02);
    let (ctx, log) = workout_server(done);
    let e = call(&ctx, "skip_workout", json!({"workout_id": 901})).unwrap_err();
    assert!(
        matches!(e, ToolError::Failed(ref m) if m.contains("already completed")),
        "{e:?}"
    );
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 1, "only the GET");
    assert_eq!(log[0].method, Method::Get);
}

#[test]
fn a_skip_whose_put_gets_no_answer_is_reported_unknown_and_not_retried() {
    let puts = Arc::new(Mutex::new(0));
    let count = puts.clone();
    let (ctx, _) = client_with(move |m, _, _| match m {
        Method::Get => (200, stored_planned()),
        _ => {
            *count.lock().unwrap() += 1;
            (502, json!({"message": "bad gateway"}))
        }
    });
    let e = call(&ctx, "skip_workout", json!({"workout_id": 901})).unwrap_err();
    assert!(
        matches!(
            e,
            ToolError::Api(paceline_core::trainingpeaks::TpError::WriteOutcomeUnknown { .. })
        ),
        "{e:?}"
    );
    assert!(
        e.to_string().contains("may or may not have been applied"),
        "{e}"
    );
    assert_eq!(*puts.lock().unwrap(), 1, "a write is sent once");
}

#[test]
fn planning_tools_name_the_bad_field_before_sending() {
    let ctx = offline();
    let cases = [
        (
            "get_planned_workouts",
            json!({"start_date": "2026-12-01", "end_date": "2026-11-01"}),
            "end_date",
        ),
        (
            "get_planned_workouts",
            json!({"start_date": "2026-01-01", "end_date": "2026-12-01"}),
            "end_date",
        ),
        (
            "get_planned_workouts",
            json!({"start_date": "2026-02-30"}),
            "start_date",
        ),
        ("skip_workout", json!({"workout_id": 0}), "workout_id"),
        (
            "skip_workout",
            json!({"workout_id": 5, "reason": "  "}),
            "reason",
        ),
        (
            "skip_workout",
            json!({"workout_id": 5, "reason": "x", "undo": true}),
            "reason",
        ),
        (
            "skip_workout",
            json!({"workout_id": 5, "reason": "x".repeat(501)}),
            "reason",
        ),
        ("set_workout_advice", json!({"workout_id": 5}), "advice"),
        (
            "set_workout_advice",
            json!({"workout_id": -2, "advice": "a"}),
            "workout_id",
        ),
        (
            "set_workout_advice",
            json!({"workout_id": 5, "advice": "", "append": true}),
            "advice",
        ),
        (
            "get_fitness_projection",
            json!({"what_if": [{"date": "2026-11-22", "tss": 0}]}),
            "what_if[0].tss",
        ),
        (
            "get_fitness_projection",
            json!({"what_if": [{"date": "2026-11-22", "tss": 5000}]}),
            "what_if[0].tss",
        ),
        (
            "get_fitness_projection",
            json!({"until": "2026-11-30", "what_if": [{"date": "2026-12-22", "tss": 5}]}),
            "what_if[0].date",
        ),
        (
            "get_fitness_projection",
            json!({"what_if": [{"date": "2026-11-22", "tss": 5, "sport": "bike"}]}),
            "what_if[0].sport",
        ),
        (
            "get_fitness_projection",
            json!({"formula": "banister"}),
            "formula",
        ),
        (
            "predict_race",
            json!({"run_distances_km": [5, 0.1]}),
            "run_distances_km[1]",
        ),
        (
            "predict_race",
            json!({"run_distances_km": []}),
            "run_distances_km",
        ),
        (
            "predict_race",
            json!({"tt_minutes": [20, 500]}),
            "tt_minutes[1]",
        ),
        (
            "predict_race",
            json!({"riegel_exponent": 2}),
            "riegel_exponent",
        ),
        ("predict_race", json!({"recent_days": 3}), "recent_days"),
        (
            "predict_race",
            json!({"bests": [{"distance_km": 5, "time": "20:75"}]}),
            "bests[0].time",
        ),
        (
            "predict_race",
            json!({"bests": [{"distance_km": 500, "time": "20:00"}]}),
            "bests[0].distance_km",
        ),
        ("predict_race", json!({"cp_w": 250}), "w_prime_j"),
        ("predict_race", json!({"w_prime_j": 20000}), "cp_w"),
        (
            "predict_race",
            json!({"sport": "bike", "bests": [{"distance_km": 5, "time": "20:00"}]}),
            "bests",
        ),
        ("get_readiness", json!({"date": "yesterday"}), "date"),
    ];
    for (tool, args, field) in cases {
        assert_eq!(
            invalid_field(call(&ctx, tool, args.clone())),
            field,
            "{tool}({args})"
        );
    }
}

// ---- get_fitness_projection

/// TrainingPeaks' chart for 2026-11-07..2026-11-21: CTL 60 and ATL 80 on the seed day, then
/// no load until 50 TSS today, run with gain 1/T (what the server answers).
fn pmc_rows() -> Value {
    let (mut c, mut a) = (60.0f64, 80.0f64);
    let mut rows = vec![
        json!({"workoutDay": "2026-11-07T00:00:00", "tssActual": 0, "ctl": c, "atl": a, "tsb": -20}),
    ];
    for k in 1..=14 {
        let load = if k == 14 { 50.0 } else { 0.0 };
        let tsb = c - a;
        c += (load - c) / 42.0;
        a += (load - a) / 7.0;
        let d = NaiveDate::from_ymd_opt(2026, 11, 7).unwrap() + Duration::days(k);
        rows.push(json!({"workoutDay": format!("{d}T00:00:00"), "tssActual": load, "ctl": c, "atl": a, "tsb": tsb}));
    }
    Value::Array(rows)
}

fn projection_server() -> (ToolContext, Log) {
    client_with(|m, path, body| {
        if path.contains("/reporting/performancedata/2026-11-07/2026-11-21") {
            assert_eq!(m, Method::Post);
            assert_eq!(
                body,
                Some(
                    json!({"atlConstant": 7, "atlStart": 0, "ctlConstant": 42, "ctlStart": 0, "workoutTypes": []})
                )
            );
            return (200, pmc_rows());
        }
        if path == "/fitness/v6/athletes/77/workouts/2026-11-21/2026-11-24" {
            return (
                200,
                json!([
                    {"workoutId": 1, "workoutDay": "2026-11-21T00:00:00", "completed": true, "totalTime": 1, "tssActual": 50, "tssPlanned": 60},
                    {"workoutId": 2, "workoutDay": "2026-11-22T00:00:00", "completed": false, "tssPlanned": 100},
                    {"workoutId": 3, "workoutDay": "2026-11-23T00:00:00", "completed": false, "tssPlanned": 80, "userTags": "skipped"},
                    {"workoutId": 4, "workoutDay": "2026-11-24T00:00:00", "completed": false, "tssPlanned": null}
                ]),
            );
        }
        panic!("unexpected {m:?} {path}")
    })
}

#[test]
fn projection_matches_the_recurrence_worked_by_hand() {
    let (ctx, log) = projection_server();
    let out = ok(
        &ctx,
        "get_fitness_projection",
        json!({"until": "2026-11-24"}),
    );
    let s = &out.structured;
    // Today: CTL = 60·(41/42)^14 + 50/42 = 42.819 + 1.190 = 44.009;
    //        ATL = 80·(6/7)^14 + 50/7 = 9.243 + 7.143 = 16.386.
    close(&s["today"]["ctl"], 44.01, 0.01, "today CTL");
    close(&s["today"]["atl"], 16.39, 0.01, "today ATL");
    // 11-24 (100 TSS on 11-22; the 80 on 11-23 is skipped; 11-24 has no TSS):
    //   CTL = 44.009·(41/42)³ + (100/42)·(41/42)² = 40.940 + 2.269 = 43.209
    //   ATL = 16.386·(6/7)³ + (100/7)·(6/7)² = 10.319 + 10.496 = 20.815
    //   TSB = CTL − ATL of 11-23 = 44.263 − 24.284 = 19.979
    //   ramp = CTL(11-24) − CTL(11-17) = 43.209 − 47.152 = −3.943
    close(&s["end"]["ctl"], 43.21, 0.01, "race-day CTL");
    close(&s["end"]["atl"], 20.81, 0.01, "race-day ATL");
    close(&s["end"]["tsb"], 19.98, 0.01, "race-day TSB");
    close(&s["end"]["ramp"], -3.94, 0.01, "race-day ramp");
    assert_eq!(s["end"]["date"], "2026-11-24");
    assert_eq!(s["days"].as_array().unwrap().len(), 4, "today to until");
    assert_eq!(s["planned_workouts"], 1);
    assert_eq!(s["planned_without_tss"], 1);
    assert_eq!(s["skipped_left_out"], 1);
    close(
        &s["history_max_ctl_difference"],
        0.0,
        1e-9,
        "same formula as the server",
    );
    assert_eq!(s["until_reason"], "given");
    assert_eq!(s["last_planned_day"], "2026-11-22");
    assert!(
        !out.text.contains("the plan ends"),
        "until is within a week: {}",
        out.text
    );
    assert!(
        out.text.contains("Projection to 2026-11-24: CTL 43.2"),
        "{}",
        out.text
    );
    assert_eq!(log.lock().unwrap().len(), 2, "chart + workouts");

    // The exponential recurrence disagrees with TrainingPeaks' own history, and says so.
    let (ctx, _) = projection_server();
    let exp = ok(
        &ctx,
        "get_fitness_projection",
        json!({"until": "2026-11-24", "formula": "exponential"}),
    )
    .structured;
    assert!(exp["history_max_ctl_difference"].as_f64().unwrap() > 0.01);
}

#[test]
fn a_what_if_moves_race_day_ctl_by_the_decayed_impulse() {
    // The recurrence is linear: L more TSS on day d adds L/42·(41/42)^(u−d) to CTL on day u
    // (and L/7·(6/7)^(u−d) to ATL), as long as no day's load is clipped at zero.
    let ctx = sandbox_ctx();
    let base_out = ok(&ctx, "get_fitness_projection", json!({}));
    let base = base_out.structured;
    assert_eq!(base["until_reason"], "Lakeside 70.3", "the focus event");
    // The sample plan covers three weeks and the race is twelve weeks out: the text says so.
    assert!(
        base_out.text.contains("the plan ends on"),
        "{}",
        base_out.text
    );
    let until = NaiveDate::parse_from_str(base["until"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    assert_eq!((until - today()).num_days() / 7, 12, "12 weeks ahead");
    let d = today() + Duration::days(10);
    let with = ok(
        &ctx,
        "get_fitness_projection",
        json!({"what_if": [{"date": d.to_string(), "tss": 100}]}),
    )
    .structured;
    let n = (until - d).num_days();
    let dctl = 100.0 / 42.0 * (41.0f64 / 42.0).powi(n as i32);
    let datl = 100.0 / 7.0 * (6.0f64 / 7.0).powi(n as i32);
    let got =
        with["end"]["ctl"].as_f64().unwrap() - with["end_without_what_if"]["ctl"].as_f64().unwrap();
    assert!((got - dctl).abs() < 0.02, "ΔCTL {got} vs {dctl}");
    let got =
        with["end"]["atl"].as_f64().unwrap() - with["end_without_what_if"]["atl"].as_f64().unwrap();
    assert!((got - datl).abs() < 0.02, "ΔATL {got} vs {datl}");
    assert_eq!(with["end_without_what_if"], base["end"]);
    // The history agrees with TrainingPeaks' own chart (same formula, same data), and today
    // is yesterday's CTL moved by today's load (completed, else planned): CTL + (L − CTL)/42.
    let tp = ok(
        &ctx,
        "get_fitness_metrics",
        json!({"start_date": "2026-11-20", "end_date": "2026-11-20"}),
    )
    .structured;
    let y = tp["latest"]["ctl"].as_f64().unwrap();
    let load = base["today"]["load"].as_f64().unwrap();
    close(
        &base["today"]["ctl"],
        y + (load - y) / 42.0,
        0.01,
        "today from yesterday",
    );
    close(
        &base["history_max_ctl_difference"],
        0.0,
        0.01,
        "history vs TP",
    );

    // Skipping a planned workout removes its TSS the same way.
    let planned = ok(&ctx, "get_planned_workouts", json!({})).structured;
    let w = planned["workouts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| {
            w["date"].as_str().unwrap() > "2026-11-21"
                && w["tss_planned"].as_f64().unwrap_or(0.0) > 0.0
        })
        .unwrap()
        .clone();
    ok(&ctx, "skip_workout", json!({"workout_id": w["workout_id"]}));
    let skipped = ok(&ctx, "get_fitness_projection", json!({})).structured;
    let wd = NaiveDate::parse_from_str(w["date"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let n = (until - wd).num_days();
    let want = w["tss_planned"].as_f64().unwrap() / 42.0 * (41.0f64 / 42.0).powi(n as i32);
    let got = base["end"]["ctl"].as_f64().unwrap() - skipped["end"]["ctl"].as_f64().unwrap();
    assert!((got - want).abs() < 0.02, "skip ΔCTL {got} vs {want}");
    assert_eq!(skipped["skipped_left_out"], 1);
}

// ---- predict_race

fn peaks_server() -> (ToolContext, Log) {
    client_with(|m, path, _| {
        assert_eq!(m, Method::Get, "{path}");
        let pr = path
            .split("prType=")
            .nth(1)
            .and_then(|q| q.split('&').next())
            .unwrap_or("");
        assert!(
            path.contains("startDate=2026-05-25T00:00:00&endDate=2026-11-21T00:00:00"),
            "{path}"
        );
        let rec = |v: f64| json!([{"workoutId": 31, "workoutDate": "2026-10-04T00:00:00", "workoutTitle": "Parkrun", "value": v, "rank": 1}]);
        let answer = match pr {
            // 5 km in 20:00 (5000 m / 1200 s).
            "speed5K" => rec(5000.0 / 1200.0),
            "power5min" => rec(330.0),
            "power10min" => rec(300.0),
            "power20min" => rec(280.0),
            _ => json!([]),
        };
        (200, answer)
    })
}

#[test]
fn predictions_match_the_worked_examples() {
    let (ctx, log) = peaks_server();
    let out = ok(
        &ctx,
        "predict_race",
        json!({"run_distances_km": [10], "tt_minutes": [20]}),
    );
    let run = &out.structured["run"];
    assert_eq!(run["bests"].as_array().unwrap().len(), 1);
    close(&run["bests"][0]["time_s"], 1200.0, 1e-9, "5 km best");
    // Spec §2.12: a 20:00 5 km gives VDOT ≈ 49.8 and Riegel 10 km = 1200·2^1.06
    // = 1200 · 2.08493 = 2501.9 s (41:42).
    close(&run["bests"][0]["vdot"], 49.8, 0.05, "VDOT");
    let ten = &run["targets"][0];
    close(&ten["riegel"]["time_s"], 2501.9, 0.1, "Riegel 10 km");
    assert_eq!(ten["riegel"]["time"], "41:42");
    assert!(
        ten["riegel"]["limits"]
            .as_str()
            .unwrap()
            .contains("3.5 min")
    );
    assert!(
        ten["riegel"]["inputs"]
            .as_array()
            .unwrap()
            .iter()
            .any(|i| i["name"] == "exponent" && i["value"] == 1.06)
    );
    // VDOT 49.8 over 10 km: the time whose VO2(v)/F(t) is 49.8, about 41:2x (Daniels' table
    // gives 41:21 for VDOT 50); checked against the definition rather than a table.
    let t = ten["vdot"]["time_s"].as_f64().unwrap();
    assert!((2440.0..2520.0).contains(&t), "{t}");
    assert!(run["fitted_exponent"].is_null(), "one distance: no fit");
    // CP from (300 s, 330 W), (600 s, 300 W), (1200 s, 280 W): work on time
    //   t̄ = 700, W̄ = 205 000, Sxx = 420 000, Sxy = 110 400 000
    //   CP = Sxy/Sxx = 262.857 W, W′ = 205 000 − 262.857·700 = 21 000 J
    //   20 min TT = 262.857 + 21 000/1200 = 280.36 W
    let bike = &out.structured["bike"];
    close(&bike["cp_w"], 262.9, 0.05, "CP");
    close(&bike["w_prime_j"], 21000.0, 0.5, "W′");
    close(&bike["targets"][0]["power_w"], 280.4, 0.05, "20 min TT");
    assert!(out.text.contains("10 km: Riegel 41:42"), "{}", out.text);
    assert!(out.text.contains("CP 263 W"), "{}", out.text);
    // 7 running record types + 3 power ones.
    assert_eq!(log.lock().unwrap().len(), 10);
}

#[test]
fn given_results_predict_without_any_request_and_fit_the_exponent() {
    let ctx = offline();
    let out = ok(
        &ctx,
        "predict_race",
        json!({"sport": "run", "run_distances_km": [21.0975],
               "bests": [{"distance_km": 5, "time": "20:00"}, {"distance_km": 10, "time": "42:00"}]}),
    )
    .structured;
    // b = ln(2520/1200)/ln(10/5) = ln 2.1 / ln 2 = 1.0704.
    close(&out["run"]["fitted_exponent"], 1.070, 0.0005, "fitted b");
    // Riegel from the 10 km (closer on a log scale): 2520·(21.0975/10)^1.06 = 5563 s.
    let r = &out["run"]["targets"][0]["riegel"];
    close(&r["time_s"], 2520.0 * 2.10975f64.powf(1.06), 0.1, "half");
    assert!(out["bike"].is_null());
}

// ---- get_readiness

/// 60 days to 2026-11-21: rMSSD e^4.0 / e^4.2 alternating for 53 days then e^3.8 for 7;
/// resting HR 48 then 52; sleep only on 5 days.
fn readiness_server() -> (ToolContext, Log) {
    client_with(|m, path, _| {
        if path == "/metrics/v3/athletes/77/consolidatedtimedmetrics/2026-09-23/2026-11-21" {
            assert_eq!(m, Method::Get);
            let start = NaiveDate::from_ymd_opt(2026, 9, 23).unwrap();
            let days: Vec<Value> = (0..60)
                .map(|i| {
                    let d = start + Duration::days(i);
                    let ln = if i >= 53 {
                        3.8
                    } else if i % 2 == 0 {
                        4.0
                    } else {
                        4.2
                    };
                    let rhr = if i >= 53 { 52 } else { 48 };
                    let mut details = vec![
                        json!({"type": 60, "value": f64::exp(ln), "label": "HRV"}),
                        json!({"type": 5, "value": rhr, "label": "Pulse"}),
                    ];
                    if i % 12 == 0 {
                        details.push(json!({"type": 6, "value": 7.5}));
                    }
                    json!({"id": i, "timeStamp": format!("{d}T00:00:00"), "details": details})
                })
                .collect();
            return (200, Value::Array(days));
        }
        if path.contains("/reporting/performancedata/2026-11-21/2026-11-21") {
            return (
                200,
                json!([{"workoutDay": "2026-11-21T00:00:00", "ctl": 50, "atl": 70, "tsb": -15}]),
            );
        }
        panic!("unexpected {m:?} {path}")
    })
}

#[test]
fn readiness_matches_the_band_worked_by_hand() {
    let (ctx, _) = readiness_server();
    let out = ok(&ctx, "get_readiness", json!({}));
    let s = &out.structured;
    assert_eq!(s["verdict"], "go easy");
    // ln rMSSD over 60 days: 27 × 4.0, 26 × 4.2, 7 × 3.8 → mean 243.8/60 = 4.0633,
    // sample SD 0.13525, band 4.0633 ± 0.0676 = 3.9957–4.1310 (54.4–62.2 ms); 7-day mean 3.8.
    let h = &s["hrv"];
    close(&h["ln_rmssd"]["baseline_mean"], 4.0633, 0.0005, "HRV mean");
    close(&h["ln_rmssd"]["baseline_sd"], 0.1353, 0.0005, "HRV SD");
    close(&h["band_low"], 3.9957, 0.0005, "band low");
    close(&h["band_high"], 4.1310, 0.0005, "band high");
    close(&h["ln_rmssd"]["recent_mean"], 3.8, 1e-9, "7-day");
    close(&h["recent_rmssd_ms"], 44.70, 0.01, "e^3.8");
    // Resting HR: mean (53·48 + 7·52)/60 = 48.467, SD 1.2949, z = (52 − 48.467)/1.2949 = 2.73.
    close(&s["resting_hr"]["z"], 2.73, 0.005, "RHR z");
    assert!(
        s["sleep"].is_null(),
        "5 sleep values are too few for a baseline"
    );
    assert_eq!(
        s["logged_days"],
        json!({"hrv": 60, "resting_hr": 60, "sleep": 5})
    );
    close(&s["load"]["atl_ctl_ratio"], 1.4, 1e-9, "70/50");
    assert!(out.text.contains("HRV below normal"), "{}", out.text);
    assert!(out.text.contains("resting HR elevated"), "{}", out.text);
}

#[test]
fn readiness_with_missing_metrics_says_what_it_lacks() {
    let (ctx, _) = client_with(|_, path, _| {
        if path.contains("consolidatedtimedmetrics") {
            (
                200,
                json!([{"timeStamp": "2026-11-20T00:00:00", "details": [{"type": 6, "value": 8}]}]),
            )
        } else {
            (200, json!([]))
        }
    });
    let out = ok(&ctx, "get_readiness", json!({}));
    assert_eq!(out.structured["verdict"], "not enough data");
    assert!(out.structured["load"].is_null());
    assert!(out.text.contains("no HRV logged"), "{}", out.text);
    assert!(out.text.contains("no resting HR logged"), "{}", out.text);
}

#[test]
fn readiness_on_the_sample_athlete() {
    let ctx = sandbox_ctx();
    let out = ok(&ctx, "get_readiness", json!({}));
    let s = &out.structured;
    assert!(
        ["ready", "go easy"].contains(&s["verdict"].as_str().unwrap()),
        "{s}"
    );
    assert_eq!(
        s["logged_days"]["hrv"], 60,
        "the sample logs HRV every morning"
    );
    assert!(s["hrv"]["band_low"].as_f64().unwrap() < s["hrv"]["band_high"].as_f64().unwrap());
    assert!(s["load"]["ctl"].as_f64().unwrap() > 0.0);
}

// ---- create_workout_by_intensity

/// Echoes a workout POST with id 555 and PUTs as sent; GETs answer `stored`.
fn writer(stored: Value) -> (ToolContext, Log) {
    client_with(move |m, _, body| match m {
        Method::Get => (200, stored.clone()),
        Method::Post => {
            let mut b = body.unwrap();
            b["workoutId"] = json!(555);
            (200, b)
        }
        _ => (200, body.unwrap_or(Value::Null)),
    })
}

#[test]
fn threshold_by_time_is_four_by_ten_with_the_planned_load_worked_by_hand() {
    let (ctx, log) = writer(Value::Null);
    let out = ok(
        &ctx,
        "create_workout_by_intensity",
        json!({"date": "2026-11-25", "sport": "bike", "zone": "threshold", "zone_minutes": 40}),
    );
    let s = &out.structured;
    assert_eq!(s["title"], "Threshold 4×10 min");
    assert_eq!(s["repeats"], 4);
    assert_eq!(s["zone_range"], json!([91.0, 105.0]));
    // 10 min warm-up 45–65 (mid 55), 4 × (10 min at 91–105 (mid 98) + 5 min at 45–55 (mid 50)),
    // 10 min cool-down 45–55: T = 4800 s, (Σ t·mid⁴ / T)^¼ = 83.92 → IF 0.84,
    // TSS = 4800 · 0.84² · 100 / 3600 = 94.1.
    close(&s["duration_hours"], 4800.0 / 3600.0, 1e-9, "hours");
    close(&s["if_planned"], 0.84, 1e-9, "IF");
    close(&s["tss_planned"], 94.1, 1e-9, "TSS");
    assert_eq!(s["workout"]["workout_id"], 555);
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 1, "one POST");
    assert_eq!(log[0].method, Method::Post);
    assert_eq!(
        log[0].url,
        "https://tpapi.trainingpeaks.com/fitness/v6/athletes/77/workouts"
    );
    let body = body_of(&log[0]);
    assert_eq!(
        body, s["request"]["body"],
        "the request shown is the one sent"
    );
    let structure: Value = serde_json::from_str(body["structure"].as_str().unwrap()).unwrap();
    assert_eq!(structure["primaryIntensityMetric"], "percentOfFtp");
    let blocks = structure["structure"].as_array().unwrap();
    assert_eq!(blocks.len(), 3);
    assert_eq!(blocks[1]["type"], "repetition");
    assert_eq!(
        blocks[1]["length"],
        json!({"value": 4, "unit": "repetition"})
    );
    assert_eq!(
        blocks[1]["steps"][0]["length"],
        json!({"value": 600, "unit": "second"})
    );
    assert_eq!(
        blocks[1]["steps"][0]["targets"][0],
        json!({"minValue": 91, "maxValue": 105})
    );
    assert_eq!(
        blocks[1]["steps"][1]["length"],
        json!({"value": 300, "unit": "second"})
    );
    // The rest of the create body is create_workout's full shape.
    for (k, v) in [
        ("athleteId", json!(77)),
        ("workoutId", json!(0)),
        ("workoutDay", json!("2026-11-25T00:00:00")),
        ("workoutTypeValueId", json!(2)),
        ("workoutSubTypeId", Value::Null),
        ("title", json!("Threshold 4×10 min")),
        ("tssPlanned", json!(94.1)),
        ("ifPlanned", json!(0.84)),
        ("userTags", json!("")),
        ("workoutComments", json!([])),
    ] {
        assert_eq!(body[k], v, "{k}");
    }
}

#[test]
fn endurance_run_by_load_picks_the_closest_whole_minutes() {
    // Endurance by HR is 69–83 % LTHR (mid 76), no warm-up: IF 0.76, 57.76 TSS/h, so 80 TSS
    // lies between 83 min (79.9) and 84 min (80.9): 83 min is closer.
    let (ctx, log) = writer(Value::Null);
    let out = ok(
        &ctx,
        "create_workout_by_intensity",
        json!({"date": "2026-11-26", "sport": "run", "zone": "endurance", "tss": 80, "dry_run": true}),
    );
    let s = &out.structured;
    assert_eq!(s["dry_run"], true);
    assert!(s["workout"].is_null());
    close(&s["zone_minutes"], 83.0, 1e-9, "minutes");
    close(&s["tss_planned"], 79.9, 1e-9, "TSS");
    assert_eq!(s["intensity_metric"], "percentOfThresholdHr");
    assert_eq!(s["request"]["body"]["workoutTypeValueId"], 3);
    assert!(
        out.text.starts_with("Dry run, nothing created"),
        "{}",
        out.text
    );
    assert!(log.lock().unwrap().is_empty(), "a dry run sends nothing");
}

#[test]
fn intensity_workouts_refuse_bad_input_naming_the_field() {
    let ctx = offline();
    let base = json!({"date": "2026-11-25", "sport": "bike", "zone": "threshold"});
    let with = |extra: Value| {
        let mut b = base.clone();
        for (k, v) in extra.as_object().unwrap() {
            b[k] = v.clone();
        }
        b
    };
    let cases = [
        (base.clone(), "tss"),
        (with(json!({"tss": 80, "zone_minutes": 40})), "zone_minutes"),
        (with(json!({"tss": 1000})), "tss"),
        (with(json!({"zone_minutes": 130})), "zone_minutes"),
        (with(json!({"zone_minutes": 40, "repeats": 0})), "repeats"),
        (
            with(json!({"zone_minutes": 40, "sport": "run", "metric": "power"})),
            "metric",
        ),
        (
            with(json!({"zone_minutes": 10, "sport": "run", "zone": "anaerobic"})),
            "zone",
        ),
        (
            with(json!({"zone_minutes": 40, "subtype_id": 2})),
            "subtype_id",
        ),
        (
            with(json!({"zone_minutes": 40, "zone": "sweetspot"})),
            "zone",
        ),
        (
            with(json!({"zone_minutes": 40, "date": "2026-11-31"})),
            "date",
        ),
        (with(json!({"zone_minutes": 40, "title": " "})), "title"),
        (with(json!({"zone_minutes": 40, "tsss": 5})), "tsss"),
    ];
    for (args, field) in cases {
        assert_eq!(
            invalid_field(call(&ctx, "create_workout_by_intensity", args.clone())),
            field,
            "{args}"
        );
    }
    // Out of reach is found when building, still before any request.
    let e = call(
        &ctx,
        "create_workout_by_intensity",
        with(json!({"zone": "anaerobic", "tss": 400})),
    );
    assert_eq!(invalid_field(e), "tss");
}

// ---- scale_workout_intensity

fn structured_planned() -> Value {
    let wire = paceline_core::structure::compile_value(&json!({"primaryIntensityMetric": "percentOfFtp", "steps": [
        {"name": "Warm up", "duration_seconds": 600, "intensity_min": 50, "intensity_max": 60, "intensityClass": "warmUp"},
        {"type": "repetition", "reps": 3, "steps": [
            {"name": "Hard", "duration_seconds": 300, "intensity_min": 90, "intensity_max": 95, "cadence_min": 90, "cadence_max": 100},
            {"name": "Easy", "duration_seconds": 120, "intensity_min": 50, "intensity_max": 55, "intensityClass": "rest"}]},
        {"name": "Cool down", "duration_seconds": 600, "intensity_min": 50, "intensity_max": 60, "intensityClass": "coolDown"}
    ]}))
    .unwrap()
    .to_value();
    json!({
        "workoutId": 901, "athleteId": 77, "workoutDay": "2026-11-25T00:00:00", "title": "VO2",
        "workoutTypeValueId": 2, "totalTimePlanned": 0.6833, "tssPlanned": 38.4, "ifPlanned": 0.75,
        "completed": false, "structure": wire, "keepMe": {"a": [1, "2"]}
    })
}

#[test]
fn scaling_puts_the_whole_workout_with_new_targets_and_the_load_worked_by_hand() {
    let (ctx, log) = writer(structured_planned());
    let dry = ok(
        &ctx,
        "scale_workout_intensity",
        json!({"workout_id": 901, "percent": 10, "dry_run": true}),
    )
    .structured;
    assert_eq!(log.lock().unwrap().len(), 1, "a dry run only reads");
    log.lock().unwrap().clear();
    let out = ok(
        &ctx,
        "scale_workout_intensity",
        json!({"workout_id": 901, "percent": 10}),
    );
    let s = &out.structured;
    // Work steps 90–95 → 99–104.5 (mid 101.75); the rest unchanged. T = 2460 s,
    // (Σ t·mid⁴ / T)^¼ = 81.81 → IF 0.82, TSS = 2460 · 0.82² · 100 / 3600 = 45.9 (was 0.75, 38.4).
    assert_eq!(s["steps_scaled"], 1);
    close(&s["if_before"], 0.75, 1e-9, "IF before");
    close(&s["if_after"], 0.82, 1e-9, "IF after");
    close(&s["tss_after"], 45.9, 1e-9, "TSS after");
    let log = log.lock().unwrap();
    assert_eq!(log.len(), 2, "GET then PUT");
    assert_eq!(log[1].method, Method::Put);
    assert_eq!(
        log[1].url,
        "https://tpapi.trainingpeaks.com/fitness/v6/athletes/77/workouts/901"
    );
    let body = body_of(&log[1]);
    assert_eq!(
        body, s["request"]["body"],
        "the request shown is the one sent"
    );
    assert_eq!(
        body, dry["request"]["body"],
        "the dry run showed the same request"
    );
    let structure: Value = serde_json::from_str(body["structure"].as_str().unwrap()).unwrap();
    let hard = &structure["structure"][1]["steps"][0];
    assert_eq!(
        hard["targets"][0],
        json!({"minValue": 99, "maxValue": 104.5})
    );
    assert_eq!(hard["targets"][1]["minValue"], 90, "cadence kept");
    assert_eq!(
        structure["structure"][0]["steps"][0]["targets"][0],
        json!({"minValue": 50, "maxValue": 60})
    );
    // Everything else as it came.
    let mut want = structured_planned();
    want["structure"] = body["structure"].clone();
    want["ifPlanned"] = json!(0.82);
    want["tssPlanned"] = json!(45.9);
    assert_eq!(body, want);
}

#[test]
fn scaling_refuses_what_it_cannot_scale_without_writing() {
    let mut done = structured_planned();
    done["completed"] = json!(true);
    let mut bare = structured_planned();
    bare["structure"] = Value::Null;
    for (stored, says) in [(done, "is completed"), (bare, "no interval structure")] {
        let (ctx, log) = writer(stored);
        let e = call(
            &ctx,
            "scale_workout_intensity",
            json!({"workout_id": 901, "percent": 5}),
        )
        .unwrap_err();
        assert!(
            matches!(e, ToolError::Failed(ref m) if m.contains(says)),
            "{e:?}"
        );
        assert_eq!(log.lock().unwrap().len(), 1, "only the GET");
    }
    let ctx = offline();
    for (args, field) in [
        (json!({"workout_id": 901, "percent": 0}), "percent"),
        (json!({"workout_id": 901, "percent": 50}), "percent"),
        (json!({"workout_id": 0, "percent": 5}), "workout_id"),
        (
            json!({"workout_id": 901, "percent": 5, "scope": "intervals"}),
            "scope",
        ),
    ] {
        assert_eq!(
            invalid_field(call(&ctx, "scale_workout_intensity", args.clone())),
            field,
            "{args}"
        );
    }
}

#[test]
fn intensity_tools_on_the_sandbox() {
    let ctx = sandbox_ctx();
    let created = ok(
        &ctx,
        "create_workout_by_intensity",
        json!({"date": "2026-11-28", "sport": "bike", "zone": "vo2max", "zone_minutes": 20}),
    )
    .structured;
    let id = created["workout"]["workout_id"].as_i64().unwrap();
    let raw = block_on(ctx.client.workout_raw(SAMPLE_ATHLETE_ID, id)).unwrap();
    assert_eq!(raw["title"], "VO2max 5×4 min");
    assert_eq!(raw["tssPlanned"], created["tss_planned"]);
    let scaled = ok(
        &ctx,
        "scale_workout_intensity",
        json!({"workout_id": id, "percent": -5}),
    )
    .structured;
    assert!(scaled["tss_after"].as_f64().unwrap() < created["tss_planned"].as_f64().unwrap());
    let raw = block_on(ctx.client.workout_raw(SAMPLE_ATHLETE_ID, id)).unwrap();
    // 106–120 % × 0.95 = 100.7–114 %.
    assert_eq!(
        raw["structure"]["structure"][1]["steps"][0]["targets"][0],
        json!({"minValue": 100.7, "maxValue": 114})
    );
    assert_eq!(raw["tssPlanned"], scaled["tss_after"]);
    // The planned list and the projection see it.
    let listed = ok(&ctx, "get_planned_workouts", json!({})).structured;
    assert!(
        listed["workouts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["workout_id"] == id)
    );
}

#[test]
fn update_workout_says_it_moves_a_workout() {
    // AI Endurance has `changeWorkoutDate`; here moving is update_workout with a date, and the
    // model only finds that out from the description.
    let d = tools::find("update_workout").unwrap().description();
    assert!(d.contains("move it to another day"), "{d}");
    for name in ["get_planned_workouts", "skip_workout"] {
        let d = tools::find(name).unwrap().description();
        assert!(d.contains("update_workout"), "{name}: {d}");
    }
}

// ---- get_readiness on Intervals.icu

fn icu_ctx(transport: Arc<dyn paceline_core::http::Transport>) -> ToolContext {
    use paceline_core::intervals::{IcuAuth, IcuClient, IcuConfig, IcuSecret};
    let clock = Arc::new(ManualClock::at_date(today()));
    let config = IcuConfig::new(None, IcuAuth::ApiKey(IcuSecret::new("k3y")), Some("i77")).unwrap();
    let icu = IcuClient::new(transport, clock, config);
    offline().with_icu(Arc::new(icu))
}

fn icu_call(ctx: &ToolContext, args: Value) -> ToolOutput {
    let tool = tools::intervals::find("get_readiness").unwrap();
    block_on(tool.call(ctx, args)).unwrap()
}

#[test]
fn icu_readiness_reads_wellness_into_the_same_band() {
    // The same 60 days as `readiness_server`, as Intervals.icu wellness records.
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let log = seen.clone();
    let t = FnTransport(
        move |req: HttpRequest| -> Result<HttpResponse, TransportError> {
            log.lock()
                .unwrap()
                .push(format!("{} {}", req.method, req.path_and_query()));
            let start = NaiveDate::from_ymd_opt(2026, 9, 23).unwrap();
            let days: Vec<Value> = (0..60)
                .map(|i| {
                    let d = start + Duration::days(i);
                    let ln = if i >= 53 {
                        3.8
                    } else if i % 2 == 0 {
                        4.0
                    } else {
                        4.2
                    };
                    let mut w = json!({"id": d.to_string(), "hrv": f64::exp(ln),
                                   "restingHR": if i >= 53 { 52 } else { 48 }});
                    if i % 12 == 0 {
                        w["sleepSecs"] = json!(27000);
                    }
                    if i == 59 {
                        w["ctl"] = json!(50.0);
                        w["atl"] = json!(70.0);
                    }
                    w
                })
                .collect();
            Ok(HttpResponse::json(200, &Value::Array(days)))
        },
    );
    let ctx = icu_ctx(Arc::new(t));
    let out = icu_call(&ctx, json!({}));
    let s = &out.structured;
    assert_eq!(s["verdict"], "go easy");
    close(&s["hrv"]["band_low"], 3.9957, 0.0005, "band low");
    close(&s["hrv"]["band_high"], 4.1310, 0.0005, "band high");
    close(&s["resting_hr"]["z"], 2.73, 0.005, "RHR z");
    assert_eq!(
        s["logged_days"],
        json!({"hrv": 60, "resting_hr": 60, "sleep": 5})
    );
    close(
        &s["load"]["tsb"],
        -20.0,
        1e-9,
        "Intervals.icu form: CTL − ATL",
    );
    assert_eq!(
        *seen.lock().unwrap(),
        vec!["GET /api/v1/athlete/i77/wellness?oldest=2026-09-23&newest=2026-11-21".to_string()]
    );
}

#[test]
fn icu_readiness_on_the_sandbox_and_under_all() {
    use paceline_core::intervals::{IcuClient, IcuConfig};
    use paceline_core::sandbox::intervals::{IcuSandbox, IcuSandboxTransport};
    let clock = Arc::new(ManualClock::at_date(today()));
    let sb = Arc::new(IcuSandbox::new(clock.clone()));
    let icu = IcuClient::new(
        Arc::new(IcuSandboxTransport::new(sb)),
        clock,
        IcuConfig::default(),
    );
    let ctx = offline().with_icu(Arc::new(icu));
    let out = icu_call(&ctx, json!({}));
    let v = out.structured["verdict"].as_str().unwrap();
    assert!(
        ["ready", "go easy", "not enough data"].contains(&v),
        "{}",
        out.text
    );
    assert!(
        out.structured["logged_days"]["hrv"].as_u64().unwrap() > 0,
        "{}",
        out.text
    );
    // Published as icu_get_readiness next to TrainingPeaks' get_readiness.
    let names: Vec<String> = tools::Platform::All
        .tools()
        .iter()
        .map(|t| t.name().to_string())
        .collect();
    assert!(names.contains(&"get_readiness".to_string()), "{names:?}");
    assert!(
        names.contains(&"icu_get_readiness".to_string()),
        "{names:?}"
    );
}

// ---- get_fitness_projection on Intervals.icu

#[test]
fn icu_projection_uses_intervals_own_recurrence_worked_by_hand() {
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let log = seen.clone();
    let t = FnTransport(
        move |req: HttpRequest| -> Result<HttpResponse, TransportError> {
            let path = req.path_and_query().to_string();
            log.lock().unwrap().push(path.clone());
            let v = if path
                .starts_with("/api/v1/athlete/i77/wellness?oldest=2026-11-07&newest=2026-11-21")
            {
                json!([{"id": "2026-11-07", "ctl": 60.0, "atl": 80.0}])
            } else if path
                .starts_with("/api/v1/athlete/i77/activities?oldest=2026-11-08&newest=2026-11-21")
            {
                json!([{"id": "a1", "start_date_local": "2026-11-21T07:00:00", "icu_training_load": 50}])
            } else if path
                == "/api/v1/athlete/i77/events?oldest=2026-11-21&newest=2026-11-24&category=WORKOUT"
            {
                json!([
                    {"id": 2, "category": "WORKOUT", "start_date_local": "2026-11-22T00:00:00", "icu_training_load": 100},
                    {"id": 4, "category": "WORKOUT", "start_date_local": "2026-11-24T00:00:00"}
                ])
            } else {
                panic!("unexpected {path}")
            };
            Ok(HttpResponse::json(200, &v))
        },
    );
    let ctx = icu_ctx(Arc::new(t));
    let tool = tools::intervals::find("get_fitness_projection").unwrap();
    let out = block_on(tool.call(&ctx, json!({"until": "2026-11-24"}))).unwrap();
    let s = &out.structured;
    assert_eq!(s["formula"], "exponential");
    // λc = e^(−1/42), λa = e^(−1/7). Today: CTL = 60·λc^14 + 50·(1 − λc) = 42.992 + 1.176
    // = 44.168; ATL = 80·λa^14 + 50·(1 − λa) = 10.827 + 6.656 = 17.483.
    close(&s["today"]["ctl"], 44.17, 0.01, "today CTL");
    close(&s["today"]["atl"], 17.48, 0.01, "today ATL");
    // 11-24: CTL = 44.168·λc³ + 100·(1 − λc)·λc² = 41.123 + 2.243 = 43.367;
    // ATL = 17.483·λa³ + 100·(1 − λa)·λa² = 11.389 + 10.004 = 21.393; form = CTL − ATL the
    // same day (Intervals.icu) = 21.974.
    close(&s["end"]["ctl"], 43.37, 0.01, "end CTL");
    close(&s["end"]["atl"], 21.39, 0.01, "end ATL");
    close(&s["end"]["tsb"], 21.97, 0.01, "end form");
    assert_eq!(s["planned_workouts"], 1);
    assert_eq!(s["planned_without_tss"], 1);
    assert!(
        out.text.contains("Seeded from the Intervals.icu chart"),
        "{}",
        out.text
    );
    assert_eq!(
        seen.lock().unwrap().len(),
        3,
        "wellness, activities, events"
    );
}

#[test]
fn icu_projection_on_the_sandbox_defaults_to_the_a_race() {
    use paceline_core::intervals::{IcuClient, IcuConfig};
    use paceline_core::sandbox::intervals::{IcuSandbox, IcuSandboxTransport};
    let clock = Arc::new(ManualClock::at_date(today()));
    let sb = Arc::new(IcuSandbox::new(clock.clone()));
    let icu = IcuClient::new(
        Arc::new(IcuSandboxTransport::new(sb)),
        clock,
        IcuConfig::default(),
    );
    let ctx = offline().with_icu(Arc::new(icu));
    let tool = tools::intervals::find("get_fitness_projection").unwrap();
    let out = block_on(tool.call(&ctx, json!({}))).unwrap();
    let s = &out.structured;
    assert_ne!(s["until_reason"], "4 weeks", "{}", out.text);
    assert!(s["planned_workouts"].as_u64().unwrap() > 0, "{}", out.text);
    assert!(s["today"]["ctl"].as_f64().unwrap() > 0.0, "{}", out.text);
    // Same what-if algebra with the exponential gain: ΔCTL = L·(1 − λc)·λc^(u−d).
    let until = NaiveDate::parse_from_str(s["until"].as_str().unwrap(), "%Y-%m-%d").unwrap();
    let d = today() + Duration::days(3);
    let with = block_on(tool.call(
        &ctx,
        json!({"what_if": [{"date": d.to_string(), "tss": 100}]}),
    ))
    .unwrap();
    let lc = (-1.0f64 / 42.0).exp();
    let want = 100.0 * (1.0 - lc) * lc.powi((until - d).num_days() as i32);
    let got = with.structured["end"]["ctl"].as_f64().unwrap()
        - with.structured["end_without_what_if"]["ctl"]
            .as_f64()
            .unwrap();
    assert!((got - want).abs() < 0.02, "{got} vs {want}");
}

// ---- predict_race on Intervals.icu

#[test]
fn icu_predictions_read_the_curves_into_the_same_worked_examples() {
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let log = seen.clone();
    let t = FnTransport(
        move |req: HttpRequest| -> Result<HttpResponse, TransportError> {
            let path = req.path_and_query().to_string();
            log.lock().unwrap().push(path.clone());
            let v = if path.starts_with("/api/v1/athlete/i77/pace-curves") {
                // 5 km in 20:00 (and points at other distances that are not standard ones).
                json!({"list": [{"id": "r.2026-05-25.2026-11-21", "distance": [400, 5000, 7000],
                             "values": [80, 1200, 1750], "activity_id": ["i1", "i2", "i3"]}]})
            } else if path.starts_with("/api/v1/athlete/i77/power-curves") {
                json!({"list": [{"secs": [5, 300, 600, 1200], "values": [900, 330, 300, 280]}]})
            } else {
                panic!("unexpected {path}")
            };
            Ok(HttpResponse::json(200, &v))
        },
    );
    let ctx = icu_ctx(Arc::new(t));
    let tool = tools::intervals::find("predict_race").unwrap();
    let out =
        block_on(tool.call(&ctx, json!({"run_distances_km": [10], "tt_minutes": [20]}))).unwrap();
    let s = &out.structured;
    // As `predictions_match_the_worked_examples`: 1200·2^1.06 = 2501.9 s, VDOT 49.8,
    // CP 262.857 W, W′ 21 000 J, 20 min TT 280.36 W.
    assert_eq!(
        s["run"]["bests"].as_array().unwrap().len(),
        1,
        "only 5 km is a standard distance"
    );
    assert_eq!(s["run"]["bests"][0]["activity_id"], "i2");
    close(&s["run"]["bests"][0]["vdot"], 49.8, 0.05, "VDOT");
    close(
        &s["run"]["targets"][0]["riegel"]["time_s"],
        2501.9,
        0.1,
        "Riegel 10 km",
    );
    close(&s["bike"]["cp_w"], 262.9, 0.05, "CP");
    close(&s["bike"]["w_prime_j"], 21000.0, 0.5, "W′");
    close(
        &s["bike"]["targets"][0]["power_w"],
        280.4,
        0.05,
        "20 min TT",
    );
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2);
    assert!(
        seen[0].contains("type=Run") && seen[0].contains("curves=r.2026-05-25.2026-11-21"),
        "{}",
        seen[0]
    );
    assert!(seen[1].contains("type=Ride"), "{}", seen[1]);
    let e = block_on(tool.call(&ctx, json!({"riegel_exponent": 3}))).unwrap_err();
    assert!(
        matches!(e, ToolError::InvalidArgs { ref field, .. } if field == "riegel_exponent"),
        "{e:?}"
    );
}

// ---- get_planned_workouts on Intervals.icu

#[test]
fn icu_planned_workouts_list_the_workout_events_with_week_loads() {
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let log = seen.clone();
    let t = FnTransport(
        move |req: HttpRequest| -> Result<HttpResponse, TransportError> {
            log.lock().unwrap().push(req.path_and_query().to_string());
            Ok(HttpResponse::json(
                200,
                &json!([
                    {"id": 8, "category": "WORKOUT", "start_date_local": "2026-11-24T00:00:00", "name": "Threshold",
                     "sport": "Ride", "icu_training_load": 90, "moving_time": 5400, "description": "- 10m 60%"},
                    {"id": 7, "category": "WORKOUT", "start_date_local": "2026-11-22T00:00:00", "name": "Long run",
                     "sport": "Run", "icu_training_load": 70, "moving_time": 3600}
                ]),
            ))
        },
    );
    let ctx = icu_ctx(Arc::new(t));
    let tool = tools::intervals::find("get_planned_workouts").unwrap();
    let out = block_on(tool.call(&ctx, json!({}))).unwrap();
    let s = &out.structured;
    assert_eq!(s["end_date"], "2026-12-04");
    assert_eq!(s["workouts"][0]["event_id"], 7, "sorted by day");
    assert_eq!(s["workouts"][1]["workout_text"], "- 10m 60%");
    // Week of Monday 2026-11-16 holds the 22nd (70); week of the 23rd the 24th (90, 1.5 h).
    assert_eq!(
        s["weeks"][0],
        json!({"week_start": "2026-11-16", "count": 1, "hours": 1.0, "load": 70.0})
    );
    assert_eq!(
        s["weeks"][1],
        json!({"week_start": "2026-11-23", "count": 1, "hours": 1.5, "load": 90.0})
    );
    assert_eq!(
        *seen.lock().unwrap(),
        vec![
            "/api/v1/athlete/i77/events?oldest=2026-11-21&newest=2026-12-04&category=WORKOUT"
                .to_string()
        ]
    );
    let e = block_on(tool.call(
        &ctx,
        json!({"start_date": "2026-01-01", "end_date": "2026-12-01"}),
    ))
    .unwrap_err();
    assert!(
        matches!(e, ToolError::InvalidArgs { ref field, .. } if field == "end_date"),
        "{e:?}"
    );
}
