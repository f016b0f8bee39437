//! The CRAMM-style measure of risk (DESIGN §4.H.1): 1–7 from an asset's value, a threat's level
//! and the asset's vulnerability to it, read from a table kept as data.
//!
//! The original CRAMM table is not public. The default table here is derived, not copied: the
//! asset value (1–10) is taken in five bands of two, the threat level counts 0–4 (very-low to
//! very-high) and the vulnerability 0–2 (low to high); their sum runs 1–11 and is scaled to 1–7,
//! `measure = 1 + round((band + threat + vulnerability − 1) × 6 / 10)`. That keeps what CRAMM's
//! description says of its table — each factor raises the measure, none lowers it — and nothing
//! more; a user with the licensed table passes it instead ([`CrammTable::from_value`]).

use serde::{Serialize, Serializer};

use crate::model::{Keyword, ThreatLevel, Vulnerability};

/// Asset values run 1–10.
pub const VALUES: usize = 10;

/// A CRAMM-style table: for each threat level and vulnerability, the measure at asset values
/// 1–10. As data: `{very-low: {low: [10 measures], medium: [...], high: [...]}, low: {...}, ...}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrammTable {
    /// `[threat][vulnerability][value − 1]`, in the keywords' order.
    cells: [[[u8; VALUES]; 3]; 5],
}

/// A table that cannot be used: the cell (a JSON Pointer) and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("CRAMM table {path}: {message}")]
pub struct CrammError {
    /// JSON Pointer to the bad cell (`/high/medium/3`).
    pub path: String,
    /// What is wrong, with the bad value.
    pub message: String,
}

impl Default for CrammTable {
    /// The derived default (see the module documentation).
    fn default() -> Self {
        let mut cells = [[[0u8; VALUES]; 3]; 5];
        for (t, by_vulnerability) in cells.iter_mut().enumerate() {
            for (u, by_value) in by_vulnerability.iter_mut().enumerate() {
                for (v, cell) in by_value.iter_mut().enumerate() {
                    let band = v / 2 + 1;
                    let raw = band + t + u; // 1..=11
                    // 1 + round((raw − 1) × 6 / 10), halves up, in integers.
                    *cell = (1 + ((raw - 1) * 6 + 5) / 10) as u8;
                }
            }
        }
        CrammTable { cells }
    }
}

impl CrammTable {
    /// The measure for an asset of `value` (1–10) under a threat of `level` with
    /// `vulnerability`; `None` for a value outside 1–10.
    pub fn measure(
        &self,
        value: u8,
        level: ThreatLevel,
        vulnerability: Vulnerability,
    ) -> Option<u8> {
        let t = position(level);
        let u = position(vulnerability);
        let v = usize::from(value).checked_sub(1)?;
        self.cells.get(t)?.get(u)?.get(v).copied()
    }

    /// A table from its data, validated: every cell present, each measure 1–7, and never lower
    /// for a higher value, vulnerability or threat level.
    ///
    /// # Errors
    /// [`CrammError`] naming the first bad cell and its value.
    pub fn from_value(value: &serde_json::Value) -> Result<Self, CrammError> {
        let err = |path: String, message: String| CrammError { path, message };
        let mut cells = [[[0u8; VALUES]; 3]; 5];
        let object = value
            .as_object()
            .ok_or_else(|| err("/".into(), "expected a mapping by threat level".into()))?;
        for key in object.keys() {
            if ThreatLevel::parse(key).is_none() {
                return Err(err(
                    format!("/{key}"),
                    format!("'{key}' is not a threat level ({})", ThreatLevel::choices()),
                ));
            }
        }
        for (t, (level_name, _)) in ThreatLevel::ALL.iter().enumerate() {
            let at = format!("/{level_name}");
            let by_vulnerability = object
                .get(*level_name)
                .and_then(|v| v.as_object())
                .ok_or_else(|| err(at.clone(), "missing: a mapping by vulnerability".into()))?;
            for key in by_vulnerability.keys() {
                if Vulnerability::parse(key).is_none() {
                    return Err(err(
                        format!("{at}/{key}"),
                        format!(
                            "'{key}' is not a vulnerability ({})",
                            Vulnerability::choices()
                        ),
                    ));
                }
            }
            for (u, (vulnerability_name, _)) in Vulnerability::ALL.iter().enumerate() {
                let at = format!("{at}/{vulnerability_name}");
                let list = by_vulnerability
                    .get(*vulnerability_name)
                    .and_then(|v| v.as_array())
                    .filter(|l| l.len() == VALUES)
                    .ok_or_else(|| {
                        err(
                            at.clone(),
                            format!("missing: a list of {VALUES} measures (asset values 1–10)"),
                        )
                    })?;
                for (v, item) in list.iter().enumerate() {
                    let measure =
                        item.as_u64()
                            .filter(|m| (1..=7).contains(m))
                            .ok_or_else(|| {
                                err(format!("{at}/{v}"), format!("{item} is not a measure 1–7"))
                            })?;
                    if let Some(cell) = cells
                        .get_mut(t)
                        .and_then(|x| x.get_mut(u))
                        .and_then(|x| x.get_mut(v))
                    {
                        *cell = measure as u8;
                    }
                }
            }
        }
        let table = CrammTable { cells };
        table.check_monotone()?;
        Ok(table)
    }

