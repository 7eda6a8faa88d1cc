//! Writing a command's result to stdout or stderr.
//!
//! `print!` is denied in this crate because stdout carries MCP in `paceline mcp`; the commands
//! that do own stdout (`tools`, `call`) write through here, where a closed pipe
//! (`paceline tools | head`) ends the command quietly instead of panicking.

use std::io::{self, Write};

/// Writes `text` and a newline to stdout and flushes.
pub fn stdout_line(text: &str) -> io::Result<()> {
    let mut out = io::stdout().lock();
    writeln!(out, "{text}")?;
    out.flush()
}

/// Writes `text` and a newline to stderr (a message for the person at the terminal).
pub fn stderr_line(text: &str) {
    let mut err = io::stderr().lock();
    // Nothing useful can be done if stderr itself is gone.
    let _ = writeln!(err, "{text}");
}

/// Turns a stdout write result into the command's outcome: a broken pipe means the reader
/// stopped listening, which is a normal end, not an error.
pub fn finish<T>(written: io::Result<()>, code: T) -> anyhow::Result<T> {
    match written {
        Ok(()) => Ok(code),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(code),
        Err(e) => Err(anyhow::Error::new(e).context("could not write to stdout")),
    }
}
