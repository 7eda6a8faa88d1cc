//! The single integration-test binary: one module per area. Needs `--features sandbox`.

mod calendar;
