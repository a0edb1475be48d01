//! Charter: the leadership layer of an ISMS (ISO/IEC 27001 clause 5), kept alive and provable.
//!
//! A guided tour, from the inside out:
//! - [`domain`]: the organization, people, units and the audit chain, as types and pure rules;
//! - [`store`]: the one boundary to the database, on SQLite or PostgreSQL;
//! - [`document`]: policy text: its canonical hash, content check, rendering, diff and exports;
//! - [`people_csv`] and [`demo`]: bulk work on people, checked whole before anything is written;
//! - [`api`] (JSON under `/api/v1/`) and [`web`] (pages), joined with middleware in [`server`];
//! - [`mail`] and [`jobs`]: the outbox delivered by SMTP, and the background work `serve` runs;
//! - [`cli`]: the `charter` command that starts all of it.

pub mod acknowledger;
pub mod api;
pub mod app;
pub mod audit_log;
pub mod audit_pack;
pub mod auth;
pub mod campaign_actions;
pub mod cli;
pub mod conformance;
pub mod demo;
pub mod document;
pub mod domain;
pub mod error;
pub mod isms_status;
pub mod jobs;
pub mod mail;
pub mod people_csv;
pub mod policy_actions;
pub mod role_actions;
pub mod security_headers;
pub mod server;
pub mod store;
pub mod telemetry;
pub mod tls;
pub mod web;
