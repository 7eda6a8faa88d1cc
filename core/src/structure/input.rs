//! A lenient, borrowed input model that serde fills straight from JSON text or from a
//! `serde_json::Value`.
//!
//! Why not walk a `serde_json::Value`? With `preserve_order` every object becomes an `IndexMap`
//! with an owned `String` per key, which costs more than the whole compile. Here keys are
//! matched without allocating, strings are borrowed when they hold no escapes, and every field
//! accepts *any* JSON type: a wrong type is recorded as a [`Scalar`] so that the compiler can
//! report it with the exact field path instead of a serde error that names no path.

use serde::Deserialize;
use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use std::borrow::Cow;
use std::fmt;

/// The JSON type of a value, for error messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Null,
    Bool,
    Number,
    String,
    Array,
    Object,
}

impl Kind {
    pub(crate) fn name(self) -> &'static str {
        match self {
            Kind::Null => "null",
            Kind::Bool => "a boolean",
            Kind::Number => "a number",
            Kind::String => "a string",
            Kind::Array => "an array",
            Kind::Object => "an object",
        }
    }
}

/// Any JSON value where a scalar is expected; arrays and objects are skipped, not kept.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Scalar<'de> {
    Null,
    Bool(bool),
    Num(f64),
    Str(Cow<'de, str>),
    Array,
    Object,
}

impl Scalar<'_> {
    pub(crate) fn kind(&self) -> Kind {
        match self {
            Scalar::Null => Kind::Null,
            Scalar::Bool(_) => Kind::Bool,
            Scalar::Num(_) => Kind::Number,
            Scalar::Str(_) => Kind::String,
            Scalar::Array => Kind::Array,
            Scalar::Object => Kind::Object,
        }
    }

    /// A short rendering of the value for "got …" in error messages.
    pub(crate) fn describe(&self) -> String {
        match self {
            Scalar::Num(n) => format!("{n}"),
            Scalar::Str(s) => {
                let cut: String = s.chars().take(40).collect();
                format!("\"{cut}\"")
            }
            Scalar::Bool(b) => format!("{b}"),
            other => other.kind().name().to_owned(),
        }
    }
}

fn drain_seq<'de, A: SeqAccess<'de>>(mut seq: A) -> Result<(), A::Error> {
    while seq.next_element::<IgnoredAny>()?.is_some() {}
    Ok(())
}

fn drain_map<'de, A: MapAccess<'de>>(mut map: A) -> Result<(), A::Error> {
    while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
    Ok(())
}

/// Implements the non-container `visit_*` methods of a visitor whose value can record "this was
/// not what I expected" through a `From<Scalar>` conversion.
macro_rules! scalar_visits {
    () => {
        fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
            Ok(Scalar::Bool(v).into())
        }
        fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
            Ok(Scalar::Num(v as f64).into())
        }
        fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
            Ok(Scalar::Num(v as f64).into())
        }
        fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
            Ok(Scalar::Num(v).into())
        }
        fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
            Ok(Scalar::Str(Cow::Borrowed(v)).into())
        }
        fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
            Ok(Scalar::Str(Cow::Owned(v.to_owned())).into())
        }
        fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
            Ok(Scalar::Str(Cow::Owned(v)).into())
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Scalar::Null.into())
        }
        fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Scalar::Null.into())
        }
        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
            d.deserialize_any(self)
        }
    };
}

struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Scalar<'de>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    scalar_visits!();
    fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
        drain_seq(seq)?;
        Ok(Scalar::Array)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        drain_map(map)?;
        Ok(Scalar::Object)
    }
}

impl<'de> Deserialize<'de> for Scalar<'de> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ScalarVisitor)
    }
}

/// A value expected to be an array of `T`; anything else is kept as the [`Scalar`] it was.
#[derive(Debug)]
pub(crate) enum Arr<'de, T> {
    Items(Vec<T>),
    Not(Scalar<'de>),
}

impl<'de, T> From<Scalar<'de>> for Arr<'de, T> {
    fn from(s: Scalar<'de>) -> Self {
        Arr::Not(s)
    }
}

struct ArrVisitor<T>(std::marker::PhantomData<T>);

impl<'de, T: Deserialize<'de>> Visitor<'de> for ArrVisitor<T> {
    type Value = Arr<'de, T>;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    scalar_visits!();
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(4).min(64));
        while let Some(item) = seq.next_element::<T>()? {
            items.push(item);
        }
        Ok(Arr::Items(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
        drain_map(map)?;
        Ok(Arr::Not(Scalar::Object))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Arr<'de, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(ArrVisitor(std::marker::PhantomData))
    }
}

