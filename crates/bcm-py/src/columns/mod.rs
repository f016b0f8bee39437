//! One table of a result as typed columns, read straight from the result's serde form.
//!
//! A table is a list-valued field of the result's JSON shape (DESIGN §5), one row per element;
//! a mapping inside a row becomes columns of its own (its keys, unprefixed). Going through a
//! `serde_json::Value` of the whole result and a Python object per cell cost pandas more than
//! the analysis itself on a large estate (issue 21), so the serializer (`read`) visits only the
//! table asked for and keeps numbers, booleans and text unboxed until they become numpy arrays
//! or Python lists, one per column.

use std::collections::HashMap;

use numpy::IntoPyArray;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyList;
use serde::Serialize;

mod read;

/// One cell of a table. Lists and mappings nested deeper than a row's own fields stay JSON.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Cell {
    Null,
    Bool(bool),
    Int(i64),
    UInt(u64),
    Float(f64),
    Str(String),
    Json(serde_json::Value),
}

/// A table as columns in order of first appearance, each as long as the table.
#[derive(Debug, Default)]
pub(crate) struct Columns {
    pub(crate) names: Vec<String>,
    pub(crate) cells: Vec<Vec<Cell>>,
    rows: usize,
    index: HashMap<String, usize>,
    /// The column the next field of a row most likely goes to (rows share their field order).
    cursor: usize,
}

impl Columns {
    /// The table `name` of `result` (a list-valued field of its serde form).
    pub(crate) fn of<T: Serialize + ?Sized>(result: &T, name: &str) -> PyResult<Columns> {
        match read::table(result, Some(name)).map_err(PyValueError::new_err)? {
            Some(columns) => Ok(columns.finish()),
            None => Err(PyValueError::new_err(format!(
                "no table {name:?} in this result"
            ))),
        }
    }

    /// A table given as the list of its rows (`rows` is a JSON array of mappings).
    pub(crate) fn from_rows<T: Serialize + ?Sized>(rows: &T) -> PyResult<Columns> {
        let columns = read::table(rows, None).map_err(PyValueError::new_err)?;
        Ok(columns.unwrap_or_default().finish())
    }

    /// A table built column by column: `columns` of equal length.
    pub(crate) fn from_columns(columns: Vec<(&str, Vec<Cell>)>) -> Columns {
        let mut table = Columns {
            rows: columns.first().map_or(0, |(_, cells)| cells.len()),
            ..Columns::default()
        };
        for (name, cells) in columns {
            table.names.push(name.to_owned());
            table.cells.push(cells);
        }
        table.finish()
    }

    /// "id" first, the other columns in the order they first appeared.
    fn finish(mut self) -> Columns {
        if let Some(at) = self.names.iter().position(|c| c == "id") {
            let id = self.names.remove(at);
            self.names.insert(0, id);
            let cells = self.cells.remove(at);
            self.cells.insert(0, cells);
        }
        self.index.clear();
        self
    }

    fn column(&mut self, name: &str) -> usize {
        if self.names.get(self.cursor).is_some_and(|n| n == name) {
            return self.cursor;
        }
        if let Some(&c) = self.index.get(name) {
            return c;
        }
        let c = self.names.len();
        self.names.push(name.to_owned());
        self.index.insert(name.to_owned(), c);
        self.cells.push(vec![Cell::Null; self.rows]);
        c
    }

    /// A cell of the current row; a repeated name keeps the first (as a mapping would).
    fn push(&mut self, name: &str, cell: Cell) {
        let c = self.column(name);
        self.cursor = c + 1;
        if let Some(column) = self.cells.get_mut(c)
            && column.len() == self.rows
        {
            column.push(cell);
        }
    }

    fn end_row(&mut self) {
        self.rows += 1;
        self.cursor = 0;
        for column in &mut self.cells {
            column.resize(self.rows, Cell::Null);
        }
    }

