//! Borrowed views over parsed JSON: each object is read once, its known keys picked out by
//! reference, so that compiling allocates nothing for the input.
//!
//! Two trees are read through the same [`Tree`] trait: a `serde_json::Value` (MCP tools receive
//! the structure already parsed) and [`TextNode`], a light tree that [`crate::structure::compile()`]
//! parses text into. Why not parse text into a `Value` too? With `preserve_order` every object
//! becomes an `IndexMap` with a hashed, owned `String` per key, which costs several times the
//! whole compile; a `TextNode` keeps keys and strings borrowed from the text and objects as plain
//! vectors. A view is a handful of small fields filled by one pass over an object's entries (no
//! hashing, no copies); every field keeps *any* JSON type so that the compiler can report a wrong
//! type with the exact field path. A value that is present but `null` is still `Some(JsonRef::Null)`:
//! some rules ("a step cannot contain steps") look at presence, others treat `null` as absent.

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};
use std::borrow::Cow;
use std::fmt;

/// One JSON value as the compiler reads it (numbers as the f64 it validates).
pub(crate) enum JsonRef<'a, T> {
    Null,
    Bool(bool),
    Num(f64),
    Str(&'a str),
    Arr(&'a [T]),
    Obj(&'a T),
}

// Manual impls: a derive would require `T: Copy`.
impl<T> Clone for JsonRef<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}
impl<T> Copy for JsonRef<'_, T> {}

/// A parsed JSON tree the compiler can read.
pub(crate) trait Tree: Sized {
    /// The value's type and scalar content.
    fn read(&self) -> JsonRef<'_, Self>;
    /// Calls `f` on each `(key, value)` of an object, in order (nothing for non-objects).
    fn for_each_entry<'a>(&'a self, f: impl FnMut(&'a str, &'a Self));
    /// An owned `serde_json::Value` copy (for unknown keys passed through).
    fn to_value(&self) -> Value;
}

impl Tree for Value {
    #[inline]
    fn read(&self) -> JsonRef<'_, Self> {
        match self {
            Value::Null => JsonRef::Null,
            Value::Bool(b) => JsonRef::Bool(*b),
            // Without `arbitrary_precision` every number has an f64 reading.
            Value::Number(n) => JsonRef::Num(n.as_f64().unwrap_or(f64::NAN)),
            Value::String(s) => JsonRef::Str(s),
            Value::Array(v) => JsonRef::Arr(v),
            Value::Object(_) => JsonRef::Obj(self),
        }
    }
    #[inline]
    fn for_each_entry<'a>(&'a self, mut f: impl FnMut(&'a str, &'a Self)) {
        if let Value::Object(map) = self {
            for (k, v) in map {
                f(k, v);
            }
        }
    }
    fn to_value(&self) -> Value {
        self.clone()
    }
}

