//! Identifiers and references: every ID well formed and defined once, every reference naming an
//! entity of a kind the field allows (`E-ID`, `E-DUP-ID`, `E-REF`, `E-REF-KIND`).
//!
//! Invariant: the registry holds the first definition of every ID with its kind and, for
//! functions, assets, groups and vendors, its dependency-graph node number (the numbering of
//! [`crate::graph::DependencyGraph`]: functions, then assets, then vendors). A reference is
//! resolved through it once; its path and message are built only for a finding, since a large
//! model has hundreds of thousands of sound references.

use crate::finding::{Code, Pointer};
use crate::model::{Dependency, Id};

use super::{Checker, Owner, section};

/// What an identified entity is, for reference checks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum EntityKind {
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
    Scenario,
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
            EntityKind::Scenario => "a scenario",
        }
    }
}

// What each kind of reference may name.
pub(super) const SITE: &[EntityKind] = &[EntityKind::Site];
pub(super) const CONTACT: &[EntityKind] = &[EntityKind::Contact];
pub(super) const TEAM: &[EntityKind] = &[EntityKind::Team];
pub(super) const VENDOR: &[EntityKind] = &[EntityKind::Vendor];
pub(super) const THREAT: &[EntityKind] = &[EntityKind::Threat];
pub(super) const PLAN: &[EntityKind] = &[EntityKind::Plan];
/// What a risk concerns.
pub(super) const ASSET: &[EntityKind] = &[EntityKind::Asset, EntityKind::Group];
/// What a plan covers.
pub(super) const COVERABLE: &[EntityKind] =
    &[EntityKind::Function, EntityKind::Asset, EntityKind::Group];
/// What a scenario loses: failure units.
pub(super) const UNIT: &[EntityKind] = &[
    EntityKind::Asset,
    EntityKind::Group,
    EntityKind::Site,
    EntityKind::Vendor,
];
/// What a redundancy group's members are.
pub(super) const MEMBER: &[EntityKind] =
    &[EntityKind::Asset, EntityKind::Group, EntityKind::Vendor];
/// The nodes of the dependency graph: what `depends_on` and measured restores name.
pub(super) const NODE: &[EntityKind] = &[
    EntityKind::Function,
    EntityKind::Asset,
    EntityKind::Group,
    EntityKind::Vendor,
];
/// What a change may affect: anything.
pub(super) const ANY: &[EntityKind] = &[
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
    EntityKind::Scenario,
];

fn list(kinds: &[EntityKind]) -> String {
    let nouns: Vec<&str> = kinds.iter().map(|k| k.noun()).collect();
    match nouns.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

/// Not a node of the dependency graph.
pub(super) const NOT_A_NODE: u32 = u32::MAX;

/// What one reference field of an entity names: one ID (or none) or a list of them.
pub(super) enum Targets<'a> {
    One(Option<&'a Id>),
    Many(&'a [Id]),
}

/// One reference field of an entity: its key, how a message says it ("is located at"), what it
/// names and what it may name. The checks of a section list their fields as a table of these.
pub(super) struct Ref<'a> {
    key: &'a str,
    relation: &'static str,
    targets: Targets<'a>,
    allowed: &'static [EntityKind],
}

/// A field naming one entity, if set.
pub(super) fn one<'a>(
    key: &'a str,
    relation: &'static str,
    target: Option<&'a Id>,
    allowed: &'static [EntityKind],
) -> Ref<'a> {
    Ref {
        key,
        relation,
        targets: Targets::One(target),
        allowed,
    }
}

/// A field listing entities.
pub(super) fn many<'a>(
    key: &'static str,
    relation: &'static str,
    targets: &'a [Id],
    allowed: &'static [EntityKind],
) -> Ref<'a> {
    Ref {
        key,
        relation,
        targets: Targets::Many(targets),
        allowed,
    }
}

