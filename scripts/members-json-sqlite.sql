-- The alternative beside flokk members --format json in BENCHMARKS.md (issue 17):
-- one JSON object a customer, in id order: sqlite3 DIR/flokk.db < scripts/members-json-sqlite.sql > /dev/null
.mode list
.headers off
SELECT json_object('id', c.id, 'email', c.email, 'phone', c.phone, 'first_name', c.first_name,
  'last_name', c.last_name, 'title', c.title, 'amount_spent', coalesce(o.spent, 0),
  'number_of_orders', coalesce(o.n, 0), 'customer_language', c.language,
  'email_subscription_status', c.email_subscription, 'birth_date', c.birth_date,
  'customer_tags', (SELECT json_group_array(tag) FROM customer_tags t WHERE t.cid = c.cid),
  'addresses', (SELECT json_group_array(json_object('address1', a.address1, 'city', a.city,
     'region', a.region, 'country', a.country, 'zip', a.zip, 'lat', a.lat, 'lon', a.lon))
     FROM customer_addresses a WHERE a.cid = c.cid))
FROM customers c LEFT JOIN (SELECT cid, sum(total_units - refunded_units) / 10000.0 AS spent, count(*) AS n
  FROM orders WHERE cancelled = 0 GROUP BY cid) o ON o.cid = c.cid ORDER BY c.id;
