//! The client-side request budget, shared fairly between concurrent tool calls, with a
//! deadline per call and a hook that reports waits. Both platform clients use it, each with its
//! own budget ([`RateLimit::TRAININGPEAKS`], [`RateLimit::INTERVALS`]) and its own `Limiter`.
//!
//! TrainingPeaks allows roughly 100 requests a minute (spec §2.2); we keep 90 in any window of
//! 60 s. The first version let every waiting request race for each freed slot, so a call with
//! forty requests queued (a long date range) won nearly every slot and a one-request call could
//! wait a minute behind it, silently, with no limit. Now:
//!
//! - **Fair:** when slots free up they go to the waiting call that has sent the fewest requests
//!   in the current window (ties: first come), so a short call overtakes a long one.
//! - **Deadline:** each call ([`CallScope`]) may carry a deadline. A request whose call would
//!   have to wait past it fails at once with [`BudgetExceeded`] (which each client turns into
//!   its own error, e.g. `TpError::BudgetExceeded`), saying how many
//!   requests the call still needs and how long the budget would make it wait. Nothing is
//!   sent for it, so even a write is known not to have happened.
//! - **Reported:** every wait is passed to the call's [`WaitObserver`] before sleeping (the
//!   host logs it and turns it into MCP progress notifications).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::clock::Clock;
use crate::http::MaybeSendSync;

/// Locks `m`; a lock poisoned by a panic elsewhere is taken over.
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// A call would have to wait for the budget past its deadline; nothing more was sent for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BudgetExceeded {
    /// Requests of the call still waiting for the budget.
    pub requests: usize,
    /// How long the last of them would have waited, in seconds.
    pub wait_secs: u64,
    /// The call's deadline, in seconds.
    pub deadline_secs: u64,
    /// The budget: requests…
    pub max_requests: u32,
    /// …per this many seconds.
    pub per_secs: u64,
}

/// A client-side request budget: at most `max_requests` data calls in any window of `per`.
///
/// Why a sliding window and not fixed spacing: the MCP sandbox must answer in under 2 ms, and
/// most tool calls make one to five requests, so a fixed 150 ms gap would add latency to every
/// call for no benefit. A sliding-window log lets bursts through untouched and only waits once
/// the budget is spent. The token exchange is not counted (spec §2.2: not rate limited).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimit {
    /// Requests allowed in any window of length `per` (0 is treated as 1).
    pub max_requests: u32,
    /// The window length.
    pub per: Duration,
}

impl RateLimit {
    /// TrainingPeaks' limit with head-room: ~100 requests a minute before 429, resetting after
    /// 60 s (spec §2.2). We stay at 90 because the TrainingPeaks web app open in the same
    /// browser spends the same budget.
    pub const TRAININGPEAKS: RateLimit = RateLimit {
        max_requests: 90,
        per: Duration::from_secs(60),
    };
}

impl RateLimit {
    /// Intervals.icu's limit with head-room: about 10 requests a second per IP with a short
    /// burst (spec §3.1, from the author); we keep 8 in any second, as the web app open in the
    /// same browser spends the same budget. A per-key limit of 2,500 per 15 minutes was only
    /// drafted (spec §3.1) and is not enforced here.
    pub const INTERVALS: RateLimit = RateLimit {
        max_requests: 8,
        per: Duration::from_secs(1),
    };
}

impl Default for RateLimit {
    fn default() -> Self {
        Self::TRAININGPEAKS
    }
}

/// The deadline hosts give a tool call they run in process: under the 60 s after which MCP
/// clients commonly give up on a request, so a call that cannot make it says why instead.
pub const DEFAULT_CALL_DEADLINE: Duration = Duration::from_secs(55);

/// One wait for the budget, as reported to a [`WaitObserver`].
#[derive(Debug, Clone, PartialEq)]
pub struct RateWait {
    /// Requests of this call waiting for the budget now (this one included).
    pub requests_waiting: usize,
    /// Requests of this call already sent.
    pub requests_sent: u64,
    /// How long this request is expected to wait.
    pub wait: Duration,
    /// The budget in force.
    pub limit: RateLimit,
    /// The service whose budget it is (`TrainingPeaks`, `Intervals.icu`).
    pub service: &'static str,
}

impl RateWait {
    /// A one-line description for logs and progress messages.
    pub fn describe(&self) -> String {
        format!(
            "waiting {:.1} s for the {} request budget ({} per {} s, shared by all calls); {} \
             request(s) of this call queued, {} sent",
            self.wait.as_secs_f64(),
            self.service,
            self.limit.max_requests,
            self.limit.per.as_secs(),
            self.requests_waiting,
            self.requests_sent,
        )
    }
}

/// Told about every wait for the request budget, before the wait starts, and about the steps
/// of a long call (date windows fetched, activities analysed). Called while no lock is held, but
/// from inside the request: it must return quickly (log, or queue a notification).
pub trait WaitObserver: MaybeSendSync {
    /// One request is about to wait.
    fn waiting(&self, wait: &RateWait);

