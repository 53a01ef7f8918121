//! Draining a queue against a scripted relay (no network): the rate limit
//! spaces messages out, a 4xx is retried after the back-off and then
//! accepted, a relay that stops answering stops the drain with the
//! recipient still queued, and every outcome is in the queue and the events.

use flokk_campaigns::{
    BodyFormat, CampaignMessage, CampaignRequest, CompiledCampaign, DrainSummary, LinkSigner,
    Relay, RelayFailure, SendSettings, create_campaign, drain_queue,
};
use flokk_model::{Customer, Record, SubscriptionStatus};
use flokk_store::{FrozenRecipient, Store};
use lettre::Message;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::collections::VecDeque;
use std::time::{Duration, Instant};

/// Answers from a script per address (then accepts), noting each send.
#[derive(Default)]
struct ScriptedRelay {
    script: RefCell<BTreeMap<String, VecDeque<RelayFailure>>>,
    sent: RefCell<Vec<(String, Instant)>>,
}

impl Relay for ScriptedRelay {
    fn send(&self, m: &Message) -> Result<String, RelayFailure> {
        let to = m.envelope().to()[0].to_string();
        self.sent.borrow_mut().push((to.clone(), Instant::now()));
        match self
            .script
            .borrow_mut()
            .get_mut(&to)
            .and_then(VecDeque::pop_front)
        {
            Some(f) => Err(f),
            None => Ok("250 OK".into()),
        }
    }
}

fn setup(dir: &std::path::Path, n: usize) -> (Store, i64) {
    let store = Store::open(dir).unwrap();
    let mut w = store.writer().unwrap();
    let mut recipients = Vec::new();
    for i in 0..n {
        let mut c = Customer::stub(format!("{i}"));
        c.email = Some(format!("r{i}@example.no"));
        c.email_subscription = Some(SubscriptionStatus::Subscribed);
        w.apply(&Record::Customer(c)).unwrap();
        recipients.push(FrozenRecipient {
            customer_id: format!("{i}"),
            email: format!("r{i}@example.no"),
            merge_values: None,
        });
    }
    w.commit().unwrap();
    let c = create_campaign(
        &store,
        &CampaignRequest {
            name: "T",
            segment: None,
            query: Some("customer_tags CONTAINS 'x'"),
            subject: "Hi",
            body: "Hello",
            format: BodyFormat::Markdown,
            from: Some("news@shop.example"),
            link: None,
            shown_for: None,
            discount: None,
            at: jiff::Timestamp::now(),
        },
    )
    .unwrap();
    store
        .freeze_audience(
            c.cpid,
            &recipients,
            &BTreeMap::new(),
            jiff::Timestamp::now(),
        )
        .unwrap();
    (store, c.cpid)
}

fn drain(
    store: &Store,
    cpid: i64,
    relay: &ScriptedRelay,
    s: SendSettings,
) -> Result<DrainSummary, flokk_campaigns::CampaignError> {
    let compiled = CompiledCampaign::compile("Hi", "Hello", BodyFormat::Markdown).unwrap();
    let signer = LinkSigner::new("k", "https://f.example");
    let message = CampaignMessage {
        campaign_id: &format!("flokk-{cpid}"),
        campaign_name: "T",
        compiled: &compiled,
        from: "news@shop.example",
        link: None,
        signer: &signer,
    };
    drain_queue(
        store,
        cpid,
        &message,
        relay,
        &s,
        &jiff::Timestamp::now,
        &mut || {},
    )
}

fn settings(rate: u32) -> SendSettings {
    SendSettings {
        rate_per_second: rate,
        max_attempts: 3,
        retry_base: Duration::from_millis(50),
        wait: true,
    }
}

#[test]
fn the_rate_limit_spaces_messages_out() {
    let dir = tempfile::tempdir().unwrap();
    let (store, cpid) = setup(dir.path(), 6);
    let relay = ScriptedRelay::default();
    let summary = drain(&store, cpid, &relay, settings(20)).unwrap();
    assert_eq!(summary.sent, 6);
    assert!(summary.drained);
    let sent = relay.sent.borrow();
    let span = sent.last().unwrap().1 - sent[0].1;
    // Five gaps of at least 1/20 s.
    assert!(span >= Duration::from_millis(250), "{span:?}");
    for pair in sent.windows(2) {
        assert!(
            pair[1].1 - pair[0].1 >= Duration::from_millis(49),
            "{:?}",
            pair[1].1 - pair[0].1
        );
    }
    let states = store.recipient_states(cpid).unwrap();
    assert_eq!(states.get("sent"), Some(&6));
    assert_eq!(
        store
            .campaign_activity(&format!("flokk-{cpid}"))
            .unwrap()
            .delivered,
        6
    );
}

#[test]
fn a_4xx_waits_for_the_back_off_then_goes_and_soft_bounces_when_retries_run_out() {
    let dir = tempfile::tempdir().unwrap();
    let (store, cpid) = setup(dir.path(), 2);
    let relay = ScriptedRelay::default();
    relay.script.borrow_mut().insert(
        "r0@example.no".into(),
        VecDeque::from([RelayFailure::Transient("451 busy".into())]),
    );
    relay.script.borrow_mut().insert(
        "r1@example.no".into(),
        (0..3)
            .map(|_| RelayFailure::Transient("451 busy".into()))
            .collect(),
    );
    let summary = drain(&store, cpid, &relay, settings(1000)).unwrap();
    assert_eq!(
        (summary.sent, summary.soft_bounced, summary.retried),
        (1, 1, 3)
    );
    let sent = relay.sent.borrow();
    let r0: Vec<Instant> = sent
        .iter()
        .filter(|s| s.0 == "r0@example.no")
        .map(|s| s.1)
        .collect();
    assert_eq!(r0.len(), 2);
    assert!(
        r0[1] - r0[0] >= Duration::from_millis(50),
        "the back-off: {:?}",
        r0[1] - r0[0]
    );
    let r1: Vec<Instant> = sent
        .iter()
        .filter(|s| s.0 == "r1@example.no")
        .map(|s| s.1)
        .collect();
    assert_eq!(r1.len(), 3, "smtp_max_attempts");
    assert!(
        r1[2] - r1[1] >= Duration::from_millis(100),
        "the back-off doubles"
    );
    let a = store.campaign_activity(&format!("flokk-{cpid}")).unwrap();
    assert_eq!((a.delivered, a.bounced_soft, a.bounced_hard), (1, 1, 0));
}

#[test]
fn a_relay_that_stops_answering_stops_the_drain_and_keeps_the_queue() {
    let dir = tempfile::tempdir().unwrap();
    let (store, cpid) = setup(dir.path(), 1);
    let relay = ScriptedRelay::default();
    relay.script.borrow_mut().insert(
        "r0@example.no".into(),
        (0..3)
            .map(|_| RelayFailure::Unavailable("connection refused".into()))
            .collect(),
    );
    let e = drain(&store, cpid, &relay, settings(1000)).unwrap_err();
    assert_eq!(e.code(), "smtp_unavailable");
    assert_eq!(
        store.recipient_states(cpid).unwrap().get("queued"),
        Some(&1)
    );
    // The relay is back: the next drain sends it.
    relay.script.borrow_mut().clear();
    let summary = drain(&store, cpid, &relay, settings(1000)).unwrap();
    assert_eq!(summary.sent, 1);
    assert!(summary.drained);
}