    /// The columns as Python values, in the form `form` asks for.
    pub(crate) fn into_py<'py>(
        self,
        py: Python<'py>,
        form: PyForm<'_>,
    ) -> PyResult<Vec<(String, Bound<'py, PyAny>)>> {
        self.names
            .into_iter()
            .zip(self.cells)
            .map(|(name, cells)| {
                let day_seconds = (form.arrays && form.dates.contains(&name.as_str()))
                    .then(|| days_as_seconds(&cells))
                    .flatten();
                let values = match day_seconds {
                    Some(seconds) => seconds
                        .into_pyarray(py)
                        .call_method1("view", ("datetime64[s]",))?,
                    None if form.arrays => column_to_py(py, cells, form.gaps_as_nan)?,
                    None => list_to_py(py, cells)?,
                };
                Ok((name, values))
            })
            .collect()
    }
}

/// Seconds since 1970-01-01 of each day of a column of days and nulls (null: numpy's NaT, the
/// smallest i64); `None` if some cell is anything else (an instant, say).
fn days_as_seconds(cells: &[Cell]) -> Option<Vec<i64>> {
    let epoch = "1970-01-01".parse::<bcm_core::Date>().ok()?.day();
    cells
        .iter()
        .map(|cell| match cell {
            Cell::Null => Some(i64::MIN),
            Cell::Str(text) if text.len() == 10 => {
                let day = text.parse::<bcm_core::Date>().ok()?.day();
                Some(day.signed_duration_since(epoch).num_seconds())
            }
            _ => None,
        })
        .collect()
}

/// How columns become Python values.
#[derive(Debug, Clone, Copy)]
pub(crate) struct PyForm<'a> {
    /// Booleans and numbers as numpy arrays (else every column is a list).
    pub(crate) arrays: bool,
    /// Numbers with gaps as float64 arrays with NaN, as pandas makes them (else a list with
    /// None, which polars reads as null).
    pub(crate) gaps_as_nan: bool,
    /// Columns of days (`2026-03-01`) and nulls that become `datetime64[s]` arrays (null:
    /// NaT), with `arrays`.
    pub(crate) dates: &'a [&'a str],
}

/// What a column holds, to pick its Python form.
#[derive(Default)]
struct Kinds {
    null: bool,
    boolean: bool,
    int: bool,
    float: bool,
    other: bool,
}

fn column_to_py<'py>(
    py: Python<'py>,
    cells: Vec<Cell>,
    gaps_as_nan: bool,
) -> PyResult<Bound<'py, PyAny>> {
    let mut kinds = Kinds::default();
    for cell in &cells {
        match cell {
            Cell::Null => kinds.null = true,
            Cell::Bool(_) => kinds.boolean = true,
            Cell::Int(_) => kinds.int = true,
            Cell::UInt(u) => {
                kinds.int = true;
                kinds.other |= i64::try_from(*u).is_err();
            }
            Cell::Float(_) => kinds.float = true,
            Cell::Str(_) | Cell::Json(_) => kinds.other = true,
        }
    }
    let numbers = (kinds.int || kinds.float) && !kinds.boolean && !kinds.other;
    if kinds.boolean && !(kinds.null || kinds.int || kinds.float || kinds.other) {
        let values: Vec<bool> = cells
            .iter()
            .map(|c| matches!(c, Cell::Bool(true)))
            .collect();
        return Ok(values.into_pyarray(py).into_any());
    }
    if numbers && kinds.int && !kinds.float && !kinds.null {
        let values: Vec<i64> = cells
            .iter()
            .map(|c| match c {
                Cell::Int(i) => *i,
                Cell::UInt(u) => i64::try_from(*u).unwrap_or(i64::MAX),
                _ => 0,
            })
            .collect();
        return Ok(values.into_pyarray(py).into_any());
    }
    if numbers && (gaps_as_nan || !kinds.null) {
        #[allow(clippy::cast_precision_loss)] // the conversion pandas itself makes
        let values: Vec<f64> = cells
            .iter()
            .map(|c| match c {
                Cell::Int(i) => *i as f64,
                Cell::UInt(u) => *u as f64,
                Cell::Float(f) => *f,
                _ => f64::NAN,
            })
            .collect();
        return Ok(values.into_pyarray(py).into_any());
    }
    list_to_py(py, cells)
}

