//! `when:` conditions, compiled: event name, kind, app, field, header, cookie, consent signal and
//! subject state, combined with `all`, `any` and `not`.
//!
//! Evaluation is pure: it reads the event, the request context and the consent signals found at
//! ingress, and never allocates for the common cases.

use serde_json::Value;

use crate::consent::{Decoded, RequestSignals, Signal, Tcf};
use crate::event::scalar_text;
use crate::event::{Event, RequestMeta};
pub use crate::policy::model::{Cmp, Condition, Scalar};
use crate::policy::model::{ConsentPolicy, DEFAULT_TCF_ANY_OF, DEFAULT_TCF_REQUIRED};

impl Scalar {
    fn equals(&self, value: &Value) -> bool {
        match (self, value) {
            (Scalar::Null, Value::Null) => true,
            (Scalar::Bool(a), Value::Bool(b)) => a == b,
            (Scalar::Num(a), v) => number_of(v).is_some_and(|b| b == *a),
            (Scalar::Str(a), Value::String(b)) => a == b,
            (Scalar::Str(a), v @ (Value::Number(_) | Value::Bool(_))) => {
                scalar_text(v).is_some_and(|t| t == a.as_str())
            }
            _ => false,
        }
    }
}

fn number_of(value: &Value) -> Option<f64> {
    match value {
        Value::Number(n) => n.as_f64(),
        Value::String(s) => s.trim().parse::<f64>().ok().filter(|f| f.is_finite()),
        _ => None,
    }
}

impl Cmp {
    /// Tests a value that may be absent.
    pub fn test(&self, value: Option<&Value>) -> bool {
        if let Some(exists) = self.exists {
            let present = value.is_some_and(|v| !v.is_null());
            if present != exists {
                return false;
            }
        }
        let only_exists = self.equals.is_none()
            && self.in_.is_none()
            && self.matches.is_none()
            && self.lt.is_none()
            && self.gt.is_none();
        if only_exists {
            return self.exists.is_some();
        }
        let Some(value) = value else {
            return false;
        };
        if let Some(eq) = &self.equals
            && !eq.equals(value)
        {
            return false;
        }
        if let Some(list) = &self.in_
            && !list.iter().any(|s| s.equals(value))
        {
            return false;
        }
        if let Some(re) = &self.matches
            && !scalar_text(value).is_some_and(|t| re.is_match(&t))
        {
            return false;
        }
        if self.lt.is_some() || self.gt.is_some() {
            let Some(n) = number_of(value) else {
                return false;
            };
            if self.lt.is_some_and(|lt| n >= lt) || self.gt.is_some_and(|gt| n <= gt) {
                return false;
            }
        }
        true
    }

    /// Tests a text value that may be absent (headers, cookies, event names).
    pub fn test_str(&self, text: Option<&str>) -> bool {
        match text {
            Some(t) => self.test(Some(&Value::String(t.to_owned()))),
            None => self.test(None),
        }
    }
}

/// What a condition can look at.
pub struct Input<'a> {
    /// The event.
    pub event: &'a Event,
    /// Request-wide context.
    pub meta: &'a RequestMeta,
    /// Consent signals found in the request.
    pub signals: &'a RequestSignals,
    /// The consent settings of the policy being evaluated (TCF purposes, consent cookies).
    pub consent: Option<&'a ConsentPolicy>,
}

