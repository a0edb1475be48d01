//! The JSON API under `/api/v1/`, and the operational endpoints, described by OpenAPI 3.1.

pub mod accounts;
pub mod acknowledgments;
pub mod actions;
pub mod assessments;
pub mod assignments;
pub mod audit;
pub mod audit_log;
pub mod audit_packs;
pub mod auth;
pub mod briefings;
pub mod campaigns;
pub mod communications;
pub mod concerns;
pub mod delegations;
pub mod escalation;
pub mod evidence_samples;
pub mod health;
pub mod objectives;
pub mod organization;
pub mod outbox;
pub mod params;
pub mod people;
pub mod people_csv;
pub mod policies;
pub mod policy_exceptions;
pub mod policy_versions;
pub mod processes;
pub mod raci;
pub mod reports;
pub mod resources;
pub mod reviews;
pub mod roles;
pub mod sod;
pub mod trust;
pub mod units;

use std::sync::Arc;

use axum::extract::State;
use axum::{Json, Router, routing::get};
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::app::AppState;
use crate::auth::guarded;
use crate::domain::access::Permission;

#[derive(OpenApi)]
#[openapi(
    info(title = "Charter API", version = "1", description = "The leadership layer of an ISMS (ISO/IEC 27001 clause 5). Errors are `{\"error\": {\"code\", \"message\", \"fields\"}}`."),
    tags(
        (name = "organization", description = "The organization profile"),
        (name = "units", description = "The org unit tree"),
        (name = "people", description = "People, never deleted, only departed"),
        (name = "policies", description = "Policies, their versions, sign-offs, reviews, exceptions and share links"),
        (name = "campaigns", description = "Acknowledgment campaigns: who is asked to read which version, their acknowledgments, coverage and reminders"),
        (name = "communications", description = "What top management communicated, to whom, how and when (5.1.d)"),
        (name = "roles", description = "Roles, responsibilities and authorities (5.3, A.5.2, A.5.3): the catalog, dated assignments, delegations, RACI, segregation of duties, escalation paths and gaps"),
        (name = "leadership", description = "Leadership evidence (5.1): objectives and measurements, management reviews and their decisions, improvement actions, resource commitments, process integration, managers' briefings"),
        (name = "reports", description = "ISMS performance reports (5.1.e, 5.3.b): frozen snapshots from live data, signed off by top management"),
        (name = "concerns", description = "The confidential reporting channel (A.6.8): anyone reports, only concern handlers read and answer"),
        (name = "outbox", description = "Every email Charter writes, sent or waiting (admins)"),
        (name = "trust", description = "Published policies for interested parties, without signing in"),
        (name = "conformance", description = "The conformance engine: assessments of every requirement from live data, their history, trends and differences, thresholds and justifications"),
        (name = "audit", description = "The audit trail: a hash chain and a Merkle tree log with signed checkpoints, inclusion and consistency proofs"),
        (name = "audit-packs", description = "Audit packs: an assessment with the evidence it cites, verifiable offline; samples of evidence"),
        (name = "auth", description = "Signing in and out, the caller's account and API tokens"),
        (name = "accounts", description = "Accounts and their roles (admins)"),
        (name = "operations", description = "Health, readiness and metrics"),
    )
)]
struct ApiDoc;

type Routes = utoipa_axum::router::UtoipaMethodRouter<AppState>;

/// Puts an API route behind its permission (see `auth::guard`).
fn with(permission: Permission, (schemas, paths, route): Routes) -> Routes {
    (schemas, paths, guarded(permission, route))
}

