//! Gauss hypergeometric function `₂F₁(a, b; c; z)` for real arguments and
//! `z < 1`, as the Pareto/NBD likelihood and P(alive) (Fader & Hardie 2005
//! note, eqs. 16–19) and the BG/NBD and MBG/NBD conditional expectations (FHL
//! 2005 eq. 10; Batislam et al. 2007) need it.
//!
//! The defining series `Σ (a)_n (b)_n / ((c)_n n!) zⁿ` is summed in log-scaled
//! form (so values like `₂F₁(300, 300; 2; 0.99)` do not overflow) with
//! Neumaier-compensated summation and a tail bound as stopping rule. The
//! argument is first moved where the series behaves:
//!
//! - `z < 0`: Pfaff transformation `₂F₁(a,b;c;z) = (1−z)^−a ₂F₁(a, c−b; c; z/(z−1))`
//!   (Abramowitz & Stegun 15.3.4), which turns an alternating series into one
//!   on `(0, 1)`.
//! - `0 < z < 1` with `c − a − b < 0`, or whenever the direct series has terms of
//!   both signs while the transformed one does not: Euler transformation
//!   `₂F₁(a,b;c;z) = (1−z)^(c−a−b) ₂F₁(c−a, c−b; c; z)` (A&S 15.3.3). This is the
//!   fallback the BTYD papers recommend when the series "explodes" near `z = 1`:
//!   the transformed series has a finite sum at `z = 1`, so no huge
//!   intermediate terms and no cancellation.
//! - `1 − z < 1e-3`, where the series in `z` needs more than ~40,000 terms
//!   (about `37 / (1 − z)`): the connection formula in `1 − z` (A&S 15.3.6),
//!   whose two series converge in a few terms. When `c − a − b` is within 1e-3
//!   of an integer the formula's coefficients have removable poles: for
//!   `1 − z ≥ 1e-5` the series in `z` is summed after all (≤ 4·10⁶ terms), below
//!   that the formula is evaluated at `b ± ε` and Richardson-extrapolated.
//!   If everything fails (cancellation, more than 2·10⁷ terms) the result is NaN.
//!
//! Accuracy is checked against mpmath (50 digits) in
//! `tests/fixtures/hyp2f1_reference.csv`.

use crate::special::ln_gamma;

/// Most series terms summed before giving up.
const MAX_TERMS: usize = 20_000_000;
/// Relative tolerance of the series tail.
const TOLERANCE: f64 = 1e-17;

/// `₂F₁(a, b; c; z)` for real `z < 1`; NaN when outside the domain (`z ≥ 1`,
/// `c` a non-positive integer) or when the series does not converge.
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    let (ln_abs, sign) = ln_abs_hyp2f1(a, b, c, z);
    sign * ln_abs.exp()
}

/// `ln ₂F₁(a, b; c; z)` where the value is positive; NaN otherwise. Use this
/// when the value may exceed the `f64` range.
pub fn ln_hyp2f1(a: f64, b: f64, c: f64, z: f64) -> f64 {
    let (ln_abs, sign) = ln_abs_hyp2f1(a, b, c, z);
    if sign > 0.0 { ln_abs } else { f64::NAN }
}

/// `(ln |₂F₁(a, b; c; z)|, sign)`; the sign is `0` when the value is zero and
/// NaN when undefined.
pub fn ln_abs_hyp2f1(a: f64, b: f64, c: f64, z: f64) -> (f64, f64) {
    let undefined = (f64::NAN, f64::NAN);
    if !(a.is_finite() && b.is_finite() && c.is_finite() && z.is_finite()) || z >= 1.0 {
        return undefined;
    }
    if c <= 0.0 && c == c.floor() {
        return undefined;
    }
    if z == 0.0 || a == 0.0 || b == 0.0 {
        return (0.0, 1.0);
    }
    if z < 0.0 {
        // Pfaff: pick the form whose series on w = z/(z−1) ∈ (0, 1) has
        // positive terms, if either has.
        let w = z / (z - 1.0);
        let ln_one_minus_z = (-z).ln_1p();
        let (first, second) = ((a, c - b), (c - a, b));
        let use_second =
            !all_positive_terms(first.0, first.1, c) && all_positive_terms(second.0, second.1, c);
        let (p, q, prefactor_exponent) = if use_second {
            (second.0, second.1, -b)
        } else {
            (first.0, first.1, -a)
        };
        let (ln_abs, sign) = ln_abs_on_unit_interval(p, q, c, w);
        return (ln_abs + prefactor_exponent * ln_one_minus_z, sign);
    }
    ln_abs_on_unit_interval(a, b, c, z)
}

