//! Reading and writing documents: YAML and JSON text to a [`Model`] and back.

use std::fmt;
use std::io::Read;

use serde_json::Value;

use super::Model;
use super::decode::decode;
use super::tree::Node;
use crate::finding::{Code, Finding};

/// The largest document the loaders accept (256 MiB): a `large` enterprise model is about a
/// tenth of it, and the bound keeps a hostile input from exhausting memory.
pub const MAX_DOCUMENT_BYTES: usize = 256 * 1024 * 1024;

/// How deeply a document may nest. The format itself needs six levels; the rest is for
/// `attributes`.
const MAX_YAML_DEPTH: usize = 64;

/// The two interchange formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// JSON, for machines.
    Json,
    /// YAML, for people.
    Yaml,
}

impl Format {
    /// The format a file is in: by extension (`.json`, `.yaml`, `.yml`), else by whether the text
    /// starts with `{` (JSON) or not (YAML).
    ///
    /// ```
    /// use bcm_core::Format;
    /// assert_eq!(Format::detect(Some("m.yml"), "{}"), Format::Yaml);
    /// assert_eq!(Format::detect(None, "  {\"bcm\": 1}"), Format::Json);
    /// ```
    pub fn detect(path: Option<&str>, text: &str) -> Format {
        let extension = path
            .and_then(|p| p.rsplit_once('.'))
            .map(|(_, ext)| ext.to_ascii_lowercase());
        match extension.as_deref() {
            Some("json") => Format::Json,
            Some("yaml" | "yml") => Format::Yaml,
            _ if text.trim_start().starts_with('{') => Format::Json,
            _ => Format::Yaml,
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Format::Json => "JSON",
            Format::Yaml => "YAML",
        })
    }
}

/// Why a model could not be loaded or saved.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// The document is not a well-formed model; `findings` lists every problem (all errors).
    #[error("{}", summarize(.findings))]
    Invalid {
        /// Every structural problem, each with its path.
        findings: Vec<Finding>,
    },
    /// The document could not be read.
    #[error("cannot read the document: {0}")]
    Io(#[from] std::io::Error),
    /// The model could not be written (a non-finite number in `attributes`, say).
    #[error("cannot write the model as {format}: {message}")]
    Write {
        /// The format being written.
        format: Format,
        /// What went wrong.
        message: String,
    },
}

impl ModelError {
    /// The findings of an invalid document; empty for other errors.
    pub fn findings(&self) -> &[Finding] {
        match self {
            ModelError::Invalid { findings } => findings,
            _ => &[],
        }
    }
}

fn summarize(findings: &[Finding]) -> String {
    match findings {
        [] => "the document is not a valid model".to_owned(),
        [only] => only.to_string(),
        [first, rest @ ..] => format!("{first} (and {} more)", rest.len()),
    }
}

/// Why a document's text could not be read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ReadError {
    /// The reader failed (a missing file, a closed pipe).
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The bytes are no document this library reads: larger than [`MAX_DOCUMENT_BYTES`]
    /// (`E-LIMIT`) or not UTF-8 (`E-PARSE`).
    #[error("{0}")]
    Document(Box<Finding>),
}

