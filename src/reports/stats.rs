//! Telling a real difference from noise: Wilson intervals for rates, and
//! bootstrap intervals for costs (resampling collaborations). Pure, and
//! deterministic: the same data always gives the same interval.

/// z for a two-sided 95% interval.
const Z: f64 = 1.959_963_984_540_054;

/// The Wilson score interval of `successes` out of `trials`, as fractions.
/// `None` with no trials.
pub fn wilson(successes: u64, trials: u64) -> Option<(f64, f64)> {
    if trials == 0 {
        return None;
    }
    let n = trials as f64;
    let p = (successes.min(trials)) as f64 / n;
    let z2 = Z * Z;
    let centre = (p + z2 / (2.0 * n)) / (1.0 + z2 / n);
    let half = Z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / (1.0 + z2 / n);
    Some(((centre - half).max(0.0), (centre + half).min(1.0)))
}

/// How many resamples a bootstrap draws.
pub const RESAMPLES: usize = 2_000;

/// The 95% bootstrap interval of a ratio of sums (such as spend over
/// conversions) over `units` (numerator, denominator), resampling units with
/// replacement. `None` when there are fewer than two units or no
/// denominator at all; the upper bound is `None` when more than 2.5% of the
/// resamples have nothing to divide by (the data cannot bound it).
pub fn bootstrap_ratio(units: &[(f64, f64)], seed: u64) -> Option<(f64, Option<f64>)> {
    if units.len() < 2 || units.iter().all(|(_, d)| *d <= 0.0) {
        return None;
    }
    let mut rng = SplitMix64(seed);
    let n = units.len();
    let mut ratios: Vec<f64> = (0..RESAMPLES)
        .map(|_| {
            let (mut num, mut den) = (0.0, 0.0);
            for _ in 0..n {
                let (a, b) = units[rng.below(n as u64) as usize];
                num += a;
                den += b;
            }
            if den > 0.0 { num / den } else { f64::INFINITY }
        })
        .collect();
    ratios.sort_by(f64::total_cmp);
    let at = |q: f64| ratios[((RESAMPLES as f64 - 1.0) * q).round() as usize];
    let upper = at(0.975);
    Some((at(0.025), upper.is_finite().then_some(upper)))
}

/// Above this many units the ratio's interval comes from its standard error
/// (the linearised variance of a ratio of sums, which the bootstrap converges
/// to), since resampling tens of thousands of collaborations thousands of times
/// would cost a page seconds.
pub const BOOTSTRAP_UP_TO: usize = 400;

/// The 95% interval of a ratio of sums: bootstrapped for small groups, from
/// the linearised standard error for large ones. Same contract as
/// [`bootstrap_ratio`].
pub fn ratio_interval(units: &[(f64, f64)], seed: u64) -> Option<(f64, Option<f64>)> {
    if units.len() <= BOOTSTRAP_UP_TO {
        return bootstrap_ratio(units, seed);
    }
    let n = units.len() as f64;
    let num: f64 = units.iter().map(|u| u.0).sum();
    let den: f64 = units.iter().map(|u| u.1).sum();
    if den <= 0.0 {
        return None;
    }
    let r = num / den;
    let residuals: f64 = units.iter().map(|(a, d)| (a - r * d).powi(2)).sum();
    let se = (n / (n - 1.0) * residuals).sqrt() / den;
    Some(((r - Z * se).max(0.0), Some(r + Z * se)))
}

/// Whether two intervals share any value: if they do, the data cannot tell
/// the two apart.
pub fn overlap(a: (f64, Option<f64>), b: (f64, Option<f64>)) -> bool {
    let a_hi = a.1.unwrap_or(f64::INFINITY);
    let b_hi = b.1.unwrap_or(f64::INFINITY);
    a.0 <= b_hi && b.0 <= a_hi
}

