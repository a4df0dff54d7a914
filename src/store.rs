//! Where the subject registry and the token vault live: the embedded files (one machine, the
//! default) or Redis (and Redis-compatible servers such as Valkey), shared by every replica.
//!
//! Both backends store identifiers only as keyed HMACs. With Redis:
//! - an opt-out acknowledged by any replica is honoured by every replica for requests that start
//!   after the acknowledgement: subject state is read from Redis for every request that needs it
//!   (no local cache of subject state);
//! - `tokenize` gives the same token on every replica: a token is claimed with an atomic
//!   set-if-absent, the losing replica reads the winner's. Tokens never change once set, so a
//!   replica keeps the ones it has seen in a bounded local cache;
//! - when Redis cannot be reached, requests that need it fail closed (503) or, with
//!   `fail_open_to: drop`, have their events dropped. Readiness and metrics reflect it.

use std::collections::HashMap;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use redis::AsyncCommands;

use crate::subjects::{self, Change, Entry, IdKind, Registry, SubjectKey};
use crate::vault::{self, TokenTable, ValueKey, Vault, Wanted};

/// Which backend, and how to reach it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Backend {
    /// Files under the data folder.
    Embedded,
    /// A Redis server.
    Redis(RedisSettings),
}

/// Redis connection settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RedisSettings {
    /// `redis://[:password@]host:port[/db]` or `rediss://...`.
    pub url: String,
    /// Key prefix, so several deployments can share a server.
    pub prefix: String,
    /// Time allowed for one round trip (connect included).
    pub timeout: Duration,
    /// On failure: `None` = 503 (fail closed); `Some(Drop)` = drop the events.
    pub fail_open_to_drop: bool,
}

/// The shared state could not be read or written.
#[derive(Debug, Clone, thiserror::Error)]
#[error("subject registry / token vault unavailable: {0}")]
pub struct StoreError(pub String);

impl From<subjects::RegistryError> for StoreError {
    fn from(e: subjects::RegistryError) -> Self {
        StoreError(e.to_string())
    }
}

impl From<vault::VaultError> for StoreError {
    fn from(e: vault::VaultError) -> Self {
        StoreError(e.to_string())
    }
}

/// Subject states read for one request: what the consent stage looks at.
#[derive(Debug, Default)]
pub struct Snapshot(HashMap<SubjectKey, Entry>);

impl Snapshot {
    /// The entries of `keys` as `registry` has them now.
    pub fn of(keys: &[SubjectKey], registry: &dyn subjects::Lookup) -> Snapshot {
        Snapshot(keys.iter().map(|k| (*k, registry.get(k))).collect())
    }
}

impl subjects::Lookup for Snapshot {
    fn get(&self, key: &SubjectKey) -> Entry {
        self.0.get(key).cloned().unwrap_or_default()
    }
}

/// The registry and the vault, on one backend.
pub enum Store {
    /// Files under the data folder, owned by this process.
    Embedded {
        /// The registry.
        registry: Arc<Registry>,
        /// The vault.
        vault: Arc<Vault>,
    },
    /// Redis, shared by every replica.
    Redis(Box<RedisStore>),
}

impl Store {
    /// Opens the embedded files under `data_dir`, or prepares the Redis connection (it is made
    /// on first use and remade after failures, so privgate starts even while Redis is down).
    pub fn open(backend: &Backend, data_dir: &Path) -> Result<Store, StoreError> {
        match backend {
            Backend::Embedded => Ok(Store::Embedded {
                registry: Arc::new(Registry::open(&data_dir.join("subjects.jsonl"))?),
                vault: Arc::new(Vault::open(&data_dir.join("tokens.vault"))?),
            }),
            Backend::Redis(settings) => {
                use redis::IntoConnectionInfo;
                let mut info = settings
                    .url
                    .as_str()
                    .into_connection_info()
                    .map_err(|e| StoreError(format!("invalid Redis URL: {e}")))?;
                // The password may stay out of the config file (and the ConfigMap).
                if let Ok(password) = std::env::var("PRIVGATE_REDIS_PASSWORD") {
                    let redis = info.redis_settings().clone().set_password(password);
                    info = info.set_redis_settings(redis);
                }
                if settings.url.starts_with("rediss://") {
                    // The redis crate's TLS uses the process-wide rustls provider; ours is ring.
                    let _ = rustls::crypto::ring::default_provider().install_default();
                }
                let client = redis::Client::open(info)
                    .map_err(|e| StoreError(format!("invalid Redis URL: {e}")))?;
                Ok(Store::Redis(Box::new(RedisStore {
                    client,
                    settings: settings.clone(),
                    connection: tokio::sync::Mutex::new(None),
                    healthy: AtomicBool::new(true),
                    instruments: Instruments::default(),
                    tokens: RwLock::new(HashMap::new()),
                })))
            }
        }
    }

