//! CMDB import (DESIGN §4.M): CI and relationship tables in the shape of ServiceNow's `cmdb_ci`
//! and `cmdb_rel_ci` exports, read through a [`CmdbMap`] into a model. Every row that cannot be
//! mapped is listed with its line number and why; nothing is dropped silently.
//!
//! Identifiers: a CI's ID is its name made into an ID (`Billing DB` → `Billing-DB`), with its
//! `sys_id` appended when two CIs share a name; sites and vendors likewise from the `location`
//! and `vendor` columns. Each CI keeps its `sys_id` and class in `attributes`
//! (`servicenow_sys_id`, `servicenow_class`), so an exported model can be traced back.
//!
//! Complexity: O(rows) with hash lookups; memory bounded by the tables.

pub mod map;

use std::collections::{BTreeMap, BTreeSet};

use rustc_hash::FxHashMap;
use serde::Serialize;
use serde_json::{Map, Value, json};

use crate::model::{AssetKind, Model, ModelError};

pub use map::{ClassTarget, CmdbMap, Columns, RelationTarget};

/// The attribute keeping a CI's `sys_id`.
pub const SYS_ID_ATTRIBUTE: &str = "servicenow_sys_id";
/// The attribute keeping a CI's class.
pub const CLASS_ATTRIBUTE: &str = "servicenow_class";
/// The attribute keeping a group's location (a group has no site of its own).
pub const LOCATION_ATTRIBUTE: &str = "servicenow_location";
/// The attribute keeping a group's vendor (a group has no vendor of its own).
pub const VENDOR_ATTRIBUTE: &str = "servicenow_vendor";

/// Why an import could not run at all (a row that cannot be mapped is not an error: it is listed
/// in [`CmdbImport::unmapped`]).
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum CmdbError {
    /// The map file is wrong.
    #[error("map {path}: {message}")]
    Map {
        /// JSON Pointer to the bad entry.
        path: String,
        /// What is wrong, with the bad value.
        message: String,
    },
    /// A table lacks a column the map reads.
    #[error(
        "{table} has no column '{column}' (its columns: {found}); name the right one in the map's columns"
    )]
    MissingColumn {
        /// `cis` or `relations`.
        table: &'static str,
        /// The column looked for.
        column: String,
        /// The header's columns.
        found: String,
    },
    /// A table is not CSV.
    #[error("{table}: {message}")]
    Csv {
        /// `cis` or `relations`.
        table: &'static str,
        /// The CSV reader's message, with the line.
        message: String,
    },
    /// The model built does not read back (a bug: the importer writes only what the format takes).
    #[error("the imported model does not read: {0}")]
    Model(#[from] ModelError),
}

/// A row that was not imported.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Unmapped {
    /// `cis` or `relations`.
    pub table: &'static str,
    /// Its line in the file (the header is line 1).
    pub line: u64,
    /// Its key: the CI's `sys_id`, or the relationship's `parent type child`.
    pub key: String,
    /// Why it was not imported.
    pub reason: String,
}

/// The result of [`import`].
#[derive(Debug, Clone, PartialEq)]
pub struct CmdbImport {
    /// The model built.
    pub model: Model,
    /// The rows not imported, CIs first, in file order.
    pub unmapped: Vec<Unmapped>,
}

/// What a CI became.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Role {
    Function,
    Site,
    Vendor,
    Asset(AssetKind),
}

/// What a `location` or `vendor` cell names.
#[derive(Debug, Clone, Copy)]
enum Place {
    Site,
    Vendor,
}

impl Place {
    /// Appended to an ID its name shares with something else.
    fn tiebreak(self) -> &'static str {
        match self {
            Place::Site => "site",
            Place::Vendor => "vendor",
        }
    }
}

#[derive(Debug)]
struct Ci {
    id: String,
    role: Role,
    /// Index into the list of its role (functions, sites or assets).
    index: usize,
}

