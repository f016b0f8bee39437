//! Human views of analysis results: tables sized for a terminal. The JSON views are the results'
//! own serialisation.

use std::fmt::Write as _;

use bcm_core::Duration;
use bcm_core::availability::{Availability, Method};
use bcm_core::conformance::Conformance;
use bcm_core::currency::{Currency, Trigger};
use bcm_core::impact::{Impact, ImpactParams};
use bcm_core::maturity::Maturity;
use bcm_core::objectives::{Gap, GapFigures, Objectives};
use bcm_core::risk::RiskAnalysis;
use bcm_core::schedule::{Schedule, ScheduleComparison};
use bcm_core::simulate::Simulation;
use bcm_core::spof::Spof;

fn time(secs: Option<u64>) -> String {
    secs.map_or_else(|| "-".to_owned(), |s| Duration::from_secs(s).to_string())
}

fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{value:.0}")
    } else {
        format!("{value:.2}")
    }
}

pub(crate) fn objectives(r: &Objectives) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<28} {:<9} {:>10} {:>10}  gaps",
        "node", "kind", "required", "rpo"
    );
    for n in r.nodes.iter().filter(|n| n.required.is_some()) {
        let gaps: Vec<&str> = n.gaps.iter().map(|g| g.as_str()).collect();
        let _ = writeln!(
            out,
            "{:<28} {:<9} {:>10} {:>10}  {}",
            n.id,
            n.kind,
            time(n.required),
            time(n.required_rpo),
            gaps.join(" ")
        );
    }
    let mut explained = false;
    for n in r.nodes.iter().filter(|n| !n.figures.is_empty()) {
        if !explained {
            let _ = writeln!(out, "\ngaps, required against achievable:");
            explained = true;
        }
        for figure in &n.figures {
            let _ = writeln!(out, "  {:<28} {}", n.id, gap_text(figure, n.kind));
        }
    }
    if explained {
        out.push('\n');
    }
    let needed = r.nodes.iter().filter(|n| n.required.is_some()).count();
    let gaps = r.nodes.iter().filter(|n| !n.gaps.is_empty()).count();
    let _ = write!(
        out,
        "{needed} of {} nodes are needed by an RTO; {gaps} with gaps",
        r.nodes.len()
    );
    out
}

/// One gap in words, with its figures: `G-RTO  needed back within 6h, restore takes 8h`.
fn gap_text(figure: &GapFigures, kind: &str) -> String {
    let (required, achievable) = (
        Duration::from_secs(figure.required),
        Duration::from_secs(figure.achievable),
    );
    let takes = if kind == "function" {
        "resume"
    } else {
        "restore"
    };
    // A required time of 0 means the dependents' RTOs leave no time at all to restore it.
    let needed = if figure.required == 0 {
        "needed back at once".to_owned()
    } else {
        format!("needed back within {required}")
    };
    let what = match figure.gap {
        Gap::Rto => format!("{needed}, {takes} takes {achievable}"),
        Gap::Rpo => format!("RPO {required} required, backups every {achievable}"),
        Gap::Failover => format!("{needed}, switchover takes {achievable}"),
        Gap::Measured => {
            format!("an exercise measured {achievable} against the declared {required}")
        }
    };
    format!("{:<11}{what}", figure.gap.as_str())
}

pub(crate) fn impact(
    r: &Impact,
    params: &ImpactParams,
    organization: &bcm_core::model::Organization,
) -> String {
    let mut out = String::new();
    let categories: Vec<&String> = r.totals.keys().collect();
    let _ = write!(out, "{:<32} {:>10}", "function", "down at");
    for c in &categories {
        let _ = write!(out, " {c:>14}");
    }
    let _ = writeln!(out);
    for f in &r.functions {
        let _ = write!(out, "{:<32} {:>10}", f.id, time(Some(f.down_at)));
        for c in &categories {
            let _ = write!(
                out,
                " {:>14}",
                number(f.impact.get(*c).copied().unwrap_or(0.0))
            );
        }
        let _ = writeln!(out);
    }
    let _ = write!(out, "{:<32} {:>10}", "total (sum; max for levels)", "");
    for c in &categories {
        let _ = write!(
            out,
            " {:>14}",
            number(r.totals.get(*c).copied().unwrap_or(0.0))
        );
    }
    let when = params.at.map_or_else(
        || "if nothing is recovered".to_owned(),
        |at| format!("at {at}"),
    );
    let _ = write!(
        out,
        "\nlosing {}: {} functions go down; impact {when}; financial in {}",
        params.lose.join(", "),
        r.functions.len(),
        organization.currency()
    );
    // Against the organization's tolerance (unacceptable from that level), when it declares one.
    let beyond: Vec<String> = organization
        .tolerance
        .iter()
        .filter_map(|(category, &limit)| {
            let total = r.totals.get(category).copied()?;
            (total >= limit).then(|| format!("{category} {} ≥ {}", number(total), number(limit)))
        })
        .collect();
    if !organization.tolerance.is_empty() {
        if beyond.is_empty() {
            let _ = write!(out, "\nwithin the organization's tolerance");
        } else {
            let _ = write!(
                out,
                "\nunacceptable by the organization's tolerance: {}",
                beyond.join(", ")
            );
        }
    }
    out
}

