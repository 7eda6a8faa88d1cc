//! Tolerant wire scalars: how Paceline reads platforms whose JSON drifts.
//!
//! TrainingPeaks' API is undocumented and Intervals.icu's documentation is loose; third-party
//! clients disagree about the types of the same field (`shared/spec/trainingpeaks-api.md` marks
//! the conflicts). A response that differs a little from what we guessed must never break a
//! tool, so every wire struct is built from [`Field`]s:
//!
//! | the server sends | a `Field<i64>` reads | a `Field<f64>` reads | a `Field<Day>` reads |
//! |---|---|---|---|
//! | `5` | `5` | `5.0` | unreadable |
//! | `5.0` | `5` | `5.0` | unreadable |
//! | `"5"`, `" 5 "`, `"5.0"` | `5` | `5.0` | unreadable |
//! | `5.5`, `"abc"`, `{}` | unreadable | `5.5` / unreadable | unreadable |
//! | `null` | null | null | null |
//! | (no key) | absent | absent | absent |
//! | `"2026-11-20"`, `"2026-11-20T00:00:00"`, `"…T06:30:00.123Z"`, `"…+02:00"` | unreadable | unreadable | 20 Nov 2026 |
//!
//! A field that is absent, `null` or unreadable is simply "not known": the tool shows "—" in
//! its text and `null` in structured output. Only a field a tool cannot do without (a
//! workout's id, say) is [`Field::require`]d, and that error names the entity, the field and
//! what was seen. An unreadable value is kept as it arrived ([`Field::Unreadable`]) and is
//! serialised back unchanged, so a full-object PUT never destroys what we failed to read.
//!
//! Enum-like strings (event types, metric kinds, units) stay plain `String`s in wire structs:
//! an unknown value is kept, shown by its raw name and sent back as it came.
//!
//! Each wire struct also keeps the fields it does not model in a `#[serde(flatten)]`
//! [`Rest`] map, so what the server gave is sent back in the type the server gave it.

use std::fmt;

use chrono::{NaiveDate, NaiveDateTime, NaiveTime};
use std::marker::PhantomData;

use serde::de::{DeserializeOwned, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::{Map, Value};

/// The fields of a wire object that its struct does not model, kept verbatim.
pub type Rest = Map<String, Value>;

/// One field of a wire object, read leniently. See the module docs for what is accepted.
///
/// Use it with `#[serde(default, skip_serializing_if = "Field::is_absent")]` (or a
/// container-level `#[serde(default)]`) so a missing key stays missing on the way back.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Field<T> {
    /// The key was not in the object.
    #[default]
    Absent,
    /// The key was `null`.
    Null,
    /// The key held something that could not be read as `T`; kept to be sent back unchanged
    /// and to be quoted in errors. Boxed: a `Value` inline would make every field of every wire
    /// struct ~75 bytes, and a year of workouts three times slower to decode.
    Unreadable(Box<Value>),
    /// A readable value.
    Present(T),
}

/// A wire value that can be read leniently from any JSON value.
pub trait Lenient: Sized {
    /// What we expected, for error messages ("an id", "a date").
    const EXPECTED: &'static str;
    /// Reads `v`, or gives it back when it cannot be read as `Self`.
    fn from_json(v: Value) -> Result<Self, Value>;
}

impl<T> Field<T> {
    /// Whether the key was missing (for `skip_serializing_if`).
    pub fn is_absent(&self) -> bool {
        matches!(self, Field::Absent)
    }

    /// The value, if readable.
    pub fn get(&self) -> Option<&T> {
        match self {
            Field::Present(v) => Some(v),
            _ => None,
        }
    }

    /// The value, if readable, by value.
    pub fn into_option(self) -> Option<T> {
        match self {
            Field::Present(v) => Some(v),
            _ => None,
        }
    }

    /// Whether a readable value is present.
    pub fn is_present(&self) -> bool {
        matches!(self, Field::Present(_))
    }

