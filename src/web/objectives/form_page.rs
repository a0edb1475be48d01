//! The objective form as a page: each field with its label, what was typed and its message,
//! the organization's themes to choose from and the policies to link.

use askama::Template;
use askama_web::WebTemplate;
use uuid::Uuid;

use super::form::ObjectiveForm;
use crate::app::{AppState, today};
use crate::domain::objective::Direction;
use crate::domain::policy::PolicyFilter;
use crate::domain::{FieldErrors, PageRequest};
use crate::store::Store;
use crate::web::error::PageResult;
use crate::web::forms::{Field, SelectOption, error_summary};
use crate::web::layout::{Area, Layout};
use crate::web::role_views::leftover_messages;

#[derive(Template, WebTemplate)]
#[template(path = "objectives/form.html", whitespace = "minimize")]
pub struct ObjectiveFormPage {
    layout: Layout,
    heading: String,
    action: String,
    cancel_href: String,
    submit_label: &'static str,
    summary: Vec<(String, String)>,
    others: Vec<String>,
    refusal: Option<String>,
    statement: Field,
    metric: Field,
    unit: Field,
    target: Field,
    direction: Field,
    directions: Vec<SelectOption>,
    owner_email: Field,
    due_on: Field,
    measurement_interval_days: Field,
    theme: Field,
    themes: Vec<String>,
    policy_id: Field,
    policies: Vec<SelectOption>,
}

const SHOWN: [&str; 10] = [
    "statement",
    "metric",
    "unit",
    "target",
    "direction",
    "owner_id",
    "due_on",
    "measurement_interval_days",
    "theme",
    "policy_id",
];

pub async fn form_page(
    state: &AppState,
    id: Option<Uuid>,
    form: ObjectiveForm,
    errors: &FieldErrors,
    refusal: Option<String>,
) -> PageResult<ObjectiveFormPage> {
    let field = |id: &'static str, key: &str, label: &'static str, value: &str| {
        Field::new(id, label, value).with_errors(errors, key)
    };
    let statement = field("statement", "statement", "Objective", &form.statement);
    let metric = field("metric", "metric", "Metric", &form.metric);
    let unit = field("unit", "unit", "Unit", &form.unit);
    let target = field("target", "target", "Target", &form.target);
    let direction = field("direction", "direction", "Direction", &form.direction);
    let owner_email = field("owner_email", "owner_id", "Owner", &form.owner_email);
    let due_on = field("due_on", "due_on", "Due date", &form.due_on);
    let measurement_interval_days = field(
        "measurement_interval_days",
        "measurement_interval_days",
        "Measured every (days)",
        &form.measurement_interval_days,
    );
    let theme = field("theme", "theme", "Strategic theme", &form.theme);
    let policy_id = field("policy_id", "policy_id", "Linked policy", &form.policy_id);
    let (heading, action, cancel_href, submit_label) = match id {
        Some(id) => (
            "Edit objective".to_owned(),
            format!("/leadership/objectives/{id}"),
            format!("/leadership/objectives/{id}"),
            "Save changes",
        ),
        None => (
            "New objective".to_owned(),
            "/leadership/objectives".to_owned(),
            "/leadership/objectives".to_owned(),
            "Set the objective",
        ),
    };
    let summary = error_summary(&[
        &statement,
        &metric,
        &unit,
        &target,
        &direction,
        &owner_email,
        &due_on,
        &measurement_interval_days,
        &theme,
        &policy_id,
    ]);
    Ok(ObjectiveFormPage {
        layout: Layout::load(state, Area::Leadership, heading.clone()).await,
        heading,
        action,
        cancel_href,
        submit_label,
        summary,
        others: leftover_messages(errors, &SHOWN, |k| k.replace('_', " ")),
        refusal,
        directions: Direction::ALL
            .iter()
            .map(|d| SelectOption::new(d.as_str(), d.label(), d.as_str() == direction.value))
            .collect(),
        themes: state.store.organization().await?.strategic_themes,
        policies: policy_options(state.store.as_ref(), &policy_id.value).await?,
        statement,
        metric,
        unit,
        target,
        direction,
        owner_email,
        due_on,
        measurement_interval_days,
        theme,
        policy_id,
    })
}

async fn policy_options(store: &dyn Store, chosen: &str) -> PageResult<Vec<SelectOption>> {
    let page = store
        .list_policies(
            &PolicyFilter::default(),
            today(),
            PageRequest::new(Some(1), Some(100)),
        )
        .await?;
    Ok(
        std::iter::once(SelectOption::new("", "None", chosen.is_empty()))
            .chain(page.items.iter().map(|p| {
                let id = p.policy.id.to_string();
                let selected = id == chosen;
                SelectOption::new(id, p.policy.title.clone(), selected)
            }))
            .collect(),
    )
}
