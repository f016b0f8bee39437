//! Risks, plans, exercises, changes and assessments: what the governance analyses read, checked
//! for references and ranges (CRAMM values, matrix cells, control fractions, criteria of the
//! maturity catalogue).
//!
//! Invariant: each entity's findings are reported in the order of its fields' checks below.

use crate::finding::Code;
use crate::maturity;
use crate::model::Id;

use super::references::{
    ANY, ASSET, CONTACT, COVERABLE, NODE, PLAN, SITE, TEAM, THREAT, UNIT, many, one,
};
use super::{Checker, Who, range_ok, section};

impl Checker<'_> {
    pub(super) fn risks(&mut self) {
        for (i, threat) in self.model.threats.iter().enumerate() {
            if let Some(frequency) = &threat.frequency {
                let owner = Who("threat", threat.id.as_str());
                self.quantity(&owner, frequency, &section("threats", i).key("frequency"));
            }
        }
        for (i, risk) in self.model.risks.iter().enumerate() {
            let path = section("risks", i);
            let owner = Who("risk", risk.id.as_str());
            let id = risk.id.as_str();
            let refs = [
                one("asset", "concerns", Some(&risk.asset), ASSET),
                one("threat", "is about", Some(&risk.threat), THREAT),
                one("owner", "is owned by", risk.owner.as_ref(), CONTACT),
            ];
            self.refs(&owner, id, &path, &refs);
            if let Some(loss) = &risk.loss {
                self.quantity(&owner, loss, &path.key("loss"));
            }
            for (field, value) in [("likelihood", risk.likelihood), ("impact", risk.impact)] {
                if let Some(v) = value
                    && !(1..=5).contains(&v)
                {
                    let message = format!("{owner} has {field} {v}; the matrix runs 1–5");
                    self.report(Code::Range, &path.key(field), message, [id]);
                }
            }
            for (j, control) in risk.controls.iter().enumerate() {
                let Some(reduces) = &control.reduces else {
                    continue;
                };
                for (field, value) in [("frequency", reduces.frequency), ("loss", reduces.loss)] {
                    if let Some(v) = value
                        && !range_ok(v, 0.0, 1.0)
                    {
                        let message = format!(
                            "control '{}' of {owner} removes {v} of the {field}; a fraction runs 0–1",
                            control.name
                        );
                        let at = path.key("controls").index(j).key("reduces").key(field);
                        self.report(Code::Range, &at, message, [id]);
                    }
                }
            }
        }
    }

    pub(super) fn scenarios(&mut self) {
        for (i, scenario) in self.model.scenarios.iter().enumerate() {
            let path = section("scenarios", i);
            let owner = Who("scenario", scenario.id.as_str());
            let id = scenario.id.as_str();
            let refs = [
                many("lose", "loses", &scenario.lose, UNIT),
                one("threat", "comes from", scenario.threat.as_ref(), THREAT),
            ];
            self.refs(&owner, id, &path, &refs);
            if let Some(frequency) = &scenario.frequency {
                self.quantity(&owner, frequency, &path.key("frequency"));
            }
        }
    }

    pub(super) fn plans(&mut self) {
        for (i, plan) in self.model.plans.iter().enumerate() {
            let path = section("plans", i);
            let owner = Who("plan", plan.id.as_str());
            let id = plan.id.as_str();
            self.refs(
                &owner,
                id,
                &path,
                &[many("covers", "covers", &plan.covers, COVERABLE)],
            );
            self.owner(&owner, id, plan.owner.as_ref(), &path);
            let named = [
                many("teams", "names team", &plan.teams, TEAM),
                many("contacts", "names", &plan.contacts, CONTACT),
            ];
            self.refs(&owner, id, &path, &named);
            for (j, copy) in plan.copies.iter().enumerate() {
                let at = path.key("copies").index(j);
                let site = one("site", "keeps a copy at", copy.site.as_ref(), SITE);
                self.refs(&owner, id, &at, &[site]);
                if let Some(location) = &copy.location {
                    self.geo(&owner, location, &at.key("location"));
                }
            }
        }
    }

    pub(super) fn exercises(&mut self) {
        for (i, exercise) in self.model.exercises.iter().enumerate() {
            let path = section("exercises", i);
            let owner = Who("exercise", exercise.id.as_str());
            let id = exercise.id.as_str();
            let refs = [
                many("plans", "exercised", &exercise.plans, PLAN),
                many(
                    "participants",
                    "had as participant",
                    &exercise.participants,
                    CONTACT,
                ),
            ];
            self.refs(&owner, id, &path, &refs);
            // Measured restores are keyed by what they measure: the key is the reference.
            let achieved = path.key("achieved");
            for target in exercise.achieved.keys() {
                let measured = one(
                    target.as_str(),
                    "measured a restore time for",
                    Some(target),
                    NODE,
                );
                self.refs(&owner, id, &achieved, &[measured]);
            }
        }
    }

    pub(super) fn changes(&mut self) {
        for (i, change) in self.model.changes.iter().enumerate() {
            let owner = Who("change", change.id.as_str());
            let affects = many("affects", "affects", &change.affects, ANY);
            self.refs(
                &owner,
                change.id.as_str(),
                &section("changes", i),
                &[affects],
            );
        }
    }

    pub(super) fn assessments(&mut self) {
        for (i, assessment) in self.model.assessments.iter().enumerate() {
            let path = section("assessments", i);
            let owner = format!(
                "the {} assessment of {}",
                assessment.control, assessment.date
            );
            let id = assessment.id.as_ref().map(Id::as_str).unwrap_or_default();
            let assessor = one(
                "assessor",
                "was made by",
                assessment.assessor.as_ref(),
                CONTACT,
            );
            self.refs(&owner, id, &path, &[assessor]);
            let Some(catalog) = maturity::catalog(&assessment.control) else {
                continue;
            };
            for (j, criterion) in assessment.met.iter().enumerate() {
                if catalog.criterion(criterion).is_none() {
                    let message = format!(
                        "{owner} lists criterion '{criterion}', which {} does not have (L1.1–L{}.n)",
                        catalog.id, catalog.max_level
                    );
                    self.report(
                        Code::Ref,
                        &path.key("met").index(j),
                        message,
                        [criterion.as_str()],
                    );
                }
            }
        }
    }
}
