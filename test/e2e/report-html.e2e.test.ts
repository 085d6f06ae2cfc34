import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "puppeteer-core";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { CheckoutShop } from "../fakes/checkout-shop.ts";
import { runCli, runJson } from "../helpers/cli.ts";
import { launchChromium, openFile } from "../helpers/page-browser.ts";
import { needs, requireTools } from "../helpers/system.ts";

// The dashboard from a seeded database, opened from disk in real headless Chromium: nothing
// leaves the page, no console error, every section shows the figures the CLI's --json shows.

const SEED_NOW = "2025-03-10T09:00:00.000Z";
/**
 * Two hours later: the jobs `enqueue` made are overdue, so the health check has reasons to give.
 * Half a minute off the hour: a --now clock keeps ticking, and the reasons print whole minutes.
 */
const NOW = "2025-03-10T11:00:30.000Z";
const EVIL = "<script>alert(1)</script>";
const FAST = ["--allow-private", "--delay", "0ms"];

let dir: string;
let db: string;
let out: string;
let shop: CheckoutShop | undefined;
let chromium: { browser: Browser; close: () => Promise<void> };

async function cli(args: string[]): Promise<void> {
  const r = await runCli(args, db);
  if (r.code !== 0) throw new Error(`leadjobs ${args.join(" ")} exited ${r.code}: ${r.stderr}`);
}

// Every test opens the page in Chromium: without it they skip (or fail in CI) with one line.
beforeEach(requireTools(["chromium"]));

beforeAll(async () => {
  if (needs(["chromium"]) !== null) return;
  dir = mkdtempSync(join(tmpdir(), "leadjobs-report-html-"));
  db = join(dir, "seeded.db");
  out = join(dir, "www", "dashboard.html");
  mkdirSync(join(dir, "www"));
  await cli(["seed", "--seed", "7", "--now", SEED_NOW]);
  await cli(["terminals", "add", EVIL]);
  await cli(["alerts", "--now", SEED_NOW]);
  await cli(["cleanup", "--now", SEED_NOW]);
  await cli(["enqueue", "--now", "2025-03-10T10:00:00.000Z"]); // the schedules fire (install-check: missed runs coalesced)
  await cli(["brands", "score", "Budbee"]);
  // A shop that switches from Klarna to Walley between two batches.
  shop = await new CheckoutShop().start();
  const url = `${shop.url}/`;
  await cli(["run-batch", "--type", "checkout_scraping", "--url", url, ...FAST]);
  shop.payment = "walley";
  await cli(["run-batch", "--type", "checkout_scraping", "--url", url, ...FAST]);

  const r = await runCli(["report", "html", "--out", out, "--now", NOW, "--since", "30d"], db);
  if (r.code !== 0) throw new Error(r.stderr);
  chromium = await launchChromium();
}, 180_000);

