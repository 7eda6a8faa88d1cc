//! Availability: days the athlete cannot train, or only some sports (spec §9.4).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::events::list_response;
use super::{
    created_id, created_without_id, either_id, name_not_found, overlay, put_body, raw_list, ymd,
};
use crate::http::Method;
use crate::trainingpeaks::{Api, TpClient, TpError, from_value};
use crate::wire::{Day, Field, MissingField, Rest};

/// `type` 1: the athlete cannot train at all.
pub const AVAILABILITY_UNAVAILABLE: i64 = 1;
/// `type` 2: limited; `availableSportTypes` lists what is still possible.
pub const AVAILABILITY_LIMITED: i64 = 2;

/// An availability entry (`GET .../availability/{start}/{end}`), PUT back whole on update.
/// Only the id is vital (see [`Availability::id`]).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Availability {
    /// Entry id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    /// The id under its other name, which some answers use.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub availability_id: Field<i64>,
    /// The athlete.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub person_id: Field<i64>,
    /// First day.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub start_date: Field<Day>,
    /// Last day (inclusive).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub end_date: Field<Day>,
    /// Always false on the wire (`type` is the real flag, spec §9.4).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub limited_availability: Field<bool>,
    /// Free-text reason.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub reason: Field<String>,
    /// Sport ids still possible (when limited).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub available_sport_types: Field<Vec<i64>>,
    /// Details.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub description: Field<String>,
    /// 1 = unavailable, 2 = limited.
    #[serde(rename = "type", skip_serializing_if = "Field::is_absent")]
    pub kind: Field<i64>,
    /// Everything else, kept for the PUT.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(Availability);

impl Availability {
    /// The entry's id (`id`, else `availabilityId`).
    pub fn id(&self) -> Result<i64, MissingField> {
        either_id("availability entry", &self.id, &[&self.availability_id])
    }

    /// Whether this is limited (rather than no) availability: `type` 2, or, when `type` cannot
    /// be read, a non-empty list of sports still possible.
    pub fn is_limited(&self) -> bool {
        match self.kind.val() {
            Some(k) => k == AVAILABILITY_LIMITED,
            None => !self.sports().is_empty(),
        }
    }

    /// The sport ids still possible (empty when unknown).
    pub fn sports(&self) -> &[i64] {
        self.available_sport_types.get().map_or(&[], Vec::as_slice)
    }

    /// The first day, if readable.
    pub fn start(&self) -> Option<NaiveDate> {
        self.start_date.get().map(Day::date)
    }

    /// The last day, if readable.
    pub fn end(&self) -> Option<NaiveDate> {
        self.end_date.get().map(Day::date)
    }
}

/// A full availability entry to create.
#[derive(Debug, Clone, PartialEq)]
pub struct AvailabilitySpec {
    /// First day.
    pub start: NaiveDate,
    /// Last day (inclusive, ≥ start).
    pub end: NaiveDate,
    /// Limited (type 2) rather than unavailable (type 1).
    pub limited: bool,
    /// Sport ids still possible; sent only when limited.
    pub sports: Vec<i64>,
    /// Free-text reason.
    pub reason: Option<String>,
    /// Details.
    pub description: Option<String>,
}

impl AvailabilitySpec {
    /// The POST body (spec §9.4): `personId`, never `athleteId` (that is a 400).
    pub fn body(&self, athlete_id: i64) -> Value {
        json!({
            "personId": athlete_id,
            "startDate": Day::midnight(self.start),
            "endDate": Day::midnight(self.end),
            "limitedAvailability": false,
            "reason": self.reason,
            "availableSportTypes": if self.limited { self.sports.clone() } else { Vec::new() },
            "description": self.description,
            "type": if self.limited { AVAILABILITY_LIMITED } else { AVAILABILITY_UNAVAILABLE },
        })
    }
}

/// Changes to an availability entry; `None` keeps the current value.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AvailabilityUpdate {
    /// New first day.
    pub start: Option<NaiveDate>,
    /// New last day.
    pub end: Option<NaiveDate>,
    /// Limited or unavailable.
    pub limited: Option<bool>,
    /// New sports still possible.
    pub sports: Option<Vec<i64>>,
    /// New reason.
    pub reason: Option<String>,
    /// New details.
    pub description: Option<String>,
}

