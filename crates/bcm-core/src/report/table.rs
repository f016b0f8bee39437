//! The report's tables: typed columns and raw cells, so that JSON and CSV keep the numbers
//! (seconds, shares, money) and HTML and Markdown show them the way a planner reads them.

use serde::Serialize;
use serde_json::Value;

use crate::model::Duration;

/// What a column holds, which says how its cells are shown (JSON and CSV keep the raw value).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ColumnKind {
    /// Free text or an ID.
    Text,
    /// A whole number.
    Count,
    /// A time in seconds, shown as a duration (`8h`); `null` is "never".
    Seconds,
    /// A signed time in seconds (slack), shown as a duration with its sign.
    SignedSeconds,
    /// Seconds past a target: 0 is shown as "–" (not missed), `null` as "never back".
    Overrun,
    /// A date (`YYYY-MM-DD`).
    Date,
    /// A share 0–1, shown as a percentage.
    Share,
    /// A share close to 1 (availability), shown as a percentage with four decimals.
    FineShare,
    /// An amount in the model's currency.
    Money,
    /// Any other number.
    Number,
    /// A yes/no.
    Flag,
    /// A list of IDs.
    List,
}

/// A column: its key (the CSV header and JSON name), its label for people, and its kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Column {
    /// Stable key, as GRC tools read it.
    pub key: String,
    /// Header for people.
    pub label: String,
    /// What it holds.
    pub kind: ColumnKind,
}

/// A column of `kind`.
pub(crate) fn col(key: &str, label: &str, kind: ColumnKind) -> Column {
    Column {
        key: key.to_owned(),
        label: label.to_owned(),
        kind,
    }
}

/// A table of a section, with every row (the HTML and Markdown show the first
/// [`SHOWN_ROWS`]; JSON and CSV keep them all).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Table {
    /// Stable ID (the CSV file name).
    pub id: &'static str,
    /// Title for people.
    pub title: String,
    /// The columns.
    pub columns: Vec<Column>,
    /// The rows, already in the order of what needs attention first; one value per column.
    pub rows: Vec<Vec<Value>>,
}

/// How many rows of a table the HTML and Markdown show.
pub const SHOWN_ROWS: usize = 25;

/// How many items a list cell holds: on a large estate a unit takes down thousands of
/// functions and a function has thousands of SPOFs, so the report lists the first ones next to
/// the count (`bcm spof --json` has every pair).
pub const LISTED: usize = 20;

/// The first [`LISTED`] items, as a JSON list.
pub(crate) fn first_items<'a>(items: impl Iterator<Item = &'a str>) -> serde_json::Value {
    serde_json::Value::Array(
        items
            .take(LISTED)
            .map(|s| serde_json::Value::String(s.to_owned()))
            .collect(),
    )
}

impl Table {
    pub(crate) fn new(id: &'static str, title: impl Into<String>, columns: Vec<Column>) -> Self {
        Table {
            id,
            title: title.into(),
            columns,
            rows: Vec::new(),
        }
    }

    /// Adds a row; a row of the wrong width is a bug in the report's code.
    pub(crate) fn push(&mut self, row: Vec<Value>) {
        debug_assert_eq!(row.len(), self.columns.len(), "row width of {}", self.id);
        self.rows.push(row);
    }

    /// The cells of row `r` as people read them.
    pub(crate) fn shown_row(&self, row: &[Value], currency: &str) -> Vec<String> {
        self.columns
            .iter()
            .zip(row)
            .map(|(c, v)| show(v, c.kind, currency))
            .collect()
    }
}

/// A time in seconds as a duration.
pub(crate) fn duration_text(secs: u64) -> String {
    Duration::from_secs(secs).to_string()
}

/// A time in seconds as a planner reads it: to the minute above an hour, to the hour above two
/// days (JSON and CSV keep the seconds).
pub(crate) fn rounded_duration_text(secs: u64) -> String {
    const HOUR: u64 = 3600;
    let step = if secs >= 48 * HOUR {
        HOUR
    } else if secs >= HOUR {
        60
    } else {
        1
    };
    duration_text((secs + step / 2) / step * step)
}

