//! Validation (DESIGN §4.A): every problem of a model at once, each with a stable code, a JSON
//! Pointer and the entities involved.

use std::collections::{BTreeMap, HashSet};
use std::fmt;

use rustc_hash::FxHashMap;

use serde::Serialize;

use crate::finding::{Code, Finding, Pointer, Severity, sort_findings};
use crate::graph::{EdgeOrigin, NodeKind};
use crate::maturity;
use crate::model::{
    Asset, Criticality, Dependency, Duration, Estimate, FINANCIAL, Format, GeoPoint, Id, Model,
    load_document,
};

/// The result of validating a model: every finding, in document order.
///
/// Serialises as `{"valid", "errors", "warnings", "findings": [...]}`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Validation {
    /// Every finding, errors and warnings, ordered by section and entity.
    pub findings: Vec<Finding>,
}

impl Validation {
    /// Whether the model has no errors (warnings allowed).
    pub fn is_valid(&self) -> bool {
        !self.findings.iter().any(Finding::is_error)
    }

    /// The errors.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings.iter().filter(|f| f.is_error())
    }

    /// The warnings.
    pub fn warnings(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Warning)
    }
}

impl Serialize for Validation {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(4))?;
        map.serialize_entry("valid", &self.is_valid())?;
        map.serialize_entry("errors", &self.errors().count())?;
        map.serialize_entry("warnings", &self.warnings().count())?;
        map.serialize_entry("findings", &self.findings)?;
        map.end()
    }
}

/// A document read once: its model, ready for analysis, and every finding.
#[derive(Debug)]
pub struct Document {
    /// The model and its analysis session, when every entity could be built (with structural
    /// findings, the fields that were wrong are left out).
    pub analyzer: Option<crate::Analyzer<'static>>,
    /// Every finding: the structural ones of loading and the semantic ones of validation.
    pub validation: Validation,
}

/// Loads and validates a document once: the structural findings of loading, then — when every
/// entity could be built — the findings of validation, on the graph the analyses will use. What
/// `bcm` reports before every analysis.
///
/// ```
/// use bcm_core::{Format, read_document};
/// let d = read_document(
///     "bcm: 1\norganization: {name: x}\nfunctions: [{id: pay, rto: 1d, depends_on: [db]}]\n",
///     Format::Yaml,
/// );
/// assert_eq!(d.validation.errors().count(), 1); // E-REF: db does not exist
/// let analyzer = d.analyzer.unwrap(); // the analyses still run on what is sound
/// assert_eq!(analyzer.objectives(&Default::default()).nodes[0].required, Some(86_400));
/// ```
pub fn read_document(text: &str, format: Format) -> Document {
    let loaded = load_document(text, format);
    let mut findings = loaded.findings;
    let analyzer = loaded.model.map(crate::Analyzer::new);
    if let Some(analyzer) = &analyzer {
        let structural: HashSet<String> = findings.iter().map(|f| f.path.clone()).collect();
        // A field that failed to load is absent from the model; do not also report it as missing
        // (W-NO-RTO after E-DURATION on the same `rto`), nor its placeholder as a bad reference.
        let semantic = analyzer.validate().findings.into_iter().filter(|f| {
            !structural.contains(&f.path)
                && !structural.iter().any(|s| {
                    s.starts_with(&format!("{}/", f.path)) && f.path.matches('/').count() >= 3
                })
        });
        findings.extend(semantic);
    }
    sort_findings(&mut findings);
    Document {
        analyzer,
        validation: Validation { findings },
    }
}

/// Loads and validates a document (see [`read_document`]): what `bcm validate` reports.
///
/// ```
/// use bcm_core::{Format, validate_document};
/// let v = validate_document(
///     "bcm: 1\norganization: {name: x}\nfunctions: [{id: pay, rto: 4 hours, depends_on: [db]}]\n",
///     Format::Yaml,
/// );
/// let codes: Vec<(&str, &str)> =
///     v.findings.iter().map(|f| (f.code.as_str(), f.path.as_str())).collect();
/// assert!(codes.contains(&("E-DURATION", "/functions/0/rto")));
/// assert!(codes.contains(&("E-REF", "/functions/0/depends_on/0")));
/// ```
pub fn validate_document(text: &str, format: Format) -> Validation {
    read_document(text, format).validation
}

/// What an identified entity is, for reference checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum EntityKind {
    Site,
    Contact,
    Team,
    Vendor,
    Function,
    Asset,
    Group,
    Threat,
    Risk,
    Plan,
    Exercise,
    Change,
    Assessment,
}

impl EntityKind {
    fn noun(self) -> &'static str {
        match self {
            EntityKind::Site => "a site",
            EntityKind::Contact => "a contact",
            EntityKind::Team => "a team",
            EntityKind::Vendor => "a vendor",
            EntityKind::Function => "a function",
            EntityKind::Asset => "an asset",
            EntityKind::Group => "a redundancy group",
            EntityKind::Threat => "a threat",
            EntityKind::Risk => "a risk",
            EntityKind::Plan => "a plan",
            EntityKind::Exercise => "an exercise",
            EntityKind::Change => "a change",
            EntityKind::Assessment => "an assessment",
        }
    }
}

const NODE_KINDS: &[EntityKind] = &[
    EntityKind::Function,
    EntityKind::Asset,
    EntityKind::Group,
    EntityKind::Vendor,
];
const ANY_KIND: &[EntityKind] = &[
    EntityKind::Site,
    EntityKind::Contact,
    EntityKind::Team,
    EntityKind::Vendor,
    EntityKind::Function,
    EntityKind::Asset,
    EntityKind::Group,
    EntityKind::Threat,
    EntityKind::Risk,
    EntityKind::Plan,
    EntityKind::Exercise,
    EntityKind::Change,
    EntityKind::Assessment,
];

