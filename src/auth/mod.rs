//! Identity and access: passwords, sessions, API tokens, the first-admin setup link, and the
//! guards that make every route declare who may use it.

pub mod change_password;
pub mod guard;
pub mod password;
pub mod principal;
pub mod secret;
pub mod sign_in;

use time::Duration;

pub use guard::guarded;
pub use principal::{Caller, ClientAddress, Credential, Principal};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "charter_session";
/// A session ends after this long without a request.
pub const IDLE_TIMEOUT: Duration = Duration::minutes(30);
/// And after this long whatever the activity.
pub const ABSOLUTE_TIMEOUT: Duration = Duration::hours(12);
/// How long the first-admin setup link works.
pub const SETUP_LINK_LIFETIME: Duration = Duration::hours(24);

/// The `Set-Cookie` value that starts a session (`Secure` when served over TLS).
pub fn session_cookie(token: &str, secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{secure}",
        ABSOLUTE_TIMEOUT.whole_seconds()
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn cleared_cookie(secure: bool) -> String {
    let secure = if secure { "; Secure" } else { "" };
    format!("{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{secure}")
}
