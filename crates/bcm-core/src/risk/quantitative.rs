//! Quantitative risk (DESIGN §4.H.3): a seeded Monte Carlo of annual losses, per risk and for
//! the portfolio, inherent and residual.
//!
//! Iteration `i` is one simulated year and draws from the ChaCha8 stream `(seed, i)` alone. Per
//! risk: the number of events from Poisson(rate) with the year's rate from its threat's
//! frequency (exact, beta-PERT, or the lognormal of a 90% interval) — for an exact or PERT rate
//! by one inversion of the count's tabulated distribution ([`CountTable`]), else by drawing the
//! rate and then the count — and each event's loss from the risk's loss. Residual risk uses the same events: each is kept with the probability its
//! controls leave (thinning the Poisson process, so the residual rate is `rate × Π(1 − f)`), and
//! its loss is scaled by `Π(1 − l)`; so residual ≤ inherent in every year, not only on average.
//! A year with more than [`EXACT_EVENTS`] events of one risk sums them by the normal
//! approximation of a compound sum (the central limit theorem), so no frequency, however large,
//! makes a year take longer than that many draws.
//!
//! Every annual loss is kept as whole cents in a histogram whose bins are 0.5% wide on a log
//! scale (and one bin for no loss); counts and cent sums are integers, so tallies of any split of
//! the iterations, on any number of threads, merge to exactly the same result, and memory is
//! bounded by the number of distinct bins, never by the iteration count. The mean is exact (the
//! cent sum); percentiles, the expected shortfall, the standard deviation and the
//! loss-exceedance curve are read from the bins (within 0.5%: finer bins cost more in cache
//! misses than they add to figures whose inputs are estimates).

use std::collections::BTreeMap;
use std::ops::Range;

use rand::{RngCore, SeedableRng};
use rand_chacha::ChaCha8Rng;
use rand_distr::{Distribution, LogNormal, Poisson, StandardNormal};
use serde::{Deserialize, Serialize};

use super::count::CountTable;
use crate::model::Quantity;
use crate::recovery::pert::{BetaPert, Shapes};

/// Bins per unit of natural log: a bin spans a factor of e^(1/200) ≈ 1.005.
const BINS_PER_LN: f64 = 200.0;

/// A year with more events than this (for one risk) sums them by the normal approximation.
pub const EXACT_EVENTS: u64 = 10_000;

/// Iterations per unit of parallel work.
const CHUNK: u64 = 1024;

/// A quantity ready to draw from.
#[derive(Debug, Clone)]
enum Sampler {
    Exact(f64),
    Pert(BetaPert),
    LogNormal(LogNormal<f64>),
    /// Equally likely values (a scenario's losses per event, one per recovery run).
    Empirical(Vec<f64>),
}

impl Sampler {
    fn of(q: &Quantity, shapes: &mut Shapes) -> Sampler {
        match *q {
            Quantity::Exact(v) => Sampler::Exact(v.max(0.0)),
            Quantity::Pert { min, likely, max } => shapes
                .pert(min, likely, max)
                .map_or(Sampler::Exact(likely.max(0.0)), Sampler::Pert),
            Quantity::Interval90 { .. } => q
                .lognormal()
                .and_then(|(mu, sigma)| LogNormal::new(mu, sigma).ok())
                .map_or(Sampler::Exact(q.typical()), Sampler::LogNormal),
        }
    }

    fn draw<R: RngCore>(&self, rng: &mut R) -> f64 {
        match self {
            Sampler::Exact(v) => *v,
            Sampler::Pert(p) => p.draw(rng),
            Sampler::LogNormal(l) => l.sample(rng),
            Sampler::Empirical(values) => {
                // Uniform index by multiply-shift: unbiased to far below the sampling error.
                let k = ((u128::from(rng.next_u64()) * values.len() as u128) >> 64) as usize;
                values.get(k).copied().unwrap_or(0.0)
            }
        }
    }
}

/// Mean and variance of a quantity (for the normal approximation of large years).
fn moments(q: &Quantity) -> (f64, f64) {
    match *q {
        Quantity::Exact(v) => (v, 0.0),
        Quantity::Pert { min, max, .. } => {
            let mean = q.mean();
            (mean, ((mean - min) * (max - mean) / 7.0).max(0.0))
        }
        Quantity::Interval90 { .. } => {
            let (mu, sigma) = q.lognormal().unwrap_or((0.0, 0.0));
            let s2 = sigma * sigma;
            (q.mean(), (s2.exp() - 1.0) * (2.0 * mu + s2).exp())
        }
    }
}

