//! Equipment: bikes and shoes (spec §8.2). Every write is GET the full array → modify →
//! `PUT` the full array; items stay JSON values so fields we do not model survive.

use serde_json::Value;

use super::{Api, TpClient, TpError};
use crate::http::Method;

/// Equipment `type` code for a bike.
pub const EQUIPMENT_BIKE: i64 = 1;
/// Equipment `type` code for shoes.
pub const EQUIPMENT_SHOE: i64 = 2;

impl TpClient {
    /// `GET /fitness/v1/athletes/{aid}/equipment`: every item (bikes and shoes, retired too).
    pub async fn equipment(&self, athlete_id: i64) -> Result<Vec<Value>, TpError> {
        let path = format!("/fitness/v1/athletes/{athlete_id}/equipment");
        match self.get_json(Api::Tp, &path).await? {
            Value::Null => Ok(Vec::new()),
            Value::Array(items) => Ok(items),
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
        items: &[Value],
    ) -> Result<Vec<Value>, TpError> {
        let path = format!("/fitness/v1/athletes/{athlete_id}/equipment");
        let body = Value::Array(items.to_vec());
        match self
            .request_json(Method::Put, Api::Tp, &path, Some(&body))
            .await?
        {
            Value::Array(items) => Ok(items),
            // A bodiless success: read the array back so callers can find new ids.
            Value::Null => self.equipment(athlete_id).await,
            _ => Err(TpError::Decode {
                path,
                message: "expected an array of equipment".into(),
            }),
        }
    }
}

/// An item's `equipmentId`.
pub fn equipment_id(item: &Value) -> Option<i64> {
    item.get("equipmentId").and_then(Value::as_i64)
}