fn list(kinds: &[EntityKind]) -> String {
    let nouns: Vec<&str> = kinds.iter().map(|k| k.noun()).collect();
    match nouns.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

struct Checker<'m> {
    analyzer: &'m crate::Analyzer<'m>,
    model: &'m Model,
    findings: Vec<Finding>,
    /// First definition of each ID, with its dependency-graph node (functions, then assets, then
    /// vendors, as in [`DependencyGraph`]) or [`NOT_A_NODE`].
    registry: FxHashMap<&'m str, (EntityKind, u32)>,
    /// Dependency edges (from node, to node) met while checking references, so that the cycle
    /// check needs neither a second round of lookups nor the full graph when there is no cycle.
    edges: Vec<(u32, u32)>,
    /// Whether some ID is defined twice; the cycle check then defers to the full graph.
    duplicate_ids: bool,
}

const NOT_A_NODE: u32 = u32::MAX;

impl Model {
    /// Validates the model: IDs, references, ranges, redundancy groups, impact curves, objectives,
    /// cycles, and the completeness warnings of DESIGN §4.A. Never stops at the first problem.
    ///
    /// ```
    /// let m = bcm_core::Model::from_yaml_str(
    ///     "bcm: 1\norganization: {name: x}\n\
    ///      functions: [{id: pay, owner: cfo, rto: 1d, mtd: 12h, depends_on: [hr-dbb]}]\n",
    /// )?;
    /// let v = m.validate();
    /// let codes: Vec<&str> = v.errors().map(|f| f.code.as_str()).collect();
    /// assert_eq!(codes, ["E-REF", "E-REF", "E-RTO-MTD"]);
    /// assert_eq!(
    ///     v.errors().nth(2).unwrap().message,
    ///     "function 'pay' has an RTO of 1d, later than its MTD of 12h"
    /// );
    /// # Ok::<(), bcm_core::ModelError>(())
    /// ```
    ///
    /// Complexity: linear in the size of the model (the cycle search is iterative Kosaraju).
    pub fn validate(&self) -> Validation {
        crate::Analyzer::borrowed(self).validate()
    }
}

/// Validates the analyzer's model; a cycle is named on the analyzer's graph.
pub(crate) fn validate_with(analyzer: &crate::Analyzer<'_>) -> Validation {
    {
        let mut checker = Checker {
            analyzer,
            model: analyzer.model(),
            findings: Vec::new(),
            registry: FxHashMap::default(),
            edges: Vec::new(),
            duplicate_ids: false,
        };
        checker.version();
        checker.identifiers();
        checker.organization();
        checker.sites();
        checker.contacts();
        checker.teams();
        checker.vendors();
        checker.functions();
        checker.assets();
        checker.risks();
        checker.plans();
        checker.exercises();
        checker.changes();
        checker.assessments();
        checker.cycles();
        let mut findings = checker.findings;
        sort_findings(&mut findings);
        Validation { findings }
    }
}

/// Names an entity in messages (`asset 'hr-db'`), formatted only when a finding needs it.
struct Who<'a>(&'static str, &'a str);

impl fmt::Display for Who<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} '{}'", self.0, self.1)
    }
}

type Owner<'a> = &'a dyn fmt::Display;

fn section(name: &str, index: usize) -> Pointer {
    Pointer::root().key(name).index(index)
}

fn range_ok(x: f64, low: f64, high: f64) -> bool {
    x.is_finite() && x >= low && x <= high
}

impl<'m> Checker<'m> {
    fn push(&mut self, finding: Finding) {
        self.findings.push(finding);
    }

    fn report<I, S>(&mut self, code: Code, path: &Pointer, message: String, entities: I)
    where
        I: IntoIterator<Item = S>,
        S: Into<String>,
    {
        self.push(Finding::new(code, path.as_str(), message).with_entities(entities));
    }

    fn version(&mut self) {
        if self.model.version != crate::model::FORMAT_VERSION {
            let message = format!(
                "this library reads format version {}; the model says {}",
                crate::model::FORMAT_VERSION,
                self.model.version
            );
            self.report(Code::Version, &Pointer::root().key("bcm"), message, [""; 0]);
        }
    }

