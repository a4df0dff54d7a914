//! Compliance policies: loading, validation, compilation and evaluation (docs/policy-owners/writing-policies.md).
//!
//! `--policy gdpr` names a shipped policy embedded in the binary; anything with a `/` or a
//! `.yaml`/`.yml` ending is a file. A set of policies is compiled together — custom detectors of
//! every policy join one detector set scanned in one pass — into an immutable [`PolicySet`] that
//! the server swaps atomically on reload. A set with any error is never used.

pub mod action;
pub mod compile;
pub mod condition;
pub mod context;
pub mod detect;
pub mod engine;
pub mod gazetteer;
pub mod lexicon;
pub(crate) mod memo;
pub mod model;
pub mod national_id;
pub mod person_name;
pub mod postal_address;
pub(crate) mod script;
pub mod select;
pub mod spec;

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::diag::{Diagnostic, Loc, Report, Source, suggestion};
use crate::keys::HashKey;
use crate::yaml::{self, Diags};
pub use compile::{Mode, Policy};
use detect::{CustomDetector, DetectorError, DetectorId, DetectorMask, DetectorScope, Detectors};
pub use engine::{Change, Drop, Evaluation};

/// Most audit paths a thread remembers as shown as sent ([`PolicySet::audit_path`]).
const MAX_PLAIN_PATHS: usize = 4096;

thread_local! {
    /// Audit paths whose every key passed the checks (shown as sent), for one detector set:
    /// the same paths come back request after request, and checking a key is a scan. Only
    /// such paths: never a key a detector found something in, nor one shown hashed. The set's
    /// hasher is seeded at random, as the paths hold keys the clients chose.
    static PLAIN_PATHS: std::cell::RefCell<(u64, foldhash::HashSet<Box<str>>)> =
        std::cell::RefCell::new((0, foldhash::HashSet::default()));
}

/// The policies shipped with privgate, embedded in the binary: (name, file text).
pub const SHIPPED: &[(&str, &str)] = &[
    ("gdpr", include_str!("../../policies/gdpr.yaml")),
    ("hipaa", include_str!("../../policies/hipaa.yaml")),
    ("coppa", include_str!("../../policies/coppa.yaml")),
    ("ccpa", include_str!("../../policies/ccpa.yaml")),
];

/// Restricted three-digit ZIP prefixes (HIPAA Safe Harbor), from `policies/data/`.
/// A key the audit log can show as sent: identifier characters only, at most 64 of them.
fn plain_key(key: &str) -> bool {
    (1..=64).contains(&key.len())
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'-'))
}

const RESTRICTED_ZIP3: &str = include_str!("../../policies/data/zip3-restricted.txt");

/// A policy file's text and where it came from.
#[derive(Debug, Clone)]
pub struct PolicySource {
    /// The text, with its display name.
    pub source: Source,
    /// Origin recorded in the compiled policy: the path, or `embedded:<name>`.
    pub origin: String,
    /// The file, when it is one (watched for hot reload).
    pub path: Option<PathBuf>,
    /// A scope from the config file that replaces the policy's own `scope:`.
    pub scope_override: Option<spec::ScopeSpec>,
}

/// A policy argument that could not be turned into text.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
    /// A bare name that is not a shipped policy.
    #[error("unknown policy `{name}`{}; shipped policies are: {}. To use a file, give a path containing `/` or ending in `.yaml`", .help.as_deref().map(|h| format!(" ({h})")).unwrap_or_default(), shipped_names())]
    UnknownShipped {
        /// The name given.
        name: String,
        /// A suggestion.
        help: Option<String>,
    },
    /// A file that could not be read. The reason is part of the message, not a source, so
    /// that it is shown once.
    #[error("{}: {}", path.display(), crate::diag::io_reason(error))]
    Io {
        /// The file.
        path: PathBuf,
        /// Why.
        error: std::io::Error,
    },
}

