//! Sites, people, teams and vendors: where things are, who stands in for whom (policy 5(e)),
//! who restores, and what third parties promise (policy 6).
//!
//! Invariant: each entity's findings are reported in the order of its fields' checks below, so
//! that a document's findings read top to bottom.

use crate::finding::Code;
use crate::model::Duration;

use super::references::{CONTACT, VENDOR, many, one};
use super::{Checker, Who, section};

impl Checker<'_> {
    pub(super) fn sites(&mut self) {
        for (i, site) in self.model.sites.iter().enumerate() {
            if let Some(location) = &site.location {
                let owner = Who("site", site.id.as_str());
                self.geo(&owner, location, &section("sites", i).key("location"));
            }
        }
    }

    pub(super) fn contacts(&mut self) {
        for (i, contact) in self.model.contacts.iter().enumerate() {
            let path = section("contacts", i);
            let owner = Who("contact", contact.id.as_str());
            let id = contact.id.as_str();
            let message = match &contact.alternate {
                None => format!("{owner} has no alternate (policy 5(e)(iv))"),
                Some(alternate) if alternate == &contact.id => {
                    format!("{owner} is their own alternate")
                }
                Some(alternate) => {
                    let alternate = one("alternate", "has as alternate", Some(alternate), CONTACT);
                    self.refs(&owner, id, &path, &[alternate]);
                    continue;
                }
            };
            self.report(Code::Alternate, &path.key("alternate"), message, [id]);
        }
        for (i, succession) in self.model.succession.iter().enumerate() {
            let owner = format!("the succession for '{}'", succession.role);
            let order = many("order", "lists", &succession.order, CONTACT);
            self.refs(&owner, "", &section("succession", i), &[order]);
        }
    }

    pub(super) fn teams(&mut self) {
        for (i, team) in self.model.teams.iter().enumerate() {
            let path = section("teams", i);
            let owner = Who("team", team.id.as_str());
            let id = team.id.as_str();
            let members = many("members", "has as a member", &team.members, CONTACT);
            self.refs(&owner, id, &path, &[members]);
            if team.capacity == Some(0) {
                let message = format!("{owner} has capacity 0: it could never restore anything");
                self.report(Code::Range, &path.key("capacity"), message, [id]);
            }
        }
    }

    pub(super) fn vendors(&mut self) {
        for (i, vendor) in self.model.vendors.iter().enumerate() {
            let path = section("vendors", i);
            let owner = Who("vendor", vendor.id.as_str());
            let id = vendor.id.as_str();
            let refs = [
                many(
                    "alternates",
                    "has as an alternate",
                    &vendor.alternates,
                    VENDOR,
                ),
                one(
                    "contact",
                    "has as contact",
                    vendor.contact.as_ref(),
                    CONTACT,
                ),
            ];
            self.refs(&owner, id, &path, &refs);
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
                let at = path.key("reliability").key("mtbf");
                self.report(Code::Range, &at, message, [id]);
            }
        }
    }
}
