//! What the model itself shows about a maturity criterion (DESIGN §4.K).
//!
//! Each criterion the model can speak to maps to a [`Check`]; the others (e.g. BCD-12.2 L2.1,
//! "BC/DR management is decentralized") only an assessor can declare. Checks about "critical"
//! things read the functions marked `criticality: critical` and everything they need through any
//! edge (hard or soft, group members included); with no critical function those checks fail,
//! since nothing identifies what is critical.

use std::collections::BTreeSet;

use petgraph::graph::NodeIndex;
use rustc_hash::FxHashMap;
use serde::Serialize;

use crate::Analyzer;
use crate::governance::{Direction, covered_by_plans, critical_functions, flag, reach};
use crate::graph::NodeKind;
use crate::model::{Asset, AssetKind, Criticality, FailoverMode, Model, PlanKind, SiteRole};
use crate::objectives::Gap;

/// A fact of the model that demonstrates a criterion.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
#[non_exhaustive]
pub enum Check {
    /// Some function is critical and every critical function records what it depends on.
    CriticalIdentified,
    /// At least one plan of the kind exists.
    AnyPlan(PlanKind),
    /// Some asset a critical function needs has a backup interval.
    SomeBackups,
    /// Some redundancy group of infrastructure or service members fails over automatically.
    SomeNetworkFailover,
    /// Every plan has an owner and a team.
    PlanRolesAssigned,
    /// Every critical function has an RTO, and the model has an alternate site.
    RtosWithAlternateSite,
    /// A DRP covers every critical function or something it needs.
    DrpCoversCritical,
    /// No critical function's BIA is due (plan currency).
    BiaCurrent,
    /// A BCP covers every critical function.
    BcpCoversCritical,
    /// Every backed-up data asset a critical function needs has a copy at another site: it is
    /// in a redundancy group with a member at a different site.
    OffsiteBackups,
    /// No node a critical function needs has a G-RPO gap.
    BackupsMeetRpo,
    /// Every critical function needs some automatically failing-over redundancy group.
    FailoverOnCriticalPaths,
    /// Every critical function needs some automatically failing-over group of infrastructure or
    /// service members.
    NetworkFailoverOnCriticalPaths,
    /// A COOP plan exists and every plan has an owner and a team.
    FormalProgramme,
    /// Every asset a critical function needs has an owner, every vendor a contact.
    OwnersOnCriticalPaths,
    /// Every critical function has an RTO.
    RtosDefined,
    /// Every critical function has an RPO.
    RposDefined,
    /// DRPs cover the critical functions and the backups meet their RPOs.
    DrpWithinRpo,
    /// BCPs cover the critical functions and nothing they need has a G-RTO gap.
    BcpWithinRto,
    /// Every backed-up asset has an owner and a team.
    BackupOwned,
}

/// The check that demonstrates criterion `id` of control `control`, if the model can.
pub fn check_of(control: &str, id: &str) -> Option<Check> {
    if control != "BCD-12.2" {
        return None;
    }
    Some(match id {
        "L1.1" => Check::CriticalIdentified,
        "L1.2" => Check::AnyPlan(PlanKind::Drp),
        "L1.3" => Check::AnyPlan(PlanKind::Bcp),
        "L1.4" => Check::SomeBackups,
        "L1.5" => Check::SomeNetworkFailover,
        "L2.3" => Check::PlanRolesAssigned,
        "L2.4" => Check::RtosWithAlternateSite,
        "L2.5" => Check::DrpCoversCritical,
        "L2.6" | "L3.3" => Check::BiaCurrent,
        "L2.7" => Check::BcpCoversCritical,
        "L2.8" => Check::OffsiteBackups,
        "L2.9" => Check::BackupsMeetRpo,
        "L2.10" | "L3.10" => Check::FailoverOnCriticalPaths,
        "L2.11" | "L3.11" => Check::NetworkFailoverOnCriticalPaths,
        "L3.1" => Check::FormalProgramme,
        "L3.2" => Check::OwnersOnCriticalPaths,
        "L3.4" => Check::RtosDefined,
        "L3.5" => Check::RposDefined,
        "L3.7" => Check::DrpWithinRpo,
        "L3.8" => Check::BcpWithinRto,
        "L3.9" => Check::BackupOwned,
        _ => return None,
    })
}

/// What a check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Derived {
    /// The model demonstrates the criterion.
    pub met: bool,
    /// What was found, in a sentence.
    pub evidence: String,
    /// The entities that fail it, sorted.
    pub failing: Vec<String>,
}

