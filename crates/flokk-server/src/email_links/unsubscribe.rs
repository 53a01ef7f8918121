//! Unsubscribing from a campaign's link: `email_subscription` becomes
//! `UNSUBSCRIBED` and an `unsubscribed` email event with the campaign's id
//! is written, in one store transaction, and live segments follow before
//! the answer. Doing it twice changes nothing more (the event has an id).
//!
//! The page speaks the customer's language where flokk has the words
//! (English, Norwegian); otherwise English.

use super::{Verified, event, verified, verify_and_write};
use crate::state::ServerState;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use flokk_campaigns::LinkKind;
use flokk_model::{Customer, CustomerPatch, EmailEventType, Record};
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

/// `GET /email/unsubscribe/{token}`: the confirmation form.
pub async fn confirm(State(state): State<Arc<ServerState>>, Path(token): Path<String>) -> Response {
    let found = state
        .live
        .store(|s| verified(s, LinkKind::Unsubscribe, &token));
    let Some(Verified { customer, .. }) = found else {
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
    let now = state.live.now();
    let written = verify_and_write(&state, LinkKind::Unsubscribe, token, move |_, v| {
        let mut fields = serde_json::Map::new();
        fields.insert("email_subscription".into(), "UNSUBSCRIBED".into());
        vec![
            Record::CustomerPatch(CustomerPatch {
                id: v.customer.id.clone(),
                fields,
                ..CustomerPatch::default()
            }),
            Record::EmailEvent(event(v, EmailEventType::Unsubscribed, "", now, None)),
        ]
    })
    .await;
    let customer = match written {
        Ok(Some(v)) => v.customer,
        Ok(None) => {
            return page(
                StatusCode::NOT_FOUND,
                &ENGLISH,
                &format!("<p>{}</p>", ENGLISH.invalid),
            );
        }
        Err(e) => return page(StatusCode::INTERNAL_SERVER_ERROR, &ENGLISH, &escape(&e)),
    };
    let w = words(Some(&customer));
    page(StatusCode::OK, w, &format!("<p>{}</p>", w.done))
}
