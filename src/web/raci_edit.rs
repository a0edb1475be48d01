//! The editable RACI grid: one choice (-, R, A, C, I) per activity and role, saved whole; adding
//! an activity and renaming one. A refused grid comes back with the message on the activity's row
//! and every choice as it was made.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use uuid::Uuid;

use super::error::{PageResult, parse_id};
use super::forms::Field;
use super::layout::{Area, Layout};
use crate::app::AppState;
use crate::auth::principal::current_actor;
use crate::domain::FieldErrors;
use crate::domain::raci::{Activity, ActivityInput, Duty, RaciCell, RaciRole, check_cells};
use crate::store::StoreError;

/// The choices of a cell, as its `<select>` offers them.
pub const CHOICES: [&str; 5] = ["-", "R", "A", "C", "I"];

/// One `<select>` of the grid.
pub struct GridCell {
    /// `cell.<activity id>.<role id>`.
    pub name: String,
    /// The ids of the role's column head and the activity's name, which a screen reader
    /// announces as the select's name ("Risk owner Risk assessment"); short, as a full grid
    /// has thousands of cells.
    pub labelled_by: String,
    /// One of `CHOICES`.
    pub choice: &'static str,
}

/// One activity's row of selects, with the message if the row was refused.
pub struct GridRow {
    pub id: Uuid,
    /// Its position, for the id of its name (`act-<index>`).
    pub index: usize,
    pub name: String,
    pub error: Option<String>,
    pub cells: Vec<GridCell>,
}

/// A text input of the activity forms, whose id may differ from its name.
pub struct TextField {
    pub id: String,
    pub value: String,
    pub error: Option<String>,
}

impl TextField {
    /// `label` words the message: "Name is required."
    pub(super) fn new(
        id: String,
        label: &'static str,
        value: &str,
        errors: &FieldErrors,
        key: &str,
    ) -> Self {
        Self {
            id,
            value: value.to_owned(),
            error: Field::new("field", label, "")
                .with_errors(errors, key)
                .error,
        }
    }

    /// The password asked again before a binding decision: never kept, and a wrong one says
    /// that nothing was decided.
    pub(super) fn password_again(errors: &FieldErrors) -> Self {
        Self {
            id: "decision-password".into(),
            value: String::new(),
            error: errors
                .get("password")
                .map(|_| "This is not your password. Nothing was decided.".to_owned()),
        }
    }

    pub fn aria(&self) -> String {
        match self.error {
            Some(_) => format!(
                r#"aria-invalid="true" aria-describedby="{}-error""#,
                self.id
            ),
            None => String::new(),
        }
    }
}

/// The form that adds an activity, or renames one (`id` set).
pub struct ActivityForm {
    pub id: Option<Uuid>,
    pub current_name: String,
    pub name: TextField,
    pub description: TextField,
    /// Open the rename form (it was refused).
    pub open: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "roles/raci_edit.html", whitespace = "minimize")]
