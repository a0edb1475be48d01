//! The guard every route wears: it names the permission the route needs, refuses anyone without
//! it (401 to the anonymous, 403 to the rest), and checks the CSRF token on changes made with a
//! session cookie. A response that passed no guard is refused by `require_guard`: deny by default.

use axum::body::{Body, to_bytes};
use axum::extract::Request;
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::middleware::{Next, from_fn};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::MethodRouter;

use super::principal::{Credential, Principal};
use super::secret::same_secret;
use crate::app::AppState;
use crate::domain::access::Permission;
use crate::error::AppError;

/// The header or form field that carries the CSRF token.
pub const CSRF_HEADER: &str = "x-csrf-token";
pub const CSRF_FIELD: &str = "csrf_token";
const FORM_LIMIT: usize = 2 * 1024 * 1024;

/// Marks a response that went through a guard.
#[derive(Debug, Clone, Copy)]
pub struct Guarded(pub Permission);

/// Puts `route` behind `permission`.
pub fn guarded(permission: Permission, route: MethodRouter<AppState>) -> MethodRouter<AppState> {
    route.route_layer(from_fn(move |request: Request, next: Next| {
        check(permission, request, next)
    }))
}

async fn check(permission: Permission, request: Request, next: Next) -> Response {
    let mut response = decide(permission, request, next).await;
    response.extensions_mut().insert(Guarded(permission));
    response
}

async fn decide(permission: Permission, request: Request, next: Next) -> Response {
    let path = request.uri().path();
    let is_api = path.starts_with("/api/") || path == "/metrics";
    let principal = request.extensions().get::<Principal>().cloned();
    let request = match (permission, &principal) {
        (Permission::Public, _) => request,
        (_, None) => return refuse_anonymous(is_api, request.uri()),
        (_, Some(p)) if !p.may(permission) => {
            return refuse(is_api, AppError::Forbidden(forbidden_message(permission)));
        }
        (_, Some(p)) => match check_csrf(p, request).await {
            Ok(request) => request,
            Err(error) => return refuse(is_api, error),
        },
    };
    next.run(request).await
}

fn forbidden_message(permission: Permission) -> String {
    let what = match permission {
        Permission::EditOrganization => "change the organization's records",
        Permission::ReadEvidence => "read the audit evidence",
        Permission::ReadMetrics => "read the metrics",
        Permission::ManageAccounts => "manage accounts",
        _ => "do this",
    };
    format!("Your roles do not allow you to {what}.")
}

fn refuse_anonymous(is_api: bool, uri: &Uri) -> Response {
    if is_api {
        return AppError::Unauthenticated(
            "sign in, or send an API token as `Authorization: Bearer`".into(),
        )
        .into_response();
    }
    let next = uri.path_and_query().map_or("/", |p| p.as_str());
    Redirect::to(&format!(
        "/sign-in?next={}",
        crate::web::encode_component(next)
    ))
    .into_response()
}

fn refuse(is_api: bool, error: AppError) -> Response {
    if is_api {
        error.into_response()
    } else {
        crate::web::error_page(error)
    }
}

/// Changes made with a session cookie must carry the session's CSRF token, in the header, the
/// form body, or (for file uploads) the query string.
async fn check_csrf(principal: &Principal, request: Request) -> Result<Request, AppError> {
    let Credential::Session { csrf_token, .. } = &principal.credential else {
        return Ok(request);
    };
    if matches!(
        *request.method(),
        Method::GET | Method::HEAD | Method::OPTIONS
    ) {
        return Ok(request);
    }
    let missing = || {
        AppError::Forbidden(
            "The form has expired or did not come from Charter; reload the page and try again."
                .into(),
        )
    };
    if let Some(sent) = header_token(request.headers()).or_else(|| query_token(request.uri())) {
        return if same_secret(&sent, csrf_token) {
            Ok(request)
        } else {
            Err(missing())
        };
    }
    if !is_form(request.headers()) {
        return Err(missing());
    }
    let (parts, body) = request.into_parts();
    let bytes = to_bytes(body, FORM_LIMIT)
        .await
        .map_err(|_| AppError::BadRequest("the form is too large".into()))?;
    let fields: Vec<(String, String)> = serde_urlencoded::from_bytes(&bytes).unwrap_or_default();
    let sent = fields
        .into_iter()
        .find(|(name, _)| name == CSRF_FIELD)
        .map(|(_, value)| value);
    match sent {
        Some(sent) if same_secret(&sent, csrf_token) => {
            Ok(Request::from_parts(parts, Body::from(bytes)))
        }
        _ => Err(missing()),
    }
}

fn header_token(headers: &HeaderMap) -> Option<String> {
    headers.get(CSRF_HEADER)?.to_str().ok().map(str::to_owned)
}

fn query_token(uri: &Uri) -> Option<String> {
    let fields: Vec<(String, String)> = serde_urlencoded::from_str(uri.query()?).ok()?;
    fields
        .into_iter()
        .find(|(name, _)| name == CSRF_FIELD)
        .map(|(_, value)| value)
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// Refuses any answer from a route that wears no guard (404 and 405 answers have no route).
pub async fn require_guard(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let response = next.run(request).await;
    let unrouted = matches!(
        response.status(),
        StatusCode::NOT_FOUND | StatusCode::METHOD_NOT_ALLOWED
    );
    if response.extensions().get::<Guarded>().is_some() || unrouted {
        return response;
    }
    tracing::error!(%path, "a route answered without declaring its permission; refused");
    AppError::Forbidden("This route declares no permission, so nobody may use it.".into())
        .into_response()
}
