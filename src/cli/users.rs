//! Accounts from the command line: `charter user create` (with an optional last day of access,
//! for an auditor's engagement), the first-admin setup link, and the demo's accounts.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use anyhow::{Context, bail};
use time::OffsetDateTime;

use super::DatabaseArgs;
use crate::app::today;
use crate::auth::SETUP_LINK_LIFETIME;
use crate::auth::password::hash_password;
use crate::auth::secret::{random_secret, secret_hash};
use crate::domain::access::Role;
use crate::domain::account::{AUDITOR_MAX_ACCESS_DAYS, check_expiry, check_password};
use crate::domain::{Actor, PersonInput, PersonKind, PersonStatus};
use crate::store::Store;

/// `charter user create [--expires-on YYYY-MM-DD]`: the account may be used until the end of
/// that day (UTC); not in the past, and for an auditor at most 366 days ahead.
pub async fn create_user(
    email: &str,
    name: Option<&str>,
    roles: &[String],
    expires_on: Option<&str>,
    password_stdin: bool,
    db: &DatabaseArgs,
) -> anyhow::Result<ExitCode> {
    let roles = roles
        .iter()
        .map(|r| r.parse::<Role>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(anyhow::Error::msg)?;
    let expires_on = expires_on.map(parse_expiry).transpose()?;
    if let Some(last) = expires_on {
        check_expiry(last, &roles, today())
            .map_err(|reason| anyhow::anyhow!("--expires-on {reason}"))?;
    }
    let store = crate::store::open(&db.location()?).await?;
    let person = match (store.person_by_email(email).await?, name) {
        (Some(person), _) => person,
        (None, Some(name)) => {
            store
                .create_person(&Actor::cli(), new_person(name, email), today())
                .await?
        }
        (None, None) => bail!("no person has the email {email}; add --name to create them"),
    };
    let password = read_password(password_stdin)?;
    check_password(&password, &person.email, &person.name)
        .map_err(|reason| anyhow::anyhow!("the password {reason}"))?;
    let hash = hash_password(&password).map_err(anyhow::Error::msg)?;
    let account = store
        .create_account_until(
            &Actor::cli(),
            person.id,
            Some(hash),
            &roles,
            expires_on,
            today(),
        )
        .await?;
    let roles: Vec<&str> = account.roles.iter().map(|r| r.as_str()).collect();
    let until = account.expires_on.map_or_else(String::new, |last| {
        format!("; it may be used until the end of {last} (UTC)")
    });
    println!(
        "Created the account of {} <{}> with the role(s) {}{until}.",
        account.name,
        account.email,
        roles.join(", ")
    );
    if account.has_role(Role::Auditor) && account.expires_on.is_none() {
        eprintln!(
            "Note: this auditor account has no end of access; an audit has one. Set it on the \
             account's admin page, or create the account with --expires-on YYYY-MM-DD (at most \
             {AUDITOR_MAX_ACCESS_DAYS} days ahead)."
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// The `--expires-on` value: a `YYYY-MM-DD` date.
fn parse_expiry(raw: &str) -> anyhow::Result<time::Date> {
    time::Date::parse(
        raw.trim(),
        time::macros::format_description!("[year]-[month]-[day]"),
    )
    .map_err(|_| anyhow::anyhow!("--expires-on must be a date written as YYYY-MM-DD, not '{raw}'"))
}

fn new_person(name: &str, email: &str) -> PersonInput {
    PersonInput {
        name: name.to_owned(),
        email: email.to_owned(),
        job_title: String::new(),
        unit_id: None,
        manager_id: None,
        kind: PersonKind::Employee,
        status: PersonStatus::Active,
        departed_on: None,
    }
}

/// One line from standard input; at a terminal, after a prompt.
fn read_password(password_stdin: bool) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    if !password_stdin && stdin.is_terminal() {
        eprint!(
            "Password for the new account (at least 12 characters; it is shown as you type, so mind who is watching): "
        );
        std::io::stderr().flush().ok();
    }
    let mut line = String::new();
    stdin
        .lock()
        .read_line(&mut line)
        .context("cannot read the password")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

/// On a first start with no admin, prints a one-time link to create the first one in the browser.
pub async fn print_setup_link_if_needed(store: &dyn Store, base_url: &str) -> anyhow::Result<()> {
    let has_admin = store
        .list_accounts()
        .await?
        .iter()
        .any(|a| a.is_active() && a.has_password && a.has_role(Role::Admin));
    if has_admin {
        return Ok(());
    }
    let token = random_secret();
    store
        .create_setup_token(
            &secret_hash(&token),
            OffsetDateTime::now_utc() + SETUP_LINK_LIFETIME,
        )
        .await?;
    println!("No administrator yet. Create the first one within 24 hours at:");
    println!("  {base_url}/setup?token={token}");
    Ok(())
}

/// One account per tool role for the demo, all with the same password; returns (role, email).
pub async fn create_demo_accounts(
    store: &dyn Store,
    password: &str,
) -> anyhow::Result<Vec<(Role, String)>> {
    let active = crate::domain::PersonFilter {
        status: Some(PersonStatus::Active),
        kind: Some(PersonKind::Employee),
        ..Default::default()
    };
    let page =
        crate::domain::PageRequest::new(Some(1), Some(u32::try_from(Role::ALL.len()).unwrap_or(7)));
    let people = store.list_people(&active, page).await?;
    let hash = hash_password(password).map_err(anyhow::Error::msg)?;
    let mut created = Vec::new();
    for (role, person) in Role::ALL.into_iter().zip(people.items) {
        store
            .create_account(
                &Actor::named("demo"),
                person.id,
                Some(hash.clone()),
                &[role],
            )
            .await?;
        created.push((role, person.email));
    }
    Ok(created)
}
