//! A completed workout's device files (spec §5.4 `/details`, §5.5 `rawfiledata`): list them,
//! fetch one as bytes. Read-only; both are GETs and retried as such.

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{Api, Safety, TpClient, TpError, status_error};
use crate::http::{HttpRequest, Method};
use crate::wire::{Field, Rest, list_of, text};

/// One entry of `/details` → `workoutDeviceFileInfos`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct DeviceFileInfo {
    /// The id for `rawfiledata` (may be negative, spec §5.5). Vital for fetching.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub file_id: Field<i64>,
    /// The storage id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub file_system_id: Field<i64>,
    /// The uploaded file's name (`*.fit.gz` for most devices).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub file_name: Field<String>,
    /// When it was uploaded, as the server wrote it.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub date_uploaded: Field<String>,
    /// Everything else.
    #[serde(flatten)]
    pub rest: Rest,
}

/// `/details` of a workout, as far as files go; the rest of the object (mean-max curves and
/// whatever else the server adds) is kept in `raw`.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkoutDetails {
    /// The device files, oldest upload first as the server lists them. Entries that are not
    /// objects are skipped; a missing or `null` list is empty.
    pub device_files: Vec<DeviceFileInfo>,
    /// The whole response.
    pub raw: Value,
}

/// A downloaded device file.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceFile {
    /// The bytes as served (gzip when the name ends `.gz`; [`crate::fit::decode`] takes both).
    pub bytes: Vec<u8>,
    /// The file name from `Content-Disposition`, when the server gave one.
    pub file_name: Option<String>,
}

impl TpClient {
    /// `GET /fitness/v6/athletes/{aid}/workouts/{wid}/details`.
    ///
    /// # Errors
    /// [`TpError`] for a failed request (404 for an unknown workout) or a body that is not JSON.
    pub async fn workout_details(
        &self,
        athlete_id: i64,
        workout_id: i64,
    ) -> Result<WorkoutDetails, TpError> {
        let path = format!("/fitness/v6/athletes/{athlete_id}/workouts/{workout_id}/details");
        let raw = self.get_json(Api::Tp, &path).await?;
        let device_files = list_of(
            raw.get("workoutDeviceFileInfos")
                .cloned()
                .unwrap_or(Value::Null),
        );
        Ok(WorkoutDetails { device_files, raw })
    }

    /// `GET /fitness/v6/athletes/{aid}/workouts/{wid}/rawfiledata/{fileId}` with `Accept: */*`
    /// (spec §5.5): the file's bytes as stored.
    ///
    /// # Errors
    /// [`TpError`] for a failed request (404 for an unknown file), after the read retries.
    pub async fn workout_device_file(
        &self,
        athlete_id: i64,
        workout_id: i64,
        file_id: i64,
    ) -> Result<DeviceFile, TpError> {
        let path = format!(
            "/fitness/v6/athletes/{athlete_id}/workouts/{workout_id}/rawfiledata/{file_id}"
        );
        let url = format!("{}{}", self.bases.base(Api::Tp), path);
        let mut token = self.access_token().await?;
        let made_for = self.cached_user_id();
        let mut refreshed = false;
        // The JSON requests' loop, with a binary Accept: the 401 handling is the same (one
        // re-exchange, and only for the same user).
        let resp = loop {
            let req = HttpRequest::new(Method::Get, url.clone())
                .header("authorization", format!("Bearer {token}"))
                .header("accept", "*/*");
            let resp = self.transmit(req, &path, true, Safety::Read).await?;
            if resp.status != 401 {
                break resp;
            }
            if refreshed {
                return Err(self.logged_out());
            }
            refreshed = true;
            token = self.replace_token(&token).await?;
            if let Some(previous) = made_for {
                self.confirm_same_user(previous, &token).await?;
            }
        };
        if !resp.is_success() {
            return Err(status_error(Method::Get, &path, &resp));
        }
        let file_name = resp
            .header_value("content-disposition")
            .and_then(disposition_file_name);
        Ok(DeviceFile {
            bytes: resp.body,
            file_name,
        })
    }
}

impl DeviceFileInfo {
    /// The file name, if not blank.
    pub fn name(&self) -> Option<String> {
        text(&self.file_name)
    }
}

/// The `filename` of a `Content-Disposition` value (quoted or bare; `filename*` ignored).
fn disposition_file_name(v: &str) -> Option<String> {
    v.split(';').find_map(|part| {
        let (k, val) = part.trim().split_once('=')?;
        k.trim()
            .eq_ignore_ascii_case("filename")
            .then(|| val.trim().trim_matches('"').to_string())
            .filter(|s| !s.is_empty())
    })
}

#[cfg(test)]
mod tests {
    use super::disposition_file_name;

    #[test]
    fn file_name_from_disposition() {
        assert_eq!(
            disposition_file_name("attachment; filename=\"a b.fit.gz\"").as_deref(),
            Some("a b.fit.gz")
        );
        assert_eq!(
            disposition_file_name("attachment;filename=x.fit").as_deref(),
            Some("x.fit")
        );
        assert_eq!(disposition_file_name("inline"), None);
    }
}
