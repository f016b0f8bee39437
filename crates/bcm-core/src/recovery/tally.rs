//! What a simulation keeps: exact counts per function (iterations meeting the RTO and the MTD,
//! the sum of recovery times, a histogram per whole second) and per node (critical-path counts),
//! mergeable across disjoint iteration ranges, checked when read back from JSON, and the result
//! (shares, mean, percentiles) computed from them.
//!
//! Invariant: a tally's counts agree with its histograms (what [`SimulationTally::from_json_str`]
//! checks), so merging tallies of disjoint ranges gives exactly the tally of their union.

use serde::{Deserialize, Serialize};

use super::bits::NONE;
use super::simulate::SimulateError;

/// An exact histogram of whole seconds: how many iterations gave each value, and how many never
/// finished.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Histogram {
    /// (value, iterations), sorted by value, counts > 0.
    pub counts: Vec<(u64, u64)>,
    /// Iterations with no value (never back).
    pub never: u64,
}

impl Histogram {
    /// A histogram of `values` (sorted here), where [`u64::MAX`] means never.
    pub(super) fn of(values: &mut [u64]) -> Self {
        values.sort_unstable();
        let mut h = Histogram::default();
        for &v in values.iter() {
            if v == NONE {
                h.never += 1;
                continue;
            }
            match h.counts.last_mut() {
                Some((last, count)) if *last == v => *count += 1,
                _ => h.counts.push((v, 1)),
            }
        }
        h
    }

    /// Adds `other`'s counts to this one's.
    ///
    /// # Errors
    /// [`SimulateError::Overflow`] if a count would overflow; `self` is then unchanged.
    pub fn merge(&mut self, other: &Histogram) -> Result<(), SimulateError> {
        *self = self.merged(other).ok_or(SimulateError::Overflow)?;
        Ok(())
    }

    /// The sum of two histograms (both sorted by value); `None` on overflow.
    fn merged(&self, other: &Histogram) -> Option<Histogram> {
        let mut counts = Vec::with_capacity(self.counts.len() + other.counts.len());
        let (mut a, mut b) = (
            self.counts.iter().peekable(),
            other.counts.iter().peekable(),
        );
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(&&(x, m)), Some(&&(y, n))) if x == y => {
                    a.next();
                    b.next();
                    (x, m.checked_add(n)?)
                }
                (Some(&&(x, m)), Some(&&(y, _))) if x < y => {
                    a.next();
                    (x, m)
                }
                (_, Some(&&p)) => {
                    b.next();
                    p
                }
                (Some(&&p), None) => {
                    a.next();
                    p
                }
                (None, None) => break,
            };
            counts.push(next);
        }
        Some(Histogram {
            counts,
            never: self.never.checked_add(other.never)?,
        })
    }

    /// How many values it holds, never included.
    pub fn total(&self) -> u64 {
        self.counts.iter().map(|(_, c)| c).sum::<u64>() + self.never
    }

    /// The nearest-rank `p`-th percentile: the smallest value that at least `p`% of the
    /// iterations do not exceed; `None` if that is "never" or the histogram is empty.
    ///
    /// ```
    /// use bcm_core::simulate::Histogram;
    /// let h = Histogram { counts: vec![(10, 5), (20, 4), (30, 1)], never: 0 };
    /// assert_eq!(h.percentile(50), Some(10)); // 5 of 10 are ≤ 10
    /// assert_eq!(h.percentile(90), Some(20)); // 9 of 10 are ≤ 20
    /// assert_eq!(h.percentile(99), Some(30));
    /// ```
    pub fn percentile(&self, p: u32) -> Option<u64> {
        let total = u128::from(self.total());
        if total == 0 {
            return None;
        }
        // The rank: the smallest k with k ≥ p% of total, at least 1.
        let rank = (u128::from(p) * total).div_ceil(100).max(1);
        let mut seen = 0u128;
        for &(value, count) in &self.counts {
            seen += u128::from(count);
            if seen >= rank {
                return Some(value);
            }
        }
        None
    }
}

