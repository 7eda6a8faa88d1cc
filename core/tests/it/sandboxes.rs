//! The two emulators and a tool context on both, as the tool tests that need both platforms
//! start: one place for what each of them used to build for itself.

use std::sync::Arc;

use chrono::NaiveDate;
use paceline_core::clock::ManualClock;
use paceline_core::intervals::{IcuClient, IcuConfig};
use paceline_core::sandbox::intervals::{IcuSandbox, IcuSandboxTransport};
use paceline_core::sandbox::{Sandbox, SandboxTransport};
use paceline_core::tools::ToolContext;
use paceline_core::trainingpeaks::TpClient;

/// The TrainingPeaks and Intervals.icu emulators, and a context whose clients talk to them.
pub struct Sandboxes {
    /// The TrainingPeaks emulator (its request log is the far end's).
    pub tp: Arc<Sandbox>,
    /// The Intervals.icu emulator.
    pub icu: Arc<IcuSandbox>,
    /// Both clients, as the hosts build them.
    pub ctx: ToolContext,
}

/// The day the seeded sample data is laid out around, as the tests expect it.
pub fn test_day() -> Arc<ManualClock> {
    Arc::new(ManualClock::at_date(
        NaiveDate::from_ymd_opt(2026, 11, 21).unwrap(),
    ))
}

/// Both emulators on [`test_day`]. `throttled`: the TrainingPeaks client keeps its rate limit
/// (as in production) rather than none (for tests that make many calls).
pub fn both(throttled: bool) -> Sandboxes {
    let clock = test_day();
    let tp = Arc::new(Sandbox::new(clock.clone()));
    let mut client = TpClient::new(Arc::new(SandboxTransport::new(tp.clone())), clock.clone());
    if !throttled {
        client = client.with_rate_limit(None);
    }
    let icu = Arc::new(IcuSandbox::new(clock.clone()));
    let icu_client = IcuClient::new(
        Arc::new(IcuSandboxTransport::new(icu.clone())),
        clock,
        IcuConfig::default(),
    );
    let ctx = ToolContext::new(Arc::new(client)).with_icu(Arc::new(icu_client));
    Sandboxes { tp, icu, ctx }
}
