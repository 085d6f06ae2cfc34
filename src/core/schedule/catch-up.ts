// A tick that found missed fires, from its query row (no database code: the light `status` path
// reads the rows with raw SQL, status-shape.sqlite.ts).

/** How the reason of a missed fire starts when its job could not be enqueued (the tick ran; the payload or type did not do). */
export const CANNOT_ENQUEUE = "cannot enqueue ";
/** A LIKE pattern for those reasons. */
export const CANNOT_ENQUEUE_LIKE = `${CANNOT_ENQUEUE}%`;

export interface CatchUp {
  scheduleId: number;
  recordedAt: string;
  policy: string;
  missed: number;
  firstMissedAt: string;
  lastMissedAt: string;
  ran: number;
  /** Of the missed fires, those whose job could not be enqueued (the others were late: no tick ran). */
  failed: number;
  /** Why they could not be enqueued; null when none failed. */
  error: string | null;
}

export interface CatchUpRow {
  schedule_id: number;
  recorded_at: string;
  policy: string;
  missed: number;
  first_missed: string;
  last_missed: string;
  ran: number;
  failed: number;
  error: string | null;
}

export const catchUpOf = (r: CatchUpRow): CatchUp => ({
  scheduleId: r.schedule_id,
  recordedAt: r.recorded_at,
  policy: r.policy,
  missed: r.missed,
  firstMissedAt: r.first_missed,
  lastMissedAt: r.last_missed,
  ran: r.ran,
  failed: r.failed,
  error: r.error,
});
