//! Field selectors: `properties.email`, `page.*`, `**.*password*`, `properties.**`.
//!
//! A selector is a dotted list of segments matched against object keys, ignoring case. `*` matches
//! one segment, `**` any number of segments (as the last segment: every value at any depth below),
//! and a segment with `*` or `?` is a glob over the key. Arrays are transparent: a selector walks
//! into every element of an array it meets. This module finds places; what happens there is the
//! engine's business.

use serde_json::Value;

use crate::event::{Fields, ROOTS};

/// One segment of a selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment {
    /// A key, compared ignoring case (stored lowercased).
    Literal(String),
    /// `*`: any one key.
    Any,
    /// `**`: any number of keys.
    AnyDepth,
    /// A key glob such as `*email*` (stored lowercased).
    Glob(Glob),
    /// Any of several keys or globs: the last segments of selectors that share everything
    /// before it, merged at compile time so one walk serves them all.
    AnyOf(std::sync::Arc<KeySet>),
}

impl Segment {
    /// True when this segment matches `key` (`**` matches any key).
    pub fn matches(&self, key: &str) -> bool {
        match self {
            Segment::Literal(lit) => eq_ignore_case(lit, key),
            Segment::Any | Segment::AnyDepth => true,
            Segment::Glob(g) => g.matches(key),
            Segment::AnyOf(set) => set.matches(key),
        }
    }
}

/// Several key patterns tested in one go: `*word*` globs through one case-insensitive
/// Aho-Corasick automaton, the rest one by one.
#[derive(Debug)]
pub struct KeySet {
    contains: Option<aho_corasick::AhoCorasick>,
    others: Vec<Segment>,
}

impl PartialEq for KeySet {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}
impl Eq for KeySet {}

impl KeySet {
    /// Builds a set from single-key segments (literals and globs).
    pub fn new(segments: Vec<Segment>) -> KeySet {
        let mut words = Vec::new();
        let mut others = Vec::new();
        for seg in segments {
            match &seg {
                Segment::Glob(g) if g.contains_word().is_some_and(str::is_ascii) => {
                    words.push(g.contains_word().unwrap_or_default().to_owned())
                }
                _ => others.push(seg),
            }
        }
        let contains = (!words.is_empty())
            .then(|| {
                aho_corasick::AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                    .build(&words)
                    .ok()
            })
            .flatten();
        KeySet { contains, others }
    }

    /// True when any pattern matches `key`.
    pub fn matches(&self, key: &str) -> bool {
        self.contains.as_ref().is_some_and(|ac| ac.is_match(key))
            || self.others.iter().any(|s| s.matches(key))
    }
}

fn eq_ignore_case(lower: &str, key: &str) -> bool {
    if key.is_ascii() {
        lower.eq_ignore_ascii_case(key)
    } else {
        key.to_lowercase() == lower
    }
}

/// A case-insensitive glob over one key, with `*` (any run) and `?` (any one character).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Glob {
    /// Lowercased pattern.
    pattern: String,
}

impl Glob {
    /// Compiles a glob; the pattern is lowercased.
    pub fn new(pattern: &str) -> Self {
        Glob {
            pattern: pattern.to_lowercase(),
        }
    }

    /// True when the glob has wildcards at all.
    pub fn is_glob(pattern: &str) -> bool {
        pattern.contains(['*', '?'])
    }

    /// For `*word*` globs, the word.
    pub fn contains_word(&self) -> Option<&str> {
        let inner = self.pattern.strip_prefix('*')?.strip_suffix('*')?;
        (!inner.is_empty() && !Glob::is_glob(inner)).then_some(inner)
    }

    /// True when `text` matches, ignoring case. ASCII keys (nearly all) match without allocating.
    pub fn matches(&self, text: &str) -> bool {
        if text.is_ascii() && self.pattern.is_ascii() {
            wildcard(self.pattern.as_bytes(), text.as_bytes(), |p, t| {
                p == t.to_ascii_lowercase()
            })
        } else {
            let p: Vec<char> = self.pattern.chars().collect();
            let t: Vec<char> = text.to_lowercase().chars().collect();
            wildcard(&p, &t, |p, t| p == t)
        }
    }
}

/// Wildcard matching with backtracking to the last `*`: linear for the patterns keys use.
fn wildcard<T: Copy + PartialEq + From<u8>>(p: &[T], t: &[T], eq: impl Fn(T, T) -> bool) -> bool {
    let (star, any) = (T::from(b'*'), T::from(b'?'));
    let (mut pi, mut ti) = (0, 0);
    let mut resume: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && p[pi] == star {
            resume = Some((pi, ti));
            pi += 1;
        } else if pi < p.len() && (p[pi] == any || eq(p[pi], t[ti])) {
            pi += 1;
            ti += 1;
        } else if let Some((sp, st)) = resume {
            pi = sp + 1;
            ti = st + 1;
            resume = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == star)
}