/// `0 < z < 1`: choose between the direct series and Euler's transformation.
fn ln_abs_on_unit_interval(a: f64, b: f64, c: f64, z: f64) -> (f64, f64) {
    if 1.0 - z < CONNECTION_BELOW {
        if let Some(value) = near_one(a, b, c, z, 1e-3) {
            return value;
        }
        if 1.0 - z < PERTURB_BELOW
            && let Some(value) = near_one_integer_gap(a, b, c, z)
        {
            return value;
        }
    }
    let direct_positive = all_positive_terms(a, b, c);
    let euler_positive = all_positive_terms(c - a, c - b, c);
    let use_euler = (c - a - b < 0.0 && (euler_positive || !direct_positive))
        || (!direct_positive && euler_positive);
    if use_euler {
        let (ln_abs, sign) = series(c - a, c - b, c, z);
        (ln_abs + (c - a - b) * (-z).ln_1p(), sign)
    } else {
        series(a, b, c, z)
    }
}

/// Below this `1 − z` the series in `z` needs more than ~40,000 terms; the
/// connection formula in `1 − z` is tried first.
const CONNECTION_BELOW: f64 = 1e-3;

/// `z` near 1: the connection formula (A&S 15.3.6), series in `1 − z`:
///
/// `F(a,b;c;z) = Γ(c)Γ(d)/(Γ(c−a)Γ(c−b)) F(a,b;1−d;1−z)
///             + (1−z)^d Γ(c)Γ(−d)/(Γ(a)Γ(b)) F(c−a,c−b;1+d;1−z)`, `d = c−a−b`.
///
/// Not usable when `d` is within `min_gap` of an integer, where both coefficients
/// diverge and cancel, or when the two terms cancel in the sum; `None` then,
/// and the caller falls back to the (slow but exact) series in `z`.
fn near_one(a: f64, b: f64, c: f64, z: f64, min_gap: f64) -> Option<(f64, f64)> {
    let d = c - a - b;
    if (d - d.round()).abs() < min_gap {
        return None;
    }
    let w = 1.0 - z;
    let (ln_gc, sign_gc) = ln_gamma_signed(c);
    let mut terms = Vec::with_capacity(2);
    // A term whose coefficient has a pole of Γ in the denominator is zero.
    if let (Some((l1, s1)), Some((l2, s2))) = (finite_gamma(c - a), finite_gamma(c - b)) {
        let (ln_gd, sign_gd) = ln_gamma_signed(d);
        let (ln_f, sign_f) = series(a, b, 1.0 - d, w);
        terms.push((
            ln_gc + ln_gd - l1 - l2 + ln_f,
            sign_gc * sign_gd * s1 * s2 * sign_f,
        ));
    }
    if let (Some((l1, s1)), Some((l2, s2))) = (finite_gamma(a), finite_gamma(b)) {
        let (ln_gd, sign_gd) = ln_gamma_signed(-d);
        let (ln_f, sign_f) = series(c - a, c - b, 1.0 + d, w);
        terms.push((
            ln_gc + ln_gd - l1 - l2 + d * w.ln() + ln_f,
            sign_gc * sign_gd * s1 * s2 * sign_f,
        ));
    }
    let largest = terms.iter().map(|t| t.0).fold(f64::NEG_INFINITY, f64::max);
    if !largest.is_finite() {
        return None;
    }
    let sum: f64 = terms
        .iter()
        .map(|(l, sign)| sign * (l - largest).exp())
        .sum();
    // Lost more than 8 digits to cancellation: not trustworthy.
    if !sum.is_finite() || sum.abs() < 1e-8 {
        return None;
    }
    Some((largest + sum.abs().ln(), sum.signum()))
}

/// Below this `1 − z`, with `c − a − b` (near) an integer, the series would
/// need millions of terms; the perturbed connection formula is used instead.
const PERTURB_BELOW: f64 = 1e-5;

/// `c − a − b` (near) an integer and `z` very near 1: the connection formula
/// has removable singularities there. `F` is analytic in `b`, so the mean of
/// `F(a, b ± ε; c; z)` is `F + O((ε ln(1−z))²)`; Richardson extrapolation over
/// `ε = 1e-4, 2e-4` removes that term, leaving ~1e-10 relative error (each
/// evaluation loses ~4 digits to the cancelling `1/ε` coefficients).
fn near_one_integer_gap(a: f64, b: f64, c: f64, z: f64) -> Option<(f64, f64)> {
    const EPSILON: f64 = 1e-4;
    let evaluate = |b: f64| near_one(a, b, c, z, 0.5 * EPSILON);
    // Values relative to e^scale so huge results do not overflow.
    let (scale, _) = evaluate(b + EPSILON)?;
    let symmetric_mean = |epsilon: f64| -> Option<f64> {
        let (l1, s1) = evaluate(b + epsilon)?;
        let (l2, s2) = evaluate(b - epsilon)?;
        Some(0.5 * (s1 * (l1 - scale).exp() + s2 * (l2 - scale).exp()))
    };
    let (small, large) = (symmetric_mean(EPSILON)?, symmetric_mean(2.0 * EPSILON)?);
    let value = (4.0 * small - large) / 3.0;
    (value.is_finite() && value != 0.0).then(|| (scale + value.abs().ln(), value.signum()))
}

