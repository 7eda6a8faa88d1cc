//! The `structure` argument of the workout and template tools: the JSON as sent, compiled at
//! most once per call. `check` compiles it to validate it, and `run` uses that same
//! compilation, so a call's structure is not compiled (checked) twice.

use std::borrow::Cow;
use std::sync::OnceLock;

use schemars::{JsonSchema, Schema, SchemaGenerator};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

use crate::tools::ToolError;

/// What a structure argument compiles to; each flavour has its own error wording.
pub(crate) trait Compiled: Sized {
    /// Compiles the argument; errors name `structure.<path>`.
    fn compile(v: &Value) -> Result<Self, ToolError>;
}

/// A `structure` argument (a JSON object, or a string holding one) with its compilation,
/// made on first use and kept with the parsed arguments.
#[derive(Debug)]
pub(crate) struct StructureArg<C> {
    raw: Value,
    compiled: OnceLock<Result<C, ToolError>>,
}

impl<C: Compiled> StructureArg<C> {
    /// The compiled structure, compiling it on the first call.
    pub(crate) fn compiled(&self) -> Result<&C, ToolError> {
        self.compiled
            .get_or_init(|| C::compile(&self.raw))
            .as_ref()
            .map_err(Clone::clone)
    }
}

impl<'de, C> Deserialize<'de> for StructureArg<C> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        Ok(Self {
            raw: Value::deserialize(d)?,
            compiled: OnceLock::new(),
        })
    }
}

/// As the JSON sent (schemars also needs it to publish the field's `default: null`).
impl<C> Serialize for StructureArg<C> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        self.raw.serialize(s)
    }
}

/// The schema of the JSON it holds: free-form (the compiler checks its keys).
impl<C> JsonSchema for StructureArg<C> {
    fn schema_name() -> Cow<'static, str> {
        Value::schema_name()
    }
    fn inline_schema() -> bool {
        Value::inline_schema()
    }
    fn json_schema(g: &mut SchemaGenerator) -> Schema {
        Value::json_schema(g)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tools::shared::workout_args::CompiledStructure;

    fn arg(v: Value) -> StructureArg<CompiledStructure> {
        serde_json::from_value(v).expect("any JSON is a structure argument")
    }

    #[test]
    fn a_structure_is_compiled_once_and_its_error_kept() {
        let ok = arg(
            serde_json::json!({"steps": [{"duration_seconds": 600, "intensity_min": 50,
            "intensity_max": 60}]}),
        );
        let first = ok.compiled().expect("valid");
        // The check's compilation is the one the run uses, not a second one.
        assert!(std::ptr::eq(first, ok.compiled().expect("valid")));
        assert!(first.summary.contains("10"), "{}", first.summary);
        let bad = arg(serde_json::json!({"steps": [{"duration_seconds": 0}]}));
        let e = bad.compiled().map(|_| ()).unwrap_err();
        assert!(
            matches!(&e, ToolError::InvalidArgs { field, .. } if field == "structure.steps[0].duration_seconds"),
            "{e:?}"
        );
        assert_eq!(bad.compiled().map(|_| ()), Err(e));
    }
}
