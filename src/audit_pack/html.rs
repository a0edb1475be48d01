//! The audit pack as one self-contained HTML page (styles inline, no script, no external
//! resource) that also carries the whole pack as JSON, so `charter audit verify-pack` checks the
//! HTML file as it checks the JSON export.

pub mod view;

use askama::Template;

use crate::domain::audit_pack::AuditPack;
use view::PackView;

/// The id of the `<script type="application/json">` element that carries the pack.
pub const PACK_ELEMENT_ID: &str = "charter-audit-pack";

#[derive(Template)]
#[template(path = "audit_pack/pack.html", whitespace = "minimize")]
struct PackPage<'a> {
    doc: &'a PackView,
    pack_json: &'a str,
}

/// The pack as one standalone HTML page.
pub fn render(pack: &AuditPack) -> String {
    let doc = PackView::new(pack);
    let pack_json = embedded_json(pack);
    PackPage {
        doc: &doc,
        pack_json: &pack_json,
    }
    .render()
    .unwrap_or_else(|e| {
        format!(
            "<!doctype html><meta charset=\"utf-8\"><title>Audit pack</title><p>The audit pack \
             could not be written: {e}</p>"
        )
    })
}

/// The pack's JSON as it may stand inside a `<script>` element: every `<` written as `\u003c`
/// (the same string to a JSON parser), so no text in the pack can close the element.
pub fn embedded_json(pack: &AuditPack) -> String {
    serde_json::to_string(pack)
        .unwrap_or_else(|_| "null".to_owned())
        .replace('<', "\\u003c")
}
