//! `flokk campaign send NAME [--wait]`: freeze the audience behind the
//! consent gate into the send queue, and send.
//!
//! The audience is the segment's (or query's) members evaluated now, as
//! `flokk tag` takes it; each member passes the gate or is counted under
//! its reason in `left_out`. Freezing is one transaction and happens once:
//! sending a campaign that is already sending resumes its queue, one that
//! was sent is refused.
//!
//! Decision: without `--wait` the queue is frozen and sending starts here
//! anyway until nothing is due right now (retries after a temporary
//! failure wait for the next `send`, which resumes), so a merchant never
//! has a campaign that silently waits for a process that is not running.
//! `--wait` stays until every recipient is settled.

use super::{Sending, campaign_failure, find, relay, report};
use crate::cmd::count::eval_failure;
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use crate::query::{checked, load_engine, saved_segments};
use anyhow::anyhow;
use flokk_campaigns::{
    HOLDS_TICKETS, LEFT_OUT_REASONS, MISSING_PERMISSION, SendSettings, drain_queue, left_out_reason,
};
use flokk_engine::{Evaluator, QueryBackend};
use flokk_store::{Campaign, Store};
use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

pub fn run(ctx: &Context, name: &str, at: Option<&str>, wait: bool) -> CmdResult {
    if at.is_some() {
        return Err(Failure::coded(
            "not_available",
            true,
            anyhow!("scheduling (--at) is not available yet in this version of flokk; send now"),
        ));
    }
    let store = ctx.store()?;
    let mut campaign = find(&store, name)?;
    if campaign.state == "cancelled" {
        return Err(Failure::coded(
            "cancelled",
            true,
            anyhow!("campaign '{}' was cancelled", campaign.name),
        ));
    }
    if campaign.state == "sent" {
        return Err(Failure::coded(
            "already_sent",
            true,
            anyhow!("campaign '{}' was sent already", campaign.name),
        ));
    }
    // Everything that can be wrong with the settings is found before the
    // audience is frozen.
    let sending = Sending::of(&store, &campaign)?;
    let relay = relay(&store)?;
    let _lock = sender_lock(&store, &campaign)?;
    if campaign.state == "draft" {
        freeze(ctx, &store, &campaign)?;
        campaign = find(&store, name)?;
    }
    if campaign.state == "paused" {
        store.resume_campaign(campaign.cpid)?;
        campaign = find(&store, name)?;
    }
    // With the lock held no other process sends this campaign: a recipient
    // left at `sending` was in flight when a sender died. Never sent again.
    let interrupted = store.settle_interrupted(campaign.cpid, jiff::Timestamp::now())?;
    if interrupted > 0 && !ctx.global.json {
        eprintln!(
            "{interrupted} recipient(s) were in flight when an earlier send was interrupted: \
             counted as unknown, not sent again"
        );
    }
    let settings = store.settings();
    let number =
        |key: &str| -> Result<u32, Failure> { Ok(settings.get(key)?.parse::<u32>().unwrap_or(1)) };
    let send = SendSettings {
        rate_per_second: number("smtp_rate_per_second")?,
        max_attempts: number("smtp_max_attempts")?,
        retry_base: Duration::from_secs(u64::from(number("smtp_retry_seconds")?)),
        wait,
    };
    let clock = crate::live::clock(ctx, &store)?;
    // Live segments (and webhooks) follow the events as the send goes, not
    // only at its end.
    let mut follow = || {
        if let Err(e) = crate::live::sync_after_write(&store, &clock) {
            eprintln!(
                "warning: live segments could not follow the send yet: {:#}",
                e.error
            );
        }
    };
    let drained = drain_queue(
        &store,
        campaign.cpid,
        &sending.message(&campaign),
        &relay,
        &send,
        &jiff::Timestamp::now,
        &mut follow,
    );
    // The events written move live segments, whatever the drain's end.
    crate::live::sync_after_write(&store, &clock)?;
    let summary = drained.map_err(campaign_failure)?;
    if !ctx.global.json {
        eprintln!(
            "sent {}, hard bounces {}, soft bounces {}, to retry {}{}",
            summary.sent,
            summary.hard_bounced,
            summary.soft_bounced,
            summary.retried,
            match store.campaign_state(campaign.cpid)?.as_deref() {
                _ if summary.drained => "; the queue is drained",
                Some("paused") =>
                    "; the campaign was paused: `flokk campaign send NAME` resumes it",
                Some("cancelled") => "; the campaign was cancelled",
                _ =>
                    "; recipients wait for a retry: run `flokk campaign send NAME --wait` to finish",
            }
        );
    }
    let campaign = find(&store, name)?;
    report::print(ctx, &store, &[campaign], false)
}

