//! The front page: where the organization stands, in a few figures and one sentence per
//! analysis, each linked to its section.

use serde::Serialize;

use crate::model::Criticality;
use crate::spof::Coverage;

use super::facts::{Choice, Facts};
use super::table::{duration_text, money_text, percent_text};

/// How many SPOFs, breaches, risks and actions the summary names.
const NAMED: usize = 5;

/// How much the model holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ModelSize {
    /// Functions.
    pub functions: usize,
    /// Of which marked critical.
    pub critical_functions: usize,
    /// Assets, groups included.
    pub assets: usize,
    /// Sites.
    pub sites: usize,
    /// Vendors.
    pub vendors: usize,
    /// Contacts.
    pub contacts: usize,
    /// Plans.
    pub plans: usize,
    /// Risks and scenarios.
    pub risks: usize,
    /// Validation errors.
    pub errors: usize,
    /// Validation warnings.
    pub warnings: usize,
}

/// A unit and how much its loss alone takes down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Blast {
    /// The failure unit.
    pub id: String,
    /// Functions it takes down.
    pub takes_down: usize,
    /// Of which critical.
    pub critical: usize,
}

/// A function that misses its RTO in the scenario.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Breach {
    /// The function.
    pub id: String,
    /// Its RTO, seconds.
    pub rto: Option<u64>,
    /// When it is back; `None` if never.
    pub up_at: Option<u64>,
    /// By how much it misses; `None` if never back.
    pub breach: Option<u64>,
}

/// The scenario of the recovery sections and how it goes.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorstLoss {
    /// What is lost.
    pub lose: Vec<String>,
    /// `worst-site` (chosen by bcm) or `given` (asked for).
    pub chosen: &'static str,
    /// Functions it affects.
    pub affected: usize,
    /// The functions that miss their RTO, worst first.
    pub breaches: Vec<Breach>,
    /// P(meet RTO) in the simulation of each affected critical function with an RTO, lowest
    /// first.
    pub p_meet_rto: Vec<(String, f64)>,
}

/// A sentence of the front page and the section it summarises.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Headline {
    /// The section's ID (its anchor).
    pub section: &'static str,
    /// A short label ("Worst site loss").
    pub label: &'static str,
    /// The sentence.
    pub text: String,
    /// Whether it needs attention.
    pub attention: bool,
}

/// The front page.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// The model's size and validation status.
    pub model: ModelSize,
    /// Failover coverage of critical functions.
    pub coverage: Coverage,
    /// The units with the largest blast radius.
    pub top_spofs: Vec<Blast>,
    /// The scenario of the recovery sections.
    pub worst_loss: Option<WorstLoss>,
    /// The risks with the largest residual annual loss: (ID, residual ALE).
    pub top_risks: Vec<(String, f64)>,
    /// Plan-currency actions due at the date, if a date was given.
    pub actions_due: Option<usize>,
    /// The conformance score (percent of the measured requirements passing), if a date was given.
    pub conformance_percent: Option<f64>,
    /// The maturity level reached, if a date was given.
    pub maturity_level: Option<u8>,
    /// One sentence per analysis, in section order.
    pub headlines: Vec<Headline>,
}

