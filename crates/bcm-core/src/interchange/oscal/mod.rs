//! OSCAL 1.1.3 documents of bcm's findings: assessment results ([`assessment_results`]) and a
//! plan of action and milestones ([`poam`]).
//!
//! Mapping (README "OSCAL"): each conformance requirement is a control (`ma-ebcm-5.a`), judged by
//! a finding that targets its statement (`ma-ebcm-5.a_smt`); each BCD-12.2 maturity criterion is
//! an objective of control `bcd-12.2` (`bcd-12.2_obj.L1.1`); every finding has one observation
//! carrying its evidence; objective gaps and the single points of failure of critical functions
//! are risks. bcm's own figures are props in the namespace [`NAMESPACE`].
//!
//! Identifiers are UUID v5, derived from the model's content and the date, so an unchanged model
//! exports byte-identical documents, and the assessment results and the POA&M of one model at one
//! date share their findings' and risks' identifiers.

mod poam;
mod results;

pub(crate) use poam::poam;
pub(crate) use results::assessment_results;

use serde_json::{Map, Value, json};
use uuid::Uuid;

use crate::Analyzer;
use crate::conformance::{Conformance, Outcome, RequirementResult};
use crate::currency::{Currency, CurrencyParams};
use crate::maturity::{CriterionResult, Maturity, MaturityParams, Source};
use crate::model::Date;
use crate::objectives::{Gap, GapFigures, Objectives};
use crate::spof::{Spof, UnitRank};

use super::ExportError;

/// The OSCAL version the documents conform to (checked with compliance-trestle 3.12.4).
pub const OSCAL_VERSION: &str = "1.1.3";

/// The namespace of bcm's props.
pub const NAMESPACE: &str = "https://example.invalid/bcm/ns/oscal";

/// The control bcm's maturity criteria belong to, as an OSCAL control ID.
const MATURITY_CONTROL: &str = "bcd-12.2";

/// Everything an OSCAL document is written from, computed once.
#[derive(Debug)]
pub(crate) struct Facts<'a> {
    pub(crate) analyzer: &'a Analyzer<'a>,
    pub(crate) at: Date,
    pub(crate) conformance: Conformance,
    pub(crate) maturity: Maturity,
    pub(crate) objectives: Objectives,
    pub(crate) spof: Spof,
    /// Units taking down at least one critical function, most critical first.
    pub(crate) critical_spofs: Vec<UnitRank>,
    pub(crate) currency: Currency,
    pub(crate) ids: Ids,
    pub(crate) notes: Vec<String>,
    /// The functions marked critical.
    critical: rustc_hash::FxHashSet<String>,
}

impl<'a> Facts<'a> {
    pub(crate) fn gather(
        analyzer: &'a Analyzer<'a>,
        at: Date,
        conformance: Conformance,
    ) -> Result<Self, ExportError> {
        let maturity = analyzer.maturity(&MaturityParams::at(at))?;
        let currency = analyzer
            .currency(&CurrencyParams::at(at))
            .map_err(|_| ExportError::NoDate { format: "oscal" })?;
        let spof = analyzer.spof(&Default::default());
        let critical_spofs = spof
            .ranking()
            .into_iter()
            .filter(|r| r.critical > 0)
            .collect();
        let ids = Ids::new(&analyzer.model().to_json()?, at);
        Ok(Facts {
            analyzer,
            at,
            conformance,
            maturity,
            objectives: analyzer.objectives(&Default::default()),
            spof,
            critical_spofs,
            currency,
            ids,
            notes: Vec::new(),
            critical: crate::governance::critical_functions(analyzer.model())
                .into_iter()
                .map(str::to_owned)
                .collect(),
        })
    }

    /// The date as an OSCAL timestamp: midnight UTC of a day, an instant as written.
    pub(crate) fn timestamp(&self) -> String {
        timestamp(self.at)
    }

    pub(crate) fn organization(&self) -> &str {
        let name = self.analyzer.model().organization.name.trim();
        if name.is_empty() {
            "the organization"
        } else {
            name
        }
    }

