import type { Config } from "../config.ts";
import type { Db } from "../db/handle.ts";
import { UsageError } from "../errors.ts";
import { ANALYSIS_TYPES, type AnalysisType } from "../web/analysis-types.ts";
import { normaliseSiteUrl } from "../web/site-url.ts";

/** The analysis a company refresh runs (the `refreshAnalysis` setting); a UsageError when it is not a type. */
export function refreshAnalysisType(config: Config): AnalysisType {
  const v = config.refreshAnalysis;
  if ((ANALYSIS_TYPES as readonly string[]).includes(v)) return v as AnalysisType;
  throw new UsageError(`invalid refreshAnalysis setting "${v}": expected one of ${ANALYSIS_TYPES.join(", ")}`);
}

/** What a company refresh analyses. */
export interface RefreshTarget {
  orgnr: string;
  leadId: number | null;
  /** The site to analyse; null when there is none (then `reason` says why). */
  url: string | null;
  reason: string | null;
}

/**
 * The website of a company to refresh: its lead's website when it has a lead with one (the
 * sales team's own, as `run-batch` reads leads), else the company's. Undefined when the
 * company is not in the database.
 */
export async function refreshTarget(db: Db, orgnr: string): Promise<RefreshTarget | undefined> {
  const row = await db
    .selectFrom("company")
    .leftJoin("lead", "lead.orgnr", "company.orgnr")
    .select(["company.orgnr", "company.website", "lead.id as leadId", "lead.website as leadWebsite"])
    .where("company.orgnr", "=", orgnr)
    .executeTakeFirst();
  if (!row) return undefined;
  const raw = (row.leadWebsite?.trim() || row.website?.trim()) ?? "";
  const base = { orgnr: row.orgnr, leadId: row.leadId ?? null };
  if (!raw) return { ...base, url: null, reason: "no website" };
  try {
    return { ...base, url: normaliseSiteUrl(raw), reason: null };
  } catch (e) {
    if (e instanceof UsageError) return { ...base, url: null, reason: `unusable website "${raw}"` };
    throw e;
  }
}
