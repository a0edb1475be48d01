//! Org units: a tree of departments and teams, each with an optional head.

use serde::{Deserialize, Serialize};
use time::OffsetDateTime;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

use super::FieldErrors;

/// An org unit as stored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct Unit {
    pub id: Uuid,
    pub name: String,
    pub description: String,
    pub parent_id: Option<Uuid>,
    pub head_id: Option<Uuid>,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
    #[serde(with = "time::serde::rfc3339")]
    pub updated_at: OffsetDateTime,
}

/// The editable fields of a unit.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct UnitInput {
    pub name: String,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub parent_id: Option<Uuid>,
    #[serde(default)]
    pub head_id: Option<Uuid>,
}

impl UnitInput {
    /// Checks what needs no database; the store checks references and cycles.
    pub fn validate(self) -> Result<Self, FieldErrors> {
        let mut errors = FieldErrors::new();
        let name = errors.check_name("name", &self.name);
        errors.into_result()?;
        Ok(Self {
            name,
            description: self.description.trim().to_owned(),
            ..self
        })
    }

    pub fn from_unit(unit: &Unit) -> Self {
        Self {
            name: unit.name.clone(),
            description: unit.description.clone(),
            parent_id: unit.parent_id,
            head_id: unit.head_id,
        }
    }
}

/// Filters for listing units.
#[derive(Debug, Clone, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UnitFilter {
    /// Text found in the unit's name.
    pub q: Option<String>,
    /// Only the direct children of this unit.
    pub parent_id: Option<Uuid>,
}

/// Units ordered as a tree: each unit followed by its children, with its depth.
pub fn tree_order(units: &[Unit]) -> Vec<(usize, &Unit)> {
    fn visit<'a>(
        parent: Option<Uuid>,
        depth: usize,
        units: &'a [Unit],
        out: &mut Vec<(usize, &'a Unit)>,
    ) {
        let mut children: Vec<&Unit> = units.iter().filter(|u| u.parent_id == parent).collect();
        children.sort_by(|a, b| a.name.cmp(&b.name));
        for child in children {
            out.push((depth, child));
            if out.len() <= units.len() {
                visit(Some(child.id), depth + 1, units, out);
            }
        }
    }
    let mut out = Vec::with_capacity(units.len());
    visit(None, 0, units, &mut out);
    out
}

/// The unit and every unit below it.
pub fn subtree_ids(units: &[Unit], root: Uuid) -> Vec<Uuid> {
    let mut ids = vec![root];
    let mut cursor = 0;
    while cursor < ids.len() {
        let current = ids[cursor];
        let children: Vec<Uuid> = units
            .iter()
            .filter(|u| u.parent_id == Some(current) && !ids.contains(&u.id))
            .map(|u| u.id)
            .collect();
        ids.extend(children);
        cursor += 1;
    }
    ids
}
