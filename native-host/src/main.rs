//! The `paceline` binary: reads its arguments and hands them to the library
//! (`native-host/src/lib.rs`), where every command lives.
#![deny(clippy::print_stdout)]

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    paceline_host::init();
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    if let Some(origin) = paceline_host::bridge_origin(&args) {
        return paceline_host::run_bridge(origin);
    }
    paceline_host::run(paceline_host::Cli::parse_from(args))
}
