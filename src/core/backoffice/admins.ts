import type { Db } from "../db/handle.ts";

/** A tenant admin as a notification recipient: their email, or else their user name. */
export interface TenantAdmin {
  userId: number;
  address: string;
}

/** The admins of each tenant (of `tenantIds`, or of all), by user id. */
export async function tenantAdmins(db: Db, tenantIds?: readonly number[]): Promise<Map<number, TenantAdmin[]>> {
  let q = db
    .selectFrom("tenant_member")
    .innerJoin("app_user", "app_user.id", "tenant_member.user_id")
    .select(["tenant_member.tenant_id", "app_user.id", "app_user.username", "app_user.email"])
    .where("tenant_member.role", "=", "admin");
  if (tenantIds) {
    if (tenantIds.length === 0) return new Map();
    q = q.where("tenant_member.tenant_id", "in", [...tenantIds]);
  }
  const out = new Map<number, TenantAdmin[]>();
  for (const r of await q.orderBy("app_user.id").execute()) {
    const list = out.get(r.tenant_id) ?? [];
    list.push({ userId: r.id, address: r.email ?? r.username });
    out.set(r.tenant_id, list);
  }
  return out;
}
