import { unknownTenant } from "../backoffice/refs.ts";
import type { Db } from "../db/handle.ts";
import type { BackofficeRecord } from "./format.ts";

/** How a row is named: its external id, or `#<row id>` for a row made here without one. */
const refOf = (row: { id: number; external_id: string | null }): string => row.external_id ?? `#${row.id}`;

/**
 * Every back-office row of the selected tenants (default: all; a slug no tenant has is refused)
 * as records of the import format, in an order that imports (what is referred to comes first):
 * importing the export into an empty database and exporting again gives the same records.
 */
export async function exportRecords(db: Db, o: { tenants?: readonly string[] } = {}): Promise<BackofficeRecord[]> {
  const out: BackofficeRecord[] = [];
  let tq = db.selectFrom("tenant").selectAll().orderBy("id");
  if (o.tenants && o.tenants.length > 0) tq = tq.where("slug", "in", o.tenants);
  const tenants = await tq.execute();
  const missing = o.tenants?.find((s) => !tenants.some((t) => t.slug === s));
  if (missing !== undefined) throw unknownTenant(missing);
  if (tenants.length === 0) return out;
  const ids = tenants.map((t) => t.id);
  const slug = new Map(tenants.map((t) => [t.id, t.slug]));
  const tenantOf = (id: number) => slug.get(id) as string;

  const members = await db
    .selectFrom("tenant_member")
    .innerJoin("app_user", "app_user.id", "tenant_member.user_id")
    .select(["tenant_member.tenant_id", "tenant_member.role", "app_user.username", "app_user.email", "app_user.display_name"])
    .where("tenant_member.tenant_id", "in", ids)
    .orderBy("app_user.username")
    .execute();
  for (const t of tenants) {
    out.push({
      kind: "tenant",
      slug: t.slug,
      name: t.name,
      orgnr: t.orgnr,
      vatNumber: t.vat_number,
      street: t.street,
      postcode: t.postcode,
      town: t.town,
      country: t.country,
      registeredOffice: t.registered_office,
      fSkatt: t.f_skatt === 1,
      bankgiro: t.bankgiro,
      plusgiro: t.plusgiro,
      email: t.email,
      phone: t.phone,
      website: t.website,
      paymentTermsDays: t.payment_terms_days,
      ocrLengthDigit: t.ocr_length_digit === 1,
      nextInvoiceNumber: t.next_invoice_number,
      members: members
        .filter((m) => m.tenant_id === t.id)
        .map((m) => ({ username: m.username, email: m.email, name: m.display_name, role: m.role })),
    });
  }

  const clients = await db.selectFrom("client").selectAll().where("tenant_id", "in", ids).orderBy("id").execute();
  const clientRef = new Map(clients.map((c) => [c.id, refOf(c)]));
  for (const c of clients) {
    out.push({
      kind: "client",
      tenant: tenantOf(c.tenant_id),
      id: refOf(c),
      name: c.name,
      orgnr: c.orgnr,
      vatNumber: c.vat_number,
      street: c.street,
      postcode: c.postcode,
      town: c.town,
      country: c.country,
      email: c.email,
    });
  }

  const projects = await db.selectFrom("project").selectAll().where("tenant_id", "in", ids).orderBy("id").execute();
  const projectRef = new Map(projects.map((p) => [p.id, refOf(p)]));
  const projectTenant = new Map(projects.map((p) => [p.id, tenantOf(p.tenant_id)]));
  for (const p of projects) {
    out.push({
      kind: "project",
      tenant: tenantOf(p.tenant_id),
      id: refOf(p),
      client: p.client_id === null ? null : (clientRef.get(p.client_id) ?? null),
      code: p.code,
      name: p.name,
      status: p.status,
    });
  }
  const projectIds = projects.map((p) => p.id);
  if (projectIds.length > 0) {
    const budgets = await db.selectFrom("project_budget").selectAll().where("project_id", "in", projectIds).orderBy("project_id").execute();
    const thresholds = await db
      .selectFrom("budget_threshold")
      .selectAll()
      .where("project_id", "in", projectIds)
      .orderBy("type")
      .orderBy("percent")
      .execute();
    for (const b of budgets) {
      out.push({
        kind: "budget",
        tenant: projectTenant.get(b.project_id) as string,
        project: projectRef.get(b.project_id) as string,
        hoursMinutes: b.hours_minutes,
        materialOre: b.material_ore,
        totalOre: b.total_ore,
        thresholds: thresholds
          .filter((th) => th.project_id === b.project_id)
          .map((th) => ({ type: th.type, percent: th.percent, notify: th.notify === 1 })),
      });
    }
    for (const e of await db.selectFrom("time_entry").selectAll().where("project_id", "in", projectIds).orderBy("id").execute()) {
      out.push({
        kind: "time-entry",
        tenant: projectTenant.get(e.project_id) as string,
        id: refOf(e),
        project: projectRef.get(e.project_id) as string,
        date: e.work_date,
        minutes: e.minutes,
        hourlyRateOre: e.hourly_rate_ore,
        description: e.description,
      });
    }
    for (const m of await db.selectFrom("material_cost").selectAll().where("project_id", "in", projectIds).orderBy("id").execute()) {
      out.push({
        kind: "material-cost",
        tenant: projectTenant.get(m.project_id) as string,
        id: refOf(m),
        project: projectRef.get(m.project_id) as string,
        date: m.cost_date,
        description: m.description,
        amountOre: m.amount_ore,
      });
    }
  }

  const invoices = await db
    .selectFrom("invoice")
    .selectAll()
    .where("tenant_id", "in", ids)
    .where("client_id", "is not", null)
    .orderBy("id")
    .execute();
  const invoiceRef = new Map(invoices.map((i) => [i.id, refOf(i)]));
  const lines =
    invoices.length === 0
      ? []
      : await db
          .selectFrom("invoice_line")
          .selectAll()
          .where(
            "invoice_id",
            "in",
            invoices.map((i) => i.id),
          )
          .orderBy("invoice_id")
          .orderBy("position")
          .execute();
  const linesOf = new Map<number, typeof lines>();
  for (const l of lines) {
    const list = linesOf.get(l.invoice_id);
    if (list) list.push(l);
    else linesOf.set(l.invoice_id, [l]);
  }
  for (const i of invoices) {
    out.push({
      kind: "invoice",
      tenant: tenantOf(i.tenant_id),
      id: refOf(i),
      client: clientRef.get(i.client_id as number) as string,
      project: i.project_id === null ? null : (projectRef.get(i.project_id) ?? null),
      credits: i.credited_invoice_id === null ? null : (invoiceRef.get(i.credited_invoice_id) ?? null),
      number: i.number,
      ocr: i.ocr,
      invoiceDate: i.invoice_date as string,
      deliveryDate: i.delivery_date,
      dueDate: i.due_date,
      reverseCharge: i.reverse_charge === 1,
      yourReference: i.your_reference,
      ourReference: i.our_reference,
      notes: i.notes,
      buyer: {
        name: i.buyer_name,
        street: i.buyer_street,
        postcode: i.buyer_postcode,
        town: i.buyer_town,
        country: i.buyer_country,
        orgnr: i.buyer_orgnr,
        vatNumber: i.buyer_vat_number,
      },
      lines: (linesOf.get(i.id) ?? []).map((l) => ({
        description: l.description,
        quantityMilli: l.quantity_milli,
        unit: l.unit,
        unitPriceOre: l.unit_price_ore,
        vatCategory: l.vat_category,
      })),
    });
  }

  const links = await db.selectFrom("share_link").selectAll().where("tenant_id", "in", ids).orderBy("id").execute();
  const linkIds = links.map((l) => l.id);
  for (const l of links) {
    const resourceId =
      l.resource_type === "invoice"
        ? invoiceRef.get(l.resource_id)
        : l.resource_type === "project"
          ? projectRef.get(l.resource_id)
          : String(l.resource_id);
    if (resourceId === undefined) continue; // its invoice or project is gone: the link cannot be named
    out.push({
      kind: "share-link",
      tenant: tenantOf(l.tenant_id),
      token: l.token,
      resource: l.resource_type,
      resourceId,
      expiresAt: l.expires_at,
      maxViews: l.max_views,
      viewCount: l.view_count,
      active: l.active === 1,
      deactivatedAt: l.deactivated_at,
      deactivationReason: l.deactivation_reason,
    });
  }
  if (linkIds.length > 0) {
    const token = new Map(links.map((l) => [l.id, l]));
    for (const v of await db.selectFrom("share_link_view").selectAll().where("link_id", "in", linkIds).orderBy("id").execute()) {
      const link = token.get(v.link_id) as (typeof links)[number];
      out.push({
        kind: "link-view",
        tenant: tenantOf(link.tenant_id),
        id: refOf(v),
        link: link.token,
        viewedAt: v.viewed_at,
        ipHash: v.ip_hash,
        userAgent: v.user_agent,
      });
    }
  }
  return out;
}
