import { sql, type Kysely } from "kysely";
import { appendAudit, type AuditEvent } from "../audit/append.ts";
import { findByRef, type RefTable } from "../backoffice/refs.ts";
import { dialectOf } from "../db/dialect.ts";
import type { Db } from "../db/handle.ts";
import { immediate } from "../db/handle.ts";
import { addDays } from "../domain/dates.ts";
import { isBankgiro, isPlusgiro } from "../domain/giro.ts";
import { isValidOcr, ocrReference } from "../domain/ocr.ts";
import { checkOrgnr } from "../domain/orgnr.ts";
import { UsageError } from "../errors.ts";
import { enqueueInvoicePdfs } from "../invoice/enqueue-pdf.ts";
import { ocrHolder } from "../invoice/issue.ts";
import { type PrintedText, unprintable } from "../invoice/pdf-font.ts";
import { unratedLine } from "../invoice/amounts.ts";
import type { InvoiceRow, VatRateRow } from "../invoice/schema.ts";
import type { TenantRow } from "../backoffice/schema.ts";
import { loadVatRates } from "../invoice/vat-rates.ts";
import { toInstant } from "../time.ts";
import { continueIdentity } from "./identity.postgres.ts";
import {
  OWN_REF,
  parseRecord,
  recordLabel,
  RECORD_KINDS,
  type BackofficeRecord,
  type BudgetRecord,
  type ClientRecord,
  type InvoiceRecord,
  type LinkViewRecord,
  type MaterialCostRecord,
  type ProjectRecord,
  type RecordKind,
  type RefusedRecord,
  type ShareLinkRecord,
  type TenantRecord,
  type TimeEntryRecord,
} from "./format.ts";

export interface ImportCounts {
  created: number;
  updated: number;
  unchanged: number;
}

export interface ImportSummary {
  records: number;
  kinds: Record<RecordKind, ImportCounts>;
  /** invoice.pdf jobs queued for issued invoices that were created or changed. */
  pdfJobs: number;
}

/** One line of the input: its parsed value, or why it could not be parsed. */
export type InputLine = { line: number; value: unknown } | { line: number; reason: string };

/** NDJSON: one JSON object a line (blank lines skipped); a line that is not JSON is refused with the others. */
export function parseRecordLines(text: string): InputLine[] {
  const out: InputLine[] = [];
  text.split("\n").forEach((raw, i) => {
    const t = raw.trim();
    if (t === "") return;
    try {
      out.push({ line: i + 1, value: JSON.parse(t) });
    } catch (e) {
      out.push({ line: i + 1, reason: `not valid JSON: ${(e as Error).message}` });
    }
  });
  return out;
}

/** The texts of a record an invoice PDF shows (a tenant's as the seller, a client's as the buyer), by field. */
function printedTexts(r: BackofficeRecord): PrintedText[] {
  const party = (p: { [k in "name" | "street" | "postcode" | "town" | "orgnr" | "vatNumber"]?: string | null | undefined }, prefix = "") =>
    (["name", "street", "postcode", "town", "orgnr", "vatNumber"] as const).map((k): PrintedText => [`${prefix}${k}`, p[k]]);
  switch (r.kind) {
    case "tenant":
      return [
        ...party(r),
        ["registeredOffice", r.registeredOffice],
        ["bankgiro", r.bankgiro],
        ["plusgiro", r.plusgiro],
        ["email", r.email],
        ["phone", r.phone],
        ["website", r.website],
      ];
    case "client":
      return party(r);
    case "invoice":
      return [
        ...party(r.buyer ?? {}, "buyer."),
        ["yourReference", r.yourReference],
        ["ourReference", r.ourReference],
        ["notes", r.notes],
        ...r.lines.flatMap((l, i): PrintedText[] => [
          [`lines[${i}].description`, l.description],
          [`lines[${i}].unit`, l.unit],
        ]),
      ];
    default:
      return [];
  }
}

/** A file with refused records: nothing of it was written (exit 2). */
export class ImportRefusedError extends UsageError {
  readonly refused: RefusedRecord[];
  constructor(source: string, refused: RefusedRecord[]) {
    super(`${source}: ${refused.length} record(s) refused, nothing imported`);
    this.refused = refused;
  }
}

/** A record that cannot be applied: the reason, without the line. */
class RecordError extends Error {}

/**
 * Imports back-office records (parsed lines of NDJSON or CSV) all or nothing: every record is
 * validated and applied in one IMMEDIATE transaction, in file order (a reference names a row
 * made by an earlier line or already in the database). When any record is refused, the
 * transaction is rolled back and every refusal is reported with its line. A record is the whole
 * row: re-importing it updates in place, and an unchanged record writes nothing.
 */