    /// Checks every ID's form and uniqueness, and records the first definition of each.
    fn identifiers(&mut self) {
        let m = self.model;
        // (id, kind, section, index): the path is built only for a finding.
        let mut defined: Vec<(&'m Id, EntityKind, &'static str, usize)> = Vec::new();
        let mut add = |items: Vec<(&'m Id, EntityKind)>, name: &'static str| {
            for (i, (id, kind)) in items.into_iter().enumerate() {
                defined.push((id, kind, name, i));
            }
        };
        add(
            m.sites.iter().map(|x| (&x.id, EntityKind::Site)).collect(),
            "sites",
        );
        add(
            m.contacts
                .iter()
                .map(|x| (&x.id, EntityKind::Contact))
                .collect(),
            "contacts",
        );
        add(
            m.teams.iter().map(|x| (&x.id, EntityKind::Team)).collect(),
            "teams",
        );
        add(
            m.vendors
                .iter()
                .map(|x| (&x.id, EntityKind::Vendor))
                .collect(),
            "vendors",
        );
        add(
            m.functions
                .iter()
                .map(|x| (&x.id, EntityKind::Function))
                .collect(),
            "functions",
        );
        add(
            m.assets
                .iter()
                .map(|x| {
                    let kind = if x.is_group() {
                        EntityKind::Group
                    } else {
                        EntityKind::Asset
                    };
                    (&x.id, kind)
                })
                .collect(),
            "assets",
        );
        add(
            m.threats
                .iter()
                .map(|x| (&x.id, EntityKind::Threat))
                .collect(),
            "threats",
        );
        add(
            m.risks.iter().map(|x| (&x.id, EntityKind::Risk)).collect(),
            "risks",
        );
        add(
            m.plans.iter().map(|x| (&x.id, EntityKind::Plan)).collect(),
            "plans",
        );
        add(
            m.exercises
                .iter()
                .map(|x| (&x.id, EntityKind::Exercise))
                .collect(),
            "exercises",
        );
        add(
            m.changes
                .iter()
                .map(|x| (&x.id, EntityKind::Change))
                .collect(),
            "changes",
        );
        for (i, a) in m.assessments.iter().enumerate() {
            if let Some(id) = &a.id {
                defined.push((id, EntityKind::Assessment, "assessments", i));
            }
        }
        let mut first: FxHashMap<&'m str, (EntityKind, &'static str, usize)> = FxHashMap::default();
        for (id, kind, name, index) in defined {
            let path = || section(name, index).key("id");
            if !id.is_well_formed() {
                let message = if id.as_str().is_empty() {
                    format!("{} has an empty id", kind.noun())
                } else {
                    format!(
                        "{:?} is not a valid id: use 1 to 128 letters, digits and . _ : -",
                        id.as_str()
                    )
                };
                self.report(Code::Id, &path(), message, [id.as_str()]);
            }
            match first.get(id.as_str()) {
                Some((first_kind, first_name, first_index)) => {
                    let message = format!(
                        "'{id}' is already the id of {} at {}",
                        first_kind.noun(),
                        section(first_name, *first_index)
                    );
                    self.report(Code::DupId, &path(), message, [id.as_str()]);
                    self.duplicate_ids = true;
                }
                None => {
                    first.insert(id.as_str(), (kind, name, index));
                    let (functions, assets) = (m.functions.len(), m.assets.len());
                    let node = match kind {
                        EntityKind::Function => Some(index),
                        EntityKind::Asset | EntityKind::Group => functions.checked_add(index),
                        EntityKind::Vendor => functions
                            .checked_add(assets)
                            .and_then(|n| n.checked_add(index)),
                        _ => None,
                    };
                    let node = node
                        .and_then(|n| u32::try_from(n).ok())
                        .unwrap_or(NOT_A_NODE);
                    self.registry.insert(id.as_str(), (kind, node));
                }
            }
        }
    }

    /// Checks that `target` exists and is one of `allowed`. The path and the entities are built
    /// only for a finding: a large model has hundreds of thousands of sound references. Returns
    /// the target's graph node, if it is one (of an allowed kind or not, as the graph has it).
    fn reference(
        &mut self,
        owner: Owner<'_>,
        owner_id: &str,
        relation: &str,
        target: &Id,
        allowed: &[EntityKind],
        path: impl FnOnce() -> Pointer,
    ) -> Option<u32> {
        let found = self.registry.get(target.as_str()).copied();
        let node = found.map(|(_, node)| node).filter(|n| *n != NOT_A_NODE);
        let (code, message) = match found.map(|(kind, _)| kind) {
            Some(kind) if allowed.contains(&kind) => return node,
            None if target.as_str().is_empty() => {
                (Code::Ref, format!("{owner} {relation} an empty reference"))
            }
            None => (
                Code::Ref,
                format!("{owner} {relation} '{target}', which does not exist"),
            ),
            Some(kind) => (
                Code::RefKind,
                format!(
                    "{owner} {relation} '{target}', which is {}, not {}",
                    kind.noun(),
                    list(allowed)
                ),
            ),
        };
        let entities = [owner_id.to_owned(), target.to_string()];
        self.report(code, &path(), message, entities);
        node
    }

    fn references(
        &mut self,
        owner: Owner<'_>,
        owner_id: &str,
        relation: &str,
        targets: &[Id],
        allowed: &[EntityKind],
        path: &Pointer,
    ) {
        for (i, target) in targets.iter().enumerate() {
            self.reference(owner, owner_id, relation, target, allowed, || path.index(i));
        }
    }

    /// Checks the `depends_on` list of graph node `from`, recording its edges.
    fn dependencies(
        &mut self,
        owner: Owner<'_>,
        owner_id: &str,
        from: u32,
        deps: &[Dependency],
        path: &Pointer,
    ) {
        for (i, dep) in deps.iter().enumerate() {
            let long_form = dep.tolerance.is_some() || !dep.attributes.is_empty();
            let at = || {
                if long_form {
                    path.index(i).key("id")
                } else {
                    path.index(i)
                }
            };
            if let Some(to) = self.reference(owner, owner_id, "depends on", &dep.id, NODE_KINDS, at)
            {
                self.edges.push((from, to));
            }
        }
    }

    fn duration_estimate(&mut self, owner: Owner<'_>, e: &Estimate<Duration>, path: &Pointer) {
        let (min, likely, max) = e.points();
        if !(min <= likely && likely <= max) {
            let message = format!(
                "{owner} has a three-point estimate out of order: min {min}, likely {likely}, max {max} (need min ≤ likely ≤ max)"
            );
            self.report(Code::Range, path, message, [""; 0]);
        }
    }

