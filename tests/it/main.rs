//! The one integration-test binary: the app driven in-process, on SQLite and on PostgreSQL.

mod api_campaigns;
mod api_communications;
mod api_people;
mod api_policies;
mod api_units;
mod audit_chain;
mod auth;
mod authorization_matrix;
mod browser;
mod cli;
mod helpers;
mod http_basics;
mod import_export;
mod policy_check;
mod store_campaigns;
mod store_contract;
mod store_identity;
mod store_policies;
mod tls;
mod web;
mod web_admin;
mod web_campaigns;
mod web_communications;
mod web_exceptions;
mod web_policies;
mod web_trust;
