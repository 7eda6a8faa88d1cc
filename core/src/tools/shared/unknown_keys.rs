//! Rejects argument keys a tool does not declare, generically, from its input schema.
//!
//! Why: serde ignores unknown fields by default, so a key like `"Routine re-sync; press
//! Allow"` used to pass validation and reach the confirmation window verbatim, and a misspelt
//! optional key (`workout_idd`) was silently dropped. Checking against the schema (rather than
//! `#[serde(deny_unknown_fields)]` on every argument struct) covers every tool at once, and
//! lets the error suggest the key the caller probably meant.
//!
//! The schema is the one `tools/list` publishes, so the model and this check agree: object
//! schemas that declare `properties` are closed (`additionalProperties: false`, added by
//! [`close_objects`]); free-form fields (`serde_json::Value`, maps) have no `properties` and
//! are left open — the workout `structure` compiler checks its own keys.

use serde_json::{Map, Value};

use crate::tools::ToolError;

/// Marks every object schema that lists `properties` and says nothing about extra keys as
/// closed (`additionalProperties: false`), as the published input schema. The root is the
/// argument object itself, so it is closed even without properties (a tool that takes none).
#[cfg(feature = "schemas")]
pub(crate) fn close_root(schema: &mut Value) {
    if let Value::Object(map) = schema
        && !map.contains_key("properties")
        && !map.contains_key("additionalProperties")
    {
        map.insert("properties".into(), Value::Object(Map::new()));
    }
    close_objects(schema);
}

#[cfg(feature = "schemas")]
fn close_objects(schema: &mut Value) {
    match schema {
        Value::Object(map) => {
            if map.contains_key("properties") && !map.contains_key("additionalProperties") {
                map.insert("additionalProperties".into(), Value::Bool(false));
            }
            map.values_mut().for_each(close_objects);
        }
        Value::Array(items) => items.iter_mut().for_each(close_objects),
        _ => {}
    }
}

/// Checks `args` against the closed input `schema`: the first key that is not declared, at
/// any depth where the schema declares properties, is an [`ToolError::InvalidArgs`] naming
/// its path, with a did-you-mean when a declared key is close.
pub(crate) fn check(schema: &Value, args: &Value) -> Result<(), ToolError> {
    Walker { root: schema }.check(schema, args, "", 0)
}

/// Deeper than this, the schema must be recursive; stop rather than recurse forever.
const MAX_DEPTH: usize = 32;

struct Walker<'a> {
    root: &'a Value,
}

impl<'a> Walker<'a> {
    /// Follows a local `$ref` (`#/$defs/Name`); anything else is returned as is.
    fn resolve(&self, mut schema: &'a Value) -> &'a Value {
        for _ in 0..MAX_DEPTH {
            let Some(r) = schema.get("$ref").and_then(Value::as_str) else {
                return schema;
            };
            let Some(pointer) = r.strip_prefix('#') else {
                return schema;
            };
            match self.root.pointer(pointer) {
                Some(target) => schema = target,
                None => return schema,
            }
        }
        schema
    }

    fn check(
        &self,
        schema: &'a Value,
        value: &Value,
        path: &str,
        depth: usize,
    ) -> Result<(), ToolError> {
        if depth > MAX_DEPTH {
            return Ok(());
        }
        let schema = self.resolve(schema);
        // Unions (`Option<Struct>`, tagged enums): the value fits if it fits one branch. If
        // none fits, report the branch that declares most of the value's keys, so a tagged
        // enum's error is about the variant the caller was writing.
        for key in ["anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = schema.get(key) {
                let mut best: Option<(usize, ToolError)> = None;
                for branch in branches {
                    // A branch of another JSON type (the `null` of an `Option`) cannot be the
                    // one the value was meant for.
                    if !admits_type(self.resolve(branch), value) {
                        continue;
                    }
                    match self.check(branch, value, path, depth + 1) {
                        Ok(()) => return Ok(()),
                        Err(e) => {
                            let score = declared_count(self.resolve(branch), value);
                            if best.as_ref().is_none_or(|(s, _)| score > *s) {
                                best = Some((score, e));
                            }
                        }
                    }
                }
                return best.map_or(Ok(()), |(_, e)| Err(e));
            }
        }
        match value {
            Value::Object(obj) => self.check_object(schema, obj, path, depth),
            Value::Array(items) => match schema.get("items") {
                Some(item_schema) if item_schema.is_object() => {
                    for (i, item) in items.iter().enumerate() {
                        self.check(item_schema, item, &format!("{path}[{i}]"), depth + 1)?;
                    }
                    Ok(())
                }
                _ => Ok(()),
            },
            _ => Ok(()),
        }
    }

    fn check_object(
        &self,
        schema: &'a Value,
        obj: &Map<String, Value>,
        path: &str,
        depth: usize,
    ) -> Result<(), ToolError> {
        let Some(Value::Object(props)) = schema.get("properties") else {
            return Ok(());
        };
        let closed = schema.get("additionalProperties") == Some(&Value::Bool(false));
        for (key, v) in obj {
            let field = if path.is_empty() {
                key.clone()
            } else {
                format!("{path}.{key}")
            };
            match props.get(key) {
                Some(prop) => self.check(prop, v, &field, depth + 1)?,
                None if closed => {
                    return Err(ToolError::invalid(field, unknown_message(key, props)));
                }
                None => {}
            }
        }
        Ok(())
    }
}

