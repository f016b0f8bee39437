//! Plan currency (DESIGN §4.I): which plans, BIAs and people are out of date at a given date,
//! why, under which clause of the Enterprise BCM Policy, and by when each must be dealt with.
//!
//! - A plan is **stale** when a change dated after its last review (and not after the date of
//!   judgement) affects anything in its scope: one action per change, under clause 9(a)–(f) by
//!   the change's kind, due 30 days after the change. A change that affects nothing
//!   (`affects` empty) is organization-wide and touches every plan.
//! - A plan's **scope**: the plan itself; what it covers and everything that depends on, through
//!   any edge (hard or soft, group members too); the vendors supplying those assets and the
//!   vendors' contacts; the sites they sit at and the sites holding the plan's copies; the teams
//!   restoring them and the plan's teams, with their members; the owners of all of these, and
//!   the plan's owner and contacts; the risks on its assets and their threats.
//! - A review or test is **overdue** when its last date plus the organization's interval is
//!   before the date of judgement (clause 8), due at the interval's end; a plan never reviewed
//!   (or tested) is due at once. A plan's last test is the later of its `tested` and the
//!   exercises of it held by then.
//! - A person in a plan's teams is due for **training** when their last training plus the
//!   training interval is past, or they were never trained (clause 10).
//! - A function's **BIA** is due when older than the review interval, or older than a change to
//!   the function or anything it needs (what it depends on, their vendors and sites; not an
//!   organization-wide change), or missing; the earliest of these sets its due date (clause 2). Only functions that have a BIA date or
//!   are critical are judged: a model that records no BIAs is not flooded with actions for minor
//!   functions.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

use super::{CHANGE_GRACE_DAYS, Intervals, after, after_days, as_date};
use crate::Analyzer;
use crate::graph::NodeKind;
use crate::model::{Change, ChangeKind, Criticality, Date, Model, Plan};

/// Parameters of [`currency`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(default, deny_unknown_fields)]
#[non_exhaustive]
pub struct CurrencyParams {
    /// The date the programme is judged at (required: nothing reads the clock).
    pub at: Option<Date>,
}

impl CurrencyParams {
    /// Judged at `at`.
    pub fn at(at: Date) -> Self {
        CurrencyParams { at: Some(at) }
    }
}

/// Why [`currency`] could not run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CurrencyError {
    /// No date was given.
    #[error("plan currency is judged at a date: pass \"at\" (e.g. {{\"at\": \"2026-12-06\"}})")]
    NoDate,
}

/// What an action is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SubjectKind {
    /// A plan.
    Plan,
    /// A function (its BIA).
    Function,
    /// A person (their training).
    Contact,
}

/// What must be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ActionKind {
    /// Review (and update) the plan.
    Review,
    /// Test the plan.
    Test,
    /// Train the person.
    Train,
    /// Redo the function's business impact analysis.
    Bia,
}

/// What made the action due.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Trigger {
    /// A change dated after the last review (or BIA).
    Change,
    /// The interval since the last review, test, training or BIA has run out.
    Interval,
    /// It was never done.
    Never,
}

/// One thing to do.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Action {
    /// The plan, function or contact.
    pub subject: String,
    /// What `subject` is.
    pub subject_kind: SubjectKind,
    /// What must be done.
    pub action: ActionKind,
    /// What made it due.
    pub trigger: Trigger,
    /// The change, when `trigger` is `change`.
    pub change: Option<String>,
    /// The last review, test, training or BIA (`None` when never).
    pub last: Option<Date>,
    /// The policy clause: `9(a)`–`9(f)`, `8`, `10` or `2`.
    pub clause: &'static str,
    /// By when.
    pub due: Date,
    /// The plans concerned (the plan itself; the plans covering the function; the plans whose
    /// teams include the person), sorted.
    pub plans: Vec<String>,
    /// The action in a sentence.
    pub message: String,
}

/// One plan's standing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlanCurrency {
    /// The plan.
    pub id: String,
    /// Its last review.
    pub reviewed: Option<Date>,
    /// Its last test (its `tested` or a later exercise of it, up to the date of judgement).
    pub tested: Option<Date>,
    /// The changes after its last review that touch its scope, by date.
    pub stale_by: Vec<String>,
    /// Its review is overdue (or it was never reviewed).
    pub review_overdue: bool,
    /// Its test is overdue (or it was never tested).
    pub test_overdue: bool,
    /// None of the above: the plan is current.
    pub current: bool,
}