/// True when `signal` says "no" for this event under the policy's consent settings.
/// Strings that do not decode count as "no" (fail closed).
pub fn signal_holds(signal: Signal, input: &Input<'_>) -> bool {
    let s = input.signals;
    match signal {
        Signal::Gpc => s.gpc,
        Signal::Dnt => s.dnt,
        Signal::UsPrivacy => matches!(s.us_privacy, Decoded::Valid(true) | Decoded::Invalid),
        Signal::Gpp => matches!(s.gpp, Decoded::Valid(true) | Decoded::Invalid),
        Signal::Tcf => {
            let (required, any_of) = input
                .consent
                .map(|c| (&c.tcf_required[..], &c.tcf_any_of[..]))
                .unwrap_or((DEFAULT_TCF_REQUIRED, DEFAULT_TCF_ANY_OF));
            match s.tcf {
                Tcf::NotApplicable => false,
                Tcf::Missing | Tcf::Invalid => true,
                Tcf::Purposes(p) => {
                    let consented = required.iter().all(|n| p.has(*n))
                        && (any_of.is_empty() || any_of.iter().any(|n| p.has(*n)));
                    !consented
                }
            }
        }
        Signal::Cookie => input.consent.is_some_and(|c| {
            c.cookies.iter().any(|(name, re)| {
                input.meta.cookie(name).is_some_and(|v| {
                    re.is_match(&percent_encoding::percent_decode_str(v).decode_utf8_lossy())
                })
            })
        }),
        Signal::Field => input
            .consent
            .and_then(|c| c.field.as_ref())
            .is_some_and(|f| f.eval(input)),
    }
}

impl Condition {
    /// True when the condition looks at the subject's registry state (opted out, child).
    pub fn uses_subject(&self) -> bool {
        match self {
            Condition::OptedOut | Condition::Child => true,
            Condition::All(list) | Condition::Any(list) => list.iter().any(Condition::uses_subject),
            Condition::Not(c) => c.uses_subject(),
            Condition::Event(_)
            | Condition::Kind(_)
            | Condition::App(_)
            | Condition::Field(..)
            | Condition::Header(..)
            | Condition::Cookie(..)
            | Condition::Signal(_) => false,
        }
    }

    /// True when the condition holds for this event.
    pub fn eval(&self, input: &Input<'_>) -> bool {
        match self {
            Condition::Event(cmp) => match input.event.fields.get("event") {
                Some(v) => cmp.test(Some(v)),
                None => cmp.test(None),
            },
            Condition::Kind(set) => set.contains(input.event.kind),
            Condition::App(cmp) => cmp.test(input.event.fields.get("app_id")),
            Condition::Field(selector, cmp) => {
                let mut any = false;
                let found = selector.any(&input.event.fields, &mut |v| {
                    any = true;
                    cmp.test(Some(v))
                });
                if any { found } else { cmp.test(None) }
            }
            Condition::Header(name, cmp) => {
                // A header sent twice: the condition holds if any of its values satisfies it.
                let mut values = input.meta.headers.get_all(name.as_str()).iter().peekable();
                if values.peek().is_none() {
                    return cmp.test(None);
                }
                values.any(|v| cmp.test_str(Some(v.to_str().unwrap_or(""))))
            }
            Condition::Cookie(name, cmp) => cmp.test_str(input.meta.cookie(name)),
            Condition::Signal(signal) => signal_holds(*signal, input),
            Condition::OptedOut => input.event.subject.opted_out.is_some(),
            Condition::Child => input.event.subject.child,
            Condition::All(list) => list.iter().all(|c| c.eval(input)),
            Condition::Any(list) => list.iter().any(|c| c.eval(input)),
            Condition::Not(c) => !c.eval(input),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn comparisons() {
        let cmp = Cmp {
            lt: Some(13.0),
            ..Cmp::default()
        };
        assert!(cmp.test(Some(&json!(11))));
        assert!(cmp.test(Some(&json!("12"))));
        assert!(!cmp.test(Some(&json!(13))));
        assert!(!cmp.test(Some(&json!("eleven"))));
        assert!(!cmp.test(None));
        let exists = Cmp {
            exists: Some(false),
            ..Cmp::default()
        };
        assert!(exists.test(None));
        assert!(!exists.test(Some(&json!("x"))));
        let eq = Cmp {
            equals: Some(Scalar::Str("42".into())),
            ..Cmp::default()
        };
        assert!(eq.test(Some(&json!(42))));
        let within = Cmp {
            in_: Some(vec![Scalar::Str("a".into()), Scalar::Num(2.0)]),
            ..Cmp::default()
        };
        assert!(within.test(Some(&json!(2))));
        assert!(!within.test(Some(&json!("b"))));
    }
}
