import { sql } from "kysely";
import type { Db } from "../db/handle.ts";
import { toInstant } from "../time.ts";

/** Pending notifications older than this count as undelivered in `status --check`. */
export const UNDELIVERED_AFTER_MS = 15 * 60_000;

export interface OutboxStatus {
  pending: number;
  /** Pending for longer than UNDELIVERED_AFTER_MS. */
  overdue: number;
  /** Given up after the last attempt. */
  failed: number;
  /** Of those, created within the last 24 hours (what `status --check` flags). */
  recentFailed: number;
  oldestPendingAt: string | null;
  /** The most recent undelivered ones (overdue or failed), newest first. */
  undelivered: Array<{
    id: number;
    kind: string;
    recipient: string;
    subject: string;
    status: string;
    attempts: number;
    lastError: string | null;
    createdAt: string;
  }>;
}

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
    .limit(10)
    .execute();
  return {
    pending: counts.pending,
    overdue: counts.overdue,
    failed: counts.failed,
    recentFailed: counts.recent_failed,
    oldestPendingAt: counts.oldest,
    undelivered: undelivered.map((u) => ({
      id: u.id,
      kind: u.kind,
      recipient: u.recipient,
      subject: u.subject,
      status: u.status,
      attempts: u.attempts,
      lastError: u.last_error,
      createdAt: u.created_at,
    })),
  };
}
