//! Uncertain quantities: exact, or a three-point estimate.

use serde::{Serialize, Serializer};

/// A quantity known exactly, or estimated as `{min, likely, max}` (beta-PERT in simulation).
///
/// Outside simulation every analysis uses [`Estimate::likely`].
///
/// ```
/// use bcm_core::{Duration, Estimate};
/// let e = Estimate::ThreePoint {
///     min: Duration::from_hours(1),
///     likely: Duration::from_hours(3),
///     max: Duration::from_hours(12),
/// };
/// assert_eq!(e.likely(), Duration::from_hours(3));
/// assert_eq!(Estimate::Exact(5.0).likely(), 5.0);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Estimate<T> {
    /// Known exactly.
    Exact(T),
    /// Minimum, most likely and maximum.
    ThreePoint {
        /// The smallest plausible value.
        min: T,
        /// The most likely value.
        likely: T,
        /// The largest plausible value.
        max: T,
    },
}

impl<T: Copy> Estimate<T> {
    /// The value used outside simulation: the exact value or the most likely one.
    pub fn likely(&self) -> T {
        match *self {
            Estimate::Exact(value) => value,
            Estimate::ThreePoint { likely, .. } => likely,
        }
    }

    /// `(min, likely, max)`; all three equal for an exact value.
    pub fn points(&self) -> (T, T, T) {
        match *self {
            Estimate::Exact(value) => (value, value, value),
            Estimate::ThreePoint { min, likely, max } => (min, likely, max),
        }
    }
}

impl<T: Serialize> Serialize for Estimate<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match self {
            Estimate::Exact(value) => value.serialize(serializer),
            Estimate::ThreePoint { min, likely, max } => {
                let mut map = serializer.serialize_map(Some(3))?;
                map.serialize_entry("min", min)?;
                map.serialize_entry("likely", likely)?;
                map.serialize_entry("max", max)?;
                map.end()
            }
        }
    }
}

/// The z-score of the 95th percentile of the standard normal: a 90% interval `{low, high}` is
/// the 5th and 95th percentiles of a lognormal, σ = (ln high − ln low) / (2 × 1.6449).
pub const Z95: f64 = 1.6448536269514722;

/// A risk quantity (events per year, loss per event): exact, a three-point estimate (beta-PERT),
/// or a 90% interval `{low, high}` read as a lognormal with those 5th and 95th percentiles (the
/// convention of riskquant and FAIR practitioners).
///
/// ```
/// use bcm_core::model::Quantity;
/// let pert = Quantity::Pert { min: 1.0, likely: 4.0, max: 13.0 };
/// assert_eq!(pert.mean(), 5.0); // (1 + 4·4 + 13) / 6
/// let interval = Quantity::Interval90 { low: 1.0, high: 100.0 };
/// assert!((interval.typical() - 10.0).abs() < 1e-9); // the median, √(1·100)
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Quantity {
    /// Known exactly.
    Exact(f64),
    /// Minimum, most likely and maximum (beta-PERT).
    Pert {
        /// The smallest plausible value.
        min: f64,
        /// The most likely value.
        likely: f64,
        /// The largest plausible value.
        max: f64,
    },
    /// A 90% interval: 5th and 95th percentiles of a lognormal.
    Interval90 {
        /// The 5th percentile (> 0).
        low: f64,
        /// The 95th percentile (> `low`).
        high: f64,
    },
}

impl Quantity {
    /// The mean: exact; `(min + 4·likely + max) / 6`; `exp(μ + σ²/2)`.
    pub fn mean(&self) -> f64 {
        match *self {
            Quantity::Exact(v) => v,
            Quantity::Pert { min, likely, max } => (min + 4.0 * likely + max) / 6.0,
            Quantity::Interval90 { .. } => {
                let (mu, sigma) = self.lognormal().unwrap_or((0.0, 0.0));
                (mu + sigma * sigma / 2.0).exp()
            }
        }
    }

    /// The value a qualitative view reads: exact, the most likely, or the lognormal's median.
    pub fn typical(&self) -> f64 {
        match *self {
            Quantity::Exact(v) => v,
            Quantity::Pert { likely, .. } => likely,
            Quantity::Interval90 { low, high } => (low * high).sqrt(),
        }
    }

    /// `(μ, σ)` of a 90% interval's lognormal; `None` for the other forms.
    pub fn lognormal(&self) -> Option<(f64, f64)> {
        match *self {
            Quantity::Interval90 { low, high } => {
                let (a, b) = (low.ln(), high.ln());
                Some(((a + b) / 2.0, (b - a) / (2.0 * Z95)))
            }
            _ => None,
        }
    }
}

impl Serialize for Quantity {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        match *self {
            Quantity::Exact(value) => value.serialize(serializer),
            Quantity::Pert { min, likely, max } => {
                let mut map = serializer.serialize_map(Some(3))?;
                map.serialize_entry("min", &min)?;
                map.serialize_entry("likely", &likely)?;
                map.serialize_entry("max", &max)?;
                map.end()
            }
            Quantity::Interval90 { low, high } => {
                let mut map = serializer.serialize_map(Some(2))?;
                map.serialize_entry("low", &low)?;
                map.serialize_entry("high", &high)?;
                map.end()
            }
        }
    }
}
