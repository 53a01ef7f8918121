// The web UI in real Chromium: a demo store is built and served by the
// flokk binary, and a merchant's path through the UI is driven by
// playwright-core: the segment index, typing a query and watching the count
// change, an error shown where it is and fixed from its suggestion, the
// first customers listed, save, rename, delete and restore, a customer page.
// The server's first start prints an admin token; the browser signs in
// with it on the sign-in page, and the API calls the test makes send it.
// Screenshots of each page go to test-output/browser/.
//
// Run by scripts/test after the Rust tests (it uses target/debug/flokk):
//   node --test tests/browser/

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn, execFileSync } from "node:child_process";
import { mkdtempSync, mkdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const flokk = process.env.FLOKK_BIN ?? join(root, "target", "debug", "flokk");
const shots = join(root, "test-output", "browser");
const NOW = "2026-11-24T12:00:00Z";

let data;
let server;
let base;
let token;
let browser;
let page;
let stopping = false;

before(async () => {
  mkdirSync(shots, { recursive: true });
  // FLOKK_BROWSER_STORE=DIR runs against an existing store instead (for
  // the keystroke-to-count figure at 1M customers in BENCHMARKS.md:
  // scripts/bench-ui DIR); it is left in place.
  data = process.env.FLOKK_BROWSER_STORE ?? mkdtempSync(join(tmpdir(), "flokk-browser-"));
  if (!process.env.FLOKK_BROWSER_STORE) {
    execFileSync(flokk, ["--data", data, "--now", NOW, "demo", "--customers", "2000", "--no-serve"], {
      stdio: "ignore",
    });
  }
  server = spawn(flokk, ["--data", data, "--now", NOW, "serve", "--listen", "127.0.0.1:0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  [base, token] = await new Promise((resolve, reject) => {
    let out = "";
    server.stdout.on("data", (chunk) => {
      out += chunk;
      const address = out.match(/serving on (http:\/\/[^\s/]+)\//);
      const secret = out.match(/^\s+(flokk_\S+)$/m);
      if (address && secret) resolve([address[1], secret[1]]);
    });
    server.on("exit", (code, signal) => reject(new Error(`flokk serve exited with ${code} (${signal})`)));
    // unref: a pending timer would keep the test process alive after the tests.
    setTimeout(() => reject(new Error("flokk serve did not start")), 60_000).unref();
  });
  // Said at once if the server stops while the tests still need it.
  server.on("exit", (code, signal) => {
    if (!stopping) console.error(`flokk serve stopped during the tests: exit code ${code}, signal ${signal}`);
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on("dialog", (d) => d.accept());
});

after(async () => {
  stopping = true;
  await browser?.close();
  server?.kill();
  if (data && !process.env.FLOKK_BROWSER_STORE) rmSync(data, { recursive: true, force: true });
});

async function api(path) {
  const r = await fetch(base + path, { headers: { authorization: `Bearer ${token}` } });
  return r.json();
}

test("a browser without a session is sent to sign in, and signs in with the token", async () => {
  await page.goto(base + "/");
  await page.waitForURL(/\/signin\?next=\/$/);
  await page.fill("#token", "flokk_wrong");
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.locator("#signin-error .error").waitFor();
  assert.match(await page.locator("#signin-error").innerText(), /unknown or revoked/);
  await page.fill("#token", token);
  await page.screenshot({ path: join(shots, "signin.png"), fullPage: true });
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(base + "/");
  const cookies = await page.context().cookies();
  const session = cookies.find((c) => c.name === "flokk_session");
  assert.ok(session?.httpOnly, "the session cookie is HttpOnly");
  assert.equal(session.sameSite, "Strict");
});

test("the segment index lists the built-in segments with counts", async () => {
  await page.goto(base + "/");
  await page.waitForSelector("#segments tbody tr");
  const rows = await page.locator("#segments tbody tr").count();
  assert.equal(rows, 5);
  const first = await page.locator("#segments tbody tr").first().innerText();
  assert.match(first, /Abandoned checkouts in the last 30 days/);
  // Each row's name and count are the API's, in the API's order (the
  // page's default sort, by name).
  const shown = await page.locator("#segments tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [tr.querySelector("td a").textContent, Number(tr.children[1].textContent.replace(/\D/g, ""))]),
  );
  const listed = (await api("/api/segments?sort=name&deleted=false")).segments.map((s) => [s.name, s.count]);
  assert.deepEqual(shown, listed);
  assert.ok(listed.some(([, n]) => n > 0), `every built-in segment is empty: ${JSON.stringify(listed)}`);
  assert.ok((await page.locator("#templates li").count()) >= 10, "templates are shown");
  await page.screenshot({ path: join(shots, "index.png"), fullPage: true });
});

test("typing a query updates the count; an error is shown and fixed from its suggestion", async () => {
  await page.goto(base + "/segments/new");
  await page.waitForFunction(() => document.getElementById("count").textContent !== "–");
  const query = page.locator("#query");
  await query.fill("");
  await query.pressSequentially("number_of_orders >= 2");
  const want = (await api(`/api/count?query=${encodeURIComponent("number_of_orders >= 2")}`)).count;
  await page.waitForFunction(
    (n) => document.getElementById("count").textContent === n.toLocaleString(),
    want,
  );
  // A typo: the error says where and offers the fix.
  await query.fill("number_of_ordrs >= 2");
  const error = page.locator("#errors .error");
  await error.waitFor();
  assert.match(await error.innerText(), /line 1, column 1/);
  assert.equal(await error.getAttribute("data-code"), "unknown_filter");
  // Underlined where it is, in the query itself.
  assert.equal(await page.locator("pre.highlight .err").innerText(), "number_of_ordrs");
  await page.screenshot({ path: join(shots, "editor-error.png"), fullPage: true });
  await page.getByRole("button", { name: "Replace with number_of_orders" }).click();
  assert.equal(await query.inputValue(), "number_of_orders >= 2");
  await page.waitForFunction(() => document.querySelectorAll("#errors .error").length === 0);
  await page.waitForFunction(
    (n) => document.getElementById("count").textContent === n.toLocaleString(),
    want,
  );
});

test("apply lists customers; save, rename, delete and restore a segment", async () => {
  await page.getByRole("button", { name: /Apply/ }).click();
  await page.waitForSelector("#members tbody tr");
  // The first 50 by amount spent, as the API lists them.
  const rows = await page.locator("#members tbody tr").evaluateAll((trs) =>
    trs.map((tr) => [tr.children[0].textContent, tr.children[2].textContent]),
  );
  const first = await api(`/api/members?limit=50&sort=-amount_spent&query=${encodeURIComponent("number_of_orders >= 2")}`);
  assert.deepEqual(rows, first.members.map((m) => [m.id, String(m.number_of_orders)]));
  assert.equal(rows.length, Math.min(50, first.count));
  assert.ok(rows.length > 0);

  await page.fill("#name", "Repeat buyers");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.waitForFunction(() => /^\/segments\/\d+$/.test(location.pathname));
  assert.equal(await page.locator("#editor-title").innerText(), "Repeat buyers");
  const saved = await api("/api/segments?search=repeat%20buyers");
  assert.equal(saved.segments.length, 1);
  assert.equal(saved.segments[0].query, "number_of_orders >= 2");
  await page.screenshot({ path: join(shots, "editor-saved.png"), fullPage: true });

  await page.fill("#name", "Repeaters");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.waitForFunction(() => document.getElementById("editor-title").textContent === "Repeaters");

  await page.getByRole("button", { name: /Delete/ }).click();
  await page.waitForURL(base + "/");
  await page.check("#deleted");
  const restore = page.getByRole("button", { name: "Restore Repeaters" });
  await restore.waitFor();
  await page.screenshot({ path: join(shots, "index-deleted.png"), fullPage: true });
  await restore.click();
  await page.uncheck("#deleted");
  await page.waitForSelector("text=Repeaters");
  const live = await api("/api/segments?search=repeaters");
  assert.equal(live.segments.length, 1);
  assert.equal(live.segments[0].deleted, false);
});

test("a customer page shows fields, segments and a timeline", async () => {
  const members = await api(`/api/members?query=${encodeURIComponent("number_of_orders >= 2")}&limit=1`);
  const id = members.members[0].id;
  await page.goto(`${base}/customers/${encodeURIComponent(id)}`);
  await page.waitForSelector("#segments li");
  const segments = await page.locator("#segments li").allInnerTexts();
  assert.ok(segments.includes("Repeaters"), `segments: ${segments}`);
  // The page shows the profile the API gives: its segments and every
  // timeline entry, in order.
  const profile = await api(`/api/customers/${encodeURIComponent(id)}`);
  assert.deepEqual(segments, profile.segments);
  const timeline = await page.locator("#timeline li time").evaluateAll((ts) => ts.map((t) => t.dateTime));
  assert.deepEqual(timeline, profile.timeline.map((item) => item.at));
  assert.ok(timeline.length >= 2, "a customer with two orders has at least two timeline entries");
  await page.screenshot({ path: join(shots, "customer.png"), fullPage: true });
});

test("autocompletion offers filters, operators and the store's values", async () => {
  await page.goto(base + "/segments/new");
  await page.waitForFunction(() => document.getElementById("count").textContent !== "–");
  const query = page.locator("#query");
  await query.fill("");
  await query.pressSequentially("customer_ta");
  const options = page.locator("#completions [role=option]");
  await options.first().waitFor();
  assert.match(await options.first().innerText(), /^customer_tags/);
  await query.press("Enter");
  assert.equal(await query.inputValue(), "customer_tags ");
  await options.first().waitFor();
  assert.deepEqual(
    (await options.allInnerTexts()).map((t) => t.trim()),
    ["CONTAINS", "NOT CONTAINS", "IS NULL", "IS NOT NULL"],
  );
  await query.press("Enter");
  assert.equal(await query.inputValue(), "customer_tags CONTAINS ");
  // Values: the store's tags, most used first, as the API ranks them.
  const top = (await api("/api/suggest?filter=customer_tags")).values[0];
  await page.waitForFunction(
    (v) => document.querySelector("#completions [role=option]")?.textContent.startsWith(v),
    top.value,
  );
  await page.screenshot({ path: join(shots, "editor-completion.png"), fullPage: true });
  await query.press("Tab");
  assert.equal(await query.inputValue(), `customer_tags CONTAINS '${top.value}' `);
  const want = (await api(`/api/count?query=${encodeURIComponent(`customer_tags CONTAINS '${top.value}'`)}`)).count;
  await page.waitForFunction((n) => document.getElementById("count").textContent === n.toLocaleString(), want);
  // The highlighter colours the same text.
  assert.equal(await page.locator("pre.highlight .tok-keyword").first().innerText(), "CONTAINS");
});

test("the visual builder writes the query text and reads it back", async () => {
  await page.goto(base + "/segments/new");
  await page.waitForFunction(() => document.getElementById("count").textContent !== "–");
  await page.locator("#builder summary").click();
  // The default query is two rows joined by AND.
  await page.waitForSelector("#builder-rows .builder-row");
  assert.equal(await page.locator("#builder-rows .builder-row").count(), 2);
  await page.locator("#query").fill("");
  await page.locator("#query").press("Space");
  await page.locator("#query").press("Backspace");
  await page.waitForFunction(() => document.querySelectorAll("#builder-rows .builder-row").length === 0);
  await page.getByRole("button", { name: "+ condition" }).click();
  await page.getByLabel("Condition 1: filter").selectOption("amount_spent");
  await page.getByLabel("Condition 1: operator").selectOption(">");
  await page.getByLabel("Condition 1: value").fill("100");
  await page.getByRole("button", { name: "+ condition" }).click();
  await page.getByLabel("Condition 2: filter").selectOption("customer_tags");
  await page.getByLabel("Condition 2: operator").selectOption("NOT CONTAINS");
  await page.getByLabel("Condition 2: value").fill("wholesale");
  await page.locator("#builder-join").selectOption("OR");
  const text = "amount_spent > 100 OR customer_tags NOT CONTAINS 'wholesale'";
  assert.equal(await page.locator("#query").inputValue(), text);
  const want = (await api(`/api/count?query=${encodeURIComponent(text)}`)).count;
  await page.waitForFunction((n) => document.getElementById("count").textContent === n.toLocaleString(), want);
  // An activity with its own parameters.
  await page.getByRole("button", { name: "+ condition" }).click();
  await page.getByLabel("Condition 3: filter").selectOption("orders_placed");
  await page.getByLabel("Condition 3, parameter 1", { exact: true }).selectOption("date");
  await page.getByLabel("Condition 3, parameter 1: operator").selectOption(">");
  await page.getByLabel("Condition 3, parameter 1: value").fill("-30d");
  const built = `${text} OR orders_placed MATCHES (date > -30d)`;
  assert.equal(await page.locator("#query").inputValue(), built);
  await page.screenshot({ path: join(shots, "editor-builder.png"), fullPage: true });
  // Saved, the segment holds exactly the text the builder wrote.
  await page.fill("#name", "Built visually");
  await page.getByRole("button", { name: "Save", exact: true }).click();
  await page.waitForFunction(() => document.getElementById("editor-title").textContent === "Built visually");
  const saved = await api("/api/segments?search=built%20visually");
  assert.equal(saved.segments[0].query, built);
  // Text typed in the editor is read back into rows.
  await page.locator("#query").fill("");
  await page.locator("#query").pressSequentially("number_of_orders >= 2 AND customer_tags CONTAINS 'vip'");
  await page.waitForFunction(() => document.querySelectorAll("#builder-rows .builder-row").length === 2);
  assert.equal(await page.getByLabel("Condition 1: filter").inputValue(), "number_of_orders");
  assert.equal(await page.getByLabel("Condition 1: value").inputValue(), "2");
  assert.equal(await page.getByLabel("Condition 2: value").inputValue(), "vip");
  // What the builder cannot show, it says, instead of showing it wrongly.
  await page.locator("#query").fill("");
  await page.locator("#query").pressSequentially("(amount_spent > 1 OR number_of_orders > 1) AND customer_tags CONTAINS 'x'");
  await page.waitForFunction(() => document.getElementById("builder-note").textContent.includes("cannot show"));
});

test("the customers of a query download as a spreadsheet file", async () => {
  await page.goto(base + "/segments/new?query=" + encodeURIComponent("number_of_orders >= 2"));
  await page.waitForFunction(() => document.getElementById("count").textContent !== "–");
  await page.locator("#export-format").selectOption("csv-excel");
  const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Download" }).click()]);
  assert.equal(download.suggestedFilename(), "customers-csv-excel.csv");
  const file = join(shots, "..", "export.csv");
  await download.saveAs(file);
  const content = (await import("node:fs")).readFileSync(file, "utf8");
  assert.ok(content.startsWith("\ufeffCustomer ID,First Name"), content.slice(0, 80));
  const want = (await api(`/api/count?query=${encodeURIComponent("number_of_orders >= 2")}`)).count;
  assert.equal(content.trim().split("\r\n").length, want + 1);
});

test("tag a segment from its page with counts before and after; create unique discount codes and download them", async () => {
  const query = "number_of_orders >= 2";
  const created = await fetch(base + "/api/segments", {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "Repeat buyers", query }),
  }).then((r) => r.json());
  const members = (await api(`/api/count?query=${encodeURIComponent(query)}`)).count;
  assert.ok(members > 0);
  await page.goto(base + `/segments/${created.id}`);
  await page.waitForSelector("#actions:not([hidden])");
  await page.locator("#tag-action summary").click();
  await page.fill("#tag-name", "thanked-2026");
  // Before: nobody has the new tag.
  const row = page.locator('#tag-counts tbody tr[data-tag="thanked-2026"]');
  await row.waitFor();
  assert.equal(await row.locator("td").nth(1).innerText(), `0 of ${members.toLocaleString()}`);
  assert.equal(await row.locator("td").nth(2).innerText(), "0");
  await page.getByRole("button", { name: "Tag customers" }).click();
  await page.waitForFunction(() => document.getElementById("tag-result").textContent.startsWith("Tagged"));
  const result = await page.locator("#tag-result").innerText();
  assert.match(result, new RegExp(`^Tagged ${members.toLocaleString()}, already had 0`));
  // After: every member has it, and the counts say so.
  await page.waitForFunction(
    (n) => document.querySelector('#tag-counts tbody tr[data-tag="thanked-2026"] td:nth-child(2)')?.textContent.startsWith(n),
    members.toLocaleString(),
  );
  assert.equal((await api(`/api/count?query=${encodeURIComponent("customer_tags CONTAINS 'thanked-2026'")}`)).count, members);
  // Tagging again tags nobody.
  await page.getByRole("button", { name: "Tag customers" }).click();
  await page.waitForFunction(
    (n) => document.getElementById("tag-result").textContent.startsWith(`Tagged 0, already had ${n}`),
    members.toLocaleString(),
  );

  await page.locator("#discount-action summary").click();
  await page.fill("#discount-name", "Thank you");
  await page.fill("#discount-value", "15");
  await page.fill("#discount-prefix", "ty-");
  await page.getByRole("button", { name: "Create discount" }).click();
  await page.waitForFunction(() => document.getElementById("discount-result").textContent.startsWith("Issued"));
  assert.equal(await page.locator("#discount-result").innerText(), `Issued ${members.toLocaleString()} unique codes.`);
  await page.screenshot({ path: join(shots, "segment-actions.png"), fullPage: true });
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("link", { name: "Download codes (CSV)" }).click(),
  ]);
  assert.equal(download.suggestedFilename(), "discount-codes.csv");
  const file = join(shots, "..", "discount-codes.csv");
  await download.saveAs(file);
  const lines = (await import("node:fs")).readFileSync(file, "utf8").trim().split("\n");
  assert.equal(lines[0], "code,customer_id,email,first_name,last_name");
  assert.equal(lines.length, members + 1);
  const codes = new Set(lines.slice(1).map((l) => l.split(",")[0]));
  assert.equal(codes.size, members, "a code of its own for each customer");
  for (const code of codes) assert.match(code, /^TY-[A-HJKMNP-Z2-9]{8}$/);

  // A sample of the segment is a static list, in the index with its badge.
  const sample = await fetch(base + `/api/segments/${encodeURIComponent("Repeat buyers")}/sample`, {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json" },
    body: JSON.stringify({ name: "Repeat test group", size: 10, seed: 1 }),
  }).then((r) => r.json());
  assert.equal(sample.lists[0].count, 10);
  await page.goto(base + "/");
  const listRow = page.locator("#segments tbody tr.list", { hasText: "Repeat test group" });
  await listRow.waitFor();
  assert.match(await listRow.innerText(), /List/);
  assert.equal(await listRow.locator("td").nth(1).innerText(), "10");
  await listRow.getByRole("link", { name: "Repeat test group" }).click();
  await page.waitForFunction(() => document.getElementById("count").textContent === "10");
});

