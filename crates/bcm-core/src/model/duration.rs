//! Durations: `30s`, `45m`, `4h`, `1d12h`, `2w`, and ISO 8601 `PT4H` / `P1D`.

use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

const MINUTE: u64 = 60;
const HOUR: u64 = 60 * MINUTE;
const DAY: u64 = 24 * HOUR;
const WEEK: u64 = 7 * DAY;

/// The longest duration a model may state: 1000 years. Longer values are almost always a unit
/// mistake, and the bound keeps every sum of durations in an analysis far from `u64` overflow.
pub const MAX_DURATION_SECS: u64 = 1000 * 365 * DAY;

/// Units of the short form, largest first; a duration names each at most once, in this order.
const UNITS: [(char, u64); 5] = [
    ('w', WEEK),
    ('d', DAY),
    ('h', HOUR),
    ('m', MINUTE),
    ('s', 1),
];

/// A length of time, stored as whole seconds.
///
/// Written as the short form (`90m`, `1d12h`, `2w`) or ISO 8601 (`PT4H`, `P1DT12H`, `P2W`);
/// always saved in the canonical short form (`1d12h`; weeks only when whole, `2w` but `365d`), so `Duration::from_str(&d.to_string())`
/// gives back `d`.
///
/// ```
/// use bcm_core::Duration;
/// let d: Duration = "1d12h".parse().unwrap();
/// assert_eq!(d.as_secs(), 36 * 3600);
/// assert_eq!("PT36H".parse::<Duration>().unwrap(), d);
/// assert_eq!(d.to_string(), "1d12h");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Duration(u64);

/// Why a text is not a duration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DurationError {
    /// The text follows neither the short form nor ISO 8601.
    #[error("{text:?} is not a duration (examples: 30m, 4h, 1d)")]
    Syntax {
        /// The offending text.
        text: String,
    },
    /// ISO 8601 years or months: their length depends on the calendar.
    #[error("{text:?} uses years or months, which have no fixed length; use days or weeks")]
    Calendar {
        /// The offending text.
        text: String,
    },
    /// Longer than [`MAX_DURATION_SECS`].
    #[error("{text:?} is longer than 1000 years")]
    TooLong {
        /// The offending text.
        text: String,
    },
}

impl Duration {
    /// Zero seconds.
    pub const ZERO: Duration = Duration(0);

    /// A duration of `secs` seconds.
    pub const fn from_secs(secs: u64) -> Self {
        Duration(secs)
    }

    /// A duration of `hours` hours.
    pub const fn from_hours(hours: u64) -> Self {
        Duration(hours.saturating_mul(HOUR))
    }

    /// A duration of `days` days.
    pub const fn from_days(days: u64) -> Self {
        Duration(days.saturating_mul(DAY))
    }

    /// The length in seconds.
    pub const fn as_secs(self) -> u64 {
        self.0
    }
}

impl fmt::Display for Duration {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == 0 {
            return f.write_str("0s");
        }
        // Weeks only when the duration is whole weeks: planners write "365d", not "52w1d".
        if self.0.is_multiple_of(WEEK) {
            return write!(f, "{}w", self.0 / WEEK);
        }
        let mut rest = self.0;
        for (unit, secs) in UNITS.iter().skip(1).copied() {
            let n = rest / secs;
            if n > 0 {
                write!(f, "{n}{unit}")?;
                rest %= secs;
            }
        }
        Ok(())
    }
}

impl FromStr for Duration {
    type Err = DurationError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let syntax = || DurationError::Syntax {
            text: text.to_owned(),
        };
        let secs = match text.strip_prefix('P') {
            Some(iso) => parse_iso(iso).map_err(|e| e.unwrap_or_else(syntax))?,
            None => parse_units(text, &UNITS).ok_or_else(syntax)?,
        };
        if secs > MAX_DURATION_SECS {
            return Err(DurationError::TooLong {
                text: text.to_owned(),
            });
        }
        Ok(Duration(secs))
    }
}

/// Parses `<n><unit>...` where each unit of `units` appears at most once, in the table's order.
/// Returns `None` on any deviation, including overflow and an empty text.
fn parse_units(text: &str, units: &[(char, u64)]) -> Option<u64> {
    let mut total: u64 = 0;
    let mut next_unit = 0;
    let mut digits_start: Option<usize> = None;
    let mut any = false;
    for (pos, c) in text.char_indices() {
        if c.is_ascii_digit() {
            digits_start.get_or_insert(pos);
            continue;
        }
        let start = digits_start.take()?;
        let number: u64 = text.get(start..pos)?.parse().ok()?;
        let offset = units.get(next_unit..)?.iter().position(|(u, _)| *u == c)?;
        let (_, secs) = units.get(next_unit + offset)?;
        total = total.checked_add(number.checked_mul(*secs)?)?;
        next_unit += offset + 1;
        any = true;
    }
    (any && digits_start.is_none()).then_some(total)
}

