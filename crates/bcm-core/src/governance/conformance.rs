//! Policy conformance (DESIGN §4.J): a model checked requirement by requirement against a
//! [`Profile`], each requirement passing, failing or not measured, with its evidence, its count
//! (the ITSCM KPIs are these percentages) and the entities that fail it.

use std::collections::BTreeSet;

use rustc_hash::{FxHashMap, FxHashSet};

use chrono::NaiveDate;
use petgraph::graph::NodeIndex;
use serde::{Deserialize, Serialize};

use super::currency::{Currency, CurrencyParams};
use super::profile::{Check, Profile, ProfileError, Requirement};
use super::{
    Direction, Intervals, after, as_date, covered_by_plans, critical_functions, flag, reach,
};
use crate::Analyzer;
use crate::graph::NodeKind;
use crate::model::{Date, Duration, GeoPoint, Model, PlanKind, SiteRole};
use crate::schedule::ScheduleParams;

/// Which profile to check against.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(untagged)]
pub enum ProfileChoice {
    /// A built-in profile by name (`ma-ebcm`, `itscm`).
    BuiltIn(String),
    /// A profile given in full (the profile file's content as JSON).
    Given(serde_json::Value),
}

/// Parameters of [`conformance`].
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct ConformanceParams {
    /// The date conformance is judged at (required: nothing reads the clock).
    pub at: Option<Date>,
    /// The profile; `None`: `ma-ebcm`.
    pub profile: Option<ProfileChoice>,
}

impl ConformanceParams {
    /// Against the built-in profile `profile` at `at`.
    pub fn at(at: Date, profile: &str) -> Self {
        ConformanceParams {
            at: Some(at),
            profile: Some(ProfileChoice::BuiltIn(profile.to_owned())),
        }
    }
}

/// Why [`conformance`] could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ConformanceError {
    /// No date was given.
    #[error("conformance is judged at a date: pass \"at\" (e.g. {{\"at\": \"2026-12-06\"}})")]
    NoDate,
    /// No built-in profile has that name.
    #[error(
        "there is no built-in profile '{name}' (built in: ma-ebcm, itscm; or give a profile file)"
    )]
    UnknownProfile {
        /// The name given.
        name: String,
    },
    /// The profile given cannot be read.
    #[error(transparent)]
    Profile(#[from] ProfileError),
}

/// A requirement's outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// The model conforms.
    Pass,
    /// It does not.
    Fail,
    /// bcm cannot measure it on this model (the evidence says why).
    NotMeasured,
}

/// One requirement's result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequirementResult {
    /// Its ID in the profile.
    pub id: String,
    /// The clause, in the policy's words.
    pub clause: String,
    /// The check's name (`plans-tested`).
    pub check: &'static str,
    /// The check's parameters as the profile gives them.
    pub params: serde_json::Value,
    /// Pass, fail or not measured.
    pub result: Outcome,
    /// The subjects that pass (`None` when not measured).
    pub numerator: Option<usize>,
    /// The subjects checked (`None` when not measured).
    pub denominator: Option<usize>,
    /// `numerator / denominator` as a percentage (`None` when not measured or nothing to check).
    pub percent: Option<f64>,
    /// The share that must pass.
    pub target: f64,
    /// What was found, in a sentence.
    pub evidence: String,
    /// The entities that fail it, sorted.
    pub failing: Vec<String>,
}

/// How many requirements pass.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Score {
    /// Requirements that pass.
    pub passed: usize,
    /// Requirements that fail.
    pub failed: usize,
    /// Requirements bcm could not measure.
    pub not_measured: usize,
    /// `passed / (passed + failed)` as a percentage (`None` if nothing was measured).
    pub percent: Option<f64>,
}

/// The result of [`conformance`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Conformance {
    /// The profile's short name.
    pub profile: String,
    /// Its title.
    pub name: String,
    /// The date of judgement.
    pub at: Date,
    /// The score.
    pub score: Score,
    /// Every requirement, in the profile's order.
    pub requirements: Vec<RequirementResult>,
}

impl Conformance {
    /// Every measured requirement passes.
    pub fn conforms(&self) -> bool {
        self.score.failed == 0
    }
}

