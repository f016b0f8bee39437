//! OSCAL assessment results: one result for the run, one finding (with its observation) per
//! conformance requirement and per maturity criterion, and the risks bcm found.

use serde_json::{Value, json};

use super::{
    Facts, criterion_objective, criterion_props, criterion_status, gap_risk, line,
    maturity_control, metadata, prop, requirement_control, requirement_props, requirement_status,
    spof_risk, write,
};
use crate::conformance::RequirementResult;
use crate::maturity::{CriterionResult, Source};

/// The assessment results of `facts` as OSCAL JSON.
pub(crate) fn assessment_results(facts: &Facts<'_>) -> String {
    let c = &facts.conformance;
    let m = &facts.maturity;
    let plan = facts.ids.of("assessment-plan");
    let mut observations = Vec::new();
    let mut findings = Vec::new();
    for r in &c.requirements {
        let (finding, observation) = requirement_finding(facts, r);
        findings.push(finding);
        observations.push(observation);
    }
    for criterion in &m.criteria {
        let (finding, observation) = criterion_finding(facts, criterion);
        findings.push(finding);
        observations.push(observation);
    }
    let mut risks: Vec<Value> = facts
        .gaps()
        .map(|(node, kind, figures)| gap_risk(facts, node, kind, figures))
        .collect();
    risks.extend(
        facts
            .critical_spofs
            .iter()
            .filter_map(|r| spof_risk(facts, r)),
    );

    let mut controls: Vec<Value> = c
        .requirements
        .iter()
        .map(|r| json!({"control-id": requirement_control(&c.profile, &r.id)}))
        .collect();
    controls.push(json!({"control-id": maturity_control()}));

    let mut result = json!({
        "uuid": facts.ids.of("result"),
        "title": format!("Continuity assessment of {} at {}", facts.organization(), facts.at),
        "description": format!(
            "bcm checked the continuity model of {} against {} ({}) and assessed the maturity of \
             {} ({}) at {}.",
            facts.organization(),
            c.profile,
            line(&c.name),
            m.control,
            line(m.name),
            facts.at,
        ),
        "start": facts.timestamp(),
        "props": [
            prop("profile", &c.profile),
            prop("requirements-passed", c.score.passed),
            prop("requirements-failed", c.score.failed),
            prop("requirements-not-measured", c.score.not_measured),
            prop("maturity-level", m.level),
            prop("maturity-cap", m.cap),
        ],
        "reviewed-controls": {
            "control-selections": [{
                "description": format!(
                    "The requirements of profile {} and control {}.",
                    c.profile, m.control
                ),
                "include-controls": controls,
            }],
        },
        "observations": observations,
        "findings": findings,
    });
    if !risks.is_empty()
        && let Some(object) = result.as_object_mut()
    {
        object.insert("risks".to_owned(), Value::Array(risks));
    }
    let document = json!({
        "uuid": facts.ids.of("assessment-results"),
        "metadata": metadata(
            facts,
            format!("Continuity assessment results of {}", facts.organization()),
        ),
        "import-ap": {"href": format!("#{plan}")},
        "results": [result],
        "back-matter": {
            "resources": [{
                "uuid": plan,
                "title": "bcm's checks",
                "description": format!(
                    "No assessment plan document: bcm {} ran the checks of profile {} and the \
                     maturity criteria of {} on the continuity model (README: OSCAL export).",
                    crate::VERSION, c.profile, m.control
                ),
            }],
        },
    });
    write("assessment-results", document)
}

/// A requirement's finding and the observation carrying its evidence.
pub(crate) fn requirement_finding(facts: &Facts<'_>, r: &RequirementResult) -> (Value, Value) {
    let profile = &facts.conformance.profile;
    let uuid = facts.requirement_uuid(r);
    let observation_uuid = facts.ids.of(&format!("observation/{profile}/{}", r.id));
    let observation = json!({
        "uuid": observation_uuid,
        "title": format!("Evidence for {profile} {}", r.id),
        "description": line(&r.evidence),
        "props": requirement_props(r),
        "methods": ["TEST"],
        "collected": facts.timestamp(),
    });
    let finding = json!({
        "uuid": uuid,
        "title": format!("{profile} {}: {}", r.id, r.check),
        "description": line(&r.clause),
        "props": [prop("requirement", &r.id), prop("check", r.check)],
        "target": {
            "type": "statement-id",
            "target-id": format!("{}_smt", requirement_control(profile, &r.id)),
            "title": format!("{profile} {}", r.id),
            "status": requirement_status(r.result),
        },
        "related-observations": [{"observation-uuid": observation_uuid}],
    });
    (finding, observation)
}

/// A maturity criterion's finding and its observation.
pub(crate) fn criterion_finding(facts: &Facts<'_>, c: &CriterionResult) -> (Value, Value) {
    let control = facts.maturity.control;
    let uuid = facts.criterion_uuid(c);
    let observation_uuid = facts.ids.of(&format!("observation/{control}/{}", c.id));
    let mut methods = vec!["TEST"];
    if c.declared == Some(true) || matches!(c.source, Source::Declared | Source::Both) {
        methods.push("EXAMINE");
    }
    let observation = json!({
        "uuid": observation_uuid,
        "title": format!("Evidence for {control} {}", c.id),
        "description": line(&c.evidence),
        "props": criterion_props(c),
        "methods": methods,
        "collected": facts.timestamp(),
    });
    let finding = json!({
        "uuid": uuid,
        "title": format!("{control} {} (level {})", c.id, c.level),
        "description": line(c.text),
        "props": [prop("criterion", c.id)],
        "target": {
            "type": "objective-id",
            "target-id": criterion_objective(c.id),
            "title": format!("{control} {}", c.id),
            "status": criterion_status(c.met),
        },
        "related-observations": [{"observation-uuid": observation_uuid}],
    });
    (finding, observation)
}
