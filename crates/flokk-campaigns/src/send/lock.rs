//! One sender per campaign: an exclusive lock on the campaign's
//! `campaign-N.sending` file in the store, held while sending. The kernel
//! drops it when the process dies, even by `kill -9`, so whoever holds it
//! knows no one else is sending the campaign and that a recipient left at
//! `sending` was interrupted. The CLI (`flokk campaign send`) and a running
//! `flokk serve` (API sends, scheduled campaigns) take the same lock, so the
//! two never send one campaign at once.

use crate::error::CampaignError;
use flokk_store::{Campaign, Store};
use std::fs::File;

/// The held lock; dropping it releases it.
#[derive(Debug)]
pub struct SenderLock {
    _file: File,
}

impl SenderLock {
    /// Takes the campaign's lock, or fails with `already_sending` when
    /// another sender (process or thread) holds it.
    pub fn acquire(store: &Store, campaign: &Campaign) -> Result<SenderLock, CampaignError> {
        let path = store
            .dir()
            .join(format!("campaign-{}.sending", campaign.cpid));
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(|e| CampaignError::Message(format!("{}: {e}", path.display())))?;
        #[cfg(unix)]
        {
            use std::os::fd::AsRawFd as _;
            // SAFETY: flock on a descriptor this function owns; no memory involved.
            let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
            if rc != 0 {
                return Err(CampaignError::State {
                    code: "already_sending",
                    message: format!(
                        "another process is sending campaign '{}' right now",
                        campaign.name
                    ),
                });
            }
        }
        Ok(SenderLock { _file: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use flokk_store::NewCampaign;

    #[test]
    fn a_second_sender_is_refused_until_the_first_lets_go() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let c = store
            .create_campaign(&NewCampaign {
                name: "C",
                segment: None,
                query: Some("true"),
                subject: "S",
                from: None,
                body: "B",
                body_format: "markdown",
                link: None,
                shown_for: None,
                discount: None,
                at: jiff::Timestamp::UNIX_EPOCH,
            })
            .unwrap();
        let first = SenderLock::acquire(&store, &c).unwrap();
        let second = SenderLock::acquire(&store, &c).unwrap_err();
        assert_eq!(second.code(), "already_sending");
        drop(first);
        SenderLock::acquire(&store, &c).unwrap();
    }
}