export async function importRecords(db: Db, lines: readonly InputLine[], o: { source: string; now: number }): Promise<ImportSummary> {
  const refused: RefusedRecord[] = [];
  const valid: Array<{ line: number; record: BackofficeRecord }> = [];
  const lineOfRow = new Map<string, number>();
  for (const input of lines) {
    if ("reason" in input) {
      refused.push(input);
      continue;
    }
    const { line, value } = input;
    const r = parseRecord(value);
    if (!r.ok) {
      refused.push({ line, reason: r.reason });
      continue;
    }
    const unprintableText = unprintable(printedTexts(r.record));
    if (unprintableText) {
      refused.push({ line, reason: `${recordLabel(r.record)}: ${unprintableText}` });
      continue;
    }
    const first = lineOfRow.get(rowKey(r.record));
    if (first !== undefined) refused.push({ line, reason: `${recordLabel(r.record)}: the same ${r.record.kind} as line ${first}` });
    else {
      lineOfRow.set(rowKey(r.record), line);
      valid.push({ line, record: r.record });
    }
  }
  // On PostgreSQL a failed statement aborts the transaction: the import runs without savepoints
  // (fast) and, should a record break a constraint, again with one savepoint per record, so every
  // refusal is still reported. SQLite rolls back only the failing statement.
  const postgres = dialectOf(db) === "postgres";
  const run = (savepoints: boolean) =>
    immediate(db, async (trx) => {
      const refusals = [...refused];
      const a = new Applier(trx, o.now, await loadVatRates(trx));
      for (const { line, record } of valid) {
        if (savepoints) await sql`savepoint import_record`.execute(trx);
        try {
          await a.apply(record);
        } catch (e) {
          if (!(e instanceof RecordError) && !isConstraintError(e)) throw e;
          if (postgres && !savepoints && !(e instanceof RecordError)) throw new ConstraintBroken();
          if (savepoints && !(e instanceof RecordError)) await sql`rollback to import_record`.execute(trx);
          a.forget();
          refusals.push({ line, reason: `${recordLabel(record)}: ${(e as Error).message}` });
        }
        if (savepoints) await sql`release import_record`.execute(trx);
      }
      if (refusals.length > 0)
        throw new ImportRefusedError(
          o.source,
          refusals.sort((x, y) => x.line - y.line),
        );
      await a.continueRowIds();
      await appendAudit(trx, a.auditEvents, o.now);
      const jobs = await enqueueInvoicePdfs(trx, [...a.pdfInvoices], o.now);
      return { records: lines.length, kinds: a.counts, pdfJobs: jobs.length };
    });
  try {
    return await run(false);
  } catch (e) {
    if (e instanceof ConstraintBroken) return run(true);
    throw e;
  }
}

/** The row a record names: one file names a row once (else which of its records would win?). */
function rowKey(r: BackofficeRecord): string {
  switch (r.kind) {
    case "tenant":
      return JSON.stringify([r.kind, r.slug]);
    case "budget":
      return JSON.stringify([r.kind, r.tenant, r.project]);
    case "share-link":
      return JSON.stringify([r.kind, r.token]);
    case "link-view":
      return JSON.stringify([r.kind, r.tenant, r.link, r.id]);
    default:
      return JSON.stringify([r.kind, r.tenant, r.id]);
  }
}

/** A record broke a constraint in a PostgreSQL import without savepoints: run it again with them. */
class ConstraintBroken extends Error {}

/** SQLite's constraint errors, and PostgreSQL's integrity constraint violations (SQLSTATE class 23). */
const isConstraintError = (e: unknown): boolean => /^(SQLITE_CONSTRAINT|23[0-9A-Z]{3}$)/.test(String((e as { code?: unknown }).code ?? ""));

type Row = Record<string, unknown> & { id: number };
type Outcome = keyof ImportCounts;

/** Tables with created_at and updated_at, stamped on insert and on a change. */
const STAMPED = new Set(["tenant", "client", "project", "project_budget", "time_entry", "material_cost", "invoice", "share_link"]);
/** Tables whose rows are keyed by another column than `id`. */
const KEY: Record<string, string> = { project_budget: "project_id" };

class Applier {
  readonly counts = Object.fromEntries(RECORD_KINDS.map((k) => [k, { created: 0, updated: 0, unchanged: 0 }])) as Record<
    RecordKind,
    ImportCounts
  >;
  readonly pdfInvoices = new Set<number>();
  private readonly trx: Db;
  /** The same connection, untyped: the generic save below names its table at run time. */
  // biome-ignore lint/suspicious/noExplicitAny: the generic save names its table at run time
  private readonly any: Kysely<any>;
  private readonly stamp: string;
  private readonly rates: readonly VatRateRow[];
  /** Audit events of the applied records, appended once all are applied. */
  readonly auditEvents: AuditEvent[] = [];
  /** Tenants by slug and referenced rows by ref, as read; a table's entries go when it is written. */
  private readonly tenants = new Map<string, TenantRow>();
  private readonly refs = new Map<RefTable, Map<string, Row | undefined>>();
  private readonly scopes = new Map<string, Map<string, Row>>();
  private readonly links = new Map<string, { id: number; tenant_id: number } | undefined>();
  /** The highest row id of a table, as read and raised by the inserts here: a `#<n>` above it is free. */
  private readonly maxIds = new Map<string, number>();
  /** Tables given rows with ids of their own (`#<n>`) since their identity sequence last moved (PostgreSQL). */
  private readonly ownIdTables = new Set<string>();

