//! MCP resources (issue 12, "MCP features"): what a client can attach to a conversation
//! without the model calling a tool.
//!
//! - Data: the athlete's profile and zones, and the current week. Read by running the same
//!   read-only tools `tools/call` runs, through the server's [`Runner`](crate::backend::Runner),
//!   so they work with every backend (sandbox, direct, browser) and say the same thing.
//! - Guides: the two workout syntaxes (TrainingPeaks structure JSON, Intervals.icu text) and one
//!   guide per tool group, generated from the published catalogue so they cannot drift from it.
//! - The MCP App of `render_chart` (`ui://`, MCP Apps / SEP-1865).
//!
//! Each resource is listed only when the tools behind it are published (`--platform`).

use paceline_core::structure::icu_text;
use paceline_core::tools::{CHART_UI_RESOURCE, Tool, ToolOutput};
use rmcp::ErrorData;
use rmcp::model::{ListResourcesResult, ReadResourceResult};
use serde_json::{Value, json};

use super::PacelineServer;

/// The MIME type of an MCP App's HTML (SEP-1865).
pub const APP_MIME: &str = "text/html;profile=mcp-app";

/// The chart app's page.
const CHART_APP: &str = include_str!("chart_app.html");

/// The athlete's profile and zones.
pub const PROFILE: &str = "paceline://athlete/profile";
/// The current Monday–Sunday week, planned against completed.
pub const WEEK: &str = "paceline://athlete/current-week";
/// The TrainingPeaks workout-structure syntax.
pub const STRUCTURE_SYNTAX: &str = "paceline://guide/workout-structure";
/// The Intervals.icu workout-text syntax.
pub const TEXT_SYNTAX: &str = "paceline://guide/workout-text";
/// One guide per tool group: `paceline://guide/tools/<group>`.
pub const GROUP_PREFIX: &str = "paceline://guide/tools/";

/// Tool groups for the guides: name, what it is for, and its tools. A published tool in none
/// of them is listed under `other`, so a new tool is never missing from the guides.
const GROUPS: &[(&str, &str, &[&str])] = &[
    (
        "profile",
        "Who the athlete is: profile, thresholds and zones, coached athletes.",
        &[
            "get_athlete_profile",
            "list_athletes",
            "get_athlete_settings",
            "update_ftp",
            "update_hr_zones",
            "update_speed_zones",
            "get_weather_settings",
            "get_pool_length_settings",
            "update_nutrition",
        ],
    ),
    (
        "workouts",
        "Planned and completed workouts: list, read, create with a structure, change, move, comment.",
        &[
            "get_workouts",
            "get_workout",
            "get_weekly_summary",
            "create_workout",
            "update_workout",
            "delete_workout",
            "copy_workout",
            "reorder_workouts",
            "get_workout_comments",
            "add_workout_comment",
            "delete_workout_comment",
            "update_private_workout_note",
            "validate_workout_structure",
            "get_workout_types",
        ],
    ),
    (
        "fitness",
        "Fitness (CTL/ATL/TSB), the annual training plan, peaks and records, and charts of them.",
        &[
            "get_atp",
            "get_fitness_metrics",
            "get_workout_prs",
            "get_peaks",
            "render_chart",
        ],
    ),
    (
        "calendar",
        "Events and races, notes, availability and goals on the calendar.",
        &[
            "get_focus_event",
            "get_next_planned_event",
            "get_events",
            "create_event",
            "delete_event",
            "update_event",
            "get_note",
            "update_note",
            "get_note_comments",
            "add_note_comment",
            "create_note",
            "delete_note",
            "get_availability",
            "create_availability",
            "update_availability",
            "delete_availability",
            "create_goal_list",
            "delete_goal_list",
        ],
    ),
    (
        "library",
        "Workout libraries: templates to keep and schedule onto the calendar.",
        &[
            "get_libraries",
            "get_library_items",
            "get_library_item",
            "create_library",
            "create_library_item",
            "schedule_library_workout",
            "update_library",
            "move_library_item",
            "update_library_item",
            "delete_library_item",
            "delete_library",
        ],
    ),
    (
        "equipment",
        "Bikes and shoes, with their distances.",
        &[
            "get_equipment",
            "create_equipment",
            "update_equipment_item",
            "delete_equipment",
        ],
    ),
    (
        "health",
        "Strength workouts, body metrics and nutrition.",
        &[
            "create_strength_workout",
            "get_strength_workout_summary",
            "get_nutrition",
            "get_metrics",
            "log_metrics",
        ],
    ),
];

