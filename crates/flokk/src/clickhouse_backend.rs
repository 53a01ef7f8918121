//! ClickHouse as the backend that answers typed queries (issue 23): the
//! engine's `QueryBackend` trait answered by statements of the ClickHouse
//! dialect run on the tables `flokk clickhouse sync` keeps current.
//!
//! Decisions:
//! - A query is answered in one statement: `members` returns ids and
//!   store keys ascending by id (byte order, as the engine sorts ids);
//!   `count` returns the total, the count, each top-level clause's count
//!   and the members' sums in one row.
//! - Saved segments named by `customer_segments` are compiled in place.
//! - Errors: the dialect's (`unsupported_on_clickhouse`, ...) and
//!   transport failures, kept apart so the CLI can call the first a user
//!   error and the second a runtime failure.

use crate::cli::Backend;
use crate::clickhouse_http::{Http, json_rows, number};
use crate::context::Context;
use crate::failure::Failure;
use flokk_clickhouse::{
    AsOf, DialectError, ParamValue, SavedSegments, count_statement, members_statement_with_segments,
};
use flokk_engine::{ClauseCount, CountAnswer, CustomerKey, QueryBackend, Statistics};
use flokk_lang::check::TypedQuery;
use flokk_lang::{PropertyTypes, TypedExpr, ValueType};
use flokk_model::{Money, MoneySum};
use flokk_store::Store;

/// Why ClickHouse could not answer.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// The dialect refused the query.
    #[error(transparent)]
    Dialect(#[from] DialectError),
    /// ClickHouse could not be reached or failed.
    #[error("{0}")]
    Transport(String),
}

impl BackendError {
    /// The stable error code.
    pub fn code(&self) -> &'static str {
        match self {
            BackendError::Dialect(e) => e.code(),
            BackendError::Transport(_) => "clickhouse_failed",
        }
    }
}

fn transport(e: anyhow::Error) -> BackendError {
    BackendError::Transport(format!("{e:#}"))
}

/// Members as ClickHouse returns them: ids and store keys, ascending by id.
#[derive(Debug, Clone, Default)]
pub struct ClickHouseMembers {
    /// `(id, key)`, ascending by id.
    pub rows: Vec<(String, CustomerKey)>,
}

/// Answers queries on ClickHouse as of one instant and zone.
pub struct ClickHouseBackend {
    http: Http,
    as_of: AsOf,
    segments: SavedSegments,
    currency_decimals: u32,
}

impl ClickHouseBackend {
    /// A backend at `url` evaluating as of `as_of`, with the saved segments
    /// `customer_segments` may name.
    pub fn new(url: &str, as_of: AsOf, segments: SavedSegments, currency_decimals: u32) -> Self {
        ClickHouseBackend {
            http: Http::new(url),
            as_of,
            segments,
            currency_decimals,
        }
    }

    /// The members' statistics from ClickHouse's sums, which add whole
    /// ten-thousandths (the dialect's `money` module): the nearest `f64` of
    /// the exact sum, taken back to its ten-thousandths here.
    fn statistics_of(&self, spent: f64, orders: u64, members: u64) -> Statistics {
        let spent = MoneySum::from(Money::from_f64(spent).unwrap_or(Money::ZERO));
        Statistics::from_sums(spent, orders, members, self.currency_decimals)
    }

    fn run(
        &self,
        statement: &flokk_clickhouse::Statement,
    ) -> Result<Vec<serde_json::Value>, BackendError> {
        let params: Vec<(&str, ParamValue)> = statement
            .params
            .iter()
            .map(|p| (p.name.as_str(), p.value.clone()))
            .collect();
        let text = self
            .http
            .query(&statement.sql, &params)
            .map_err(transport)?;
        json_rows(&text).map_err(transport)
    }
}

impl QueryBackend for ClickHouseBackend {
    type Members = ClickHouseMembers;
    type Error = BackendError;

    fn members(&self, query: &TypedQuery) -> Result<ClickHouseMembers, BackendError> {
        let statement = members_statement_with_segments(query, &self.as_of, &self.segments)?;
        let mut rows = Vec::new();
        for row in self.run(&statement)? {
            let id = row["customer_id"].as_str().unwrap_or_default().to_owned();
            let key = number(&row["customer_key"]).unwrap_or_default() as CustomerKey;
            rows.push((id, key));
        }
        Ok(ClickHouseMembers { rows })
    }

    fn member_count(&self, members: &ClickHouseMembers) -> u64 {
        members.rows.len() as u64
    }

    fn member_keys(&self, members: &ClickHouseMembers) -> Vec<CustomerKey> {
        let mut keys: Vec<CustomerKey> = members.rows.iter().map(|(_, k)| *k).collect();
        keys.sort_unstable();
        keys
    }