    /// Gaps as risks, in node order then gap order; `G-MEASURED` only qualifies a `G-RTO`.
    pub(crate) fn gaps(&self) -> impl Iterator<Item = (&str, &'static str, GapFigures)> + '_ {
        self.objectives.nodes.iter().flat_map(|node| {
            node.figures
                .iter()
                .filter(|f| f.gap != Gap::Measured)
                .map(move |f| (node.id.as_str(), node.kind, *f))
        })
    }

    pub(crate) fn requirement_uuid(&self, r: &RequirementResult) -> String {
        self.ids
            .of(&format!("finding/{}/{}", self.conformance.profile, r.id))
    }

    pub(crate) fn criterion_uuid(&self, c: &CriterionResult) -> String {
        self.ids
            .of(&format!("finding/{}/{}", self.maturity.control, c.id))
    }

    pub(crate) fn gap_uuid(&self, node: &str, gap: Gap) -> String {
        self.ids.of(&format!("risk/{}/{}", gap.as_str(), node))
    }

    /// The finding of a requirement (`id` as the profile writes it: `9`).
    pub(crate) fn finding_of_clause(&self, clause: &str) -> Option<&RequirementResult> {
        let requirement = clause.split('(').next().unwrap_or(clause);
        self.conformance
            .requirements
            .iter()
            .find(|r| r.id == clause)
            .or_else(|| {
                self.conformance
                    .requirements
                    .iter()
                    .find(|r| r.id == requirement)
            })
    }

    pub(crate) fn is_critical(&self, function: &str) -> bool {
        self.critical.contains(function)
    }
}

/// Deterministic UUIDs: v5 under a root derived from the model's JSON and the date.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ids {
    root: Uuid,
}

impl Ids {
    pub(crate) fn new(model_json: &str, at: Date) -> Self {
        let namespace = Uuid::new_v5(&Uuid::NAMESPACE_URL, NAMESPACE.as_bytes());
        let mut name = at.to_string().into_bytes();
        name.push(b'\n');
        name.extend_from_slice(model_json.as_bytes());
        Ids {
            root: Uuid::new_v5(&namespace, &name),
        }
    }

    /// The UUID of the element named `what` (`finding/ma-ebcm/5(a)`).
    pub(crate) fn of(&self, what: &str) -> String {
        Uuid::new_v5(&self.root, what.as_bytes()).to_string()
    }
}

pub(crate) fn timestamp(at: Date) -> String {
    match at {
        Date::Day(day) => format!("{}T00:00:00Z", day.format("%Y-%m-%d")),
        Date::Instant(_) => at.to_string(),
    }
}

/// An OSCAL token (`^(\p{L}|_)(\p{L}|\p{N}|[.\-_])*$`) for a requirement ID: `5(a)` → `5.a`,
/// other characters outside the token alphabet → `_`.
pub(crate) fn token(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            c if c.is_alphanumeric() || matches!(c, '.' | '-' | '_') => out.push(c),
            '(' => out.push('.'),
            ')' => {}
            _ => out.push('_'),
        }
    }
    match out.chars().next() {
        Some(c) if c.is_alphabetic() || c == '_' => out,
        _ => format!("_{out}"),
    }
}

/// The control ID of a profile's requirement (`ma-ebcm-5.a`).
pub(crate) fn requirement_control(profile: &str, requirement: &str) -> String {
    token(&format!("{profile}-{requirement}"))
}

/// The objective ID of a maturity criterion (`bcd-12.2_obj.L1.1`).
pub(crate) fn criterion_objective(criterion: &str) -> String {
    token(&format!("{MATURITY_CONTROL}_obj.{criterion}"))
}

pub(crate) fn maturity_control() -> &'static str {
    MATURITY_CONTROL
}

/// One line of text as OSCAL strings want it: no leading, trailing or repeated whitespace, never
/// empty.
pub(crate) fn line(text: &str) -> String {
    let joined = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if joined.is_empty() {
        "-".to_owned()
    } else {
        joined
    }
}

