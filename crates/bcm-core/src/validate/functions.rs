//! Functions and their objectives: RTO within MTD with room for the WRT, a resume time, an
//! impact curve that never decreases, an MTD the BIA supports, and a plan for every critical
//! function (`E-RTO-MTD`, `E-RTO-WRT-MTD`, `E-IMPACT`, `W-NO-RTO`, `W-NO-RESTORE`, `W-NO-PLAN`,
//! `W-MTD-ABOVE-BIA`).
//!
//! Invariant: each function's findings are reported in the order of its fields' checks below.

use std::collections::HashSet;

use crate::finding::{Code, Pointer};
use crate::model::{Criticality, Duration, Id};

use super::references::{EntityKind, SITE, one};
use super::{Checker, Owner, Who, section};

impl Checker<'_> {
    pub(super) fn functions(&mut self) {
        let covered: HashSet<&str> = self
            .model
            .plans
            .iter()
            .flat_map(|p| p.covers.iter().map(Id::as_str))
            .collect();
        let tolerance = &self.model.organization.tolerance;
        for (i, f) in self.model.functions.iter().enumerate() {
            let path = section("functions", i);
            let owner = Who("function", f.id.as_str());
            let id = f.id.as_str();
            self.owner(&owner, id, f.owner.as_ref(), &path);
            let site = one("site", "is located at", f.site.as_ref(), SITE);
            self.refs(&owner, id, &path, &[site]);
            let from = self.node_number(EntityKind::Function, i);
            self.dependencies(&owner, id, from, &f.depends_on, &path.key("depends_on"));
            match f.rto {
                None => {
                    let message = format!("{owner} has no RTO");
                    self.report(Code::NoRto, &path.key("rto"), message, [id]);
                }
                Some(rto) => {
                    if let Some(mtd) = f.mtd {
                        let wrt = f.wrt.unwrap_or(Duration::ZERO);
                        if rto > mtd {
                            let message =
                                format!("{owner} has an RTO of {rto}, later than its MTD of {mtd}");
                            self.report(Code::RtoMtd, &path.key("rto"), message, [id]);
                        } else if rto.as_secs().saturating_add(wrt.as_secs()) > mtd.as_secs() {
                            let total =
                                Duration::from_secs(rto.as_secs().saturating_add(wrt.as_secs()));
                            let message = format!(
                                "{owner} needs RTO {rto} + WRT {wrt} = {total}, later than its MTD of {mtd}"
                            );
                            self.report(Code::RtoWrtMtd, &path.key("wrt"), message, [id]);
                        }
                    }
                }
            }
            match &f.resume {
                Some(resume) => self.duration_estimate(&owner, resume, &path.key("resume")),
                None => {
                    let message = format!(
                        "{owner} has no resume time (time to resume once what it needs is up)"
                    );
                    self.report(Code::NoRestore, &path.key("resume"), message, [id]);
                }
            }
            if f.criticality == Some(Criticality::Critical) && !covered.contains(id) {
                let message = format!("{owner} is critical but no plan covers it");
                self.report(Code::NoPlan, &path, message, [id]);
            }
            self.impacts(&owner, f, &path);
            if let (Some(mtd), false) = (f.mtd, tolerance.is_empty()) {
                self.mtd_against_bia(&owner, f, mtd, &path);
            }
        }
    }

    pub(super) fn impacts(&mut self, owner: Owner<'_>, f: &crate::model::Function, path: &Pointer) {
        let categories: Vec<String> = self
            .model
            .organization
            .categories()
            .iter()
            .map(|c| (*c).to_owned())
            .collect();
        let mut previous: Option<&crate::model::ImpactStep> = None;
        for (j, step) in f.impacts.iter().enumerate() {
            let at = path.key("impacts").index(j);
            self.category_values(owner, &step.values, &at, "an impact");
            if let Some(prev) = previous {
                if step.after <= prev.after {
                    let message = format!(
                        "{owner} has impact steps out of order: {} comes after {}",
                        step.after, prev.after
                    );
                    self.report(Code::Impact, &at.key("after"), message, [f.id.as_str()]);
                }
                for category in &categories {
                    let before = prev.values.get(category).copied().unwrap_or(0.0);
                    let now = step.values.get(category).copied().unwrap_or(0.0);
                    if now < before {
                        let message = format!(
                            "the {category} impact of {owner} falls from {before} to {now} at {}; impact over time never decreases",
                            step.after
                        );
                        self.report(Code::Impact, &at.key(category), message, [f.id.as_str()]);
                    }
                }
            }
            previous = Some(step);
        }
    }

    pub(super) fn mtd_against_bia(
        &mut self,
        owner: Owner<'_>,
        f: &crate::model::Function,
        mtd: Duration,
        path: &Pointer,
    ) {
        let tolerance = &self.model.organization.tolerance;
        let reached = f.impacts.iter().find_map(|step| {
            tolerance.iter().find_map(|(category, limit)| {
                let value = step.values.get(category).copied().unwrap_or(0.0);
                (value >= *limit).then_some((step.after, category))
            })
        });
        if let Some((after, category)) = reached
            && mtd > after
        {
            let message = format!(
                "{owner} has an MTD of {mtd}, but its {category} impact reaches the organization's tolerance after {after}"
            );
            self.report(
                Code::MtdAboveBia,
                &path.key("mtd"),
                message,
                [f.id.as_str()],
            );
        }
    }
}
