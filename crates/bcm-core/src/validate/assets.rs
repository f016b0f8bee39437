//! Assets and redundancy groups: where an asset is, who supplies and restores it, its CRAMM values
//! and reliability, its restore time; a group's members and `min_up`, and no field on one kind
//! that only the other has (`E-GROUP`, `E-RANGE`, `W-NO-RESTORE`, `W-NO-OWNER`).
//!
//! Invariant: each asset's findings are reported in the order of its fields' checks below; every
//! resolved `depends_on` and member edge is recorded for the cycle check.

use std::collections::HashSet;

use crate::finding::{Code, Pointer};
use crate::model::{Asset, Duration};

use super::references::{CONTACT, EntityKind, MEMBER, SITE, TEAM, VENDOR, one};
use super::{Checker, Owner, Who, section};

impl Checker<'_> {
    pub(super) fn assets(&mut self) {
        for (i, a) in self.model.assets.iter().enumerate() {
            let path = section("assets", i);
            let noun = if a.is_group() { "group" } else { "asset" };
            let owner = Who(noun, a.id.as_str());
            let id = a.id.as_str();
            let refs = [
                one("site", "is located at", a.site.as_ref(), SITE),
                one("vendor", "is supplied by", a.vendor.as_ref(), VENDOR),
                one("team", "is restored by", a.team.as_ref(), TEAM),
            ];
            self.refs(&owner, id, &path, &refs);
            let from = self.node_number(EntityKind::Asset, i);
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

    pub(super) fn group(&mut self, owner: Owner<'_>, from: u32, a: &Asset, path: &Pointer) {
        let id = a.id.as_str();
        let members = path.key("members");
        for (j, member) in a.members.iter().enumerate() {
            let at = || members.index(j);
            if let Some(to) = self.reference(owner, id, "has as a member", member, MEMBER, at) {
                self.edges.push((from, to));
            }
        }
        // A group needs no owner of its own (its members have theirs), but one it names exists.
        self.refs(
            owner,
            id,
            path,
            &[one("owner", "is owned by", a.owner.as_ref(), CONTACT)],
        );
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

    pub(super) fn not_group(&mut self, owner: Owner<'_>, a: &Asset, path: &Pointer) {
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
}
