import { spawn } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { withCheckDigit } from "../../src/core/domain/orgnr.ts";
import { CheckoutShop } from "../fakes/checkout-shop.ts";
import { startFixtureSites, type FixtureServers } from "../fixtures/web/server.mjs";
import { testDatabase } from "../helpers/backend.ts";
import { cliEnv, finished, ROOT, runCli, runJson, spawnCli, waitForOutput } from "../helpers/cli.ts";
import { counts, query, writeSync } from "../helpers/query.ts";
import { createDb, tempDir } from "../helpers/store.ts";
import { isLive, liveChildren, requireTools } from "../helpers/system.ts";

let f: FixtureServers;
beforeAll(async () => {
  f = await startFixtureSites({ slowMs: 20_000 });
});
afterAll(async () => {
  await f.close();
});

const FAST = ["--allow-private", "--delay", "0ms"];
const NOW = "2026-11-02T08:00:00.000Z";
const orgnr = (n: number) => withCheckDigit(`55${String(6000000 + n).padStart(7, "0")}`);

/** A database with a terminal, companies and leads (some without a website). */
async function leadsDb(
  leads: Array<{ website?: string | null | undefined; companyWebsite?: string | null | undefined; terminal?: number | null }>,
): Promise<string> {
  const db = join(tempDir(), "leads.db");
  await createDb(db); // creates and migrates it
  writeSync(
    db,
    "insert into terminal (id, name, is_default, created_at) values (1, 'Göteborg Terminal', 1, ?), (2, 'Malmö Terminal', 0, ?)",
    NOW,
    NOW,
  );
  leads.forEach((l, i) => {
    writeSync(
      db,
      "insert into company (orgnr, name, website, created_at, updated_at) values (?, ?, ?, ?, ?)",
      orgnr(i + 1),
      `Företag ${i + 1} AB`,
      l.companyWebsite ?? null,
      NOW,
      NOW,
    );
    writeSync(
      db,
      "insert into lead (id, orgnr, status, terminal_id, source, website, created_at, updated_at) values (?, ?, 'new', ?, 'test', ?, ?, ?)",
      i + 1,
      orgnr(i + 1),
      l.terminal === undefined ? 1 : l.terminal,
      l.website ?? null,
      NOW,
      NOW,
    );
  });
  return db;
}

