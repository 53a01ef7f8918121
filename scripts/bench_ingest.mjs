// Load generator for the tracking API (BENCHMARKS.md, "Tracking API
// throughput"): WORKERS concurrent senders post /v1/batch requests of
// BATCH track events for random customer ids of IDS_FILE for SECONDS, each
// retrying a 429 after its Retry-After like the Segment libraries; then
// times how long the saved segment SEGMENT (customers with a `Bench Event`)
// takes to count every customer sent to.
//   node scripts/bench_ingest.mjs BASE INGEST_KEY READ_KEY IDS_FILE SECONDS WORKERS BATCH SEGMENT
import { readFileSync } from "node:fs";

const [base, key, reader, idsFile, seconds, workers, batchSize, segment] = process.argv.slice(2);
const ids = readFileSync(idsFile, "utf8").split("\n").filter(Boolean);
const auth = "Basic " + Buffer.from(`${key}:`).toString("base64");
const touched = new Set();
let sent = 0;
let busy = 0;
let seq = 0;
const latencies = [];
const bytes = [];
const until = Date.now() + Number(seconds) * 1000;

function batch() {
  const now = new Date().toISOString();
  const messages = [];
  for (let i = 0; i < Number(batchSize); i++) {
    const userId = ids[Math.floor(Math.random() * ids.length)];
    touched.add(userId);
    messages.push({
      type: "track",
      userId,
      event: "Bench Event",
      messageId: `bench-${process.pid}-${seq++}`,
      timestamp: now,
      properties: { value: 12.5, sku: `SKU-${seq % 500}`, source: "bench" },
    });
  }
  return JSON.stringify({ batch: messages });
}

async function worker() {
  while (Date.now() < until) {
    const body = batch();
    bytes.push(body.length);
    for (;;) {
      const t = performance.now();
      const r = await fetch(`${base}/v1/batch`, {
        method: "POST",
        headers: { authorization: auth, "content-type": "application/json" },
        body,
      });
      const answer = await r.json();
      if (r.status === 429) {
        busy++;
        await new Promise((res) => setTimeout(res, Number(r.headers.get("retry-after") ?? 1) * 1000));
        continue;
      }
      if (r.status !== 200) throw new Error(`${r.status}: ${JSON.stringify(answer)}`);
      latencies.push(performance.now() - t);
      sent += answer.accepted;
      break;
    }
  }
}

const start = performance.now();
await Promise.all(Array.from({ length: Number(workers) }, worker));
const elapsed = (performance.now() - start) / 1000;
latencies.sort((a, b) => a - b);
const pct = (p) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))].toFixed(0);
console.log(
  `${sent} events accepted in ${elapsed.toFixed(1)} s: ${(sent / elapsed).toFixed(0)} events/s; ` +
    `${latencies.length} requests (~${Math.round(bytes.reduce((a, b) => a + b, 0) / bytes.length / 1024)} KB), ` +
    `latency p50 ${pct(0.5)} ms, p99 ${pct(0.99)} ms; ${busy} answered 429`,
);

// Segments staying live: the saved segment counts every customer sent to.
const done = performance.now();
for (;;) {
  const r = await fetch(`${base}/api/segments/${encodeURIComponent(segment)}`, {
    headers: { authorization: `Bearer ${reader}` },
  });
  const v = await r.json();
  const members = v.count ?? v.member_count ?? v.members;
  if (members >= touched.size) {
    console.log(`segment ${segment}: ${members} members (${touched.size} customers sent to), ` +
      `${((performance.now() - done) / 1000).toFixed(2)} s after the last answer`);
    break;
  }
  if (performance.now() - done > 30_000) {
    const q = encodeURIComponent("custom_event MATCHES (name = 'Bench Event')");
    const c = await (await fetch(`${base}/api/count?query=${q}`, { headers: { authorization: `Bearer ${reader}` } })).json();
    console.log(`the same query counted now: ${c.count}`);
    console.log(`segment ${segment}: ${members} of ${touched.size} after 30 s: ${JSON.stringify(v).slice(0, 300)}`);
    break;
  }
  await new Promise((res) => setTimeout(res, 50));
}
