// An official Segment client library, @segment/analytics-node, pointed at
// flokk's host with an ingest token as its write key: the identify and
// track it sends become queryable (GET /api/count), without any change to
// the library. Run by scripts/test with the browser tests (it uses
// target/debug/flokk):
//   node --test tests/browser/segment_client.test.js

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Analytics } from "@segment/analytics-node";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const flokk = process.env.FLOKK_BIN ?? join(root, "target", "debug", "flokk");

let data;
let server;
let base;
let admin;
let writeKey;

before(async () => {
  data = mkdtempSync(join(tmpdir(), "flokk-segment-"));
  execFileSync(flokk, ["--data", data, "demo", "--customers", "200", "--no-serve"], { stdio: "ignore" });
  const token = (name, scopes) =>
    execFileSync(flokk, ["--data", data, "token", "create", name, "--scopes", scopes], {
      stdio: ["ignore", "pipe", "ignore"],
    })
      .toString()
      .trim();
  writeKey = token("website", "ingest");
  admin = token("checker", "read");
  // The real clock: the library stamps events with now.
  server = spawn(flokk, ["--data", data, "serve", "--listen", "127.0.0.1:0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  base = await new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (chunk) => {
      out += chunk;
      const address = out.match(/serving on (http:\/\/[^\s/]+)\//);
      if (address) resolve(address[1]);
    });
    server.on("exit", (code) => reject(new Error(`flokk serve exited with ${code}`)));
    setTimeout(() => reject(new Error("flokk serve did not start")), 60_000).unref();
  });
});

after(() => {
  server?.kill("SIGINT");
  if (data) rmSync(data, { recursive: true, force: true });
});

async function count(query) {
  const r = await fetch(`${base}/api/count?query=${encodeURIComponent(query)}`, {
    headers: { authorization: `Bearer ${admin}` },
  });
  const body = await r.json();
  assert.equal(r.status, 200, JSON.stringify(body));
  return body.count;
}

async function countBecomes(query, want) {
  let last;
  for (let i = 0; i < 100; i++) {
    last = await count(query);
    if (last === want) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${query}: wanted ${want}, got ${last}`);
}

test("analytics-node's identify and track become queryable", async () => {
  const analytics = new Analytics({ writeKey, host: base, flushInterval: 100 });
  const errors = [];
  analytics.on("error", (e) => errors.push(e));
  analytics.identify({
    userId: "segment-user-1",
    traits: { email: "ada@example.com", firstName: "Ada", plan: "enterprise" },
  });
  analytics.track({
    userId: "segment-user-1",
    event: "Order Completed",
    properties: { revenue: 42.5, currency: "USD" },
  });
  await analytics.closeAndFlush({ timeout: 10_000 });
  assert.deepEqual(errors, []);
  await countBecomes("metafields.custom.plan = 'enterprise'", 1);
  await countBecomes("custom_event MATCHES (name = 'Order Completed', sum_value >= 42)", 1);
  await countBecomes("customer_email_domain = 'example.com' AND metafields.custom.plan = 'enterprise'", 1);
});
