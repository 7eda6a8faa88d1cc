//! Workout libraries (templates): `/exerciselibrary/...` on tpapi (spec §9.2).
//!
//! [`Library`] and [`LibraryItem`] are tolerant wire structs that keep every field they do not
//! model, so a GET → merge → PUT round trip sends back everything the server gave. Library
//! item structures are nested **objects** on GET, POST and PUT (spec §10.1), unlike calendar
//! workouts.

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{Api, TpClient, TpError, from_value};
use crate::http::Method;
use crate::wire::{Field, Rest, list_of, text};

/// One library folder (`GET /exerciselibrary/v2/libraries`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Library {
    /// The library id (vital: a library without one is not listed).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub exercise_library_id: Field<i64>,
    /// Its name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub library_name: Field<String>,
    /// Owner's person id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub owner_id: Field<i64>,
    /// Owner's display name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub owner_name: Field<String>,
    /// Thumbnail URL.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub image_url: Field<String>,
    /// `true` for TrainingPeaks' built-in libraries (read-only), `false` for the user's own.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub is_default_content: Field<bool>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// One library item (`GET /exerciselibrary/v2/libraries/{id}/items`). Durations in hours,
/// distances in metres, energy in kJ.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct LibraryItem {
    /// The library holding it.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub exercise_library_id: Field<i64>,
    /// The item id (vital: an item without one cannot be named or changed).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub exercise_library_item_id: Field<i64>,
    /// Always `WorkoutTemplate` for workout templates.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub exercise_library_item_type: Field<String>,
    /// The template's name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub item_name: Field<String>,
    /// Sport (`workoutTypeId`, NOT `workoutTypeValueId` as on workouts; spec §4).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub workout_type_id: Field<i64>,
    /// Sub-sport (`workoutSubTypeId`).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub workout_sub_type_id: Field<i64>,
    /// Planned duration, hours.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub total_time_planned: Field<f64>,
    /// Planned TSS.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub tss_planned: Field<f64>,
    /// Planned intensity factor.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub if_planned: Field<f64>,
    /// Planned distance, metres.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub distance_planned: Field<f64>,
    /// Planned speed, m/s.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub velocity_planned: Field<f64>,
    /// Planned energy, kJ.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub energy_planned: Field<f64>,
    /// Description shown to the athlete.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub description: Field<String>,
    /// Coach comments.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub coach_comments: Field<String>,
    /// The interval structure (an object) or null.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub structure: Field<Value>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(Library, LibraryItem);

impl Library {
    /// The name, if non-blank.
    pub fn name(&self) -> Option<String> {
        text(&self.library_name)
    }

    /// Whether it is one of TrainingPeaks' read-only libraries (unknown reads as not).
    pub fn is_default(&self) -> bool {
        self.is_default_content.val().unwrap_or(false)
    }
}

impl LibraryItem {
    /// The name, if non-blank.
    pub fn name(&self) -> Option<String> {
        text(&self.item_name)
    }

    /// The description, if non-blank.
    pub fn description(&self) -> Option<String> {
        text(&self.description)
    }

    /// The coach comments, if non-blank.
    pub fn coach_comments(&self) -> Option<String> {
        text(&self.coach_comments)
    }

