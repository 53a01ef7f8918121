"""Driver of scripts/bench-duckdb: loads the raw tables into DuckDB, builds a
per-customer summary, and times each question three ways (DuckDB over the raw
tables, DuckDB over the summary, flokk), checking that the counts agree.

`bench_duckdb.py WORK DATA NOW` asks `flokk count` on the store DATA.
`bench_duckdb.py WORK --profile FILE NOW` takes flokk's counts and medians
from the output of the `engine_profile` example instead (the 10M-customer
run, where the tables come from the `duckdb_tables` example and no store is
built); a question that output lacks is an error.

The questions' flokk texts are in
crates/flokk-engine/examples/bench_data/duckdb_questions.tsv, the list
engine_profile times too; their SQL is below, by name, and the two must name
the same questions.

Semantics follow language.md: "as of now" (orders after now are invisible),
cancelled orders count nowhere, whole store-local days (the demo is UTC):
`f > D` means f >= start(D+1), `f >= D` means f >= start(D).
"""
import json
import statistics
import subprocess
import sys
import time
from datetime import datetime, timedelta, timezone

import duckdb

if sys.argv[2] == "--profile":
    work, _, profile_path, now_text = sys.argv[1:5]
    data = None
    PROFILE = {}
    with open(profile_path) as f:
        for line in f:
            parts = line.split(None, 3)
            if len(parts) == 4 and parts[1] == "ms":
                PROFILE[parts[3].strip()] = (float(parts[0]), int(parts[2]))
else:
    work, data, now_text = sys.argv[1:4]
    PROFILE = None
now = datetime.fromisoformat(now_text.replace("Z", "+00:00"))
today = now.date()


def ns(d):
    """Midnight UTC of date d, in nanoseconds."""
    return int(datetime(d.year, d.month, d.day, tzinfo=timezone.utc).timestamp()) * 1_000_000_000


NOW = int(now.timestamp()) * 1_000_000_000
START_AFTER_365D = ns(today - timedelta(days=365) + timedelta(days=1))  # > -365d
START_AFTER_2Y = ns(today.replace(year=today.year - 2) + timedelta(days=1))  # > -2y
START_30D = ns(today - timedelta(days=30))  # >= -30d

if PROFILE is not None:
    # At 10M customers the tables and the summary outgrow memory: a database
    # file lets DuckDB's buffer manager evict to disk instead of failing.
    import os
    path = f"{work}/tables.duckdb"
    for stale in (path, path + ".wal"):
        if os.path.exists(stale):
            os.remove(stale)
    con = duckdb.connect(path)
else:
    con = duckdb.connect()
t0 = time.perf_counter()
con.execute(f"CREATE TABLE customers AS SELECT * FROM read_csv('{work}/customers.csv', header=false, columns={{'cid':'BIGINT','id':'VARCHAR','email_subscription':'VARCHAR'}})")
con.execute(f"CREATE TABLE addresses AS SELECT * FROM read_csv('{work}/addresses.csv', header=false, columns={{'cid':'BIGINT','country':'VARCHAR'}})")
con.execute(f"CREATE TABLE orders AS SELECT * FROM read_csv('{work}/orders.csv', header=false, columns={{'oid':'BIGINT','cid':'BIGINT','placed_at':'BIGINT','total':'DOUBLE','refunded':'DOUBLE','cancelled':'INTEGER'}})")
con.execute(f"CREATE TABLE lines AS SELECT oid, CAST(tags AS VARCHAR[]) AS tags FROM read_csv('{work}/lines.csv', header=false, columns={{'oid':'BIGINT','tags':'JSON'}})")
load_s = time.perf_counter() - t0

LIVE = f"o.cancelled = 0 AND o.placed_at <= {NOW}"
t0 = time.perf_counter()
con.execute(f"""CREATE TABLE summary AS
SELECT c.cid, c.email_subscription,
       coalesce(bool_or(upper(a.country) = 'NO'), false) AS in_no,
       coalesce(o.orders, 0) AS number_of_orders, coalesce(o.spent, 0) AS amount_spent,
       o.last_order
FROM customers c
LEFT JOIN addresses a ON a.cid = c.cid
LEFT JOIN (SELECT o.cid, count(*) AS orders, sum(o.total - o.refunded) AS spent,
                  max(o.placed_at) AS last_order
           FROM orders o WHERE {LIVE} GROUP BY o.cid) o ON o.cid = c.cid
GROUP BY ALL""")
con.execute(f"""CREATE TABLE line_tags AS
SELECT o.cid, o.placed_at, lower(t.tag) AS tag
FROM orders o JOIN lines l ON l.oid = o.oid, unnest(l.tags) AS t(tag)
WHERE {LIVE}""")
summary_s = time.perf_counter() - t0

RAW_ORDERS = f"(SELECT o.cid, count(*) AS n, sum(o.total - o.refunded) AS spent, max(o.placed_at) AS last FROM orders o WHERE {LIVE} GROUP BY o.cid)"
RAW_TAG = lambda tag, since: f"""(SELECT DISTINCT o.cid FROM orders o JOIN lines l ON l.oid = o.oid
    WHERE {LIVE} AND o.placed_at >= {since} AND list_contains(list_transform(l.tags, lambda x: lower(x)), '{tag}'))"""

