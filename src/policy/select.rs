//! Field selectors: `properties.email`, `page.*`, `**.*password*`, `properties.**`.
//!
//! A selector is a dotted list of segments matched against object keys, ignoring case. `*` matches
//! one segment, `**` any number of segments (as the last segment: every value at any depth below),
//! and a segment with `*` or `?` is a glob over the key. Arrays are transparent: a selector walks
//! into every element of an array it meets. This module finds places; what happens there is the
//! engine's business.

use serde_json::Value;

use crate::event::schema::{self, FieldType};
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
    /// `key_class:<class>`: any key the built-in key lexicon puts in that class
    /// ([`crate::policy::lexicon`]), in any of its languages.
    KeyClass(crate::policy::lexicon::KeyClass),
}

impl Segment {
    /// Strings one of which every key this segment matches contains, in the form keys take in
    /// a [`KeyGate`] blob (lowercase, each key between NUL bytes): `\0email\0` for a literal,
    /// the longest literal run of a glob (anchored by NUL at the glob's start or end). `None`
    /// for `*`, `**` and globs without a literal run.
    pub fn needles(&self) -> Option<Vec<String>> {
        match self {
            Segment::Literal(lit) => Some(vec![format!("\0{lit}\0")]),
            Segment::Any | Segment::AnyDepth | Segment::KeyClass(_) => None,
            Segment::Glob(g) => g.needle().map(|n| vec![n]),
            Segment::AnyOf(set) => set.needles.clone(),
        }
    }

    /// The key classes (a bit per [`crate::policy::lexicon::KeyClass`]) one of which every key
    /// this segment matches is in, when it matches by class alone; `None` otherwise.
    pub fn only_classes(&self) -> Option<u16> {
        match self {
            Segment::KeyClass(class) => Some(1 << *class as u16),
            Segment::AnyOf(set) if set.contains.is_none() && set.others.is_empty() => {
                Some(set.classes)
            }
            _ => None,
        }
    }

    /// True when this segment matches `key` (`**` matches any key).
    pub fn matches(&self, key: &str) -> bool {
        match self {
            Segment::Literal(lit) => eq_ignore_case(lit, key),
            Segment::Any | Segment::AnyDepth => true,
            Segment::Glob(g) => g.matches(key),
            Segment::AnyOf(set) => set.matches(key),
            Segment::KeyClass(class) => crate::policy::lexicon::classify(key) == Some(*class),
        }
    }
}

/// Several key patterns tested in one go: `*word*` globs through one case-insensitive
/// Aho-Corasick automaton, the rest one by one.
#[derive(Debug)]
pub struct KeySet {
    contains: Option<aho_corasick::AhoCorasick>,
    /// `key_class:` segments, one bit per [`crate::policy::lexicon::KeyClass`]: a key is
    /// classified once for all of them.
    classes: u16,
    others: Vec<Segment>,
    /// What a matching key must contain, for [`KeyGate`] (`None`: cannot tell).
    needles: Option<Vec<String>>,
}

impl PartialEq for KeySet {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}
impl Eq for KeySet {}

impl KeySet {
    /// Builds a set from single-key segments (literals, globs and key classes).
    pub fn new(segments: Vec<Segment>) -> KeySet {
        let needles = segments
            .iter()
            .map(Segment::needles)
            .collect::<Option<Vec<Vec<String>>>>()
            .map(|n| n.concat());
        let mut words = Vec::new();
        let mut others = Vec::new();
        let mut classes = 0u16;
        for seg in segments {
            match &seg {
                Segment::KeyClass(class) => classes |= 1 << *class as u16,
                Segment::Glob(g) if g.contains_word().is_some_and(str::is_ascii) => {
                    words.push(g.contains_word().unwrap_or_default().to_owned())
                }
                _ => others.push(seg),
            }
        }
        let contains = (!words.is_empty())
            .then(|| {
                // Keys are short: a prefilter costs more to start than the DFA takes to run.
                aho_corasick::AhoCorasick::builder()
                    .ascii_case_insensitive(true)
                    .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                    .prefilter(false)
                    .build(&words)
                    .ok()
            })
            .flatten();
        KeySet {
            contains,
            classes,
            others,
            needles,
        }
    }

