import { appendAudit } from "../audit/append.ts";
import type { BudgetType } from "../budget/schema.ts";
import type { Db } from "../db/handle.ts";
import { addDays, swedishDate } from "../domain/dates.ts";
import { luhnCheckDigit } from "../domain/luhn.ts";
import { vatNumber, withCheckDigit } from "../domain/orgnr.ts";
import { createInvoice, type NewInvoiceLine } from "../invoice/issue.ts";
import { toInstant } from "../time.ts";
import { BUILDER_WORDS, BUYER_WORDS, TENANTS, USER_AGENTS, type TenantSpec } from "./backoffice-data.ts";
import { Picker, seededRandom } from "./random.ts";
import { NAME_WORDS, STREETS, SURNAMES, TOWNS } from "./swedish-data.ts";

export interface BackofficeSeedCounts {
  tenants: number;
  clients: number;
  projects: number;
  budgets: number;
  timeEntries: number;
  materialCosts: number;
  invoices: number;
  invoiceLines: number;
  shareLinks: number;
  linkViews: number;
}

const DAY = 86_400_000;

/**
 * Back-office demo data for three tenants: members, clients, projects with budgets and
 * thresholds (some near, some over them), time and material, invoices (a few lines; one of
 * several hundred; reverse charge; a credit note; a draft), share links (some expired or used up)
 * with views, one resolved alert with its notification, and audit events. Re-running replaces
 * the seeded tenants instead of adding more.
 */