/// Parses the part of an ISO 8601 duration after `P`. `Err(None)` is a plain syntax error,
/// `Err(Some(_))` a more specific one.
fn parse_iso(iso: &str) -> Result<u64, Option<DurationError>> {
    const DATE_UNITS: [(char, u64); 2] = [('W', WEEK), ('D', DAY)];
    const TIME_UNITS: [(char, u64); 3] = [('H', HOUR), ('M', MINUTE), ('S', 1)];
    let (date, time) = match iso.split_once('T') {
        Some((date, time)) => (date, Some(time)),
        None => (iso, None),
    };
    if date.contains('Y') || date.contains('M') {
        return Err(Some(DurationError::Calendar {
            text: format!("P{iso}"),
        }));
    }
    let date_secs = if date.is_empty() {
        0
    } else {
        parse_units(date, &DATE_UNITS).ok_or(None)?
    };
    let time_secs = match time {
        Some(time) => parse_units(time, &TIME_UNITS).ok_or(None)?,
        None if date.is_empty() => return Err(None),
        None => 0,
    };
    date_secs.checked_add(time_secs).ok_or(None)
}

impl<'de> serde::Deserialize<'de> for Duration {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

impl Serialize for Duration {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(text: &str) -> u64 {
        text.parse::<Duration>().unwrap().as_secs()
    }

    #[test]
    fn short_forms() {
        assert_eq!(secs("30s"), 30);
        assert_eq!(secs("45m"), 2700);
        assert_eq!(secs("4h"), 14_400);
        assert_eq!(secs("1d12h"), 129_600);
        assert_eq!(secs("2w"), 1_209_600);
        assert_eq!(secs("1w2d3h4m5s"), 604_800 + 172_800 + 10_800 + 240 + 5);
        assert_eq!(secs("90m"), 5400);
        assert_eq!(secs("0s"), 0);
    }

    #[test]
    fn iso_forms() {
        assert_eq!(secs("PT4H"), 14_400);
        assert_eq!(secs("P1D"), 86_400);
        assert_eq!(secs("P1DT12H"), 129_600);
        assert_eq!(secs("PT1H30M15S"), 5415);
        assert_eq!(secs("P2W"), 1_209_600);
    }

    #[test]
    fn rejects_what_is_not_a_duration() {
        for bad in [
            "",
            "4",
            "h",
            "4 hours",
            "4H",
            "1h1d",
            "1h1h",
            "4.5h",
            "-4h",
            "PT",
            "P",
            "PT4D",
            "P4H",
            "P1DT",
            "1d ",
            " 1d",
            "99999999999999999999s",
        ] {
            assert!(bad.parse::<Duration>().is_err(), "{bad:?} parsed");
        }
        let err = "4 hours".parse::<Duration>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"4 hours\" is not a duration (examples: 30m, 4h, 1d)"
        );
        assert!(matches!(
            "P1Y".parse::<Duration>(),
            Err(DurationError::Calendar { .. })
        ));
        assert_eq!(secs("1001w"), 1001 * 604_800);
        assert!(matches!(
            "60000w".parse::<Duration>(),
            Err(DurationError::TooLong { .. })
        ));
    }

    #[test]
    fn canonical_text() {
        assert_eq!(Duration::from_secs(0).to_string(), "0s");
        assert_eq!(Duration::from_secs(129_600).to_string(), "1d12h");
        assert_eq!(Duration::from_secs(1_209_600).to_string(), "2w");
        assert_eq!(Duration::from_secs(3661).to_string(), "1h1m1s");
        assert_eq!(Duration::from_days(365).to_string(), "365d");
        assert_eq!(Duration::from_days(15).to_string(), "15d");
        assert_eq!(Duration::from_days(14).to_string(), "2w");
    }

    proptest::proptest! {
        #[test]
        fn text_round_trips(s in 0..=MAX_DURATION_SECS) {
            let d = Duration::from_secs(s);
            proptest::prop_assert_eq!(d.to_string().parse::<Duration>().unwrap(), d);
        }
    }
}
