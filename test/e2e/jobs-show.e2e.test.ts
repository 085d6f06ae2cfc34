import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli, runJson } from "../helpers/cli.ts";
import { tempDir } from "../helpers/store.ts";

const NOW = "2026-03-02T09:00:00Z";

describe("jobs show prints a job's JSON once", () => {
  it("a job that stores its report as progress too (links.cleanup, budget.alerts): the report is printed once, as the result", async () => {
    const db = join(tempDir(), "show.db");
    await runJson(["seed", "--companies", "100", "--tracked", "0", "--answers", "0", "--now", NOW], db);
    await runJson(["cleanup"], db);
    await runJson(["alerts", "--now", NOW], db);
    const { jobs } = await runJson<{ jobs: Array<{ id: number; type: string }> }>(["jobs", "list"], db);
    for (const type of ["links.cleanup", "budget.alerts"]) {
      const id = jobs.find((j) => j.type === type)?.id;
      const r = await runCli(["jobs", "show", String(id)], db);
      expect([r.code, r.stderr]).toEqual([0, ""]);
      const key = type === "links.cleanup" ? '"deactivated":' : '"withoutBudget":';
      expect({ type, times: r.stdout.split(key).length - 1 }).toEqual({ type, times: 1 });
      expect(r.stdout).toMatch(/^ {2}result {4}\{/m);
    }
    const alerts = await runCli(["jobs", "show", String(jobs.find((j) => j.type === "budget.alerts")?.id)], db);
    expect(alerts.stdout).toMatch(/^ {2}progress {2}\{"done":\d+,"total":\d+\}$/m);
  });

  it("a job whose progress says something else keeps its progress line", async () => {
    const db = join(tempDir(), "progress.db");
    await runJson(["seed", "--companies", "100", "--tracked", "0", "--answers", "0", "--now", NOW], db);
    await runJson(["leads", "analyze", "1", "--provider", "rules"], db);
    const r = await runCli(["jobs", "show", "1"], db);
    // (jsonb on PostgreSQL orders keys its own way)
    expect(r.stdout).toMatch(/^ {2}progress {2}\{.*"message":"looked at 1\/1 lead/m);
    expect(r.stdout).toMatch(/^ {2}result {4}\{.*"selected":1[,}]/m);
  });

  it("--json prints a stored result with its keys in one order on both backends (jsonb's: shortest first)", async () => {
    const db = join(tempDir(), "order.db");
    await runJson(["alerts", "--now", NOW], db);
    const listed = await runJson(["jobs", "list"], db);
    const shown = await runJson(["jobs", "show", String(listed.jobs[0].id)], db);
    for (const job of [listed.jobs[0], shown.job]) {
      const keys = Object.keys(job.result);
      expect(keys).toContain("withoutBudget");
      expect(keys).toEqual([...keys].sort((a, b) => a.length - b.length || (a < b ? -1 : 1)));
    }
  });
});
