//! `list_athletes` (Paceline addition): the athletes the signed-in user can act on.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::http::BoxFuture;

/// The tool.
pub struct ListAthletes;

/// No arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ListAthletesArgs {}

/// One athlete.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
pub struct AthleteEntry {
    /// The id to pass as `athlete_id` to athlete-scoped tools.
    pub athlete_id: i64,
    /// Name.
    pub name: String,
    /// Email, if shared.
    pub email: Option<String>,
    /// Whether this is the signed-in user themself.
    pub is_self: bool,
}

/// The roster.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ListAthletesOutput {
    /// The signed-in user's own athlete id (the default when `athlete_id` is omitted).
    pub own_athlete_id: i64,
    /// Every athlete the user can act on; for a plain athlete, just themself.
    pub athletes: Vec<AthleteEntry>,
}

/// Builds the roster from the `/users/v3/user` `user` object (`athletes[]`, spec §2.4). A user
/// whose roster is empty or lacks themself still gets their own entry, so the default is
/// always listed.
pub(crate) fn roster(user: &Value) -> Result<ListAthletesOutput, ToolError> {
    let own = user.get("userId").and_then(Value::as_i64).ok_or_else(|| {
        ToolError::Failed("TrainingPeaks returned a user without `userId`".into())
    })?;
    let text = |v: &Value, k: &str| {
        v.get(k)
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string()
    };
    let name_of = |v: &Value| {
        let n = format!("{} {}", text(v, "firstName"), text(v, "lastName"))
            .trim()
            .to_string();
        if n.is_empty() {
            "(no name)".to_string()
        } else {
            n
        }
    };
    let mut athletes: Vec<AthleteEntry> = user
        .get("athletes")
        .and_then(Value::as_array)
        .map(|a| a.as_slice())
        .unwrap_or_default()
        .iter()
        .filter_map(|a| {
            let id = a.get("athleteId").and_then(Value::as_i64)?;
            let email = Some(text(a, "email")).filter(|e| !e.is_empty());
            Some(AthleteEntry {
                athlete_id: id,
                name: name_of(a),
                email,
                is_self: id == own,
            })
        })
        .collect();
    if !athletes.iter().any(|a| a.is_self) {
        let email = Some(text(user, "email")).filter(|e| !e.is_empty());
        athletes.insert(
            0,
            AthleteEntry {
                athlete_id: own,
                name: name_of(user),
                email,
                is_self: true,
            },
        );
    }
    Ok(ListAthletesOutput {
        own_athlete_id: own,
        athletes,
    })
}

impl TypedTool for ListAthletes {
    type Args = ListAthletesArgs;
    type Output = ListAthletesOutput;
    const NAME: &'static str = "list_athletes";
    const DESCRIPTION: &'static str = "List the athletes you can act on. Coaches see their roster; a plain athlete \
sees only themself. Pass an entry's `athlete_id` to any athlete-scoped tool to act on that athlete \
(omitted = your own).";
    const ANNOTATIONS: Annotations = Annotations::read("List athletes");

    fn run<'a>(
        &'a self,
        ctx: &'a ToolContext,
        _args: Self::Args,
    ) -> BoxFuture<'a, Result<(String, Self::Output), ToolError>> {
        Box::pin(async move {
            let user = ctx.client.user().await?;
            let out = roster(&user)?;
            let mut text = format!("{} athlete(s):", out.athletes.len());
            for a in &out.athletes {
                text.push_str(&format!(
                    "\n- {} (athlete_id {}){}",
                    a.name,
                    a.athlete_id,
                    if a.is_self { " — you" } else { "" }
                ));
            }
            Ok((text, out))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn rosters() {
        let plain = roster(&json!({"userId": 1, "firstName": "Al", "lastName": "X"})).unwrap();
        assert_eq!(plain.athletes.len(), 1);
        assert!(plain.athletes[0].is_self);
        assert_eq!(plain.athletes[0].name, "Al X");

        let coach = roster(&json!({"userId": 1, "firstName": "C", "athletes": [
            {"athleteId": 2, "firstName": "B", "lastName": "Y"},
            {"athleteId": 3, "firstName": "D"},
            {"firstName": "no id"}
        ]}))
        .unwrap();
        let ids: Vec<i64> = coach.athletes.iter().map(|a| a.athlete_id).collect();
        assert_eq!(ids, vec![1, 2, 3], "self first, entries without id skipped");
    }
}
