//! Recovery simulation (DESIGN §4.F): the recovery schedule of §4.E run N times with every
//! three-point duration (restore of lost assets and vendors, resume of functions) drawn from
//! beta-PERT and rounded to whole seconds.
//!
//! Iteration `i` draws from a ChaCha8 stream selected by `(seed, i)` alone, and everything kept
//! is an integer count (per function: iterations meeting the RTO and the MTD, the sum of recovery
//! times, and the number of iterations per recovery second), so the result of any split of the
//! iterations, on any number of threads or machines, merges to exactly the same answer.
//!
//! Memory does not grow with the iteration count: the work is handed out chunk by chunk (never
//! as a list of every chunk), and each thread folds the recovery times it buffers into its
//! histograms whenever the buffers reach [`FOLD_VALUES`], so a run holds at most the
//! histograms (one bin per distinct second) and one buffer per thread. Counts are exact, so
//! when a thread folds does not change the answer.

use std::ops::Range;

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rayon::prelude::*;

use super::bits::NONE;
use super::engine::Run;
use super::index::At;
use super::pert::{BetaPert, Shapes};
use super::plan::Plan;
use crate::Analyzer;
use crate::model::{Estimate, Model};
use crate::schedule::ScheduleError;

pub use crate::analysis::MAX_ITERATIONS;

/// How many recovery times a thread buffers (over all functions) before folding them into its
/// histograms: 32 MiB of `u64`.
const FOLD_VALUES: usize = 4 << 20;

/// Parameters of [`simulate`]; as JSON `{"lose": ["hq"], "iterations": 10000, "seed": 7}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SimulateParams {
    /// The failure units lost at t = 0 (assets, groups, sites, vendors).
    pub lose: Vec<String>,
    /// How many iterations (default 10,000).
    pub iterations: u64,
    /// The seed of every iteration's random stream (default 0).
    pub seed: u64,
}

impl Default for SimulateParams {
    fn default() -> Self {
        SimulateParams {
            lose: Vec::new(),
            iterations: 10_000,
            seed: 0,
        }
    }
}

/// Why a simulation cannot run.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SimulateError {
    /// The scenario is not valid (see [`ScheduleError`]).
    #[error(transparent)]
    Scenario(#[from] ScheduleError),
    /// An iteration range that ends before it starts.
    #[error("end ({end}) is before start ({start})")]
    InvertedRange {
        /// The first iteration asked for.
        start: u64,
        /// The iteration after the last one asked for.
        end: u64,
    },
    /// More iterations than [`MAX_ITERATIONS`] in one call.
    #[error(
        "{asked} iterations is more than the {limit} one call runs; split the work into ranges"
    )]
    TooManyIterations {
        /// The iterations asked for.
        asked: u64,
        /// [`MAX_ITERATIONS`].
        limit: u64,
    },
    /// The caller asked to stop (see [`crate::Cancel`]); nothing was kept.
    #[error("cancelled")]
    Cancelled,
    /// Two tallies of different simulations cannot be merged.
    #[error("cannot merge tallies of different simulations: {0}")]
    Mismatch(&'static str),
    /// Two tallies both count some iterations: merged, those would count twice.
    #[error("cannot merge tallies that both count iterations {start} to {end} (not included)")]
    Overlap {
        /// The first iteration both count.
        start: u64,
        /// The iteration after the last of that shared run.
        end: u64,
    },
    /// Merging two tallies would overflow a count (they cannot both come from real runs).
    #[error("cannot merge tallies: the merged counts overflow")]
    Overflow,
    /// A tally read back from JSON is not JSON of a tally.
    #[error("not a simulation tally: {0}")]
    TallyJson(String),
    /// A tally read back from JSON contradicts itself: `path` is a JSON Pointer into it.
    #[error("inconsistent simulation tally at {path}: {message}")]
    InvalidTally {
        /// Where, as a JSON Pointer (`/functions/2/met_rto`).
        path: String,
        /// What is wrong, with the values.
        message: String,
    },
}

