//! Launching a campaign by form: a published version, the audience, the due date, the reminder
//! schedule and the statement, each refusal shown beside its field with what was typed kept.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::{Date, Duration};

use super::audience_form::{AudienceFields, AudienceForm};
use super::forms::{Field, SelectOption, format_date, parse_optional_date, parse_optional_id};
use super::layout::{Area, Layout};
use super::policy_views::{PolicyResult, sentence};
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::campaign_actions::DEFAULT_DAYS_TO_ACKNOWLEDGE;
use crate::domain::campaign::{CampaignInput, DEFAULT_STATEMENT, MAX_DUE_DAYS, ReminderSchedule};
use crate::domain::policy::PolicyFilter;
use crate::domain::{FieldErrors, PageRequest};
use crate::store::{Store, StoreError, StoreResult};

/// The campaign form as submitted, all text (units and roles repeat, so it is read as pairs).
#[derive(Debug, Clone, Default)]
pub struct CampaignForm {
    version_id: String,
    title: String,
    audience: AudienceForm,
    due_on: String,
    days_before: String,
    on_due_date: bool,
    every_days_after: String,
    statement: String,
}

impl CampaignForm {
    fn new(version_id: String, today: Date) -> Self {
        let schedule = ReminderSchedule::default();
        let numbers: Vec<String> = schedule.days_before.iter().map(u32::to_string).collect();
        Self {
            version_id,
            audience: AudienceForm {
                kind: "policy".into(),
                ..AudienceForm::default()
            },
            due_on: format_date(today + Duration::days(DEFAULT_DAYS_TO_ACKNOWLEDGE)),
            days_before: numbers.join(", "),
            on_due_date: schedule.on_due_date,
            every_days_after: schedule
                .every_days_after
                .map(|d| d.to_string())
                .unwrap_or_default(),
            statement: DEFAULT_STATEMENT.to_owned(),
            ..Self::default()
        }
    }

    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = Self::default();
        for (name, value) in pairs {
            if form.audience.take(&name, &value) {
                continue;
            }
            match name.as_str() {
                "version_id" => form.version_id = value,
                "title" => form.title = value,
                "due_on" => form.due_on = value,
                "days_before" => form.days_before = value,
                "on_due_date" => form.on_due_date = value == "yes",
                "every_days_after" => form.every_days_after = value,
                "statement" => form.statement = value,
                _ => {}
            }
        }
        form
    }

    fn schedule(&self, errors: &mut FieldErrors) -> ReminderSchedule {
        let days_before = self
            .days_before
            .split([',', ' ', ';'])
            .filter(|d| !d.trim().is_empty())
            .map(|d| d.trim().parse::<u32>())
            .collect::<Result<Vec<u32>, _>>()
            .unwrap_or_else(|_| {
                errors.add(
                    "reminders.days_before",
                    "must be numbers of days, such as 7, 1",
                );
                Vec::new()
            });
        let every_days_after = match self.every_days_after.trim() {
            "" => None,
            text => text.parse::<u32>().map(Some).unwrap_or_else(|_| {
                errors.add("reminders.every_days_after", "must be a number of days");
                None
            }),
        };
        ReminderSchedule {
            days_before,
            on_due_date: self.on_due_date,
            every_days_after,
        }
    }

    /// The input for the store, or every message the form can find without it.
    async fn to_input(
        &self,
        store: &dyn Store,
        today: Date,
    ) -> StoreResult<Result<CampaignInput, FieldErrors>> {
        let mut errors = FieldErrors::new();
        let version_id = parse_optional_id(&self.version_id).ok().flatten();
        if version_id.is_none() {
            errors.add("version_id", "is required: choose a published version");
        }
        let due_on = match parse_optional_date(&self.due_on) {
            Ok(Some(date)) => date,
            Ok(None) => {
                errors.add("due_on", "is required");
                today
            }
            Err(()) => {
                errors.add("due_on", "is not a date (YYYY-MM-DD)");
                today
            }
        };
        let audience = self.audience.resolve(store, &mut errors).await?;
        let input = CampaignInput {
            version_id: version_id.unwrap_or_default(),
            title: Some(self.title.clone()),
            audience,
            due_on,
            statement: Some(self.statement.clone()),
            reminders: Some(self.schedule(&mut errors)),
        };
        Ok(match input.validate(today) {
            Ok(valid) if errors.is_empty() => Ok(valid),
            Ok(_) => Err(errors),
            Err(more) => {
                super::forms::add_missing(&mut errors, &more);
                Err(errors)
            }
        })
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "campaigns/form.html", whitespace = "minimize")]
pub struct CampaignFormPage {
    layout: Layout,
    notice: Option<&'static str>,
    refusal: Option<String>,
    summary: Vec<String>,
    version: Field,
    versions: Vec<SelectOption>,
    title: Field,
    audience: AudienceFields,
    due_on: Field,
    days_before: Field,
    on_due_date: bool,
    every_days_after: Field,
    statement: Field,
    min_date: String,
    max_date: String,
}

