import { createServer } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveConfig } from "../../src/core/config.ts";
import type { Db } from "../../src/core/db/handle.ts";
import { withCheckDigit } from "../../src/core/domain/orgnr.ts";
import { keywordMatches } from "../../src/core/hiring/matches.ts";
import { loadJobType } from "../../src/job-types.ts";
import type { WorkerSummary } from "../../src/core/runtime/worker.ts";
import { parseRankBands } from "../../src/core/tracking/rank-cadence.ts";
import { enqueueRefreshes } from "../../src/core/tracking/due-refreshes.ts";
import { listProblemCompanies, resetProblemCompany } from "../../src/core/tracking/problems.ts";
import { toInstant } from "../../src/core/time.ts";
import { DEFAULT_POSITIONS, startCareersSites, type CareersSites } from "../fixtures/web/careers.mjs";
import { startFixtureSites, type FixtureServers } from "../fixtures/web/server.mjs";
import { testStore } from "../helpers/store.ts";
import { runTestWorker } from "../helpers/worker.ts";

// The company refresh job through the real worker loop, against web sites on 127.0.0.1.
// The clock is injected so that later ticks and snoozed retries can be reached at once.
let careers: CareersSites;
let web: FixtureServers;
let closedPort: string;
beforeAll(async () => {
  careers = await startCareersSites();
  web = await startFixtureSites({ slowMs: 20_000 });
  // A port nobody listens on: connection refused, a passing failure.
  const probe = createServer();
  await new Promise<void>((r) => probe.listen(0, "127.0.0.1", () => r()));
  closedPort = `http://127.0.0.1:${(probe.address() as { port: number }).port}/`;
  await new Promise<void>((r) => probe.close(() => r()));
});
afterAll(async () => {
  await careers.close();
  await web.close();
});

const D = 86_400_000;
const bands = parseRankBands("81-100:1d,61-80:2d,31-60:3d,11-30:4d,1-10:5d");

interface World {
  db: Db;
  /** Moves the clock on. */
  advance(ms: number): void;
  clock(): number;
  tick(): ReturnType<typeof enqueueRefreshes>;
  work(): Promise<WorkerSummary>;
  company(website: string | null, trackers?: Array<[string, number, string[]]>): Promise<string>;
}

let serial = 0;
async function world(settings: Record<string, unknown> = {}): Promise<World> {
  const { db } = await testStore();
  let offset = 0;
  const clock = () => Date.now() + offset;
  const config = resolveConfig({ webDelay: "0ms", webTimeout: "3s", webAllowPrivate: true, ...settings }, {}, {});
  return {
    db,
    clock,
    advance: (ms) => (offset += ms),
    tick: () => enqueueRefreshes(db, { now: clock(), bands, cap: 100, dryRun: false, loadJobType }),
    work: () => runTestWorker(db, { concurrency: 3, graceMs: 1000, clock, config }),
    company: async (website, trackers = [["anna", 90, []]]) => {
      const orgnr = withCheckDigit(`5567${String(10000 + serial++).padStart(5, "0")}`);
      const stamp = toInstant(clock());
      await db
        .insertInto("company")
        .values({
          orgnr,
          name: `Företag ${serial} AB`,
          status: "active",
          sni_codes: "[]",
          reklamsparr: 0,
          source: "test",
          created_at: stamp,
          updated_at: stamp,
          legal_form: "AB",
          street: null,
          postcode: null,
          town: null,
          municipality: null,
          description: null,
          website,
          revenue_tkr: null,
          employees: null,
          registered_on: null,
          deregistered_on: null,
        })
        .execute();
      for (const [username, rank, keywords] of trackers) {
        await db
          .insertInto("app_user")
          .values({ username, display_name: null, email: null, role: "manager", created_at: stamp })
          .onConflict((oc) => oc.doNothing())
          .execute();
        const user = await db.selectFrom("app_user").select("id").where("username", "=", username).executeTakeFirstOrThrow();
        await db
          .insertInto("company_tracking")
          .values({ user_id: user.id, orgnr, rank, keywords: JSON.stringify(keywords), created_at: stamp, updated_at: stamp })
          .execute();
      }
      return orgnr;
    },
  };
}

const refreshState = (db: Db, orgnr: string) => db.selectFrom("company_refresh").selectAll().where("orgnr", "=", orgnr).executeTakeFirst();
const analyses = (db: Db, orgnr: string) =>
  db.selectFrom("web_analysis").select(["status", "error", "analysis", "platform"]).where("orgnr", "=", orgnr).orderBy("id").execute();
