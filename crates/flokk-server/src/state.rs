//! What every request shares.

use crate::auth::{Credentials, SignInLinks};
use crate::inbound::{InboundApplier, SegmentFollower};
use crate::limits::{AllowedHosts, BODY_LIMIT, ClientRateLimiter, ConnectionLimits, RateLimit};
use crate::live::Live;
use flokk_store::{Store, StoreError};
use jiff::SignedDuration;
use std::sync::{Arc, Mutex};

/// How the server treats clients.
#[derive(Debug, Clone)]
pub struct ServerOptions {
    /// Mark the session cookie Secure: on unless the server listens on
    /// loopback (see `auth::session_cookie`).
    pub secure_cookies: bool,
    /// Per-client request rate; `None` turns the limit off.
    pub rate_limit: Option<RateLimit>,
    /// The largest request body, in bytes.
    pub body_limit: usize,
    /// How long a web session lasts from sign-in.
    pub session_lifetime: SignedDuration,
    /// The largest file `POST /api/import` takes, in bytes (larger files
    /// go through `flokk import`).
    pub import_limit: u64,
    /// Timeouts and the cap on open connections.
    pub connections: ConnectionLimits,
    /// The hosts requests may name (`None`: any; `flokk serve` always sets
    /// them, against DNS rebinding).
    pub allowed_hosts: Option<AllowedHosts>,
}

impl Default for ServerOptions {
    /// Secure cookies, [`RateLimit::DEFAULT`], [`BODY_LIMIT`], 12-hour
    /// sessions (a working day: sign in in the morning), imports up to 1 GiB.
    fn default() -> ServerOptions {
        ServerOptions {
            secure_cookies: true,
            rate_limit: Some(RateLimit::DEFAULT),
            body_limit: BODY_LIMIT,
            session_lifetime: SignedDuration::from_hours(12),
            import_limit: 1 << 30,
            connections: ConnectionLimits::default(),
            allowed_hosts: None,
        }
    }
}

/// The server's state: the live engine and segments, the store's name,
/// credentials and limits.
pub struct ServerState {
    /// The engine, the saved segments and their membership, kept current.
    pub live: Arc<Live>,
    /// The store's display name.
    pub name: String,
    /// How clients are treated.
    pub options: ServerOptions,
    /// Tokens and sessions, on a store connection of their own (shared
    /// with the `require` layer, which holds it rather than this state).
    pub credentials: Arc<Credentials>,
    /// One-time sign-in links printed at start.
    pub sign_in_links: SignInLinks,
    /// Shared with the `limit_rate` layer, which holds it rather than this
    /// state.
    pub(crate) rate_limiter: Option<Arc<ClientRateLimiter>>,
    /// Background export jobs (`api::exports`).
    pub(crate) exports: crate::export_job::jobs::ExportJobs,
    /// A store connection of its own for keeping received deliveries
    /// (Shopify webhooks), so answering them never waits on the live
    /// state's connection.
    pub(crate) inbound_store: Arc<Mutex<Store>>,
    /// Applies kept deliveries, one run at a time.
    pub inbound: Arc<InboundApplier>,
    /// Tracking API requests being applied or waiting (back-pressure).
    pub ingest_slots: Arc<tokio::sync::Semaphore>,
    /// Syncs segments after tracking writes.
    pub(crate) segment_follower: Arc<SegmentFollower>,
    /// Campaigns this server is sending (API sends, scheduled campaigns).
    pub campaign_senders: Arc<crate::campaign_sender::CampaignSenders>,
}

impl ServerState {
    /// The state over `live` (opening a second connection to its store for
    /// credentials).
    pub fn new(
        live: Arc<Live>,
        name: String,
        options: ServerOptions,
    ) -> Result<ServerState, StoreError> {
        let dir = live.store(|s| s.dir().to_owned());
        Ok(ServerState {
            credentials: Arc::new(Credentials::open(&dir)?),
            sign_in_links: SignInLinks::default(),
            rate_limiter: options
                .rate_limit
                .map(|limit| Arc::new(ClientRateLimiter::new(limit))),
            exports: Default::default(),
            inbound_store: Arc::new(Mutex::new(Store::open(&dir)?)),
            inbound: Arc::default(),
            ingest_slots: Arc::new(tokio::sync::Semaphore::new(crate::inbound::INGEST_SLOTS)),
            segment_follower: Arc::default(),
            campaign_senders: Arc::default(),
            live,
            name,
            options,
        })
    }

    /// The path of a one-time link that signs a browser in as token
    /// `token_id` (see `auth::sign_in_links`).
    pub fn sign_in_link(&self, token_id: i64) -> String {
        format!("/signin/once/{}", self.sign_in_links.issue(token_id))
    }
}

impl From<&ServerOptions> for crate::limits::RequestSizeLimits {
    fn from(options: &ServerOptions) -> Self {
        crate::limits::RequestSizeLimits {
            body_limit: options.body_limit as u64,
            import_limit: options.import_limit,
            body_timeout: options.connections.body_timeout,
        }
    }
}
