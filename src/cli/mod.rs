//! The `charter` command: flags (each also read from a `CHARTER_*` variable) and what each command does.

mod audit_log;
mod check;
mod commands;
mod policy;
mod report;
mod users;
mod verify_pack;

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::store::DatabaseLocation;
use crate::telemetry::LogFormat;

pub use policy::{PolicyCommand, PolicyFormat};
pub use report::{ReportArgs, ReportFormat};

/// Charter keeps the leadership layer of your ISMS (ISO/IEC 27001 clause 5) alive and provable:
/// the organization, its policies, its security roles, and an audit trail an auditor can check.
#[derive(Debug, Parser)]
#[command(name = "charter", version, propagate_version = true)]
pub struct Cli {
    /// How log lines are written: `text` for people, `json` for log collectors.
    #[arg(
        long,
        global = true,
        env = "CHARTER_LOG_FORMAT",
        value_enum,
        default_value = "text"
    )]
    pub log_format: LogFormat,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the Charter server (web pages and JSON API) on your database.
    Serve(ServeArgs),
    /// Serve a realistic demo organization from its own database, never your real one.
    Demo(DemoArgs),
    /// Bring the database schema up to date (the server also does this when it starts).
    Migrate(DatabaseArgs),
    /// Import records from a file.
    #[command(subcommand)]
    Import(ImportCommand),
    /// Export records to a file or standard output.
    #[command(subcommand)]
    Export(ExportCommand),
    /// Work with the tamper-evident audit trail.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// Manage the accounts that may sign in.
    #[command(subcommand)]
    User(UserCommand),
    /// Work with policy documents (no database needed).
    #[command(subcommand)]
    Policy(PolicyCommand),
    /// Write a stored report to a file: `charter report performance --format pdf --out report.pdf`
    /// writes the latest performance report (or `--id`) from its frozen snapshot.
    Report(report::ReportArgs),
    /// Evaluate every requirement of the catalog now and print the verdicts: exit 0 when all
    /// conform, 1 on any nonconformity, 2 on error.
    Check(check::CheckArgs),
    /// Run an assessment and store it as an immutable snapshot.
    Assess(check::AssessArgs),
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create an account for a person (created too when `--name` is given and the email is new).
    /// The password is read from standard input: typed at the prompt, or piped with --password-stdin.
    Create {
        /// The person's email; it is also what they sign in with.
        #[arg(long, env = "CHARTER_USER_EMAIL")]
        email: String,
        /// The person's name, to create the person when no one has this email yet.
        #[arg(long, env = "CHARTER_USER_NAME")]
        name: Option<String>,
        /// A role of the tool (repeat for several): admin, isms_manager, top_management, manager,
        /// staff, auditor, concern_handler.
        #[arg(
            long = "role",
            env = "CHARTER_USER_ROLES",
            value_delimiter = ',',
            required = true
        )]
        roles: Vec<String>,
        /// The last day (UTC) the account may be used, e.g. the end of an audit engagement
        /// (not in the past; for an auditor at most 366 days ahead). Absent: no end.
        #[arg(long, env = "CHARTER_USER_EXPIRES_ON", value_name = "YYYY-MM-DD")]
        expires_on: Option<String>,
        /// Read the password from standard input without a prompt (for scripts).
        #[arg(long, env = "CHARTER_PASSWORD_STDIN")]
        password_stdin: bool,
        #[command(flatten)]
        db: DatabaseArgs,
    },
}

/// Where the data lives.
#[derive(Debug, Clone, Args)]
pub struct DatabaseArgs {
    /// The database: a file path or sqlite:// URL (SQLite, created when missing), or a postgres:// URL.
    #[arg(
        long,
        env = "CHARTER_DATABASE",
        default_value = "./charter-data/charter.db"
    )]
    pub database: String,
}

impl DatabaseArgs {
    /// The parsed location; a bad value is a one-line error.
    pub fn location(&self) -> anyhow::Result<DatabaseLocation> {
        parse_location(&self.database)
    }
}

pub fn parse_location(raw: &str) -> anyhow::Result<DatabaseLocation> {
    raw.parse()
        .map_err(|e: String| anyhow::anyhow!("invalid --database: {e}"))
}

#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
    /// The address and port to listen on.
    #[arg(long, env = "CHARTER_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    #[command(flatten)]
    pub web: WebArgs,
    #[command(flatten)]
    pub mail: MailArgs,
    #[command(flatten)]
    pub signing: SigningKeyArgs,
}

