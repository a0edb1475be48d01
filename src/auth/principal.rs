//! Who is calling: resolved once per request from the session cookie or the bearer token, then
//! read by the route guards, the handlers (as the actor of a change) and the page layout.

use axum::extract::{FromRequestParts, Request, State};
use axum::http::header;
use axum::http::request::Parts;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use time::{Duration, OffsetDateTime};
use uuid::Uuid;

use super::secret::secret_hash;
use super::{IDLE_TIMEOUT, SESSION_COOKIE};
use crate::app::AppState;
use crate::domain::Actor;
use crate::domain::access::{Permission, grants};
use crate::domain::account::{Account, TokenScope};
use crate::error::AppError;

/// How the caller proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Credential {
    /// A browser session; changes need its CSRF token.
    Session {
        token_hash: String,
        csrf_token: String,
    },
    /// An API token with its scope.
    Token { id: Uuid, scope: TokenScope },
}

/// A signed-in account and how it signed in.
#[derive(Debug, Clone)]
pub struct Principal {
    pub account: Account,
    pub credential: Credential,
}

impl Principal {
    /// Whether one of the account's roles grants `permission`, within a token's scope.
    pub fn may(&self, permission: Permission) -> bool {
        if let Credential::Token {
            scope: TokenScope::Read,
            ..
        } = self.credential
            && !permission.is_read_only()
        {
            return false;
        }
        permission == Permission::Public
            || self
                .account
                .effective_roles()
                .into_iter()
                .any(|role| grants(role, permission))
    }

    /// How the account appears in the audit trail.
    pub fn actor(&self) -> Actor {
        Actor::named(format!("account:{}", self.account.id))
    }

    pub fn csrf_token(&self) -> Option<&str> {
        match &self.credential {
            Credential::Session { csrf_token, .. } => Some(csrf_token),
            Credential::Token { .. } => None,
        }
    }
}

tokio::task_local! {
    static CURRENT: Option<Principal>;
}

/// The caller of the request being handled, for views (the layout's account menu).
pub fn current() -> Option<Principal> {
    CURRENT.try_with(Clone::clone).ok().flatten()
}

/// The actor of a change made by the request being handled (pages use it; the JSON API takes
/// the `Caller` explicitly). Behind a guard there is always a principal.
pub fn current_actor() -> Actor {
    current().map_or_else(Actor::web, |p| p.actor())
}

/// Resolves the caller and runs the rest of the request with it; a bad bearer token is a 401.
pub async fn authenticate(
    State(state): State<AppState>,
    mut request: Request,
    next: Next,
) -> Response {
    if is_confidential_channel(&request) {
        // Nothing about the caller is read or touched (not even a session's last-seen time),
        // so a report cannot be matched to an account afterwards.
        return CURRENT.scope(None, next.run(request)).await;
    }
    let bearer = bearer_token(&request).map(str::to_owned);
    let cookie = session_cookie(&request).map(str::to_owned);
    let principal = match resolve(&state, bearer, cookie).await {
        Ok(principal) => principal,
        Err(error) => return error.into_response(),
    };
    if let Some(principal) = &principal {
        request.extensions_mut().insert(principal.clone());
    }
    CURRENT.scope(principal, next.run(request)).await
}

async fn resolve(
    state: &AppState,
    bearer: Option<String>,
    cookie: Option<String>,
) -> Result<Option<Principal>, AppError> {
    if let Some(token) = bearer {
        return from_token(state, &token).await.map(Some);
    }
    match cookie {
        Some(token) => from_session(state, &token).await,
        None => Ok(None),
    }
}

/// The public routes of the confidential reporting channel (A.6.8): reporting a concern and
/// following it up with its code. Handlers' routes (`/concerns`, `GET /api/v1/concerns…`) are not.
fn is_confidential_channel(request: &Request) -> bool {
    let path = request.uri().path();
    path == "/report"
        || path.starts_with("/report/")
        || path.starts_with("/api/v1/concerns/follow-up")
        || (path == "/api/v1/concerns" && request.method() == axum::http::Method::POST)
}

