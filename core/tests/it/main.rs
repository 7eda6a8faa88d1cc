//! The single integration-test binary: every tool against the sandbox, plus closure-transport
//! tests asserting exact requests. One module per area.
// Large `json!` literals for exact-body assertions need a deeper macro recursion limit.
#![recursion_limit = "256"]

mod library;
