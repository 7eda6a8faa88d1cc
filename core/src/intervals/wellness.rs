//! Wellness (one record per day) and the fitness chart built from it (spec §3.2 "Wellness").
//!
//! The fitness chart (CTL, ATL, form, ramp rate, eFTP) is read from the wellness records:
//! they carry `ctl`, `atl`, `rampRate` and `sportInfo[].eftp` per day, and are the only
//! per-day source the spec names (the athlete summary, [`IcuClient::athlete_summary`], has the
//! same figures per week).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use super::{IcuClient, IcuError, Query, check_range};
use crate::http::Method;
use crate::wire::{Day, Field, LenientList, Rest, Stamp};

/// One sport's modelled power on a wellness day (spec `SportInfo`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct SportInfo {
    /// The sport.
    #[serde(rename = "type", skip_serializing_if = "Field::is_absent")]
    pub sport: Field<String>,
    /// Estimated FTP, watts.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub eftp: Field<f64>,
    /// W′, joules.
    #[serde(rename = "wPrime", skip_serializing_if = "Field::is_absent")]
    pub w_prime: Field<f64>,
    /// Peak power, watts.
    #[serde(rename = "pMax", skip_serializing_if = "Field::is_absent")]
    pub p_max: Field<f64>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(SportInfo);

/// One day of wellness (spec `Wellness`; its keys are camelCase, unlike the rest of the API).
/// Custom wellness fields arrive as extra keys and stay in `rest`.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Wellness {
    /// The day (the record's id is its date).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<Day>,
    /// Fitness (CTL).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub ctl: Field<f64>,
    /// Fatigue (ATL).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub atl: Field<f64>,
    /// Ramp rate (CTL change per week).
    #[serde(rename = "rampRate", skip_serializing_if = "Field::is_absent")]
    pub ramp_rate: Field<f64>,
    /// Load that fed CTL.
    #[serde(rename = "ctlLoad", skip_serializing_if = "Field::is_absent")]
    pub ctl_load: Field<f64>,
    /// Load that fed ATL.
    #[serde(rename = "atlLoad", skip_serializing_if = "Field::is_absent")]
    pub atl_load: Field<f64>,
    /// Modelled power per sport.
    #[serde(rename = "sportInfo", skip_serializing_if = "Field::is_absent")]
    pub sport_info: Field<Vec<SportInfo>>,
    /// Weight, kg.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub weight: Field<f64>,
    /// Resting heart rate, bpm.
    #[serde(rename = "restingHR", skip_serializing_if = "Field::is_absent")]
    pub resting_hr: Field<f64>,
    /// HRV (rMSSD), ms.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub hrv: Field<f64>,
    /// HRV (SDNN), ms.
    #[serde(rename = "hrvSDNN", skip_serializing_if = "Field::is_absent")]
    pub hrv_sdnn: Field<f64>,
    /// Sleep, seconds.
    #[serde(rename = "sleepSecs", skip_serializing_if = "Field::is_absent")]
    pub sleep_secs: Field<i64>,
    /// Sleep score.
    #[serde(rename = "sleepScore", skip_serializing_if = "Field::is_absent")]
    pub sleep_score: Field<f64>,
    /// Sleep quality, 1 (great) – 4 (poor).
    #[serde(rename = "sleepQuality", skip_serializing_if = "Field::is_absent")]
    pub sleep_quality: Field<i64>,
    /// Soreness, 1–4.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub soreness: Field<i64>,
    /// Fatigue, 1–4.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub fatigue: Field<i64>,
    /// Stress, 1–4.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub stress: Field<i64>,
    /// Mood, 1–4.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub mood: Field<i64>,
    /// Motivation, 1–4.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub motivation: Field<i64>,
    /// Injury, 1–4.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub injury: Field<i64>,
    /// Blood oxygen, percent.
    #[serde(rename = "spO2", skip_serializing_if = "Field::is_absent")]
    pub spo2: Field<f64>,
    /// Steps.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub steps: Field<i64>,
    /// Readiness.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub readiness: Field<f64>,
    /// Notes.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub comments: Field<String>,
    /// Last change.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub updated: Field<Stamp>,
    /// Everything else (custom fields too), kept.
    #[serde(flatten)]
    pub rest: Rest,
}