impl AvailabilityUpdate {
    /// The full entry to PUT: `existing` with the changes applied, `id` and `personId` set, and
    /// the dates as `YYYY-MM-DDT00:00:00`. Fails (naming the argument) when the merged range
    /// ends before it starts, and (naming the wire field) when a stored date the merge needs
    /// cannot be read.
    pub fn merge(
        &self,
        existing: &Availability,
        athlete_id: i64,
        id: i64,
    ) -> Result<Availability, TpError> {
        let start = match self.start {
            Some(d) => d,
            None => existing
                .start_date
                .require("availability entry", "startDate")?
                .date(),
        };
        let end = match self.end {
            Some(d) => d,
            None => existing
                .end_date
                .require("availability entry", "endDate")?
                .date(),
        };
        if end < start {
            let field = if self.end.is_some() {
                "end_date"
            } else {
                "start_date"
            };
            return Err(TpError::InvalidInput {
                field: field.into(),
                message: format!(
                    "the entry would end ({}) before it starts ({}); give both start_date and \
                     end_date",
                    ymd(end),
                    ymd(start)
                ),
            });
        }
        let limited = self.limited.unwrap_or_else(|| existing.is_limited());
        let sports = match (&self.sports, limited) {
            (_, false) => Vec::new(),
            (Some(s), true) => s.clone(),
            (None, true) => existing.sports().to_vec(),
        };
        let mut b = existing.clone();
        b.id = Field::Present(id);
        b.person_id = Field::Present(athlete_id);
        b.start_date = Field::Present(Day::midnight(start));
        b.end_date = Field::Present(Day::midnight(end));
        b.limited_availability = Field::Present(false);
        b.available_sport_types = Field::Present(sports);
        b.kind = Field::Present(if limited {
            AVAILABILITY_LIMITED
        } else {
            AVAILABILITY_UNAVAILABLE
        });
        if let Some(r) = &self.reason {
            b.reason = Field::Present(r.clone());
        }
        if let Some(d) = &self.description {
            b.description = Field::Present(d.clone());
        }
        Ok(b)
    }
}

fn list_path(aid: i64, start: NaiveDate, end: NaiveDate) -> String {
    format!(
        "/fitness/v1/athletes/{aid}/availability/{}/{}",
        ymd(start),
        ymd(end)
    )
}

