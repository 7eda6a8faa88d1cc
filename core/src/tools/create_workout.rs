//! `create_workout`: a planned workout on the calendar (tool 6), optionally structured.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::{AthleteId, Date, Sport};
use super::shared::structure_arg::StructureArg;
use super::shared::structure_format::structure_format;
use super::shared::workout_args::CompiledStructure;
use super::shared::workout_args::{check_num, check_subtype, check_title};
use super::shared::workout_view::{WorkoutItem, format_hours, view};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::workouts::{NewWorkout, create_body, normalize_tags};

/// The tool.
pub struct CreateWorkout;

/// Arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CreateWorkoutArgs {
    /// Day of the workout, `YYYY-MM-DD`, e.g. "2026-11-24".
    pub date: Date,
    /// Sport, e.g. "bike", "run", "swim".
    pub sport: Sport,
    /// Subtype id belonging to `sport` (see `get_workout_types`), e.g. 6 = Indoor bike.
    #[serde(default)]
    pub subtype_id: Option<i64>,
    /// Title, e.g. "Sweet spot 3x12".
    pub title: String,
    /// Description shown to the athlete.
    #[serde(default)]
    pub description: Option<String>,
    /// Planned duration in HOURS (1.5 = 90 minutes). Default: the structure's length.
    #[serde(default)]
    pub duration_hours: Option<f64>,
    /// Planned distance in METRES (40 km = 40000).
    #[serde(default)]
    pub distance_planned: Option<f64>,
    /// Planned TSS. Default: computed from the structure.
    #[serde(default)]
    pub tss: Option<f64>,
    /// Tags, comma-separated, e.g. "base,indoor".
    #[serde(default)]
    pub tags: Option<String>,
    /// Interval structure, a JSON object or a string holding one, in the format the tool
    /// description gives; intensities in % of threshold.
    #[serde(default)]
    pub structure: Option<StructureArg<CompiledStructure>>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// The created workout.
#[derive(Debug, Serialize, JsonSchema)]
pub struct CreateWorkoutOutput {
    /// The new workout.
    #[serde(flatten)]
    pub workout: WorkoutItem,
    /// One-line summary of the structure, if one was given.
    pub structure_summary: Option<String>,
}

