//! Parameter recovery: MBG/NBD and Gamma-Gamma fitted on customers simulated
//! from known parameters (the benchmark's simulator) must land near them.
//! With 40,000 customers the standard errors are a few per cent; the bounds
//! (±12 %) are about three standard errors, so a biased likelihood, gradient
//! or summary fails while sampling noise does not.

#[path = "../benches/support/simulate.rs"]
mod simulate;

use flokk_predict::{GammaGamma, MbgNbd, SpendRow, compress};
use simulate::{Rng, TRUE_GG, TRUE_MBG, simulate_customer};

fn assert_near(name: &str, fitted: f64, truth: f64) {
    assert!(
        (fitted / truth - 1.0).abs() < 0.12,
        "{name}: fitted {fitted}, true {truth}"
    );
}

#[test]
fn mbg_nbd_and_gamma_gamma_recover_simulated_parameters() {
    let mut rng = Rng(2024);
    let customers: Vec<_> = (0..40_000).map(|_| simulate_customer(&mut rng)).collect();
    let mbg = MbgNbd::fit(&compress(&customers)).unwrap().model;
    let (r, alpha, a, b) = TRUE_MBG;
    println!("{mbg:?}");
    assert_near("r", mbg.r, r);
    assert_near("alpha", mbg.alpha, alpha);
    assert_near("a", mbg.a, a);
    assert_near("b", mbg.b, b);
    let gg = GammaGamma::fit(&SpendRow::from_summaries(&customers))
        .unwrap()
        .model;
    let (p, q, gamma) = TRUE_GG;
    println!("{gg:?}");
    assert_near("p", gg.p, p);
    assert_near("q", gg.q, q);
    assert_near("gamma", gg.gamma, gamma);
}
