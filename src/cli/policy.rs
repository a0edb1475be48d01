//! `charter policy check`: the required-content check of a policy file, with no database.
//!
//! Exit codes: 0 when every required element is found (placeholders left in the text are
//! printed as warnings but do not fail the check), 1 when an element is missing, 2 when the file
//! cannot be read or is not UTF-8 text.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context;
use clap::{Subcommand, ValueEnum};
use serde::Serialize;

use crate::document::content_check::{CheckContext, ContentReport, Element, check_policy};

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Check that an information security policy holds every required element.
    ///
    /// Reads Markdown or plain text and looks for the purpose and scope, the objectives, the
    /// commitments to applicable requirements and to continual improvement, the roles and
    /// responsibilities, and the exceptions procedure, and for template placeholders left in.
    /// Exits 0 when every element is found (leftover placeholders are warnings only), 1 when an
    /// element is missing, 2 when the file cannot be read or is not UTF-8 text.
    Check {
        /// The policy file, or `-` for standard input.
        file: PathBuf,
        /// `text` for people, `json` for scripts.
        #[arg(
            long,
            value_enum,
            default_value = "text",
            env = "CHARTER_POLICY_FORMAT"
        )]
        format: PolicyFormat,
        /// The organization's name, which the purpose and scope should mention.
        #[arg(long, env = "CHARTER_ORGANIZATION_NAME")]
        organization: Option<String>,
    },
}

/// How the check is printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PolicyFormat {
    Text,
    Json,
}

/// The JSON output: the report, plus the verdict a script needs.
#[derive(Serialize)]
struct JsonReport<'a> {
    #[serde(flatten)]
    report: &'a ContentReport,
    complete: bool,
    missing: Vec<Element>,
}

pub fn run(command: PolicyCommand) -> anyhow::Result<ExitCode> {
    let PolicyCommand::Check {
        file,
        format,
        organization,
    } = command;
    let body = read_text(&file)?;
    let context = CheckContext {
        organization_name: organization.filter(|name| !name.trim().is_empty()),
    };
    let report = check_policy(&body, &context);
    let output = match format {
        PolicyFormat::Text => report.to_text(),
        PolicyFormat::Json => {
            let json = JsonReport {
                report: &report,
                complete: report.is_complete(),
                missing: report.missing().collect(),
            };
            format!("{}\n", serde_json::to_string_pretty(&json)?)
        }
    };
    std::io::stdout()
        .lock()
        .write_all(output.as_bytes())
        .context("cannot write to standard output")?;
    Ok(if report.missing().next().is_none() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The whole file (or standard input for `-`) as UTF-8 text.
fn read_text(file: &Path) -> anyhow::Result<String> {
    let name = if file.as_os_str() == "-" {
        "standard input".to_owned()
    } else {
        file.display().to_string()
    };
    let mut bytes = Vec::new();
    if file.as_os_str() == "-" {
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
    } else {
        bytes = std::fs::read(file).with_context(|| format!("cannot read {name}"))?;
    }
    String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{name} is not UTF-8 text (invalid byte at offset {}); save it as UTF-8 and try again",
            e.utf8_error().valid_up_to()
        )
    })
}
