//! Sandbox routes and seed data for events (races), calendar notes and their comments,
//! availability, and goal lists: one file per area under `calendar/`.
//!
//! Objects are stored in their GET shape in the collections `events`, `notes`,
//! `note_comments` (keyed by `calendarNoteCommentStreamId`), `availability` and `goal_lists`.
//! Every PUT replaces the whole stored object with the body (fields missing from the body are
//! lost), which is why clients must GET, merge, then PUT. Each area's file has the table of
//! the rules it enforces; these hold for all of them:
//!
//! | Rule | Spec line |
//! |---|---|
//! | `eventDate`, `noteDate` stored as `YYYY-MM-DDT00:00:00` whatever date form was posted | api §3 `workoutDay` row (REF; JM: both forms accepted, responses carry `T00:00:00`) |
//! | Non-numeric ids or bad dates in paths → 400; another athlete's id → 403 | api §12 "Permission" (JM) |

use crate::clock::Clock;

use super::State;
use super::router::Route;

mod availability;
mod checks;
mod events;
mod goals;
mod notes;

pub(super) fn routes() -> Vec<Route> {
    let mut routes = events::routes();
    routes.extend(notes::routes());
    routes.extend(availability::routes());
    routes.extend(goals::routes());
    routes
}

/// Seeds the sample athlete's races, notes, availability and goal list, relative to today
/// (in this order, which fixes their ids).
pub(super) fn seed(state: &mut State, clock: &dyn Clock) {
    let today = clock.today();
    events::seed(state, today);
    notes::seed(state, today);
    availability::seed(state, today);
    goals::seed(state, today);
}
