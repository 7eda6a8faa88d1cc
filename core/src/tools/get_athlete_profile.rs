//! `get_athlete_profile`: who is signed in (tool 1, spec tools §A).

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::{TpError, User};

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

impl TypedTool for GetAthleteProfile {
    type Args = GetAthleteProfileArgs;
    type Output = GetAthleteProfileOutput;
    const NAME: &'static str = "get_athlete_profile";
    const DESCRIPTION: &'static str = "Get the signed-in TrainingPeaks user's profile: name, email, athlete id \
(used as `athlete_id` by coaches), premium status and time zone.";
    const ANNOTATIONS: Annotations = Annotations::read("Get athlete profile");

    async fn run(
        &self,
        ctx: &ToolContext,
        _args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
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
    }
}

/// Builds the output from the `/users/v3/user` `user` object.
pub(crate) fn profile_from_user(user: &User) -> Result<GetAthleteProfileOutput, ToolError> {
    let athlete_id = user
        .user_id
        .require("signed-in user", "userId")
        .map_err(TpError::from)?;
    Ok(GetAthleteProfileOutput {
        athlete_id,
        person_id: user.person_id.val(),
        name: user.name(),
        email: user.email(),
        premium: user.is_premium(),
        time_zone: user.time_zone(),
        roster_size: user.roster().len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn user(v: serde_json::Value) -> User {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn name_falls_back_to_first_and_last() {
        let out = profile_from_user(&user(
            json!({"userId": 5, "firstName": "A", "lastName": "B"}),
        ))
        .unwrap();
        assert_eq!(out.name, "A B");
        assert!(!out.premium);
        let err = profile_from_user(&user(json!({"firstName": "A"}))).unwrap_err();
        assert!(err.to_string().contains("`userId`"), "{err}");
    }
}
