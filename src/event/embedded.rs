//! JSON written inside a string value (`"payload": "{\"email\": \"ana@example.com\"}"`, a
//! webhook body or a serialised form kept in one property), and form data written the same way
//! (`"form": "vorname=Henrike&nachname=Oberm%C3%BCller"`, a posted form or a query string kept
//! without its URL).
//!
//! A free-text string that holds a JSON object or array is opened into its tree before the
//! policies run, and one that holds `name=value` pairs joined by `&` into an object of its
//! decoded names and values (a name given twice holds the list of its values), so that every rule meets its keys and values as it meets the event's own: key
//! globs (`**.*password*`), key classes (`key_class:national_id`), detectors with the inner key
//! as context. Afterwards it is written back as a string: the original text when nothing inside
//! changed, else the edited tree in compact JSON (form data: its pairs, `application/x-www-form-
//! urlencoded`, in their order, without the names a rule removed). Audit paths go through it
//! (`properties.payload.email`).
//!
//! Only strings inside the event's containers whose declared type is free text are opened (a
//! top-level field such as `identity` is taken whole, and a URL is never JSON to the engine), and only when the whole string parses as an object or array within the
//! decode budgets below. A string that a rule replaced or removed as a whole is left as the rule
//! left it. Where an array on the way lost or gained items, positions no longer say which item
//! was opened: such a tree is forwarded as the tree it became (edited, never raw), not as a
//! string.

use serde_json::Value;

use super::{Fields, schema};

/// Deepest nesting an opened tree may have (the JSON decoders' default `max_json_depth`).
const MAX_DEPTH: usize = 32;
/// Most values an event's opened trees may hold together.
const MAX_VALUES: usize = 10_000;

/// One string that was opened: where it is, its text, the tree it parsed to and its form.
#[derive(Debug)]
pub struct Opened {
    path: Vec<Step>,
    original: String,
    parsed: Value,
    form: Form,
}

/// How an opened string was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Form {
    Json,
    /// `name=value` pairs joined by `&`, percent-encoded; after a `?` when `query`.
    Pairs {
        query: bool,
    },
}

/// Longest form-data string opened (a posted form, not a file).
const MAX_PAIRS_TEXT: usize = 16 * 1024;

#[derive(Debug, Clone)]
enum Step {
    Key(String),
    /// An array item, with the array's length when it was opened.
    Index {
        at: usize,
        len: usize,
    },
}

/// Opens every free-text string of `fields` that holds a JSON object or array (inside opened
/// trees too: JSON in JSON), in place. Returns what [`close`] needs to write them back.
pub fn open(fields: &mut Fields) -> Vec<Opened> {
    // Most events hold no such string: one read-only look before any path is built.
    if !fields.values().any(may_hold) {
        return Vec::new();
    }
    let mut opened = Vec::new();
    let mut steps = Vec::new();
    let mut budget = MAX_VALUES;
    for (key, value) in fields.iter_mut() {
        // The model's own top-level fields (`identity`, `event`, `account_id`) are taken
        // whole: only what is written inside properties and other containers is opened.
        if !(value.is_object() || value.is_array()) {
            continue;
        }
        steps.push(Step::Key(key.clone()));
        let mut path = key.clone();
        walk(value, &mut steps, &mut path, &mut opened, &mut budget);
        steps.pop();
    }
    opened
}

/// Writes the opened strings of `fields` back, innermost first.
pub fn close(fields: &mut Fields, opened: Vec<Opened>) {
    for o in opened.into_iter().rev() {
        let Some(value) = locate(fields, &o.path) else {
            continue;
        };
        if !(value.is_object() || value.is_array()) {
            // A rule replaced the whole string (hashed, redacted, generalised): its result stays.
            continue;
        }
        let text = if *value == o.parsed {
            o.original
        } else {
            match (o.form, &*value) {
                (Form::Pairs { query }, Value::Object(pairs)) => {
                    let pairs = write_pairs(pairs);
                    if query { format!("?{pairs}") } else { pairs }
                }
                _ => serde_json::to_string(value).expect("a JSON tree always serialises"),
            }
        };
        *value = Value::String(text);
    }
}