    /// A store in memory (scrub, policy tests).
    pub fn in_memory() -> Store {
        Store::Embedded {
            registry: Arc::new(Registry::in_memory()),
            vault: Arc::new(Vault::in_memory()),
        }
    }

    /// The subject states of `keys`.
    pub async fn snapshot(&self, keys: &[SubjectKey]) -> Result<Snapshot, StoreError> {
        match self {
            Store::Embedded { registry, .. } => Ok(Snapshot::of(keys, registry.as_ref())),
            Store::Redis(r) => Box::pin(r.snapshot(keys)).await,
        }
    }

    /// Writes registry changes durably.
    pub async fn apply(&self, changes: Vec<Change>) -> Result<(), StoreError> {
        if changes.is_empty() {
            return Ok(());
        }
        match self {
            Store::Embedded { registry, .. } => {
                let registry = registry.clone();
                tokio::task::spawn_blocking(move || registry.apply(&changes))
                    .await
                    .map_err(|e| StoreError(e.to_string()))?
                    .map_err(StoreError::from)
            }
            Store::Redis(r) => Box::pin(r.apply(&changes)).await,
        }
    }

    /// One subject's state.
    pub async fn get(&self, key: SubjectKey) -> Result<Entry, StoreError> {
        Ok(subjects::Lookup::get(&self.snapshot(&[key]).await?, &key))
    }

    /// The tokens known without a round trip.
    pub fn token_table(&self) -> &dyn TokenTable {
        match self {
            Store::Embedded { vault, .. } => vault.as_ref(),
            Store::Redis(r) => r.as_ref(),
        }
    }

    /// Makes sure every wanted value has a token (creating them), then they are in the table.
    pub async fn create_tokens(&self, wanted: Vec<Wanted>) -> Result<(), StoreError> {
        match self {
            Store::Embedded { vault, .. } => {
                let vault = vault.clone();
                tokio::task::spawn_blocking(move || vault.create(&wanted))
                    .await
                    .map_err(|e| StoreError(e.to_string()))?
                    .map_err(StoreError::from)
            }
            Store::Redis(r) => Box::pin(r.create_tokens(&wanted)).await,
        }
    }

    /// Every (value key, token) pair of the vault (for `privgate subjects export`).
    pub async fn export_tokens(&self) -> Result<Vec<(ValueKey, String)>, StoreError> {
        match self {
            Store::Embedded { vault, .. } => Ok(vault.entries()),
            Store::Redis(r) => r.export_tokens().await,
        }
    }

    /// Adds exported tokens, keeping each value's token across the move; returns how many were
    /// new. A value or token that already stands for something else is an error.
    pub async fn import_tokens(
        &self,
        entries: Vec<(ValueKey, String)>,
    ) -> Result<usize, StoreError> {
        match self {
            Store::Embedded { vault, .. } => {
                let vault = vault.clone();
                tokio::task::spawn_blocking(move || vault.insert(&entries))
                    .await
                    .map_err(|e| StoreError(e.to_string()))?
                    .map_err(StoreError::from)
            }
            Store::Redis(r) => r.import_tokens(&entries).await,
        }
    }

    /// Every subject entry (for `privgate subjects export`).
    pub async fn export(&self) -> Result<Vec<(SubjectKey, Entry)>, StoreError> {
        match self {
            Store::Embedded { registry, .. } => Ok(registry.entries()),
            Store::Redis(r) => r.export().await,
        }
    }

    /// False while a shared backend cannot be reached.
    pub fn healthy(&self) -> bool {
        match self {
            Store::Embedded { .. } => true,
            Store::Redis(r) => r.healthy.load(Ordering::Relaxed),
        }
    }

