//! Unsubscribing from a campaign's link: `email_subscription` becomes
//! `UNSUBSCRIBED` and an `unsubscribed` email event with the campaign's id
//! is written, in one store transaction, and live segments follow before
//! the answer. Doing it twice changes nothing more (the event has an id).
//!
//! The page speaks the customer's language where flokk has the words
//! (English, Norwegian); otherwise English.

use crate::state::ServerState;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use flokk_campaigns::{LINK_KEY, LinkKind, LinkSigner};
use flokk_model::{Customer, CustomerPatch, EmailEvent, EmailEventType, Record};
use flokk_store::Store;
use std::sync::Arc;

/// The words of the pages.
struct Words {
    question: &'static str,
    button: &'static str,
    done: &'static str,
    invalid: &'static str,
}

const ENGLISH: Words = Words {
    question: "Stop receiving these emails at",
    button: "Unsubscribe",
    done: "You are unsubscribed. You will not receive these emails any more.",
    invalid: "This link is not valid.",
};

const NORWEGIAN: Words = Words {
    question: "Slutte å motta disse e-postene til",
    button: "Meld meg av",
    done: "Du er meldt av. Du får ikke flere av disse e-postene.",
    invalid: "Denne lenken er ikke gyldig.",
};

fn words(c: Option<&Customer>) -> &'static Words {
    let lang = c.and_then(|c| c.language.as_deref()).unwrap_or("en");
    match lang
        .split(['-', '_'])
        .next()
        .unwrap_or("")
        .to_ascii_lowercase()
        .as_str()
    {
        "nb" | "nn" | "no" => &NORWEGIAN,
        _ => &ENGLISH,
    }
}

fn page(status: StatusCode, lang: &Words, body: &str) -> Response {
    let html = format!(
        "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width\">\
         <meta name=\"robots\" content=\"noindex\"><title>{}</title></head>\
         <body style=\"font-family:sans-serif;max-width:32em;margin:3em auto\">{body}</body></html>\n",
        lang.button
    );
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
        ],
        html,
    )
        .into_response()
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// The campaign and customer a genuine token names, with the customer.
fn verified(store: &Store, token: &str) -> Option<(String, Customer)> {
    let key = store.signing_key(LINK_KEY).ok()?;
    let (campaign, customer, _) = LinkSigner::new(&key, "").verify(LinkKind::Unsubscribe, token)?;
    let customer = store.customer(&customer).ok()??;
    Some((campaign, customer))
}

/// `GET /email/unsubscribe/{token}`: the confirmation form.
pub async fn confirm(State(state): State<Arc<ServerState>>, Path(token): Path<String>) -> Response {
    let found = state.live.store(|s| verified(s, &token));
    let Some((_, customer)) = found else {
        return page(
            StatusCode::NOT_FOUND,
            &ENGLISH,
            &format!("<p>{}</p>", ENGLISH.invalid),
        );
    };
    let w = words(Some(&customer));
    let email = customer.email.as_deref().unwrap_or("");
    page(
        StatusCode::OK,
        w,
        &format!(
            "<form method=\"post\"><p>{} <b>{}</b>?</p>\
             <input type=\"hidden\" name=\"List-Unsubscribe\" value=\"One-Click\">\
             <button type=\"submit\">{}</button></form>",
            w.question,
            escape(email),
            w.button
        ),
    )
}

/// `POST /email/unsubscribe/{token}`: unsubscribes (form or RFC 8058 one-click).
pub async fn unsubscribe(
    State(state): State<Arc<ServerState>>,
    Path(token): Path<String>,
) -> Response {
    let dir = state.live.store(|s| s.dir().to_owned());
    let now = state.live.now();
    let written = tokio::task::spawn_blocking(move || -> Result<Option<_>, String> {
        let store = Store::open(&dir).map_err(|e| e.to_string())?;
        let Some((campaign, customer)) = verified(&store, &token) else {
            return Ok(None);
        };
        let before = store.sequence().map_err(|e| e.to_string())?;
        let mut w = store.writer().map_err(|e| e.to_string())?;
        let mut fields = serde_json::Map::new();
        fields.insert("email_subscription".into(), "UNSUBSCRIBED".into());
        let records = [
            Record::CustomerPatch(CustomerPatch {
                id: customer.id.clone(),
                fields,
                ..CustomerPatch::default()
            }),
            Record::EmailEvent(EmailEvent {
                id: Some(format!("{campaign}:{}:unsubscribed", customer.id)),
                customer_id: customer.id.clone(),
                event_type: EmailEventType::Unsubscribed,
                activity_id: Some(campaign),
                at: now,
                machine_open: None,
                bounce_type: None,
            }),
        ];
        for r in &records {
            w.apply(r).map_err(|e| e.to_string())?;
        }
        let after = w.commit().map_err(|e| e.to_string())?;
        Ok(Some((customer, before, after)))
    })
    .await;
    let (customer, before, after) = match written {
        Ok(Ok(Some(x))) => x,
        Ok(Ok(None)) => {
            return page(
                StatusCode::NOT_FOUND,
                &ENGLISH,
                &format!("<p>{}</p>", ENGLISH.invalid),
            );
        }
        Ok(Err(e)) => return page(StatusCode::INTERNAL_SERVER_ERROR, &ENGLISH, &escape(&e)),
        Err(e) => {
            return page(
                StatusCode::INTERNAL_SERVER_ERROR,
                &ENGLISH,
                &escape(&e.to_string()),
            );
        }
    };
    // Live segments follow before the answer, as after a customer patch.
    let live = state.clone();
    let _ = tokio::task::spawn_blocking(move || live.live.sync_moves(before, after)).await;
    let w = words(Some(&customer));
    page(StatusCode::OK, w, &format!("<p>{}</p>", w.done))
}