pub(crate) fn spof(r: &Spof, top: usize) -> String {
    let mut out = String::new();
    let c = &r.coverage;
    let _ = writeln!(
        out,
        "failover coverage (SCF BCD-12.2): {} critical functions, {} without a single point of failure, {} of those with real-time failover",
        c.critical, c.without_spof, c.with_realtime_failover
    );
    // Counts only: a large estate has tens of millions of pairs, and this view shows `top`.
    let ranked = r.ranking();
    let _ = writeln!(
        out,
        "\n{:<32} {:>9} {:>10}",
        "unit", "critical", "functions"
    );
    for rank in ranked.iter().take(top) {
        let id = r.unit_ids().get(rank.unit).map_or("", String::as_str);
        let _ = writeln!(
            out,
            "{:<32} {:>9} {:>10}",
            id, rank.critical, rank.functions
        );
    }
    let functions = r.function_ids().len();
    let with = (0..functions).filter(|&f| r.spof_count(f) > 0).count();
    let _ = write!(
        out,
        "{} of {} units are a single point of failure of some function (top {} shown); {with} of {functions} functions have one (--json lists them all)",
        ranked.len(),
        r.unit_ids().len(),
        top.min(ranked.len()),
    );
    out
}

pub(crate) fn cut_pairs(r: &bcm_core::dependency::cutsets::CutPairs) -> String {
    // A large estate's function has thousands of both: the first ones, and --json for all.
    const SHOWN: usize = 20;
    let mut out = String::new();
    let first: Vec<&str> = r.spofs.iter().take(SHOWN).map(String::as_str).collect();
    let _ = writeln!(
        out,
        "{}: {} single point(s) of failure{}{}",
        r.function,
        r.spofs.len(),
        if first.is_empty() {
            String::new()
        } else {
            format!(": {}", first.join(", "))
        },
        if r.spofs.len() > SHOWN { ", …" } else { "" }
    );
    let _ = write!(
        out,
        "{} pair(s) of units that take it down together, neither alone",
        r.pairs.len()
    );
    for (a, b) in r.pairs.iter().take(SHOWN) {
        let _ = write!(out, "\n  {a} + {b}");
    }
    if r.pairs.len() > SHOWN || r.spofs.len() > SHOWN {
        let _ = write!(
            out,
            "\n(the first {SHOWN} of each shown; --json lists them all)"
        );
    }
    out
}

pub(crate) fn availability(r: &Availability) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<32} {:<9} {:>12} {:>12}  method",
        "node", "kind", "availability", "down/year"
    );
    for n in r.nodes.iter().filter(|n| n.availability < 1.0) {
        let method = match n.method {
            Method::Exact => "exact",
            Method::MonteCarlo => "monte-carlo",
        };
        let _ = writeln!(
            out,
            "{:<32} {:<9} {:>12.6} {:>12}  {method}",
            n.id,
            n.kind,
            n.availability,
            time(Some(n.annual_downtime))
        );
    }
    let always = r.nodes.iter().filter(|n| n.availability >= 1.0).count();
    let _ = write!(
        out,
        "{always} of {} nodes are always up (no reliability figures below them)",
        r.nodes.len()
    );
    out
}

fn verdict(met: Option<bool>) -> &'static str {
    match met {
        Some(true) => "met",
        Some(false) => "BREACHED",
        None => "-",
    }
}

