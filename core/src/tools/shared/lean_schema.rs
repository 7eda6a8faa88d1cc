//! Input schemas without the parts a model does not need (issue 12, "lean lists").
//!
//! schemars writes what Rust knows: `"default": null` and `["string", "null"]` on every optional
//! field, an `anyOf` with `null` around every optional enum, `int64`/`double` formats, and each
//! enum as a `oneOf` of constants with a sentence per constant. All of that is sent to the model
//! on every turn, for every tool listed; the default list was half schema noise. This pass keeps
//! what a model uses (names, types, units and formats in the descriptions, the enum values,
//! `required`, date formats) and drops the rest. Optional fields stay optional by not being in
//! `required`; the tools still accept `null` for them (the reader is lenient, the schema is what
//! we ask for).

use serde_json::{Map, Value};

/// Compacts `schema` in place (see the module docs).
pub fn compact(schema: &mut Value) {
    if let Value::Object(map) = schema {
        // The root's "Arguments of `tool`." says nothing the tool's own description does not.
        if map
            .get("description")
            .and_then(Value::as_str)
            .is_some_and(|d| {
                d == "Arguments." || (d.starts_with("Arguments of `") && d.ends_with("`."))
            })
        {
            map.remove("description");
        }
    }
    walk(schema);
}

fn walk(v: &mut Value) {
    match v {
        Value::Object(map) => {
            lean(map);
            map.values_mut().for_each(walk);
        }
        Value::Array(items) => items.iter_mut().for_each(walk),
        _ => {}
    }
}

fn lean(map: &mut Map<String, Value>) {
    if map.get("default") == Some(&Value::Null) {
        map.remove("default");
    }
    // `format: date` says what the `YYYY-MM-DD` pattern says.
    if map.get("format").and_then(Value::as_str) == Some("date")
        && map.get("pattern").and_then(Value::as_str) == Some("^\\d{4}-\\d{2}-\\d{2}$")
    {
        map.remove("pattern");
    }
    if matches!(
        map.get("format").and_then(Value::as_str),
        Some("int64" | "int32" | "double" | "float")
    ) {
        map.remove("format");
    }
    // `["string", "null"]` → `"string"`.
    if let Some(Value::Array(types)) = map.get("type") {
        let kept: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        if kept.len() == 1 && kept.len() < types.len() {
            map.insert("type".into(), kept[0].clone());
        }
    }
    // `anyOf: [X, {"type": "null"}]` → X's keys (the field's own description wins).
    if let Some(Value::Array(alts)) = map.get("anyOf") {
        let non_null: Vec<&Value> = alts
            .iter()
            .filter(|a| a.get("type").and_then(Value::as_str) != Some("null"))
            .collect();
        if non_null.len() == 1
            && alts.len() == 2
            && let Some(inner) = non_null[0].as_object().cloned()
        {
            map.remove("anyOf");
            for (k, val) in inner {
                map.entry(k).or_insert(val);
            }
        }
    }
    // An enum written as `oneOf` of constants → `enum`.
    if let Some(Value::Array(alts)) = map.get("oneOf") {
        let consts: Option<Vec<Value>> = alts
            .iter()
            .map(|a| {
                let o = a.as_object()?;
                let only_const = o
                    .keys()
                    .all(|k| matches!(k.as_str(), "const" | "type" | "description"));
                if only_const {
                    o.get("const").cloned()
                } else {
                    None
                }
            })
            .collect();
        if let Some(values) = consts
            && !values.is_empty()
            && values.iter().all(Value::is_string)
        {
            map.remove("oneOf");
            map.insert("type".into(), Value::String("string".into()));
            map.insert("enum".into(), Value::Array(values));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn optional_fields_enums_and_formats_are_compacted() {
        let mut s = json!({
            "description": "Arguments of `get_x`.",
            "type": "object",
            "required": ["id"],
            "properties": {
                "id": {"type": "integer", "format": "int64", "description": "Id."},
                "day": {"type": ["string", "null"], "format": "date", "pattern": "^\\d{4}-\\d{2}-\\d{2}$", "default": null},
                "sport": {"description": "Sport.", "anyOf": [{"$ref": "#/$defs/S"}, {"type": "null"}], "default": null}
            },
            "$defs": {"S": {"description": "A sport.", "oneOf": [
                {"description": "Bike (2).", "type": "string", "const": "bike"},
                {"description": "Run (3).", "type": "string", "const": "run"}
            ]}}
        });
        compact(&mut s);
        assert_eq!(
            s,
            json!({
                "type": "object",
                "required": ["id"],
                "properties": {
                    "id": {"type": "integer", "description": "Id."},
                    "day": {"type": "string", "format": "date"},
                    "sport": {"description": "Sport.", "$ref": "#/$defs/S"}
                },
                "$defs": {"S": {"description": "A sport.", "type": "string", "enum": ["bike", "run"]}}
            })
        );
    }

    #[test]
    fn what_a_model_needs_is_kept() {
        // A oneOf of objects (real alternatives) and a root description that says something.
        let mut s = json!({
            "description": "Every field but `workout_id` is optional.",
            "oneOf": [{"type": "object", "properties": {"a": {"type": "string"}}}, {"type": "string", "const": "x"}],
            "properties": {"n": {"type": "number", "minimum": 0, "default": 5}}
        });
        let before = s.clone();
        compact(&mut s);
        assert_eq!(s, before);
    }
}