/// The shipped policy names, comma-separated, for messages.
pub fn shipped_names() -> String {
    SHIPPED
        .iter()
        .map(|(n, _)| *n)
        .collect::<Vec<_>>()
        .join(", ")
}

/// True when a `--policy` argument names a file rather than a shipped policy.
pub fn is_file_ref(arg: &str) -> bool {
    arg.contains('/') || arg.ends_with(".yaml") || arg.ends_with(".yml")
}

/// The text of the shipped policy `name`.
pub fn shipped(name: &str) -> Option<&'static str> {
    SHIPPED
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, text)| *text)
}

/// Reads one `--policy` argument.
pub fn load(arg: &str) -> Result<PolicySource, LoadError> {
    if is_file_ref(arg) {
        return load_file(Path::new(arg));
    }
    let Some(text) = shipped(arg) else {
        return Err(LoadError::UnknownShipped {
            name: arg.to_owned(),
            help: suggestion(arg, SHIPPED.iter().map(|(n, _)| *n)),
        });
    };
    Ok(PolicySource {
        source: Source::new(format!("<shipped>/{arg}.yaml"), text),
        origin: format!("embedded:{arg}"),
        path: None,
        scope_override: None,
    })
}

/// Reads a policy file.
pub fn load_file(path: &Path) -> Result<PolicySource, LoadError> {
    let text = std::fs::read_to_string(path).map_err(|error| LoadError::Io {
        path: path.to_owned(),
        error,
    })?;
    Ok(PolicySource {
        source: Source::new(path.display().to_string(), text),
        origin: path.display().to_string(),
        path: Some(path.to_owned()),
        scope_override: None,
    })
}

/// The `*.yaml` / `*.yml` files directly inside `dir`, sorted: how `check`, `test` and the
/// playground find policy and test files in a folder.
pub fn yaml_files_in(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut inside: Vec<PathBuf> = std::fs::read_dir(dir)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| {
            p.is_file() && matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"))
        })
        .collect();
    inside.sort();
    Ok(inside)
}

/// The compiled, immutable set of policies that handles traffic.
pub struct PolicySet {
    /// In the order given.
    pub policies: Vec<Policy>,
    /// Built-in and custom detectors of every policy.
    pub detectors: Detectors,
    detector_names: Vec<Arc<str>>,
    /// The key for `hash`.
    pub key: HashKey,
    /// Restricted ZIP prefixes, sorted.
    pub restricted_zip3: Vec<String>,
    /// The files the set was loaded from (for reload watching).
    pub files: Vec<PathBuf>,
    /// Which walking selectors can match an event, found in one pass over its keys.
    pub key_gate: Option<select::KeyGate>,
}

