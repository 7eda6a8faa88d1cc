//! `scale_workout_intensity` on Intervals.icu: rescale a planned workout's intensity targets
//! by a percentage (AI Endurance's `changeWorkoutIntensity`; the TrainingPeaks tool of that
//! name rescales a stored structure). An Intervals.icu workout is its text, so the text itself
//! is rewritten: in each chosen step line, every percentage target (`95-105%`, `75%`, `95%
//! LTHR`, `80% Pace`, `ramp 50-75%`) and watt target (`220w`) is multiplied, and nothing else
//! in the description changes (notes, headers, lengths, cadence, spacing). It is sent back with
//! one `PUT /api/v1/athlete/{id}/events/{eventId}` carrying only the new description, after a
//! GET of the event; Intervals.icu re-parses it and recomputes the load, which the result shows.
//!
//! Decided here, as on TrainingPeaks: by default only work steps change (not under a
//! `Warmup`/`Cooldown` header, no `intensity=` other than `active`), since "make it 5 %
//! harder" means the intervals; `scope: all` scales every step. New percentages are rounded to
//! 0.1 %, watts to 1 W. Zone targets (`Z2`) and absolute paces (`5:00/km`) have no number to
//! scale; such steps are listed as left alone.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::common::{self, EventSummary, IcuAthleteId, PlannedRequest, event_line};
use crate::intervals::events::EventWrite;
use crate::structure::icu_text;
use crate::tools::shared::icu_planning::check_planned;
use crate::tools::{Annotations, ToolContext, ToolError, TypedTool};
use crate::wire::text;

/// Which steps to scale.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, Serialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    /// Work steps only.
    #[default]
    Work,
    /// Every step.
    All,
}

/// Arguments of `scale_workout_intensity`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ScaleWorkoutIntensityArgs {
    #[serde(default)]
    pub athlete_id: IcuAthleteId,
    /// The planned workout's event id (from get_planned_workouts or get_events).
    pub event_id: i64,
    /// Change in percent, −30 to 30, not 0: 5 makes 90-95% into 94.5-99.8%.
    pub percent: f64,
    /// `work` (the default: steps outside Warmup/Cooldown sections) or `all` steps.
    #[serde(default)]
    pub scope: Scope,
    /// Return the new text and the request that would be sent, without sending it.
    #[serde(default)]
    pub dry_run: bool,
}

/// A step line left as it was.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UnscaledStep {
    /// 1-based line of the description.
    pub line: usize,
    /// The line.
    pub text: String,
}

/// Result of `scale_workout_intensity`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ScaleWorkoutIntensityOutput {
    /// Whether this was a dry run (nothing sent).
    pub dry_run: bool,
    /// The request sent (or that would be sent).
    pub request: PlannedRequest,
    /// Step lines whose targets changed.
    pub steps_scaled: usize,
    /// Chosen step lines with no percentage or watt target to scale (zones, paces, none).
    pub steps_not_scaled: Vec<UnscaledStep>,
    /// The workout text after the change.
    pub workout_text: String,
    /// Intervals.icu's planned load before.
    pub load_before: Option<f64>,
    /// Intervals.icu's planned load after (null on a dry run: Intervals.icu computes it).
    pub load_after: Option<f64>,
    /// The event as Intervals.icu stored it (before the change on a dry run).
    pub event: EventSummary,
}

/// The tool.
pub struct ScaleWorkoutIntensity;

