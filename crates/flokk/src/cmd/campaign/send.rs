//! `flokk campaign send NAME [--wait] [--at T]`: freeze the audience behind
//! the consent gate into the send queue, and send; or schedule it.
//!
//! The audience is the segment's (or query's) members evaluated now, as
//! `flokk tag` takes it; each member passes the gate or is counted under
//! its reason in `left_out`. Freezing is one transaction and happens once:
//! sending a campaign that is already sending resumes its queue, one that
//! was sent is refused.
//!
//! Decision: without `--wait` the queue is frozen and sending starts here
//! anyway until nothing is due right now (retries after a temporary
//! failure wait for the next `send`, or a running `flokk serve`, which
//! resume), so a merchant never has a campaign that silently waits for a
//! process that is not running. `--wait` stays until every recipient is
//! settled.
//!
//! `--at T` schedules instead: the settings are checked now (a schedule
//! that would fail at its time fails here), nothing is frozen, and a
//! running `flokk serve` starts the send when T comes (the audience is
//! frozen then, as of then). Again with another `--at` reschedules;
//! `campaign cancel` cancels. Decision: `flokk campaign send NAME` without
//! `--at` on a scheduled campaign sends it now, early or late: the merchant
//! asked in so many words, and it is how a store without a running server
//! sends a scheduled campaign (from cron, say).

use super::{campaign_failure, find, relay, report, sending};
use crate::context::Context;
use crate::failure::{CmdResult, Failure};
use crate::query::{load_engine, saved_segments};
use anyhow::anyhow;
use flokk_campaigns::{
    SenderLock, check_sendable, drain_queue, evaluate_audience, freeze_audience, send_settings,
};
use flokk_engine::Evaluator;
use flokk_store::{Campaign, Store};

pub fn run(ctx: &Context, name: &str, at: Option<&str>, wait: bool) -> CmdResult {
    let store = ctx.store()?;
    let mut campaign = find(&store, name)?;
    check_sendable(&campaign).map_err(campaign_failure)?;
    // Everything that can be wrong with the settings is found before the
    // audience is frozen (or the campaign scheduled).
    let sending = sending(&store, &campaign)?;
    let relay = relay(&store)?;
    if let Some(at) = at {
        return schedule(ctx, &store, &campaign, at);
    }
    let _lock = SenderLock::acquire(&store, &campaign).map_err(campaign_failure)?;
    if matches!(campaign.state.as_str(), "draft" | "scheduled") {
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
    let send = send_settings(&store, wait).map_err(campaign_failure)?;
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

/// `--at T`: schedules a draft, reschedules a scheduled campaign.
fn schedule(ctx: &Context, store: &Store, campaign: &Campaign, at: &str) -> CmdResult {
    let when = at.parse::<jiff::Timestamp>().map_err(|e| {
        Failure::coded(
            "invalid_instant",
            true,
            anyhow!("--at {at:?} is not an RFC 3339 instant (like 2026-12-24T08:00:00Z): {e}"),
        )
    })?;
    // Decision: a time already past is refused rather than sent at once;
    // `send` without `--at` is how to send now, and a typo'd year should
    // not mail a list.
    if when <= ctx.now()? {
        return Err(Failure::coded(
            "invalid_instant",
            true,
            anyhow!("--at {at} is not in the future; to send now, leave out --at"),
        ));
    }
    if !store.schedule_campaign(campaign.cpid, when)? {
        return Err(Failure::coded(
            "already_started",
            true,
            anyhow!(
                "campaign '{}' is {}: only a draft or scheduled campaign can be scheduled",
                campaign.name,
                campaign.state
            ),
        ));
    }
    if !ctx.global.json {
        eprintln!(
            "campaign '{}' is scheduled for {when}: a running `flokk serve` sends it then \
             (`flokk campaign send {}` sends it now, `flokk campaign cancel` cancels it)",
            campaign.name, campaign.name
        );
    }
    let campaign = find(store, &campaign.name)?;
    report::print(ctx, store, &[campaign], false)
}

/// Evaluates the audience, passes it through the gate and freezes it.
fn freeze(ctx: &Context, store: &Store, campaign: &Campaign) -> Result<(), Failure> {
    let now = ctx.now()?;
    let tz = ctx.timezone(store)?;
    let audience = {
        let engine = load_engine(store)?;
        let segments = saved_segments(store, &engine)?;
        let evaluator =
            Evaluator::new(&engine, now, tz.clone()).with_segments(segments.definitions());
        evaluate_audience(store, campaign, &engine, &evaluator, &tz).map_err(campaign_failure)?
    };
    let frozen = freeze_audience(store, campaign, audience, jiff::Timestamp::now())
        .map_err(campaign_failure)?;
    if !ctx.global.json {
        let out: u64 = frozen.left_out.values().sum();
        eprintln!(
            "audience frozen: {} recipients, {out} left out by the consent gate",
            frozen.recipients
        );
    }
    Ok(())
}
