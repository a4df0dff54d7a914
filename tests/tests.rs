//! privgate's integration tests: one binary, one module per area (ripgrep's layout).

mod support;

mod audit;
mod bad_input;
mod canary;
mod capture_v2;
mod check;
mod cli;
mod consent;
mod detector_corpus;
mod fleet;
mod hostile;
mod json_api;
mod key_lexicon;
mod policies;
mod policy_tools;
mod production;
mod readme;
mod web;