/// What the simulation keeps of one function: enough to merge exactly.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FunctionTally {
    /// The function's ID.
    pub id: String,
    /// Its RTO in seconds, if declared.
    pub rto: Option<u64>,
    /// Its MTD in seconds, if declared.
    pub mtd: Option<u64>,
    /// Its WRT in seconds (0 if absent).
    pub wrt: u64,
    /// Iterations with `up_at ≤ rto`.
    pub met_rto: u64,
    /// Iterations with `up_at + wrt ≤ mtd`.
    pub met_mtd: u64,
    /// The sum of `up_at` over the iterations where it came back.
    pub sum: u128,
    /// `up_at` per iteration (0 when the iteration did not affect the function).
    pub histogram: Histogram,
}

/// The mergeable state of a simulation over some iterations. Its JSON (serde) is what
/// separate processes or machines exchange: [`SimulationTally::from_json_str`] reads it back.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SimulationTally {
    /// The seed.
    pub seed: u64,
    /// How many iterations it covers.
    pub iterations: u64,
    /// Which iterations it covers: `[start, end)` ranges, sorted, each non-empty, apart from one
    /// another (adjacent ranges are joined), their lengths adding up to `iterations`. A merge of
    /// tallies that share an iteration is refused: it would count it twice.
    pub ranges: Vec<(u64, u64)>,
    /// The functions the scenario can reach, sorted by ID.
    pub functions: Vec<FunctionTally>,
    /// The nodes the scenario can reach, sorted by ID, with the number of iterations in which
    /// each was on some function's critical path.
    pub critical: Vec<(String, u64)>,
}

/// One function's simulated recovery.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunctionSimulation {
    /// The function's ID.
    pub id: String,
    /// Share of iterations with `up_at ≤ rto`; `None` without an RTO.
    pub p_meet_rto: Option<f64>,
    /// Share of iterations with `up_at + wrt ≤ mtd`; `None` without an MTD.
    pub p_meet_mtd: Option<f64>,
    /// Mean `up_at` in seconds; `None` if some iteration never brought it back.
    pub mean: Option<f64>,
    /// Nearest-rank percentiles of `up_at` (seconds); `None` where that rank is "never".
    pub p50: Option<u64>,
    /// 90th percentile.
    pub p90: Option<u64>,
    /// 99th percentile.
    pub p99: Option<u64>,
}

/// How often a node was on a function's critical path.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NodeSimulation {
    /// The node's ID.
    pub id: String,
    /// Share of iterations in which it was on the critical path of at least one function.
    pub critical_share: f64,
}

/// The result of [`simulate`](super::simulate::simulate) (DESIGN §5 `simulate`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Simulation {
    /// How many iterations.
    pub iterations: u64,
    /// The seed.
    pub seed: u64,
    /// The functions the scenario can reach, sorted by ID (an iteration that leaves one up
    /// counts as recovery at 0).
    pub functions: Vec<FunctionSimulation>,
    /// The nodes the scenario can reach, sorted by ID.
    pub nodes: Vec<NodeSimulation>,
}

/// The iterations of both range lists, joined where they touch; an error naming the first
/// iterations both count.
fn union(a: &[(u64, u64)], b: &[(u64, u64)]) -> Result<Vec<(u64, u64)>, SimulateError> {
    let mut all: Vec<(u64, u64)> = a.iter().chain(b).copied().collect();
    all.sort_unstable();
    let mut joined: Vec<(u64, u64)> = Vec::with_capacity(all.len());
    for (start, end) in all {
        match joined.last_mut() {
            Some(last) if start < last.1 => {
                return Err(SimulateError::Overlap {
                    start,
                    end: end.min(last.1),
                });
            }
            Some(last) if start == last.1 => last.1 = end,
            _ => joined.push((start, end)),
        }
    }
    Ok(joined)
}

impl SimulationTally {
    /// Adds the iterations of `other`, a tally of the same scenario and seed over other
    /// iterations.
    ///
    /// # Errors
    /// [`SimulateError::Mismatch`] if the seeds, functions or nodes differ;
    /// [`SimulateError::Overlap`] if both count some iteration (merging a tally with itself);
    /// [`SimulateError::Overflow`] on counts no simulation gives. `self` is then unchanged.
    pub fn merge(&mut self, other: &SimulationTally) -> Result<(), SimulateError> {
        if self.seed != other.seed {
            return Err(SimulateError::Mismatch("the seeds differ"));
        }
        let same_functions =
            self.functions.len() == other.functions.len()
                && self.functions.iter().zip(&other.functions).all(|(a, b)| {
                    a.id == b.id && a.rto == b.rto && a.mtd == b.mtd && a.wrt == b.wrt
                });
        let same_nodes = self.critical.len() == other.critical.len()
            && self
                .critical
                .iter()
                .zip(&other.critical)
                .all(|(a, b)| a.0 == b.0);
        if !same_functions || !same_nodes {
            return Err(SimulateError::Mismatch("the scenarios differ"));
        }
        let mut sum = self.sum(other).ok_or(SimulateError::Overflow)?;
        sum.ranges = union(&self.ranges, &other.ranges)?;
        *self = sum;
        Ok(())
    }

