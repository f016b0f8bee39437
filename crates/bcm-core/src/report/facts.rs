//! Every analysis a report reads, run once: the facts the summary and the sections are written
//! from.

use crate::Analyzer;
use crate::availability::{Availability, AvailabilityParams};
use crate::conformance::Conformance;
use crate::currency::{Currency, CurrencyParams};
use crate::impact::{Impact, ImpactParams};
use crate::maturity::{Maturity, MaturityParams};
use crate::model::Model;
use crate::objectives::Objectives;
use crate::risk::{RiskAnalysis, RiskParams};
use crate::schedule::{Gantt, Schedule, ScheduleParams};
use crate::simulate::{SimulateParams, Simulation, SimulationTally};
use crate::spof::{Spof, UnitRank};
use crate::validate::Validation;

use super::{ReportError, ReportParams};

/// How the scenario of the recovery sections was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Choice {
    /// The site whose loss breaks the most RTOs.
    WorstSite,
    /// The caller's `lose`.
    Given,
}

/// One site's loss, as the search for the worst one saw it.
#[derive(Debug, Clone)]
pub(crate) struct SiteLoss {
    pub(crate) site: String,
    pub(crate) affected: usize,
    pub(crate) breaches: usize,
    pub(crate) never_back: usize,
}

/// The scenario of sections C, E and F and what they show of it.
#[derive(Debug)]
pub(crate) struct Scenario {
    pub(crate) lose: Vec<String>,
    pub(crate) choice: Choice,
    pub(crate) impact: Impact,
    pub(crate) schedule: Schedule,
    pub(crate) gantt: Gantt,
    pub(crate) simulation: Simulation,
    pub(crate) tally: SimulationTally,
}

/// The analyses' results.
#[derive(Debug)]
pub(crate) struct Facts<'a> {
    pub(crate) analyzer: &'a Analyzer<'a>,
    pub(crate) params: &'a ReportParams,
    pub(crate) validation: Validation,
    pub(crate) objectives: Objectives,
    pub(crate) spof: Spof,
    /// The units by blast radius, counts only.
    pub(crate) ranking: Vec<UnitRank>,
    pub(crate) sites: Vec<SiteLoss>,
    pub(crate) scenario: Option<Scenario>,
    pub(crate) availability: Availability,
    pub(crate) risk: RiskAnalysis,
    pub(crate) currency: Option<Currency>,
    pub(crate) conformance: Option<Conformance>,
    pub(crate) maturity: Option<Maturity>,
    critical: rustc_hash::FxHashSet<String>,
}

impl<'a> Facts<'a> {
    pub(crate) fn gather(
        analyzer: &'a Analyzer<'a>,
        params: &'a ReportParams,
        validation: Validation,
    ) -> Result<Self, ReportError> {
        // Parameters first, so that a bad one fails before any long work.
        let profile =
            crate::governance::profile::Profile::built_in(&params.profile).ok_or_else(|| {
                crate::conformance::ConformanceError::UnknownProfile {
                    name: params.profile.clone(),
                }
            })?;
        if params.iterations > crate::MAX_ITERATIONS {
            return Err(crate::simulate::SimulateError::TooManyIterations {
                asked: params.iterations,
                limit: crate::MAX_ITERATIONS,
            }
            .into());
        }
        let risk = analyzer.risk(&RiskParams::new(params.years, params.seed))?;
        let objectives = analyzer.objectives(&Default::default());
        let spof = analyzer.spof(&Default::default());
        let ranking = spof.ranking();
        let (sites, worst) = site_losses(analyzer)?;
        let (lose, choice) = if params.lose.is_empty() {
            (worst.map(|w| vec![w]), Choice::WorstSite)
        } else {
            (Some(params.lose.clone()), Choice::Given)
        };
        let scenario = match lose {
            Some(lose) => Some(scenario(analyzer, params, lose, choice)?),
            None => None,
        };
        let availability = analyzer.availability(&AvailabilityParams::default())?;
        let (currency, conformance, maturity) = match params.at {
            Some(at) => {
                let currency = analyzer.currency(&CurrencyParams::at(at)).ok();
                let conformance = Some(analyzer.conformance_to(&profile, at));
                let maturity = analyzer.maturity(&MaturityParams::at(at)).ok();
                (currency, conformance, maturity)
            }
            None => (None, None, None),
        };
        Ok(Facts {
            analyzer,
            params,
            validation,
            objectives,
            spof,
            ranking,
            sites,
            scenario,
            availability,
            risk,
            currency,
            conformance,
            maturity,
            critical: crate::governance::critical_functions(analyzer.model())
                .into_iter()
                .map(str::to_owned)
                .collect(),
        })
    }

