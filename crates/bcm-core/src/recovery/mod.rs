//! Recovery (DESIGN §4.E–F): the schedule of restores after a loss, with teams, and its Monte
//! Carlo simulation. The schedule engine is split by concern: the `layout` of every node,
//! a scenario's `plan`, the `engine` that runs it and the `tries` that settle groups early, the
//! `group` rule, the `report` written from its times, and the `gantt` and `compare` views of a
//! report.

mod bits;
mod compare;
mod engine;
mod gantt;
mod group;
mod index;
pub(crate) mod layout;
mod path;
pub(crate) mod pert;
mod plan;
mod report;
pub mod schedule;
pub mod simulate;
mod tally;
mod tries;
