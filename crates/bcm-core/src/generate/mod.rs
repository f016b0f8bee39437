//! Seeded generator of enterprise-shaped models (DESIGN §7), for benchmarks and tests.
//!
//! The shape follows a CMDB, not a random graph: functions → applications → services and
//! databases → hosts → infrastructure (storage, network, power). Functions also depend on earlier
//! functions and on vendors. As in real estates, most infrastructure is redundant: each site's
//! power is an A/B pair of feeds, and nine in ten of its other infrastructure items (switch pairs,
//! storage controllers) sit in 1-of-2 or 2-of-3 groups; about 15% of services and hosts sit in
//! k-of-n groups. Each layer depends on a few single items of the layer below and otherwise on
//! its groups, so a typical function has tens of single points of failure, not thousands. Assets
//! are spread over sites and mostly depend on things at their own site; about 10% of edges are
//! soft; every asset has a three-point restore estimate and most have a team. The same seed
//! always gives the same model (ChaCha8, independent of platform).

mod shapes;

pub use shapes::{Degenerate, SITE};

use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::model::{
    Asset, AssetKind, Contact, Criticality, Dependency, Duration, Estimate, FailoverMode, Function,
    Id, ImpactStep, Model, Plan, PlanKind, PlanSection, Site, SiteRole, Team, TeamKind, Vendor,
};

/// How big a generated model is.
#[derive(Debug, Clone, PartialEq)]
pub struct Shape {
    /// Business functions.
    pub functions: usize,
    /// Applications.
    pub applications: usize,
    /// Services and databases.
    pub services: usize,
    /// Hosts.
    pub hosts: usize,
    /// Storage, network and power.
    pub infrastructure: usize,
    /// Sites.
    pub sites: usize,
    /// Vendors.
    pub vendors: usize,
    /// Recovery teams.
    pub teams: usize,
    /// Contacts (owners, team members).
    pub contacts: usize,
    /// Dependencies of each application on services (and groups of them).
    pub app_fanout: usize,
    /// Dependencies of each service on hosts (and groups of them).
    pub service_fanout: usize,
    /// Dependencies of each host on infrastructure at its site.
    pub host_fanout: usize,
    /// Dependencies of each function on applications and service groups.
    pub function_fanout: usize,
    /// Of a function's dependencies, how many are single applications (the rest are groups).
    pub function_singles: usize,
    /// Of an application's, how many are single services.
    pub app_singles: usize,
    /// Of a service's, how many are single hosts.
    pub service_singles: usize,
}

impl Shape {
    /// `small`: 50 functions, 500 assets.
    pub fn small() -> Self {
        Shape {
            functions: 50,
            applications: 80,
            services: 150,
            hosts: 220,
            infrastructure: 30,
            sites: 3,
            vendors: 10,
            teams: 6,
            contacts: 40,
            app_fanout: 6,
            service_fanout: 5,
            host_fanout: 3,
            function_fanout: 6,
            function_singles: 2,
            app_singles: 2,
            service_singles: 1,
        }
        .with_groups_within(500)
    }

    /// `large`: 2,000 functions, 50,000 assets, ~400,000 edges, 20 sites, 200 vendors, 60 teams.
    pub fn large() -> Self {
        Shape {
            functions: 2_000,
            applications: 8_150,
            services: 15_000,
            hosts: 22_000,
            infrastructure: 3_000,
            sites: 20,
            vendors: 200,
            teams: 60,
            contacts: 600,
            app_fanout: 15,
            service_fanout: 8,
            host_fanout: 5,
            function_fanout: 30,
            function_singles: 3,
            app_singles: 2,
            service_singles: 1,
        }
        .with_groups_within(50_000)
    }

    /// `xlarge`: four times `large` (8,000 functions, 200,000 assets), for the scaling table.
    pub fn xlarge() -> Self {
        let large = Shape::large();
        Shape {
            functions: large.functions * 4,
            services: large.services * 4,
            hosts: large.hosts * 4,
            infrastructure: large.infrastructure * 4,
            sites: large.sites * 4,
            vendors: large.vendors * 4,
            teams: large.teams * 4,
            contacts: large.contacts * 4,
            ..large
        }
        .with_groups_within(200_000)
    }