impl TypedTool for CreateWorkout {
    type Args = CreateWorkoutArgs;
    type Output = CreateWorkoutOutput;
    const NAME: &'static str = "create_workout";
    const DESCRIPTION: &'static str = concat!(
        "Create a planned workout on a day (date YYYY-MM-DD). duration_hours is in HOURS, \
distance_planned in METRES. With a structure, planned duration, TSS and IF are computed from it unless \
given. ",
        structure_format!(),
        " Use validate_workout_structure to check a structure first."
    );
    const ANNOTATIONS: Annotations = Annotations::create("Create workout");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        check_title(&args.title)?;
        check_subtype(args.sport, args.subtype_id)?;
        check_num(
            args.duration_hours,
            "duration_hours",
            0.0,
            true,
            48.0,
            "hours, > 0 and at most 48 (1.5 = 90 min)",
        )?;
        check_num(
            args.distance_planned,
            "distance_planned",
            0.0,
            true,
            1_000_000.0,
            "metres, > 0 (40 km = 40000)",
        )?;
        check_num(
            args.tss,
            "tss",
            0.0,
            false,
            2000.0,
            "TSS between 0 and 2000",
        )?;
        if let Some(s) = &args.structure {
            s.compiled()?;
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let compiled = args.structure.as_ref().map(|s| s.compiled()).transpose()?;
        let m = compiled.as_ref().and_then(|c| c.metrics.as_ref());
        let new = NewWorkout {
            date: Some(args.date.0),
            type_id: args.sport.type_id(),
            subtype_id: args.subtype_id,
            title: args.title.trim().to_string(),
            description: args.description.clone(),
            coach_comments: None,
            total_time_planned: args.duration_hours.or(m.map(|m| m.total_hours)),
            distance_planned: args
                .distance_planned
                .or(compiled.as_ref().and_then(|c| c.distance)),
            tss_planned: args.tss.or(m.map(|m| m.tss_planned)),
            if_planned: m.map(|m| m.if_planned),
            energy_planned: m.and_then(|m| m.energy_planned),
            structure: compiled.as_ref().map(|c| c.wire.clone()),
            user_tags: args.tags.as_deref().map(normalize_tags).unwrap_or_default(),
        };
        let created = ctx
            .client
            .create_workout(aid, &create_body(aid, &new))
            .await?;
        let item = WorkoutItem::from_workout(&view(&created));
        // The line already names the id ("… (id N, planned) …"): say it once.
        let mut text = format!("Workout created: {}", item.line());
        if let Some(c) = &compiled {
            text.push_str(&format!("\nStructure: {}", c.summary));
            if let Some(m) = &c.metrics {
                text.push_str(&format!(
                    "\nFrom the structure: {} · IF {:.2} · TSS {:.1}",
                    format_hours(m.total_hours),
                    m.if_planned,
                    m.tss_planned
                ));
            }
        }
        Ok((
            text,
            CreateWorkoutOutput {
                workout: item,
                structure_summary: compiled.map(|c| c.summary.clone()),
            },
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::{Value, json};

    fn args(v: Value) -> Result<(), ToolError> {
        let a: CreateWorkoutArgs = super::super::parse_args(&v)?;
        CreateWorkout::check(&a)
    }

    #[test]
    fn validation_names_the_field() {
        let base = json!({"date": "2026-11-24", "sport": "bike", "title": "Ride"});
        let with = |k: &str, v: Value| {
            let mut b = base.clone();
            b[k] = v;
            b
        };
        let cases = [
            ("ok", base.clone(), None),
            ("bad date", with("date", json!("2026-13-01")), Some("date")),
            ("empty title", with("title", json!("  ")), Some("title")),
            (
                "swim subtype on bike",
                with("subtype_id", json!(2)),
                Some("subtype_id"),
            ),
            ("bike subtype ok", with("subtype_id", json!(6)), None),
            (
                "zero hours",
                with("duration_hours", json!(0)),
                Some("duration_hours"),
            ),
            (
                "minutes not hours",
                with("duration_hours", json!(90)),
                Some("duration_hours"),
            ),
            ("negative tss", with("tss", json!(-1)), Some("tss")),
            ("bad sport", with("sport", json!("cycling")), Some("sport")),
            (
                "structure bad step",
                with(
                    "structure",
                    json!({"steps": [{"name": "x", "duration_seconds": 0}]}),
                ),
                Some("structure.steps[0].duration_seconds"),
            ),
            (
                "structure with a misspelt key (repeat for reps)",
                with(
                    "structure",
                    json!({"steps": [{"duration_seconds": 600},
                        {"repeat": 3, "steps": [{"duration_seconds": 900}, {"duration_seconds": 300}]}]}),
                ),
                Some("structure.steps[1].repeat"),
            ),
            (
                "structure not json",
                with("structure", json!("{not json")),
                Some("structure"),
            ),
            (
                "structure as string ok",
                with(
                    "structure",
                    json!(
                        "{\"steps\":[{\"duration_seconds\":60,\"intensity_min\":50,\"intensity_max\":60}]}"
                    ),
                ),
                None,
            ),
            ("null structure ok", with("structure", Value::Null), None),
        ];
        for (name, v, want) in cases {
            match (args(v), want) {
                (Ok(()), None) => {}
                (Err(ToolError::InvalidArgs { field, .. }), Some(f)) => {
                    assert_eq!(field, f, "{name}")
                }
                (got, want) => panic!("{name}: got {got:?}, wanted {want:?}"),
            }
        }
    }
}