  constructor(trx: Db, now: number, rates: readonly VatRateRow[]) {
    this.trx = trx;
    // biome-ignore lint/suspicious/noExplicitAny: see `any` above
    this.any = trx as unknown as Kysely<any>;
    this.stamp = toInstant(now);
    this.rates = rates;
  }

  /** Drops what was read (after a record failed part-way). */
  forget(): void {
    this.tenants.clear();
    this.refs.clear();
    this.scopes.clear();
    this.links.clear();
  }

  async apply(r: BackofficeRecord): Promise<void> {
    const outcome = await this.applyKind(r);
    this.counts[r.kind][outcome]++;
  }

  private applyKind(r: BackofficeRecord): Promise<Outcome> {
    switch (r.kind) {
      case "tenant":
        return this.tenant(r);
      case "client":
        return this.client(r);
      case "project":
        return this.project(r);
      case "budget":
        return this.budget(r);
      case "time-entry":
        return this.timeEntry(r);
      case "material-cost":
        return this.materialCost(r);
      case "invoice":
        return this.invoice(r);
      case "share-link":
        return this.shareLink(r);
      case "link-view":
        return this.linkView(r);
    }
  }

  // ---- lookups ------------------------------------------------------------------------------

  private async tenantRow(slug: string): Promise<TenantRow> {
    const known = this.tenants.get(slug);
    if (known) return known;
    const t = await this.trx.selectFrom("tenant").selectAll().where("slug", "=", slug).executeTakeFirst();
    if (!t) throw new RecordError(`unknown tenant "${slug}"`);
    this.tenants.set(slug, t);
    return t;
  }

  private async byRef(table: RefTable, tenantId: number, ref: string): Promise<Row | undefined> {
    const cache = this.refs.get(table) ?? new Map<string, Row | undefined>();
    this.refs.set(table, cache);
    const key = `${tenantId} ${ref}`;
    if (cache.has(key)) return cache.get(key);
    const id = await findByRef(this.trx, table, tenantId, ref);
    const row =
      id === undefined ? undefined : ((await this.any.selectFrom(table).selectAll().where("id", "=", id).executeTakeFirst()) as Row);
    cache.set(key, row);
    return row;
  }

  private async mustRef(table: RefTable, tenantId: number, ref: string, what: string): Promise<Row> {
    const row = await this.byRef(table, tenantId, ref);
    if (!row) throw new RecordError(`unknown reference: no ${what} "${ref}" in this tenant`);
    return row;
  }

  /** A time entry's or material cost's row in the tenant (through its project). */
  private async spendingRow(table: "time_entry" | "material_cost", tenantId: number, ref: string): Promise<Row | undefined> {
    const rows = await this.scoped(
      table,
      tenantId,
      async () =>
        (await this.any
          .selectFrom(table)
          .innerJoin("project", "project.id", `${table}.project_id`)
          .selectAll(table)
          .where("project.tenant_id", "=", tenantId)
          .execute()) as Row[],
    );
    return rows.get(ref);
  }

  /**
   * The rows of `table` in a scope (a tenant's time entries, a link's views) by the ref that names
   * them (their external id, else `#id`), read with one query on first use and kept up to date by
   * `remember`: thousands of records cost one lookup query, not one each.
   */
  private async scoped(table: string, scope: number, load: () => Promise<Row[]>): Promise<Map<string, Row>> {
    const key = `${table} ${scope}`;
    let rows = this.scopes.get(key);
    if (rows === undefined) {
      rows = new Map();
      for (const row of await load()) {
        const ref = (row.external_id as string | null) ?? `#${row.id}`;
        if (!rows.has(ref) || row.external_id !== null) rows.set(ref, row);
      }
      this.scopes.set(key, rows);
    }
    return rows;
  }

  /** Records a saved row of a scope under its ref (see `scoped`). */
  private remember(
    table: string,
    scope: number,
    ref: string,
    existing: Row | undefined,
    values: Record<string, unknown>,
    id: number,
  ): void {
    this.scopes.get(`${table} ${scope}`)?.set(ref, { ...(existing ?? {}), ...values, id });
  }

