//! Custom items: charts, fields, zones and panels the athlete defines (spec §3.2 "Other").

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{IcuClient, IcuError, positive_id};
use crate::http::Method;
use crate::wire::{Field, LenientList, Rest, Stamp};

/// Item types the spec documents (reading keeps any other).
pub const ITEM_TYPES: &[&str] = &[
    "FITNESS_CHART",
    "FITNESS_TABLE",
    "TRACE_CHART",
    "INPUT_FIELD",
    "ACTIVITY_FIELD",
    "INTERVAL_FIELD",
    "ACTIVITY_STREAM",
    "ACTIVITY_CHART",
    "ACTIVITY_HISTOGRAM",
    "ACTIVITY_HEATMAP",
    "ACTIVITY_MAP",
    "ACTIVITY_PANEL",
    "ZONES",
];

/// Visibilities the spec documents.
pub const VISIBILITIES: &[&str] = &["PRIVATE", "FOLLOWERS", "PUBLIC"];

/// One custom item (spec `CustomItem`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct CustomItem {
    /// The id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    /// The owner.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub athlete_id: Field<String>,
    /// Type (see [`ITEM_TYPES`]); unknown ones kept.
    #[serde(rename = "type", skip_serializing_if = "Field::is_absent")]
    pub kind: Field<String>,
    /// Visibility.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub visibility: Field<String>,
    /// Name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// Description.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub description: Field<String>,
    /// The definition, as sent.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub content: Field<Value>,
    /// Position in the athlete's list.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub index: Field<i64>,
    /// Last change.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub updated: Field<Stamp>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// What a create or update sends; `None` is not sent.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CustomItemWrite {
    /// Type, one of [`ITEM_TYPES`]; required to create.
    pub kind: Option<String>,
    /// Name; required to create.
    pub name: Option<String>,
    /// Description.
    pub description: Option<String>,
    /// The definition: a JSON object (the seed also took a JSON string; parse it first).
    pub content: Option<Value>,
    /// One of [`VISIBILITIES`].
    pub visibility: Option<String>,
}

impl CustomItemWrite {
    /// The body; errors name the field.
    pub fn body(&self, creating: bool) -> Result<Value, IcuError> {
        let bad = |f: &str, message: String| IcuError::InvalidInput {
            field: f.into(),
            message,
        };
        let mut m = Map::new();
        match &self.kind {
            Some(k) if ITEM_TYPES.contains(&k.as_str()) => {
                m.insert("type".into(), json!(k));
            }
            Some(k) => {
                return Err(bad(
                    "item_type",
                    format!(
                        "{k:?} is not a custom item type; use one of {}",
                        ITEM_TYPES.join(", ")
                    ),
                ));
            }
            None if creating => return Err(bad("item_type", "a new item needs a type".into())),
            None => {}
        }
        match &self.name {
            Some(n) if n.trim().is_empty() => {
                return Err(bad("name", "the name must not be empty".into()));
            }
            Some(n) => {
                m.insert("name".into(), json!(n));
            }
            None if creating => return Err(bad("name", "a new item needs a name".into())),
            None => {}
        }
        if let Some(d) = &self.description {
            m.insert("description".into(), json!(d));
        }
        if let Some(c) = &self.content {
            if !c.is_object() {
                return Err(bad("content", "the content must be a JSON object".into()));
            }
            m.insert("content".into(), c.clone());
        }
        if let Some(v) = &self.visibility {
            if !VISIBILITIES.contains(&v.as_str()) {
                return Err(bad(
                    "visibility",
                    format!(
                        "{v:?} is not a visibility; use one of {}",
                        VISIBILITIES.join(", ")
                    ),
                ));
            }
            m.insert("visibility".into(), json!(v));
        }
        if !creating && m.is_empty() {
            return Err(bad("update", "nothing to change".into()));
        }
        Ok(Value::Object(m))
    }
}

impl IcuClient {
    /// `GET /api/v1/athlete/{id}/custom-item`.
    pub async fn custom_items(&self, athlete: Option<&str>) -> Result<Vec<CustomItem>, IcuError> {
        let a = self.athlete(athlete)?;
        let LenientList(list) = self
            .get(&format!("/api/v1/athlete/{a}/custom-item"))
            .await?;
        Ok(list)
    }

    /// `GET /api/v1/athlete/{id}/custom-item/{itemId}`.
    pub async fn custom_item(
        &self,
        athlete: Option<&str>,
        item_id: i64,
    ) -> Result<CustomItem, IcuError> {
        let a = self.athlete(athlete)?;
        let id = positive_id("item_id", item_id)?;
        self.get(&format!("/api/v1/athlete/{a}/custom-item/{id}"))
            .await
    }

    /// `POST /api/v1/athlete/{id}/custom-item`.
    pub async fn create_custom_item(
        &self,
        athlete: Option<&str>,
        item: &CustomItemWrite,
    ) -> Result<CustomItem, IcuError> {
        let a = self.athlete(athlete)?;
        let body = item.body(true)?;
        self.request(
            Method::Post,
            &format!("/api/v1/athlete/{a}/custom-item"),
            Some(&body),
        )
        .await
    }

    /// `PUT /api/v1/athlete/{id}/custom-item/{itemId}` with only the fields set.
    pub async fn update_custom_item(
        &self,
        athlete: Option<&str>,
        item_id: i64,
        item: &CustomItemWrite,
    ) -> Result<CustomItem, IcuError> {
        let a = self.athlete(athlete)?;
        let id = positive_id("item_id", item_id)?;
        let body = item.body(false)?;
        self.request(
            Method::Put,
            &format!("/api/v1/athlete/{a}/custom-item/{id}"),
            Some(&body),
        )
        .await
    }

    /// `DELETE /api/v1/athlete/{id}/custom-item/{itemId}`.
    pub async fn delete_custom_item(
        &self,
        athlete: Option<&str>,
        item_id: i64,
    ) -> Result<(), IcuError> {
        let a = self.athlete(athlete)?;
        let id = positive_id("item_id", item_id)?;
        self.request_json(
            Method::Delete,
            &format!("/api/v1/athlete/{a}/custom-item/{id}"),
            None,
        )
        .await?;
        Ok(())
    }
}
