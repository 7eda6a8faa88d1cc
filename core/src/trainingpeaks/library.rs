//! Workout libraries (templates): `/exerciselibrary/...` on tpapi (spec §9.2).
//!
//! Items are handled as raw JSON objects so that a GET → merge → PUT round trip keeps every
//! field the server sent, including ones this client does not know; [`LibraryItem`] is a typed
//! *view* for display. Library item structures are nested **objects** on GET, POST and PUT
//! (spec §10.1), unlike calendar workouts.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{Api, TpClient, TpError, from_value};
use crate::http::Method;

/// One library folder (`GET /exerciselibrary/v2/libraries`).
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Library {
    /// The library id.
    pub exercise_library_id: i64,
    /// Its name.
    #[serde(default)]
    pub library_name: String,
    /// Owner's person id.
    #[serde(default)]
    pub owner_id: Option<i64>,
    /// Owner's display name.
    #[serde(default)]
    pub owner_name: Option<String>,
    /// Thumbnail URL.
    #[serde(default)]
    pub image_url: Option<String>,
    /// `true` for TrainingPeaks' built-in libraries (read-only), `false` for the user's own.
    #[serde(default)]
    pub is_default_content: bool,
}

/// A typed view of one library item (`GET /exerciselibrary/v2/libraries/{id}/items`).
/// Durations in hours, distances in metres, energy in kJ.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct LibraryItem {
    /// The library holding it.
    #[serde(default)]
    pub exercise_library_id: i64,
    /// The item id.
    pub exercise_library_item_id: i64,
    /// Always `WorkoutTemplate` for workout templates.
    #[serde(default)]
    pub exercise_library_item_type: Option<String>,
    /// The template's name.
    #[serde(default)]
    pub item_name: Option<String>,
    /// Sport (`workoutTypeId`, NOT `workoutTypeValueId` as on workouts; spec §4).
    #[serde(default)]
    pub workout_type_id: Option<i64>,
    /// Sub-sport (`workoutSubTypeId`).
    #[serde(default)]
    pub workout_sub_type_id: Option<i64>,
    /// Planned duration, hours.
    #[serde(default)]
    pub total_time_planned: Option<f64>,
    /// Planned TSS.
    #[serde(default)]
    pub tss_planned: Option<f64>,
    /// Planned intensity factor.
    #[serde(default)]
    pub if_planned: Option<f64>,
    /// Planned distance, metres.
    #[serde(default)]
    pub distance_planned: Option<f64>,
    /// Planned speed, m/s.
    #[serde(default)]
    pub velocity_planned: Option<f64>,
    /// Planned energy, kJ.
    #[serde(default)]
    pub energy_planned: Option<f64>,
    /// Description shown to the athlete.
    #[serde(default)]
    pub description: Option<String>,
    /// Coach comments.
    #[serde(default)]
    pub coach_comments: Option<String>,
    /// The interval structure (object) or null.
    #[serde(default)]
    pub structure: Option<Value>,
}

impl LibraryItem {
    /// Decodes the typed view of a raw item.
    pub fn from_json(v: &Value) -> Result<Self, TpError> {
        from_value(v.clone(), "/exerciselibrary/v2/libraries/{id}/items")
    }
}

/// Maps a 404 to a "library N not found" error a person can act on.
fn library_404(e: TpError, library_id: i64) -> TpError {
    match e {
        TpError::NotFound { method, path, .. } => TpError::NotFound {
            what: format!("Library {library_id}"),
            method,
            path,
        },
        other => other,
    }
}

fn item_404(e: TpError, library_id: i64, item_id: i64) -> TpError {
    match e {
        TpError::NotFound { method, path, .. } => TpError::NotFound {
            what: format!("Library item {item_id} in library {library_id}"),
            method,
            path,
        },
        other => other,
    }
}

impl TpClient {
    /// Every library the user can see: their own and TrainingPeaks' default ones.
    pub async fn libraries(&self) -> Result<Vec<Library>, TpError> {
        self.get(Api::Tp, "/exerciselibrary/v2/libraries").await
    }