/// An exclusive lock on the campaign's `campaign-N.sending` file in the
/// store, held while sending (the kernel drops it when the process dies,
/// even by `kill -9`): one sender per campaign, and a sender that holds it
/// knows any recipient at `sending` was interrupted.
fn sender_lock(store: &Store, campaign: &Campaign) -> Result<std::fs::File, Failure> {
    let path = store
        .dir()
        .join(format!("campaign-{}.sending", campaign.cpid));
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)?;
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd as _;
        // SAFETY: flock on a descriptor this function owns; no memory involved.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc != 0 {
            return Err(Failure::coded(
                "already_sending",
                true,
                anyhow!(
                    "another process is sending campaign '{}' right now",
                    campaign.name
                ),
            ));
        }
    }
    Ok(file)
}

/// Evaluates the audience, passes it through the gate and freezes it.
fn freeze(ctx: &Context, store: &Store, campaign: &Campaign) -> Result<(), Failure> {
    let query = match (&campaign.segment, &campaign.query) {
        (Some(name), _) => {
            let stored = store
                .segment(name)?
                .filter(|s| s.deleted_at.is_none())
                .ok_or_else(|| {
                    Failure::coded(
                        "unknown_segment",
                        true,
                        anyhow!("the campaign's segment '{name}' no longer exists"),
                    )
                })?;
            format!(
                "customer_segments CONTAINS {}",
                flokk_lang::Value::String(stored.name)
            )
        }
        (None, Some(q)) => q.clone(),
        (None, None) => return Err(anyhow!("campaign {} has no audience", campaign.name).into()),
    };
    let now = ctx.now()?;
    let tz = ctx.timezone(store)?;
    let holders_query = campaign
        .shown_for
        .as_deref()
        .map(flokk_lang::ShownFor::parse)
        .transpose()
        .map_err(crate::failure::Failure::user)?
        .map(|s| s.holders_query());
    let (ids, holders): (Vec<String>, BTreeSet<String>) = {
        let engine = load_engine(store)?;
        let segments = saved_segments(store, &engine)?;
        let evaluator = Evaluator::new(&engine, now, tz).with_segments(segments.definitions());
        let ids_of = |q: &str| -> Result<Vec<String>, Failure> {
            let typed = checked(q, false, &engine.property_types())?;
            let members = QueryBackend::members(&evaluator, &typed).map_err(eval_failure)?;
            Ok(members.iter().map(|c| evaluator.id(c).to_owned()).collect())
        };
        let holders = match &holders_query {
            Some(q) => ids_of(q)?.into_iter().collect(),
            None => BTreeSet::new(),
        };
        (ids_of(&query)?, holders)
    };
    let suppressions = store.email_suppressions()?;
    let mut left_out: BTreeMap<String, u64> = LEFT_OUT_REASONS
        .iter()
        .map(|r| (r.to_string(), 0))
        .collect();
    // Reasons that apply to this campaign show even at 0.
    if holders_query.is_some() {
        left_out.insert(HOLDS_TICKETS.to_owned(), 0);
    }
    let required = store.settings().get("email_required_permission")?;
    let required = (!required.is_empty()).then_some(required);
    if required.is_some() {
        left_out.insert(MISSING_PERMISSION.to_owned(), 0);
    }
    let mut recipients = Vec::new();
    for id in ids {
        if holders.contains(&id) {
            *left_out.entry(HOLDS_TICKETS.to_owned()).or_default() += 1;
            continue;
        }
        let Some(customer) = store.customer(&id)? else {
            continue;
        };
        match left_out_reason(&customer, &suppressions, required.as_deref()) {
            Some(reason) => *left_out.entry(reason.to_owned()).or_default() += 1,
            None => recipients.push((id, customer.email.unwrap_or_default().trim().to_owned())),
        }
    }
    store.freeze_audience(
        campaign.cpid,
        &recipients,
        &left_out,
        jiff::Timestamp::now(),
    )?;
    if !ctx.global.json {
        let out: u64 = left_out.values().sum();
        eprintln!(
            "audience frozen: {} recipients, {out} left out by the consent gate",
            recipients.len()
        );
    }
    Ok(())
}