    /// A short description of what was seen, for error messages.
    pub fn seen(&self) -> String {
        match self {
            Field::Absent => "no such field".into(),
            Field::Null => "null".into(),
            Field::Unreadable(v) => {
                let mut s = v.to_string();
                if s.chars().count() > 60 {
                    s = s.chars().take(60).collect::<String>() + "…";
                }
                s
            }
            Field::Present(_) => "a value".into(),
        }
    }
}

impl<T: Copy> Field<T> {
    /// The value, if readable, copied.
    pub fn val(&self) -> Option<T> {
        self.get().copied()
    }
}

impl<T: Clone + Lenient> Field<T> {
    /// The value of a field the caller cannot do without, or an error naming the entity, the
    /// wire field and what was seen.
    pub fn require(&self, entity: &str, field: &str) -> Result<T, MissingField> {
        self.get().cloned().ok_or_else(|| MissingField {
            entity: entity.to_string(),
            field: field.to_string(),
            expected: T::EXPECTED,
            seen: self.seen(),
        })
    }
}

impl<T> From<Option<T>> for Field<T> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Field::Null, Field::Present)
    }
}

impl<T> From<T> for Field<T>
where
    T: Lenient,
{
    fn from(v: T) -> Self {
        Field::Present(v)
    }
}

/// A field a tool needs was missing or unreadable.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the {entity} has no usable `{field}` (expected {expected}, saw {seen})")]
pub struct MissingField {
    /// The entity, e.g. "workout".
    pub entity: String,
    /// The wire field name, e.g. "workoutId".
    pub field: String,
    /// What was expected.
    pub expected: &'static str,
    /// What was seen.
    pub seen: String,
}

impl<'de, T: Lenient> Deserialize<'de> for Field<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        // Through `Value`, so no input can fail the enclosing struct: whatever is here is
        // either read or kept.
        Ok(match Value::deserialize(d)? {
            Value::Null => Field::Null,
            v => match T::from_json(v) {
                Ok(t) => Field::Present(t),
                Err(v) => Field::Unreadable(Box::new(v)),
            },
        })
    }
}

impl<T: Serialize> Serialize for Field<T> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            Field::Absent | Field::Null => s.serialize_none(),
            Field::Unreadable(v) => v.serialize(s),
            Field::Present(v) => v.serialize(s),
        }
    }
}

/// Reads an integer: a JSON integer, an integral float (`5.0`), or a string holding either.
pub fn int_of(v: &Value) -> Option<i64> {
    match v {
        Value::Number(n) => n.as_i64().or_else(|| n.as_f64().and_then(integral)),
        Value::String(s) => {
            let s = s.trim();
            s.parse::<i64>()
                .ok()
                .or_else(|| s.parse::<f64>().ok().and_then(integral))
        }
        _ => None,
    }
}

fn integral(f: f64) -> Option<i64> {
    // 2^63 is exactly representable; anything at or beyond it does not fit an i64.
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    (f.is_finite() && f.fract() == 0.0 && f.abs() < LIMIT).then_some(f as i64)
}