/// Imports a CMDB export: `cis` and `relations` are the CSV texts of the two tables.
///
/// ```
/// use bcm_core::interchange::cmdb::{import, CmdbMap};
/// let cis = "sys_id,name,sys_class_name,location,vendor\n\
///            s1,Payroll,cmdb_ci_service,,\n\
///            s2,HR DB,cmdb_ci_db_mssql_instance,Boston DC,\n\
///            s3,Printer 7,cmdb_ci_printer,,\n";
/// let rels = "parent,type,child\nPayroll,Depends on::Used by,HR DB\n";
/// let imported = import(cis, rels, &CmdbMap::servicenow())?;
/// assert_eq!(imported.model.functions[0].depends_on[0].id.as_str(), "HR-DB");
/// assert_eq!(imported.model.sites[0].id.as_str(), "Boston-DC");
/// assert_eq!(imported.unmapped[0].line, 4); // the printer's class has no mapping
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`CmdbError`] when a table is not CSV or lacks a column the map reads.
pub fn import(cis: &str, relations: &str, map: &CmdbMap) -> Result<CmdbImport, CmdbError> {
    let mut builder = Builder::new(map);
    builder.read_cis(cis)?;
    builder.read_relations(relations)?;
    builder.finish()
}

struct Builder<'m> {
    map: &'m CmdbMap,
    taken: BTreeSet<String>,
    /// By sys_id.
    cis: FxHashMap<String, Ci>,
    /// Name → sys_ids with that name (a reference may hold a display name).
    by_name: FxHashMap<String, Vec<String>>,
    functions: Vec<Map<String, Value>>,
    assets: Vec<Map<String, Value>>,
    sites: Vec<Map<String, Value>>,
    vendors: Vec<Map<String, Value>>,
    /// Site or vendor name → its ID.
    site_ids: BTreeMap<String, String>,
    vendor_ids: BTreeMap<String, String>,
    /// Dependencies and members already written, to list repeats.
    edges: FxHashMap<(String, String, bool), u64>,
    unmapped: Vec<Unmapped>,
}

/// A table's rows with their line numbers, and the position of each column by name.
struct Table {
    header: Vec<String>,
    rows: Vec<(u64, csv::StringRecord)>,
}

impl Table {
    fn read(text: &str, table: &'static str) -> Result<Table, CmdbError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let mut reader = csv::ReaderBuilder::new()
            .flexible(true)
            .from_reader(text.as_bytes());
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| CmdbError::Csv {
                table,
                message: e.to_string(),
            })?
            .iter()
            .map(|h| h.trim().to_owned())
            .collect();
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| CmdbError::Csv {
                table,
                message: e.to_string(),
            })?;
            let line = record.position().map_or(0, csv::Position::line);
            rows.push((line, record));
        }
        Ok(Table { header, rows })
    }

    fn column(&self, table: &'static str, name: &str) -> Result<usize, CmdbError> {
        self.header
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| CmdbError::MissingColumn {
                table,
                column: name.to_owned(),
                found: self.header.join(", "),
            })
    }

    /// An optional column: absent is fine (no sites, say).
    fn optional(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }
}

fn cell(record: &csv::StringRecord, column: Option<usize>) -> &str {
    column.and_then(|c| record.get(c)).unwrap_or("").trim()
}

/// `text` made into a model ID: runs of characters outside `[A-Za-z0-9._:-]` become one `-`, at
/// most 100 characters (room for a suffix within the 128 allowed).
fn slug(text: &str) -> String {
    let mut out = String::new();
    for c in text.chars() {
        if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-') {
            out.push(c);
        } else if !out.ends_with('-') {
            out.push('-');
        }
    }
    let out: String = out.trim_matches('-').chars().take(100).collect();
    out.trim_end_matches('-').to_owned()
}

impl<'m> Builder<'m> {
    fn new(map: &'m CmdbMap) -> Self {
        Builder {
            map,
            taken: BTreeSet::new(),
            cis: FxHashMap::default(),
            by_name: FxHashMap::default(),
            functions: Vec::new(),
            assets: Vec::new(),
            sites: Vec::new(),
            vendors: Vec::new(),
            site_ids: BTreeMap::new(),
            vendor_ids: BTreeMap::new(),
            edges: FxHashMap::default(),
            unmapped: Vec::new(),
        }
    }

    fn skip(&mut self, table: &'static str, line: u64, key: &str, reason: String) {
        self.unmapped.push(Unmapped {
            table,
            line,
            key: key.to_owned(),
            reason,
        });
    }

    /// A fresh ID from `name`, with `tiebreak` (a sys_id) appended if it is taken.
    fn fresh_id(&mut self, name: &str, tiebreak: &str) -> String {
        let base = slug(name);
        let mut candidates = vec![base.clone()];
        let tie = slug(tiebreak);
        if !tie.is_empty() {
            candidates.push(if base.is_empty() {
                tie.clone()
            } else {
                format!("{base}-{tie}")
            });
        }
        for candidate in candidates {
            if !candidate.is_empty() && !self.taken.contains(&candidate) {
                self.taken.insert(candidate.clone());
                return candidate;
            }
        }
        let stem = if base.is_empty() {
            "ci".to_owned()
        } else {
            base
        };
        let mut n = 2usize;
        loop {
            let candidate = format!("{stem}-{n}");
            if self.taken.insert(candidate.clone()) {
                return candidate;
            }
            n += 1;
        }
    }

