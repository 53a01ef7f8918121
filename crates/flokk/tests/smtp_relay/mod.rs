//! A real SMTP server for the campaign tests: it speaks SMTP over TCP
//! (RFC 5321: EHLO, MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT)
//! to flokk's lettre client, keeps every message it accepts, and answers by
//! the recipient's local part, so one relay plays every case:
//!
//! - `hard...@`: `550 5.1.1` on RCPT (a permanent failure);
//! - `soft...@`: `451 4.2.0` on RCPT, always (retries run out);
//! - `flaky...@`: `451` on the first RCPT, `250` after;
//! - `drop...@`: the connection is closed on RCPT, without an answer;
//! - anyone else: accepted.
//!
//! Written here rather than taken from a crate because the tests need to
//! script the failures per recipient and count every attempt.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::{Arc, Mutex};

/// One accepted message.
#[derive(Debug, Clone)]
pub struct Received {
    /// `MAIL FROM` address.
    pub from: String,
    /// Accepted `RCPT TO` addresses.
    pub to: Vec<String>,
    /// The message as sent (dot-unstuffed, CRLF line ends).
    pub data: String,
}

/// A running relay on 127.0.0.1.
pub struct TestRelay {
    pub port: u16,
    received: Arc<Mutex<Vec<Received>>>,
    attempts: Arc<Mutex<BTreeMap<String, u32>>>,
}

impl TestRelay {
    /// Starts the relay on a free port (a thread per connection).
    pub fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let attempts = Arc::new(Mutex::new(BTreeMap::new()));
        let (r, a) = (received.clone(), attempts.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (r, a) = (r.clone(), a.clone());
                std::thread::spawn(move || {
                    let _ = session(stream, &r, &a);
                });
            }
        });
        TestRelay {
            port,
            received,
            attempts,
        }
    }

    /// The `smtp_url` for flokk (no TLS: a local relay).
    pub fn url(&self) -> String {
        format!("smtp://127.0.0.1:{}?tls=none", self.port)
    }

    /// Every accepted message so far.
    pub fn received(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// How many messages were accepted so far (cheaper than `received`).
    pub fn count(&self) -> usize {
        self.received.lock().unwrap().len()
    }

    /// How many RCPT commands named each address.
    pub fn attempts(&self) -> BTreeMap<String, u32> {
        self.attempts.lock().unwrap().clone()
    }
}

fn session(
    stream: TcpStream,
    received: &Mutex<Vec<Received>>,
    attempts: &Mutex<BTreeMap<String, u32>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut w = stream;
    w.write_all(b"220 test relay ESMTP\r\n")?;
    let mut from = String::new();
    let mut to: Vec<String> = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if reader.read_line(&mut line)? == 0 {
            return Ok(());
        }
        let upper = line.trim_end().to_ascii_uppercase();
        if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            w.write_all(b"250-test relay\r\n250 8BITMIME\r\n")?;
        } else if upper.starts_with("MAIL FROM:") {
            from = address(&line);
            to.clear();
            w.write_all(b"250 2.1.0 OK\r\n")?;
        } else if upper.starts_with("RCPT TO:") {
            let addr = address(&line);
            let n = {
                let mut a = attempts.lock().unwrap();
                let n = a.entry(addr.clone()).or_default();
                *n += 1;
                *n
            };
            let local = addr.split('@').next().unwrap_or("").to_ascii_lowercase();
            if local.starts_with("drop") {
                return Ok(());
            } else if local.starts_with("hard") {
                w.write_all(b"550 5.1.1 no such mailbox\r\n")?;
            } else if local.starts_with("soft") || (local.starts_with("flaky") && n == 1) {
                w.write_all(b"451 4.2.0 mailbox busy, try later\r\n")?;
            } else {
                to.push(addr);
                w.write_all(b"250 2.1.5 OK\r\n")?;
            }
        } else if upper == "DATA" {
            if to.is_empty() {
                w.write_all(b"503 5.5.1 no valid recipients\r\n")?;
                continue;
            }
            w.write_all(b"354 go ahead\r\n")?;
            let mut data = String::new();
            loop {
                line.clear();
                quick_ack(&w);
                if reader.read_line(&mut line)? == 0 {
                    return Ok(());
                }
                if line == ".\r\n" {
                    break;
                }
                data.push_str(line.strip_prefix('.').unwrap_or(&line));
            }
            received.lock().unwrap().push(Received {
                from: from.clone(),
                to: std::mem::take(&mut to),
                data,
            });
            w.write_all(b"250 2.0.0 queued\r\n")?;
        } else if upper == "RSET" {
            to.clear();
            w.write_all(b"250 2.0.0 OK\r\n")?;
        } else if upper == "NOOP" {
            w.write_all(b"250 2.0.0 OK\r\n")?;
        } else if upper == "QUIT" {
            w.write_all(b"221 2.0.0 bye\r\n")?;
            return Ok(());
        } else {
            w.write_all(b"502 5.5.2 not implemented\r\n")?;
        }
    }
}

/// Acknowledges what was read at once instead of after the kernel's
/// delayed-ACK timer (40 ms on Linux). lettre 0.11.23 leaves Nagle on and
/// writes a message's closing `.` apart from its body, so every message
/// would otherwise wait for that timer (lettre PR #1159 sets TCP_NODELAY;
/// not released yet). Real relays cost flokk that wait; the tests need not.
fn quick_ack(stream: &TcpStream) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd as _;
        let on: libc::c_int = 1;
        // SAFETY: setsockopt on a socket this session owns, with a c_int
        // option value that outlives the call.
        unsafe {
            libc::setsockopt(
                stream.as_raw_fd(),
                libc::IPPROTO_TCP,
                libc::TCP_QUICKACK,
                (&on as *const libc::c_int).cast(),
                std::mem::size_of::<libc::c_int>() as libc::socklen_t,
            );
        }
    }
    #[cfg(not(target_os = "linux"))]
    let _ = stream;
}

/// The address in `MAIL FROM:<a@b>` / `RCPT TO:<a@b> ...`.
fn address(line: &str) -> String {
    let start = line.find('<').map(|i| i + 1).unwrap_or(0);
    let end = line[start..]
        .find('>')
        .map(|i| i + start)
        .unwrap_or(line.len());
    line[start..end].trim().to_owned()
}
