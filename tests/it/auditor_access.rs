//! The auditor's access: sees everything except confidential concern contents, runs
//! assessments, samples evidence, exports packs, and changes nothing, walked over every route of
//! the API description and every page route; and time-limited accounts (the auditor's
//! engagement), in the store on both databases and through the API and pages.

mod accounts_api;
mod check_cli;
mod store;

use std::collections::{BTreeMap, BTreeSet};

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use charter::domain::access::{Permission, Role, grants};

use crate::authorization_matrix::RouteRule;
use crate::helpers::{TestApp, TestResponse};

/// Every route of this area and the permission it declares (time-limited accounts add none: the
/// end of access travels with the existing account routes).
pub const ROUTES: &[RouteRule] = &[];

/// The permissions that let an auditor change something: its own session and tokens, and the
/// two acts the product gives auditors. Any other change must be refused.
const AUDITOR_MAY_CHANGE: [Permission; 4] = [
    Permission::Public,
    Permission::SignedIn,
    Permission::RunAssessments,
    Permission::ExportAuditPacks,
];

/// The posts an auditor makes in routes whose table is private to the matrix: signing in and
/// out, its own password and tokens (paths ending in `/` are prefixes), and checking a text
/// against the policy content rules, which stores nothing.
const CORE_CHANGES_ALLOWED: [&str; 6] = [
    "/api/v1/auth/",
    "/account/",
    "/sign-in",
    "/sign-out",
    "/setup",
    "/api/v1/policies/content-check",
];

/// The forms that take credentials: a probe without them is told so, not refused access.
const SIGN_IN_FORMS: [&str; 3] = ["/sign-in", "/api/v1/auth/login", "/setup"];

fn core_change_allowed(path: &str) -> bool {
    CORE_CHANGES_ALLOWED
        .iter()
        .any(|p| path == *p || (p.ends_with('/') && path.starts_with(p)))
}

/// Pages of the earlier areas that only serve a change (forms, acknowledging) or an admin; an
/// auditor opening them is refused. The later areas' tables carry their permission.
fn core_page_refused(path: &str) -> bool {
    path.ends_with("/new")
        || path.ends_with("/edit")
        || path == "/people/import"
        || path == "/policies/{id}/share-links"
        || [
            "/admin/",
            "/outbox",
            "/api/v1/outbox",
            "/api/v1/accounts",
            "/acknowledge/",
        ]
        .iter()
        .any(|prefix| path.starts_with(prefix))
}

/// The contents of confidential concerns: handlers only.
fn is_concern_content(path: &str) -> bool {
    path.starts_with("/concerns")
        || path.starts_with("/api/v1/concern-settings")
        || (path.starts_with("/api/v1/concerns") && !path.starts_with("/api/v1/concerns/follow-up"))
}

/// The areas whose every readable page and record an auditor must reach: 200, or 404 for the
/// unknown id the walk uses.
const READ_AREAS: [&str; 33] = [
    "/api/v1/policies",
    "/api/v1/policy-",
    "/policies",
    "/exceptions",
    "/api/v1/roles",
    "/api/v1/assignments",
    "/api/v1/delegations",
    "/api/v1/activities",
    "/api/v1/raci",
    "/api/v1/sod",
    "/api/v1/escalation-paths",
    "/api/v1/role-gaps",
    "/roles",
    "/escalation",
    "/api/v1/objectives",
    "/api/v1/management-reviews",
    "/api/v1/improvement-actions",
    "/api/v1/resource-commitments",
    "/api/v1/processes",
    "/api/v1/briefings",
    "/api/v1/performance-reports",
    "/api/v1/communications",
    "/leadership",
    "/reports",
    "/communications",
    "/api/v1/assessments",
    "/api/v1/requirements",
    "/api/v1/conformance",
    "/api/v1/liveness",
    "/conformance",
    "/api/v1/campaigns",
    "/campaigns",
    "/audit",
];

/// The matrix's own table of the earlier areas, read as text (it is private to that module):
/// every `("METHOD", "/path", ...)` it lists.
fn core_routes() -> Vec<(String, String)> {
    let text = include_str!("authorization_matrix.rs");
    let methods = ["GET", "POST", "PUT", "PATCH", "DELETE"];
    let mut found = Vec::new();
    for chunk in text.split('(').skip(1) {
        let mut parts = chunk.trim_start().splitn(3, '"');
        let (Some(""), Some(method), Some(rest)) = (parts.next(), parts.next(), parts.next())
        else {
            continue;
        };
        let Some(path) = rest.trim_start_matches([',', ' ', '\n']).strip_prefix('"') else {
            continue;
        };
        let path = path.split('"').next().unwrap_or_default();
        if methods.contains(&method) && path.starts_with('/') {
            found.push((method.to_owned(), path.to_owned()));
        }
    }
    found
}

/// The routes of the later areas with the permission each declares.
fn area_routes() -> BTreeMap<(String, String), Permission> {
    [
        crate::api_objectives::ROUTES,
        crate::api_reviews::ROUTES,
        crate::api_commitments::ROUTES,
        crate::api_reports::ROUTES,
        crate::api_concerns::ROUTES,
        crate::api_conformance::ROUTES,
        crate::audit_log::ROUTES,
        crate::audit_pack::ROUTES,
        ROUTES,
    ]
    .concat()
    .into_iter()
    .map(|(m, p, permission)| (((*m).to_owned(), (*p).to_owned()), permission))
    .collect()
}

