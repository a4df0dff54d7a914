//! Raw policy files: the YAML shape of docs/policy-owners/writing-policies.md as plain types that remember locations.
//!
//! Reading checks only the shape — known keys, value types, one action per rule — and collects
//! every problem instead of stopping at the first. Meaning (regexes, detectors, selectors,
//! duplicate ids) is checked when the spec is compiled (`compile.rs`).

use crate::diag::Loc;
use crate::yaml::{Diags, MapReader, Node, Value, expect_str, expect_str_list, expect_u64};

/// A string with the place it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    /// The value.
    pub value: T,
    /// Where.
    pub loc: Loc,
}

impl<T> Located<T> {
    fn new(value: T, loc: Loc) -> Self {
        Located { value, loc }
    }
}

/// One policy file.
#[derive(Debug, Clone, PartialEq)]
pub struct PolicySpec {
    /// `policy:` the unique name.
    pub name: Located<String>,
    /// `description:`.
    pub description: Option<String>,
    /// `mode:` enforce (default) or shadow.
    pub mode: Located<String>,
    /// `scope:`.
    pub scope: ScopeSpec,
    /// `detectors:` custom detectors.
    pub detectors: Vec<DetectorSpec>,
    /// `consent:`.
    pub consent: Option<ConsentSpec>,
    /// `rules:` in order.
    pub rules: Vec<RuleSpec>,
}

/// `scope:` which traffic a policy applies to.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ScopeSpec {
    /// App (environment) id globs; empty means all.
    pub apps: Vec<Located<String>>,
    /// Kinds; empty means all.
    pub kinds: Vec<Located<String>>,
    /// Apps that are directed to children (COPPA): every subject in them is a child.
    pub child_directed_apps: Vec<Located<String>>,
    /// An extra condition an event must meet.
    pub when: Option<CondSpec>,
}

/// A custom detector.
#[derive(Debug, Clone, PartialEq)]
pub struct DetectorSpec {
    /// Its name, used in `detect:`.
    pub name: Located<String>,
    /// Regex for matches inside free text.
    pub pattern: Option<Located<String>>,
    /// Key globs under which any value counts as a match.
    pub keys: Vec<Located<String>>,
    /// Context words that must stand before a pattern match (or in its key).
    pub context: Vec<Located<String>>,
    /// Terms found as words in text (`words:`, a list, or lists under labels such as languages).
    pub words: Vec<Located<String>>,
}

/// `consent:` how a policy honours opt-outs.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsentSpec {
    /// Signals that opt a request or subject out.
    pub opt_out_when: Vec<Located<String>>,
    /// `drop` or `anonymize`.
    pub on_opt_out: Option<Located<String>>,
    /// Fields removed by `anonymize` (default: identity, user ids, session, IP, device ids).
    pub anonymize_fields: Vec<Located<String>>,
    /// TCF purposes that must all have consent.
    pub tcf_required: Vec<Located<u64>>,
    /// TCF purposes of which at least one must have consent.
    pub tcf_any_of: Vec<Located<u64>>,
    /// Consent cookies: name and a regex that means "no consent" when it matches.
    pub cookies: Vec<CookieSignalSpec>,
    /// A condition that, when true, opts the event out (server-side signals in properties).
    pub field: Option<CondSpec>,
    /// A condition that declares the subject a child (COPPA).
    pub child_when: Option<CondSpec>,
    /// A condition that means a parent consented: the subject is not treated as a child.
    pub parental_consent_when: Option<CondSpec>,
}

/// One consent cookie signal.
#[derive(Debug, Clone, PartialEq)]
pub struct CookieSignalSpec {
    /// Cookie name.
    pub name: Located<String>,
    /// Regex: a match means the user did not consent.
    pub opt_out_matches: Located<String>,
}

/// One rule.
#[derive(Debug, Clone, PartialEq)]
pub struct RuleSpec {
    /// `id:` unique within the policy.
    pub id: Located<String>,
    /// `why:` free text, shown in explain output and audit.
    pub why: Option<String>,
    /// `fields:` selectors.
    pub fields: Vec<Located<String>>,
    /// `when:` condition.
    pub when: Option<CondSpec>,
    /// `detect:` detector names.
    pub detect: Vec<Located<String>>,
    /// `action:`; `None` when it could not be read (already reported).
    pub action: Option<Located<ActionSpec>>,
    /// Where the rule starts.
    pub loc: Loc,
}

