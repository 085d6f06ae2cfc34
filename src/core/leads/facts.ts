import { parseCodes } from "../companies/search.ts";
import { latestWebSummaries, type WebSummary } from "../web/summary.ts";
import type { Db } from "../db/handle.ts";
import type { Protocol } from "./protocols.ts";

/** What the model is told about one lead (the protocol decides how much). */
export interface LeadFacts {
  orgnr: string;
  name: string;
  legal_form: string | null;
  status: string;
  town: string | null;
  municipality: string | null;
  sni: Array<{ code: string; title: string | null }>;
  employees: number | null;
  revenue_tkr: number | null;
  website: string | null;
  reklamsparr: boolean;
  description?: string | null;
  address?: string | null;
  /** The latest website analysis (platform, checkout, carriers), when there is one. */
  website_analysis?: unknown;
  notes?: string | null;
}

export interface LeadForAnalysis {
  leadId: number;
  facts: LeadFacts;
}

/** Loads leads with their company data, in the order asked. */
export async function loadLeadFacts(db: Db, leadIds: readonly number[], p: Protocol): Promise<LeadForAnalysis[]> {
  if (leadIds.length === 0) return [];
  const rows = await db
    .selectFrom("lead")
    .innerJoin("company", "company.orgnr", "lead.orgnr")
    .select([
      "lead.id",
      "lead.website",
      "lead.web_summary",
      "lead.notes",
      "company.orgnr",
      "company.name",
      "company.legal_form",
      "company.status",
      "company.town",
      "company.municipality",
      "company.postcode",
      "company.street",
      "company.sni_codes",
      "company.employees",
      "company.revenue_tkr",
      "company.website as company_website",
      "company.reklamsparr",
      "company.description",
      "company.missing_since",
    ])
    .where("lead.id", "in", [...leadIds])
    .execute();
  const codes = [...new Set(rows.flatMap((r) => parseCodes(r.sni_codes)).flatMap((c) => [c, c.slice(0, 4), c.slice(0, 2)]))];
  const titles = new Map(
    codes.length === 0
      ? []
      : (await db.selectFrom("sni_code").select(["code", "title"]).where("code", "in", codes).execute()).map((t) => [t.code, t.title]),
  );
  const byId = new Map(rows.map((r) => [r.id, r]));
  // The website analyser's latest result wins over a summary stored on the lead (seed, import).
  const web = p.includes.websiteAnalysis
    ? await latestWebSummaries(
        db,
        rows.map((r) => r.orgnr),
      )
    : new Map<string, WebSummary>();
  return leadIds.flatMap((id) => {
    const r = byId.get(id);
    if (!r) return [];
    const facts: LeadFacts = {
      orgnr: r.orgnr,
      name: r.name,
      legal_form: r.legal_form,
      status: r.missing_since ? "not in the register any more" : r.status,
      town: r.town,
      municipality: r.municipality,
      sni: parseCodes(r.sni_codes).map((code) => ({
        code,
        title: titles.get(code) ?? titles.get(code.slice(0, 4)) ?? titles.get(code.slice(0, 2)) ?? null,
      })),
      employees: r.employees,
      revenue_tkr: r.revenue_tkr,
      website: r.website ?? r.company_website,
      reklamsparr: r.reklamsparr === 1,
    };
    if (p.includes.description) facts.description = r.description;
    if (p.includes.address) facts.address = [r.street, [r.postcode, r.town].filter(Boolean).join(" ")].filter(Boolean).join(", ") || null;
    if (p.includes.websiteAnalysis) facts.website_analysis = web.get(r.orgnr) ?? (r.web_summary ? JSON.parse(r.web_summary) : null);
    if (p.includes.notes) facts.notes = r.notes ?? null;
    return [{ leadId: id, facts }];
  });
}