impl<'m> Checker<'m> {
    /// Checks every ID's form and uniqueness, and records the first definition of each.
    pub(super) fn identifiers(&mut self) {
        let m = self.model;
        let group_or_asset = |a: &crate::model::Asset| {
            if a.is_group() {
                EntityKind::Group
            } else {
                EntityKind::Asset
            }
        };
        // (id, kind, section, index) in document order: the path is built only for a finding.
        let mut defined: Vec<(&'m Id, EntityKind, &'static str, usize)> = Vec::new();
        let mut add = |name: &'static str, ids: &mut dyn Iterator<Item = (&'m Id, EntityKind)>| {
            defined.extend(ids.enumerate().map(|(i, (id, kind))| (id, kind, name, i)));
        };
        add(
            "sites",
            &mut m.sites.iter().map(|x| (&x.id, EntityKind::Site)),
        );
        add(
            "contacts",
            &mut m.contacts.iter().map(|x| (&x.id, EntityKind::Contact)),
        );
        add(
            "teams",
            &mut m.teams.iter().map(|x| (&x.id, EntityKind::Team)),
        );
        add(
            "vendors",
            &mut m.vendors.iter().map(|x| (&x.id, EntityKind::Vendor)),
        );
        add(
            "functions",
            &mut m.functions.iter().map(|x| (&x.id, EntityKind::Function)),
        );
        add(
            "assets",
            &mut m.assets.iter().map(|x| (&x.id, group_or_asset(x))),
        );
        add(
            "threats",
            &mut m.threats.iter().map(|x| (&x.id, EntityKind::Threat)),
        );
        add(
            "risks",
            &mut m.risks.iter().map(|x| (&x.id, EntityKind::Risk)),
        );
        add(
            "scenarios",
            &mut m.scenarios.iter().map(|x| (&x.id, EntityKind::Scenario)),
        );
        add(
            "plans",
            &mut m.plans.iter().map(|x| (&x.id, EntityKind::Plan)),
        );
        add(
            "exercises",
            &mut m.exercises.iter().map(|x| (&x.id, EntityKind::Exercise)),
        );
        add(
            "changes",
            &mut m.changes.iter().map(|x| (&x.id, EntityKind::Change)),
        );
        for (i, a) in m.assessments.iter().enumerate() {
            if let Some(id) = &a.id {
                defined.push((id, EntityKind::Assessment, "assessments", i));
            }
        }
        let mut first: rustc_hash::FxHashMap<&'m str, (EntityKind, &'static str, usize)> =
            rustc_hash::FxHashMap::default();
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
                    let node = self.node_number(kind, index);
                    self.registry.insert(id.as_str(), (kind, node));
                }
            }
        }
    }

    /// The dependency-graph node of entity `index` of its section, or [`NOT_A_NODE`].
    pub(super) fn node_number(&self, kind: EntityKind, index: usize) -> u32 {
        let (functions, assets) = (self.model.functions.len(), self.model.assets.len());
        let node = match kind {
            EntityKind::Function => Some(index),
            EntityKind::Asset | EntityKind::Group => functions.checked_add(index),
            EntityKind::Vendor => functions
                .checked_add(assets)
                .and_then(|n| n.checked_add(index)),
            _ => None,
        };
        node.and_then(|n| u32::try_from(n).ok())
            .unwrap_or(NOT_A_NODE)
    }

    /// Checks that `target` exists and is one of `allowed`. Returns the target's graph node, if
    /// it is one (of an allowed kind or not, as the graph has it).
    pub(super) fn reference(
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

    /// Checks a table of reference fields of the entity at `path`, in the table's order.
    pub(super) fn refs(&mut self, owner: Owner<'_>, owner_id: &str, path: &Pointer, refs: &[Ref]) {
        for r in refs {
            match r.targets {
                Targets::One(None) => {}
                Targets::One(Some(target)) => {
                    self.reference(owner, owner_id, r.relation, target, r.allowed, || {
                        path.key(r.key)
                    });
                }
                Targets::Many(targets) => {
                    let at = path.key(r.key);
                    for (i, target) in targets.iter().enumerate() {
                        self.reference(owner, owner_id, r.relation, target, r.allowed, || {
                            at.index(i)
                        });
                    }
                }
            }
        }
    }

    /// Checks the `depends_on` list of graph node `from`, recording its edges for the cycle
    /// check.
    pub(super) fn dependencies(
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
            if let Some(to) = self.reference(owner, owner_id, "depends on", &dep.id, NODE, at) {
                self.edges.push((from, to));
            }
        }
    }

    /// The entity's `owner`: a contact, or a `W-NO-OWNER` warning when missing.
    pub(super) fn owner(
        &mut self,
        owner: Owner<'_>,
        owner_id: &str,
        who: Option<&Id>,
        path: &Pointer,
    ) {
        match who {
            Some(who) => {
                self.reference(owner, owner_id, "is owned by", who, CONTACT, || {
                    path.key("owner")
                });
            }
            None => {
                let message = format!("{owner} has no owner");
                self.report(Code::NoOwner, &path.key("owner"), message, [owner_id]);
            }
        }
    }
}
