import type { Db } from "../db/handle.ts";
import { UsageError } from "../errors.ts";

export type RefTable = "client" | "project" | "invoice";

/**
 * The id of the row of `table` in the tenant named by `ref`: the operator's external id, or
 * `#123` for a row made here without one (how listings and export name such rows).
 */
export async function findByRef(db: Db, table: RefTable, tenantId: number, ref: string): Promise<number | undefined> {
  const row = await db.selectFrom(table).select("id").where("tenant_id", "=", tenantId).where("external_id", "=", ref).executeTakeFirst();
  if (row) return row.id;
  const own = /^#(\d+)$/.exec(ref);
  if (!own) return undefined;
  const mine = await db
    .selectFrom(table)
    .select("id")
    .where("tenant_id", "=", tenantId)
    .where("id", "=", Number(own[1]))
    .where("external_id", "is", null)
    .executeTakeFirst();
  return mine?.id;
}

/** A tenant's id by its slug. */
export async function tenantIdBySlug(db: Db, slug: string): Promise<number | undefined> {
  return (await db.selectFrom("tenant").select("id").where("slug", "=", slug).executeTakeFirst())?.id;
}

/** The tenant a `--tenant` names; a slug no tenant has (a typo) is refused, not read as "none of its rows". */
export async function mustTenantId(db: Db, slug: string): Promise<number> {
  const id = await tenantIdBySlug(db, slug);
  if (id === undefined) throw unknownTenant(slug);
  return id;
}

export const unknownTenant = (slug: string): UsageError => new UsageError(`no tenant "${slug}"`, { code: "NOT_FOUND" });
