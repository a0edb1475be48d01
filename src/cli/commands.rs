//! What each command does, once its flags are parsed.

use std::io::{Read, Write};
use std::path::Path;
use std::process::ExitCode;
use std::time::Instant;

use anyhow::Context;

use super::{
    AuditCommand, Command, DatabaseArgs, DemoArgs, ExportCommand, ImportCommand, ServeArgs,
    UserCommand,
};
use crate::app::{AppState, today};
use crate::domain::Actor;
use crate::people_csv::{ImportError, export_people, import_people};
use crate::store::{self, DatabaseLocation};

pub async fn run(command: Command) -> anyhow::Result<ExitCode> {
    match command {
        Command::Serve(args) => serve(args).await,
        Command::Demo(args) => demo(args).await,
        Command::Migrate(args) => migrate(args).await,
        Command::Import(ImportCommand::People { file, db }) => import(&file, &db).await,
        Command::Export(ExportCommand::People { out, db }) => export(out.as_deref(), &db).await,
        Command::Audit(AuditCommand::Verify(db)) => verify(&db).await,
        Command::User(UserCommand::Create {
            email,
            name,
            roles,
            expires_on,
            password_stdin,
            db,
        }) => {
            super::users::create_user(
                &email,
                name.as_deref(),
                &roles,
                expires_on.as_deref(),
                password_stdin,
                &db,
            )
            .await
        }
        Command::Policy(command) => super::policy::run(command),
        Command::Report(args) => super::report::run(args).await,
        Command::Check(args) => super::check::check(args).await,
        Command::Assess(args) => super::check::assess(args).await,
        Command::Audit(AuditCommand::VerifyPack(args)) => {
            super::verify_pack::verify_pack(args).await
        }
        Command::Audit(AuditCommand::PublicKey(args)) => super::audit_log::public_key(args).await,
    }
}

async fn open(location: &DatabaseLocation) -> anyhow::Result<std::sync::Arc<dyn store::Store>> {
    Ok(store::open(location).await?)
}

async fn serve(args: ServeArgs) -> anyhow::Result<ExitCode> {
    let started = Instant::now();
    let location = args.db.location()?;
    let (mailer, public_url) = mail_config(&args.mail)?;
    let store = open(&location).await?;
    let listener = crate::server::bind(args.listen).await?;
    tracing::info!(database = %location, elapsed_ms = started.elapsed().as_millis(), "ready");
    let address = listener.local_addr()?;
    let tls = match (&args.web.tls_cert, &args.web.tls_key) {
        (Some(cert), Some(key)) => Some(crate::tls::load_config(cert, key)?),
        _ => None,
    };
    let scheme = if tls.is_some() { "https" } else { "http" };
    println!("Charter is serving {location} at {scheme}://{address}/");
    super::users::print_setup_link_if_needed(store.as_ref(), &format!("{scheme}://{address}"))
        .await?;
    let signer =
        super::audit_log::start_signing(store.as_ref(), &args.signing.path(&location)).await?;
    let mut state = AppState::new(store);
    state.secure_cookies = tls.is_some() || args.web.secure_cookies;
    state.trusted_proxies = std::sync::Arc::new(args.web.trusted_proxies.clone());
    state.public_url = public_url;
    state.signer = Some(signer);
    let jobs = start_jobs(&state, mailer, &args.mail);
    crate::server::serve(listener, state, tls).await?;
    stop_jobs(jobs).await;
    Ok(ExitCode::SUCCESS)
}

/// The mailer and the public address, checked before anything is served: a bad SMTP URL, an
/// unreadable CA file, a bad sender or public URL is a configuration error.
fn mail_config(
    args: &super::MailArgs,
) -> anyhow::Result<(crate::mail::Mailer, Option<std::sync::Arc<str>>)> {
    let mailer = crate::mail::Mailer::from_settings(&args.settings())?;
    Ok((mailer, args.public_url()?))
}

/// Starts the background jobs; they stop when the process is asked to.
fn start_jobs(
    state: &AppState,
    mailer: crate::mail::Mailer,
    args: &super::MailArgs,
) -> tokio::task::JoinHandle<()> {
    println!("Email: {}.", mailer.describe());
    let settings =
        crate::jobs::JobSettings::every(std::time::Duration::from_secs(args.job_interval));
    crate::jobs::JobRunner::new(state.clone(), mailer, settings).spawn(termination_requested())
}

/// Waits for the jobs to finish the message they are sending.
async fn stop_jobs(jobs: tokio::task::JoinHandle<()>) {
    if tokio::time::timeout(std::time::Duration::from_secs(30), jobs)
        .await
        .is_err()
    {
        tracing::warn!("background jobs did not stop within 30 s");
    }
}