    /// The counts of two tallies of the same simulation added; `None` on overflow.
    fn sum(&self, other: &SimulationTally) -> Option<SimulationTally> {
        let mut functions = Vec::with_capacity(self.functions.len());
        for (a, b) in self.functions.iter().zip(&other.functions) {
            functions.push(FunctionTally {
                met_rto: a.met_rto.checked_add(b.met_rto)?,
                met_mtd: a.met_mtd.checked_add(b.met_mtd)?,
                sum: a.sum.checked_add(b.sum)?,
                histogram: a.histogram.merged(&b.histogram)?,
                ..a.clone()
            });
        }
        let mut critical = Vec::with_capacity(self.critical.len());
        for ((id, m), (_, n)) in self.critical.iter().zip(&other.critical) {
            critical.push((id.clone(), m.checked_add(*n)?));
        }
        Some(SimulationTally {
            seed: self.seed,
            iterations: self.iterations.checked_add(other.iterations)?,
            ranges: Vec::new(),
            functions,
            critical,
        })
    }

    /// Reads a tally from its JSON (as `serde_json` writes a [`SimulationTally`]) and checks
    /// that it is one a simulation could have given: functions and nodes sorted by ID, each
    /// once; every histogram sorted by value, with no empty bin, counting each iteration once;
    /// `met_rto`, `met_mtd` and `sum` equal to what its histogram gives; and the iteration
    /// ranges sorted, apart, and as many iterations as it counts. So a tally that
    /// went through a file or another machine merges as exactly as one that did not.
    ///
    /// ```
    /// use bcm_core::{Analyzer, Model};
    /// use bcm_core::simulate::{SimulateParams, SimulationTally};
    /// let a = Analyzer::new(Model::from_yaml_str(
    ///     "bcm: 1\norganization: {name: x}\n\
    ///      functions: [{id: pay, rto: 4h, depends_on: [db]}]\n\
    ///      assets: [{id: db, kind: data, restore: {min: 1h, likely: 2h, max: 6h}}]\n",
    /// )?);
    /// let params = SimulateParams { lose: vec!["db".into()], iterations: 0, seed: 7 };
    /// // Two workers, each a share of the iterations, their tallies sent as JSON.
    /// let first = serde_json::to_string(&a.simulate_range(&params, 0..300)?)?;
    /// let second = serde_json::to_string(&a.simulate_range(&params, 300..1000)?)?;
    /// let mut tally = SimulationTally::from_json_str(&first)?;
    /// tally.merge(&SimulationTally::from_json_str(&second)?)?;
    /// assert_eq!(tally, a.simulate_range(&params, 0..1000)?);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    /// [`SimulateError::TallyJson`] if the text is not JSON of a tally;
    /// [`SimulateError::InvalidTally`] naming the first inconsistency.
    pub fn from_json_str(text: &str) -> Result<SimulationTally, SimulateError> {
        let tally: SimulationTally =
            serde_json::from_str(text).map_err(|e| SimulateError::TallyJson(e.to_string()))?;
        tally.check()?;
        Ok(tally)
    }

