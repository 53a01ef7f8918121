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
        print_human(&view);
    }
    Ok(())
}

fn print_human(v: &Value) {
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
            other => other.to_string(),
        };
        println!("  {k:<30} {shown}");
    }
}
