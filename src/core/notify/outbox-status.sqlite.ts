// SQLite-specific: outboxStatus (outbox-status.ts) as raw SQL over the better-sqlite3 handle, for
// the light `status` path that never loads Kysely: the same statements, the same shaping.
import type BetterSqlite3 from "better-sqlite3";
import { toInstant } from "../time.ts";
import {
  type OutboxCountsRow,
  type OutboxStatus,
  outboxOf,
  UNDELIVERED_AFTER_MS,
  UNDELIVERED_LISTED,
  type UndeliveredRow,
} from "./outbox-shape.ts";

export function outboxStatusRaw(db: BetterSqlite3.Database, now: number): OutboxStatus {
  const cutoff = toInstant(now - UNDELIVERED_AFTER_MS);
  const counts = db
    .prepare(
      `select count(case when status = 'pending' then 1 end) as "pending", count(case when status = 'pending' and created_at < ? then 1 end) as "overdue", count(case when status = 'failed' then 1 end) as "failed", count(case when status = 'failed' and created_at >= ? then 1 end) as "recent_failed", min(case when status = 'pending' then created_at end) as "oldest" from "notification" where "status" in (?, ?)`,
    )
    .get(cutoff, toInstant(now - 86_400_000), "pending", "failed") as OutboxCountsRow;
  const undelivered = db
    .prepare(
      `select "id", "kind", "recipient", "subject", "status", "attempts", "last_error", "created_at" from "notification" where ("status" = ? or ("status" = ? and "created_at" < ?)) order by "id" desc limit ?`,
    )
    .all("failed", "pending", cutoff, UNDELIVERED_LISTED) as UndeliveredRow[];
  return outboxOf(counts, undelivered);
}