SQL = {
    "5 clauses (attributes + one MATCHES)": (
        f"""SELECT count(*) FROM customers c JOIN {RAW_ORDERS} o ON o.cid = c.cid
            WHERE c.email_subscription = 'SUBSCRIBED'
              AND c.cid IN (SELECT cid FROM addresses WHERE upper(country) = 'NO')
              AND o.n >= 2 AND o.last >= {START_AFTER_365D}
              AND c.cid IN {RAW_TAG('shorts', START_AFTER_2Y)}""",
        f"""SELECT count(*) FROM summary s
            WHERE s.email_subscription = 'SUBSCRIBED' AND s.in_no AND s.number_of_orders >= 2
              AND s.last_order >= {START_AFTER_365D}
              AND s.cid IN (SELECT cid FROM line_tags WHERE tag = 'shorts' AND placed_at >= {START_AFTER_2Y})""",
    ),
    "amount_spent range": (
        f"SELECT count(*) FROM customers c LEFT JOIN {RAW_ORDERS} o ON o.cid = c.cid WHERE coalesce(o.spent, 0) BETWEEN 200 AND 1000",
        "SELECT count(*) FROM summary WHERE amount_spent BETWEEN 200 AND 1000",
    ),
    "NOT and recency": (
        f"SELECT count(*) FROM {RAW_ORDERS} o WHERE o.n >= 1 AND NOT (o.last >= {START_30D})",
        f"SELECT count(*) FROM summary WHERE number_of_orders >= 1 AND NOT (last_order >= {START_30D})",
    ),
    "NOT and a year's recency": (
        f"SELECT count(*) FROM {RAW_ORDERS} o WHERE o.n >= 1 AND NOT (o.last >= {START_AFTER_365D})",
        f"SELECT count(*) FROM summary WHERE number_of_orders >= 1 AND NOT (last_order >= {START_AFTER_365D})",
    ),
}
with open("crates/flokk-engine/examples/bench_data/duckdb_questions.tsv") as f:
    TEXTS = dict(line.rstrip("\n").split("\t", 1) for line in f if line.strip())
if set(TEXTS) != set(SQL):
    sys.exit(f"questions without SQL: {sorted(set(TEXTS) - set(SQL))}; SQL without a question: {sorted(set(SQL) - set(TEXTS))}")
QUESTIONS = [(name, query, *SQL[name]) for name, query in TEXTS.items()]


def median_ms(run, repeats=7):
    times = []
    result = None
    for _ in range(repeats):
        t = time.perf_counter()
        result = run()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), result


def flokk(query):
    if PROFILE is not None:
        ms, count = PROFILE[query]
        return ms, float("nan"), count
    evals, walls, count = [], [], None
    for _ in range(5):
        t = time.perf_counter()
        out = subprocess.run(
            ["target/release/flokk", "--data", data, "--now", now_text, "--json", "count", query],
            check=True, capture_output=True, text=True,
        )
        walls.append((time.perf_counter() - t) * 1000)
        v = json.loads(out.stdout)
        evals.append(v["eval_ms"])
        count = v["count"]
    return statistics.median(evals), statistics.median(walls), count


customers = con.execute("SELECT count(*) FROM customers").fetchone()[0]
orders = con.execute("SELECT count(*) FROM orders").fetchone()[0]
print(f"{customers} customers, {orders} orders; DuckDB {duckdb.__version__}")
print(f"DuckDB load of the raw tables: {load_s:.1f} s; building the summary: {summary_s:.1f} s")
print("| question | count | flokk eval (ms) | flokk process (ms) | DuckDB raw (ms) | DuckDB summary (ms) | raw / flokk | summary / flokk |")
print("|---|---|---|---|---|---|---|---|")
ok = True
if PROFILE is not None:
    missing = [name for name, query, _, _ in QUESTIONS if query not in PROFILE]
    if missing:
        sys.exit(f"engine_profile's output lacks {missing}: nothing to compare them with")
compared = 0
for name, query, raw_sql, summary_sql in QUESTIONS:
    f_eval, f_wall, f_count = flokk(query)
    raw_ms, raw_count = median_ms(lambda: con.execute(raw_sql).fetchone()[0])
    sum_ms, sum_count = median_ms(lambda: con.execute(summary_sql).fetchone()[0])
    agree = f_count == raw_count == sum_count
    wall = "n/a" if f_wall != f_wall else f"{f_wall:.0f}"
    ok &= agree
    compared += 1
    print(f"| {name} | {f_count}{'' if agree else f' (DuckDB raw {raw_count}, summary {sum_count})'} | {f_eval:.2f} | {wall} | {raw_ms:.1f} | {sum_ms:.1f} | {raw_ms / f_eval:.1f}x | {sum_ms / f_eval:.1f}x |")
if not ok:
    print("COUNTS DISAGREE", file=sys.stderr)
    sys.exit(1)
if compared != len(QUESTIONS) or compared == 0:
    sys.exit(f"compared {compared} of {len(QUESTIONS)} questions")