    /// `done` of `total` steps of the call are finished; `what` says what a step is. The
    /// default ignores it (observers that only care about waits).
    fn step(&self, done: u64, total: u64, what: &str) {
        let _ = (done, total, what);
    }
}

impl<F: Fn(&RateWait) + MaybeSendSync> WaitObserver for F {
    fn waiting(&self, wait: &RateWait) {
        self(wait)
    }
}

/// What one tool call brings to the requests it makes: its identity for fair sharing, its
/// deadline, and who to tell about waits. Made by each client's `for_call`
/// (`TpClient::for_call`, `IcuClient::for_call`).
#[derive(Clone, Default)]
pub struct CallScope {
    /// Distinguishes concurrent calls in the limiter; 0 for requests made outside any call.
    pub(crate) id: u64,
    /// Instant after which the call must not still be waiting for the budget.
    pub(crate) deadline: Option<DateTime<Utc>>,
    /// The call's deadline as a length, for messages.
    pub(crate) deadline_len: Option<Duration>,
    pub(crate) observer: Option<Arc<dyn WaitObserver>>,
    /// Requests of this call sent so far.
    pub(crate) sent: Arc<AtomicU64>,
    /// Whether this call's POSTs go through the client's duplicate guard for creates.
    pub(crate) guard_creates: bool,
    /// Lines for the call's answer (e.g. "returned the identical workout created 3 min ago").
    pub(crate) notices: Arc<Mutex<Vec<String>>>,
    /// Only GETs may be sent (a dry run): any other method is refused before the transport,
    /// whatever the tool's code does.
    pub(crate) reads_only: bool,
}

impl std::fmt::Debug for CallScope {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallScope")
            .field("id", &self.id)
            .field("deadline", &self.deadline)
            .field("observer", &self.observer.is_some())
            .finish_non_exhaustive()
    }
}

/// Options for one call: see `TpClient::for_call` and `IcuClient::for_call`.
#[derive(Clone, Default)]
pub struct CallOptions {
    /// How long the call may take, from now; `None` for no limit.
    pub deadline: Option<Duration>,
    /// Told about every wait for the request budget.
    pub observer: Option<Arc<dyn WaitObserver>>,
}

impl std::fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CallOptions")
            .field("deadline", &self.deadline)
            .field("observer", &self.observer.is_some())
            .finish()
    }
}

/// A request waiting for a slot.
#[derive(Debug, Clone, Copy)]
struct Waiter {
    ticket: u64,
    call: u64,
}

#[derive(Debug, Default)]
struct State {
    /// Send instants (and calls) of the requests inside the current window, oldest first.
    sent: VecDeque<(DateTime<Utc>, u64)>,
    /// Requests waiting, in arrival order.
    waiting: Vec<Waiter>,
    next_ticket: u64,
}

impl State {
    fn prune(&mut self, now: DateTime<Utc>, per: chrono::Duration) {
        while self
            .sent
            .front()
            .is_some_and(|(t, _)| t.checked_add_signed(per).is_none_or(|end| end <= now))
        {
            self.sent.pop_front();
        }
    }

    fn sent_by(&self, call: u64) -> usize {
        self.sent.iter().filter(|(_, c)| *c == call).count()
    }

    /// Waiting requests in the order they get slots: fewest sent in the window first, then
    /// first come.
    fn ranked(&self) -> Vec<Waiter> {
        let mut ranked = self.waiting.clone();
        ranked.sort_by_key(|w| (self.sent_by(w.call), w.ticket));
        ranked
    }

    /// When the `k`-th (0-based) slot from now frees up, if the window stays as it is and
    /// every request sent is the same size. Beyond one window's worth, whole windows repeat.
    fn slot_time(
        &self,
        k: usize,
        max: usize,
        now: DateTime<Utc>,
        per: chrono::Duration,
    ) -> DateTime<Utc> {
        let free = max.saturating_sub(self.sent.len());
        if k < free {
            return now;
        }
        let k = k - free;
        let (rounds, i) = (k / max.max(1), k % max.max(1));
        let base = self.sent.get(i).map_or(now, |(t, _)| *t);
        let rounds = i32::try_from(rounds + 1).unwrap_or(i32::MAX);
        per.checked_mul(rounds)
            .and_then(|d| base.checked_add_signed(d))
            .unwrap_or(DateTime::<Utc>::MAX_UTC)
    }
}

/// The sliding-window log behind [`RateLimit`], shared by all requests of one client.
#[derive(Debug)]
pub(crate) struct Limiter {
    pub(crate) limit: Option<RateLimit>,
    /// Whose budget, for the waits reported.
    service: &'static str,
    state: Mutex<State>,
    next_call: AtomicU64,
}

/// Removes a waiter when its request stops waiting for any reason (slot taken, deadline, or
/// the call dropped), so an abandoned request never holds up others.
struct Registration<'a> {
    limiter: &'a Limiter,
    ticket: Option<u64>,
}

