import { z } from "zod";
import { checkAnnualReport, type ReportResult } from "./annual-report.ts";
import { bolagsverketCredentials, hvdClient } from "./enrich.ts";
import { checkOrgnr } from "../domain/orgnr.ts";
import type { LeadjobsError } from "../errors.ts";
import { HvdError } from "../integrations/bolagsverket/errors.ts";
import { rateLimitWaitMs } from "../util/rate-limiter.ts";
import { PermanentJobError, RetryLaterError } from "../errors.ts";
import type { JobDefinition } from "../jobs/types.ts";

const payload = z.strictObject({
  orgnrs: z
    .array(z.string().refine((v) => /^\d{10}$/.test(v) && checkOrgnr(v).ok, "expected a valid 10-digit organisationsnummer"))
    .min(1)
    .max(1000),
});
export type CompanyReportsPayload = z.infer<typeof payload>;

export interface CompanyReportsResult {
  results: ReportResult[];
}

/** Reads companies' latest annual reports from Bolagsverket: revenue, employees and financial year, with history. */
export const companyReportsJob: JobDefinition<CompanyReportsPayload, CompanyReportsResult> = {
  type: "company.reports",
  summary: "read companies' latest annual reports (iXBRL) from Bolagsverket: revenue, employees, financial year, with history",
  payload,
  async run(ctx) {
    let creds: ReturnType<typeof bolagsverketCredentials>;
    try {
      creds = bolagsverketCredentials(ctx.env);
    } catch (e) {
      throw new PermanentJobError((e as LeadjobsError).message, { cause: e });
    }
    const client = hvdClient(ctx.config, creds, ctx.now);
    const orgnrs = [...new Set(ctx.payload.orgnrs)];
    const results: ReportResult[] = [];
    for (const [i, orgnr] of orgnrs.entries()) {
      try {
        results.push(await checkAnnualReport(ctx.db, client, orgnr, { now: ctx.now(), signal: ctx.signal }));
      } catch (e) {
        if (e instanceof HvdError && e.kind === "rate_limited" && e.retryAfterMs !== undefined)
          throw new RetryLaterError(e.message, rateLimitWaitMs(e.retryAfterMs), { cause: e });
        if (e instanceof HvdError && e.kind === "auth") throw new PermanentJobError(e.message, { cause: e });
        throw e;
      }
      ctx.progress({ done: i + 1, total: orgnrs.length, message: `annual reports ${i + 1}/${orgnrs.length}` });
    }
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