/// An action as written.
#[derive(Debug, Clone, PartialEq)]
pub enum ActionSpec {
    /// `remove`
    Remove,
    /// `mask` / `{mask: {keep_first, keep_last, char}}`
    Mask {
        /// Characters kept at the start.
        keep_first: u32,
        /// Characters kept at the end.
        keep_last: u32,
        /// Mask character.
        char: char,
    },
    /// `{replace: "text with {detector}"}`
    Replace(String),
    /// `hash`
    Hash,
    /// `tokenize`
    Tokenize,
    /// `truncate_ip` / `{truncate_ip: {v4, v6}}`
    TruncateIp {
        /// Prefix bits kept of IPv4.
        v4: u8,
        /// Prefix bits kept of IPv6.
        v6: u8,
    },
    /// `{generalize: year|zip3|age_90}`
    Generalize(Located<String>),
    /// `url` / `{url: {strip: [query, fragment], keep_params: [...]}}`
    Url {
        /// Strip the query string.
        query: bool,
        /// Strip the fragment.
        fragment: bool,
        /// Query parameters kept when the query is stripped.
        keep_params: Vec<String>,
    },
    /// `drop_event`
    DropEvent,
}

impl ActionSpec {
    /// The action's name as written in policies and audit records.
    pub fn name(&self) -> &'static str {
        match self {
            ActionSpec::Remove => "remove",
            ActionSpec::Mask { .. } => "mask",
            ActionSpec::Replace(_) => "replace",
            ActionSpec::Hash => "hash",
            ActionSpec::Tokenize => "tokenize",
            ActionSpec::TruncateIp { .. } => "truncate_ip",
            ActionSpec::Generalize(_) => "generalize",
            ActionSpec::Url { .. } => "url",
            ActionSpec::DropEvent => "drop_event",
        }
    }
}

/// Every action name, for suggestions.
pub const ACTIONS: &[&str] = &[
    "remove",
    "mask",
    "replace",
    "hash",
    "tokenize",
    "truncate_ip",
    "generalize",
    "url",
    "drop_event",
];

/// A `when:` condition as written.
#[derive(Debug, Clone, PartialEq)]
pub enum CondSpec {
    /// `event:` the event name.
    Event(CmpSpec),
    /// `kind:` one of these kinds.
    Kind(Vec<Located<String>>),
    /// `app:` the app id.
    App(CmpSpec),
    /// `field: path` plus a comparison.
    Field(Located<String>, CmpSpec),
    /// `header: name` plus a comparison.
    Header(Located<String>, CmpSpec),
    /// `cookie: name` plus a comparison.
    Cookie(Located<String>, CmpSpec),
    /// `signal: gpc` a consent signal is present in the request.
    Signal(Located<String>),
    /// `subject: opted_out|child`.
    Subject(Located<String>),
    /// `all: [...]` / several keys in one mapping.
    All(Vec<CondSpec>),
    /// `any: [...]`.
    Any(Vec<CondSpec>),
    /// `not: {...}`.
    Not(Box<CondSpec>),
}

/// A comparison as written; at least one part is set.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct CmpSpec {
    /// `equals:` a scalar.
    pub equals: Option<Located<Scalar>>,
    /// `in:` a list of scalars.
    pub in_: Option<Vec<Located<Scalar>>>,
    /// `matches:` a regex.
    pub matches: Option<Located<String>>,
    /// `exists:` true or false.
    pub exists: Option<bool>,
    /// `lt:` a number.
    pub lt: Option<f64>,
    /// `gt:` a number.
    pub gt: Option<f64>,
    /// Where the comparison is.
    pub loc: Loc,
}

/// A scalar value in a comparison.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// Text.
    Str(String),
    /// A number.
    Num(f64),
    /// true/false.
    Bool(bool),
    /// null.
    Null,
}

