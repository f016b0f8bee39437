//! The sections A–K of DESIGN §4 and the contacts appendix, each written from its analysis's
//! result: a lead in sentences, tables sorted by what needs attention first, and charts.

mod dependency;
mod judgement;
mod recovery;

use serde::Serialize;
use serde_json::Value;

use super::Section;
use super::facts::Facts;

pub(crate) fn build(facts: &Facts<'_>) -> Vec<Section> {
    vec![
        dependency::validation(facts),
        dependency::objectives(facts),
        dependency::impact(facts),
        dependency::spof(facts),
        recovery::schedule(facts),
        recovery::simulation(facts),
        dependency::availability(facts),
        judgement::risk(facts),
        judgement::currency(facts),
        judgement::conformance(facts),
        judgement::maturity(facts),
        judgement::contacts(facts),
    ]
}

/// A result's field as a JSON value (enums as their serialised names).
fn v(x: impl Serialize) -> Value {
    serde_json::to_value(x).unwrap_or(Value::Null)
}

/// The one line of a section whose scenario could not be chosen.
const NO_SCENARIO: &str =
    "The model has no sites to lose; pass a scenario (--lose) to see a recovery.";

/// The one line of a section that judges at a date none was given.
const NO_DATE: &str = "Judged at a date: pass one (--at YYYY-MM-DD).";
