//! `flokk webhook add|list|remove|enable|rotate`: the endpoints `flokk serve`
//! delivers segment membership changes to (see flokk-server's webhooks).

use crate::cli::WebhookCommand;
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use anyhow::anyhow;
use flokk_store::WebhookEndpoint;

pub fn run(ctx: &Context, cmd: WebhookCommand) -> CmdResult {
    let store = ctx.store()?;
    match cmd {
        WebhookCommand::Add {
            url,
            segments,
            from_start,
        } => {
            let ids = if segments.is_empty() {
                None
            } else {
                let mut ids = Vec::new();
                for name in &segments {
                    let s = store.segment(name)?.ok_or_else(|| {
                        Failure::user(anyhow!("there is no segment named '{name}'"))
                            .with_code("not_found")
                    })?;
                    ids.push(s.id);
                }
                Some(ids)
            };
            let secret = flokk_server::webhooks::new_secret();
            let endpoint = store.add_webhook(&url, ids, from_start, &secret, ctx.now()?)?;
            print_with_secret(ctx, &endpoint)?;
        }
        WebhookCommand::Rotate { id } => {
            let secret = flokk_server::webhooks::new_secret();
            if !store.rotate_webhook_secret(id, &secret)? {
                return Err(Failure::user(anyhow!("there is no webhook endpoint {id}")));
            }
            let endpoint = store
                .webhook(id)?
                .ok_or_else(|| anyhow!("webhook endpoint {id} vanished"))?;
            print_with_secret(ctx, &endpoint)?;
        }
        WebhookCommand::List => print(ctx, &store.webhooks()?, false)?,
        WebhookCommand::Remove { id } => {
            if !store.remove_webhook(id)? {
                return Err(Failure::user(anyhow!("there is no webhook endpoint {id}")));
            }
            if ctx.global.json {
                println!("{}", serde_json::json!({ "removed": id }));
            }
        }
        WebhookCommand::Enable { id } => {
            if !store.enable_webhook(id)? {
                return Err(Failure::user(anyhow!("there is no webhook endpoint {id}")));
            }
            let endpoint = store.webhook(id)?.into_iter().collect::<Vec<_>>();
            print(ctx, &endpoint, false)?;
        }
    }
    Ok(())
}

/// An endpoint with its new secret: the only time the secret is shown.
fn print_with_secret(ctx: &Context, endpoint: &WebhookEndpoint) -> CmdResult {
    if ctx.global.json {
        let mut shown = serde_json::to_value(endpoint).map_err(anyhow::Error::from)?;
        shown["secret"] = endpoint.secret.clone().into();
        println!("{shown}");
        return Ok(());
    }
    print(ctx, std::slice::from_ref(endpoint), false)?;
    println!("      secret {}", endpoint.secret);
    eprintln!(
        "verify deliveries with the secret above (Standard Webhooks signatures); \
         it is shown only this once (`flokk webhook rotate {}` makes a new one)",
        endpoint.id
    );
    Ok(())
}

fn print(ctx: &Context, endpoints: &[WebhookEndpoint], one: bool) -> CmdResult {
    if ctx.global.json {
        let text = if one {
            serde_json::to_string(&endpoints[0])
        } else {
            serde_json::to_string(endpoints)
        };
        println!("{}", text.map_err(anyhow::Error::from)?);
        return Ok(());
    }
    for e in endpoints {
        let state = match (&e.disabled_reason, e.failures) {
            (Some(reason), _) => format!("DISABLED: {reason}"),
            (None, 0) => "ok".to_owned(),
            (None, n) => format!(
                "{n} failures, next try {}; last: {}",
                e.next_attempt_at.as_deref().unwrap_or("soon"),
                e.last_error.as_deref().unwrap_or("")
            ),
        };
        println!("{:>4}  {}  cursor {}  {state}", e.id, e.url, e.cursor);
    }
    Ok(())
}
