//! `₂F₁` against 50-digit mpmath values (tests/fixtures/hyp2f1_reference.csv,
//! generated once by scripts/hyp2f1_reference.py with mpmath 1.4.1).

use flokk_predict::hyp2f1::ln_abs_hyp2f1;

#[test]
fn hyp2f1_matches_mpmath_reference_values() {
    let text = include_str!("fixtures/hyp2f1_reference.csv");
    let mut worst: (f64, String) = (0.0, String::new());
    let mut checked = 0;
    for line in text.lines().skip(1) {
        let f: Vec<f64> = line.split(',').map(|v| v.parse().unwrap()).collect();
        let (a, b, c, z, expected_ln, expected_sign) = (f[0], f[1], f[2], f[3], f[4], f[5]);
        let (ln_abs, sign) = ln_abs_hyp2f1(a, b, c, z);
        assert_eq!(
            sign, expected_sign,
            "sign of 2F1({a}, {b}; {c}; {z}) = {ln_abs}"
        );
        // Relative accuracy of the value itself: |Δ ln| ≈ |ΔF/F|. Allow a little
        // more for values whose logarithm is large (the error of ln is then
        // relative to ln, as the power prefactors carry it).
        let error = (ln_abs - expected_ln).abs() / expected_ln.abs().max(1.0);
        if error > worst.0 {
            worst = (
                error,
                format!("2F1({a}, {b}; {c}; {z}): {ln_abs} vs {expected_ln}"),
            );
        }
        assert!(
            error < 1e-12,
            "2F1({a}, {b}; {c}; {z}): ln {ln_abs} vs mpmath {expected_ln}"
        );
        checked += 1;
    }
    println!(
        "{checked} values, worst relative error {:.2e} at {}",
        worst.0, worst.1
    );
    assert!(checked > 2600);
}
