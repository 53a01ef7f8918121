//! ClickHouse's HTTP interface, as `flokk clickhouse sync` and the
//! ClickHouse backend talk to it: statements with `param_<name>` values,
//! `JSONEachRow` answers and inserts, errors with ClickHouse's own text.

use anyhow::{Context as _, anyhow};
use flokk_clickhouse::ParamValue;
use flokk_clickhouse::rows::Rows;
use flokk_clickhouse::schema::TABLES;

/// ClickHouse's HTTP interface.
pub struct Http {
    agent: ureq::Agent,
    url: String,
}

impl Http {
    pub fn new(url: &str) -> Self {
        let agent = ureq::Agent::config_builder()
            .timeout_global(Some(std::time::Duration::from_secs(300)))
            .http_status_as_error(false)
            .build()
            .into();
        Http {
            agent,
            url: url.to_owned(),
        }
    }

    /// Sends `body`, with URL parameters `args`; the answer's text.
    pub fn post(&self, args: &[(&str, String)], body: &str) -> anyhow::Result<String> {
        let mut request = self.agent.post(&self.url);
        for (k, v) in args {
            request = request.query(*k, v);
        }
        let mut response = request
            .send(body)
            .with_context(|| format!("cannot reach ClickHouse at {}", self.url))?;
        let status = response.status();
        let text = response.body_mut().read_to_string().unwrap_or_default();
        if status.is_success() {
            Ok(text)
        } else {
            Err(anyhow!("ClickHouse answered {status}: {}", text.trim()))
        }
    }

    pub fn query(&self, sql: &str, params: &[(&str, ParamValue)]) -> anyhow::Result<String> {
        let mut args: Vec<(String, String)> = params
            .iter()
            .map(|(n, v)| (format!("param_{n}"), v.wire_text()))
            .collect();
        args.push(("default_format".into(), "JSONEachRow".into()));
        let args: Vec<(&str, String)> = args.iter().map(|(k, v)| (k.as_str(), v.clone())).collect();
        self.post(&args, sql)
    }

    /// Inserts every row of `rows`, table by table, and empties it.
    pub fn insert(&self, rows: &mut Rows) -> anyhow::Result<()> {
        for t in TABLES {
            let body = rows.json_each_row(t.name);
            if !body.is_empty() {
                let sql = format!("INSERT INTO {} FORMAT JSONEachRow", t.name);
                self.post(&[("query", sql)], &body)?;
            }
        }
        rows.tables.clear();
        Ok(())
    }

    pub fn acknowledged(&self) -> anyhow::Result<Option<u64>> {
        let text = self.query(
            "SELECT max(sequence) AS s, count() AS n FROM flokk_sync FINAL",
            &[],
        )?;
        let row: serde_json::Value = serde_json::from_str(text.trim()).context("flokk_sync")?;
        let number = |v: &serde_json::Value| {
            v.as_u64()
                .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
        };
        Ok(match number(&row["n"]) {
            Some(0) | None => None,
            Some(_) => number(&row["s"]),
        })
    }

    pub fn acknowledge(&self, sequence: u64) -> anyhow::Result<()> {
        self.post(
            &[("query", "INSERT INTO flokk_sync FORMAT JSONEachRow".into())],
            &serde_json::json!({"id": 0, "sequence": sequence}).to_string(),
        )?;
        Ok(())
    }
}

/// The JSON rows of a `JSONEachRow` answer.
pub fn json_rows(text: &str) -> anyhow::Result<Vec<serde_json::Value>> {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).with_context(|| format!("ClickHouse answered {l:?}")))
        .collect()
}

/// A number in a JSON row (ClickHouse quotes 64-bit integers).
pub fn number(v: &serde_json::Value) -> Option<f64> {
    v.as_f64()
        .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
}
