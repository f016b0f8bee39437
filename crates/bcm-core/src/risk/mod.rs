//! Risk (DESIGN §4.H): the CRAMM-style measure, the likelihood × impact matrix, quantitative
//! annual loss (closed form and seeded Monte Carlo), inherent and residual, the return on each
//! control, and the register that ranks them.

mod count;
pub mod cramm;
pub mod matrix;
pub mod quantitative;
pub mod scenario;

use std::collections::BTreeMap;
use std::ops::Range;

use serde::{Deserialize, Serialize};

use crate::Analyzer;
use crate::analysis::MAX_ITERATIONS;
use crate::model::{Model, Quantity};
use crate::recovery::pert::Shapes;
use cramm::{CrammError, CrammTable};
use matrix::{Cell, MatrixConfig, MatrixError};
use quantitative::{Pair, RiskTally, Simulated, Summary};
use scenario::{EventLosses, MtdExceedance, event_losses};

/// Parameters of [`risk`]; as JSON `{"iterations": 10000, "seed": 0, "matrix": {...}, "cramm":
/// {...}}`, every field optional.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct RiskParams {
    /// Simulated years (default 10,000; at most [`MAX_ITERATIONS`]).
    pub iterations: u64,
    /// The seed of every year's random stream.
    pub seed: u64,
    /// The likelihood × impact matrix; `None`: [`MatrixConfig::default`].
    pub matrix: Option<MatrixConfig>,
    /// A CRAMM-style table (see [`CrammTable::from_value`]); `None`: the derived default.
    pub cramm: Option<serde_json::Value>,
}

impl Default for RiskParams {
    fn default() -> Self {
        RiskParams {
            iterations: 10_000,
            seed: 0,
            matrix: None,
            cramm: None,
        }
    }
}

impl RiskParams {
    /// `iterations` years from `seed`, default matrix and table.
    pub fn new(iterations: u64, seed: u64) -> Self {
        RiskParams {
            iterations,
            seed,
            ..RiskParams::default()
        }
    }
}

/// Why [`risk`] could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum RiskError {
    /// More years than the limit.
    #[error(
        "{asked} iterations is more than the {limit} one call may run (split the work with ranges)"
    )]
    TooManyIterations {
        /// What was asked.
        asked: u64,
        /// The limit.
        limit: u64,
    },
    /// The matrix configuration is unusable.
    #[error(transparent)]
    Matrix(#[from] MatrixError),
    /// The CRAMM table is unusable.
    #[error(transparent)]
    Cramm(#[from] CrammError),
    /// Cancelled.
    #[error("the risk simulation was cancelled")]
    Cancelled,
}

/// Inherent and residual annual loss: closed form and simulated.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Losses {
    /// Annual loss expectancy without controls: mean rate × mean loss.
    pub ale_inherent: f64,
    /// With controls: `× Π(1 − f) × Π(1 − l)`.
    pub ale_residual: f64,
    /// The simulated distribution without controls.
    pub inherent: Summary,
    /// With controls.
    pub residual: Summary,
}

/// What a control returns.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ControlReturn {
    /// The control.
    pub name: String,
    /// Its yearly cost.
    pub cost: Option<f64>,
    /// Residual ALE without this control (the others in place).
    pub ale_without: f64,
    /// `(ALE without − ALE with − cost) / cost`; `None` without a positive cost.
    pub roi: Option<f64>,
}

/// One line of the register.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RegisterRow {
    /// The risk's or scenario's ID.
    pub id: String,
    /// `risk` or `scenario`.
    pub kind: &'static str,
    /// The asset at risk (risks).
    pub asset: Option<String>,
    /// The threat.
    pub threat: Option<String>,
    /// The failure units lost (scenarios).
    pub lose: Vec<String>,
    /// CRAMM-style measure 1–7 (`None` without the asset's value, the threat's level or the
    /// vulnerability).
    pub cramm: Option<u8>,
    /// The residual risk's cell of the matrix (`None` without a frequency or declared
    /// likelihood, or a loss or declared impact).
    pub cell: Option<Cell>,
    /// Annual losses (`None` without both a frequency and a loss).
    pub losses: Option<Losses>,
    /// The risk's share of the portfolio's residual ALE, 0–1 (`None` for a scenario or an
    /// unquantified risk).
    pub contribution: Option<f64>,
    /// The controls and their return (risks).
    pub controls: Vec<ControlReturn>,
    /// Per affected function with an MTD, the chance of an outage beyond it (scenarios).
    pub mtd: Vec<MtdExceedance>,
}