const POLICY_KEYS: &[&str] = &[
    "policy",
    "description",
    "mode",
    "scope",
    "detectors",
    "consent",
    "rules",
];
const RULE_KEYS: &[&str] = &["id", "why", "fields", "when", "detect", "action"];
const SCOPE_KEYS: &[&str] = &["apps", "kinds", "child_directed_apps", "when"];
const DETECTOR_KEYS: &[&str] = &["pattern", "keys", "context", "words"];
const CONSENT_KEYS: &[&str] = &[
    "opt_out_when",
    "on_opt_out",
    "anonymize_fields",
    "tcf",
    "cookies",
    "field",
    "child_when",
    "parental_consent_when",
];
const CMP_KEYS: &[&str] = &["equals", "in", "matches", "exists", "lt", "gt"];
const COND_KEYS: &[&str] = &[
    "event", "kind", "app", "field", "header", "cookie", "signal", "subject", "all", "any", "not",
    "equals", "in", "matches", "exists", "lt", "gt",
];

/// Reads a whole policy document. Returns the spec when its shape allows one, with every
/// problem found in `diags`.
pub fn read_policy(root: &Node, diags: &mut Diags) -> Option<PolicySpec> {
    let map = MapReader::new(root, "a policy file", POLICY_KEYS, diags)?;
    let name = map
        .required("policy", diags)
        .and_then(|n| expect_str(n, "`policy`", diags).map(|s| Located::new(s.to_owned(), n.loc)));
    let description = map.str("description", diags).map(str::to_owned);
    let mode = match map.get("mode") {
        Some(n) => expect_str(n, "`mode`", diags).map(|s| Located::new(s.to_owned(), n.loc)),
        None => Some(Located::new("enforce".to_owned(), Loc::UNKNOWN)),
    };
    let scope = map
        .get("scope")
        .map(|n| read_scope(n, diags))
        .unwrap_or_default();
    let detectors = map
        .get("detectors")
        .map(|n| read_detectors(n, diags))
        .unwrap_or_default();
    let consent = map.get("consent").and_then(|n| read_consent(n, diags));
    let rules = match map.required("rules", diags) {
        Some(node) => match &node.value {
            Value::Seq(items) => items.iter().filter_map(|r| read_rule(r, diags)).collect(),
            Value::Null => Vec::new(),
            _ => {
                diags.wrong_type(node, "`rules`", "a list of rules");
                Vec::new()
            }
        },
        None => Vec::new(),
    };
    Some(PolicySpec {
        name: name?,
        description,
        mode: mode?,
        scope,
        detectors,
        consent,
        rules,
    })
}

fn located_list(node: &Node, what: &str, diags: &mut Diags) -> Vec<Located<String>> {
    expect_str_list(node, what, diags)
        .into_iter()
        .map(|(s, n)| Located::new(s.to_owned(), n.loc))
        .collect()
}

/// Reads a `scope:` block (in a policy, or in the config file's `policies:` list).
pub fn read_scope(node: &Node, diags: &mut Diags) -> ScopeSpec {
    let Some(map) = MapReader::new(node, "`scope`", SCOPE_KEYS, diags) else {
        return ScopeSpec::default();
    };
    ScopeSpec {
        apps: map
            .get("apps")
            .map(|n| located_list(n, "`scope.apps`", diags))
            .unwrap_or_default(),
        kinds: map
            .get("kinds")
            .map(|n| located_list(n, "`scope.kinds`", diags))
            .unwrap_or_default(),
        child_directed_apps: map
            .get("child_directed_apps")
            .map(|n| located_list(n, "`scope.child_directed_apps`", diags))
            .unwrap_or_default(),
        when: map.get("when").and_then(|n| read_condition(n, diags)),
    }
}