/// The group a published tool's guide lists it under: `intervals` for every Intervals.icu tool,
/// else its group in [`GROUPS`], else `other`.
fn group_of(canonical: &str) -> &'static str {
    if canonical.starts_with("icu_") {
        return "intervals";
    }
    GROUPS
        .iter()
        .find(|(_, _, tools)| tools.contains(&canonical))
        .map_or("other", |(name, _, _)| name)
}

fn group_intro(group: &str) -> &'static str {
    match group {
        "intervals" => {
            "Intervals.icu: activities, events, wellness, curves, gear and custom items."
        }
        "other" => "Tools in no other group.",
        g => GROUPS
            .iter()
            .find(|(name, _, _)| *name == g)
            .map_or("", |(_, intro, _)| intro),
    }
}

/// The TrainingPeaks structure section of the server instructions (one text for both).
fn structure_syntax() -> &'static str {
    let s = super::INSTRUCTIONS;
    let start = s.find("Writing a workout structure").unwrap_or(0);
    let end = s[start..]
        .find("\n\nErrors:")
        .map_or(s.len(), |e| start + e);
    &s[start..end]
}

impl PacelineServer {
    /// Whether a tool is published under this canonical name.
    fn publishes(&self, canonical: &str) -> bool {
        self.published().iter().any(|(_, c, _)| *c == canonical)
    }

    /// The published tools: public name, canonical name, tool.
    fn published(&self) -> Vec<(&'static str, &'static str, &'static dyn Tool)> {
        match self.catalogue {
            super::Catalogue::Platform(p, _) => p
                .tools()
                .iter()
                .map(|l| (l.name(), l.canonical(), l.tool()))
                .collect(),
            #[cfg(test)]
            super::Catalogue::Tools(tools) => {
                tools.iter().map(|t| (t.name(), t.name(), *t)).collect()
            }
        }
    }

