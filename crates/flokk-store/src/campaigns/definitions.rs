//! Campaign definitions: name, audience, subject, body, state.

use crate::error::StoreError;
use crate::schema::time::{from_nanos, to_nanos};
use crate::store::Store;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, Row, params};
use std::collections::BTreeMap;

/// A campaign as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Campaign {
    /// Row key.
    pub cpid: i64,
    /// `flokk-<cpid>`: the `activity_id` of its email events.
    pub id: String,
    /// Its name (unique ignoring case).
    pub name: String,
    /// The audience's saved segment, when it is one.
    pub segment: Option<String>,
    /// The audience's query, when it is one.
    pub query: Option<String>,
    /// Subject line (a template).
    pub subject: String,
    /// Sender address; `None`: the `smtp_from` setting.
    pub from: Option<String>,
    /// Body text (a template).
    pub body: String,
    /// `markdown` or `html`.
    pub body_format: String,
    /// The campaign link's target (`{{ campaign_link }}`).
    pub link: Option<String>,
    /// `production:ID` or `performance:ID`: its ticket holders are left out.
    pub shown_for: Option<String>,
    /// `draft`, `scheduled`, `sending`, `paused`, `sent` or `cancelled`.
    pub state: String,
    /// When a `scheduled` campaign starts sending.
    pub scheduled_at: Option<Timestamp>,
    /// The discount (its name) whose code issued to each recipient is the
    /// `{{ discount_code }}` merge field.
    pub discount: Option<String>,
    /// Who the consent gate left out when the audience was frozen, by reason.
    pub left_out: BTreeMap<String, u64>,
    /// When it was created.
    pub created_at: Timestamp,
    /// When sending started (the audience was frozen).
    pub started_at: Option<Timestamp>,
    /// When the queue was drained.
    pub finished_at: Option<Timestamp>,
}

/// What `create_campaign` stores.
#[derive(Debug, Clone)]
pub struct NewCampaign<'a> {
    /// Name.
    pub name: &'a str,
    /// Audience segment (exclusive with `query`).
    pub segment: Option<&'a str>,
    /// Audience query.
    pub query: Option<&'a str>,
    /// Subject template.
    pub subject: &'a str,
    /// Sender, if not the setting.
    pub from: Option<&'a str>,
    /// Body template.
    pub body: &'a str,
    /// `markdown` or `html`.
    pub body_format: &'a str,
    /// Campaign link target.
    pub link: Option<&'a str>,
    /// `production:ID` or `performance:ID`.
    pub shown_for: Option<&'a str>,
    /// The discount of `{{ discount_code }}`.
    pub discount: Option<&'a str>,
    /// Creation instant.
    pub at: Timestamp,
}

const COLUMNS: &str = "cpid, name, segment, query, subject, from_addr, body, body_format, link, \
                       state, left_out, created_at, started_at, finished_at, shown_for, \
                       scheduled_at, discount";

type CampaignRow = (Campaign, Option<String>, [Option<i64>; 4]);

fn campaign_row(r: &Row<'_>) -> rusqlite::Result<CampaignRow> {
    let cpid: i64 = r.get(0)?;
    Ok((
        Campaign {
            cpid,
            id: format!("flokk-{cpid}"),
            name: r.get(1)?,
            segment: r.get(2)?,
            query: r.get(3)?,
            subject: r.get(4)?,
            from: r.get(5)?,
            body: r.get(6)?,
            body_format: r.get(7)?,
            link: r.get(8)?,
            shown_for: r.get(14)?,
            state: r.get(9)?,
            scheduled_at: None,
            discount: r.get(16)?,
            left_out: BTreeMap::new(),
            created_at: Timestamp::UNIX_EPOCH,
            started_at: None,
            finished_at: None,
        },
        r.get(10)?,
        [r.get(11)?, r.get(12)?, r.get(13)?, r.get(15)?],
    ))
}

fn finish(
    (mut c, left_out, [created, started, finished, scheduled]): CampaignRow,
) -> Result<Campaign, StoreError> {
    if let Some(json) = left_out {
        c.left_out = serde_json::from_str(&json)
            .map_err(|e| StoreError::Corrupt(format!("campaign {} left_out: {e}", c.name)))?;
    }
    c.created_at = from_nanos(created.unwrap_or(0))?;
    c.started_at = started.map(from_nanos).transpose()?;
    c.finished_at = finished.map(from_nanos).transpose()?;
    c.scheduled_at = scheduled.map(from_nanos).transpose()?;
    Ok(c)
}

fn nanos(t: Timestamp) -> Result<i64, StoreError> {
    to_nanos(t).ok_or_else(|| StoreError::Invalid(format!("instant {t} out of range")))
}

