//! `get_atp`: the annual training plan, week by week.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::{AthleteId, Date, DateRange, END_DATE, START_DATE};
use super::shared::zone_views::num;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::workouts::text;

/// The tool.
pub struct GetAtp;

/// Arguments of `get_atp`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetAtpArgs {
    #[schemars(description = START_DATE)]
    pub start_date: Date,
    #[schemars(description = END_DATE)]
    pub end_date: Date,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `get_atp`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetAtpOutput {
    /// The weeks, in order.
    pub weeks: Vec<AtpWeekOut>,
}

impl TypedTool for GetAtp {
    type Args = GetAtpArgs;
    type Output = GetAtpOutput;
    const NAME: &'static str = "get_atp";
    const DESCRIPTION: &'static str = "Get the annual training plan (ATP) between two dates (YYYY-MM-DD): per week \
        the training period (Base, Build, Peak, Race…), the planned weekly TSS, and races with their priority.";
    const ANNOTATIONS: Annotations = Annotations::read("Get annual training plan");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        DateRange::new(args.start_date, args.end_date).map(drop)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let rows = ctx
            .client
            .atp(aid, args.start_date.0, args.end_date.0)
            .await?;
        // `atp` has already left out weeks without a readable `week`.
        let weeks: Vec<AtpWeekOut> = rows
            .iter()
            .filter_map(|w| {
                Some(AtpWeekOut {
                    week: w.week.get()?.to_string(),
                    period: text(&w.period),
                    volume: w.volume.val(),
                    volume_type: text(&w.atp_type),
                    race_name: text(&w.race_name),
                    race_priority: text(&w.race_priority),
                    weeks_to_next_priority_event: w.weeks_to_next_priority_event.val(),
                })
            })
            .collect();
        if weeks.is_empty() {
            return Ok((
                format!(
                    "No annual training plan weeks between {} and {}.",
                    args.start_date, args.end_date
                ),
                GetAtpOutput { weeks },
            ));
        }
        let mut lines = vec![format!("Annual training plan, {} week(s):", weeks.len())];
        for w in &weeks {
            let vol = w.volume.map_or_else(
                || "—".into(),
                |v| format!("{} {}", num(v), w.volume_type.as_deref().unwrap_or("")),
            );
            let mut line = format!(
                "{}  {:<12} {}",
                w.week,
                w.period.as_deref().unwrap_or("—"),
                vol.trim_end()
            );
            if let Some(r) = &w.race_name {
                match &w.race_priority {
                    Some(p) => line.push_str(&format!("  [{p}] {r}")),
                    None => line.push_str(&format!("  {r}")),
                }
            }
            lines.push(line);
        }
        Ok((lines.join("\n"), GetAtpOutput { weeks }))
    }
}

/// One plan week.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct AtpWeekOut {
    /// The week's first day, YYYY-MM-DD.
    pub week: String,
    /// Training period, e.g. "Base 2", "Build 1", "Peak", "Race".
    pub period: Option<String>,
    /// Planned weekly volume (TSS when `volume_type` is "TSS").
    pub volume: Option<f64>,
    /// What `volume` measures, usually "TSS".
    pub volume_type: Option<String>,
    /// The race that week, if any.
    pub race_name: Option<String>,
    /// Its priority, A/B/C.
    pub race_priority: Option<String>,
    /// Weeks until the next priority event.
    pub weeks_to_next_priority_event: Option<i64>,
}