pub(crate) fn schedule(s: &Schedule, lose: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "restore waves:");
    for w in &s.waves {
        let _ = writeln!(
            out,
            "  at {:>8}: {}",
            time(Some(w.start)),
            w.restores.join(", ")
        );
    }
    let _ = writeln!(
        out,
        "\n{:<28} {:>9} {:>9} {:>9}  {:<8} {:<9} critical path",
        "function", "up at", "rto", "breach", "rto", "mtd"
    );
    for f in &s.functions {
        let shortfall = if f.capacity_shortfall {
            " (team capacity)"
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "{:<28} {:>9} {:>9} {:>9}  {:<8} {:<9} {}{shortfall}",
            f.id,
            time(f.up_at),
            time(f.rto),
            time(f.breach.filter(|b| *b > 0)),
            verdict(f.met),
            verdict(f.mtd_met),
            path_text(&f.critical_path)
        );
    }
    let breached = s.functions.iter().filter(|f| f.met == Some(false)).count();
    let shortfall = s.functions.iter().filter(|f| f.capacity_shortfall).count();
    let makespan = s.makespan.map_or_else(
        || "never (something is never back)".to_owned(),
        |m| Duration::from_secs(m).to_string(),
    );
    let _ = write!(
        out,
        "losing {}: {} functions affected, {breached} miss their RTO ({shortfall} for lack of team capacity); everything back after {makespan}",
        lose.join(", "),
        s.functions.len()
    );
    if !s.blocked.is_empty() {
        let _ = write!(
            out,
            "\n{} nodes are on or behind a dependency cycle and have no schedule (run bcm validate)",
            s.blocked.len()
        );
    }
    // The verdicts are one schedule on most likely durations; a planner reading "met" should
    // know the simulation may give it a modest probability.
    let _ = write!(
        out,
        "\n(durations at their likely values; bcm simulate gives the chance of meeting each RTO)"
    );
    out
}

pub(crate) fn comparison(c: &ScheduleComparison, lose: &[String]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<28} {:>9} {:>9} {:>10}  rto",
        "function", "before", "after", "change"
    );
    let shown = |up: Option<u64>, affected: bool| {
        if affected {
            up.map_or_else(
                || "never".to_owned(),
                |u| Duration::from_secs(u).to_string(),
            )
        } else {
            "up".to_owned()
        }
    };
    for f in &c.functions {
        let change = f.delta.map_or_else(
            || "-".to_owned(),
            |d| {
                let sign = if d < 0 { "-" } else { "+" };
                format!("{sign}{}", Duration::from_secs(d.unsigned_abs()))
            },
        );
        let _ = writeln!(
            out,
            "{:<28} {:>9} {:>9} {:>10}  {} → {}",
            f.id,
            shown(f.before, f.affected_before),
            shown(f.after, f.affected_after),
            change,
            verdict(f.met_before),
            verdict(f.met_after)
        );
    }
    let _ = write!(
        out,
        "losing {}: {} functions' recovery moved; makespan {} → {}",
        lose.join(", "),
        c.functions.len(),
        time(c.makespan_before),
        time(c.makespan_after)
    );
    out
}

/// A share as a percentage to one decimal that never rounds to a certainty it is not: 99.95%
/// reads ">99.9%", not "100.0%", and 0.01% reads "<0.1%", not "0.0%".
fn percent(p: f64) -> String {
    let shown = format!("{:.1}", p * 100.0);
    if shown == "100.0" && p < 1.0 {
        ">99.9%".to_owned()
    } else if shown == "0.0" && p > 0.0 {
        "<0.1%".to_owned()
    } else {
        format!("{shown}%")
    }
}

