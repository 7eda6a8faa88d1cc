//! Integration tests: every tool through `tools::call` against the sandbox, and exact-request
//! tests against closure transports. One module per tool area.

mod settings;