impl TpClient {
    /// Availability entries overlapping a date range (inclusive); elements that are not
    /// objects are skipped.
    pub async fn availability(
        &self,
        athlete_id: i64,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<Availability>, TpError> {
        let path = list_path(athlete_id, start, end);
        list_response(
            self.get_json(Api::Tp, &path).await?,
            &path,
            "availability entries",
        )
    }

    /// Creates an availability entry.
    pub async fn create_availability(
        &self,
        athlete_id: i64,
        spec: &AvailabilitySpec,
    ) -> Result<Availability, TpError> {
        let path = format!("/fitness/v1/athletes/{athlete_id}/availability");
        let body = spec.body(athlete_id);
        let answer = self
            .request_json(Method::Post, Api::Tp, &path, Some(&body))
            .await?;
        let id = created_id(&answer, "availabilityId").ok_or_else(|| {
            created_without_id(
                &path,
                "availability entry",
                "`id`",
                &answer,
                "get_availability",
            )
        })?;
        let mut entry: Availability = from_value(overlay(&body, answer), &path)?;
        entry.id = Field::Present(id);
        Ok(entry)
    }

    /// Updates an availability entry: finds it (no single GET exists, so the range around
    /// today, and around `update.start` when given, is searched), merges, and PUTs the full entry.
    pub async fn update_availability(
        &self,
        athlete_id: i64,
        id: i64,
        update: &AvailabilityUpdate,
    ) -> Result<Availability, TpError> {
        let today = self.clock().today();
        let span = chrono::Duration::days(super::SEARCH_WINDOW_DAYS);
        let mut start = today - span;
        let mut end = today + span;
        if let Some(s) = update.start {
            start = start.min(s - span);
            end = end.max(s + span);
        }
        let list_path = list_path(athlete_id, start, end);
        let list = self.get_json(Api::Tp, &list_path).await?;
        let (raw, existing) = raw_list::<Availability>(list, &list_path, "availability entries")?
            .into_iter()
            .find(|(_, e)| e.id().ok() == Some(id))
            .ok_or_else(|| TpError::NotFound {
                what: format!(
                    "Availability entry {id} for athlete {athlete_id} (searched {} to {}; list \
                     entries with get_availability to find the right id)",
                    ymd(start),
                    ymd(end)
                ),
                method: Method::Get,
                path: list_path.clone(),
            })?;
        let path = format!("/fitness/v1/athletes/{athlete_id}/availability/{id}");
        let merged = update.merge(&existing, athlete_id, id)?;
        let body = put_body(&raw, &existing, &merged, &path)?;
        let answer = self
            .request_json(Method::Put, Api::Tp, &path, Some(&body))
            .await
            .map_err(|e| {
                name_not_found(e, || {
                    format!("Availability entry {id} for athlete {athlete_id}")
                })
            })?;
        from_value(overlay(&body, answer), &path)
    }

    /// Deletes an availability entry.
    pub async fn delete_availability(&self, athlete_id: i64, id: i64) -> Result<(), TpError> {
        let path = format!("/fitness/v1/athletes/{athlete_id}/availability/{id}");
        self.request_json(Method::Delete, Api::Tp, &path, None)
            .await
            .map_err(|e| {
                name_not_found(e, || {
                    format!("Availability entry {id} for athlete {athlete_id}")
                })
            })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn entry(v: Value) -> Availability {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn availability_merge_rules() {
        let existing = entry(
            json!({"id": 9, "personId": 42, "startDate": "2026-12-01T00:00:00",
            "endDate": "2026-12-07T00:00:00", "limitedAvailability": false, "reason": "Travel",
            "availableSportTypes": [3, 9], "description": "trip", "type": 2, "extra": "kept"}),
        );
        // Only the description changes: limited status and sports stay.
        let b = AvailabilityUpdate {
            description: Some("new".into()),
            ..Default::default()
        }
        .merge(&existing, 42, 9)
        .unwrap();
        let b = serde_json::to_value(b).unwrap();
        assert_eq!(b["availableSportTypes"], json!([3, 9]));
        assert_eq!(b["type"], 2);
        assert_eq!(b["reason"], "Travel");
        assert_eq!(b["extra"], "kept");
        // Switching to unavailable clears the sports.
        let b = AvailabilityUpdate {
            limited: Some(false),
            ..Default::default()
        }
        .merge(&existing, 42, 9)
        .unwrap();
        let b = serde_json::to_value(b).unwrap();
        assert_eq!(b["availableSportTypes"], json!([]));
        assert_eq!(b["type"], 1);
        // A new start after the stored end is refused, naming start_date.
        let e = AvailabilityUpdate {
            start: Some(d(2026, 12, 10)),
            ..Default::default()
        }
        .merge(&existing, 42, 9)
        .unwrap_err();
        assert!(
            matches!(e, TpError::InvalidInput { ref field, .. } if field == "start_date"),
            "{e:?}"
        );
    }

    #[test]
    fn drifted_entry_reads_and_a_missing_stored_date_names_itself() {
        let a = entry(
            json!({"id": "61", "startDate": "2026-12-01T00:00:00Z", "endDate": null,
            "availableSportTypes": ["3", 9.0, "bike"], "type": null, "new": [1]}),
        );
        assert_eq!(a.id(), Ok(61));
        assert_eq!(a.sports(), &[3, 9]);
        assert!(a.is_limited(), "unknown type with sports reads as limited");
        assert_eq!(a.start(), Some(d(2026, 12, 1)));
        assert_eq!(a.end(), None);
        let e = AvailabilityUpdate {
            description: Some("x".into()),
            ..Default::default()
        }
        .merge(&a, 42, 61)
        .unwrap_err();
        assert!(
            matches!(e, TpError::MissingField(ref m) if m.field == "endDate" && m.seen == "null"),
            "{e:?}"
        );
        let b = AvailabilityUpdate {
            end: Some(d(2026, 12, 2)),
            ..Default::default()
        }
        .merge(&a, 42, 61)
        .unwrap();
        let b = serde_json::to_value(b).unwrap();
        assert_eq!(b["new"], json!([1]));
        assert_eq!(b["startDate"], "2026-12-01T00:00:00");
        assert_eq!(b["type"], 2);
        let e = entry(json!({"id": null, "startDate": "2026-12-01"}))
            .id()
            .unwrap_err();
        assert_eq!(
            (e.entity.as_str(), e.field.as_str(), e.seen.as_str()),
            ("availability entry", "id", "null")
        );
    }
}
