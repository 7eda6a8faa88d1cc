//! The session: the cookie exchanged for a Bearer token (cached until 60 s before expiry), the
//! signed-in user and the athletes they may act on, and the snapshot a host restores after
//! losing memory. A new token may speak for another person than the last one, so every
//! exchange forgets the cached user (`forget_user`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::time::Duration;

use super::error::{decode_body, from_value, status_error};
use super::{Api, Safety, TpClient, TpError, User, lock};
use crate::http::{BoxFuture, HttpRequest, Method};

/// A cached Bearer token.
#[derive(Debug, Clone)]
pub(super) struct Token {
    access_token: String,
    expires_at: DateTime<Utc>,
}

/// How long before expiry a cached token is considered stale (spec §2.2: 60 s).
const TOKEN_REFRESH_MARGIN_SECS: i64 = 60;

/// The longest token lifetime we believe: TrainingPeaks gives 3600 s (spec §2.2); a larger
/// figure is clamped so a wrong one cannot keep a revoked token cached for long.
pub const MAX_TOKEN_LIFETIME: Duration = Duration::from_secs(24 * 3600);
/// The lifetime assumed when `expires_in` is missing or unreadable (spec §2.2).
const DEFAULT_TOKEN_LIFETIME_SECS: i64 = 3600;

/// A token's lifetime from the server's `expires_in`, without ever overflowing: a number (any
/// JSON number, even `1e30` or `u64::MAX`) or numeric string is clamped to
/// `0..=`[`MAX_TOKEN_LIFETIME`] (0 means "use it for this request only"); anything else,
/// or nothing, is taken as the documented hour rather than failing the login.
fn token_lifetime(expires_in: Option<&Value>) -> chrono::Duration {
    let secs = match expires_in {
        Some(Value::Number(n)) => n.as_f64(),
        Some(Value::String(s)) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    };
    let max = MAX_TOKEN_LIFETIME.as_secs_f64();
    // `as` from f64 saturates; the clamp keeps it well inside chrono's range anyway.
    let secs = secs.map_or(DEFAULT_TOKEN_LIFETIME_SECS, |s| s.clamp(0.0, max) as i64);
    chrono::Duration::seconds(secs)
}

/// One athlete the signed-in user may act on: a coach's roster entry from `user.athletes[]`
/// (spec §2.4), or, for a plain athlete, the user themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, schemars::JsonSchema)]
pub struct AthleteSummary {
    /// The id to pass as `athlete_id` to athlete-scoped tools.
    pub athlete_id: i64,
    /// First name, if known.
    pub first_name: Option<String>,
    /// Last name, if known.
    pub last_name: Option<String>,
    /// E-mail address, if known.
    pub email: Option<String>,
    /// The coach's person id (`coachedBy`), if the athlete is coached.
    pub coached_by: Option<i64>,
    /// TrainingPeaks account type code (`userType`: 1 was premium, 4 premium, 6 basic).
    pub user_type: Option<i64>,
    /// Whether this is the signed-in user's own athlete record.
    pub is_self: bool,
}

impl TpClient {
    /// Forgets the cached token and user (e.g. after the person logged out).
    pub fn clear_session(&self) {
        *lock(&self.token) = None;
        self.forget_user();
    }

    /// Forgets the cached user: the next [`TpClient::user`] (and so every default athlete id)
    /// is fetched again with the current token. Called on every token exchange and every "not
    /// logged in": the cookie behind a new token may belong to someone else (a logout and a
    /// login as another person), and the old athlete id must never go out with their token.
    fn forget_user(&self) {
        use std::sync::atomic::Ordering;
        self.session_generation.fetch_add(1, Ordering::SeqCst);
        *lock(&self.user) = None;
    }

    fn generation(&self) -> u64 {
        self.session_generation
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// The session is gone: forget it all and say so.
    pub(super) fn logged_out(&self) -> TpError {
        self.clear_session();
        TpError::NotLoggedIn
    }

    /// Checks the session against the browser's cookie now rather than trusting the cache:
    /// exchanges the cookie for a new token (which forgets the cached user) and fetches the
    /// user again. For status displays (the popup, `paceline doctor`), which must notice a
    /// logout or a login as someone else at once; the exchange is not rate limited.
    ///
    /// Boxed here, in core, like every future the extension awaits directly: a future of
    /// core's polled from another crate is compiled again in that crate with everything it
    /// awaits, so the wasm module carried the request path twice (issue 12).
    pub fn check_session(&self) -> BoxFuture<'_, Result<User, TpError>> {
        Box::pin(async move {
            {
                let _exchanging = self.exchange_lock.lock().await;
                self.exchange_token().await?;
            }
            self.user().await
        })
    }

    /// The cached token if it is valid for more than the refresh margin.
    fn fresh_token(&self) -> Option<String> {
        let now = self.clock.now();
        lock(&self.token)
            .as_ref()
            .filter(|t| (t.expires_at - now).num_seconds() > TOKEN_REFRESH_MARGIN_SECS)
            .map(|t| t.access_token.clone())
    }

