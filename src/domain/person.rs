//! People of the organization: employees, contractors and externals, never deleted, only departed.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::{Date, OffsetDateTime};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::{Email, FieldErrors};

pub use super::iso_date;

/// How a person is engaged.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PersonKind {
    Employee,
    Contractor,
    External,
}

/// Whether a person is with the organization now.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PersonStatus {
    Active,
    OnLeave,
    Departed,
}

text_enum!(PersonKind, "kind", Employee => "employee", Contractor => "contractor", External => "external");
text_enum!(PersonStatus, "status", Active => "active", OnLeave => "on_leave", Departed => "departed");

/// A person as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Person {
    pub id: Uuid,
    pub name: String,
    pub email: String,
    pub job_title: String,
    pub unit_id: Option<Uuid>,
    pub manager_id: Option<Uuid>,
    pub kind: PersonKind,
    pub status: PersonStatus,
    #[serde(with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub departed_on: Option<Date>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// The editable fields of a person, as submitted (the email is checked by `validate`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct PersonInput {
    pub name: String,
    pub email: String,
    #[serde(default)]
    pub job_title: String,
    #[serde(default)]
    pub unit_id: Option<Uuid>,
    #[serde(default)]
    pub manager_id: Option<Uuid>,
    #[serde(default = "default_kind")]
    pub kind: PersonKind,
    #[serde(default = "default_status")]
    pub status: PersonStatus,
    #[serde(default, with = "iso_date::option")]
    #[schema(value_type = Option<String>, format = Date)]
    pub departed_on: Option<Date>,
}

fn default_kind() -> PersonKind {
    PersonKind::Employee
}

fn default_status() -> PersonStatus {
    PersonStatus::Active
}

impl PersonInput {
    pub fn from_person(person: &Person) -> Self {
        Self {
            name: person.name.clone(),
            email: person.email.clone(),
            job_title: person.job_title.clone(),
            unit_id: person.unit_id,
            manager_id: person.manager_id,
            kind: person.kind,
            status: person.status,
            departed_on: person.departed_on,
        }
    }

    /// Checks everything that needs no database, given today's date (UTC).
    /// The store checks uniqueness, references and cycles.
    pub fn validate(self, today: Date) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check_name("name", &self.name);
        let email = match Email::parse(&self.email) {
            Ok(email) => email.as_str().to_owned(),
            Err(message) => {
                errors.add("email", message);
                String::new()
            }
        };
        check_departure(self.status, self.departed_on, today, &mut errors);
        errors.into_result()?;
        Ok(Self {
            name,
            email,
            job_title: self.job_title.trim().to_owned(),
            ..self
        })
    }

    /// The person's identity for matching: the email without regard to case.
    pub fn email_key(&self) -> String {
        self.email.to_lowercase()
    }
}

fn check_departure(
    status: PersonStatus,
    departed_on: Option<Date>,
    today: Date,
    errors: &mut FieldErrors,
) {
    match (status, departed_on) {
        (PersonStatus::Departed, None) => {
            errors.add("departed_on", "is required when the person has departed")
        }
        (PersonStatus::Departed, Some(date)) if date > today => errors.add(
            "departed_on",
            "cannot be in the future; record the departure on the day it happens",
        ),
        (PersonStatus::Active | PersonStatus::OnLeave, Some(_)) => {
            errors.add("departed_on", "is only set for people who have departed")
        }
        _ => {}
    }
}

/// Filters for listing people.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PersonFilter {
    /// Text found in the name or email.
    pub q: Option<String>,
    /// Only people in this unit or any unit below it.
    pub unit_id: Option<Uuid>,
    /// Only people reporting directly to this person.
    pub manager_id: Option<Uuid>,
    pub status: Option<PersonStatus>,
    pub kind: Option<PersonKind>,
    /// Only people in no unit.
    #[serde(default)]
    pub without_unit: bool,
    /// Only people whose manager has departed.
    #[serde(default)]
    pub manager_departed: bool,
}

/// Finds the people whose reporting line loops back to them, given every person's manager.
/// Returns each person on a cycle once, in the order first met.
pub fn manager_cycles(managers: &HashMap<Uuid, Option<Uuid>>) -> Vec<Uuid> {
    let mut on_cycle: Vec<Uuid> = Vec::new();
    let mut settled: HashMap<Uuid, bool> = HashMap::with_capacity(managers.len());
    for &start in managers.keys() {
        let mut path: Vec<Uuid> = Vec::new();
        let mut current = Some(start);
        while let Some(id) = current {
            if settled.contains_key(&id) {
                break;
            }
            if let Some(pos) = path.iter().position(|p| *p == id) {
                for member in &path[pos..] {
                    if !on_cycle.contains(member) {
                        on_cycle.push(*member);
                    }
                }
                break;
            }
            path.push(id);
            current = managers.get(&id).copied().flatten();
        }
        for id in path {
            settled.insert(id, true);
        }
    }
    on_cycle
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::date;

    fn input(status: PersonStatus, departed_on: Option<Date>) -> PersonInput {
        PersonInput {
            name: "Ada".into(),
            email: "ada@example.com".into(),
            job_title: String::new(),
            unit_id: None,
            manager_id: None,
            kind: PersonKind::Employee,
            status,
            departed_on,
        }
    }

    #[test]
    fn a_departure_in_the_future_is_refused() {
        let errors = input(PersonStatus::Departed, Some(date!(2030 - 01 - 01)))
            .validate(date!(2026 - 11 - 29))
            .expect_err("future");
        assert!(errors.get("departed_on").is_some());
    }

    #[test]
    fn departed_needs_a_date_and_active_has_none() {
        assert!(
            input(PersonStatus::Departed, None)
                .validate(date!(2026 - 11 - 29))
                .is_err()
        );
        assert!(
            input(PersonStatus::Active, Some(date!(2026 - 01 - 01)))
                .validate(date!(2026 - 11 - 29))
                .is_err()
        );
        assert!(
            input(PersonStatus::Departed, Some(date!(2026 - 11 - 29)))
                .validate(date!(2026 - 11 - 29))
                .is_ok()
        );
    }

    #[test]
    fn statuses_parse_from_human_spellings() {
        assert_eq!(
            "On leave".parse::<PersonStatus>(),
            Ok(PersonStatus::OnLeave)
        );
        assert_eq!(
            "CONTRACTOR".parse::<PersonKind>(),
            Ok(PersonKind::Contractor)
        );
        assert!("intern".parse::<PersonKind>().is_err());
    }

    #[test]
    fn finds_a_two_person_manager_cycle() {
        let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let managers = HashMap::from([(a, Some(b)), (b, Some(a)), (c, Some(a))]);
        let mut cycle = manager_cycles(&managers);
        cycle.sort();
        let mut expected = vec![a, b];
        expected.sort();
        assert_eq!(cycle, expected);
    }

    #[test]
    fn a_tree_has_no_cycle() {
        let (a, b, c) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let managers = HashMap::from([(a, None), (b, Some(a)), (c, Some(b))]);
        assert!(manager_cycles(&managers).is_empty());
    }
}
