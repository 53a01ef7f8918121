//! `/api/settings`: read the store settings (`read`) and change one
//! (`write`), with the same keys and validation as `flokk config`.
//!
//! The time zone and the webhook settings are read when the server starts:
//! a change to them is stored at once and takes effect at the next start.

use crate::error_body::{ErrorBody, error};
use crate::state::ServerState;
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use flokk_store::{SETTINGS, StoreError, is_secret_setting};
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use utoipa::ToSchema;

/// One setting.
#[derive(Debug, Serialize, ToSchema)]
pub struct SettingView {
    /// The key (`timezone`).
    #[schema(example = "timezone")]
    pub key: &'static str,
    /// The value (the default when never set).
    #[schema(example = "Europe/Oslo")]
    pub value: String,
    /// The value when never set.
    pub default: &'static str,
    /// What it means.
    pub about: &'static str,
}

/// Every setting.
#[derive(Debug, Serialize, ToSchema)]
pub struct SettingList {
    /// In a fixed order.
    pub settings: Vec<SettingView>,
}

/// The body of `PUT /api/settings/{key}`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct SettingBody {
    /// The new value; normalised (`eur` becomes `EUR`).
    #[schema(example = "Europe/Oslo")]
    value: String,
}

/// What a secret setting shows instead of its value once set.
const HIDDEN: &str = "(set)";

fn view(key: &str, value: String) -> Option<SettingView> {
    let spec = SETTINGS.iter().find(|s| s.key == key)?;
    // A secret (the Shopify webhook secret) is for flokk to check
    // signatures with; a `read` token must not be able to forge them.
    let value = if is_secret_setting(key) && !value.is_empty() {
        HIDDEN.to_owned()
    } else {
        value
    };
    Some(SettingView {
        key: spec.key,
        value: flokk_store::shown_value(key, &value),
        default: spec.default,
        about: spec.about,
    })
}

fn unknown(key: &str) -> Response {
    let known: Vec<&str> = SETTINGS.iter().map(|s| s.key).collect();
    error(
        StatusCode::NOT_FOUND,
        "unknown_setting",
        format!(
            "there is no setting {key:?}; settings: {}",
            known.join(", ")
        ),
    )
}

fn store_error(e: StoreError) -> Response {
    let status = if e.is_user_error() {
        StatusCode::BAD_REQUEST
    } else {
        StatusCode::INTERNAL_SERVER_ERROR
    };
    error(status, e.code(), e.to_string())
}

/// `GET /api/settings`.
#[utoipa::path(get, path = "/api/settings", operation_id = "listSettings", tag = "settings",
    responses((status = 200, description = "Every setting", body = SettingList)))]
pub async fn list(State(state): State<Arc<ServerState>>) -> Response {
    match state.live.store(|s| s.settings().all()) {
        Ok(all) => Json(SettingList {
            settings: all.into_iter().filter_map(|(k, v)| view(k, v)).collect(),
        })
        .into_response(),
        Err(e) => store_error(e),
    }
}

/// `GET /api/settings/{key}`.
#[utoipa::path(get, path = "/api/settings/{key}", operation_id = "getSetting", tag = "settings",
    params(("key" = String, Path, description = "The setting's key")),
    responses(
        (status = 200, description = "The setting", body = SettingView),
        (status = 404, description = "No such setting (`unknown_setting`)", body = ErrorBody)))]
pub async fn show(State(state): State<Arc<ServerState>>, Path(key): Path<String>) -> Response {
    if view(&key, String::new()).is_none() {
        return unknown(&key);
    }
    match state.live.store(|s| s.settings().get(&key)) {
        Ok(value) => Json(view(&key, value)).into_response(),
        Err(e) => store_error(e),
    }
}

/// `PUT /api/settings/{key}`: validates and stores the value.
#[utoipa::path(put, path = "/api/settings/{key}", operation_id = "updateSetting", tag = "settings",
    params(("key" = String, Path, description = "The setting's key")),
    request_body = SettingBody,
    responses(
        (status = 200, description = "The setting as stored", body = SettingView),
        (status = 400, description = "The value is not valid for the setting (`invalid_setting`)", body = ErrorBody),
        (status = 404, description = "No such setting (`unknown_setting`)", body = ErrorBody)))]
pub async fn update(
    State(state): State<Arc<ServerState>>,
    Path(key): Path<String>,
    Json(b): Json<SettingBody>,
) -> Response {
    if view(&key, String::new()).is_none() {
        return unknown(&key);
    }
    match state.live.store(|s| s.settings().set(&key, &b.value)) {
        Ok(value) => Json(view(&key, value)).into_response(),
        Err(e) => store_error(e),
    }
}
