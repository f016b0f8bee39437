//! Values: three-point estimates in order, coordinates on the globe, impact values on their
//! scales, and the organization's own settings (`E-RANGE`, `E-UNKNOWN-FIELD` for an undeclared
//! impact category).
//!
//! Invariant: a value check reports at the value's own path and never depends on another entity.

use std::collections::{BTreeMap, HashSet};

use crate::finding::{Code, Pointer};
use crate::model::{Duration, Estimate, FINANCIAL, GeoPoint, MAX_AMOUNT, Quantity};

use super::{Checker, Owner, range_ok};

impl Checker<'_> {
    pub(super) fn duration_estimate(
        &mut self,
        owner: Owner<'_>,
        e: &Estimate<Duration>,
        path: &Pointer,
    ) {
        let (min, likely, max) = e.points();
        if !(min <= likely && likely <= max) {
            let message = format!(
                "{owner} has a three-point estimate out of order: min {min}, likely {likely}, max {max} (need min ≤ likely ≤ max)"
            );
            self.report(Code::Range, path, message, [""; 0]);
        }
    }

    /// A risk quantity: finite, non-negative and bounded; a three-point estimate in order; a
    /// 90% interval with 0 < low < high.
    pub(super) fn quantity(&mut self, owner: Owner<'_>, q: &Quantity, path: &Pointer) {
        let (min, likely, max) = match *q {
            Quantity::Exact(v) => (v, v, v),
            Quantity::Pert { min, likely, max } => (min, likely, max),
            Quantity::Interval90 { low, high } => {
                if !(range_ok(low, 0.0, MAX_AMOUNT)
                    && range_ok(high, 0.0, MAX_AMOUNT)
                    && 0.0 < low
                    && low < high)
                {
                    let message = format!(
                        "{owner} has a 90% interval with low {low} and high {high} (need 0 < low < high ≤ {MAX_AMOUNT:e})"
                    );
                    self.report(Code::Range, path, message, [""; 0]);
                }
                return;
            }
        };
        let finite = [min, likely, max]
            .iter()
            .all(|x| range_ok(*x, 0.0, MAX_AMOUNT));
        if !(finite && min <= likely && likely <= max) {
            let message = format!(
                "{owner} has an estimate that is negative, out of order or too large: min {min}, likely {likely}, max {max} (need 0 ≤ min ≤ likely ≤ max ≤ {MAX_AMOUNT:e})"
            );
            self.report(Code::Range, path, message, [""; 0]);
        }
    }

    pub(super) fn geo(&mut self, owner: Owner<'_>, location: &GeoPoint, path: &Pointer) {
        if !range_ok(location.lat, -90.0, 90.0) {
            let message = format!("{owner} has latitude {}, outside −90..90", location.lat);
            self.report(Code::Range, &path.key("lat"), message, [""; 0]);
        }
        if !range_ok(location.lon, -180.0, 180.0) {
            let message = format!("{owner} has longitude {}, outside −180..180", location.lon);
            self.report(Code::Range, &path.key("lon"), message, [""; 0]);
        }
    }

    /// Checks a category→value map against the declared categories and their scales.
    pub(super) fn category_values(
        &mut self,
        owner: Owner<'_>,
        values: &BTreeMap<String, f64>,
        path: &Pointer,
        what: &str,
    ) {
        let categories = self.model.organization.categories();
        for (category, value) in values {
            let at = path.key(category);
            if !categories.contains(&category.as_str()) {
                let message = format!(
                    "{owner} gives {what} for '{category}', which is not a declared impact category ({})",
                    categories.join(", ")
                );
                self.report(Code::UnknownField, &at, message, [""; 0]);
            } else if category == FINANCIAL {
                if !range_ok(*value, 0.0, f64::MAX) {
                    let message = format!(
                        "{owner} gives a financial {what} of {value}; it must be 0 or more"
                    );
                    self.report(Code::Range, &at, message, [""; 0]);
                } else if *value > MAX_AMOUNT {
                    let message = format!(
                        "{owner} gives a financial {what} of {value}; amounts run up to {MAX_AMOUNT:e}"
                    );
                    self.report(Code::Range, &at, message, [""; 0]);
                }
            } else if !range_ok(*value, 0.0, 5.0) {
                let message = format!(
                    "{owner} gives a {category} {what} of {value}; severity levels run 0–5"
                );
                self.report(Code::Range, &at, message, [""; 0]);
            }
        }
    }

    pub(super) fn organization(&mut self) {
        let org = &self.model.organization;
        let path = Pointer::root().key("organization");
        if let Some(currency) = &org.currency
            && !(currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_uppercase()))
        {
            let message = format!("{currency:?} is not an ISO 4217 currency code (e.g. USD, EUR)");
            self.report(Code::Range, &path.key("currency"), message, [""; 0]);
        }
        if let Some(declared) = &org.impact_categories {
            let mut seen = HashSet::new();
            for (i, category) in declared.iter().enumerate() {
                let at = path.key("impact_categories").index(i);
                if category == "after" || category.is_empty() {
                    let message = format!("{category:?} cannot be an impact category");
                    self.report(Code::Range, &at, message, [""; 0]);
                } else if !seen.insert(category.as_str()) {
                    let message = format!("impact category '{category}' is declared twice");
                    self.report(Code::Range, &at, message, [""; 0]);
                }
            }
        }
        let tolerance = org.tolerance.clone();
        self.category_values(
            &"the organization",
            &tolerance,
            &path.key("tolerance"),
            "a tolerance",
        );
    }
}
