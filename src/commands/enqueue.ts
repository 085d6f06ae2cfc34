import { finishCommandRun, lastCommandRuns, startCommandRun } from "../core/queue/command-runs.ts";
import { loadJobType } from "../job-types.ts";
import { formatInZone } from "../core/schedule/format.ts";
import { parseRankBands } from "../core/tracking/rank-cadence.ts";
import { tickSchedules, type ScheduleTick } from "../core/schedule/tick.ts";
import { type BlockedRefresh, enqueueRefreshes, refreshKey, tickTolerance, type RefreshTick } from "../core/tracking/due-refreshes.ts";
import { refreshAnalysisType } from "../core/tracking/refresh-target.ts";
import { formatDuration, fromInstant, toInstant } from "../core/time.ts";
import type { Config } from "../core/config.ts";
import { configOnce, openContextWith, type GlobalOptions } from "./shared/context.ts";
import { printJson, printLine, stdoutIsTty } from "./shared/output.ts";
import { withPing } from "./shared/ping.ts";
import { rescueLost } from "./shared/rescue-lost.ts";
import { ExitCode } from "../core/errors.ts";

const REPORTED_COMPANIES = 1000;

export interface EnqueueOptions {
  now?: string;
  dryRun?: boolean;
  refreshCap?: string;
  pingUrl?: string;
  json?: boolean;
}

/** `leadjobs enqueue`: the scheduler tick cron runs every few minutes. */
export async function enqueueCommand(g: GlobalOptions, o: EnqueueOptions): Promise<number> {
  const settings = configOnce(g, { refreshCap: o.refreshCap });
  return withPing(o.pingUrl, g, "enqueue", settings, () => runEnqueue(g, o, settings()));
}

async function runEnqueue(g: GlobalOptions, o: EnqueueOptions, config: Config): Promise<number> {
  const bands = parseRankBands(config.refreshBands); // bad settings: exit 2 before the database is touched
  refreshAnalysisType(config);
  const dryRun = Boolean(o.dryRun);
  // A dry run writes nothing, so it never creates a database either (a typo in --db is exit 2).
  const ctx = await openContextWith(g, config, { now: o.now, readOnly: dryRun });
  try {
    const started = ctx.clock();
    const previousTick = (await lastCommandRuns(ctx.db, "enqueue")).last?.started_at;
    const toleranceMs = tickTolerance(previousTick === undefined ? null : fromInstant(previousTick), started);
    const runId = dryRun ? null : await startCommandRun(ctx.db, "enqueue", ctx.owner, started);
    // Leases are taken and renewed on the real clock: --now moves the schedules, not the leases
    // (a tick "as if" next week must not take running jobs from live workers).
    const rescued = dryRun ? [] : await rescueLost(ctx);
    const schedules = await tickSchedules(ctx.db, { now: started, dryRun, loadJobType, retentionMs: ctx.config.fireRetention });
    const refresh = await enqueueRefreshes(ctx.db, { now: started, bands, cap: ctx.config.refreshCap, toleranceMs, dryRun, loadJobType });
    const failed = schedules.filter((s) => s.error !== null);
    for (const s of failed) ctx.log.warn(`schedule "${s.name}": ${s.error}`);
    // A blocked company is never refreshed until someone ends the job that holds its key: a
    // failure, like a schedule run that could not be enqueued. With --refresh-cap 0 no refresh
    // was asked for, so nothing failed.
    const blocked = ctx.config.refreshCap > 0 ? refresh.blocked : [];
    for (const line of blockedLines(blocked)) ctx.log.warn(line);
    const exitCode = failed.length > 0 || blocked.length > 0 ? ExitCode.Failure : ExitCode.Ok;
    const report = {
      now: toInstant(started),
      dryRun,
      rescued: rescued.length,
      enqueued: schedules.reduce((n, s) => n + s.runs.length, 0) + refresh.enqueued.length,
      missed: schedules.reduce((n, s) => n + (s.missed?.count ?? 0), 0),
      schedules,
      refresh: {
        due: refresh.due,
        enqueued: refresh.enqueued.length,
        deferred: refresh.deferred,
        cap: ctx.config.refreshCap,
        problems: refresh.problems,
        // The first REPORTED_COMPANIES, in tick order: an uncapped first run can enqueue 100,000.
        companies: refresh.enqueued.slice(0, REPORTED_COMPANIES),
        blocked: refresh.blocked.slice(0, REPORTED_COMPANIES),
      },
      durationMs: ctx.clock() - started,
    };
    if (runId !== null) {
      const {
        schedules: _s,
        refresh: { companies: _c, blocked: _b, ...refreshCounts },
        ...counts
      } = report;
      const summary = { ...counts, refresh: { ...refreshCounts, blocked: refresh.blocked.length }, schedules: schedules.length };
      await finishCommandRun(ctx.db, runId, exitCode, summary, ctx.clock());
    }
    if (o.json) printJson(report);
    else if (dryRun || stdoutIsTty()) render(schedules, refresh, ctx.config.refreshCap, dryRun, rescued.length, report.durationMs);
    return exitCode;
  } finally {
    await ctx.close();
  }
}

