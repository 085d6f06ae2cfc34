import type { z } from "zod";
import { checkAnnualReport, type ReportResult } from "./annual-report.ts";
import { forEachOrgnr, orgnrsPayload } from "./hvd-job.ts";
import type { JobDefinition } from "../jobs/types.ts";

const payload = orgnrsPayload;
export type CompanyReportsPayload = z.infer<typeof payload>;

export interface CompanyReportsResult {
  results: ReportResult[];
}

/** Reads companies' latest annual reports from Bolagsverket: revenue, employees and financial year, with history. */
export const companyReportsJob: JobDefinition<CompanyReportsPayload, CompanyReportsResult> = {
  type: "company.reports",
  summary: "read companies' latest annual reports (iXBRL) from Bolagsverket: revenue, employees, financial year, with history",
  timeoutMs: 60 * 60_000,
  payload,
  async run(ctx) {
    const results = await forEachOrgnr(ctx, "annual reports", (client, orgnr) =>
      checkAnnualReport(ctx.db, client, orgnr, { now: ctx.now(), signal: ctx.signal }),
    );
    const count = (k: ReportResult["outcome"]) => results.filter((r) => r.outcome === k).length;
    ctx.addMetrics({
      updated: count("updated"),
      unchanged: count("unchanged"),
      no_report: count("no_report"),
      not_found: count("not_found"),
      failed: count("failed"),
    });
    return { result: { results } };
  },
};
