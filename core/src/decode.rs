//! Decoding a JSON value into a typed struct, naming the JSON path of the first bad field.
//!
//! Every typed decode in core goes through [`from_value`]: the responses of both platforms
//! (`trainingpeaks::from_value`, `intervals::from_value`), tool arguments
//! (`tools::parse_args`) and the lenient reads of wire structs (`wire::read`). One
//! deserializer for all of them matters for the extension's wasm module (issue 12): a type's
//! `Deserialize` is compiled once per deserializer type it meets, and `serde_path_to_error`
//! over serde_json's `&Value` deserializer put two layers of wrappers around every visitor.
//! This is one layer, over `&Value` only.
//!
//! It reads what serde_json's `&Value` deserializer reads, with one exception, and words errors
//! the same way (they are `serde_json::Error`s, made by serde_json's own constructors); the
//! path is written as `serde_path_to_error` writes it (`athletes[1].athleteId`, `.` for the
//! root), so messages are unchanged. The path is carried by the error itself and built while
//! the error travels up, so an error a visitor catches and drops leaves nothing behind.
//!
//! The exception: a struct must be a JSON object. serde_json also reads a struct from an
//! array, field by position; nothing Paceline reads is written that way (tool arguments are
//! objects by their schema, the platforms answer objects), and supporting it compiled a
//! positional decoder into every struct's `Deserialize`, 125 KB of the wasm module. An array
//! where a struct belongs is refused as `invalid type: sequence, expected struct …` at its
//! path.

use std::fmt;

use serde::de::{
    self, DeserializeOwned, DeserializeSeed, EnumAccess, Expected, IntoDeserializer, MapAccess,
    SeqAccess, Unexpected, VariantAccess, Visitor,
};
use serde_json::Value;

/// Decodes `T` from `v`; on failure the error names where.
pub fn from_value<T: DeserializeOwned>(v: &Value) -> Result<T, DecodeError> {
    T::deserialize(ValueDe(v))
}

/// A failed decode: serde_json's error and the JSON path where it happened.
#[derive(Debug)]
pub struct DecodeError {
    inner: serde_json::Error,
    /// Innermost segment first (pushed while the error travels up).
    rev_path: Vec<Segment>,
}

#[derive(Debug)]
enum Segment {
    Key(String),
    Index(usize),
    Variant(String),
    /// A map key that is not read as text (a number), written `?`.
    NotText,
}

impl DecodeError {
    fn new(inner: serde_json::Error) -> Self {
        Self {
            inner,
            rev_path: Vec::new(),
        }
    }

    fn within(mut self, segment: Segment) -> Self {
        self.rev_path.push(segment);
        self
    }

    /// The error of the entry `key` (of the key itself if `in_key`). Not inlined: one copy,
    /// not one in every visitor's `MapAccess` calls.
    #[inline(never)]
    fn at_key(self, key: &str, in_key: bool) -> Self {
        // A refused key (an unknown field) is named by itself, as `serde_path_to_error`
        // does; one that was to be a number is `?` already.
        if in_key && matches!(self.rev_path.last(), Some(Segment::NotText)) {
            return self;
        }
        self.within(Segment::Key(key.to_string()))
    }

    /// The JSON path, as `serde_path_to_error` writes it: keys joined by `.`, indices as
    /// `[i]`, `.` for the root.
    pub fn path(&self) -> String {
        if self.rev_path.is_empty() {
            return ".".into();
        }
        let mut out = String::new();
        for (i, segment) in self.rev_path.iter().rev().enumerate() {
            match segment {
                Segment::Index(index) => out.push_str(&format!("[{index}]")),
                Segment::Key(key) | Segment::Variant(key) => {
                    if i > 0 {
                        out.push('.');
                    }
                    out.push_str(key);
                }
                Segment::NotText => {
                    if i > 0 {
                        out.push('.');
                    }
                    out.push('?');
                }
            }
        }
        out
    }

    /// serde_json's error, without the path.
    pub fn into_inner(self) -> serde_json::Error {
        self.inner
    }
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.rev_path.iter().all(|s| matches!(s, Segment::NotText)) {
            write!(f, "{}", self.inner)
        } else {
            write!(f, "{}: {}", self.path(), self.inner)
        }
    }
}

impl std::error::Error for DecodeError {}

