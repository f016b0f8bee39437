//! From a parsed document (a JSON value) to a [`Model`], reporting every structural problem.
//!
//! serde's derive stops at the first error; a continuity manager fixing a spreadsheet export wants
//! all of them, each with its JSON Pointer. So the walk is explicit: every entity lists the keys
//! it accepts, every field is read on its own, and a bad field is reported and left out while the
//! walk goes on. An entity that cannot be built at all (not a mapping, no `id`, no `kind`) makes the
//! whole model unavailable, so that semantic findings never point at shifted indices.
//!
//! Locations are [`At`] chains on the stack and become JSON Pointers only when a finding is
//! reported: a large model has millions of fields, and all but a few are fine.

use std::collections::BTreeMap;

use std::borrow::Cow;

use super::tree::{Node, repeated, same_key};
use super::*;
use crate::finding::{Code, Finding, Pointer};

/// What decoding a document produced.
pub(crate) struct Decoded {
    /// The model, unless some entity could not be built.
    pub model: Option<Model>,
    /// Structural findings, in document order.
    pub findings: Vec<Finding>,
}

pub(crate) fn decode(root: &Node<'_>) -> Decoded {
    let mut d = Decoder {
        findings: Vec::new(),
        complete: true,
    };
    let model = d.model(root);
    Decoded {
        model: model.filter(|_| d.complete),
        findings: d.findings,
    }
}

pub(crate) struct Decoder {
    findings: Vec<Finding>,
    /// False once an entity could not be built.
    complete: bool,
}

/// Where a node is: a chain of keys and indices up to the root, turned into a JSON Pointer only
/// when a finding needs one.
#[derive(Debug, Clone, Copy)]
pub(crate) enum At<'p> {
    Root,
    Key(&'p At<'p>, &'p str),
    Index(&'p At<'p>, usize),
}

impl At<'_> {
    fn pointer(&self) -> Pointer {
        enum Segment<'s> {
            Key(&'s str),
            Index(usize),
        }
        let mut segments = Vec::new();
        let mut at = self;
        loop {
            match at {
                At::Root => break,
                At::Key(parent, key) => {
                    segments.push(Segment::Key(key));
                    at = parent;
                }
                At::Index(parent, index) => {
                    segments.push(Segment::Index(*index));
                    at = parent;
                }
            }
        }
        segments
            .iter()
            .rev()
            .fold(Pointer::root(), |p, segment| match segment {
                Segment::Key(key) => p.key(key),
                Segment::Index(index) => p.index(*index),
            })
    }
}

type Entries<'v> = [(Cow<'v, str>, Node<'v>)];

/// A mapping being read: its entries, where it is, and what it is (for messages).
pub(crate) struct Obj<'v, 'p> {
    entries: &'v Entries<'v>,
    at: At<'p>,
    what: &'static str,
}

impl<'v> Obj<'v, '_> {
    /// The value under `key`; an explicit `null` counts as absent.
    fn get<'s>(&'s self, key: &'s str) -> Option<(&'v Node<'v>, At<'s>)> {
        match Node::get(self.entries, key) {
            None | Some(Node::Null) => None,
            Some(value) => Some((value, At::Key(&self.at, key))),
        }
    }

    /// How many elements the list under `key` has, if it is a list.
    fn list_len(&self, key: &str) -> Option<usize> {
        match self.get(key) {
            Some((Node::Array(items), _)) => Some(items.len()),
            _ => None,
        }
    }

    /// How messages name it: `function 'payroll'`, or by its place when it has no usable id.
    fn name(&self) -> String {
        match Node::get(self.entries, "id") {
            Some(Node::String(id)) => format!("{} '{id}'", self.what),
            _ if matches!(self.at, At::Root) => "the document".to_owned(),
            _ => format!("{} at {}", self.what, self.at.pointer()),
        }
    }
}

const DEPENDENCY_KEYS: &[&str] = &["id", "tolerance", "attributes"];
const ESTIMATE_KEYS: &[&str] = &["min", "likely", "max"];
const QUANTITY_KEYS: &[&str] = &["min", "likely", "max", "low", "high"];

