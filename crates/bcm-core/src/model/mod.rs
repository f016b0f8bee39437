//! The continuity model: the interchange format of DESIGN §3 as Rust types.
//!
//! A [`Model`] is loaded from YAML or JSON ([`Model::from_yaml_str`], [`Model::from_json_str`],
//! [`Model::from_reader`]) and saved back to both ([`Model::to_yaml`], [`Model::to_json`]);
//! `load(save(m)) == m`. Loading checks the document's shape (types, unknown keys, durations,
//! dates) and reports every problem at once; [`Model::validate`] checks what it means.

mod date;
mod decode;
mod duration;
mod estimate;
mod id;
mod io;
mod keywords;
mod tree;

use std::collections::BTreeMap;

use serde::Serialize;

pub use date::{Date, DateError};
pub use duration::{Duration, DurationError, MAX_DURATION_SECS};
pub use estimate::Estimate;
pub use id::{Id, MAX_ID_LEN};
pub use io::{Format, Loaded, MAX_DOCUMENT_BYTES, ModelError, ReadError, load_document, read_text};
pub use keywords::{
    AssetClass, AssetKind, ChangeKind, Criticality, ExerciseKind, ExerciseResult, FailoverMode,
    Keyword, PlanKind, PlanSection, Readiness, SiteRole, TeamKind, ThreatLevel, Vulnerability,
};

/// The format version this library reads and writes (`bcm: 1`).
pub const FORMAT_VERSION: u64 = 1;

/// Free-form extra data on an entity, kept and saved untouched.
pub type Attributes = BTreeMap<String, serde_json::Value>;

/// The impact categories used when `organization.impact_categories` is absent.
pub const DEFAULT_IMPACT_CATEGORIES: [&str; 4] =
    ["financial", "operational", "regulatory", "reputational"];

/// The category measured in money; every other category is a severity level 0–5.
pub const FINANCIAL: &str = "financial";

fn is_false(b: &bool) -> bool {
    !*b
}

/// An organization's whole continuity model: one document.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Model {
    /// The format version (`bcm: 1`).
    #[serde(rename = "bcm")]
    pub version: u64,
    /// The organization and its continuity programme settings.
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
            plans: Vec::new(),
            exercises: Vec::new(),
            changes: Vec::new(),
            assessments: Vec::new(),
            attributes: Attributes::new(),
        }
    }
}

/// The organization and its programme settings.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Organization {
    /// The organization's name.
    pub name: String,
    /// ISO 4217 code of the `financial` impact category (e.g. `USD`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub currency: Option<String>,
    /// How often plans must be reviewed (policy 8/9).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub review_interval: Option<Duration>,
    /// How often plans must be tested (policy 8: annually).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub test_interval: Option<Duration>,
    /// How often plan staff must be trained (policy 10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub training_interval: Option<Duration>,
    /// Declared impact categories; `None` means [`DEFAULT_IMPACT_CATEGORIES`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact_categories: Option<Vec<String>>,
    /// Per category, the impact level from which the organization finds it unacceptable.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub tolerance: BTreeMap<String, f64>,
    /// Free-form extra data.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: Attributes,
}

impl Organization {
    /// The impact categories in force: the declared ones or the default four.
    pub fn categories(&self) -> Vec<&str> {
        match &self.impact_categories {
            Some(declared) => declared.iter().map(String::as_str).collect(),
            None => DEFAULT_IMPACT_CATEGORIES.to_vec(),
        }
    }
}

/// A point on the globe, in decimal degrees.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct GeoPoint {
    /// Latitude, −90 to 90.
    pub lat: f64,
    /// Longitude, −180 to 180.
    pub lon: f64,
}

/// A facility.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Site {
    /// Identifier.
    pub id: Id,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the site is for.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<SiteRole>,
    /// How ready it is to take over.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub readiness: Option<Readiness>,
    /// Where it is (for the "sufficient distance" of policy 7).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<GeoPoint>,
    /// Postal address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    /// Free-form extra data.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: Attributes,
}

