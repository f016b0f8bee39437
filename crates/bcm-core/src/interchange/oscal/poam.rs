//! OSCAL plan of action and milestones: one item per failing requirement or criterion, per
//! objective gap and per plan-currency action, each linked to its finding (when it has one) and
//! to a risk carrying the deadline.

use std::collections::BTreeSet;

use serde_json::{Value, json};

use super::results::{criterion_finding, requirement_finding};
use super::{Facts, gap_risk, line, metadata, prop, timestamp, write};
use crate::conformance::Outcome;
use crate::currency::Action;
use crate::model::Date;

/// The findings, observations, risks and items of the document, filled in item by item.
#[derive(Default)]
struct Parts {
    findings: Vec<Value>,
    observations: Vec<Value>,
    risks: Vec<Value>,
    items: Vec<Value>,
    included: BTreeSet<String>,
}

impl Parts {
    /// Adds a finding and its observation once; returns their UUIDs.
    fn finding(&mut self, (finding, observation): (Value, Value)) -> (String, String) {
        let uuid = text(&finding, "uuid");
        let observation_uuid = text(&observation, "uuid");
        if self.included.insert(uuid.clone()) {
            self.findings.push(finding);
            self.observations.push(observation);
        }
        (uuid, observation_uuid)
    }

    fn item(
        &mut self,
        uuid: String,
        title: String,
        description: String,
        kind: &str,
        finding: Option<(String, String)>,
        risk: Value,
    ) {
        let risk_uuid = text(&risk, "uuid");
        self.risks.push(risk);
        let mut item = json!({
            "uuid": uuid,
            "title": title,
            "description": description,
            "props": [prop("item-kind", kind)],
        });
        if let Some(object) = item.as_object_mut() {
            if let Some((finding, observation)) = finding {
                object.insert(
                    "related-findings".into(),
                    json!([{"finding-uuid": finding}]),
                );
                object.insert(
                    "related-observations".into(),
                    json!([{"observation-uuid": observation}]),
                );
            }
            object.insert("related-risks".into(), json!([{"risk-uuid": risk_uuid}]));
        }
        self.items.push(item);
    }
}

fn text(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The POA&M of `facts` as OSCAL JSON.
pub(crate) fn poam(facts: &Facts<'_>) -> String {
    let mut parts = Parts::default();
    let profile = facts.conformance.profile.clone();
    let actions = &facts.currency.actions;

    for r in facts
        .conformance
        .requirements
        .iter()
        .filter(|r| r.result == Outcome::Fail)
    {
        let finding = parts.finding(requirement_finding(facts, r));
        // The deadline of a failing requirement is the earliest plan-currency action under its
        // clause, when there is one: what must be done first to conform again.
        let deadline = actions
            .iter()
            .filter(|a| {
                facts
                    .finding_of_clause(a.clause)
                    .is_some_and(|f| f.id == r.id)
            })
            .map(|a| a.due)
            .min_by_key(Date::day);
        let risk = with_deadline(
            json!({
                "uuid": facts.ids.of(&format!("risk/{profile}/{}", r.id)),
                "title": format!("{profile} {} not met", r.id),
                "description": line(&r.clause),
                "statement": line(&r.evidence),
                "props": [prop("requirement", &r.id)],
                "status": "open",
            }),
            deadline,
        );
        parts.item(
            facts.ids.of(&format!("item/{profile}/{}", r.id)),
            format!("Conform to {profile} {}", r.id),
            line(&r.evidence),
            "requirement",
            Some(finding),
            risk,
        );
    }

    let control = facts.maturity.control;
    for c in facts.maturity.criteria.iter().filter(|c| !c.met) {
        let finding = parts.finding(criterion_finding(facts, c));
        let risk = json!({
            "uuid": facts.ids.of(&format!("risk/{control}/{}", c.id)),
            "title": format!("{control} {} not met", c.id),
            "description": line(c.text),
            "statement": line(&c.evidence),
            "props": [prop("criterion", c.id), prop("level", c.level)],
            "status": "open",
        });
        parts.item(
            facts.ids.of(&format!("item/{control}/{}", c.id)),
            format!("Meet {control} {} (level {})", c.id, c.level),
            line(&c.evidence),
            "criterion",
            Some(finding),
            risk,
        );
    }

    for (node, kind, figures) in facts.gaps() {
        let risk = gap_risk(facts, node, kind, figures);
        let description = text(&risk, "statement");
        parts.item(
            facts
                .ids
                .of(&format!("item/{}/{node}", figures.gap.as_str())),
            format!("Close {} on {node}", figures.gap.as_str()),
            description,
            "gap",
            None,
            risk,
        );
    }

    for (i, action) in actions.iter().enumerate() {
        let finding = facts.finding_of_clause(action.clause).map(|r| {
            let found = requirement_finding(facts, r);
            parts.finding(found)
        });
        let name = action_name(action, i);
        let risk = with_deadline(
            json!({
                "uuid": facts.ids.of(&format!("risk/{name}")),
                "title": line(&action.message),
                "description": line(&action.message),
                "statement": format!(
                    "Policy clause {} asks for it by {}{}.",
                    action.clause,
                    action.due,
                    if action.due.day() < facts.at.day() { " (overdue)" } else { "" },
                ),
                "props": action_props(facts, action),
                "status": "open",
            }),
            Some(action.due),
        );
        parts.item(
            facts.ids.of(&format!("item/{name}")),
            line(&action.message),
            line(&action.message),
            "action",
            finding,
            risk,
        );
    }

    let mut document = json!({
        "uuid": facts.ids.of("poam"),
        "metadata": metadata(
            facts,
            format!("Continuity plan of action and milestones of {}", facts.organization()),
        ),
        "system-id": {
            "identifier-type": "http://ietf.org/rfc/rfc4122",
            "id": facts.ids.of("system"),
        },
    });
    if let Some(object) = document.as_object_mut() {
        for (key, list) in [
            ("observations", parts.observations),
            ("risks", parts.risks),
            ("findings", parts.findings),
        ] {
            if !list.is_empty() {
                object.insert(key.to_owned(), Value::Array(list));
            }
        }
        object.insert("poam-items".to_owned(), Value::Array(parts.items));
    }
    write("plan-of-action-and-milestones", document)
}

fn with_deadline(mut risk: Value, deadline: Option<Date>) -> Value {
    if let (Some(due), Some(object)) = (deadline, risk.as_object_mut()) {
        object.insert("deadline".to_owned(), Value::String(timestamp(due)));
    }
    risk
}

/// A stable name for an action: what, about whom, and why (its position only breaks ties).
fn action_name(action: &Action, index: usize) -> String {
    format!(
        "action/{:?}/{}/{:?}/{}/{index}",
        action.action,
        action.subject,
        action.trigger,
        action.change.as_deref().unwrap_or("")
    )
}

/// A keyword as results write it (`review`).
fn to_value(keyword: impl serde::Serialize) -> String {
    serde_json::to_value(keyword)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

fn action_props(facts: &Facts<'_>, action: &Action) -> Vec<Value> {
    let mut props = vec![
        prop("subject", &action.subject),
        prop("subject-kind", to_value(action.subject_kind)),
        prop("action", to_value(action.action)),
        prop("trigger", to_value(action.trigger)),
        prop("clause", action.clause),
        prop("due", action.due),
        prop("overdue", action.due.day() < facts.at.day()),
    ];
    if let Some(change) = &action.change {
        props.push(prop("change", change));
    }
    if let Some(last) = action.last {
        props.push(prop("last", last));
    }
    props.extend(action.plans.iter().map(|p| prop("plan", p)));
    props
}