    /// The consistency [`SimulationTally::from_json_str`] checks.
    fn check(&self) -> Result<(), SimulateError> {
        let invalid = |path: String, message: String| SimulateError::InvalidTally { path, message };
        let n = self.iterations;
        for (k, pair) in self.functions.windows(2).enumerate() {
            if let [a, b] = pair
                && a.id >= b.id
            {
                return Err(invalid(
                    format!("/functions/{}/id", k + 1),
                    format!(
                        "{:?} comes after {:?}: functions are sorted by ID, each once",
                        b.id, a.id
                    ),
                ));
            }
        }
        for (k, f) in self.functions.iter().enumerate() {
            let at = |field: &str| format!("/functions/{k}/{field}");
            let (mut total, mut met_rto, mut met_mtd, mut sum) =
                (f.histogram.never, 0u64, 0u64, 0u128);
            let mut last = None;
            for (j, &(value, count)) in f.histogram.counts.iter().enumerate() {
                let bin = format!("/functions/{k}/histogram/counts/{j}");
                if count == 0 {
                    return Err(invalid(bin, format!("the bin of {value} s is empty")));
                }
                if last.is_some_and(|l| l >= value) {
                    return Err(invalid(
                        bin,
                        format!(
                            "{value} s is not above the bin before: bins are sorted by value, each once"
                        ),
                    ));
                }
                last = Some(value);
                let too_many = || {
                    invalid(
                        at("histogram"),
                        format!("it counts more than the {n} iterations"),
                    )
                };
                total = total.checked_add(count).ok_or_else(too_many)?;
                if f.rto.is_some_and(|r| value <= r) {
                    met_rto += count;
                }
                if f.mtd.is_some_and(|d| value.saturating_add(f.wrt) <= d) {
                    met_mtd += count;
                }
                sum = sum
                    .checked_add(u128::from(value) * u128::from(count))
                    .ok_or_else(too_many)?;
            }
            if total != n {
                return Err(invalid(
                    at("histogram"),
                    format!("it counts {total} iterations, not {n}"),
                ));
            }
            for (field, kept, counted) in [
                ("met_rto", f.met_rto, met_rto),
                ("met_mtd", f.met_mtd, met_mtd),
            ] {
                if kept != counted {
                    return Err(invalid(
                        at(field),
                        format!("{kept}, but the histogram gives {counted}"),
                    ));
                }
            }
            if f.sum != sum {
                return Err(invalid(
                    at("sum"),
                    format!("{}, but the histogram gives {sum}", f.sum),
                ));
            }
        }
        for (k, pair) in self.critical.windows(2).enumerate() {
            if let [(a, _), (b, _)] = pair
                && a >= b
            {
                return Err(invalid(
                    format!("/critical/{}/0", k + 1),
                    format!("{b:?} comes after {a:?}: nodes are sorted by ID, each once"),
                ));
            }
        }
        for (k, (_, count)) in self.critical.iter().enumerate() {
            if *count > n {
                return Err(invalid(
                    format!("/critical/{k}/1"),
                    format!("{count} is more than the {n} iterations"),
                ));
            }
        }
        let mut covered = 0u64;
        let mut previous_end: Option<u64> = None;
        for (k, &(start, end)) in self.ranges.iter().enumerate() {
            let at = format!("/ranges/{k}");
            if start >= end {
                return Err(invalid(
                    at,
                    format!("[{start}, {end}) is empty or inverted"),
                ));
            }
            if previous_end.is_some_and(|p| start <= p) {
                return Err(invalid(
                    at,
                    format!(
                        "[{start}, {end}) does not start after the range before: ranges are \
                         sorted, apart, and joined where they touch"
                    ),
                ));
            }
            previous_end = Some(end);
            covered = covered
                .checked_add(end - start)
                .ok_or_else(|| invalid(at, "the ranges cover more iterations than exist".into()))?;
        }
        if covered != n {
            return Err(invalid(
                "/ranges".to_owned(),
                format!("they cover {covered} iterations, but the tally counts {n}"),
            ));
        }
        Ok(())
    }

    /// The shares, means and percentiles.
    pub fn result(&self) -> Simulation {
        let n = self.iterations;
        let share = |count: u64| if n == 0 { 0.0 } else { count as f64 / n as f64 };
        let functions = self
            .functions
            .iter()
            .map(|f| FunctionSimulation {
                id: f.id.clone(),
                p_meet_rto: f.rto.map(|_| share(f.met_rto)),
                p_meet_mtd: f.mtd.map(|_| share(f.met_mtd)),
                mean: (f.histogram.never == 0 && n > 0).then(|| f.sum as f64 / n as f64),
                p50: f.histogram.percentile(50),
                p90: f.histogram.percentile(90),
                p99: f.histogram.percentile(99),
            })
            .collect();
        let nodes = self
            .critical
            .iter()
            .map(|(id, count)| NodeSimulation {
                id: id.clone(),
                critical_share: share(*count),
            })
            .collect();
        Simulation {
            iterations: n,
            seed: self.seed,
            functions,
            nodes,
        }
    }
}