describe("run-batch over leads", () => {
  it("analyses a terminal's leads, skips the one without a website, saves results; jobs show and web show read them back", async () => {
    const db = await leadsDb([
      { website: f.sites.kaffehornan },
      { website: null },
      { companyWebsite: f.sites.cykelverkstan },
      { website: f.sites.tygladan, terminal: 2 },
    ]);
    const out = await runJson(["run-batch", "--type", "tech_analysis", "--terminal", "Göteborg Terminal", ...FAST], db);
    expect(out.batches).toHaveLength(1);
    const b = out.batches[0];
    expect(b).toMatchObject({ id: 1, analysis: "tech_analysis", state: "completed", counts: { total: 3, ok: 2, skipped: 1, failed: 0 } });
    expect(
      b.items.map((i: { leadId: number; status: string; result: { platform: string } | null }) => [
        i.leadId,
        i.status,
        i.result?.platform ?? null,
      ]),
    ).toEqual([
      [1, "ok", "Shopify"],
      [2, "skipped", null],
      [3, "ok", "WooCommerce 9.3.3"],
    ]);

    expect(query<{ id: number }>(db, "select id from lead where web_analysed_at is not null order by id").map((r) => r.id)).toEqual([1, 3]);
    expect(
      query<{ name: string }>(
        db,
        "select name from web_detection join web_analysis a on a.id = analysis_id where a.lead_id = 1 order by name",
      ).map((r) => r.name),
    ).toEqual(["Cloudflare", "Google Tag Manager", "Shopify"]);

    const show = await runCli(["jobs", "show", "1"], db);
    expect(show.code).toBe(0);
    expect(show.stdout).toMatch(/batch 1 \(tech_analysis\): 3 sites: 2 ok, 1 skipped \(no website\)/);
    expect(show.stdout).toMatch(/Shopify/);
    expect(show.stdout).toMatch(/lead 2\s+skipped/);
    const showJson = await runJson(["jobs", "show", "1"], db);
    expect(showJson.batch.items).toHaveLength(3);

    const web = await runCli(["web", "show", orgnr(1)], db);
    expect(web.stdout).toMatch(/Shopify\s+platform\s+100/);
    expect(web.stdout).toMatch(/html: <link rel="stylesheet" href="\/\/cdn\.shopify\.com/);

    // Only the lead that was never analysed is left; it still has no website.
    const again = await runJson(["run-batch", "--type", "tech_analysis", "--not-analysed-since", "90d", "--terminal", "1", ...FAST], db);
    expect(again.batches[0].items.map((i: { leadId: number; status: string }) => [i.leadId, i.status])).toEqual([[2, "skipped"]]);
  });

  it("--from - takes lead ids and organisationsnummer, and larger selections become several batches", async () => {
    const db = await leadsDb([{ website: f.sites.kaffehornan }, { website: f.sites.hobbyhornan }, { website: f.sites.keramikstudion }]);
    const out = await runJson(["run-batch", "--type", "ecommerce_detection", "--from", "-", "--limit", "2", ...FAST], db, {
      input: `# leads to check\n1\n${orgnr(2)}\n${orgnr(3).slice(0, 6)}-${orgnr(3).slice(6)}\n`,
    });
    expect(out.batches.map((b: { items: Array<{ result: { platform: string } }> }) => b.items.map((i) => i.result.platform))).toEqual([
      ["Shopify", "Abicart"],
      ["Wix"],
    ]);
  });

  it("bad input is refused before anything is written", async () => {
    const dir = tempDir();
    const db = join(dir, "l.db");
    const bad = await runCli(["run-batch", "--type", "deep_scan", "--url", "shop.example.se"], db);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^leadjobs: unknown analysis type "deep_scan" \(use one of tech_analysis, /);
    expect(bad.stderr.trim().split("\n")).toHaveLength(1);
    expect((await runCli(["run-batch", "--type", "tech_analysis"], db)).stderr).toMatch(/choose what to analyse/);
    expect((await runCli(["run-batch", "--type", "tech_analysis", "--limit", "101", "--url", "a.se"], db)).stderr).toMatch(
      /invalid --limit "101": expected a whole number from 1 to 100/,
    );
    expect((await runCli(["run-batch", "--type", "tech_analysis", "--url", "not a site"], db)).stderr).toMatch(/not a web address/);
    for (const host of ["http://shop.se/", "shop.se:port", "shop se"]) {
      expect((await runCli(["run-batch", "--type", "tech_analysis", "--url", "a.se", "--allow-host", host], db)).stderr).toBe(
        `leadjobs: invalid --allow-host "${host}": expected HOST or HOST:PORT\n`,
      );
    }
    for (const [args, message] of [
      [["--url", ""], "--url needs a value"],
      [["--lead", ""], "--lead needs a value"],
      [["--url", "./no-such-dir/"], "no such file or directory: ./no-such-dir/"],
      [["--url", "file:///no-such-dir/shop.html"], "no such file or directory: file:///no-such-dir/shop.html"],
    ]) {
      const r = await runCli(["run-batch", "--type", "tech_analysis", ...(args as string[])], db);
      expect([r.code, r.stderr]).toEqual([2, `leadjobs: ${message}\n`]);
    }
    const zero = await runCli(["run-batch", "--type", "tech_analysis", "--url", "a.se", "--timeout", "0s"], db);
    expect([zero.code, zero.stderr]).toEqual([2, `leadjobs: invalid --timeout "0s": expected at least 1ms\n`]);
    const zeroEnv = await runCli(["run-batch", "--type", "tech_analysis", "--url", "a.se"], db, { env: { LEADJOBS_WEB_TIMEOUT: "0s" } });
    expect([zeroEnv.code, zeroEnv.stderr]).toEqual([2, `leadjobs: invalid LEADJOBS_WEB_TIMEOUT "0s": expected at least 1ms\n`]);
    expect(existsSync(db)).toBe(false);

    const leads = await leadsDb([{ website: f.sites.kaffehornan }]);
    const missing = await runCli(["run-batch", "--type", "tech_analysis", "--lead", "1,99"], leads);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/no lead with id 99/);
    expect(counts(leads, ["web_batch", "job"])).toEqual({ web_batch: 0, job: 0 });
  });
});

