//! `flokk config get|set KEY [VALUE]`.

use crate::cli::ConfigCommand;
use crate::context::Context;
use crate::failure::CmdResult;
use flokk_store::SETTINGS;

pub fn run(ctx: &Context, cmd: ConfigCommand) -> CmdResult {
    let store = ctx.store()?;
    let settings = store.settings();
    match cmd {
        ConfigCommand::Get { key: Some(key) } => {
            let value = flokk_store::shown_value(&key, &settings.get(&key)?);
            if ctx.global.json {
                println!("{}", serde_json::json!({ "key": key, "value": value }));
            } else {
                println!("{value}");
            }
        }
        ConfigCommand::Get { key: None } => {
            let all = settings.all()?;
            if ctx.global.json {
                let map: serde_json::Map<String, serde_json::Value> = all
                    .into_iter()
                    .map(|(k, v)| (k.to_owned(), flokk_store::shown_value(k, &v).into()))
                    .collect();
                println!("{}", serde_json::Value::Object(map));
            } else {
                for ((key, value), spec) in all.into_iter().zip(SETTINGS) {
                    let value = flokk_store::shown_value(key, &value);
                    println!("{key} = {value:?}    # {}", spec.about);
                }
            }
        }
        ConfigCommand::Set { key, value } => {
            let value = flokk_store::shown_value(&key, &settings.set(&key, &value)?);
            if ctx.global.json {
                println!("{}", serde_json::json!({ "key": key, "value": value }));
            } else {
                eprintln!("{key} = {value:?}");
            }
        }
    }
    Ok(())
}