/// Conformance of `model` to a profile at a date (DESIGN §4.J).
///
/// ```
/// use bcm_core::Model;
/// use bcm_core::conformance::{conformance, ConformanceParams, Outcome};
/// let m = Model::from_yaml_str(
///     "bcm: 1\nplans: [{id: bcp, kind: bcp, sections: [scope, risk], tested: 2026-01-10}]\n",
/// )?;
/// let r = conformance(&m, &ConformanceParams::at("2026-06-01".parse().unwrap(), "ma-ebcm"))?;
/// let clause = |id: &str| r.requirements.iter().find(|q| q.id == id).unwrap().result;
/// assert_eq!(clause("5(a)"), Outcome::Pass); // the BCP has its scope
/// assert_eq!(clause("5(c)"), Outcome::Fail); // but no BIA section
/// assert_eq!(clause("8"), Outcome::Pass); // tested within the year
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`ConformanceError`] without a date, for an unknown built-in profile or a profile that cannot
/// be read.
pub fn conformance(
    model: &Model,
    params: &ConformanceParams,
) -> Result<Conformance, ConformanceError> {
    Analyzer::borrowed(model).conformance(params)
}

pub(crate) fn compute(
    analyzer: &Analyzer<'_>,
    params: &ConformanceParams,
) -> Result<Conformance, ConformanceError> {
    let at = params.at.ok_or(ConformanceError::NoDate)?;
    let profile = match &params.profile {
        None => built_in("ma-ebcm")?,
        Some(ProfileChoice::BuiltIn(name)) => built_in(name)?,
        Some(ProfileChoice::Given(value)) => Profile::from_value(value.clone())?,
    };
    Ok(check_profile(analyzer, &profile, at))
}

fn built_in(name: &str) -> Result<Profile, ConformanceError> {
    Profile::built_in(name).ok_or_else(|| ConformanceError::UnknownProfile {
        name: name.to_owned(),
    })
}

/// Checks `profile` at `at`.
pub(crate) fn check_profile(analyzer: &Analyzer<'_>, profile: &Profile, at: Date) -> Conformance {
    let facts = Facts::gather(analyzer, at);
    let requirements: Vec<RequirementResult> = profile
        .requirements
        .iter()
        .map(|r| judge(r, facts.measure(&r.check)))
        .collect();
    let count = |o: Outcome| requirements.iter().filter(|r| r.result == o).count();
    let (passed, failed, not_measured) = (
        count(Outcome::Pass),
        count(Outcome::Fail),
        count(Outcome::NotMeasured),
    );
    let score = Score {
        passed,
        failed,
        not_measured,
        percent: percent(passed, passed + failed),
    };
    Conformance {
        profile: profile.profile.clone(),
        name: profile.name.clone(),
        at: as_date(at.day()),
        score,
        requirements,
    }
}

fn percent(part: usize, whole: usize) -> Option<f64> {
    (whole > 0).then(|| part as f64 * 100.0 / whole as f64)
}

/// What a check counted.
enum Measure {
    Counted {
        /// How many subjects were checked.
        subjects: usize,
        /// The ones that fail.
        failing: Vec<String>,
        /// What the subjects are ("plans tested within 365 days").
        what: String,
        /// With no subject at all, the requirement passes (nothing to conform) or fails
        /// (nothing shows conformance, e.g. no plans).
        empty_passes: bool,
    },
    NotMeasured(String),
}

fn judge(requirement: &Requirement, measure: Measure) -> RequirementResult {
    let params = serde_json::to_value(&requirement.check)
        .ok()
        .and_then(|v| v.get("params").cloned())
        .unwrap_or(serde_json::Value::Null);
    let base = |result, numerator, denominator, evidence, failing| RequirementResult {
        id: requirement.id.clone(),
        clause: requirement.clause.clone(),
        check: requirement.check.name(),
        params: params.clone(),
        result,
        numerator,
        denominator,
        percent: numerator.zip(denominator).and_then(|(n, d)| percent(n, d)),
        target: requirement.target,
        evidence,
        failing,
    };
    match measure {
        Measure::NotMeasured(why) => base(Outcome::NotMeasured, None, None, why, Vec::new()),
        Measure::Counted {
            subjects,
            mut failing,
            what,
            empty_passes,
        } => {
            failing.sort();
            failing.dedup();
            let passing = subjects.saturating_sub(failing.len());
            let (result, evidence) = if subjects == 0 {
                let result = if empty_passes {
                    Outcome::Pass
                } else {
                    Outcome::Fail
                };
                (result, format!("none to check: no {what}"))
            } else {
                // Exact in integers, the target read to a millionth.
                let needed = (requirement.target * 1_000_000.0).round() as u64 * subjects as u64;
                let result = if passing as u64 * 1_000_000 >= needed {
                    Outcome::Pass
                } else {
                    Outcome::Fail
                };
                (result, format!("{passing} of {subjects} {what}"))
            };
            base(result, Some(passing), Some(subjects), evidence, failing)
        }
    }
}

