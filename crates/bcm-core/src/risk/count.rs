//! The number of a risk's events in a year, drawn by inversion of its distribution, tabulated
//! once per risk: one random word a year instead of a rate draw and a Poisson draw.
//!
//! With an exact rate λ the count is Poisson(λ). With a beta-PERT rate it is the mixed Poisson
//! `P(N = k) = E[e^(−λ)·λ^k / k!]` over the rate's density, which [`CountTable::pert`] integrates
//! by tanh-sinh quadrature (it converges at the density's endpoints, where `x^(α−1)` need not be
//! smooth); the tests check the first two factorial moments, `E[N] = E[λ]` and `E[N(N−1)] =
//! E[λ²]`, against PERT's closed forms to 1e-12. The table stops at `K = max + 12·√max + 25`
//! events, beyond which Poisson(max) has less than 1e-30 of its mass. A year's count is then the
//! first `k` whose cumulative probability exceeds a uniform draw: the same distribution as
//! drawing the rate and then the count, with one word. Rates above [`MAX_TABULATED_RATE`] (or
//! lognormal) are drawn the direct way.

use rand::RngCore;

/// The largest maximum rate (events a year) whose count is tabulated (a table of at most ~800
/// entries).
pub const MAX_TABULATED_RATE: f64 = 500.0;

/// Tanh-sinh step and half-width: nodes at `t = j·h`, `|t| ≤ T_MAX`, where the weights have
/// fallen below 1e-300.
const STEP: f64 = 1.0 / 64.0;
const T_MAX: f64 = 3.2;

/// The cumulative distribution of a year's event count.
#[derive(Debug, Clone)]
pub(crate) struct CountTable {
    /// `cdf[k] = P(N ≤ k)`, its last entry exactly 1.
    cdf: Vec<f64>,
    /// Search from 0 (a small mean: a few comparisons) rather than by bisection.
    linear: bool,
}

impl CountTable {
    /// Poisson(`rate`); `None` for a rate that is not in (0, [`MAX_TABULATED_RATE`]].
    pub(crate) fn exact(rate: f64) -> Option<Self> {
        if !(rate > 0.0 && rate <= MAX_TABULATED_RATE) {
            return None;
        }
        let mut pmf = vec![0.0; last_count(rate) + 1];
        add_poisson(&mut pmf, rate, 1.0);
        Some(CountTable::from_pmf(&pmf, rate))
    }

    /// The count under a beta-PERT rate on `[min, max]` with its mode at `likely`; `None` unless
    /// `0 ≤ min ≤ likely ≤ max ≤` [`MAX_TABULATED_RATE`] and `min < max`.
    pub(crate) fn pert(min: f64, likely: f64, max: f64) -> Option<Self> {
        let range = max - min;
        if !(min >= 0.0
            && range > 0.0
            && (min..=max).contains(&likely)
            && max <= MAX_TABULATED_RATE)
        {
            return None;
        }
        // The density ∝ x^a·(1 − x)^b on [0, 1], rate = min + range·x.
        let a = 4.0 * (likely - min) / range;
        let b = 4.0 * (max - likely) / range;
        let mut pmf = vec![0.0; last_count(max) + 1];
        let mut total = 0.0;
        let n = (T_MAX / STEP) as i32;
        for j in -n..=n {
            let t = f64::from(j) * STEP;
            let u = std::f64::consts::FRAC_PI_2 * t.sinh();
            // x and 1 − x each computed without cancellation.
            let (x, one_minus_x) = (
                1.0 / (1.0 + (-2.0 * u).exp()),
                1.0 / (1.0 + (2.0 * u).exp()),
            );
            let cosh_u = u.cosh();
            let weight = std::f64::consts::FRAC_PI_4 * t.cosh() / (cosh_u * cosh_u);
            let mass = weight * x.powf(a) * one_minus_x.powf(b);
            if !(mass > 0.0 && mass.is_finite()) {
                continue;
            }
            total += mass;
            add_poisson(&mut pmf, min + range * x, mass);
        }
        if total.is_nan() || total <= 0.0 {
            return None;
        }
        for p in &mut pmf {
            *p /= total;
        }
        Some(CountTable::from_pmf(&pmf, (min + 4.0 * likely + max) / 6.0))
    }

    fn from_pmf(pmf: &[f64], mean: f64) -> Self {
        let mut cdf = Vec::with_capacity(pmf.len());
        let mut sum = 0.0;
        for p in pmf {
            sum += p;
            cdf.push(sum.min(1.0));
        }
        // The mass beyond the table (under 1e-30) and rounding go to the last count.
        if let Some(last) = cdf.last_mut() {
            *last = 1.0;
        }
        CountTable {
            cdf,
            linear: mean <= 16.0,
        }
    }