/// The result of [`currency`]: `{"at", "actions": [...], "plans": [...]}`; actions by due date
/// (then subject, action and change), plans by ID.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Currency {
    /// The date of judgement.
    pub at: Date,
    /// Everything due, earliest first.
    pub actions: Vec<Action>,
    /// Every plan's standing.
    pub plans: Vec<PlanCurrency>,
}

impl Currency {
    /// Nothing is due: every plan current, every BIA and every training within its interval.
    pub fn is_current(&self) -> bool {
        self.actions.is_empty()
    }
}

/// Plan currency at `params.at` (DESIGN §4.I; see the module documentation).
///
/// Complexity: O(plans × (nodes + edges) + changes × affected IDs + contacts).
///
/// ```
/// use bcm_core::Model;
/// use bcm_core::currency::{currency, CurrencyParams};
/// let m = Model::from_yaml_str(
///     "bcm: 1\n\
///      functions: [{id: pay, depends_on: [db]}]\n\
///      assets: [{id: db, kind: data}]\n\
///      plans: [{id: bcp, kind: bcp, covers: [pay], reviewed: 2026-01-15, tested: 2026-02-01}]\n\
///      changes: [{id: c1, kind: upgrade, date: 2026-04-02, affects: [db]}]\n",
/// )?;
/// let r = currency(&m, &CurrencyParams::at("2026-05-01".parse().unwrap()))?;
/// assert_eq!(r.plans[0].stale_by, ["c1"]);
/// assert_eq!(r.actions[0].clause, "9(b)"); // a new or major upgrade
/// assert_eq!(r.actions[0].due.to_string(), "2026-05-02"); // 30 days after the change
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`CurrencyError::NoDate`] without `params.at`.
pub fn currency(model: &Model, params: &CurrencyParams) -> Result<Currency, CurrencyError> {
    Analyzer::borrowed(model).currency(params)
}

pub(crate) fn compute(
    analyzer: &Analyzer<'_>,
    params: &CurrencyParams,
) -> Result<Currency, CurrencyError> {
    let at = params.at.ok_or(CurrencyError::NoDate)?.day();
    let model = analyzer.model();
    let intervals = Intervals::of(&model.organization);
    // Changes up to the date of judgement, earliest first (then by ID).
    let mut changes: Vec<&Change> = model
        .changes
        .iter()
        .filter(|c| c.date.day() <= at)
        .collect();
    changes.sort_by(|a, b| (a.date.day(), &a.id).cmp(&(b.date.day(), &b.id)));

    let mut actions = Vec::new();
    let mut plans = Vec::with_capacity(model.plans.len());
    for plan in &model.plans {
        plans.push(judge_plan(
            analyzer,
            plan,
            &changes,
            intervals,
            at,
            &mut actions,
        ));
    }
    plans.sort_by(|a, b| a.id.cmp(&b.id));
    training(model, intervals, at, &mut actions);
    bias(analyzer, &changes, intervals, at, &mut actions);
    actions.sort_by(|a, b| {
        (a.due.day(), &a.subject, a.action, &a.change).cmp(&(
            b.due.day(),
            &b.subject,
            b.action,
            &b.change,
        ))
    });
    Ok(Currency {
        at: as_date(at),
        actions,
        plans,
    })
}

/// The policy clause of a change of `kind` (policy 9(a)–(f)).
pub fn change_clause(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::ChangeManagement => "9(a)",
        ChangeKind::Upgrade => "9(b)",
        ChangeKind::Policy => "9(c)",
        ChangeKind::Contract => "9(d)",
        ChangeKind::Threat => "9(e)",
        ChangeKind::Staff => "9(f)",
    }
}

