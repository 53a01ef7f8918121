//! The tables the dialect reads, as DDL (`flokk clickhouse schema`), and
//! their columns, which the rows ([`crate::rows`]) fill.
//!
//! Decisions:
//! - **One row a record, keyed by customer.** Every table but the
//!   catalogue's is ordered by `customer_id` first (and, on a cluster,
//!   sharded by it), so a customer's records sit together on one shard and
//!   the dialect's `GROUP BY customer_id` never crosses shards.
//! - **Upserts and deletes replay** through `ReplacingMergeTree(version,
//!   deleted)`: a record written again carries a higher `version` (the
//!   store's change sequence when it was written) and replaces the older
//!   row; a deleted record is written once more with `deleted = 1`.
//!   Queries read with `FINAL`, so they see only the newest version of
//!   each row whether or not ClickHouse has merged yet.
//! - **Instants are unix seconds (`Int64`)**: the language compares
//!   records at whole seconds, an `Int64` has no 1970 or 2106 limit, and
//!   the dialect binds bounds already resolved in the store time zone.
//! - **Texts that compare case-insensitively are stored folded**
//!   (`*_folded`), folded by flokk with the language's own folding.
//! - **Amounts are `Float64`**, as the engine holds them today.
//! - **On a cluster** the tables keep these names on every shard and
//!   `<name>_all` are `Distributed` tables over them (inserts go through
//!   them, routed by `cityHash64(customer_id)`); a member statement runs
//!   unchanged on each shard, against its own rows, and the ids are
//!   concatenated. The catalogue (`venues`, `performances`) is small and
//!   copied whole to every shard, so ticket clauses stay local too.

use std::fmt::Write as _;

/// One column.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Its name.
    pub name: &'static str,
    /// Its ClickHouse type.
    pub ty: &'static str,
    /// What it holds.
    pub comment: &'static str,
}

/// One table.
#[derive(Debug)]
pub struct Table {
    /// Its name.
    pub name: &'static str,
    /// What a row is.
    pub comment: &'static str,
    /// Its columns, key first.
    pub columns: &'static [Column],
    /// The sort key (and the key that identifies a row's versions).
    pub order_by: &'static str,
    /// Catalogue tables are copied to every shard instead of sharded.
    pub catalogue: bool,
}

const fn col(name: &'static str, ty: &'static str, comment: &'static str) -> Column {
    Column { name, ty, comment }
}

const CUSTOMER: Column = col("customer_id", "String", "the customer's id in flokk");
const VERSION: Column = col(
    "version",
    "UInt64",
    "the store change sequence this row was written at; the highest version of a key wins",
);
const DELETED: Column = col(
    "deleted",
    "UInt8",
    "1 when the record was deleted (a tombstone)",
);
const KEY: Column = col(
    "record_key",
    "String",
    "the record's own id, or its position among the customer's records when it has none",
);

const PROPERTY_MAPS: [Column; 6] = [
    col(
        "prop_numbers",
        "Map(String, Float64)",
        "number properties, by namespace.key",
    ),
    col("prop_strings", "Map(String, String)", "text properties"),
    col(
        "prop_booleans",
        "Map(String, Bool)",
        "true/false properties",
    ),
    col(
        "prop_days",
        "Map(String, Int32)",
        "date properties as days since 1970-01-01 (any year, unlike Date32)",
    ),
    col(
        "prop_month_days",
        "Map(String, UInt16)",
        "date properties' month * 100 + day, for anniversaries",
    ),
    col(
        "prop_lists",
        "Map(String, Array(String))",
        "list properties, folded",
    ),
];

