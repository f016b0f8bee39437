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