    /// Shrinks the application layer so that assets plus the expected groups come to `total`.
    fn with_groups_within(mut self, total: usize) -> Self {
        let groups = self.expected_groups();
        let others = self.services + self.hosts + self.infrastructure + groups;
        self.applications = total.saturating_sub(others);
        self
    }

    /// 15% of services and hosts are grouped, three members to a group on average; nine in ten
    /// infrastructure items, two and a half to a group, plus each site's power pair.
    fn expected_groups(&self) -> usize {
        (self.services + self.hosts) * 15 / 100 / 3
            + self.infrastructure * 9 / 10 * 2 / 5
            + self.sites
    }
}

/// Generates a model of `shape` from `seed`. Always valid (no errors; warnings are possible only
/// where the shape is too small to fill a plan).
pub fn generate(shape: &Shape, seed: u64) -> Model {
    Generator {
        rng: ChaCha8Rng::seed_from_u64(seed),
        shape: shape.clone(),
        model: Model::new(format!("Generated enterprise {seed}")),
    }
    .run()
}

struct Generator {
    rng: ChaCha8Rng,
    shape: Shape,
    model: Model,
}

/// Items of one layer by site: what an upper layer may depend on.
#[derive(Default)]
struct Items {
    by_site: Vec<Vec<Id>>,
    all: Vec<Id>,
}

impl Items {
    fn new(sites: usize) -> Self {
        Items {
            by_site: vec![Vec::new(); sites.max(1)],
            all: Vec::new(),
        }
    }

    fn add(&mut self, site: usize, id: Id) {
        if let Some(list) = self.by_site.get_mut(site) {
            list.push(id.clone());
        }
        self.all.push(id);
    }
}

/// A layer as the one above sees it: its ungrouped items and its groups.
struct Pool {
    singles: Items,
    groups: Items,
}

impl Pool {
    fn new(sites: usize) -> Self {
        Pool {
            singles: Items::new(sites),
            groups: Items::new(sites),
        }
    }
}

impl Generator {
    fn run(mut self) -> Model {
        self.organization();
        let sites = self.sites();
        let contacts = self.contacts();
        let teams = self.teams(&contacts);
        let vendors = self.vendors();
        let power = self.infrastructure(&sites, &contacts, &teams);
        let people = (contacts.as_slice(), teams.as_slice(), vendors.as_slice());
        let hosts = self.layer(
            "host",
            AssetKind::Infrastructure,
            (self.shape.hosts, self.shape.host_fanout, 0),
            &power,
            people,
        );
        let services = self.layer(
            "svc",
            AssetKind::Service,
            (
                self.shape.services,
                self.shape.service_fanout,
                self.shape.service_singles,
            ),
            &hosts,
            people,
        );
        let apps = self.layer(
            "app",
            AssetKind::Application,
            (
                self.shape.applications,
                self.shape.app_fanout,
                self.shape.app_singles,
            ),
            &services,
            people,
        );
        self.functions(&apps, &services, &vendors, &contacts);
        self.plans(&contacts);
        self.model
    }

    fn organization(&mut self) {
        let org = &mut self.model.organization;
        org.currency = Some("USD".into());
        org.review_interval = Some(Duration::from_days(365));
        org.test_interval = Some(Duration::from_days(365));
        org.training_interval = Some(Duration::from_days(365));
    }

    fn sites(&mut self) -> Vec<Id> {
        (0..self.shape.sites.max(1))
            .map(|i| {
                let id = Id::new(format!("site{i:02}"));
                let mut site = Site::new(id.clone());
                site.name = Some(format!("Site {i}"));
                site.role = Some(if i == 0 {
                    SiteRole::Primary
                } else {
                    SiteRole::Alternate
                });
                site.location = Some(crate::model::GeoPoint {
                    lat: self.rng.random_range(25.0..49.0),
                    lon: self.rng.random_range(-124.0..-67.0),
                });
                self.model.sites.push(site);
                id
            })
            .collect()
    }