fn judge_plan(
    analyzer: &Analyzer<'_>,
    plan: &Plan,
    changes: &[&Change],
    intervals: Intervals,
    at: NaiveDate,
    actions: &mut Vec<Action>,
) -> PlanCurrency {
    let model = analyzer.model();
    let id = plan.id.to_string();
    let only_this = || vec![id.clone()];
    let reviewed = plan.reviewed.map(|d| d.day());
    let tested = last_test(model, plan, at);

    let mut stale_by = Vec::new();
    match reviewed {
        None => actions.push(Action {
            subject: id.clone(),
            subject_kind: SubjectKind::Plan,
            action: ActionKind::Review,
            trigger: Trigger::Never,
            change: None,
            last: None,
            clause: "8",
            due: as_date(at),
            plans: only_this(),
            message: format!("plan '{id}' has never been reviewed (policy 8)"),
        }),
        Some(reviewed) => {
            // The scope (a walk of what the plan covers) only when some change could touch it:
            // a model of many plans and no recent change costs no walk at all.
            let later: Vec<&&Change> = changes.iter().filter(|c| c.date.day() > reviewed).collect();
            let scope = if later.is_empty() {
                FxHashSet::default()
            } else {
                plan_scope(analyzer, plan)
            };
            for change in later {
                let Some(touched) = touches(change, &scope) else {
                    continue;
                };
                stale_by.push(change.id.to_string());
                let clause = change_clause(change.kind);
                let due = after_days(change.date.day(), CHANGE_GRACE_DAYS);
                actions.push(Action {
                    subject: id.clone(),
                    subject_kind: SubjectKind::Plan,
                    action: ActionKind::Review,
                    trigger: Trigger::Change,
                    change: Some(change.id.to_string()),
                    last: Some(as_date(reviewed)),
                    clause,
                    due: as_date(due),
                    plans: only_this(),
                    message: format!(
                        "plan '{id}' was last reviewed on {reviewed}; change '{}' ({}, {}{}) \
                         affects {touched} — review it by {due} (policy {clause})",
                        change.id,
                        change.kind.as_str(),
                        change.date.day(),
                        change
                            .summary
                            .as_deref()
                            .map(|s| format!(": {s}"))
                            .unwrap_or_default(),
                    ),
                });
            }
            let due = after(reviewed, intervals.review);
            if due < at {
                actions.push(Action {
                    subject: id.clone(),
                    subject_kind: SubjectKind::Plan,
                    action: ActionKind::Review,
                    trigger: Trigger::Interval,
                    change: None,
                    last: Some(as_date(reviewed)),
                    clause: "8",
                    due: as_date(due),
                    plans: only_this(),
                    message: format!(
                        "plan '{id}' was last reviewed on {reviewed}: its review was due on \
                         {due} (policy 8)"
                    ),
                });
            }
        }
    }
    let review_overdue = reviewed.is_none_or(|r| after(r, intervals.review) < at);

    let test_overdue = tested.is_none_or(|t| after(t, intervals.test) < at);
    if test_overdue {
        let (trigger, due, message) = match tested {
            None => (
                Trigger::Never,
                at,
                format!("plan '{id}' has never been tested (policy 8)"),
            ),
            Some(tested) => {
                let due = after(tested, intervals.test);
                let message = format!(
                    "plan '{id}' was last tested on {tested}: its test was due on {due} (policy 8)"
                );
                (Trigger::Interval, due, message)
            }
        };
        actions.push(Action {
            subject: id.clone(),
            subject_kind: SubjectKind::Plan,
            action: ActionKind::Test,
            trigger,
            change: None,
            last: tested.map(as_date),
            clause: "8",
            due: as_date(due),
            plans: only_this(),
            message,
        });
    }

    let current = stale_by.is_empty() && !review_overdue && !test_overdue;
    PlanCurrency {
        id,
        reviewed: reviewed.map(as_date),
        tested: tested.map(as_date),
        stale_by,
        review_overdue,
        test_overdue,
        current,
    }
}

/// The plan's last test by `at`: its `tested`, or a later exercise of it.
fn last_test(model: &Model, plan: &Plan, at: NaiveDate) -> Option<NaiveDate> {
    let exercised = model
        .exercises
        .iter()
        .filter(|e| e.plans.contains(&plan.id))
        .map(|e| e.date.day())
        .filter(|d| *d <= at);
    plan.tested
        .map(|t| t.day())
        .into_iter()
        .chain(exercised)
        .max()
}

/// The first ID `change` affects inside `scope`, quoted for a message (`'hr-db' in its scope`;
/// `the whole organization` for an organization-wide change), or `None` if it touches nothing
/// there.
fn touches(change: &Change, scope: &FxHashSet<&str>) -> Option<String> {
    if change.affects.is_empty() {
        return Some("the whole organization".to_owned());
    }
    change
        .affects
        .iter()
        .find(|id| scope.contains(id.as_str()))
        .map(|id| format!("'{id}' in its scope"))
}

