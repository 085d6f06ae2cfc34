// The back-office section of `status` and its problems, from its query rows: no database code, so
// the Kysely queries (health.ts) and the light path's raw SQLite ones give the same document.
import type { OutboxStatus } from "../notify/outbox-shape.ts";
import type { JobState } from "../queue/schema.ts";
import { formatDuration, fromInstant } from "../time.ts";

/** The back-office monitoring limits (from the spec). */
export const BACKOFFICE_HEALTH = {
  /** The budget worker must complete a run at least this often (it runs every 15 minutes). */
  budgetWorkerMaxIdleMs: 30 * 60_000,
  /** Invoice PDF attempts over the last 24 hours may fail at most this often. */
  invoiceFailureRate: 0.1,
  /** A cleanup run may fail on at most this many links. */
  cleanupMaxFailedLinks: 100,
} as const;

export interface BackofficeStatus {
  tenants: number;
  budgetAlerts: {
    /** Active projects with a budget: what the worker watches. */
    projectsWithBudget: number;
    activeAlerts: number;
    /** False until a budget.alerts job has been queued or run: the check waits for the first run. */
    started: boolean;
    lastCompletedAt: string | null;
  };
  invoicePdf: {
    pendingInvoices: number;
    attempts24h: number;
    failed24h: number;
    /** failed / attempts over 24 h; null without attempts. */
    failureRate: number | null;
  };
  cleanup: {
    lastJobId: number | null;
    lastFinishedAt: string | null;
    lastState: string | null;
    linksDeactivated: number | null;
    linksFailed: number | null;
  };
  notifications: OutboxStatus;
}

/** What the section's queries return, row for row. */
export interface BackofficeRows {
  tenants: { n: number };
  watched: { n: number };
  active: { n: number };
  budgetJobs: { jobs: number; lastCompletedAt: string | null };
  pending: { n: number };
  attempts: { total: number; failed: number };
  cleanup: { id: number; state: JobState; finishedAt: string | null; result: string | null; progress: string | null } | undefined;
}

export function shapeBackoffice(
  { tenants, watched, active, budgetJobs, pending, attempts, cleanup }: BackofficeRows,
  notifications: OutboxStatus,
): BackofficeStatus {
  const report = parseLinks(cleanup?.result ?? cleanup?.progress ?? null);

  return {
    tenants: tenants.n,
    budgetAlerts: {
      projectsWithBudget: watched.n,
      activeAlerts: active.n,
      started: budgetJobs.jobs > 0,
      lastCompletedAt: budgetJobs.lastCompletedAt,
    },
    invoicePdf: {
      pendingInvoices: pending.n,
      attempts24h: attempts.total,
      failed24h: attempts.failed,
      failureRate: attempts.total > 0 ? attempts.failed / attempts.total : null,
    },
    cleanup: {
      lastJobId: cleanup?.id ?? null,
      lastFinishedAt: cleanup?.finishedAt ?? null,
      lastState: cleanup?.state ?? null,
      linksDeactivated: report?.deactivated ?? null,
      linksFailed: report?.failed ?? null,
    },
    notifications,
  };
}

/** Problems with the back office, one sentence each; empty when healthy. */
export function backofficeProblems(s: BackofficeStatus, now: number, limits = BACKOFFICE_HEALTH): string[] {
  const problems: string[] = [];
  const b = s.budgetAlerts;
  // Projects with a budget need the worker from the start: one that never ran is not "ok".
  if (b.projectsWithBudget > 0) {
    if (b.lastCompletedAt === null)
      problems.push(
        `the budget alert worker (\`leadjobs alerts\`) has never completed a run (${b.projectsWithBudget} project(s) with a budget; is it in your crontab?)`,
      );
    else {
      const idle = now - fromInstant(b.lastCompletedAt);
      if (idle > limits.budgetWorkerMaxIdleMs) {
        problems.push(
          `the budget alert worker has not completed a run for ${formatDuration(idle)} (limit ${formatDuration(limits.budgetWorkerMaxIdleMs)})`,
        );
      }
    }
  }
  const i = s.invoicePdf;
  if (i.failureRate !== null && i.failureRate > limits.invoiceFailureRate) {
    problems.push(
      `${i.failed24h} of ${i.attempts24h} invoice PDF attempts failed in the last 24h (${Math.round(i.failureRate * 1000) / 10}%, limit ${limits.invoiceFailureRate * 100}%)`,
    );
  }
  const c = s.cleanup;
  if (c.linksFailed !== null && c.linksFailed > limits.cleanupMaxFailedLinks) {
    problems.push(
      `the last share-link cleanup (job ${c.lastJobId}) failed on ${c.linksFailed} links (limit ${limits.cleanupMaxFailedLinks})`,
    );
  }
  const n = s.notifications;
  if (n.overdue > 0)
    problems.push(
      `${n.overdue} notification(s) undelivered for more than 15m (oldest from ${n.oldestPendingAt}; check notifyWebhook or run \`leadjobs alerts\`)`,
    );
  if (n.recentFailed > 0)
    problems.push(
      `${n.recentFailed} notification(s) could not be delivered and were given up in the last 24h (e.g. ${n.undelivered.find((u) => u.status === "failed")?.lastError ?? "?"})`,
    );
  return problems;
}

function parseLinks(json: string | null): { deactivated: number; failed: number } | null {
  if (!json) return null;
  try {
    const v = JSON.parse(json) as { links?: { deactivated?: unknown; failed?: unknown } };
    const l = v.links;
    if (!l || typeof l.failed !== "number") return null;
    return { deactivated: typeof l.deactivated === "number" ? l.deactivated : 0, failed: l.failed };
  } catch {
    return null;
  }
}