const openTitles = async (db: Db, orgnr: string) =>
  (
    await db.selectFrom("hiring_position").select("title").where("orgnr", "=", orgnr).where("closed_at", "is", null).orderBy("id").execute()
  ).map((r) => r.title);
const jobOf = (db: Db, orgnr: string) =>
  db.selectFrom("job").selectAll().where("dedupe_key", "=", `company.refresh:${orgnr}`).orderBy("id", "desc").executeTakeFirstOrThrow();

describe("company.refresh: the website analysis and the hiring signal", () => {
  it("analyses a tracked company's site (full_analysis), records positions from its linked careers page, and keeps history when they change", async () => {
    const w = await world();
    const orgnr = await w.company(careers.sites.godsbolaget as string, [
      ["anna", 90, ["lager", "truck"]],
      ["bo", 40, ["ekonomi"]],
    ]);
    expect((await w.tick()).enqueued).toHaveLength(1);
    expect(await w.work()).toMatchObject({ completed: 1, died: 0 });

    expect(await analyses(w.db, orgnr)).toEqual([{ status: "ok", error: null, analysis: "full_analysis", platform: null }]);
    const tech = await w.db.selectFrom("web_detection").select("name").orderBy("name").execute();
    expect(tech.map((t) => t.name)).toEqual(["WordPress", "jQuery"]);
    expect(await refreshState(w.db, orgnr)).toMatchObject({
      last_outcome: "ok",
      last_message: "no platform found; 3 open positions",
      consecutive_failures: 0,
      problem: 0,
    });
    const job = await jobOf(w.db, orgnr);
    expect(JSON.parse(job.result ?? "{}")).toMatchObject({
      outcome: "ok",
      careers: { complete: true, careersUrl: `${careers.sites.godsbolaget}lediga-jobb/`, source: "links", openPositions: 3, changed: true },
    });
    const positions = await w.db
      .selectFrom("hiring_position")
      .select(["title", "url", "location"])
      .where("orgnr", "=", orgnr)
      .orderBy("id")
      .execute();
    expect(positions).toEqual(
      DEFAULT_POSITIONS.godsbolaget.map((p) => ({
        title: p.title,
        location: p.location,
        url: expect.stringMatching(/\/lediga-jobb\/[a-z-]+\/$/),
      })),
    );
    expect((await keywordMatches(w.db, { username: "anna", limit: 10 })).matches.map((m) => [m.title, m.keywords])).toEqual([
      ["Lagerarbetare", ["lager"]],
      ["Truckförare, nattskift", ["truck"]],
    ]);
    expect((await keywordMatches(w.db, { username: "bo", limit: 10 })).matches.map((m) => m.title)).toEqual(["Ekonomiassistent"]);

    // Two days on: one position filled, a new one listed.
    careers.setPositions("godsbolaget", [
      DEFAULT_POSITIONS.godsbolaget[0]!,
      DEFAULT_POSITIONS.godsbolaget[1]!,
      { title: "Lagerchef", location: "Göteborg" },
    ]);
    w.advance(2 * D);
    expect((await w.tick()).enqueued).toHaveLength(1);
    await w.work();
    expect(await openTitles(w.db, orgnr)).toEqual(["Lagerarbetare", "Truckförare, nattskift", "Lagerchef"]);
    const closed = await w.db.selectFrom("hiring_position").select(["title", "closed_at"]).where("closed_at", "is not", null).execute();
    expect(closed.map((c) => c.title)).toEqual(["Ekonomiassistent"]);
    expect((await keywordMatches(w.db, { limit: 10 })).matches.map((m) => [m.user, m.title])).toEqual([
      ["anna", "Lagerchef"],
      ["anna", "Lagerarbetare"],
      ["anna", "Truckförare, nattskift"],
    ]);

    // Unchanged: no new snapshot, the latest one counts the check.
    w.advance(2 * D);
    await w.tick();
    await w.work();
    const snapshots = await w.db
      .selectFrom("hiring_snapshot")
      .select(["position_count", "checks", "source"])
      .where("orgnr", "=", orgnr)
      .orderBy("id")
      .execute();
    expect(snapshots).toEqual([
      { position_count: 3, checks: 1, source: "links" },
      { position_count: 3, checks: 2, source: "links" },
    ]);
    expect(await analyses(w.db, orgnr)).toHaveLength(3);

    // The careers page cannot be read this time (rate limited): the refresh is ok, the hiring history unchanged.
    careers.setRateLimited("godsbolaget", true);
    w.advance(2 * D);
    await w.tick();
    await w.work();
    careers.setRateLimited("godsbolaget", false);
    expect(await refreshState(w.db, orgnr)).toMatchObject({ last_outcome: "ok", last_message: "no platform found; careers page not read" });
    expect(await w.db.selectFrom("hiring_snapshot").select("checks").where("orgnr", "=", orgnr).orderBy("id").execute()).toEqual([
      { checks: 1 },
      { checks: 2 },
    ]);
    expect(await openTitles(w.db, orgnr)).toEqual(["Lagerarbetare", "Truckförare, nattskift", "Lagerchef"]);
    careers.setPositions("godsbolaget", DEFAULT_POSITIONS.godsbolaget);
  });

  it("finds postings in JSON-LD on a careers page at a usual path the start page does not link", async () => {
    const w = await world({ refreshAnalysis: "tech_analysis" });
    const orgnr = await w.company(careers.sites.akerinord as string);
    await w.tick();
    await w.work();
    const snap = await w.db.selectFrom("hiring_snapshot").selectAll().where("orgnr", "=", orgnr).executeTakeFirstOrThrow();
    expect(snap).toMatchObject({ careers_url: `${careers.sites.akerinord}karriar`, source: "json-ld", position_count: 2 });
    expect(JSON.parse(snap.positions)).toEqual([
      { title: "Lastbilschaufför C/CE", url: `${careers.sites.akerinord}karriar/tjanst-1`, location: "Umeå" },
      { title: "Transportledare", url: `${careers.sites.akerinord}karriar/tjanst-2`, location: "Luleå" },
    ]);
    // The usual paths are tried in order until one is a careers page.
    expect(Object.keys(careers.requests.akerinord ?? {})).toEqual(expect.arrayContaining(["/", "/jobb", "/lediga-jobb", "/karriar"]));
    expect(careers.requests.akerinord?.["/careers"]).toBeUndefined();
  });

  it("follows a careers page that lists nothing to the career site it links to (Teamtailor markup, another host)", async () => {
    const w = await world({ refreshAnalysis: "tech_analysis" });
    const orgnr = await w.company(careers.sites.grossisten as string);
    await w.tick();
    await w.work();
    const snap = await w.db.selectFrom("hiring_snapshot").selectAll().where("orgnr", "=", orgnr).executeTakeFirstOrThrow();
    expect(snap).toMatchObject({ careers_url: careers.sites.grossistenCareers, source: "links", position_count: 2 });
    expect(JSON.parse(snap.positions).map((p: { title: string; url: string }) => [p.title, new URL(p.url).pathname])).toEqual([
      ["Truckförare", "/jobs/5001-truckforare"],
      ["Säljare innesälj", "/jobs/5002-saljare-innesalj"],
    ]);
  });

  it("a site that answers every address with its start page has no careers page; a company without a website is skipped", async () => {
    const w = await world({ refreshAnalysis: "tech_analysis" });
    const catchall = await w.company(careers.sites.catchall as string);
    const none = await w.company(null);
    await w.tick();
    expect(await w.work()).toMatchObject({ completed: 2, died: 0 });
    expect(await refreshState(w.db, catchall)).toMatchObject({ last_outcome: "ok", last_message: "no platform found; no careers page" });
    expect(
      await w.db.selectFrom("hiring_snapshot").select(["careers_url", "position_count"]).where("orgnr", "=", catchall).execute(),
    ).toEqual([{ careers_url: null, position_count: 0 }]);
    expect(await refreshState(w.db, none)).toMatchObject({ last_outcome: "skipped", last_message: "no website", consecutive_failures: 0 });
    expect(await analyses(w.db, none)).toEqual([]);
  });

  it("without Chromium, a checkout analysis is made over plain HTTP with a note instead of failing the company", async () => {
    const w = await world({ chromiumPath: "/nonexistent/chromium" });
    const orgnr = await w.company(web.sites.klaesboden as string);
    await w.tick();
    expect(await w.work()).toMatchObject({ completed: 1 });
    expect(await refreshState(w.db, orgnr)).toMatchObject({ last_outcome: "ok" });
    const row = await w.db
      .selectFrom("web_analysis")
      .select(["status", "pages", "platform"])
      .where("orgnr", "=", orgnr)
      .executeTakeFirstOrThrow();
    expect(row).toMatchObject({ status: "ok", platform: "Vendre" });
    expect(JSON.parse(row.pages).notes.join(" ")).toMatch(/no browser .*analysed over plain HTTP only/);
  });
});

