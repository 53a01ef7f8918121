//! `flokk discount create|codes|check|show|list`: discounts for a segment,
//! with one shared code or a code per member, stored with who each code was
//! issued to; redemption is read from orders' `discount_codes`.
//!
//! The members are the segment's (or list's) members now, as `segment
//! members` lists them. Creating is one store transaction: a bad value, a
//! taken name or code writes nothing.

use crate::cli::{DiscountCodesFormat, DiscountCommand, DiscountCreateArgs};
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use anyhow::anyhow;
use flokk_store::{
    CodeFileFormat, Discount, DiscountCheck, DiscountKind, NewCodes, NewDiscount, Store,
    checked_subtotal, code_file, discount_instant, shopify_discount_gid,
};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde_json::json;
use std::io::Write;

/// Unique codes have this many random characters unless `--length` says.
// 8 of 31 characters: 8.5e11 codes, a million times the largest audiences
// (a few hundred thousand), short enough to type from a printed voucher.
const DEFAULT_LENGTH: usize = 8;

pub fn run(ctx: &Context, cmd: DiscountCommand) -> CmdResult {
    let store = ctx.store()?;
    match cmd {
        DiscountCommand::Create(args) => create(ctx, &store, *args),
        DiscountCommand::Codes {
            name,
            format,
            out,
            shopify_discount_id,
        } => codes(&store, &name, format, out, shopify_discount_id.as_deref()),
        DiscountCommand::Check {
            code,
            customer,
            subtotal,
        } => {
            let decimals = crate::query::currency_decimals(&store)?;
            let subtotal = subtotal
                .as_deref()
                .map(|s| checked_subtotal(s, decimals))
                .transpose()
                .map_err(|e| Failure::coded("invalid_subtotal", true, anyhow!("{e}")))?;
            let answer = store.check_discount_code(&code, &customer, ctx.now()?, subtotal)?;
            print_check(ctx, answer, decimals);
            Ok(())
        }
        DiscountCommand::Show { name } => {
            let discount = store.discount(&name)?.ok_or_else(|| unknown(&name))?;
            print_discount(ctx, &discount)
        }
        DiscountCommand::All => {
            let all = store.discounts()?;
            if ctx.global.json {
                println!(
                    "{}",
                    serde_json::to_string(&all).map_err(anyhow::Error::from)?
                );
            } else {
                for d in &all {
                    println!(
                        "{}  {}  issued {}  redeemed {}  revenue {:.2}",
                        d.name, d.segment, d.issued, d.redeemed, d.revenue
                    );
                }
            }
            Ok(())
        }
    }
}

fn create(ctx: &Context, store: &Store, args: DiscountCreateArgs) -> CmdResult {
    let tz = ctx.timezone(store)?;
    let starts = args
        .starts
        .as_deref()
        .map(|t| instant(t, &tz, false))
        .transpose()?;
    let ends = args
        .ends
        .as_deref()
        .map(|t| instant(t, &tz, true))
        .transpose()?;
    let (kind, value) = match (args.percent, args.amount) {
        (Some(p), None) => (DiscountKind::Percent, p),
        (None, Some(a)) => (DiscountKind::Amount, a),
        _ => {
            return Err(
                Failure::user(anyhow!("give --percent X or --amount X")).with_code("bad_arguments")
            );
        }
    };
    let codes = match (args.code, args.unique) {
        (Some(code), false) => NewCodes::Shared(code),
        (None, true) => NewCodes::Unique {
            prefix: args.prefix,
            length: args.length.unwrap_or(DEFAULT_LENGTH),
        },
        _ => {
            return Err(
                Failure::user(anyhow!("give --code CODE or --unique")).with_code("bad_arguments")
            );
        }
    };
    let (query, audience) = crate::cmd::list::audience_query(store, &args.segment)?;
    let members = crate::cmd::list::audience_ids(ctx, store, &query)?;
    let new = NewDiscount {
        name: args.name,
        audience,
        kind,
        value,
        minimum: args.minimum,
        starts_at: starts,
        ends_at: ends,
        uses_per_customer: args.uses_per_customer,
        uses: args.uses,
        codes,
    };
    let discount = store.create_discount(&new, &members, ctx.now()?)?;
    print_discount(ctx, &discount)
}

/// A validity bound: a day or an instant (see [`discount_instant`]).
fn instant(text: &str, tz: &TimeZone, end: bool) -> Result<Timestamp, Failure> {
    discount_instant(text, tz, end)
        .map_err(|e| Failure::coded("invalid_date", true, anyhow!("{e}")))
}

fn codes(
    store: &Store,
    name: &str,
    format: DiscountCodesFormat,
    out: Option<std::path::PathBuf>,
    shopify_discount_id: Option<&str>,
) -> CmdResult {
    let format = match format {
        DiscountCodesFormat::Csv => CodeFileFormat::Csv,
        DiscountCodesFormat::Shopify => CodeFileFormat::Matrixify,
        DiscountCodesFormat::ShopifyGraphql => CodeFileFormat::ShopifyGraphql,
    };
    let gid = match shopify_discount_id {
        Some(_) if format != CodeFileFormat::ShopifyGraphql => {
            return Err(Failure::user(anyhow!(
                "--shopify-discount-id goes with --format shopify-graphql"
            ))
            .with_code("bad_arguments"));
        }
        Some(id) => Some(
            shopify_discount_gid(id)
                .map_err(|e| Failure::coded("bad_arguments", true, anyhow!("{e}")))?,
        ),
        None => None,
    };
    let discount = store.discount(name)?.ok_or_else(|| unknown(name))?;
    let rows = store.discount_codes(name)?;
    let buf = code_file(&discount.name, &rows, format, gid.as_deref())?;
    match out {
        Some(path) => {
            std::fs::write(&path, &buf).map_err(|e| {
                Failure::coded("io", false, anyhow!("cannot write {}: {e}", path.display()))
            })?;
            eprintln!("wrote {} codes to {}", rows.len(), path.display());
        }
        None => std::io::stdout()
            .write_all(&buf)
            .map_err(|e| Failure::from(anyhow::Error::from(e)))?,
    }
    Ok(())
}

fn print_check(ctx: &Context, answer: DiscountCheck, decimals: u32) {
    let minimum = answer.minimum.map(|m| m.display(decimals));
    if ctx.global.json {
        println!(
            "{}",
            json!({"valid": answer.reason.is_none(), "reason": answer.reason, "minimum": minimum})
        );
        return;
    }
    let rule = minimum
        .map(|m| format!(" (minimum order subtotal {m})"))
        .unwrap_or_default();
    match answer.reason {
        None => println!("valid{rule}"),
        Some(r) => println!(
            "not valid: {}{rule}",
            serde_json::to_value(r)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default()
        ),
    }
}

fn print_discount(ctx: &Context, d: &Discount) -> CmdResult {
    if ctx.global.json {
        println!("{}", serde_json::to_string(d).map_err(anyhow::Error::from)?);
        return Ok(());
    }
    let value = match d.kind {
        DiscountKind::Percent => format!("{} %", d.value),
        DiscountKind::Amount => format!("{} off", d.value),
    };
    let codes = match &d.code {
        Some(code) => format!("code {code}"),
        None => "a code per customer".to_owned(),
    };
    println!("{}: {value} for '{}', {codes}", d.name, d.segment);
    println!(
        "  issued {}, redeemed {}, revenue {:.2}",
        d.issued, d.redeemed, d.revenue
    );
    Ok(())
}

fn unknown(name: &str) -> Failure {
    Failure::coded(
        "unknown_discount",
        true,
        anyhow!("there is no discount named '{name}'"),
    )
}
