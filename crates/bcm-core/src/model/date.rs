//! Dates (`2026-03-01`) and timestamps (RFC 3339, `2026-03-01T09:30:00Z`).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, FixedOffset, NaiveDate};
use serde::de::{self, Deserialize, Deserializer};
use serde::{Serialize, Serializer};

/// A calendar date or an instant, as the document wrote it.
///
/// Reviews, tests and training are dated by day; change events may carry a timestamp. Comparisons
/// that the policy cares about ("changed after the last review") use [`Date::day`].
///
/// ```
/// use bcm_core::Date;
/// let d: Date = "2026-03-01".parse().unwrap();
/// let t: Date = "2026-03-01T09:30:00+02:00".parse().unwrap();
/// assert_eq!(d.day(), t.day());
/// assert_eq!(t.to_string(), "2026-03-01T09:30:00+02:00");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Date {
    /// A calendar day.
    Day(NaiveDate),
    /// An instant with the offset it was written with.
    Instant(DateTime<FixedOffset>),
}

/// Why a text is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{text:?} is not a date (examples: 2026-03-01, 2026-03-01T09:30:00Z)")]
pub struct DateError {
    /// The offending text.
    pub text: String,
}

impl Date {
    /// The calendar day, in the timestamp's own offset for an instant.
    pub fn day(&self) -> NaiveDate {
        match self {
            Date::Day(day) => *day,
            Date::Instant(instant) => instant.date_naive(),
        }
    }
}

impl From<NaiveDate> for Date {
    fn from(day: NaiveDate) -> Self {
        Date::Day(day)
    }
}

impl fmt::Display for Date {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Date::Day(day) => write!(f, "{}", day.format("%Y-%m-%d")),
            Date::Instant(instant) => f.write_str(&instant.to_rfc3339()),
        }
    }
}

impl FromStr for Date {
    type Err = DateError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let error = || DateError {
            text: text.to_owned(),
        };
        if text.len() == 10 {
            NaiveDate::parse_from_str(text, "%Y-%m-%d")
                .map(Date::Day)
                .map_err(|_| error())
        } else {
            DateTime::parse_from_rfc3339(text)
                .map(Date::Instant)
                .map_err(|_| error())
        }
    }
}

impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Date {
    /// From its text (in analysis parameters: `{"at": "2026-12-06"}`).
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        text.parse().map_err(de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_and_instants() {
        let d: Date = "2026-02-28".parse().unwrap();
        assert_eq!(d.day(), NaiveDate::from_ymd_opt(2026, 2, 28).unwrap());
        assert_eq!(d.to_string(), "2026-02-28");
        let t: Date = "2026-04-02T23:30:00-05:00".parse().unwrap();
        assert_eq!(t.day(), NaiveDate::from_ymd_opt(2026, 4, 2).unwrap());
        assert_eq!(t.to_string().parse::<Date>().unwrap(), t);
    }

    #[test]
    fn rejects_what_is_not_a_date() {
        for bad in [
            "2026-02-30",
            "2026-2-3",
            "03/01/2026",
            "2026-03-01 09:30",
            "",
            "yesterday",
        ] {
            assert!(bad.parse::<Date>().is_err(), "{bad:?} parsed");
        }
    }
}
