//! The standard catalog installed into an empty role catalog: roles, ISMS activities with their
//! RACI duties, segregation-of-duties rules and escalation paths, in our own words, naming each
//! other by name (the store resolves names to ids when it installs them).

use super::access::Role;
use super::escalation::Matter;
use super::raci::Duty;
use super::role::{OrgRoleInput, RoleCategory};
use Duty::{Accountable as A, Consulted as C, Informed as I, Responsible as R};

/// A role of the standard catalog.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogRole {
    pub name: &'static str,
    pub category: RoleCategory,
    pub purpose: &'static str,
    pub responsibilities: &'static [&'static str],
    pub authorities: &'static [&'static str],
    pub competence: &'static str,
    pub required: bool,
    pub critical: bool,
    pub conformance_owner: bool,
    pub performance_reporter: bool,
    pub grants: Option<Role>,
}

impl CatalogRole {
    /// The role as the store writes it.
    pub fn input(&self) -> OrgRoleInput {
        OrgRoleInput {
            name: self.name.to_owned(),
            category: self.category,
            purpose: self.purpose.to_owned(),
            responsibilities: self
                .responsibilities
                .iter()
                .map(|s| (*s).to_owned())
                .collect(),
            authorities: self.authorities.iter().map(|s| (*s).to_owned()).collect(),
            competence: self.competence.to_owned(),
            required: self.required,
            critical: self.critical,
            conformance_owner: self.conformance_owner,
            performance_reporter: self.performance_reporter,
            grants: self.grants,
        }
    }
}

/// An ISMS activity with its RACI duties as (role name, duty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogActivity {
    pub name: &'static str,
    pub description: &'static str,
    pub duties: &'static [(&'static str, Duty)],
}

/// What a standard rule keeps apart, by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogConflict {
    /// Two role names.
    Roles(&'static str, &'static str),
    /// (duty, activity name) on each side.
    Duties((Duty, &'static str), (Duty, &'static str)),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogRule {
    pub conflict: CatalogConflict,
    pub rationale: &'static str,
}

/// The ordered role names to turn to for a matter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CatalogPath {
    pub matter: Matter,
    pub roles: &'static [&'static str],
}

const CHIEF_EXECUTIVE: &str = "Chief executive";
const BOARD_MEMBER: &str = "Management committee member";
const SECURITY_MANAGER: &str = "Information security manager";
const STEERING_MEMBER: &str = "Security steering committee member";
const INFORMATION_OWNER: &str = "Information owner";
const ASSET_OWNER: &str = "Asset owner";
const RISK_OWNER: &str = "Risk owner";
const PROCESS_OWNER: &str = "Process owner";
const LINE_MANAGER: &str = "Line manager";
const ALL_STAFF: &str = "All staff";
const INTERNAL_AUDITOR: &str = "Internal auditor";
const INCIDENT_LEAD: &str = "Incident response lead";
const PRIVACY_OFFICER: &str = "Data protection officer";
const CONCERN_HANDLER: &str = "Concern handler";

const fn role(name: &'static str, category: RoleCategory) -> CatalogRole {
    CatalogRole {
        name,
        category,
        purpose: "",
        responsibilities: &[],
        authorities: &[],
        competence: "",
        required: false,
        critical: false,
        conformance_owner: false,
        performance_reporter: false,
        grants: None,
    }
}