/// A JSON tree parsed from text, borrowing keys and unescaped strings from it.
#[derive(Debug)]
pub(crate) enum TextNode<'de> {
    Null,
    Bool(bool),
    /// Integers keep their exact value for pass-through (as `serde_json::Value` would).
    U64(u64),
    I64(i64),
    F64(f64),
    Str(Cow<'de, str>),
    Arr(Vec<TextNode<'de>>),
    /// Entries in input order; duplicate keys are all kept (the view reads the last one).
    Obj(Vec<(Cow<'de, str>, TextNode<'de>)>),
}

impl Tree for TextNode<'_> {
    #[inline]
    fn read(&self) -> JsonRef<'_, Self> {
        match self {
            TextNode::Null => JsonRef::Null,
            TextNode::Bool(b) => JsonRef::Bool(*b),
            TextNode::U64(n) => JsonRef::Num(*n as f64),
            TextNode::I64(n) => JsonRef::Num(*n as f64),
            TextNode::F64(x) => JsonRef::Num(*x),
            TextNode::Str(s) => JsonRef::Str(s),
            TextNode::Arr(v) => JsonRef::Arr(v),
            TextNode::Obj(_) => JsonRef::Obj(self),
        }
    }
    #[inline]
    fn for_each_entry<'a>(&'a self, mut f: impl FnMut(&'a str, &'a Self)) {
        if let TextNode::Obj(entries) = self {
            for (k, v) in entries {
                f(k, v);
            }
        }
    }
    fn to_value(&self) -> Value {
        // Mirrors serde_json's own `Value` deserialiser (so text and value input agree).
        match self {
            TextNode::Null => Value::Null,
            TextNode::Bool(b) => Value::Bool(*b),
            TextNode::U64(n) => Value::from(*n),
            TextNode::I64(n) => Value::from(*n),
            TextNode::F64(x) => serde_json::Number::from_f64(*x).map_or(Value::Null, Value::Number),
            TextNode::Str(s) => Value::String(s.to_string()),
            TextNode::Arr(v) => Value::Array(v.iter().map(Tree::to_value).collect()),
            TextNode::Obj(entries) => {
                let mut map = Map::new();
                for (k, v) in entries {
                    map.insert(k.to_string(), v.to_value());
                }
                Value::Object(map)
            }
        }
    }
}

struct TextVisitor;

impl<'de> Visitor<'de> for TextVisitor {
    type Value = TextNode<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
        Ok(TextNode::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(TextNode::I64(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(TextNode::U64(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(TextNode::F64(v))
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(TextNode::Str(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(TextNode::Str(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(TextNode::Str(Cow::Owned(v)))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(TextNode::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(TextNode::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(64));
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(TextNode::Arr(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        // Steps have about eight keys: one allocation in the common case.
        let mut entries = Vec::with_capacity(map.size_hint().unwrap_or(8).min(64));
        // Not `next_key::<Cow<str>>`: serde's `Cow<str>` always allocates an owned `String`,
        // one allocation per key (a tenth of a compile); `Key` borrows unless the key has an
        // escape.
        while let Some(Key(key)) = map.next_key::<Key<'de>>()? {
            entries.push((key, map.next_value()?));
        }
        Ok(TextNode::Obj(entries))
    }
}

/// An object key, borrowed from the text when it has no escape sequence.
struct Key<'de>(Cow<'de, str>);

impl<'de> Deserialize<'de> for Key<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_str(KeyVisitor)
    }
}

struct KeyVisitor;

impl<'de> Visitor<'de> for KeyVisitor {
    type Value = Key<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string key")
    }
    fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
        Ok(Key(Cow::Borrowed(v)))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(v.to_owned())))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Key(Cow::Owned(v)))
    }
}

impl<'de> Deserialize<'de> for TextNode<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(TextVisitor)
    }
}

impl<T> JsonRef<'_, T> {
    /// The JSON type of a value, for error messages.
    pub(crate) fn kind_name(self) -> &'static str {
        match self {
            JsonRef::Null => "null",
            JsonRef::Bool(_) => "a boolean",
            JsonRef::Num(_) => "a number",
            JsonRef::Str(_) => "a string",
            JsonRef::Arr(_) => "an array",
            JsonRef::Obj(_) => "an object",
        }
    }

    /// A short rendering of a value for "got …" in error messages.
    pub(crate) fn describe(self) -> String {
        match self {
            JsonRef::Num(n) => crate::decimal::shortest(n),
            JsonRef::Str(s) => {
                let cut: String = s.chars().take(40).collect();
                format!("\"{cut}\"")
            }
            JsonRef::Bool(b) => format!("{b}"),
            other => other.kind_name().to_owned(),
        }
    }

    pub(crate) fn is_null(self) -> bool {
        matches!(self, JsonRef::Null)
    }

    pub(crate) fn is_array(self) -> bool {
        matches!(self, JsonRef::Arr(_))
    }
}

