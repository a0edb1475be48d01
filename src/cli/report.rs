//! `charter report performance`: writes a stored performance report (the latest, or `--id`) as
//! HTML, PDF or JSON, from its frozen snapshot. Generating stays in the application, where the
//! reporter is signed in.
//!
//! Exit codes: 0 when written, 1 when there is no such report, 2 for a configuration error (an
//! unknown kind, a bad database, a file that cannot be written).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, ValueEnum};
use uuid::Uuid;

use super::DatabaseArgs;
use crate::api::reports::{document_for, render_pdf};
use crate::document::report_export::report_html;
use crate::store::{self, Store, StoreError};

/// `charter report KIND`.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Which report: `performance` (the ISMS performance report submitted to top management).
    pub kind: String,
    /// The file format.
    #[arg(long, value_enum, env = "CHARTER_REPORT_FORMAT", default_value = "pdf")]
    pub format: ReportFormat,
    /// Where to write it, or `-` for standard output.
    #[arg(long, short, env = "CHARTER_REPORT_OUT")]
    pub out: PathBuf,
    /// This report instead of the latest.
    #[arg(long, env = "CHARTER_REPORT_ID")]
    pub id: Option<Uuid>,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

/// The kinds of report the command writes; the audit pack comes with the conformance engine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReportKind {
    Performance,
}

impl std::str::FromStr for ReportKind {
    type Err = anyhow::Error;

    fn from_str(kind: &str) -> anyhow::Result<Self> {
        match kind.trim() {
            "performance" => Ok(ReportKind::Performance),
            other => anyhow::bail!(
                "unknown report kind {other:?}: Charter writes `performance` reports (the audit pack will come with conformance assessments)"
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
}

pub async fn run(args: ReportArgs) -> anyhow::Result<ExitCode> {
    let ReportKind::Performance = args.kind.parse()?;
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
        ReportFormat::Html | ReportFormat::Pdf => {
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
