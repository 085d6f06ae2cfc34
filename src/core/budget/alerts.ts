import { sql } from "kysely";
import { appendAudit, type AuditEvent } from "../audit/append.ts";
import type { BudgetType } from "./schema.ts";
import { immediate, type Db } from "../db/handle.ts";
import * as postgres from "./alerts.postgres.ts";
import * as sqlite from "./alerts.sqlite.ts";
import { byDialect } from "../db/dialect.ts";
import { errorMessage } from "../errors.ts";
import type { ChannelName } from "../notify/channels.ts";
import { enqueueNotifications, type NotificationInput } from "../notify/outbox.ts";
import { addressed, type Announcement } from "../notify/recipients.ts";
import { tenantAdmins, type TenantAdmin } from "../backoffice/admins.ts";
import { toInstant } from "../time.ts";
import {
  describeAmount,
  evaluateProject,
  planProject,
  type ActiveAlert,
  type AlertPlan,
  type ProjectUsage,
  type ThresholdState,
} from "./evaluate.ts";

export interface BudgetAlertRunOptions {
  now: number;
  /** Who acts: recorded as created_by / resolved_by and in the audit log (`job:12`). */
  actor: string;
  /** Channels for the notifications of new alerts (`configuredChannels(config)`). */
  channels: readonly ChannelName[];
}

export interface CreatedAlert {
  id: number;
  projectId: number;
  project: string;
  type: BudgetType;
  thresholdPercent: number;
  usagePercent: number;
}

export interface ResolvedAlert {
  id: number;
  projectId: number;
  project: string;
  type: BudgetType;
  thresholdPercent: number;
  reason: string;
}

export interface BudgetAlertSummary {
  /** Active projects with a budget that were evaluated. */
  projects: number;
  /** Active projects without a budget: skipped. */
  withoutBudget: number;
  created: number;
  resolved: number;
  /** Active alerts still over their threshold that took new figures (budget, used, percent). */
  updated: number;
  failed: number;
  failures: Array<{ projectId: number; tenantId: number; project: string; error: string }>;
  /** Notification rows added to the outbox. */
  notifications: number;
  createdAlerts: CreatedAlert[];
  resolvedAlerts: ResolvedAlert[];
  updatedAlerts: UpdatedAlert[];
}

export interface UpdatedAlert {
  id: number;
  projectId: number;
  project: string;
  type: BudgetType;
  thresholdPercent: number;
  used: number;
  budget: number;
  usagePercent: number;
}

interface ProjectRow {
  id: number;
  tenant_id: number;
  name: string;
}

/**
 * One run of the budget alert worker, in one IMMEDIATE transaction: reads every active project
 * with a budget, its thresholds and usage, and the active alerts, then creates and resolves
 * alerts. The write lock serialises concurrent runs, and the unique index on active alerts
 * (project, type, threshold) backs that up, so each alert is created once. The changes are
 * written in bulk; should that fail, they are written project by project in savepoints, so a
 * project whose evaluation or writes fail is reported and the others go on.
 * Alerts that no longer belong to an active project with a budget are resolved.
 */
