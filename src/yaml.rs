//! YAML documents as a tree of nodes that remember where they came from.
//!
//! serde-saphyr does the YAML parsing (syntax, anchors, duplicate keys, budgets); this module
//! keeps every node's line and column so that the readers of policies, policy tests and the
//! config can check the whole document and report *every* mistake with its location, instead of
//! stopping at the first one as a derived `Deserialize` would. [`MapReader`] is the small toolkit
//! those readers share: unknown keys with a did-you-mean, required keys, typed scalars.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_saphyr::Spanned;

use crate::diag::{Diagnostic, Loc, suggestion};

/// A YAML node and its location.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// The value.
    pub value: Value,
    /// Where it starts.
    pub loc: Loc,
}

/// A mapping key: always text, with its own location.
#[derive(Debug, Clone, PartialEq)]
pub struct Key {
    /// The key as written.
    pub name: String,
    /// Where it is.
    pub loc: Loc,
}

/// The value of a node.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// `~`, `null` or nothing.
    Null,
    /// `true` / `false` (YAML 1.2 spellings only: `yes` stays a string).
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order.
    Map(Vec<(Key, Node)>),
}

impl Node {
    /// What kind of value this is, for messages ("expected a list, found a string").
    pub fn type_name(&self) -> &'static str {
        match self.value {
            Value::Null => "nothing",
            Value::Bool(_) => "a boolean",
            Value::Int(_) | Value::Float(_) => "a number",
            Value::Str(_) => "a string",
            Value::Seq(_) => "a list",
            Value::Map(_) => "a mapping",
        }
    }

    /// The string, if this is one.
    pub fn as_str(&self) -> Option<&str> {
        match &self.value {
            Value::Str(s) => Some(s),
            _ => None,
        }
    }

    /// The node as JSON (for request bodies written in policy tests).
    pub fn to_json(&self) -> serde_json::Value {
        match &self.value {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Int(i) => serde_json::Value::from(*i),
            Value::Float(f) => serde_json::Number::from_f64(*f)
                .map(serde_json::Value::Number)
                .unwrap_or(serde_json::Value::Null),
            Value::Str(s) => serde_json::Value::String(s.clone()),
            Value::Seq(items) => {
                serde_json::Value::Array(items.iter().map(Node::to_json).collect())
            }
            Value::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.name.clone(), v.to_json()))
                    .collect(),
            ),
        }
    }

    /// The entry of a mapping with this key, if this is a mapping and has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        match &self.value {
            Value::Map(entries) => entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v),
            _ => None,
        }
    }
}

/// Parses one YAML document. Syntax errors come back as one diagnostic with their location.
pub fn parse(text: &str) -> Result<Node, Diagnostic> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
    };
    match serde_saphyr::from_str_with_options::<Option<Spanned<RawNode>>>(text, options) {
        Ok(Some(root)) => Ok(convert(root)),
        Ok(None) => Ok(Node {
            value: Value::Null,
            loc: Loc {
                line: 1,
                col: 1,
                len: 1,
            },
        }),
        Err(err) => {
            let loc = err
                .location()
                .map(|l| Loc {
                    line: l.line() as u32,
                    col: l.column() as u32,
                    len: 1,
                })
                .unwrap_or(Loc::UNKNOWN);
            Err(Diagnostic::error(loc, clean_message(&err.to_string())))
        }
    }
}

/// serde-saphyr prefixes messages with `error: line L column C: `; our renderer says that already.
fn clean_message(message: &str) -> String {
    let mut m = message.lines().next().unwrap_or(message).trim();
    m = m.strip_prefix("error: ").unwrap_or(m);
    if let Some(rest) = m.strip_prefix("line ")
        && let Some(idx) = rest.find(": ")
        && rest[..idx].contains("column")
    {
        m = &rest[idx + 2..];
    }
    if let Some(i) = m.rfind(" at line ")
        && m[i..].contains("column")
    {
        m = &m[..i];
    }
    // The library's advice is for programmers using it, not for policy authors.
    if let Some(key) = m.strip_prefix("duplicate mapping key: ") {
        let key = key.split(", set DuplicateKeyPolicy").next().unwrap_or(key);
        return format!("invalid YAML: the key `{key}` appears twice in this mapping");
    }
    format!("invalid YAML: {m}")
}

fn loc_of(l: &serde_saphyr::Location) -> Loc {
    Loc {
        line: l.line() as u32,
        col: l.column() as u32,
        len: (l.span().len() as u32).max(1),
    }
}

