import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import { toInstant } from "../time.ts";
import { type OutboxStatus, outboxOf, UNDELIVERED_AFTER_MS, UNDELIVERED_LISTED } from "./outbox-shape.ts";

export { type OutboxStatus, UNDELIVERED_AFTER_MS } from "./outbox-shape.ts";

export async function outboxStatus(db: Db, now: number): Promise<OutboxStatus> {
  const cutoff = toInstant(now - UNDELIVERED_AFTER_MS);
  const counts = await db
    .selectFrom("notification")
    .select([
      sql<number>`count(case when status = 'pending' then 1 end)`.as("pending"),
      sql<number>`count(case when status = 'pending' and created_at < ${cutoff} then 1 end)`.as("overdue"),
      sql<number>`count(case when status = 'failed' then 1 end)`.as("failed"),
      sql<number>`count(case when status = 'failed' and created_at >= ${toInstant(now - 86_400_000)} then 1 end)`.as("recent_failed"),
      sql<string | null>`min(case when status = 'pending' then created_at end)`.as("oldest"),
    ])
    .where("status", "in", ["pending", "failed"])
    .executeTakeFirstOrThrow();
  const undelivered = await db
    .selectFrom("notification")
    .select(["id", "kind", "recipient", "subject", "status", "attempts", "last_error", "created_at"])
    .where((eb) => eb.or([eb("status", "=", "failed"), eb.and([eb("status", "=", "pending"), eb("created_at", "<", cutoff)])]))
    .orderBy("id", "desc")
    .limit(UNDELIVERED_LISTED)
    .execute();
  return outboxOf(counts, undelivered);
}