fn bearer_token(request: &Request) -> Option<&str> {
    let value = request
        .headers()
        .get(header::AUTHORIZATION)?
        .to_str()
        .ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then_some(token.trim())
}

/// The session cookie's value, if the request carries one.
pub fn session_cookie(request: &Request) -> Option<&str> {
    request
        .headers()
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value)
}

async fn from_token(state: &AppState, token: &str) -> Result<Principal, AppError> {
    let invalid = || {
        AppError::Unauthenticated("the API token is not valid, has expired or was revoked".into())
    };
    let now = OffsetDateTime::now_utc();
    let (record, account) = state
        .store
        .api_token_with_account(&secret_hash(token))
        .await?
        .ok_or_else(invalid)?;
    if !record.is_usable(now) || !account.is_active() {
        return Err(invalid());
    }
    if record
        .last_used_at
        .is_none_or(|used| now - used > Duration::minutes(1))
    {
        state.store.touch_api_token(record.id, now).await?;
    }
    Ok(Principal {
        account,
        credential: Credential::Token {
            id: record.id,
            scope: record.scope,
        },
    })
}

/// A session that timed out or whose account was disabled is ended and treated as absent; one
/// whose account's access has ended is not even found (the store's query checks the last day).
async fn from_session(state: &AppState, token: &str) -> Result<Option<Principal>, AppError> {
    let token_hash = secret_hash(token);
    let Some((session, account)) = state.store.session_with_account(&token_hash).await? else {
        return Ok(None);
    };
    let now = OffsetDateTime::now_utc();
    let timed_out = now >= session.expires_at || now - session.last_seen_at > IDLE_TIMEOUT;
    if timed_out || !account.is_active() || !account.has_password {
        state.store.end_session(&token_hash).await?;
        return Ok(None);
    }
    if now - session.last_seen_at > Duration::minutes(1) {
        state.store.touch_session(&token_hash, now).await?;
    }
    let credential = Credential::Session {
        token_hash,
        csrf_token: session.csrf_token,
    };
    Ok(Some(Principal {
        account,
        credential,
    }))
}

/// The signed-in caller, for handlers behind a guard (a guard has already refused anyone else).
pub struct Caller(pub Principal);

impl<S: Send + Sync> FromRequestParts<S> for Caller {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Principal>()
            .cloned()
            .map(Caller)
            .ok_or_else(|| AppError::Unauthenticated("sign in first".into()))
    }
}

/// The address the request came from: the TCP peer, or, when the peer is a trusted proxy, the
/// last address in `X-Forwarded-For` that is not itself a trusted proxy.
pub struct ClientAddress(pub String);

impl FromRequestParts<AppState> for ClientAddress {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|info| info.0.ip());
        Ok(Self(client_address(
            peer,
            &parts.headers,
            &state.trusted_proxies,
        )))
    }
}

fn client_address(
    peer: Option<std::net::IpAddr>,
    headers: &axum::http::HeaderMap,
    trusted: &[std::net::IpAddr],
) -> String {
    let Some(peer) = peer else {
        return "unknown".to_owned();
    };
    if !trusted.contains(&peer) {
        return peer.to_string();
    }
    let forwarded: Vec<std::net::IpAddr> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .filter_map(|a| a.trim().parse().ok())
        .collect();
    forwarded
        .iter()
        .rev()
        .find(|a| !trusted.contains(a))
        .map_or_else(|| peer.to_string(), ToString::to_string)
}

#[cfg(test)]
mod tests {
    use super::client_address;
    use axum::http::HeaderMap;

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let proxy: std::net::IpAddr = "10.0.0.1".parse().expect("ip");
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-forwarded-for",
            "203.0.113.9, 198.51.100.7".parse().expect("header"),
        );
        assert_eq!(
            client_address(Some(proxy), &headers, &[proxy]),
            "198.51.100.7"
        );
        assert_eq!(
            client_address(Some(proxy), &headers, &[]),
            "10.0.0.1",
            "an untrusted peer's header is ignored"
        );
        assert_eq!(client_address(None, &headers, &[proxy]), "unknown");
    }
}
