import { sql } from "kysely";
import { appendAudit } from "../audit/append.ts";
import { findByRef, mustTenantId } from "../backoffice/refs.ts";
import type { ProjectStatus } from "../backoffice/schema.ts";
import { immediate, type Db } from "../db/handle.ts";
import { UsageError } from "../errors.ts";
import { toInstant } from "../time.ts";
import * as postgres from "./alerts.postgres.ts";
import * as sqlite from "./alerts.sqlite.ts";
import { byDialect } from "../db/dialect.ts";
import { isCrossed, usagePercent, usedFor, type ProjectUsage } from "./evaluate.ts";
import { BUDGET_TYPES, type BudgetAlertRow, type BudgetType } from "./schema.ts";
import { pageRows, type Page, type Paged } from "../util/paging.ts";

// What the budget alert worker produced and what it reads, for people: the alerts, and each
// project's budget usage per type.

export interface AlertItem {
  id: number;
  tenant: string;
  projectId: number;
  /** The operator's id of the project, or `#id`. */
  project: string;
  projectName: string;
  type: BudgetType;
  thresholdPercent: number;
  /** Minutes (hours) or öre (material, total) when the alert was created. */
  used: number;
  budget: number;
  usagePercent: number;
  status: "active" | "resolved";
  createdAt: string;
  createdBy: string;
  resolvedAt: string | null;
  resolvedBy: string | null;
  resolution: string | null;
}

export interface AlertFilter {
  tenant?: string | undefined;
  status?: "active" | "resolved" | undefined;
}

const alertQuery = (db: Db) =>
  db
    .selectFrom("budget_alert")
    .innerJoin("tenant", "tenant.id", "budget_alert.tenant_id")
    .innerJoin("project", "project.id", "budget_alert.project_id")
    .selectAll("budget_alert")
    .select(["tenant.slug", "project.name as project_name", "project.external_id as project_external_id"]);

function alertItem(r: BudgetAlertRow & { slug: string; project_name: string; project_external_id: string | null }): AlertItem {
  return {
    id: r.id,
    tenant: r.slug,
    projectId: r.project_id,
    project: r.project_external_id ?? `#${r.project_id}`,
    projectName: r.project_name,
    type: r.type,
    thresholdPercent: r.threshold_percent,
    used: r.used,
    budget: r.budget,
    usagePercent: r.usage_percent,
    status: r.status,
    createdAt: r.created_at,
    createdBy: r.created_by,
    resolvedAt: r.resolved_at,
    resolvedBy: r.resolved_by,
    resolution: r.resolution,
  };
}

/** Alerts, newest first. */
export async function listAlerts(db: Db, f: AlertFilter, page: Page): Promise<Paged<AlertItem>> {
  let q = alertQuery(db);
  if (f.tenant !== undefined) q = q.where("budget_alert.tenant_id", "=", await mustTenantId(db, f.tenant));
  if (f.status !== undefined) q = q.where("budget_alert.status", "=", f.status);
  const { items, total } = await pageRows(db, q.orderBy("budget_alert.id", "desc"), page);
  return { items: items.map(alertItem), total };
}

export async function getAlert(db: Db, id: number): Promise<AlertItem> {
  const row = await alertQuery(db).where("budget_alert.id", "=", id).executeTakeFirst();
  if (!row) throw new UsageError(`no alert with id ${id}`, { code: "NOT_FOUND" });
  return alertItem(row);
}

/**
 * Resolves an active alert by hand (acknowledged), with an audit event. Its threshold stays: if
 * usage is still over it, the next `alerts` run raises a new alert.
 */
export async function resolveAlertByHand(db: Db, id: number, o: { now: number; actor: string; reason: string }): Promise<AlertItem> {
  await immediate(db, async (trx) => {
    const before = await trx.selectFrom("budget_alert").select(["tenant_id", "status"]).where("id", "=", id).executeTakeFirst();
    if (!before) throw new UsageError(`no alert with id ${id}`, { code: "NOT_FOUND" });
    if (before.status !== "active") throw new UsageError(`alert ${id} is already resolved`);
    await byDialect(trx, { sqlite, postgres }).resolveAlerts(trx, [{ id, reason: o.reason }], toInstant(o.now), o.actor);
    await appendAudit(
      trx,
      [
        {
          tenantId: before.tenant_id,
          table: "budget_alert",
          rowId: id,
          action: "update",
          old: { status: "active" },
          new: { status: "resolved", resolution: o.reason },
          worker: o.actor,
        },
      ],
      o.now,
    );
  });
  return getAlert(db, id);
}

export interface BudgetUse {
  type: BudgetType;
  /** Minutes (hours) or öre. */
  used: number;
  budget: number | null;
  /** used / budget in percent, one decimal; null without a budget of this type. */
  usagePercent: number | null;
  thresholds: Array<{ percent: number; notify: boolean; crossed: boolean }>;
}

