//! The dependency analyses (DESIGN §4.B–D, G): what each node must be back by, what a loss takes
//! down and what it costs, which single units take functions down, and how available each node
//! is. Each runs on an [`Analyzer`](crate::Analyzer)'s graph and shares its derived data.

pub mod availability;
pub mod cutsets;
pub mod impact;
pub mod objectives;
pub mod spof;