/// The facts the checks read, gathered once per assessment.
pub(crate) struct Facts<'m> {
    model: &'m Model,
    analyzer: &'m Analyzer<'m>,
    /// The critical functions' IDs, sorted.
    critical: Vec<&'m str>,
    /// Every node a critical function needs (the functions included).
    needed: Vec<bool>,
    /// The nodes with each gap code.
    rpo_gaps: BTreeSet<String>,
    rto_gaps: BTreeSet<String>,
    /// Functions whose BIA is due.
    bia_due: BTreeSet<String>,
    /// Assets by ID, and the groups each asset is a member of.
    assets: FxHashMap<&'m str, &'m Asset>,
    groups_of: FxHashMap<&'m str, Vec<&'m Asset>>,
}

impl<'m> Facts<'m> {
    pub(crate) fn gather(analyzer: &'m Analyzer<'m>, bia_due: BTreeSet<String>) -> Self {
        let model = analyzer.model();
        let graph = analyzer.graph();
        let critical = critical_functions(model);
        let roots: Vec<NodeIndex> = critical.iter().filter_map(|id| graph.node(id)).collect();
        let needed = reach(analyzer, &roots, Direction::Dependencies, false);
        let objectives = analyzer.objectives(&Default::default());
        let with = |gap: Gap| -> BTreeSet<String> {
            objectives
                .nodes
                .iter()
                .filter(|n| n.gaps.contains(&gap))
                .filter(|n| graph.node(&n.id).is_some_and(|x| flag(&needed, x)))
                .map(|n| n.id.clone())
                .collect()
        };
        let assets: FxHashMap<&str, &Asset> =
            model.assets.iter().map(|a| (a.id.as_str(), a)).collect();
        let mut groups_of: FxHashMap<&str, Vec<&Asset>> = FxHashMap::default();
        for group in model.assets.iter().filter(|a| a.is_group()) {
            for member in &group.members {
                groups_of.entry(member.as_str()).or_default().push(group);
            }
        }
        Facts {
            model,
            analyzer,
            assets,
            groups_of,
            critical,
            rpo_gaps: with(Gap::Rpo),
            rto_gaps: with(Gap::Rto),
            needed,
            bia_due,
        }
    }

    /// Runs `check`.
    pub(crate) fn derive(&self, check: Check) -> Derived {
        match check {
            Check::CriticalIdentified => self.critical_identified(),
            Check::AnyPlan(kind) => self.any_plan(kind),
            Check::SomeBackups => self.some_backups(),
            Check::SomeNetworkFailover => self.some_network_failover(),
            Check::PlanRolesAssigned => self.plan_roles(),
            Check::RtosWithAlternateSite => {
                let rtos = self.every_critical("an RTO", |f| f.rto.is_some());
                let alternate = self
                    .model
                    .sites
                    .iter()
                    .any(|s| s.role == Some(SiteRole::Alternate));
                if alternate {
                    rtos
                } else {
                    Derived {
                        met: false,
                        evidence: format!("{}; no site has the role alternate", rtos.evidence),
                        failing: rtos.failing,
                    }
                }
            }
            Check::DrpCoversCritical => self.covered_by(PlanKind::Drp, true),
            Check::BiaCurrent => self.criticals_without("a BIA due", &self.bia_due),
            Check::BcpCoversCritical => self.covered_by(PlanKind::Bcp, false),
            Check::OffsiteBackups => self.offsite_backups(),
            Check::BackupsMeetRpo => gaps_check("G-RPO", &self.rpo_gaps),
            Check::FailoverOnCriticalPaths => self.failover_behind(false),
            Check::NetworkFailoverOnCriticalPaths => self.failover_behind(true),
            Check::FormalProgramme => {
                let coop = self.any_plan(PlanKind::Coop);
                let roles = self.plan_roles();
                both(coop, roles)
            }
            Check::OwnersOnCriticalPaths => self.owners_on_critical_paths(),
            Check::RtosDefined => self.every_critical("an RTO", |f| f.rto.is_some()),
            Check::RposDefined => self.every_critical("an RPO", |f| f.rpo.is_some()),
            Check::DrpWithinRpo => both(
                self.covered_by(PlanKind::Drp, true),
                gaps_check("G-RPO", &self.rpo_gaps),
            ),
            Check::BcpWithinRto => both(
                self.covered_by(PlanKind::Bcp, false),
                gaps_check("G-RTO", &self.rto_gaps),
            ),
            Check::BackupOwned => self.backup_owned(),
        }
    }

    fn no_critical(&self) -> Option<Derived> {
        self.critical
            .is_empty()
            .then(|| unmet("no function is marked critical".to_owned()))
    }