    fn amount_estimate(&mut self, owner: Owner<'_>, e: &Estimate<f64>, path: &Pointer) {
        let (min, likely, max) = e.points();
        let finite = [min, likely, max]
            .iter()
            .all(|x| x.is_finite() && *x >= 0.0);
        if !(finite && min <= likely && likely <= max) {
            let message = format!(
                "{owner} has an estimate that is negative or out of order: min {min}, likely {likely}, max {max} (need 0 ≤ min ≤ likely ≤ max)"
            );
            self.report(Code::Range, path, message, [""; 0]);
        }
    }

    fn geo(&mut self, owner: Owner<'_>, location: &GeoPoint, path: &Pointer) {
        if !range_ok(location.lat, -90.0, 90.0) {
            let message = format!("{owner} has latitude {}, outside −90..90", location.lat);
            self.report(Code::Range, &path.key("lat"), message, [""; 0]);
        }
        if !range_ok(location.lon, -180.0, 180.0) {
            let message = format!("{owner} has longitude {}, outside −180..180", location.lon);
            self.report(Code::Range, &path.key("lon"), message, [""; 0]);
        }
    }

    fn owner(&mut self, owner: Owner<'_>, owner_id: &str, who: Option<&Id>, path: &Pointer) {
        match who {
            Some(who) => {
                self.reference(
                    owner,
                    owner_id,
                    "is owned by",
                    who,
                    &[EntityKind::Contact],
                    || path.key("owner"),
                );
            }
            None => {
                let message = format!("{owner} has no owner");
                self.report(Code::NoOwner, &path.key("owner"), message, [owner_id]);
            }
        }
    }

    /// Checks a category→value map against the declared categories and their scales.
    fn category_values(
        &mut self,
        owner: Owner<'_>,
        values: &BTreeMap<String, f64>,
        path: &Pointer,
        what: &str,
    ) {
        let categories = self.model.organization.categories();
        for (category, value) in values {
            let at = path.key(category);
            if !categories.contains(&category.as_str()) {
                let message = format!(
                    "{owner} gives {what} for '{category}', which is not a declared impact category ({})",
                    categories.join(", ")
                );
                self.report(Code::UnknownField, &at, message, [""; 0]);
            } else if category == FINANCIAL {
                if !range_ok(*value, 0.0, f64::MAX) {
                    let message = format!(
                        "{owner} gives a financial {what} of {value}; it must be 0 or more"
                    );
                    self.report(Code::Range, &at, message, [""; 0]);
                }
            } else if !range_ok(*value, 0.0, 5.0) {
                let message = format!(
                    "{owner} gives a {category} {what} of {value}; severity levels run 0–5"
                );
                self.report(Code::Range, &at, message, [""; 0]);
            }
        }
    }

    fn organization(&mut self) {
        let org = &self.model.organization;
        let path = Pointer::root().key("organization");
        if let Some(currency) = &org.currency
            && !(currency.len() == 3 && currency.bytes().all(|b| b.is_ascii_uppercase()))
        {
            let message = format!("{currency:?} is not an ISO 4217 currency code (e.g. USD, EUR)");
            self.report(Code::Range, &path.key("currency"), message, [""; 0]);
        }
        if let Some(declared) = &org.impact_categories {
            let mut seen = HashSet::new();
            for (i, category) in declared.iter().enumerate() {
                let at = path.key("impact_categories").index(i);
                if category == "after" || category.is_empty() {
                    let message = format!("{category:?} cannot be an impact category");
                    self.report(Code::Range, &at, message, [""; 0]);
                } else if !seen.insert(category.as_str()) {
                    let message = format!("impact category '{category}' is declared twice");
                    self.report(Code::Range, &at, message, [""; 0]);
                }
            }
        }
        let tolerance = org.tolerance.clone();
        self.category_values(
            &"the organization",
            &tolerance,
            &path.key("tolerance"),
            "a tolerance",
        );
    }

    fn sites(&mut self) {
        for (i, site) in self.model.sites.iter().enumerate() {
            if let Some(location) = &site.location {
                let owner = Who("site", site.id.as_str());
                self.geo(&owner, location, &section("sites", i).key("location"));
            }
        }
    }

    fn contacts(&mut self) {
        for (i, contact) in self.model.contacts.iter().enumerate() {
            let path = section("contacts", i);
            let owner = Who("contact", contact.id.as_str());
            match &contact.alternate {
                None => {
                    let message = format!("{owner} has no alternate (policy 5(e)(iv))");
                    self.report(
                        Code::Alternate,
                        &path.key("alternate"),
                        message,
                        [contact.id.as_str()],
                    );
                }
                Some(alternate) if alternate == &contact.id => {
                    let message = format!("{owner} is their own alternate");
                    self.report(
                        Code::Alternate,
                        &path.key("alternate"),
                        message,
                        [contact.id.as_str()],
                    );
                }
                Some(alternate) => {
                    self.reference(
                        &owner,
                        contact.id.as_str(),
                        "has as alternate",
                        alternate,
                        &[EntityKind::Contact],
                        || path.key("alternate"),
                    );
                }
            }
        }
        for (i, succession) in self.model.succession.iter().enumerate() {
            let owner = format!("the succession for '{}'", succession.role);
            let path = section("succession", i).key("order");
            self.references(
                &owner,
                "",
                "lists",
                &succession.order,
                &[EntityKind::Contact],
                &path,
            );
        }
    }