    /// The shared backend's round-trip metrics (none for the embedded files).
    pub fn instruments(&self) -> Option<&Instruments> {
        match self {
            Store::Embedded { .. } => None,
            Store::Redis(r) => Some(&r.instruments),
        }
    }

    /// True when a failing backend means dropping events rather than answering 503.
    pub fn fail_open_to_drop(&self) -> bool {
        match self {
            Store::Embedded { .. } => false,
            Store::Redis(r) => r.settings.fail_open_to_drop,
        }
    }

    /// Checks the backend (readiness): a Redis PING.
    pub async fn ping(&self) -> bool {
        match self {
            Store::Embedded { .. } => true,
            Store::Redis(r) => r.ping().await,
        }
    }

    /// Releases the embedded files' lock (shutdown).
    pub fn close(&self) {
        if let Store::Embedded { registry, .. } = self {
            registry.close();
        }
    }

    /// A short description for the start-up log (no password).
    pub fn describe(&self) -> String {
        match self {
            Store::Embedded { .. } => "embedded".to_owned(),
            Store::Redis(r) => format!("redis {}", r.client.get_connection_info().addr()),
        }
    }
}

/// Round-trip metrics of a shared backend (the metrics module registers them).
#[derive(Debug)]
pub struct Instruments {
    /// Round trips that failed or timed out.
    pub errors: prometheus_client::metrics::counter::Counter,
    /// Round-trip time of the ones that answered.
    pub seconds: prometheus_client::metrics::histogram::Histogram,
}

impl Default for Instruments {
    fn default() -> Self {
        Instruments {
            errors: Default::default(),
            seconds: prometheus_client::metrics::histogram::Histogram::new(
                prometheus_client::metrics::histogram::exponential_buckets(0.00005, 2.0, 16),
            ),
        }
    }
}

/// Tokens kept locally at most (they never change; the cache only saves round trips).
const TOKEN_CACHE: usize = 100_000;

/// The Redis backend.
pub struct RedisStore {
    client: redis::Client,
    settings: RedisSettings,
    connection: tokio::sync::Mutex<Option<redis::aio::MultiplexedConnection>>,
    healthy: AtomicBool,
    instruments: Instruments,
    tokens: RwLock<HashMap<ValueKey, String>>,
}

impl TokenTable for RedisStore {
    fn token_of(&self, k: &ValueKey) -> Option<String> {
        self.tokens.read().ok()?.get(k).cloned()
    }
}

impl RedisStore {
    fn subject_key(&self, k: &SubjectKey) -> String {
        let kind = match k.kind {
            IdKind::Identity => "i",
            IdKind::UserId => "u",
        };
        format!("{}:s:{kind}:{}", self.settings.prefix, hex::encode(k.mac))
    }

    fn token_key(&self, k: &ValueKey) -> String {
        format!("{}:t:{}", self.settings.prefix, hex::encode(k))
    }

    fn owner_key(&self, token: &str) -> String {
        format!("{}:to:{token}", self.settings.prefix)
    }

    /// The connection, made (again) when needed. The lock is held only while connecting; the
    /// multiplexed connection itself is cloned out and used without it.
    async fn connection(&self) -> Result<redis::aio::MultiplexedConnection, StoreError> {
        let mut slot = self.connection.lock().await;
        if let Some(c) = slot.as_ref() {
            return Ok(c.clone());
        }
        let config = redis::AsyncConnectionConfig::new()
            .set_connection_timeout(Some(self.settings.timeout))
            .set_response_timeout(Some(self.settings.timeout));
        let c = self
            .client
            .get_multiplexed_async_connection_with_config(&config)
            .await
            .map_err(|e| self.failed(e.to_string()))?;
        *slot = Some(c.clone());
        Ok(c)
    }

    fn failed(&self, message: String) -> StoreError {
        self.healthy.store(false, Ordering::Relaxed);
        self.instruments.errors.inc();
        StoreError(message)
    }