/// A small, fast, well-mixed generator (Steele, Lea and Flood's SplitMix64):
/// resampling needs spread, not secrecy, and a fixed seed keeps pages stable.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (Lemire's multiply-shift; the bias at these sizes is
    /// far below what a report shows).
    fn below(&mut self, n: u64) -> u64 {
        ((u128::from(self.next()) * u128::from(n)) >> 64) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 0.0005
    }

    #[test]
    fn wilson_matches_published_values() {
        // Newcombe (1998), table I: 81 of 263 gives 0.2553 to 0.3662.
        let (lo, hi) = wilson(81, 263).expect("interval");
        assert!(close(lo, 0.2553) && close(hi, 0.3662), "{lo} {hi}");
        // 0 of 10 still has an upper bound: 0 to 0.2775.
        let (lo, hi) = wilson(0, 10).expect("interval");
        assert!(close(lo, 0.0) && close(hi, 0.2775), "{lo} {hi}");
        assert_eq!(wilson(3, 0), None);
    }

    #[test]
    fn the_bootstrap_brackets_the_ratio_and_narrows_with_more_data() {
        let few: Vec<(f64, f64)> = (0..5)
            .map(|i| (100.0 + i as f64 * 10.0, 4.0 + (i % 3) as f64))
            .collect();
        let many: Vec<(f64, f64)> = (0..200)
            .map(|i| (100.0 + (i % 5) as f64 * 10.0, 4.0 + (i % 3) as f64))
            .collect();
        let ratio = |u: &[(f64, f64)]| {
            u.iter().map(|x| x.0).sum::<f64>() / u.iter().map(|x| x.1).sum::<f64>()
        };
        let (lo, hi) = bootstrap_ratio(&few, 7).expect("interval");
        let hi = hi.expect("bounded");
        assert!(lo <= ratio(&few) && ratio(&few) <= hi);
        let (mlo, mhi) = bootstrap_ratio(&many, 7).expect("interval");
        assert!(mhi.expect("bounded") - mlo < hi - lo);
        assert_eq!(
            bootstrap_ratio(&few, 7),
            bootstrap_ratio(&few, 7),
            "deterministic"
        );
        assert_eq!(bootstrap_ratio(&few[..1], 7), None);
    }

    #[test]
    fn large_groups_get_the_interval_the_bootstrap_would_give() {
        let units: Vec<(f64, f64)> = (0..2_000)
            .map(|i| (50.0 + (i % 17) as f64 * 9.0, (i % 5) as f64))
            .collect();
        let (blo, bhi) = bootstrap_ratio(&units, 3).expect("bootstrap");
        let (lo, hi) = ratio_interval(&units, 3).expect("linearised");
        let (bhi, hi) = (bhi.expect("bounded"), hi.expect("bounded"));
        assert!(
            (lo - blo).abs() / blo < 0.05 && (hi - bhi).abs() / bhi < 0.05,
            "{lo} {hi} vs {blo} {bhi}"
        );
        assert_eq!(
            ratio_interval(&units[..10], 3),
            bootstrap_ratio(&units[..10], 3)
        );
    }

    #[test]
    fn without_enough_denominators_the_upper_bound_is_open() {
        let units = [
            (100.0, 1.0),
            (100.0, 0.0),
            (100.0, 0.0),
            (100.0, 0.0),
            (100.0, 0.0),
        ];
        let (_, hi) = bootstrap_ratio(&units, 1).expect("interval");
        assert_eq!(hi, None);
        assert_eq!(bootstrap_ratio(&[(1.0, 0.0), (2.0, 0.0)], 1), None);
    }

    #[test]
    fn overlapping_intervals_cannot_be_told_apart() {
        assert!(overlap((1.0, Some(3.0)), (2.0, Some(4.0))));
        assert!(!overlap((1.0, Some(2.0)), (3.0, Some(4.0))));
        assert!(overlap((1.0, None), (30.0, Some(40.0))));
    }
}