test("settings: store settings, a new token, a webhook", async () => {
  await page.goto(base + "/settings");
  await page.waitForSelector("#setting-currency");
  await page.fill("#setting-currency", "sek");
  await page.getByRole("button", { name: "Save currency" }).click();
  await page.waitForFunction(() => document.getElementById("settings-status").textContent.includes("SEK"));
  assert.equal((await api("/api/settings/currency")).value, "SEK");
  await page.fill("#token-name", "newsletter");
  await page.getByLabel("export").check();
  await page.getByRole("button", { name: "Create token" }).click();
  const secret = await page.locator("#token-result code.secret").innerText();
  assert.match(secret, /^flokk_/);
  await page.waitForSelector("#tokens td:text-is('newsletter')");
  await page.fill("#webhook-url", "https://example.com/hook");
  await page.getByRole("button", { name: "Add webhook" }).click();
  await page.waitForSelector("#webhooks td:text-is('https://example.com/hook')");
  await page.screenshot({ path: join(shots, "settings.png"), fullPage: true });
  await page.getByRole("button", { name: "Revoke newsletter" }).click();
  await page.waitForFunction(() => !document.querySelector("#tokens tbody").textContent.includes("newsletter"));
});

test("time from keystroke to count on screen", async () => {
  await page.goto(base + "/segments/new");
  await page.waitForFunction(() => document.getElementById("count").textContent !== "–");
  const query = page.locator("#query");
  const samples = [];
  for (const q of ["amount_spent > 100", "number_of_orders >= 2", "customer_tags CONTAINS 'vip'", "last_order_date > -90d", "amount_spent > 250"]) {
    // The query less its last character, and wait until the page shows
    // that query's answer: its count, or its error when it does not check
    // yet (an unclosed quote). A fixed sleep may end before or long after.
    const before = (await api(`/api/count?query=${encodeURIComponent(q.slice(0, -1))}`)).count;
    await query.fill(q.slice(0, -1));
    await page.waitForFunction(
      (n) =>
        n === undefined
          ? document.querySelector("#errors .error") !== null
          : document.getElementById("count").textContent === n.toLocaleString() && !document.querySelector("#errors .error"),
      before,
    );
    const want = (await api(`/api/count?query=${encodeURIComponent(q)}`)).count.toLocaleString();
    // The last keystroke, then the count the browser shows for the whole query.
    const ms = await page.evaluate(
      ({ last, want }) =>
        new Promise((resolve) => {
          const el = document.getElementById("count");
          const started = performance.now();
          const observer = new MutationObserver(() => {
            if (el.textContent === want) {
              observer.disconnect();
              resolve(performance.now() - started);
            }
          });
          observer.observe(el, { childList: true, characterData: true, subtree: true });
          const q = document.getElementById("query");
          q.value += last;
          q.dispatchEvent(new InputEvent("input", { bubbles: true, data: last }));
        }),
      { last: q.slice(-1), want },
    );
    samples.push({ query: q, ms: Math.round(ms) });
  }
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const result = { customers: (await api("/api/status")).customers, debounce_ms: 40, samples, median_ms: sorted[Math.floor(sorted.length / 2)] };
  (await import("node:fs")).writeFileSync(join(shots, "keystroke-to-count.json"), JSON.stringify(result, null, 2));
  console.log(`keystroke to count: ${JSON.stringify(result)}`);
  // A generous bar, far above the 40 ms debounce plus a count on 2,000
  // customers even in a debug build on a busy machine, that still catches
  // a count that waits for something it should not (a second debounce, a
  // full reload, a stalled request). Override for big stores:
  // FLOKK_KEYSTROKE_MEDIAN_MS.
  const bar = Number(process.env.FLOKK_KEYSTROKE_MEDIAN_MS ?? 2000);
  assert.ok(result.median_ms < bar, `median keystroke to count ${result.median_ms} ms, bar ${bar} ms`);
});

