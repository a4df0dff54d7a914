//! Opt-out signals read at the edge (compliance.md, "Opt-out signals").
//!
//! [`RequestSignals::read`] decodes everything a request says about consent — `Sec-GPC`, `DNT`,
//! the US Privacy string, the IAB TCF v2 core string, the IAB GPP string (usnat section) — once
//! per request. Whether a signal opts an event out is decided per policy (`consent:` and
//! `when: { signal: ... }`), because purposes and consent cookies are policy settings. A consent
//! string that cannot be decoded counts as "no consent" (fail closed) and is reported.

use base64::Engine as _;

use crate::event::RequestMeta;

/// A consent signal a policy can act on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Signal {
    /// Global Privacy Control: `Sec-GPC: 1`.
    Gpc,
    /// Do Not Track: `DNT: 1` (no legal force; optional).
    Dnt,
    /// US Privacy string with the opt-out-of-sale flag set.
    UsPrivacy,
    /// IAB TCF v2 without consent for the required purposes.
    Tcf,
    /// IAB GPP usnat section with a sale or sharing opt-out.
    Gpp,
    /// A consent cookie configured in the policy says "no".
    Cookie,
    /// A field condition configured in the policy holds (server-side signals).
    Field,
}

impl Signal {
    /// Every signal.
    pub const ALL: [Signal; 7] = [
        Signal::Gpc,
        Signal::Dnt,
        Signal::UsPrivacy,
        Signal::Tcf,
        Signal::Gpp,
        Signal::Cookie,
        Signal::Field,
    ];

    /// The name used in policies and audit records.
    pub fn as_str(self) -> &'static str {
        match self {
            Signal::Gpc => "gpc",
            Signal::Dnt => "dnt",
            Signal::UsPrivacy => "us_privacy",
            Signal::Tcf => "tcf",
            Signal::Gpp => "gpp",
            Signal::Cookie => "cookie",
            Signal::Field => "field",
        }
    }

    /// Parses a signal name.
    pub fn parse(name: &str) -> Option<Signal> {
        Signal::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// A consent string's state in a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Decoded<T> {
    /// Not sent.
    #[default]
    Absent,
    /// Sent and decoded.
    Valid(T),
    /// Sent but not decodable: treated as "no consent".
    Invalid,
}

/// TCF purposes with consent: bit n-1 for purpose n (1..=24).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Purposes(pub u32);

impl Purposes {
    /// True when purpose `n` has consent.
    pub fn has(self, n: u8) -> bool {
        (1..=24).contains(&n) && self.0 & (1 << (n - 1)) != 0
    }
}

/// What TCF says for a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tcf {
    /// No TCF string and no `gdpr=1`: TCF does not apply.
    #[default]
    NotApplicable,
    /// `gdpr=1` but no consent string: no consent.
    Missing,
    /// A decoded core string.
    Purposes(Purposes),
    /// A string that does not decode: no consent.
    Invalid,
}

/// Everything a request says about consent, decoded once.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct RequestSignals {
    /// `Sec-GPC: 1`.
    pub gpc: bool,
    /// `DNT: 1`.
    pub dnt: bool,
    /// US Privacy: opted out of sale?
    pub us_privacy: Decoded<bool>,
    /// TCF v2.
    pub tcf: Tcf,
    /// GPP usnat: sale or sharing opt-out?
    pub gpp: Decoded<bool>,
}

impl RequestSignals {
    /// Reads the signals of a request from its headers, cookies and query parameters.
    pub fn read(meta: &RequestMeta) -> RequestSignals {
        let param = |name: &str| meta.query_param(name);
        let us_privacy = meta
            .header("us-privacy")
            .map(str::to_owned)
            .or_else(|| meta.cookie("us_privacy").map(str::to_owned))
            .or_else(|| meta.cookie("usprivacy").map(str::to_owned))
            .or_else(|| param("us_privacy"));
        let gdpr = param("gdpr");
        let tcf_string =
            param("gdpr_consent").or_else(|| meta.cookie("euconsent-v2").map(str::to_owned));
        let tcf = match (gdpr.as_deref(), tcf_string) {
            (Some("0"), _) => Tcf::NotApplicable,
            (_, Some(s)) if !s.is_empty() => match decode_tcf(&s) {
                Some(p) => Tcf::Purposes(p),
                None => Tcf::Invalid,
            },
            (Some("1"), _) => Tcf::Missing,
            _ => Tcf::NotApplicable,
        };
        let gpp = param("gpp").or_else(|| meta.cookie("__gpp").map(str::to_owned));
        RequestSignals {
            gpc: header_is_one(meta, "sec-gpc"),
            dnt: header_is_one(meta, "dnt"),
            us_privacy: match us_privacy {
                None => Decoded::Absent,
                Some(s) => decode_us_privacy(&s).map_or(Decoded::Invalid, Decoded::Valid),
            },
            tcf,
            gpp: match gpp {
                None => Decoded::Absent,
                Some(s) if s.is_empty() => Decoded::Absent,
                Some(s) => decode_gpp_usnat(&s).map_or(Decoded::Invalid, Decoded::Valid),
            },
        }
    }

