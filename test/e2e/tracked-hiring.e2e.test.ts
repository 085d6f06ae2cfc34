import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { withCheckDigit } from "../../src/core/domain/orgnr.ts";
import { startCareersSites, type CareersSites } from "../fixtures/web/careers.mjs";
import { runCli, runJson } from "../helpers/cli.ts";
import { counts } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

// `tracked hiring`: the hiring history the company refresh keeps, through the real binary.
let careers: CareersSites;
beforeAll(async () => {
  careers = await startCareersSites();
});
afterAll(() => careers.close());

const orgnr = (n: number) => withCheckDigit(`55${String(7100000 + n).padStart(7, "0")}`);
// Every tracked company is due at every tick.
const ENV = {
  LEADJOBS_WEB_ALLOW_PRIVATE: "1",
  LEADJOBS_WEB_DELAY: "0ms",
  LEADJOBS_WEB_TIMEOUT: "5s",
  LEADJOBS_REFRESH_BANDS: "1-100:1ms",
  LEADJOBS_REFRESH_ANALYSIS: "tech_analysis",
};

/** A database with companies and their websites, imported from a CSV. */
async function companiesDb(websites: Array<string | null>): Promise<string> {
  const dir = tempDir();
  const db = join(dir, "hiring.db");
  const csv = join(dir, "companies.csv");
  writeFileSync(csv, ["orgnr,name,website", ...websites.map((w, i) => `${orgnr(i + 1)},Bolag ${i + 1} AB,${w ?? ""}`)].join("\n"));
  await runJson(["companies", "import", csv], db);
  return db;
}

interface Position {
  id: number;
  title: string;
  openedAt: string;
  closedAt: string | null;
  openMs: number;
}

