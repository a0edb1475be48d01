//! The evidence sample page: draw a reproducible random sample of acknowledgments, assignments or
//! policy approvals (the seed shown draws the same records again) and see each with the audit
//! events that recorded it. Reading only.

use askama::Template;
use askama_web::WebTemplate;
use axum::Router;
use axum::extract::{Query, State};
use axum::routing::get;
use serde::Deserialize;
use serde_json::Value;

use super::error::PageResult;
use super::layout::{Area, Layout};
use crate::app::{AppState, today};
use crate::audit_pack::samples::{DEFAULT_SAMPLE, SampleRequest, draw};
use crate::auth::guarded;
use crate::domain::access::Permission;
use crate::domain::audit_pack::{EvidenceSample, SampleKind, SampledRecord};

/// The pages of this area, each behind its permission.
pub(super) fn routes() -> Router<AppState> {
    Router::new().route(
        "/conformance/samples",
        guarded(Permission::ExportAuditPacks, get(show_samples)),
    )
}

/// The form's fields, as the query string carries them.
#[derive(Debug, Default, Deserialize)]
pub struct SampleQuery {
    #[serde(default)]
    pub kind: String,
    #[serde(default)]
    pub size: String,
    #[serde(default)]
    pub seed: String,
    #[serde(default)]
    pub campaign_id: String,
}

/// One kind offered.
pub struct KindOption {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

/// One event that recorded a sampled record.
pub struct EventCell {
    pub seq: i64,
    pub action: String,
    pub at: String,
    pub hash: String,
}

/// One sampled record.
pub struct SampleRow {
    pub position: i64,
    pub what: String,
    pub detail: String,
    pub events: Vec<EventCell>,
}

/// The drawn sample, as shown.
pub struct DrawnView {
    pub kind: String,
    pub seed: String,
    pub size: usize,
    pub population: i64,
    pub rows: Vec<SampleRow>,
    /// The same sample as JSON, from the API.
    pub json_href: String,
}

#[derive(Template, WebTemplate)]
#[template(path = "audit_packs/samples.html", whitespace = "minimize")]
pub struct SamplesPage {
    layout: Layout,
    kinds: Vec<KindOption>,
    size: String,
    seed: String,
    campaign_id: String,
    error: Option<String>,
    drawn: Option<DrawnView>,
}

pub async fn show_samples(
    State(state): State<AppState>,
    Query(query): Query<SampleQuery>,
) -> PageResult<SamplesPage> {
    let kind: Option<SampleKind> = query.kind.parse().ok();
    let mut error = None;
    let mut drawn = None;
    if let Some(kind) = kind {
        match request(kind, &query) {
            Ok(request) => match draw(state.store.as_ref(), request, today()).await {
                Ok(sample) => drawn = Some(view(&sample)),
                Err(crate::store::StoreError::Invalid(fields)) => {
                    error = Some(fields.summary());
                }
                Err(other) => return Err(other.into()),
            },
            Err(message) => error = Some(message),
        }
    }
    let kinds = SampleKind::ALL
        .iter()
        .map(|k| KindOption {
            value: k.as_str(),
            label: kind_label(*k),
            selected: Some(*k) == kind,
        })
        .collect();
    Ok(SamplesPage {
        layout: Layout::load(&state, Area::Conformance, "Evidence samples").await,
        kinds,
        size: if query.size.is_empty() {
            DEFAULT_SAMPLE.to_string()
        } else {
            query.size.clone()
        },
        seed: drawn
            .as_ref()
            .map_or_else(|| query.seed.clone(), |d| d.seed.clone()),
        campaign_id: query.campaign_id.clone(),
        error,
        drawn,
    })
}

fn kind_label(kind: SampleKind) -> &'static str {
    match kind {
        SampleKind::Acknowledgments => "Acknowledgments of policies",
        SampleKind::Assignments => "Role assignments",
        SampleKind::PolicyApprovals => "Approvals of policy versions",
    }
}

fn request(kind: SampleKind, query: &SampleQuery) -> Result<SampleRequest, String> {
    let size = match query.size.trim() {
        "" => DEFAULT_SAMPLE,
        text => text
            .parse()
            .map_err(|_| "size: give a number from 1 to 500".to_owned())?,
    };
    let campaign_id = match query.campaign_id.trim() {
        "" => None,
        text => Some(
            uuid::Uuid::parse_str(text)
                .map_err(|_| "campaign: give a campaign's id, or leave it empty".to_owned())?,
        ),
    };
    Ok(SampleRequest {
        kind,
        size,
        seed: Some(query.seed.trim().to_owned()).filter(|s| !s.is_empty()),
        campaign_id,
    })
}

fn view(sample: &EvidenceSample) -> DrawnView {
    let mut json_href = format!(
        "/api/v1/evidence/samples?kind={}&size={}&seed={}",
        sample.kind,
        sample.size,
        urlencoding(&sample.seed)
    );
    if let Some(campaign) = sample.campaign_id {
        json_href.push_str(&format!("&campaign_id={campaign}"));
    }
    DrawnView {
        kind: kind_label(sample.kind).to_owned(),
        seed: sample.seed.clone(),
        size: sample.size,
        population: sample.population,
        rows: sample.records.iter().map(|r| row(sample.kind, r)).collect(),
        json_href,
    }
}

fn text(record: &Value, field: &str) -> String {
    match &record[field] {
        Value::String(s) => s.clone(),
        Value::Null => "—".to_owned(),
        other => other.to_string(),
    }
}

fn row(kind: SampleKind, sampled: &SampledRecord) -> SampleRow {
    let r = &sampled.record;
    let (what, detail) = match kind {
        SampleKind::Acknowledgments => (
            format!("{} <{}>", text(r, "person_name"), text(r, "email")),
            format!(
                "acknowledged {} (campaign {})",
                text(r, "acknowledged_at"),
                text(r, "campaign_id")
            ),
        ),
        SampleKind::Assignments => (
            format!("{}: {}", text(r, "role_name"), text(r, "person_name")),
            format!(
                "from {} to {}, acknowledged {}",
                text(r, "starts_on"),
                text(r, "ends_on"),
                text(r, "acknowledged_at")
            ),
        ),
        SampleKind::PolicyApprovals => (
            format!(
                "{} approved version {}",
                text(&r["decision"], "account_name"),
                text(r, "version")
            ),
            format!(
                "on {} as {}, content {}",
                text(&r["decision"], "decided_at"),
                text(&r["decision"], "held_role"),
                text(r, "version_content_hash")
            ),
        ),
    };
    SampleRow {
        position: sampled.position,
        what,
        detail,
        events: sampled
            .events
            .iter()
            .map(|e| EventCell {
                seq: e.seq,
                action: e.action.clone(),
                at: e.occurred_at.date().to_string(),
                hash: e.hash.chars().take(16).collect(),
            })
            .collect(),
    }
}

/// Percent-encodes a query value.
fn urlencoding(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            _ => format!("%{b:02X}"),
        })
        .collect()
}