/// The simulation's table; `scenario` ends it ("losing hq: 500 iterations, seed 1").
pub(crate) fn simulation(r: &Simulation, scenario: &str) -> String {
    let mut out = String::new();
    let share = |p: Option<f64>| p.map_or_else(|| "-".to_owned(), percent);
    let _ = writeln!(
        out,
        "{:<28} {:>8} {:>8} {:>9} {:>9} {:>9} {:>9}",
        "function", "P(rto)", "P(mtd)", "mean", "p50", "p90", "p99"
    );
    for f in &r.functions {
        let _ = writeln!(
            out,
            "{:<28} {:>8} {:>8} {:>9} {:>9} {:>9} {:>9}",
            f.id,
            share(f.p_meet_rto),
            share(f.p_meet_mtd),
            time(f.mean.map(|m| m.round() as u64)),
            time(f.p50),
            time(f.p90),
            time(f.p99)
        );
    }
    let mut critical: Vec<_> = r.nodes.iter().filter(|n| n.critical_share > 0.0).collect();
    critical.sort_by(|a, b| {
        b.critical_share
            .total_cmp(&a.critical_share)
            .then(a.id.cmp(&b.id))
    });
    let _ = writeln!(out, "\nmost often on a critical path:");
    for n in critical.iter().take(10) {
        let _ = writeln!(out, "  {:<28} {:>7}", n.id, percent(n.critical_share));
    }
    let _ = write!(
        out,
        "{scenario}: {} iterations, seed {}",
        r.iterations, r.seed
    );
    out
}

/// A critical path for a terminal: in full up to [`PATH_SHOWN`] nodes; a longer one (a chain of
/// thousands) as its first restore and last nodes around a count, so that the table stays
/// readable and as large as the model (`--json` has every path in full).
fn path_text(path: &bcm_core::schedule::CriticalPath) -> String {
    if path.len() <= PATH_SHOWN {
        return path.iter().collect::<Vec<_>>().join(" → ");
    }
    let mut last: Vec<&str> = path.backward().take(PATH_SHOWN / 2).collect();
    last.reverse();
    let hidden = format!("… {} more …", path.len() - 1 - last.len());
    path.first()
        .into_iter()
        .chain([hidden.as_str()])
        .chain(last)
        .collect::<Vec<_>>()
        .join(" → ")
}

/// The longest critical path the text view writes in full.
const PATH_SHOWN: usize = 8;

pub(crate) fn currency(r: &Currency, today: bool) -> String {
    let mut out = String::new();
    let at = r.at.day();
    let _ = writeln!(out, "plan currency at {at}{}", today_note(today));
    let width = column_width(r.actions.iter().map(|a| a.subject.as_str()), 7);
    if !r.actions.is_empty() {
        let _ = writeln!(
            out,
            "\n{:<10}  {:<7}  {:<width$}  {:<6}  {:<6}  why",
            "due", "", "subject", "action", "clause"
        );
    }
    for a in &r.actions {
        let why = match (a.trigger, &a.change, &a.last) {
            (Trigger::Change, Some(change), _) => format!("change {change}"),
            (Trigger::Never, _, _) => "never done".to_owned(),
            (_, _, Some(last)) => format!("last {}", last.day()),
            _ => String::new(),
        };
        let overdue = if a.due.day() < at { "overdue" } else { "" };
        let action = serde_json::to_value(a.action)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let _ = writeln!(
            out,
            "{:<10}  {:<7}  {:<width$}  {:<6}  {:<6}  {why}",
            a.due.day().to_string(),
            overdue,
            a.subject,
            action,
            a.clause
        );
    }
    let current = r.plans.iter().filter(|p| p.current).count();
    let stale = r.plans.iter().filter(|p| !p.stale_by.is_empty()).count();
    let review = r.plans.iter().filter(|p| p.review_overdue).count();
    let test = r.plans.iter().filter(|p| p.test_overdue).count();
    let overdue = r.actions.iter().filter(|a| a.due.day() < at).count();
    let _ = write!(
        out,
        "\n{} plan{}: {current} current, {stale} stale by changes, {review} with the review \
         overdue, {test} with the test overdue; {} action{}, {overdue} overdue",
        r.plans.len(),
        if r.plans.len() == 1 { "" } else { "s" },
        r.actions.len(),
        if r.actions.len() == 1 { "" } else { "s" },
    );
    out
}

/// " (today, UTC; --at to choose)" when the date of judgement was not given.
fn today_note(today: bool) -> &'static str {
    if today {
        " (today, UTC; --at to choose)"
    } else {
        ""
    }
}

/// The width of a column of `cells`, at least `min` characters.
fn column_width<'a>(cells: impl Iterator<Item = &'a str>, min: usize) -> usize {
    cells.map(|c| c.chars().count()).max().unwrap_or(0).max(min)
}

/// The entities that fail, after `lead`: the first five and a count of the rest; nothing when
/// none fails.
fn failing_text(failing: &[String], lead: &str) -> String {
    if failing.is_empty() {
        return String::new();
    }
    let shown: Vec<&str> = failing.iter().take(5).map(String::as_str).collect();
    let more = failing.len().saturating_sub(shown.len());
    let rest = if more > 0 {
        format!(" and {more} more")
    } else {
        String::new()
    };
    format!("{lead}{}{rest}", shown.join(", "))
}