pub(crate) fn build(facts: &Facts<'_>) -> Summary {
    let model = facts.model();
    let size = ModelSize {
        functions: model.functions.len(),
        critical_functions: model
            .functions
            .iter()
            .filter(|f| f.criticality == Some(Criticality::Critical))
            .count(),
        assets: model.assets.len(),
        sites: model.sites.len(),
        vendors: model.vendors.len(),
        contacts: model.contacts.len(),
        plans: model.plans.len(),
        risks: facts.risk.register.len(),
        errors: facts.validation.errors().count(),
        warnings: facts.validation.warnings().count(),
    };
    let top_spofs: Vec<Blast> = facts
        .ranking
        .iter()
        .take(NAMED)
        .map(|r| Blast {
            id: facts.unit_id(r).to_owned(),
            takes_down: r.functions,
            critical: r.critical,
        })
        .collect();
    let worst_loss = facts.scenario.as_ref().map(|s| {
        let mut breaches: Vec<Breach> = s
            .schedule
            .functions
            .iter()
            .filter(|f| f.met == Some(false))
            .map(|f| Breach {
                id: f.id.clone(),
                rto: f.rto,
                up_at: f.up_at,
                breach: f.breach,
            })
            .collect();
        // Never back first, then the largest breach, then ID.
        breaches.sort_by(|a, b| {
            let key = |x: &Breach| x.breach.map_or(u64::MAX, |b| b);
            key(b).cmp(&key(a)).then(a.id.cmp(&b.id))
        });
        let mut p_meet_rto: Vec<(String, f64)> = s
            .simulation
            .functions
            .iter()
            .filter(|f| facts.is_critical(&f.id))
            .filter_map(|f| f.p_meet_rto.map(|p| (f.id.clone(), p)))
            .collect();
        p_meet_rto.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        WorstLoss {
            lose: s.lose.clone(),
            chosen: match s.choice {
                Choice::WorstSite => "worst-site",
                Choice::Given => "given",
            },
            affected: s.schedule.functions.len(),
            breaches,
            p_meet_rto,
        }
    });
    let top_risks: Vec<(String, f64)> = facts
        .risk
        .register
        .iter()
        .filter_map(|r| r.losses.as_ref().map(|l| (r.id.clone(), l.ale_residual)))
        .take(NAMED)
        .collect();
    let mut summary = Summary {
        model: size,
        coverage: facts.spof.coverage,
        top_spofs,
        worst_loss,
        top_risks,
        actions_due: facts.currency.as_ref().map(|c| c.actions.len()),
        conformance_percent: facts.conformance.as_ref().and_then(|c| c.score.percent),
        maturity_level: facts.maturity.as_ref().map(|m| m.level),
        headlines: Vec::new(),
    };
    summary.headlines = headlines(facts, &summary);
    summary
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn names<T>(items: &[T], text: impl Fn(&T) -> String) -> String {
    let shown: Vec<String> = items.iter().take(NAMED).map(text).collect();
    let more = items.len().saturating_sub(NAMED);
    if more > 0 {
        format!("{} and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

fn headlines(facts: &Facts<'_>, s: &Summary) -> Vec<Headline> {
    let currency = facts.currency_unit();
    let mut lines = Vec::new();
    let m = &s.model;
    lines.push(Headline {
        section: "validation",
        label: "Model",
        text: format!(
            "{}, {}, {}, {} and {}; {}.",
            plural(m.functions, "function", "functions"),
            format_args!("{} critical", m.critical_functions),
            plural(m.assets, "asset", "assets"),
            plural(m.sites, "site", "sites"),
            plural(m.plans, "plan", "plans"),
            if m.errors == 0 {
                format!("valid, with {}", plural(m.warnings, "warning", "warnings"))
            } else {
                format!(
                    "invalid: {} and {} (results leave out what the errors break)",
                    plural(m.errors, "error", "errors"),
                    plural(m.warnings, "warning", "warnings")
                )
            }
        ),
        attention: m.errors > 0,
    });
    let gaps = facts
        .objectives
        .nodes
        .iter()
        .filter(|n| !n.gaps.is_empty())
        .count();
    lines.push(Headline {
        section: "objectives",
        label: "Objectives",
        text: if gaps == 0 {
            "Every node can be restored in the time its dependents need.".to_owned()
        } else {
            format!(
                "{} cannot be restored, or failed over, in the time the RTOs and RPOs that depend on {} need.",
                plural(gaps, "node", "nodes"),
                if gaps == 1 { "it" } else { "them" }
            )
        },
        attention: gaps > 0,
    });
    let c = &s.coverage;
    let spofs = if s.top_spofs.is_empty() {
        "No unit alone takes a function down.".to_owned()
    } else {
        format!(
            "Largest blast radius: {}.",
            names(&s.top_spofs, |b| format!(
                "{} ({} down, {} critical)",
                b.id, b.takes_down, b.critical
            ))
        )
    };
    lines.push(Headline {
        section: "spof",
        label: "Failover coverage",
        text: format!(
            "{} of {} critical functions have no single point of failure ({}); {} fail over in real time throughout. {spofs}",
            c.without_spof,
            c.critical,
            if c.critical == 0 {
                "none is marked critical".to_owned()
            } else {
                percent_text(c.without_spof as f64 / c.critical as f64)
            },
            c.with_realtime_failover
        ),
        attention: c.without_spof < c.critical,
    });
    match &s.worst_loss {
        Some(w) => {
            let what = format!("Losing {}", w.lose.join(", "));
            let breaks = if w.breaches.is_empty() {
                format!(
                    "every one of the {} it affects meets its RTO",
                    plural(w.affected, "function", "functions")
                )
            } else {
                format!(
                    "{} of the {} it affects miss their RTO: {}",
                    w.breaches.len(),
                    plural(w.affected, "function", "functions"),
                    names(&w.breaches, |b| match b.breach {
                        Some(by) => format!("{} by {}", b.id, duration_text(by)),
                        None => format!("{} never back", b.id),
                    })
                )
            };
            lines.push(Headline {
                section: "schedule",
                label: if w.chosen == "worst-site" {
                    "Worst site loss"
                } else {
                    "Scenario"
                },
                text: format!("{what} — {breaks}."),
                attention: !w.breaches.is_empty(),
            });
            lines.push(Headline {
                section: "simulation",
                label: "P(meet RTO)",
                text: if w.p_meet_rto.is_empty() {
                    "No critical function with an RTO is affected.".to_owned()
                } else {
                    format!(
                        "Under it, in {} simulated recoveries: {}.",
                        facts.params.iterations,
                        names(&w.p_meet_rto, |(id, p)| format!(
                            "{id} {}",
                            percent_text(*p)
                        ))
                    )
                },
                attention: w.p_meet_rto.iter().any(|(_, p)| *p < 0.9),
            });
        }
        None => lines.push(Headline {
            section: "schedule",
            label: "Worst site loss",
            text: "The model has no sites; pass a scenario to lose to see a recovery.".to_owned(),
            attention: false,
        }),
    }
    lines.push(Headline {
        section: "risk",
        label: "Top risks",
        text: if s.top_risks.is_empty() {
            "No risk or scenario is quantified.".to_owned()
        } else {
            format!(
                "By residual annual loss: {}.",
                names(&s.top_risks, |(id, ale)| format!(
                    "{id} {}",
                    money_text(*ale, currency)
                ))
            )
        },
        attention: false,
    });
    let no_date = "Needs a date of judgement (--at).".to_owned();
    lines.push(Headline {
        section: "currency",
        label: "Actions due",
        text: match &facts.currency {
            Some(c) if c.actions.is_empty() => {
                "Every plan, BIA and training is current.".to_owned()
            }
            Some(c) => {
                let stale = c.plans.iter().filter(|p| !p.stale_by.is_empty()).count();
                let overdue = c
                    .plans
                    .iter()
                    .filter(|p| p.review_overdue || p.test_overdue)
                    .count();
                let first = c.actions.iter().map(|a| a.due).min_by_key(|d| d.day());
                format!(
                    "{} due: {} stale, {} overdue for review or test{}.",
                    plural(c.actions.len(), "action", "actions"),
                    plural(stale, "plan", "plans"),
                    overdue,
                    first.map_or(String::new(), |d| format!("; the first was due {d}"))
                )
            }
            None => no_date.clone(),
        },
        attention: s.actions_due.is_some_and(|n| n > 0),
    });
    lines.push(Headline {
        section: "conformance",
        label: "Conformance",
        text: match &facts.conformance {
            Some(c) => format!(
                "{}: {} of {} requirements pass{}.",
                c.name,
                c.score.passed,
                c.score.passed + c.score.failed,
                c.score
                    .percent
                    .map_or(String::new(), |p| format!(" ({})", percent_text(p / 100.0)))
            ),
            None => no_date.clone(),
        },
        attention: facts
            .conformance
            .as_ref()
            .is_some_and(|c| c.score.failed > 0),
    });
    lines.push(Headline {
        section: "maturity",
        label: "Maturity",
        text: match &facts.maturity {
            Some(m) => format!("{}: level {} of {} (C|P-CMM).", m.control, m.level, m.cap),
            None => no_date,
        },
        attention: facts.maturity.as_ref().is_some_and(|m| m.level < m.cap),
    });
    lines
}