/// The Ed25519 key that signs the audit log's checkpoints.
#[derive(Debug, Clone, Args)]
pub struct SigningKeyArgs {
    /// The checkpoint signing key (PKCS#8), created with mode 0600 when missing. Default: beside
    /// a SQLite database (`charter-signing.key`), or `./charter-data/charter-signing.key`.
    #[arg(long, env = "CHARTER_SIGNING_KEY")]
    pub signing_key: Option<PathBuf>,
}

impl SigningKeyArgs {
    /// The key file for a database.
    pub fn path(&self, location: &DatabaseLocation) -> PathBuf {
        if let Some(path) = &self.signing_key {
            return path.clone();
        }
        match location {
            DatabaseLocation::Sqlite(db) => db
                .parent()
                .filter(|p| !p.as_os_str().is_empty())
                .map_or_else(
                    || PathBuf::from("charter-signing.key"),
                    |dir| dir.join("charter-signing.key"),
                ),
            DatabaseLocation::Postgres(_) => PathBuf::from("./charter-data/charter-signing.key"),
        }
    }
}

/// How Charter meets browsers: directly over TLS, or behind a reverse proxy.
#[derive(Debug, Clone, Args)]
pub struct WebArgs {
    /// Serve HTTPS with this PEM certificate chain (needs --tls-key).
    #[arg(long, env = "CHARTER_TLS_CERT", requires = "tls_key")]
    pub tls_cert: Option<PathBuf>,
    /// The PEM private key of --tls-cert.
    #[arg(long, env = "CHARTER_TLS_KEY", requires = "tls_cert")]
    pub tls_key: Option<PathBuf>,
    /// Browsers reach Charter over HTTPS through a proxy: mark cookies Secure and send HSTS.
    #[arg(long, env = "CHARTER_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Proxies whose X-Forwarded-For header is believed (comma-separated addresses); from any
    /// other peer the header is ignored.
    #[arg(long, env = "CHARTER_TRUSTED_PROXIES", value_delimiter = ',')]
    pub trusted_proxies: Vec<std::net::IpAddr>,
}

/// Email and the background jobs that send it.
#[derive(Clone, Args)]
pub struct MailArgs {
    /// The SMTP server mail goes to, with its credentials: `smtps://user:pass@host:465` (TLS),
    /// `smtp://user:pass@host:587?tls=required` (STARTTLS) or `smtp://127.0.0.1:25` (a local
    /// relay). Without it, mail is held in the outbox for an admin to read.
    #[arg(long, env = "CHARTER_SMTP_URL", hide_env_values = true)]
    pub smtp_url: Option<String>,
    /// A PEM certificate to trust for the SMTP server besides the public roots (a private CA).
    #[arg(long, env = "CHARTER_SMTP_CA_FILE")]
    pub smtp_ca_file: Option<PathBuf>,
    /// The sender of Charter's emails.
    #[arg(long, env = "CHARTER_MAIL_FROM", default_value = crate::mail::DEFAULT_FROM)]
    pub mail_from: String,
    /// The address people reach Charter at (`https://charter.example.com`), for links in emails.
    #[arg(long, env = "CHARTER_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Seconds between runs of the background jobs (reminders, expiries, sending mail).
    #[arg(
        long,
        env = "CHARTER_JOB_INTERVAL",
        default_value_t = 30,
        value_parser = clap::value_parser!(u64).range(1..=3600)
    )]
    pub job_interval: u64,
}

impl std::fmt::Debug for MailArgs {
    /// Never prints the SMTP URL: it holds a password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailArgs")
            .field("smtp_url", &self.smtp_url.as_ref().map(|_| "(set)"))
            .field("smtp_ca_file", &self.smtp_ca_file)
            .field("mail_from", &self.mail_from)
            .field("public_url", &self.public_url)
            .field("job_interval", &self.job_interval)
            .finish()
    }
}

impl MailArgs {
    pub fn settings(&self) -> crate::mail::MailSettings {
        crate::mail::MailSettings {
            smtp_url: self.smtp_url.clone().filter(|url| !url.trim().is_empty()),
            smtp_ca_file: self.smtp_ca_file.clone(),
            from: self.mail_from.clone(),
        }
    }

    /// `--public-url` without its trailing slash; it must be an http(s) address.
    pub fn public_url(&self) -> anyhow::Result<Option<std::sync::Arc<str>>> {
        let Some(raw) = self
            .public_url
            .as_deref()
            .map(str::trim)
            .filter(|u| !u.is_empty())
        else {
            return Ok(None);
        };
        let valid = url::Url::parse(raw)
            .is_ok_and(|url| matches!(url.scheme(), "http" | "https") && url.host_str().is_some());
        if !valid {
            anyhow::bail!(
                "invalid --public-url {raw:?}: give the address people open, such as https://charter.example.com"
            );
        }
        Ok(Some(raw.trim_end_matches('/').into()))
    }
}

