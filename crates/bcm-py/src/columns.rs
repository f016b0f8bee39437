//! One table of a result as typed columns, read straight from the result's serde form.
//!
//! A table is a list-valued field of the result's JSON shape (DESIGN §5), one row per element;
//! a mapping inside a row becomes columns of its own (its keys, unprefixed). Going through a
//! `serde_json::Value` of the whole result and a Python object per cell cost pandas more than
//! the analysis itself on a large estate (issue 21), so the serializer here visits only the
//! table asked for and keeps numbers, booleans and text unboxed until they become numpy arrays
//! or Python lists, one per column.

use std::collections::HashMap;
use std::fmt;

use numpy::IntoPyArray;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyList;
use serde::Serialize;
use serde::ser::{self, Impossible};

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
        let mut table = Table {
            wanted: name,
            found: false,
            columns: Columns::default(),
        };
        result
            .serialize(Level::Top.of(&mut table))
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        if !table.found {
            return Err(PyValueError::new_err(format!(
                "no table {name:?} in this result"
            )));
        }
        Ok(table.columns.finish())
    }

    /// A table given as the list of its rows (`rows` is a JSON array of mappings).
    pub(crate) fn from_rows<T: Serialize + ?Sized>(rows: &T) -> PyResult<Columns> {
        let mut table = Table {
            wanted: "",
            found: true,
            columns: Columns::default(),
        };
        rows.serialize(Level::Rows.of(&mut table))
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        Ok(table.columns.finish())
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
        let values: Vec<bool> = cells.iter().map(|c| matches!(c, Cell::Bool(true))).collect();
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

// ---------------------------------------------------------------------------------------------
// The serializer: one type whose `Level` says where in the result it is.

/// The table being read.
struct Table<'a> {
    wanted: &'a str,
    found: bool,
    columns: Columns,
}

#[derive(Debug)]
enum Error {
    /// A value that is not one cell (a list, or a mapping inside a row's mapping): read as JSON.
    NotScalar,
    Other(String),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotScalar => f.write_str("not a single value"),
            Error::Other(message) => f.write_str(message),
        }
    }
}

impl std::error::Error for Error {}

impl ser::Error for Error {
    fn custom<T: fmt::Display>(msg: T) -> Self {
        Error::Other(msg.to_string())
    }
}

/// Where a value sits: the result itself, the table's list, a row, a row's field, or a field
/// of a mapping inside a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Level {
    Top,
    Rows,
    Row,
    Field,
    Nested,
}

impl Level {
    fn of<'t, 'a>(self, table: &'t mut Table<'a>) -> Ser<'t, 'a> {
        Ser { level: self, table }
    }
}

/// What serializing a value gave: a cell (a field), the cells of a mapping (a row's field
/// that is a mapping), or nothing (the table's own levels write into it).
enum Out {
    Done,
    Cell(Cell),
    Cells(Vec<(String, Cell)>),
}

struct Ser<'t, 'a> {
    level: Level,
    table: &'t mut Table<'a>,
}

impl Ser<'_, '_> {
    fn scalar(&self, cell: Cell) -> Result<Out, Error> {
        match self.level {
            Level::Field | Level::Nested => Ok(Out::Cell(cell)),
            _ => Err(self.misplaced()),
        }
    }

    /// A value of the wrong shape for where it sits.
    fn misplaced(&self) -> Error {
        match self.level {
            Level::Row => Error::Other("a table's rows must be mappings".to_owned()),
            Level::Top => Error::Other("a result must be a mapping".to_owned()),
            // A field that is not a list is not a table.
            _ => Error::Other(format!("no table {:?} in this result", self.table.wanted)),
        }
    }
}

