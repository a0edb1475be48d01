//! CSV import and export of people: all lines checked first, then all written or none.
//!
//! Columns (header required, any order, case-insensitive): `name`, `email` (required), `job_title`,
//! `unit` (a unit's name), `manager_email`, `kind`, `status`, `departed_on` (YYYY-MM-DD).
//! People are matched by email without regard to case; an unchanged line writes nothing.

use std::collections::HashMap;

use serde::Serialize;
use time::Date;
use utoipa::ToSchema;
use uuid::Uuid;

use crate::domain::person::manager_cycles;
use crate::domain::{Actor, Person, PersonInput, PersonKind, PersonStatus, Unit};
use crate::store::{PersonWrite, Store, StoreError};

pub const COLUMNS: [&str; 8] = [
    "name",
    "email",
    "job_title",
    "unit",
    "manager_email",
    "kind",
    "status",
    "departed_on",
];

/// What went wrong on one line of the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ToSchema)]
pub struct LineError {
    /// The line number in the file (the header is line 1).
    pub line: u64,
    pub reasons: Vec<String>,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, ToSchema)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file cannot be read as CSV: {0}")]
    Unreadable(String),
    #[error("{} line(s) are not valid; nothing was imported", .0.len())]
    Invalid(Vec<LineError>),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// One data line, parsed but not yet resolved against the organization.
struct Line {
    number: u64,
    input: PersonInput,
    unit: String,
    manager_email: String,
    reasons: Vec<String>,
}

/// Checks the whole file against the organization and writes it in one transaction.
pub async fn import_people(
    store: &dyn Store,
    actor: &Actor,
    csv: &[u8],
    today: Date,
) -> Result<ImportReport, ImportError> {
    let started = std::time::Instant::now();
    let lines = parse(csv, today)?;
    let parsed = started.elapsed();
    let (people, units) = (store.all_people().await?, store.all_units().await?);
    let loaded = started.elapsed();
    let (writes, report) = plan(lines, &people, &units).map_err(ImportError::Invalid)?;
    let planned = started.elapsed();
    if !writes.is_empty() {
        store
            .write_people(actor, &writes)
            .await
            .map_err(|e| match e {
                StoreError::Invalid(fields) => ImportError::Invalid(vec![LineError {
                    line: 0,
                    reasons: vec![fields.summary()],
                }]),
                other => ImportError::Store(other),
            })?;
        crate::campaign_actions::people_changed(store, actor, today).await;
    }
    tracing::debug!(?parsed, ?loaded, ?planned, written = ?started.elapsed(), "people import");
    Ok(report)
}

fn parse(csv: &[u8], today: Date) -> Result<Vec<Line>, ImportError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(csv);
    let headers = reader
        .headers()
        .map_err(|e| ImportError::Unreadable(e.to_string()))?
        .clone();
    let index: HashMap<String, usize> = headers
        .iter()
        .enumerate()
        .map(|(i, h)| (h.trim().trim_start_matches('\u{feff}').to_lowercase(), i))
        .collect();
    let missing: Vec<&str> = ["name", "email"]
        .into_iter()
        .filter(|c| !index.contains_key(*c))
        .collect();
    if !missing.is_empty() {
        return Err(ImportError::Unreadable(format!(
            "the header lacks the column(s) {}; expected columns: {}",
            missing.join(", "),
            COLUMNS.join(",")
        )));
    }
    let mut lines = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| ImportError::Unreadable(e.to_string()))?;
        let number = record.position().map_or(0, |p| p.line());
        let cell = |name: &str| {
            index
                .get(name)
                .and_then(|&i| record.get(i))
                .unwrap_or("")
                .to_owned()
        };
        if record.iter().all(str::is_empty) {
            continue;
        }
        lines.push(parse_line(number, &cell, today));
    }
    Ok(lines)
}

fn parse_line(number: u64, cell: &dyn Fn(&str) -> String, today: Date) -> Line {
    let mut reasons = Vec::new();
    let kind = parse_or(&cell("kind"), PersonKind::Employee, "kind", &mut reasons);
    let status = parse_or(
        &cell("status"),
        PersonStatus::Active,
        "status",
        &mut reasons,
    );
    let departed_on = match cell("departed_on").as_str() {
        "" => None,
        text => Date::parse(
            text,
            time::macros::format_description!("[year]-[month]-[day]"),
        )
        .map_err(|_| reasons.push(format!("departed_on: '{text}' is not a date (YYYY-MM-DD)")))
        .ok(),
    };
    let raw = PersonInput {
        name: cell("name"),
        email: cell("email"),
        job_title: cell("job_title"),
        unit_id: None,
        manager_id: None,
        kind,
        status,
        departed_on,
    };
    let input = match raw.clone().validate(today) {
        Ok(valid) => valid,
        Err(errors) => {
            reasons.extend(
                errors
                    .iter()
                    .map(|(field, messages)| format!("{field}: {}", messages.join(", "))),
            );
            raw
        }
    };
    Line {
        number,
        input,
        unit: cell("unit"),
        manager_email: cell("manager_email"),
        reasons,
    }
}

fn parse_or<T: std::str::FromStr<Err = String>>(
    text: &str,
    default: T,
    field: &str,
    reasons: &mut Vec<String>,
) -> T {
    if text.is_empty() {
        return default;
    }
    text.parse().unwrap_or_else(|e| {
        reasons.push(format!("{field}: '{text}' {e}"));
        default
    })
}

