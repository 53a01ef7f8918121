"""One-record writes through the API (scripts/bench-http --writes; BENCHMARKS.md,
"One-record writes"): saves 20 segments covering every filter family over the
API, then sends single-order imports one after another and prints the latency
percentiles as one JSON line.

    bench_writes.py URL TOKEN STORE_DB WRITES
"""
import http.client
import json
import random
import sqlite3
import sys
import time
import urllib.parse

# One segment a filter family (several where a family has more than one
# storage path); the predictive ones are the point of issue 29.
SEGMENTS = [
    ("churning repeaters", "churn_risk = 'HIGH' AND number_of_orders > 1"),
    ("champions", "rfm_group = 'CHAMPIONS'"),
    ("at risk", "rfm_group = 'AT_RISK' OR rfm_group = 'PREVIOUSLY_LOYAL'"),
    ("high spend tier", "predicted_spend_tier = 'HIGH'"),
    ("valuable", "predicted_clv > 200 OR churn_probability > 0.8"),
    ("due soon", "expected_next_order_date < +30d AND predicted_number_of_orders > 0.5"),
    ("frequent", "number_of_orders >= 3 AND average_days_between_orders < 90"),
    ("big spenders", "amount_spent > 500 AND total_clv > 600"),
    ("recent", "last_order_date > -90d AND first_order_date < -365d"),
    ("abandoned", "abandoned_checkout_date >= -30d"),
    ("norwegian vips", "customer_tags CONTAINS 'vip' OR customer_countries CONTAINS 'NO'"),
    ("subscribed", "email_subscription_status = 'SUBSCRIBED' AND customer_added_date > -730d"),
    ("bought lately", "products_purchased MATCHES (date > -1y, count >= 2)"),
    ("ordered lately", "orders_placed MATCHES (date > -90d, count >= 2)"),
    ("email openers", "shopify_email.opened MATCHES (date > -30d)"),
    ("browsers", "storefront.product_viewed MATCHES (date > -30d)"),
    ("near oslo", "customer_within_distance MATCHES (coordinates = (59.91, 10.75), distance_km = 50)"),
    ("ticket buyers", "tickets_purchased MATCHES (date > -1y) OR number_of_tickets > 2"),
    ("custom events", "custom_event MATCHES (date > -90d) OR random_bucket < 100"),
    ("nested", "customer_segments CONTAINS 'champions' AND predicted_gender = 'LIKELY_FEMALE'"),
]


def percentile(sorted_values, p):
    return sorted_values[round((len(sorted_values) - 1) * p)]


def main():
    url, token, db, writes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
    headers = {"authorization": f"Bearer {token}"}

    def call(method, path, body=None, content_type="application/json"):
        h = dict(headers)
        if body is not None:
            h["content-type"] = content_type
        conn.request(method, path, body=body, headers=h)
        r = conn.getresponse()
        data = r.read()
        if r.status >= 300:
            sys.exit(f"{method} {path}: {r.status} {data[:500]!r}")
        return json.loads(data) if data else None

    started = time.perf_counter()
    for name, query in SEGMENTS:
        call("POST", "/api/segments", json.dumps({"name": name, "query": query}))
    saved = time.perf_counter() - started
    ids = [r[0] for r in sqlite3.connect(db).execute("SELECT id FROM customers")]
    random.seed(29)
    latencies = []
    for i in range(writes):
        order = {
            "kind": "order",
            "id": f"bench-write-{i}",
            "customer_id": random.choice(ids),
            "placed_at": "2026-11-24T09:00:00Z",
            "total": round(random.uniform(10, 500), 2),
        }
        sent = time.perf_counter()
        answer = call("POST", "/api/import", json.dumps(order) + "\n", "application/x-ndjson")
        latencies.append((time.perf_counter() - sent) * 1000)
        assert answer["imported"].get("order") == 1, answer
    latencies.sort()
    print(json.dumps({
        "customers": len(ids),
        "segments": len(SEGMENTS),
        "save_segments_s": round(saved, 1),
        "writes": writes,
        "p50_ms": round(percentile(latencies, 0.5), 2),
        "p90_ms": round(percentile(latencies, 0.9), 2),
        "p99_ms": round(percentile(latencies, 0.99), 2),
        "max_ms": round(latencies[-1], 2),
    }))


if __name__ == "__main__":
    main()
