//! Sections H (risk), I (plan currency), J (conformance), K (maturity) and the contacts
//! appendix.

use serde_json::json;

use crate::conformance::Outcome;
use crate::report::Section;
use crate::report::charts;
use crate::report::facts::Facts;
use crate::report::table::{ColumnKind as K, Table, col, money_text, percent_text};

use super::{NO_DATE, v};

pub(super) fn risk(facts: &Facts<'_>) -> Section {
    let mut s = Section::new("risk", "H", "Risk");
    let r = &facts.risk;
    let currency = facts.currency_unit();
    if r.register.is_empty() {
        return s.unavailable("The model has no risks or scenarios to quantify.");
    }
    if let Some(p) = &r.portfolio {
        s.lead.push(format!(
            "Portfolio of {} risk(s) and scenario(s) over {} simulated years (seed {}): annual \
             loss expectancy {} inherent, {} after controls; in one year in twenty the residual \
             loss exceeds {} (VaR 95), in one in a hundred {} (VaR 99).",
            r.register.len(),
            r.iterations,
            r.seed,
            money_text(p.ale_inherent, currency),
            money_text(p.ale_residual, currency),
            money_text(p.residual.var95, currency),
            money_text(p.residual.var99, currency),
        ));
    }
    let mut t = Table::new(
        "register",
        "Register, by residual annual loss",
        vec![
            col("id", "Risk", K::Text),
            col("kind", "Kind", K::Text),
            col("cramm", "CRAMM-style", K::Count),
            col("band", "Band", K::Text),
            col("likelihood", "Likelihood", K::Count),
            col("impact", "Impact", K::Count),
            col("ale_inherent", "ALE inherent", K::Money),
            col("ale_residual", "ALE residual", K::Money),
            col("var95", "VaR 95 residual", K::Money),
            col("contribution", "Share of portfolio", K::Share),
        ],
    );
    let mut controls = Table::new(
        "controls",
        "Return on controls",
        vec![
            col("risk", "Risk", K::Text),
            col("control", "Control", K::Text),
            col("cost", "Cost a year", K::Money),
            col("ale_without", "ALE without it", K::Money),
            col("roi", "Return", K::Share),
        ],
    );
    let mut mtd = Table::new(
        "mtd",
        "Scenarios: chance of an outage beyond the MTD",
        vec![
            col("scenario", "Scenario", K::Text),
            col("function", "Function", K::Text),
            col("mtd", "MTD", K::Seconds),
            col("p_event", "Per event", K::Share),
            col("p_year", "Per year", K::Share),
        ],
    );
    for row in &r.register {
        let losses = row.losses.as_ref();
        t.push(vec![
            json!(row.id),
            json!(row.kind),
            json!(row.cramm),
            json!(row.cell.as_ref().map(|c| c.band.clone())),
            json!(row.cell.as_ref().map(|c| c.likelihood)),
            json!(row.cell.as_ref().map(|c| c.impact)),
            json!(losses.map(|l| l.ale_inherent)),
            json!(losses.map(|l| l.ale_residual)),
            json!(losses.map(|l| l.residual.var95)),
            json!(row.contribution),
        ]);
        for c in &row.controls {
            controls.push(vec![
                json!(row.id),
                json!(c.name),
                json!(c.cost),
                json!(c.ale_without),
                json!(c.roi),
            ]);
        }
        for m in &row.mtd {
            mtd.push(vec![
                json!(row.id),
                json!(m.id),
                json!(m.mtd),
                json!(m.p_event),
                json!(m.p_year),
            ]);
        }
    }
    mtd.rows.sort_by(|a, b| {
        let p = |row: &Vec<serde_json::Value>| row.get(4).and_then(|x| x.as_f64()).unwrap_or(0.0);
        p(b).total_cmp(&p(a))
    });
    s.tables.push(t);
    if !controls.rows.is_empty() {
        s.tables.push(controls);
    }
    if !mtd.rows.is_empty() {
        s.tables.push(mtd);
    }
    if let Some(chart) = charts::heat_map(facts) {
        s.charts.push(chart);
    }
    if let Some(chart) = charts::loss_exceedance(facts) {
        s.charts.push(chart);
    }
    s
}

pub(super) fn currency(facts: &Facts<'_>) -> Section {
    let s = Section::new("currency", "I", "Plan currency");
    let Some(c) = &facts.currency else {
        return s.unavailable(NO_DATE);
    };
    let mut s = s;
    s.lead.push(format!(
        "At {}: {} action(s) due; {} of {} plan(s) current.",
        c.at,
        c.actions.len(),
        c.plans.iter().filter(|p| p.current).count(),
        c.plans.len()
    ));
    let mut actions = Table::new(
        "actions",
        "Actions, the earliest due first",
        vec![
            col("due", "Due", K::Date),
            col("subject", "Subject", K::Text),
            col("subject_kind", "Kind", K::Text),
            col("action", "Action", K::Text),
            col("trigger", "Trigger", K::Text),
            col("clause", "Clause", K::Text),
            col("message", "Why", K::Text),
        ],
    );
    let mut due: Vec<_> = c.actions.iter().collect();
    due.sort_by(|a, b| {
        a.due
            .day()
            .cmp(&b.due.day())
            .then(a.subject.cmp(&b.subject))
    });
    for a in due {
        actions.push(vec![
            json!(a.due.to_string()),
            json!(a.subject),
            v(a.subject_kind),
            v(a.action),
            v(a.trigger),
            json!(a.clause),
            json!(a.message),
        ]);
    }
    let mut plans = Table::new(
        "plans",
        "Plans, the least current first",
        vec![
            col("id", "Plan", K::Text),
            col("reviewed", "Reviewed", K::Date),
            col("tested", "Tested", K::Date),
            col("stale_by", "Stale by changes", K::List),
            col("review_overdue", "Review overdue", K::Flag),
            col("test_overdue", "Test overdue", K::Flag),
            col("current", "Current", K::Flag),
        ],
    );
    let mut by_plan: Vec<_> = c.plans.iter().collect();
    by_plan.sort_by(|a, b| a.current.cmp(&b.current).then(a.id.cmp(&b.id)));
    for p in by_plan {
        plans.push(vec![
            json!(p.id),
            json!(p.reviewed.map(|d| d.to_string())),
            json!(p.tested.map(|d| d.to_string())),
            json!(p.stale_by),
            json!(p.review_overdue),
            json!(p.test_overdue),
            json!(p.current),
        ]);
    }
    s.tables.push(actions);
    s.tables.push(plans);
    s
}

