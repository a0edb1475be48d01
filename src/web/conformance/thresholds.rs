//! The organization's thresholds: what every reader sees, the form that changes them (those who
//! manage conformance), and the evidence trail of every change with its values before and after.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;

use super::super::error::{PageError, PageResult};
use super::super::evidence::{Evidence, visible_evidence_trail};
use super::super::forms::{Field, error_summary};
use super::super::layout::{Area, Layout};
use crate::app::AppState;
use crate::auth::{Caller, Principal};
use crate::domain::FieldErrors;
use crate::domain::access::Permission;
use crate::domain::assessment::THRESHOLDS_RECORD_ID;
use crate::domain::conformance::Thresholds;
use crate::store::StoreError;

#[derive(Template, WebTemplate)]
#[template(path = "conformance/thresholds.html", whitespace = "minimize")]
pub struct ThresholdsPage {
    layout: Layout,
    flash: Option<&'static str>,
    can_manage: bool,
    current: Thresholds,
    defaults: Thresholds,
    fields: Vec<(Field, &'static str)>,
    errors: Vec<(String, String)>,
    evidence: Option<Evidence>,
}

/// The form as posted: each threshold as typed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ThresholdsForm {
    period_days: String,
    reporting_interval_days: String,
    overdue_actions_percent: String,
    coverage_percent: String,
}

impl ThresholdsForm {
    fn of(t: &Thresholds) -> Self {
        Self {
            period_days: t.period_days.to_string(),
            reporting_interval_days: t.reporting_interval_days.to_string(),
            overdue_actions_percent: t.overdue_actions_percent.to_string(),
            coverage_percent: t.coverage_percent.to_string(),
        }
    }

    /// The thresholds typed, or a message for each value that is not a whole number.
    fn parse(&self) -> Result<Thresholds, FieldErrors> {
        let mut errors = FieldErrors::new();
        let mut number = |field: &str, raw: &str| match raw.trim().parse::<i64>() {
            Ok(n) => n,
            Err(_) => {
                errors.add(field, "give a whole number");
                0
            }
        };
        let t = Thresholds {
            period_days: number("period_days", &self.period_days),
            reporting_interval_days: number(
                "reporting_interval_days",
                &self.reporting_interval_days,
            ),
            overdue_actions_percent: number(
                "overdue_actions_percent",
                &self.overdue_actions_percent,
            ),
            coverage_percent: number("coverage_percent", &self.coverage_percent),
        };
        errors.into_result().map(|()| t)
    }
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct FlashQuery {
    flash: String,
}

fn fields(form: &ThresholdsForm, errors: &FieldErrors) -> Vec<(Field, &'static str)> {
    let field = |id: &'static str, label: &'static str, value: &str| {
        Field::new(id, label, value).with_errors(errors, id)
    };
    vec![
        (
            field(
                "period_days",
                "Governance period, in days",
                &form.period_days,
            ),
            "How far back \"within the period\" reaches (management reviews, communications, \
             evidence).",
        ),
        (
            field(
                "reporting_interval_days",
                "Reporting interval, in days",
                &form.reporting_interval_days,
            ),
            "How old the last performance report signed off by top management may be (5.1.e).",
        ),
        (
            field(
                "overdue_actions_percent",
                "Most improvement actions overdue, in percent",
                &form.overdue_actions_percent,
            ),
            "The largest share of overdue improvement actions that still conforms (5.1.g).",
        ),
        (
            field(
                "coverage_percent",
                "Least acknowledgment coverage, in percent",
                &form.coverage_percent,
            ),
            "The smallest share of staff who acknowledged the top-level policy, overall and per \
             unit (5.1.f, 5.2.f, A.5.4, A.6.3).",
        ),
    ]
}

async fn page(
    state: &AppState,
    caller: &Principal,
    form: Option<(ThresholdsForm, FieldErrors)>,
) -> PageResult<ThresholdsPage> {
    let store = state.store.as_ref();
    let current = store.conformance_thresholds().await?;
    let (form, errors) = form.unwrap_or_else(|| (ThresholdsForm::of(&current), FieldErrors::new()));
    let fields = fields(&form, &errors);
    let field_refs: Vec<&Field> = fields.iter().map(|(f, _)| f).collect();
    let evidence = visible_evidence_trail(
        store,
        caller,
        "conformance_thresholds",
        THRESHOLDS_RECORD_ID,
    )
    .await?;
    Ok(ThresholdsPage {
        layout: Layout::load(state, Area::Conformance, "Thresholds").await,
        flash: None,
        can_manage: caller.may(Permission::ManageConformance),
        current,
        defaults: Thresholds::default(),
        errors: error_summary(&field_refs),
        fields,
        evidence,
    })
}

pub async fn show_thresholds(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<FlashQuery>,
) -> PageResult<ThresholdsPage> {
    let mut page = page(&state, &caller, None).await?;
    page.flash = match query.flash.as_str() {
        "saved" => Some(
            "The thresholds were changed; the change is in the audit trail. The next assessment judges by them.",
        ),
        "unchanged" => Some("Nothing changed: these are the thresholds already in force."),
        _ => None,
    };
    Ok(page)
}

pub async fn save_thresholds(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Form(form): Form<ThresholdsForm>,
) -> PageResult<Response> {
    let store = state.store.as_ref();
    let errors = match form.parse() {
        Ok(wanted) => {
            let before = store.conformance_thresholds().await?;
            match store.set_thresholds(&caller.account, wanted).await {
                Ok(after) => {
                    let flash = if after == before {
                        "unchanged"
                    } else {
                        "saved"
                    };
                    let to = format!("/conformance/thresholds?flash={flash}");
                    return Ok(Redirect::to(&to).into_response());
                }
                Err(StoreError::Invalid(errors)) => errors,
                Err(other) => return Err(PageError::from(other)),
            }
        }
        Err(errors) => errors,
    };
    let page = page(&state, &caller, Some((form, errors))).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