fn read_detectors(node: &Node, diags: &mut Diags) -> Vec<DetectorSpec> {
    let Value::Map(entries) = &node.value else {
        diags.wrong_type(
            node,
            "`detectors`",
            "a mapping of detector names to definitions",
        );
        return Vec::new();
    };
    let mut out = Vec::new();
    for (key, def) in entries {
        let Some(map) = MapReader::new(def, "a detector", DETECTOR_KEYS, diags) else {
            continue;
        };
        let pattern = map.get("pattern").and_then(|n| {
            expect_str(n, "`pattern`", diags).map(|s| Located::new(s.to_owned(), n.loc))
        });
        let keys = map
            .get("keys")
            .map(|n| located_list(n, "`keys`", diags))
            .unwrap_or_default();
        let context = map
            .get("context")
            .map(|n| located_list(n, "`context`", diags))
            .unwrap_or_default();
        let words = map
            .get("words")
            .map(|n| read_words(n, diags))
            .unwrap_or_default();
        if keys.is_empty() && map.get("pattern").is_none() && map.get("words").is_none() {
            diags.error(
                key.loc,
                format!(
                    "detector `{}` needs a `pattern`, `keys` or `words`",
                    key.name
                ),
            );
        }
        out.push(DetectorSpec {
            name: Located::new(key.name.clone(), key.loc),
            pattern,
            keys,
            context,
            words,
        });
    }
    out
}

/// `words:` a list of terms, or a mapping of labels (languages, say) to lists of terms.
fn read_words(node: &Node, diags: &mut Diags) -> Vec<Located<String>> {
    match &node.value {
        Value::Map(groups) => groups
            .iter()
            .flat_map(|(label, list)| located_list(list, &format!("`words.{}`", label.name), diags))
            .collect(),
        _ => located_list(node, "`words`", diags),
    }
}

fn read_consent(node: &Node, diags: &mut Diags) -> Option<ConsentSpec> {
    let map = MapReader::new(node, "`consent`", CONSENT_KEYS, diags)?;
    let mut tcf_required = Vec::new();
    let mut tcf_any_of = Vec::new();
    if let Some(tcf) = map.get("tcf")
        && let Some(t) = MapReader::new(
            tcf,
            "`consent.tcf`",
            &["required_purposes", "any_of_purposes"],
            diags,
        )
    {
        let mut purposes = |key: &str, out: &mut Vec<Located<u64>>| {
            if let Some(n) = t.get(key) {
                match &n.value {
                    Value::Seq(items) => {
                        for item in items {
                            if let Some(p) = expect_u64(item, "a TCF purpose", diags) {
                                out.push(Located::new(p, item.loc));
                            }
                        }
                    }
                    _ => diags.wrong_type(n, &format!("`{key}`"), "a list of purpose numbers"),
                }
            }
        };
        purposes("required_purposes", &mut tcf_required);
        purposes("any_of_purposes", &mut tcf_any_of);
    }
    let mut cookies = Vec::new();
    if let Some(n) = map.get("cookies") {
        match &n.value {
            Value::Seq(items) => {
                for item in items {
                    let Some(c) = MapReader::new(
                        item,
                        "a consent cookie",
                        &["name", "opt_out_matches"],
                        diags,
                    ) else {
                        continue;
                    };
                    let name = c.required("name", diags).and_then(|n| {
                        expect_str(n, "`name`", diags).map(|s| Located::new(s.to_owned(), n.loc))
                    });
                    let re = c.required("opt_out_matches", diags).and_then(|n| {
                        expect_str(n, "`opt_out_matches`", diags)
                            .map(|s| Located::new(s.to_owned(), n.loc))
                    });
                    if let (Some(name), Some(opt_out_matches)) = (name, re) {
                        cookies.push(CookieSignalSpec {
                            name,
                            opt_out_matches,
                        });
                    }
                }
            }
            _ => diags.wrong_type(n, "`consent.cookies`", "a list"),
        }
    }
    Some(ConsentSpec {
        opt_out_when: map
            .get("opt_out_when")
            .map(|n| located_list(n, "`opt_out_when`", diags))
            .unwrap_or_default(),
        on_opt_out: map.get("on_opt_out").and_then(|n| {
            expect_str(n, "`on_opt_out`", diags).map(|s| Located::new(s.to_owned(), n.loc))
        }),
        anonymize_fields: map
            .get("anonymize_fields")
            .map(|n| located_list(n, "`anonymize_fields`", diags))
            .unwrap_or_default(),
        tcf_required,
        tcf_any_of,
        cookies,
        field: map.get("field").and_then(|n| read_condition(n, diags)),
        child_when: map.get("child_when").and_then(|n| read_condition(n, diags)),
        parental_consent_when: map
            .get("parental_consent_when")
            .and_then(|n| read_condition(n, diags)),
    })
}

