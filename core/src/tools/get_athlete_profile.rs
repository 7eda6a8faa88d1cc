//! `get_athlete_profile`: who is signed in (tool 1, spec tools §A).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::http::BoxFuture;

/// The tool.
pub struct GetAthleteProfile;

/// No arguments.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetAthleteProfileArgs {}

/// The signed-in user's profile.
#[derive(Debug, Serialize, JsonSchema)]
pub struct GetAthleteProfileOutput {
    /// The athlete id used in every athlete path (`userId`).
    pub athlete_id: i64,
    /// `personId` (differs from `userId` for some coach accounts).
    pub person_id: Option<i64>,
    /// Full name.
    pub name: String,
    /// Email address.
    pub email: Option<String>,
    /// Whether the account is premium.
    pub premium: bool,
    /// IANA time zone, if set.
    pub time_zone: Option<String>,
    /// Number of athletes on the user's roster (coaches); 0 or 1 for a plain athlete.
    pub roster_size: usize,
}

fn s(v: &Value, k: &str) -> Option<String> {
    v.get(k)
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

/// Builds the output from the `/users/v3/user` `user` object.
pub(crate) fn profile_from_user(user: &Value) -> Result<GetAthleteProfileOutput, ToolError> {
    let athlete_id = user.get("userId").and_then(Value::as_i64).ok_or_else(|| {
        ToolError::Failed("TrainingPeaks returned a user without `userId`".into())
    })?;
    let name = s(user, "fullName").unwrap_or_else(|| {
        [s(user, "firstName"), s(user, "lastName")]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" ")
    });
    Ok(GetAthleteProfileOutput {
        athlete_id,
        person_id: user.get("personId").and_then(Value::as_i64),
        name,
        email: s(user, "email"),
        premium: user
            .pointer("/settings/account/isPremium")
            .and_then(Value::as_bool)
            .unwrap_or(false),
        time_zone: s(user, "timeZone"),
        roster_size: user
            .get("athletes")
            .and_then(Value::as_array)
            .map_or(0, Vec::len),
    })
}

impl TypedTool for GetAthleteProfile {
    type Args = GetAthleteProfileArgs;
    type Output = GetAthleteProfileOutput;
    const NAME: &'static str = "get_athlete_profile";
    const DESCRIPTION: &'static str = "Get the signed-in TrainingPeaks user's profile: name, email, athlete id \
(used as `athlete_id` by coaches), premium status and time zone.";
    const ANNOTATIONS: Annotations = Annotations::read("Get athlete profile");

    fn run<'a>(
        &'a self,
        ctx: &'a ToolContext,
        _args: Self::Args,
    ) -> BoxFuture<'a, Result<(String, Self::Output), ToolError>> {
        Box::pin(async move {
            let user = ctx.client.user().await?;
            let out = profile_from_user(&user)?;
            let text = format!(
                "Name: {}\nEmail: {}\nAthlete ID: {}\nPremium: {}{}",
                out.name,
                out.email.as_deref().unwrap_or("(none)"),
                out.athlete_id,
                if out.premium { "Yes" } else { "No" },
                out.time_zone
                    .as_deref()
                    .map(|z| format!("\nTime zone: {z}"))
                    .unwrap_or_default(),
            );
            Ok((text, out))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn name_falls_back_to_first_and_last() {
        let out =
            profile_from_user(&json!({"userId": 5, "firstName": "A", "lastName": "B"})).unwrap();
        assert_eq!(out.name, "A B");
        assert!(!out.premium);
        assert!(profile_from_user(&json!({"firstName": "A"})).is_err());
    }
}
