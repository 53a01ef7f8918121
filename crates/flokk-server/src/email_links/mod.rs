//! The public pages email recipients reach from a campaign message, with
//! no sign-in: the link's signed token (`flokk_campaigns::LinkSigner`,
//! HMAC with a store secret) is the authority. A forged, altered or foreign
//! token is refused (404) and nothing is recorded.
//!
//! - `GET /email/unsubscribe/{token}`: a confirmation page with a form (no
//!   JavaScript), so a mail scanner that follows links unsubscribes no one;
//!   `POST` unsubscribes (the form, and the one-click POST of RFC 8058 that
//!   mail clients send for the `List-Unsubscribe-Post` header);
//! - `GET /email/open/{token}`: the open pixel (`open.rs`);
//! - `GET /email/click/{token}`: a tracked link, redirecting to the URL its
//!   token signs (`click.rs`): only URLs flokk put in a message redirect.
//!
//! Each writes its email event (and, unsubscribing, the customer's new
//! status) in one store transaction; live segments follow before the
//! answer. Same layer as the API routes: uses the server state below.

pub mod click;
pub mod open;
pub mod unsubscribe;

use crate::state::ServerState;
use flokk_campaigns::{LINK_KEY, LinkKind, LinkSigner};
use flokk_model::{Customer, EmailEvent, EmailEventType, Record};
use flokk_store::Store;
use std::sync::Arc;

/// What a genuine token names: the campaign id, the customer, the extra
/// (a click's URL).
pub struct Verified {
    pub campaign: String,
    pub customer: Customer,
    pub extra: String,
}

/// The campaign and customer a genuine token of `kind` names; `None` for a
/// forged one or a customer that no longer exists.
pub fn verified(store: &Store, kind: LinkKind, token: &str) -> Option<Verified> {
    let key = store.signing_key(LINK_KEY).ok()?;
    let (campaign, customer, extra) = LinkSigner::new(&key, "").verify(kind, token)?;
    let customer = store.customer(&customer).ok()??;
    Some(Verified {
        campaign,
        customer,
        extra,
    })
}

/// An email event of the campaign for the customer; its id makes writing
/// it again replace it (`suffix` tells apart the events one customer may
/// have of one type).
pub fn event(
    v: &Verified,
    t: EmailEventType,
    suffix: &str,
    at: jiff::Timestamp,
    machine_open: Option<bool>,
) -> EmailEvent {
    EmailEvent {
        id: Some(format!(
            "{}:{}:{}{suffix}",
            v.campaign,
            v.customer.id,
            t.as_str()
        )),
        customer_id: v.customer.id.clone(),
        event_type: t,
        activity_id: Some(v.campaign.clone()),
        at,
        machine_open,
        bounce_type: None,
    }
}

/// Verifies the token and writes what `records` makes of it in one
/// transaction, then brings live segments up to date. `Ok(None)`: the
/// token is not genuine and nothing was written.
pub async fn verify_and_write(
    state: &Arc<ServerState>,
    kind: LinkKind,
    token: String,
    records: impl FnOnce(&Store, &Verified) -> Vec<Record> + Send + 'static,
) -> Result<Option<Verified>, String> {
    let dir = state.live.store(|s| s.dir().to_owned());
    let written = tokio::task::spawn_blocking(move || -> Result<Option<_>, String> {
        let store = Store::open(&dir).map_err(|e| e.to_string())?;
        let Some(v) = verified(&store, kind, &token) else {
            return Ok(None);
        };
        let before = store.sequence().map_err(|e| e.to_string())?;
        let mut w = store.writer().map_err(|e| e.to_string())?;
        for r in records(&store, &v) {
            w.apply(&r).map_err(|e| e.to_string())?;
        }
        let after = w.commit().map_err(|e| e.to_string())?;
        Ok(Some((v, before, after)))
    })
    .await
    .map_err(|e| e.to_string())??;
    let Some((v, before, after)) = written else {
        return Ok(None);
    };
    let live = state.clone();
    tokio::task::spawn_blocking(move || live.live.sync_moves(before, after))
        .await
        .map_err(|e| e.to_string())?
        .map_err(|e| e.to_string())?;
    Ok(Some(v))
}