  /**
   * The row id a new record named `#<n>` gets: n itself, so that name goes on naming it and no row
   * made later takes it (an export imported into an empty database keeps its names). Undefined for
   * the operator's own ids. Refused when row n of the table is another row.
   */
  private async newRowId(table: string, ref: string, what: string): Promise<number | undefined> {
    const own = OWN_REF.exec(ref);
    if (!own) return undefined;
    const id = Number(own[1]);
    if (id <= (await this.maxId(table)) && (await this.any.selectFrom(table).select("id").where("id", "=", id).executeTakeFirst()))
      throw new RecordError(`row ${id} is another ${what}: #<row id> names a row made without an id; give this ${what} an id of its own`);
    return id;
  }

  private async maxId(table: string): Promise<number> {
    const known = this.maxIds.get(table);
    if (known !== undefined) return known;
    const row = await this.any
      .selectFrom(table)
      .select((eb) => eb.fn.max("id").as("n"))
      .executeTakeFirst();
    const max = Number(row?.n ?? 0);
    this.maxIds.set(table, max);
    return max;
  }

  /**
   * Moves PostgreSQL's identity sequences past the rows inserted with ids of their own, before the
   * next row without one and at the end (SQLite gives a new row the highest id plus one anyway).
   */
  async continueRowIds(tables: readonly string[] = [...this.ownIdTables]): Promise<void> {
    if (dialectOf(this.trx) !== "postgres") return;
    for (const table of tables) {
      await continueIdentity(this.trx, table);
      this.ownIdTables.delete(table);
    }
  }

  // ---- the generic write ----------------------------------------------------------------------

  /**
   * Inserts `values` (as row `rowId` when given), or updates the columns of `existing` that differ;
   * audited as `import`.
   */
  private async save(
    table: string,
    tenantId: number | null,
    existing: Row | Record<string, unknown> | undefined,
    values: Record<string, unknown>,
    o: { forceChange?: boolean; rowId?: number | undefined } = {},
  ): Promise<{ id: number; outcome: Outcome }> {
    const key = KEY[table] ?? "id";
    this.refs.get(table as RefTable)?.clear();
    if (existing) {
      const id = existing[key] as number;
      const changed = Object.keys(values).filter((k) => existing[k] !== values[k]);
      if (changed.length === 0 && !o.forceChange) return { id, outcome: "unchanged" };
      const set: Record<string, unknown> = Object.fromEntries(changed.map((k) => [k, values[k]]));
      if (STAMPED.has(table)) set.updated_at = this.stamp;
      if (table === "share_link") set.version = (existing.version as number) + 1;
      await this.any.updateTable(table).set(set).where(key, "=", id).execute();
      this.audit(
        tenantId,
        table,
        id,
        "update",
        Object.fromEntries(changed.map((k) => [k, existing[k]])),
        Object.fromEntries(changed.map((k) => [k, values[k]])),
      );
      return { id, outcome: "updated" };
    }
    if (o.rowId === undefined && this.ownIdTables.has(table)) await this.continueRowIds([table]);
    const row = {
      ...(o.rowId === undefined ? {} : { id: o.rowId }),
      ...values,
      ...(STAMPED.has(table) ? { created_at: this.stamp, updated_at: this.stamp } : {}),
    };
    const inserted = await this.any.insertInto(table).values(row).returning(key).executeTakeFirstOrThrow();
    const id = inserted[key] as number;
    const max = this.maxIds.get(table);
    if (max !== undefined && id > max) this.maxIds.set(table, id);
    if (o.rowId !== undefined) this.ownIdTables.add(table);
    this.audit(tenantId, table, id, "insert", null, values);
    return { id, outcome: "created" };
  }

  private audit(
    tenantId: number | null,
    table: string,
    rowId: number,
    action: "insert" | "update",
    old: Record<string, unknown> | null,
    next: Record<string, unknown>,
  ): void {
    this.auditEvents.push({ tenantId, table, rowId, action, old, new: next, worker: "import" });
  }

  // ---- the kinds ------------------------------------------------------------------------------

