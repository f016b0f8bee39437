//! The closed vocabularies of the format (`criticality: critical`, `kind: drp`, …).

use std::fmt;

use serde::{Serialize, Serializer};

/// A closed set of keywords: each variant has one spelling in the document.
pub trait Keyword: Sized + Copy + 'static {
    /// Every variant with its spelling, in the order the format documents them.
    const ALL: &'static [(&'static str, Self)];
    /// What the vocabulary is called in messages ("criticality").
    const WHAT: &'static str;

    /// The variant spelled `text`, if any.
    fn parse(text: &str) -> Option<Self> {
        Self::ALL.iter().find(|(s, _)| *s == text).map(|(_, v)| *v)
    }

    /// The accepted spellings, for messages: `critical | high | medium | low`.
    fn choices() -> String {
        Self::ALL
            .iter()
            .map(|(s, _)| *s)
            .collect::<Vec<_>>()
            .join(" | ")
    }
}

macro_rules! keyword {
    ($(#[$meta:meta])* $name:ident, $what:literal { $($(#[$vmeta:meta])* $variant:ident = $text:literal,)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// The spelling in the document.
            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text,)+
                }
            }
        }

        impl Keyword for $name {
            const ALL: &'static [(&'static str, Self)] = &[$(($text, $name::$variant),)+];
            const WHAT: &'static str = $what;
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        /// From its spelling (in analysis parameters and profiles; models are decoded with
        /// their own messages).
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let text = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
                <$name as Keyword>::parse(&text).ok_or_else(|| {
                    serde::de::Error::custom(format!(
                        "'{text}' is not a {} ({})",
                        $what,
                        <$name as Keyword>::choices()
                    ))
                })
            }
        }
    };
}

keyword! {
    /// How critical a business function is.
    Criticality, "criticality" {
        /// Cannot be interrupted beyond its MTD without jeopardising the organization.
        Critical = "critical",
        /// Important, recovered right after the critical ones.
        High = "high",
        /// Can wait days.
        Medium = "medium",
        /// Can wait until normal operations resume.
        Low = "low",
    }
}

keyword! {
    /// What an asset is.
    AssetKind, "asset kind" {
        /// An application or system.
        Application = "application",
        /// Data: a database, a file store, records.
        Data = "data",
        /// Hosts, storage, network, power.
        Infrastructure = "infrastructure",
        /// A building or work area.
        Facility = "facility",
        /// Key people or skills.
        People = "people",
        /// A service (internal or bought).
        Service = "service",
        /// A redundancy group: up while at least `min_up` of its members are up.
        Group = "group",
    }
}

keyword! {
    /// The policy glossary's classes of asset.
    AssetClass, "asset class" {
        /// Buildings and equipment.
        Physical = "physical",
        /// Currency, deposits, shares.
        Financial = "financial",
        /// Goodwill, reputation, information.
        NonTangible = "non-tangible",
    }
}

keyword! {
    /// What a site is for.
    SiteRole, "site role" {
        /// The main facility.
        Primary = "primary",
        /// An alternate site used when the primary is inaccessible.
        Alternate = "alternate",
        /// Off-site storage (backups, plan copies).
        Storage = "storage",
        /// Anything else.
        Other = "other",
    }
}

keyword! {
    /// How ready an alternate site is (policy glossary).
    Readiness, "site readiness" {
        /// Equipped with computing, telecom and environmental infrastructure.
        Hot = "hot",
        /// Partly equipped.
        Warm = "warm",
        /// Space and utilities only.
        Cold = "cold",
        /// A fully equipped alternate site owned and run by the organization.
        InternalHot = "internal-hot",
    }
}

keyword! {
    /// What a team does (policy 5(e)(iii)).
    TeamKind, "team kind" {
        /// Incident/event response.
        IncidentResponse = "incident-response",
        /// Emergency response.
        Emergency = "emergency",
        /// Disaster recovery: restores IT resources.
        Dr = "dr",
        /// Business continuity management.
        Bcm = "bcm",
        /// Crisis management and communications.
        CrisisManagement = "crisis-management",
        /// Business recovery: resumes business functions.
        BusinessRecovery = "business-recovery",
    }
}

keyword! {
    /// How a redundancy group fails over (SCF BCD-12.2).
    FailoverMode, "failover mode" {
        /// Automatic, without interruption.
        RealTime = "real-time",
        /// Automatic, within a short switchover.
        NearRealTime = "near-real-time",
        /// Someone has to act.
        Manual = "manual",
    }
}

keyword! {
    /// A threat's level (CRAMM).
    ThreatLevel, "threat level" {
        /// Very low.
        VeryLow = "very-low",
        /// Low.
        Low = "low",
        /// Medium.
        Medium = "medium",
        /// High.
        High = "high",
        /// Very high.
        VeryHigh = "very-high",
    }
}

keyword! {
    /// How vulnerable an asset is to a threat (CRAMM).
    Vulnerability, "vulnerability" {
        /// Low.
        Low = "low",
        /// Medium.
        Medium = "medium",
        /// High.
        High = "high",
    }
}

keyword! {
    /// The kinds of plan the policy requires.
    PlanKind, "plan kind" {
        /// Business continuity plan.
        Bcp = "bcp",
        /// Disaster recovery plan.
        Drp = "drp",
        /// Continuity of operations plan.
        Coop = "coop",
        /// Standard incident response procedures.
        IncidentResponse = "incident-response",
    }
}

keyword! {
    /// The plan sections of policy 5(a)–(g).
    PlanSection, "plan section" {
        /// 5(a) Scope / objectives.
        Scope = "scope",
        /// 5(b) Risk evaluation and required security controls.
        Risk = "risk",
        /// 5(c) Business impact analysis.
        Bia = "bia",
        /// 5(d) Communications procedures.
        Communications = "communications",
        /// 5(e) BCP organization structure.
        Organization = "organization",
        /// 5(f) Damage assessment.
        DamageAssessment = "damage-assessment",
        /// 5(g) Recovery plans.
        Recovery = "recovery",
    }
}

keyword! {
    /// Kinds of exercise (policy glossary).
    ExerciseKind, "exercise kind" {
        /// Table-top exercise.
        Tabletop = "tabletop",
        /// Desktop exercise.
        Desktop = "desktop",
        /// Simulation exercise.
        Simulation = "simulation",
        /// Operational exercise.
        Operational = "operational",
        /// Mock disaster.
        MockDisaster = "mock-disaster",
        /// Full rehearsal.
        FullRehearsal = "full-rehearsal",
        /// Pass/fail test of infrastructure.
        Test = "test",
    }
}

keyword! {
    /// How an exercise went.
    ExerciseResult, "exercise result" {
        /// Objectives met.
        Pass = "pass",
        /// Objectives not met.
        Fail = "fail",
        /// Some objectives met.
        Partial = "partial",
    }
}

keyword! {
    /// What kind of change makes plans stale (policy 9(a)–(f)).
    ChangeKind, "change kind" {
        /// 9(a) Change management implications.
        ChangeManagement = "change-management",
        /// 9(b) New or major upgrades of system implementations.
        Upgrade = "upgrade",
        /// 9(c) New policy adoption.
        Policy = "policy",
        /// 9(d) New contract implementations.
        Contract = "contract",
        /// 9(e) New threat or risk identification.
        Threat = "threat",
        /// 9(f) Staff, resource or responsibility changes.
        Staff = "staff",
    }
}
