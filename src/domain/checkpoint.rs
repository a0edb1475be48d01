//! Signed checkpoints of the audit log (tree size and root hash, signed with the server's Ed25519
//! key) and inclusion proofs, with their verification: pure functions an offline verifier needs,
//! given only the public key.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use ring::signature::{ED25519, UnparsedPublicKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use utoipa::ToSchema;

use super::merkle::{Hash, leaf_hash, verify_inclusion};

/// The first line of every checkpoint's signed text.
pub const ORIGIN: &str = "Charter audit log v1";

/// The DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410), before the 32 key bytes.
const SPKI_PREFIX: [u8; 12] = [
    0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00,
];

/// A tree head the server signed: the log had `tree_size` events and this root hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Checkpoint {
    pub tree_size: u64,
    /// The RFC 9162 root hash, in hex.
    pub root_hash: String,
    #[serde(with = "time::serde::rfc3339")]
    pub signed_at: OffsetDateTime,
    /// The first 16 hex digits of the SHA-256 of the raw public key.
    pub key_id: String,
    /// The Ed25519 signature of `signed_text()`, in hex.
    pub signature: String,
}

impl Checkpoint {
    /// The text the signature covers: origin, size, root (base64) and time, one per line.
    pub fn signed_text(&self) -> String {
        signed_text(self.tree_size, &self.root_hash, self.signed_at)
    }

    /// Whether the signature is the key's over this checkpoint.
    pub fn signature_valid(&self, public_key: &[u8]) -> bool {
        let Ok(signature) = hex::decode(&self.signature) else {
            return false;
        };
        key_id(public_key) == self.key_id
            && UnparsedPublicKey::new(&ED25519, public_key)
                .verify(self.signed_text().as_bytes(), &signature)
                .is_ok()
    }

    /// The root hash as bytes (none when it is not 32 bytes of hex).
    pub fn root(&self) -> Option<Hash> {
        hex::decode(&self.root_hash).ok()?.try_into().ok()
    }
}

/// The text a checkpoint's signature covers.
pub fn signed_text(tree_size: u64, root_hash_hex: &str, signed_at: OffsetDateTime) -> String {
    let root = hex::decode(root_hash_hex).unwrap_or_default();
    let at = signed_at.unix_timestamp_nanos() / 1_000;
    format!("{ORIGIN}\n{tree_size}\n{}\n{at}\n", BASE64.encode(root))
}

/// The id of a raw 32-byte public key.
pub fn key_id(public_key: &[u8]) -> String {
    hex::encode(&Sha256::digest(public_key)[..8])
}

/// A raw 32-byte Ed25519 public key as PEM (SubjectPublicKeyInfo).
pub fn public_key_pem(public_key: &[u8]) -> String {
    let mut der = SPKI_PREFIX.to_vec();
    der.extend_from_slice(public_key);
    format!(
        "-----BEGIN PUBLIC KEY-----\n{}\n-----END PUBLIC KEY-----\n",
        BASE64.encode(der)
    )
}

/// The raw 32-byte key from PEM (SubjectPublicKeyInfo) or from base64 of the raw key.
pub fn parse_public_key(text: &str) -> Result<Vec<u8>, String> {
    let body: String = text
        .lines()
        .filter(|line| !line.starts_with("-----"))
        .collect::<String>()
        .split_whitespace()
        .collect();
    let bytes = BASE64
        .decode(body)
        .map_err(|_| "the public key is neither PEM nor base64".to_owned())?;
    match bytes.len() {
        32 => Ok(bytes),
        44 if bytes[..12] == SPKI_PREFIX => Ok(bytes[12..].to_vec()),
        _ => Err("the public key is not an Ed25519 key".to_owned()),
    }
}

/// The proof that the event at `leaf_index` is in the tree of `tree_size` events.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct InclusionProof {
    pub leaf_index: u64,
    pub tree_size: u64,
    /// The audit path, in hex, leaf side first.
    pub hashes: Vec<String>,
}

impl InclusionProof {
    /// Whether the event whose chain hash is `event_hash_hex` is the proof's leaf under `root`.
    pub fn proves(&self, event_hash_hex: &str, root: &Hash) -> bool {
        let Ok(entry) = hex::decode(event_hash_hex) else {
            return false;
        };
        let Some(path) = decode_hashes(&self.hashes) else {
            return false;
        };
        verify_inclusion(
            self.leaf_index,
            self.tree_size,
            &leaf_hash(&entry),
            &path,
            root,
        )
    }
}

/// Hex hashes to bytes; none when one is not 32 bytes of hex.
pub fn decode_hashes(hashes: &[String]) -> Option<Vec<Hash>> {
    hashes
        .iter()
        .map(|h| hex::decode(h).ok()?.try_into().ok())
        .collect()
}

/// The leaf an audit event is in the log: the leaf hash of its 32-byte chain hash.
pub fn event_leaf(event_hash_hex: &str) -> Option<Hash> {
    let entry = hex::decode(event_hash_hex).ok()?;
    (entry.len() == 32).then(|| leaf_hash(&entry))
}

/// A public key the server registered for its checkpoints (never removed: old checkpoints keep
/// verifying).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct SigningKey {
    /// The first 16 hex digits of the SHA-256 of the raw public key.
    pub key_id: String,
    /// The raw 32-byte Ed25519 public key, in hex.
    pub public_key: String,
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl SigningKey {
    /// The raw key bytes (none when the stored text is not 32 bytes of hex).
    pub fn raw(&self) -> Option<Vec<u8>> {
        hex::decode(&self.public_key).ok().filter(|k| k.len() == 32)
    }
}
