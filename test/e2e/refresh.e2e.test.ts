import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withCheckDigit } from "../../src/core/domain/orgnr.ts";
import { startCareersSites, type CareersSites } from "../fixtures/web/careers.mjs";
import { startFixtureSites, type FixtureServers } from "../fixtures/web/server.mjs";
import { spawnSync } from "node:child_process";
import { BIN, cliEnv, runCli, runJson } from "../helpers/cli.ts";
import { findProgram, requireTools } from "../helpers/system.ts";
import { counts, writeSync } from "../helpers/query.ts";
import { createDb, tempDir } from "../helpers/store.ts";

// The company refresh through the real binary, as cron runs it: track → enqueue → process →
// tracked, against company web sites on 127.0.0.1.
let careers: CareersSites;
let web: FixtureServers;
beforeAll(async () => {
  careers = await startCareersSites();
  web = await startFixtureSites({ slowMs: 20_000 });
});
afterAll(async () => {
  await careers.close();
  await web.close();
});

const NOW = "2026-11-02T08:00:00.000Z";
const orgnr = (n: number) => withCheckDigit(`55${String(7000000 + n).padStart(7, "0")}`);

/** A database with companies and their websites (no command sets a website yet). */
async function companiesDb(websites: Array<string | null>): Promise<string> {
  const db = join(tempDir(), "refresh.db");
  await createDb(db); // creates and migrates it
  websites.forEach((w, i) =>
    writeSync(
      db,
      "insert into company (orgnr, name, website, created_at, updated_at) values (?, ?, ?, ?, ?)",
      orgnr(i + 1),
      `Bolag ${i + 1} AB`,
      w,
      NOW,
      NOW,
    ),
  );
  return db;
}

const WEB = { LEADJOBS_WEB_ALLOW_PRIVATE: "1", LEADJOBS_WEB_DELAY: "0ms", LEADJOBS_WEB_TIMEOUT: "5s" };

