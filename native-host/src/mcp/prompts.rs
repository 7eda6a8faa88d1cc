//! MCP prompts (issue 12, "MCP features"): ready-made requests a person picks from the client's
//! menu. Each one is a single user message that names the tools (and resources) to use, so the
//! model starts from the athlete's data rather than from guesses. Arguments are checked here
//! and a bad one is an `invalid_params` error naming it.

use std::collections::BTreeMap;

use paceline_core::tools::args::Date;
use rmcp::ErrorData;
use rmcp::model::{GetPromptResult, ListPromptsResult};
use serde_json::{Value, json};

use super::resources::{PROFILE, STRUCTURE_SYNTAX, WEEK, from_json};

/// One prompt: name, title, description and its arguments (name, description, required).
struct Prompt {
    name: &'static str,
    title: &'static str,
    description: &'static str,
    args: &'static [(&'static str, &'static str, bool)],
}

const PROMPTS: &[Prompt] = &[
    Prompt {
        name: "weekly_review",
        title: "Weekly review",
        description: "Review a training week: planned against completed, load, fitness and form, what to change next week.",
        args: &[(
            "week_of",
            "Any day of the week to review, YYYY-MM-DD (default: this week)",
            false,
        )],
    },
    Prompt {
        name: "plan_training_block",
        title: "Plan a training block",
        description: "Plan the next block of training towards a goal, from the athlete's current fitness and zones.",
        args: &[
            (
                "goal",
                "What the block is for, e.g. \"a 40 km time trial on 2027-05-16\"",
                true,
            ),
            ("weeks", "How many weeks, 1–16 (default 4)", false),
            (
                "hours_per_week",
                "Training hours available per week, e.g. 8",
                false,
            ),
        ],
    },
    Prompt {
        name: "build_workout",
        title: "Build a workout",
        description: "Turn a description into a structured workout, check it, and (after you confirm) put it on the calendar.",
        args: &[
            (
                "description",
                "The workout in words, e.g. \"10 min warm-up, 3x15 min at 95-105%, 5 min easy, cool down\"",
                true,
            ),
            (
                "date",
                "The day to schedule it, YYYY-MM-DD (omit to only build and check it)",
                false,
            ),
            ("sport", "Bike, Run or Swim (default Bike)", false),
        ],
    },
    Prompt {
        name: "race_week_taper",
        title: "Race-week taper",
        description: "Shape the last days before a race: cut volume, keep intensity, arrive fresh (positive TSB).",
        args: &[
            ("race_date", "The race day, YYYY-MM-DD", true),
            (
                "race",
                "The race, e.g. \"Olympic triathlon\" (default: the event on that day)",
                false,
            ),
        ],
    },
    Prompt {
        name: "post_ride_debrief",
        title: "Post-ride debrief",
        description: "Debrief a completed workout against its plan: what went well, what did not, what it means for the next days.",
        args: &[(
            "workout_id",
            "The workout's id (default: the most recent completed workout)",
            false,
        )],
    },
];

/// `prompts/list`.
pub fn list() -> Result<ListPromptsResult, ErrorData> {
    let prompts: Vec<Value> = PROMPTS
        .iter()
        .map(|p| {
            let args: Vec<Value> = p
                .args
                .iter()
                .map(|(name, description, required)| {
                    json!({"name": name, "description": description, "required": required})
                })
                .collect();
            json!({"name": p.name, "title": p.title, "description": p.description, "arguments": args})
        })
        .collect();
    from_json(json!({ "prompts": prompts }))
}

fn invalid(field: &str, message: String) -> ErrorData {
    ErrorData::invalid_params(
        format!("{field}: {message}"),
        Some(json!({ "field": field })),
    )
}