pub use super::tally::{
    FunctionSimulation, FunctionTally, Histogram, NodeSimulation, Simulation, SimulationTally,
};

/// How one duration is drawn.
#[derive(Debug, Clone)]
enum Draw {
    Fixed(u64),
    Pert(BetaPert),
}

impl Draw {
    /// The draw of `estimate`, its table taken from `shapes` or added to it.
    fn of(estimate: &Estimate<crate::model::Duration>, shapes: &mut Shapes) -> Draw {
        let (min, likely, max) = estimate.points();
        let (min, likely, max) = (min.as_secs(), likely.as_secs(), max.as_secs());
        // A degenerate estimate, or one out of order (a validation error), is read at its
        // likely value.
        shapes
            .pert(min as f64, likely as f64, max as f64)
            .map_or(Draw::Fixed(likely), Draw::Pert)
    }

    fn sample<R: RngCore>(&self, rng: &mut R) -> u64 {
        match self {
            Draw::Fixed(x) => *x,
            Draw::Pert(pert) => pert.sample(rng),
        }
    }
}

/// Per-thread working state, and what the thread's iterations gave so far.
struct Scratch {
    run: Run,
    dur: Vec<u64>,
    stamps: Vec<u64>,
    /// Per function: `up_at` of each iteration not yet folded into `folded`.
    values: Vec<Vec<u64>>,
    /// How many values `values` holds in all.
    buffered: usize,
    /// Per function: the histogram of the iterations folded so far.
    folded: Vec<Histogram>,
    /// Per function: iterations meeting the RTO, the MTD, and the sum of `up_at`.
    met: Vec<(u64, u64, u128)>,
    /// Per node: iterations with it on a critical path.
    counts: Vec<u64>,
    iterations: u64,
}

impl Scratch {
    /// Adds what `other`'s iterations gave to this one's.
    fn absorb(&mut self, mut other: Scratch) {
        self.fold();
        other.fold();
        for (a, b) in self.folded.iter_mut().zip(&other.folded) {
            // Both count real iterations of disjoint ranges: their bins cannot overflow u64.
            let merged = a.merge(b);
            debug_assert!(merged.is_ok(), "a simulation's own counts overflowed");
        }
        for (a, b) in self.met.iter_mut().zip(&other.met) {
            a.0 += b.0;
            a.1 += b.1;
            a.2 += b.2;
        }
        for (a, b) in self.counts.iter_mut().zip(&other.counts) {
            *a += b;
        }
        self.iterations += other.iterations;
    }

    /// Folds the buffered recovery times into the histograms.
    fn fold(&mut self) {
        for (list, histogram) in self.values.iter_mut().zip(&mut self.folded) {
            if list.is_empty() {
                continue;
            }
            let new = Histogram::of(list);
            if histogram.counts.is_empty() && histogram.never == 0 {
                *histogram = new;
            } else {
                let merged = histogram.merge(&new);
                debug_assert!(merged.is_ok(), "a simulation's own counts overflowed");
            }
            list.clear();
        }
        self.buffered = 0;
    }
}

/// The functions' IDs, and per recovery run each one's outage (seconds; `None`: never back).
pub(crate) type Outages = (Vec<String>, Vec<Vec<Option<u64>>>);

