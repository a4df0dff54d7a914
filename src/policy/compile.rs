//! Spec → compiled policy: every check of meaning, with `file:line:col`, done once at load.
//!
//! Regexes are compiled, selectors parsed against the event model, detector and kind names
//! resolved, duplicate rule ids and impossible rules found. The result holds nothing that needs
//! looking up by name per request.

use std::sync::Arc;

use regex::Regex;

use crate::consent::Signal;
use crate::diag::{Loc, suggestion};
use crate::event::{Kind, KindSet};
use crate::policy::action::{Action, Generalize, UrlAction};
use crate::policy::condition::{Cmp, Condition, Scalar};
use crate::policy::detect::{DetectorMask, DetectorScope, Detectors};
use crate::policy::select::{Glob, Selector};
use crate::policy::spec::{
    ActionSpec, CmpSpec, CondSpec, ConsentSpec, Located, PolicySpec, RuleSpec, Scalar as SpecScalar,
};
use crate::yaml::Diags;

/// Whether a policy changes traffic or only reports what it would do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// Changes are applied.
    Enforce,
    /// Changes are audited with outcome `shadow` but not applied.
    Shadow,
}

/// A compiled policy.
#[derive(Debug)]
pub struct Policy {
    /// Unique name, recorded in audit records.
    pub name: Arc<str>,
    /// SHA-256 (hex) of the policy file's text: which version handled a request.
    pub sha256: String,
    /// Where it was loaded from (a path, or `embedded:gdpr`).
    pub origin: String,
    /// `description:`.
    pub description: Option<String>,
    /// Enforce or shadow.
    pub mode: Mode,
    /// Which events it applies to.
    pub scope: Scope,
    /// How it honours opt-outs.
    pub consent: Option<ConsentPolicy>,
    /// Its rules, in order.
    pub rules: Vec<Rule>,
}

/// Which events a policy applies to.
#[derive(Debug, Default)]
pub struct Scope {
    /// App id globs; empty means every app.
    pub apps: Vec<Glob>,
    /// Kinds.
    pub kinds: Option<KindSet>,
    /// Apps directed at children: their subjects are children.
    pub child_directed_apps: Vec<Glob>,
    /// Extra condition.
    pub when: Option<Condition>,
}

pub use crate::policy::model::{ConsentPolicy, DEFAULT_TCF_ANY_OF, DEFAULT_TCF_REQUIRED, OnOptOut};

/// A compiled rule.
#[derive(Debug)]
pub struct Rule {
    /// `id:`.
    pub id: Arc<str>,
    /// `why:`.
    pub why: Option<Arc<str>>,
    /// Selected fields.
    pub selectors: Vec<Selector>,
    /// Condition.
    pub when: Option<Condition>,
    /// Detectors whose matches the action applies to (empty: the whole value).
    pub detect: DetectorMask,
    /// The action.
    pub action: Action,
}

/// Fields removed by `on_opt_out: anonymize` unless the policy lists its own: the event's
/// identifiers, and properties that hold one under a telling key, at any depth.
pub const DEFAULT_ANONYMIZE: &[&str] = &[
    "identity",
    "user_id",
    "session_id",
    "client.ip",
    "device.vendor_id",
    "device.advertiser_id",
    "device.*device_id*",
    "user.**",
    "**.*email*",
    "**.*e_mail*",
    "**.*phone*",
    "**.*mobile_number*",
    "**.*user_id*",
    "**.*userid*",
    "**.*customer_id*",
    "**.*device_id*",
    "**.*advertising_id*",
    "**.*advertiser_id*",
    "**.idfa",
    "**.idfv",
    "**.*ip_address*",
];

