//! Risk (DESIGN §4.H): closed forms as oracles for the simulation at fixed seeds (tolerances of
//! about five standard errors, stated per test), exact merging, thread-count independence, and
//! hand-worked register rows.

#![allow(clippy::unwrap_used, clippy::indexing_slicing)]

use bcm_core::risk::{RiskParams, risk};
use bcm_core::{Analyzer, Model, Threads};
use proptest::prelude::*;

fn model(threats: &str, risks: &str) -> Model {
    Model::from_yaml_str(&format!(
        "bcm: 1\nassets: [{{id: db, kind: data, value: {{confidentiality: 3, availability: 9}}}}]\n\
         threats: [{threats}]\nrisks: [{risks}]\n"
    ))
    .unwrap()
}

#[test]
fn the_simulated_mean_meets_the_closed_form_pert() {
    // Rate 2 a year, loss PERT(1000, 2000, 6000): mean (1000 + 4·2000 + 6000)/6 = 2500, ALE 5000.
    // Annual variance λ·E[L²] = 2·((2500−1000)(6000−2500)/7 + 2500²) = 1.4e7: sd 3742, and the
    // standard error of 100,000 years 11.8; tolerance 60.
    let m = model(
        "{id: t, frequency: 2}",
        "{id: r, asset: db, threat: t, loss: {min: 1000, likely: 2000, max: 6000}}",
    );
    let r = risk(&m, &RiskParams::new(100_000, 3)).unwrap();
    let l = r.register[0].losses.as_ref().unwrap();
    assert_eq!(l.ale_inherent, 5000.0);
    assert!(
        (l.inherent.mean - 5000.0).abs() < 60.0,
        "{}",
        l.inherent.mean
    );
    // P(no loss) = e^−2 = 0.1353; standard error 0.0011, tolerance 0.006.
    assert!(
        (l.inherent.p_no_loss - (-2.0f64).exp()).abs() < 0.006,
        "{}",
        l.inherent.p_no_loss
    );
    let s = &l.inherent;
    assert!(
        s.var90 <= s.var95 && s.var95 <= s.var99 && s.var99 <= s.es99,
        "{s:?}"
    );
}

#[test]
fn the_simulated_mean_meets_the_closed_form_lognormal() {
    // Loss per event a 90% interval (1000, 100000): μ = ln 10⁴, σ = ln 100 / (2·1.6449) = 1.39993,
    // mean exp(μ + σ²/2) = 26,641. One event a year: sd √(e^{2μ+2σ²}) ≈ 71,000, standard error
    // at 100,000 years 224; tolerance 1,200.
    let m = model(
        "{id: t, frequency: 1}",
        "{id: r, asset: db, threat: t, loss: {low: 1000, high: 100000}}",
    );
    let r = risk(&m, &RiskParams::new(100_000, 5)).unwrap();
    let l = r.register[0].losses.as_ref().unwrap();
    let sigma = (100.0f64).ln() / (2.0 * 1.6448536269514722);
    let mean = (1e4f64.ln() + sigma * sigma / 2.0).exp();
    assert!((l.ale_inherent - mean).abs() < 1e-6 * mean);
    assert!(
        (l.inherent.mean - mean).abs() < 1200.0,
        "{} vs {mean}",
        l.inherent.mean
    );
}

#[test]
fn p_no_loss_under_an_uncertain_rate_is_the_mean_of_exp_minus_rate() {
    // Rate PERT(0.5, 1, 2): beta shapes α = 1 + 4·0.5/1.5 = 7/3, β = 1 + 4·1/1.5 = 11/3 on
    // [0.5, 2]. P(no loss) = E[e^−λ], integrated here by Simpson's rule: 0.3777.
    let (a, b) = (7.0 / 3.0 - 1.0, 11.0 / 3.0 - 1.0);
    let n = 20_000;
    let (mut weight, mut mass) = (0.0, 0.0);
    for k in 0..=n {
        let x = k as f64 / n as f64;
        let w = if k == 0 || k == n {
            1.0
        } else if k % 2 == 1 {
            4.0
        } else {
            2.0
        };
        let density = x.powf(a) * (1.0 - x).powf(b);
        weight += w * density;
        mass += w * density * (-(0.5 + 1.5 * x)).exp();
    }
    let expected = mass / weight;
    let m = model(
        "{id: t, frequency: {min: 0.5, likely: 1, max: 2}}",
        "{id: r, asset: db, threat: t, loss: 100}",
    );
    let r = risk(&m, &RiskParams::new(100_000, 11)).unwrap();
    let p = r.register[0].losses.as_ref().unwrap().inherent.p_no_loss;
    // Standard error √(p(1−p)/n) = 0.0015; tolerance 0.008.
    assert!((p - expected).abs() < 0.008, "{p} vs {expected}");
}