export async function runBudgetAlerts(db: Db, o: BudgetAlertRunOptions): Promise<BudgetAlertSummary> {
  return immediate(db, async (trx) => {
    const summary: BudgetAlertSummary = {
      projects: 0,
      withoutBudget: 0,
      created: 0,
      resolved: 0,
      updated: 0,
      failed: 0,
      failures: [],
      notifications: 0,
      createdAlerts: [],
      resolvedAlerts: [],
      updatedAlerts: [],
    };
    const usages = await loadUsage(trx);
    summary.projects = usages.length;
    summary.withoutBudget = (
      await trx
        .selectFrom("project")
        .leftJoin("project_budget", "project_budget.project_id", "project.id")
        .select(sql<number>`count(*)`.as("n"))
        .where("project.status", "=", "active")
        .where("project_budget.project_id", "is", null)
        .executeTakeFirstOrThrow()
    ).n;

    const activeByProject = new Map<number, ActiveAlert[]>();
    for (const a of await trx
      .selectFrom("budget_alert")
      .select(["id", "project_id", "type", "threshold_percent", "used", "budget", "usage_percent"])
      .where("status", "=", "active")
      .execute()) {
      const list = activeByProject.get(a.project_id) ?? [];
      list.push({
        id: a.id,
        projectId: a.project_id,
        type: a.type,
        thresholdPercent: a.threshold_percent,
        used: a.used,
        budget: a.budget,
        usagePercent: a.usage_percent,
      });
      activeByProject.set(a.project_id, list);
    }
    const admins = await tenantAdmins(trx);

    const changes: Change[] = [];
    for (const usage of usages) {
      const project = { id: usage.projectId, tenant_id: usage.tenantId, name: usage.name };
      const active = activeByProject.get(usage.projectId) ?? [];
      activeByProject.delete(usage.projectId);
      try {
        const states = evaluateProject(usage);
        const plan = planProject(states, active);
        if (plan.create.length > 0 || plan.resolve.length > 0 || plan.update.length > 0) changes.push({ project, plan, states });
      } catch (e) {
        fail(summary, project, e);
      }
    }

    // What is left: active alerts of projects that are no longer active or have no budget.
    if (activeByProject.size > 0) {
      const rows = await trx
        .selectFrom("project")
        .select(["project.id", "project.tenant_id", "project.name", "project.status"])
        .where("project.id", "in", [...activeByProject.keys()])
        .execute();
      for (const p of rows) {
        const reason = p.status !== "active" ? `the project is ${p.status}` : "the project has no budget any more";
        const alerts = activeByProject.get(p.id) ?? [];
        changes.push({ project: p, plan: { create: [], resolve: alerts.map((alert) => ({ alert, reason })), update: [] }, states: [] });
      }
    }

    // All changes at once (fast); if that fails, project by project, so one bad project fails alone.
    const record = (r: Applied) => {
      summary.created += r.created.length;
      summary.createdAlerts.push(...r.created);
      summary.resolved += r.resolved.length;
      summary.resolvedAlerts.push(...r.resolved);
      summary.updated += r.updated.length;
      summary.updatedAlerts.push(...r.updated);
      summary.notifications += r.notifications;
    };
    if (changes.length > 0 && (await inSavepoint(trx, async () => record(await applyChanges(trx, changes, admins, o)))) !== undefined) {
      for (const c of changes) {
        const error = await inSavepoint(trx, async () => record(await applyChanges(trx, [c], admins, o)));
        if (error !== undefined) fail(summary, c.project, error);
      }
    }
    await auditFailures(trx, summary, o);
    return summary;
  });
}

function fail(summary: BudgetAlertSummary, project: ProjectRow, e: unknown): void {
  summary.failed++;
  summary.failures.push({ projectId: project.id, tenantId: project.tenant_id, project: project.name, error: errorMessage(e) });
}

/** Each failing project in the audit log (project, error), in the run's transaction: on every attempt that fails it. */
async function auditFailures(trx: Db, summary: BudgetAlertSummary, o: BudgetAlertRunOptions): Promise<void> {
  if (summary.failures.length === 0) return;
  await appendAudit(
    trx,
    summary.failures.map((f) => ({
      tenantId: f.tenantId,
      table: "project",
      rowId: f.projectId,
      action: "error" as const,
      worker: o.actor,
      new: { project: f.project, error: f.error },
    })),
    o.now,
  );
}

interface Change {
  project: ProjectRow;
  plan: AlertPlan;
  states: readonly ThresholdState[];
}

interface Applied {
  created: CreatedAlert[];
  resolved: ResolvedAlert[];
  updated: UpdatedAlert[];
  notifications: number;
}

/** Runs `fn` in a savepoint: returns undefined when it succeeded, else its error (rolled back). */
async function inSavepoint(trx: Db, fn: () => Promise<void>): Promise<unknown> {
  await sql`savepoint budget_change`.execute(trx);
  try {
    await fn();
    await sql`release budget_change`.execute(trx);
    return undefined;
  } catch (e) {
    await sql`rollback to budget_change`.execute(trx);
    await sql`release budget_change`.execute(trx);
    return e ?? new Error("failed");
  }
}

const CHUNK = 2000;