    fn teams(&mut self) {
        for (i, team) in self.model.teams.iter().enumerate() {
            let path = section("teams", i);
            let owner = Who("team", team.id.as_str());
            let members = path.key("members");
            self.references(
                &owner,
                team.id.as_str(),
                "has as a member",
                &team.members,
                &[EntityKind::Contact],
                &members,
            );
            if team.capacity == Some(0) {
                let message = format!("{owner} has capacity 0: it could never restore anything");
                self.report(
                    Code::Range,
                    &path.key("capacity"),
                    message,
                    [team.id.as_str()],
                );
            }
        }
    }

    fn vendors(&mut self) {
        for (i, vendor) in self.model.vendors.iter().enumerate() {
            let path = section("vendors", i);
            let owner = Who("vendor", vendor.id.as_str());
            let id = vendor.id.as_str();
            self.references(
                &owner,
                id,
                "has as an alternate",
                &vendor.alternates,
                &[EntityKind::Vendor],
                &path.key("alternates"),
            );
            if let Some(contact) = &vendor.contact {
                self.reference(
                    &owner,
                    id,
                    "has as contact",
                    contact,
                    &[EntityKind::Contact],
                    || path.key("contact"),
                );
            }
            match &vendor.restore {
                Some(restore) => self.duration_estimate(&owner, restore, &path.key("restore")),
                None => {
                    let message = format!("{owner} has no contractual restore time");
                    self.report(Code::NoRestore, &path.key("restore"), message, [id]);
                }
            }
            if let Some(reliability) = &vendor.reliability
                && reliability.mtbf == Duration::ZERO
            {
                let message = format!("{owner} has an MTBF of 0");
                self.report(
                    Code::Range,
                    &path.key("reliability").key("mtbf"),
                    message,
                    [id],
                );
            }
        }
    }

    fn functions(&mut self) {
        let covered: HashSet<&str> = self
            .model
            .plans
            .iter()
            .flat_map(|p| p.covers.iter().map(Id::as_str))
            .collect();
        let tolerance = &self.model.organization.tolerance;
        for (i, f) in self.model.functions.iter().enumerate() {
            let path = section("functions", i);
            let owner = Who("function", f.id.as_str());
            let id = f.id.as_str();
            self.owner(&owner, id, f.owner.as_ref(), &path);
            if let Some(site) = &f.site {
                self.reference(
                    &owner,
                    id,
                    "is located at",
                    site,
                    &[EntityKind::Site],
                    || path.key("site"),
                );
            }
            let from = u32::try_from(i).unwrap_or(NOT_A_NODE);
            self.dependencies(&owner, id, from, &f.depends_on, &path.key("depends_on"));
            match f.rto {
                None => {
                    let message = format!("{owner} has no RTO");
                    self.report(Code::NoRto, &path.key("rto"), message, [id]);
                }
                Some(rto) => {
                    if let Some(mtd) = f.mtd {
                        let wrt = f.wrt.unwrap_or(Duration::ZERO);
                        if rto > mtd {
                            let message =
                                format!("{owner} has an RTO of {rto}, later than its MTD of {mtd}");
                            self.report(Code::RtoMtd, &path.key("rto"), message, [id]);
                        } else if rto.as_secs().saturating_add(wrt.as_secs()) > mtd.as_secs() {
                            let total =
                                Duration::from_secs(rto.as_secs().saturating_add(wrt.as_secs()));
                            let message = format!(
                                "{owner} needs RTO {rto} + WRT {wrt} = {total}, later than its MTD of {mtd}"
                            );
                            self.report(Code::RtoWrtMtd, &path.key("wrt"), message, [id]);
                        }
                    }
                }
            }
            match &f.resume {
                Some(resume) => self.duration_estimate(&owner, resume, &path.key("resume")),
                None => {
                    let message = format!(
                        "{owner} has no resume time (time to resume once what it needs is up)"
                    );
                    self.report(Code::NoRestore, &path.key("resume"), message, [id]);
                }
            }
            if f.criticality == Some(Criticality::Critical) && !covered.contains(id) {
                let message = format!("{owner} is critical but no plan covers it");
                self.report(Code::NoPlan, &path, message, [id]);
            }
            self.impacts(&owner, f, &path);
            if let (Some(mtd), false) = (f.mtd, tolerance.is_empty()) {
                self.mtd_against_bia(&owner, f, mtd, &path);
            }
        }
    }

    fn impacts(&mut self, owner: Owner<'_>, f: &crate::model::Function, path: &Pointer) {
        let categories: Vec<String> = self
            .model
            .organization
            .categories()
            .iter()
            .map(|c| (*c).to_owned())
            .collect();
        let mut previous: Option<&crate::model::ImpactStep> = None;
        for (j, step) in f.impacts.iter().enumerate() {
            let at = path.key("impacts").index(j);
            self.category_values(owner, &step.values, &at, "an impact");
            if let Some(prev) = previous {
                if step.after <= prev.after {
                    let message = format!(
                        "{owner} has impact steps out of order: {} comes after {}",
                        step.after, prev.after
                    );
                    self.report(Code::Impact, &at.key("after"), message, [f.id.as_str()]);
                }
                for category in &categories {
                    let before = prev.values.get(category).copied().unwrap_or(0.0);
                    let now = step.values.get(category).copied().unwrap_or(0.0);
                    if now < before {
                        let message = format!(
                            "the {category} impact of {owner} falls from {before} to {now} at {}; impact over time never decreases",
                            step.after
                        );
                        self.report(Code::Impact, &at.key(category), message, [f.id.as_str()]);
                    }
                }
            }
            previous = Some(step);
        }
    }

