//! The entities of the model (DESIGN §3), each described once: its fields, in the order they are
//! written, and how each is read (see [`describe`](super::describe)).

use std::collections::BTreeMap;

use super::decode::Decoder as D;
use super::describe::entity;
use super::{
    AssetClass, AssetKind, Attributes, ChangeKind, Criticality, Date, Dependency, Duration,
    Estimate, ExerciseKind, ExerciseResult, FailoverMode, Id, ImpactStep, PlanKind, PlanSection,
    Quantity, Readiness, SiteRole, TeamKind, ThreatLevel, Vulnerability,
};

entity! {
    /// The organization and its programme settings.
    #[derive(Default)]
    pub struct Organization as "organization" {
        /// The organization's name.
        name: String = named(D::text),
        /// ISO 4217 code of the `financial` impact category (e.g. `USD`).
        currency: Option<String> = optional(D::text),
        /// How often plans must be reviewed (policy 8/9).
        review_interval: Option<Duration> = optional(D::duration),
        /// How often plans must be tested (policy 8: annually).
        test_interval: Option<Duration> = optional(D::duration),
        /// How often plan staff must be trained (policy 10).
        training_interval: Option<Duration> = optional(D::duration),
        /// Declared impact categories; `None` means [`DEFAULT_IMPACT_CATEGORIES`](super::DEFAULT_IMPACT_CATEGORIES).
        impact_categories: Option<Vec<String>> = custom(D::impact_categories),
        /// Per category, the impact level from which the organization finds it unacceptable.
        tolerance: BTreeMap<String, f64> = custom(D::tolerance),
        /// Free-form extra data.
        attributes: Attributes = attributes,
    }
}

entity! {
    /// A point on the globe, in decimal degrees.
    #[derive(Copy)]
    pub struct GeoPoint as "location" {
        /// Latitude, −90 to 90.
        lat: f64 = required(D::number),
        /// Longitude, −180 to 180.
        lon: f64 = required(D::number),
    }
}

entity! {
    /// A facility.
    pub struct Site as "site" {
        /// Identifier.
        id: Id = id,
        /// Display name.
        name: Option<String> = optional(D::text),
        /// What the site is for.
        role: Option<SiteRole> = optional(D::keyword),
        /// How ready it is to take over.
        readiness: Option<Readiness> = optional(D::keyword),
        /// Where it is (for the "sufficient distance" of policy 7).
        location: Option<GeoPoint> = optional(D::part),
        /// Postal address.
        address: Option<String> = optional(D::text),
        /// Free-form extra data.
        attributes: Attributes = attributes,
    }
}

entity! {
    /// A person on a contact list (personal data: reports can redact it).
    pub struct Contact as "contact" {
        /// Identifier.
        id: Id = id,
        /// Full name.
        name: Option<String> = optional(D::text),
        /// Job or continuity role.
        role: Option<String> = optional(D::text),
        /// Phone number.
        phone: Option<String> = optional(D::text),
        /// E-mail address.
        email: Option<String> = optional(D::text),
        /// The contact who stands in (policy 5(e)(iv)).
        alternate: Option<Id> = optional(D::id),
        /// When the person was last trained on the plans (policy 10).
        trained: Option<Date> = optional(D::date),
        /// Free-form extra data.
        attributes: Attributes = attributes,
    }
}

entity! {
    /// A response or recovery team.
    pub struct Team as "team" {
        /// Identifier.
        id: Id = id,
        /// Display name.
        name: Option<String> = optional(D::text),
        /// What the team does.
        kind: Option<TeamKind> = optional(D::keyword),
        /// Its people (contacts).
        members: Vec<Id> = ids,
        /// How many restores the team works on at once; `None` means 1.
        capacity: Option<u32> = optional(D::whole),
        /// Free-form extra data.
        attributes: Attributes = attributes,
    }
}

