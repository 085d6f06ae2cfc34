import type { CompanyRefreshRow, RefreshOutcome } from "../schedule/schema.ts";
import { immediate, type Db } from "../db/handle.ts";
import { toInstant } from "../time.ts";

export interface RefreshAttempt {
  /** ok: refreshed; skipped: nothing to do (e.g. no website); failed: the refresh failed for good. */
  outcome: RefreshOutcome;
  message: string | null;
  /** When the refresh job was enqueued: the cadence counts from here (default: now). */
  dueFrom?: number | undefined;
}

/**
 * Records how a company refresh ended. Failures in a row are counted; at `failureThreshold`
 * the company becomes a problem and the cadence skips it until it is reset. A success clears
 * both. Handlers call this once per refresh job (not per retried attempt).
 */
export async function recordRefreshOutcome(
  db: Db,
  orgnr: string,
  a: RefreshAttempt,
  now: number,
  failureThreshold: number,
): Promise<CompanyRefreshRow> {
  return immediate(db, (trx) => recordRefreshOutcomeInTx(trx, orgnr, a, now, failureThreshold));
}

/** `recordRefreshOutcome` inside the caller's transaction (with the analysis it records). */
export async function recordRefreshOutcomeInTx(
  trx: Db,
  orgnr: string,
  a: RefreshAttempt,
  now: number,
  failureThreshold: number,
): Promise<CompanyRefreshRow> {
  const stamp = toInstant(now);
  const old = await trx.selectFrom("company_refresh").selectAll().where("orgnr", "=", orgnr).executeTakeFirst();
  const failures =
    a.outcome === "failed" ? (old?.consecutive_failures ?? 0) + 1 : a.outcome === "ok" ? 0 : (old?.consecutive_failures ?? 0);
  const wasProblem = old?.problem === 1;
  const problem = a.outcome === "ok" ? false : wasProblem || failures >= failureThreshold;
  const row = {
    orgnr,
    last_refreshed_at: stamp,
    due_from: toInstant(Math.min(a.dueFrom ?? now, now)),
    last_success_at: a.outcome === "ok" ? stamp : (old?.last_success_at ?? null),
    last_outcome: a.outcome,
    last_message: a.message,
    consecutive_failures: failures,
    problem: problem ? 1 : 0,
    problem_since: problem ? (wasProblem ? (old?.problem_since ?? stamp) : stamp) : null,
    updated_at: stamp,
  } as const;
  return trx
    .insertInto("company_refresh")
    .values(row)
    .onConflict((oc) => oc.column("orgnr").doUpdateSet(row))
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Clears a company's problem flag and failure count, so the cadence refreshes it again. */
export async function resetRefreshProblem(db: Db, orgnr: string, now: number): Promise<boolean> {
  const r = await db
    .updateTable("company_refresh")
    .set({ problem: 0, problem_since: null, consecutive_failures: 0, updated_at: toInstant(now) })
    .where("orgnr", "=", orgnr)
    .where((eb) => eb.or([eb("problem", "=", 1), eb("consecutive_failures", ">", 0)]))
    .executeTakeFirst();
  return Number(r.numUpdatedRows) > 0;
}