impl std::fmt::Debug for PolicySet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolicySet")
            .field(
                "policies",
                &self.policies.iter().map(|p| &p.name).collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

impl PolicySet {
    /// A change path as the audit log may show it. Paths are made of the model's names and of
    /// keys the client chose; a key is shown as sent only when it passes the checks a value
    /// gets — no detector of the set (built-in or custom) finds anything in it — and is
    /// written in identifier characters (`[A-Za-z0-9_.-]`, at most 64). A key in which a
    /// detector finds something shows as `<detector>`; any other key as `<key:…>`, a keyed
    /// hash that is stable within the deployment, so records can still be grouped by it.
    pub fn audit_path(&self, path: &str) -> String {
        let owner = self.detectors.instance();
        let plain = PLAIN_PATHS
            .try_with(|p| {
                let p = p.borrow();
                p.0 == owner && p.1.contains(path)
            })
            .unwrap_or(false);
        if plain {
            return path.to_owned();
        }
        let out = self.audit_path_afresh(path);
        if out == path {
            let _ = PLAIN_PATHS.try_with(|p| {
                let mut p = p.borrow_mut();
                if p.0 != owner || p.1.len() >= MAX_PLAIN_PATHS {
                    p.0 = owner;
                    p.1.clear();
                }
                p.1.insert(path.into());
            });
        }
        out
    }

    fn audit_path_afresh(&self, path: &str) -> String {
        let all = DetectorMask(u128::MAX);
        let mut findings = Vec::new();
        let mut out = String::with_capacity(path.len());
        for (key, indices) in select::split_path(path) {
            if !out.is_empty() {
                out.push('.');
            }
            let placeholder = key.len() > 2
                && key.starts_with('<')
                && key.ends_with('>')
                && key[1..key.len() - 1]
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
            findings.clear();
            if !placeholder {
                self.detectors.scan(&key, None, all, &mut findings);
            }
            if let Some(f) = findings.first() {
                out.push('<');
                out.push_str(self.detectors.name(f.detector));
                out.push('>');
            } else if placeholder || plain_key(&key) {
                out.push_str(&key);
            } else {
                let mac = self.key.mac_tagged("audit-key", key.as_bytes());
                out.push_str("<key:");
                out.push_str(&hex::encode(&mac[..4]));
                out.push('>');
            }
            out.push_str(indices);
        }
        out
    }

    /// A detector's name, shared (used in change records).
    pub fn detector_name(&self, id: DetectorId) -> Arc<str> {
        self.detector_names
            .get(id.0 as usize)
            .cloned()
            .unwrap_or_else(|| Arc::from(self.detectors.name(id)))
    }

    /// Name and sha256 of each policy, for audit records and logs.
    pub fn versions(&self) -> Vec<(Arc<str>, String)> {
        self.policies
            .iter()
            .map(|p| (p.name.clone(), p.sha256.clone()))
            .collect()
    }

    /// True when any rule tokenizes (evaluation may then need the vault twice).
    pub fn uses_tokenize(&self) -> bool {
        self.policies
            .iter()
            .any(|p| p.rules.iter().any(|r| r.action == action::Action::Tokenize))
    }

    /// True when evaluating needs the subjects' registry state: a policy honours registry
    /// opt-outs, tests `subject:`, or decides who is a child.
    pub fn needs_subjects(&self) -> bool {
        self.policies.iter().any(|p| {
            let consent = p.consent.as_ref();
            consent.is_some_and(|c| {
                c.registry || c.child_when.is_some() || c.parental_consent_when.is_some()
            }) || !p.scope.child_directed_apps.is_empty()
                || p.scope.when.as_ref().is_some_and(|c| c.uses_subject())
                || p.rules
                    .iter()
                    .any(|r| r.when.as_ref().is_some_and(|c| c.uses_subject()))
        })
    }

    /// True when any policy consults the subject registry.
    pub fn uses_registry(&self) -> bool {
        self.policies
            .iter()
            .any(|p| p.consent.as_ref().is_some_and(|c| c.registry))
    }
}

/// The outcome of compiling a set: the set, or every report (errors and warnings) per file.
pub struct Compiled {
    /// The set, when there were no errors.
    pub set: Option<PolicySet>,
    /// One report per file that has diagnostics.
    pub reports: Vec<Report>,
}

/// Parses, checks and compiles policies together.
pub fn compile_set(sources: &[PolicySource], key: HashKey) -> Compiled {
    let mut diags: Vec<Diags> = sources.iter().map(|_| Diags::default()).collect();
    let mut specs = Vec::with_capacity(sources.len());
    for (src, d) in sources.iter().zip(diags.iter_mut()) {
        let mut spec = match yaml::parse(&src.source.text) {
            Ok(root) => spec::read_policy(&root, d),
            Err(e) => {
                d.push(e);
                None
            }
        };
        if let (Some(s), Some(scope)) = (spec.as_mut(), &src.scope_override) {
            s.scope = scope.clone();
        }
        specs.push(spec);
    }

    // Custom detectors of all policies are compiled into one set, but each policy's rules see
    // only the built-ins and its own: two policies may both define `mrn`, differently.
    let mut custom: Vec<(usize, Loc, CustomDetector)> = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        for det in spec.iter().flat_map(|s| &s.detectors) {
            let name = &det.name.value;
            if let Some((_, first, _)) = custom.iter().find(|(f, _, d)| *f == i && d.name == *name)
            {
                diags[i].error_help(
                    det.name.loc,
                    format!("detector `{name}` is defined twice"),
                    Some(format!("the first definition is at line {}", first.line)),
                );
                continue;
            }
            let def = CustomDetector {
                name: name.clone(),
                pattern: det.pattern.as_ref().map(|p| p.value.clone()),
                keys: det.keys.iter().map(|k| k.value.clone()).collect(),
                context: det.context.iter().map(|w| w.value.clone()).collect(),
                words: det.words.iter().map(|w| w.value.clone()).collect(),
            };
            // Each definition is checked alone, so that an error names its own file and line.
            if let Err(err) = def.validate() {
                let loc = detector_error_loc(&err, &specs[i], det.name.loc);
                diags[i].push(Diagnostic::error(loc, detector_error_message(&err)));
                continue;
            }
            custom.push((i, det.name.loc, def));
        }
    }
    let detectors = loop {
        match Detectors::new(custom.iter().map(|(_, _, d)| d.clone()).collect()) {
            Ok(d) => break d,
            Err(err @ DetectorError::TooMany { .. }) => {
                // Report at the first definition that does not fit, and keep the ones that do.
                let limit = 128 - Detectors::BUILTIN.len();
                let (file, loc) = custom
                    .get(limit)
                    .map_or((0, Loc::UNKNOWN), |(f, l, _)| (*f, *l));
                diags[file].push(Diagnostic::error(loc, detector_error_message(&err)));
                custom.truncate(limit);
            }
            Err(err) => {
                // Only the combination can fail now (a pattern too big next to the others):
                // report at the definition named, drop it, and try again so that the other
                // policies are still checked against a working detector set.
                let name = detector_error_name(&err).to_owned();
                let at = custom
                    .iter()
                    .position(|(_, _, d)| d.name == name)
                    .unwrap_or(0);
                let Some((file, loc, _)) = custom.get(at).cloned() else {
                    break Detectors::new(Vec::new()).expect("the built-in detectors compile");
                };
                let loc = detector_error_loc(&err, &specs[file], loc);
                diags[file].push(Diagnostic::error(loc, detector_error_message(&err)));
                custom.remove(at);
            }
        }
    };
    let scopes: Vec<DetectorScope<'_>> = (0..specs.len())
        .map(|i| {
            DetectorScope::new(
                (Detectors::BUILTIN.len()..)
                    .zip(&custom)
                    .filter(|(_, (f, _, _))| *f == i)
                    .map(|(id, (_, _, d))| {
                        (
                            d.name.as_str(),
                            DetectorId(u16::try_from(id).unwrap_or(u16::MAX)),
                        )
                    })
                    .collect(),
            )
        })
        .collect();

    let mut policies = Vec::new();
    let mut names: Vec<(String, usize)> = Vec::new();
    for (i, spec) in specs.iter().enumerate() {
        let Some(spec) = spec else { continue };
        if let Some((_, first)) = names.iter().find(|(n, _)| *n == spec.name.value) {
            diags[i].error(
                spec.name.loc,
                format!(
                    "policy `{}` is already loaded from {}",
                    spec.name.value, sources[*first].source.name
                ),
            );
        }
        names.push((spec.name.value.clone(), i));
        if let Some(p) = compile::compile(
            spec,
            &sources[i].source.text,
            &sources[i].origin,
            &scopes[i],
            &mut diags[i],
        ) {
            policies.push(p);
        }
    }

    let reports: Vec<Report> = sources
        .iter()
        .zip(diags)
        .filter(|(_, d)| !d.0.is_empty())
        .map(|(s, d)| {
            let mut diagnostics = d.0;
            diagnostics.sort_by_key(|d| (d.loc.line, d.loc.col));
            Report {
                source: s.source.clone(),
                diagnostics,
            }
        })
        .collect();
    if reports.iter().any(Report::has_errors) {
        return Compiled { set: None, reports };
    }
    let detector_names = (0..)
        .map(|i| DetectorId(i as u16))
        .take(detectors.names().count())
        .map(|id| Arc::from(detectors.name(id)))
        .collect();
    let mut restricted_zip3: Vec<String> = RESTRICTED_ZIP3
        .lines()
        .map(|l| l.split('#').next().unwrap_or("").trim())
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    restricted_zip3.sort();
    let key_gate = select::KeyGate::build(
        policies
            .iter_mut()
            .flat_map(|p| p.rules.iter_mut())
            .flat_map(|r| r.selectors.iter_mut()),
    );
    Compiled {
        set: Some(PolicySet {
            key_gate,
            policies,
            detectors,
            detector_names,
            key,
            restricted_zip3,
            files: sources.iter().filter_map(|s| s.path.clone()).collect(),
        }),
        reports,
    }
}