/// The fields in the order of the form, each with its messages; the summary lists them all.
async fn form_page(
    state: &AppState,
    form: CampaignForm,
    errors: &FieldErrors,
    refusal: Option<String>,
) -> PolicyResult<CampaignFormPage> {
    let store = state.store.as_ref();
    let today = today();
    let (versions, own) = version_options(store, &form.version_id).await?;
    let units = store.all_units().await?;
    let field =
        |id, label, value: String, key: &str| Field::new(id, label, value).with_errors(errors, key);
    Ok(CampaignFormPage {
        layout: Layout::load(state, Area::Campaigns, "New campaign").await,
        notice: None,
        refusal,
        summary: errors
            .iter()
            .map(|(key, messages)| sentence(&format!("{}: {}", label_of(key), messages.join("; "))))
            .collect(),
        version: field(
            "version_id",
            "Policy version",
            form.version_id.clone(),
            "version_id",
        ),
        versions,
        title: field("title", "Title", form.title.clone(), "title"),
        audience: form.audience.view(&units, own, errors),
        due_on: field("due_on", "Due date", form.due_on.clone(), "due_on"),
        days_before: field(
            "days_before",
            "Days before the due date",
            form.days_before.clone(),
            "reminders.days_before",
        ),
        on_due_date: form.on_due_date,
        every_days_after: field(
            "every_days_after",
            "Every so many days once overdue",
            form.every_days_after.clone(),
            "reminders.every_days_after",
        ),
        statement: field(
            "statement",
            "Statement",
            form.statement.clone(),
            "statement",
        ),
        min_date: format_date(today),
        max_date: format_date(today + Duration::days(MAX_DUE_DAYS)),
    })
}

fn label_of(key: &str) -> &str {
    match key {
        "version_id" => "Policy version",
        "audience" => "Audience",
        "people" => "Named people",
        "due_on" => "Due date",
        "reminders.days_before" => "Days before the due date",
        "reminders.every_days_after" => "Reminders once overdue",
        other => other,
    }
}

/// The versions in force, by policy title, and the selected policy's own audience in words.
async fn version_options(
    store: &dyn Store,
    selected: &str,
) -> StoreResult<(Vec<SelectOption>, Option<String>)> {
    let filter = PolicyFilter {
        published_only: true,
        ..PolicyFilter::default()
    };
    let all = PageRequest::new(Some(1), Some(crate::domain::page::MAX_PER_PAGE));
    let policies = store.list_policies(&filter, today(), all).await?.items;
    let mut options = vec![SelectOption::new(
        "",
        "Choose a published version",
        selected.is_empty(),
    )];
    let mut own = None;
    for summary in policies {
        let Some(version) = store.published_version(summary.policy.id).await? else {
            continue;
        };
        let chosen = version.id.to_string() == selected.trim();
        if chosen {
            own = Some(summary.policy.audience.describe());
        }
        let label = format!("{}, version {}", summary.policy.title, version.number);
        options.push(SelectOption::new(version.id.to_string(), label, chosen));
    }
    Ok((
        options,
        own.or_else(|| Some("as set on the policy".to_owned())),
    ))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct NewCampaignQuery {
    version_id: String,
    flash: String,
}

pub async fn new_campaign(
    State(state): State<AppState>,
    Query(query): Query<NewCampaignQuery>,
) -> PolicyResult<CampaignFormPage> {
    let form = CampaignForm::new(query.version_id.trim().to_owned(), today());
    let mut page = form_page(&state, form, &FieldErrors::new(), None).await?;
    page.notice = match query.flash.as_str() {
        "nobody" => Some(
            "The version was published and is now in force, but no campaign was launched: the \
             policy's own audience has no active person in it. Choose an audience below.",
        ),
        "not_launched" => Some(
            "The version was published and is now in force, but the campaign could not be \
             launched. Check the values below and launch it here.",
        ),
        _ => None,
    };
    Ok(page)
}

pub async fn create_campaign(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PolicyResult<Response> {
    let store = state.store.as_ref();
    let today = today();
    let form = CampaignForm::from_pairs(pairs);
    let result = match form.to_input(store, today).await? {
        Err(errors) => Err(StoreError::Invalid(errors)),
        Ok(input) => store.launch_campaign(&caller.account, input, today).await,
    };
    let (errors, refusal) = match result {
        Ok(campaign) => {
            let to = format!("/campaigns/{}?flash=launched", campaign.id);
            return Ok(Redirect::to(&to).into_response());
        }
        Err(StoreError::Invalid(errors)) => (errors, None),
        Err(StoreError::NotFound(_)) => {
            let message = "is not a version of any policy: choose a published one";
            (FieldErrors::single("version_id", message), None)
        }
        Err(StoreError::Conflict(message) | StoreError::Forbidden(message)) => {
            (FieldErrors::new(), Some(sentence(&message)))
        }
        Err(other) => return Err(other.into()),
    };
    let page = form_page(&state, form, &errors, refusal).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}