/// The count table of a frequency, when it has one (see [`CountTable`]): an exact rate, or a
/// beta-PERT one from a minimum of 0 or more; the same degenerate PERT as [`Sampler::of`] reads
/// as its most likely value.
fn count_table(frequency: &Quantity) -> Option<CountTable> {
    match *frequency {
        Quantity::Exact(v) => CountTable::exact(v.max(0.0)),
        Quantity::Pert { min, likely, max } => {
            if max - min > 0.0 && (min..=max).contains(&likely) {
                CountTable::pert(min, likely, max)
            } else {
                CountTable::exact(likely.max(0.0))
            }
        }
        Quantity::Interval90 { .. } => None,
    }
}

/// One risk as the simulation reads it.
#[derive(Debug, Clone)]
pub(crate) struct Simulated {
    /// The year's count by inversion, when tabulated; else `rate` then Poisson.
    count: Option<CountTable>,
    rate: Sampler,
    loss: Sampler,
    /// Mean and variance of the loss per event.
    loss_moments: (f64, f64),
    /// The share of events the controls leave, `Π(1 − f)`.
    keep: f64,
    /// The share of each loss they leave, `Π(1 − l)`.
    scale: f64,
    /// Counted in the portfolio (risks are; scenarios, which model the same threats from the
    /// BIA's side, are not, so nothing is counted twice).
    portfolio: bool,
}

impl Simulated {
    pub(crate) fn new(
        frequency: &Quantity,
        loss: &Quantity,
        keep: f64,
        scale: f64,
        shapes: &mut Shapes,
    ) -> Self {
        Simulated {
            count: count_table(frequency),
            rate: Sampler::of(frequency, shapes),
            loss: Sampler::of(loss, shapes),
            loss_moments: moments(loss),
            keep,
            scale,
            portfolio: true,
        }
    }

    /// A scenario: events at `frequency`, each losing one of `losses` (equally likely).
    pub(crate) fn scenario(frequency: &Quantity, losses: Vec<f64>, shapes: &mut Shapes) -> Self {
        let n = losses.len().max(1) as f64;
        let mean = losses.iter().sum::<f64>() / n;
        let variance = losses.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
        Simulated {
            count: count_table(frequency),
            rate: Sampler::of(frequency, shapes),
            loss: Sampler::Empirical(losses),
            loss_moments: (mean, variance),
            keep: 1.0,
            scale: 1.0,
            portfolio: false,
        }
    }

    /// Whether its controls remove nothing: residual = inherent in every year.
    fn uncontrolled(&self) -> bool {
        // Every event kept (a keep above 1 keeps them all too) and every loss unscaled.
        self.keep >= 1.0 && self.scale == 1.0
    }

    /// One year: (inherent, residual) loss.
    fn year<R: RngCore>(&self, rng: &mut R) -> (f64, f64) {
        let events = match &self.count {
            Some(table) => table.draw(rng),
            None => {
                let rate = self.rate.draw(rng);
                // A rate that is zero, negative or not a number gives no events.
                if rate.is_nan() || rate <= 0.0 {
                    return (0.0, 0.0);
                }
                let events = Poisson::new(rate).map_or(0.0, |p| p.sample(rng));
                if events.is_finite() { events as u64 } else { 0 }
            }
        };
        if events == 0 {
            return (0.0, 0.0);
        }
        if events > EXACT_EVENTS {
            let (mean, variance) = self.loss_moments;
            let n = events as f64;
            let z: f64 = StandardNormal.sample(rng);
            let inherent = (n * mean + n.sqrt() * variance.sqrt() * z).max(0.0);
            return (inherent, inherent * self.keep * self.scale);
        }
        let (mut inherent, mut residual) = (0.0, 0.0);
        // Without a frequency control every event stays: no coin to toss.
        let thinned = self.keep < 1.0;
        for _ in 0..events {
            let loss = self.loss.draw(rng).max(0.0);
            inherent += loss;
            // Thinning: the event happens under the controls with probability `keep`.
            if !thinned || unit(rng.next_u64()) < self.keep {
                residual += loss * self.scale;
            }
        }
        (inherent, residual)
    }
}