    fn mtd_against_bia(
        &mut self,
        owner: Owner<'_>,
        f: &crate::model::Function,
        mtd: Duration,
        path: &Pointer,
    ) {
        let tolerance = &self.model.organization.tolerance;
        let reached = f.impacts.iter().find_map(|step| {
            tolerance.iter().find_map(|(category, limit)| {
                let value = step.values.get(category).copied().unwrap_or(0.0);
                (value >= *limit).then_some((step.after, category))
            })
        });
        if let Some((after, category)) = reached
            && mtd > after
        {
            let message = format!(
                "{owner} has an MTD of {mtd}, but its {category} impact reaches the organization's tolerance after {after}"
            );
            self.report(
                Code::MtdAboveBia,
                &path.key("mtd"),
                message,
                [f.id.as_str()],
            );
        }
    }

    fn assets(&mut self) {
        for (i, a) in self.model.assets.iter().enumerate() {
            let path = section("assets", i);
            let noun = if a.is_group() { "group" } else { "asset" };
            let owner = Who(noun, a.id.as_str());
            let id = a.id.as_str();
            if let Some(site) = &a.site {
                self.reference(
                    &owner,
                    id,
                    "is located at",
                    site,
                    &[EntityKind::Site],
                    || path.key("site"),
                );
            }
            if let Some(vendor) = &a.vendor {
                self.reference(
                    &owner,
                    id,
                    "is supplied by",
                    vendor,
                    &[EntityKind::Vendor],
                    || path.key("vendor"),
                );
            }
            if let Some(team) = &a.team {
                self.reference(
                    &owner,
                    id,
                    "is restored by",
                    team,
                    &[EntityKind::Team],
                    || path.key("team"),
                );
            }
            let from = self
                .model
                .functions
                .len()
                .checked_add(i)
                .and_then(|n| u32::try_from(n).ok())
                .unwrap_or(NOT_A_NODE);
            self.dependencies(&owner, id, from, &a.depends_on, &path.key("depends_on"));
            if let Some(value) = &a.value {
                let parts = [
                    ("confidentiality", value.confidentiality),
                    ("integrity", value.integrity),
                    ("availability", value.availability),
                ];
                for (name, v) in parts {
                    if let Some(v) = v
                        && !(1..=10).contains(&v)
                    {
                        let message =
                            format!("{owner} has a {name} value of {v}; CRAMM values run 1–10");
                        self.report(Code::Range, &path.key("value").key(name), message, [id]);
                    }
                }
            }
            if let Some(reliability) = &a.reliability
                && reliability.mtbf == Duration::ZERO
            {
                let message = format!("{owner} has an MTBF of 0");
                self.report(
                    Code::Range,
                    &path.key("reliability").key("mtbf"),
                    message,
                    [id],
                );
            }
            if a.is_group() {
                self.group(&owner, from, a, &path);
            } else {
                self.not_group(&owner, a, &path);
                self.owner(&owner, id, a.owner.as_ref(), &path);
                match &a.restore {
                    Some(restore) => self.duration_estimate(&owner, restore, &path.key("restore")),
                    None => {
                        let message = format!("{owner} has no restore time");
                        self.report(Code::NoRestore, &path.key("restore"), message, [id]);
                    }
                }
            }
        }
    }

    fn group(&mut self, owner: Owner<'_>, from: u32, a: &Asset, path: &Pointer) {
        let id = a.id.as_str();
        let members = path.key("members");
        let allowed = [EntityKind::Asset, EntityKind::Group, EntityKind::Vendor];
        for (j, member) in a.members.iter().enumerate() {
            let at = || members.index(j);
            if let Some(to) = self.reference(owner, id, "has as a member", member, &allowed, at) {
                self.edges.push((from, to));
            }
        }
        if let Some(who) = &a.owner {
            self.reference(
                owner,
                id,
                "is owned by",
                who,
                &[EntityKind::Contact],
                || path.key("owner"),
            );
        }
        let mut seen = HashSet::new();
        for (j, member) in a.members.iter().enumerate() {
            if !seen.insert(member.as_str()) {
                let message = format!("{owner} lists '{member}' twice");
                self.report(
                    Code::Group,
                    &members.index(j),
                    message,
                    [id, member.as_str()],
                );
            }
        }
        let n = a.members.len();
        if n < 2 {
            let message = format!(
                "{owner} has {n} member{}; a redundancy group needs at least two",
                if n == 1 { "" } else { "s" }
            );
            self.report(Code::Group, &members, message, [id]);
        }
        let min_up = a.min_up();
        if min_up == 0 || (n >= 1 && min_up as usize > n) {
            let message =
                format!("{owner} needs {min_up} of {n} members up; min_up must be 1 to {n}");
            self.report(Code::Group, &path.key("min_up"), message, [id]);
        }
        let stray = [
            ("site", a.site.is_some()),
            ("vendor", a.vendor.is_some()),
            ("restore", a.restore.is_some()),
            ("backup_interval", a.backup_interval.is_some()),
            ("reliability", a.reliability.is_some()),
        ];
        for (field, present) in stray {
            if present {
                let message = format!(
                    "{owner} is a redundancy group and has no {field} of its own; set it on its members"
                );
                self.report(Code::Group, &path.key(field), message, [id]);
            }
        }
    }

    fn not_group(&mut self, owner: Owner<'_>, a: &Asset, path: &Pointer) {
        let stray = [
            ("members", !a.members.is_empty()),
            ("min_up", a.min_up.is_some()),
            ("failover", a.failover.is_some()),
            ("failover_time", a.failover_time.is_some()),
        ];
        for (field, present) in stray {
            if present {
                let message = format!(
                    "{owner} has '{field}' but is not a redundancy group (kind: {}); use kind: group",
                    a.kind
                );
                self.report(Code::Group, &path.key(field), message, [a.id.as_str()]);
            }
        }
    }

