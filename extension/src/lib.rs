//! WebAssembly exports of paceline-core for the extension, the in-page builder and the
//! playground. Glue only: all logic lives in `paceline-core`, so the browser and the native
//! binary run exactly the same compiler, client and tools.
//!
//! Every export takes and returns JSON text: strings cross the JS boundary cheaply and keep the
//! glue free of per-type bindings. Errors become a JS `Error` with a `code` (and, for structure
//! errors, a `path`) property; `js_error` is the single place they are made.
//!
//! Of core's futures the glue awaits only those core boxes (`BoxFuture`: `dyn Tool::call`,
//! `TpClient::check_session`, `IcuClient::status`, `confirm::describe_call`) or that await only
//! boxed ones (`platform::call_canonical`): awaiting any other `async fn` of core here compiles
//! it again in this crate, with every future it awaits, beside core's own copy (issue 12: 42 KB
//! of the module were both clients' request paths twice).

use paceline_core::structure;
#[cfg(feature = "tools")]
use paceline_core::tools;
use wasm_bindgen::prelude::*;

#[cfg(all(target_arch = "wasm32", feature = "tools"))]
mod activity_store;
#[cfg(feature = "tools")]
mod analysis;
#[cfg(all(target_arch = "wasm32", feature = "tools"))]
mod browser;
#[cfg(all(target_arch = "wasm32", feature = "tools"))]
mod intervals;
#[cfg(all(target_arch = "wasm32", feature = "sandbox"))]
mod sandbox;

/// The global JS function the panic hook calls with the panic message, if the page defines one.
/// The extension's background defines it to re-instantiate the module: a panic ends in a wasm
/// trap, which can leave the module's async executor stuck, so every later call would hang.
#[cfg(target_arch = "wasm32")]
const PANIC_CALLBACK: &str = "pacelineWasmPanicked";

/// Runs when the module is instantiated: installs the panic hook, which logs the panic to the
/// console (a bare `unreachable` trap says nothing about where it came from) and notifies the
/// page through [`PANIC_CALLBACK`].
#[cfg(target_arch = "wasm32")]
#[wasm_bindgen(start)]
fn start() {
    #[cfg(feature = "tools")]
    install_schemas();
    std::panic::set_hook(Box::new(|info| {
        let message = JsValue::from_str(&format!("paceline wasm panicked: {info}"));
        web_sys::console::error_1(&message);
        let callback = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str(PANIC_CALLBACK));
        if let Some(f) = callback
            .ok()
            .and_then(|f| f.dyn_into::<js_sys::Function>().ok())
        {
            // Nothing useful can be done if the callback itself throws: the trap follows anyway.
            let _ = f.call1(&JsValue::NULL, &message);
        }
    }));
}

/// Compiles a workout structure (friendly format, wire blocks, or a full wire structure, as
/// JSON text) and returns the TrainingPeaks wire structure as JSON text.
///
/// The three structure-JSON exports are not in the playground's keystroke module (no `files`
/// feature): it reads workout text only, and the JSON reader (serde's parser and a second
/// instantiation of the compiler) lives in `www/pkg-files` with the file readers (issue 11).
#[cfg(feature = "files")]
#[wasm_bindgen(js_name = compileStructure)]
pub fn compile_structure(input: &str) -> Result<String, JsValue> {
    structure::compile(input)
        .map(|s| s.to_json())
        .map_err(structure_error)
}

/// Planned metrics of a structure (any accepted format) as JSON text:
/// `{"totalSeconds","totalHours","ifPlanned","tssPlanned","energyPlanned"}`, or `null` when the
/// structure has no measurable length. `ftp_watts` enables `energyPlanned` (kJ).
#[cfg(feature = "files")]
#[wasm_bindgen(js_name = structureMetrics)]
pub fn structure_metrics(input: &str, ftp_watts: Option<f64>) -> Result<String, JsValue> {
    let s = structure::compile(input).map_err(structure_error)?;
    serde_json::to_string(&structure::metrics(&s, ftp_watts))
        .map_err(|e| js_error("internal", &e.to_string(), None))
}

/// A readable one-line summary of a structure (any accepted format).
#[cfg(feature = "files")]
#[wasm_bindgen(js_name = structureSummary)]
pub fn structure_summary(input: &str) -> Result<String, JsValue> {
    structure::compile(input)
        .map(|s| structure::summary(&s))
        .map_err(structure_error)
}