/// Reads a number: a JSON number or a string holding a finite one.
pub fn float_of(v: &Value) -> Option<f64> {
    match v {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

/// Reads a boolean: `true`/`false`, `"true"`/`"false"` (any case), `0`/`1`.
pub fn bool_of(v: &Value) -> Option<bool> {
    match v {
        Value::Bool(b) => Some(*b),
        Value::String(s) => match s.trim().to_ascii_lowercase().as_str() {
            "true" | "1" => Some(true),
            "false" | "0" => Some(false),
            _ => None,
        },
        Value::Number(_) => match int_of(v) {
            Some(0) => Some(false),
            Some(1) => Some(true),
            _ => None,
        },
        _ => None,
    }
}

impl Lenient for i64 {
    const EXPECTED: &'static str = "an integer";
    fn from_json(v: Value) -> Result<Self, Value> {
        int_of(&v).ok_or(v)
    }
}

impl Lenient for f64 {
    const EXPECTED: &'static str = "a number";
    fn from_json(v: Value) -> Result<Self, Value> {
        float_of(&v).ok_or(v)
    }
}

impl Lenient for bool {
    const EXPECTED: &'static str = "true or false";
    fn from_json(v: Value) -> Result<Self, Value> {
        bool_of(&v).ok_or(v)
    }
}

impl Lenient for String {
    const EXPECTED: &'static str = "text";
    /// Text, or a number/boolean shown as text (ids and codes drift between the two).
    fn from_json(v: Value) -> Result<Self, Value> {
        match v {
            Value::String(s) => Ok(s),
            Value::Number(n) => Ok(n.to_string()),
            Value::Bool(b) => Ok(b.to_string()),
            v => Err(v),
        }
    }
}

impl Lenient for Value {
    const EXPECTED: &'static str = "any JSON";
    fn from_json(v: Value) -> Result<Self, Value> {
        Ok(v)
    }
}

impl<T: Lenient> Lenient for Vec<T> {
    const EXPECTED: &'static str = "a list";
    /// A list whose unreadable elements are dropped (one odd entry must not hide the rest);
    /// anything but an array is unreadable.
    fn from_json(v: Value) -> Result<Self, Value> {
        match v {
            Value::Array(items) => Ok(items
                .into_iter()
                .filter_map(|i| T::from_json(i).ok())
                .collect()),
            v => Err(v),
        }
    }
}

/// Implements [`Lenient`] for wire structs (whose fields are all [`Field`]s, so only a
/// non-object can fail them).
#[macro_export]
macro_rules! lenient_struct {
    ($($t:ty),+ $(,)?) => {$(
        impl $crate::wire::Lenient for $t {
            const EXPECTED: &'static str = "an object";
            fn from_json(v: serde_json::Value) -> Result<Self, serde_json::Value> {
                if !v.is_object() {
                    return Err(v);
                }
                $crate::wire::read(&v).map_err(|_| v)
            }
        }
    )+};
}

/// Decodes `T` from a JSON value, for the lenient reads (which keep what fails rather than
/// report where, so the path is dropped). Every such read in core goes through here, and
/// through [`crate::decode`] like the reads that report the path (`trainingpeaks::from_value`,
/// tool arguments): one deserializer for all, so one copy of each type's decoder in the wasm
/// module (issue 12).
pub fn read<T: DeserializeOwned>(v: &Value) -> Result<T, serde_json::Error> {
    crate::decode::from_value(v).map_err(crate::decode::DecodeError::into_inner)
}

/// Reads a list of wire structs leniently: a non-array reads as empty, `null` as empty, and
/// elements that are not objects are skipped. For list responses, where one odd element must
/// not lose the others.
pub fn list_of<T: DeserializeOwned>(v: Value) -> Vec<T> {
    match v {
        Value::Array(items) => items.into_iter().filter_map(|i| read(&i).ok()).collect(),
        _ => Vec::new(),
    }
}

/// A text field that is not blank, as it came.
pub fn text(f: &Field<String>) -> Option<String> {
    f.get().filter(|s| !s.trim().is_empty()).cloned()
}

/// A text field trimmed, if anything is left.
pub fn trimmed_text(f: &Field<String>) -> Option<String> {
    f.get()
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// A list response read leniently: elements that are not objects are skipped (one odd entry
/// must not lose the others) and `null` reads as empty; anything but a list or `null` is an
/// error. Elements are decoded in one pass, straight from the response text.
/// Unlike [`list_of`], it decodes without an intermediate `Value`: `get_workouts` reads a
/// year of workouts through it, and the `Value` doubled that.
pub struct LenientList<T>(pub Vec<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for LenientList<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Outer<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for Outer<T> {
            type Value = LenientList<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list")
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(LenientList(Vec::new()))
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(LenientList(Vec::new()))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(Element(e)) = seq.next_element::<Element<T>>()? {
                    out.extend(e);
                }
                Ok(LenientList(out))
            }
        }
        d.deserialize_any(Outer(PhantomData))
    }
}

/// One list element: an object decoded as `T`, or `None` for anything else.
struct Element<T>(Option<T>);

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Element<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = Element<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a list element")
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(serde::de::value::MapAccessDeserializer::new(map))
                    .map(|t| Element(Some(t)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(Element(None))
            }
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(Element(None))
            }
            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(Element(None))
            }
            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(Element(None))
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(Element(None))
            }
            fn visit_str<E: serde::de::Error>(self, _: &str) -> Result<Self::Value, E> {
                Ok(Element(None))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(Element(None))
            }
            fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(Element(None))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A calendar day as the platforms write it: `YYYY-MM-DD` with an optional time part