/// A compiled selector.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Selector {
    /// As written, for messages and explain output.
    pub text: String,
    /// The segments.
    pub segments: Vec<Segment>,
}

/// Why a selector was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SelectorError {
    /// What is wrong.
    pub message: String,
    /// A suggestion, if we have one.
    pub help: Option<String>,
}

impl Selector {
    /// Parses and checks a selector against the event model.
    pub fn parse(text: &str) -> Result<Selector, SelectorError> {
        if text.trim().is_empty() {
            return Err(SelectorError {
                message: "empty selector".to_owned(),
                help: Some("write a field path such as `properties.email`".to_owned()),
            });
        }
        let mut segments = Vec::new();
        for raw in text.split('.') {
            if raw.is_empty() {
                return Err(SelectorError {
                    message: format!("selector `{text}` has an empty segment"),
                    help: Some("segments are separated by single dots".to_owned()),
                });
            }
            segments.push(match raw {
                "*" => Segment::Any,
                "**" => Segment::AnyDepth,
                _ if raw.contains("**") => {
                    return Err(SelectorError {
                        message: format!("`**` must be a whole segment in `{text}`"),
                        help: Some("use `**.` + a key glob, e.g. `**.*password*`".to_owned()),
                    });
                }
                _ if Glob::is_glob(raw) => Segment::Glob(Glob::new(raw)),
                _ => Segment::Literal(raw.to_lowercase()),
            });
        }
        let selector = Selector {
            text: text.to_owned(),
            segments,
        };
        selector.check_against_model()?;
        Ok(selector)
    }

    fn check_against_model(&self) -> Result<(), SelectorError> {
        let root_names = || ROOTS.iter().map(|(n, _)| *n);
        let first = &self.segments[0];
        if let Segment::Literal(root) = first {
            if matches!(root.as_str(), "headers" | "cookies" | "kind") {
                return Err(SelectorError {
                    message: format!(
                        "`{root}` is request context: it can be tested in `when:` but is never forwarded as a field"
                    ),
                    help: Some(format!(
                        "use `when: {{ {} }}` instead",
                        match root.as_str() {
                            "headers" => "header: <name>, equals: ...",
                            "cookies" => "cookie: <name>, equals: ...",
                            _ => "kind: track",
                        }
                    )),
                });
            }
            let Some((_, children)) = ROOTS.iter().find(|(n, _)| n == root) else {
                return Err(SelectorError {
                    message: format!(
                        "`{root}` is not a field of the event model, so `{}` can never match",
                        self.text
                    ),
                    help: crate::diag::suggestion(root, root_names()).or_else(|| {
                        Some(format!(
                            "fields are: {}",
                            root_names().collect::<Vec<_>>().join(", ")
                        ))
                    }),
                });
            };
            if let (Some(children), Some(Segment::Literal(child))) =
                (children, self.segments.get(1))
                && !children.is_empty()
                && !children.contains(&child.as_str())
            {
                return Err(SelectorError {
                    message: format!(
                        "`{root}.{child}` is not a field of the event model, so `{}` can never match",
                        self.text
                    ),
                    help: crate::diag::suggestion(child, children.iter().copied())
                        .or_else(|| Some(format!("`{root}` has: {}", children.join(", ")))),
                });
            }
        }
        Ok(())
    }

    /// Merges selectors that differ only in their last segment (a key or glob) into one whose
    /// last segment tests all of them at once. Order of first appearance is kept.
    pub fn merge(selectors: Vec<Selector>) -> Vec<Selector> {
        let mergeable = |s: &Selector| {
            matches!(
                s.segments.last(),
                Some(Segment::Literal(_) | Segment::Glob(_))
            )
        };
        let mut out: Vec<(Selector, Vec<Segment>)> = Vec::new();
        for sel in selectors {
            let prefix = &sel.segments[..sel.segments.len() - 1];
            if mergeable(&sel)
                && let Some((first, lasts)) = out
                    .iter_mut()
                    .find(|(o, _)| mergeable(o) && o.segments[..o.segments.len() - 1] == *prefix)
            {
                first.text = format!("{}, {}", first.text, sel.text);
                lasts.extend(sel.segments.last().cloned());
                continue;
            }
            let last = sel.segments.last().cloned().into_iter().collect();
            out.push((sel, last));
        }
        out.into_iter()
            .map(|(mut sel, lasts)| {
                if lasts.len() > 1 {
                    let n = sel.segments.len();
                    sel.segments[n - 1] = Segment::AnyOf(std::sync::Arc::new(KeySet::new(lasts)));
                }
                sel
            })
            .collect()
    }

