//! The DORA Register of Information, template B_06.01 "Functions identification" (Commission
//! Implementing Regulation (EU) 2024/2956), one row per function, in the xBRL-CSV form the
//! competent authorities take: columns `c0010`…`c0100`, closed sets as EBA codes.
//!
//! Where each column comes from is in README ("DORA B_06.01"). Data the model does not hold (the
//! LEI, the licenced activity) is read from `attributes`; a mandatory cell left empty is named in
//! the export's notes.

use std::collections::BTreeMap;

use crate::Analyzer;
use crate::model::{Criticality, Function, Model};

use super::{Export, ExportFormat};

/// The columns, in template order.
pub const COLUMNS: [&str; 10] = [
    "c0010", "c0020", "c0030", "c0040", "c0050", "c0060", "c0070", "c0080", "c0090", "c0100",
];

/// The longest text `c0060` (reasons for criticality or importance) takes.
pub const REASONS_LIMIT: usize = 300;

/// Criticality or importance assessment (LIST0601050).
const CRITICAL_YES: &str = "eba_BT:x28";
const CRITICAL_NO: &str = "eba_BT:x29";
const NOT_ASSESSED: &str = "eba_BT:x21";

/// Impact of discontinuing the function (LIST0601100).
const IMPACT_LOW: &str = "eba_ZZ:x791";
const IMPACT_MEDIUM: &str = "eba_ZZ:x792";
const IMPACT_HIGH: &str = "eba_ZZ:x793";
const IMPACT_NOT_ASSESSED: &str = "eba_ZZ:x799";

/// The attribute naming a function's B_06.01 identifier (`F12`), so that it stays the same when
/// functions are added or removed.
pub const FUNCTION_ID_ATTRIBUTE: &str = "dora_function_id";
/// The attribute (on a function, or on the organization for all) naming the licenced activity.
pub const ACTIVITY_ATTRIBUTE: &str = "dora_licenced_activity";
/// The organization's attribute holding its LEI.
pub const LEI_ATTRIBUTE: &str = "lei";
/// A function's attribute overriding the derived impact: `low`, `medium` or `high`.
pub const IMPACT_ATTRIBUTE: &str = "dora_impact";

/// The register's rows for every function of the model, in the model's order.
pub(crate) fn b0601(analyzer: &Analyzer<'_>) -> Export {
    let model = analyzer.model();
    let mut notes = Vec::new();
    let lei = text_attribute(&model.organization.attributes, LEI_ATTRIBUTE);
    if lei.is_none() && !model.functions.is_empty() {
        notes.push(format!(
            "c0040 (LEI) is empty: the organization has no '{LEI_ATTRIBUTE}' attribute"
        ));
    }
    let default_activity = text_attribute(&model.organization.attributes, ACTIVITY_ATTRIBUTE);
    let dependents = dependents(model);

    let mut rows: Vec<[String; 10]> = Vec::with_capacity(model.functions.len());
    let mut no_activity = Vec::new();
    let mut no_date = Vec::new();
    let mut seen_ids: BTreeMap<String, &str> = BTreeMap::new();
    for (i, f) in model.functions.iter().enumerate() {
        let id = text_attribute(&f.attributes, FUNCTION_ID_ATTRIBUTE)
            .unwrap_or_else(|| format!("F{}", i + 1));
        if let Some(first) = seen_ids.insert(id.clone(), f.id.as_str()) {
            notes.push(format!(
                "c0010 '{id}' is given to both {first} and {}: function identifiers must be unique",
                f.id
            ));
        }
        let activity =
            text_attribute(&f.attributes, ACTIVITY_ATTRIBUTE).or_else(|| default_activity.clone());
        if activity.is_none() {
            no_activity.push(f.id.as_str());
        }
        let critical = critical_or_important(f);
        if critical == CRITICAL_YES && f.bia.is_none() {
            no_date.push(f.id.as_str());
        }
        rows.push([
            id,
            activity.unwrap_or_default(),
            f.name.clone().unwrap_or_else(|| f.id.to_string()),
            lei.clone().unwrap_or_default(),
            critical.to_owned(),
            reasons(
                model,
                f,
                dependents.get(f.id.as_str()).copied().unwrap_or(0),
            ),
            f.bia
                .map(|d| d.day().format("%Y-%m-%d").to_string())
                .unwrap_or_default(),
            hours(f.rto.map(|d| d.as_secs())),
            hours(f.rpo.map(|d| d.as_secs())),
            impact(model, f).to_owned(),
        ]);
    }
    if !no_activity.is_empty() {
        notes.push(format!(
            "c0020 (licenced activity) is empty for {} function(s), e.g. {}: set '{ACTIVITY_ATTRIBUTE}' \
             on the organization or the function",
            no_activity.len(),
            no_activity.iter().take(5).copied().collect::<Vec<_>>().join(", ")
        ));
    }
    if !no_date.is_empty() {
        notes.push(format!(
            "c0070 (date of the last assessment) is empty for {} critical or important function(s) \
             without a BIA date: {}",
            no_date.len(),
            no_date.join(", ")
        ));
    }

    let mut writer = csv::Writer::from_writer(Vec::new());
    // Writing to memory cannot fail; a failure would leave the text short, which the tests read.
    let _ = writer.write_record(COLUMNS);
    for row in &rows {
        let _ = writer.write_record(row);
    }
    let content = writer
        .into_inner()
        .ok()
        .and_then(|bytes| String::from_utf8(bytes).ok())
        .unwrap_or_default();
    Export {
        format: ExportFormat::DoraB0601,
        content,
        notes,
    }
}