    /// The raw items of one library.
    pub async fn library_items(&self, library_id: i64) -> Result<Vec<Value>, TpError> {
        let path = format!("/exerciselibrary/v2/libraries/{library_id}/items");
        let v = self
            .get_json(Api::Tp, &path)
            .await
            .map_err(|e| library_404(e, library_id))?;
        match v {
            Value::Array(items) => Ok(items),
            Value::Null => Ok(Vec::new()),
            other => Err(TpError::Decode {
                path,
                message: format!("expected an array of items, got {other}"),
            }),
        }
    }

    /// One raw item. There is no single-item GET (spec §9.2), so this filters the list.
    pub async fn library_item(&self, library_id: i64, item_id: i64) -> Result<Value, TpError> {
        let items = self.library_items(library_id).await?;
        items
            .into_iter()
            .find(|i| i.get("exerciseLibraryItemId").and_then(Value::as_i64) == Some(item_id))
            .ok_or_else(|| TpError::NotFound {
                what: format!("Library item {item_id} in library {library_id}"),
                method: Method::Get,
                path: format!("/exerciselibrary/v2/libraries/{library_id}/items"),
            })
    }

    /// Creates a library folder.
    ///
    /// Body `{ libraryName }` as REF sends it; JM also sends `ownerId` (spec §9.2). The
    /// minimal body is the safest reading: REF's works, and the server knows the owner from
    /// the token.
    pub async fn create_library(&self, name: &str) -> Result<Library, TpError> {
        let path = "/exerciselibrary/v1/libraries";
        let v = self
            .request_json(
                Method::Post,
                Api::Tp,
                path,
                Some(&json!({ "libraryName": name })),
            )
            .await?;
        from_value(v, path)
    }

    /// Renames a library: `PUT .../libraries/{id}/name` with `{ value }`.
    pub async fn rename_library(&self, library_id: i64, name: &str) -> Result<(), TpError> {
        let path = format!("/exerciselibrary/v1/libraries/{library_id}/name");
        self.request_json(Method::Put, Api::Tp, &path, Some(&json!({ "value": name })))
            .await
            .map_err(|e| library_404(e, library_id))?;
        Ok(())
    }

    /// Deletes a library folder and every item in it.
    pub async fn delete_library(&self, library_id: i64) -> Result<(), TpError> {
        let path = format!("/exerciselibrary/v1/libraries/{library_id}");
        self.request_json(Method::Delete, Api::Tp, &path, None)
            .await
            .map_err(|e| library_404(e, library_id))?;
        Ok(())
    }

    /// Creates a template from a full item body (see `tools::library_shared::new_item_body`);
    /// returns the created item.
    pub async fn create_library_item(
        &self,
        library_id: i64,
        body: &Value,
    ) -> Result<Value, TpError> {
        let path = format!("/exerciselibrary/v1/libraries/{library_id}/items");
        self.request_json(Method::Post, Api::Tp, &path, Some(body))
            .await
            .map_err(|e| library_404(e, library_id))
    }

    /// Replaces an item with `full` (a complete item: the server drops missing fields).
    /// To move an item, PUT to the *source* library's path with `exerciseLibraryId` set to
    /// the target (spec §9.2). Returns the server's answer, or `full` on an empty body.
    pub async fn put_library_item(
        &self,
        library_id: i64,
        item_id: i64,
        full: &Value,
    ) -> Result<Value, TpError> {
        let path = format!("/exerciselibrary/v1/libraries/{library_id}/items/{item_id}");
        let v = self
            .request_json(Method::Put, Api::Tp, &path, Some(full))
            .await
            .map_err(|e| item_404(e, library_id, item_id))?;
        Ok(if v.is_object() { v } else { full.clone() })
    }

    /// Deletes one item (204).
    pub async fn delete_library_item(&self, library_id: i64, item_id: i64) -> Result<(), TpError> {
        let path = format!("/exerciselibrary/v1/libraries/{library_id}/items/{item_id}");
        self.request_json(Method::Delete, Api::Tp, &path, None)
            .await
            .map_err(|e| item_404(e, library_id, item_id))?;
        Ok(())
    }
}