fn read_rule(node: &Node, diags: &mut Diags) -> Option<RuleSpec> {
    let map = MapReader::new(node, "a rule", RULE_KEYS, diags)?;
    let id = map.required("id", diags).and_then(|n| match &n.value {
        Value::Str(s) => Some(Located::new(s.clone(), n.loc)),
        Value::Int(i) => Some(Located::new(i.to_string(), n.loc)),
        _ => {
            diags.wrong_type(n, "`id`", "a string");
            None
        }
    });
    let why = map.str("why", diags).map(str::to_owned);
    let fields = map
        .get("fields")
        .map(|n| located_list(n, "`fields`", diags))
        .unwrap_or_default();
    let when = map.get("when").and_then(|n| read_condition(n, diags));
    let detect = map
        .get("detect")
        .map(|n| located_list(n, "`detect`", diags))
        .unwrap_or_default();
    let action = map
        .required("action", diags)
        .and_then(|n| read_action(n, diags));
    Some(RuleSpec {
        id: id?,
        why,
        fields,
        when,
        detect,
        action,
        loc: node.loc,
    })
}

fn unknown_action(name: &str, loc: Loc, diags: &mut Diags) {
    let help = crate::diag::suggestion(name, ACTIONS.iter().copied())
        .or_else(|| Some(format!("expected one of: {}", ACTIONS.join(", "))));
    diags.error_help(loc, format!("unknown action `{name}`"), help);
}

fn read_action(node: &Node, diags: &mut Diags) -> Option<Located<ActionSpec>> {
    let (name, arg, name_loc) = match &node.value {
        Value::Str(s) => (s.as_str(), None, node.loc),
        Value::Map(entries) if entries.len() == 1 => {
            let (k, v) = &entries[0];
            (k.name.as_str(), Some(v), k.loc)
        }
        Value::Map(_) => {
            diags.error(
                node.loc,
                "`action` must name exactly one action (e.g. `mask` or `{mask: {keep_last: 4}}`)",
            );
            return None;
        }
        _ => {
            diags.wrong_type(node, "`action`", "an action name or a one-key mapping");
            return None;
        }
    };
    let arg = arg.filter(|a| a.value != Value::Null);
    let spec = match name {
        "remove" | "hash" | "tokenize" | "drop_event" => {
            if let Some(a) = arg {
                diags.error(a.loc, format!("`{name}` takes no options"));
            }
            match name {
                "remove" => ActionSpec::Remove,
                "hash" => ActionSpec::Hash,
                "tokenize" => ActionSpec::Tokenize,
                _ => ActionSpec::DropEvent,
            }
        }
        "mask" => {
            let (mut keep_first, mut keep_last, mut ch) = (0, 0, '*');
            if let Some(a) = arg
                && let Some(m) =
                    MapReader::new(a, "`mask`", &["keep_first", "keep_last", "char"], diags)
            {
                keep_first = m.u64("keep_first", diags).unwrap_or(0).min(u32::MAX as u64) as u32;
                keep_last = m.u64("keep_last", diags).unwrap_or(0).min(u32::MAX as u64) as u32;
                if let Some(c) = m.get("char") {
                    match c.as_str().map(|s| {
                        let mut it = s.chars();
                        (it.next(), it.next())
                    }) {
                        Some((Some(one), None)) => ch = one,
                        _ => diags.error(c.loc, "`char` must be exactly one character"),
                    }
                }
            }
            ActionSpec::Mask {
                keep_first,
                keep_last,
                char: ch,
            }
        }
        "replace" => match arg {
            Some(a) => ActionSpec::Replace(expect_str(a, "`replace`", diags)?.to_owned()),
            None => {
                diags.error(
                    name_loc,
                    "`replace` needs the replacement text, e.g. `{replace: \"[{detector}]\"}`",
                );
                return None;
            }
        },
        "truncate_ip" => {
            let (mut v4, mut v6) = (24u8, 48u8);
            if let Some(a) = arg
                && let Some(m) = MapReader::new(a, "`truncate_ip`", &["v4", "v6"], diags)
            {
                if let Some(bits) = m.u64("v4", diags) {
                    if bits > 32 {
                        diags.error(
                            m.get("v4").map_or(a.loc, |n| n.loc),
                            "`v4` is a prefix length from 0 to 32",
                        );
                    } else {
                        v4 = bits as u8;
                    }
                }
                if let Some(bits) = m.u64("v6", diags) {
                    if bits > 128 {
                        diags.error(
                            m.get("v6").map_or(a.loc, |n| n.loc),
                            "`v6` is a prefix length from 0 to 128",
                        );
                    } else {
                        v6 = bits as u8;
                    }
                }
            }
            ActionSpec::TruncateIp { v4, v6 }
        }
        "generalize" => match arg {
            Some(a) => ActionSpec::Generalize(Located::new(
                expect_str(a, "`generalize`", diags)?.to_owned(),
                a.loc,
            )),
            None => {
                diags.error(
                    name_loc,
                    "`generalize` needs a method: `{generalize: year}`, `zip3` or `age_90`",
                );
                return None;
            }
        },
        "url" => {
            let (mut query, mut fragment, mut keep_params) = (true, true, Vec::new());
            if let Some(a) = arg
                && let Some(m) = MapReader::new(a, "`url`", &["strip", "keep_params"], diags)
            {
                if let Some(s) = m.get("strip") {
                    query = false;
                    fragment = false;
                    for (part, n) in expect_str_list(s, "`strip`", diags) {
                        match part {
                            "query" => query = true,
                            "fragment" => fragment = true,
                            other => diags.error_help(
                                n.loc,
                                format!("unknown URL part `{other}`"),
                                Some("`strip` takes `query` and/or `fragment`".to_owned()),
                            ),
                        }
                    }
                }
                if let Some(k) = m.get("keep_params") {
                    keep_params = expect_str_list(k, "`keep_params`", diags)
                        .into_iter()
                        .map(|(s, _)| s.to_owned())
                        .collect();
                }
            }
            ActionSpec::Url {
                query,
                fragment,
                keep_params,
            }
        }
        other => {
            unknown_action(other, name_loc, diags);
            return None;
        }
    };
    Some(Located::new(spec, name_loc))
}