    fn contacts(&mut self) -> Vec<Id> {
        let n = self.shape.contacts.max(2);
        let ids: Vec<Id> = (0..n).map(|i| Id::new(format!("c{i:04}"))).collect();
        for (i, id) in ids.iter().enumerate() {
            self.model.contacts.push(Contact {
                id: id.clone(),
                name: Some(format!("Person {i}")),
                role: None,
                phone: None,
                email: None,
                alternate: ids.get((i + 1) % n).cloned(),
                trained: None,
                attributes: Default::default(),
            });
        }
        ids
    }

    fn teams(&mut self, contacts: &[Id]) -> Vec<Id> {
        (0..self.shape.teams.max(1))
            .map(|i| {
                let id = Id::new(format!("team{i:02}"));
                let members = contacts
                    .choose_multiple(&mut self.rng, 3)
                    .cloned()
                    .collect();
                self.model.teams.push(Team {
                    id: id.clone(),
                    name: Some(format!("Recovery team {i}")),
                    kind: Some(TeamKind::Dr),
                    members,
                    capacity: Some(self.rng.random_range(1..=4)),
                    attributes: Default::default(),
                });
                id
            })
            .collect()
    }

    fn vendors(&mut self) -> Vec<Id> {
        (0..self.shape.vendors)
            .map(|i| {
                let id = Id::new(format!("v{i:03}"));
                let restore = self.restore();
                self.model.vendors.push(Vendor {
                    id: id.clone(),
                    name: Some(format!("Vendor {i}")),
                    bc_obligation: Some(self.rng.random_bool(0.7)),
                    alternates: Vec::new(),
                    restore: Some(restore),
                    contact: None,
                    reliability: None,
                    attributes: Default::default(),
                });
                id
            })
            .collect()
    }

    /// A three-point restore estimate, in whole minutes.
    fn restore(&mut self) -> Estimate<Duration> {
        let min = self.rng.random_range(30..=240u64) * 60;
        let likely = min * self.rng.random_range(15..=30u64) / 10 / 60 * 60;
        let max = likely * self.rng.random_range(2..=4u64);
        Estimate::ThreePoint {
            min: Duration::from_secs(min),
            likely: Duration::from_secs(likely),
            max: Duration::from_secs(max),
        }
    }

    fn asset(
        &mut self,
        id: Id,
        kind: AssetKind,
        site: &Id,
        contacts: &[Id],
        teams: &[Id],
    ) -> Asset {
        let mut asset = Asset::new(id, kind);
        asset.site = Some(site.clone());
        asset.owner = contacts.choose(&mut self.rng).cloned();
        if self.rng.random_bool(0.85) {
            asset.team = teams.choose(&mut self.rng).cloned();
        }
        asset.restore = Some(self.restore());
        asset
    }

    /// Power, network and storage at each site: the site's power is an A/B pair of feeds (a
    /// 1-of-2 group); nine in ten of the other items sit in groups of two (1-of-2) or three
    /// (2-of-3) of the same site, and every item needs the site's power. Returns the pool hosts
    /// draw on.
    fn infrastructure(&mut self, sites: &[Id], contacts: &[Id], teams: &[Id]) -> Pool {
        let mut pool = Pool::new(sites.len());
        let per_site = self
            .shape
            .infrastructure
            .div_ceil(sites.len().max(1))
            .max(2);
        let mut n = 0usize;
        for (s, site) in sites.iter().enumerate() {
            let new_item = |g: &mut Self, n: &mut usize| {
                let id = Id::new(format!("inf{:05}", *n));
                *n += 1;
                let asset = g.asset(id.clone(), AssetKind::Infrastructure, site, contacts, teams);
                (id, asset)
            };
            let (a, feed_a) = new_item(self, &mut n);
            let (b, feed_b) = new_item(self, &mut n);
            self.model.assets.push(feed_a);
            self.model.assets.push(feed_b);
            let power = self.group_of(
                &format!("pwr-{site}"),
                vec![a, b],
                1,
                FailoverMode::RealTime,
            );
            pool.groups.add(s, power.clone());
            let mut pending: Vec<Id> = Vec::new();
            let mut size = 2;
            for _ in 2..per_site {
                if n >= self.shape.infrastructure.max(2 * sites.len()) {
                    break;
                }
                let (id, mut asset) = new_item(self, &mut n);
                asset.depends_on.push(Dependency::hard(power.clone()));
                self.model.assets.push(asset);
                if self.rng.random_bool(0.9) {
                    pending.push(id);
                    if pending.len() >= size {
                        let min_up = if size == 3 { 2 } else { 1 };
                        let name = format!("infra-{}", pending.first().map_or("", |i| i.as_str()));
                        let group = self.group_of(
                            &name,
                            std::mem::take(&mut pending),
                            min_up,
                            FailoverMode::RealTime,
                        );
                        pool.groups.add(s, group);
                        size = if self.rng.random_bool(0.5) { 2 } else { 3 };
                    }
                } else {
                    pool.singles.add(s, id);
                }
            }
            for id in pending {
                pool.singles.add(s, id);
            }
        }
        pool
    }

