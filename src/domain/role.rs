//! The organization's role catalog (5.3, A.5.2): roles relevant to information security, with
//! their responsibilities, authorities, the competence they need, and the tool role they grant.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use super::FieldErrors;
use super::access::Role;

/// What kind of role it is, for grouping and for A.5.2's owner roles.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum RoleCategory {
    TopManagement,
    IsmsGovernance,
    InformationOwner,
    AssetOwner,
    RiskOwner,
    ProcessOwner,
    LineManager,
    AllStaff,
    Custom,
}

text_enum!(RoleCategory, "role category", TopManagement => "top_management",
    IsmsGovernance => "isms_governance", InformationOwner => "information_owner",
    AssetOwner => "asset_owner", RiskOwner => "risk_owner", ProcessOwner => "process_owner",
    LineManager => "line_manager", AllStaff => "all_staff", Custom => "custom");

impl RoleCategory {
    pub fn label(self) -> &'static str {
        match self {
            RoleCategory::TopManagement => "Top management",
            RoleCategory::IsmsGovernance => "ISMS governance",
            RoleCategory::InformationOwner => "Information owner",
            RoleCategory::AssetOwner => "Asset owner",
            RoleCategory::RiskOwner => "Risk owner",
            RoleCategory::ProcessOwner => "Process owner",
            RoleCategory::LineManager => "Line manager",
            RoleCategory::AllStaff => "All staff",
            RoleCategory::Custom => "Custom",
        }
    }
}

/// A role of the catalog as stored.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct OrgRole {
    pub id: Uuid,
    pub name: String,
    pub category: RoleCategory,
    pub purpose: String,
    pub responsibilities: Vec<String>,
    pub authorities: Vec<String>,
    /// The competence a holder needs (empty: none stated).
    pub competence: String,
    /// Must be held by at least one active person.
    pub required: bool,
    /// Needs a deputy besides its holder.
    pub critical: bool,
    /// Responsible and with authority for making the ISMS conform (5.3.a); one role at most.
    pub conformance_owner: bool,
    /// Reports the ISMS's performance to top management (5.3.b); one role at most.
    pub performance_reporter: bool,
    /// The tool role its holders get while they hold it (e.g. `top_management`).
    pub grants: Option<Role>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// What a role is written with.
#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct OrgRoleInput {
    pub name: String,
    pub category: RoleCategory,
    #[serde(default)]
    pub purpose: String,
    #[serde(default)]
    pub responsibilities: Vec<String>,
    #[serde(default)]
    pub authorities: Vec<String>,
    #[serde(default)]
    pub competence: String,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub critical: bool,
    #[serde(default)]
    pub conformance_owner: bool,
    #[serde(default)]
    pub performance_reporter: bool,
    #[serde(default)]
    pub grants: Option<Role>,
}

const MAX_ITEMS: usize = 40;
const MAX_ITEM_CHARS: usize = 500;

/// Trims each entry, drops empty ones, and checks the list's size.
fn clean_list(errors: &mut FieldErrors, field: &str, items: Vec<String>) -> Vec<String> {
    let items: Vec<String> = items
        .into_iter()
        .map(|s| s.trim().to_owned())
        .filter(|s| !s.is_empty())
        .collect();
    if items.len() > MAX_ITEMS || items.iter().any(|s| s.chars().count() > MAX_ITEM_CHARS) {
        errors.add(
            field,
            format!("at most {MAX_ITEMS} entries of at most {MAX_ITEM_CHARS} characters each"),
        );
    }
    items
}

impl OrgRoleInput {
    /// Trims and checks every field; a role needs at least one responsibility and one authority
    /// (5.3: responsibilities and authorities are stated).
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.name = errors.check_name("name", &self.name);
        self.purpose = self.purpose.trim().to_owned();
        if self.purpose.chars().count() > 2000 {
            errors.add("purpose", "must be at most 2000 characters");
        }
        self.responsibilities = clean_list(&mut errors, "responsibilities", self.responsibilities);
        if self.responsibilities.is_empty() {
            errors.add("responsibilities", "state at least one responsibility");
        }
        self.authorities = clean_list(&mut errors, "authorities", self.authorities);
        if self.authorities.is_empty() {
            errors.add("authorities", "state at least one authority");
        }
        self.competence = self.competence.trim().to_owned();
        if self.competence.chars().count() > 2000 {
            errors.add("competence", "must be at most 2000 characters");
        }
        if self.grants == Some(Role::Admin) {
            errors.add("grants", "a catalog role cannot grant the admin role");
        }
        errors.into_result()?;
        Ok(self)
    }
}

/// Who holds a role today, in short: how many (people not departed) and the first few names.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct HolderSummary {
    pub count: i64,
    /// At most `HolderSummary::NAMES` names of the longest-known holders, sorted by name.
    pub names: Vec<String>,
}

impl HolderSummary {
    pub const NAMES: usize = 3;
}

/// Filter for the catalog list.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, ToSchema)]
pub struct OrgRoleFilter {
    pub category: Option<RoleCategory>,
    /// Part of the name.
    pub q: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input() -> OrgRoleInput {
        OrgRoleInput {
            name: "  Risk owner ".into(),
            category: RoleCategory::RiskOwner,
            purpose: String::new(),
            responsibilities: vec!["Accept residual risk".into(), "  ".into()],
            authorities: vec!["Approve treatment".into()],
            competence: String::new(),
            required: true,
            critical: false,
            conformance_owner: false,
            performance_reporter: false,
            grants: None,
        }
    }

    #[test]
    fn a_role_is_trimmed_and_keeps_its_stated_duties() {
        let role = input().validate().expect("valid");
        assert_eq!(role.name, "Risk owner");
        assert_eq!(role.responsibilities, vec!["Accept residual risk"]);
    }

    #[test]
    fn a_role_without_authorities_or_responsibilities_is_refused() {
        let mut bad = input();
        bad.authorities = vec![" ".into()];
        bad.responsibilities.clear();
        let errors = bad.validate().expect_err("refused");
        assert!(errors.get("authorities").is_some());
        assert!(errors.get("responsibilities").is_some());
    }

    #[test]
    fn a_catalog_role_cannot_make_someone_admin() {
        let mut bad = input();
        bad.grants = Some(Role::Admin);
        assert!(bad.validate().expect_err("refused").get("grants").is_some());
    }
}
