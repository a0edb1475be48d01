//! The person form as typed: parsed into a `PersonInput`, or shown again with each message.
//!
//! The manager is typed as an email, not picked from a list: a select of 100,000 people is
//! unusable, and an email is what people know of each other. The server resolves it to an id.

use serde::Deserialize;

use super::forms::{
    Field, add_missing, error_summary, format_date, parse_optional_date, parse_optional_id,
    person_by_email,
};
use crate::app::today;
use crate::domain::{FieldErrors, Person, PersonInput, PersonKind, PersonStatus};
use crate::store::{Store, StoreError};

/// The form as submitted: all text, so nothing typed is lost before it can be shown again.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PersonForm {
    pub name: String,
    pub email: String,
    pub job_title: String,
    pub unit_id: String,
    pub manager_email: String,
    pub kind: String,
    pub status: String,
    pub departed_on: String,
}

impl PersonForm {
    pub async fn from_person(store: &dyn Store, person: &Person) -> Result<Self, StoreError> {
        let manager_email = match person.manager_id {
            Some(id) => store.get_person(id).await?.email,
            None => String::new(),
        };
        Ok(Self {
            name: person.name.clone(),
            email: person.email.clone(),
            job_title: person.job_title.clone(),
            unit_id: person.unit_id.map(|id| id.to_string()).unwrap_or_default(),
            manager_email,
            kind: person.kind.as_str().to_owned(),
            status: person.status.as_str().to_owned(),
            departed_on: person.departed_on.map(format_date).unwrap_or_default(),
        })
    }

    /// The input for the store, or every message that can be found without writing.
    pub async fn to_input(
        &self,
        store: &dyn Store,
    ) -> Result<Result<PersonInput, FieldErrors>, StoreError> {
        let mut errors = FieldErrors::new();
        let unit_id = parse_optional_id(&self.unit_id).unwrap_or_else(|()| {
            errors.add("unit_id", "is not a known unit");
            None
        });
        let manager_id = person_by_email(store, &self.manager_email)
            .await?
            .unwrap_or_else(|()| {
                errors.add("manager_id", "is not the email of anyone in Charter");
                None
            });
        // An empty kind or status takes the same default as the API: an active employee.
        let kind =
            or_default(&self.kind, PersonKind::Employee).unwrap_or_else(|message: String| {
                errors.add("kind", message);
                PersonKind::Employee
            });
        let status =
            or_default(&self.status, PersonStatus::Active).unwrap_or_else(|message: String| {
                errors.add("status", message);
                PersonStatus::Active
            });
        let departed_on = parse_optional_date(&self.departed_on).unwrap_or_else(|()| {
            errors.add("departed_on", "is not a date (YYYY-MM-DD)");
            None
        });
        let input = PersonInput {
            name: self.name.clone(),
            email: self.email.clone(),
            job_title: self.job_title.clone(),
            unit_id,
            manager_id,
            kind,
            status,
            departed_on,
        };
        if errors.is_empty() {
            return Ok(Ok(input));
        }
        // Show the rules the store would apply too, so one submit reveals every problem.
        if let Err(more) = input.validate(today()) {
            add_missing(&mut errors, &more);
        }
        Ok(Err(errors))
    }
}

fn or_default<T: std::str::FromStr<Err = String>>(raw: &str, default: T) -> Result<T, String> {
    if raw.trim().is_empty() {
        Ok(default)
    } else {
        raw.parse()
    }
}

/// The form's fields with their messages, named as the template uses them.
pub struct PersonFields {
    pub name: Field,
    pub email: Field,
    pub job_title: Field,
    pub unit_id: Field,
    pub manager_email: Field,
    pub kind: Field,
    pub status: Field,
    pub departed_on: Field,
}

impl PersonFields {
    /// Store messages about `manager_id` belong next to the manager's email.
    pub fn new(form: PersonForm, errors: &FieldErrors) -> Self {
        Self {
            name: Field::new("name", "Name", form.name).with_errors(errors, "name"),
            email: Field::new("email", "Email", form.email).with_errors(errors, "email"),
            job_title: Field::new("job_title", "Job title", form.job_title)
                .with_errors(errors, "job_title"),
            unit_id: Field::new("unit_id", "Unit", form.unit_id).with_errors(errors, "unit_id"),
            manager_email: Field::new("manager_email", "Manager's email", form.manager_email)
                .with_errors(errors, "manager_id"),
            kind: Field::new("kind", "Kind", form.kind).with_errors(errors, "kind"),
            status: Field::new("status", "Status", form.status).with_errors(errors, "status"),
            departed_on: Field::new("departed_on", "Departure date", form.departed_on)
                .with_errors(errors, "departed_on"),
        }
    }

    pub fn summary(&self) -> Vec<(String, String)> {
        error_summary(&[
            &self.name,
            &self.email,
            &self.job_title,
            &self.unit_id,
            &self.manager_email,
            &self.kind,
            &self.status,
            &self.departed_on,
        ])
    }
}
