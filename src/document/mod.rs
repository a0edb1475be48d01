//! Policy documents as text: the canonical body and its hash, the required-content check, the
//! starting templates, sanitized rendering, side-by-side diffs, and HTML and PDF exports.

pub mod canonical;
pub mod content_check;
pub mod diff;
pub mod export;
pub mod pdf;
pub mod render;
pub mod report_export;
pub mod template;
