//! Compiled policy types that the compiler builds and the condition evaluator and engine read:
//! conditions and consent settings. Types only; what they do lives in `condition` and `engine`.

use regex::Regex;

use crate::consent::Signal;
use crate::event::KindSet;
use crate::policy::select::Selector;

/// What a policy does for opted-out subjects.
#[derive(Debug)]
pub struct ConsentPolicy {
    /// Request signals that opt out.
    pub signals: Vec<Signal>,
    /// Whether the subject registry counts (`registry` in `opt_out_when`).
    pub registry: bool,
    /// Drop (default) or anonymize.
    pub on_opt_out: OnOptOut,
    /// Fields removed when anonymizing.
    pub anonymize: Vec<Selector>,
    /// TCF purposes that must all have consent.
    pub tcf_required: Vec<u8>,
    /// TCF purposes of which one must have consent (none listed: no such requirement).
    pub tcf_any_of: Vec<u8>,
    /// Consent cookies: name and a regex (on the percent-decoded value) that means "no".
    pub cookies: Vec<(String, Regex)>,
    /// Server-side opt-out: a condition on the event.
    pub field: Option<Condition>,
    /// Declares the subject a child (COPPA).
    pub child_when: Option<Condition>,
    /// A parent consented: not treated as a child.
    pub parental_consent_when: Option<Condition>,
}

/// TCF purposes required by default: storage and access on a device.
pub const DEFAULT_TCF_REQUIRED: &[u8] = &[1];
/// TCF purposes of which one is required by default: content measurement or audience research.
pub const DEFAULT_TCF_ANY_OF: &[u8] = &[8, 9];

/// What happens to an opted-out subject's events.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OnOptOut {
    /// The event is removed.
    Drop,
    /// Identity, ids, IP and device ids are removed; the event is kept.
    Anonymize,
}

/// A compiled condition.
#[derive(Debug, Clone)]
pub enum Condition {
    /// The event name.
    Event(Cmp),
    /// The event kind.
    Kind(KindSet),
    /// The app id.
    App(Cmp),
    /// Any value the selector finds (or none, for `exists: false`).
    Field(Selector, Cmp),
    /// A request header (name lowercased).
    Header(String, Cmp),
    /// A request cookie.
    Cookie(String, Cmp),
    /// A consent signal says "no" (under the policy's consent settings).
    Signal(Signal),
    /// The subject is opted out.
    OptedOut,
    /// The subject is a child.
    Child,
    /// All hold.
    All(Vec<Condition>),
    /// At least one holds.
    Any(Vec<Condition>),
    /// Does not hold.
    Not(Box<Condition>),
}

/// A scalar compared against.
#[derive(Debug, Clone, PartialEq)]
pub enum Scalar {
    /// Text, compared exactly.
    Str(String),
    /// A number, compared numerically (numeric strings count).
    Num(f64),
    /// A boolean.
    Bool(bool),
    /// null.
    Null,
}

/// A comparison; every part that is set must hold.
#[derive(Debug, Clone, Default)]
pub struct Cmp {
    /// Equal to this.
    pub equals: Option<Scalar>,
    /// Equal to one of these.
    pub in_: Option<Vec<Scalar>>,
    /// The text form matches.
    pub matches: Option<Regex>,
    /// Present (true) or absent (false).
    pub exists: Option<bool>,
    /// Numerically less than.
    pub lt: Option<f64>,
    /// Numerically greater than.
    pub gt: Option<f64>,
}
