//! Validation (DESIGN §4.A): every problem of a model at once, each with a stable code, a JSON
//! Pointer and the entities involved.
//!
//! One file per family of checks: `references` (IDs and what they name), `values` (estimates,
//! coordinates, impact scales, the organization), `people` (sites, contacts, teams, vendors),
//! `functions` (objectives and impact curves), `assets` (assets and redundancy groups),
//! `governance` (risks, plans, exercises, changes, assessments) and `cycles`. Each family is a
//! set of methods of one `Checker`, run section by section in document order.
//!
//! Invariant: every finding's path points into the document; findings are sorted by section and
//! entity at the end, and within an entity keep the order its checks ran in.

mod assets;
mod cycles;
mod functions;
mod governance;
mod people;
mod references;
mod values;

use std::collections::HashSet;
use std::fmt;

use rustc_hash::FxHashMap;

use serde::Serialize;

use crate::finding::{Code, Finding, Pointer, Severity, sort_findings};
use crate::model::{Format, Model, load_document};

use references::EntityKind;

/// The result of validating a model: every finding, in document order.
///
/// Serialises as `{"valid", "errors", "warnings", "findings": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Validation {
    /// Every finding, errors and warnings, ordered by section and entity.
    pub findings: Vec<Finding>,
}

impl Validation {
    /// Whether the model has no errors (warnings allowed).
    pub fn is_valid(&self) -> bool {
        !self.findings.iter().any(Finding::is_error)
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_error())
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
    }
}

impl Serialize for Validation {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("valid", &self.is_valid())?;
        map.serialize_entry("errors", &self.errors().count())?;
        map.serialize_entry("warnings", &self.warnings().count())?;
        map.serialize_entry("findings", &self.findings)?;
        map.end()
    }
}

/// A document read once: its model, ready for analysis, and every finding.
#[derive(Debug)]
pub struct Document {
    /// The model and its analysis session, when every entity could be built (with structural
    /// findings, the fields that were wrong are left out).
    pub analyzer: Option<crate::Analyzer<'static>>,
    /// Every finding: the structural ones of loading and the semantic ones of validation.
    pub validation: Validation,
}

/// Loads and validates a document once: the structural findings of loading, then — when every
/// entity could be built — the findings of validation, on the graph the analyses will use. What
/// `bcm` reports before every analysis.
///
/// ```
/// use bcm_core::{Format, read_document};
/// let d = read_document(
///     "bcm: 1\norganization: {name: x}\nfunctions: [{id: pay, rto: 1d, depends_on: [db]}]\n",
///     Format::Yaml,
/// );
/// assert_eq!(d.validation.errors().count(), 1); // E-REF: db does not exist
/// let analyzer = d.analyzer.unwrap(); // the analyses still run on what is sound
/// assert_eq!(analyzer.objectives(&Default::default()).nodes[0].required, Some(86_400));
/// ```
pub fn read_document(text: &str, format: Format) -> Document {
    let loaded = load_document(text, format);
    let mut findings = loaded.findings;
    let analyzer = loaded.model.map(crate::Analyzer::new);
    if let Some(analyzer) = &analyzer {
        let structural: HashSet<String> = findings.iter().map(|f| f.path.clone()).collect();
        // A field that failed to load is absent from the model; do not also report it as missing
        // (W-NO-RTO after E-DURATION on the same `rto`), nor its placeholder as a bad reference.
        let semantic = analyzer.validate().findings.into_iter().filter(|f| {
            !structural.contains(&f.path)
                && !structural.iter().any(|s| {
                    s.starts_with(&format!("{}/", f.path)) && f.path.matches('/').count() >= 3
                })
        });
        findings.extend(semantic);
    }
    sort_findings(&mut findings);
    Document {
        analyzer,
        validation: Validation { findings },
    }
}

/// Loads and validates a document (see [`read_document`]): what `bcm validate` reports.
///
/// ```
/// use bcm_core::{Format, validate_document};
/// let v = validate_document(
///     "bcm: 1\norganization: {name: x}\nfunctions: [{id: pay, rto: 4 hours, depends_on: [db]}]\n",
///     Format::Yaml,
/// );
/// let codes: Vec<(&str, &str)> =
///     v.findings.iter().map(|f| (f.code.as_str(), f.path.as_str())).collect();
/// assert!(codes.contains(&("E-DURATION", "/functions/0/rto")));
/// assert!(codes.contains(&("E-REF", "/functions/0/depends_on/0")));
/// ```
pub fn validate_document(text: &str, format: Format) -> Validation {
    read_document(text, format).validation
}

