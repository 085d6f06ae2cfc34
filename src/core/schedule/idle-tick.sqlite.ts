// SQLite-specific, raw better-sqlite3 (no Kysely): "would a tick touch any schedule?", for the idle
// `enqueue` fast path (src/fast/enqueue.ts). Mirrors tick.ts: due schedules, then the fire pruning.
import type BetterSqlite3 from "better-sqlite3";
import { toInstant } from "../time.ts";

/**
 * True when a tick at `now` has schedule work: an active schedule whose next fire has come
 * (planTick), or a fire record older than the retention that the tick would prune (pruneFires).
 */
export function scheduleWorkDue(sqlite: BetterSqlite3.Database, now: number, retentionMs: number | undefined): boolean {
  const due = sqlite
    .prepare("select exists (select 1 from schedule where active = 1 and next_fire_at is not null and next_fire_at <= ?)")
    .pluck()
    .get(toInstant(now));
  if (due) return true;
  if (retentionMs === undefined) return false;
  return Boolean(
    sqlite
      .prepare("select exists (select 1 from schedule_fire where recorded_at < ?)")
      .pluck()
      .get(toInstant(now - retentionMs)),
  );
}
