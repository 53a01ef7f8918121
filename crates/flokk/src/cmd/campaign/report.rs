//! A campaign's report, the `--json` shape of cli.md: `{"id", "name",
//! "state", "recipients", "left_out", "sent", "delivered", "bounced",
//! "opened", "clicked", "unsubscribed", "complaints", "orders", "revenue"}`,
//! plus `queued` (not yet settled) and `unknown` (interrupted mid-transaction).
//!
//! `orders` and `revenue` are `null`: attribution of orders to campaigns is
//! not computed yet (a number here would be a made-up zero).

use crate::context::Context;
use crate::failure::CmdResult;
use flokk_store::{Campaign, Store};
use serde_json::{Value, json};

/// The report of one campaign.
pub fn report(store: &Store, c: &Campaign) -> Result<Value, flokk_store::StoreError> {
    let states = store.recipient_states(c.cpid)?;
    let n = |s: &str| states.get(s).copied().unwrap_or(0);
    let activity = store.campaign_activity(&c.id)?;
    Ok(json!({
        "id": c.id,
        "name": c.name,
        "state": c.state,
        "recipients": states.values().sum::<u64>(),
        "left_out": c.left_out,
        "queued": n("queued") + n("sending"),
        "sent": n("sent"),
        "delivered": activity.delivered,
        "bounced": {"hard": activity.bounced_hard, "soft": activity.bounced_soft},
        "opened": {"human": activity.opened_human, "machine": activity.opened_machine},
        "clicked": activity.clicked,
        "unsubscribed": activity.unsubscribed,
        "complaints": activity.complaints,
        "unknown": n("unknown"),
        "orders": null,
        "revenue": null,
    }))
}

/// Prints reports: one object, or a list for `campaign list`.
pub fn print(ctx: &Context, store: &Store, campaigns: &[Campaign], list: bool) -> CmdResult {
    let reports = campaigns
        .iter()
        .map(|c| report(store, c))
        .collect::<Result<Vec<_>, _>>()?;
    if ctx.global.json {
        if list {
            println!("{}", Value::Array(reports));
        } else if let Some(r) = reports.first() {
            println!("{r}");
        }
        return Ok(());
    }
    if list && reports.is_empty() {
        eprintln!(
            "no campaigns yet (flokk campaign create NAME SEGMENT --subject S --body-file F)"
        );
    }
    for (c, r) in campaigns.iter().zip(&reports) {
        let audience = match (&c.segment, &c.query) {
            (Some(s), _) => format!("segment '{s}'"),
            (None, Some(q)) => format!("query {q}"),
            _ => "?".into(),
        };
        println!("{} ({})  {}  to {audience}", c.name, c.id, c.state);
        println!(
            "  recipients {}  queued {}  sent {}  delivered {}  bounced {} hard / {} soft",
            r["recipients"],
            r["queued"],
            r["sent"],
            r["delivered"],
            r["bounced"]["hard"],
            r["bounced"]["soft"]
        );
        println!(
            "  opened {} human / {} machine  clicked {}  unsubscribed {}  complaints {}",
            r["opened"]["human"],
            r["opened"]["machine"],
            r["clicked"],
            r["unsubscribed"],
            r["complaints"]
        );
        if !c.left_out.is_empty() {
            let parts: Vec<String> = c.left_out.iter().map(|(k, v)| format!("{k} {v}")).collect();
            println!("  left out: {}", parts.join(", "));
        }
    }
    Ok(())
}