export async function seedBackoffice(trx: Db, o: { seed: number; now: number; userIds: readonly number[] }): Promise<BackofficeSeedCounts> {
  const p = new Picker(seededRandom(o.seed * 7919 + 6));
  const counts: BackofficeSeedCounts = {
    tenants: 0,
    clients: 0,
    projects: 0,
    budgets: 0,
    timeEntries: 0,
    materialCosts: 0,
    invoices: 0,
    invoiceLines: 0,
    shareLinks: 0,
    linkViews: 0,
  };
  const stamp = toInstant(o.now);
  const today = swedishDate(o.now);

  const old = await trx
    .selectFrom("tenant")
    .select("id")
    .where(
      "slug",
      "in",
      TENANTS.map((t) => t.slug),
    )
    .execute();
  if (old.length > 0) {
    const ids = old.map((t) => t.id);
    await trx.deleteFrom("audit_log").where("tenant_id", "in", ids).execute();
    await trx.updateTable("invoice").set({ credited_invoice_id: null }).where("tenant_id", "in", ids).execute();
    await trx.deleteFrom("tenant").where("id", "in", ids).execute();
  }

  for (const [ti, spec] of TENANTS.entries()) {
    const orgnr = withCheckDigit(`55${p.int(6, 9)}${p.digits(6)}`);
    const withLuhn = (d: string) => d + String(luhnCheckDigit(d));
    const tenant = await trx
      .insertInto("tenant")
      .values({
        slug: spec.slug,
        name: spec.name,
        orgnr,
        vat_number: vatNumber(orgnr),
        street: spec.street,
        postcode: spec.postcode,
        town: spec.town,
        registered_office: spec.town,
        f_skatt: 1,
        bankgiro: spec.giro === "plusgiro" ? null : withLuhn(`${p.int(1, 8)}${p.digits(5)}`),
        plusgiro: spec.giro === "bankgiro" ? null : withLuhn(`${p.int(1, 9)}${p.digits(5)}`),
        email: `faktura@${spec.slug}.se`,
        phone: `0${p.int(8, 40)}-${p.int(100, 999)} ${p.int(10, 99)} ${p.int(10, 99)}`,
        website: `https://www.${spec.slug}.example`,
        payment_terms_days: p.pick([10, 20, 30, 30]),
        ocr_length_digit: spec.ocrLengthDigit ? 1 : 0,
        created_at: stamp,
        updated_at: stamp,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    counts.tenants++;

    // Members: the first user administers every tenant; the others spread over the tenants.
    const members = o.userIds.filter((_, i) => i === 0 || i % TENANTS.length === ti);
    await trx
      .insertInto("tenant_member")
      .values(
        members.map((userId, i) => ({
          tenant_id: tenant.id,
          user_id: userId,
          role: i === 0 || i === 1 ? ("admin" as const) : ("manager" as const),
          created_at: stamp,
        })),
      )
      .execute();

    const clients = await seedClients(trx, p, spec, tenant.id, stamp);
    counts.clients += clients.length;
    const projects = await seedProjects(trx, p, spec, tenant.id, clients, members, o.now, counts);
    await seedInvoices(trx, p, spec, tenant.id, clients, projects, o.now, today, counts);
    await seedLinks(trx, p, tenant.id, members, o.now, counts);
    if (ti === 0 && projects[0]) await seedPastAlert(trx, tenant.id, projects[0].id, members[0] ?? null, o.now);
  }
  return counts;
}

interface SeedClient {
  id: number;
  builder: boolean;
  hasAddress: boolean;
}

async function seedClients(trx: Db, p: Picker, spec: TenantSpec, tenantId: number, stamp: string): Promise<SeedClient[]> {
  const out: SeedClient[] = [];
  const names = new Set<string>();
  const total = p.int(8, 12);
  while (out.length < total) {
    const builder = spec.construction && out.length % 2 === 0;
    const word = builder ? p.pick(BUILDER_WORDS) : p.pick(BUYER_WORDS);
    const name = `${p.chance(0.5) ? p.pick(SURNAMES) : p.pick(NAME_WORDS)} ${word} AB`;
    if (names.has(name)) continue;
    names.add(name);
    const town = p.pick(TOWNS);
    const orgnr = withCheckDigit(`55${p.int(6, 9)}${p.digits(6)}`);
    // The last client is a private-ish small buyer without a street address: only small (simplified) invoices go there.
    const hasAddress = out.length < total - 1;
    const row = await trx
      .insertInto("client")
      .values({
        tenant_id: tenantId,
        name,
        orgnr,
        vat_number: vatNumber(orgnr),
        street: hasAddress ? `${p.pick(STREETS)} ${p.int(1, 90)}` : null,
        postcode: hasAddress ? `${p.int(town.postcodes[0], town.postcodes[1])} ${String(p.int(0, 99)).padStart(2, "0")}` : null,
        town: hasAddress ? town.town : null,
        email: `ekonomi@${name
          .toLowerCase()
          .replace(/[åä]/g, "a")
          .replace(/ö/g, "o")
          .replace(/[^a-z]+/g, "")}.se`,
        created_at: stamp,
        updated_at: stamp,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    out.push({ id: row.id, builder, hasAddress });
  }
  return out;
}

interface SeedProject {
  id: number;
  clientId: number;
  name: string;
}

/** Usage targets (fraction of the budget): most well under, some just under 80 %, some over 80 % and 100 %. */
const USAGE_BANDS: ReadonlyArray<readonly [readonly [number, number], number]> = [
  [[0.2, 0.7], 40],
  [[0.74, 0.79], 15],
  [[0.8, 0.97], 20],
  [[1.0, 1.25], 15],
  [[0.0, 0.05], 10],
];

async function seedProjects(
  trx: Db,
  p: Picker,
  spec: TenantSpec,
  tenantId: number,
  clients: readonly SeedClient[],
  members: readonly number[],
  now: number,
  counts: BackofficeSeedCounts,
): Promise<SeedProject[]> {
  const out: SeedProject[] = [];
  const stamp = toInstant(now);
  const total = p.int(22, 28);
  for (let i = 0; i < total; i++) {
    const client = p.pick(clients);
    const status = p.weighted([
      ["active", 80],
      ["completed", 8],
      ["paused", 6],
      ["planned", 6],
    ] as const);
    const name = `${p.pick(spec.projectWords)} ${p.pick(SURNAMES)}${p.chance(0.3) ? ` etapp ${p.int(2, 4)}` : ""}`;
    const project = await trx
      .insertInto("project")
      .values({
        tenant_id: tenantId,
        client_id: client.id,
        code: `P-${spec.slug.slice(0, 3).toUpperCase()}-${String(1001 + i)}`,
        name,
        status,
        created_at: toInstant(now - p.int(30, 300) * DAY),
        updated_at: stamp,
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    out.push({ id: project.id, clientId: client.id, name });
    counts.projects++;

    const rate = p.pick(spec.work)[2];
    const hoursBudget = p.int(4, 80) * 10 * 60; // 40-800 h, in minutes
    const materialBudget = p.int(2, 60) * 10_000_00; // 20 000 - 600 000 kr
    const totalBudget = Math.round(((hoursBudget * rate) / 60 + materialBudget) / 100_000) * 100_000;
    const hasBudget = i % 9 !== 4; // some projects have none: the alert worker skips them
    if (hasBudget) {
      await trx
        .insertInto("project_budget")
        .values({
          project_id: project.id,
          hours_minutes: hoursBudget,
          material_ore: materialBudget,
          total_ore: totalBudget,
          created_at: stamp,
          updated_at: stamp,
        })
        .execute();
      const thresholds: Array<[BudgetType, number, 0 | 1]> = [
        ["total", 80, 1],
        ["total", 100, 1],
        ["hours", 90, 1],
        ["material", 100, 1],
        ["total", 50, 0],
      ];
      await trx
        .insertInto("budget_threshold")
        .values(thresholds.map(([type, percent, notify]) => ({ project_id: project.id, type, percent, notify })))
        .execute();
      counts.budgets++;
    }

    // Time and material towards a usage target of this project's budget.
    const [lo, hi] = p.weighted(USAGE_BANDS);
    const target = lo + p.random() * (hi - lo);
    const entries: Array<{
      project_id: number;
      user_id: number | null;
      work_date: string;
      minutes: number;
      hourly_rate_ore: number;
      description: string;
      created_at: string;
      updated_at: string;
    }> = [];
    let minutes = 0;
    while (minutes < hoursBudget * target) {
      const m = Math.min(p.int(2, 16) * 30, Math.ceil(hoursBudget * target - minutes));
      const when = now - p.int(1, 120) * DAY;
      const work = p.pick(spec.work);
      entries.push({
        project_id: project.id,
        user_id: p.pick(members),
        work_date: swedishDate(when),
        minutes: m,
        hourly_rate_ore: rate,
        description: work[0],
        created_at: toInstant(when),
        updated_at: toInstant(when),
      });
      minutes += m;
    }
    for (let k = 0; k < entries.length; k += 500)
      await trx
        .insertInto("time_entry")
        .values(entries.slice(k, k + 500))
        .execute();
    counts.timeEntries += entries.length;
    const [mlo, mhi] = p.weighted(USAGE_BANDS);
    const materialTarget = mlo + p.random() * (mhi - mlo);
    let material = 0;
    const costs: Array<{
      project_id: number;
      cost_date: string;
      description: string;
      amount_ore: number;
      created_at: string;
      updated_at: string;
    }> = [];
    while (material < materialBudget * materialTarget) {
      const item = p.pick(spec.material);
      const amount = Math.min(item[2] * p.int(1, 20), Math.ceil(materialBudget * materialTarget - material));
      const when = now - p.int(1, 120) * DAY;
      costs.push({
        project_id: project.id,
        cost_date: swedishDate(when),
        description: item[0],
        amount_ore: amount,
        created_at: toInstant(when),
        updated_at: toInstant(when),
      });
      material += amount;
    }
    if (costs.length > 0) await trx.insertInto("material_cost").values(costs).execute();
    counts.materialCosts += costs.length;
  }
  return out;
}

async function seedInvoices(
  trx: Db,
  p: Picker,
  spec: TenantSpec,
  tenantId: number,
  clients: readonly SeedClient[],
  projects: readonly SeedProject[],
  now: number,
  today: string,
  counts: BackofficeSeedCounts,
): Promise<void> {
  const withAddress = clients.filter((c) => c.hasAddress);
  const lineOf = (template: readonly [string, string, number, string], quantityMilli: number, suffix = ""): NewInvoiceLine => ({
    description: `${template[0]}${suffix}`,
    unit: template[1],
    unitPriceOre: template[2],
    vatCategory: template[3],
    quantityMilli: template[1] === "tim" ? quantityMilli : Math.max(1000, Math.round(quantityMilli / 1000) * 1000),
  });
  const add = async (inv: Parameters<typeof createInvoice>[1]) => {
    const r = await createInvoice(trx, inv, now);
    counts.invoices++;
    counts.invoiceLines += inv.lines.length;
    return r;
  };
  const issued: Array<{ id: number; clientId: number; lines: NewInvoiceLine[] }> = [];

  const regular = p.int(8, 12);
  for (let i = 0; i < regular; i++) {
    const client = p.pick(withAddress);
    const project = projects.find((x) => x.clientId === client.id) ?? null;
    const date = addDays(today, -p.int(1, 90));
    const lines: NewInvoiceLine[] = [];
    const n = p.int(2, 8);
    for (let k = 0; k < n; k++) {
      const isWork = k < n / 2;
      const t = isWork ? p.pick(spec.work) : p.pick(spec.material);
      lines.push(lineOf(t, isWork ? p.int(1, 80) * 500 : p.int(1, 24) * 1000, isWork ? `, vecka ${p.int(1, 52)}` : ""));
    }
    const reverse = spec.construction && client.builder;
    const r = await add({
      tenantId,
      clientId: client.id,
      projectId: project?.id ?? null,
      invoiceDate: date,
      deliveryDate: addDays(date, -p.int(0, 10)),
      reverseCharge: reverse,
      yourReference: `${p.pick(SURNAMES)}`,
      ourReference: project?.name ?? null,
      lines,
      issue: true,
      worker: "seed",
    });
    issued.push({ id: r.id, clientId: client.id, lines });
  }

  // Several hundred lines: a year of itemised work, over many pages.
  if (spec.slug === "nordlicht") {
    const client = withAddress[0] as SeedClient;
    const start = addDays(today, -330);
    const lines = Array.from({ length: 320 }, (_, k) =>
      lineOf(
        spec.work[k % spec.work.length] as TenantSpec["work"][number],
        p.int(1, 16) * 500,
        `, ${addDays(start, k)} – ärende ${4000 + k}`,
      ),
    );
    await add({
      tenantId,
      clientId: client.id,
      invoiceDate: today,
      deliveryDate: addDays(today, -1),
      yourReference: "Löpande räkning",
      lines,
      issue: true,
      worker: "seed",
    });
  }

  // A credit note for part of the first invoice.
  const first = issued[0];
  if (first?.lines[0]) {
    const l = first.lines[0];
    await add({
      tenantId,
      clientId: first.clientId,
      kind: "credit",
      creditedInvoiceId: first.id,
      invoiceDate: addDays(today, -1),
      lines: [
        { ...l, quantityMilli: -Math.max(500, Math.round(l.quantityMilli / 2 / 500) * 500), description: `Kreditering: ${l.description}` },
      ],
      issue: true,
      worker: "seed",
    });
  }

  // A small invoice to the client without an address (allowed up to 4 000 kr incl. VAT), and a draft.
  const small = clients.find((c) => !c.hasAddress);
  if (small) {
    const t = spec.material[0] as TenantSpec["material"][number];
    await add({ tenantId, clientId: small.id, invoiceDate: addDays(today, -3), lines: [lineOf(t, 1000)], issue: true, worker: "seed" });
  }
  const draftClient = withAddress[withAddress.length - 1] as SeedClient;
  await add({
    tenantId,
    clientId: draftClient.id,
    invoiceDate: today,
    lines: [lineOf(spec.work[0] as TenantSpec["work"][number], 8000)],
    issue: false,
    worker: "seed",
  });
}

async function seedLinks(
  trx: Db,
  p: Picker,
  tenantId: number,
  members: readonly number[],
  now: number,
  counts: BackofficeSeedCounts,
): Promise<void> {
  const invoiceIds = (await trx.selectFrom("invoice").select("id").where("tenant_id", "=", tenantId).execute()).map((r) => r.id);
  const projectIds = (await trx.selectFrom("project").select("id").where("tenant_id", "=", tenantId).execute()).map((r) => r.id);
  const total = p.int(35, 45);
  for (let i = 0; i < total; i++) {
    const created = now - p.int(1, 200) * DAY;
    const expiry = p.weighted([
      ["past", 30],
      ["future", 50],
      ["none", 20],
    ] as const);
    const expiresAt =
      expiry === "past" ? toInstant(now - p.int(1, 60) * DAY) : expiry === "future" ? toInstant(now + p.int(1, 90) * DAY) : null;
    const maxViews = p.chance(0.35) ? p.int(1, 20) : null;
    const views = maxViews !== null && p.chance(0.5) ? maxViews : p.int(0, 60);
    const isInvoice = p.chance(0.6) && invoiceIds.length > 0;
    const link = await trx
      .insertInto("share_link")
      .values({
        tenant_id: tenantId,
        token: Array.from({ length: 24 }, () => p.int(0, 15).toString(16)).join(""),
        resource_type: isInvoice ? "invoice" : p.chance(0.7) ? "project" : "document",
        resource_id: isInvoice ? p.pick(invoiceIds) : p.pick(projectIds.length > 0 ? projectIds : [1]),
        expires_at: expiresAt,
        max_views: maxViews,
        view_count: views,
        active: 1,
        deactivated_at: null,
        deactivation_reason: null,
        created_by: p.pick(members),
        version: 1 + views,
        created_at: toInstant(created),
        updated_at: toInstant(created),
      })
      .returning("id")
      .executeTakeFirstOrThrow();
    counts.shareLinks++;
    const rows = Array.from({ length: views }, () => ({
      link_id: link.id,
      viewed_at: toInstant(created + Math.floor(p.random() * Math.max(DAY, now - created))),
      ip_hash: p.digits(8),
      user_agent: p.pick(USER_AGENTS),
    }));
    if (rows.length > 0) await trx.insertInto("share_link_view").values(rows).execute();
    counts.linkViews += rows.length;
  }
}

/** History: an alert raised three weeks ago and resolved after the budget was raised. */
async function seedPastAlert(trx: Db, tenantId: number, projectId: number, adminId: number | null, now: number): Promise<void> {
  const created = now - 21 * DAY;
  const resolved = now - 14 * DAY;
  const reason = "total usage fell to 71.2% (355 800,00 kr of 500 000,00 kr), under the 80% threshold";
  const alert = await trx
    .insertInto("budget_alert")
    .values({
      tenant_id: tenantId,
      project_id: projectId,
      type: "total",
      threshold_percent: 80,
      used: 35_580_000,
      budget: 42_000_000,
      usage_percent: 84.7,
      status: "resolved",
      created_at: toInstant(created),
      created_by: "seed",
      resolved_at: toInstant(resolved),
      resolved_by: "seed",
      resolution: reason,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (adminId !== null) {
    const admin = await trx.selectFrom("app_user").select(["username", "email"]).where("id", "=", adminId).executeTakeFirstOrThrow();
    await trx
      .insertInto("notification")
      .values({
        kind: "budget.alert",
        tenant_id: tenantId,
        user_id: adminId,
        recipient: admin.email ?? admin.username,
        subject: "Budget alert: project has used 84.7% of its total budget",
        body: "355 800,00 kr of 420 000,00 kr (84.7%), over the 80% total threshold.",
        data: JSON.stringify({ alertId: alert.id, projectId }),
        channels: '["output"]',
        delivered_channels: '["output"]',
        status: "sent",
        attempts: 0,
        next_attempt_at: null,
        last_error: null,
        dedupe_key: null,
        created_at: toInstant(created),
        sent_at: toInstant(created + 60_000),
      })
      .execute();
  }
  await appendAudit(
    trx,
    [
      {
        tenantId,
        table: "budget_alert",
        rowId: alert.id,
        action: "insert",
        worker: "seed",
        new: { status: "active", type: "total", threshold_percent: 80 },
      },
    ],
    created,
  );
  await appendAudit(
    trx,
    [
      {
        tenantId,
        table: "budget_alert",
        rowId: alert.id,
        action: "update",
        worker: "seed",
        old: { status: "active" },
        new: { status: "resolved", resolution: reason },
      },
    ],
    resolved,
  );
}
