//! The audit pack: an assessment with the evidence it cites, a manifest of SHA-256 hashes, the signed checkpoint and inclusion proofs, as JSON, HTML, PDF and OSCAL, and its offline verification.

pub mod build;
pub mod export;
pub mod gather;
pub mod html;
pub mod oscal;
pub mod pdf;
pub mod samples;
pub mod verify;

pub use build::{PackRequest, build_pack};
pub use export::{PackFormat, render};
pub use verify::{Verification, verify_bytes};
