//! Per-customer quantities against independent values from the Python
//! `lifetimes` package (0.11.3; versions in the fixture's first line), produced
//! by scripts/lifetimes_reference.py on the CDNOW sample as of 1997-09-30 with
//! days as the unit.
//!
//! The formulas are compared at lifetimes' own fitted parameters, so the check
//! isolates the per-customer formulas from optimiser differences (tolerance:
//! 1e-9 relative; both sides are double precision with accurate `₂F₁`). The
//! fits are compared separately: flokk's log-likelihood must be at least as
//! high as at lifetimes' parameters and the parameters close to them.

mod common;

use common::*;
use flokk_predict::{BgNbd, GammaGamma, MbgNbd, ParetoNbd, compress};

struct Reference {
    params: Vec<(String, Vec<f64>)>,
    customers: Vec<Vec<f64>>,
}

fn reference() -> Reference {
    let text = include_str!("fixtures/lifetimes_reference.csv");
    let mut params = Vec::new();
    let mut customers = Vec::new();
    for line in text.lines().filter(|l| !l.starts_with('#')) {
        let fields: Vec<&str> = line.split(',').collect();
        let numbers = |from: usize| {
            fields[from..]
                .iter()
                .filter(|v| !v.is_empty())
                .map(|v| v.parse::<f64>().unwrap())
                .collect::<Vec<f64>>()
        };
        match fields[0] {
            "params" => params.push((fields[1].to_string(), numbers(2))),
            "customer" if fields[1] != "id" => customers.push(numbers(1)),
            _ => {}
        }
    }
    Reference { params, customers }
}

fn params<'a>(reference: &'a Reference, name: &str) -> &'a [f64] {
    &reference.params.iter().find(|(n, _)| n == name).unwrap().1
}

fn assert_close(what: &str, ours: f64, theirs: f64, relative: f64) {
    assert!(
        (ours - theirs).abs() <= relative * theirs.abs().max(1e-12),
        "{what}: flokk {ours}, lifetimes {theirs}"
    );
}

#[test]
fn per_customer_quantities_match_lifetimes() {
    let reference = reference();
    let [r, alpha, a, b] = params(&reference, "bgnbd").try_into().unwrap();
    let bg = BgNbd { r, alpha, a, b };
    let [r, alpha, a, b] = params(&reference, "mbgnbd").try_into().unwrap();
    let mbg = MbgNbd { r, alpha, a, b };
    let [r, alpha, s, beta] = params(&reference, "pareto_nbd").try_into().unwrap();
    let pnbd = ParetoNbd { r, alpha, s, beta };
    let [p, q, gamma] = params(&reference, "gamma_gamma").try_into().unwrap();
    let gg = GammaGamma { p, q, gamma };
    assert!(reference.customers.len() >= 10);
    for c in &reference.customers {
        let (id, x, t_x, t, m) = (c[0], c[1], c[2], c[3], c[4]);
        let who = |what: &str| format!("customer {id} {what}");
        assert_close(
            &who("BG/NBD P(alive)"),
            bg.probability_alive(x, t_x, t),
            c[5],
            1e-9,
        );
        assert_close(
            &who("BG/NBD E[Y(365)]"),
            bg.expected_purchases(365.0, x, t_x, t),
            c[6],
            1e-9,
        );
        assert_close(
            &who("MBG/NBD P(alive)"),
            mbg.probability_alive(x, t_x, t),
            c[7],
            1e-9,
        );
        assert_close(
            &who("MBG/NBD E[Y(365)]"),
            mbg.expected_purchases(365.0, x, t_x, t),
            c[8],
            1e-9,
        );
        assert_close(
            &who("Pareto/NBD P(alive)"),
            pnbd.probability_alive(x, t_x, t),
            c[9],
            1e-9,
        );
        assert_close(
            &who("Pareto/NBD E[Y(365)]"),
            pnbd.expected_purchases(365.0, x, t_x, t),
            c[10],
            1e-9,
        );
        let monetary = (x > 0.0).then_some(m);
        assert_close(
            &who("Gamma-Gamma E[M]"),
            gg.expected_average_value(x, monetary).unwrap(),
            c[11],
            1e-9,
        );
    }
}

#[test]
fn flokk_fits_are_at_least_as_good_as_lifetimes_fits() {
    let reference = reference();
    let records = load_cdnow().expect("CDNOW sample");
    let rows = compress(&summaries(&records, calibration_end()));

    let [r, alpha, a, b] = params(&reference, "mbgnbd").try_into().unwrap();
    let theirs = MbgNbd { r, alpha, a, b };
    let ours = MbgNbd::fit(&rows).unwrap();
    println!(
        "MBG/NBD flokk {:?} LL {:.6}; lifetimes LL {:.6}",
        ours.model,
        ours.log_likelihood,
        theirs.log_likelihood(&rows)
    );
    assert!(ours.log_likelihood >= theirs.log_likelihood(&rows) - 1e-6);
    assert_close("MBG/NBD r", ours.model.r, theirs.r, 1e-3);
    assert_close("MBG/NBD alpha", ours.model.alpha, theirs.alpha, 1e-3);
    assert_close("MBG/NBD a", ours.model.a, theirs.a, 1e-3);
    assert_close("MBG/NBD b", ours.model.b, theirs.b, 1e-3);

    let [r, alpha, s, beta] = params(&reference, "pareto_nbd").try_into().unwrap();
    let theirs = ParetoNbd { r, alpha, s, beta };
    let ours = ParetoNbd::fit(&rows).unwrap();
    println!(
        "Pareto/NBD flokk {:?} LL {:.6}; lifetimes LL {:.6}",
        ours.model,
        ours.log_likelihood,
        theirs.log_likelihood(&rows)
    );
    assert!(ours.log_likelihood >= theirs.log_likelihood(&rows) - 1e-6);
    assert_close("Pareto/NBD r", ours.model.r, theirs.r, 1e-2);
    assert_close("Pareto/NBD beta", ours.model.beta, theirs.beta, 1e-2);
}
