//! Writing a [`Report`]: HTML and Markdown through `minijinja` templates (HTML escaped by the
//! engine; the charts' SVG, which the report drew itself, inserted as is), JSON through serde,
//! and CSV files through `csv`.

use serde::Serialize;

use super::Report;
use super::table::{ColumnKind, SHOWN_ROWS, Table};

/// A report's output format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// One self-contained HTML page (inline CSS and SVG, no script).
    Html,
    /// Markdown (charts are named, not drawn).
    Markdown,
    /// The report's data, pretty-printed.
    Json,
}

/// A report could not be written (a bug: templates and data are ours).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("cannot write the report: {0}")]
pub struct RenderError(pub String);

#[derive(Serialize)]
struct Header<'a> {
    label: &'a str,
    numeric: bool,
    nowrap: bool,
}

#[derive(Serialize)]
struct TableView<'a> {
    id: &'a str,
    title: &'a str,
    headers: Vec<Header<'a>>,
    rows: Vec<Vec<String>>,
    more: usize,
}

#[derive(Serialize)]
struct ChartView<'a> {
    title: &'a str,
    description: &'a str,
    svg: &'a str,
}

#[derive(Serialize)]
struct SectionView<'a> {
    id: &'a str,
    heading: String,
    available: bool,
    lead: &'a [String],
    charts: Vec<ChartView<'a>>,
    tables: Vec<TableView<'a>>,
}

#[derive(Serialize)]
struct View<'a> {
    organization: &'a str,
    version: &'a str,
    scope: String,
    headlines: &'a [super::Headline],
    sections: Vec<SectionView<'a>>,
}

/// A Markdown table cell: no line breaks, pipes escaped.
fn markdown_cell(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('|', "\\|")
        .replace(['\n', '\r'], " ")
}

fn table_view<'a>(t: &'a Table, currency: &str, markdown: bool) -> TableView<'a> {
    let rows = t
        .rows
        .iter()
        .take(SHOWN_ROWS)
        .map(|row| {
            let cells = t.shown_row(row, currency);
            if markdown {
                cells.iter().map(|c| markdown_cell(c)).collect()
            } else {
                cells
            }
        })
        .collect();
    TableView {
        id: t.id,
        title: &t.title,
        headers: t
            .columns
            .iter()
            .map(|c| Header {
                label: &c.label,
                numeric: !matches!(
                    c.kind,
                    ColumnKind::Text | ColumnKind::List | ColumnKind::Flag
                ),
                nowrap: c.kind == ColumnKind::Date,
            })
            .collect(),
        rows,
        more: t.rows.len().saturating_sub(SHOWN_ROWS),
    }
}

fn view(report: &Report, markdown: bool) -> View<'_> {
    let mut scope = Vec::new();
    scope.push(match report.at {
        Some(at) => format!("Judged at {at}"),
        None => "No date of judgement given (plan currency, conformance and maturity need one)"
            .to_owned(),
    });
    if let Some(lose) = &report.scenario {
        scope.push(format!("recovery sections: losing {}", lose.join(", ")));
    }
    scope.push(format!(
        "{} simulated recoveries and {} simulated years, seed {}",
        report.iterations, report.years, report.seed
    ));
    if report.redacted {
        scope.push("personal data left out".to_owned());
    }
    View {
        organization: &report.organization,
        version: report.bcm_version,
        scope: format!("{}.", scope.join("; ")),
        headlines: &report.summary.headlines,
        sections: report
            .sections
            .iter()
            .map(|s| SectionView {
                id: s.id,
                heading: if s.letter.is_empty() {
                    s.title.to_owned()
                } else {
                    format!("{}. {}", s.letter, s.title)
                },
                available: s.available,
                lead: &s.lead,
                charts: s
                    .charts
                    .iter()
                    .map(|c| ChartView {
                        title: &c.title,
                        description: &c.description,
                        svg: &c.svg,
                    })
                    .collect(),
                tables: s
                    .tables
                    .iter()
                    .map(|t| table_view(t, &report.currency, markdown))
                    .collect(),
            })
            .collect(),
    }
}

fn template(name: &str, source: &'static str, view: &View<'_>) -> Result<String, RenderError> {
    let mut env = minijinja::Environment::new();
    env.add_template(name, source)
        .map_err(|e| RenderError(e.to_string()))?;
    env.get_template(name)
        .and_then(|t| t.render(minijinja::value::Serde(view)))
        .map_err(|e| RenderError(e.to_string()))
}

/// Writes `report` in `format`.
///
/// # Errors
/// [`RenderError`] only on a bug in the templates.
pub fn render(report: &Report, format: Format) -> Result<String, RenderError> {
    match format {
        // The name's extension turns on the engine's HTML escaping.
        Format::Html => template(
            "report.html",
            include_str!("templates/report.html"),
            &view(report, false),
        ),
        Format::Markdown => template(
            "report.md",
            include_str!("templates/report.md"),
            &view(report, true),
        ),
        Format::Json => report.to_json(),
    }
}

/// A raw cell for CSV: numbers and text as JSON has them, lists joined with `;`, null empty.
fn csv_cell(value: &serde_json::Value) -> String {
    use serde_json::Value;
    match value {
        Value::Null => String::new(),
        Value::String(s) => s.clone(),
        Value::Array(items) => items.iter().map(csv_cell).collect::<Vec<_>>().join(";"),
        other => other.to_string(),
    }
}

pub(super) fn csv_files(report: &Report) -> Result<Vec<(String, String)>, RenderError> {
    let mut files = Vec::new();
    for s in &report.sections {
        for t in &s.tables {
            let mut writer = csv::Writer::from_writer(Vec::new());
            let fail = |e: csv::Error| RenderError(e.to_string());
            writer
                .write_record(t.columns.iter().map(|c| c.key.as_str()))
                .map_err(fail)?;
            for row in &t.rows {
                writer
                    .write_record(row.iter().map(csv_cell))
                    .map_err(fail)?;
            }
            let bytes = writer
                .into_inner()
                .map_err(|e| RenderError(e.to_string()))?;
            let text = String::from_utf8(bytes).map_err(|e| RenderError(e.to_string()))?;
            files.push((format!("{}-{}.csv", s.id, t.id), text));
        }
    }
    Ok(files)
}
