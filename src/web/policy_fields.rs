//! The policy form as typed: read from the posted body (units come as repeated fields, which the
//! plain form extractor cannot hold), turned into a `PolicyInput` and a first draft with every
//! message at once, and shown again with what was typed.

use uuid::Uuid;

use super::forms::{Field, SelectOption, add_missing, error_summary};
use super::policy_views::{role_word, visibility_word};
use crate::domain::access::Role;
use crate::domain::account::Account;
use crate::domain::policy::{
    APPROVER_ROLES, Audience, Policy, PolicyInput, PolicyKind, Visibility,
};
use crate::domain::policy_version::DraftInput;
use crate::domain::unit::tree_order;
use crate::domain::{FieldErrors, Unit};

/// Every field as text, as the browser sent it.
#[derive(Debug, Clone, Default)]
pub struct PolicyForm {
    pub title: String,
    pub kind: String,
    pub owner_id: String,
    pub approver_role: String,
    pub audience: String,
    pub audience_units: Vec<String>,
    pub audience_roles: String,
    pub review_interval_months: String,
    pub visibility: String,
    pub visibility_rationale: String,
    pub quorum: String,
    pub body: String,
}

impl PolicyForm {
    /// Reads a posted `application/x-www-form-urlencoded` body; unknown fields are ignored.
    pub fn from_body(bytes: &[u8]) -> Self {
        let pairs: Vec<(String, String)> = serde_urlencoded::from_bytes(bytes).unwrap_or_default();
        let mut form = Self::default();
        for (name, value) in pairs {
            match name.as_str() {
                "title" => form.title = value,
                "kind" => form.kind = value,
                "owner_id" => form.owner_id = value,
                "approver_role" => form.approver_role = value,
                "audience" => form.audience = value,
                "audience_units" => form.audience_units.push(value),
                "audience_roles" => form.audience_roles = value,
                "review_interval_months" => form.review_interval_months = value,
                "visibility" => form.visibility = value,
                "visibility_rationale" => form.visibility_rationale = value,
                "quorum" => form.quorum = value,
                "body" => form.body = value,
                _ => {}
            }
        }
        form
    }

    /// A new policy of `kind` owned by `owner`, starting from the matching template.
    pub fn new_policy(kind: PolicyKind, owner: Option<Uuid>) -> Self {
        let (title, body) = match kind {
            PolicyKind::TopLevel => (
                "Information security policy",
                crate::document::template::TOP_LEVEL,
            ),
            PolicyKind::TopicSpecific => ("", crate::document::template::TOPIC_SPECIFIC),
        };
        Self {
            title: title.to_owned(),
            kind: kind.as_str().to_owned(),
            owner_id: owner.map(|id| id.to_string()).unwrap_or_default(),
            approver_role: Role::TopManagement.as_str().to_owned(),
            audience: "everyone".to_owned(),
            review_interval_months: "12".to_owned(),
            visibility: Visibility::Internal.as_str().to_owned(),
            quorum: "1".to_owned(),
            body: body.to_owned(),
            ..Self::default()
        }
    }

    pub fn from_policy(policy: &Policy) -> Self {
        let (audience, audience_units, audience_roles) = match &policy.audience {
            Audience::Everyone => ("everyone", Vec::new(), String::new()),
            Audience::Units { unit_ids } => (
                "units",
                unit_ids.iter().map(Uuid::to_string).collect(),
                String::new(),
            ),
            Audience::Roles { roles } => ("roles", Vec::new(), roles.join(", ")),
        };
        Self {
            title: policy.title.clone(),
            kind: policy.kind.as_str().to_owned(),
            owner_id: policy.owner_id.to_string(),
            approver_role: policy.approver_role.as_str().to_owned(),
            audience: audience.to_owned(),
            audience_units,
            audience_roles,
            review_interval_months: policy.review_interval_months.to_string(),
            visibility: policy.visibility.as_str().to_owned(),
            visibility_rationale: policy.visibility_rationale.clone(),
            quorum: policy.quorum.to_string(),
            body: String::new(),
        }
    }

    /// The policy as typed, checked; every refused field is reported at once.
    pub fn to_input(&self) -> Result<PolicyInput, FieldErrors> {
        let mut errors = FieldErrors::new();
        let kind = self.kind.parse().unwrap_or_else(|_| {
            errors.add(
                "kind",
                "choose whether this is the information security policy or a topic-specific one",
            );
            PolicyKind::TopicSpecific
        });
        let owner_id = Uuid::parse_str(self.owner_id.trim()).unwrap_or_else(|_| {
            errors.add("owner_id", "choose the person who owns this policy");
            Uuid::nil()
        });
        let approver_role = self.approver_role.parse().unwrap_or_else(|_| {
            errors.add("approver_role", "choose who approves this policy");
            Role::TopManagement
        });
        let audience = self.audience_input(&mut errors);
        let review_interval_months = number(
            &mut errors,
            "review_interval_months",
            &self.review_interval_months,
        );
        let visibility = self.visibility.parse().unwrap_or_else(|_| {
            errors.add(
                "visibility",
                "choose who outside the organization may read it",
            );
            Visibility::Internal
        });
        let quorum = number(&mut errors, "quorum", &self.quorum);
        let input = PolicyInput {
            title: self.title.clone(),
            kind,
            owner_id,
            approver_role,
            audience,
            review_interval_months,
            visibility,
            visibility_rationale: self.visibility_rationale.clone(),
            quorum,
        };
        match input.validate() {
            Ok(input) if errors.is_empty() => Ok(input),
            Ok(_) => Err(errors),
            Err(more) => {
                add_missing(&mut errors, &more);
                Err(errors)
            }
        }
    }