/// One cell of the heat map.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct HeatCell {
    /// Likelihood level.
    pub likelihood: u32,
    /// Impact level.
    pub impact: u32,
    /// Its band.
    pub band: String,
    /// The risks in it, sorted.
    pub risks: Vec<String>,
}

/// The result of [`risk`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RiskAnalysis {
    /// Simulated years.
    pub iterations: u64,
    /// Their seed.
    pub seed: u64,
    /// The currency of every amount.
    pub currency: String,
    /// Every risk, by residual ALE (largest first; unquantified ones last, by ID).
    pub register: Vec<RegisterRow>,
    /// The portfolio: the quantified risks summed year by year (`None` if none is quantified);
    /// scenarios stay out of it (they model the same threats from the BIA's side).
    pub portfolio: Option<Losses>,
    /// Every cell of the matrix, likelihood then impact ascending, with its risks.
    pub heat_map: Vec<HeatCell>,
}

/// Risk analysis of the model (DESIGN §4.H): risks and scenarios, ranked in one register.
///
/// Complexity: O(iterations × (risks + events)) for the simulation, divided among the
/// analyzer's threads; memory bounded by the histograms' bins, not by the iterations.
///
/// ```
/// use bcm_core::Model;
/// use bcm_core::risk::{risk, RiskParams};
/// let m = Model::from_yaml_str(
///     "bcm: 1\nassets: [{id: db, kind: data, value: {availability: 8}}]\n\
///      threats: [{id: fire, level: high, frequency: 0.5}]\n\
///      risks: [{id: r, asset: db, threat: fire, vulnerability: medium, loss: 10000,\n\
///               controls: [{name: sprinklers, reduces: {loss: 0.5}, cost: 1000}]}]\n",
/// )?;
/// let r = risk(&m, &RiskParams::new(20_000, 1))?;
/// let row = &r.register[0];
/// let losses = row.losses.as_ref().unwrap();
/// assert_eq!((losses.ale_inherent, losses.ale_residual), (5000.0, 2500.0)); // 0.5 × 10,000
/// assert_eq!(row.controls[0].roi, Some(1.5)); // (5000 − 2500 − 1000) / 1000
/// assert_eq!(row.cramm, Some(5)); // value 8, threat high, vulnerability medium
/// assert!((losses.inherent.mean - 5000.0).abs() < 250.0);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`RiskError`] for too many iterations, an unusable matrix or table, or cancellation.
pub fn risk(model: &Model, params: &RiskParams) -> Result<RiskAnalysis, RiskError> {
    Analyzer::borrowed(model).risk(params)
}

/// What the simulation runs: the quantified risks (index in `model.risks`) and the quantified
/// scenarios (index in `model.scenarios`, with their losses per event from the recovery model).
struct Prepared {
    risks: Vec<(usize, Simulated)>,
    scenarios: Vec<(usize, EventLosses, Simulated)>,
}

impl Prepared {
    fn new(analyzer: &Analyzer<'_>, seed: u64) -> Self {
        let model = analyzer.model();
        let threats: BTreeMap<&str, &crate::model::Threat> =
            model.threats.iter().map(|t| (t.id.as_str(), t)).collect();
        let mut shapes = Shapes::default();
        let risks = model
            .risks
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let frequency = threats.get(r.threat.as_str())?.frequency?;
                let loss = r.loss?;
                let (keep, scale) = factors(r, None);
                Some((
                    i,
                    Simulated::new(&frequency, &loss, keep, scale, &mut shapes),
                ))
            })
            .collect();
        let scenarios = model
            .scenarios
            .iter()
            .enumerate()
            .filter_map(|(i, s)| {
                let frequency = s.frequency?;
                let events = event_losses(analyzer, s, seed)?;
                let simulated = Simulated::scenario(&frequency, events.losses.clone(), &mut shapes);
                Some((i, events, simulated))
            })
            .collect();
        Prepared { risks, scenarios }
    }

    fn simulated(&self) -> Vec<Simulated> {
        self.risks
            .iter()
            .map(|(_, s)| s.clone())
            .chain(self.scenarios.iter().map(|(_, _, s)| s.clone()))
            .collect()
    }
}