/// The API routes, each behind the permission it declares, and the OpenAPI document generated
/// from their handlers.
pub fn router() -> (Router<AppState>, utoipa::openapi::OpenApi) {
    use Permission::{
        Acknowledge, DecidePolicies, DecideSodExceptions, EditOrganization, EditPolicies,
        HoldRoles, ManageAccounts, ManageCampaigns, ManageMail, ManageRoles, Public, ReadCampaigns,
        ReadCommunications, ReadEvidence, ReadMetrics, ReadOrganization, ReadPolicies,
        ReadPolicyRecords, ReadRoles, RecordCommunications, RequestExceptions, ReviewPolicies,
        SendReminders, SignedIn,
    };
    let (router, openapi) = OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(with(Public, routes!(health::healthz)))
        .routes(with(Public, routes!(health::readyz)))
        .routes(with(ReadMetrics, routes!(health::metrics)))
        .routes(with(Public, routes!(auth::login)))
        .routes(with(SignedIn, routes!(auth::logout)))
        .routes(with(SignedIn, routes!(auth::me)))
        .routes(with(SignedIn, routes!(auth::change_password)))
        .routes(with(
            SignedIn,
            routes!(auth::list_tokens, auth::create_token),
        ))
        .routes(with(SignedIn, routes!(auth::revoke_token)))
        .routes(with(
            ManageAccounts,
            routes!(accounts::list_accounts, accounts::create_account),
        ))
        .routes(with(ManageAccounts, routes!(accounts::update_account)))
        .routes(with(
            ReadOrganization,
            routes!(organization::get_organization),
        ))
        .routes(with(
            EditOrganization,
            routes!(organization::update_organization),
        ))
        .routes(with(ReadOrganization, routes!(units::list_units)))
        .routes(with(EditOrganization, routes!(units::create_unit)))
        .routes(with(ReadOrganization, routes!(units::get_unit)))
        .routes(with(EditOrganization, routes!(units::update_unit)))
        .routes(with(ReadOrganization, routes!(people::list_people)))
        .routes(with(EditOrganization, routes!(people::create_person)))
        .routes(with(ReadEvidence, routes!(people_csv::export_people_csv)))
        .routes(with(
            EditOrganization,
            routes!(people_csv::import_people_csv),
        ))
        .routes(with(ReadOrganization, routes!(people::get_person)))
        .routes(with(EditOrganization, routes!(people::update_person)))
        .routes(with(EditOrganization, routes!(people::deactivate_person)))
        .routes(with(ReadPolicies, routes!(policies::list_policies)))
        .routes(with(EditPolicies, routes!(policies::create_policy)))
        .routes(with(ReadPolicies, routes!(policies::check_content)))
        .routes(with(ReadPolicies, routes!(policies::get_policy)))
        .routes(with(EditPolicies, routes!(policies::update_policy)))
        .routes(with(ReadPolicyRecords, routes!(policies::list_reviews)))
        .routes(with(DecidePolicies, routes!(policies::record_review)))
        .routes(with(
            ReadPolicyRecords,
            routes!(policy_versions::list_versions),
        ))
        .routes(with(EditPolicies, routes!(policy_versions::create_draft)))
        .routes(with(ReadPolicies, routes!(policy_versions::get_version)))
        .routes(with(EditPolicies, routes!(policy_versions::update_draft)))
        .routes(with(EditPolicies, routes!(policy_versions::submit_version)))
        .routes(with(
            EditPolicies,
            routes!(policy_versions::withdraw_version),
        ))
        .routes(with(
            DecidePolicies,
            routes!(policy_versions::approve_version),
        ))
        .routes(with(
            DecidePolicies,
            routes!(policy_versions::reject_version),
        ))
        .routes(with(
            EditPolicies,
            routes!(policy_versions::publish_version),
        ))
        .routes(with(EditPolicies, routes!(policy_versions::retire_version)))
        .routes(with(
            ReadPolicyRecords,
            routes!(policy_versions::list_decisions),
        ))
        .routes(with(
            ReadPolicyRecords,
            routes!(policy_versions::list_comments),
        ))
        .routes(with(ReviewPolicies, routes!(policy_versions::add_comment)))
        .routes(with(ReadPolicies, routes!(policy_versions::check_version)))
        .routes(with(
            ReadPolicyRecords,
            routes!(policy_versions::diff_versions),
        ))
        .routes(with(ReadPolicies, routes!(policy_versions::export_html)))
        .routes(with(ReadPolicies, routes!(policy_versions::export_pdf)))
        .routes(with(
            ReadPolicyRecords,
            routes!(policy_exceptions::list_exceptions),
        ))
        .routes(with(
            ReadPolicyRecords,
            routes!(policy_exceptions::get_exception),
        ))
        .routes(with(
            RequestExceptions,
            routes!(policy_exceptions::request_exception),
        ))
        .routes(with(
            DecidePolicies,
            routes!(policy_exceptions::decide_exception),
        ))
        .routes(with(
            RequestExceptions,
            routes!(policy_exceptions::withdraw_exception),
        ))
        .routes(with(
            ReadPolicyRecords,
            routes!(policy_exceptions::list_share_links),
        ))
        .routes(with(
            EditPolicies,
            routes!(policy_exceptions::create_share_link),
        ))
        .routes(with(
            EditPolicies,
            routes!(policy_exceptions::revoke_share_link),
        ))
        .routes(with(ReadCampaigns, routes!(campaigns::list_campaigns)))
        .routes(with(ManageCampaigns, routes!(campaigns::launch_campaign)))
        .routes(with(ReadCampaigns, routes!(campaigns::get_campaign)))
        .routes(with(ManageCampaigns, routes!(campaigns::close_campaign)))
        .routes(with(ReadCampaigns, routes!(campaigns::get_coverage)))
        .routes(with(SendReminders, routes!(campaigns::send_reminders)))
        .routes(with(
            ReadCampaigns,
            routes!(acknowledgments::list_acknowledgments),
        ))
        .routes(with(Acknowledge, routes!(acknowledgments::acknowledge)))
        .routes(with(
            ReadCampaigns,
            routes!(acknowledgments::export_acknowledgments),
        ))
        .routes(with(SignedIn, routes!(acknowledgments::my_acknowledgments)))
        .routes(with(ManageMail, routes!(outbox::list_outbox)))
        .routes(with(ManageMail, routes!(outbox::get_message)))
        .routes(with(ManageMail, routes!(outbox::retry_message)))
        .routes(with(
            ReadCommunications,
            routes!(communications::list_communications),
        ))
        .routes(with(
            RecordCommunications,
            routes!(communications::record_communication),
        ))
        .routes(with(
            ReadCommunications,
            routes!(communications::get_communication),
        ))
        .routes(with(Public, routes!(trust::list_public_policies)))
        .routes(with(Public, routes!(trust::get_public_policy)))
        .routes(with(Public, routes!(trust::get_shared_policy)))
        .routes(with(ReadEvidence, routes!(audit::list_audit_events)))
        .routes(with(ReadEvidence, routes!(audit::verify_audit_chain)))
        .routes(with(ReadRoles, routes!(roles::list_roles)))
        .routes(with(ManageRoles, routes!(roles::create_role)))
        .routes(with(ReadRoles, routes!(roles::get_role)))
        .routes(with(ManageRoles, routes!(roles::update_role)))
        .routes(with(ReadRoles, routes!(roles::role_holders)))
        .routes(with(ReadRoles, routes!(assignments::list_assignments)))
        .routes(with(ManageRoles, routes!(assignments::assign_role)))
        .routes(with(SignedIn, routes!(assignments::get_assignment)))
        .routes(with(ManageRoles, routes!(assignments::end_assignment)))
        .routes(with(
            HoldRoles,
            routes!(assignments::acknowledge_assignment),
        ))
        .routes(with(SignedIn, routes!(assignments::list_competence)))
        .routes(with(ManageRoles, routes!(assignments::add_competence)))
        .routes(with(SignedIn, routes!(assignments::my_assignments)))
        .routes(with(ReadRoles, routes!(delegations::list_delegations)))
        .routes(with(HoldRoles, routes!(delegations::delegate_task)))
        .routes(with(SignedIn, routes!(delegations::get_delegation)))
        .routes(with(HoldRoles, routes!(delegations::revoke_delegation)))
        .routes(with(ReadRoles, routes!(raci::list_activities)))
        .routes(with(ManageRoles, routes!(raci::create_activity)))
        .routes(with(ManageRoles, routes!(raci::update_activity)))
        .routes(with(ReadRoles, routes!(raci::get_raci)))
        .routes(with(ManageRoles, routes!(raci::replace_raci)))
        .routes(with(ReadRoles, routes!(raci::export_raci_csv)))
        .routes(with(ReadRoles, routes!(sod::list_rules)))
        .routes(with(ManageRoles, routes!(sod::create_rule)))
        .routes(with(ManageRoles, routes!(sod::remove_rule)))
        .routes(with(ReadRoles, routes!(sod::list_violations)))
        .routes(with(ReadRoles, routes!(sod::list_exceptions)))
        .routes(with(ManageRoles, routes!(sod::request_exception)))
        .routes(with(ReadRoles, routes!(sod::get_exception)))
        .routes(with(DecideSodExceptions, routes!(sod::decide_exception)))
        .routes(with(SignedIn, routes!(escalation::list_escalation_paths)))
        .routes(with(ManageRoles, routes!(escalation::set_escalation_path)))
        .routes(with(ReadRoles, routes!(escalation::role_gaps)))
        .merge(objectives::routes())
        .merge(reviews::routes())
        .merge(actions::routes())
        .merge(resources::routes())
        .merge(processes::routes())
        .merge(briefings::routes())
        .merge(reports::routes())
        .merge(concerns::routes())
        .merge(assessments::routes())
        .merge(audit_log::routes())
        .merge(audit_packs::routes())
        .merge(evidence_samples::routes())
        .split_for_parts();
    let document = Arc::new(openapi.clone());
    let serve_document = get(move |State(_): State<AppState>| {
        let document = Arc::clone(&document);
        async move { Json(document.as_ref().clone()) }
    });
    let router = router.route("/api/v1/openapi.json", guarded(Public, serve_document));
    (router, openapi)
}