/// The roles, in catalog order.
pub const ROLES: &[CatalogRole] = &[
    CatalogRole {
        purpose: "Leads the organization and shows commitment to information security.",
        responsibilities: &[
            "Make sure the security policy and objectives fit the direction of the business",
            "Provide the people, money and time the ISMS needs",
            "Appoint the people who hold the security roles and make sure they are told",
            "Take part in management reviews and act on what they find",
        ],
        authorities: &[
            "Approve the information security policy",
            "Decide exceptions to segregation of duties",
            "Accept the risks that remain after treatment on behalf of the organization",
        ],
        required: true,
        grants: Some(Role::TopManagement),
        ..role(CHIEF_EXECUTIVE, RoleCategory::TopManagement)
    },
    CatalogRole {
        purpose: "Directs the organization together with the chief executive.",
        responsibilities: &[
            "Review the performance of the ISMS at management reviews",
            "Oversee the independence and results of internal audits",
            "Challenge security decisions that affect the business",
        ],
        authorities: &[
            "Approve the audit programme",
            "Decide exceptions to segregation of duties",
        ],
        grants: Some(Role::TopManagement),
        ..role(BOARD_MEMBER, RoleCategory::TopManagement)
    },
    CatalogRole {
        purpose: "Runs the ISMS day to day and answers for its conformance and its results.",
        responsibilities: &[
            "Make sure the ISMS meets the requirements of the standard",
            "Report the performance of the ISMS to top management",
            "Coordinate setting up, running, maintaining and improving the ISMS",
            "Keep the security policies and the risk process up to date",
            "Follow corrective actions through to closure",
        ],
        authorities: &[
            "Set security requirements that projects and suppliers must meet",
            "Call on any role holder for information the ISMS needs",
            "Stop a change that would put information at unacceptable risk, pending a decision",
            "Publish security policies approved by top management",
        ],
        competence: "Several years of information security management experience, and a \
                     recognized security management certification or equivalent training.",
        required: true,
        critical: true,
        conformance_owner: true,
        performance_reporter: true,
        grants: Some(Role::IsmsManager),
        ..role(SECURITY_MANAGER, RoleCategory::IsmsGovernance)
    },
    CatalogRole {
        purpose: "Brings the business units' view into security decisions.",
        responsibilities: &[
            "Review proposed policies and control standards before approval",
            "Advise on risk assessment and treatment for their area",
            "Carry security decisions back to their unit",
        ],
        authorities: &[
            "Recommend policies and standards for approval",
            "Ask for a security topic to be put on the agenda of top management",
        ],
        ..role(STEERING_MEMBER, RoleCategory::IsmsGovernance)
    },
    CatalogRole {
        purpose: "Answers for a body of information: who may see it and how it is protected.",
        responsibilities: &[
            "Classify the information they own",
            "Decide who may have access and review that access regularly",
            "Say how long the information is kept and how it is disposed of",
        ],
        authorities: &[
            "Grant and withdraw access to their information",
            "Set the handling rules for their information",
        ],
        ..role(INFORMATION_OWNER, RoleCategory::InformationOwner)
    },
    CatalogRole {
        purpose: "Answers for an asset throughout its life.",
        responsibilities: &[
            "Keep the asset in the inventory with its current details",
            "Make sure the controls chosen for the asset are in place",
            "Arrange the safe return, reuse or disposal of the asset",
        ],
        authorities: &[
            "Decide how the asset may be used",
            "Ask for changes to the asset to be made or stopped",
        ],
        ..role(ASSET_OWNER, RoleCategory::AssetOwner)
    },
    CatalogRole {
        purpose: "Answers for managing a risk and accepting what remains of it.",
        responsibilities: &[
            "Understand the risks they own and how they are treated",
            "Approve the treatment plan for their risks",
            "Watch for changes that make their risks larger",
        ],
        authorities: &[
            "Approve risk treatment plans for their risks",
            "Accept residual risk within the limits top management set",
        ],
        required: true,
        ..role(RISK_OWNER, RoleCategory::RiskOwner)
    },
    CatalogRole {
        purpose: "Answers for a business process and the security built into it.",
        responsibilities: &[
            "Build the required security steps into the process",
            "Measure how well the process's controls work",
            "Carry out corrective actions that concern the process",
        ],
        authorities: &[
            "Change how the process runs to meet security requirements",
            "Assign process tasks to the people who run it",
        ],
        ..role(PROCESS_OWNER, RoleCategory::ProcessOwner)
    },
    CatalogRole {
        purpose: "Makes sure their team knows and follows the security rules.",
        responsibilities: &[
            "Brief their people on the security policies and their part in them",
            "Make sure their people have read and accepted the policies that apply to them",
            "Request and review their people's access, and have it removed when they leave",
            "Report security incidents and policy breaches in their team",
        ],
        authorities: &[
            "Approve access requests for their team",
            "Raise a policy breach with the security manager",
        ],
        ..role(LINE_MANAGER, RoleCategory::LineManager)
    },
    CatalogRole {
        purpose: "What everyone who works for the organization does for security.",
        responsibilities: &[
            "Read and follow the security policies that apply to them",
            "Protect the information and equipment entrusted to them",
            "Report security incidents, weaknesses and concerns without delay",
        ],
        authorities: &[
            "Refuse a request that would break a security policy",
            "Report a concern confidentially",
        ],
        ..role(ALL_STAFF, RoleCategory::AllStaff)
    },
    CatalogRole {
        purpose: "Checks independently that the ISMS conforms and works.",
        responsibilities: &[
            "Plan and carry out internal audits of the ISMS",
            "Report findings to the people concerned and to top management",
            "Check that corrective actions dealt with what was found",
        ],
        authorities: &[
            "Look at any record, system or process within the audit's scope",
            "Interview any role holder",
            "Report directly to top management",
        ],
        competence: "Training in auditing management systems and knowledge of the standard; \
                     independent of the work audited.",
        required: true,
        ..role(INTERNAL_AUDITOR, RoleCategory::IsmsGovernance)
    },
    CatalogRole {
        purpose: "Leads the response when a security incident happens.",
        responsibilities: &[
            "Assess reported events and decide whether they are incidents",
            "Coordinate containment, recovery and communication",
            "Keep a record of each incident and what was learned",
            "Tell top management about serious incidents",
        ],
        authorities: &[
            "Take systems offline or isolate them to contain an incident",
            "Call in people and outside help the response needs",
        ],
        competence: "Training in incident handling and knowledge of the organization's systems.",
        required: true,
        critical: true,
        ..role(INCIDENT_LEAD, RoleCategory::IsmsGovernance)
    },
    CatalogRole {
        purpose: "Makes sure personal data is protected and the law on it is followed.",
        responsibilities: &[
            "Advise on the protection of personal data in processes and systems",
            "Keep the record of processing up to date",
            "Handle requests from the people the data is about",
            "Assess personal data breaches and whether they must be reported",
        ],
        authorities: &[
            "Be consulted on every change that affects personal data",
            "Report to the supervisory authority when the law requires",
        ],
        competence: "Knowledge of data protection law and practice.",
        required: true,
        ..role(PRIVACY_OFFICER, RoleCategory::Custom)
    },
    CatalogRole {
        purpose: "Receives security concerns, including confidential ones, and follows them up.",
        responsibilities: &[
            "Acknowledge each concern and keep the reporter's identity confidential",
            "Pass the substance on to the right role holder",
            "Tell the reporter what was done, where that is possible",
        ],
        authorities: &[
            "Read confidential concerns",
            "Ask any role holder to look into a concern",
        ],
        grants: Some(Role::ConcernHandler),
        ..role(CONCERN_HANDLER, RoleCategory::Custom)
    },
];

