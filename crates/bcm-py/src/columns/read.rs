//! Reading a table out of a result's serde form: a serializer that visits only the table asked
//! for and turns each row into cells of [`Columns`], without a JSON tree of the result.

use std::fmt;

use serde::Serialize;
use serde::ser::{self, Impossible};

use super::{Cell, Columns};

/// The table `wanted` of `value` (`None`: `value` is the list of rows itself); `Ok(None)` when
/// `value` has no field of that name.
pub(super) fn table<T: Serialize + ?Sized>(
    value: &T,
    wanted: Option<&str>,
) -> Result<Option<Columns>, String> {
    let mut table = Table {
        wanted: wanted.unwrap_or(""),
        found: wanted.is_none(),
        columns: Columns::default(),
    };
    let level = if wanted.is_some() {
        Level::Top
    } else {
        Level::Rows
    };
    value
        .serialize(level.of(&mut table))
        .map_err(|e| e.to_string())?;
    Ok(table.found.then_some(table.columns))
}

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

/// The serializer: one type, whose `Level` says where in the result it is.
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

/// Serializer methods of numbers, each one cell of its kind.
macro_rules! numbers {
    ($($method:ident: $number:ty => $cell:ident),* $(,)?) => {
        $(
            #[allow(clippy::useless_conversion)] // i64, u64: already the cell's own type
            fn $method(self, v: $number) -> Result<Out, Error> {
                self.scalar(Cell::$cell(v.into()))
            }
        )*
    };
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
    numbers! {
        serialize_i8: i8 => Int,
        serialize_i16: i16 => Int,
        serialize_i32: i32 => Int,
        serialize_i64: i64 => Int,
        serialize_u8: u8 => UInt,
        serialize_u16: u16 => UInt,
        serialize_u32: u32 => UInt,
        serialize_u64: u64 => UInt,
        serialize_f32: f32 => Float,
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