    /// True when any pattern matches `key`.
    pub fn matches(&self, key: &str) -> bool {
        self.contains.as_ref().is_some_and(|ac| ac.is_match(key))
            || (self.classes != 0
                && crate::policy::lexicon::classify(key)
                    .is_some_and(|c| self.classes & 1 << c as u16 != 0))
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

    /// The longest run of literal characters, with a NUL in front when it starts the pattern
    /// and behind when it ends it (see [`Segment::needles`]).
    fn needle(&self) -> Option<String> {
        let p = &self.pattern;
        let mut best: Option<(usize, usize)> = None;
        let mut start = 0;
        for (i, c) in p.char_indices().chain(std::iter::once((p.len(), '*'))) {
            if c == '*' || c == '?' {
                if i > start && best.is_none_or(|(s, e)| e - s < i - start) {
                    best = Some((start, i));
                }
                start = i + c.len_utf8();
            }
        }
        let (s, e) = best?;
        let mut needle = String::with_capacity(e - s + 2);
        if s == 0 {
            needle.push('\0');
        }
        needle.push_str(&p[s..e]);
        if e == p.len() {
            needle.push('\0');
        }
        Some(needle)
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
    /// Its bit in the policy set's [`KeyGate`]: when the bit is clear for an event, the
    /// selector selects nothing in it and its walk is skipped.
    pub gate: Option<u32>,
    /// For `type:<name>`: the values of that type, wherever they are (the segments are `**`).
    pub of_type: Option<TypeSelector>,
}

/// What a `type:` selector selects: values by their type in the model's schema
/// ([`crate::event::schema`]), rather than by their path.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TypeSelector {
    /// `type:free_text`: free text and URLs, every path the schema does not know, and every
    /// value that does not parse as its declared type — everything that may carry personal
    /// data in words.
    FreeText,
    /// `type:<name>`: values of that declared type that parse as it.
    Declared(FieldType),
}

impl TypeSelector {
    /// True when the value at `path` is one this selector selects.
    pub fn selects(self, path: &str, value: &Value) -> bool {
        match self {
            TypeSelector::FreeText => schema::is_free_text(path, value),
            TypeSelector::Declared(ty) => {
                schema::type_of(path) == ty && !schema::is_free_text(path, value)
            }
        }
    }
}

/// The prefix of a key-class segment.
const KEY_CLASS: &str = "key_class:";

fn parse_key_class(name: &str) -> Result<crate::policy::lexicon::KeyClass, SelectorError> {
    use crate::policy::lexicon::KeyClass;
    KeyClass::parse(name).ok_or_else(|| {
        let names = KeyClass::ALL.map(KeyClass::name);
        SelectorError {
            message: format!("`{name}` is not a key class of the key lexicon"),
            help: crate::diag::suggestion(name, names.iter().copied())
                .or_else(|| Some(format!("key classes are: {}", names.join(", ")))),
        }
    })
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
        if let Some(name) = text.strip_prefix("type:") {
            let of_type = match name {
                "free_text" => TypeSelector::FreeText,
                _ => match FieldType::parse(name) {
                    Some(ty) if ty != FieldType::Text => TypeSelector::Declared(ty),
                    _ => {
                        let names = FieldType::ALL.map(FieldType::name);
                        return Err(SelectorError {
                            message: format!("`{name}` is not a type of the event model"),
                            help: crate::diag::suggestion(name, names.iter().copied())
                                .or_else(|| Some(format!("types are: {}", names.join(", ")))),
                        });
                    }
                },
            };
            return Ok(Selector {
                text: text.to_owned(),
                segments: vec![Segment::AnyDepth],
                gate: None,
                of_type: Some(of_type),
            });
        }
        if text.trim().is_empty() {
            return Err(SelectorError {
                message: "empty selector".to_owned(),
                help: Some("write a field path such as `properties.email`".to_owned()),
            });
        }
        let mut segments = Vec::new();
        if text.starts_with(KEY_CLASS) {
            // `key_class:phone` alone: such keys at any depth.
            segments.push(Segment::AnyDepth);
        }
        for raw in text.split('.') {
            if raw.is_empty() {
                return Err(SelectorError {
                    message: format!("selector `{text}` has an empty segment"),
                    help: Some("segments are separated by single dots".to_owned()),
                });
            }
            if let Some(name) = raw.strip_prefix(KEY_CLASS) {
                segments.push(Segment::KeyClass(parse_key_class(name)?));
                continue;
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
            gate: None,
            of_type: None,
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
                Some(Segment::Literal(_) | Segment::Glob(_) | Segment::KeyClass(_))
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

    /// The needles of a selector worth gating: one that walks (a wildcard before its last
    /// segment) and whose last segment has needles.
    pub fn gate_needles(&self) -> Option<Vec<String>> {
        let (last, before) = self.segments.split_last()?;
        let walks = before.iter().any(|s| !matches!(s, Segment::Literal(_)));
        if walks { last.needles() } else { None }
    }

    /// The key classes (a bit per [`crate::policy::lexicon::KeyClass`]) one of which every key
    /// this selector selects is in, when its last segment selects by class alone (`key_class:`):
    /// an event with no key of these classes, at any depth ([`classes_in`]), gives it nothing.
    pub fn class_gate(&self) -> Option<u16> {
        self.segments.last()?.only_classes()
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
        match self.of_type {
            Some(t) => {
                let mut path = String::new();
                any_typed(fields, t, &mut path, found)
            }
            None => any_in_map(fields, &self.segments, found),
        }
    }
}

/// Keys that hold the answer of a form-field record (`{"label": "fullName", "value": "…"}`).
const VALUE_KEYS: &[&str] = &[
    "value",
    "values",
    "val",
    "answer",
    "answers",
    "response",
    "input",
    "field_value",
    "fieldvalue",
];

/// Keys that name the field of such a record, most telling first: the form's label, the
/// input's `name` (what `serializeArray` and most form libraries write), a field name, a
/// key-value store's key, a survey question, a title, the input's `id`, its `type`.
const LABEL_KEYS: &[&str] = &[
    "label",
    "name",
    "field",
    "field_name",
    "fieldname",
    "key",
    "question",
    "title",
    "id",
    "field_id",
    "fieldid",
    "type",
];

/// A label longer than this is text, not a field's name.
const MAX_LABEL: usize = 64;

/// The label a form-field record gives its answer: in `{"label": "fullName", "value": "…"}`
/// (or `name`/`value`, `key`/`value`, `question`/`answer`, …) the answer is a full name as
/// surely as under a key `fullName`. Returns the position of the answer's member in `map`
/// and the label, which selectors match and detectors take as the answer's key, as they
/// would the key itself. `None` for any other object: records are small (2 to 8 members),
/// the label a string of 1 to 64 bytes with a letter in it.
pub fn field_label(map: &Fields) -> Option<(usize, &str)> {
    if !(2..=8).contains(&map.len()) {
        return None;
    }
    let is = |key: &str, list: &[&str]| {
        key.len() <= 11 && list.iter().any(|k| k.eq_ignore_ascii_case(key))
    };
    // Every answer key starts with one of these letters: most maps are done in a byte a key.
    let may_answer = |key: &str| {
        matches!(
            key.as_bytes().first().map(u8::to_ascii_lowercase),
            Some(b'v' | b'a' | b'r' | b'i' | b'f')
        ) && is(key, VALUE_KEYS)
    };
    let answer = map.keys().position(|k| may_answer(k))?;
    let mut best: Option<(usize, &str)> = None;
    for (key, value) in map {
        let Value::String(label) = value else {
            continue;
        };
        let Some(rank) = LABEL_KEYS.iter().position(|k| k.eq_ignore_ascii_case(key)) else {
            continue;
        };
        let usable = (1..=MAX_LABEL).contains(&label.len())
            && label.chars().any(char::is_alphabetic)
            && !is(label, VALUE_KEYS);
        if usable && best.is_none_or(|(r, _)| rank < r) {
            best = Some((rank, label));
        }
    }
    best.map(|(_, label)| (answer, label))
}

/// True when `seg` matches `key`, or the label the record gives the member at `at`
/// ([`field_label`]).
fn matches_or_label(seg: &Segment, key: &str, at: usize, label: Option<(usize, &str)>) -> bool {
    seg.matches(key) || label.is_some_and(|(i, l)| i == at && seg.matches(l))
}

/// The key classes (a bit per [`crate::policy::lexicon::KeyClass`]) of the keys of `fields`, at
/// any depth (inside arrays too): one classification per key, where each `key_class:` selector
/// would otherwise walk the event and classify every key again.
pub fn classes_in(fields: &Fields) -> u16 {
    fn of_value(value: &Value, classes: &mut u16) {
        match value {
            Value::Object(map) => of_map(map, classes, true),
            Value::Array(items) => items.iter().for_each(|v| of_value(v, classes)),
            _ => {}
        }
    }
    fn of_map(map: &Fields, classes: &mut u16, nested: bool) {
        for (key, value) in map {
            if let Some(class) = crate::policy::lexicon::classify(key) {
                *classes |= 1 << class as u16;
            }
            of_value(value, classes);
        }
        if nested
            && let Some((_, label)) = field_label(map)
            && let Some(class) = crate::policy::lexicon::classify(label)
        {
            *classes |= 1 << class as u16;
        }
    }
    let mut classes = 0;
    of_map(fields, &mut classes, false);
    classes
}

/// One pass over an event's keys that tells which gated selectors can select anything in it.
///
/// Rules such as `**.*password*` would otherwise walk every key of every event, one rule after
/// another. Instead, every key of the event is written once into a blob (lowercase, separated
/// by NUL bytes), and one Aho-Corasick pass over it finds the needles present; a selector none
/// of whose needles is present cannot match, and its walk is skipped. Rules never add keys,
/// so a blob built before the first rule holds every key any later rule can meet.
#[derive(Debug)]
pub struct KeyGate {
    /// Unique per gate, so that a [`GateState`] kept between events knows whose it is.
    id: u64,
    automaton: aho_corasick::AhoCorasick,
    /// Gate id of each needle (pattern id).
    gate_of: Vec<u32>,
    /// The last segment of each gate's selector, to find the keys it really matches.
    last: Vec<Segment>,
}

/// What [`KeyGate::open`] found in one event.
#[derive(Debug, Default)]
pub struct GateState {
    /// The gate that computed this state (`KeyGate::id`; 0: none yet).
    gate: u64,
    /// The event's keys, lowercase, each between NUL bytes.
    blob: String,
    /// The next event's blob, built here and compared with `blob` before it replaces it.
    next: String,
    /// Bit per gate: its selector may select something.
    open: Vec<u64>,
    /// Per gate, the keys (lowercase) its selector's last segment matches; `None` when the
    /// event has a key with a NUL byte in it (the blob cannot show those keys whole).
    exact: Option<Vec<Vec<(u32, u32)>>>,
}

impl GateState {
    /// True when the gate's selector may select something.
    pub fn is_open(&self, gate: u32) -> bool {
        self.open[(gate / 64) as usize] & (1 << (gate % 64)) != 0
    }

    /// Whether `key` is one the gate's last segment matches; `None` when not known (then
    /// match the segment itself).
    pub fn admits_key(&self, gate: u32, key: &str) -> Option<bool> {
        let ranges = self.exact.as_ref()?.get(gate as usize)?;
        if ranges.is_empty() {
            return Some(false);
        }
        let lower = |&(s, e): &(u32, u32)| &self.blob[s as usize..e as usize];
        Some(if key.is_ascii() {
            ranges.iter().any(|r| lower(r).eq_ignore_ascii_case(key))
        } else {
            let key = key.to_lowercase();
            ranges.iter().any(|r| lower(r) == key)
        })
    }
}

impl KeyGate {
    /// Assigns a gate to every selector worth gating (`selectors`) and builds the automaton;
    /// `None` when there is nothing to gate.
    pub fn build<'a>(selectors: impl Iterator<Item = &'a mut Selector>) -> Option<KeyGate> {
        let mut needles = Vec::new();
        let mut gate_of = Vec::new();
        let mut last = Vec::new();
        for sel in selectors {
            sel.gate = None;
            let Some(ns) = sel.gate_needles() else {
                continue;
            };
            let gate = last.len() as u32;
            for n in ns {
                needles.push(n);
                gate_of.push(gate);
            }
            last.extend(sel.segments.last().cloned());
            sel.gate = Some(gate);
        }
        if last.is_empty() {
            return None;
        }
        // No prefilter: the blob is full of NUL bytes, the "rare" byte it would look for.
        let automaton = aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .prefilter(false)
            .build(&needles)
            .ok()?;
        static NEXT_ID: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(1);
        Some(KeyGate {
            id: NEXT_ID.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
            automaton,
            gate_of,
            last,
        })
    }

    /// Finds the gates whose selectors can select something in `fields`, and the keys their
    /// last segments match (`state` is reused between events, and kept when the keys are the
    /// same as the last event's).
    pub fn open(&self, fields: &Fields, state: &mut GateState) {
        let GateState {
            gate,
            blob,
            next,
            open,
            exact,
        } = state;
        next.clear();
        next.reserve(1024);
        next.push('\0');
        let whole_keys = keys_into(fields, next);
        // Non-ASCII keys went in lowercased already; this lowercases the rest in one go.
        next.make_ascii_lowercase();
        // Events of one app repeat their keys: the same gate over the same keys opens the same
        // gates and admits the same keys, so the last event's answer stands. (Exact keys are
        // kept exactly when the keys were whole, so `exact` says whether they were.)
        if *gate == self.id && exact.is_some() == whole_keys && next == blob {
            return;
        }
        std::mem::swap(blob, next);
        *gate = self.id;
        let gates = self.last.len();
        open.clear();
        open.resize(gates.div_ceil(64), 0);
        let exact = match exact {
            Some(e) if whole_keys => {
                e.resize_with(gates, Vec::new);
                e.iter_mut().for_each(Vec::clear);
                Some(e)
            }
            _ if whole_keys => Some(exact.insert(vec![Vec::new(); gates])),
            _ => {
                *exact = None;
                None
            }
        };
        let bytes = blob.as_bytes();
        let mut exact = exact;
        for m in self.automaton.find_overlapping_iter(blob.as_str()) {
            let gate = self.gate_of[m.pattern().as_usize()] as usize;
            open[gate / 64] |= 1 << (gate % 64);
            let Some(exact) = exact.as_deref_mut() else {
                continue;
            };
            // The whole key around the needle (needles may include the NULs around a key).
            let from = if bytes[m.start()] == 0 {
                m.start() + 1
            } else {
                m.start()
            };
            let start = bytes[..from]
                .iter()
                .rposition(|&b| b == 0)
                .map_or(0, |i| i + 1);
            let to = if m.end() > m.start() && bytes[m.end() - 1] == 0 {
                m.end() - 1
            } else {
                m.end()
            };
            let end = bytes[to..]
                .iter()
                .position(|&b| b == 0)
                .map_or(bytes.len(), |i| to + i);
            let range = (start as u32, end as u32);
            if !exact[gate].contains(&range) && self.last[gate].matches(&blob[start..end]) {
                exact[gate].push(range);
            }
        }
    }
}

/// Writes every key below `fields` into the blob; false when a key holds a NUL byte.
fn keys_into(fields: &Fields, blob: &mut String) -> bool {
    keys_of(fields, blob, false)
}

/// [`keys_into`] of a map at the top level (`nested` false: the event's own fields, which are
/// never a form record) or below it.
fn keys_of(fields: &Fields, blob: &mut String, nested: bool) -> bool {
    /// Writes one key; false when it holds a NUL byte.
    fn push(k: &str, blob: &mut String) -> bool {
        if k.is_ascii() {
            blob.push_str(k);
        } else {
            blob.push_str(&k.to_lowercase());
        }
        blob.push('\0');
        !k.contains('\0')
    }
    let mut whole = true;
    for (k, v) in fields {
        whole &= push(k, blob);
        whole &= values_keys_into(v, blob);
    }
    // A form-field record's label stands for a key too ([`field_label`]).
    if nested && let Some((_, label)) = field_label(fields) {
        whole &= push(label, blob);
    }
    whole
}

fn values_keys_into(v: &Value, blob: &mut String) -> bool {
    match v {
        Value::Object(m) => keys_of(m, blob, true),
        Value::Array(items) => {
            // Every item's keys go in, even after one with a NUL byte.
            let mut whole = true;
            for item in items {
                whole &= values_keys_into(item, blob);
            }
            whole
        }
        _ => true,
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
    // Only containers hold anything to select below: a scalar's key is not even written.
    if !(value.is_object() || value.is_array()) {
        return;
    }
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
        let label = field_label(map);
        return map
            .iter()
            .enumerate()
            .any(|(i, (k, v))| matches_or_label(seg, k, i, label) && found(v));
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

/// `any` for a `type:` selector: every scalar below, with its path.
fn any_typed(
    map: &Fields,
    t: TypeSelector,
    path: &mut String,
    found: &mut dyn FnMut(&Value) -> bool,
) -> bool {
    map.iter().any(|(k, v)| {
        let len = path.len();
        push_key(path, k);
        let hit = any_typed_value(v, t, path, found);
        path.truncate(len);
        hit
    })
}

fn any_typed_value(
    value: &Value,
    t: TypeSelector,
    path: &mut String,
    found: &mut dyn FnMut(&Value) -> bool,
) -> bool {
    match value {
        Value::Object(inner) => any_typed(inner, t, path, found),
        Value::Array(items) => items.iter().enumerate().any(|(i, v)| {
            let len = path.len();
            push_index(path, i);
            let hit = any_typed_value(v, t, path, found);
            path.truncate(len);
            hit
        }),
        v => t.selects(path, v) && found(v),
    }
}

fn any_leaf(value: &Value, found: &mut dyn FnMut(&Value) -> bool) -> bool {
    match value {
        Value::Object(inner) => inner.values().any(|v| any_leaf(v, found)),
        Value::Array(items) => items.iter().any(|v| any_leaf(v, found)),
        _ => found(value),
    }
}

/// Appends `.key` (or `key` at the start) to a dotted path. A `.`, `[` or `\\` inside the key
/// is escaped with `\\`, so that [`split_path`] gives back the keys exactly.
pub fn push_key(path: &mut String, key: &str) {
    if !path.is_empty() {
        path.push('.');
    }
    // Bytes, not chars: the three are ASCII, and the char searcher costs more on short keys.
    if key.bytes().any(|b| matches!(b, b'.' | b'[' | b'\\')) {
        for c in key.chars() {
            if matches!(c, '.' | '[' | '\\') {
                path.push('\\');
            }
            path.push(c);
        }
    } else {
        path.push_str(key);
    }
}

/// The segments of a path written by [`push_key`] and [`push_index`]: each key (unescaped)
/// with the array indices that follow it (`[0][2]`, as written).
pub fn split_path(path: &str) -> Vec<(String, &str)> {
    if !path.contains('\\') {
        // Nothing escaped (the common case): a key is what lies before its first `[`.
        return path
            .split('.')
            .map(|segment| match segment.find('[') {
                Some(i) => (segment[..i].to_owned(), &segment[i..]),
                None => (segment.to_owned(), ""),
            })
            .collect();
    }
    let mut out = Vec::new();
    let mut key = String::new();
    let mut chars = path.char_indices().peekable();
    let mut indices_from: Option<usize> = None;
    while let Some((i, c)) = chars.next() {
        match c {
            '\\' if indices_from.is_none() => {
                if let Some((_, next)) = chars.next() {
                    key.push(next);
                }
            }
            '[' if indices_from.is_none() => indices_from = Some(i),
            '.' => {
                let indices = indices_from.map_or("", |from| &path[from..i]);
                out.push((std::mem::take(&mut key), indices));
                indices_from = None;
            }
            _ if indices_from.is_none() => key.push(c),
            _ => {}
        }
    }
    let indices = indices_from.map_or("", |from| &path[from..]);
    out.push((key, indices));
    out
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

    #[test]
    fn a_form_records_answer_takes_its_label() {
        // `field_label`'s first-byte filter knows every answer key's first letter.
        for k in VALUE_KEYS {
            assert!(
                matches!(k.as_bytes()[0], b'v' | b'a' | b'r' | b'i' | b'f'),
                "{k}"
            );
        }
        let map = |v: serde_json::Value| v.as_object().unwrap().clone();
        let label = |v| field_label(&map(v)).map(|(i, l)| (i, l.to_owned()));
        assert_eq!(
            label(serde_json::json!({"id": "f7", "label": "fullName", "value": "x"})),
            Some((2, "fullName".to_owned()))
        );
        // `name` outranks `id`, and `key`/`question` name answers too.
        assert_eq!(
            label(serde_json::json!({"value": 1, "id": "i3", "name": "email"})),
            Some((0, "email".to_owned()))
        );
        assert_eq!(
            label(serde_json::json!({"question": "Wohnort", "answer": "Köln"})),
            Some((1, "Wohnort".to_owned()))
        );
        // Not a record: no answer, no usable label, too many members, a label of digits.
        assert_eq!(label(serde_json::json!({"label": "x", "price": 3})), None);
        assert_eq!(label(serde_json::json!({"value": "a", "note": "b"})), None);
        assert_eq!(label(serde_json::json!({"id": "1234", "value": "a"})), None);
        assert_eq!(
            label(
                serde_json::json!({"name": "n", "value": 1, "a": 1, "b": 2, "c": 3, "d": 4, "e": 5, "f": 6, "g": 7})
            ),
            None
        );
        let long = "x".repeat(65);
        assert_eq!(label(serde_json::json!({"name": long, "value": 1})), None);
    }

    #[test]
    fn a_label_opens_gates_and_counts_as_a_key_class() {
        let fields =
            serde_json::json!({"form": [{"label": "Geburtsdatum", "value": "1970-01-02"}]});
        let fields = fields.as_object().unwrap();
        assert_eq!(
            classes_in(fields),
            1 << crate::policy::lexicon::KeyClass::BirthDate as u16
        );
        let mut blob = String::new();
        keys_into(fields, &mut blob);
        // ASCII keys are lowercased with the whole blob, in `KeyGate::open`.
        assert!(
            blob.split('\0')
                .any(|k| k.eq_ignore_ascii_case("geburtsdatum")),
            "{blob:?}"
        );
    }

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

    #[test]
    fn only_selectors_that_select_by_class_alone_are_gated_by_the_classes_present() {
        use crate::policy::lexicon::KeyClass;
        let merge = |texts: &[&str]| {
            Selector::merge(texts.iter().map(|s| Selector::parse(s).unwrap()).collect())
        };
        let classes = merge(&["key_class:passport", "key_class:birth_date"]);
        assert_eq!(
            classes[0].class_gate(),
            Some(1 << KeyClass::Passport as u16 | 1 << KeyClass::BirthDate as u16)
        );
        // A glob among them matches keys of no class: no class gate.
        assert_eq!(
            merge(&["key_class:passport", "**.*token*"])[0].class_gate(),
            None
        );
        assert_eq!(Selector::parse("**.*token*").unwrap().class_gate(), None);
        let fields = |v: serde_json::Value| match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        };
        let nested = fields(serde_json::json!({
            "properties": {"trips": [{"seat": "1A"}, [{"GebDatum": "1958-11-02"}]]}
        }));
        assert_eq!(classes_in(&nested), 1 << KeyClass::BirthDate as u16);
        let none = fields(serde_json::json!({"properties": {"plan": "pro", "items": [1, 2]}}));
        assert_eq!(classes_in(&none), 0);
    }

    #[test]
    fn key_class_segments_select_by_lexicon_class() {
        let sel = Selector::parse("key_class:birth_date").unwrap();
        assert_eq!(sel.segments[0], Segment::AnyDepth);
        assert!(sel.segments[1].matches("GebDatum"));
        assert!(sel.segments[1].matches("fecha_nacimiento"));
        assert!(!sel.segments[1].matches("birthday_campaign"));
        let sel = Selector::parse("properties.key_class:person_name").unwrap();
        assert!(sel.segments[1].matches("customer_lastName"));
        assert!(!sel.segments[1].matches("product_name"));
        let err = Selector::parse("key_class:person_nam").unwrap_err();
        assert!(err.message.contains("not a key class"), "{}", err.message);
        assert_eq!(err.help.as_deref(), Some("did you mean `person_name`?"));
        // Merged with each other and with globs, one segment answers for every class in it.
        let merged = Selector::merge(
            ["key_class:passport", "key_class:birth_date", "**.*token*"]
                .iter()
                .map(|s| Selector::parse(s).unwrap())
                .collect(),
        );
        assert_eq!(merged.len(), 1);
        let last = &merged[0].segments[1];
        assert!(matches!(last, Segment::AnyOf(_)));
        for key in ["reisepassnummer", "GebDatum", "api_token"] {
            assert!(last.matches(key), "{key}");
        }
        for key in ["customer_lastName", "product_name", "telefon"] {
            assert!(!last.matches(key), "{key}");
        }
    }

    #[test]
    fn needles_are_what_every_matching_key_contains() {
        let needles = |sel: &str| Selector::parse(sel).unwrap().gate_needles();
        assert_eq!(needles("**.*password*"), Some(vec!["password".to_owned()]));
        assert_eq!(needles("**.zip*"), Some(vec!["\0zip".to_owned()]));
        assert_eq!(needles("**.*_zip"), Some(vec!["_zip\0".to_owned()]));
        assert_eq!(needles("**.*auth*code*"), Some(vec!["auth".to_owned()]));
        assert_eq!(needles("**.DOB"), Some(vec!["\0dob\0".to_owned()]));
        assert_eq!(
            needles("properties.*.e?ail"),
            Some(vec!["ail\0".to_owned()])
        );
        assert_eq!(needles("**.*"), None);
        assert_eq!(needles("properties.**"), None);
        assert_eq!(
            needles("page.url"),
            None,
            "a literal path is one lookup: not gated"
        );
        let merged = Selector::merge(vec![
            Selector::parse("**.*token*").unwrap(),
            Selector::parse("**.gaid").unwrap(),
        ]);
        assert_eq!(
            merged[0].gate_needles(),
            Some(vec!["token".to_owned(), "\0gaid\0".to_owned()])
        );
    }

    /// A state kept from event to event (and reused when the keys repeat) answers exactly as a
    /// fresh one, also when two gates take turns with it and when only a NUL byte differs.
    #[test]
    fn a_kept_gate_state_answers_as_a_fresh_one() {
        let mut first: Vec<Selector> = ["**.*password*", "**.zip*", "properties.*.email"]
            .iter()
            .map(|s| Selector::parse(s).unwrap())
            .collect();
        let mut second: Vec<Selector> = ["**.*email*", "**.dob"]
            .iter()
            .map(|s| Selector::parse(s).unwrap())
            .collect();
        let gates = [
            (KeyGate::build(first.iter_mut()).unwrap(), 3u32),
            (KeyGate::build(second.iter_mut()).unwrap(), 2u32),
        ];
        let events = [
            json!({"properties": {"password": 1, "zipcode": 2}}),
            json!({"properties": {"a": {"email": "e"}, "dob": 3}}),
            json!({"properties": {"nothing": 1}}),
            json!({"properties": {"email\u{0}dob": 1}}),
            json!({"properties": {"email": 1, "dob": 2}}),
        ];
        let order = [0, 0, 1, 1, 2, 0, 3, 3, 4, 4, 3, 1];
        let mut kept = GateState::default();
        for (step, &i) in order.iter().enumerate() {
            let f = fields(events[i].clone());
            // Each event twice with the first gate, then once with the second.
            for (gate, n) in [&gates[0], &gates[0], &gates[1]] {
                gate.open(&f, &mut kept);
                let mut fresh = GateState::default();
                gate.open(&f, &mut fresh);
                let mut keys = Vec::new();
                all_keys(&Value::Object(f.clone()), &mut keys);
                for g in 0..*n {
                    assert_eq!(kept.is_open(g), fresh.is_open(g), "step {step}, gate {g}");
                    for k in &keys {
                        assert_eq!(
                            kept.admits_key(g, k),
                            fresh.admits_key(g, k),
                            "step {step}, gate {g}, key {k:?}"
                        );
                    }
                }
            }
        }
    }

    /// The gate never closes on a selector that selects something (it may stay open on one
    /// that does not): checked for every selector against every event below.
    #[test]
    fn a_closed_gate_means_nothing_is_selected() {
        let selectors = [
            "**.*password*",
            "**.zip*",
            "**.*_zip",
            "**.dob",
            "**.*auth*code*",
            "properties.*.email",
            "**.e?ail",
            "**.STRASSE",
            "**.straße",
        ];
        let events = [
            json!({"properties": {"user_Password": "x", "zipcode": 1, "home_zip": 2}}),
            json!({"properties": {"items": [{"DOB": "2001-01-01"}, {"a": {"Email": "e"}}]}}),
            json!({"target": {"authCode": 1, "auth_x_code": 2, "codeauth": 3}}),
            json!({"user_properties": {"Straße": "x", "STRASSE": "y"}}),
            json!({"properties": {"nozip": 1, "dobby": 2, "passwor": 3, "mai": 4}}),
        ];
        let mut parsed: Vec<Selector> = selectors
            .iter()
            .map(|s| Selector::parse(s).unwrap())
            .collect();
        let gate = KeyGate::build(parsed.iter_mut()).unwrap();
        let mut state = GateState::default();
        for event in &events {
            let f = fields(event.clone());
            gate.open(&f, &mut state);
            for sel in &parsed {
                let g = sel.gate.unwrap();
                let hits = selected(&sel.text, event.clone());
                assert!(
                    state.is_open(g) || hits.is_empty(),
                    "{} closed but selects {hits:?} in {event}",
                    sel.text
                );
                // The exact keys agree with the segment on every key of the event.
                let last = sel.segments.last().unwrap();
                let mut keys = Vec::new();
                all_keys(&Value::Object(f.clone()), &mut keys);
                for k in keys {
                    assert_eq!(
                        state.admits_key(g, &k),
                        Some(last.matches(&k)),
                        "{} on `{k}`",
                        sel.text
                    );
                }
            }
        }
        // And it does close: none of these selectors matches the last event.
        gate.open(&fields(events[4].clone()), &mut state);
        assert!((0..parsed.len() as u32).all(|g| !state.is_open(g)));
        // A key with a NUL byte cannot be seen whole: no exact keys then, only the gate.
        gate.open(
            &fields(json!({"a\u{0}b": {"user_password": 1}})),
            &mut state,
        );
        assert!(state.is_open(0));
        assert_eq!(state.admits_key(0, "user_password"), None);
    }

    fn all_keys(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => m.iter().for_each(|(k, v)| {
                out.push(k.clone());
                all_keys(v, out);
            }),
            Value::Array(items) => items.iter().for_each(|i| all_keys(i, out)),
            _ => {}
        }
    }

    #[test]
    fn every_key_survives_the_path_whatever_it_holds() {
        let pieces = ["a", ".", "[", "]", "\\", "0", "é", "[1]", "..", "ü.x", ""];
        let mut keys = Vec::new();
        for a in pieces {
            for b in pieces {
                for c in pieces {
                    keys.push(format!("{a}{b}{c}"));
                }
            }
        }
        for (n, key) in keys.iter().enumerate() {
            let mut path = String::new();
            push_key(&mut path, "properties");
            push_key(&mut path, key);
            if n % 3 == 0 {
                push_index(&mut path, n);
                push_index(&mut path, 1);
            }
            push_key(&mut path, &keys[keys.len() - 1 - n]);
            let indices = if n % 3 == 0 {
                format!("[{n}][1]")
            } else {
                String::new()
            };
            assert_eq!(
                split_path(&path),
                vec![
                    ("properties".to_owned(), ""),
                    (key.clone(), indices.as_str()),
                    (keys[keys.len() - 1 - n].clone(), "")
                ],
                "{path}"
            );
        }
    }

    #[test]
    fn keys_with_dots_survive_the_path() {
        let mut path = String::new();
        push_key(&mut path, "properties");
        push_key(&mut path, "a.b[c]\\d");
        push_index(&mut path, 2);
        push_key(&mut path, "x");
        assert_eq!(path, "properties.a\\.b\\[c]\\\\d[2].x");
        assert_eq!(
            split_path(&path),
            vec![
                ("properties".to_owned(), ""),
                ("a.b[c]\\d".to_owned(), "[2]"),
                ("x".to_owned(), "")
            ]
        );
    }
}