/// (`THH:MM[:SS[.fff]]`, then `Z` or `±HH[:MM]`). The time and offset are ignored: a
/// `workoutDay` of `2026-11-20T00:00:00-05:00` is the 20th wherever the reader is. The text is
/// kept, so a round trip sends back exactly what came.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Day {
    date: NaiveDate,
    text: String,
}

impl Day {
    /// A day written as `YYYY-MM-DDT00:00:00` (how TrainingPeaks returns `workoutDay` and
    /// what the web app sends back).
    pub fn midnight(date: NaiveDate) -> Self {
        Self {
            date,
            text: format!("{}T00:00:00", date.format("%Y-%m-%d")),
        }
    }

    /// A day written as `YYYY-MM-DD`.
    pub fn plain(date: NaiveDate) -> Self {
        Self {
            date,
            text: date.format("%Y-%m-%d").to_string(),
        }
    }

    /// Parses any of the accepted forms.
    pub fn parse(s: &str) -> Option<Self> {
        let t = s.trim();
        let date = NaiveDate::parse_from_str(t.get(..10)?, "%Y-%m-%d").ok()?;
        let rest = &t[10..];
        if !rest.is_empty() {
            let time = rest.strip_prefix(['T', 't', ' '])?;
            parse_time(time)?;
        }
        Some(Self {
            date,
            text: s.to_string(),
        })
    }

    /// The date.
    pub fn date(&self) -> NaiveDate {
        self.date
    }

    /// The text as it came (or as it will be written).
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.date.format("%Y-%m-%d"))
    }
}

impl Lenient for Day {
    const EXPECTED: &'static str = "a date (YYYY-MM-DD…)";
    fn from_json(v: Value) -> Result<Self, Value> {
        match &v {
            Value::String(s) => Day::parse(s).ok_or(v),
            _ => Err(v),
        }
    }
}

impl Serialize for Day {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

/// A moment as the platforms write it: a date and time with optional fractional seconds and
/// an optional `Z`/offset, which is dropped (the wall-clock time as written is kept). The
/// text is kept for the round trip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stamp {
    at: NaiveDateTime,
    text: String,
}

impl Stamp {
    /// Parses a timestamp; a bare date reads as its midnight.
    pub fn parse(s: &str) -> Option<Self> {
        let day = Day::parse(s)?;
        let t = s.trim();
        let time = match t.get(11..) {
            Some(rest) if !rest.is_empty() => parse_time(rest)?,
            _ => NaiveTime::MIN,
        };
        Some(Self {
            at: day.date.and_time(time),
            text: s.to_string(),
        })
    }

    /// The wall-clock date and time as written.
    pub fn at(&self) -> NaiveDateTime {
        self.at
    }

    /// The text as it came.
    pub fn as_str(&self) -> &str {
        &self.text
    }
}

impl Lenient for Stamp {
    const EXPECTED: &'static str = "a date and time";
    fn from_json(v: Value) -> Result<Self, Value> {
        match &v {
            Value::String(s) => Stamp::parse(s).ok_or(v),
            _ => Err(v),
        }
    }
}

impl Serialize for Stamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.text)
    }
}