fn convert(raw: Spanned<RawNode>) -> Node {
    let loc = loc_of(&raw.referenced);
    let value = match raw.value {
        RawNode::Null => Value::Null,
        RawNode::Bool(b) => Value::Bool(b),
        RawNode::Int(i) => Value::Int(i),
        RawNode::Float(f) => Value::Float(f),
        RawNode::Str(s) => Value::Str(s),
        RawNode::Seq(items) => Value::Seq(items.into_iter().map(convert).collect()),
        RawNode::Map(entries) => Value::Map(
            entries
                .into_iter()
                .map(|(k, v)| {
                    (
                        Key {
                            loc: loc_of(&k.referenced),
                            name: k.value,
                        },
                        convert(v),
                    )
                })
                .collect(),
        ),
    };
    Node { value, loc }
}

/// What serde-saphyr builds; converted into [`Node`] right after parsing.
enum RawNode {
    Null,
    Bool(bool),
    Int(i64),
    Float(f64),
    Str(String),
    Seq(Vec<Spanned<RawNode>>),
    Map(Vec<(Spanned<String>, Spanned<RawNode>)>),
}

impl<'de> Deserialize<'de> for RawNode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(RawNodeVisitor)
    }
}

struct RawNodeVisitor;

impl<'de> Visitor<'de> for RawNodeVisitor {
    type Value = RawNode;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<RawNode, E> {
        Ok(RawNode::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<RawNode, E> {
        Ok(RawNode::Int(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<RawNode, E> {
        Ok(i64::try_from(v).map_or(RawNode::Float(v as f64), RawNode::Int))
    }
    fn visit_f64<E>(self, v: f64) -> Result<RawNode, E> {
        Ok(RawNode::Float(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<RawNode, E> {
        Ok(RawNode::Str(v.to_owned()))
    }
    fn visit_string<E>(self, v: String) -> Result<RawNode, E> {
        Ok(RawNode::Str(v))
    }
    fn visit_unit<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }
    fn visit_none<E>(self) -> Result<RawNode, E> {
        Ok(RawNode::Null)
    }
    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<RawNode, D::Error> {
        RawNode::deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawNode, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Spanned<RawNode>>()? {
            items.push(item);
        }
        Ok(RawNode::Seq(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawNode, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Spanned<String>>()? {
            let value = map.next_value::<Spanned<RawNode>>()?;
            entries.push((key, value));
        }
        Ok(RawNode::Map(entries))
    }
    fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<RawNode, E> {
        Err(E::custom("binary values are not supported"))
    }
}

/// Collected diagnostics of one reading pass.
#[derive(Debug, Default)]
pub struct Diags(pub Vec<Diagnostic>);

impl Diags {
    /// Records an error.
    pub fn error(&mut self, loc: Loc, message: impl Into<String>) {
        self.0.push(Diagnostic::error(loc, message));
    }

    /// Records an error with a hint.
    pub fn error_help(&mut self, loc: Loc, message: impl Into<String>, help: Option<String>) {
        let mut d = Diagnostic::error(loc, message);
        d.help = help;
        self.0.push(d);
    }

    /// Records a warning.
    pub fn warning(&mut self, loc: Loc, message: impl Into<String>) {
        self.0.push(Diagnostic::warning(loc, message));
    }

    /// Records any diagnostic.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }

    /// Reports "expected X, found Y" at the node.
    pub fn wrong_type(&mut self, node: &Node, what: &str, expected: &str) {
        self.error(
            node.loc,
            format!("{what} must be {expected}, found {}", node.type_name()),
        );
    }
}

/// Reads a mapping node: reports unknown keys (with a suggestion) up front, then hands out the
/// known ones.
pub struct MapReader<'a> {
    entries: &'a [(Key, Node)],
    /// Where the mapping is, for "missing key" errors.
    pub loc: Loc,
    what: &'a str,
}

impl<'a> MapReader<'a> {
    /// Starts reading `node` as the mapping described by `what` ("a rule"), whose keys must be
    /// among `allowed`. Returns `None` (after reporting) when the node is not a mapping.
    pub fn new(node: &'a Node, what: &'a str, allowed: &[&str], diags: &mut Diags) -> Option<Self> {
        let Value::Map(entries) = &node.value else {
            diags.wrong_type(node, what, "a mapping");
            return None;
        };
        for (key, _) in entries {
            if !allowed.contains(&key.name.as_str()) {
                let help = suggestion(&key.name, allowed.iter().copied())
                    .or_else(|| Some(format!("expected one of: {}", allowed.join(", "))));
                diags.error_help(
                    key.loc,
                    format!("unknown key `{}` in {what}", key.name),
                    help,
                );
            }
        }
        Some(MapReader {
            entries,
            loc: node.loc,
            what,
        })
    }

    /// The value of `key`, if present.
    pub fn get(&self, key: &str) -> Option<&'a Node> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(_, v)| v)
    }

    /// The key node itself (for errors that point at the key), if present.
    pub fn key(&self, key: &str) -> Option<&'a Key> {
        self.entries
            .iter()
            .find(|(k, _)| k.name == key)
            .map(|(k, _)| k)
    }

    /// The value of a required key; reports it missing otherwise.
    pub fn required(&self, key: &str, diags: &mut Diags) -> Option<&'a Node> {
        let found = self.get(key);
        if found.is_none() {
            diags.error(
                self.loc,
                format!("{} is missing the required key `{key}`", self.what),
            );
        }
        found
    }

    /// An optional string value.
    pub fn str(&self, key: &str, diags: &mut Diags) -> Option<&'a str> {
        let node = self.get(key)?;
        expect_str(node, &format!("`{key}`"), diags)
    }

    /// A required string value.
    pub fn required_str(&self, key: &str, diags: &mut Diags) -> Option<&'a str> {
        let node = self.required(key, diags)?;
        expect_str(node, &format!("`{key}`"), diags)
    }

    /// An optional boolean value.
    pub fn bool(&self, key: &str, diags: &mut Diags) -> Option<bool> {
        let node = self.get(key)?;
        match node.value {
            Value::Bool(b) => Some(b),
            _ => {
                diags.wrong_type(node, &format!("`{key}`"), "true or false");
                None
            }
        }
    }

    /// An optional non-negative integer value.
    pub fn u64(&self, key: &str, diags: &mut Diags) -> Option<u64> {
        let node = self.get(key)?;
        expect_u64(node, &format!("`{key}`"), diags)
    }

    /// All entries, in order.
    pub fn entries(&self) -> &'a [(Key, Node)] {
        self.entries
    }
}

/// The node as a string, or an error.
pub fn expect_str<'a>(node: &'a Node, what: &str, diags: &mut Diags) -> Option<&'a str> {
    match &node.value {
        Value::Str(s) => Some(s),
        _ => {
            diags.wrong_type(node, what, "a string");
            None
        }
    }
}

