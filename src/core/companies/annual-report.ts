import * as z from "zod";
import { immediate, type Db } from "../db/handle.ts";
import type { HvdClient } from "../integrations/bolagsverket/client.ts";
import { HvdError } from "../integrations/bolagsverket/errors.ts";
import { toInstant } from "../time.ts";
import { readAnnualReport, type AnnualReportFigures, type ReportYear } from "./ixbrl.ts";
import { reportFromZip } from "./report-zip.ts";

/**
 * - `updated`: the latest report was read and its figures written;
 * - `unchanged`: the latest report is the one read before (not downloaded again);
 * - `no_report`: the company has filed no annual report: its figures are kept;
 * - `not_found`: the company is not in the database;
 * - `failed`: the report could not be read (its figures are kept; `message` says why).
 */
export type ReportOutcome = "updated" | "unchanged" | "no_report" | "not_found" | "failed";

export interface ReportResult {
  orgnr: string;
  outcome: ReportOutcome;
  /** Bolagsverket's id of the latest report, when there is one. */
  documentId: string | null;
  /** The company's figures after the check: from the report, or kept. */
  financialYear: { start: string; end: string } | null;
  revenueTkr: number | null;
  employees: number | null;
  framework: "K2" | "K3" | null;
  message: string | null;
  notes: string[];
}

const documentList = z.object({
  dokument: z
    .array(
      z.object({
        dokumentId: z.string().min(1),
        filformat: z.string().nullish(),
        rapporteringsperiodTom: z.string().nullish(),
        registreringstidpunkt: z.string().nullish(),
      }),
    )
    .nullish(),
});
type Listed = NonNullable<z.infer<typeof documentList>["dokument"]>[number];

/**
 * Reads a company's latest annual report through Bolagsverket's API (`dokumentlista`, then
 * `dokument`: a ZIP holding the iXBRL report) and writes its figures: every financial year it
 * carries into `company_financials`, and the latest year's revenue (TKR), employees and
 * financial year onto the company. A report read before is not downloaded again. A company
 * without a filed report, or whose report cannot be read, keeps its figures. Transport
 * failures (API down, rate limited, refused credentials) are thrown: the caller retries.
 */
export async function checkAnnualReport(
  db: Db,
  client: HvdClient,
  orgnr: string,
  o: { now: number; signal?: AbortSignal | undefined },
): Promise<ReportResult> {
  const company = await companyFigures(db, orgnr);
  if (!company) return result(orgnr, "not_found", null, null, "not in the database");
  let listed: Listed | null;
  try {
    listed = latest(await client.dokumentlista(orgnr, o.signal));
  } catch (e) {
    if (e instanceof HvdError && e.kind === "bad_request") return result(orgnr, "failed", company, null, e.message);
    throw e;
  }
  if (!listed) {
    await markChecked(db, orgnr, o.now);
    return result(orgnr, "no_report", company, null, "no annual report filed: the figures are kept");
  }
  const seen = await db
    .selectFrom("company_financials")
    .select("id")
    .where("orgnr", "=", orgnr)
    .where("document_id", "=", listed.dokumentId)
    .where("source", "=", "report")
    .executeTakeFirst();
  if (seen) {
    await markChecked(db, orgnr, o.now);
    return { ...result(orgnr, "unchanged", company, listed.dokumentId, null), framework: await frameworkOf(db, orgnr, listed.dokumentId) };
  }
  let figures: AnnualReportFigures;
  try {
    const zip = await client.dokument(listed.dokumentId, o.signal);
    figures = readAnnualReport((await reportFromZip(zip)).xhtml);
  } catch (e) {
    if (e instanceof HvdError && e.kind !== "bad_request") throw e;
    await markChecked(db, orgnr, o.now);
    return result(orgnr, "failed", company, listed.dokumentId, `report ${listed.dokumentId}: ${(e as Error).message}`);
  }
  const entity = figures.entity?.length === 12 && figures.entity.startsWith("16") ? figures.entity.slice(2) : figures.entity;
  const own = figures.years[0];
  const why =
    entity !== null && entity !== orgnr
      ? `it is the report of ${entity}`
      : !own
        ? `it has neither nettoomsättning nor medelantalet anställda${figures.notes.length ? ` (${figures.notes.join("; ")})` : ""}`
        : null;
  if (why || !own) {
    await markChecked(db, orgnr, o.now);
    return { ...result(orgnr, "failed", company, listed.dokumentId, `report ${listed.dokumentId} not used: ${why}`), notes: figures.notes };
  }
  const after = await writeFigures(db, orgnr, figures, own, listed, o.now);
  return { ...result(orgnr, "updated", after, listed.dokumentId, null), framework: figures.framework, notes: figures.notes };
}

interface Figures {
  revenue_tkr: number | null;
  employees: number | null;
  financial_year_start: string | null;
  financial_year_end: string | null;
}