/// Reads a `when:` condition.
pub fn read_condition(node: &Node, diags: &mut Diags) -> Option<CondSpec> {
    let map = MapReader::new(node, "a condition", COND_KEYS, diags)?;
    let cmp_present = CMP_KEYS.iter().any(|k| map.get(k).is_some());
    let targets: Vec<&str> = ["field", "header", "cookie"]
        .into_iter()
        .filter(|k| map.get(k).is_some())
        .collect();
    if targets.len() > 1 {
        diags.error(
            node.loc,
            format!(
                "a condition compares one thing; found both `{}` and `{}` (use `all:` to combine)",
                targets[0], targets[1]
            ),
        );
        return None;
    }
    if cmp_present && targets.is_empty() {
        diags.error_help(
            node.loc,
            "a comparison needs something to compare",
            Some("add `field: <path>`, `header: <name>` or `cookie: <name>`".to_owned()),
        );
        return None;
    }
    let mut parts = Vec::new();
    for (key, value) in map.entries() {
        let part = match key.name.as_str() {
            "event" => read_cmp_or_scalar(value, "`event`", diags).map(CondSpec::Event),
            "app" => read_cmp_or_scalar(value, "`app`", diags).map(CondSpec::App),
            "kind" => Some(CondSpec::Kind(located_list(value, "`kind`", diags))),
            "field" | "header" | "cookie" => {
                let target = expect_str(value, &format!("`{}`", key.name), diags)
                    .map(|s| Located::new(s.to_owned(), value.loc));
                let cmp = read_cmp(&map, node.loc, diags);
                match (target, cmp) {
                    (Some(t), Some(c)) => Some(match key.name.as_str() {
                        "field" => CondSpec::Field(t, c),
                        "header" => CondSpec::Header(t, c),
                        _ => CondSpec::Cookie(t, c),
                    }),
                    _ => None,
                }
            }
            "signal" => expect_str(value, "`signal`", diags)
                .map(|s| CondSpec::Signal(Located::new(s.to_owned(), value.loc))),
            "subject" => expect_str(value, "`subject`", diags)
                .map(|s| CondSpec::Subject(Located::new(s.to_owned(), value.loc))),
            "all" | "any" => {
                let Value::Seq(items) = &value.value else {
                    diags.wrong_type(value, &format!("`{}`", key.name), "a list of conditions");
                    continue;
                };
                let list: Vec<CondSpec> = items
                    .iter()
                    .filter_map(|i| read_condition(i, diags))
                    .collect();
                Some(if key.name == "all" {
                    CondSpec::All(list)
                } else {
                    CondSpec::Any(list)
                })
            }
            "not" => read_condition(value, diags).map(|c| CondSpec::Not(Box::new(c))),
            // Comparison keys are read with their target; unknown keys were reported already.
            _ => continue,
        };
        if let Some(p) = part {
            parts.push(p);
        }
    }
    match parts.len() {
        0 => {
            if map.entries().is_empty() {
                diags.error(
                    node.loc,
                    "an empty condition never says anything; remove `when:` or add a test",
                );
            }
            None
        }
        1 => parts.pop(),
        _ => Some(CondSpec::All(parts)),
    }
}