impl Drop for Registration<'_> {
    fn drop(&mut self) {
        if let Some(t) = self.ticket {
            lock(&self.limiter.state).waiting.retain(|w| w.ticket != t);
        }
    }
}

impl Limiter {
    pub(crate) fn new(limit: Option<RateLimit>, service: &'static str) -> Self {
        Self {
            limit,
            service,
            state: Mutex::new(State::default()),
            next_call: AtomicU64::new(1),
        }
    }

    /// A fresh call id (never 0, which is "no call").
    pub(crate) fn next_call_id(&self) -> u64 {
        self.next_call.fetch_add(1, Ordering::Relaxed)
    }

    /// Waits (through `clock`) until a request of `scope`'s call may be sent, then records it.
    /// Returns at once, without touching the clock, while under the limit and nobody waits.
    /// Fails at once if the call would have to wait past its deadline.
    pub(crate) async fn acquire(
        &self,
        clock: &dyn Clock,
        scope: &CallScope,
    ) -> Result<(), BudgetExceeded> {
        let Some(limit) = self.limit else {
            scope.sent.fetch_add(1, Ordering::Relaxed);
            return Ok(());
        };
        let max = usize::try_from(limit.max_requests.max(1)).unwrap_or(usize::MAX);
        let per = chrono::Duration::from_std(limit.per).unwrap_or(chrono::Duration::seconds(60));
        let mut reg = Registration {
            limiter: self,
            ticket: None,
        };
        loop {
            let now = clock.now();
            let report = 'decide: {
                let mut st = lock(&self.state);
                st.prune(now, per);
                let free = max.saturating_sub(st.sent.len());
                let ticket = match reg.ticket {
                    Some(t) => Some(t),
                    None if st.waiting.is_empty() && free > 0 => {
                        // The common case: under budget, nobody queued.
                        st.sent.push_back((now, scope.id));
                        scope.sent.fetch_add(1, Ordering::Relaxed);
                        return Ok(());
                    }
                    None => {
                        let t = st.next_ticket;
                        st.next_ticket += 1;
                        st.waiting.push(Waiter {
                            ticket: t,
                            call: scope.id,
                        });
                        reg.ticket = Some(t);
                        None
                    }
                };
                let Some(ticket) = ticket else {
                    // Newly queued: let the call's other concurrent requests (the windows of a
                    // long range) queue too before judging whether the call can meet its
                    // deadline, so the verdict counts all of them.
                    break 'decide None;
                };
                let ranked = st.ranked();
                let rank = ranked.iter().position(|w| w.ticket == ticket).unwrap_or(0);
                if rank < free {
                    st.sent.push_back((now, scope.id));
                    st.waiting.retain(|w| w.ticket != ticket);
                    reg.ticket = None;
                    scope.sent.fetch_add(1, Ordering::Relaxed);
                    return Ok(());
                }
                let my_slot = st.slot_time(rank, max, now, per);
                // The call's last queued request is the one that decides whether it can end
                // in time.
                let last_rank = ranked
                    .iter()
                    .rposition(|w| w.call == scope.id)
                    .unwrap_or(rank);
                let call_done = st.slot_time(last_rank, max, now, per);
                let waiting = ranked.iter().filter(|w| w.call == scope.id).count();
                if let Some(deadline) = scope.deadline
                    && call_done > deadline
                {
                    let wait = (call_done - now).to_std().unwrap_or(Duration::ZERO);
                    return Err(BudgetExceeded {
                        requests: waiting,
                        wait_secs: wait.as_secs().max(1),
                        deadline_secs: scope.deadline_len.unwrap_or_default().as_secs(),
                        max_requests: limit.max_requests,
                        per_secs: limit.per.as_secs(),
                    });
                }
                // Sleep until the next slot frees; when it is someone else's turn that is the
                // next expiry, after which the ranking is looked at again.
                let next = st.slot_time(free, max, now, per).max(now);
                let sleep = (next - now)
                    .to_std()
                    .unwrap_or(Duration::ZERO)
                    .min(limit.per);
                let wait = RateWait {
                    requests_waiting: waiting,
                    requests_sent: scope.sent.load(Ordering::Relaxed),
                    wait: (my_slot - now).to_std().unwrap_or(Duration::ZERO),
                    limit,
                    service: self.service,
                };
                Some((wait, sleep))
            };
            let Some((wait, sleep)) = report else {
                yield_now().await;
                continue;
            };
            if let Some(obs) = &scope.observer {
                obs.waiting(&wait);
            }
            // A zero wait would spin if the clock did not move; one millisecond always helps.
            clock.sleep(sleep.max(Duration::from_millis(1))).await;
        }
    }
}

/// Returns `Pending` once (waking itself at once), so that sibling futures polled in the same
/// round get their turn first.
async fn yield_now() {
    let mut yielded = false;
    std::future::poll_fn(|cx| {
        if yielded {
            std::task::Poll::Ready(())
        } else {
            yielded = true;
            cx.waker().wake_by_ref();
            std::task::Poll::Pending
        }
    })
    .await
}