/// Every table, in the order the DDL creates them.
pub static TABLES: &[Table] = &[
    Table {
        name: "customers",
        comment: "one row a customer, with the fields filters read",
        columns: &[
            CUSTOMER,
            col(
                "customer_key",
                "Int64",
                "the customer's key in the flokk store (its change sequence names customers by it)",
            ),
            VERSION,
            DELETED,
            col(
                "created_at",
                "Nullable(Int64)",
                "customer_added_date, unix seconds",
            ),
            col(
                "email_domain",
                "Nullable(String)",
                "part of the email after @, lower-case",
            ),
            col("language", "Nullable(String)", "customer_language"),
            col(
                "account_status",
                "Nullable(String)",
                "ENABLED DISABLED INVITED DECLINED",
            ),
            col(
                "email_subscription",
                "Nullable(String)",
                "email_subscription_status",
            ),
            col(
                "sms_subscription",
                "Nullable(String)",
                "sms_subscription_status",
            ),
            col(
                "product_subscription",
                "Nullable(String)",
                "product_subscription_status",
            ),
            col("created_by_app_id", "Nullable(String)", "created_by_app_id"),
            col(
                "gender",
                "Nullable(String)",
                "FEMALE MALE OTHER as recorded",
            ),
            col(
                "birth_day",
                "Nullable(Int32)",
                "birth_date as days since 1970-01-01 (any year, unlike Date32)",
            ),
            col("birth_year", "Nullable(Int32)", "birth_date's year"),
            col(
                "birth_month_day",
                "Nullable(UInt16)",
                "birth_date's month * 100 + day",
            ),
            col("random_bucket", "UInt16", "stable 0-9999 hash of the id"),
            col("tags_folded", "Array(String)", "customer_tags, folded"),
            col(
                "cities_folded",
                "Array(String)",
                "customer_cities codes, folded",
            ),
            col(
                "regions_folded",
                "Array(String)",
                "customer_regions codes, folded",
            ),
            col(
                "countries_folded",
                "Array(String)",
                "customer_countries codes, folded",
            ),
            col("companies_folded", "Array(String)", "companies, folded"),
            col("permissions_folded", "Array(String)", "permissions, folded"),
            col(
                "positions",
                "Array(Tuple(Float64, Float64))",
                "(latitude, longitude) of each placed address",
            ),
            PROPERTY_MAPS[0],
            PROPERTY_MAPS[1],
            PROPERTY_MAPS[2],
            PROPERTY_MAPS[3],
            PROPERTY_MAPS[4],
            PROPERTY_MAPS[5],
        ],
        order_by: "customer_id",
        catalogue: false,
    },
    Table {
        name: "orders",
        comment: "one row an order",
        columns: &[
            CUSTOMER,
            col("order_id", "String", "the order's id"),
            VERSION,
            DELETED,
            col("placed_at", "Int64", "unix seconds"),
            col("cancelled", "Bool", "cancelled orders count nowhere"),
            col("total", "Float64", "the total as placed"),
            col("refunded", "Float64", "refunded so far"),
            col("location_id", "Nullable(String)", ""),
            col("app_id", "Nullable(String)", ""),
            col("channel", "Nullable(String)", "online box_office pos app"),
        ],
        order_by: "customer_id, order_id",
        catalogue: false,
    },
    Table {
        name: "order_lines",
        comment: "one row an order line, with its order's time, state and channel",
        columns: &[
            CUSTOMER,
            col("order_id", "String", "the order's id"),
            col("line_no", "UInt32", "the line's position in its order"),
            VERSION,
            DELETED,
            col("placed_at", "Int64", "the order's time, unix seconds"),
            col("cancelled", "Bool", "the order is cancelled"),
            col("channel", "Nullable(String)", "the order's channel"),
            col("product_id", "Nullable(String)", "set on product lines"),
            col("performance_id", "Nullable(String)", "set on ticket lines"),
            col("tags_folded", "Array(String)", "product tags, folded"),
            col("category_folded", "Nullable(String)", "folded"),
            col("vendor_folded", "Nullable(String)", "folded"),
            col("quantity", "Int64", ""),
            col("price", "Float64", "unit price"),
        ],
        order_by: "customer_id, order_id, line_no",
        catalogue: false,
    },
    Table {
        name: "checkouts",
        comment: "one row an abandoned checkout",
        columns: &[
            CUSTOMER,
            col("checkout_id", "String", ""),
            VERSION,
            DELETED,
            col("abandoned_at", "Int64", "unix seconds"),
        ],
        order_by: "customer_id, checkout_id",
        catalogue: false,
    },
    Table {
        name: "email_events",
        comment: "one row an email event",
        columns: &[
            CUSTOMER,
            KEY,
            VERSION,
            DELETED,
            col(
                "type",
                "LowCardinality(String)",
                "delivered opened clicked bounced ...",
            ),
            col("at", "Int64", "unix seconds"),
            col("activity_id", "Nullable(String)", "the campaign"),
            col("bounce_type", "Nullable(String)", "SOFT HARD"),
            col(
                "machine_open",
                "Nullable(Bool)",
                "an Apple Mail privacy pre-fetch",
            ),
        ],
        order_by: "customer_id, record_key",
        catalogue: false,
    },
    Table {
        name: "storefront_events",
        comment: "one row a storefront event",
        columns: &[
            CUSTOMER,
            KEY,
            VERSION,
            DELETED,
            col(
                "type",
                "LowCardinality(String)",
                "product_viewed collection_viewed",
            ),
            col("at", "Int64", "unix seconds"),
            col("id", "String", "the product or collection viewed"),
        ],
        order_by: "customer_id, record_key",
        catalogue: false,
    },
    Table {
        name: "custom_events",
        comment: "one row a custom event",
        columns: &[
            CUSTOMER,
            KEY,
            VERSION,
            DELETED,
            col("name", "String", "the event's name"),
            col("at", "Int64", "unix seconds"),
            col(
                "value",
                "Float64",
                "the numeric `value` property, 0 without one (sum_value)",
            ),
            PROPERTY_MAPS[0],
            PROPERTY_MAPS[1],
            PROPERTY_MAPS[2],
            PROPERTY_MAPS[3],
            PROPERTY_MAPS[4],
            PROPERTY_MAPS[5],
        ],
        order_by: "customer_id, record_key",
        catalogue: false,
    },
    Table {
        name: "venues",
        comment: "the ticketing catalogue: venues",
        columns: &[
            col("venue_id", "String", ""),
            VERSION,
            DELETED,
            col("lat", "Nullable(Float64)", ""),
            col("lon", "Nullable(Float64)", ""),
        ],
        order_by: "venue_id",
        catalogue: true,
    },
    Table {
        name: "performances",
        comment: "the ticketing catalogue: performances",
        columns: &[
            col("performance_id", "String", ""),
            VERSION,
            DELETED,
            col("production_id", "String", ""),
            col("venue_id", "String", ""),
            col("starts_at", "Int64", "unix seconds"),
        ],
        order_by: "performance_id",
        catalogue: true,
    },
];