/// What the checks read, gathered once.
struct Facts<'a> {
    analyzer: &'a Analyzer<'a>,
    model: &'a Model,
    at: NaiveDate,
    intervals: Intervals,
    currency: Option<Currency>,
    critical: Vec<&'a str>,
}

impl<'a> Facts<'a> {
    fn gather(analyzer: &'a Analyzer<'a>, at: Date) -> Self {
        let model = analyzer.model();
        Facts {
            analyzer,
            model,
            at: at.day(),
            intervals: Intervals::of(&model.organization),
            currency: analyzer.currency(&CurrencyParams::at(at)).ok(),
            critical: critical_functions(model),
        }
    }

    fn measure(&self, check: &Check) -> Measure {
        match check {
            Check::PlansCoverCritical {
                kinds,
                through_needs,
            } => self.plans_cover_critical(kinds, *through_needs),
            Check::CriticalAssessed {} => self.critical_assessed(),
            Check::PlanSections { sections, kinds } => {
                let names = |v: Vec<&str>| v.join(", ");
                let plans: Vec<_> = self
                    .model
                    .plans
                    .iter()
                    .filter(|p| kinds.contains(&p.kind))
                    .collect();
                let failing = plans
                    .iter()
                    .filter(|p| sections.iter().any(|s| !p.sections.contains(s)))
                    .map(|p| p.id.to_string())
                    .collect();
                Measure::Counted {
                    subjects: plans.len(),
                    failing,
                    what: format!(
                        "{} plans with the {} section(s)",
                        names(kinds.iter().map(|k| k.as_str()).collect()),
                        names(sections.iter().map(|s| s.as_str()).collect())
                    ),
                    empty_passes: false,
                }
            }
            Check::CriticalVendorsObligated { alternates } => self.vendors_obligated(*alternates),
            Check::PlanCopiesDistant { min_km } => self.copies_distant(*min_km),
            Check::PlansReviewed { within } => {
                let within = within.unwrap_or(self.intervals.review);
                self.plans(
                    |p| p.reviewed.map(|d| d.day()),
                    within,
                    &format!("plans reviewed within {within}"),
                )
            }
            Check::PlansTested { within } => {
                let within = within.unwrap_or(self.intervals.test);
                let states = self
                    .currency
                    .as_ref()
                    .map(|c| first_by_id(&c.plans, |s| s.id.as_str()))
                    .unwrap_or_default();
                let tested = |p: &crate::model::Plan| {
                    states
                        .get(p.id.as_str())
                        .and_then(|s| s.tested.map(|d| d.day()))
                };
                self.plans(tested, within, &format!("plans tested within {within}"))
            }
            Check::PlansCurrent {} => {
                let Some(currency) = &self.currency else {
                    return Measure::NotMeasured("plan currency could not run".to_owned());
                };
                let failing = currency
                    .plans
                    .iter()
                    .filter(|p| !p.stale_by.is_empty() || p.review_overdue)
                    .map(|p| p.id.clone())
                    .collect();
                Measure::Counted {
                    subjects: currency.plans.len(),
                    failing,
                    what: "plans current (reviewed since every change in their scope, and \
                           within the review interval)"
                        .to_owned(),
                    empty_passes: false,
                }
            }
            Check::PeopleTrained { within } => {
                self.people_trained(within.unwrap_or(self.intervals.training))
            }
            Check::PlansAndBiasReviewed { within } => {
                let within = within.unwrap_or(self.intervals.review);
                let Measure::Counted {
                    subjects,
                    mut failing,
                    ..
                } = self.plans(|p| p.reviewed.map(|d| d.day()), within, "")
                else {
                    return Measure::NotMeasured(String::new());
                };
                let mut subjects = subjects;
                let functions = first_by_id(&self.model.functions, |f| f.id.as_str());
                for id in &self.critical {
                    subjects += 1;
                    let bia = functions.get(*id).and_then(|f| f.bia.map(|d| d.day()));
                    if bia.is_none_or(|d| after(d, within) < self.at) {
                        failing.push((*id).to_owned());
                    }
                }
                Measure::Counted {
                    subjects,
                    failing,
                    what: format!(
                        "plans reviewed and critical functions' BIAs done within {within}"
                    ),
                    empty_passes: false,
                }
            }
            Check::RtoAchievable {} => self.rto_achievable(),
            Check::RiskReduction {} => Measure::NotMeasured(
                "residual against inherent annual loss expectancy: bcm does not compute \
                 quantitative risk yet"
                    .to_owned(),
            ),
        }
    }

