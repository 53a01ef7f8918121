//! Registering API endpoints: each route is added with the access it needs,
//! and that one declaration both puts the `require` layer in front of the
//! handler and writes the security requirement (with the scope) and the
//! 401/403 responses into its OpenAPI operation.
//!
//! ```text
//! api.scope(Scope::Write, routes!(api::segments::create))
//! ```

use super::openapi::{ApiDoc, FORBIDDEN, PAYLOAD_TOO_LARGE, RATE_LIMITED, UNAUTHORIZED};
use crate::auth::Access;
use crate::auth::require::require;
use crate::state::ServerState;
use axum::Router;
use axum::middleware::from_fn_with_state;
use flokk_store::Scope;
use std::sync::Arc;
use utoipa::OpenApi;
use utoipa::openapi::path::{Operation, PathItem, Paths};
use utoipa::openapi::security::SecurityRequirement;
use utoipa::openapi::{OpenApi as Document, Ref, RefOr};
use utoipa_axum::router::{OpenApiRouter, UtoipaMethodRouter};

/// Routes made with `utoipa_axum::routes!` over the server state.
pub type Routes = UtoipaMethodRouter<Arc<ServerState>>;

/// The API under construction: the axum router and its OpenAPI document.
pub struct ApiRouter {
    state: Arc<ServerState>,
    inner: OpenApiRouter<Arc<ServerState>>,
}

impl ApiRouter {
    /// An empty API over `state`, with the document's shared parts.
    pub fn new(state: Arc<ServerState>) -> ApiRouter {
        ApiRouter {
            state,
            inner: OpenApiRouter::with_openapi(ApiDoc::openapi()),
        }
    }

    /// Routes anyone may call (sign-in, this document).
    pub fn public(mut self, (schemas, mut paths, method_router): Routes) -> ApiRouter {
        document(&mut paths, None);
        self.inner = self.inner.routes((schemas, paths, method_router));
        self
    }

    /// Routes any valid token or session may call.
    pub fn signed_in(self, routes: Routes) -> ApiRouter {
        self.guarded(Access::SignedIn, routes)
    }

    /// Routes that need `scope` (or `admin`).
    pub fn scope(self, scope: Scope, routes: Routes) -> ApiRouter {
        self.guarded(Access::Scope(scope), routes)
    }

    fn guarded(mut self, access: Access, (schemas, mut paths, method_router): Routes) -> ApiRouter {
        document(&mut paths, Some(access));
        let method_router = method_router.route_layer(from_fn_with_state(
            (self.state.credentials.clone(), access),
            require,
        ));
        self.inner = self.inner.routes((schemas, paths, method_router));
        self
    }

    /// The router and the finished document.
    pub fn split(self) -> (Router<Arc<ServerState>>, Document) {
        self.inner.split_for_parts()
    }
}

/// Every operation of a path item, with whether its method is safe (one
/// that CSRF protection leaves alone).
fn operations(item: &mut PathItem) -> impl Iterator<Item = (bool, &mut Operation)> {
    [
        (true, &mut item.get),
        (false, &mut item.put),
        (false, &mut item.post),
        (false, &mut item.delete),
        (false, &mut item.patch),
        (true, &mut item.head),
        (true, &mut item.options),
        (true, &mut item.trace),
    ]
    .into_iter()
    .filter_map(|(safe, op)| Some((safe, op.as_mut()?)))
}

fn shared(name: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::Ref(Ref::from_response_name(name))
}

/// Writes what `access` means into every operation of `paths`: who may
/// call it and the errors the layers in front of it answer.
fn document(paths: &mut Paths, access: Option<Access>) {
    for item in paths.paths.values_mut() {
        for (safe, op) in operations(item) {
            let responses = &mut op.responses.responses;
            responses.insert("429".into(), shared(RATE_LIMITED));
            if op.request_body.is_some() {
                responses.insert("413".into(), shared(PAYLOAD_TOO_LARGE));
            }
            let Some(access) = access else { continue };
            let scopes: Vec<&str> = match access {
                Access::SignedIn => vec![],
                Access::Scope(scope) => vec![scope.as_str()],
            };
            // 403 is a missing scope, or a missing CSRF token on a change.
            let can_be_forbidden = !scopes.is_empty() || !safe;
            op.security = Some(vec![
                SecurityRequirement::new("bearer", scopes.clone()),
                SecurityRequirement::new("session", scopes),
            ]);
            responses.insert("401".into(), shared(UNAUTHORIZED));
            if can_be_forbidden {
                responses.insert("403".into(), shared(FORBIDDEN));
            }
        }
    }
}