fn detector_error_name(err: &DetectorError) -> &str {
    match err {
        DetectorError::Duplicate { name }
        | DetectorError::BadPattern { name, .. }
        | DetectorError::Empty { name }
        | DetectorError::BadKey { name, .. }
        | DetectorError::BadName { name }
        | DetectorError::BadContext { name, .. }
        | DetectorError::BadWord { name, .. }
        | DetectorError::ContextWithoutPattern { name } => name,
        DetectorError::TooMany { .. } => "",
    }
}

fn detector_error_loc(err: &DetectorError, spec: &Option<spec::PolicySpec>, name_loc: Loc) -> Loc {
    let Some(det) = spec
        .iter()
        .flat_map(|s| &s.detectors)
        .find(|d| d.name.value == detector_error_name(err))
    else {
        return name_loc;
    };
    match err {
        DetectorError::BadPattern { .. } => det.pattern.as_ref().map_or(name_loc, |p| p.loc),
        DetectorError::BadKey { key, .. } => det
            .keys
            .iter()
            .find(|k| k.value == *key)
            .map_or(name_loc, |k| k.loc),
        DetectorError::BadContext { word, .. } => det
            .context
            .iter()
            .find(|w| w.value == *word)
            .map_or(name_loc, |w| w.loc),
        DetectorError::BadWord { word, .. } => det
            .words
            .iter()
            .find(|w| w.value == *word)
            .map_or(name_loc, |w| w.loc),
        _ => name_loc,
    }
}