    /// Signals whose strings were sent but could not be decoded (for the audit record).
    pub fn invalid(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        if self.us_privacy == Decoded::Invalid {
            out.push("us_privacy");
        }
        if self.tcf == Tcf::Invalid {
            out.push("tcf");
        }
        if self.gpp == Decoded::Invalid {
            out.push("gpp");
        }
        out
    }
}

/// GPC and DNT count only when the value is exactly `1` after trimming (`true` does not).
fn header_is_one(meta: &RequestMeta, name: &str) -> bool {
    meta.headers
        .get_all(name)
        .iter()
        .any(|v| v.to_str().is_ok_and(|s| s.trim() == "1"))
}

/// US Privacy string `1YNN`: version 1, then notice, opt-out of sale, LSPA, each `Y`, `N` or `-`.
/// Returns whether the user opted out of sale; `None` when the string is malformed.
pub fn decode_us_privacy(s: &str) -> Option<bool> {
    let b = s.trim().as_bytes();
    if b.len() != 4
        || b[0] != b'1'
        || !b[1..]
            .iter()
            .all(|c| matches!(c, b'Y' | b'N' | b'-' | b'y' | b'n'))
    {
        return None;
    }
    Some(b[2].eq_ignore_ascii_case(&b'Y'))
}

/// Reads big-endian bit fields from bytes.
struct Bits<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Bits<'a> {
    fn new(bytes: &'a [u8]) -> Self {
        Bits { bytes, pos: 0 }
    }

    fn len(&self) -> usize {
        self.bytes.len() * 8
    }

    fn bit(&mut self) -> Option<bool> {
        let byte = *self.bytes.get(self.pos / 8)?;
        let b = byte & (0x80 >> (self.pos % 8)) != 0;
        self.pos += 1;
        Some(b)
    }

    fn int(&mut self, width: usize) -> Option<u64> {
        let mut v = 0u64;
        for _ in 0..width {
            v = (v << 1) | u64::from(self.bit()?);
        }
        Some(v)
    }

    /// A Fibonacci-coded integer (GPP): bits for 1, 2, 3, 5, 8, ... ended by two 1s in a row.
    fn fibonacci(&mut self) -> Option<u64> {
        let (mut a, mut b) = (1u64, 2u64);
        let mut value = 0u64;
        let mut last = false;
        for _ in 0..64 {
            let bit = self.bit()?;
            if bit && last {
                return Some(value);
            }
            if bit {
                value = value.checked_add(a)?;
            }
            last = bit;
            let next = a.checked_add(b)?;
            a = b;
            b = next;
        }
        None
    }
}

fn base64url(s: &str) -> Option<Vec<u8>> {
    let trimmed = s.trim().trim_end_matches('=');
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(trimmed)
        .ok()
}

/// Decodes the purpose consents of a TCF v2 string's core segment. `None` when malformed.
pub fn decode_tcf(s: &str) -> Option<Purposes> {
    let core = s.split('.').next()?;
    let bytes = base64url(core)?;
    let mut bits = Bits::new(&bytes);
    // Through the purpose legitimate-interest fields at least.
    if bits.len() < 200 {
        return None;
    }
    let version = bits.int(6)?;
    if version != 2 {
        return None;
    }
    bits.pos = 152;
    let consents = bits.int(24)? as u32;
    // Bit 152 is purpose 1: reverse into bit n-1 = purpose n.
    let mut purposes = 0u32;
    for n in 0..24 {
        if consents & (1 << (23 - n)) != 0 {
            purposes |= 1 << n;
        }
    }
    Some(Purposes(purposes))
}

/// The GPP section id of the US National section.
const USNAT: u64 = 7;

/// Decodes a GPP string and reports whether its usnat section opts out of sale or sharing.
/// A string without a usnat section counts as no opt-out; a malformed one is `None`.
pub fn decode_gpp_usnat(s: &str) -> Option<bool> {
    let mut parts = s.trim().split('~');
    let header = base64url(parts.next()?)?;
    let mut bits = Bits::new(&header);
    if bits.int(6)? != 3 || bits.int(6)? != 1 {
        return None;
    }
    let entries = bits.int(12)?;
    let mut ids = Vec::new();
    let mut last = 0u64;
    for _ in 0..entries {
        let is_range = bits.bit()?;
        let start = last.checked_add(bits.fibonacci()?)?;
        if is_range {
            let end = start.checked_add(bits.fibonacci()?)?;
            if end - start > 64 {
                return None;
            }
            ids.extend(start..=end);
            last = end;
        } else {
            ids.push(start);
            last = start;
        }
    }
    let sections: Vec<&str> = parts.collect();
    if sections.len() != ids.len() {
        return None;
    }
    let Some(i) = ids.iter().position(|id| *id == USNAT) else {
        return Some(false);
    };
    let core = sections[i].split('.').next()?;
    let bytes = base64url(core)?;
    let mut bits = Bits::new(&bytes);
    if bits.len() < 24 {
        return None;
    }
    let _version = bits.int(6)?;
    bits.pos = 18;
    let sale = bits.int(2)?;
    let sharing = bits.int(2)?;
    Some(sale == 1 || sharing == 1)
}

