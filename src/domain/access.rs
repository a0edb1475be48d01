//! Who may do what inside Charter: the tool's roles, the permissions routes declare, and the
//! rule that joins them. Deny by default: a permission no role grants is granted to nobody.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// A role of the tool (not of the organization's role catalog); an account holds several.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    IsmsManager,
    TopManagement,
    Manager,
    Staff,
    Auditor,
    ConcernHandler,
}

impl Role {
    pub const ALL: [Role; 7] = [
        Role::Admin,
        Role::IsmsManager,
        Role::TopManagement,
        Role::Manager,
        Role::Staff,
        Role::Auditor,
        Role::ConcernHandler,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::IsmsManager => "isms_manager",
            Role::TopManagement => "top_management",
            Role::Manager => "manager",
            Role::Staff => "staff",
            Role::Auditor => "auditor",
            Role::ConcernHandler => "concern_handler",
        }
    }

    /// What the role is for, in a sentence for the admin pages.
    pub fn description(self) -> &'static str {
        match self {
            Role::Admin => "Manages accounts and roles, and everything else.",
            Role::IsmsManager => "Runs the ISMS: the organization, policies, roles, campaigns.",
            Role::TopManagement => {
                "Approves and signs off; reads everything that is reported to them."
            }
            Role::Manager => "Sees their own units and staff.",
            Role::Staff => "Reads and acknowledges what is addressed to them.",
            Role::Auditor => "Reads all evidence except confidential reports; changes nothing.",
            Role::ConcernHandler => "Reads and answers confidential security concerns.",
        }
    }
}

impl FromStr for Role {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim().to_ascii_lowercase().replace(['-', ' '], "_");
        Role::ALL
            .into_iter()
            .find(|role| role.as_str() == wanted)
            .ok_or_else(|| {
                let known: Vec<&str> = Role::ALL.iter().map(|r| r.as_str()).collect();
                format!("'{s}' is not a role; use one of: {}", known.join(", "))
            })
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What a route needs. Every route names exactly one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Anyone, signed in or not (sign-in, health, the published API description).
    Public,
    /// Any signed-in account (its own tasks, its own tokens, signing out).
    SignedIn,
    /// Read the organization: profile, units, people.
    ReadOrganization,
    /// Change the organization: profile, units, people, imports.
    EditOrganization,
    /// Read the audit trail and verify it; export people.
    ReadEvidence,
    /// Read operational metrics.
    ReadMetrics,
    /// Invite, disable and grant roles to accounts.
    ManageAccounts,
    /// Read the policies in force (published versions); everyone who signs in.
    ReadPolicies,
    /// Read every version, decision, comment, review, exception and share link of policies.
    ReadPolicyRecords,
    /// Write policies and drafts, submit, publish, retire, manage share links.
    EditPolicies,
    /// Comment on drafts and versions in review.
    ReviewPolicies,
    /// Sign off or reject versions, decide exceptions, record "reviewed, no change" (the record's
    /// approver role narrows this further).
    DecidePolicies,
    /// Ask for an exception to a policy.
    RequestExceptions,
    /// Follow campaigns and their coverage (managers: their own team only).
    ReadCampaigns,
    /// Launch and close acknowledgment campaigns.
    ManageCampaigns,
    /// Send a reminder by hand (managers: to their own team only).
    SendReminders,
    /// Acknowledge what is addressed to oneself; nobody acknowledges for someone else.
    Acknowledge,
    /// Read the outbox and send failed or held messages again.
    ManageMail,
    /// Read top-management communications.
    ReadCommunications,
    /// Record a top-management communication (the author must hold the role).
    RecordCommunications,
    /// Read the role catalog, assignments, RACI, delegations, segregation of duties, gaps and
    /// the org chart.
    ReadRoles,
    /// Edit the catalog, activities, RACI, segregation rules and escalation paths; assign and end
    /// roles; record competence evidence; ask for segregation-of-duties exceptions.
    ManageRoles,
    /// Approve or reject a segregation-of-duties exception (never one's own request).
    DecideSodExceptions,
    /// Acknowledge one's own roles and delegate tasks of them (the store checks the holder).
    HoldRoles,
    /// Objectives, management reviews, improvement actions, resources, processes, briefings and
    /// performance reports (never the contents of concerns).
    ReadLeadership,
    /// Objectives, management reviews (prepared, not signed), actions, process integration.
    ManageLeadership,
    /// Measurements of an objective; the store allows the objective's owner and ISMS managers.
    RecordMeasurements,
    /// Progress on an improvement action; the store allows its owner and ISMS managers.
    UpdateActions,
    /// The chair's sign-off of a management review; the store checks the caller chairs it.
    SignReviews,
    RequestResources,
    /// Approving or refusing a resource request; never the requester (checked by the store).
    DecideResources,
    /// Briefings given by line managers to their staff (5.1.h, A.5.4).
    RecordBriefings,
    /// Generating a performance report; the store checks the caller holds the role flagged
    /// `performance_reporter` today.
    GenerateReports,
    /// Reviewing and signing off a performance report (top management).
    SignOffReports,
    /// Reading and answering confidential concerns: handlers only, not admins, not auditors.
    HandleConcerns,
    /// Assessments, their history, trends and differences, thresholds, justifications, the
    /// audit log's checkpoints and proofs.
    ReadConformance,
    /// Running an assessment now (it is stored as an immutable snapshot).
    RunAssessments,
    /// Changing a threshold; asking that a requirement be judged not applicable.
    ManageConformance,
    /// Approving or rejecting a "not applicable" justification (top management, never the
    /// requester).
    DecideJustifications,
    /// Exporting an audit pack, and drawing samples of evidence.
    ExportAuditPacks,
}

