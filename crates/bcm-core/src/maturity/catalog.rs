//! Control maturity catalogues: the SCF C|P-CMM criteria of the controls bcm assesses.
//!
//! The criteria are data, with stable IDs (`L2.4` is the fourth criterion of level 2), taken from
//! the maturity table of the control's SCF page. Assessments in a model name the criteria met.

/// One criterion an assessor looks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Criterion {
    /// Stable ID: `L<level>.<n>`.
    pub id: &'static str,
    /// The maturity level it belongs to (1–3).
    pub level: u8,
    /// What must exist.
    pub text: &'static str,
}

/// A control with its maturity criteria.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ControlCatalog {
    /// SCF control ID.
    pub id: &'static str,
    /// The control's name.
    pub name: &'static str,
    /// The control question.
    pub question: &'static str,
    /// SOC 2 criteria it maps to.
    pub soc2: &'static [&'static str],
    /// The highest level that applies (levels above are N/A for this control).
    pub max_level: u8,
    /// The criteria of levels 1 to `max_level`.
    pub criteria: &'static [Criterion],
}

impl ControlCatalog {
    /// The criterion `id`, if the control has it.
    pub fn criterion(&self, id: &str) -> Option<&'static Criterion> {
        self.criteria.iter().find(|c| c.id == id)
    }
}

const fn c(id: &'static str, level: u8, text: &'static str) -> Criterion {
    Criterion { id, level, text }
}

/// SCF BCD-12.2 Failover Capability.
pub const BCD_12_2: ControlCatalog = ControlCatalog {
    id: "BCD-12.2",
    name: "Failover Capability",
    question: "Does the organization implement real-time or near-real-time failover capability \
               to maintain availability of critical systems, applications and/or services?",
    soc2: &["A1.2"],
    max_level: 3,
    criteria: &[
        c(
            "L1.1",
            1,
            "IT personnel work with business stakeholders to identify business-critical systems and services, including internal teams and third-party service providers.",
        ),
        c(
            "L1.2",
            1,
            "IT personnel develop limited Disaster Recovery Plans (DRP) to recover business-critical systems and services.",
        ),
        c(
            "L1.3",
            1,
            "Business stakeholders develop limited Business Continuity Plans (BCPs) to ensure business-critical functions are sustainable both during and after an incident within Recovery Time Objectives (RTOs).",
        ),
        c(
            "L1.4",
            1,
            "Backups are performed ad-hoc and focus on business-critical systems.",
        ),
        c(
            "L1.5",
            1,
            "Limited technologies exist to support near real-time network infrastructure failover (e.g., redundant ISPs, redundant power, etc.).",
        ),
        c(
            "L2.1",
            2,
            "Business Continuity / Disaster Recovery (BC/DR) management is decentralized (e.g., a localized/regionalized function) and uses non-standardized methods to implement secure and compliant practices.",
        ),
        c(
            "L2.2",
            2,
            "IT/cybersecurity personnel identify cybersecurity & data privacy controls that are appropriate to address applicable statutory, regulatory and contractual requirements for BC/DR management.",
        ),
        c(
            "L2.3",
            2,
            "BC/DR roles are formally assigned as an additional duty to existing IT/cybersecurity personnel.",
        ),
        c(
            "L2.4",
            2,
            "Recovery Time Objectives (RTOs) identify business-critical systems and services, which are given priority of service in alternate processing and storage sites.",
        ),
        c(
            "L2.5",
            2,
            "IT personnel develop Disaster Recovery Plans (DRP) to recover business-critical systems and services.",
        ),
        c(
            "L2.6",
            2,
            "Data/process owners conduct a Business Impact Analysis (BIA) at least annually, or after any major technology or process change, to identify assets critical to the business in need of protection, as well as single points of failure.",
        ),
        c(
            "L2.7",
            2,
            "IT/cybersecurity personnel work with business stakeholders to develop Business Continuity Plans (BCPs) to ensure business functions are sustainable both during and after an incident within Recovery Time Objectives (RTOs).",
        ),
        c(
            "L2.8",
            2,
            "IT personnel use a backup methodology (e.g., grandfather, father & son rotation) to store backups in a secondary location, separate from the primary storage site.",
        ),
        c(
            "L2.9",
            2,
            "IT personnel configure business-critical systems to transfer backup data to the alternate storage site at a rate that is capable of meeting Recovery Time Objectives (RTOs) and Recovery Point Objectives (RPOs).",
        ),
        c(
            "L2.10",
            2,
            "Technologies exist to support business-critical application and services failover.",
        ),
        c(
            "L2.11",
            2,
            "Technologies exist to support network infrastructure failover (e.g., redundant ISPs, redundant power, etc.).",
        ),
        c(
            "L3.1",
            3,
            "A formal Business Continuity & Disaster Recovery (BC/DR) program exists with defined roles and responsibilities to restore functionality in the event of a catastrophe, emergency, or significant disruptive incident that is handled in accordance with the Continuity of Operations Plan (COOP).",
        ),
        c(
            "L3.2",
            3,
            "BC/DR personnel work with business stakeholders to identify business-critical systems, services, internal teams and third-party service providers.",
        ),
        c(
            "L3.3",
            3,
            "Application/system/process owners conduct a Business Impact Analysis (BIA) at least annually, or after any major technology or process change, to identify assets critical to the business in need of protection, as well as single points of failure.",
        ),
        c("L3.4", 3, "Recovery Time Objectives (RTOs) are defined."),
        c("L3.5", 3, "Recovery Point Objectives (RPOs) are defined."),
        c(
            "L3.6",
            3,
            "Controls are assigned to sensitive/regulated assets to comply with specific BC/DR requirements to facilitate recovery operations in accordance with RTOs and RPOs.",
        ),
        c(
            "L3.7",
            3,
            "IT personnel work with business stakeholders to develop Disaster Recovery Plans (DRP) to recover business-critical systems and services within RPOs.",
        ),
        c(
            "L3.8",
            3,
            "Business stakeholders work with IT personnel to develop Business Continuity Plans (BCPs) to ensure business functions are sustainable both during and after an incident within RTOs.",
        ),
        c(
            "L3.9",
            3,
            "The data backup function is formally assigned with defined roles and responsibilities.",
        ),
        c(
            "L3.10",
            3,
            "Technologies exist to support business-critical application and services failover.",
        ),
        c(
            "L3.11",
            3,
            "Technologies exist to support network infrastructure failover (e.g., redundant ISPs, redundant power, etc.).",
        ),
    ],
};

/// The catalogues bcm knows, by control ID.
pub const CATALOGS: &[ControlCatalog] = &[BCD_12_2];

/// The catalogue of control `id`, if bcm knows it.
pub fn catalog(id: &str) -> Option<&'static ControlCatalog> {
    CATALOGS.iter().find(|c| c.id == id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bcd_12_2_has_the_seed_tables_criteria() {
        let per_level = |l: u8| BCD_12_2.criteria.iter().filter(|c| c.level == l).count();
        assert_eq!((per_level(1), per_level(2), per_level(3)), (5, 11, 11));
        for criterion in BCD_12_2.criteria {
            let (level, _) = criterion.id[1..].split_once('.').unwrap();
            assert_eq!(
                level.parse::<u8>().unwrap(),
                criterion.level,
                "{}",
                criterion.id
            );
        }
        assert_eq!(
            catalog("BCD-12.2").unwrap().criterion("L3.5").unwrap().text,
            "Recovery Point Objectives (RPOs) are defined."
        );
        assert!(catalog("BCD-99").is_none());
    }
}
