// The idle `enqueue` tick on the fast path (src/fast.ts): when no schedule is due, no fire record
// is old enough to prune, no job is running (nothing for the rescue) and no company refresh would
// be enqueued, it records the same command_run row and prints the same --json report as the full
// command (src/commands/enqueue.ts), without Kysely. Otherwise undefined: the full command runs.
import { existsSync, statSync } from "node:fs";
import { ExitCode } from "../core/errors.ts";
import { openSqlite } from "../core/db/open.sqlite.ts";
import { anyJobRunning, lastRunStartedAt, recordRunIfQuiet } from "../core/queue/quiet-run.sqlite.ts";
import { workerIdentity } from "../core/runtime/owner.ts";
import { scheduleWorkDue } from "../core/schedule/idle-tick.sqlite.ts";
import { fromInstant, toInstant } from "../core/time.ts";
import { refreshCounts } from "../core/tracking/idle-refresh.sqlite.ts";
import { parseRankBands } from "../core/tracking/rank-cadence.ts";
import { refreshAnalysisType } from "../core/tracking/refresh-target.ts";
import type { GlobalOptions } from "../commands/shared/context.ts";
import { printJson, stdoutIsTty } from "../commands/shared/output.ts";
import { loadConfig } from "../commands/shared/settings.ts";
import { commandOptions, existingSqliteFile } from "./args.ts";

const VALUES = new Set(["--refresh-cap"]);
const FLAGS = new Set(["--json"]);

export function idleEnqueue(g: GlobalOptions, args: readonly string[]): number | undefined {
  const o = commandOptions(args, VALUES, FLAGS);
  // --now, --dry-run, --ping-url and a TTY (which gets the text report) are the full command's.
  if (!o || stdoutIsTty()) return undefined;
  const config = loadConfig(g, { refreshCap: o["--refresh-cap"] });
  const bands = parseRankBands(config.refreshBands);
  refreshAnalysisType(config);
  if (!existingSqliteFile(config.db, existsSync, (p) => statSync(p).size)) return undefined;

  const started = Date.now();
  const sqlite = openSqlite(config.db, { busyTimeoutMs: config.busyTimeout });
  let refresh = { due: 0, problems: 0, blocked: 0 };
  let report: Record<string, unknown> | undefined;
  try {
    const quiet = () => {
      if (anyJobRunning(sqlite) || scheduleWorkDue(sqlite, started, config.fireRetention)) return false;
      const previous = lastRunStartedAt(sqlite, "enqueue");
      const toleranceMs = previous === null ? 0 : Math.max(0, Math.floor((started - fromInstant(previous)) / 2));
      refresh = refreshCounts(sqlite, { now: started, bands, toleranceMs });
      // else the tick enqueues refresh jobs, or reports companies it cannot enqueue
      return (refresh.due === 0 || config.refreshCap === 0) && refresh.blocked === 0;
    };
    const recorded = recordRunIfQuiet(sqlite, quiet, {
      command: "enqueue",
      owner: workerIdentity().owner,
      startedAt: started,
      clock: Date.now,
      exitCode: ExitCode.Ok,
      summary: (durationMs) => {
        const counts = { due: refresh.due, enqueued: 0, deferred: refresh.due, cap: config.refreshCap, problems: refresh.problems };
        const head = { now: toInstant(started), dryRun: false, rescued: 0, enqueued: 0, missed: 0 };
        report = { ...head, schedules: [], refresh: { ...counts, companies: [], blocked: [] }, durationMs };
        return { ...head, durationMs, refresh: { ...counts, blocked: 0 }, schedules: 0 };
      },
    });
    if (!recorded) return undefined;
  } finally {
    sqlite.close();
  }
  if (o["--json"] !== undefined) printJson(report);
  return ExitCode.Ok;
}
