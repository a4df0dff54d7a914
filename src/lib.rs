//! privgate: a privacy-filtering reverse proxy for Heap analytics traffic.
//!
//! # The path of an event through privgate
//!
//! 1. **ingress** (`server`): the route is looked up by path, limits are enforced while the body
//!    is read, and the client address is settled (socket peer, or `X-Forwarded-For` from a
//!    trusted proxy). Out comes a [`protocol::RawRequest`].
//! 2. **decode** (`protocol`): the route's wire adapter turns the body into a
//!    [`protocol::Batch`] of normalized [`event::Event`]s. Bad input stops here with a 4xx and
//!    nothing is forwarded.
//! 3. **consent** (`consent`): opt-out signals of the request and the subject registry give each
//!    event its [`event::Subject`] state.
//! 4. **evaluate** (`policy`): the compiled [`policy::PolicySet`] edits and drops events — pure,
//!    synchronous, no I/O.
//! 5. **encode** (`protocol`): the same adapter writes the kept events back in the original wire
//!    format. When nothing is left, the client gets the collector's empty answer.
//! 6. **forward** (`server::forward`): a pooled client sends the request on and passes the
//!    collector's answer back.
//! 7. **audit** (`audit`): one record per request, written before the response is sent, naming
//!    rules and paths but never values.
//!
//! Steps 2–5 live in [`pipeline`], shared by `serve`, `scrub` and `test` so that what a policy
//! test proves is what the proxy does.

pub mod audit;
pub mod config;
pub mod consent;
pub mod diag;
pub mod event;
pub mod forward_headers;
pub mod keys;
pub mod metrics;
pub mod pipeline;
pub mod playground;
pub mod policy;
pub mod policytest;
pub mod protocol;
pub mod server;
pub mod store;
pub mod subjects;
pub mod vault;
pub mod yaml;
