import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/core/config.ts";
import { analyseSite } from "../../src/core/web/analyse-site.ts";
import type { AnalysisType } from "../../src/core/web/analysis-types.ts";
import { createWebDeps, type WebDeps } from "../../src/core/web/deps.ts";
import { SITES } from "../fixtures/web/sites.mjs";
import { startFixtureSites, type FixtureServers } from "../fixtures/web/server.mjs";
import { tempDir } from "../helpers/store.ts";
import { chromiumPath, liveChildren, requireTools } from "../helpers/system.ts";

// The analyser against real local web servers and the real Chromium (/usr/bin/chromium, or
// LEADJOBS_CHROMIUM_PATH). Tests that render in the browser skip without it (helpers/system.ts).
const needsChromium = requireTools(["chromium"]);
let f: FixtureServers;
const opened: WebDeps[] = [];

function deps(settings: Record<string, unknown> = {}, o: Parameters<typeof createWebDeps>[2] = {}): WebDeps {
  const config = resolveConfig(
    { webDelay: "0ms", webTimeout: "5s", webAllowPrivate: true, chromiumPath: chromiumPath(), ...settings },
    {},
    {},
  );
  const d = createWebDeps(config, Date.now, o);
  opened.push(d);
  return d;
}
const names = (a: { detections: Array<{ name: string }> }) => a.detections.map((d) => d.name).sort();

beforeAll(async () => {
  f = await startFixtureSites({ slowMs: 20_000 });
});
afterAll(async () => {
  for (const d of opened) await d.close();
  await f.close();
});

describe("every fixture site: full_analysis finds exactly what the site carries", () => {
  beforeEach(needsChromium);
  for (const site of SITES) {
    it(`${site.name} (${site.family})`, async () => {
      const a = await analyseSite(f.sites[site.name] as string, "full_analysis", deps());
      expect(a.status, a.error ?? "").toBe("ok");
      expect(names(a)).toEqual([...site.expected].sort());
    });
  }
});

describe("fetching paths", () => {
  it("a script-rendered shop: only the browser sees its platform and checkout", async (ctx) => {
    needsChromium(ctx);
    const plain = await analyseSite(f.sites.nordmode as string, "full_analysis", deps({}, { browserMode: "never" }));
    expect(names(plain)).toEqual(["Next.js", "React"]);
    const auto = await analyseSite(f.sites.nordmode as string, "full_analysis", deps());
    expect(auto.via).toBe("browser");
    expect(auto.platform).toBe("Centra");
    expect(names(auto)).toEqual(expect.arrayContaining(["Centra", "Klarna", "Instabox", "Budbee"]));
    expect(auto.pages.map((p) => `${new URL(p.url).pathname} ${p.via}`)).toEqual(
      expect.arrayContaining(["/ browser", "/checkout browser"]),
    );
  });

  it("a checkout page whose delivery widget lists the carriers in an iframe", async (ctx) => {
    needsChromium(ctx);
    const a = await analyseSite(f.sites.tradgardsmastarn as string, "carrier_detection", deps());
    expect(names(a)).toEqual(["Best Transport", "Budbee", "Ingrid", "Instabox", "PostNord"]);
    const budbee = a.detections.find((d) => d.name === "Budbee");
    expect(budbee?.evidence.some((e) => e.field === "text" || e.field === "images")).toBe(true);
    // Without the browser only the widget's script is visible, not the carriers it offers.
    const plain = await analyseSite(f.sites.tradgardsmastarn as string, "carrier_detection", deps({}, { browserMode: "never" }));
    expect(names(plain)).toEqual(["Ingrid"]);
  });

  it("tech_analysis reads only the start page over plain HTTP", async () => {
    const a = await analyseSite(f.sites.cykelverkstan as string, "tech_analysis", deps());
    expect(a.via).toBe("http");
    expect(a.pages).toHaveLength(1);
    expect(names(a)).toEqual(["Nginx", "WooCommerce", "WordPress", "jQuery"]);
    expect(a.detections.find((d) => d.name === "WooCommerce")).toMatchObject({ version: "9.3.3", confidence: 100 });
  });

  it("each detection says which rule matched where", async (ctx) => {
    needsChromium(ctx);
    const a = await analyseSite(f.sites.klaesboden as string, "checkout_scraping", deps());
    const nets = a.detections.find((d) => d.name === "Nets Easy");
    expect(nets).toMatchObject({ group: "payment", categories: expect.arrayContaining(["Checkout"]) });
    expect(nets?.evidence[0]).toMatchObject({
      field: expect.any(String),
      pattern: expect.any(String),
      page: expect.stringContaining("/kassa"),
    });
  });
});