/// The root object of any accepted format.
pub(crate) struct InRoot<'a, T> {
    pub(crate) steps: Option<JsonRef<'a, T>>,
    pub(crate) structure: Option<JsonRef<'a, T>>,
    pub(crate) primary_intensity_metric: Option<JsonRef<'a, T>>,
    pub(crate) visualization_distance_unit: Option<JsonRef<'a, T>>,
    /// The first key (in input order) that a friendly root does not accept: anything but
    /// `steps`, `primaryIntensityMetric` and `visualizationDistanceUnit` (`structure` is kept in
    /// its own field). Only friendly roots reject it; wire roots carry more keys
    /// (`polyline`, `primaryLengthMetric`, …) that the compiler recomputes.
    pub(crate) unknown: Option<&'a str>,
}

impl<'a, T: Tree> InRoot<'a, T> {
    pub(crate) fn of(obj: &'a T) -> Self {
        let mut out = InRoot {
            steps: None,
            structure: None,
            primary_intensity_metric: None,
            visualization_distance_unit: None,
            unknown: None,
        };
        obj.for_each_entry(|k, v| match k {
            "steps" => out.steps = Some(v.read()),
            "structure" => out.structure = Some(v.read()),
            "primaryIntensityMetric" | "primary_intensity_metric" => {
                out.primary_intensity_metric = Some(v.read());
            }
            "visualizationDistanceUnit" => out.visualization_distance_unit = Some(v.read()),
            _ => {
                if out.unknown.is_none() {
                    out.unknown = Some(k);
                }
            }
        });
        out
    }
}