/// A uniform on [0, 1) from the top 53 bits of a word.
fn unit(word: u64) -> f64 {
    (word >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
}

/// Annual losses of one quantity, in whole cents: a count of years without loss, counts per
/// 0.5% log bin, and the exact sum.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Histogram {
    /// Years counted.
    pub years: u64,
    /// Years with no loss.
    pub zero: u64,
    /// Years per bin `b`: losses in [e^(b/200), e^((b+1)/200)) units of the currency.
    pub bins: BTreeMap<i32, u64>,
    /// The sum of every year's loss, in cents.
    pub cents: u128,
}

impl Histogram {
    /// Adds another histogram's years.
    pub fn absorb(&mut self, other: &Histogram) {
        self.years += other.years;
        self.zero += other.zero;
        self.cents = self.cents.saturating_add(other.cents);
        for (b, c) in &other.bins {
            *self.bins.entry(*b).or_insert(0) += c;
        }
    }

    /// The bin's representative loss: its geometric middle.
    fn middle(bin: i32) -> f64 {
        ((f64::from(bin) + 0.5) / BINS_PER_LN).exp()
    }

    /// The loss at quantile `q` (the smallest loss with at least `q` of the years at or below).
    fn quantile(&self, q: f64) -> f64 {
        let needed = (q * self.years as f64).ceil().max(1.0) as u64;
        if self.zero >= needed {
            return 0.0;
        }
        let mut seen = self.zero;
        for (b, c) in &self.bins {
            seen += c;
            if seen >= needed {
                return Self::middle(*b);
            }
        }
        self.bins.keys().last().map_or(0.0, |b| Self::middle(*b))
    }

    /// The summary of these years.
    pub fn summary(&self) -> Summary {
        let n = self.years.max(1) as f64;
        let mean = self.cents as f64 / 100.0 / n;
        let variance = self
            .bins
            .iter()
            .map(|(b, c)| *c as f64 * (Self::middle(*b) - mean).powi(2))
            .sum::<f64>()
            + self.zero as f64 * mean * mean;
        let var99 = self.quantile(0.99);
        let tail: Vec<(f64, u64)> = self
            .bins
            .iter()
            .map(|(b, c)| (Self::middle(*b), *c))
            .filter(|(x, _)| *x >= var99)
            .collect();
        let tail_years: u64 = tail.iter().map(|(_, c)| c).sum();
        let es99 = if tail_years == 0 {
            var99
        } else {
            tail.iter().map(|(x, c)| x * *c as f64).sum::<f64>() / tail_years as f64
        };
        Summary {
            mean,
            std: (variance / n).sqrt(),
            var90: self.quantile(0.90),
            var95: self.quantile(0.95),
            var99,
            es99,
            p_no_loss: self.zero as f64 / n,
            curve: self.curve(),
        }
    }

    /// P(annual loss > x) at 25 losses spaced evenly on a log scale from the smallest loss to
    /// the largest.
    fn curve(&self) -> Vec<CurvePoint> {
        let (Some(first), Some(last)) = (self.bins.keys().next(), self.bins.keys().last()) else {
            return Vec::new();
        };
        let n = self.years.max(1) as f64;
        let (lo, hi) = (f64::from(*first), f64::from(*last));
        let points = 25;
        (0..points)
            .map(|k| {
                let bin = (lo + (hi - lo) * k as f64 / (points - 1) as f64).round() as i32;
                let above: u64 = self.bins.range(bin + 1..).map(|(_, c)| c).sum();
                CurvePoint {
                    loss: Self::middle(bin),
                    p_exceed: above as f64 / n,
                }
            })
            .collect()
    }
}

/// A histogram being filled: counts in one dense run of bins from `offset` (an insertion into
/// a sorted or hashed map missed the cache on most years; a risk's losses span a few thousand
/// bins at most, which stay in cache), turned into the sparse [`Histogram`] once at the end.
#[derive(Debug, Clone, Default)]
struct Accumulator {
    years: u64,
    zero: u64,
    offset: i32,
    counts: Vec<u64>,
    cents: u128,
}

/// A year's loss as (whole cents, bin); `None` under half a cent (or not a number): no loss.
/// Cents are rounded half up, `⌊100·loss + 0.5⌋`, with conversions rather than `round` and
/// `floor` (calls into libm on the baseline x86-64 target, a tenth of a risk-year's time).
fn binned(loss: f64) -> Option<(u128, i32)> {
    let scaled = loss * 100.0 + 0.5;
    if scaled.is_nan() || scaled < 1.0 {
        return None;
    }
    // `as` truncates towards zero: the floor of a positive value (saturating past u128; through
    // u64 below 2^63, a single instruction where u128 is a call).
    let (cents, whole) = if scaled < 9.2e18 {
        let c = scaled as u64;
        (u128::from(c), c as f64)
    } else {
        let c = scaled as u128;
        (c, c as f64)
    };
    let bin = (whole / 100.0).ln() * BINS_PER_LN;
    // Truncation is the floor above zero; a loss under one unit has a negative bin.
    let bin = if bin >= 0.0 {
        bin as i32
    } else {
        bin.floor() as i32
    };
    Some((cents, bin))
}