/// Reads a document's text from `reader`: at most [`MAX_DOCUMENT_BYTES`] (one byte more tells
/// that it is too large, so an endless source such as `/dev/zero` stops there), as UTF-8.
///
/// Every interface reads documents through this function, so they share one limit and one
/// wording of its findings.
///
/// ```
/// use bcm_core::model::{read_text, ReadError};
/// assert_eq!(read_text("bcm: 1".as_bytes()).unwrap(), "bcm: 1");
/// let Err(ReadError::Document(finding)) = read_text(&[b'{', 0xff][..]) else { panic!() };
/// assert_eq!(finding.message, "the document is not UTF-8 text (bad byte at offset 1)");
/// ```
///
/// # Errors
/// [`ReadError::Io`] if reading fails; [`ReadError::Document`] with an `E-LIMIT` or `E-PARSE`
/// finding if the bytes are too many or not UTF-8.
pub fn read_text<R: Read>(reader: R) -> Result<String, ReadError> {
    let limit = u64::try_from(MAX_DOCUMENT_BYTES).unwrap_or(u64::MAX);
    let mut bytes = Vec::new();
    reader
        .take(limit.saturating_add(1))
        .read_to_end(&mut bytes)?;
    if bytes.len() > MAX_DOCUMENT_BYTES {
        return Err(ReadError::Document(Box::new(Finding::new(
            Code::Limit,
            "",
            format!("the document is larger than {MAX_DOCUMENT_BYTES} bytes"),
        ))));
    }
    String::from_utf8(bytes).map_err(|e| {
        ReadError::Document(Box::new(Finding::new(
            Code::Parse,
            "",
            format!(
                "the document is not UTF-8 text (bad byte at offset {})",
                e.utf8_error().valid_up_to()
            ),
        )))
    })
}

/// What [`load_document`] produced: the model, if every entity could be built, and the structural
/// findings.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The model; `None` when the text is not a model at all or some entity could not be built.
    /// With findings but a model, the fields that were wrong are left out.
    pub model: Option<Model>,
    /// Structural findings (parse, version, unknown fields, types, durations, dates), in
    /// document order.
    pub findings: Vec<Finding>,
}

/// Loads a document leniently: every structural problem becomes a finding, and the model is kept
/// whenever every entity could be built, so that validation can still check what it means.
///
/// [`crate::validate_document`] does this and then validates; [`Model::from_json_str`] and
/// [`Model::from_yaml_str`] refuse a document with any structural finding.
pub fn load_document(text: &str, format: Format) -> Loaded {
    match parse(text, format) {
        Ok(value) => {
            let decoded = decode(&value);
            Loaded {
                model: decoded.model,
                findings: decoded.findings,
            }
        }
        Err(finding) => Loaded {
            model: None,
            findings: vec![*finding],
        },
    }
}

/// Text to a JSON value, with the document limits applied.
fn parse(text: &str, format: Format) -> Result<Node<'_>, Box<Finding>> {
    if text.len() > MAX_DOCUMENT_BYTES {
        return Err(Box::new(Finding::new(
            Code::Limit,
            "",
            format!(
                "the document is {} bytes; the limit is {MAX_DOCUMENT_BYTES} bytes",
                text.len()
            ),
        )));
    }
    match format {
        Format::Json => serde_json::from_str(text).map_err(|e| {
            let code = if e.to_string().contains("recursion limit") {
                Code::Limit
            } else {
                Code::Parse
            };
            let text = e.to_string();
            let message = strip_location(&text);
            let mut finding = Finding::new(code, "", format!("not valid JSON: {message}"));
            if e.line() > 0 {
                finding.line = Some(e.line() as u64);
                finding.column = Some(e.column() as u64);
            }
            Box::new(finding)
        }),
        Format::Yaml => parse_yaml(text),
    }
}

/// YAML (or JSON) read with the model's rules — YAML 1.2 booleans only (`n` is text, not false),
/// the same budgets — as a JSON value: for documents beside models (conformance profiles).
pub(crate) fn yaml_value(text: &str) -> Result<Value, Box<Finding>> {
    parse_yaml(text).map(|node| node.to_value())
}

/// A data file beside a model (a risk matrix, a CRAMM table) read as YAML or JSON with the
/// model's rules, as a JSON value.
///
/// # Errors
/// The parse error's message.
pub fn data_value(text: &str) -> Result<Value, String> {
    yaml_value(text).map_err(|finding| finding.message)
}