    /// Returns a valid Bearer token, exchanging the cookie at `/users/v3/token` when there is
    /// none cached or it expires within 60 s.
    pub async fn access_token(&self) -> Result<String, TpError> {
        if let Some(t) = self.fresh_token() {
            return Ok(t);
        }
        let _exchanging = self.exchange_lock.lock().await;
        // Another request may have exchanged while we waited for the lock.
        if let Some(t) = self.fresh_token() {
            return Ok(t);
        }
        self.exchange_token().await
    }

    /// A new token after `rejected` drew a 401. If a concurrent request already replaced it,
    /// that replacement is used rather than exchanging again.
    pub(super) async fn replace_token(&self, rejected: &str) -> Result<String, TpError> {
        let _exchanging = self.exchange_lock.lock().await;
        if let Some(t) = self.fresh_token().filter(|t| t != rejected) {
            return Ok(t);
        }
        *lock(&self.token) = None;
        self.exchange_token().await
    }

    /// Exchanges the session cookie for a fresh token and caches it.
    async fn exchange_token(&self) -> Result<String, TpError> {
        const PATH: &str = "/users/v3/token";
        // No Authorization header on this call (spec §2.2, DOC3P): the cookie is the credential.
        // Not counted by the rate limiter: spec §2.2 says the exchange is not rate limited.
        let url = format!("{}{PATH}", self.bases.tp);
        let req = HttpRequest::new(Method::Get, url).header("accept", "application/json");
        let resp = self.transmit(req, PATH, false, Safety::Read).await?;
        if resp.status == 401 || resp.status == 403 {
            return Err(self.logged_out());
        }
        if !resp.is_success() {
            return Err(status_error(Method::Get, PATH, &resp));
        }
        let body: Value = decode_body(&resp, PATH)?;
        // `success: false` is a failure even with 200 (spec §2.2, REF).
        if body.get("success").and_then(Value::as_bool) == Some(false) {
            return Err(self.logged_out());
        }
        let token = body.get("token").ok_or_else(|| TpError::Decode {
            path: PATH.into(),
            message: "missing `token`".into(),
        })?;
        let access_token = token
            .get("access_token")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .ok_or_else(|| TpError::Decode {
                path: PATH.into(),
                message: "missing `token.access_token`".into(),
            })?
            .to_string();
        let now = self.clock.now();
        let expires_at = now
            .checked_add_signed(token_lifetime(token.get("expires_in")))
            .unwrap_or(now);
        // A new token may speak for another person than the last one (see `forget_user`): the
        // user is fetched again before any default athlete id is used.
        self.forget_user();
        *lock(&self.token) = Some(Token {
            access_token: access_token.clone(),
            expires_at,
        });
        Ok(access_token)
    }

    /// The `userId` of the cached user, if any.
    pub(super) fn cached_user_id(&self) -> Option<i64> {
        lock(&self.user).as_ref().and_then(|u| u.user_id.val())
    }

    /// After a re-exchange: fetches the user behind the new `token` (caching it) and fails
    /// with [`TpError::SessionChanged`] if it is not `previous`, so a request built for one
    /// person is never resent with another person's token. Fetched here with one plain
    /// request rather than through [`TpClient::user`], which would re-enter [`TpClient::send`].
    pub(super) async fn confirm_same_user(
        &self,
        previous: i64,
        token: &str,
    ) -> Result<(), TpError> {
        const PATH: &str = "/users/v3/user";
        let generation = self.generation();
        let req = HttpRequest::new(Method::Get, format!("{}{PATH}", self.bases.tp))
            .header("authorization", format!("Bearer {token}"))
            .header("accept", "application/json");
        let resp = self.transmit(req, PATH, true, Safety::Read).await?;
        if resp.status == 401 {
            return Err(self.logged_out());
        }
        if !resp.is_success() {
            return Err(status_error(Method::Get, PATH, &resp));
        }
        let v: Value = decode_body(&resp, PATH)?;
        let user = user_from_envelope(v, PATH)?;
        let current = user.user_id.require("signed-in user", "userId")?;
        {
            let mut cached = lock(&self.user);
            if self.generation() == generation {
                *cached = Some(user);
            }
        }
        if current != previous {
            return Err(TpError::SessionChanged { previous, current });
        }
        Ok(())
    }

    /// The signed-in user (`GET /users/v3/user` → `user`), fetched once and cached.
    pub async fn user(&self) -> Result<User, TpError> {
        // The token first: if it is stale, its exchange forgets the cached user, so an old
        // user is never answered beside a token that may belong to someone else.
        self.access_token().await?;
        if let Some(u) = lock(&self.user).as_ref() {
            return Ok(u.clone());
        }
        let _fetching = self.user_lock.lock().await;
        if let Some(u) = lock(&self.user).as_ref() {
            return Ok(u.clone());
        }
        // An exchange during the fetch (a 401, a concurrent re-exchange) means the answer may
        // describe another session than the cache now holds, so it is not cached.
        let generation = self.generation();
        let v = self.get_json(Api::Tp, "/users/v3/user").await?;
        let user = user_from_envelope(v, "/users/v3/user")?;
        let mut cached = lock(&self.user);
        if self.generation() == generation {
            *cached = Some(user.clone());
        }
        Ok(user)
    }