    pub(crate) fn model(&self) -> &Model {
        self.analyzer.model()
    }

    /// The money unit of impacts and losses.
    pub(crate) fn currency_unit(&self) -> &str {
        self.model().organization.currency()
    }

    /// Whether the function `id` is marked critical.
    pub(crate) fn is_critical(&self, id: &str) -> bool {
        self.critical.contains(id)
    }

    /// The ID of a ranked unit.
    pub(crate) fn unit_id(&self, rank: &UnitRank) -> &str {
        self.spof
            .unit_ids()
            .get(rank.unit)
            .map_or("", String::as_str)
    }

    /// The risk matrix's band labels, lowest first.
    pub(crate) fn risk_bands(&self) -> Vec<String> {
        crate::risk::matrix::MatrixConfig::default()
            .bands
            .into_iter()
            .map(|b| b.label)
            .collect()
    }
}

/// The site whose loss breaks the most RTOs (see [`site_losses`]); `None` without sites.
pub(crate) fn worst_site(
    analyzer: &Analyzer<'_>,
) -> Result<Option<String>, crate::schedule::ScheduleError> {
    site_losses(analyzer).map(|(_, worst)| worst)
}

/// Schedules the loss of every site, in ID order; the worst is the one that breaks the most RTOs,
/// then leaves the most functions never back, then affects the most functions, then the first
/// by ID. `None` without sites.
fn site_losses(
    analyzer: &Analyzer<'_>,
) -> Result<(Vec<SiteLoss>, Option<String>), crate::schedule::ScheduleError> {
    let mut ids: Vec<&str> = analyzer
        .model()
        .sites
        .iter()
        .map(|s| s.id.as_str())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let mut losses = Vec::with_capacity(ids.len());
    analyzer.progress().begin("site losses", ids.len() as u64);
    for site in ids {
        // A caller's poll (a progress bar, Ctrl-C) runs between schedules too; a stop asked
        // here ends the report at its simulation, with its `Cancelled` error.
        crate::threads::poll_here(analyzer.cancel());
        analyzer.progress().advance(1);
        let params = ScheduleParams {
            lose: vec![site.to_owned()],
        };
        let schedule = analyzer.schedule(&params)?;
        losses.push(SiteLoss {
            site: site.to_owned(),
            affected: schedule.functions.len(),
            breaches: schedule
                .functions
                .iter()
                .filter(|f| f.met == Some(false))
                .count(),
            never_back: schedule
                .functions
                .iter()
                .filter(|f| f.up_at.is_none())
                .count(),
        });
    }
    let worst = losses
        .iter()
        .max_by(|a, b| {
            (a.breaches, a.never_back, a.affected)
                .cmp(&(b.breaches, b.never_back, b.affected))
                // Ties go to the first by ID: `max_by` keeps the last of equals.
                .then(b.site.cmp(&a.site))
        })
        .map(|w| w.site.clone());
    Ok((losses, worst))
}

fn scenario(
    analyzer: &Analyzer<'_>,
    params: &ReportParams,
    lose: Vec<String>,
    choice: Choice,
) -> Result<Scenario, ReportError> {
    let schedule = analyzer.schedule(&ScheduleParams { lose: lose.clone() })?;
    let impact = analyzer
        .impact(&ImpactParams {
            lose: lose.clone(),
            at: None,
        })
        .map_err(|crate::impact::ImpactError::UnknownUnit(u)| {
            crate::schedule::ScheduleError::UnknownUnit(u)
        })?;
    let gantt = analyzer.gantt(&schedule);
    let simulate = SimulateParams {
        lose: lose.clone(),
        iterations: params.iterations,
        seed: params.seed,
    };
    let tally = analyzer.simulate_range(&simulate, 0..params.iterations)?;
    let simulation = tally.result();
    Ok(Scenario {
        lose,
        choice,
        impact,
        schedule,
        gantt,
        simulation,
        tally,
    })
}
