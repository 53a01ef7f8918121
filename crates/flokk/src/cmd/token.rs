//! `flokk token create|list|revoke`: the API tokens that the HTTP API and
//! the web UI's sign-in accept (see flokk-server's `auth`).

use crate::cli::TokenCommand;
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use anyhow::anyhow;
use flokk_server::token_view::{CreatedTokenView, TokenView};
use flokk_store::{ApiToken, Scopes};

pub fn run(ctx: &Context, cmd: TokenCommand) -> CmdResult {
    let store = ctx.store()?;
    // Token times are wall-clock times, whatever --now says about queries.
    let now = jiff::Timestamp::now();
    match cmd {
        TokenCommand::Create {
            name,
            scopes,
            organisations,
        } => {
            let scopes = Scopes::parse(&scopes.join(","))?;
            let created = store.create_limited_token(&name, scopes, &organisations, now)?;
            if ctx.global.json {
                print_json(&CreatedTokenView::from(&created))?;
            } else {
                let limited = if created.token.organisations.is_empty() {
                    String::new()
                } else {
                    format!(", organisations {}", created.token.organisations.join(", "))
                };
                eprintln!(
                    "created token {:?} (id {}, scopes {}{limited}); the secret is shown only this once:",
                    created.token.name, created.token.id, created.token.scopes
                );
                println!("{}", created.secret);
            }
        }
        TokenCommand::List => {
            let tokens = store.tokens()?;
            if ctx.global.json {
                print_json(&tokens.iter().map(TokenView::from).collect::<Vec<_>>())?;
            } else {
                for t in &tokens {
                    println!("{}", line(t));
                }
            }
        }
        TokenCommand::Revoke { token } => {
            let before = store.token(&token)?.ok_or_else(|| {
                Failure::user(anyhow!("there is no token named or numbered {token:?}"))
            })?;
            let revoked = store.revoke_token(&before.id.to_string(), now)?;
            if ctx.global.json {
                print_json(&TokenView::from(&revoked))?;
            } else if before.revoked_at.is_some() {
                eprintln!(
                    "token {:?} (id {}) was revoked already",
                    revoked.name, revoked.id
                );
            } else {
                eprintln!(
                    "revoked token {:?} (id {}); its sessions have ended",
                    revoked.name, revoked.id
                );
            }
        }
    }
    Ok(())
}

fn print_json(value: &impl serde::Serialize) -> CmdResult {
    println!(
        "{}",
        serde_json::to_string(value).map_err(anyhow::Error::from)?
    );
    Ok(())
}

/// One token a line: id, name, scopes, created, last used, revoked.
fn line(t: &ApiToken) -> String {
    let minute = |ts: jiff::Timestamp| ts.strftime("%Y-%m-%d %H:%M UTC").to_string();
    let used = t
        .last_used_at
        .map_or("never used".to_owned(), |u| format!("used {}", minute(u)));
    let state = t
        .revoked_at
        .map_or(String::new(), |r| format!("  REVOKED {}", minute(r)));
    let limited = if t.organisations.is_empty() {
        String::new()
    } else {
        format!("  organisations {}", t.organisations.join(","))
    };
    format!(
        "{:>4}  {:<24}  {:<24}  created {}  {used}{state}{limited}",
        t.id,
        t.name,
        t.scopes.to_string(),
        minute(t.created_at)
    )
}