/// Everything the workout builder shows for `input` (Intervals.icu workout text, or structure
/// JSON in any accepted format) as JSON text: `{ok, format, errors: [{line, column, path,
/// message}], structure, summary, description, durationS, distanceM, intensityFactor, tss,
/// energyKj, svg, chartDescription}` (see `paceline_core::structure::preview`). `options_json`
/// holds `{sport, ftpW, lthrBpm, maxHrBpm, thresholdSpeedMps, theme, width, height}`, all
/// optional; an empty string means the defaults. Problems with the input come back in `errors`;
/// only bad options throw.
#[wasm_bindgen(js_name = previewWorkout)]
pub fn preview_workout(input: &str, options_json: &str) -> Result<String, JsValue> {
    let opts = structure::preview::preview_options(options_json)
        .map_err(|e| js_error("invalid_params", &e.message, e.path.as_deref()))?;
    // Without the `files` feature structure JSON and pasted files come back with
    // `needsFileReader` set, and the page asks the module that reads them.
    #[cfg(feature = "files")]
    let preview = structure::preview::preview(input, &opts);
    #[cfg(not(feature = "files"))]
    let preview = structure::preview::preview_without_files(input, &opts);
    serde_json::to_string(&preview).map_err(|e| js_error("internal", &e.to_string(), None))
}

/// Writes the builder's input (anything `previewWorkout` reads) as a workout file: `kind` is
/// `tp-json`, `icu-text`, `zwo`, `erg`, `mrc` or `fit`; `options_json` holds the preview options
/// plus `name` and `description`. Returns `{filename, mime, text}` or, for FIT, `{filename,
/// mime, base64}` as JSON text; throws an `Error` whose `path` names the option or `input` at
/// fault (e.g. `ftpW` for an `.erg` without an FTP).
#[cfg(feature = "files")]
#[wasm_bindgen(js_name = exportWorkout)]
pub fn export_workout(input: &str, kind: &str, options_json: &str) -> Result<String, JsValue> {
    use structure::export;
    let to_js = |e: export::ExportError| js_error("invalid_params", &e.to_string(), Some(&e.field));
    let opts = export::ExportOptions::from_json(options_json).map_err(to_js)?;
    export::export_input(input, kind, &opts)
        .map(|f| f.to_json().to_string())
        .map_err(to_js)
}

/// A structure (JSON text in any format the compiler accepts, e.g. a stored TrainingPeaks
/// structure) written as Intervals.icu workout text (`structure::icu_text::print_value`), so the
/// builder can open a saved workout as text the person can edit.
#[cfg(feature = "files")]
#[wasm_bindgen(js_name = workoutText)]
pub fn workout_text(structure_json: &str) -> Result<String, JsValue> {
    let value: serde_json::Value = serde_json::from_str(structure_json).map_err(|e| {
        js_error(
            "invalid_params",
            &format!("structure: {e}"),
            Some("structure"),
        )
    })?;
    structure::icu_text::print_value(&value).map_err(structure_error)
}

/// The tools' input schemas, made natively at build time by `build.rs`
/// (`paceline_core::tools::schema_table`): this module generates none, so schemars stays out
/// of it (issue 12). Called by `start`, which only the browser runs.
#[cfg(all(target_arch = "wasm32", feature = "tools"))]
fn install_schemas() {
    tools::schema_table::install(include_bytes!(concat!(
        env!("OUT_DIR"),
        "/tool_schemas.json.gz"
    )));
}

/// The tool catalogue as JSON text, under the canonical names: the MCP `tools/list` entries of
/// `paceline mcp --platform all` (`tools::platform`), which is every tool the host can relay
/// whatever it publishes, without the output schemas (only MCP clients read those, and the
/// host makes its own; the module has none, see `install_schemas`). The TrainingPeaks
/// entries come first and are `tools::list_json()` (native-host's golden `tools.json`) minus
/// `outputSchema`; the Intervals.icu ones follow, prefixed `icu_`. The background looks
/// relayed calls up here (annotations: read-only switch, confirmation), and the popup lists
/// the tools the confirmation covers from it.
#[cfg(feature = "tools")]
#[wasm_bindgen(js_name = listTools)]
pub fn list_tools() -> String {
    tools::platform::Platform::All.list_json().to_string()
}

#[cfg(feature = "files")]
fn structure_error(e: structure::CompileError) -> JsValue {
    js_error("invalid_params", &e.to_string(), Some(&e.path))
}

/// Makes a JS `Error` with a `code` (see the relay protocol's error codes) and an optional
/// `path` naming the offending field.
pub(crate) fn js_error(code: &str, message: &str, path: Option<&str>) -> JsValue {
    let err = js_sys::Error::new(message);
    // Setting properties on a fresh Error object cannot fail; the results are ignored.
    let _ = js_sys::Reflect::set(&err, &JsValue::from_str("code"), &JsValue::from_str(code));
    if let Some(p) = path {
        let _ = js_sys::Reflect::set(&err, &JsValue::from_str("path"), &JsValue::from_str(p));
    }
    err.into()
}
