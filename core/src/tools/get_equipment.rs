//! `get_equipment`: bikes and shoes with their distances (km) and retirement status.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::shared::args::AthleteId;
use super::{Annotations, ToolContext, ToolError, TypedTool};
use crate::trainingpeaks::equipment::{EQUIPMENT_BIKE, EQUIPMENT_SHOE, Equipment, num};
use crate::wire::text;

/// Which equipment to list.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EquipmentFilter {
    /// Bikes and shoes.
    #[default]
    All,
    /// Bikes only.
    Bike,
    /// Shoes only.
    Shoe,
}

/// A bike or a shoe.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum EquipmentType {
    /// A bike (`type` 1).
    Bike,
    /// Running shoes (`type` 2).
    Shoe,
}

impl EquipmentType {
    /// The wire code.
    pub fn code(self) -> i64 {
        match self {
            EquipmentType::Bike => EQUIPMENT_BIKE,
            EquipmentType::Shoe => EQUIPMENT_SHOE,
        }
    }

    /// From the wire code.
    pub fn from_code(code: i64) -> Option<Self> {
        match code {
            EQUIPMENT_BIKE => Some(EquipmentType::Bike),
            EQUIPMENT_SHOE => Some(EquipmentType::Shoe),
            _ => None,
        }
    }
}

/// Arguments of `get_equipment`.
#[derive(Debug, Deserialize, JsonSchema)]
pub struct GetEquipmentArgs {
    /// `bike`, `shoe` or `all` (default).
    #[serde(default, rename = "type")]
    pub kind: EquipmentFilter,
    #[serde(default)]
    pub athlete_id: AthleteId,
}

/// One item, distances in kilometres.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct EquipmentOut {
    /// Equipment id.
    pub id: Option<i64>,
    /// Bike or shoe (null for an unknown type code).
    #[serde(rename = "type")]
    pub kind: Option<EquipmentType>,
    /// Name.
    pub name: String,
    /// Brand.
    pub brand: Option<String>,
    /// Model.
    pub model: Option<String>,
    /// Notes.
    pub notes: Option<String>,
    /// Purchase date, YYYY-MM-DD.
    pub date_of_purchase: Option<String>,
    /// Whether retired.
    pub retired: bool,
    /// Retirement date, YYYY-MM-DD.
    pub retired_date: Option<String>,
    /// Whether it is the default for new workouts.
    pub is_default: bool,
    /// Distance it had when added, km.
    pub starting_distance_km: f64,
    /// Distance logged in TrainingPeaks, km.
    pub logged_distance_km: f64,
    /// Total = starting + logged, km.
    pub total_distance_km: f64,
    /// Retirement threshold, km (null = no limit).
    pub max_distance_km: Option<f64>,
    /// Kilometres left before the threshold (negative = overdue); null without a threshold.
    pub remaining_km: Option<f64>,
    /// Wheels (bikes).
    pub wheels: Option<String>,
    /// Crank length, mm (bikes).
    pub crank_length_mm: Option<f64>,
}

/// The tool.
pub struct GetEquipment;

fn km(m: f64) -> f64 {
    (m / 100.0).round() / 10.0
}

/// The view of one wire item. Unknown distances count as 0 in the totals (as the web app
/// shows them) and as null on their own.
pub(crate) fn item_view(v: &Equipment) -> EquipmentOut {
    let starting = num(&v.starting_distance).unwrap_or(0.0);
    let logged = num(&v.actual_distance).unwrap_or(0.0);
    let max = num(&v.max_distance).filter(|m| *m > 0.0);
    let kind = v.kind.val().and_then(EquipmentType::from_code);
    let bike = kind == Some(EquipmentType::Bike);
    EquipmentOut {
        id: v.id(),
        kind,
        name: text(&v.name).unwrap_or_else(|| "(unnamed)".into()),
        brand: text(&v.brand),
        model: text(&v.model),
        notes: text(&v.notes),
        date_of_purchase: v.date_of_purchase.get().map(|d| d.date().to_string()),
        retired: v.retired.val().unwrap_or(false),
        retired_date: v.retired_date.get().map(|d| d.date().to_string()),
        is_default: v.is_default.val().unwrap_or(false),
        starting_distance_km: km(starting),
        logged_distance_km: km(logged),
        total_distance_km: km(starting + logged),
        max_distance_km: max.map(km),
        remaining_km: max.map(|m| km(m - starting - logged)),
        wheels: if bike { text(&v.wheels) } else { None },
        crank_length_mm: if bike {
            num(&v.crank_length_millimeters)
        } else {
            None
        },
    }
}

fn n(x: f64) -> String {
    super::shared::zone_views::num(x)
}