/// Declares an object model: every listed JSON key goes to its field; unknown keys are either
/// kept (as `serde_json::Value`, for wire pass-through) or skipped; a non-object is recorded in
/// `not_object`.
macro_rules! object_model {
    (
        $(#[$meta:meta])*
        $name:ident, $visitor:ident, keep_unknown = $keep:literal {
            $( $field:ident : $ty:ty = [$($key:literal),+] ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Default)]
        pub(crate) struct $name<'de> {
            /// Set when the value was not a JSON object.
            pub(crate) not_object: Option<Scalar<'de>>,
            $( pub(crate) $field: Option<$ty>, )*
            /// Unknown keys (kept only where the wire format passes them through).
            pub(crate) extra: Vec<(String, serde_json::Value)>,
        }

        impl<'de> From<Scalar<'de>> for $name<'de> {
            fn from(s: Scalar<'de>) -> Self {
                $name { not_object: Some(s), ..Default::default() }
            }
        }

        struct $visitor;

        impl<'de> Visitor<'de> for $visitor {
            type Value = $name<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any JSON value")
            }
            scalar_visits!();
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                drain_seq(seq)?;
                Ok(Scalar::Array.into())
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = $name::default();
                while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                    match &*key {
                        $( $($key)|+ => { out.$field = Some(map.next_value()?); } )*
                        _ => {
                            if $keep {
                                let v: serde_json::Value = map.next_value()?;
                                out.extra.push((key.into_owned(), v));
                            } else {
                                map.next_value::<IgnoredAny>()?;
                            }
                        }
                    }
                }
                Ok(out)
            }
        }

        impl<'de> Deserialize<'de> for $name<'de> {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any($visitor)
            }
        }
    };
}

object_model! {
    /// The root object of any accepted format.
    InRoot, RootVisitor, keep_unknown = false {
        steps: Arr<'de, InStep<'de>> = ["steps"],
        structure: Arr<'de, InStep<'de>> = ["structure"],
        primary_intensity_metric: Scalar<'de> = ["primaryIntensityMetric", "primary_intensity_metric"],
        visualization_distance_unit: Scalar<'de> = ["visualizationDistanceUnit"],
    }
}

object_model! {
    /// A step, a repetition, a ramp or a wire block: the union of every format's keys.
    InStep, StepVisitor, keep_unknown = true {
        name: Scalar<'de> = ["name"],
        kind: Scalar<'de> = ["type"],
        // Friendly keys.
        duration_seconds: Scalar<'de> = ["duration_seconds"],
        distance_meters: Scalar<'de> = ["distance_meters"],
        intensity_min: Scalar<'de> = ["intensity_min"],
        intensity_max: Scalar<'de> = ["intensity_max"],
        intensity_start: Scalar<'de> = ["intensity_start"],
        intensity_end: Scalar<'de> = ["intensity_end"],
        steps_count: Scalar<'de> = ["steps_count"],
        cadence_min: Scalar<'de> = ["cadence_min"],
        cadence_max: Scalar<'de> = ["cadence_max"],
        reps: Scalar<'de> = ["reps"],
        open_duration: Scalar<'de> = ["open_duration"],
        // Shared and wire keys.
        intensity_class: Scalar<'de> = ["intensityClass", "intensity_class"],
        open_duration_wire: Scalar<'de> = ["openDuration"],
        length: InLength<'de> = ["length"],
        targets: Arr<'de, InTarget<'de>> = ["targets"],
        steps: Arr<'de, InStep<'de>> = ["steps"],
        // Recomputed, so read and dropped.
        begin: IgnoredAny = ["begin"],
        end: IgnoredAny = ["end"],
    }
}

object_model! {
    /// A wire `length` object.
    InLength, LengthVisitor, keep_unknown = false {
        value: Scalar<'de> = ["value"],
        unit: Scalar<'de> = ["unit"],
    }
}

object_model! {
    /// A wire target.
    InTarget, TargetVisitor, keep_unknown = true {
        min_value: Scalar<'de> = ["minValue"],
        max_value: Scalar<'de> = ["maxValue"],
        unit: Scalar<'de> = ["unit"],
    }
}

impl InStep<'_> {
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

/// Reads the root model from a `serde_json::Value` by reference (strings stay borrowed).
pub(crate) fn root_from_value(v: &serde_json::Value) -> Result<InRoot<'_>, serde_json::Error> {
    InRoot::deserialize(v)
}
