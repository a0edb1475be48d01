//! The demo organization.
