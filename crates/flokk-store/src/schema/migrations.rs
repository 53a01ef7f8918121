//! The SQLite schema and its migrations, versioned by `PRAGMA user_version`.
//!
//! Each migration is applied in its own transaction, in order; a store
//! written by a newer flokk is refused rather than guessed at.

use crate::error::StoreError;
use flokk_model::Money;
use rusqlite::Connection;
use rusqlite::functions::FunctionFlags;
use rusqlite::types::ValueRef;

/// The migrations, index + 1 = the `user_version` after applying it.
const MIGRATIONS: &[&str] = &[
    // 1: the initial schema.
    r#"
CREATE TABLE settings (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- The change sequence: one row per customer (or catalogue entity) touched by
-- a committed write. The engine catches up by reading rows after the last
-- sequence it reflects. A row whose customer no longer exists is a deletion.
CREATE TABLE changes (
    seq    INTEGER PRIMARY KEY AUTOINCREMENT,
    entity TEXT NOT NULL,          -- 'customer', 'venue', 'production', 'performance'
    cid    INTEGER,                -- customers.cid for entity 'customer'
    key    TEXT                    -- the id for the other entities
);

CREATE TABLE customers (
    cid                  INTEGER PRIMARY KEY,
    id                   TEXT NOT NULL UNIQUE,
    email                TEXT,
    phone                TEXT,
    first_name           TEXT,
    last_name            TEXT,
    title                TEXT,
    gender               TEXT,
    birth_date           TEXT,     -- YYYY-MM-DD
    language             TEXT,
    created_at           INTEGER,  -- nanoseconds since the Unix epoch
    account_status       TEXT,
    email_subscription   TEXT,
    sms_subscription     TEXT,
    product_subscription TEXT,
    note                 TEXT,
    tax_exempt           INTEGER NOT NULL DEFAULT 0,
    created_by_app_id    TEXT
);
CREATE INDEX customers_email ON customers(email) WHERE email IS NOT NULL;

CREATE TABLE customer_tags (
    cid INTEGER NOT NULL, pos INTEGER NOT NULL, tag TEXT NOT NULL,
    PRIMARY KEY (cid, pos)
) WITHOUT ROWID;
CREATE TABLE customer_permissions (
    cid INTEGER NOT NULL, pos INTEGER NOT NULL, permission TEXT NOT NULL,
    PRIMARY KEY (cid, pos)
) WITHOUT ROWID;
CREATE TABLE customer_companies (
    cid INTEGER NOT NULL, pos INTEGER NOT NULL, company_id TEXT NOT NULL,
    PRIMARY KEY (cid, pos)
) WITHOUT ROWID;
CREATE TABLE customer_addresses (
    cid        INTEGER NOT NULL,
    pos        INTEGER NOT NULL,
    address1   TEXT, address2 TEXT, company TEXT, city TEXT, region TEXT,
    country    TEXT, zip TEXT, phone TEXT,
    lat        REAL, lon REAL,
    geocoded   INTEGER NOT NULL DEFAULT 0,  -- 1: lat/lon came from the gazetteer
    is_default INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (cid, pos)
) WITHOUT ROWID;
CREATE TABLE customer_properties (
    cid   INTEGER NOT NULL,
    key   TEXT NOT NULL,     -- namespace.key
    type  TEXT NOT NULL,     -- Boolean, Float, Date, String, List
    value TEXT NOT NULL,     -- JSON
    PRIMARY KEY (cid, key)
) WITHOUT ROWID;

CREATE TABLE orders (
    oid         INTEGER PRIMARY KEY,
    id          TEXT NOT NULL UNIQUE,
    cid         INTEGER NOT NULL,
    placed_at   INTEGER NOT NULL,
    total       REAL NOT NULL,
    refunded    REAL NOT NULL,
    cancelled   INTEGER NOT NULL,
    channel     TEXT,
    location_id TEXT,
    app_id      TEXT,
    tags        TEXT              -- JSON array, NULL when empty
);
CREATE INDEX orders_cid ON orders(cid);
CREATE TABLE order_lines (
    oid            INTEGER NOT NULL,
    pos            INTEGER NOT NULL,
    product_id     TEXT,
    performance_id TEXT,
    title          TEXT,
    tags           TEXT,          -- JSON array, NULL when empty
    category       TEXT,
    vendor         TEXT,
    sku            TEXT,
    quantity       INTEGER NOT NULL,
    price          REAL NOT NULL,
    PRIMARY KEY (oid, pos)
) WITHOUT ROWID;

CREATE TABLE checkouts (
    id           TEXT PRIMARY KEY,
    cid          INTEGER NOT NULL,
    abandoned_at INTEGER NOT NULL,
    total        REAL NOT NULL
);
CREATE INDEX checkouts_cid ON checkouts(cid);

CREATE TABLE email_events (
    eid          INTEGER PRIMARY KEY,
    id           TEXT,
    cid          INTEGER NOT NULL,
    type         TEXT NOT NULL,
    activity_id  TEXT,
    at           INTEGER NOT NULL,
    machine_open INTEGER,
    bounce_type  TEXT
);
CREATE INDEX email_events_cid ON email_events(cid);
-- Most events have no id: a partial index keeps them out of it.
CREATE UNIQUE INDEX email_events_id ON email_events(id) WHERE id IS NOT NULL;

CREATE TABLE storefront_events (
    eid      INTEGER PRIMARY KEY,
    event_id TEXT,
    cid      INTEGER NOT NULL,
    type     TEXT NOT NULL,
    item_id  TEXT NOT NULL,
    at       INTEGER NOT NULL
);
CREATE INDEX storefront_events_cid ON storefront_events(cid);
CREATE UNIQUE INDEX storefront_events_id ON storefront_events(event_id)
    WHERE event_id IS NOT NULL;

CREATE TABLE custom_events (
    eid        INTEGER PRIMARY KEY,
    id         TEXT,
    cid        INTEGER NOT NULL,
    name       TEXT NOT NULL,
    at         INTEGER NOT NULL,
    properties TEXT            -- JSON object, NULL when empty
);
CREATE INDEX custom_events_cid ON custom_events(cid);
CREATE UNIQUE INDEX custom_events_id ON custom_events(id) WHERE id IS NOT NULL;

CREATE TABLE venues (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    lat  REAL,
    lon  REAL
);
CREATE TABLE productions (
    id   TEXT PRIMARY KEY,
    name TEXT NOT NULL
);
CREATE TABLE performances (
    id            TEXT PRIMARY KEY,
    production_id TEXT NOT NULL,
    venue_id      TEXT NOT NULL,
    starts_at     INTEGER NOT NULL
);

-- Saved segments (filled by the segments issue).
CREATE TABLE segments (
    sid         INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL UNIQUE,  -- lower-cased name: names are unique, case-insensitive
    description TEXT,
    query       TEXT NOT NULL,
    draft_query TEXT,
    author      TEXT NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL,
    deleted_at  INTEGER
);
"#,
    // 2: live segments (versions, members, the membership change feed),
    // persisted predictive models, API tokens and sessions, webhooks.
    r#"
-- Why a customer changed, for the membership feed's cause: 'customer_changed'
-- when the customer record itself was written or deleted, 'record_added'
-- when only its orders, checkouts or events were (added, replaced, removed).
ALTER TABLE changes ADD COLUMN cause TEXT;

-- Saved segments. Version 1 made this table without AUTOINCREMENT and never
-- wrote to it; it is made again so an id is never reused after a purge (the
-- feed keeps naming purged segments by id).
DROP TABLE segments;
CREATE TABLE segments (
    sid            INTEGER PRIMARY KEY AUTOINCREMENT,
    name           TEXT NOT NULL,
    name_key       TEXT NOT NULL UNIQUE,  -- lower-cased: names are unique regardless of case
    description    TEXT,
    query          TEXT NOT NULL,
    draft_query    TEXT,
    author         TEXT NOT NULL,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    deleted_at     INTEGER,
    used_at        INTEGER,            -- last activity = max(created, updated, used)
    draft_saved_at INTEGER,
    member_count   INTEGER NOT NULL DEFAULT 0,
    counted_at     INTEGER             -- when member_count was computed
);

-- Every query a segment has had, oldest first (version 1 = as created).
CREATE TABLE segment_versions (
    sid      INTEGER NOT NULL,
    version  INTEGER NOT NULL,
    query    TEXT NOT NULL,
    saved_at INTEGER NOT NULL,
    author   TEXT NOT NULL,
    PRIMARY KEY (sid, version)
) WITHOUT ROWID;

-- Live membership: who is in each segment now, and since which feed entry.
CREATE TABLE segment_members (
    sid        INTEGER NOT NULL,
    cid        INTEGER NOT NULL,
    joined_seq INTEGER NOT NULL,   -- segment_changes.seq of the entry
    joined_at  INTEGER NOT NULL,   -- nanoseconds
    PRIMARY KEY (sid, cid)
) WITHOUT ROWID;
CREATE INDEX segment_members_cid ON segment_members(cid);

-- The membership change feed: every entry and exit, once, in order.
CREATE TABLE segment_changes (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    sid         INTEGER NOT NULL,
    cid         INTEGER NOT NULL,
    customer_id TEXT NOT NULL,     -- kept so the feed still names a deleted customer
    entered     INTEGER NOT NULL,  -- 1 entered, 0 exited
    cause       TEXT NOT NULL,     -- created, definition_changed, customer_changed, record_added, midnight, refit
    at          INTEGER NOT NULL   -- nanoseconds
);
CREATE INDEX segment_changes_sid ON segment_changes(sid, seq);

-- Progress markers of derived state (integers): which store change sequence
-- live membership reflects, the store-local day it was last re-evaluated for.
CREATE TABLE markers (
    key   TEXT PRIMARY KEY,
    value INTEGER NOT NULL
) WITHOUT ROWID;

-- Fitted predictive models, so scoring does not refit in every process.
CREATE TABLE models (
    name      TEXT PRIMARY KEY,    -- 'predictive'
    fitted_at INTEGER NOT NULL,    -- nanoseconds: when the fit ran
    as_of     INTEGER NOT NULL,    -- nanoseconds: the instant the data was cut at
    sequence  INTEGER NOT NULL,    -- store change sequence the fit saw
    body      TEXT NOT NULL        -- JSON: parameters, thresholds, diagnostics
) WITHOUT ROWID;

-- API tokens, stored hashed; scopes as a comma-separated list.
CREATE TABLE api_tokens (
    tid          INTEGER PRIMARY KEY,
    name         TEXT NOT NULL,
    hash         TEXT NOT NULL UNIQUE,
    scopes       TEXT NOT NULL,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER,
    revoked_at   INTEGER
);
-- Web UI sessions, stored hashed.
CREATE TABLE sessions (
    hash       TEXT PRIMARY KEY,
    tid        INTEGER NOT NULL,
    csrf       TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) WITHOUT ROWID;

-- Webhook endpoints. The feed is the outbox: each endpoint delivers the
-- feed entries after its cursor, in order.
CREATE TABLE webhook_endpoints (
    wid             INTEGER PRIMARY KEY,
    url             TEXT NOT NULL,
    secret          TEXT NOT NULL,
    segments        TEXT,              -- JSON array of segment ids; NULL = all
    cursor          INTEGER NOT NULL,  -- last segment_changes.seq delivered
    failures        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER,
    disabled_at     INTEGER,
    disabled_reason TEXT,
    last_error      TEXT,
    created_at      INTEGER NOT NULL,
    batch_to        INTEGER            -- in flight: the batch (cursor, batch_to], resent as is
);
"#,
    // 3: a segment whose query cannot be evaluated is marked failing with
    // the reason, and the others go on.
    r#"
ALTER TABLE segments ADD COLUMN failing TEXT;  -- why it cannot be evaluated; NULL when it can
"#,
    // 4: the definitions version: a counter bumped, in the writing
    // transaction itself, by every change to a segment definition or a
    // setting, whichever process makes it. A running server polls this one
    // row (and the change sequence) to see another process's writes.
    // Triggers, not the writers, bump it, so no write path can forget to.
    // Activity columns (used_at, member_count, counted_at, draft_*, failing)
    // are not definitions and do not bump it, or every count would.
    r#"
CREATE TABLE definitions_version (
    id      INTEGER PRIMARY KEY CHECK (id = 1),
    version INTEGER NOT NULL
);
INSERT INTO definitions_version (id, version) VALUES (1, 0);
CREATE TRIGGER segments_inserted AFTER INSERT ON segments
BEGIN UPDATE definitions_version SET version = version + 1; END;
CREATE TRIGGER segments_deleted AFTER DELETE ON segments
BEGIN UPDATE definitions_version SET version = version + 1; END;
CREATE TRIGGER segments_redefined AFTER UPDATE OF name, name_key, description, query, deleted_at ON segments
BEGIN UPDATE definitions_version SET version = version + 1; END;
CREATE TRIGGER settings_inserted AFTER INSERT ON settings
BEGIN UPDATE definitions_version SET version = version + 1; END;
CREATE TRIGGER settings_updated AFTER UPDATE ON settings
BEGIN UPDATE definitions_version SET version = version + 1; END;
CREATE TRIGGER settings_deleted AFTER DELETE ON settings
BEGIN UPDATE definitions_version SET version = version + 1; END;

-- The store change range (synced_from, synced_to] a feed entry's sync caught
-- up with (entries caused by store writes; NULL for the others), so an
-- import reports the entries its changes caused, whichever process synced.
ALTER TABLE segment_changes ADD COLUMN synced_from INTEGER;
ALTER TABLE segment_changes ADD COLUMN synced_to INTEGER;
"#,
    // 5: a segment's failing state as webhook receivers see it: each change
    // of `segments.failing` (failing with a reason, or evaluating again) is
    // noted here in the writing transaction, and each endpoint delivers
    // these notices after its own `status_cursor` (an outbox, like the
    // membership feed and its `cursor`).
    r#"
CREATE TABLE segment_status_changes (
    seq     INTEGER PRIMARY KEY AUTOINCREMENT,
    sid     INTEGER NOT NULL,
    failing TEXT,             -- the reason it cannot be evaluated; NULL: it evaluates again
    at      INTEGER NOT NULL  -- nanoseconds
);
ALTER TABLE webhook_endpoints ADD COLUMN status_cursor INTEGER NOT NULL DEFAULT 0;
"#,
    // 6: static lists (`flokk list`, `segment sample`): a frozen set of
    // customers under a name (unique regardless of case, and apart from
    // segment names, since both name an audience). A member is its store key
    // *and* id, so a rowid SQLite reuses for a new customer does not put that
    // customer on the list. Creating or deleting a list is a definitions
    // change (a running server re-reads the lists within a second).
    r#"
CREATE TABLE customer_lists (
    lid        INTEGER PRIMARY KEY AUTOINCREMENT,
    name       TEXT NOT NULL,
    name_key   TEXT NOT NULL UNIQUE,  -- lower-cased name
    source     TEXT NOT NULL,         -- file | freeze | sample | holdout
    origin     TEXT,                  -- the file name or the segment it came from
    seed       INTEGER,               -- a sample's seed
    unknown    TEXT NOT NULL,         -- JSON [{"line","value"}]: file rows naming no customer
    created_at INTEGER NOT NULL
);
CREATE TABLE customer_list_members (
    lid         INTEGER NOT NULL REFERENCES customer_lists(lid) ON DELETE CASCADE,
    cid         INTEGER NOT NULL,
    customer_id TEXT NOT NULL,
    PRIMARY KEY (lid, cid)
) WITHOUT ROWID;
CREATE TRIGGER customer_lists_inserted AFTER INSERT ON customer_lists
BEGIN UPDATE definitions_version SET version = version + 1; END;
CREATE TRIGGER customer_lists_deleted AFTER DELETE ON customer_lists
BEGIN UPDATE definitions_version SET version = version + 1; END;
"#,
    // 7: email campaigns. A campaign's `id` ('flokk-' || cpid) is the
    // `activity_id` of the email events its sends write. The send queue is
    // one row per recipient, frozen when sending starts; its `state` is
    // committed before and after each SMTP transaction (campaigns/queue.rs).
    r#"
CREATE TABLE campaigns (
    cpid        INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL UNIQUE,  -- lower-cased: names are unique ignoring case
    segment     TEXT,                  -- the audience: a saved segment's name ...
    query       TEXT,                  -- ... or a query
    subject     TEXT NOT NULL,
    from_addr   TEXT,                  -- NULL: the smtp_from setting
    body        TEXT NOT NULL,
    body_format TEXT NOT NULL,         -- 'markdown' or 'html'
    link        TEXT,                  -- the campaign link's target
    shown_for   TEXT,                  -- 'production:ID' or 'performance:ID': ticket holders left out
    state       TEXT NOT NULL,         -- draft, sending, sent
    left_out    TEXT,                  -- JSON {reason: N}, when the audience was frozen
    created_at  INTEGER NOT NULL,
    started_at  INTEGER,
    finished_at INTEGER
);
CREATE TABLE campaign_recipients (
    cpid            INTEGER NOT NULL,
    customer_id     TEXT NOT NULL,
    email           TEXT NOT NULL,
    state           TEXT NOT NULL,     -- queued, sending, sent, soft_bounced, hard_bounced, unknown
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at INTEGER NOT NULL DEFAULT 0,
    last_reply      TEXT,
    updated_at      INTEGER NOT NULL,
    PRIMARY KEY (cpid, customer_id)
) WITHOUT ROWID;
CREATE INDEX campaign_recipients_due ON campaign_recipients(cpid, state, next_attempt_at);
-- Secrets the store signs with (tracking and unsubscribe links), made on first use.
CREATE TABLE signing_keys (
    name   TEXT PRIMARY KEY,
    secret TEXT NOT NULL
) WITHOUT ROWID;
"#,
    // 8: live data in (issue 28). Every delivery from an outside source
    // (a Shopify webhook, a Segment message) is kept as received, under
    // the sender's own id, before it is applied: the UNIQUE key is the
    // de-duplication, the row the durable queue, `applied_at` the mark
    // that it was applied (set in the applying transaction itself, so a
    // crash applies it again from the start, never half).
    r#"
CREATE TABLE inbound_deliveries (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    source      TEXT NOT NULL,     -- 'shopify'
    delivery_id TEXT NOT NULL,     -- X-Shopify-Webhook-Id
    topic       TEXT NOT NULL,     -- orders/create, ...
    body        BLOB NOT NULL,     -- the raw body, as signed
    received_at INTEGER NOT NULL,  -- nanoseconds
    applied_at  INTEGER,           -- nanoseconds; NULL while waiting
    outcome     TEXT,              -- what applying did
    UNIQUE (source, delivery_id)
);
CREATE INDEX inbound_waiting ON inbound_deliveries (source, seq) WHERE applied_at IS NULL;

-- The newest version of each outside entity applied so far (its
-- `updated_at`, nanoseconds; i64::MAX once deleted), so an older
-- delivery arriving late never moves a record backwards.
CREATE TABLE source_versions (
    source     TEXT NOT NULL,
    entity     TEXT NOT NULL,      -- customer, order, checkout
    id         TEXT NOT NULL,
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (source, entity, id)
) WITHOUT ROWID;

-- Shopify refunds by order: refunds/create carries one refund, an order
-- payload all of them; an order's refunded amount is the sum over every
-- refund seen, whichever arrived first. Amounts as Shopify wrote them.
CREATE TABLE shopify_refunds (
    order_id  TEXT NOT NULL,
    refund_id TEXT NOT NULL,
    amount    TEXT NOT NULL,
    PRIMARY KEY (order_id, refund_id)
) WITHOUT ROWID;

-- Tracking API messages seen, by their messageId: a message sent again
-- (a client retrying after a lost answer) is not applied twice.
CREATE TABLE seen_messages (
    source     TEXT NOT NULL,     -- 'tracking'
    message_id TEXT NOT NULL,
    PRIMARY KEY (source, message_id)
) WITHOUT ROWID;

-- Visitors known only by an anonymousId: their events wait here (as
-- NDJSON records without a customer) until an identify or alias names
-- the customer; from then on the anonymousId stands for that customer.
CREATE TABLE anonymous_ids (
    anonymous_id TEXT PRIMARY KEY,
    customer_id  TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE anonymous_events (
    seq          INTEGER PRIMARY KEY AUTOINCREMENT,
    anonymous_id TEXT NOT NULL,
    record       TEXT NOT NULL
);
CREATE INDEX anonymous_events_by_id ON anonymous_events (anonymous_id);
"#,
    // 9: discounts for a segment (`flokk discount`) and the codes orders
    // used. Codes are unique across discounts regardless of case
    // (`code_key` is the upper-cased code), so a code names one discount.
    // A shared code has one `discount_codes` row and is issued to every
    // member; a unique code is issued to one. Amounts are decimal text,
    // exact as written (money).
    r#"
ALTER TABLE orders ADD COLUMN discount_codes TEXT;  -- JSON array, NULL when empty
CREATE TABLE discounts (
    did               INTEGER PRIMARY KEY AUTOINCREMENT,
    name              TEXT NOT NULL,
    name_key          TEXT NOT NULL UNIQUE,
    audience          TEXT NOT NULL,   -- the segment (or list) as named at creation
    kind              TEXT NOT NULL,   -- percent | amount
    value             TEXT NOT NULL,   -- decimal
    minimum           TEXT,            -- decimal: the least order total it applies to
    starts_at         INTEGER,
    ends_at           INTEGER,
    uses_per_customer INTEGER,
    uses              INTEGER,
    created_at        INTEGER NOT NULL,
    unique_codes      INTEGER NOT NULL  -- 1: a drawn code per member; 0: one shared code
);
CREATE TABLE discount_codes (
    code_key TEXT PRIMARY KEY,
    code     TEXT NOT NULL,
    did      INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE discount_issued (
    did         INTEGER NOT NULL,
    customer_id TEXT NOT NULL,
    code_key    TEXT NOT NULL,
    PRIMARY KEY (did, customer_id)
) WITHOUT ROWID;
CREATE INDEX discount_issued_code ON discount_issued(code_key);
-- Redemptions read only the orders that used a code.
CREATE INDEX orders_discounted ON orders(oid) WHERE discount_codes IS NOT NULL;
"#,
    // h28: retention of inbound data (`flokk prune`, and the server hourly).
    // When a messageId was seen and an anonymous visitor's event kept
    // (nanoseconds), so each can be dropped after its retention setting.
    // Rows from before this migration have NULL: the first prune stamps
    // them with its now, so they are kept one whole retention period more
    // rather than judged by a time nobody wrote down. Applied Shopify
    // deliveries are aged by `applied_at`, which they already carry.
    r#"
ALTER TABLE seen_messages ADD COLUMN seen_at INTEGER;
ALTER TABLE anonymous_events ADD COLUMN kept_at INTEGER;
CREATE INDEX seen_messages_by_age ON seen_messages (seen_at);
CREATE INDEX anonymous_events_by_age ON anonymous_events (kept_at);
CREATE INDEX inbound_applied_by_age ON inbound_deliveries (applied_at) WHERE applied_at IS NOT NULL;
"#,
    // h22b: organisations of a venue group sharing one customer base. Venues,
    // productions and segments carry one (NULL: none, as in a store of one
    // organisation); an API token may be limited to some (NULL: all).
    r#"
ALTER TABLE venues ADD COLUMN organisation TEXT;
ALTER TABLE productions ADD COLUMN organisation TEXT;
ALTER TABLE segments ADD COLUMN organisation TEXT;
ALTER TABLE api_tokens ADD COLUMN organisations TEXT;  -- comma-separated; NULL = every organisation
"#,
    // h22a: subscriptions (season tickets, memberships; data.md §1.1), a
    // customer's records like checkouts. Days are `YYYY-MM-DD` text like
    // `birth_date`; `ends` NULL runs until cancelled.
    r#"
CREATE TABLE subscriptions (
    id     TEXT PRIMARY KEY,
    cid    INTEGER NOT NULL,
    plan   TEXT NOT NULL,
    starts TEXT NOT NULL,
    ends   TEXT,
    status TEXT NOT NULL
);
CREATE INDEX subscriptions_cid ON subscriptions(cid);
"#,
    // h17: money columns hold exact whole ten-thousandths (`Money::units`)
    // instead of REAL. Each old REAL is turned into units through its
    // shortest decimal text (`flokk_money_units`, registered by `migrate`:
    // 119.64 is read as the text "119.64", never as 119.64 * 10000 in
    // floating point), which is the amount the old writer was given. The
    // new columns are named `*_units` so SQL written for the REAL columns
    // fails instead of reading amounts 10,000 times too large.
    r#"
ALTER TABLE orders ADD COLUMN total_units INTEGER NOT NULL DEFAULT 0;
ALTER TABLE orders ADD COLUMN refunded_units INTEGER NOT NULL DEFAULT 0;
UPDATE orders SET total_units = flokk_money_units(total),
                  refunded_units = flokk_money_units(refunded);
ALTER TABLE orders DROP COLUMN total;
ALTER TABLE orders DROP COLUMN refunded;
ALTER TABLE order_lines ADD COLUMN price_units INTEGER NOT NULL DEFAULT 0;
UPDATE order_lines SET price_units = flokk_money_units(price);
ALTER TABLE order_lines DROP COLUMN price;
ALTER TABLE checkouts ADD COLUMN total_units INTEGER NOT NULL DEFAULT 0;
UPDATE checkouts SET total_units = flokk_money_units(total);
ALTER TABLE checkouts DROP COLUMN total;
"#,
    // h19: campaigns scheduled for later (`scheduled_at`, nanoseconds; the
    // state is then 'scheduled'); the discount whose issued code is the
    // `{{ discount_code }}` merge field (a discount's name); each
    // recipient's merge values frozen with the audience (JSON {field:
    // text}: computed fields and the discount code, as of the freeze).
    r#"
ALTER TABLE campaigns ADD COLUMN scheduled_at INTEGER;
ALTER TABLE campaigns ADD COLUMN discount TEXT;
ALTER TABLE campaign_recipients ADD COLUMN merge_values TEXT;
"#,
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Brings the database up to [`SCHEMA_VERSION`].
pub(crate) fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    let found: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if found > SCHEMA_VERSION {
        return Err(StoreError::TooNew {
            found,
            supported: SCHEMA_VERSION,
        });
    }
    if found < SCHEMA_VERSION {
        register_money_units(conn)?;
    }
    // Every pending migration in one transaction: an upgrade that fails
    // part-way (an amount that is no amount, a full disk) leaves the store
    // at the version it had, not at some version in between that no
    // release ever wrote.
    let tx = conn.transaction()?;
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", i as i64 + 1)?;
    }
    tx.commit()?;
    Ok(())
}

/// Registers `flokk_money_units(amount)`, which the migration to integer
/// money columns uses: an amount stored as `REAL` (or an integer, or
/// decimal text) as whole ten-thousandths, through the shortest decimal
/// that reads back as the stored `f64` ([`Money::from_f64`], the way the
/// REAL columns were always read). A value that is no amount (NaN, text
/// that is no decimal, NULL) fails the migration, whose transaction then
/// leaves the store as it was.
fn register_money_units(conn: &Connection) -> Result<(), StoreError> {
    conn.create_scalar_function(
        "flokk_money_units",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let amount = match ctx.get_raw(0) {
                ValueRef::Real(v) => Money::from_f64(v),
                ValueRef::Integer(i) => Some(Money::from_whole(i))
                    .filter(|_| i.checked_mul(flokk_model::MONEY_SCALE).is_some()),
                ValueRef::Text(t) => std::str::from_utf8(t)
                    .ok()
                    .and_then(|t| Money::parse(t).ok()),
                ValueRef::Null | ValueRef::Blob(_) => None,
            };
            amount.map(Money::units).ok_or_else(|| {
                rusqlite::Error::UserFunctionError(
                    format!(
                        "a money column holds {:?}, which is not an amount",
                        ctx.get_raw(0)
                    )
                    .into(),
                )
            })
        },
    )?;
    Ok(())
}
