//! Findings: what loading and validation report, with stable codes (DESIGN §4.A).

use std::fmt;

use serde::{Serialize, Serializer};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// The model is wrong; analyses that depend on the broken part cannot run.
    Error,
    /// The model is incomplete or doubtful.
    Warning,
}

impl Severity {
    /// `error` or `warning`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl Serialize for Severity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

macro_rules! codes {
    ($($(#[$meta:meta])* $variant:ident = $text:literal, $severity:ident;)+) => {
        /// A finding's stable code. GRC tools key on these: never rename one.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum Code {
            $($(#[$meta])* $variant,)+
        }

        impl Code {
            /// Every code, in documentation order.
            pub const ALL: &'static [Code] = &[$(Code::$variant,)+];

            /// The code as written in results (`E-REF`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $text,)+
                }
            }

            /// The severity findings with this code have.
            pub fn severity(self) -> Severity {
                match self {
                    $(Code::$variant => Severity::$severity,)+
                }
            }
        }
    };
}

codes! {
    /// The text is not well-formed YAML or JSON.
    Parse = "E-PARSE", Error;
    /// The document is larger or deeper than the loader accepts.
    Limit = "E-LIMIT", Error;
    /// `bcm:` is missing or names a version this library does not read.
    Version = "E-VERSION", Error;
    /// A key the format does not define.
    UnknownField = "E-UNKNOWN-FIELD", Error;
    /// A value of the wrong type (a list where a text is expected).
    Type = "E-TYPE", Error;
    /// A required key is missing.
    Missing = "E-MISSING", Error;
    /// An identifier that is missing or not `[A-Za-z0-9._:-]{1,128}`.
    Id = "E-ID", Error;
    /// Two entities share an identifier.
    DupId = "E-DUP-ID", Error;
    /// A reference to an identifier that does not exist.
    Ref = "E-REF", Error;
    /// A reference to an entity of the wrong kind.
    RefKind = "E-REF-KIND", Error;
    /// A text that is not a duration.
    Duration = "E-DURATION", Error;
    /// A text that is not a date.
    Date = "E-DATE", Error;
    /// A value outside what the field allows.
    Range = "E-RANGE", Error;
    /// A redundancy group that cannot work as declared.
    Group = "E-GROUP", Error;
    /// Impact steps out of order or decreasing.
    Impact = "E-IMPACT", Error;
    /// `rto` later than `mtd`.
    RtoMtd = "E-RTO-MTD", Error;
    /// `rto + wrt` later than `mtd`.
    RtoWrtMtd = "E-RTO-WRT-MTD", Error;
    /// A circular dependency.
    Cycle = "E-CYCLE", Error;
    /// A function without an RTO.
    NoRto = "W-NO-RTO", Warning;
    /// An asset or vendor without `restore`, or a function without `resume`.
    NoRestore = "W-NO-RESTORE", Warning;
    /// A function, asset or plan without an owner.
    NoOwner = "W-NO-OWNER", Warning;
    /// A critical function no plan covers.
    NoPlan = "W-NO-PLAN", Warning;
    /// A contact without a valid alternate.
    Alternate = "W-ALTERNATE", Warning;
    /// An MTD later than the time the impact curve reaches the organization's tolerance.
    MtdAboveBia = "W-MTD-ABOVE-BIA", Warning;
}

impl fmt::Display for Code {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

/// One problem found in a model.
///
/// Serialises as `{severity, code, path, message, entities}`, plus `line` and `column` for a
/// parse error.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// Error or warning (always `code.severity()`).
    pub severity: Severity,
    /// The stable code.
    pub code: Code,
    /// A JSON Pointer to the offending place (`/functions/3/rto`).
    pub path: String,
    /// What is wrong, in a continuity manager's words.
    pub message: String,
    /// The IDs of the entities involved.
    pub entities: Vec<String>,
    /// 1-based line of a parse error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// 1-based column of a parse error.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<u64>,
}

impl Finding {
    /// A finding with `code` at `path`.
    pub fn new(code: Code, path: impl Into<String>, message: impl Into<String>) -> Self {
        Finding {
            severity: code.severity(),
            code,
            path: path.into(),
            message: message.into(),
            entities: Vec::new(),
            line: None,
            column: None,
        }
    }

    /// The same finding naming `entities`.
    pub fn with_entities<I, S>(mut self, entities: I) -> Self
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.entities = entities.into_iter().map(Into::into).collect();
        self
    }

    /// Whether it is an error.
    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "/"
        } else {
            &self.path
        };
        write!(f, "{} {} {path}", self.severity.as_str(), self.code)?;
        if let (Some(line), Some(column)) = (self.line, self.column) {
            write!(f, " (line {line}, column {column})")?;
        }
        write!(f, ": {}", self.message)
    }
}