// Each constructor is serde_json's, so the wording is serde_json's (e.g. `null`, not `unit
// value`, in "invalid type" messages).
impl de::Error for DecodeError {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Self::new(<serde_json::Error as de::Error>::custom(msg))
    }
    fn invalid_type(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        Self::new(<serde_json::Error as de::Error>::invalid_type(unexp, exp))
    }
    fn invalid_value(unexp: Unexpected<'_>, exp: &dyn Expected) -> Self {
        Self::new(<serde_json::Error as de::Error>::invalid_value(unexp, exp))
    }
    fn invalid_length(len: usize, exp: &dyn Expected) -> Self {
        Self::new(<serde_json::Error as de::Error>::invalid_length(len, exp))
    }
    fn unknown_variant(variant: &str, expected: &'static [&'static str]) -> Self {
        Self::new(<serde_json::Error as de::Error>::unknown_variant(
            variant, expected,
        ))
    }
    fn unknown_field(field: &str, expected: &'static [&'static str]) -> Self {
        Self::new(<serde_json::Error as de::Error>::unknown_field(
            field, expected,
        ))
    }
    fn missing_field(field: &'static str) -> Self {
        Self::new(<serde_json::Error as de::Error>::missing_field(field))
    }
    fn duplicate_field(field: &'static str) -> Self {
        Self::new(<serde_json::Error as de::Error>::duplicate_field(field))
    }
}

/// What serde_json's `Value::unexpected` says a value is, for "invalid type" messages.
fn unexpected(v: &Value) -> Unexpected<'_> {
    match v {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64()) {
            (Some(u), _) => Unexpected::Unsigned(u),
            (None, Some(i)) => Unexpected::Signed(i),
            _ => Unexpected::Float(n.as_f64().unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

/// The ten numeric `deserialize_*` methods of a deserializer that reads every number through
/// its own `number` (a JSON number for values, the key's text for map keys): written once for
/// both, since serde's trait wants each by name.
macro_rules! numbers_through_number {
    () => {
        numbers_through_number!(
            deserialize_i8 deserialize_i16 deserialize_i32 deserialize_i64 deserialize_u8
            deserialize_u16 deserialize_u32 deserialize_u64 deserialize_f32 deserialize_f64
        );
    };
    ($($name:ident)+) => {
        $(
            fn $name<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
                self.number(visitor)
            }
        )+
    };
}

/// A `&Value` as a deserializer.
struct ValueDe<'a>(&'a Value);

impl<'de> ValueDe<'de> {
    fn invalid<V: Visitor<'de>>(&self, visitor: &V) -> DecodeError {
        de::Error::invalid_type(unexpected(self.0), visitor)
    }

    fn number<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Number(n) => visit_number(n, visitor),
            _ => Err(self.invalid(&visitor)),
        }
    }
}

/// A number as serde_json hands it over: unsigned, else signed, else float.
fn visit_number<'de, V: Visitor<'de>>(
    n: &serde_json::Number,
    visitor: V,
) -> Result<V::Value, DecodeError> {
    match (n.as_u64(), n.as_i64()) {
        (Some(u), _) => visitor.visit_u64(u),
        (None, Some(i)) => visitor.visit_i64(i),
        _ => visitor.visit_f64(n.as_f64().unwrap_or(f64::NAN)),
    }
}

fn visit_array<'de, V: Visitor<'de>>(
    items: &'de [Value],
    visitor: V,
) -> Result<V::Value, DecodeError> {
    let mut seq = Seq {
        iter: items.iter(),
        index: 0,
    };
    let out = visitor.visit_seq(&mut seq)?;
    if seq.iter.len() == 0 {
        Ok(out)
    } else {
        Err(de::Error::invalid_length(
            items.len(),
            &"fewer elements in array",
        ))
    }
}

fn visit_object<'de, V: Visitor<'de>>(
    map: &'de serde_json::Map<String, Value>,
    visitor: V,
) -> Result<V::Value, DecodeError> {
    let mut access = Map {
        iter: map.iter(),
        value: None,
    };
    let out = visitor.visit_map(&mut access)?;
    if access.iter.len() == 0 {
        Ok(out)
    } else {
        Err(de::Error::invalid_length(
            map.len(),
            &"fewer elements in map",
        ))
    }
}