/// A prop in bcm's namespace.
pub(crate) fn prop(name: &str, value: impl std::fmt::Display) -> Value {
    json!({"name": name, "ns": NAMESPACE, "value": line(&value.to_string())})
}

/// A prop with a class (`seconds`).
pub(crate) fn prop_class(name: &str, value: impl std::fmt::Display, class: &str) -> Value {
    json!({"name": name, "ns": NAMESPACE, "value": line(&value.to_string()), "class": class})
}

/// The props of a requirement's observation: its counts and the entities that fail it.
pub(crate) fn requirement_props(r: &RequirementResult) -> Vec<Value> {
    let mut props = vec![prop("result", outcome_name(r.result))];
    if let Some(n) = r.numerator {
        props.push(prop("numerator", n));
    }
    if let Some(d) = r.denominator {
        props.push(prop("denominator", d));
    }
    if let Some(p) = r.percent {
        props.push(prop("percent", format!("{p:.1}")));
    }
    props.push(prop("target-percent", format!("{:.1}", r.target * 100.0)));
    props.extend(r.failing.iter().map(|id| prop("failing", id)));
    props
}

/// The props of a criterion's observation.
pub(crate) fn criterion_props(c: &CriterionResult) -> Vec<Value> {
    let mut props = vec![
        prop("level", c.level),
        prop("source", source_name(c.source)),
    ];
    if let Some(d) = c.declared {
        props.push(prop("declared", d));
    }
    if let Some(d) = c.derived {
        props.push(prop("derived", d));
    }
    props.extend(c.failing.iter().map(|id| prop("failing", id)));
    props
}

pub(crate) fn outcome_name(outcome: Outcome) -> &'static str {
    match outcome {
        Outcome::Pass => "pass",
        Outcome::Fail => "fail",
        Outcome::NotMeasured => "not-measured",
    }
}

fn source_name(source: Source) -> &'static str {
    match source {
        Source::Both => "both",
        Source::Declared => "declared",
        Source::Derived => "derived",
        Source::None => "none",
    }
}

/// A finding's target status: OSCAL knows satisfied and not-satisfied only, so a requirement
/// bcm cannot measure is not-satisfied with reason `other` (its `result` prop says why).
pub(crate) fn requirement_status(outcome: Outcome) -> Value {
    match outcome {
        Outcome::Pass => json!({"state": "satisfied", "reason": "pass"}),
        Outcome::Fail => json!({"state": "not-satisfied", "reason": "fail"}),
        Outcome::NotMeasured => json!({"state": "not-satisfied", "reason": "other"}),
    }
}

pub(crate) fn criterion_status(met: bool) -> Value {
    if met {
        json!({"state": "satisfied", "reason": "pass"})
    } else {
        json!({"state": "not-satisfied", "reason": "fail"})
    }
}

/// What a gap means, in a sentence, and its figures as props.
pub(crate) fn gap_risk(facts: &Facts<'_>, node: &str, kind: &str, figures: GapFigures) -> Value {
    let (title, what) = match figures.gap {
        Gap::Rto => (
            format!("{node} cannot be back in time"),
            "its restore (or resume) time is longer than the time by which what depends on it needs it back",
        ),
        Gap::Rpo => (
            format!("{node} would lose more data than allowed"),
            "its backup interval is longer than the recovery point what depends on it requires",
        ),
        Gap::Failover => (
            format!("{node} fails over too slowly"),
            "the redundancy group's switchover alone takes longer than the time by which it is needed",
        ),
        Gap::Measured => (
            format!("{node}: measured restore"),
            "an exercise measured a longer restore",
        ),
    };
    let gap = figures.achievable.saturating_sub(figures.required);
    let (required, achievable, over) = (
        crate::model::Duration::from_secs(figures.required),
        crate::model::Duration::from_secs(figures.achievable),
        crate::model::Duration::from_secs(gap),
    );
    let statement = match figures.gap {
        Gap::Rpo => format!(
            "{node} may lose at most {required} of data but is backed up every {achievable}: \
             {over} too long."
        ),
        Gap::Failover => format!(
            "{node} is needed back within {required} but switches over in {achievable}: {over} \
             too long."
        ),
        Gap::Rto | Gap::Measured => format!(
            "{node} is needed back within {required} but takes {achievable} to restore: {over} \
             too long."
        ),
    };
    json!({
        "uuid": facts.gap_uuid(node, figures.gap),
        "title": format!("{}: {title}", figures.gap.as_str()),
        "description": format!("{} ({kind} {node}): {what}.", figures.gap.as_str()),
        "statement": statement,
        "props": [
            prop("code", figures.gap.as_str()),
            prop("node", node),
            prop("kind", kind),
            prop_class("required-time", figures.required, "seconds"),
            prop_class("achievable-time", figures.achievable, "seconds"),
            prop_class("gap", gap, "seconds"),
        ],
        "status": "open",
    })
}

