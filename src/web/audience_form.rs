//! Whom a form addresses (a campaign or a communication): the policy's own audience, everyone,
//! units with their sub-units, holders of roles, or people named by email, and the fields as
//! shown again with their messages.

use uuid::Uuid;

use super::forms::{SelectOption, parse_optional_id, unit_options};
use super::policy_views::{role_word, sentence};
use crate::domain::access::Role;
use crate::domain::campaign::CampaignAudience;
use crate::domain::{FieldErrors, Unit};
use crate::store::{Store, StoreResult};

/// Whom a form addresses: the kind chosen and what each kind lists.
#[derive(Debug, Clone, Default)]
pub struct AudienceForm {
    pub kind: String,
    pub unit_ids: Vec<String>,
    pub roles: Vec<String>,
    pub people: String,
}

impl AudienceForm {
    /// Takes the field if it belongs to the audience; false for the form's other fields.
    pub fn take(&mut self, name: &str, value: &str) -> bool {
        match name {
            "audience" => self.kind = value.to_owned(),
            "unit_ids" => self.unit_ids.push(value.to_owned()),
            "roles" => self.roles.push(value.to_owned()),
            "people" => self.people = value.to_owned(),
            _ => return false,
        }
        true
    }

    /// The audience chosen; `None` for the policy's own. Unknown emails are noted under `people`.
    pub async fn resolve(
        &self,
        store: &dyn Store,
        errors: &mut FieldErrors,
    ) -> StoreResult<Option<CampaignAudience>> {
        Ok(Some(match self.kind.as_str() {
            "policy" => return Ok(None),
            "everyone" => CampaignAudience::Everyone,
            "units" => CampaignAudience::Units {
                unit_ids: self
                    .unit_ids
                    .iter()
                    .filter_map(|raw| parse_optional_id(raw).ok().flatten())
                    .collect(),
            },
            "roles" => CampaignAudience::Roles {
                roles: self.roles.iter().filter_map(|r| r.parse().ok()).collect(),
            },
            "people" => CampaignAudience::People {
                person_ids: self.people_ids(store, errors).await?,
            },
            _ => {
                errors.add("audience", "choose who is addressed");
                return Ok(None);
            }
        }))
    }

    async fn people_ids(
        &self,
        store: &dyn Store,
        errors: &mut FieldErrors,
    ) -> StoreResult<Vec<Uuid>> {
        let mut ids = Vec::new();
        let emails = self.people.split([',', ';', '\n', ' ', '\t', '\r']);
        for email in emails.map(str::trim).filter(|e| !e.is_empty()) {
            match store.person_by_email(email).await? {
                Some(person) if !ids.contains(&person.id) => ids.push(person.id),
                Some(_) => {}
                None => errors.add("people", format!("no one has the email {email}")),
            }
        }
        Ok(ids)
    }

    /// The fields as shown again, with their messages.
    pub fn view(
        &self,
        units: &[Unit],
        own: Option<String>,
        errors: &FieldErrors,
    ) -> AudienceFields {
        let message = |key: &str, label: &str| {
            errors.get(key).map(|messages| {
                let sentences: Vec<String> = messages
                    .iter()
                    .map(|m| sentence(&format!("{label} {m}")))
                    .collect();
                sentences.join(" ")
            })
        };
        AudienceFields {
            error: message("audience", "The audience"),
            policy_audience: own,
            kind: self.kind.clone(),
            units: unit_options(units, "", "", &[])
                .into_iter()
                .skip(1)
                .map(|mut o| {
                    o.selected = self.unit_ids.contains(&o.value);
                    o
                })
                .collect(),
            roles: Role::ALL
                .iter()
                .map(|r| {
                    let word = role_word(*r);
                    SelectOption::new(r.as_str(), word, self.roles.iter().any(|x| x == r.as_str()))
                })
                .collect(),
            people: self.people.clone(),
            people_error: errors.get("people").map(|m| sentence(&m.join("; "))),
        }
    }
}

/// The audience part of a form, ready for `campaigns/_macros.html`.
pub struct AudienceFields {
    pub error: Option<String>,
    /// The policy's own audience in words, when the form offers it.
    pub policy_audience: Option<String>,
    pub kind: String,
    pub units: Vec<SelectOption>,
    pub roles: Vec<SelectOption>,
    pub people: String,
    pub people_error: Option<String>,
}

impl AudienceFields {
    pub fn aria(&self) -> &'static str {
        if self.error.is_some() {
            r#"aria-describedby="audience-error""#
        } else {
            ""
        }
    }

    pub fn unit_size(&self) -> usize {
        self.units.len().clamp(2, 8)
    }
}
