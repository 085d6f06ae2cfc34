import { existsSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { onPostgres } from "../helpers/backend.ts";
import { query } from "../helpers/query.ts";
import { runCli, runJson } from "../helpers/cli.ts";
import { addProject, addTenant, withDb } from "../helpers/backoffice.ts";
import { createDb, tempDir } from "../helpers/store.ts";

describe("a mistyped database path does not pass monitoring", () => {
  it("commands that only read never create a database: exit 2, one line, nothing created", async () => {
    const dir = tempDir();
    const typo = join(dir, "typo", "leadjbos.db");
    const reads = [
      ["status", "--check"],
      ["status", "--json"],
      ["jobs", "list"],
      ["jobs", "show", "1"],
      ["schedule", "list"],
      ["schedule", "show", "x"],
      ["schedule", "history", "x"],
      ["enqueue", "--dry-run"],
      ["enqueue", "--dry-run", "--json"],
      ["cleanup", "--dry-run"],
      ["leads", "list"],
      ["leads", "show", "1"],
      ["companies", "search", "bygg"],
      ["companies", "show", "5560160680"],
      ["companies", "problems"],
      ["tracked"],
      ["brands", "list"],
      ["terminals", "list"],
      ["report", "leads"],
      ["report", "brands"],
      ["report", "html", "--out", join(dir, "typo", "r.html")],
      ["invoices", "list"],
      ["invoices", "show", "1"],
      ["projects", "list"],
      ["projects", "show", "1"],
      ["alerts", "list"],
      ["alerts", "show", "1"],
      ["links", "list"],
      ["backoffice", "export"],
      ["brands", "competitors", "x"],
    ];
    for (const args of reads) {
      const r = await runCli(args, typo);
      expect(r.code, args.join(" ")).toBe(2);
      if (onPostgres) {
        // A database (here: a schema) without leadjobs' tables; reading never creates them.
        expect(r.stderr).toMatch(
          /^leadjobs: no leadjobs database at postgres:\/\/\S+ \(it has no tables\) \(check --db or LEADJOBS_DB; commands that only read never create the tables\)\n$/,
        );
        expect(query(typo, "select count(*) as n from pg_tables where schemaname = current_schema()")).toEqual([{ n: 0 }]);
      } else {
        expect(r.stderr).toBe(`leadjobs: no database at ${typo} (check --db or LEADJOBS_DB; commands that only read never create one)\n`);
        expect(existsSync(join(dir, "typo")), args.join(" ")).toBe(false);
      }
    }
    const flag = await runCli(["--db", typo, "status", "--check"], undefined);
    expect([flag.code, existsSync(typo)]).toEqual([2, false]);

    if (onPostgres) return; // the rest is about files
    const empty = join(dir, "empty.db");
    await (await import("node:fs/promises")).writeFile(empty, "");
    const zero = await runCli(["status", "--check"], empty);
    expect(zero.code).toBe(2);
    expect(zero.stderr).toMatch(/empty\.db is an empty file, not a leadjobs database/);
  });

  it("status --check on a database nothing ever ran on is unhealthy", async () => {
    const db = await createDb(join(tempDir(), "fresh.db"));
    const r = await runCli(["status", "--check"], db);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /the database is empty: no jobs, no schedules and no `leadjobs enqueue` or `leadjobs process` run are recorded/,
    );
  });

  it("active schedules with no process run ever, projects with no alerts run ever: unhealthy", async () => {
    const db = join(tempDir(), "never.db");
    await runJson(["schedule", "add", "--name", "nightly", "--type", "noop", "--cron", "0 2 * * *"], db);
    const never = await runCli(["status", "--check"], db);
    expect(never.code).toBe(1);
    expect(never.stdout).toMatch(/1 active schedule\(s\) and no successful `leadjobs process` run is recorded/);
    await runJson(["enqueue"], db);
    await runJson(["process"], db);
    expect((await runCli(["status", "--check"], db)).code).toBe(0);

    await withDb(db, async (d) => {
      const t = await addTenant(d);
      await addProject(d, t.id, { budget: { hours: 60 }, thresholds: [["hours", 80]] });
    });
    const noAlerts = await runCli(["status", "--check"], db);
    expect(noAlerts.code).toBe(1);
    expect(noAlerts.stdout).toMatch(/the budget alert worker \(`leadjobs alerts`\) has never completed a run/);
    await runJson(["alerts"], db);
    const ok = await runCli(["status", "--check"], db);
    expect([ok.code, ok.stdout]).toEqual([0, expect.stringMatching(/health: ok/)]);
  });
});
