//! A token's organisation limit on a segment that a request body names
//! (the segment a list freezes, the segment a discount is for, a
//! campaign's audience, `customer_segments CONTAINS` in a body's query). Segments
//! named in a path, a `segment` parameter or a `query` parameter are
//! checked before the handler runs (`auth::organisation_gate`); bodies
//! are read only by their handlers, so those check here.

use crate::auth::AuthError;
use crate::state::ServerState;
use axum::response::{IntoResponse, Response};
use flokk_store::ApiToken;

/// 403 `organisation_forbidden` when `name` is a segment `token` may not
/// read (its members are what the request uses); `None` otherwise, an
/// unknown name included (the handler answers that).
pub(crate) fn refused(state: &ServerState, token: &ApiToken, name: &str) -> Option<Response> {
    if token.organisations.is_empty() {
        return None;
    }
    let segment = state.live.store(|s| s.segment(name)).ok().flatten()?;
    if token.may_read(segment.organisation.as_deref()) {
        return None;
    }
    Some(
        AuthError::Organisation {
            segment: name.to_owned(),
            organisation: segment.organisation,
            held: token.organisations.clone(),
        }
        .into_response(),
    )
}

/// 403 `organisation_forbidden` when a query sent in a request body (a
/// saved segment's, a campaign's) names with `customer_segments CONTAINS`
/// a segment `token` may not read: saving or mailing such a query would
/// read that segment's members.
pub(crate) fn refused_in_query(
    state: &ServerState,
    token: &ApiToken,
    query: &str,
) -> Option<Response> {
    if token.organisations.is_empty() {
        return None;
    }
    crate::auth::organisation_gate::segments_in_text(query)
        .iter()
        .find_map(|name| refused(state, token, name))
}