/// Every affected function's outage (`up − down`, seconds; `None`: never back) in each of the
/// recovery runs `range` of the simulation of losing `lose` from `seed`, with the functions' IDs
/// (the order of each run's list). Runs on the caller's thread; the caller bounds `range`. For
/// the loss of a scenario, taken from the recovery model (DESIGN §4.H.4).
///
/// # Errors
/// [`SimulateError::Scenario`] if `lose` names something that is not a failure unit.
pub(crate) fn outages(
    analyzer: &Analyzer<'_>,
    lose: &[String],
    seed: u64,
    range: Range<u64>,
) -> Result<Outages, SimulateError> {
    let params = SimulateParams {
        lose: lose.to_vec(),
        iterations: 0,
        seed,
    };
    let prepared = Prepared::new(analyzer, &params)?;
    let plan = &prepared.plan;
    // With no three-point duration, every run is the schedule: one is enough.
    let range = if prepared.draws.is_empty() {
        range.start..range.end.min(range.start.saturating_add(1))
    } else {
        range
    };
    let mut scratch = prepared.scratch();
    let mut runs = Vec::new();
    for i in range {
        let mut rng = stream(seed, i);
        for (node, draw) in &prepared.draws {
            if let Some(slot) = scratch.dur.get_mut(*node) {
                *slot = draw.sample(&mut rng);
            }
        }
        scratch.run.execute(plan, &scratch.dur, false);
        let outage = plan
            .functions
            .iter()
            .map(|&f| {
                let down = scratch.run.down.at(f);
                let up = scratch.run.up.at(f);
                if down == NONE {
                    Some(0)
                } else if up == NONE {
                    None
                } else {
                    Some(up.saturating_sub(down))
                }
            })
            .collect();
        runs.push(outage);
    }
    Ok((prepared.function_ids.clone(), runs))
}

/// The random stream of iteration `i`: depends on `(seed, i)` only.
fn stream(seed: u64, i: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(i);
    rng
}

struct Prepared {
    plan: Plan,
    draws: Vec<(usize, Draw)>,
    /// Per plan function (in ID order): (rto, mtd, wrt).
    targets: Vec<(Option<u64>, Option<u64>, u64)>,
    function_ids: Vec<String>,
    /// Plan nodes in ID order: (local index, ID).
    nodes_by_id: Vec<(usize, String)>,
    /// A thread folds its buffered recovery times once it holds this many ([`FOLD_VALUES`]).
    fold_at: usize,
}