impl<'de> de::Deserializer<'de> for ValueDe<'de> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => visit_number(n, visitor),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visit_array(items, visitor),
            Value::Object(map) => visit_object(map, visitor),
        }
    }

    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Bool(b) => visitor.visit_bool(*b),
            _ => Err(self.invalid(&visitor)),
        }
    }

    numbers_through_number!();

    fn deserialize_char<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_str(visitor)
    }
    fn deserialize_str<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::String(s) => visitor.visit_borrowed_str(s),
            _ => Err(self.invalid(&visitor)),
        }
    }
    fn deserialize_string<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_str(visitor)
    }
    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visit_array(items, visitor),
            _ => Err(self.invalid(&visitor)),
        }
    }
    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_bytes(visitor)
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Null => visitor.visit_unit(),
            _ => Err(self.invalid(&visitor)),
        }
    }
    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.deserialize_unit(visitor)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Array(items) => visit_array(items, visitor),
            _ => Err(self.invalid(&visitor)),
        }
    }
    fn deserialize_tuple<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.deserialize_seq(visitor)
    }
    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            Value::Object(map) => visit_object(map, visitor),
            _ => Err(self.invalid(&visitor)),
        }
    }
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        // Only from an object, as a map: not from an array (see the module's documentation).
        self.deserialize_map(visitor)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        let (variant, value) = match self.0 {
            Value::Object(map) => {
                let mut iter = map.iter();
                match (iter.next(), iter.next()) {
                    (Some((variant, value)), None) => (variant.as_str(), Some(value)),
                    _ => {
                        return Err(de::Error::invalid_value(
                            Unexpected::Map,
                            &"map with a single key",
                        ));
                    }
                }
            }
            Value::String(variant) => (variant.as_str(), None),
            other => {
                return Err(de::Error::invalid_type(unexpected(other), &"string or map"));
            }
        };
        visitor.visit_enum(Enum { variant, value })
    }

    fn deserialize_identifier<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        self.deserialize_str(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_unit()
    }
}

/// The elements of an array; an element's error gets its index.
struct Seq<'a> {
    iter: std::slice::Iter<'a, Value>,
    index: usize,
}

impl<'de> SeqAccess<'de> for Seq<'de> {
    type Error = DecodeError;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, DecodeError> {
        let Some(v) = self.iter.next() else {
            return Ok(None);
        };
        let index = self.index;
        self.index += 1;
        seed.deserialize(ValueDe(v))
            .map(Some)
            .map_err(|e| e.within(Segment::Index(index)))
    }

    fn size_hint(&self) -> Option<usize> {
        match self.iter.size_hint() {
            (lower, Some(upper)) if lower == upper => Some(upper),
            _ => None,
        }
    }
}

/// The entries of an object; an error in a key or its value gets the key.
struct Map<'a> {
    iter: serde_json::map::Iter<'a>,
    value: Option<(&'a str, &'a Value)>,
}

// Not inlined: one copy, not one in every visitor's `MapAccess` calls (issue 12).
impl<'a> Map<'a> {
    /// The next entry's key, keeping its value for `next_value_seed`.
    #[inline(never)]
    fn advance(&mut self) -> Option<&'a str> {
        let (key, value) = self.iter.next()?;
        self.value = Some((key, value));
        Some(key)
    }

    /// The entry whose key was read last.
    #[inline(never)]
    fn take_value(&mut self) -> Result<(&'a str, &'a Value), DecodeError> {
        self.value
            .take()
            .ok_or_else(|| de::Error::custom("value is missing"))
    }
}

impl<'de> MapAccess<'de> for Map<'de> {
    type Error = DecodeError;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, DecodeError> {
        let Some(key) = self.advance() else {
            return Ok(None);
        };
        seed.deserialize(KeyDe(key))
            .map(Some)
            .map_err(|e| e.at_key(key, true))
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<T::Value, DecodeError> {
        let (key, value) = self.take_value()?;
        seed.deserialize(ValueDe(value))
            .map_err(|e| e.at_key(key, false))
    }

    fn size_hint(&self) -> Option<usize> {
        match self.iter.size_hint() {
            (lower, Some(upper)) if lower == upper => Some(upper),
            _ => None,
        }
    }
}

/// An object key: text, or a number written as text (as serde_json reads map keys).
struct KeyDe<'a>(&'a str);

impl<'de> KeyDe<'de> {
    fn number<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        // The key's text must be a JSON number: serde_json parses it as one.
        let out = match serde_json::from_str::<serde_json::Number>(self.0) {
            Ok(n) => visit_number(&n, visitor),
            Err(_) => Err(de::Error::custom(
                "invalid value: expected key to be a number in quotes",
            )),
        };
        out.map_err(|e| e.within(Segment::NotText))
    }
}

