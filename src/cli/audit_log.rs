//! `charter audit public-key`, and the signing of the audit log when a server starts: the Merkle
//! log's key and its first checkpoint from the command line.

use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Instant;

use clap::Args;
use time::OffsetDateTime;

use super::{DatabaseArgs, SigningKeyArgs};
use crate::audit_log::signer::CheckpointSigner;
use crate::domain::checkpoint::public_key_pem;
use crate::store::Store;

/// `charter audit public-key`.
#[derive(Debug, Args)]
pub struct PublicKeyArgs {
    #[command(flatten)]
    pub db: DatabaseArgs,
    #[command(flatten)]
    pub signing: SigningKeyArgs,
}

/// Prints the PEM public key of the server's key file or, when there is none here, the latest
/// key registered in the database (exit 1 when there is neither).
pub async fn public_key(args: PublicKeyArgs) -> anyhow::Result<ExitCode> {
    let location = args.db.location()?;
    let path = args.signing.path(&location);
    if path.exists() {
        print!("{}", CheckpointSigner::load(&path)?.public_key_pem());
        return Ok(ExitCode::SUCCESS);
    }
    let store = crate::store::open(&location).await?;
    let keys = store.signing_keys().await?;
    match keys.last().and_then(|k| k.raw()) {
        Some(key) => {
            print!("{}", public_key_pem(&key));
            Ok(ExitCode::SUCCESS)
        }
        None => {
            eprintln!(
                "error: no signing key at {} and none registered in {location}: `charter serve` creates it",
                path.display()
            );
            Ok(ExitCode::from(1))
        }
    }
}

/// Loads (or creates) the server's key and signs the log as it is at start. A key file that
/// cannot be read stops the start; a log that cannot be signed (it was altered) is logged and
/// the server goes on, so `charter audit verify` can name what changed.
pub async fn start_signing(
    store: &dyn Store,
    path: &Path,
) -> anyhow::Result<Arc<CheckpointSigner>> {
    let signer = CheckpointSigner::load_or_create(path)?;
    let started = Instant::now();
    match store
        .make_checkpoint(&signer, OffsetDateTime::now_utc())
        .await
    {
        Ok(checkpoint) => println!(
            "Audit log: checkpoint of {} events signed with key {} ({}) in {:.1} s.",
            checkpoint.tree_size,
            signer.key_id(),
            path.display(),
            started.elapsed().as_secs_f64()
        ),
        Err(error) => {
            tracing::error!(%error, "cannot sign the audit log");
            println!("Audit log: NOT signed ({error}); run `charter audit verify`.");
        }
    }
    Ok(Arc::new(signer))
}
