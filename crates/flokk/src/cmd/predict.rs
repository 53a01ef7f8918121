//! `flokk predict [--refit]`: fits the store-level models (BG/NBD, MBG/NBD,
//! Gamma-Gamma) on the customers' purchase histories as of now, saves them
//! in the store (MBG/NBD + Gamma-Gamma score every customer until the next
//! refit), and reports the parameters (time unit: days), the
//! log-likelihoods and whether the store has enough data (predictive.md).
//!
//! Without `--refit`, a saved fit younger than `predict_refit_hours` is
//! reported as it is (`"refitted": false`); with `--refit`, or when the
//! saved fit is older or missing, the models are fitted again. After a
//! refit, saved segments that read predictive fields are re-evaluated
//! (feed cause `refit`). When the data are no longer sufficient, the saved
//! models are dropped and the predictive fields are NULL.

use crate::cli::PredictArgs;
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use crate::live::{clock, run_segments, segments_failure};
use crate::query::{load_engine, save_models};
use flokk_engine::predictions::PurchaseHistory;
use flokk_engine::saved_models::{PREDICTIVE_MODELS, SavedModels};
use flokk_predict::sufficiency::{SufficiencyRules, check_sufficiency};
use flokk_predict::{BgNbd, CustomerSummary, GammaGamma, MbgNbd, SpendRow, StoreModels, compress};
use flokk_store::StoredModel;
use serde_json::{Value, json};

pub fn run(ctx: &Context, args: PredictArgs) -> CmdResult {
    let store = ctx.store()?;
    let now = ctx.now()?;
    let tz = ctx.timezone(&store)?;
    let stored = store.model(PREDICTIVE_MODELS)?;
    let refit_hours: i64 = store
        .settings()
        .get("predict_refit_hours")?
        .parse()
        .map_err(|_| Failure::from(anyhow::anyhow!("predict_refit_hours is not a number")))?;
    let age_hours =
        |m: &StoredModel| jiff::Timestamp::now().duration_since(m.fitted_at).as_secs() / 3600;
    if !args.refit
        && let Some(m) = stored.as_ref().filter(|m| age_hours(m) < refit_hours)
        && let Ok(saved) = serde_json::from_str::<SavedModels>(&m.body)
    {
        let report = saved_report(&saved, m);
        return print(ctx, &report);
    }
    let mut engine = load_engine(&store)?;
    let history = PurchaseHistory::collect(engine.tables(), now.as_second(), &tz);
    let summaries: Vec<CustomerSummary> = history.summaries().into_iter().flatten().collect();
    let history = history.store_history();
    let reasons: Vec<String> = check_sufficiency(&history, &SufficiencyRules::default())
        .into_iter()
        .map(|r| r.to_string())
        .collect();
    let rows = compress(&summaries);
    let fit_error = |e: &flokk_predict::PredictError| json!({ "error": e.to_string() });
    let bgnbd_fit = BgNbd::fit(&rows);
    let bgnbd = match &bgnbd_fit {
        Ok(f) => json!({
            "r": f.model.r, "alpha": f.model.alpha, "a": f.model.a, "b": f.model.b,
            "time_unit": "day", "log_likelihood": f.log_likelihood,
        }),
        Err(e) => fit_error(e),
    };
    let mbgnbd_fit = MbgNbd::fit(&rows);
    let mbgnbd = match &mbgnbd_fit {
        Ok(f) => json!({
            "r": f.model.r, "alpha": f.model.alpha, "a": f.model.a, "b": f.model.b,
            "time_unit": "day", "log_likelihood": f.log_likelihood,
        }),
        Err(e) => fit_error(e),
    };
    let gamma_gamma_fit = GammaGamma::fit(&SpendRow::from_summaries(&summaries));
    let gamma_gamma = match &gamma_gamma_fit {
        Ok(f) => json!({
            "p": f.model.p, "q": f.model.q, "gamma": f.model.gamma,
            "log_likelihood": f.log_likelihood,
        }),
        Err(e) => fit_error(e),
    };
    // Save what scores customers, when the store has enough data for it.
    let saved = match (&mbgnbd_fit, reasons.is_empty()) {
        (Ok(purchases), true) => Some(
            SavedModels::from_models(
                &StoreModels {
                    purchases: *purchases,
                    spend: gamma_gamma_fit.clone(),
                },
                bgnbd_fit.as_ref().ok(),
                summaries.len(),
            )
            .with_bands(
                engine.tables(),
                &engine.aggregates(now.as_second(), &tz),
                &engine.prediction_settings,
                now.as_second(),
                &tz,
            ),
        ),
        _ => None,
    };
    save_models(&store, saved.as_ref(), now, engine.sequence)?;
    let report = json!({
        "bgnbd": bgnbd,
        "gamma_gamma": gamma_gamma,
        "sufficient": reasons.is_empty(),
        "reasons": reasons,
        "mbgnbd": mbgnbd,
        "customers_with_orders": history.customers_with_orders,
        "repeat_customers": summaries.iter().filter(|s| s.x > 0.0).count(),
        "refitted": true,
        "saved": saved.is_some(),
    });
    // Segments that read predictive fields follow the new models.
    if store.has_segments()? {
        engine.set_saved_models(saved);
        let clock = clock(ctx, &store)?;
        run_segments(&store, &mut engine, &clock, &mut |s| s.after_refit())
            .map_err(segments_failure)?;
    }
    print(ctx, &report)
}

/// The report of a saved fit (cli.md's shape, plus when it was fitted).
fn saved_report(saved: &SavedModels, m: &StoredModel) -> Value {
    let purchase = |p: &flokk_engine::saved_models::PurchaseParameters| {
        json!({ "r": p.r, "alpha": p.alpha, "a": p.a, "b": p.b, "time_unit": "day",
                "log_likelihood": p.log_likelihood })
    };
    json!({
        "bgnbd": saved.bgnbd.as_ref().map(purchase),
        "gamma_gamma": match (&saved.gamma_gamma, &saved.gamma_gamma_error) {
            (Some(g), _) => json!({ "p": g.p, "q": g.q, "gamma": g.gamma, "log_likelihood": g.log_likelihood }),
            (None, e) => json!({ "error": e }),
        },
        "sufficient": true,
        "reasons": Vec::<String>::new(),
        "mbgnbd": purchase(&saved.mbgnbd),
        "customers_with_orders": saved.customers_with_orders,
        "refitted": false,
        "fitted_at": m.fitted_at.to_string(),
        "as_of": m.as_of.to_string(),
    })
}

fn print(ctx: &Context, report: &Value) -> CmdResult {
    if ctx.global.json {
        println!("{report}");
    } else {
        print_human(report);
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
    if v["refitted"] == json!(false) {
        println!(
            "(saved fit of {}; flokk predict --refit fits again)",
            v["fitted_at"].as_str().unwrap_or_default()
        );
    } else {
        println!(
            "{} customers with orders, {} of them repeat buyers",
            v["customers_with_orders"], v["repeat_customers"]
        );
    }
    if v["sufficient"] == json!(true) {
        println!("data sufficiency: enough data for predictions");
    } else {
        println!("data sufficiency: not enough data for predictions:");
        for r in v["reasons"].as_array().into_iter().flatten() {
            println!("  - {}", r.as_str().unwrap_or_default());
        }
    }
}