impl Permission {
    /// Whether the permission only reads; a read-only API token reaches no other.
    pub fn is_read_only(self) -> bool {
        !matches!(
            self,
            Permission::EditOrganization
                | Permission::ManageAccounts
                | Permission::EditPolicies
                | Permission::ReviewPolicies
                | Permission::DecidePolicies
                | Permission::RequestExceptions
                | Permission::ManageCampaigns
                | Permission::SendReminders
                | Permission::Acknowledge
                | Permission::ManageMail
                | Permission::RecordCommunications
                | Permission::ManageRoles
                | Permission::DecideSodExceptions
                | Permission::HoldRoles
                | Permission::ManageLeadership
                | Permission::RecordMeasurements
                | Permission::UpdateActions
                | Permission::SignReviews
                | Permission::RequestResources
                | Permission::DecideResources
                | Permission::RecordBriefings
                | Permission::GenerateReports
                | Permission::SignOffReports
                | Permission::HandleConcerns
                | Permission::RunAssessments
                | Permission::ManageConformance
                | Permission::DecideJustifications
                | Permission::ExportAuditPacks
        )
    }
}

/// The rule: which role grants which permission.
pub fn grants(role: Role, permission: Permission) -> bool {
    use Permission as P;
    use Role as R;
    match permission {
        P::Public | P::SignedIn => true,
        P::ReadOrganization => true,
        P::EditOrganization => matches!(role, R::Admin | R::IsmsManager),
        P::ReadEvidence => matches!(
            role,
            R::Admin | R::IsmsManager | R::TopManagement | R::Auditor
        ),
        P::ReadMetrics => matches!(role, R::Admin | R::Auditor),
        P::ManageAccounts => matches!(role, R::Admin),
        P::ReadPolicies => true,
        P::ReadPolicyRecords => matches!(
            role,
            R::Admin | R::IsmsManager | R::TopManagement | R::Auditor
        ),
        P::EditPolicies => matches!(role, R::Admin | R::IsmsManager),
        P::ReviewPolicies => matches!(role, R::Admin | R::IsmsManager | R::TopManagement),
        P::DecidePolicies => matches!(role, R::IsmsManager | R::TopManagement),
        P::RequestExceptions => !matches!(role, R::Auditor),
        P::ReadCampaigns => matches!(
            role,
            R::Admin | R::IsmsManager | R::TopManagement | R::Auditor | R::Manager
        ),
        P::ManageCampaigns => matches!(role, R::Admin | R::IsmsManager),
        P::SendReminders => matches!(role, R::Admin | R::IsmsManager | R::Manager),
        P::Acknowledge => !matches!(role, R::Auditor),
        P::ManageMail => matches!(role, R::Admin),
        P::ReadCommunications => matches!(
            role,
            R::Admin | R::IsmsManager | R::TopManagement | R::Auditor
        ),
        P::RecordCommunications => matches!(role, R::TopManagement),
        P::ReadRoles => matches!(
            role,
            R::Admin | R::IsmsManager | R::TopManagement | R::Auditor | R::Manager
        ),
        P::ManageRoles => matches!(role, R::Admin | R::IsmsManager),
        P::DecideSodExceptions => matches!(role, R::TopManagement),
        P::HoldRoles => !matches!(role, R::Auditor),
        P::ReadLeadership => matches!(
            role,
            R::Admin | R::IsmsManager | R::TopManagement | R::Auditor | R::Manager
        ),
        P::ManageLeadership => matches!(role, R::Admin | R::IsmsManager),
        P::RecordMeasurements | P::UpdateActions => !matches!(role, R::Auditor),
        P::SignReviews | P::DecideResources | P::SignOffReports => {
            matches!(role, R::TopManagement)
        }
        P::RequestResources => matches!(
            role,
            R::Admin | R::IsmsManager | R::TopManagement | R::Manager
        ),
        P::RecordBriefings => matches!(role, R::Admin | R::IsmsManager | R::Manager),
        P::GenerateReports => !matches!(role, R::Auditor),
        P::HandleConcerns => matches!(role, R::ConcernHandler),
        P::ReadConformance | P::RunAssessments | P::ExportAuditPacks => matches!(
            role,
            R::Admin | R::IsmsManager | R::TopManagement | R::Auditor
        ),
        P::ManageConformance => matches!(role, R::Admin | R::IsmsManager),
        P::DecideJustifications => matches!(role, R::TopManagement),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_parse_from_their_names() {
        for role in Role::ALL {
            assert_eq!(role.as_str().parse::<Role>(), Ok(role));
        }
        assert_eq!("ISMS manager".parse::<Role>(), Ok(Role::IsmsManager));
        assert!("superuser".parse::<Role>().is_err());
    }

    #[test]
    fn only_concern_handlers_read_concerns() {
        for role in Role::ALL {
            assert_eq!(
                grants(role, Permission::HandleConcerns),
                role == Role::ConcernHandler,
                "{role}"
            );
        }
    }

    #[test]
    fn auditors_and_staff_change_nothing() {
        for role in [Role::Auditor, Role::Staff, Role::TopManagement] {
            assert!(!grants(role, Permission::EditOrganization), "{role}");
            assert!(!grants(role, Permission::ManageAccounts), "{role}");
            assert!(!grants(role, Permission::EditPolicies), "{role}");
        }
        for permission in [
            Permission::ReviewPolicies,
            Permission::DecidePolicies,
            Permission::RequestExceptions,
        ] {
            assert!(!grants(Role::Auditor, permission), "{permission:?}");
            assert!(
                !grants(Role::Staff, permission) || permission == Permission::RequestExceptions
            );
        }
    }
}
