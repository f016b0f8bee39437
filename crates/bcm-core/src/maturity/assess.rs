//! The maturity assessment of a control at a date (DESIGN §4.K).

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use super::catalog::{ControlCatalog, catalog};
use super::evidence::{Check, Facts, check_of};
use crate::Analyzer;
use crate::currency::{ActionKind, CurrencyParams};
use crate::model::{Date, Model};

/// A level is reached when at least this share of its criteria is met ("all, or at least most").
pub const DEFAULT_THRESHOLD: f64 = 0.8;

/// The levels of the SCF C|P-CMM (0 is "not performed").
const LEVELS: u8 = 5;

/// Parameters of [`maturity`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct MaturityParams {
    /// The date the control is assessed at (required: nothing reads the clock). Assessments after
    /// it are not read; the BIA criteria use plan currency at it.
    pub at: Option<Date>,
    /// The share of a level's criteria that must be met, in (0, 1]; `None`: [`DEFAULT_THRESHOLD`].
    pub threshold: Option<f64>,
    /// The control; `None`: BCD-12.2.
    pub control: Option<String>,
}

impl MaturityParams {
    /// BCD-12.2 at `at` with the default threshold.
    pub fn at(at: Date) -> Self {
        MaturityParams {
            at: Some(at),
            ..MaturityParams::default()
        }
    }
}

/// Why [`maturity`] could not run.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum MaturityError {
    /// No date was given.
    #[error("maturity is assessed at a date: pass \"at\" (e.g. {{\"at\": \"2026-12-06\"}})")]
    NoDate,
    /// The threshold is outside (0, 1].
    #[error("threshold {value} is not a share of criteria in (0, 1] (e.g. 0.8)")]
    Threshold {
        /// The value given.
        value: f64,
    },
    /// bcm has no catalogue for the control.
    #[error("bcm has no maturity criteria for control '{control}' (it knows: {known})")]
    UnknownControl {
        /// The control given.
        control: String,
        /// The controls bcm knows, comma-separated.
        known: String,
    },
}

/// Where a criterion's verdict comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    /// The assessor declared it met, and the model shows it too.
    Both,
    /// Only the assessor declared it met.
    Declared,
    /// Only the model shows it.
    Derived,
    /// Neither: not met.
    None,
}

/// One criterion's verdict.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CriterionResult {
    /// Its ID (`L2.4`).
    pub id: &'static str,
    /// Its level.
    pub level: u8,
    /// What it asks for.
    pub text: &'static str,
    /// Met, by either source.
    pub met: bool,
    /// Which source says so.
    pub source: Source,
    /// What the latest assessment by the date says (`None`: no assessment of the control).
    pub declared: Option<bool>,
    /// What the model shows (`None`: only an assessor can tell).
    pub derived: Option<bool>,
    /// The check the model is read with (`None`: not derivable).
    pub check: Option<Check>,
    /// What the model shows, in a sentence.
    pub evidence: String,
    /// The entities that fail the check, sorted.
    pub failing: Vec<String>,
}

/// One level's standing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelResult {
    /// 1–5.
    pub level: u8,
    /// Whether the control has criteria at this level (BCD-12.2: levels 4–5 are N/A).
    pub applicable: bool,
    /// Criteria met.
    pub met: usize,
    /// Criteria of the level.
    pub total: usize,
    /// `met / total` (`None` when not applicable).
    pub share: Option<f64>,
    /// Its share reaches the threshold and every lower level is reached.
    pub reached: bool,
}

/// The result of [`maturity`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Maturity {
    /// The control (`BCD-12.2`).
    pub control: &'static str,
    /// Its name.
    pub name: &'static str,
    /// The SOC 2 criteria it maps to.
    pub soc2: &'static [&'static str],
    /// The date of the assessment.
    pub at: Date,
    /// The share of a level's criteria that must be met.
    pub threshold: f64,
    /// The level reached (0–`cap`).
    pub level: u8,
    /// The highest level that applies to the control (levels above are N/A).
    pub cap: u8,
    /// The assessments read (the latest by `at`; several if on the same day), by ID or date.
    pub assessments: Vec<String>,
    /// Levels 1–5.
    pub levels: Vec<LevelResult>,
    /// Every criterion, by level then number.
    pub criteria: Vec<CriterionResult>,
}

/// The maturity of a control (default BCD-12.2) at `params.at`: each criterion met by the
/// assessor's declaration or by what the model shows, each level's share, and the level reached.
///
/// Complexity: O(nodes + edges) per check, plus one plan-currency pass.
///
/// ```
/// use bcm_core::Model;
/// use bcm_core::maturity::{maturity, MaturityParams};
/// let m = Model::from_yaml_str(
///     "bcm: 1\n\
///      assessments: [{control: BCD-12.2, date: 2026-01-10, met: [L1.1, L1.2, L1.3, L1.4]}]\n",
/// )?;
/// let r = maturity(&m, &MaturityParams::at("2026-02-01".parse().unwrap()))?;
/// assert_eq!(r.levels[0].met, 4); // 4 of level 1's 5 criteria: exactly 80%
/// assert_eq!(r.level, 1);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`MaturityError`] without a date, for a threshold outside (0, 1], or an unknown control.
pub fn maturity(model: &Model, params: &MaturityParams) -> Result<Maturity, MaturityError> {
    Analyzer::borrowed(model).maturity(params)
}

