import * as z from "zod";
import { runBudgetAlerts, type BudgetAlertSummary } from "./alerts.ts";
import { configuredChannels } from "../notify/channels.ts";
import type { JobDefinition } from "../jobs/types.ts";

const payload = z.strictObject({});

/** Lists in the stored report are cut to this many entries (the counts are always complete). */
const LIST_LIMIT = 200;

/** A budget.alerts run's result, also stored as its progress. */
export type BudgetAlertReport = BudgetAlertSummary & { listsTruncated: boolean };

/**
 * The report a budget.alerts job stored as its progress (there also when the run failed); empty
 * before it reported. Its list entries are rebuilt key by key: PostgreSQL's jsonb keeps an
 * object's keys in an order of its own (shorter names first), and --json must read the same on both backends.
 */
export function storedAlertReport(progress: string | null): Partial<BudgetAlertReport> {
  if (!progress) return {};
  const r = JSON.parse(progress) as Record<string, unknown>;
  for (const [list, keys] of Object.entries(LIST_KEYS)) {
    const entries = r[list];
    if (Array.isArray(entries)) r[list] = entries.map((e: Record<string, unknown>) => Object.fromEntries(keys.map((k) => [k, e[k]])));
  }
  return r as Partial<BudgetAlertReport>;
}

/** Each list's entries' keys, in the order of their types. */
const LIST_KEYS: Record<string, readonly string[]> = {
  failures: ["projectId", "tenantId", "project", "error"],
  createdAlerts: ["id", "projectId", "project", "type", "thresholdPercent", "usagePercent"],
  resolvedAlerts: ["id", "projectId", "project", "type", "thresholdPercent", "reason"],
  updatedAlerts: ["id", "projectId", "project", "type", "thresholdPercent", "used", "budget", "usagePercent"],
};

/**
 * The budget alert worker (every 15 minutes from cron): creates an alert for each notifying
 * threshold crossed, resolves alerts whose usage fell back under, and queues a notification for
 * the tenant admins. The report is stored as the job's progress, so it survives a failed run.
 *
 * A project that fails (bad budget data, a write refused) is written to the audit log and fails
 * the attempt after the others' changes are committed, so the job's retry policy runs it again:
 * a retry evaluates every project anew and creates only what is still missing (an alert is
 * created unless an active one exists, backed by the unique index on active alerts), so the
 * other projects' alerts and notifications are not made twice.
 */
export const budgetAlertsJob: JobDefinition<z.infer<typeof payload>, BudgetAlertReport> = {
  type: "budget.alerts",
  summary: "creates and resolves project budget alerts and notifies tenant admins",
  timeoutMs: 10 * 60_000,
  payload,
  async run(ctx) {
    const summary = await runBudgetAlerts(ctx.db, { now: ctx.now(), actor: `job:${ctx.job.id}`, channels: configuredChannels(ctx.config) });
    const report: BudgetAlertReport = {
      ...summary,
      failures: summary.failures.slice(0, LIST_LIMIT),
      createdAlerts: summary.createdAlerts.slice(0, LIST_LIMIT),
      resolvedAlerts: summary.resolvedAlerts.slice(0, LIST_LIMIT),
      updatedAlerts: summary.updatedAlerts.slice(0, LIST_LIMIT),
      listsTruncated:
        Math.max(summary.failures.length, summary.createdAlerts.length, summary.resolvedAlerts.length, summary.updatedAlerts.length) >
        LIST_LIMIT,
    };
    ctx.progress({ done: summary.projects, total: summary.projects, ...report });
    ctx.addMetrics({
      projects: summary.projects,
      created: summary.created,
      resolved: summary.resolved,
      updated: summary.updated,
      failed: summary.failed,
    });
    if (summary.failed > 0) {
      const examples = summary.failures
        .slice(0, 3)
        .map((f) => `project ${f.projectId} ${f.project}: ${f.error}`)
        .join("; ");
      throw new Error(
        `${summary.failed} of ${summary.projects} projects failed (${examples}${summary.failed > 3 ? "; ..." : ""}); ` +
          `${summary.created} alerts created and ${summary.resolved} resolved in the others`,
      );
    }
    return { result: report };
  },
};