    fn site(&mut self, name: &str) -> String {
        self.named(name, Place::Site)
    }

    fn vendor(&mut self, name: &str) -> String {
        self.named(name, Place::Vendor)
    }

    /// The site or vendor of that name, added on first use.
    fn named(&mut self, name: &str, place: Place) -> String {
        let known = match place {
            Place::Site => &self.site_ids,
            Place::Vendor => &self.vendor_ids,
        };
        if let Some(id) = known.get(name) {
            return id.clone();
        }
        let id = self.fresh_id(name, place.tiebreak());
        let mut entity = Map::new();
        entity.insert("id".into(), json!(id));
        entity.insert("name".into(), json!(name));
        let (list, ids) = match place {
            Place::Site => (&mut self.sites, &mut self.site_ids),
            Place::Vendor => (&mut self.vendors, &mut self.vendor_ids),
        };
        list.push(entity);
        ids.insert(name.to_owned(), id.clone());
        id
    }

    fn read_cis(&mut self, text: &str) -> Result<(), CmdbError> {
        const TABLE: &str = "cis";
        let table = Table::read(text, TABLE)?;
        let columns = &self.map.columns;
        let id_col = Some(table.column(TABLE, &columns.id)?);
        let class_col = Some(table.column(TABLE, &columns.class)?);
        let name_col = table.optional(&columns.name);
        let site_col = table.optional(&columns.site);
        let vendor_col = table.optional(&columns.vendor);
        for (line, record) in &table.rows {
            let line = *line;
            let sys_id = cell(record, id_col).to_owned();
            if record.len() != table.header.len() {
                self.skip(
                    TABLE,
                    line,
                    &sys_id,
                    format!(
                        "has {} fields where the header has {}",
                        record.len(),
                        table.header.len()
                    ),
                );
                continue;
            }
            if sys_id.is_empty() {
                self.skip(TABLE, line, "", format!("has no {}", columns.id));
                continue;
            }
            if self.cis.contains_key(&sys_id) {
                self.skip(
                    TABLE,
                    line,
                    &sys_id,
                    format!("repeats {} '{sys_id}'", columns.id),
                );
                continue;
            }
            let class = cell(record, class_col).to_owned();
            let name = match cell(record, name_col) {
                "" => sys_id.clone(),
                name => name.to_owned(),
            };
            let target = match self.map.class(&class) {
                None => {
                    self.skip(
                        TABLE,
                        line,
                        &sys_id,
                        format!("class '{class}' has no mapping"),
                    );
                    continue;
                }
                Some(ClassTarget::Ignore) => {
                    self.skip(
                        TABLE,
                        line,
                        &sys_id,
                        format!("class '{class}' is ignored by the map"),
                    );
                    continue;
                }
                Some(target) => target.clone(),
            };
            let mut attributes = Map::new();
            attributes.insert(SYS_ID_ATTRIBUTE.into(), json!(sys_id));
            attributes.insert(CLASS_ATTRIBUTE.into(), json!(class));
            let (id, role, index) = match target {
                // A site or vendor holds no edges of its own: its index is never read.
                ClassTarget::Site => (self.site(&name), Role::Site, 0),
                ClassTarget::Vendor => (self.vendor(&name), Role::Vendor, 0),
                ClassTarget::Function => {
                    let id = self.fresh_id(&name, &sys_id);
                    let mut f = Map::new();
                    f.insert("id".into(), json!(id));
                    f.insert("name".into(), json!(name));
                    let location = cell(record, site_col);
                    if !location.is_empty() {
                        let site = self.site(location);
                        f.insert("site".into(), json!(site));
                    }
                    f.insert("attributes".into(), Value::Object(attributes));
                    self.functions.push(f);
                    (id, Role::Function, self.functions.len() - 1)
                }
                ClassTarget::Asset {
                    kind,
                    min_up,
                    failover,
                    failover_time,
                } => {
                    let id = self.fresh_id(&name, &sys_id);
                    let mut a = Map::new();
                    a.insert("id".into(), json!(id));
                    a.insert("name".into(), json!(name));
                    a.insert("kind".into(), json!(kind.as_str()));
                    let (location, vendor) = (cell(record, site_col), cell(record, vendor_col));
                    if kind == AssetKind::Group {
                        // A group is where its members are, supplied by theirs: the model gives
                        // it neither, so the CMDB's values stay as attributes.
                        for (key, value) in
                            [(LOCATION_ATTRIBUTE, location), (VENDOR_ATTRIBUTE, vendor)]
                        {
                            if !value.is_empty() {
                                attributes.insert(key.into(), json!(value));
                            }
                        }
                    } else {
                        if !location.is_empty() {
                            let site = self.site(location);
                            a.insert("site".into(), json!(site));
                        }
                        if !vendor.is_empty() {
                            let vendor = self.vendor(vendor);
                            a.insert("vendor".into(), json!(vendor));
                        }
                    }
                    if kind == AssetKind::Group {
                        a.insert("members".into(), json!([]));
                        if let Some(min_up) = min_up {
                            a.insert("min_up".into(), json!(min_up));
                        }
                        if let Some(failover) = failover {
                            a.insert("failover".into(), json!(failover.as_str()));
                        }
                        if let Some(t) = failover_time {
                            a.insert("failover_time".into(), json!(t.to_string()));
                        }
                    }
                    a.insert("attributes".into(), Value::Object(attributes));
                    self.assets.push(a);
                    (id, Role::Asset(kind), self.assets.len() - 1)
                }
                ClassTarget::Ignore => continue,
            };
            self.by_name.entry(name).or_default().push(sys_id.clone());
            self.cis.insert(sys_id, Ci { id, role, index });
        }
        Ok(())
    }