/// A person on a contact list (personal data: reports can redact it).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contact {
    /// Identifier.
    pub id: Id,
    /// Full name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Job or continuity role.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
    /// Phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// E-mail address.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The contact who stands in (policy 5(e)(iv)).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub alternate: Option<Id>,
    /// When the person was last trained on the plans (policy 10).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trained: Option<Date>,
    /// Free-form extra data.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: Attributes,
}

/// A response or recovery team.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Team {
    /// Identifier.
    pub id: Id,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What the team does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<TeamKind>,
    /// Its people (contacts).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Id>,
    /// How many restores the team works on at once; `None` means 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub capacity: Option<u32>,
    /// Free-form extra data.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: Attributes,
}

/// An order of succession for a role (policy 5(e)(ii)).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Succession {
    /// The role ("Agency Head").
    pub role: String,
    /// Who holds it, in order (contacts).
    pub order: Vec<Id>,
    /// Free-form extra data.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: Attributes,
}

/// Time-to-failure figures for availability.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Reliability {
    /// Mean time between failures.
    pub mtbf: Duration,
    /// Mean time to repair.
    pub mttr: Duration,
}

/// A third party.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Vendor {
    /// Identifier.
    pub id: Id,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Whether the contract obliges it to meet our continuity requirements (policy 6).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bc_obligation: Option<bool>,
    /// Vendors that could replace it (policy 6).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternates: Vec<Id>,
    /// Contractual recovery time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restore: Option<Estimate<Duration>>,
    /// Our contact person for it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub contact: Option<Id>,
    /// Its failure figures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reliability: Option<Reliability>,
    /// Free-form extra data.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: Attributes,
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

/// A critical business function.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Function {
    /// Identifier.
    pub id: Id,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The accountable person (a contact).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Id>,
    /// How critical it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub criticality: Option<Criticality>,
    /// Where it is performed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<Id>,
    /// Maximum tolerable downtime (MTPD).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub mtd: Option<Duration>,
    /// Recovery time objective.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rto: Option<Duration>,
    /// Recovery point objective.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rpo: Option<Duration>,
    /// Work recovery time: RTO + WRT must not exceed MTD.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub wrt: Option<Duration>,
    /// Time to resume the function once what it needs is up.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resume: Option<Estimate<Duration>>,
    /// Impact over time since the disruption.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub impacts: Vec<ImpactStep>,
    /// What it needs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<Dependency>,
    /// Free-form extra data.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: Attributes,
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
            resume: None,
            impacts: Vec::new(),
            depends_on: Vec::new(),
            attributes: Attributes::new(),
        }
    }
}

/// CRAMM asset values, 1–10 each.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct AssetValue {
    /// Value of its confidentiality.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub confidentiality: Option<u8>,
    /// Value of its integrity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub integrity: Option<u8>,
    /// Value of its availability.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub availability: Option<u8>,
}

/// An IT resource, data set, facility, person, service, or a redundancy group of them.
///
/// A redundancy group (`kind: group`) is up while at least `min_up` of its `members` are up; its
/// members are hard dependencies. The group fields are only meaningful on a group.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Asset {
    /// Identifier.
    pub id: Id,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What it is.
    pub kind: AssetKind,
    /// What it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Policy glossary class.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub class: Option<AssetClass>,
    /// Where it is; losing the site loses it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<Id>,
    /// Who supplies it; losing the vendor loses it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vendor: Option<Id>,
    /// The team that restores it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<Id>,
    /// The accountable person (a contact).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Id>,
    /// CRAMM asset values.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<AssetValue>,
    /// Time to restore it after it is lost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub restore: Option<Estimate<Duration>>,
    /// Time between backups: the achievable RPO.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub backup_interval: Option<Duration>,
    /// Its failure figures.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reliability: Option<Reliability>,
    /// What it needs.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub depends_on: Vec<Dependency>,
    /// A group's members: assets, groups or vendors.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub members: Vec<Id>,
    /// A group's minimum number of members up; `None` means 1.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_up: Option<u32>,
    /// A group's failover mode.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failover: Option<FailoverMode>,
    /// A group's switchover time when a member is lost; `None` means 0.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub failover_time: Option<Duration>,
    /// Free-form extra data.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: Attributes,
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