impl Prepared {
    fn new(analyzer: &Analyzer<'_>, params: &SimulateParams) -> Result<Self, SimulateError> {
        let (model, graph) = (analyzer.model(), analyzer.graph());
        let plan = Plan::new(analyzer, &params.lose)?;
        let mut shapes = Shapes::default();
        let draws = plan
            .estimates(model, graph)
            .iter()
            .enumerate()
            .filter_map(|(i, e)| e.as_ref().map(|e| (i, Draw::of(e, &mut shapes))))
            .filter(|(_, d)| !matches!(d, Draw::Fixed(_)))
            .collect();
        let mut targets = Vec::new();
        let mut function_ids = Vec::new();
        for &f in &plan.functions {
            let node = plan.nodes.get(f as usize).copied();
            let function = node
                .and_then(|n| graph.weight(n))
                .and_then(|w| model.functions.get(w.index));
            targets.push((
                function.and_then(|f| f.rto).map(|d| d.as_secs()),
                function.and_then(|f| f.mtd).map(|d| d.as_secs()),
                function.and_then(|f| f.wrt).map_or(0, |d| d.as_secs()),
            ));
            function_ids.push(node.map(|n| graph.id(n).to_owned()).unwrap_or_default());
        }
        let mut nodes_by_id: Vec<(usize, String)> = plan
            .nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (i, graph.id(*n).to_owned()))
            .collect();
        nodes_by_id.sort_by(|a, b| a.1.cmp(&b.1).then(a.0.cmp(&b.0)));
        Ok(Prepared {
            plan,
            draws,
            targets,
            function_ids,
            nodes_by_id,
            fold_at: FOLD_VALUES,
        })
    }

    fn scratch(&self) -> Scratch {
        let plan = &self.plan;
        Scratch {
            run: Run::default(),
            dur: plan.likely.clone(),
            stamps: vec![NONE; plan.len()],
            values: vec![Vec::new(); plan.functions.len()],
            buffered: 0,
            folded: vec![Histogram::default(); plan.functions.len()],
            met: vec![(0, 0, 0); plan.functions.len()],
            counts: vec![0; plan.len()],
            iterations: 0,
        }
    }

    /// Runs iterations `range` in this thread, adding to what `scratch` holds.
    fn run(&self, seed: u64, range: Range<u64>, scratch: &mut Scratch) {
        let plan = &self.plan;
        scratch.iterations += range.end.saturating_sub(range.start);
        for i in range {
            let mut rng = stream(seed, i);
            for (node, draw) in &self.draws {
                if let Some(slot) = scratch.dur.get_mut(*node) {
                    *slot = draw.sample(&mut rng);
                }
            }
            scratch.run.execute(plan, &scratch.dur, false);
            scratch
                .run
                .count_critical(plan, &mut scratch.stamps, i, &mut scratch.counts);
            for (k, &f) in plan.functions.iter().enumerate() {
                let down = scratch.run.down.at(f);
                let up = if down == NONE {
                    0
                } else {
                    scratch.run.up.at(f)
                };
                if let (Some(list), Some(m), Some(&(rto, mtd, wrt))) = (
                    scratch.values.get_mut(k),
                    scratch.met.get_mut(k),
                    self.targets.get(k),
                ) {
                    list.push(up);
                    scratch.buffered += 1;
                    if up != NONE {
                        m.0 += u64::from(rto.is_some_and(|r| up <= r));
                        m.1 += u64::from(mtd.is_some_and(|d| up.saturating_add(wrt) <= d));
                        m.2 += u128::from(up);
                    }
                }
            }
        }
    }

    /// The tally of what `scratch` ran: iterations `range`.
    fn tally(&self, seed: u64, range: Range<u64>, mut scratch: Scratch) -> SimulationTally {
        scratch.fold();
        let functions = std::mem::take(&mut scratch.folded)
            .into_iter()
            .zip(&scratch.met)
            .zip(&self.targets)
            .zip(&self.function_ids)
            .map(|(((histogram, m), t), id)| FunctionTally {
                id: id.clone(),
                rto: t.0,
                mtd: t.1,
                wrt: t.2,
                met_rto: m.0,
                met_mtd: m.1,
                sum: m.2,
                histogram,
            })
            .collect();
        let critical = self
            .nodes_by_id
            .iter()
            .map(|(i, id)| (id.clone(), scratch.counts.get(*i).copied().unwrap_or(0)))
            .collect();
        debug_assert_eq!(scratch.iterations, range.end - range.start);
        SimulationTally {
            seed,
            iterations: scratch.iterations,
            ranges: if range.is_empty() {
                Vec::new()
            } else {
                vec![(range.start, range.end)]
            },
            functions,
            critical,
        }
    }
}

/// Iterations per unit of parallel work at most: large enough to amortise the tally, small
/// enough to balance two to a few dozen threads.
const CHUNK: u64 = 512;

/// Units of parallel work per thread at least, so that a short run (200 iterations of a large
/// estate, each tens of milliseconds) is shared between the threads rather than being one chunk.
const CHUNKS_PER_THREAD: u64 = 8;

/// The tally of iterations `range` of the simulation `params` describes (`params.iterations` is
/// ignored), in parallel on rayon's pool. Tallies of disjoint ranges [`merge`](SimulationTally::merge)
/// into exactly the tally of their union.
///
/// # Errors
/// [`SimulateError::InvertedRange`] if `range` ends before it starts (an empty range, `k..k`,
/// is a tally of no iterations); [`SimulateError::Scenario`] if `lose` names something that is
/// not a failure unit.
///
/// To run several simulations on one model, use an [`Analyzer`], which prepares the graph once.
pub fn simulate_range(
    model: &Model,
    params: &SimulateParams,
    range: Range<u64>,
) -> Result<SimulationTally, SimulateError> {
    Analyzer::borrowed(model).simulate_range(params, range)
}

pub(crate) fn simulate_range_on(
    analyzer: &Analyzer<'_>,
    params: &SimulateParams,
    range: Range<u64>,
) -> Result<SimulationTally, SimulateError> {
    simulate_folding(analyzer, params, range, FOLD_VALUES)
}

