//! Degenerate model shapes for scaling benchmarks and tests (issue 17, DESIGN §6).
//!
//! The enterprise generator never builds a 100,000-long chain or a group of 100,000 members, yet a
//! user's model may; these shapes are where a quadratic step hides. Each one puts every asset at
//! the site [`SITE`], so losing that site exercises the whole shape.

use crate::model::{
    Asset, AssetKind, Attributes, Dependency, Duration, Estimate, Function, Id, Model, Site, Team,
};

/// The one site of every shape: lose it to disrupt everything.
pub const SITE: &str = "s";

/// A degenerate shape, sized by `n`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Degenerate {
    /// `f0 → f1 → … → f(n−1) → a`: a chain of functions over one asset.
    FunctionChain,
    /// `f → a0 → a1 → … → a(n−1)`: one function over a chain of assets.
    AssetChain,
    /// `n` functions that all depend on one asset.
    FanIn,
    /// One function that depends on `n` assets.
    FanOut,
    /// One function over one 1-of-`n` group whose members all sit at the same site.
    SharedSiteGroup,
    /// Groups nested `n` deep: `g0 = {g1, x0}`, `g1 = {g2, x1}`, …, each 1-of-2.
    NestedGroups,
    /// `n` assets restored by one team of capacity 1, under one function.
    TeamQueue,
}

impl Degenerate {
    /// Every shape, in a stable order.
    pub const ALL: [Degenerate; 7] = [
        Degenerate::FunctionChain,
        Degenerate::AssetChain,
        Degenerate::FanIn,
        Degenerate::FanOut,
        Degenerate::SharedSiteGroup,
        Degenerate::NestedGroups,
        Degenerate::TeamQueue,
    ];

    /// A short name for tables.
    pub fn name(self) -> &'static str {
        match self {
            Degenerate::FunctionChain => "function-chain",
            Degenerate::AssetChain => "asset-chain",
            Degenerate::FanIn => "fan-in",
            Degenerate::FanOut => "fan-out",
            Degenerate::SharedSiteGroup => "shared-site-group",
            Degenerate::NestedGroups => "nested-groups",
            Degenerate::TeamQueue => "team-queue",
        }
    }

    /// The model of this shape with `n` repeated elements (at least 1).
    pub fn build(self, n: usize) -> Model {
        let n = n.max(1);
        let mut model = Model::new(format!("{} {n}", self.name()));
        model.sites.push(Site::new(SITE));
        match self {
            Degenerate::FunctionChain => {
                for i in 0..n {
                    let next = if i + 1 < n {
                        format!("f{}", i + 1)
                    } else {
                        "a".to_string()
                    };
                    model.functions.push(function(format!("f{i}"), [next]));
                }
                model.assets.push(asset("a"));
            }
            Degenerate::AssetChain => {
                model.functions.push(function("f", ["a0".to_string()]));
                for i in 0..n {
                    let mut a = asset(format!("a{i}"));
                    if i + 1 < n {
                        a.depends_on.push(Dependency::hard(format!("a{}", i + 1)));
                    }
                    model.assets.push(a);
                }
            }
            Degenerate::FanIn => {
                for i in 0..n {
                    model
                        .functions
                        .push(function(format!("f{i}"), ["a".to_string()]));
                }
                model.assets.push(asset("a"));
            }
            Degenerate::FanOut => {
                model
                    .functions
                    .push(function("f", (0..n).map(|i| format!("a{i}"))));
                model.assets.extend((0..n).map(|i| asset(format!("a{i}"))));
            }
            Degenerate::SharedSiteGroup => {
                model.functions.push(function("f", ["g".to_string()]));
                let mut group = Asset::new("g", AssetKind::Group);
                group.members = (0..n).map(|i| Id::new(format!("m{i}"))).collect();
                group.failover_time = Some(Duration::from_secs(30));
                model.assets.push(group);
                model.assets.extend((0..n).map(|i| asset(format!("m{i}"))));
            }
            Degenerate::NestedGroups => {
                model.functions.push(function("f", ["g0".to_string()]));
                for i in 0..n {
                    let mut group = Asset::new(format!("g{i}"), AssetKind::Group);
                    let inner = if i + 1 < n {
                        format!("g{}", i + 1)
                    } else {
                        "y".to_string()
                    };
                    group.members = vec![Id::new(inner), Id::new(format!("x{i}"))];
                    model.assets.push(group);
                    model.assets.push(asset(format!("x{i}")));
                }
                model.assets.push(asset("y"));
            }
            Degenerate::TeamQueue => {
                model.teams.push(Team {
                    id: Id::new("t"),
                    name: None,
                    kind: None,
                    members: Vec::new(),
                    capacity: Some(1),
                    attributes: Attributes::new(),
                });
                model
                    .functions
                    .push(function("f", (0..n).map(|i| format!("a{i}"))));
                model.assets.extend((0..n).map(|i| {
                    let mut a = asset(format!("a{i}"));
                    a.team = Some(Id::new("t"));
                    a
                }));
            }
        }
        model
    }
}

fn function(id: impl Into<Id>, depends_on: impl IntoIterator<Item = String>) -> Function {
    let mut f = Function::new(id);
    f.rto = Some(Duration::from_hours(4));
    f.mtd = Some(Duration::from_days(1));
    f.resume = Some(Estimate::ThreePoint {
        min: Duration::from_secs(600),
        likely: Duration::from_secs(1_800),
        max: Duration::from_hours(2),
    });
    f.depends_on = depends_on.into_iter().map(Dependency::hard).collect();
    f
}

fn asset(id: impl Into<Id>) -> Asset {
    let mut a = Asset::new(id, AssetKind::Application);
    a.site = Some(Id::new(SITE));
    a.restore = Some(Estimate::ThreePoint {
        min: Duration::from_secs(1_800),
        likely: Duration::from_hours(1),
        max: Duration::from_hours(4),
    });
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_is_a_valid_model_of_the_stated_size() {
        for shape in Degenerate::ALL {
            let model = shape.build(10);
            let report = model.validate();
            assert!(report.is_valid(), "{}: {:?}", shape.name(), report.findings);
            let nodes = model.functions.len() + model.assets.len();
            assert!(
                (10..=22).contains(&nodes),
                "{}: {nodes} nodes",
                shape.name()
            );
        }
    }
}
