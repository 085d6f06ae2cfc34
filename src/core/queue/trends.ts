import { byDialect } from "../db/dialect.ts";
import type { Db } from "../db/handle.ts";
import { toInstant } from "../time.ts";
import * as postgres from "./trends.postgres.ts";
import * as sqlite from "./trends.sqlite.ts";

/** One hour of the queue's history (UTC hour start). */
export interface HourBucket {
  hour: string;
  /** Attempts that completed their job in that hour. */
  completed: number;
  /** Attempts that failed, timed out or were lost. */
  failed: number;
  /** Jobs that died (no attempt left) in that hour. */
  dead: number;
}

/** Completed / failed attempts and dead jobs per UTC hour in [since, now]; hours without any are absent. */
export async function jobsPerHour(db: Db, o: { since: number; now: number }): Promise<HourBucket[]> {
  const since = toInstant(o.since);
  const until = toInstant(o.now);
  const attempts = await byDialect(db, { sqlite, postgres }).attemptsPerHour(db, since, until);
  const dead = await byDialect(db, { sqlite, postgres }).deadPerHour(db, since, until);
  const out = new Map<string, HourBucket>();
  const at = (hour: string) => out.get(hour) ?? (out.set(hour, { hour, completed: 0, failed: 0, dead: 0 }).get(hour) as HourBucket);
  for (const r of attempts) Object.assign(at(r.hour), { completed: r.completed, failed: r.failed });
  for (const r of dead) at(r.hour).dead = r.dead;
  return [...out.values()].sort((a, b) => a.hour.localeCompare(b.hour));
}

export interface TypeDurations {
  type: string;
  /** Completed attempts measured. */
  runs: number;
  medianMs: number;
  p95Ms: number;
  maxMs: number;
}

/** Run time of completed attempts per job type since `since`, slowest (by p95) first. */
export async function durationsByType(db: Db, o: { since: number; limit: number }): Promise<TypeDurations[]> {
  const rows = await db
    .selectFrom("job_attempt")
    .innerJoin("job", "job.id", "job_attempt.job_id")
    .select(["job.type as type", "job_attempt.duration_ms as ms"])
    .where("job_attempt.outcome", "=", "completed")
    .where("job_attempt.finished_at", ">=", toInstant(o.since))
    .where("job_attempt.duration_ms", "is not", null)
    .orderBy("job.type")
    .orderBy("job_attempt.duration_ms")
    .execute();
  const byType = new Map<string, number[]>();
  for (const r of rows) {
    const list = byType.get(r.type) ?? (byType.set(r.type, []).get(r.type) as number[]);
    list.push(r.ms as number);
  }
  return [...byType]
    .map(([type, sorted]) => ({
      type,
      runs: sorted.length,
      medianMs: percentile(sorted, 0.5),
      p95Ms: percentile(sorted, 0.95),
      maxMs: sorted[sorted.length - 1] as number,
    }))
    .sort((a, b) => b.p95Ms - a.p95Ms || a.type.localeCompare(b.type))
    .slice(0, o.limit);
}

/** Nearest-rank percentile of an ascending, non-empty list. */
export function percentile(sorted: readonly number[], p: number): number {
  const rank = Math.max(1, Math.ceil(p * sorted.length));
  return sorted[Math.min(sorted.length, rank) - 1] as number;
}