/// Declares a view struct over an object: one `Option<JsonRef>` per known field, filled by a single
/// pass over the entries (the last duplicate wins). A view declared with `pass_through` also
/// keeps the object, and its `extra()` returns exactly the keys it does not read (wire input
/// preserves them), minus the `ignore` list.
macro_rules! view {
    (@of $name:ident, $obj:ident, $out:ident, $( $field:ident = [$($key:literal),+] ),*) => {{
        if let JsonRef::Obj(node) = $obj {
            node.for_each_entry(|k, v| {
                // Compare lengths (constants) before bytes: most arms are rejected by one
                // integer compare, without a byte comparison.
                let n = k.len();
                $(
                    if $( (n == const { $key.len() } && k == $key) )||+ {
                        $out.$field = Some(v.read());
                        return;
                    }
                )*
            });
        } else {
            $out.not_object = Some($obj);
        }
        $out
    }};
    (
        $(#[$meta:meta])*
        $name:ident { $( $field:ident = [$($key:literal),+] ),* $(,)? }
    ) => {
        $(#[$meta])*
        pub(crate) struct $name<'a, T> {
            /// Set when the value was not a JSON object.
            pub(crate) not_object: Option<JsonRef<'a, T>>,
            $( pub(crate) $field: Option<JsonRef<'a, T>>, )*
        }

        impl<'a, T: Tree> $name<'a, T> {
            pub(crate) fn of(v: JsonRef<'a, T>) -> Self {
                let mut out = $name { not_object: None, $( $field: None, )* };
                view!(@of $name, v, out, $( $field = [$($key),+] ),*)
            }
        }
    };
    (
        $(#[$meta:meta])*
        $name:ident (pass_through) { $( $field:ident = [$($key:literal),+] ),* $(,)? }
        ignore [$($ignored:literal),*]
    ) => {
        $(#[$meta])*
        pub(crate) struct $name<'a, T> {
            /// The value itself, for [`Self::extra`].
            node: JsonRef<'a, T>,
            /// Set when the value was not a JSON object.
            pub(crate) not_object: Option<JsonRef<'a, T>>,
            $( pub(crate) $field: Option<JsonRef<'a, T>>, )*
        }

        impl<'a, T: Tree> $name<'a, T> {
            pub(crate) fn of(v: JsonRef<'a, T>) -> Self {
                let mut out = $name { node: v, not_object: None, $( $field: None, )* };
                view!(@of $name, v, out, $( $field = [$($key),+] ),*)
            }

            /// The unknown keys, in input order, for wire pass-through.
            pub(crate) fn extra(&self) -> Vec<(String, Value)> {
                let mut out = Vec::new();
                if let JsonRef::Obj(node) = self.node {
                    node.for_each_entry(|k, v| {
                        if !matches!(k, $( $($key)|+ )|* $(| $ignored)*) {
                            out.push((k.to_owned(), v.to_value()));
                        }
                    });
                }
                out
            }
        }
    };
}

/// The keys an [`InStep`] reads, for [`step_key`].
#[derive(Clone, Copy)]
enum StepKey {
    Name,
    Kind,
    DurationSeconds,
    DistanceMeters,
    IntensityMin,
    IntensityMax,
    IntensityStart,
    IntensityEnd,
    StepsCount,
    CadenceMin,
    CadenceMax,
    Reps,
    OpenDuration,
    IntensityClass,
    OpenDurationWire,
    Length,
    Targets,
    Steps,
}

/// Classifies a step key. Steps are the bulk of every input, so this dispatches on the key's
/// length first: each arm then compares against at most four constants of that length, which
/// the compiler turns into a couple of word compares (no string-compare loop, no chain of 20
/// comparisons for the keys near the end of the list).
#[inline(always)]
fn step_key(k: &str) -> Option<StepKey> {
    use StepKey as K;
    Some(match k.len() {
        4 => match k {
            "name" => K::Name,
            "type" => K::Kind,
            "reps" => K::Reps,
            _ => return None,
        },
        5 if k == "steps" => K::Steps,
        6 if k == "length" => K::Length,
        7 if k == "targets" => K::Targets,
        11 => match k {
            "steps_count" => K::StepsCount,
            "cadence_min" => K::CadenceMin,
            "cadence_max" => K::CadenceMax,
            _ => return None,
        },
        12 if k == "openDuration" => K::OpenDurationWire,
        13 => match k {
            "intensity_min" => K::IntensityMin,
            "intensity_max" => K::IntensityMax,
            "intensity_end" => K::IntensityEnd,
            "open_duration" => K::OpenDuration,
            _ => return None,
        },
        14 if k == "intensityClass" => K::IntensityClass,
        15 => match k {
            "distance_meters" => K::DistanceMeters,
            "intensity_start" => K::IntensityStart,
            "intensity_class" => K::IntensityClass,
            _ => return None,
        },
        16 if k == "duration_seconds" => K::DurationSeconds,
        _ => return None,
    })
}

/// A step, a repetition, a ramp or a wire block: the union of every format's keys, one
/// `Option<JsonRef>` per key, filled by a single pass over the entries (the last duplicate wins).
pub(crate) struct InStep<'a, T> {
    /// The value itself, for [`Self::extra`].
    node: JsonRef<'a, T>,
    /// Set when the value was not a JSON object.
    pub(crate) not_object: Option<JsonRef<'a, T>>,
    /// The first key (in input order) that no format's step reads. Wire input passes such keys
    /// through ([`Self::extra`]); the friendly format rejects them. Recorded while the entries
    /// are scanned anyway, so the friendly check costs one branch per step.
    pub(crate) unknown: Option<&'a str>,
    pub(crate) name: Option<JsonRef<'a, T>>,
    pub(crate) kind: Option<JsonRef<'a, T>>,
    // Friendly keys.
    pub(crate) duration_seconds: Option<JsonRef<'a, T>>,
    pub(crate) distance_meters: Option<JsonRef<'a, T>>,
    pub(crate) intensity_min: Option<JsonRef<'a, T>>,
    pub(crate) intensity_max: Option<JsonRef<'a, T>>,
    pub(crate) intensity_start: Option<JsonRef<'a, T>>,
    pub(crate) intensity_end: Option<JsonRef<'a, T>>,
    pub(crate) steps_count: Option<JsonRef<'a, T>>,
    pub(crate) cadence_min: Option<JsonRef<'a, T>>,
    pub(crate) cadence_max: Option<JsonRef<'a, T>>,
    pub(crate) reps: Option<JsonRef<'a, T>>,
    pub(crate) open_duration: Option<JsonRef<'a, T>>,
    // Shared and wire keys.
    pub(crate) intensity_class: Option<JsonRef<'a, T>>,
    pub(crate) open_duration_wire: Option<JsonRef<'a, T>>,
    pub(crate) length: Option<JsonRef<'a, T>>,
    pub(crate) targets: Option<JsonRef<'a, T>>,
    pub(crate) steps: Option<JsonRef<'a, T>>,
}

impl<'a, T: Tree> InStep<'a, T> {
    pub(crate) fn of(v: JsonRef<'a, T>) -> Self {
        let mut out = InStep {
            node: v,
            not_object: None,
            unknown: None,
            name: None,
            kind: None,
            duration_seconds: None,
            distance_meters: None,
            intensity_min: None,
            intensity_max: None,
            intensity_start: None,
            intensity_end: None,
            steps_count: None,
            cadence_min: None,
            cadence_max: None,
            reps: None,
            open_duration: None,
            intensity_class: None,
            open_duration_wire: None,
            length: None,
            targets: None,
            steps: None,
        };
        let JsonRef::Obj(node) = v else {
            out.not_object = Some(v);
            return out;
        };
        node.for_each_entry(|k, v| {
            let Some(key) = step_key(k) else {
                if out.unknown.is_none() {
                    out.unknown = Some(k);
                }
                return;
            };
            let slot = match key {
                StepKey::Name => &mut out.name,
                StepKey::Kind => &mut out.kind,
                StepKey::DurationSeconds => &mut out.duration_seconds,
                StepKey::DistanceMeters => &mut out.distance_meters,
                StepKey::IntensityMin => &mut out.intensity_min,
                StepKey::IntensityMax => &mut out.intensity_max,
                StepKey::IntensityStart => &mut out.intensity_start,
                StepKey::IntensityEnd => &mut out.intensity_end,
                StepKey::StepsCount => &mut out.steps_count,
                StepKey::CadenceMin => &mut out.cadence_min,
                StepKey::CadenceMax => &mut out.cadence_max,
                StepKey::Reps => &mut out.reps,
                StepKey::OpenDuration => &mut out.open_duration,
                StepKey::IntensityClass => &mut out.intensity_class,
                StepKey::OpenDurationWire => &mut out.open_duration_wire,
                StepKey::Length => &mut out.length,
                StepKey::Targets => &mut out.targets,
                StepKey::Steps => &mut out.steps,
            };
            *slot = Some(v.read());
        });
        out
    }

    /// The unknown keys, in input order, for wire pass-through (`begin`/`end` are recomputed,
    /// so never passed through).
    pub(crate) fn extra(&self) -> Vec<(String, Value)> {
        let mut out = Vec::new();
        if let JsonRef::Obj(node) = self.node {
            node.for_each_entry(|k, v| {
                if step_key(k).is_none() && !matches!(k, "begin" | "end") {
                    out.push((k.to_owned(), v.to_value()));
                }
            });
        }
        out
    }
}

view! {
    /// A wire `length` object.
    InLength {
        value = ["value"],
        unit = ["unit"],
    }
}

view! {
    /// A wire target.
    InTarget(pass_through) {
        min_value = ["minValue"],
        max_value = ["maxValue"],
        unit = ["unit"],
    }
    ignore []
}

impl<T> InStep<'_, T> {
    /// Whether this step uses a key that only the friendly format has.
    pub(crate) fn has_friendly_keys(&self) -> bool {
        self.duration_seconds.is_some()
            || self.distance_meters.is_some()
            || self.intensity_min.is_some()
            || self.intensity_max.is_some()
            || self.intensity_start.is_some()
            || self.intensity_end.is_some()
            || self.steps_count.is_some()
            || self.reps.is_some()
            || self.open_duration.is_some()
    }
}