    fn audience_input(&self, errors: &mut FieldErrors) -> Audience {
        match self.audience.as_str() {
            "units" => {
                let mut unit_ids = Vec::new();
                for raw in &self.audience_units {
                    match Uuid::parse_str(raw.trim()) {
                        Ok(id) => unit_ids.push(id),
                        Err(_) => errors.add("audience", "name units from the list"),
                    }
                }
                Audience::Units { unit_ids }
            }
            "roles" => Audience::Roles {
                roles: self
                    .audience_roles
                    .split([',', '\n'])
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                    .map(str::to_owned)
                    .collect(),
            },
            _ => Audience::Everyone,
        }
    }

    /// The first draft typed with a new policy.
    pub fn to_draft(&self) -> Result<DraftInput, FieldErrors> {
        DraftInput {
            body: self.body.clone(),
            is_major: false,
            change_summary: String::new(),
        }
        .validate()
    }
}

/// A whole number typed in a form; anything else is refused with a message (and 0 kept).
fn number(errors: &mut FieldErrors, field: &str, raw: &str) -> u32 {
    raw.trim().parse().unwrap_or_else(|_| {
        errors.add(field, "must be a whole number");
        0
    })
}

/// The fields of the form, each with what was typed and its message.
pub struct PolicyFields {
    pub title: Field,
    pub kind: Field,
    pub owner_id: Field,
    pub approver_role: Field,
    pub audience: Field,
    pub audience_roles: Field,
    pub review_interval_months: Field,
    pub visibility: Field,
    pub visibility_rationale: Field,
    pub quorum: Field,
    pub body: Field,
    pub kind_options: Vec<SelectOption>,
    pub owner_options: Vec<SelectOption>,
    pub approver_options: Vec<SelectOption>,
    pub visibility_options: Vec<SelectOption>,
    pub unit_options: Vec<SelectOption>,
}

impl PolicyFields {
    /// `owners` are the accounts that may own a policy, `current_owner` the owner already set
    /// (kept selectable even without an account).
    pub fn new(
        form: PolicyForm,
        errors: &FieldErrors,
        owners: &[Account],
        current_owner: Option<(Uuid, String)>,
        units: &[Unit],
    ) -> Self {
        let field = |id: &'static str, label: &'static str, value: &str| {
            Field::new(id, label, value).with_errors(errors, id)
        };
        Self {
            kind_options: PolicyKind::ALL
                .iter()
                .map(|k| SelectOption::new(k.as_str(), k.label(), k.as_str() == form.kind))
                .collect(),
            owner_options: owner_options(owners, current_owner, &form.owner_id),
            approver_options: APPROVER_ROLES
                .iter()
                .map(|r| {
                    SelectOption::new(r.as_str(), role_word(*r), r.as_str() == form.approver_role)
                })
                .collect(),
            visibility_options: Visibility::ALL
                .iter()
                .map(|v| {
                    SelectOption::new(
                        v.as_str(),
                        visibility_word(*v),
                        v.as_str() == form.visibility,
                    )
                })
                .collect(),
            unit_options: tree_order(units)
                .into_iter()
                .map(|(depth, unit)| {
                    let id = unit.id.to_string();
                    let label = format!("{}{}", "\u{2014} ".repeat(depth), unit.name);
                    let selected = form.audience_units.contains(&id);
                    SelectOption::new(id, label, selected)
                })
                .collect(),
            title: field("title", "Title", &form.title),
            kind: field("kind", "Kind", &form.kind),
            owner_id: field("owner_id", "Owner", &form.owner_id),
            approver_role: field("approver_role", "Approved by", &form.approver_role),
            audience: field("audience", "Audience", &form.audience),
            audience_roles: Field::new("audience_roles", "Roles", form.audience_roles),
            review_interval_months: field(
                "review_interval_months",
                "Review interval (months)",
                &form.review_interval_months,
            ),
            visibility: field("visibility", "Visibility", &form.visibility),
            visibility_rationale: field(
                "visibility_rationale",
                "Why this visibility",
                &form.visibility_rationale,
            ),
            quorum: field("quorum", "Approvals needed", &form.quorum),
            body: field("body", "Text of the first draft", &form.body),
        }
    }

    pub fn summary(&self) -> Vec<(String, String)> {
        error_summary(&[
            &self.title,
            &self.kind,
            &self.owner_id,
            &self.approver_role,
            &self.audience,
            &self.review_interval_months,
            &self.visibility,
            &self.visibility_rationale,
            &self.quorum,
            &self.body,
        ])
    }
}

/// The people who hold an active account (they can act on the policy in Charter), by name,
/// and the current owner even if they hold none.
fn owner_options(
    owners: &[Account],
    current: Option<(Uuid, String)>,
    selected: &str,
) -> Vec<SelectOption> {
    let mut people: Vec<(Uuid, String)> = owners
        .iter()
        .filter(|a| a.is_active())
        .map(|a| (a.person_id, format!("{} ({})", a.name, a.email)))
        .collect();
    if let Some((id, name)) = current
        && !people.iter().any(|(p, _)| *p == id)
    {
        people.push((id, name));
    }
    people.sort_by_key(|(_, label)| label.to_lowercase());
    people.dedup_by_key(|(id, _)| *id);
    let mut options = vec![SelectOption::new(
        "",
        "Choose the owner",
        selected.is_empty(),
    )];
    options.extend(people.into_iter().map(|(id, label)| {
        let id = id.to_string();
        let chosen = id == selected;
        SelectOption::new(id, label, chosen)
    }));
    options
}
