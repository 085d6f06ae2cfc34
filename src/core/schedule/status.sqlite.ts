// SQLite-specific: scheduleStatus (status.ts) as raw SQL over the better-sqlite3 handle, for the
// light `status` path that never loads Kysely. The same statements as status.ts and catchUps
// (history.ts) send, shaped by the same code (status-shape.ts, catch-up.ts).
import type BetterSqlite3 from "better-sqlite3";
import { jobOutcomesRaw, lastCommandRunsRaw } from "../queue/queue-status.sqlite.ts";
import { toInstant } from "../time.ts";
import { CANNOT_ENQUEUE_LIKE, type CatchUpRow, catchUpOf } from "./catch-up.ts";
import { CATCH_UPS_READ, SCHEDULE_COLUMNS, type ScheduleStatus, type ScheduleStatusRows, shapeScheduleStatus } from "./status-shape.ts";

export function scheduleStatusRaw(
  db: BetterSqlite3.Database,
  now: number,
  overdueAfterMs: number,
  ownerGone: (owner: string) => boolean,
): ScheduleStatus {
  const all = <T>(text: string, ...params: unknown[]) => db.prepare(text).all(...params) as T[];
  const counts = all<ScheduleStatusRows["counts"][number]>(`select "active", count(*) as "n" from "schedule" group by "active"`);
  const rows = all<ScheduleStatusRows["rows"][number]>(
    `select ${SCHEDULE_COLUMNS.map((c) => `"${c}"`).join(", ")} from "schedule" where "active" = ? order by case when next_fire_at < ? then 0 else 1 end, next_fire_at is null, "next_fire_at", "name"`,
    1,
    toInstant(now - overdueAfterMs),
  );
  const lastJobs = jobOutcomesRaw(
    db,
    rows.flatMap((r) => (r.last_job_id === null ? [] : [r.last_job_id])),
  );
  const since = toInstant(now - 86_400_000);
  const missed = all<ScheduleStatusRows["missed"][number]>(
    `select "schedule_id", sum(fire_count) as "n" from "schedule_fire" where "kind" = ? and "recorded_at" >= ? group by "schedule_id"`,
    "missed",
    since,
  );
  const recent = all<CatchUpRow>(
    `select "m"."schedule_id", "m"."recorded_at", "m"."policy", sum(m.fire_count) as "missed", min(m.fire_at) as "first_missed", max(coalesce(m.last_fire_at, m.fire_at)) as "last_missed", (select count(*) from schedule_fire r where r.schedule_id = m.schedule_id and r.recorded_at = m.recorded_at and r.kind = 'run') as "ran", sum(case when m.reason like ? then m.fire_count else 0 end) as "failed", max(case when m.reason like ? then m.reason end) as "error" from "schedule_fire" as "m" where "m"."kind" = ? and "m"."recorded_at" >= ? group by "m"."schedule_id", "m"."recorded_at", "m"."policy" order by "m"."recorded_at" desc limit ?`,
    CANNOT_ENQUEUE_LIKE,
    CANNOT_ENQUEUE_LIKE,
    "missed",
    since,
    CATCH_UPS_READ,
  ).map(catchUpOf);
  const ticks = lastCommandRunsRaw(db, "enqueue");
  return shapeScheduleStatus({ counts, rows, lastJobs, missed, recent, ticks }, now, overdueAfterMs, ownerGone);
}
