// A tick that found missed fires, from its query row (no database code: the light `status` path
// reads the rows with raw SQL, status-shape.sqlite.ts).

export interface CatchUp {
  scheduleId: number;
  recordedAt: string;
  policy: string;
  missed: number;
  firstMissedAt: string;
  lastMissedAt: string;
  ran: number;
}

export interface CatchUpRow {
  schedule_id: number;
  recorded_at: string;
  policy: string;
  missed: number;
  first_missed: string;
  last_missed: string;
  ran: number;
}

export const catchUpOf = (r: CatchUpRow): CatchUp => ({
  scheduleId: r.schedule_id,
  recordedAt: r.recorded_at,
  policy: r.policy,
  missed: r.missed,
  firstMissedAt: r.first_missed,
  lastMissedAt: r.last_missed,
  ran: r.ran,
});
