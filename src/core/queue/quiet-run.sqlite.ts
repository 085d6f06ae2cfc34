// SQLite-specific, raw better-sqlite3 (no Kysely): the queue's side of the idle `enqueue` tick on
// the fast path (src/fast/enqueue.ts): what the tick reads of the queue, and the record of the run.
import type BetterSqlite3 from "better-sqlite3";
import { toInstant } from "../time.ts";
import type { IdleRun } from "./idle.sqlite.ts";

/** Whether any job is running: a tick's rescue would look at it (an expired lease, a gone owner). */
export function anyJobRunning(sqlite: BetterSqlite3.Database): boolean {
  return Boolean(sqlite.prepare("select exists (select 1 from job where state = 'running')").pluck().get());
}

/** When the latest run of `command` started (as lastCommandRuns orders them), or null. */
export function lastRunStartedAt(sqlite: BetterSqlite3.Database, command: string): string | null {
  const at = sqlite.prepare("select started_at from command_run where command = ? order by started_at desc limit 1").pluck().get(command);
  return typeof at === "string" ? at : null;
}

/**
 * In one IMMEDIATE transaction: when `quiet()` (called inside it) returns true, records the whole
 * command run (as startCommandRun + finishCommandRun would) and returns true; otherwise writes
 * nothing and returns false, and the caller runs the real command.
 */
export function recordRunIfQuiet(sqlite: BetterSqlite3.Database, quiet: () => boolean, run: IdleRun): boolean {
  const insert = sqlite.prepare(
    "insert into command_run (command, owner, started_at, finished_at, exit_code, summary) values (?, ?, ?, ?, ?, ?)",
  );
  return sqlite
    .transaction(() => {
      if (!quiet()) return false;
      const finished = run.clock();
      insert.run(
        run.command,
        run.owner,
        toInstant(run.startedAt),
        toInstant(finished),
        run.exitCode,
        JSON.stringify(run.summary(finished - run.startedAt)),
      );
      return true;
    })
    .immediate();
}
