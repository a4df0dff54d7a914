//! privgate's integration tests: one binary, one module per area (ripgrep's layout).

mod support;

mod architecture;
mod audit;
mod bad_input;
mod canary;
mod capture_v2;
mod check;
mod cli;
mod consent;
mod detector_corpus;
mod docs;
mod field_canaries;
mod fleet;
mod hostile;
mod json_api;
mod key_lexicon;
mod name_corpus;
mod playground;
mod policies;
mod policy_tools;
mod production;
mod readme;
mod web;
