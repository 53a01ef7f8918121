//! What the query editor completes from: `GET /api/catalog` (every filter
//! and function with its type, operators and fixed values, and this
//! store's custom properties) and `GET /api/suggest` (the values this store
//! holds for one filter or parameter, most used first).

use crate::auth::Principal;
use crate::error_body::{ErrorBody, error};
use crate::state::ServerState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::{Extension, Json};
use flokk_engine::{Engine, Suggestion, ValueSource};
use flokk_lang::catalog::{Entry, FILTERS, FUNCTIONS, ParamRole, Type};
use flokk_store::OrganisationCatalogue;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeSet;
use std::sync::Arc;
use utoipa::IntoParams;

/// The name of a type in the catalog document.
fn type_name(t: Type) -> &'static str {
    match t {
        Type::Integer => "integer",
        Type::Float => "number",
        Type::Date => "date",
        Type::String => "string",
        Type::Enum(_) => "enum",
        Type::Boolean => "boolean",
        Type::List => "list",
        Type::Id | Type::OriginId => "id",
        Type::Coordinates => "coordinates",
        Type::Distance => "distance",
        Type::DateAttribute => "date_attribute",
        Type::Place => "place",
    }
}

fn typed(t: Type) -> Value {
    let mut v = json!({
        "type": type_name(t),
        "operators": t.operator_names(),
        "describe": t.describe(),
    });
    if let Type::Enum(values) = t {
        v["values"] = json!(values);
    }
    if t == Type::Boolean {
        v["values"] = json!(["true", "false"]);
    }
    v
}

/// The keys of custom event properties, as `property.<key>` parameters.
fn event_property_keys(engine: &Engine) -> BTreeSet<String> {
    let syms: BTreeSet<u32> = engine.activity.custom.properties.keys().collect();
    syms.into_iter()
        .map(|s| format!("property.{}", engine.strings.resolve(s)))
        .collect()
}

/// `GET /api/catalog`: filters, functions and this store's properties.
#[utoipa::path(get, path = "/api/catalog", operation_id = "catalog", tag = "queries",
    responses((status = 200, description = "`{filters: [{name, type, operators, values?, suggest, extension}], functions: [{name, aliases, params: [{name, type, role, operators, values?, suggest}], open_prefix, exactly_one_of, at_most_one_of, requires: [[param, [needs]]], extension}], event_properties: [...]}`; custom properties appear among the filters as `metafields.<key>`", body = Object)))]
pub async fn catalog(State(state): State<Arc<ServerState>>) -> Response {
    let (properties, event_properties) = state
        .live
        .evaluate(|engine, _, _| (engine.property_types(), event_property_keys(engine)));
    let mut filters: Vec<Value> = FILTERS
        .iter()
        .map(|f| {
            let mut v = typed(f.ty);
            v["name"] = json!(f.name);
            v["extension"] = json!(f.extension);
            v["suggest"] = json!(ValueSource::of(f.name, None).is_some());
            v
        })
        .collect();
    for (key, ty) in properties.iter() {
        let name = format!("metafields.{key}");
        let mut v = typed(Type::from(*ty));
        v["suggest"] = json!(ValueSource::of(&name, None).is_some() && v["type"] != "number");
        v["name"] = json!(name);
        v["extension"] = json!(false);
        filters.push(v);
    }
    let functions: Vec<Value> = FUNCTIONS
        .iter()
        .map(|f| {
            let params: Vec<Value> = f
                .params
                .iter()
                .map(|p| {
                    let mut v = typed(p.ty);
                    v["name"] = json!(p.name);
                    v["role"] = json!(match p.role {
                        ParamRole::Record => "record",
                        ParamRole::Aggregate => "aggregate",
                    });
                    v["suggest"] = json!(ValueSource::of(f.name, Some(p.name)).is_some());
                    v
                })
                .collect();
            json!({
                "name": f.name,
                "aliases": f.aliases,
                "params": params,
                "open_prefix": f.open_prefix,
                "exactly_one_of": f.exactly_one_of,
                "at_most_one_of": f.at_most_one_of,
                "requires": f.requires,
                "extension": f.extension,
            })
        })
        .collect();
    Json(json!({
        "filters": filters,
        "functions": functions,
        "event_properties": event_properties,
    }))
    .into_response()
}

/// `?filter=customer_tags&prefix=vi` or `?filter=products_purchased&param=vendor`
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SuggestParams {
    /// A filter, function or `metafields.<key>`.
    filter: String,
    /// Inside MATCHES: the parameter.
    param: Option<String>,
    /// What has been typed of the value so far.
    #[serde(default)]
    prefix: String,
    /// At most this many (default 20, at most 200).
    limit: Option<usize>,
    /// Venues, productions and performances of this organisation only (of
    /// a venue group). A token limited to organisations gets only theirs.
    organisation: Option<String>,
}