  private async tenant(r: TenantRecord): Promise<Outcome> {
    const existing = await this.trx.selectFrom("tenant").selectAll().where("slug", "=", r.slug).executeTakeFirst();
    const values: Record<string, unknown> = {
      slug: r.slug,
      name: r.name,
      orgnr: orgnrOf(r.orgnr),
      vat_number: r.vatNumber ?? null,
      street: r.street ?? null,
      postcode: r.postcode ?? null,
      town: r.town ?? null,
      country: r.country ?? "SE",
      registered_office: r.registeredOffice ?? null,
      f_skatt: r.fSkatt ? 1 : 0,
      bankgiro: giroOf(r.bankgiro, isBankgiro, "bankgiro"),
      plusgiro: giroOf(r.plusgiro, isPlusgiro, "plusgiro"),
      email: r.email ?? null,
      phone: r.phone ?? null,
      website: r.website ?? null,
      payment_terms_days: r.paymentTermsDays ?? 30,
      ocr_length_digit: r.ocrLengthDigit ? 1 : 0,
    };
    if (existing && existing.ocr_length_digit !== values.ocr_length_digit) {
      const issued = await this.trx
        .selectFrom("invoice")
        .select("id")
        .where("tenant_id", "=", existing.id)
        .where("ocr", "is not", null)
        .executeTakeFirst();
      if (issued) throw new RecordError("ocrLengthDigit cannot change once invoices carry OCR references");
    }
    if (r.nextInvoiceNumber !== undefined) {
      const used = existing ? await this.maxInvoiceNumber(existing.id) : 0;
      if (r.nextInvoiceNumber <= used)
        throw new RecordError(`nextInvoiceNumber ${r.nextInvoiceNumber} is not above the last issued number ${used}`);
      values.next_invoice_number = r.nextInvoiceNumber;
    }
    this.tenants.delete(r.slug);
    const saved = await this.save("tenant", existing?.id ?? null, existing, values);
    const members = r.members === undefined ? "unchanged" : await this.members(saved.id, r.members);
    return saved.outcome === "unchanged" && members === "updated" ? "updated" : saved.outcome;
  }

  private async maxInvoiceNumber(tenantId: number): Promise<number> {
    const row = await this.trx
      .selectFrom("invoice")
      .select((eb) => eb.fn.max("number").as("n"))
      .where("tenant_id", "=", tenantId)
      .executeTakeFirst();
    return Number(row?.n ?? 0);
  }

  /** Makes the tenant's members exactly these users (by username; a new username becomes a user). */
  private async members(tenantId: number, members: NonNullable<TenantRecord["members"]>): Promise<Outcome> {
    let changed = false;
    const wanted = new Map<number, "admin" | "manager">();
    for (const m of members) {
      const user = await this.trx.selectFrom("app_user").selectAll().where("username", "=", m.username).executeTakeFirst();
      const values = { username: m.username, email: m.email ?? null, display_name: m.name ?? null };
      if (user) {
        if (user.email !== values.email || user.display_name !== values.display_name) {
          await this.trx
            .updateTable("app_user")
            .set({ email: values.email, display_name: values.display_name })
            .where("id", "=", user.id)
            .execute();
          changed = true;
        }
        wanted.set(user.id, m.role);
      } else {
        const row = await this.trx
          .insertInto("app_user")
          .values({ ...values, role: m.role, created_at: this.stamp })
          .returning("id")
          .executeTakeFirstOrThrow();
        wanted.set(row.id, m.role);
        changed = true;
      }
    }
    const current = await this.trx.selectFrom("tenant_member").select(["user_id", "role"]).where("tenant_id", "=", tenantId).execute();
    for (const c of current) {
      const role = wanted.get(c.user_id);
      if (role === undefined)
        await this.trx.deleteFrom("tenant_member").where("tenant_id", "=", tenantId).where("user_id", "=", c.user_id).execute();
      else if (role !== c.role)
        await this.trx
          .updateTable("tenant_member")
          .set({ role })
          .where("tenant_id", "=", tenantId)
          .where("user_id", "=", c.user_id)
          .execute();
      if (role !== c.role) changed = true;
      wanted.delete(c.user_id);
    }
    for (const [userId, role] of wanted) {
      await this.trx.insertInto("tenant_member").values({ tenant_id: tenantId, user_id: userId, role, created_at: this.stamp }).execute();
      changed = true;
    }
    return changed ? "updated" : "unchanged";
  }

  private async client(r: ClientRecord): Promise<Outcome> {
    const t = await this.tenantRow(r.tenant);
    const existing = await this.byRef("client", t.id, r.id);
    const rowId = existing ? undefined : await this.newRowId("client", r.id, "client");
    return (
      await this.save(
        "client",
        t.id,
        existing,
        {
          tenant_id: t.id,
          external_id: externalId(existing, r.id),
          name: r.name,
          orgnr: orgnrOf(r.orgnr),
          vat_number: r.vatNumber ?? null,
          street: r.street ?? null,
          postcode: r.postcode ?? null,
          town: r.town ?? null,
          country: r.country ?? "SE",
          email: r.email ?? null,
        },
        { rowId },
      )
    ).outcome;
  }

  private async project(r: ProjectRecord): Promise<Outcome> {
    const t = await this.tenantRow(r.tenant);
    const client = r.client == null ? null : await this.mustRef("client", t.id, r.client, "client");
    const existing = await this.byRef("project", t.id, r.id);
    const rowId = existing ? undefined : await this.newRowId("project", r.id, "project");
    const values = {
      tenant_id: t.id,
      external_id: externalId(existing, r.id),
      client_id: client?.id ?? null,
      code: r.code ?? null,
      name: r.name,
      status: r.status ?? "active",
    };
    return (await this.save("project", t.id, existing, values, { rowId })).outcome;
  }