#[derive(Debug, Clone, Args)]
pub struct DemoArgs {
    /// The demo's own database (kept apart from CHARTER_DATABASE so a demo never touches real data).
    #[arg(
        long,
        env = "CHARTER_DEMO_DATABASE",
        default_value = "./charter-demo/charter.db"
    )]
    pub database: String,
    /// The address and port to listen on.
    #[arg(long, env = "CHARTER_LISTEN", default_value = "127.0.0.1:8080")]
    pub listen: SocketAddr,
    /// How many people the generated organization has (at least 300 for a realistic picture).
    #[arg(long, env = "CHARTER_DEMO_PEOPLE", default_value_t = 320)]
    pub people: usize,
    /// Throw away the demo database and generate the organization again.
    #[arg(long, env = "CHARTER_DEMO_FRESH")]
    pub fresh: bool,
    /// The password of the demo accounts (one per role); random when not given.
    #[arg(long, env = "CHARTER_DEMO_PASSWORD")]
    pub demo_password: Option<String>,
    /// Generate the organization and exit without serving it.
    #[arg(long, env = "CHARTER_DEMO_NO_SERVE")]
    pub no_serve: bool,
    /// For benchmarks: this many more topic-specific policies, each with a history of versions.
    #[arg(
        long,
        hide = true,
        env = "CHARTER_DEMO_EXTRA_POLICIES",
        default_value_t = 0
    )]
    pub extra_policies: usize,
    /// For benchmarks: how many published versions each extra policy has.
    #[arg(
        long,
        hide = true,
        env = "CHARTER_DEMO_VERSIONS_EACH",
        default_value_t = 20
    )]
    pub versions_each: usize,
    /// For benchmarks: give this many people a write API token and ask each of them to acknowledge
    /// in --ack-load-campaigns campaigns; the lines to replay go to --ack-load-out.
    #[arg(long, hide = true, default_value_t = 0)]
    pub ack_load_people: usize,
    #[arg(long, hide = true, default_value_t = 0)]
    pub ack_load_campaigns: usize,
    #[arg(long, hide = true, default_value = "ack-load.txt")]
    pub ack_load_out: PathBuf,
    /// For benchmarks: this many past campaigns of the top-level policy to everyone, each
    /// acknowledged by everyone (100,000 people and 20 campaigns give 2,000,000 acknowledgments).
    #[arg(long, hide = true, default_value_t = 0)]
    pub ack_history_campaigns: usize,
    /// For benchmarks: this many more catalog roles (with a 100-activity RACI matrix and
    /// segregation rules) and --role-load-assignments assignments spread over the people.
    #[arg(long, hide = true, default_value_t = 0)]
    pub role_load_roles: usize,
    #[arg(long, hide = true, default_value_t = 0)]
    pub role_load_assignments: usize,
    #[command(flatten)]
    pub mail: MailArgs,
    #[command(flatten)]
    pub signing: SigningKeyArgs,
}

#[derive(Debug, Subcommand)]
pub enum ImportCommand {
    /// Import people from a CSV file (columns: name,email,job_title,unit,manager_email,kind,status,departed_on).
    /// Every line is checked first: one bad line and nothing is imported. Matching is by email, so
    /// importing the same file twice changes nothing.
    People {
        /// The CSV file, or `-` for standard input.
        file: PathBuf,
        #[command(flatten)]
        db: DatabaseArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum ExportCommand {
    /// Export every person as CSV, in the columns the import reads.
    People {
        /// Write to this file instead of standard output.
        #[arg(long, short, env = "CHARTER_EXPORT_OUT")]
        out: Option<PathBuf>,
        #[command(flatten)]
        db: DatabaseArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Check every event of the audit trail; exits 1 and names the first broken event if any was
    /// edited, removed, inserted or reordered.
    Verify(DatabaseArgs),
    /// Check an audit pack offline with only the server's public key.
    VerifyPack(verify_pack::VerifyPackArgs),
    /// Print the public key that verifies the server's signed checkpoints.
    PublicKey(audit_log::PublicKeyArgs),
}

/// Parses the command line and runs; configuration errors are one line on stderr and exit code 2.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    crate::telemetry::init_logging(cli.log_format);
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("error: cannot start the runtime: {e}");
            return ExitCode::from(2);
        }
    };
    match runtime.block_on(commands::run(cli.command)) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error:#}");
            ExitCode::from(2)
        }
    }
}
