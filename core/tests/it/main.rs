//! Integration tests of paceline-core, one module per area.

mod structure;
mod structure_props;
