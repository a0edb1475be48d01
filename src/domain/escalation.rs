//! Escalation paths: for each kind of matter, the ordered roles to turn to, resolved to the people
//! who hold them today.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use uuid::Uuid;

use super::FieldErrors;

/// The kinds of matter that have an escalation path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Matter {
    SecurityIncident,
    PolicyBreach,
    Concern,
}

text_enum!(Matter, "kind of matter", SecurityIncident => "security_incident",
    PolicyBreach => "policy_breach", Concern => "concern");

impl Matter {
    pub fn label(self) -> &'static str {
        match self {
            Matter::SecurityIncident => "Security incident",
            Matter::PolicyBreach => "Policy breach",
            Matter::Concern => "Security concern",
        }
    }
}

/// A current holder to contact.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Contact {
    pub person_id: Uuid,
    pub name: String,
    pub email: String,
    pub deputy: bool,
}

/// One step of a path: a role and who holds it today (empty: the step is vacant).
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct EscalationStep {
    pub role_id: Uuid,
    pub role_name: String,
    pub contacts: Vec<Contact>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct EscalationPath {
    pub matter: Matter,
    pub steps: Vec<EscalationStep>,
}

/// A path is written as the ordered roles.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct EscalationPathInput {
    pub role_ids: Vec<Uuid>,
}

impl EscalationPathInput {
    pub fn validate(self) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        if self.role_ids.is_empty() || self.role_ids.len() > 10 {
            errors.add("role_ids", "name from 1 to 10 roles, first contact first");
        }
        let mut seen = std::collections::HashSet::new();
        if !self.role_ids.iter().all(|id| seen.insert(*id)) {
            errors.add("role_ids", "names a role twice");
        }
        errors.into_result()?;
        Ok(self)
    }
}