/// Builders of real-format consent strings (from the specifications' bit layouts), for tests
/// and for writing policy tests of consent rules.
pub mod fixtures {
    use base64::Engine as _;

    use super::USNAT;

    /// Writes big-endian bit fields (the inverse of the decoders' reader).
    #[derive(Default)]
    pub struct BitWriter {
        bits: Vec<bool>,
    }

    impl BitWriter {
        /// Appends `v` in `width` bits, most significant first.
        pub fn int(&mut self, v: u64, width: usize) -> &mut Self {
            for i in (0..width).rev() {
                self.bits.push(i < 64 && v & (1 << i) != 0);
            }
            self
        }
        /// Appends `n` (at least 1) Fibonacci-coded, as GPP does.
        pub fn fibonacci(&mut self, mut n: u64) -> &mut Self {
            let mut fibs = vec![1u64, 2];
            while fibs[fibs.len() - 1] <= n {
                let l = fibs.len();
                fibs.push(fibs[l - 1] + fibs[l - 2]);
            }
            let mut code = vec![false; fibs.len()];
            for i in (0..fibs.len()).rev() {
                if fibs[i] <= n {
                    code[i] = true;
                    n -= fibs[i];
                }
            }
            while code.last() == Some(&false) {
                code.pop();
            }
            self.bits.extend(code);
            self.bits.push(true);
            self
        }
        /// The bits as unpadded base64url, zero-padded to whole bytes.
        pub fn base64url(&self) -> String {
            let mut bytes = vec![0u8; self.bits.len().div_ceil(8)];
            for (i, b) in self.bits.iter().enumerate() {
                if *b {
                    bytes[i / 8] |= 0x80 >> (i % 8);
                }
            }
            base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
        }
    }

    /// A TCF v2 core string with consent for `purposes`.
    pub fn tcf_string(purposes: &[u8]) -> String {
        let mut w = BitWriter::default();
        w.int(2, 6) // version
            .int(16_000_000_000, 36) // created (deciseconds)
            .int(16_000_000_000, 36) // last updated
            .int(7, 12) // CMP id
            .int(1, 12) // CMP version
            .int(1, 6) // consent screen
            .int(u64::from(b'E' - b'A'), 6)
            .int(u64::from(b'N' - b'A'), 6) // language "EN"
            .int(150, 12) // vendor list version
            .int(4, 6) // policy version
            .int(1, 1) // service specific
            .int(0, 1) // non-standard stacks
            .int(0, 12); // special features
        let mut consents = 0u64;
        for p in purposes {
            consents |= 1 << (24 - p);
        }
        w.int(consents, 24) // purpose consents, purpose 1 first
            .int(0, 24) // purpose legitimate interests
            .int(0, 1) // purpose one treatment
            .int(u64::from(b'D' - b'A'), 6)
            .int(u64::from(b'E' - b'A'), 6) // publisher country
            .int(10, 16) // max vendor id
            .int(0, 1) // bitfield encoding
            .int(0b1010101010, 10); // vendor consents
        w.base64url()
    }

    /// A GPP string with one usnat section; `sale`/`sharing` are the 2-bit opt-out values.
    pub fn gpp_usnat(sale: u64, sharing: u64) -> String {
        let mut header = BitWriter::default();
        header
            .int(3, 6)
            .int(1, 6)
            .int(1, 12)
            .int(0, 1)
            .fibonacci(USNAT);
        let mut core = BitWriter::default();
        core.int(1, 6); // version
        for _ in 0..6 {
            core.int(1, 2); // notices
        }
        core.int(sale, 2).int(sharing, 2).int(2, 2); // sale, sharing, targeted advertising
        core.int(0, 32)
            .int(0, 12)
            .int(0, 2)
            .int(0, 2)
            .int(1, 2)
            .int(2, 2)
            .int(2, 2)
            .int(2, 2);
        format!("{}~{}", header.base64url(), core.base64url())
    }
}

#[cfg(test)]
mod tests {
    use super::fixtures::*;
    use super::*;