impl<'de> de::Deserializer<'de> for KeyDe<'de> {
    type Error = DecodeError;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_borrowed_str(self.0)
    }
    numbers_through_number!();
    fn deserialize_bool<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        match self.0 {
            "true" => visitor.visit_bool(true),
            "false" => visitor.visit_bool(false),
            key => Err(de::Error::invalid_type(Unexpected::Str(key), &visitor)),
        }
    }
    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, DecodeError> {
        visitor.visit_some(self)
    }
    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        visitor.visit_newtype_struct(self)
    }
    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        visitor.visit_enum(Enum {
            variant: self.0,
            value: None,
        })
    }

    serde::forward_to_deserialize_any! {
        char str string bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

/// An enum: the variant's name and, unless it is a unit variant written as a string, its
/// content. An error in the content gets the variant's name.
struct Enum<'a> {
    variant: &'a str,
    value: Option<&'a Value>,
}

impl<'de> EnumAccess<'de> for Enum<'de> {
    type Error = DecodeError;
    type Variant = Self;

    fn variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<(T::Value, Self), DecodeError> {
        let name: de::value::StrDeserializer<'_, DecodeError> = self.variant.into_deserializer();
        seed.deserialize(name).map(|v| (v, self))
    }
}

impl<'de> Enum<'de> {
    fn within(&self, e: DecodeError) -> DecodeError {
        e.within(Segment::Variant(self.variant.to_string()))
    }
}

