//! `list_athletes` (Paceline addition): the athletes the signed-in user can act on.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::AthleteSummary;

/// The tool.
pub struct ListAthletes;

/// No arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct ListAthletesArgs {}

/// The roster.
#[derive(Debug, Serialize, JsonSchema)]
pub struct ListAthletesOutput {
    /// The signed-in user's own athlete id (the default when `athlete_id` is omitted).
    pub own_athlete_id: i64,
    /// Every athlete the user can act on; for a plain athlete, just themself.
    pub athletes: Vec<AthleteEntry>,
}

impl TypedTool for ListAthletes {
    type Args = ListAthletesArgs;
    type Output = ListAthletesOutput;
    const NAME: &'static str = "list_athletes";
    const DESCRIPTION: &'static str = "List the athletes you can act on. Coaches see their roster; a plain athlete \
sees only themself. Pass an entry's `athlete_id` to any athlete-scoped tool to act on that athlete \
(omitted = your own).";
    const ANNOTATIONS: Annotations = Annotations::read("List athletes");

    async fn run(
        &self,
        ctx: &ToolContext,
        _args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let own = ctx.client.athlete_id(None).await?;
        let out = roster(own, ctx.client.athletes().await?);
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
    }
}

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

/// Builds the output from the client's roster ([`crate::trainingpeaks::TpClient::athletes`]),
/// putting the user's own entry first so the default is easy to spot.
pub(crate) fn roster(own: i64, athletes: Vec<AthleteSummary>) -> ListAthletesOutput {
    let mut athletes: Vec<AthleteEntry> = athletes
        .into_iter()
        .map(|a| {
            let name = [a.first_name.as_deref(), a.last_name.as_deref()]
                .into_iter()
                .flatten()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect::<Vec<_>>()
                .join(" ");
            AthleteEntry {
                athlete_id: a.athlete_id,
                name: if name.is_empty() {
                    "(no name)".into()
                } else {
                    name
                },
                email: a.email.filter(|e| !e.is_empty()),
                is_self: a.is_self || a.athlete_id == own,
            }
        })
        .collect();
    athletes.sort_by_key(|a| !a.is_self);
    ListAthletesOutput {
        own_athlete_id: own,
        athletes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(id: i64, first: &str, is_self: bool) -> AthleteSummary {
        AthleteSummary {
            athlete_id: id,
            first_name: Some(first.into()),
            last_name: None,
            email: None,
            coached_by: None,
            user_type: None,
            is_self,
        }
    }

    #[test]
    fn own_entry_comes_first() {
        let out = roster(
            1,
            vec![
                entry(2, "B", false),
                entry(1, "Me", true),
                entry(3, "", false),
            ],
        );
        let ids: Vec<i64> = out.athletes.iter().map(|a| a.athlete_id).collect();
        assert_eq!(ids, vec![1, 2, 3]);
        assert!(out.athletes[0].is_self);
        assert_eq!(out.athletes[2].name, "(no name)");
    }
}
