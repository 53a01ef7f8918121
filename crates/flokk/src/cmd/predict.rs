//! `flokk predict [--refit]`: fits the store-level models (BG/NBD, MBG/NBD,
//! Gamma-Gamma) on the customers' purchase histories as of now, and reports
//! the parameters (time unit: days), the log-likelihoods and whether the
//! store has enough data for predictions (predictive.md).
//!
//! The fit runs on every call (`--refit` is accepted for the contract; the
//! fitted models are not stored yet, and the per-customer predictive fields
//! are not wired into queries yet).

use crate::cli::PredictArgs;
use crate::context::Context;
use crate::failure::CmdResult;
use crate::query::load_engine;
use flokk_engine::predictions::PurchaseHistory;
use flokk_predict::sufficiency::{SufficiencyRules, check_sufficiency};
use flokk_predict::{BgNbd, CustomerSummary, GammaGamma, MbgNbd, SpendRow, compress};
use serde_json::{Value, json};

pub fn run(ctx: &Context, _args: PredictArgs) -> CmdResult {
    let store = ctx.store()?;
    let now = ctx.now()?;
    let tz = ctx.timezone(&store)?;
    let engine = load_engine(&store)?;
    let history = PurchaseHistory::collect(&engine, now.as_second(), &tz);
    let summaries: Vec<CustomerSummary> = history.summaries().into_iter().flatten().collect();
    let history = history.store_history();
    let reasons: Vec<String> = check_sufficiency(&history, &SufficiencyRules::default())
        .into_iter()
        .map(|r| r.to_string())
        .collect();
    let rows = compress(&summaries);
    let fit_error = |e: flokk_predict::PredictError| json!({ "error": e.to_string() });
    let bgnbd = match BgNbd::fit(&rows) {
        Ok(f) => json!({
            "r": f.model.r, "alpha": f.model.alpha, "a": f.model.a, "b": f.model.b,
            "time_unit": "day", "log_likelihood": f.log_likelihood,
        }),
        Err(e) => fit_error(e),
    };
    let mbgnbd = match MbgNbd::fit(&rows) {
        Ok(f) => json!({
            "r": f.model.r, "alpha": f.model.alpha, "a": f.model.a, "b": f.model.b,
            "time_unit": "day", "log_likelihood": f.log_likelihood,
        }),
        Err(e) => fit_error(e),
    };
    let gamma_gamma = match GammaGamma::fit(&SpendRow::from_summaries(&summaries)) {
        Ok(f) => json!({
            "p": f.model.p, "q": f.model.q, "gamma": f.model.gamma,
            "log_likelihood": f.log_likelihood,
        }),
        Err(e) => fit_error(e),
    };
    let report = json!({
        "bgnbd": bgnbd,
        "gamma_gamma": gamma_gamma,
        "sufficient": reasons.is_empty(),
        "reasons": reasons,
        "mbgnbd": mbgnbd,
        "customers_with_orders": history.customers_with_orders,
        "repeat_customers": summaries.iter().filter(|s| s.x > 0.0).count(),
    });
    if ctx.global.json {
        println!("{report}");
    } else {
        print_human(&report);
    }
    Ok(())
}

fn print_human(v: &Value) {
    let num = |x: &Value| x.as_f64().map_or("-".to_owned(), |f| format!("{f:.4}"));
    for (name, key, params) in [
        ("BG/NBD", "bgnbd", &["r", "alpha", "a", "b"][..]),
        ("MBG/NBD (default)", "mbgnbd", &["r", "alpha", "a", "b"][..]),
        ("Gamma-Gamma", "gamma_gamma", &["p", "q", "gamma"][..]),
    ] {
        let m = &v[key];
        if let Some(e) = m["error"].as_str() {
            println!("{name}: not fitted ({e})");
            continue;
        }
        let ps: Vec<String> = params
            .iter()
            .map(|p| format!("{p} = {}", num(&m[*p])))
            .collect();
        let unit = if key == "gamma_gamma" {
            ""
        } else {
            " (time unit: days)"
        };
        println!(
            "{name}: {}{unit}, log-likelihood {}",
            ps.join(", "),
            num(&m["log_likelihood"])
        );
    }
    println!(
        "{} customers with orders, {} of them repeat buyers",
        v["customers_with_orders"], v["repeat_customers"]
    );
    if v["sufficient"] == json!(true) {
        println!("data sufficiency: enough data for predictions");
    } else {
        println!("data sufficiency: not enough data for predictions:");
        for r in v["reasons"].as_array().into_iter().flatten() {
            println!("  - {}", r.as_str().unwrap_or_default());
        }
    }
}