    /// True when the selector can only ever match the given top-level field (used for warnings
    /// about fields a kind of event never carries).
    pub fn root(&self) -> Option<&str> {
        match &self.segments[0] {
            Segment::Literal(root) => Some(root),
            _ => None,
        }
    }

    /// Calls `at` with each object that holds a place this selector selects, and the segment that
    /// the object's keys must match there. A trailing `**` arrives as [`Segment::AnyDepth`]: the
    /// caller then treats every non-object value below as selected. `path` is the dotted path of
    /// the object (kept up to date for messages); callers append the key themselves.
    pub fn walk_mut<F>(&self, fields: &mut Fields, path: &mut String, at: &mut F)
    where
        F: FnMut(&mut Fields, &Segment, &mut String),
    {
        walk_map(fields, &self.segments, path, at);
    }

    /// Calls `found` with every value this selector selects (read-only); stops when it returns
    /// true. Returns true when stopped.
    pub fn any(&self, fields: &Fields, found: &mut dyn FnMut(&Value) -> bool) -> bool {
        any_in_map(fields, &self.segments, found)
    }
}

fn walk_map<F>(map: &mut Fields, segs: &[Segment], path: &mut String, at: &mut F)
where
    F: FnMut(&mut Fields, &Segment, &mut String),
{
    let Some((seg, rest)) = segs.split_first() else {
        return;
    };
    if rest.is_empty() {
        at(map, seg, path);
        return;
    }
    if *seg == Segment::AnyDepth {
        // Zero segments consumed here, then one or more below.
        walk_map(map, rest, path, at);
        for (key, value) in map.iter_mut() {
            descend(value, key, segs, path, at);
        }
        return;
    }
    if path.is_empty()
        && let Segment::Literal(name) = seg
    {
        // Top-level names are the model's own, written by the adapters in canonical lower case.
        if let Some(value) = map.get_mut(name.as_str()) {
            descend(value, name, rest, path, at);
        }
        return;
    }
    for (key, value) in map.iter_mut() {
        if seg.matches(key) {
            descend(value, key, rest, path, at);
        }
    }
}

fn descend<F>(value: &mut Value, key: &str, segs: &[Segment], path: &mut String, at: &mut F)
where
    F: FnMut(&mut Fields, &Segment, &mut String),
{
    let len = path.len();
    push_key(path, key);
    descend_value(value, segs, path, at);
    path.truncate(len);
}

fn descend_value<F>(value: &mut Value, segs: &[Segment], path: &mut String, at: &mut F)
where
    F: FnMut(&mut Fields, &Segment, &mut String),
{
    match value {
        Value::Object(inner) => walk_map(inner, segs, path, at),
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = path.len();
                push_index(path, i);
                descend_value(item, segs, path, at);
                path.truncate(len);
            }
        }
        _ => {}
    }
}

fn any_in_map(map: &Fields, segs: &[Segment], found: &mut dyn FnMut(&Value) -> bool) -> bool {
    let Some((seg, rest)) = segs.split_first() else {
        return false;
    };
    if rest.is_empty() {
        if *seg == Segment::AnyDepth {
            return map.values().any(|v| any_leaf(v, found));
        }
        return map.iter().any(|(k, v)| seg.matches(k) && found(v));
    }
    if *seg == Segment::AnyDepth && any_in_map(map, rest, found) {
        return true;
    }
    let next = if *seg == Segment::AnyDepth {
        segs
    } else {
        rest
    };
    map.iter()
        .any(|(k, v)| seg.matches(k) && any_in_value(v, next, found))
}

fn any_in_value(value: &Value, segs: &[Segment], found: &mut dyn FnMut(&Value) -> bool) -> bool {
    match value {
        Value::Object(inner) => any_in_map(inner, segs, found),
        Value::Array(items) => items.iter().any(|i| any_in_value(i, segs, found)),
        _ => false,
    }
}

fn any_leaf(value: &Value, found: &mut dyn FnMut(&Value) -> bool) -> bool {
    match value {
        Value::Object(inner) => inner.values().any(|v| any_leaf(v, found)),
        Value::Array(items) => items.iter().any(|v| any_leaf(v, found)),
        _ => found(value),
    }
}

/// Appends `.key` (or `key` at the start) to a dotted path.
pub fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    path.push_str(key);
}

