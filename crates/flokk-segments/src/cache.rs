//! Stored membership held in memory, for long-running processes: per
//! segment, the store keys of its members. The feed is the log of every
//! change to the member table, so the cache catches up by replaying the
//! feed after the position it reflects, whoever wrote it (this process or
//! a `flokk import` next to it). Re-evaluating a segment over every
//! customer then compares with this instead of reading the member table.

use crate::SegmentsError;
use flokk_store::SegmentWriter;
use roaring::RoaringTreemap;
use std::collections::HashMap;

/// Members by segment, as of a feed position.
#[derive(Debug, Default)]
pub struct MembershipCache {
    /// The feed position reflected; `None` until loaded (or after a
    /// transaction that may have been rolled back).
    seq: Option<u64>,
    members: HashMap<i64, RoaringTreemap>,
}

impl MembershipCache {
    /// An empty cache that loads on first use.
    pub fn new() -> Self {
        Self::default()
    }

    /// Brings the cache up to the feed's end: loads the member table the
    /// first time, replays the feed after that.
    pub fn catch_up(&mut self, writer: &SegmentWriter<'_>) -> Result<(), SegmentsError> {
        let end = writer.feed_end()?;
        match self.seq {
            Some(seq) if seq == end => {}
            Some(seq) if seq < end => {
                let members = &mut self.members;
                writer.each_change_since(seq, &mut |sid, key, entered| {
                    let set = members.entry(sid).or_default();
                    if entered {
                        set.insert(key as u64);
                    } else {
                        set.remove(key as u64);
                    }
                })?;
            }
            _ => {
                let mut members: HashMap<i64, RoaringTreemap> = HashMap::new();
                writer.each_member(&mut |sid, key| {
                    members.entry(sid).or_default().insert(key as u64);
                })?;
                self.members = members;
            }
        }
        self.seq = Some(end);
        Ok(())
    }

    /// Forgets everything (after a failed transaction); the next use reloads.
    pub fn invalidate(&mut self) {
        self.seq = None;
        self.members.clear();
    }

    /// The stored members of `sid`, by store key.
    pub fn members(&self, sid: i64) -> impl Iterator<Item = i64> + '_ {
        self.members
            .get(&sid)
            .into_iter()
            .flat_map(|m| m.iter().map(|k| k as i64))
    }

    /// Notes changes just recorded for `sid` (in the same transaction),
    /// which brought the feed to `end` (`None`: nothing was written).
    pub(crate) fn record(
        &mut self,
        sid: i64,
        entered: &[(i64, &str)],
        exited: &[i64],
        end: Option<u64>,
    ) {
        let Some(end) = end else { return };
        let set = self.members.entry(sid).or_default();
        for key in exited {
            set.remove(*key as u64);
        }
        for (key, _) in entered {
            set.insert(*key as u64);
        }
        self.seq = Some(end);
    }
}
