//! Accepting connections so that no client can hold the server open.
//!
//! `axum::serve` keeps every connection as long as the client likes: 1,500
//! slow connections stayed open 75 s, and about 20,000 idle ones used up
//! the file descriptors until real requests hung. Here each connection is
//! served by hyper with a timer, so:
//! - a request's head must arrive within [`ConnectionLimits::header_timeout`]
//!   (hyper starts that clock whenever it waits for a head, so it is also
//!   the idle keep-alive timeout between requests);
//! - a request body that sends nothing for [`ConnectionLimits::body_timeout`]
//!   ends the request (see `limits::request_size`);
//! - at most [`ConnectionLimits::max_connections`] are open at once; past
//!   that, new connections wait in the listen backlog (and the log says so)
//!   until one closes, which the timeouts guarantee happens.
//!
//! The limits themselves are `limits::ConnectionLimits`.

use crate::limits::ConnectionLimits;
use axum::Router;
use hyper::server::conn::http1;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::service::TowerToHyperService;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::net::TcpListener;
use tokio::sync::{Semaphore, watch};
use tower::Service;

/// How often the "limit reached" line may be logged.
const LOG_EVERY: Duration = Duration::from_secs(10);

/// Serves `app` on `listener` until `shutdown` turns true; then stops
/// accepting and gives connections in progress `grace` to finish.
pub async fn serve_connections(
    listener: TcpListener,
    app: Router,
    limits: ConnectionLimits,
    mut shutdown: watch::Receiver<bool>,
    grace: Duration,
) -> std::io::Result<()> {
    let mut make = app.into_make_service_with_connect_info::<SocketAddr>();
    let slots = Arc::new(Semaphore::new(limits.max_connections));
    let mut last_logged: Option<Instant> = None;
    loop {
        let permit = match slots.clone().try_acquire_owned() {
            Ok(p) => p,
            Err(_) => {
                if last_logged.is_none_or(|t| t.elapsed() >= LOG_EVERY) {
                    eprintln!(
                        "connection limit reached: {} connections are open; new ones wait until one closes",
                        limits.max_connections
                    );
                    last_logged = Some(Instant::now());
                }
                tokio::select! {
                    p = slots.clone().acquire_owned() => p.expect("the semaphore is never closed"),
                    _ = shutdown.changed() => break,
                }
            }
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(a) => a,
                Err(e) => {
                    // Out of file descriptors or a connection reset before
                    // it was accepted: wait a little, as axum does.
                    eprintln!("accepting a connection failed: {e}");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            _ = shutdown.changed() => break,
        };
        let _ = stream.set_nodelay(true);
        let Ok(service) = make.call(peer).await;
        let service = TowerToHyperService::new(service);
        let mut stop = shutdown.clone();
        tokio::spawn(async move {
            let connection = http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .keep_alive(true)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            tokio::pin!(connection);
            tokio::select! {
                _ = connection.as_mut() => {}
                _ = stop.changed() => {
                    connection.as_mut().graceful_shutdown();
                    let _ = connection.await;
                }
            }
            drop(permit);
        });
    }
    // Every connection holds a slot until it ends.
    let all = u32::try_from(limits.max_connections).unwrap_or(u32::MAX);
    let _ = tokio::time::timeout(grace, slots.acquire_many(all)).await;
    Ok(())
}
