//! Firefox ESR (placeholder; filled in below).
