//! `charter audit verify-pack PATH --public-key FILE`: checks an audit pack (its JSON, or its
//! HTML rendering) offline with only the server's public key (PEM or base64).
//!
//! Exit codes: 0 when everything verifies, 1 when anything fails (the first failure is named),
//! 2 when the pack or the key cannot be read.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::Args;

use crate::audit_pack::verify_bytes;
use crate::domain::checkpoint::parse_public_key;

/// `charter audit verify-pack`.
#[derive(Debug, Args)]
pub struct VerifyPackArgs {
    /// The pack file (JSON, or the HTML rendering with the pack embedded).
    pub path: PathBuf,
    /// The server's public key, PEM or base64 (`charter audit public-key` prints it).
    #[arg(long, env = "CHARTER_PUBLIC_KEY")]
    pub public_key: PathBuf,
}

pub async fn verify_pack(args: VerifyPackArgs) -> anyhow::Result<ExitCode> {
    let pack = match std::fs::read(&args.path) {
        Ok(bytes) => bytes,
        Err(e) => {
            return Ok(unreadable(&format!(
                "cannot read {}: {e}",
                args.path.display()
            )));
        }
    };
    let key = match std::fs::read_to_string(&args.public_key) {
        Ok(text) => text,
        Err(e) => {
            return Ok(unreadable(&format!(
                "cannot read the public key {}: {e}",
                args.public_key.display()
            )));
        }
    };
    let key = match parse_public_key(&key) {
        Ok(key) => key,
        Err(reason) => {
            return Ok(unreadable(&format!(
                "{}: {reason}",
                args.public_key.display()
            )));
        }
    };
    let verification = tokio::task::spawn_blocking(move || verify_bytes(&pack, &key)).await?;
    print!("{}", verification.report());
    Ok(if verification.passed() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn unreadable(message: &str) -> ExitCode {
    eprintln!("error: {message}");
    ExitCode::from(2)
}