describe("run-batch over sites", () => {
  it("honours robots.txt: read once per host, our own User-Agent group applies, a disallowed site is skipped; --ignore-robots turns it off", async () => {
    const seen: string[] = [];
    const server = createServer((req, res) => {
      seen.push(`${req.url} ${req.headers["user-agent"]}`);
      if (req.url === "/robots.txt") {
        res.writeHead(200, { "content-type": "text/plain" });
        res.end("User-agent: *\nDisallow: /\n\nUser-agent: leadjobs\nDisallow: /privat/\nAllow: /\n");
        return;
      }
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(
        `<!DOCTYPE html><html><head><title>Butik</title></head><body><h1>Välkommen till ${req.url}</h1><p>Här säljer vi saker till alla som vill köpa något.</p></body></html>`,
      );
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const db = join(tempDir(), "robots.db");
      const urls = ["--url", `${base}/butik`, "--url", `${base}/privat/butik`, "--url", `${base}/sortiment`];
      const out = await runJson(["run-batch", "--type", "tech_analysis", ...urls, ...FAST], db);
      expect(out.batches[0].counts).toMatchObject({ total: 3, ok: 2, skipped: 1, failed: 0 });
      expect(out.batches[0].items.map((i: { status: string; error: string | null }) => [i.status, i.error])).toEqual([
        ["ok", null],
        ["skipped", "skipped: robots.txt"],
        ["ok", null],
      ]);
      expect(seen.filter((r) => r.startsWith("/robots.txt "))).toEqual([expect.stringMatching(/^\/robots\.txt leadjobs\/\S+ \(/)]);
      expect(seen.some((r) => r.startsWith("/privat/"))).toBe(false);
      const text = await runCli(["run-batch", "--type", "tech_analysis", ...urls, ...FAST], db);
      expect(text.stdout).toMatch(/3 sites: 2 ok, 1 skipped \(robots\.txt\)/);

      seen.length = 0;
      const ignored = await runJson(["run-batch", "--type", "tech_analysis", ...urls, ...FAST, "--ignore-robots"], db);
      expect(ignored.batches[0].counts).toMatchObject({ total: 3, ok: 3, skipped: 0 });
      expect(seen.some((r) => r.startsWith("/robots.txt"))).toBe(false);
    } finally {
      server.close();
    }
  });

  it("a redirect without a usable Location, or another 3xx, fails the site instead of passing for an empty page", async () => {
    const server = createServer((req, res) => {
      if (req.url === "/nolocation") return void res.writeHead(302).end();
      if (req.url === "/badlocation") return void res.writeHead(302, { location: "http://[::1" }).end();
      if (req.url === "/notmodified") return void res.writeHead(304).end();
      if (req.url === "/robots.txt") return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(
        `<!DOCTYPE html><html><head><title>Butik</title><script>Shopify.theme = {"name":"Dawn"};</script><link rel="stylesheet" href="//cdn.shopify.com/s/files/1/0001/t/1/assets/base.css"></head><body><p>Välkommen</p></body></html>`,
      );
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const db = join(tempDir(), "redirects.db");
      const first = await runJson(["run-batch", "--type", "tech_analysis", "--url", `${base}/`, ...FAST], db);
      expect(first.batches[0].items[0].result.platform).toBe("Shopify");
      const urls = ["/nolocation", "/badlocation", "/notmodified"].flatMap((p) => ["--url", `${base}${p}`]);
      const out = await runJson(["run-batch", "--type", "tech_analysis", ...urls, ...FAST], db);
      expect(out.batches[0].items.map((i: { status: string; error: string | null }) => [i.status, i.error])).toEqual([
        ["failed", `redirect without Location (HTTP 302) from ${base}/nolocation`],
        ["failed", `invalid redirect Location "http://[::1" from ${base}/badlocation`],
        ["failed", `HTTP 304 from ${base}/notmodified`],
      ]);
      const show = await runJson(["web", "show", new URL(base).host, "--history"], db);
      expect(show.changes).toEqual([]);
    } finally {
      server.close();
    }
  });

  it("in the browser, a page that is not HTML, a 3xx that is not followed or a dropped connection fails as over plain HTTP", async (ctx) => {
    requireTools(["chromium"])(ctx);
    const server = createServer((req, res) => {
      if (req.url === "/doc.pdf") return void res.writeHead(200, { "content-type": "application/pdf" }).end("%PDF-1.4\n%%EOF\n");
      if (req.url === "/file.bin") return void res.writeHead(200, { "content-type": "application/octet-stream" }).end("bytes");
      if (req.url === "/close") return void req.socket.resetAndDestroy();
      if (req.url === "/midway") {
        res.writeHead(200, { "content-type": "text/html" }).write(`<html><body>${"x".repeat(1000)}`);
        return void setTimeout(() => req.socket.resetAndDestroy(), 100);
      }
      if (req.url === "/nolocation") return void res.writeHead(302).end();
      if (req.url === "/badlocation") return void res.writeHead(302, { location: "http://[::1" }).end();
      if (req.url === "/notmodified") return void res.writeHead(304).end();
      if (req.url === "/robots.txt") return void res.writeHead(404).end();
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(
        `<!DOCTYPE html><html><head><script src="https://cdn.shopify.com/s/files/t.js"></script></head><body><p>Hej</p></body></html>`,
      );
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const db = join(tempDir(), "browser-outcomes.db");
      const first = await runJson(["run-batch", "--type", "tech_analysis", "--url", `${base}/`, "--browser", "always", ...FAST], db);
      expect(first.batches[0].items[0].result.platform).toBe("Shopify");
      const paths = ["/doc.pdf", "/file.bin", "/close", "/midway", "/nolocation", "/badlocation", "/notmodified"];
      const expected = [
        ["failed", `not an HTML page (application/pdf): ${base}/doc.pdf`],
        ["failed", `not an HTML page (application/octet-stream): ${base}/file.bin`],
        ["failed", `connection reset by ${new URL(base).host}`],
        ["failed", "connection closed while reading the page"],
        ["failed", `redirect without Location (HTTP 302) from ${base}/nolocation`],
        ["failed", `invalid redirect Location "http://[::1" from ${base}/badlocation`],
        ["failed", `HTTP 304 from ${base}/notmodified`],
      ];
      for (const browser of ["never", "always", "auto"]) {
        const urls = paths.flatMap((p) => ["--url", `${base}${p}`]);
        const out = await runJson(["run-batch", "--type", "tech_analysis", ...urls, "--browser", browser, ...FAST], db);
        const outcomes = out.batches[0].items.map((i: { status: string; error: string | null }) => [i.status, i.error]);
        expect(outcomes, `--browser ${browser}`).toEqual(expected);
      }
      const show = await runJson(["web", "show", new URL(base).host, "--history"], db);
      expect(show.changes).toEqual([]);
    } finally {
      server.close();
    }
  });

  it("says what changed since the previous analysis: switched from Klarna to Walley", async (ctx) => {
    requireTools(["chromium"])(ctx); // checkout_scraping renders in the browser
    const shop = await new CheckoutShop().start();
    try {
      const url = `${shop.url}/`;
      const db = join(tempDir(), "c.db");
      const first = await runCli(["run-batch", "--type", "checkout_scraping", "--url", url, ...FAST], db);
      expect(first.code, first.stderr).toBe(0);
      expect(first.stdout).toMatch(/ok\s+Klarna\s+-\s+PostNord/);
      shop.payment = "walley";
      const second = await runCli(["run-batch", "--type", "checkout_scraping", "--url", url, ...FAST], db);
      const today = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm" }).format(new Date());
      expect(second.stdout).toMatch(
        new RegExp(`changes since the previous analysis:\\n  127\\.0\\.0\\.1:\\d+: payment: switched from Klarna to Walley on ${today}`),
      );
      const history = await runJson(["web", "show", url, "--history"], db);
      expect(history.changes.map((c: { text: string }) => c.text)).toEqual([`payment: switched from Klarna to Walley on ${today}`]);
      expect(history.analyses).toHaveLength(2);
      const past = await runCli(["web", "show", url, "--offset", "5"], db);
      expect(past.stdout.split("\n")[0]).toBe(`${new URL(url).host}: no analyses at offset 5 (2 in all)`);
    } finally {
      await shop.stop();
    }
  });

  it("--enqueue leaves the batch to process; a blocked site snoozes the job; --retry-failed reruns failed items", async () => {
    const db = join(tempDir(), "q.db");
    const queued = await runJson(
      [
        "run-batch",
        "--type",
        "tech_analysis",
        "--url",
        f.sites["rate-limited"] as string,
        "--url",
        f.sites.gone as string,
        "--url",
        f.sites.kaffehornan as string,
        "--enqueue",
        "--allow-private",
      ],
      db,
    );
    expect(queued.enqueued).toEqual([{ batchId: 1, jobId: 1, sites: 3, skipped: 0 }]);
    const run = await runJson(["process"], db, { env: { LEADJOBS_WEB_DELAY: "0ms" } });
    expect(run).toMatchObject({ claimed: 1, snoozed: 1 });
    const show = await runJson(["jobs", "show", "1"], db);
    expect(show.job.state).toBe("pending");
    expect(show.batch.items.map((i: { status: string }) => i.status)).toEqual(["blocked", "failed", "ok"]);
    expect(show.batch.items[0].nextAttemptAt).not.toBeNull();
    expect(show.batch.items[0].error).toBe("blocked: rate limited (HTTP 429)");
    expect(show.batch.items[1].error).toMatch(/HTTP 404/);

    const busy = await runCli(["run-batch", "--retry-failed", "1"], db);
    expect(busy.code).toBe(2);
    expect(busy.stderr).toMatch(/batch 1 is still queued or running \(job 1\)/);
    await runJson(["jobs", "cancel", "1"], db);
    const retried = await runJson(["run-batch", "--retry-failed", "1", "--delay", "0ms"], db);
    const items = retried.batches[0].items as Array<{ status: string; retryCount: number }>;
    expect(items.map((i) => [i.status, i.retryCount])).toEqual([
      ["blocked", 1],
      ["failed", 1],
      ["ok", 0],
    ]);
    expect(retried.batches[0].state).toBe("waiting");
  });

  it("a web.batch job with a selection (what a schedule enqueues) makes its own batch when it runs", async () => {
    const db = await leadsDb([{ website: f.sites.kaffehornan }, { website: f.sites.tygladan, terminal: 2 }]);
    const payload = {
      analysis: "ecommerce_detection",
      select: { terminal: "Göteborg Terminal", notAnalysedSince: "90d", limit: 100 },
      options: { allowPrivate: true },
    };
    await runJson(["jobs", "add", "web.batch", "--payload", JSON.stringify(payload)], db);
    expect(await runJson(["process"], db, { env: { LEADJOBS_WEB_DELAY: "0ms" } })).toMatchObject({ completed: 1 });
    const show = await runJson(["jobs", "show", "1"], db);
    expect(show.job.batchId).toBe(1);
    expect(show.job.result).toMatchObject({ batch: 1, analysis: "ecommerce_detection", counts: { ok: 1, total: 1 } });
    expect(show.batch.items.map((i: { leadId: number; result: { platform: string } }) => [i.leadId, i.result.platform])).toEqual([
      [1, "Shopify"],
    ]);
    const invalid = await runCli(["jobs", "add", "web.batch", "--payload", '{"analysis":"deep_scan","select":{}}'], db);
    expect(invalid.code).toBe(2);
  });

  it("jobs cancel stops the remaining items of a running batch", async () => {
    const db = join(tempDir(), "x.db");
    const slow = f.sites.slow as string;
    const child = spawnCli(
      [
        "--verbose",
        "run-batch",
        "--type",
        "tech_analysis",
        "--url",
        slow,
        "--url",
        `${slow}a`,
        "--url",
        `${slow}b`,
        "--concurrency",
        "1",
        "--timeout",
        "60s",
        ...FAST,
      ],
      db,
    );
    const done = finished(child);
    await waitForOutput(child, (t) => t.includes("attempt 1/3"));
    const cancel = await runJson(["jobs", "cancel", "1"], db);
    expect(cancel.jobs[0].outcome).toBe("requested");
    const r = await done;
    expect(r.code).toBe(1);
    const show = await runJson(["jobs", "show", "1"], db);
    expect(show.job.state).toBe("cancelled");
    expect(show.batch.items.map((i: { status: string }) => i.status)).toEqual(["cancelled", "cancelled", "cancelled"]);
    expect(show.batch.finishedAt).not.toBeNull();
    const page = await dashboard(db);
    expect(page).toMatch(/<b>batch 1<\/b> <span class="meta">tech_analysis · [^<]* · cancelled<\/span>/);
    expect(page).toContain('<span data-figure="cancelled">3</span> cancelled');
  });

  it("a batch whose job is cancelled before it runs, or with the job it depends on, is finished as cancelled", async () => {
    const db = join(tempDir(), "never-ran.db");
    const sites = [f.sites.kaffehornan, f.sites.tygladan].flatMap((u) => ["--url", u as string]);
    const enqueue = async () => (await runJson(["run-batch", "--type", "tech_analysis", ...sites, "--enqueue", ...FAST], db)).enqueued[0];
    const batch = async (job: number) => (await runJson(["jobs", "show", String(job)], db)).batch;
    const statuses = (b: { items: Array<{ status: string }> }) => b.items.map((i) => i.status);

    // Cancelled while pending: its batch never starts.
    expect(await enqueue()).toMatchObject({ batchId: 1, jobId: 1 });
    await runJson(["jobs", "cancel", "1"], db);
    const pending = await batch(1);
    expect(statuses(pending)).toEqual(["cancelled", "cancelled"]);
    expect(pending.finishedAt).not.toBeNull();

    // Another job of the batch that waits on a parent: the batch stays waiting while that job
    // could still run it, and is finished when the parent's cancel or death cancels it too.
    for (const [parent, end] of [
      [{}, "cancel"],
      [{ failTimes: 5 }, "die"],
    ] as const) {
      const { batchId, jobId } = await enqueue();
      const parentId = (await runJson(["jobs", "add", "noop", "--payload", JSON.stringify(parent), "--max-attempts", "1"], db)).jobs[0].id;
      const payload = JSON.stringify({ batch: batchId });
      await runJson(["jobs", "add", "web.batch", "--payload", payload, "--depends-on", String(parentId)], db);
      await runJson(["jobs", "cancel", String(jobId)], db);
      const waiting = await batch(jobId);
      expect(statuses(waiting), `${end}: still waiting`).toEqual(["pending", "pending"]);
      expect(waiting.finishedAt).toBeNull();
      if (end === "cancel") await runJson(["jobs", "cancel", String(parentId)], db);
      else await runCli(["process"], db);
      const closed = await batch(jobId);
      expect(statuses(closed), end).toEqual(["cancelled", "cancelled"]);
      expect(closed.finishedAt).not.toBeNull();
    }
    const page = await dashboard(db);
    for (const id of [1, 2, 3]) {
      expect(page).toMatch(new RegExp(`<b>batch ${id}</b> <span class="meta">tech_analysis · [^<]* · cancelled</span>`));
    }
  });

  it("a batch whose job dies is finished: its unfinished sites fail with the job's error", async () => {
    const db = join(tempDir(), "dies.db");
    const payload = { analysis: "tech_analysis", select: { urls: [f.sites.slow] }, options: { allowPrivate: true } };
    await runJson(["jobs", "add", "web.batch", "--payload", JSON.stringify(payload), "--max-attempts", "1", "--timeout", "1s"], db);
    const run = await runCli(["process"], db, { env: { LEADJOBS_WEB_DELAY: "0ms", LEADJOBS_WEB_TIMEOUT: "60s" } });
    expect(run.stderr).toMatch(/job 1 \(web.batch\) attempt 1\/1 died: timed out after 1s/);
    const show = await runJson(["jobs", "show", "1"], db);
    expect(show.batch.finishedAt).not.toBeNull();
    expect(show.batch.items.map((i: { status: string; error: string }) => [i.status, i.error])).toEqual([
      ["failed", "batch job 1 died: timed out after 1s"],
    ]);
    expect(await dashboard(db)).toMatch(/<b>batch 1<\/b> <span class="meta">tech_analysis · [^<]* · finished<\/span>/);
  });

  it("a batch whose worker is killed -9 on its last attempt is finished when the job is rescued", async () => {
    const db = join(tempDir(), "killed.db");
    const payload = { analysis: "tech_analysis", select: { urls: [f.sites.slow] }, options: { allowPrivate: true } };
    await runJson(["jobs", "add", "web.batch", "--payload", JSON.stringify(payload), "--max-attempts", "1"], db);
    const child = spawnCli(["--verbose", "process"], db, { env: { LEADJOBS_WEB_DELAY: "0ms", LEADJOBS_WEB_TIMEOUT: "60s" } });
    const done = finished(child);
    await until("the site to be analysed", () => query(db, "select id from web_batch_item where status = 'running'").length > 0);
    child.kill("SIGKILL");
    await done;
    const rescue = await runJson(["process"], db);
    expect(rescue.rescued).toBe(1);
    const show = await runJson(["jobs", "show", "1"], db);
    expect(show.batch.finishedAt).not.toBeNull();
    expect(show.batch.items[0]).toMatchObject({ status: "failed", error: expect.stringMatching(/^batch job 1 died: lost: worker /) });
  });

  it("--retry-failed after a killed foreground run-batch takes its job back first: queued again, not running", async () => {
    const db = join(tempDir(), "killed-foreground.db");
    await createDb(db);
    const child = spawnCli(["run-batch", "--type", "tech_analysis", "--url", f.sites.slow as string, ...FAST], db, {
      env: { LEADJOBS_WEB_TIMEOUT: "60s" },
    });
    const done = finished(child);
    await until("the site to be analysed", () => query(db, "select id from web_batch_item where status = 'running'").length > 0);
    child.kill("SIGKILL");
    await done;
    const retry = await runCli(["run-batch", "--retry-failed", "1"], db);
    expect(retry.stderr).toMatch(/job 1 \(web\.batch\) lost: worker \S+ stopped \(its process is gone\); now pending/);
    expect((await runJson(["jobs", "show", "1"], db)).job.state).toBe("pending");
    // Queued again for `process`, which finishes the batch.
    expect(await runJson(["process"], db, { env: { LEADJOBS_WEB_TIMEOUT: "1s", LEADJOBS_WEB_DELAY: "0ms" } })).toMatchObject({
      claimed: 1,
    });
    expect((await runJson(["jobs", "show", "1"], db)).batch.finishedAt).not.toBeNull();
  });

  it("a progress bar on a terminal, nothing when not a terminal", async () => {
    const db = join(tempDir(), "p.db");
    const plain = await runCli(["run-batch", "--type", "tech_analysis", "--url", f.sites.kaffehornan as string, ...FAST], db);
    expect(plain.stderr).toBe("");
    const cmd = [
      process.execPath,
      "bin/leadjobs",
      "--db",
      `'${testDatabase(db)}'`,
      "run-batch",
      "--type",
      "tech_analysis",
      "--url",
      f.sites.kaffehornan as string,
      "--url",
      f.sites.slow as string,
      "--timeout",
      "2s",
      ...FAST,
    ].join(" ");
    const tty = await finished(spawnScript(cmd));
    expect(tty.stdout).toMatch(/\[#{10}\.{10}\] 1\/2 {2}1 ok {2}0 failed {2}127\.0\.0\.1:\d+/);
    expect(tty.stdout).toMatch(/batch 2 \(tech_analysis\): 2 sites: 1 ok, 1 failed/);
  });
});

describe("Chromium", () => {
  it("missing: browser work exits 69 with a one-line hint, plain-HTTP analysis still works", async () => {
    const db = join(tempDir(), "nochrome.db");
    const checkout = await runCli(
      ["run-batch", "--type", "checkout_scraping", "--url", "shop.example.se", "--chromium", "/opt/no-such-dir/chromium"],
      db,
    );
    expect(checkout.code).toBe(69);
    expect(checkout.stderr).toBe(
      "leadjobs: Chromium not found at /opt/no-such-dir/chromium (install Chromium (Debian: apt-get install chromium) or set chromiumPath / LEADJOBS_CHROMIUM_PATH)\n",
    );
    expect(existsSync(db)).toBe(false);

    const plain = await runJson(
      ["run-batch", "--type", "tech_analysis", "--url", f.sites.kaffehornan as string, "--chromium", "/opt/no-such-dir/chromium", ...FAST],
      db,
    );
    expect(plain.batches[0].items[0]).toMatchObject({ status: "ok", result: { platform: "Shopify" } });

    const spa = await runCli(
      ["run-batch", "--type", "tech_analysis", "--url", f.sites.nordmode as string, "--chromium", "/opt/no-such-dir/chromium", ...FAST],
      db,
    );
    expect(spa.code).toBe(69);
    expect(spa.stdout).toMatch(/failed .*Chromium not found/);
    expect(spa.stderr).toMatch(/^leadjobs: some sites needed a browser: Chromium not found at \/opt\/no-such-dir\/chromium/);
  });
});

/** The dashboard page `report html` writes for this database. */
async function dashboard(db: string): Promise<string> {
  const out = join(tempDir(), "dashboard.html");
  const r = await runCli(["report", "html", "--out", out], db);
  expect(r.code, r.stderr).toBe(0);
  return readFileSync(out, "utf8");
}

async function until(what: string, predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
  for (const end = Date.now() + timeoutMs; !predicate(); await new Promise((r) => setTimeout(r, 100))) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
  }
}

describe("signals while the browser renders", () => {
  beforeEach(requireTools(["chromium"]));
  const slowInBrowser = (db: string, extra: string[] = []) =>
    spawnCli(
      [
        "--verbose",
        "run-batch",
        "--type",
        "tech_analysis",
        "--browser",
        "always",
        "--url",
        f.sites.slow as string,
        "--url",
        f.sites.kaffehornan as string,
        "--concurrency",
        "1",
        "--timeout",
        "60s",
        ...FAST,
        ...extra,
      ],
      db,
    );

  it("Ctrl-C cancels the foreground batch (exit 1) instead of exiting at once with the job left running", async () => {
    const db = join(tempDir(), "int.db");
    const child = slowInBrowser(db);
    const done = finished(child);
    await until("Chromium to start", () => liveChildren(child.pid as number).length > 0);
    child.kill("SIGINT");
    const r = await done;
    expect(r.code, r.stderr).toBe(1);
    const show = await runJson(["jobs", "show", "1"], db);
    expect(show.job.state).toBe("cancelled");
    expect(show.batch.items.map((i: { status: string }) => i.status)).toEqual(["cancelled", "cancelled"]);
  });

  it("SIGTERM to process releases a browser batch: its sites go back to the queue, none is recorded as failed", async () => {
    const db = join(tempDir(), "term.db");
    await runJson(
      [
        "run-batch",
        "--type",
        "tech_analysis",
        "--browser",
        "always",
        "--url",
        f.sites.slow as string,
        "--url",
        f.sites.kaffehornan as string,
        "--allow-private",
        "--enqueue",
      ],
      db,
    );
    const child = spawnCli(["process", "--grace", "1s"], db, {
      env: { LEADJOBS_WEB_DELAY: "0ms", LEADJOBS_WEB_CONCURRENCY: "1", LEADJOBS_WEB_TIMEOUT: "60s" },
    });
    const done = finished(child);
    await until("Chromium to start", () => liveChildren(child.pid as number).length > 0);
    child.kill("SIGTERM");
    const r = await done;
    expect(r.code, r.stderr).toBe(0);
    const show = await runJson(["jobs", "show", "1"], db);
    expect(show.job.state).toBe("pending");
    expect(show.batch.items.map((i: { status: string }) => i.status)).not.toContain("failed");
  });

  it("kill -9 leaves no Chromium behind", async () => {
    const db = join(tempDir(), "kill.db");
    const child = slowInBrowser(db);
    const done = finished(child);
    await until("Chromium to start", () => liveChildren(child.pid as number).length > 0);
    const browsers = liveChildren(child.pid as number);
    child.kill("SIGKILL");
    await done;
    try {
      await until("Chromium to exit", () => !browsers.some(isLive), 10_000);
    } finally {
      for (const pid of browsers.filter(isLive)) process.kill(-pid, "SIGKILL"); // its process group
    }
  });
});

/** Runs a shell command under a pseudo-terminal (util-linux `script`), as a person at a terminal would. */
function spawnScript(cmd: string) {
  return spawn("script", ["-qfec", cmd, "/dev/null"], {
    cwd: ROOT,
    env: { ...cliEnv(undefined), COLUMNS: "120" },
    stdio: ["pipe", "pipe", "pipe"],
  });
}