const APPROVING_RISK_TREATMENT: &str = "Approving risk treatment";
const REVIEWING_AND_AUDITING: &str = "Reviewing and auditing the ISMS";

/// The activities, in matrix order, each with exactly one Accountable role.
pub const ACTIVITIES: &[CatalogActivity] = &[
    CatalogActivity {
        name: "Coordinating the establishment of the ISMS",
        description: "Setting the scope, the policy and the objectives, and starting the ISMS.",
        duties: &[
            (CHIEF_EXECUTIVE, A),
            (SECURITY_MANAGER, R),
            (STEERING_MEMBER, C),
            (BOARD_MEMBER, I),
        ],
    },
    CatalogActivity {
        name: "Coordinating the implementation of the ISMS",
        description: "Putting the planned processes and controls in place.",
        duties: &[
            (SECURITY_MANAGER, A),
            (PROCESS_OWNER, R),
            (ASSET_OWNER, R),
            (STEERING_MEMBER, C),
            (ALL_STAFF, I),
        ],
    },
    CatalogActivity {
        name: "Coordinating the maintenance of the ISMS",
        description: "Keeping the ISMS working as the organization and its risks change.",
        duties: &[
            (SECURITY_MANAGER, A),
            (PROCESS_OWNER, R),
            (ASSET_OWNER, C),
            (STEERING_MEMBER, I),
        ],
    },
    CatalogActivity {
        name: "Reporting the performance of the ISMS",
        description: "Measuring the ISMS and reporting the results to top management.",
        duties: &[
            (SECURITY_MANAGER, A),
            (PROCESS_OWNER, R),
            (CHIEF_EXECUTIVE, I),
            (BOARD_MEMBER, I),
        ],
    },
    CatalogActivity {
        name: "Coordinating the improvement of the ISMS",
        description: "Choosing and carrying out improvements to the ISMS.",
        duties: &[
            (SECURITY_MANAGER, A),
            (STEERING_MEMBER, R),
            (INTERNAL_AUDITOR, C),
            (CHIEF_EXECUTIVE, I),
        ],
    },
    CatalogActivity {
        name: "Advising on risk assessment and treatment",
        description: "Guiding risk owners through assessing risks and choosing treatments.",
        duties: &[
            (SECURITY_MANAGER, A),
            (STEERING_MEMBER, R),
            (RISK_OWNER, C),
            (INFORMATION_OWNER, C),
        ],
    },
    CatalogActivity {
        name: "Designing security processes and systems",
        description: "Building security into processes and systems from the start.",
        duties: &[
            (SECURITY_MANAGER, A),
            (PROCESS_OWNER, R),
            (ASSET_OWNER, R),
            (PRIVACY_OFFICER, C),
        ],
    },
    CatalogActivity {
        name: "Setting standards for controls",
        description: "Writing the technical and organizational standards controls must meet.",
        duties: &[
            (SECURITY_MANAGER, A),
            (STEERING_MEMBER, R),
            (ASSET_OWNER, C),
            (ALL_STAFF, I),
        ],
    },
    CatalogActivity {
        name: "Managing security incidents",
        description: "Responding to incidents from the first report to the lessons learned.",
        duties: &[
            (INCIDENT_LEAD, A),
            (ASSET_OWNER, R),
            (SECURITY_MANAGER, C),
            (PRIVACY_OFFICER, C),
            (CHIEF_EXECUTIVE, I),
        ],
    },
    CatalogActivity {
        name: REVIEWING_AND_AUDITING,
        description: "Internal audits and independent reviews of the ISMS.",
        duties: &[
            (BOARD_MEMBER, A),
            (INTERNAL_AUDITOR, R),
            (SECURITY_MANAGER, C),
            (CHIEF_EXECUTIVE, I),
        ],
    },
    CatalogActivity {
        name: "Maintaining the security policies",
        description: "Reviewing the policies on schedule and after significant changes.",
        duties: &[
            (SECURITY_MANAGER, A),
            (STEERING_MEMBER, R),
            (PRIVACY_OFFICER, C),
            (ALL_STAFF, I),
        ],
    },
    CatalogActivity {
        name: "Tracking corrective actions",
        description: "Following nonconformities and their corrective actions to closure.",
        duties: &[
            (SECURITY_MANAGER, A),
            (PROCESS_OWNER, R),
            (INTERNAL_AUDITOR, I),
        ],
    },
    CatalogActivity {
        name: APPROVING_RISK_TREATMENT,
        description: "Approving risk treatment plans and accepting the risk that remains.",
        duties: &[
            (RISK_OWNER, A),
            (INFORMATION_OWNER, R),
            (SECURITY_MANAGER, C),
            (CHIEF_EXECUTIVE, I),
        ],
    },
];

