//! Loss from the BIA (DESIGN §4.H.4): a scenario's loss per event taken from the recovery model.
//!
//! Each event loses the scenario's failure units at once. Its loss is the sum, over the affected
//! functions, of the `financial` impact at the function's outage (`up_at − down_at`): the last
//! impact step whose `after` is at most the outage, the last step for a function never back.
//! With three-point durations the outage varies: [`RECOVERY_RUNS`] runs of the recovery
//! simulation from the analysis's seed give as many equally likely losses per event (one run,
//! the schedule itself, when every duration is exact). Per function, the share of runs in which
//! the outage exceeds the MTD is the probability per event; per year it is `1 − exp(−λ·p)` for
//! the mean event rate λ.

use serde::Serialize;

use crate::Analyzer;
use crate::model::{FINANCIAL, Model, Scenario};
use crate::recovery::simulate::outages;

/// Recovery runs per scenario.
pub const RECOVERY_RUNS: u64 = 1000;

/// A function's chance of an outage beyond its MTD in a scenario.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MtdExceedance {
    /// The function.
    pub id: String,
    /// Its MTD, seconds.
    pub mtd: u64,
    /// The probability that one event keeps it down longer than its MTD.
    pub p_event: f64,
    /// The probability of at least one such event in a year: `1 − exp(−λ·p_event)`.
    pub p_year: f64,
}

/// What the recovery model says of one scenario's events.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct EventLosses {
    /// The loss of one event in each recovery run.
    pub(crate) losses: Vec<f64>,
    /// Affected functions with an MTD: (ID, MTD, share of runs beyond it).
    pub(crate) beyond_mtd: Vec<(String, u64, f64)>,
}

/// The losses of one event of `scenario`; `None` if it cannot be simulated (a unit that is not a
/// failure unit: validation reports it).
pub(crate) fn event_losses(
    analyzer: &Analyzer<'_>,
    scenario: &Scenario,
    seed: u64,
) -> Option<EventLosses> {
    let model = analyzer.model();
    let lose: Vec<String> = scenario.lose.iter().map(|id| id.to_string()).collect();
    let (ids, runs) = outages(analyzer, &lose, seed, 0..RECOVERY_RUNS).ok()?;
    let functions: Vec<Option<usize>> = ids
        .iter()
        .map(|id| {
            model
                .functions
                .iter()
                .position(|f| f.id.as_str() == id.as_str())
        })
        .collect();
    let losses = runs
        .iter()
        .map(|run| {
            run.iter()
                .zip(&functions)
                .map(|(outage, f)| f.map_or(0.0, |f| financial_at(model, f, *outage)))
                .sum()
        })
        .collect();
    let count = runs.len().max(1) as f64;
    let beyond_mtd = ids
        .iter()
        .zip(&functions)
        .enumerate()
        .filter_map(|(k, (id, f))| {
            let mtd = model.functions.get((*f)?)?.mtd?.as_secs();
            let beyond = runs
                .iter()
                .filter(|run| run.get(k).copied().flatten().is_none_or(|o| o > mtd))
                .count();
            Some((id.clone(), mtd, beyond as f64 / count))
        })
        .collect();
    Some(EventLosses { losses, beyond_mtd })
}

/// The function's `financial` impact after an outage of `outage` seconds (`None`: never back).
fn financial_at(model: &Model, function: usize, outage: Option<u64>) -> f64 {
    let Some(f) = model.functions.get(function) else {
        return 0.0;
    };
    if outage == Some(0) {
        return 0.0;
    }
    f.impacts
        .iter()
        .filter(|s| outage.is_none_or(|o| s.after.as_secs() <= o))
        .max_by_key(|s| s.after)
        .and_then(|s| s.values.get(FINANCIAL).copied())
        .unwrap_or(0.0)
}
