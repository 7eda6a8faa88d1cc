//! What several tools share, one module per kind of thing; no tool lives here. Every module
//! under `tools/` outside `shared/` is exactly one tool, named after it.

pub(crate) mod activity_load;
pub(crate) mod activity_metrics;
pub mod args;
pub mod bounded;
pub(crate) mod by_intensity;
pub(crate) mod calendar;
pub mod confirm;
pub(crate) mod cross_platform;
pub(crate) mod distribution;
pub(crate) mod equipment;
pub(crate) mod icu_planning;
#[cfg(feature = "schemas")] // schemas are made at build time without it (`schema_table`)
pub(crate) mod lean_schema;
pub(crate) mod library;
pub(crate) mod metrics;
pub(crate) mod peaksware_analysis;
pub(crate) mod planning;
pub(crate) mod power_curve;
pub(crate) mod predict;
pub(crate) mod projection;
pub(crate) mod readiness;
pub(crate) mod records;
pub(crate) mod stream_series;
pub(crate) mod structure_arg;
pub(crate) mod structure_format;
pub(crate) mod unknown_keys;
pub(crate) mod workout_args;
pub(crate) mod workout_comments;
pub(crate) mod workout_view;
pub(crate) mod zone_views;