    /// The CI a reference names: a sys_id, else a unique display name.
    fn resolve(&self, reference: &str) -> Result<&Ci, String> {
        if let Some(ci) = self.cis.get(reference) {
            return Ok(ci);
        }
        match self.by_name.get(reference).map(Vec::as_slice) {
            Some([one]) => self
                .cis
                .get(one)
                .ok_or_else(|| format!("'{reference}' is not an imported CI")),
            Some(many @ [_, _, ..]) => Err(format!(
                "'{reference}' names {} CIs ({}): use sys_ids",
                many.len(),
                many.join(", ")
            )),
            _ => Err(format!("'{reference}' is not an imported CI")),
        }
    }

    fn read_relations(&mut self, text: &str) -> Result<(), CmdbError> {
        const TABLE: &str = "relations";
        let table = Table::read(text, TABLE)?;
        let columns = &self.map.columns;
        let parent_col = Some(table.column(TABLE, &columns.parent)?);
        let child_col = Some(table.column(TABLE, &columns.child)?);
        let type_col = Some(table.column(TABLE, &columns.kind)?);
        for (line, record) in &table.rows {
            let line = *line;
            let (parent, kind, child) = (
                cell(record, parent_col),
                cell(record, type_col),
                cell(record, child_col),
            );
            let key = format!("{parent} {kind} {child}");
            if record.len() != table.header.len() {
                let reason = format!(
                    "has {} fields where the header has {}",
                    record.len(),
                    table.header.len()
                );
                self.skip(TABLE, line, &key, reason);
                continue;
            }
            let target = match self.map.relation(kind) {
                None => {
                    self.skip(TABLE, line, &key, format!("type '{kind}' has no mapping"));
                    continue;
                }
                Some(RelationTarget::Ignore) => {
                    self.skip(
                        TABLE,
                        line,
                        &key,
                        format!("type '{kind}' is ignored by the map"),
                    );
                    continue;
                }
                Some(target) => target,
            };
            let ends = self.resolve(parent).and_then(|p| {
                self.resolve(child).map(|c| {
                    (
                        (p.id.clone(), p.role, p.index),
                        (c.id.clone(), c.role, c.index),
                    )
                })
            });
            let ((p_id, p_role, p_index), (c_id, c_role, c_index)) = match ends {
                Ok(ends) => ends,
                Err(why) => {
                    self.skip(TABLE, line, &key, why);
                    continue;
                }
            };
            if p_id == c_id {
                self.skip(TABLE, line, &key, "relates a CI to itself".to_owned());
                continue;
            }
            let outcome = match target {
                RelationTarget::Depends { tolerance } => {
                    self.depend(line, (&p_id, p_role, p_index), (&c_id, c_role), tolerance)
                }
                RelationTarget::Membership => {
                    self.membership(line, (&p_id, p_role, p_index), (&c_id, c_role, c_index))
                }
                RelationTarget::Ignore => Ok(()),
            };
            if let Err(why) = outcome {
                self.skip(TABLE, line, &key, why);
            }
        }
        Ok(())
    }