fn detector_error_message(err: &DetectorError) -> String {
    match err {
        DetectorError::Duplicate { name } => {
            format!("detector `{name}` has the name of a built-in detector; choose another name")
        }
        DetectorError::BadPattern { name, message } => {
            format!(
                "invalid regex in detector `{name}`: {}",
                compile::one_line(message)
            )
        }
        DetectorError::Empty { name } => {
            format!("detector `{name}` needs a `pattern`, `keys` or `words`")
        }
        DetectorError::BadWord { name, word } => format!(
            "detector `{name}` has an unusable term `{word}` in `words`: {}",
            detect::word_problem(word).unwrap_or("not a usable term")
        ),
        DetectorError::BadKey { name, key } => {
            format!("detector `{name}` has an invalid key glob `{key}`")
        }
        DetectorError::BadName { name } => {
            format!("detector name `{name}` may only contain a-z, 0-9 and `_`")
        }
        DetectorError::BadContext { name, word } => format!(
            "detector `{name}` has an unusable context word `{word}`: {}",
            context::word_problem(word).unwrap_or("not a word")
        ),
        DetectorError::ContextWithoutPattern { name } => format!(
            "detector `{name}` has `context` but no `pattern`; context words confirm pattern \
             matches in text, values under `keys` need none"
        ),
        DetectorError::TooMany { count } => format!(
            "{count} detectors in one policy set; at most {} custom detectors fit next to the built-ins",
            128 - Detectors::BUILTIN.len()
        ),
    }
}

/// Compiles policies given as `--policy` arguments; all errors of all files in one message.
pub fn load_set(args: &[String], key: HashKey) -> Result<(PolicySet, Vec<Report>), SetError> {
    load_set_scoped(args, &[], key)
}

