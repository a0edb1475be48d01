//! The file a pack is taken away as: JSON (the pack itself), standalone HTML with the JSON
//! embedded, PDF, or an OSCAL assessment-results document.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::domain::audit_pack::AuditPack;

/// The formats of an audit pack file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PackFormat {
    Json,
    Html,
    Pdf,
    Oscal,
}

impl PackFormat {
    pub const ALL: [PackFormat; 4] = [Self::Html, Self::Pdf, Self::Json, Self::Oscal];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Json => "json",
            Self::Html => "html",
            Self::Pdf => "pdf",
            Self::Oscal => "oscal",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Self::Json | Self::Oscal => "application/json",
            Self::Html => "text/html; charset=utf-8",
            Self::Pdf => "application/pdf",
        }
    }

    /// What the formats are for, as a form offers them.
    pub fn label(self) -> &'static str {
        match self {
            Self::Html => "HTML: readable in a browser, verifiable offline",
            Self::Pdf => "PDF: printable",
            Self::Json => "JSON: the pack itself, verifiable offline",
            Self::Oscal => "OSCAL assessment results (JSON)",
        }
    }

    /// The attachment's name: `audit-pack-<day of the assessment>-<first 8 of its id>.<ext>`.
    pub fn file_name(self, pack: &AuditPack) -> String {
        let id = pack.assessment.id.simple().to_string();
        let extension = match self {
            Self::Oscal => "oscal.json",
            other => other.as_str(),
        };
        format!(
            "audit-pack-{}-{}.{extension}",
            pack.assessment.created_at.date(),
            &id[..8]
        )
    }
}

impl std::str::FromStr for PackFormat {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        Self::ALL
            .into_iter()
            .find(|f| f.as_str() == text.trim())
            .ok_or_else(|| "use one of: html, pdf, json, oscal".to_owned())
    }
}

/// The pack written in `format`. PDF is laid out on a blocking thread.
pub async fn render(pack: &AuditPack, format: PackFormat) -> anyhow::Result<Vec<u8>> {
    match format {
        PackFormat::Json => {
            let mut bytes = serde_json::to_vec_pretty(pack)?;
            bytes.push(b'\n');
            Ok(bytes)
        }
        PackFormat::Html => Ok(super::html::render(pack).into_bytes()),
        PackFormat::Oscal => {
            let mut bytes = serde_json::to_vec_pretty(&super::oscal::render(pack))?;
            bytes.push(b'\n');
            Ok(bytes)
        }
        PackFormat::Pdf => {
            let pack = pack.clone();
            tokio::task::spawn_blocking(move || super::pdf::render(&pack)).await?
        }
    }
}
