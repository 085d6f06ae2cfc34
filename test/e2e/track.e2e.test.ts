import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { withCheckDigit } from "../../src/core/domain/orgnr.ts";
import { runCli, runJson } from "../helpers/cli.ts";
import { counts, query } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

const oneLine = (text: string) => text.trim().split("\n").length === 1;

/** Seeded companies without a website: their refreshes never go to the network. */
async function seeded() {
  const db = join(tempDir(), "t.db");
  await runJson(["seed", "--companies", "60", "--tracked", "0", "--users", "2"], db);
  const orgnrs = query<{ orgnr: string }>(
    db,
    "select orgnr from company where status = 'active' and website is null order by orgnr limit 3",
  ).map((r) => r.orgnr);
  if (orgnrs.length < 3) throw new Error("the seed has fewer than 3 companies without a website");
  return { db, orgnrs: orgnrs as [string, string, string] };
}

describe("track, untrack, tracked", () => {
  it("tracks with a rank and keywords, changes the rank, lists with interval and refresh state, untracks", async () => {
    const {
      db,
      orgnrs: [a, b],
    } = await seeded();
    const t = await runJson(
      ["track", `${a.slice(0, 6)}-${a.slice(6)}`, "--rank", "85", "--as", "anna", "--keywords", "Lager, logistik"],
      db,
    );
    expect(t).toMatchObject({ orgnr: a, rank: 85, user: "anna", created: true, userCreated: true, keywords: ["lager", "logistik"] });
    expect((await runCli(["track", b, "--rank", "25", "--as", "anna"], db)).stdout).toMatch(
      /^anna now tracks .* at rank 25 \(rank 25 is refreshed every 4d\)/,
    );
    await runJson(["track", b, "--rank", "65", "--as", "bo"], db);
    const changed = await runJson(["track", a, "--rank", "40", "--as", "anna"], db);
    expect(changed).toMatchObject({ created: false, previousRank: 85 });
    expect(query(db, "select keywords from company_tracking where orgnr = ?", a)).toEqual([{ keywords: '["lager","logistik"]' }]);

    const mine = await runJson(["tracked", "--as", "anna"], db);
    expect(
      mine.companies.map((c: { orgnr: string; rank: number; highestRank: number; intervalMs: number }) => [
        c.orgnr,
        c.rank,
        c.highestRank,
        c.intervalMs / 86_400_000,
      ]),
    ).toEqual([
      [a, 40, 40, 3],
      [b, 25, 65, 2],
    ]);
    const all = await runJson(["tracked"], db);
    expect(all.total).toBe(2);
    expect(all.companies[0]).toMatchObject({ orgnr: b, rank: 65, trackers: 2, nextRefreshAt: null, queued: false, lastOutcome: null });

    expect((await runJson(["untrack", b, "--as", "anna"], db)).remainingTrackers).toBe(1);
    expect((await runJson(["tracked", "--as", "anna"], db)).total).toBe(1);
  });

  it("the cadence enqueues refreshes; the worker records companies without a website as skipped; the next is due a band interval later", async () => {
    const {
      db,
      orgnrs: [a, b, c],
    } = await seeded();
    await runJson(["track", a, "--rank", "90", "--as", "anna"], db);
    await runJson(["track", b, "--rank", "50", "--as", "anna"], db);
    await runJson(["track", c, "--rank", "5", "--as", "anna"], db);
    const tick = await runJson(["enqueue", "--refresh-cap", "2"], db);
    expect(tick.refresh).toMatchObject({ due: 3, enqueued: 2, deferred: 1 });
    expect(tick.refresh.companies.map((x: { orgnr: string }) => x.orgnr)).toEqual([a, b]);
    expect((await runJson(["tracked"], db)).companies.map((x: { queued: boolean }) => x.queued)).toEqual([true, true, false]);
    expect((await runJson(["enqueue", "--refresh-cap", "2"], db)).refresh.companies.map((x: { orgnr: string }) => x.orgnr)).toEqual([c]);
    expect((await runJson(["process"], db)).completed).toBe(3);

    const after = await runJson(["tracked"], db);
    expect(after.companies[0]).toMatchObject({
      orgnr: a,
      lastOutcome: "skipped",
      lastMessage: "no website",
      queued: false,
      problem: false,
      hiring: null,
    });
    // The interval counts from when the refresh was enqueued (a little before it finished).
    const next = Date.parse(after.companies[0].nextRefreshAt) - Date.parse(after.companies[0].lastRefreshedAt);
    expect(next).toBeLessThanOrEqual(86_400_000);
    expect(next).toBeGreaterThan(86_400_000 - 60_000);
    const later = (hours: number) => new Date(Date.now() + hours * 3_600_000).toISOString();
    // Ticks half an hour apart: not due before the interval (a tick may be early by half the time between ticks).
    await runJson(["enqueue", "--refresh-cap", "0", "--now", later(22.5)], db);
    expect((await runJson(["enqueue", "--now", later(23)], db)).refresh.due).toBe(0);
    expect(
      (await runJson(["enqueue", "--dry-run", "--now", later(25)], db)).refresh.companies.map((x: { orgnr: string }) => x.orgnr),
    ).toEqual([a]);
    expect(
      (await runJson(["enqueue", "--dry-run", "--now", later(24 * 3 + 1)], db)).refresh.companies.map((x: { orgnr: string }) => x.orgnr),
    ).toEqual([a, b]);
  });

  it("bad input: invalid rank, invalid or unknown organisationsnummer, not tracked; nothing written", async () => {
    const {
      db,
      orgnrs: [a],
    } = await seeded();
    const before = counts(db, ["company_tracking", "app_user", "company_refresh"]);
    const unknown = withCheckDigit("556999888");
    const good = withCheckDigit("556000000");
    const badCheck = `${good.slice(0, 9)}${(Number(good[9]) + 1) % 10}`;
    const cases: Array<[string[], RegExp]> = [
      [["track", a, "--rank", "0"], /invalid --rank "0": expected a whole number from 1 \(lowest\) to 100 \(highest\)/],
      [["track", a, "--rank", "101"], /invalid --rank "101"/],
      [["track", a, "--rank", "high"], /invalid --rank "high"/],
      [["track", a], /required option '--rank <n>' not specified/],
      [["track", badCheck, "--rank", "50"], /invalid organisationsnummer: "\d{10}": wrong check digit/],
      [["track", "8001011234", "--rank", "50"], /the third digit must be 2 or more/],
      [["track", unknown, "--rank", "50", "--as", "newbie"], /unknown company 556999-888\d: it is not in the database/],
      [["untrack", a, "--as", "anna"], /is not tracked by anna/],
      [["tracked", "--as", "nobody"], /no user named "nobody"/],
      [["track", a, "--rank", "50", "--as", "two words"], /invalid --as "two words"/],
    ];
    for (const [args, message] of cases) {
      const r = await runCli(args, db);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(oneLine(r.stderr)).toBe(true);
    }
    expect(counts(db, ["company_tracking", "app_user", "company_refresh"])).toEqual(before);
  });
});
