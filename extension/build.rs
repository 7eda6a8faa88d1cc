//! Writes the tools' input schemas (`paceline_core::tools::schema_table::generate`, run
//! natively with the `schemas` feature) gzipped to `$OUT_DIR/tool_schemas.json.gz`, which the
//! module embeds and installs at start, so that schemars is not linked into the wasm (issue
//! 12). Gzipped because the table is 96 KB of JSON and 15 KB of gzip, and the module carries
//! an inflater anyway (the activity cache).
//! Without the `tools` feature (the compiler-only module) there is nothing to write.

fn main() -> Result<(), Box<dyn std::error::Error>> {
    // Rerun only when this script or the core it is built with changes (cargo rebuilds and
    // reruns it when a build-dependency changes), not on every edit of the glue.
    println!("cargo::rerun-if-changed=build.rs");
    #[cfg(feature = "tools")]
    {
        use std::io::Write;
        let out = std::path::PathBuf::from(std::env::var("OUT_DIR")?).join("tool_schemas.json.gz");
        let table = paceline_core::tools::schema_table::generate();
        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(serde_json::to_string(&table)?.as_bytes())?;
        std::fs::write(out, gz.finish()?)?;
    }
    Ok(())
}