/// Ctrl-C or SIGTERM: the signals that also stop the server.
async fn termination_requested() {
    let interrupt = async {
        tokio::signal::ctrl_c().await.ok();
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

async fn demo(args: DemoArgs) -> anyhow::Result<ExitCode> {
    let location = super::parse_location(&args.database)?;
    let (mailer, public_url) = mail_config(&args.mail)?;
    if args.fresh {
        remove_sqlite_files(&location)?;
    }
    let store = open(&location).await?;
    if store.org_counts().await?.people_active == 0 {
        let started = Instant::now();
        let summary = crate::demo::generate(store.as_ref(), args.people, today()).await?;
        println!(
            "Generated the demo organization in {:.1} s: {} people in {} units ({} contractors or externals, {} departed).",
            started.elapsed().as_secs_f64(),
            summary.people,
            summary.units,
            summary.contractors_and_externals,
            summary.departed
        );
        let password = args
            .demo_password
            .clone()
            .unwrap_or_else(|| crate::auth::secret::random_secret()[..20].to_owned());
        println!("Sign in with any of these accounts (password: {password}):");
        for (role, email) in super::users::create_demo_accounts(store.as_ref(), &password).await? {
            println!("  {:<16} {email}", role.as_str());
        }
        let policies = crate::demo::governance::seed_policies(store.as_ref(), today()).await?;
        println!("Wrote {policies} policies with their sign-offs, reviews and exceptions.");
        seed_demo_campaigns(store.as_ref(), &args).await?;
        seed_demo_roles(store.as_ref(), &args).await?;
        seed_demo_leadership(store.as_ref()).await?;
        if args.extra_policies > 0 {
            let started = Instant::now();
            crate::demo::volume::seed_policy_volume(
                store.as_ref(),
                args.extra_policies,
                args.versions_each,
                today(),
            )
            .await?;
            println!(
                "Added {} policies of {} versions each in {:.1} s.",
                args.extra_policies,
                args.versions_each,
                started.elapsed().as_secs_f64()
            );
        }
    } else {
        println!(
            "Using the existing demo organization in {location} (use --fresh to generate it again)."
        );
    }
    let signer =
        super::audit_log::start_signing(store.as_ref(), &args.signing.path(&location)).await?;
    if args.no_serve {
        return Ok(ExitCode::SUCCESS);
    }
    let listener = crate::server::bind(args.listen).await?;
    println!(
        "Charter demo is serving at http://{}/  (Ctrl-C to stop)",
        listener.local_addr()?
    );
    let mut state = AppState::new(store);
    state.public_url = public_url;
    state.signer = Some(signer);
    let jobs = start_jobs(&state, mailer, &args.mail);
    crate::server::serve(listener, state, None).await?;
    stop_jobs(jobs).await;
    Ok(ExitCode::SUCCESS)
}

/// Campaigns at different coverage levels (for an organization small enough to give everyone an
/// account), and the benchmark's acknowledgment load when asked for.
async fn seed_demo_campaigns(
    store: &dyn crate::store::Store,
    args: &DemoArgs,
) -> anyhow::Result<()> {
    if args.people <= DEMO_CAMPAIGN_PEOPLE {
        let started = Instant::now();
        let campaigns = crate::demo::campaigns::seed_campaigns(store, today()).await?;
        println!(
            "Launched {campaigns} acknowledgment campaigns and recorded their acknowledgments in {:.1} s.",
            started.elapsed().as_secs_f64()
        );
    }
    if args.ack_history_campaigns > 0 {
        let started = Instant::now();
        let written = crate::demo::ack_history::seed_acknowledgment_history(
            store,
            args.ack_history_campaigns,
            today(),
        )
        .await?;
        println!(
            "Recorded {written} acknowledgments in {} past campaigns in {:.1} s.",
            args.ack_history_campaigns,
            started.elapsed().as_secs_f64()
        );
    }
    if args.ack_load_people > 0 && args.ack_load_campaigns > 0 {
        let lines = crate::demo::campaigns::seed_acknowledgment_load(
            store,
            args.ack_load_people,
            args.ack_load_campaigns,
            today(),
        )
        .await?;
        std::fs::write(&args.ack_load_out, lines.join("\n") + "\n")?;
        println!(
            "Wrote {} acknowledgments to give to {}.",
            lines.len(),
            args.ack_load_out.display()
        );
    }
    Ok(())
}

/// The catalog held by the demo's people, with its deliberate gaps (for an organization small
/// enough to give everyone an account), and the benchmark's role register when asked for.
async fn seed_demo_roles(store: &dyn crate::store::Store, args: &DemoArgs) -> anyhow::Result<()> {
    if args.people <= DEMO_CAMPAIGN_PEOPLE {
        let roles = crate::demo::roles::seed_roles(store, today()).await?;
        println!(
            "Assigned {} roles ({} acknowledged) and recorded {} delegations; the gaps are on /roles/gaps.",
            roles.assignments, roles.acknowledged, roles.delegations
        );
    }
    if args.role_load_roles > 0 {
        let started = Instant::now();
        let load = crate::demo::role_load::seed_role_load(
            store,
            args.role_load_roles,
            args.role_load_assignments,
            today(),
        )
        .await?;
        println!(
            "Added {} roles and {} assignments in {:.1} s.",
            load.roles,
            load.assignments,
            started.elapsed().as_secs_f64()
        );
    }
    Ok(())
}

/// A year of leadership records, whatever the size of the organization (they are few).
async fn seed_demo_leadership(store: &dyn crate::store::Store) -> anyhow::Result<()> {
    let started = Instant::now();
    let s = crate::demo::leadership::seed_leadership(store, today()).await?;
    println!(
        "Recorded {} objectives with {} measurements, {} management reviews with {} actions, {} resource commitments, {} processes, {} briefings, {} messages from top management, {} performance reports and {} confidential concerns in {:.1} s; the state of the ISMS is on /leadership.",
        s.objectives,
        s.measurements,
        s.reviews,
        s.actions,
        s.resource_commitments,
        s.processes,
        s.briefings,
        s.communications,
        s.reports,
        s.concerns,
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// Above this many people the demo launches no campaigns (each person would need an account).
const DEMO_CAMPAIGN_PEOPLE: usize = 5_000;

/// `--fresh` removes the demo's SQLite file; a PostgreSQL demo database is left to its owner.
fn remove_sqlite_files(location: &DatabaseLocation) -> anyhow::Result<()> {
    let DatabaseLocation::Sqlite(path) = location else {
        anyhow::bail!(
            "--fresh only works with an SQLite demo database; empty the PostgreSQL database yourself"
        );
    };
    for suffix in ["", "-wal", "-shm"] {
        let file = format!("{}{suffix}", path.display());
        match std::fs::remove_file(&file) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(e).with_context(|| format!("cannot remove {file}")),
        }
    }
    Ok(())
}

async fn migrate(args: DatabaseArgs) -> anyhow::Result<ExitCode> {
    let location = args.location()?;
    let store = store::connect(&location).await?;
    let applied = store.migrate().await?;
    if applied.is_empty() {
        println!("{location} is up to date.");
    } else {
        let versions: Vec<String> = applied.iter().map(ToString::to_string).collect();
        println!(
            "Applied migration(s) {} to {location}.",
            versions.join(", ")
        );
    }
    Ok(ExitCode::SUCCESS)
}

async fn import(file: &Path, db: &DatabaseArgs) -> anyhow::Result<ExitCode> {
    let bytes = read_input(file)?;
    let store = open(&db.location()?).await?;
    let started = Instant::now();
    match import_people(store.as_ref(), &Actor::cli(), &bytes, today()).await {
        Ok(report) => {
            println!(
                "Imported {}: {} created, {} updated, {} unchanged ({:.2} s).",
                file.display(),
                report.created,
                report.updated,
                report.unchanged,
                started.elapsed().as_secs_f64()
            );
            Ok(ExitCode::SUCCESS)
        }
        Err(ImportError::Invalid(lines)) => {
            for line in &lines {
                eprintln!("line {}: {}", line.line, line.reasons.join("; "));
            }
            eprintln!(
                "error: {} line(s) of {} are not valid; nothing was imported.",
                lines.len(),
                file.display()
            );
            Ok(ExitCode::from(1))
        }
        Err(other) => Err(other.into()),
    }
}

fn read_input(file: &Path) -> anyhow::Result<Vec<u8>> {
    if file.as_os_str() == "-" {
        let mut bytes = Vec::new();
        std::io::stdin()
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
        return Ok(bytes);
    }
    std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))
}

async fn export(out: Option<&Path>, db: &DatabaseArgs) -> anyhow::Result<ExitCode> {
    let store = open(&db.location()?).await?;
    let csv = export_people(store.as_ref()).await?;
    match out {
        Some(path) => std::fs::write(path, &csv)
            .with_context(|| format!("cannot write {}", path.display()))?,
        None => std::io::stdout()
            .write_all(&csv)
            .context("cannot write to standard output")?,
    }
    Ok(ExitCode::SUCCESS)
}

async fn verify(db: &DatabaseArgs) -> anyhow::Result<ExitCode> {
    let store = open(&db.location()?).await?;
    let started = Instant::now();
    let report = store.verify_audit_log().await?;
    let seconds = started.elapsed().as_secs_f64();
    let rate = report.events_checked as f64 / seconds.max(1e-9);
    let timing = format!("checked in {seconds:.2} s, {rate:.0} events/s");
    if let Some(broken) = &report.broken {
        println!("The audit chain is BROKEN at {broken}.");
        println!("{} events before it are intact.", report.events_checked);
        return Ok(ExitCode::from(1));
    }
    if let Some(problem) = &report.problem {
        println!("The audit log is BROKEN: {problem}.");
        println!(
            "The hash chain of its {} events is intact; the Merkle log does not match it.",
            report.events_checked
        );
        return Ok(ExitCode::from(1));
    }
    match &report.latest {
        Some(latest) => println!(
            "The audit log is intact: {} events, {} signed checkpoints verified, latest at size {}, root {} ({timing}).",
            report.events_checked, report.checkpoints_verified, latest.tree_size, latest.root_hash
        ),
        None => println!(
            "The audit log is intact: {} events, no signed checkpoint yet ({timing}).",
            report.events_checked
        ),
    }
    Ok(ExitCode::SUCCESS)
}