/// A share 0–1 as a percentage with one decimal where it matters.
pub(crate) fn percent_text(share: f64) -> String {
    let p = share * 100.0;
    if (p - p.round()).abs() < 0.05 {
        format!("{p:.0}%")
    } else {
        format!("{p:.1}%")
    }
}

/// An amount with thousands separators, no decimals.
pub(crate) fn money_text(amount: f64, currency: &str) -> String {
    if !amount.is_finite() {
        return amount.to_string();
    }
    let whole = amount.abs().round();
    let digits = format!("{whole:.0}");
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if amount < 0.0 && whole > 0.0 { "-" } else { "" };
    if currency.is_empty() {
        format!("{sign}{grouped}")
    } else {
        format!("{sign}{grouped} {currency}")
    }
}

fn show(value: &Value, kind: ColumnKind, currency: &str) -> String {
    match (kind, value) {
        (ColumnKind::Seconds, Value::Null) => "never".to_owned(),
        (ColumnKind::Overrun, Value::Null) => "never back".to_owned(),
        (_, Value::Null) => "–".to_owned(),
        (ColumnKind::Overrun, Value::Number(n)) if n.as_u64() == Some(0) => "–".to_owned(),
        (ColumnKind::Seconds | ColumnKind::Overrun, Value::Number(n)) => {
            n.as_u64().map_or(n.to_string(), rounded_duration_text)
        }
        (ColumnKind::FineShare, Value::Number(n)) => n
            .as_f64()
            .map_or(n.to_string(), |x| format!("{:.4}%", x * 100.0)),
        (ColumnKind::SignedSeconds, Value::Number(n)) => match n.as_i64() {
            Some(s) if s < 0 => format!("−{}", duration_text(s.unsigned_abs())),
            Some(s) => duration_text(s.unsigned_abs()),
            None => n.to_string(),
        },
        (ColumnKind::Share, Value::Number(n)) => n.as_f64().map_or(n.to_string(), percent_text),
        (ColumnKind::Money, Value::Number(n)) => n
            .as_f64()
            .map_or(n.to_string(), |x| money_text(x, currency)),
        (ColumnKind::Number, Value::Number(n)) => match n.as_f64() {
            Some(x) if x.fract() != 0.0 => format!("{x:.3}"),
            _ => n.to_string(),
        },
        (_, Value::Bool(b)) => if *b { "yes" } else { "no" }.to_owned(),
        (_, Value::String(s)) => s.clone(),
        (_, Value::Array(items)) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        (_, other) => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn cells_read_as_a_planner_writes_them() {
        assert_eq!(show(&json!(28_800), ColumnKind::Seconds, ""), "8h");
        assert_eq!(show(&json!(209_087), ColumnKind::Seconds, ""), "2d10h");
        assert_eq!(show(&json!(5_430), ColumnKind::Seconds, ""), "1h31m");
        assert_eq!(show(&json!(0), ColumnKind::Overrun, ""), "–");
        assert_eq!(show(&Value::Null, ColumnKind::Overrun, ""), "never back");
        assert_eq!(show(&json!(0.99969), ColumnKind::FineShare, ""), "99.9690%");
        assert_eq!(show(&Value::Null, ColumnKind::Seconds, ""), "never");
        assert_eq!(show(&json!(-5400), ColumnKind::SignedSeconds, ""), "−1h30m");
        assert_eq!(show(&json!(0.25), ColumnKind::Share, ""), "25%");
        assert_eq!(show(&json!(0.1234), ColumnKind::Share, ""), "12.3%");
        assert_eq!(
            show(&json!(1_234_567.4), ColumnKind::Money, "USD"),
            "1,234,567 USD"
        );
        assert_eq!(show(&json!(-999.6), ColumnKind::Money, ""), "-1,000");
        assert_eq!(show(&json!(true), ColumnKind::Flag, ""), "yes");
        assert_eq!(show(&json!(["a", "b"]), ColumnKind::List, ""), "a, b");
        assert_eq!(show(&Value::Null, ColumnKind::Count, ""), "–");
    }
}
