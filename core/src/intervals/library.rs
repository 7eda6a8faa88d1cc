//! The workout library: folders (and plans) and the workouts in them (spec §3.2 "Workout
//! library").

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{IcuClient, IcuError, positive_id};
use crate::http::Method;
use crate::wire::{Field, LenientList, Rest};

/// One library workout (spec `Workout`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Workout {
    /// The id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    /// The folder or plan it is in.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub folder_id: Field<i64>,
    /// Name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// Description: the Intervals.icu workout text.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub description: Field<String>,
    /// Sport.
    #[serde(rename = "type", skip_serializing_if = "Field::is_absent")]
    pub sport: Field<String>,
    /// Planned moving time, seconds.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub moving_time: Field<i64>,
    /// Planned load.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub icu_training_load: Field<f64>,
    /// Day within a plan (0-based).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub day: Field<i64>,
    /// Indoor.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub indoor: Field<bool>,
    /// Target (`AUTO`, `POWER`, `HR`, `PACE`).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub target: Field<String>,
    /// Tags.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub tags: Field<Vec<String>>,
    /// The parsed structure.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub workout_doc: Field<Value>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(Workout);

/// A folder or plan (spec `Folder`), with its workouts.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Folder {
    /// The id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    /// `FOLDER` or `PLAN` (unknown kinds kept).
    #[serde(rename = "type", skip_serializing_if = "Field::is_absent")]
    pub kind: Field<String>,
    /// Name.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub name: Field<String>,
    /// Description.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub description: Field<String>,
    /// Its workouts.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub children: Field<Vec<Workout>>,
    /// Plans: length in weeks.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub duration_weeks: Field<i64>,
    /// Number of workouts.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub num_workouts: Field<i64>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// A new library workout (the spec's `WorkoutEx`, the part tools set).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WorkoutWrite {
    /// The folder to put it in; required.
    pub folder_id: i64,
    /// Name; required.
    pub name: String,
    /// Sport (`Ride`, `Run`, …); required.
    pub sport: String,
    /// The Intervals.icu workout text, which the server parses.
    pub description: Option<String>,
    /// Indoor.
    pub indoor: Option<bool>,
    /// Planned moving time, seconds (the server computes it from the text when absent).
    pub moving_time: Option<i64>,
    /// Tags.
    pub tags: Option<Vec<String>>,
}

impl WorkoutWrite {
    /// The body; errors name the field.
    pub fn body(&self) -> Result<Value, IcuError> {
        let folder = positive_id("folder_id", self.folder_id)?;
        if self.name.trim().is_empty() {
            return Err(IcuError::InvalidInput {
                field: "name".into(),
                message: "a workout needs a name".into(),
            });
        }
        if self.sport.trim().is_empty() || !self.sport.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(IcuError::InvalidInput {
                field: "type".into(),
                message: format!("{:?} is not a sport name (e.g. Ride, Run)", self.sport),
            });
        }
        let mut m = Map::new();
        m.insert("folder_id".into(), json!(folder));
        m.insert("name".into(), json!(self.name));
        m.insert("type".into(), json!(self.sport));
        if let Some(d) = &self.description {
            m.insert("description".into(), json!(d));
        }
        if let Some(i) = self.indoor {
            m.insert("indoor".into(), json!(i));
        }
        if let Some(t) = self.moving_time {
            if !(0..=7 * 24 * 3600).contains(&t) {
                return Err(IcuError::InvalidInput {
                    field: "moving_time".into(),
                    message: format!("{t} s is out of range (0 to 7 days)"),
                });
            }
            m.insert("moving_time".into(), json!(t));
        }
        if let Some(t) = &self.tags {
            m.insert("tags".into(), json!(t));
        }
        Ok(Value::Object(m))
    }
}

impl IcuClient {
    /// `GET /api/v1/athlete/{id}/folders`: every folder and plan, each with its workouts.
    pub async fn folders(&self, athlete: Option<&str>) -> Result<Vec<Folder>, IcuError> {
        let a = self.athlete(athlete)?;
        let LenientList(list) = self.get(&format!("/api/v1/athlete/{a}/folders")).await?;
        Ok(list)
    }

    /// `GET /api/v1/athlete/{id}/workouts`: every library workout.
    pub async fn library_workouts(&self, athlete: Option<&str>) -> Result<Vec<Workout>, IcuError> {
        let a = self.athlete(athlete)?;
        let LenientList(list) = self.get(&format!("/api/v1/athlete/{a}/workouts")).await?;
        Ok(list)
    }

    /// The workouts of one folder: [`IcuClient::library_workouts`] filtered by `folder_id`
    /// (the API has no per-folder list; `folders` also nests them, but with every folder).
    pub async fn workouts_in_folder(
        &self,
        athlete: Option<&str>,
        folder_id: i64,
    ) -> Result<Vec<Workout>, IcuError> {
        let id = positive_id("folder_id", folder_id)?;
        let all = self.library_workouts(athlete).await?;
        Ok(all
            .into_iter()
            .filter(|w| w.folder_id.val() == Some(id))
            .collect())
    }

    /// `POST /api/v1/athlete/{id}/workouts`: adds a workout to a folder.
    pub async fn create_library_workout(
        &self,
        athlete: Option<&str>,
        workout: &WorkoutWrite,
    ) -> Result<Workout, IcuError> {
        let a = self.athlete(athlete)?;
        let body = workout.body()?;
        self.request(
            Method::Post,
            &format!("/api/v1/athlete/{a}/workouts"),
            Some(&body),
        )
        .await
    }
}
