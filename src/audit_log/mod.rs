//! The audit trail as a signed Merkle tree log: the server's Ed25519 checkpoint key and the checkpoints it signs.

pub mod signer;
pub mod tree;
pub mod verify;
