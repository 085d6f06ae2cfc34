// PostgreSQL-specific: a worker cycle's plain completions and its next claim in one statement
// (one round trip). The finish changes running jobs under the caller's leases, the claim takes
// pending ones, so the two never touch the same row; each part is atomic as it is on its own.
import { sql } from "kysely";
import { PREPARED } from "../db/prepared.postgres.ts";
import type { Db } from "../db/handle.ts";
import { type ClaimSpec, claimCtes } from "./claim.postgres.ts";
import type { ClaimedWithSnoozes } from "./claim.sqlite.ts";
import type { FinishedRow } from "./finish.ts";
import { finishCtes } from "./finish.postgres.ts";

/** Applies `rows` (finish.ts's finishedRows) and claims per `claim`: the jobs changed and the jobs claimed. */
export async function finishAndClaim(
  db: Db,
  rows: readonly (object & { id: number })[],
  stamp: string,
  claim: ClaimSpec,
): Promise<{ changed: FinishedRow[]; claimed: ClaimedWithSnoozes[] }> {
  const result = await sql<{ changed: string; claimed: string }>`${sql.raw(PREPARED)}
    with ${finishCtes(rows, stamp)}, ${claimCtes(claim)}
    select (select coalesce(json_agg(changed), '[]') from changed) as changed,
      (select coalesce(json_agg(got), '[]') from got) as claimed`.execute(db);
  const [row] = result.rows;
  if (!row) throw new Error("finishAndClaim returned no row");
  // json_agg nests the jsonb payload as a value: the claim returns it as JSON text, as ever.
  const claimed = (JSON.parse(row.claimed) as Array<Omit<ClaimedWithSnoozes, "payload"> & { payload: unknown }>).map((j) => ({
    ...j,
    payload: JSON.stringify(j.payload),
  }));
  return { changed: JSON.parse(row.changed) as FinishedRow[], claimed };
}