fn list_to_py(py: Python<'_>, cells: Vec<Cell>) -> PyResult<Bound<'_, PyAny>> {
    let list = PyList::empty(py);
    for cell in cells {
        list.append(cell_to_py(py, cell)?)?;
    }
    Ok(list.into_any())
}

fn cell_to_py(py: Python<'_>, cell: Cell) -> PyResult<Bound<'_, PyAny>> {
    use pyo3::IntoPyObjectExt;
    match cell {
        Cell::Null => Ok(py.None().into_bound(py)),
        Cell::Bool(b) => b.into_bound_py_any(py),
        Cell::Int(i) => i.into_bound_py_any(py),
        Cell::UInt(u) => u.into_bound_py_any(py),
        Cell::Float(f) => f.into_bound_py_any(py),
        Cell::Str(s) => s.into_bound_py_any(py),
        Cell::Json(v) => {
            pythonize::pythonize(py, &v).map_err(|e| PyValueError::new_err(e.to_string()))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn table(value: &serde_json::Value, name: &str) -> (Vec<String>, Vec<Vec<Cell>>) {
        let columns = Columns::of(value, name).unwrap_or_default();
        (columns.names, columns.cells)
    }

    #[test]
    fn rows_become_columns_with_nested_mappings_flattened_and_id_first() {
        let result = json!({
            "other": [{"x": 1}],
            "nodes": [
                {"kind": "asset", "id": "a", "times": {"down_at": 0, "up_at": null}, "gaps": ["G-RTO"]},
                {"id": "b", "kind": "group", "extra": 2.5, "times": {"down_at": 60, "up_at": 120}},
            ],
        });
        let (names, cells) = table(&result, "nodes");
        assert_eq!(names, ["id", "kind", "down_at", "up_at", "gaps", "extra"]);
        assert_eq!(
            cells,
            vec![
                vec![Cell::Str("a".into()), Cell::Str("b".into())],
                vec![Cell::Str("asset".into()), Cell::Str("group".into())],
                vec![Cell::UInt(0), Cell::UInt(60)],
                vec![Cell::Null, Cell::UInt(120)],
                vec![Cell::Json(json!(["G-RTO"])), Cell::Null],
                vec![Cell::Null, Cell::Float(2.5)],
            ]
        );
    }

    #[test]
    fn a_missing_or_scalar_table_is_an_error() {
        let result = json!({"nodes": [], "count": 3});
        assert!(Columns::of(&result, "nope").is_err());
        assert!(Columns::of(&result, "count").is_err());
        let empty = Columns::of(&result, "nodes").unwrap_or_default();
        assert!(empty.names.is_empty());
    }

    #[test]
    fn a_variant_with_data_is_a_mapping_as_in_json() {
        #[derive(Serialize)]
        #[serde(rename_all = "kebab-case")]
        enum Check {
            AnyPlan(u32),
            Plain,
        }
        #[derive(Serialize)]
        struct Row {
            id: &'static str,
            check: Check,
            spans: Vec<u64>,
        }
        #[derive(Serialize)]
        struct Result {
            count: u64,
            rows: Vec<Row>,
        }
        let result = Result {
            count: 2,
            rows: vec![
                Row {
                    id: "a",
                    check: Check::AnyPlan(3),
                    spans: vec![1, 2],
                },
                Row {
                    id: "b",
                    check: Check::Plain,
                    spans: vec![],
                },
            ],
        };
        let columns = Columns::of(&result, "rows").unwrap_or_default();
        assert_eq!(columns.names, ["id", "any-plan", "spans", "check"]);
        assert_eq!(
            columns.cells,
            vec![
                vec![Cell::Str("a".into()), Cell::Str("b".into())],
                vec![Cell::UInt(3), Cell::Null],
                vec![Cell::Json(json!([1, 2])), Cell::Json(json!([]))],
                vec![Cell::Null, Cell::Str("plain".into())],
            ]
        );
    }

    #[test]
    fn a_repeated_name_in_a_row_keeps_the_first() {
        let rows = json!([{"id": "a", "inner": {"id": "z", "n": 1}}]);
        let columns = Columns::from_rows(&rows).unwrap_or_default();
        assert_eq!(columns.names, ["id", "n"]);
        assert_eq!(columns.cells[0], vec![Cell::Str("a".into())]);
    }
}