impl<'de> VariantAccess<'de> for Enum<'de> {
    type Error = DecodeError;

    fn unit_variant(self) -> Result<(), DecodeError> {
        match self.value {
            Some(v) => <() as de::Deserialize>::deserialize(ValueDe(v)).map_err(|e| self.within(e)),
            None => Ok(()),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(
        self,
        seed: T,
    ) -> Result<T::Value, DecodeError> {
        let out = match self.value {
            Some(v) => seed.deserialize(ValueDe(v)),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"newtype variant",
            )),
        };
        out.map_err(|e| self.within(e))
    }

    fn tuple_variant<V: Visitor<'de>>(
        self,
        _len: usize,
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        let out = match self.value {
            Some(Value::Array(items)) if items.is_empty() => visitor.visit_unit(),
            Some(Value::Array(items)) => visit_array(items, visitor),
            Some(other) => Err(de::Error::invalid_type(unexpected(other), &"tuple variant")),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"tuple variant",
            )),
        };
        out.map_err(|e| self.within(e))
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, DecodeError> {
        let out = match self.value {
            Some(Value::Object(map)) => visit_object(map, visitor),
            Some(other) => Err(de::Error::invalid_type(
                unexpected(other),
                &"struct variant",
            )),
            None => Err(de::Error::invalid_type(
                Unexpected::UnitVariant,
                &"struct variant",
            )),
        };
        out.map_err(|e| self.within(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    /// Decodes through this module and through `serde_path_to_error` over serde_json (what it
    /// replaced), and returns both results rendered as text.
    fn both<T: DeserializeOwned + fmt::Debug>(v: Value) -> (String, String) {
        let ours = match from_value::<T>(&v) {
            Ok(t) => format!("ok {t:?}"),
            Err(e) => format!("err {} | {}", e.path(), e.into_inner()),
        };
        let theirs = match serde_path_to_error::deserialize::<_, T>(&v) {
            Ok(t) => format!("ok {t:?}"),
            Err(e) => format!("err {} | {}", e.path(), e.inner()),
        };
        (ours, theirs)
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    enum Kind {
        Plain,
        Count(u32),
        Pair(i64, i64),
        Shape { w: f64 },
    }

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Inner {
        id: i64,
        #[serde(default)]
        tags: Vec<String>,
        kind: Option<Kind>,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Outer {
        name: String,
        items: Vec<Inner>,
        #[serde(default)]
        ratio: Option<f64>,
        #[serde(default)]
        flag: bool,
        #[serde(default)]
        unit: Option<()>,
        #[serde(default)]
        byte: Option<u8>,
        #[serde(default)]
        by_number: std::collections::BTreeMap<u32, String>,
        #[serde(flatten)]
        rest: serde_json::Map<String, Value>,
    }

    #[test]
    fn decodes_and_words_errors_as_serde_path_to_error_over_serde_json() {
        let inputs = [
            json!({"name": "a", "items": [{"id": 1, "tags": ["x"], "kind": "Plain"}],
                   "ratio": 0.5, "flag": true, "unit": null, "byte": 7,
                   "by_number": {"3": "three"}, "other": [1, {"k": null}]}),
            json!({"name": "a", "items": [{"id": 1}, {"id": "x"}]}),
            json!({"name": "a", "items": [{"id": 1}, {}]}),
            json!({"items": []}),
            json!({"name": 5, "items": []}),
            json!({"name": "a", "items": [{"id": 1, "nope": 2}]}),
            json!({"name": "a", "items": [{"id": 1, "kind": "Other"}]}),
            json!({"name": "a", "items": [{"id": 1, "kind": {"Count": -1}}]}),
            json!({"name": "a", "items": [{"id": 1, "kind": {"Count": 3}}]}),
            json!({"name": "a", "items": [{"id": 1, "kind": {"Pair": [1, 2]}}]}),
            json!({"name": "a", "items": [{"id": 1, "kind": {"Pair": [1, "b"]}}]}),
            json!({"name": "a", "items": [{"id": 1, "kind": {"Pair": 3}}]}),
            json!({"name": "a", "items": [{"id": 1, "kind": {"Shape": {"w": 2.5}}}]}),
            json!({"name": "a", "items": [{"id": 1, "kind": {"Shape": {"w": "x"}}}]}),
            json!({"name": "a", "items": [{"id": 1, "kind": {"Shape": {}, "Plain": null}}]}),
            json!({"name": "a", "items": [{"id": 1, "kind": "Count"}]}),
            json!({"name": "a", "items": [{"id": 1, "kind": 4}]}),
            json!({"name": "a", "items": [{"id": 1.5}]}),
            json!({"name": "a", "items": [{"id": -3}], "byte": 300}),
            json!({"name": "a", "items": [{"id": 1}], "ratio": "x"}),
            json!({"name": "a", "items": [{"id": 1}], "flag": null}),
            json!({"name": "a", "items": [{"id": 1}], "unit": 1}),
            json!({"name": "a", "items": {"id": 1}}),
            json!({"name": "a", "items": [{"id": 1}], "by_number": {"x": "y"}}),
            json!(null),
            json!("text"),
        ];
        for input in inputs {
            let (ours, theirs) = both::<Outer>(input.clone());
            assert_eq!(ours, theirs, "{input}");
        }
        let (ours, theirs) = both::<Vec<Option<u8>>>(json!([1, null, -1]));
        assert_eq!(ours, theirs);
        assert!(
            ours.starts_with("err [2] | invalid value: integer `-1`"),
            "{ours}"
        );
    }

    #[test]
    fn a_struct_is_not_read_from_an_array() {
        // serde_json reads it by position; this module refuses it, naming where.
        let input = json!({"name": "a", "items": [[2, ["t"], null]]});
        let (ours, theirs) = both::<Outer>(input);
        assert!(theirs.starts_with("ok "), "{theirs}");
        assert_eq!(
            ours,
            "err items[0] | invalid type: sequence, expected struct Inner"
        );
        let err = from_value::<Outer>(&json!(["a", []])).unwrap_err();
        assert_eq!(err.path(), ".");
        assert_eq!(
            err.to_string(),
            "invalid type: sequence, expected struct Outer"
        );
    }

    #[test]
    fn paths_are_written_as_before() {
        let err = from_value::<Outer>(&json!({"name": "a", "items": [{"id": 1}, {"id": "x"}]}))
            .unwrap_err();
        assert_eq!(err.path(), "items[1].id");
        assert_eq!(
            err.to_string(),
            "items[1].id: invalid type: string \"x\", expected i64"
        );
        let err = from_value::<Outer>(&json!({"items": []})).unwrap_err();
        assert_eq!(err.path(), ".");
        assert_eq!(err.to_string(), "missing field `name`");
    }

    #[test]
    fn a_dropped_error_leaves_no_path_behind() {
        // `Field` reads whatever is there through `Value` and keeps what it cannot read; an
        // error a visitor drops must not decorate a later one.
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        struct Lenient {
            #[serde(default, deserialize_with = "lenient_u8")]
            first: Option<u8>,
            second: u8,
        }
        fn lenient_u8<'de, D: de::Deserializer<'de>>(d: D) -> Result<Option<u8>, D::Error> {
            Ok(Option::<u8>::deserialize(d).ok().flatten())
        }
        let err = from_value::<Lenient>(&json!({"first": "x", "second": "y"})).unwrap_err();
        assert_eq!(err.path(), "second");
    }
}
