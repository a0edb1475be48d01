//! Top-management communications (5.1.d): the record of who told whom, how and when why
//! information security matters; recording one by form, optionally emailed to its audience.

use askama::Template;
use askama_web::WebTemplate;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Deserialize;
use time::Date;

use super::audience_form::{AudienceFields, AudienceForm};
use super::campaigns::describe_audience;
use super::error::parse_id;
use super::evidence::{Evidence, visible_evidence_trail};
use super::forms::{Field, SelectOption, format_date, parse_optional_date};
use super::layout::{Area, Layout};
use super::moment::{Moment, day};
use super::policy_views::{PolicyError, PolicyResult, sentence};
use super::views::Pager;
use crate::app::{AppState, today};
use crate::auth::Caller;
use crate::domain::access::Permission;
use crate::domain::communication::{Channel, Communication, CommunicationInput};
use crate::domain::{FieldErrors, PageRequest};
use crate::error::AppError;
use crate::store::{Store, StoreError, StoreResult};

pub struct CommunicationRow {
    pub communication: Communication,
    pub on: Moment,
    pub channel: &'static str,
    pub audience: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CommunicationsQuery {
    page: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "communications/list.html", whitespace = "minimize")]
pub struct CommunicationsPage {
    layout: Layout,
    rows: Vec<CommunicationRow>,
    total: i64,
    pager: Pager,
    can_record: bool,
}

pub async fn list_communications(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Query(query): Query<CommunicationsQuery>,
) -> PolicyResult<CommunicationsPage> {
    let store = state.store.as_ref();
    let request = PageRequest::new(query.page.trim().parse().ok(), None);
    let page = store.list_communications(request).await?;
    let units = store.all_units().await?;
    let today = today();
    Ok(CommunicationsPage {
        layout: Layout::load(&state, Area::Communications, "Communications").await,
        pager: Pager::new("/communications", &page, &[]),
        total: page.total,
        rows: page
            .items
            .into_iter()
            .map(|c| CommunicationRow {
                on: day(c.communicated_on, today),
                channel: c.channel.label(),
                audience: describe_audience(&c.audience, &units),
                communication: c,
            })
            .collect(),
        can_record: caller.may(Permission::RecordCommunications),
    })
}

/// The form as submitted, all text (units and roles repeat, so it is read as pairs).
#[derive(Debug, Clone, Default)]
pub struct CommunicationForm {
    audience: AudienceForm,
    channel: String,
    communicated_on: String,
    subject: String,
    body: String,
    link: String,
    send_email: bool,
}

