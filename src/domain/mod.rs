//! Domain types and rules: what the organization is made of, and how evidence is chained. No I/O here.

/// `as_str`, `FromStr` and `Display` for an enum stored and sent as snake_case text.
macro_rules! text_enum {
    ($ty:ty, $what:literal, $($variant:ident => $text:literal),+) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),+];
            pub fn as_str(self) -> &'static str {
                match self { $(<$ty>::$variant => $text),+ }
            }
        }
        impl std::str::FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s.trim().to_ascii_lowercase().replace([' ', '-'], "_").as_str() {
                    $($text => Ok(<$ty>::$variant),)+
                    other => Err(format!(concat!("is not a known ", $what, " ({})"), $crate::domain::other_list(&[$($text),+], other))),
                }
            }
        }
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result { f.write_str(self.as_str()) }
        }
    };
}

pub(crate) fn other_list(known: &[&str], _given: &str) -> String {
    format!("use one of: {}", known.join(", "))
}

pub mod access;
pub mod account;
pub mod assessment;
pub mod assignment;
pub mod audit;
pub mod audit_pack;
pub mod briefing;
pub mod campaign;
pub mod checkpoint;
pub mod communication;
pub mod concern;
pub mod conformance;
pub mod email;
pub mod escalation;
pub mod fields;
pub mod improvement_action;
pub mod isms_status;
pub mod iso_date;
pub mod mail;
pub mod merkle;
pub mod objective;
pub mod org;
pub mod page;
pub mod person;
pub mod policy;
pub mod policy_exception;
pub mod policy_version;
pub mod process;
pub mod raci;
pub mod report;
pub mod resource;
pub mod review;
pub mod role;
pub mod role_gaps;
pub mod sod;
pub mod standard_catalog;
pub mod unit;

pub use audit::{Actor, AuditEvent, AuditFilter, ChainBreak, ChainVerifier, NewAuditEvent};
pub use email::Email;
pub use fields::FieldErrors;
pub use org::{OrgProfile, OrgProfileInput};
pub use page::{Page, PageRequest};
pub use person::{Person, PersonFilter, PersonInput, PersonKind, PersonStatus};
pub use unit::{Unit, UnitFilter, UnitInput};