/// Whether a schema's `type` (if it states one) admits the value's JSON type.
fn admits_type(schema: &Value, value: &Value) -> bool {
    let name = match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    };
    let fits = |t: &Value| t == name || (name == "number" && t == "integer");
    match schema.get("type") {
        None => true,
        Some(Value::Array(types)) => types.iter().any(fits),
        Some(t) => fits(t),
    }
}

/// How many of the value's keys a branch declares (0 for non-objects).
fn declared_count(schema: &Value, value: &Value) -> usize {
    match (schema.get("properties"), value) {
        (Some(Value::Object(props)), Value::Object(obj)) => {
            obj.keys().filter(|k| props.contains_key(*k)).count()
        }
        _ => 0,
    }
}

fn unknown_message(key: &str, props: &Map<String, Value>) -> String {
    let names: Vec<&str> = props.keys().map(String::as_str).collect();
    match did_you_mean(key, &names) {
        Some(close) => format!("unknown argument; did you mean `{close}`?"),
        None if names.is_empty() => "unknown argument; this takes no arguments".into(),
        None => format!(
            "unknown argument; the accepted names here are: {}",
            names.join(", ")
        ),
    }
}

/// The declared name closest to `key`, if it is close enough to be a likely typo: the same
/// once case, `_` and `-` are ignored (`workoutId` → `workout_id`), or within an edit
/// distance of one per four characters of the longer name (at most 3; none below four
/// characters, where one edit turns any name into any other).
pub(crate) fn did_you_mean<'n>(key: &str, names: &[&'n str]) -> Option<&'n str> {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(|c| *c != '_' && *c != '-')
            .flat_map(char::to_lowercase)
            .collect()
    };
    let k = norm(key);
    if let Some(exact) = names.iter().find(|n| norm(n) == k) {
        return Some(exact);
    }
    names
        .iter()
        .filter_map(|n| {
            let n_norm = norm(n);
            let limit = (k.chars().count().max(n_norm.chars().count()) / 4).min(3);
            let d = edit_distance(&k, &n_norm);
            (d <= limit).then_some((d, *n))
        })
        .min_by_key(|(d, _)| *d)
        .map(|(_, n)| n)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = Vec::with_capacity(b.len() + 1);
        cur.push(i + 1);
        for (j, cb) in b.iter().enumerate() {
            let substitute = prev[j] + usize::from(ca != *cb);
            let delete = prev[j + 1] + 1;
            let insert = cur[j] + 1;
            cur.push(substitute.min(delete).min(insert));
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn edit_distances() {
        let cases = [
            ("", "", 0),
            ("abc", "abc", 0),
            ("workoutidd", "workoutid", 1),
            ("kitten", "sitting", 3),
            ("", "abc", 3),
            ("é", "e", 1),
        ];
        for (a, b, want) in cases {
            assert_eq!(edit_distance(a, b), want, "{a} / {b}");
        }
    }

    #[test]
    fn suggestions() {
        let names = ["workout_id", "athlete_id", "start_date", "end_date"];
        let cases = [
            ("workout_idd", Some("workout_id")),
            ("workoutId", Some("workout_id")),
            ("WORKOUT-ID", Some("workout_id")),
            ("start_dat", Some("start_date")),
            ("zzUnknown", None),
            ("id", None),
            ("date", None),
            ("ed", None),
        ];
        for (key, want) in cases {
            assert_eq!(did_you_mean(key, &names), want, "{key}");
        }
    }

    #[test]
    fn nested_objects_unions_and_free_form_fields() {
        let mut schema = json!({
            "type": "object",
            "properties": {
                "a": {"type": "integer"},
                "free": true,
                "map": {"type": "object", "additionalProperties": true},
                "list": {"type": "array", "items": {"$ref": "#/$defs/Item"}},
                "maybe": {"anyOf": [{"$ref": "#/$defs/Item"}, {"type": "null"}]},
                "tagged": {"oneOf": [
                    {"type": "object", "properties": {"kind": {"const": "x"}, "x": {}}},
                    {"type": "object", "properties": {"kind": {"const": "y"}, "y": {}}}
                ]}
            },
            "$defs": {"Item": {"type": "object", "properties": {"name": {"type": "string"}}}}
        });
        close_root(&mut schema);
        let ok = [
            json!({}),
            json!({"a": 1, "free": {"anything": [1, {"goes": true}]}}),
            json!({"map": {"k": 1}}),
            json!({"list": [{"name": "n"}], "maybe": null}),
            json!({"maybe": {"name": "n"}}),
            json!({"tagged": {"kind": "y", "y": 2}}),
            // Type errors are serde's business, not this check's.
            json!({"a": "not a number", "list": "not a list"}),
        ];
        for args in ok {
            assert_eq!(check(&schema, &args), Ok(()), "{args}");
        }
        let bad = [
            (json!({"b": 1}), "b", None),
            (
                json!({"list": [{"name": "n"}, {"nam": "n"}]}),
                "list[1].nam",
                Some("name"),
            ),
            (
                json!({"maybe": {"name": "n", "extra": 1}}),
                "maybe.extra",
                None,
            ),
            (
                json!({"tagged": {"kind": "y", "y": 2, "yy": 3}}),
                "tagged.yy",
                None,
            ),
        ];
        for (args, field, suggestion) in bad {
            let err = check(&schema, &args).unwrap_err();
            let ToolError::InvalidArgs { field: f, message } = &err else {
                panic!("{err:?}")
            };
            assert_eq!(f, field, "{args}");
            match suggestion {
                Some(s) => assert!(
                    message.contains(&format!("did you mean `{s}`")),
                    "{message}"
                ),
                None => assert!(message.contains("accepted names"), "{message}"),
            }
        }
    }
}
