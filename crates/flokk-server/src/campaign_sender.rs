//! Sending campaigns from a running server: `POST /api/campaigns/{name}/send`
//! and scheduled campaigns that came due start here, each drained on a
//! thread of its own (SMTP transactions block), on a store connection of its
//! own, holding the campaign's sender lock (`flokk_campaigns::SenderLock`),
//! the same lock `flokk campaign send` takes: the two never send one
//! campaign at once.
//!
//! Once a second [`run_campaigns`] starts the scheduled campaigns whose time
//! has come (by the live clock, so `flokk serve --now T` tests it) and takes
//! over campaigns left `sending` with no sender: the queue of a server or
//! CLI send that stopped (a crash, `kill -9`, a CLI send without `--wait`
//! whose retries are not due yet) is resumed, never sent twice (the queue's
//! states say who got it).
//!
//! Decision: the server's drain writes events and lets the live scheduler
//! (which polls the store's change sequence every second) move segments,
//! instead of syncing itself: the same outcome within a second, with no
//! second writer of memberships.

use crate::live::Live;
use flokk_campaigns::{
    CampaignError, SenderLock, Sending, check_sendable, drain_queue, evaluate_audience,
    freeze_audience, send_settings, settings_relay,
};
use flokk_store::{Campaign, Store};
use jiff::Timestamp;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The campaigns this server is sending, so a tick does not try them again.
#[derive(Debug, Default)]
pub struct CampaignSenders {
    running: Mutex<BTreeSet<i64>>,
    /// The last error logged per campaign, so a tick repeats none.
    logged: Mutex<BTreeMap<i64, String>>,
}

impl CampaignSenders {
    /// Whether this server is draining the campaign now.
    pub fn is_running(&self, cpid: i64) -> bool {
        self.running.lock().expect("senders lock").contains(&cpid)
    }
}

/// Starts sending `campaign` now (a draft or a scheduled one: its audience
/// is frozen first, as of now) or resumes it (paused, or `sending` with no
/// sender). Blocking: run it off the async threads. The answer is the
/// campaign as it is once sending started; the drain goes on in the
/// background.
pub fn start_sending(
    live: &Live,
    senders: &Arc<CampaignSenders>,
    campaign: &Campaign,
) -> Result<Campaign, CampaignError> {
    let dir = live.store(|s| s.dir().to_owned());
    let store = Store::open(&dir)?;
    let current = store
        .campaign(&campaign.id)?
        .ok_or_else(|| CampaignError::Message(format!("campaign {} vanished", campaign.id)))?;
    check_sendable(&current)?;
    // The settings are checked before anything is frozen.
    Sending::of(&store, &current)?;
    settings_relay(&store)?;
    if senders.is_running(current.cpid) && current.state == "sending" {
        return Ok(current);
    }
    let lock = SenderLock::acquire(&store, &current)?;
    if matches!(current.state.as_str(), "draft" | "scheduled") {
        freeze(live, &store, &current)?;
    }
    if current.state == "paused" {
        store.resume_campaign(current.cpid)?;
    }
    // Holding the lock: a recipient at `sending` was in flight when an
    // earlier sender died. Never sent again.
    store.settle_interrupted(current.cpid, Timestamp::now())?;
    let started = store
        .campaign(&current.id)?
        .ok_or_else(|| CampaignError::Message(format!("campaign {} vanished", current.id)))?;
    if started.state != "sending" {
        return Ok(started);
    }
    senders
        .running
        .lock()
        .expect("senders lock")
        .insert(started.cpid);
    let worker = senders.clone();
    let cpid = started.cpid;
    let name = started.name.clone();
    std::thread::Builder::new()
        .name(format!("campaign-{cpid}"))
        .spawn(move || {
            if let Err(e) = drain(&dir, cpid) {
                eprintln!("campaign '{name}': sending stopped: {e}");
            }
            drop(lock);
            worker.running.lock().expect("senders lock").remove(&cpid);
        })
        .map_err(|e| CampaignError::Message(format!("cannot start a sender thread: {e}")))?;
    Ok(started)
}

/// Drains one campaign's queue to the end (retries included).
fn drain(dir: &Path, cpid: i64) -> Result<(), CampaignError> {
    let store = Store::open(dir)?;
    let c = store
        .campaign(&format!("flokk-{cpid}"))?
        .ok_or_else(|| CampaignError::Message(format!("campaign flokk-{cpid} vanished")))?;
    let sending = Sending::of(&store, &c)?;
    let relay = settings_relay(&store)?;
    let settings = send_settings(&store, true)?;
    drain_queue(
        &store,
        cpid,
        &sending.message(&c),
        &relay,
        &settings,
        &Timestamp::now,
        &mut || {},
    )?;
    Ok(())
}

/// Evaluates the audience with the live engine (as of the live clock) and
/// freezes it behind the consent gate.
fn freeze(live: &Live, store: &Store, c: &Campaign) -> Result<(), CampaignError> {
    let tz = live.time_zone();
    let audience =
        live.evaluate(|engine, evaluator, _| evaluate_audience(store, c, engine, evaluator, &tz))?;
    freeze_audience(store, c, audience, Timestamp::now())?;
    Ok(())
}

/// Once a second until the process ends: starts scheduled campaigns that
/// came due and resumes campaigns left `sending` without a sender. An
/// error is logged once per campaign (until it changes), and tried again.
pub async fn run_campaigns(live: Arc<Live>, senders: Arc<CampaignSenders>) {
    loop {
        let worker = live.clone();
        let s = senders.clone();
        let _ = tokio::task::spawn_blocking(move || tick(&worker, &s)).await;
        tokio::time::sleep(Duration::from_secs(1)).await;
    }
}

/// One look at the store: what is due or left without a sender, started.
pub fn tick(live: &Live, senders: &Arc<CampaignSenders>) -> Vec<String> {
    let now = live.now();
    let waiting = live.store(|s| -> Result<Vec<Campaign>, CampaignError> {
        let mut all = s.due_campaigns(now)?;
        all.extend(s.sending_campaigns()?);
        Ok(all)
    });
    let mut started = Vec::new();
    let Ok(waiting) = waiting else {
        return started;
    };
    for c in waiting {
        if senders.is_running(c.cpid) {
            continue;
        }
        match start_sending(live, senders, &c) {
            Ok(s) => {
                senders.logged.lock().expect("senders lock").remove(&c.cpid);
                if c.state == "scheduled" {
                    eprintln!("campaign '{}': scheduled send started", c.name);
                }
                started.push(s.name);
            }
            // A CLI send holds it: nothing to say.
            Err(CampaignError::State {
                code: "already_sending",
                ..
            }) => {}
            Err(e) => {
                let message = e.to_string();
                let mut logged = senders.logged.lock().expect("senders lock");
                if logged.get(&c.cpid) != Some(&message) {
                    eprintln!("campaign '{}': cannot send: {message}", c.name);
                    logged.insert(c.cpid, message);
                }
            }
        }
    }
    started
}
