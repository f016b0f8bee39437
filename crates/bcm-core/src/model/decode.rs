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

use super::tree::{Node, same_key};
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

struct Decoder {
    findings: Vec<Finding>,
    /// False once an entity could not be built.
    complete: bool,
}

/// Where a node is: a chain of keys and indices up to the root, turned into a JSON Pointer only
/// when a finding needs one.
#[derive(Debug, Clone, Copy)]
enum At<'p> {
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
struct Obj<'v, 'p> {
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

    /// How messages name it: `function 'payroll'`, or by its place when it has no usable id.
    fn name(&self) -> String {
        match Node::get(self.entries, "id") {
            Some(Node::String(id)) => format!("{} '{id}'", self.what),
            _ if matches!(self.at, At::Root) => "the document".to_owned(),
            _ => format!("{} at {}", self.what, self.at.pointer()),
        }
    }
}

const MODEL_KEYS: &[&str] = &[
    "bcm",
    "organization",
    "sites",
    "contacts",
    "teams",
    "succession",
    "vendors",
    "functions",
    "assets",
    "threats",
    "risks",
    "plans",
    "exercises",
    "changes",
    "assessments",
    "attributes",
];
const ORGANIZATION_KEYS: &[&str] = &[
    "name",
    "currency",
    "review_interval",
    "test_interval",
    "training_interval",
    "impact_categories",
    "tolerance",
    "attributes",
];
const SITE_KEYS: &[&str] = &[
    "id",
    "name",
    "role",
    "readiness",
    "location",
    "address",
    "attributes",
];
const GEO_KEYS: &[&str] = &["lat", "lon"];
const CONTACT_KEYS: &[&str] = &[
    "id",
    "name",
    "role",
    "phone",
    "email",
    "alternate",
    "trained",
    "attributes",
];
const TEAM_KEYS: &[&str] = &["id", "name", "kind", "members", "capacity", "attributes"];
const SUCCESSION_KEYS: &[&str] = &["role", "order", "attributes"];
const VENDOR_KEYS: &[&str] = &[
    "id",
    "name",
    "bc_obligation",
    "alternates",
    "restore",
    "contact",
    "reliability",
    "attributes",
];
const RELIABILITY_KEYS: &[&str] = &["mtbf", "mttr"];
const FUNCTION_KEYS: &[&str] = &[
    "id",
    "name",
    "description",
    "owner",
    "criticality",
    "site",
    "mtd",
    "rto",
    "rpo",
    "wrt",
    "resume",
    "impacts",
    "depends_on",
    "attributes",
];
const DEPENDENCY_KEYS: &[&str] = &["id", "tolerance", "attributes"];
const ESTIMATE_KEYS: &[&str] = &["min", "likely", "max"];
const ASSET_KEYS: &[&str] = &[
    "id",
    "name",
    "kind",
    "description",
    "class",
    "site",
    "vendor",
    "team",
    "owner",
    "value",
    "restore",
    "backup_interval",
    "reliability",
    "depends_on",
    "members",
    "min_up",
    "failover",
    "failover_time",
    "attributes",
];
const VALUE_KEYS: &[&str] = &["confidentiality", "integrity", "availability"];
const THREAT_KEYS: &[&str] = &[
    "id",
    "name",
    "description",
    "level",
    "frequency",
    "attributes",
];
const RISK_KEYS: &[&str] = &[
    "id",
    "name",
    "asset",
    "threat",
    "vulnerability",
    "loss",
    "likelihood",
    "impact",
    "owner",
    "controls",
    "attributes",
];
const CONTROL_KEYS: &[&str] = &["name", "reduces", "attributes"];
const REDUCTION_KEYS: &[&str] = &["frequency", "loss"];
const PLAN_KEYS: &[&str] = &[
    "id",
    "name",
    "kind",
    "covers",
    "owner",
    "sections",
    "teams",
    "contacts",
    "reviewed",
    "tested",
    "approved",
    "published",
    "copies",
    "attributes",
];
const COPY_KEYS: &[&str] = &["site", "location", "medium", "attributes"];
const EXERCISE_KEYS: &[&str] = &[
    "id",
    "name",
    "kind",
    "date",
    "plans",
    "result",
    "achieved",
    "findings",
    "participants",
    "attributes",
];
const CHANGE_KEYS: &[&str] = &["id", "kind", "date", "affects", "summary", "attributes"];
const ASSESSMENT_KEYS: &[&str] = &[
    "id",
    "control",
    "date",
    "met",
    "assessor",
    "notes",
    "attributes",
];

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
    fn report(&mut self, code: Code, at: &At<'_>, message: String) {
        self.findings
            .push(Finding::new(code, at.pointer().as_str(), message));
    }

    fn type_error(&mut self, path: &At<'_>, value: &Node<'_>, expected: &str) {
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
    fn object<'v, 'p>(
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
    fn required<'v, T>(
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

    fn optional<'v, T>(
        &mut self,
        obj: &Obj<'v, '_>,
        key: &str,
        read: impl FnOnce(&mut Self, &'v Node<'v>, &At<'_>) -> Option<T>,
    ) -> Option<T> {
        let (value, at) = obj.get(key)?;
        read(self, value, &at)
    }

    fn list<'v, T>(
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

    fn text(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<String> {
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
    fn id(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<Id> {
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
    fn id_list(&mut self, obj: &Obj<'_, '_>, key: &str) -> Vec<Id> {
        self.list(obj, key, |d, value, path| {
            Some(d.id(value, path).unwrap_or_default())
        })
    }

    fn boolean(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<bool> {
        match value {
            Node::Bool(b) => Some(*b),
            other => {
                self.type_error(path, other, "true or false");
                None
            }
        }
    }

    fn number(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<f64> {
        match value {
            Node::Number(n) => n.as_f64(),
            other => {
                self.type_error(path, other, "a number");
                None
            }
        }
    }

    /// A whole number that fits `T`.
    fn whole<T: TryFrom<u64>>(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<T> {
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

    fn keyword<K: Keyword>(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<K> {
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

    fn duration(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<Duration> {
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

    fn date(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<Date> {
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
    fn estimate<T: Copy>(
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

    fn duration_estimate(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<Estimate<Duration>> {
        self.estimate(value, path, Self::duration)
    }

    fn number_estimate(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<Estimate<f64>> {
        self.estimate(value, path, Self::number)
    }

    fn attributes(&mut self, obj: &Obj<'_, '_>) -> Attributes {
        match obj.get("attributes") {
            None => Attributes::new(),
            Some((Node::Object(map), _)) => map
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_value()))
                .collect(),
            Some((other, path)) => {
                self.type_error(&path, other, "a mapping of extra data");
                Attributes::new()
            }
        }
    }

    fn geo(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<GeoPoint> {
        let obj = self.object(value, path, "location", GEO_KEYS)?;
        let lat = self.required(&obj, "lat", Code::Missing, Self::number);
        let lon = self.required(&obj, "lon", Code::Missing, Self::number);
        Some(GeoPoint {
            lat: lat?,
            lon: lon?,
        })
    }

    fn reliability(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<Reliability> {
        let obj = self.object(value, path, "reliability", RELIABILITY_KEYS)?;
        let mtbf = self.required(&obj, "mtbf", Code::Missing, Self::duration);
        let mttr = self.required(&obj, "mttr", Code::Missing, Self::duration);
        Some(Reliability {
            mtbf: mtbf?,
            mttr: mttr?,
        })
    }

    /// Opens an entity that must have an `id`. Returns `None` (and marks the model incomplete) if
    /// it cannot be built.
    fn entity<'v, 'p>(
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
    fn essential<'v, T>(
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

    fn model<'v>(&mut self, root: &'v Node<'v>) -> Option<Model> {
        let Some(obj) = self.object(root, &At::Root, "document", MODEL_KEYS) else {
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
        let organization = self.essential(&obj, "organization", Code::Missing, |d, v, p| {
            d.organization(v, p)
        });
        let model = Model {
            version: FORMAT_VERSION,
            organization: organization.unwrap_or_default(),
            sites: self.list(&obj, "sites", Self::site),
            contacts: self.list(&obj, "contacts", Self::contact),
            teams: self.list(&obj, "teams", Self::team),
            succession: self.list(&obj, "succession", Self::succession),
            vendors: self.list(&obj, "vendors", Self::vendor),
            functions: self.list(&obj, "functions", Self::function),
            assets: self.list(&obj, "assets", Self::asset),
            threats: self.list(&obj, "threats", Self::threat),
            risks: self.list(&obj, "risks", Self::risk),
            plans: self.list(&obj, "plans", Self::plan),
            exercises: self.list(&obj, "exercises", Self::exercise),
            changes: self.list(&obj, "changes", Self::change),
            assessments: self.list(&obj, "assessments", Self::assessment),
            attributes: self.attributes(&obj),
        };
        Some(model)
    }

    fn organization(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<Organization> {
        let obj = self.object(value, path, "organization", ORGANIZATION_KEYS)?;
        let name = self.required(&obj, "name", Code::Missing, Self::text);
        let tolerance = match obj.get("tolerance") {
            None => BTreeMap::new(),
            Some((Node::Object(map), path)) => map
                .iter()
                .filter_map(|(k, v)| Some((k.to_string(), self.number(v, &At::Key(&path, k))?)))
                .collect(),
            Some((other, path)) => {
                self.type_error(&path, other, "a mapping of category to level");
                BTreeMap::new()
            }
        };
        let impact_categories = obj
            .get("impact_categories")
            .map(|_| self.list(&obj, "impact_categories", |d, v, p| d.text(v, p)));
        Some(Organization {
            name: name.unwrap_or_default(),
            currency: self.optional(&obj, "currency", Self::text),
            review_interval: self.optional(&obj, "review_interval", Self::duration),
            test_interval: self.optional(&obj, "test_interval", Self::duration),
            training_interval: self.optional(&obj, "training_interval", Self::duration),
            impact_categories,
            tolerance,
            attributes: self.attributes(&obj),
        })
    }

    fn site<'v>(&mut self, value: &'v Node<'v>, path: &At<'_>) -> Option<Site> {
        let (obj, id) = self.entity(value, path, "site", SITE_KEYS)?;
        Some(Site {
            id,
            name: self.optional(&obj, "name", Self::text),
            role: self.optional(&obj, "role", Self::keyword),
            readiness: self.optional(&obj, "readiness", Self::keyword),
            location: self.optional(&obj, "location", Self::geo),
            address: self.optional(&obj, "address", Self::text),
            attributes: self.attributes(&obj),
        })
    }

    fn contact<'v>(&mut self, value: &'v Node<'v>, path: &At<'_>) -> Option<Contact> {
        let (obj, id) = self.entity(value, path, "contact", CONTACT_KEYS)?;
        Some(Contact {
            id,
            name: self.optional(&obj, "name", Self::text),
            role: self.optional(&obj, "role", Self::text),
            phone: self.optional(&obj, "phone", Self::text),
            email: self.optional(&obj, "email", Self::text),
            alternate: self.optional(&obj, "alternate", Self::id),
            trained: self.optional(&obj, "trained", Self::date),
            attributes: self.attributes(&obj),
        })
    }

    fn team<'v>(&mut self, value: &'v Node<'v>, path: &At<'_>) -> Option<Team> {
        let (obj, id) = self.entity(value, path, "team", TEAM_KEYS)?;
        Some(Team {
            id,
            name: self.optional(&obj, "name", Self::text),
            kind: self.optional(&obj, "kind", Self::keyword),
            members: self.id_list(&obj, "members"),
            capacity: self.optional(&obj, "capacity", Self::whole),
            attributes: self.attributes(&obj),
        })
    }

    fn succession<'v>(&mut self, value: &'v Node<'v>, path: &At<'_>) -> Option<Succession> {
        let Some(obj) = self.object(value, path, "succession", SUCCESSION_KEYS) else {
            self.complete = false;
            return None;
        };
        let role = self.essential(&obj, "role", Code::Missing, Self::text)?;
        Some(Succession {
            role,
            order: self.id_list(&obj, "order"),
            attributes: self.attributes(&obj),
        })
    }

    fn vendor<'v>(&mut self, value: &'v Node<'v>, path: &At<'_>) -> Option<Vendor> {
        let (obj, id) = self.entity(value, path, "vendor", VENDOR_KEYS)?;
        Some(Vendor {
            id,
            name: self.optional(&obj, "name", Self::text),
            bc_obligation: self.optional(&obj, "bc_obligation", Self::boolean),
            alternates: self.id_list(&obj, "alternates"),
            restore: self.optional(&obj, "restore", Self::duration_estimate),
            contact: self.optional(&obj, "contact", Self::id),
            reliability: self.optional(&obj, "reliability", Self::reliability),
            attributes: self.attributes(&obj),
        })
    }

    fn dependency<'v>(&mut self, value: &'v Node<'v>, path: &At<'_>) -> Option<Dependency> {
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

    fn impact_step<'v>(&mut self, value: &'v Node<'v>, path: &At<'_>) -> Option<ImpactStep> {
        let Node::Object(map) = value else {
            self.type_error(path, value, "an impact step as a mapping");
            return None;
        };
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

    fn function<'v>(&mut self, value: &'v Node<'v>, path: &At<'_>) -> Option<Function> {
        let (obj, id) = self.entity(value, path, "function", FUNCTION_KEYS)?;
        let impacts_count = obj.get("impacts").and_then(|(v, _)| match v {
            Node::Array(items) => Some(items.len()),
            _ => None,
        });
        let mut impacts = self.list(&obj, "impacts", Self::impact_step);
        // A step that could not be read would shift the others' indices and make the order
        // checks report nonsense; the curve is left out instead.
        if impacts_count.is_some_and(|n| n != impacts.len()) {
            impacts.clear();
        }
        Some(Function {
            id,
            name: self.optional(&obj, "name", Self::text),
            description: self.optional(&obj, "description", Self::text),
            owner: self.optional(&obj, "owner", Self::id),
            criticality: self.optional(&obj, "criticality", Self::keyword),
            site: self.optional(&obj, "site", Self::id),
            mtd: self.optional(&obj, "mtd", Self::duration),
            rto: self.optional(&obj, "rto", Self::duration),
            rpo: self.optional(&obj, "rpo", Self::duration),
            wrt: self.optional(&obj, "wrt", Self::duration),
            resume: self.optional(&obj, "resume", Self::duration_estimate),
            impacts,
            depends_on: self.list(&obj, "depends_on", Self::dependency),
            attributes: self.attributes(&obj),
        })
    }

    fn asset_value(&mut self, value: &Node<'_>, path: &At<'_>) -> Option<AssetValue> {
        let obj = self.object(value, path, "asset value", VALUE_KEYS)?;
        Some(AssetValue {
            confidentiality: self.optional(&obj, "confidentiality", Self::whole),
            integrity: self.optional(&obj, "integrity", Self::whole),
            availability: self.optional(&obj, "availability", Self::whole),
        })
    }

    fn asset<'v>(&mut self, value: &'v Node<'v>, path: &At<'_>) -> Option<Asset> {
        let (obj, id) = self.entity(value, path, "asset", ASSET_KEYS)?;
        let kind = self.essential(&obj, "kind", Code::Missing, Self::keyword)?;
        Some(Asset {
            id,
            name: self.optional(&obj, "name", Self::text),
            kind,
            description: self.optional(&obj, "description", Self::text),
            class: self.optional(&obj, "class", Self::keyword),
            site: self.optional(&obj, "site", Self::id),
            vendor: self.optional(&obj, "vendor", Self::id),
            team: self.optional(&obj, "team", Self::id),
            owner: self.optional(&obj, "owner", Self::id),
            value: self.optional(&obj, "value", Self::asset_value),
            restore: self.optional(&obj, "restore", Self::duration_estimate),
            backup_interval: self.optional(&obj, "backup_interval", Self::duration),
            reliability: self.optional(&obj, "reliability", Self::reliability),
            depends_on: self.list(&obj, "depends_on", Self::dependency),
            members: self.id_list(&obj, "members"),
            min_up: self.optional(&obj, "min_up", Self::whole),
            failover: self.optional(&obj, "failover", Self::keyword),
            failover_time: self.optional(&obj, "failover_time", Self::duration),
            attributes: self.attributes(&obj),
        })
    }

    fn threat<'v>(&mut self, value: &'v Node<'v>, path: &At<'_>) -> Option<Threat> {
        let (obj, id) = self.entity(value, path, "threat", THREAT_KEYS)?;
        Some(Threat {
            id,
            name: self.optional(&obj, "name", Self::text),
            description: self.optional(&obj, "description", Self::text),
            level: self.optional(&obj, "level", Self::keyword),
            frequency: self.optional(&obj, "frequency", Self::number_estimate),
            attributes: self.attributes(&obj),
        })
    }

    fn control<'v>(&mut self, value: &'v Node<'v>, path: &At<'_>) -> Option<Control> {
        let obj = self.object(value, path, "control", CONTROL_KEYS)?;
        let name = self.required(&obj, "name", Code::Missing, Self::text)?;
        let reduces = self.optional(&obj, "reduces", |d, v, p| {
            let obj = d.object(v, p, "reduction", REDUCTION_KEYS)?;
            Some(Reduction {
                frequency: d.optional(&obj, "frequency", Self::number),
                loss: d.optional(&obj, "loss", Self::number),
            })
        });
        Some(Control {
            name,
            reduces,
            attributes: self.attributes(&obj),
        })
    }

    fn risk<'v>(&mut self, value: &'v Node<'v>, path: &At<'_>) -> Option<Risk> {
        let (obj, id) = self.entity(value, path, "risk", RISK_KEYS)?;
        let asset = self.essential(&obj, "asset", Code::Missing, Self::id);
        let threat = self.essential(&obj, "threat", Code::Missing, Self::id);
        let controls_count = obj.get("controls").and_then(|(v, _)| match v {
            Node::Array(items) => Some(items.len()),
            _ => None,
        });
        let controls = self.list(&obj, "controls", Self::control);
        if controls_count.is_some_and(|n| n != controls.len()) {
            self.complete = false;
        }
        Some(Risk {
            id,
            name: self.optional(&obj, "name", Self::text),
            asset: asset?,
            threat: threat?,
            vulnerability: self.optional(&obj, "vulnerability", Self::keyword),
            loss: self.optional(&obj, "loss", Self::number_estimate),
            likelihood: self.optional(&obj, "likelihood", Self::whole),
            impact: self.optional(&obj, "impact", Self::whole),
            owner: self.optional(&obj, "owner", Self::id),
            controls,
            attributes: self.attributes(&obj),
        })
    }

    fn plan_copy<'v>(&mut self, value: &'v Node<'v>, path: &At<'_>) -> Option<PlanCopy> {
        let Some(obj) = self.object(value, path, "plan copy", COPY_KEYS) else {
            return Some(PlanCopy::default());
        };
        Some(PlanCopy {
            site: self.optional(&obj, "site", Self::id),
            location: self.optional(&obj, "location", Self::geo),
            medium: self.optional(&obj, "medium", Self::text),
            attributes: self.attributes(&obj),
        })
    }

    fn plan<'v>(&mut self, value: &'v Node<'v>, path: &At<'_>) -> Option<Plan> {
        let (obj, id) = self.entity(value, path, "plan", PLAN_KEYS)?;
        let kind = self.essential(&obj, "kind", Code::Missing, Self::keyword)?;
        let sections_count = obj.get("sections").and_then(|(v, _)| match v {
            Node::Array(items) => Some(items.len()),
            _ => None,
        });
        let sections = self.list(&obj, "sections", |d, v, p| d.keyword(v, p));
        if sections_count.is_some_and(|n| n != sections.len()) {
            self.complete = false;
        }
        Some(Plan {
            id,
            name: self.optional(&obj, "name", Self::text),
            kind,
            covers: self.id_list(&obj, "covers"),
            owner: self.optional(&obj, "owner", Self::id),
            sections,
            teams: self.id_list(&obj, "teams"),
            contacts: self.id_list(&obj, "contacts"),
            reviewed: self.optional(&obj, "reviewed", Self::date),
            tested: self.optional(&obj, "tested", Self::date),
            approved: self
                .optional(&obj, "approved", Self::boolean)
                .unwrap_or(false),
            published: self
                .optional(&obj, "published", Self::boolean)
                .unwrap_or(false),
            copies: self.list(&obj, "copies", Self::plan_copy),
            attributes: self.attributes(&obj),
        })
    }

    fn exercise<'v>(&mut self, value: &'v Node<'v>, path: &At<'_>) -> Option<Exercise> {
        let (obj, id) = self.entity(value, path, "exercise", EXERCISE_KEYS)?;
        let kind = self.essential(&obj, "kind", Code::Missing, Self::keyword);
        let date = self.essential(&obj, "date", Code::Missing, Self::date);
        let achieved = match obj.get("achieved") {
            None => BTreeMap::new(),
            Some((Node::Object(map), path)) => map
                .iter()
                .filter_map(|(k, v)| {
                    Some((Id::new(k.as_ref()), self.duration(v, &At::Key(&path, k))?))
                })
                .collect(),
            Some((other, path)) => {
                self.type_error(&path, other, "a mapping of asset to measured restore time");
                BTreeMap::new()
            }
        };
        Some(Exercise {
            id,
            name: self.optional(&obj, "name", Self::text),
            kind: kind?,
            date: date?,
            plans: self.id_list(&obj, "plans"),
            result: self.optional(&obj, "result", Self::keyword),
            achieved,
            findings: self.list(&obj, "findings", |d, v, p| {
                Some(d.text(v, p).unwrap_or_default())
            }),
            participants: self.id_list(&obj, "participants"),
            attributes: self.attributes(&obj),
        })
    }

    fn change<'v>(&mut self, value: &'v Node<'v>, path: &At<'_>) -> Option<Change> {
        let (obj, id) = self.entity(value, path, "change", CHANGE_KEYS)?;
        let kind = self.essential(&obj, "kind", Code::Missing, Self::keyword);
        let date = self.essential(&obj, "date", Code::Missing, Self::date);
        Some(Change {
            id,
            kind: kind?,
            date: date?,
            affects: self.id_list(&obj, "affects"),
            summary: self.optional(&obj, "summary", Self::text),
            attributes: self.attributes(&obj),
        })
    }

    fn assessment<'v>(&mut self, value: &'v Node<'v>, path: &At<'_>) -> Option<Assessment> {
        let Some(obj) = self.object(value, path, "assessment", ASSESSMENT_KEYS) else {
            self.complete = false;
            return None;
        };
        let control = self.essential(&obj, "control", Code::Missing, Self::text);
        let date = self.essential(&obj, "date", Code::Missing, Self::date);
        Some(Assessment {
            id: self.optional(&obj, "id", Self::id),
            control: control?,
            date: date?,
            met: self.list(&obj, "met", |d, v, p| {
                Some(d.text(v, p).unwrap_or_default())
            }),
            assessor: self.optional(&obj, "assessor", Self::id),
            notes: self.optional(&obj, "notes", Self::text),
            attributes: self.attributes(&obj),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edit_distance_counts_edits() {
        assert_eq!(edit_distance("rtoo", "rto"), 1);
        assert_eq!(edit_distance("depends", "depends_on"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }
}