pub struct RaciEditPage {
    layout: Layout,
    flash: Option<&'static str>,
    /// Every catalog role, in catalog order: the grid's columns.
    roles: Vec<RaciRole>,
    rows: Vec<GridRow>,
    choices: [&'static str; 5],
    /// Links to the refused rows, for the summary at the top.
    summary: Vec<(String, String)>,
    add: ActivityForm,
    renames: Vec<ActivityForm>,
}

/// What the page shows again after a refused post.
#[derive(Default)]
struct Refusal {
    /// The choices as posted, by (activity, role).
    choices: Option<HashMap<(Uuid, Uuid), &'static str>>,
    grid_errors: FieldErrors,
    /// The add form (`None`) or a rename form, with what was typed and why it was refused.
    activity: Option<(Option<Uuid>, ActivityFormData, FieldErrors)>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct EditQuery {
    flash: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ActivityFormData {
    name: String,
    description: String,
}

pub async fn edit_raci(
    State(state): State<AppState>,
    Query(query): Query<EditQuery>,
) -> PageResult<RaciEditPage> {
    let mut page = edit_page(&state, Refusal::default()).await?;
    page.flash = match query.flash.as_str() {
        "activity_added" => {
            Some("The activity was added at the end of the grid: give it its roles.")
        }
        "activity_renamed" => Some("The activity was renamed."),
        _ => None,
    };
    Ok(page)
}

/// Saves the whole grid: every activity the form listed gets exactly the cells posted for it.
pub async fn save_raci(
    State(state): State<AppState>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult<Response> {
    let posted = PostedGrid::read(&pairs);
    if posted.activities.is_empty() {
        return Ok(Redirect::to("/roles/raci/edit").into_response());
    }
    let mut errors = posted.errors.clone();
    if let Err(more) = check_cells(&posted.cells) {
        super::forms::add_missing(&mut errors, &more);
    }
    let result = if errors.is_empty() {
        state
            .store
            .replace_raci(&current_actor(), &posted.activities, &posted.cells)
            .await
            .map(|_| ())
    } else {
        Err(StoreError::Invalid(errors))
    };
    match result {
        Ok(()) => Ok(Redirect::to("/roles/raci?flash=saved").into_response()),
        Err(StoreError::Invalid(errors)) => {
            let refusal = Refusal {
                choices: Some(posted.choices),
                grid_errors: errors,
                activity: None,
            };
            let page = edit_page(&state, refusal).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

pub async fn add_activity(
    State(state): State<AppState>,
    Form(form): Form<ActivityFormData>,
) -> PageResult<Response> {
    let input = ActivityInput {
        name: form.name.clone(),
        description: form.description.clone(),
    };
    let result = match input.validate() {
        Ok(input) => state.store.create_activity(&current_actor(), input).await,
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    activity_saved(&state, None, form, result.map(|a| a.id), "activity_added").await
}

pub async fn rename_activity(
    State(state): State<AppState>,
    Path(raw): Path<String>,
    Form(form): Form<ActivityFormData>,
) -> PageResult<Response> {
    let id = parse_id(&raw, "activity")?;
    let input = ActivityInput {
        name: form.name.clone(),
        description: form.description.clone(),
    };
    let result = match input.validate() {
        Ok(input) => {
            state
                .store
                .update_activity(&current_actor(), id, input)
                .await
        }
        Err(errors) => Err(StoreError::Invalid(errors)),
    };
    activity_saved(
        &state,
        Some(id),
        form,
        result.map(|a| a.id),
        "activity_renamed",
    )
    .await
}

async fn activity_saved(
    state: &AppState,
    target: Option<Uuid>,
    form: ActivityFormData,
    result: Result<Uuid, StoreError>,
    flash: &str,
) -> PageResult<Response> {
    match result {
        Ok(id) => {
            let to = format!("/roles/raci/edit?flash={flash}#activity-{id}");
            Ok(Redirect::to(&to).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let refusal = Refusal {
                activity: Some((target, form, errors)),
                ..Refusal::default()
            };
            let page = edit_page(state, refusal).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// The grid as posted: the activities it listed, the cells with a duty, the choices as made, and
/// what could not be read (keyed `cells.<activity id>` like the store's messages).
struct PostedGrid {
    activities: Vec<Uuid>,
    cells: Vec<RaciCell>,
    choices: HashMap<(Uuid, Uuid), &'static str>,
    errors: FieldErrors,
}

impl PostedGrid {
    fn read(pairs: &[(String, String)]) -> Self {
        let activities: Vec<Uuid> = pairs
            .iter()
            .filter(|(k, _)| k == "activity")
            .filter_map(|(_, v)| Uuid::parse_str(v.trim()).ok())
            .collect();
        let mut grid = Self {
            activities,
            cells: Vec::new(),
            choices: HashMap::new(),
            errors: FieldErrors::new(),
        };
        for (key, value) in pairs {
            if let Some((activity_id, role_id)) = cell_key(key) {
                grid.read_cell(activity_id, role_id, value);
            }
        }
        grid
    }

    fn read_cell(&mut self, activity_id: Uuid, role_id: Uuid, value: &str) {
        let field = format!("cells.{activity_id}");
        if !self.activities.contains(&activity_id) {
            self.errors.add(&field, "is not an activity of this grid");
            return;
        }
        match Duty::parse_cell(value) {
            Ok(duty) => {
                let choice = duty.map_or("-", |d| d.letter());
                self.choices.insert((activity_id, role_id), choice);
                if let Some(duty) = duty {
                    self.cells.push(RaciCell {
                        activity_id,
                        role_id,
                        duty,
                    });
                }
            }
            Err(_) => self
                .errors
                .add(&field, "has a choice that is not one of -, R, A, C or I"),
        }
    }
}

/// `cell.<activity id>.<role id>` as the two ids.
fn cell_key(key: &str) -> Option<(Uuid, Uuid)> {
    let rest = key.strip_prefix("cell.")?;
    let (activity, role) = rest.split_once('.')?;
    Some((Uuid::parse_str(activity).ok()?, Uuid::parse_str(role).ok()?))
}

async fn edit_page(state: &AppState, refusal: Refusal) -> PageResult<RaciEditPage> {
    let store = state.store.as_ref();
    let matrix = store.raci_matrix().await?;
    let saved: HashMap<(Uuid, Uuid), &'static str> = matrix
        .lookup()
        .into_iter()
        .map(|(key, duty)| (key, duty.letter()))
        .collect();
    let choices = refusal.choices.as_ref().unwrap_or(&saved);
    let rows = grid_rows(
        &matrix.activities,
        &matrix.roles,
        choices,
        &refusal.grid_errors,
    );
    let summary = grid_summary(&rows, &refusal.grid_errors);
    let (add, renames) = activity_forms(&matrix.activities, refusal.activity);
    Ok(RaciEditPage {
        layout: Layout::load(state, Area::Roles, "Edit the RACI matrix").await,
        flash: None,
        roles: matrix.roles,
        rows,
        choices: CHOICES,
        summary,
        add,
        renames,
    })
}

/// Links to the refused rows, then the messages that belong to no row shown.
fn grid_summary(rows: &[GridRow], errors: &FieldErrors) -> Vec<(String, String)> {
    let mut summary: Vec<(String, String)> = rows
        .iter()
        .filter_map(|r| {
            let error = r.error.as_ref()?;
            Some((
                format!("#activity-{}", r.id),
                format!("{}: {error}", r.name),
            ))
        })
        .collect();
    let shown = |key: &str| rows.iter().any(|r| key == format!("cells.{}", r.id));
    for (key, messages) in errors.iter().filter(|(key, _)| !shown(key)) {
        let text = sentence(&format!(
            "{} {}",
            key.replace(['_', '.'], " "),
            messages.join("; ")
        ));
        summary.push(("#grid".to_owned(), text));
    }
    summary
}

fn grid_rows(
    activities: &[Activity],
    roles: &[RaciRole],
    choices: &HashMap<(Uuid, Uuid), &'static str>,
    errors: &FieldErrors,
) -> Vec<GridRow> {
    activities
        .iter()
        .enumerate()
        .map(|(row, activity)| GridRow {
            id: activity.id,
            index: row,
            name: activity.name.clone(),
            error: errors
                .get(&format!("cells.{}", activity.id))
                .map(|m| sentence(&format!("This activity {}", m.join("; ")))),
            cells: roles
                .iter()
                .enumerate()
                .map(|(column, role)| GridCell {
                    name: format!("cell.{}.{}", activity.id, role.id),
                    labelled_by: format!("role-{column} act-{row}"),
                    choice: choices.get(&(activity.id, role.id)).copied().unwrap_or("-"),
                })
                .collect(),
        })
        .collect()
}

/// The add form and one rename form per activity; the refused one shows what was typed.
fn activity_forms(
    activities: &[Activity],
    refused: Option<(Option<Uuid>, ActivityFormData, FieldErrors)>,
) -> (ActivityForm, Vec<ActivityForm>) {
    let none = FieldErrors::new();
    let (target, typed, errors) = match &refused {
        Some((target, typed, errors)) => (Some(*target), Some(typed), errors),
        None => (None, None, &none),
    };
    let form = |id: Option<Uuid>, name: &str, description: &str| {
        let refused_here = target == Some(id);
        let errors = if refused_here { errors } else { &none };
        let (name_value, description_value) = match typed.filter(|_| refused_here) {
            Some(t) => (t.name.as_str(), t.description.as_str()),
            None => (name, description),
        };
        let prefix = id.map_or("new-activity".to_owned(), |id| format!("rename-{id}"));
        ActivityForm {
            id,
            current_name: name.to_owned(),
            name: TextField::new(format!("{prefix}-name"), "Name", name_value, errors, "name"),
            description: TextField::new(
                format!("{prefix}-description"),
                "Description",
                description_value,
                errors,
                "description",
            ),
            open: refused_here,
        }
    };
    let add = form(None, "", "");
    let renames = activities
        .iter()
        .map(|a| form(Some(a.id), &a.name, &a.description))
        .collect();
    (add, renames)
}

/// A message as a sentence: capitalized, with a full stop.
fn sentence(message: &str) -> String {
    super::share_links::sentence(message)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_posted_grid_keeps_every_choice_and_only_cells_with_a_duty() {
        let (activity, role_a, role_b) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let pairs = vec![
            ("csrf_token".to_owned(), "t".to_owned()),
            ("activity".to_owned(), activity.to_string()),
            (format!("cell.{activity}.{role_a}"), "A".to_owned()),
            (format!("cell.{activity}.{role_b}"), "-".to_owned()),
        ];
        let grid = PostedGrid::read(&pairs);
        assert_eq!(grid.activities, vec![activity]);
        assert_eq!(grid.cells.len(), 1);
        assert_eq!(grid.cells[0].duty, Duty::Accountable);
        assert_eq!(grid.choices.get(&(activity, role_b)), Some(&"-"));
        assert!(grid.errors.is_empty());
    }

    #[test]
    fn a_cell_outside_the_grid_or_with_an_unknown_letter_is_refused_on_its_row() {
        let (listed, other, role) = (Uuid::now_v7(), Uuid::now_v7(), Uuid::now_v7());
        let pairs = vec![
            ("activity".to_owned(), listed.to_string()),
            (format!("cell.{listed}.{role}"), "X".to_owned()),
            (format!("cell.{other}.{role}"), "R".to_owned()),
        ];
        let grid = PostedGrid::read(&pairs);
        assert!(grid.errors.get(&format!("cells.{listed}")).is_some());
        assert!(grid.errors.get(&format!("cells.{other}")).is_some());
        assert!(grid.cells.is_empty());
    }
}