entity! {
    /// An order of succession for a role (policy 5(e)(ii)).
    pub struct Succession as "succession" {
        /// The role ("Agency Head").
        role: String = essential(D::text),
        /// Who holds it, in order (contacts).
        order: Vec<Id> = ids,
        /// Free-form extra data.
        attributes: Attributes = attributes,
    }
}

entity! {
    /// Time-to-failure figures for availability.
    #[derive(Copy)]
    pub struct Reliability as "reliability" {
        /// Mean time between failures.
        mtbf: Duration = required(D::duration),
        /// Mean time to repair.
        mttr: Duration = required(D::duration),
    }
}

entity! {
    /// A third party.
    pub struct Vendor as "vendor" {
        /// Identifier.
        id: Id = id,
        /// Display name.
        name: Option<String> = optional(D::text),
        /// Whether the contract obliges it to meet our continuity requirements (policy 6).
        bc_obligation: Option<bool> = optional(D::boolean),
        /// Vendors that could replace it (policy 6).
        alternates: Vec<Id> = ids,
        /// Contractual recovery time.
        restore: Option<Estimate<Duration>> = optional(D::duration_estimate),
        /// Our contact person for it.
        contact: Option<Id> = optional(D::id),
        /// Its failure figures.
        reliability: Option<Reliability> = optional(D::part),
        /// Free-form extra data.
        attributes: Attributes = attributes,
    }
}

entity! {
    /// A critical business function.
    pub struct Function as "function" {
        /// Identifier.
        id: Id = id,
        /// Display name.
        name: Option<String> = optional(D::text),
        /// What it does.
        description: Option<String> = optional(D::text),
        /// The accountable person (a contact).
        owner: Option<Id> = optional(D::id),
        /// How critical it is.
        criticality: Option<Criticality> = optional(D::keyword),
        /// Where it is performed.
        site: Option<Id> = optional(D::id),
        /// Maximum tolerable downtime (MTPD).
        mtd: Option<Duration> = optional(D::duration),
        /// Recovery time objective.
        rto: Option<Duration> = optional(D::duration),
        /// Recovery point objective.
        rpo: Option<Duration> = optional(D::duration),
        /// Work recovery time: RTO + WRT must not exceed MTD.
        wrt: Option<Duration> = optional(D::duration),
        /// Date of its last business impact analysis (plan currency: a BIA is due when older
        /// than the review interval or than a change to what the function needs).
        bia: Option<Date> = optional(D::date),
        /// Time to resume the function once what it needs is up.
        resume: Option<Estimate<Duration>> = optional(D::duration_estimate),
        /// Impact over time since the disruption.
        impacts: Vec<ImpactStep> = custom(D::impacts),
        /// What it needs.
        depends_on: Vec<Dependency> = list(D::dependency),
        /// Free-form extra data.
        attributes: Attributes = attributes,
    }
}

entity! {
    /// CRAMM asset values, 1–10 each.
    #[derive(Copy, Eq, Default)]
    pub struct AssetValue as "asset value" {
        /// Value of its confidentiality.
        confidentiality: Option<u8> = optional(D::whole),
        /// Value of its integrity.
        integrity: Option<u8> = optional(D::whole),
        /// Value of its availability.
        availability: Option<u8> = optional(D::whole),
    }
}