/// A row's field: a cell, the cells of a mapping, or JSON for anything deeper. What the fast
/// path does not read (a list, an enum variant with data) is read through its JSON, so that a
/// row's field that is a mapping in JSON (`{"any-plan": …}`) still becomes columns.
fn read_field<T: Serialize + ?Sized>(
    table: &mut Table<'_>,
    level: Level,
    value: &T,
) -> Result<Out, Error> {
    match value.serialize(level.of(table)) {
        Err(Error::NotScalar) => {
            let json = serde_json::to_value(value).map_err(|e| Error::Other(e.to_string()))?;
            Ok(match json {
                serde_json::Value::Object(map) if level == Level::Field => {
                    Out::Cells(map.into_iter().map(|(k, v)| (k, json_cell(v))).collect())
                }
                other => Out::Cell(json_cell(other)),
            })
        }
        other => other,
    }
}

/// A JSON value as a cell: scalars typed, anything else kept as JSON.
fn json_cell(value: serde_json::Value) -> Cell {
    use serde_json::Value;
    match value {
        Value::Null => Cell::Null,
        Value::Bool(b) => Cell::Bool(b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Cell::UInt(u),
            (None, Some(i), _) => Cell::Int(i),
            (None, None, Some(f)) => Cell::Float(f),
            _ => Cell::Null,
        },
        Value::String(s) => Cell::Str(s),
        other => Cell::Json(other),
    }
}

/// A mapping's key as text.
fn key_text<T: Serialize + ?Sized>(table: &mut Table<'_>, key: &T) -> Result<String, Error> {
    match key.serialize(Level::Nested.of(table))? {
        Out::Cell(Cell::Str(s)) => Ok(s),
        Out::Cell(Cell::Int(i)) => Ok(i.to_string()),
        Out::Cell(Cell::UInt(u)) => Ok(u.to_string()),
        _ => Err(Error::Other("a mapping's keys must be text".to_owned())),
    }
}

impl<'t, 'a> ser::Serializer for Ser<'t, 'a> {
    type Ok = Out;
    type Error = Error;
    type SerializeSeq = Compound<'t, 'a>;
    type SerializeTuple = Compound<'t, 'a>;
    type SerializeTupleStruct = Impossible<Out, Error>;
    type SerializeTupleVariant = Impossible<Out, Error>;
    type SerializeMap = Compound<'t, 'a>;
    type SerializeStruct = Compound<'t, 'a>;
    type SerializeStructVariant = Impossible<Out, Error>;

