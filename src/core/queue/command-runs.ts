import { ExitCode } from "../errors.ts";
import { toInstant } from "../time.ts";
import type { CommandRunRow } from "./schema.ts";
import type { Db } from "../db/handle.ts";

/** Records that a command (process, enqueue, ...) started; returns the run id. */
export async function startCommandRun(db: Db, command: string, owner: string, now: number): Promise<number> {
  const row = await db
    .insertInto("command_run")
    .values({ command, owner, started_at: toInstant(now), finished_at: null, exit_code: null, summary: null })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export async function finishCommandRun(db: Db, id: number, exitCode: number, summary: unknown, now: number): Promise<void> {
  await db
    .updateTable("command_run")
    .set({ finished_at: toInstant(now), exit_code: exitCode, summary: JSON.stringify(summary) })
    .where("id", "=", id)
    .execute();
}

/**
 * How a recorded run stands: finished (its exit code is recorded), running, or killed: no exit
 * is recorded and its process is gone (kill -9, out of memory, a reboot), judged as leases are
 * (core/runtime/owner.ts: only an owner on this host can be judged; another host's stays running).
 */
export type RunState = "finished" | "running" | "killed";

export function runState(run: Pick<CommandRunRow, "owner" | "exit_code">, ownerGone: (owner: string) => boolean): RunState {
  if (run.exit_code !== null) return "finished";
  return ownerGone(run.owner) ? "killed" : "running";
}

/** A recorded run as status shows it: when, its exit, and whether it still runs. */
export function runSummary(run: CommandRunRow, ownerGone: (owner: string) => boolean) {
  return { startedAt: run.started_at, finishedAt: run.finished_at, exitCode: run.exit_code, state: runState(run, ownerGone) };
}

/** How a recorded run ended, in words: `exit 0`, `running`, `killed, no exit recorded`. */
export function runText(run: { exitCode: number | null; state: RunState }): string {
  return run.state === "finished" ? `exit ${run.exitCode}` : run.state === "killed" ? "killed, no exit recorded" : "running";
}

/**
 * The health problem of a command's last run when it was killed: until a later run is recorded,
 * nothing says the work it was for got done, and a run that dies every time looks like this.
 */
export function killedRunProblems(what: string, last: { startedAt: string; state: RunState } | null): string[] {
  if (last?.state !== "killed") return [];
  return [`the last ${what} (started ${last.startedAt}) ended without recording an exit: its process is gone (killed? out of memory?)`];
}

export interface LastRuns {
  last: CommandRunRow | null;
  lastSuccess: CommandRunRow | null;
}

export async function lastCommandRuns(db: Db, command: string): Promise<LastRuns> {
  const last = await db
    .selectFrom("command_run")
    .selectAll()
    .where("command", "=", command)
    .orderBy("started_at", "desc")
    .limit(1)
    .executeTakeFirst();
  const lastSuccess = await db
    .selectFrom("command_run")
    .selectAll()
    .where("command", "=", command)
    .where("exit_code", "=", ExitCode.Ok)
    .orderBy("started_at", "desc")
    .limit(1)
    .executeTakeFirst();
  return { last: last ?? null, lastSuccess: lastSuccess ?? null };
}
