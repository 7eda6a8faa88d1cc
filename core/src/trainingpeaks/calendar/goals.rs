//! Goal lists: written goals to achieve by a date (spec §9.5).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{created_id, created_without_id, either_id, name_not_found, overlay};
use crate::http::Method;
use crate::trainingpeaks::{Api, TpClient, TpError, from_value};
use crate::wire::{Day, Field, MissingField, Rest};

/// A created goal list, as the server answers (laid over what was sent).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GoalList {
    /// Goal list id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    /// The id under its other name, which some answers use.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub goal_list_id: Field<i64>,
    /// Title.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub title: Field<String>,
    /// The day.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub activity_date: Field<Day>,
    /// The goals, in order.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub goals: Field<Vec<GoalItem>>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// One goal in a goal list.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(rename_all = "camelCase", default)]
pub struct GoalItem {
    /// Goal id once saved.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<i64>,
    /// The goal's text.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub string_value: Field<String>,
    /// Position.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub sort_order: Field<i64>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(GoalList, GoalItem);

impl GoalList {
    /// The list's id (`id`, else `goalListId`).
    pub fn id(&self) -> Result<i64, MissingField> {
        either_id("goal list", &self.id, &[&self.goal_list_id])
    }

    /// The goals' texts, in order (goals without readable text left out).
    pub fn texts(&self) -> Vec<String> {
        self.goals
            .get()
            .map(|g| {
                g.iter()
                    .filter_map(|i| i.string_value.get().cloned())
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The body of `POST .../goallists` (spec §9.5). `isFuture`/`isToday`/`isPast` compare `date`
/// with `today` (the client computes them, as the web app does).
pub fn goal_list_body(
    athlete_id: i64,
    date: NaiveDate,
    title: &str,
    goals: &[String],
    today: NaiveDate,
) -> Value {
    let items: Vec<Value> = goals
        .iter()
        .enumerate()
        .map(|(i, text)| {
            json!({
                "id": null,
                "athleteId": athlete_id,
                "goalListId": null,
                "type": "Written",
                "activityType": "GOAL",
                "sortOrder": i,
                "stringValue": text,
                "doubleValue": null,
                "intValue": null,
                "boolValue": null,
                "value": { "value": text, "label": "" },
                "complete": false,
                "changed": true,
                "setByPersonId": null,
                "athleteEventId": null,
            })
        })
        .collect();
    let day = json!(Day::plain(date));
    let mut m = Map::new();
    m.insert("id".into(), Value::Null);
    m.insert("athleteId".into(), json!(athlete_id));
    m.insert("title".into(), json!(title));
    m.insert("activityType".into(), json!("GOAL_LIST"));
    m.insert("activityDate".into(), day.clone());
    m.insert("achieveBy".into(), day);
    m.insert("activityTime".into(), Value::Null);
    m.insert("isFuture".into(), json!(date > today));
    m.insert("isToday".into(), json!(date == today));
    m.insert("isPast".into(), json!(date < today));
    m.insert("isFullyCompliant".into(), json!(false));
    m.insert("isPartiallyCompliant".into(), json!(false));
    m.insert("isNotCompliant".into(), json!(false));
    m.insert("goals".into(), Value::Array(items));
    Value::Object(m)
}

impl TpClient {
    /// Creates a goal list of written goals.
    pub async fn create_goal_list(
        &self,
        athlete_id: i64,
        date: NaiveDate,
        title: &str,
        goals: &[String],
    ) -> Result<GoalList, TpError> {
        let path = format!("/fitness/v1/athletes/{athlete_id}/goallists");
        let body = goal_list_body(athlete_id, date, title, goals, self.clock().today());
        let answer = self
            .request_json(Method::Post, Api::Tp, &path, Some(&body))
            .await?;
        let id = created_id(&answer, "goalListId").ok_or_else(|| {
            created_without_id(
                &path,
                "goal list",
                "`id` or `goalListId`",
                &answer,
                "the TrainingPeaks calendar",
            )
        })?;
        let mut list: GoalList = from_value(overlay(&body, answer), &path)?;
        list.id = Field::Present(id);
        Ok(list)
    }

    /// Deletes a goal list.
    pub async fn delete_goal_list(&self, athlete_id: i64, id: i64) -> Result<(), TpError> {
        let path = format!("/fitness/v1/athletes/{athlete_id}/goallists/{id}");
        self.request_json(Method::Delete, Api::Tp, &path, None)
            .await
            .map_err(|e| {
                name_not_found(e, || format!("Goal list {id} for athlete {athlete_id}"))
            })?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn goal_list_flags_compare_with_today() {
        let today = d("2026-11-21");
        for (date, fut, tod, past) in [
            ("2026-11-22", true, false, false),
            ("2026-11-21", false, true, false),
            ("2026-11-20", false, false, true),
        ] {
            let b = goal_list_body(1, d(date), "t", &["g".into()], today);
            assert_eq!(
                (
                    b["isFuture"] == true,
                    b["isToday"] == true,
                    b["isPast"] == true
                ),
                (fut, tod, past),
                "{date}"
            );
        }
    }

    #[test]
    fn drifted_goal_list_reads() {
        let g: GoalList = serde_json::from_value(json!({"goalListId": "71", "title": null,
            "goals": [{"stringValue": "Stretch", "sortOrder": "0"}, null, {"stringValue": null}],
            "activityDate": "2026-11-21T00:00:00"}))
        .unwrap();
        assert_eq!(g.id(), Ok(71));
        assert_eq!(g.texts(), ["Stretch"]);
        let back = serde_json::to_value(&g).unwrap();
        assert_eq!(back["activityDate"], "2026-11-21T00:00:00");
        assert_eq!(back["goals"][0]["sortOrder"], 0);
        let e = GoalList::default().id().unwrap_err();
        assert_eq!((e.entity.as_str(), e.field.as_str()), ("goal list", "id"));
    }
}