    /// The athlete a tool acts on: `requested` if given (coaches), else the signed-in user's
    /// own `userId`.
    ///
    /// Spec §2.4 lists a CONFLICT (`userId` vs `personId`). We use `userId`, which the reference
    /// server uses in every path and which works for plain athletes; for coaches the roster's
    /// `athleteId` is passed explicitly.
    pub async fn athlete_id(&self, requested: Option<i64>) -> Result<i64, TpError> {
        if let Some(id) = requested {
            if id <= 0 {
                return Err(TpError::InvalidInput {
                    field: "athlete_id".into(),
                    message: format!(
                        "{id} is not a TrainingPeaks athlete id; it must be a positive number \
                         (list_athletes shows the ids you can use)"
                    ),
                });
            }
            return Ok(id);
        }
        let user = self.user().await?;
        Ok(user.user_id.require("signed-in user", "userId")?)
    }

    /// The athletes the signed-in user can act on: a coach's roster (`user.athletes[]`, spec
    /// §2.4), or, for a plain athlete whose roster is empty, the user themselves.
    ///
    /// Head coaches do not see sub-coached athletes in `athletes[]` (spec §2.4, ISS#92); that is
    /// a TrainingPeaks limitation we cannot work around.
    pub async fn athletes(&self) -> Result<Vec<AthleteSummary>, TpError> {
        let user = self.user().await?;
        let own_id = user.user_id.require("signed-in user", "userId")?;
        // A roster entry without a readable id cannot be acted on; the others still can.
        let mut out: Vec<AthleteSummary> = user
            .roster()
            .iter()
            .filter_map(|entry| {
                let athlete_id = entry.athlete_id.val()?;
                Some(AthleteSummary {
                    athlete_id,
                    first_name: entry.first_name(),
                    last_name: entry.last_name(),
                    email: entry.email(),
                    coached_by: entry.coached_by.val(),
                    user_type: entry.user_type.val(),
                    is_self: athlete_id == own_id,
                })
            })
            .collect();
        if out.is_empty() {
            out.push(AthleteSummary {
                athlete_id: own_id,
                first_name: user.first_name(),
                last_name: user.last_name(),
                email: user.email(),
                coached_by: None,
                user_type: user.user_type.val(),
                is_self: true,
            });
        }
        Ok(out)
    }

    /// The cached token and user as JSON, so a host that loses memory (a restarted browser
    /// service worker) can restore them with [`TpClient::restore_session`] instead of
    /// exchanging the cookie again. Holds a short-lived Bearer token: store it only in
    /// session-scoped, same-origin storage (`chrome.storage.session`).
    pub fn session_snapshot(&self) -> Value {
        let token = lock(&self.token).clone();
        let user = lock(&self.user).clone();
        serde_json::json!({
            "token": token.map(|t| serde_json::json!({"accessToken": t.access_token, "expiresAt": t.expires_at.timestamp()})),
            "user": user,
        })
    }

    /// Restores a [`TpClient::session_snapshot`]. A token that is expired (or within the 60 s
    /// refresh margin) is ignored; malformed input is ignored.
    pub fn restore_session(&self, snapshot: &Value) {
        if let Some(t) = snapshot.get("token") {
            let access = t.get("accessToken").and_then(Value::as_str);
            let expires = t
                .get("expiresAt")
                .and_then(Value::as_i64)
                .and_then(|s| DateTime::from_timestamp(s, 0));
            if let (Some(access), Some(expires_at)) = (access, expires)
                && (expires_at - self.clock.now()).num_seconds() > TOKEN_REFRESH_MARGIN_SECS
                && !access.is_empty()
            {
                *lock(&self.token) = Some(Token {
                    access_token: access.to_string(),
                    expires_at,
                });
            }
        }
        if let Some(u) = snapshot
            .get("user")
            .filter(|u| u.is_object())
            .and_then(|u| crate::wire::read::<User>(u).ok())
            .filter(|u| u.user_id.is_present())
        {
            *lock(&self.user) = Some(u);
        }
    }
}

/// The `user` of a `/users/v3/user` answer, with a readable `userId` (without it no athlete
/// path can be built, so its absence is named here).
fn user_from_envelope(v: Value, path: &str) -> Result<User, TpError> {
    #[derive(Deserialize)]
    struct Envelope {
        #[serde(default)]
        user: crate::wire::Field<User>,
    }
    let envelope: Envelope = from_value(v, path)?;
    let user = match envelope.user {
        crate::wire::Field::Present(u) => u,
        other => {
            return Err(crate::wire::MissingField {
                entity: "signed-in user response".into(),
                field: "user".into(),
                expected: "an object",
                seen: other.seen(),
            }
            .into());
        }
    };
    user.user_id.require("signed-in user", "userId")?;
    Ok(user)
}