describe("tracked hiring", () => {
  it("lists open and closed positions with how long they were listed; tracked --matches names the position", async () => {
    careers.setPositions("godsbolaget", [
      { title: "Lagerarbetare", location: "Göteborg" },
      { title: "Ekonomiassistent", location: "Borås" },
    ]);
    const db = await companiesDb([careers.sites.godsbolaget as string, null, null]);
    const [a, b] = [orgnr(1), orgnr(2)];
    await runJson(["track", a, "--rank", "90", "--as", "anna", "--keywords", "lager"], db);
    await runJson(["track", b, "--rank", "40", "--as", "bo"], db);

    // Before any check: the company is tracked, nothing is known yet.
    const before = await runJson(["tracked", "hiring", a], db);
    expect(before.companies).toEqual([{ orgnr: a, name: "Bolag 1 AB", careersUrl: null, checkedAt: null, open: [], closed: [] }]);
    expect((await runCli(["tracked", "hiring", a], db)).stdout).toMatch(/careers page never read/);

    expect(await runJson(["enqueue"], db, { env: ENV })).toMatchObject({ refresh: { enqueued: 2 } });
    expect(await runJson(["process"], db, { env: ENV })).toMatchObject({ completed: 2, died: 0 });
    // The second check: one position gone, one new.
    careers.setPositions("godsbolaget", [
      { title: "Lagerarbetare", location: "Göteborg" },
      { title: "Lagerchef", location: "Göteborg" },
    ]);
    expect(await runJson(["enqueue"], db, { env: ENV })).toMatchObject({ refresh: { enqueued: 2 } });
    expect(await runJson(["process"], db, { env: ENV })).toMatchObject({ completed: 2, died: 0 });

    const now = "2027-01-01T00:00:00.000Z";
    const h = await runJson(["tracked", "hiring", `${a.slice(0, 6)}-${a.slice(6)}`, "--now", now], db);
    expect(h).toMatchObject({ orgnr: a, positions: 3, more: 0 });
    const [c] = h.companies;
    expect(c).toMatchObject({ orgnr: a, careersUrl: `${careers.sites.godsbolaget}lediga-jobb/`, checkedAt: expect.any(String) });
    expect(c.open.map((p: Position) => p.title).sort()).toEqual(["Lagerarbetare", "Lagerchef"]);
    expect(c.closed.map((p: Position) => p.title)).toEqual(["Ekonomiassistent"]);
    const closed = c.closed[0] as Position;
    expect(closed.openMs).toBe(Date.parse(closed.closedAt as string) - Date.parse(closed.openedAt));
    expect(closed.openMs).toBeGreaterThan(0);
    for (const p of c.open as Position[]) {
      expect(p.closedAt).toBeNull();
      // still open: listed until now (the pinned clock runs on while the command runs)
      expect(p.openMs).toBeGreaterThanOrEqual(Date.parse(now) - Date.parse(p.openedAt));
    }
    // The position seen at both checks keeps its first sighting; the new one opened at the second.
    const kept = (c.open as Position[]).find((p) => p.title === "Lagerarbetare") as Position;
    const added = (c.open as Position[]).find((p) => p.title === "Lagerchef") as Position;
    expect(kept.openedAt).toBe(closed.openedAt);
    expect(added.openedAt).toBe(closed.closedAt);

    // Each match names its position, as `tracked hiring` lists it.
    const matches = await runJson(["tracked", "--matches"], db);
    const byTitle = new Map((c.open as Position[]).map((p) => [p.title, p.id]));
    expect(matches.matches.map((m: { title: string; positionId: number }) => [m.title, m.positionId])).toEqual([
      ["Lagerchef", byTitle.get("Lagerchef")],
      ["Lagerarbetare", byTitle.get("Lagerarbetare")],
    ]);
    const matchText = await runCli(["tracked", "--matches"], db);
    expect(matchText.stdout).toMatch(new RegExp(`^anna\\s+#${byTitle.get("Lagerchef")}\\s+55\\d{4}-\\d{4} Bolag 1 AB\\s+Lagerchef`, "m"));
    expect(matchText.stdout).toMatch(/leadjobs tracked hiring ORGNR/);

    // Every tracked company (the one without a website has no positions); --as one user's.
    const all = await runJson(["tracked", "hiring"], db);
    expect(all.companies.map((x: { orgnr: string }) => x.orgnr)).toEqual([a, b]);
    expect((await runJson(["tracked", "hiring", "--as", "bo"], db)).companies.map((x: { orgnr: string }) => x.orgnr)).toEqual([b]);
    const limited = await runJson(["tracked", "hiring", "--limit", "1"], db);
    expect(limited).toMatchObject({ positions: 1, more: 2 });

    const text = await runCli(["tracked", "hiring", a, "--now", now], db);
    expect(text.code).toBe(0);
    expect(text.stderr).toBe("");
    expect(text.stdout).toMatch(/^POSITION\s+COMPANY\s+TITLE\s+OPENED\s+CLOSED\s+LISTED FOR$/m);
    expect(text.stdout).toMatch(
      new RegExp(
        `^#${closed.id}\\s+55\\d{4}-\\d{4} Bolag 1 AB\\s+Ekonomiassistent \\(Borås\\)\\s+\\d{4}-\\d\\d-\\d\\d\\s+\\d{4}-\\d\\d-\\d\\d\\s+`,
        "m",
      ),
    );
    expect(text.stdout).toMatch(/^#\d+\s+.*Lagerchef \(Göteborg\)\s+\d{4}-\d\d-\d\d\s+open\s+\d+d/m);
    expect(text.stdout).toMatch(/2 open, 1 closed/);
  });

  it("an unknown or untracked orgnr: one line, exit 2, nothing written", async () => {
    const db = await companiesDb([null, null]);
    await runJson(["track", orgnr(1), "--rank", "50", "--as", "anna"], db);
    const tables = ["company_tracking", "app_user", "hiring_snapshot", "hiring_position", "job"];
    const cases: Array<[string[], RegExp]> = [
      [["tracked", "hiring", orgnr(3)], /unknown company 55\d{4}-\d{4}: it is not in the database/],
      [["tracked", "hiring", orgnr(2)], /55\d{4}-\d{4} is not tracked: its careers page is not read/],
      [["tracked", "hiring", orgnr(1), "--as", "nobody"], /no user named "nobody"/],
      [["tracked", "hiring", "12345"], /invalid organisationsnummer/],
      [["tracked", "hiring", "--limit", "0"], /invalid --limit "0"/],
    ];
    await runJson(["track", orgnr(2), "--rank", "50", "--as", "bo"], db);
    await runJson(["untrack", orgnr(2), "--as", "bo"], db);
    const after = counts(db, tables);
    for (const [args, message] of cases) {
      const r = await runCli(args, db);
      expect(r.code, args.join(" ")).toBe(2);
      expect(r.stderr).toMatch(message);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
    // bo exists now but does not track orgnr(1)
    const notBos = await runCli(["tracked", "hiring", orgnr(1), "--as", "bo"], db);
    expect([notBos.code, notBos.stderr.trim()]).toEqual([2, expect.stringMatching(/is not tracked by bo/)]);
    expect(counts(db, tables)).toEqual(after);
  });
});
