//! ISMS activities and the RACI matrix: which roles are Responsible, Accountable, Consulted or
//! Informed for each activity, with exactly one Accountable role per activity.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::ToSchema;
use uuid::Uuid;

use super::FieldErrors;

/// An ISMS activity that needs an owner.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct Activity {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    /// Position in the matrix (smallest first).
    pub position: i32,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

#[derive(Debug, Clone, PartialEq, Deserialize, ToSchema)]
pub struct ActivityInput {
    pub name: String,
    #[serde(default)]
    pub description: String,
}

impl ActivityInput {
    pub fn validate(mut self) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        self.name = errors.check_name("name", &self.name);
        self.description = self.description.trim().to_owned();
        if self.description.chars().count() > 2000 {
            errors.add("description", "must be at most 2000 characters");
        }
        errors.into_result()?;
        Ok(self)
    }
}

/// One letter of RACI.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Duty {
    Responsible,
    Accountable,
    Consulted,
    Informed,
}

text_enum!(Duty, "RACI duty", Responsible => "responsible", Accountable => "accountable",
    Consulted => "consulted", Informed => "informed");

impl Duty {
    pub fn letter(self) -> &'static str {
        match self {
            Duty::Responsible => "R",
            Duty::Accountable => "A",
            Duty::Consulted => "C",
            Duty::Informed => "I",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Duty::Responsible => "Responsible",
            Duty::Accountable => "Accountable",
            Duty::Consulted => "Consulted",
            Duty::Informed => "Informed",
        }
    }

    /// A cell's text: a letter (any case) or a word; empty means no duty.
    pub fn parse_cell(text: &str) -> Result<Option<Duty>, String> {
        match text.trim().to_ascii_uppercase().as_str() {
            "" | "-" => Ok(None),
            "R" => Ok(Some(Duty::Responsible)),
            "A" => Ok(Some(Duty::Accountable)),
            "C" => Ok(Some(Duty::Consulted)),
            "I" => Ok(Some(Duty::Informed)),
            _ => text.parse().map(Some),
        }
    }
}

/// One cell of the matrix that carries a duty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
pub struct RaciCell {
    pub activity_id: Uuid,
    pub role_id: Uuid,
    pub duty: Duty,
}

/// The whole matrix: activities in order, the roles that carry a duty, and the cells.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ToSchema)]
pub struct RaciMatrix {
    pub activities: Vec<Activity>,
    /// Roles as (id, name), in catalog order.
    pub roles: Vec<RaciRole>,
    pub cells: Vec<RaciCell>,
}

#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct RaciRole {
    pub id: Uuid,
    pub name: String,
}

impl RaciMatrix {
    /// Cells keyed by (activity, role).
    pub fn lookup(&self) -> HashMap<(Uuid, Uuid), Duty> {
        self.cells
            .iter()
            .map(|c| ((c.activity_id, c.role_id), c.duty))
            .collect()
    }

    /// The Accountable role of an activity, if it has one.
    pub fn accountable(&self, activity_id: Uuid) -> Option<Uuid> {
        self.cells
            .iter()
            .find(|c| c.activity_id == activity_id && c.duty == Duty::Accountable)
            .map(|c| c.role_id)
    }
}

/// Checks a new set of cells for one activity or a whole matrix: at most one Accountable per
/// activity (an activity without one is a gap, reported, not refused, so a grid can be filled in
/// steps). Errors are keyed `cells.<activity id>`.
pub fn check_cells(cells: &[RaciCell]) -> Result<(), FieldErrors> {
    let mut accountable: HashMap<Uuid, usize> = HashMap::new();
    let mut seen = std::collections::HashSet::new();
    let mut errors = FieldErrors::new();
    for cell in cells {
        if !seen.insert((cell.activity_id, cell.role_id)) {
            errors.add(
                &format!("cells.{}", cell.activity_id),
                "names the same role twice for one activity",
            );
        }
        if cell.duty == Duty::Accountable {
            *accountable.entry(cell.activity_id).or_default() += 1;
        }
    }
    for (activity, n) in accountable {
        if n > 1 {
            errors.add(
                &format!("cells.{activity}"),
                "has more than one Accountable role: exactly one role is accountable for an activity",
            );
        }
    }
    errors.into_result()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_read_letters_and_words() {
        assert_eq!(Duty::parse_cell(" a "), Ok(Some(Duty::Accountable)));
        assert_eq!(Duty::parse_cell("informed"), Ok(Some(Duty::Informed)));
        assert_eq!(Duty::parse_cell(""), Ok(None));
        assert!(Duty::parse_cell("X").is_err());
    }

    #[test]
    fn two_accountable_roles_for_one_activity_are_refused() {
        let activity = Uuid::now_v7();
        let cell = |duty| RaciCell {
            activity_id: activity,
            role_id: Uuid::now_v7(),
            duty,
        };
        assert!(check_cells(&[cell(Duty::Accountable), cell(Duty::Responsible)]).is_ok());
        let errors =
            check_cells(&[cell(Duty::Accountable), cell(Duty::Accountable)]).expect_err("refused");
        assert!(errors.get(&format!("cells.{activity}")).is_some());
    }
}
