//! Best-effort curves across activities: power, heart rate and pace (spec §3.2 "Curves").

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{IcuClient, IcuError, Query, check_range, path_id};
use crate::wire::{Day, Field, Rest, float_of};

/// Which curve.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CurveKind {
    /// `power-curves`: watts over durations.
    Power,
    /// `hr-curves`: bpm over durations.
    HeartRate,
    /// `pace-curves`: seconds over distances.
    Pace,
}

impl CurveKind {
    fn path(self) -> &'static str {
        match self {
            CurveKind::Power => "power-curves",
            CurveKind::HeartRate => "hr-curves",
            CurveKind::Pace => "pace-curves",
        }
    }
}

/// Which curves to ask for.
#[derive(Debug, Clone, PartialEq)]
pub struct CurveQuery {
    /// The sport (`Ride`, `Run`, …); required by the power-curve endpoint (a 422 without it,
    /// eddmann issue #16), sent for all three.
    pub sport: String,
    /// Curve specs: `1y`, `42d`, `s0` (this season), `s1`, `all`, or a date range
    /// ([`CurveQuery::range`]). Empty means the API default (the last year).
    pub curves: Vec<String>,
    /// Pace only: gradient-adjusted pace.
    pub gap: bool,
    /// Optional activity filters, a JSON `ActivityFilter[]` (e.g. the seed's
    /// `[{"field_id":"indoor","value":true,"id":1}]`), sent as `filters`.
    pub filters: Option<Value>,
}

impl CurveQuery {
    /// The curves for `sport` over `curves`.
    pub fn new(sport: &str, curves: &[&str]) -> Self {
        Self {
            sport: sport.into(),
            curves: curves.iter().map(|c| c.to_string()).collect(),
            gap: false,
            filters: None,
        }
    }

    /// The curve spec for a date range: `r.YYYY-MM-DD.YYYY-MM-DD`.
    pub fn range(oldest: NaiveDate, newest: NaiveDate) -> Result<String, IcuError> {
        check_range(oldest, newest)?;
        Ok(format!("r.{oldest}.{newest}"))
    }
}

/// One curve (spec `PowerCurve`/`HRCurve`/`PaceCurve`). Its arrays are parallel (the n-th
/// duration goes with the n-th value), so they are kept as sent and read by index with
/// [`Curve::points`]: a lenient list would drop an odd element and shift the rest.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct Curve {
    /// The id (`s0`, `1y`, `r.….…`).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub id: Field<String>,
    /// Label.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub label: Field<String>,
    /// First day covered.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub start_date_local: Field<Day>,
    /// Last day covered.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub end_date_local: Field<Day>,
    /// Durations, seconds (power and HR curves).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub secs: Field<Value>,
    /// Distances, metres (pace curves).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub distance: Field<Value>,
    /// Best values: watts, bpm, or seconds for the distance.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub values: Field<Value>,
    /// Watts per kilogram (power curves).
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub watts_per_kg: Field<Value>,
    /// The activity each value came from.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub activity_id: Field<Value>,
    /// Everything else (models, ranks), kept.
    #[serde(flatten)]
    pub rest: Rest,
}

crate::lenient_struct!(Curve);

/// One point of a curve.
#[derive(Debug, Clone, PartialEq, Serialize, schemars::JsonSchema)]
pub struct CurvePoint {
    /// Seconds (power, HR) or metres (pace).
    pub x: f64,
    /// Watts, bpm, or seconds.
    pub value: Option<f64>,
    /// Watts per kg, power curves only.
    pub per_kg: Option<f64>,
    /// The activity that set it.
    pub activity_id: Option<String>,
}

fn nth(v: &Field<Value>, i: usize) -> Option<&Value> {
    v.get().and_then(Value::as_array).and_then(|a| a.get(i))
}

impl Curve {
    /// The points in order, paired by index; a point whose x is unreadable is skipped.
    pub fn points(&self) -> Vec<CurvePoint> {
        let xs = if self.secs.is_present() {
            &self.secs
        } else {
            &self.distance
        };
        let len = xs.get().and_then(Value::as_array).map_or(0, Vec::len);
        (0..len)
            .filter_map(|i| {
                let x = nth(xs, i).and_then(float_of)?;
                Some(CurvePoint {
                    x,
                    value: nth(&self.values, i).and_then(float_of),
                    per_kg: nth(&self.watts_per_kg, i).and_then(float_of),
                    activity_id: nth(&self.activity_id, i).and_then(|v| match v {
                        Value::String(s) => Some(s.clone()),
                        Value::Number(n) => Some(n.to_string()),
                        _ => None,
                    }),
                })
            })
            .collect()
    }
}

/// The answer (spec `DataCurveSet…`).
#[derive(Debug, Clone, Default, PartialEq, Deserialize, Serialize)]
#[serde(default)]
pub struct CurveSet {
    /// The curves.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub list: Field<Vec<Curve>>,
    /// The activities the curves refer to, by id.
    #[serde(skip_serializing_if = "Field::is_absent")]
    pub activities: Field<Value>,
    /// Everything else, kept.
    #[serde(flatten)]
    pub rest: Rest,
}

impl IcuClient {
    /// `GET /api/v1/athlete/{id}/{power,hr,pace}-curves?type=…[&curves=a,b][&gap=true][&filters=…]`.
    /// The spec marks `f1`/`f2`/`f3` required, but describes them as optional comparisons
    /// ("if set"); they are not sent.
    pub async fn curves(
        &self,
        athlete: Option<&str>,
        kind: CurveKind,
        query: &CurveQuery,
    ) -> Result<CurveSet, IcuError> {
        let a = self.athlete(athlete)?;
        let sport = path_id("type", &query.sport)?;
        for c in &query.curves {
            if c.is_empty()
                || !c
                    .chars()
                    .all(|ch| ch.is_ascii_alphanumeric() || ch == '.' || ch == '-')
            {
                return Err(IcuError::InvalidInput {
                    field: "curves".into(),
                    message: format!(
                        "{c:?} is not a curve (e.g. 1y, 42d, s0, s1, all, r.2026-01-01.2026-03-31)"
                    ),
                });
            }
        }
        let filters = match &query.filters {
            None => None,
            Some(f @ Value::Array(_)) => Some(f.to_string()),
            Some(_) => {
                return Err(IcuError::InvalidInput {
                    field: "filters".into(),
                    message: "filters must be a JSON list of activity filters".into(),
                });
            }
        };
        let q = Query::new()
            .push("type", sport)
            .push_opt(
                "curves",
                (!query.curves.is_empty()).then(|| query.curves.join(",")),
            )
            .push_opt(
                "gap",
                (kind == CurveKind::Pace && query.gap).then_some(true),
            )
            .push_opt("filters", filters);
        let path = format!("/api/v1/athlete/{a}/{}{}", kind.path(), q.render());
        match self
            .request_json(crate::http::Method::Get, &path, None)
            .await?
        {
            Value::Null => Ok(CurveSet::default()),
            v => super::from_value(v, &path),
        }
    }
}