pub(crate) fn compute(
    analyzer: &Analyzer<'_>,
    params: &MaturityParams,
) -> Result<Maturity, MaturityError> {
    let at = params.at.ok_or(MaturityError::NoDate)?;
    let threshold = params.threshold.unwrap_or(DEFAULT_THRESHOLD);
    if !(threshold > 0.0 && threshold <= 1.0) {
        return Err(MaturityError::Threshold { value: threshold });
    }
    let control = params.control.as_deref().unwrap_or("BCD-12.2");
    let catalog = catalog(control).ok_or_else(|| MaturityError::UnknownControl {
        control: control.to_owned(),
        known: super::CATALOGS
            .iter()
            .map(|c| c.id)
            .collect::<Vec<_>>()
            .join(", "),
    })?;
    let model = analyzer.model();
    let day = at.day();

    // The latest assessment of the control by the date (several on that day: all of them).
    let dated: Vec<_> = model
        .assessments
        .iter()
        .filter(|a| a.control == catalog.id && a.date.day() <= day)
        .collect();
    let latest = dated.iter().map(|a| a.date.day()).max();
    let read: Vec<_> = dated
        .into_iter()
        .filter(|a| Some(a.date.day()) == latest)
        .collect();
    let declared: BTreeSet<&str> = read
        .iter()
        .flat_map(|a| a.met.iter().map(String::as_str))
        .collect();
    let assessments: Vec<String> = read
        .iter()
        .map(|a| {
            a.id.as_ref()
                .map_or_else(|| a.date.to_string(), |id| id.to_string())
        })
        .collect();

    let bia_due: BTreeSet<String> = analyzer
        .currency(&CurrencyParams::at(at))
        .map(|c| {
            c.actions
                .into_iter()
                .filter(|a| a.action == ActionKind::Bia)
                .map(|a| a.subject)
                .collect()
        })
        .unwrap_or_default();
    let facts = Facts::gather(analyzer, bia_due);

    let criteria: Vec<CriterionResult> = catalog
        .criteria
        .iter()
        .map(|criterion| {
            let declared_met = (!read.is_empty()).then(|| declared.contains(criterion.id));
            let check = check_of(catalog.id, criterion.id);
            let derived = check.map(|c| facts.derive(c));
            let derived_met = derived.as_ref().map(|d| d.met);
            let source = match (declared_met == Some(true), derived_met == Some(true)) {
                (true, true) => Source::Both,
                (true, false) => Source::Declared,
                (false, true) => Source::Derived,
                (false, false) => Source::None,
            };
            let (evidence, failing) = match derived {
                Some(d) => (d.evidence, d.failing),
                None => (
                    "only an assessor can tell (not derivable from the model)".to_owned(),
                    Vec::new(),
                ),
            };
            CriterionResult {
                id: criterion.id,
                level: criterion.level,
                text: criterion.text,
                met: source != Source::None,
                source,
                declared: declared_met,
                derived: derived_met,
                check,
                evidence,
                failing,
            }
        })
        .collect();

    let levels = levels(catalog, &criteria, threshold);
    let level = levels
        .iter()
        .filter(|l| l.reached)
        .map(|l| l.level)
        .max()
        .unwrap_or(0);
    Ok(Maturity {
        control: catalog.id,
        name: catalog.name,
        soc2: catalog.soc2,
        at: crate::governance::as_date(day),
        threshold,
        level,
        cap: catalog.max_level,
        assessments,
        levels,
        criteria,
    })
}

/// Each level's share, reached when at or above `threshold` with every lower level reached.
fn levels(
    catalog: &ControlCatalog,
    criteria: &[CriterionResult],
    threshold: f64,
) -> Vec<LevelResult> {
    let mut below_reached = true;
    (1..=LEVELS)
        .map(|level| {
            let of_level: Vec<&CriterionResult> =
                criteria.iter().filter(|c| c.level == level).collect();
            let applicable = level <= catalog.max_level && !of_level.is_empty();
            let met = of_level.iter().filter(|c| c.met).count();
            let total = of_level.len();
            // Exact in integers: met / total ≥ threshold, with the threshold read to a millionth
            // (0.8 of 5 criteria is 4, not 3.9999…).
            let needed = (threshold * 1_000_000.0).round() as u64 * total as u64;
            let reached = applicable && below_reached && met as u64 * 1_000_000 >= needed;
            below_reached = reached;
            LevelResult {
                level,
                applicable,
                met,
                total,
                share: applicable.then(|| met as f64 / total as f64),
                reached,
            }
        })
        .collect()
}
