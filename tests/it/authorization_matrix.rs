//! Every route against every role and against nobody signed in: each route declares a
//! permission, and the answer follows `grants` exactly. A route missing here fails the
//! completeness check against the OpenAPI document (API) or is refused by the guard (pages).

use std::collections::BTreeSet;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use charter::domain::access::{Permission, Role, grants};

use crate::helpers::{TestApp, TestResponse};

use Permission::{
    Acknowledge as Ack, DecidePolicies as Decide, EditOrganization as Edit, EditPolicies as Author,
    ManageAccounts as Accounts, ManageCampaigns as Campaign, ManageMail as Mail, Public,
    ReadCampaigns as Campaigns, ReadCommunications as Communications, ReadEvidence as Evidence,
    ReadMetrics as Metrics, ReadOrganization as Read, ReadPolicies as Policies,
    ReadPolicyRecords as Records, RecordCommunications as Communicate, RequestExceptions as Except,
    ReviewPolicies as Comment, SendReminders as Remind, SignedIn,
};

/// A route and the permission it must declare.
pub type RouteRule = (&'static str, &'static str, Permission);

/// Every route of the areas before leadership evidence (the later areas keep their own table
/// beside their API tests).
const CORE_ROUTES: &[RouteRule] = &[
    ("GET", "/healthz", Public),
    ("GET", "/readyz", Public),
    ("GET", "/metrics", Metrics),
    ("GET", "/api/v1/openapi.json", Public),
    ("POST", "/api/v1/auth/login", Public),
    ("GET", "/api/v1/auth/me", SignedIn),
    ("GET", "/api/v1/auth/tokens", SignedIn),
    ("POST", "/api/v1/auth/password", SignedIn),
    ("POST", "/api/v1/auth/tokens", SignedIn),
    ("DELETE", "/api/v1/auth/tokens/{id}", SignedIn),
    ("GET", "/api/v1/accounts", Accounts),
    ("POST", "/api/v1/accounts", Accounts),
    ("PATCH", "/api/v1/accounts/{id}", Accounts),
    ("GET", "/api/v1/organization", Read),
    ("PUT", "/api/v1/organization", Edit),
    ("GET", "/api/v1/units", Read),
    ("POST", "/api/v1/units", Edit),
    ("GET", "/api/v1/units/{id}", Read),
    ("PATCH", "/api/v1/units/{id}", Edit),
    ("GET", "/api/v1/people", Read),
    ("POST", "/api/v1/people", Edit),
    ("GET", "/api/v1/people/export", Evidence),
    ("POST", "/api/v1/people/import", Edit),
    ("GET", "/api/v1/people/{id}", Read),
    ("PATCH", "/api/v1/people/{id}", Edit),
    ("POST", "/api/v1/people/{id}/deactivate", Edit),
    ("GET", "/api/v1/policies", Policies),
    ("POST", "/api/v1/policies", Author),
    ("POST", "/api/v1/policies/content-check", Policies),
    ("GET", "/api/v1/policies/{id}", Policies),
    ("PUT", "/api/v1/policies/{id}", Author),
    ("GET", "/api/v1/policies/{id}/reviews", Records),
    ("POST", "/api/v1/policies/{id}/reviews", Decide),
    ("GET", "/api/v1/policies/{id}/versions", Records),
    ("POST", "/api/v1/policies/{id}/versions", Author),
    ("GET", "/api/v1/policy-versions/{id}", Policies),
    ("PUT", "/api/v1/policy-versions/{id}", Author),
    ("POST", "/api/v1/policy-versions/{id}/submit", Author),
    ("POST", "/api/v1/policy-versions/{id}/withdraw", Author),
    ("POST", "/api/v1/policy-versions/{id}/approve", Decide),
    ("POST", "/api/v1/policy-versions/{id}/reject", Decide),
    ("POST", "/api/v1/policy-versions/{id}/publish", Author),
    ("POST", "/api/v1/policy-versions/{id}/retire", Author),
    ("GET", "/api/v1/policy-versions/{id}/decisions", Records),
    ("GET", "/api/v1/policy-versions/{id}/comments", Records),
    ("POST", "/api/v1/policy-versions/{id}/comments", Comment),
    (
        "GET",
        "/api/v1/policy-versions/{id}/content-check",
        Policies,
    ),
    ("GET", "/api/v1/policy-versions/{id}/diff", Records),
    ("GET", "/api/v1/policy-versions/{id}/export.html", Policies),
    ("GET", "/api/v1/policy-versions/{id}/export.pdf", Policies),
    ("GET", "/api/v1/policy-exceptions", Records),
    ("GET", "/api/v1/policy-exceptions/{id}", Records),
    ("POST", "/api/v1/policies/{id}/exceptions", Except),
    ("POST", "/api/v1/policy-exceptions/{id}/decision", Decide),
    ("POST", "/api/v1/policy-exceptions/{id}/withdraw", Except),
    ("GET", "/api/v1/policies/{id}/share-links", Records),
    ("POST", "/api/v1/policies/{id}/share-links", Author),
    ("POST", "/api/v1/policy-share-links/{id}/revoke", Author),
    ("GET", "/api/v1/campaigns", Campaigns),
    ("POST", "/api/v1/campaigns", Campaign),
    ("GET", "/api/v1/campaigns/{id}", Campaigns),
    ("POST", "/api/v1/campaigns/{id}/close", Campaign),
    ("GET", "/api/v1/campaigns/{id}/coverage", Campaigns),
    ("POST", "/api/v1/campaigns/{id}/reminders", Remind),
    ("GET", "/api/v1/campaigns/{id}/acknowledgments", Campaigns),
    ("POST", "/api/v1/campaigns/{id}/acknowledgments", Ack),
    (
        "GET",
        "/api/v1/campaigns/{id}/acknowledgments.csv",
        Campaigns,
    ),
    ("GET", "/api/v1/me/acknowledgments", SignedIn),
    ("GET", "/api/v1/outbox", Mail),
    ("GET", "/api/v1/outbox/{id}", Mail),
    ("POST", "/api/v1/outbox/{id}/retry", Mail),
    ("GET", "/api/v1/communications", Communications),
    ("POST", "/api/v1/communications", Communicate),
    ("GET", "/api/v1/communications/{id}", Communications),
    ("GET", "/api/v1/trust/policies", Public),
    ("GET", "/api/v1/trust/policies/{id}", Public),
    ("GET", "/api/v1/trust/shared/{token}", Public),
    ("GET", "/api/v1/audit-events", Evidence),
    ("GET", "/api/v1/audit-events/verification", Evidence),
    ("GET", "/api/v1/roles", Permission::ReadRoles),
    ("POST", "/api/v1/roles", Permission::ManageRoles),
    ("GET", "/api/v1/roles/{id}", Permission::ReadRoles),
    ("PUT", "/api/v1/roles/{id}", Permission::ManageRoles),
    ("GET", "/api/v1/roles/{id}/holders", Permission::ReadRoles),
    ("GET", "/api/v1/assignments", Permission::ReadRoles),
    ("POST", "/api/v1/assignments", Permission::ManageRoles),
    // Open to everyone signed in: the holder reads their own, the handler refuses the rest.
    ("GET", "/api/v1/assignments/{id}", SignedIn),
    (
        "POST",
        "/api/v1/assignments/{id}/end",
        Permission::ManageRoles,
    ),
    (
        "POST",
        "/api/v1/assignments/{id}/acknowledge",
        Permission::HoldRoles,
    ),
    ("GET", "/api/v1/assignments/{id}/competence", SignedIn),
    (
        "POST",
        "/api/v1/assignments/{id}/competence",
        Permission::ManageRoles,
    ),
    ("GET", "/api/v1/me/assignments", SignedIn),
    ("GET", "/api/v1/delegations", Permission::ReadRoles),
    ("POST", "/api/v1/delegations", Permission::HoldRoles),
    // Open to everyone signed in: the delegator and the delegate read it, the handler refuses
    // the rest.
    ("GET", "/api/v1/delegations/{id}", SignedIn),
    (
        "POST",
        "/api/v1/delegations/{id}/revoke",
        Permission::HoldRoles,
    ),
    ("GET", "/api/v1/activities", Permission::ReadRoles),
    ("POST", "/api/v1/activities", Permission::ManageRoles),
    ("PUT", "/api/v1/activities/{id}", Permission::ManageRoles),
    ("GET", "/api/v1/raci", Permission::ReadRoles),
    ("PUT", "/api/v1/raci", Permission::ManageRoles),
    ("GET", "/api/v1/raci.csv", Permission::ReadRoles),
    ("GET", "/api/v1/sod/rules", Permission::ReadRoles),
    ("POST", "/api/v1/sod/rules", Permission::ManageRoles),
    ("DELETE", "/api/v1/sod/rules/{id}", Permission::ManageRoles),
    ("GET", "/api/v1/sod/violations", Permission::ReadRoles),
    ("GET", "/api/v1/sod/exceptions", Permission::ReadRoles),
    ("POST", "/api/v1/sod/exceptions", Permission::ManageRoles),
    ("GET", "/api/v1/sod/exceptions/{id}", Permission::ReadRoles),
    (
        "POST",
        "/api/v1/sod/exceptions/{id}/decision",
        Permission::DecideSodExceptions,
    ),
    ("GET", "/api/v1/escalation-paths", SignedIn),
    (
        "PUT",
        "/api/v1/escalation-paths/{matter}",
        Permission::ManageRoles,
    ),
    ("GET", "/api/v1/role-gaps", Permission::ReadRoles),
    ("GET", "/", SignedIn),
    ("GET", "/assets/charter.css", Public),
    ("GET", "/assets/favicon.svg", Public),
    ("GET", "/sign-in", Public),
    ("POST", "/sign-in", Public),
    ("GET", "/setup", Public),
    ("POST", "/setup", Public),
    ("GET", "/people", Read),
    ("POST", "/people", Edit),
    ("GET", "/people/new", Edit),
    ("GET", "/people/import", Edit),
    ("POST", "/people/import", Edit),
    ("GET", "/people/{id}", Read),
    ("POST", "/people/{id}", Edit),
    ("GET", "/people/{id}/edit", Edit),
    ("POST", "/people/{id}/deactivate", Edit),
    ("GET", "/units", Read),
    ("POST", "/units", Edit),
    ("GET", "/units/new", Edit),
    ("GET", "/units/{id}", Read),
    ("POST", "/units/{id}", Edit),
    ("GET", "/units/{id}/edit", Edit),
    ("GET", "/organization", Read),
    ("POST", "/organization", Edit),
    ("GET", "/organization/edit", Edit),
    ("GET", "/audit", Evidence),
    ("GET", "/audit/verify", Evidence),
    ("GET", "/policies", Policies),
    ("POST", "/policies", Author),
    ("GET", "/policies/new", Author),
    ("GET", "/policies/{id}", Policies),
    ("POST", "/policies/{id}", Author),
    ("GET", "/policies/{id}/edit", Author),
    ("POST", "/policies/{id}/versions", Author),
    ("POST", "/policies/{id}/reviews", Decide),
    ("GET", "/policies/versions/{id}", Policies),
    ("GET", "/policies/versions/{id}/edit", Author),
    ("POST", "/policies/versions/{id}/edit", Author),
    ("GET", "/policies/versions/{id}/diff", Records),
    ("GET", "/policies/versions/{id}/export.html", Policies),
    ("GET", "/policies/versions/{id}/export.pdf", Policies),
    ("POST", "/policies/versions/{id}/submit", Author),
    ("POST", "/policies/versions/{id}/withdraw", Author),
    ("POST", "/policies/versions/{id}/approve", Decide),
    ("POST", "/policies/versions/{id}/reject", Decide),
    ("POST", "/policies/versions/{id}/publish", Author),
    ("POST", "/policies/versions/{id}/retire", Author),
    ("POST", "/policies/versions/{id}/comments", Comment),
    ("GET", "/exceptions", Records),
    ("GET", "/exceptions/{id}", Policies),
    ("POST", "/exceptions/{id}/decision", Decide),
    ("POST", "/exceptions/{id}/withdraw", Except),
    ("GET", "/policies/{id}/exceptions/new", Except),
    ("POST", "/policies/{id}/exceptions", Except),
    ("GET", "/policies/{id}/share-links", Author),
    ("POST", "/policies/{id}/share-links", Author),
    ("POST", "/policies/share-links/{id}/revoke", Author),
    ("GET", "/trust", Public),
    ("GET", "/trust/policies/{id}", Public),
    ("GET", "/trust/shared/{token}", Public),
    ("GET", "/campaigns", Permission::ReadCampaigns),
    ("POST", "/campaigns", Permission::ManageCampaigns),
    ("GET", "/campaigns/new", Permission::ManageCampaigns),
    ("GET", "/campaigns/{id}", Permission::ReadCampaigns),
    ("POST", "/campaigns/{id}/close", Permission::ManageCampaigns),
    ("POST", "/campaigns/{id}/remind", Permission::SendReminders),
    ("GET", "/acknowledge/{id}", Permission::Acknowledge),
    ("POST", "/acknowledge/{id}", Permission::Acknowledge),
    ("GET", "/outbox", Permission::ManageMail),
    ("GET", "/outbox/{id}", Permission::ManageMail),
    ("POST", "/outbox/{id}/retry", Permission::ManageMail),
    ("GET", "/communications", Permission::ReadCommunications),
    ("POST", "/communications", Permission::RecordCommunications),
    (
        "GET",
        "/communications/new",
        Permission::RecordCommunications,
    ),
    (
        "GET",
        "/communications/{id}",
        Permission::ReadCommunications,
    ),
    ("GET", "/roles", Permission::ReadRoles),
    ("POST", "/roles", Permission::ManageRoles),
    ("GET", "/roles/new", Permission::ManageRoles),
    ("POST", "/roles/standard-catalog", Permission::ManageRoles),
    ("GET", "/roles/{id}", Permission::ReadRoles),
    ("POST", "/roles/{id}", Permission::ManageRoles),
    ("GET", "/roles/{id}/edit", Permission::ManageRoles),
    ("GET", "/roles/assignments", Permission::ReadRoles),
    ("POST", "/roles/assignments", Permission::ManageRoles),
    ("GET", "/roles/assignments/new", Permission::ManageRoles),
    // Open to everyone signed in: the holder opens their own, the handler refuses the rest.
    ("GET", "/roles/assignments/{id}", SignedIn),
    (
        "POST",
        "/roles/assignments/{id}/acknowledge",
        Permission::HoldRoles,
    ),
    (
        "POST",
        "/roles/assignments/{id}/delegations",
        Permission::HoldRoles,
    ),
    (
        "POST",
        "/roles/assignments/{id}/evidence",
        Permission::ManageRoles,
    ),
    (
        "POST",
        "/roles/assignments/{id}/end",
        Permission::ManageRoles,
    ),
    ("GET", "/roles/delegations", Permission::ReadRoles),
    (
        "POST",
        "/roles/delegations/{id}/revoke",
        Permission::HoldRoles,
    ),
    ("GET", "/escalation", SignedIn),
    ("POST", "/escalation/{matter}", Permission::ManageRoles),
    ("GET", "/roles/raci", Permission::ReadRoles),
    ("GET", "/roles/raci/edit", Permission::ManageRoles),
    ("POST", "/roles/raci/edit", Permission::ManageRoles),
    ("POST", "/roles/raci/activities", Permission::ManageRoles),
    (
        "POST",
        "/roles/raci/activities/{id}",
        Permission::ManageRoles,
    ),
    ("GET", "/roles/segregation", Permission::ReadRoles),
    ("POST", "/roles/segregation/rules", Permission::ManageRoles),
    (
        "POST",
        "/roles/segregation/rules/{id}/remove",
        Permission::ManageRoles,
    ),
    (
        "POST",
        "/roles/segregation/exceptions",
        Permission::ManageRoles,
    ),
    (
        "GET",
        "/roles/segregation/exceptions/{id}",
        Permission::ReadRoles,
    ),
    (
        "POST",
        "/roles/segregation/exceptions/{id}/decision",
        Permission::DecideSodExceptions,
    ),
    ("GET", "/roles/gaps", Permission::ReadRoles),
    ("GET", "/roles/org-chart", Permission::ReadRoles),
    ("GET", "/tasks", SignedIn),
    ("GET", "/account", SignedIn),
    ("POST", "/account/password", SignedIn),
    ("POST", "/account/tokens", SignedIn),
    ("POST", "/account/tokens/{id}/revoke", SignedIn),
    ("GET", "/admin/accounts", Accounts),
    ("POST", "/admin/accounts", Accounts),
    ("GET", "/admin/accounts/{id}", Accounts),
    ("POST", "/admin/accounts/{id}/roles", Accounts),
    ("POST", "/admin/accounts/{id}/disable", Accounts),
    ("POST", "/admin/accounts/{id}/enable", Accounts),
];