/// A single point of failure of critical functions, as a risk.
pub(crate) fn spof_risk(facts: &Facts<'_>, rank: &UnitRank) -> Option<Value> {
    let unit = facts.spof.unit_ids().get(rank.unit)?;
    let critical: Vec<&str> = facts
        .spof
        .takes_down(rank.unit)
        .filter(|f| facts.is_critical(f))
        .collect();
    let mut props = vec![
        prop("unit", unit),
        prop("critical-functions", rank.critical),
        prop("functions", rank.functions),
    ];
    props.extend(critical.iter().map(|f| prop("takes-down", f)));
    Some(json!({
        "uuid": facts.ids.of(&format!("risk/SPOF/{unit}")),
        "title": format!("SPOF: {unit} alone takes down {} critical function(s)", rank.critical),
        "description": format!(
            "Losing {unit} alone takes down {} function(s), {} of them critical: {}.",
            rank.functions,
            rank.critical,
            critical.join(", "),
        ),
        "statement": format!(
            "{unit} is a single point of failure of critical functions: add redundancy or an alternate."
        ),
        "props": props,
        "status": "open",
    }))
}

/// The metadata of a document.
pub(crate) fn metadata(facts: &Facts<'_>, title: String) -> Value {
    json!({
        "title": title,
        "last-modified": facts.timestamp(),
        "version": facts.at.to_string(),
        "oscal-version": OSCAL_VERSION,
        "props": [prop("generator", format!("bcm {}", crate::VERSION))],
    })
}

/// The JSON text of a document: pretty, with a final newline.
pub(crate) fn write(root: &str, document: Value) -> String {
    let mut wrapper = Map::new();
    wrapper.insert(root.to_owned(), document);
    // A `Value` built from `json!` always serialises.
    let mut text = serde_json::to_string_pretty(&Value::Object(wrapper)).unwrap_or_default();
    text.push('\n');
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_follow_the_oscal_pattern() {
        assert_eq!(requirement_control("ma-ebcm", "5(a)"), "ma-ebcm-5.a");
        assert_eq!(requirement_control("itscm", "kpi-2"), "itscm-kpi-2");
        assert_eq!(token("9 (b)/x"), "_9_.b_x");
        assert_eq!(criterion_objective("L1.1"), "bcd-12.2_obj.L1.1");
    }

    #[test]
    fn lines_are_trimmed_and_never_empty() {
        assert_eq!(line("  a\n  b  "), "a b");
        assert_eq!(line(" \n"), "-");
    }

    #[test]
    fn ids_depend_on_model_and_date_only() {
        let day: Date = "2026-03-01"
            .parse()
            .unwrap_or(Date::Day(chrono::NaiveDate::MIN));
        let other: Date = "2026-03-02"
            .parse()
            .unwrap_or(Date::Day(chrono::NaiveDate::MIN));
        let a = Ids::new("{}", day);
        assert_eq!(a.of("x"), Ids::new("{}", day).of("x"));
        assert_ne!(a.of("x"), Ids::new("{}", other).of("x"));
        assert_ne!(a.of("x"), Ids::new("{\"a\":1}", day).of("x"));
        assert_ne!(a.of("x"), a.of("y"));
        assert_eq!(a.of("x").len(), 36);
    }
}