    /// One layer of assets: `count` of them, each with about `fanout` dependencies on `below`,
    /// `singles` of them on its ungrouped items and the rest on its groups; 15% of hosts and
    /// services are grouped.
    fn layer(
        &mut self,
        prefix: &str,
        kind: AssetKind,
        (count, fanout, singles): (usize, usize, usize),
        below: &Pool,
        (contacts, teams, vendors): (&[Id], &[Id], &[Id]),
    ) -> Pool {
        let sites: Vec<Id> = self.model.sites.iter().map(|s| s.id.clone()).collect();
        let mut pool = Pool::new(sites.len());
        let grouped = kind != AssetKind::Application;
        let mut pending_group: Vec<Id> = Vec::new();
        let mut group_count = 0usize;
        for i in 0..count {
            let s = self.rng.random_range(0..sites.len());
            let Some(site) = sites.get(s) else { continue };
            let id = Id::new(format!("{prefix}{i:05}"));
            let mut asset = self.asset(id.clone(), kind, site, contacts, teams);
            if kind == AssetKind::Service && !vendors.is_empty() && self.rng.random_bool(0.1) {
                asset.vendor = vendors.choose(&mut self.rng).cloned();
            }
            if kind == AssetKind::Service && self.rng.random_bool(0.3) {
                asset.kind = AssetKind::Data;
                asset.backup_interval = Some(Duration::from_hours(self.rng.random_range(1..=24)));
            }
            let k = self
                .rng
                .random_range(fanout.saturating_sub(fanout / 3).max(1)..=fanout + fanout / 3);
            asset.depends_on = self.pick(&below.singles, s, singles.min(k));
            let more = self.pick(&below.groups, s, k.saturating_sub(singles));
            asset.depends_on.extend(more);
            self.model.assets.push(asset);
            if grouped && self.rng.random_bool(0.15) {
                pending_group.push(id);
                let size = 2 + group_count % 3;
                if pending_group.len() >= size {
                    let group = self.group(prefix, group_count, std::mem::take(&mut pending_group));
                    pool.groups.add(s, group);
                    group_count += 1;
                }
            } else {
                pool.singles.add(s, id);
            }
        }
        // Members left over without a full group are referenced directly.
        for id in pending_group {
            pool.singles.all.push(id);
        }
        pool
    }

    fn group(&mut self, prefix: &str, index: usize, members: Vec<Id>) -> Id {
        let id = Id::new(format!("grp-{prefix}{index:05}"));
        let mut group = Asset::new(id.clone(), AssetKind::Group);
        group.min_up = Some(if members.len() >= 3 && self.rng.random_bool(0.5) {
            2
        } else {
            1
        });
        group.failover = Some(match self.rng.random_range(0..3) {
            0 => FailoverMode::RealTime,
            1 => FailoverMode::NearRealTime,
            _ => FailoverMode::Manual,
        });
        group.failover_time = Some(Duration::from_secs(self.rng.random_range(1..=30) * 60));
        group.members = members;
        self.model.assets.push(group);
        id
    }