    #[test]
    fn tcf_purposes_are_read_from_the_core_segment() {
        let p = decode_tcf(&tcf_string(&[1, 8])).unwrap();
        assert!(p.has(1) && p.has(8));
        assert!(!p.has(2) && !p.has(9));
        // Extra segments after the core are ignored.
        let with_segments = format!("{}.IAAA", tcf_string(&[1, 9]));
        assert!(decode_tcf(&with_segments).unwrap().has(9));
        assert_eq!(decode_tcf("not base64!"), None);
        assert_eq!(decode_tcf("CO"), None, "too short");
        let mut v1 = BitWriter::default();
        v1.int(1, 6).int(0, 250);
        assert_eq!(decode_tcf(&v1.base64url()), None, "version 1 is not TCF v2");
    }

    #[test]
    fn us_privacy_strings() {
        assert_eq!(decode_us_privacy("1YNN"), Some(false));
        assert_eq!(decode_us_privacy("1YYN"), Some(true));
        assert_eq!(decode_us_privacy("1NNN"), Some(false));
        assert_eq!(decode_us_privacy("1---"), Some(false));
        assert_eq!(decode_us_privacy("2YYN"), None);
        assert_eq!(decode_us_privacy("1YY"), None);
    }

    #[test]
    fn gpp_usnat_sale_and_sharing_opt_outs() {
        assert_eq!(decode_gpp_usnat(&gpp_usnat(1, 2)), Some(true));
        assert_eq!(decode_gpp_usnat(&gpp_usnat(2, 1)), Some(true));
        assert_eq!(decode_gpp_usnat(&gpp_usnat(2, 2)), Some(false));
        assert_eq!(decode_gpp_usnat(&gpp_usnat(0, 0)), Some(false));
        assert_eq!(
            decode_gpp_usnat("DBABLA~"),
            None,
            "section count does not match"
        );
        assert_eq!(decode_gpp_usnat("%%%"), None);
        // A string as CMPs publish it: usnat only, no opt-outs; then with the sale opt-out set.
        assert_eq!(decode_gpp_usnat("DBABLA~BVQqAAAAAgA.QA"), Some(false));
        assert_eq!(decode_gpp_usnat("DBABLA~BVQaAAAAAgA.QA"), Some(true));
        // A section list without usnat (tcfeuv2 = 2) carries no US opt-out.
        let mut header = BitWriter::default();
        header.int(3, 6).int(1, 6).int(1, 12).int(0, 1).fibonacci(2);
        assert_eq!(
            decode_gpp_usnat(&format!("{}~{}", header.base64url(), tcf_string(&[1]))),
            Some(false)
        );
    }

    fn meta(headers: &[(&'static str, &str)], query: Option<&str>) -> RequestMeta {
        let mut m = RequestMeta::default();
        for (k, v) in headers {
            m.headers.append(*k, v.parse().unwrap());
        }
        m.query = query.map(str::to_owned);
        m
    }

    #[test]
    fn gpc_counts_only_for_exactly_one() {
        for (value, want) in [("1", true), (" 1 ", true), ("0", false), ("true", false)] {
            assert_eq!(
                RequestSignals::read(&meta(&[("sec-gpc", value)], None)).gpc,
                want,
                "{value:?}"
            );
        }
    }

    #[test]
    fn signals_come_from_headers_cookies_and_parameters() {
        let s = RequestSignals::read(&meta(&[("cookie", "usprivacy=1YYN")], None));
        assert_eq!(s.us_privacy, Decoded::Valid(true));
        let s = RequestSignals::read(&meta(&[], Some("us_privacy=1NYN")));
        assert_eq!(s.us_privacy, Decoded::Valid(true));
        let s = RequestSignals::read(&meta(&[("us-privacy", "bogus")], None));
        assert_eq!(s.us_privacy, Decoded::Invalid);
        assert_eq!(s.invalid(), vec!["us_privacy"]);
        let cookie = format!("euconsent-v2={}", tcf_string(&[1, 8]));
        let s = RequestSignals::read(&meta(&[("cookie", cookie.as_str())], None));
        assert!(matches!(s.tcf, Tcf::Purposes(p) if p.has(8)));
        let s = RequestSignals::read(&meta(&[], Some("gdpr=1")));
        assert_eq!(s.tcf, Tcf::Missing);
        let s = RequestSignals::read(&meta(&[("cookie", cookie.as_str())], Some("gdpr=0")));
        assert_eq!(s.tcf, Tcf::NotApplicable);
        let s = RequestSignals::read(&meta(&[], Some("gdpr=1&gdpr_consent=%21%21")));
        assert_eq!(s.tcf, Tcf::Invalid);
        let q = format!("gpp={}", gpp_usnat(1, 2));
        assert_eq!(
            RequestSignals::read(&meta(&[], Some(&q))).gpp,
            Decoded::Valid(true)
        );
    }
}