  private async budget(r: BudgetRecord): Promise<Outcome> {
    const t = await this.tenantRow(r.tenant);
    const project = await this.mustRef("project", t.id, r.project, "project");
    const seen = new Set<string>();
    for (const th of r.thresholds) {
      const key = `${th.type} ${th.percent}`;
      if (seen.has(key)) throw new RecordError(`threshold ${th.type} ${th.percent} % is given twice`);
      seen.add(key);
    }
    const existing = await this.trx.selectFrom("project_budget").selectAll().where("project_id", "=", project.id).executeTakeFirst();
    const saved = await this.save("project_budget", t.id, existing, {
      project_id: project.id,
      hours_minutes: r.hoursMinutes ?? null,
      material_ore: r.materialOre ?? null,
      total_ore: r.totalOre ?? null,
    });
    const current = await this.trx.selectFrom("budget_threshold").selectAll().where("project_id", "=", project.id).execute();
    let changed = false;
    for (const c of current) {
      const want = r.thresholds.find((th) => th.type === c.type && th.percent === c.percent);
      if (!want) {
        await this.trx.deleteFrom("budget_threshold").where("id", "=", c.id).execute();
        changed = true;
      } else if ((want.notify === false ? 0 : 1) !== c.notify) {
        await this.trx
          .updateTable("budget_threshold")
          .set({ notify: want.notify === false ? 0 : 1 })
          .where("id", "=", c.id)
          .execute();
        changed = true;
      }
    }
    const fresh = r.thresholds.filter((th) => !current.some((c) => c.type === th.type && c.percent === th.percent));
    if (fresh.length > 0) {
      await this.trx
        .insertInto("budget_threshold")
        .values(
          fresh.map((th) => ({
            project_id: project.id,
            type: th.type,
            percent: th.percent,
            notify: th.notify === false ? (0 as const) : (1 as const),
          })),
        )
        .execute();
      changed = true;
    }
    return saved.outcome === "unchanged" && changed ? "updated" : saved.outcome;
  }

  private async timeEntry(r: TimeEntryRecord): Promise<Outcome> {
    const t = await this.tenantRow(r.tenant);
    const project = await this.mustRef("project", t.id, r.project, "project");
    const existing = await this.spendingRow("time_entry", t.id, r.id);
    const rowId = existing ? undefined : await this.newRowId("time_entry", r.id, "time entry");
    const values = {
      project_id: project.id,
      external_id: externalId(existing, r.id),
      work_date: r.date,
      minutes: r.minutes,
      hourly_rate_ore: r.hourlyRateOre,
      description: r.description ?? null,
    };
    const saved = await this.save("time_entry", t.id, existing, values, { rowId });
    this.remember("time_entry", t.id, r.id, existing, values, saved.id);
    return saved.outcome;
  }

  private async materialCost(r: MaterialCostRecord): Promise<Outcome> {
    const t = await this.tenantRow(r.tenant);
    const project = await this.mustRef("project", t.id, r.project, "project");
    const existing = await this.spendingRow("material_cost", t.id, r.id);
    const rowId = existing ? undefined : await this.newRowId("material_cost", r.id, "material cost");
    const values = {
      project_id: project.id,
      external_id: externalId(existing, r.id),
      cost_date: r.date,
      description: r.description,
      amount_ore: r.amountOre,
    };
    const saved = await this.save("material_cost", t.id, existing, values, { rowId });
    this.remember("material_cost", t.id, r.id, existing, values, saved.id);
    return saved.outcome;
  }