    /// An infrastructure group: `members` of which `min_up` must be up.
    fn group_of(&mut self, name: &str, members: Vec<Id>, min_up: u32, mode: FailoverMode) -> Id {
        let id = Id::new(format!("grp-{name}"));
        let mut group = Asset::new(id.clone(), AssetKind::Group);
        group.min_up = Some(min_up);
        group.failover = Some(mode);
        group.failover_time = Some(Duration::from_secs(self.rng.random_range(1..=10)));
        group.members = members;
        self.model.assets.push(group);
        id
    }

    /// `k` distinct dependencies from `pool`, mostly at `site`, about 10% soft.
    fn pick(&mut self, pool: &Items, site: usize, k: usize) -> Vec<Dependency> {
        let mut chosen: Vec<Id> = Vec::with_capacity(k);
        let local = pool.by_site.get(site).filter(|l| !l.is_empty());
        for _ in 0..k.saturating_mul(3) {
            if chosen.len() >= k {
                break;
            }
            let from = match local {
                Some(local) if self.rng.random_bool(0.8) => local,
                _ => &pool.all,
            };
            if let Some(id) = from.choose(&mut self.rng)
                && !chosen.contains(id)
            {
                chosen.push(id.clone());
            }
        }
        chosen.into_iter().map(|id| self.edge(id)).collect()
    }

    fn edge(&mut self, id: Id) -> Dependency {
        if self.rng.random_bool(0.1) {
            let hours = *[1u64, 4, 8, 24].choose(&mut self.rng).unwrap_or(&4);
            Dependency::soft(id, Duration::from_hours(hours))
        } else {
            Dependency::hard(id)
        }
    }

    fn functions(&mut self, apps: &Pool, services: &Pool, vendors: &[Id], contacts: &[Id]) {
        const RTO_HOURS: [u64; 7] = [4, 8, 12, 24, 48, 72, 168];
        let mut earlier: Vec<Id> = Vec::new();
        for i in 0..self.shape.functions {
            let id = Id::new(format!("f{i:04}"));
            let mut f = Function::new(id.clone());
            f.name = Some(format!("Business function {i}"));
            f.owner = contacts.choose(&mut self.rng).cloned();
            f.criticality = Some(match self.rng.random_range(0..10) {
                0..=1 => Criticality::Critical,
                2..=4 => Criticality::High,
                5..=7 => Criticality::Medium,
                _ => Criticality::Low,
            });
            let rto_h = *RTO_HOURS.choose(&mut self.rng).unwrap_or(&24);
            let wrt_h = (rto_h / 4).max(1);
            f.rto = Some(Duration::from_hours(rto_h));
            f.wrt = Some(Duration::from_hours(wrt_h));
            f.mtd = Some(Duration::from_hours(rto_h * 2 + wrt_h));
            f.rpo = Some(Duration::from_hours(self.rng.random_range(1..=24)));
            let resume_min = self.rng.random_range(15..=120u64) * 60;
            f.resume = Some(Estimate::ThreePoint {
                min: Duration::from_secs(resume_min),
                likely: Duration::from_secs(resume_min * 2),
                max: Duration::from_secs(resume_min * 5),
            });
            let money = self.rng.random_range(1..=100u64) as f64 * 10_000.0;
            f.impacts = vec![
                ImpactStep {
                    after: Duration::from_hours(rto_h),
                    values: [
                        ("financial".to_owned(), money),
                        ("operational".to_owned(), 2.0),
                    ]
                    .into(),
                },
                ImpactStep {
                    after: Duration::from_hours(rto_h * 2),
                    values: [
                        ("financial".to_owned(), money * 5.0),
                        ("operational".to_owned(), 4.0),
                    ]
                    .into(),
                },
            ];
            let site = self.rng.random_range(0..apps.singles.by_site.len());
            let k = self
                .rng
                .random_range(self.shape.function_fanout / 2..=self.shape.function_fanout * 3 / 2);
            let singles = self.shape.function_singles.min(k).max(1);
            f.depends_on = self.pick(&apps.singles, site, singles);
            let platform = self.pick(&services.groups, site, k.saturating_sub(singles));
            f.depends_on.extend(platform);
            let peers = self.rng.random_range(0..=1usize).min(earlier.len());
            for peer in earlier
                .choose_multiple(&mut self.rng, peers)
                .cloned()
                .collect::<Vec<_>>()
            {
                let edge = self.edge(peer);
                f.depends_on.push(edge);
            }
            if !vendors.is_empty() && self.rng.random_bool(0.5) {
                let vendor = vendors.choose(&mut self.rng).cloned().unwrap_or_default();
                let edge = self.edge(vendor);
                f.depends_on.push(edge);
            }
            self.model.functions.push(f);
            earlier.push(id);
        }
    }

