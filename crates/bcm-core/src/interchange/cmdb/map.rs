//! The map from a CMDB export's columns, CI classes and relationship types to the model
//! (README "CMDB import"): built in for ServiceNow, and overlaid by a user's map file.

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::Value;

use crate::governance::profile::pointer;
use crate::model::{AssetKind, Duration, FailoverMode};

use super::CmdbError;

/// The built-in map (ServiceNow's `cmdb_ci` / `cmdb_rel_ci`).
pub const SERVICENOW: &str = include_str!("../../../interchange/servicenow.yaml");

/// What a CI of a class becomes.
#[derive(Debug, Clone, PartialEq)]
pub enum ClassTarget {
    /// A business function.
    Function,
    /// A site.
    Site,
    /// A vendor (a third party other CIs depend on).
    Vendor,
    /// An asset of a kind; for a group, its rule.
    Asset {
        /// The asset kind.
        kind: AssetKind,
        /// A group's minimum number of members up.
        min_up: Option<u32>,
        /// A group's failover mode.
        failover: Option<FailoverMode>,
        /// A group's switchover time.
        failover_time: Option<Duration>,
    },
    /// Left out (its rows are listed as not imported).
    Ignore,
}

/// What a relationship of a type becomes.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum RelationTarget {
    /// The parent depends on the child (with a tolerance: a soft dependency).
    Depends {
        /// How long the parent copes without the child.
        tolerance: Option<Duration>,
    },
    /// One side is a group, the other its member.
    Membership,
    /// Left out (its rows are listed as not imported).
    Ignore,
}

/// The CSV columns read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Columns {
    /// The CI's unique key (`sys_id`).
    pub id: String,
    /// The CI's name.
    pub name: String,
    /// The CI's class (`sys_class_name`).
    pub class: String,
    /// Where the CI is (`location`): a site.
    pub site: String,
    /// Who supplies the CI (`vendor`): a vendor.
    pub vendor: String,
    /// The relationship's parent CI.
    pub parent: String,
    /// The relationship's child CI.
    pub child: String,
    /// The relationship's type (`Depends on::Used by`).
    pub kind: String,
}