    /// Runs one operation with the timeout; a failure drops the connection so the next call
    /// reconnects.
    async fn run<T, F, Fut>(&self, op: F) -> Result<T, StoreError>
    where
        F: FnOnce(redis::aio::MultiplexedConnection) -> Fut,
        Fut: std::future::Future<Output = redis::RedisResult<T>>,
    {
        let conn = self.connection().await?;
        let started = std::time::Instant::now();
        match tokio::time::timeout(self.settings.timeout, op(conn)).await {
            Ok(Ok(v)) => {
                self.instruments
                    .seconds
                    .observe(started.elapsed().as_secs_f64());
                self.healthy.store(true, Ordering::Relaxed);
                Ok(v)
            }
            Ok(Err(e)) => {
                *self.connection.lock().await = None;
                Err(self.failed(e.to_string()))
            }
            Err(_) => {
                *self.connection.lock().await = None;
                Err(self.failed(format!("no answer within {:?}", self.settings.timeout)))
            }
        }
    }

    async fn snapshot(&self, keys: &[SubjectKey]) -> Result<Snapshot, StoreError> {
        if keys.is_empty() {
            return Ok(Snapshot::default());
        }
        let names: Vec<String> = keys.iter().map(|k| self.subject_key(k)).collect();
        let rows: Vec<HashMap<String, String>> = self
            .run(|mut c| async move {
                let mut pipe = redis::pipe();
                for n in &names {
                    pipe.hgetall(n);
                }
                pipe.query_async(&mut c).await
            })
            .await?;
        Ok(Snapshot(
            keys.iter()
                .zip(rows)
                .map(|(k, row)| {
                    (
                        *k,
                        Entry {
                            opted_out: row.get("o").map(|r| crate::subjects::stored_reason(r)),
                            child: row.get("c").is_some_and(|v| v == "1"),
                        },
                    )
                })
                .collect(),
        ))
    }

    async fn apply(&self, changes: &[Change]) -> Result<(), StoreError> {
        let ops: Vec<(String, Change)> = changes
            .iter()
            .map(|c| {
                let k = match c {
                    Change::OptOut(k, _) | Change::Withdraw(k) | Change::Child(k) => k,
                };
                (self.subject_key(k), c.clone())
            })
            .collect();
        self.run(|mut c| async move {
            let mut pipe = redis::pipe();
            pipe.atomic();
            for (key, change) in &ops {
                match change {
                    Change::OptOut(_, reason) => pipe.hset(key, "o", reason).ignore(),
                    Change::Withdraw(_) => pipe.hdel(key, "o").ignore(),
                    Change::Child(_) => pipe.hset(key, "c", "1").ignore(),
                };
            }
            pipe.query_async::<()>(&mut c).await
        })
        .await
    }

    async fn create_tokens(&self, wanted: &[Wanted]) -> Result<(), StoreError> {
        for w in wanted {
            if self.token_of(&w.key).is_some() {
                continue;
            }
            let key = self.token_key(&w.key);
            let existing: Option<String> =
                self.run(|mut c| async move { c.get(&key).await }).await?;
            let token = match existing {
                Some(t) => t,
                None => self.claim(w).await?,
            };
            if let Ok(mut cache) = self.tokens.write() {
                if cache.len() >= TOKEN_CACHE {
                    cache.clear();
                }
                cache.insert(w.key, token);
            }
        }
        Ok(())
    }

    /// Claims a new token for a value: the token's owner first (tokens are unique), then the
    /// value's token with set-if-absent; a replica that loses the race reads the winner's.
    async fn claim(&self, w: &Wanted) -> Result<String, StoreError> {
        let key = self.token_key(&w.key);
        let owner = hex::encode(w.key);
        loop {
            let token = vault::new_token(w.numeric);
            let owner_key = self.owner_key(&token);
            let o = owner.clone();
            let claimed: bool = self
                .run(|mut c| async move {
                    redis::cmd("SET")
                        .arg(&owner_key)
                        .arg(&o)
                        .arg("NX")
                        .query_async::<Option<String>>(&mut c)
                        .await
                        .map(|r| r.is_some())
                })
                .await?;
            if !claimed {
                continue; // the token is someone else's: draw again
            }
            let (k, t) = (key.clone(), token.clone());
            let set: bool = self
                .run(|mut c| async move {
                    redis::cmd("SET")
                        .arg(&k)
                        .arg(&t)
                        .arg("NX")
                        .query_async::<Option<String>>(&mut c)
                        .await
                        .map(|r| r.is_some())
                })
                .await?;
            if set {
                return Ok(token);
            }
            // Another replica won: release our token and use theirs.
            let (k, owner_key) = (key.clone(), self.owner_key(&token));
            let winner: Option<String> = self
                .run(|mut c| async move {
                    let _: () = c.del(&owner_key).await?;
                    c.get(&k).await
                })
                .await?;
            if let Some(t) = winner {
                return Ok(t);
            }
        }
    }