    fn every_critical(&self, what: &str, has: impl Fn(&crate::model::Function) -> bool) -> Derived {
        if let Some(none) = self.no_critical() {
            return none;
        }
        let failing: Vec<String> = self
            .model
            .functions
            .iter()
            .filter(|f| f.criticality == Some(Criticality::Critical) && !has(f))
            .map(|f| f.id.to_string())
            .collect();
        counted(
            failing,
            self.critical.len(),
            &format!("critical functions with {what}"),
        )
    }

    fn criticals_without(&self, what: &str, bad: &BTreeSet<String>) -> Derived {
        if let Some(none) = self.no_critical() {
            return none;
        }
        let failing: Vec<String> = self
            .critical
            .iter()
            .filter(|id| bad.contains(**id))
            .map(|id| (*id).to_owned())
            .collect();
        counted(
            failing,
            self.critical.len(),
            &format!("critical functions without {what}"),
        )
    }

    fn critical_identified(&self) -> Derived {
        self.every_critical("their dependencies recorded", |f| !f.depends_on.is_empty())
    }

    fn any_plan(&self, kind: PlanKind) -> Derived {
        let plans: Vec<&str> = self
            .model
            .plans
            .iter()
            .filter(|p| p.kind == kind)
            .map(|p| p.id.as_str())
            .collect();
        Derived {
            met: !plans.is_empty(),
            evidence: if plans.is_empty() {
                format!("no {} plan", kind.as_str())
            } else {
                format!("{} plan(s): {}", kind.as_str(), plans.join(", "))
            },
            failing: Vec::new(),
        }
    }

    fn some_backups(&self) -> Derived {
        let backed: Vec<&str> = self
            .needed_assets()
            .filter(|a| a.backup_interval.is_some())
            .map(|a| a.id.as_str())
            .collect();
        Derived {
            met: !backed.is_empty(),
            evidence: format!(
                "{} asset(s) that critical functions need are backed up",
                backed.len()
            ),
            failing: Vec::new(),
        }
    }

    fn automatic(asset: &Asset) -> bool {
        asset.is_group()
            && matches!(
                asset.failover,
                Some(FailoverMode::RealTime | FailoverMode::NearRealTime)
            )
    }

    /// An automatic-failover group with an infrastructure or service member.
    fn network_group(&self, asset: &Asset) -> bool {
        Self::automatic(asset)
            && asset.members.iter().any(|m| {
                self.assets.get(m.as_str()).is_some_and(|a| {
                    matches!(a.kind, AssetKind::Infrastructure | AssetKind::Service)
                })
            })
    }

    fn some_network_failover(&self) -> Derived {
        let groups: Vec<&str> = self
            .model
            .assets
            .iter()
            .filter(|a| self.network_group(a))
            .map(|a| a.id.as_str())
            .collect();
        Derived {
            met: !groups.is_empty(),
            evidence: if groups.is_empty() {
                "no infrastructure or service group fails over automatically".to_owned()
            } else {
                format!("automatic failover groups: {}", groups.join(", "))
            },
            failing: Vec::new(),
        }
    }

    fn plan_roles(&self) -> Derived {
        if self.model.plans.is_empty() {
            return unmet("no plans".to_owned());
        }
        let failing: Vec<String> = self
            .model
            .plans
            .iter()
            .filter(|p| p.owner.is_none() || p.teams.is_empty())
            .map(|p| p.id.to_string())
            .collect();
        counted(
            failing,
            self.model.plans.len(),
            "plans with an owner and a team",
        )
    }

    /// Critical functions covered by a plan of `kind`: directly, or (with `through_needs`)
    /// through anything they need.
    fn covered_by(&self, kind: PlanKind, through_needs: bool) -> Derived {
        if let Some(none) = self.no_critical() {
            return none;
        }
        let graph = self.analyzer.graph();
        let reached = covered_by_plans(self.analyzer, kind, through_needs);
        let failing: Vec<String> = self
            .critical
            .iter()
            .filter(|id| !graph.node(id).is_some_and(|n| flag(&reached, n)))
            .map(|id| (*id).to_owned())
            .collect();
        counted(
            failing,
            self.critical.len(),
            &format!("critical functions covered by a {}", kind.as_str()),
        )
    }

    fn needed_assets(&self) -> impl Iterator<Item = &'m Asset> + '_ {
        let graph = self.analyzer.graph();
        self.model.assets.iter().filter(move |a| {
            graph
                .node(a.id.as_str())
                .is_some_and(|n| flag(&self.needed, n))
        })
    }