describe("company refresh end to end", () => {
  it("track → enqueue → process: the analysis is stored, tracked shows outcome and open positions, tracked --matches lists each user's matches", async () => {
    const db = await companiesDb([careers.sites.godsbolaget as string, careers.sites.akerinord as string, null]);
    const [a, b, c] = [orgnr(1), orgnr(2), orgnr(3)];
    await runJson(["track", a, "--rank", "90", "--as", "anna", "--keywords", "lager,truck"], db);
    await runJson(["track", b, "--rank", "70", "--as", "anna"], db);
    await runJson(["track", b, "--rank", "50", "--as", "bo", "--keywords", "lastbil,transport"], db);
    await runJson(["track", c, "--rank", "10", "--as", "bo", "--keywords", "lager"], db);

    const tick = await runJson(["enqueue"], db);
    expect(tick.refresh).toMatchObject({ due: 3, enqueued: 3, problems: 0 });
    const run = await runJson(["process"], db, { env: WEB });
    expect(run).toMatchObject({ completed: 3, died: 0 });

    const tracked = await runJson(["tracked"], db);
    const byOrgnr = Object.fromEntries(tracked.companies.map((x: { orgnr: string }) => [x.orgnr, x]));
    expect(byOrgnr[a]).toMatchObject({
      lastOutcome: "ok",
      lastMessage: "no platform found; 3 open positions",
      queued: false,
      hiring: { openPositions: 3, careersUrl: `${careers.sites.godsbolaget}lediga-jobb/` },
    });
    expect(byOrgnr[b]).toMatchObject({ lastOutcome: "ok", hiring: { openPositions: 2, careersUrl: `${careers.sites.akerinord}karriar` } });
    expect(byOrgnr[c]).toMatchObject({ lastOutcome: "skipped", lastMessage: "no website", hiring: null });
    const table = await runCli(["tracked", "--as", "anna"], db);
    expect(table.stdout).toMatch(/^ORGNR .* OUTCOME .* JOBS$/m);
    expect(table.stdout).toMatch(/Bolag 1 AB .* ok: no platform found; 3 open pos… .* 3 open$/m);

    const web = await runJson(["web", "show", a], db);
    expect(web.analyses).toHaveLength(1);
    expect(web.analyses[0]).toMatchObject({ analysis: "full_analysis", status: "ok" });
    expect(web.analyses[0].detections.map((d: { name: string }) => d.name).sort()).toEqual(["WordPress", "jQuery"]);

    const anna = await runJson(["tracked", "--matches", "--as", "anna"], db);
    expect(anna).toMatchObject({ user: "anna", total: 2 });
    expect(anna.matches.map((m: { title: string; keywords: string[]; orgnr: string }) => [m.orgnr, m.title, m.keywords])).toEqual([
      [a, "Lagerarbetare", ["lager"]],
      [a, "Truckförare, nattskift", ["truck"]],
    ]);
    const all = await runJson(["tracked", "--matches"], db);
    expect(all.matches.map((m: { user: string; title: string }) => `${m.user}: ${m.title}`)).toEqual([
      "anna: Lagerarbetare",
      "anna: Truckförare, nattskift",
      "bo: Lastbilschaufför C/CE",
      "bo: Transportledare",
    ]);
    const text = await runCli(["tracked", "--matches"], db);
    expect(text.code).toBe(0);
    expect(text.stdout).toMatch(/^anna\s+#\d+\s+55\d{4}-\d{4} Bolag 1 AB\s+Lagerarbetare \(Göteborg\)\s+lager\s+/m);
    expect(text.stdout).toMatch(/\/lediga-jobb\/lagerarbetare\//);
  });

  it("N failed refreshes make a problem company: tracked flags it, enqueue skips it, companies problems lists it, companies reset puts it back", async () => {
    const db = await companiesDb([web.sites.gone as string, careers.sites.catchall as string]);
    const [bad, good] = [orgnr(1), orgnr(2)];
    await runJson(["track", bad, "--rank", "95", "--as", "anna"], db);
    await runJson(["track", good, "--rank", "60", "--as", "anna"], db);
    // Every company is due at every tick; two failures in a row make a problem.
    const env = {
      ...WEB,
      LEADJOBS_REFRESH_BANDS: "1-100:1ms",
      LEADJOBS_REFRESH_FAILURE_THRESHOLD: "2",
      LEADJOBS_REFRESH_ANALYSIS: "tech_analysis",
    };
    for (let i = 0; i < 2; i++) {
      expect((await runJson(["enqueue"], db, { env })).refresh.enqueued).toBe(2);
      expect(await runJson(["process"], db, { env })).toMatchObject({ completed: 2, died: 0 });
    }
    const tracked = await runCli(["tracked"], db, { env });
    expect(tracked.stdout).toMatch(/failed: HTTP 404 from .*PROBLEM since/);
    expect(tracked.stdout).toMatch(/see `leadjobs companies problems`/);

    const skipped = await runJson(["enqueue"], db, { env });
    expect(skipped.refresh).toMatchObject({ enqueued: 1, problems: 1 });
    expect(skipped.refresh.companies.map((x: { orgnr: string }) => x.orgnr)).toEqual([good]);

    const problems = await runJson(["companies", "problems"], db, { env });
    expect(problems).toMatchObject({ threshold: 2, total: 1 });
    expect(problems.companies[0]).toMatchObject({
      orgnr: bad,
      consecutiveFailures: 2,
      website: web.sites.gone,
      lastMessage: expect.stringMatching(/^HTTP 404 from/),
    });
    expect(problems.companies[0].lastErrors).toHaveLength(2);
    const listing = await runCli(["companies", "problems"], db, { env });
    expect(listing.stdout).toMatch(/Bolag 1 AB .*\s2\s+never\s+HTTP 404 from/);
    expect(listing.stdout).toMatch(/failed\s+HTTP 404 from/);

    const reset = await runCli(["companies", "reset", `${bad.slice(0, 6)}-${bad.slice(6)}`], db, { env });
    expect(reset.code).toBe(0);
    expect(reset.stdout).toMatch(/Bolag 1 AB is back in the refresh cadence/);
    expect((await runJson(["companies", "reset", bad], db, { env })).reset).toBe(false);
    expect(await runJson(["companies", "problems"], db, { env })).toMatchObject({ total: 0 });
    await runJson(["process"], db, { env });
    const back = await runJson(["enqueue"], db, { env });
    expect(back.refresh.companies.map((x: { orgnr: string }) => x.orgnr)).toEqual([bad, good]);
  });

  it("a daily company stays daily under ticks exactly 24 h apart (anacron)", async (ctx) => {
    requireTools(["faketime"])(ctx);
    const db = await companiesDb([null]);
    await runJson(["track", orgnr(1), "--rank", "90", "--as", "anna"], db);
    const at = (when: string, args: string[]) => {
      const r = spawnSync(findProgram("faketime") ?? "faketime", ["-f", `@${when}`, process.execPath, BIN, ...args, "--json"], {
        encoding: "utf8",
        env: cliEnv(db, { TZ: "UTC" }),
      });
      expect(r.status, `${args.join(" ")} at ${when}: ${r.stderr}`).toBe(0);
      return JSON.parse(r.stdout);
    };
    for (const day of ["2026-12-10", "2026-12-11", "2026-12-12"]) {
      expect(at(`${day} 04:00:00`, ["enqueue"]).refresh, day).toMatchObject({ due: 1, enqueued: 1 });
      expect(at(`${day} 04:00:30`, ["process"]), day).toMatchObject({ completed: 1 });
    }
    // Not twice a day: a second tick on the same day finds nothing due.
    expect(at("2026-12-12 16:00:00", ["enqueue"]).refresh).toMatchObject({ due: 0, enqueued: 0 });
  });

  it("bad input: one line, exit 2, nothing written", async () => {
    const db = await companiesDb([null]);
    await runJson(["track", orgnr(1), "--rank", "50", "--as", "anna", "--keywords", "lager"], db);
    const tables = ["company_refresh", "job", "hiring_snapshot", "hiring_position", "company_tracking", "app_user"];
    const before = counts(db, tables);
    const cases: Array<[string[], RegExp]> = [
      [["companies", "reset", "12345"], /invalid organisationsnummer/],
      [
        ["companies", "reset", `${orgnr(1).slice(0, 9)}${(Number(orgnr(1)[9]) + 1) % 10}`],
        /invalid organisationsnummer: .*wrong check digit/,
      ],
      [["companies", "reset", orgnr(2)], /unknown company 55\d{4}-\d{4}: it is not in the database/],
      [["companies", "reset"], /missing required argument 'orgnr'/],
      [["companies", "problems", "--limit", "0"], /invalid --limit "0"/],
      [["tracked", "--matches", "--as", "nobody"], /no user named "nobody"/],
      [["tracked", "--matches", "--limit", "x"], /invalid --limit "x"/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, db);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    expect(counts(db, tables)).toEqual(before);
  });
});
