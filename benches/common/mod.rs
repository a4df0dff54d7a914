//! What the benches share.

use std::hint::black_box;

use criterion::measurement::WallTime;
use criterion::{BatchSize, BenchmarkGroup};

use privgate::consent::RequestSignals;
use privgate::keys::HashKey;
use privgate::protocol::{self, DecodeLimits, RawRequest};
use privgate::subjects::Registry;
use privgate::vault::{Lookup, Vault};

/// Benchmarks policy evaluation (stage 4 alone) of `raw`'s events with each shipped policy.
/// Tokens come from an in-memory vault that already holds them, as in steady state.
pub fn evaluate_each_policy(
    g: &mut BenchmarkGroup<'_, WallTime>,
    name: &str,
    route: &'static protocol::Route,
    raw: &RawRequest,
    key: &HashKey,
) {
    let limits = DecodeLimits::default();
    let batch = protocol::decode(route, raw, &limits).unwrap();
    for policy in privgate::policy::SHIPPED.iter().map(|(n, _)| *n) {
        let (set, _) = privgate::policy::load_set(&[policy.to_owned()], key.clone()).unwrap();
        let vault = Vault::in_memory();
        privgate::pipeline::process(&set, route, raw, &limits, &Registry::in_memory(), &vault)
            .unwrap();
        g.bench_function(format!("{name}/{policy}"), |b| {
            b.iter_batched(
                || batch.events.clone(),
                |mut events| {
                    let tokens = Lookup::new(&vault, &set.key);
                    let ev = set
                        .evaluate(
                            &mut events,
                            &batch.meta,
                            &RequestSignals::default(),
                            &tokens,
                        )
                        .unwrap();
                    black_box((events, ev))
                },
                BatchSize::SmallInput,
            )
        });
    }
}