    /// The groups that have at least one published tool, in guide order.
    fn groups(&self) -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        let order = GROUPS
            .iter()
            .map(|(n, _, _)| *n)
            .chain(["intervals", "other"]);
        let published = self.published();
        for g in order {
            if published.iter().any(|(_, c, _)| group_of(c) == g) {
                out.push(g);
            }
        }
        out
    }

    /// `resources/list`.
    pub(super) fn resource_list(&self) -> Result<ListResourcesResult, ErrorData> {
        let mut items = Vec::new();
        if self.publishes("get_athlete_settings") && self.publishes("get_athlete_profile") {
            items.push(json!({"uri": PROFILE, "name": "athlete-profile", "title": "Athlete profile and zones",
                "description": "The signed-in athlete's profile, thresholds (FTP, threshold HR, paces) and training zones.",
                "mimeType": "text/plain"}));
        }
        if self.publishes("get_weekly_summary") {
            items.push(json!({"uri": WEEK, "name": "current-week", "title": "This week",
                "description": "The current Monday–Sunday week: workouts planned and completed, totals by sport, fitness at its end.",
                "mimeType": "text/plain"}));
        }
        if self.publishes("create_workout") || self.publishes("validate_workout_structure") {
            items.push(json!({"uri": STRUCTURE_SYNTAX, "name": "workout-structure-syntax",
                "title": "Workout structure syntax (TrainingPeaks)",
                "description": "How to write the `structure` argument of the workout tools: steps, repetitions, ramps, targets.",
                "mimeType": "text/plain"}));
        }
        if self
            .published()
            .iter()
            .any(|(_, c, _)| c.starts_with("icu_"))
        {
            items.push(json!({"uri": TEXT_SYNTAX, "name": "workout-text-syntax",
                "title": "Workout text syntax (Intervals.icu)",
                "description": "How to write a workout as Intervals.icu text, one step per line.",
                "mimeType": "text/plain"}));
        }
        for g in self.groups() {
            items.push(
                json!({"uri": format!("{GROUP_PREFIX}{g}"), "name": format!("guide-{g}"),
                "title": format!("Guide: {g} tools"), "description": group_intro(g),
                "mimeType": "text/markdown"}),
            );
        }
        if self.publishes("render_chart") {
            items.push(
                json!({"uri": CHART_UI_RESOURCE, "name": "chart-app", "title": "Chart viewer",
                "description": "The interactive view of render_chart's charts (MCP Apps).",
                "mimeType": APP_MIME}),
            );
        }
        from_json(json!({ "resources": items }))
    }

    /// `resources/read`.
    pub(super) async fn resource_read(&self, uri: &str) -> Result<ReadResourceResult, ErrorData> {
        let text = |mime: &str, text: String| json!({"uri": uri, "mimeType": mime, "text": text});
        let contents = match uri {
            PROFILE if self.publishes("get_athlete_settings") => {
                let profile = self.run_read("get_athlete_profile", json!({})).await?;
                let settings = self.run_read("get_athlete_settings", json!({})).await?;
                vec![
                    text(
                        "text/plain",
                        format!("{}\n\n{}", profile.text, settings.text),
                    ),
                    text(
                        "application/json",
                        json!({"profile": profile.structured, "settings": settings.structured})
                            .to_string(),
                    ),
                ]
            }
            WEEK if self.publishes("get_weekly_summary") => {
                let week = self.run_read("get_weekly_summary", json!({})).await?;
                vec![
                    text("text/plain", week.text),
                    text("application/json", week.structured.to_string()),
                ]
            }
            STRUCTURE_SYNTAX => vec![text("text/plain", structure_syntax().to_string())],
            TEXT_SYNTAX => vec![text("text/plain", icu_text::CHEAT_SHEET.to_string())],
            u if u == CHART_UI_RESOURCE && self.publishes("render_chart") => {
                // The page draws nothing of its own and fetches nothing: no CSP domains needed.
                vec![json!({"uri": uri, "mimeType": APP_MIME, "text": CHART_APP,
                    "_meta": {"ui": {"prefersBorder": false}}})]
            }
            u => match u.strip_prefix(GROUP_PREFIX) {
                Some(g) if self.groups().contains(&g) => {
                    vec![text("text/markdown", self.group_guide(g))]
                }
                _ => return Err(unknown(uri)),
            },
        };
        from_json(json!({ "contents": contents }))
    }

    /// A group's guide: what the group is for and each tool with its title and description.
    fn group_guide(&self, group: &str) -> String {
        let mut out = format!("# {group} tools\n\n{}\n", group_intro(group));
        for (name, canonical, tool) in self.published() {
            if group_of(canonical) != group {
                continue;
            }
            let a = tool.annotations();
            let kind = if a.read_only {
                "reads"
            } else if a.destructive {
                "changes or deletes"
            } else {
                "creates"
            };
            out.push_str(&format!(
                "\n## {name} — {} ({kind})\n{}\n",
                a.title,
                tool.description()
            ));
        }
        if group == "workouts" {
            out.push_str(&format!(
                "\nThe structure syntax is in {STRUCTURE_SYNTAX}.\n"
            ));
        }
        out
    }

    /// Runs a read-only tool the way `tools/call` does (same checks, same backend).
    async fn run_read(&self, canonical: &str, args: Value) -> Result<ToolOutput, ErrorData> {
        let public = self
            .published()
            .into_iter()
            .find(|(_, c, _)| *c == canonical)
            .map(|(n, _, _)| n)
            .ok_or_else(|| unknown(canonical))?;
        let (tool, route) = self.find(public).ok_or_else(|| unknown(canonical))?;
        let call = tool
            .prepare(args)
            .map_err(|e| ErrorData::internal_error(e.to_string(), None))?;
        let options = crate::backend::call_options(tool.name(), None);
        // A failure (not logged in, no browser) is the same message a tool call gives.
        self.runner
            .run(route, call, options)
            .await
            .map_err(|e| ErrorData::internal_error(e.to_string(), None))
    }
}

fn unknown(uri: &str) -> ErrorData {
    ErrorData::resource_not_found(
        format!("no resource {uri}; call resources/list for the available ones"),
        Some(json!({ "uri": uri })),
    )
}

/// Builds an rmcp result from its JSON form (the wire shape the spec defines), which stays
/// stable where rmcp's constructors change between releases.
pub(super) fn from_json<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, ErrorData> {
    serde_json::from_value(v).map_err(|e| ErrorData::internal_error(e.to_string(), None))
}
