//! JSON text in and out of the request path, without serde's per-token dispatch.
//!
//! A profile of a 1 KB track request put about a quarter of privgate's own instructions for it
//! (with an empty policy) in `serde_json`: parsing the body into values, about 35 instructions
//! per byte, and escaping the strings of the forwarded body, about 13. Both are mostly per-byte
//! dispatch; the text of a typical request is long plain runs between quotes.
//!
//! - [`parse`] is a fast path for [`super::heap_json::parse_strict`]: it reads the common case
//!   (valid JSON, no surrogate escapes) into the same [`Value`] and gives up — `None` — on
//!   anything else, errors and limits included. The strict parser then reads the body again
//!   and reports the error as before, so the messages, their line and column, and every limit
//!   stay exactly the strict parser's. The contract, checked by a differential test: `Some(v)`
//!   only when the strict parser returns `Ok(v)`.
//! - [`write_value`] and [`write_str`] write exactly the text `serde_json`'s compact
//!   serializer writes (same escapes, same number forms), also checked by a differential test.
//!   The forwarded JSON API body and the audit records are written with them.

use serde_json::{Map, Number, Value};

/// `text` parsed with [`super::heap_json::parse_strict`]'s rules (no duplicate keys, nesting at
/// most `max_depth`, at most `max_values` values), or `None` when the strict parser must
/// decide: the text is not valid JSON, breaks a limit, or holds something this fast path leaves
/// to it (a `\u` surrogate escape, a number it does not convert itself that `serde_json` would
/// not accept, nesting past `serde_json`'s own recursion limit).
pub(crate) fn parse(text: &str, max_depth: usize, max_values: usize) -> Option<Value> {
    let mut reader = Reader {
        text,
        bytes: text.as_bytes(),
        at: 0,
        left: max_values,
        // serde_json refuses the 128th nested container; leave anything near it to it.
        max_depth: max_depth.min(100),
    };
    let value = reader.value(0)?;
    reader.skip_space();
    (reader.at == reader.bytes.len()).then_some(value)
}

struct Reader<'a> {
    text: &'a str,
    bytes: &'a [u8],
    at: usize,
    /// Values still allowed (the strict parser's budget, counted the same way: every value,
    /// containers and members alike, keys not).
    left: usize,
    max_depth: usize,
}