/// `HH:MM[:SS[.fff…]]` followed by nothing, `Z`, or `±HH[:MM]`.
fn parse_time(s: &str) -> Option<NaiveTime> {
    let (clock, zone) = match s.find(['Z', 'z', '+', '-']) {
        Some(i) => s.split_at(i),
        None => (s, ""),
    };
    let zone_ok = match zone {
        "" | "Z" | "z" => true,
        z => {
            let digits: String = z[1..].chars().filter(|c| *c != ':').collect();
            (digits.len() == 2 || digits.len() == 4) && digits.chars().all(|c| c.is_ascii_digit())
        }
    };
    if !zone_ok {
        return None;
    }
    NaiveTime::parse_from_str(clock, "%H:%M:%S%.f")
        .or_else(|_| NaiveTime::parse_from_str(clock, "%H:%M"))
        .ok()
}

// ---- numbers written back, and full-object PUT bodies

/// A number read leniently (a JSON number or a numeric string) that is written back exactly
/// as it came until it is replaced; a new value is written as JavaScript's `JSON.stringify`
/// would ([`js_number`]). Used for the numbers of objects that are PUT back whole, so an
/// untouched `265` stays `265` (not `265.0`) and an untouched `"265"` stays a string.
#[derive(Debug, Clone)]
pub struct Num {
    value: f64,
    raw: Option<Value>,
}

impl Num {
    /// A new value, written as [`js_number`].
    pub fn new(value: f64) -> Self {
        Self { value, raw: None }
    }

    /// A new value written as a JSON float (`96.0`), for fields whose requests are pinned
    /// in that form.
    pub fn float(value: f64) -> Self {
        Self {
            value,
            raw: serde_json::Number::from_f64(value).map(Value::Number),
        }
    }

    /// The value.
    pub fn get(&self) -> f64 {
        self.value
    }
}

impl PartialEq for Num {
    fn eq(&self, other: &Self) -> bool {
        self.value == other.value
    }
}

impl Lenient for Num {
    const EXPECTED: &'static str = "a number";
    fn from_json(v: Value) -> Result<Self, Value> {
        match float_of(&v) {
            Some(value) => Ok(Self {
                value,
                raw: Some(v),
            }),
            None => Err(v),
        }
    }
}

impl Serialize for Num {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match &self.raw {
            Some(raw) => raw.serialize(s),
            None => js_number(self.value).serialize(s),
        }
    }
}

/// A number read leniently (like `Field<f64>`) but written as JavaScript writes it: an
/// integral value goes back as an integer (`700000`, not `700000.0`), as the web app sends
/// distances.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct JsNum(pub f64);

impl Lenient for JsNum {
    const EXPECTED: &'static str = "a number";
    fn from_json(v: Value) -> Result<Self, Value> {
        float_of(&v).map(JsNum).ok_or(v)
    }
}

impl Serialize for JsNum {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        js_number(self.0).serialize(s)
    }
}

/// A number as JavaScript's `JSON.stringify` writes it: whole values as integers (`265`, not
/// `265.0`), others as floats. Zone bounds then look exactly like the web app's.
pub fn js_number(x: f64) -> Value {
    // 2^53: beyond it f64 has no fractional part anyway and i64 conversion stays exact.
    if x.is_finite() && x.fract() == 0.0 && x.abs() <= 9_007_199_254_740_992.0 {
        Value::from(x as i64)
    } else {
        serde_json::Number::from_f64(x).map_or(Value::Null, Value::Number)
    }
}

