//! WebAssembly exports of paceline-core for the extension, the in-page builder and the
//! playground. Glue only: all logic lives in `paceline-core`.
