import type { Db } from "../db/handle.ts";
import { mustTenantId } from "./refs.ts";
import { pageRows, type Page, type Paged } from "../util/paging.ts";

export interface LinkItem {
  id: number;
  tenant: string;
  token: string;
  resourceType: "invoice" | "project" | "document";
  resourceId: number;
  expiresAt: string | null;
  maxViews: number | null;
  viewCount: number;
  active: boolean;
  deactivatedAt: string | null;
  deactivationReason: string | null;
  /** Active but past its expiry or out of views: `cleanup` deactivates it on its next run. */
  due: boolean;
}

export interface LinkFilter {
  tenant?: string | undefined;
  /** active or inactive */
  state?: "active" | "inactive" | undefined;
  now: string;
}

/** Share links, newest first. */
export async function listLinks(db: Db, f: LinkFilter, page: Page): Promise<Paged<LinkItem>> {
  let q = db
    .selectFrom("share_link")
    .innerJoin("tenant", "tenant.id", "share_link.tenant_id")
    .selectAll("share_link")
    .select("tenant.slug");
  if (f.tenant !== undefined) q = q.where("share_link.tenant_id", "=", await mustTenantId(db, f.tenant));
  if (f.state !== undefined) q = q.where("share_link.active", "=", f.state === "active" ? 1 : 0);
  const { items: rows, total } = await pageRows(db, q.orderBy("share_link.id", "desc"), page);
  const items = rows.map((r) => ({
    id: r.id,
    tenant: r.slug,
    token: r.token,
    resourceType: r.resource_type,
    resourceId: r.resource_id,
    expiresAt: r.expires_at,
    maxViews: r.max_views,
    viewCount: r.view_count,
    active: r.active === 1,
    deactivatedAt: r.deactivated_at,
    deactivationReason: r.deactivation_reason,
    due: r.active === 1 && ((r.expires_at !== null && r.expires_at <= f.now) || (r.max_views !== null && r.view_count >= r.max_views)),
  }));
  return { items, total };
}