/// A share as a whole percentage, rounded down: 79.9% never shows as the 80% a level needs.
fn whole_percent(share: f64) -> String {
    format!("{}%", (share * 100.0 + 1e-9).floor())
}

pub(crate) fn maturity(r: &Maturity, today: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} at {}{} (SOC 2 {}): level {} of {} (a level needs {} of its criteria)",
        r.control,
        r.name,
        r.at.day(),
        today_note(today),
        r.soc2.join(", "),
        r.level,
        r.cap,
        whole_percent(r.threshold),
    );
    let _ = writeln!(
        out,
        "assessment read: {}",
        if r.assessments.is_empty() {
            "none (criteria rest on what the model shows)".to_owned()
        } else {
            r.assessments.join(", ")
        }
    );
    for l in &r.levels {
        match l.share {
            Some(share) => {
                let _ = writeln!(
                    out,
                    "level {}: {} of {} met ({}), {}",
                    l.level,
                    l.met,
                    l.total,
                    whole_percent(share),
                    if l.reached { "reached" } else { "not reached" }
                );
            }
            None => {
                let _ = writeln!(out, "level {}: not applicable to this control", l.level);
            }
        }
    }
    let yes_no = |v: Option<bool>| match v {
        Some(true) => "yes",
        Some(false) => "no",
        None => "-",
    };
    let _ = writeln!(
        out,
        "\n{:<6} {:<4} {:<9} {:<9} {:<8} evidence",
        "", "met", "source", "declared", "derived"
    );
    for c in &r.criteria {
        let source = serde_json::to_value(c.source)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let evidence = format!("{}{}", c.evidence, failing_text(&c.failing, ": "));
        let _ = writeln!(
            out,
            "{:<6} {:<4} {:<9} {:<9} {:<8} {evidence}",
            c.id,
            if c.met { "yes" } else { "no" },
            source,
            yes_no(c.declared),
            yes_no(c.derived),
        );
    }
    let unmet = r.criteria.iter().filter(|c| !c.met).count();
    let _ = write!(out, "\n{unmet} of {} criteria not met", r.criteria.len());
    out
}

pub(crate) fn conformance(r: &Conformance, today: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} ({}) at {}{}",
        r.name,
        r.profile,
        r.at.day(),
        today_note(today)
    );
    let width = column_width(r.requirements.iter().map(|q| q.id.as_str()), 11);
    let _ = writeln!(
        out,
        "\n{:<width$}  {:<12}  {:>12}  evidence",
        "requirement", "result", "share"
    );
    for q in &r.requirements {
        let result = serde_json::to_value(q.result)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        let share = match (q.numerator, q.denominator, q.percent) {
            (Some(n), Some(d), Some(p)) => format!("{n}/{d} {:>4}", whole_percent(p / 100.0)),
            (Some(n), Some(d), None) => format!("{n}/{d}"),
            _ => "-".to_owned(),
        };
        let evidence = format!("{}{}", q.evidence, failing_text(&q.failing, "; failing: "));
        let _ = writeln!(
            out,
            "{:<width$}  {:<12}  {:>12}  {evidence}",
            q.id, result, share
        );
    }
    let s = &r.score;
    let _ = write!(
        out,
        "\n{} of {} measured requirements pass{}; {} not measured",
        s.passed,
        s.passed + s.failed,
        s.percent
            .map(|p| format!(" ({})", whole_percent(p / 100.0)))
            .unwrap_or_default(),
        s.not_measured
    );
    out
}

/// An amount of money, whole units.
fn money(x: f64) -> String {
    format!("{x:.0}")
}