fn text_attribute(attributes: &crate::model::Attributes, key: &str) -> Option<String> {
    let value = attributes.get(key)?.to_value();
    let text = match value {
        serde_json::Value::String(s) => s,
        serde_json::Value::Number(n) => n.to_string(),
        _ => return None,
    };
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

/// Critical and high functions are "critical or important"; medium and low are not; a function
/// without a criticality was not assessed.
fn critical_or_important(f: &Function) -> &'static str {
    match f.criticality {
        Some(Criticality::Critical | Criticality::High) => CRITICAL_YES,
        Some(Criticality::Medium | Criticality::Low) => CRITICAL_NO,
        None => NOT_ASSESSED,
    }
}

/// How many functions depend directly on each function.
fn dependents(model: &Model) -> BTreeMap<&str, usize> {
    let mut count = BTreeMap::new();
    for f in &model.functions {
        for d in &f.depends_on {
            *count.entry(d.id.as_str()).or_insert(0) += 1;
        }
    }
    count
}

/// Why the function is critical or important, from its BIA, within [`REASONS_LIMIT`] characters.
fn reasons(model: &Model, f: &Function, dependents: usize) -> String {
    let Some(criticality) = f.criticality else {
        return String::new();
    };
    let mut parts = vec![format!("BIA criticality {}", criticality.as_str())];
    if let Some(mtd) = f.mtd {
        parts.push(format!("maximum tolerable downtime {mtd}"));
    }
    if let Some((category, after)) = first_intolerable(model, f) {
        parts.push(format!(
            "{category} impact reaches the organization's tolerance after {after}"
        ));
    }
    if dependents > 0 {
        parts.push(format!("{dependents} other function(s) depend on it"));
    }
    let text = parts.join("; ");
    match text.char_indices().nth(REASONS_LIMIT) {
        Some((cut, _)) => text[..cut].to_owned(),
        None => text,
    }
}

/// The first category, in time then name order, whose impact reaches the organization's
/// tolerance, and when.
fn first_intolerable(model: &Model, f: &Function) -> Option<(String, crate::model::Duration)> {
    let tolerance = &model.organization.tolerance;
    f.impacts.iter().find_map(|step| {
        step.values
            .iter()
            .find(|(category, value)| {
                tolerance
                    .get(category.as_str())
                    .is_some_and(|t| *t > 0.0 && **value >= *t)
            })
            .map(|(category, _)| (category.clone(), step.after))
    })
}

/// The impact of discontinuing the function: the `dora_impact` attribute if given; else the
/// worst point of its impact curve against the organization's tolerance (high at or above it,
/// medium from half of it, low below); else its criticality (critical high, high medium, medium
/// and low low); else not assessed.
fn impact(model: &Model, f: &Function) -> &'static str {
    match text_attribute(&f.attributes, IMPACT_ATTRIBUTE).as_deref() {
        Some("high") => return IMPACT_HIGH,
        Some("medium") => return IMPACT_MEDIUM,
        Some("low") => return IMPACT_LOW,
        _ => {}
    }
    let tolerance = &model.organization.tolerance;
    let worst = f
        .impacts
        .iter()
        .flat_map(|step| step.values.iter())
        .filter_map(|(category, value)| {
            let t = tolerance
                .get(category.as_str())
                .copied()
                .filter(|t| *t > 0.0)?;
            Some(value / t)
        })
        .fold(None, |worst: Option<f64>, r| {
            Some(worst.map_or(r, |w| w.max(r)))
        });
    match (worst, f.criticality) {
        (Some(r), _) if r >= 1.0 => IMPACT_HIGH,
        (Some(r), _) if r >= 0.5 => IMPACT_MEDIUM,
        (Some(_), _) => IMPACT_LOW,
        (None, Some(Criticality::Critical)) => IMPACT_HIGH,
        (None, Some(Criticality::High)) => IMPACT_MEDIUM,
        (None, Some(Criticality::Medium | Criticality::Low)) => IMPACT_LOW,
        (None, None) => IMPACT_NOT_ASSESSED,
    }
}

/// A recovery objective in whole hours as the template asks: rounded up, at least 1 when
/// defined ("less than 1 hour: 1"), 0 when not defined.
fn hours(seconds: Option<u64>) -> String {
    match seconds {
        None => "0".to_owned(),
        Some(s) => s.div_ceil(3600).max(1).to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::hours;

    #[test]
    fn objectives_round_up_to_whole_hours() {
        assert_eq!(hours(None), "0");
        assert_eq!(hours(Some(0)), "1");
        assert_eq!(hours(Some(1800)), "1");
        assert_eq!(hours(Some(3600)), "1");
        assert_eq!(hours(Some(3601)), "2");
        assert_eq!(hours(Some(86_400)), "24");
    }
}