impl Reader<'_> {
    fn skip_space(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.bytes.get(self.at) {
            self.at += 1;
        }
    }

    fn next_byte(&mut self) -> Option<u8> {
        let b = *self.bytes.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    /// A value whose containers nest at `depth` (0 for the body itself).
    fn value(&mut self, depth: usize) -> Option<Value> {
        self.left = self.left.checked_sub(1)?;
        self.skip_space();
        match self.next_byte()? {
            b'{' if depth < self.max_depth => self.object(depth + 1),
            b'[' if depth < self.max_depth => self.array(depth + 1),
            b'"' => self.string().map(Value::String),
            b't' => self.literal(b"rue", Value::Bool(true)),
            b'f' => self.literal(b"alse", Value::Bool(false)),
            b'n' => self.literal(b"ull", Value::Null),
            b'-' | b'0'..=b'9' => {
                self.at -= 1;
                self.number().map(Value::Number)
            }
            _ => None,
        }
    }

    fn literal(&mut self, rest: &[u8], value: Value) -> Option<Value> {
        let end = self.at + rest.len();
        (self.bytes.get(self.at..end)? == rest).then(|| {
            self.at = end;
            value
        })
    }

    fn object(&mut self, depth: usize) -> Option<Value> {
        // Members are gathered first, so the map is built at its final size, as the strict
        // parser builds it.
        let mut members: Vec<(String, Value)> = Vec::with_capacity(8);
        self.skip_space();
        if self.bytes.get(self.at) == Some(&b'}') {
            self.at += 1;
            return Some(Value::Object(Map::new()));
        }
        loop {
            self.skip_space();
            if self.next_byte()? != b'"' {
                return None;
            }
            let key = self.string()?;
            self.skip_space();
            if self.next_byte()? != b':' {
                return None;
            }
            let value = self.value(depth)?;
            members.push((key, value));
            self.skip_space();
            match self.next_byte()? {
                b',' => {}
                b'}' => break,
                _ => return None,
            }
        }
        let mut map = Map::with_capacity(members.len());
        for (key, value) in members {
            if map.insert(key, value).is_some() {
                return None; // a duplicate key: the strict parser's error
            }
        }
        Some(Value::Object(map))
    }

    fn array(&mut self, depth: usize) -> Option<Value> {
        let mut items = Vec::new();
        self.skip_space();
        if self.bytes.get(self.at) == Some(&b']') {
            self.at += 1;
            return Some(Value::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            self.skip_space();
            match self.next_byte()? {
                b',' => {}
                b']' => return Some(Value::Array(items)),
                _ => return None,
            }
        }
    }

    /// The rest of a string whose opening quote was read.
    fn string(&mut self) -> Option<String> {
        let start = self.at;
        self.at = plain_run_end(self.bytes, self.at);
        match *self.bytes.get(self.at)? {
            b'"' => {
                self.at += 1;
                // Quotes are ASCII, so both ends are character boundaries.
                Some(self.text[start..self.at - 1].to_owned())
            }
            b'\\' => {
                let mut out = String::with_capacity(self.at - start + 16);
                out.push_str(&self.text[start..self.at]);
                self.escaped(out)
            }
            _ => None, // a control character: not allowed unescaped
        }
    }

    /// The rest of a string from a backslash on; `out` holds what came before it.
    fn escaped(&mut self, mut out: String) -> Option<String> {
        loop {
            match self.next_byte()? {
                b'"' => return Some(out),
                b'\\' => {
                    let c = match self.next_byte()? {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hex = self.text.get(self.at..self.at + 4)?;
                            if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
                                return None;
                            }
                            self.at += 4;
                            // A surrogate (half of a pair, or alone) is left to serde_json.
                            char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
                        }
                        _ => return None,
                    };
                    out.push(c);
                }
                _ => {
                    let start = self.at - 1;
                    if self.bytes[start] < 0x20 {
                        return None;
                    }
                    self.at = plain_run_end(self.bytes, self.at);
                    out.push_str(&self.text[start..self.at]);
                }
            }
        }
    }

    /// A number: integers of up to 18 digits are converted here, anything else (fractions,
    /// exponents, longer integers, `-0`) by `serde_json`'s own parser, after the grammar is
    /// checked here.
    fn number(&mut self) -> Option<Number> {
        let start = self.at;
        let negative = self.bytes[start] == b'-';
        if negative {
            self.at += 1;
        }
        let digits_from = self.at;
        match self.next_byte()? {
            b'0' => {}
            b'1'..=b'9' => self.skip_digits(),
            _ => return None,
        }
        let digits = self.at - digits_from;
        let mut integer = true;
        if self.bytes.get(self.at) == Some(&b'.') {
            self.at += 1;
            integer = false;
            self.some_digits()?;
        }
        if let Some(b'e' | b'E') = self.bytes.get(self.at) {
            self.at += 1;
            integer = false;
            if let Some(b'+' | b'-') = self.bytes.get(self.at) {
                self.at += 1;
            }
            self.some_digits()?;
        }
        // A digit right after a leading zero ("01") is not JSON.
        if self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            return None;
        }
        let token = &self.text[start..self.at];
        if integer && digits <= 18 {
            let magnitude: u64 = token[digits_from - start..].parse().ok()?;
            return match (negative, magnitude) {
                (false, m) => Some(Number::from(m)),
                (true, 0) => token.parse().ok(), // -0 is a float in serde_json
                (true, m) => Some(Number::from(-(m as i64))), // m < 10^18 fits
            };
        }
        token.parse().ok()
    }

    fn skip_digits(&mut self) {
        while self.bytes.get(self.at).is_some_and(u8::is_ascii_digit) {
            self.at += 1;
        }
    }

    fn some_digits(&mut self) -> Option<()> {
        let from = self.at;
        self.skip_digits();
        (self.at > from).then_some(())
    }
}