impl TypedTool for ScaleWorkoutIntensity {
    type Args = ScaleWorkoutIntensityArgs;
    type Output = ScaleWorkoutIntensityOutput;
    const NAME: &'static str = "scale_workout_intensity";
    const DESCRIPTION: &'static str = "Make a planned Intervals.icu workout (event_id) harder or \
easier: multiply the percentage and watt targets in its workout text by (1 + percent/100), \
percent −30 to 30 (e.g. -5 for 5 % easier). By default only the work steps change (scope \
\"all\" includes Warmup/Cooldown sections and rest steps); lengths, cadence, notes and \
everything else stay; Intervals.icu recomputes the load. Zone and absolute pace targets are \
left and listed. dry_run=true returns the new text and the request without sending it.";
    const ANNOTATIONS: Annotations = Annotations::update("Scale an Intervals.icu workout");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        args.athlete_id.check()?;
        common::check_positive("event_id", args.event_id)?;
        let p = args.percent;
        if !(p.is_finite() && (-30.0..=30.0).contains(&p)) || p == 0.0 {
            return Err(ToolError::invalid(
                "percent",
                format!("{p} is out of range: −30 to 30, not 0"),
            ));
        }
        Ok(())
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let icu = common::icu(ctx)?;
        let athlete = args.athlete_id.get();
        let e = icu.event(athlete, args.event_id).await?;
        check_planned(&e, args.event_id, "rescaled")?;
        let description = text(&e.description).unwrap_or_default();
        let scaled = scale_text(&description, 1.0 + args.percent / 100.0, args.scope);
        if scaled.steps_scaled == 0 {
            return Err(ToolError::Failed(format!(
                "Event {} has no {}step with a percentage or watt target in its workout text; \
                 nothing was changed{}.",
                args.event_id,
                if args.scope == Scope::Work {
                    "work "
                } else {
                    ""
                },
                if args.scope == Scope::Work {
                    " (scope \"all\" scales every step)"
                } else {
                    ""
                }
            )));
        }
        // A text that read as a workout before must still read as one: the rewrite only
        // touches numbers, so this guards against a target form it misjudged.
        let opts = icu_text::Options::default();
        if icu_text::parse(&description, &opts).is_ok()
            && let Err(err) = icu_text::parse(&scaled.text, &opts)
        {
            return Err(ToolError::Failed(format!(
                "The rescaled workout text would not read as a workout ({err}); nothing was \
                 changed."
            )));
        }
        let w = EventWrite {
            description: Some(scaled.text.clone()),
            ..EventWrite::default()
        };
        let (t, out) = common::write_event(
            icu,
            athlete,
            Some(args.event_id),
            &w,
            args.dry_run,
            "workout",
        )
        .await?;
        let before = common::event_summary(&e);
        let load_after = out.event.as_ref().and_then(|x| x.training_load);
        let event = out.event.unwrap_or(before);
        let result = ScaleWorkoutIntensityOutput {
            dry_run: out.dry_run,
            request: out.request,
            steps_scaled: scaled.steps_scaled,
            steps_not_scaled: scaled.not_scaled,
            workout_text: scaled.text,
            load_before: e.icu_training_load.val().map(|l| common::round(l, 1)),
            load_after,
            event,
        };
        let num = |x: Option<f64>| x.map_or_else(|| "—".to_string(), |v| format!("{v:.0}"));
        let mut text = if result.dry_run {
            format!("{t}\n")
        } else {
            String::new()
        };
        text.push_str(&format!(
            "{} event {} by {:+}% ({} step line{}): load {} → {}.\n{}",
            if result.dry_run {
                "Would scale"
            } else {
                "Scaled"
            },
            args.event_id,
            args.percent,
            result.steps_scaled,
            if result.steps_scaled == 1 { "" } else { "s" },
            num(result.load_before),
            if result.dry_run {
                "(computed by Intervals.icu when sent)".to_string()
            } else {
                num(result.load_after)
            },
            event_line(&result.event)
        ));
        for s in &result.steps_not_scaled {
            text.push_str(&format!(
                "\nLeft as it was (no percentage or watt target): line {}: {}",
                s.line, s.text
            ));
        }
        Ok((text, result))
    }
}

/// A rewritten text.
#[derive(Debug)]
struct Scaled {
    text: String,
    steps_scaled: usize,
    not_scaled: Vec<UnscaledStep>,
}

fn is_step(line: &str) -> bool {
    let t = line.trim_start();
    t == "-" || t.starts_with("- ") || t.starts_with("-\t")
}

/// The class a section header gives its steps: warm-up, cool-down, or work.
fn header_is_work(header: &str) -> bool {
    let h = header.trim().to_ascii_lowercase();
    !(h.starts_with("warmup")
        || h.starts_with("warm up")
        || h.starts_with("cooldown")
        || h.starts_with("cool down"))
}

/// Whether a step line's own `intensity=` says it is not work.
fn step_is_work(line: &str) -> bool {
    line.split_whitespace()
        .filter_map(|t| {
            t.to_ascii_lowercase()
                .strip_prefix("intensity=")
                .map(str::to_string)
        })
        .all(|v| v == "active")
}

/// A number written back: whole numbers without decimals, else one decimal.
fn fmt_num(x: f64) -> String {
    if (x - x.round()).abs() < 1e-9 {
        format!("{x:.0}")
    } else {
        format!("{x:.1}")
    }
}