/// `(ln |Γ(x)|, sign Γ(x))`, or `None` at the poles (non-positive integers).
fn finite_gamma(x: f64) -> Option<(f64, f64)> {
    (x > 0.0 || x != x.floor()).then(|| ln_gamma_signed(x))
}

/// `(ln |Γ(x)|, sign Γ(x))` for any real `x` that is not a pole.
fn ln_gamma_signed(x: f64) -> (f64, f64) {
    if x > 0.0 {
        return (ln_gamma(x), 1.0);
    }
    // Reflection: Γ(x) = π / (sin(πx) Γ(1−x)), with Γ(1−x) > 0 here.
    let sine = (std::f64::consts::PI * x).sin();
    (
        (std::f64::consts::PI / sine.abs()).ln() - ln_gamma(1.0 - x),
        sine.signum(),
    )
}

/// True when every series term `(a)_n (b)_n / (c)_n` is non-negative
/// (`c > 0` and `a, b > 0`, or one of them a non-positive integer making the
/// series terminate before any sign change is not worth the special case).
fn all_positive_terms(a: f64, b: f64, c: f64) -> bool {
    c > 0.0 && a > 0.0 && b > 0.0
}

/// Sums the series at `z` (|z| < 1), returning `(ln |sum|, sign)`.
fn series(a: f64, b: f64, c: f64, z: f64) -> (f64, f64) {
    // Terms and sum are kept scaled by e^−ln_scale to avoid overflow.
    const RESCALE_ABOVE: f64 = 1e250;
    let mut ln_scale = 0.0;
    let mut term = 1.0_f64;
    let mut sum = 1.0_f64;
    let mut compensation = 0.0_f64;
    let mut largest_term = 1.0_f64;
    for n in 0..MAX_TERMS {
        let nf = n as f64;
        let ratio = (a + nf) * (b + nf) / ((c + nf) * (nf + 1.0)) * z;
        term *= ratio;
        if term == 0.0 {
            break; // terminating series (a or b a non-positive integer)
        }
        // Neumaier summation.
        let t = sum + term;
        if sum.abs() >= term.abs() {
            compensation += (sum - t) + term;
        } else {
            compensation += (term - t) + sum;
        }
        sum = t;
        largest_term = largest_term.max(term.abs());
        if term.abs() > RESCALE_ABOVE || sum.abs() > RESCALE_ABOVE {
            let factor = RESCALE_ABOVE.recip();
            term *= factor;
            sum *= factor;
            compensation *= factor;
            largest_term *= factor;
            ln_scale += RESCALE_ABOVE.ln();
        }
        // Once the ratio is below one the terms shrink geometrically at least
        // as fast as max(|ratio|, |z|) (the ratio tends to z monotonically), so
        // the tail is bounded by |term| ρ / (1 − ρ).
        let next_ratio =
            ((a + nf + 1.0) * (b + nf + 1.0) / ((c + nf + 1.0) * (nf + 2.0)) * z).abs();
        let rho = next_ratio.max(z.abs());
        if next_ratio < 1.0 && rho < 1.0 && term.abs() * rho / (1.0 - rho) <= TOLERANCE * sum.abs()
        {
            let total = sum + compensation;
            if total == 0.0 {
                return (f64::NEG_INFINITY, 0.0);
            }
            // Heavy cancellation in an alternating series makes the result
            // meaningless; report NaN rather than a wrong number.
            if largest_term / total.abs() > 1e10 {
                return (f64::NAN, f64::NAN);
            }
            return (total.abs().ln() + ln_scale, total.signum());
        }
    }
    (f64::NAN, f64::NAN)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn elementary_closed_forms() {
        // ₂F₁(1, 1; 2; z) = −ln(1−z)/z.
        for z in [-0.9f64, -0.3, 0.2, 0.7, 0.99] {
            let expected = -(-z).ln_1p() / z;
            assert!(
                (hyp2f1(1.0, 1.0, 2.0, z) / expected - 1.0).abs() < 1e-14,
                "z = {z}"
            );
        }
        // ₂F₁(a, b; b; z) = (1−z)^−a.
        assert!((hyp2f1(2.5, 3.0, 3.0, 0.5) / 0.5f64.powf(-2.5) - 1.0).abs() < 1e-14);
        // Terminating series: ₂F₁(−2, b; c; z) = 1 − 2bz/c + b(b+1)z²/(c(c+1)).
        let expected = 1.0 - 2.0 * 1.5 * 0.4 / 2.5 + 1.5 * 2.5 * 0.16 / (2.5 * 3.5);
        assert!((hyp2f1(-2.0, 1.5, 2.5, 0.4) - expected).abs() < 1e-15);
    }

    #[test]
    fn outside_the_domain_is_nan() {
        assert!(hyp2f1(1.0, 1.0, 2.0, 1.0).is_nan());
        assert!(hyp2f1(1.0, 1.0, -2.0, 0.5).is_nan());
    }
}
