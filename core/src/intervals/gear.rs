//! Gear: bikes, shoes and their components (spec §3.2 "Gear").

use serde::{Deserialize, Serialize};

use super::{IcuClient, IcuError};
use crate::wire::{Field, LenientList, Rest};

/// One piece of gear (spec `Gear`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Gear {
    /// The id, e.g. `b1234`.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
    /// `Bike`, `Shoes`, or one of 40-odd component types (unknown ones kept).
    #[serde(rename = "type", skip_serializing_if = "Field::is_absent")]
    pub kind: Field<String>,
    /// Name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// Distance, metres, including the starting distance.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub distance: Field<f64>,
    /// Time used, seconds.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub time: Field<f64>,
    /// Activities it was used on.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub activities: Field<i64>,
    /// When retired (a date in the spec; the seed read it as a flag), as sent.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub retired: Field<String>,
    /// Whether it is a component of other gear.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub component: Field<bool>,
    /// Everything else (reminders, component ids), kept.
    #[serde(flatten)]
    pub rest: Rest,
}

impl IcuClient {
    /// `GET /api/v1/athlete/{id}/gear`: every item, retired ones too.
    pub async fn gear(&self, athlete: Option<&str>) -> Result<Vec<Gear>, IcuError> {
        let a = self.athlete(athlete)?;
        let LenientList(list) = self.get(&format!("/api/v1/athlete/{a}/gear")).await?;
        Ok(list)
    }
}
