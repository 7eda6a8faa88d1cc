//! `delete_availability`: removes an availability entry.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::AthleteId;
use super::shared::calendar::positive_id;
use super::{Annotations, ToolContext, ToolError, TypedTool};

/// The `delete_availability` tool.
#[derive(Debug)]
pub struct DeleteAvailability;

/// Arguments of `delete_availability`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct DeleteAvailabilityArgs {
    /// Availability entry id (from `get_availability` or `create_availability`).
    pub availability_id: i64,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `delete_availability`.
#[derive(Debug, Serialize, JsonSchema)]
pub struct DeleteAvailabilityOutput {
    /// The deleted entry's id.
    pub availability_id: i64,
    /// Always true on success.
    pub deleted: bool,
}

impl TypedTool for DeleteAvailability {
    type Args = DeleteAvailabilityArgs;
    type Output = DeleteAvailabilityOutput;
    const NAME: &'static str = "delete_availability";
    const DESCRIPTION: &'static str =
        "Delete an availability entry by id, making those days available again. Cannot be undone.";
    const ANNOTATIONS: Annotations = Annotations::delete("Delete availability");

    fn check(a: &Self::Args) -> Result<(), ToolError> {
        positive_id("availability_id", a.availability_id)
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        a: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = a.athlete_id.resolve(ctx).await?;
        ctx.client
            .delete_availability(aid, a.availability_id)
            .await?;
        Ok((
            format!("Availability entry {} deleted.", a.availability_id),
            DeleteAvailabilityOutput {
                availability_id: a.availability_id,
                deleted: true,
            },
        ))
    }
}