impl Store {
    /// Stores a draft campaign. Names are unique ignoring case.
    pub fn create_campaign(&self, new: &NewCampaign<'_>) -> Result<Campaign, StoreError> {
        let name = new.name.trim();
        if name.is_empty() {
            return Err(StoreError::Invalid("a campaign needs a name".into()));
        }
        if self.campaign(name)?.is_some() {
            return Err(StoreError::Conflict(format!(
                "there is already a campaign named '{name}'"
            )));
        }
        self.conn.execute(
            "INSERT INTO campaigns (name, name_key, segment, query, subject, from_addr, body,
                                    body_format, link, state, created_at, shown_for, discount)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, 'draft', ?10, ?11, ?12)",
            params![
                name,
                name.to_lowercase(),
                new.segment,
                new.query,
                new.subject,
                new.from,
                new.body,
                new.body_format,
                new.link,
                nanos(new.at)?,
                new.shown_for,
                new.discount,
            ],
        )?;
        self.campaign(name)?
            .ok_or_else(|| StoreError::Corrupt("a campaign just written is missing".into()))
    }

    /// The campaign with this name (ignoring case) or id (`flokk-N`).
    pub fn campaign(&self, name_or_id: &str) -> Result<Option<Campaign>, StoreError> {
        let by_id = name_or_id
            .strip_prefix("flokk-")
            .and_then(|n| n.parse::<i64>().ok());
        let row = self
            .conn
            .query_row(
                &format!(
                    "SELECT {COLUMNS} FROM campaigns WHERE name_key = ?1 OR cpid = ?2
                     ORDER BY name_key = ?1 DESC LIMIT 1"
                ),
                params![name_or_id.trim().to_lowercase(), by_id.unwrap_or(-1)],
                campaign_row,
            )
            .optional()?;
        row.map(finish).transpose()
    }

    /// Every campaign, newest first.
    pub fn campaigns(&self) -> Result<Vec<Campaign>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM campaigns ORDER BY cpid DESC"
        ))?;
        let rows = stmt.query_map([], campaign_row)?;
        rows.map(|r| finish(r?)).collect()
    }

    /// Campaigns that are sending (a queue to drain), oldest first.
    pub fn sending_campaigns(&self) -> Result<Vec<Campaign>, StoreError> {
        Ok(self
            .campaigns()?
            .into_iter()
            .rev()
            .filter(|c| c.state == "sending")
            .collect())
    }

    /// Scheduled campaigns whose time has come (`scheduled_at <= now`),
    /// the earliest first.
    pub fn due_campaigns(&self, now: Timestamp) -> Result<Vec<Campaign>, StoreError> {
        let mut stmt = self.conn.prepare(&format!(
            "SELECT {COLUMNS} FROM campaigns WHERE state = 'scheduled' AND scheduled_at <= ?1
             ORDER BY scheduled_at, cpid"
        ))?;
        let rows = stmt.query_map([nanos(now)?], campaign_row)?;
        rows.map(|r| finish(r?)).collect()
    }

    /// Schedules a draft (or reschedules a scheduled) campaign to start
    /// sending at `at`. `false` if it is neither (sending started already,
    /// or it was sent or cancelled).
    pub fn schedule_campaign(&self, cpid: i64, at: Timestamp) -> Result<bool, StoreError> {
        Ok(self.conn.execute(
            "UPDATE campaigns SET state = 'scheduled', scheduled_at = ?2
             WHERE cpid = ?1 AND state IN ('draft', 'scheduled')",
            params![cpid, nanos(at)?],
        )? == 1)
    }

    /// Marks a sending campaign sent once its queue is drained.
    pub fn finish_campaign(&self, cpid: i64, at: Timestamp) -> Result<(), StoreError> {
        self.conn.execute(
            "UPDATE campaigns SET state = 'sent', finished_at = ?2
             WHERE cpid = ?1 AND state = 'sending'",
            params![cpid, nanos(at)?],
        )?;
        Ok(())
    }

    /// The store's secret named `name` (made on first use): what tracking
    /// and unsubscribe links are signed with.
    pub fn signing_key(&self, name: &str) -> Result<String, StoreError> {
        // Read first: the public tracking pages ask on every request, and an
        // INSERT (even one that inserts nothing) would take the write lock.
        let read = || -> Result<Option<String>, StoreError> {
            Ok(self
                .conn
                .query_row(
                    "SELECT secret FROM signing_keys WHERE name = ?1",
                    [name],
                    |r| r.get(0),
                )
                .optional()?)
        };
        if let Some(secret) = read()? {
            return Ok(secret);
        }
        self.conn.execute(
            "INSERT INTO signing_keys (name, secret) VALUES (?1, ?2) ON CONFLICT(name) DO NOTHING",
            params![name, crate::access::secret::random_secret("")],
        )?;
        read()?.ok_or_else(|| StoreError::Corrupt(format!("signing key {name} missing")))
    }
}