afterAll(async () => {
  await chromium?.close();
  await shop?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const text = (page: Page, selector: string) => page.$eval(selector, (e) => (e.textContent ?? "").replace(/\s+/g, " ").trim());
const figure = (page: Page, scope: string, key: string) =>
  text(page, `${scope} [data-figure="${key}"] .v, ${scope} [data-figure="${key}"]:not(.tile)`);

/** A full-page screenshot in the test's folder, also copied to $LEADJOBS_TEST_SCREENSHOTS when set (to look at). */
async function screenshot(page: Page, name: string): Promise<void> {
  const path = join(dir, name);
  await page.screenshot({ path, fullPage: true });
  expect(statSync(path).size).toBeGreaterThan(10_000);
  const to = process.env.LEADJOBS_TEST_SCREENSHOTS;
  if (to) copyFileSync(path, join(to, name));
}

describe("report html in headless Chromium", () => {
  it("writes the page silently and atomically: no temporary file left beside it", async () => {
    expect(statSync(out).size).toBeGreaterThan(10_000);
    expect(readdirSync(join(dir, "www"))).toEqual(["dashboard.html"]);
    const again = await runCli(["report", "html", "--out", out, "--now", NOW], db);
    expect(again).toMatchObject({ code: 0, stdout: "", stderr: "" });
    expect(readdirSync(join(dir, "www"))).toEqual(["dashboard.html"]);
  });

  it("bad input: one line, exit 2, nothing written", async () => {
    const bad = await runCli(["report", "html", "--out", join(dir, "www", "x.html"), "--since", "soon"], db);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(`leadjobs: invalid --since "soon": write it like 500ms, 30s, 10m, 2h or 7d\n`);
    const missing = await runCli(["report", "html"], db);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split("\n")).toHaveLength(1);
    const folder = await runCli(["report", "html", "--out", join(dir, "www")], db);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toBe(`leadjobs: --out ${join(dir, "www")} is a directory\n`);
    expect(readdirSync(join(dir, "www"))).toEqual(["dashboard.html"]);
  });

  it("at 1280 px: no request leaves the page, no console error, each section with the CLI's figures", async () => {
    const { page, requests, consoleErrors } = await openFile(chromium.browser, out, 1280);
    try {
      expect(requests).toEqual([`file://${out}`]);
      expect(consoleErrors).toEqual([]);
      for (const id of ["health", "queue", "schedules", "leads", "web", "brands", "backoffice"])
        expect(await page.$(`section#${id}`), id).not.toBeNull();

      // Health: the verdict and reasons of `status --check`, which exits 1 when unhealthy.
      const check = await runCli(["status", "--check", "--json", "--now", NOW], db);
      const status = JSON.parse(check.stdout);
      expect(check.code).toBe(status.health.ok ? 0 : 1);
      expect(status.health.ok).toBe(false);
      expect(await page.$eval("#health", (e) => e.getAttribute("data-verdict"))).toBe("unhealthy");
      // A --now clock keeps ticking between the two commands: ages may differ in their seconds.
      const minutes = (lines: Array<string | null>) => lines.map((s) => (s ?? "").replace(/ \d+s\b/g, ""));
      expect(minutes(await page.$$eval("#health .problems li", (l) => l.map((e) => e.textContent)))).toEqual(
        minutes(status.health.problems),
      );

      // Queue: the counts of `status --json`, per state and per type.
      for (const state of ["pending", "running", "completed", "dead", "cancelled"]) {
        expect(await figure(page, "#queue", `queue-${state}`), state).toBe(String(status.queue.counts[state]));
      }
      for (const t of status.queue.byType) {
        const cells = await page.$eval(`#queue tr[data-type="${t.type}"]`, (r) => [...r.querySelectorAll("td")].map((c) => c.textContent));
        expect(cells).toEqual([t.type, ...["pending", "running", "completed", "dead", "cancelled"].map((s) => String(t[s]))]);
      }
      expect(await page.$$eval("#queue svg.chart", (s) => s.length)).toBe(1);

      // Schedules: every schedule of `schedule list --json` with its runs and missed runs.
      const schedules = (await runJson(["schedule", "list", "--now", NOW], db)).schedules;
      expect(await page.$$eval("#schedules [data-schedule]", (l) => l.map((e) => e.getAttribute("data-schedule")))).toEqual(
        schedules.map((s: { name: string }) => s.name),
      );
      for (const s of schedules) {
        const card = `#schedules [data-schedule="${s.name}"]`;
        expect(await text(page, `${card} [data-figure="runs"]`)).toBe(String(s.totalRuns));
        expect(await text(page, `${card} [data-figure="missed"]`)).toBe(String(s.missedRuns));
        expect(await text(page, card)).toContain(s.timing.description);
        expect(await text(page, card)).toContain(s.owner);
      }
      expect(await page.$$eval("#schedules svg.strip", (s) => s.length)).toBeGreaterThan(0);

      // Leads: `report leads --json` per day and `terminals list --json` per terminal.
      const leads = await runJson(["report", "leads", "--days", "30", "--now", NOW], db);
      const sum = (k: string) => leads.byDay.reduce((a: number, d: Record<string, number>) => a + (d[k] ?? 0), 0);
      for (const k of ["found", "created", "analysed", "executions"])
        expect(await figure(page, "#leads", `leads-${k}`), k).toBe(String(sum(k)));
      const terminals = (await runJson(["terminals", "list"], db)).terminals as Array<{ name: string; leads: number }>;
      const bars = await page.$$eval("#leads svg.bars text.lbl", (l) => l.map((e) => e.textContent));
      const values = await page.$$eval("#leads svg.bars text.val", (l) => l.map((e) => e.textContent));
      expect(bars.map((b, i) => [b, values[i]])).toEqual(
        terminals.map((t) => [t.name.length > 20 ? `${t.name.slice(0, 19)}…` : t.name, String(t.leads)]),
      );

      // The terminal named <script>alert(1)</script> is text, not a script.
      expect(await page.$$eval("script", (l) => l.length)).toBe(0);
      expect(await page.$eval("#leads svg.bars", (e) => [...e.querySelectorAll("title")].map((t) => t.textContent))).toContain(
        `${EVIL}: 0`,
      );

      // Website analysis: the two batches with the counts run-batch reported, and the change.
      const batches = await page.$$eval("#web [data-batch]", (l) => l.map((e) => e.getAttribute("data-batch")));
      expect(batches).toEqual(["2", "1"]);
      expect(await text(page, '#web [data-batch="2"] [data-figure="ok"]')).toBe("1");
      expect(await text(page, '#web [data-batch="2"] [data-figure="total"]')).toBe("1");
      expect(await text(page, "#web .changes")).toMatch(/127\.0\.0\.1:\d+: payment: switched from Klarna to Walley on \d{4}-\d\d-\d\d/);
      expect(await text(page, "#web")).toContain("Walley");

      // Brand visibility: `report brands --json`, per brand and provider.
      const brands = (await runJson(["report", "brands", "--since", "30d", "--now", NOW], db)).reports;
      expect(brands.length).toBeGreaterThan(0);
      for (const r of brands) {
        const card = `#brands [data-brand="${r.brand}"][data-provider="${r.provider}"]`;
        expect(await text(page, `${card} [data-figure="answers"]`)).toBe(String(r.answers));
        const row = await page.$eval(`${card} tr[data-subject="${r.brand}"]`, (e) =>
          [...e.querySelectorAll("td")].map((c) => c.textContent),
        );
        expect(row[1]).toBe(`${Math.round(r.brandFigures.mentionShare * 100)}%`);
        expect(row[4]).toBe(`${Math.round(r.brandFigures.citationShare * 100)}%`);
        expect(await page.$$eval(`${card} svg.chart`, (s) => s.length)).toBe(3);
      }

      // Back office: `status --json` .backoffice.
      const b = status.backoffice;
      expect(await figure(page, "#backoffice", "bo-alerts")).toBe(String(b.budgetAlerts.activeAlerts));
      expect(await figure(page, "#backoffice", "bo-pending")).toBe(String(b.invoicePdf.pendingInvoices));
      expect(await figure(page, "#backoffice", "bo-links")).toBe(String(b.cleanup.linksDeactivated ?? 0));

      await screenshot(page, "dashboard-1280.png");
    } finally {
      await page.close();
    }
  });

  it("at 390 px, dark: no horizontal scroll, no request, no console error", async () => {
    const { page, requests, consoleErrors } = await openFile(chromium.browser, out, 390, 844);
    try {
      await page.emulateMediaFeatures([{ name: "prefers-color-scheme", value: "dark" }]);
      expect(requests).toEqual([`file://${out}`]);
      expect(consoleErrors).toEqual([]);
      const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, inner: window.innerWidth }));
      expect(widths.scroll).toBeLessThanOrEqual(widths.inner);
      // Dark really applies: the page background is dark.
      const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
      expect(bg).toBe("rgb(21, 23, 26)");
      expect(await page.$eval("#health", (e) => e.getAttribute("data-verdict"))).toBe("unhealthy");
      await screenshot(page, "dashboard-390.png");
    } finally {
      await page.close();
    }
  });
});