/// Compiles one policy spec. Problems go to `diags`; `None` when there was any error.
pub fn compile(
    spec: &PolicySpec,
    text: &str,
    origin: &str,
    detectors: &DetectorScope<'_>,
    diags: &mut Diags,
) -> Option<Policy> {
    let errors_before = error_count(diags);
    let name = &spec.name;
    if name.value.is_empty()
        || !name
            .value
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-')
    {
        diags.error_help(
            name.loc,
            format!(
                "policy name `{}` may only contain a-z, 0-9, `_` and `-`",
                name.value
            ),
            Some("names appear in audit records and on the command line".to_owned()),
        );
    }
    let mode = match spec.mode.value.as_str() {
        "enforce" => Mode::Enforce,
        "shadow" => Mode::Shadow,
        other => {
            diags.error_help(
                spec.mode.loc,
                format!("unknown mode `{other}`"),
                suggestion(other, ["enforce", "shadow"])
                    .or(Some("expected `enforce` or `shadow`".to_owned())),
            );
            Mode::Enforce
        }
    };
    let scope = compile_scope(&spec.scope, diags);
    let consent = spec.consent.as_ref().map(|c| consent(c, diags));
    let mut rules: Vec<Rule> = Vec::with_capacity(spec.rules.len());
    let mut seen: Vec<(&str, Loc)> = Vec::new();
    let mut catch_all: Option<&RuleSpec> = None;
    for rule_spec in &spec.rules {
        if let Some((_, first)) = seen.iter().find(|(id, _)| *id == rule_spec.id.value) {
            diags.error_help(
                rule_spec.id.loc,
                format!("duplicate rule id `{}`", rule_spec.id.value),
                Some(format!(
                    "the first rule with this id is on line {}",
                    first.line
                )),
            );
        } else {
            seen.push((&rule_spec.id.value, rule_spec.id.loc));
        }
        if let Some(earlier) = catch_all {
            diags.warning(
                rule_spec.loc,
                format!(
                    "rule `{}` can never run: rule `{}` on line {} drops every event first",
                    rule_spec.id.value, earlier.id.value, earlier.loc.line
                ),
            );
        }
        if let Some(rule) = compile_rule(rule_spec, detectors, diags) {
            warn_unreachable(rule_spec, &rule, scope.kinds, diags);
            if rule.action == Action::DropEvent
                && rule.when.is_none()
                && rule.selectors.is_empty()
                && catch_all.is_none()
            {
                catch_all = Some(rule_spec);
            }
            rules.push(rule);
        }
    }
    if error_count(diags) > errors_before {
        return None;
    }
    Some(Policy {
        name: Arc::from(name.value.as_str()),
        sha256: sha256_hex(text.as_bytes()),
        origin: origin.to_owned(),
        description: spec.description.clone(),
        mode,
        scope,
        consent,
        rules,
    })
}