const BLOCKED_LINES = 10;

/** One stderr line per blocked company (the first BLOCKED_LINES), saying which job to end. */
function blockedLines(blocked: readonly BlockedRefresh[]): string[] {
  const lines = blocked
    .slice(0, BLOCKED_LINES)
    .map(
      (b) =>
        `company ${b.orgnr}: refresh not enqueued: its key ${refreshKey(b.orgnr)} is held by job ${b.jobId} (${b.jobType}); let it finish or cancel it (leadjobs jobs cancel ${b.jobId})`,
    );
  if (blocked.length > BLOCKED_LINES)
    lines.push(`${blocked.length - BLOCKED_LINES} more companies not enqueued for the same reason (see --json)`);
  return lines;
}

function render(schedules: ScheduleTick[], refresh: RefreshTick, cap: number, dryRun: boolean, rescued: number, durationMs: number): void {
  const verb = dryRun ? "would enqueue" : "enqueued";
  for (const s of schedules) {
    const parts: string[] = [];
    if (s.runs.length > 0) {
      const last = s.runs[s.runs.length - 1] as ScheduleTick["runs"][number];
      parts.push(
        `${verb} ${s.runs.length} run${s.runs.length === 1 ? "" : "s"} (latest fire ${formatInZone(last.fireAt, s.tz)}, ${formatDuration(last.lateMs)} late)`,
      );
    }
    if (s.missed) {
      const span =
        s.missed.count === 1
          ? formatInZone(s.missed.firstFireAt, s.tz)
          : `${formatInZone(s.missed.firstFireAt, s.tz)} … ${formatInZone(s.missed.lastFireAt, s.tz)}`;
      parts.push(`missed ${s.missed.count} (${span}; ${s.policy})`);
    }
    if (s.error) parts.push(`ERROR ${s.error}`);
    printLine(`schedule ${s.name} (${s.type}): ${parts.join("; ")}`);
  }
  if (refresh.due > 0 || refresh.enqueued.length > 0 || refresh.blocked.length > 0) {
    printLine(
      `company refresh: ${verb} ${refresh.enqueued.length} of ${refresh.due} due${refresh.deferred > 0 ? ` (${refresh.deferred} left for later ticks, cap ${cap})` : ""}${refresh.problems > 0 ? `; ${refresh.problems} problem companies skipped` : ""}${refresh.blocked.length > 0 ? `; ${refresh.blocked.length} blocked by a job of another type` : ""}`,
    );
  }
  if (schedules.length === 0 && refresh.due === 0 && refresh.blocked.length === 0) printLine("nothing due");
  if (rescued > 0) printLine(`rescued ${rescued} job(s) whose worker was lost`);
  printLine(`(${dryRun ? "dry run, nothing written; " : ""}${formatDuration(durationMs)})`);
}
