import type { Config, Env } from "../config.ts";
import type { Db } from "../db/handle.ts";
import { HvdError } from "../integrations/bolagsverket/errors.ts";
import { toInstant } from "../time.ts";
import type { Clock } from "../types.ts";
import { checkAnnualReport } from "./annual-report.ts";
import { hvdClient } from "./enrich.ts";

/** A company's annual reports are looked at again after this long (they are filed once a year). */
export const REPORTS_RECHECK_MS = 30 * 86_400_000;

/** What reading the annual reports before an analysis did. */
export interface AnalysisReports {
  /** Companies whose reports were looked at, and what came of it. */
  checked: number;
  updated: number;
  noReport: number;
  failed: number;
  /** Why the reports were not (all) read: no credentials, or Bolagsverket failed; the stored figures were used. */
  skipped: string | null;
}

/**
 * Before (re-)analysing leads: reads the latest annual reports of their companies whose reports
 * were not looked at within REPORTS_RECHECK_MS, so the analysis sees current revenue and
 * employees. Never fails the analysis: without Bolagsverket credentials, or when Bolagsverket
 * fails, the stored figures are used and `skipped` says why.
 */
export async function readReportsForAnalysis(
  db: Db,
  o: { orgnrs: readonly string[]; config: Config; env: Env; clock: Clock; signal: AbortSignal },
): Promise<AnalysisReports> {
  const out: AnalysisReports = { checked: 0, updated: 0, noReport: 0, failed: 0, skipped: null };
  if (o.orgnrs.length === 0) return out;
  const { BOLAGSVERKET_CLIENT_ID: clientId, BOLAGSVERKET_CLIENT_SECRET: clientSecret } = o.env;
  if (!clientId || !clientSecret)
    return { ...out, skipped: "no Bolagsverket credentials (BOLAGSVERKET_CLIENT_ID, BOLAGSVERKET_CLIENT_SECRET)" };
  const due = await db
    .selectFrom("company")
    .select("orgnr")
    .where("orgnr", "in", [...new Set(o.orgnrs)])
    .where((eb) => eb.or([eb("reports_checked_at", "is", null), eb("reports_checked_at", "<", toInstant(o.clock() - REPORTS_RECHECK_MS))]))
    .orderBy("orgnr")
    .execute();
  const client = hvdClient(o.config, { clientId, clientSecret }, o.clock);
  for (const { orgnr } of due) {
    try {
      const r = await checkAnnualReport(db, client, orgnr, { now: o.clock(), signal: o.signal });
      out.checked++;
      if (r.outcome === "updated") out.updated++;
      else if (r.outcome === "no_report") out.noReport++;
      else if (r.outcome === "failed") out.failed++;
    } catch (e) {
      if (o.signal.aborted || !(e instanceof HvdError)) throw e;
      return { ...out, skipped: `Bolagsverket: ${e.message}` };
    }
  }
  return out;
}