fn parse_yaml(text: &str) -> Result<Node<'_>, Box<Finding>> {
    use serde_saphyr::Budget;
    // Bound the work an alias-heavy document can cause by its size: at most a few events per
    // input byte, however aliases replay.
    let events = text.len().saturating_mul(4).saturating_add(10_000);
    let mut budget = Budget::default();
    budget.max_reader_input_bytes = Some(MAX_DOCUMENT_BYTES);
    budget.max_events = events;
    budget.max_nodes = events;
    budget.max_depth = MAX_YAML_DEPTH;
    budget.max_total_scalar_bytes = MAX_DOCUMENT_BYTES;
    let options = serde_saphyr::options! {
        budget: Some(budget),
        strict_booleans: true,
        with_snippet: false,
    };
    let value: Node<'_> = serde_saphyr::from_str_with_options(text, options).map_err(|e| {
        let code = if is_limit(&e) {
            Code::Limit
        } else {
            Code::Parse
        };
        let location = e.location().filter(|l| l.line() > 0);
        let mut message = e.to_string();
        // The message repeats the location the finding carries in its own fields.
        if let Some(rest) = message
            .strip_prefix("error: ")
            .and_then(|m| m.split_once(": "))
            .filter(|(head, _)| head.starts_with("line "))
            .map(|(_, rest)| rest.to_owned())
        {
            message = rest;
        }
        let message = strip_location(&message);
        let mut finding = Finding::new(code, "", format!("not valid YAML: {message}"));
        if let Some(location) = location {
            finding.line = Some(location.line());
            finding.column = Some(location.column());
        }
        Box::new(finding)
    })?;
    // An empty YAML document is null; say so instead of "expected a mapping, found null".
    if matches!(value, Node::Null) {
        return Err(Box::new(Finding::new(
            Code::Parse,
            "",
            "the document is empty",
        )));
    }
    Ok(value)
}

/// Drops a trailing " at line 3 column 10" (or "at line 3, column 10"): the finding carries the
/// line and column in fields of their own.
fn strip_location(message: &str) -> &str {
    match message.rfind(" at line ") {
        Some(at)
            if message.get(at + 9..).is_some_and(|rest| {
                rest.chars()
                    .all(|c| c.is_ascii_digit() || " ,column".contains(c))
            }) =>
        {
            message.get(..at).unwrap_or(message)
        }
        _ => message,
    }
}

/// Whether a YAML error is a budget refusal, looking through the wrappers aliases add.
fn is_limit(mut e: &serde_saphyr::Error) -> bool {
    use serde_saphyr::Error;
    loop {
        match e {
            Error::Budget { .. }
            | Error::AliasReplayLimitExceeded { .. }
            | Error::AliasExpansionLimitExceeded { .. }
            | Error::AliasReplayStackDepthExceeded { .. } => return true,
            Error::AliasError { error, .. } => e = error,
            _ => return false,
        }
    }
}

impl From<ReadError> for ModelError {
    fn from(error: ReadError) -> Self {
        match error {
            ReadError::Io(e) => ModelError::Io(e),
            ReadError::Document(finding) => ModelError::Invalid {
                findings: vec![*finding],
            },
        }
    }
}

/// The model of a leniently loaded document, if it has no structural finding.
pub(crate) fn strict(loaded: Loaded) -> Result<Model, ModelError> {
    match loaded.model {
        Some(model) if loaded.findings.is_empty() => Ok(model),
        _ => Err(ModelError::Invalid {
            findings: loaded.findings,
        }),
    }
}

impl Model {
    /// Loads a JSON document. Any structural problem is an error listing all of them.
    ///
    /// ```
    /// let m = bcm_core::Model::from_json_str(r#"{"bcm": 1, "organization": {"name": "DOR"}}"#)?;
    /// assert_eq!(m.organization.name, "DOR");
    /// # Ok::<(), bcm_core::ModelError>(())
    /// ```
    ///
    /// # Errors
    /// [`ModelError::Invalid`] with every finding (E-PARSE with line and column, E-VERSION,
    /// E-UNKNOWN-FIELD, E-TYPE, E-MISSING, E-ID, E-DURATION, E-DATE, E-RANGE, E-LIMIT).
    pub fn from_json_str(text: &str) -> Result<Model, ModelError> {
        strict(load_document(text, Format::Json))
    }

