//! The organization profile: name, purpose, ISMS scope and strategic themes, and its evidence.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::error::PageResult;
use super::evidence::{Evidence, evidence_trail};
use super::forms::{Field, error_summary};
use super::layout::{Area, Layout, display_name};
use super::moment::{Moment, moment};
use super::people::FlashQuery;
use crate::app::AppState;
use crate::auth::principal::current_actor;
use crate::domain::{FieldErrors, OrgProfile, OrgProfileInput};
use crate::store::StoreError;

#[derive(Template, WebTemplate)]
#[template(path = "organization/show.html", whitespace = "minimize")]
pub struct OrganizationPage {
    layout: Layout,
    flash: Option<String>,
    profile: OrgProfile,
    updated: Option<Moment>,
    evidence: Evidence,
}

pub async fn show_organization(
    State(state): State<AppState>,
    Query(flash): Query<FlashQuery>,
) -> PageResult<OrganizationPage> {
    let store = state.store.as_ref();
    let profile = store.organization().await?;
    Ok(OrganizationPage {
        layout: Layout::new(
            display_name(&profile.name),
            Area::Organization,
            "Organization",
        ),
        flash: flash.message("organization"),
        updated: profile
            .updated_at
            .map(|at| moment(at, time::OffsetDateTime::now_utc())),
        evidence: evidence_trail(store, "organization", "1").await?,
        profile,
    })
}

/// The form as submitted; themes come one per line.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct OrganizationForm {
    name: String,
    purpose: String,
    isms_scope: String,
    strategic_themes: String,
}

impl OrganizationForm {
    fn to_input(&self) -> OrgProfileInput {
        OrgProfileInput {
            name: self.name.clone(),
            purpose: self.purpose.clone(),
            isms_scope: self.isms_scope.clone(),
            strategic_themes: self.strategic_themes.lines().map(str::to_owned).collect(),
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "organization/form.html", whitespace = "minimize")]
pub struct OrganizationFormPage {
    layout: Layout,
    summary: Vec<(String, String)>,
    name: Field,
    purpose: Field,
    isms_scope: Field,
    strategic_themes: Field,
}

fn form_page(layout: Layout, form: OrganizationForm, errors: &FieldErrors) -> OrganizationFormPage {
    let name = Field::new("name", "Name", form.name).with_errors(errors, "name");
    let purpose = Field::new("purpose", "Purpose", form.purpose).with_errors(errors, "purpose");
    let isms_scope =
        Field::new("isms_scope", "ISMS scope", form.isms_scope).with_errors(errors, "isms_scope");
    let strategic_themes = Field::new(
        "strategic_themes",
        "Strategic themes",
        form.strategic_themes,
    )
    .with_errors(errors, "strategic_themes");
    let summary = error_summary(&[&name, &purpose, &isms_scope, &strategic_themes]);
    OrganizationFormPage {
        layout,
        summary,
        name,
        purpose,
        isms_scope,
        strategic_themes,
    }
}

pub async fn edit_organization(State(state): State<AppState>) -> PageResult<OrganizationFormPage> {
    let profile = state.store.organization().await?;
    let layout = Layout::new(
        display_name(&profile.name),
        Area::Organization,
        "Edit the organization",
    );
    let form = OrganizationForm {
        name: profile.name,
        purpose: profile.purpose,
        isms_scope: profile.isms_scope,
        strategic_themes: profile.strategic_themes.join("\n"),
    };
    Ok(form_page(layout, form, &FieldErrors::new()))
}

pub async fn update_organization(
    State(state): State<AppState>,
    Form(form): Form<OrganizationForm>,
) -> PageResult<Response> {
    match state
        .store
        .update_organization(&current_actor(), form.to_input())
        .await
    {
        Ok(_) => Ok(Redirect::to("/organization?flash=saved").into_response()),
        Err(StoreError::Invalid(errors)) => {
            let layout = Layout::load(&state, Area::Organization, "Edit the organization").await;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                form_page(layout, form, &errors),
            )
                .into_response())
        }
        Err(other) => Err(other.into()),
    }
}
