//! Preparing a management review by form, and changing a draft: the title, the date, the chair
//! (chosen among top management), who attended (by email, one a line) and the minutes.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::Date;
use uuid::Uuid;

use super::attendees::attendees_by_email;
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::FieldErrors;
use crate::domain::review::{ManagementReview, ReviewInput, ReviewPatch, ReviewStatus};
use crate::store::{Store, StoreError, StoreResult};
use crate::web::error::{PageError, PageResult, parse_id};
use crate::web::forms::{
    Field, SelectOption, add_missing, error_summary, format_date, parse_optional_date,
    parse_optional_id,
};
use crate::web::layout::{Area, Layout};

/// The form as submitted, all text.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ReviewForm {
    title: String,
    held_on: String,
    chair_id: String,
    /// Emails, one a line.
    attendees: String,
    minutes: String,
}

impl ReviewForm {
    fn from_review(review: &ManagementReview) -> Self {
        Self {
            title: review.title.clone(),
            held_on: format_date(review.held_on),
            chair_id: review.chair_id.to_string(),
            attendees: review
                .attendees
                .iter()
                .map(|a| a.email.clone())
                .collect::<Vec<_>>()
                .join("\n"),
            minutes: review.minutes.clone(),
        }
    }

    /// The input for the store, or every message the form can find without it.
    async fn to_input(&self, store: &dyn Store) -> StoreResult<Result<ReviewInput, FieldErrors>> {
        let mut errors = FieldErrors::new();
        let held_on = match parse_optional_date(&self.held_on) {
            Ok(Some(date)) => date,
            Ok(None) => {
                errors.add("held_on", "is required");
                today()
            }
            Err(()) => {
                errors.add("held_on", "is not a date (YYYY-MM-DD)");
                today()
            }
        };
        let chair_id = parse_optional_id(&self.chair_id).ok().flatten();
        if chair_id.is_none() {
            errors.add(
                "chair_id",
                "is required: choose the member of top management who chairs",
            );
        }
        let attendee_ids = attendees_by_email(store, &self.attendees, &mut errors).await?;
        let input = ReviewInput {
            title: self.title.clone(),
            held_on,
            chair_id: chair_id.unwrap_or_default(),
            attendee_ids,
            minutes: self.minutes.clone(),
        };
        Ok(match input.validate() {
            Ok(valid) if errors.is_empty() => Ok(valid),
            Ok(_) => Err(errors),
            Err(more) => {
                add_missing(&mut errors, &more);
                Err(errors)
            }
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "reviews/form.html", whitespace = "minimize")]
pub struct ReviewFormPage {
    layout: Layout,
    /// The draft being changed (none when preparing a new one).
    editing: Option<Uuid>,
    summary: Vec<(String, String)>,
    title: Field,
    held_on: Field,
    chair: Field,
    chairs: Vec<SelectOption>,
    attendees: Field,
    minutes: Field,
}

impl ReviewFormPage {
    fn action(&self) -> String {
        match self.editing {
            Some(id) => format!("/leadership/reviews/{id}/edit"),
            None => "/leadership/reviews".to_owned(),
        }
    }
}

async fn form_page(
    state: &AppState,
    form: ReviewForm,
    errors: &FieldErrors,
    editing: Option<(Uuid, &str)>,
) -> PageResult<ReviewFormPage> {
    let day = parse_optional_date(&form.held_on)
        .ok()
        .flatten()
        .unwrap_or_else(today);
    let chairs = chair_options(state.store.as_ref(), day, &form.chair_id, editing).await?;
    let field =
        |id, label, value: &str, key: &str| Field::new(id, label, value).with_errors(errors, key);
    let title = field("title", "Title", &form.title, "title");
    let held_on = field("held_on", "Held on", &form.held_on, "held_on");
    let chair = field("chair_id", "Chair", &form.chair_id, "chair_id");
    let attendees = field("attendees", "Attendees", &form.attendees, "attendee_ids");
    let minutes = field("minutes", "Minutes", &form.minutes, "minutes");
    let heading = if editing.is_some() {
        "Change the draft review"
    } else {
        "Prepare a management review"
    };
    Ok(ReviewFormPage {
        layout: Layout::load(state, Area::Leadership, heading).await,
        editing: editing.map(|(id, _)| id),
        summary: error_summary(&[&title, &held_on, &chair, &attendees, &minutes]),
        title,
        held_on,
        chair,
        chairs,
        attendees,
        minutes,
    })
}

/// Top management on the day, and the current chair of a draft even if no longer among them.
async fn chair_options(
    store: &dyn Store,
    day: Date,
    selected: &str,
    editing: Option<(Uuid, &str)>,
) -> StoreResult<Vec<SelectOption>> {
    let mut options = vec![SelectOption::new(
        "",
        "Choose the chair",
        selected.is_empty(),
    )];
    let people = store.top_management_on(day).await?;
    for person in &people {
        let id = person.person_id.to_string();
        options.push(SelectOption::new(
            id.clone(),
            person.name.clone(),
            id == selected,
        ));
    }
    if let Some((_, chair_name)) = editing
        && !selected.is_empty()
        && !people.iter().any(|p| p.person_id.to_string() == selected)
    {
        options.push(SelectOption::new(selected, chair_name, true));
    }
    Ok(options)
}

pub async fn new_review(State(state): State<AppState>) -> PageResult<ReviewFormPage> {
    let form = ReviewForm {
        held_on: format_date(today()),
        ..ReviewForm::default()
    };
    form_page(&state, form, &FieldErrors::new(), None).await
}

pub async fn create_review(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Form(form): Form<ReviewForm>,
) -> PageResult<Response> {
    let store = state.store.as_ref();
    let result = match form.to_input(store).await? {
        Err(errors) => Err(StoreError::Invalid(errors)),
        Ok(input) => store.create_management_review(&caller.account, input).await,
    };
    match result {
        Ok(review) => {
            let to = format!("/leadership/reviews/{}?flash=prepared", review.id);
            Ok(Redirect::to(&to).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let page = form_page(&state, form, &errors, None).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}

/// A draft, or 409 for a signed review (its record no longer changes).
async fn draft(store: &dyn Store, raw: &str) -> PageResult<ManagementReview> {
    let review = store
        .get_management_review(parse_id(raw, "management review")?)
        .await?;
    if review.status == ReviewStatus::Signed {
        return Err(PageError::Conflict(
            "This management review is signed: its record is locked and can no longer change"
                .into(),
        ));
    }
    Ok(review)
}

pub async fn edit_review(
    State(state): State<AppState>,
    Path(raw): Path<String>,
) -> PageResult<ReviewFormPage> {
    let review = draft(state.store.as_ref(), &raw).await?;
    let form = ReviewForm::from_review(&review);
    form_page(
        &state,
        form,
        &FieldErrors::new(),
        Some((review.id, &review.chair_name)),
    )
    .await
}

pub async fn update_review(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Form(form): Form<ReviewForm>,
) -> PageResult<Response> {
    let store = state.store.as_ref();
    let review = draft(store, &raw).await?;
    let result = match form.to_input(store).await? {
        Err(errors) => Err(StoreError::Invalid(errors)),
        Ok(input) => {
            let patch = ReviewPatch {
                title: Some(input.title),
                held_on: Some(input.held_on),
                chair_id: Some(input.chair_id),
                attendee_ids: Some(input.attendee_ids),
                minutes: Some(input.minutes),
            };
            store
                .update_management_review(&caller.account, review.id, patch)
                .await
        }
    };
    match result {
        Ok(_) => {
            let to = format!("/leadership/reviews/{}?flash=updated", review.id);
            Ok(Redirect::to(&to).into_response())
        }
        Err(StoreError::Invalid(errors)) => {
            let editing = Some((review.id, review.chair_name.as_str()));
            let page = form_page(&state, form, &errors, editing).await?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
        }
        Err(other) => Err(other.into()),
    }
}