/// Everything a change can touch to make `plan` stale (see the module documentation).
fn plan_scope<'m>(analyzer: &'m Analyzer<'_>, plan: &'m Plan) -> FxHashSet<&'m str> {
    let model = analyzer.model();
    let mut scope = needs(analyzer, plan.covers.iter().map(|id| id.as_str()), true);
    scope.insert(plan.id.as_str());
    let teams: Vec<&str> = plan.teams.iter().map(|t| t.as_str()).collect();
    add_teams(model, &teams, &mut scope);
    for person in plan.owner.iter().chain(&plan.contacts) {
        scope.insert(person.as_str());
    }
    for copy in &plan.copies {
        if let Some(site) = &copy.site {
            scope.insert(site.as_str());
        }
    }
    // A new threat or risk (9(e)) reaches the plans whose assets it threatens.
    for risk in &model.risks {
        if scope.contains(risk.asset.as_str()) {
            scope.insert(risk.id.as_str());
            scope.insert(risk.threat.as_str());
        }
    }
    scope
}

/// The IDs of `roots`, everything they depend on (every edge kind), the vendors supplying those
/// assets and the sites they are at; with `people`, also their owners, the vendors' contacts,
/// and the teams restoring the assets with their members.
fn needs<'m>(
    analyzer: &'m Analyzer<'_>,
    roots: impl Iterator<Item = &'m str>,
    people: bool,
) -> FxHashSet<&'m str> {
    let (model, graph) = (analyzer.model(), analyzer.graph());
    let mut scope: FxHashSet<&'m str> = FxHashSet::default();
    let mut seen = vec![false; graph.node_count()];
    let mut stack = Vec::new();
    for root in roots {
        scope.insert(root);
        if let Some(n) = graph.node(root)
            && let Some(s) = seen.get_mut(n.index())
            && !*s
        {
            *s = true;
            stack.push(n);
        }
    }
    let mut teams = Vec::new();
    while let Some(n) = stack.pop() {
        for (dep, _) in graph.dependencies(n) {
            if let Some(s) = seen.get_mut(dep.index())
                && !*s
            {
                *s = true;
                stack.push(dep);
            }
        }
        let Some(weight) = graph.weight(n) else {
            continue;
        };
        match weight.kind {
            NodeKind::Function => {
                if let Some(f) = model.functions.get(weight.index) {
                    scope.insert(f.id.as_str());
                    scope.extend(f.site.iter().map(|s| s.as_str()));
                    if people {
                        scope.extend(f.owner.iter().map(|o| o.as_str()));
                    }
                }
            }
            NodeKind::Asset | NodeKind::Group => {
                if let Some(a) = model.assets.get(weight.index) {
                    scope.insert(a.id.as_str());
                    scope.extend(a.site.iter().map(|s| s.as_str()));
                    if let Some(vendor) = &a.vendor {
                        scope.insert(vendor.as_str());
                        let supplier = graph
                            .node(vendor.as_str())
                            .and_then(|v| graph.weight(v))
                            .filter(|w| w.kind == NodeKind::Vendor)
                            .and_then(|w| model.vendors.get(w.index));
                        if people && let Some(v) = supplier {
                            scope.extend(v.contact.iter().map(|c| c.as_str()));
                        }
                    }
                    if people {
                        scope.extend(a.owner.iter().map(|o| o.as_str()));
                        teams.extend(a.team.iter().map(|t| t.as_str()));
                    }
                }
            }
            NodeKind::Vendor => {
                if let Some(v) = model.vendors.get(weight.index) {
                    scope.insert(v.id.as_str());
                    if people {
                        scope.extend(v.contact.iter().map(|c| c.as_str()));
                    }
                }
            }
        }
    }
    if people {
        add_teams(model, &teams, &mut scope);
    }
    scope
}

/// Adds the teams and their members.
fn add_teams<'m>(model: &'m Model, teams: &[&'m str], scope: &mut FxHashSet<&'m str>) {
    let teams: FxHashSet<&str> = teams.iter().copied().collect();
    for team in model.teams.iter().filter(|t| teams.contains(t.id.as_str())) {
        scope.insert(team.id.as_str());
        scope.extend(team.members.iter().map(|m| m.as_str()));
    }
}

