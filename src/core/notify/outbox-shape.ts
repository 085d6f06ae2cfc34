// The notification section of `status`, shaped from its query rows: no database code, so the
// Kysely queries (outbox-status.ts) and the light path's raw SQLite ones give the same document.

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
  undelivered: Undelivered[];
}

export interface Undelivered {
  id: number;
  kind: string;
  recipient: string;
  subject: string;
  status: string;
  attempts: number;
  lastError: string | null;
  createdAt: string;
}

/** How many undelivered notifications the section lists. */
export const UNDELIVERED_LISTED = 10;

export interface OutboxCountsRow {
  pending: number;
  overdue: number;
  failed: number;
  recent_failed: number;
  oldest: string | null;
}

export type UndeliveredRow = Omit<Undelivered, "lastError" | "createdAt"> & { last_error: string | null; created_at: string };

export function outboxOf(counts: OutboxCountsRow, undelivered: readonly UndeliveredRow[]): OutboxStatus {
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