const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// A mask with the high bit set in the bytes of `word` that are a quote, a backslash or a
/// control character. Exact up to and including its lowest set bit (bytes above a flagged one
/// can be flagged wrongly, through the borrow), which is all [`plain_run_end`] reads.
#[inline]
fn attention(word: u64) -> u64 {
    let zero_in = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS;
    let quote = zero_in(word ^ (ONES * u64::from(b'"')));
    let backslash = zero_in(word ^ (ONES * u64::from(b'\\')));
    let control = word.wrapping_sub(ONES * 0x20) & !word & HIGHS;
    quote | backslash | control
}

/// The index of the first quote, backslash or control character at or after `from` (or the
/// end), eight bytes at a time.
fn plain_run_end(bytes: &[u8], mut from: usize) -> usize {
    while let Some(chunk) = bytes.get(from..from + 8) {
        let mask = attention(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        if mask != 0 {
            // Little-endian: the lowest set bit is in the first flagged byte.
            return from + (mask.trailing_zeros() / 8) as usize;
        }
        from += 8;
    }
    while let Some(&b) = bytes.get(from) {
        if b == b'"' || b == b'\\' || b < 0x20 {
            break;
        }
        from += 1;
    }
    from
}

/// Writes `value` as `serde_json::to_string` would (compact).
pub(crate) fn write_value(out: &mut String, value: &Value) {
    match value {
        Value::Null => out.push_str("null"),
        Value::Bool(true) => out.push_str("true"),
        Value::Bool(false) => out.push_str("false"),
        Value::Number(n) => write_number(out, n),
        Value::String(s) => write_str(out, s),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_value(out, item);
            }
            out.push(']');
        }
        Value::Object(map) => {
            out.push('{');
            for (i, (key, item)) in map.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_str(out, key);
                out.push(':');
                write_value(out, item);
            }
            out.push('}');
        }
    }
}

fn write_number(out: &mut String, n: &Number) {
    if let Some(u) = n.as_u64() {
        out.push_str(itoa::Buffer::new().format(u));
    } else if let Some(i) = n.as_i64() {
        out.push_str(itoa::Buffer::new().format(i));
    } else {
        // Floats are rare in events; serde_json's own writer keeps their exact form.
        out.push_str(&serde_json::to_string(n).expect("a number always serializes"));
    }
}