/// One validation run: the model, the findings so far, and what the reference checks learn for
/// the cycle check.
struct Checker<'m> {
    analyzer: &'m crate::Analyzer<'m>,
    model: &'m Model,
    findings: Vec<Finding>,
    /// First definition of each ID, with its dependency-graph node (functions, then assets, then
    /// vendors, as in [`crate::DependencyGraph`]) or `references::NOT_A_NODE`.
    registry: FxHashMap<&'m str, (EntityKind, u32)>,
    /// Dependency edges (from node, to node) met while checking references, so that the cycle
    /// check needs neither a second round of lookups nor the full graph when there is no cycle.
    edges: Vec<(u32, u32)>,
    /// Whether some ID is defined twice; the cycle check then defers to the full graph.
    duplicate_ids: bool,
}

impl Model {
    /// Validates the model: IDs, references, ranges, redundancy groups, impact curves, objectives,
    /// cycles, and the completeness warnings of DESIGN §4.A. Never stops at the first problem.
    ///
    /// ```
    /// let m = bcm_core::Model::from_yaml_str(
    ///     "bcm: 1\norganization: {name: x}\n\
    ///      functions: [{id: pay, owner: cfo, rto: 1d, mtd: 12h, depends_on: [hr-dbb]}]\n",
    /// )?;
    /// let v = m.validate();
    /// let codes: Vec<&str> = v.errors().map(|f| f.code.as_str()).collect();
    /// assert_eq!(codes, ["E-REF", "E-REF", "E-RTO-MTD"]);
    /// assert_eq!(
    ///     v.errors().nth(2).unwrap().message,
    ///     "function 'pay' has an RTO of 1d, later than its MTD of 12h"
    /// );
    /// # Ok::<(), bcm_core::ModelError>(())
    /// ```
    ///
    /// Complexity: linear in the size of the model (the cycle search is iterative Kosaraju).
    pub fn validate(&self) -> Validation {
        crate::Analyzer::borrowed(self).validate()
    }
}

/// Validates the analyzer's model; a cycle is named on the analyzer's graph.
pub(crate) fn validate_with(analyzer: &crate::Analyzer<'_>) -> Validation {
    let mut checker = Checker {
        analyzer,
        model: analyzer.model(),
        findings: Vec::new(),
        registry: FxHashMap::default(),
        edges: Vec::new(),
        duplicate_ids: false,
    };
    checker.version();
    checker.identifiers();
    checker.organization();
    checker.sites();
    checker.contacts();
    checker.teams();
    checker.vendors();
    checker.functions();
    checker.assets();
    checker.risks();
    checker.scenarios();
    checker.plans();
    checker.exercises();
    checker.changes();
    checker.assessments();
    checker.cycles();
    let mut findings = checker.findings;
    sort_findings(&mut findings);
    Validation { findings }
}

/// Names an entity in messages (`asset 'hr-db'`), formatted only when a finding needs it.
struct Who<'a>(&'static str, &'a str);

impl fmt::Display for Who<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} '{}'", self.0, self.1)
    }
}

type Owner<'a> = &'a dyn fmt::Display;

fn section(name: &str, index: usize) -> Pointer {
    Pointer::root().key(name).index(index)
}

fn range_ok(x: f64, low: f64, high: f64) -> bool {
    x.is_finite() && x >= low && x <= high
}

impl<'m> Checker<'m> {
    fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    fn report<I, S>(&mut self, code: Code, path: &Pointer, message: String, entities: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.push(Finding::new(code, path.as_str(), message).with_entities(entities));
    }

    fn version(&mut self) {
        if self.model.version != crate::model::FORMAT_VERSION {
            let message = format!(
                "this library reads format version {}; the model says {}",
                crate::model::FORMAT_VERSION,
                self.model.version
            );
            self.report(Code::Version, &Pointer::root().key("bcm"), message, [""; 0]);
        }
    }
}