    /// Key names matching a pattern (SCAN, so the server is never blocked).
    async fn scan(&self, pattern: String) -> Result<Vec<String>, StoreError> {
        self.run(|mut c| async move {
            let mut names = Vec::new();
            let mut iter: redis::AsyncIter<String> = c.scan_match(&pattern).await?;
            while let Some(n) = iter.next_item().await {
                names.push(n?);
            }
            Ok(names)
        })
        .await
    }

    async fn export_tokens(&self) -> Result<Vec<(ValueKey, String)>, StoreError> {
        let names = self.scan(format!("{}:t:*", self.settings.prefix)).await?;
        let mut out = Vec::with_capacity(names.len());
        for chunk in names.chunks(500) {
            let query = chunk.to_vec();
            let tokens: Vec<Option<String>> = self
                .run(|mut c| async move {
                    let mut pipe = redis::pipe();
                    for n in &query {
                        pipe.get(n);
                    }
                    pipe.query_async(&mut c).await
                })
                .await?;
            for (name, token) in chunk.iter().zip(tokens) {
                let mut k = [0u8; 32];
                if let (Some(token), Some(hexkey)) = (token, name.rsplit(':').next())
                    && hex::decode_to_slice(hexkey, &mut k).is_ok()
                {
                    out.push((k, token));
                }
            }
        }
        Ok(out)
    }

    async fn import_tokens(&self, entries: &[(ValueKey, String)]) -> Result<usize, StoreError> {
        let mut added = 0;
        for (k, token) in entries {
            let (key, owner_key, owner) =
                (self.token_key(k), self.owner_key(token), hex::encode(k));
            let (ok, o) = (owner_key.clone(), owner.clone());
            let current_owner: Option<String> = self
                .run(|mut c| async move {
                    let set: Option<String> = redis::cmd("SET")
                        .arg(&ok)
                        .arg(&o)
                        .arg("NX")
                        .query_async(&mut c)
                        .await?;
                    if set.is_some() {
                        Ok(Some(o))
                    } else {
                        c.get(&ok).await
                    }
                })
                .await?;
            if current_owner.as_deref() != Some(owner.as_str()) {
                return Err(StoreError(format!(
                    "token for value key {owner} already stands for another value"
                )));
            }
            let (kk, t) = (key.clone(), token.clone());
            let (set, current): (bool, Option<String>) = self
                .run(|mut c| async move {
                    let set: Option<String> = redis::cmd("SET")
                        .arg(&kk)
                        .arg(&t)
                        .arg("NX")
                        .query_async(&mut c)
                        .await?;
                    if set.is_some() {
                        Ok((true, Some(t)))
                    } else {
                        Ok((false, c.get(&kk).await?))
                    }
                })
                .await?;
            if current.as_deref() != Some(token.as_str()) {
                return Err(StoreError(format!(
                    "value key {owner} already has another token"
                )));
            }
            added += usize::from(set);
        }
        Ok(added)
    }

    async fn export(&self) -> Result<Vec<(SubjectKey, Entry)>, StoreError> {
        let names = self.scan(format!("{}:s:*", self.settings.prefix)).await?;
        let mut keys = Vec::new();
        for n in &names {
            let mut parts = n.rsplitn(3, ':');
            let (Some(hexmac), Some(kind)) = (parts.next(), parts.next()) else {
                continue;
            };
            let kind = match kind {
                "i" => IdKind::Identity,
                "u" => IdKind::UserId,
                _ => continue,
            };
            let mut mac = [0u8; 32];
            if hex::decode_to_slice(hexmac, &mut mac).is_ok() {
                keys.push(SubjectKey { kind, mac });
            }
        }
        let snapshot = self.snapshot(&keys).await?;
        Ok(keys
            .into_iter()
            .map(|k| (k, subjects::Lookup::get(&snapshot, &k)))
            .filter(|(_, e)| e.opted_out.is_some() || e.child)
            .collect())
    }

    async fn ping(&self) -> bool {
        self.run(|mut c| async move { redis::cmd("PING").query_async::<String>(&mut c).await })
            .await
            .is_ok()
    }
}
