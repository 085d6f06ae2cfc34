// SQLite-specific, raw better-sqlite3 (no Kysely): the queue's answer to "is there anything for a
// worker to do?" and the record of a run that found nothing, for the idle fast path (src/fast.ts).
import type BetterSqlite3 from "better-sqlite3";
import { toInstant } from "../time.ts";
import { recordRunIfQuiet } from "./quiet-run.sqlite.ts";

export interface IdleRun {
  command: string;
  owner: string;
  /** ms since the epoch */
  startedAt: number;
  exitCode: number;
  /** The run's summary, given the run's duration in ms. */
  summary: (durationMs: number) => unknown;
  clock: () => number;
}

/**
 * In one IMMEDIATE transaction: when no job is running (nothing a rescue could return) and no job
 * of `types` (all when empty) is due by claim.ts's rule (pending, unblocked, run_at <= now),
 * records the whole command run (as startCommandRun + finishCommandRun would) and returns true.
 * Otherwise writes nothing and returns false: the caller runs the real command.
 */
export function recordRunIfIdle(sqlite: BetterSqlite3.Database, types: readonly string[], run: IdleRun): boolean {
  const typeFilter = types.length > 0 ? `and type in (${types.map(() => "?").join(", ")})` : "";
  const busy = sqlite
    .prepare(
      `select exists (select 1 from job where state = 'running')
         or exists (select 1 from job indexed by job_claim where state = 'pending' and blocked = 0 and run_at <= ? ${typeFilter})`,
    )
    .pluck();
  return recordRunIfQuiet(sqlite, () => !busy.get(toInstant(run.clock()), ...types), run);
}