/// The body of a full-object PUT: `raw` (the object exactly as the server gave it) with only
/// the top-level keys whose value differs between `before` and `after` (the wire struct as
/// read, and after the tool's changes, both serialised) replaced or added. A key the tool did
/// not change goes back byte for byte as the server sent it, in its own types (an id that came
/// as `"901"` stays a string, a `5.0` stays a float), which a re-serialised struct would not
/// guarantee. A `raw` that is not an object gives `after` as it is.
pub fn changed_over(raw: &Value, before: &Value, after: &Value) -> Value {
    match (raw, before, after) {
        (Value::Object(r), Value::Object(b), Value::Object(a)) => {
            let mut out = r.clone();
            for (k, v) in a {
                if b.get(k) != Some(v) {
                    out.insert(k.clone(), v.clone());
                }
            }
            Value::Object(out)
        }
        _ => after.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn field<T: Lenient>(v: Value) -> Field<T> {
        serde_json::from_value(v).unwrap()
    }

    #[test]
    fn integers() {
        let cases: &[(&str, Value, Option<i64>)] = &[
            ("number", json!(5), Some(5)),
            ("negative", json!(-12), Some(-12)),
            ("integral float", json!(5.0), Some(5)),
            ("numeric string", json!("123"), Some(123)),
            ("padded string", json!(" 123 "), Some(123)),
            ("string float", json!("5.0"), Some(5)),
            ("fraction", json!(5.5), None),
            ("huge float", json!(1e300), None),
            ("text", json!("abc"), None),
            ("object", json!({}), None),
            ("bool", json!(true), None),
            ("u64 max", json!(u64::MAX), None),
        ];
        for (name, v, want) in cases {
            let f: Field<i64> = field(v.clone());
            assert_eq!(f.val(), *want, "{name}");
            if want.is_none() {
                assert_eq!(f, Field::Unreadable(Box::new(v.clone())), "{name} is kept");
            }
        }
    }

    #[test]
    fn floats_bools_and_text() {
        assert_eq!(field::<f64>(json!("1.25")).val(), Some(1.25));
        assert_eq!(field::<f64>(json!(3)).val(), Some(3.0));
        assert_eq!(field::<f64>(json!("NaN")).val(), None);
        assert_eq!(field::<f64>(json!("inf")).val(), None);
        assert_eq!(field::<bool>(json!("TRUE")).val(), Some(true));
        assert_eq!(field::<bool>(json!(0)).val(), Some(false));
        assert_eq!(field::<bool>(json!("maybe")).val(), None);
        assert_eq!(
            field::<String>(json!(7)).get().map(String::as_str),
            Some("7")
        );
        assert_eq!(
            field::<String>(json!("A")).get().map(String::as_str),
            Some("A")
        );
        assert!(field::<String>(json!([1])).get().is_none());
    }

    #[test]
    fn null_absent_and_round_trip() {
        #[derive(Deserialize, Serialize)]
        #[serde(rename_all = "camelCase")]
        struct W {
            #[serde(default, skip_serializing_if = "Field::is_absent")]
            id: Field<i64>,
            #[serde(default, skip_serializing_if = "Field::is_absent")]
            title: Field<String>,
            #[serde(default, skip_serializing_if = "Field::is_absent")]
            total_time: Field<f64>,
            #[serde(flatten)]
            rest: Rest,
        }
        let input =
            json!({"id": "42", "title": null, "totalTime": {"odd": 1}, "newThing": [1, "x"]});
        let w: W = serde_json::from_value(input).unwrap();
        assert_eq!(w.id.val(), Some(42));
        assert_eq!(w.title, Field::Null);
        assert!(w.total_time.get().is_none());
        let back = serde_json::to_value(&w).unwrap();
        // The id is written as what it means; what we could not read goes back unchanged.
        assert_eq!(
            back,
            json!({"id": 42, "title": null, "totalTime": {"odd": 1}, "newThing": [1, "x"]})
        );
        let w: W = serde_json::from_value(json!({})).unwrap();
        assert!(w.id.is_absent());
        assert_eq!(serde_json::to_value(&w).unwrap(), json!({}));
    }

    #[test]
    fn require_names_entity_field_and_what_was_seen() {
        let f: Field<i64> = field(json!("abc"));
        let e = f.require("workout", "workoutId").unwrap_err();
        assert_eq!(
            e.to_string(),
            "the workout has no usable `workoutId` (expected an integer, saw \"abc\")"
        );
        let e = Field::<i64>::Absent.require("event", "id").unwrap_err();
        assert!(e.to_string().contains("saw no such field"), "{e}");
        assert_eq!(field::<i64>(json!(9)).require("x", "id"), Ok(9));
    }

    #[test]
    fn days() {
        let d = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        for s in [
            "2026-11-20",
            "2026-11-20T00:00:00",
            "2026-11-20T06:30:00.123",
            "2026-11-20T06:30:00Z",
            "2026-11-20T06:30:00.5+02:00",
            "2026-11-20T23:59:59-0500",
            "2026-11-20 06:30",
        ] {
            let day = Day::parse(s).unwrap_or_else(|| panic!("{s}"));
            assert_eq!(day.date(), d, "{s}");
            assert_eq!(
                serde_json::to_value(&day).unwrap(),
                json!(s),
                "{s} round trip"
            );
        }
        for s in [
            "2026-13-01",
            "20261120",
            "2026-11-20Tnoon",
            "2026-11-20T06:30:00+2",
        ] {
            assert!(Day::parse(s).is_none(), "{s}");
        }
        assert_eq!(Day::midnight(d).as_str(), "2026-11-20T00:00:00");
        assert_eq!(Day::plain(d).as_str(), "2026-11-20");
        assert_eq!(field::<Day>(json!(20261120)).val_day(), None);
        let s = Stamp::parse("2026-11-20T06:30:15.25Z").unwrap();
        assert_eq!(s.at().format("%H:%M:%S").to_string(), "06:30:15");
        assert_eq!(
            Stamp::parse("2026-11-20").unwrap().at(),
            d.and_time(NaiveTime::MIN)
        );
    }

    #[test]
    fn lists_drop_odd_elements() {
        let f: Field<Vec<i64>> = field(json!([1, "2", "x", 3.0]));
        assert_eq!(f.get(), Some(&vec![1, 2, 3]));
        let f: Field<Vec<i64>> = field(json!("1,2"));
        assert!(f.get().is_none());
    }

    impl Field<Day> {
        fn val_day(&self) -> Option<NaiveDate> {
            self.get().map(Day::date)
        }
    }
    #[test]
    fn js_numbers() {
        let cases = [
            ("whole", 265.0, json!(265)),
            ("zero", 0.0, json!(0)),
            ("fraction", 3.7037037037037037, json!(3.7037037037037037)),
            ("nan", f64::NAN, Value::Null),
        ];
        for (name, x, want) in cases {
            assert_eq!(js_number(x), want, "{name}");
        }
    }

    #[test]
    fn nums_go_back_as_they_came_until_replaced() {
        for raw in [json!(265), json!(265.0), json!("265"), json!(" 265.5 ")] {
            let f: Field<Num> = serde_json::from_value(raw.clone()).unwrap();
            assert!(f.is_present(), "{raw}");
            assert_eq!(serde_json::to_value(&f).unwrap(), raw);
        }
        assert_eq!(serde_json::to_value(Num::new(250.0)).unwrap(), json!(250));
        assert_eq!(serde_json::to_value(Num::new(3.5)).unwrap(), json!(3.5));
    }

    #[test]
    fn changed_over_replaces_only_what_changed() {
        let raw = json!({"id": "7", "n": 5.0, "keep": [1], "x": "a"});
        let before = json!({"id": 7, "n": 5, "x": "a"});
        let after = json!({"id": 7, "n": 6, "x": "a", "new": true});
        assert_eq!(
            changed_over(&raw, &before, &after),
            json!({"id": "7", "n": 6, "keep": [1], "x": "a", "new": true})
        );
        assert_eq!(changed_over(&json!(null), &before, &after), after);
    }

    #[test]
    fn js_nums_read_leniently_and_write_like_javascript() {
        let f: Field<JsNum> = serde_json::from_value(json!("700000.0")).unwrap();
        assert_eq!(serde_json::to_value(&f).unwrap(), json!(700000));
        let f: Field<JsNum> = serde_json::from_value(json!(12.5)).unwrap();
        assert_eq!(serde_json::to_value(&f).unwrap(), json!(12.5));
    }
}