describe("company.refresh: failures, blocked sites and problem companies", () => {
  it("a blocked site is tried again later (Retry-After honoured) and counted as one failure only once it will not be retried", async () => {
    const w = await world({ webBlockedRetries: 2, refreshAnalysis: "tech_analysis" });
    const orgnr = await w.company(web.sites["rate-limited"] as string);
    await w.tick();
    for (let i = 1; i <= 2; i++) {
      const before = w.clock();
      expect(await w.work()).toMatchObject({ snoozed: 1, completed: 0 });
      const job = await jobOf(w.db, orgnr);
      expect(job).toMatchObject({ state: "pending", last_error: `blocked: rate limited (HTTP 429): tried again later (retry ${i} of 2)` });
      // At least the site's Retry-After (120 s), at least the blocked backoff (about 15 min, then 1 h).
      expect(Date.parse(job.run_at) - before).toBeGreaterThanOrEqual(i === 1 ? 0.9 * 900_000 : 0.9 * 3_600_000);
      expect(await refreshState(w.db, orgnr)).toBeUndefined(); // not a failure yet
      w.advance(5 * 3_600_000);
    }
    expect(await w.work()).toMatchObject({ completed: 1 });
    const job = await jobOf(w.db, orgnr);
    expect(JSON.parse(job.result ?? "{}")).toMatchObject({
      outcome: "failed",
      message: "blocked: rate limited (HTTP 429) (still after 2 retries)",
    });
    expect(await refreshState(w.db, orgnr)).toMatchObject({ last_outcome: "failed", consecutive_failures: 1, problem: 0 });
    expect((await analyses(w.db, orgnr)).map((a) => a.status)).toEqual(["blocked", "blocked", "blocked"]);
    const attempts = await w.db.selectFrom("job_attempt").select("outcome").where("job_id", "=", job.id).orderBy("id").execute();
    expect(attempts.map((a) => a.outcome)).toEqual(["snoozed", "snoozed", "completed"]);
  });

  it("a passing failure is retried with the queue's backoff and counts once for the job", async () => {
    const w = await world({ refreshAnalysis: "tech_analysis" });
    const orgnr = await w.company(closedPort);
    await w.tick();
    for (let i = 0; i < 2; i++) {
      expect(await w.work()).toMatchObject({ retried: 1 });
      expect(await refreshState(w.db, orgnr)).toBeUndefined();
      w.advance(20 * 60_000);
    }
    expect(await w.work()).toMatchObject({ completed: 1 });
    expect(await refreshState(w.db, orgnr)).toMatchObject({
      last_outcome: "failed",
      consecutive_failures: 1,
      last_message: expect.stringMatching(/connection refused/),
    });
    expect((await analyses(w.db, orgnr)).map((a) => a.status)).toEqual(["failed", "failed", "failed"]);
  });

  it("N failed refreshes in a row make a problem company that the cadence skips until it is reset", async () => {
    const w = await world({ refreshFailureThreshold: 2, refreshAnalysis: "tech_analysis" });
    const bad = await w.company(web.sites.gone as string);
    const good = await w.company(careers.sites.catchall as string);
    for (let i = 0; i < 2; i++) {
      expect((await w.tick()).enqueued.map((e) => e.orgnr).sort()).toEqual([bad, good].sort());
      await w.work();
      w.advance(2 * D);
    }
    expect(await refreshState(w.db, bad)).toMatchObject({
      last_outcome: "failed",
      consecutive_failures: 2,
      problem: 1,
      last_message: expect.stringMatching(/HTTP 404/),
    });
    const skipped = await w.tick();
    expect(skipped).toMatchObject({ problems: 1 });
    expect(skipped.enqueued.map((e) => e.orgnr)).toEqual([good]);
    await w.work();

    const problems = await listProblemCompanies(w.db, { limit: 10 });
    expect(problems.total).toBe(1);
    expect(problems.companies[0]).toMatchObject({
      orgnr: bad,
      consecutiveFailures: 2,
      trackers: 1,
      highestRank: 90,
      lastSuccessAt: null,
      website: web.sites.gone,
    });
    expect(problems.companies[0]?.lastErrors.map((e) => [e.status, e.error])).toEqual([
      ["failed", expect.stringMatching(/^HTTP 404 from/)],
      ["failed", expect.stringMatching(/^HTTP 404 from/)],
    ]);

    expect(await resetProblemCompany(w.db, bad, w.clock())).toMatchObject({ reset: true, wasProblem: true, clearedFailures: 2 });
    expect(await resetProblemCompany(w.db, bad, w.clock())).toMatchObject({ reset: false });
    w.advance(2 * D);
    expect((await w.tick()).enqueued.map((e) => e.orgnr).sort()).toEqual([bad, good].sort());
    expect((await listProblemCompanies(w.db, { limit: 10 })).total).toBe(0);
  });
});
