//! The server's Ed25519 checkpoint key: a PKCS#8 file created once (mode 0600) and never
//! replaced, and the checkpoints it signs. The private key never leaves this type.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::Context;
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ring::rand::SystemRandom;
use ring::signature::{Ed25519KeyPair, KeyPair};
use time::OffsetDateTime;

use crate::domain::audit::truncate_to_micros;
use crate::domain::checkpoint::{Checkpoint, key_id, public_key_pem, signed_text};
use crate::domain::merkle::Hash;

const PEM_BEGIN: &str = "-----BEGIN PRIVATE KEY-----";
const PEM_END: &str = "-----END PRIVATE KEY-----";

/// Signs checkpoints of the audit log with the server's key.
pub struct CheckpointSigner {
    key: Ed25519KeyPair,
    public_key: [u8; 32],
    key_id: String,
}

impl std::fmt::Debug for CheckpointSigner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckpointSigner")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl CheckpointSigner {
    /// The key in the file at `path`, created (with its folder) when there is none. A file that
    /// is not an Ed25519 PKCS#8 key is an error: it is never replaced, since checkpoints signed
    /// with it could no longer be told from forged ones by its public key alone.
    pub fn load_or_create(path: &Path) -> anyhow::Result<Self> {
        match std::fs::read(path) {
            Ok(bytes) => Self::from_file(path, &bytes),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                create_key_file(path)?;
                let bytes = std::fs::read(path)
                    .with_context(|| format!("cannot read the signing key {}", path.display()))?;
                let signer = Self::from_file(path, &bytes)?;
                tracing::info!(path = %path.display(), key_id = %signer.key_id, "created the checkpoint signing key");
                Ok(signer)
            }
            Err(e) => {
                Err(e).with_context(|| format!("cannot read the signing key {}", path.display()))
            }
        }
    }

    /// The key in the file at `path`, which must exist.
    pub fn load(path: &Path) -> anyhow::Result<Self> {
        let bytes = std::fs::read(path)
            .with_context(|| format!("cannot read the signing key {}", path.display()))?;
        Self::from_file(path, &bytes)
    }

    fn from_file(path: &Path, bytes: &[u8]) -> anyhow::Result<Self> {
        warn_if_readable_by_others(path);
        Self::from_pkcs8(bytes).with_context(|| {
            format!(
                "the signing key {} is not an Ed25519 PKCS#8 key; it is never replaced \
                 automatically: restore it from a backup, or move it away to start a new key",
                path.display()
            )
        })
    }

    /// A key from PKCS#8, as DER or PEM (`BEGIN PRIVATE KEY`).
    pub fn from_pkcs8(bytes: &[u8]) -> anyhow::Result<Self> {
        let der = match std::str::from_utf8(bytes) {
            Ok(text) if text.trim_start().starts_with(PEM_BEGIN) => pem_body(text)?,
            _ => bytes.to_vec(),
        };
        let key = Ed25519KeyPair::from_pkcs8(&der)
            .or_else(|_| Ed25519KeyPair::from_pkcs8_maybe_unchecked(&der))
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let public_key: [u8; 32] = key
            .public_key()
            .as_ref()
            .try_into()
            .context("an Ed25519 public key has 32 bytes")?;
        Ok(Self {
            key,
            key_id: key_id(&public_key),
            public_key,
        })
    }

    /// The raw 32-byte public key.
    pub fn public_key(&self) -> [u8; 32] {
        self.public_key
    }

    /// The public key's id (as checkpoints name it).
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    /// The public key as PEM (SubjectPublicKeyInfo).
    pub fn public_key_pem(&self) -> String {
        public_key_pem(&self.public_key)
    }

    /// The signed checkpoint of a tree of `tree_size` leaves with this root, at `now` (kept to
    /// the microsecond, as the databases store it).
    pub fn sign(&self, tree_size: u64, root: &Hash, now: OffsetDateTime) -> Checkpoint {
        let signed_at = truncate_to_micros(now);
        let root_hash = hex::encode(root);
        let signature = self
            .key
            .sign(signed_text(tree_size, &root_hash, signed_at).as_bytes());
        Checkpoint {
            tree_size,
            root_hash,
            signed_at,
            key_id: self.key_id.clone(),
            signature: hex::encode(signature.as_ref()),
        }
    }
}

fn pem_body(text: &str) -> anyhow::Result<Vec<u8>> {
    let body: String = text
        .lines()
        .map(str::trim)
        .skip_while(|line| *line != PEM_BEGIN)
        .skip(1)
        .take_while(|line| *line != PEM_END)
        .collect();
    BASE64
        .decode(body)
        .map_err(|_| anyhow::anyhow!("its PEM text is not base64"))
}

fn pem(der: &[u8]) -> String {
    let encoded = BASE64.encode(der);
    let mut text = format!("{PEM_BEGIN}\n");
    for line in encoded.as_bytes().chunks(64) {
        text.push_str(&String::from_utf8_lossy(line));
        text.push('\n');
    }
    text.push_str(PEM_END);
    text.push('\n');
    text
}

/// Writes a new key beside `path` (mode 0600) and links it into place, so a reader never sees
/// half a file and a key another process created meanwhile is kept.
fn create_key_file(path: &Path) -> anyhow::Result<()> {
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf);
    create_folder(&folder)?;
    let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
        .map_err(|_| anyhow::anyhow!("cannot generate a signing key"))?;
    let random = crate::auth::secret::random_secret();
    let temporary = folder.join(format!(
        ".charter-signing-{}-{}.tmp",
        std::process::id(),
        &random[..12]
    ));
    let written = write_private(&temporary, pem(pkcs8.as_ref()).as_bytes());
    let linked = written.and_then(|()| match std::fs::hard_link(&temporary, path) {
        Err(e) if e.kind() != std::io::ErrorKind::AlreadyExists => Err(e),
        _ => Ok(()),
    });
    let _ = std::fs::remove_file(&temporary);
    linked.with_context(|| format!("cannot create the signing key {}", path.display()))
}

fn create_folder(folder: &Path) -> anyhow::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(folder)
        .with_context(|| format!("cannot create the folder {}", folder.display()))
}

fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path)?;
    file.write_all(bytes)?;
    file.sync_all()
}

#[cfg(unix)]
fn warn_if_readable_by_others(path: &Path) {
    use std::os::unix::fs::PermissionsExt;
    if let Ok(meta) = std::fs::metadata(path)
        && meta.permissions().mode() & 0o077 != 0
    {
        tracing::warn!(path = %path.display(), "the signing key can be read by other users; chmod 600 it");
    }
}

#[cfg(not(unix))]
fn warn_if_readable_by_others(_path: &Path) {}