/// Writes `s` as a JSON string, escaped as `serde_json` escapes it: `\"`, `\\`, the five short
/// escapes, `\u00xx` (lower-case hex) for other control characters; everything else as is.
pub(crate) fn write_str(out: &mut String, s: &str) {
    let bytes = s.as_bytes();
    out.reserve(bytes.len() + 2);
    out.push('"');
    let mut from = 0;
    loop {
        // Both ends are character boundaries: `from` follows an ASCII byte (or is 0), and a run
        // ends at an ASCII byte or at the end.
        let end = plain_run_end(bytes, from);
        out.push_str(&s[from..end]);
        let Some(&b) = bytes.get(end) else { break };
        match b {
            b'"' => out.push_str("\\\""),
            b'\\' => out.push_str("\\\\"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            b'\t' => out.push_str("\\t"),
            0x08 => out.push_str("\\b"),
            0x0c => out.push_str("\\f"),
            _ => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                out.push_str("\\u00");
                out.push(char::from(HEX[usize::from(b >> 4)]));
                out.push(char::from(HEX[usize::from(b & 0xf)]));
            }
        }
        from = end + 1;
    }
    out.push('"');
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::protocol::heap_json::parse_strict_serde as parse_strict;

    /// A small deterministic generator (xorshift), so a failure names its seed.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            self.0
        }
        fn below(&mut self, n: usize) -> usize {
            (self.next() % n as u64) as usize
        }
    }

    const PIECES: &[&str] = &[
        "a",
        "Zürich",
        "日本",
        "😀",
        " ",
        "\"",
        "\\",
        "/",
        "\n",
        "\t",
        "\r",
        "\u{8}",
        "\u{c}",
        "\u{0}",
        "\u{1f}",
        "\u{7f}",
        "\u{2028}",
        "é",
        "x1",
        "abcdefghij",
        "@",
        "'",
        "<>",
    ];

    fn text(r: &mut Rng) -> String {
        (0..r.below(24))
            .map(|_| PIECES[r.below(PIECES.len())])
            .collect()
    }

    fn number(r: &mut Rng) -> Value {
        match r.below(8) {
            0 => Value::from(r.next()),
            1 => Value::from(-((r.next() >> 1) as i64)),
            2 => Value::from(r.below(1000) as u64),
            3 => Value::from(-(r.below(1000) as i64)),
            4 => Value::from(r.next() as f64 / 7.0),
            5 => Value::from(-(r.below(1_000_000) as f64) / 1000.0),
            6 => Value::from(f64::from_bits(r.next() >> 2)),
            _ => Value::from(i64::MIN),
        }
    }

    fn value(r: &mut Rng, depth: usize) -> Value {
        match r.below(if depth > 4 { 5 } else { 7 }) {
            0 => Value::Null,
            1 => Value::Bool(r.below(2) == 0),
            2 => number(r),
            3 | 4 => Value::String(text(r)),
            5 => Value::Array((0..r.below(5)).map(|_| value(r, depth + 1)).collect()),
            _ => {
                let mut map = Map::new();
                for _ in 0..r.below(6) {
                    map.insert(text(r), value(r, depth + 1));
                }
                Value::Object(map)
            }
        }
    }

    /// The contract: the fast path answers only what the strict parser accepts, with the
    /// same value.
    fn agrees(text: &str, depth: usize, values: usize) -> bool {
        let strict = parse_strict(text.as_bytes(), depth, values).ok();
        match parse(text, depth, values) {
            Some(fast) => {
                assert_eq!(
                    Some(&fast),
                    strict.as_ref(),
                    "fast path differs on {text:?}"
                );
                true
            }
            None => false,
        }
    }

    #[test]
    fn a_plain_run_ends_at_the_first_byte_that_needs_attention() {
        let naive = |b: &[u8], from: usize| {
            (from..b.len())
                .find(|&i| b[i] == b'"' || b[i] == b'\\' || b[i] < 0x20)
                .unwrap_or(b.len())
        };
        // Every special byte at every offset of a 24-byte text, after plain ASCII, after bytes
        // just above the control range, and after non-ASCII (whose high bits must not count).
        for fill in [b'a', 0x20, 0x21, 0x5d, 0xc3, 0xff] {
            for special in [b'"', b'\\', 0x00, 0x01, 0x1f] {
                for at in 0..24 {
                    let mut text = vec![fill; 24];
                    text[at] = special;
                    if at + 1 < 24 {
                        text[at + 1] = b'"';
                    }
                    for from in 0..=at {
                        assert_eq!(
                            plain_run_end(&text, from),
                            naive(&text, from),
                            "{text:?} from {from}"
                        );
                    }
                }
            }
            assert_eq!(plain_run_end(&[fill; 24], 0), 24);
        }
    }

    #[test]
    fn writes_exactly_what_serde_json_writes() {
        for seed in 1..3000u64 {
            let mut r = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15));
            let v = value(&mut r, 0);
            let mut out = String::new();
            write_value(&mut out, &v);
            assert_eq!(out, serde_json::to_string(&v).unwrap(), "seed {seed}");
        }
        for c in (0u32..0x80).filter_map(char::from_u32) {
            let s = format!("ab{c}cdefghijk{c}");
            let mut out = String::new();
            write_str(&mut out, &s);
            assert_eq!(out, serde_json::to_string(&s).unwrap(), "char {c:?}");
        }
    }

    #[test]
    fn reads_what_serde_json_writes_and_agrees_with_the_strict_parser() {
        for seed in 1..3000u64 {
            let mut r = Rng(seed.wrapping_mul(0x2545_F491_4F6C_DD1D));
            let v = value(&mut r, 0);
            let compact = serde_json::to_string(&v).unwrap();
            let pretty = serde_json::to_string_pretty(&v).unwrap();
            for text in [&compact, &pretty] {
                // Every generated document is read by the fast path itself (no surrogate
                // escapes: serde_json writes non-ASCII as is).
                assert!(agrees(text, 32, 100_000), "seed {seed}: {text}");
            }
        }
    }

    #[test]
    fn never_accepts_what_the_strict_parser_refuses() {
        // Mutations of valid documents: bytes dropped, doubled, replaced, truncated.
        let tokens: &[&str] = &[
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            "\"",
            "\\",
            "0",
            "-",
            ".",
            "e",
            "E",
            "+",
            "1",
            "n",
            "t",
            "f",
            " ",
            "\u{1}",
            "\\u",
            "d800",
            "\\ud83d\\ude00",
            "01",
            "-0",
            "1e400",
        ];
        let mut accepted = 0;
        for seed in 1..6000u64 {
            let mut r = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
            let v = value(&mut r, 0);
            let mut text = serde_json::to_string(&v).unwrap();
            for _ in 0..1 + r.below(3) {
                let mut at = r.below(text.len() + 1);
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                match r.below(4) {
                    0 => {
                        let mut end = (at + 1 + r.below(3)).min(text.len());
                        while !text.is_char_boundary(end) {
                            end += 1;
                        }
                        text.replace_range(at..end, "");
                    }
                    1 => text.insert_str(at, tokens[r.below(tokens.len())]),
                    2 => text.truncate(at),
                    _ => {
                        let piece = text[at..].chars().take(4).collect::<String>();
                        text.insert_str(at, &piece);
                    }
                }
            }
            accepted += usize::from(agrees(&text, 32, 100_000));
        }
        // Some mutations leave valid JSON; the test is only as good as the mix it sees.
        assert!(
            accepted > 100,
            "only {accepted} mutated documents were valid"
        );
    }

    #[test]
    fn limits_and_edge_cases_are_the_strict_parsers() {
        let cases: &[(&str, usize, usize)] = &[
            (r#"{"a":1,"a":2}"#, 32, 100),
            (r#"{"a":[1,2,3]}"#, 32, 4),
            (r#"{"a":[1,2,3]}"#, 32, 5),
            (r#"[[[]]]"#, 3, 100),
            (r#"[[[]]]"#, 2, 100),
            (r#"{"a":{"b":{}}}"#, 2, 100),
            (r#"{"a":{"b":{}}}"#, 3, 100),
            ("-0", 32, 10),
            ("-0.0", 32, 10),
            ("123456789012345678", 32, 10),
            ("1234567890123456789", 32, 10),
            ("18446744073709551615", 32, 10),
            ("18446744073709551616", 32, 10),
            ("-9223372036854775808", 32, 10),
            ("-9223372036854775809", 32, 10),
            ("1e400", 32, 10),
            ("1.5e-3", 32, 10),
            ("01", 32, 10),
            ("1.", 32, 10),
            (".5", 32, 10),
            ("1e", 32, 10),
            ("+1", 32, 10),
            (r#""\ud83d\ude00""#, 32, 10),
            (r#""\ud83d""#, 32, 10),
            (r#""\u00e9\u0000\/""#, 32, 10),
            (r#""\x""#, 32, 10),
            ("\"a\u{1}b\"", 32, 10),
            ("\"\u{7f}\"", 32, 10),
            (" {} ", 32, 10),
            ("{} x", 32, 10),
            ("", 32, 10),
            ("tru", 32, 10),
            ("nulll", 32, 10),
            (r#"{"a":1,}"#, 32, 10),
            (r#"[1,]"#, 32, 10),
            (r#"{"a" 1}"#, 32, 10),
        ];
        for (text, depth, values) in cases {
            agrees(text, *depth, *values);
        }
        // The ones the fast path must read itself, not leave to the strict parser.
        assert!(agrees(r#"{"a":[1,2,3]}"#, 32, 5));
        assert!(!agrees(r#"{"a":[1,2,3]}"#, 32, 4));
        assert!(agrees("-0", 32, 10));
        assert!(agrees(r#""\u00e9\u0000\/""#, 32, 10));
        let deep = format!("{}{}", "[".repeat(200), "]".repeat(200));
        assert!(!agrees(&deep, 500, 1000));
    }
}