/// `token` scaled by `factor` if it is a percentage (`75%`, `95-105%`) or watt (`220w`)
/// target, else `None`.
fn scale_token(token: &str, factor: f64) -> Option<String> {
    let (body, unit, places) = if let Some(b) = token.strip_suffix('%') {
        (b, "%", 10.0)
    } else if let Some(b) = token.strip_suffix('w').or_else(|| token.strip_suffix('W')) {
        (b, &token[token.len() - 1..], 1.0)
    } else {
        return None;
    };
    let parts: Vec<&str> = body.split('-').collect();
    if parts.is_empty() || parts.len() > 2 {
        return None;
    }
    let mut out = Vec::with_capacity(parts.len());
    for p in parts {
        if p.is_empty() || !p.chars().all(|c| c.is_ascii_digit() || c == '.') {
            return None;
        }
        let v: f64 = p.parse().ok()?;
        out.push(fmt_num((v * factor * places).round() / places));
    }
    Some(format!("{}{unit}", out.join("-")))
}

/// The text with the chosen steps' targets multiplied by `factor`.
fn scale_text(text: &str, factor: f64, scope: Scope) -> Scaled {
    let lines: Vec<&str> = text.split('\n').collect();
    let mut out = Vec::with_capacity(lines.len());
    let mut section_work = true;
    let (mut n, mut not_scaled) = (0, Vec::new());
    for (i, raw) in lines.iter().enumerate() {
        if !is_step(raw) {
            // A header (a line directly followed by a step) sets its steps' class; a blank or
            // note line ends the section.
            section_work = raw.trim().is_empty()
                || !lines.get(i + 1).is_some_and(|l| is_step(l))
                || header_is_work(raw);
            out.push((*raw).to_string());
            continue;
        }
        let chosen = scope == Scope::All || (section_work && step_is_work(raw));
        if !chosen {
            out.push((*raw).to_string());
            continue;
        }
        // Rebuilt piece by piece so the spacing stays as written.
        let mut line = String::with_capacity(raw.len());
        let mut changed = false;
        let mut rest = *raw;
        while !rest.is_empty() {
            let ws = rest.len() - rest.trim_start().len();
            line.push_str(&rest[..ws]);
            rest = &rest[ws..];
            let end = rest.find(char::is_whitespace).unwrap_or(rest.len());
            let token = &rest[..end];
            match scale_token(token, factor) {
                Some(t) => {
                    line.push_str(&t);
                    changed = true;
                }
                None => line.push_str(token),
            }
            rest = &rest[end..];
        }
        if changed {
            n += 1;
        } else {
            not_scaled.push(UnscaledStep {
                line: i + 1,
                text: raw.trim().to_string(),
            });
        }
        out.push(line);
    }
    Scaled {
        text: out.join("\n"),
        steps_scaled: n,
        not_scaled,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const W: &str = "Advice: smooth\n\nWarmup\n- 10m 50-70%\n\nMain set 3x\n- 5m  90-95% 95rpm\n- 3m 55% intensity=rest\n\n- 10m ramp 60-80%\n- 5m Z2\n- 2m 250w\n\nCooldown\n- 10m 50%";

    #[test]
    fn only_work_targets_change_and_everything_else_stays() {
        let s = scale_text(W, 1.05, Scope::Work);
        assert_eq!(
            s.text,
            "Advice: smooth\n\nWarmup\n- 10m 50-70%\n\nMain set 3x\n- 5m  94.5-99.8% 95rpm\n- 3m 55% intensity=rest\n\n- 10m ramp 63-84%\n- 5m Z2\n- 2m 263w\n\nCooldown\n- 10m 50%"
        );
        assert_eq!(s.steps_scaled, 3);
        assert_eq!(s.not_scaled.len(), 1);
        assert_eq!(s.not_scaled[0].line, 11);
        let all = scale_text(W, 0.9, Scope::All);
        assert_eq!(all.steps_scaled, 6);
        assert!(all.text.contains("- 10m 45-63%") && all.text.contains("- 10m 45%"));
        assert!(all.text.contains("- 3m 49.5% intensity=rest"));
    }

    #[test]
    fn tokens() {
        assert_eq!(scale_token("100%", 1.1).as_deref(), Some("110%"));
        assert_eq!(scale_token("10m", 1.1), None);
        assert_eq!(scale_token("-5%", 1.1), None);
        assert_eq!(scale_token("%", 1.1), None);
        assert_eq!(scale_token("5:00/km", 1.1), None);
    }
}
