import { testDatabase } from "./backend.ts";
import type { BudgetType } from "../../src/core/budget/schema.ts";
import type { Db } from "../../src/core/db/handle.ts";
import { immediate } from "../../src/core/db/handle.ts";
import { createInvoice, type NewInvoice, type NewInvoiceLine } from "../../src/core/invoice/issue.ts";

export const T0 = Date.parse("2026-11-22T08:00:00Z");
const stamp = new Date(T0).toISOString();

/** A tenant with a complete seller profile, an admin and a manager. */
export async function addTenant(
  db: Db,
  o: { slug?: string; admins?: number; ocrLengthDigit?: boolean; overrides?: Record<string, unknown> } = {},
): Promise<{ id: number; adminIds: number[] }> {
  const slug = o.slug ?? "acme";
  const tenant = await db
    .insertInto("tenant")
    .values({
      slug,
      name: "Åkesson & Öberg Bygg AB",
      orgnr: "5560160680",
      vat_number: "SE556016068001",
      street: "Storgatan 1",
      postcode: "111 22",
      town: "Stockholm",
      registered_office: "Stockholm",
      f_skatt: 1,
      bankgiro: "5050-1055",
      plusgiro: null,
      email: "faktura@acme.se",
      phone: null,
      website: null,
      ocr_length_digit: o.ocrLengthDigit ? 1 : 0,
      created_at: stamp,
      updated_at: stamp,
      ...(o.overrides ?? {}),
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  const adminIds: number[] = [];
  for (let i = 0; i < (o.admins ?? 1) + 1; i++) {
    const user = await db
      .insertInto("app_user")
      .values({ username: `${slug}.user${i}`, display_name: null, email: `user${i}@${slug}.se`, role: "manager", created_at: stamp })
      .returning("id")
      .executeTakeFirstOrThrow();
    const role = i < (o.admins ?? 1) ? "admin" : "manager";
    await db.insertInto("tenant_member").values({ tenant_id: tenant.id, user_id: user.id, role, created_at: stamp }).execute();
    if (role === "admin") adminIds.push(user.id);
  }
  return { id: tenant.id, adminIds };
}

export async function addClient(db: Db, tenantId: number, overrides: Record<string, unknown> = {}): Promise<number> {
  const row = await db
    .insertInto("client")
    .values({
      tenant_id: tenantId,
      name: "Byggnads AB Västerås",
      orgnr: "5566778899",
      vat_number: "SE556677889901",
      street: "Industrivägen 4",
      postcode: "721 30",
      town: "Västerås",
      email: null,
      created_at: stamp,
      updated_at: stamp,
      ...overrides,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}

export interface ProjectSpec {
  name?: string;
  status?: "active" | "completed" | "paused" | "planned" | "archived";
  budget?: { hours?: number | null; material?: number | null; total?: number | null } | null;
  thresholds?: Array<[BudgetType, number, boolean?]>;
  /** Minutes and hourly rate (öre) per entry. */
  time?: Array<[number, number]>;
  material?: number[];
}

/** A project with an optional budget, thresholds, time entries and material costs. */
export async function addProject(db: Db, tenantId: number, spec: ProjectSpec = {}): Promise<number> {
  const p = await db
    .insertInto("project")
    .values({
      tenant_id: tenantId,
      client_id: null,
      code: null,
      name: spec.name ?? "Projekt Ängsbacken",
      status: spec.status ?? "active",
      created_at: stamp,
      updated_at: stamp,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (spec.budget !== null && spec.budget !== undefined) {
    await db
      .insertInto("project_budget")
      .values({
        project_id: p.id,
        hours_minutes: spec.budget.hours ?? null,
        material_ore: spec.budget.material ?? null,
        total_ore: spec.budget.total ?? null,
        created_at: stamp,
        updated_at: stamp,
      })
      .execute();
    for (const [type, percent, notify] of spec.thresholds ?? []) {
      await db
        .insertInto("budget_threshold")
        .values({ project_id: p.id, type, percent, notify: notify === false ? 0 : 1 })
        .execute();
    }
  }
  for (const [minutes, rate] of spec.time ?? []) {
    await db
      .insertInto("time_entry")
      .values({
        project_id: p.id,
        user_id: null,
        work_date: "2026-11-20",
        minutes,
        hourly_rate_ore: rate,
        description: null,
        created_at: stamp,
        updated_at: stamp,
      })
      .execute();
  }
  for (const amount of spec.material ?? []) {
    await db
      .insertInto("material_cost")
      .values({
        project_id: p.id,
        cost_date: "2026-11-20",
        description: "Material",
        amount_ore: amount,
        created_at: stamp,
        updated_at: stamp,
      })
      .execute();
  }
  return p.id;
}

export const line = (
  description: string,
  quantityMilli: number,
  unitPriceOre: number,
  vatCategory = "standard",
  unit = "st",
): NewInvoiceLine => ({ description, quantityMilli, unitPriceOre, vatCategory, unit });

export async function addInvoice(
  db: Db,
  o: Omit<NewInvoice, "issue"> & { issue?: boolean },
): Promise<{ id: number; number: number | null; ocr: string | null }> {
  return immediate(db, (trx) => createInvoice(trx, { issue: true, worker: "test", ...o }, T0));
}

/** Opens the database a CLI test works on (the file, or its PostgreSQL database: helpers/backend.ts), runs `fn`, closes it (the CLI then sees the rows). */
export async function withDb<T>(path: string, fn: (db: Db) => Promise<T>): Promise<T> {
  const { openStore } = await import("../../src/core/db/connection.ts");
  const store = await openStore(testDatabase(path), { busyTimeoutMs: 5000 });
  try {
    return await fn(store.db);
  } finally {
    await store.close();
  }
}

/** An active share link; `views` view events are added `viewAgeMs` before T0. */
export async function addLink(
  db: Db,
  tenantId: number,
  o: { expiresAt?: string | null; maxViews?: number | null; viewCount?: number; views?: number; viewAgeMs?: number } = {},
): Promise<number> {
  const row = await db
    .insertInto("share_link")
    .values({
      tenant_id: tenantId,
      token: `tok-${Math.random().toString(36).slice(2)}-${Date.now()}`,
      resource_type: "invoice",
      resource_id: 1,
      expires_at: o.expiresAt ?? null,
      max_views: o.maxViews ?? null,
      view_count: o.viewCount ?? 0,
      active: 1,
      deactivated_at: null,
      deactivation_reason: null,
      created_by: null,
      version: 1,
      created_at: stamp,
      updated_at: stamp,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  for (let i = 0; i < (o.views ?? 0); i++) {
    await db
      .insertInto("share_link_view")
      .values({ link_id: row.id, viewed_at: new Date(T0 - (o.viewAgeMs ?? 0)).toISOString(), ip_hash: null, user_agent: null })
      .execute();
  }
  return row.id;
}

/** A finished (or live) job with one attempt, as history. */
export async function addJob(
  db: Db,
  state: "pending" | "running" | "completed" | "dead" | "cancelled",
  finishedAgoMs: number | null,
  type = "noop",
): Promise<number> {
  const at = finishedAgoMs === null ? null : new Date(T0 - finishedAgoMs).toISOString();
  const job = await db
    .insertInto("job")
    .values({
      type,
      payload: "{}",
      state,
      priority: 0,
      run_at: stamp,
      attempts: 1,
      max_attempts: 3,
      dedupe_key: null,
      lease_owner: null,
      lease_token: 1,
      lease_expires_at: state === "running" ? new Date(T0 + 3_600_000).toISOString() : null,
      claimed_at: state === "running" ? stamp : null,
      cancel_requested_at: null,
      progress: null,
      result: null,
      last_error: null,
      created_at: stamp,
      updated_at: stamp,
      started_at: stamp,
      finished_at: at,
      schedule_id: null,
      batch_id: null,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  // A running attempt has no history row until it ends (the job row holds it).
  if (state === "running") return job.id;
  await db
    .insertInto("job_attempt")
    .values({
      job_id: job.id,
      attempt: 1,
      token: 1,
      worker: "h:1",
      started_at: stamp,
      finished_at: at,
      outcome: state === "dead" ? "failed" : state === "completed" ? "completed" : state === "cancelled" ? "cancelled" : "released",
      error: null,
      duration_ms: 1,
      metrics: null,
    })
    .execute();
  return job.id;
}
