import { sql } from "kysely";
import { fragments } from "../db/fragments.ts";
import type { Db } from "../db/handle.ts";
import { toInstant } from "../time.ts";
import { announceJobs } from "./enqueue.ts";

export interface SettledParent {
  id: number;
  state: "completed" | "dead" | "cancelled";
}

/**
 * Moves the jobs that wait on `parents` along, inside the caller's transaction: a completed
 * parent unblocks its children (due now, or at their own later run_at); a dead or cancelled
 * parent cancels them with the reason, and so on down the chain. Returns the cancelled ids.
 * (The unary + keeps SQLite on the small depends_on index instead of scanning every pending job.)
 */
export async function settleDependents(trx: Db, parents: SettledParent[], now: number): Promise<number[]> {
  const stamp = toInstant(now);
  const f = fragments(trx);
  const completed = parents.filter((p) => p.state === "completed").map((p) => p.id);
  if (completed.length > 0) {
    const unblocked = await sql`
      update job set blocked = 0, run_at = ${f.greatest("run_at", f.instant(stamp))}, updated_at = ${f.instant(stamp)}
      where depends_on in (${sql.join(completed)}) and ${f.unindexed("state")} = 'pending' and blocked = 1`.execute(trx);
    if (Number(unblocked.numAffectedRows ?? 0) > 0) await announceJobs(trx);
  }
  const cancelled: number[] = [];
  let failed = parents.filter((p) => p.state !== "completed").map((p) => p.id);
  while (failed.length > 0) {
    const next: number[] = [];
    // A level of the cascade can hold any number of jobs (one parent of 150,000 `--from` jobs): in
    // statements of CASCADE_CHUNK ids, below SQLite's and PostgreSQL's limits on bound parameters,
    // and pushed one by one, as push(...ids) of that many overflows the stack.
    for (let at = 0; at < failed.length; at += CASCADE_CHUNK) {
      const rows = await sql<{ id: number }>`
        update job set state = 'cancelled', blocked = 0, finished_at = ${f.instant(stamp)}, updated_at = ${f.instant(stamp)},
          last_error = 'cancelled: the job it depends on (' || depends_on || ') ' ||
            case (select p.state from job p where p.id = job.depends_on) when 'dead' then 'died' else 'was cancelled' end
        where depends_on in (${sql.join(failed.slice(at, at + CASCADE_CHUNK))}) and ${f.unindexed("state")} = 'pending'
        returning id`.execute(trx);
      for (const r of rows.rows) next.push(r.id);
    }
    for (const id of next) cancelled.push(id);
    failed = next;
  }
  return cancelled;
}

const CASCADE_CHUNK = 5000;

/** Whether a new job depending on `parentState` starts blocked; a parent that can never complete is refused by the caller. */
export function blockedBy(parentState: string): 0 | 1 {
  return parentState === "completed" ? 0 : 1;
}
