import { dialectOf } from "../db/dialect.ts";
import type { Db } from "../db/handle.ts";
import { toInstant } from "../time.ts";
import { type ClaimedJob, type ClaimOptions, claimedJobs, claimJobsInTx, leaseExpiry } from "./claim.ts";
import { finishAndClaim } from "./cycle.postgres.ts";
import { type FinishedAttempt, finishAttemptsInTx, finishedRows, settleFinished } from "./finish.ts";
import { queueTransaction } from "./transaction.ts";

/**
 * A worker cycle of plain completions (no ends that retry, die or need hooks): records them and
 * claims up to `claim.limit` jobs. On PostgreSQL one statement (cycle.postgres.ts), then the
 * dependents of the jobs others wait on (and a claim for those it unblocked); on SQLite the two in
 * one write transaction.
 */
export async function completeAndClaim(
  db: Db,
  finished: FinishedAttempt[],
  claim: ClaimOptions,
): Promise<{ applied: Set<number>; claimed: ClaimedJob[] }> {
  if (dialectOf(db) === "sqlite") {
    return queueTransaction(db, async (trx) => ({
      applied: await finishAttemptsInTx(trx, finished, claim.now),
      claimed: await claimJobsInTx(trx, claim),
    }));
  }
  const stamp = toInstant(claim.now);
  const spec = { ...claim, now: stamp, expires: leaseExpiry(claim) };
  const { changed, claimed } = await finishAndClaim(db, finishedRows(finished, stamp), stamp, spec);
  const applied = await settleFinished(db, changed, claim.now);
  const jobs = claimedJobs(claimed, claim.owner, claim.now);
  // The claim ran before the dependents of these jobs were unblocked: claim again for them.
  const more =
    changed.some((r) => r.waited_on) && jobs.length < claim.limit
      ? await claimJobsInTx(db, { ...claim, limit: claim.limit - jobs.length })
      : [];
  return { applied, claimed: [...jobs, ...more] };
}
