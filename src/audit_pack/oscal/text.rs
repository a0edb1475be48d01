//! Text as OSCAL fields take it: one-line strings without edge whitespace, times in RFC 3339,
//! Charter's own properties in their namespace, SHA-256 hashes, and embedded content.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use serde_json::{Value, json};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

/// The namespace of Charter's own properties.
pub const CHARTER_NS: &str = "urn:charter:oscal";

/// A text on one line, whitespace collapsed; `fallback` when nothing is left.
pub fn one_line(text: &str, fallback: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.is_empty() {
        fallback.to_owned()
    } else {
        line
    }
}

/// A multi-line text without edge whitespace; `fallback` when it is empty.
pub fn prose(text: &str, fallback: &str) -> String {
    match text.trim() {
        "" => fallback.to_owned(),
        t => t.to_owned(),
    }
}

/// A time as OSCAL's date-time-with-timezone.
pub fn timestamp(at: OffsetDateTime) -> String {
    at.to_offset(time::UtcOffset::UTC)
        .format(&Rfc3339)
        .unwrap_or_else(|_| "1970-01-01T00:00:00Z".to_owned())
}

/// One of Charter's properties (`name` must be a token); the value on one line.
pub fn prop(name: &str, value: &str) -> Value {
    json!({ "name": name, "ns": CHARTER_NS, "value": one_line(value, "none") })
}

/// A property with a class (`class` must be a token).
pub fn prop_class(name: &str, class: &str, value: &str) -> Value {
    json!({ "name": name, "ns": CHARTER_NS, "class": class, "value": one_line(value, "none") })
}

/// The SHA-256 of bytes, in hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// OSCAL's hash list with one SHA-256.
pub fn sha256_hashes(hex: &str) -> Value {
    json!([{ "algorithm": "SHA-256", "value": hex }])
}

/// JSON bytes embedded in a resource (`filename` must be a token).
pub fn embedded_json(filename: &str, bytes: &[u8]) -> Value {
    json!({ "filename": filename, "media-type": "application/json", "value": BASE64.encode(bytes) })
}

/// Sets `key` on `object` only when `list` has items: OSCAL lists may not be empty.
pub fn set_list(object: &mut Value, key: &str, list: Vec<Value>) {
    if !list.is_empty()
        && let Some(map) = object.as_object_mut()
    {
        map.insert(key.to_owned(), Value::Array(list));
    }
}