/// `prompts/get`.
pub fn get(
    name: &str,
    arguments: Option<serde_json::Map<String, Value>>,
) -> Result<GetPromptResult, ErrorData> {
    let prompt = PROMPTS.iter().find(|p| p.name == name).ok_or_else(|| {
        ErrorData::invalid_params(
            format!("no prompt {name}; call prompts/list for the available ones"),
            Some(json!({ "field": "name" })),
        )
    })?;
    // Prompt arguments are strings; a client that sends a number is forgiven.
    let mut given = BTreeMap::new();
    for (key, v) in arguments.unwrap_or_default() {
        let s = match v {
            Value::String(s) => s,
            Value::Number(n) => n.to_string(),
            Value::Null => continue,
            _ => return Err(invalid(&key, "must be a string".to_string())),
        };
        given.insert(key, s);
    }
    for key in given.keys() {
        if !prompt.args.iter().any(|(n, _, _)| n == key) {
            let known: Vec<&str> = prompt.args.iter().map(|(n, _, _)| *n).collect();
            return Err(invalid(
                key,
                format!("not an argument of {name} (it takes {})", known.join(", ")),
            ));
        }
    }
    let arg = |key: &str| given.get(key).map(|s| s.trim()).filter(|s| !s.is_empty());
    for (key, _, required) in prompt.args {
        if *required && arg(key).is_none() {
            return Err(invalid(key, format!("{name} needs it")));
        }
    }
    let date = |key: &str| -> Result<Option<String>, ErrorData> {
        arg(key)
            .map(|s| {
                Date::parse(s)
                    .map(|d| d.to_string())
                    .map_err(|m| invalid(key, m))
            })
            .transpose()
    };
    let number = |key: &str, lo: f64, hi: f64| -> Result<Option<f64>, ErrorData> {
        arg(key)
            .map(|s| match s.parse::<f64>() {
                Ok(v) if v.is_finite() && (lo..=hi).contains(&v) => Ok(v),
                _ => Err(invalid(
                    key,
                    format!("`{s}` is not a number from {lo} to {hi}"),
                )),
            })
            .transpose()
    };
    let text = match prompt.name {
        "weekly_review" => {
            let week = match date("week_of")? {
                Some(d) => format!("the week containing {d}"),
                None => "this week".to_string(),
            };
            format!(
                "Review {week} of my training. Use get_weekly_summary (week_of) for planned against \
                 completed, get_fitness_metrics for the six weeks up to it (CTL, ATL, TSB), and \
                 render_chart kind week to show it. Tell me: how much of the plan I did and what I \
                 missed, whether the load was right for my fitness (ramp rate, form), anything unusual \
                 in the completed workouts, and two or three concrete changes for next week. My current \
                 week is also in the resource {WEEK}."
            )
        }
        "plan_training_block" => {
            let goal = arg("goal").unwrap_or_default();
            let weeks = number("weeks", 1.0, 16.0)?.map_or(4.0, f64::round);
            let hours = number("hours_per_week", 1.0, 40.0)?
                .map_or_else(String::new, |h| format!(" I have about {h} hours a week."));
            format!(
                "Plan my next {weeks} weeks of training towards: {goal}.{hours} First read my zones and \
                 thresholds ({PROFILE}, or get_athlete_settings), my fitness for the last 90 days \
                 (get_fitness_metrics) and what is already planned (get_workouts, get_events). Propose \
                 the block week by week (load in TSS and hours, the key sessions with their intensities, \
                 recovery weeks) and show the expected fitness. Do not create anything until I agree; \
                 then create the workouts with create_workout, checking each structure with \
                 validate_workout_structure first."
            )
        }
        "build_workout" => {
            let description = arg("description").unwrap_or_default();
            let sport = arg("sport").unwrap_or("Bike");
            let when = match date("date")? {
                Some(d) => format!(
                    " Then, once I confirm, put it on my calendar on {d} with create_workout."
                ),
                None => " Do not save it anywhere.".to_string(),
            };
            format!(
                "Build this {sport} workout: {description}. Write it as a workout structure (the syntax \
                 is in {STRUCTURE_SYNTAX}), check it with validate_workout_structure, and show it with \
                 render_chart kind workout (the structure inline). Tell me its duration, IF and TSS.{when}"
            )
        }
        "race_week_taper" => {
            let race_date = date("race_date")?.unwrap_or_default();
            let race = arg("race").map_or_else(
                || format!("my race on {race_date} (find it with get_events)"),
                |r| format!("{r} on {race_date}"),
            );
            format!(
                "Help me taper for {race}. Look at my fitness and form (get_fitness_metrics for the last \
                 six weeks), what is planned for the ten days before the race (get_workouts) and my zones \
                 ({PROFILE}). Propose the race week day by day: less volume, short sharp efforts to stay \
                 sharp, rest where it helps, so that my TSB is positive on race day. Show the plan with \
                 render_chart kind fitness or week. Change nothing on my calendar until I agree."
            )
        }
        "post_ride_debrief" => {
            let which = match arg("workout_id") {
                Some(id) => match id.parse::<i64>() {
                    Ok(n) if n > 0 => format!("workout {n} (get_workout)"),
                    _ => return Err(invalid("workout_id", format!("`{id}` is not a workout id"))),
                },
                None => "my most recent completed workout (find it with get_workouts for the last \
                         week)"
                    .to_string(),
            };
            format!(
                "Debrief {which}. Compare what I did with what was planned (duration, TSS, IF, power \
                 and heart rate against my zones in {PROFILE}), read any comments on it \
                 (get_workout_comments), and show its planned profile with render_chart kind workout if \
                 it has a structure. Tell me what went well, what did not, and what it means for the next \
                 two days."
            )
        }
        _ => return Err(invalid("name", format!("no prompt {name}"))),
    };
    from_json(json!({
        "description": prompt.description,
        "messages": [{"role": "user", "content": {"type": "text", "text": text}}],
    }))
}