    /// One BCP per 25 functions, covering them.
    fn plans(&mut self, contacts: &[Id]) {
        let ids: Vec<Id> = self.model.functions.iter().map(|f| f.id.clone()).collect();
        for (i, chunk) in ids.chunks(25).enumerate() {
            self.model.plans.push(Plan {
                id: Id::new(format!("bcp{i:03}")),
                name: Some(format!("Business continuity plan {i}")),
                kind: PlanKind::Bcp,
                covers: chunk.to_vec(),
                owner: contacts.choose(&mut self.rng).cloned(),
                sections: vec![PlanSection::Scope, PlanSection::Bia, PlanSection::Recovery],
                teams: Vec::new(),
                contacts: Vec::new(),
                reviewed: None,
                tested: None,
                approved: true,
                published: true,
                copies: Vec::new(),
                attributes: Default::default(),
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_is_valid_and_shaped_as_designed() {
        let m = generate(&Shape::small(), 7);
        assert_eq!(m.functions.len(), 50);
        let assets = m.assets.len();
        assert!((480..=520).contains(&assets), "{assets} assets");
        let v = m.validate();
        assert!(v.is_valid(), "{:?}", v.errors().take(3).collect::<Vec<_>>());
        assert_eq!(
            v.findings.len(),
            0,
            "{:?}",
            v.findings.iter().take(3).collect::<Vec<_>>()
        );
        let groups = m.assets.iter().filter(|a| a.is_group()).count();
        assert!(groups >= 5, "{groups} groups");
    }

    #[test]
    fn redundancy_keeps_single_points_of_failure_to_tens() {
        let m = generate(&Shape::small(), 7);
        // Every site's power is an A/B pair; most infrastructure is grouped.
        let power = m
            .assets
            .iter()
            .filter(|a| a.id.as_str().starts_with("grp-pwr-"))
            .count();
        assert_eq!(power, 3);
        let infra_groups = m
            .assets
            .iter()
            .filter(|a| a.id.as_str().starts_with("grp-infra-"))
            .count();
        assert!(infra_groups >= 5, "{infra_groups} infrastructure groups");
        let spof = crate::spof::spof(&m, &Default::default());
        let mut counts: Vec<usize> = (0..spof.function_ids().len())
            .map(|f| spof.spof_count(f))
            .collect();
        counts.sort_unstable();
        let median = counts.get(counts.len() / 2).copied().unwrap_or(0);
        assert!((5..=60).contains(&median), "median {median} SPOFs");
        // No single power feed or infrastructure item in a group takes anything down.
        for rank in spof.ranking() {
            let id = &spof.unit_ids()[rank.unit];
            let grouped = m
                .assets
                .iter()
                .any(|g| g.members.iter().any(|x| x.as_str() == id.as_str()));
            assert!(!grouped || !id.as_str().starts_with("inf"), "{id}");
        }
    }

    #[test]
    fn xlarge_is_four_large() {
        let (l, x) = (Shape::large(), Shape::xlarge());
        assert_eq!(x.functions, 4 * l.functions);
        assert_eq!(x.sites, 4 * l.sites);
        assert_eq!(
            x.applications + x.services + x.hosts + x.infrastructure + x.expected_groups(),
            200_000
        );
    }

    #[test]
    fn same_seed_same_model() {
        assert_eq!(generate(&Shape::small(), 3), generate(&Shape::small(), 3));
        assert_ne!(generate(&Shape::small(), 3), generate(&Shape::small(), 4));
    }
}