/// True when `value` is, or holds, a string that starts like a JSON object or array.
fn may_hold(value: &Value) -> bool {
    match value {
        // The first byte decides for nearly every string; `walk` checks the rest.
        Value::String(s) => {
            (matches!(
                s.as_bytes().first(),
                Some(b'{' | b'[' | b' ' | b'\t' | b'\n' | b'\r')
            ) && starts_like_json(s))
                || starts_like_pairs(s)
        }
        Value::Object(map) => map.values().any(may_hold),
        Value::Array(items) => items.iter().any(may_hold),
        _ => false,
    }
}

/// True when `s` starts like form data: a name of [`read_pairs`]' characters (after an
/// optional `?`), then `=`. One pass over the first name; most strings fail at their first
/// byte or at a space, `/` or `:` (a URL is never form data here).
fn starts_like_pairs(s: &str) -> bool {
    // Most strings hold no `=` at all: one vectorised search says so.
    if !s.contains('=') {
        return false;
    }
    let b = s.as_bytes();
    let b = b.strip_prefix(b"?").unwrap_or(b);
    if !b.first().copied().is_some_and(is_name_start) {
        return false;
    }
    for &c in b {
        match c {
            b'=' => return true,
            c if is_name_byte(c) => {}
            _ => return false,
        }
    }
    false
}

/// The first byte of a form field's name as [`read_pairs`] accepts it.
fn is_name_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b == b'%'
}

/// A byte of a form field's name as [`read_pairs`] accepts it.
fn is_name_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.' | b'%' | b'+' | b'[' | b']')
}

fn starts_like_json(s: &str) -> bool {
    let t = s.trim_ascii();
    (t.starts_with('{') && t.ends_with('}')) || (t.starts_with('[') && t.ends_with(']'))
}

fn walk(
    value: &mut Value,
    steps: &mut Vec<Step>,
    path: &mut String,
    opened: &mut Vec<Opened>,
    budget: &mut usize,
) {
    match value {
        Value::Object(map) => {
            for (key, inner) in map.iter_mut() {
                steps.push(Step::Key(key.clone()));
                let len = path.len();
                path.push('.');
                path.push_str(key);
                walk(inner, steps, path, opened, budget);
                path.truncate(len);
                steps.pop();
            }
        }
        Value::Array(items) => {
            let n = items.len();
            for (at, inner) in items.iter_mut().enumerate() {
                steps.push(Step::Index { at, len: n });
                let len = path.len();
                path.push_str("[0]");
                walk(inner, steps, path, opened, budget);
                path.truncate(len);
                steps.pop();
            }
        }
        Value::String(s) => {
            let json = starts_like_json(s);
            if !(json || starts_like_pairs(s)) || schema::type_of(path) != schema::FieldType::Text {
                return;
            }
            let (parsed, form) = if json {
                match serde_json::from_str::<Value>(s) {
                    Ok(parsed) => (parsed, Form::Json),
                    Err(_) => return,
                }
            } else {
                // A query string kept with its `?` and nothing before it.
                let (query, text) = match s.strip_prefix('?') {
                    Some(rest) => (true, rest),
                    None => (false, s.as_str()),
                };
                match read_pairs(text) {
                    Some(pairs) => (Value::Object(pairs), Form::Pairs { query }),
                    None => return,
                }
            };
            let empty = match &parsed {
                Value::Object(m) => m.is_empty(),
                Value::Array(a) => a.is_empty(),
                _ => true,
            };
            if empty || !within(&parsed, MAX_DEPTH.saturating_sub(steps.len()), budget) {
                return;
            }
            let original = std::mem::take(s);
            *value = parsed.clone();
            opened.push(Opened {
                path: steps.clone(),
                original,
                parsed,
                form,
            });
            // Strings inside may hold JSON again.
            walk(value, steps, path, opened, budget);
        }
        _ => {}
    }
}