    /// Loads a YAML document. Any structural problem is an error listing all of them.
    ///
    /// ```
    /// let m = bcm_core::Model::from_yaml_str("bcm: 1\norganization: {name: DOR}\n")?;
    /// assert_eq!(m.organization.name, "DOR");
    /// let err = bcm_core::Model::from_yaml_str("bcm: 1\norganization: {name: DOR, nmae: x}\n")
    ///     .unwrap_err();
    /// assert_eq!(err.findings()[0].path, "/organization/nmae");
    /// # Ok::<(), bcm_core::ModelError>(())
    /// ```
    ///
    /// # Errors
    /// As [`Model::from_json_str`].
    pub fn from_yaml_str(text: &str) -> Result<Model, ModelError> {
        strict(load_document(text, Format::Yaml))
    }

    /// Loads a document in `format` from `reader`, reading at most [`MAX_DOCUMENT_BYTES`].
    ///
    /// # Errors
    /// [`ModelError::Io`] if reading fails; otherwise as [`Model::from_json_str`] (a text that is
    /// not UTF-8 or too large is an `Invalid` document).
    pub fn from_reader<R: Read>(reader: R, format: Format) -> Result<Model, ModelError> {
        let text = read_text(reader)?;
        strict(load_document(&text, format))
    }

    /// Builds a model from an already-parsed JSON value (e.g. a Python dict).
    ///
    /// # Errors
    /// As [`Model::from_json_str`].
    pub fn from_value(value: &Value) -> Result<Model, ModelError> {
        let decoded = decode(&Node::from_value(value));
        strict(Loaded {
            model: decoded.model,
            findings: decoded.findings,
        })
    }

    /// The model as a JSON value.
    ///
    /// # Errors
    /// [`ModelError::Write`] if an attribute holds a number JSON cannot represent.
    pub fn to_value(&self) -> Result<Value, ModelError> {
        serde_json::to_value(self).map_err(|e| ModelError::Write {
            format: Format::Json,
            message: e.to_string(),
        })
    }

    /// The model as compact JSON.
    ///
    /// # Errors
    /// [`ModelError::Write`] if an attribute holds a number JSON cannot represent.
    pub fn to_json(&self) -> Result<String, ModelError> {
        serde_json::to_string(self).map_err(|e| ModelError::Write {
            format: Format::Json,
            message: e.to_string(),
        })
    }

    /// The model as indented JSON.
    ///
    /// # Errors
    /// As [`Model::to_json`].
    pub fn to_json_pretty(&self) -> Result<String, ModelError> {
        serde_json::to_string_pretty(self).map_err(|e| ModelError::Write {
            format: Format::Json,
            message: e.to_string(),
        })
    }

    /// The model as YAML.
    ///
    /// ```
    /// let m = bcm_core::Model::new("DOR");
    /// let back = bcm_core::Model::from_yaml_str(&m.to_yaml()?)?;
    /// assert_eq!(back, m);
    /// # Ok::<(), bcm_core::ModelError>(())
    /// ```
    ///
    /// # Errors
    /// [`ModelError::Write`] if a value cannot be written as YAML.
    pub fn to_yaml(&self) -> Result<String, ModelError> {
        serde_saphyr::to_string(self).map_err(|e| ModelError::Write {
            format: Format::Yaml,
            message: e.to_string(),
        })
    }

    /// The model in `format` (JSON indented, for people reading a diff).
    ///
    /// # Errors
    /// As [`Model::to_json`] and [`Model::to_yaml`].
    pub fn to_string_as(&self, format: Format) -> Result<String, ModelError> {
        match format {
            Format::Json => self.to_json_pretty(),
            Format::Yaml => self.to_yaml(),
        }
    }
}