fn read_cmp_or_scalar(node: &Node, what: &str, diags: &mut Diags) -> Option<CmpSpec> {
    match &node.value {
        Value::Map(_) => {
            let m = MapReader::new(node, what, CMP_KEYS, diags)?;
            read_cmp(&m, node.loc, diags)
        }
        Value::Seq(items) => Some(CmpSpec {
            in_: Some(items.iter().filter_map(|i| scalar(i, diags)).collect()),
            loc: node.loc,
            ..CmpSpec::default()
        }),
        _ => Some(CmpSpec {
            equals: Some(scalar(node, diags)?),
            loc: node.loc,
            ..CmpSpec::default()
        }),
    }
}

fn read_cmp(map: &MapReader<'_>, loc: Loc, diags: &mut Diags) -> Option<CmpSpec> {
    let mut cmp = CmpSpec {
        loc,
        ..CmpSpec::default()
    };
    if let Some(n) = map.get("equals") {
        cmp.equals = scalar(n, diags);
    }
    if let Some(n) = map.get("in") {
        match &n.value {
            Value::Seq(items) => {
                cmp.in_ = Some(items.iter().filter_map(|i| scalar(i, diags)).collect())
            }
            _ => diags.wrong_type(n, "`in`", "a list"),
        }
    }
    if let Some(n) = map.get("matches") {
        cmp.matches = expect_str(n, "`matches`", diags).map(|s| Located::new(s.to_owned(), n.loc));
    }
    cmp.exists = map.bool("exists", diags);
    for (key, slot) in [("lt", &mut cmp.lt), ("gt", &mut cmp.gt)] {
        if let Some(n) = map.get(key) {
            match n.value {
                Value::Int(i) => *slot = Some(i as f64),
                Value::Float(f) => *slot = Some(f),
                _ => diags.wrong_type(n, &format!("`{key}`"), "a number"),
            }
        }
    }
    if cmp.equals.is_none()
        && cmp.in_.is_none()
        && cmp.matches.is_none()
        && cmp.exists.is_none()
        && cmp.lt.is_none()
        && cmp.gt.is_none()
    {
        if !CMP_KEYS.iter().any(|k| map.get(k).is_some()) {
            diags.error_help(
                loc,
                "this condition has nothing to compare with",
                Some("add `equals`, `in`, `matches`, `exists`, `lt` or `gt`".to_owned()),
            );
        }
        return None;
    }
    Some(cmp)
}

fn scalar(node: &Node, diags: &mut Diags) -> Option<Located<Scalar>> {
    let s = match &node.value {
        Value::Str(s) => Scalar::Str(s.clone()),
        Value::Int(i) => Scalar::Num(*i as f64),
        Value::Float(f) => Scalar::Num(*f),
        Value::Bool(b) => Scalar::Bool(*b),
        Value::Null => Scalar::Null,
        _ => {
            diags.wrong_type(node, "a compared value", "a string, number or boolean");
            return None;
        }
    };
    Some(Located::new(s, node.loc))
}
