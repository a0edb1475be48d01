//! Domain types and rules: what the organization is made of, and how evidence is chained. No I/O here.

pub mod access;
pub mod account;
pub mod audit;
pub mod email;
pub mod fields;
pub mod org;
pub mod page;
pub mod person;
pub mod unit;

pub use audit::{Actor, AuditEvent, AuditFilter, ChainBreak, ChainVerifier, NewAuditEvent};
pub use email::Email;
pub use fields::FieldErrors;
pub use org::{OrgProfile, OrgProfileInput};
pub use page::{Page, PageRequest};
pub use person::{Person, PersonFilter, PersonInput, PersonKind, PersonStatus};
pub use unit::{Unit, UnitFilter, UnitInput};