/// The venues, productions and performances suggestions are limited to:
/// the organisation asked for, else the token's own (all of them), else
/// none (`None`: no limit).
#[allow(clippy::result_large_err)] // the error is the HTTP response itself, returned at once
fn organisation_catalogue(
    state: &ServerState,
    token: &flokk_store::ApiToken,
    asked: Option<&str>,
) -> Result<Option<OrganisationCatalogue>, Response> {
    let names: Vec<String> = match asked {
        Some(o) if !token.may_change(Some(o.trim())) => {
            return Err(error(
                StatusCode::FORBIDDEN,
                "organisation_forbidden",
                format!(
                    "this token is limited to {}, not {:?}",
                    token.organisations.join(", "),
                    o.trim()
                ),
            ));
        }
        Some(o) => vec![o.to_owned()],
        None if token.organisations.is_empty() => return Ok(None),
        None => token.organisations.clone(),
    };
    let read = state.live.store(|s| {
        let mut all = OrganisationCatalogue::default();
        for name in &names {
            let c = s.organisation_catalogue(&s.known_organisation(name)?)?;
            all.venues.extend(c.venues);
            all.productions.extend(c.productions);
            all.performances.extend(c.performances);
        }
        Ok::<_, flokk_store::StoreError>(all)
    });
    match read {
        Ok(c) => Ok(Some(c)),
        Err(e) if e.is_user_error() => Err(error(StatusCode::BAD_REQUEST, e.code(), e.to_string())),
        Err(e) => Err(error(
            StatusCode::INTERNAL_SERVER_ERROR,
            e.code(),
            e.to_string(),
        )),
    }
}

/// `GET /api/suggest`: values for a filter or parameter, most used first.
#[utoipa::path(get, path = "/api/suggest", operation_id = "suggestValues", tag = "queries", params(SuggestParams),
    responses(
        (status = 200, description = "`{values: [{value, label?, count}]}`: `count` is customers for customer fields, records for MATCHES parameters, 0 for fixed values", body = Object),
        (status = 400, description = "No such filter or parameter (`unknown_filter`, `unknown_parameter`), or organisation (`invalid`)", body = ErrorBody),
        (status = 403, description = "An organisation the token is not limited to (`organisation_forbidden`)", body = ErrorBody)))]
pub async fn suggest(
    State(state): State<Arc<ServerState>>,
    Extension(principal): Extension<Principal>,
    Query(p): Query<SuggestParams>,
) -> Response {
    let limit = p.limit.unwrap_or(20).min(200);
    let catalogue =
        match organisation_catalogue(&state, &principal.token, p.organisation.as_deref()) {
            Ok(c) => c,
            Err(r) => return r,
        };
    let ty = match (flokk_lang::catalog::lookup(&p.filter), p.param.as_deref()) {
        (Some(Entry::Filter(f)), None) => Some(f.ty),
        (Some(Entry::Function(f)), Some(param)) => match f.param(param) {
            Some(spec) => Some(spec.ty),
            None if f.open_prefix.is_some_and(|pre| param.starts_with(pre)) => None,
            None => {
                return error(
                    StatusCode::BAD_REQUEST,
                    "unknown_parameter",
                    format!("{} has no parameter {param:?}", f.name),
                );
            }
        },
        (None, None) if p.filter.starts_with("metafields.") => None,
        (Some(Entry::Function(f)), None) => {
            return error(
                StatusCode::BAD_REQUEST,
                "unknown_parameter",
                format!("{} is used with MATCHES: give ?param=", f.name),
            );
        }
        _ => {
            return error(
                StatusCode::BAD_REQUEST,
                "unknown_filter",
                format!("there is no filter {:?}", p.filter),
            );
        }
    };
    let fixed: Option<Vec<&str>> = match ty {
        Some(Type::Enum(values)) => Some(values.to_vec()),
        Some(Type::Boolean) => Some(vec!["true", "false"]),
        _ => None,
    };
    let values: Vec<Suggestion> = match fixed {
        Some(values) => values
            .into_iter()
            .filter(|v| v.to_lowercase().starts_with(&p.prefix.to_lowercase()))
            .take(limit)
            .map(|v| Suggestion {
                value: v.to_owned(),
                label: None,
                count: 0,
            })
            .collect(),
        None => match ValueSource::of(&p.filter, p.param.as_deref()) {
            Some(source) => {
                let ids = catalogue.as_ref().and_then(|c| match source {
                    ValueSource::Productions => Some(&c.productions),
                    ValueSource::Venues => Some(&c.venues),
                    ValueSource::Performances => Some(&c.performances),
                    _ => None,
                });
                match ids {
                    // The engine's catalogue knows no organisations; its
                    // ranked values are filtered here (all of them are
                    // asked for, so the limit applies after the filter).
                    Some(ids) => {
                        let mut v = state.live.evaluate(|engine, _, _| {
                            engine.suggest(source, Some(&p.filter), &p.prefix, usize::MAX)
                        });
                        v.retain(|s| ids.contains(&s.value));
                        v.truncate(limit);
                        v
                    }
                    None => state.live.evaluate(|engine, _, _| {
                        engine.suggest(source, Some(&p.filter), &p.prefix, limit)
                    }),
                }
            }
            None => Vec::new(),
        },
    };
    Json(json!({ "values": values })).into_response()
}
