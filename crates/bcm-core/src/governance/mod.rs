//! Governance: is the continuity programme kept up? Plan currency (DESIGN §4.I).
//!
//! Nothing here reads the clock: every analysis takes the date it is judged at.

pub mod currency;

use chrono::{Days, NaiveDate};
use serde::Serialize;

use crate::model::{Date, Duration, Organization};

/// Reviews, tests and training are due this often unless the organization says otherwise
/// (DESIGN §3: 365 days each).
pub const DEFAULT_INTERVAL: Duration = Duration::from_days(365);

/// A change makes the plans and BIAs it touches due this many days after its date.
pub const CHANGE_GRACE_DAYS: u64 = 30;

/// The organization's programme intervals, with the defaults filled in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Intervals {
    /// Plans and BIAs are reviewed at least this often.
    pub review: Duration,
    /// Plans are tested at least this often.
    pub test: Duration,
    /// People in plan teams are trained at least this often.
    pub training: Duration,
}

impl Intervals {
    /// The intervals `organization` sets, the defaults where it sets none.
    pub fn of(organization: &Organization) -> Self {
        Intervals {
            review: organization.review_interval.unwrap_or(DEFAULT_INTERVAL),
            test: organization.test_interval.unwrap_or(DEFAULT_INTERVAL),
            training: organization.training_interval.unwrap_or(DEFAULT_INTERVAL),
        }
    }
}

/// `day` plus `interval`, in whole days (an interval of 36h counts as one day: the policy's
/// intervals are in days and a date has no time of day); the last representable date if that
/// were past it.
pub(crate) fn after(day: NaiveDate, interval: Duration) -> NaiveDate {
    after_days(day, interval.as_secs() / 86_400)
}

/// `day` plus `days` days, saturating at the last representable date.
pub(crate) fn after_days(day: NaiveDate, days: u64) -> NaiveDate {
    day.checked_add_days(Days::new(days))
        .unwrap_or(NaiveDate::MAX)
}

/// A day as a [`Date`] (results show days, not instants).
pub(crate) fn as_date(day: NaiveDate) -> Date {
    Date::Day(day)
}
