//! `update_equipment_item`: change fields of one bike or shoe.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::shared::args::{AthleteId, Date};
use super::shared::equipment::{
    EquipmentOut, EquipmentType, check_common, item_text, item_view, not_found,
};
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::equipment::JsNum;
use crate::wire::{Day, Field};

/// The tool.
pub struct UpdateEquipmentItem;

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
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// Result of `update_equipment_item`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct UpdateEquipmentItemOutput {
    /// The item after the update.
    pub item: EquipmentOut,
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

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let mut items = ctx.client.equipment(aid).await?;
        let Some(item) = items.iter_mut().find(|i| i.id() == Some(args.equipment_id)) else {
            return Err(not_found(args.equipment_id, aid));
        };
        let kind = item.kind.val().and_then(EquipmentType::from_code);
        check_common(
            kind,
            None,
            None,
            args.wheels.as_deref(),
            args.crank_length_mm,
        )?;
        let metres = |km: f64| Field::Present(JsNum((km * 1000.0).round()));
        if let Some(v) = &args.name {
            item.name = Field::Present(v.trim().to_string());
        }
        if let Some(v) = &args.brand {
            item.brand = Field::Present(v.clone());
        }
        if let Some(v) = &args.model {
            item.model = Field::Present(v.clone());
        }
        if let Some(v) = &args.notes {
            item.notes = Field::Present(v.clone());
        }
        if let Some(d) = args.date_of_purchase {
            item.date_of_purchase = Field::Present(Day::midnight(d.0));
        }
        if let Some(r) = args.retired {
            item.retired = Field::Present(r);
            if !r && args.retired_date.is_none() {
                // The reference left the old date behind on un-retire; an active item with a
                // retirement date is contradictory, so clear it (the web app's "" for none).
                item.retired_date = Field::Unreadable(Box::new(Value::String(String::new())));
            }
        }
        match args.retired_date {
            Some(d) => item.retired_date = Field::Present(Day::midnight(d.0)),
            None if args.retired == Some(true) => {
                item.retired_date = Field::Present(Day::midnight(ctx.clock().today()));
            }
            None => {}
        }
        if let Some(v) = args.is_default {
            item.is_default = Field::Present(v);
        }
        if let Some(km) = args.max_distance_km {
            item.max_distance = if km > 0.0 { metres(km) } else { Field::Null };
        }
        if let Some(v) = &args.wheels {
            item.wheels = Field::Present(v.clone());
        }
        if let Some(c) = args.crank_length_mm {
            item.crank_length_millimeters = Field::Present(JsNum(c));
        }
        if let Some(km) = args.starting_distance_km {
            item.starting_distance = metres(km);
        }
        let after = ctx.client.put_equipment(aid, &items).await?;
        let item = after
            .iter()
            .find(|i| i.id() == Some(args.equipment_id))
            .map(item_view)
            .ok_or_else(|| not_found(args.equipment_id, aid))?;
        Ok((
            format!("Equipment updated.\n{}", item_text(&item)),
            UpdateEquipmentItemOutput { item },
        ))
    }
}
