//! The bounds on connections: how long a client may take to send a
//! request's head or go silent in a body, and how many connections may be
//! open at once (`crate::connections` applies them).

use std::time::Duration;

/// How connections are bounded.
#[derive(Debug, Clone, Copy)]
pub struct ConnectionLimits {
    /// The time a client has to send a request's head, and the longest a
    /// kept-alive connection may sit idle between requests.
    pub header_timeout: Duration,
    /// The longest a request body may go without sending data.
    pub body_timeout: Duration,
    /// Connections open at once.
    pub max_connections: usize,
}

impl Default for ConnectionLimits {
    /// 10 s for a head (browsers send theirs at once), 30 s of silence in a
    /// body, and connections up to half of the process's file descriptors
    /// (the rest are for the store, snapshots and exports), at most 4,096.
    fn default() -> Self {
        ConnectionLimits {
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(30),
            max_connections: (open_file_limit() / 2).clamp(16, 4096),
        }
    }
}

/// The soft limit on open files (1,024 when it cannot be read).
fn open_file_limit() -> usize {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit writes into the struct it is given.
    let ok = unsafe { libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) } == 0;
    if ok {
        usize::try_from(limit.rlim_cur).unwrap_or(usize::MAX)
    } else {
        1024
    }
}
