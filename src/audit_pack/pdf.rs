//! The audit pack as a PDF, laid out by the same embedded typst engine as the policy and report
//! PDFs (bundled fonts, no file access). Every piece of text from the pack is written as a typst
//! string literal, so nothing in it becomes code.
//!
//! Laying out takes CPU time: call it from `spawn_blocking` on a server.

mod source;

use typst_pdf::PdfOptions;

use super::html::view::PackView;
use crate::document::pdf::world::PolicyWorld;
use crate::domain::audit_pack::AuditPack;

pub use source::typst_source;

/// typst's layout cache keeps results this many compilations, then drops them.
const CACHE_MAX_AGE: usize = 4;

/// The pack laid out as PDF bytes.
pub fn render(pack: &AuditPack) -> anyhow::Result<Vec<u8>> {
    let world = PolicyWorld::new(typst_source(&PackView::new(pack)));
    let result = match typst::compile(&world).output {
        Ok(document) => typst_pdf::pdf(&document, &PdfOptions::default())
            .map_err(|e| anyhow::anyhow!("the audit pack PDF could not be written: {}", first(&e))),
        Err(errors) => Err(anyhow::anyhow!(
            "the audit pack could not be laid out: {}",
            first(&errors)
        )),
    };
    typst::comemo::evict(CACHE_MAX_AGE);
    result
}

/// The first diagnostic's message, on one line.
fn first(diagnostics: &[typst::diag::SourceDiagnostic]) -> String {
    diagnostics.first().map_or_else(
        || "unknown error".to_owned(),
        |d| d.message.split_whitespace().collect::<Vec<_>>().join(" "),
    )
}
