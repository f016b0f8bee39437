//! The continuity model: the interchange format of DESIGN §3 as Rust types.
//!
//! A [`Model`] is loaded from YAML or JSON ([`Model::from_yaml_str`], [`Model::from_json_str`],
//! [`Model::from_reader`]) and saved back to both ([`Model::to_yaml`], [`Model::to_json`]);
//! `load(save(m)) == m`. Loading checks the document's shape (types, unknown keys, durations,
//! dates) and reports every problem at once; [`Model::validate`] checks what it means.

mod attributes;
mod date;
mod decode;
mod describe;
mod duration;
mod entities;
mod estimate;
mod id;
mod io;
mod keywords;
mod tree;

use std::collections::BTreeMap;

use serde::Serialize;

pub use attributes::{AttributeValue, Attributes};
pub use date::{Date, DateError};
pub use duration::{Duration, DurationError, MAX_DURATION_SECS};
pub use entities::{
    Assessment, Asset, AssetValue, Change, Contact, Control, Exercise, Function, GeoPoint,
    Organization, Plan, PlanCopy, Reduction, Reliability, Risk, Scenario, Site, Succession, Team,
    Threat, Vendor,
};
pub use estimate::{Estimate, Quantity, Z95};
pub use id::{Id, MAX_ID_LEN};
pub(crate) use io::yaml_value;
pub use io::{
    Format, Loaded, MAX_DOCUMENT_BYTES, ModelError, ReadError, data_value, load_document, read_text,
};
pub use keywords::{
    AssetClass, AssetKind, ChangeKind, Criticality, ExerciseKind, ExerciseResult, FailoverMode,
    Keyword, PlanKind, PlanSection, Readiness, SiteRole, TeamKind, ThreatLevel, Vulnerability,
};

/// The format version this library reads and writes (`bcm: 1`).
pub const FORMAT_VERSION: u64 = 1;

/// The impact categories used when `organization.impact_categories` is absent.
pub const DEFAULT_IMPACT_CATEGORIES: [&str; 4] =
    ["financial", "operational", "regulatory", "reputational"];

/// The largest amount of money the model accepts (a financial impact, a tolerance, a loss per
/// event): one quadrillion in the organization's currency. Sums over every function of a
/// document stay far below `f64::MAX`, so totals never overflow to infinity.
pub const MAX_AMOUNT: f64 = 1e15;

/// The category measured in money; every other category is a severity level 0–5.
pub const FINANCIAL: &str = "financial";

/// An organization's whole continuity model: one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    /// The format version (`bcm: 1`).
    #[serde(rename = "bcm")]
    pub version: u64,
    /// The organization and its continuity programme settings (all defaults when absent, and
    /// then left out when written).
    #[serde(skip_serializing_if = "Organization::is_default")]
    pub organization: Organization,
    /// Facilities: primary, alternate and storage sites.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sites: Vec<Site>,
    /// People, with their alternates.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
    /// Response and recovery teams.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<Team>,
    /// Orders of succession for key roles.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub succession: Vec<Succession>,
    /// Third parties.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub vendors: Vec<Vendor>,
    /// Critical business functions.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub functions: Vec<Function>,
    /// IT resources, data, facilities, people, services and redundancy groups.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assets: Vec<Asset>,
    /// Threats (CRAMM).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub threats: Vec<Threat>,
    /// Risks: an asset exposed to a threat.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub risks: Vec<Risk>,
    /// Disruptions whose loss comes from the BIA and the recovery model.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub scenarios: Vec<Scenario>,
    /// Continuity plans.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<Plan>,
    /// Exercises and tests of plans.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub exercises: Vec<Exercise>,
    /// Change events that can make plans stale.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub changes: Vec<Change>,
    /// Control assessments (e.g. SCF BCD-12.2).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub assessments: Vec<Assessment>,
    /// Free-form extra data.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: Attributes,
}

impl Model {
    /// The document's top-level keys: `bcm`, then its sections, in the order they are written
    /// (and findings are sorted).
    pub const KEYS: &'static [&'static str] = &[
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
        "scenarios",
        "plans",
        "exercises",
        "changes",
        "assessments",
        "attributes",
    ];

    /// An empty model of the organization `name`.
    pub fn new(name: impl Into<String>) -> Self {
        Model {
            version: FORMAT_VERSION,
            organization: Organization {
                name: name.into(),
                ..Organization::default()
            },
            sites: Vec::new(),
            contacts: Vec::new(),
            teams: Vec::new(),
            succession: Vec::new(),
            vendors: Vec::new(),
            functions: Vec::new(),
            assets: Vec::new(),
            threats: Vec::new(),
            risks: Vec::new(),
            scenarios: Vec::new(),
            plans: Vec::new(),
            exercises: Vec::new(),
            changes: Vec::new(),
            assessments: Vec::new(),
            attributes: Attributes::new(),
        }
    }
}