/// The segregation-of-duties rules.
pub const SOD_RULES: &[CatalogRule] = &[
    CatalogRule {
        conflict: CatalogConflict::Roles(INTERNAL_AUDITOR, SECURITY_MANAGER),
        rationale: "Whoever runs the ISMS cannot audit it independently.",
    },
    CatalogRule {
        conflict: CatalogConflict::Duties(
            (A, APPROVING_RISK_TREATMENT),
            (R, REVIEWING_AND_AUDITING),
        ),
        rationale: "Whoever approves risk treatment must not be the one who audits whether it \
                    works.",
    },
    CatalogRule {
        conflict: CatalogConflict::Roles(RISK_OWNER, INTERNAL_AUDITOR),
        rationale: "A risk owner would audit the treatment of their own risks.",
    },
];

/// The escalation paths, first contact first.
pub const ESCALATION_PATHS: &[CatalogPath] = &[
    CatalogPath {
        matter: Matter::SecurityIncident,
        roles: &[INCIDENT_LEAD, SECURITY_MANAGER, CHIEF_EXECUTIVE],
    },
    CatalogPath {
        matter: Matter::PolicyBreach,
        roles: &[LINE_MANAGER, SECURITY_MANAGER, CHIEF_EXECUTIVE],
    },
    CatalogPath {
        matter: Matter::Concern,
        roles: &[CONCERN_HANDLER, SECURITY_MANAGER, BOARD_MEMBER],
    },
];

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    fn role_named(name: &str) -> bool {
        ROLES.iter().any(|r| r.name == name)
    }

    fn activity_named(name: &str) -> bool {
        ACTIVITIES.iter().any(|a| a.name == name)
    }

    #[test]
    fn every_role_validates_and_names_are_unique() {
        let mut names = HashSet::new();
        for role in ROLES {
            let valid = role.input().validate();
            assert!(valid.is_ok(), "{}: {valid:?}", role.name);
            assert!(
                names.insert(role.name.to_lowercase()),
                "{} twice",
                role.name
            );
            assert!(
                (3..=6).contains(&role.responsibilities.len())
                    && (2..=4).contains(&role.authorities.len()),
                "{} states 3-6 responsibilities and 2-4 authorities",
                role.name
            );
        }
    }

    #[test]
    fn the_catalog_covers_every_category_and_each_named_duty_once() {
        for category in RoleCategory::ALL {
            assert!(
                ROLES.iter().any(|r| r.category == *category),
                "{category} has no role"
            );
        }
        assert_eq!(ROLES.iter().filter(|r| r.conformance_owner).count(), 1);
        assert_eq!(ROLES.iter().filter(|r| r.performance_reporter).count(), 1);
        assert!(ROLES.iter().any(|r| r.grants == Some(Role::TopManagement)));
        assert!(ROLES.iter().all(|r| r.grants != Some(Role::Admin)));
    }

    #[test]
    fn every_activity_has_one_accountable_and_a_responsible_role() {
        let mut names = HashSet::new();
        for activity in ACTIVITIES {
            assert!(names.insert(activity.name.to_lowercase()));
            let count = |duty| activity.duties.iter().filter(|(_, d)| *d == duty).count();
            assert_eq!(count(A), 1, "{}", activity.name);
            assert!(count(R) >= 1, "{}", activity.name);
            let mut roles = HashSet::new();
            for (role, _) in activity.duties {
                assert!(role_named(role), "{} names unknown {role}", activity.name);
                assert!(roles.insert(*role), "{} names {role} twice", activity.name);
            }
        }
    }

    #[test]
    fn rules_and_paths_name_what_the_catalog_holds() {
        for rule in SOD_RULES {
            match rule.conflict {
                CatalogConflict::Roles(a, b) => {
                    assert!(role_named(a) && role_named(b) && a != b, "{a} / {b}");
                }
                CatalogConflict::Duties((_, a), (_, b)) => {
                    assert!(activity_named(a) && activity_named(b), "{a} / {b}");
                }
            }
        }
        let matters: HashSet<Matter> = ESCALATION_PATHS.iter().map(|p| p.matter).collect();
        assert_eq!(matters.len(), Matter::ALL.len());
        for path in ESCALATION_PATHS {
            assert!(
                path.roles.iter().all(|r| role_named(r)),
                "{:?}",
                path.matter
            );
        }
    }

    #[test]
    fn the_standard_duty_rule_finds_a_conflict_through_the_matrix() {
        let holders = |activity: &str, duty: Duty| -> Vec<&str> {
            ACTIVITIES
                .iter()
                .filter(|a| a.name == activity)
                .flat_map(|a| a.duties.iter())
                .filter(|(_, d)| *d == duty)
                .map(|(r, _)| *r)
                .collect()
        };
        assert_eq!(holders(APPROVING_RISK_TREATMENT, A), vec![RISK_OWNER]);
        assert_eq!(holders(REVIEWING_AND_AUDITING, R), vec![INTERNAL_AUDITOR]);
    }
}
