//! Server-rendered pages: browse and edit the organization, people, units and the audit trail.
//!
//! Every page works without JavaScript and carries no inline script or style, so a strict
//! Content-Security-Policy can be set. Handlers extract, call the store, and render a template;
//! a store failure becomes a readable error page through `error::PageError`.

mod account;
mod acknowledge;
mod admin;
mod assets;
mod audience_form;
mod audit;
mod audit_packs;
mod campaign_form;
mod campaign_page;
mod campaign_steps;
mod campaigns;
mod charts;
mod commitments;
mod communications;
mod concerns;
mod conformance;
mod dashboard;
mod dashboard_leadership;
mod error;
mod evidence;
mod evidence_samples;
mod exception_decision;
mod exception_form;
mod exception_record;
mod exception_views;
mod exceptions;
mod forms;
mod layout;
mod leadership;
mod leadership_tasks;
mod moment;
mod objectives;
mod org_chart;
mod organization;
mod outbox;
mod people;
mod people_edit;
mod people_form;
mod people_import;
mod policies;
mod policy_diff;
mod policy_editor;
mod policy_fields;
mod policy_form;
mod policy_page;
mod policy_show;
mod policy_tasks;
mod policy_version_actions;
mod policy_version_forms;
mod policy_versions;
mod policy_views;
mod raci;
mod raci_edit;
mod reports;
mod reviews;
mod role_assign_form;
mod role_assignment;
mod role_assignment_actions;
mod role_assignments;
mod role_catalog;
mod role_delegations;
mod role_escalation;
mod role_form;
mod role_gaps;
mod role_page;
mod role_person;
mod role_tasks;
mod role_views;
mod segregation;
mod segregation_exception;
mod segregation_forms;
mod session;
mod setup;
mod share_links;
mod status_view;
mod tasks;
mod trust;
mod units;
mod units_form;
mod views;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};

use crate::app::AppState;
use crate::auth::guarded;
use crate::domain::access::Permission;

/// A CSV of 100,000 people is about 10 MB; the default 2 MB body limit would refuse it.
const IMPORT_BODY_LIMIT: usize = 64 * 1024 * 1024;

/// The page routes, each behind the permission it declares (see `auth::guard`).
pub fn router() -> Router<AppState> {
    use Permission::{EditOrganization, Public, ReadEvidence, ReadOrganization, SignedIn};
    Router::new()
        .merge(exception_and_trust_routes())
        .merge(policy_routes())
        .merge(campaign_routes())
        .merge(role_routes())
        .merge(raci_routes())
        .route(
            "/leadership",
            guarded(Permission::ReadLeadership, get(leadership::show_overview)),
        )
        .merge(objectives::routes())
        .merge(reviews::routes())
        .merge(commitments::routes())
        .merge(reports::routes())
        .merge(concerns::routes())
        .merge(conformance::routes())
        .merge(audit_packs::routes())
        .merge(evidence_samples::routes())
        .route("/", guarded(SignedIn, get(dashboard::show_dashboard)))
        .route(
            "/assets/charter.css",
            guarded(Public, get(assets::stylesheet)),
        )
        .route("/assets/favicon.svg", guarded(Public, get(assets::favicon)))
        .route(
            "/sign-in",
            guarded(Public, get(session::sign_in_form).post(session::sign_in)),
        )
        .route("/sign-out", guarded(SignedIn, post(session::sign_out)))
        .route(
            "/setup",
            guarded(Public, get(setup::setup_form).post(setup::complete_setup)),
        )
        .route(
            "/people",
            guarded(ReadOrganization, get(people::list_people))
                .merge(guarded(EditOrganization, post(people_edit::create_person))),
        )
        .route(
            "/people/new",
            guarded(EditOrganization, get(people_edit::new_person)),
        )
        .route(
            "/people/import",
            guarded(
                EditOrganization,
                get(people_import::import_form)
                    .post(people_import::import_people)
                    .layer(DefaultBodyLimit::max(IMPORT_BODY_LIMIT)),
            ),
        )
        .route(
            "/people/{id}",
            guarded(ReadOrganization, get(people::show_person))
                .merge(guarded(EditOrganization, post(people_edit::update_person))),
        )
        .route(
            "/people/{id}/edit",
            guarded(EditOrganization, get(people_edit::edit_person)),
        )
        .route(
            "/people/{id}/deactivate",
            guarded(EditOrganization, post(people::deactivate_person)),
        )
        .route(
            "/units",
            guarded(ReadOrganization, get(units::list_units))
                .merge(guarded(EditOrganization, post(units_form::create_unit))),
        )
        .route(
            "/units/new",
            guarded(EditOrganization, get(units_form::new_unit)),
        )
        .route(
            "/units/{id}",
            guarded(ReadOrganization, get(units::show_unit))
                .merge(guarded(EditOrganization, post(units_form::update_unit))),
        )
        .route(
            "/units/{id}/edit",
            guarded(EditOrganization, get(units_form::edit_unit)),
        )
        .route(
            "/organization",
            guarded(ReadOrganization, get(organization::show_organization)).merge(guarded(
                EditOrganization,
                post(organization::update_organization),
            )),
        )
        .route(
            "/organization/edit",
            guarded(EditOrganization, get(organization::edit_organization)),
        )
        .route("/audit", guarded(ReadEvidence, get(audit::list_events)))
        .route(
            "/audit/verify",
            guarded(ReadEvidence, get(audit::verify_chain)),
        )
        .route("/tasks", guarded(SignedIn, get(tasks::show_tasks)))
        .route("/account", guarded(SignedIn, get(account::show_account)))
        .route(
            "/account/password",
            guarded(SignedIn, post(account::update_password)),
        )
        .route(
            "/account/tokens",
            guarded(SignedIn, post(account::create_token)),
        )
        .route(
            "/account/tokens/{id}/revoke",
            guarded(SignedIn, post(account::revoke_token)),
        )
        .route(
            "/admin/accounts",
            guarded(
                Permission::ManageAccounts,
                get(admin::list_accounts).post(admin::create_account),
            ),
        )
        .route(
            "/admin/accounts/{id}",
            guarded(Permission::ManageAccounts, get(admin::show_account)),
        )
        .route(
            "/admin/accounts/{id}/roles",
            guarded(Permission::ManageAccounts, post(admin::update_roles)),
        )
        .route(
            "/admin/accounts/{id}/disable",
            guarded(Permission::ManageAccounts, post(admin::disable_account)),
        )
        .route(
            "/admin/accounts/{id}/enable",
            guarded(Permission::ManageAccounts, post(admin::enable_account)),
        )
}