/// [`simulate_range_on`], folding recovery times into histograms every `fold_at` values.
fn simulate_folding(
    analyzer: &Analyzer<'_>,
    params: &SimulateParams,
    range: Range<u64>,
    fold_at: usize,
) -> Result<SimulationTally, SimulateError> {
    if range.end < range.start {
        return Err(SimulateError::InvertedRange {
            start: range.start,
            end: range.end,
        });
    }
    let asked = range.end - range.start;
    if asked > MAX_ITERATIONS {
        return Err(SimulateError::TooManyIterations {
            asked,
            limit: MAX_ITERATIONS,
        });
    }
    let prepared = Prepared {
        fold_at,
        ..Prepared::new(analyzer, params)?
    };
    let seed = params.seed;
    let cancel = analyzer.cancel();
    // Chunk c is iterations [start + c·size, …), handed out one at a time. Each thread keeps
    // adding to its own scratch, and the scratches are pooled before one tally: exact counts, so
    // the grouping does not matter. Cancellation is checked before each chunk.
    let start = range.start;
    let threads = analyzer.threads().get() as u64;
    let size = asked
        .div_ceil(threads.saturating_mul(CHUNKS_PER_THREAD))
        .clamp(1, CHUNK);
    let chunk = |c: u64| {
        let from = start + c * size;
        from..from.saturating_add(size).min(range.end)
    };
    let progress = analyzer.progress();
    let step = |mut scratch: Scratch, c: u64| {
        if !crate::threads::poll_here(cancel) {
            let iterations = chunk(c);
            let count = iterations.end - iterations.start;
            prepared.run(seed, iterations, &mut scratch);
            if scratch.buffered >= prepared.fold_at {
                scratch.fold();
            }
            progress.advance(count);
        }
        scratch
    };
    let chunks = asked.div_ceil(size);
    progress.begin("recovery simulation", asked);
    let total = analyzer.threads().run(cancel, |threaded| {
        if threaded {
            (0..chunks)
                .into_par_iter()
                .fold(|| prepared.scratch(), step)
                .reduce_with(|mut a, b| {
                    a.absorb(b);
                    a
                })
                .unwrap_or_else(|| prepared.scratch())
        } else {
            (0..chunks).fold(prepared.scratch(), step)
        }
    });
    if cancel.is_requested() {
        cancel.reset();
        return Err(SimulateError::Cancelled);
    }
    Ok(prepared.tally(seed, range, total))
}

