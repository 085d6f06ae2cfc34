import type { CompanyRow } from "./schema.ts";
import type { Db } from "../db/handle.ts";
import { checkOrgnr } from "../domain/orgnr.ts";
import { UsageError } from "../errors.ts";
import { legalFormName } from "./legal-forms.ts";
import { parseCodes } from "./search.ts";

export interface CompanyDetail {
  orgnr: string;
  name: string;
  altNames: string[];
  legalForm: string | null;
  legalFormName: string | null;
  status: CompanyRow["status"];
  street: string | null;
  coAddress: string | null;
  postcode: string | null;
  town: string | null;
  municipality: string | null;
  sni: Array<{ code: string; title: string | null }>;
  description: string | null;
  website: string | null;
  revenueTkr: number | null;
  employees: number | null;
  reklamsparr: boolean;
  registeredOn: string | null;
  deregisteredOn: string | null;
  missingSince: string | null;
  source: string;
  enrichedAt: string | null;
  /** The financial year revenue and employees are from (an annual report), and the latest look at the reports. */
  financialYearStart: string | null;
  financialYearEnd: string | null;
  reportsCheckedAt: string | null;
  createdAt: string;
  updatedAt: string;
  lead: { id: number; status: string; terminal: string | null; score: number | null } | null;
}

/** Validates an organisationsnummer argument (exit 2 naming the problem). */
export function orgnrArgument(input: string): string {
  const c = checkOrgnr(input);
  if (!c.ok) throw new UsageError(`invalid organisationsnummer ${c.reason}`);
  return c.orgnr;
}

export async function getCompany(db: Db, orgnr: string): Promise<CompanyDetail> {
  const c = await db.selectFrom("company").selectAll().where("orgnr", "=", orgnr).executeTakeFirst();
  if (!c)
    throw new UsageError(`no company ${orgnr} in the register`, {
      code: "NOT_FOUND",
      hint: "import the register (companies import) or fetch it (companies enrich)",
    });
  const codes = parseCodes(c.sni_codes);
  const titles =
    codes.length === 0
      ? []
      : await db
          .selectFrom("sni_code")
          .select(["code", "title"])
          .where("code", "in", [...new Set(codes.flatMap((k) => [k, k.slice(0, 4), k.slice(0, 2)]))])
          .execute();
  const titleOf = (code: string) =>
    titles.find((t) => t.code === code)?.title ??
    titles.find((t) => t.code === code.slice(0, 4))?.title ??
    titles.find((t) => t.code === code.slice(0, 2))?.title ??
    null;
  const lead = await db
    .selectFrom("lead")
    .leftJoin("terminal", "terminal.id", "lead.terminal_id")
    .select(["lead.id", "lead.status", "terminal.name as terminal", "lead.score"])
    .where("lead.orgnr", "=", orgnr)
    .executeTakeFirst();
  return {
    orgnr: c.orgnr,
    name: c.name,
    altNames: c.alt_names ? c.alt_names.split(" | ") : [],
    legalForm: c.legal_form,
    legalFormName: legalFormName(c.legal_form),
    status: c.status,
    street: c.street,
    coAddress: c.co_address ?? null,
    postcode: c.postcode,
    town: c.town,
    municipality: c.municipality,
    sni: codes.map((code) => ({ code, title: titleOf(code) })),
    description: c.description,
    website: c.website,
    revenueTkr: c.revenue_tkr,
    employees: c.employees,
    reklamsparr: c.reklamsparr === 1,
    registeredOn: c.registered_on,
    deregisteredOn: c.deregistered_on,
    missingSince: c.missing_since ?? null,
    source: c.source,
    enrichedAt: c.enriched_at ?? null,
    financialYearStart: c.financial_year_start ?? null,
    financialYearEnd: c.financial_year_end ?? null,
    reportsCheckedAt: c.reports_checked_at ?? null,
    createdAt: c.created_at,
    updatedAt: c.updated_at,
    lead: lead ? { id: lead.id, status: lead.status, terminal: lead.terminal, score: lead.score } : null,
  };
}
