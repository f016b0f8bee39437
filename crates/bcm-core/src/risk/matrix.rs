//! The likelihood × impact matrix (DESIGN §4.H.2): likelihood from a risk's event frequency,
//! impact from its loss per event, each on a scale cut by thresholds; the cell's score
//! (likelihood × impact) falls in a band. Configurable; the default is 5 × 5 with the bands
//! low / medium / high / critical.

use serde::{Deserialize, Serialize};

/// How the matrix cuts its scales and names its bands. As JSON:
/// `{"likelihood": [0.01, 0.1, 1, 10], "impact": [1e4, 1e5, 1e6, 1e7],
///   "bands": [{"label": "low", "max_score": 4}, ...]}`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MatrixConfig {
    /// Events per year from which each likelihood level above 1 starts, increasing: n
    /// thresholds make n + 1 levels.
    pub likelihood: Vec<f64>,
    /// Loss per event (in the organization's currency) from which each impact level above 1
    /// starts, increasing.
    pub impact: Vec<f64>,
    /// Bands by the highest score they hold, increasing; the last holds the largest score.
    pub bands: Vec<Band>,
}

/// A band of scores.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Its name (`high`).
    pub label: String,
    /// The highest score (likelihood × impact) in it.
    pub max_score: u32,
}

impl Default for MatrixConfig {
    /// 5 × 5: likelihood from under once a century to ten times a year and more; impact from
    /// under 10,000 to 10,000,000 and more; low ≤ 4 < medium ≤ 9 < high ≤ 16 < critical.
    fn default() -> Self {
        let band = |label: &str, max_score| Band {
            label: label.to_owned(),
            max_score,
        };
        MatrixConfig {
            likelihood: vec![0.01, 0.1, 1.0, 10.0],
            impact: vec![10_000.0, 100_000.0, 1_000_000.0, 10_000_000.0],
            bands: vec![
                band("low", 4),
                band("medium", 9),
                band("high", 16),
                band("critical", 25),
            ],
        }
    }
}

/// A matrix configuration that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("risk matrix {path}: {message}")]
pub struct MatrixError {
    /// JSON Pointer to the bad part (`/impact/2`).
    pub path: String,
    /// What is wrong.
    pub message: String,
}

/// A risk's place in the matrix.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Cell {
    /// 1 to the number of likelihood levels.
    pub likelihood: u32,
    /// 1 to the number of impact levels.
    pub impact: u32,
    /// `likelihood × impact`.
    pub score: u32,
    /// The band of the score.
    pub band: String,
}

impl MatrixConfig {
    /// Checks the thresholds (finite, positive, increasing) and the bands (increasing, the last
    /// holding the largest score).
    ///
    /// # Errors
    /// [`MatrixError`] naming the part.
    pub fn check(&self) -> Result<(), MatrixError> {
        for (name, cuts) in [("likelihood", &self.likelihood), ("impact", &self.impact)] {
            for (i, x) in cuts.iter().enumerate() {
                let previous = i.checked_sub(1).and_then(|j| cuts.get(j));
                if !(x.is_finite() && *x > 0.0) || previous.is_some_and(|p| x <= p) {
                    return Err(MatrixError {
                        path: format!("/{name}/{i}"),
                        message: format!(
                            "threshold {x} is not positive, finite and above the one before"
                        ),
                    });
                }
            }
        }
        let largest = self.levels().0 * self.levels().1;
        for (i, band) in self.bands.iter().enumerate() {
            let previous = i.checked_sub(1).and_then(|j| self.bands.get(j));
            if previous.is_some_and(|p| band.max_score <= p.max_score) {
                return Err(MatrixError {
                    path: format!("/bands/{i}/max_score"),
                    message: format!("{} is not above the band before", band.max_score),
                });
            }
        }
        if self.bands.last().is_none_or(|b| b.max_score < largest) {
            return Err(MatrixError {
                path: "/bands".to_owned(),
                message: format!("the last band must hold the largest score, {largest}"),
            });
        }
        Ok(())
    }

    /// (likelihood levels, impact levels).
    pub fn levels(&self) -> (u32, u32) {
        (
            self.likelihood.len() as u32 + 1,
            self.impact.len() as u32 + 1,
        )
    }

    /// The cell of a frequency and a loss (either may be overridden by a declared level).
    pub fn cell(&self, likelihood: u32, impact: u32) -> Cell {
        let score = likelihood * impact;
        let band = self
            .bands
            .iter()
            .find(|b| score <= b.max_score)
            .or(self.bands.last())
            .map(|b| b.label.clone())
            .unwrap_or_default();
        Cell {
            likelihood,
            impact,
            score,
            band,
        }
    }

    /// The likelihood level of `events_per_year`.
    pub fn likelihood_of(&self, events_per_year: f64) -> u32 {
        level(&self.likelihood, events_per_year)
    }

    /// The impact level of `loss`.
    pub fn impact_of(&self, loss: f64) -> u32 {
        level(&self.impact, loss)
    }
}

/// 1 plus the number of thresholds at or below `x`.
fn level(thresholds: &[f64], x: f64) -> u32 {
    1 + thresholds.iter().filter(|t| x >= **t).count() as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_matrix() {
        let m = MatrixConfig::default();
        m.check().unwrap();
        assert_eq!(m.levels(), (5, 5));
        // Once in five years (0.2): level 3; a 250,000 loss: level 3; 9 → medium.
        assert_eq!(m.likelihood_of(0.2), 3);
        assert_eq!(m.impact_of(250_000.0), 3);
        assert_eq!(m.cell(3, 3).band, "medium");
        // Thresholds start their level: exactly 1 event a year is level 4.
        assert_eq!(m.likelihood_of(1.0), 4);
        assert_eq!(m.likelihood_of(0.0), 1);
        assert_eq!(
            m.cell(5, 5),
            Cell {
                likelihood: 5,
                impact: 5,
                score: 25,
                band: "critical".into()
            }
        );
        assert_eq!(m.cell(2, 2).band, "low");
        assert_eq!(m.cell(4, 4).band, "high");
    }

    #[test]
    fn a_bad_configuration_is_named() {
        let mut m = MatrixConfig::default();
        m.impact[2] = 50.0;
        assert_eq!(m.check().unwrap_err().path, "/impact/2");
        let mut m = MatrixConfig::default();
        m.bands.pop();
        assert_eq!(m.check().unwrap_err().path, "/bands");
    }
}
