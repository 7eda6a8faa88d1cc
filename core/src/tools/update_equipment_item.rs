//! `update_equipment_item`: change fields of one bike or shoe.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::args::Date;
use super::create_equipment::{check_common, metres};
use super::get_equipment::{EquipmentOut, EquipmentType, item_text, item_view};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::http::BoxFuture;
use crate::trainingpeaks::equipment::equipment_id;
use crate::trainingpeaks::settings::js_number;

/// Arguments of `update_equipment_item`; only the fields given change.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct UpdateEquipmentItemArgs {
    /// Equipment id (from get_equipment).
    pub equipment_id: i64,
    /// New name.
    #[serde(default)]
    pub name: Option<String>,
    /// New brand.
    #[serde(default)]
    pub brand: Option<String>,
    /// New model.
    #[serde(default)]
    pub model: Option<String>,
    /// New notes.
    #[serde(default)]
    pub notes: Option<String>,
    /// Purchase date, YYYY-MM-DD.
    #[serde(default)]
    pub date_of_purchase: Option<Date>,
    /// Retire (true) or bring back (false). Retiring without retired_date uses today;
    /// un-retiring clears the retirement date.
    #[serde(default)]
    pub retired: Option<bool>,
    /// Retirement date, YYYY-MM-DD.
    #[serde(default)]
    pub retired_date: Option<Date>,
    /// Make it (or stop it being) the default for new workouts.
    #[serde(default)]
    pub is_default: Option<bool>,
    /// Retirement threshold in **km**; 0 removes the limit.
    #[serde(default)]
    pub max_distance_km: Option<f64>,
    /// Wheels (bikes only).
    #[serde(default)]
    pub wheels: Option<String>,
    /// Crank length in **mm** (bikes only, 100–250).
    #[serde(default)]
    pub crank_length_mm: Option<f64>,
    /// Distance already on it when added, **km**.
    #[serde(default)]
    pub starting_distance_km: Option<f64>,
    /// Athlete (coaches); default: your own athlete.
    #[serde(default)]
    pub athlete_id: Option<i64>,
}

/// Result of `update_equipment_item`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UpdateEquipmentItemOutput {
    /// The item after the update.
    pub item: EquipmentOut,
}

/// The tool.
pub struct UpdateEquipmentItem;

/// "Equipment n not found" for the athlete, with what to do.
pub(crate) fn not_found(id: i64, aid: i64) -> ToolError {
    ToolError::Failed(format!(
        "Equipment {id} not found for athlete {aid}. Use get_equipment to list the ids."
    ))
}

impl TypedTool for UpdateEquipmentItem {
    type Args = UpdateEquipmentItemArgs;
    type Output = UpdateEquipmentItemOutput;
    const NAME: &'static str = "update_equipment_item";
    const DESCRIPTION: &'static str = "Update a bike or shoe by equipment_id (from get_equipment): name, brand, \
        model, notes, purchase date, retire/un-retire (retired_date YYYY-MM-DD, default today), default flag, \
        retirement threshold max_distance_km (0 = none), starting_distance_km, and for bikes wheels and \
        crank_length_mm. Only the fields given change.";
    const ANNOTATIONS: Annotations = Annotations::update("Update equipment");

    fn check(args: &Self::Args) -> Result<(), ToolError> {
        if args.equipment_id <= 0 {
            return Err(ToolError::invalid(
                "equipment_id",
                "must be a positive id from get_equipment",
            ));
        }
        if args.name.as_deref().is_some_and(|n| n.trim().is_empty()) {
            return Err(ToolError::invalid("name", "the name cannot be empty"));
        }
        let any = args.name.is_some()
            || args.brand.is_some()
            || args.model.is_some()
            || args.notes.is_some()
            || args.date_of_purchase.is_some()
            || args.retired.is_some()
            || args.retired_date.is_some()
            || args.is_default.is_some()
            || args.max_distance_km.is_some()
            || args.wheels.is_some()
            || args.crank_length_mm.is_some()
            || args.starting_distance_km.is_some();
        if !any {
            return Err(ToolError::invalid(
                "equipment_id",
                "nothing to change: give at least one field to update",
            ));
        }
        check_common(
            None,
            args.starting_distance_km,
            args.max_distance_km,
            args.wheels.as_deref(),
            args.crank_length_mm,
        )
    }

    fn run<'a>(
        &'a self,
        ctx: &'a ToolContext,
        args: Self::Args,
    ) -> BoxFuture<'a, Result<(String, Self::Output), ToolError>> {
        Box::pin(async move {
            let aid = ctx.client.athlete_id(args.athlete_id).await?;
            let mut items = ctx.client.equipment(aid).await?;
            let Some(item) = items
                .iter_mut()
                .find(|i| equipment_id(i) == Some(args.equipment_id))
            else {
                return Err(not_found(args.equipment_id, aid));
            };
            let kind = item
                .get("type")
                .and_then(Value::as_i64)
                .and_then(EquipmentType::from_code);
            check_common(
                kind,
                None,
                None,
                args.wheels.as_deref(),
                args.crank_length_mm,
            )?;
            let Some(obj) = item.as_object_mut() else {
                return Err(ToolError::Failed(format!(
                    "Equipment {} has an unexpected shape",
                    args.equipment_id
                )));
            };
            let mut set = |k: &str, v: Value| {
                obj.insert(k.to_string(), v);
            };
            if let Some(v) = &args.name {
                set("name", json!(v.trim()));
            }
            if let Some(v) = &args.brand {
                set("brand", json!(v));
            }
            if let Some(v) = &args.model {
                set("model", json!(v));
            }
            if let Some(v) = &args.notes {
                set("notes", json!(v));
            }
            if let Some(d) = args.date_of_purchase {
                set("dateOfPurchase", json!(format!("{d}T00:00:00")));
            }
            if let Some(r) = args.retired {
                set("retired", json!(r));
                if !r && args.retired_date.is_none() {
                    // The reference left the old date behind on un-retire; an active item with a
                    // retirement date is contradictory, so clear it.
                    set("retiredDate", json!(""));
                }
            }
            match args.retired_date {
                Some(d) => set("retiredDate", json!(format!("{d}T00:00:00"))),
                None if args.retired == Some(true) => set(
                    "retiredDate",
                    json!(format!("{}T00:00:00", ctx.clock().today())),
                ),
                None => {}
            }
            if let Some(v) = args.is_default {
                set("isDefault", json!(v));
            }
            if let Some(km) = args.max_distance_km {
                set(
                    "maxDistance",
                    if km > 0.0 { metres(km) } else { Value::Null },
                );
            }
            if let Some(v) = &args.wheels {
                set("wheels", json!(v));
            }
            if let Some(c) = args.crank_length_mm {
                set("crankLengthMillimeters", js_number(c));
            }
            if let Some(km) = args.starting_distance_km {
                set("startingDistance", metres(km));
            }
            let after = ctx.client.put_equipment(aid, &items).await?;
            let item = after
                .iter()
                .find(|i| equipment_id(i) == Some(args.equipment_id))
                .map(item_view)
                .ok_or_else(|| not_found(args.equipment_id, aid))?;
            Ok((
                format!("Equipment updated.\n{}", item_text(&item)),
                UpdateEquipmentItemOutput { item },
            ))
        })
    }
}
