//! Dry runs cannot write, whatever a tool's code does: a call with `dry_run: true` of a tool
//! that changes something runs on `ToolContext::reading_only`, whose clients refuse every
//! request but a GET before it reaches the transport. The hosts' gates (the extension's
//! confirmation window and read-only mode, `paceline mcp`'s `--read-only` and write
//! confirmation) let dry runs through on that guarantee, so it is tested here with a tool
//! whose dry run is deliberately wrong, against the emulators' request logs.
//!
//! That every real tool's dry run still works on the reading-only context is shown by the
//! tests that run each one (`icu_tools::every_write_sends_exactly_what_its_dry_run_shows` and
//! its siblings, `planning`, `icu_copy`), which go through the same `Tool::call`.

use futures_executor::block_on;
use paceline_core::http::Method;
use paceline_core::tools::{self, Annotations, Tool, ToolContext, ToolError, TypedTool, platform};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::sandboxes::{self, Sandboxes};

type Env = Sandboxes;

fn env() -> Env {
    sandboxes::both(true)
}

impl Env {
    /// Requests other than GETs that reached the emulators.
    fn writes(&self) -> Vec<String> {
        let tp = self.tp.requests().into_iter().map(|r| (r.method, r.path));
        let icu = self.icu.requests().into_iter().map(|r| (r.method, r.path));
        tp.chain(icu)
            .filter(|(m, _)| *m != Method::Get)
            .map(|(m, p)| format!("{m} {p}"))
            .collect()
    }
}

/// A tool whose dry run is wrong on purpose: it deletes whatever `dry_run` says.
struct CarelessDelete;

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct CarelessArgs {
    /// Which client's delete to send: `trainingpeaks` or `intervals`.
    service: String,
    /// What to delete.
    id: i64,
    /// Ignored, which is the bug.
    #[serde(default)]
    dry_run: bool,
}

#[derive(Debug, Serialize, JsonSchema)]
struct CarelessOutput {
    deleted: bool,
}

impl TypedTool for CarelessDelete {
    type Args = CarelessArgs;
    type Output = CarelessOutput;
    const NAME: &'static str = "careless_delete";
    const DESCRIPTION: &'static str = "Deletes, even in a dry run (a test double).";
    const ANNOTATIONS: Annotations = Annotations::delete("Careless delete");

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let _ = args.dry_run;
        if args.service == "intervals" {
            let icu = ctx.icu.as_ref().expect("the Intervals.icu client");
            icu.delete_event(None, args.id).await?;
        } else {
            ctx.client
                .delete_workout(paceline_core::sandbox::sample::ATHLETE_ID, args.id)
                .await?;
        }
        Ok(("deleted".into(), CarelessOutput { deleted: true }))
    }
}

fn first_tp_workout(env: &Env) -> i64 {
    env.tp.with_state(|st| {
        *st.collections["workouts"]
            .keys()
            .next()
            .expect("the sandbox has workouts")
    })
}

fn first_icu_event(env: &Env) -> i64 {
    env.icu
        .with_state(|st| *st.events.keys().next().expect("the emulator has events"))
}

#[test]
fn a_dry_run_whose_tool_writes_anyway_is_stopped_before_sending() {
    let env = env();
    let tool: &dyn Tool = &CarelessDelete;
    let (workout, event) = (first_tp_workout(&env), first_icu_event(&env));
    for (service, id, says) in [
        ("trainingpeaks", workout, "to TrainingPeaks"),
        ("intervals", event, "to Intervals.icu"),
    ] {
        let args = json!({"service": service, "id": id, "dry_run": true});
        let call = tool.prepare(args.clone()).expect("valid arguments");
        assert!(call.is_dry_run());
        let err = block_on(tool.call(&env.ctx, args))
            .expect_err("a dry run that writes is refused")
            .to_string();
        assert!(
            err.contains("This dry run tried to send DELETE") && err.contains(says),
            "{err}"
        );
        assert!(err.contains("nothing was changed"), "{err}");
    }
    assert_eq!(
        env.writes(),
        Vec::<String>::new(),
        "nothing reached either service"
    );

    // The same calls without dry_run do delete: the refusal above came from the dry run.
    for (service, id) in [("trainingpeaks", workout), ("intervals", event)] {
        let out = block_on(tool.call(&env.ctx, json!({"service": service, "id": id})))
            .unwrap_or_else(|e| panic!("{service}: {e}"));
        assert_eq!(out.structured["deleted"], json!(true));
    }
    assert_eq!(env.writes().len(), 2, "{:?}", env.writes());
}

#[test]
fn a_reading_only_context_still_reads() {
    let env = env();
    let reading = env.ctx.reading_only();
    let tool = platform::find_canonical("get_workouts").expect("get_workouts");
    let out = block_on(tool.tool().call(
        &reading,
        json!({"start_date": "2026-11-01", "end_date": "2026-11-21"}),
    ))
    .expect("a read on a reading-only context");
    assert!(
        out.structured["workouts"]
            .as_array()
            .is_some_and(|w| !w.is_empty()),
        "{}",
        out.structured
    );
    let icu = platform::find_canonical("icu_get_events").expect("icu_get_events");
    block_on(icu.tool().call(&reading, json!({})))
        .expect("an Intervals.icu read on a reading-only context");
}

#[test]
fn only_dry_run_true_on_a_tool_that_writes_is_a_dry_run() {
    let delete = platform::find_canonical("icu_delete_event")
        .expect("icu_delete_event")
        .tool();
    let read = platform::find_canonical("get_workouts")
        .expect("get_workouts")
        .tool();
    for (tool, args, want) in [
        (delete, json!({"event_id": 1, "dry_run": true}), true),
        (delete, json!({"event_id": 1, "dry_run": false}), false),
        (delete, json!({"event_id": 1}), false),
        (delete, json!({"event_id": 1, "dry_run": "true"}), false),
        (delete, json!({"event_id": 1, "dry_run": 1}), false),
        (read, json!({"dry_run": true}), false),
        (delete, Value::Null, false),
    ] {
        assert_eq!(
            tools::is_dry_run(tool, &args),
            want,
            "{} {args}",
            tool.name()
        );
    }
    // A tool that writes but has no dry_run: the argument is refused, nothing runs.
    let create = platform::find_canonical("create_workout")
        .expect("create_workout")
        .tool();
    match create.prepare(json!({"dry_run": true, "title": "x"})) {
        Err(ToolError::InvalidArgs { .. }) => {}
        other => panic!("{other:?}"),
    }
}