/// An entity read field by field from a mapping: what [`entity!`](super::describe::entity)
/// generates from an entity's description.
pub(crate) trait Fields: Sized {
    /// How messages name it (`function`).
    const WHAT: &'static str;
    /// The keys it accepts, in the order it is written.
    const KEYS: &'static [&'static str];
    /// Reads its fields from `obj`; `id` is the identifier its opening read, if it has one.
    fn read(d: &mut Decoder, obj: &Obj<'_, '_>, id: Option<Id>) -> Option<Self>;
}

/// The name of a node's type, for messages.
fn type_name(value: &Node<'_>) -> &'static str {
    match value {
        Node::Null => "null",
        Node::Bool(_) => "a boolean",
        Node::Number(_) => "a number",
        Node::String(_) => "a text",
        Node::Array(_) => "a list",
        Node::Object(_) => "a mapping",
    }
}

/// A short rendering of a value for messages.
fn show(value: &Node<'_>) -> String {
    let text = value.to_string();
    if text.chars().count() > 60 {
        let cut: String = text.chars().take(57).collect();
        format!("{cut}...")
    } else {
        text
    }
}

/// Edit distance, to suggest the key a typo meant.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let left = row.get(j).copied().unwrap_or(usize::MAX);
            let substitution = diagonal + usize::from(ca != *cb);
            diagonal = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = substitution
                    .min(above.saturating_add(1))
                    .min(left.saturating_add(1));
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

impl Decoder {
    pub(crate) fn report(&mut self, code: Code, at: &At<'_>, message: String) {
        self.findings
            .push(Finding::new(code, at.pointer().as_str(), message));
    }

    pub(crate) fn type_error(&mut self, path: &At<'_>, value: &Node<'_>, expected: &str) {
        self.report(
            Code::Type,
            path,
            format!(
                "expected {expected}, found {} ({})",
                type_name(value),
                show(value)
            ),
        );
    }

    /// Reads `value` as a mapping whose keys are all in `allowed`.
    pub(crate) fn object<'v, 'p>(
        &mut self,
        value: &'v Node<'v>,
        at: &At<'p>,
        what: &'static str,
        allowed: &[&str],
    ) -> Option<Obj<'v, 'p>> {
        let Node::Object(entries) = value else {
            self.type_error(at, value, &format!("{what} as a mapping"));
            return None;
        };
        let obj = Obj {
            entries,
            at: *at,
            what,
        };
        self.keys_once(entries, at);
        for (key, _) in entries {
            let key = key.as_ref();
            if !allowed.iter().any(|known| same_key(known, key)) {
                let hint = allowed
                    .iter()
                    .map(|known| (edit_distance(key, known), known))
                    .filter(|(distance, _)| *distance <= 2)
                    .min()
                    .map(|(_, known)| format!("; did you mean '{known}'?"))
                    .unwrap_or_default();
                let name = obj.name();
                self.report(
                    Code::UnknownField,
                    &At::Key(at, key),
                    format!(
                        "{name} has an unknown field '{key}'{hint} (put extra data under 'attributes')"
                    ),
                );
            }
        }
        Some(obj)
    }

    /// Reads a required field with `read`; reports `E-MISSING` (or `missing_code`) if absent.
    pub(crate) fn required<'v, T>(
        &mut self,
        obj: &Obj<'v, '_>,
        key: &str,
        missing_code: Code,
        read: impl FnOnce(&mut Self, &'v Node<'v>, &At<'_>) -> Option<T>,
    ) -> Option<T> {
        match obj.get(key) {
            Some((value, at)) => read(self, value, &at),
            None => {
                let message = format!("{} has no '{key}'", obj.name());
                self.report(missing_code, &At::Key(&obj.at, key), message);
                None
            }
        }
    }

    pub(crate) fn optional<'v, T>(
        &mut self,
        obj: &Obj<'v, '_>,
        key: &str,
        read: impl FnOnce(&mut Self, &'v Node<'v>, &At<'_>) -> Option<T>,
    ) -> Option<T> {
        let (value, at) = obj.get(key)?;
        read(self, value, &at)
    }

    pub(crate) fn list<'v, T>(
        &mut self,
        obj: &Obj<'v, '_>,
        key: &str,
        mut read: impl FnMut(&mut Self, &'v Node<'v>, &At<'_>) -> Option<T>,
    ) -> Vec<T> {
        let Some((value, at)) = obj.get(key) else {
            return Vec::new();
        };
        let Node::Array(items) = value else {
            self.type_error(&at, value, "a list");
            return Vec::new();
        };
        items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| read(self, item, &At::Index(&at, i)))
            .collect()
    }

    pub(crate) fn text(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<String> {
        match value {
            Node::String(s) => Some(s.to_string()),
            other => {
                self.type_error(path, other, "a text");
                None
            }
        }
    }

    /// An identifier or reference. Numbers are refused rather than converted: `007` would
    /// silently become `7`.
    pub(crate) fn id(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<Id> {
        match value {
            Node::String(s) => Some(Id::new(s.as_ref())),
            Node::Number(n) => {
                self.report(
                    Code::Id,
                    path,
                    format!(
                        "identifier {n} is a number; quote it (\"{n}\") so it stays as written"
                    ),
                );
                None
            }
            other => {
                self.report(
                    Code::Id,
                    path,
                    format!(
                        "expected an identifier, found {} ({})",
                        type_name(other),
                        show(other)
                    ),
                );
                None
            }
        }
    }

    /// A list of references. A bad element keeps its place (as an empty reference) so that the
    /// other elements keep their indices.
    pub(crate) fn id_list(&mut self, obj: &Obj<'_, '_>, key: &str) -> Vec<Id> {
        self.list(obj, key, |d, value, path| {
            Some(d.id(value, path).unwrap_or_default())
        })
    }

    pub(crate) fn boolean(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<bool> {
        match value {
            Node::Bool(b) => Some(*b),
            other => {
                self.type_error(path, other, "true or false");
                None
            }
        }
    }

    pub(crate) fn number(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<f64> {
        match value {
            Node::Number(n) => n.as_f64(),
            other => {
                self.type_error(path, other, "a number");
                None
            }
        }
    }

    /// A whole number that fits `T`.
    pub(crate) fn whole<T: TryFrom<u64>>(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<T> {
        let Node::Number(n) = value else {
            self.type_error(path, value, "a whole number");
            return None;
        };
        match n.as_u64().and_then(|u| T::try_from(u).ok()) {
            Some(v) => Some(v),
            None => {
                self.report(
                    Code::Range,
                    path,
                    format!("{n} is not a whole number in the allowed range"),
                );
                None
            }
        }
    }

    pub(crate) fn keyword<K: Keyword>(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<K> {
        let Node::String(s) = value else {
            self.type_error(path, value, &format!("a {} ({})", K::WHAT, K::choices()));
            return None;
        };
        match K::parse(s) {
            Some(k) => Some(k),
            None => {
                self.report(
                    Code::Range,
                    path,
                    format!("{s:?} is not a {} ({})", K::WHAT, K::choices()),
                );
                None
            }
        }
    }

    pub(crate) fn duration(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<Duration> {
        match value {
            Node::String(s) => match s.parse::<Duration>() {
                Ok(d) => Some(d),
                Err(e) => {
                    self.report(Code::Duration, path, e.to_string());
                    None
                }
            },
            other => {
                self.report(
                    Code::Duration,
                    path,
                    format!(
                        "{} is not a duration: write it with a unit (examples: 30m, 4h, 1d)",
                        show(other)
                    ),
                );
                None
            }
        }
    }

    pub(crate) fn date(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<Date> {
        match value {
            Node::String(s) => match s.parse::<Date>() {
                Ok(d) => Some(d),
                Err(e) => {
                    self.report(Code::Date, path, e.to_string());
                    None
                }
            },
            other => {
                self.report(
                    Code::Date,
                    path,
                    format!(
                        "{} is not a date (examples: 2026-03-01, 2026-03-01T09:30:00Z)",
                        show(other)
                    ),
                );
                None
            }
        }
    }

    /// A scalar read by `read`, or `{min, likely, max}` of them.
    pub(crate) fn estimate<T: Copy>(
        &mut self,
        value: &Node<'_>,
        path: &At<'_>,
        read: fn(&mut Self, &Node<'_>, &At<'_>) -> Option<T>,
    ) -> Option<Estimate<T>> {
        if !matches!(value, Node::Object(_)) {
            return read(self, value, path).map(Estimate::Exact);
        }
        let obj = self.object(value, path, "estimate", ESTIMATE_KEYS)?;
        let min = self.required(&obj, "min", Code::Missing, read);
        let likely = self.required(&obj, "likely", Code::Missing, read);
        let max = self.required(&obj, "max", Code::Missing, read);
        Some(Estimate::ThreePoint {
            min: min?,
            likely: likely?,
            max: max?,
        })
    }

    pub(crate) fn duration_estimate(
        &mut self,
        value: &Node<'_>,
        path: &At<'_>,
    ) -> Option<Estimate<Duration>> {
        self.estimate(value, path, Self::duration)
    }

    /// A risk quantity: a number, `{min, likely, max}` or a 90% interval `{low, high}`.
    pub(crate) fn quantity(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<Quantity> {
        if !matches!(value, Node::Object(_)) {
            return self.number(value, path).map(Quantity::Exact);
        }
        let obj = self.object(value, path, "estimate", QUANTITY_KEYS)?;
        let interval = obj.get("low").is_some() || obj.get("high").is_some();
        if interval {
            if let Some(key) = ESTIMATE_KEYS.iter().find(|k| obj.get(k).is_some()) {
                let message = format!(
                    "{} mixes a 90% interval (low, high) with a three-point estimate ('{key}'): \
                     give one or the other",
                    obj.name()
                );
                self.report(Code::UnknownField, &At::Key(&obj.at, key), message);
                return None;
            }
            let low = self.required(&obj, "low", Code::Missing, Self::number);
            let high = self.required(&obj, "high", Code::Missing, Self::number);
            return Some(Quantity::Interval90 {
                low: low?,
                high: high?,
            });
        }
        let min = self.required(&obj, "min", Code::Missing, Self::number);
        let likely = self.required(&obj, "likely", Code::Missing, Self::number);
        let max = self.required(&obj, "max", Code::Missing, Self::number);
        Some(Quantity::Pert {
            min: min?,
            likely: likely?,
            max: max?,
        })
    }

    /// Reports every key of a mapping given a second time: JSON allows it, but which value is
    /// meant is ambiguous (parsers keep the first or the last), so the model is not built. YAML
    /// refuses such a document when parsing.
    pub(crate) fn keys_once(&mut self, entries: &Entries<'_>, at: &At<'_>) {
        for i in repeated(entries) {
            if let Some((key, _)) = entries.get(i) {
                self.duplicate_key(At::Key(at, key).pointer().as_str(), key);
            }
        }
    }

    fn duplicate_key(&mut self, path: &str, key: &str) {
        let message = format!(
            "the key '{key}' appears twice in one mapping; which value is meant is ambiguous \
             (JSON parsers keep either)"
        );
        self.findings.push(Finding::new(Code::Parse, path, message));
        self.complete = false;
    }

    pub(crate) fn attributes(&mut self, obj: &Obj<'_, '_>) -> Attributes {
        match obj.get("attributes") {
            None => Attributes::new(),
            Some((Node::Object(map), path)) => {
                // Free-form data: every mapping in it, however deep, keeps each key once.
                self.keys_once(map, &path);
                for (key, value) in map.iter() {
                    for inner in value.duplicate_keys() {
                        let at = format!("{}{}", At::Key(&path, key).pointer(), inner);
                        let repeated = inner.as_str().rsplit('/').next().unwrap_or_default();
                        let repeated = repeated.replace("~1", "/").replace("~0", "~");
                        self.duplicate_key(&at, &repeated);
                    }
                }
                map.iter()
                    .filter_map(|(k, v)| Some((k.to_string(), AttributeValue::of(v)?)))
                    .collect()
            }
            Some((other, path)) => {
                self.type_error(&path, other, "a mapping of extra data");
                Attributes::new()
            }
        }
    }

    /// Opens an entity that must have an `id`. Returns `None` (and marks the model incomplete) if
    /// it cannot be built.
    pub(crate) fn entity<'v, 'p>(
        &mut self,
        value: &'v Node<'v>,
        path: &At<'p>,
        what: &'static str,
        allowed: &[&str],
    ) -> Option<(Obj<'v, 'p>, Id)> {
        let Some(obj) = self.object(value, path, what, allowed) else {
            self.complete = false;
            return None;
        };
        let Some(id) = self.required(&obj, "id", Code::Id, Self::id) else {
            self.complete = false;
            return None;
        };
        Some((obj, id))
    }

    /// A required field without which the entity cannot be built.
    pub(crate) fn essential<'v, T>(
        &mut self,
        obj: &Obj<'v, '_>,
        key: &str,
        missing: Code,
        read: impl FnOnce(&mut Self, &'v Node<'v>, &At<'_>) -> Option<T>,
    ) -> Option<T> {
        let value = self.required(obj, key, missing, read);
        if value.is_none() {
            self.complete = false;
        }
        value
    }

    pub(crate) fn model<'v>(&mut self, root: &'v Node<'v>) -> Option<Model> {
        let Some(obj) = self.object(root, &At::Root, "document", Model::KEYS) else {
            self.complete = false;
            return None;
        };
        match obj.get("bcm") {
            Some((Node::Number(n), _)) if n.as_u64() == Some(FORMAT_VERSION) => {}
            Some((other, path)) => {
                self.report(
                    Code::Version,
                    &path,
                    format!(
                        "this library reads format version {FORMAT_VERSION}; the document says {}",
                        show(other)
                    ),
                );
                self.complete = false;
                return None;
            }
            None => {
                self.report(
                    Code::Version,
                    &At::Key(&At::Root, "bcm"),
                    format!("the document does not say its format version: add 'bcm: {FORMAT_VERSION}' at the top"),
                );
                self.complete = false;
                return None;
            }
        }
        // Optional (DESIGN §3: every section is, with defaults); one that is there but cannot be
        // read leaves the model unbuilt, as an entity would.
        let organization = match obj.get("organization") {
            None => Some(Organization::default()),
            Some((value, at)) => {
                let organization = self.part(value, &at);
                if organization.is_none() {
                    self.complete = false;
                }
                organization
            }
        };
        let model = Model {
            version: FORMAT_VERSION,
            organization: organization.unwrap_or_default(),
            sites: self.list(&obj, "sites", Self::entity_of::<Site>),
            contacts: self.list(&obj, "contacts", Self::entity_of::<Contact>),
            teams: self.list(&obj, "teams", Self::entity_of::<Team>),
            succession: self.list(&obj, "succession", Self::whole_part::<Succession>),
            vendors: self.list(&obj, "vendors", Self::entity_of::<Vendor>),
            functions: self.list(&obj, "functions", Self::entity_of::<Function>),
            assets: self.list(&obj, "assets", Self::entity_of::<Asset>),
            threats: self.list(&obj, "threats", Self::entity_of::<Threat>),
            risks: self.list(&obj, "risks", Self::entity_of::<Risk>),
            scenarios: self.list(&obj, "scenarios", Self::entity_of::<Scenario>),
            plans: self.list(&obj, "plans", Self::entity_of::<Plan>),
            exercises: self.list(&obj, "exercises", Self::entity_of::<Exercise>),
            changes: self.list(&obj, "changes", Self::entity_of::<Change>),
            assessments: self.list(&obj, "assessments", Self::whole_part::<Assessment>),
            attributes: self.attributes(&obj),
        };
        Some(model)
    }

    /// Opens an entity that has an `id` and reads its fields. `None` (and the model marked
    /// incomplete) if it cannot be built.
    pub(crate) fn entity_of<'v, T: Fields>(
        &mut self,
        value: &'v Node<'v>,
        path: &At<'_>,
    ) -> Option<T> {
        let (obj, id) = self.entity(value, path, T::WHAT, T::KEYS)?;
        T::read(self, &obj, Some(id))
    }

    /// Reads a part of an entity (a location, a control): `None` if it is not a mapping or
    /// misses a required field; the entity is built without it.
    pub(crate) fn part<'v, T: Fields>(&mut self, value: &'v Node<'v>, path: &At<'_>) -> Option<T> {
        let obj = self.object(value, path, T::WHAT, T::KEYS)?;
        T::read(self, &obj, None)
    }

    /// Reads an entry of a section that has no `id` but whose place matters (a succession, an
    /// assessment): if it is not a mapping, the model cannot be built.
    pub(crate) fn whole_part<'v, T: Fields>(
        &mut self,
        value: &'v Node<'v>,
        path: &At<'_>,
    ) -> Option<T> {
        let Some(obj) = self.object(value, path, T::WHAT, T::KEYS) else {
            self.complete = false;
            return None;
        };
        T::read(self, &obj, None)
    }

    /// A list whose elements' places matter: if one cannot be read, the model cannot be built.
    pub(crate) fn counted<'v, T>(
        &mut self,
        obj: &Obj<'v, '_>,
        key: &str,
        read: impl FnMut(&mut Self, &'v Node<'v>, &At<'_>) -> Option<T>,
    ) -> Vec<T> {
        let expected = obj.list_len(key);
        let items = self.list(obj, key, read);
        if expected.is_some_and(|n| n != items.len()) {
            self.complete = false;
        }
        items
    }

    /// A text, or an empty one in its place (so that the others keep their indices).
    pub(crate) fn text_kept(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<String> {
        Some(self.text(value, path).unwrap_or_default())
    }

    /// A plan copy; one that is not a mapping is kept empty, so that the others keep their
    /// indices.
    pub(crate) fn plan_copy<'v>(&mut self, value: &'v Node<'v>, path: &At<'_>) -> Option<PlanCopy> {
        Some(self.part(value, path).unwrap_or_default())
    }

    /// `organization.impact_categories`: absent is `None` (the default four).
    pub(crate) fn impact_categories(&mut self, obj: &Obj<'_, '_>) -> Option<Option<Vec<String>>> {
        Some(
            obj.get("impact_categories")
                .map(|_| self.list(obj, "impact_categories", Self::text)),
        )
    }

    /// `organization.tolerance`: a level per impact category.
    pub(crate) fn tolerance(&mut self, obj: &Obj<'_, '_>) -> Option<BTreeMap<String, f64>> {
        Some(match obj.get("tolerance") {
            None => BTreeMap::new(),
            Some((Node::Object(map), path)) => {
                self.keys_once(map, &path);
                map.iter()
                    .filter_map(|(k, v)| Some((k.to_string(), self.number(v, &At::Key(&path, k))?)))
                    .collect()
            }
            Some((other, path)) => {
                self.type_error(&path, other, "a mapping of category to level");
                BTreeMap::new()
            }
        })
    }

    /// An exercise's measured restore times, by what they measure.
    pub(crate) fn achieved(&mut self, obj: &Obj<'_, '_>) -> Option<BTreeMap<Id, Duration>> {
        Some(match obj.get("achieved") {
            None => BTreeMap::new(),
            Some((Node::Object(map), path)) => {
                self.keys_once(map, &path);
                map.iter()
                    .filter_map(|(k, v)| {
                        Some((Id::new(k.as_ref()), self.duration(v, &At::Key(&path, k))?))
                    })
                    .collect()
            }
            Some((other, path)) => {
                self.type_error(&path, other, "a mapping of asset to measured restore time");
                BTreeMap::new()
            }
        })
    }

    /// A function's impact curve. A step that could not be read would shift the others'
    /// indices and make the order checks report nonsense; the curve is left out instead.
    pub(crate) fn impacts(&mut self, obj: &Obj<'_, '_>) -> Option<Vec<ImpactStep>> {
        let expected = obj.list_len("impacts");
        let mut impacts = self.list(obj, "impacts", Self::impact_step);
        if expected.is_some_and(|n| n != impacts.len()) {
            impacts.clear();
        }
        Some(impacts)
    }

    pub(crate) fn dependency<'v>(
        &mut self,
        value: &'v Node<'v>,
        path: &At<'_>,
    ) -> Option<Dependency> {
        if !matches!(value, Node::Object(_)) {
            return Some(Dependency::hard(self.id(value, path).unwrap_or_default()));
        }
        let obj = self.object(value, path, "dependency", DEPENDENCY_KEYS)?;
        let id = self
            .required(&obj, "id", Code::Id, Self::id)
            .unwrap_or_default();
        Some(Dependency {
            id,
            tolerance: self.optional(&obj, "tolerance", Self::duration),
            attributes: self.attributes(&obj),
        })
    }

    pub(crate) fn impact_step<'v>(
        &mut self,
        value: &'v Node<'v>,
        path: &At<'_>,
    ) -> Option<ImpactStep> {
        let Node::Object(map) = value else {
            self.type_error(path, value, "an impact step as a mapping");
            return None;
        };
        self.keys_once(map, path);
        let after = match Node::get(map, "after") {
            Some(v) => self.duration(v, &At::Key(path, "after")),
            None => {
                self.report(
                    Code::Missing,
                    &At::Key(path, "after"),
                    format!("impact step at {} has no 'after'", path.pointer()),
                );
                None
            }
        };
        let mut values = BTreeMap::new();
        for (key, v) in map.iter().filter(|(k, _)| k != "after") {
            if let Some(n) = self.number(v, &At::Key(path, key)) {
                values.insert(key.to_string(), n);
            }
        }
        Some(ImpactStep {
            after: after?,
            values,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn findings(yaml: &str) -> Vec<(String, String)> {
        let loaded = crate::model::load_document(yaml, crate::model::Format::Yaml);
        loaded
            .findings
            .iter()
            .map(|f| (f.code.as_str().to_owned(), f.path.clone()))
            .collect()
    }

    /// Every field of an entity is read before a missing essential one stops it from being
    /// built: an asset without `kind` still has its bad `restore` reported.
    #[test]
    fn a_missing_essential_field_hides_no_other_finding_of_its_entity() {
        let found = findings(
            "bcm: 1\norganization: {name: x}\n\
             assets: [{id: a, restore: soon, nmae: x}, {id: b, kind: data, backup_interval: 1}]\n",
        );
        let expected = [
            ("E-UNKNOWN-FIELD", "/assets/0/nmae"),
            ("E-MISSING", "/assets/0/kind"),
            ("E-DURATION", "/assets/0/restore"),
            ("E-DURATION", "/assets/1/backup_interval"),
        ];
        let expected: Vec<(String, String)> = expected
            .iter()
            .map(|(c, p)| ((*c).to_owned(), (*p).to_owned()))
            .collect();
        assert_eq!(found, expected);
    }

    /// The keys each entity accepts are its fields, in the order they are written.
    #[test]
    fn entity_keys_are_the_written_fields() {
        assert_eq!(
            <Change as Fields>::KEYS,
            ["id", "kind", "date", "affects", "summary", "attributes"]
        );
        assert_eq!(<GeoPoint as Fields>::KEYS, ["lat", "lon"]);
        let change = Change {
            id: Id::new("c"),
            kind: ChangeKind::Policy,
            date: "2026-01-02".parse().unwrap(),
            affects: vec![Id::new("f")],
            summary: Some("s".into()),
            attributes: [("k".to_owned(), serde_json::json!(1).into())].into(),
        };
        let written = serde_json::to_value(&change).unwrap();
        let keys: Vec<&str> = written
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, <Change as Fields>::KEYS);
    }

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("rtoo", "rto"), 1);
        assert_eq!(edit_distance("depends", "depends_on"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
