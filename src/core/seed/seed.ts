import { sql } from "kysely";
import { immediate, type Db } from "../db/handle.ts";
import { clearQueue } from "../queue/prune.ts";
import type { UserRole } from "../users/schema.ts";
import { toInstant } from "../time.ts";
import { seedBrands, type BrandSeedCounts } from "./brands.ts";
import { seedBackoffice, type BackofficeSeedCounts } from "./backoffice.ts";
import { generateCompanies } from "./companies.ts";
import { seedLeads, type LeadSeedCounts } from "./leads.ts";
import { Picker, seededRandom } from "./random.ts";
import { SEED_SCHEDULE_NAMES, seedSchedules } from "./schedules.ts";
import { TENANTS } from "./backoffice-data.ts";
import { UsageError } from "../errors.ts";
import { plural } from "../util/plural.ts";
import { FIRST_NAMES, SURNAMES } from "./swedish-data.ts";

export interface SeedOptions {
  seed: number;
  companies: number;
  users: number;
  tracked: number;
  /** Stored sample AI answers for the demo brand (default 200). */
  answers?: number;
  reset: boolean;
  /** Seed even into a database that holds data that is not the seed's. */
  force?: boolean;
  now: number;
}

export interface SeedCounts extends LeadSeedCounts {
  companies: number;
  users: number;
  tracked: number;
  brands: BrandSeedCounts;
  backoffice: BackofficeSeedCounts;
  schedules: number;
}

/**
 * Tables emptied by `seed --reset` after the queue's, children first. Features that add seeded tables add them here.
 */
export const RESET_TABLES = [
  "lead",
  "terminal",
  "company_tracking",
  "app_user",
  "company",
  "answer_citation",
  "answer_mention",
  "answer",
  "brand_query",
  "topic",
  "competitor",
  "brand",
  "customer",
  "audit_log",
  "notification",
  "budget_alert",
  "share_link_view",
  "share_link",
  "invoice_line",
  "invoice",
  "material_cost",
  "time_entry",
  "budget_threshold",
  "project_budget",
  "project",
  "client",
  "tenant_member",
  "tenant",
  "schedule_fire",
  "schedule_audit",
  "schedule",
  "company_refresh",
  "web_detection",
  "web_batch_item",
  "web_analysis",
  "web_batch",
  "lead_event",
  "lead_analysis",
  "terminal_rule",
  "company_import_reject",
  "company_import",
  "hiring_position",
  "hiring_snapshot",
] as const;

const CHUNK = 500;

/**
 * Writes deterministic demo data in one transaction: companies with valid organisationsnummer,
 * users (the first an admin), and company trackings with ranks 1-100. Re-running with the same
 * seed updates the same rows instead of adding more.
 */
export async function seedDatabase(db: Db, o: SeedOptions): Promise<SeedCounts> {
  const p = new Picker(seededRandom(o.seed));
  const companies = generateCompanies(p, o.companies);
  const stamp = toInstant(o.now);
  const users = generateUsers(p, o.users);

  return immediate(db, async (trx) => {
    if (!o.force) {
      const found = await nonDemoData(trx);
      if (found.length > 0) {
        throw new UsageError(
          `${o.reset ? "seed --reset would delete" : "seed would mix demo data into"} data that is not the seed's (${found.join(", ")}); nothing was written`,
          { hint: "use another --db, or pass --force" },
        );
      }
    }
    if (o.reset) {
      await clearQueue(trx);
      for (const table of RESET_TABLES) await sql`delete from ${sql.table(table)}`.execute(trx);
    }

    for (let i = 0; i < companies.length; i += CHUNK) {
      const rows = companies.slice(i, i + CHUNK).map(({ sector: _sector, ...c }) => ({ ...c, created_at: stamp, updated_at: stamp }));
      await trx
        .insertInto("company")
        .values(rows)
        .onConflict((oc) =>
          oc.column("orgnr").doUpdateSet((eb) => ({
            name: eb.ref("excluded.name"),
            status: eb.ref("excluded.status"),
            town: eb.ref("excluded.town"),
            website: eb.ref("excluded.website"),
            sni_codes: eb.ref("excluded.sni_codes"),
            updated_at: eb.ref("excluded.updated_at"),
          })),
        )
        .execute();
    }

    await trx
      .insertInto("app_user")
      .values(users.map((u) => ({ ...u, created_at: stamp })))
      .onConflict((oc) => oc.column("username").doUpdateSet((eb) => ({ role: eb.ref("excluded.role") })))
      .execute();
    const userIds = (
      await trx
        .selectFrom("app_user")
        .select(["id", "username"])
        .where(
          "username",
          "in",
          users.map((u) => u.username),
        )
        .execute()
    )
      .sort((a, b) => users.findIndex((u) => u.username === a.username) - users.findIndex((u) => u.username === b.username))
      .map((u) => u.id);

    const trackable = companies.filter((c) => c.status === "active");
    const pairs = new Set<string>();
    const trackings: Array<{ user_id: number; orgnr: string; rank: number; keywords: string; created_at: string; updated_at: string }> = [];
    const wanted = Math.min(o.tracked, trackable.length * userIds.length);
    while (trackings.length < wanted && userIds.length > 0) {
      const company = p.pick(trackable);
      const user = p.pick(userIds);
      const key = `${user}:${company.orgnr}`;
      if (pairs.has(key)) continue;
      pairs.add(key);
      trackings.push({
        user_id: user,
        orgnr: company.orgnr,
        rank: rankFor(p),
        keywords: JSON.stringify(company.sector.keywords.slice(0, p.int(1, company.sector.keywords.length))),
        created_at: stamp,
        updated_at: stamp,
      });
    }
    for (let i = 0; i < trackings.length; i += CHUNK) {
      await trx
        .insertInto("company_tracking")
        .values(trackings.slice(i, i + CHUNK))
        .onConflict((oc) =>
          oc.columns(["user_id", "orgnr"]).doUpdateSet((eb) => ({ rank: eb.ref("excluded.rank"), keywords: eb.ref("excluded.keywords") })),
        )
        .execute();
    }
    const brands = await seedBrands(trx, o.seed, o.answers ?? 200, o.now);
    const backoffice = await seedBackoffice(trx, { seed: o.seed, now: o.now, userIds });
    const schedules = await seedSchedules(trx, userIds, o.now);
    const leads = await seedLeads(trx, p, companies, o.now);
    return { companies: companies.length, users: users.length, tracked: trackings.length, brands, backoffice, schedules, ...leads };
  });
}

