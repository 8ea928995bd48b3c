//! acctd's integration tests, one binary: each module starts real servers.

mod common;

mod account_changes;
mod admin_access;
mod admin_actions;
mod admin_roles;
mod admin_search;
mod auth;
mod bad_input;
mod billing;
mod billing_checkout;
mod billing_invoices;
mod contract;
mod crash;
mod deletion;
mod edge;
mod growth;
mod headers;
mod instances;
mod logs;
mod mail;
mod notifications;
mod privacy;
mod profile;
mod schema;
mod secrets;
mod security;
mod service;
mod sessions;
mod shell;