/// The policy register, a policy's page, its versions with their lifecycle, the editor and diffs.
/// Each action wears the permission its JSON API twin wears.
fn policy_routes() -> Router<AppState> {
    use Permission::{
        DecidePolicies, EditPolicies, ReadPolicies, ReadPolicyRecords, ReviewPolicies,
    };
    Router::new()
        .route(
            "/policies",
            guarded(ReadPolicies, get(policies::list_policies))
                .merge(guarded(EditPolicies, post(policy_form::create_policy))),
        )
        .route(
            "/policies/new",
            guarded(EditPolicies, get(policy_form::new_policy)),
        )
        .route(
            "/policies/{id}",
            guarded(ReadPolicies, get(policy_show::show_policy))
                .merge(guarded(EditPolicies, post(policy_form::update_policy))),
        )
        .route(
            "/policies/{id}/edit",
            guarded(EditPolicies, get(policy_form::edit_policy)),
        )
        .route(
            "/policies/{id}/versions",
            guarded(EditPolicies, post(policy_show::start_version)),
        )
        .route(
            "/policies/{id}/reviews",
            guarded(DecidePolicies, post(policy_show::record_review)),
        )
        .route(
            "/policies/versions/{id}",
            guarded(ReadPolicies, get(policy_versions::show_version)),
        )
        .route(
            "/policies/versions/{id}/edit",
            guarded(
                EditPolicies,
                get(policy_editor::edit_draft).post(policy_editor::save_draft),
            ),
        )
        .route(
            "/policies/versions/{id}/diff",
            guarded(ReadPolicyRecords, get(policy_diff::diff_versions)),
        )
        .route(
            "/policies/versions/{id}/export.html",
            guarded(ReadPolicies, get(policy_show::export_html)),
        )
        .route(
            "/policies/versions/{id}/export.pdf",
            guarded(ReadPolicies, get(policy_show::export_pdf)),
        )
        .route(
            "/policies/versions/{id}/submit",
            guarded(EditPolicies, post(policy_version_actions::submit_version)),
        )
        .route(
            "/policies/versions/{id}/withdraw",
            guarded(EditPolicies, post(policy_version_actions::withdraw_version)),
        )
        .route(
            "/policies/versions/{id}/approve",
            guarded(
                DecidePolicies,
                post(policy_version_actions::approve_version),
            ),
        )
        .route(
            "/policies/versions/{id}/reject",
            guarded(DecidePolicies, post(policy_version_actions::reject_version)),
        )
        .route(
            "/policies/versions/{id}/publish",
            guarded(EditPolicies, post(policy_version_actions::publish_version)),
        )
        .route(
            "/policies/versions/{id}/retire",
            guarded(EditPolicies, post(policy_version_actions::retire_version)),
        )
        .route(
            "/policies/versions/{id}/comments",
            guarded(ReviewPolicies, post(policy_version_actions::add_comment)),
        )
}

