import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { runBudgetAlerts } from "../../src/core/budget/alerts.ts";
import { addProject, addTenant, T0 } from "../helpers/backoffice.ts";
import { testStore } from "../helpers/store.ts";

const run = (db: Parameters<typeof runBudgetAlerts>[0], now = T0) => runBudgetAlerts(db, { now, actor: "job:1", channels: ["output"] });

describe("budget alerts against a real database", () => {
  it("creates one alert per crossed threshold, notifies each admin, audits, and is idempotent", async () => {
    const { db } = await testStore();
    const tenant = await addTenant(db, { admins: 2 });
    const over = await addProject(db, tenant.id, {
      name: "Över",
      budget: { hours: 6000, material: 100_000, total: 1_000_000 },
      thresholds: [
        ["hours", 80],
        ["hours", 100],
        ["material", 100],
        ["total", 50, false],
      ],
      time: [
        [3000, 60_000],
        [3100, 60_000],
      ],
      material: [50_000],
    });
    await addProject(db, tenant.id, { name: "Under", budget: { hours: 6000 }, thresholds: [["hours", 80]], time: [[4799, 60_000]] });
    await addProject(db, tenant.id, { name: "Utan budget", budget: null, time: [[99_999, 60_000]] });

    const first = await run(db);
    expect(first).toMatchObject({ projects: 2, withoutBudget: 1, created: 2, resolved: 0, failed: 0, notifications: 4 });
    expect(first.createdAlerts.map((a) => [a.projectId, a.type, a.thresholdPercent])).toEqual([
      [over, "hours", 80],
      [over, "hours", 100],
    ]);

    const notes = await db.selectFrom("notification").selectAll().orderBy("id").execute();
    expect(notes.map((n) => n.user_id)).toEqual([...tenant.adminIds, ...tenant.adminIds]);
    expect(notes[0]).toMatchObject({ kind: "budget.alert", status: "pending", channels: '["output"]' });
    expect(notes[0]?.subject).toBe("Budget alert: Över has used 101.7% of its hours budget (80% threshold)");
    const audit = await db.selectFrom("audit_log").selectAll().where("table_name", "=", "budget_alert").execute();
    expect(audit.map((a) => [a.action, a.worker])).toEqual([
      ["insert", "job:1"],
      ["insert", "job:1"],
    ]);
    expect(JSON.parse(audit[0]?.changed_fields ?? "[]")).toContain("status");

    const again = await run(db);
    expect(again).toMatchObject({ created: 0, resolved: 0, notifications: 0 });
    expect(await db.selectFrom("budget_alert").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow()).toEqual({ n: 2 });
  });

  it("resolves an alert with its reason when the budget is raised, and alerts again when crossed again", async () => {
    const { db } = await testStore();
    const tenant = await addTenant(db);
    const p = await addProject(db, tenant.id, { budget: { hours: 6000 }, thresholds: [["hours", 80]], time: [[5000, 60_000]] });
    expect((await run(db)).created).toBe(1);
    await db.updateTable("project_budget").set({ hours_minutes: 10_000 }).where("project_id", "=", p).execute();
    const resolved = await run(db, T0 + 60_000);
    expect(resolved).toMatchObject({ created: 0, resolved: 1 });
    expect(resolved.resolvedAlerts[0]?.reason).toBe("hours usage fell to 50% (83 h 20 min of 166 h 40 min), under the 80% threshold");
    const alert = await db.selectFrom("budget_alert").selectAll().executeTakeFirstOrThrow();
    expect(alert).toMatchObject({ status: "resolved", resolved_by: "job:1", resolved_at: new Date(T0 + 60_000).toISOString() });
    const trail = await db.selectFrom("audit_log").select(["action", "changed_fields"]).orderBy("id").execute();
    expect(trail.map((a) => [a.action, JSON.parse(a.changed_fields)])).toEqual([
      ["insert", expect.any(Array)],
      ["update", ["resolution", "resolved_at", "resolved_by", "status"]],
    ]);

    await db.updateTable("project_budget").set({ hours_minutes: 6000 }).where("project_id", "=", p).execute();
    expect(await run(db, T0 + 120_000)).toMatchObject({ created: 1, resolved: 0 });
    expect((await db.selectFrom("budget_alert").select("status").orderBy("id").execute()).map((a) => a.status)).toEqual([
      "resolved",
      "active",
    ]);
  });

  it("resolves the alerts of a project that was completed", async () => {
    const { db } = await testStore();
    const tenant = await addTenant(db);
    const p = await addProject(db, tenant.id, { budget: { material: 100 }, thresholds: [["material", 100]], material: [100] });
    expect((await run(db)).created).toBe(1);
    await db.updateTable("project").set({ status: "completed" }).where("id", "=", p).execute();
    const r = await run(db);
    expect(r.resolvedAlerts.map((a) => a.reason)).toEqual(["the project is completed"]);
  });

  it("a project with bad budget data fails alone; the others are evaluated", async () => {
    const { db } = await testStore();
    const tenant = await addTenant(db);
    await addProject(db, tenant.id, { name: "Trasig", budget: { hours: 0 }, thresholds: [["hours", 80]], time: [[60, 100]] });
    await addProject(db, tenant.id, { name: "Utan timbudget", budget: { total: 100 }, thresholds: [["hours", 80]] });
    await addProject(db, tenant.id, { name: "Hel", budget: { total: 100 }, thresholds: [["total", 100]], material: [100] });
    const r = await run(db);
    expect(r).toMatchObject({ projects: 3, created: 1, failed: 2 });
    expect(r.failures.map((f) => [f.project, f.error])).toEqual([
      ["Trasig", "the hours budget is 0: a threshold needs a budget above 0"],
      ["Utan timbudget", "hours threshold of 80% but no hours budget"],
    ]);
  });

  it("the unique index refuses a second active alert for the same project, type and threshold", async () => {
    const { db } = await testStore();
    const tenant = await addTenant(db);
    const p = await addProject(db, tenant.id, { budget: { hours: 60 }, thresholds: [["hours", 80]], time: [[60, 100]] });
    await run(db);
    const row = {
      tenant_id: tenant.id,
      project_id: p,
      type: "hours" as const,
      threshold_percent: 80,
      used: 1,
      budget: 1,
      usage_percent: 1,
      status: "active" as const,
      created_at: new Date(T0).toISOString(),
      created_by: "test",
      resolved_at: null,
      resolved_by: null,
      resolution: null,
    };
    await expect(db.insertInto("budget_alert").values(row).execute()).rejects.toThrow(/UNIQUE|unique constraint/);
    await db
      .insertInto("budget_alert")
      .values({ ...row, status: "resolved" })
      .execute(); // resolved ones may repeat
  });

  it("the audit log is append-only", async () => {
    const { db } = await testStore();
    const tenant = await addTenant(db);
    await addProject(db, tenant.id, { budget: { hours: 60 }, thresholds: [["hours", 80]], time: [[60, 100]] });
    await run(db);
    await expect(db.updateTable("audit_log").set({ worker: "someone else" }).execute()).rejects.toThrow(/append-only/);
  });
});