    fn count(&self, query: &TypedQuery) -> Result<CountAnswer, BackendError> {
        let started = std::time::Instant::now();
        let statement = count_statement(query, &self.as_of, &self.segments)?;
        let rows = self.run(&statement)?;
        let eval_ms = started.elapsed().as_secs_f64() * 1000.0;
        let row = rows
            .first()
            .ok_or_else(|| BackendError::Transport("ClickHouse answered no row".into()))?;
        let n = |k: &str| number(&row[k]).unwrap_or_default();
        let (total, count) = (n("total") as u64, n("count") as u64);
        let parts: Vec<&TypedExpr> = match &query.expr {
            TypedExpr::And { operands, .. } => operands.iter().collect(),
            e => vec![e],
        };
        let clauses = parts
            .iter()
            .enumerate()
            .map(|(i, e)| ClauseCount {
                text: e.to_string(),
                count: n(&format!("clause_{}", i + 1)) as u64,
            })
            .collect();
        let orders = n("orders") as u64;
        Ok(CountAnswer {
            count,
            total,
            percent: if total == 0 {
                0.0
            } else {
                count as f64 * 100.0 / total as f64
            },
            clauses,
            eval_ms,
            statistics: self.statistics_of(n("spent"), orders, count),
        })
    }

    fn clause_counts(&self, query: &TypedQuery) -> Result<Vec<ClauseCount>, BackendError> {
        Ok(self.count(query)?.clauses)
    }

    fn statistics(&self, members: &ClickHouseMembers) -> Result<Statistics, BackendError> {
        let ids: Vec<String> = members.rows.iter().map(|(id, _)| id.clone()).collect();
        let now = self.as_of.now.as_second();
        let text = self
            .http
            .query(
                "SELECT sum(toInt64(round(total * 10000)) - toInt64(round(refunded * 10000))) / 10000 \
                 AS spent, count() AS orders FROM orders FINAL \
                 WHERE NOT deleted AND NOT cancelled AND placed_at <= {now:Int64} \
                 AND customer_id IN {ids:Array(String)}",
                &[
                    ("now", ParamValue::Int(now)),
                    ("ids", ParamValue::Strings(ids)),
                ],
            )
            .map_err(transport)?;
        let rows = json_rows(&text).map_err(transport)?;
        let row = rows.first().cloned().unwrap_or_default();
        let count = members.rows.len();
        let spent = number(&row["spent"]).unwrap_or_default();
        let orders = number(&row["orders"]).unwrap_or_default() as u64;
        Ok(self.statistics_of(spent, orders, count as u64))
    }

    fn matching(
        &self,
        query: &TypedQuery,
        customers: &[CustomerKey],
    ) -> Result<Vec<CustomerKey>, BackendError> {
        let wanted: std::collections::BTreeSet<CustomerKey> = customers.iter().copied().collect();
        let members = self.members(query)?;
        Ok(self
            .member_keys(&members)
            .into_iter()
            .filter(|k| wanted.contains(k))
            .collect())
    }
}

/// Whether ClickHouse answers this command: `--backend`, else the store's
/// `backend` setting.
pub fn chosen(ctx: &Context, store: &Store) -> Result<bool, Failure> {
    Ok(match ctx.global.backend {
        Some(b) => b == Backend::Clickhouse,
        None => store.settings().get("backend")? == "clickhouse",
    })
}

/// The ClickHouse backend for this command, and the store's property
/// types for checking the query (read from the store: the engine is not
/// loaded when ClickHouse answers).
pub fn open(ctx: &Context, store: &Store) -> Result<(ClickHouseBackend, PropertyTypes), Failure> {
    let url = match &ctx.global.clickhouse_url {
        Some(u) => u.clone(),
        None => store.settings().get("clickhouse_url")?,
    };
    if url.is_empty() {
        return Err(Failure::user(anyhow::anyhow!(
            "the clickhouse backend needs --clickhouse-url or the clickhouse_url setting"
        ))
        .with_code("clickhouse_url_missing"));
    }
    let properties = store_property_types(store)?;
    let segments = saved_segments(store, &properties)?;
    let as_of = AsOf {
        now: ctx.now()?,
        tz: ctx.timezone(store)?,
    };
    let decimals = crate::query::currency_decimals(store)?;
    Ok((
        ClickHouseBackend::new(&url, as_of, segments, decimals),
        properties,
    ))
}

/// The store's custom property types, read from the store (no engine).
pub fn store_property_types(store: &Store) -> Result<PropertyTypes, Failure> {
    Ok(store
        .property_types()?
        .into_iter()
        .filter_map(|(key, ty)| {
            let ty = match ty {
                "Float" => ValueType::Float,
                "Date" => ValueType::Date,
                "String" => ValueType::String,
                "Boolean" => ValueType::Boolean,
                "List" => ValueType::List,
                _ => return None,
            };
            Some((key, ty))
        })
        .collect())
}

/// The store's live saved segments, checked, for `customer_segments`.
pub fn saved_segments(store: &Store, properties: &PropertyTypes) -> Result<SavedSegments, Failure> {
    let graph = flokk_segments::SegmentGraph::build(
        store.segments(flokk_store::SegmentFilter::Live)?,
        flokk_segments::static_lists(store)?,
        properties,
    );
    let definitions = graph.definitions();
    let mut segments = SavedSegments::default();
    for name in definitions.names() {
        if let Some(q) = definitions.get(name) {
            segments.insert(name, q.as_ref().clone());
        }
    }
    Ok(segments)
}

/// A backend error as the command's failure.
pub fn failure(e: BackendError) -> Failure {
    let user = matches!(e, BackendError::Dialect(_));
    let code = e.code();
    Failure::coded(code, user, e)
}