/// A JSON Pointer (RFC 6901) being built while walking a document.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Pointer(String);

impl Pointer {
    pub(crate) fn root() -> Self {
        Pointer(String::new())
    }

    pub(crate) fn key(&self, key: &str) -> Self {
        let mut out = String::with_capacity(self.0.len() + key.len() + 1);
        out.push_str(&self.0);
        out.push('/');
        for c in key.chars() {
            match c {
                '~' => out.push_str("~0"),
                '/' => out.push_str("~1"),
                c => out.push(c),
            }
        }
        Pointer(out)
    }

    pub(crate) fn index(&self, index: usize) -> Self {
        Pointer(format!("{}/{index}", self.0))
    }

    pub(crate) fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Pointer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Orders findings for output: by top-level section in format order, then by entity index, then
/// in the order the checks found them. Stable, so equal keys keep the checks' order.
pub(crate) fn sort_findings(findings: &mut [Finding]) {
    const SECTIONS: &[&str] = crate::model::Model::KEYS;
    findings.sort_by_cached_key(|finding| {
        let mut segments = finding.path.split('/').skip(1);
        let section = segments
            .next()
            .and_then(|s| SECTIONS.iter().position(|name| *name == s))
            .unwrap_or(SECTIONS.len());
        let index = segments
            .next()
            .and_then(|s| s.parse::<usize>().ok())
            .unwrap_or(0);
        (section, index)
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointer_escapes_per_rfc_6901() {
        let p = Pointer::root().key("attributes").key("a/b~c").index(3);
        assert_eq!(p.as_str(), "/attributes/a~1b~0c/3");
    }

    #[test]
    fn codes_are_the_published_ones() {
        let published: Vec<&str> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(
            published,
            [
                "E-PARSE",
                "E-LIMIT",
                "E-VERSION",
                "E-UNKNOWN-FIELD",
                "E-TYPE",
                "E-MISSING",
                "E-ID",
                "E-DUP-ID",
                "E-REF",
                "E-REF-KIND",
                "E-DURATION",
                "E-DATE",
                "E-RANGE",
                "E-GROUP",
                "E-IMPACT",
                "E-RTO-MTD",
                "E-RTO-WRT-MTD",
                "E-CYCLE",
                "W-NO-RTO",
                "W-NO-RESTORE",
                "W-NO-OWNER",
                "W-NO-PLAN",
                "W-ALTERNATE",
                "W-MTD-ABOVE-BIA",
            ]
        );
        for code in Code::ALL {
            let expected = if code.as_str().starts_with("E-") {
                Severity::Error
            } else {
                Severity::Warning
            };
            assert_eq!(code.severity(), expected);
        }
    }

    #[test]
    fn finding_serialises_in_the_published_shape() {
        let f = Finding::new(Code::Ref, "/functions/0/depends_on/0", "missing")
            .with_entities(["payroll", "hr-dbb"]);
        assert_eq!(
            serde_json::to_value(&f).unwrap(),
            serde_json::json!({
                "severity": "error", "code": "E-REF", "path": "/functions/0/depends_on/0",
                "message": "missing", "entities": ["payroll", "hr-dbb"]
            })
        );
    }
}
