//! Diagnostics for files people write by hand: policies, policy tests and the server config.
//!
//! A [`Diagnostic`] says where (`file:line:col`), what went wrong and, where we can tell, what
//! to do instead. It renders like a compiler message: the `file:line:col: message` line that
//! editors and CI logs understand, then the offending source line with a caret under the span.
//! This module only formats; finding the mistakes is the job of the readers that use it.

use std::fmt;
use std::sync::Arc;

/// A position in a source file (1-based line and column, counted in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Loc {
    /// 1-based line; 0 when unknown.
    pub line: u32,
    /// 1-based column in characters; 0 when unknown.
    pub col: u32,
    /// Length of the span in characters (at least 1 when known).
    pub len: u32,
}

impl Loc {
    /// A location that points nowhere in particular (used for whole-file problems).
    pub const UNKNOWN: Loc = Loc {
        line: 0,
        col: 0,
        len: 0,
    };
}

/// How bad a diagnostic is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The file cannot be used.
    Error,
    /// The file works, but probably not as its author meant.
    Warning,
}

/// One message about one place in a file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    /// Error or warning.
    pub severity: Severity,
    /// Where it is.
    pub loc: Loc,
    /// What went wrong, in one sentence.
    pub message: String,
    /// What to do about it, when we know ("did you mean `fields`?").
    pub help: Option<String>,
}

impl Diagnostic {
    /// An error at `loc`.
    pub fn error(loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Error,
            loc,
            message: message.into(),
            help: None,
        }
    }

    /// A warning at `loc`.
    pub fn warning(loc: Loc, message: impl Into<String>) -> Self {
        Diagnostic {
            severity: Severity::Warning,
            loc,
            message: message.into(),
            help: None,
        }
    }

    /// Adds a hint on how to fix it.
    pub fn with_help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

/// A source file: its display name and text, shared by all diagnostics about it.
#[derive(Debug, Clone)]
pub struct Source {
    /// Name as shown to users (a path, or `<embedded>/gdpr.yaml` for shipped policies).
    pub name: Arc<str>,
    /// The whole text.
    pub text: Arc<str>,
}

impl Source {
    /// Wraps a name and a text.
    pub fn new(name: impl Into<Arc<str>>, text: impl Into<Arc<str>>) -> Self {
        Source {
            name: name.into(),
            text: text.into(),
        }
    }

    fn line(&self, line: u32) -> Option<&str> {
        if line == 0 {
            return None;
        }
        self.text.lines().nth(line as usize - 1)
    }
}

/// Diagnostics about one file, rendered together.
#[derive(Debug, Clone)]
pub struct Report {
    /// The file they are about.
    pub source: Source,
    /// In file order.
    pub diagnostics: Vec<Diagnostic>,
}

impl Report {
    /// True when any diagnostic is an error.
    pub fn has_errors(&self) -> bool {
        self.diagnostics
            .iter()
            .any(|d| d.severity == Severity::Error)
    }

    /// Number of errors.
    pub fn error_count(&self) -> usize {
        self.diagnostics
            .iter()
            .filter(|d| d.severity == Severity::Error)
            .count()
    }

    /// Number of warnings.
    pub fn warning_count(&self) -> usize {
        self.diagnostics.len() - self.error_count()
    }
}

impl fmt::Display for Report {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, d) in self.diagnostics.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            render(f, &self.source, d)?;
        }
        Ok(())
    }
}

impl std::error::Error for Report {}

fn render(f: &mut fmt::Formatter<'_>, source: &Source, d: &Diagnostic) -> fmt::Result {
    let level = match d.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
    };
    if d.loc.line == 0 {
        write!(f, "{}: {level}: {}", source.name, d.message)?;
    } else {
        write!(
            f,
            "{}:{}:{}: {level}: {}",
            source.name, d.loc.line, d.loc.col, d.message
        )?;
    }
    if let Some(text) = source.line(d.loc.line) {
        let number = d.loc.line.to_string();
        let pad = " ".repeat(number.len());
        let shown: String = text.replace('\t', " ");
        write!(f, "\n {pad} |\n {number} | {shown}\n {pad} | ")?;
        let col = d.loc.col.max(1) as usize - 1;
        let line_len = shown.chars().count();
        let len = (d.loc.len.max(1) as usize).min(line_len.saturating_sub(col).max(1));
        write!(f, "{}{}", " ".repeat(col), "^".repeat(len))?;
        if let Some(help) = &d.help {
            write!(f, " {help}")?;
        }
    } else if let Some(help) = &d.help {
        write!(f, "\n  = help: {help}")?;
    }
    Ok(())
}

/// The closest candidate to `input`, if it is close enough to be a likely typo.
pub fn did_you_mean<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let lower = input.to_ascii_lowercase();
    candidates
        .into_iter()
        .map(|c| (strsim::jaro_winkler(&lower, &c.to_ascii_lowercase()), c))
        .filter(|(score, _)| *score >= 0.8)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, c)| c)
}

/// `did you mean `x`?` for the closest candidate, if any.
pub fn suggestion<'a>(
    input: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<String> {
    did_you_mean(input, candidates).map(|c| format!("did you mean `{c}`?"))
}

/// An error and its causes on one line (a TLS or connection failure is a few levels down).
pub fn error_chain(e: &dyn std::error::Error) -> String {
    let mut text = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

/// Why a file could not be read, in the words the CLI uses elsewhere (without the
/// `(os error 2)` suffix).
pub fn io_reason(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::NotFound => "no such file or folder".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        std::io::ErrorKind::IsADirectory => "is a folder, not a file".to_owned(),
        _ => error.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_location_line_and_caret() {
        let source = Source::new("p.yaml", "policy: x\nrules:\n  - feilds: [a]\n");
        let report = Report {
            source,
            diagnostics: vec![
                Diagnostic::error(
                    Loc {
                        line: 3,
                        col: 5,
                        len: 6,
                    },
                    "unknown key `feilds` in a rule",
                )
                .with_help("did you mean `fields`?"),
            ],
        };
        let text = report.to_string();
        assert_eq!(
            text,
            "p.yaml:3:5: error: unknown key `feilds` in a rule\n   |\n 3 |   - feilds: [a]\n   |     ^^^^^^ did you mean `fields`?"
        );
    }

    #[test]
    fn suggests_only_close_names() {
        assert_eq!(
            did_you_mean("feilds", ["fields", "when", "action"]),
            Some("fields")
        );
        assert_eq!(did_you_mean("zzz", ["fields", "when", "action"]), None);
    }
}