    /// Every step up an axis (value, vulnerability, threat level) keeps or raises the measure.
    fn check_monotone(&self) -> Result<(), CrammError> {
        let at = |t: usize, u: usize, v: usize| {
            self.cells
                .get(t)
                .and_then(|x| x.get(u))
                .and_then(|x| x.get(v))
                .copied()
                .unwrap_or(0)
        };
        let name = |t: usize, u: usize, v: usize| {
            format!(
                "/{}/{}/{v}",
                ThreatLevel::ALL.get(t).map_or("", |x| x.0),
                Vulnerability::ALL.get(u).map_or("", |x| x.0)
            )
        };
        for t in 0..5 {
            for u in 0..3 {
                for v in 0..VALUES {
                    let here = at(t, u, v);
                    let below = [
                        (v > 0).then(|| (at(t, u, v - 1), "a lower asset value")),
                        (u > 0).then(|| (at(t, u - 1, v), "a lower vulnerability")),
                        (t > 0).then(|| (at(t - 1, u, v), "a lower threat level")),
                    ];
                    for (lower, what) in below.into_iter().flatten() {
                        if here < lower {
                            return Err(CrammError {
                                path: name(t, u, v),
                                message: format!(
                                    "measure {here} is below the {lower} of {what}: a table never decreases along an axis"
                                ),
                            });
                        }
                    }
                }
            }
        }
        Ok(())
    }
}

/// The keyword's place in its vocabulary (0 for the first).
fn position<K: Keyword + PartialEq>(k: K) -> usize {
    K::ALL.iter().position(|(_, x)| *x == k).unwrap_or(0)
}

impl Serialize for CrammTable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(5))?;
        for (t, (level, _)) in ThreatLevel::ALL.iter().enumerate() {
            let inner: serde_json::Map<String, serde_json::Value> = Vulnerability::ALL
                .iter()
                .enumerate()
                .map(|(u, (name, _))| {
                    let list = self
                        .cells
                        .get(t)
                        .and_then(|x| x.get(u))
                        .map(|l| l.to_vec())
                        .unwrap_or_default();
                    ((*name).to_owned(), serde_json::json!(list))
                })
                .collect();
            map.serialize_entry(level, &inner)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_table_runs_from_1_to_7_as_derived() {
        let t = CrammTable::default();
        use ThreatLevel as T;
        use Vulnerability as V;
        // band 1 + 0 + 0 = 1 → 1; band 5 + 4 + 2 = 11 → 7.
        assert_eq!(t.measure(1, T::VeryLow, V::Low), Some(1));
        assert_eq!(t.measure(10, T::VeryHigh, V::High), Some(7));
        // value 8 → band 4, high → 3, medium → 1: raw 8 → 1 + round(42/10) = 5.
        assert_eq!(t.measure(8, T::High, V::Medium), Some(5));
        assert_eq!(t.measure(0, T::High, V::Medium), None);
        assert_eq!(t.measure(11, T::High, V::Medium), None);
        // The default passes its own validation, through its serialised form.
        let back = CrammTable::from_value(&serde_json::to_value(&t).unwrap()).unwrap();
        assert_eq!(back, t);
    }

    #[test]
    fn a_bad_table_names_its_cell() {
        let mut v = serde_json::to_value(CrammTable::default()).unwrap();
        v["high"]["medium"][3] = serde_json::json!(9);
        let e = CrammTable::from_value(&v).unwrap_err();
        assert_eq!(
            (e.path.as_str(), e.message.as_str()),
            ("/high/medium/3", "9 is not a measure 1–7")
        );
        let mut v = serde_json::to_value(CrammTable::default()).unwrap();
        v["high"]["medium"][9] = serde_json::json!(1);
        let e = CrammTable::from_value(&v).unwrap_err();
        assert_eq!(e.path, "/high/medium/9");
        assert!(e.message.contains("a lower asset value"), "{}", e.message);
        let mut v = serde_json::to_value(CrammTable::default()).unwrap();
        v.as_object_mut().unwrap().remove("low");
        assert_eq!(CrammTable::from_value(&v).unwrap_err().path, "/low");
        let mut v = serde_json::to_value(CrammTable::default()).unwrap();
        v["extreme"] = serde_json::json!({});
        assert_eq!(CrammTable::from_value(&v).unwrap_err().path, "/extreme");
    }
}