/** Writes the alerts, resolutions, audit events and notifications of these changes, in bulk. */
async function applyChanges(
  trx: Db,
  changes: readonly Change[],
  admins: ReadonlyMap<number, readonly TenantAdmin[]>,
  o: BudgetAlertRunOptions,
): Promise<Applied> {
  const stamp = toInstant(o.now);
  const projectOf = new Map(changes.map((c) => [c.project.id, c]));
  const audit: AuditEvent[] = [];
  const created: CreatedAlert[] = [];
  const resolved: ResolvedAlert[] = [];
  const notifications: NotificationInput[] = [];

  const resolves = changes.flatMap((c) =>
    c.plan.resolve.map((r) => ({ id: r.alert.id, reason: r.reason, alert: r.alert, project: c.project })),
  );
  for (let i = 0; i < resolves.length; i += CHUNK) {
    const chunk = resolves.slice(i, i + CHUNK);
    const ids = new Set(await byDialect(trx, { sqlite, postgres }).resolveAlerts(trx, chunk, stamp, o.actor));
    for (const r of chunk.filter((x) => ids.has(x.id))) {
      resolved.push({
        id: r.id,
        projectId: r.project.id,
        project: r.project.name,
        type: r.alert.type,
        thresholdPercent: r.alert.thresholdPercent,
        reason: r.reason,
      });
      audit.push({
        tenantId: r.project.tenant_id,
        table: "budget_alert",
        rowId: r.id,
        action: "update",
        worker: o.actor,
        old: { status: "active", resolved_at: null, resolved_by: null, resolution: null },
        new: { status: "resolved", resolved_at: stamp, resolved_by: o.actor, resolution: r.reason },
      });
    }
  }

  const creates = changes.flatMap((c) =>
    c.plan.create.map((s) => ({
      tenant_id: c.project.tenant_id,
      project_id: c.project.id,
      type: s.type,
      threshold_percent: s.percent,
      used: s.used,
      budget: s.budget,
      usage_percent: s.usagePercent,
    })),
  );
  for (let i = 0; i < creates.length; i += CHUNK) {
    const chunk = creates.slice(i, i + CHUNK);
    for (const row of await byDialect(trx, { sqlite, postgres }).insertAlerts(trx, chunk, stamp, o.actor)) {
      const c = projectOf.get(row.project_id) as Change;
      const s = c.plan.create.find((x) => x.type === row.type && x.percent === row.threshold_percent) as ThresholdState;
      created.push({
        id: row.id,
        projectId: c.project.id,
        project: c.project.name,
        type: s.type,
        thresholdPercent: s.percent,
        usagePercent: s.usagePercent,
      });
      audit.push({
        tenantId: c.project.tenant_id,
        table: "budget_alert",
        rowId: row.id,
        action: "insert",
        worker: o.actor,
        new: {
          project_id: c.project.id,
          type: s.type,
          threshold_percent: s.percent,
          used: s.used,
          budget: s.budget,
          usage_percent: s.usagePercent,
          status: "active",
          created_at: stamp,
          created_by: o.actor,
        },
      });
      const crossed = c.states.filter((x) => x.crossed && x.notify).length;
      const to = admins.get(c.project.tenant_id) ?? [];
      if (to.length > 0) notifications.push(...addressed(alertAnnouncement(c.project, s, row.id, crossed), to, o.channels));
    }
  }
  created.sort((a, b) => a.id - b.id);
  const updated = await refreshFigures(trx, changes, o, audit);
  await appendAudit(trx, audit, o.now);
  const ids = notifications.length > 0 ? await enqueueNotifications(trx, notifications, o.now) : [];
  return { created, resolved, updated, notifications: ids.filter((id) => id !== null).length };
}