/// The routes that end the session: called last.
const ENDING_ROUTES: &[RouteRule] = &[
    ("POST", "/api/v1/auth/logout", SignedIn),
    ("POST", "/sign-out", SignedIn),
];

/// Every route, those that end the session last.
fn routes() -> Vec<RouteRule> {
    [
        CORE_ROUTES,
        crate::api_objectives::ROUTES,
        crate::api_reviews::ROUTES,
        crate::api_commitments::ROUTES,
        crate::api_reports::ROUTES,
        crate::api_concerns::ROUTES,
        crate::api_conformance::ROUTES,
        crate::audit_log::ROUTES,
        crate::audit_pack::ROUTES,
        crate::auditor_access::ROUTES,
        ENDING_ROUTES,
    ]
    .concat()
}

async fn call(app: &TestApp, method: &str, path: &str, ids: &Ids) -> TestResponse {
    let id = if path.contains("/units/") {
        &ids.unit
    } else if path.contains("/accounts/") {
        &ids.account
    } else {
        &ids.person
    };
    let uri = path.replace("{id}", id).replace("{matter}", "concern");
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

struct Ids {
    person: String,
    unit: String,
    account: String,
}

async fn ids(app: &TestApp) -> Ids {
    let store = app.store();
    let actor = charter::domain::Actor::named("test");
    let unit = charter::domain::UnitInput {
        name: "Probe unit".into(),
        ..Default::default()
    };
    let unit = store.create_unit(&actor, unit).await.expect("unit");
    let account = &store.list_accounts().await.expect("accounts")[0];
    Ids {
        person: account.person_id.to_string(),
        unit: unit.id.to_string(),
        account: account.id.to_string(),
    }
}

fn refused_anonymous(path: &str, response: &TestResponse) -> bool {
    if path.starts_with("/api/") || path == "/metrics" {
        response.status == StatusCode::UNAUTHORIZED
    } else {
        response.status == StatusCode::SEE_OTHER
            && response
                .header("location")
                .is_some_and(|l| l.starts_with("/sign-in"))
    }
}

#[tokio::test]
async fn every_route_answers_every_role_as_its_permission_says() {
    for role in Role::ALL {
        let app = TestApp::as_role(role).await;
        let ids = ids(&app).await;
        for (method, path, permission) in routes() {
            let response = call(&app, method, path, &ids).await;
            // Signing out answers with the way back to the sign-in page: that is its success.
            let refused = response.status == StatusCode::FORBIDDEN
                || (path != "/sign-out" && refused_anonymous(path, &response));
            if grants(role, permission) {
                assert!(
                    !refused,
                    "{role} should reach {method} {path}, got {}: {}",
                    response.status,
                    response.text()
                );
            } else {
                assert_eq!(
                    response.status,
                    StatusCode::FORBIDDEN,
                    "{role} must be refused {method} {path}"
                );
            }
        }
    }
}

#[tokio::test]
async fn nobody_signed_in_reaches_only_the_public_routes() {
    let app = TestApp::anonymous().await;
    let ids = Ids {
        person: uuid::Uuid::now_v7().to_string(),
        unit: uuid::Uuid::now_v7().to_string(),
        account: uuid::Uuid::now_v7().to_string(),
    };
    for (method, path, permission) in routes() {
        let response = call(&app, method, path, &ids).await;
        if permission == Public {
            assert_ne!(
                response.status,
                StatusCode::FORBIDDEN,
                "{method} {path} is public"
            );
        } else {
            assert!(
                refused_anonymous(path, &response),
                "{method} {path} must ask for sign-in, got {}",
                response.status
            );
        }
    }
}

#[tokio::test]
async fn the_matrix_covers_every_route_of_the_api_description() {
    let app = TestApp::new().await;
    let document = app.get("/api/v1/openapi.json").await.json();
    let described: BTreeSet<(String, String)> = document["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(path, item)| {
            item.as_object()
                .expect("item")
                .keys()
                .map(move |m| (m.to_uppercase(), path.clone()))
        })
        .collect();
    let listed: BTreeSet<(String, String)> = routes()
        .iter()
        .map(|(m, p, _)| ((*m).to_owned(), (*p).to_owned()))
        .collect();
    let missing: Vec<_> = described.difference(&listed).collect();
    assert!(
        missing.is_empty(),
        "routes without an entry in the matrix: {missing:?}"
    );
}
