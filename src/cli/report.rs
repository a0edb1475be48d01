//! `charter report performance`: writes a stored performance report (the latest, or `--id`) as
//! HTML, PDF or JSON, from its frozen snapshot. Generating stays in the application, where the
//! reporter is signed in.
//!
//! `charter report audit-pack`: builds the audit pack of a stored assessment (the latest, or
//! `--id`; when none is stored, one is run and stored with trigger `cli`), signs its checkpoint
//! with the server's key file and writes it as HTML, PDF, JSON or OSCAL.
//!
//! Exit codes: 0 when written, 1 when there is no such report or assessment, 2 for a
//! configuration error (an unknown kind, a bad database or key, a file that cannot be written).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use time::OffsetDateTime;
use uuid::Uuid;

use super::{DatabaseArgs, SigningKeyArgs};
use crate::api::reports::{document_for, render_pdf};
use crate::audit_log::signer::CheckpointSigner;
use crate::document::report_export::report_html;
use crate::domain::Actor;
use crate::domain::assessment::Trigger;
use crate::store::{self, Store, StoreError};

/// `charter report KIND`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Which report: `performance` (the ISMS performance report submitted to top management) or
    /// `audit-pack` (an assessment with its evidence, verifiable offline).
    pub kind: String,
    /// The file format.
    #[arg(long, value_enum, env = "CHARTER_REPORT_FORMAT", default_value = "pdf")]
    pub format: ReportFormat,
    /// Where to write it, or `-` for standard output.
    #[arg(long, short, env = "CHARTER_REPORT_OUT")]
    pub out: PathBuf,
    /// This report (or assessment, for an audit pack) instead of the latest.
    #[arg(long, env = "CHARTER_REPORT_ID")]
    pub id: Option<Uuid>,
    #[command(flatten)]
    pub db: DatabaseArgs,
    #[command(flatten)]
    pub signing: SigningKeyArgs,
}

/// The kinds of report the command writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    Performance,
    AuditPack,
}

impl std::str::FromStr for ReportKind {
    type Err = anyhow::Error;

    fn from_str(kind: &str) -> anyhow::Result<Self> {
        match kind.trim() {
            "performance" => Ok(ReportKind::Performance),
            "audit-pack" | "audit_pack" => Ok(ReportKind::AuditPack),
            other => anyhow::bail!(
                "unknown report kind {other:?}: Charter writes `performance` reports and `audit-pack`s"
            ),
        }
    }
}

/// How the report is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Html,
    Pdf,
    Json,
    /// OSCAL assessment results (audit packs only).
    Oscal,
}

pub async fn run(args: ReportArgs) -> anyhow::Result<ExitCode> {
    if args.kind.parse::<ReportKind>()? == ReportKind::AuditPack {
        return audit_pack(args).await;
    }
    if args.format == ReportFormat::Oscal {
        anyhow::bail!(
            "--format oscal is for audit packs: a performance report is html, pdf or json"
        );
    }
    let store = store::open(&args.db.location()?).await?;
    let store = store.as_ref();
    let Some(id) = report_id(store, args.id).await? else {
        eprintln!(
            "error: no performance report has been generated yet: the holder of the reporter role generates one in Charter, at /reports/new"
        );
        return Ok(ExitCode::from(1));
    };
    let detail = match store.get_report(id).await {
        Ok(detail) => detail,
        Err(StoreError::NotFound(_)) => {
            eprintln!("error: there is no performance report {id}");
            return Ok(ExitCode::from(1));
        }
        Err(other) => return Err(other.into()),
    };
    let bytes = match args.format {
        ReportFormat::Json => {
            let mut json = serde_json::to_vec_pretty(&detail)?;
            json.push(b'\n');
            json
        }
        ReportFormat::Html | ReportFormat::Pdf | ReportFormat::Oscal => {
            let (doc, _) = document_for(store, &detail).await.map_err(anyhow_error)?;
            if args.format == ReportFormat::Html {
                report_html(&doc).into_bytes()
            } else {
                render_pdf(doc).await.map_err(anyhow_error)?
            }
        }
    };
    write_out(&args.out, &bytes)?;
    if args.out != Path::new("-") {
        println!(
            "Wrote the performance report for {} to {} ({}) to {}.",
            detail.report.period_start,
            detail.report.period_end,
            detail.report.status.label(),
            args.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// `charter report audit-pack`: the pack of the assessment asked for (or the latest, run now
/// when none is stored), its checkpoint signed with the key file.
async fn audit_pack(args: ReportArgs) -> anyhow::Result<ExitCode> {
    use crate::audit_pack::{PackFormat, PackRequest, build_pack, render};
    let location = args.db.location()?;
    let signer = CheckpointSigner::load_or_create(&args.signing.path(&location))?;
    let store = store::open(&location).await?;
    let store = store.as_ref();
    if args.id.is_none() && store.latest_assessment().await?.is_none() {
        let evaluation = crate::conformance::evaluate_now(store, OffsetDateTime::now_utc()).await?;
        let stored = store.run_assessment(None, Trigger::Cli, evaluation).await?;
        eprintln!(
            "No assessment was stored: ran and stored assessment {}.",
            stored.id
        );
    }
    let request = PackRequest {
        assessment_id: args.id,
        actor: Actor::cli(),
        generated_by: "charter report audit-pack (command line)".to_owned(),
        now: OffsetDateTime::now_utc(),
    };
    let pack = match build_pack(store, &signer, &request).await {
        Ok(pack) => pack,
        Err(StoreError::NotFound(what)) => {
            let id = args.id.map(|id| id.to_string()).unwrap_or_default();
            eprintln!("error: there is no {what} {id}");
            return Ok(ExitCode::from(1));
        }
        Err(StoreError::Conflict(reason)) => {
            eprintln!("error: {reason}");
            return Ok(ExitCode::from(1));
        }
        Err(other) => return Err(other.into()),
    };
    let format = match args.format {
        ReportFormat::Html => PackFormat::Html,
        ReportFormat::Pdf => PackFormat::Pdf,
        ReportFormat::Json => PackFormat::Json,
        ReportFormat::Oscal => PackFormat::Oscal,
    };
    let bytes = render(&pack, format).await?;
    write_out(&args.out, &bytes)?;
    if args.out != Path::new("-") {
        println!(
            "Wrote the audit pack of assessment {} ({} records, {} events, checkpoint of {} events signed by key {}) to {}.",
            pack.assessment.id,
            pack.evidence.len(),
            pack.events.len() + 1,
            pack.checkpoint.tree_size,
            pack.checkpoint.key_id,
            args.out.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The id asked for, or the latest report's.
async fn report_id(store: &dyn Store, asked: Option<Uuid>) -> anyhow::Result<Option<Uuid>> {
    if asked.is_some() {
        return Ok(asked);
    }
    Ok(store.latest_report().await?.map(|r| r.id))
}

fn anyhow_error(error: crate::error::AppError) -> anyhow::Error {
    match error {
        crate::error::AppError::Internal(detail) => anyhow::anyhow!("{detail}"),
        other => anyhow::anyhow!("{other}"),
    }
}

fn write_out(out: &Path, bytes: &[u8]) -> anyhow::Result<()> {
    if out == Path::new("-") {
        return std::io::stdout()
            .write_all(bytes)
            .context("cannot write to standard output");
    }
    std::fs::write(out, bytes).with_context(|| format!("cannot write {}", out.display()))
}
