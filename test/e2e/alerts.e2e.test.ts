import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { finished, runCli, runJson, spawnCli } from "../helpers/cli.ts";
import { addProject, addTenant, withDb } from "../helpers/backoffice.ts";
import { counts, query, writeSync } from "../helpers/query.ts";
import { createDb, tempDir } from "../helpers/store.ts";
import { webhookServer } from "../helpers/webhook-server.ts";

const NOW = "2026-11-22T08:00:00.000Z";
const at = (minutes: number) => new Date(Date.parse(NOW) + minutes * 60_000).toISOString();

async function freshDb(): Promise<string> {
  const db = join(tempDir(), "bo.db");
  await createDb(db); // creates and migrates it
  return db;
}

describe("leadjobs alerts", () => {
  it("prints the notifications (the output channel), reports counts, and a second run changes nothing", async () => {
    const db = await freshDb();
    await withDb(db, async (d) => {
      const t = await addTenant(d, { admins: 2 });
      await addProject(d, t.id, {
        name: "Fasad Åby",
        budget: { hours: 6000, total: 100_000_00 },
        thresholds: [
          ["hours", 80],
          ["hours", 100],
          ["total", 80],
        ],
        time: [[6000, 100_000]],
      });
      await addProject(d, t.id, { name: "Kök", budget: { hours: 6000 }, thresholds: [["hours", 80]], time: [[4799, 100_000]] });
    });
    const r = await runCli(["alerts", "--now", NOW], db);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      "Budget alert: Fasad Åby has used 100% of its hours budget (100% threshold) (to user0@acme.se, user1@acme.se)",
    );
    expect(r.stdout).toContain(
      "Fasad Åby: 100 h of 100 h (100%), over the 100% hours threshold. 3 thresholds of this project are crossed.",
    );
    expect(r.stdout.match(/^Budget alert/gm)?.length).toBe(3);

    const again = await runJson(["alerts", "--now", at(15)], db);
    expect(again).toMatchObject({ ok: true, projects: 2, created: 0, resolved: 0, failed: 0, notifications: { queued: 0, printed: 0 } });
    const status = await runJson(["status", "--now", at(16)], db);
    expect(status.backoffice).toMatchObject({
      budgetAlerts: { activeAlerts: 3, projectsWithBudget: 2, started: true },
      notifications: { pending: 0, failed: 0 },
    });
  });

  it("--json: each listed alert's keys in one order, whichever backend stored the report", async () => {
    const db = await freshDb();
    await withDb(db, async (d) => {
      const t = await addTenant(d);
      await addProject(d, t.id, { name: "Tak", budget: { hours: 6000 }, thresholds: [["hours", 80]], time: [[6000, 100_000]] });
    });
    const doc = await runJson(["alerts", "--now", NOW], db);
    expect(doc.createdAlerts).toHaveLength(1);
    expect(Object.keys(doc.createdAlerts[0])).toEqual(["id", "projectId", "project", "type", "thresholdPercent", "usagePercent"]);
  });

  it("two runs at once create each alert exactly once", async () => {
    const db = await freshDb();
    await withDb(db, async (d) => {
      const t = await addTenant(d);
      for (let i = 0; i < 300; i++) {
        await addProject(d, t.id, {
          name: `P${i}`,
          budget: { hours: 100, material: 100 },
          thresholds: [
            ["hours", 80],
            ["hours", 100],
            ["material", 50],
          ],
          time: [[100, 1000]],
          material: [i % 2 === 0 ? 60 : 10],
        });
      }
    });
    const runs = await Promise.all([0, 1].map(() => finished(spawnCli(["alerts", "--json", "--now", NOW], db))));
    for (const r of runs) expect(r.code, r.stderr).toBe(0);
    const created = runs.map((r) => JSON.parse(r.stdout).created as number);
    expect(created[0]! + created[1]!).toBe(750); // 300 × 2 hours thresholds + 150 material
    await withDb(db, async (d) => {
      const dup = await sql<{
        n: number;
      }>`select count(*) as n from (select project_id, type, threshold_percent from budget_alert group by 1, 2, 3 having count(*) > 1) as d`.execute(
        d,
      );
      expect(dup.rows[0]?.n).toBe(0);
      expect((await d.selectFrom("budget_alert").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n).toBe(750);
      expect((await d.selectFrom("notification").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n).toBe(750);
      expect((await d.selectFrom("audit_log").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).n).toBe(750);
    });
  });

  it("a failing webhook is retried by later runs without duplicate alerts; status shows it undelivered meanwhile", async () => {
    const db = await freshDb();
    const hook = await webhookServer([500, 200]);
    await withDb(db, async (d) => {
      const t = await addTenant(d);
      await addProject(d, t.id, { name: "Ekbacken", budget: { hours: 60 }, thresholds: [["hours", 100]], time: [[60, 1000]] });
    });
    const env = { env: { LEADJOBS_NOTIFY_WEBHOOK: hook.url, LEADJOBS_NOTIFY_OUTPUT: "false" } };
    const first = await runJson(["alerts", "--now", NOW], db, env);
    expect(first).toMatchObject({ created: 1, notifications: { queued: 1, deliveryJobs: 1, printed: 0 } });
    expect(hook.received.map((r) => r.status)).toEqual([500]);

    const waiting = await runCli(["status", "--check", "--json", "--now", at(20)], db, env);
    expect(waiting.code).toBe(1);
    const doc = JSON.parse(waiting.stdout);
    expect(doc.backoffice.notifications).toMatchObject({ pending: 1, overdue: 1 });
    expect(doc.backoffice.notifications.undelivered[0].lastError).toMatch(/answered HTTP 500/);
    expect(doc.health.problems.join("\n")).toMatch(/1 notification\(s\) undelivered for more than 15m/);

    const second = await runJson(["alerts", "--now", at(5)], db, env);
    expect(second).toMatchObject({ created: 0, notifications: { queued: 0, deliveryJobs: 1 } });
    expect(hook.received.map((r) => r.status)).toEqual([500, 200]);
    expect(hook.received[0]?.body.leadjobs.id).toBe(hook.received[1]?.body.leadjobs.id);
    expect(hook.received[1]?.body.text).toMatch(/^\*Budget alert: Ekbacken has used 100% of its hours budget \(100% threshold\)\*/);
    await withDb(db, async (d) => {
      expect(await d.selectFrom("budget_alert").select("status").execute()).toEqual([{ status: "active" }]);
      expect(await d.selectFrom("notification").select(["status", "attempts"]).execute()).toEqual([{ status: "sent", attempts: 1 }]);
    });
    const after = await runJson(["status", "--now", at(20)], db, env);
    expect(after.backoffice.notifications).toMatchObject({ pending: 0, overdue: 0, failed: 0 });
  });

  it("a failing project fails the attempt, audited; the retry policy runs it again without making the others' alerts twice", async () => {
    const db = await freshDb();
    await withDb(db, async (d) => {
      const t = await addTenant(d);
      for (const name of ["Noll A", "Noll B", "Noll C"])
        await addProject(d, t.id, { name, budget: { hours: 0 }, thresholds: [["hours", 80]], time: [[60, 1000]] });
      await addProject(d, t.id, { name: "Frisk", budget: { hours: 60 }, thresholds: [["hours", 80]], time: [[60, 1000]] });
    });
    const r = await runCli(["alerts", "--json", "--now", NOW], db);
    expect(r.code).toBe(1);
    const out = JSON.parse(r.stdout);
    expect(out).toMatchObject({ ok: false, projects: 4, created: 1, failed: 3 });
    expect(out.failures.map((f: { project: string }) => f.project)).toEqual(["Noll A", "Noll B", "Noll C"]);
    expect(out.error).toMatch(/^3 of 4 projects failed \(project \d+ Noll A: the hours budget is 0/);
    const [job] = (await runJson(["jobs", "list", "--type", "budget.alerts"], db)).jobs;
    expect(job).toMatchObject({ state: "pending", attempts: 1 }); // not dead: the policy retries it
    const errors = () =>
      query(
        db,
        "select p.name, a.worker, a.new_values ->> 'error' as error from audit_log a join project p on p.id = a.row_id where a.action = 'error' order by a.id",
      );
    expect(errors()).toEqual(
      ["Noll A", "Noll B", "Noll C"].map((name) => ({
        name,
        worker: `job:${job.id}`,
        error: "the hours budget is 0: a threshold needs a budget above 0",
      })),
    );

    // The data is fixed; the retry (due a minute later) creates what is missing, nothing twice.
    writeSync(db, "update project_budget set hours_minutes = 60");
    const retry = await runJson(["process", "--type", "budget.alerts"], db);
    expect(retry).toMatchObject({ claimed: 1, completed: 1 });
    expect((await runJson(["jobs", "show", String(job.id)], db)).job).toMatchObject({ state: "completed", attempts: 2 });
    const alerts = query<{ name: string; n: number }>(
      db,
      "select p.name, count(*) as n from budget_alert b join project p on p.id = b.project_id group by p.name order by p.name",
    );
    expect(alerts.map((a) => [a.name, Number(a.n)])).toEqual([
      ["Frisk", 1],
      ["Noll A", 1],
      ["Noll B", 1],
      ["Noll C", 1],
    ]);
    expect(counts(db, ["notification"])).toEqual({ notification: 4 });
    expect(query(db, "select count(*) as n from audit_log where table_name = 'budget_alert'").map((x) => Number(x.n))).toEqual([4]);
    expect(errors()).toHaveLength(3); // the second attempt failed nothing
    const human = await runCli(["alerts", "--now", at(1)], db);
    expect(human.code).toBe(0);
  });

  it("an alert that stays over its threshold after the budget changed takes the new figures, audited", async () => {
    const db = await freshDb();
    const project = await withDb(db, async (d) => {
      const t = await addTenant(d);
      return addProject(d, t.id, { name: "Ekbacken", budget: { hours: 6000 }, thresholds: [["hours", 80]], time: [[5100, 1000]] });
    });
    expect(await runJson(["alerts", "--now", NOW], db)).toMatchObject({ created: 1, updated: 0 });
    expect(await runJson(["alerts", "show", "1"], db)).toMatchObject({ used: 5100, budget: 6000, usagePercent: 85 });
    writeSync(db, "update project_budget set hours_minutes = 5400 where project_id = ?", project);
    const run = await runJson(["alerts", "--now", at(15)], db);
    expect(run).toMatchObject({ created: 0, resolved: 0, updated: 1, notifications: { queued: 0 } });
    expect(run.updatedAlerts).toEqual([
      { id: 1, projectId: project, project: "Ekbacken", type: "hours", thresholdPercent: 80, used: 5100, budget: 5400, usagePercent: 94.4 },
    ]);
    expect(await runJson(["alerts", "show", "1"], db)).toMatchObject({ status: "active", used: 5100, budget: 5400, usagePercent: 94.4 });
    expect((await runJson(["alerts", "list"], db)).alerts).toMatchObject([{ id: 1, budget: 5400, usagePercent: 94.4 }]);
    const json = (v: unknown) => (typeof v === "string" ? JSON.parse(v) : v);
    const audit = query<{ old_values: unknown; new_values: unknown }>(
      db,
      "select old_values, new_values from audit_log where table_name = 'budget_alert' and action = 'update'",
    );
    expect(audit.map((a) => [json(a.old_values), json(a.new_values)])).toEqual([
      [
        { used: 5100, budget: 6000, usage_percent: 85 },
        { used: 5100, budget: 5400, usage_percent: 94.4 },
      ],
    ]);
    expect((await runJson(["alerts", "--now", at(30)], db)).updated).toBe(0); // unchanged figures: nothing written
  });

  it("status --check: the budget worker must complete a run every 30 minutes", async () => {
    const db = await freshDb();
    await withDb(db, async (d) => {
      const t = await addTenant(d);
      await addProject(d, t.id, { budget: { hours: 60 }, thresholds: [["hours", 80]] });
    });
    const before = await runJson(["status", "--now", NOW], db);
    expect(before.health.problems.join("\n")).toMatch(
      /the budget alert worker \(`leadjobs alerts`\) has never completed a run \(1 project\(s\) with a budget/,
    );
    await runJson(["alerts", "--now", NOW], db);
    const fresh = await runJson(["status", "--now", at(29)], db);
    expect(fresh.health.problems.join("\n")).not.toMatch(/budget alert worker/);
    const stale = await runCli(["status", "--check", "--now", at(31)], db);
    expect(stale.code).toBe(1);
    expect(stale.stdout).toMatch(/the budget alert worker has not completed a run for (30m \d+s|31m) \(limit 30m\)/);
  });

  it("bad input exits 2 before anything is written", async () => {
    const db = await freshDb();
    const bad = await runCli(["alerts", "--now", "yesterday"], db);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toBe('leadjobs: invalid --now "yesterday": expected an ISO-8601 time such as 2026-11-22T08:00:00Z');
    const hook = await runCli(["alerts"], db, { env: { LEADJOBS_NOTIFY_WEBHOOK: "ftp://example.com/x" } });
    expect(hook.code).toBe(2);
    expect(hook.stderr).toMatch(/notifyWebhook "ftp:\/\/example.com\/x" is not an http\(s\) URL/);
    expect((await runCli(["alerts", "--bogus"], db)).code).toBe(2);
    expect((await runJson(["jobs", "list"], db)).jobs).toEqual([]);
  });

  it("refuses spending beyond its bounds at import (time entries, material costs, budgets), so usage stays exact", async () => {
    const db = await freshDb();
    const dir = tempDir();
    const file = (name: string, records: object[]) => {
      const path = join(dir, name);
      writeFileSync(path, records.map((r) => `${JSON.stringify(r)}\n`).join(""));
      return path;
    };
    const base = file("base.ndjson", [
      { kind: "tenant", slug: "acme", name: "Acme Bygg AB" },
      { kind: "project", tenant: "acme", id: "P-1", name: "Takbyte" },
      { kind: "budget", tenant: "acme", project: "P-1", totalOre: 1000, thresholds: [{ type: "total", percent: 80 }] },
    ]);
    await runJson(["backoffice", "import", base], db);
    const spent = { tenant: "acme", project: "P-1", date: "2026-11-02" };
    const max = Number.MAX_SAFE_INTEGER;
    const bad = file("bad.ndjson", [
      { kind: "time-entry", ...spent, id: "T-1", minutes: max, hourlyRateOre: max },
      { kind: "time-entry", ...spent, id: "T-2", minutes: 60, hourlyRateOre: 10_000_001 },
      { kind: "material-cost", ...spent, id: "M-1", description: "Guld", amountOre: -10_000_000_001 },
      { kind: "budget", tenant: "acme", project: "P-1", hoursMinutes: 10_000_001 },
    ]);
    const r = await runCli(["backoffice", "import", bad], db);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n").filter((l) => / line \d/.test(l))).toEqual([
      expect.stringMatching(/line 1: time-entry "T-1": minutes: expected at most 60000; hourlyRateOre: expected at most 10000000$/),
      expect.stringMatching(/line 2: time-entry "T-2": hourlyRateOre: expected at most 10000000$/),
      expect.stringMatching(/line 3: material-cost "M-1": amountOre: expected at least -10000000000$/),
      expect.stringMatching(/line 4: budget "P-1": hoursMinutes: expected at most 10000000$/),
    ]);
    // The largest entries allowed: usage is exact and printed as kronor.
    const largest = file("largest.ndjson", [
      { kind: "time-entry", ...spent, id: "T-3", minutes: 60_000, hourlyRateOre: 10_000_000 },
      { kind: "material-cost", ...spent, id: "M-2", description: "Stål", amountOre: 10_000_000_000 },
    ]);
    await runJson(["backoffice", "import", largest], db);
    const [project] = (await runJson(["projects", "list"], db)).projects;
    expect(project.usage.find((u: { type: string }) => u.type === "total")).toMatchObject({ used: 20_000_000_000, budget: 1000 });
    const text = await runCli(["projects", "list"], db);
    expect(text.stdout).not.toMatch(/e\+/);
  });
});
