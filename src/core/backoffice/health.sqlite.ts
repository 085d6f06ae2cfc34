// SQLite-specific: backofficeStatus (health.ts) as raw SQL over the better-sqlite3 handle, for the
// light `status` path that never loads Kysely. The same statements as health.ts and the queue's
// stats.ts / stats.sqlite.ts send, shaped by the same code (health-shape.ts).
import type BetterSqlite3 from "better-sqlite3";
import { outboxStatusRaw } from "../notify/outbox-status.sqlite.ts";
import { JOB_STATES } from "../queue/schema.ts";
import { toInstant } from "../time.ts";
import { type BackofficeRows, type BackofficeStatus, shapeBackoffice } from "./health-shape.ts";

type Row<K extends keyof BackofficeRows> = NonNullable<BackofficeRows[K]>;

export function backofficeStatusRaw(db: BetterSqlite3.Database, now: number): BackofficeStatus {
  const get = <T>(text: string, ...params: unknown[]) => db.prepare(text).get(...params) as T;
  const tenants = get<Row<"tenants">>(`select count(*) as "n" from "tenant"`);
  const watched = get<Row<"watched">>(
    `select count(*) as "n" from "project" inner join "project_budget" on "project_budget"."project_id" = "project"."id" where "project"."status" = ?`,
    "active",
  );
  const active = get<Row<"active">>(`select count(*) as "n" from "budget_alert" where "status" = ?`, "active");
  // Every state is named so SQLite seeks the (state, type) index (as jobTypeSummary does).
  const states = JOB_STATES.map(() => "?").join(", ");
  const budget = get<{ n: number; last_completed: string | null }>(
    `select count(*) as "n", max(case when state = 'completed' then finished_at end) as "last_completed" from "job" where "state" in (${states}) and "type" = ?`,
    ...JOB_STATES,
    "budget.alerts",
  );
  const pending = get<Row<"pending">>(
    `select count(*) as "n" from "invoice" where "status" = ? and ("pdf_source_updated_at" is null or "pdf_source_updated_at" != "updated_at")`,
    "issued",
  );
  const attempts = get<Row<"attempts">>(
    `select coalesce(sum(job_attempt.outcome in ('completed', 'failed', 'timed_out', 'lost')), 0) as "total", coalesce(sum(job_attempt.outcome in ('failed', 'timed_out', 'lost')), 0) as "failed" from "job_attempt" inner join "job" on "job"."id" = "job_attempt"."job_id" where "job"."state" in (${states}) and "job"."type" = ? and "job_attempt"."finished_at" >= ?`,
    ...JOB_STATES,
    "invoice.pdf",
    toInstant(now - 86_400_000),
  );
  const cleanup = get<
    { id: number; state: Row<"cleanup">["state"]; finished_at: string | null; result: string | null; progress: string | null } | undefined
  >(
    `select "id", "state", "finished_at", "result", "progress" from "job" where "type" = ? and "state" in (?, ?) order by "id" desc limit ?`,
    "links.cleanup",
    "completed",
    "dead",
    1,
  );
  return shapeBackoffice(
    {
      tenants,
      watched,
      active,
      budgetJobs: { jobs: budget.n, lastCompletedAt: budget.last_completed },
      pending,
      attempts,
      cleanup: cleanup && {
        id: cleanup.id,
        state: cleanup.state,
        finishedAt: cleanup.finished_at,
        result: cleanup.result,
        progress: cleanup.progress,
      },
    },
    outboxStatusRaw(db, now),
  );
}