  private async invoice(r: InvoiceRecord): Promise<Outcome> {
    const t = await this.tenantRow(r.tenant);
    const client = await this.mustRef("client", t.id, r.client, "client");
    const project = r.project == null ? null : await this.mustRef("project", t.id, r.project, "project");
    const existing = await this.byRef("invoice", t.id, r.id);
    const rowId = existing ? undefined : await this.newRowId("invoice", r.id, "invoice");
    const kind = r.credits == null ? "invoice" : "credit";
    let credited: Row | null = null;
    if (r.credits != null) {
      credited = await this.mustRef("invoice", t.id, r.credits, "invoice");
      if (credited.status !== "issued" || credited.kind !== "invoice")
        throw new RecordError(`credits "${r.credits}": a credit note must credit an issued invoice`);
    }
    // The rates as list, show and the PDF take them: a credit note's are its original's.
    const dates = { invoice_date: r.invoiceDate, delivery_date: r.deliveryDate ?? null };
    const unrated = unratedLine({
      invoice: { kind, ...dates, reverse_charge: r.reverseCharge ? 1 : 0 },
      credited: credited as Pick<InvoiceRow, "invoice_date" | "delivery_date"> | null,
      lines: r.lines.map((l) => ({ quantity_milli: l.quantityMilli, unit_price_ore: l.unitPriceOre, vat_category: l.vatCategory })),
      rates: this.rates,
    });
    if (unrated) throw new RecordError(`lines[${unrated.index}]: ${unrated.problem}`);
    if (existing && (existing.invoice_date !== dates.invoice_date || existing.delivery_date !== dates.delivery_date))
      await this.redateCreditNotes(existing.id, dates);
    const number = r.number ?? null;
    if (existing?.number != null && existing.number !== number) {
      throw new RecordError(`invoice is issued as number ${existing.number}: an issued invoice keeps its number`);
    }
    if (number !== null) {
      const other = await this.trx
        .selectFrom("invoice")
        .select(["id", "external_id"])
        .where("tenant_id", "=", t.id)
        .where("number", "=", number)
        .$if(existing !== undefined, (q) => q.where("id", "!=", existing?.id as number))
        .executeTakeFirst();
      if (other) throw new RecordError(`number ${number} is already used by invoice "${other.external_id ?? `#${other.id}`}"`);
    }
    const lengthDigit = t.ocr_length_digit === 1;
    let ocr = r.ocr ?? null;
    if (ocr !== null && !isValidOcr(ocr, { lengthDigit }))
      throw new RecordError(`OCR reference ${ocr} has a wrong check digit${lengthDigit ? " or length digit" : ""}`);
    if (ocr === null && number !== null && kind === "invoice") ocr = ocrReference(String(number), { lengthDigit });
    if (kind === "credit") ocr = r.ocr ?? null;
    // Checked here, not left to the unique index invoice_ocr, so the refusal names the other invoice.
    const holder = ocr === null ? undefined : await ocrHolder(this.trx, t.id, ocr, existing?.id);
    if (holder !== undefined) throw new RecordError(`OCR reference ${ocr} is already used by invoice "${holder}"`);
    const buyer = r.buyer ?? {
      name: client.name as string | null,
      street: client.street as string | null,
      postcode: client.postcode as string | null,
      town: client.town as string | null,
      country: client.country as string | null,
      orgnr: client.orgnr as string | null,
      vatNumber: client.vat_number as string | null,
    };
    const values = {
      tenant_id: t.id,
      external_id: externalId(existing, r.id),
      client_id: client.id,
      project_id: project?.id ?? null,
      kind,
      credited_invoice_id: credited?.id ?? null,
      status: number === null ? "draft" : "issued",
      number,
      invoice_date: r.invoiceDate,
      delivery_date: r.deliveryDate ?? null,
      due_date: r.dueDate ?? (kind === "invoice" ? addDays(r.invoiceDate, t.payment_terms_days) : null),
      ocr,
      reverse_charge: r.reverseCharge ? 1 : 0,
      buyer_name: buyer.name ?? null,
      buyer_street: buyer.street ?? null,
      buyer_postcode: buyer.postcode ?? null,
      buyer_town: buyer.town ?? null,
      buyer_country: buyer.country ?? null,
      buyer_orgnr: buyer.orgnr ?? null,
      buyer_vat_number: buyer.vatNumber ?? null,
      your_reference: r.yourReference ?? null,
      our_reference: r.ourReference ?? null,
      notes: r.notes ?? null,
    };
    const lines = r.lines.map((l, i) => ({
      position: i + 1,
      description: l.description,
      quantity_milli: l.quantityMilli,
      unit: l.unit,
      unit_price_ore: l.unitPriceOre,
      vat_category: l.vatCategory,
    }));
    const current = existing
      ? await this.trx
          .selectFrom("invoice_line")
          .select(["position", "description", "quantity_milli", "unit", "unit_price_ore", "vat_category"])
          .where("invoice_id", "=", existing.id)
          .orderBy("position")
          .execute()
      : [];
    const linesChanged = JSON.stringify(current) !== JSON.stringify(lines);
    const saved = await this.save("invoice", t.id, existing, values, { forceChange: existing !== undefined && linesChanged, rowId });
    if (linesChanged) {
      if (existing) await this.trx.deleteFrom("invoice_line").where("invoice_id", "=", saved.id).execute();
      for (let i = 0; i < lines.length; i += 500)
        await this.trx
          .insertInto("invoice_line")
          .values(lines.slice(i, i + 500).map((l) => ({ ...l, invoice_id: saved.id })))
          .execute();
    }
    if (number !== null && number >= t.next_invoice_number) {
      await this.trx
        .updateTable("tenant")
        .set({ next_invoice_number: number + 1 })
        .where("id", "=", t.id)
        .execute();
      t.next_invoice_number = number + 1;
    }
    if (values.status === "issued" && saved.outcome !== "unchanged") this.pdfInvoices.add(saved.id);
    return saved.outcome;
  }

  /**
   * New dates of an invoice move the VAT rates of its credit notes, which credit at the original's
   * (rateInvoice): refused when a credit note's line would then have no rate, as `invoices add` would.
   * An issued credit note's PDF shows the original's date and those rates: it is rendered again.
   */
  private async redateCreditNotes(invoiceId: number, dates: Pick<InvoiceRow, "invoice_date" | "delivery_date">): Promise<void> {
    const notes = await this.trx
      .selectFrom("invoice")
      .select(["id", "external_id", "status", "reverse_charge", "invoice_date", "delivery_date"])
      .where("credited_invoice_id", "=", invoiceId)
      .orderBy("id")
      .execute();
    for (const note of notes) {
      const lines = await this.trx
        .selectFrom("invoice_line")
        .select(["quantity_milli", "unit_price_ore", "vat_category"])
        .where("invoice_id", "=", note.id)
        .orderBy("position")
        .execute();
      const unrated = unratedLine({ invoice: { ...note, kind: "credit" }, credited: dates, lines, rates: this.rates });
      if (unrated)
        throw new RecordError(
          `credit note "${note.external_id ?? `#${note.id}`}" of this invoice, credited at its dates, would have no VAT rate for its lines[${unrated.index}]: ${unrated.problem}`,
        );
      if (note.status === "issued") this.pdfInvoices.add(note.id);
    }
  }

  private async shareLink(r: ShareLinkRecord): Promise<Outcome> {
    const t = await this.tenantRow(r.tenant);
    this.links.delete(r.token);
    const existing = await this.trx.selectFrom("share_link").selectAll().where("token", "=", r.token).executeTakeFirst();
    if (existing && existing.tenant_id !== t.id) throw new RecordError("this token belongs to another tenant's link");
    let resourceId: number;
    if (r.resource === "document") {
      if (!/^\d{1,15}$/.test(r.resourceId)) throw new RecordError(`resourceId "${r.resourceId}": a document is named by its number`);
      resourceId = Number(r.resourceId);
    } else {
      resourceId = (await this.mustRef(r.resource, t.id, r.resourceId, r.resource)).id;
    }
    const active = r.active === false ? 0 : 1;
    return (
      await this.save("share_link", t.id, existing, {
        tenant_id: t.id,
        token: r.token,
        resource_type: r.resource,
        resource_id: resourceId,
        expires_at: r.expiresAt ?? null,
        max_views: r.maxViews ?? null,
        view_count: r.viewCount ?? 0,
        active,
        deactivated_at: r.deactivatedAt ?? null,
        deactivation_reason: r.deactivationReason ?? null,
      })
    ).outcome;
  }

  private async linkView(r: LinkViewRecord): Promise<Outcome> {
    const t = await this.tenantRow(r.tenant);
    if (!this.links.has(r.link))
      this.links.set(
        r.link,
        await this.trx.selectFrom("share_link").select(["id", "tenant_id"]).where("token", "=", r.link).executeTakeFirst(),
      );
    const link = this.links.get(r.link);
    if (!link || link.tenant_id !== t.id) throw new RecordError(`unknown reference: no share link "${r.link}" in this tenant`);
    const views = await this.scoped(
      "share_link_view",
      link.id,
      async () => (await this.trx.selectFrom("share_link_view").selectAll().where("link_id", "=", link.id).execute()) as Row[],
    );
    const existing = views.get(r.id);
    const rowId = existing ? undefined : await this.newRowId("share_link_view", r.id, "link view");
    const values = {
      link_id: link.id,
      external_id: externalId(existing, r.id),
      viewed_at: r.viewedAt,
      ip_hash: r.ipHash ?? null,
      user_agent: r.userAgent ?? null,
    };
    const saved = await this.save("share_link_view", t.id, existing, values, { rowId });
    this.remember("share_link_view", link.id, r.id, existing, values, saved.id);
    return saved.outcome;
  }
}

/**
 * The external id a record stores: its id, except for `#<row id>`, which names a row made without
 * one (kept as it is; an external id stored as such before `#` ids named row ids stays too).
 */
function externalId(existing: Record<string, unknown> | undefined, ref: string): string | null {
  return OWN_REF.test(ref) ? ((existing?.external_id as string | null | undefined) ?? null) : ref;
}

function orgnrOf(input: string | null | undefined): string | null {
  if (input == null) return null;
  const c = checkOrgnr(input);
  if (!c.ok) throw new RecordError(`bad organisationsnummer: ${c.reason}`);
  return c.orgnr;
}

function giroOf(input: string | null | undefined, valid: (s: string) => boolean, what: string): string | null {
  if (input == null) return null;
  if (!valid(input)) throw new RecordError(`bad ${what} number "${input}" (wrong length or check digit)`);
  return input.replace(/[\s-]/g, "");
}