/** Active alerts that stay crossed take the current figures (one audited update each). */
async function refreshFigures(trx: Db, changes: readonly Change[], o: BudgetAlertRunOptions, audit: AuditEvent[]): Promise<UpdatedAlert[]> {
  const updated: UpdatedAlert[] = [];
  for (const c of changes)
    for (const { alert, state } of c.plan.update) {
      const next = { used: state.used, budget: state.budget, usage_percent: state.usagePercent };
      const row = await trx
        .updateTable("budget_alert")
        .set(next)
        .where("id", "=", alert.id)
        .where("status", "=", "active")
        .returning("id")
        .executeTakeFirst();
      if (!row) continue;
      updated.push({
        id: alert.id,
        projectId: c.project.id,
        project: c.project.name,
        type: alert.type,
        thresholdPercent: alert.thresholdPercent,
        used: state.used,
        budget: state.budget,
        usagePercent: state.usagePercent,
      });
      audit.push({
        tenantId: c.project.tenant_id,
        table: "budget_alert",
        rowId: alert.id,
        action: "update",
        worker: o.actor,
        old: { used: alert.used, budget: alert.budget, usage_percent: alert.usagePercent },
        new: next,
      });
    }
  return updated;
}

/** A new alert's notification: one webhook post, an email (and a printed line) for each admin. */
function alertAnnouncement(project: ProjectRow, s: ThresholdState, alertId: number, crossed: number): Announcement {
  return {
    kind: "budget.alert",
    tenantId: project.tenant_id,
    subject: `Budget alert: ${project.name} has used ${s.usagePercent}% of its ${s.type} budget (${s.percent}% threshold)`,
    body:
      `${project.name}: ${describeAmount(s.type, s.used)} of ${describeAmount(s.type, s.budget)} (${s.usagePercent}%), ` +
      `over the ${s.percent}% ${s.type} threshold.${crossed > 1 ? ` ${crossed} thresholds of this project are crossed.` : ""}`,
    data: {
      alertId,
      projectId: project.id,
      type: s.type,
      thresholdPercent: s.percent,
      used: s.used,
      budget: s.budget,
      usagePercent: s.usagePercent,
    },
  };
}

/** Active projects with a budget: thresholds and usage, read with a few set-based queries. */
async function loadUsage(trx: Db): Promise<ProjectUsage[]> {
  const projects = await trx
    .selectFrom("project")
    .innerJoin("project_budget", "project_budget.project_id", "project.id")
    .select([
      "project.id",
      "project.tenant_id",
      "project.name",
      "project_budget.hours_minutes",
      "project_budget.material_ore",
      "project_budget.total_ore",
    ])
    .where("project.status", "=", "active")
    .orderBy("project.id")
    .execute();
  const thresholds = await trx
    .selectFrom("budget_threshold")
    .innerJoin("project", "project.id", "budget_threshold.project_id")
    .select(["budget_threshold.project_id", "budget_threshold.type", "budget_threshold.percent", "budget_threshold.notify"])
    .where("project.status", "=", "active")
    .orderBy("budget_threshold.project_id")
    .orderBy("budget_threshold.type")
    .orderBy("budget_threshold.percent")
    .execute();
  const time = await sql<{ project_id: number; minutes: number; cost: number }>`
    select te.project_id, sum(te.minutes) as minutes, sum((te.minutes * te.hourly_rate_ore + 30) / 60) as cost
    from time_entry te join project p on p.id = te.project_id
    where p.status = 'active' group by te.project_id`.execute(trx);
  const material = await sql<{ project_id: number; amount: number }>`
    select mc.project_id, sum(mc.amount_ore) as amount
    from material_cost mc join project p on p.id = mc.project_id
    where p.status = 'active' group by mc.project_id`.execute(trx);

  const byProject = new Map<number, ProjectUsage["thresholds"][number][]>();
  for (const t of thresholds) {
    const list = byProject.get(t.project_id) ?? [];
    list.push({ type: t.type, percent: t.percent, notify: t.notify === 1 });
    byProject.set(t.project_id, list);
  }
  const timeOf = new Map(time.rows.map((r) => [r.project_id, r]));
  const materialOf = new Map(material.rows.map((r) => [r.project_id, r.amount]));
  return projects.map((p) => ({
    projectId: p.id,
    tenantId: p.tenant_id,
    name: p.name,
    budget: { hours: p.hours_minutes, material: p.material_ore, total: p.total_ore },
    thresholds: byProject.get(p.id) ?? [],
    usedMinutes: timeOf.get(p.id)?.minutes ?? 0,
    timeCostOre: timeOf.get(p.id)?.cost ?? 0,
    materialOre: materialOf.get(p.id) ?? 0,
  }));
}