pub(super) fn conformance(facts: &Facts<'_>) -> Section {
    let s = Section::new("conformance", "J", "Policy conformance");
    let Some(c) = &facts.conformance else {
        return s.unavailable(NO_DATE);
    };
    let mut s = s;
    s.lead.push(format!(
        "{} ({}) at {}: {} passed, {} failed, {} not measured{}.",
        c.name,
        c.profile,
        c.at,
        c.score.passed,
        c.score.failed,
        c.score.not_measured,
        c.score
            .percent
            .map_or(String::new(), |p| format!(" — {}", percent_text(p / 100.0)))
    ));
    let mut t = Table::new(
        "requirements",
        "Requirements, failures first",
        vec![
            col("id", "Requirement", K::Text),
            col("result", "Result", K::Text),
            col("measured", "Measured", K::Share),
            col("target", "Target", K::Share),
            col("evidence", "Evidence", K::Text),
            col("failing", "Failing", K::List),
        ],
    );
    let rank = |o: Outcome| match o {
        Outcome::Fail => 0,
        Outcome::NotMeasured => 1,
        Outcome::Pass => 2,
    };
    let mut requirements: Vec<_> = c.requirements.iter().collect();
    requirements.sort_by_key(|r| rank(r.result));
    for r in requirements {
        t.push(vec![
            json!(r.id),
            v(r.result),
            json!(r.percent.map(|p| p / 100.0)),
            json!(r.target),
            json!(r.evidence),
            json!(r.failing),
        ]);
    }
    s.tables.push(t);
    s
}

pub(super) fn maturity(facts: &Facts<'_>) -> Section {
    let s = Section::new("maturity", "K", "Control maturity");
    let Some(m) = &facts.maturity else {
        return s.unavailable(NO_DATE);
    };
    let mut s = s;
    s.lead.push(format!(
        "{} ({}) at {}: level {} of {} (C|P-CMM; levels 4–5 do not apply), a level counting \
         when {} of its criteria are met and every lower level is reached. Declared and derived \
         evidence are shown apart.",
        m.control,
        m.name,
        m.at,
        m.level,
        m.cap,
        percent_text(m.threshold)
    ));
    let mut levels = Table::new(
        "levels",
        "Levels",
        vec![
            col("level", "Level", K::Count),
            col("met", "Criteria met", K::Count),
            col("total", "Criteria", K::Count),
            col("share", "Share", K::Share),
            col("reached", "Reached", K::Flag),
        ],
    );
    for l in m.levels.iter().filter(|l| l.applicable) {
        levels.push(vec![
            json!(l.level),
            json!(l.met),
            json!(l.total),
            json!(l.share),
            json!(l.reached),
        ]);
    }
    let mut criteria = Table::new(
        "criteria",
        "Criteria, unmet first",
        vec![
            col("id", "Criterion", K::Text),
            col("met", "Met", K::Flag),
            col("source", "By", K::Text),
            col("text", "Criterion", K::Text),
            col("evidence", "Evidence", K::Text),
            col("failing", "Failing", K::List),
        ],
    );
    let mut all: Vec<_> = m.criteria.iter().collect();
    all.sort_by_key(|c| c.met);
    for c in all {
        criteria.push(vec![
            json!(c.id),
            json!(c.met),
            v(c.source),
            json!(c.text),
            json!(c.evidence),
            json!(c.failing),
        ]);
    }
    s.tables.push(levels);
    s.tables.push(criteria);
    s
}

pub(super) fn contacts(facts: &Facts<'_>) -> Section {
    let mut s = Section::new("contacts", "", "Contacts and alternates");
    let redact = facts.params.redact_personal;
    s.lead.push(if redact {
        "Personal data (names, phones, e-mail) is left out of this report.".to_owned()
    } else {
        "Who to call, and who stands in (policy 5(e)(iv)).".to_owned()
    });
    let mut columns = vec![col("id", "Contact", K::Text), col("role", "Role", K::Text)];
    if !redact {
        columns.push(col("name", "Name", K::Text));
        columns.push(col("phone", "Phone", K::Text));
        columns.push(col("email", "E-mail", K::Text));
    }
    columns.push(col("alternate", "Alternate", K::Text));
    columns.push(col("trained", "Trained", K::Date));
    let mut t = Table::new("contacts", "Contacts", columns);
    for c in &facts.model().contacts {
        let mut row = vec![json!(c.id.as_str()), json!(c.role)];
        if !redact {
            row.push(json!(c.name));
            row.push(json!(c.phone));
            row.push(json!(c.email));
        }
        row.push(json!(c.alternate.as_ref().map(|a| a.as_str())));
        row.push(json!(c.trained.map(|d| d.to_string())));
        t.push(row);
    }
    s.tables.push(t);
    s
}