pub(crate) fn stored_nanos(t: Timestamp) -> Result<i64, StoreError> {
    nanos(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_signing_key_is_made_once_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let key = store.signing_key("email_links").unwrap();
        assert!(key.len() >= 40, "256 random bits: {key}");
        assert_eq!(store.signing_key("email_links").unwrap(), key);
        assert_ne!(store.signing_key("other").unwrap(), key);
        drop(store);
        let again = Store::open(dir.path()).unwrap();
        assert_eq!(again.signing_key("email_links").unwrap(), key);
    }

    #[test]
    fn names_are_unique_ignoring_case_and_ids_name_campaigns_too() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let new = NewCampaign {
            name: "Spring",
            segment: Some("News"),
            query: None,
            subject: "S",
            from: None,
            body: "B",
            body_format: "markdown",
            link: None,
            shown_for: None,
            discount: None,
            at: Timestamp::UNIX_EPOCH,
        };
        let c = store.create_campaign(&new).unwrap();
        assert_eq!(c.id, "flokk-1");
        assert_eq!(c.state, "draft");
        let taken = store
            .create_campaign(&NewCampaign {
                name: "SPRING",
                ..new.clone()
            })
            .unwrap_err();
        assert!(matches!(taken, StoreError::Conflict(_)), "{taken}");
        assert_eq!(store.campaign("spring").unwrap().unwrap().cpid, c.cpid);
        assert_eq!(store.campaign("flokk-1").unwrap().unwrap().name, "Spring");
        assert!(store.campaign("flokk-2").unwrap().is_none());
    }

    #[test]
    fn a_scheduled_campaign_is_due_at_its_time_and_only_a_draft_or_scheduled_one_is_scheduled() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let c = store
            .create_campaign(&NewCampaign {
                name: "Later",
                segment: None,
                query: Some("true"),
                subject: "S",
                from: None,
                body: "B",
                body_format: "markdown",
                link: None,
                shown_for: None,
                discount: Some("WINTER"),
                at: Timestamp::UNIX_EPOCH,
            })
            .unwrap();
        assert_eq!(c.discount.as_deref(), Some("WINTER"));
        let t = |s: &str| s.parse::<Timestamp>().unwrap();
        assert!(
            store
                .schedule_campaign(c.cpid, t("2026-12-10T09:00:00Z"))
                .unwrap()
        );
        // Rescheduled before it starts.
        assert!(
            store
                .schedule_campaign(c.cpid, t("2026-12-11T09:00:00Z"))
                .unwrap()
        );
        let stored = store.campaign("Later").unwrap().unwrap();
        assert_eq!(stored.state, "scheduled");
        assert_eq!(stored.scheduled_at, Some(t("2026-12-11T09:00:00Z")));
        assert!(
            store
                .due_campaigns(t("2026-12-11T08:59:59Z"))
                .unwrap()
                .is_empty()
        );
        let due = store.due_campaigns(t("2026-12-11T09:00:00Z")).unwrap();
        assert_eq!(due.len(), 1);
        // Sending starts: no longer due, no longer reschedulable.
        store
            .freeze_audience(c.cpid, &[], &BTreeMap::new(), t("2026-12-11T09:00:01Z"))
            .unwrap();
        assert!(
            store
                .due_campaigns(t("2026-12-12T00:00:00Z"))
                .unwrap()
                .is_empty()
        );
        assert!(
            !store
                .schedule_campaign(c.cpid, t("2026-12-13T09:00:00Z"))
                .unwrap()
        );
    }

    #[test]
    fn a_scheduled_campaign_can_be_cancelled_before_it_starts() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let c = store
            .create_campaign(&NewCampaign {
                name: "Later",
                segment: None,
                query: Some("true"),
                subject: "S",
                from: None,
                body: "B",
                body_format: "markdown",
                link: None,
                shown_for: None,
                discount: None,
                at: Timestamp::UNIX_EPOCH,
            })
            .unwrap();
        let at = "2026-12-10T09:00:00Z".parse::<Timestamp>().unwrap();
        assert!(store.schedule_campaign(c.cpid, at).unwrap());
        assert!(store.cancel_campaign(c.cpid, at).unwrap());
        assert!(store.due_campaigns(at).unwrap().is_empty());
        assert_eq!(
            store.campaign_state(c.cpid).unwrap().as_deref(),
            Some("cancelled")
        );
    }
}
