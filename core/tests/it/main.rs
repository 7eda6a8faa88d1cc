//! Integration tests of `paceline-core`, one module per area, in a single binary.

mod client;