impl CommunicationForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        let mut form = Self::default();
        for (name, value) in pairs {
            if form.audience.take(&name, &value) {
                continue;
            }
            match name.as_str() {
                "channel" => form.channel = value,
                "communicated_on" => form.communicated_on = value,
                "subject" => form.subject = value,
                "body" => form.body = value,
                "link" => form.link = value,
                "send_email" => form.send_email = value == "yes",
                _ => {}
            }
        }
        form
    }

    async fn to_input(
        &self,
        store: &dyn Store,
        today: Date,
    ) -> StoreResult<Result<CommunicationInput, FieldErrors>> {
        let mut errors = FieldErrors::new();
        let audience = self.audience.resolve(store, &mut errors).await?;
        let channel = self.channel.parse::<Channel>().unwrap_or_else(|_| {
            errors.add("channel", "is required: choose how it was communicated");
            Channel::Other
        });
        let communicated_on = match parse_optional_date(&self.communicated_on) {
            Ok(Some(date)) => date,
            _ => {
                errors.add("communicated_on", "is not a date (YYYY-MM-DD)");
                today
            }
        };
        let Some(audience) = audience else {
            if errors.get("audience").is_none() {
                errors.add("audience", "choose who is addressed");
            }
            return Ok(Err(errors));
        };
        let input = CommunicationInput {
            audience,
            channel,
            communicated_on,
            subject: self.subject.clone(),
            body: self.body.clone(),
            link: Some(self.link.clone()),
            send_email: self.send_email,
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
#[template(path = "communications/form.html", whitespace = "minimize")]
pub struct CommunicationFormPage {
    layout: Layout,
    refusal: Option<String>,
    summary: usize,
    audience: AudienceFields,
    channel: Field,
    channels: Vec<SelectOption>,
    communicated_on: Field,
    subject: Field,
    body: Field,
    link: Field,
    send_email: bool,
    max_date: String,
}

async fn form_page(
    state: &AppState,
    form: CommunicationForm,
    errors: &FieldErrors,
    refusal: Option<String>,
) -> PolicyResult<CommunicationFormPage> {
    let units = state.store.all_units().await?;
    let field = |id, label, value: &str| Field::new(id, label, value).with_errors(errors, id);
    let channels = Channel::ALL
        .iter()
        .map(|c| SelectOption::new(c.as_str(), c.label(), c.as_str() == form.channel))
        .collect();
    Ok(CommunicationFormPage {
        layout: Layout::load(state, Area::Communications, "Record a communication").await,
        refusal,
        summary: errors.iter().count(),
        audience: form.audience.view(&units, None, errors),
        channel: field("channel", "Channel", &form.channel),
        channels,
        communicated_on: field("communicated_on", "Date", &form.communicated_on),
        subject: field("subject", "Subject", &form.subject),
        body: field("body", "Text", &form.body),
        link: field("link", "Link", &form.link),
        send_email: form.send_email,
        max_date: format_date(today()),
    })
}

pub async fn new_communication(
    State(state): State<AppState>,
) -> PolicyResult<CommunicationFormPage> {
    let form = CommunicationForm {
        audience: AudienceForm {
            kind: "everyone".into(),
            ..AudienceForm::default()
        },
        channel: Channel::Meeting.as_str().to_owned(),
        communicated_on: format_date(today()),
        ..CommunicationForm::default()
    };
    form_page(&state, form, &FieldErrors::new(), None).await
}

pub async fn create_communication(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PolicyResult<Response> {
    let store = state.store.as_ref();
    let today = today();
    let form = CommunicationForm::from_pairs(pairs);
    let result = match form.to_input(store, today).await? {
        Err(errors) => Err(StoreError::Invalid(errors)),
        Ok(input) => {
            store
                .record_communication(&caller.account, input, today)
                .await
        }
    };
    let (errors, refusal) = match result {
        Ok(recorded) => {
            let to = format!("/communications/{}?flash=recorded", recorded.id);
            return Ok(Redirect::to(&to).into_response());
        }
        Err(StoreError::Invalid(errors)) => (errors, None),
        Err(StoreError::Conflict(message)) => (FieldErrors::new(), Some(sentence(&message))),
        Err(other) => return Err(PolicyError::from(AppError::from(other))),
    };
    let page = form_page(&state, form, &errors, refusal).await?;
    Ok((StatusCode::UNPROCESSABLE_ENTITY, page).into_response())
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct CommunicationQuery {
    flash: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "communications/show.html", whitespace = "minimize")]
pub struct CommunicationPage {
    layout: Layout,
    flash: bool,
    row: CommunicationRow,
    evidence: Option<Evidence>,
}

pub async fn show_communication(
    State(state): State<AppState>,
    Caller(caller): Caller,
    Path(raw): Path<String>,
    Query(query): Query<CommunicationQuery>,
) -> PolicyResult<CommunicationPage> {
    let store = state.store.as_ref();
    let communication = store
        .get_communication(parse_id(&raw, "communication")?)
        .await?;
    let units = store.all_units().await?;
    let id = communication.id.to_string();
    let evidence = visible_evidence_trail(store, &caller, "communication", &id).await?;
    Ok(CommunicationPage {
        layout: Layout::load(&state, Area::Communications, communication.subject.clone()).await,
        flash: query.flash == "recorded",
        row: CommunicationRow {
            on: day(communication.communicated_on, today()),
            channel: communication.channel.label(),
            audience: describe_audience(&communication.audience, &units),
            communication,
        },
        evidence,
    })
}
