//! What a panic leaves behind: one line on stderr, whatever `PACELINE_LOG` says.
//!
//! MCP clients and browsers capture the host's stderr into their logs; without this hook a
//! panic prints Rust's multi-line default (or nothing useful at `PACELINE_LOG=off` once it goes
//! through `tracing`). Stdout is never touched: it carries MCP or native messaging.

use std::any::Any;
use std::panic::Location;

/// Installs the hook for the whole process.
pub fn install() {
    std::panic::set_hook(hook(crate::output::stderr_line));
}

/// A hook that hands each panic's report to `sink` (tests give their own).
fn hook(
    sink: impl Fn(&str) + Send + Sync + 'static,
) -> Box<dyn Fn(&std::panic::PanicHookInfo<'_>) + Send + Sync + 'static> {
    Box::new(move |info| sink(&report(info.payload(), info.location())))
}

/// The line for one panic: what it said and where.
fn report(payload: &dyn Any, location: Option<&Location<'_>>) -> String {
    let what = payload
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| payload.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "(no message)".into());
    let thread = std::thread::current();
    let thread = thread.name().unwrap_or("unnamed");
    let place = location.map_or_else(
        || "an unknown place".to_string(),
        |l| format!("{}:{}:{}", l.file(), l.line(), l.column()),
    );
    format!(
        "paceline: internal error (a bug; please report it with this line): {what} \
         (thread {thread}, at {place})"
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    #[test]
    fn a_panic_is_reported_in_one_line_with_its_message_and_place() {
        let seen: Arc<Mutex<Vec<String>>> = Arc::default();
        let sink = seen.clone();
        let previous = std::panic::take_hook();
        std::panic::set_hook(hook(move |line| {
            sink.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(line.to_string())
        }));
        let joined = std::thread::Builder::new()
            .name("doomed".into())
            .spawn(|| panic!("boom {}", 42))
            .unwrap()
            .join();
        std::panic::set_hook(previous);
        assert!(joined.is_err());
        let seen = seen.lock().unwrap_or_else(|e| e.into_inner());
        // Other tests may panic on purpose meanwhile; find ours.
        let ours = seen
            .iter()
            .find(|l| l.contains("boom 42"))
            .unwrap_or_else(|| panic!("not reported: {seen:?}"));
        assert!(!ours.contains('\n'), "{ours}");
        assert!(ours.contains("internal error"), "{ours}");
        assert!(ours.contains("thread doomed"), "{ours}");
        assert!(ours.contains("panic_hook.rs:"), "{ours}");
        assert!(
            report(&7u8, None).contains("(no message)"),
            "a payload that is not text"
        );
    }
}