export interface ProjectItem {
  id: number;
  /** The operator's id, or `#id`. */
  ref: string;
  tenant: string;
  code: string | null;
  name: string;
  status: ProjectStatus;
  client: string | null;
  hasBudget: boolean;
  usage: BudgetUse[];
  activeAlerts: number;
}

export interface ProjectFilter {
  tenant?: string | undefined;
  status?: ProjectStatus | undefined;
}

/** Projects with their budget usage per type (hours, material, total), as the alert worker computes it. */
export async function listProjects(db: Db, f: ProjectFilter & { ids?: readonly number[] }, page: Page): Promise<Paged<ProjectItem>> {
  let q = db
    .selectFrom("project")
    .innerJoin("tenant", "tenant.id", "project.tenant_id")
    .leftJoin("client", "client.id", "project.client_id")
    .leftJoin("project_budget", "project_budget.project_id", "project.id")
    .select([
      "project.id",
      "project.external_id",
      "project.code",
      "project.name",
      "project.status",
      "tenant.slug",
      "client.name as client_name",
      "project_budget.project_id as budget_of",
      "project_budget.hours_minutes",
      "project_budget.material_ore",
      "project_budget.total_ore",
    ]);
  if (f.tenant !== undefined) q = q.where("project.tenant_id", "=", await mustTenantId(db, f.tenant));
  if (f.status !== undefined) q = q.where("project.status", "=", f.status);
  if (f.ids !== undefined) q = q.where("project.id", "in", f.ids.length > 0 ? [...f.ids] : [0]);
  const { items: rows, total } = await pageRows(db, q.orderBy("project.id"), page);
  if (rows.length === 0) return { items: [], total };
  const ids = rows.map((r) => r.id);
  const thresholds = await db
    .selectFrom("budget_threshold")
    .selectAll()
    .where("project_id", "in", ids)
    .orderBy("type")
    .orderBy("percent")
    .execute();
  const spent = await sql<{ project_id: number; minutes: number; cost: number; material: number }>`
    select p.id as project_id,
      coalesce((select sum(te.minutes) from time_entry te where te.project_id = p.id), 0) as minutes,
      coalesce((select sum((te.minutes * te.hourly_rate_ore + 30) / 60) from time_entry te where te.project_id = p.id), 0) as cost,
      coalesce((select sum(mc.amount_ore) from material_cost mc where mc.project_id = p.id), 0) as material
    from project p where p.id in (${sql.join(ids)})`.execute(db);
  const alerts = await db
    .selectFrom("budget_alert")
    .select(["project_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("status", "=", "active")
    .where("project_id", "in", ids)
    .groupBy("project_id")
    .execute();
  const spentOf = new Map(spent.rows.map((s) => [s.project_id, s]));
  const items = rows.map((r) => {
    const s = spentOf.get(r.id);
    const usage: ProjectUsage = {
      projectId: r.id,
      tenantId: 0,
      name: r.name,
      budget: { hours: r.hours_minutes, material: r.material_ore, total: r.total_ore },
      thresholds: [],
      usedMinutes: s?.minutes ?? 0,
      timeCostOre: s?.cost ?? 0,
      materialOre: s?.material ?? 0,
    };
    return {
      id: r.id,
      ref: r.external_id ?? `#${r.id}`,
      tenant: r.slug,
      code: r.code,
      name: r.name,
      status: r.status,
      client: r.client_name,
      hasBudget: r.budget_of !== null,
      activeAlerts: alerts.find((a) => a.project_id === r.id)?.n ?? 0,
      usage: BUDGET_TYPES.map((type) => {
        const used = usedFor(usage, type);
        const budget = usage.budget[type];
        return {
          type,
          used,
          budget,
          usagePercent: budget === null ? null : usagePercent(used, budget),
          thresholds: thresholds
            .filter((t) => t.project_id === r.id && t.type === type)
            .map((t) => ({
              percent: t.percent,
              notify: t.notify === 1,
              crossed: budget !== null && budget > 0 && isCrossed(used, budget, t.percent),
            })),
        };
      }),
    };
  });
  return { items, total };
}

/** One project by id, or by the operator's id within a tenant. */
export async function showProject(db: Db, ref: string, tenant: string | undefined): Promise<ProjectItem & { alerts: AlertItem[] }> {
  let id: number | undefined;
  if (tenant !== undefined) {
    id = await findByRef(db, "project", await mustTenantId(db, tenant), ref);
  } else if (/^\d+$/.test(ref)) id = Number(ref);
  else throw new UsageError(`give a project's row id, or --tenant with its own id ("${ref}")`);
  const [project] = id === undefined ? [] : (await listProjects(db, { ids: [id] }, { limit: 1, offset: 0 })).items;
  if (!project) throw new UsageError(`no project "${ref}"${tenant ? ` in tenant ${tenant}` : ""}`, { code: "NOT_FOUND" });
  const alerts = (await alertQuery(db).where("budget_alert.project_id", "=", project.id).orderBy("budget_alert.id", "desc").execute()).map(
    alertItem,
  );
  return { ...project, alerts };
}