entity! {
    /// An IT resource, data set, facility, person, service, or a redundancy group of them.
    ///
    /// A redundancy group (`kind: group`) is up while at least `min_up` of its `members` are up;
    /// its members are hard dependencies. The group fields are only meaningful on a group.
    pub struct Asset as "asset" {
        /// Identifier.
        id: Id = id,
        /// Display name.
        name: Option<String> = optional(D::text),
        /// What it is.
        kind: AssetKind = essential(D::keyword),
        /// What it does.
        description: Option<String> = optional(D::text),
        /// Policy glossary class.
        class: Option<AssetClass> = optional(D::keyword),
        /// Where it is; losing the site loses it.
        site: Option<Id> = optional(D::id),
        /// Who supplies it; losing the vendor loses it.
        vendor: Option<Id> = optional(D::id),
        /// The team that restores it.
        team: Option<Id> = optional(D::id),
        /// The accountable person (a contact).
        owner: Option<Id> = optional(D::id),
        /// CRAMM asset values.
        value: Option<AssetValue> = optional(D::part),
        /// Time to restore it after it is lost.
        restore: Option<Estimate<Duration>> = optional(D::duration_estimate),
        /// Time between backups: the achievable RPO.
        backup_interval: Option<Duration> = optional(D::duration),
        /// Its failure figures.
        reliability: Option<Reliability> = optional(D::part),
        /// What it needs.
        depends_on: Vec<Dependency> = list(D::dependency),
        /// A group's members: assets, groups or vendors.
        members: Vec<Id> = ids,
        /// A group's minimum number of members up; `None` means 1.
        min_up: Option<u32> = optional(D::whole),
        /// A group's failover mode.
        failover: Option<FailoverMode> = optional(D::keyword),
        /// A group's switchover time when a member is lost; `None` means 0.
        failover_time: Option<Duration> = optional(D::duration),
        /// Free-form extra data.
        attributes: Attributes = attributes,
    }
}

entity! {
    /// A threat (CRAMM step 2).
    pub struct Threat as "threat" {
        /// Identifier.
        id: Id = id,
        /// Display name.
        name: Option<String> = optional(D::text),
        /// What it is.
        description: Option<String> = optional(D::text),
        /// Its level.
        level: Option<ThreatLevel> = optional(D::keyword),
        /// Events per year.
        frequency: Option<Quantity> = optional(D::quantity),
        /// Free-form extra data.
        attributes: Attributes = attributes,
    }
}

entity! {
    /// The fractions of a risk that a control removes (0.5 halves it).
    #[derive(Copy, Default)]
    pub struct Reduction as "reduction" {
        /// Fraction of the event frequency removed.
        frequency: Option<f64> = optional(D::number),
        /// Fraction of the loss per event removed.
        loss: Option<f64> = optional(D::number),
    }
}

entity! {
    /// A control applied to a risk.
    pub struct Control as "control" {
        /// What the control is.
        name: String = required(D::text),
        /// What it removes.
        reduces: Option<Reduction> = optional(D::part),
        /// What it costs per year, in the organization's currency (for its return).
        cost: Option<f64> = optional(D::number),
        /// Free-form extra data.
        attributes: Attributes = attributes,
    }
}

entity! {
    /// A risk: an asset exposed to a threat.
    pub struct Risk as "risk" {
        /// Identifier.
        id: Id = id,
        /// Display name.
        name: Option<String> = optional(D::text),
        /// The asset at risk.
        asset: Id = essential(D::id),
        /// The threat.
        threat: Id = essential(D::id),
        /// How vulnerable the asset is to the threat.
        vulnerability: Option<Vulnerability> = optional(D::keyword),
        /// Loss per event, in the organization's currency.
        loss: Option<Quantity> = optional(D::quantity),
        /// Likelihood on the qualitative matrix, 1–5.
        likelihood: Option<u8> = optional(D::whole),
        /// Impact on the qualitative matrix, 1–5.
        impact: Option<u8> = optional(D::whole),
        /// The accountable person.
        owner: Option<Id> = optional(D::id),
        /// Controls in place.
        controls: Vec<Control> = counted(D::part),
        /// Free-form extra data.
        attributes: Attributes = attributes,
    }
}

entity! {
    /// A disruption whose loss comes from the BIA and the recovery model: failure units lost
    /// together, at some frequency (DESIGN §4.H.4).
    pub struct Scenario as "scenario" {
        /// Identifier.
        id: Id = id,
        /// Display name.
        name: Option<String> = optional(D::text),
        /// The failure units lost (assets, groups, sites, vendors).
        lose: Vec<Id> = ids,
        /// Events per year.
        frequency: Option<Quantity> = optional(D::quantity),
        /// The threat it comes from.
        threat: Option<Id> = optional(D::id),
        /// Free-form extra data.
        attributes: Attributes = attributes,
    }
}