describe("the browser's life", () => {
  beforeEach(needsChromium);
  it("a Chromium that crashed is not handed out again: the next job gets a new one", async () => {
    const first = deps({}, { browserMode: "always" });
    expect((await analyseSite(f.sites.kaffehornan as string, "ecommerce_detection", first)).via).toBe("browser");
    const crashed = liveChildren(process.pid, /chrom/i);
    expect(crashed).toHaveLength(1);
    process.kill(crashed[0] as number, "SIGKILL");
    // Gone and reaped by this process; then a moment for puppeteer to read the closed pipe.
    for (let i = 0; i < 200 && existsSync(`/proc/${crashed[0]}`); i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 200));
    // The first job's handle still holds the dead browser; a later job (new deps) must not.
    const a = await analyseSite(f.sites.kaffehornan as string, "ecommerce_detection", deps({}, { browserMode: "always" }));
    expect(a.status, a.error ?? "").toBe("ok");
    expect(a.platform).toBe("Shopify");
    await first.close();
  });
});

describe("blocked, refused, huge and slow sites", () => {
  it("429 with Retry-After is blocked, not 'no technologies'", async () => {
    const a = await analyseSite(f.sites["rate-limited"] as string, "tech_analysis", deps());
    expect(a).toMatchObject({ status: "blocked", blocked: { reason: "rate limited (HTTP 429)", retryAfterMs: 120_000 }, detections: [] });
  });

  it("a captcha challenge page is blocked", async () => {
    const a = await analyseSite(f.sites.captcha as string, "full_analysis", deps());
    expect(a.status).toBe("blocked");
    expect(a.error).toMatch(/bot challenge or captcha/);
  });

  it("loopback is refused unless private addresses are allowed", async () => {
    const a = await analyseSite(f.sites.kaffehornan as string, "tech_analysis", deps({ webAllowPrivate: false }));
    expect(a).toMatchObject({ status: "failed", errorKind: "refused-address" });
    expect(a.error).toMatch(/127\.0\.0\.1 is a private, loopback or link-local address/);
  });

  it("a kept-alive connection of a job that allows private addresses is not reused by one that does not", async () => {
    const server = createServer((_req, res) => {
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!DOCTYPE html><html><head><title>Intranät</title></head><body>${"<p>Intern sida.</p>".repeat(40)}</body></html>`);
    });
    server.keepAliveTimeout = 10_000; // long enough for Node's client to pool the socket
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    const url = `http://localhost:${(server.address() as AddressInfo).port}/`;
    try {
      expect((await analyseSite(url, "tech_analysis", deps({ webAllowPrivate: true }))).status).toBe("ok");
      await new Promise((r) => setTimeout(r, 100)); // the socket goes back to the pool
      const a = await analyseSite(url, "tech_analysis", deps({ webAllowPrivate: false }));
      expect(a).toMatchObject({ status: "failed", errorKind: "refused-address" });
    } finally {
      server.closeAllConnections();
      server.close();
    }
  });

  it("a redirect to the cloud metadata address is refused, even from an allowed host", async () => {
    const host = new URL(f.sites["redirect-private"] as string).host;
    const a = await analyseSite(
      f.sites["redirect-private"] as string,
      "tech_analysis",
      deps({ webAllowPrivate: false }, { allowHosts: [host] }),
    );
    expect(a).toMatchObject({ status: "failed", errorKind: "refused-address" });
    expect(a.error).toMatch(/169\.254\.169\.254/);
  });

  it("a redirect to a name that resolves to loopback is refused after the lookup", async () => {
    const host = new URL(f.sites["redirect-localhost"] as string).host;
    const a = await analyseSite(
      f.sites["redirect-localhost"] as string,
      "tech_analysis",
      deps({ webAllowPrivate: false }, { allowHosts: [host] }),
    );
    expect(a).toMatchObject({ status: "failed", errorKind: "refused-address" });
    expect(a.error).toMatch(/refused to fetch localhost/);
  });

  it("in the browser, a page's WebSockets (its own and its workers') cannot reach a private address either", async (ctx) => {
    needsChromium(ctx);
    // A private target, and a page on an allowed host whose scripts try to reach the target.
    const seen: string[] = [];
    const target = createServer((_req, res) => res.end());
    target.on("upgrade", (req, socket) => {
      seen.push(req.url ?? "");
      socket.destroy();
    });
    await new Promise<void>((r) => target.listen(0, "127.0.0.1", r));
    const to = `127.0.0.1:${(target.address() as AddressInfo).port}`;
    const page = createServer((req, res) => {
      const run = new URL(req.url ?? "/", "http://x").searchParams.get("run");
      res.writeHead(200, { "content-type": "text/html; charset=utf-8" });
      res.end(`<!DOCTYPE html><html><body><div id="root"></div><script>
        try { new WebSocket("ws://${to}/page-${run}"); } catch (e) {}
        new Worker(URL.createObjectURL(new Blob(['try { new WebSocket("ws://${to}/worker-${run}"); } catch (e) {}'], { type: "text/javascript" })));
      </script></body></html>`);
    });
    await new Promise<void>((r) => page.listen(0, "127.0.0.1", r));
    const from = `127.0.0.1:${(page.address() as AddressInfo).port}`;
    try {
      const refused = await analyseSite(
        `http://${from}/?run=1`,
        "tech_analysis",
        deps({ webAllowPrivate: false }, { browserMode: "always", allowHosts: [from] }),
      );
      expect(refused.status, refused.error ?? "").toBe("ok");
      // The control: with the target allowed the same page reaches it (so run 1 had time to try).
      await analyseSite(
        `http://${from}/?run=2`,
        "tech_analysis",
        deps({ webAllowPrivate: false }, { browserMode: "always", allowHosts: [from, to] }),
      );
      for (let i = 0; i < 100 && seen.length < 2; i++) await new Promise((r) => setTimeout(r, 50));
      expect(seen.sort()).toEqual(["/page-2", "/worker-2"]);
    } finally {
      target.close();
      page.close();
    }
  });

  it("a huge page is read up to the size cap and analysed from what was read", async () => {
    const a = await analyseSite(f.sites.huge as string, "tech_analysis", deps({ webMaxBytes: 1_048_576 }));
    expect(a.status, a.error ?? "").toBe("ok");
    expect(a.platform).toBe("Shopify");
    expect(a.pages[0]).toMatchObject({ truncated: true, bytes: 1_048_576 });
    expect(a.notes.join(" ")).toMatch(/larger than 1048576 bytes/);
    expect(f.stats.huge?.sent).toBeLessThan(20 * 1024 * 1024); // the download stopped early
  });

  it("a slow site times out", async () => {
    const a = await analyseSite(f.sites.slow as string, "tech_analysis", deps({ webTimeout: "1s" }));
    expect(a).toMatchObject({ status: "failed", errorKind: "timeout" });
    expect(a.error).toMatch(/timed out after 1000ms/);
  });

  it("a missing start page is a failure with the HTTP status", async () => {
    const a = await analyseSite(f.sites.gone as string, "tech_analysis", deps());
    expect(a).toMatchObject({ status: "failed", errorKind: "http-status", error: expect.stringMatching(/HTTP 404/) });
  });
});

describe("offline", () => {
  it("a saved-page directory (start page plus saved checkout and terms pages) via file://", async () => {
    const dir = join(tempDir(), "saved-shop");
    mkdirSync(dir);
    const site = SITES.find((s) => s.name === "klaesboden")!;
    writeFileSync(join(dir, "index.html"), site.pages["/"] as string);
    writeFileSync(join(dir, "kassa.html"), site.pages["/kassa"] as string);
    writeFileSync(join(dir, "leverans.html"), site.pages["/leverans"] as string);
    const a = await analyseSite(pathToFileURL(dir).href, "full_analysis", deps({ webAllowPrivate: false }));
    expect(a.via).toBe("file");
    expect(names(a)).toEqual(["Budbee", "Nets Easy", "PostNord", "Vendre"]);
    const one = await analyseSite(pathToFileURL(join(dir, "index.html")).href, "ecommerce_detection", deps());
    expect(names(one)).toEqual(["Vendre"]);
  });
});

describe("fingerprint coverage of the fixtures", () => {
  beforeEach(needsChromium);
  it("every fingerprint has a positive and a negative fixture site, and detection agrees with both", async () => {
    const d = deps();
    const found = new Map<string, string[]>();
    for (const site of SITES)
      found.set(site.name, names(await analyseSite(f.sites[site.name] as string, "full_analysis" as AnalysisType, d)));
    const problems: string[] = [];
    for (const tech of d.fingerprints.technologies.keys()) {
      const positives = SITES.filter((s) => s.expected.includes(tech));
      const negatives = SITES.filter((s) => !s.expected.includes(tech));
      if (positives.length === 0) problems.push(`${tech}: no positive fixture`);
      if (negatives.length === 0) problems.push(`${tech}: no negative fixture`);
      if (!positives.some((s) => found.get(s.name)?.includes(tech))) problems.push(`${tech}: not detected on its positive fixtures`);
      const falsePositive = negatives.find((s) => found.get(s.name)?.includes(tech));
      if (falsePositive) problems.push(`${tech}: detected on negative fixture ${falsePositive.name}`);
    }
    expect(problems).toEqual([]);
  });
});
