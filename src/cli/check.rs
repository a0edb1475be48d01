//! `charter check` (the verdicts for a pipeline) and `charter assess` (an assessment stored).

use std::process::ExitCode;

use anyhow::bail;
use clap::{Args, ValueEnum};
use serde::Serialize;
use time::OffsetDateTime;

use super::DatabaseArgs;
use crate::domain::assessment::Trigger;
use crate::domain::conformance::{Evaluation, Verdict};
use crate::store::{DatabaseLocation, Store};

/// How `charter check` prints the verdicts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// One aligned line per requirement, then a summary line.
    Text,
    /// The evaluation with its summary and exit code.
    Json,
}

/// `charter check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// How the verdicts are printed: `text` for people, `json` for tools.
    #[arg(long, env = "CHARTER_CHECK_FORMAT", value_enum, default_value = "text")]
    pub format: CheckFormat,
    /// Exit 1 on a partial verdict too, not only on a nonconforming one.
    #[arg(long, env = "CHARTER_CHECK_PARTIAL_FAILS")]
    pub partial_fails: bool,
    #[command(flatten)]
    pub db: DatabaseArgs,
}

/// `charter assess`.
#[derive(Debug, Args)]
pub struct AssessArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
}

/// How many requirements have each verdict.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub requirements: usize,
    pub conforming: usize,
    pub partial: usize,
    pub nonconforming: usize,
    pub not_applicable: usize,
}

impl Summary {
    pub fn of(evaluation: &Evaluation) -> Self {
        Self {
            requirements: evaluation.results.len(),
            conforming: evaluation.count(Verdict::Conforming),
            partial: evaluation.count(Verdict::Partial),
            nonconforming: evaluation.count(Verdict::Nonconforming),
            not_applicable: evaluation.count(Verdict::NotApplicable),
        }
    }

    /// "26 requirements: 20 conforming, 4 partial, 2 nonconforming" (and how many do not apply,
    /// when any).
    pub fn line(&self) -> String {
        let mut line = format!(
            "{} requirements: {} conforming, {} partial, {} nonconforming",
            self.requirements, self.conforming, self.partial, self.nonconforming
        );
        if self.not_applicable > 0 {
            line.push_str(&format!(", {} not applicable", self.not_applicable));
        }
        line
    }

    /// 1 on any nonconformity (and on any partial verdict when partial fails), else 0; a
    /// requirement justified as not applicable counts as conforming.
    pub fn exit_code(&self, partial_fails: bool) -> u8 {
        let failed = self.nonconforming > 0 || (partial_fails && self.partial > 0);
        u8::from(failed)
    }
}

/// What `--format json` prints: the evaluation, its summary and the exit code.
#[derive(Serialize)]
struct CheckReport<'a> {
    #[serde(flatten)]
    evaluation: &'a Evaluation,
    summary: Summary,
    exit_code: u8,
}

/// Evaluates every requirement now (nothing is stored) and prints the verdicts.
pub async fn check(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let store = open_existing(&args.db).await?;
    let evaluation = crate::conformance::evaluate_now(store.as_ref(), OffsetDateTime::now_utc())
        .await
        .map_err(|e| anyhow::anyhow!("cannot evaluate the requirements: {e}"))?;
    let summary = Summary::of(&evaluation);
    let exit_code = summary.exit_code(args.partial_fails);
    match args.format {
        CheckFormat::Text => print!("{}", text_report(&evaluation, &summary)),
        CheckFormat::Json => {
            let report = CheckReport {
                evaluation: &evaluation,
                summary,
                exit_code,
            };
            println!("{}", serde_json::to_string_pretty(&report)?);
        }
    }
    store.close().await;
    Ok(ExitCode::from(exit_code))
}

/// One line per requirement (id, verdict and finding in aligned columns), then the summary.
fn text_report(evaluation: &Evaluation, summary: &Summary) -> String {
    let id_width = evaluation
        .results
        .iter()
        .map(|r| r.id.len())
        .max()
        .unwrap_or(0);
    let verdict_width = "not applicable".len();
    let mut text = String::new();
    for result in &evaluation.results {
        let verdict = verdict_words(result.verdict);
        let finding = result.finding.replace(['\n', '\r'], " ");
        text.push_str(&format!(
            "{:id_width$}  {verdict:verdict_width$}  {finding}\n",
            result.id
        ));
    }
    text.push_str(&summary.line());
    text.push('\n');
    text
}

fn verdict_words(verdict: Verdict) -> &'static str {
    match verdict {
        Verdict::Conforming => "conforming",
        Verdict::Partial => "partial",
        Verdict::Nonconforming => "nonconforming",
        Verdict::NotApplicable => "not applicable",
    }
}

/// The database to judge: it must exist already (a mistyped path must not pass as an empty
/// organization that is judged nonconforming).
async fn open_existing(db: &DatabaseArgs) -> anyhow::Result<std::sync::Arc<dyn Store>> {
    let location = db.location()?;
    if let DatabaseLocation::Sqlite(path) = &location
        && !path.exists()
    {
        bail!("there is no database at {}", path.display());
    }
    Ok(crate::store::open(&location).await?)
}

/// Runs an assessment, stores it as an immutable snapshot (trigger `cli`) and prints its id,
/// hash and summary.
pub async fn assess(args: AssessArgs) -> anyhow::Result<ExitCode> {
    let store = open_existing(&args.db).await?;
    let evaluation = crate::conformance::evaluate_now(store.as_ref(), OffsetDateTime::now_utc())
        .await
        .map_err(|e| anyhow::anyhow!("cannot evaluate the requirements: {e}"))?;
    let assessment = store
        .run_assessment(None, Trigger::Cli, evaluation)
        .await
        .map_err(|e| anyhow::anyhow!("cannot store the assessment: {e}"))?;
    let summary = Summary::of(&assessment.evaluation);
    println!(
        "Stored assessment {} (SHA-256 {}).",
        assessment.id, assessment.content_sha256
    );
    println!("{}", summary.line());
    store.close().await;
    Ok(ExitCode::SUCCESS)
}
