//! `flokk customer show ID`: one customer with every computed field under
//! its filter name (language.md §7) and their segment memberships.

use crate::cli::CustomerCommand;
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use crate::query::load_engine;
use anyhow::anyhow;
use flokk_engine::Evaluator;
use serde_json::Value;

pub fn run(ctx: &Context, cmd: CustomerCommand) -> CmdResult {
    let CustomerCommand::Show { id } = cmd;
    let store = ctx.store()?;
    let now = ctx.now()?;
    let tz = ctx.timezone(&store)?;
    let Some(profile) = store.customer_profile(&id)? else {
        return Err(Failure::user(anyhow!("no customer with id {id:?}")).with_code("not_found"));
    };
    let engine = load_engine(&store)?;
    let segments = crate::query::saved_segments(&store, &engine)?;
    let evaluator = Evaluator::new(&engine, now, tz.clone()).with_segments(segments.definitions());
    let Some(c) = engine.customers.find(&id) else {
        return Err(Failure::from(anyhow!(
            "customer {id:?} is in the store but not in the engine"
        )));
    };
    let view = flokk_server::customer_view::customer_document(
        &profile, &engine, &evaluator, &segments, c, &tz,
    )
    .map_err(crate::cmd::count::eval_failure)?;
    crate::query::persist_fitted(&store, &engine, now)?;
    if ctx.global.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&view).expect("JSON values serialise")
        );
    } else {
        print_human(&view, evaluator.currency_decimals());
    }
    Ok(())
}

/// The document's money fields: printed with the currency's decimals
/// (`119.60`, not the JSON number `119.6`).
const MONEY_FIELDS: &[&str] = &[
    "amount_spent",
    "historic_clv",
    "average_order_value",
    "predicted_clv",
    "total_clv",
];

fn print_human(v: &Value, decimals: u32) {
    let name = [&v["title"], &v["first_name"], &v["last_name"]]
        .iter()
        .filter_map(|x| x.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    println!(
        "customer {}  {}",
        v["id"].as_str().unwrap_or_default(),
        name
    );
    let obj = v.as_object().expect("the view is an object");
    for (k, value) in obj {
        if matches!(
            k.as_str(),
            "id" | "title" | "first_name" | "last_name" | "addresses"
        ) {
            continue;
        }
        let shown = match value {
            Value::Null => continue,
            Value::Array(a) if a.is_empty() => continue,
            Value::Object(o) if o.is_empty() => continue,
            Value::String(s) => s.clone(),
            // Already rounded to `decimals` places, so this prints that
            // decimal with its trailing zeros.
            Value::Number(n) if MONEY_FIELDS.contains(&k.as_str()) => {
                format!("{:.*}", decimals as usize, n.as_f64().unwrap_or(0.0))
            }
            other => other.to_string(),
        };
        println!("  {k:<30} {shown}");
    }
}
