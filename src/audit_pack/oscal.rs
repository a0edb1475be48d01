//! The audit pack as an OSCAL assessment-results document (JSON): the clause 5.3 roles, their
//! holders and the organization in its metadata, one result with an observation and a finding
//! per requirement, and the manifest, checkpoint, audit events and cited records, with their
//! SHA-256, in its back matter. Validated against NIST's OSCAL models (compliance-trestle) in CI.

mod ids;
mod metadata;
mod resources;
mod result;
mod text;

use serde_json::{Value, json};

use crate::domain::audit_pack::AuditPack;
pub use ids::{control_id, role_tokens};
pub use metadata::deliverable_email;
pub use text::CHARTER_NS;

/// The OSCAL version the document is written to.
pub const OSCAL_VERSION: &str = "1.1.3";

/// The pack as an OSCAL assessment-results document; the same pack renders the same document.
pub fn render(pack: &AuditPack) -> Value {
    let ids = ids::Ids::new(pack);
    let mut back_matter = json!({});
    text::set_list(
        &mut back_matter,
        "resources",
        resources::resources(pack, &ids),
    );
    json!({
        "assessment-results": {
            "uuid": ids.document,
            "metadata": metadata::metadata(pack),
            "import-ap": {
                "href": format!("#{}", ids.catalog()),
                "remarks": "Charter assesses against its requirement catalog, described in the \
                            back matter, rather than a separate assessment plan.",
            },
            "results": [result::result(pack, &ids)],
            "back-matter": back_matter,
        }
    })
}