/// Appends `[i]` to a path.
pub fn push_index(path: &mut String, i: usize) {
    use std::fmt::Write;
    let _ = write!(path, "[{i}]");
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(v: Value) -> Fields {
        match v {
            Value::Object(m) => m,
            _ => unreachable!("test input is an object"),
        }
    }

    fn selected(sel: &str, v: Value) -> Vec<String> {
        let mut f = fields(v);
        let selector = Selector::parse(sel).unwrap();
        let mut out = Vec::new();
        selector.walk_mut(&mut f, &mut String::new(), &mut |map, seg, path| {
            for (k, v) in map.iter() {
                if *seg == Segment::AnyDepth {
                    collect_leaves(
                        v,
                        &format!("{}{}{k}", path, if path.is_empty() { "" } else { "." }),
                        &mut out,
                    );
                } else if seg.matches(k) {
                    out.push(format!(
                        "{}{}{k}",
                        path,
                        if path.is_empty() { "" } else { "." }
                    ));
                }
            }
        });
        out
    }

    fn collect_leaves(v: &Value, path: &str, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    collect_leaves(v, &format!("{path}.{k}"), out);
                }
            }
            _ => out.push(path.to_owned()),
        }
    }

    #[test]
    fn literal_keys_ignore_case() {
        let got = selected(
            "properties.email",
            json!({"properties": {"Email": "a", "EMAIL": "b", "mail": "c"}}),
        );
        assert_eq!(got, vec!["properties.Email", "properties.EMAIL"]);
    }

    #[test]
    fn globs_match_inside_keys() {
        let got = selected(
            "properties.*email*",
            json!({"properties": {"work_email": 1, "EmailAddress": 2, "name": 3}}),
        );
        assert_eq!(
            got,
            vec!["properties.work_email", "properties.EmailAddress"]
        );
        assert!(Glob::new("ph?ne*").matches("PHONE_number"));
        assert!(!Glob::new("ph?ne*").matches("phoone"));
    }

    #[test]
    fn merged_selectors_select_what_each_would() {
        let doc = json!({"properties": {"Password": 1, "api_TOKEN": 2, "name": 3, "nested": {"secret_key": 4}}, "identity": 5});
        let sels = [
            "**.*password*",
            "**.*token*",
            "**.*secret*",
            "properties.name",
            "identity",
        ];
        let mut separate = Vec::new();
        for s in sels {
            separate.extend(selected(s, doc.clone()));
        }
        separate.sort();
        let merged = Selector::merge(sels.iter().map(|s| Selector::parse(s).unwrap()).collect());
        assert_eq!(merged.len(), 3, "{merged:?}");
        let mut f = fields(doc);
        let mut together = Vec::new();
        for sel in &merged {
            sel.walk_mut(&mut f, &mut String::new(), &mut |map, seg, path| {
                for (k, _) in map.iter() {
                    if seg.matches(k) {
                        together.push(format!(
                            "{}{}{k}",
                            path,
                            if path.is_empty() { "" } else { "." }
                        ));
                    }
                }
            });
        }
        together.sort();
        assert_eq!(separate, together);
    }

    #[test]
    fn double_star_reaches_any_depth() {
        let got = selected(
            "**.*password*",
            json!({"password": 1, "properties": {"a": {"db_password": 2}, "list": [{"Password": 3}]}}),
        );
        assert_eq!(
            got,
            vec![
                "password",
                "properties.a.db_password",
                "properties.list[0].Password"
            ]
        );
    }

    #[test]
    fn trailing_double_star_selects_every_leaf() {
        let got = selected(
            "properties.**",
            json!({"properties": {"a": 1, "b": {"c": 2}}, "identity": "x"}),
        );
        assert_eq!(got, vec!["properties.a", "properties.b.c"]);
    }

    #[test]
    fn read_only_walk_sees_the_same_places() {
        let f = fields(json!({"user_properties": {"Age": 11}}));
        let sel = Selector::parse("user_properties.age").unwrap();
        let mut seen = Vec::new();
        sel.any(&f, &mut |v| {
            seen.push(v.clone());
            false
        });
        assert_eq!(seen, vec![json!(11)]);
    }

    #[test]
    fn unknown_roots_are_refused_with_a_suggestion() {
        let err = Selector::parse("propertes.email").unwrap_err();
        assert!(err.message.contains("can never match"), "{}", err.message);
        assert_eq!(err.help.as_deref(), Some("did you mean `properties`?"));
        let err = Selector::parse("page.titel").unwrap_err();
        assert_eq!(err.help.as_deref(), Some("did you mean `title`?"));
        assert!(Selector::parse("properties..x").is_err());
        assert!(Selector::parse("headers.cookie").is_err());
        assert!(Selector::parse("**.*token*").is_ok());
    }
}
