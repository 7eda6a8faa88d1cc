//! Input schemas made ahead of time, for builds without the `schemas` feature.
//!
//! The extension's wasm needs every tool's input schema (unknown keys are refused against it,
//! the confirmation window shows arguments in its order, `listTools` publishes it), but
//! generating schemas at run time linked schemars' machinery and one `JsonSchema` impl per
//! argument and output type into the module (about 0.8 MB of its 6 MB, issue 12). So the
//! extension's build script runs [`generate`] natively, from the same catalogue, and embeds
//! the JSON gzipped (96 KB of JSON is 15 KB of gzip; the module already inflates gzip for the
//! activity cache); at start the module hands it to [`install`], and
//! [`input_schema_of`](super::input_schema_of) reads it from there.
//!
//! The table is keyed by the argument type's name (`std::any::type_name`), the key the
//! in-process cache of generated schemas uses too: a tool file written the usual way needs
//! nothing more to be found in it. Output schemas are left out: only MCP clients read them,
//! and they talk to the host, which generates its own.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use serde_json::Value;

/// The table's gzipped JSON as handed over by the embedder; inflated and parsed on first use.
static SOURCE: OnceLock<&'static [u8]> = OnceLock::new();
/// The parsed table: argument type name → published input schema.
#[cfg_attr(feature = "schemas", allow(dead_code))] // generated schemas are used instead
static TABLE: OnceLock<HashMap<String, Arc<Value>>> = OnceLock::new();

/// Every tool's published input schema, keyed by its argument type's name: the JSON object
/// [`install`] takes. Covers [`CATALOG`](super::CATALOG), the Intervals.icu catalogue and the
/// tools between the platforms.
#[cfg(feature = "schemas")]
pub fn generate() -> Value {
    let between = super::BETWEEN_PLATFORMS.iter().map(|b| &b.tool);
    let tools = super::CATALOG
        .iter()
        .chain(super::intervals::CATALOG.iter())
        .chain(between);
    Value::Object(
        tools
            .map(|t| (t.schema_key().to_string(), t.input_schema()))
            .collect(),
    )
}

/// Hands over the table [`generate`] made, as gzipped JSON text. Only the first call counts;
/// it is inflated and parsed when a schema is first needed, so installing it at start costs
/// nothing.
pub fn install(gzipped_json: &'static [u8]) {
    let _ = SOURCE.set(gzipped_json);
}

/// The installed schema of the argument type named `key`, if the table has it.
#[cfg_attr(feature = "schemas", allow(dead_code))]
pub(crate) fn lookup(key: &str) -> Option<Arc<Value>> {
    let table = TABLE.get_or_init(|| {
        let parsed: HashMap<String, Value> = SOURCE
            .get()
            .and_then(|gz| {
                let mut text = String::new();
                std::io::Read::read_to_string(&mut flate2::read::GzDecoder::new(*gz), &mut text)
                    .ok()?;
                serde_json::from_str(&text).ok()
            })
            .unwrap_or_default();
        parsed.into_iter().map(|(k, v)| (k, Arc::new(v))).collect()
    });
    table.get(key).cloned()
}