#[test]
fn controls_reduce_and_return() {
    // Inherent ALE 0.5 × 10,000 = 5000. Controls: halve the frequency (cost 500), remove 20% of
    // the loss (cost 2000). Residual 5000 × 0.5 × 0.8 = 2000. Without the first: 4000, its
    // return (4000 − 2000 − 500)/500 = 3; without the second: 2500, (2500 − 2000 − 2000)/2000
    // = −0.75: it costs more than it saves.
    let m = model(
        "{id: t, level: high, frequency: 0.5}",
        "{id: r, asset: db, threat: t, vulnerability: high, loss: 10000, controls: [\
          {name: a, reduces: {frequency: 0.5}, cost: 500}, {name: b, reduces: {loss: 0.2}, cost: 2000}]}",
    );
    let r = risk(&m, &RiskParams::new(50_000, 2)).unwrap();
    let row = &r.register[0];
    let l = row.losses.as_ref().unwrap();
    assert_eq!((l.ale_inherent, l.ale_residual), (5000.0, 2000.0));
    let returns: Vec<(f64, Option<f64>)> = row
        .controls
        .iter()
        .map(|c| (c.ale_without, c.roi))
        .collect();
    assert_eq!(returns, [(4000.0, Some(3.0)), (2500.0, Some(-0.75))]);
    // Residual at most inherent in every statistic (the same events, thinned and scaled).
    assert!(l.residual.mean <= l.inherent.mean && l.residual.var99 <= l.inherent.var99);
    assert!(l.residual.p_no_loss >= l.inherent.p_no_loss);
    // Asset value max(3, 9) = 9 (band 5), high (3), high (2): raw 10 → 1 + round(5.4) = 6.
    assert_eq!(row.cramm, Some(6));
    // Residual: 0.25 events a year (likelihood 3), 8000 a loss (impact 1): score 3, low.
    let cell = row.cell.as_ref().unwrap();
    assert_eq!(
        (cell.likelihood, cell.impact, cell.band.as_str()),
        (3, 1, "low")
    );
    let heat = r.heat_map.iter().find(|c| !c.risks.is_empty()).unwrap();
    assert_eq!(
        (heat.likelihood, heat.impact, heat.risks.clone()),
        (3, 1, vec!["r".to_owned()])
    );
    assert_eq!(r.heat_map.len(), 25);
}

#[test]
fn a_control_that_removes_nothing_changes_nothing() {
    let m = model(
        "{id: t, frequency: {min: 0.2, likely: 1, max: 3}}",
        "{id: r, asset: db, threat: t, loss: {low: 100, high: 5000}, controls: [{name: c, reduces: {frequency: 0, loss: 0}}]}",
    );
    let r = risk(&m, &RiskParams::new(5_000, 9)).unwrap();
    let l = r.register[0].losses.as_ref().unwrap();
    assert_eq!(l.inherent, l.residual);
}

#[test]
fn a_huge_rate_is_summed_in_bounded_time() {
    // A million events a year of exactly 1: the normal approximation of a sum with no variance
    // is the count itself, and the count is Poisson(10⁶): mean 10⁶ within 0.1%.
    let m = model(
        "{id: t, frequency: 1000000}",
        "{id: r, asset: db, threat: t, loss: 1}",
    );
    let r = risk(&m, &RiskParams::new(2_000, 1)).unwrap();
    let mean = r.register[0].losses.as_ref().unwrap().inherent.mean;
    assert!((mean - 1e6).abs() < 1e3, "{mean}");
}

