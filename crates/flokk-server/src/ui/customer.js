// The customer page: profile, every computed and predicted field under its
// filter name, the segments the customer is in, and a timeline of records.

import { api, text, showStore } from "/ui/common.js";

const FACTS = [
  "amount_spent", "number_of_orders", "average_order_value", "first_order_date", "last_order_date",
  "customer_added_date", "abandoned_checkout_date", "number_of_tickets", "customer_tags",
  "customer_cities", "customer_countries", "email_subscription_status", "sms_subscription_status",
  "customer_language", "age", "gender", "predicted_gender", "rfm_group", "predicted_spend_tier",
  "predicted_number_of_orders", "churn_probability", "churn_risk", "predicted_clv", "total_clv",
  "expected_next_order_date", "random_bucket",
];

function shown(v) {
  if (v === null || v === undefined) return "—";
  if (Array.isArray(v)) return v.length ? v.join(", ") : "—";
  if (typeof v === "number") return Number.isInteger(v) ? v.toLocaleString() : v.toFixed(2);
  return String(v);
}

async function start() {
  const id = decodeURIComponent(location.pathname.replace(/^\/customers\//, ""));
  const { ok, body } = await api(`/api/customers/${encodeURIComponent(id)}`);
  if (!ok) {
    document.getElementById("problem").append(text("div", body.error.message, "error"));
    return;
  }
  const name = [body.title, body.first_name, body.last_name].filter(Boolean).join(" ");
  document.getElementById("customer-title").textContent = name ? `${name} (${body.id})` : body.id;
  document.title = `flokk: ${name || body.id}`;
  document.getElementById("contact").textContent = [body.email, body.phone].filter(Boolean).join(" · ");
  document.getElementById("segments").replaceChildren(
    ...(body.segments.length ? body.segments : ["in no segment"]).map((s) => text("li", s)),
  );
  const facts = document.getElementById("facts");
  for (const key of FACTS) {
    facts.append(text("dt", key), text("dd", shown(body[key])));
  }
  document.getElementById("timeline").replaceChildren(
    ...body.timeline.map((item) => {
      const li = document.createElement("li");
      const time = text("time", new Date(item.at).toLocaleString());
      time.dateTime = item.at;
      li.append(time, text("span", item.kind, `badge kind-${item.kind}`), text("span", item.summary));
      if (item.cancelled) li.append(text("span", "cancelled", "badge"));
      return li;
    }),
  );
}

showStore();
start();