    fn serialize_bool(self, v: bool) -> Result<Out, Error> {
        self.scalar(Cell::Bool(v))
    }
    fn serialize_i8(self, v: i8) -> Result<Out, Error> {
        self.scalar(Cell::Int(v.into()))
    }
    fn serialize_i16(self, v: i16) -> Result<Out, Error> {
        self.scalar(Cell::Int(v.into()))
    }
    fn serialize_i32(self, v: i32) -> Result<Out, Error> {
        self.scalar(Cell::Int(v.into()))
    }
    fn serialize_i64(self, v: i64) -> Result<Out, Error> {
        self.scalar(Cell::Int(v))
    }
    fn serialize_u8(self, v: u8) -> Result<Out, Error> {
        self.scalar(Cell::UInt(v.into()))
    }
    fn serialize_u16(self, v: u16) -> Result<Out, Error> {
        self.scalar(Cell::UInt(v.into()))
    }
    fn serialize_u32(self, v: u32) -> Result<Out, Error> {
        self.scalar(Cell::UInt(v.into()))
    }
    fn serialize_u64(self, v: u64) -> Result<Out, Error> {
        self.scalar(Cell::UInt(v))
    }
    fn serialize_f32(self, v: f32) -> Result<Out, Error> {
        self.scalar(Cell::Float(v.into()))
    }
    fn serialize_f64(self, v: f64) -> Result<Out, Error> {
        // As JSON has it: not-a-number and infinities are null.
        self.scalar(if v.is_finite() {
            Cell::Float(v)
        } else {
            Cell::Null
        })
    }
    fn serialize_char(self, v: char) -> Result<Out, Error> {
        self.scalar(Cell::Str(v.to_string()))
    }
    fn serialize_str(self, v: &str) -> Result<Out, Error> {
        self.scalar(Cell::Str(v.to_owned()))
    }
    fn serialize_bytes(self, _: &[u8]) -> Result<Out, Error> {
        Err(Error::NotScalar)
    }
    fn serialize_none(self) -> Result<Out, Error> {
        self.scalar(Cell::Null)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Out, Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<Out, Error> {
        self.scalar(Cell::Null)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<Out, Error> {
        self.scalar(Cell::Null)
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<Out, Error> {
        self.scalar(Cell::Str(variant.to_owned()))
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<Out, Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<Out, Error> {
        Err(Error::NotScalar)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'t, 'a>, Error> {
        match self.level {
            Level::Rows => Ok(Compound::new(self)),
            Level::Field | Level::Nested => Err(Error::NotScalar),
            Level::Top | Level::Row => Err(self.misplaced()),
        }
    }
    fn serialize_tuple(self, len: usize) -> Result<Compound<'t, 'a>, Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Impossible<Out, Error>, Error> {
        Err(Error::NotScalar)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Impossible<Out, Error>, Error> {
        Err(Error::NotScalar)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'t, 'a>, Error> {
        match self.level {
            Level::Top | Level::Row | Level::Field => Ok(Compound::new(self)),
            Level::Nested => Err(Error::NotScalar),
            Level::Rows => Err(self.misplaced()),
        }
    }
    fn serialize_struct(self, _: &'static str, len: usize) -> Result<Compound<'t, 'a>, Error> {
        self.serialize_map(Some(len))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Impossible<Out, Error>, Error> {
        Err(Error::NotScalar)
    }
}

/// A list (the table's rows) or a mapping (the result, a row, or a mapping inside a row).
struct Compound<'t, 'a> {
    level: Level,
    table: &'t mut Table<'a>,
    key: String,
    cells: Vec<(String, Cell)>,
}

impl<'t, 'a> Compound<'t, 'a> {
    fn new(ser: Ser<'t, 'a>) -> Self {
        Compound {
            level: ser.level,
            table: ser.table,
            key: String::new(),
            cells: Vec::new(),
        }
    }

    fn entry<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Error> {
        match self.level {
            Level::Top => {
                if key == self.table.wanted && !self.table.found {
                    self.table.found = true;
                    value.serialize(Level::Rows.of(self.table))?;
                }
            }
            Level::Row => match read_field(self.table, Level::Field, value)? {
                Out::Cell(cell) => self.table.columns.push(key, cell),
                Out::Cells(cells) => {
                    for (name, cell) in cells {
                        self.table.columns.push(&name, cell);
                    }
                }
                Out::Done => {}
            },
            Level::Field => {
                if let Out::Cell(cell) = read_field(self.table, Level::Nested, value)? {
                    self.cells.push((key.to_owned(), cell));
                }
            }
            Level::Rows | Level::Nested => {}
        }
        Ok(())
    }

    fn finish(self) -> Out {
        match self.level {
            Level::Field => Out::Cells(self.cells),
            _ => Out::Done,
        }
    }
}

impl ser::SerializeSeq for Compound<'_, '_> {
    type Ok = Out;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, row: &T) -> Result<(), Error> {
        row.serialize(Level::Row.of(self.table))?;
        self.table.columns.end_row();
        Ok(())
    }
    fn end(self) -> Result<Out, Error> {
        Ok(self.finish())
    }
}

impl ser::SerializeTuple for Compound<'_, '_> {
    type Ok = Out;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, row: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, row)
    }
    fn end(self) -> Result<Out, Error> {
        Ok(self.finish())
    }
}

impl ser::SerializeMap for Compound<'_, '_> {
    type Ok = Out;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        self.key = key_text(self.table, key)?;
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = std::mem::take(&mut self.key);
        self.entry(&key, value)
    }
    fn end(self) -> Result<Out, Error> {
        Ok(self.finish())
    }
}

impl ser::SerializeStruct for Compound<'_, '_> {
    type Ok = Out;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.entry(key, value)
    }
    fn end(self) -> Result<Out, Error> {
        Ok(self.finish())
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