/// `(Π(1 − f), Π(1 − l))` over the risk's controls, leaving out control `without`.
fn factors(risk: &crate::model::Risk, without: Option<usize>) -> (f64, f64) {
    let fraction = |x: Option<f64>| x.unwrap_or(0.0).clamp(0.0, 1.0);
    risk.controls
        .iter()
        .enumerate()
        .filter(|(j, _)| Some(*j) != without)
        .filter_map(|(_, c)| c.reduces.as_ref())
        .fold((1.0, 1.0), |(keep, scale), r| {
            (
                keep * (1.0 - fraction(r.frequency)),
                scale * (1.0 - fraction(r.loss)),
            )
        })
}

/// The tally of years `range` (for splitting the simulation across processes): merge tallies
/// of disjoint ranges with [`RiskTally::merge`], then read them with [`Analyzer::risk_from`].
pub(crate) fn tally_range(
    analyzer: &Analyzer<'_>,
    seed: u64,
    range: Range<u64>,
) -> Result<RiskTally, RiskError> {
    let asked = range.end.saturating_sub(range.start);
    if asked > MAX_ITERATIONS {
        return Err(RiskError::TooManyIterations {
            asked,
            limit: MAX_ITERATIONS,
        });
    }
    let risks = Prepared::new(analyzer, seed).simulated();
    let tally = quantitative::simulate_years(analyzer, &risks, seed, range);
    let cancel = analyzer.cancel();
    if cancel.is_requested() {
        cancel.reset();
        return Err(RiskError::Cancelled);
    }
    Ok(tally)
}

pub(crate) fn compute(
    analyzer: &Analyzer<'_>,
    params: &RiskParams,
) -> Result<RiskAnalysis, RiskError> {
    let tally = tally_range(analyzer, params.seed, 0..params.iterations)?;
    report(analyzer, params, &tally)
}

