"""Driver of scripts/bench-export: DuckDB's COPY ... TO of the columns of
flokk's default export (Shopify's customer columns: the record's fields, the
default address, tags joined with ", ", live order count and spend), from
the store's raw tables loaded into DuckDB beforehand (not timed).

`bench_export_duckdb.py WORK NOW` prints "duckdb-csv SECONDS ROWS" (median
of three runs) after "duckdb-load SECONDS".
"""
import statistics
import sys
import time
from datetime import datetime

import duckdb

work, now_text = sys.argv[1:3]
now = datetime.fromisoformat(now_text.replace("Z", "+00:00"))
NOW = int(now.timestamp()) * 1_000_000_000

con = duckdb.connect()
t0 = time.perf_counter()
con.execute(f"""CREATE TABLE customers AS SELECT * FROM read_csv('{work}/customers.csv',
    header=false, columns={{'cid':'BIGINT','id':'VARCHAR','first_name':'VARCHAR',
    'last_name':'VARCHAR','email':'VARCHAR','email_subscription':'VARCHAR','phone':'VARCHAR',
    'sms_subscription':'VARCHAR','note':'VARCHAR','tax_exempt':'INTEGER'}})""")
con.execute(f"""CREATE TABLE addresses AS SELECT * FROM read_csv('{work}/addresses.csv',
    header=false, columns={{'cid':'BIGINT','pos':'INTEGER','is_default':'INTEGER',
    'company':'VARCHAR','address1':'VARCHAR','address2':'VARCHAR','city':'VARCHAR',
    'region':'VARCHAR','country':'VARCHAR','zip':'VARCHAR','phone':'VARCHAR'}})""")
con.execute(f"""CREATE TABLE tags AS SELECT * FROM read_csv('{work}/tags.csv', header=false,
    columns={{'cid':'BIGINT','pos':'INTEGER','tag':'VARCHAR'}})""")
con.execute(f"""CREATE TABLE orders AS SELECT * FROM read_csv('{work}/orders.csv', header=false,
    columns={{'cid':'BIGINT','placed_at':'BIGINT','total':'DOUBLE','refunded':'DOUBLE',
    'cancelled':'INTEGER'}})""")
print(f"duckdb-load {time.perf_counter() - t0:.2f}")

EXPORT = f"""
WITH default_address AS (
    SELECT * FROM addresses
    QUALIFY row_number() OVER (PARTITION BY cid ORDER BY is_default DESC, pos) = 1),
  tag_list AS (
    SELECT cid, string_agg(tag, ', ' ORDER BY pos) AS tags FROM tags GROUP BY cid),
  totals AS (
    SELECT cid, count(*) AS orders, sum(total - refunded) AS spent FROM orders
    WHERE cancelled = 0 AND placed_at <= {NOW} GROUP BY cid)
SELECT c.id AS "Customer ID", c.first_name AS "First Name", c.last_name AS "Last Name",
    c.email AS "Email",
    CASE WHEN c.email_subscription = 'SUBSCRIBED' THEN 'yes' ELSE 'no' END
        AS "Accepts Email Marketing",
    a.company AS "Default Address Company", a.address1 AS "Default Address Address1",
    a.address2 AS "Default Address Address2", a.city AS "Default Address City",
    upper(split_part(a.region, '-', -1)) AS "Default Address Province Code",
    upper(a.country) AS "Default Address Country Code", a.zip AS "Default Address Zip",
    a.phone AS "Default Address Phone", c.phone AS "Phone",
    CASE WHEN c.sms_subscription = 'SUBSCRIBED' THEN 'yes' ELSE 'no' END
        AS "Accepts SMS Marketing",
    coalesce(t.spent, 0) AS "Total Spent", coalesce(t.orders, 0) AS "Total Orders",
    c.note AS "Note", CASE WHEN c.tax_exempt = 1 THEN 'yes' ELSE 'no' END AS "Tax Exempt",
    g.tags AS "Tags"
FROM customers c
LEFT JOIN default_address a ON a.cid = c.cid
LEFT JOIN tag_list g ON g.cid = c.cid
LEFT JOIN totals t ON t.cid = c.cid
ORDER BY c.id
"""
times = []
for _ in range(3):
    t0 = time.perf_counter()
    con.execute(f"COPY ({EXPORT}) TO '{work}/duckdb.csv' (HEADER)")
    times.append(time.perf_counter() - t0)
rows = con.execute(f"SELECT count(*) FROM read_csv('{work}/duckdb.csv')").fetchone()[0]
print(f"duckdb-csv {statistics.median(times):.2f} {rows}")
