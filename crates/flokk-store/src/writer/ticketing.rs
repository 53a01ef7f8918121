//! Venues, productions and performances: catalogue entities that belong to
//! no customer, so their changes are sequenced by id.

use super::{ApplyError, Writer, nanos};
use flokk_model::{Performance, Production, Venue};
use rusqlite::params;

/// A record's organisation, checked (trimmed, no commas).
fn organisation(o: &Option<String>) -> Result<Option<&str>, ApplyError> {
    o.as_deref()
        .map(crate::organisations::validate_organisation)
        .transpose()
        .map_err(|e| ApplyError::Invalid {
            field: "organisation".into(),
            reason: e.to_string(),
        })
}

impl Writer<'_> {
    pub(crate) fn upsert_venue(&mut self, v: &Venue) -> Result<(), ApplyError> {
        if v.lat.is_some() != v.lon.is_some() {
            return Err(ApplyError::Invalid {
                field: "lat".into(),
                reason: "lat and lon must be given together".into(),
            });
        }
        self.tx
            .prepare_cached(
                "INSERT INTO venues(id, name, lat, lon, organisation) VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT(id) DO UPDATE SET name = excluded.name, lat = excluded.lat,
                    lon = excluded.lon, organisation = excluded.organisation",
            )?
            .execute(params![
                v.id,
                v.name,
                v.lat,
                v.lon,
                organisation(&v.organisation)?
            ])?;
        self.touch_entity("venue", &v.id);
        Ok(())
    }

    pub(crate) fn upsert_production(&mut self, p: &Production) -> Result<(), ApplyError> {
        self.tx
            .prepare_cached(
                "INSERT INTO productions(id, name, organisation) VALUES (?1, ?2, ?3)
                 ON CONFLICT(id) DO UPDATE SET name = excluded.name,
                    organisation = excluded.organisation",
            )?
            .execute(params![p.id, p.name, organisation(&p.organisation)?])?;
        self.touch_entity("production", &p.id);
        Ok(())
    }

    pub(crate) fn upsert_performance(&mut self, p: &Performance) -> Result<(), ApplyError> {
        let starts_at = nanos("starts_at", p.starts_at)?;
        self.tx
            .prepare_cached(
                "INSERT INTO performances(id, production_id, venue_id, starts_at)
                 VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT(id) DO UPDATE SET production_id = excluded.production_id,
                    venue_id = excluded.venue_id, starts_at = excluded.starts_at",
            )?
            .execute(params![p.id, p.production_id, p.venue_id, starts_at])?;
        self.touch_entity("performance", &p.id);
        Ok(())
    }
}
