// The storefront snippet (/js/flokk.js) in real Chromium, on a shop page
// served from another origin than flokk: nothing is sent and no cookie is
// set before consent; after the shop's consent call, the product view
// reaches flokk (with a first-party anonymous id) and
// storefront.product_viewed counts it. A page from an origin not in
// storefront_origins is refused.
//   node --test tests/browser/storefront_snippet.test.js

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const flokk = process.env.FLOKK_BIN ?? join(root, "target", "debug", "flokk");

let data;
let server;
let base;
let reader;
let publishable;
let shop;
let shopOrigin;
let browser;

before(async () => {
  data = mkdtempSync(join(tmpdir(), "flokk-snippet-"));
  execFileSync(flokk, ["--data", data, "demo", "--customers", "200", "--no-serve"], { stdio: "ignore" });
  const token = (name, scopes) =>
    execFileSync(flokk, ["--data", data, "token", "create", name, "--scopes", scopes], {
      stdio: ["ignore", "pipe", "ignore"],
    })
      .toString()
      .trim();
  publishable = token("storefront", "ingest");
  reader = token("checker", "read");
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
  // The shop: another origin (host localhost, its own port).
  shop = createServer((req, res) => {
    res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
    res.end(`<!doctype html><html><head><title>Shop</title>
      <script>window.flokk = window.flokk || []; flokk.push(["productViewed", "p-early"]);</script>
      <script src="${base}/js/flokk.js" data-key="${publishable}"></script>
      </head><body><h1>A product</h1></body></html>`);
  });
  await new Promise((resolve) => shop.listen(0, "127.0.0.1", resolve));
  shopOrigin = `http://localhost:${shop.address().port}`;
  execFileSync(flokk, ["--data", data, "config", "set", "storefront_origins", shopOrigin], { stdio: "ignore" });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
});

after(async () => {
  await browser?.close();
  shop?.close();
  server?.kill("SIGINT");
  if (data) rmSync(data, { recursive: true, force: true });
});

async function api(path) {
  const r = await fetch(`${base}${path}`, { headers: { authorization: `Bearer ${reader}` } });
  const body = await r.json();
  assert.equal(r.status, 200, JSON.stringify(body));
  return body;
}

const count = async (query) => (await api(`/api/count?query=${encodeURIComponent(query)}`)).count;

async function countBecomes(query, want) {
  let last;
  for (let i = 0; i < 100; i++) {
    last = await count(query);
    if (last === want) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`${query}: wanted ${want}, got ${last}`);
}

test("the snippet sends nothing before consent and counts a product view after", async () => {
  const customer = (await api("/api/customers?limit=1")).members[0].id;
  const page = await browser.newPage();
  const sent = [];
  page.on("request", (r) => {
    if (!r.url().startsWith(shopOrigin)) sent.push(r.url());
  });
  await page.goto(`${shopOrigin}/products/p-snippet`);
  await page.waitForFunction(() => window.flokk && typeof window.flokk.consent === "function");
  await page.evaluate((id) => {
    window.flokk.productViewed("p-snippet");
    window.flokk.identify(id);
  }, customer);
  await new Promise((r) => setTimeout(r, 500));
  // Only the snippet itself was fetched from flokk; no cookie yet.
  assert.deepEqual(sent, [`${base}/js/flokk.js`]);
  assert.equal(await page.evaluate(() => document.cookie), "");
  assert.equal(await count("storefront.product_viewed MATCHES (id = 'p-snippet')"), 0);

  await page.evaluate(() => window.flokk.consent(true));
  await countBecomes("storefront.product_viewed MATCHES (id = 'p-snippet')", 1);
  // The view made before the script loaded was kept for consent too.
  await countBecomes("storefront.product_viewed MATCHES (id = 'p-early')", 1);
  assert.ok(sent.includes(`${base}/v1/batch`), JSON.stringify(sent));
  assert.match(await page.evaluate(() => document.cookie), /^flokk_aid=[0-9a-f-]{32,36}$/);
  await page.close();
});

test("pages of other origins may not send", async () => {
  const r = await fetch(`${base}/v1/batch`, {
    method: "POST",
    headers: { "content-type": "text/plain", origin: "https://evil.example" },
    body: JSON.stringify({ writeKey: publishable, batch: [{ type: "track", userId: "x", event: "E" }] }),
  });
  assert.equal(r.status, 403);
  assert.equal((await r.json()).error.code, "origin_not_allowed");
});