/// Every operation of the API description.
async fn described_routes(app: &TestApp) -> Vec<(String, String)> {
    let document = app.get("/api/v1/openapi.json").await.json();
    document["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("operations")
                .keys()
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect()
}

/// What the auditor may do on a route: change it, read it, or be refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Allowed,
    Readable,
    Refused,
}

fn expectation(method: &str, path: &str, permission: Option<Permission>) -> Expect {
    if is_concern_content(path) && !(method == "POST" && path == "/api/v1/concerns") {
        return Expect::Refused;
    }
    if method == "GET" {
        let refused = match permission {
            Some(permission) => !grants(Role::Auditor, permission),
            None => core_page_refused(path),
        };
        return if refused {
            Expect::Refused
        } else {
            Expect::Readable
        };
    }
    let allowed = match permission {
        Some(permission) => {
            grants(Role::Auditor, permission) && AUDITOR_MAY_CHANGE.contains(&permission)
        }
        None => core_change_allowed(path),
    };
    if allowed {
        Expect::Allowed
    } else {
        Expect::Refused
    }
}

async fn call(app: &TestApp, method: &str, path: &str) -> TestResponse {
    let unknown = uuid::Uuid::now_v7().to_string();
    let uri = path
        .replace("{matter}", "concern")
        .replace("{token}", "an-unknown-share-token")
        .replace("{id}", &unknown);
    let method: Method = method.parse().expect("method");
    let mut request = Request::builder().method(method.clone()).uri(&uri);
    let body = if method == Method::GET {
        Body::empty()
    } else if uri.starts_with("/api/") {
        request = request.header(header::CONTENT_TYPE, "application/json");
        Body::from("{}")
    } else {
        request = request.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        Body::from("probe=1")
    };
    app.send(request.body(body).expect("request")).await
}

fn asks_to_sign_in(response: &TestResponse) -> bool {
    response.status == StatusCode::UNAUTHORIZED
        || (response.status == StatusCode::SEE_OTHER
            && response
                .header("location")
                .is_some_and(|l| l.starts_with("/sign-in")))
}

#[tokio::test]
async fn an_auditor_reads_everything_but_concerns_and_changes_nothing_else() {
    let app = TestApp::as_role(Role::Auditor).await;
    let areas = area_routes();
    let mut routes: BTreeSet<(String, String)> = described_routes(&app).await.into_iter().collect();
    routes.extend(core_routes());
    routes.extend(areas.keys().cloned());
    // Ending the session would sign the walk out: signing out is tried last.
    let ending = [("POST", "/api/v1/auth/logout"), ("POST", "/sign-out")];
    routes.retain(|(m, p)| !ending.contains(&(m.as_str(), p.as_str())));
    assert!(routes.len() > 300, "the walk found {} routes", routes.len());

    let mut wrong = Vec::new();
    let mut read = 0;
    for (method, path) in &routes {
        let permission = areas.get(&(method.clone(), path.clone())).copied();
        let expected = expectation(method, path, permission);
        let response = call(&app, method, path).await;
        let status = response.status;
        let fine = match expected {
            Expect::Refused => status == StatusCode::FORBIDDEN,
            // A probe's empty credentials are refused as such by the sign-in forms themselves.
            Expect::Allowed if SIGN_IN_FORMS.contains(&path.as_str()) => {
                status != StatusCode::FORBIDDEN && !status.is_server_error()
            }
            Expect::Allowed => status != StatusCode::FORBIDDEN && !asks_to_sign_in(&response),
            // A read that needs a parameter the probe lacks says so with 400.
            Expect::Readable if READ_AREAS.iter().any(|a| path.starts_with(a)) => [
                StatusCode::OK,
                StatusCode::NOT_FOUND,
                StatusCode::BAD_REQUEST,
            ]
            .contains(&status),
            Expect::Readable => {
                status != StatusCode::FORBIDDEN
                    && !asks_to_sign_in(&response)
                    && !status.is_server_error()
            }
        };
        read += usize::from(expected == Expect::Readable && status == StatusCode::OK);
        if !fine {
            wrong.push(format!(
                "{method} {path}: expected {expected:?}, got {status}"
            ));
        }
    }
    assert!(
        wrong.is_empty(),
        "the auditor's access is wrong on:\n{}",
        wrong.join("\n")
    );
    assert!(read > 40, "only {read} pages and records answered 200");

    for (method, path) in ending {
        let response = call(&app, method, path).await;
        assert_ne!(response.status, StatusCode::FORBIDDEN, "{method} {path}");
    }
}

#[test]
fn no_permission_outside_the_auditors_acts_lets_an_auditor_change_a_later_area() {
    let changes: Vec<String> = area_routes()
        .into_iter()
        .filter(|((method, _), permission)| {
            method != "GET"
                && grants(Role::Auditor, *permission)
                && !AUDITOR_MAY_CHANGE.contains(permission)
        })
        .map(|((method, path), permission)| format!("{method} {path} ({permission:?})"))
        .collect();
    assert!(changes.is_empty(), "an auditor may change: {changes:?}");
}

#[test]
fn the_matrix_table_is_read_whole() {
    let core = core_routes();
    for expected in [
        ("GET", "/healthz"),
        ("POST", "/admin/accounts/{id}/enable"),
        ("GET", "/api/v1/policy-versions/{id}/content-check"),
        ("POST", "/sign-out"),
    ] {
        assert!(
            core.iter().any(|(m, p)| m == expected.0 && p == expected.1),
            "{expected:?} missing from {} routes",
            core.len()
        );
    }
}
