//! Printing campaign reports (`flokk_campaigns::campaign_report`, the
//! `--json` shape of cli.md): one object, or a list for `campaign list`.

use crate::context::Context;
use crate::failure::CmdResult;
use flokk_campaigns::campaign_report;
use flokk_store::{Campaign, Store};
use serde_json::Value;

/// Prints reports: one object, or a list for `campaign list`.
pub fn print(ctx: &Context, store: &Store, campaigns: &[Campaign], list: bool) -> CmdResult {
    let reports = campaigns
        .iter()
        .map(|c| {
            campaign_report(store, c).map(|r| serde_json::to_value(r).expect("a report serialises"))
        })
        .collect::<Result<Vec<Value>, _>>()?;
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
        match c.scheduled_at {
            Some(at) if c.state == "scheduled" => {
                println!("{} ({})  scheduled for {at}  to {audience}", c.name, c.id)
            }
            _ => println!("{} ({})  {}  to {audience}", c.name, c.id, c.state),
        }
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