/// Like [`load_set`], with scopes from the config file replacing the named policies' own.
pub fn load_set_scoped(
    args: &[String],
    scopes: &[(String, spec::ScopeSpec)],
    key: HashKey,
) -> Result<(PolicySet, Vec<Report>), SetError> {
    let mut sources = Vec::with_capacity(args.len());
    for arg in args {
        let mut source = load(arg).map_err(SetError::Load)?;
        source.scope_override = scopes
            .iter()
            .find(|(a, _)| a == arg)
            .map(|(_, s)| s.clone());
        sources.push(source);
    }
    let compiled = compile_set(&sources, key);
    match compiled.set {
        Some(set) => Ok((set, compiled.reports)),
        None => Err(SetError::Invalid(compiled.reports)),
    }
}

/// Why a policy set could not be built.
#[derive(Debug, thiserror::Error)]
pub enum SetError {
    /// A policy could not be read.
    #[error(transparent)]
    Load(LoadError),
    /// A policy has errors.
    #[error("{}", .0.iter().map(|r| r.to_string()).collect::<Vec<_>>().join("\n"))]
    Invalid(Vec<Report>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn audit_paths_show_only_keys_that_pass_the_detectors_and_look_like_identifiers() {
        let policy = "policy: own\ndetectors:\n  ticket:\n    pattern: 'TCK-[0-9]{4}'\nrules: []\n";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("own.yaml");
        std::fs::write(&path, policy).unwrap();
        let key = HashKey::from_bytes(&[5u8; 32], "t").unwrap();
        let (set, _) = load_set(&[path.display().to_string()], key).unwrap();
        let mut p = String::new();
        let mut at = |keys: &[&str]| {
            p.clear();
            for k in keys {
                select::push_key(&mut p, k);
            }
            set.audit_path(&p)
        };
        assert_eq!(at(&["properties", "first_name"]), "properties.first_name");
        assert_eq!(
            at(&["properties", "jane@example.com"]),
            "properties.<email>"
        );
        assert_eq!(at(&["properties", "TCK-1234"]), "properties.<ticket>");
        // A person's name used as a key is found by `person_name`.
        assert_eq!(
            at(&["properties", "Zelda Quixote"]),
            "properties.<person_name>"
        );
        let zelda = at(&["properties", "my favourite colour"]);
        assert!(
            zelda.starts_with("properties.<key:")
                && zelda.len() == "properties.<key:12345678>".len(),
            "{zelda}"
        );
        assert_eq!(
            at(&["page", "my favourite colour"]),
            zelda.replace("properties", "page")
        );
        assert_eq!(at(&["properties", "a.b"]), "properties.a.b");
        assert_eq!(at(&["properties", "<email>"]), "properties.<email>");
        let mut indexed = String::from("target.parents");
        select::push_index(&mut indexed, 2);
        select::push_key(&mut indexed, "my favourite colour");
        assert!(
            set.audit_path(&indexed)
                .starts_with("target.parents[2].<key:")
        );
        // Asked again (the thread remembers paths shown as sent): the same answers.
        assert_eq!(at(&["properties", "first_name"]), "properties.first_name");
        assert_eq!(at(&["properties", "TCK-1234"]), "properties.<ticket>");
        // What one set showed as sent, another set with a detector for it does not.
        let other = "policy: other\ndetectors:\n  field:\n    pattern: 'first_name'\nrules: []\n";
        let path = dir.path().join("other.yaml");
        std::fs::write(&path, other).unwrap();
        let (other, _) = load_set(
            &[path.display().to_string()],
            HashKey::from_bytes(&[5u8; 32], "t").unwrap(),
        )
        .unwrap();
        assert_eq!(
            other.audit_path("properties.first_name"),
            "properties.<field>"
        );
        assert_eq!(
            set.audit_path("properties.first_name"),
            "properties.first_name"
        );
    }
}
