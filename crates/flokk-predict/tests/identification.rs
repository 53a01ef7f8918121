//! Fits on data that cannot identify a model must fail with a reason, not
//! return parameters from an arbitrary point of a flat ridge.

use flokk_predict::{BgNbd, MbgNbd, PredictError, compress};

#[test]
fn data_without_heterogeneity_is_reported_not_fitted() {
    // Every customer buys on a fixed 60-day rhythm: purchase rates do not
    // vary, so r, α → ∞ and the BG/NBD and MBG/NBD parameters are not identified.
    let orders: Vec<Vec<(i64, f64)>> = (0..300i64)
        .map(|i| (0..1 + i % 4).map(|k| (i + 60 * k, 20.0)).collect())
        .collect();
    let summaries: Vec<_> = orders
        .iter()
        .filter_map(|o| flokk_predict::summarise(o, 400))
        .collect();
    let rows = compress(&summaries);
    let bg = BgNbd::fit(&rows);
    assert!(
        matches!(
            bg,
            Err(PredictError::NotIdentified {
                model: "BG/NBD",
                ..
            })
        ),
        "{bg:?}"
    );
    // On this ridge the MBG/NBD optimiser either runs off to a boundary or
    // spends its iteration budget creeping along it (which one has been seen
    // to vary between builds); either is a refusal to fit, named for the model.
    let mbg = MbgNbd::fit(&rows);
    assert!(
        matches!(
            mbg,
            Err(PredictError::NotIdentified {
                model: "MBG/NBD",
                ..
            } | PredictError::NotConverged {
                model: "MBG/NBD",
                ..
            })
        ),
        "{mbg:?}"
    );
}