/// A CMDB map: [`CmdbMap::servicenow`], or a user's file laid over it ([`CmdbMap::from_yaml_str`]).
#[derive(Debug, Clone, PartialEq)]
pub struct CmdbMap {
    /// The imported model's organization name.
    pub organization: String,
    /// The columns read.
    pub columns: Columns,
    /// Class name or pattern (`cmdb_ci_db_*`) → target.
    pub classes: BTreeMap<String, ClassTarget>,
    /// Relationship type → target.
    pub relations: BTreeMap<String, RelationTarget>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct Written {
    organization: Option<String>,
    // Each may be absent or empty (`relations:` with nothing under it).
    columns: Option<BTreeMap<String, String>>,
    classes: Option<BTreeMap<String, WrittenClass>>,
    relations: Option<BTreeMap<String, WrittenRelation>>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum WrittenClass {
    Name(String),
    Full(FullClass),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FullClass {
    kind: String,
    min_up: Option<u32>,
    failover: Option<FailoverMode>,
    failover_time: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum WrittenRelation {
    Name(String),
    Full(FullRelation),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FullRelation {
    #[serde(rename = "as")]
    target: String,
    tolerance: Option<String>,
}

const COLUMN_KEYS: [&str; 8] = [
    "id", "name", "class", "site", "vendor", "parent", "child", "type",
];

impl CmdbMap {
    /// The built-in map for ServiceNow exports.
    pub fn servicenow() -> Self {
        let mut map = CmdbMap {
            organization: String::new(),
            columns: Columns {
                id: String::new(),
                name: String::new(),
                class: String::new(),
                site: String::new(),
                vendor: String::new(),
                parent: String::new(),
                child: String::new(),
                kind: String::new(),
            },
            classes: BTreeMap::new(),
            relations: BTreeMap::new(),
        };
        // The embedded file is read by a test; an error here would be that test failing.
        let _ = map.overlay(SERVICENOW);
        map
    }

    /// The built-in map with a user's map (YAML or JSON) laid over it.
    ///
    /// # Errors
    /// [`CmdbError::Map`] naming the JSON Pointer of the bad entry and its value.
    pub fn from_yaml_str(text: &str) -> Result<Self, CmdbError> {
        let mut map = CmdbMap::servicenow();
        map.overlay(text)?;
        Ok(map)
    }

    fn overlay(&mut self, text: &str) -> Result<(), CmdbError> {
        let value = crate::model::yaml_value(text).map_err(|finding| CmdbError::Map {
            path: "/".to_owned(),
            message: finding.message,
        })?;
        let written: Written = if value.is_null() {
            Written::default()
        } else {
            serde_path_to_error::deserialize(value).map_err(|e| CmdbError::Map {
                path: pointer("", &e),
                message: e.inner().to_string(),
            })?
        };
        if let Some(name) = written.organization {
            self.organization = name;
        }
        for (key, column) in written.columns.unwrap_or_default() {
            let slot = match key.as_str() {
                "id" => &mut self.columns.id,
                "name" => &mut self.columns.name,
                "class" => &mut self.columns.class,
                "site" => &mut self.columns.site,
                "vendor" => &mut self.columns.vendor,
                "parent" => &mut self.columns.parent,
                "child" => &mut self.columns.child,
                "type" => &mut self.columns.kind,
                _ => {
                    return Err(CmdbError::Map {
                        path: format!("/columns/{}", escape(&key)),
                        message: format!(
                            "unknown column role '{key}' (roles: {})",
                            COLUMN_KEYS.join(", ")
                        ),
                    });
                }
            };
            *slot = column;
        }
        for (class, target) in written.classes.unwrap_or_default() {
            let path = format!("/classes/{}", escape(&class));
            let target = class_target(target, &path)?;
            self.classes.insert(class, target);
        }
        for (kind, target) in written.relations.unwrap_or_default() {
            let path = format!("/relations/{}", escape(&kind));
            let target = relation_target(target, &path)?;
            self.relations.insert(kind, target);
        }
        Ok(())
    }

    /// The target of a class: its exact entry, else the most specific pattern that matches it
    /// (most literal characters; ties in name order).
    pub fn class(&self, class: &str) -> Option<&ClassTarget> {
        if let Some(target) = self.classes.get(class) {
            return Some(target);
        }
        self.classes
            .iter()
            .filter(|(pattern, _)| pattern.contains('*') && glob(pattern, class))
            .max_by(|(a, _), (b, _)| literal_len(a).cmp(&literal_len(b)).then_with(|| b.cmp(a)))
            .map(|(_, target)| target)
    }

    /// The target of a relationship type.
    pub fn relation(&self, kind: &str) -> Option<RelationTarget> {
        self.relations.get(kind).copied()
    }
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn literal_len(pattern: &str) -> usize {
    pattern.chars().filter(|c| *c != '*').count()
}

/// Whether `text` matches `pattern`, where `*` matches any run of characters. Greedy with
/// backtracking to the last star: O(len(pattern) × len(text)) at worst.
fn glob(pattern: &str, text: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let t: Vec<char> = text.chars().collect();
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        match p.get(pi) {
            Some('*') => {
                star = Some((pi, ti));
                pi += 1;
            }
            Some(c) if Some(c) == t.get(ti) => {
                pi += 1;
                ti += 1;
            }
            _ => match star {
                Some((sp, st)) => {
                    pi = sp + 1;
                    ti = st + 1;
                    star = Some((sp, st + 1));
                }
                None => return false,
            },
        }
    }
    p.get(pi..)
        .is_some_and(|rest| rest.iter().all(|c| *c == '*'))
}

fn class_target(written: WrittenClass, path: &str) -> Result<ClassTarget, CmdbError> {
    let (kind, min_up, failover, failover_time) = match written {
        WrittenClass::Name(kind) => (kind, None, None, None),
        WrittenClass::Full(full) => (full.kind, full.min_up, full.failover, full.failover_time),
    };
    let simple = match kind.as_str() {
        "function" => Some(ClassTarget::Function),
        "site" => Some(ClassTarget::Site),
        "vendor" => Some(ClassTarget::Vendor),
        "ignore" => Some(ClassTarget::Ignore),
        _ => None,
    };
    if let Some(target) = simple {
        if min_up.is_some() || failover.is_some() || failover_time.is_some() {
            return Err(CmdbError::Map {
                path: path.to_owned(),
                message: format!("min_up, failover and failover_time are for groups, not '{kind}'"),
            });
        }
        return Ok(target);
    }
    let kind: AssetKind =
        serde_json::from_value(Value::String(kind.clone())).map_err(|_| CmdbError::Map {
            path: format!("{path}/kind"),
            message: format!(
                "'{kind}' is not a target (function, site, vendor, ignore, or an asset kind: application, \
                 data, infrastructure, facility, people, service, group)"
            ),
        })?;
    let failover_time = duration_at(failover_time, &format!("{path}/failover_time"))?;
    Ok(ClassTarget::Asset {
        kind,
        min_up,
        failover,
        failover_time,
    })
}

/// A duration of the map, if given; an error at `path` if it is not one.
fn duration_at(text: Option<String>, path: &str) -> Result<Option<Duration>, CmdbError> {
    text.map(|text| {
        text.parse::<Duration>().map_err(|e| CmdbError::Map {
            path: path.to_owned(),
            message: e.to_string(),
        })
    })
    .transpose()
}

fn relation_target(written: WrittenRelation, path: &str) -> Result<RelationTarget, CmdbError> {
    let (name, tolerance) = match written {
        WrittenRelation::Name(name) => (name, None),
        WrittenRelation::Full(full) => (full.target, full.tolerance),
    };
    let tolerance = duration_at(tolerance, &format!("{path}/tolerance"))?;
    match (name.as_str(), tolerance) {
        ("depends", tolerance) => Ok(RelationTarget::Depends { tolerance }),
        ("membership", None) => Ok(RelationTarget::Membership),
        ("ignore", None) => Ok(RelationTarget::Ignore),
        ("membership" | "ignore", Some(_)) => Err(CmdbError::Map {
            path: format!("{path}/tolerance"),
            message: format!("a tolerance is for dependencies, not '{name}'"),
        }),
        _ => Err(CmdbError::Map {
            path: path.to_owned(),
            message: format!("'{name}' is not a relation target (depends, membership, ignore)"),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_built_in_map_reads_in_full() {
        let map = CmdbMap::servicenow();
        assert_eq!(map.columns.id, "sys_id");
        assert_eq!(map.columns.kind, "type");
        assert_eq!(map.organization, "Imported from a CMDB");
        // Every entry of the file is in the map: the overlay did not stop early.
        let entries = SERVICENOW.lines().filter(|l| l.starts_with("  ")).count();
        assert_eq!(entries, 8 + map.classes.len() + map.relations.len());
    }

    #[test]
    fn exact_names_then_the_most_specific_pattern() {
        let map = CmdbMap::servicenow();
        let kind = |class: &str| match map.class(class) {
            Some(ClassTarget::Asset { kind, .. }) => Some(kind.as_str()),
            Some(ClassTarget::Function) => Some("function"),
            Some(ClassTarget::Site) => Some("site"),
            Some(ClassTarget::Vendor) => Some("vendor"),
            Some(ClassTarget::Ignore) => Some("ignore"),
            None => None,
        };
        assert_eq!(kind("cmdb_ci_linux_server"), Some("infrastructure"));
        assert_eq!(kind("cmdb_ci_app_server_tomcat"), Some("application"));
        assert_eq!(kind("cmdb_ci_db_ora_instance"), Some("data"));
        assert_eq!(kind("cmdb_ci_win_cluster"), Some("group"));
        assert_eq!(kind("cmdb_ci_service"), Some("function"));
        assert_eq!(kind("cmdb_ci_printer"), None);
    }

    #[test]
    fn globs() {
        assert!(glob("a*c", "abbbc"));
        assert!(glob("*", ""));
        assert!(glob("a*b*c", "aXbYc"));
        assert!(!glob("a*c", "abcd"));
        assert!(!glob("abc", "ab"));
    }

    #[test]
    fn a_bad_entry_names_its_path() {
        let e = CmdbMap::from_yaml_str("classes: {cmdb_ci_x: widget}\n");
        assert!(
            matches!(&e, Err(CmdbError::Map { path, message }) if path == "/classes/cmdb_ci_x/kind" && message.contains("'widget'")),
            "{e:?}"
        );
        let e = CmdbMap::from_yaml_str(
            "relations: {\"Uses::Used by\": {as: depends, tolerance: soon}}\n",
        );
        assert!(
            matches!(&e, Err(CmdbError::Map { path, .. }) if path == "/relations/Uses::Used by/tolerance"),
            "{e:?}"
        );
        let e = CmdbMap::from_yaml_str("columns: {owner: owned_by}\n");
        assert!(
            matches!(&e, Err(CmdbError::Map { path, .. }) if path == "/columns/owner"),
            "{e:?}"
        );
        let e = CmdbMap::from_yaml_str("colums: {}\n");
        assert!(matches!(&e, Err(CmdbError::Map { .. })), "{e:?}");
    }

    #[test]
    fn a_user_map_overlays_the_built_in_one() {
        let map = CmdbMap::from_yaml_str(
            "organization: Acme\nclasses: {cmdb_ci_printer: infrastructure, cmdb_ci_service: ignore}\n",
        )
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(map.organization, "Acme");
        assert_eq!(map.class("cmdb_ci_service"), Some(&ClassTarget::Ignore));
        assert!(matches!(
            map.class("cmdb_ci_printer"),
            Some(ClassTarget::Asset { .. })
        ));
        assert!(matches!(
            map.class("cmdb_ci_db_mysql_instance"),
            Some(ClassTarget::Asset { .. })
        ));
    }
}