    /// The IDs of the functions that `keep`.
    fn function_ids(&self, keep: impl Fn(&crate::model::Function) -> bool) -> FxHashSet<&'a str> {
        self.model
            .functions
            .iter()
            .filter(|f| keep(f))
            .map(|f| f.id.as_str())
            .collect()
    }

    fn critical_nodes(&self) -> Vec<NodeIndex> {
        let graph = self.analyzer.graph();
        self.critical
            .iter()
            .filter_map(|id| graph.node(id))
            .collect()
    }

    fn over_critical(&self, failing: Vec<String>, what: String) -> Measure {
        Measure::Counted {
            subjects: self.critical.len(),
            failing,
            what,
            empty_passes: false,
        }
    }

    fn plans_cover_critical(&self, kinds: &[PlanKind], through_needs: bool) -> Measure {
        let graph = self.analyzer.graph();
        let mut failing = Vec::new();
        let covered: Vec<Vec<bool>> = kinds
            .iter()
            .map(|kind| covered_by_plans(self.analyzer, *kind, through_needs))
            .collect();
        for id in &self.critical {
            let ok = graph
                .node(id)
                .is_some_and(|n| covered.iter().all(|c| flag(c, n)));
            if !ok {
                failing.push((*id).to_owned());
            }
        }
        let kinds: Vec<&str> = kinds.iter().map(|k| k.as_str()).collect();
        self.over_critical(
            failing,
            format!(
                "critical functions covered by a {} plan each",
                kinds.join(", ")
            ),
        )
    }

    fn critical_assessed(&self) -> Measure {
        let graph = self.analyzer.graph();
        let risked: Vec<NodeIndex> = self
            .model
            .risks
            .iter()
            .filter_map(|r| graph.node(r.asset.as_str()))
            .collect();
        let assessed = reach(self.analyzer, &risked, Direction::Dependents, false);
        let with_bia = self.function_ids(|f| f.bia.is_some());
        let failing = self
            .critical
            .iter()
            .filter(|id| {
                !with_bia.contains(**id) || !graph.node(id).is_some_and(|n| flag(&assessed, n))
            })
            .map(|id| (*id).to_owned())
            .collect();
        self.over_critical(
            failing,
            "critical functions with a BIA and a risk assessed on what they need".to_owned(),
        )
    }

    fn vendors_obligated(&self, alternates: bool) -> Measure {
        let graph = self.analyzer.graph();
        let needed = reach(
            self.analyzer,
            &self.critical_nodes(),
            Direction::Dependencies,
            true,
        );
        let mut critical_vendors: BTreeSet<&str> = BTreeSet::new();
        for n in graph.nodes().filter(|n| flag(&needed, *n)) {
            let Some(w) = graph.weight(n) else { continue };
            match w.kind {
                NodeKind::Vendor => {
                    critical_vendors.insert(graph.id(n));
                }
                NodeKind::Asset | NodeKind::Group => {
                    if let Some(v) = self
                        .model
                        .assets
                        .get(w.index)
                        .and_then(|a| a.vendor.as_ref())
                    {
                        critical_vendors.insert(v.as_str());
                    }
                }
                NodeKind::Function => {}
            }
        }
        let vendors = first_by_id(&self.model.vendors, |v| v.id.as_str());
        let failing = critical_vendors
            .iter()
            .filter(|id| {
                let vendor = vendors.get(**id);
                !vendor.is_some_and(|v| {
                    v.bc_obligation == Some(true) && (!alternates || !v.alternates.is_empty())
                })
            })
            .map(|id| (*id).to_owned())
            .collect();
        Measure::Counted {
            subjects: critical_vendors.len(),
            failing,
            what: if alternates {
                "critical vendors obliged to meet continuity requirements, with an alternate"
            } else {
                "critical vendors obliged to meet continuity requirements"
            }
            .to_owned(),
            empty_passes: true,
        }
    }

    fn copies_distant(&self, min_km: f64) -> Measure {
        let sites = first_by_id(&self.model.sites, |s| s.id.as_str());
        let location = |site: &str| sites.get(site).and_then(|s| s.location);
        let primaries: Vec<GeoPoint> = self
            .model
            .sites
            .iter()
            .filter(|s| s.role == Some(SiteRole::Primary))
            .filter_map(|s| s.location)
            .collect();
        if primaries.is_empty() {
            return Measure::NotMeasured(
                "no primary site has a location, so the distance of plan copies cannot be \
                 measured"
                    .to_owned(),
            );
        }
        let failing = self
            .model
            .plans
            .iter()
            .filter(|p| {
                !p.copies.iter().any(|copy| {
                    let point = copy
                        .location
                        .or_else(|| copy.site.as_ref().and_then(|s| location(s.as_str())));
                    point.is_some_and(|c| {
                        primaries
                            .iter()
                            .all(|primary| great_circle_km(*primary, c) >= min_km)
                    })
                })
            })
            .map(|p| p.id.to_string())
            .collect();
        Measure::Counted {
            subjects: self.model.plans.len(),
            failing,
            what: format!("plans with a copy at least {min_km} km from every primary site"),
            empty_passes: false,
        }
    }

    /// Plans whose `date` (review, test) is within `within` of the date of judgement.
    fn plans(
        &self,
        date: impl Fn(&crate::model::Plan) -> Option<NaiveDate>,
        within: Duration,
        what: &str,
    ) -> Measure {
        let failing = self
            .model
            .plans
            .iter()
            .filter(|p| date(p).is_none_or(|d| after(d, within) < self.at))
            .map(|p| p.id.to_string())
            .collect();
        Measure::Counted {
            subjects: self.model.plans.len(),
            failing,
            what: what.to_owned(),
            empty_passes: false,
        }
    }

    fn people_trained(&self, within: Duration) -> Measure {
        // The members of every team some plan names.
        let named: FxHashSet<&str> = self
            .model
            .plans
            .iter()
            .flat_map(|p| p.teams.iter().map(|t| t.as_str()))
            .collect();
        let mut people: BTreeSet<&str> = BTreeSet::new();
        for team in self
            .model
            .teams
            .iter()
            .filter(|t| named.contains(t.id.as_str()))
        {
            people.extend(team.members.iter().map(|m| m.as_str()));
        }
        let contacts = first_by_id(&self.model.contacts, |c| c.id.as_str());
        let failing = people
            .iter()
            .filter(|id| {
                let trained = contacts.get(**id).and_then(|c| c.trained.map(|d| d.day()));
                trained.is_none_or(|d| after(d, within) < self.at)
            })
            .map(|id| (*id).to_owned())
            .collect();
        Measure::Counted {
            subjects: people.len(),
            failing,
            what: format!("people in plan teams trained within {within}"),
            empty_passes: false,
        }
    }

    fn rto_achievable(&self) -> Measure {
        let mut failing: BTreeSet<String> = BTreeSet::new();
        let without_rto = self.function_ids(|f| f.rto.is_none());
        for id in &self.critical {
            if without_rto.contains(*id) {
                failing.insert((*id).to_owned());
            }
        }
        let critical: BTreeSet<&str> = self.critical.iter().copied().collect();
        for site in &self.model.sites {
            let params = ScheduleParams {
                lose: vec![site.id.to_string()],
            };
            let Ok(schedule) = self.analyzer.schedule(&params) else {
                continue;
            };
            for f in &schedule.functions {
                if critical.contains(f.id.as_str()) && f.met == Some(false) {
                    failing.insert(f.id.clone());
                }
            }
            for id in &schedule.blocked {
                if critical.contains(id.as_str()) {
                    failing.insert(id.clone());
                }
            }
        }
        self.over_critical(
            failing.into_iter().collect(),
            format!(
                "critical functions with an RTO met in the recovery schedule of the loss of \
                 each of the {} site(s)",
                self.model.sites.len()
            ),
        )
    }
}