/// Training of the people in plan teams (policy 10): one action per person.
fn training(model: &Model, intervals: Intervals, at: NaiveDate, actions: &mut Vec<Action>) {
    // Person → the plans whose teams include them.
    let mut people: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for plan in &model.plans {
        for team in model.teams.iter().filter(|t| plan.teams.contains(&t.id)) {
            for member in &team.members {
                people
                    .entry(member.as_str())
                    .or_default()
                    .insert(plan.id.as_str());
            }
        }
    }
    let contacts: BTreeMap<&str, &crate::model::Contact> =
        model.contacts.iter().map(|c| (c.id.as_str(), c)).collect();
    for (person, plans) in people {
        let Some(contact) = contacts.get(person) else {
            continue; // a dangling member: validation reports it
        };
        let trained = contact.trained.map(|d| d.day());
        let plans: Vec<String> = plans.into_iter().map(str::to_owned).collect();
        let in_plans = plans.join(", ");
        let (trigger, due, message) = match trained {
            None => (
                Trigger::Never,
                at,
                format!(
                    "'{person}' (in the teams of {in_plans}) has never been trained (policy 10)"
                ),
            ),
            Some(trained) => {
                let due = after(trained, intervals.training);
                if due >= at {
                    continue;
                }
                let message = format!(
                    "'{person}' (in the teams of {in_plans}) was last trained on {trained}: \
                     training was due on {due} (policy 10)"
                );
                (Trigger::Interval, due, message)
            }
        };
        actions.push(Action {
            subject: person.to_owned(),
            subject_kind: SubjectKind::Contact,
            action: ActionKind::Train,
            trigger,
            change: None,
            last: trained.map(as_date),
            clause: "10",
            due: as_date(due),
            plans,
            message,
        });
    }
}

/// BIAs due (see the module documentation): one action per function, the earliest trigger.
fn bias(
    analyzer: &Analyzer<'_>,
    changes: &[&Change],
    intervals: Intervals,
    at: NaiveDate,
    actions: &mut Vec<Action>,
) {
    let model = analyzer.model();
    // The plans covering each function, gathered once (asking every plan for every function
    // grew with functions × plans).
    let mut covering: FxHashMap<&str, Vec<String>> = FxHashMap::default();
    for plan in &model.plans {
        for covered in &plan.covers {
            let plans = covering.entry(covered.as_str()).or_default();
            if plans.last().is_none_or(|last| *last != plan.id.as_str()) {
                plans.push(plan.id.to_string());
            }
        }
    }
    for function in &model.functions {
        let critical = function.criticality == Some(Criticality::Critical);
        if function.bia.is_none() && !critical {
            continue;
        }
        let id = function.id.to_string();
        let mut plans: Vec<String> = covering
            .get(function.id.as_str())
            .cloned()
            .unwrap_or_default();
        plans.sort();
        let Some(bia) = function.bia.map(|d| d.day()) else {
            actions.push(Action {
                subject: id.clone(),
                subject_kind: SubjectKind::Function,
                action: ActionKind::Bia,
                trigger: Trigger::Never,
                change: None,
                last: None,
                clause: "2",
                due: as_date(at),
                plans,
                message: format!(
                    "critical function '{id}' has no business impact analysis (policy 2)"
                ),
            });
            continue;
        };
        let interval_due = after(bia, intervals.review);
        // The earliest change after the BIA that touches what the function needs (an
        // organization-wide change, a new policy typically, calls for a plan review, not a BIA);
        // what it needs is walked only when such a change exists.
        let later: Vec<&&Change> = changes
            .iter()
            .filter(|c| c.date.day() > bia && !c.affects.is_empty())
            .collect();
        let changed = if later.is_empty() {
            None
        } else {
            let scope = needs(analyzer, std::iter::once(function.id.as_str()), false);
            later
                .into_iter()
                .find_map(|c| touches(c, &scope).map(|t| (*c, t)))
        };
        let by_change = changed.map(|(c, t)| (after_days(c.date.day(), CHANGE_GRACE_DAYS), c, t));
        let action = match by_change {
            Some((due, change, touched)) if due <= interval_due || interval_due >= at => Action {
                subject: id.clone(),
                subject_kind: SubjectKind::Function,
                action: ActionKind::Bia,
                trigger: Trigger::Change,
                change: Some(change.id.to_string()),
                last: Some(as_date(bia)),
                clause: "2",
                due: as_date(due),
                plans,
                message: format!(
                    "the BIA of '{id}' dates from {bia}; change '{}' ({}, {}) affects {touched} — \
                     redo it by {due} (policy 2)",
                    change.id,
                    change.kind.as_str(),
                    change.date.day(),
                ),
            },
            _ if interval_due < at => Action {
                subject: id.clone(),
                subject_kind: SubjectKind::Function,
                action: ActionKind::Bia,
                trigger: Trigger::Interval,
                change: None,
                last: Some(as_date(bia)),
                clause: "2",
                due: as_date(interval_due),
                plans,
                message: format!(
                    "the BIA of '{id}' dates from {bia}: it was due again on {interval_due} \
                     (policy 2)"
                ),
            },
            _ => continue,
        };
        actions.push(action);
    }
}