/// Text lines for one item.
pub(crate) fn item_text(e: &EquipmentOut) -> String {
    let kind = match e.kind {
        Some(EquipmentType::Bike) => "Bike",
        Some(EquipmentType::Shoe) => "Shoe",
        None => "Item",
    };
    let mut head = format!("[{kind}] {}", e.name);
    if e.retired {
        head.push_str(" (retired)");
    }
    if e.is_default {
        head.push_str(" ★ default");
    }
    let mut lines = vec![head];
    let bm: Vec<&str> = [e.brand.as_deref(), e.model.as_deref()]
        .into_iter()
        .flatten()
        .collect();
    if !bm.is_empty() {
        lines.push(format!("  {}", bm.join(" ")));
    }
    lines.push(format!(
        "  Distance: {} km total ({} km logged + {} km starting)",
        n(e.total_distance_km),
        n(e.logged_distance_km),
        n(e.starting_distance_km)
    ));
    if let (Some(max), Some(rem)) = (e.max_distance_km, e.remaining_km) {
        if rem >= 0.0 {
            lines.push(format!(
                "  Retirement threshold: {} km — {} km remaining",
                n(max),
                n(rem)
            ));
        } else {
            lines.push(format!(
                "  Retirement threshold: {} km — OVERDUE by {} km",
                n(max),
                n(-rem)
            ));
        }
    }
    if let Some(d) = &e.date_of_purchase {
        lines.push(format!("  Purchased: {d}"));
    }
    if let Some(d) = e.retired_date.as_ref().filter(|_| e.retired) {
        lines.push(format!("  Retired: {d}"));
    }
    if let Some(w) = &e.wheels {
        lines.push(format!("  Wheels: {w}"));
    }
    if let Some(c) = e.crank_length_mm {
        lines.push(format!("  Crank: {} mm", n(c)));
    }
    if let Some(notes) = &e.notes {
        lines.push(format!("  Notes: {notes}"));
    }
    if let Some(id) = e.id {
        lines.push(format!("  ID: {id}"));
    }
    lines.join("\n")
}

/// Result of `get_equipment`.
#[derive(Debug, Clone, Serialize, JsonSchema)]
pub struct GetEquipmentOutput {
    /// The items.
    pub items: Vec<EquipmentOut>,
}

impl TypedTool for GetEquipment {
    type Args = GetEquipmentArgs;
    type Output = GetEquipmentOutput;
    const NAME: &'static str = "get_equipment";
    const DESCRIPTION: &'static str = "List the athlete's bikes and shoes with total distance in km (logged in \
        TrainingPeaks + starting distance), retirement threshold and km remaining, purchase date, wheels and crank \
        length. type: bike, shoe or all (default).";
    const ANNOTATIONS: Annotations = Annotations::read("Get equipment");

    async fn run(
        &self,
        ctx: &ToolContext,
        args: Self::Args,
    ) -> Result<(String, Self::Output), ToolError> {
        let aid = args.athlete_id.resolve(ctx).await?;
        let items: Vec<EquipmentOut> = ctx
            .client
            .equipment(aid)
            .await?
            .iter()
            .map(item_view)
            .filter(|e| match args.kind {
                EquipmentFilter::All => true,
                EquipmentFilter::Bike => e.kind == Some(EquipmentType::Bike),
                EquipmentFilter::Shoe => e.kind == Some(EquipmentType::Shoe),
            })
            .collect();
        let text = if items.is_empty() {
            "No equipment found.".to_string()
        } else {
            items.iter().map(item_text).collect::<Vec<_>>().join("\n\n")
        };
        Ok((text, GetEquipmentOutput { items }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn drifted_item_shows_the_same_as_a_clean_one() {
        let clean: Equipment = serde_json::from_value(json!({"equipmentId": 7, "type": 1, "name": "Bike",
            "startingDistance": 1000, "actualDistance": 2000, "maxDistance": 10000, "dateOfPurchase": "2024-03-16T00:00:00",
            "crankLengthMillimeters": 172.5, "retiredDate": ""}))
        .unwrap();
        let drifted: Equipment = serde_json::from_value(json!({"equipmentId": "7", "type": "1", "name": "Bike",
            "startingDistance": "1000", "actualDistance": 2000.0, "maxDistance": "10000", "dateOfPurchase": "2024-03-16",
            "crankLengthMillimeters": "172.5", "retiredDate": null}))
        .unwrap();
        let (a, b) = (item_view(&clean), item_view(&drifted));
        assert_eq!(
            serde_json::to_value(&a).unwrap(),
            serde_json::to_value(&b).unwrap()
        );
        assert_eq!(
            (a.id, a.kind, a.remaining_km),
            (Some(7), Some(EquipmentType::Bike), Some(7.0))
        );
        assert_eq!(a.date_of_purchase.as_deref(), Some("2024-03-16"));
        assert_eq!(a.retired_date, None);
        let odd: Equipment = serde_json::from_value(json!({"type": 9, "name": null})).unwrap();
        let o = item_view(&odd);
        assert_eq!((o.id, o.kind, o.name.as_str()), (None, None, "(unnamed)"));
    }
}