/// `items` by ID, the first of each ID (as a search from the front finds it).
fn first_by_id<T>(items: &[T], id: impl Fn(&T) -> &str) -> FxHashMap<&str, &T> {
    let mut map = FxHashMap::default();
    for item in items {
        map.entry(id(item)).or_insert(item);
    }
    map
}

/// The great-circle distance in kilometres (haversine, mean Earth radius 6371.0088 km).
pub fn great_circle_km(a: GeoPoint, b: GeoPoint) -> f64 {
    let (la1, la2) = (a.lat.to_radians(), b.lat.to_radians());
    let dlat = la2 - la1;
    let dlon = (b.lon - a.lon).to_radians();
    let h = (dlat / 2.0).sin().powi(2) + la1.cos() * la2.cos() * (dlon / 2.0).sin().powi(2);
    2.0 * 6371.0088 * h.sqrt().min(1.0).asin()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn boston_to_springfield_is_129_km() {
        let boston = GeoPoint {
            lat: 42.3601,
            lon: -71.0589,
        };
        let springfield = GeoPoint {
            lat: 42.1015,
            lon: -72.5898,
        };
        let d = great_circle_km(boston, springfield);
        // The spherical law of cosines on the same radius gives 129.281 km.
        assert!((d - 129.281).abs() < 0.001, "{d}");
        assert_eq!(great_circle_km(boston, boston), 0.0);
    }
}