    fn offsite_backups(&self) -> Derived {
        if let Some(none) = self.no_critical() {
            return none;
        }
        let site_of = |id: &str| self.assets.get(id).and_then(|a| a.site.as_ref());
        let backed: Vec<&Asset> = self
            .needed_assets()
            .filter(|a| a.kind == AssetKind::Data && a.backup_interval.is_some())
            .collect();
        if backed.is_empty() {
            return unmet("no data that critical functions need is backed up".to_owned());
        }
        let failing: Vec<String> = backed
            .iter()
            .filter(|a| {
                let here = a.site.as_ref();
                let groups = self.groups_of.get(a.id.as_str());
                !groups.into_iter().flatten().any(|g| {
                    g.members
                        .iter()
                        .any(|m| m != &a.id && site_of(m.as_str()).is_some_and(|s| Some(s) != here))
                })
            })
            .map(|a| a.id.to_string())
            .collect();
        counted(
            failing,
            backed.len(),
            "backed-up data that critical functions need with a copy at another site",
        )
    }

    /// Critical functions that need an automatic-failover group (of infrastructure or service
    /// members, with `network`).
    fn failover_behind(&self, network: bool) -> Derived {
        if let Some(none) = self.no_critical() {
            return none;
        }
        let graph = self.analyzer.graph();
        let groups: Vec<NodeIndex> = self
            .model
            .assets
            .iter()
            .filter(|a| {
                if network {
                    self.network_group(a)
                } else {
                    Self::automatic(a)
                }
            })
            .filter_map(|a| graph.node(a.id.as_str()))
            .collect();
        let behind = reach(self.analyzer, &groups, Direction::Dependents, false);
        let failing: Vec<String> = self
            .critical
            .iter()
            .filter(|id| !graph.node(id).is_some_and(|n| flag(&behind, n)))
            .map(|id| (*id).to_owned())
            .collect();
        let what = if network {
            "critical functions behind an automatic network failover"
        } else {
            "critical functions behind an automatic failover"
        };
        counted(failing, self.critical.len(), what)
    }

    fn owners_on_critical_paths(&self) -> Derived {
        if let Some(none) = self.no_critical() {
            return none;
        }
        let graph = self.analyzer.graph();
        let mut total = 0;
        let mut failing = Vec::new();
        for n in graph.nodes().filter(|n| flag(&self.needed, *n)) {
            let Some(w) = graph.weight(n) else { continue };
            let owned = match w.kind {
                NodeKind::Asset | NodeKind::Group => {
                    self.model.assets.get(w.index).map(|a| a.owner.is_some())
                }
                NodeKind::Vendor => self.model.vendors.get(w.index).map(|v| v.contact.is_some()),
                NodeKind::Function => None,
            };
            if let Some(owned) = owned {
                total += 1;
                if !owned {
                    failing.push(graph.id(n).to_owned());
                }
            }
        }
        counted(
            failing,
            total,
            "assets (with an owner) and vendors (with a contact) that critical functions need",
        )
    }

    fn backup_owned(&self) -> Derived {
        let backed: Vec<&Asset> = self
            .model
            .assets
            .iter()
            .filter(|a| a.backup_interval.is_some())
            .collect();
        if backed.is_empty() {
            return unmet("no asset is backed up".to_owned());
        }
        let failing: Vec<String> = backed
            .iter()
            .filter(|a| a.owner.is_none() || a.team.is_none())
            .map(|a| a.id.to_string())
            .collect();
        counted(
            failing,
            backed.len(),
            "backed-up assets with an owner and a team",
        )
    }
}

/// Not demonstrated, for the reason given, with no entity to blame.
fn unmet(evidence: impl Into<String>) -> Derived {
    Derived {
        met: false,
        evidence: evidence.into(),
        failing: Vec::new(),
    }
}

/// "n of total {what}", met when nothing fails; the failing entities sorted.
fn counted(mut failing: Vec<String>, total: usize, what: &str) -> Derived {
    failing.sort();
    Derived {
        met: failing.is_empty(),
        evidence: format!("{} of {total} {what}", total.saturating_sub(failing.len())),
        failing,
    }
}

fn gaps_check(code: &str, nodes: &BTreeSet<String>) -> Derived {
    Derived {
        met: nodes.is_empty(),
        evidence: format!(
            "{} node(s) that critical functions need have a {code} gap",
            nodes.len()
        ),
        failing: nodes.iter().cloned().collect(),
    }
}

/// Both demonstrated: the evidence of each, the failures of either.
fn both(a: Derived, b: Derived) -> Derived {
    let mut failing: Vec<String> = a.failing.into_iter().chain(b.failing).collect();
    failing.sort();
    failing.dedup();
    Derived {
        met: a.met && b.met,
        evidence: format!("{}; {}", a.evidence, b.evidence),
        failing,
    }
}
