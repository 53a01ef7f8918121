//! The OpenAPI 3.1 document at `/api/openapi.json`: generated from the
//! handlers' `#[utoipa::path]` attributes and the access each route is
//! registered with (`router.rs`), so it cannot drift from what the
//! server does. `tests/openapi.rs` snapshots it, so any change to the API
//! surface shows in review.

use crate::auth::SESSION_COOKIE;
use crate::error_body::{ErrorBody, ErrorDetail, ScopeName};
use axum::Extension;
use axum::Json;
use std::sync::Arc;
use utoipa::openapi::security::{ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{ContentBuilder, OpenApi as Document, Ref, ResponseBuilder};
use utoipa::{Modify, OpenApi};

/// The parts of the document that no handler states: title, tags, the
/// error shape, the security schemes and the shared error responses.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "flokk",
        description = "Customer segments that keep themselves current. \
            Authenticate with `Authorization: Bearer <token>` (tokens from `flokk token create`) \
            or the web UI's session cookie; each operation's security lists the scope it needs \
            (`admin` grants every scope). Cookie-authenticated POST, PUT, PATCH and DELETE \
            requests must send the session's CSRF token as `X-CSRF-Token`. Every error is \
            `{\"error\":{\"code\",\"message\"}}` with a stable code.",
        license(name = "Apache-2.0", identifier = "Apache-2.0")
    ),
    // The tracking calls' answers are described once by
    // `TrackingResponses`, which names its schemas without collecting them.
    components(schemas(
        ErrorBody,
        ErrorDetail,
        ScopeName,
        crate::api::tracking_schema::TrackingAnswer,
        crate::api::tracking_schema::MessageResult
    )),
    // Live data in: routed outside the guarded API (`lib.rs`), each
    // handler checking its own credential, so listed here.
    paths(
        crate::api::tracking_calls::identify,
        crate::api::tracking_calls::track,
        crate::api::tracking_calls::page,
        crate::api::tracking_calls::screen,
        crate::api::tracking_calls::alias,
        crate::api::tracking_calls::group,
        crate::api::tracking_calls::batch,
        crate::api::tracking_calls::import,
        crate::api::shopify_webhooks::receive
    ),
    modifiers(&SharedParts),
    tags(
        (name = "queries", description = "Validate, count and list a query's members"),
        (name = "segments", description = "Saved segments, their members and the change feed"),
        (name = "lists", description = "Static lists (frozen sets of customers) and samples"),
        (name = "discounts", description = "Discount codes for a segment and checking them at a checkout"),
        (name = "customers", description = "One customer's document and segments"),
        (name = "settings", description = "Store settings"),
        (name = "webhooks", description = "Endpoints that receive membership changes"),
        (name = "campaigns", description = "Email campaigns: create, preview, reports"),
        (name = "auth", description = "Tokens and web sessions"),
        (name = "ingest", description = "Live data in: the Segment tracking API (an ingest token as HTTP Basic user, Segment's write key) and Shopify webhooks (signed with shopify_webhook_secret)"),
        (name = "meta", description = "This document")
    )
)]
pub struct ApiDoc;

/// Names of the shared error responses in `components.responses`.
pub const UNAUTHORIZED: &str = "Unauthorized";
/// 403: scope missing, or CSRF token missing on a cookie session.
pub const FORBIDDEN: &str = "Forbidden";
/// 429.
pub const RATE_LIMITED: &str = "RateLimited";
/// 413.
pub const PAYLOAD_TOO_LARGE: &str = "PayloadTooLarge";

struct SharedParts;

impl Modify for SharedParts {
    fn modify(&self, doc: &mut Document) {
        let components = doc.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("flokk_<43 base64url characters>")
                    .description(Some(
                        "An API token (`flokk token create NAME --scopes ...`)",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "ingest",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Basic)
                    .description(Some(
                        "A token with the ingest scope as the user name and an empty password, \
                         as Segment's libraries send a write key",
                    ))
                    .build(),
            ),
        );
        components.add_security_scheme(
            "shopifyHmac",
            SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
                "X-Shopify-Hmac-SHA256",
                "The base64 HMAC-SHA256 of the raw body keyed with the setting \
                 shopify_webhook_secret, as Shopify signs each delivery (compared in constant time)",
            ))),
        );
        components.add_security_scheme(
            "session",
            SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
                SESSION_COOKIE,
                "The web UI's session (POST /api/session); unsafe methods also need X-CSRF-Token",
            ))),
        );
        for (name, description) in [
            (
                UNAUTHORIZED,
                "No credentials, or unknown, revoked or expired ones (`unauthorized`)",
            ),
            (
                FORBIDDEN,
                "The token lacks the scope (`forbidden`, with `scope`), or a cookie session sent no CSRF token (`csrf`)",
            ),
            (
                RATE_LIMITED,
                "Too many requests from this client (`rate_limited`); see Retry-After",
            ),
            (
                PAYLOAD_TOO_LARGE,
                "The request body is over the limit (`payload_too_large`)",
            ),
        ] {
            components.responses.insert(
                name.to_owned(),
                ResponseBuilder::new()
                    .description(description)
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(Ref::from_schema_name("ErrorBody")))
                            .build(),
                    )
                    .build()
                    .into(),
            );
        }
    }
}

/// `GET /api/openapi.json`: this document (no credentials needed).
#[utoipa::path(
    get,
    path = "/api/openapi.json", operation_id = "openapiDocument",
    tag = "meta",
    responses((status = 200, description = "The OpenAPI 3.1 document", body = Object))
)]
pub async fn document(Extension(doc): Extension<Arc<Document>>) -> Json<Document> {
    Json(Document::clone(&doc))
}