    /// The structure object, if there is one.
    pub fn structure(&self) -> Option<&Value> {
        self.structure.get().filter(|s| !s.is_null())
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
    /// Entries that are not objects or have no readable id are skipped.
    pub async fn libraries(&self) -> Result<Vec<Library>, TpError> {
        let v = self
            .get_json(Api::Tp, "/exerciselibrary/v2/libraries")
            .await?;
        Ok(list_of::<Library>(v)
            .into_iter()
            .filter(|l| l.exercise_library_id.is_present())
            .collect())
    }

    /// The items of one library; entries that are not objects or have no readable item id are
    /// skipped (one odd item must not hide the others).
    pub async fn library_items(&self, library_id: i64) -> Result<Vec<LibraryItem>, TpError> {
        let path = format!("/exerciselibrary/v2/libraries/{library_id}/items");
        let v = self
            .get_json(Api::Tp, &path)
            .await
            .map_err(|e| library_404(e, library_id))?;
        match v {
            v @ Value::Array(_) => Ok(list_of::<LibraryItem>(v)
                .into_iter()
                .filter(|i| i.exercise_library_item_id.is_present())
                .collect()),
            Value::Null => Ok(Vec::new()),
            other => Err(TpError::Decode {
                path,
                message: format!("expected an array of items, got {other}"),
            }),
        }
    }

    /// One item. There is no single-item GET (spec §9.2), so this filters the list.
    pub async fn library_item(
        &self,
        library_id: i64,
        item_id: i64,
    ) -> Result<LibraryItem, TpError> {
        let items = self.library_items(library_id).await?;
        items
            .into_iter()
            .find(|i| i.exercise_library_item_id.val() == Some(item_id))
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
    ) -> Result<LibraryItem, TpError> {
        let path = format!("/exerciselibrary/v1/libraries/{library_id}/items");
        let v = self
            .request_json(Method::Post, Api::Tp, &path, Some(body))
            .await
            .map_err(|e| library_404(e, library_id))?;
        from_value(v, &path)
    }

    /// Replaces an item with `full` (a complete item: the server drops missing fields).
    /// To move an item, PUT to the *source* library's path with `exerciseLibraryId` set to
    /// the target (spec §9.2). Returns the server's answer, or `full` on a body that is not
    /// an item (an empty 200, say).
    pub async fn put_library_item(
        &self,
        library_id: i64,
        item_id: i64,
        full: &LibraryItem,
    ) -> Result<LibraryItem, TpError> {
        let path = format!("/exerciselibrary/v1/libraries/{library_id}/items/{item_id}");
        let body = serde_json::to_value(full).map_err(|e| TpError::InvalidInput {
            field: "item".into(),
            message: e.to_string(),
        })?;
        let v = self
            .request_json(Method::Put, Api::Tp, &path, Some(&body))
            .await
            .map_err(|e| item_404(e, library_id, item_id))?;
        Ok(match v {
            Value::Object(_) => from_value(v, &path).unwrap_or_else(|_| full.clone()),
            _ => full.clone(),
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drifted_item_reads_and_round_trips_for_a_put() {
        let raw = json!({"exerciseLibraryId": "880001", "exerciseLibraryItemId": 8800201.0,
            "itemName": "2x20", "workoutTypeId": "2", "workoutSubTypeId": null, "totalTimePlanned": "1.25",
            "tssPlanned": {"odd": true}, "structure": {"structure": []}, "fromLegacy": false, "zzNew": [1]});
        let it: LibraryItem = serde_json::from_value(raw.clone()).unwrap();
        assert_eq!(it.exercise_library_id.val(), Some(880_001));
        assert_eq!(it.exercise_library_item_id.val(), Some(8_800_201));
        assert_eq!(it.workout_type_id.val(), Some(2));
        assert_eq!(it.workout_sub_type_id, Field::Null);
        assert_eq!(it.total_time_planned.val(), Some(1.25));
        assert!(it.tss_planned.val().is_none());
        assert!(it.structure().is_some());
        let back = serde_json::to_value(&it).unwrap();
        // Unknown fields and unreadable values go back as they came; a null stays null.
        assert_eq!(back["fromLegacy"], false);
        assert_eq!(back["zzNew"], json!([1]));
        assert_eq!(back["tssPlanned"], json!({"odd": true}));
        assert_eq!(back["workoutSubTypeId"], Value::Null);
        assert!(
            back.get("description").is_none(),
            "an absent key stays absent"
        );
    }

    #[test]
    fn odd_entries_are_skipped_and_a_missing_id_is_named() {
        let libs: Vec<Library> = list_of(json!([
            {"exerciseLibraryId": 1, "libraryName": "Mine", "isDefaultContent": "false"},
            "junk",
            {"libraryName": "no id"}
        ]));
        assert_eq!(libs.len(), 2);
        assert!(!libs[0].is_default());
        let e = libs[1]
            .exercise_library_id
            .require("library", "exerciseLibraryId")
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "the library has no usable `exerciseLibraryId` (expected an integer, saw no such field)"
        );
    }
}