/// What [`IcuClient::update_wellness`] writes for one day; `None` leaves a field as it is
/// (the PUT changes only the fields sent, spec §3.2).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct WellnessUpdate {
    /// Weight, kg.
    pub weight: Option<f64>,
    /// Resting heart rate, bpm.
    pub resting_hr: Option<i64>,
    /// HRV (rMSSD), ms.
    pub hrv: Option<f64>,
    /// Sleep, seconds.
    pub sleep_secs: Option<i64>,
    /// Sleep score, 0–100.
    pub sleep_score: Option<f64>,
    /// Sleep quality, 1 (great) – 4 (poor).
    pub sleep_quality: Option<i64>,
    /// Soreness, 1 (low) – 4 (extreme).
    pub soreness: Option<i64>,
    /// Fatigue, 1–4.
    pub fatigue: Option<i64>,
    /// Stress, 1–4.
    pub stress: Option<i64>,
    /// Mood, 1 (great) – 4 (grumpy).
    pub mood: Option<i64>,
    /// Motivation, 1 (extreme) – 4 (low).
    pub motivation: Option<i64>,
    /// Injury, 1 (none) – 4 (serious).
    pub injury: Option<i64>,
    /// Blood oxygen, percent.
    pub spo2: Option<f64>,
    /// Steps.
    pub steps: Option<i64>,
    /// Notes (`comments`).
    pub comments: Option<String>,
}

impl WellnessUpdate {
    /// The PUT body for `day`: its `id` plus only the fields set. Errors name the field.
    pub fn body(&self, day: NaiveDate) -> Result<Value, IcuError> {
        let bad = |f: &str, message: String| IcuError::InvalidInput {
            field: f.into(),
            message,
        };
        let num = |f: &str, v: f64, lo: f64, hi: f64, unit: &str| {
            if v.is_finite() && (lo..=hi).contains(&v) {
                Ok(json!(v))
            } else {
                Err(bad(f, format!("{v} {unit} is out of range ({lo}–{hi})")))
            }
        };
        let int = |f: &str, v: i64, lo: i64, hi: i64, what: &str| {
            if (lo..=hi).contains(&v) {
                Ok(json!(v))
            } else {
                Err(bad(f, format!("{v} is out of range; {what}")))
            }
        };
        let scale = "it is a 1–4 scale (1 best, 4 worst)";
        let mut m = Map::new();
        let mut put = |k: &str, v: Value| {
            m.insert(k.into(), v);
        };
        if let Some(v) = self.weight {
            put("weight", num("weight", v, 20.0, 400.0, "kg")?);
        }
        if let Some(v) = self.resting_hr {
            put("restingHR", int("resting_hr", v, 20, 200, "20–200 bpm")?);
        }
        if let Some(v) = self.hrv {
            put("hrv", num("hrv", v, 1.0, 500.0, "ms")?);
        }
        if let Some(v) = self.sleep_secs {
            put(
                "sleepSecs",
                int("sleep_secs", v, 0, 24 * 3600, "0–86400 seconds")?,
            );
        }
        if let Some(v) = self.sleep_score {
            put("sleepScore", num("sleep_score", v, 0.0, 100.0, "points")?);
        }
        for (key, field, v) in [
            ("sleepQuality", "sleep_quality", self.sleep_quality),
            ("soreness", "soreness", self.soreness),
            ("fatigue", "fatigue", self.fatigue),
            ("stress", "stress", self.stress),
            ("mood", "mood", self.mood),
            ("motivation", "motivation", self.motivation),
            ("injury", "injury", self.injury),
        ] {
            if let Some(v) = v {
                put(key, int(field, v, 1, 4, scale)?);
            }
        }
        if let Some(v) = self.spo2 {
            put("spO2", num("spo2", v, 50.0, 100.0, "%")?);
        }
        if let Some(v) = self.steps {
            put("steps", int("steps", v, 0, 200_000, "0–200000 steps")?);
        }
        if let Some(c) = &self.comments {
            put("comments", json!(c));
        }
        if m.is_empty() {
            return Err(bad(
                "update",
                "nothing to change; give at least one value".into(),
            ));
        }
        m.insert("id".into(), json!(day.format("%Y-%m-%d").to_string()));
        Ok(Value::Object(m))
    }
}

/// One day of the fitness chart.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct FitnessDay {
    /// The day.
    #[schemars(with = "String")]
    pub date: NaiveDate,
    /// Fitness (CTL).
    pub ctl: Option<f64>,
    /// Fatigue (ATL).
    pub atl: Option<f64>,
    /// Form: CTL − ATL, when both are known.
    pub form: Option<f64>,
    /// Ramp rate.
    pub ramp_rate: Option<f64>,
    /// Estimated FTP for the sport asked for, watts.
    pub eftp: Option<f64>,
}