    fn risks(&mut self) {
        for (i, threat) in self.model.threats.iter().enumerate() {
            if let Some(frequency) = &threat.frequency {
                let owner = Who("threat", threat.id.as_str());
                self.amount_estimate(&owner, frequency, &section("threats", i).key("frequency"));
            }
        }
        for (i, risk) in self.model.risks.iter().enumerate() {
            let path = section("risks", i);
            let owner = Who("risk", risk.id.as_str());
            let id = risk.id.as_str();
            self.reference(
                &owner,
                id,
                "concerns",
                &risk.asset,
                &[EntityKind::Asset, EntityKind::Group],
                || path.key("asset"),
            );
            self.reference(
                &owner,
                id,
                "is about",
                &risk.threat,
                &[EntityKind::Threat],
                || path.key("threat"),
            );
            if let Some(who) = &risk.owner {
                self.reference(
                    &owner,
                    id,
                    "is owned by",
                    who,
                    &[EntityKind::Contact],
                    || path.key("owner"),
                );
            }
            if let Some(loss) = &risk.loss {
                self.amount_estimate(&owner, loss, &path.key("loss"));
            }
            for (field, value) in [("likelihood", risk.likelihood), ("impact", risk.impact)] {
                if let Some(v) = value
                    && !(1..=5).contains(&v)
                {
                    let message = format!("{owner} has {field} {v}; the matrix runs 1–5");
                    self.report(Code::Range, &path.key(field), message, [id]);
                }
            }
            for (j, control) in risk.controls.iter().enumerate() {
                let Some(reduces) = &control.reduces else {
                    continue;
                };
                for (field, value) in [("frequency", reduces.frequency), ("loss", reduces.loss)] {
                    if let Some(v) = value
                        && !range_ok(v, 0.0, 1.0)
                    {
                        let message = format!(
                            "control '{}' of {owner} removes {v} of the {field}; a fraction runs 0–1",
                            control.name
                        );
                        let at = path.key("controls").index(j).key("reduces").key(field);
                        self.report(Code::Range, &at, message, [id]);
                    }
                }
            }
        }
    }

    fn plans(&mut self) {
        for (i, plan) in self.model.plans.iter().enumerate() {
            let path = section("plans", i);
            let owner = Who("plan", plan.id.as_str());
            let id = plan.id.as_str();
            let covers = [EntityKind::Function, EntityKind::Asset, EntityKind::Group];
            self.references(
                &owner,
                id,
                "covers",
                &plan.covers,
                &covers,
                &path.key("covers"),
            );
            self.owner(&owner, id, plan.owner.as_ref(), &path);
            self.references(
                &owner,
                id,
                "names team",
                &plan.teams,
                &[EntityKind::Team],
                &path.key("teams"),
            );
            self.references(
                &owner,
                id,
                "names",
                &plan.contacts,
                &[EntityKind::Contact],
                &path.key("contacts"),
            );
            for (j, copy) in plan.copies.iter().enumerate() {
                let at = path.key("copies").index(j);
                if let Some(site) = &copy.site {
                    self.reference(
                        &owner,
                        id,
                        "keeps a copy at",
                        site,
                        &[EntityKind::Site],
                        || at.key("site"),
                    );
                }
                if let Some(location) = &copy.location {
                    self.geo(&owner, location, &at.key("location"));
                }
            }
        }
    }

    fn exercises(&mut self) {
        for (i, exercise) in self.model.exercises.iter().enumerate() {
            let path = section("exercises", i);
            let owner = Who("exercise", exercise.id.as_str());
            let id = exercise.id.as_str();
            self.references(
                &owner,
                id,
                "exercised",
                &exercise.plans,
                &[EntityKind::Plan],
                &path.key("plans"),
            );
            self.references(
                &owner,
                id,
                "had as participant",
                &exercise.participants,
                &[EntityKind::Contact],
                &path.key("participants"),
            );
            for target in exercise.achieved.keys() {
                let at = path.key("achieved").key(target.as_str());
                self.reference(
                    &owner,
                    id,
                    "measured a restore time for",
                    target,
                    NODE_KINDS,
                    || at.clone(),
                );
            }
        }
    }

    fn changes(&mut self) {
        for (i, change) in self.model.changes.iter().enumerate() {
            let path = section("changes", i).key("affects");
            let owner = Who("change", change.id.as_str());
            self.references(
                &owner,
                change.id.as_str(),
                "affects",
                &change.affects,
                ANY_KIND,
                &path,
            );
        }
    }

    fn assessments(&mut self) {
        for (i, assessment) in self.model.assessments.iter().enumerate() {
            let path = section("assessments", i);
            let owner = format!(
                "the {} assessment of {}",
                assessment.control, assessment.date
            );
            let id = assessment.id.as_ref().map(Id::as_str).unwrap_or_default();
            if let Some(assessor) = &assessment.assessor {
                self.reference(
                    &owner,
                    id,
                    "was made by",
                    assessor,
                    &[EntityKind::Contact],
                    || path.key("assessor"),
                );
            }
            let Some(catalog) = maturity::catalog(&assessment.control) else {
                continue;
            };
            for (j, criterion) in assessment.met.iter().enumerate() {
                if catalog.criterion(criterion).is_none() {
                    let message = format!(
                        "{owner} lists criterion '{criterion}', which {} does not have (L1.1–L{}.n)",
                        catalog.id, catalog.max_level
                    );
                    self.report(
                        Code::Ref,
                        &path.key("met").index(j),
                        message,
                        [criterion.as_str()],
                    );
                }
            }
        }
    }