    fn list_of(&mut self, role: Role, index: usize) -> Option<&mut Map<String, Value>> {
        match role {
            Role::Function => self.functions.get_mut(index),
            Role::Asset(_) => self.assets.get_mut(index),
            Role::Site | Role::Vendor => None,
        }
    }

    fn depend(
        &mut self,
        line: u64,
        (parent, p_role, p_index): (&str, Role, usize),
        (child, c_role): (&str, Role),
        tolerance: Option<crate::model::Duration>,
    ) -> Result<(), String> {
        if c_role == Role::Site || p_role == Role::Site {
            return Err(
                "a site neither depends nor is depended on (CIs name their location)".into(),
            );
        }
        if p_role != Role::Function && c_role == Role::Function {
            return Err(format!(
                "{parent} is an asset and cannot depend on the function {child}"
            ));
        }
        let key = (parent.to_owned(), child.to_owned(), false);
        self.not_repeated(&key, "dependency")?;
        let entry = match tolerance {
            None => json!(child),
            Some(t) => json!({"id": child, "tolerance": t.to_string()}),
        };
        let owner = self
            .list_of(p_role, p_index)
            .ok_or_else(|| format!("{parent} cannot hold dependencies"))?;
        push(owner, "depends_on", entry);
        self.edges.insert(key, line);
        Ok(())
    }

    fn membership(
        &mut self,
        line: u64,
        (parent, p_role, p_index): (&str, Role, usize),
        (child, c_role, c_index): (&str, Role, usize),
    ) -> Result<(), String> {
        let group = Role::Asset(AssetKind::Group);
        let (group_id, group_index, member, member_role) = match (p_role == group, c_role == group)
        {
            (true, false) => (parent, p_index, child, c_role),
            (false, true) => (child, c_index, parent, p_role),
            (true, true) => {
                return Err(format!(
                    "both {parent} and {child} are groups: which holds which is not said"
                ));
            }
            (false, false) => {
                return Err(format!(
                    "neither {parent} nor {child} is a group (map its class to kind group)"
                ));
            }
        };
        // A group's members are assets, groups or vendors (DESIGN §3).
        if !matches!(member_role, Role::Asset(_) | Role::Vendor) {
            return Err(format!(
                "{member} is neither an asset nor a vendor: it cannot be a group member"
            ));
        }
        let key = (group_id.to_owned(), member.to_owned(), true);
        self.not_repeated(&key, "membership")?;
        let holder = self
            .assets
            .get_mut(group_index)
            .ok_or_else(|| format!("{group_id} cannot hold members"))?;
        push(holder, "members", json!(member));
        self.edges.insert(key, line);
        Ok(())
    }

    /// An error naming the line that already wrote the dependency or membership `key`.
    fn not_repeated(&self, key: &(String, String, bool), what: &str) -> Result<(), String> {
        match self.edges.get(key) {
            Some(first) => Err(format!("repeats the {what} of line {first}")),
            None => Ok(()),
        }
    }

    fn finish(self) -> Result<CmdbImport, CmdbError> {
        let mut document = Map::new();
        document.insert("bcm".into(), json!(1));
        document.insert(
            "organization".into(),
            json!({"name": self.map.organization}),
        );
        for (key, list) in [
            ("sites", self.sites),
            ("vendors", self.vendors),
            ("functions", self.functions),
            ("assets", self.assets),
        ] {
            if !list.is_empty() {
                document.insert(
                    key.into(),
                    Value::Array(list.into_iter().map(Value::Object).collect()),
                );
            }
        }
        let model = Model::from_value(&Value::Object(document))?;
        Ok(CmdbImport {
            model,
            unmapped: self.unmapped,
        })
    }
}

fn push(entity: &mut Map<String, Value>, key: &str, value: Value) {
    match entity.get_mut(key) {
        Some(Value::Array(list)) => list.push(value),
        _ => {
            // Keep `attributes` last, as the model writes it.
            let attributes = entity.remove("attributes");
            entity.insert(key.to_owned(), Value::Array(vec![value]));
            if let Some(attributes) = attributes {
                entity.insert("attributes".to_owned(), attributes);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_ids() {
        assert_eq!(slug("Billing DB (prod)"), "Billing-DB-prod");
        assert_eq!(slug("  "), "");
        assert_eq!(slug("Zürich DC"), "Z-rich-DC");
        assert_eq!(slug(&"x".repeat(300)).len(), 100);
    }
}
