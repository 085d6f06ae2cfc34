import { z } from "zod";
import { bolagsverketCredentials, enrichCompany, hvdClient, type EnrichResult } from "./enrich.ts";
import { checkOrgnr } from "../domain/orgnr.ts";
import type { LeadjobsError } from "../errors.ts";
import { HvdError } from "../integrations/bolagsverket/errors.ts";
import { rateLimitWaitMs } from "../util/rate-limiter.ts";
import { PermanentJobError, RetryLaterError } from "../errors.ts";
import type { JobDefinition } from "../jobs/types.ts";

const orgnr = z.string().transform((s, ctx) => {
  const c = checkOrgnr(s);
  if (!c.ok) {
    ctx.addIssue({ code: "custom", message: `invalid organisationsnummer ${c.reason}` });
    return z.NEVER;
  }
  return c.orgnr;
});

const payload = z.strictObject({
  orgnrs: z.array(orgnr).min(1).max(1000).describe("organisationsnummer to update from Bolagsverket's API"),
});
export type CompanyEnrichPayload = z.infer<typeof payload>;

/** One result per organisationsnummer (duplicates asked once), in the order given. */
export interface CompanyEnrichResult {
  results: EnrichResult[];
}

/** Updates companies from Bolagsverket's API (register data, SNI, reklamspärr, status). */
export const companyEnrichJob: JobDefinition<CompanyEnrichPayload, CompanyEnrichResult> = {
  type: "company.enrich",
  summary: "update companies from Bolagsverket's värdefulla-datamängder API (credentials from the environment)",
  payload,
  async run(ctx) {
    let creds: ReturnType<typeof bolagsverketCredentials>;
    try {
      creds = bolagsverketCredentials(ctx.env);
    } catch (e) {
      throw new PermanentJobError((e as LeadjobsError).message, { cause: e });
    }
    const client = hvdClient(ctx.config, creds, ctx.now);
    const results: EnrichResult[] = [];
    const orgnrs = [...new Set(ctx.payload.orgnrs)];
    for (const [i, o] of orgnrs.entries()) {
      try {
        results.push(await enrichCompany(ctx.db, client, o, { now: ctx.now(), signal: ctx.signal }));
      } catch (e) {
        if (e instanceof HvdError && e.kind === "rate_limited" && e.retryAfterMs !== undefined)
          throw new RetryLaterError(e.message, rateLimitWaitMs(e.retryAfterMs), { cause: e });
        if (e instanceof HvdError && e.kind === "auth") throw new PermanentJobError(e.message, { cause: e });
        throw e;
      }
      ctx.progress({ done: i + 1, total: orgnrs.length, message: `enriched ${i + 1}/${orgnrs.length}` });
    }
    const count = (k: EnrichResult["outcome"]) => results.filter((r) => r.outcome === k).length;
    const metrics = {
      enriched: count("created") + count("updated") + count("unchanged"),
      created: count("created"),
      not_found: count("not_found"),
      partial: count("partial"),
      failed: count("failed"),
    };
    ctx.addMetrics(metrics);
    return { result: { results } };
  },
};
