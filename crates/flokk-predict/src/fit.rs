//! Maximum-likelihood fitting: a BFGS minimiser over log-parameters with a
//! backtracking (Armijo) line search, and a central-difference gradient for
//! models without an analytic one.
//!
//! Written here instead of using `argmin` because the models have at most four
//! parameters, the objective is cheap after row compression, and a 150-line
//! BFGS with a line search that treats non-finite values as "step too long"
//! keeps the crate free of a heavy dependency. Fitting in `ln θ` keeps every
//! parameter positive without constraints (predictive.md, "Models").

use crate::error::PredictError;

/// Result of a minimisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Minimum {
    /// Arg-min (log-parameters).
    pub point: Vec<f64>,
    /// Objective at the minimum.
    pub value: f64,
    /// Iterations used.
    pub iterations: usize,
    /// Infinity norm of the gradient at the minimum.
    pub gradient_norm: f64,
}

/// Settings of the minimiser.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MinimiseOptions {
    /// Stop when the gradient's infinity norm is below this.
    pub gradient_tolerance: f64,
    /// Give up after this many iterations.
    pub max_iterations: usize,
    /// Coordinates stay within `±bound` (log-parameters: `e^±25` ≈ 7e10);
    /// steps beyond are rejected like non-finite values, because far out the
    /// likelihood loses all precision (`ln Γ(r + x) − ln Γ(r)` at `r = e^190`).
    pub bound: f64,
}

impl Default for MinimiseOptions {
    fn default() -> Self {
        Self {
            gradient_tolerance: 1e-9,
            max_iterations: 500,
            bound: 25.0,
        }
    }
}

/// Minimises `objective` (returning value and gradient) from `start` with BFGS.
/// A failed line search restarts once from steepest descent before giving up.
///
/// Convergence: gradient infinity norm below the tolerance; or, while the
/// gradient is small (below `1e3 ×` the tolerance), no further decrease
/// possible or five iterations in a row that change the objective by less
/// than `1e-15` relative. The latter two happen near the optimum of flat
/// likelihoods, where the remaining decrease is below the rounding of the
/// objective and a line search can only follow noise.
pub fn minimise_bfgs<F>(
    model: &'static str,
    objective: F,
    start: &[f64],
    options: MinimiseOptions,
) -> Result<Minimum, PredictError>
where
    F: Fn(&[f64]) -> (f64, Vec<f64>),
{
    let n = start.len();
    let mut x = start.to_vec();
    let (mut f, mut g) = objective(&x);
    if !f.is_finite() || g.iter().any(|v| !v.is_finite()) {
        return Err(PredictError::NonFiniteStart { model });
    }
    let mut h = identity(n);
    let mut first_step = true;
    let mut stagnant_iterations = 0;
    for iteration in 0..options.max_iterations {
        let gnorm = inf_norm(&g);
        let small_gradient = gnorm < options.gradient_tolerance * 1e3;
        if gnorm < options.gradient_tolerance || (small_gradient && stagnant_iterations >= 5) {
            return Ok(Minimum {
                point: x,
                value: f,
                iterations: iteration,
                gradient_norm: gnorm,
            });
        }
        let mut direction: Vec<f64> = (0..n).map(|i| -dot(&h[i], &g)).collect();
        let mut slope = dot(&direction, &g);
        if slope >= 0.0 {
            // Lost positive definiteness: restart from steepest descent.
            h = identity(n);
            direction = g.iter().map(|v| -v).collect();
            slope = dot(&direction, &g);
        }
        // Keep the first step modest: a unit step in log-space is already a
        // factor e in every parameter.
        let mut step = if first_step {
            1.0 / gnorm.max(1.0)
        } else {
            1.0
        };
        let mut accepted = None;
        for _ in 0..60 {
            let candidate: Vec<f64> = x
                .iter()
                .zip(&direction)
                .map(|(xi, di)| xi + step * di)
                .collect();
            if candidate.iter().any(|c| c.abs() > options.bound) {
                step *= 0.5;
                continue;
            }
            let (fc, gc) = objective(&candidate);
            if fc.is_finite() && gc.iter().all(|v| v.is_finite()) && fc <= f + 1e-4 * step * slope {
                accepted = Some((candidate, fc, gc));
                break;
            }
            step *= 0.5;
        }
        let Some((x_new, f_new, g_new)) = accepted else {
            if !first_step && !small_gradient {
                // A stale inverse-Hessian estimate can point nowhere useful;
                // restart from steepest descent before giving up.
                h = identity(n);
                first_step = true;
                continue;
            }
            // Stuck against the bound: the optimum is at infinity. Report the
            // point; the models' identification check turns it into an error.
            let at_bound = x.iter().any(|c| c.abs() > options.bound - 1.0);
            if small_gradient || at_bound {
                return Ok(Minimum {
                    point: x,
                    value: f,
                    iterations: iteration,
                    gradient_norm: gnorm,
                });
            }
            return Err(PredictError::NotConverged {
                model,
                iterations: iteration,
                gradient_norm: gnorm,
            });
        };
        let s: Vec<f64> = x_new.iter().zip(&x).map(|(a, b)| a - b).collect();
        let y: Vec<f64> = g_new.iter().zip(&g).map(|(a, b)| a - b).collect();
        let sy = dot(&s, &y);
        if sy > 1e-300 {
            if first_step {
                // Scale the initial inverse Hessian (Nocedal & Wright eq. 6.20).
                let scale = sy / dot(&y, &y);
                h = identity(n)
                    .into_iter()
                    .map(|row| row.into_iter().map(|v| v * scale).collect())
                    .collect();
            }
            bfgs_update(&mut h, &s, &y, sy);
            first_step = false;
        }
        if f - f_new <= 1e-15 * f.abs() {
            stagnant_iterations += 1;
        } else {
            stagnant_iterations = 0;
        }
        x = x_new;
        f = f_new;
        g = g_new;
    }
    Err(PredictError::NotConverged {
        model,
        iterations: options.max_iterations,
        gradient_norm: inf_norm(&g),
    })
}