#[test]
fn unquantified_risks_rank_last_and_stay_out_of_the_portfolio() {
    let m = model(
        "{id: t, frequency: 1}, {id: u}",
        "{id: big, asset: db, threat: t, loss: 900}, {id: small, asset: db, threat: t, loss: 100}, \
         {id: a-unknown, asset: db, threat: u, loss: 5}",
    );
    let r = risk(&m, &RiskParams::new(1_000, 1)).unwrap();
    let ids: Vec<&str> = r.register.iter().map(|x| x.id.as_str()).collect();
    assert_eq!(ids, ["big", "small", "a-unknown"]);
    assert!(r.register[2].losses.is_none());
    assert_eq!(r.portfolio.as_ref().unwrap().ale_inherent, 1000.0);
    // Each risk's share of the portfolio's residual ALE: 900 and 100 of 1,000.
    let shares: Vec<Option<f64>> = r.register.iter().map(|x| x.contribution).collect();
    assert_eq!(shares, [Some(0.9), Some(0.1), None]);
    let json = serde_json::to_value(&r).unwrap();
    let keys =
        |v: &serde_json::Value| -> Vec<String> { v.as_object().unwrap().keys().cloned().collect() };
    assert_eq!(
        keys(&json),
        [
            "iterations",
            "seed",
            "currency",
            "register",
            "portfolio",
            "heat_map"
        ]
    );
    assert_eq!(
        keys(&json["register"][0]),
        [
            "id",
            "kind",
            "asset",
            "threat",
            "lose",
            "cramm",
            "cell",
            "losses",
            "contribution",
            "controls",
            "mtd"
        ]
    );
    assert_eq!(
        keys(&json["register"][0]["losses"]),
        ["ale_inherent", "ale_residual", "inherent", "residual"]
    );
    assert_eq!(
        keys(&json["portfolio"]["inherent"]),
        [
            "mean",
            "std",
            "var90",
            "var95",
            "var99",
            "es99",
            "p_no_loss",
            "curve"
        ]
    );
}

#[test]
fn a_scenario_loses_what_the_bia_says_at_the_schedules_outages() {
    // Losing hq: db (4h) and app (3h) restore at once. pay is back at 4h + 1h resume: down 5h,
    // its impact curve reads 1,000 (the 2h step; the 6h one is not reached). web is back at 3h:
    // 200 (the 1h step). `other` is untouched. One event loses 1,200; at 0.1 a year the ALE is
    // 120. web's MTD is 2h: every event exceeds it, p_year = 1 − e^−0.1 = 0.0952; pay's 1d: never.
    let m = Model::from_yaml_str(
        r#"
bcm: 1
sites: [{id: hq}]
functions:
  - {id: pay, rto: 4h, mtd: 1d, resume: 1h, depends_on: [db], impacts: [{after: 2h, financial: 1000}, {after: 6h, financial: 5000}, {after: 2d, financial: 50000}]}
  - {id: web, mtd: 2h, depends_on: [app], impacts: [{after: 1h, financial: 200}]}
  - {id: other, impacts: [{after: 1h, financial: 99999}]}
assets: [{id: db, kind: data, site: hq, restore: 4h}, {id: app, kind: application, site: hq, restore: 3h}]
scenarios: [{id: s, lose: [hq], frequency: 0.1}]
"#,
    )
    .unwrap();
    let r = risk(&m, &RiskParams::new(100_000, 8)).unwrap();
    let row = &r.register[0];
    assert_eq!(
        (row.id.as_str(), row.kind, row.lose.clone()),
        ("s", "scenario", vec!["hq".to_owned()])
    );
    let l = row.losses.as_ref().unwrap();
    assert!((l.ale_inherent - 120.0).abs() < 1e-9, "{}", l.ale_inherent);
    // P(no loss) = e^−0.1 = 0.9048; standard error 0.0009, tolerance 0.005.
    assert!((l.inherent.p_no_loss - (-0.1f64).exp()).abs() < 0.005);
    assert!((l.inherent.mean - 120.0).abs() < 6.0, "{}", l.inherent.mean);
    let mtd: Vec<(&str, f64, f64)> = row
        .mtd
        .iter()
        .map(|x| (x.id.as_str(), x.p_event, x.p_year))
        .collect();
    assert_eq!(mtd.len(), 2);
    assert_eq!((mtd[0].0, mtd[0].1), ("pay", 0.0));
    assert_eq!((mtd[1].0, mtd[1].1), ("web", 1.0));
    assert!((mtd[1].2 - (1.0 - (-0.1f64).exp())).abs() < 1e-12);
    // Scenarios stay out of the portfolio: no risk, no portfolio.
    assert!(r.portfolio.is_none());
}