function companyFigures(db: Db, orgnr: string): Promise<Figures | undefined> {
  return db
    .selectFrom("company")
    .select(["revenue_tkr", "employees", "financial_year_start", "financial_year_end"])
    .where("orgnr", "=", orgnr)
    .executeTakeFirst();
}

/** The latest report: the latest financial year, then the latest filed. */
function latest(body: unknown): Listed | null {
  const list = documentList.parse(body).dokument ?? [];
  const key = (d: Listed) => `${d.rapporteringsperiodTom ?? ""} ${d.registreringstidpunkt ?? ""}`;
  return [...list].sort((a, b) => (key(a) < key(b) ? 1 : key(a) > key(b) ? -1 : 0))[0] ?? null;
}

async function frameworkOf(db: Db, orgnr: string, documentId: string): Promise<"K2" | "K3" | null> {
  const r = await db
    .selectFrom("company_financials")
    .select("framework")
    .where("orgnr", "=", orgnr)
    .where("document_id", "=", documentId)
    .executeTakeFirst();
  return r?.framework ?? null;
}

function markChecked(db: Db, orgnr: string, now: number) {
  return db
    .updateTable("company")
    .set({ reports_checked_at: toInstant(now) })
    .where("orgnr", "=", orgnr)
    .execute();
}

const toTkr = (ore: number | null) => (ore === null ? null : Math.round(ore / 100_000));

async function writeFigures(db: Db, orgnr: string, f: AnnualReportFigures, own: ReportYear, listed: Listed, now: number): Promise<Figures> {
  const stamp = toInstant(now);
  const filedOn = listed.registreringstidpunkt ? listed.registreringstidpunkt.slice(0, 10) : null;
  return immediate(db, async (trx) => {
    for (const y of f.years) {
      const source = y === own ? "report" : "comparative";
      const row = {
        period_start: y.start,
        period_end: y.end,
        net_revenue_ore: y.revenueOre,
        employees: y.employees,
        framework: f.framework,
        source,
        document_id: listed.dokumentId,
        filed_on: filedOn,
        fetched_at: stamp,
      } as const;
      await trx
        .insertInto("company_financials")
        .values({ orgnr, ...row })
        .onConflict((oc) => {
          const update = oc.columns(["orgnr", "period_end"]).doUpdateSet(row);
          // A later report's comparative column never replaces the year's own report.
          return source === "report" ? update : update.where("company_financials.source", "=", "comparative");
        })
        .execute();
    }
    const current = await trx
      .selectFrom("company")
      .select(["revenue_tkr", "employees", "financial_year_start", "financial_year_end"])
      .where("orgnr", "=", orgnr)
      .executeTakeFirstOrThrow();
    const newer = current.financial_year_end === null || current.financial_year_end <= own.end;
    const next: Figures = newer
      ? {
          revenue_tkr: own.revenueOre === null ? current.revenue_tkr : toTkr(own.revenueOre),
          employees: own.employees ?? current.employees,
          financial_year_start: own.start,
          financial_year_end: own.end,
        }
      : current;
    const changed =
      newer && (next.revenue_tkr !== current.revenue_tkr || next.employees !== current.employees || own.end !== current.financial_year_end);
    await trx
      .updateTable("company")
      .set({ ...next, reports_checked_at: stamp, ...(changed ? { updated_at: stamp } : {}) })
      .where("orgnr", "=", orgnr)
      .execute();
    return next;
  });
}

function result(
  orgnr: string,
  outcome: ReportOutcome,
  c: Figures | null | undefined,
  documentId: string | null,
  message: string | null,
): ReportResult {
  return {
    orgnr,
    outcome,
    documentId,
    financialYear: c?.financial_year_start && c.financial_year_end ? { start: c.financial_year_start, end: c.financial_year_end } : null,
    revenueTkr: c?.revenue_tkr ?? null,
    employees: c?.employees ?? null,
    framework: null,
    message,
    notes: [],
  };
}

/** The history of a company's figures, newest financial year first. */
export async function financialHistory(db: Db, orgnr: string) {
  const rows = await db
    .selectFrom("company_financials")
    .select(["period_start", "period_end", "net_revenue_ore", "employees", "framework", "source", "document_id", "filed_on", "fetched_at"])
    .where("orgnr", "=", orgnr)
    .orderBy("period_end", "desc")
    .execute();
  return rows.map((r) => ({
    start: r.period_start,
    end: r.period_end,
    revenueTkr: toTkr(r.net_revenue_ore),
    netRevenueOre: r.net_revenue_ore,
    employees: r.employees,
    framework: r.framework,
    source: r.source,
    documentId: r.document_id,
    filedOn: r.filed_on,
    fetchedAt: r.fetched_at,
  }));
}