pub(crate) fn risk(r: &RiskAnalysis) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "risk register: {} simulated years, seed {}; amounts per year in {}",
        r.iterations, r.seed, r.currency
    );
    let width = column_width(r.register.iter().map(|x| x.id.as_str()), 4);
    let _ = writeln!(
        out,
        "\n{:<width$}  {:>5}  {:<14}  {:>12}  {:>12}  {:>12}  controls (return)",
        "risk", "cramm", "cell", "ALE inherent", "ALE residual", "VaR95 resid."
    );
    for row in &r.register {
        let cramm = row.cramm.map_or_else(|| "-".to_owned(), |c| c.to_string());
        let cell = row.cell.as_ref().map_or_else(
            || "-".to_owned(),
            |c| format!("{}x{} {}", c.likelihood, c.impact, c.band),
        );
        let (inherent, residual, var95) = row.losses.as_ref().map_or_else(
            || ("-".to_owned(), "-".to_owned(), "-".to_owned()),
            |l| {
                (
                    money(l.ale_inherent),
                    money(l.ale_residual),
                    money(l.residual.var95),
                )
            },
        );
        let controls: Vec<String> = row
            .controls
            .iter()
            .map(|c| match c.roi {
                Some(roi) => format!("{} ({:+.0}%)", c.name, roi * 100.0),
                None => c.name.clone(),
            })
            .collect();
        let _ = writeln!(
            out,
            "{:<width$}  {:>5}  {:<14}  {:>12}  {:>12}  {:>12}  {}",
            row.id,
            cramm,
            cell,
            inherent,
            residual,
            var95,
            controls.join("; ")
        );
    }
    for row in r
        .register
        .iter()
        .filter(|x| x.mtd.iter().any(|m| m.p_event > 0.0))
    {
        let beyond: Vec<String> = row
            .mtd
            .iter()
            .filter(|m| m.p_event > 0.0)
            .map(|m| {
                format!(
                    "{} {} of events ({} a year)",
                    m.id,
                    percent(m.p_event),
                    percent(m.p_year)
                )
            })
            .collect();
        let _ = write!(
            out,
            "\n{} keeps functions down beyond their MTD: {}",
            row.id,
            beyond.join(", ")
        );
    }
    if r.register.iter().any(|x| !x.mtd.is_empty()) {
        out.push('\n');
    }
    match &r.portfolio {
        Some(p) => {
            for (name, ale, s) in [
                ("inherent", p.ale_inherent, &p.inherent),
                ("residual", p.ale_residual, &p.residual),
            ] {
                let _ = write!(
                    out,
                    "\nportfolio, {name}: ALE {} (simulated mean {}); VaR 90 {}, 95 {}, 99 {}; \
                     expected shortfall 99 {}; no loss in {} of years",
                    money(ale),
                    money(s.mean),
                    money(s.var90),
                    money(s.var95),
                    money(s.var99),
                    money(s.es99),
                    percent(s.p_no_loss)
                );
            }
        }
        None => {
            let _ = write!(
                out,
                "\nno risk has both a frequency (its threat's) and a loss: nothing to simulate"
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{path_text, percent};
    use bcm_core::Model;
    use bcm_core::schedule::{ScheduleParams, schedule};

    #[test]
    fn a_long_critical_path_is_shown_by_its_ends() {
        // f0 → f1 → … → f11 → a: f0's path is a, f11, f10, …, f1 (12 nodes).
        let mut yaml = String::from("bcm: 1\nfunctions:\n");
        for i in 0..12 {
            let next = if i < 11 {
                format!("f{}", i + 1)
            } else {
                "a".to_owned()
            };
            yaml.push_str(&format!(
                "- {{id: f{i}, resume: 1h, depends_on: [{next}]}}\n"
            ));
        }
        yaml.push_str("assets: [{id: a, kind: data, restore: 1h}]\n");
        let model = Model::from_yaml_str(&yaml).unwrap();
        let params = ScheduleParams {
            lose: vec!["a".to_owned()],
        };
        let s = schedule(&model, &params).unwrap();
        let path = |id: &str| {
            &s.functions
                .iter()
                .find(|f| f.id == id)
                .unwrap()
                .critical_path
        };
        assert_eq!(path_text(path("f0")), "a → … 7 more … → f4 → f3 → f2 → f1");
        assert_eq!(
            path_text(path("f4")),
            "a → f11 → f10 → f9 → f8 → f7 → f6 → f5"
        );
    }

    #[test]
    fn a_share_never_rounds_to_a_certainty_it_is_not() {
        assert_eq!(percent(0.9995), ">99.9%");
        assert_eq!(percent(1.0), "100.0%");
        assert_eq!(percent(0.0004), "<0.1%");
        assert_eq!(percent(0.0), "0.0%");
        assert_eq!(percent(0.796), "79.6%");
    }
}