/// Campaigns and their coverage, the reading page where people acknowledge, the outbox and
/// top-management communications.
fn campaign_routes() -> Router<AppState> {
    use Permission::{
        Acknowledge, ManageCampaigns, ManageMail, ReadCampaigns, ReadCommunications,
        RecordCommunications, SendReminders,
    };
    Router::new()
        .route(
            "/campaigns",
            guarded(ReadCampaigns, get(campaigns::list_campaigns)).merge(guarded(
                ManageCampaigns,
                post(campaign_form::create_campaign),
            )),
        )
        .route(
            "/campaigns/new",
            guarded(ManageCampaigns, get(campaign_form::new_campaign)),
        )
        .route(
            "/campaigns/{id}",
            guarded(ReadCampaigns, get(campaign_page::show_campaign)),
        )
        .route(
            "/campaigns/{id}/close",
            guarded(ManageCampaigns, post(campaign_steps::close_campaign)),
        )
        .route(
            "/campaigns/{id}/remind",
            guarded(SendReminders, post(campaign_steps::remind_pending)),
        )
        .route(
            "/acknowledge/{id}",
            guarded(
                Acknowledge,
                get(acknowledge::show_acknowledgment).post(acknowledge::acknowledge),
            ),
        )
        .route("/outbox", guarded(ManageMail, get(outbox::list_outbox)))
        .route("/outbox/{id}", guarded(ManageMail, get(outbox::show_mail)))
        .route(
            "/outbox/{id}/retry",
            guarded(ManageMail, post(outbox::retry_mail)),
        )
        .route(
            "/communications",
            guarded(ReadCommunications, get(communications::list_communications)).merge(guarded(
                RecordCommunications,
                post(communications::create_communication),
            )),
        )
        .route(
            "/communications/new",
            guarded(RecordCommunications, get(communications::new_communication)),
        )
        .route(
            "/communications/{id}",
            guarded(ReadCommunications, get(communications::show_communication)),
        )
}

/// The RACI heatmap and grid, segregation of duties with its exceptions, the gaps in role
/// allocation and the org chart.
fn raci_routes() -> Router<AppState> {
    use Permission::{DecideSodExceptions, ManageRoles, ReadRoles};
    Router::new()
        .route("/roles/raci", guarded(ReadRoles, get(raci::show_raci)))
        .route(
            "/roles/raci/edit",
            guarded(
                ManageRoles,
                get(raci_edit::edit_raci).post(raci_edit::save_raci),
            ),
        )
        .route(
            "/roles/raci/activities",
            guarded(ManageRoles, post(raci_edit::add_activity)),
        )
        .route(
            "/roles/raci/activities/{id}",
            guarded(ManageRoles, post(raci_edit::rename_activity)),
        )
        .route(
            "/roles/segregation",
            guarded(ReadRoles, get(segregation::show_segregation)),
        )
        .route(
            "/roles/segregation/rules",
            guarded(ManageRoles, post(segregation_forms::add_rule)),
        )
        .route(
            "/roles/segregation/rules/{id}/remove",
            guarded(ManageRoles, post(segregation_forms::remove_rule)),
        )
        .route(
            "/roles/segregation/exceptions",
            guarded(ManageRoles, post(segregation_forms::request_exception)),
        )
        .route(
            "/roles/segregation/exceptions/{id}",
            guarded(ReadRoles, get(segregation_exception::show_sod_exception)),
        )
        .route(
            "/roles/segregation/exceptions/{id}/decision",
            guarded(
                DecideSodExceptions,
                post(segregation_exception::decide_sod_exception),
            ),
        )
        .route("/roles/gaps", guarded(ReadRoles, get(role_gaps::show_gaps)))
        .route(
            "/roles/org-chart",
            guarded(ReadRoles, get(org_chart::show_org_chart)),
        )
}