    fn cycles(&mut self) {
        let nodes = self.model.functions.len() + self.model.assets.len() + self.model.vendors.len();
        if !self.duplicate_ids && acyclic(nodes, &self.edges) {
            return;
        }
        let graph = self.analyzer.graph();
        for cycle in graph.cycles() {
            let names: Vec<&str> = cycle.nodes.iter().map(|n| graph.id(*n)).collect();
            let Some(&start) = cycle.nodes.first() else {
                continue;
            };
            let Some(node) = graph.weight(start) else {
                continue;
            };
            let Some(edge) = graph.inner().edge_weight(cycle.first_edge) else {
                continue;
            };
            let entity = match node.kind {
                NodeKind::Function => section("functions", node.index),
                NodeKind::Asset | NodeKind::Group => section("assets", node.index),
                NodeKind::Vendor => section("vendors", node.index),
            };
            let path = match edge.origin {
                EdgeOrigin::DependsOn(j) => entity.key("depends_on").index(j),
                EdgeOrigin::Member(j) => entity.key("members").index(j),
            };
            let mut chain = names.join(" → ");
            if let Some(first) = names.first() {
                chain.push_str(" → ");
                chain.push_str(first);
            }
            let message = if names.len() == 1 {
                format!(
                    "circular dependency: '{}' depends on itself",
                    names.join("")
                )
            } else {
                format!("circular dependency: {chain}; none of these can be recovered first")
            };
            let entities: Vec<String> = names.iter().map(|s| (*s).to_owned()).collect();
            self.report(Code::Cycle, &path, message, entities);
        }
    }
}

/// Whether the graph of `nodes` nodes and `edges` (from, to) has no cycle: Kahn's algorithm over
/// flat arrays (a compressed adjacency of who depends on each node), linear and cache-friendly.
/// Edges naming a node out of range are ignored.
fn acyclic(nodes: usize, edges: &[(u32, u32)]) -> bool {
    let in_range = |&&(from, to): &&(u32, u32)| (from as usize) < nodes && (to as usize) < nodes;
    let mut pending = vec![0u32; nodes];
    // dependants[start[n]..start[n + 1]] are the nodes that depend on n.
    let mut start = vec![0usize; nodes + 1];
    for &(from, to) in edges.iter().filter(in_range) {
        if let Some(count) = pending.get_mut(from as usize) {
            *count += 1;
        }
        if let Some(slot) = start.get_mut(to as usize + 1) {
            *slot += 1;
        }
    }
    for n in 0..nodes {
        let before = start.get(n).copied().unwrap_or(0);
        if let Some(slot) = start.get_mut(n + 1) {
            *slot += before;
        }
    }
    let mut fill = start.clone();
    let mut dependants = vec![0u32; start.get(nodes).copied().unwrap_or(0)];
    for &(from, to) in edges.iter().filter(in_range) {
        if let Some(at) = fill.get_mut(to as usize) {
            if let Some(slot) = dependants.get_mut(*at) {
                *slot = from;
            }
            *at += 1;
        }
    }
    let mut ready: Vec<u32> = (0..nodes)
        .filter(|&n| pending.get(n) == Some(&0))
        .filter_map(|n| u32::try_from(n).ok())
        .collect();
    let mut done = 0usize;
    while let Some(n) = ready.pop() {
        done += 1;
        let n = n as usize;
        let range = start.get(n).copied().unwrap_or(0)..start.get(n + 1).copied().unwrap_or(0);
        for &d in dependants.get(range).unwrap_or(&[]) {
            if let Some(count) = pending.get_mut(d as usize) {
                *count -= 1;
                if *count == 0 {
                    ready.push(d);
                }
            }
        }
    }
    done == nodes
}

#[cfg(test)]
mod tests {
    use super::acyclic;
    use proptest::prelude::*;

    /// Independent oracle: a node is on a cycle iff it can reach itself; search from every node.
    fn has_cycle(nodes: usize, edges: &[(u32, u32)]) -> bool {
        (0..nodes).any(|s| {
            let mut seen = vec![false; nodes];
            let mut stack = vec![s];
            while let Some(n) = stack.pop() {
                for &(from, to) in edges {
                    if from as usize == n {
                        if to as usize == s {
                            return true;
                        }
                        if !seen[to as usize] {
                            seen[to as usize] = true;
                            stack.push(to as usize);
                        }
                    }
                }
            }
            false
        })
    }

    #[test]
    fn acyclic_on_hand_built_graphs() {
        assert!(acyclic(0, &[]));
        assert!(acyclic(3, &[(0, 1), (1, 2), (0, 2)]));
        assert!(!acyclic(1, &[(0, 0)]));
        assert!(!acyclic(3, &[(0, 1), (1, 2), (2, 0)]));
        // Out-of-range edges are ignored, not a panic.
        assert!(acyclic(2, &[(0, 7), (7, 0), (0, 1)]));
    }

    proptest! {
        #[test]
        fn acyclic_matches_reachability(
            nodes in 1usize..9,
            raw in prop::collection::vec((0u32..9, 0u32..9), 0..16),
        ) {
            let edges: Vec<(u32, u32)> = raw
                .into_iter()
                .filter(|(a, b)| (*a as usize) < nodes && (*b as usize) < nodes)
                .collect();
            prop_assert_eq!(acyclic(nodes, &edges), !has_cycle(nodes, &edges));
        }
    }
}