impl Accumulator {
    fn add(&mut self, loss: f64) {
        self.add_binned(binned(loss));
    }

    fn add_binned(&mut self, binned: Option<(u128, i32)>) {
        self.years += 1;
        match binned {
            None => self.zero += 1,
            Some((cents, bin)) => {
                self.cents = self.cents.saturating_add(cents);
                self.count(bin, 1);
            }
        }
    }

    /// Adds a year to both: binned once when the losses are equal, and to the first alone when
    /// they always are (`alike`: the second is a copy of the first at the end).
    fn add_pair(pair: &mut (Accumulator, Accumulator), inherent: f64, residual: f64, alike: bool) {
        let first = binned(inherent);
        pair.0.add_binned(first);
        if alike {
            return;
        }
        if residual == inherent {
            pair.1.add_binned(first);
        } else {
            pair.1.add(residual);
        }
    }

    /// Adds `n` years to `bin`, growing the run to reach it.
    fn count(&mut self, bin: i32, n: u64) {
        if self.counts.is_empty() {
            self.offset = bin;
        }
        if bin < self.offset {
            let grow = (self.offset - bin) as usize;
            self.counts.splice(0..0, std::iter::repeat_n(0, grow));
            self.offset = bin;
        }
        let at = (bin - self.offset) as usize;
        if at >= self.counts.len() {
            self.counts.resize(at + 1, 0);
        }
        if let Some(c) = self.counts.get_mut(at) {
            *c += n;
        }
    }

    fn absorb(&mut self, other: &Accumulator) {
        self.years += other.years;
        self.zero += other.zero;
        self.cents = self.cents.saturating_add(other.cents);
        for (k, &n) in other.counts.iter().enumerate() {
            if n > 0 {
                self.count(other.offset + k as i32, n);
            }
        }
    }

    fn into_histogram(self) -> Histogram {
        let offset = self.offset;
        Histogram {
            years: self.years,
            zero: self.zero,
            bins: self
                .counts
                .into_iter()
                .enumerate()
                .filter(|(_, n)| *n > 0)
                .map(|(k, n)| (offset + k as i32, n))
                .collect(),
            cents: self.cents,
        }
    }
}

/// A point of the loss-exceedance curve.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CurvePoint {
    /// An annual loss.
    pub loss: f64,
    /// The probability that a year's loss exceeds it.
    pub p_exceed: f64,
}

/// The distribution of annual losses.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Mean annual loss (exact over the simulated years).
    pub mean: f64,
    /// Standard deviation.
    pub std: f64,
    /// Value at risk: the annual loss not exceeded in 90%, 95%, 99% of years.
    pub var90: f64,
    /// 95%.
    pub var95: f64,
    /// 99%.
    pub var99: f64,
    /// Expected shortfall: the mean loss of the worst 1% of years.
    pub es99: f64,
    /// The share of years without loss.
    pub p_no_loss: f64,
    /// The loss-exceedance curve.
    pub curve: Vec<CurvePoint>,
}

/// Inherent and residual annual losses of one risk or of the portfolio.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pair {
    /// Without controls.
    pub inherent: Histogram,
    /// With them.
    pub residual: Histogram,
}

impl Pair {
    fn absorb(&mut self, other: &Pair) {
        self.inherent.absorb(&other.inherent);
        self.residual.absorb(&other.residual);
    }
}

/// The tally of a range of simulated years: per risk, and the portfolio.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RiskTally {
    /// The seed.
    pub seed: u64,
    /// The years counted, as `[start, end)` ranges, sorted and apart.
    pub ranges: Vec<(u64, u64)>,
    /// Per simulated risk, in the order of the model's quantified risks, then its quantified
    /// scenarios.
    pub risks: Vec<Pair>,
    /// Their sum, year by year.
    pub portfolio: Pair,
}