/// Central-difference gradient of `f` at `x` (step `1e-6 · max(1, |x_i|)`,
/// error O(h²) ≈ 1e-12 relative for smooth objectives).
pub fn central_difference_gradient<F: Fn(&[f64]) -> f64>(f: &F, x: &[f64]) -> Vec<f64> {
    let mut point = x.to_vec();
    (0..x.len())
        .map(|i| {
            let h = 1e-6 * x[i].abs().max(1.0);
            point[i] = x[i] + h;
            let up = f(&point);
            point[i] = x[i] - h;
            let down = f(&point);
            point[i] = x[i];
            (up - down) / (2.0 * h)
        })
        .collect()
}

fn bfgs_update(h: &mut [Vec<f64>], s: &[f64], y: &[f64], sy: f64) {
    // H ← (I − ρ s yᵀ) H (I − ρ y sᵀ) + ρ s sᵀ, ρ = 1 / sᵀy.
    let n = s.len();
    let rho = 1.0 / sy;
    let hy: Vec<f64> = (0..n).map(|i| dot(&h[i], y)).collect();
    let yhy = dot(y, &hy);
    for i in 0..n {
        for j in 0..n {
            h[i][j] += -rho * (s[i] * hy[j] + hy[i] * s[j]) + (rho * rho * yhy + rho) * s[i] * s[j];
        }
    }
}

fn identity(n: usize) -> Vec<Vec<f64>> {
    (0..n)
        .map(|i| (0..n).map(|j| if i == j { 1.0 } else { 0.0 }).collect())
        .collect()
}

fn dot(a: &[f64], b: &[f64]) -> f64 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

fn inf_norm(v: &[f64]) -> f64 {
    v.iter().fold(0.0, |m, x| m.max(x.abs()))
}

/// Largest (and inverse of the smallest) parameter value accepted from a fit.
/// Beyond it the likelihood is flat towards a boundary (e.g. `r, α → ∞`:
/// no heterogeneity in purchase rates), the parameters are not identified and
/// predictions would rest on an arbitrary point of the ridge.
pub const PARAMETER_LIMIT: f64 = 1e7;

/// Checks fitted parameters against [`PARAMETER_LIMIT`].
pub fn check_identified(
    model: &'static str,
    names: &[&'static str],
    values: &[f64],
) -> Result<(), PredictError> {
    for (&parameter, &value) in names.iter().zip(values) {
        if !value.is_finite() || !(1.0 / PARAMETER_LIMIT..=PARAMETER_LIMIT).contains(&value) {
            return Err(PredictError::NotIdentified {
                model,
                parameter,
                value,
            });
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bfgs_finds_the_rosenbrock_minimum() {
        let rosenbrock = |p: &[f64]| {
            let (x, y) = (p[0], p[1]);
            let f = (1.0 - x).powi(2) + 100.0 * (y - x * x).powi(2);
            let g = vec![
                -2.0 * (1.0 - x) - 400.0 * x * (y - x * x),
                200.0 * (y - x * x),
            ];
            (f, g)
        };
        let m =
            minimise_bfgs("test", rosenbrock, &[-1.2, 1.0], MinimiseOptions::default()).unwrap();
        assert!(
            (m.point[0] - 1.0).abs() < 1e-6 && (m.point[1] - 1.0).abs() < 1e-6,
            "{m:?}"
        );
    }

    #[test]
    fn central_difference_matches_analytic_gradient() {
        let f = |p: &[f64]| p[0].exp() * p[1].sin();
        let g = central_difference_gradient(&f, &[0.3, 1.1]);
        assert!((g[0] - 0.3f64.exp() * 1.1f64.sin()).abs() < 1e-9);
        assert!((g[1] - 0.3f64.exp() * 1.1f64.cos()).abs() < 1e-9);
    }
}
