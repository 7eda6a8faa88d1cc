//! `create_equipment`: add a bike or a pair of shoes.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::json;

use super::shared::args::{AthleteId, Date};
use super::shared::equipment::{EquipmentOut, EquipmentType, item_text, item_view};
use super::shared::equipment::{check_common, metres};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::equipment::Equipment;
use crate::trainingpeaks::settings::js_number;
use crate::wire::Day;

/// The tool.
pub struct CreateEquipment;

/// Arguments of `create_equipment`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct CreateEquipmentArgs {
    /// Name, e.g. "Road bike" or "Pegasus 40".
    pub name: String,
    /// `bike` or `shoe`.
    #[serde(rename = "type")]
    pub kind: EquipmentType,
    /// Brand, e.g. "Canyon".
    #[serde(default)]
    pub brand: Option<String>,
    /// Model, e.g. "Ultimate CF SL 8".
    #[serde(default)]
    pub model: Option<String>,
    /// Free-text notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// Purchase date, YYYY-MM-DD (default: today).
    #[serde(default)]
    pub date_of_purchase: Option<Date>,
    /// Distance already on it when added, **km** (≥ 0), e.g. 1200.
    #[serde(default)]
    pub starting_distance_km: Option<f64>,
    /// Retirement threshold in **km** (> 0), e.g. 800 for shoes; omit or 0 for no limit.
    #[serde(default)]
    pub max_distance_km: Option<f64>,
    /// Make it the default for new workouts.
    #[serde(default)]
    pub is_default: Option<bool>,
    /// Wheels (bikes only), e.g. "DT Swiss ARC 1400".
    #[serde(default)]
    pub wheels: Option<String>,
    /// Crank length in **mm** (bikes only, 100–250), e.g. 172.5.
    #[serde(default)]
    pub crank_length_mm: Option<f64>,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `create_equipment`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct CreateEquipmentOutput {
    /// The created item.
    pub item: EquipmentOut,
}

impl TypedTool for CreateEquipment {
    type Args = CreateEquipmentArgs;
    type Output = CreateEquipmentOutput;
    const NAME: &'static str = "create_equipment";
    const DESCRIPTION: &'static str = "Add a bike or a pair of shoes. Distances in km (stored in metres): \
        starting_distance_km already on it, max_distance_km retirement threshold (omit for none). Wheels and \
        crank_length_mm (mm) are for bikes only. date_of_purchase YYYY-MM-DD, default today.";
    const ANNOTATIONS: Annotations = Annotations::create("Add equipment");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        if args.name.trim().is_empty() {
            return Err(ToolError::invalid(
                "name",
                "give the equipment a name, e.g. \"Road bike\"",
            ));
        }
        check_common(
            Some(args.kind),
            args.starting_distance_km,
            args.max_distance_km,
            args.wheels.as_deref(),
            args.crank_length_mm,
        )
    }

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let mut items = ctx.client.equipment(aid).await?;
        let before: Vec<i64> = items.iter().filter_map(Equipment::id).collect();
        let purchased = args
            .date_of_purchase
            .map_or_else(|| ctx.clock().today(), |d| d.0);
        // The web app's new-item shape (spec §8.2, REF/MARS defaults: crank 172.5, retiredDate "").
        let new = json!({
            "equipmentId": null,
            "name": args.name.trim(),
            "notes": args.notes,
            "brand": args.brand,
            "model": args.model,
            "dateOfPurchase": Day::midnight(purchased),
            "athleteId": aid,
            "retired": false,
            "retiredDate": "",
            "isDefault": args.is_default.unwrap_or(false),
            "startingDistance": metres(args.starting_distance_km.unwrap_or(0.0)),
            "actualDistance": null,
            "crankLengthMillimeters": js_number(args.crank_length_mm.unwrap_or(172.5)),
            "wheels": args.wheels,
            "maxDistance": args.max_distance_km.filter(|m| *m > 0.0).map(metres),
            "type": args.kind.code(),
        });
        // Read through the wire struct so the array is sent in one type; every value
        // above reads back as itself.
        items.push(crate::wire::read(&new).map_err(|e| {
            ToolError::Failed(format!("could not build the new equipment item: {e}"))
        })?);
        let after = ctx.client.put_equipment(aid, &items).await?;
        let created = after
            .iter()
            .find(|i| i.id().is_some_and(|id| !before.contains(&id)))
            .ok_or_else(|| {
                ToolError::Failed(
                    "TrainingPeaks accepted the equipment list but returned no new item; check get_equipment \
                     before retrying (it may have been created)."
                        .into(),
                )
            })?;
        let item = item_view(created);
        Ok((
            format!("Equipment created.\n{}", item_text(&item)),
            CreateEquipmentOutput { item },
        ))
    }
}