test("signing out ends the session", async () => {
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(base + "/");
  await page.getByRole("button", { name: "Sign out" }).click();
  await page.waitForURL(`${base}/signin`);
  await page.goto(base + "/segments/new");
  await page.waitForURL(/\/signin\?next=/);
  // Back in, for the last page.
  await page.fill("#token", token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(base + "/segments/new");
});

test("the pages fit a phone", async () => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(base + "/");
  await page.waitForSelector("#segments tbody tr");
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 1, `the index scrolls sideways by ${overflow}px on a phone`);
  await page.screenshot({ path: join(shots, "index-phone.png"), fullPage: true });
  for (const [path, ready, name] of [
    ["/segments/new", "#count", "editor-phone.png"],
    ["/settings", "#setting-timezone", "settings-phone.png"],
  ]) {
    await page.goto(base + path);
    // A page that failed to load its data shows an error instead: say which.
    await page.waitForSelector(`${ready}, .error`);
    const failed = await page.locator(".error").allTextContents();
    assert.ok(await page.locator(ready).count(), `${path} did not load: ${failed.join("; ")}`);
    if (await page.locator("#builder summary").count()) await page.locator("#builder summary").click();
    const wide = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(wide <= 1, `${path} scrolls sideways by ${wide}px on a phone`);
    await page.screenshot({ path: join(shots, name), fullPage: true });
  }
});