/// Where `flokk clickhouse sync` keeps the last store change sequence
/// ClickHouse acknowledged, so a sync resumes from it after a crash.
pub const SYNC_STATE_DDL: &str =
    "-- the store change sequence the tables reflect (flokk clickhouse sync resumes from it)
CREATE TABLE IF NOT EXISTS flokk_sync
(
    id UInt8 COMMENT 'always 0: one row',
    sequence UInt64 COMMENT 'the last store change sequence written and acknowledged'
)
ENGINE = ReplacingMergeTree(sequence)
ORDER BY id;
";

/// The table called `name`.
pub fn table(name: &str) -> Option<&'static Table> {
    TABLES.iter().find(|t| t.name == name)
}

/// Where the tables go.
#[derive(Debug, Clone)]
pub struct Cluster {
    /// The cluster's name in the servers' `remote_servers`.
    pub name: String,
    /// How many shards it has (for the configuration sketch).
    pub shards: Option<u32>,
}

fn quote(s: &str) -> String {
    format!("'{}'", s.replace('\\', "\\\\").replace('\'', "\\'"))
}

/// The DDL for one server, or for a cluster.
pub fn ddl(cluster: Option<&Cluster>) -> String {
    let mut out = String::from(
        "-- flokk's tables on ClickHouse (flokk clickhouse schema).\n\
         -- Rows are replaced by a higher `version` and removed by `deleted = 1`\n\
         -- (ReplacingMergeTree); flokk reads them with FINAL.\n",
    );
    if let Some(c) = cluster {
        let _ = writeln!(
            out,
            "-- Cluster `{}`: each shard holds its customers' rows in the tables below;\n\
             -- the *_all tables are Distributed over them, sharded by cityHash64(customer_id),\n\
             -- so a customer's records share a shard and segments are answered shard by shard.",
            c.name
        );
        if let Some(n) = c.shards {
            let _ = writeln!(
                out,
                "-- The servers' configuration names the {n} shards, e.g.:\n\
                 -- <remote_servers><{name}>",
                name = c.name
            );
            for i in 1..=n {
                let _ = writeln!(
                    out,
                    "--   <shard><internal_replication>true</internal_replication><replica><host>shard{i}</host><port>9000</port></replica></shard>"
                );
            }
            let _ = writeln!(out, "-- </{}></remote_servers>", c.name);
        }
    }
    for t in TABLES {
        out.push('\n');
        let on_cluster = cluster
            .map(|c| format!(" ON CLUSTER {}", backquote(&c.name)))
            .unwrap_or_default();
        let _ = writeln!(out, "-- {}", t.comment);
        let _ = writeln!(out, "CREATE TABLE IF NOT EXISTS {}{on_cluster}\n(", t.name);
        let cols: Vec<String> = t
            .columns
            .iter()
            .map(|c| {
                if c.comment.is_empty() {
                    format!("    {} {}", c.name, c.ty)
                } else {
                    format!("    {} {} COMMENT {}", c.name, c.ty, quote(c.comment))
                }
            })
            .collect();
        let _ = writeln!(out, "{}\n)", cols.join(",\n"));
        let engine = match cluster {
            None => "ReplacingMergeTree(version, deleted)".to_owned(),
            // Catalogue tables: one replication path for all shards, so
            // every shard has the whole catalogue.
            Some(_) if t.catalogue => format!(
                "ReplicatedReplacingMergeTree('/clickhouse/tables/all/flokk/{}', '{{replica}}', version, deleted)",
                t.name
            ),
            Some(_) => format!(
                "ReplicatedReplacingMergeTree('/clickhouse/tables/{{shard}}/flokk/{}', '{{replica}}', version, deleted)",
                t.name
            ),
        };
        let _ = writeln!(out, "ENGINE = {engine}\nORDER BY ({})", t.order_by);
        let _ = writeln!(out, "COMMENT {};", quote(t.comment));
        if let Some(c) = cluster
            && !t.catalogue
        {
            let _ = writeln!(
                out,
                "\n-- inserts and cluster-wide reads of {name}, routed by customer\n\
                 CREATE TABLE IF NOT EXISTS {name}_all{on_cluster} AS {name}\n\
                 ENGINE = Distributed({cluster}, currentDatabase(), {name}, cityHash64(customer_id));",
                name = t.name,
                cluster = backquote(&c.name),
            );
        }
    }
    out.push('\n');
    out.push_str(SYNC_STATE_DDL);
    out
}

fn backquote(s: &str) -> String {
    format!("`{}`", s.replace('\\', "\\\\").replace('`', "\\`"))
}