entity! {
    /// Where a copy of a plan is kept (policy 7).
    #[derive(Default)]
    pub struct PlanCopy as "plan copy" {
        /// The site holding it.
        site: Option<Id> = optional(D::id),
        /// Where it is, when not at a site of the model.
        location: Option<GeoPoint> = optional(D::part),
        /// How it is kept or reached ("paper", "remote access", "external e-mail").
        medium: Option<String> = optional(D::text),
        /// Free-form extra data.
        attributes: Attributes = attributes,
    }
}

entity! {
    /// A continuity plan.
    pub struct Plan as "plan" {
        /// Identifier.
        id: Id = id,
        /// Display name.
        name: Option<String> = optional(D::text),
        /// What kind of plan.
        kind: PlanKind = essential(D::keyword),
        /// The functions and assets it covers.
        covers: Vec<Id> = ids,
        /// The accountable person.
        owner: Option<Id> = optional(D::id),
        /// The sections of policy 5 it contains.
        sections: Vec<PlanSection> = counted(D::keyword),
        /// Teams that carry it out.
        teams: Vec<Id> = ids,
        /// Other people it names.
        contacts: Vec<Id> = ids,
        /// Last review.
        reviewed: Option<Date> = optional(D::date),
        /// Last test.
        tested: Option<Date> = optional(D::date),
        /// Whether management approved it.
        approved: bool = flag,
        /// Whether it is published to the people who need it (policy 10).
        published: bool = flag,
        /// Where copies are kept (policy 7).
        copies: Vec<PlanCopy> = list(D::plan_copy),
        /// Free-form extra data.
        attributes: Attributes = attributes,
    }
}

entity! {
    /// An exercise or test of plans.
    pub struct Exercise as "exercise" {
        /// Identifier.
        id: Id = id,
        /// Display name.
        name: Option<String> = optional(D::text),
        /// What kind of exercise.
        kind: ExerciseKind = essential(D::keyword),
        /// When it took place.
        date: Date = essential(D::date),
        /// The plans exercised.
        plans: Vec<Id> = ids,
        /// How it went.
        result: Option<ExerciseResult> = optional(D::keyword),
        /// Measured restore times, by asset, vendor or function.
        achieved: BTreeMap<Id, Duration> = custom(D::achieved),
        /// What it found.
        findings: Vec<String> = list(D::text_kept),
        /// Who took part.
        participants: Vec<Id> = ids,
        /// Free-form extra data.
        attributes: Attributes = attributes,
    }
}

entity! {
    /// A change event (policy 9).
    pub struct Change as "change" {
        /// Identifier.
        id: Id = id,
        /// What kind of change.
        kind: ChangeKind = essential(D::keyword),
        /// When it happened.
        date: Date = essential(D::date),
        /// What it affects; empty means the whole organization.
        affects: Vec<Id> = ids,
        /// What changed.
        summary: Option<String> = optional(D::text),
        /// Free-form extra data.
        attributes: Attributes = attributes,
    }
}

entity! {
    /// A control assessment: which maturity criteria were found met.
    pub struct Assessment as "assessment" {
        /// Identifier, if the assessment needs to be referred to.
        id: Option<Id> = optional(D::id),
        /// The control assessed (`BCD-12.2`).
        control: String = essential(D::text),
        /// When.
        date: Date = essential(D::date),
        /// The criteria found met (`L2.4`).
        met: Vec<String> = list(D::text_kept),
        /// Who assessed (a contact).
        assessor: Option<Id> = optional(D::id),
        /// Free-form notes.
        notes: Option<String> = optional(D::text),
        /// Free-form extra data.
        attributes: Attributes = attributes,
    }
}