    /// One year's count.
    pub(crate) fn draw<R: RngCore + ?Sized>(&self, rng: &mut R) -> u64 {
        let u = (rng.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64);
        let k = if self.linear {
            self.cdf.iter().position(|&c| u < c)
        } else {
            Some(self.cdf.partition_point(|&c| c <= u))
        };
        // `u < 1 = cdf[last]`: always found.
        k.unwrap_or(self.cdf.len().saturating_sub(1)) as u64
    }

    /// `P(N = k)`, for the tests.
    #[cfg(test)]
    fn pmf(&self) -> Vec<f64> {
        let mut previous = 0.0;
        self.cdf
            .iter()
            .map(|&c| {
                let p = c - previous;
                previous = c;
                p
            })
            .collect()
    }
}

/// The last count the table keeps for rates up to `max`.
fn last_count(max: f64) -> usize {
    (max + 12.0 * max.sqrt() + 25.0).ceil() as usize
}

/// Adds `mass ×` Poisson(`rate`) to `pmf`, term by term (`p_k = p_(k−1)·rate/k`).
fn add_poisson(pmf: &mut [f64], rate: f64, mass: f64) {
    let mut p = mass * (-rate).exp();
    for (k, slot) in pmf.iter_mut().enumerate() {
        if k > 0 {
            p *= rate / k as f64;
        }
        *slot += p;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// E[N] and E[N(N − 1)] of a table.
    fn factorial_moments(table: &CountTable) -> (f64, f64) {
        let pmf = table.pmf();
        let first = pmf.iter().enumerate().map(|(k, p)| k as f64 * p).sum();
        let second = pmf
            .iter()
            .enumerate()
            .map(|(k, p)| (k as f64) * (k as f64 - 1.0).max(0.0) * p)
            .sum();
        (first, second)
    }

    fn close(a: f64, b: f64, tolerance: f64) -> bool {
        (a - b).abs() <= tolerance * b.abs().max(1.0)
    }

    #[test]
    fn a_poisson_table_has_its_moments() {
        for rate in [0.01, 0.7, 3.0, 42.0, 500.0] {
            let table = CountTable::exact(rate).unwrap_or_else(|| panic!("{rate}"));
            let (m1, m2) = factorial_moments(&table);
            assert!(close(m1, rate, 1e-12), "{rate}: {m1}");
            assert!(close(m2, rate * rate, 1e-12), "{rate}: {m2}");
            assert!(close(table.pmf()[0], (-rate).exp(), 1e-12));
        }
        assert!(CountTable::exact(0.0).is_none());
        assert!(CountTable::exact(f64::NAN).is_none());
        assert!(CountTable::exact(501.0).is_none());
    }

    #[test]
    fn a_pert_mixture_has_the_rate_moments() {
        // E[N] = E[λ] (PERT's mean) and E[N(N − 1)] = E[λ²] = variance + mean², with PERT's
        // variance (mean − min)(max − mean)/7: the quadrature must be right at both ends of
        // shapes from a skewed x^0 to x^4.
        for (min, likely, max) in [
            (0.1, 0.5, 2.0),
            (0.0, 0.0, 1.0),
            (0.0, 1.0, 1.0),
            (0.2, 0.21, 10.0),
            (1.0, 3.0, 3.5),
            (50.0, 200.0, 480.0),
        ] {
            let table = CountTable::pert(min, likely, max).unwrap_or_else(|| panic!("{min}"));
            let mean = (min + 4.0 * likely + max) / 6.0;
            let variance = (mean - min) * (max - mean) / 7.0;
            let (m1, m2) = factorial_moments(&table);
            assert!(
                close(m1, mean, 1e-12),
                "({min}, {likely}, {max}): {m1} vs {mean}"
            );
            assert!(
                close(m2, variance + mean * mean, 1e-12),
                "({min}, {likely}, {max}): {m2}"
            );
        }
        assert!(CountTable::pert(1.0, 1.0, 1.0).is_none());
        assert!(CountTable::pert(-1.0, 1.0, 2.0).is_none());
        assert!(CountTable::pert(1.0, 1.0, 600.0).is_none());
    }

    #[test]
    fn draws_follow_the_table() {
        // 200,000 draws of Poisson(1.3): each count's share within 5 standard errors.
        let table = CountTable::exact(1.3).unwrap_or_else(|| panic!("table"));
        let wide = CountTable {
            linear: false,
            ..table.clone()
        };
        for t in [&table, &wide] {
            let mut rng = ChaCha8Rng::seed_from_u64(4);
            let n = 200_000;
            let mut counts = [0u32; 12];
            for _ in 0..n {
                let k = t.draw(&mut rng) as usize;
                if let Some(c) = counts.get_mut(k.min(11)) {
                    *c += 1;
                }
            }
            for (k, p) in table.pmf().iter().enumerate().take(8) {
                let share = f64::from(counts[k]) / f64::from(n);
                let error = (p * (1.0 - p) / f64::from(n)).sqrt();
                assert!(
                    (share - p).abs() < 5.0 * error + 1e-9,
                    "k = {k}: {share} vs {p}"
                );
            }
        }
    }
}
