// What `status` prints and its exit code, from the status document: no database code, so the full
// command (status.ts) and the light path without commander or Kysely (src/fast/status.ts) print
// the same.
import type { StatusDoc } from "../core/dashboard/status-doc.ts";
import { ExitCode } from "../core/errors.ts";
import { runText } from "../core/queue/command-runs.ts";
import { DEFAULT_QUEUE_HEALTH, type QueueHealthThresholds } from "../core/queue/health.ts";
import { formatDuration, formatRelative } from "../core/time.ts";
import { plural } from "../core/util/plural.ts";
import { renderSchedules } from "./schedule/status-section.ts";
import { durationOption } from "./shared/options.ts";
import { bold, printJson, printLine, printTable, truncate } from "./shared/output.ts";

export interface StatusOptions {
  json?: boolean;
  check?: boolean;
  maxPendingAge?: string;
  maxWorkerIdle?: string;
  deadWindow?: string;
  now?: string;
}

/** The health limits from the command's options (bad input: UsageError). */
export function statusThresholds(o: StatusOptions): QueueHealthThresholds {
  return {
    maxPendingAgeMs: durationOption(o.maxPendingAge, "--max-pending-age") ?? DEFAULT_QUEUE_HEALTH.maxPendingAgeMs,
    maxWorkerIdleMs: durationOption(o.maxWorkerIdle, "--max-worker-idle") ?? DEFAULT_QUEUE_HEALTH.maxWorkerIdleMs,
    deadWindowMs: durationOption(o.deadWindow, "--dead-window") ?? DEFAULT_QUEUE_HEALTH.deadWindowMs,
  };
}

/** Prints the document (`--json` as is); returns the exit code. */
export async function printStatus(doc: StatusDoc, now: number, o: StatusOptions): Promise<number> {
  if (o.json) printJson(doc);
  else await render(doc, now, Boolean(o.check));
  return o.check && !doc.health.ok ? ExitCode.Failure : ExitCode.Ok;
}

async function render(doc: StatusDoc, now: number, check: boolean): Promise<void> {
  const byType = doc.queue.byType;
  const c = doc.queue.counts;
  printLine(bold("queue"));
  printLine(
    `  ${c.pending} pending (${doc.queue.due} due, ${doc.queue.scheduled} later${doc.queue.waiting ? `, ${doc.queue.waiting} waiting on another job` : ""}) · ${c.running} running · ${c.completed} completed · ${c.dead} dead · ${c.cancelled} cancelled`,
  );
  if (doc.queue.oldestDue)
    printLine(
      `  oldest due: job ${doc.queue.oldestDue.id} (${doc.queue.oldestDue.type}), due for ${formatDuration(doc.queue.oldestDue.ageMs)}`,
    );
  if (doc.queue.nextScheduledAt) printLine(`  next later job: ${formatRelative(doc.queue.nextScheduledAt, now)}`);
  const w = doc.worker;
  printLine(
    `  last process run: ${w.lastRun ? `${formatRelative(w.lastRun.startedAt, now)} (${runText(w.lastRun)})` : "never"}; last success: ${formatRelative(w.lastSuccessAt, now)}`,
  );
  if (byType.length > 0) {
    printLine("");
    await printTable(
      ["type", "pending", "running", "completed", "dead", "cancelled"],
      byType.map((t) => [t.type, t.pending, t.running, t.completed, t.dead, t.cancelled]),
    );
  }
  if (doc.running.length > 0) {
    printLine(bold("running"));
    await printTable(
      ["id", "type", "lease owner", "lease expires", "progress"],
      doc.running.map((r) => [
        r.id,
        r.type,
        r.leaseOwner,
        `${formatRelative(r.leaseExpiresAt, now)}${r.expired ? " (EXPIRED)" : r.ownerGone ? " (OWNER GONE)" : ""}`,
        truncate(r.progress ? JSON.stringify(r.progress) : null, 40),
      ]),
    );
  }
  if (doc.recentFailures.length > 0) {
    printLine(bold(`recent failures (${plural(doc.failedAttempts24h, "failed attempt")} in 24h)`));
    await printTable(
      ["job", "type", "attempt", "outcome", "when", "error"],
      doc.recentFailures.map((f) => [f.jobId, f.type, f.attempt, f.outcome, formatRelative(f.finishedAt, now), truncate(f.error, 60)]),
    );
  }
  if (doc.deadJobs.length > 0) {
    printLine(bold("dead jobs (retry with `leadjobs jobs retry ID`)"));
    await printTable(
      ["id", "type", "attempts", "died", "last error"],
      doc.deadJobs.map((d) => [d.id, d.type, d.attempts, formatRelative(d.finishedAt, now), truncate(d.lastError, 60)]),
    );
  }
  renderBackoffice(doc, now);
  await renderSchedules(doc.schedules, now);
  if (check || doc.health.problems.length > 0) {
    printLine(bold(doc.health.ok ? "health: ok" : "health: UNHEALTHY"));
    for (const p of doc.health.problems) printLine(`  - ${p}`);
  }
}

function renderBackoffice(doc: StatusDoc, now: number): void {
  const b = doc.backoffice;
  const n = b.notifications;
  if (
    b.tenants === 0 &&
    !b.budgetAlerts.started &&
    b.invoicePdf.attempts24h === 0 &&
    b.cleanup.lastJobId === null &&
    n.pending + n.failed === 0
  )
    return;
  printLine(bold("back office"));
  printLine(
    `  budget alerts: ${b.budgetAlerts.activeAlerts} active over ${plural(b.budgetAlerts.projectsWithBudget, "project")} with a budget; last completed run: ${b.budgetAlerts.started ? formatRelative(b.budgetAlerts.lastCompletedAt, now) : "never"}`,
  );
  const rate = b.invoicePdf.failureRate === null ? "-" : `${Math.round(b.invoicePdf.failureRate * 1000) / 10}%`;
  printLine(
    `  invoice PDFs: ${b.invoicePdf.pendingInvoices} pending; ${plural(b.invoicePdf.attempts24h, "attempt")} in 24h, ${b.invoicePdf.failed24h} failed (${rate})`,
  );
  printLine(
    `  share-link cleanup: ${b.cleanup.lastJobId === null ? "never run" : `last ${b.cleanup.lastState} ${formatRelative(b.cleanup.lastFinishedAt, now)}, ${b.cleanup.linksDeactivated ?? 0} deactivated, ${b.cleanup.linksFailed ?? 0} failed`}`,
  );
  printLine(`  notifications: ${n.pending} pending, ${n.failed} given up`);
  for (const u of n.undelivered.slice(0, 5))
    printLine(
      `    #${u.id} ${u.status} to ${u.recipient}: ${truncate(u.subject, 50)} (${plural(u.attempts, "attempt")}${u.lastError ? `: ${truncate(u.lastError, 50)}` : ""})`,
    );
}