/// The currency of a model that declares none (DESIGN §3).
pub const DEFAULT_CURRENCY: &str = "USD";

impl Organization {
    /// Whether nothing is set: the organization of a document that has none.
    pub fn is_default(&self) -> bool {
        *self == Organization::default()
    }

    /// The currency of financial amounts: the declared one or the default (DESIGN §3).
    pub fn currency(&self) -> &str {
        self.currency.as_deref().unwrap_or(DEFAULT_CURRENCY)
    }

    /// The impact categories in force: the declared ones or the default four.
    pub fn categories(&self) -> Vec<&str> {
        match &self.impact_categories {
            Some(declared) => declared.iter().map(String::as_str).collect(),
            None => DEFAULT_IMPACT_CATEGORIES.to_vec(),
        }
    }
}

/// One point of a function's impact-over-time curve (a step function).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ImpactStep {
    /// Time since the disruption from which these values hold.
    pub after: Duration,
    /// Value per category: money for `financial`, a severity 0–5 otherwise; missing means 0.
    #[serde(flatten)]
    pub values: BTreeMap<String, f64>,
}

/// An edge "the owner depends on `id`".
#[derive(Debug, Clone, PartialEq)]
pub struct Dependency {
    /// What is depended on: a function, asset, group or vendor.
    pub id: Id,
    /// How long the dependent copes without it; `None` is a hard dependency (0).
    pub tolerance: Option<Duration>,
    /// Free-form extra data.
    pub attributes: Attributes,
}

impl Dependency {
    /// A hard dependency on `id`.
    pub fn hard(id: impl Into<Id>) -> Self {
        Dependency {
            id: id.into(),
            tolerance: None,
            attributes: Attributes::new(),
        }
    }

    /// A soft dependency on `id` that the dependent tolerates losing for `tolerance`.
    pub fn soft(id: impl Into<Id>, tolerance: Duration) -> Self {
        Dependency {
            tolerance: Some(tolerance),
            ..Dependency::hard(id)
        }
    }

    /// The tolerance in force: 0 for a hard dependency.
    pub fn tolerance(&self) -> Duration {
        self.tolerance.unwrap_or(Duration::ZERO)
    }
}

impl Serialize for Dependency {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        if self.tolerance.is_none() && self.attributes.is_empty() {
            return self.id.serialize(serializer);
        }
        let mut map = serializer.serialize_map(None)?;
        map.serialize_entry("id", &self.id)?;
        if let Some(tolerance) = &self.tolerance {
            map.serialize_entry("tolerance", tolerance)?;
        }
        if !self.attributes.is_empty() {
            map.serialize_entry("attributes", &self.attributes)?;
        }
        map.end()
    }
}

impl Site {
    /// A site `id` with nothing else set.
    pub fn new(id: impl Into<Id>) -> Self {
        Site {
            id: id.into(),
            name: None,
            role: None,
            readiness: None,
            location: None,
            address: None,
            attributes: Attributes::new(),
        }
    }
}

impl Function {
    /// A function named `id` with nothing else set.
    pub fn new(id: impl Into<Id>) -> Self {
        Function {
            id: id.into(),
            name: None,
            description: None,
            owner: None,
            criticality: None,
            site: None,
            mtd: None,
            rto: None,
            rpo: None,
            wrt: None,
            bia: None,
            resume: None,
            impacts: Vec::new(),
            depends_on: Vec::new(),
            attributes: Attributes::new(),
        }
    }
}

impl Asset {
    /// An asset `id` of `kind` with nothing else set.
    pub fn new(id: impl Into<Id>, kind: AssetKind) -> Self {
        Asset {
            id: id.into(),
            name: None,
            kind,
            description: None,
            class: None,
            site: None,
            vendor: None,
            team: None,
            owner: None,
            value: None,
            restore: None,
            backup_interval: None,
            reliability: None,
            depends_on: Vec::new(),
            members: Vec::new(),
            min_up: None,
            failover: None,
            failover_time: None,
            attributes: Attributes::new(),
        }
    }

    /// Whether it is a redundancy group.
    pub fn is_group(&self) -> bool {
        self.kind == AssetKind::Group
    }

    /// A group's minimum number of members up (default 1).
    pub fn min_up(&self) -> u32 {
        self.min_up.unwrap_or(1)
    }
}
