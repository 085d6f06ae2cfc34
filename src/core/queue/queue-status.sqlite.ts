// SQLite-specific: the queue section of `status` as raw SQL over the better-sqlite3 handle, for
// the light path (src/fast/status.ts) that never loads Kysely. The same statements, word for word,
// as queueStatus (inspect.ts, inspect.sqlite.ts) and lastCommandRuns (command-runs.ts) send, shaped
// by the same code (queue-status.ts), so only a query could make the two paths differ.
import type BetterSqlite3 from "better-sqlite3";
import { ExitCode } from "../errors.ts";
import { toInstant } from "../time.ts";
import type { LastRuns } from "./command-runs.ts";
import {
  DEAD_JOBS_LISTED,
  FAILURES_LISTED,
  type JobOutcome,
  type PendingSummary,
  outcomesById,
  type QueueStatus,
  type QueueStatusRows,
  RUNNING_LISTED,
  shapeQueueStatus,
} from "./queue-status.ts";
import type { JobOutcomeRow } from "./inspect.sqlite.ts";
import { PENDING_BY_PRIORITY, PENDING_SCAN, walkedEveryPriority } from "./pending-summary.sqlite.ts";
import { STATE_TYPE_COUNTS } from "./state-counts.sqlite.ts";

type Sqlite = BetterSqlite3.Database;
const all = <T>(db: Sqlite, text: string, ...params: unknown[]) => db.prepare(text).all(...params) as T[];
const one = <T>(db: Sqlite, text: string, ...params: unknown[]) => db.prepare(text).get(...params) as T | undefined;

export function queueStatusRaw(db: Sqlite, nowMs: number, leaseNowMs = nowMs): QueueStatus {
  const now = toInstant(nowMs);
  const leaseNow = toInstant(leaseNowMs);
  const since = toInstant(nowMs - 86_400_000);
  const byLevel = one<PendingSummary & { levels: number | null }>(db, PENDING_BY_PRIORITY, now, now, now);
  const pending = walkedEveryPriority(byLevel) ? byLevel : one<PendingSummary>(db, PENDING_SCAN, now, now, now);
  const oldestRunAt = pending?.oldest ?? null;
  const rows: QueueStatusRows = {
    grouped: all(db, STATE_TYPE_COUNTS),
    pending,
    oldest:
      oldestRunAt === null
        ? undefined
        : one<{ id: number; type: string; run_at: string }>(
            db,
            "select id, type, run_at from job indexed by job_claim where state = 'pending' and blocked = 0 and run_at = ? limit 1",
            oldestRunAt,
          ),
    waiting: one<{ n: number }>(
      db,
      "select count(*) as n from job indexed by job_depends_on where depends_on is not null and state = 'pending' and blocked = 1",
    ) ?? { n: 0 },
    running: all(
      db,
      `select "id", "type", "lease_owner", "lease_expires_at", "started_at", "progress" from "job" where "state" = ? order by "id" limit ?`,
      "running",
      RUNNING_LISTED,
    ),
    expired: one<{ n: number }>(
      db,
      `select count(*) as "n" from "job" where "state" = ? and "lease_expires_at" < ?`,
      "running",
      leaseNow,
    ) as {
      n: number;
    },
    failures: all(
      db,
      `select "job_attempt"."job_id", "job"."type", "job_attempt"."attempt", "job_attempt"."outcome", "job_attempt"."finished_at", "job_attempt"."error" from "job_attempt" inner join "job" on "job"."id" = "job_attempt"."job_id" where (outcome = 'failed' or outcome = 'timed_out' or outcome = 'lost') and "job_attempt"."finished_at" >= ? order by "job_attempt"."finished_at" desc limit ?`,
      since,
      FAILURES_LISTED,
    ),
    failedCount: one<{ n: number }>(
      db,
      `select count(*) as "n" from "job_attempt" where (outcome = 'failed' or outcome = 'timed_out' or outcome = 'lost') and "finished_at" >= ?`,
      since,
    ) as { n: number },
    dead: all(
      db,
      "select id, type, finished_at, attempts, last_error from job indexed by job_dead where state = 'dead' order by finished_at desc, id desc limit ?",
      DEAD_JOBS_LISTED,
    ),
  };
  return shapeQueueStatus(rows, nowMs, now, leaseNow);
}

/** lastCommandRuns (command-runs.ts) over the raw handle. */
export function lastCommandRunsRaw(db: Sqlite, command: string): LastRuns {
  const last = one<LastRuns["last"]>(db, `select * from "command_run" where "command" = ? order by "started_at" desc limit ?`, command, 1);
  const lastSuccess = one<LastRuns["last"]>(
    db,
    `select * from "command_run" where "command" = ? and "exit_code" = ? order by "started_at" desc limit ?`,
    command,
    ExitCode.Ok,
    1,
  );
  return { last: last ?? null, lastSuccess: lastSuccess ?? null };
}

/** jobOutcomes (inspect.ts, without durations) over the raw handle. */
export function jobOutcomesRaw(db: Sqlite, ids: readonly number[]): Map<number, JobOutcome> {
  if (ids.length === 0) return new Map();
  return outcomesById(
    all<JobOutcomeRow>(
      db,
      "select id, state, attempts, last_error, finished_at, null as duration_ms from job where id in (select value from json_each(?))",
      JSON.stringify([...new Set(ids)]),
    ),
  );
}