#[test]
fn a_scenario_with_uncertain_restores_takes_its_loss_from_the_simulation() {
    // db restores PERT(1h, 2h, 12h); pay's impact jumps from 1,000 (after 1h) to 9,000 (after
    // 6h) and its MTD is 6h: the event loss is 9,000 exactly in the runs where db takes 6h or
    // more, 1,000 otherwise, and the share of such runs is P(PERT ≥ 6h).
    let m = Model::from_yaml_str(
        r#"
bcm: 1
functions: [{id: pay, mtd: 6h, depends_on: [db], impacts: [{after: 1h, financial: 1000}, {after: 6h, financial: 9000}]}]
assets: [{id: db, kind: data, restore: {min: 1h, likely: 2h, max: 12h}}]
scenarios: [{id: s, lose: [db], frequency: 1}]
"#,
    )
    .unwrap();
    let r = risk(&m, &RiskParams::new(20_000, 2)).unwrap();
    let row = &r.register[0];
    let p = row.mtd[0].p_event;
    // P(X ≥ 6h) for PERT(1, 2, 12): α = 1 + 4/11, β = 1 + 40/11 on [1, 12], x ≥ 5/11: 0.0998
    // (integrated numerically). 1,000 recovery runs: standard error 0.0095, tolerance 0.045.
    // The event's mean loss is 1000 + 8000·p, so the closed-form ALE (rate 1) is exactly that.
    assert!((p - 0.0998).abs() < 0.045, "{p}");
    let l = row.losses.as_ref().unwrap();
    assert!(
        (l.ale_inherent - (1000.0 + 8000.0 * p)).abs() < 1e-6,
        "{} {p}",
        l.ale_inherent
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Tallies of disjoint ranges merge to exactly the tally of their union, on any number of
    /// threads.
    #[test]
    fn merging_and_threads_change_nothing(
        seed in 0u64..1000,
        split in 1u64..3000,
        low in 1u32..50,
        rate in 1u32..30,
    ) {
        let m = model(
            &format!("{{id: t, frequency: {{min: 0.1, likely: {}, max: 5}}}}", f64::from(rate) / 10.0),
            &format!(
                "{{id: r, asset: db, threat: t, loss: {{low: {low}, high: 9000}}, controls: [{{name: c, reduces: {{frequency: 0.3}}}}]}}, \
                 {{id: s, asset: db, threat: t, loss: {{min: 1, likely: 2, max: 70}}}}"
            ),
        );
        let one = Analyzer::borrowed(&m);
        one.set_threads(Threads::ONE);
        let two = Analyzer::borrowed(&m);
        two.set_threads(Threads::new(2).unwrap());
        let whole = one.risk_range(seed, 0..3000).unwrap();
        prop_assert_eq!(&whole, &two.risk_range(seed, 0..3000).unwrap());
        let mut parts = two.risk_range(seed, split..3000).unwrap();
        parts.merge(&one.risk_range(seed, 0..split).unwrap()).unwrap();
        prop_assert_eq!(&parts, &whole);
        // The same years twice do not merge.
        prop_assert!(parts.clone().merge(&whole).is_err());
        let params = RiskParams::new(3000, seed);
        prop_assert_eq!(one.risk_from(&params, &parts).unwrap(), one.risk(&params).unwrap());
    }
}