/**
 * What in the database is not demo data, one phrase each: companies whose source is not the
 * seed's, tenants and schedules the seed does not write. Empty when seeding cannot hurt.
 */
export async function nonDemoData(db: Db): Promise<string[]> {
  const found: string[] = [];
  const companies = await db
    .selectFrom("company")
    .select(sql<number>`count(*)`.as("n"))
    .where("source", "!=", "seed")
    .executeTakeFirstOrThrow();
  if (companies.n > 0) found.push(`${companies.n} ${companies.n === 1 ? "company" : "companies"} not from the seed`);
  const tenants = await db
    .selectFrom("tenant")
    .select(sql<number>`count(*)`.as("n"))
    .where(
      "slug",
      "not in",
      TENANTS.map((t) => t.slug),
    )
    .executeTakeFirstOrThrow();
  if (tenants.n > 0) found.push(`${tenants.n} ${tenants.n === 1 ? "tenant" : "tenants"} not from the seed`);
  const schedules = await db
    .selectFrom("schedule")
    .select(sql<number>`count(*)`.as("n"))
    .where("name", "not in", [...SEED_SCHEDULE_NAMES])
    .executeTakeFirstOrThrow();
  if (schedules.n > 0) found.push(`${schedules.n} ${schedules.n === 1 ? "schedule" : "schedules"} not from the seed`);
  // People `users add` defined are the operator's, even where the seed has a user of that name.
  const users = await db
    .selectFrom("app_user")
    .select(sql<number>`count(*)`.as("n"))
    .where("defined_at", "is not", null)
    .executeTakeFirstOrThrow();
  if (users.n > 0) found.push(`${plural(users.n, "user")} defined with users add`);
  return found;
}

const RANK_BANDS: ReadonlyArray<readonly [readonly [number, number], number]> = [
  [[81, 100], 15],
  [[61, 80], 20],
  [[31, 60], 30],
  [[11, 30], 20],
  [[1, 10], 15],
];

/** Ranks spread over all refresh bands, more mid-ranked than top-ranked companies. */
function rankFor(p: Picker): number {
  const [lo, hi] = p.weighted(RANK_BANDS);
  return p.int(lo, hi);
}

function generateUsers(p: Picker, count: number): Array<{ username: string; display_name: string; email: string; role: UserRole }> {
  const out: Array<{ username: string; display_name: string; email: string; role: UserRole }> = [];
  const seen = new Set<string>();
  while (out.length < count) {
    const first = p.pick(FIRST_NAMES);
    const last = p.pick(SURNAMES);
    const username = `${first}.${last}`.toLowerCase().replace(/[åä]/g, "a").replace(/ö/g, "o");
    if (seen.has(username)) continue;
    seen.add(username);
    const role: UserRole = out.length === 0 ? "admin" : out.length % 3 === 0 ? "sales" : "manager";
    out.push({ username, display_name: `${first} ${last}`, email: `${username}@example.se`, role });
  }
  return out;
}
