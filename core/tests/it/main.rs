//! Integration tests of paceline-core against the sandbox and closure transports.

mod workouts;
