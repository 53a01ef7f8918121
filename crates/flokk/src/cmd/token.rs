//! `flokk token create|list|revoke`: API tokens with scopes (`read`,
//! `write`, `export`, `admin`), stored hashed; a secret is shown once.

use crate::cli::TokenCommand;
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use anyhow::anyhow;
use flokk_store::Scope;
use serde_json::json;

pub fn run(ctx: &Context, cmd: TokenCommand) -> CmdResult {
    let store = ctx.store()?;
    let now = jiff::Timestamp::now();
    match cmd {
        TokenCommand::Create { name, scopes } => {
            let scopes: Vec<Scope> = scopes
                .iter()
                .map(|s| Scope::parse(s))
                .collect::<Result<_, _>>()?;
            let (token, secret) = store.create_token(&name, &scopes, now)?;
            if ctx.global.json {
                println!("{}", json!({ "token": token, "secret": secret }));
            } else {
                println!("{secret}");
                eprintln!(
                    "token {} ({}) made; the secret above is shown only now",
                    token.id,
                    token
                        .scopes
                        .iter()
                        .map(|s| s.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                );
            }
        }
        TokenCommand::List => {
            let tokens = store.tokens()?;
            if ctx.global.json {
                println!(
                    "{}",
                    serde_json::to_string(&tokens).map_err(anyhow::Error::from)?
                );
            } else {
                for t in tokens {
                    let scopes: Vec<&str> = t.scopes.iter().map(|s| s.as_str()).collect();
                    let state = match &t.revoked_at {
                        Some(at) => format!("revoked {at}"),
                        None => {
                            format!("last used {}", t.last_used_at.as_deref().unwrap_or("never"))
                        }
                    };
                    println!(
                        "{:>4}  {:<20} {:<24} {state}",
                        t.id,
                        t.name,
                        scopes.join(",")
                    );
                }
            }
        }
        TokenCommand::Revoke { id } => {
            if !store.revoke_token(id, now)? {
                return Err(Failure::user(anyhow!("there is no live token {id}")));
            }
            if ctx.global.json {
                println!("{}", json!({ "revoked": id }));
            }
        }
    }
    Ok(())
}
