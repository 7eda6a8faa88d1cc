//! Equipment: bikes and shoes (spec §8.2). Every write is GET the full array → modify →
//! `PUT` the full array, so [`Equipment`] keeps every field it does not model.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Api, TpClient, TpError};
use crate::http::Method;
pub use crate::wire::JsNum;
use crate::wire::{Day, Field, Rest, list_of};

/// Equipment `type` code for a bike.
pub const EQUIPMENT_BIKE: i64 = 1;
/// Equipment `type` code for shoes.
pub const EQUIPMENT_SHOE: i64 = 2;

/// One bike or pair of shoes (REF's and the 2014 web app's field set).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Equipment {
    /// The id (`null` on a new item; the server assigns one). Vital for update and delete.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub equipment_id: Field<i64>,
    /// Name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// Notes.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub notes: Field<String>,
    /// Brand.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub brand: Field<String>,
    /// Model.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub model: Field<String>,
    /// Purchase day, `YYYY-MM-DDT00:00:00`.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub date_of_purchase: Field<Day>,
    /// The athlete.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub athlete_id: Field<i64>,
    /// Whether retired.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub retired: Field<bool>,
    /// Retirement day; the web app writes `""` for none (kept as it came).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub retired_date: Field<Day>,
    /// Whether it is the default for new workouts.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub is_default: Field<bool>,
    /// Distance it had when added, metres.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub starting_distance: Field<JsNum>,
    /// Distance logged in TrainingPeaks, metres (server-computed).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub actual_distance: Field<JsNum>,
    /// Crank length, mm (bikes).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub crank_length_millimeters: Field<JsNum>,
    /// Wheels (bikes).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub wheels: Field<String>,
    /// Retirement threshold, metres (null or 0 = none).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub max_distance: Field<JsNum>,
    /// 1 bike, 2 shoe; another code is kept and shown as an unknown item.
    #[serde(rename = "type", skip_serializing_if = "Field::is_absent")]
    pub kind: Field<i64>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(Equipment);

impl Equipment {
    /// The id, if readable.
    pub fn id(&self) -> Option<i64> {
        self.equipment_id.val()
    }
}

/// A number field, if readable.
pub fn num(f: &Field<JsNum>) -> Option<f64> {
    f.val().map(|n| n.0)
}

impl TpClient {
    /// `GET /fitness/v1/athletes/{aid}/equipment`: every item (bikes and shoes, retired too);
    /// entries that are not objects are skipped.
    pub async fn equipment(&self, athlete_id: i64) -> Result<Vec<Equipment>, TpError> {
        let path = format!("/fitness/v1/athletes/{athlete_id}/equipment");
        match self.get_json(Api::Tp, &path).await? {
            Value::Null => Ok(Vec::new()),
            v @ Value::Array(_) => Ok(list_of(v)),
            _ => Err(TpError::Decode {
                path,
                message: "expected an array of equipment".into(),
            }),
        }
    }

    /// `PUT /fitness/v1/athletes/{aid}/equipment` with the **full** array (a new item has
    /// `equipmentId: null`; the server assigns ids). Returns the server's new array.
    pub async fn put_equipment(
        &self,
        athlete_id: i64,
        items: &[Equipment],
    ) -> Result<Vec<Equipment>, TpError> {
        let path = format!("/fitness/v1/athletes/{athlete_id}/equipment");
        let body = serde_json::to_value(items).map_err(|e| TpError::InvalidInput {
            field: "equipment".into(),
            message: e.to_string(),
        })?;
        match self
            .request_json(Method::Put, Api::Tp, &path, Some(&body))
            .await?
        {
            v @ Value::Array(_) => Ok(list_of(v)),
            // A bodiless success: read the array back so callers can find new ids.
            Value::Null => self.equipment(athlete_id).await,
            _ => Err(TpError::Decode {
                path,
                message: "expected an array of equipment".into(),
            }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn drifted_item_reads_and_goes_back_whole() {
        let raw = json!({"equipmentId": "3000000482", "name": "Road bike", "type": 1.0,
            "startingDistance": "1200000", "actualDistance": 8234500.0, "maxDistance": null,
            "crankLengthMillimeters": 172.5, "retiredDate": "", "dateOfPurchase": "2024-03-16T00:00:00",
            "retired": "false", "zzNewThing": {"x": 1}});
        let e: Equipment = serde_json::from_value(raw).unwrap();
        assert_eq!(e.id(), Some(3_000_000_482));
        assert_eq!(e.kind.val(), Some(EQUIPMENT_BIKE));
        assert_eq!(num(&e.starting_distance), Some(1_200_000.0));
        assert_eq!(e.retired.val(), Some(false));
        assert!(e.retired_date.get().is_none());
        let back = serde_json::to_value(&e).unwrap();
        // Integral distances go back as integers, as the web app writes them; what could
        // not be read (the empty retirement date) and unknown fields go back unchanged.
        assert_eq!(back["startingDistance"], json!(1_200_000));
        assert_eq!(back["actualDistance"], json!(8_234_500));
        assert_eq!(back["crankLengthMillimeters"], json!(172.5));
        assert_eq!(back["retiredDate"], json!(""));
        assert_eq!(back["maxDistance"], Value::Null);
        assert_eq!(back["zzNewThing"], json!({"x": 1}));
    }

    #[test]
    fn missing_id_is_named() {
        let e: Equipment = serde_json::from_value(json!({"name": "x"})).unwrap();
        let err = e
            .equipment_id
            .require("equipment", "equipmentId")
            .unwrap_err();
        assert!(err.to_string().contains("`equipmentId`"), "{err}");
    }
}