/// The role catalog, assignments with their acknowledgment, competence and delegations, and the
/// escalation paths every member of staff reads.
fn role_routes() -> Router<AppState> {
    use Permission::{HoldRoles, ManageRoles, ReadRoles, SignedIn};
    Router::new()
        .route(
            "/roles",
            guarded(ReadRoles, get(role_catalog::show_catalog))
                .merge(guarded(ManageRoles, post(role_form::create_role))),
        )
        .route("/roles/new", guarded(ManageRoles, get(role_form::new_role)))
        .route(
            "/roles/standard-catalog",
            guarded(ManageRoles, post(role_catalog::install_standard_catalog)),
        )
        .route(
            "/roles/{id}",
            guarded(ReadRoles, get(role_page::show_role))
                .merge(guarded(ManageRoles, post(role_form::update_role))),
        )
        .route(
            "/roles/{id}/edit",
            guarded(ManageRoles, get(role_form::edit_role)),
        )
        .route(
            "/roles/assignments",
            guarded(ReadRoles, get(role_assignments::list_assignments)).merge(guarded(
                ManageRoles,
                post(role_assign_form::create_assignment),
            )),
        )
        .route(
            "/roles/assignments/new",
            guarded(ManageRoles, get(role_assign_form::new_assignment)),
        )
        // The holder opens their own assignment; the handler refuses anyone else without ReadRoles.
        .route(
            "/roles/assignments/{id}",
            guarded(SignedIn, get(role_assignment::show_assignment)),
        )
        .route(
            "/roles/assignments/{id}/acknowledge",
            guarded(HoldRoles, post(role_assignment_actions::acknowledge)),
        )
        .route(
            "/roles/assignments/{id}/delegations",
            guarded(HoldRoles, post(role_assignment_actions::delegate)),
        )
        .route(
            "/roles/assignments/{id}/evidence",
            guarded(ManageRoles, post(role_assignment_actions::add_evidence)),
        )
        .route(
            "/roles/assignments/{id}/end",
            guarded(ManageRoles, post(role_assignment_actions::end_assignment)),
        )
        .route(
            "/roles/delegations",
            guarded(ReadRoles, get(role_delegations::list_delegations)),
        )
        .route(
            "/roles/delegations/{id}/revoke",
            guarded(HoldRoles, post(role_delegations::revoke_delegation)),
        )
        .route(
            "/escalation",
            guarded(SignedIn, get(role_escalation::show_escalation)),
        )
        .route(
            "/escalation/{matter}",
            guarded(ManageRoles, post(role_escalation::set_path)),
        )
}

/// The exception register and records, share links, and the public trust pages.
fn exception_and_trust_routes() -> Router<AppState> {
    use Permission::{
        DecidePolicies, EditPolicies, Public, ReadPolicies, ReadPolicyRecords, RequestExceptions,
    };
    Router::new()
        .route(
            "/exceptions",
            guarded(ReadPolicyRecords, get(exceptions::list_exceptions)),
        )
        .route(
            "/exceptions/{id}",
            guarded(ReadPolicies, get(exception_record::show_exception)),
        )
        .route(
            "/exceptions/{id}/decision",
            guarded(DecidePolicies, post(exception_decision::decide_exception)),
        )
        .route(
            "/exceptions/{id}/withdraw",
            guarded(
                RequestExceptions,
                post(exception_decision::withdraw_exception),
            ),
        )
        .route(
            "/policies/{id}/exceptions/new",
            guarded(RequestExceptions, get(exception_form::new_exception)),
        )
        .route(
            "/policies/{id}/exceptions",
            guarded(RequestExceptions, post(exception_form::create_exception)),
        )
        .route(
            "/policies/{id}/share-links",
            guarded(
                EditPolicies,
                get(share_links::list_share_links).post(share_links::create_share_link),
            ),
        )
        .route(
            "/policies/share-links/{id}/revoke",
            guarded(EditPolicies, post(share_links::revoke_share_link)),
        )
        .route("/trust", guarded(Public, get(trust::show_trust_center)))
        .route(
            "/trust/policies/{id}",
            guarded(Public, get(trust::show_public_policy)),
        )
        .route(
            "/trust/shared/{token}",
            guarded(Public, get(trust::show_shared_policy)),
        )
}

/// The friendly 404 page, in the layout.
pub fn not_found_page() -> Response {
    error::render_error(
        StatusCode::NOT_FOUND,
        "Page not found".to_owned(),
        "There is no page at this address. It may have moved, or the link may be mistyped."
            .to_owned(),
        Vec::new(),
    )
}

/// An error as a page in the layout (for the guards, which run before any handler).
pub fn error_page(error: crate::error::AppError) -> Response {
    let status = error.status();
    let heading = match status {
        StatusCode::FORBIDDEN => "Not allowed",
        StatusCode::UNAUTHORIZED => "Please sign in",
        _ => "This request was not accepted",
    };
    error::render_error(status, heading.to_owned(), error.to_string(), Vec::new())
}

/// Percent-encodes one query-string value.
pub fn encode_component(text: &str) -> String {
    forms::encode(text)
}