/// A weekly row of the athlete summary (spec `SummaryWithCats`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct SummaryRow {
    /// The first day of the period.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub date: Field<Day>,
    /// The athlete.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub athlete_id: Field<String>,
    /// Activities.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub count: Field<i64>,
    /// Moving time, seconds.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub moving_time: Field<i64>,
    /// Distance, metres.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub distance: Field<f64>,
    /// Training load.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub training_load: Field<f64>,
    /// Fitness (CTL).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub fitness: Field<f64>,
    /// Fatigue (ATL).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub fatigue: Field<f64>,
    /// Form.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub form: Field<f64>,
    /// Ramp rate.
    #[serde(rename = "rampRate", skip_serializing_if = "Field::is_absent")]
    pub ramp_rate: Field<f64>,
    /// Estimated FTP.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub eftp: Field<f64>,
    /// Per-category breakdown, as sent.
    #[serde(rename = "byCategory", skip_serializing_if = "Field::is_absent")]
    pub by_category: Field<Value>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

impl IcuClient {
    /// `GET /api/v1/athlete/{id}/wellness?oldest&newest`: one record per day in the range.
    pub async fn wellness(
        &self,
        athlete: Option<&str>,
        oldest: NaiveDate,
        newest: NaiveDate,
    ) -> Result<Vec<Wellness>, IcuError> {
        check_range(oldest, newest)?;
        let a = self.athlete(athlete)?;
        let q = Query::new().push("oldest", oldest).push("newest", newest);
        let LenientList(list) = self
            .get(&format!("/api/v1/athlete/{a}/wellness{}", q.render()))
            .await?;
        Ok(list)
    }

    /// `PUT /api/v1/athlete/{id}/wellness/{date}`: writes one day; only the fields set change.
    pub async fn update_wellness(
        &self,
        athlete: Option<&str>,
        day: NaiveDate,
        update: &WellnessUpdate,
    ) -> Result<Wellness, IcuError> {
        let a = self.athlete(athlete)?;
        let body = update.body(day)?;
        self.request(
            Method::Put,
            &format!("/api/v1/athlete/{a}/wellness/{}", day.format("%Y-%m-%d")),
            Some(&body),
        )
        .await
    }

    /// The fitness chart over a range, from
    /// `GET /api/v1/athlete/{id}/wellness?oldest&newest&fields=id,ctl,atl,rampRate,sportInfo`
    /// (`fields` trims each record to what the chart needs). eFTP is taken from `sportInfo`
    /// for `sport` (e.g. `Ride`). Days whose id is not a date are skipped.
    pub async fn fitness(
        &self,
        athlete: Option<&str>,
        oldest: NaiveDate,
        newest: NaiveDate,
        sport: &str,
    ) -> Result<Vec<FitnessDay>, IcuError> {
        check_range(oldest, newest)?;
        let a = self.athlete(athlete)?;
        let q = Query::new()
            .push("oldest", oldest)
            .push("newest", newest)
            .push("fields", "id,ctl,atl,rampRate,sportInfo");
        let LenientList(list): LenientList<Wellness> = self
            .get(&format!("/api/v1/athlete/{a}/wellness{}", q.render()))
            .await?;
        let mut days: Vec<FitnessDay> = list
            .into_iter()
            .filter_map(|w| {
                let date = w.id.get()?.date();
                let (ctl, atl) = (w.ctl.val(), w.atl.val());
                let eftp = w.sport_info.get().and_then(|infos| {
                    infos
                        .iter()
                        .find(|i| i.sport.get().is_some_and(|s| s.eq_ignore_ascii_case(sport)))
                        .and_then(|i| i.eftp.val())
                });
                Some(FitnessDay {
                    date,
                    ctl,
                    atl,
                    form: ctl.zip(atl).map(|(c, a)| c - a),
                    ramp_rate: w.ramp_rate.val(),
                    eftp,
                })
            })
            .collect();
        days.sort_by_key(|d| d.date);
        Ok(days)
    }

    /// `GET /api/v1/athlete/{id}/athlete-summary?start&end`: weekly rows (load, fitness,
    /// fatigue, form, ramp rate, eFTP, per-category totals). For a coach it lists every
    /// followed athlete; with a bearer token only the token's athlete (spec §3.1).
    pub async fn athlete_summary(
        &self,
        athlete: Option<&str>,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<Vec<SummaryRow>, IcuError> {
        check_range(start, end)?;
        let a = self.athlete(athlete)?;
        let q = Query::new().push("start", start).push("end", end);
        let LenientList(list) = self
            .get(&format!(
                "/api/v1/athlete/{a}/athlete-summary{}",
                q.render()
            ))
            .await?;
        Ok(list)
    }
}