/// The pairs of a string written as form data (`a=1&b=x%40y.z`), names and values decoded
/// (`+` is a space); `None` for anything else: text with spaces, a URL (the `url` action's
/// business), a piece without `=`, a name that is not a form field's (`/`, `?`, `@`, quotes,
/// brackets other than `[]`), a lone `name=` or base64 padding (`dGVzdA==`), text that does
/// not decode to UTF-8. A name given twice holds the list of its values.
fn read_pairs(text: &str) -> Option<Fields> {
    if text.len() > MAX_PAIRS_TEXT || text.bytes().any(|b| b.is_ascii_whitespace()) {
        return None;
    }
    let name_ok = |name: &str| {
        name.bytes().next().is_some_and(is_name_start) && name.bytes().all(is_name_byte)
    };
    let decode = |raw: &str| -> Option<String> {
        let spaced = raw.replace('+', " ");
        percent_encoding::percent_decode_str(&spaced)
            .decode_utf8()
            .ok()
            .map(|c| c.into_owned())
    };
    let mut pairs = Fields::new();
    let mut count = 0;
    let mut lone_value = "";
    for piece in text.split('&').filter(|p| !p.is_empty()) {
        let (name, value) = piece.split_once('=')?;
        if !name_ok(name) {
            return None;
        }
        count += 1;
        lone_value = value;
        let (name, value) = (decode(name)?, Value::String(decode(value)?));
        match pairs.get_mut(&name) {
            None => {
                pairs.insert(name, value);
            }
            Some(Value::Array(values)) => values.push(value),
            Some(first) => {
                let first = first.take();
                pairs.insert(name, Value::Array(vec![first, value]));
            }
        }
    }
    // One pair alone must look like one: `note=hello`, not `x=` or `dGVzdA==`.
    if count == 0 || (count == 1 && lone_value.bytes().all(|b| b == b'=')) {
        return None;
    }
    Some(pairs)
}

/// Form data written back from its (edited) pairs, in their order.
fn write_pairs(pairs: &Fields) -> String {
    let mut out = form_urlencoded::Serializer::new(String::new());
    let text = |v: &Value| match v {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        other => other.to_string(),
    };
    for (name, value) in pairs {
        match value {
            Value::Array(values) => {
                for v in values {
                    out.append_pair(name, &text(v));
                }
            }
            v => {
                out.append_pair(name, &text(v));
            }
        }
    }
    out.finish()
}

/// True when `value` nests at most `depth` levels and its values fit in `budget` (which it
/// spends).
fn within(value: &Value, depth: usize, budget: &mut usize) -> bool {
    if *budget == 0 {
        return false;
    }
    *budget -= 1;
    match value {
        Value::Object(map) => depth > 0 && map.values().all(|v| within(v, depth - 1, budget)),
        Value::Array(items) => depth > 0 && items.iter().all(|v| within(v, depth - 1, budget)),
        _ => true,
    }
}