/// The analysis read from a tally (of `params.seed`; `params.iterations` is the tally's).
pub(crate) fn report(
    analyzer: &Analyzer<'_>,
    params: &RiskParams,
    tally: &RiskTally,
) -> Result<RiskAnalysis, RiskError> {
    let model = analyzer.model();
    let matrix = params.matrix.clone().unwrap_or_default();
    matrix.check()?;
    let table = match &params.cramm {
        Some(value) => CrammTable::from_value(value)?,
        None => CrammTable::default(),
    };
    let threats: BTreeMap<&str, &crate::model::Threat> =
        model.threats.iter().map(|t| (t.id.as_str(), t)).collect();
    let assets: BTreeMap<&str, &crate::model::Asset> =
        model.assets.iter().map(|a| (a.id.as_str(), a)).collect();
    let prepared = Prepared::new(analyzer, tally.seed);
    let simulated: BTreeMap<usize, &Pair> = prepared
        .risks
        .iter()
        .map(|(i, _)| *i)
        .zip(&tally.risks)
        .collect();
    let scenario_pairs = tally.risks.get(prepared.risks.len()..).unwrap_or_default();

    let mut register: Vec<RegisterRow> = model
        .risks
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let threat = threats.get(r.threat.as_str());
            let frequency: Option<Quantity> = threat.and_then(|t| t.frequency);
            let (keep, scale) = factors(r, None);
            let value = assets
                .get(r.asset.as_str())
                .and_then(|a| a.value)
                .and_then(|v| {
                    [v.confidentiality, v.integrity, v.availability]
                        .into_iter()
                        .flatten()
                        .max()
                });
            let cramm = match (value, threat.and_then(|t| t.level), r.vulnerability) {
                (Some(value), Some(level), Some(vulnerability)) => {
                    table.measure(value, level, vulnerability)
                }
                _ => None,
            };
            let likelihood = r
                .likelihood
                .map(u32::from)
                .or_else(|| frequency.map(|f| matrix.likelihood_of(f.typical() * keep)));
            let impact = r
                .impact
                .map(u32::from)
                .or_else(|| r.loss.map(|l| matrix.impact_of(l.typical() * scale)));
            let cell = likelihood.zip(impact).map(|(l, i)| matrix.cell(l, i));
            let closed = frequency.zip(r.loss).map(|(f, l)| f.mean() * l.mean());
            let losses = closed.zip(simulated.get(&i)).map(|(ale, pair)| Losses {
                ale_inherent: ale,
                ale_residual: ale * keep * scale,
                inherent: pair.inherent.summary(),
                residual: pair.residual.summary(),
            });
            let controls = r
                .controls
                .iter()
                .enumerate()
                .map(|(j, c)| {
                    let (k, s) = factors(r, Some(j));
                    let without = closed.map_or(0.0, |ale| ale * k * s);
                    let with = closed.map_or(0.0, |ale| ale * keep * scale);
                    ControlReturn {
                        name: c.name.clone(),
                        cost: c.cost,
                        ale_without: without,
                        roi: c
                            .cost
                            .filter(|cost| *cost > 0.0 && closed.is_some())
                            .map(|cost| (without - with - cost) / cost),
                    }
                })
                .collect();
            RegisterRow {
                id: r.id.to_string(),
                kind: "risk",
                asset: Some(r.asset.to_string()),
                threat: Some(r.threat.to_string()),
                lose: Vec::new(),
                cramm,
                cell,
                losses,
                contribution: None,
                controls,
                mtd: Vec::new(),
            }
        })
        .collect();
    for (k, scenario) in model.scenarios.iter().enumerate() {
        let found = prepared
            .scenarios
            .iter()
            .zip(scenario_pairs)
            .find(|((i, _, _), _)| *i == k);
        let rate = scenario.frequency.map(|f| f.mean());
        let (losses, mtd, cell) = match (found, scenario.frequency) {
            (Some(((_, events, _), pair)), Some(frequency)) => {
                let n = events.losses.len().max(1) as f64;
                let mean_loss = events.losses.iter().sum::<f64>() / n;
                let ale = frequency.mean() * mean_loss;
                let losses = Losses {
                    ale_inherent: ale,
                    ale_residual: ale,
                    inherent: pair.inherent.summary(),
                    residual: pair.residual.summary(),
                };
                let mtd = events
                    .beyond_mtd
                    .iter()
                    .map(|(id, mtd, p)| MtdExceedance {
                        id: id.clone(),
                        mtd: *mtd,
                        p_event: *p,
                        p_year: 1.0 - (-rate.unwrap_or(0.0) * p).exp(),
                    })
                    .collect();
                let cell = matrix.cell(
                    matrix.likelihood_of(frequency.typical()),
                    matrix.impact_of(mean_loss),
                );
                (Some(losses), mtd, Some(cell))
            }
            _ => (None, Vec::new(), None),
        };
        register.push(RegisterRow {
            id: scenario.id.to_string(),
            kind: "scenario",
            asset: None,
            threat: scenario.threat.as_ref().map(|t| t.to_string()),
            lose: scenario.lose.iter().map(|u| u.to_string()).collect(),
            cramm: None,
            cell,
            losses,
            contribution: None,
            controls: Vec::new(),
            mtd,
        });
    }
    register.sort_by(|a, b| {
        let ale = |r: &RegisterRow| r.losses.as_ref().map(|l| l.ale_residual);
        match (ale(a), ale(b)) {
            (Some(x), Some(y)) => y.total_cmp(&x).then_with(|| a.id.cmp(&b.id)),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => a.id.cmp(&b.id),
        }
    });

    let quantified_rows: Vec<&Losses> = register
        .iter()
        .filter(|r| r.kind == "risk")
        .filter_map(|r| r.losses.as_ref())
        .collect();
    let residual_total: f64 = quantified_rows.iter().map(|l| l.ale_residual).sum();
    let portfolio = (!quantified_rows.is_empty()).then(|| Losses {
        ale_inherent: quantified_rows.iter().map(|l| l.ale_inherent).sum(),
        ale_residual: quantified_rows.iter().map(|l| l.ale_residual).sum(),
        inherent: tally.portfolio.inherent.summary(),
        residual: tally.portfolio.residual.summary(),
    });

    if residual_total > 0.0 {
        for row in register.iter_mut().filter(|r| r.kind == "risk") {
            row.contribution = row.losses.as_ref().map(|l| l.ale_residual / residual_total);
        }
    }
    let (rows, columns) = matrix.levels();
    let mut heat_map: Vec<HeatCell> = Vec::with_capacity((rows * columns) as usize);
    for likelihood in 1..=rows {
        for impact in 1..=columns {
            let cell = matrix.cell(likelihood, impact);
            let mut risks: Vec<String> = register
                .iter()
                .filter(|r| {
                    r.cell
                        .as_ref()
                        .is_some_and(|c| c.likelihood == likelihood && c.impact == impact)
                })
                .map(|r| r.id.clone())
                .collect();
            risks.sort();
            heat_map.push(HeatCell {
                likelihood,
                impact,
                band: cell.band,
                risks,
            });
        }
    }
    let iterations = tally.ranges.iter().map(|(a, b)| b - a).sum();
    Ok(RiskAnalysis {
        iterations,
        seed: tally.seed,
        currency: model.organization.currency().to_owned(),
        register,
        portfolio,
        heat_map,
    })
}