/// The node as a non-negative integer, or an error.
pub fn expect_u64(node: &Node, what: &str, diags: &mut Diags) -> Option<u64> {
    match node.value {
        Value::Int(i) if i >= 0 => Some(i as u64),
        _ => {
            diags.wrong_type(node, what, "a non-negative whole number");
            None
        }
    }
}

/// A list of strings; a single string counts as a list of one. Returns each with its node.
pub fn expect_str_list<'a>(
    node: &'a Node,
    what: &str,
    diags: &mut Diags,
) -> Vec<(&'a str, &'a Node)> {
    match &node.value {
        Value::Str(s) => vec![(s.as_str(), node)],
        Value::Seq(items) => items
            .iter()
            .filter_map(|item| {
                expect_str(item, &format!("each entry of {what}"), diags).map(|s| (s, item))
            })
            .collect(),
        _ => {
            diags.wrong_type(node, what, "a string or a list of strings");
            Vec::new()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_locations_of_keys_and_values() {
        let doc = parse("policy: gdpr\nrules:\n  - id: a\n    fields: [client.ip]\n").unwrap();
        let rules = doc.get("rules").unwrap();
        let Value::Seq(items) = &rules.value else {
            panic!("rules is a list")
        };
        let Value::Map(entries) = &items[0].value else {
            panic!("a rule is a mapping")
        };
        assert_eq!((entries[1].0.loc.line, entries[1].0.loc.col), (4, 5));
        let fields = &entries[1].1;
        let Value::Seq(sel) = &fields.value else {
            panic!("fields is a list")
        };
        assert_eq!((sel[0].loc.line, sel[0].loc.col), (4, 14));
    }

    #[test]
    fn yes_and_no_stay_strings() {
        let doc = parse("a: yes\nn: no\nb: true\n").unwrap();
        assert_eq!(doc.get("a").unwrap().as_str(), Some("yes"));
        assert_eq!(doc.get("n").unwrap().as_str(), Some("no"));
        assert_eq!(doc.get("b").unwrap().value, Value::Bool(true));
    }

    #[test]
    fn syntax_error_has_location() {
        let err = parse("policy: x\nrules:\n  - id: a\n   fields: [x\n").unwrap_err();
        assert_eq!(err.loc.line, 4);
        assert!(err.message.starts_with("invalid YAML: "), "{}", err.message);
    }

    #[test]
    fn duplicate_keys_are_errors() {
        let err = parse("a: 1\na: 2\n").unwrap_err();
        assert_eq!((err.loc.line, err.loc.col), (2, 1));
        assert_eq!(
            err.message,
            "invalid YAML: the key `a` appears twice in this mapping"
        );
    }

    #[test]
    fn map_reader_reports_unknown_keys_with_suggestion() {
        let doc = parse("id: a\nfeilds: [x]\n").unwrap();
        let mut diags = Diags::default();
        let reader =
            MapReader::new(&doc, "a rule", &["id", "fields", "action"], &mut diags).unwrap();
        assert_eq!(reader.str("id", &mut diags), Some("a"));
        assert_eq!(diags.0.len(), 1);
        assert_eq!(diags.0[0].loc.line, 2);
        assert_eq!(diags.0[0].help.as_deref(), Some("did you mean `fields`?"));
    }
}