/// Simulates the recovery from losing `params.lose` `params.iterations` times (DESIGN §4.F).
///
/// Complexity: O(iterations × (n + e) log n) over the n nodes and e edges the loss can reach,
/// divided among the analyzer's [`crate::Threads`].
///
/// ```
/// use bcm_core::Model;
/// use bcm_core::simulate::{simulate, SimulateParams};
/// let m = Model::from_yaml_str(
///     "bcm: 1\norganization: {name: x}\n\
///      functions: [{id: pay, rto: 4h, depends_on: [db]}]\n\
///      assets: [{id: db, kind: data, restore: {min: 1h, likely: 2h, max: 6h}}]\n",
/// )?;
/// let params = SimulateParams { lose: vec!["db".into()], iterations: 2000, seed: 7 };
/// let r = simulate(&m, &params)?;
/// let pay = &r.functions[0];
/// // PERT(1h, 2h, 6h): the mean is (1 + 4·2 + 6)/6 = 2.5h; most iterations meet the 4h RTO.
/// assert!((pay.mean.unwrap() / 3600.0 - 2.5).abs() < 0.1);
/// assert!(pay.p_meet_rto.unwrap() > 0.85);
/// assert_eq!(simulate(&m, &params)?, r); // same seed, same answer
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
/// [`SimulateError::Scenario`] if `lose` names something that is not a failure unit.
///
/// To run several simulations on one model, use an [`Analyzer`], which prepares the graph once.
pub fn simulate(model: &Model, params: &SimulateParams) -> Result<Simulation, SimulateError> {
    Analyzer::borrowed(model).simulate(params)
}
#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Duration;

    fn agency() -> Model {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../../examples/agency.yaml");
        Model::from_yaml_str(&std::fs::read_to_string(path).unwrap()).unwrap()
    }

    /// Losing the agency's Chelsea data centre.
    fn chelsea(iterations: u64, seed: u64) -> SimulateParams {
        SimulateParams {
            lose: vec!["chelsea-dc".into()],
            iterations,
            seed,
        }
    }

    /// Folding the buffered recovery times into histograms after every value, every 7 or never
    /// gives the same tally: when a thread folds changes memory, never the answer.
    #[test]
    fn folding_early_or_late_gives_the_same_tally() {
        let m = agency();
        let a = Analyzer::borrowed(&m);
        let params = chelsea(0, 5);
        let whole = simulate_folding(&a, &params, 0..1500, usize::MAX).unwrap();
        for fold_at in [1, 7, 1000] {
            let folded = simulate_folding(&a, &params, 0..1500, fold_at).unwrap();
            assert_eq!(folded, whole, "folding every {fold_at}");
        }
        assert_eq!(whole.iterations, 1500);
    }

    /// A huge count is refused before any work or allocation (it used to abort the process
    /// building the list of chunks: 31,250,000,000 bytes for 10^12 iterations).
    #[test]
    fn more_iterations_than_the_limit_are_refused_before_any_work() {
        let m = agency();
        let a = Analyzer::borrowed(&m);
        let params = chelsea(1_000_000_000_000, 1);
        assert_eq!(
            a.simulate(&params),
            Err(SimulateError::TooManyIterations {
                asked: 1_000_000_000_000,
                limit: MAX_ITERATIONS
            })
        );
        assert_eq!(
            a.simulate_range(&params, 0..u64::MAX)
                .unwrap_err()
                .to_string(),
            "18446744073709551615 iterations is more than the 1000000000 one call runs; \
             split the work into ranges"
        );
        // The limit itself is allowed (an empty range at the top of the iteration space, too).
        assert!(a.simulate_range(&params, u64::MAX..u64::MAX).is_ok());
        let top = u64::MAX - 3;
        assert_eq!(
            a.simulate_range(&params, top..u64::MAX).unwrap().iterations,
            3
        );
    }

    #[test]
    fn pert_draws_have_the_beta_pert_mean_and_variance() {
        // PERT(1000, 2000, 6000): α = 1 + 4·1000/5000 = 1.8, β = 1 + 4·4000/5000 = 4.2;
        // mean = (1000 + 4·2000 + 6000)/6 = 2500; variance = αβ/((α+β)²(α+β+1))·5000²
        // = 7.56/(36·7)·25e6 = 750,000 (σ ≈ 866).
        let estimate = Estimate::ThreePoint {
            min: Duration::from_secs(1000),
            likely: Duration::from_secs(2000),
            max: Duration::from_secs(6000),
        };
        let draw = Draw::of(&estimate, &mut Shapes::default());
        let n = 200_000u32;
        let mut rng = stream(3, 0);
        let values: Vec<f64> = (0..n).map(|_| draw.sample(&mut rng) as f64).collect();
        let mean = values.iter().sum::<f64>() / f64::from(n);
        let variance = values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / f64::from(n);
        // Standard error of the mean ≈ 866/√200000 ≈ 1.9; of the variance ≈ 0.4%.
        assert!((mean - 2500.0).abs() < 10.0, "mean {mean}");
        assert!(
            (variance / 750_000.0 - 1.0).abs() < 0.02,
            "variance {variance}"
        );
        assert!(values.iter().all(|v| (1000.0..=6000.0).contains(v)));
    }

    #[test]
    fn degenerate_and_disordered_estimates_are_read_at_likely() {
        let fixed = |min, likely, max| {
            let e = Estimate::ThreePoint {
                min: Duration::from_secs(min),
                likely: Duration::from_secs(likely),
                max: Duration::from_secs(max),
            };
            Draw::of(&e, &mut Shapes::default()).sample(&mut stream(0, 0))
        };
        assert_eq!(fixed(5, 5, 5), 5);
        assert_eq!(fixed(1, 9, 5), 9); // likely above max: a validation error
    }
}
