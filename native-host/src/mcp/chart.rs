//! `render_chart` results on their way to the MCP client: the SVG the tool drew (in this
//! process, or in the extension's wasm) is rasterised here to a PNG `image` content, so a chart
//! never depends on the browser, and the SVG moves from `structuredContent` to the result's
//! `_meta` (where the MCP App reads it; a model reads the text and sees the image, never SVG
//! source). No other tool's result is touched: only this tool returns images.

use base64::Engine as _;
use paceline_core::tools::{ToolError, ToolOutput};
use rmcp::ErrorData;
use rmcp::model::{CallToolResult, ContentBlock, MetaObject};
use serde_json::{Value, json};

use crate::raster;

/// The tool whose results carry an image.
pub const TOOL: &str = "render_chart";

/// The `_meta` key under which the SVG travels (for the MCP App).
pub const META_KEY: &str = "dev.paceline/chart";

/// Images stay under this many bytes (issue 11: small enough for every client).
pub const MAX_PNG_BYTES: usize = 100 * 1024;

/// Scales tried in turn until the PNG fits [`MAX_PNG_BYTES`]. Charts at the tool's sizes are
/// 10–40 KB at 1.0; the smaller scales are a guard for unusually busy charts.
const SCALES: [f32; 3] = [1.0, 0.75, 0.5];

/// The MCP result of a `render_chart` call: the text, the PNG, the structured result without
/// the SVG, and the SVG in `_meta`. A failed call maps like any other tool's.
pub async fn result(outcome: Result<ToolOutput, ToolError>) -> Result<CallToolResult, ErrorData> {
    let out = match outcome {
        Ok(out) => out,
        Err(e) => return super::result_of(Err(e)),
    };
    let mut structured = out.structured;
    let svg = structured
        .as_object_mut()
        .and_then(|m| m.remove("svg"))
        .and_then(|v| match v {
            Value::String(s) => Some(s),
            _ => None,
        });
    let Some(svg) = svg else {
        return Ok(CallToolResult::error(vec![ContentBlock::text(
            "render_chart returned no SVG to show (the extension may be older than this \
             paceline; update both)",
        )]));
    };
    // Rasterising takes milliseconds of CPU: off the runtime's thread.
    let for_png = svg.clone();
    let png = tokio::task::spawn_blocking(move || png_within(&for_png, MAX_PNG_BYTES))
        .await
        .map_err(|e| ErrorData::internal_error(format!("the rasteriser stopped: {e}"), None))?;
    let png = match png {
        Ok(png) => png,
        Err(e) => {
            return Ok(CallToolResult::error(vec![ContentBlock::text(format!(
                "the chart could not be turned into an image: {e}"
            ))]));
        }
    };
    let data = base64::engine::general_purpose::STANDARD.encode(&png);
    let mut result = CallToolResult::success(vec![
        ContentBlock::text(out.text),
        ContentBlock::image(data, "image/png"),
    ]);
    result.structured_content = Some(structured);
    let mut meta = serde_json::Map::new();
    meta.insert(META_KEY.into(), json!({ "svg": svg }));
    result.meta = Some(MetaObject(meta));
    Ok(result)
}

/// The PNG of `svg` at the largest of [`SCALES`] that fits `limit` bytes.
pub fn png_within(svg: &str, limit: usize) -> Result<Vec<u8>, String> {
    let mut last = 0;
    for scale in SCALES {
        let png = raster::svg_to_png(svg, scale).map_err(|e| e.to_string())?;
        if png.len() < limit {
            return Ok(png);
        }
        last = png.len();
    }
    Err(format!(
        "the image is {last} bytes even at half size, over the {limit}-byte limit; draw a \
         smaller chart (width, height)"
    ))
}
