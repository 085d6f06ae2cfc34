import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { counts, query } from "../helpers/query.ts";
import { tempDir } from "../helpers/store.ts";

const SEED = ["seed", "--companies", "60", "--tracked", "30", "--answers", "5", "--now", "2026-03-01T12:00:00Z"];

describe("leadjobs seed", () => {
  it("invents no real-looking websites: every seeded website is under .example (RFC 2606)", async () => {
    const db = join(tempDir(), "demo.db");
    await runJson(SEED, db);
    const sites = query<{ website: string }>(
      db,
      "select website from company where website is not null union all select website from tenant where website is not null",
    );
    expect(sites.length).toBeGreaterThan(10);
    expect(sites.filter((s) => !/^https:\/\/www\.[a-z0-9-]+\.example$/.test(s.website))).toEqual([]);
    const leadSites = query<{ website: string }>(db, "select website from lead where website is not null");
    expect(leadSites.filter((s) => !new URL(s.website).hostname.endsWith(".example"))).toEqual([]);
    await runJson(SEED, db); // the demo database itself re-seeds
  });

  it("refuses a database holding data that is not the seed's, unless --force", async () => {
    const db = join(tempDir(), "real.db");
    await runJson(["schedule", "add", "--name", "mine", "--type", "noop", "--cron", "0 2 * * *"], db);
    const tables = ["company", "schedule", "tenant", "app_user", "schedule_audit"];
    const before = counts(db, tables);
    for (const extra of [[], ["--reset"]]) {
      const r = await runCli([...SEED, ...extra], db);
      expect(r.code, extra.join(" ")).toBe(2);
      expect(r.stderr).toMatch(
        /data that is not the seed's \(1 schedule not from the seed\); nothing was written \(use another --db, or pass --force\)/,
      );
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(counts(db, tables)).toEqual(before);
    }
    const forced = await runJson([...SEED, "--force"], db);
    expect(forced.companies).toBe(60);
    expect(query(db, "select count(*) as n from schedule where name = 'mine'")).toEqual([{ n: 1 }]);
  });

  it("refuses to reset a database whose users were defined with users add, unless --force", async () => {
    const db = join(tempDir(), "team.db");
    await runJson(SEED, db);
    expect((await runCli(["users", "add", "anna", "--role", "admin"], db)).code).toBe(0);
    const before = counts(db, ["app_user", "company"]);
    const r = await runCli([...SEED, "--reset"], db);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /seed --reset would delete data that is not the seed's \(1 user defined with users add\); nothing was written/,
    );
    expect(counts(db, ["app_user", "company"])).toEqual(before);
    expect(query(db, "select count(*) as n from app_user where username = 'anna' and defined_at is not null")).toEqual([{ n: 1 }]);
  });
});