fn locate<'a>(fields: &'a mut Fields, path: &[Step]) -> Option<&'a mut Value> {
    let (Step::Key(first), rest) = path.split_first()? else {
        return None;
    };
    let mut value = fields.get_mut(first.as_str())?;
    for step in rest {
        value = match (step, value) {
            (Step::Key(k), Value::Object(map)) => map.get_mut(k.as_str())?,
            (Step::Index { at, len }, Value::Array(items)) if items.len() == *len => {
                items.get_mut(*at)?
            }
            _ => return None,
        };
    }
    Some(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields(v: Value) -> Fields {
        match v {
            Value::Object(m) => m,
            _ => unreachable!(),
        }
    }

    #[test]
    fn a_json_string_is_opened_and_written_back_unchanged_when_untouched() {
        let text = "{\"email\": \"ana@example.com\",  \"v\": 2}";
        let mut f = fields(json!({"properties": {"payload": text, "n": 1}}));
        let opened = open(&mut f);
        assert_eq!(opened.len(), 1);
        assert_eq!(
            f["properties"]["payload"],
            json!({"email": "ana@example.com", "v": 2})
        );
        close(&mut f, opened);
        // Byte for byte: spacing kept.
        assert_eq!(f["properties"]["payload"], json!(text));
    }

    #[test]
    fn an_edited_tree_is_written_back_as_compact_json() {
        let mut f = fields(json!({"properties": {"payload": "{\"email\": \"a@b.co\", \"v\": 2}"}}));
        let opened = open(&mut f);
        f["properties"]["payload"]["email"] = json!("[email]");
        close(&mut f, opened);
        assert_eq!(
            f["properties"]["payload"],
            json!("{\"email\":\"[email]\",\"v\":2}")
        );
    }

    #[test]
    fn json_inside_json_and_inside_arrays_is_opened_too() {
        let inner = "{\"name\": \"Ana\"}";
        let outer = serde_json::to_string(&json!({"data": inner})).unwrap();
        let mut f = fields(json!({"properties": {"p": outer, "list": ["[1, 2]", "x"]}}));
        let opened = open(&mut f);
        assert_eq!(opened.len(), 3);
        assert_eq!(f["properties"]["p"]["data"]["name"], json!("Ana"));
        assert_eq!(f["properties"]["list"][0], json!([1, 2]));
        f["properties"]["p"]["data"]["name"] = json!("[name]");
        close(&mut f, opened);
        let p: Value = serde_json::from_str(f["properties"]["p"].as_str().unwrap()).unwrap();
        assert_eq!(p, json!({"data": "{\"name\":\"[name]\"}"}));
        assert_eq!(f["properties"]["list"], json!(["[1, 2]", "x"]));
    }

    #[test]
    fn only_free_text_objects_and_arrays_within_budget_are_opened() {
        let deep = format!("{}{}", "[".repeat(40), "]".repeat(40));
        let mut f = fields(json!({
            "identity": "{\"a\": 1}",
            "page": {"url": "[1]"},
            "properties": {"n": "[]", "s": "{not json}", "q": "\"quoted\"", "d": deep, "t": " {\"a\": 1} "},
        }));
        let before = f.clone();
        let opened = open(&mut f);
        assert_eq!(opened.len(), 1, "{opened:?}");
        assert_eq!(f["properties"]["t"], json!({"a": 1}));
        close(&mut f, opened);
        assert_eq!(f, before);
    }

    #[test]
    fn a_string_a_rule_replaced_or_removed_stays_as_the_rule_left_it() {
        let mut f = fields(json!({"properties": {"a": "{\"x\": 1}", "b": "{\"y\": 2}"}}));
        let opened = open(&mut f);
        f["properties"]["a"] = json!("h:k:abc");
        f["properties"].as_object_mut().unwrap().remove("b");
        close(&mut f, opened);
        assert_eq!(f["properties"], json!({"a": "h:k:abc"}));
    }

    #[test]
    fn form_data_is_opened_decoded_and_written_back_from_its_pairs() {
        let text = "vorname=Henrike&nachname=Oberm%C3%BCller&tag=a&tag=b+c&plz=79102";
        let mut f = fields(
            json!({"properties": {"form": text, "same": "a=1&b=2", "q": "?x=1&email=a%40b.co"}}),
        );
        let opened = open(&mut f);
        assert_eq!(opened.len(), 3);
        assert_eq!(f["properties"]["q"], json!({"x": "1", "email": "a@b.co"}));
        f["properties"]["q"]["email"] = json!("[email]");
        assert_eq!(
            f["properties"]["form"],
            json!({"vorname": "Henrike", "nachname": "Obermüller", "tag": ["a", "b c"], "plz": "79102"})
        );
        f["properties"]["form"]["nachname"] = json!("***");
        f["properties"]["form"]
            .as_object_mut()
            .unwrap()
            .shift_remove("plz");
        close(&mut f, opened);
        assert_eq!(
            f["properties"]["form"],
            json!("vorname=Henrike&nachname=***&tag=a&tag=b+c")
        );
        // Untouched: the original text, byte for byte.
        assert_eq!(f["properties"]["same"], json!("a=1&b=2"));
        // A query string keeps its `?`.
        assert_eq!(f["properties"]["q"], json!("?x=1&email=%5Bemail%5D"));
    }

    #[test]
    fn text_that_is_not_form_data_stays_text() {
        let mut f = fields(json!({"properties": {
            "padding": "dGVzdA==", "lone": "x=", "spaced": "a=b c", "flag": "debug&x=1",
            "url": "https://example.com/?a=b", "mail": "mailto:a@b.co?subject=x",
            "bytes": "a=%FF%FE", "sum": "1+1=2",
        }}));
        let before = f.clone();
        let opened = open(&mut f);
        assert!(opened.is_empty(), "{opened:?}");
        assert_eq!(f, before);
    }

    #[test]
    fn an_array_that_changed_length_keeps_its_opened_items_as_trees() {
        let mut f = fields(json!({"properties": {"l": ["secret", "{\"x\": 1}"]}}));
        let opened = open(&mut f);
        f["properties"]["l"].as_array_mut().unwrap().remove(0);
        f["properties"]["l"][0]["x"] = json!(2);
        close(&mut f, opened);
        assert_eq!(f["properties"]["l"], json!([{"x": 2}]));
    }
}