/// A threat (CRAMM step 2).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Threat {
    /// Identifier.
    pub id: Id,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What it is.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Its level.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<ThreatLevel>,
    /// Events per year.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frequency: Option<Estimate<f64>>,
    /// Free-form extra data.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: Attributes,
}

/// The fractions of a risk that a control removes (0.5 halves it).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct Reduction {
    /// Fraction of the event frequency removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub frequency: Option<f64>,
    /// Fraction of the loss per event removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loss: Option<f64>,
}

/// A control applied to a risk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Control {
    /// What the control is.
    pub name: String,
    /// What it removes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reduces: Option<Reduction>,
    /// Free-form extra data.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: Attributes,
}

/// A risk: an asset exposed to a threat.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Risk {
    /// Identifier.
    pub id: Id,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The asset at risk.
    pub asset: Id,
    /// The threat.
    pub threat: Id,
    /// How vulnerable the asset is to the threat.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub vulnerability: Option<Vulnerability>,
    /// Loss per event, in the organization's currency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub loss: Option<Estimate<f64>>,
    /// Likelihood on the qualitative matrix, 1–5.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub likelihood: Option<u8>,
    /// Impact on the qualitative matrix, 1–5.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impact: Option<u8>,
    /// The accountable person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Id>,
    /// Controls in place.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub controls: Vec<Control>,
    /// Free-form extra data.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: Attributes,
}

/// Where a copy of a plan is kept (policy 7).
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct PlanCopy {
    /// The site holding it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub site: Option<Id>,
    /// Where it is, when not at a site of the model.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<GeoPoint>,
    /// How it is kept or reached ("paper", "remote access", "external e-mail").
    #[serde(skip_serializing_if = "Option::is_none")]
    pub medium: Option<String>,
    /// Free-form extra data.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: Attributes,
}

/// A continuity plan.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    /// Identifier.
    pub id: Id,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What kind of plan.
    pub kind: PlanKind,
    /// The functions and assets it covers.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub covers: Vec<Id>,
    /// The accountable person.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<Id>,
    /// The sections of policy 5 it contains.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub sections: Vec<PlanSection>,
    /// Teams that carry it out.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub teams: Vec<Id>,
    /// Other people it names.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Id>,
    /// Last review.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reviewed: Option<Date>,
    /// Last test.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tested: Option<Date>,
    /// Whether management approved it.
    #[serde(skip_serializing_if = "is_false")]
    pub approved: bool,
    /// Whether it is published to the people who need it (policy 10).
    #[serde(skip_serializing_if = "is_false")]
    pub published: bool,
    /// Where copies are kept (policy 7).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub copies: Vec<PlanCopy>,
    /// Free-form extra data.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: Attributes,
}

/// An exercise or test of plans.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Exercise {
    /// Identifier.
    pub id: Id,
    /// Display name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// What kind of exercise.
    pub kind: ExerciseKind,
    /// When it took place.
    pub date: Date,
    /// The plans exercised.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub plans: Vec<Id>,
    /// How it went.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub result: Option<ExerciseResult>,
    /// Measured restore times, by asset, vendor or function.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub achieved: BTreeMap<Id, Duration>,
    /// What it found.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub findings: Vec<String>,
    /// Who took part.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub participants: Vec<Id>,
    /// Free-form extra data.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: Attributes,
}

/// A change event (policy 9).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Change {
    /// Identifier.
    pub id: Id,
    /// What kind of change.
    pub kind: ChangeKind,
    /// When it happened.
    pub date: Date,
    /// What it affects; empty means the whole organization.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub affects: Vec<Id>,
    /// What changed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub summary: Option<String>,
    /// Free-form extra data.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: Attributes,
}

/// A control assessment: which maturity criteria were found met.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assessment {
    /// Identifier, if the assessment needs to be referred to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub id: Option<Id>,
    /// The control assessed (`BCD-12.2`).
    pub control: String,
    /// When.
    pub date: Date,
    /// The criteria found met (`L2.4`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub met: Vec<String>,
    /// Who assessed (a contact).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub assessor: Option<Id>,
    /// Free-form notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Free-form extra data.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: Attributes,
}