/// Resolves units, managers and identities, checks the reporting lines, and keeps what changes.
fn plan(
    mut lines: Vec<Line>,
    people: &[Person],
    units: &[Unit],
) -> Result<(Vec<PersonWrite>, ImportReport), Vec<LineError>> {
    let unit_ids: HashMap<String, Uuid> = units
        .iter()
        .map(|u| (u.name.to_lowercase(), u.id))
        .collect();
    let existing: HashMap<String, &Person> =
        people.iter().map(|p| (p.email.to_lowercase(), p)).collect();
    let mut in_file: HashMap<String, (u64, Uuid)> = HashMap::new();
    for line in &mut lines {
        let key = line.input.email_key();
        let id = existing.get(&key).map_or_else(Uuid::now_v7, |p| p.id);
        if let Some((first, _)) = in_file.get(&key) {
            line.reasons.push(format!(
                "email: appears twice in the file (first on line {first})"
            ));
        } else if !key.is_empty() {
            in_file.insert(key, (line.number, id));
        }
    }
    let mut managers: HashMap<Uuid, Option<Uuid>> =
        people.iter().map(|p| (p.id, p.manager_id)).collect();
    let mut resolved = Vec::with_capacity(lines.len());
    for mut line in lines {
        let id = in_file
            .get(&line.input.email_key())
            .map_or_else(Uuid::nil, |(_, id)| *id);
        line.input.unit_id = resolve_unit(&line.unit, &unit_ids, &mut line.reasons);
        line.input.manager_id = resolve_manager(
            &line.manager_email,
            id,
            &in_file,
            &existing,
            &mut line.reasons,
        );
        managers.insert(id, line.input.manager_id);
        resolved.push((id, line));
    }
    let on_cycle = manager_cycles(&managers);
    for (id, line) in &mut resolved {
        if on_cycle.contains(id) {
            line.reasons.push(
                "manager_email: the reporting line loops back to this person (a manager cycle)"
                    .into(),
            );
        }
    }
    let errors: Vec<LineError> = resolved
        .iter()
        .filter(|(_, l)| !l.reasons.is_empty())
        .map(|(_, l)| LineError {
            line: l.number,
            reasons: l.reasons.clone(),
        })
        .collect();
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(changes(resolved, &existing))
}

fn resolve_unit(
    name: &str,
    unit_ids: &HashMap<String, Uuid>,
    reasons: &mut Vec<String>,
) -> Option<Uuid> {
    if name.is_empty() {
        return None;
    }
    let id = unit_ids.get(&name.to_lowercase()).copied();
    if id.is_none() {
        reasons.push(format!("unit: '{name}' is not a known unit"));
    }
    id
}

fn resolve_manager(
    email: &str,
    id: Uuid,
    in_file: &HashMap<String, (u64, Uuid)>,
    existing: &HashMap<String, &Person>,
    reasons: &mut Vec<String>,
) -> Option<Uuid> {
    if email.is_empty() {
        return None;
    }
    let key = email.to_lowercase();
    let manager = in_file
        .get(&key)
        .map(|(_, id)| *id)
        .or_else(|| existing.get(&key).map(|p| p.id));
    match manager {
        None => reasons.push(format!(
            "manager_email: no person with the email '{email}' in the file or in Charter"
        )),
        Some(m) if m == id => {
            reasons.push("manager_email: a person cannot be their own manager".into())
        }
        Some(_) => {}
    }
    manager
}

fn changes(
    resolved: Vec<(Uuid, Line)>,
    existing: &HashMap<String, &Person>,
) -> (Vec<PersonWrite>, ImportReport) {
    let mut report = ImportReport::default();
    let mut writes = Vec::new();
    for (id, line) in resolved {
        match existing.get(&line.input.email_key()) {
            Some(person) if PersonInput::from_person(person) == line.input => report.unchanged += 1,
            Some(_) => {
                report.updated += 1;
                writes.push(PersonWrite {
                    id,
                    input: line.input,
                    is_new: false,
                });
            }
            None => {
                report.created += 1;
                writes.push(PersonWrite {
                    id,
                    input: line.input,
                    is_new: true,
                });
            }
        }
    }
    (writes, report)
}

/// Every person as CSV, in the import's columns, so an export imports back unchanged.
pub async fn export_people(store: &dyn Store) -> Result<Vec<u8>, StoreError> {
    let (people, units) = (store.all_people().await?, store.all_units().await?);
    let unit_names: HashMap<Uuid, &str> = units.iter().map(|u| (u.id, u.name.as_str())).collect();
    let emails: HashMap<Uuid, &str> = people.iter().map(|p| (p.id, p.email.as_str())).collect();
    let mut writer = csv::Writer::from_writer(Vec::with_capacity(people.len() * 96));
    let write_error = |e: csv::Error| StoreError::Config(format!("cannot write CSV: {e}"));
    writer.write_record(COLUMNS).map_err(write_error)?;
    for p in &people {
        let departed = p.departed_on.map(|d| d.to_string()).unwrap_or_default();
        writer
            .write_record([
                p.name.as_str(),
                p.email.as_str(),
                p.job_title.as_str(),
                p.unit_id
                    .and_then(|u| unit_names.get(&u).copied())
                    .unwrap_or(""),
                p.manager_id
                    .and_then(|m| emails.get(&m).copied())
                    .unwrap_or(""),
                p.kind.as_str(),
                p.status.as_str(),
                departed.as_str(),
            ])
            .map_err(write_error)?;
    }
    writer
        .into_inner()
        .map_err(|e| StoreError::Config(format!("cannot write CSV: {e}")))
}