impl RiskTally {
    /// Adds the years of a tally of the same simulation over a disjoint range.
    ///
    /// # Errors
    /// A message if the seeds or the risks differ, or the ranges overlap.
    pub fn merge(&mut self, other: &RiskTally) -> Result<(), String> {
        if self.seed != other.seed || self.risks.len() != other.risks.len() {
            return Err("the tallies are of different simulations (seed or risks)".to_owned());
        }
        let mut ranges: Vec<(u64, u64)> =
            self.ranges.iter().chain(&other.ranges).copied().collect();
        ranges.sort_unstable();
        if ranges.windows(2).any(|w| matches!(w, [a, b] if b.0 < a.1)) {
            return Err("the tallies share years: merging would count them twice".to_owned());
        }
        // Adjacent ranges join.
        let mut joined: Vec<(u64, u64)> = Vec::with_capacity(ranges.len());
        for r in ranges {
            match joined.last_mut() {
                Some(last) if last.1 == r.0 => last.1 = r.1,
                _ => joined.push(r),
            }
        }
        self.ranges = joined;
        for (a, b) in self.risks.iter_mut().zip(&other.risks) {
            a.absorb(b);
        }
        self.portfolio.absorb(&other.portfolio);
        Ok(())
    }
}

fn stream(seed: u64, i: u64) -> ChaCha8Rng {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    rng.set_stream(i);
    rng
}

/// Simulates years `range` of the risks (ignored when cancelled: the caller checks).
pub(crate) fn simulate_years(
    analyzer: &crate::Analyzer<'_>,
    risks: &[Simulated],
    seed: u64,
    range: Range<u64>,
) -> RiskTally {
    use rayon::prelude::*;
    // A risk whose controls remove nothing has residual = inherent every year: its residual
    // histogram is not kept twice but copied at the end (likewise the portfolio's, when no risk
    // in it has a control).
    let alike: Vec<bool> = risks.iter().map(Simulated::uncontrolled).collect();
    let portfolio_alike = risks
        .iter()
        .zip(&alike)
        .all(|(r, &same)| same || !r.portfolio);
    let empty = || vec![(Accumulator::default(), Accumulator::default()); risks.len() + 1];
    let run = |mut acc: Vec<(Accumulator, Accumulator)>, c: u64| {
        if crate::threads::poll_here(analyzer.cancel()) {
            return acc;
        }
        let from = range.start + c * CHUNK;
        let to = from.saturating_add(CHUNK).min(range.end);
        analyzer.progress().advance(to - from);
        for i in from..to {
            let mut rng = stream(seed, i);
            let (mut total_inherent, mut total_residual) = (0.0, 0.0);
            for ((r, pair), &same) in risks.iter().zip(acc.iter_mut()).zip(&alike) {
                let (inherent, residual) = r.year(&mut rng);
                Accumulator::add_pair(pair, inherent, residual, same);
                if r.portfolio {
                    total_inherent += inherent;
                    total_residual += residual;
                }
            }
            if let Some(portfolio) = acc.last_mut() {
                Accumulator::add_pair(portfolio, total_inherent, total_residual, portfolio_alike);
            }
        }
        acc
    };
    let merge = |mut a: Vec<(Accumulator, Accumulator)>, b: Vec<(Accumulator, Accumulator)>| {
        for (x, y) in a.iter_mut().zip(&b) {
            x.0.absorb(&y.0);
            x.1.absorb(&y.1);
        }
        a
    };
    let chunks = (range.end.saturating_sub(range.start)).div_ceil(CHUNK);
    analyzer
        .progress()
        .begin("risk simulation", range.end.saturating_sub(range.start));
    let accumulated = analyzer.threads().run(analyzer.cancel(), |threaded| {
        if threaded {
            (0..chunks)
                .into_par_iter()
                .fold(empty, run)
                .reduce(empty, merge)
        } else {
            (0..chunks).fold(empty(), run)
        }
    });
    let same = alike.iter().copied().chain([portfolio_alike]);
    let mut pairs: Vec<Pair> = accumulated
        .into_iter()
        .zip(same)
        .map(|((inherent, residual), same)| {
            let inherent = inherent.into_histogram();
            let residual = if same {
                inherent.clone()
            } else {
                residual.into_histogram()
            };
            Pair { inherent, residual }
        })
        .collect();
    let portfolio = pairs.pop().unwrap_or_default();
    RiskTally {
        seed,
        ranges: if range.is_empty() {
            Vec::new()
        } else {
            vec![(range.start, range.end)]
        },
        risks: pairs,
        portfolio,
    }
}
