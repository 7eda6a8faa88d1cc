//! Writes the tools' input schemas (`paceline_core::tools::schema_table::generate`, run
//! natively with the `schemas` feature) to `$OUT_DIR/tool_schemas.json`, which the module
//! embeds and installs at start, so that schemars is not linked into the wasm (issue 12).
//! Without the `tools` feature (the compiler-only module) there is nothing to write.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Rerun only when this script or the core it is built with changes (cargo rebuilds and
    // reruns it when a build-dependency changes), not on every edit of the glue.
    println!("cargo::rerun-if-changed=build.rs");
    #[cfg(feature = "tools")]
    {
        let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?).join("tool_schemas.json");
        let table = paceline_core::tools::schema_table::generate();
        std::fs::write(out, serde_json::to_string(&table)?)?;
    }
    Ok(())
}