/// Warns about selectors that the kinds a rule applies to never carry.
fn warn_unreachable(spec: &RuleSpec, rule: &Rule, scope: Option<KindSet>, diags: &mut Diags) {
    let mut kinds = scope.unwrap_or(KindSet::ALL);
    match &rule.when {
        Some(Condition::Kind(k)) => kinds.0 &= k.0,
        Some(Condition::All(list)) => {
            for c in list {
                if let Condition::Kind(k) = c {
                    kinds.0 &= k.0;
                }
            }
        }
        _ => {}
    }
    if kinds == KindSet::ALL {
        return;
    }
    let names = |set: KindSet| {
        Kind::ALL
            .iter()
            .filter(|k| set.contains(**k))
            .map(|k| k.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for text in &spec.fields {
        let Ok(selector) = Selector::parse(&text.value) else {
            continue;
        };
        let Some(root) = selector.root() else {
            continue;
        };
        let carrying = crate::event::kinds_carrying(root);
        if carrying.0 & kinds.0 == 0 {
            diags.warning(
                text.loc,
                format!(
                    "`{}` can never match: `{root}` only exists on {} events, and this rule applies to {}",
                    text.value,
                    names(carrying),
                    names(kinds)
                ),
            );
        }
    }
}

fn error_count(diags: &Diags) -> usize {
    diags
        .0
        .iter()
        .filter(|d| d.severity == crate::diag::Severity::Error)
        .count()
}

pub use crate::keys::sha256_hex;

/// Compiles a `scope:` block (also used to check scopes given in the config file).
pub fn compile_scope(spec: &crate::policy::spec::ScopeSpec, diags: &mut Diags) -> Scope {
    Scope {
        apps: spec.apps.iter().map(|a| Glob::new(&a.value)).collect(),
        kinds: if spec.kinds.is_empty() {
            None
        } else {
            Some(kind_set(&spec.kinds, diags))
        },
        child_directed_apps: spec
            .child_directed_apps
            .iter()
            .map(|a| Glob::new(&a.value))
            .collect(),
        when: spec.when.as_ref().and_then(|c| condition(c, diags)),
    }
}

fn kind_set(kinds: &[Located<String>], diags: &mut Diags) -> KindSet {
    let mut set = KindSet(0);
    for k in kinds {
        match Kind::parse(&k.value) {
            Some(kind) => set.0 |= kind.bit(),
            None => diags.error_help(
                k.loc,
                format!("unknown event kind `{}`", k.value),
                suggestion(&k.value, Kind::ALL.iter().map(|k| k.as_str())).or_else(|| {
                    Some(format!(
                        "kinds are: {}",
                        Kind::ALL.map(|k| k.as_str()).join(", ")
                    ))
                }),
            ),
        }
    }
    set
}

/// Signal names accepted in `opt_out_when` besides request signals.
const REGISTRY: &str = "registry";

fn consent(spec: &ConsentSpec, diags: &mut Diags) -> ConsentPolicy {
    let mut signals = Vec::new();
    let mut registry = false;
    for s in &spec.opt_out_when {
        if s.value == REGISTRY {
            registry = true;
        } else if let Some(sig) = Signal::parse(&s.value) {
            signals.push(sig);
        } else {
            diags.error_help(
                s.loc,
                format!("unknown opt-out signal `{}`", s.value),
                suggestion(
                    &s.value,
                    Signal::ALL.iter().map(|s| s.as_str()).chain([REGISTRY]),
                )
                .or_else(|| Some(signal_list())),
            );
        }
    }
    let on_opt_out = match spec.on_opt_out.as_ref().map(|o| (o.value.as_str(), o.loc)) {
        None | Some(("drop", _)) => OnOptOut::Drop,
        Some(("anonymize", _)) => OnOptOut::Anonymize,
        Some((other, loc)) => {
            diags.error_help(
                loc,
                format!("unknown `on_opt_out` value `{other}`"),
                suggestion(other, ["drop", "anonymize"])
                    .or(Some("expected `drop` or `anonymize`".to_owned())),
            );
            OnOptOut::Drop
        }
    };
    let anonymize = if spec.anonymize_fields.is_empty() {
        DEFAULT_ANONYMIZE
            .iter()
            .map(|s| Selector::parse(s).expect("built-in anonymize selectors are valid"))
            .collect()
    } else {
        spec.anonymize_fields
            .iter()
            .filter_map(|f| selector(f, diags))
            .collect()
    };
    let purposes = |list: &[Located<u64>], diags: &mut Diags| -> Vec<u8> {
        list.iter()
            .filter_map(|p| {
                if (1..=24).contains(&p.value) {
                    Some(p.value as u8)
                } else {
                    diags.error(p.loc, "TCF purposes are numbered 1 to 24");
                    None
                }
            })
            .collect()
    };
    let (tcf_required, tcf_any_of) = if spec.tcf_required.is_empty() && spec.tcf_any_of.is_empty() {
        (DEFAULT_TCF_REQUIRED.to_vec(), DEFAULT_TCF_ANY_OF.to_vec())
    } else {
        (
            purposes(&spec.tcf_required, diags),
            purposes(&spec.tcf_any_of, diags),
        )
    };
    let cookies = spec
        .cookies
        .iter()
        .filter_map(|c| match Regex::new(&c.opt_out_matches.value) {
            Ok(re) => Some((c.name.value.clone(), re)),
            Err(e) => {
                diags.error(
                    c.opt_out_matches.loc,
                    format!(
                        "invalid regex `{}`: {}",
                        c.opt_out_matches.value,
                        one_line(&e.to_string())
                    ),
                );
                None
            }
        })
        .collect::<Vec<_>>();
    if signals.contains(&Signal::Cookie)
        && cookies.is_empty()
        && let Some(s) = spec.opt_out_when.iter().find(|s| s.value == "cookie")
    {
        diags.error_help(
            s.loc,
            "the `cookie` signal needs `consent.cookies` to say which cookie means \"no\"",
            Some(
                "e.g. `cookies: [{name: OptanonConsent, opt_out_matches: \"C0002:0\"}]`".to_owned(),
            ),
        );
    }
    let field = spec.field.as_ref().and_then(|c| condition(c, diags));
    if signals.contains(&Signal::Field)
        && field.is_none()
        && let Some(s) = spec.opt_out_when.iter().find(|s| s.value == "field")
    {
        diags.error(
            s.loc,
            "the `field` signal needs `consent.field`, a condition on the event",
        );
    }
    ConsentPolicy {
        signals,
        registry,
        on_opt_out,
        anonymize,
        tcf_required,
        tcf_any_of,
        cookies,
        field,
        child_when: spec.child_when.as_ref().and_then(|c| condition(c, diags)),
        parental_consent_when: spec
            .parental_consent_when
            .as_ref()
            .and_then(|c| condition(c, diags)),
    }
}

fn signal_list() -> String {
    format!(
        "signals are: {}, {REGISTRY}",
        Signal::ALL.map(|s| s.as_str()).join(", ")
    )
}

fn selector(text: &Located<String>, diags: &mut Diags) -> Option<Selector> {
    match Selector::parse(&text.value) {
        Ok(s) => Some(s),
        Err(e) => {
            diags.error_help(text.loc, e.message, e.help);
            None
        }
    }
}

fn compile_rule(spec: &RuleSpec, detectors: &DetectorScope<'_>, diags: &mut Diags) -> Option<Rule> {
    let errors_before = error_count(diags);
    let selectors: Vec<Selector> = spec
        .fields
        .iter()
        .filter_map(|f| selector(f, diags))
        .collect();
    let when = spec.when.as_ref().and_then(|c| condition(c, diags));
    let mut detect = DetectorMask::default();
    for d in &spec.detect {
        if let Some((_, members)) = Detectors::GROUPS.iter().find(|(g, _)| *g == d.value) {
            for m in *members {
                if let Some(id) = detectors.id(m) {
                    detect.insert(id);
                }
            }
            continue;
        }
        match detectors.id(&d.value) {
            Some(id) => detect.insert(id),
            None => diags.error_help(
                d.loc,
                format!("unknown detector `{}`", d.value),
                suggestion(&d.value, detectors.names()).or_else(|| {
                    Some(format!(
                        "built-in detectors are: {}; define others under `detectors:`",
                        Detectors::BUILTIN.join(", ")
                    ))
                }),
            ),
        }
    }
    let spec_action = spec.action.as_ref()?;
    let action = match &spec_action.value {
        ActionSpec::Remove => Action::Remove,
        ActionSpec::Mask {
            keep_first,
            keep_last,
            char,
        } => Action::Mask {
            keep_first: *keep_first,
            keep_last: *keep_last,
            ch: *char,
        },
        ActionSpec::Replace(t) => {
            check_placeholders(t, spec_action.loc, diags);
            Action::Replace(t.clone())
        }
        ActionSpec::Hash => Action::Hash,
        ActionSpec::Tokenize => Action::Tokenize,
        ActionSpec::TruncateIp { v4, v6 } => Action::TruncateIp { v4: *v4, v6: *v6 },
        ActionSpec::Generalize(method) => match Generalize::parse(&method.value) {
            Some(g) => Action::Generalize(g),
            None => {
                diags.error_help(
                    method.loc,
                    format!("unknown generalize method `{}`", method.value),
                    suggestion(&method.value, Generalize::NAMES.iter().copied())
                        .or_else(|| Some(format!("methods are: {}", Generalize::NAMES.join(", ")))),
                );
                return None;
            }
        },
        ActionSpec::Url {
            query,
            fragment,
            keep_params,
        } => Action::Url(UrlAction {
            query: *query,
            fragment: *fragment,
            keep_params: keep_params.clone(),
        }),
        ActionSpec::DropEvent => Action::DropEvent,
    };
    if spec.fields.is_empty() && action != Action::DropEvent {
        diags.error_help(
            spec_action.loc,
            format!(
                "rule `{}` has no `fields` for `{}` to act on",
                spec.id.value,
                action.name()
            ),
            Some("add `fields: [...]`, or use `drop_event` to drop whole events".to_owned()),
        );
    }
    if !spec.detect.is_empty() && spec.fields.is_empty() {
        diags.error(
            spec.detect[0].loc,
            format!(
                "rule `{}` uses `detect` but selects no `fields` to scan",
                spec.id.value
            ),
        );
    }
    if !spec.detect.is_empty() && matches!(action, Action::Url(_)) {
        diags.error(
            spec_action.loc,
            "`url` acts on whole URLs and cannot be combined with `detect`",
        );
    }
    if error_count(diags) > errors_before {
        return None;
    }
    Some(Rule {
        id: Arc::from(spec.id.value.as_str()),
        why: spec.why.as_deref().map(Arc::from),
        selectors: Selector::merge(selectors),
        when,
        detect,
        action,
    })
}

fn condition(spec: &CondSpec, diags: &mut Diags) -> Option<Condition> {
    Some(match spec {
        CondSpec::Event(c) => Condition::Event(cmp(c, diags)?),
        CondSpec::App(c) => Condition::App(cmp(c, diags)?),
        CondSpec::Kind(kinds) => Condition::Kind(kind_set(kinds, diags)),
        CondSpec::Field(path, c) => Condition::Field(selector(path, diags)?, cmp(c, diags)?),
        CondSpec::Header(name, c) => {
            if http::HeaderName::from_bytes(name.value.as_bytes()).is_err() {
                diags.error(
                    name.loc,
                    format!("`{}` is not a valid header name", name.value),
                );
                return None;
            }
            Condition::Header(name.value.to_ascii_lowercase(), cmp(c, diags)?)
        }
        CondSpec::Cookie(name, c) => Condition::Cookie(name.value.clone(), cmp(c, diags)?),
        CondSpec::Signal(name) => match Signal::parse(&name.value) {
            Some(s) => Condition::Signal(s),
            None => {
                diags.error_help(
                    name.loc,
                    format!("unknown signal `{}`", name.value),
                    suggestion(&name.value, Signal::ALL.iter().map(|s| s.as_str()))
                        .or_else(|| Some(signal_list())),
                );
                return None;
            }
        },
        CondSpec::Subject(state) => match state.value.as_str() {
            "opted_out" => Condition::OptedOut,
            "child" => Condition::Child,
            other => {
                diags.error_help(
                    state.loc,
                    format!("unknown subject state `{other}`"),
                    suggestion(other, ["opted_out", "child"])
                        .or(Some("expected `opted_out` or `child`".to_owned())),
                );
                return None;
            }
        },
        CondSpec::All(list) => {
            Condition::All(list.iter().filter_map(|c| condition(c, diags)).collect())
        }
        CondSpec::Any(list) => {
            Condition::Any(list.iter().filter_map(|c| condition(c, diags)).collect())
        }
        CondSpec::Not(c) => Condition::Not(Box::new(condition(c, diags)?)),
    })
}

fn cmp(spec: &CmpSpec, diags: &mut Diags) -> Option<Cmp> {
    let scalar = |s: &Located<SpecScalar>| match &s.value {
        SpecScalar::Str(t) => Scalar::Str(t.clone()),
        SpecScalar::Num(n) => Scalar::Num(*n),
        SpecScalar::Bool(b) => Scalar::Bool(*b),
        SpecScalar::Null => Scalar::Null,
    };
    let matches = match &spec.matches {
        Some(re) => match Regex::new(&re.value) {
            Ok(r) => Some(r),
            Err(e) => {
                diags.error(
                    re.loc,
                    format!("invalid regex `{}`: {}", re.value, one_line(&e.to_string())),
                );
                return None;
            }
        },
        None => None,
    };
    Some(Cmp {
        equals: spec.equals.as_ref().map(scalar),
        in_: spec.in_.as_ref().map(|l| l.iter().map(scalar).collect()),
        matches,
        exists: spec.exists,
        lt: spec.lt,
        gt: spec.gt,
    })
}

/// The regex crate's multi-line messages ("regex parse error:", the pattern, a caret line,
/// "error: unclosed group") reduced to what went wrong.
pub fn one_line(message: &str) -> String {
    if let Some(last) = message
        .lines()
        .rev()
        .find_map(|l| l.trim().strip_prefix("error: "))
    {
        return last.to_owned();
    }
    message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Reports `{name}` placeholders in a `replace` template that are not filled in (they would
/// reach the collector as written).
fn check_placeholders(template: &str, loc: Loc, diags: &mut Diags) {
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + len];
        if !name.is_empty()
            && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !crate::policy::action::PLACEHOLDERS.contains(&name)
        {
            diags.error_help(
                loc,
                format!("unknown placeholder `{{{name}}}` in `replace`"),
                suggestion(name, crate::policy::action::PLACEHOLDERS.iter().copied()).or_else(
                    || {
                        Some(format!(
                            "placeholders are {}",
                            crate::policy::action::PLACEHOLDERS
                                .iter()
                                .map(|p| format!("`{{{p}}}`"))
                                .collect::<Vec<_>>()
                                .join(", ")
                        ))
                    },
                ),
            );
        }
        rest = &rest[open + len + 1..];
    }
}
