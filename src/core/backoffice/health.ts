import { sql } from "kysely";
import { attemptFailures, jobTypeSummary, latestJobOfType } from "../queue/stats.ts";
import type { Db } from "../db/handle.ts";
import { outboxStatus } from "../notify/outbox-status.ts";
import { toInstant } from "../time.ts";
import { type BackofficeStatus, shapeBackoffice } from "./health-shape.ts";

export { BACKOFFICE_HEALTH, type BackofficeStatus, backofficeProblems } from "./health-shape.ts";

export async function backofficeStatus(db: Db, now: number): Promise<BackofficeStatus> {
  const tenants = await db.selectFrom("tenant").select(sql<number>`count(*)`.as("n")).executeTakeFirstOrThrow();
  const watched = await db
    .selectFrom("project")
    .innerJoin("project_budget", "project_budget.project_id", "project.id")
    .select(sql<number>`count(*)`.as("n"))
    .where("project.status", "=", "active")
    .executeTakeFirstOrThrow();
  const active = await db
    .selectFrom("budget_alert")
    .select(sql<number>`count(*)`.as("n"))
    .where("status", "=", "active")
    .executeTakeFirstOrThrow();
  const budgetJobs = await jobTypeSummary(db, "budget.alerts");

  const pending = await db
    .selectFrom("invoice")
    .select(sql<number>`count(*)`.as("n"))
    .where("status", "=", "issued")
    .where((eb) => eb.or([eb("pdf_source_updated_at", "is", null), eb("pdf_source_updated_at", "!=", eb.ref("updated_at"))]))
    .executeTakeFirstOrThrow();
  const attempts = await attemptFailures(db, "invoice.pdf", toInstant(now - 86_400_000));

  const cleanup = await latestJobOfType(db, "links.cleanup", ["completed", "dead"]);
  return shapeBackoffice({ tenants, watched, active, budgetJobs, pending, attempts, cleanup }, await outboxStatus(db, now));
}
