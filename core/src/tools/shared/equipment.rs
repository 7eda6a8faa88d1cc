//! What the equipment tools share: the item type, the item's view and text, the checks of
//! the create and update arguments, and the not-found error.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::tools::ToolError;
use crate::trainingpeaks::equipment::{EQUIPMENT_BIKE, EQUIPMENT_SHOE, Equipment, num};
use crate::trainingpeaks::settings::js_number;
use crate::wire::text;

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
    super::zone_views::num(x)
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

/// Checks shared by create and update: km ≥ 0, crank in range, bike-only fields.
pub(crate) fn check_common(
    kind: Option<EquipmentType>,
    starting_km: Option<f64>,
    max_km: Option<f64>,
    wheels: Option<&str>,
    crank: Option<f64>,
) -> Result<(), ToolError> {
    for (field, v) in [
        ("starting_distance_km", starting_km),
        ("max_distance_km", max_km),
    ] {
        if let Some(v) = v
            && !(v.is_finite() && (0.0..=1_000_000.0).contains(&v))
        {
            return Err(ToolError::invalid(
                field,
                format!("{v} km is not valid; use a distance in km ≥ 0"),
            ));
        }
    }
    if let Some(c) = crank
        && !(c.is_finite() && (100.0..=250.0).contains(&c))
    {
        return Err(ToolError::invalid(
            "crank_length_mm",
            format!("{c} mm is not a crank length; use 100–250 mm, e.g. 172.5"),
        ));
    }
    if kind == Some(EquipmentType::Shoe) {
        if wheels.is_some() {
            return Err(ToolError::invalid(
                "wheels",
                "wheels and crank length are bike-only fields; omit them for shoes",
            ));
        }
        if crank.is_some() {
            return Err(ToolError::invalid(
                "crank_length_mm",
                "wheels and crank length are bike-only fields; omit them for shoes",
            ));
        }
    }
    Ok(())
}

/// Kilometres to whole metres.
pub(crate) fn metres(km: f64) -> Value {
    js_number((km * 1000.0).round())
}

/// "Equipment n not found" for the athlete, with what to do.
pub(crate) fn not_found(id: i64, aid: i64) -> ToolError {
    ToolError::Failed(format!(
        "Equipment {id} not found for athlete {aid}. Use get_equipment to list the ids."
    ))
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
